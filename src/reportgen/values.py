"""Cell values to the types the register and returns need: refs, text, page ranges.

Each parser returns a value or a reason, never raises: the caller turns a reason into an Issue.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

MAX_CELL_CHARS = 32_767  # Excel's own limit: longer text is rejected, never truncated


def parse_ref(value: object) -> tuple[int | None, str]:
    """12, 12.0, ' 12 ', '１２' -> 12; TRUE, 12.5, '12a', '1e1', 0 -> (None, why)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "empty"
    if isinstance(value, bool):
        return None, "a TRUE/FALSE value, not a number"
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None, "not a whole number"
        number = int(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        match = re.fullmatch(r"(\d+)(?:\.0+)?", text)
        if not match:
            return None, "not a whole number"
        number = int(match.group(1))
    else:
        return None, f"a {type(value).__name__}, not a number"
    if number <= 0:
        return None, "not a positive number"
    return number, ""


def cell_text(value: object) -> str:
    """A cell as the text a person sees: 12.0 -> '12', dates as ISO, None -> ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_RANGE = re.compile(r"(\d+)\s*[-–—]\s*(\d+)")


def normalize_page(text: str) -> str:
    """'56- 57', '16 - 17', '18 -19' -> '56-57': the plan's page ranges written one way."""
    return _RANGE.sub(r"\1-\2", " ".join(text.split()))


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())
