"""The Word paper's structure as Word's navigation pane and a screen reader take it: no blank line holding the
landscape plan's section break, and the paper's title the document's top heading, in a restyled template too."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from conftest import make_workspace
from reportgen.shells.cli import main

W_SECTPR = f"{qn('w:pPr')}/{qn('w:sectPr')}"


def _built(workspace: Path) -> docx.document.Document:
    assert main(["build", "--workspace", str(workspace), "--out", str(workspace / "draft")]) == 0
    return docx.Document(str(workspace / "draft" / "paper.docx"))


def _body_paragraphs(document: docx.document.Document) -> list[docx.text.paragraph.Paragraph]:
    return [docx.text.paragraph.Paragraph(p, document) for p in document.element.body.iterchildren(qn("w:p"))]


def _outline_level(paragraph: docx.text.paragraph.Paragraph) -> str | None:
    level = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    return None if level is None else level.get(qn("w:val"))


def test_the_plan_s_section_break_ends_the_narrative_s_last_line_not_a_blank_one(tmp_path: Path) -> None:
    """A screen reader said "blank" before the plan: the break sat in an empty paragraph of its own."""
    last_line = "The last line before the plan."
    document = _built(make_workspace(tmp_path / "ws", narrative=f"# Delivery\n\nOf {{{{ total }}}}.\n\n{last_line}\n"))
    breaks = [p for p in _body_paragraphs(document) if p._p.find(W_SECTPR) is not None]
    assert [p.text for p in breaks] == [last_line]
    assert not [p for p in breaks if not p.text.strip()]
    portrait, landscape = document.sections
    assert portrait.orientation == WD_ORIENT.PORTRAIT and portrait.page_width < portrait.page_height
    assert landscape.orientation == WD_ORIENT.LANDSCAPE and landscape.page_width > landscape.page_height
    following = breaks[0]._p.getnext()
    assert docx.text.paragraph.Paragraph(following, document).text == "Delivery plan"  # the landscape section's first


def test_the_title_is_the_top_heading_in_the_template_s_own_look(tmp_path: Path) -> None:
    """The title paragraph keeps the Title style (its look) and is at Word's outline level 1."""
    document = _built(make_workspace(tmp_path / "ws"))
    title = _body_paragraphs(document)[0]
    assert title.style is not None and title.style.name == "Title"
    assert _outline_level(title) == "0"
    assert [p.text for p in _body_paragraphs(document) if _outline_level(p) is not None] == [title.text]


def test_a_restyled_template_s_title_is_a_heading_and_keeps_the_secretariat_s_look(tmp_path: Path) -> None:
    """A template the secretariat restyled (its Title style in their colour and size) gets the outline level on the
    title's paragraph, not a style of ours: the title still looks as they made it."""
    workspace = make_workspace(tmp_path / "ws")
    assert main(["template", "--workspace", str(workspace)]) == 0
    template = workspace / "templates" / "paper.docx"
    restyled = docx.Document(str(template))
    title_style = next(s for s in restyled.styles if s.name == "Title")
    title_style.font.size, title_style.font.color.rgb = Pt(24), RGBColor(0x6A, 0x1B, 0x9A)
    restyled.save(str(template))
    document = _built(workspace)
    title = _body_paragraphs(document)[0]
    assert title.style is not None and title.style.name == "Title"
    assert title.style.font.size == Pt(24) and title.style.font.color.rgb == RGBColor(0x6A, 0x1B, 0x9A)
    assert _outline_level(title) == "0"
    assert title.style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}") is None  # their style left as it was


def test_a_title_the_secretariat_made_a_heading_is_left_at_their_level(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    assert main(["template", "--workspace", str(workspace)]) == 0
    template = workspace / "templates" / "paper.docx"
    restyled = docx.Document(str(template))
    restyled.paragraphs[0].style = next(s for s in restyled.styles if s.name == "Heading 1")
    restyled.save(str(template))
    title = _body_paragraphs(_built(workspace))[0]
    assert title.style is not None and title.style.name == "Heading 1"
    assert _outline_level(title) is None  # the heading style's own level holds
