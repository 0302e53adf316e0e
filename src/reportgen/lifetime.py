"""A child process that ends with the process that started it, however that one ends (Linux)."""

from __future__ import annotations

import ctypes
import sys

_PR_SET_PDEATHSIG = 1


def signal_when_parent_dies(number: int) -> bool:
    """Ask the kernel to send this process signal `number` when its parent ends, SIGKILL included
    (PR_SET_PDEATHSIG: strictly, when the thread that started it ends). False where it cannot (not
    Linux): the caller then watches for itself.

    Safe between fork and exec (a `preexec_fn`): it uses the C library already loaded, and runs nothing.
    """
    if sys.platform != "linux":
        return False
    try:
        return bool(ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, number, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False
