"""`write_return_workbooks`: the run that makes a period's pre-filled partner return workbooks.

It reads what the workbooks need as a build reads it (the workspace's inputs, the register, and what
a build of the period carries forward: the kept draft of an earlier period, or the newest earlier
period's returns no draft was built from, by the same rule; and, for a period a later period already has drafts
of, the register its newest draft was built from, as a build of it reads: `register_for`) and hands that to
`reportgen.run.return_workbooks`, which only writes. The mail steps read through `read_for_workbooks`
too, so a mailed workbook and a written one are filled from the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reportgen.check.checked import load_register, not_read_whole, sent_copies
from reportgen.drafts import folders as drafts
from reportgen.drafts.earlier import register_for
from reportgen.issues import Issue
from reportgen.model import Register
from reportgen.read.workspace import Inputs, find_inputs
from reportgen.run.prefill import Prefill, workbook_prefill
from reportgen.run.return_workbooks import workbook_date_issues, write_workbooks


@dataclass(frozen=True)
class WorkbookInputs:
    """What a period's return workbooks are made from."""

    inputs: Inputs
    register: Register
    prefill: Mapping[int, Prefill]  # ref -> as last reported before the period; empty: blank workbooks
    register_issues: tuple[Issue, ...] = ()
    previous_issues: tuple[Issue, ...] = ()  # what was last reported could not be read, or there is none
    kept_issues: tuple[Issue, ...] = ()  # the register read is not today's, or is though the period's plan differs


def read_for_workbooks(workspace: Path, period: str, todays_register: bool = False) -> WorkbookInputs:
    """The inputs, register and pre-filled values of `period`; raises ReportgenError with no register.

    The register is the one a build of the period reads (`register_for`): a period a later period already has drafts
    of keeps its plan, so its workbooks list the actions its paper does, under its sections' names then;
    `todays_register`, today's."""
    # the returns folder of a period is made when its returns come in: not needed to write workbooks for it
    inputs, _returns_folder_issues = find_inputs(workspace, period, need_returns=False)
    inputs, kept_issues = register_for(inputs, todays_register)
    register, register_issues = load_register(inputs)
    prefill, prefill_issues = workbook_prefill(inputs, register)
    return WorkbookInputs(inputs, register, prefill, tuple(register_issues), tuple(prefill_issues),
                          tuple(kept_issues))


def write_return_workbooks(workspace: Path, period: str, out: Path | None = None,
                           on_written: Callable[[Path], None] | None = None, todays_register: bool = False
                           ) -> tuple[list[Path], list[Issue]]:
    """Write one pre-filled return workbook per lead into `out` (default `outputs/<period>/returns/`).

    Refuses with `UsageError` naming the file when any workbook already exists, before writing any. Writes none
    when part of the register could not be read (`not_read_whole`: its errors, then that one).
    `on_written` is told the folder once the whole set is in it (a stop held till then: `place_whole`).
    Returns the files written, in register order, and the issues met (register, earlier draft, names, a
    hidden folder a killed run had left, removed), the register read first when it is not today's (`kept-register`).
    `todays_register`: see `read_for_workbooks`.
    """
    read = read_for_workbooks(workspace, period, todays_register)
    inputs = read.inputs
    if refused := not_read_whole(read.register):  # none written: each would lack the actions not read
        return [], [*read.kept_issues, *read.register_issues, *refused]
    if out is not None:
        drafts.check_out_place(out, inputs.workspace, new=False)  # the workbooks go in `out`, which may exist
    folder = out if out is not None else sent_copies(inputs)  # where a CSV return is judged against them
    written, names = write_workbooks(read.register, read.prefill, inputs.period, inputs.settings, folder,
                                     on_written)
    dates = workbook_date_issues(inputs.settings, inputs.period)
    return written, [*read.kept_issues, *dates, *read.register_issues, *read.previous_issues, *names]
