"""Read and check a workspace's inputs: the register, each return, the merge. Writes nothing.

`check_inputs` is the whole front half of the data path; `reportgen validate` prints its issues and
`build_draft` renders from its result. Each step is a stage function a Prefect task can wrap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.errors import ReportgenError
from reportgen.issues import Issue, issue
from reportgen.merge import merge_returns
from reportgen.model import MergedRegister, Paper, PartnerReturn, Register
from reportgen.register import check_partners, read_register
from reportgen.returns import partner_for, read_return, validate_return
from reportgen.workspace import Inputs


@dataclass(frozen=True)
class Checked:
    inputs: Inputs
    register: Register
    returns: tuple[PartnerReturn, ...]
    merged: MergedRegister
    issues: tuple[Issue, ...] = field(default=())

    @property
    def blocking(self) -> list[Issue]:
        return [i for i in self.issues if i.blocking]


def load_register(inputs: Inputs) -> tuple[Register, list[Issue]]:
    register, issues = read_register(inputs.register, inputs.settings, inputs.display(inputs.register))
    if register is None or not register.actions:
        detail = "; ".join(i.message for i in issues if i.blocking) or "it holds no actions"
        raise ReportgenError(f"cannot read the register {inputs.display(inputs.register)}: {detail}")
    return register, issues


def load_return(inputs: Inputs, register: Register, index: int) -> tuple[PartnerReturn | None, list[Issue]]:
    path = inputs.returns[index]
    shown = inputs.display(path)
    partner = partner_for(path, register)
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


def missing_returns(register: Register, inputs: Inputs) -> list[Issue]:
    """Leads with no file for the period (a file that could not be read is reported on its own)."""
    sent = {partner_for(path, register) for path in inputs.returns}
    return [
        issue("missing-return", f"{lead} sent no return for {inputs.period}.", value=lead)
        for lead in register.leads
        if lead not in sent
    ]


def check_inputs(inputs: Inputs, previous: Paper | None = None, previous_name: str = "",
                 found: list[Issue] | None = None) -> Checked:
    issues = list(found or [])
    register, register_issues = load_register(inputs)
    issues += register_issues + check_partners(inputs.settings, register)
    returns: list[PartnerReturn] = []
    for index in range(len(inputs.returns)):
        partner_return, return_issues = load_return(inputs, register, index)
        issues += return_issues
        if partner_return is not None:
            returns.append(partner_return)
    issues += missing_returns(register, inputs)
    merged, merge_issues = merge_returns(register, returns, inputs.period, previous, previous_name)
    issues += merge_issues
    return Checked(inputs, register, tuple(returns), merged, tuple(issues))
