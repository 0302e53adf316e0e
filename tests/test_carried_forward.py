"""What a later period carries forward when a return arrives after its period's draft, and when an exempt action's
lead misses a month: driven through the CLI as the secretariat runs the month, read back from the workbooks and the
paper."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import copy_example
from reportgen.drafts.folders import load_draft
from reportgen.shells.cli import main

BOARD = "criminal-justice-board.xlsx"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """One CLI command, which must not fail to run; what it printed, on one line."""
    assert main(list(args)) in (0, 1), capsys.readouterr()
    return " ".join(capsys.readouterr().out.split())


def _file_workbook(root: Path, period: str, name: str, ref: int, status: str | None, explanation: str) -> None:
    """The partner's return for `period`: its pre-filled workbook with one action's row changed, filed."""
    book = openpyxl.load_workbook(root / "outputs" / period / "returns" / name)
    for row in book["Return"].iter_rows(min_row=2):
        if row[0].value == ref:
            row[3].value = status if status is not None else row[3].value
            row[4].value = explanation
    book.save(root / "inputs" / "returns" / period / name)


def _prefilled(folder: Path, name: str, ref: int) -> tuple[object, object]:
    """An action's pre-filled status and explanation in a period's return workbook."""
    rows = openpyxl.load_workbook(folder / name)["Return"].iter_rows(values_only=True)
    return next(row[3:5] for row in rows if row[0] == ref)


def _status_cell(draft: Path, ref: int) -> str:
    """The Word paper's status cell of an action (the plan is the last table)."""
    table = docx.Document(str(draft / "paper.docx")).tables[-1]
    return next(row.cells[2].text for row in table.rows if row.cells[0].text == str(ref))


def _november_built(root: Path, capsys: pytest.CaptureFixture[str], *october: str) -> None:
    """September and October built (October in each of `october`'s editions, the last the newest draft), then
    November from OPCC's return alone (one explanation changed): Wessex Police sends none."""
    _run(capsys, "build", "--workspace", str(root), "--period", "2026-09")
    for edition in october:
        _run(capsys, "build", "--workspace", str(root), "--period", "2026-10", "--edition", edition)
    _run(capsys, "returns", "--workspace", str(root), "--period", "2026-11")
    (root / "inputs" / "returns" / "2026-11").mkdir(parents=True)
    _file_workbook(root, "2026-11", "opcc.xlsx", 2, None, "The precept statement has been drafted.")
    _run(capsys, "build", "--workspace", str(root), "--period", "2026-11")


def test_a_return_filed_after_its_months_draft_is_said_not_carried_until_that_month_is_built_again(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Criminal Justice Board's November return arrives after November's paper was built, marking action 36
    Completed. December's workbooks and paper carried October's 'In progress' with no word of it; now the
    workbooks, validate and the build each name the file and say to build November again, which reads it."""
    root = copy_example(tmp_path / "ws")
    _november_built(root, capsys, "public")
    _file_workbook(root, "2026-11", BOARD, 36, "Completed", "Sentencing information is published monthly.")

    printed = _run(capsys, "returns", "--workspace", str(root), "--period", "2026-12")
    late = "inputs/returns/2026-11/criminal-justice-board.xlsx was filed after 2026-11/draft-01, the newest draft"
    assert late in printed and "its updates are not pre-filled" in printed
    assert "Build November 2026's paper again (reportgen build --period 2026-11" in printed
    assert _prefilled(root / "outputs" / "2026-12" / "returns", BOARD, 36)[0] == "In progress"
    (root / "inputs" / "returns" / "2026-12").mkdir(parents=True)
    _file_workbook(root, "2026-12", "opcc.xlsx", 2, None, "The precept statement is published.")
    assert late in _run(capsys, "validate", "--workspace", str(root), "--period", "2026-12")
    assert late in _run(capsys, "build", "--workspace", str(root), "--period", "2026-12")

    _run(capsys, "build", "--workspace", str(root), "--period", "2026-11")  # draft-02 reads it
    again = tmp_path / "december-again"
    printed = _run(capsys, "returns", "--workspace", str(root), "--period", "2026-12", "--out", str(again))
    assert "filed after" not in printed
    assert _prefilled(again, BOARD, 36) == ("Completed", "Sentencing information is published monthly.")
    printed = _run(capsys, "build", "--workspace", str(root), "--period", "2026-12")
    assert "filed after" not in printed
    draft = Path(printed.split()[-1])
    assert draft.name == "draft-02"
    assert _status_cell(draft, 36) == \
        "Completed\nNo update received this period: status as last reported (November 2026)"


def test_a_return_changed_after_its_months_draft_is_said_not_carried(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The draft's manifest records each return it read by its hash: a return filed before November was built
    and changed after it is told apart from one the draft read, though both were there when it was built."""
    root = copy_example(tmp_path / "ws")
    _november_built(root, capsys, "public")
    _file_workbook(root, "2026-11", "opcc.xlsx", 2, "Completed", "The precept statement is published.")
    printed = _run(capsys, "returns", "--workspace", str(root), "--period", "2026-12")
    assert "inputs/returns/2026-11/opcc.xlsx was changed after 2026-11/draft-01" in printed
    assert "filed after" not in printed  # the other returns are as the draft read them


@pytest.mark.parametrize("october", [("restricted", "public"), ("public",)])
def test_an_exempt_actions_status_is_carried_past_a_month_its_lead_sent_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], october: tuple[str, ...]) -> None:
    """Action 20 is exempt; Wessex Police, its lead, sends no November return, and November's paper is the public
    edition, which leaves 20 out. December's workbook pre-filled 20 blank, calling it new, and a restricted
    December paper showed it with no status. Now both carry October's 'In progress' (from October's restricted
    draft, or October's return where none was kept), and the public edition still leaves it out."""
    root = copy_example(tmp_path / "ws")
    _november_built(root, capsys, *october)

    printed = _run(capsys, "returns", "--workspace", str(root), "--period", "2026-12")
    assert "Action 20 (Wessex Police)" not in printed
    status, explanation = _prefilled(root / "outputs" / "2026-12" / "returns", "wessex-police.xlsx", 20)
    assert status == "In progress" and str(explanation).startswith("Revised arrangements have been agreed")

    (root / "inputs" / "returns" / "2026-12").mkdir(parents=True)
    _file_workbook(root, "2026-12", "opcc.xlsx", 2, None, "The precept statement is published.")
    restricted = Path(_run(capsys, "build", "--workspace", str(root), "--period", "2026-12",
                           "--edition", "restricted").split()[-1])
    row = next(row for row in load_draft(restricted)[0].rows if row.ref == 20)
    assert (row.status_label, row.state, row.reported) == ("In progress", "carried-forward", "2026-10")
    cell = _status_cell(restricted, 20)
    assert cell.startswith("In progress\n") and "status as last reported (October 2026)" in cell
    public = Path(_run(capsys, "build", "--workspace", str(root), "--period", "2026-12").split()[-1])
    assert 20 not in [row.ref for row in load_draft(public)[0].rows]
    assert "Revised arrangements have been agreed" not in " ".join(
        p.text for table in docx.Document(str(public / "paper.docx")).tables
        for row in table.rows for cell in row.cells for p in cell.paragraphs)
