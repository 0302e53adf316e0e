"""Status matching: partner wording to one canonical status, or an issue with a suggestion.

Matching ignores case, spacing and punctuation. Nothing unrecognised is ever counted: only the canonical
statuses written another way (`BUILTIN_ALIASES`: 'Complete', 'Not yet started') and the workspace's own
aliases are read as a status. Another word for a status ('Done', 'Ongoing', 'Paused') is only suggested:
it changes the paper's counts, and partners use some of them for something else ('Ongoing' for work that
never ends, 'Done' for "our part is done").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from reportgen.read.headings import heading_key
from reportgen.settings import CANONICAL_STATUSES
from reportgen.terms import BUILTIN_ALIASES

# other words for a status: suggested ("Did you mean 'Completed'?"), never counted as it
SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("Done", "Finished", "Achieved", "Delivered", "Closed", "Concluded", "Implemented"),
                    "Completed"),
    **dict.fromkeys(("Ongoing", "Underway", "Started", "Progressing", "Commenced", "In hand", "On track",
                     "Work in progress", "WIP", "Partially complete", "Partially completed", "Part complete"),
                    "In progress"),
    **dict.fromkeys(("Yet to start", "Yet to begin", "Not begun", "Not yet begun", "Not commenced",
                     "Not yet commenced", "Planned", "To start"), "Not started"),
    **dict.fromkeys(("Paused", "Suspended", "Deferred", "Postponed", "On pause"), "On hold"),
}

_SYNONYM_KEYS = {heading_key(synonym): status for synonym, status in SYNONYMS.items()}
# the most words a synonym is written in, one more for a word split in two ('Work in pro-gress')
_SYNONYM_WORDS = max(len(synonym.split()) for synonym in SYNONYMS) + 1

# words that turn a status round: a suggestion never drops one ('Not complete' is not 'Completed'), nor adds one
_NEGATION = frozenset({"not", "no", "non", "never", "incomplete", "unfinished", "uncompleted", "uncomplete"})


# a date as a cell shows it ('31 March 2027', 'March 2027') or as partners type it ('31/03/2027', '2027-03-31',
# '31st Mar 27', 'March 31, 2027'), the whole of the wording: a timeframe typed in the status column
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE = re.compile("|".join((
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}",
    r"\d{4}-\d{1,2}-\d{1,2}(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?",
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?[\s-]+(?:of\s+)?)?{_MONTH}[\s,-]+\d{{2}}(?:\d{{2}})?",
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}",
)))


def looks_like_date(written: str) -> bool:
    """Whether a status is a date and nothing else ('31 March 2027', '31/03/27'): the timeframe typed in the status
    column, told as such rather than as a status mistyped. 'Completed March 2027' is not one."""
    return _DATE.fullmatch(" ".join(written.casefold().split())) is not None


def status_table(aliases: Mapping[str, str]) -> dict[str, str]:
    table = {heading_key(alias): status for alias, status in BUILTIN_ALIASES.items()}
    table.update({heading_key(alias): status for alias, status in aliases.items()})
    return table


def match_status(written: str, table: Mapping[str, str]) -> str | None:
    return table.get(heading_key(written))


def suggest_status(written: str) -> str | None:
    """'Not started yet – phase 2', 'Complete - awaiting sign-off' -> 'Not started', 'Completed'; 'Compelted' ->
    'Completed'; 'Not complete', 'Started', 'Completely stalled' -> None (a suggestion never drops a 'not', nor
    adds one, nor takes a status's letters for it)."""
    key = heading_key(written)
    if not key:
        return None
    for status in CANONICAL_STATUSES:
        if key.startswith(heading_key(status)):
            return status
    words = _words(written)
    for alias, status in BUILTIN_ALIASES.items():  # 'Complete - awaiting sign-off', never 'Completely stalled'
        if words[:len(_words(alias))] == _words(alias) and _negated(words) == _negated(_words(status)):
            return status
    keys = {heading_key(s): s for s in BUILTIN_ALIASES}
    close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
    if not close or not _a_slip(key, close[0]):
        return None
    status = BUILTIN_ALIASES[keys[close[0]]]
    return status if _negated(_words(written)) == _negated(_words(status)) else None


def alias_suggestions(written: str, aliases: Mapping[str, str]) -> list[str]:
    """The workspace's own aliases ([statuses] aliases) a status not recognised most likely means: a wording of
    aliases alone, each of them ('Amber/Red' -> 'Amber', 'Red'); else the one its words open with ('Red (see
    update)' -> 'Red'), a 'not' neither dropped nor added; else one it is mistyped from ('Gren' -> 'Green')."""
    words = _words(written)
    by_words = sorted(((_words(alias), alias) for alias in aliases if _words(alias)), key=lambda item: -len(item[0]))
    found: list[str] = []
    at = 0
    while at < len(words):
        alias = next((alias for key, alias in by_words if words[at:at + len(key)] == key), None)
        if alias is None:
            break
        found.append(alias)
        at += len(_words(alias))
    if found and at == len(words):
        return list(dict.fromkeys(found))
    if found and _negated(words) == _negated(_words(found[0])):
        return found[:1]
    keys = {heading_key(alias): alias for alias in aliases}
    close = difflib.get_close_matches(heading_key(written), list(keys), n=1, cutoff=0.75)
    return [keys[close[0]]] if close and _a_slip(heading_key(written), close[0]) else []


def _a_slip(key: str, near: str) -> bool:
    """Whether `key` is `near` mistyped ('compelted', 'inprogess'): about as long, not other words besides it
    ('completelystalled' is close to 'complete' by its letters, but says the opposite)."""
    return abs(len(key) - len(near)) <= max(2, len(near) // 4)


def synonym_for(written: str) -> str | None:
    """The status that another word for it, starting the wording, stands for: 'Done', 'Ongoing – review in
    May' -> 'Completed', 'In progress'; None when none does, or a 'not' follows ('Done? Not yet')."""
    words = _words(written)
    for count in range(1, min(len(words), _SYNONYM_WORDS) + 1):  # 'On-going', 'Under way' as well
        status = _SYNONYM_KEYS.get("".join(words[:count]))
        if status:
            return None if _negated(words[count:]) else status
    return None


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _negated(words: list[str]) -> bool:
    return not _NEGATION.isdisjoint(words)
