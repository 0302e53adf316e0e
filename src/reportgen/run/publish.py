"""`reportgen publish DRAFT_DIR`: record a kept draft as the paper published, the one sent to the Panel.

A period has many drafts (each check builds one), and only one of an edition goes to the Panel. The record
(`reportgen.drafts.published`) lets a revised paper correct that one (`build --revises` refuses any other) and lets
`reportgen history` name it. Refused, exit 2, nothing written: a folder that is not a kept draft, one whose paper
cannot be read, one that something blocked (its every page said it was not for publication), and a second paper of
a period and edition already published that is not a revision of it (`build --revises`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen.drafts import folders as drafts
from reportgen.drafts.earlier import read_kept_paper
from reportgen.drafts.published import PUBLISHED_JSON, PublishedMark, mark_of, published_drafts, write_mark
from reportgen.errors import UsageError
from reportgen.issues import Issue, issue
from reportgen.wording import counted


@dataclass(frozen=True)
class Published:
    folder: Path  # the kept draft
    mark: PublishedMark
    already: bool  # it was marked before: nothing written


def kept_draft_named(given: Path, outputs: Path) -> Path | None:
    """The kept draft `given` names, as the workspace keeps it; a relative path naming nothing from here is read
    within the workspace, as the drafts are named to the officer ("outputs/2026-09/draft-01")."""
    named_here = given.expanduser()
    if not named_here.is_absolute() and not named_here.exists():
        named_here = outputs.parent / named_here
    return next((folder for folder in drafts.draft_folders(outputs) if folder.resolve() == named_here.resolve()), None)


def mark_published(workspace: Path, given: Path) -> Published:
    """Record `given`, a kept draft of the workspace, as the paper published (`published.json` in its folder)."""
    outputs = workspace / "outputs"
    folder = kept_draft_named(given, outputs)
    if folder is None:
        kept = ", ".join(drafts.within_workspace(found, workspace) for found in drafts.draft_folders(outputs)[-6:]) \
            or "none is kept yet"
        raise UsageError(f"publish {given}: not a kept draft of this workspace (the newest drafts: {kept})")
    mark = mark_of(folder)
    if mark is not None:
        return Published(folder, mark, already=True)
    paper, problems = read_kept_paper(folder)
    if paper is None:
        why = problems[0].named_field("error") if problems else "its draft.json could not be read"
        raise UsageError(f"publish {given}: its paper cannot be read ({why}), so it cannot be the one published")
    if paper.blocking_issues:
        raise UsageError(f"publish {given}: {counted(paper.blocking_issues, 'issue')} blocked its publication (its "
                         f"pages are marked '{paper.draft_marking}'); resolve them, build again and publish that draft")
    manifest = drafts.load_manifest(folder)
    before = [found for found in published_drafts(outputs, manifest.period, manifest.edition) if found != folder]
    if before and paper.revises != drafts.kept_name(before[-1]):
        newest = drafts.within_workspace(before[-1], workspace)
        raise UsageError(f"publish {given}: {newest} is already the {manifest.edition} paper published for "
                         f"{manifest.period}; a paper correcting it is built with `reportgen build --period "
                         f"{manifest.period} --revises {newest}`, and that draft is the one to publish")
    return Published(folder, write_mark(folder), already=False)


def revised_is_published(found: Path, outputs: Path, period: str, edition: str, given: Path) -> None:
    """`build --revises`: refused unless `found` is the newest paper of the period and edition recorded as published
    (`reportgen publish`): a revision corrects the paper the Panel had, not a check's draft."""
    published = published_drafts(outputs, period, edition)
    if published and found == published[-1]:
        return
    if published:
        newest = drafts.within_workspace(published[-1], outputs.parent)
        raise UsageError(f"--revises {given}: not the paper published; the newest {edition} paper published for "
                         f"{period} is {newest} (recorded in its {PUBLISHED_JSON}): revise that one")
    raise UsageError(f"--revises {given}: no {edition} draft of {period} is recorded as the paper published, so "
                     f"nothing says it went to the Panel; record the one that did with `reportgen publish "
                     f"{drafts.within_workspace(found, outputs.parent)}` (or the draft the Panel had), then build the "
                     "revision")


def not_revised(outputs: Path, period: str, edition: str, revises: Path | None) -> list[Issue]:
    """A published-not-revised warning for a build of a period whose paper of `edition` is recorded as published,
    made without `--revises`: a draft that could be sent in its place though it says nothing of what it corrects."""
    published = published_drafts(outputs, period, edition)
    if revises is not None or not published:
        return []
    name = drafts.within_workspace(published[-1], outputs.parent)
    return [issue("published-not-revised", file=name, published=name, edition=edition, period=period)]
