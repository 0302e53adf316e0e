"""Where a column heading is matched: the one place that decides which spreadsheet column is which.

Headings match ignoring case, spacing and punctuation, through the aliases in `Settings`. The heading
row is found even with title rows above it; the data sheet is found by its headings.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportgen.read.cells import cell_text
from reportgen.settings import Column
from reportgen.settings_columns import heading_key

HEADER_SCAN_ROWS = 30  # title rows above the headings: partners rarely add more than a few


@dataclass(frozen=True)
class HeadingMatch:
    """Which column index holds each key, and the heading as the partner wrote it."""

    index: dict[str, int]
    written: dict[str, str]
    # (key, heading as written, 0-based position) of columns also matching a key, not read
    duplicates: tuple[tuple[str, str, int], ...]
    missing: tuple[str, ...]  # required keys not found
    unmatched: tuple[str, ...]  # headings as written that match no key

    @property
    def score(self) -> int:
        return len(self.index)


def match_headings(cells: Sequence[object], columns: Mapping[str, Column]) -> HeadingMatch:
    """Which column holds each key. Two columns for one key: the one whose heading comes first in the
    key's names (its heading, then its aliases in order) is read, the leftmost on a tie; the other
    is a duplicate (a partner's own "Comments" beside our "Explanation" column never displaces it)."""
    wanted: dict[str, tuple[str, int]] = {}
    for key, column in columns.items():
        for rank, name in enumerate(column.names):
            wanted.setdefault(heading_key(name), (key, rank))
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    ranks: dict[str, int] = {}
    duplicates: list[tuple[str, str, int]] = []
    unmatched: list[str] = []
    for position, cell in enumerate(cells):
        text = cell_text(cell).strip()  # as Excel shows it: a heading typed "Mar-24" is a date, "March 2024"
        if not text:
            continue
        found = wanted.get(heading_key(text))
        if found is None:
            unmatched.append(text)
            continue
        key, rank = found
        if key in index and ranks[key] <= rank:
            duplicates.append((key, text, position))
        else:
            if key in index:
                duplicates.append((key, written[key], index[key]))
            index[key], written[key], ranks[key] = position, text, rank
    duplicates.sort(key=lambda found: found[2])
    missing = tuple(key for key, column in columns.items() if column.required and key not in index)
    return HeadingMatch(index, written, tuple(duplicates), missing, tuple(unmatched))


def find_header_row(rows: Sequence[Sequence[object]], columns: Mapping[str, Column]) -> tuple[int, HeadingMatch]:
    """The 0-based index of the row among the first rows that matches most keys (first on ties)."""
    best_at, best = 0, match_headings((), columns)
    for at, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = match_headings(cells, columns)
        if found.score > best.score:
            best_at, best = at, found
    return best_at, best


def did_you_mean(column: Column, headings: Sequence[str]) -> str | None:
    """The partner's heading closest to what we expected, if any is close."""
    by_key = {heading_key(h): h for h in headings}
    for name in column.names:
        close = difflib.get_close_matches(heading_key(name), list(by_key), n=1, cutoff=0.6)
        if close:
            return by_key[close[0]]
    return None
