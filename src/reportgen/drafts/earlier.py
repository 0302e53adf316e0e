"""The newest kept draft of each period: where progress over time and `reportgen history` read from.

The public edition reads only public drafts, so no exempt action can come back through the history;
a restricted one reads restricted drafts, and a public draft for a period without one. A damaged
draft is an issue and is skipped, never fatal. A draft's period is the one it records: one kept in a folder
named for another period is read as neither, and said so (`misplaced_issues`). A period built again once a later
one has drafts reads the register its newest draft was built from, kept in registers/ (`register_for`), so
that its plan is not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from reportgen.check.checked import withdrawn_since
from reportgen.drafts import folders as drafts
from reportgen.drafts import records
from reportgen.errors import ReportgenError
from reportgen.issues import Issue, issue
from reportgen.model import Paper, Register, UpdateState
from reportgen.periods import period_label
from reportgen.read.workspace import Inputs, list_returns
from reportgen.wording import counted, listed


@dataclass(frozen=True)
class PeriodDraft:
    period: str  # YYYY-MM
    folder: Path
    paper: Paper


def read_history(outputs: Path, edition: str, before: str | None = None, limit: int | None = None
                 ) -> tuple[tuple[PeriodDraft, ...], tuple[Issue, ...]]:
    """The newest kept draft of each period (before `before`, when given) of `edition`, oldest first;
    with `limit`, only the most recent `limit` periods (a long paper's draft.json takes seconds to read).

    For the restricted edition, a period's newest restricted draft, though a public one was built after
    it (that one leaves the exempt actions out); its newest public draft when it has no restricted one.
    """
    newest: dict[str, Path] = {}
    settled: set[str] = set()  # periods whose newest draft of `edition` itself is found
    problems: list[Issue] = []
    for folder in reversed(drafts.draft_folders(outputs)):
        period = folder.parent.name
        if period in settled or (before is not None and period >= before):
            continue
        try:
            manifest = drafts.load_manifest(folder)
        except ReportgenError as exc:
            problems.append(issue("unreadable-draft", "history", error=exc, file=str(folder)))
            continue
        if manifest.edition == edition:
            newest[period] = folder
            settled.add(period)
        elif edition == "restricted" and manifest.edition == "public":
            newest.setdefault(period, folder)
    found: list[PeriodDraft] = []
    for period in sorted(newest)[-limit if limit else 0:]:
        paper, unreadable = read_kept_paper(newest[period], "history")
        problems += unreadable
        if paper is not None:
            found.append(PeriodDraft(period, newest[period], paper))
    return tuple(found), tuple(problems)


def misplaced_issues(outputs: Path, wording: Literal["", "history"] = "") -> list[Issue]:
    """A misplaced-draft warning for each kept draft in a folder named for another period (`drafts.draft_folders`
    leaves it out): the officer learns why it is not read, rather than finding a month missing."""
    # named as every other issue's file is, from the workspace (the folder holding `outputs`)
    return [issue("misplaced-draft", wording, file=folder.relative_to(outputs.parent).as_posix(), recorded=recorded,
                  named=folder.parent.name)
            for folder, recorded in drafts.misplaced_drafts(outputs)]


def unfinished_issues(outputs: Path) -> list[Issue]:
    """An unfinished-draft warning for each `draft-NN` folder with no manifest (`drafts.draft_folders` leaves it
    out): the officer learns which draft is read instead, rather than finding statuses missing or wrong."""
    found = []
    for folder in drafts.unfinished_drafts(outputs):
        kept = drafts.latest_draft(outputs, folder.parent.name)
        instead = f" (the newest kept draft of {folder.parent.name} is {kept.name}, read instead)" if kept else ""
        found.append(issue("unfinished-draft", file=folder.relative_to(outputs.parent).as_posix(), instead=instead))
    return found


def unread_for_history(outputs: Path, found: tuple[PeriodDraft, ...], edition: str) -> list[Issue]:
    """`unfinished_issues` as the history says them: a history reads only drafts of its edition (a restricted one,
    a public draft where its period has no restricted one), so what is read instead is the draft it did read for
    that period, not the period's newest kept draft of either edition; with none, that the history has no column
    for the period, and how to give it one."""
    read = {draft.period: draft for draft in found}
    said = []
    for folder in drafts.unfinished_drafts(outputs):
        period = folder.parent.name
        draft = read.get(period)
        if draft is not None:
            name = f"{period}/{draft.folder.name}"
            instead = (f" (this {edition} history reads {name} instead, the newest {edition} draft of {period} kept)"
                       if draft.paper.edition == edition else
                       f" (this {edition} history reads {name} instead, a {draft.paper.edition} draft: no {edition} "
                       f"draft of {period} is kept)")
        else:
            instead = (f", and no other {edition} draft of {period} could be read, so this history has no column for "
                       f"{period} ({period_label(period)}): build that period's paper again in the {edition} "
                       f"edition (reportgen build --period {period} --edition {edition}), or copy the draft again "
                       "in full")
        said.append(issue("unfinished-draft", file=folder.relative_to(outputs.parent).as_posix(), instead=instead))
    return said


def carry_source(outputs: Path, period: str) -> Path | None:
    """The newest kept draft of a period before `period`: the draft a build carries statuses forward
    from, and the one a period's return workbooks are pre-filled from (one rule, so they agree)."""
    return next((f for f in reversed(drafts.draft_folders(outputs)) if f.parent.name < period), None)


def returns_after(outputs: Path, source: Path | None, workspace: Path, wording: Literal["", "prefill"] = ""
                  ) -> list[Issue]:
    """A return-after-draft warning for each return of the carry source's period that the draft did not read as it
    is now (its manifest's hashes, not file times, which a copy resets): filed late, or changed, after it was
    built. It is not read past the draft (the draft is the period's record), so the officer learns why its updates
    are missing, and that building the period again reads them."""
    if source is None:
        return []
    try:
        manifest = drafts.load_manifest(source)
    except ReportgenError:
        return []  # said where the draft is read (unreadable-draft)
    kept = {record.path: record.sha256 for record in manifest.inputs}
    withheld = set(manifest.withheld)  # a public draft's returns of exempt-only leads, by digest alone
    period = source.parent.name
    found = []
    for path in list_returns(workspace / "inputs" / "returns" / period, workspace)[0]:
        try:
            now = records.file_record(path, workspace)
        except OSError:
            continue  # gone or unreadable: the period's build says so
        if kept.get(now.path) != now.sha256 and records.withheld_digest(now) not in withheld:
            found.append(issue("return-after-draft", wording, file=now.path, period=period,
                               draft=source.relative_to(outputs).as_posix(), label=period_label(period),
                               how="changed after" if now.path in kept else "filed after"))
    return found


def register_for(inputs: Inputs, todays: bool = False) -> tuple[Inputs, list[Issue]]:
    """The inputs with the register a build of their period reads its plan from, and what to say of it.

    A period built again while a later period has drafts (to read a late or corrected return, as
    `return-after-draft` advises) keeps its plan: the register its newest draft was built from (a copy kept in
    the workspace's registers/), not today's, which may have withdrawn, added or renamed actions since (the later
    periods' drafts say so, and rewriting this one would unsay it). Said whenever the two differ (`kept-register`);
    `todays`, the officer means to change the period's plan: today's register, and said too. A draft kept before
    registers were kept cannot give its plan back: today's register, said when it has changed since that draft."""
    kept = drafts.draft_folders(inputs.outputs)
    later = sorted({folder.parent.name for folder in kept if folder.parent.name > inputs.period})
    own = [folder for folder in kept if folder.parent.name == inputs.period]
    if not later or not own:
        return inputs, []
    newest = own[-1]
    copy = drafts.kept_register(inputs.workspace, newest)
    if copy is None and not _register_changed(newest, inputs):
        return inputs, []
    if copy is not None and records.file_sha256(copy) == records.file_sha256(inputs.register):
        return inputs, []
    said = {"draft": newest.relative_to(inputs.outputs).as_posix(), "label": period_label(inputs.period),
            "later": f"{listed(later)} already {'has' if len(later) == 1 else 'have'}"}
    if copy is None:
        altered = next((path for path in _kept_register_paths(newest, inputs) if path.is_file()), None)
        if altered is not None:  # kept, then changed by hand: not the plan the draft shows
            return inputs, [issue("kept-register", "altered", file=inputs.display(inputs.register),
                                  kept=inputs.display(altered), **said)]
        return inputs, [issue("kept-register", "unkept", file=inputs.display(inputs.register), **said)]
    if todays:
        return inputs, [issue("kept-register", "todays", file=inputs.display(inputs.register),
                              kept=inputs.display(copy), **said)]
    return replace(inputs, register=copy), [issue("kept-register", file=inputs.display(copy),
                                                  today=inputs.display(inputs.register), **said)]


def _register_records(folder: Path) -> list[tuple[str, str]]:
    """The register the kept draft in `folder` was built from, as its manifest records it: (path, hash), the
    workspace's inputs/register.xlsx or, for a period built again, the copy in registers/ it read."""
    try:
        recorded = drafts.load_manifest(folder).inputs
    except ReportgenError:
        return []
    return [(record.path, record.sha256) for record in recorded if Path(record.path).stem.startswith("register")]


def _kept_register_paths(folder: Path, inputs: Inputs) -> list[Path]:
    return [drafts.kept_register_path(inputs.workspace, sha256, Path(path).suffix)
            for path, sha256 in _register_records(folder)]


def _register_changed(folder: Path, inputs: Inputs) -> bool:
    """Whether today's register differs from the one the kept draft in `folder` was built from (its manifest's
    hash, whether it read today's file or a kept copy); False when that cannot be told."""
    recorded = _register_records(folder)
    try:
        now = records.file_sha256(inputs.register)
    except OSError:
        return False
    return bool(recorded) and all(sha256 != now for _path, sha256 in recorded)


def withdrawn_earlier(issues: tuple[Issue, ...], register: Register, outputs: Path, period: str
                      ) -> tuple[Issue, ...]:
    """An update of an action not in the register that a kept draft showed is a warning (`withdrawn-ref`) naming the
    draft most relevant to the officer: the period's own newest draft that showed it (a period built again from
    today's register, `--todays-register`, after its own drafts showed the action), else the newest earlier one
    that did, as the carry source is when it shows it. An `unknown-ref` the carry source did not show is said so
    too: the action was withdrawn, and rebuilding a period has not unsaid it. Drafts are read only while such an
    update is left, newest first."""
    kept = [folder for folder in reversed(drafts.draft_folders(outputs)) if folder.parent.name <= period]
    own = [folder for folder in kept if folder.parent.name == period]
    earlier = [folder for folder in kept if folder.parent.name < period]
    # the period's own drafts outrank the carry source, which check_inputs named; earlier ones only fill the gaps
    found = _named_after(issues, register, own, outputs, ("unknown-ref", "withdrawn-ref"))
    return _named_after(found, register, earlier, outputs, ("unknown-ref",))


def _named_after(issues: tuple[Issue, ...], register: Register, folders: list[Path], outputs: Path,
                 codes: tuple[str, ...]) -> tuple[Issue, ...]:
    """`issues`, each of `codes` whose action the first of `folders` (newest first) to show it had, and the register
    no longer has, made a `withdrawn-ref` naming that draft."""
    known = {action.ref for action in register.actions}
    left = {item.ref for item in issues if item.code in codes and item.ref not in known}
    found = issues
    for folder in folders:
        if not left:
            break
        paper = read_kept_paper(folder)[0]
        shown = left & {row.ref for row in paper.rows} if paper is not None else set()
        if not shown:
            continue
        name = folder.relative_to(outputs).as_posix()
        found = tuple(withdrawn_since([item], register, paper, name)[0]
                      if item.code in codes and item.ref in shown else item for item in found)
        left -= shown
    return found


def restricted_beside(outputs: Path, source: Path | None) -> Path | None:
    """When the carry source is a public draft, the newest restricted draft of its period (it has the
    exempt actions the public one leaves out), else of the newest earlier period that has one (an exempt
    action whose lead sent nothing in the source's period was last reported there); None otherwise."""
    if source is None or edition_of(source) != "public":
        return None
    return next((f for f in reversed(drafts.draft_folders(outputs))
                 if f.parent.name <= source.parent.name and edition_of(f) == "restricted"), None)


def built_from(folder: Path, files: tuple[Path, ...], workspace: Path) -> bool:
    """Whether the kept draft in `folder` was built from `files` as they are now (its manifest's hashes), though
    its paper cannot be read: from the register and reportgen.toml now, whatever was exempt in it is exempt now."""
    try:
        kept = {record.path: record.sha256 for record in drafts.load_manifest(folder).inputs}
        now = [records.file_record(path, workspace) for path in files]
    except (ReportgenError, OSError):
        return False
    return all(kept.get(record.path) == record.sha256 for record in now)


def exemptions_known(paper: Paper | None, folder: Path | None, files: tuple[Path, ...], workspace: Path
                     ) -> Paper | None:
    """A restricted draft kept before drafts recorded their exempt actions (`Paper.exempt_refs` None), built from
    `files` (the register and reportgen.toml) as they are now: its exempt actions are those exempt now, none of
    which is published, so it holds nothing a public paper or workbook must not carry
    (`check.checked.exempt_when_reported`). Otherwise it is left unrecorded, and nothing is carried from it."""
    if paper is None or folder is None or paper.edition != "restricted" or paper.exempt_refs is not None:
        return paper
    return replace(paper, exempt_refs=()) if built_from(folder, files, workspace) else paper


def reported_found(outputs: Path, paper: Paper | None) -> Paper | None:
    """`paper` with the period each carried-forward row's status was reported in, where a draft kept before rows
    recorded it left it blank: the kept drafts were followed back, each the draft a build of its period carried
    from (`carry_source`), to the one that shows the action updated or records when. Without it the next paper
    and the history said "as last reported" with no month, though the drafts kept show it. A row the drafts do not
    show so (the chain broken by a draft that lacks the action or cannot be read) stays blank, and is said so where
    shown (`REPORTED_UNKNOWN`)."""
    if paper is None:
        return None
    unknown = {row.ref for row in paper.rows if row.state == UpdateState.CARRIED_FORWARD.value and not row.reported}
    found: dict[int, str] = {}
    period = paper.period
    while unknown and (source := carry_source(outputs, period)) is not None:
        earlier = read_kept_paper(source)[0]
        if earlier is None:
            break
        rows = {row.ref: row for row in reversed(earlier.rows)}  # a ref twice: its first row, as the paper counts
        for ref in list(unknown):
            row = rows.get(ref)
            when = "" if row is None else row.repeats or row.reported or (
                earlier.period if row.state == UpdateState.UPDATED.value else "")
            if row is None or when:
                unknown.discard(ref)
            if when:
                found[ref] = when
        period = earlier.period
    if not found:
        return paper
    sections = tuple(replace(section, rows=tuple(replace(row, reported=found[row.ref])
                                                 if row.ref in found and not row.reported
                                                 and row.state == UpdateState.CARRIED_FORWARD.value else row
                                                 for row in section.rows))
                     for section in paper.sections)
    return replace(paper, sections=sections)


def unrecorded(paper: Paper | None) -> bool:
    """Whether `paper` is a restricted draft kept before drafts recorded their exempt actions, not shown to hold
    nothing exempt now (`exemptions_known`): any action in it may have been exempt, so none of it is published."""
    return paper is not None and paper.edition == "restricted" and paper.exempt_refs is None


def public_beside(outputs: Path, source: Path | None) -> Path | None:
    """The newest public draft of the carry source's period (None when none was kept): built from that period's
    returns, it left the exempt actions out and counted them, so it holds nothing a public paper must not carry."""
    if source is None:
        return None
    return next((folder for folder in reversed(drafts.draft_folders(outputs))
                 if folder.parent.name == source.parent.name and edition_of(folder) == "public"), None)


def carried_in_public(outputs: Path, source: Path | None, paper: Paper | None,
                      wording: Literal["", "prefill"] = "") -> tuple[Path | None, Paper | None, list[Issue]]:
    """The carry source (`source`, its `paper`) as the public edition and the partners' workbooks read it.

    A restricted draft that is `unrecorded` (kept by an older reportgen, the register or reportgen.toml edited since)
    gives way to the newest public draft of its period, which is safe to carry: without it the public paper would
    show every action unreported, and the workbooks blank, for want of a record the public draft does not need.
    With no public draft to read, `source` stays (nothing of it is carried, each action said) and an
    `exemptions-unrecorded` error names the build that records which actions are exempt."""
    if not unrecorded(paper) or source is None:
        return source, paper, []
    instead = public_beside(outputs, source)
    found, problems = read_kept_paper(instead, wording)
    if instead is not None and found is not None:
        return instead, found, problems
    period = source.parent.name
    return source, paper, [*problems, issue("exemptions-unrecorded", wording, period=period,
                                            label=period_label(period), draft=source.relative_to(outputs).as_posix(),
                                            file=source.relative_to(outputs.parent).as_posix())]


def exemptions_dropped(register: Register, previous: Paper | None, previous_name: str, heading: str) -> list[Issue]:
    """A warning when the register has no exemption column at all but the previous period's draft (`previous`, kept
    as `previous_name`) had exempt actions: a column deleted or renamed past recognition would otherwise publish
    them with no word. A register that never marked any stays quiet."""
    if previous is None or "exempt" not in register.absent:
        return []
    # a public draft counts those it left out; a restricted one lists those it marked
    count = previous.exempt_count or len(previous.exempt_refs or ())
    if not count:
        return []
    return [issue("exempt-column-gone", file=register.path, sheet=register.sheet, value=heading,
                  draft=previous_name, exempt_actions=counted(count, "action"))]


def unread_source(folder: Path | None, paper: Paper | None, files: tuple[Path, ...], workspace: Path) -> bool:
    """Whether the carry source in `folder` could not be read (`paper` None), nor shown to have been built from
    `files` as they are now: which of its actions were exempt then cannot be known."""
    return folder is not None and paper is None and not built_from(folder, files, workspace)


def edition_of(folder: Path) -> str:
    """A kept draft's edition, from its manifest; "" when that cannot be read."""
    try:
        return drafts.load_manifest(folder).edition
    except ReportgenError:
        return ""


def read_carry_source(folder: Path | None) -> tuple[Paper | None, list[Issue]]:
    """The paper a build carries statuses forward from (`read_kept_paper`). One whose manifest.json is there but
    cannot be read blocks publication (damaged-draft): a draft was kept, and without its statuses the paper would
    say nothing was reported before, which is false. Its draft.json alone damaged stays a warning (unreadable-draft):
    its manifest still records what the draft was built from, and the build says what it carries instead."""
    paper, problems = read_kept_paper(folder)
    if paper is not None or folder is None:
        return paper, problems
    try:
        drafts.load_manifest(folder)
    except ReportgenError as exc:
        return None, [issue("damaged-draft", error=exc, file=str(folder))]
    return None, problems


def read_kept_paper(folder: Path | None, wording: Literal["", "history", "prefill"] = ""
                    ) -> tuple[Paper | None, list[Issue]]:
    """A kept draft's paper (None for no folder); a damaged one is an unreadable-draft warning (in the
    catalogue's `wording` for what the paper was read for), and is skipped, never fatal."""
    if folder is None:
        return None, []
    try:
        return drafts.load_draft(folder)[0], []
    except ReportgenError as exc:
        return None, [issue("unreadable-draft", wording, error=exc, file=str(folder))]
