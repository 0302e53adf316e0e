"""Text written into spreadsheets and CSV we produce: never a formula, never truncated silently."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_for_spreadsheet(value: str) -> str:
    """Prefix a quote to text Excel would read as a formula (CSV injection, OWASP)."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
