"""The published February 2023 paper (../shared/reference) parsed into rows, to compare ours against."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ReferenceRow:
    ref: int
    action: str
    status: str
    explanation: str
    timeframe: str
    page: str
    more: list[str] = field(default_factory=list)


def reference_rows(path: Path) -> dict[int, ReferenceRow]:
    """Rows start with the ref; text split over a page break continues on lines of tab-led cells."""
    rows: dict[int, ReferenceRow] = {}
    last: ReferenceRow | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if re.fullmatch(r"\d+", cells[0]) and len(cells) >= 6:
            last = ReferenceRow(int(cells[0]), cells[1], cells[2], cells[3], cells[4], cells[5])
            rows[last.ref] = last
        elif last is not None and len(cells) >= 4 and cells[0] == "":
            last.action += " " + cells[1]
            last.explanation += " " + cells[3]
        elif line.strip() and not line.startswith("\t"):
            last = None  # a section heading or the end of the table
    return rows


def words(text: str) -> list[str]:
    """The words of a cell, ignoring markup, bullets and spacing (the reference prints raw <p> tags)."""
    text = re.sub(r"<[^>]+>", " ", text)
    return re.findall(r"\w+", text.casefold())
