"""What the later periods' drafts were built on, when an earlier period is built again or read for the history.

A period's paper carries statuses forward from the newest kept draft of the periods before it, and measures its
progress against them. When a late or corrected return is read by building an earlier period again, the later
periods' drafts still hold what they carried from its older draft: `later_drafts` finds which draft of the period
they were built on, before the build, and `stale_later_issues` says, once the new statuses are known, which periods
to build again (`later-periods-stale`). `built_on_older` says the same of a history, which reads each period's newest
draft. This module reads drafts; it never builds or changes one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.drafts import folders as drafts
from reportgen.drafts.earlier import PeriodDraft, read_kept_paper
from reportgen.issues import Issue, issue
from reportgen.model import Paper
from reportgen.periods import period_label
from reportgen.wording import counted, listed

# a draft named in a paper's `carried_from` ("the 2026-09 returns and draft 2026-10/draft-02")
_CARRIED_DRAFT = re.compile(r"\bdraft (\d{4}-\d{2})/(draft-\d+)\b")
REFS_SHOWN = 10  # actions named in the warning; the rest counted


@dataclass(frozen=True)
class LaterDrafts:
    """The periods after the one being built that have kept drafts, and the draft of the period they were built on."""

    periods: tuple[str, ...]  # YYYY-MM, oldest first
    built_on: str  # the draft of the period built on, as kept ("2026-10/draft-02"); "" when it had none then
    statuses: Mapping[int, str] | None  # that draft's status cells, by ref; None when it could not be read


def later_drafts(outputs: Path, period: str) -> LaterDrafts | None:
    """The later periods' drafts a build of `period` is made beside (None when there are none): the draft of
    `period` the next of them was built on, as its paper records it (the draft its carried-forward statuses came
    from), else the newest kept draft of `period` (the one a later build carries from); and its statuses."""
    kept = drafts.draft_folders(outputs)
    later = tuple(sorted({folder.parent.name for folder in kept if folder.parent.name > period}))
    if not later:
        return None
    next_paper, _ = read_kept_paper(drafts.latest_draft(outputs, later[0]))
    named = carried_draft(next_paper, period) if next_paper is not None else None
    folder = outputs / named if named else drafts.latest_draft(outputs, period)
    if folder is None:
        return LaterDrafts(later, "", None)
    paper, _ = read_kept_paper(folder)
    return LaterDrafts(later, folder.relative_to(outputs).as_posix(), None if paper is None else status_cells(paper))


def carried_draft(paper: Paper, period: str) -> str | None:
    """The draft of `period` `paper` carried statuses forward from ("2026-10/draft-02"), as it records it."""
    found = [f"{named}/{name}" for named, name in _CARRIED_DRAFT.findall(paper.carried_from) if named == period]
    return found[-1] if found else None


def status_cells(paper: Paper) -> dict[int, str]:
    """Each action's status cell in `paper`, by ref (a ref twice counts by its first row, as the history does)."""
    return {row.ref: row.status_label for row in reversed(paper.rows)}


def stale_later_issues(later: LaterDrafts | None, period: str, statuses: Mapping[int, str]) -> list[Issue]:
    """A later-periods-stale warning when the period's new `statuses` (status cells by ref) differ from those of the
    draft the later periods were built on (or they were built before the period had a draft): they still carry its
    old statuses forward, and measure progress from them, until each is built again."""
    if later is None:
        return []
    said = {"later": listed(list(later.periods)), "were": "was" if len(later.periods) == 1 else "were",
            "them": "it" if len(later.periods) == 1 else "them", "first": later.periods[0],
            "label": period_label(period)}
    if not later.built_on:
        return [issue("later-periods-stale", "before", **said)]
    if later.statuses is not None:
        changed = sorted(ref for ref, status in statuses.items()
                         if ref in later.statuses and later.statuses[ref] != status)
        if not changed:
            return []
        shown = [str(ref) for ref in changed[:REFS_SHOWN]] + ([f"{len(changed) - REFS_SHOWN} more"]
                                                               if len(changed) > REFS_SHOWN else [])
        one = len(changed) == 1  # "1 status differs: action 7", "2 statuses differ: actions 2 and 4"
        words = f"{counted(len(changed), 'status', 'statuses')} differ{'s' if one else ''}: action{'' if one else 's'}"
        return [issue("later-periods-stale", built_on=later.built_on, changed=f"{words} {listed(shown)}", **said)]
    return [issue("later-periods-stale", built_on=later.built_on, changed="its statuses could not be read", **said)]


def built_on_older(found: Sequence[PeriodDraft], outputs: Path) -> list[Issue]:
    """A later-periods-stale warning (as the history says it) for each period read whose draft was built on an older
    draft of an earlier period than the one the history reads for that period: its carried-forward statuses and
    progress are that older draft's, not those in the history's column beside it."""
    read = {draft.period: draft.folder for draft in found}
    found_issues = []
    for draft in found:
        for period in sorted(read):
            named = carried_draft(draft.paper, period) if period < draft.period else None
            number = drafts.draft_number(Path(named)) if named else None
            newer = drafts.draft_number(read[period])
            if named and number is not None and newer is not None and number < newer:
                found_issues.append(issue(
                    "later-periods-stale", "history", file=drafts.within_workspace(draft.folder, outputs.parent),
                    built_on=named, read=drafts.within_workspace(read[period], outputs.parent),
                    label=period_label(period), period=draft.period))
    return found_issues
