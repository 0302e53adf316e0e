"""The plan's column widths: a register column added to the table (a directorate) has room for its longest
word in every edition, so no reader sees "Commission|ing"; only a word too long for any column breaks."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from playwright.sync_api import Browser, Page

from conftest import ROOT, copy_example, keep_draft
from reportgen.model import Paper
from reportgen.paper.build_paper import WIDTHS
from reportgen.paper.column_widths import MAX_SHARE
from reportgen.run.build import BuildResult, build_draft

DIRECTORATES = ("Commissioning", "Neighbourhood Policing", "Partnerships", "Criminal Justice")
TOO_LONG = "Pneumonoultramicroscopicsilicovolcanoconiosis"  # 45 letters: no column is that wide
# where a renderer may break a line: a space, or after a hyphen or dash
WORD = re.compile(r"[^\s\-\u2010\u2013\u2014]*[\-\u2010\u2013\u2014]|[^\s\-\u2010\u2013\u2014]+")
FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TWIPS_PER_POINT = 20


def with_directorate(root: Path, columns: str = '"ref", "action", "status", "explanation", "timeframe", '
                     '"directorate", "page"') -> Path:
    """The example workspace with the register's "Directorate" column shown in the plan (among `columns`),
    one action's directorate a 45-letter word."""
    workbook = openpyxl.load_workbook(root / "inputs" / "register.xlsx")
    sheet = workbook.active
    column = sheet.max_column + 1
    sheet.cell(1, column, "Directorate")
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, column, TOO_LONG if row == 3 else DIRECTORATES[row % len(DIRECTORATES)])
    workbook.save(root / "inputs" / "register.xlsx")
    toml = (root / "reportgen.toml").read_text(encoding="utf-8")
    toml = toml.replace('narrative = "narrative.md"\n', f'narrative = "narrative.md"\ntable_columns = [{columns}]\n', 1)
    (root / "reportgen.toml").write_text(toml + '\n[[register.extra]]\nkey = "directorate"\n'
                                         'heading = "Directorate"\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = with_directorate(copy_example(tmp_path_factory.mktemp("directorate") / "ws"))
    return build_draft(root, out=root / "outputs" / "draft")


@pytest.fixture(scope="module")
def nine_columns(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The plan with its section and lead as columns too: nine columns, too many for 56rem."""
    columns = '"ref", "section", "lead", "action", "status", "explanation", "timeframe", "directorate", "page"'
    root = with_directorate(copy_example(tmp_path_factory.mktemp("nine") / "ws"), columns)
    return build_draft(root, out=root / "outputs" / "draft")




def paper_words(paper: Paper) -> set[str]:
    """Every word the plan shows whole, as written."""
    texts = [column.heading for column in paper.columns] + [paper.exempt_note, "Delivery plan"]
    for section in paper.sections:
        texts.append(section.heading)
        for row in section.rows:
            status = paper.status_cell(row)
            texts.extend([*(cell.text for cell in row.cells), status.label, *(note.text for note in status.notes)])
    return {word for text in texts for word in WORD.findall(text)}


def may_break(piece: str, paper: Paper) -> bool:
    """A piece of a word that may break: the 45-letter word, or a link (broken after its '/')."""
    return piece in TOO_LONG or any(piece in word for word in paper_words(paper) if "/" in word)


def test_the_directorate_column_holds_its_longest_word_and_gives_up_no_more(built: BuildResult) -> None:
    widths = {column.key: column.width for column in built.paper.columns}
    default = {key: WIDTHS.get(key, 0.08) / sum(WIDTHS.get(k, 0.08) for k in widths) for key in widths}
    assert widths["directorate"] > default["directorate"] * 1.2  # widened for "Neighbourhood"
    assert widths["directorate"] < MAX_SHARE  # not for the 45-letter word
    assert widths["explanation"] < default["explanation"]  # which gave the room
    assert widths["action"] == round(default["action"], 4)  # and nothing else did
    assert widths["explanation"] == max(widths.values())
    assert sum(widths.values()) == pytest.approx(1, abs=0.001)


def pdf_fragments(built: BuildResult) -> set[str]:
    """The pieces of words the PDF's plan pages show that are not whole words of the paper: broken words."""
    known, fragments = paper_words(built.paper), set()
    with pdfplumber.open(built.folder / "paper.pdf") as pdf:
        for page in pdf.pages:
            if page.width < page.height:  # the plan's pages are landscape
                continue
            body = page.crop((0, 45, page.width, page.height - 40))  # not the running title or the footer
            for word in body.extract_words(x_tolerance=1.5):
                fragments.update(p for p in WORD.findall(word["text"]) if p not in known and p != "•")
    assert {"Commissioning", "Neighbourhood", "Partnerships", "Directorate"} <= known
    return fragments


def test_the_pdf_breaks_no_word_but_the_one_too_long_for_any_column(built: BuildResult) -> None:
    fragments = pdf_fragments(built)
    assert fragments and all(may_break(piece, built.paper) for piece in fragments), sorted(fragments)
    assert any(piece in TOO_LONG for piece in fragments)  # that one does break, inside its column


@pytest.fixture(scope="module")
def in_dejavu(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The directorate example with its Word template restyled in DejaVu Sans (installed: no warning), an
    eighth wider than Arial, as Verdana is."""
    root = with_directorate(copy_example(tmp_path_factory.mktemp("dejavu") / "ws"))
    (root / "templates").mkdir()
    template = docx.Document(str(ROOT / "templates" / "paper.docx"))
    template.styles["Normal"].font.name = "DejaVu Sans"
    template.save(str(root / "templates" / "paper.docx"))
    return build_draft(root, out=root / "outputs" / "draft")


def test_a_template_in_a_wider_font_breaks_no_word_in_the_pdf(in_dejavu: BuildResult) -> None:
    # measured with Arial's widths, "Neighbourhoo|d" and "Commissionin|g" broke on every plan page
    fragments = pdf_fragments(in_dejavu)
    assert fragments and all(may_break(piece, in_dejavu.paper) for piece in fragments), sorted(fragments)


def test_a_template_in_a_wider_font_gives_the_docx_room_for_the_longest_word(in_dejavu: BuildResult) -> None:
    assert_docx_holds_neighbourhood(in_dejavu, DEJAVU)


def test_the_docx_gives_the_directorate_room_for_its_longest_word(built: BuildResult) -> None:
    assert_docx_holds_neighbourhood(built, FONT)


def assert_docx_holds_neighbourhood(built: BuildResult, font_file: Path) -> None:
    """The Word paper's plan grid: the directorate column holds "Neighbourhood" in `font_file` at 8.5pt."""
    document = docx.Document(str(built.folder / "paper.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == built.paper.columns[0].heading)
    headings = [cell.text for cell in table.rows[0].cells]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    font = TTFont(font_file)
    advances, cmap = font["hmtx"], font.getBestCmap()
    word = sum(advances[cmap[ord(char)]][0] for char in "Neighbourhood") / font["head"].unitsPerEm * 8.5
    margins = 2 * 108  # Word's default cell margins, twips
    assert grid[headings.index("Directorate")] >= word * TWIPS_PER_POINT + margins
    shares = [width / sum(grid) for width in grid]  # the same columns as the PDF and the web edition
    assert shares == pytest.approx([column.width for column in built.paper.columns], abs=0.001)


def broken_words(browser: Browser, built: BuildResult, width: int, text_size: int = 16) -> tuple[list[str], Page]:
    """The words of the web edition's plan drawn over more than one line in a window `width` pixels wide,
    the browser's text size `text_size` pixels (Chrome's Settings > Appearance > Font size: "Large" is 20),
    and the page (to close)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    if text_size != 16:
        session = page.context.new_cdp_session(page)
        session.send("Page.enable")
        session.send("Page.setFontSizes", {"fontSizes": {"standard": text_size}})
    page.goto((built.folder / "paper.html").resolve().as_uri())
    broken = page.evaluate("""(pattern) => {
      const word = new RegExp(pattern, "gu"), broken = new Set();
      for (const cell of document.querySelectorAll("#plan-table th, #plan-table td")) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of node.data.matchAll(word)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
            if (lines.size > 1) broken.add(match[0]);
          }
        }
      }
      return [...broken];
    }""", WORD.pattern)
    return broken, page


@pytest.mark.parametrize("width", [1280, 1024, 800, 375])  # a desktop, a laptop, a tablet, a phone
def test_the_web_edition_breaks_no_word_but_the_one_too_long(browser: Browser, built: BuildResult,
                                                             width: int) -> None:
    broken, page = broken_words(browser, built, width)
    assert broken == [TOO_LONG]
    directorate = page.locator("#plan-table thead th.col-directorate")
    assert directorate.evaluate("th => th.getBoundingClientRect().width") >= 120  # "Neighbourhood" and its padding
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # only the plan's region scrolls
    page.close()


@pytest.mark.parametrize("width", [1280, 1024, 900, 375])
def test_a_plan_of_nine_columns_breaks_no_word_in_a_narrower_window_but_scrolls(
        browser: Browser, nine_columns: BuildResult, width: int) -> None:
    # the nine columns' longest words side by side need more than 56rem: "Plan priorit|y", "Partnershi|p"
    broken, page = broken_words(browser, nine_columns, width)
    assert broken == [TOO_LONG]
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # only the plan's region scrolls
    region = page.locator(".plan-scroll").evaluate("r => r.scrollWidth > r.clientWidth")
    assert region == (width < 1280)  # the plan scrolls sideways where its words cannot fit side by side
    page.close()


@pytest.mark.parametrize("text_size", [20, 24])  # the browser's text size "Large", "Very large"
@pytest.mark.parametrize("width", [1920, 1280, 1024])
def test_a_reader_with_a_larger_text_size_sees_no_word_broken(browser: Browser, built: BuildResult, width: int,
                                                              text_size: int) -> None:
    # the windows the widths change at were told in pixels: at 1280 "Neighbourh|ood" and "Partnershi|ps" broke
    broken, page = broken_words(browser, built, width, text_size)
    assert broken == [TOO_LONG]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


def test_a_paper_whose_words_fit_keeps_its_widths(tmp_path: Path) -> None:
    _folder, paper = keep_draft(copy_example(tmp_path / "ws"), "2026-10")
    total = sum(WIDTHS[column.key] for column in paper.columns)
    assert [column.width for column in paper.columns] == [round(WIDTHS[c.key] / total, 4) for c in paper.columns]
