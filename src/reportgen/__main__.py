"""`reportgen` (the console script) and `python -m reportgen`: stops are handled before anything is imported.

The command line's modules take a few tenths of a second to import; a Ctrl-C (or SIGTERM) meanwhile printed
a traceback through the import machinery. Here the stop signals are handled first (`reportgen.stops`,
standard library only), so a stop at any moment is one line and exit 128 + the signal's number.

The handlers are installed as this module is imported, the first of reportgen's code to run, and inside a
`try`: a Ctrl-C while `reportgen.stops` itself loads is Python's own KeyboardInterrupt, caught here and said by
`main` as any stop before a command starts. From then until `main`'s own `try` stops are held (a stop raised
between the import and the call would be outside both). What runs before this module (Python starting, its
`site` folder's files) is Python's, not reportgen's.
"""

from __future__ import annotations

import sys

try:
    from reportgen.stops import hold_stops, release_stops, stop_no_more, stop_on_signals

    hold_stops()
    stop_on_signals()
    _STOPPED_STARTING = False
except KeyboardInterrupt:  # Ctrl-C before the handlers were in place: said as soon as `main` runs
    _STOPPED_STARTING = True

# Python's own KeyboardInterrupt is Ctrl-C's (SIGINT, 2): a stop before `reportgen.stops` could say so
SIGINT_EXIT = 128 + 2


def main() -> int:
    try:
        if _STOPPED_STARTING:
            raise KeyboardInterrupt
        release_stops()  # a stop held since this module was imported is raised here
        from reportgen.shells.cli import main as run
    except KeyboardInterrupt as exc:
        return ended(said(exc, "; nothing was done"))
    try:
        code = run()
        sys.stdout.flush()  # its last line out while a stop can still be said
    except KeyboardInterrupt as exc:  # outside a command's own edge: reading its options, or done and exiting
        code = said(exc)
    return ended(code)


def ended(code: int) -> int:
    """`code`, the stop signals ignored from now on (`stop_no_more`): the command is done and has said so, and
    what is left is Python's own tidying up. A stop the instant it ended is ignored as well."""
    if _STOPPED_STARTING:  # `reportgen.stops` may not be there to ask, nor any handler of its installed
        return code
    while True:
        try:
            stop_no_more()
        except KeyboardInterrupt:
            continue
        return code


def said(stop: KeyboardInterrupt, undone: str = "") -> int:
    """One line for a stop outside a command's edge (`cli.guarded`), and its exit code: a `Stopped` names its
    signal; Python's own KeyboardInterrupt (before the handlers were installed) is Ctrl-C's."""
    how = getattr(stop, "how", "interrupted")
    print(f"reportgen: {how}{undone}.", file=sys.stderr)
    return int(getattr(stop, "exit_code", SIGINT_EXIT))


if __name__ == "__main__":
    sys.exit(main())
