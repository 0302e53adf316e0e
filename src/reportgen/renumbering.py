"""Which earlier number each action of a renumbered plan is paired with, from the register's Was numbered column.

A plan refreshed mid-year renumbers actions (5 becomes 148), splits one (7 and a new 149, whose Was numbered says
7) and merges others (11's says "11, 12"). The officer says so, action by action, in the register; this module
only reads that back against an earlier draft, so that carrying statuses forward, "Changes since the last draft"
and the comparison of drafts pair an action with the row it had then. Nothing is paired by its wording: an action
with no Was numbered is paired by its own number, as before. Reads and writes no file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from reportgen.model import Paper, PaperRow


class Numbered(Protocol):
    """An action as the register gives it now (`Action`) or a paper's row of it (`PaperRow`)."""

    @property
    def ref(self) -> int: ...

    @property
    def was(self) -> tuple[int, ...]: ...  # its Was numbered: the number(s) it had before the plan was renumbered


@dataclass(frozen=True)
class Renumbered:
    """How the actions of a plan pair with the rows of one earlier paper."""

    # an action's number now -> the number the earlier paper shows it under, for each renumbered since (a split
    # action's halves both pair with the one row); an action not here is paired by its own number
    earlier: Mapping[int, int] = field(default_factory=dict)
    # a number of the earlier paper no action has now -> the numbers its action has now (merged into one, or
    # renumbered): not withdrawn from the plan
    now: Mapping[int, tuple[int, ...]] = field(default_factory=dict)

    def earlier_ref(self, ref: int) -> int:
        """The number the earlier paper shows the action numbered `ref` now under."""
        return self.earlier.get(ref, ref)

    def paired(self, rows: Iterable[PaperRow], previous: Paper) -> dict[int, PaperRow]:
        """Each of `rows` (by its number now) with the row of `previous` it continues, under its own number or the
        one it had then; a row with none (new since) is not in it."""
        before = {row.ref: row for row in previous.rows}
        return {row.ref: before[self.earlier_ref(row.ref)] for row in rows if self.earlier_ref(row.ref) in before}

    def sentence(self) -> str:
        """The renumbering said in a sentence ("5 is now 148; 12 is now part of 11."), "" when there is none."""
        parts = []
        for old, refs in sorted(self.now.items()):
            kept = [ref for ref in refs if self.earlier_ref(ref) == old]  # numbered after it, not merged into another
            if len(kept) == len(refs) == 1:
                parts.append(f"{old} is now {refs[0]}")
            elif kept:
                parts.append(f"{old} is now {' and '.join(str(ref) for ref in refs)}")
            else:
                parts.append(f"{old} is now part of {' and '.join(str(ref) for ref in refs)}")
        for ref, old in sorted(self.earlier.items()):
            if old not in self.now:  # split off from an action that kept its number
                parts.append(f"{ref} is split from {old}")
        return "; ".join(parts) + "." if parts else ""


def renumbered_since(numbered: Iterable[Numbered], previous: Paper | None) -> Renumbered:
    """How the actions `numbered` (the register's, or a paper's rows: each with its number now and its Was
    numbered) pair with the rows of `previous`. An action is paired by its earlier number only when `previous` was
    built before the renumbering: a paper built after it shows the action under its new number with the same Was
    numbered, and pairs by that."""
    if previous is None:
        return Renumbered()
    before = {row.ref: row for row in previous.rows}
    numbers = {item.ref: item.was for item in numbered}
    earlier: dict[int, int] = {}
    now: dict[int, list[int]] = {}
    for ref, was in numbers.items():
        if not was or (ref in before and before[ref].was == was):
            continue
        shown = [number for number in was if number in before]
        if shown and shown[0] != ref:
            earlier[ref] = shown[0]
        for number in shown:
            if number not in numbers:
                now.setdefault(number, []).append(ref)
    return Renumbered(earlier, {number: tuple(refs) for number, refs in now.items()})
