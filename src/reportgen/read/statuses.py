"""Status matching: partner wording to one canonical status, or an issue with a suggestion.

Matching ignores case, spacing and punctuation. Nothing unrecognised is ever counted.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from reportgen.read.headings import heading_key
from reportgen.settings import CANONICAL_STATUSES

# the usual variants partners write; more come from reportgen.toml [statuses] aliases
BUILTIN_ALIASES: dict[str, str] = {
    "Complete": "Completed",
    "Completed": "Completed",
    "In progress": "In progress",
    "Inprogress": "In progress",
    "Not started": "Not started",
    "Not yet started": "Not started",
    "On hold": "On hold",
}


def status_table(aliases: Mapping[str, str]) -> dict[str, str]:
    table = {heading_key(alias): status for alias, status in BUILTIN_ALIASES.items()}
    table.update({heading_key(alias): status for alias, status in aliases.items()})
    return table


def match_status(written: str, table: Mapping[str, str]) -> str | None:
    return table.get(heading_key(written))


def suggest_status(written: str) -> str | None:
    """'Not started yet – phase 2' -> 'Not started'; 'Compelted' -> 'Completed'."""
    key = heading_key(written)
    if not key:
        return None
    for status in CANONICAL_STATUSES:
        if key.startswith(heading_key(status)):
            return status
    keys = {heading_key(s): s for s in BUILTIN_ALIASES}
    close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
    return BUILTIN_ALIASES[keys[close[0]]] if close else None
