"""A plan refreshed mid-year: the register renumbers an action (5 is now 40) and merges two (28 into 24), saying so
in its Was numbered column. Driven through the CLI as the secretariat runs the month: September's paper built, the
October workbooks made from the plan before the refresh, the register re-issued, a partner's old workbook filed,
October built and compared with September; read back from the Word paper, the PDF and diff.json."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from docx.oxml.ns import qn

from conftest import copy_example
from reportgen.shells.cli import main

POLICE = "wessex-police.xlsx"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """One CLI command, which must not fail to run; what it printed, on one line."""
    assert main(list(args)) in (0, 1), capsys.readouterr()
    return " ".join(capsys.readouterr().out.split())


def _refresh_register(root: Path, was: dict[int, str] | None = None) -> None:
    """The register re-issued: action 5 renumbered 40, action 28 merged into 24 (its row deleted), and each said in
    a Was numbered column (`was`: the cells written, by the action's number before)."""
    was = {5: "5", 24: "24, 28"} if was is None else was
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    column = sheet.max_column + 1
    sheet.cell(1, column, "Was numbered")
    for row in range(sheet.max_row, 1, -1):
        ref = sheet.cell(row, 1).value
        if ref == 28:
            sheet.delete_rows(row)
            continue
        if ref in was:
            sheet.cell(row, column, was[ref])
        if ref == 5:
            sheet.cell(row, 1, 40)
    book.save(path)


def _old_workbook_filed(root: Path, ref: int, status: str, explanation: str) -> None:
    """Wessex Police's October return: the workbook made before the refresh, one row updated, filed."""
    book = openpyxl.load_workbook(root / "outputs" / "2026-10" / "returns" / POLICE)
    for row in book["Return"].iter_rows(min_row=2):
        if row[0].value == ref:
            row[3].value, row[4].value = status, explanation
    book.save(root / "inputs" / "returns" / "2026-10" / POLICE)


def _status_cell(draft: Path, ref: int) -> str:
    """The Word paper's status cell of an action (the plan is the last table)."""
    table = docx.Document(str(draft / "paper.docx")).tables[-1]
    return next(row.cells[2].text for row in table.rows if row.cells[0].text == str(ref))


def _september_then_refresh(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """September built with "Changes since the last draft", October's workbooks made, then the plan refreshed."""
    toml = root / "reportgen.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[paper]\n", "[paper]\nchanges_section = true\n", 1),
                    encoding="utf-8")
    _run(capsys, "build", "--workspace", str(root), "--period", "2026-09")
    _run(capsys, "returns", "--workspace", str(root), "--period", "2026-10")
    _refresh_register(root)


def test_an_old_workbooks_row_of_a_renumbered_action_updates_it_under_its_new_number_and_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police fills in the workbook made before the refresh: its row 5 is action 40 now. The build says so at
    the row (file, row, the register's cell) and shows the update under 40, not "withdrawn?" with 40 left with no
    update; the paper's changes and the comparison pair 40 with September's 5, and 28 is not said withdrawn."""
    root = copy_example(tmp_path / "ws")
    _september_then_refresh(root, capsys)
    _old_workbook_filed(root, 5, "Completed", "Hot spot patrols now cover every district.")

    printed = _run(capsys, "build", "--workspace", str(root), "--period", "2026-10")
    assert ("warning sheet 'Return', row 4, column 'Plan priority': Action 5 is numbered 40 in the register now (its "
            "'Was numbered' cell, register row 6, says '5'): this row's update is shown as action 40's.") in printed
    with (root / "outputs" / "2026-10" / "draft-01" / "issues.csv").open(encoding="utf-8-sig") as issues:
        said = [line for line in csv.DictReader(issues) if line["code"] == "renumbered-ref"]
    assert [(line["file"], line["row"], line["value"]) for line in said] == [
        ("inputs/returns/2026-10/opcc.xlsx", "9", "28"), ("inputs/returns/2026-10/wessex-police.xlsx", "4", "5")]
    assert "Action 5 was in the paper" not in printed and "no longer in the register" not in printed
    draft = root / "outputs" / "2026-10" / "draft-01"
    assert _status_cell(draft, 40).startswith("Completed") and "New since" not in _status_cell(draft, 40)

    with pdfplumber.open(draft / "paper.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "Renumbered since then: 5 is now 40; 28 is now part of 24." in text
    assert "No longer in the plan" not in text

    out = tmp_path / "diff"
    printed = _run(capsys, "diff", str(root / "outputs" / "2026-09" / "draft-01"), str(draft), "--out", str(out))
    assert "Renumbered (the register's Was numbered column): 5 is now 40; 28 is now part of 24." in printed
    record = json.loads((out / "diff.json").read_text(encoding="utf-8"))["diff"]
    assert [action["ref"] for action in record["withdrawn"]] == []
    assert [action["ref"] for action in record["added"]] == []
    assert {move["ref"]: move["new"] for move in record["moves"]}[40] == "Completed"
    plan = docx.Document(str(out / "diff.docx")).tables[-1]
    tracked = [("".join(text.text or "" for text in row.cells[0]._tc.iter(qn("w:delText"))),
                "".join(text.text or "" for ins in row.cells[0]._tc.iter(qn("w:ins")) for text in ins.iter(qn("w:t"))))
               for row in plan.rows]
    assert ("5", "40") in tracked and ("28", "") in tracked  # the number's change; the merged action's row deleted


def test_a_renumbered_action_with_no_update_carries_its_status_from_its_old_number(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police sends no October return: action 40 carries what September reported for it as action 5, in
    the paper and in the pre-filled workbook made from the refreshed register, rather than "No update"."""
    root = copy_example(tmp_path / "ws")
    _september_then_refresh(root, capsys)
    september = _status_cell(root / "outputs" / "2026-09" / "draft-01", 5).split("\n")[0]
    (root / "inputs" / "returns" / "2026-10" / POLICE).unlink()

    _run(capsys, "returns", "--workspace", str(root), "--period", "2026-10", "--out", str(tmp_path / "new"))
    rows = openpyxl.load_workbook(tmp_path / "new" / POLICE)["Return"].iter_rows(values_only=True)
    assert next(row[3] for row in rows if row[0] == 40) == september
    # the partner who knew action 5 is told it is 40 now, and the one whose 28 went into 24, so; others nothing
    told = {name: [row[1] for row in openpyxl.load_workbook(tmp_path / "new" / name)["Instructions"].iter_rows(
        values_only=True) if str(row[1] or "").startswith("Numbers changed")] for name in (POLICE, "opcc.xlsx",
                                                                                             "criminal-justice-board.xlsx")}
    assert told == {POLICE: ["Numbers changed when the plan was refreshed: 40 came from 5. Use the numbers in this "
                             "workbook."],
                    "opcc.xlsx": ["Numbers changed when the plan was refreshed: 24 now includes 28. Use the numbers in "
                                  "this workbook."],
                    "criminal-justice-board.xlsx": []}

    _run(capsys, "build", "--workspace", str(root), "--period", "2026-10")
    cell = _status_cell(root / "outputs" / "2026-10" / "draft-01", 40)
    assert cell.startswith(september) and "status as last reported (September 2026)" in cell


def test_a_was_numbered_cell_that_is_not_a_number_is_an_error_at_its_cell(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Was numbered cell the register cannot read ("see 5") pairs nothing, and says so where it is."""
    root = copy_example(tmp_path / "ws")
    _refresh_register(root, {5: "see 5"})
    printed = _run(capsys, "validate", "--workspace", str(root), "--period", "2026-10")
    assert ("inputs/register.xlsx error sheet 'Register', row 6, column 'Was numbered': Action 40: 'see 5' in 'Was "
            "numbered' is not the number the action had before (not a whole number): it is paired with earlier drafts "
            "and workbooks by its number now, 40.") in printed
