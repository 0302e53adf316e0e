"""Faults: a killed build, two builds at once, a return changed mid-build, formulas in our outputs."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

import reportgen.run.build as build_module
from conftest import RETURN_HEADINGS, as_chmod_binds, default_returns, make_workspace
from reportgen.run.build import build_draft

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import reportgen.run.build as b
    render = b.render_pdf
    def slow(*args):
        out = render(*args)
        Path(sys.argv[2]).write_text("rendered")
        time.sleep(60)
        return out
    b.render_pdf = slow
    b.build_draft(Path(sys.argv[1]))
""")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_killed_build_leaves_earlier_drafts_and_no_partial_draft(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    first = build_draft(root)
    before = _snapshot(first.folder)
    flag = tmp_path / "rendered"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(root), str(flag)])
    try:
        deadline = time.monotonic() + 60
        while not flag.exists() and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.1)
        assert flag.exists(), "the child build never reached the middle"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    period = root / "outputs" / "2026-10"
    assert sorted(p.name for p in period.iterdir() if not p.name.startswith(".")) == ["draft-01"]
    assert _snapshot(first.folder) == before
    second = build_draft(root)  # cleans the dead build's temporary folder, then carries on
    assert second.folder.name == "draft-02"
    assert [p.name for p in period.iterdir() if p.name.startswith(".draft-tmp")] == []


def test_two_builds_of_one_period_at_once_both_land(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    code = ("import sys; from pathlib import Path; from reportgen.run.build import build_draft; "
            "build_draft(Path(sys.argv[1]))")
    children = [subprocess.Popen([sys.executable, "-c", code, str(root)]) for _ in range(2)]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    period = root / "outputs" / "2026-10"
    assert sorted(p.name for p in period.iterdir() if not p.name.startswith(".")) == ["draft-01", "draft-02"]
    assert (period / "draft-01" / "paper.pdf").read_bytes() == (period / "draft-02" / "paper.pdf").read_bytes()


def test_a_return_changed_during_the_build_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace(tmp_path / "ws")
    render = build_module.render_docx

    def render_then_edit(*args: object) -> Path:
        out = render(*args)  # type: ignore[arg-type]
        opcc = root / "inputs" / "returns" / "2026-10" / "opcc.xlsx"
        opcc.write_bytes(opcc.read_bytes() + b"\n")
        return out

    monkeypatch.setattr(build_module, "render_docx", render_then_edit)
    result = build_draft(root)
    changed = [i for i in result.issues if i.code == "file-changed"]
    assert [(i.file, i.blocking) for i in changed] == [("inputs/returns/2026-10/opcc.xlsx", True)]
    assert "file-changed" in (result.folder / "issues.csv").read_text(encoding="utf-8-sig")


def test_formulas_in_partner_text_stay_text_in_our_outputs(tmp_path: Path) -> None:
    returns = default_returns()
    del returns["opcc.xlsx"]
    # a CSV cell that is a formula ("=E3", "=HYPERLINK(…)") is said and read as empty; words after "=" are text
    returns["opcc.csv"] = [RETURN_HEADINGS, (2, "", "In progress", "=> see the minutes, \"http://x\"", "+1"),
                            (4, "", "Complet", "@SUM(1)", "-2")]
    result = build_draft(make_workspace(tmp_path / "ws", returns=returns))
    sheet = openpyxl.load_workbook(result.folder / "register.xlsx")["Register"]
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells['=> see the minutes, "http://x"'] == "s" and cells["+1"] == "s" and cells["-2"] == "s"
    rows = list(csv.reader(io.StringIO((result.folder / "issues.csv").read_text(encoding="utf-8-sig"))))
    [unknown] = [row for row in rows if row[0] == "unknown-status"]
    assert [int(unknown[5]), unknown[7]] == [3, "Complet"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_issue_values_that_look_like_formulas_are_quoted() -> None:
    from reportgen.issues import issue, issues_csv

    text = issues_csv([issue("unknown-file-type", file="=1+1", value="=cmd|' /C calc'!A0")])
    row = list(csv.reader(io.StringIO(text)))[1]
    assert (row[1], row[3]) == ("'=1+1 is not a .xlsx or .csv file; it was not read.", "'=1+1")  # message, file
    assert "'=cmd" in text


def test_a_file_reportgen_may_not_read_is_said_as_unreadable_never_as_a_failure_to_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """On a server the worker's account could not read one partner's return: the whole build stopped with 'cannot
    write …/opcc.xlsx: Permission denied (no permission to write there; choose another folder with --out)', though
    nothing was being written and validate has no --out. (The tests run as root, who may read anything: the refusal
    is made as the operating system makes it.) The file is now that return's error, located; an unreadable
    reportgen.toml stops the run with one line that says 'cannot read'."""
    import errno

    from reportgen import errors
    from reportgen.read import sheets
    from reportgen.shells.cli import main

    root = make_workspace(tmp_path / "ws")
    locked = root / "inputs" / "returns" / "2026-10" / "opcc.xlsx"
    real = sheets._read_xlsx

    def refused(path: Path, display: str) -> object:
        if path == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, display)

    monkeypatch.setattr(sheets, "_read_xlsx", refused)
    assert main(["validate", "--workspace", str(root)]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert ("inputs/returns/2026-10/opcc.xlsx could not be read: permission to read it was refused (to the user "
            "running reportgen).") in printed
    assert "cannot write" not in printed

    monkeypatch.setattr(os, "access", lambda *_a, **_k: False)  # as for a user other than root
    said = errors.describe_os_error(PermissionError(errno.EACCES, "Permission denied", str(root / "reportgen.toml")))
    assert said.startswith(f"cannot read {root / 'reportgen.toml'}: Permission denied (the user running reportgen "
                           "has no permission to read it")
    # a file in a folder the account may not enter cannot even be seen to exist: still a read refused
    monkeypatch.setattr(os.path, "exists", lambda _name: False)
    said = errors.describe_os_error(PermissionError(errno.EACCES, "Permission denied",
                                                    str(root / "inputs" / "register.xlsx").encode()))
    assert said.startswith(f"cannot read {root / 'inputs' / 'register.xlsx'}: Permission denied")


def test_a_workspace_with_no_settings_file_is_said(tmp_path: Path) -> None:
    """A workspace with inputs/ but no reportgen.toml built as publishable with a cover of blank rows titled
    'Delivery Plan', and the missing file was never named."""
    root = make_workspace(tmp_path / "ws")
    (root / "reportgen.toml").unlink()
    said = [i for i in build_module.validate_draft(root).issues if i.code == "no-settings"]
    assert [i.message.split(":")[0] for i in said] == ["The workspace has no reportgen.toml"]


def test_output_cut_short_by_its_reader_is_not_an_error(capfd: pytest.CaptureFixture[str]) -> None:
    """`reportgen send-returns … | head -4` sent every mail, then said 'cannot write: Broken pipe; no draft or file
    was published' though all was done (a line printed after `head` had stopped reading): a reader that stops is
    not the command's failure to say."""
    from reportgen.shells.cli import guarded

    def printing_after_head_stopped() -> int:
        raise BrokenPipeError(32, "Broken pipe")

    saved = os.dup(1)
    try:
        assert guarded(printing_after_head_stopped) == 1
    finally:
        os.dup2(saved, 1)  # guarded points stdout at /dev/null, as the process ends
        os.close(saved)
    assert capfd.readouterr().err == ""


def _unwritable(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o555)
    return path


def test_a_mail_command_that_cannot_write_says_what_it_had_done_and_no_option_it_lacks(tmp_path: Path) -> None:
    """collect and send-returns on a workspace whose outputs/ the account may not write said "(no permission to
    write there; choose another folder with --out); no draft or file was published": neither has --out, and collect
    had saved OPCC's return when it said so. Each now says what would let it write, and what stands of its work."""
    from mail_helpers import ADDRESS, GOOD_OPCC, OPCC, PERIOD, mail_workspace, reply, workbook

    root = mail_workspace(tmp_path / "ws")
    drop = tmp_path / "replies"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))]))
    _unwritable(root / "outputs")
    command = [sys.executable, "-m", "reportgen", "--workspace", str(root), "--period", PERIOD]
    said = {}
    try:
        for name, *extra in (["collect", "--from-folder", str(drop)], ["send-returns", "--dry-run"]):
            done = subprocess.run(as_chmod_binds([*command[:3], name, *command[3:], *extra]), capture_output=True,
                                  text=True, timeout=300, check=False)
            assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
            said[name] = " ".join(done.stderr.split())
    finally:
        (root / "outputs").chmod(0o755)
    for line in said.values():
        assert "(no permission to write there; let the user running reportgen write to that folder)" in line
        assert "--out" not in line and "no draft or file was published" not in line
    assert (root / "inputs" / "returns" / PERIOD / "opcc.xlsx").is_file()  # saved before it failed: it stands
    assert said["collect"].endswith("the messages dealt with before it stand: each moved out of the inbox is "
                                    "recorded in received.csv, and a return already saved is not saved twice; run "
                                    "collect again once it can write there")
    assert said["send-returns"].endswith("each message sent before it is recorded in sent.csv and is not sent "
                                         "again; run it again once it can write there")


def test_a_read_only_lock_file_in_a_writable_folder_is_said_to_be_read_only(tmp_path: Path) -> None:
    """A read-only outputs/2026-10/.lock (copied in from a synced drive) in a folder the account may write: the
    build said "no permission to write there; choose another folder with --out", though the folder was writable.
    It says the file is read-only, to let it be written or deleted."""
    root = make_workspace(tmp_path / "ws")
    lock = root / "outputs" / "2026-10" / ".lock"
    lock.parent.mkdir(parents=True)
    lock.write_text("")
    lock.chmod(0o444)
    done = subprocess.run(as_chmod_binds([sys.executable, "-m", "reportgen", "build", "--workspace", str(root)]),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip() == (f"reportgen: error: cannot write {lock}: Permission denied (the file is "
                                   "read-only; let the user running reportgen write it, or delete it); no draft or "
                                   "file was published")
