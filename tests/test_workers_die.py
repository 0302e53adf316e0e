"""Killing a build (issue 14): no PDF worker process outlives it, whatever the signal.

Before the fix, 9 of 20 killed builds left workers running (15 minutes later, still holding the
caller's stdout); this test failed then.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REGISTER_HEADINGS, RETURN_HEADINGS, make_workspace
from reportgen.render.pdf.parallel import usable_cores

log = logging.getLogger(__name__)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _descendants(pid: int) -> list[int]:
    """Its children, theirs, and so on: a build's first PDF worker forks the others (issue 19)."""
    found, todo = [], [pid]
    while todo:
        children = _children(todo.pop())
        found += children
        todo += children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status waits to be read


@pytest.mark.skipif(sys.platform != "linux" or usable_cores() < 2, reason="PDF workers run on Linux with 2+ cores")
@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGKILL])
def test_no_worker_outlives_a_killed_build(tmp_path: Path, signal_number: int) -> None:
    actions = [(ref, f"Section {ref // 40}", "OPCC", f"Action {ref}: " + "words " * 30, str(ref))
               for ref in range(1, 401)]
    returns = {"opcc.xlsx": [RETURN_HEADINGS, *((ref, "", "In progress", "Update " + "text " * 40, "2027")
                                                 for ref in range(1, 401))]}
    root = make_workspace(tmp_path / "ws", register=[REGISTER_HEADINGS, *actions], returns=returns)
    build = subprocess.Popen([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        rendering = False  # the build's draft folder exists: the paper is being laid out
        while time.monotonic() < deadline and not (len(workers) >= 2 and rendering) and build.poll() is None:
            time.sleep(0.1)
            workers = _descendants(build.pid)
            rendering = any(root.rglob(".draft-tmp-*"))
        assert len(workers) >= 2, "the build never started its PDF workers"
        assert rendering, "the build never started to render"
        time.sleep(0.5)  # mid-way: the workers have tasks in hand
        workers = _descendants(build.pid)
        os.kill(build.pid, signal_number)
        build.wait(timeout=30)
        start = time.monotonic()
        while any(_alive(pid) for pid in workers) and time.monotonic() - start < 10:
            time.sleep(0.1)
        log.warning("workers %s gone %.2f s after %s", workers, time.monotonic() - start,
                    signal.Signals(signal_number).name)
        assert not [pid for pid in workers if _alive(pid)]
        build.communicate(timeout=10)  # nothing holds its stdout any more
    finally:  # leave nothing behind when the test fails
        if build.poll() is None:
            build.kill()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
