"""Characters no installed font can draw: the PDF would show each as an empty box.

WeasyPrint finds fonts through fontconfig and falls back, character by character, to any installed
font that has one; a character none has is drawn as the font's empty box (.notdef), with only a log
line. So the characters of a text are looked up in the union of every installed font's character set
(`fc-list --format %{charset}`, once a process, ~10 ms), and what is missing becomes an issue where
the text was read (file, sheet, row, column), before anything is built. Word and browsers have fonts
of their own: the DOCX and the web edition show these characters where their readers have a font.

Latin, its punctuation and currency signs are taken as drawn without asking (every font the PDF is
made with has them), and marks, format and control characters are never looked up (they are drawn
with the letter they belong to, or not at all); private-use characters are. Without fontconfig's
fc-list nothing is reported: `fonts-unchecked` already says the fonts could not be checked.
"""

from __future__ import annotations

import bisect
import logging
import re
import shutil
import subprocess
import unicodedata
from functools import lru_cache

log = logging.getLogger(__name__)

# any character but Latin, general punctuation and currency signs (and controls below the space)
_UNUSUAL = re.compile("[^\x00-\u024f\u2000-\u206f\u20a0-\u20cf]")
# marks, control, format, surrogate and unassigned, separators (Unicode categories); a private-use
# character (Co: a Symbol or Wingdings glyph pasted from Word) is looked up: most fonts lack it
_NEVER_LOOKED_UP = ("M", "Cc", "Cf", "Cs", "Cn", "Z")


def missing_glyphs(text: str) -> str:
    """The distinct characters of `text` that no installed font has, in order of first use ('' for none).

    Called for every cell read: a text of Latin only (nearly all) is answered by one regex search."""
    if _UNUSUAL.search(text) is None:
        return ""
    unusual = [c for c in dict.fromkeys(_UNUSUAL.findall(text))
               if not unicodedata.category(c).startswith(_NEVER_LOOKED_UP)]
    if not unusual:
        return ""
    coverage = _installed_coverage()
    if coverage is None:
        return ""
    starts, ends = coverage
    return "".join(c for c in unusual if not _covered(ord(c), starts, ends))


def code_points(characters: str) -> str:
    """'犯罪' -> 'U+72AF, U+7F6A'."""
    return ", ".join(f"U+{ord(c):04X}" for c in characters)


def _covered(point: int, starts: list[int], ends: list[int]) -> bool:
    at = bisect.bisect_right(starts, point) - 1
    return at >= 0 and point <= ends[at]


@lru_cache(maxsize=1)
def _installed_coverage() -> tuple[list[int], list[int]] | None:
    """Every installed font's characters as sorted, merged ranges (starts, ends); None without fc-list."""
    program = shutil.which("fc-list")
    if program is None:
        return None
    try:
        listed = subprocess.run([program, "--format", "%{charset}\n"], capture_output=True, text=True,
                                timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("fc-list failed: %s", error)
        return None
    ranges: list[tuple[int, int]] = []
    for part in listed.split():
        first, _, last = part.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(ranges):
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends
