"""The secretariat's own register, when part of it cannot be read: said once per cause, first, and never passed on
to partners as their mistakes."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

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
