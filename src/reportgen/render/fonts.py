"""The installed font the PDF uses for each font the Word template names (fontconfig's `fc-match`).

WeasyPrint finds fonts through fontconfig, so asking fontconfig which family it would use for a name
gives exactly the font the PDF gets, including its metric-compatible aliases (Arial -> Liberation
Sans, Calibri -> Carlito). The build names that family in the stylesheet and reports the swap once.

It also reads the widths of the fonts the plan table is set in (`font_widths`), from the files fontconfig
names, for the plan's column widths. Must not: install anything, or read anything but fontconfig's answer
and those files.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import shutil
import subprocess

from fontTools.ttLib import TTFont, TTLibError

from reportgen.issues import Issue, issue
from reportgen.look import FontWidths, Theme


class _DateBefore1970(logging.Filter):
    """fontTools warns, reading a font whose 'created' date counts from 1970 rather than 1904 as fonts should
    (Carlito, the metric twin of Word's Calibri, is one), that it reads it so: once a font is read, fifteen times
    for the sample's paper in Calibri, which an officer reads as something gone wrong. Nothing in the paper depends
    on that date."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "timestamp seems very low" not in record.getMessage()


_FONT_DATES = _DateBefore1970()


def quiet_font_dates() -> None:
    """Leave fontTools' warning about a font's early 'created' date unsaid (see `_DateBefore1970`)."""
    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").addFilter(_FONT_DATES)


quiet_font_dates()

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
    resolved = dataclasses.replace(theme, pdf_fonts=tuple(mapping))
    text, header = (resolved.table_text.font, resolved.table_header.font or resolved.table_text.font)
    return dataclasses.replace(
        resolved, table_text_widths=font_widths(resolved.pdf_font(text)) if text else None,
        table_header_widths=font_widths(resolved.pdf_font(header)) if header else None), issues


@functools.lru_cache(maxsize=16)
def font_widths(family: str) -> FontWidths | None:
    """The advance widths of installed `family` (its regular and bold faces, as fontconfig gives them to the
    PDF), so that the plan's columns are made wide enough for words in a wider font than Arial (Verdana,
    DejaVu Sans); None when the font cannot be found or read (the widths are then Arial's)."""
    regular, bold = _face_widths(family, ""), _face_widths(family, "bold")
    if regular is None:
        return None
    return FontWidths(regular, bold or regular)


def _face_widths(family: str, style: str) -> tuple[float, ...] | None:
    program = shutil.which("fc-match")
    if program is None:
        return None
    pattern = re.sub(r"([\\:,-])", r"\\\1", family) + (f":{style}" if style else "")
    try:
        done = subprocess.run([program, "--format=%{file}", "--", pattern], capture_output=True, text=True,
                              timeout=20, check=False)
        if done.returncode != 0 or not done.stdout.strip():
            return None
        font = TTFont(done.stdout.strip(), lazy=True, fontNumber=0)
        cmap, advances, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        widths = tuple(advances[cmap[code]][0] / em if code in cmap else 0.6 for code in range(33, 127))
    except (OSError, subprocess.SubprocessError, KeyError, ValueError, TTLibError) as error:
        log.info("the widths of font %r could not be read (%s): Arial's are used", family, error)
        return None
    return widths


def _substituted(name: str, family: str, shown: str) -> Issue:
    if METRIC_COMPATIBLE.get(name.casefold()) == family.casefold():
        return issue("font-substituted", family=family, file=shown, value=name)
    return issue("font-missing", family=family, file=shown, value=name)
