"""Give memory a finished stage freed back to the system, so a long paper's build stays small.

glibc's allocator keeps what a program frees for its own reuse, arena by arena (one per thread that
allocated), and gives it back to the system only from the top of a heap. After writing the DOCX, the
web edition and the register beside the PDF, a 15,000-action build's own process held ~50 MiB it had
freed, and each PDF worker ~40 MiB after each piece, for the minutes the rest of the PDF took.
`malloc_trim` returns the free pages of every arena (~10 ms). Elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable


def give_back() -> None:
    """Return the allocator's free pages to the system, where the C library can (glibc)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if sys.platform != "linux":
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the symbols the process has loaded: glibc's, if it is glibc
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim
