"""Pre-filled partner return workbooks: one .xlsx per lead partner, ready to fill in and send back.

Each workbook's data sheet ("Return") lists the partner's actions in register order under the exact
return headings `read_return` expects (plus a "Section" column it ignores): ref, section and action
locked; status (a dropdown of the canonical statuses), explanation and timeframe pre-filled with what a
build of the period carries forward (`reportgen.run.prefill`: a status not recognised then is left blank)
and left editable. An "Instructions" sheet follows. The period the workbook is for is kept as a custom
document property (`PERIOD_PROPERTY`), which Excel and LibreOffice keep when they save it: a build never
reads last month's workbook, filed again, as this month's return.
It writes what the run stage read (`reportgen.run.returns` reads the register and the draft).

What it must not do: overwrite a file (an existing workbook is refused, naming it), write a formula
(every text cell is a literal string), or leave a half-written file or half a set (all are written in a
hidden folder, then moved or linked into place: a hard link fails if the name was taken meanwhile). The bytes
depend only on the inputs.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import secrets
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.check.merge import BLANK, Prefill
from reportgen.drafts.folders import untouched_for_long
from reportgen.errors import ReportgenError, UsageError
from reportgen.files import (
    WRITER_LOCK,
    claim_writing,
    claimed_here,
    publish_folder,
    sync_folder,
    take_abandoned,
    write_atomically,
)
from reportgen.issues import Issue, issue
from reportgen.model import Action, Register
from reportgen.paper.cover import meeting_date, meeting_issues
from reportgen.periods import day_text, period_label, period_start
from reportgen.read.partners import workbook_names
from reportgen.read.returns import PERIOD_PROPERTY, SENT_REFS_LABEL, WORKBOOK_KEYS, sent_refs_text
from reportgen.read.richtext import shown_text
from reportgen.read.sheets import INSTRUCTIONS_SHEET, INSTRUCTIONS_TITLE
from reportgen.render.xlsx import FIXED_TIME, bold_font, fit_rows, print_landscape, text_cell, workbook_bytes
from reportgen.settings import CANONICAL_STATUSES, SETTINGS_FILE, Settings
from reportgen.settings_columns import RETURN_SECTION_HEADING, heading_key
from reportgen.stops import stops_held
from reportgen.wording import counted, listed

DATA_SHEET = "Return"
KEYS = WORKBOOK_KEYS  # a CSV saved from the workbook is known by them (`reportgen.read.returns.is_workbook_layout`)
EDITABLE = ("status", "explanation", "timeframe")
WIDTHS = {"ref": 8, "section": 18, "action": 50, "status": 16, "explanation": 70, "timeframe": 22}
HEADING_FILL = PatternFill("solid", fgColor="D9E1F2")
EDITABLE_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: "type here"
# how a hidden folder a killed run left was known to be one: its run's lock free (""), or its age
Abandoned = Literal["", "aged"]



def write_workbooks(register: Register, values: Mapping[int, Prefill], period: str, settings: Settings,
                    folder: Path, on_written: Callable[[Path], None] | None = None) -> tuple[list[Path], list[Issue]]:
    """Write one workbook per lead of `register` into `folder`, pre-filled with `values` (what a build of
    `period` carries forward; `reportgen.run.returns.read_for_workbooks`).

    Refuses with `UsageError` (exit 2, as `build --out` into a folder in use) naming the file when any
    workbook already exists, before writing any. `on_written` is told `folder` once the set is in it
    (`place_whole`). Returns the files written, in register order, and the issues met (two leads making one
    file name, a hidden folder a killed run left that was removed).
    """
    names, issues = workbook_names(register.leads)
    targets = {lead: folder / name for lead, name in names.items()}
    taken = [path for path in targets.values() if path.exists()]
    if taken:
        raise UsageError(f"{taken[0]} already exists: return workbooks are never overwritten; "
                             "move the folder's workbooks away or give another --out")
    books = {path: workbook_bytes(return_workbook(lead, [action for action in register.actions if lead in action.leads],
                                                  values, period, settings, dict(register.headings)))
             for lead, path in targets.items()}
    removed = place_whole(folder, books, on_written)
    return list(books), [*issues, *(abandoned(left, how) for left, how in removed)]


def abandoned(left: Path, how: Literal["", "aged"]) -> Issue:
    """The note that the hidden folder `left`, a killed run's, was removed, saying how it was known to be one."""
    return issue("abandoned-workbooks", how, file=str(left))


def place_whole(folder: Path, files: Mapping[Path, bytes], on_written: Callable[[Path], None] | None = None,
                ) -> list[tuple[Path, Abandoned]]:
    """Write `files` (each in `folder`) as a set, all or none: a run stopped (Ctrl-C) or failing (a full disk)
    partway must not leave some workbooks, which the next run would refuse to overwrite. Each is written into a
    hidden folder beside `folder`, claimed for this run's life (`files.claim_writing`), then that folder is renamed
    into place, or, when `folder` is there already (it may hold other files), each is linked into it (a link fails
    rather than replace a file) and those linked are taken back if any fails. `on_written` is told `folder` with
    the last of them, a stop held till both are done. A hidden folder a killed run left is removed first
    (`clear_abandoned`); returns those removed, each with the wording that says how it was known."""
    parent = folder.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    removed = clear_abandoned(folder)
    staging = parent / f".{folder.name}.partial-{secrets.token_hex(4)}"
    held: int | None = None
    try:
        staging.mkdir()
        held = claim_writing(staging)
        for path, data in files.items():
            write_atomically(staging / path.name, data)
        with stops_held():  # in place and the caller told so, or neither: a stop then says the set is there
            if folder.exists():
                _link_all(staging, folder, files)
            else:
                (staging / WRITER_LOCK).unlink(missing_ok=True)  # no workbook: not moved into place with them
                publish_folder(staging, folder, "the return workbooks")
            if on_written is not None:
                on_written(folder.absolute())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if held is not None:
            os.close(held)  # only now: no other run clears the folder while it is still being removed
    return removed


def clear_abandoned(folder: Path) -> list[tuple[Path, Abandoned]]:
    """Remove the hidden folders beside `folder` that runs killed while writing its workbooks left (SIGKILL, a
    machine switched off: no clean-up ran), known by their name, `.<folder>.partial-<hex>`: each this machine's run
    claimed whose lock is free (the run has ended, however recently), and each other one (an older reportgen's,
    with no lock file, or another machine's on a network drive) nothing in which has changed for an hour
    (`drafts.folders.STALE_AFTER`: a younger one may be a run's writing now). A folder a live run on this machine
    is writing is never removed. Returns those removed, each with its issue's wording."""
    pattern = re.compile(rf"^\.{re.escape(folder.name)}\.partial-[0-9a-f]+$")
    removed: list[tuple[Path, Abandoned]] = []
    for child in sorted(folder.absolute().parent.iterdir()):
        if not pattern.match(child.name) or not child.is_dir():
            continue
        if claimed_here(child):
            held = take_abandoned(child)
            if held is None:
                continue  # its run is writing there now, or has just put its workbooks in place
            try:
                shutil.rmtree(child, ignore_errors=True)
            finally:
                os.close(held)
            removed.append((child, ""))
        elif untouched_for_long(child):
            shutil.rmtree(child, ignore_errors=True)
            removed.append((child, "aged"))
    return removed


def _link_all(staging: Path, folder: Path, files: Mapping[Path, bytes]) -> None:
    """Link each file written in `staging` to its place; on any failure or interruption, none stays linked."""
    linked: list[Path] = []
    try:
        for path in files:
            try:
                os.link(staging / path.name, path)
            except FileExistsError as exc:  # made meanwhile by another run
                raise ReportgenError(f"{path} already exists: return workbooks are never overwritten") from exc
            linked.append(path)
    except BaseException:
        for path in linked:
            path.unlink(missing_ok=True)
        raise
    sync_folder(folder)


def headings(settings: Settings, register_headings: Mapping[str, str] | None = None) -> dict[str, str]:
    """The workbook's headings: a return's (`[returns.columns]`), but the reference and the action headed as
    the paper heads them (the register's own heading, `Register.headings`) where a return under that heading
    is read back as that column: the partner sees the register's and the paper's words."""
    columns = settings.returns.columns
    names = {key: RETURN_SECTION_HEADING if key == "section" else columns[key].heading for key in KEYS}
    for key in ("ref", "action"):
        printed = settings.column_heading(key, register_headings)
        if heading_key(printed) in {heading_key(name) for name in columns[key].names}:
            names[key] = printed
    return names


def return_workbook(lead: str, actions: Sequence[Action], values: Mapping[int, Prefill], period: str,
                    settings: Settings, register_headings: Mapping[str, str] | None = None) -> Workbook:
    """The workbook for one lead: the "Return" data sheet first, then "Instructions"; `register_headings`:
    the register's own headings (`Register.headings`)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    names = headings(settings, register_headings)
    fill_data_sheet(sheet, actions, values, names)
    fill_instructions(book.create_sheet(INSTRUCTIONS_SHEET), lead, period, settings, names,
                      prefilled=any(action.ref in values for action in actions),
                      refs=[action.ref for action in actions], renumbered=renumbered_line(actions))
    book.security = WorkbookProtection(lockStructure=True)  # no sheets added, removed or renamed
    book.properties.creator = "reportgen"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    # the period it is for, where a build reads it: last month's workbook filed again is not read as this one's
    book.custom_doc_props.append(StringProperty(name=PERIOD_PROPERTY, value=period))
    return book


def fill_data_sheet(sheet: Worksheet, actions: Sequence[Action], values: Mapping[int, Prefill],
                    names: Mapping[str, str]) -> None:
    sheet.append([text_cell(sheet, names[key]) for key in KEYS])
    for cell in sheet[1]:
        cell.font = bold_font()
        cell.fill = HEADING_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for action in actions:
        status, explanation, timeframe = values.get(action.ref, BLANK)
        texts = (action.section, shown_text(action.text), status, explanation, timeframe)
        sheet.append([action.ref, *(text_cell(sheet, text) if text else None for text in texts)])
    last = len(actions) + 1
    for row in sheet.iter_rows(min_row=2, max_row=last, max_col=len(KEYS)):
        for key, cell in zip(KEYS, row, strict=True):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if key in EDITABLE:
                cell.protection = Protection(locked=False)
                cell.fill = EDITABLE_FILL
    for position, key in enumerate(KEYS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = WIDTHS[key]
    status_column = get_column_letter(KEYS.index("status") + 1)
    sheet.add_data_validation(status_dropdown(f"{status_column}2:{status_column}{last}"))
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    fit_rows(sheet)
    print_landscape(sheet)
    protect(sheet)


def status_dropdown(cells: str) -> DataValidation:
    statuses = ", ".join(CANONICAL_STATUSES[:-1]) + f" or {CANONICAL_STATUSES[-1]}"
    validation = DataValidation(
        type="list", formula1='"' + ",".join(CANONICAL_STATUSES) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle="Status not recognised", error=f"Choose {statuses} from the list.",
        showInputMessage=True, promptTitle="Status", prompt=f"Choose {statuses}.",
    )
    validation.add(cells)
    return validation


def protect(sheet: Worksheet) -> None:
    """Sheet protection without a password: locked cells stay read-only; widths and heights can change."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # False = allowed
    sheet.protection.formatRows = False
    sheet.protection.selectLockedCells = False
    sheet.protection.selectUnlockedCells = False


def returns_deadline(settings: Settings, period: str) -> dt.date | None:
    """The day the period's returns are due: `[returns] deadline`, or `days_before_meeting` before the
    meeting the period's paper goes to (`[paper] meetings` or `date`); None when neither gives a day."""
    rule = settings.returns
    if rule.days_before_meeting is None:
        return rule.deadline
    meeting = meeting_date(settings.paper, period)
    return meeting - dt.timedelta(days=rule.days_before_meeting) if meeting else None


def workbook_date_issues(settings: Settings, period: str) -> list[Issue]:
    """What `returns` and `send-returns` say of the period's dates: the meeting date's warnings as `validate` and
    `build` give them (a meeting before the period: the deadline counted back from it, and the paper, would be
    wrong), then the deadline's."""
    return [*meeting_issues(settings.paper, period), *deadline_issues(settings, period)]


def deadline_issues(settings: Settings, period: str, today: dt.date | None = None) -> list[Issue]:
    """A warning when the period's returns deadline has passed (the workbooks would ask for a day gone),
    when `days_before_meeting` is set but the period has no meeting to count back from, or when no deadline
    is set at all (the workbooks and the mail then name none, which nothing else would say)."""
    deadline = returns_deadline(settings, period)
    if settings.returns.deadline is None and settings.returns.days_before_meeting is None:
        return [no_deadline(settings, period)]
    if deadline is None and settings.returns.days_before_meeting is not None:
        return [issue("deadline-unknown", period=period_label(period), file=SETTINGS_FILE,
                      column="days_before_meeting", value=str(settings.returns.days_before_meeting))]
    if deadline is None or deadline >= (today or settings.schedule.today()):
        return []
    if settings.returns.days_before_meeting is None:
        return [issue("deadline-passed", value=deadline_text(settings, period), file=SETTINGS_FILE, column="deadline")]
    return [issue("deadline-passed", "counted", value=deadline_text(settings, period), period=period_label(period),
                  days=counted(settings.returns.days_before_meeting, "day"), file=SETTINGS_FILE,
                  column="days_before_meeting")]


def no_deadline(settings: Settings, period: str) -> Issue:
    """The warning that no deadline is set, saying how to set one: counted back from the meeting the
    period's paper goes to, when one is known. A meeting before the period would give a deadline already
    gone, so the advice then asks for the next meeting's date first and offers no example day."""
    meeting = meeting_date(settings.paper, period)
    where = {"period": period_label(period), "file": SETTINGS_FILE, "column": "deadline"}
    if meeting is None:
        return issue("no-deadline", **where)
    if meeting < period_start(period):
        return issue("no-deadline", "past-meeting", meeting=day_text(meeting), **where)
    return issue("no-deadline", "meeting", meeting=day_text(meeting), **where)


def deadline_text(settings: Settings, period: str) -> str:
    """'24 October 2026'; "" when no deadline is set (the workbook and the mail then name none)."""
    deadline = returns_deadline(settings, period)
    return day_text(deadline) if deadline else ""


def renumbered_line(actions: Sequence[Action]) -> str:
    """The Instructions' line on the workbook's actions renumbered when the plan was refreshed (the register's Was
    numbered: `reportgen.renumbering`), so that a partner who knows action 5 finds it as 148; "" for none."""
    came = [f"{action.ref} now includes {listed([str(n) for n in action.was if n != action.ref])}"
            if action.ref in action.was else f"{action.ref} came from {listed([str(n) for n in action.was])}"
            for action in actions if action.was and action.was != (action.ref,)]
    if not came:
        return ""
    return f"Numbers changed when the plan was refreshed: {'; '.join(came)}. Use the numbers in this workbook."


def fill_instructions(sheet: Worksheet, lead: str, period: str, settings: Settings, names: Mapping[str, str],
                      prefilled: bool = True, refs: Sequence[int] = (), renumbered: str = "") -> None:
    """One sentence a line; no line reads as a return heading, so the reader never takes this sheet;
    `names`: the workbook's headings (`headings`). `refs`, the actions the workbook is sent with, are its
    line "Actions | 21, 23, 25" (`SENT_REFS_LABEL`): a build tells a row it was sent with from one the partner
    added (an action withdrawn since is not a row the partner added), which its locked cells cannot say."""
    statuses = ", ".join(CANONICAL_STATUSES[:-1]) + f" or {CANONICAL_STATUSES[-1]}"
    deadline = deadline_text(settings, period)
    facts = (("Partner", lead), ("Period", period_label(period)), *((("Deadline", deadline),) if deadline else ()),
             *(((SENT_REFS_LABEL, sent_refs_text(refs)),) if refs else ()))
    lines = (
        f"How to fill in the '{DATA_SHEET}' sheet:",
        f"{names['ref']}, {names['section']} and {names['action']}: the action as it stands in the register. "
        "These cells are locked.",
        f"{names['status']}: choose {statuses} from the list. "
        + ("It shows last period's status where one was reported and recognised (blank otherwise: choose one); "
           "change it if it has moved on." if prefilled else
           "No earlier period was reported, so the status, explanation and timeframe are blank: fill them in."),
        f"{names['explanation']}: what has been done this period, in plain words. Press Alt+Enter for a new "
        "line. Write links in full (https://…) or as [text](https://…). Anything the Panel should see goes in this "
        "cell: comments on cells are not read into the paper.",
        f"{names['timeframe']}: when the action is expected to be delivered or completed, e.g. March 2027.",
        f"This workbook is for the {period_label(period)} return only: each period has a workbook of its own, "
        "and one sent back for another period is not read.",
        *((renumbered,) if renumbered else ()),
        "Do not change the reference, section or action columns, add or delete rows, or add sheets.",
        "Save it as .xlsx under the same file name and send it back to the officer who sent it to you"
        + (f" by the deadline ({deadline})." if deadline else "."),
    )
    sheet.append([text_cell(sheet, INSTRUCTIONS_TITLE)])  # how the sheet is known, however renamed
    sheet["A1"].font = bold_font(14)
    for label, value in facts:
        sheet.append([text_cell(sheet, label), text_cell(sheet, value)])
    sheet.append([])
    for line in lines:  # beside the labels, under the values: a narrow label column, as a form is laid out
        sheet.append([None, text_cell(sheet, line)])
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].alignment = Alignment(vertical="top")  # the title runs on across the empty B1
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(facts), max_col=1):
        row[0].font = bold_font()
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 100
    fit_rows(sheet)
    print_landscape(sheet)
    protect(sheet)


def keep_sent(folder: Path, shown: str, name: str, data: bytes, lead: str, when: dt.datetime) -> list[Issue]:
    """Keep the workbook mailed to `lead` (`data`, attached as `name`; with the workbook or as a reminder) in `folder`
    (outputs/<period>/returns, where `reportgen returns` writes them): what a return saved as CSV is judged against
    (`reportgen.read.returns.sent_copies_of`). A copy already there is never replaced, and a workbook is kept once:
    the same bytes as any copy kept under `name` (itself, or one kept beside it) are left as they are; different
    ones (made by `reportgen returns` or mailed before the register changed, so a partner may be answering them)
    stay, and the mailed workbook is kept beside them under a name saying when it was sent (`sent_name`), and the
    officer told (`sent-copy-beside`). `shown`: the folder as the officer finds it in the workspace.

    The message has gone by now, so a name taken by something else (a file an officer put there, a folder) never
    stops the run: the copy takes the next name free (`sent_name` with a number). Raises only `OSError`, when
    the folder cannot be written at all (the caller says where the workbook is instead)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if _kept_as(target, data) or any(_same_bytes(copy, data) for copy in _kept_beside(folder, name)):
        return []
    for number in range(1, MAX_SENT_COPIES + 1):
        beside = folder / sent_name(name, when, number)
        if _kept_as(beside, data):
            return [issue("sent-copy-beside", file=f"{shown}/{beside.name}", value=lead, earlier=target.name)]
    raise FileExistsError(errno.EEXIST, f"{sent_name(name, when)} and the {MAX_SENT_COPIES - 1} names numbered "
                          "after it are taken")


MAX_SENT_COPIES = 100  # names tried for one workbook's copy, each taken by something else, before giving up


def _kept_beside(folder: Path, name: str) -> list[Path]:
    """The copies kept beside `name` in `folder` as mailed at other times (`sent_name`), oldest first."""
    stem, _dot, suffix = name.rpartition(".")
    return sorted(path for path in folder.iterdir() if path.name.startswith(stem) and path.suffix == f".{suffix}"
                  and SENT_NAME.fullmatch(path.name[len(stem):]))


def _same_bytes(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds `data`: not when it cannot be read (a folder, a file we may not read)."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _kept_as(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless something is there; True when `path` now holds `data` (written, or already
    so), False when it holds anything else (other bytes, a folder)."""
    try:
        write_atomically(path, data, replace=False)
        return True
    except FileExistsError:
        return _same_bytes(path, data)


SENT_STAMP = "%Y%m%dT%H%M%SZ"  # in a kept copy's name: opcc.sent-20261005T081502Z.xlsx
# what follows the workbook's stem in such a name: opcc.sent-20261005T081502Z-2.xlsx when the first was taken
SENT_NAME = re.compile(r"\.sent-\d{8}T\d{6}Z(?:-\d+)?\.[^.]+")


def sent_name(name: str, when: dt.datetime, number: int = 1) -> str:
    """The name a mailed workbook is kept under beside a different copy of the same name: when it was sent (UTC),
    and the `number` of the name tried when the ones before it were taken by something else."""
    stem, dot, suffix = name.rpartition(".")
    counted = f"-{number}" if number > 1 else ""
    return f"{stem}.sent-{when.astimezone(dt.UTC).strftime(SENT_STAMP)}{counted}{dot}{suffix}"
