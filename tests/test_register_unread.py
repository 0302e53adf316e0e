"""The secretariat's own register, when part of it cannot be read: said once per cause, first, and never passed on
to partners as their mistakes."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from conftest import REGISTER_HEADINGS, make_workspace
from reportgen.shells.cli import main


def _issues(root: Path) -> list[dict[str, str]]:
    """The rows of the newest draft's issues.csv."""
    folder = sorted((root / "outputs" / "2026-10").glob("draft-*"))[-1]
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_a_summary_sheet_first_in_the_register_is_not_taken_for_a_second_register(tmp_path: Path) -> None:
    """The office keeps a summary sheet first in its register, headed Section, Lead, Action and Count, with no
    plan priority column: it holds counts, not actions. The build read the register's sheet, then blocked the
    paper, saying the summary "also has the register's headings … none of its actions is in the paper"."""
    root = make_workspace(tmp_path / "ws")
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    summary = book.create_sheet("Summary", 0)
    summary.append(["Section", "Lead", "Action", "Count"])
    summary.append(["Victims", "OPCC", "Actions in progress", 2])
    summary.append(["Justice", "Criminal Justice Board", "Actions on hold", 1])
    book.save(path)
    assert main(["build", "--workspace", str(root)]) == 0
    assert [(row["code"], row["sheet"]) for row in _issues(root) if row["file"] == "inputs/register.xlsx"] == []


def test_a_summary_sheet_with_more_of_the_headings_is_not_read_as_the_register(tmp_path: Path) -> None:
    """A summary sheet that repeats more of the register's headings than the register itself has (its page column
    too) but no number column: the register is still the sheet of numbered actions."""
    register = [[heading for heading in REGISTER_HEADINGS if heading != "CSCJ Plan page"],
                [1, "", "Wessex Police", "Develop a prevention strategy."],
                [2, "", "OPCC", "Publish the commissioning plan."],
                [3, "Victims", "Wessex Police", "Review victim referrals."],
                [4, "Victims", "OPCC", "Fund an advocacy service."],
                [5, "Justice", "Criminal Justice Board", "Measure file quality."],
                [6, "Justice", "OPCC", "Lobby for court capacity."]]
    root = make_workspace(tmp_path / "ws", register=register)
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    summary = book.create_sheet("Summary", 0)
    summary.append(["Section", "Lead", "Action", "CSCJ Plan page", "Count"])
    summary.append(["Victims", "OPCC", "Actions in progress", "12-14", 2])
    book.save(path)
    assert main(["build", "--workspace", str(root)]) == 0
    assert {row["sheet"] for row in _issues(root) if row["file"] == "inputs/register.xlsx"} == {"Register"}


def _numbers_as_formulas(root: Path) -> None:
    """The register's plan priority numbers after the first written as `=A2+1`, `=A3+1`, … by a script: saved with
    no calculated value, as openpyxl saves a formula."""
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Register"]
    for row in range(3, sheet.max_row + 1):
        sheet.cell(row, 1).value = f"=A{row - 1}+1"
    book.save(path)


def test_register_numbers_written_as_uncalculated_formulas_are_one_error(tmp_path: Path) -> None:
    """A script fills the register's numbers down as formulas and saves it without Excel calculating them: each row
    was two errors ("never been calculated", then "Row N has no action reference"), 10 for 5 rows of one cause. It
    is one error, with how many rows, from which to which, and the formulas."""
    root = make_workspace(tmp_path / "ws")
    _numbers_as_formulas(root)
    assert main(["build", "--workspace", str(root)]) == 1
    register = [row for row in _issues(root) if row["file"] == "inputs/register.xlsx" and row["severity"] == "error"]
    assert [(row["code"], row["severity"], row["row"], row["column"], row["value"]) for row in register] == [
        ("bad-ref-rows", "error", "3", "Plan priority", "'=A2+1")]  # quoted: text, never a formula
    assert register[0]["message"] == (
        "5 rows (rows 3 to 7) of the register were left out: the action reference in 'Plan priority' of each is a "
        "formula ('=A2+1', '=A3+1', …) that has never been calculated, so it was read as empty.")
    assert "Paste Special > Values" in register[0]["advice"]


def test_a_register_whose_every_number_is_an_uncalculated_formula_says_so_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every number of the register is `=ROW()-1`, never calculated: no action can be read, and the officer is told
    why in one sentence, not the first three of twelve errors."""
    root = make_workspace(tmp_path / "ws")
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    for row in range(2, book["Register"].max_row + 1):
        book["Register"].cell(row, 1).value = "=ROW()-1"
    book.save(path)
    assert main(["validate", "--workspace", str(root)]) == 1
    said = " ".join(capsys.readouterr().err.split())
    assert ("cannot read the register inputs/register.xlsx: None of the register's 6 rows (rows 2 to 7) could be "
            "read as an action: the action reference in 'Plan priority' of each is a formula ('=ROW()-1', '=ROW()-1', "
            "…) that has never been calculated, so it was read as empty.") in said
    assert "no action reference" not in said and "more (" not in said


def _chase(root: Path) -> dict[str, dict[str, str]]:
    """The newest draft's chase.csv, by partner."""
    folder = sorted((root / "outputs" / "2026-10").glob("draft-*"))[-1]
    with (folder / "chase.csv").open(encoding="utf-8-sig", newline="") as stream:
        return {row["Partner"]: row for row in csv.DictReader(stream)}


def test_returns_are_not_blamed_for_actions_the_unread_part_of_the_register_holds(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The register's numbers after the first are uncalculated formulas, so only action 1 (Wessex Police's) is read.
    Every partner's correct return was then blamed: "Action 3 is not in the register" an error a row, "the file name
    matches no lead" for OPCC's, "[partners."OPCC"] is not a lead", and "To chase: Wessex Police: 1 error". Those
    follow from the register: one warning at the register says so, each row is a note, and nobody is chased."""
    from conftest import FULL_COVER

    root = make_workspace(tmp_path / "ws", toml=FULL_COVER + '\n[partners."OPCC"]\nfiles = ["opcc*"]\n')
    _numbers_as_formulas(root)
    assert main(["build", "--workspace", str(root)]) == 1
    printed = capsys.readouterr().out
    rows = _issues(root)
    assert [(row["code"], row["severity"]) for row in rows if row["file"] == "inputs/register.xlsx"] == [
        ("bad-ref-rows", "error"), ("returns-not-checked", "warning")]
    [warning] = [row for row in rows if row["code"] == "returns-not-checked"]
    assert warning["message"] == (
        "The register could not be read in full (its rows 3 to 7 could not be read), so the returns were not checked "
        "against it: 5 updates of actions not among those read (1 in criminal-justice-board.xlsx, 3 in opcc.xlsx, "
        "1 in wessex-police.xlsx) are left out until it is corrected, and no partner is chased for them.")
    assert sorted((row["file"].rpartition("/")[2], row["ref"], row["severity"]) for row in rows
                  if row["code"] == "unchecked-ref") == [
        ("criminal-justice-board.xlsx", "5", "info"), ("opcc.xlsx", "2", "info"), ("opcc.xlsx", "4", "info"),
        ("opcc.xlsx", "6", "info"), ("wessex-police.xlsx", "3", "info")]
    assert not {"unknown-ref", "unknown-partner", "partner-not-lead"} & {row["code"] for row in rows}
    chase = _chase(root)
    note = ("Not listed: any partner leading only actions of the register that could not be read (its rows 3 to 7 "
            "could not be read); each count above leaves those actions out. Correct the register, then build again.")
    assert list(chase) == ["Wessex Police", note]  # the other leads are in the rows not read: said, not dropped
    assert (chase["Wessex Police"]["Errors"], chase["Wessex Police"]["Warnings"], chase["Wessex Police"]["Issues"]) == (
        "0", "0", "")
    assert "To chase:" not in printed


def test_an_old_sheet_first_in_the_register_does_not_set_partners_to_chase(tmp_path: Path) -> None:
    """Last year's register kept as the first sheet, this year's second: the old sheet was read, the new one said
    not to be, and OPCC's correct update of action 6 (only in this year's) was an error to chase it for."""
    root = make_workspace(tmp_path / "ws")
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    old = book.create_sheet("Register 2025 (old)", 0)
    for row in book["Register"].iter_rows(max_row=6, values_only=True):
        old.append(list(row))
    book.save(path)
    assert main(["build", "--workspace", str(root)]) == 1
    rows = _issues(root)
    assert [(row["code"], row["sheet"]) for row in rows if row["severity"] == "error"] == [
        ("rows-on-another-sheet", "Register")]
    [unchecked] = [row for row in rows if row["code"] == "unchecked-ref"]
    assert (unchecked["file"], unchecked["ref"]) == ("inputs/returns/2026-10/opcc.xlsx", "6")
    assert "its sheet 'Register' was not read" in unchecked["message"]
    assert _chase(root)["OPCC"]["Errors"] == "0"


def _half_read(root: Path) -> None:
    """Actions 3 and 5 of the register numbered `=A3+1`, `=A5+1`, saved uncalculated: their rows cannot be read."""
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    for row in (4, 6):
        book["Register"].cell(row, 1).value = f"=A{row - 1}+1"
    book.save(path)


def _run(root: Path, *command: str) -> tuple[int, str]:
    """A reportgen command as the officer runs it, in its own process: its exit code and what it printed, one line."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *command, "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, " ".join((done.stdout + done.stderr).split())


def test_no_partner_workbook_is_written_or_mailed_from_a_half_read_register(tmp_path: Path) -> None:
    """Two of the register's numbers are uncalculated formulas, so their rows (actions 3 and 5) were left out: yet
    `returns` wrote every workbook, `send-returns` mailed them and `chase` reminded the partners, each workbook and
    reminder missing those actions. Each now refuses, exit 1, the register's errors printed with it, and writes and
    mails nothing until the register is corrected."""
    from mail_helpers import mail_toml

    root = make_workspace(tmp_path / "ws", returns={}, toml=mail_toml())
    _half_read(root)
    refused = "The register could not be read in full (its rows 4 and 6 could not be read), so no"
    again = "→ Correct the register (see its errors), then run again."
    code, printed = _run(root, "returns", "--period", "2026-11")
    assert code == 1 and f"{refused} partner workbook was written" in printed and again in printed
    assert "Cell A4 holds the formula '=A3+1'" in printed and "Cell A6 holds the formula '=A5+1'" in printed
    assert not list((root / "outputs").rglob("*.xlsx"))
    assert "outputs/2026-11/returns" not in printed  # no last line naming a folder that was never made
    code, printed = _run(root, "send-returns", "--period", "2026-11", "--dry-run")
    assert code == 1 and f"{refused} workbook was mailed" in printed and "0 messages written" in printed
    (root / "inputs" / "returns" / "2026-10").mkdir(parents=True, exist_ok=True)
    code, printed = _run(root, "chase", "--period", "2026-10", "--dry-run")
    assert code == 1 and f"{refused} partner was reminded" in printed and "Cell A4 holds the formula" in printed
    assert not list((root / "outputs").rglob("*.eml"))
