"""What a period's return workbooks are pre-filled with: each action as last reported before the period,
by the rule a build of the period carries statuses forward by (`reportgen.check.checked.last_reported`:
the kept draft of an earlier period, overlaid by the returns of later periods no draft was built from).

One rule for the three places that need it: writing the workbooks (`reportgen.run.returns`), and telling
a return sent back untouched, in a build (`reportgen.run.chase.unchanged_returns`) and as it is
collected by email (`reportgen.mail.collect`). Imports no openpyxl.
"""

from __future__ import annotations

from collections.abc import Mapping

from reportgen.check.checked import last_reported
from reportgen.check.merge import LastReported
from reportgen.drafts.earlier import carry_source, read_kept_paper, restricted_beside
from reportgen.issues import Issue, issue
from reportgen.model import Paper, Register
from reportgen.paper.richtext import typed_again
from reportgen.read.workspace import Inputs

Prefill = tuple[str, str, str]  # status, explanation, timeframe as pre-filled
BLANK: Prefill = ("", "", "")


def workbook_prefill(inputs: Inputs, register: Register) -> tuple[dict[int, Prefill], list[Issue]]:
    """ref -> what the period's workbook row is pre-filled with; issues: the draft could not be read, or
    nothing was reported before the period (the workbooks are blank)."""
    source = carry_source(inputs.outputs, inputs.period)
    previous, issues = read_kept_paper(source, "prefill")
    name = source.relative_to(inputs.outputs).as_posix() if source is not None and previous is not None else ""
    beside = restricted_beside(inputs.outputs, source) if previous is not None else None
    restricted, unreadable = read_kept_paper(beside, "prefill")
    issues += unreadable
    restricted_name = beside.relative_to(inputs.outputs).as_posix() if beside is not None else ""
    carried, _where, _earlier_problems = last_reported(inputs, register, previous, name, restricted, restricted_name)
    values = prefill_values(previous, carried)
    if not values and register.actions:
        issues.append(issue("blank-workbooks", period=inputs.period))
    return values, issues


def prefill_values(previous: Paper | None, carried: Mapping[int, LastReported] | None = None) -> dict[int, Prefill]:
    """ref -> (status, explanation, timeframe) as pre-filled: from the kept draft `previous` (a status it
    did not recognise left blank), overlaid by `carried` (what a build carries forward); an explanation
    of HTML fragments is written as a partner types it (`typed_again`)."""
    values = {row.ref: (row.status_label if row.status is not None else "", typed_again(row.explanation),
                        row.timeframe)
              for row in (previous.rows if previous is not None else ())}
    for ref, last in (carried or {}).items():
        values[ref] = (last.status_label, typed_again(last.explanation), last.timeframe)
    return values
