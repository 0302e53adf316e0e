"""Read and check a workspace's inputs: the register, each return, the merge. Writes nothing.

`check_inputs` is the whole front half of the data path; `build_draft` and `validate_draft` both
run it (through the same stages) and render from its result. Each step is a stage function a
Prefect task can wrap.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from reportgen.check.changed_since_sent import changed_since_sent
from reportgen.check.merge import (
    LastReported,
    last_reported_in_merge,
    merge_returns,
    repeats_last,
    said,
    without_blank_status,
)
from reportgen.check.narrative import check_narrative
from reportgen.check.personal_data import personal_data_issues, register_personal_data
from reportgen.check.sent_before import read_as_corrected, sent_before_correction
from reportgen.errors import ReportgenError
from reportgen.issues import Issue, issue
from reportgen.model import MergedRegister, Paper, PaperRow, PartnerReturn, Register, UpdateState
from reportgen.periods import period_label
from reportgen.read.cells import meant_ref
from reportgen.read.partners import Assignment, assign_returns, file_name_for, match_partner, name_words, same_name
from reportgen.read.register import check_partners, read_register
from reportgen.read.returns import made_for, read_return, validate_return, workbook_lead
from reportgen.read.workspace import Inputs, earlier_periods, list_returns, returns_elsewhere
from reportgen.renumbering import renumbered_since
from reportgen.terms import STATUS_NOT_RECOGNISED
from reportgen.wording import counted


@dataclass(frozen=True)
class Checked:
    inputs: Inputs
    register: Register
    returns: tuple[PartnerReturn, ...]
    merged: MergedRegister
    issues: tuple[Issue, ...]
    assignment: Assignment  # which file was read for which lead: later stages never assign again
    carried_from: str = ""  # where carried-forward statuses come from ("draft 2026-09/draft-01", "the 2026-09 returns")
    carried: Mapping[int, LastReported] = field(default_factory=dict)  # what was carried forward, by ref

    @property
    def blocking(self) -> list[Issue]:
        return [i for i in self.issues if i.blocking]

    @functools.cached_property
    def return_files(self) -> Mapping[str, tuple[str, ...]]:
        """Each lead's return file(s), as displayed (`return_files`); none: it sent no return."""
        return return_files(self.inputs, self.register, self.assignment, self.merged)


def return_files(inputs: Inputs, register: Register, assignment: Assignment, merged: MergedRegister
                 ) -> dict[str, tuple[str, ...]]:
    """Each lead's return file(s), as displayed: the file named after it (even unreadable), then each file
    named after no lead whose rows the merge used for the lead's actions (the lead's return under another
    name). A row of another lead's return is never the lead's: that lead sent it (`not-lead`). A jointly led
    action's row, from a file that is none of its leads' return by its other rows, makes it the return of
    those of its leads with no file of their own, else of each of them. A file whose name fits one lead the register
    writes several ways ('Wessex Police', 'wessex police ') is not read until the register writes it one way, but
    it is that lead's return, under each spelling: the partner is not chased for a return it sent."""
    files = {lead: [inputs.display(path)] if (path := assignment.by_lead.get(lead)) else [] for lead in register.leads}
    for path, fitted in assignment.ambiguous:  # one lead the register spells several ways: its return, not yet read
        if len({same_name(lead) for lead in fitted}) == 1:
            for lead in fitted:
                if lead in files and not files[lead]:
                    files[lead].append(inputs.display(path))
    strangers = {inputs.display(path) for path in assignment.unmatched}
    used = [item for item in merged.actions if item.state is UpdateState.UPDATED and item.source in strangers]
    for item in used:
        found = files.get(item.action.lead)
        if found is not None and item.source not in found:
            found.append(item.source)
    for item in used:
        leads = [lead for lead in item.action.leads if lead in files]
        if len(leads) > 1 and not any(item.source in files[lead] for lead in leads):
            for lead in [lead for lead in leads if not files[lead]] or leads:
                files[lead].append(item.source)
    return {lead: tuple(found) for lead, found in files.items()}


def load_register(inputs: Inputs) -> tuple[Register, list[Issue]]:
    register, issues = read_register(inputs.register, inputs.settings, inputs.display(inputs.register))
    if register is None or not register.actions:
        detail = _why_unread([i for i in issues if i.blocking]) or "it holds no actions"
        raise ReportgenError(f"cannot read the register {inputs.display(inputs.register)}: {detail}")
    return register, issues


SHOWN_PROBLEMS = 3  # a register none of whose rows could be read says its first few, then how many more


def _why_unread(blocking: list[Issue]) -> str:
    """Why no action could be read: the first problems, how many more, then what to do, once per kind (rows left
    out for one kind of reference are already one issue: `bad-ref-rows`). A register with no rows left is said
    only when nothing else is wrong."""
    if any(item.code != "empty-file" for item in blocking):
        blocking = [item for item in blocking if item.code != "empty-file"]
    said = [item.message for item in blocking[:SHOWN_PROBLEMS]]
    if len(blocking) > SHOWN_PROBLEMS:
        rest = Counter(item.code for item in blocking[SHOWN_PROBLEMS:])
        said.append(f"… and {len(blocking) - SHOWN_PROBLEMS} more ({'; '.join(f'{c} ×{n}' for c, n in rest.items())}).")
    advice = dict.fromkeys(item.advice for item in blocking if item.advice)  # in order, each once
    return " ".join([*said, *advice])


def assign(inputs: Inputs, register: Register, files: tuple[Path, ...] | None = None) -> Assignment:
    """Which of the period's files is each lead's return (the one rule of `reportgen.read.partners`)."""
    paths = inputs.returns if files is None else files
    return assign_returns(paths, register.leads, inputs.settings.partners,
                          {path: inputs.display(path) for path in paths}, made_for, inputs.period, workbook_lead)


def load_return(inputs: Inputs, register: Register, path: Path, partner: str | None,
                named: Collection[str] = ()) -> tuple[PartnerReturn | None, list[Issue]]:
    """`partner`: the lead the file is named after; None for a file named after no lead (`named`: the
    leads that have a file named after them, to suggest a name from those that have none)."""
    shown = inputs.display(path)
    read, issues = read_return(path, inputs.settings, shown, partner or path.stem, inputs.period,
                               sent_copies(inputs) if partner else None, register.names)
    checked = None
    if read is not None:
        checked, found = validate_return(read, register, inputs.settings)
        if partner:  # a section or action the register changed since the workbook was sent is not the partner's
            found = changed_since_sent(checked, found, register, inputs.settings, inputs.period, sent_copies(inputs))
        issues += said_already(found, issues)
    if partner is None:  # its updates are used, as far as reading it tells (the merge may say otherwise)
        used: Used = "all" if checked is not None and checked.updates else "none"
        issues.insert(0, unknown_partner(inputs, register, path, checked, named, used))
    return checked, issues


Used = Literal["all", "some", "none"]  # how many of a return's updates the paper uses


def unknown_partner(inputs: Inputs, register: Register, path: Path, checked: PartnerReturn | None,
                    named: Collection[str], used: Used) -> Issue:
    """The `unknown-partner` issue of a file named after no lead, saying how many of its updates are `used`, with a
    name to give it (`named`: the leads that have a file named after them, to suggest one that has none)."""
    example = file_name_for(suggested_lead(register, checked, register.leads, named, path.name),
                            inputs.settings.partners, register.leads)
    fields = {"leads": ", ".join(register.leads), "example": example, "file": inputs.display(path)}
    later = later_name(path.parent, example)
    if later:  # renaming it as suggested would overwrite the lead's own return: say how to add it beside
        return issue("unknown-partner", "name-taken" if used == "all" else "some-name-taken" if used == "some"
                     else "unread-name-taken", later=later, **fields)
    return issue("unknown-partner", "" if used == "all" else "some" if used == "some" else "unread", **fields)


def updates_used(partner_return: PartnerReturn, merged: MergedRegister, refs: Collection[int] | None = None) -> Used:
    """Whether the merge used the return's update of each action it updates (`refs`: of those actions only), of
    some, or of none: a file named after no lead, the lead's return sent again, gives way to the lead's own."""
    updated = {update.ref for update in partner_return.updates if refs is None or update.ref in refs}
    used = {item.ref for item in merged.actions
            if item.state is UpdateState.UPDATED and item.source == partner_return.path} & updated
    return "all" if used == updated else "some" if used else "none"


def used_in_merge(issues: list[Issue], inputs: Inputs, register: Register, assignment: Assignment,
                  returns: Sequence[PartnerReturn], merged: MergedRegister) -> list[Issue]:
    """`issues` with each `unknown-partner` saying what the merge made of its file: reading it, its updates were
    to be used, but an action the lead's own return also updates takes the lead's update, and the file's warning
    said "Its updates are used" above rows each saying "this one is not"."""
    read = {partner_return.path: partner_return for partner_return in returns}
    own = {inputs.display(path): lead for lead, path in assignment.by_lead.items()}
    told = {}
    for path in assignment.unmatched:
        partner_return = read.get(inputs.display(path))
        if partner_return is not None and partner_return.updates:
            used = updates_used(partner_return, merged)
            if (copied := copied_from(partner_return, merged, own)) and used == "none":
                told[partner_return.path] = issue("copied-return", file=partner_return.path, value=own[copied],
                                                  lead_file=copied)
            elif used != "all":
                told[partner_return.path] = unknown_partner(inputs, register, path, partner_return,
                                                            assignment.by_lead.keys(), used)
    return [told.get(item.file or "", item) if item.code == "unknown-partner" else item for item in issues]


def copied_from(partner_return: PartnerReturn, merged: MergedRegister, own: Mapping[str, str]) -> str:
    """The lead's own return (as displayed; `own`: each lead's file, by name) that a file named after no lead
    repeats: each of its rows says word for word what the paper takes from that one file, so nothing in it is
    new (a return saved again under a name of its own, "Copy of …", or a colleague's). "" when it is no copy."""
    used = {item.ref: item for item in merged.actions if item.state is UpdateState.UPDATED}
    sources = {used[update.ref].source if update.ref in used and said(used[update.ref]) == said(update) else ""
               for update in partner_return.updates}
    return next(iter(sources)) if len(sources) == 1 and sources <= own.keys() else ""


def copies_said(issues: Sequence[Issue]) -> list[Issue]:
    """`issues` without those of a file found to be a lead's return copied (`copied-return`) but that warning: it
    says what to do with the file, none of which the paper uses; its rows' warnings (each a `duplicate-update`, an
    action's text changed as the lead's own file's row is said to be) said each thing twice, and counted it twice
    against the lead in chase.csv."""
    copies = {item.file for item in issues if item.code == "copied-return"}
    return [item for item in issues if item.file not in copies or item.code == "copied-return"]


def sent_copies(inputs: Inputs) -> Path:
    """Where `reportgen returns` keeps the period's workbooks (outputs/<period>/returns): the secretariat's copy
    of what each partner was sent, against which a return saved as CSV is judged."""
    return inputs.outputs / inputs.period / "returns"


def later_name(folder: Path, example: str) -> str:
    """When a file named `example` is already in `folder`: the name a later version of it takes beside it
    (opcc.v2.xlsx, or the next number free), read as the newest of that lead's files; "" when it is not there."""
    try:
        names = {path.name.casefold() for path in folder.iterdir()}
    except OSError:
        return ""
    if not example or example.casefold() not in names:
        return ""
    stem, suffix = Path(example).stem, Path(example).suffix
    return next(name for number in range(2, 10_000) if (name := f"{stem}.v{number}{suffix}").casefold() not in names)


def said_already(found: list[Issue], read: Sequence[Issue]) -> list[Issue]:
    """`found` without the empty status of a cell whose formula error (`read`: never calculated, or #REF!) was
    reported: the same cell, read as empty for that reason, is one error to fix, not two."""
    errors = {(item.file, item.sheet, item.row, item.column) for item in read if item.code == "formula-error"}
    return [item for item in found
            if not (item.code == "empty-status" and (item.file, item.sheet, item.row, item.column) in errors)]


def suggested_lead(register: Register, partner_return: PartnerReturn | None, leads: Sequence[str],
                   named: Collection[str], file_name: str = "") -> str:
    """The lead of `leads` a file named after none most likely belongs to: one whose actions it updates
    and that has no file of its own, else one whose actions it updates, else one with no file. Of those
    its rows do not tell apart (none read), the one whose name shares most words with the file's
    ("Fire & Rescue return.xlsx": Northshire Fire & Rescue Service), never just the first listed."""
    leads_of = {action.ref: action.leads for action in register.actions}
    updated = {lead for update in (partner_return.updates if partner_return else ())
               for lead in leads_of.get(update.ref, ())}
    mine = [lead for lead in leads if lead in updated]
    unnamed = [lead for lead in leads if lead not in named]
    candidates = [lead for lead in mine if lead not in named] or mine or unnamed or list(leads)
    if not mine:
        said = name_words(Path(file_name).stem)
        candidates = sorted(candidates, key=lambda lead: -len(said & name_words(lead)))  # stable: ties keep order
    return next(iter(candidates), "")


def read_returns(inputs: Inputs, register: Register, assignment: Assignment
                 ) -> tuple[list[PartnerReturn], list[Issue]]:
    """Each lead's chosen file, then the files that match no lead, in folder order."""
    chosen = {path: lead for lead, path in assignment.by_lead.items()}
    returns: list[PartnerReturn] = []
    issues: list[Issue] = list(assignment.issues)
    for path in sorted((*chosen, *assignment.unmatched)):
        partner_return, found = load_return(inputs, register, path, chosen.get(path), assignment.by_lead.keys())
        issues += found
        if partner_return is not None:
            returns.append(partner_return)
        if path in chosen and (partner_return is None or not partner_return.updates):
            issues += newest_unread(inputs, assignment, chosen[path], path)
    return returns, issues


def newest_unread(inputs: Inputs, assignment: Assignment, lead: str, newest: Path) -> list[Issue]:
    """A lead's newest file could not be read, or holds no update, while an older one was set aside for it (an
    empty copy saved as 'opcc (1).xlsx', a letter saved under the return's name): said as a warning, naming the
    file set aside, so that the officer does not chase a partner whose return is in the folder."""
    return [issue("newest-return-unread", file=inputs.display(older), newest=inputs.display(newest), value=lead)
            for other, older in assignment.set_aside if other == lead]


def missing_returns(register: Register, inputs: Inputs, assignment: Assignment, merged: MergedRegister
                    ) -> list[Issue]:
    """Leads with no return for the period (`return_files`: a file that could not be read is reported on
    its own; one named after no lead is the return of the leads whose rows of it were used)."""
    files = return_files(inputs, register, assignment, merged)
    missing = [lead for lead in register.leads if not files[lead]]
    misfiled = misfiled_returns(inputs, register, missing) if missing else {}
    issues = []
    for lead in missing:
        other = other_spelling(lead, files)
        if lead in misfiled:
            issues.append(misfiled[lead])
        elif other:
            issues.append(issue("missing-return", "spelled", period=inputs.period, other=other,
                                returned="; ".join(files[other]), file=register.path, value=lead))
        else:
            issues.append(issue("missing-return", period=inputs.period, value=lead))
    return issues


def other_spelling(lead: str, files: Mapping[str, Sequence[str]]) -> str:
    """The lead's other spelling in the register, case, spacing and apostrophes aside (`same_name`), that
    has a return of its own (`files`, by lead), when the lead has none: the partner's return came and is read as that
    spelling's; "" otherwise. Never taken as the lead's return (which spelling is meant is the register's to say),
    only said."""
    if files.get(lead):
        return ""
    return next((other for other, found in files.items()
                 if found and other != lead and same_name(other) == same_name(lead)), "")


def misfiled_returns(inputs: Inputs, register: Register, leads: Collection[str]) -> dict[str, Issue]:
    """Of `leads` (those with no return for the period), each whose return workbook made for the period sits in
    another period's folder (saved into next month's by mistake): an error, as its updates are missing from the
    paper and its partner would be chased for a return it sent. Only reportgen's own workbooks say their period
    (`made_for`) and whose they are (`workbook_lead`, for one renamed to fit no lead); another file in another
    folder is that folder's."""
    found: dict[str, Issue] = {}
    for other in returns_elsewhere(inputs.workspace, inputs.period):
        files, _issues = list_returns(inputs.workspace / "inputs" / "returns" / other[0], inputs.workspace)
        for path in files:
            if made_for(path) != inputs.period:
                continue
            lead = match_partner(path.name, register.leads, inputs.settings.partners).lead or workbook_lead(path)
            if lead in leads and lead not in found:
                found[lead] = issue("return-in-other-folder", period=inputs.period, label=period_label(inputs.period),
                                    other=period_label(other[0]), file=inputs.display(path), value=lead)
    return found


SHOWN_ELSEWHERE = 3  # other period folders named when a period has no return: the newest few


def columns_to_correct(issues: Sequence[Issue], files: Collection[str]) -> Issue | None:
    """The issue of a column every one of the period's return `files` (two or more) lacks alike, the same column
    under no heading reportgen.toml names for it: partners' files that all fail so are fine, and the workspace's
    [returns.columns] is to correct, not every partner to chase. None when any file is read or fails otherwise."""
    missing = {item.file: item for item in issues if item.code == "missing-column"}
    found = [missing.get(shown) for shown in files]
    first = found[0] if len(found) > 1 else None
    if first is None or any(item is None or item.value != first.value for item in found):
        return None
    return first


def no_returns_read(inputs: Inputs, returns: Sequence[PartnerReturn], found: Sequence[Issue] = ()) -> list[Issue]:
    """Not one return read for the period blocks publication: a paper of nothing but "No update" (or of last
    month's statuses carried forward) is almost always the wrong folder or --period, never the month's paper.
    Names the other period folders that hold returns; when every file lacks the same column (`found`, the
    returns' issues), reportgen.toml is to correct."""
    if returns:
        return []
    alike = columns_to_correct(found, [inputs.display(path) for path in inputs.returns])
    if alike is not None:
        return [issue("no-returns", "none-read-settings", period=inputs.period, count=counted(len(inputs.returns),
                                                                                               "file"),
                      heading=alike.value, file=inputs.display(inputs.returns_dir))]
    elsewhere = returns_elsewhere(inputs.workspace, inputs.period)
    named = [f"inputs/returns/{period} ({counted(count, 'file')})" for period, count in elsewhere[:SHOWN_ELSEWHERE]]
    if len(elsewhere) > SHOWN_ELSEWHERE:
        named.append(counted(len(elsewhere) - SHOWN_ELSEWHERE, "other period folder"))
    others = ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else "".join(named)
    where = {"period": inputs.period, "file": inputs.display(inputs.returns_dir)}
    count = counted(len(inputs.returns), "file")
    if not elsewhere:
        return [issue("no-returns", "none-read", count=count, **where) if inputs.returns
                else issue("no-returns", **where)]
    other = elsewhere[0][0]
    return [issue("no-returns", "none-read-elsewhere", count=count, others=others, other=other, **where)
            if inputs.returns else issue("no-returns", "elsewhere", others=others, other=other, **where)]


# notes of an earlier period's return that say no problem in it: the register changed, or was not read whole
NO_PROBLEM = frozenset({"register-changed-since-sent", "unchecked-ref"})


def last_reported_in_returns(inputs: Inputs, register: Register, period: str
                             ) -> tuple[Mapping[int, LastReported], str, list[Issue]]:
    """What a period's returns said, and "the YYYY-MM returns" ("" and nothing when it has none).

    Read and checked as usual; what was wrong in them is kept for information (it was that period's
    to fix, and an action they left unclear is simply not carried).
    """
    files = tuple(list_returns(inputs.workspace / "inputs" / "returns" / period, inputs.workspace)[0])
    if not files:
        return {}, "", []
    earlier = replace(inputs, period=period, returns=files)
    returns, issues = read_returns(earlier, register, assign(earlier, register))
    merged, _ = merge_returns(register, returns, period)
    noted = [issue("earlier-return-problem", period=period, problem=item.message, file=item.file,
                   sheet=item.sheet, row=item.row, column=item.column, value=item.value, ref=item.ref)
             for item in held_back(issues, earlier, register) if item.code not in NO_PROBLEM]
    name = f"the {period} returns"
    return last_reported_in_merge(merged, name), name, noted


def check_inputs(inputs: Inputs, previous: Paper | None = None, previous_name: str = "",
                 found: list[Issue] | None = None, restricted: Paper | None = None, restricted_name: str = "",
                 public: bool = False, unread: str = "") -> Checked:
    """Register, returns and merge. With no earlier draft (`previous`), statuses are carried from the
    earlier periods' returns (`last_reported`; `restricted`: see there). `public`: for the public edition,
    which carries nothing reported while an action was exempt (`exempt_when_reported`), nor up to the period
    of the kept draft `unread` ("YYYY-MM/draft-NN"), which could not be read (`unread_when_reported`)."""
    issues = list(found or [])
    register, register_issues = load_register(inputs)
    issues += register_issues + check_partners(inputs.settings, register)
    assignment = assign(inputs, register)
    returns, return_issues = read_returns(inputs, register, assignment)
    carried, source, earlier_issues = last_reported(inputs, register, previous, previous_name, restricted,
                                                    restricted_name)
    withheld = (unread_when_reported(carried, unread) if unread else exempt_when_reported(register, previous, carried)
                ) if public else {}
    carried = {ref: last for ref, last in carried.items() if ref not in withheld}
    returns, corrected = sent_before_correction(returns, carried, inputs.settings, inputs.period, sent_copies(inputs))
    # a row read as pre-filled now with no status recognised (`corrected`'s `empty-status`) is no update, as blank
    return_issues = without_blank_status([*read_as_corrected(return_issues, corrected), *corrected], returns, carried)
    merged, merge_issues = merge_returns(register, returns, inputs.period, carried, previous_name,
                                         refused_rows(return_issues))
    return_issues = held_back(used_in_merge(return_issues, inputs, register, assignment, returns, merged), inputs,
                              register)
    issues += returns_not_checked(register, return_issues)
    issues += withdrawn_since(given_way(return_issues, register, returns, merged, carried), register, previous,
                              previous_name)
    issues += withheld_issues(register, merged, withheld, previous, previous_name, unread if public else "")
    issues += no_returns_read(inputs, returns, return_issues)
    issues += missing_returns(register, inputs, assignment, merged)
    issues += earlier_issues
    issues = copies_said(said_in_merge(issues, merge_issues) + list(merge_issues))
    issues += check_narrative(inputs, merged)
    headings = {key: column.heading for key, column in inputs.settings.returns.columns.items()}
    issues += personal_data_issues(returns, merged, headings) + register_personal_data(register)
    return Checked(inputs, register, tuple(returns), merged, tuple(issues), assignment, source, carried)


def held_back(issues: list[Issue], inputs: Inputs, register: Register) -> list[Issue]:
    """`issues` without what follows from part of the register not being read (`Register.incomplete`), not from the
    returns: a file named after no lead as read, when the leads it lacks may be in that part (the file holds updates
    of actions the register does not have, `unchecked-ref`, or is named after a partner of [partners])."""
    if not register.incomplete:
        return issues
    unchecked = {item.file for item in issues if item.code == "unchecked-ref"}
    partners = tuple(inputs.settings.partners)
    return [item for item in issues if not (item.code == "unknown-partner" and (
        item.file in unchecked or match_partner(item.file, partners, inputs.settings.partners).lead is not None))]


def returns_not_checked(register: Register, issues: Sequence[Issue]) -> list[Issue]:
    """One warning, at the register, for the returns' updates of actions not among those read from a register part of
    which could not be read (`unchecked-ref`, a note each): said as what follows from the register's own errors,
    with how many in which files, never as the partners' mistakes."""
    unchecked = Counter(item.file for item in issues if item.code == "unchecked-ref")
    if not unchecked:
        return []
    files = ", ".join(f"{count} in {file.rpartition('/')[2]}" for file, count in unchecked.items())
    return [issue("returns-not-checked", unread=register.unread, updates=counted(unchecked.total(), "update"),
                  files=files, file=register.path)]


def not_read_whole(register: Register, wording: Literal["", "mailed", "reminded"] = "") -> list[Issue]:
    """The one error refusing partner workbooks (written, mailed, or attached to a reminder) made from a register
    part of which could not be read (`Register.incomplete`): each would lack the actions of that part, and its
    partner be asked for too few, as the build refuses to publish the paper. None of a register read whole.
    `wording`: "" written, "mailed", "reminded"."""
    if not register.incomplete:
        return []
    return [issue("register-not-whole", wording, unread=register.unread, file=register.path)]


def said_in_merge(issues: list[Issue], merge_issues: Sequence[Issue]) -> list[Issue]:
    """`issues` without a hidden row's plain 'hidden in Excel' where the merge says more of it (`hidden-update`:
    a row seen updates the same action, and is used)."""
    said = {(item.file, item.sheet, item.row) for item in merge_issues if item.code == "hidden-update"}
    return [item for item in issues if not (item.code == "hidden-row" and (item.file, item.sheet, item.row) in said)]


def refused_rows(read: Sequence[Issue]) -> dict[int, Issue]:
    """By action: the first row left out for a reference written with a word before its number ('Action 12':
    `meant_ref`), most likely that action's update."""
    refused: dict[int, Issue] = {}
    for item in read:
        meant = meant_ref(item.value or "") if item.code == "bad-ref" else None
        if meant is not None:
            refused.setdefault(meant, item)
    return refused


def given_way(issues: list[Issue], register: Register, returns: Sequence[PartnerReturn], merged: MergedRegister,
              carried: Mapping[int, LastReported]) -> list[Issue]:
    """Without the empty status of a jointly led action's row left as its workbook was pre-filled (blank, or
    with no status) by one of its leads, when another lead's return updated it (`repeats_last`): that lead
    left the update to the other, and the paper shows the other's."""
    joint = {action.ref: action.leads for action in register.actions if len(action.leads) > 1}
    used = {item.ref: item.source for item in merged.actions if item.state is UpdateState.UPDATED}
    aside = {(update.file, update.row) for partner_return in returns for update in partner_return.updates
             if update.partner in joint.get(update.ref, ()) and used.get(update.ref, update.file) != update.file
             and repeats_last(update, carried.get(update.ref))}
    return [item for item in issues if not (item.code == "empty-status" and (item.file, item.row) in aside)]


def withdrawn_since(issues: list[Issue], register: Register, previous: Paper | None, previous_name: str
                    ) -> list[Issue]:
    """An update of an action the earlier draft `previous` had and the register no longer has is a
    warning (`withdrawn-ref`), not an error: the partner updated the workbook it was sent, and the
    secretariat withdrew the action since; an error would block the paper until someone edited the
    partner's file. A row its workbook was sent with (already `withdrawn-ref`, by
    `reportgen.read.returns.unknown_ref`) is said as the draft's too, which names where it was last shown."""
    if previous is None:
        return issues
    withdrawn = {row.ref for row in previous.rows} - {action.ref for action in register.actions}
    return [issue("withdrawn-ref", draft=previous_name or previous.period, file=item.file, sheet=item.sheet,
                  row=item.row, column=item.column, value=item.value, ref=item.ref)
            if item.code in ("unknown-ref", "withdrawn-ref") and item.ref in withdrawn else item for item in issues]


def exempt_when_reported(register: Register, previous: Paper | None, carried: Mapping[int, LastReported]
                         ) -> dict[int, LastReported]:
    """What would be carried forward, of actions published now, from the earlier draft `previous` (or beside
    it) while they were exempt: a restricted draft records its exempt actions; a public one left them out
    (`left_out_of_public` carries theirs from beside it). What a partner wrote for Part II is not published
    because the register no longer flags the action: the public edition carries none of it."""
    if previous is None:
        return {}
    if previous.edition == "restricted":
        # kept before restricted drafts recorded them: any action it holds may have been exempt
        exempt_then = set(previous.exempt_refs) if previous.exempt_refs is not None else {r.ref for r in previous.rows}
    else:
        exempt_then = _not_shown_in(previous, register) if previous.exempt_count else set()
    public_now = {action.ref for action in register.actions if not action.exempt}
    return {ref: last for ref, last in carried.items() if ref in exempt_then and ref in public_now
            and (not last.reported or last.reported <= previous.period)}  # a later period's return is newer


def _not_shown_in(previous: Paper, register: Register) -> set[int]:
    """The register's actions the draft `previous` has no row of, under their number then: an action renumbered since
    (its Was numbered) is shown under its old number, not left out as exempt."""
    renumbered = renumbered_since(register.actions, previous)
    shown = {row.ref for row in previous.rows}
    return {action.ref for action in register.actions if renumbered.earlier_ref(action.ref) not in shown}


def unread_when_reported(carried: Mapping[int, LastReported], unread: str) -> dict[int, LastReported]:
    """What would be carried forward from the period of the kept draft `unread` ("YYYY-MM/draft-NN") or before:
    that draft could not be read, so which actions were exempt then is not known (it may be a restricted draft,
    and the statuses come from that period's returns instead), and the public edition carries none of it."""
    period = unread.split("/", 1)[0]
    return {ref: last for ref, last in carried.items() if not last.reported or last.reported <= period}


def withheld_issues(register: Register, merged: MergedRegister, withheld: Mapping[int, LastReported],
                    previous: Paper | None, previous_name: str, unread: str = "") -> list[Issue]:
    """An issue for each action the public edition shows with no update, its last report made while exempt (or
    perhaps exempt: in a restricted draft that did not record which were, or in a period whose kept draft
    `unread` could not be read)."""
    updated = {item.action.ref for item in merged.actions if item.state is UpdateState.UPDATED}
    unrecorded = previous is not None and previous.edition == "restricted" and previous.exempt_refs is None
    issues = []
    for action in register.actions:
        if action.ref not in withheld or action.ref in updated:
            continue
        where = {"ref": action.ref, "lead": action.lead or "no lead", "file": register.path, "row": action.row,
                 "source": withheld[action.ref].source or previous_name or "the last draft"}
        if unread:
            issues.append(issue("exempt-when-reported", "unreadable", draft=unread, **where))
        else:
            issues.append(issue("exempt-when-reported", "unrecorded" if unrecorded else "", **where))
    return issues


def last_reported_in_paper(paper: Paper | None, name: str = "") -> dict[int, LastReported]:
    """From a kept draft: every row with a recognised status, and every row with an explanation or timeframe
    under none (`LastReported.wording_only`); the paper model stays out of the merge."""
    rows = paper.rows if paper else ()
    return {row.ref: LastReported(row.status, _status_reported(row), row.explanation, row.timeframe, name,
                                  _reported(row, paper.period) if paper else "", row.reported_file,
                                  row.reported_sheet, row.reported_row)
            for row in rows if row.status is not None or row.explanation or row.timeframe}


def renumbered_carried(carried: Mapping[int, LastReported], register: Register, previous: Paper | None
                       ) -> dict[int, LastReported]:
    """`carried` (by the numbers of the draft `previous`) by the register's numbers: an action renumbered since that
    draft (its Was numbered column) carries what its earlier number reported, and each half of one split carries it;
    an action with no Was numbered carries by its own number."""
    renumbered = renumbered_since(register.actions, previous)
    moved = {ref: carried[old] for ref, old in renumbered.earlier.items() if old in carried}
    return {**{ref: last for ref, last in carried.items() if ref not in renumbered.earlier}, **moved}


def _status_reported(row: PaperRow) -> str:
    """The status a kept row was reported with: canonical, or as the partner wrote it when it was not
    recognised; "" when none was given or the row had no update (its cell says "No status given",
    "No update")."""
    if row.status is not None:
        return row.status_label
    return row.status_label if row.state == UpdateState.UPDATED.value and row.note == STATUS_NOT_RECOGNISED else ""


def _reported(row: PaperRow, period: str) -> str:
    """When a kept row's values were reported: its own record (of a row whose return was sent back unchanged, when
    what it repeats was: a status carried on from it was last reported then); a draft kept before rows had one says
    so only for a row updated in its period."""
    return row.repeats or row.reported or (period if row.state == UpdateState.UPDATED.value else "")


def last_reported(inputs: Inputs, register: Register, previous: Paper | None, previous_name: str,
                  restricted: Paper | None = None, restricted_name: str = ""
                  ) -> tuple[dict[int, LastReported], str, list[Issue]]:
    """Each action's values as last reported before this period, and a line saying where from: the
    kept draft of an earlier period, overlaid by the returns of each later period no draft was built
    from, the newer over the older (a lead that sent none one month keeps what it sent the month before).
    What was wrong in those returns is noted for the newest of them only.

    A public draft leaves exempt actions out: theirs come from `restricted` (the newest restricted draft
    of its period, when one was kept), else from that period's returns (`left_out_of_public`)."""
    carried = renumbered_carried(last_reported_in_paper(previous, previous_name), register, previous)
    sources = [f"draft {previous_name or previous.period}"] if previous is not None and carried else []
    exempt, exempt_source, issues = left_out_of_public(inputs, register, previous, restricted, restricted_name)
    if exempt:
        carried.update(exempt)
        sources.append(exempt_source)
    later = [period for period in earlier_periods(inputs.workspace, inputs.period)
             if previous is None or period > previous.period]  # newest first
    noted, used = False, []
    for period in later:
        found, name, found_issues = last_reported_in_returns(inputs, register, period)
        if not noted and name:  # the newest period with returns: its problems are noted
            issues += found_issues
            noted = True
        fresh = {ref: last for ref, last in found.items() if ref not in carried or carried[ref].reported < period}
        if fresh:
            carried.update(fresh)
            used.append(name)
    return carried, " and ".join([*used, *sources]), issues


def left_out_of_public(inputs: Inputs, register: Register, previous: Paper | None, restricted: Paper | None,
                       restricted_name: str) -> tuple[dict[int, LastReported], str, list[Issue]]:
    """The register's actions a public draft `previous` left out as exempt, as last reported: from `restricted`
    when it is a restricted draft of that period; else from that period's returns, then (for an action whose lead
    sent none that period) each earlier period's back to `restricted`'s, newest first, then `restricted` (the
    newest restricted draft of an earlier period): README promises an exempt action is carried as any other, and
    the public draft between holds nothing of it. An action none has (new, or never reported) is not carried."""
    if previous is None or previous.edition != "public" or not previous.exempt_count:
        return {}, "", []
    left_out = _not_shown_in(previous, register)
    if restricted is not None and restricted.period == previous.period:
        kept = {ref: last for ref, last in last_reported_in_paper(restricted, restricted_name).items()
                if ref in left_out}
        return kept, (f"draft {restricted_name or restricted.period}" if kept else ""), []
    exempt: dict[int, LastReported] = {}
    names: list[str] = []
    issues: list[Issue] = []
    since = restricted.period if restricted is not None else ""
    for period in [previous.period, *earlier_periods(inputs.workspace, previous.period)]:
        # the public draft says how many it left out as exempt: once they are all found, the rest of `left_out`
        # is new since (no earlier return to read for it)
        if period <= since or not left_out - exempt.keys() or len(exempt) >= previous.exempt_count:
            break
        found, name, found_issues = last_reported_in_returns(inputs, register, period)
        fresh = {ref: last for ref, last in found.items() if ref in left_out and ref not in exempt}
        exempt.update(fresh)
        names += [name] if fresh else []
        if period == previous.period:  # what was wrong in older returns was said in their own periods
            issues += [item for item in found_issues if item.ref in fresh]
    if restricted is not None and left_out - exempt.keys() and len(exempt) < previous.exempt_count:
        found = last_reported_in_paper(restricted, restricted_name)
        fresh = {ref: last for ref, last in found.items() if ref in left_out and ref not in exempt}
        exempt.update(fresh)
        names += [f"draft {restricted_name or restricted.period}"] if fresh else []
    return exempt, " and ".join(names), issues
