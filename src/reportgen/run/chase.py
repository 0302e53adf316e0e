"""The chase list: per lead partner, whether a return came in, which actions still have no update,
and what was wrong with what they sent; plus the checks on a pre-filled return against what it was sent out
with: sent back untouched, an explanation deleted with nothing in its place, an action's row deleted.

It reads a `Checked` (and what the period's workbooks were pre-filled with) and renders text (CSV,
Markdown). It reads no files and writes none: the CLI and the monthly flow decide where the text goes.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen.check.checked import Checked, columns_to_correct, other_spelling
from reportgen.check.editions import PublicView, is_withheld
from reportgen.check.merge import BLANK, LastReported, Prefill, reported_when, said, said_in
from reportgen.issues import Issue, Severity, issue
from reportgen.model import MergedAction, PartnerReturn, Register, Update, UpdateState
from reportgen.periods import period_label
from reportgen.read.partners import match_partner
from reportgen.read.workspace import DOCUMENTS
from reportgen.run.prefill import prefill_values
from reportgen.safe_cells import text_for_spreadsheet

CHASE_HEADINGS = ("Partner", "Returned", "File", "Actions led", "Updated", "No update (refs)", "Errors",
                  "Warnings", "Issues", "Returned as sent (refs)", "Updated only by another partner (refs)",
                  "Returned by a joint lead (refs)")


@dataclass(frozen=True)
class ChaseRow:
    """A lead's row counts only what its own return says (`Checked.return_files`): each action it leads
    is updated, returned as sent or not updated; but an action it leads jointly that another of its leads'
    own return updated is returned (`by_joint`), not "not updated": the four add up to `actions_led`."""

    partner: str
    returned: bool  # the partner has a return this period (`Checked.return_files`: even an unreadable one)
    file: str  # its return file(s) as the officer sees them, "; "-joined
    actions_led: int
    updated: int  # actions the partner leads that its own return updated this period, not as sent
    no_update: tuple[int, ...]  # refs the partner leads that its own return did not update this period
    errors: int  # issues found in the partner's file(s), by severity
    warnings: int
    issues: str  # e.g. "unknown-status ×1; empty-status ×1"
    # refs the partner leads whose row came back exactly as its workbook was pre-filled (status, explanation
    # and timeframe unchanged): returned, but with nothing new; not counted in `updated`
    as_sent: tuple[int, ...] = ()
    # the period (YYYY-MM) of the return workbook the partner sent instead of this period's (last month's,
    # sent back again): not read, so the partner is chased as if it had sent none; "" otherwise
    made_for: str = ""
    # refs of `no_update` that another lead's return updated (`not-lead`): the paper uses that update, but the
    # lead sent none
    by_others: tuple[int, ...] = ()
    # refs it leads jointly (`Action.joint`) that another of their leads' own return updated, and its own did not
    # say the same: returned, so not in `no_update` (nor `updated`, which counts its own return; an own row saying
    # what the paper takes from the other lead's is counted there)
    by_joint: tuple[int, ...] = ()
    # its return workbook for this period, saved in another period's folder (`return-in-other-folder`): it
    # came, so the partner is not chased; the officer moves it. "" otherwise
    misfiled: str = ""
    # its return came back exactly as its workbook was pre-filled, by the rule the checks' `unchanged-return` says
    # it by (`returned_untouched`): reminded by `reportgen chase`
    sent_back_as_prefilled: bool = False
    # its return came, named after the lead the register writes several ways: not read until it writes it one way
    # (`ambiguous-partner`), but returned
    unread_spelling: bool = False
    # it sent none under this spelling, but the register writes the same lead so elsewhere, and that spelling's
    # return came (`reportgen.check.checked.other_spelling`): that spelling, and its file(s); the partner is not
    # chased for it
    other_spelling: str = ""
    other_spelling_file: str = ""
    # a file that may be its return, not read because its name fits this lead and another (two partners, or one the
    # register writes two ways: `ambiguous-partner`), when it has none: "; "-joined, as the officer sees them
    fits_unread: str = ""
    # why the file(s) it sent could not be used as its return, when none of them was read: each one's issue (a file
    # that is no spreadsheet reportgen reads, empty, damaged, or a workbook with no return in it; or a document, a
    # Word file or a PDF, named after it). It sent something, so it is not "no return"; but `reportgen chase`
    # reminds it, saying which file came and why it could not be used
    unusable: tuple[Issue, ...] = ()
    # its file(s) came, and could not be read for a column every return of the period lacks alike
    # (`columns_to_correct`): reportgen.toml is to correct, not the partner to chase
    settings_to_correct: bool = False
    # files named after no lead that hold rows of its actions the paper does not use (`strays`): named after its own
    # in the File column, their issues counted in its own; never named to the partner, who may not know them
    strays: tuple[str, ...] = ()
    # of its files and `strays`, those holding an error (`errors`), as the officer sees them: the chase line names
    # only these, never a copy beside them that holds none (not compared: `errors` counts them already)
    error_files: tuple[str, ...] = field(default=(), compare=False)

    @property
    def all_files(self) -> str:
        """Its own files, then the `strays`, "; "-joined: the File column."""
        return "; ".join(filter(None, (self.file, *self.strays)))

    @property
    def file_names(self) -> str:
        """Its return files' names, without their folder: "police.xlsx"."""
        return "; ".join(shown.rpartition("/")[2] for shown in self.file.split("; ") if shown)


def chase_list(checked: Checked, extra_issues: Iterable[Issue] = (), public: PublicView | None = None,
               prefill: Mapping[int, Prefill] | None = None) -> list[ChaseRow]:
    """One row per lead in register order, and no other: a file named after no lead whose rows the paper does not
    use (a lead's return copied, or updates the lead's own return overrides) is named in the row of each lead whose
    actions it has rows for, its issues counted there (`strays`); one with none is said by its `unknown-partner`
    issue alone. It is no partner of its own, and a row of its own read as one.

    A lead's row counts only its own return: a row of another lead's return is that lead's, even where
    the paper uses it (`by_others`). `extra_issues` (e.g. from `unchanged_returns`) are counted against
    the file they name, like the issues in `checked`. With `public` (the public edition) only published
    actions and their leads are listed, and issues are counted as the public edition shows them. With
    `prefill` (what the period's workbooks were pre-filled with, `prefill_values`), an update equal to it
    is returned as sent, not updated.
    """
    leads = public.public_leads if public else checked.register.leads
    files = checked.return_files
    by_file: dict[str, list[Issue]] = {}
    # what follows from the register's own state is no partner's to mend: never counted against one
    found_issues = [i for i in (*checked.issues, *extra_issues)
                    if not (public and is_withheld(i, public)) and i.code not in REGISTER_CONSEQUENCES]
    for found in found_issues:
        by_file.setdefault(found.file, []).append(found)
    # only reportgen's own workbooks were pre-filled: a blank row of a partner's own sheet is blank, not as sent
    sent_files = {partner_return.path for partner_return in checked.returns if partner_return.prefilled}

    def returned_as_sent(item: MergedAction) -> bool:
        return prefill is not None and _as_sent(item, prefill) and (item.source in sent_files
                                                                    or prefill.get(item.ref, BLANK) != BLANK)

    misfiled = {item.value: item.file for item in found_issues if item.code == "return-in-other-folder"}
    untouched = untouched_files(checked, prefill) if prefill is not None else frozenset()
    unusable = unusable_files(checked, found_issues)
    stray = strays(checked, leads)
    rows = []
    for lead in leads:
        led = [item for item in checked.merged.actions
               if lead in item.action.leads and not (public and item.action.exempt)]
        updated = [item for item in led if item.state is UpdateState.UPDATED]
        mine = {item.ref: item for item in updated if item.source in files[lead]}  # from its own return
        sent = {ref for ref, item in mine.items() if returned_as_sent(item)}
        # a joint action the paper takes from another of its leads' return: returned, as this lead's own row
        # was as pre-filled when that one is too (`reportgen.check.merge.repeats_last`)
        own_rows = {update.ref: update for partner_return in checked.returns if partner_return.path in files[lead]
                    for update in partner_return.updates}
        joint = [item for item in updated if item.ref not in mine and _from_joint_lead(item, files)]
        as_sent_there = {item.ref for item in joint if returned_as_sent(item)}
        # its own return updated it with the very words the paper takes from the other lead's: updated by it too
        said_too = {item.ref for item in joint if item.ref not in as_sent_there and item.ref in own_rows
                    and said(own_rows[item.ref]) == said(item)}
        by_joint = tuple(item.ref for item in joint if item.ref not in as_sent_there | said_too)
        as_sent = tuple(item.ref for item in led if item.ref in sent or item.ref in as_sent_there & own_rows.keys())
        done = {*mine, *said_too, *by_joint, *as_sent}
        missing = tuple(item.ref for item in led if item.ref not in done)
        others = {item.ref for item in joint}
        by_others = tuple(item.ref for item in updated if item.ref not in done and item.ref not in others)
        other = other_spelling(lead, files)
        fits = [checked.inputs.display(path) for path, fitted in checked.assignment.ambiguous
                if lead in fitted and not files[lead]]
        rows.append(replace(_row(lead, files[lead], len(led), len(mine) - len(sent) + len(said_too), missing, by_file,
                                 as_sent, by_others, by_joint), misfiled=misfiled.get(lead, ""),
                            sent_back_as_prefilled=bool(files[lead]) and set(files[lead]) <= untouched,
                            other_spelling=other, other_spelling_file="; ".join(files.get(other, ())),
                            fits_unread="; ".join(fits)))
        if not rows[-1].made_for and not rows[-1].unread_spelling and (unread := unusable.get(lead)):
            rows[-1] = _unusable(rows[-1], unread)
        rows[-1] = _with_strays(rows[-1], stray.get(lead, ()), by_file)
    return _settings_to_correct(rows, checked, found_issues)


def strays(checked: Checked, leads: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """By lead of `leads`, the files (as displayed) named after no lead and none of whose rows the paper uses for
    any of its leads' actions (`Checked.return_files` has the others), that hold rows of its actions: where the
    chase list names them, so that the officer finds them beside the partner they are about."""
    files = checked.return_files
    theirs = {shown for found in files.values() for shown in found}
    leads_of = {action.ref: action.leads for action in checked.register.actions}
    read = {partner_return.path: partner_return for partner_return in checked.returns}
    found: dict[str, list[str]] = {}
    for path in checked.assignment.unmatched:
        shown = checked.inputs.display(path)
        if shown in theirs or shown not in read:
            continue
        about = {lead for update in read[shown].updates for lead in leads_of.get(update.ref, ())}
        for lead in leads:
            if lead in about:
                found.setdefault(lead, []).append(shown)
    return {lead: tuple(shown) for lead, shown in found.items()}


def _with_strays(row: ChaseRow, shown: Sequence[str], by_file: Mapping[str, Sequence[Issue]]) -> ChaseRow:
    """`row` naming, after its own files, the `strays` holding rows of its partner's actions, with their issues
    counted in: whether the partner returned is still told by its own files alone."""
    if not shown:
        return row
    found = [item for file in shown for item in by_file.get(file, [])]
    return replace(row, strays=tuple(shown),
                   errors=row.errors + sum(1 for item in found if item.severity is Severity.ERROR),
                   warnings=row.warnings + sum(1 for item in found if item.severity is Severity.WARNING),
                   issues=summarise(found, row.issues), error_files=(*row.error_files, *_with_errors(shown, by_file)))


def _settings_to_correct(rows: list[ChaseRow], checked: Checked, found: Sequence[Issue]) -> list[ChaseRow]:
    """`rows`, each whose file(s) every return of the period shares a missing column with marked: not to chase."""
    alike = None if checked.returns else columns_to_correct(
        found, [checked.inputs.display(path) for path in checked.inputs.returns])
    if alike is None:
        return rows
    return [replace(row, settings_to_correct=True, unusable=()) if row.file else row for row in rows]


def unusable_files(checked: Checked, found: Sequence[Issue]) -> dict[str, tuple[Issue, ...]]:
    """By lead, why what it sent could not be used, when it has no return that was read: the problems of each of
    its files not read (from `found`, the issues), or, when it has no file of its own, of each document named
    after it (a Word file sent instead of the workbook). A lead whose newest file could not be read while an older
    one was set aside (`newest-return-unread`) is left out: its return may be that one, which the officer sees to."""
    read = {partner_return.path for partner_return in checked.returns}
    ambiguous = {checked.inputs.display(path) for path, _leads in checked.assignment.ambiguous}
    set_aside = {lead for lead, _path in checked.assignment.set_aside}
    documents = _documents(checked, found)
    unusable = {}
    for lead, files in checked.return_files.items():
        if lead in set_aside or any(shown in read or shown in ambiguous for shown in files):
            continue
        why = [reason for shown in files for reason in _why_not_read(shown, found)] if files else documents.get(lead)
        if why:
            unusable[lead] = tuple(why)
    return unusable


def _unusable(row: ChaseRow, unread: tuple[Issue, ...]) -> ChaseRow:
    """`row` of a lead none of whose files could be read: with why; a document it sent in place of a return is
    named in its File column, and counted in its issues, as its return would be."""
    if row.file:
        return replace(row, unusable=unread)
    return replace(row, unusable=unread, file="; ".join(dict.fromkeys(item.file for item in unread)),
                   errors=sum(1 for item in unread if item.severity is Severity.ERROR),
                   warnings=sum(1 for item in unread if item.severity is Severity.WARNING), issues=summarise(unread))


def _why_not_read(shown: str, found: Sequence[Issue]) -> list[Issue]:
    """The problems that kept a file from being read: its errors, or when it has none, its warnings. None when
    it is ours to mend (a file reportgen was not let read): the partner is not asked to send it again."""
    own = [item for item in found if item.file == shown and item.severity is not Severity.INFO]
    if any(item.message == issue("unreadable-file", "no-permission", file=shown).message for item in own):
        return []
    return [item for item in own if item.blocking] or own


def _documents(checked: Checked, found: Sequence[Issue]) -> dict[str, list[Issue]]:
    """The documents in the period's folder that are not spreadsheets (`unknown-file-type`: a Word file, a PDF, a
    picture…), by the lead their name is after: what a partner sent instead of its return."""
    folder = checked.inputs.display(checked.inputs.returns_dir)
    leads = checked.register.leads
    by_lead: dict[str, list[Issue]] = {}
    for item in found:
        if item.code != "unknown-file-type" or item.file.rpartition("/")[0] != folder:
            continue
        if (Path(item.file).suffix.lower() in DOCUMENTS
                or item.message == issue("unknown-file-type", file=item.file).message):
            lead = match_partner(Path(item.file).name, leads, checked.inputs.settings.partners).lead
            if lead is not None:
                by_lead.setdefault(lead, []).append(item)
    return by_lead


def _from_joint_lead(item: MergedAction, files: Mapping[str, Sequence[str]]) -> bool:
    """Whether a jointly led action's update is from one of its leads' own return."""
    return len(item.action.leads) > 1 and any(item.source in files.get(lead, ()) for lead in item.action.leads)


def _row(partner: str, shown: Sequence[str], led: int, updated: int, missing: tuple[int, ...],
         by_file: dict[str, list[Issue]], as_sent: tuple[int, ...] = (), by_others: tuple[int, ...] = (),
         by_joint: tuple[int, ...] = ()) -> ChaseRow:
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
        made_for=next((item.value for item in found if item.code == "return-wrong-period"), ""),
        by_others=by_others,
        by_joint=by_joint,
        unread_spelling=any(item.code == "ambiguous-partner" for item in found),  # only one lead's is its return
        error_files=_with_errors(shown, by_file),
    )


def _with_errors(shown: Sequence[str], by_file: Mapping[str, Sequence[Issue]]) -> tuple[str, ...]:
    """The files of `shown` that hold an error: where the chase line says the errors are."""
    return tuple(file for file in shown if any(item.blocking for item in by_file.get(file, ())))


def summarise(issues: Iterable[Issue], before: str = "") -> str:
    """Issue codes with counts, in order of first appearance: 'unknown-status ×2; empty-status ×1'; added to the
    counts of `before`, one such summary (a lead's own files', then a stray file's: one count a code)."""
    counts: Counter[str] = Counter()
    for part in filter(None, before.split("; ")):
        code, _, count = part.rpartition(" ×")
        counts[code] += int(count)
    counts.update(item.code for item in issues)
    return "; ".join(f"{code} ×{count}" for code, count in counts.items())


def _cells(row: ChaseRow) -> list[str]:
    return [row.partner, _returned(row), row.all_files, str(row.actions_led), str(row.updated),
            ", ".join(str(ref) for ref in row.no_update), str(row.errors), str(row.warnings), row.issues,
            ", ".join(str(ref) for ref in row.as_sent), ", ".join(str(ref) for ref in row.by_others),
            ", ".join(str(ref) for ref in row.by_joint)]


def _returned(row: ChaseRow) -> str:
    """The "Returned" cell: Yes, No, "No: sent the October 2026 workbook" (another period's, not read), "Yes, but
    in another period's folder: inputs/returns/2027-01/police.xlsx" (this period's, not read until moved), "No: what it
    sent could not be read" (the file, in the File column, is not a return reportgen can read), "Yes, but
    not read until the register writes its lead one way", "Yes, but not read until reportgen.toml names the column
    every return lacks", or "Under the register's other spelling, Wessex Police:
    inputs/returns/2026-10/wessex-police.xlsx"."""
    if row.made_for:
        return f"No: sent the {period_label(row.made_for)} workbook"
    if row.unread_spelling:
        return "Yes, but not read until the register writes its lead one way"
    if row.other_spelling:
        return f"Under the register's other spelling, {row.other_spelling}: {row.other_spelling_file}"
    if row.misfiled:
        return f"Yes, but in another period's folder: {row.misfiled}"
    if row.unusable:
        return "No: what it sent could not be read"
    if row.settings_to_correct:
        return "Yes, but not read until reportgen.toml names the column every return lacks"
    return "Yes" if row.returned else "No"


def chase_csv(rows: Iterable[ChaseRow], marking: str = "", unread: str = "") -> str:
    """The chase list as CSV text; no cell can become a formula in Excel. With a `marking` (the restricted
    edition's), a last column "Marking" says it on every row, as `reportgen.issues.issues_csv` does. With `unread`
    (`Register.unread`: part of the register could not be read), a last row says so in its Partner cell: the leads
    of only that part have no row, and every count leaves its actions out, which the list alone could not tell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CHASE_HEADINGS, *(["Marking"] if marking else [])])
    lines = [_cells(row) for row in rows]
    lines += [[NOT_LISTED.format(unread=unread), *[""] * (len(CHASE_HEADINGS) - 1)]] if unread else []
    for cells in lines:
        writer.writerow([text_for_spreadsheet(cell) for cell in (*cells, *([marking] if marking else []))])
    return out.getvalue()


# the chase list's last row when part of the register could not be read (`chase_csv`)
NOT_LISTED = ("Not listed: any partner leading only actions of the register that could not be read ({unread}); each "
              "count above leaves those actions out. Correct the register, then build again.")


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
    pre-filled with: what the build carried forward (`reportgen.run.prefill.prefill_values`). A file named
    after no lead is said to be from the lead(s) whose return it is (`Checked.return_files`)."""
    owners: dict[str, list[str]] = {}
    for lead, files in checked.return_files.items():
        for shown in files:
            owners.setdefault(shown, []).append(lead)
    leads_of = {action.ref: action.leads for action in checked.register.actions}
    for partner_return in checked.returns:  # none of its rows used (blank as pre-filled): every row one lead's
        leads = {lead for update in partner_return.updates for lead in leads_of.get(update.ref, ())}
        if partner_return.path not in owners and len(leads) == 1:
            owners[partner_return.path] = [*leads]
    return untouched_returns(checked.returns, prefill_values(checked.carried),
                             {shown: ", ".join(leads) for shown, leads in owners.items()},
                             rows_added(checked.issues))


# issues on a return that follow from part of the register not being read, not from the return
REGISTER_CONSEQUENCES = frozenset({"unchecked-ref"})

# a row read as none of the workbook's actions (no reference, one that is not a number, or one not in the register):
# most often a row the partner added, a new action it proposes, so the workbook was not sent back untouched
ADDED_ROW_CODES = frozenset({"missing-ref", "bad-ref", "unknown-ref"})


def rows_added(issues: Iterable[Issue]) -> frozenset[str]:
    """The return files (as shown) holding a row that is none of their workbook's actions (`ADDED_ROW_CODES`)."""
    return frozenset(item.file for item in issues if item.code in ADDED_ROW_CODES)


def _as_sent(update: Update | MergedAction, prefill: Mapping[int, Prefill]) -> bool:
    """Whether a return's row (or the update merged from it) is what its workbook was pre-filled with."""
    return said(update) == said_in(prefill.get(update.ref, BLANK))


def untouched_files(checked: Checked, prefill: Mapping[int, Prefill]) -> frozenset[str]:
    """The return files (as shown) sent back untouched against `prefill`, as the checks say it (`untouched_returns`,
    the rows added known from the same issues): the chase list's "sent back as it was pre-filled", so it and the
    `unchanged-return` of validate, build and collect's acknowledgement cannot disagree."""
    return frozenset(found.file for found in untouched_returns(checked.returns, prefill,
                                                               added=rows_added(checked.issues)))


def returned_untouched(partner_return: PartnerReturn, prefill: Mapping[int, Prefill],
                       added: frozenset[str] = frozenset()) -> bool:
    """The one rule of a return sent back untouched: every update equals what its pre-filled workbook held
    (`reportgen.run.prefill`), and it holds no row the partner added (`added`: the files holding one, `rows_added`).
    A row pre-filled with nothing was blank, so a return of blank rows is the unchanged blank workbook; but only
    reportgen's own workbooks were pre-filled (`PartnerReturn.prefilled`), so a partner's own sheet is unchanged
    only when it repeats something reported before."""
    updates = partner_return.updates
    return (partner_return.path not in added and bool(updates) and all(_as_sent(u, prefill) for u in updates)
            and (partner_return.prefilled or any(prefill.get(u.ref, BLANK) != BLANK for u in updates)))


def untouched_returns(returns: Sequence[PartnerReturn], prefill: Mapping[int, Prefill],
                      partners: Mapping[str, str] | None = None, added: frozenset[str] = frozenset()) -> list[Issue]:
    """An `unchanged-return` for each return sent back untouched (`returned_untouched`). `partners`: who sent each
    file, by file, where not its `partner`; `added`: the files holding a row the partner added (`rows_added`)."""
    issues = []
    for partner_return in returns:
        if returned_untouched(partner_return, prefill, added):
            name = Path(partner_return.path).name
            partner = (partners or {}).get(partner_return.path) or partner_return.partner
            issues.append(issue("unchanged-return", workbook=name, file=partner_return.path,
                                sheet=partner_return.sheet, value=partner))
    return issues


def cleared_explanations(checked: Checked) -> list[Issue]:
    """A row of reportgen's own workbook whose pre-filled explanation (`reportgen.run.prefill`) came back
    empty: the partner deleted it and wrote nothing, so the paper would show the action with no explanation,
    and nothing else says so (a changed row is an update like any other)."""
    return explanations_cleared(checked.returns, checked.carried)


def explanations_cleared(returns: Sequence[PartnerReturn], carried: Mapping[int, LastReported]) -> list[Issue]:
    """`cleared_explanations` of `returns`, against what was carried forward into their workbooks (`carried`):
    the build's check, and `collect`'s of one return as it comes."""
    prefill = prefill_values(carried)
    issues = []
    for partner_return in returns:
        if not partner_return.prefilled:  # a partner's own sheet was never pre-filled: a blank cell is only blank
            continue
        heading = partner_return.heading("explanation")
        for update in partner_return.updates:
            explanation = prefill.get(update.ref, BLANK)[1]
            last = carried.get(update.ref)
            if explanation and last is not None and not update.explanation.strip():
                issues.append(issue("explanation-cleared", ref=update.ref, when=reported_when(last),
                                    file=update.file, sheet=update.sheet, row=update.row, column=heading,
                                    value=explanation))
    return issues


def deleted_rows(checked: Checked) -> list[Issue]:
    """An action of a lead missing from its lead's own pre-filled workbook, which was made with a row for each
    action the lead leads (`reportgen.run.return_workbooks.write_workbooks`), and not updated by any other
    return: the partner deleted the row (or the workbook predates the action). Without this the action was
    only carried forward, said in a note for information at the register."""
    updated = {item.ref for item in checked.merged.actions if item.state is UpdateState.UPDATED}
    return rows_deleted(checked.register, checked.returns, updated, checked.carried.keys())


def rows_deleted(register: Register, returns: Sequence[PartnerReturn], updated: Collection[int],
                 reported: Collection[int] | None = None) -> list[Issue]:
    """`deleted_rows` of `returns`, but for the actions in `updated` (another return updated them): the
    build's check, and `collect`'s of one return as it comes. `reported`: the actions with an update to carry
    forward, when known; any other has no last status, so it is not said to be carried (most often an action
    new to the register, which the workbook was made without)."""
    issues = []
    for partner_return in returns:
        lead = partner_return.partner
        if not partner_return.prefilled or lead not in register.leads:
            continue
        rows = {update.ref for update in partner_return.updates}
        for action in register.actions:
            if lead in action.leads and action.ref not in rows and action.ref not in updated:
                never = reported is not None and action.ref not in reported
                issues.append(issue("row-deleted", "never-reported" if never else "", ref=action.ref, lead=lead,
                                    file=partner_return.path, sheet=partner_return.sheet, value=action.text))
    return issues
