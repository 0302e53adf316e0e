"""The Word paper's structure as Word's navigation pane and a screen reader take it: no blank line holding the
landscape plan's section break."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from conftest import make_workspace
from reportgen.shells.cli import main

W_SECTPR = f"{qn('w:pPr')}/{qn('w:sectPr')}"


def _built(workspace: Path) -> docx.document.Document:
    assert main(["build", "--workspace", str(workspace), "--out", str(workspace / "draft")]) == 0
    return docx.Document(str(workspace / "draft" / "paper.docx"))


def _body_paragraphs(document: docx.document.Document) -> list[docx.text.paragraph.Paragraph]:
    return [docx.text.paragraph.Paragraph(p, document) for p in document.element.body.iterchildren(qn("w:p"))]


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
