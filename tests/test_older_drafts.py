"""A workspace upgraded from an older reportgen: its kept drafts lack what drafts record now (a restricted draft's
exempt actions, a carried row's period). Driven through the CLI as the secretariat runs the month after upgrading,
read back from the drafts, the workbooks and the history."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from conftest import copy_example, rewrite_kept_record
from reportgen.drafts.folders import load_draft
from reportgen.shells.cli import main

BOARD = "criminal-justice-board.xlsx"
# what a draft kept by an older reportgen did not record: the restricted draft's exempt actions, and where the paper
# carried from; of each row, the period its status was reported in (and the file, sheet and row), and whether its
# return came back unchanged
UNRECORDED_PAPER = ("exempt_refs", "carried_from")
UNRECORDED_ROW = ("reported", "repeats", "returned_unchanged", "reported_file", "reported_sheet", "reported_row")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """One CLI command, which must not fail to run: its exit code and what it printed, on one line."""
    code = main(list(args))
    assert code in (0, 1), capsys.readouterr()
    return code, " ".join(capsys.readouterr().out.split())


def _as_kept_by_older_reportgen(folder: Path) -> None:
    """The kept draft in `folder` as an older reportgen kept it, its manifest's record of draft.json to match."""
    rewrite_kept_record(folder, _older_shape)


def _older_shape(record: dict[str, Any]) -> None:
    for key in UNRECORDED_PAPER:
        record["paper"].pop(key, None)
    for section in record["paper"]["sections"]:
        for row in section["rows"]:
            for key in UNRECORDED_ROW:
                row.pop(key, None)
            if row["state"] == "carried-forward":  # nor did its note say the month
                row["note"] = re.sub(r" \([A-Z][a-z]+ \d{4}\)$", "", row["note"])


def _upgraded(root: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """September, then October in the public and restricted editions (the restricted one the newest draft), all
    kept by the older reportgen; November's workbooks made from them, the Criminal Justice Board's sent back
    untouched; then, after upgrading, reportgen.toml edited."""
    copy_example(root)
    ws = ("--workspace", str(root))
    _run(capsys, "build", *ws, "--period", "2026-09")
    _run(capsys, "build", *ws, "--period", "2026-10")
    _run(capsys, "build", *ws, "--period", "2026-10", "--edition", "restricted")
    for folder in ("2026-09/draft-01", "2026-10/draft-01", "2026-10/draft-02"):
        _as_kept_by_older_reportgen(root / "outputs" / folder)
    _run(capsys, "returns", *ws, "--period", "2026-11")
    (root / "inputs" / "returns" / "2026-11").mkdir(parents=True)
    (root / "inputs" / "returns" / "2026-11" / BOARD).write_bytes(
        (root / "outputs" / "2026-11" / "returns" / BOARD).read_bytes())
    settings = root / "reportgen.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("note the report.", "note this report."),
                        encoding="utf-8")
    return root


def _statuses(draft: Path) -> dict[int, tuple[str | None, str]]:
    """Each action's status and state in a kept draft."""
    return {row.ref: (row.status, row.state) for row in load_draft(draft)[0].rows}


def _prefilled(folder: Path) -> dict[int, object]:
    """Each action's pre-filled status in a period's return workbooks."""
    found = {}
    for path in folder.glob("*.xlsx"):
        for row in openpyxl.load_workbook(path)["Return"].iter_rows(min_row=2, values_only=True):
            if isinstance(row[0], int):
                found[row[0]] = row[3]
    return found


def test_after_upgrading_an_edited_reportgen_toml_carries_statuses_from_octobers_public_draft(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October's newest draft is a restricted one the older reportgen kept without saying which actions were exempt,
    and reportgen.toml has changed since: the public November paper carries from October's public draft instead,
    the same statuses the restricted edition carries, and the workbooks are pre-filled alike, so the Criminal
    Justice Board's untouched workbook is still said to be so and chased."""
    root = _upgraded(tmp_path / "ws", capsys)
    ws = ("--workspace", str(root))
    october = _statuses(root / "outputs" / "2026-10" / "draft-01")

    code, printed = _run(capsys, "validate", *ws, "--period", "2026-11")
    assert code == 0 and "carry their last status from draft 2026-10/draft-01." in printed
    assert "kept before reportgen recorded which actions were exempt" not in printed
    _run(capsys, "build", *ws, "--period", "2026-11")
    public = _statuses(root / "outputs" / "2026-11" / "draft-01")
    carried = {ref: status for ref, (status, state) in public.items() if state == "carried-forward"}
    assert len(carried) > 20 and all(status == october[ref][0] for ref, status in carried.items())
    with (root / "outputs" / "2026-11" / "draft-01" / "chase.csv").open(encoding="utf-8-sig") as file:
        board = next(row for row in csv.DictReader(file) if row["Partner"] == "Criminal Justice Board")
    assert board["Returned as sent (refs)"] == "21, 23, 25, 27, 36"

    _run(capsys, "build", *ws, "--period", "2026-11", "--edition", "restricted")
    restricted = _statuses(root / "outputs" / "2026-11" / "draft-02")
    assert {ref: restricted[ref][0] for ref in carried} == carried
    _run(capsys, "returns", *ws, "--period", "2026-11", "--out", str(tmp_path / "again"))
    prefilled = _prefilled(tmp_path / "again")
    assert {ref: prefilled[ref] for ref in carried} == carried


def test_with_no_public_draft_of_that_month_the_public_paper_is_blocked_naming_the_build_that_records_exemptions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October's public draft is gone: nothing of the restricted one can be carried into the public edition, which
    blocks publication and says to build October's restricted paper again; once built, November carries from it."""
    root = _upgraded(tmp_path / "ws", capsys)
    ws = ("--workspace", str(root))
    for kept in (root / "outputs" / "2026-10" / "draft-01").iterdir():
        kept.unlink()
    (root / "outputs" / "2026-10" / "draft-01").rmdir()

    code, printed = _run(capsys, "validate", *ws, "--period", "2026-11")
    assert code == 1 and "no public draft of 2026-10 is kept" in printed
    assert "(reportgen build --period 2026-10 --edition restricted)" in printed
    code, printed = _run(capsys, "returns", *ws, "--period", "2026-11", "--out", str(tmp_path / "blank"))
    assert "no public draft of 2026-10 is kept to pre-fill from" in printed

    _run(capsys, "build", *ws, "--period", "2026-10", "--edition", "restricted")
    code, printed = _run(capsys, "build", *ws, "--period", "2026-11")
    assert code == 0 and "carry their last status from draft 2026-10/draft-03 (restricted edition)" in printed


def _status_cell(draft: Path, ref: int) -> str:
    """The Word paper's status cell of an action (the plan is the last table)."""
    table = docx.Document(str(draft / "paper.docx")).tables[-1]
    return next(row.cells[2].text for row in table.rows if row.cells[0].text == str(ref))


def _carried_rows(root: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """history-carried-forward.csv: (Ref, Period) -> (Reported in, Note)."""
    with (root / "outputs" / "history" / "history-carried-forward.csv").open(encoding="utf-8-sig") as file:
        return {(row["Ref"], row["Period"]): (row["Reported in"], row["Note"]) for row in csv.DictReader(file)}


def test_a_status_carried_through_an_older_draft_keeps_the_month_it_was_reported_in(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex County Council sent nothing for action 7 in October or November: October's draft, kept by the older
    reportgen, does not record when its status was reported, but September's shows it updated then, so November's
    paper and the history say September; with September's draft gone it cannot be known, and both say so."""
    root = _upgraded(tmp_path / "ws", capsys)
    ws = ("--workspace", str(root))
    _run(capsys, "build", *ws, "--period", "2026-11")
    _run(capsys, "history", *ws)
    assert _status_cell(root / "outputs" / "2026-11" / "draft-01", 7).endswith(
        "status as last reported (September 2026)")
    carried = _carried_rows(root)
    assert carried[("7", "2026-11")][0] == carried[("7", "2026-10")][0] == "2026-09"

    for kept in (root / "outputs" / "2026-09" / "draft-01").iterdir():
        kept.unlink()
    (root / "outputs" / "2026-09" / "draft-01").rmdir()
    _run(capsys, "build", *ws, "--period", "2026-11")
    _run(capsys, "history", *ws)
    assert _status_cell(root / "outputs" / "2026-11" / "draft-02", 7).endswith(
        "status as last reported (month not recorded)")
    carried = _carried_rows(root)
    assert [carried[("7", period)] for period in ("2026-10", "2026-11")] == [
        ("", "No update received this period: status as last reported (month not recorded)")] * 2
