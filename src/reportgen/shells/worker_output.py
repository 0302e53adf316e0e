"""A flow run that outlives the worker which started it.

A process worker reads its run's printed output through pipes. Killed (`kill -9`, or a second SIGTERM, which
Prefect's CLI turns into SIGKILL), it leaves the run's process going, each run leading a session of its own; the
run's next console line then met a closed pipe, on which Rich ends the process (`SystemExit`). The run ended
Crashed, "Execution was aborted by Python system exit call.", with a traceback of the broken pipe in its log: in
the middle of its build, or after it had published its draft and its comparison, at the first line of its verdict,
whose lines, issues and artifacts it then never sent. The run reports to the server, not through its worker, so it
goes on: its printed output, which no one can read any more, goes nowhere, and its log, state and artifacts reach the
server as they would have. Its log says that the worker went.

This module must not stop or change the run otherwise, nor touch a handler other than Prefect's console ones.
"""

import contextlib
import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

WORKER_GONE = ("the worker that started this run stopped in the middle of it (its output was closed); the run goes "
               "on without it, and its log, final state and artifacts are here as ever")


def outlives_its_worker(body: Callable[..., T]) -> Callable[..., T]:
    """A flow's `body`, run so that a closed output (its worker gone) neither stops nor crashes it. Wrapped with its
    signature, from which Prefect builds the flow's parameters."""
    @functools.wraps(body)
    def run(*args: Any, **kwargs: Any) -> T:
        quiet_when_output_closes()
        return body(*args, **kwargs)

    return run


def quiet_when_output_closes() -> None:
    """Make each of Prefect's console handlers fall silent, rather than end the process, when its output is closed.

    Set at the start of each run, not on import: Prefect configures its logging, handlers and all, when the
    process starts its run."""
    import logging

    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger(), *(found for found in logging.Logger.manager.loggerDict.values()
                                      if isinstance(found, logging.Logger))]
    for handler in {id(h): h for found in loggers for h in found.handlers}.values():
        if isinstance(handler, PrefectConsoleHandler):
            console = handler.console
            console.on_broken_pipe = functools.partial(_fall_silent, console)  # type: ignore[method-assign]


def _fall_silent(console: Any) -> None:
    """Rich's own answer to a closed pipe but for its `SystemExit`: this console prints nothing more, and the
    process's output and error go to the null device (another handler writing there then writes to nothing)."""
    console.quiet = True
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        for stream in (1, 2):
            os.dup2(null, stream)
    finally:
        os.close(null)
    _say_worker_gone()


def _say_worker_gone() -> None:
    """A warning in the run's log, once: the UI then shows why the worker's own log ends in the middle of the run."""
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    with contextlib.suppress(MissingContextError):  # a line printed outside any run: nothing to tell
        get_run_logger().warning("reportgen: %s", WORKER_GONE)
