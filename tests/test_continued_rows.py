"""A plan row taller than a page is split over pages; on each page it continues onto, its number cell says
which action it continues ("4 (continued)"), as pagination furniture: drawn, but an artifact, not a second
action in the structure tree. Rows that fit on a page are drawn as before."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections import Counter
from pathlib import Path

import docx
import pdfplumber
import pytest

from conftest import (
    RETURN_HEADINGS,
    default_returns,
    make_paper,
    make_workspace,
    marked_content_problems,
    pdf_problems,
    plan_cell_texts,
    plan_row_labels,
    tagged_text,
)
from reportgen.model import Block, Inline, Paper, PaperRow
from reportgen.render.pdf import tall_rows
from reportgen.render.pdf import writer as pdf_writer

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
UPDATE = ("Update {n}: the commissioning team met the partners again and reviewed the demand figures for each "
          "district, with the evaluation team reporting on progress.")


def _long_explanation(paragraphs: int) -> str:
    return "\n".join(UPDATE.format(n=n) for n in range(1, paragraphs + 1))


def _number_column(page: pdfplumber.page.Page) -> list[tuple[str, float, str]]:
    """The words of the plan's number column (left of the "Action" heading) below the header row, top down:
    (text, top, tag), the tag "Artifact" for pagination furniture."""
    words = page.extract_words(extra_attrs=["tag"])
    heading = next(word for word in words if word["text"] == "Action")
    header_foot = max(word["bottom"] for word in words if abs(word["bottom"] - heading["bottom"]) < 1)
    return [(word["text"], word["top"], word["tag"]) for word in words
            if word["x1"] < heading["x0"] and word["top"] > header_foot and word["bottom"] < page.height - 40]


def _explanation_top(page: pdfplumber.page.Page) -> float:
    """The top of the first line of the explanation column on a plan page."""
    words = page.extract_words()
    heading = next(word for word in words if word["text"] == "Explanation")
    header_foot = max(word["bottom"] for word in words if abs(word["bottom"] - heading["bottom"]) < 1)
    return min(word["top"] for word in words if abs(word["x0"] - heading["x0"]) < 2 and word["top"] > header_foot)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`reportgen build` of a workspace whose action 4 has an explanation of ~3 pages (OPCC's return)."""
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, *((ref, action, status, _long_explanation(45) if ref == 4 else text,
                                                 when) for ref, action, status, text, when in returns["opcc.xlsx"][1:])]
    root = make_workspace(tmp_path_factory.mktemp("continued") / "ws", returns=returns)
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return Path(done.stdout.splitlines()[-1])


def test_each_page_a_row_continues_onto_says_which_action_it_continues(built: Path) -> None:
    pdf_path = built / "paper.pdf"
    with pdfplumber.open(pdf_path) as pdf:
        columns = {number: _number_column(page) for number, page in enumerate(pdf.pages)
                   if "Explanation" in (page.extract_text() or "")}
        tops = {number: _explanation_top(pdf.pages[number]) for number in columns}
    texts = {number: [text for text, _, _ in words] for number, words in columns.items()}
    continued = [number for number, words in texts.items() if words[:2] == ["4", "(continued)"]]
    starts = [number for number, words in texts.items() if "4" in words and number not in continued]
    # the row starts on one page and continues onto the pages after it, each saying so at its top, on the
    # first line of the explanation it continues, as furniture
    assert len(starts) == 1 and len(continued) >= 2
    assert continued == list(range(starts[0] + 1, starts[0] + 1 + len(continued)))
    for number in continued:
        (_, top, tag), (_, _, tag2) = columns[number][:2]
        assert tag == tag2 == "Artifact" and abs(top - tops[number]) < 0.5
    # nowhere else: not on the page the row starts on, nor beside a row that fits on its page
    assert Counter(text for words in columns.values() for text, _, _ in words)["(continued)"] == len(continued)
    assert "(continued)" not in [text for text, _, _ in columns[starts[0]]]
    # the structure tree: one plan table, every action once and in order; action 4 is one row over the
    # pages it runs over (WeasyPrint tags a row per page, the later ones with an empty number cell: the
    # rest is moved into the row), not a second action nor a row of no action
    plans, labels, pages = plan_row_labels(pdf_path, 6)
    assert plans == 1 and labels == ["1", "2", "Victims", "3", "4", "Justice", "5", "6"]
    assert pages[labels.index("4")] == [starts[0], *continued]
    explanation = plan_cell_texts(pdf_path, 6)["4"][3]
    assert explanation.index("Update 1:") < explanation.index("Update 20:") < explanation.index("Update 45:")
    assert not any("continued" in text for text in tagged_text(pdf_path).values())
    assert marked_content_problems(pdf_path) == [] and pdf_problems(pdf_path) == []


def test_the_docx_keeps_one_row_for_the_long_action_that_word_may_split(built: Path) -> None:
    """Word cannot repeat a cell's text on the page a row continues onto, and where it breaks a row is its
    own: the Word paper keeps one row per action (the long one allowed to break), no "(continued)" row."""
    plan = docx.Document(str(built / "paper.docx")).tables[-1]
    numbers = [row.cells[0].text for row in plan.rows[1:] if row.cells[0].text.isdigit()]
    assert numbers == ["1", "2", "3", "4", "5", "6"]
    assert not any("continued" in cell.text for row in plan.rows for cell in row.cells)


def _gap_below_headings(page: pdfplumber.page.Page) -> float:
    """How far the explanation column's first line sits below the foot of the repeated header row."""
    words = page.extract_words()
    heading = next(word for word in words if word["text"] == "Explanation")
    header_foot = max(word["bottom"] for word in words if abs(word["bottom"] - heading["bottom"]) < 1)
    fills = [rect["bottom"] for rect in page.rects if rect["top"] < heading["top"] < rect["bottom"]]
    return _explanation_top(page) - max(fills, default=header_foot)


def test_a_row_continued_onto_a_page_keeps_its_cells_padding_below_the_headings(built: Path) -> None:
    """The row's words on the pages it continues onto start as far below the repeated headings as a row's
    words do on the page it starts on: WeasyPrint drops a split cell's padding at the break unless the cells
    clone it, and the text then sat against the header row."""
    with pdfplumber.open(built / "paper.pdf") as pdf:
        plan = [page for page in pdf.pages if "Explanation" in (page.extract_text() or "")]
        continued = [page for page in plan if [text for text, _, _ in _number_column(page)][:2] == ["4", "(continued)"]]
        started = [page for page in plan if page not in continued]
        assert continued and started
        first_rows = [_gap_below_headings(page) for page in started]
        gaps = [_gap_below_headings(page) for page in continued]
    assert all(gap > 3 for gap in first_rows)
    assert all(abs(gap - first_rows[0]) < 1 for gap in gaps), (first_rows, gaps)


# ---------------------------------------------------------------- rows that fit are drawn as before


def _with_long_row(paper: Paper, ref: int, paragraphs: int) -> Paper:
    def lengthened(row: PaperRow) -> PaperRow:
        if row.ref != ref:
            return row
        extra = tuple(Block("paragraph", (Inline(UPDATE.format(n=n)),)) for n in range(1, paragraphs + 1))
        cells = tuple(dataclasses.replace(cell, rich=(*cell.rich, *extra),
                                          text="\n".join(block.text for block in (*cell.rich, *extra)))
                      if cell.key == "explanation" else cell for cell in row.cells)
        return dataclasses.replace(row, cells=cells)

    sections = tuple(dataclasses.replace(section, rows=tuple(lengthened(row) for row in section.rows))
                     for section in paper.sections)
    return dataclasses.replace(paper, sections=sections)


def _drawn(path: Path) -> list[tuple[Counter[tuple[object, ...]], list[tuple[object, ...]]]]:
    """Each page's characters (text, place, font, size) and its rectangles and lines, rounded."""
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = Counter((c["text"], round(c["x0"], 2), round(c["top"], 2), c["fontname"], round(c["size"], 2))
                            for c in page.chars)
            shapes = sorted((kind, round(s["x0"], 2), round(s["top"], 2), round(s["x1"], 2), round(s["bottom"], 2))
                            for kind in ("rects", "lines", "curves") for s in getattr(page, kind))
            pages.append((chars, shapes))
    return pages


def test_the_label_is_all_that_is_added_and_the_row_starts_as_before(tmp_path: Path) -> None:
    """The paper with and without the labels (as before them): the same pages, the same characters at the
    same places, the same rules and fills; the labels' characters are all that is added, on the pages the
    row continues onto."""
    paper = _with_long_row(make_paper(5, sections=2), 2, 45)
    labelled, plain = tmp_path / "labelled.pdf", tmp_path / "plain.pdf"
    pdf_writer.write_pdf(paper, TEMPLATES, labelled)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tall_rows, "add_continued_label", lambda tr: None)
        pdf_writer.write_pdf(paper, TEMPLATES, plain)
    with_labels, without = _drawn(labelled), _drawn(plain)
    assert len(with_labels) == len(without)
    added = []
    for (chars, shapes), (chars_before, shapes_before) in zip(with_labels, without, strict=True):
        assert shapes == shapes_before and not chars_before - chars
        added.append("".join(text for text, *_ in sorted(chars - chars_before, key=lambda c: (c[2], c[1]))))
    continued = [number for number, text in enumerate(added) if text]
    assert len(continued) >= 2 and {added[number] for number in continued} == {"2 (continued)"}
    assert continued == list(range(continued[0], continued[0] + len(continued)))
    _, labels, pages = plan_row_labels(labelled, len(paper.columns))
    assert "" not in labels and pages[labels.index("2")][1:] == continued
    assert marked_content_problems(labelled) == []
