"""Broken and hostile partner files (issue 7): each gives a specific issue, never a traceback.

Every file here is made by code. Each test would fail if its protection were removed.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import zipfile
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import (
    ACTIONS,
    REGISTER_HEADINGS,
    RETURN_HEADINGS,
    default_returns,
    edit_sheet_xml,
    make_workspace,
    write_csv,
    write_xlsx,
)
from reportgen.issues import flatten
from reportgen.read.cells import parse_ref
from reportgen.read.returns import read_return
from reportgen.run.build import build_draft
from reportgen.settings import Settings
from reportgen.shells.cli import main

SETTINGS = Settings()


def _read(path: Path):
    return read_return(path, SETTINGS, path.name, "OPCC")


def _book_with(path: Path, rows, edit) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Return"
    for row in rows:
        sheet.append(list(row))
    edit(book, sheet)
    book.save(path)
    return path


ROWS = [RETURN_HEADINGS, (1, "", "Completed", "One", ""), (2, "", "In progress", "Two", ""),
        (3, "", "Not started", "Three", "")]


def test_a_register_with_a_hidden_row_and_sheet_is_told_as_the_registers(tmp_path: Path) -> None:
    """An OPCC's register, saved with a row hidden and an old plan on a hidden sheet, was told to check the
    row "is meant to be in the return" and to unhide the sheet "if it holds updates": a register holds
    actions, and the issues now say so."""
    root = make_workspace(tmp_path / "ws")
    book = openpyxl.load_workbook(root / "inputs" / "register.xlsx")
    book["Register"].row_dimensions[3].hidden = True
    old = book.create_sheet("Old plan")
    old.append(list(REGISTER_HEADINGS))
    old.append([99, "", "OPCC", "An old action.", ""])
    old.sheet_state = "hidden"
    book.save(root / "inputs" / "register.xlsx")
    draft = build_draft(root)
    issues = (draft.folder / "issues.csv").read_text(encoding="utf-8-sig")
    assert flatten([i for i in draft.issues if i.code in ("hidden-row", "hidden-sheet")],
                   ["code", "file", "sheet", "row"]) == [["hidden-sheet", "inputs/register.xlsx", "Old plan", None],
                                                        ["hidden-row", "inputs/register.xlsx", "Register", 3]]
    assert "its action was read like any other" in issues and "meant to be in the plan" in issues
    assert "if it holds actions of the plan" in issues
    assert "return" not in " ".join(i.message + i.advice for i in draft.issues
                                    if i.code in ("hidden-row", "hidden-sheet"))
    assert ACTIONS[1][3] in (draft.folder / "paper.html").read_text(encoding="utf-8")  # the hidden row's action


def test_hidden_rows_are_read_and_reported(tmp_path: Path) -> None:
    path = _book_with(tmp_path / "opcc.xlsx", ROWS, lambda b, s: setattr(s.row_dimensions[3], "hidden", True))
    ret, issues = _read(path)
    assert ret is not None and [u.ref for u in ret.updates] == [1, 2, 3]
    assert flatten(issues, ["code", "row"]) == [["hidden-row", 3]]


def test_rows_hidden_by_a_filter_say_a_filter_is_on(tmp_path: Path) -> None:
    """A partner left a filter on (showing their own rows): each hidden row was said to be hidden, with advice to
    unhide it, and nothing said why; they are said to be hidden by the filter, and how to clear it."""
    def filtered(book, sheet) -> None:
        sheet.auto_filter.ref = f"A1:E{sheet.max_row}"
        sheet.row_dimensions[3].hidden = True

    ret, issues = _read(_book_with(tmp_path / "opcc.xlsx", ROWS, filtered))
    assert ret is not None and [u.ref for u in ret.updates] == [1, 2, 3]  # read all the same
    assert [(i.code, i.row, i.ref, i.message) for i in issues] == [
        ("hidden-row", 3, 2, "Action 2: the row is hidden by the filter set on the sheet; it was read.")]  # row 3
    assert "clear the filter (Data > Clear)" in issues[0].advice


def test_hidden_sheet_reported_never_read(tmp_path: Path) -> None:
    def hide(book, sheet) -> None:
        extra = book.create_sheet("Old")
        extra.append(list(RETURN_HEADINGS))
        extra.append([9, "", "Completed", "stale", ""])
        extra.sheet_state = "hidden"

    ret, issues = _read(_book_with(tmp_path / "opcc.xlsx", ROWS, hide))
    assert ret is not None and ret.sheet == "Return" and 9 not in [u.ref for u in ret.updates]
    assert flatten(issues, ["code", "sheet"]) == [["hidden-sheet", "Old"]]


def test_merged_refs_are_reported_and_never_forward_filled(tmp_path: Path) -> None:
    path = _book_with(tmp_path / "opcc.xlsx", ROWS, lambda b, s: s.merge_cells("A2:A3"))
    ret, issues = _read(path)
    assert ret is not None and [u.ref for u in ret.updates] == [1, 3]
    assert flatten(issues, ["code", "row", "column", "value"]) == [
        ["merged-cells", 2, "Plan priority", "A2:A3"], ["missing-ref", 3, "Plan priority", ""]]
    assert issues[0].ref == 1  # the merge is in action 1's row


def test_a_hidden_sheet_holding_the_only_headings_is_read_and_reported(tmp_path: Path) -> None:
    def hide(book, sheet) -> None:
        book.create_sheet("Instructions").append(["How to fill this in"])
        book.active = 1
        sheet.sheet_state = "hidden"

    ret, issues = _read(_book_with(tmp_path / "opcc.xlsx", ROWS, hide))
    assert ret is not None and ret.sheet == "Return" and ret.updates
    assert flatten(issues, ["code", "severity", "sheet"])[0] == ["hidden-sheet", "warning", "Return"]
    assert issues[0].message == ("Sheet 'Return' in opcc.xlsx is hidden in Excel, but it is the only sheet with the "
                                 "headings, so it was read.")


def test_merged_heading_cells_are_reported(tmp_path: Path) -> None:
    path = _book_with(tmp_path / "opcc.xlsx", ROWS, lambda b, s: s.merge_cells("D1:E1"))
    ret, issues = _read(path)
    assert ret is not None  # the merge hides the timeframe heading: that column is not read, and said
    assert [i.code for i in issues] == ["merged-cells", "missing-optional-column"]


@pytest.mark.parametrize("element", ['<mergeCells count="1"><mergeCell ref="B2:ZZZZ9"/></mergeCells>',
                                     '<mergeCells count="1"><mergeCell ref="B0:C3"/></mergeCells>'])
def test_a_damaged_merged_range_is_an_unreadable_file(tmp_path: Path, element: str) -> None:
    path = edit_sheet_xml(write_xlsx(tmp_path / "opcc.xlsx", ROWS),
                           lambda xml: xml.replace("</sheetData>", "</sheetData>" + element))
    ret, issues = _read(path)
    assert ret is None
    assert [(i.code, i.file) for i in issues] == [("unreadable-file", "opcc.xlsx")]
    assert "merged range is given as 'B" in issues[0].message and "not a cell or a range of cells" in issues[0].message


def test_error_values_pasted_without_a_formula_are_errors(tmp_path: Path) -> None:
    pasted = ('<row r="5"><c r="A5"><v>4</v></c><c r="C5" t="inlineStr"><is><t>Completed</t></is></c>'
              '<c r="D5" t="e"><v>#REF!</v></c></row></sheetData>')
    path = edit_sheet_xml(write_xlsx(tmp_path / "opcc.xlsx", ROWS), lambda xml: xml.replace("</sheetData>", pasted))
    _ret, issues = _read(path)
    errors = [i for i in issues if i.code == "formula-error"]
    assert flatten(errors, ["row", "column", "value", "ref"]) == [
        [5, "Explanation / Link to meeting papers", "#REF!", 4]]  # the error as the cell shows it, in action 4's row
    assert errors[0].blocking and "shows the error #REF!" in errors[0].message


def test_formulas_cached_uncached_and_ref_errors(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "opcc.xlsx", [RETURN_HEADINGS, (1, "", "Completed", "=A1", "")])
    # openpyxl writes formulas without cached values; add one cached value and one #REF! by hand
    def cached(xml: str) -> str:
        xml = xml.replace("<f>A1</f><v></v>", "<f>A1</f>").replace("<f>A1</f>", '<f>A1</f><v>cached text</v>', 1)
        xml = xml.replace('<c r="D2">', '<c r="D2" t="str">')
        return xml.replace("</sheetData>", '<row r="3"><c r="A3"><v>2</v></c><c r="C3" t="e"><f>#REF!</f>'
                           '<v>#REF!</v></c><c r="D3"><f>SUM(Z1)</f></c></row></sheetData>')

    ret, issues = _read(edit_sheet_xml(path, cached))
    assert ret is not None
    assert flatten([i for i in issues if i.code.startswith("formula")], ["code", "row", "column", "value"]) == [
        ["formula-cell", 2, "Explanation / Link to meeting papers", "=A1"],
        ["formula-error", 3, "Status this reporting period", "=#REF!"],
        ["formula-error", 3, "Explanation / Link to meeting papers", "=SUM(Z1)"],
    ]
    used = next(i for i in issues if i.code == "formula-cell")
    assert used.message == ("Action 1: cell D2 holds the formula '=A1'; its last calculated value, 'cached text', "
                            "was used.")


def test_forty_thousand_character_cell_rejected_not_truncated(tmp_path: Path) -> None:
    long = "word " * 8_000
    ret, issues = _read(write_csv(tmp_path / "opcc.csv", [RETURN_HEADINGS, (1, "", "Completed", long, ""),
                                                          (2, "", "Completed", "short", "")]))
    assert ret is not None and [u.ref for u in ret.updates] == [2]
    assert flatten(issues, ["code", "row", "ref"]) == [["cell-too-long", 2, 1]]


def test_an_update_longer_than_a_page_is_a_warning_and_kept_whole(tmp_path: Path) -> None:
    long = "Partnership working continued across the county this period. " * 60  # ~3,660 characters
    ret, issues = _read(write_csv(tmp_path / "opcc.csv", [RETURN_HEADINGS, (1, "", "Completed", long, ""),
                                                          (2, "", "Completed", long[:2000], "")]))
    assert ret is not None and ret.updates[0].explanation == long.strip()
    assert flatten(issues, ["code", "row", "ref"]) == [["longer-than-a-page", 2, 1]]
    assert issues[0].severity.value == "warning" and f"{len(long):,} characters" in issues[0].message
    # what the reader gets: the row breaks across pages, each keeping the table's header (test_pdf_parts)
    assert "its row breaks across pages" in issues[0].message and "header" not in issues[0].message


def test_zero_width_and_bidi_characters_removed_and_reported(tmp_path: Path) -> None:
    ret, issues = _read(write_csv(tmp_path / "opcc.csv", [RETURN_HEADINGS,
                                                          (1, "", "Comp\u200bleted", "safe\u202etxt.exe", "")]))
    assert ret is not None and ret.updates[0].status_as_written == "Completed"
    assert ret.updates[0].explanation == "safetxt.exe"
    assert sorted(i.code for i in issues) == ["invisible-characters", "invisible-characters"]
    assert sorted(i.message.rsplit("(", 1)[1] for i in issues) == ["U+200B).", "U+202E)."]  # named


def test_openpyxl_escapes_decoded(tmp_path: Path) -> None:
    ret, _ = _read(write_csv(tmp_path / "opcc.csv", [RETURN_HEADINGS, (1, "", "Completed", "one_x000D_\ntwo", "")]))
    assert ret is not None and ret.updates[0].explanation == "one\ntwo"


@pytest.mark.parametrize(("name", "content", "says"), [
    ("empty.xlsx", b"", "empty"),
    ("legacy.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old .xls workbook or a password-protected"),
    ("csv.xlsx", b"Plan priority,Action\n1,x\n", "CSV"),
    ("note.xlsx", b"this is not a workbook\n", "is a text file, not a workbook"),  # not to be renamed .csv
    ("truncated.xlsx", None, "damaged or incomplete"),
])
def test_files_that_are_not_workbooks(tmp_path: Path, name: str, content: bytes | None, says: str) -> None:
    path = tmp_path / name
    if content is None:
        whole = write_xlsx(tmp_path / "whole.xlsx", ROWS).read_bytes()
        content = whole[: len(whole) // 2]
    path.write_bytes(content)
    ret, issues = _read(path)
    assert ret is None and [i.code for i in issues] == ["unreadable-file"]
    assert says in issues[0].message


def test_a_word_document_or_a_chart_only_workbook_named_xlsx_is_an_error(tmp_path: Path) -> None:
    import docx

    word = tmp_path / "opcc.xlsx"
    document = docx.Document()
    document.add_paragraph("Our return: all on track.")
    document.save(str(word))
    book = openpyxl.Workbook()
    assert book.active is not None
    book.remove(book.active)
    book.create_chartsheet("Chart")
    charts = tmp_path / "charts.xlsx"
    book.save(charts)
    for path in (word, charts):
        ret, issues = _read(path)
        assert ret is None and [(i.code, i.blocking) for i in issues] == [("unreadable-file", True)], path.name
        assert "has no worksheet" in issues[0].message


def test_zip_bomb_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", ROWS)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/padding.xml", b"<a>" + b" " * (600 * 2**20) + b"</a>")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ret, issues = _read(path)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert ret is None and [i.code for i in issues] == ["unreadable-file"]
    assert "expand" in issues[0].message
    assert grown_mib < 100


def test_doctype_entities_refused_before_parsing(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "entity.xlsx", ROWS)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                                     b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><sst>&b;</sst>')
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    ret, issues = _read(path)
    assert ret is None and "DOCTYPE" in issues[0].message


def test_a_million_formatted_empty_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "opcc.xlsx", ROWS)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    empty = "".join(f'<row r="{n}" s="1" customFormat="1"/>' for n in range(10, 1_000_010))
    parts[sheet] = parts[sheet].replace(b"</sheetData>", empty.encode() + b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    ret, issues = _read(path)
    assert issues == [] and ret is not None and [u.ref for u in ret.updates] == [1, 2, 3]


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "utf-8-sig"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    ret, issues = _read(write_csv(tmp_path / "opcc.csv", [RETURN_HEADINGS, (1, "", "Completed", "£5 – ok", "")],
                                  encoding=encoding))
    assert issues == [] and ret is not None and ret.updates[0].explanation == "£5 – ok"


def test_a_csv_mixing_utf8_and_windows_1252_is_not_guessed(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "opcc.csv", [RETURN_HEADINGS, (1, "", "Completed", "Café – ok", "")])
    path.write_bytes(path.read_bytes() + "2,,In progress,Café – a pasted line,\r\n".encode("cp1252"))
    ret, issues = _read(path)
    assert ret is None and [(i.code, i.blocking) for i in issues] == [("unreadable-file", True)]
    assert "mixes two text encodings" in issues[0].message and "line 3" in issues[0].message


def test_a_semicolon_csv_with_quoted_cells_is_read_by_its_headings(tmp_path: Path) -> None:
    """Excel in a comma-decimal locale saves with semicolons; a quoted cell (a line break typed with
    Alt+Enter, as our instructions say) defeated the sniffer, and the whole return was "no sheet"."""
    path = tmp_path / "opcc.csv"
    path.write_bytes("Plan priority;Action;Status this reporting period;Explanation / Link to meeting papers;"
                     "Timeframe for delivery / Completion\r\n"
                     '1;;Completed;"First line\nsecond line";2027\r\n'
                     '2;;In progress;"Done; quoted";\r\n'.encode("cp1252"))
    ret, issues = _read(path)
    assert issues == [] and ret is not None
    assert [(u.ref, u.status_as_written, u.explanation) for u in ret.updates] == [
        (1, "Completed", "First line\nsecond line"), (2, "In progress", "Done; quoted")]


@pytest.mark.parametrize(("start", "what"), [(b"PK\x03\x04", "an Excel workbook"),
                                             (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old .xls workbook")])
def test_a_workbook_named_csv_is_said_to_be_one(tmp_path: Path, start: bytes, what: str) -> None:
    path = tmp_path / "opcc.csv"
    path.write_bytes(start + bytes(range(256)) * 4)
    ret, issues = _read(path)
    assert ret is None and flatten(issues, ["code", "file"]) == [["unreadable-file", "opcc.csv"]]
    assert issues[0].message == f"opcc.csv is {what} named .csv: it is not a text (CSV) file; it was not read."


def test_a_csv_named_xlsx_is_told_to_be_renamed_csv(tmp_path: Path) -> None:
    """A CSV saved under a .xlsx name: renaming it .csv is all it takes (it is read then), not re-saving it."""
    path = tmp_path / "opcc.xlsx"
    path.write_text("Plan priority,Status this reporting period,Explanation\r\n1,Completed,Done\r\n", encoding="utf-8")
    ret, issues = _read(path)
    assert ret is None and [(i.code, i.message, i.advice) for i in issues] == [(
        "unreadable-file",
        "opcc.xlsx is a text (CSV) file named .xlsx: it is not a readable workbook; it was not read.",
        "Rename it with the .csv ending (or open it in Excel and save it as .xlsx).")]
    renamed = path.rename(tmp_path / "opcc.csv")
    ret, issues = _read(renamed)
    assert ret is not None and [(u.ref, u.status_as_written) for u in ret.updates] == [(1, "Completed")]


def test_csv_ragged_rows_and_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "opcc.csv"
    path.write_bytes(b"Plan priority,Action,Status this reporting period,Explanation / Link to meeting papers\r\n"
                     b"1,,Completed\r\n2,,In progress,Two,extra,cells\r\n3,,Not\x00 started,Three\r\n")
    ret, issues = _read(path)
    assert ret is not None and [(u.ref, u.status_as_written) for u in ret.updates] == [
        (1, "Completed"), (2, "In progress"), (3, "Not started")]
    # the cells past the headings are not read, and said: nothing is dropped without a word
    assert flatten(issues, ["code", "row", "value"]) == [
        ["control-characters", None, ""], ["unread-column", 3, "extra"], ["unread-column", 3, "cells"],
        ["missing-optional-column", 1, "Timeframe for delivery / Completion"]]
    assert issues[1].message.startswith("Column E has no heading")


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
@settings(max_examples=300)
def test_parse_ref_gives_a_positive_int_or_a_reason(value: object) -> None:
    ref, why = parse_ref(value)
    assert (ref is None) != (why == "")
    assert ref is None or (isinstance(ref, int) and ref > 0)


def _input_files(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file of the workspace but reportgen's own (its outputs, and registers/, the copies of the registers
    drafts were built from): bytes, modification time and mode."""
    return {str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode)
            for path in sorted(root.rglob("*")) if path.is_file()
            and not {"outputs", "registers"} & set(path.relative_to(root).parts)}


def test_no_input_file_is_modified(tmp_path: Path) -> None:
    """A whole build over an odd xlsx return (merged cells), a CSV return and the register leaves every
    input file byte for byte, time and mode as it was, and adds nothing beside them but reportgen's own folders."""
    returns = default_returns()
    returns["criminal-justice-board.csv"] = returns.pop("criminal-justice-board.xlsx")
    root = make_workspace(tmp_path / "ws", returns=returns)
    _book_with(root / "inputs" / "returns" / "2026-10" / "opcc.xlsx", [RETURN_HEADINGS,
               (2, "", "In progress", "Merged over two rows", ""), (4, "", "Completed", "Done", "")],
               lambda b, s: s.merge_cells("D2:D3"))
    os.utime(root / "inputs" / "register.xlsx", ns=(1_600_000_000_000_000_000,) * 2)  # not "now" by chance
    before = _input_files(root)
    assert len(before) == 6  # register, three returns, reportgen.toml, narrative.md
    result = build_draft(root)
    assert (result.folder / "paper.pdf").is_file()
    assert _input_files(root) == before
    # beside them only the copy of the register the draft was built from, byte for byte
    [kept] = (root / "registers").iterdir()
    assert kept.read_bytes() == (root / "inputs" / "register.xlsx").read_bytes()
    assert sorted(path.name for path in root.iterdir()) == ["inputs", "narrative.md", "outputs", "registers",
                                                           "reportgen.toml"]


def test_several_candidate_sheets_reported(tmp_path: Path) -> None:
    def second(book, sheet) -> None:
        other = book.create_sheet("Copy")
        other.append(list(RETURN_HEADINGS))
        other.append([1, "", "Not started", "older copy", ""])

    ret, issues = _read(_book_with(tmp_path / "opcc.xlsx", ROWS, second))
    assert ret is not None and ret.sheet == "Return" and len(ret.updates) == 3
    # rows under the other sheet's headings are not read: never quietly (a return split over two sheets)
    assert flatten(issues, ["code", "sheet", "row"]) == [["rows-on-another-sheet", "Copy", 2]]
    assert issues[0].blocking and "1 row under them from row 2" in issues[0].message
    # last month's return kept on a second sheet is the likelier case: merging the two would duplicate every action
    assert issues[0].advice.startswith("If one of the two sheets is another period's return (last month's kept as a "
                                       "copy), delete that sheet, whichever it is (sheet 'Return' is read because it "
                                       "comes first)")

    def notes_first(book, sheet) -> None:  # a partner's own sheet put first, with the headings and fewer of them
        notes = book.create_sheet("Notes", 0)
        notes.append(["Plan priority", "Status"])
        notes.append([1, "Completed"])

    ret, issues = _read(_book_with(tmp_path / "opcc3.xlsx", ROWS, notes_first))
    assert ret is not None and ret.sheet == "Return"
    [rows] = [i for i in issues if i.code == "rows-on-another-sheet"]
    assert "(sheet 'Return' is read because its headings match the return's best)" in rows.advice  # not "first"

    def headings_only(book, sheet) -> None:
        book.create_sheet("Template").append(list(RETURN_HEADINGS))

    ret, issues = _read(_book_with(tmp_path / "opcc2.xlsx", ROWS, headings_only))
    assert ret is not None and len(ret.updates) == 3
    assert flatten(issues, ["code", "sheet", "value"]) == [["several-sheets", "Return", "Template"]]


def test_duplicated_and_renamed_headings(tmp_path: Path) -> None:
    rows = [("Plan priority", "Status", "Status this reporting period", "Comments", "Timeframe"),
            (1, "Completed", "In progress", "Text", "2027")]
    ret, issues = _read(write_xlsx(tmp_path / "opcc.xlsx", rows))
    # our template's heading is read, wherever it stands; the partner's own column is reported, as it holds text
    assert ret is not None and ret.updates[0].status_as_written == "In progress"
    assert flatten(issues, ["code", "severity", "row", "column"]) == [["duplicate-column", "error", 1, "Status"]]
    assert issues[0].message == ("Column 'Status' (column B) means the same as 'Status this reporting period' "
                                 "(column C); only column C is read, and the text in column B is not in the paper (in "
                                 "row 2 (action 1), starting 'Completed').")
    # the same heading twice: the column letters tell them apart
    rows = [("Plan priority", "Status this reporting period", "Explanation", "Status this reporting period"),
            (1, "Completed", "Text", "In progress")]
    ret, issues = _read(write_xlsx(tmp_path / "twice.xlsx", rows))
    assert ret is not None and ret.updates[0].status_as_written == "Completed"
    assert [i.message for i in issues if i.code == "duplicate-column"] == [
        "Column 'Status this reporting period' (column D) means the same as 'Status this reporting period' (column B); "
        "only column B is read, and the text in column D is not in the paper (in row 2 (action 1), starting "
        "'In progress')."]
    # a partner's "Comments" column left empty beside ours: a note, and nothing blocks
    rows = [("Plan priority", "Comments", "Status this reporting period", "Explanation / Link to meeting papers"),
            (1, None, "In progress", "Our update"), (2, " ", "Completed", "Done")]
    ret, issues = _read(write_xlsx(tmp_path / "opcc-comments.xlsx", rows))
    assert ret is not None and [u.explanation for u in ret.updates] == ["Our update", "Done"]
    assert flatten(issues, ["code", "severity", "column"]) == [["duplicate-column-empty", "info", "Comments"],
                                                               ["missing-optional-column", "warning", ""]]
    renamed = [("Plan priority", "Staus", "Explanation"), (1, "Completed", "x")]
    ret, issues = _read(write_xlsx(tmp_path / "renamed.xlsx", renamed))
    assert ret is None and "Did you mean 'Staus'?" in issues[0].message


def test_excel_dates_in_refs_and_timeframes(tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    rows = [RETURN_HEADINGS, (dt.datetime(2026, 3, 1), "", "Completed", "", ""),
            (2, "", "Completed", "", dt.datetime(2027, 3, 31)),
            (3, "", "Completed", "", dt.datetime(2024, 3, 1)),  # "Mar-24" typed: Excel makes it 1 March
            (4, "", "Completed", "", dt.datetime(2024, 3, 1))]
    path = write_xlsx(tmp_path / "opcc.xlsx", rows)
    book = openpyxl.load_workbook(path)
    book["Return"]["E3"].number_format = "dd/mm/yyyy"
    book["Return"]["E4"].number_format = "mmm-yy"  # Excel's own format for it (built-in 17)
    book["Return"]["E5"].number_format = "mmmm yyyy"
    book.save(path)
    ret, issues = _read(path)
    assert ret is not None
    assert [(u.ref, u.timeframe) for u in ret.updates] == [(2, "31 March 2027"), (3, "March 2024"), (4, "March 2024")]
    assert flatten(issues, ["code", "row"]) == [["bad-ref", 2]]
    assert "a date, not a number" in issues[0].message


@given(st.text())
@settings(max_examples=500)
def test_status_matching_gives_a_canonical_status_or_none(written: str) -> None:
    from reportgen.read.statuses import match_status, status_table, suggest_status
    from reportgen.settings import CANONICAL_STATUSES

    table = status_table({})
    assert match_status(written, table) in (*CANONICAL_STATUSES, None)
    assert suggest_status(written) in (*CANONICAL_STATUSES, None)


def test_a_csv_saved_by_excel_for_mac_reads_its_apostrophes_and_quotes_and_says_so(tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)" is Mac OS Roman, its lines ended by CR alone. Read as Windows-1252, as
    every other CSV that is not UTF-8 is, its "Council’s “Safer Towns” budget" was published as "CouncilÕs
    ÒSafer TownsÓ budget", with no word said. It is read as Mac Roman, and a note says so."""
    returns = default_returns()
    opcc = returns.pop("opcc.xlsx")
    opcc[1] = (opcc[1][0], opcc[1][1], opcc[1][2], "The Council’s “Safer Towns” budget – £5,000 agreed.", "")
    root = make_workspace(tmp_path / "ws", returns=returns)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r").writerows(opcc)
    (root / "inputs" / "returns" / "2026-10" / "opcc.csv").write_bytes(buffer.getvalue().encode("mac_roman"))
    out = tmp_path / "draft"
    assert main(["build", "--workspace", str(root), "--period", "2026-10", "--out", str(out)]) == 0
    with (out / "issues.csv").open(encoding="utf-8-sig", newline="") as handle:
        said = [row for row in csv.DictReader(handle) if row["code"] == "csv-mac-roman"]
    assert [(row["file"], row["severity"]) for row in said] == [("inputs/returns/2026-10/opcc.csv", "info")]
    assert "’ “ ”" in said[0]["message"] and "Õ Ò Ó" in said[0]["message"]
    with pdfplumber.open(out / "paper.pdf") as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert "The Council’s “Safer Towns” budget – £5,000 agreed." in " ".join(text.split())
    assert "Õ" not in text


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"])
def test_windows_and_mac_csvs_are_told_apart_by_their_punctuation(tmp_path: Path, encoding: str) -> None:
    """Lines ended by CRLF or LF say nothing of the encoding; the curly quotes, dashes and accents text holds do:
    each file is read in the encoding that makes them, a Windows file never taken for a Mac one."""
    text = "‘Quoted’ – “Wessex” café… £5"
    path = tmp_path / "opcc.csv"
    rows = [",".join(RETURN_HEADINGS), f"1,,Completed,{text},"]
    path.write_bytes("\n".join([*rows, ""]).encode(encoding))
    ret, issues = _read(path)
    assert ret is not None and ret.updates[0].explanation == text
    assert [i.code for i in issues] == ([] if encoding == "cp1252" else ["csv-mac-roman"])


# a compound (OLE) file's header, then a directory entry's name as the format writes it (UTF-16LE)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(("stream", "says"), [
    ("EncryptedPackage", "is a password-protected (encrypted) workbook"),
    ("Workbook", "is an old .xls workbook:"),
])
def test_a_password_protected_workbook_is_told_from_an_old_xls_one(tmp_path: Path, stream: str, says: str) -> None:
    """Excel saves a workbook with a password to open as a compound file holding an "EncryptedPackage" stream,
    as an old .xls workbook is one holding "Workbook": the partner is told which, not "an old .xls workbook or
    a password-protected one"."""
    path = tmp_path / "opcc.xlsx"
    path.write_bytes(OLE + stream.encode("utf-16-le") + b"\x00" * 1024)
    ret, issues = _read(path)
    assert ret is None and [i.code for i in issues] == ["unreadable-file"]
    assert says in issues[0].message and "or a password-protected" not in issues[0].message


def test_a_web_page_exported_as_xlsx_is_said_to_be_one(tmp_path: Path) -> None:
    """Systems that "export to Excel" often write a web page with an .xlsx name. It was called a CSV file, and
    the advice to rename it .csv led to "No sheet has the headings"; it is a web page, to be saved as .xlsx."""
    path = tmp_path / "opcc.xlsx"
    path.write_text("<html><body><table><tr><td>Plan priority</td></tr></table></body></html>\n", encoding="utf-8")
    ret, issues = _read(path)
    assert ret is None and [(i.code, i.message, i.advice) for i in issues] == [(
        "unreadable-file", "opcc.xlsx is a web page (HTML) saved with an .xlsx name; it was not read.",
        "Open it and save it as an Excel workbook (.xlsx) in its place. In Excel: File > Save As, file type \"Excel "
        "Workbook (.xlsx)\". In LibreOffice: File > Save As, file type \"Excel 2007-365 (.xlsx)\".")]


def test_a_hidden_column_meaning_the_same_as_one_read_is_said_to_be_hidden(tmp_path: Path) -> None:
    """A partner's own "Comments" column, hidden, beside ours: its text was said to be dropped, but not that the
    column is hidden, so the officer opening the return could not find it. It is said, with how to unhide it."""
    rows = [("Plan priority", "Explanation / Link to meeting papers", "Status this reporting period", "Comments"),
            (1, "Our update", "In progress", "Left out of the paper")]

    def hide_d(book, sheet) -> None:
        sheet.column_dimensions["D"].hidden = True

    ret, issues = _read(_book_with(tmp_path / "opcc.xlsx", rows, hide_d))
    assert ret is not None and [u.explanation for u in ret.updates] == ["Our update"]
    [said] = [i for i in issues if i.code == "duplicate-column"]
    assert said.message.startswith("Column 'Comments' (column D), hidden in Excel, means the same as "
                                   "'Explanation / Link to meeting papers' (column B)")
    assert said.advice.startswith("Unhide column D")
