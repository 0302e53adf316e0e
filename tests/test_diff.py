"""Draft comparison: two real drafts built from returns that differ in known ways, compared and read back.

Between 2026-09 and 2026-10: actions 2 and 3 move status, action 3's explanation is reworded, action 4's
timeframe changes, action 7 is added to the register and action 5 withdrawn from it, and the meeting
date on the cover sheet moves (so the narrative's count of completed actions changes too).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import textwrap
import zoneinfo
from html import unescape
from pathlib import Path

import docx
import lxml.html
import pdfplumber
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import (
    ACTIONS,
    LINK,
    MAILTO,
    REGISTER_HEADINGS,
    ROOT,
    UNKNOWN_REF,
    blocked_workspace,
    copy_example,
    default_returns,
    make_paper,
    make_row,
    make_workspace,
    untagged_furniture,
    write_xlsx,
)
from reportgen.diff.changes import (
    Span,
    diff_drafts,
    diff_to_json,
    human_text,
    new_text,
    old_text,
    same_action,
    word_diff,
)
from reportgen.diff.redline import redline_blocks, redline_cell, redline_narrative, redline_paper
from reportgen.diff.render import DiffResult, compare_drafts, default_out
from reportgen.diff.summary import render_diff_html, with_notes, write_diff_docx, write_diff_pdf
from reportgen.drafts.folders import load_draft, load_manifest
from reportgen.errors import ReportgenError, UsageError
from reportgen.model import (
    Block,
    Inline,
    Paper,
    PaperCell,
    PaperRow,
    PaperSection,
    RichText,
    plain_text,
    tracked_mark,
)
from reportgen.render.docx.layout import page_headers, whole_change
from reportgen.render.docx.writer import write_docx
from reportgen.render.docx.xml import Element
from reportgen.run.build import build_draft
from reportgen.shells.cli import main

OLD_EXPLANATION = "Referrals are reviewed monthly by the victims board."
NEW_EXPLANATION = "Referrals are reviewed weekly by the victims board and partners."
NEW_ACTION = (7, "Justice", "OPCC", "Recruit volunteer ambassadors.", "18")
TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "paper.docx"
PAGE_FOOT = 18 * 72 / 25.4  # points: paper.css's bottom margin on a portrait page, where the footer is
W_INS, W_DEL, W_TR, W_TRPR = qn("w:ins"), qn("w:del"), qn("w:tr"), qn("w:trPr")


def settings(date: str) -> str:
    return textwrap.dedent(f"""\
        [paper]
        meeting = "Police and Crime Panel"
        date = {date}
        title = "Test Delivery Plan"
        submitted_by = "Chief Executive, OPCC"
        [history]
        progress = false  # the round trips below compare whole papers; a comparison leaves progress out
        """)


def september_returns() -> dict[str, list[tuple[object, ...]]]:
    returns = default_returns()
    returns["wessex-police.xlsx"] = [row if row[0] != 3 else (3, row[1], row[2], OLD_EXPLANATION, row[4])
                                     for row in returns["wessex-police.xlsx"]]
    return returns


def october_returns() -> dict[str, list[tuple[object, ...]]]:
    changes = {2: {2: "Completed"}, 3: {2: "In progress", 3: NEW_EXPLANATION}, 4: {4: "Summer 2027"}}
    returns = {}
    for name, rows in september_returns().items():
        if name == "criminal-justice-board.xlsx":  # action 5 is withdrawn: its lead has nothing to return
            continue
        returns[name] = [tuple(changes.get(row[0], {}).get(i, v) for i, v in enumerate(row))  # type: ignore[call-overload]
                         for row in rows]
    returns["opcc.xlsx"].append((7, NEW_ACTION[3], "Not started", "Recruitment opens in the spring.", "2027"))
    return returns


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("workspace")
    make_workspace(root, "2026-09", settings("2026-10-08"), returns=september_returns())
    old = build_draft(root, "2026-09").folder
    register = [REGISTER_HEADINGS, *(a for a in ACTIONS if a[0] != 5), NEW_ACTION]
    make_workspace(root, "2026-10", settings("2026-11-05"), returns=october_returns(), register=register)
    new = build_draft(root, "2026-10").folder
    return old, new


@pytest.fixture(scope="module")
def result(drafts: tuple[Path, Path]) -> DiffResult:
    return compare_drafts(*drafts)


@pytest.fixture(scope="module")
def diff_json(result: DiffResult) -> dict[str, object]:
    data = json.loads((result.folder / "diff.json").read_text(encoding="utf-8"))
    assert data["schema"] == 1 and data["empty"] is False
    return data["diff"]  # type: ignore[no-any-return]


def spans(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"op": op, "text": text} for op, text in pairs]


# ---------------------------------------------------------------- diff.json


def test_json_lists_the_status_moves(diff_json) -> None:
    assert diff_json["moves"] == [
        {"ref": 2, "action": "Publish the commissioning plan.", "old": "In progress", "new": "Completed"},
        {"ref": 3, "action": "Review victim referrals.", "old": "Not started", "new": "In progress"},
    ]


def test_json_lists_the_added_and_withdrawn_actions(diff_json) -> None:
    assert diff_json["added"] == [{"ref": 7, "action": "Recruit volunteer ambassadors.", "section": "Justice",
                                   "lead": "OPCC", "status": "Not started", "back": ""}]
    assert diff_json["withdrawn"] == [{"ref": 5, "action": "Measure file quality.", "section": "Justice",
                                       "lead": "Criminal Justice Board", "status": "On hold", "back": ""}]


def test_json_lists_exactly_the_reworded_fields_word_by_word(diff_json) -> None:
    assert diff_json["changed"] == [
        {"ref": 3, "action": "Review victim referrals.", "section": "Victims", "changes": [{
            "field": "explanation", "old": OLD_EXPLANATION, "new": NEW_EXPLANATION,
            "words": spans(("equal", "Referrals are reviewed "), ("delete", "monthly"), ("insert", "weekly"),
                           ("equal", " by the victims board"), ("insert", " and partners"), ("equal", ".")),
            "links": []}]},
        {"ref": 4, "action": "Fund an advocacy service.", "section": "Victims", "changes": [{
            "field": "timeframe", "old": "Spring 2027", "new": "Summer 2027",
            "words": spans(("delete", "Spring"), ("insert", "Summer"), ("equal", " 2027")), "links": []}]},
    ]


def test_json_lists_cover_sheet_changes_and_counts_then_and_now(diff_json) -> None:
    assert diff_json["cover"] == [{"field": "DATE", "old": "08 October 2026", "new": "05 November 2026",
                                   "words": spans(("delete", "08 October"), ("insert", "05 November"),
                                                  ("equal", " 2026")), "links": []}]
    counts = [(c["status"], c["old"], c["new"]) for c in diff_json["counts"]]
    assert counts == [("Completed", 2, 3), ("In progress", 2, 2), ("Not started", 1, 1), ("On hold", 1, 0)]
    assert diff_json["total"] == {"status": "Total", "old": 6, "new": 6}
    assert [s["op"] for s in diff_json["narrative"]] == ["equal", "delete", "insert", "equal"]


def test_json_names_both_drafts(diff_json) -> None:
    assert (diff_json["old"]["draft"], diff_json["new"]["draft"]) == ("2026-09/draft-01", "2026-10/draft-01")


# ---------------------------------------------------------------- diff.docx


def plan_table(document: docx.document.Document) -> docx.table.Table:
    return document.tables[-1]


def row_change(tr: object) -> str:
    tr_pr = tr.find(W_TRPR)  # type: ignore[attr-defined]
    for tag, name in ((W_INS, "ins"), (W_DEL, "del")):
        if tr_pr is not None and tr_pr.find(tag) is not None:
            return name
    return ""


def all_text(element: object) -> str:
    """Every w:t and w:delText under `element` (python-docx's .text skips tracked runs)."""
    return "".join(node.text or "" for node in element.iter(qn("w:t"), qn("w:delText")))  # type: ignore[attr-defined]


def tracked_texts(element: object) -> list[tuple[str, str]]:
    """(ins|del, text) of every tracked run group inside `element`, in document order."""
    found = []
    for mark in element.iter(W_INS, W_DEL):  # type: ignore[attr-defined]
        if mark.getparent().tag == W_TRPR:
            continue
        found.append(("ins" if mark.tag == W_INS else "del", all_text(mark)))
    return found


def reject_all(document: docx.document.Document) -> docx.document.Document:
    """What Word's "Reject All Changes" does to the text: inserted rows and words go, deleted ones stay
    (in the body and the page headers)."""
    for root in (document.element.body, *page_headers(document)):
        _reject(root)
    return document


def _reject(body: Element) -> None:
    for tr in list(body.iter(W_TR)):
        if row_change(tr) == "ins":
            tr.getparent().remove(tr)
        elif row_change(tr) == "del":
            tr.find(W_TRPR).remove(tr.find(W_TRPR).find(W_DEL))
    for change in list(body.iter(qn("w:tcPrChange"))):  # a cell's shading changed: the old properties
        tc_pr = change.getparent()
        tc_pr.getparent().replace(tc_pr, change.find(qn("w:tcPr")))
    for change in list(body.iter(qn("w:pPrChange"))):  # a paragraph's properties changed: the old ones
        p_pr = change.getparent()
        kept = p_pr.find(W_RPR_TAG)
        old = change.find(qn("w:pPr"))
        for child in list(p_pr):
            p_pr.remove(child)
        for child in [*old, *([kept] if kept is not None else [])]:
            p_pr.append(child)
    _join_marked(body, W_INS)  # an inserted paragraph mark goes: the paragraph joins the next
    for mark in list(body.iter(W_INS)):
        mark.getparent().remove(mark)
    for mark in list(body.iter(W_DEL)):
        _unwrap(mark)
    for node in body.iter(qn("w:delText")):
        node.tag = qn("w:t")


def accept_all(document: docx.document.Document) -> docx.document.Document:
    for root in (document.element.body, *page_headers(document)):
        _accept(root)
    return document


def _accept(body: Element) -> None:
    for change in list(body.iter(qn("w:pPrChange"))):
        change.getparent().remove(change)
    _join_marked(body, W_DEL)  # a deleted paragraph mark goes: the paragraph joins the next
    for tr in list(body.iter(W_TR)):
        if row_change(tr) == "del":
            tr.getparent().remove(tr)
        elif row_change(tr) == "ins":
            tr.find(W_TRPR).remove(tr.find(W_TRPR).find(W_INS))
    for mark in [*body.iter(W_DEL), *body.iter(qn("w:tcPrChange"))]:
        mark.getparent().remove(mark)
    for mark in list(body.iter(W_INS)):
        _unwrap(mark)


W_RPR_TAG = qn("w:rPr")


def _join_marked(body: Element, tag: str) -> None:
    """As Word does when a paragraph mark goes: the paragraph's content joins the start of the next
    paragraph, which keeps its own properties; a paragraph with no paragraph after it in its container (a
    cell's last, before a table) goes, and must then hold nothing but what goes with it."""
    for paragraph in list(body.iter(qn("w:p"))):
        mark = paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{tag}")
        if mark is None:
            continue
        mark.getparent().remove(mark)
        after = paragraph.getnext()
        if after is None or after.tag != qn("w:p"):
            assert not [t for t in paragraph.iter(qn("w:t")) if t.getparent().getparent().tag != tag]
            paragraph.getparent().remove(paragraph)
            continue
        start = 1 if after.find(qn("w:pPr")) is not None else 0
        for offset, child in enumerate([child for child in paragraph if child.tag != qn("w:pPr")]):
            after.insert(start + offset, child)
        paragraph.getparent().remove(paragraph)


def _unwrap(element: object) -> None:
    parent = element.getparent()  # type: ignore[attr-defined]
    index = parent.index(element)
    for offset, child in enumerate(list(element)):  # type: ignore[call-overload]
        parent.insert(index + offset, child)
    parent.remove(element)


def table_text(document: docx.document.Document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in plan_table(document).rows]


def body_paragraphs(document: docx.document.Document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def open_docx(path: Path) -> docx.document.Document:
    return docx.Document(str(path))


def test_docx_opens_and_marks_exactly_the_changed_words(result: DiffResult) -> None:
    document = open_docx(result.folder / "diff.docx")
    rows = plan_table(document).rows
    kept = [row._tr for row in rows if not row_change(row._tr)]
    assert [t for tr in kept for t in tracked_texts(tr)] == [
        ("del", "In progress"), ("ins", "Completed"),  # action 2's status
        ("del", "Not started"), ("ins", "In progress"),  # action 3's status
        ("del", "monthly"), ("ins", "weekly"), ("ins", " and partners"),  # action 3's explanation
        ("del", "Spring"), ("ins", "Summer"),  # action 4's timeframe
    ]
    narrative = [t for p in document.paragraphs for t in tracked_texts(p._p)]
    assert narrative == [("del", "2"), ("ins", "3")]


def cover_table(document: docx.document.Document) -> list[list[str]]:
    table = next(t for t in document.tables if t.rows and t.rows[0].cells[0].text.strip() == "MEETING")
    return [[all_text(cell._tc) for cell in row.cells] for row in table.rows]


def test_docx_tracks_the_cover_sheet_change_word_by_word(result: DiffResult) -> None:
    document = open_docx(result.folder / "diff.docx")
    table = next(t for t in document.tables if t.rows and t.rows[0].cells[0].text.strip() == "MEETING")
    marked = {row.cells[0].text.strip(): tracked_texts(row._tr) for row in table.rows if tracked_texts(row._tr)}
    assert marked == {"DATE": [("del", "08 October"), ("ins", "05 November")]}
    date = next(row for row in table.rows if row.cells[0].text.strip() == "DATE")
    assert date.cells[1].paragraphs[0].style.name == "Table Text"  # the template's formatting is kept
    diff_docx, old, new = result.folder / "diff.docx", result.old / "paper.docx", result.new / "paper.docx"
    assert cover_table(reject_all(open_docx(diff_docx))) == cover_table(open_docx(old))
    assert cover_table(accept_all(open_docx(diff_docx))) == cover_table(open_docx(new))
    assert cover_table(open_docx(old)) != cover_table(open_docx(new))



@pytest.mark.parametrize(("old_value", "new_value"), [
    ("None identified", "None identified\nThe Board will review the risk register in March."),
    ("None identified\nThe Board will review the risk register in March.", "None identified"),
])
def test_docx_tracks_a_cover_value_that_gains_or_loses_a_line(tmp_path: Path, old_value: str,
                                                               new_value: str) -> None:
    # a value of two lines is one paragraph with a line break: its words were read run together, the row
    # was not found, and the new value stood in diff.docx untracked, the change nowhere to be seen there
    def build(value: str) -> Path:
        toml = settings("2026-11-05").replace("[history]", f"risk_implications = {json.dumps(value)}\n[history]")
        make_workspace(tmp_path / "ws", toml=toml)
        return build_draft(tmp_path / "ws").folder

    old, new = build(old_value), build(new_value)
    result = compare_drafts(old, new)
    document = open_docx(result.folder / "diff.docx")
    table = next(t for t in document.tables if t.rows and t.rows[0].cells[0].text.strip() == "MEETING")
    marked = {row.cells[0].text.strip(): tracked_texts(row._tr) for row in table.rows if tracked_texts(row._tr)}
    change = "ins" if new_value != "None identified" else "del"
    assert marked == {"RISK IMPLICATIONS": [(change, "The Board will review the risk register in March.")]}
    row = next(row for row in table.rows if row.cells[0].text.strip() == "RISK IMPLICATIONS")
    assert [mark.tag for mark in row._tr.iter(W_INS, W_DEL) if mark.find(f".//{qn('w:br')}") is not None] == [
        W_INS if change == "ins" else W_DEL]  # the line break goes and comes with the line
    assert cover_table(reject_all(open_docx(result.folder / "diff.docx"))) == cover_table(open_docx(old / "paper.docx"))
    assert cover_table(accept_all(open_docx(result.folder / "diff.docx"))) == cover_table(open_docx(new / "paper.docx"))

def test_a_cover_row_of_the_panels_own_added_changed_or_left_out_is_tracked(tmp_path: Path) -> None:
    """Between two drafts the officer changes the contact officer's number, adds an environmental
    implications row after the financial one and leaves the risk implications row out: the summary says
    which rows came and went, and diff.docx tracks the changed number word by word and the two rows as a row
    inserted and a row deleted, so that rejecting every change gives the old cover sheet and accepting every
    change the new one (a row only one draft had stood untracked, or not at all)."""
    own = textwrap.dedent("""\
        risk_implications = "Reviewed monthly by the Board."
        [[paper.cover]]
        heading = "CONTACT OFFICER"
        value = "Jo Harding, 01962 871111"
        after = "submitted_by"
        """)

    def build(extra: str) -> Path:
        make_workspace(tmp_path / "ws", toml=settings("2026-11-05").replace("[history]", extra + "[history]"))
        return build_draft(tmp_path / "ws").folder

    old = build(own)
    new = build(own.replace("871111", "871234").replace('risk_implications = "Reviewed monthly by the Board."',
                                                         'cover_leave_out = ["risk_implications"]')
                + '[[paper.cover]]\nheading = "ENVIRONMENTAL IMPLICATIONS"\nvalue = "None identified"\n'
                  'after = "financial_implications"\n')
    result = compare_drafts(old, new)
    note = ("The cover sheet changed: the new draft adds the row 'ENVIRONMENTAL IMPLICATIONS' and leaves out the "
            "row 'RISK IMPLICATIONS'.")
    assert note in human_text(result.diff)
    assert "CONTACT OFFICER: Jo Harding, 01962 [-871111-]{+871234+}" in human_text(result.diff)
    assert note in " ".join(unescape(re.sub(r"<[^>]+>", " ", (result.folder / "diff.html").read_text())).split())
    rows = json.loads((result.folder / "diff.json").read_text())["diff"]["cover_rows"]
    assert [(row["field"], row["old"], row["new"]) for row in rows] == [
        ("ENVIRONMENTAL IMPLICATIONS", "", "ENVIRONMENTAL IMPLICATIONS"),
        ("RISK IMPLICATIONS", "RISK IMPLICATIONS", "")]
    document = open_docx(result.folder / "diff.docx")
    table = next(t for t in document.tables if t.rows and t.rows[0].cells[0].text.strip() == "MEETING")
    whole = {all_text(row.cells[0]._tc): row_change(row._tr) for row in table.rows if row_change(row._tr)}
    assert whole == {"ENVIRONMENTAL IMPLICATIONS": "ins", "RISK IMPLICATIONS": "del"}
    contact = next(row for row in table.rows if row.cells[0].text.strip() == "CONTACT OFFICER")
    assert tracked_texts(contact._tr) == [("del", "871111"), ("ins", "871234")]
    assert cover_table(reject_all(open_docx(result.folder / "diff.docx"))) == cover_table(open_docx(old / "paper.docx"))
    assert cover_table(accept_all(open_docx(result.folder / "diff.docx"))) == cover_table(open_docx(new / "paper.docx"))


def test_a_cover_row_re_headed_is_said_to_be_re_headed_not_added_and_left_out(tmp_path: Path) -> None:
    """The secretariat renames a built-in cover row (`cover_headings`) between two drafts: the summary said the new
    draft adds one row and leaves out another, and listed the same words as deleted and inserted. It now says the
    row is re-headed; diff.docx still tracks it as a row deleted and one inserted, so rejecting every change gives
    the old cover sheet."""
    def build(extra: str) -> Path:
        make_workspace(tmp_path / "ws", toml=settings("2026-11-05").replace("[history]", extra + "[history]"))
        return build_draft(tmp_path / "ws").folder

    old = build("")
    new = build('cover_headings = { equalities_impacts = "EQUALITY IMPLICATIONS" }\n')
    result = compare_drafts(old, new)
    text = human_text(result.diff)
    assert ("The cover sheet changed: the new draft re-heads the row 'EQUALITIES IMPACTS' as 'EQUALITY IMPLICATIONS' "
            "(the same words under it).") in text
    assert not re.search(r"\d+ cover sheet changes?:", text)  # no value listed as deleted and inserted: the same
    record = json.loads((result.folder / "diff.json").read_text())["diff"]
    assert [(row["old"], row["new"]) for row in record["cover_reheaded"]] == [
        ("EQUALITIES IMPACTS", "EQUALITY IMPLICATIONS")]
    assert cover_table(reject_all(open_docx(result.folder / "diff.docx"))) == cover_table(open_docx(old / "paper.docx"))
    assert cover_table(accept_all(open_docx(result.folder / "diff.docx"))) == cover_table(open_docx(new / "paper.docx"))


def test_docx_marks_the_added_and_withdrawn_actions_as_whole_rows(result: DiffResult) -> None:
    rows = plan_table(open_docx(result.folder / "diff.docx")).rows
    marked = {all_text(row._tr.tc_lst[0]): row_change(row._tr) for row in rows if row_change(row._tr)}
    assert marked == {"5": "del", "7": "ins"}
    for row in rows:
        change = row_change(row._tr)
        if change:  # every word of the row is tracked with it
            assert {kind for kind, _ in tracked_texts(row._tr)} == {change}
            assert "".join(text for _, text in tracked_texts(row._tr)) == all_text(row._tr)


def test_docx_revisions_carry_the_author_and_the_new_drafts_date(result: DiffResult) -> None:
    document = open_docx(result.folder / "diff.docx")
    marks = list(document.element.body.iter(W_INS, W_DEL))
    created = load_draft(result.new)[1].created
    assert marks and {m.get(qn("w:author")) for m in marks} == {"reportgen"}
    assert {m.get(qn("w:date"))[:10] for m in marks} == {created[:10]}
    ids = [m.get(qn("w:id")) for m in marks]
    assert len(set(ids)) == len(ids)


def test_rejecting_every_change_gives_back_the_old_paper(result: DiffResult) -> None:
    old = open_docx(result.old / "paper.docx")
    rejected = reject_all(open_docx(result.folder / "diff.docx"))
    assert table_text(rejected) == table_text(old)
    assert body_paragraphs(rejected) == body_paragraphs(old)


def test_accepting_every_change_gives_the_new_paper(result: DiffResult) -> None:
    new = open_docx(result.new / "paper.docx")
    accepted = accept_all(open_docx(result.folder / "diff.docx"))
    assert table_text(accepted) == table_text(new)
    assert body_paragraphs(accepted) == body_paragraphs(new)


# ---------------------------------------------------------------- diff.html and diff.pdf


def html_table(result: DiffResult, css: str) -> list[list[str]]:
    tree = lxml.html.fromstring((result.folder / "diff.html").read_text(encoding="utf-8"))
    table = tree.find_class(css)[-1]
    return [[cell.text_content().strip() for cell in tr] for tr in table.iter("tr")]


def test_html_summary_shows_counts_then_and_now(result: DiffResult) -> None:
    assert html_table(result, "counts") == [
        ["Status", "Then", "Now", "Change"],
        ["Completed", "2", "3", "+1"],
        ["In progress", "2", "2", "no change"],
        ["Not started", "1", "1", "no change"],
        ["On hold", "1", "0", "−1"],
        ["Total", "6", "6", "no change"],
    ]


def test_html_summary_names_each_moved_action(result: DiffResult) -> None:
    assert html_table(result, "moves") == [
        ["Plan priority", "Action", "Was", "Now"],
        ["2", "Publish the commissioning plan.", "In progress", "Completed"],
        ["3", "Review victim referrals.", "Not started", "In progress"],
    ]


def test_the_summary_heads_the_action_number_column_as_the_plan_does(result: DiffResult) -> None:
    """The register heads its number column "Plan priority", and so does the paper; the comparison's tables of
    status moves and of actions added and withdrawn were headed "Ref", a name the reader met nowhere else. In
    diff.html, diff.pdf and diff.docx alike, every table listing actions by number now heads it as the plan does."""
    tables = ("moves", "added", "withdrawn")
    tree = lxml.html.fromstring((result.folder / "diff.html").read_text(encoding="utf-8"))
    assert [[th.text_content() for th in tree.find_class(css)[0].iter("th")][:2] for css in tables] == [
        ["Plan priority", "Action"]] * 3
    with pdfplumber.open(result.folder / "diff.pdf") as pdf:
        headed = [table[0] for page in pdf.pages for table in page.extract_tables() if "Action" in table[0]]
    assert [" ".join(row[0].split()) for row in headed] == ["Plan priority"] * 3, headed  # no word broken
    document = open_docx(result.folder / "diff.docx")
    numbered = [table.rows[0].cells[0].text for table in document.tables if table.rows[0].cells[1].text == "Action"]
    assert numbered == ["Plan priority"]  # the plan table itself; nothing there is headed "Ref"
    assert "Ref" not in [cell.text for table in document.tables for cell in table.rows[0].cells]


def test_html_summary_redlines_each_reworded_action(result: DiffResult) -> None:
    html = (result.folder / "diff.html").read_text(encoding="utf-8")
    gap = '<span class="gap"> </span>'  # a real space between a deletion and the insertion right after it
    assert f'<del>monthly</del>{gap}<ins>weekly</ins> by the victims board<ins> and partners</ins>.' in html
    assert f'<del>Spring</del>{gap}<ins>Summer</ins> 2027' in html
    assert "<ins>Recruit volunteer ambassadors.</ins>" in html and "<del>Measure file quality.</del>" in html
    assert "No changes" not in html


def test_pdf_is_the_summary(result: DiffResult) -> None:
    text = "\n".join(page.extract_text() for page in PdfReader(result.folder / "diff.pdf").pages)
    for words in ("Counts then and now", "Status moves", "Publish the commissioning plan.", "Changed wording"):
        assert words in text
    assert "Page 1 of" in text and untagged_furniture(result.folder / "diff.pdf") == []  # PDF/UA: an artifact


def test_pdf_never_ends_a_page_with_the_narratives_headings(result: DiffResult, tmp_path: Path) -> None:
    """With enough changes above it, diff.pdf's page ended with the heading "Narrative" and the narrative's own
    title (a bold line), the narrative's words on the next page. The section is pushed down a point at a time
    across the foot of a page (its title just fitting, then not): each heading stays with the words after it."""
    html = (result.folder / "diff.html").read_text(encoding="utf-8")
    section = '<section class="narrative-changes">'
    assert html.count(section) == 1

    def last_lines(pad: float) -> tuple[list[str], list[str]]:
        """(each page's last line above its footer, the narrative's lines) with `pad` points above the section."""
        out = tmp_path / f"pushed-{pad:g}.pdf"
        write_diff_pdf(html.replace(section, f'<div style="height: {pad:g}pt"></div>{section}'), ROOT / "templates",
                       out)
        with pdfplumber.open(out) as pdf:
            pages = [[line for line in page.extract_text_lines() if line["bottom"] < page.height - PAGE_FOOT]
                     for page in pdf.pages]
        texts = [line["text"] for lines in pages for line in lines]
        return [lines[-1]["text"] for lines in pages if lines], texts[texts.index("Narrative"):]

    def title_bottom() -> tuple[float, float]:
        """Where the narrative's title ends, and the foot of the page it is on (points from the top)."""
        with pdfplumber.open(result.folder / "diff.pdf") as pdf:
            for page in pdf.pages:
                lines = page.extract_text_lines()
                at = next((i for i, line in enumerate(lines) if line["text"] == "Narrative"), None)
                if at is not None:
                    return lines[at + 1]["bottom"], page.height - PAGE_FOOT
        raise AssertionError("no Narrative heading in diff.pdf")

    bottom, foot = title_bottom()
    _ends, narrative = last_lines(0)
    assert narrative[:2] == ["Narrative", "Delivery"] and len(narrative) > 2  # the title, then its words
    for pad in range(int(foot - bottom) - 24, int(foot - bottom) + 3, 3):  # the title at the foot, or just past it
        ends, _narrative = last_lines(pad)
        assert not {"Narrative", "Delivery"} & set(ends), (pad, ends)


# ---------------------------------------------------------------- folders, self-comparison, CLI


def test_default_folder_is_beside_the_drafts_never_inside(drafts, result: DiffResult) -> None:
    old, new = drafts
    assert result.folder == new.parent / "compare" / "2026-09-draft-01-to-2026-10-draft-01"
    assert sorted(p.name for p in result.folder.iterdir()) == ["diff.docx", "diff.html", "diff.json", "diff.pdf"]
    listed = {f.path for f in load_draft(new)[1].outputs} | {"manifest.json"}
    assert {p.relative_to(new).as_posix() for p in new.rglob("*")} == listed
    assert default_out(old, old) == old.parent / "compare" / "draft-01-to-draft-01"
    assert default_out(old, Path("elsewhere/final")) == Path("elsewhere/final-compare-draft-01")


def test_an_existing_folder_is_never_overwritten(drafts, result: DiffResult) -> None:
    with pytest.raises(ReportgenError, match="already holds a comparison of these two drafts"):
        compare_drafts(*drafts)
    with pytest.raises(ReportgenError, match="never written to"):
        compare_drafts(*drafts, out=drafts[1] / "diff")


def test_the_same_comparison_made_again_says_what_to_do(drafts, tmp_path: Path, capsys) -> None:
    """A reviewer compares the same two drafts again (a template was changed since): the comparison
    refused with 'already exists and is not empty' for a folder the reviewer never named; it now says
    the folder holds that comparison, and how to make it again. The first comparison stays as it was."""
    old, new = _workspace_copy(drafts, tmp_path / "ws")
    assert main(["diff", str(old), str(new)]) == 0
    folder = Path(capsys.readouterr().out.splitlines()[-1])
    before = {path: path.read_bytes() for path in folder.iterdir()}
    assert main(["diff", str(old), str(new)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"{folder} already holds a comparison of these two drafts: not overwriting it; give another folder " \
        "with --out, or move that one away, to compare them again" in err
    assert {path: path.read_bytes() for path in folder.iterdir()} == before
    assert main(["diff", str(old), str(new), "--out", str(folder)]) == 2
    assert "already exists and is not empty: not overwriting it; choose another --out" in \
        " ".join(capsys.readouterr().err.split())


def test_the_comparison_goes_nowhere_a_builds_out_may_not(drafts, tmp_path: Path) -> None:
    """Found by a reviewer: a comparison could be written into another kept draft, into the inputs (a
    folder there is then reported as a stray return), under a hidden name, or as an empty draft-NN
    folder a later build read as a damaged draft."""
    old, new = drafts
    workspace = new.parent.parent.parent
    other = tmp_path / "third"  # another kept draft: a copy of one, with its manifest
    shutil.copytree(old, other)
    refused = {
        other / "cmp": "inside the kept draft",
        workspace / "inputs" / "returns" / "2026-11" / "cmp": "inside the workspace's inputs folder",
        tmp_path / ".hidden": "hidden folder name",
        new.parent / "draft-09": "named like a draft folder",
    }
    for out, why in refused.items():
        with pytest.raises(UsageError, match=why):
            compare_drafts(old, new, out=out)
        assert not out.exists()
    assert {p.name for p in other.iterdir()} == {p.name for p in old.iterdir()}


def test_a_draft_compared_with_its_copy_has_no_changes(drafts, tmp_path: Path) -> None:
    new = drafts[1]
    paper, _ = load_draft(new)
    assert diff_drafts(paper, paper).is_empty
    copy = tmp_path / "copy"  # a draft built again with nothing changed: the same paper
    shutil.copytree(new, copy)
    same = compare_drafts(new, copy, out=tmp_path / "same")
    assert same.diff.is_empty
    assert json.loads((same.folder / "diff.json").read_text(encoding="utf-8"))["empty"] is True
    assert "No changes" in (same.folder / "diff.html").read_text(encoding="utf-8")
    document = open_docx(same.folder / "diff.docx")
    assert not list(document.element.body.iter(W_INS, W_DEL))
    assert table_text(document) == table_text(open_docx(new / "paper.docx"))


def test_one_draft_given_twice_is_refused_and_nothing_is_written(drafts, tmp_path: Path, capsys) -> None:
    """A reviewer who completes the second folder's name to the first's is told so, rather than shown "No
    changes." and left a comparison folder of a draft with itself."""
    _old, new = _workspace_copy(drafts, tmp_path / "ws")
    compare = new.parent / "compare"
    assert main(["diff", str(new), str(new.parent / ".." / new.parent.name / new.name)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"{new} is given as both drafts: give the earlier draft first, then the later one" in err
    assert not compare.exists()


def test_a_long_explanation_changed_by_one_word_prints_that_word_in_its_sentence(tmp_path: Path, capsys) -> None:
    """The printed summary of a 1,200-character explanation with one word changed showed all of it; it now shows
    the change with twelve words either side ('…' for the rest). diff.json keeps every word."""
    sentences = [f"Sentence {n} says the partnership met on the {n}th and agreed the next steps for the board."
                 for n in range(1, 16)]
    long = " ".join(sentences)
    changed = long.replace("met on the 8th", "met again on the 8th")
    printed, line = _explanation_diffed(tmp_path, capsys, long, changed)
    assert line == ("Explanation: … the next steps for the board. Sentence 8 says the partnership "
                    "met{+ again+} on the 8th and agreed the next steps for the board. Sentence …")
    record = json.loads((Path(printed.splitlines()[-1]) / "diff.json").read_text(encoding="utf-8"))
    [action] = [a for a in record["diff"]["changed"] if a["ref"] == 1]
    assert action["changes"][0]["new"] == changed


def test_a_link_moved_to_another_address_is_printed_with_both_addresses(tmp_path: Path, capsys) -> None:
    """Only the address of a partner's link changed between two drafts (January's minutes for February's): the
    printed summary listed the action as reworded with an empty 'Explanation:' line, the words being the same."""
    _printed, line = _explanation_diffed(tmp_path, capsys, "See [the minutes](https://example.org/minutes-jan).",
                                         "See [the minutes](https://example.org/minutes-feb).")
    assert line == "Explanation: link 'the minutes': [-https://example.org/minutes-jan-]{+https://example.org/minutes-feb+}"


def _explanation_diffed(tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str) -> tuple[str, str]:
    """Two drafts, action 1's explanation `old` then `new`, compared with `reportgen diff`: what it printed, and
    its one 'Explanation:' line (stripped)."""
    returns = default_returns()
    police = returns["wessex-police.xlsx"]
    police[1] = (1, police[1][1], "In progress", old, "Spring 2027")
    root = make_workspace(tmp_path / "ws", returns=returns)
    first = build_draft(root).folder
    police[1] = (1, police[1][1], "In progress", new, "Spring 2027")
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "wessex-police.xlsx", police)
    second = build_draft(root).folder
    capsys.readouterr()
    assert main(["diff", str(first), str(second)]) == 0
    printed = capsys.readouterr().out
    [line] = [line for line in printed.splitlines() if line.strip().startswith("Explanation:")]
    return printed, line.strip()


def test_actions_whose_only_change_is_their_status_note_are_not_said_to_be_reworded(tmp_path: Path, capsys) -> None:
    """Only Wessex Police sends a return in October: the other leads' actions keep September's words under
    reportgen's note "No update received this period". The printed summary listed them as reworded, as if a
    partner had changed them."""
    returns = default_returns()
    root = make_workspace(tmp_path / "ws", period="2026-09", returns=returns)
    police = [returns["wessex-police.xlsx"][0], *(
        (ref, text, status, f"{explanation} Reviewed in October.", timeframe)
        for ref, text, status, explanation, timeframe in returns["wessex-police.xlsx"][1:])]
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "wessex-police.xlsx", police)
    september, october = build_draft(root, "2026-09").folder, build_draft(root, "2026-10").folder
    capsys.readouterr()
    assert main(["diff", str(september), str(october)]) == 0
    lines = capsys.readouterr().out.splitlines()
    others = [ref for ref, _section, lead, _text, _page in ACTIONS if lead != "Wessex Police"]
    assert f"{len(others)} actions with only their status note changed:" in lines
    assert f"{len(police) - 1} actions reworded:" in lines
    notes = [line for line in lines if line.startswith("    Status note: ")]
    assert len(notes) == len(others) and all("No update received this period" in line for line in notes)


def test_a_status_corrected_is_one_move_not_also_a_status_note_change(tmp_path: Path, capsys) -> None:
    """A partner's 'Compelted' corrected to 'Completed' between two drafts: the summary, diff.json and diff.pdf listed
    the action as a status move and again as an action 'with only its status note changed' (the note 'Status not
    recognised' goes with the status)."""
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "Publish the commissioning plan.", "Compelted", "Published.", "")
    root = make_workspace(tmp_path / "ws", returns=returns)
    first = build_draft(root, "2026-10").folder
    returns["opcc.xlsx"][1] = (2, "Publish the commissioning plan.", "Completed", "Published.", "")
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "opcc.xlsx", returns["opcc.xlsx"])
    second = build_draft(root, "2026-10").folder
    capsys.readouterr()
    assert main(["diff", str(first), str(second), "--out", str(tmp_path / "diff")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "1 status move:" in lines and "  2 Publish the commissioning plan.: Compelted -> Completed" in lines
    assert not [line for line in lines if "status note" in line.lower()]
    html = (tmp_path / "diff" / "diff.html").read_text(encoding="utf-8")
    assert "Compelted" in html and "Status not recognised" not in html and "Changed wording" not in html
    data = json.loads((tmp_path / "diff" / "diff.json").read_text(encoding="utf-8"))["diff"]
    assert [move["ref"] for move in data["moves"]] == [2]
    # the data keeps the note's change (the tracked changes undo it with the status)
    assert [[field["field"] for field in change["changes"]] for change in data["changed"]] == [["note"]]


def test_cli_diff_prints_a_summary_then_the_folder(drafts, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cli"
    assert main(["diff", str(drafts[0]), str(drafts[1]), "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == str(out)
    assert "  2 Publish the commissioning plan.: In progress -> Completed" in lines
    assert "    Explanation: Referrals are reviewed [-monthly-]{+weekly+} by the victims board{+ and partners+}." \
        in lines
    assert (out / "diff.json").is_file()
    # two periods: what each paper says of earlier periods is its own, and the reader is told so
    assert lines[1].startswith("Progress over time and each action's movement since the previous update are not")
    html = " ".join(unescape((out / "diff.html").read_text(encoding="utf-8")).split())
    assert "Progress over time and each action's movement since the previous update are not compared" in html
    assert "are they drafts of the same plan?" not in html  # two drafts of one plan
    # and in the redlined Word paper, which leaves progress over time out: a comment says why
    comments = [(c.author, c.text) for c in open_docx(out / "diff.docx").comments]
    assert comments == [("reportgen", "Progress over time and each action's movement since the previous update are "
                                      "not compared: each draft has its own.")]


def _built_on_clock(draft: Path, zone: str) -> str:
    """When the draft's record says it was built, on `zone`'s clock: "7 December 2026, 20:31 GMT"."""
    created = dt.datetime.fromisoformat(load_manifest(draft).created)
    local = (created if created.tzinfo else created.replace(tzinfo=dt.UTC)).astimezone(zoneinfo.ZoneInfo(zone))
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def test_the_comparison_gives_build_times_on_the_workspace_clock(tmp_path: Path, capsys) -> None:
    """A secretariat in Kolkata (`[schedule] timezone`) compares two drafts: each "built" time is on its own clock,
    named (IST, 05:30 ahead of UTC), in the command's line, diff.html and diff.json; the same drafts copied out of
    their workspace have no clock to go by, and say UTC."""
    root = copy_example(tmp_path / "ws")
    settings = root / "reportgen.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + '\n[schedule]\ntimezone = "Asia/Kolkata"\n',
                        encoding="utf-8")
    first = build_draft(root, period="2026-10").folder
    second = build_draft(root, period="2026-10").folder
    capsys.readouterr()
    assert main(["diff", str(first), str(second), "--out", str(tmp_path / "cmp")]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    built = [_built_on_clock(folder, "Asia/Kolkata") for folder in (first, second)]
    assert all(label.endswith(" IST") for label in built)
    assert line == (f"2026-10/draft-01 (meeting 05 November 2026; built {built[0]}) -> "
                    f"2026-10/draft-02 (meeting 05 November 2026; built {built[1]})")
    html = " ".join(unescape((tmp_path / "cmp" / "diff.html").read_text(encoding="utf-8")).split())
    assert f"built {built[0]}" in html and f"built {built[1]}" in html
    record = json.loads((tmp_path / "cmp" / "diff.json").read_text(encoding="utf-8"))["diff"]
    assert (record["old"]["built"], record["new"]["built"]) == tuple(built)
    # outside the workspace's outputs the draft has no workspace clock: UTC, said so
    loose = tmp_path / "loose"
    loose.mkdir()
    for folder in (first, second):
        shutil.copytree(folder, loose / folder.name)
    assert main(["diff", str(loose / first.name), str(loose / second.name), "--out", str(tmp_path / "cmp2")]) == 0
    assert f"built {_built_on_clock(first, 'UTC')})" in capsys.readouterr().out  # "… 14:31 UTC)"


def test_two_drafts_of_a_period_with_an_earlier_period_kept_between_them_say_so(tmp_path: Path, capsys) -> None:
    """The README's order: October's draft, then September's, then October's again, which now has
    "Progress over time" and movement notes the first did not. The comparison said "No changes: the two
    drafts say the same" though the new draft has a whole section more; it now says what the new draft
    adds, that it is not compared, and that nothing else changed."""
    root = copy_example(tmp_path / "ws")
    first = build_draft(root, period="2026-10").folder
    build_draft(root, period="2026-09")
    second = build_draft(root, period="2026-10").folder
    headings = [[p.text for p in open_docx(folder / "paper.docx").paragraphs] for folder in (first, second)]
    assert "Progress over time" not in headings[0] and "Progress over time" in headings[1]
    capsys.readouterr()
    out = tmp_path / "cli"
    assert main(["diff", str(first), str(second), "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    adds = ("The new draft adds Progress over time and each action's movement since the September 2026 update, "
            "which the old draft did not have; they are not compared.")
    assert lines[1:3] == [adds, "No other changes."]
    # two drafts of one period share their meeting date: when each was built tells them apart, on the
    # workspace's clock (Europe/London when reportgen.toml names no other): GMT or BST, never UTC
    built = [_built_on_clock(folder, "Europe/London") for folder in (first, second)]
    assert lines[0] == (f"2026-10/draft-01 (meeting 05 November 2026; built {built[0]}) -> "
                        f"2026-10/draft-02 (meeting 05 November 2026; built {built[1]})")
    assert built[0].endswith((" GMT", " BST"))
    html = " ".join(unescape((out / "diff.html").read_text(encoding="utf-8")).split())
    assert adds in html
    assert [c.text for c in open_docx(out / "diff.docx").comments] == [adds]
    assert "No other changes: the actions, the narrative and the cover sheet read the same." in html
    assert "the two drafts say the same" not in html
    record = json.loads((out / "diff.json").read_text(encoding="utf-8"))["diff"]
    assert (record["old"]["progress"], record["new"]["progress"], record["new"]["progress_from"]) == (
        False, True, "2026-09")
    # and the other way round: the old draft had it, the new one leaves it out
    assert main(["diff", str(second), str(first), "--out", str(tmp_path / "back")]) == 0
    back = capsys.readouterr().out.splitlines()
    assert "is later than the new one" in back[1]  # given the later draft first: said first
    assert back[2] == (
        "The new draft leaves out Progress over time and each action's movement since the September 2026 "
        "update, which the old draft had; they are not compared.")


def _diff_on_a_terminal(drafts: tuple[Path, Path], out: Path, **env: str) -> str:
    """What `reportgen diff` shows on a terminal (a pseudo-terminal: stdout is a tty)."""
    import os
    import pty
    import subprocess
    import sys

    main_end, child_end = pty.openpty()
    command = [sys.executable, "-m", "reportgen.shells.cli", "diff", str(drafts[0]), str(drafts[1]), "--out", str(out)]
    with subprocess.Popen(command, stdout=child_end, stderr=child_end, env=os.environ | {"TERM": "xterm"} | env) as run:
        os.close(child_end)
        shown = b""
        with contextlib.suppress(OSError):  # EIO once the command has ended and its side is closed
            while chunk := os.read(main_end, 65536):
                shown += chunk
        assert run.wait(120) == 0, shown
    os.close(main_end)
    return shown.decode()


def test_on_a_terminal_the_reworded_words_are_coloured_too(drafts, tmp_path: Path) -> None:
    """Red struck-through and green underlined as well as [-…-] and {+…+} (as git shows a word diff);
    piped, or with NO_COLOR set, the marks alone."""
    shown = _diff_on_a_terminal(drafts, tmp_path / "tty")
    assert "reviewed \x1b[9;31m[-monthly-]\x1b[0m\x1b[4;32m{+weekly+}\x1b[0m by the victims board" in shown, shown
    plain = _diff_on_a_terminal(drafts, tmp_path / "no-color", NO_COLOR="1")
    assert "\x1b[" not in plain and "reviewed [-monthly-]{+weekly+} by the victims board" in plain, plain


def test_drafts_of_two_plans_pair_no_actions_and_say_so(tmp_path: Path, capsys) -> None:
    """Two plans numbered alike: no action is paired with an unrelated one by its number (no status move,
    no rewording), in the printed summary, diff.json and diff.docx; each draft's actions stand alone."""
    ours = build_draft(make_workspace(tmp_path / "ours")).folder
    other = [REGISTER_HEADINGS, *((ref, section, lead, f"Another plan's action {ref}.", page)
                                  for ref, section, lead, _text, page in ACTIONS)]
    theirs = build_draft(make_workspace(tmp_path / "theirs", register=other)).folder
    out = tmp_path / "cmp"
    assert main(["diff", str(ours), str(theirs), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    note = ("These are drafts of different plans: none of the 6 action numbers both use holds the same action in "
            "each, so no action is paired with another: the old draft's 6 actions are all shown as withdrawn and "
            "the new draft's 6 as added.")
    assert note in printed.splitlines()[:3]
    assert "status move" not in printed and "reworded" not in printed and "Only 0" not in printed
    html = " ".join(unescape((out / "diff.html").read_text(encoding="utf-8")).split())
    assert note in html and "status move" not in html.casefold()
    found = json.loads((out / "diff.json").read_text(encoding="utf-8"))["diff"]
    assert (found["different_plans"], found["moves"], found["changed"]) == (True, [], [])
    assert [a["ref"] for a in found["withdrawn"]] == [a["ref"] for a in found["added"]] == [1, 2, 3, 4, 5, 6]
    rows = plan_table(open_docx(out / "diff.docx")).rows
    marks = [(all_text(row._tr.tc_lst[0]), row_change(row._tr)) for row in rows if row_change(row._tr)]
    assert sorted(marks) == sorted([(str(ref), change) for ref in range(1, 7) for change in ("del", "ins")])
    assert table_text(reject_all(open_docx(out / "diff.docx"))) == table_text(open_docx(ours / "paper.docx"))
    assert table_text(accept_all(open_docx(out / "diff.docx"))) == table_text(open_docx(theirs / "paper.docx"))


@pytest.mark.parametrize(("kept", "note"), [
    (1, "Only 1 of 6 actions is the same action in both drafts: are they drafts of the same plan?"),
    (2, "Only 2 of 6 actions are the same action in both drafts: are they drafts of the same plan?"),
])
def test_a_plan_mostly_rewritten_is_compared_by_number_with_a_warning(tmp_path: Path, capsys, kept: int,
                                                                        note: str) -> None:
    """One plan whose actions were mostly rewritten: a few alike (one in ten or more) still pair by number."""
    ours = build_draft(make_workspace(tmp_path / "ours")).folder
    rewritten = [REGISTER_HEADINGS, *((ref, section, lead, text if ref <= kept else f"A new aim number {ref}.", page)
                                      for ref, section, lead, text, page in ACTIONS)]
    theirs = build_draft(make_workspace(tmp_path / "theirs", register=rewritten)).folder
    assert main(["diff", str(ours), str(theirs), "--out", str(tmp_path / "cmp")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(note) for line in lines[:3])
    assert f"{6 - kept} actions reworded:" in lines and "different plans" not in " ".join(lines)


def test_an_action_tidied_or_lightly_reworded_is_still_the_same_action() -> None:
    assert same_action("Publish the commissioning plan.", "publish  the commissioning plan")
    assert same_action("Publish the commissioning plan.", "Publish the commissioning plan for 2027.")
    assert not same_action("Publish the commissioning plan.", "Measure file quality.")


def test_the_summary_says_when_blocking_issues_were_resolved_or_appeared(tmp_path: Path, capsys) -> None:
    root = blocked_workspace(tmp_path / "ws")
    blocked = build_draft(root).folder
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "opcc.xlsx", default_returns()["opcc.xlsx"])
    clean = build_draft(root).folder
    assert main(["diff", str(blocked), str(clean), "--out", str(tmp_path / "fixed")]) == 0
    resolved = "The old draft had 2 issues blocking publication; the new one has none (its draft marking is gone)."
    assert resolved in capsys.readouterr().out.splitlines()[:3]
    html = " ".join(unescape((tmp_path / "fixed" / "diff.html").read_text(encoding="utf-8")).split())
    assert resolved in html and "No changes" not in html
    assert main(["diff", str(clean), str(blocked), "--out", str(tmp_path / "broken")]) == 0
    appeared = ("The old draft had no issues blocking publication; the new one has 2 issues and is marked "
                "'DRAFT – not for publication: 2 issues to resolve'.")
    assert appeared in capsys.readouterr().out.splitlines()[:3]
    shutil.copytree(clean, tmp_path / "clean-again")  # the same paper built again
    assert main(["diff", str(clean), str(tmp_path / "clean-again"), "--out", str(tmp_path / "same")]) == 0
    assert "blocking publication" not in capsys.readouterr().out


def test_docx_tracks_the_issues_to_resolve_so_rejecting_all_gives_the_old_drafts_block(tmp_path: Path) -> None:
    """Issues that block publication open a draft. In diff.docx an issue resolved is a deleted line and a new
    one an inserted line; a draft that is no longer blocked shows the old block deleted whole, one newly
    blocked the new block inserted whole. Rejecting every change gives back the old draft's body, accepting
    every change the new one's."""
    root = blocked_workspace(tmp_path / "ws")
    returns = root / "inputs" / "returns" / "2026-10" / "opcc.xlsx"
    two = build_draft(root).folder  # actions 2 and 4 have a status nobody can count
    rows = default_returns()["opcc.xlsx"]
    write_xlsx(returns, [(row[0], row[1], "Maybe later", *row[3:]) if row[0] == 4 else row for row in rows])
    one = build_draft(root).folder  # action 2's fixed
    write_xlsx(returns, rows)
    clean = build_draft(root).folder
    heading = "Issues to resolve before publication"
    for old, new, name in ((two, one, "one-fixed"), (one, clean, "all-fixed"), (clean, two, "two-new")):
        assert main(["diff", str(old), str(new), "--out", str(tmp_path / name)]) == 0
        diff = open_docx(tmp_path / name / "diff.docx")
        assert body_paragraphs(reject_all(open_docx(tmp_path / name / "diff.docx"))) == body_paragraphs(
            open_docx(old / "paper.docx")), name
        assert body_paragraphs(accept_all(open_docx(tmp_path / name / "diff.docx"))) == body_paragraphs(
            open_docx(new / "paper.docx")), name
        marks = {mark for header in page_headers(diff) for mark in tracked_texts(header) if mark[1]}  # the marking
        assert marks == {"one-fixed": {("del", "2 issues"), ("ins", "1 issue")},
                         "all-fixed": {("del", "DRAFT – not for publication: 1 issue to resolve")},
                         "two-new": {("ins", "DRAFT – not for publication: 2 issues to resolve")}}[name], marks
        for document, draft in ((reject_all(open_docx(tmp_path / name / "diff.docx")), old),
                                (accept_all(open_docx(tmp_path / name / "diff.docx")), new)):
            assert header_texts(document) == header_texts(open_docx(draft / "paper.docx")), name
        block = [(change, text) for change, text in tracked_texts(diff.element.body)
                 if "is not recognised" in text or text in (heading, Paper.blocking_advice)]
        if name == "one-fixed":  # the heading and advice stay, unmarked; action 2's issue is deleted
            assert [change for change, _text in block] == ["del"] and "Action 2:" in block[0][1], block
        else:
            change = "del" if name == "all-fixed" else "ins"
            issues = 1 if name == "all-fixed" else 2
            assert block[:2] == [(change, heading), (change, Paper.blocking_advice)], block
            assert [c for c, _text in block[2:]] == [change] * issues, block


def test_cli_diff_refuses_a_folder_that_is_not_a_draft(drafts, tmp_path: Path, capsys) -> None:
    assert main(["diff", str(tmp_path), str(drafts[1]), "--out", str(tmp_path / "x")]) == 2
    assert "not a draft folder" in " ".join(capsys.readouterr().err.split())  # rich wraps long lines


# ---------------------------------------------------------------- word-level comparison


def test_whitespace_between_changes_joins_them() -> None:
    assert word_diff("Not started", "In progress") == (Span("delete", "Not started"), Span("insert", "In progress"))
    assert word_diff("same", "same") == ()


@given(st.text(), st.text())
def test_word_diff_gives_back_both_texts(old: str, new: str) -> None:
    words = word_diff(old, new)
    if old == new:
        assert words == ()
    else:
        assert (old_text(words), new_text(words)) == (old, new)


_WORDS = st.lists(st.sampled_from(["alpha", "beta", " ", "  ", ".", "gamma", "\t"]), max_size=6).map("".join)
_INLINES = st.lists(st.builds(Inline, _WORDS, bold=st.booleans()), max_size=3).map(tuple)
_BLOCKS = st.lists(st.builds(Block, st.sampled_from(["paragraph", "bullet"]), _INLINES), max_size=4).map(tuple)


def _text(blocks: RichText, drop: str) -> str:
    return "\n".join("".join(i.text for i in b.inlines if i.change != drop) for b in blocks)


@given(_BLOCKS, _BLOCKS)
def test_redline_blocks_reject_gives_old_and_accept_gives_new(old: RichText, new: RichText) -> None:
    redlined = redline_blocks(old, new)
    assert (_text(redlined, "ins"), _text(redlined, "del")) == (plain_text(old), plain_text(new))


_SOME_WORDS = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "."]), min_size=1, max_size=4).map(" ".join)
_NARRATIVE = st.lists(st.builds(Block, st.sampled_from(["paragraph", "bullet", "heading"]),
                                st.tuples(st.builds(Inline, _SOME_WORDS))), max_size=6).map(tuple)


def _kept(blocks: RichText, drop: str) -> list[tuple[str, str]]:
    """The blocks once every `drop` mark is resolved away: a block all of whose words go, goes."""
    return [(b.kind, "".join(i.text for i in b.inlines if i.change != drop)) for b in blocks
            if not all(i.change == drop for i in b.inlines)]


@given(_NARRATIVE, _NARRATIVE)
def test_redline_narrative_reject_gives_old_blocks_and_accept_gives_new(old: RichText, new: RichText) -> None:
    redlined = redline_narrative(old, new)
    assert _kept(redlined, "ins") == [(b.kind, b.text) for b in old]
    assert _kept(redlined, "del") == [(b.kind, b.text) for b in new]


def _resolved(blocks: RichText, drop: str) -> list[tuple[str, str]]:
    """A cell's redlined blocks as the DOCX writer lays them out and Word resolves them once every `drop` mark
    goes: one every word of which is marked is a paragraph only one draft has (`whole_change`), an empty unmarked
    one an empty paragraph both have, and one whose own paragraph mark is marked (`tracked_mark`: a line break
    only one draft has) joins the next paragraph, which keeps its kind."""
    kept: list[tuple[str, str]] = []
    carried = ""
    for block in blocks:
        bare, mark = tracked_mark(block)
        if mark is None and whole_change(bare) == drop:
            continue
        text = carried + "".join(i.text for i in bare.inlines if i.change != drop)
        carried = text if mark == drop else ""
        if mark != drop:
            kept.append((bare.kind, text))
    return kept


@given(_BLOCKS, _BLOCKS)
def test_redline_cell_reject_gives_old_blocks_and_accept_gives_new(old: RichText, new: RichText) -> None:
    redlined = redline_cell(old, new)
    for drop, version in (("ins", old), ("del", new)):
        assert _resolved(redlined, drop) == [(b.kind, b.text) for b in version]


def test_a_narrative_list_item_added_or_gone_is_an_item_in_the_comparison(tmp_path: Path) -> None:
    """A bullet only one draft has is its own list paragraph, inserted or deleted whole (it was a tracked
    line break inside the item before); a reworded one is redlined word by word where it is."""
    def bullet(text: str) -> Block:
        return Block("bullet", (Inline(text),))

    paper = make_paper(6, sections=2)
    old = dataclasses.replace(paper, narrative=(Block("paragraph", (Inline("Of the 6 actions:"),)),
                                                bullet("2 actions are Completed"), bullet("4 actions are On hold")))
    new = dataclasses.replace(paper, narrative=(Block("paragraph", (Inline("Of the 6 actions:"),)),
                                                bullet("3 actions are Completed"), bullet("2 actions are On hold"),
                                                bullet("1 action has no update this period")))
    for name, version in (("old.docx", old), ("new.docx", new)):
        write_docx(version, TEMPLATE, tmp_path / name)
    write_diff_docx(old, new, diff_drafts(old, new), TEMPLATE, tmp_path / "diff.docx")
    diff = open_docx(tmp_path / "diff.docx")
    added = next(p for p in diff.paragraphs if "no update" in all_text(p._p))
    assert added.style.name == "List Bullet" and tracked_texts(added._p) == [
        ("ins", ""), ("ins", "1 action has no update this period")]  # its paragraph mark, then its words
    for resolved, version in ((reject_all, "old.docx"), (accept_all, "new.docx")):
        document = resolved(open_docx(tmp_path / "diff.docx"))
        assert [(p.style.name, p.text) for p in document.paragraphs if not _break_alone(p)] == [
            (p.style.name, p.text) for p in open_docx(tmp_path / version).paragraphs], version
    html = lxml.html.fromstring(render_diff_html(diff_drafts(old, new), old, new, TEMPLATE.parent))
    items = [li.text_content() for li in html.find_class("narrative-changes")[0].iter("li")]
    assert items[-1] == "1 action has no update this period", items


def _break_alone(paragraph: docx.text.paragraph.Paragraph) -> bool:
    """An empty paragraph holding only the plan's section break: the comparison keeps it where the line before the
    plan is a tracked insertion (rejecting it would take the break with it); a paper hands the break to that line."""
    return not paragraph.text and paragraph._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None


def _explained(paper: Paper, ref: int, raw: str) -> Paper:
    """`paper` with action `ref`'s explanation as a build keeps what a partner wrote (parsed into blocks)."""
    from reportgen.read.richtext import parse_explanation

    rich = parse_explanation(raw)
    cell = PaperCell("explanation", plain_text(rich), rich)
    return dataclasses.replace(paper, sections=tuple(dataclasses.replace(section, rows=tuple(
        dataclasses.replace(_with_cells(row, explanation=cell), explanation=raw) if row.ref == ref else row
        for row in section.rows)) for section in paper.sections))


def _cell_paragraphs(document: docx.document.Document, ref: int, key: str = "explanation") -> list[tuple[str, str]]:
    """(style, text) of each paragraph of action `ref`'s cell, tracked words included."""
    row = next(row for row in plan_table(document).rows if all_text(row._tr.tc_lst[0]).strip() == str(ref))
    cell = row.cells[[column.key for column in make_paper(1).columns].index(key)]
    return [(paragraph.style.name, all_text(paragraph._p)) for paragraph in cell.paragraphs]


@pytest.mark.parametrize(("was", "now"), [
    ("Phase 2 has begun.", "Phase 2 has begun:\n• first item\n• second item\n• third item"),
    ("Phase 2 has begun:\n• first item\n• second item\n• third item", "Phase 2 has begun."),
    ("Phase 2 has begun:\n• first item\n• third item", "Phase 2 has begun:\n• first item\n• second item\n• third item"),
    ("Phase 2 has begun:\n• first item\n• second item", "Phase 2 is under way.\n\nA second paragraph.\n• second item"),
])
def test_a_list_item_added_to_or_gone_from_a_cell_is_an_item_in_the_comparison(tmp_path: Path, was: str,
                                                                                 now: str) -> None:
    """An explanation that gains (loses) list items: each is its own list paragraph in diff.docx, inserted
    (deleted) with its paragraph mark, so accepting every change gives the new draft's paragraphs and their
    styles and rejecting them the old draft's (the items were tracked line breaks inside one paragraph);
    diff.html shows them as list items."""
    paper = make_paper(6, sections=2)
    old, new = _explained(paper, 2, was), _explained(paper, 2, now)
    for name, version in (("old.docx", old), ("new.docx", new)):
        write_docx(version, TEMPLATE, tmp_path / name)
    diff = diff_drafts(old, new)
    write_diff_docx(old, new, diff, TEMPLATE, tmp_path / "diff.docx")
    for resolved, version in ((reject_all, "old.docx"), (accept_all, "new.docx")):
        expected = _cell_paragraphs(open_docx(tmp_path / version), 2)
        assert _cell_paragraphs(resolved(open_docx(tmp_path / "diff.docx")), 2) == expected, version
        assert table_text(resolved(open_docx(tmp_path / "diff.docx"))) == table_text(open_docx(tmp_path / version))
    assert not list(open_docx(tmp_path / "diff.docx").element.body.iter(qn("w:br")))  # no tracked line breaks
    html = lxml.html.fromstring(render_diff_html(diff, old, new, TEMPLATE.parent))
    items = [li.text_content() for li in html.find_class("reworded")[0].iter("li")]
    assert set(items) == {line[2:] for line in f"{was}\n{now}".split("\n") if line.startswith("• ")}, items


# ---------------------------------------------------------------- rich cells, notes and links


def _with_cells(row: PaperRow, **cells: PaperCell) -> PaperRow:
    return dataclasses.replace(row, cells=tuple(cells.get(cell.key, cell) for cell in row.cells))


def test_the_terminal_summary_redlines_the_words_the_paper_shows_not_the_partners_html() -> None:
    from reportgen.read.richtext import parse_explanation

    def explained(paper: Paper, raw: str) -> Paper:  # action 1's explanation as a build keeps it
        rich = parse_explanation(raw)
        def row(found: PaperRow) -> PaperRow:
            if found.ref != 1:
                return found
            return dataclasses.replace(_with_cells(found, explanation=PaperCell("explanation", plain_text(rich), rich)),
                                       explanation=raw)
        return dataclasses.replace(paper, sections=tuple(
            dataclasses.replace(section, rows=tuple(map(row, section.rows))) for section in paper.sections))

    paper = make_paper(3)
    old = explained(paper, "<p>Patrols began in May.</p><ul><li>two towns</li></ul>")
    new = explained(paper, "<p>Hot spot patrols now run in May.</p><ul><li>two towns</li><li>a third</li></ul>")
    diff = diff_drafts(old, new)
    text = human_text(diff)
    assert "<p>" not in text and "<li>" not in text, text
    assert "[-Patrols began-]{+Hot spot patrols now run+} in May." in text, text
    assert "two towns{+¶+}\n    {+a third+}" in text, text  # a new item: a new line, its break marked
    assert "<p>" in json.dumps(diff_to_json(diff))  # the record keeps what the partner wrote


def test_rich_cells_notes_and_sections_round_trip_through_tracked_changes(tmp_path: Path) -> None:
    old = make_paper(6, sections=3)
    rows = {row.ref: row for row in old.rows}
    rich = (
        Block("paragraph", (Inline("Progress on action 1 was reported to the Panel."),)),
        Block("bullet", (Inline("See the "), Inline("meeting papers", href=LINK), Inline(" for detail"))),
        Block("paragraph", (Inline("A new paragraph.", bold=True),)),
        Block("paragraph", (Inline("Questions to "), Inline("the OPCC", href=MAILTO), Inline("."))),
    )
    reworded = _with_cells(rows[1], explanation=PaperCell("explanation", plain_text(rich), rich))
    reworded = dataclasses.replace(reworded, explanation=plain_text(rich))
    recognised = dataclasses.replace(_with_cells(rows[UNKNOWN_REF], status=PaperCell("status", "Completed")),
                                     status="Completed", status_label="Completed", status_class="completed", note="")
    added = dataclasses.replace(make_row(7, old.sections[2].heading), note="No update received this period")
    sections = (
        dataclasses.replace(old.sections[0], rows=(reworded, rows[2])),
        dataclasses.replace(old.sections[1], rows=(recognised,)),  # action 4 withdrawn
        dataclasses.replace(old.sections[2], rows=(rows[5], rows[6], added)),
    )
    # one bullet deleted, a heading reworded
    narrative = (*old.narrative[:3], Block("heading", (Inline("Next steps now"),), level=2), *old.narrative[5:])
    new = dataclasses.replace(old, sections=sections, narrative=narrative, total=6, unrecognised=0)
    diff = diff_drafts(old, new)
    assert ([m.ref for m in diff.moves], [a.ref for a in diff.added], [a.ref for a in diff.withdrawn]) == (
        [UNKNOWN_REF], [7], [4])
    assert [(c.ref, [f.field for f in c.changes]) for c in diff.changed] == [(1, ["explanation"]),
                                                                             (UNKNOWN_REF, ["note"])]
    for name, paper in (("old.docx", old), ("new.docx", new)):
        write_docx(paper, TEMPLATE, tmp_path / name)
    write_diff_docx(old, new, diff, TEMPLATE, tmp_path / "diff.docx")
    rejected = reject_all(open_docx(tmp_path / "diff.docx"))
    accepted = accept_all(open_docx(tmp_path / "diff.docx"))
    assert table_text(rejected) == table_text(open_docx(tmp_path / "old.docx"))
    assert table_text(accepted) == table_text(open_docx(tmp_path / "new.docx"))
    # a paragraph only one side has is a tracked line break: the text comes back, not the paragraph split
    assert "\n".join(body_paragraphs(rejected)) == "\n".join(body_paragraphs(open_docx(tmp_path / "old.docx")))
    assert "\n".join(body_paragraphs(accepted)) == "\n".join(body_paragraphs(open_docx(tmp_path / "new.docx")))
    links = {rel.target_ref for rel in open_docx(tmp_path / "diff.docx").part.rels.values() if rel.is_external}
    assert links == {LINK, MAILTO}  # links survive in changed cells


def test_redlined_blocks_keep_the_new_kind_and_links() -> None:
    old = (Block("paragraph", (Inline("Intro."),)), Block("bullet", (Inline("See "), Inline("papers", href=LINK))))
    new = (Block("paragraph", (Inline("Intro."),)), Block("bullet", (Inline("See "), Inline("the papers", href=LINK))))
    assert redline_blocks(old, new) == (
        Block("paragraph", (Inline("Intro."),)),
        Block("bullet", (Inline("See "), Inline("the ", href=LINK, change="ins"), Inline("papers", href=LINK))),
    )


def test_a_withdrawn_section_comes_back_with_its_heading_when_rejected(tmp_path: Path) -> None:
    old = make_paper(6, sections=3)
    new = dataclasses.replace(old, sections=old.sections[:2])  # the last section's actions all withdrawn
    diff = diff_drafts(old, new)
    assert [a.ref for a in diff.withdrawn] == [5, 6]
    write_docx(old, TEMPLATE, tmp_path / "old.docx")
    write_diff_docx(old, new, diff, TEMPLATE, tmp_path / "diff.docx")
    rejected = reject_all(open_docx(tmp_path / "diff.docx"))
    assert table_text(rejected) == table_text(open_docx(tmp_path / "old.docx"))


def test_a_withdrawn_subsection_comes_back_under_its_heading_when_rejected(tmp_path: Path) -> None:
    base = make_paper(4, sections=1)
    rows = base.rows
    old = dataclasses.replace(base, sections=(
        PaperSection("Victims", 1, ()), PaperSection("OPCC", 2, rows[:2]),
        PaperSection("Justice", 1, ()), PaperSection("OPCC", 2, rows[2:]),
    ))
    new = dataclasses.replace(old, sections=old.sections[:2])  # all of Justice withdrawn
    write_docx(old, TEMPLATE, tmp_path / "old.docx")
    write_diff_docx(old, new, diff_drafts(old, new), TEMPLATE, tmp_path / "diff.docx")
    rejected = reject_all(open_docx(tmp_path / "diff.docx"))
    assert table_text(rejected) == table_text(open_docx(tmp_path / "old.docx"))


def test_an_action_moved_to_another_section_is_tracked_as_a_move(tmp_path: Path) -> None:
    old = make_paper(6, sections=3)
    rows = {row.ref: row for row in old.rows}
    moved = dataclasses.replace(rows[2], section=old.sections[2].heading)
    new = dataclasses.replace(old, sections=(
        dataclasses.replace(old.sections[0], rows=(rows[1],)),
        old.sections[1],
        dataclasses.replace(old.sections[2], rows=(rows[5], moved, rows[6])),
    ))
    diff = diff_drafts(old, new)
    assert [(c.ref, [f.field for f in c.changes]) for c in diff.changed] == [(2, ["section"])]
    for name, paper in (("old.docx", old), ("new.docx", new)):
        write_docx(paper, TEMPLATE, tmp_path / name)
    write_diff_docx(old, new, diff, TEMPLATE, tmp_path / "diff.docx")
    # deleted where it was, inserted where it is: rejecting every change puts it back
    assert table_text(reject_all(open_docx(tmp_path / "diff.docx"))) == table_text(open_docx(tmp_path / "old.docx"))
    assert table_text(accept_all(open_docx(tmp_path / "diff.docx"))) == table_text(open_docx(tmp_path / "new.docx"))


def test_an_action_moved_in_the_register_moves_alone_not_its_new_section(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The officer changes action 3's section from Victims to Justice, its row left where it was: the
    plan keeps its sections' order (Justice was put before Victims, as ordered by first row) and the
    comparison tracks the one row moving, so rejecting every change gives back the old table."""
    root = make_workspace(tmp_path / "ws")
    old = build_draft(root)
    moved = [(ref, "Justice" if ref == 3 else section, *rest) for ref, section, *rest in ACTIONS]
    write_xlsx(root / "inputs" / "register.xlsx", [REGISTER_HEADINGS, *moved], sheet="Register")
    new = build_draft(root)
    assert [(s.heading, [r.ref for r in s.rows]) for s in new.paper.sections] == [
        ("", [1, 2]), ("Victims", [4]), ("Justice", [3, 5, 6])]
    out = tmp_path / "moved"
    assert main(["diff", str(old.folder), str(new.folder), "--out", str(out)]) == 0
    # said as the move it is (it was listed as '1 action reworded' with a Section line)
    lines = capsys.readouterr().out.splitlines()
    assert "1 action moved to another section:" in lines and not any("reworded" in line for line in lines), lines
    assert any(line.startswith("  3 ") and line.endswith(": Victims -> Justice") for line in lines), lines
    diff = out / "diff.docx"
    assert table_text(reject_all(open_docx(diff))) == table_text(open_docx(old.folder / "paper.docx"))
    assert table_text(accept_all(open_docx(diff))) == table_text(open_docx(new.folder / "paper.docx"))


def cell_fills(document: docx.document.Document) -> list[list[str | None]]:
    """Each table row's cell shading, as Word shows it."""
    fills = []
    for tr in document.element.body.iter(W_TR):
        cells = [tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") for tc in tr.iter(qn("w:tc"))]
        fills.append([None if shd is None else shd.get(qn("w:fill")) for shd in cells])
    return fills


def test_a_status_cells_colour_is_tracked_with_its_label(tmp_path: Path) -> None:
    old = make_paper(6, sections=2)
    rows = {row.ref: row for row in old.rows}
    now_on_hold = _with_cells(dataclasses.replace(rows[1], status="On hold", status_label="On hold",
                                                  status_class="on-hold"), status=PaperCell("status", "On hold"))
    new = dataclasses.replace(old, sections=(
        dataclasses.replace(old.sections[0], rows=(now_on_hold, *old.sections[0].rows[1:])), *old.sections[1:]))
    assert old.status_cell(rows[1]).colour != new.status_cell(now_on_hold).colour
    for name, paper in (("old.docx", old), ("new.docx", new)):
        write_docx(paper, TEMPLATE, tmp_path / name)
    write_diff_docx(old, new, diff_drafts(old, new), TEMPLATE, tmp_path / "diff.docx")
    assert len(list(open_docx(tmp_path / "diff.docx").element.body.iter(qn("w:tcPrChange")))) == 1
    rejected, accepted = reject_all(open_docx(tmp_path / "diff.docx")), accept_all(open_docx(tmp_path / "diff.docx"))
    assert cell_fills(rejected) == cell_fills(open_docx(tmp_path / "old.docx"))
    assert cell_fills(accepted) == cell_fills(open_docx(tmp_path / "new.docx"))
    assert table_text(rejected) == table_text(open_docx(tmp_path / "old.docx"))


def test_an_action_gone_from_a_public_edition_with_one_more_exempt_may_have_been_made_exempt(
        tmp_path: Path) -> None:
    old = make_paper(6, sections=2)
    new = dataclasses.replace(old, sections=(dataclasses.replace(old.sections[0], rows=old.sections[0].rows[1:]),
                                             *old.sections[1:]), total=old.total - 1)
    withdrawn = diff_drafts(old, new)
    assert "1 action withdrawn:" in human_text(withdrawn) and "Exempt" not in human_text(withdrawn)
    exempt = diff_drafts(old, dataclasses.replace(new, exempt_count=1, exempt_note="1 action is exempt"))
    text = human_text(exempt)
    assert "Exempt, left out of the public edition: 0 -> 1" in text
    assert "1 action withdrawn or made exempt:\n  1 Action 1" in text
    assert json.loads(diff_to_json(exempt))["diff"]["exempt"] == {
        "status": "Exempt, left out of the public edition", "old": 0, "new": 1}
    html = render_diff_html(exempt, old, new, TEMPLATE.parent)
    assert "<h2>Actions withdrawn or made exempt</h2>" in html
    assert "Exempt, left out of the public edition</th><td>0</td><td>1</td>" in html
    assert not diff_drafts(old, dataclasses.replace(old, exempt_count=1)).is_empty  # only the count moved
    # the other way: a public draft that left action 1 out, against a restricted one that has it
    restricted = dataclasses.replace(old, edition="restricted", marking="RESTRICTED")
    shown = diff_drafts(dataclasses.replace(new, exempt_count=1), restricted)
    assert "1 action added, or exempt and left out of the public draft:\n  1 Action 1" in human_text(shown)


@pytest.mark.parametrize(("was", "now"), [(1, 2), (0, 1), (1, 0)])
def test_docx_tracks_the_note_of_exempt_actions_so_rejecting_all_gives_the_old_one(tmp_path: Path, was: int,
                                                                                  now: int) -> None:
    def note(count: int) -> str:
        return f"Not shown in this paper: {count} action{'s' * (count != 1)}, exempt from publication." if count else ""

    paper = make_paper(6, sections=2)
    old, new = (dataclasses.replace(paper, exempt_count=n, exempt_note=note(n)) for n in (was, now))
    for name, version in (("old.docx", old), ("new.docx", new)):
        write_docx(version, TEMPLATE, tmp_path / name)
    write_diff_docx(old, new, diff_drafts(old, new), TEMPLATE, tmp_path / "diff.docx")
    diff = open_docx(tmp_path / "diff.docx")
    marked = [mark for mark in tracked_texts(diff.element.body) if mark[1]]
    assert marked == {(1, 2): [("del", "1 action"), ("ins", "2 actions")], (0, 1): [("ins", note(1))],
                      (1, 0): [("del", note(1))]}[(was, now)], marked
    assert body_paragraphs(reject_all(open_docx(tmp_path / "diff.docx"))) == body_paragraphs(
        open_docx(tmp_path / "old.docx"))
    assert body_paragraphs(accept_all(open_docx(tmp_path / "diff.docx"))) == body_paragraphs(
        open_docx(tmp_path / "new.docx"))


def test_a_renamed_section_keeps_its_rows_in_place(tmp_path: Path) -> None:
    old = make_paper(6, sections=3)
    renamed = dataclasses.replace(old.sections[2], heading="Renamed section",
                                  rows=tuple(dataclasses.replace(row, section="Renamed section")
                                             for row in old.sections[2].rows))
    new = dataclasses.replace(old, sections=(*old.sections[:2], renamed))
    marked = redline_paper(old, new, diff_drafts(old, new))
    assert [[row.change for row in section.rows] for section in marked.sections] == [
        [""] * len(section.rows) for section in new.sections]  # the heading is reported, the rows unmoved


def test_a_comparison_leaves_progress_over_time_out(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_workspace(root, "2026-09", returns=september_returns())
    old = build_draft(root)
    make_workspace(root, "2026-10", returns=october_returns())
    new = build_draft(root)
    assert new.paper.progress is not None and any(row.movement for row in new.paper.rows)
    compared = compare_drafts(old.folder, new.folder)
    text = "\n".join(p.text for p in open_docx(compared.folder / "diff.docx").paragraphs)
    assert "Progress over time" not in text and "(2026-09)" not in text


def test_a_comparison_that_fails_half_way_publishes_nothing(drafts, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import reportgen.diff.render

    def failing_pdf(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    target = tmp_path / "comparison"
    monkeypatch.setattr(reportgen.diff.render, "write_diff_pdf", failing_pdf)
    with pytest.raises(RuntimeError, match="disk full"):
        compare_drafts(*drafts, out=target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no hidden temporary folder or file left behind


def test_a_published_comparison_holds_exactly_its_four_files(result: DiffResult) -> None:
    assert sorted(path.name for path in result.folder.iterdir()) == sorted(path.name for path in result.files)
    assert all(path.stat().st_mode & 0o777 == 0o644 for path in result.files)  # shared, as every output


def test_title_and_subtitle_changes_are_listed_once(drafts: tuple[Path, Path]) -> None:
    paper = load_draft(drafts[1])[0]
    title_row = next(row for row in paper.cover if row.value == paper.title)  # the cover shows the title
    retitled = dataclasses.replace(
        paper, title="A new title", subtitle="Report to the Panel",
        cover=tuple(dataclasses.replace(row, value="A new title") if row is title_row else row for row in paper.cover))
    diff = diff_drafts(paper, retitled)
    assert [(c.field, c.old, c.new) for c in diff.cover] == [
        (title_row.label, paper.title, "A new title"), ("Subtitle", paper.subtitle, "Report to the Panel")]
    # a title the cover sheet does not show is listed as the title
    only_title = dataclasses.replace(paper, title="A new title")
    assert [(c.field, c.new) for c in diff_drafts(paper, only_title).cover] == [("Title", "A new title")]
    assert not diff_drafts(paper, only_title).is_empty


def test_docx_tracks_a_new_title_and_subtitle_so_rejecting_all_gives_the_old_ones(drafts: tuple[Path, Path],
                                                                                   tmp_path: Path) -> None:
    paper = load_draft(drafts[1])[0]
    title_row = next(row for row in paper.cover if row.value == paper.title)
    retitled = dataclasses.replace(
        paper, title=paper.title + " (revised)", subtitle="Report to the Panel",
        cover=tuple(dataclasses.replace(row, value=paper.title + " (revised)") if row is title_row else row
                    for row in paper.cover))
    template = ROOT / "templates" / "paper.docx"
    write_docx(paper, template, tmp_path / "old.docx")
    write_docx(retitled, template, tmp_path / "new.docx")
    write_diff_docx(paper, retitled, diff_drafts(paper, retitled), template, tmp_path / "diff.docx")
    document = open_docx(tmp_path / "diff.docx")
    styled = {p.style.name: p._p for p in document.paragraphs if p.style.name in ("Title", "Subtitle")}
    assert tracked_texts(styled["Title"]) == [("ins", " (revised)")]
    # the old paper had no subtitle: its words and its paragraph are inserted
    assert tracked_texts(styled["Subtitle"]) == [("ins", ""), ("ins", "Report to the Panel")]
    assert styled["Subtitle"].find(f"{qn('w:pPr')}/{qn('w:rPr')}/{W_INS}") is not None
    old, new = open_docx(tmp_path / "old.docx"), open_docx(tmp_path / "new.docx")
    assert body_paragraphs(reject_all(open_docx(tmp_path / "diff.docx"))) == body_paragraphs(old)
    assert body_paragraphs(accept_all(open_docx(tmp_path / "diff.docx"))) == body_paragraphs(new)
    assert body_paragraphs(old) != body_paragraphs(new)
    # the running title in the page headers is tracked the same way
    headers = page_headers(document)
    assert headers and all(tracked_texts(h) == [("ins", " (revised)")] for h in headers)
    assert header_texts(reject_all(open_docx(tmp_path / "diff.docx"))) == header_texts(old)
    assert header_texts(accept_all(open_docx(tmp_path / "diff.docx"))) == header_texts(new)
    assert header_texts(old) != header_texts(new)


def header_texts(document: docx.document.Document) -> list[list[str]]:
    """Each section's page header as its pages show it (its own, or the one it inherits), paragraph by paragraph."""
    return [["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in section.header._element.iter(qn("w:p"))]
            for section in document.sections]


def test_a_value_changed_only_where_the_paper_shows_nothing_is_not_reworded() -> None:
    """A partner's <p> around the same words, or doubled spaces, was listed as 'reworded' with nothing
    to see; a link added to the same words, or a paragraph split, is a change the paper shows."""
    from reportgen.read.richtext import parse_explanation

    def with_explanation(raw: str) -> PaperRow:
        row = make_row(3, "Justice")
        cells = tuple(dataclasses.replace(c, text=plain_text(parse_explanation(raw)), rich=parse_explanation(raw))
                      if c.key == "explanation" else c for c in row.cells)
        return dataclasses.replace(row, explanation=raw, cells=cells)

    def reworded(old: str, new: str) -> bool:
        paper = make_paper(1, 1)
        old_paper = dataclasses.replace(paper, sections=(PaperSection("Justice", 1, (with_explanation(old),)),))
        new_paper = dataclasses.replace(paper, sections=(PaperSection("Justice", 1, (with_explanation(new),)),))
        return bool(diff_drafts(old_paper, new_paper).changed)

    text = "The hot spots model was trialled in one district."
    assert not reworded(text, f"<p>{text}</p>")
    assert not reworded(text, text.replace(" model", "   model"))
    assert reworded(text, text.replace("one", "two"))
    assert reworded(text, 'The hot spots <a href="https://example.org/m">model</a> was trialled in one district.')
    assert reworded(text, "The hot spots model was trialled.\n\nIn one district.")


def _workspace_copy(drafts: tuple[Path, Path], to: Path) -> tuple[Path, Path]:
    """The drafts' workspace copied whole, so a test can give it templates of its own."""
    root = drafts[1].parents[2]
    shutil.copytree(root, to, ignore=shutil.ignore_patterns("compare"))  # without the module's comparisons
    return tuple(to / folder.relative_to(root) for folder in drafts)  # type: ignore[return-value]


@pytest.mark.parametrize(("change", "error"), [
    (("{% if periods_note %}", "{% if %}"), r"templates/diff\.html\.j2, line \d+, is broken: Expected an expression"),
    (("{{ periods_note }}", "{{ periods_notes }}"),
     r"templates/diff\.html\.j2, line \d+ cannot be filled in: 'periods_notes' is undefined"),
])
def test_a_workspace_diff_template_that_cannot_be_used_is_one_line_and_nothing_is_written(
        drafts, tmp_path: Path, capsys, change: tuple[str, str], error: str) -> None:
    """A workspace's own diff.html.j2, mistyped or made for another reportgen: the comparison stopped
    with a Jinja traceback; it is one line naming the file and line, and no comparison folder is left."""
    old, new = _workspace_copy(drafts, tmp_path / "ws")
    (tmp_path / "ws" / "templates").mkdir()
    ours = (Path(__file__).resolve().parents[1] / "templates" / "diff.html.j2").read_text(encoding="utf-8")
    assert change[0] in ours
    (tmp_path / "ws" / "templates" / "diff.html.j2").write_text(ours.replace(*change), encoding="utf-8")
    out = tmp_path / "compare"
    assert main(["diff", str(old), str(new), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert re.search(r"^reportgen: error: the template \S+" + error, err, re.MULTILINE), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]  # nor a half-written one beside it


@pytest.mark.expected_logs(r"templates/diff\.html\.j2 has no place for the note that progress over time is not "
                           r"compared \(made by an older reportgen\?\): added at the top")
def test_a_workspace_diff_template_older_than_the_note_still_shows_it_and_says_so(drafts, tmp_path: Path) -> None:
    """A workspace keeps its own diff.html.j2, copied before reportgen said that progress over time is not
    compared between drafts of two periods: the note was left out of diff.html and diff.pdf without a
    word. It is added at the top, after the title, and a warning names the template and what it lacks."""
    old, new = _workspace_copy(drafts, tmp_path / "ws")
    (tmp_path / "ws" / "templates").mkdir()
    ours = (Path(__file__).resolve().parents[1] / "templates" / "diff.html.j2").read_text(encoding="utf-8")
    older = ours.replace("{% if periods_note %}\n{{ periods_note }}\n{% endif %}\n", "")
    assert "periods_note }}" not in older.replace("{% if periods_note %}No other", "")
    (tmp_path / "ws" / "templates" / "diff.html.j2").write_text(older, encoding="utf-8")
    result = compare_drafts(old, new, tmp_path / "compare")
    note = "Progress over time and each action's movement since the previous update are not compared"
    page = lxml.html.parse(str(result.folder / "diff.html")).getroot()
    texts = [" ".join(p.text_content().split()) for p in page.iter("p")]
    assert len([text for text in texts if note in text]) == 1
    assert page.xpath("//header/following-sibling::p[1]")[0].text_content().startswith(note)
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(result.folder / "diff.pdf").pages).split())
    assert note in pdf


@pytest.mark.expected_logs(r"has no place for the restricted marking or whether issues blocked publication")
def test_a_diff_template_without_the_restricted_marking_is_marked_all_the_same() -> None:
    html = '<html><head><style></style></head><body class="diff"><header><h1>T</h1></header><p>x</p></body></html>'
    notes = {"periods_note": "", "unrelated_note": "", "blocking_note": "The old draft had 2 issues & more."}
    marked = with_notes(html, "RESTRICTED: not for publication", notes, Path("templates/diff.html.j2"))
    page = lxml.html.fromstring(marked)
    assert [p.text_content() for p in page.iter("p")] == [
        "RESTRICTED: not for publication", "The old draft had 2 issues & more.", "x"]
    assert "string-set: marking" in marked.split("</head>")[0]  # on every page of the PDF too
    assert with_notes(html.replace("<p>x</p>", "<p>The old draft had 2 issues &amp; more.</p>"), "",
                      notes, Path("diff.html.j2")).count("2 issues") == 1  # shown by the template: nothing added


def test_the_running_title_of_the_comparison_stays_on_one_line(tmp_path: Path) -> None:
    """The README's comparison of the example's September and October drafts: from page 2, diff.pdf's
    header wrapped "Safer Wessex Plan: Delivery Update (October 2026): changes between drafts" onto two lines
    in a third of the page (the empty centre box kept for a restricted marking). With nothing to mark the
    title takes the width, as the paper's own pages do."""
    import pdfplumber

    root = copy_example(tmp_path / "ws")
    old = build_draft(root, period="2026-09").folder
    new = build_draft(root, period="2026-10").folder
    assert main(["diff", str(old), str(new), "--out", str(tmp_path / "compare")]) == 0
    with pdfplumber.open(tmp_path / "compare" / "diff.pdf") as pdf:
        assert len(pdf.pages) > 1
        for page in pdf.pages[1:]:
            header = [word for word in page.extract_words() if word["bottom"] < 60]
            assert " ".join(word["text"] for word in header) == (
                "Safer Wessex Plan: Delivery Update (October 2026): changes between drafts"), page.page_number
            assert len({round(word["top"]) for word in header}) == 1, page.page_number


def test_drafts_given_newest_first_are_said_to_run_backwards(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A reviewer gives the drafts the wrong way round (`reportgen diff NEWER OLDER`): October's draft as the
    old one, September's as the new, or a period's draft-02 before its draft-01. Status moves then read as
    regressions with nothing to say so; the summary, diff.html and diff.pdf now say the comparison runs
    backwards, and the right way round they say nothing of it."""
    import pdfplumber

    root = copy_example(tmp_path / "ws")
    september = build_draft(root, period="2026-09").folder
    first = build_draft(root, period="2026-10").folder
    second = build_draft(root, period="2026-10").folder
    assert (first.name, second.name) == ("draft-01", "draft-02")
    warning = "is later than the new one"
    for old, new, backwards in ((first, september, True), (second, first, True), (september, first, False),
                                (first, second, False)):
        out = tmp_path / f"{old.parent.name}-{old.name}-{new.parent.name}-{new.name}"
        assert main(["diff", str(old), str(new), "--out", str(out)]) == 0
        printed = " ".join(capsys.readouterr().out.split())
        html = " ".join(lxml.html.parse(str(out / "diff.html")).getroot().text_content().split())
        with pdfplumber.open(out / "diff.pdf") as pdf:
            first_page = " ".join((pdf.pages[0].extract_text() or "").split())
        assert [warning in text for text in (printed, html, first_page)] == [backwards] * 3, out.name
        if (old, new) == (second, first):
            assert re.search(r"The old draft, 2026-10/draft-02 \([^)]+\), is later than the new one, "
                             r"2026-10/draft-01 \([^)]+\): this comparison runs backwards", printed), printed


@pytest.fixture(scope="module")
def two_october_drafts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example workspace built twice for 2026-10: draft-01, then draft-02 (neither is ever written to)."""
    root = copy_example(tmp_path_factory.mktemp("october") / "ws")
    first = build_draft(root, period="2026-10").folder
    second = build_draft(root, period="2026-10").folder
    assert (first.name, second.name) == ("draft-01", "draft-02")
    return first, second


def _comments_on(document: docx.document.Document) -> dict[str, str]:
    """Each Word comment's text -> the style of the paragraph it is on."""
    texts = {comment.comment_id: comment.text for comment in document.comments}
    return {texts[int(start.get(qn("w:id")))]: paragraph.style.name for paragraph in document.paragraphs
            for start in paragraph._p.iter(qn("w:commentRangeStart"))}


def test_a_comparison_given_newest_first_says_so_on_the_title_of_diff_docx_and_in_diff_json(
        two_october_drafts: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen diff outputs/2026-10/draft-02 outputs/2026-10/draft-01`: the terminal, diff.html and diff.pdf
    warned that the comparison runs backwards, but diff.docx said nothing, so a reviewer working in Word who
    accepted every change turned the newer paper into the older one unwarned, and diff.json had no flag for a
    script to check. diff.docx now carries the warning as a comment on the title, and diff.json says
    `backwards`; the right way round, neither does."""
    first, second = two_october_drafts
    assert main(["diff", str(second), str(first), "--out", str(tmp_path / "backwards")]) == 0
    assert main(["diff", str(first), str(second), "--out", str(tmp_path / "forwards")]) == 0
    capsys.readouterr()
    comments = _comments_on(open_docx(tmp_path / "backwards" / "diff.docx"))
    assert len(comments) == 1, comments
    [(text, style)] = comments.items()
    assert style == "Title", style
    assert re.fullmatch(r"The old draft, 2026-10/draft-02 \([^)]+\), is later than the new one, 2026-10/draft-01 "
                        r"\([^)]+\): this comparison runs backwards .* Accepting every tracked change here gives the "
                        r"earlier draft's paper, not the later one's\.", text), text
    assert _comments_on(open_docx(tmp_path / "forwards" / "diff.docx")) == {}
    flags = [json.loads((tmp_path / name / "diff.json").read_text(encoding="utf-8"))["diff"]["backwards"]
             for name in ("backwards", "forwards")]
    assert flags == [True, False]


def test_a_draft_folder_that_does_not_exist_is_said_so_with_the_drafts_its_period_holds(
        two_october_drafts: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A reviewer mistypes a draft's number (draft-09 of a period with two), or a period with no outputs. The
    comparison said "not a draft folder (no draft.json)", as if the folder were there and wrong; it now says
    the folder does not exist and which drafts its period does hold, as the reviewer typed it, and exits 2."""
    root = two_october_drafts[0].parents[2]
    monkeypatch.chdir(root)
    refusals = {
        ("outputs/2026-10/draft-01", "outputs/2026-10/draft-09"):
            "outputs/2026-10/draft-09 does not exist; the drafts of 2026-10 are draft-01, draft-02",
        ("outputs/2023-02/draft-01", "outputs/2026-10/draft-02"):
            "outputs/2023-02/draft-01 does not exist, nor does outputs/2023-02: give two draft folders a build made",
    }
    for (old, new), said in refusals.items():
        assert main(["diff", old, new]) == 2, (old, new)
        assert capsys.readouterr().err == f"reportgen: error: {said}\n"
    assert not (root / "outputs" / "2026-10" / "compare").exists()


def test_a_column_heading_renamed_between_drafts_is_said_and_tracked(tmp_path: Path, capsys) -> None:
    """The register's page column renamed from "CSCJ Plan page" to "Plan page" between two drafts of one
    period: every cell read the same and the comparison said "No changes", though the paper's table is
    headed differently. It now says so in the summary, diff.html and diff.json, and diff.docx tracks the
    header cell's words."""
    root = tmp_path / "ws"
    make_workspace(root, "2026-10", settings("2026-11-05"))
    first = build_draft(root, "2026-10").folder
    renamed = ("Plan priority", "Section", "Lead", "Action", "Plan page")
    make_workspace(root, "2026-10", settings("2026-11-05"), register=[renamed, *ACTIONS])
    second = build_draft(root, "2026-10").folder
    capsys.readouterr()
    out = tmp_path / "cli"
    assert main(["diff", str(first), str(second), "--out", str(out)]) == 0
    said = "The delivery plan's table changed: the column headed 'CSCJ Plan page' is now headed 'Plan page'."
    lines = capsys.readouterr().out.splitlines()
    assert said in lines and "No changes." not in lines
    assert said in " ".join(unescape((out / "diff.html").read_text(encoding="utf-8")).split())
    data = json.loads((out / "diff.json").read_text(encoding="utf-8"))
    assert data["empty"] is False
    assert [(c["field"], c["old"], c["new"]) for c in data["diff"]["columns"]] == [
        ("page", "CSCJ Plan page", "Plan page")]
    document = open_docx(out / "diff.docx")
    header = plan_table(document).rows[0]._tr
    assert tracked_texts(header) == [("del", "CSCJ ")]
    assert table_text(reject_all(open_docx(out / "diff.docx")))[0] == table_text(open_docx(first / "paper.docx"))[0]
    assert table_text(accept_all(document))[0] == table_text(open_docx(second / "paper.docx"))[0]


def _template_of_2026_12_01(target: Path, heading: bytes = b"{{ paper.draft_marking }}") -> Path:
    """Our Word template as it was before the issues box had its own heading: headed by the draft marking
    (or by `heading`, a workspace's own wording)."""
    target.mkdir(parents=True, exist_ok=True)
    import zipfile
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(target / "paper.docx", "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                assert data.count(b"{{ paper.blocking_heading }}") == 1
                data = data.replace(b"{{ paper.blocking_heading }}", heading)
            copy.writestr(info, data)
    return target / "paper.docx"


def test_an_older_word_templates_issues_box_is_tracked_too(tmp_path: Path) -> None:
    """A workspace keeping the Word template of early December 2026 heads the issues box with the draft
    marking. A draft no longer blocked, compared with the blocked one, showed the old issues in diff.docx
    as if still there, unmarked, without a word; the box is now deleted (inserted) as with ours, and
    rejecting or accepting every change gives back each draft's body."""
    root = blocked_workspace(tmp_path / "ws")
    _template_of_2026_12_01(root / "templates")
    blocked = build_draft(root).folder
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "opcc.xlsx", default_returns()["opcc.xlsx"])
    clean = build_draft(root).folder
    marking = "DRAFT – not for publication: 2 issues to resolve"
    assert marking in body_paragraphs(open_docx(blocked / "paper.docx"))
    for old, new, name, change in ((blocked, clean, "fixed", "del"), (clean, blocked, "new", "ins")):
        assert main(["diff", str(old), str(new), "--out", str(tmp_path / name)]) == 0
        path = tmp_path / name / "diff.docx"
        block = [(mark, text) for mark, text in tracked_texts(open_docx(path).element.body)
                 if "is not recognised" in text or text in (marking, Paper.blocking_advice)]
        assert block[:2] == [(change, marking), (change, Paper.blocking_advice)], block
        assert [mark for mark, _text in block[2:]] == [change, change], block
        assert body_paragraphs(reject_all(open_docx(path))) == body_paragraphs(open_docx(old / "paper.docx"))
        assert body_paragraphs(accept_all(open_docx(path))) == body_paragraphs(open_docx(new / "paper.docx"))


@pytest.mark.expected_logs(r"templates/paper\.docx lays out the issues to resolve in a way reportgen does not know")
def test_a_word_template_whose_issues_box_cannot_be_tracked_says_so(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    """A workspace's Word template heads the issues box in its own words: diff.docx cannot track the box's
    change, and the reviewer is told so (and where to read it) rather than left to take the box as current."""
    root = blocked_workspace(tmp_path / "ws")
    _template_of_2026_12_01(root / "templates", b"Please resolve before this goes to the Panel")
    blocked = build_draft(root).folder
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "opcc.xlsx", default_returns()["opcc.xlsx"])
    clean = build_draft(root).folder
    caplog.clear()
    assert main(["diff", str(blocked), str(clean), "--out", str(tmp_path / "cmp")]) == 0
    err = " ".join(record.getMessage() for record in caplog.records)
    assert "lays out the issues to resolve in a way reportgen does not know" in err
    assert "diff.html and diff.pdf say which issues blocked publication then and now" in err


def back_after_a_gap(tmp_path: Path) -> tuple[Path, Path, str]:
    """October's and November's drafts of a workspace whose action 5 is in September's paper, withdrawn from
    October's and in the register again in November; and November's note of it ("Not in the 2026-10 paper; …")."""
    root = tmp_path / "ws"
    make_workspace(root, "2026-09", returns=september_returns())
    build_draft(root, "2026-09")
    make_workspace(root, "2026-10", returns=october_returns(),
                   register=[REGISTER_HEADINGS, *(a for a in ACTIONS if a[0] != 5), NEW_ACTION])
    october = build_draft(root, "2026-10").folder
    november_returns = september_returns()
    november_returns["opcc.xlsx"] = october_returns()["opcc.xlsx"]
    make_workspace(root, "2026-11", returns=november_returns, register=[REGISTER_HEADINGS, *ACTIONS, NEW_ACTION])
    november = build_draft(root, "2026-11").folder
    back = next(row for row in load_draft(november)[0].rows if row.ref == 5).movement
    assert back.startswith("Not in the 2026-10 paper; was ")
    return october, november, back


def test_an_action_back_in_the_paper_after_a_gap_is_said_to_be_back(tmp_path: Path, capsys) -> None:
    """Action 5 is in September's paper, withdrawn from October's and in the register again in November:
    November's paper says "Not in the 2026-10 paper; was …", while the comparison of October's draft with
    November's listed it as a plain added action (diff.json, the summary and diff.html), as if new to the
    plan. Each now says it is back, in the paper's words."""
    october, november, back = back_after_a_gap(tmp_path)
    capsys.readouterr()
    out = tmp_path / "cmp"
    assert main(["diff", str(october), str(november), "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    line = next(line for line in lines if line.startswith("  5 "))
    assert line.endswith(f"; back in the paper: {back})"), line
    added = json.loads((out / "diff.json").read_text(encoding="utf-8"))["diff"]["added"]
    assert [(action["ref"], action["back"]) for action in added] == [(5, back)]
    assert f"Back in the paper: {back}" in " ".join(unescape((out / "diff.html").read_text(encoding="utf-8")).split())


def test_a_renamed_section_is_said_once_and_its_heading_tracked(tmp_path: Path, capsys) -> None:
    """The register's section "Victims" renamed "Victims and Witnesses" between two drafts: diff.docx showed
    the new heading unmarked (the old one gone without a trace) and the summary called each of its actions
    reworded. The rename is now said once (summary, diff.html, diff.json) and tracked in the heading row."""
    root = tmp_path / "ws"
    make_workspace(root, "2026-10", settings("2026-11-05"))
    first = build_draft(root, "2026-10").folder
    renamed = [(a[0], "Victims and Witnesses", *a[2:]) if a[1] == "Victims" else a for a in ACTIONS]
    make_workspace(root, "2026-10", settings("2026-11-05"), register=[REGISTER_HEADINGS, *renamed])
    second = build_draft(root, "2026-10").folder
    capsys.readouterr()
    out = tmp_path / "cmp"
    assert main(["diff", str(first), str(second), "--out", str(out)]) == 0
    said = "Renamed: the section headed 'Victims' is now headed 'Victims and Witnesses'."
    lines = capsys.readouterr().out.splitlines()
    assert said in lines
    assert not any("reworded" in line for line in lines), lines
    assert "No changes." not in lines
    html = " ".join(unescape((out / "diff.html").read_text(encoding="utf-8")).split())
    assert said in html and "No changes" not in html
    record = json.loads((out / "diff.json").read_text(encoding="utf-8"))
    assert record["empty"] is False
    data = record["diff"]
    assert [(c["old"], c["new"]) for c in data["sections"]] == [("Victims", "Victims and Witnesses")]
    assert data["changed"] == []
    document = open_docx(out / "diff.docx")
    heading_row = next(row for row in plan_table(document).rows if "Victims" in all_text(row._tr))
    assert tracked_texts(heading_row._tr) == [("ins", " and Witnesses")]
    assert table_text(reject_all(open_docx(out / "diff.docx"))) == table_text(open_docx(first / "paper.docx"))
    assert table_text(accept_all(document)) == table_text(open_docx(second / "paper.docx"))


def test_diff_html_in_a_browser_has_margins(result: DiffResult) -> None:
    """diff.html opened in a browser ran its text and tables against the window's left and right edges; it
    now reads as a page, centred, with margins."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto((result.folder / "diff.html").as_uri())
            boxes = page.eval_on_selector_all(
                "h1, p.compared, table.counts",
                "elements => elements.map(e => [e.getBoundingClientRect().left, e.getBoundingClientRect().right])")
        finally:
            browser.close()
    for left, right in boxes:
        assert left >= 20 and right <= 1400 - 20, boxes
        assert abs(left - (1400 - right)) < 40, boxes  # centred


def test_a_column_added_to_the_table_is_said_once_not_as_every_action_reworded(tmp_path: Path, capsys) -> None:
    """reportgen.toml's table_columns gains the register's "Lead officer" column ([[register.extra]]) between
    two drafts: the comparison listed every action as reworded ("officer: {+Officer 1+}"), burying any real
    change. The column is said once, and only the action whose wording did change is listed."""
    extra = '[[register.extra]]\nkey = "officer"\nheading = "Lead officer"\n'
    columns = 'table_columns = ["ref", "action", "status", "explanation", "timeframe"{}]\n'
    register = [(*REGISTER_HEADINGS, "Lead officer"), *((*a, f"Officer {a[0]}") for a in ACTIONS)]
    toml = settings("2026-11-05").replace("[history]", columns.format("") + "[history]") + extra
    root = tmp_path / "ws"
    make_workspace(root, "2026-10", toml, register=register)
    first = build_draft(root, "2026-10").folder
    returns = default_returns()
    returns["opcc.xlsx"] = [(*row[:3], "Reworded.", row[4]) if row[0] == 2 else row for row in returns["opcc.xlsx"]]
    toml = settings("2026-11-05").replace("[history]", columns.format(', "officer"') + "[history]") + extra
    make_workspace(root, "2026-10", toml, register=register, returns=returns)
    second = build_draft(root, "2026-10").folder
    capsys.readouterr()
    out = tmp_path / "cmp"
    assert main(["diff", str(first), str(second), "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "The delivery plan's table changed: the new draft adds the column 'Lead officer'." in lines
    assert "1 action reworded:" in lines and not any("officer:" in line for line in lines), lines
    data = json.loads((out / "diff.json").read_text(encoding="utf-8"))["diff"]
    assert [change["ref"] for change in data["changed"]] == [2]
    assert [(c["field"], c["old"], c["new"]) for c in data["columns"]] == [("officer", "", "Lead officer")]


def test_an_action_withdrawn_from_a_renamed_section_goes_back_under_its_new_heading(tmp_path: Path) -> None:
    """Action 4 withdrawn from the section "Victims", renamed "Victims and Witnesses" in the same draft:
    diff.docx put the old heading back, unmarked, above the renamed one, to hold the deleted row (two
    headings for one section). The row is now deleted in place under the one heading, tracked as renamed."""
    root = tmp_path / "ws"
    make_workspace(root, "2026-10", settings("2026-11-05"))
    first = build_draft(root, "2026-10").folder
    renamed = [(a[0], "Victims and Witnesses", *a[2:]) if a[1] == "Victims" else a for a in ACTIONS if a[0] != 4]
    make_workspace(root, "2026-10", settings("2026-11-05"), register=[REGISTER_HEADINGS, *renamed])
    second = build_draft(root, "2026-10").folder
    out = compare_drafts(first, second, tmp_path / "cmp").folder
    document = open_docx(out / "diff.docx")
    headings = [row for row in plan_table(document).rows if len({cell._tc for cell in row.cells}) == 1]
    assert [all_text(row._tr) for row in headings] == ["Victims and Witnesses", "Justice"]
    texts = [all_text(row._tr) for row in plan_table(document).rows]
    assert texts.index("Victims and Witnesses") < next(i for i, t in enumerate(texts) if "advocacy" in t)
    assert table_text(reject_all(open_docx(out / "diff.docx"))) == table_text(open_docx(first / "paper.docx"))
    assert table_text(accept_all(document)) == table_text(open_docx(second / "paper.docx"))


def test_an_added_action_with_no_section_is_listed_under_no_section(tmp_path: Path) -> None:
    """diff.html's table of added actions showed an empty Section cell for an action the register gives no
    section; it says "No section", as the paper heads such actions."""
    root = make_workspace(tmp_path / "ws", register=[REGISTER_HEADINGS, *(row for row in ACTIONS if row[0] != 1)])
    old = build_draft(root)
    write_xlsx(root / "inputs" / "register.xlsx", [REGISTER_HEADINGS, *ACTIONS], sheet="Register")
    new = build_draft(root)
    assert main(["diff", str(old.folder), str(new.folder), "--out", str(tmp_path / "d")]) == 0
    tree = lxml.html.fromstring((tmp_path / "d" / "diff.html").read_text(encoding="utf-8"))
    [row] = tree.xpath('//section[@class="added"]//tbody/tr')
    assert [cell.text_content() for cell in row.xpath("th|td")][::2] == ["1", "No section"]


def test_a_changed_extra_column_is_named_by_its_heading_in_the_printed_summary(tmp_path: Path, capsys) -> None:
    """The register's "Lead officer" column, shown in the paper through [[register.extra]] key "officer", changed
    for action 3 between two drafts: diff.html named it "Lead officer", as the paper heads it, while the printed
    summary said "officer:", a settings key the reviewer finds nowhere in the paper. Both now use the heading."""
    extra = '[[register.extra]]\nkey = "officer"\nheading = "Lead officer"\n'
    columns = 'table_columns = ["ref", "action", "status", "explanation", "officer"]\n'
    toml = settings("2026-11-05").replace("[history]", columns + "[history]") + extra
    register = [(*REGISTER_HEADINGS, "Lead officer"), *((*a, f"Officer {a[0]}") for a in ACTIONS)]
    root = tmp_path / "ws"
    make_workspace(root, "2026-10", toml, register=register)
    first = build_draft(root, "2026-10").folder
    register = [row if row[0] != 3 else (*row[:-1], "Inspector Jones") for row in register]
    make_workspace(root, "2026-10", toml, register=register)
    second = build_draft(root, "2026-10").folder
    capsys.readouterr()
    out = tmp_path / "cmp"
    assert main(["diff", str(first), str(second), "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "    Lead officer: [-Officer 3-]{+Inspector Jones+}" in lines, lines
    assert not any(line.lstrip().startswith("officer:") for line in lines), lines
    html = " ".join(unescape((out / "diff.html").read_text(encoding="utf-8")).split())
    assert "Lead officer" in html


def test_an_action_back_in_the_paper_after_a_gap_is_said_to_be_back_in_diff_docx(tmp_path: Path) -> None:
    """Action 5, in September's paper, withdrawn from October's and back in November's: the summary and diff.html
    said it was back in the paper, but diff.docx showed it as a plain inserted row, as if new to the plan. Its
    status cell now says so too, in the same words, inserted with the row and in italics as the cell's notes are."""
    october, november, back = back_after_a_gap(tmp_path)
    out = compare_drafts(october, november, tmp_path / "cmp").folder
    document = open_docx(out / "diff.docx")
    [row] = [row for row in plan_table(document).rows if all_text(row.cells[0]._tc).strip() == "5"]
    assert row_change(row._tr) == "ins"
    headings = [cell.text for cell in plan_table(document).rows[0].cells]
    status = row.cells[headings.index("Status this reporting period")]._tc
    said = f"Back in the paper: {back}"
    assert said in [text for change, text in tracked_texts(status) if change == "ins"], tracked_texts(status)
    [run] = [run for run in status.iter(qn("w:r")) if all_text(run) == said]
    assert run.find(qn("w:rPr")).find(qn("w:i")) is not None
    assert said not in all_text(reject_all(open_docx(out / "diff.docx")).element.body)


def test_a_status_made_unrecognised_is_tracked_as_the_status_replaced_then_its_note(tmp_path: Path) -> None:
    """Action 2's status went from "In progress" to "Done" (not recognised, noted so in its status cell): diff.docx
    showed "Done" inserted above the old status, which was struck through beside the inserted note "Status not
    recognised", as if the note had replaced the status (the blank between two words paired them). The old status
    is now struck through and replaced by the new one, and the note inserted after them."""
    root = make_workspace(tmp_path / "ws", "2026-10", settings("2026-11-05"))
    first = build_draft(root, "2026-10").folder
    returns = default_returns()
    returns["opcc.xlsx"] = [(*row[:2], "Done", *row[3:]) if row[0] == 2 else row for row in returns["opcc.xlsx"]]
    make_workspace(root, "2026-10", settings("2026-11-05"), returns=returns)
    second = build_draft(root, "2026-10").folder
    out = compare_drafts(first, second, tmp_path / "cmp").folder
    table = plan_table(open_docx(out / "diff.docx"))
    headings = [cell.text for cell in table.rows[0].cells]
    [row] = [row for row in table.rows if all_text(row.cells[0]._tc).strip() == "2"]
    status = row.cells[headings.index("Status this reporting period")]._tc
    assert [(change, text) for change, text in tracked_texts(status) if text] == [
        ("del", "In progress"), ("ins", "Done"), ("ins", "Status not recognised")]
    assert [all_text(p) for p in status.iter(qn("w:p"))] == ["In progressDone", "Status not recognised"]


def test_a_link_pointed_elsewhere_under_the_same_words_shows_both_addresses_in_the_summary(tmp_path: Path) -> None:
    """Action 2's explanation links "the board papers" to a new address, its words unchanged: diff.html and diff.pdf
    struck the words through and underlined the same words again, so the printed summary seemed to say nothing had
    changed. Each side of the changed link is now followed by its address; a link reworded to the same address, and
    the words around it, get none."""
    def returns(address: str, words: str) -> dict[str, list[tuple[object, ...]]]:
        found = default_returns()
        found["opcc.xlsx"] = [(*row[:3], f"Published with [{words}]({address}) today.", row[4]) if row[0] == 2
                              else (*row[:3], f"See [the plan]({LINK}) for {words}.", row[4]) if row[0] == 4
                              else row for row in found["opcc.xlsx"]]
        return found

    root = make_workspace(tmp_path / "ws", "2026-10", settings("2026-11-05"),
                          returns=returns("https://www.example.gov.uk/board", "the board papers"))
    first = build_draft(root, "2026-10").folder
    make_workspace(root, "2026-10", settings("2026-11-05"),
                   returns=returns("https://www.example.gov.uk/board/2026", "the board papers"))
    second = build_draft(root, "2026-10").folder
    out = compare_drafts(first, second, tmp_path / "cmp").folder
    tree = lxml.html.fromstring((out / "diff.html").read_text(encoding="utf-8"))
    [cell] = [td for td in tree.xpath('//article[@class="action-change"]//td') if "board papers" in td.text_content()]
    assert [" ".join(mark.text_content().split()) for mark in cell.xpath(".//del|.//ins")] == [
        "the board papers", "(https://www.example.gov.uk/board)",
        "the board papers", "(https://www.example.gov.uk/board/2026)"]
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out / "diff.pdf").pages).split())
    assert "the board papers (https://www.example.gov.uk/board)" in text
    assert "the board papers (https://www.example.gov.uk/board/2026) today." in text

    make_workspace(root, "2026-10", settings("2026-11-05"),
                   returns=returns("https://www.example.gov.uk/board/2026", "the papers of the board"))
    third = build_draft(root, "2026-10").folder
    out = compare_drafts(second, third, tmp_path / "cmp-2").folder
    changed = json.loads((out / "diff.json").read_text(encoding="utf-8"))["diff"]["changed"]
    assert [change["ref"] for change in changed] == [2, 4]
    html = (out / "diff.html").read_text(encoding="utf-8")
    assert "(https://www.example.gov.uk/board/2026)" not in html and f"({LINK})" not in html


# ---------------------------------------------------------------- explanations as partners write them: links, <br>


def _explanations_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                           explanations: dict[int, tuple[str, str]]) -> tuple[Path, Path, Path]:
    """Two drafts of one period, each action's explanation `explanations[ref]` (old, new) in the partners' returns
    (the second written over the first, as a partner sends a corrected return), compared with `reportgen diff`:
    (the old draft, the new draft, the comparison's folder)."""
    def returns(side: int) -> dict[str, list[tuple[object, ...]]]:
        found = default_returns()
        return {name: [(*row[:3], explanations[row[0]][side], row[4]) if row[0] in explanations else row  # type: ignore[index]
                       for row in rows] for name, rows in found.items()}

    root = make_workspace(tmp_path / "ws", returns=returns(0))
    first = build_draft(root).folder
    for name, rows in returns(1).items():
        write_xlsx(root / "inputs" / "returns" / "2026-10" / name, rows)
    second = build_draft(root).folder
    capsys.readouterr()
    assert main(["diff", str(first), str(second), "--out", str(tmp_path / "cmp")]) == 0
    return first, second, Path(capsys.readouterr().out.splitlines()[-1])


def _explanation_cells(folder: Path) -> dict[int, lxml.html.HtmlElement]:
    """diff.html's explanation cell of each reworded action, by ref."""
    tree = lxml.html.fromstring((folder / "diff.html").read_text(encoding="utf-8"))
    return {int(article.find_class("ref")[0].text_content()): article.xpath('.//th[starts-with(., "Explanation")]'
                                                                            '/following-sibling::td')[0]
            for article in tree.find_class("action-change")}


def _marks(cell: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """(del|ins, text) of each marked run of a diff.html cell, in order."""
    return [(mark.tag, mark.text_content()) for mark in cell.iter("del", "ins")]


def _pdf_text(folder: Path) -> str:
    """diff.pdf's words with no blanks at all: a long address may be broken across lines."""
    return "".join("".join(page.extract_text() for page in PdfReader(folder / "diff.pdf").pages).split())


def _row_paragraphs(document: docx.document.Document) -> dict[int, list[list[tuple[str, str]]]]:
    """Each action row of the plan table, by ref: every cell's paragraphs as (style, text, tracked words too)."""
    rows = {}
    for row in plan_table(document).rows:
        ref = all_text(row._tr.tc_lst[0]).strip()
        if ref.isdigit():
            rows[int(ref)] = [[(p.style.name, all_text(p._p)) for p in cell.paragraphs] for cell in row.cells]
    return rows


def _tracked_words(document: docx.document.Document, ref: int) -> list[tuple[str, str]]:
    """(del|ins, text) of the tracked runs of action `ref`'s row (a tracked paragraph mark holds no words)."""
    row = next(row for row in plan_table(document).rows if all_text(row._tr.tc_lst[0]).strip() == str(ref))
    return [(change, text) for change, text in tracked_texts(row._tr) if text]


def _resolves_to_each_draft(folder: Path, old: Path, new: Path) -> None:
    """Rejecting every tracked change of diff.docx gives the old draft's plan table, paragraph by paragraph and
    style by style, and accepting them the new draft's."""
    for resolve, draft in ((reject_all, old), (accept_all, new)):
        assert _row_paragraphs(resolve(open_docx(folder / "diff.docx"))) == \
            _row_paragraphs(open_docx(draft / "paper.docx")), resolve.__name__


BOARD = "https://www.example.gov.uk/board"


def test_a_link_added_or_reworded_shows_its_address_once_in_every_output(tmp_path: Path, capsys) -> None:
    """An explanation that gained a bare address (typed as text, linked by the reader) printed it twice in diff.html
    and diff.pdf: the link, then the same address in brackets after it. The address follows a changed link only
    where its words do not already say it: a bare address, one beside a link already there, an e-mail address, and a
    link whose words changed but not its address get none (and is one link, its changed words marked inside it, not
    a link for each part); a link added under words of its own gets its address once. diff.docx tracks each, so
    that rejecting or accepting every change gives either draft's table."""
    first, second, folder = _explanations_compared(tmp_path, capsys, {
        1: ("The board met.", "The board met. Minutes: https://www.example.gov.uk/minutes"),
        2: ("See https://www.example.gov.uk/papers.",
            "See https://www.example.gov.uk/papers and www.example.gov.uk/agenda."),
        3: ("Ask the OPCC.", "Ask the OPCC at opcc@example.gov.uk."),
        4: (f"See [the papers]({BOARD}).", f"See [the board papers]({BOARD})."),
        5: ("Published.", f"Published with [the board papers]({BOARD})."),
        6: ("See https://www.example.gov.uk/2025 now.", "See https://www.example.gov.uk/2026 now."),
    })
    cells = {ref: " ".join(cell.text_content().split()) for ref, cell in _explanation_cells(folder).items()}
    assert cells == {
        1: "The board met. Minutes: https://www.example.gov.uk/minutes",
        2: "See https://www.example.gov.uk/papers and www.example.gov.uk/agenda.",
        3: "Ask the OPCC at opcc@example.gov.uk.",
        4: "See the board papers.",
        5: f"Published with the board papers ({BOARD}).",
        6: "See https://www.example.gov.uk/2025 https://www.example.gov.uk/2026 now.",
    }
    marks = {ref: _marks(cell) for ref, cell in _explanation_cells(folder).items()}
    assert [text for _, text in marks[4]] == ["board "] and [text for _, text in marks[5]][-1] == f" ({BOARD})"
    # a link whose words changed is one link, its new word marked inside it; one pointed elsewhere is two
    links = {ref: [(a.get("href"), a.text_content(), [m.tag for m in a.iter("del", "ins")]) for a in cell.iter("a")]
             for ref, cell in _explanation_cells(folder).items()}
    assert links[4] == [(BOARD, "the board papers", ["ins"])]
    assert links[6] == [("https://www.example.gov.uk/2025", "https://www.example.gov.uk/2025", ["del"]),
                        ("https://www.example.gov.uk/2026", "https://www.example.gov.uk/2026", ["ins"])]
    text = _pdf_text(folder)
    for address in ("https://www.example.gov.uk/minutes", "www.example.gov.uk/agenda", "opcc@example.gov.uk",
                    "https://www.example.gov.uk/2026"):
        assert text.count(address) == 1, address
    assert text.count(BOARD) == 1 and "Seetheboardpapers." in text
    _resolves_to_each_draft(folder, first, second)
    document = open_docx(folder / "diff.docx")
    assert _tracked_words(document, 1) == [("ins", " Minutes: "), ("ins", "https://www.example.gov.uk/minutes")]
    assert _tracked_words(document, 4) == [("ins", "board ")]


def test_a_line_break_in_an_explanation_leaves_the_sentences_around_it_in_place(tmp_path: Path, capsys) -> None:
    """A partner's <br> starts a paragraph. Reworded with a <br> added (or taken out, or moved), an explanation
    showed the sentence after the break deleted and inserted whole, the one word changed in it lost in the
    sentence. Now diff.html and diff.pdf mark exactly the words that changed and the break itself (a pilcrow,
    inserted or struck through); diff.docx tracks the paragraph mark, so that rejecting every change joins the
    sentences again and accepting them splits them, as in either draft, each list item keeping its style."""
    first, second, folder = _explanations_compared(tmp_path, capsys, {
        1: ("The board met in May. It agreed the recent plan.", "The board met in May.<br>It agreed the latest plan."),
        2: ("<p>The board met in May.<br>It agreed the recent plan.</p>",
            "<p>The board met in May. It agreed the latest plan.</p>"),
        3: ("<p>The board met in May.<br>It agreed the recent plan.</p>",
            "<p>The board met in May.<br>It agreed the latest plan.</p>"),
        4: ("We met on<br>27 January and agreed the plan.", "We met on 27 January<br>and agreed the plan."),
        5: ("<ul><li>Ask the board. Report back.</li><li>Close.</li></ul>",
            "<ul><li>Ask the board.<br>Report back.</li><li>Close.</li></ul>"),
        6: ("Line one. Line two.", "Line one.<br>Line two."),
    })
    marks = {ref: _marks(cell) for ref, cell in _explanation_cells(folder).items()}
    assert marks == {
        1: [("del", " "), ("ins", "¶"), ("del", "recent"), ("ins", "latest")],
        2: [("del", "¶"), ("ins", " "), ("del", "recent"), ("ins", "latest")],
        3: [("del", "recent"), ("ins", "latest")],
        4: [("del", "¶"), ("ins", " "), ("del", " "), ("ins", "¶")],
        5: [("del", " "), ("ins", "¶")],
        6: [("del", " "), ("ins", "¶")],
    }
    cells = _explanation_cells(folder)
    # a <br> inside a list item is a line within it: the item stays one, its new line marked where it starts
    assert [li.text_content() for li in cells[5].iter("li")] == ["Ask the board. ¶Report back.", "Close."]
    assert [br.getparent().tag for br in cells[5].iter("br")] == ["ins"]
    text = _pdf_text(folder)
    assert text.count("Itagreedthe") == 3 and text.count("Itagreedtherecentlatestplan.") == 3
    _resolves_to_each_draft(folder, first, second)
    document = open_docx(folder / "diff.docx")
    assert _tracked_words(document, 1) == [("del", " "), ("del", "recent"), ("ins", "latest")]
    assert _tracked_words(document, 6) == [("del", " ")]
    # paragraph marks, not line breaks inside one, but for the line break within action 5's list item: inserted
    assert [br.getparent().getparent().tag for br in document.element.body.iter(qn("w:br"))] == [W_INS]


# ---------------------------------------------------------------- an action the register words in HTML


HTML_ACTION = ('<p>Publish the <b>{word}</b> plan with <a href="https://www.example.gov.uk/plan">the board</a>.</p>'
               '<ul><li>Consult partners.</li></ul>')


def test_an_action_worded_in_html_is_compared_as_the_paper_shows_it(tmp_path: Path, capsys) -> None:
    """The register may word an action in HTML (the February 2023 register's "<p>Investigate the viability…"): the
    paper parses it into paragraphs, list items, links and bold words. diff.html and diff.pdf compared it as its
    bare words: the link gone, the list item a paragraph. They now show the Action field as the paper does, its
    changed word marked; the terminal summary holds its words and diff.json its words and links (`[the board](…)`, so
    that a link pointed elsewhere is a change there too), never its tags."""
    root = make_workspace(tmp_path / "ws")
    register = [REGISTER_HEADINGS, *((ref, section, lead, HTML_ACTION.format(word="commissioning"), page)
                                     if ref == 2 else (ref, section, lead, text, page)
                                     for ref, section, lead, text, page in ACTIONS)]
    write_xlsx(root / "inputs" / "register.xlsx", register, sheet="Register")
    first = build_draft(root).folder
    register[2] = (*register[2][:3], HTML_ACTION.format(word="delivery"), register[2][4])
    write_xlsx(root / "inputs" / "register.xlsx", register, sheet="Register")
    second = build_draft(root).folder
    capsys.readouterr()
    assert main(["diff", str(first), str(second), "--out", str(tmp_path / "cmp")]) == 0
    out = capsys.readouterr().out
    folder = Path(out.splitlines()[-1])
    assert "Action: Publish the [-commissioning-]{+delivery+} plan with the board.\n" in out and "<" not in out
    tree = lxml.html.fromstring((folder / "diff.html").read_text(encoding="utf-8"))
    [article] = tree.find_class("action-change")
    cell = article.xpath('.//th[. = "Action"]/following-sibling::td')[0]
    assert _marks(cell) == [("del", "commissioning"), ("ins", "delivery")]
    assert [(a.get("href"), a.text_content()) for a in cell.iter("a")] == [("https://www.example.gov.uk/plan",
                                                                            "the board")]
    assert [li.text_content() for li in cell.iter("li")] == ["Consult partners."]
    assert [s.text_content() for s in cell.iter("strong")] == ["commissioning", "delivery"]
    assert "<p>" not in cell.text_content() and "<p>" not in _pdf_text(folder)
    [change] = json.loads((folder / "diff.json").read_text(encoding="utf-8"))["diff"]["changed"]
    [action] = change["changes"]
    assert action["new"] == \
        "Publish the delivery plan with [the board](https://www.example.gov.uk/plan).\nConsult partners."
    assert "<" not in action["old"] + action["new"]


# ---------------------------------------------------------------- a line break within a list item


def _with_breaks(element: Element) -> str:
    """The words under a DOCX element with each w:br as a line break (tracked words too)."""
    return "".join("\n" if node.tag == qn("w:br") else node.text or ""
                   for node in element.iter(qn("w:t"), qn("w:delText"), qn("w:br")))


def _item_paragraphs(document: docx.document.Document, ref: int) -> list[tuple[str, str]]:
    """(style, text with its line breaks) of each paragraph of action `ref`'s explanation cell in the plan table."""
    row = next(row for row in plan_table(document).rows if all_text(row._tr.tc_lst[0]).strip() == str(ref))
    return [(p.style.name, _with_breaks(p._p)) for p in row.cells[3].paragraphs]


def test_a_line_break_in_a_list_item_stays_in_the_item_in_every_edition(tmp_path: Path, capsys) -> None:
    """A partner's <br> inside an <li> started a new bullet in the paper. It is a line within the item: a w:br in
    the list paragraph of paper.docx, a <br> inside the <li> of the web edition and of the PDF's HTML (no bullet
    before the line in paper.pdf); the comparison marks a break added there inside the item, and rejecting or
    accepting every tracked change of diff.docx gives either draft's item, line breaks included."""
    first, second, folder = _explanations_compared(tmp_path, capsys, {
        1: ("<ul><li>Ask the board.<br>Report back in June.</li><li>Close.</li></ul>",
            "<ul><li>Ask the board.<br>Report back in July.</li><li>Close.</li></ul>"),
        2: ("<ul><li>Ask the board. Report back.</li><li>Close.</li></ul>",
            "<ul><li>Ask the board.<br>Report back.</li><li>Close.</li></ul>"),
    })
    paper = open_docx(second / "paper.docx")
    assert _item_paragraphs(paper, 1) == [("List Bullet", "Ask the board.\nReport back in July."),
                                          ("List Bullet", "Close.")]
    web = lxml.html.fromstring((second / "paper.html").read_text(encoding="utf-8"))
    [item] = [li for li in web.iter("li") if "Report back in July." in li.text_content()]
    assert [child.tag for child in item] == ["br"] and item.text == "Ask the board." and \
        item[0].tail == "Report back in July."
    with pdfplumber.open(second / "paper.pdf") as pdf:
        lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    assert "Report back in July." in lines and "• Close." in lines  # the item's own line, with no bullet
    cells = _explanation_cells(folder)
    assert _marks(cells[1]) == [("del", "June"), ("ins", "July")]
    assert [li.text_content() for li in cells[2].iter("li")] == ["Ask the board. ¶Report back.", "Close."]
    assert _marks(cells[2]) == [("del", " "), ("ins", "¶")]
    for resolve, draft in ((reject_all, first), (accept_all, second)):
        compared = resolve(open_docx(folder / "diff.docx"))
        for ref in (1, 2):
            assert _item_paragraphs(compared, ref) == _item_paragraphs(open_docx(draft / "paper.docx"), ref), \
                (resolve.__name__, ref)


def test_the_terminal_summary_shows_a_line_break_added_or_taken_out_as_a_pilcrow(tmp_path: Path, capsys) -> None:
    """The printed summary showed a line break added as "[- -]{+" and a newline, the next line starting inside the
    marks ("+}First…"). It now reads as diff.html does: the break a pilcrow inside the marks, then the line breaks,
    whether the break is between paragraphs or within a list item, added or taken out."""
    first, second, _ = _explanations_compared(tmp_path, capsys, {
        1: ("The board met. It agreed the plan.", "The board met.<br>It agreed the plan."),
        2: ("The board met.<br>It agreed the plan.", "The board met. It agreed the plan."),
        3: ("<ul><li>Ask the board. Report back.</li></ul>", "<ul><li>Ask the board.<br>Report back.</li></ul>"),
    })
    assert main(["diff", str(first), str(second), "--out", str(tmp_path / "again")]) == 0
    printed = capsys.readouterr().out
    assert "  1 Develop a prevention strategy.\n    Explanation: The board met.[- -]{+¶+}\n    It agreed the plan.\n" \
        in printed
    assert "    Explanation: The board met.[-¶-]\n    {+ +}It agreed the plan.\n" in printed
    assert "    Explanation: Ask the board.[- -]{+¶+}\n    Report back.\n" in printed
    assert "{+\n" not in printed and "[-\n" not in printed


def test_the_terminal_summary_says_an_explanation_set_out_anew_in_the_same_words(tmp_path: Path, capsys) -> None:
    """A list item turned into a paragraph, or a paragraph into an item, changes no word: the printed summary listed
    the action with an empty "Explanation:". It now says the words are the same and set out differently, as
    diff.html shows (the item deleted, the paragraph inserted)."""
    first, second, compared = _explanations_compared(tmp_path, capsys, {
        1: ("<ul><li>Ask the board.</li></ul>", "<p>Ask the board.</p>"),
        2: ("<p>Report back in May.</p>", "<ul><li>Report back in May.</li></ul>"),
    })
    assert main(["diff", str(first), str(second), "--out", str(tmp_path / "again")]) == 0
    printed = capsys.readouterr().out
    assert "Explanation: \n" not in printed and not printed.rstrip().endswith("Explanation:"), printed
    assert printed.count("    Explanation: (the same words, set out differently: diff.html shows how)\n") == 2, printed
    cells = _explanation_cells(compared)
    assert cells[1].xpath("string(.//del)") == "Ask the board." and cells[1].xpath("string(.//ins)") == "Ask the board."


def test_the_terminal_summary_says_a_word_made_bold_beside_words_reworded(tmp_path: Path, capsys) -> None:
    """A partner rewords an explanation and, in the same edit, makes a word it kept bold or a kept item a paragraph.
    The printed summary showed the reworded words only: a reviewer reading the terminal could not tell the bold
    word from the rest, while diff.html, diff.pdf and diff.docx showed it. The summary now adds, after the words, that
    some words are also set out differently; an explanation reworded with its look unchanged gets no such line."""
    first, second, _compared = _explanations_compared(tmp_path, capsys, {
        1: ("<p>Report back in May to the board.</p>", "<p>Report back in <b>May</b> to the Panel.</p>"),
        2: ("<ul><li>Ask the board.</li></ul><p>Then report.</p>", "<p>Ask the board.</p><p>Then report in June.</p>"),
        3: ("<p>Report back in <b>May</b> to the board.</p>", "<p>Report back in <b>May</b> to the Panel.</p>"),
        # words added in front of a paragraph's first word: added words, not a paragraph begun anew
        4: ("<p>Summer 2027.</p><p>Then report.</p>", "<p>Early Summer 2027.</p><p>First, then report.</p>"),
        # two paragraphs made one, a word added where they met: set out anew as well as reworded
        5: ("<p>Ask the board.</p><p>Report in June.</p>", "<p>Ask the board. Then report in June.</p>"),
    })
    assert main(["diff", str(first), str(second), "--out", str(tmp_path / "again")]) == 0
    printed = capsys.readouterr().out
    also = "      (other words the same, set out differently: diff.html shows how)\n"
    assert "    Explanation: Report back in May to the [-board-]{+Panel+}.\n" + also in printed, printed
    assert "    Explanation: Ask the board.\n    Then report{+ in June+}.\n" + also in printed, printed
    assert "    Explanation: {+Early +}Summer 2027.\n    [-Then-]{+First, then+} report.\n  5 " in printed, printed
    assert printed.count(also) == 3, printed


def test_a_narrative_word_made_bold_is_said_by_every_comparison_output(tmp_path: Path) -> None:
    """The secretariat makes a word of the narrative bold and nothing else: the printed summary, diff.html and
    diff.json said nothing ("No changes."), though diff.docx tracked it. Made bold beside a word reworded, the
    summary printed the reworded word only. Each now says it as a partner's explanation set out anew is said."""
    text = "# Delivery\n\nThe board reviewed the plan each month.\n\nTwo actions are on hold until the spring.\n"
    root = make_workspace(tmp_path / "ws", narrative=text)
    narrative = root / "narrative.md"
    first = build_draft(root).folder
    narrative.write_text(text.replace("reviewed", "**reviewed**"), encoding="utf-8")
    second = build_draft(root).folder
    folder, printed = _diff_cli(first, second, tmp_path / "bold")
    assert "Narrative changed:\n  (the same words, set out differently: diff.html shows how)\n" in printed, printed
    record = json.loads((folder / "diff.json").read_text(encoding="utf-8"))
    assert record["empty"] is False and record["diff"]["narrative_set_out"] is True
    tree = lxml.html.fromstring((folder / "diff.html").read_text(encoding="utf-8"))
    [section] = tree.find_class("narrative-changes")
    assert [(mark.tag, mark.text_content(), [child.tag for child in mark]) for mark in section.iter("del", "ins")] \
        == [("del", "reviewed", []), ("ins", "reviewed", ["strong"])]

    narrative.write_text(text.replace("reviewed", "**reviewed**").replace("spring", "summer"), encoding="utf-8")
    third = build_draft(root).folder
    _folder, printed = _diff_cli(first, third, tmp_path / "both")
    assert "[-spring-]{+summer+}.\n  (other words the same, set out differently: diff.html shows how)\n" in printed, \
        printed
    _folder, printed = _diff_cli(second, third, tmp_path / "words")  # the bold word in both: words only
    assert "[-spring-]{+summer+}" in printed and "set out differently" not in printed, printed


# ---------------------------------------------------------------- a changed link or look with the same words


def _diff_cli(first: Path, second: Path, out: Path) -> tuple[Path, str]:
    """`reportgen diff FIRST SECOND --out OUT` as a user runs it: (its folder, what it printed)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "diff", str(first), str(second),
                           "--out", str(out)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return Path(done.stdout.splitlines()[-1]), done.stdout


def _field_cell(folder: Path, ref: int, field: str) -> lxml.html.HtmlElement:
    """diff.html's cell of one field of a changed action."""
    tree = lxml.html.fromstring((folder / "diff.html").read_text(encoding="utf-8"))
    [article] = [article for article in tree.find_class("action-change")
                 if article.find_class("ref")[0].text_content().strip() == str(ref)]
    return article.xpath(f'.//th[starts-with(., "{field}")]/following-sibling::td')[0]


LINKED_ACTION = '<p>Publish the plan with <a href="{href}">the <b>board</b></a>.</p>'


def test_an_action_whose_link_points_elsewhere_under_the_same_words_is_reported(tmp_path: Path) -> None:
    """The register words an action in HTML with a link; the next register points the link elsewhere, the words
    the same. A draft keeps the action's words, which were equal, so diff.html, the printed summary and diff.json
    said nothing. Each now says it as an explanation's changed link is said: the printed summary "link 'the
    board': [-old-]{+new+}", diff.html the old link deleted beside the new one inserted, each followed by its
    address, diff.json the action's value with its link (`[the board](address)`), and diff.docx tracks it."""
    old_href, new_href = "https://www.example.gov.uk/plan-2025", "https://www.example.gov.uk/plan-2026"
    root = make_workspace(tmp_path / "ws")
    register = [REGISTER_HEADINGS, *((ref, section, lead, LINKED_ACTION.format(href=old_href), page)
                                     if ref == 2 else (ref, section, lead, text, page)
                                     for ref, section, lead, text, page in ACTIONS)]
    write_xlsx(root / "inputs" / "register.xlsx", register, sheet="Register")
    first = build_draft(root).folder
    register[2] = (*register[2][:3], LINKED_ACTION.format(href=new_href), register[2][4])
    write_xlsx(root / "inputs" / "register.xlsx", register, sheet="Register")
    second = build_draft(root).folder
    folder, printed = _diff_cli(first, second, tmp_path / "cmp")
    assert "1 action reworded:\n  2 Publish the plan with the board.\n" \
        f"    Action: link 'the board': [-{old_href}-]{{+{new_href}+}}\n" in printed, printed
    [change] = json.loads((folder / "diff.json").read_text(encoding="utf-8"))["diff"]["changed"]
    [action] = change["changes"]
    assert (change["ref"], action["field"]) == (2, "action")
    assert (action["old"], action["new"]) == (f"Publish the plan with [the board]({old_href}).",
                                              f"Publish the plan with [the board]({new_href}).")
    assert "".join(span["text"] for span in action["words"] if span["op"] != "insert") == action["old"]
    cell = _field_cell(folder, 2, "Action")
    assert [(a.get("href"), a.text_content(), [mark.tag for mark in a.iter("del", "ins")]) for a in cell.iter("a")] \
        == [(old_href, "the board", ["del", "del"]), (new_href, "the board", ["ins", "ins"])]
    assert " ".join(cell.text_content().split()) == \
        f"Publish the plan with the board ({old_href}) the board ({new_href})."
    assert [s.text_content() for s in cell.iter("strong")] == ["board", "board"]
    assert _pdf_text(folder).count(new_href) == 1
    document = open_docx(folder / "diff.docx")
    assert _tracked_words(document, 2) == [("del", "the "), ("del", "board"), ("ins", "the "), ("ins", "board")]
    _resolves_to_each_draft(folder, first, second)


def test_a_word_made_bold_is_listed_as_changed_the_same_words_set_out_differently(tmp_path: Path) -> None:
    """An explanation whose only change is a word made bold ("Report back in May." -> "Report back in <b>May</b>.")
    was not reported, while a list item made a paragraph is ("the same words, set out differently"). It is now
    listed as changed with the same note; diff.json records it as it records a list item made a paragraph (the
    explanations as the partners wrote them, word by word); diff.html shows the plain word deleted and the bold one
    inserted; diff.docx tracks it. An action the register makes bold is said the same way, diff.json giving its
    words, the same on both sides."""
    def returns(explanations: dict[int, str]) -> dict[str, list[tuple[object, ...]]]:
        return {name: [(*row[:3], explanations[row[0]], row[4]) if row[0] in explanations else row  # type: ignore[index]
                       for row in rows] for name, rows in default_returns().items()}

    root = make_workspace(tmp_path / "ws", returns=returns({1: "Report back in May.", 3: "Report back in <b>May</b>."}))
    first = build_draft(root).folder
    for name, rows in returns({1: "Report back in <i>May</i>.", 3: "Report back in May."}).items():
        write_xlsx(root / "inputs" / "returns" / "2026-10" / name, rows)
    register = [REGISTER_HEADINGS, *((ref, section, lead, f"<b>{text}</b>" if ref == 5 else text, page)
                                     for ref, section, lead, text, page in ACTIONS)]
    write_xlsx(root / "inputs" / "register.xlsx", register, sheet="Register")
    second = build_draft(root).folder
    folder, printed = _diff_cli(first, second, tmp_path / "cmp")
    note = "(the same words, set out differently: diff.html shows how)"
    assert printed.count(f"    Explanation: {note}\n") == 2 and f"    Action: {note}\n" in printed, printed
    changed = {change["ref"]: change["changes"]
               for change in json.loads((folder / "diff.json").read_text(encoding="utf-8"))["diff"]["changed"]}
    assert sorted(changed) == [1, 3, 5]
    [bold_gone] = changed[3]
    assert (bold_gone["field"], bold_gone["old"], bold_gone["new"]) == \
        ("explanation", "Report back in <b>May</b>.", "Report back in May.")
    [bold_action] = changed[5]
    words = dict((ref, text) for ref, _section, _lead, text, _page in ACTIONS)[5]
    assert bold_action == {"field": "action", "old": words, "new": words, "words": [{"op": "equal", "text": words}],
                           "links": []}
    for ref, was, now in ((1, [], ["em"]), (3, ["strong"], [])):
        cell = _field_cell(folder, ref, "Explanation")
        assert _marks(cell) == [("del", "May"), ("ins", "May")], ref
        assert [[child.tag for child in mark] for mark in cell.iter("del", "ins")] == [was, now], ref
    action = _field_cell(folder, 5, "Action")
    assert [(mark.tag, [child.tag for child in mark]) for mark in action.iter("del", "ins")] == \
        [("del", []), ("ins", ["strong"])]
    document = open_docx(folder / "diff.docx")
    assert _tracked_words(document, 3) == [("del", "May"), ("ins", "May")]
    assert _tracked_words(document, 5) == [("del", words), ("ins", words)]
    _resolves_to_each_draft(folder, first, second)


# ---------------------------------------------------------------- links side by side, as the reviewer sees them


def _cli(*args: str) -> str:
    """`reportgen ARGS` as a user runs it, in a process of its own: what it printed."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return done.stdout


def _explanations_built_and_compared(tmp_path: Path, explanations: dict[int, tuple[str, str]]
                                     ) -> tuple[Path, Path, Path, str]:
    """`reportgen build` twice, each action's explanation `explanations[ref]` (old, new) in the partners' returns (a
    partner sending a corrected return between the builds), then `reportgen diff`: (old draft, new draft, the
    comparison's folder, what it printed)."""
    def returns(side: int) -> dict[str, list[tuple[object, ...]]]:
        return {name: [(*row[:3], explanations[row[0]][side], row[4]) if row[0] in explanations else row  # type: ignore[index]
                       for row in rows] for name, rows in default_returns().items()}

    root = make_workspace(tmp_path / "ws", returns=returns(0))
    first = Path(_cli("build", "--workspace", str(root)).splitlines()[-1])
    for name, rows in returns(1).items():
        write_xlsx(root / "inputs" / "returns" / "2026-10" / name, rows)
    second = Path(_cli("build", "--workspace", str(root)).splitlines()[-1])
    folder, printed = _diff_cli(first, second, tmp_path / "cmp")
    return first, second, folder, printed


def _printed_by_action(printed: str) -> dict[int, list[str]]:
    """What `reportgen diff` printed under each action it lists: ref -> its lines."""
    explained: dict[int, list[str]] = {}
    for line in printed.splitlines():
        if re.match(r"  \d+ ", line):
            explained[ref := int(line.split()[0])] = []
        elif line.startswith("    ") and explained:
            explained[ref].append(line.strip())
    return explained


PAPERS, MINUTES = "https://www.example.gov.uk/papers", "https://www.example.gov.uk/minutes"

# (JavaScript) each deletion and the insertion right after it with no words between them, in a diff.html cell: their
# words, and the blank a reader sees between them on the line, in ems (None when the insertion starts a new line)
TOUCHING_MARKS = """cell => {
  const marks = [...cell.querySelectorAll("del, ins")];
  const found = [];
  marks.slice(1).forEach((mark, at) => {
    const before = marks[at];
    const between = document.createRange();
    between.setStartAfter(before);
    between.setEndBefore(mark);
    if (before.tagName !== "DEL" || mark.tagName !== "INS" || between.toString().trim() !== "") return;
    const end = [...before.getClientRects()].pop(), start = mark.getClientRects()[0];
    const em = parseFloat(getComputedStyle(mark).fontSize);
    found.push([before.textContent.trim(), mark.textContent.trim(),
                Math.abs(end.top - start.top) < 1 ? (start.left - end.right) / em : null]);
  });
  return found;
}"""


def test_a_link_pointed_elsewhere_is_set_apart_from_what_follows_it_in_diff_html(tmp_path: Path) -> None:
    """A link pointed elsewhere under the same words is shown deleted, with its old address, beside the link
    inserted: in diff.html (and diff.pdf) the old address ran into the new link's words ("…/papers)the board
    papers"), and a bare address replaced ran into the new one, while a word replaced is set apart from the new
    word ("May June", not "MayJune"). The template wraps a link's marks in its <a>, which the stylesheet's rule did
    not see through; a deletion and the insertion after it are now set apart wherever either is a link, as a
    Chromium reader sees them."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM

    _, _, folder, _ = _explanations_built_and_compared(tmp_path, {
        1: (f'See the <a href="{PAPERS}">board papers</a> for detail.',
            f'See the <a href="{PAPERS}/2026">board papers</a> for detail.'),
        2: (f'<a href="{MINUTES}">Minutes</a> <a href="{PAPERS}">board papers</a>',
            f'<a href="{MINUTES}/2026">Minutes</a> <a href="{PAPERS}">board papers</a>'),
        3: ("See https://www.example.gov.uk/2025 now.", "See https://www.example.gov.uk/2026 now."),
        4: ("Report back in May.", "Report back in June."),
        5: ("Meet in May with the board.", "Meet with the board and partners."),
    })
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((folder / "diff.html").as_uri())
        touching = {ref: page.eval_on_selector(
            f'xpath=//article[@class="action-change"][.//span[@class="ref"][normalize-space()="{ref}"]]'
            '//th[starts-with(., "Explanation")]/following-sibling::td', TOUCHING_MARKS) for ref in range(1, 5)}
        # an insertion after unchanged words has their space before it, and no more: "…board and partners", and
        # the key above the changes, "struck through and new words are underlined"
        spaced = page.eval_on_selector_all("ins", """marks => marks.map(mark => [mark.textContent.trim(),
            parseFloat(getComputedStyle(mark).marginLeft) + parseFloat(getComputedStyle(mark.closest("a") || mark)
            .marginLeft)])""")
        browser.close()
    assert ["and partners", 0] in spaced and ["new words are underlined", 0] in spaced, spaced
    assert {ref: [(deleted, inserted) for deleted, inserted, _ in pairs] for ref, pairs in touching.items()} == {
        1: [(f"({PAPERS})", "board papers")],
        2: [(f"({MINUTES})", "Minutes")],
        3: [("https://www.example.gov.uk/2025", "https://www.example.gov.uk/2026")],
        4: [("May", "June")],
    }
    gaps = {(ref, deleted): gap for ref, pairs in touching.items() for deleted, _, gap in pairs}
    assert all(gap is not None and gap >= 0.25 for gap in gaps.values()), gaps  # as far apart as "May June"


def test_links_to_one_address_side_by_side_stay_two_links_in_the_comparison(tmp_path: Path) -> None:
    """Two links to one address written side by side (`<a href="X">one</a><a href="X">two</a>`, or with a space
    between) are two links in the paper's DOCX, PDF and web edition. In a reworded explanation diff.docx compared
    the cell word by word and joined neighbouring words of one link and look, so the two came out as one hyperlink
    ("onetwo"), and diff.html as one <a>. Each now stays a link of its own, as the paper draws them; a link whose
    words are bold in part is still one link in diff.html, and the tracked changes still give back either draft."""
    links = (f'Read <a href="{MINUTES}">one</a><a href="{MINUTES}">two</a> and <a href="{PAPERS}">three</a> '
             f'<a href="{PAPERS}">four</a>, then <a href="{PAPERS}">the <b>board</b></a> in {{}}.')
    first, second, folder, _ = _explanations_built_and_compared(tmp_path,
                                                                {5: (links.format("May"), links.format("June"))})
    expected = [(MINUTES, "one"), (MINUTES, "two"), (PAPERS, "three"), (PAPERS, "four")]

    def hyperlinks(path: Path) -> list[tuple[str, str]]:
        document = open_docx(path)
        row = next(row for row in plan_table(document).rows if all_text(row._tr.tc_lst[0]).strip() == "5")
        return [(document.part.rels[link.get(qn("r:id"))].target_ref, all_text(link))
                for link in row._tr.iter(qn("w:hyperlink"))]

    # the paper's DOCX writes a hyperlink for each inline: the bold word of the last link is one of its own
    assert hyperlinks(second / "paper.docx") == [*expected, (PAPERS, "the "), (PAPERS, "board")]
    assert hyperlinks(folder / "diff.docx") == hyperlinks(second / "paper.docx")
    assert _tracked_words(open_docx(folder / "diff.docx"), 5) == [("del", "May"), ("ins", "June")]
    _resolves_to_each_draft(folder, first, second)

    def anchors(cell: lxml.html.HtmlElement) -> list[tuple[str, str]]:
        return [(a.get("href"), a.text_content()) for a in cell.iter("a")]

    web = lxml.html.fromstring((second / "paper.html").read_text(encoding="utf-8"))
    [paper_cell] = web.xpath('//tr[@id="action-5"]/td[contains(@class, "col-explanation")]')
    assert anchors(paper_cell) == [*expected, (PAPERS, "the board")]
    assert anchors(_field_cell(folder, 5, "Explanation")) == anchors(paper_cell)


def test_a_link_pointed_elsewhere_is_said_when_other_words_changed_too(tmp_path: Path) -> None:
    """A link pointed elsewhere in an explanation whose other words changed too went unmentioned in the printed
    summary, which showed the word changes alone ("See [-papers-]{+minutes+} and the board in [-May-]{+June+}"), and
    diff.json recorded the new address only inside the partner's HTML; diff.html gave the deleted link no old
    address where the new explanation still linked to it elsewhere. Each link whose address changed is now said
    after the words, as when it is the only change ("link 'minutes': [-old-]{+new+}"), listed in diff.json, and
    diff.html follows the link deleted and the one inserted in its place with their addresses; a link reworded to
    the same address, and a bare address (its words say it), get no such line."""
    agenda = f'<a href="{PAPERS}/agenda">the agenda</a>'
    first, second, folder, printed = _explanations_built_and_compared(tmp_path, {
        1: (f'See <a href="{PAPERS}">papers</a> and the board in May.',
            f'See <a href="{MINUTES}">minutes</a> and the board in June.'),
        2: (f'See <a href="{PAPERS}">papers</a> and {agenda} in May.',
            f'See <a href="{PAPERS}/agenda">minutes</a> and {agenda} in June.'),
        3: (f'See <a href="{PAPERS}">the papers</a> in May.', f'See <a href="{MINUTES}">the papers</a> in June.'),
        4: (f'See <a href="{PAPERS}">the papers</a> in May.', f'See <a href="{PAPERS}">the board papers</a> in June.'),
        5: ("See https://www.example.gov.uk/2025 in May.", "See https://www.example.gov.uk/2026 in June."),
    })
    assert _printed_by_action(printed) == {
        1: ["Explanation: See [-papers-]{+minutes+} and the board in [-May-]{+June+}.",
            f"link 'minutes': [-{PAPERS}-]{{+{MINUTES}+}}"],
        2: ["Explanation: See [-papers-]{+minutes+} and the agenda in [-May-]{+June+}.",
            f"link 'minutes': [-{PAPERS}-]{{+{PAPERS}/agenda+}}"],
        3: ["Explanation: See the papers in [-May-]{+June+}.", f"link 'the papers': [-{PAPERS}-]{{+{MINUTES}+}}"],
        4: ["Explanation: See the{+ board+} papers in [-May-]{+June+}."],
        5: ["Explanation: See https://www.example.gov.uk/[-2025-]{+2026+} in [-May-]{+June+}."],
    }, printed
    record = json.loads((folder / "diff.json").read_text(encoding="utf-8"))["diff"]["changed"]
    assert {change["ref"]: change["changes"][0]["links"] for change in record} == {
        1: [{"words": "minutes", "old": PAPERS, "new": MINUTES}],
        2: [{"words": "minutes", "old": PAPERS, "new": f"{PAPERS}/agenda"}],
        3: [{"words": "the papers", "old": PAPERS, "new": MINUTES}], 4: [], 5: []}
    cells = {ref: " ".join(cell.text_content().split()) for ref, cell in _explanation_cells(folder).items()}
    assert cells[1] == f"See papers ({PAPERS}) minutes ({MINUTES}) and the board in May June."
    # the old address of the link in its place, though the new explanation links to it elsewhere, and the new one
    assert cells[2] == f"See papers ({PAPERS}) minutes ({PAPERS}/agenda) and the agenda in May June."
    assert cells[3] == f"See the papers ({PAPERS}) the papers ({MINUTES}) in May June."
    assert f"({PAPERS})" not in cells[4] and "(" not in cells[5]
    text = _pdf_text(folder)
    assert f"papers({PAPERS})minutes({PAPERS}/agenda)andtheagenda" in text
    _resolves_to_each_draft(folder, first, second)


def test_a_link_added_or_taken_out_is_said_so_and_an_address_is_compared_whole(tmp_path: Path) -> None:
    """A link put on words that had none was printed as replacing "(no address)" (`link 'the agenda': [-(no
    address)-]{+https://…+}`), and a sentence rewritten around a new web address matched the old sentence's full stop
    to the one inside the address (`…see https://example+}.{+org/group+}`). A link only the new draft has is now
    "added", one only the old draft has "taken out"; an address is compared whole, and piece by piece only against
    another on the same site (its page or the name before the @ changed), never as a jumble of dots and slashes."""
    group = "https://www.example.gov.uk/group"
    _, _, folder, printed = _explanations_built_and_compared(tmp_path, {
        1: (f'See <a href="{PAPERS}">the papers</a> in May.', "See the papers in June."),
        2: ("See the papers in May.", f'See <a href="{PAPERS}">the papers</a> in June.'),
        3: ("Work will start in the spring.", f"Work will start once agreed: see {group}"),
        4: ("See https://www.example.gov.uk/2025 in May.", "See https://archive.example.org/2025 in May."),
        5: ("Write to j.smith@example.gov.uk today.", "Write to j.smyth@example.gov.uk today."),
    })
    assert _printed_by_action(printed) == {
        1: ["Explanation: See the papers in [-May-]{+June+}.", f"link 'the papers' taken out: [-{PAPERS}-]"],
        2: ["Explanation: See the papers in [-May-]{+June+}.", f"link 'the papers' added: {{+{PAPERS}+}}"],
        3: [f"Explanation: Work will start [-in the spring.-]{{+once agreed: see {group}+}}"],
        4: ["Explanation: See [-https://www.example.gov.uk/2025-]{+https://archive.example.org/2025+} in May."],
        5: ["Explanation: Write to j.[-smith-]{+smyth+}@example.gov.uk today."],
    }, printed
    record = json.loads((folder / "diff.json").read_text(encoding="utf-8"))["diff"]["changed"]
    assert {change["ref"]: change["changes"][0]["links"] for change in record} == {
        1: [{"words": "the papers", "old": PAPERS, "new": ""}], 2: [{"words": "the papers", "old": "", "new": PAPERS}],
        3: [], 4: [], 5: []}


# ---------------------------------------------------------------- the comparison read as text, as well as seen

AGENDA = "https://www.example.gov.uk/agenda"
# (JavaScript) a diff.html cell as a reader gets it otherwise than by looking: its text selected and copied, and each
# blank between a deletion and the insertion right after it, with the <a> each of the three is in (null: none)
READ_AS_TEXT = """cell => {
  const selection = getSelection();
  const range = document.createRange();
  range.selectNodeContents(cell);
  selection.removeAllRanges();
  selection.addRange(range);
  const copied = selection.toString();
  selection.removeAllRanges();
  const link = node => { const a = node.parentElement.closest("a"); return a && a.getAttribute("href"); };
  const spaces = [...cell.querySelectorAll(".gap")].map(gap => [gap.textContent, link(gap.firstChild),
    link(gap.previousElementSibling.firstChild || gap.previousElementSibling),
    link(gap.nextElementSibling.querySelector("ins") || gap.nextElementSibling)]);
  return [copied, spaces];
}"""


def test_a_deletion_and_the_insertion_after_it_read_as_two_words_copied_extracted_and_aloud(tmp_path: Path) -> None:
    """Inserted words right after deleted ones were set apart on screen by a margin, but the text ran them together:
    diff.html copied, diff.pdf's words (pdfplumber, pdftotext) and a screen reader's reading of the cell gave
    "MayJune" and "…/papers)the board papers". There is now a real space between them, outside both marks (read
    as neither deleted nor inserted; neither struck through nor underlined) and outside any link unless both are
    words of that one link (no link's underline runs across it), still about a space wide on screen; in diff.pdf
    the space is in the text as well as on the page, as is the space before a link, which WeasyPrint had left out
    of the text the same way ("Seethe board papers")."""
    import subprocess

    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM

    _, _, folder, _ = _explanations_built_and_compared(tmp_path, {
        1: ("Report back in May.", "Report back in June."),
        2: (f'See the <a href="{PAPERS}">board papers</a> for detail.',
            f'See the <a href="{PAPERS}/2026">board papers</a> for detail.'),
        3: ("See https://www.example.gov.uk/2025 now.", "See https://www.example.gov.uk/2026 now."),
        4: ("Read the agenda first.", f'Read <a href="{AGENDA}">the agenda</a> first.'),
        5: (f'Read <a href="{PAPERS}">the papers</a> now.', f'Read <a href="{PAPERS}">the minutes</a> now.'),
    })
    expected = {
        1: "Report back in May June.",
        2: f"See the board papers ({PAPERS}) board papers ({PAPERS}/2026) for detail.",
        3: "See https://www.example.gov.uk/2025 https://www.example.gov.uk/2026 now.",
        4: f"Read the agenda the agenda ({AGENDA}) first.",
        5: "Read the papers minutes now.",
    }
    # the space between each pair, and the link it is in: none, or the one link both marks are words of
    spaces = {1: [[" ", None, None, None]], 2: [[" ", None, None, f"{PAPERS}/2026"]],  # after "(old address)"
              3: [[" ", None, "https://www.example.gov.uk/2025", "https://www.example.gov.uk/2026"]],
              4: [[" ", None, None, AGENDA]], 5: [[" ", PAPERS, PAPERS, PAPERS]]}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((folder / "diff.html").as_uri())
        read, touching, spoken = {}, {}, {}
        for ref in expected:
            cell = page.locator(f'xpath=//article[@class="action-change"][.//span[@class="ref"][normalize-space()='
                                f'"{ref}"]]//th[starts-with(., "Explanation")]/following-sibling::td')
            read[ref] = cell.evaluate(READ_AS_TEXT)
            touching[ref] = cell.evaluate(TOUCHING_MARKS)
            spoken[ref] = cell.aria_snapshot()
        page.screenshot(path=tmp_path / "diff.png", full_page=True)
        browser.close()
    assert {ref: " ".join(copied.split()) for ref, (copied, _) in read.items()} == expected
    assert {ref: found for ref, (_, found) in read.items()} == spaces
    # on screen, as far apart as words are, and no further
    gaps = [gap for pairs in touching.values() for _, _, gap in pairs]
    assert len(gaps) == 5 and all(gap is not None and 0.2 <= gap <= 0.4 for gap in gaps), touching
    # a screen reader reads the cell as its words, the deletion and the insertion each whole, with no blank of theirs
    assert 'cell "Report back in May June."' in spoken[1] or "Report back in May June." in spoken[1], spoken[1]
    assert "- deletion: May\n" in spoken[1] and "- insertion: June\n" in spoken[1], spoken[1]
    assert "- insertion: the agenda" in spoken[4] and "- deletion: the agenda" in spoken[4], spoken[4]

    with pdfplumber.open(folder / "diff.pdf") as pdf:
        words = " ".join(word["text"] for page in pdf.pages for word in page.extract_words())
    extracted = " ".join(subprocess.run(["pdftotext", str(folder / "diff.pdf"), "-"], capture_output=True,
                                        text=True, check=True).stdout.split())
    # and a space before a link, in a box of its own (for WeasyPrint's line breaks), is in the PDF's text too
    for text in ("Report back in May June.", f"See the board papers ({PAPERS}) board papers", "See https://",
                 "2025 https://www.example.gov.uk/2026",
                 "Read the agenda the agenda", "Read the papers minutes now."):
        assert text in words, (text, words)
        assert text in extracted, (text, extracted)
    assert "\u200b" not in words and "\u200b" not in (folder / "diff.html").read_text(encoding="utf-8")


def test_links_are_paired_by_their_words_or_address_in_every_output(tmp_path: Path) -> None:
    """A link pointed elsewhere ("the minutes": papers to minutes) beside a new link to its old address ("the agenda"
    now links to the papers) was shown in diff.html as the old link reworded to "the agenda", though the printed
    summary and diff.json said both link changes right; and links as many on each side were paired by position, so
    links reordered were described against each other ("link 'the minutes': papers -> minutes/2026", "link 'the
    papers': minutes -> papers"). Links now pair by their words, else by their address, where only one link on each
    side has them, by position only when neither tells; diff.html redlines and gives addresses for the same links
    the summary lists, and diff.docx still resolves to either draft."""
    first, second, folder, printed = _explanations_built_and_compared(tmp_path, {
        1: (f'See <a href="{PAPERS}">the minutes</a> and the agenda.',
            f'See <a href="{MINUTES}">the minutes</a> and <a href="{PAPERS}">the agenda</a>.'),
        2: (f'Read <a href="{PAPERS}">the papers</a> then <a href="{MINUTES}">the minutes</a>.',
            f'Read <a href="{MINUTES}/2026">the minutes</a> then <a href="{PAPERS}">the papers</a>.'),
        3: (f'Read <a href="{PAPERS}">the papers</a> and <a href="{MINUTES}">the minutes</a>.',
            f'Read <a href="{MINUTES}">the minutes</a> and <a href="{PAPERS}">the board papers</a>.'),
    })
    record = json.loads((folder / "diff.json").read_text(encoding="utf-8"))["diff"]["changed"]
    links = {change["ref"]: change["changes"][0]["links"] for change in record}
    assert links == {
        1: [{"words": "the minutes", "old": PAPERS, "new": MINUTES}, {"words": "the agenda", "old": "", "new": PAPERS}],
        2: [{"words": "the minutes", "old": MINUTES, "new": f"{MINUTES}/2026"}],
        3: [],  # reordered, one reworded: each goes where it went
    }
    assert f"link 'the minutes': [-{PAPERS}-]{{+{MINUTES}+}}; link 'the agenda' added: {{+{PAPERS}+}}" \
        in printed and f"link 'the minutes': [-{MINUTES}-]{{+{MINUTES}/2026+}}" in printed, printed
    assert "link 'the papers'" not in printed, printed

    cells = _explanation_cells(folder)
    # the old link deleted whole beside the new one, and the agenda linked: no link "the" reworded to "agenda"
    assert _marks(cells[1]) == [("del", "the minutes"), ("del", f" ({PAPERS})"), ("ins", "the minutes"),
                                ("ins", f" ({MINUTES})"), ("del", "the agenda"), ("ins", "the agenda"),
                                ("ins", f" ({PAPERS})")]
    assert [(a.get("href"), a.text_content()) for a in cells[1].iter("a")] == [
        (PAPERS, "the minutes"), (MINUTES, "the minutes"), (PAPERS, "the agenda")]
    # the addresses of the links the summary lists, and only those
    shown = {ref: re.findall(r"\((https?://[^)]*)\)", cell.text_content()) for ref, cell in cells.items()}
    assert shown == {1: [PAPERS, MINUTES, PAPERS], 2: [f"{MINUTES}/2026", MINUTES], 3: []}
    _resolves_to_each_draft(folder, first, second)


def test_an_action_whose_changes_are_longer_than_a_page_starts_where_it_falls_in_the_pdf(tmp_path: Path) -> None:
    """A comparison's action is kept on one page, and so is each row of its table; an explanation rewritten at
    four pages' length fitted on none: WeasyPrint moved the action to a new page, then its row to another,
    leaving "Changed wording" and then the action's heading each alone on a page. The action starts under the
    status moves on page 1 and runs on over the pages after it."""
    root = make_workspace(tmp_path / "ws", "2026-09", settings("2026-10-08"))
    old = build_draft(root, "2026-09").folder
    long = "\n".join(f"Paragraph {n} of the new update, on what the victims board agreed with its partners."
                     for n in range(1, 70))
    returns = {name: [(*row[:2], "Completed", *row[3:]) if row[0] == 2 else (*row[:3], long, *row[4:])
                      if row[0] == 3 else row for row in rows] for name, rows in default_returns().items()}
    make_workspace(root, "2026-10", settings("2026-11-05"), returns=returns)
    new = build_draft(root, "2026-10").folder
    assert main(["diff", str(old), str(new), "--out", str(tmp_path / "cmp")]) == 0
    with pdfplumber.open(tmp_path / "cmp" / "diff.pdf") as pdf:
        pages = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
    assert "Status moves" in pages[0] and "Changed wording" in pages[0] and "Paragraph 1 of the new" in pages[0]
    assert all(len(text) > 1000 for text in pages[:-1])  # no page left with a heading alone
    assert sum(text.count("Paragraph 69 of the new") for text in pages) == 1


def footer_texts(document: docx.document.Document, keep: str) -> list[str]:
    """Each page footer's words as Word shows them with every change accepted (`keep` "ins") or rejected ("del")."""
    texts = []
    for footer in page_headers(document, "footer"):
        words = []
        for node in footer.iter(qn("w:t"), qn("w:delText")):
            mark = next((a.tag for a in node.iterancestors(W_INS, W_DEL)), None)
            if mark is None or mark == qn(f"w:{keep}"):
                words.append(node.text or "")
        texts.append("".join(words))
    return texts


def test_a_meeting_moved_between_two_drafts_is_tracked_in_the_page_footers(tmp_path: Path) -> None:
    """The Panel meeting October's paper goes to was postponed after draft 1. diff.docx tracked the new date on the
    cover, but every page's footer showed the new date as if it had always been so: rejecting every change gave the
    old cover over footers of the new meeting. Each footer now tracks the date, and keeps its page number."""
    root = copy_example(tmp_path / "ws")
    settings = root / "reportgen.toml"
    toml = settings.read_text(encoding="utf-8")
    old = build_draft(root, period="2026-10").folder
    settings.write_text(toml.replace("2026-11-05", "2026-11-19"), encoding="utf-8")
    new = build_draft(root, period="2026-10").folder
    assert main(["diff", str(old), str(new), "--out", str(tmp_path / "compare")]) == 0
    diff = open_docx(tmp_path / "compare" / "diff.docx")
    footers = page_headers(diff, "footer")
    assert len(footers) >= 2  # the portrait pages' and the landscape plan's
    for footer in footers:
        assert tracked_texts(footer) == [("del", "05\u00a0November\u00a02026"), ("ins", "19\u00a0November\u00a02026")]
        assert [node.text.strip() for node in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    was, now = (footer_texts(open_docx(folder / "paper.docx"), "ins") for folder in (old, new))
    assert was != now
    assert footer_texts(diff, "del") == was
    assert footer_texts(diff, "ins") == now
