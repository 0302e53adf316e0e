"""Freed memory goes back to the system (`reportgen.memory`, issue 19): what lets a 15,000-action build's
process and PDF workers shrink after each stage, rather than keep their largest size to the end."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

CHILD = textwrap.dedent("""
    import re
    from pathlib import Path

    from reportgen.memory import give_back

    def resident_mib():
        return int(re.search(r"^VmRSS:\\s+(\\d+)", Path("/proc/self/status").read_text(), re.M)[1]) / 1024

    blocks = [bytes(2000) + bytes([i % 256]) for i in range(60_000)]  # ~120 MiB from malloc, not pymalloc
    pinned = bytes(2000) + b"!"  # allocated last: the heap's top stays in use, so free() returns nothing
    del blocks
    before = resident_mib()
    give_back()
    print(before, resident_mib())
""")


GLIBC = sys.platform == "linux" and "glibc" in (os.confstr("CS_GNU_LIBC_VERSION") or "")


@pytest.mark.skipif(not GLIBC, reason="memory is given back where the C library is glibc")
def test_freed_memory_is_given_back() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
    before, after = map(float, done.stdout.split())
    assert before - after > 60, (before, after)  # the freed blocks' pages, in the middle of the heap
