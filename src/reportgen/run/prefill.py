"""What a period's return workbooks are pre-filled with: each action as last reported before the period,
by the rule a build of the period carries statuses forward by (`reportgen.check.checked.last_reported`:
the kept draft of an earlier period, overlaid by the returns of later periods no draft was built from).

An action whose last update had no recognised status keeps its explanation and timeframe, its status
left blank for the partner to choose from the workbook's list (as a build of the period shows it: no
update, no status, that wording); `workbook_prefill` says so for each such action, and for each action
nothing was reported for, whether the values come from a kept draft or from the returns.

One rule for the three places that need it: writing the workbooks (`reportgen.run.returns`), and telling
a return sent back untouched, in a build (`reportgen.run.chase.unchanged_returns`) and as it is
collected by email (`reportgen.mail.collect`). Imports no openpyxl.
"""

from __future__ import annotations

from collections.abc import Mapping

from reportgen.check.checked import exempt_when_reported, last_reported, unread_when_reported
from reportgen.check.merge import LastReported, Prefill, prefilled, reported_when
from reportgen.drafts.earlier import (
    carried_in_public,
    carry_source,
    exemptions_known,
    misplaced_issues,
    read_kept_paper,
    reported_found,
    restricted_beside,
    returns_after,
    unfinished_issues,
    unread_source,
)
from reportgen.issues import Issue, issue
from reportgen.model import Register
from reportgen.periods import period_label
from reportgen.read.workspace import Inputs


def workbook_prefill(inputs: Inputs, register: Register) -> tuple[dict[int, Prefill], list[Issue]]:
    """ref -> what the period's workbook row is pre-filled with; issues: the draft could not be read,
    nothing was reported before the period (the workbooks are blank), or an action's row is not fully
    pre-filled (`not_prefilled`)."""
    carried, issues = prefill_carried(inputs, register)
    return prefill_values(carried), [*misplaced_issues(inputs.outputs), *unfinished_issues(inputs.outputs), *issues]


def prefill_carried(inputs: Inputs, register: Register) -> tuple[dict[int, LastReported], list[Issue]]:
    """ref -> what the period's workbook rows are pre-filled from (`prefill_values`), as a build of the period
    carries it forward; issues as `workbook_prefill`'s."""
    source = carry_source(inputs.outputs, inputs.period)
    previous, issues = read_kept_paper(source, "prefill")
    files = inputs.exemption_files
    previous = exemptions_known(previous, source, files, inputs.workspace)  # as a build reads it
    source, previous, instead = carried_in_public(inputs.outputs, source, previous, "prefill")  # as the public one
    issues += [*instead, *returns_after(inputs.outputs, source, inputs.workspace, "prefill")]
    name = source.relative_to(inputs.outputs).as_posix() if source is not None and previous is not None else ""
    beside = restricted_beside(inputs.outputs, source) if previous is not None else None
    restricted, unreadable = read_kept_paper(beside, "prefill")
    previous, restricted = reported_found(inputs.outputs, previous), reported_found(inputs.outputs, restricted)
    issues += unreadable
    restricted_name = beside.relative_to(inputs.outputs).as_posix() if beside is not None else ""
    carried, _where, _earlier_problems = last_reported(inputs, register, previous, name, restricted, restricted_name)
    unread = source.relative_to(inputs.outputs).as_posix() \
        if source is not None and unread_source(source, previous, files, inputs.workspace) else ""
    withheld = unread_when_reported(carried, unread) if unread else exempt_when_reported(register, previous, carried)
    carried = {ref: last for ref, last in carried.items() if ref not in withheld}
    if not carried and not withheld and register.actions:  # withheld: each row says why it is blank
        issues.append(issue("blank-workbooks", period=inputs.period))
    else:
        unrecorded = previous is not None and previous.edition == "restricted" and previous.exempt_refs is None
        issues += not_prefilled(register, carried, inputs.period, withheld, unread, unrecorded)
    return carried, issues


def prefill_values(carried: Mapping[int, LastReported]) -> dict[int, Prefill]:
    """ref -> (status, explanation, timeframe) as pre-filled: what a build carries forward (`carried`), each row
    by the rule the merge tells a row sent back as it was pre-filled by (`reportgen.check.merge.prefilled`)."""
    return {ref: prefilled(last) for ref, last in carried.items()}


def not_prefilled(register: Register, carried: Mapping[int, LastReported], period: str,
                  withheld: Mapping[int, LastReported] | None = None, unread: str = "", unrecorded: bool = False
                  ) -> list[Issue]:
    """An issue for each of the register's actions whose workbook row leaves the status blank (its last
    update had none recognised: said with the status as written, when known) or is blank (nothing was
    reported for it before `period`, or what was is `withheld`: reported while the action, published now, was
    exempt, or perhaps exempt: the draft `unread` of its period not readable, or a restricted one kept before drafts
    recorded their exempt actions, `unrecorded`), in register order. A row sent
    back as pre-filled is that period's update: what was written for the restricted edition would be published."""
    issues = []
    for action in register.actions:
        last = carried.get(action.ref)
        where = {"lead": action.lead or "no lead", "ref": action.ref, "file": register.path, "row": action.row}
        held = (withheld or {}).get(action.ref)
        if held is not None:
            source = held.source or "the last draft"
            if unread:
                issues.append(issue("not-prefilled", "exempt-unread", source=source, draft=unread, **where))
            else:
                issues.append(issue("not-prefilled", "exempt-unrecorded" if unrecorded else "exempt", source=source,
                                    **where))
        elif last is None:
            issues.append(issue("not-prefilled", "nothing", period=period_label(period), **where))
        elif last.wording_only and last.status_label:
            issues.append(issue("not-prefilled", when=reported_when(last), value=last.status_label, **where))
        elif last.wording_only:
            issues.append(issue("not-prefilled", "no-status", when=reported_when(last), **where))
    return issues
