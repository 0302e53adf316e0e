"""The decisions made once for every renderer (reportgen.paper_rules, read through the Paper), read back
from the real artefacts: the link policy, the status cell (words and colour), the document dates, the
changes table's columns, and the rule for a status move."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from pathlib import Path

import docx
import lxml.html
import pdfplumber
import pikepdf
import pytest
from docx.oxml.ns import qn

from conftest import COLUMNS, LINK, MAILTO, UNKNOWN_REF, make_paper
from reportgen.diff.changes import diff_drafts
from reportgen.diff.summary import write_diff_docx
from reportgen.drafts.records import paper_from_json, paper_to_json
from reportgen.model import Block, Inline, Paper, StatusMove
from reportgen.paper.build_paper import changes_since
from reportgen.paper_rules import CHANGES_COLUMNS, MIN_CONTRAST, TEXT_COLOUR, contrast_ratio, status_styles
from reportgen.read.richtext import safe_href
from reportgen.render.docx.writer import write_docx
from reportgen.render.pdf.html import render_html
from reportgen.render.pdf.writer import write_pdf
from reportgen.render.web import write_html

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
STATUS_INDEX = [c.key for c in COLUMNS].index("status")
ACCEPTED = "https://example.org/accepted"
REFUSED = ("javascript:alert(1)", "file:///etc/passwd", "http://", "data:text/html,<b>x</b>", "ftp://example.org/x",
           "https://exa\u200bmple.org/")


def _docx_links(path: Path) -> set[str]:
    document = docx.Document(str(path))
    return {rel.target_ref for rel in document.part.rels.values() if rel.is_external}


def _pdf_links(path: Path) -> set[str]:
    with pikepdf.open(path) as pdf:
        return {str(annot.A.URI) for page in pdf.pages for annot in page.obj.get("/Annots", [])
                if annot.get("/A") is not None and "/URI" in annot.A}


def _html_links(path: Path) -> set[str]:
    tree = lxml.html.fromstring(path.read_bytes())
    return {href for href in tree.xpath("//a/@href") if not href.startswith("#")}


@pytest.mark.expected_logs("link not written")
def test_a_link_the_policy_refuses_is_refused_in_docx_pdf_and_html_alike(tmp_path: Path,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    # as a hand-edited draft.json could hold them: the parser never makes such links itself
    inlines = (*(Inline(f"refused{n} ", href=href) for n, href in enumerate(REFUSED)), Inline("accepted", ACCEPTED))
    paper = replace(make_paper(2, 1), narrative=(Block("paragraph", inlines),))
    assert all(safe_href(href) is None for href in REFUSED)
    with caplog.at_level(logging.WARNING, logger="reportgen"):
        write_docx(paper, TEMPLATES / "paper.docx", tmp_path / "paper.docx")
    write_pdf(paper, TEMPLATES, tmp_path / "paper.pdf")
    write_html(paper, TEMPLATES, tmp_path / "paper.html")
    expected = {ACCEPTED, LINK, MAILTO}
    assert _docx_links(tmp_path / "paper.docx") == expected
    assert _pdf_links(tmp_path / "paper.pdf") == expected
    assert _html_links(tmp_path / "paper.html") == expected
    refused = [r for r in caplog.records if "link not written" in r.getMessage()]
    assert len(refused) == len(REFUSED)  # the DOCX says which it left out; every text stays
    words = " ".join(p.text for p in docx.Document(str(tmp_path / "paper.docx")).paragraphs)
    assert all(f"refused{n}" in words for n in range(len(REFUSED)))
    assert "refused0" in (tmp_path / "paper.html").read_text(encoding="utf-8")


def _noted_paper() -> Paper:
    """Four rows: one with a note and a movement, the unrecognised one, two plain ones."""
    paper = make_paper(4, 1)
    first = replace(paper.rows[0], note="No update received this period: status as last reported",
                    movement="↑ from In progress (2023-01)", movement_direction="up")
    return replace(paper, sections=(replace(paper.sections[0], rows=(first, *paper.rows[1:])),))


def _docx_status_cells(path: Path) -> list[tuple[list[str], str | None]]:
    table = docx.Document(str(path)).tables[-1]
    cells = []
    for row in table.rows[1:]:
        tc = row._tr.tc_lst[STATUS_INDEX]
        shd = tc.tcPr.find(qn("w:shd"))
        cells.append(([p.text for p in row.cells[STATUS_INDEX].paragraphs], shd.get(qn("w:fill")) if shd is not None
                      else None))
    return cells


def _seen(element: lxml.html.HtmlElement) -> str:
    """The text a sighted reader sees: without the words only a screen reader is given."""
    return "".join(text for text in element.xpath(".//text()[not(ancestor::*[@class='visually-hidden'])]"))


def test_the_status_cell_says_and_shows_the_same_in_docx_pdf_and_html(tmp_path: Path) -> None:
    paper = _noted_paper()
    expected = [paper.status_cell(row) for row in paper.rows]
    assert [n.kind for n in expected[0].notes] == ["note", "movement"]
    assert all(cell.colour is not None for cell in expected)

    write_docx(paper, TEMPLATES / "paper.docx", tmp_path / "paper.docx")
    words = [[cell.label, *(note.text for note in cell.notes)] for cell in expected]
    # the Word paper writes the arrow's words beside it
    written = [[*words[0][:2], "↑ Moved up from In progress (2023-01)"], *words[1:]]
    assert _docx_status_cells(tmp_path / "paper.docx") == [
        (texts, cell.colour.fill.upper()) for texts, cell in zip(written, expected, strict=True) if cell.colour]

    write_html(paper, TEMPLATES, tmp_path / "paper.html")
    tree = lxml.html.fromstring((tmp_path / "paper.html").read_bytes())
    cells = tree.xpath("//td[contains(@class, 'status')]")
    assert [[_seen(span) for span in td.xpath("./span")] for td in cells] == words
    movement = cells[0].xpath("./span[@class='movement']")[0]
    assert movement.xpath("string(.//*[@aria-hidden='true'])") == "↑"  # read out as words, not "up arrow"
    assert movement.xpath("string(.//*[@class='visually-hidden'])") == "Moved up"
    style = "".join(tree.xpath("//style/text()"))
    for cell in expected:
        assert cell.colour is not None
        assert (f"td.status.status-{cell.css} {{ border-left-color: #{cell.colour.fill}; "
                f"background-color: #{cell.colour.tint}; }}") in style

    write_pdf(paper, TEMPLATES, tmp_path / "paper.pdf")
    # the last word of each label ("progress", "started", "Ongoing-ish") and the tint it must sit on
    tints = {cell.label.split()[-1]: cell.colour.tint for cell in expected if cell.colour}
    seen = set()
    with pdfplumber.open(tmp_path / "paper.pdf") as pdf:
        for page in pdf.pages:
            for word in page.extract_words():
                if word["text"] not in tints:
                    continue
                behind = [r for r in page.rects if r["x0"] <= word["x0"] and word["x1"] <= r["x1"]
                          and r["top"] <= word["top"] and word["bottom"] <= r["bottom"]]
                fills = {_hex(r["non_stroking_color"]) for r in behind if r.get("non_stroking_color")}
                if fills:
                    assert tints[word["text"]] in fills, word
                    seen.add(word["text"])
    assert seen == set(tints) == {"progress", "started", "Ongoing-ish"}


def _hex(colour: tuple[float, ...]) -> str:
    return "".join(f"{round(channel * 255):02x}" for channel in colour)


def _accepted_and_rejected(tc) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """The cell's paragraphs with every tracked change accepted, and with every one rejected."""
    accepted, rejected = [], []
    for paragraph in tc.iter(qn("w:p")):
        kept, old = [], []
        for node in paragraph.iter(qn("w:t"), qn("w:delText"), qn("w:br")):
            text = "\n" if node.tag == qn("w:br") else node.text
            marks = {a.tag for a in node.iterancestors()}
            if qn("w:del") not in marks:
                kept.append(text)
            if qn("w:ins") not in marks:
                old.append(text)
        accepted.append("".join(kept))
        rejected.append("".join(old))
    return [t for t in accepted if t], [t for t in rejected if t]


def test_a_comparison_tracks_the_status_cell_as_the_paper_draws_it(tmp_path: Path) -> None:
    old = make_paper(4, 1)
    row = old.rows[1]
    changed = replace(row, status="Completed", status_label="Completed", status_class="completed",
                      note="Closed by the Panel")
    new = replace(old, sections=(replace(old.sections[0], rows=(old.rows[0], changed, *old.rows[2:])),))
    write_diff_docx(old, new, diff_drafts(old, new), TEMPLATES / "paper.docx", tmp_path / "diff.docx")
    table = docx.Document(str(tmp_path / "diff.docx")).tables[-1]
    tc = table.rows[2]._tr.tc_lst[STATUS_INDEX]
    accepted, rejected = _accepted_and_rejected(tc)
    after, before = new.status_cell(changed), old.status_cell(row)
    assert " ".join(accepted).split() == f"{after.label} {' '.join(n.text for n in after.notes)}".split()
    assert " ".join(rejected).split() == f"{before.label} {' '.join(n.text for n in before.notes)}".split()
    assert tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == after.colour.fill.upper()  # type: ignore[union-attr]


def test_the_paper_and_the_comparison_see_the_same_status_moves() -> None:
    old = make_paper(4, 1)
    unknown = next(row for row in old.rows if row.ref == UNKNOWN_REF)
    plain = next(row for row in old.rows if row.status is not None)
    # an unrecognised wording reworded: no canonical status on either side, but the cell says otherwise
    reworded = replace(unknown, status_label="Amber?")
    done = replace(plain, status="Completed", status_label="Completed", status_class="completed")
    moved = {UNKNOWN_REF: reworded, plain.ref: done}
    new = replace(old, sections=(replace(old.sections[0], rows=tuple(moved.get(r.ref, r) for r in old.rows)),))
    paper_moves, _new = changes_since(old, new.rows)
    expected = {StatusMove(UNKNOWN_REF, unknown.action, "Ongoing-ish", "Amber?")}
    if plain.status != "Completed":
        expected.add(StatusMove(plain.ref, plain.action, plain.status_label, "Completed"))
    assert set(paper_moves) == set(diff_drafts(old, new).moves) == expected


def test_document_dates_are_decided_once_and_survive_the_draft_record(tmp_path: Path) -> None:
    paper = make_paper(2, 1)
    loaded = paper_from_json(paper_to_json(paper))
    assert paper.docx_created == loaded.docx_created == dt.datetime(2023, 2, 2, tzinfo=dt.UTC)  # the meeting day
    assert paper.pdf_created == loaded.pdf_created == "2023-02-01"  # the first of the period
    assert loaded.status_styles == paper.status_styles
    write_docx(loaded, TEMPLATES / "paper.docx", tmp_path / "paper.docx")
    assert docx.Document(str(tmp_path / "paper.docx")).core_properties.created == paper.docx_created
    write_pdf(loaded, TEMPLATES, tmp_path / "paper.pdf")
    with pikepdf.open(tmp_path / "paper.pdf") as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20230201")
    assert paper_to_json(loaded) == paper_to_json(paper)  # nothing decided here is written into draft.json


@pytest.mark.parametrize(("date", "expected"), [
    ("02 February 2023", dt.datetime(2023, 2, 2, tzinfo=dt.UTC)),
    ("2023-03-09", dt.datetime(2023, 3, 9, tzinfo=dt.UTC)),
    ("09/03/2023", dt.datetime(2023, 3, 9, tzinfo=dt.UTC)),
    ("next Tuesday", dt.datetime(2023, 2, 1, tzinfo=dt.UTC)),  # not a date: the first of the period
])
def test_the_docx_date_is_the_meeting_day_else_the_first_of_the_period(date: str, expected: dt.datetime) -> None:
    assert replace(make_paper(0, 1), date=date).docx_created == expected


def test_a_paper_with_no_period_has_no_pdf_date_and_a_fixed_docx_one() -> None:
    paper = replace(make_paper(0, 1), date="", period="2023-13")
    assert paper.pdf_created == ""
    assert paper.docx_created == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@pytest.mark.expected_logs("is not a 6-digit hex colour")
def test_status_tints_keep_text_readable_and_bad_colours_are_left_out(caplog: pytest.LogCaptureFixture) -> None:
    colours = (("completed", "C6EFCE"), ("dark", "003366"), ("black", "000000"), ("bad", "red"),
               ("Bad Class", "C6EFCE"), ("hash", "#00703c"))
    with caplog.at_level(logging.WARNING, logger="reportgen.paper_rules"):
        styles = status_styles(colours)
    assert [s.css for s in styles] == ["completed", "dark", "black"]
    assert len(caplog.records) == 3
    for style in styles:
        assert contrast_ratio(TEXT_COLOUR, style.tint) >= MIN_CONTRAST
    # a tint is a mix of the status colour, not white; a light fill is tinted, never used at full strength
    assert styles[0].tint not in ("ffffff", styles[0].fill)
    assert styles[1].tint != "ffffff" and styles[1].fill == "003366"


def test_the_changes_table_has_the_same_columns_in_docx_and_pdf(tmp_path: Path) -> None:
    moves = (StatusMove(4, "Fund an advocacy service.", "Not started", "In progress"),)
    paper = replace(make_paper(4, 1), changes=moves)
    write_docx(paper, TEMPLATES / "paper.docx", tmp_path / "paper.docx")
    table = docx.Document(str(tmp_path / "paper.docx")).tables[1]
    # the number column headed as the plan's (make_paper's register: "Plan priority"), the others as CHANGES_COLUMNS
    assert [c.heading for c in paper.changes_columns] == ["Plan priority", *(c.heading for c in CHANGES_COLUMNS[1:])]
    assert [c.text for c in table.rows[0].cells] == [c.heading for c in paper.changes_columns]
    assert [c.text for c in table.rows[1].cells] == [str(getattr(moves[0], c.key)) for c in CHANGES_COLUMNS]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert [round(w / sum(grid), 2) for w in grid] == [c.width for c in CHANGES_COLUMNS]
    tree = lxml.html.fromstring(render_html(paper, TEMPLATES).encode("utf-8"))
    changes = tree.xpath("//table[@class='changes']")[0]
    assert [th.text_content() for th in changes.xpath("./thead//th")] == [c.heading for c in paper.changes_columns]
    assert [c.get("style") for c in changes.xpath("./colgroup/col")] == [
        f"width: {c.width * 100:.0f}%" for c in CHANGES_COLUMNS]
    assert [cell.text_content() for cell in changes.xpath("./tbody/tr[1]/*")] == [
        str(getattr(moves[0], c.key)) for c in CHANGES_COLUMNS]


def test_a_heading_inside_a_cell_is_bold_words_in_every_output_never_a_heading(tmp_path: Path) -> None:
    rich = (Block("heading", (Inline("Progress "), Inline("so far", href=ACCEPTED)), level=2),
            Block("paragraph", (Inline("Done."),)))
    paper = make_paper(2, 1)
    first = paper.rows[0]
    cells = tuple(replace(c, text="Progress so far\nDone.", rich=rich) if c.key == "explanation" else c
                  for c in first.cells)
    paper = replace(paper, sections=(replace(paper.sections[0], rows=(replace(first, cells=cells), paper.rows[1])),))
    shown = paper.rows[0].cell("explanation").blocks
    assert [b.kind for b in shown] == ["paragraph", "paragraph"] and all(i.bold for i in shown[0].inlines)

    write_docx(paper, TEMPLATES / "paper.docx", tmp_path / "paper.docx")
    explanation = docx.Document(str(tmp_path / "paper.docx")).tables[-1].rows[1].cells[3]
    heading = explanation.paragraphs[0]
    assert heading.text == "Progress so far" and heading.style.name == "Table Text"
    assert heading.runs and all(run.bold for run in heading.runs)

    write_html(paper, TEMPLATES, tmp_path / "paper.html")
    for html in ((tmp_path / "paper.html").read_bytes(), render_html(paper, TEMPLATES).encode("utf-8")):
        cell = lxml.html.fromstring(html).xpath("//td[contains(@class, 'col-explanation')]")[0]
        assert not cell.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6")
        first_paragraph = cell.xpath("./p")[0]
        # the PDF's HTML draws the space before the link with a zero-width space after it (`with_drawn_gaps`)
        assert first_paragraph.text_content().replace("\u200b", "") == "Progress so far"
        assert "".join(s.text_content() for s in first_paragraph.xpath(".//strong")).replace("\u200b", "") == \
            "Progress so far"


def test_reading_the_papers_decisions_never_writes_to_the_paper() -> None:
    """The PDF stage pickles the paper for its workers while the DOCX stage reads it in another thread:
    an answer cached on the Paper made that pickle fail now and then ("dictionary changed size during
    iteration"). Asking the paper anything leaves it as it was made."""
    paper = make_paper(4, 2)
    before = dict(vars(paper))
    cells = [paper.status_cell(row) for row in paper.rows]
    answers = (paper.status_styles, paper.docx_created, paper.pdf_created, paper.changes_columns)
    assert cells and all(answers)
    assert vars(paper) == before


def test_the_word_paper_writes_each_arrows_words_beside_it() -> None:
    """Word cannot read words in an arrow's place: a movement is written with them, other notes as they are."""
    from reportgen.paper_rules import StatusNote, worded_text

    assert worded_text("↓ from Completed (2026-09)") == "↓ Moved down from Completed (2026-09)"
    assert worded_text("1 moved between Not started and On hold (→)") == \
        "1 moved between Not started and On hold (→ Moved across)"
    assert worded_text("was In progress (2026-09)") == "was In progress (2026-09)"
    assert StatusNote("movement", "↑ from Not started (2026-08)").written == "↑ Moved up from Not started (2026-08)"
    assert StatusNote("note", "Reported ↑ by the partner").written == "Reported ↑ by the partner"
