"""The drafts folder as a careful officer would expect it: a half-copied draft folder is not taken for a draft, a
damaged one blocks the paper that would lose its statuses, `--out` never makes a period's folder a draft, the
return workbooks are written as a set, and a build on another machine sharing the workspace is never cleaned away.
Each test drives `reportgen` as a user does and reads back what it wrote."""

from __future__ import annotations

import csv
import errno
import os
import re
import shutil
import socket
import time
from pathlib import Path

import openpyxl
import pytest

from conftest import make_workspace
from reportgen.shells.cli import main

SEPTEMBER, OCTOBER = "2026-09", "2026-10"


def _build(root: Path, *args: str) -> int:
    return main(["build", "--workspace", str(root), *args])


def _issues(draft: Path) -> list[dict[str, str]]:
    with (draft / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def _september_kept(tmp_path: Path) -> Path:
    """A workspace whose September paper is kept, with October's returns from the OPCC alone: the other leads'
    statuses are carried forward from September's draft."""
    root = make_workspace(tmp_path / "ws", period=SEPTEMBER)
    assert _build(root, "--period", SEPTEMBER) == 0
    october = root / "inputs" / "returns" / OCTOBER
    october.mkdir(parents=True)
    shutil.copy(root / "inputs" / "returns" / SEPTEMBER / "opcc.xlsx", october / "opcc.xlsx")
    return root


def test_a_half_copied_draft_folder_is_skipped_and_statuses_carry_from_the_finished_draft(tmp_path: Path) -> None:
    root = _september_kept(tmp_path)
    kept = root / "outputs" / SEPTEMBER / "draft-01"
    copy = kept.parent / "draft-02"  # what an interrupted copy or sync leaves: every file but the last written
    copy.mkdir()
    for path in kept.iterdir():
        if path.name != "manifest.json":
            shutil.copy(path, copy / path.name)
    assert _build(root) == 0
    october = root / "outputs" / OCTOBER / "draft-01"
    issues = _issues(october)
    [unfinished] = [row for row in issues if row["code"] == "unfinished-draft"]
    assert unfinished["severity"] == "warning" and unfinished["file"] == f"outputs/{SEPTEMBER}/draft-02"
    assert "not a finished draft" in unfinished["message"] and "draft-01, read instead" in unfinished["message"]
    assert not [row for row in issues if row["code"] == "unreadable-draft"]
    carried = [row["message"] for row in issues if row["code"] == "carried-forward"]
    assert len(carried) == 3 and all(f"carried forward from {SEPTEMBER}/draft-01" in text for text in carried)
    # left as it was found, and the next September draft takes the number after it
    assert not (copy / "manifest.json").exists() and (copy / "draft.json").is_file()
    assert _build(root, "--period", SEPTEMBER) == 0 and (kept.parent / "draft-03" / "manifest.json").is_file()


def test_a_kept_draft_with_a_damaged_manifest_blocks_the_paper_that_would_lose_its_statuses(tmp_path: Path) -> None:
    root = _september_kept(tmp_path)
    (root / "outputs" / SEPTEMBER / "draft-01" / "manifest.json").write_text("{broken", encoding="utf-8")
    assert _build(root) == 1  # blocks publication
    issues = _issues(root / "outputs" / OCTOBER / "draft-01")
    [damaged] = [row for row in issues if row["code"] == "damaged-draft"]
    assert damaged["severity"] == "error" and "no status is carried forward" in damaged["message"]
    assert "not valid JSON" in damaged["message"]


@pytest.mark.parametrize("out", ["outputs", "outputs/2026-10", "outputs/2026-11"])
def test_out_as_the_outputs_folder_or_a_period_folder_in_it_is_refused(
        tmp_path: Path, out: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws")
    assert _build(root, "--out", str(root / out)) == 2
    said = " ".join(capsys.readouterr().err.split())
    assert "where builds keep their drafts" in said and "Leave out --out" in said
    assert not (root / out).exists() or not any((root / out).rglob("manifest.json"))
    assert _build(root) == 0  # the draft then kept where later builds find it
    assert (root / "outputs" / OCTOBER / "draft-01" / "manifest.json").is_file()


@pytest.mark.parametrize("stop", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "ctrl-c"])
def test_return_workbooks_stopped_partway_leave_none_and_the_retry_writes_them_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        stop: BaseException) -> None:
    from reportgen.run import return_workbooks

    root = make_workspace(tmp_path / "ws")
    write = return_workbooks.write_atomically
    calls: list[Path] = []

    def fails_on_the_second(path: Path, data: bytes, replace: bool = True) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise stop
        write(path, data, replace)

    monkeypatch.setattr(return_workbooks, "write_atomically", fails_on_the_second)
    returns = ["returns", "--workspace", str(root), "--period", "2026-11"]
    assert main(returns) == (1 if isinstance(stop, OSError) else 130)
    said = " ".join(capsys.readouterr().err.split())
    assert ("no draft or file was published" if isinstance(stop, OSError) else "no workbook was written") in said
    folder = root / "outputs" / "2026-11"
    assert not list(folder.rglob("*.xlsx")) if folder.exists() else True, said
    assert not folder.exists() or not [p.name for p in folder.iterdir() if p.name.startswith(".")]
    monkeypatch.setattr(return_workbooks, "write_atomically", write)
    assert main(returns) == 0
    written = sorted((folder / "returns").iterdir())
    assert [p.name for p in written] == ["criminal-justice-board.xlsx", "opcc.xlsx", "wessex-police.xlsx"]
    assert all(openpyxl.load_workbook(path)["Return"]["A1"].value for path in written)


def _leftover(root: Path, name: str, age: float) -> Path:
    """A build's temporary folder, with a file in it last written `age` seconds ago."""
    folder = root / "outputs" / OCTOBER / name
    folder.mkdir(parents=True)
    (folder / "paper.pdf").write_bytes(b"%PDF")
    then = time.time() - age
    for path in (folder / "paper.pdf", folder):
        os.utime(path, (then, then))
    return folder


def _dead_pid() -> int:
    """A process id no process of this machine has now."""
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid += 1


def test_a_build_of_another_machine_sharing_the_workspace_is_never_cleaned_away(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    pid = _dead_pid()  # means nothing here: the process is another machine's, or in another pid namespace
    this_host = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname())
    running = [_leftover(root, f".draft-tmp-{pid}-0a1b2c3d", 60),  # as an older reportgen names it
               _leftover(root, f".draft-tmp-other-host.example-{pid}-0a1b2c3e", 60)]
    gone = [_leftover(root, f".draft-tmp-other-host.example-{pid}-0a1b2c3f", 2 * 3600),  # untouched for two hours
            _leftover(root, f".draft-tmp-{this_host}-{pid}-0a1b2c40", 60)]  # this machine's, its process gone
    assert _build(root) == 0
    assert all((folder / "paper.pdf").read_bytes() == b"%PDF" for folder in running)
    assert not any(folder.exists() for folder in gone)
    assert (root / "outputs" / OCTOBER / "draft-01" / "manifest.json").is_file()
