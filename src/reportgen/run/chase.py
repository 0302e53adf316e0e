"""The chase list: per lead partner, whether a return came in, which actions still have no update,
and what was wrong with what they sent; plus the check for a pre-filled return sent back untouched.

It reads a `Checked` (and what the period's workbooks were pre-filled with) and renders text (CSV,
Markdown). It reads no files and writes none: the CLI and the monthly flow decide where the text goes.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.check.checked import Checked
from reportgen.check.editions import PublicView, is_withheld
from reportgen.issues import Issue, Severity, issue
from reportgen.model import MergedAction, PartnerReturn, Update, UpdateState
from reportgen.run.prefill import BLANK, Prefill, prefill_values
from reportgen.safe_cells import text_for_spreadsheet

CHASE_HEADINGS = ("Partner", "Returned", "File", "Actions led", "Updated", "No update (refs)", "Errors",
                  "Warnings", "Issues", "Returned as sent (refs)")


@dataclass(frozen=True)
class ChaseRow:
    partner: str
    returned: bool  # a file named after the partner is in the period's returns folder (even unreadable)
    file: str  # the file(s) as the officer sees them, "; "-joined
    actions_led: int
    updated: int  # actions the partner leads that a return (from anyone) updated this period, not as sent
    no_update: tuple[int, ...]  # refs the partner leads with no update this period
    errors: int  # issues found in the partner's file(s), by severity
    warnings: int
    issues: str  # e.g. "unknown-status ×1; empty-status ×1"
    # refs the partner leads whose row came back exactly as its workbook was pre-filled (status, explanation
    # and timeframe unchanged): returned, but with nothing new; not counted in `updated`
    as_sent: tuple[int, ...] = ()


def chase_list(checked: Checked, extra_issues: Iterable[Issue] = (), public: PublicView | None = None,
               prefill: Mapping[int, Prefill] | None = None) -> list[ChaseRow]:
    """One row per lead in register order, then one per return file that matches no lead.

    `extra_issues` (e.g. from `unchanged_returns`) are counted against the file they name, like the
    issues in `checked`. With `public` (the public edition) only published actions and their leads
    are listed, and issues are counted as the public edition shows them. With `prefill` (what the
    period's workbooks were pre-filled with, `prefill_values`), an update equal to it is returned as
    sent, not updated.
    """
    inputs = checked.inputs
    assignment = checked.assignment
    leads = public.public_leads if public else checked.register.leads
    files: dict[str, list[str]] = {lead: [] for lead in leads}
    for lead, path in assignment.by_lead.items():
        if lead in files:
            files[lead].append(inputs.display(path))
    # (file stem, file) of returns matching no lead
    strangers = [(path.stem, inputs.display(path)) for path in assignment.unmatched]
    by_file: dict[str, list[Issue]] = {}
    found_issues = [i for i in (*checked.issues, *extra_issues) if not (public and is_withheld(i, public))]
    for found in found_issues:
        by_file.setdefault(found.file, []).append(found)
    rows = []
    for lead, shown in files.items():
        led = [item for item in checked.merged.actions
               if item.action.lead == lead and not (public and item.action.exempt)]
        missing = tuple(item.ref for item in led if item.state is not UpdateState.UPDATED)
        as_sent = tuple(item.ref for item in led
                        if item.state is UpdateState.UPDATED and prefill is not None and _as_sent(item, prefill))
        rows.append(_row(lead, shown, len(led), len(led) - len(missing) - len(as_sent), missing, by_file, as_sent))
    rows += [_row(stem, [shown], 0, 0, (), by_file) for stem, shown in strangers]
    return rows


def _row(partner: str, shown: Sequence[str], led: int, updated: int, missing: tuple[int, ...],
         by_file: dict[str, list[Issue]], as_sent: tuple[int, ...] = ()) -> ChaseRow:
    found = [item for file in shown for item in by_file.get(file, [])]
    return ChaseRow(
        partner=partner,
        returned=bool(shown),
        file="; ".join(shown),
        actions_led=led,
        updated=updated,
        no_update=missing,
        errors=sum(1 for item in found if item.severity is Severity.ERROR),
        warnings=sum(1 for item in found if item.severity is Severity.WARNING),
        issues=summarise(found),
        as_sent=as_sent,
    )


def summarise(issues: Iterable[Issue]) -> str:
    """Issue codes with counts, in order of first appearance: 'unknown-status ×2; empty-status ×1'."""
    counts = Counter(item.code for item in issues)
    return "; ".join(f"{code} ×{count}" for code, count in counts.items())


def _cells(row: ChaseRow) -> list[str]:
    return [row.partner, "Yes" if row.returned else "No", row.file, str(row.actions_led), str(row.updated),
            ", ".join(str(ref) for ref in row.no_update), str(row.errors), str(row.warnings), row.issues,
            ", ".join(str(ref) for ref in row.as_sent)]


def chase_csv(rows: Iterable[ChaseRow]) -> str:
    """The chase list as CSV text; no cell can become a formula in Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CHASE_HEADINGS)
    for row in rows:
        writer.writerow([text_for_spreadsheet(cell) for cell in _cells(row)])
    return out.getvalue()


def chase_markdown(rows: Iterable[ChaseRow]) -> str:
    """The chase list as a Markdown table (for a Prefect artifact); pipes and line breaks escaped."""
    lines = ["| " + " | ".join(CHASE_HEADINGS) + " |", "|" + " --- |" * len(CHASE_HEADINGS)]
    for row in rows:
        lines.append("| " + " | ".join(_markdown_cell(cell) for cell in _cells(row)) + " |")
    return "\n".join(lines) + "\n"


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def unchanged_returns(checked: Checked) -> list[Issue]:
    """The checked returns sent back untouched (`untouched_returns`), against what their workbooks were
    pre-filled with: what the build carried forward (`reportgen.run.prefill.prefill_values`)."""
    return untouched_returns(checked.returns, prefill_values(checked.carried))


def _as_sent(update: Update | MergedAction, prefill: Mapping[int, Prefill]) -> bool:
    """Whether a return's row (or the update merged from it) is what its workbook was pre-filled with."""
    return (update.status_as_written, update.explanation, update.timeframe) == prefill.get(update.ref, BLANK)


def untouched_returns(returns: Sequence[PartnerReturn], prefill: Mapping[int, Prefill]) -> list[Issue]:
    """A return whose every update equals what its pre-filled workbook held (`reportgen.run.prefill`):
    sent back untouched. A row pre-filled with nothing was blank, so a return of blank rows is the
    unchanged blank workbook."""
    issues = []
    for partner_return in returns:
        updates = partner_return.updates
        if updates and all(_as_sent(u, prefill) for u in updates):
            name = Path(partner_return.path).name
            issues.append(issue("unchanged-return", workbook=name, file=partner_return.path,
                                sheet=partner_return.sheet, value=partner_return.partner))
    return issues
