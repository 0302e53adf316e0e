"""What looks like personal data that the newer of two drafts publishes and the older did not: the reviewer comparing
them is told where (an action's field, a cover-sheet row, the narrative) and what, as written, before the newer
draft goes to the Panel. What both drafts say was said when the older was built, so it is not said again.

Pure: reads no files and writes none; the patterns are the build's own (`reportgen.check.personal_data`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportgen.check.personal_data import personal_data, said


@dataclass(frozen=True)
class PersonalDataAdded:
    place: str  # where the newer draft prints it: "Action 12's Explanation", "the cover sheet's SUBMITTED BY"
    found: str  # what was found, as `said` words it: "a named person 'DS Jane Smith'"


ADVICE = ("Public papers go on the council's website: before this draft is published, have it taken out where it was "
          "written (the partner's return, the register, narrative.md or reportgen.toml; a role, a team's inbox or "
          "number, a town, not a person's) and build again, or mark the action exempt; an organisation's own address "
          "or number, or a named public office holder, is fine.")


def personal_data_added(texts: Sequence[tuple[str, str, str]]) -> tuple[PersonalDataAdded, ...]:
    """For each (place, old text, new text), what looks like personal data in the new text that the old one did
    not hold (the same kind and words), in the order given."""
    added = []
    for place, old, new in texts:
        if old == new or not new:
            continue
        before = set(personal_data(old)) if old else set()
        findings = [finding for finding in personal_data(new) if finding not in before]
        if findings:
            added.append(PersonalDataAdded(place, said(findings)))
    return tuple(added)


def personal_data_note(added: Sequence[PersonalDataAdded]) -> str:
    """One paragraph for the comparison's readers: what the newer draft adds that looks like personal data, where,
    and what to do; "" when nothing."""
    if not added:
        return ""
    places = "; ".join(f"{item.place}: {item.found}" for item in added)
    return f"The newer draft adds what looks like personal data. {places}. {ADVICE}"
