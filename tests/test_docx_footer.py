"""The Word paper's page footer, as the PDF's: the meeting and its date at the left, "Page N of M" at the right
margin, the restricted marking under them, on the portrait cover pages and the landscape plan pages alike.

The paper is built through the CLI from the example workspace, its footers read back with python-docx, and the
pages LibreOffice prints from it read with pdfplumber.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn

from conftest import copy_example
from reportgen.shells.cli import main
from test_libreoffice import convert, needs_libreoffice

MEETING_LINE = "Police and Crime Panel\u00a0· 05\u00a0November\u00a02026"  # the example's reportgen.toml


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's restricted edition, built as an officer builds it: its paper.docx."""
    root = tmp_path_factory.mktemp("footer")
    workspace = copy_example(root / "ws")
    out = root / "draft"
    assert main(["build", "--workspace", str(workspace), "--edition", "restricted", "--out", str(out)]) == 0
    return out / "paper.docx"


def text_width_twips(section: docx.section.Section) -> int:
    """The section's text width: its page less its left and right margins."""
    return int(section.page_width.twips - section.left_margin.twips - section.right_margin.twips)


@pytest.mark.parametrize("which", ["portrait cover", "landscape plan"])
def test_every_word_page_s_footer_names_the_meeting_and_its_date_with_the_page_number_at_the_right_margin(
        built: Path, which: str) -> None:
    """A printed page of the Word paper said only "Page N of M", centred: not which meeting it was for, as the
    PDF's page does. Each section's footer now reads the meeting and its date (never split over two lines), a
    tab to a right-aligned stop at that section's own text width, and the PAGE and NUMPAGES fields, with the
    marking under them."""
    section = docx.Document(str(built)).sections[0 if which == "portrait cover" else 1]
    footer = section.footer
    assert not footer.is_linked_to_previous  # the plan's own, whose stop is at its wider margin
    line, *rest = [paragraph for paragraph in footer.paragraphs if paragraph.text]
    assert line.text.split("\t") == [MEETING_LINE, "Page 1 of 1"]  # the fields' results until Word counts
    assert [node.text.strip() for node in line._p.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    stops = [(stop.alignment, stop.position.twips) for stop in line.paragraph_format.tab_stops
             if stop.alignment != WD_TAB_ALIGNMENT.CLEAR]
    assert len(stops) == 1 and stops[0][0] == WD_TAB_ALIGNMENT.RIGHT
    assert abs(stops[0][1] - text_width_twips(section)) <= 1
    assert [paragraph.text for paragraph in rest] == ["RESTRICTED"]


def foot_lines(page: pdfplumber.page.Page, bottom_margin: float) -> list[tuple[str, float, float]]:
    """(text, left edge, right edge) of each line printed in the page's bottom margin, top to bottom."""
    foot = page.crop((0, page.height - bottom_margin, page.width, page.height))
    return [(" ".join(line["text"].replace("\u00a0", " ").split()), line["x0"], line["x1"])
            for line in foot.extract_text_lines()]


@needs_libreoffice
def test_libreoffice_prints_the_meeting_at_the_left_and_the_page_number_at_the_right_margin_of_a_plan_page(
        built: Path, tmp_path: Path) -> None:
    """The footer as LibreOffice prints it: on the first (portrait) page and on the last (landscape) page of the
    plan, the meeting and its date start at the left margin and "Page N of M" ends at that page's right margin,
    on one line, the marking centred under it."""
    sections = docx.Document(str(built)).sections
    pdf = convert(built, tmp_path)
    with pdfplumber.open(pdf) as printed:
        pages = printed.pages
        assert pages[0].width < pages[0].height and pages[-1].width > pages[-1].height
        for number, page, section in ((1, pages[0], sections[0]), (len(pages), pages[-1], sections[1])):
            left, right = section.left_margin.pt, page.width - section.right_margin.pt
            (line, x0, x1), (marking, m0, m1) = foot_lines(page, section.bottom_margin.pt)
            assert line == f"Police and Crime Panel · 05 November 2026 Page {number} of {len(pages)}"
            assert abs(x0 - left) < 2 and abs(x1 - right) < 2, (number, x0, x1, left, right)
            assert marking == "RESTRICTED" and abs((m0 + m1) / 2 - (left + right) / 2) < 2
