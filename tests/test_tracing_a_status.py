"""Tracing a published status back to where it was reported: each kept draft records, for every action, the
partner's file, sheet and row its status came from, in draft.json and register.xlsx, carried forward with the
status, so an auditor's "who said action 3 was Completed, and where?" is answered from what reportgen keeps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import ACTIONS, default_returns, make_workspace, rewrite_kept_record, write_xlsx
from reportgen.drafts.records import file_sha256
from reportgen.shells.cli import main

TRACED = ("Reported in", "Reported in file", "Sheet", "Row")


def build(root: Path, period: str, capsys: pytest.CaptureFixture[str]) -> Path:
    """`reportgen build` as the officer runs it; the draft folder it printed last."""
    capsys.readouterr()
    code = main(["build", "--workspace", str(root), "--period", period])
    out = capsys.readouterr().out
    assert code == 0, out
    return Path(out.splitlines()[-1])


def register_rows(folder: Path) -> dict[int, dict[str, Any]]:
    """The draft's register.xlsx, each row by its ref, as a dict of heading to value."""
    sheet = openpyxl.load_workbook(folder / "register.xlsx").active
    assert sheet is not None
    headings, *rows = list(sheet.iter_rows(values_only=True))
    return {int(str(row[0])): dict(zip(headings, row, strict=True)) for row in rows}


def draft_rows(folder: Path) -> dict[int, dict[str, Any]]:
    paper = json.loads((folder / "draft.json").read_text(encoding="utf-8"))["paper"]
    return {row["ref"]: row for section in paper["sections"] for row in section["rows"]}


def traced(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[heading] for heading in TRACED)


def corrected_september(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """September built and published; then Wessex Police's officer mails a corrected workbook, saved beside the
    first as its later version, action 3 Completed (it said Not started); September built again."""
    make_workspace(root, "2026-09")
    published = build(root, "2026-09", capsys)
    police = default_returns()["wessex-police.xlsx"]
    corrected = [row if row[0] != 3 else (3, row[1], "Completed", "Finished in August.", row[4]) for row in police]
    write_xlsx(root / "inputs" / "returns" / "2026-09" / "wessex-police v2.xlsx", corrected)
    return published, build(root, "2026-09", capsys)


def october_without_the_police(root: Path) -> None:
    """October's returns: every lead's but Wessex Police's, whose actions carry forward."""
    for name, rows in default_returns().items():
        if name != "wessex-police.xlsx":
            write_xlsx(root / "inputs" / "returns" / "2026-10" / name, rows)


def test_each_status_names_the_return_file_sheet_and_row_it_was_reported_in(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """register.xlsx said only the status; an auditor could not tell which file or row a status came from, nor,
    after a correction, whether the paper read the first return or the corrected one."""
    published, corrected = corrected_september(tmp_path, capsys)
    first = register_rows(published)
    assert traced(first[3]) == ("2026-09", "inputs/returns/2026-09/wessex-police.xlsx", "Return", 3)
    assert first[3]["Status"] == "Not started"
    assert traced(first[2]) == ("2026-09", "inputs/returns/2026-09/opcc.xlsx", "Return", 2)
    again = register_rows(corrected)
    assert again[3]["Status"] == "Completed"
    assert traced(again[3]) == ("2026-09", "inputs/returns/2026-09/wessex-police v2.xlsx", "Return", 3)
    assert (draft_rows(corrected)[3]["reported_file"], draft_rows(corrected)[3]["reported_row"]) == (
        "inputs/returns/2026-09/wessex-police v2.xlsx", 3)
    # the manifest of the draft that read it holds the file's hash: the file kept is the one read
    manifest = json.loads((corrected / "manifest.json").read_text(encoding="utf-8"))["manifest"]
    hashes = {item["path"]: item["sha256"] for item in manifest["inputs"]}
    assert hashes["inputs/returns/2026-09/wessex-police v2.xlsx"] == file_sha256(
        tmp_path / "inputs" / "returns" / "2026-09" / "wessex-police v2.xlsx")


def test_a_status_carried_forward_still_names_where_it_was_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October carried action 3 from September's corrected draft: its row names September's corrected file and
    row, not October's returns, and an action October's returns updated names October's file."""
    corrected_september(tmp_path, capsys)
    october_without_the_police(tmp_path)
    rows = register_rows(build(tmp_path, "2026-10", capsys))
    assert (rows[3]["Status"], rows[3]["Update"]) == ("Completed", "carried-forward")
    assert traced(rows[3]) == ("2026-09", "inputs/returns/2026-09/wessex-police v2.xlsx", "Return", 3)
    police = [ref for ref, _section, lead, _text, _page in ACTIONS if lead == "Wessex Police"]
    assert all(rows[ref]["Reported in file"] == "inputs/returns/2026-09/wessex-police v2.xlsx" for ref in police)
    assert traced(rows[5]) == ("2026-10", "inputs/returns/2026-10/criminal-justice-board.xlsx", "Return", 2)


def test_a_status_carried_from_a_draft_that_kept_no_record_of_where_is_left_blank_not_guessed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A draft kept by an older reportgen did not record where its statuses were reported: October carries them
    with those cells blank, never a file guessed from the lead's name."""
    make_workspace(tmp_path, "2026-09")
    september = build(tmp_path, "2026-09", capsys)

    def older(record: dict[str, Any]) -> None:
        for section in record["paper"]["sections"]:
            for row in section["rows"]:
                for key in ("reported_file", "reported_sheet", "reported_row"):
                    del row[key]

    rewrite_kept_record(september, older)
    october_without_the_police(tmp_path)
    rows = register_rows(build(tmp_path, "2026-10", capsys))
    assert (rows[1]["Status"], rows[1]["Update"]) == ("Completed", "carried-forward")
    assert traced(rows[1]) == ("2026-09", None, None, None)
    assert rows[2]["Reported in file"] == "inputs/returns/2026-10/opcc.xlsx"
