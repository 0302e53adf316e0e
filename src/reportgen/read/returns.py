"""Partner returns: read each file (`read_return`), then check it against the register (`validate_return`).

A return's file is named after its lead partner (hertfordshire-constabulary.xlsx, or "Hertfordshire
Constabulary return (1).xlsx" -> Hertfordshire Constabulary: see `reportgen.read.partners`). Nothing is
dropped without an issue naming the file, sheet, row and heading.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from reportgen.glyphs import code_points, missing_glyphs
from reportgen.issues import Issue, issue
from reportgen.model import Action, PartnerReturn, Register, Update
from reportgen.periods import day_text, is_period, period_label
from reportgen.read.cells import cell_text, collapse_spaces, prompt_text
from reportgen.read.headings import heading_key
from reportgen.read.partners import match_partner
from reportgen.read.sheets import (
    Cell,
    RawSheet,
    Table,
    filled_cells,
    is_instructions,
    locate_table,
    read_ref,
    read_sheets,
    read_text,
    rows_and_actions,
)
from reportgen.read.statuses import (
    alias_suggestions,
    looks_like_date,
    match_status,
    status_table,
    suggest_status,
    synonym_for,
)
from reportgen.read.xlsx_reader import read_custom_property
from reportgen.read.xlsx_values import DateCell, NumberCell, column_letters, from_serial
from reportgen.settings import PartnerSettings, Settings
from reportgen.settings_columns import RETURN_SECTION_HEADING
from reportgen.wording import quoted, row_spans

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\((?:[^()\s]|\([^()\s]*\))*\)")  # [words](address), as the paper reads it


def partner_for(path: Path, register: Register | None, partners: Mapping[str, PartnerSettings] | None = None
                ) -> str | None:
    """The lead a return belongs to, from its file name (`reportgen.read.partners.match_partner`); None when
    no lead, or several, fit."""
    return match_partner(path.name, register.leads if register else (), partners).lead


def read_return(path: Path, settings: Settings, display: str, partner: str, period: str = "",
                copies: Path | None = None, names: Collection[str] = ()) -> tuple[PartnerReturn | None, list[Issue]]:
    """A partner's return, read as the period's (`period`, YYYY-MM; "" reads it whatever it was made for).
    A workbook reportgen made for another period is not read: its rows would roll the statuses back.
    `copies`: the folder where `reportgen returns` keeps the period's workbooks (outputs/<period>/returns),
    against which a return saved as CSV from the workbook made for `partner` is judged (`judged_as_sent`); None
    when the file is named after no lead, so whose workbook it was is not known (and said: `unknown-partner`).
    `names`: the register's leads and sections (`Register.names`), a letter of which a CSV's text may have lost."""
    sheets, issues = read_sheets(path, display)
    if not sheets:
        return None, issues
    made = made_for(path, sheets)
    wrong = wrong_period(display, period, made, _kept_there(path, made))
    if wrong is not None:  # nothing in it is this period's: its cells' own problems are not worth a word
        return None, [wrong]
    register_only = register_only_headings(settings)
    table, found = locate_table(sheets, settings.returns.columns, display, other_sheets=True,
                                known_elsewhere=register_only, names=names)
    issues += found
    if table is None:
        return None, instructions_saved_as_csv(path, sheets, issues)
    issues += unread_columns(table, settings, found, register_only)
    section_at = section_column(table, settings)
    register_at = register_columns(table, settings)
    updates: list[Update] = []
    prompt_rows: list[tuple[int, str]] = []  # rows holding nothing but a drop-down's prompt
    for number, cells in table.rows:
        cells, prompts = _without_prompts(cells)
        if prompts and not any(cell_text(cell).strip() for cell in cells):
            prompt_rows.append((number, prompts[0][1]))
            continue
        update, row_issues = _read_update(table, number, cells, partner, section_at, prompts, register_at)
        issues += row_issues
        if update is not None:
            updates.append(update)
    if prompt_rows:
        numbers = [number for number, _ in prompt_rows]
        issues.append(issue("prompt-rows", rows=row_spans(numbers), value=prompt_rows[0][1], file=display,
                            sheet=table.sheet, row=numbers[0]))
    if not table.rows:
        issues.append(issue("empty-file", file=display, sheet=table.sheet, row=table.header_row))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    written = tuple(table.written.items())
    read = PartnerReturn(display, partner, table.sheet, table.headings, tuple(updates), digest, written,
                         prefilled=bool(made), sent=sent_refs(sheets) if made else None)
    if made or copies is None or not period or path.suffix.lower() != ".csv" or not is_workbook_layout(table):
        return read, issues
    return judged_as_sent(read, settings, period, copies, issues)


# the columns of the data sheet of a workbook `reportgen returns` makes, in order (the headings may be any of a
# column's names): a CSV laid out so was saved from one of them
WORKBOOK_KEYS = ("ref", "section", "action", "status", "explanation", "timeframe")
SENT_REFS_LABEL = "Actions"  # the Instructions line listing the actions a workbook was sent with: "Actions | 21, 23"


def sent_refs_text(refs: Sequence[int]) -> str:
    """The Instructions line's value for `refs`: '21, 23, 25'."""
    return ", ".join(str(ref) for ref in refs)


def sent_refs(sheets: Sequence[RawSheet]) -> tuple[int, ...] | None:
    """The actions a workbook `reportgen returns` made was sent with, as its Instructions line "Actions" says;
    None for a workbook made before it had that line, or whose line is not a list of numbers."""
    text = _instructions_line(sheets, SENT_REFS_LABEL)
    if not re.fullmatch(r"\s*\d+(\s*,\s*\d+)*\s*", text):
        return None
    return tuple(int(ref) for ref in re.findall(r"\d+", text))


def is_workbook_layout(table: Table) -> bool:
    """Whether a table has exactly the columns of our workbook's data sheet, in its order (`WORKBOOK_KEYS`,
    the Section column included): a CSV that has was saved from one of our workbooks, not a partner's own sheet."""
    keys = {heading: key for key, heading in table.written.items()}
    keys.setdefault(RETURN_SECTION_HEADING, "section")
    return tuple(keys.get(heading, "") for heading in table.headings if heading.strip()) == WORKBOOK_KEYS


def judged_as_sent(read: PartnerReturn, settings: Settings, period: str, copies: Path,
                   issues: list[Issue]) -> tuple[PartnerReturn, list[Issue]]:
    """A CSV saved from our workbook keeps neither the period it was made for nor the actions it was sent with,
    so the checks against what it was pre-filled with (untouched, explanation cleared, row deleted) would be
    skipped without a word. Judged against the secretariat's copies of the workbook made for its partner for the
    period (`sent_copies_of`) where there are any; else said (`csv-not-checked`), naming what could not be
    checked. Of several copies (one made by `reportgen returns`, a different one mailed since), a row of an action
    any of them had is one the partner was sent, not one it added."""
    kept = sent_copies_of(copies, read.partner, period)
    if not kept:
        return read, [*issues, issue("csv-not-checked", partner=read.partner, folder=f"outputs/{period}/returns/",
                                     period=period_label(period), file=read.path)]
    sent: set[int] = set()
    for copy in kept:
        sent_read, _ = read_return(copy, settings, copy.name, read.partner, period)
        if sent_read is not None:
            sent.update(sent_read.sent if sent_read.sent is not None else (u.ref for u in sent_read.updates))
    return replace(read, prefilled=True, sent=tuple(sorted(sent))), issues


def sent_copies_of(folder: Path, partner: str, period: str) -> list[Path]:
    """The workbooks made for `partner` for `period` in `folder` (by `reportgen returns`, or kept by
    `send-returns` as mailed), as their own Instructions ("Partner") and period say: the copies of what the
    partner was sent, by name; none when the folder cannot be read."""
    try:
        candidates = sorted(folder.glob("*.xlsx"))
    except OSError:
        return []
    found = []
    for candidate in candidates:
        sheets, _ = read_sheets(candidate, candidate.name)
        if sheets and made_for_lead(sheets) == partner and made_for(candidate, sheets) == period:
            found.append(candidate)
    return found


def sent_rows(folder: Path, partner: str, period: str, settings: Settings) -> Iterator[Update]:
    """Each row of each workbook made for `partner` for `period` in `folder` (`sent_copies_of`), as read: what the
    partner was sent, to tell a cell left as sent from one the partner changed."""
    for copy in sent_copies_of(folder, partner, period):
        read, _issues = read_return(copy, settings, copy.name, partner, period)
        yield from read.updates if read is not None else ()


PERIOD_PROPERTY = "reportgen period"  # the custom document property a return workbook's period is kept in


def made_for(path: Path, sheets: Sequence[RawSheet] = ()) -> str:
    """The period (YYYY-MM) the workbook at `path` was made for by `reportgen returns`; "" for a CSV or a
    partner's own workbook. Said by its custom property, or, in a workbook made before it had one, by the
    "Period" line of its Instructions sheet (among `sheets`, as read)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return ""
    try:
        found = read_custom_property(path, PERIOD_PROPERTY) or ""
    except Exception:  # a damaged package: its cells were read (or reported) as usual, and no period is said
        return ""
    return found if is_period(found) else _instructions_period(sheets)


def workbook_lead(path: Path) -> str:
    """The lead partner the workbook at `path` was made for by `reportgen returns` (`made_for_lead`); "" for a
    CSV, a partner's own workbook or one that cannot be read (whose problems are said when it is read)."""
    if not made_for(path):  # only our workbooks say their period; the sheets are read for those alone
        return ""
    sheets, _issues = read_sheets(path, path.name)
    return made_for_lead(sheets)


def made_for_lead(sheets: Sequence[RawSheet]) -> str:
    """The lead partner a workbook was made for by `reportgen returns`, as its Instructions sheet's line
    "Partner | Wessex Police" says (among `sheets`, as read); "" for a CSV or a partner's own workbook."""
    return _instructions_line(sheets, "Partner")


def instructions_saved_as_csv(path: Path, sheets: Sequence[RawSheet], issues: list[Issue]) -> list[Issue]:
    """`issues`, told right for a CSV saved while our workbook's Instructions sheet was showing: it holds the
    lines "Partner return", "Partner | …", "Period | …" and no Return table, so "rename the headings" is the wrong
    advice; the partner is asked to save the Return sheet instead (or send the workbook)."""
    if path.suffix.lower() != ".csv" or not any(is_instructions(sheet) for sheet in sheets):
        return issues
    lead, period = made_for_lead(sheets), _instructions_period(sheets)
    whose = (f" made for {lead}" if lead else "") + (f" for {period_label(period)}" if period else "")
    return [issue("no-data-sheet", "instructions-csv", whose=whose, file=item.file, sheet=item.sheet)
            if item.code == "no-data-sheet" else item for item in issues]


def _instructions_period(sheets: Sequence[RawSheet]) -> str:
    """The period of the line "Period | October 2026" our Instructions sheet carries; "" without one."""
    try:
        when = dt.datetime.strptime(_instructions_line(sheets, "Period"), "%B %Y")
    except ValueError:
        return ""
    return f"{when.year:04d}-{when.month:02d}"


def _instructions_line(sheets: Sequence[RawSheet], label: str) -> str:
    """The value of our Instructions sheet's line `label | value`; "" without one."""
    for sheet in sheets:
        if not is_instructions(sheet):
            continue
        for _number, cells in sheet.rows:
            texts = [cell_text(cell).strip() for cell in cells if cell_text(cell).strip()]
            if len(texts) == 2 and texts[0] == label:
                return texts[1]
    return ""


def wrong_period(display: str, period: str, other: str, kept_there: bool = False) -> Issue | None:
    """The issue when the file is reportgen's return workbook made for period `other` (`made_for`), not `period`
    ("": read whatever it was made for); `kept_there`: `other`'s folder already holds the same file (`_kept_there`),
    so there is nothing to move."""
    if not period or not other or other == period:
        return None
    return issue("return-wrong-period", "kept-there" if kept_there else "", made_for=period_label(other),
                 period=period_label(period), file=display, value=other, folder_period=period)


def _kept_there(path: Path, other: str) -> bool:
    """Whether the returns folder of period `other` (beside the one `path` is in) holds a file of the same name and
    the same bytes: last month's return sent again, already filed where it belongs."""
    if not other or not re.fullmatch(r"\d{4}-\d{2}", path.parent.name):
        return False
    there = path.parent.parent / other / path.name
    try:
        return there != path and there.is_file() and there.read_bytes() == path.read_bytes()
    except OSError:
        return False


def _status_elsewhere(update: Update, table: Mapping[str, str], headings: Mapping[str, str]
                      ) -> tuple[str, str] | None:
    """The column (as the partner headed it), and what it holds, when a row with no status has a status alone in
    its explanation or timeframe cell ('Completed' typed one column along)."""
    for key, text in (("explanation", update.explanation), ("timeframe", update.timeframe)):
        if text.strip() and match_status(text, table) is not None:
            return headings[key], text.strip()
    return None


SHOWN_OPTIONAL = ("timeframe",)  # optional return columns whose text the paper shows


def register_only_headings(settings: Settings) -> frozenset[str]:
    """Heading keys of the register's columns a return does not read (Section, Lead…), as our workbooks
    carry some of them: expected in a return, and never another column's misspelling."""
    returns = {heading_key(name) for column in settings.returns.columns.values() for name in column.names}
    names = {heading_key(name) for column in settings.register.columns.values() for name in column.names}
    return frozenset((names | {heading_key(RETURN_SECTION_HEADING)}) - returns)


def unread_columns(table: Table, settings: Settings, found: Sequence[Issue],
                   register_names: frozenset[str]) -> list[Issue]:
    """What a return holds that the paper will not show, never dropped quietly: a column under a heading
    reportgen does not read that holds text (a register column such as Section, copied into our
    workbooks, is expected: `register_names`, from `register_only_headings`), a column with no heading
    that holds text under the headings, and no timeframe column at all when the paper's table shows one."""
    where = {"file": table.file, "sheet": table.sheet, "row": table.header_row}
    reported = {item.column for item in found if item.row == table.header_row}  # misnamed, duplicated
    issues = []
    expected = {position for position, heading in enumerate(table.headings)
                if heading and (position in table.index.values() or heading in reported
                                or heading_key(heading) in register_names)}
    filled = _filled_columns(table, expected)
    for position in sorted(filled):
        heading = table.headings[position] if position < len(table.headings) else ""
        cells = filled[position]
        number, ref, cell = cells[0]  # the first row is quoted; every row holding text is named
        at = {"value": cell_text(cell).strip(), "row": number, "file": table.file, "sheet": table.sheet,
              "ref": ref, "others": f"; {rows_and_actions(cells)} hold text" if len(cells) > 1 else ""}
        letter = column_letters(position + 1)
        if not heading:
            issues.append(issue("unread-column", "hidden-no-heading" if table.hidden(position) else "no-heading",
                                letter=letter, **at))
        elif table.hidden(position):
            issues.append(issue("unread-column", "hidden", letter=letter, column=heading, **at))
        else:
            issues.append(issue("unread-column", column=heading, **at))
    for key in SHOWN_OPTIONAL:  # when the paper's table has that column
        column = settings.returns.columns[key]
        if (key in settings.paper.table_columns and key not in table.index
                and column.heading not in {item.value for item in found}):
            issues.append(issue("missing-optional-column", value=column.heading, **where))
    return issues


def _filled_columns(table: Table, skip: set[int]) -> dict[int, list[tuple[int, int | None, Cell]]]:
    """By 0-based column position (but those in `skip`): every row holding text there (not spaces; a cell only
    formatted is not read at all), the action it names and that cell (`filled_cells`)."""
    ref_at = table.index.get("ref")
    widest = max((len(cells) for _number, cells in table.rows), default=0)
    found = {position: filled_cells(table.rows, position, ref_at) for position in range(widest) if position not in skip}
    return {position: cells for position, cells in found.items() if cells}


def section_column(table: Table, settings: Settings) -> int | None:
    """Where a return holds each action's Section (our workbooks' locked column, or the register's own
    heading for it), so that a section changed there is not ignored without a word; None when it has none."""
    names = _section_names(settings)
    return next((at for at, heading in enumerate(table.headings) if heading and heading_key(heading) in names
                 and at not in table.index.values()), None)


REGISTER_KEYS = ("lead", "page", "exempt")  # the register's columns a partner's sheet may carry beside the update


def register_columns(table: Table, settings: Settings) -> dict[int, str]:
    """Where a return holds the register's Lead, page or Exempt column (a partner's own sheet copied from the
    register, or a column added: "Owner", "Confidential"), by position: compared with the register's, so that a
    lead, page or exemption written there is not ignored without a word."""
    names = {heading_key(name): key for key in REGISTER_KEYS for name in settings.register.columns[key].names}
    return {at: names[heading_key(heading)] for at, heading in enumerate(table.headings)
            if heading and heading_key(heading) in names and at not in table.index.values()}


def _section_names(settings: Settings) -> set[str]:
    return {heading_key(RETURN_SECTION_HEADING),
            *(heading_key(name) for name in settings.register.columns["section"].names)}


def _without_prompts(cells: tuple[Cell, ...]) -> tuple[tuple[Cell, ...], list[tuple[int, str]]]:
    """The row with each cell that shows only a drop-down's prompt ("Please select") emptied, and those cells
    (position, text): a prompt is what the list shows before anyone chooses, not an answer."""
    prompts = [(at, text) for at, cell in enumerate(cells) if (text := prompt_text(cell))]
    if not prompts:
        return cells, []
    emptied = {at for at, _ in prompts}
    return tuple(None if at in emptied else cell for at, cell in enumerate(cells)), prompts


def _read_update(table: Table, number: int, cells: tuple[Cell, ...], partner: str, section_at: int | None = None,
                 prompts: Sequence[tuple[int, str]] = (), register_at: Mapping[int, str] | None = None
                 ) -> tuple[Update | None, list[Issue]]:
    ref, issues = read_ref(table, number, cells, "this update was left out", in_return=True)
    if ref is None:
        return None, issues
    status_prompt = ""
    for at, prompt in prompts:  # the status says it as its empty status
        if at == table.index.get("status"):
            status_prompt = prompt
        elif at in (table.index.get("explanation"), table.index.get("timeframe")):  # the columns the paper prints
            issues.append(issue("prompt-cell", value=prompt, file=table.file, sheet=table.sheet, row=number,
                                column=table.headings[at] if at < len(table.headings) else "", ref=ref))
    texts: dict[str, str] = {}
    for key in ("status", "explanation", "timeframe", "action"):
        # only the explanation's links reach the paper; the action is compared with the register's words
        text, found = read_text(table, number, cells, key, links=key == "explanation",
                                printed=key in ("explanation", "timeframe"))
        issues += [replace(item, ref=ref) for item in found]
        if text is None:
            return None, issues
        raw = table.value(cells, key)
        if key in ("explanation", "timeframe") and isinstance(raw, bool):
            issues.append(issue("true-false-value", value=text, file=table.file, sheet=table.sheet, row=number,
                                column=table.written.get(key, key), ref=ref))
        if key in ("explanation", "timeframe") and isinstance(raw, DateCell) and not raw.shows - {"time"}:
            issues.append(issue("time-value", value=text, stored=_stored_under_time(raw), file=table.file,
                                sheet=table.sheet, row=number, column=table.written.get(key, key), ref=ref))
        texts[key] = text
    issues += _timeframe_issues(table, number, cells, ref, texts)
    return Update(
        ref=ref,
        status=None,
        status_as_written=collapse_spaces(texts["status"]),
        explanation=texts["explanation"].strip(),
        timeframe=collapse_spaces(texts["timeframe"]),
        action_text=texts["action"].strip(),
        file=table.file,
        sheet=table.sheet,
        row=number,
        partner=partner,
        section_text=collapse_spaces(cell_text(cells[section_at])) if section_at is not None
        and section_at < len(cells) else "",
        status_prompt=status_prompt,
        hidden=number in table.hidden_rows,
        register_cells=tuple((key, table.headings[at], text) for at, key in (register_at or {}).items()
                             if at < len(cells) and (text := _cell_words(cells[at]))),
    ), issues


LONG_TIMEFRAME_WORDS = 40  # longer than any timeframe seen in partners' returns (the 2023 sample's: 16 words)
SWAPPED_TIMEFRAME_WORDS = 12  # a timeframe this long, and longer than the explanation: the two swapped?
LAST_SERIAL = 2_958_465  # Excel's last day, 31 December 9999
DATE_YEARS = (2000, 2099)  # a day number that falls in these years is taken for a date
# an explanation that reads as a timeframe: a few words naming when ('Ongoing', 'Spring 2024', 'March 2025', 'Q3')
_TIMEFRAME_LIKE = re.compile(
    r"(?i)(?=.*\b(?:ongoing|on-going|tbc|to be confirmed|spring|summer|autumn|winter|jan(?:uary)?|feb(?:ruary)?|"
    r"mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?|q[1-4]|quarter|(?:19|20)\d\d)\b)\W*(?:\w+\W*){1,5}")


def _timeframe_issues(table: Table, number: int, cells: tuple[Cell, ...], ref: int, texts: Mapping[str, str]
                      ) -> list[Issue]:
    """A timeframe that reads as an update (the explanation typed in its column), or that is a date's day number
    (a date pasted as a value): the paper would print either as the partner's timeframe."""
    where = {"file": table.file, "sheet": table.sheet, "row": number, "column": table.written.get("timeframe", ""),
             "ref": ref}
    timeframe, explanation = texts["timeframe"], texts["explanation"].strip()
    words = len(timeframe.split())
    if words >= SWAPPED_TIMEFRAME_WORDS and _TIMEFRAME_LIKE.fullmatch(explanation):
        return [issue("long-timeframe", "swapped", words=words, explanation=explanation, value=timeframe, **where)]
    if words > LONG_TIMEFRAME_WORDS:
        return [issue("long-timeframe", words=words, value=timeframe, **where)]
    serial = _day_number(table, table.value(cells, "timeframe"))
    if serial is not None:
        try:
            day = from_serial(serial, table.epoch)
        except (OverflowError, ValueError):  # past 9999 in a Mac workbook's calendar: no date
            return []
        if isinstance(day, dt.datetime) and DATE_YEARS[0] <= day.year <= DATE_YEARS[1]:
            return [issue("date-number", value=timeframe, date=day_text(day), **where)]
    return []


def _day_number(table: Table, raw: object) -> int | None:
    """A whole number that may be a date's day number: a number cell's, or a CSV cell's digits (Excel saves a
    General cell's day number as its digits)."""
    number = None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
        number = int(raw)
    elif isinstance(raw, str) and not table.sheet and raw.strip().isascii() and raw.strip().isdigit():
        number = int(raw.strip())
    return number if number is not None and 0 < number <= LAST_SERIAL else None


def _stored_under_time(cell: DateCell) -> str:
    """What a cell shown as a time holds, when it is more than a time of day: a year (2027) typed into a cell
    formatted as a time is day 2,027 of Excel's calendar, shown as 00:00."""
    if cell.serial is None or cell.serial < 1:
        return ""
    number = int(cell.serial) if float(cell.serial).is_integer() else cell.serial
    return f", though it holds the number {number} (typed into a cell formatted as a time?)"


def unknown_ref(partner_return: PartnerReturn, update: Update, ref_heading: str, where: Mapping[str, object],
                register: Register | None = None) -> Issue:
    """The issue of a row whose action is not in the register. When part of the `register` could not be read
    (`Register.incomplete`), the action may well be in that part: the row was not checked, which is the
    register's to mend, never the partner's (a note, `unchecked-ref`). A row the workbook was sent with
    (`PartnerReturn.sent`) is of an action withdrawn (or renumbered) since it was made: not the partner's to
    correct, nor a row it added, so a warning (`withdrawn-ref`) that says so; any other is an error."""
    if register is not None and register.incomplete:
        return issue("unchecked-ref", unread=register.unread, column=ref_heading, value=str(update.ref), **where)
    if partner_return.sent is not None and update.ref in partner_return.sent:
        return issue("withdrawn-ref", "sent", workbook=Path(partner_return.path).name, column=ref_heading,
                     value=str(update.ref), **where)
    return issue("unknown-ref", column=ref_heading, value=str(update.ref), **where)


def validate_return(partner_return: PartnerReturn, register: Register, settings: Settings
                    ) -> tuple[PartnerReturn, list[Issue]]:
    """Match statuses, check refs and wording against the register; unknown refs are left out."""
    actions = register.by_ref()
    table = status_table(settings.statuses.aliases)
    status_heading = partner_return.heading("status", settings.returns.columns["status"].heading)
    action_heading = partner_return.heading("action", settings.returns.columns["action"].heading)
    ref_heading = partner_return.heading("ref", settings.returns.columns["ref"].heading)
    other_headings = {key: partner_return.heading(key, settings.returns.columns[key].heading)
                      for key in ("explanation", "timeframe")}
    wordings = {_wording(other.text): other for other in register.actions}
    kept: list[Update] = []
    issues: list[Issue] = []
    for update in _renumbered(partner_return.updates, register, settings, ref_heading, issues):
        where = {"file": update.file, "sheet": update.sheet, "row": update.row, "ref": update.ref}
        action = actions.get(update.ref)
        if action is None:
            issues.append(unknown_ref(partner_return, update, ref_heading, where, register))
            continue
        status = match_status(update.status_as_written, table)
        if not update.status_as_written:
            typed = _status_elsewhere(update, table, other_headings)
            if typed and not update.status_prompt:  # a status typed one column along
                issues.append(issue("empty-status", "elsewhere", value=typed[1], there=typed[0], column=status_heading,
                                    **where))
            else:
                issues.append(issue("empty-status", "prompt" if update.status_prompt else "",
                                    value=update.status_prompt, column=status_heading, **where))
        elif status is None:
            issues.append(_unknown_status(update.status_as_written, other_headings["timeframe"],
                                          settings.statuses.aliases, column=status_heading, **where))
            missing = missing_glyphs(update.status_as_written)  # the paper prints a status it cannot read as written
            if missing:
                issues.append(issue("no-font-for", characters=missing, points=code_points(missing),
                                    value=update.status_as_written, column=status_heading, **where))
        if update.action_text and _wording(update.action_text) != _wording(action.text):
            issues.append(_action_text_issue(update, action, wordings, register.exempt_refs, action_heading, where))
        if update.section_text and _wording(update.section_text) != _wording(action.section):
            column = next((heading for heading in partner_return.headings
                           if heading and heading_key(heading) in _section_names(settings)), RETURN_SECTION_HEADING)
            issues.append(issue("section-changed", column=column, value=update.section_text,
                                section=quoted(action.section) if action.section else "no section", **where))
        issues += _register_cell_issues(update, action, settings, where)
        kept.append(replace(update, status=status))
    return replace(partner_return, updates=tuple(kept)), issues


def _renumbered(updates: Sequence[Update], register: Register, settings: Settings, ref_heading: str,
                issues: list[Issue]) -> list[Update]:
    """`updates` with each row of an action by the number it had before the plan was renumbered (a number no action
    has now, in an action's Was numbered column: a workbook made before the renumbering) put under its number now,
    and said (`renumbered-ref`, appended to `issues`); a number listed by several actions (one split in two) updates
    each. Only the register's own column renumbers a row: a number it does not list is left as written."""
    numbers = {action.ref for action in register.actions}
    now: dict[int, list[Action]] = {}
    for action in register.actions:
        for number in action.was:
            if number not in numbers:
                now.setdefault(number, []).append(action)
    was_column = dict(register.headings).get("was", settings.register.columns["was"].heading)
    read: list[Update] = []
    for update in updates:
        if update.ref not in now:
            read.append(update)
            continue
        actions = now[update.ref]
        first = actions[0]
        issues.append(issue("renumbered-ref", new=" and ".join(str(action.ref) for action in actions),
                            was_column=was_column, register_row=first.row or "?",
                            was=", ".join(str(number) for number in first.was), column=ref_heading,
                            value=str(update.ref), file=update.file, sheet=update.sheet, row=update.row,
                            ref=update.ref))
        # the row's Section and Action cells are the plan's before the renumbering, not the partner's words
        read += [replace(update, ref=action.ref, action_text="", section_text="") for action in actions]
    return read


def _cell_words(cell: Cell) -> str:
    """A cell's words, spaces tidied; a number as the number stored (0 under the format 0.00 is '0', as the register
    reads its Exempt column), not as it is shown."""
    if isinstance(cell, NumberCell):
        return str(int(cell.value)) if float(cell.value).is_integer() else str(cell.value)
    return collapse_spaces(cell_text(cell))


# what partners write in a Confidential column for 'no', beside the register's own not_exempt_values
NOT_CONFIDENTIAL = frozenset({"n/a", "na", "none", "nil", "public", "not confidential", "not applicable", "open",
                              "not restricted", "no restriction", "publish", "ok to publish"})


def says_not_confidential(text: str, settings: Settings) -> bool:
    """Whether a return's Exempt/Confidential cell says 'no': the register's words for it, the words partners use
    ('N/A', 'None', 'Public'), or no letters or digits at all ('-')."""
    words = text.casefold().strip().rstrip(".!")
    return (words in settings.register.not_exempt_values or words in NOT_CONFIDENTIAL
            or not any(char.isalnum() for char in words))


def _register_cell_issues(update: Update, action: Action, settings: Settings, where: Mapping[str, object]
                          ) -> list[Issue]:
    """A lead, page or exemption the return writes otherwise than the register: the paper prints the register's.
    An action the partner marks confidential that the register does not is an error: the public paper would
    print its update."""
    issues = []
    for key, heading, text in update.register_cells:
        if key == "exempt":
            if not action.exempt and not says_not_confidential(text, settings):
                issues.append(issue("return-exempt", column=heading, value=text, **where))
        elif key == "lead" and _wording(text) not in {_wording(lead) for lead in (action.lead, *action.leads)}:
            issues.append(issue("register-column-changed", column=heading, value=text, what="lead",
                                register=quoted(action.lead) if action.lead else "none", **where))
        elif key == "page" and _wording(text) != _wording(action.page):
            issues.append(issue("register-column-changed", column=heading, value=text, what="plan page",
                                register=quoted(action.page) if action.page else "none", **where))
    return issues


def _new_words(written: str, register: str) -> bool:
    """Whether an action cell holds many words the register's action does not (an update written over it), rather
    than the action shortened or reworded: at least three, and at least half as many as the action has."""
    ours = set(_wording(register).split())
    new = set(_wording(written).split()) - ours
    return len(new) >= max(3, len(ours) // 2)


def _unknown_status(written: str, timeframe_heading: str, aliases: Mapping[str, str], **where: object) -> Issue:
    """The workspace's own alias a status is most like ('Red (see update)', 'Amber/Red') is suggested with what it
    reads as: the partners were asked for those words. Else another word for a status ('Done') is suggested with
    how to make it one (an alias); a status mistyped or with words after it, with the status alone; a date is said
    to be one, as the timeframe typed a column along (a partner's '31 March 2027' is not a status mistyped). None
    is counted."""
    if looks_like_date(written):
        return issue("unknown-status", "date", timeframe=timeframe_heading, value=written, **where)
    own = alias_suggestions(written, aliases)
    if own:
        meant = " or ".join(f"{quoted(alias)} (read as {aliases[alias]})" for alias in own)
        return issue("unknown-status", hint=f" Did you mean {meant}?", value=written, **where)
    synonym = synonym_for(written)
    if synonym:
        return issue("unknown-status", "synonym", suggestion=synonym, value=written, **where)
    suggestion = suggest_status(written)
    hint = f" Did you mean {quoted(suggestion)}?" if suggestion else ""
    return issue("unknown-status", hint=hint, value=written, **where)


def _action_text_issue(update: Update, action: Action, wordings: dict[str, Action], exempt_refs: frozenset[int],
                       heading: str, where: dict[str, object]) -> Issue:
    """A row whose action text is not its action's: another action's wording word for word says the ref may be
    mis-keyed, and the row's update that action's; when that action is exempt, the public paper would print its
    update under the ref, which blocks publication until the partner says which it is."""
    other = wordings.get(_wording(update.action_text))
    if other is not None and other.ref != action.ref:
        # the row's own action exempt too: the public paper prints neither, so nothing it holds could leak
        row_exempt = action.exempt or action.ref in exempt_refs
        code = "action-text-of-exempt-action" if (other.exempt or other.ref in exempt_refs) and not row_exempt \
            else "action-text-of-other-action"
        return issue(code, column=heading, value=update.action_text, other=other.ref, **where)
    looks_like_update = not update.explanation and _new_words(update.action_text, action.text)
    return issue("action-text-changed", "update" if looks_like_update else "", column=heading,
                 value=update.action_text, **where)


def _wording(text: str) -> str:
    """The words of an action's text, for telling a changed action: case, punctuation, HTML tags and
    entities aside (a pre-filled workbook shows `<p>Fund…</p>` in the register as `Fund…`), and a link's
    address (a register's action linked with Insert > Link reads `[Fund…](https://…)`)."""
    words = _LINK.sub(r"\1", _TAG.sub(" ", text))
    return re.sub(r"[\W_]+", " ", html.unescape(words).casefold()).strip()
