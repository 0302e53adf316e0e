"""Issues and results printed for a person at a terminal (rich tables), grouped by partner file.

`print_build_summary` is what `reportgen build` and the flow scripts (`python flows/*.py`) print
after a build, so the two cannot tell an officer different things.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from reportgen.issues import Issue, Severity, listing_order
from reportgen.model import Paper
from reportgen.periods import period_label
from reportgen.wording import counted, quoted

if TYPE_CHECKING:  # importing the build for its types only would load the renderers
    from reportgen.diff.render import DiffResult
    from reportgen.run.chase import ChaseRow

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}


MAX_ALIKE = 6  # more warnings (or notes) of one code in one file than this: the first SHOWN_ALIKE, then a count
SHOWN_ALIKE = 3


def print_issues(console: Console, issues: Sequence[Issue], show_info: bool = False, in_csv: bool = True) -> None:
    """One block per file; one line per issue with row, heading and action, then what to do. A run of
    many warnings of one kind in one file (72 actions of a partner whose return is missing) is shown by
    its first few and a count, so the errors and the one real cause are not lost among them. `in_csv`: the
    run wrote them all to an issues.csv (a build does; validate writes nothing)."""
    shown = sorted((i for i in issues if show_info or i.severity is not Severity.INFO), key=listing_order)
    if not shown:
        console.print("No errors or warnings." if issues else "No issues found.")
    for file, group in groupby(shown, key=lambda i: i.file):
        console.print(f"\n[bold]{escape(file or '(workspace)')}[/]")
        items = list(group)
        alike = Counter(_kind(i) for i in items if i.severity is not Severity.ERROR)
        printed: Counter[tuple[str, str]] = Counter()
        for item in items:
            label = f"[{SEVERITY_STYLE[item.severity]}]{item.severity.value:<7}[/]"
            if alike[_kind(item)] > MAX_ALIKE:  # errors are each listed: each needs mending
                printed[_kind(item)] += 1
                if printed[_kind(item)] == SHOWN_ALIKE + 1:
                    more = alike[_kind(item)] - SHOWN_ALIKE
                    console.print(f"  {label} … and {more} more like these "
                                  f"({item.code}; a build lists each in issues.csv)")
                if printed[_kind(item)] > SHOWN_ALIKE:
                    continue
            where = item.place
            console.print(f"  {label} {escape(where + ': ' if where else '')}{escape(item.message)}")
            console.print(f"          [dim]→ {escape(item.advice)}[/]")
    hidden = len(issues) - len(shown)
    if hidden:
        where = "see issues.csv, or --all" if in_csv else "--all shows them"
        console.print(f"\n[dim]{counted(hidden, 'note')} for information not shown ({where}).[/]")


def _kind(item: Issue) -> tuple[str, str]:
    """What makes issues alike enough to fold: their code and its wording. A duplicate that differs from the row
    used (to check with its author) is never folded behind duplicates saying the same (nothing to do)."""
    return item.code, item.wording


def summary_line(issues: Sequence[Issue]) -> str:
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = sum(1 for i in issues if i.severity is Severity.WARNING)
    verdict = "blocks publication" if errors else "nothing blocks publication"
    return f"{counted(errors, 'error')}, {counted(warnings, 'warning')}: {verdict}."


def print_build_summary(console: Console, paper: Paper, issues: Sequence[Issue], chase: Sequence[ChaseRow],
                        comparison: DiffResult | None = None, show_info: bool = False, in_csv: bool = True) -> None:
    """Counts, the issues by file, the verdict, the comparison made and who to chase: the same for
    `validate`, `build` and the flows. A build's caller prints the draft folder after it, as the last
    line (scripts read it from there)."""
    for line in paper_summary(paper):
        console.print(escape(line))
    print_issues(console, issues, show_info=show_info, in_csv=in_csv)
    console.print(summary_line(issues))
    if comparison is not None:
        console.print(f"Compared with {escape(str(comparison.old))}: {escape(str(comparison.folder))}")
    listed = [(row, reasons) for row in chase if (reasons := chase_reasons(row))]
    for heading in (TO_CHASE, REGISTER_TO_CORRECT, SETTINGS_TO_CORRECT):
        rows = [(row, reasons) for row, reasons in listed if chase_heading(row) == heading]
        if rows:
            console.print(f"{heading}:")
            for row, reasons in rows:
                console.print(f"  {escape(row.partner)}: {escape(reasons)}")


TO_CHASE = "To chase"
REGISTER_TO_CORRECT = "Not to chase, the register to correct"
SETTINGS_TO_CORRECT = "Not to chase, reportgen.toml to correct"


def chase_heading(row: ChaseRow) -> str:
    """Which list a partner with something to say is under: to chase, or not, as its register or the workspace's
    settings are to correct (every return lacking one column alike: `ChaseRow.settings_to_correct`)."""
    if register_to_correct(row):
        return REGISTER_TO_CORRECT
    return SETTINGS_TO_CORRECT if row.settings_to_correct else TO_CHASE


def register_to_correct(row: ChaseRow) -> bool:
    """Whether the partner is listed only for the register writing its lead two ways: it returned (or its other
    spelling did), so nobody is to chase it; the officer corrects the register."""
    return bool(row.unread_spelling or row.other_spelling)


def chase_reasons(row: ChaseRow) -> str:
    """Why a partner is on the chase list, in words; "" when there is nothing to chase."""
    if row.misfiled:  # its return came, saved in another period's folder: the officer moves it, nobody is chased
        return ""
    if row.unread_spelling:  # its return came: the register is to correct, not the partner to chase
        return f"returned ({row.file}), not read until the register writes its lead one way: not to chase"
    if row.other_spelling:  # the register's other spelling of it returned: nothing it can send
        return (f"no return under this spelling; the register writes it {quoted(row.other_spelling)} elsewhere, whose "
                f"return ({row.other_spelling_file}) is read: write the lead one way, not to chase")
    if row.settings_to_correct:  # its file is fine: every return lacks the same column as reportgen.toml reads them
        return f"returned ({row.file}), not read until reportgen.toml names its column (see above)"
    reasons = []
    if row.unusable:  # it sent something, which could not be read: `reportgen chase` reminds it, saying why
        reasons.append(f"what it sent could not be read ({row.file})")
    elif not row.returned and row.fits_unread:  # whose it is cannot be known: said, never guessed
        reasons.append(f"no return read ({row.fits_unread} fits its name and another lead's, and was not read)")
    elif not row.returned:
        reasons.append("no return")
    elif row.made_for:  # not read: `reportgen chase` reminds it, as a partner that sent none
        reasons.append(f"sent the workbook made for {period_label(row.made_for)} ({row.file}), not this period's")
    if row.no_update:
        reasons.append(f"{len(row.no_update)} of {counted(row.actions_led, 'action')} not updated "
                       f"({_refs(row.no_update)})")
    if row.by_others:
        # named as actions: a bare "22 updated" beside "10 of 10 actions" read as a count
        which = "action" if len(row.by_others) == 1 else "actions"
        reasons.append(f"{which} {_refs(row.by_others)} updated only in another partner's return")
    if row.sent_back_as_prefilled:
        reasons.append(f"workbook sent back as it was pre-filled ({row.file})")  # `reportgen chase` reminds it
    if row.errors and not row.unusable:  # an unusable file's errors are why it could not be read, said above
        where = "; ".join(row.error_files) or row.all_files or "its return"  # only the files holding them
        reasons.append(f"{counted(row.errors, 'error')} in {where}")
    return "; ".join(reasons)


def _refs(refs: Sequence[int], shown: int = 10) -> str:
    return ", ".join(str(ref) for ref in refs[:shown]) + (", …" if len(refs) > shown else "")


def print_returns(console: Console, written: Sequence[Path], issues: Sequence[Issue]) -> None:
    """The issues met writing pre-filled return workbooks, then each workbook written."""
    if issues:
        print_issues(console, issues, show_info=True)
    for path in written:
        console.print(escape(str(path)))


def status_counts(paper: Paper) -> str:
    """"147 actions: Completed 33, …, On hold 0, status not recognised 2.": every action accounted for, the
    ones with no status or one not recognised too, wherever the counts are told (terminal, run log, artifacts)."""
    parts = [f"{status} {count}" for status, count in paper.counts]
    not_recognised = paper.unrecognised - paper.no_status
    if paper.no_status:
        parts.append(f"no update {paper.no_status}")
    if not_recognised:
        parts.append(f"status not recognised {not_recognised}")
    return f"{counted(paper.total, 'action')}: " + ", ".join(parts) + "."


def paper_summary(paper: Paper) -> list[str]:
    """What the paper holds, the same for `validate`, `build` and the flows: every action accounted for."""
    lines = [f"{paper.period} ({paper.edition} edition): {status_counts(paper)}"]
    if paper.exempt_count:
        kept = "left out of this edition" if paper.edition == "public" else "included (restricted edition)"
        lines.append(f"{counted(paper.exempt_count, 'exempt action')} {kept}.")
    if paper.carried_forward:
        source = f" from {paper.carried_from}" if paper.carried_from else ""
        carry = "carries its" if paper.carried_forward == 1 else "carry their"
        lines.append(f"{counted(paper.carried_forward, 'action')} had no update this period and {carry} last "
                     f"status{source}.")
    if paper.revises:
        lines.append(revision_line(paper))
    return lines


CORRECTIONS_SAID = 10  # in the summary line of a revised paper; its paper lists every one


def revision_line(paper: Paper) -> str:
    """For a revised paper: the draft it corrects and what it corrects there, so that `validate --revises` shows the
    officer what the revision will say before it is built."""
    said = [f"action {move.ref} was '{move.old}', now '{move.new}'" for move in paper.changes[:CORRECTIONS_SAID]]
    if len(paper.changes) > CORRECTIONS_SAID:
        said.append(f"{len(paper.changes) - CORRECTIONS_SAID:,} more")
    what = "; ".join(said) if said else "no action's status changed"
    return f"Revised paper, correcting draft {paper.revises}: {what}."
