"""`reportgen` (the console script) and `python -m reportgen`: stops are handled before anything is imported.

The command line's modules take a few tenths of a second to import; a Ctrl-C (or SIGTERM) meanwhile printed
a traceback through the import machinery. Here the stop signals are handled first (`reportgen.stops`,
standard library only), so a stop at any moment is one line and exit 128 + the signal's number.
"""

from __future__ import annotations

import sys

from reportgen.stops import Stopped, stop_on_signals, stopped


def main() -> int:
    stop_on_signals()
    try:
        from reportgen.shells.cli import main as run
    except KeyboardInterrupt as exc:
        return said(stopped(exc), "; nothing was done")
    try:
        return run()
    except KeyboardInterrupt as exc:  # outside a command's own edge: reading its options, or done and exiting
        return said(stopped(exc))


def said(stop: Stopped, undone: str = "") -> int:
    """One line for a stop outside a command's edge (`cli.guarded`), and its exit code."""
    print(f"reportgen: {stop.how}{undone}.", file=sys.stderr)
    return stop.exit_code


if __name__ == "__main__":
    sys.exit(main())
