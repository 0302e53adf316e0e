"""Read and check a workspace's inputs: the register, each return, the merge. Writes nothing.

`check_inputs` is the whole front half of the data path; `build_draft` and `validate_draft` both
run it (through the same stages) and render from its result. Each step is a stage function a
Prefect task can wrap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen.errors import ReportgenError
from reportgen.issues import Issue, Severity, issue
from reportgen.merge import LastReported, last_reported_in_merge, merge_returns
from reportgen.model import MergedRegister, Paper, PartnerReturn, Register
from reportgen.partners import Assignment, assign_returns
from reportgen.register import read_register
from reportgen.returns import read_return, validate_return
from reportgen.workspace import Inputs, earlier_periods, list_returns


@dataclass(frozen=True)
class Checked:
    inputs: Inputs
    register: Register
    returns: tuple[PartnerReturn, ...]
    merged: MergedRegister
    issues: tuple[Issue, ...] = field(default=())
    assignment: Assignment | None = None  # which file was read for which lead
    carried_from: str = ""  # where carried-forward statuses come from ("draft 2026-09/draft-01", "the 2026-09 returns")

    @property
    def blocking(self) -> list[Issue]:
        return [i for i in self.issues if i.blocking]


def load_register(inputs: Inputs) -> tuple[Register, list[Issue]]:
    register, issues = read_register(inputs.register, inputs.settings, inputs.display(inputs.register))
    if register is None or not register.actions:
        detail = "; ".join(i.message for i in issues if i.blocking) or "it holds no actions"
        raise ReportgenError(f"cannot read the register {inputs.display(inputs.register)}: {detail}")
    return register, issues


def assign(inputs: Inputs, register: Register, files: tuple[Path, ...] | None = None) -> Assignment:
    """Which of the period's files is each lead's return (the one rule of `reportgen.partners`)."""
    paths = inputs.returns if files is None else files
    return assign_returns(paths, register.leads, inputs.settings.partners,
                          {path: inputs.display(path) for path in paths})


def load_return(inputs: Inputs, register: Register, path: Path, partner: str | None
                ) -> tuple[PartnerReturn | None, list[Issue]]:
    shown = inputs.display(path)
    issues: list[Issue] = []
    if partner is None:
        issues.append(issue("unknown-partner", f"{shown}: the file name matches no lead in the register "
                            f"({', '.join(register.leads)}).", file=shown))
    read, found = read_return(path, inputs.settings, shown, partner or path.stem)
    issues += found
    if read is None:
        return None, issues
    checked, found = validate_return(read, register, inputs.settings)
    return checked, issues + found


def read_returns(inputs: Inputs, register: Register, assignment: Assignment
                 ) -> tuple[list[PartnerReturn], list[Issue]]:
    """Each lead's chosen file, then the files that match no lead, in folder order."""
    chosen = {path: lead for lead, path in assignment.by_lead.items()}
    returns: list[PartnerReturn] = []
    issues: list[Issue] = list(assignment.issues)
    for path in sorted((*chosen, *assignment.unmatched)):
        partner_return, found = load_return(inputs, register, path, chosen.get(path))
        issues += found
        if partner_return is not None:
            returns.append(partner_return)
    return returns, issues


def missing_returns(register: Register, inputs: Inputs, assignment: Assignment) -> list[Issue]:
    """Leads with no file for the period (a file that could not be read is reported on its own)."""
    return [
        issue("missing-return", f"{lead} sent no return for {inputs.period}.", value=lead)
        for lead in register.leads
        if lead not in assignment.by_lead
    ]


def last_reported_in_returns(inputs: Inputs, register: Register
                             ) -> tuple[Mapping[int, LastReported], str, list[Issue]]:
    """What the newest earlier period's returns said, when no draft was kept for an earlier period.

    Read and checked as usual; what was wrong in them is kept for information (it was that period's
    to fix, and an action they left unclear is simply not carried).
    """
    for period in earlier_periods(inputs.workspace, inputs.period):
        files, _listing = list_returns(inputs.workspace / "inputs" / "returns" / period, inputs.workspace)
        if not files:
            continue
        earlier = replace(inputs, period=period, returns=tuple(files))
        returns, issues = read_returns(earlier, register, assign(earlier, register))
        merged, _ = merge_returns(register, returns, period)
        noted = [replace(item, severity=Severity.INFO, message=f"({period}, read to carry statuses forward) "
                         + item.message) for item in issues]
        return last_reported_in_merge(merged), f"the {period} returns", noted
    return {}, "", []


def check_inputs(inputs: Inputs, previous: Paper | None = None, previous_name: str = "",
                 found: list[Issue] | None = None) -> Checked:
    """Register, returns and merge. With no earlier draft (`previous`), statuses are carried from the
    newest earlier period's returns."""
    issues = list(found or [])
    register, register_issues = load_register(inputs)
    issues += register_issues
    assignment = assign(inputs, register)
    returns, return_issues = read_returns(inputs, register, assignment)
    issues += return_issues
    issues += missing_returns(register, inputs, assignment)
    carried: Paper | Mapping[int, LastReported] | None = previous
    source = f"draft {previous_name or 'kept earlier'}"
    if previous is None:
        carried, previous_name, earlier_issues = last_reported_in_returns(inputs, register)
        source = previous_name
        issues += earlier_issues
    merged, merge_issues = merge_returns(register, returns, inputs.period, carried, previous_name)
    issues += merge_issues
    return Checked(inputs, register, tuple(returns), merged, tuple(issues), assignment, source if carried else "")
