"""The statuses a period's newest kept draft corrected: the paper it corrects (the draft it revises, else the one
recorded as published, else the newest earlier draft of the period, of the same edition and with nothing blocking its
publication, a paper that may have gone to the Panel) said another status for the action.

`reportgen history` reads each period's newest draft; these say what the earlier one said, so a correction made
after publication shows in the history and the status first published is not lost. Reads kept drafts; writes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.drafts.earlier import PeriodDraft, edition_of, read_kept_paper
from reportgen.drafts.folders import draft_folders, kept_name, within_workspace
from reportgen.drafts.published import mark_of
from reportgen.issues import Issue, issue
from reportgen.model import Paper, PaperRow
from reportgen.wording import counted, listed

CORRECTIONS_SHOWN = 10  # in a period's note; each corrected cell's comment says what was there before


@dataclass(frozen=True)
class CorrectedStatus:
    ref: int
    period: str
    status: str  # as the history shows it, from the period's newest draft
    earlier: str  # the earlier draft, named within the workspace: "outputs/2026-09/draft-01"
    was: str  # the status that draft gave the action
    published: bool = False  # the earlier draft is the paper published (`reportgen publish`, or the one revised)

    @property
    def described(self) -> str:
        return (f"{self.earlier}, the paper published" if self.published
                else f"{self.earlier}, an earlier draft of this period with nothing blocking publication")

    @property
    def note(self) -> str:
        return f"Corrected: {self.described}, said '{self.was}'."


def corrected_statuses(found: Sequence[PeriodDraft], workspace: Path, label: Callable[[PaperRow], str]
                       ) -> tuple[list[CorrectedStatus], list[Issue]]:
    """Each action whose status in its period's newest draft (`found`) differs from that in the paper it corrects
    (`corrected_from`): once per action and period, by ref and period. `label`: a row's status as the history
    writes it. With them, an unreadable-draft warning for each earlier draft that could not be read, named within
    the workspace: what it published, and so any correction of it, is not known."""
    corrected: list[CorrectedStatus] = []
    unread: list[Issue] = []
    for draft in found:
        shown = {row.ref: label(row) for row in draft.paper.rows}
        kept, problems = published_before(draft, workspace)
        unread += problems
        earlier = corrected_from(draft, kept)
        if earlier is None:
            continue
        folder, paper, published = earlier
        name = within_workspace(folder, workspace)
        corrected += [CorrectedStatus(row.ref, draft.period, shown[row.ref], name, label(row), published)
                      for row in paper.rows if row.ref in shown and label(row) != shown[row.ref]]
    return sorted(corrected, key=lambda item: (item.ref, item.period)), unread


def corrected_from(draft: PeriodDraft, kept: Sequence[tuple[Path, Paper]]) -> tuple[Path, Paper, bool] | None:
    """The one earlier draft (of `kept`, those nothing blocked) that `draft` corrects, and whether it is known to be
    the paper published: the draft it revises (`build --revises`); else the newest recorded as published
    (`reportgen publish`), none when `draft` is itself recorded so and revises nothing (the drafts before it were
    checks the Panel never had); else, in a period where none is recorded, the newest of them, the likeliest to
    have gone to the Panel. A blocked draft said "DRAFT – not for publication" on every page: what it said was
    never the paper's."""
    revised = next(((folder, paper) for folder, paper in kept
                    if kept_name(folder) == draft.paper.revises), None)
    if revised is not None:
        return (*revised, True)
    marked = [(folder, paper) for folder, paper in kept if mark_of(folder) is not None]
    if marked:
        return (*marked[-1], True)
    if mark_of(draft.folder) is not None:
        return None
    return (*kept[-1], False) if kept else None


def published_before(draft: PeriodDraft, workspace: Path) -> tuple[list[tuple[Path, Paper]], list[Issue]]:
    """The drafts of `draft`'s period kept before it, of its edition, that nothing blocked, with their papers; and
    an issue for each that cannot be read (one whose manifest cannot say its edition may be of this one), so that
    a correction of what it published is not left out in silence."""
    kept, unread = [], []
    newest = within_workspace(draft.folder, workspace)
    for folder in draft_folders(workspace / "outputs", draft.period):
        if folder == draft.folder:
            break
        edition = edition_of(folder)
        if edition and edition != draft.paper.edition:
            continue
        paper, problems = read_kept_paper(folder)
        if paper is None:
            error = problems[0].named_field("error") if problems else "its manifest.json could not be read"
            unread.append(issue("unreadable-draft", "corrections", period=draft.period, newest=newest, error=error,
                                file=str(folder)))  # named within the workspace by the history (`from_workspace`)
        elif not paper.blocking_issues:
            kept.append((folder, paper))
    return kept, unread


def corrected_in(period: str, corrected: Sequence[CorrectedStatus]) -> str:
    """For a period's note: which actions' statuses its newest draft corrected, from which earlier draft."""
    mine = [item for item in corrected if item.period == period]
    if not mine:
        return ""
    said = [f"action {item.ref} ({item.earlier} said '{item.was}', now '{item.status}')"
            for item in mine[:CORRECTIONS_SHOWN]]
    if len(mine) > CORRECTIONS_SHOWN:
        said.append(f"{len(mine) - CORRECTIONS_SHOWN:,} more (each cell's comment says)")
    since = ("the paper published" if mine[0].published
             else "an earlier draft of this period with nothing blocking publication")
    return f" {counted(len(mine), 'status', 'statuses')} corrected since {since}: {listed(said)}."
