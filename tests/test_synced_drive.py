"""A workspace kept on a synced shared drive (OneDrive, Teams, Dropbox): folders linked in from elsewhere, files
not yet downloaded, the copies and lock files a sync and Office leave beside the ones reportgen reads."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import copy_example
from reportgen.shells.cli import main


def test_a_returns_folder_linked_from_the_shared_drive_is_one_error_and_nobody_is_chased(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "Police & Crime Panel")
    teams = tmp_path / "Teams returns"
    shutil.move(root / "inputs" / "returns", teams)
    (root / "inputs" / "returns").symlink_to(teams)
    for command in (["validate"], ["build", "--period", "2026-10"], ["chase", "--period", "2026-10", "--dry-run"]):
        assert main([*command, "--workspace", str(root)]) == 1
        printed = capsys.readouterr()
        assert f"inputs/returns is a link (to {teams})" in printed.err
        assert "Move the real folder into the workspace as inputs/returns" in printed.err
        assert "no return" not in printed.out and "holds no period folder" not in printed.out
    assert not (root / "outputs").exists()  # no draft, and no reminder written


def test_a_period_folder_linked_from_the_shared_drive_is_one_error_and_nobody_is_chased(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "ws")
    october = tmp_path / "October returns"
    shutil.move(root / "inputs" / "returns" / "2026-10", october)
    (root / "inputs" / "returns" / "2026-10").symlink_to(october)
    for command in (["build", "--period", "2026-10"], ["chase", "--period", "2026-10", "--dry-run"]):
        assert main([*command, "--workspace", str(root)]) == 1
        printed = capsys.readouterr()
        assert "inputs/returns/2026-10 is a link" in printed.err and "no return" not in printed.out
    assert not (root / "outputs").exists()


def test_a_narrative_not_yet_downloaded_blocks_the_paper_and_says_how_to_fix_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "ws")
    for placeholder in ("", " \n\n"):  # a cloud file not downloaded is 0 bytes; blank lines read no better
        (root / "narrative.md").write_text(placeholder, encoding="utf-8")
        out = tmp_path / f"draft{len(placeholder)}"
        assert main(["build", "--workspace", str(root), "--out", str(out)]) == 1
        assert "The narrative narrative.md is empty" in capsys.readouterr().out
        rows = list(csv.DictReader(io.StringIO((out / "issues.csv").read_text(encoding="utf-8-sig"))))
        [empty] = [row for row in rows if row["code"] == "narrative-error"]
        assert (empty["severity"], empty["file"]) == ("error", "narrative.md")
        assert "Always keep on this device" in empty["advice"]


def test_the_registers_lock_file_and_the_copies_a_sync_left_beside_it_are_each_warned(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "ws")
    inputs = root / "inputs"
    (inputs / "~$register.xlsx").write_bytes(b"\0" * 165)  # Excel's, while the register is open
    (inputs / "~$notes.xlsx").write_bytes(b"\0" * 165)  # another workbook's: not the register's business
    shutil.copy(inputs / "register.xlsx", inputs / "register (1).xlsx")
    shutil.copy(inputs / "register.xlsx", inputs / "Register.xlsx")
    os.utime(inputs / "Register.xlsx", (0, 0))
    later = (inputs / "register.xlsx").stat().st_mtime + 60
    os.utime(inputs / "register (1).xlsx", (later, later))
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) in (0, 1)
    assert "register (1).xlsx looks like a copy of the register" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO((tmp_path / "draft" / "issues.csv").read_text(encoding="utf-8-sig"))))
    said = {row["file"]: (row["code"], row["severity"], row["message"]) for row in rows
            if row["file"].startswith("inputs/") and "/" not in row["file"].removeprefix("inputs/")
            and row["file"] != "inputs/register.xlsx"}
    assert sorted(said) == ["inputs/Register.xlsx", "inputs/register (1).xlsx", "inputs/~$register.xlsx"]
    assert said["inputs/~$register.xlsx"][:2] == ("workbook-open", "warning")
    assert "register.xlsx may be open in Excel now" in said["inputs/~$register.xlsx"][2]
    assert said["inputs/register (1).xlsx"] == ("register-copy-unread", "warning", (
        "inputs/register (1).xlsx looks like a copy of the register that a sync or a second editor made (saved "
        "after register.xlsx); it was not read: the register read is register.xlsx."))
    assert "other capitals (saved before register.xlsx)" in said["inputs/Register.xlsx"][2]


def test_the_files_windows_leaves_beside_the_period_folders_are_passed_over_as_within_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "ws")
    for folder in (root / "inputs" / "returns", root / "inputs" / "returns" / "2026-10"):
        for name in ("Thumbs.db", "desktop.ini"):
            (folder / name).write_bytes(b"[.ShellClassInfo]\r\n")
    assert main(["validate", "--all", "--workspace", str(root)]) in (0, 1)
    printed = capsys.readouterr().out
    assert "Thumbs.db" not in printed and "desktop.ini" not in printed
    assert "lies in inputs/returns itself" not in printed
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) in (0, 1)
    issues = (tmp_path / "draft" / "issues.csv").read_text(encoding="utf-8-sig")
    assert "Thumbs.db" not in issues and "desktop.ini" not in issues


def test_a_folder_holding_only_the_files_windows_or_macos_left_is_empty_to_build_and_diff(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    root = copy_example(tmp_path / "ws")
    shown = {"desktop.ini": b"[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,3\r\n",
             "Thumbs.db": b"\xd0\xcf\x11\xe0", ".DS_Store": b"\0\0\0\1Bud1"}
    for folder in ("draft", "comparison"):
        (tmp_path / folder).mkdir()
        for name, data in shown.items():
            (tmp_path / folder / name).write_bytes(data)
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) in (0, 1)
    assert main(["build", "--workspace", str(root)]) in (0, 1)
    assert main(["diff", str(tmp_path / "draft"), str(root / "outputs" / "2026-10" / "draft-01"),
                 "--out", str(tmp_path / "comparison")]) == 0
    assert "already exists and is not empty" not in capsys.readouterr().err
    for folder in ("draft", "comparison"):  # kept as Windows left them: a folder's desktop.ini holds its icon
        assert {name: (tmp_path / folder / name).read_bytes() for name in shown} == shown
    assert docx.Document(str(tmp_path / "draft" / "paper.docx")).paragraphs
    assert json.loads((tmp_path / "comparison" / "diff.json").read_text(encoding="utf-8"))["empty"] is True
    (tmp_path / "comparison" / "notes.txt").write_text("mine", encoding="utf-8")  # anything else: still refused
    assert main(["diff", str(tmp_path / "draft"), str(root / "outputs" / "2026-10" / "draft-01"),
                 "--out", str(tmp_path / "comparison")]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err


def test_a_quoted_tilde_is_the_home_folder_for_every_path_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    home, here = tmp_path / "home", tmp_path / "here"
    here.mkdir()
    copy_example(home / "Police & Crime Panel" / "Feb '23 – Ymgynghori")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(here)
    assert main(["init", "--workspace", "~/Police & Crime Panel/new office"]) == 0
    assert (home / "Police & Crime Panel" / "new office" / "reportgen.toml").is_file()
    assert main(["build", "--workspace", "~/Police & Crime Panel/Feb '23 – Ymgynghori",
                 "--out", "~/drafts/october"]) in (0, 1)
    assert docx.Document(str(home / "drafts" / "october" / "paper.docx")).paragraphs
    assert main(["build", "--workspace=~/Police & Crime Panel/Feb '23 – Ymgynghori"]) in (0, 1)  # kept
    assert main(["history", "--workspace=~/Police & Crime Panel/Feb '23 – Ymgynghori",
                 "--out=~/history"]) == 0
    assert (home / "history" / "history.xlsx").is_file()
    assert list(here.iterdir()) == []  # no folder named '~' where the command was run
