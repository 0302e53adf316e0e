"""Returns filled in with a spreadsheet program other than Excel (Apple Numbers, Google Sheets, LibreOffice), or
saved in another of Excel's own formats, as those programs save or export them: read as Excel's workbooks are, or
refused with what to do in that program."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from openpyxl.packaging.custom import CustomPropertyList

from conftest import make_workspace
from reportgen.shells.cli import main

PERIOD = "2026-10"
UPDATES = {2: ("Completed", "Published in May."), 4: ("In progress", "Tender out."), 6: ("On hold", "Paused.")}
NUMBERS_SENTENCE = ("This document was exported from Numbers. Each table was converted to an Excel worksheet. All "
                    "other objects on each Numbers sheet were placed on separate worksheets. Please be aware that "
                    "formula calculations may differ in Excel.")


def filled_workbook(root: Path) -> openpyxl.Workbook:
    """OPCC's workbook as `reportgen returns` made it, with every action's status and explanation typed in."""
    assert main(["returns", "--workspace", str(root), "--period", PERIOD]) == 0
    book = openpyxl.load_workbook(root / "outputs" / PERIOD / "returns" / "opcc.xlsx")
    sheet = book["Return"]
    for row in sheet.iter_rows(min_row=2):
        row[3].value, row[4].value = UPDATES[int(row[0].value)]
    return book


def exported_from_numbers(book: openpyxl.Workbook, note: str = "") -> openpyxl.Workbook:
    """`book` as Numbers exports it (File > Export To > Excel, one worksheet per table, with the summary worksheet):
    the summary sheet first, each sheet named after its table, no custom document properties; `note`: a line a
    partner typed on the summary sheet."""
    book["Return"].title, book["Instructions"].title = "Return - Table 1", "Instructions - Table 1"
    summary = book.create_sheet("Export Summary", 0)
    summary.append(["Export Summary"])
    summary.merge_cells("A1:C1")
    summary.append([NUMBERS_SENTENCE])
    summary.merge_cells("A2:C2")
    summary.append([])
    summary.append(["Numbers Sheet Name", "Numbers Table Name", "Excel Worksheet Name"])
    summary.append(["Return", "Table 1", "Return - Table 1"])
    summary.append(["Instructions", "Table 1", "Instructions - Table 1"])
    if note:
        summary.append([note])
    book.custom_doc_props = CustomPropertyList()
    return book


def validated(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    main(["validate", "--workspace", str(root), "--period", PERIOD, "--all"])
    return capsys.readouterr().out


def test_a_return_exported_from_numbers_is_read_without_a_word_about_its_summary_sheet(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Numbers puts an "Export Summary" sheet first in every workbook it exports: it was reported as a sheet that
    might hold updates ("holds text but no return headings"), for the officer to open and look at, in every return
    a Numbers user sent. It is Numbers' list of the sheets, and not reported; the updates are read."""
    root = make_workspace(tmp_path / "ws", period=PERIOD)
    shutil.rmtree(root / "inputs" / "returns" / PERIOD)
    filed = root / "inputs" / "returns" / PERIOD / "opcc.xlsx"
    filed.parent.mkdir(parents=True)
    exported_from_numbers(filled_workbook(root)).save(filed)
    assert openpyxl.load_workbook(filed).sheetnames == ["Export Summary", "Return - Table 1", "Instructions - Table 1"]
    out = validated(root, capsys)
    assert "Export Summary" not in out
    assert "holds text but no return headings" not in out
    assert "Completed 1, In progress 1, Not started 0, On hold 1" in out  # OPCC's three updates, as typed


def test_a_note_typed_on_the_numbers_summary_sheet_is_still_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws", period=PERIOD)
    filed = root / "inputs" / "returns" / PERIOD / "opcc.xlsx"
    exported_from_numbers(filled_workbook(root), note="Action 4: see the minutes.").save(filed)
    out = validated(root, capsys)
    assert ("Sheet 'Export Summary' holds text but no return headings, so it was not read (the updates were read "
            "from 'Return - Table 1').") in out


@pytest.mark.parametrize(("name", "what", "how"), [
    ("opcc.numbers", "an Apple Numbers spreadsheet",
     "Open it and export it as an Excel workbook (.xlsx) in its place. In Numbers: File > Export To > Excel, then "
     "Save."),
    ("opcc.ods", "an OpenDocument (LibreOffice) spreadsheet",
     "Open it and save it as an Excel workbook (.xlsx) in its place. In LibreOffice: File > Save As, file type "
     "\"Excel 2007-365 (.xlsx)\". In Google Sheets: File > Download > Microsoft Excel (.xlsx). In Excel: File > Save "
     "As, file type \"Excel Workbook (.xlsx)\"."),
])
def test_a_return_in_a_format_not_read_is_told_how_to_save_it_in_the_program_that_made_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, what: str, how: str) -> None:
    """A partner on a Mac sends the return as Numbers saves it (.numbers); one on Google Sheets downloads it as
    OpenDocument (.ods). Neither is read, and the advice named Excel's and LibreOffice's menus alone: the officer
    had no steps to pass on for Numbers, nor for Google Sheets. Each is now told in the program that made it."""
    root = make_workspace(tmp_path / "ws", period=PERIOD)
    folder = root / "inputs" / "returns" / PERIOD
    filled = tmp_path / "opcc.xlsx"
    filled_workbook(root).save(filled)
    if name.endswith(".ods"):  # as LibreOffice writes it (Google Sheets' download is the same format)
        if not shutil.which("soffice"):
            pytest.skip("LibreOffice (soffice) is not installed")
        done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
                               "--convert-to", "ods", "--outdir", str(tmp_path), str(filled)],
                              capture_output=True, timeout=180, check=False)
        assert done.returncode == 0, done.stderr
        shutil.copy(tmp_path / "opcc.ods", folder / name)
    else:
        (folder / name).write_bytes(b"PK\x03\x04Index/Document.iwa")
    (folder / "opcc.xlsx").unlink()
    capsys.readouterr()
    assert main(["validate", "--workspace", str(root), "--period", PERIOD]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert f"error inputs/returns/{PERIOD}/{name} is {what}; it was not read. → {how}" in out


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_csv_saved_as_utf16_without_a_byte_order_mark_keeps_its_dashes_and_accents(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str) -> None:
    """A return exported as CSV with an export menu's "UTF-16LE" (or "UTF-16BE") encoding has no byte order mark.
    It was read as UTF-8: the NUL byte beside each letter was taken out with a warning that needed "no action
    unless the text looks wrong", and every dash and accented letter was lost from the paper. It is read as the
    UTF-16 it is."""
    root = make_workspace(tmp_path / "ws", period=PERIOD)
    book = filled_workbook(root)
    sheet = book["Return"]
    sheet["E3"] = "Tender out – the café’s bid “won”."  # action 4
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in sheet.iter_rows(values_only=True):
        writer.writerow(["" if value is None else value for value in row])
    folder = root / "inputs" / "returns" / PERIOD
    (folder / "opcc.xlsx").unlink()
    (folder / "opcc.csv").write_bytes(text.getvalue().encode(encoding))
    capsys.readouterr()
    assert main(["build", "--workspace", str(root), "--period", PERIOD]) == 0
    out = capsys.readouterr().out
    assert "NUL" not in out and "control characters" not in out
    paper = docx.Document(str(Path(out.splitlines()[-1]) / "paper.docx"))
    cells = [cell.text for table in paper.tables for row in table.rows for cell in row.cells]
    assert "Tender out – the café’s bid “won”." in cells


STRICT = {b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
          b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
          b"http://purl.oclc.org/ooxml/officeDocument/relationships"}


def test_a_return_saved_as_strict_open_xml_is_said_to_be_one_not_a_word_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Excel's Save As offers "Strict Open XML Spreadsheet (*.xlsx)" beside "Excel Workbook": the same ending, its
    parts in other namespaces. Its sheets were not found, and the return was said to have no worksheet, "a Word or
    PowerPoint file, or a workbook of charts only, saved as .xlsx?". It is said to be what it is, and how to save
    it so that it is read."""
    root = make_workspace(tmp_path / "ws", period=PERIOD)
    saved = tmp_path / "opcc.xlsx"
    filled_workbook(root).save(saved)
    filed = root / "inputs" / "returns" / PERIOD / "opcc.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(filed, "w") as strict:
        for name in source.namelist():
            data = source.read(name)
            for transitional, replaced in STRICT.items():
                data = data.replace(transitional, replaced)
            strict.writestr(name, data)
    capsys.readouterr()
    assert main(["validate", "--workspace", str(root), "--period", PERIOD]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert (f"error inputs/returns/{PERIOD}/opcc.xlsx is saved as a Strict Open XML Spreadsheet (one of Excel's Save "
            "As types), a kind of .xlsx file that is not read; it was not read. → Open it in Excel and save it in its "
            "place with File > Save As, file type \"Excel Workbook (.xlsx)\".") in out
    assert "Word or PowerPoint" not in out


def test_a_csv_saved_with_its_formulas_has_each_formula_said_and_none_in_the_paper(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """LibreOffice's CSV export has an option, "Save cell formulas instead of calculated values": a partner who
    copied one explanation into another with =E2, and typed the timeframe as =DATE(…), sent "=E2" and "=DATE(…)"
    as the text of those cells. They went into the paper as the partner's words, without a word. Each is now said
    at its cell, as a workbook's formula with no value is, and read as empty."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    root = make_workspace(tmp_path / "ws", period=PERIOD)
    book = filled_workbook(root)
    book["Return"]["E3"] = "=E2"  # action 4's explanation: action 2's
    book["Return"]["F4"] = "=DATE(2026,12,31)"  # action 6's timeframe
    saved = tmp_path / "opcc.xlsx"
    book.save(saved)
    # comma, quote, UTF-8, from line 1; the tenth option: save cell formulas instead of calculated values
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,true"
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
                           "--convert-to", csv_filter, "--outdir", str(tmp_path / "csv"), str(saved)],
                          capture_output=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    folder = root / "inputs" / "returns" / PERIOD
    (folder / "opcc.xlsx").unlink()
    shutil.copy(tmp_path / "csv" / "opcc.csv", folder / "opcc.csv")
    assert "=E2" in (folder / "opcc.csv").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--workspace", str(root), "--period", PERIOD]) == 1
    out = capsys.readouterr().out
    said = " ".join(out.split())
    as_written = ("which was saved in the CSV file as written, not as its value (saved with LibreOffice's \"Save cell "
                  "formulas instead of calculated values\" ticked?); it was read as empty.")
    assert (f"row 3, column 'Explanation / Link to meeting papers': Action 4: cell E3 holds the formula '=E2', "
            f"{as_written}") in said
    assert (f"row 4, column 'Timeframe for delivery / Completion': Action 6: cell F4 holds the formula "
            f"'=DATE(2026,12,31)', {as_written}") in said
    paper = docx.Document(str(Path(out.splitlines()[-1]) / "paper.docx"))
    text = " ".join(cell.text for table in paper.tables for row in table.rows for cell in row.cells)
    assert "=E2" not in text and "=DATE" not in text
    assert "Published in May." in text  # the cells around them are read
