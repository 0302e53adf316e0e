"""Text written into spreadsheets and CSV we produce: never a formula, never truncated silently."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# the encoding of every CSV written for people to open: UTF-8 with a byte order mark. Excel on Windows reads a
# UTF-8 CSV without one in the computer's own code page ("2025–2030" as "2025â€“2030", "£" as "Â£"); with it,
# as UTF-8. pandas reads the mark as no text, and Python's csv module does when the file is opened "utf-8-sig".
CSV_ENCODING = "utf-8-sig"


def text_for_spreadsheet(value: str) -> str:
    """Prefix a quote to text Excel would read as a formula (CSV injection, OWASP)."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
