"""The installed font the PDF uses for each font the Word template names (fontconfig's `fc-match`).

WeasyPrint finds fonts through fontconfig, so asking fontconfig which family it would use for a name
gives exactly the font the PDF gets, including its metric-compatible aliases (Arial -> Liberation
Sans, Calibri -> Carlito). The build names that family in the stylesheet and reports the swap once.

Must not: install anything, or read anything but fontconfig's answer.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import shutil
import subprocess

from reportgen.issues import Issue, issue
from reportgen.look import Theme

log = logging.getLogger(__name__)

# Word fonts and the free fonts drawn to the same widths (Debian: fonts-liberation2, fonts-crosextra-*):
# the PDF's lines and pages break where Word's do, so the swap is only a note
METRIC_COMPATIBLE = {
    "arial": "liberation sans", "helvetica": "liberation sans", "times new roman": "liberation serif",
    "times": "liberation serif", "courier new": "liberation mono", "courier": "liberation mono",
    "calibri": "carlito", "cambria": "caladea",
}


@functools.lru_cache(maxsize=64)
def installed_family(name: str) -> str | None:
    """The family fontconfig gives for `name` (`name` itself when installed); None without fc-match."""
    program = shutil.which("fc-match")
    if program is None:
        return None
    try:
        # "--": a name starting with "-" is not an option; escaped: "-", ":" and "," mean size, properties
        # and alternatives in a fontconfig pattern
        pattern = re.sub(r"([\\:,-])", r"\\\1", name)
        done = subprocess.run([program, "--format=%{family}", "--", pattern], capture_output=True, text=True,
                              timeout=20, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("fc-match failed for %r: %s", name, error)
        return None
    families = [family.strip() for family in done.stdout.split(",") if family.strip()]
    if done.returncode != 0 or not families:
        return None
    wanted = name.casefold()
    return next((family for family in families if family.casefold() == wanted), families[0])


def resolve_fonts(theme: Theme, shown: str) -> tuple[Theme, list[Issue]]:
    """`theme` with the PDF's font for each font it names, and one issue per font not installed.

    `shown` names the template in the issues. Without fontconfig the names are kept as written (the
    PDF then falls back as WeasyPrint does) and one warning says the fonts could not be checked.
    """
    if not theme.fonts:
        return theme, []
    if shutil.which("fc-match") is None:
        return theme, [issue("fonts-unchecked", file=shown, value=", ".join(theme.fonts))]
    mapping: list[tuple[str, str]] = []
    issues: list[Issue] = []
    for name in theme.fonts:
        family = installed_family(name) or name
        mapping.append((name, family))
        if family.casefold() != name.casefold():
            issues.append(_substituted(name, family, shown))
    return dataclasses.replace(theme, pdf_fonts=tuple(mapping)), issues


def _substituted(name: str, family: str, shown: str) -> Issue:
    if METRIC_COMPATIBLE.get(name.casefold()) == family.casefold():
        return issue("font-substituted", family=family, file=shown, value=name)
    return issue("font-missing", family=family, file=shown, value=name)
