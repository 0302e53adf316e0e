"""Write a long paper's PDF as parts (`reportgen.render.pdf.parts`), in worker processes, then join them.

    front ∥ furniture kinds ∥ piece 0 ─▶ piece 1 ─▶ … ─▶ last piece ─▶ page numbers (in pieces) ─▶ join

The plan pieces are a chain: a piece starts with the first row of the previous piece's last page,
known once that piece is laid out. Laying out is ~65% of a part's time and writing ~35%, so while
one worker writes a piece the next is laid out by another; and before that, the worker that will lay
out piece k+1 prepares it (renders, parses and styles its rows from a few rows before the earliest
place it can start) while piece k is laid out, so the chain waits only for the layout itself. The
front and the furniture pieces fill the gaps. On two cores the 1,500-action benchmark paper takes
~40% less time than as one document, and the pieces bound the memory a long paper takes (see
docs/benchmarks.md).

Processes are forked (Linux). `reportgen build` starts them first (`start_workers`), before it reads
its inputs: one worker imports WeasyPrint and lays out a small page (a fresh process's first render
pays font set-up) beside the reading, and the build's own process never imports it. The paper is sent
to that worker when it is made (`PdfWorkers.write`); it then forks the others from itself, so WeasyPrint
and the paper are loaded once and shared. A short paper is laid out as one document in one worker. Workers
started for a paper that exists already (`write_in_parts`) are forked with it. With one usable core,
or where fork is unavailable, the tasks run here, in order. A worker's failure stops the others and
is raised here.

Which part lays out which page depends only on the paper (each piece's range comes from the one
before; the page numbers are split by page count), never on timing or the number of workers: the same
paper gives the same bytes.

Logging: one info line per paper (workers, parts, pages laid out and kept, seconds).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import math
import multiprocessing
import os
import pickle
import signal
import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.errors import ReportgenError
from reportgen.model import Paper
from reportgen.render.pdf import worker as pdf_worker
from reportgen.render.pdf.tasks import (
    FrontTask,
    FurnitureTask,
    Kinds,
    KindsTask,
    Laid,
    Message,
    PieceTask,
    PrepareTask,
    Ready,
    Task,
    WholeTask,
    Written,
    kind_page,
    plan_items,
)

if TYPE_CHECKING:
    from reportgen.render.pdf.join import Furniture, Joiner

LOGGER = logging.getLogger(__name__)

# Shorter plans are one document. Measured with fresh builds on a quiet 2-core machine (docs/benchmarks.md):
# parts take less wall time from ~50 plan rows (50: 0.88x, 90: 0.92x, 150: 0.84x) and ~15% more CPU
# below it for no gain (20: 0.94x wall, +16% CPU; 35: 0.99x, +14%).
MIN_PARTS_ITEMS = 50
PIECE_ITEMS = 60  # plan rows a piece aims at: ~15 pages, ~25 MiB while laid out
LOOKBACK_ITEMS = 12  # a prepared piece starts this many rows (or twice the most a page has held) early
MAX_WORKERS = 3  # the chain of pieces keeps ~2 busy; a third takes the front and furniture
FURNITURE_PAGES = 60  # page headers and footers per furniture document, at most
PART_MARKER = "<!-- reportgen:part "


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def write_in_parts(paper: Paper, templates: Path) -> bytes | None:
    """The paper's PDF, laid out in parts; None when the plan is short or the template has no parts."""
    if not in_parts(paper, templates):
        return None
    workers = min(usable_cores(), MAX_WORKERS)
    if not can_fork():
        workers = 1
    schedule = _schedule(paper, workers)
    started = time.perf_counter()
    if workers == 1:
        _run_here(paper, templates, schedule)
    else:
        with PdfWorkers(templates, workers, paper=paper) as pool:  # forked with the paper
            pool.drive(schedule)
    return _finish(schedule, workers, started)


def in_parts(paper: Paper, templates: Path) -> bool:
    """Whether the paper is laid out in parts: a long plan, and a template that has parts."""
    from reportgen.render.pdf.html import render_html  # Jinja: not needed to start the workers

    return len(plan_items(paper)) >= MIN_PARTS_ITEMS and PART_MARKER in render_html(paper, templates, part="front")


def can_fork() -> bool:
    """Whether worker processes can be forked here (a daemon process may not start processes)."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def _schedule(paper: Paper, workers: int) -> _Schedule:
    items = len(plan_items(paper))
    return _Schedule(items, max(PIECE_ITEMS, math.ceil(items / 50)), prepare_ahead=workers > 1,
                     sentences=paper.spoken_sentences,
                     passages=paper.other_language_passages,
                     group_levels=paper.group_levels,
                     columns=len(paper.columns))


def _finish(schedule: _Schedule, workers: int, started: float) -> bytes:
    laid_out = time.perf_counter()
    schedule.join_ready()
    data = schedule.joiner.finish(schedule.furniture())
    LOGGER.info(
        "PDF in parts: %d workers, %d pieces (%d prepared ahead), %d pages laid out for %d; parts %.2f s, join %.2f s",
        workers, len(schedule.laid), sum(laid.prepared for laid in schedule.laid.values()), schedule.pages_laid_out,
        schedule.pages, laid_out - started, time.perf_counter() - laid_out)
    return data


def start_workers(templates: Path) -> PdfWorkers | None:
    """PDF workers started now, before the paper exists; None where they cannot help (one core, no fork).

    Each imports WeasyPrint and lays out a small page with the templates' stylesheet (~1 s in a fresh
    process, see `reportgen.render.pdf.parts.warm_up`) while this process reads and checks the inputs; then
    `PdfWorkers.write` sends them the paper. This process never imports WeasyPrint.
    """
    workers = min(usable_cores(), MAX_WORKERS)
    if workers < 2 or not can_fork():
        return None
    return PdfWorkers(Path(templates).resolve(), workers)


@dataclass
class _Schedule:
    """The tasks to do, in the order they can be done, and what the done ones gave."""

    items: int
    piece_items: int
    todo: deque[Task] = field(default_factory=deque)
    laid: dict[int, Laid] = field(default_factory=dict)
    written: dict[tuple[str, int], Written] = field(default_factory=dict)
    furniture_tasks: int = 0  # the page-number tasks, once asked for (`furniture_asked`)
    kinds: Kinds | None = None  # the furniture of each kind of page, when written
    page_kinds: tuple[str, ...] = ()  # "front" or "plan", page by page, once the page count is known
    _joiner: Joiner | None = None
    joined: int = 0  # parts in the joiner: the front, then pieces 0, 1, … (joined as they come, in order)
    prepare_ahead: bool = False  # workers: prepare piece k+1 while piece k is laid out
    pieces: dict[int, PieceTask] = field(default_factory=dict)  # the pieces queued so far
    most_rows: int = 0  # the most plan rows a page has held so far
    sentences: tuple[tuple[str, str], ...] = ()  # the paper's to be read in words (`Paper.spoken_sentences`)
    passages: tuple[tuple[str, str], ...] = ()  # in another language (`Paper.other_language_passages`)
    group_levels: tuple[int, ...] = ()  # the plan's group headings' levels, in order (`RowGroups`)
    columns: int = 0  # the plan's columns

    def __post_init__(self) -> None:
        self._queue_piece(PieceTask(0, 0, min(self.piece_items, self.items)))
        self.todo.append(FrontTask())
        self.todo.append(KindsTask())  # needs no page count: fills a gap early

    def _queue_piece(self, task: PieceTask) -> None:
        """A piece goes first in the queue (the chain waits for it); then the preparing of the next."""
        self.pieces[task.piece] = task
        self.todo = deque(t for t in self.todo if not (isinstance(t, PrepareTask) and t.piece == task.piece))
        self.todo.appendleft(task)
        if self.prepare_ahead and task.end < self.items:
            lookback = max(LOOKBACK_ITEMS, 2 * self.most_rows)
            self.todo.append(PrepareTask(task.piece + 1, max(task.start + 1, task.end - lookback),
                                         self._end_after(task.end)))

    def _end_after(self, end: int) -> int:
        return min(self.items, end + self.piece_items)

    def receive(self, message: Message) -> None:
        if isinstance(message, Laid):
            self.laid[message.piece] = message
            bounds = [*message.starts, message.next_start if message.next_start is not None else self.items]
            self.most_rows = max([self.most_rows, *(b - a for a, b in itertools.pairwise(bounds))])
            if message.next_start is not None:  # the chain goes on
                start, end = message.next_start, self._end_after(self.pieces[message.piece].end)
                if end - start < self.piece_items // 2:  # the piece before ran long (rows taller than a page)
                    end = min(self.items, start + self.piece_items)
                self._queue_piece(PieceTask(message.piece + 1, start, end))
        elif isinstance(message, Written):
            self.written[message.kind, message.index] = message
        elif isinstance(message, Kinds):
            self.kinds = message
        if self._pages_known() and not self.furniture_asked:
            self._add_furniture()

    def _pages_known(self) -> bool:
        last = max(self.laid, default=-1)
        return (last >= 0 and self.laid[last].next_start is None and ("front", 0) in self.written
                and self.kinds is not None)

    @property
    def furniture_asked(self) -> bool:
        return bool(self.page_kinds)  # a paper has at least its first page

    def _add_furniture(self) -> None:
        """The page numbers, in two or more documents, once the page count and the numbering boxes are
        known (none when the stylesheet numbers no page)."""
        assert self.kinds is not None, "_pages_known waits for the furniture's kinds"
        numbered = self.kinds.numbered
        kinds = ("front",) * self.written["front", 0].pages + ("plan",) * sum(len(p.starts) for p in self.laid.values())
        self.page_kinds = kinds
        if not numbered:
            return
        count = max(2, math.ceil(len(kinds) / FURNITURE_PAGES))  # not by workers: the same bytes anywhere
        size = math.ceil(len(kinds) / count)
        for index, first in enumerate(range(0, len(kinds), size)):
            self.todo.append(FurnitureTask(index, first + 1, kinds[first:first + size], len(kinds), numbered))
            self.furniture_tasks += 1

    @property
    def joiner(self) -> Joiner:
        """Made once the workers have their first tasks (`PdfWorkers.drive`): importing pikepdf (~0.1 s)
        need not wait for them nor delay them."""
        if self._joiner is None:
            from reportgen.render.pdf.join import Joiner
            from reportgen.render.pdf.table_tags import RowGroups

            self._joiner = Joiner(self.sentences, RowGroups(self.group_levels, self.columns), self.passages)
        return self._joiner

    @property
    def done(self) -> bool:
        """Every part written: the front, each piece laid out, the furniture of each kind of page, and the
        page numbers (asked for once the last piece is laid out). Workers finish in any order: the last
        piece may come after the page numbers."""
        if not self.furniture_asked or self.todo:
            return False
        written = Counter(kind for kind, _ in self.written)
        return (written["furniture"], written["piece"], written["front"]) == (self.furniture_tasks, len(self.laid), 1)

    @property
    def pages(self) -> int:
        return len(self.page_kinds)

    @property
    def pages_laid_out(self) -> int:
        return self.written["front", 0].pages + sum(laid.laid_out for laid in self.laid.values())

    def join_ready(self) -> None:
        """Join the parts written so far that come next in the paper (the parent's work while it waits)."""
        from reportgen.render.pdf.join import PartPages

        while True:
            key = ("front", 0) if self.joined == 0 else ("piece", self.joined - 1)
            part = self.written.get(key)
            if part is None:
                return
            self.joiner.add(PartPages(part.pdf, part.bookmarks, part.labelled))
            self.written[key] = dataclasses.replace(part, pdf=b"")  # joined: its bytes are not needed again
            self.joined += 1

    def furniture(self) -> Furniture:
        from reportgen.render.pdf.join import Furniture

        assert self.kinds is not None, "done says when the furniture is all there"
        kinds = tuple(kind_page(number, kind) for number, kind in enumerate(self.page_kinds, start=1))
        return Furniture(self.kinds.pdf, kinds,
                         tuple(self.written["furniture", index].pdf for index in range(self.furniture_tasks)))


# ---------------------------------------------------------------- where the tasks run


def _done_with(message: Message) -> bool:
    """Whether `message` is the last a task sends (a piece sends Laid, then Written)."""
    return isinstance(message, (Written, Ready, Kinds))


def _run_here(paper: Paper, templates: Path, schedule: _Schedule) -> None:
    while schedule.todo:
        for message in pdf_worker.run_task(paper, templates, schedule.todo.popleft()):
            schedule.receive(message)
        schedule.join_ready()


class PdfWorkers:
    """Forked PDF worker processes, each taking tasks through its own pipe; a context manager.

    Started before the paper exists (`start_workers`), the first gets it with `write` and forks the
    others with it; started with the paper (`write_in_parts`), they are forked with it. A worker's
    failure stops the others and is raised here.
    """

    def __init__(self, templates: Path, count: int, paper: Paper | None = None) -> None:
        """Without `paper`, early workers: the first warms up, takes the paper (`write`), then forks the
        others (`pdf_worker.warm_and_serve`); with it, each is forked with the paper."""
        self.templates = templates
        self.processes: dict[Connection, Any] = {}  # the Process, or None for a sibling forked by the first
        self.sent: dict[Connection, int] = {}  # tasks each worker has in hand
        self.used = paper is not None  # a pool forked with a paper makes that paper only
        self.closed = False  # by its owner: the build stopping (a cancelled run) while `write` runs in a task
        context = multiprocessing.get_context("fork")
        try:
            pipes = [context.Pipe() for _ in range(count)]
            if paper is None:
                parent_ends = [ours for ours, _ in pipes]
                first = context.Process(target=pdf_worker.warm_and_serve,
                                        args=(templates, [theirs for _, theirs in pipes], parent_ends, os.getpid()),
                                        daemon=True)
                started = [first]
            else:
                ends = [end for pipe in pipes for end in pipe]
                started = [context.Process(target=pdf_worker.serve, daemon=True,
                                           args=(templates, theirs, [end for end in ends if end is not theirs], paper,
                                                 os.getpid()))
                           for _, theirs in pipes]
            for process in started:
                process.start()
            for index, (ours, theirs) in enumerate(pipes):
                theirs.close()
                self.processes[ours] = started[index] if index < len(started) else None
                self.sent[ours] = 0
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> PdfWorkers:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _send_paper(self, paper: Paper) -> None:
        """To the first worker, which forks the others with it (`pdf_worker.warm_and_serve`)."""
        if self.used:
            raise ReportgenError("the PDF workers have made a paper already")
        self.used = True
        # pickled here, once (~0.1 s at 1,500 actions); `recv` reads what `send_bytes` sends
        self._first().send_bytes(pickle.dumps(paper, protocol=pickle.HIGHEST_PROTOCOL))

    def _first(self) -> Connection:
        """The first worker's pipe; closed by the owner before the paper went, there is none: said as the
        pipe's own failure would be (`write` tells it as the build stopping)."""
        connection = next(iter(self.processes), None)
        if connection is None:
            raise OSError("the PDF workers are closed")
        return connection

    def write(self, paper: Paper) -> bytes:
        """The paper's PDF: in parts when it is long, else as one document in one worker. Closed by their
        owner meanwhile (a build stopping: its run cancelled), the workers' pipes fail as a machine's I/O
        error would ("handle is closed"): said as the stop it is, so it is not retried. A worker's pipe that
        ends as the worker dies is reset or broken, not only at its end (data it had not read yet): said as
        that worker's end (`_why_ended`), not an I/O error to retry."""
        try:
            return self._write(paper)
        except (OSError, EOFError, ReportgenError) as error:
            if self.closed:
                raise ReportgenError("the PDF was not written: the build was stopped") from None
            if isinstance(error, ConnectionError):
                raise ReportgenError(f"the PDF was not written: {self._why_ended()}") from None
            raise

    def _write(self, paper: Paper) -> bytes:
        started = time.perf_counter()
        # decided before the paper is sent: sending waits for a worker still warming up to read it
        schedule = _schedule(paper, len(self.processes)) if in_parts(paper, self.templates) else None
        LOGGER.debug("the paper goes to the PDF workers")
        self._send_paper(paper)
        if schedule is not None:
            self.drive(schedule)
            return _finish(schedule, len(self.processes), started)
        connection = self._first()
        self.sent[connection] += 1
        connection.send(WholeTask())
        message = self._receive(connection)
        assert isinstance(message, Written)
        return message.pdf

    def drive(self, schedule: _Schedule) -> None:
        """Hand out the schedule's tasks until every part is written."""
        sent = self.sent
        holder: dict[int, Connection] = {}  # the worker a piece was prepared in

        def send(connection: Connection, task: Task) -> None:
            connection.send(task)
            sent[connection] += 1

        def dispatch() -> None:
            while schedule.todo:
                task = schedule.todo[0]
                if isinstance(task, PieceTask) and task.piece in holder:  # to the worker it was prepared in,
                    schedule.todo.popleft()  # which takes it when it is done with what it is doing
                    send(holder.pop(task.piece), task)
                    continue
                idle = next((connection for connection, count in sent.items() if not count), None)
                if idle is None:
                    return
                schedule.todo.popleft()
                if isinstance(task, PrepareTask):
                    holder[task.piece] = idle
                send(idle, task)

        dispatch()
        schedule.joiner  # noqa: B018  # imports pikepdf now, while every worker has a task
        while not schedule.done:
            dispatch()
            busy = [connection for connection, count in sent.items() if count]
            if not busy:
                raise ReportgenError("the PDF parts stopped with work left to do")
            for connection in _ready(busy):
                schedule.receive(self._receive(connection))
            dispatch()  # the next piece of the chain before anything else
            schedule.join_ready()

    def _receive(self, connection: Connection) -> Message:
        try:
            message = connection.recv()
        except EOFError:
            raise ReportgenError(f"the PDF was not written: {self._why_ended()}") from None
        if isinstance(message, BaseException):
            raise message
        if _done_with(message):
            self.sent[connection] -= 1
        return message

    def _why_ended(self) -> str:
        """Why a worker's pipe ended: a worker stopped by a signal says which (a cancelled deployment run stops
        the run's whole process group with SIGTERM, and the workers may see it first), else it ended unexpectedly."""
        deadline = time.monotonic() + 0.5  # one half-second in all for the workers' ends to be known
        for process in self.processes.values():
            if process is not None:
                process.join(timeout=max(0.0, deadline - time.monotonic()))
                if process.exitcode is not None and process.exitcode < 0:
                    name = signal_name(-process.exitcode)
                    if name in ("SIGTERM", "SIGINT", "SIGHUP"):
                        return f"its PDF worker processes were stopped ({name}): the run was cancelled or stopped"
                    return (f"a PDF worker process was killed ({name})"
                            + (": the machine may have run out of memory" if name == "SIGKILL" else ""))
        return "a PDF worker process ended unexpectedly"

    def stop(self) -> None:
        """End the workers now, whatever they are doing: the build was stopped (Ctrl-C, SIGTERM), and the PDF they
        are laying out will not be kept. Their owner's `close` then has nothing to wait for."""
        self.closed = True
        for process in self.processes.values():
            if process is not None and process.is_alive():
                process.terminate()
        self.close()

    def close(self) -> None:
        """Tell the workers to stop, and wait for them (a worker still busy after 5 s is terminated).

        Workers that never got a paper (the build stopped before it) are terminated at once: a build
        that fails on its inputs should not wait for WeasyPrint to finish loading.
        """
        self.closed = True
        for connection in self.processes:
            with contextlib.suppress(OSError):
                connection.send(None)
        for connection, process in self.processes.items():
            connection.close()  # a forked sibling sees its end close, and stops
            if process is not None:
                if not self.used:
                    process.terminate()
                process.join(timeout=5)
                if process.is_alive():
                    process.terminate()
                    process.join()
        self.processes = {}


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _ready(connections: Iterable[Connection]) -> list[Connection]:
    ready = wait(list(connections))
    return [connection for connection in ready if isinstance(connection, Connection)]
