"""The statuses a period's newest kept draft corrected: an earlier draft of the period, of the same edition and with
nothing blocking its publication (a paper that may have gone to the Panel), said another status for the action.

`reportgen history` reads each period's newest draft; these say what the earlier one said, so a correction made
after publication shows in the history and the status first published is not lost. Reads kept drafts; writes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.drafts.earlier import PeriodDraft, edition_of, read_kept_paper
from reportgen.drafts.folders import draft_folders, within_workspace
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

    @property
    def note(self) -> str:
        return (f"Corrected: {self.earlier}, an earlier draft of this period with nothing blocking publication, "
                f"said '{self.was}'.")


def corrected_statuses(found: Sequence[PeriodDraft], workspace: Path, label: Callable[[PaperRow], str]
                       ) -> tuple[list[CorrectedStatus], list[Issue]]:
    """Each action whose status in its period's newest draft (`found`) differs from that in an earlier draft of
    the period, of its edition, that nothing blocked: by ref and period, oldest draft first. `label`: a row's
    status as the history writes it. A blocked draft said "DRAFT – not for publication" on every page: what it
    said was never the paper's. With them, an unreadable-draft warning for each earlier draft that could not be
    read, named within the workspace: what it published, and so any correction of it, is not known."""
    corrected: list[CorrectedStatus] = []
    unread: list[Issue] = []
    for draft in found:
        shown = {row.ref: label(row) for row in draft.paper.rows}
        kept, problems = published_before(draft, workspace)
        unread += problems
        for earlier, paper in kept:
            name = within_workspace(earlier, workspace)
            corrected += [CorrectedStatus(row.ref, draft.period, shown[row.ref], name, label(row))
                          for row in paper.rows if row.ref in shown and label(row) != shown[row.ref]]
    return sorted(corrected, key=lambda item: (item.ref, item.period)), unread


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
    return (f" {counted(len(mine), 'status', 'statuses')} corrected since an earlier draft of this period with nothing "
            f"blocking publication: {listed(said)}.")
