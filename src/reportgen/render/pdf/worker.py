"""A PDF worker process's side: die with the build, warm WeasyPrint up, then lay out and write the
tasks `reportgen.render.pdf.parallel.PdfWorkers` sends, one at a time, through its pipe.

Apart from `reportgen.render.pdf.parallel` (which hands out the tasks and joins the parts in the build's own
process): nothing here runs in the build's process except `run_task` when there is one core.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.lifetime import signal_when_parent_dies
from reportgen.model import Paper
from reportgen.render.pdf.tasks import Message, Task

if TYPE_CHECKING:
    from reportgen.render.pdf.parts import Prepared

LOGGER = logging.getLogger(__name__)


def run_task(paper: Paper, templates: Path, task: Task,
             prepared: dict[int, Prepared] | None = None) -> Iterator[Message]:
    """`reportgen.render.pdf.parts.run_task`, imported where the task runs (it imports WeasyPrint)."""
    from reportgen.render.pdf.parts import run_task as run

    return run(paper, templates, task, prepared)


def _die_with(parent: int) -> None:
    """End this worker when the process that started it ends, however it ends (SIGKILL included).

    A killed build runs no cleanup, and a worker busy with a task never looks at its pipe, so it
    would live on holding the caller's stdout. On Linux the kernel sends SIGKILL when the parent
    goes (PR_SET_PDEATHSIG: strictly, when the thread that forked it ends; `start_workers` runs in the
    caller's thread, which keeps them until it closes them, and `write_in_parts` closes its workers
    before its thread returns); a worker forked by the first worker dies with that one. Elsewhere a
    thread looks for a new parent every half second.
    """
    watched = signal_when_parent_dies(signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the kernel was told
        os._exit(1)
    if not watched:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()



def _default_signals() -> None:
    """Stopped (SIGTERM) or interrupted (SIGINT), a worker ends at once and quietly, as a plain process does.

    Forked, it inherits its parent's handlers: under Prefect's engine, SIGTERM raises an exception, so a
    worker the build terminated (the build stopped before it made a paper) printed a traceback into the
    flow's log. The build reports what happened; its workers need say nothing.
    """
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_DFL)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _close_parent_ends(ends: Iterable[Connection]) -> None:
    """In a forked worker, close its copies of the other ends of the pipes: then a worker sees its pipe
    end (EOFError) when the parent goes, even if killed, and the parent sees a worker that died."""
    for end in ends:
        end.close()


def serve(templates: Path, connection: Connection, parent_ends: Iterable[Connection], paper: Paper,
          parent: int | None = None) -> None:
    """A PDF worker with the paper: do tasks until told to stop (None).

    `parent`: the process to die with (`_die_with`); None when the caller has seen to it."""
    _default_signals()
    if parent is not None:
        _die_with(parent)
    _close_parent_ends(parent_ends)
    prepared: dict[int, Prepared] = {}
    try:
        gc.freeze()  # the inherited heap and the paper are never garbage: keep the collector off them
        while (task := connection.recv()) is not None:
            for message in run_task(paper, templates, task, prepared):
                connection.send(message)
    except EOFError:  # the parent has gone
        pass
    except BaseException as error:  # the parent raises it
        with contextlib.suppress(OSError):
            connection.send(error)
    finally:
        connection.close()


def warm_and_serve(templates: Path, connections: list[Connection], parent_ends: Iterable[Connection],
                  parent: int) -> None:
    """The first early worker: warm up, take the paper, then fork the others from itself and work as the first.

    The others inherit WeasyPrint, its set-up and the paper, so each is paid once and their memory is
    shared until written to. Importing WeasyPrint in each worker cost ~1 s of CPU more per build, which
    two cores feel; a copy of a 15,000-action paper in each is ~90 MiB more per worker.
    """
    _default_signals()
    _die_with(parent)
    _close_parent_ends(parent_ends)
    started = time.perf_counter()
    _warm_up(templates)
    LOGGER.debug("PDF workers warmed up in %.2f s", time.perf_counter() - started)
    first, others = connections[0], connections[1:]
    try:
        paper = first.recv()
    except EOFError:  # the build stopped before it made a paper
        paper = None
    except BaseException as error:  # the parent raises it
        with contextlib.suppress(OSError):
            first.send(error)
        paper = None
    if paper is None:
        for connection in connections:
            connection.close()
        return
    gc.freeze()  # before forking: the collector then never touches (and copies) the shared heap
    siblings = []
    me = os.getpid()
    for connection in others:
        pid = os.fork()
        if pid == 0:  # the sibling: serves its own connection only, and never returns into this one's code
            code = 0
            try:
                for other in connections:
                    if other is not connection:
                        other.close()
                serve(templates, connection, (), paper, parent=me)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        siblings.append(pid)
        connection.close()
    try:
        serve(templates, first, (), paper)
    finally:
        for pid in siblings:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _warm_up(templates: Path) -> None:
    """Import WeasyPrint and lay out a small page; a failure here shows again, and is raised, with the paper."""
    try:
        with _missing_libraries_known():
            from reportgen.render.pdf.parts import warm_up
        warm_up(templates)
    except Exception:  # the real render reports what is wrong
        LOGGER.debug("PDF worker warm-up failed", exc_info=True)


@contextlib.contextmanager
def _missing_libraries_known() -> Iterator[None]:
    """While WeasyPrint is imported, `ctypes.util.find_library` answers None at once for a library the
    dynamic linker's cache (`ldconfig -p`) does not hold.

    WeasyPrint tries several names per library (`libgobject-2.0-0`, `gobject-2.0-0`, `gobject-2.0`…)
    and each miss makes ctypes run `ldconfig`, then `gcc` and `ld` (~50 ms): ~12 misses, ~0.3-0.6 s of
    a worker's start. A name the cache holds goes to ctypes as before. Not used where libraries may
    come from elsewhere (LD_LIBRARY_PATH set, or no ldconfig).
    """
    import re
    import subprocess

    original = ctypes.util.find_library
    try:
        listed = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        listed = None
    if listed is None or os.environ.get("LD_LIBRARY_PATH") or sys.platform != "linux":
        yield
        return
    cached = set(re.findall(r"^\s+(lib\S+?)\.so", listed.stdout, re.MULTILINE))

    def find_library(name: str) -> str | None:
        return original(name) if f"lib{name}" in cached else None

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
