"""The Word paper's structure as Word's navigation pane and a screen reader take it: no blank line holding the
landscape plan's section break, and the paper's title the document's top heading, in a restyled template too, with
the headings under it a level lower, as the PDF's tags have them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx
import pikepdf
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from conftest import _tree_kids, copy_example, element_text, make_workspace, tagged_text
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
    assert [p.text for p in _body_paragraphs(document) if _outline_level(p) == "0"] == [title.text]


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


def _title_restyled_as_heading_1(folder: Path) -> Path:
    """A workspace whose own paper.docx (`reportgen template`) has its title restyled in Word as Heading 1."""
    workspace = make_workspace(folder)
    assert main(["template", "--workspace", str(workspace)]) == 0
    template = workspace / "templates" / "paper.docx"
    restyled = docx.Document(str(template))
    restyled.paragraphs[0].style = next(s for s in restyled.styles if s.name == "Heading 1")
    restyled.save(str(template))
    return workspace


def test_a_title_the_secretariat_made_a_heading_is_left_at_their_level(tmp_path: Path) -> None:
    workspace = _title_restyled_as_heading_1(tmp_path / "ws")
    title = _body_paragraphs(_built(workspace))[0]
    assert title.style is not None and title.style.name == "Heading 1"
    assert _outline_level(title) is None  # the heading style's own level holds


def _pdf_headings(path: Path) -> list[tuple[int, str]]:
    """(level, text) of each heading the PDF's tags hold (/H1 … /H6), in the tree's order."""
    texts = tagged_text(path)
    found: list[tuple[int, str]] = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            tag = str(node.get("/S", ""))
            if re.fullmatch(r"/H[1-6]", tag):
                found.append((int(tag[2]), " ".join(element_text(node, texts, pages).split())))
            stack.extend(reversed(_tree_kids(node)))
    return found


def _docx_headings(document: docx.document.Document) -> list[tuple[int, str]]:
    """(Word's outline level, as "Level 1" counts, text) of each heading paragraph, by its own line or its style."""
    found = []
    for paragraph in _body_paragraphs(document):
        level = _outline_level(paragraph)
        style = paragraph.style
        while level is None and style is not None:
            own = style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
            level, style = (None if own is None else own.get(qn("w:val"))), style.base_style
        if level is not None and int(level) < 9:
            found.append((int(level) + 1, " ".join(paragraph.text.split())))
    return found


def test_the_word_paper_s_headings_sit_under_the_title_as_the_pdf_s_do(tmp_path: Path) -> None:
    """The title and the narrative's `#` headings were all Word's "Level 1", where the PDF has the title as its one H1
    and the headings under it as H2 (`##` as H3): the navigation pane and the PDF's tags now give the same outline."""
    narrative = ("# Delivery\n\nOf the {{ total }} actions, {{ counts['Completed'] }} are complete.\n\n"
                 "## Victims\n\nMore support.\n\n# Next steps\n\nThe plan follows.\n")
    workspace = make_workspace(tmp_path / "ws", narrative=narrative)
    document = _built(workspace)
    word = _docx_headings(document)
    assert word == [(1, document.paragraphs[0].text), (2, "Delivery"), (3, "Victims"), (2, "Next steps"),
                    (2, "Delivery plan")]
    assert word == _pdf_headings(workspace / "draft" / "paper.pdf")
    headings = document.styles["Heading 1"].element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    assert headings is not None and headings.get(qn("w:val")) == "0"  # the template's styles as they were


def test_a_title_restyled_as_heading_1_keeps_it_and_the_headings_under_it_are_level_2(tmp_path: Path) -> None:
    workspace = _title_restyled_as_heading_1(tmp_path / "ws")
    document = _built(workspace)
    assert [level for level, _text in _docx_headings(document)] == [1, 2, 2]
    assert _docx_headings(document) == _pdf_headings(workspace / "draft" / "paper.pdf")


def test_a_paper_with_no_exempt_action_ends_with_its_plan_not_a_blank_line(tmp_path: Path) -> None:
    """The exempt actions' note, empty in a paper with none, left an empty paragraph after the plan: the last thing a
    screen reader announced was "blank". A paper with one keeps the note as its last line."""
    document = _built(make_workspace(tmp_path / "ws"))
    body = [child for child in document.element.body if child.tag != qn("w:sectPr")]
    assert body[-1].tag == qn("w:tbl")
    assert "Delivery plan" in docx.text.paragraph.Paragraph(body[-2], document).text
    workspace = copy_example(tmp_path / "example")
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(workspace),
                           "--period", "2026-09"], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stdout + done.stderr
    exempt = docx.Document(str(Path(done.stdout.splitlines()[-1]) / "paper.docx"))
    last = [child for child in exempt.element.body if child.tag != qn("w:sectPr")][-1]
    assert docx.text.paragraph.Paragraph(last, exempt).text.startswith("Not shown in this paper: 1 action")
