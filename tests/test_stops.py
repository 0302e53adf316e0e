"""Stops: Ctrl-C, SIGTERM (a scheduler stopping the job) and SIGHUP (a closed terminal) in the middle of a command.

Each test runs `reportgen` as its console script does, in a process of its own, sends the signal at the moment it
means to (a folder appearing, a module imported: polled, never a fixed sleep), and reads back what is left.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import make_workspace
from reportgen.drafts.folders import STALE_AFTER

# what the installed `reportgen` script runs (pyproject's [project.scripts])
SCRIPT = "import sys; from reportgen.__main__ import main; sys.exit(main())"
PERIOD = "2026-10"


def _start(*args: str, importtime: bool = False) -> subprocess.Popen[str]:
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.Popen([sys.executable, *flags, "-c", SCRIPT, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _when(ready: Callable[[], bool], process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 120
    while not ready():
        assert process.poll() is None, f"ended before {what}: {process.communicate()}"
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.005)


def _after_import(process: subprocess.Popen[str], module: str) -> list[str]:
    """Read `-X importtime` lines until `module` has been imported; the lines read."""
    assert process.stderr is not None
    lines = []
    for line in process.stderr:
        lines.append(line)
        if line.rsplit("|", 1)[-1].strip() == module:
            return lines
    raise AssertionError(f"{module} was never imported: {''.join(lines)[-2000:]}")


def _descendants(pid: int) -> set[int]:
    """Every process started by `pid`, and by those (the PDF workers fork their siblings)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        pid = todo.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        found.update(children)
        todo.extend(children)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _first_draft(root: Path) -> Path:
    done = subprocess.run([sys.executable, "-c", SCRIPT, "build", "--workspace", str(root)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def _temporary(folder: Path) -> list[Path]:
    return sorted(folder.glob(".draft-tmp-*")) if folder.is_dir() else []


def test_ctrl_c_after_the_draft_is_kept_says_it_was_kept_not_that_none_was(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    first = _first_draft(root)
    before = _snapshot(first)
    second = first.parent / "draft-02"
    read_end, write_end = _full_pipe()  # its summary waits to be read: the stop lands before its last line
    build = _start_printing_into(read_end, write_end, "build", "--workspace", str(root))
    _when(second.exists, build, "draft-02 published")
    build.send_signal(signal.SIGINT)  # Ctrl-C while the summary and the partners to chase print
    err = _ended(build, read_end)
    assert build.returncode == 130, err
    assert err.strip().splitlines()[-1] == f"reportgen: interrupted after draft-02 was kept (it is complete): {second}."
    assert (second / "manifest.json").is_file() and (second / "paper.pdf").is_file()
    assert _snapshot(first) == before


@pytest.mark.parametrize(("number", "out"), [(signal.SIGTERM, False), (signal.SIGHUP, True)])
def test_sigterm_or_sighup_mid_build_cleans_up_and_says_so_as_ctrl_c_does(tmp_path: Path, number: int,
                                                                            out: bool) -> None:
    """A scheduler stopping the job (SIGTERM) or a dropped SSH session (SIGHUP) ended the build silently, its hidden
    temporary folder left half-written: with `--out` in the officer's own folder, which a later `--out` there
    then refused as not empty though `ls` showed nothing."""
    root = make_workspace(tmp_path / "ws")
    first = _first_draft(root)
    before = _snapshot(first)
    papers = tmp_path / "papers"
    papers.mkdir()
    target = papers / "october"
    where = papers if out else first.parent
    build = _start("build", "--workspace", str(root), *(["--out", str(target)] if out else []))
    _when(lambda: any(any(tmp.iterdir()) for tmp in _temporary(where)), build, "the draft being written")
    workers = _descendants(build.pid)
    build.send_signal(number)
    out_text, err = build.communicate(timeout=120)
    name = signal.Signals(number).name
    assert build.returncode == 128 + number, err
    assert err == f"reportgen: stopped by {name}; no draft was published.\n"
    assert out_text == ""
    assert _temporary(where) == [] and not target.exists()
    assert [p.name for p in first.parent.iterdir() if not p.name.startswith(".")] == ["draft-01"]
    assert _snapshot(first) == before
    assert workers and [pid for pid in workers if _alive(pid)] == []  # the PDF workers stopped too
    if out:  # the folder is as the officer left it: a later build may write there
        done = subprocess.run([sys.executable, "-c", SCRIPT, "build", "--workspace", str(root), "--out", str(papers)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr


def test_ctrl_c_while_reportgen_starts_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    validate = _start("validate", "--workspace", str(root), importtime=True)
    _after_import(validate, "click")  # the command line's own modules are still being imported
    validate.send_signal(signal.SIGINT)
    _out, err = validate.communicate(timeout=120)
    assert validate.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines()[-1].startswith("reportgen: interrupted")


def test_an_interrupted_validate_says_it_changed_nothing(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    validate = _start("validate", "--workspace", str(root), importtime=True)
    _after_import(validate, "reportgen.run.unfinished")  # imported by the command as it starts its work
    validate.send_signal(signal.SIGINT)
    _out, err = validate.communicate(timeout=120)
    assert validate.returncode == 130, err[-2000:]
    assert err.strip().splitlines()[-1] == "reportgen: interrupted; validate writes nothing, so nothing was changed."
    assert not (root / "outputs").exists() or not any((root / "outputs").rglob("*"))


def test_an_interrupted_diff_says_no_comparison_was_written(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    first = _first_draft(root)
    second = _first_draft(root)
    compare = tmp_path / "compare"
    diff = _start("diff", str(first), str(second), "--out", str(compare), importtime=True)
    _after_import(diff, "reportgen.diff.render")  # imported by the command as it starts its work
    diff.send_signal(signal.SIGTERM)
    _out, err = diff.communicate(timeout=120)
    assert diff.returncode == 143, err[-2000:]
    assert err.strip().splitlines()[-1] == "reportgen: stopped by SIGTERM; no comparison was written."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]


def _full_pipe() -> tuple[int, int]:
    """A pipe already full: a command given its write end as stdout waits at its first line until the test
    reads, so a signal sent once its folder is there always finds it still printing, never already gone."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    with contextlib.suppress(BlockingIOError):
        while True:
            os.write(write_end, b"\n" * 65536)
    os.set_blocking(write_end, True)  # the flag is the pipe's, shared with the command: it must wait, not fail
    return read_end, write_end


def _start_printing_into(read_end: int, write_end: int, *args: str) -> subprocess.Popen[str]:
    command = subprocess.Popen([sys.executable, "-c", SCRIPT, *args], stdout=write_end, stderr=subprocess.PIPE,
                               text=True)
    os.close(write_end)
    return command


def _ended(command: subprocess.Popen[str], read_end: int) -> str:
    """What the command said on stderr, its stdout read to its end so it can finish."""
    with os.fdopen(read_end, "rb") as stdout:
        stdout.read()
    assert command.stderr is not None
    err = command.stderr.read()
    command.wait(timeout=120)
    return err


def test_a_diff_stopped_once_its_folder_is_written_says_the_comparison_is_there_and_whole(tmp_path: Path) -> None:
    """Stopped while it printed, after the comparison was in place, `diff` said "no comparison was written", or
    (stopped a moment later) ended silently by the signal: the folder was there, complete, and nothing said so."""
    root = make_workspace(tmp_path / "ws")
    first = _first_draft(root)
    second = _first_draft(root)
    compare = tmp_path / "compare"
    read_end, write_end = _full_pipe()
    diff = _start_printing_into(read_end, write_end, "diff", str(first), str(second), "--out", str(compare))
    _when(compare.exists, diff, "the comparison published")
    diff.send_signal(signal.SIGTERM)
    err = _ended(diff, read_end)
    assert diff.returncode == 143, err[-2000:]
    assert err.strip().splitlines()[-1] == ("reportgen: stopped by SIGTERM after the comparison was written "
                                            f"(it is complete): {compare}.")
    assert sorted(p.name for p in compare.iterdir()) == ["diff.docx", "diff.html", "diff.json", "diff.pdf"]
    assert json.loads((compare / "diff.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare", "ws"]  # no hidden folder beside it


@pytest.mark.parametrize("out", [None, "papers/october/compare"])
def test_a_diff_stopped_while_it_writes_leaves_no_folder_it_made(tmp_path: Path, out: str | None) -> None:
    """Stopped while it wrote, `diff` removed its hidden folder but left the folders it had made to hold the
    comparison (`outputs/<period>/compare/`, or the new folders of an `--out`): empty, and sometimes the hidden
    folder too, when the stop came the moment it was made."""
    root = make_workspace(tmp_path / "ws")
    first = _first_draft(root)
    second = _first_draft(root)
    target = tmp_path / out if out else first.parent / "compare" / "draft-01-to-draft-02"
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    diff = _start("diff", str(first), str(second), *(["--out", str(target)] if out else []))
    _when(lambda: target.parent.is_dir() and any(target.parent.glob(".compare-tmp-*")), diff,
          "the comparison being written")
    diff.send_signal(signal.SIGTERM)
    _out, err = diff.communicate(timeout=120)
    assert diff.returncode == 143, err[-2000:]
    assert err == "reportgen: stopped by SIGTERM; no comparison was written.\n"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_returns_stopped_once_the_set_is_written_says_the_workbooks_are_there(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    folder = root / "outputs" / PERIOD / "returns"
    read_end, write_end = _full_pipe()
    returns = _start_printing_into(read_end, write_end, "returns", "--workspace", str(root), "--period", PERIOD)
    _when(folder.exists, returns, "the workbooks in place")
    returns.send_signal(signal.SIGINT)
    err = _ended(returns, read_end)
    assert returns.returncode == 130, err[-2000:]
    assert err.strip().splitlines()[-1] == ("reportgen: interrupted after the return workbooks were written "
                                            f"(the set is complete): {folder}.")
    assert sorted(p.name for p in folder.iterdir()) == ["criminal-justice-board.xlsx", "opcc.xlsx",
                                                          "wessex-police.xlsx"]


def _killed_writing_returns(root: Path) -> Path:
    """`reportgen returns` killed (SIGKILL: no handler runs) once it has started writing: the folder it left. A
    run that finished before the kill landed (a loaded machine) is undone and tried again."""
    period_folder = root / "outputs" / PERIOD
    before = set(period_folder.glob(".returns.partial-*")) if period_folder.is_dir() else set()
    for _attempt in range(10):
        returns = _start("returns", "--workspace", str(root), "--period", PERIOD)
        while returns.poll() is None and not (period_folder.is_dir()
                                              and set(period_folder.glob(".returns.partial-*")) - before):
            time.sleep(0.002)
        with contextlib.suppress(ProcessLookupError):
            os.kill(returns.pid, signal.SIGKILL)
        returns.communicate(timeout=120)
        if returns.returncode == -signal.SIGKILL and (left := set(period_folder.glob(".returns.partial-*")) - before):
            [found] = left
            return found
        shutil.rmtree(period_folder / "returns", ignore_errors=True)  # it finished first: as if never run
    raise AssertionError("`returns` was never caught writing")


def _unclaimed(folder: Path) -> Path:
    """`folder` as an older reportgen, which locked none, left it: no writer's lock file to tell its run has ended."""
    for lock in folder.glob(".writer.lock*"):
        lock.unlink()
    return folder


def _age(folder: Path, seconds: float) -> None:
    then = time.time() - seconds
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (then, then))


def test_returns_clears_the_hidden_folder_an_older_reportgen_left_once_it_is_an_hour_old_and_says_so(
        tmp_path: Path) -> None:
    """A run of `returns` killed with SIGKILL left its `.returns.partial-*` folder in the workspace for good. One
    an older reportgen left holds no lock to tell whether its run has ended, and one a run on another machine (a
    workspace on a network drive) left holds a lock this machine may not see: each is judged by its age."""
    root = make_workspace(tmp_path / "ws")
    old = _unclaimed(_killed_writing_returns(root))
    recent = _unclaimed(_killed_writing_returns(root))  # as another run writing now would look: kept
    elsewhere = _unclaimed(_killed_writing_returns(root))
    (elsewhere / ".writer.lock").write_text("another-machine")  # its run's lock, taken there: not told here
    _age(old, STALE_AFTER + 60)
    done = _returns(root)
    assert done.returncode == 0, done.stderr
    assert not old.exists() and recent.is_dir() and elsewhere.is_dir()
    assert sorted(p.name for p in (root / "outputs" / PERIOD).iterdir()) == sorted(
        [recent.name, elsewhere.name, "returns"])
    said = [line for line in done.stdout.splitlines() if str(old) in line]
    assert said and "it was removed" in said[-1] and "info" in said[-1], done.stdout
    assert "over an hour" in said[-1]
    assert str(recent) not in done.stdout and str(elsewhere) not in done.stdout


# `reportgen returns`, stopping itself (SIGSTOP) once it has written its first workbook into its hidden folder: caught
# there every time, to be killed or let go on (SIGCONT) to write the rest, with no race against a fast machine
PAUSED_SCRIPT = """import os, signal, sys
from reportgen.run import return_workbooks
written = return_workbooks.write_atomically
def write_then_pause(out, data, replace=True):
    written(out, data, replace)
    return_workbooks.write_atomically = written
    os.kill(os.getpid(), signal.SIGSTOP)
return_workbooks.write_atomically = write_then_pause
from reportgen.__main__ import main
sys.exit(main())
"""


def _paused_writing_returns(root: Path) -> tuple[subprocess.Popen[str], Path]:
    """`reportgen returns` stopped halfway through writing its workbooks, alive: the process and its hidden folder."""
    period_folder = root / "outputs" / PERIOD
    returns = subprocess.Popen([sys.executable, "-c", PAUSED_SCRIPT, "returns", "--workspace", str(root), "--period",
                                PERIOD], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _when(lambda: _state(returns.pid) == "T", returns, "the workbooks being written")
    [folder] = period_folder.glob(".returns.partial-*")
    return returns, folder


def _state(pid: int) -> str:
    """A process's state as /proc gives it: "T" once it is stopped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def _returns(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, "returns", "--workspace", str(root), "--period", PERIOD,
                           *options], capture_output=True, text=True, timeout=300)


def _workbooks(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_returns_run_again_a_minute_after_one_was_killed_clears_its_hidden_folder_and_writes_the_whole_set(
        tmp_path: Path) -> None:
    """A run of `returns` killed with SIGKILL (or a machine losing power) as it wrote left its `.returns.partial-*`
    folder, and the officer running `returns` again at once still found it there: it was cleared only by a run an
    hour later. Its run has ended, so the next run clears it at once, says so, and writes every workbook."""
    root = make_workspace(tmp_path / "ws")
    assert _returns(root, "--out", str(tmp_path / "expected")).returncode == 0
    killed, left = _paused_writing_returns(root)
    assert list(left.glob("*.xlsx"))  # halfway: a workbook written, not yet put in place
    killed.kill()
    killed.communicate(timeout=120)

    done = _returns(root)
    assert done.returncode == 0, done.stderr
    assert not left.exists()
    assert sorted(p.name for p in (root / "outputs" / PERIOD).iterdir()) == ["returns"]
    assert _workbooks(root / "outputs" / PERIOD / "returns") == _workbooks(tmp_path / "expected")
    said = [line for line in done.stdout.splitlines() if str(left) in line]
    assert said and "info" in said[-1], done.stdout
    assert "that run has ended" in said[-1] and "it was removed" in said[-1]


def test_a_second_run_of_returns_never_removes_the_hidden_folder_of_a_run_still_writing_however_long_it_has_taken(
        tmp_path: Path) -> None:
    """A run of `returns` still writing (here held halfway, as a laptop suspended mid-run would be) whose folder had
    not changed for an hour was taken for a killed one's by a second run, which removed it under the first. A live
    run's folder is now kept: the second run writes its set beside it, and the first, let go on, finds the
    workbooks in place, writes none over them, and takes its own folder away."""
    root = make_workspace(tmp_path / "ws")
    assert _returns(root, "--out", str(tmp_path / "expected")).returncode == 0
    writing, folder = _paused_writing_returns(root)
    try:
        _age(folder, STALE_AFTER + 60)
        done = _returns(root)
        assert done.returncode == 0, done.stderr
        assert folder.is_dir() and list(folder.glob("*.xlsx"))
        assert str(folder) not in done.stdout
        assert _workbooks(root / "outputs" / PERIOD / "returns") == _workbooks(tmp_path / "expected")
    finally:
        writing.send_signal(signal.SIGCONT)
        _out, err = writing.communicate(timeout=120)
    assert writing.returncode == 1, err[-2000:]
    assert "already exists: return workbooks are never overwritten" in err
    assert sorted(p.name for p in (root / "outputs" / PERIOD).iterdir()) == ["returns"]
    assert _workbooks(root / "outputs" / PERIOD / "returns") == _workbooks(tmp_path / "expected")


def test_ctrl_c_the_moment_reportgen_starts_to_load_is_one_line_not_a_traceback() -> None:
    """A Ctrl-C while `reportgen.stops` itself loaded, before any handler was in place, printed a traceback
    through the import machinery and ended by the signal. Sent as soon as the first module reportgen imports
    (`signal`) is loaded, a few times over: what runs before that is Python starting, not reportgen."""
    for _attempt in range(5):
        starting = _start("--version", importtime=True)
        _after_import(starting, "signal")
        starting.send_signal(signal.SIGINT)
        _out, err = starting.communicate(timeout=120)
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-2000:]
        assert starting.returncode == 130, err[-2000:]
        assert err.strip().splitlines()[-1] == "reportgen: interrupted; nothing was done."


def test_importing_the_package_runs_nothing_a_ctrl_c_could_interrupt_before_the_stop_handlers() -> None:
    """The package read its version from pyproject.toml as it was imported (tomllib, datetime, re: ~10 ms, before
    `reportgen.__main__` could install its handlers), and a Ctrl-C then printed a traceback through tomllib. The
    version is now read when asked for: importing the package imports nothing, and the version is still said."""
    loaded = subprocess.run([sys.executable, "-c", "import sys; before = set(sys.modules); "
                             "import reportgen; print(sorted(set(sys.modules) - before))"],
                            capture_output=True, text=True, timeout=120, check=True)
    assert loaded.stdout.strip() == "['reportgen']", loaded.stdout
    version = subprocess.run([sys.executable, "-c", SCRIPT, "--version"], capture_output=True, text=True,
                             timeout=120, check=True)
    assert re.fullmatch(r"reportgen \d+\.\d+\.\d+\S*", version.stdout.strip()), version.stdout


def _stopped_after_its_last_line(args: list[str], last_line: str) -> tuple[int, str]:
    process = _start(*args)
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == last_line:
            break
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=120)
    return process.returncode, err


def test_a_stop_after_a_command_has_finished_is_not_an_exit_by_the_signal(tmp_path: Path) -> None:
    """Stopped once it had printed its folder, while Python tidied up (a few tenths of a second after drawing a
    PDF), `diff` ended by the signal itself: no line, and an exit a script reads as "killed". A stop landing as
    the command's options were closed said "nothing was done", exit 143, with every file written (3 times in 30).
    Sent as its last line is read, a few times over: the command's work stands and is never said undone."""
    root = make_workspace(tmp_path / "ws")
    first = _first_draft(root)
    second = _first_draft(root)
    for attempt in range(6):
        compare = tmp_path / f"compare-{attempt}"
        code, err = _stopped_after_its_last_line(["diff", str(first), str(second), "--out", str(compare)],
                                                 str(compare))
        # finished as it was, or (the stop in the instant between its last line and its end) said as written
        assert (code == 0 and not err.strip()) or (code == 143 and err.strip().splitlines()[-1] == (
            f"reportgen: stopped by SIGTERM after the comparison was written (it is complete): {compare}.")), err
    for attempt, period in enumerate(("2026-11", "2026-12", "2027-01", "2027-02")):
        folder = root / "outputs" / period / "returns"
        code, err = _stopped_after_its_last_line(["returns", "--workspace", str(root), "--period", period],
                                                 str(folder))
        assert "nothing was done" not in err and "no workbook was written" not in err, (attempt, err)
        assert code == 0 or (code == 143 and "after the return workbooks were written" in err), (attempt, err)
        assert sorted(p.name for p in folder.iterdir()) == ["criminal-justice-board.xlsx", "opcc.xlsx",
                                                              "wessex-police.xlsx"]
