"""Stopping a command: Ctrl-C (SIGINT), SIGTERM and SIGHUP all end it the way Ctrl-C does.

A scheduler stopping a job (SIGTERM), a closed terminal or a dropped SSH session (SIGHUP) would otherwise end
the process where it stands: no word said, a half-built draft's hidden temporary folder left behind, PDF
workers left to the kernel. Here each raises `Stopped`, a KeyboardInterrupt, where the program is, so every
`finally` and `except BaseException` that cleans up runs, and the command's edge says in one line what was
done, exiting 128 + the signal's number as a shell expects.

Imports the standard library only: `reportgen.__main__` installs it before anything heavy is imported. Only
the command line installs it; a library caller keeps Python's own Ctrl-C and its own handlers.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """The command was stopped by signal `number`; a KeyboardInterrupt, so code written for Ctrl-C cleans up."""

    def __init__(self, number: int = signal.SIGINT) -> None:
        super().__init__(number)
        self.number = number
        self.after = ""  # what the command had done when stopped, when that is worth saying ("draft-02 was kept")

    @property
    def exit_code(self) -> int:
        return 128 + self.number

    @property
    def how(self) -> str:
        """`interrupted` for Ctrl-C; else the signal named, which says who stopped it (`stopped by SIGTERM`)."""
        return "interrupted" if self.number == signal.SIGINT else f"stopped by {signal.Signals(self.number).name}"


def stopped(exc: KeyboardInterrupt) -> Stopped:
    """`exc` as a `Stopped`: Python's own KeyboardInterrupt (a Ctrl-C before `stop_on_signals`) is SIGINT's."""
    return exc if isinstance(exc, Stopped) else Stopped(signal.SIGINT)


class _Hold:
    """Whether a stop is held (`stops_held`), and the signal that came meanwhile: signals are the process's."""

    def __init__(self) -> None:
        self.depth = 0
        self.pending: int | None = None
        self.said_done = False  # the command has printed its last line (`last_line_said`)


_HOLD = _Hold()


def stop_on_signals() -> None:
    """Raise `Stopped` on each stop signal, except one ignored when the command started: under `nohup`
    SIGHUP is, and a shell without job control ignores SIGINT for what it runs in the background."""
    for number in STOP_SIGNALS:
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, _stop)


def stop_no_more() -> None:
    """Ignore the stop signals from here on, once the command has ended and said so (its last line printed, or
    the line of its stop). Python then tidies up for a few tenths of a second more (after a command that drew a
    PDF) with its handlers already taken off: a stop there ended the process by the signal itself, silently, as
    if the command had not finished. Not while a thread of the command's still runs, which Python waits for: a
    stop must still be able to end that wait."""
    if _threads_running():
        return
    for number in STOP_SIGNALS:
        if signal.getsignal(number) is _stop:
            signal.signal(number, signal.SIG_IGN)


def command_begun() -> None:
    """A command starts (`main` may run several in one process): nothing of it said yet."""
    _HOLD.said_done = False


def last_line_said() -> None:
    """The command has printed its last line (the draft's, the workbooks' or the comparison's folder, which
    scripts read): its work is whole and said. A stop from here on is ignored, as after `stop_no_more`; before,
    one landing as click closed the command's context was made click's Abort and said "nothing was done"."""
    _HOLD.said_done = True


def _threads_running() -> bool:
    """Whether a thread of the command's still runs, which Python waits for at exit: a stop must still be able to
    end that wait."""
    threading = sys.modules.get("threading")  # imported only if the command used threads
    return threading is not None and any(thread.is_alive() and not thread.daemon
                                         and thread is not threading.main_thread() for thread in threading.enumerate())


def _stop(number: int, _frame: FrameType | None) -> None:
    if _HOLD.said_done and not _threads_running():
        return
    if _HOLD.depth:
        _HOLD.pending = _HOLD.pending or number
        return
    raise Stopped(number)


@contextlib.contextmanager
def stops_held() -> Iterator[None]:
    """A stop that comes while in this block is raised as it ends: a step that must not be cut in two (a draft
    renamed into place, and its caller told so) is whole when the command says what it had done. Holds only
    the stops `stop_on_signals` installed; elsewhere Ctrl-C raises at once, as Python's always does."""
    hold_stops()
    try:
        yield
    finally:
        release_stops()


def hold_stops() -> None:
    """Hold stops until `release_stops`: `stops_held` for a span that is not one block (`reportgen.__main__`
    holds them from its import to the `try` of its `main`, where a stop can be said)."""
    _HOLD.depth += 1


def release_stops() -> None:
    """End a `hold_stops`; the last one raises the stop that came meanwhile, if one did."""
    _HOLD.depth = max(_HOLD.depth - 1, 0)  # `main` run again in one process releases nothing held
    if not _HOLD.depth and _HOLD.pending is not None:
        number, _HOLD.pending = _HOLD.pending, None
        raise Stopped(number)
