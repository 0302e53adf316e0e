"""The master action register: one row per action, the source of truth for action text and lead."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from reportgen.issues import Issue, issue
from reportgen.model import Action, Register
from reportgen.read.cells import (
    cell_text,
    clean_text,
    collapse_spaces,
    invisible_in,
    normalize_page,
    own_numbering,
    parse_ref,
)
from reportgen.read.exempt_heading import read_flag_lookalike
from reportgen.read.partners import key as partner_key
from reportgen.read.sections import (
    extra_sections_advice,
    read_section_rows,
    section_heading_read,
    section_rows_read,
    sections_column_advice,
    sections_left_blank,
)
from reportgen.read.sheets import (
    RawSheet,
    Table,
    locate_table,
    lone_note,
    read_ref,
    read_sheets,
    read_text,
    toml_string,
)
from reportgen.read.xlsx_values import DateCell, NumberCell
from reportgen.settings import SETTINGS_FILE, Settings
from reportgen.settings_columns import Column, ExtraColumn, heading_key
from reportgen.wording import counted, quoted, row_spans


def read_register(path: Path, settings: Settings, display: str) -> tuple[Register | None, list[Issue]]:
    sheets, issues = read_sheets(path, display)
    if not sheets:
        return None, issues
    table, found = _locate(sheets, settings, display)
    issues += found
    if table is None:
        return None, issues
    flag = settings.register.columns.get("exempt")
    table, lookalikes = read_flag_lookalike(table, flag) if flag is not None else (table, [])
    exempt_rows: set[int] = set()
    exempt_refs: set[int] = set()
    numbered: list[tuple[int, Action]] = []  # every row read as an action, duplicates too: said once all are known
    sections = read_section_rows(table)
    issues += sections.issues
    for number, cells in table.rows:
        if number in sections.names:
            continue  # a section's heading, not an action's row
        if _exempt(table, number, cells, settings)[0]:
            exempt_rows.add(number)
            ref, _why = parse_ref(table.value(cells, "ref"))
            if ref is not None:
                exempt_refs.add(ref)
        action, row_issues = _read_action(table, number, cells, settings)
        issues += [_register_note(item, table, cells) if item.code == "note-row" and lone_note(table, number, cells)
                   else item for item in row_issues]
        if action is None:
            continue
        if number in sections.under:
            action = replace(action, section=sections.under[number])
        numbered.append((number, action))
    seen = _rows_used(numbered, table.hidden_rows)
    actions = _actions_used(numbered, seen)
    refs = set(seen)
    old_copies: set[int] = set()  # hidden rows said as an action's old copy: not also as a plain hidden row
    for at, (number, action) in enumerate(numbered):
        used = seen[action.ref]
        if used == number:
            continue
        if number in table.hidden_rows and used not in table.hidden_rows:
            old_copies.add(number)
            issues.append(_hidden_copy(table, display, number, action, used, dict(numbered)[used]))
            continue
        around = (numbered[at - 1][1].ref if at else None,
                  numbered[at + 1][1].ref if at + 1 < len(numbered) else None)
        issues.append(_duplicate(table, display, number, action, used, around, refs))
    issues = [item for item in issues if not (item.code == "hidden-row" and item.sheet == table.sheet
                                              and item.row in old_copies)]
    issues, said_all = _bad_refs_summarised(issues, table, read_any=bool(actions))
    issues, said_all_formulas = _formula_refs_summarised(issues, table, bool(actions), exempt_rows)
    said_all = said_all or said_all_formulas
    if not actions and not said_all:
        issues.append(issue("empty-file", "register-unread", rows=counted(len(table.rows), "row"), file=display,
                            sheet=table.sheet) if table.rows else issue("empty-file", "register", file=display,
                                                                        sheet=table.sheet))
    actions, found = _joint_leads(actions, table)
    issues += found + _other_spellings(actions, table)
    columns = [*settings.register.columns, *(extra.key for extra in settings.register.extra)]
    absent = frozenset(key for key in columns if key not in table.index)
    issues += section_rows_read(table, sections, actions) + section_heading_read(table, settings)
    issues += _unless_merged(sections_left_blank(table, settings, actions), issues)
    unread = _unread_columns(table, not sections.names, {item.column for item in issues
                                                         if item.code == "optional-column-misnamed"})
    advised = {item.column for item in unread if item.code == "optional-column-misnamed"}  # said as sections
    issues = [item for item in issues if not (item.code == "optional-column-misnamed" and item.column in advised)]
    issues += _absent_table_columns(table, absent, settings) + unread
    issues += [] if sections.names else extra_sections_advice(table, settings)
    headings, found = _own_headings(table, settings)
    left_out = _unread(table, sections.names, set(seen.values()), issues)
    published = _unread(table, {*sections.names, *exempt_rows}, set(seen.values()), issues)
    return Register(display, table.sheet, tuple(actions), frozenset(exempt_rows), frozenset(exempt_refs),
                    absent, headings, left_out, published), _said_as_flags(issues + found, lookalikes)


def _unread(table: Table, skipped: Collection[int], read: Collection[int], issues: Sequence[Issue]) -> str:
    """What of the register its own errors kept from being read, as a sentence's part: its rows left out (no number,
    one that is not a whole number, a number already used, a cell too long), and its sheets of actions not read.
    "" when there are none. Section headings (in `skipped`, with exempt rows for what the public edition may say)
    and notes under the table are no actions, so not counted."""
    notes = {item.row for item in issues if item.code == "note-row" and item.file == table.file}
    left_out = [number for number, _cells in table.rows if number not in skipped and number not in read
                and number not in notes]
    sheets = [item.sheet for item in issues if item.code == "rows-on-another-sheet" and item.file == table.file]
    parts = [f"its {row_spans(left_out)} could not be read"] if left_out else []
    parts += [f"its sheet {quoted(sheet)} was not read" for sheet in sheets]
    return "; ".join(parts)


def _unless_merged(blank: list[Issue], issues: Sequence[Issue]) -> list[Issue]:
    """The warnings of sections left blank, but of rows under a section cell merged down over them: that
    merge is an error of its own, saying to fill in each row."""
    merged = [_merged_rows(str(item.value or "")) for item in issues if item.code == "merged-cells"]
    return [item for item in blank if not any(item.row in rows for rows in merged)]


def _merged_rows(cells: str) -> range:
    """The rows of a merged range as an issue gives it ("B4:B6" -> 4 to 6); none when it is not one."""
    found = re.fullmatch(r"[A-Z]+(\d+):[A-Z]+(\d+)", cells)
    return range(int(found[1]), int(found[2]) + 1) if found else range(0)


def _said_as_flags(issues: list[Issue], lookalikes: list[Issue]) -> list[Issue]:
    """`issues` with the errors on headings that read as an exemption flag in place of the warning and the note
    that call such a column one a heading out, or not read: it holds who may be published, not a column to show."""
    flags = {(item.sheet, item.column) for item in lookalikes}
    kept = [item for item in issues if not (item.code in ("optional-column-misnamed", "register-column-unread")
                                            and (item.sheet, item.column) in flags)]
    return kept + lookalikes


MANY_BAD_REFS = 4  # rows left out for one kind of reference, said in one issue rather than one a row


def _bad_refs_summarised(issues: list[Issue], table: Table, read_any: bool) -> tuple[list[Issue], bool]:
    """`issues` with the rows left out for one kind of reference (`_bad_ref_kinds`: a plan numbered 1.1, 1.2, … or
    A-101, A-102, …) said in one issue when they are many, or all the register's rows: a register of 220 such rows
    would otherwise print 220 errors, and the advice once. With whether that issue says none of the register's rows
    could be read (then "the register holds no actions" would be untrue)."""
    notes = sum(1 for item in issues if item.code == "note-row")  # "Signed off by …" under the table: not an action
    summaries: dict[int, Issue] = {}  # by id of each issue summarised; the summary takes the first one's place
    said_all = False
    for (numbering, why), rows in _bad_ref_kinds(issues, table).items():
        every = not read_any and len(rows) == len(table.rows) - notes
        if len(rows) < MANY_BAD_REFS and not every:
            continue
        first = rows[0]
        span, examples = _span_and_examples(rows)
        summary = issue("bad-ref-rows", ("all-numbering" if numbering else "all") if every else
                        ("numbering" if numbering else ""), rows=f"{counted(len(rows), 'row')} ({span})",
                        examples=examples, why=why, file=first.file, sheet=first.sheet, row=first.row,
                        column=first.column, value=first.value)
        summaries.update({id(item): summary for item in rows})
        said_all = said_all or every
    return _summarised(issues, summaries), said_all


def _span_and_examples(rows: Sequence[Issue]) -> tuple[str, str]:
    """The rows of issues in row order said as a span ("rows 4 to 9") and their first two values quoted."""
    first, last = rows[0], rows[-1]
    span = f"row {first.row}" if len(rows) == 1 else f"rows {first.row} to {last.row}"
    return span, ", ".join(quoted(item.value) for item in rows[:2]) + (", …" if len(rows) > 2 else "")


def _summarised(issues: list[Issue], summaries: dict[int, Issue]) -> list[Issue]:
    """`issues` with each one summarised (`summaries`, by its id) replaced by its summary, said once, where the first
    of them stood."""
    kept: list[Issue] = []
    said: set[int] = set()
    for item in issues:
        summary = summaries.get(id(item), item)
        if id(summary) not in said:
            said.add(id(summary))
            kept.append(summary)
    return kept


def _formula_refs_summarised(issues: list[Issue], table: Table, read_any: bool, exempt_rows: Collection[int]
                             ) -> tuple[list[Issue], bool]:
    """`issues` with the rows left out because their number cell holds a formula with no value (filled down as
    `=A2+1` by a script, which saves no calculated value) said in one issue when they are many, or all the register's
    rows: each such row was otherwise two errors (the formula, then "no action reference"), 70 for 35 rows, for one
    cause. The issue is placed at the first of them not flagged exempt, so that the public edition lists it too (it
    quotes formulas, no action's words). With whether that issue says none of the register's rows could be read."""
    column = table.written.get("ref")
    missing = {item.row: item for item in issues if item.code == "missing-ref" and item.file == table.file
               and item.sheet == table.sheet}
    kinds: dict[str, list[Issue]] = {}  # by what the formulas do: "has never been calculated", "gives the error #REF!"
    for item in issues:
        if (item.code == "formula-error" and item.file == table.file and item.sheet == table.sheet
                and item.column == column and item.row in missing):
            what = str(dict(item.named_fields).get("what", ""))
            kinds.setdefault(what, []).append(item)
    notes = sum(1 for item in issues if item.code == "note-row")
    summaries: dict[int, Issue] = {}  # by id of each issue summarised, the formula's and its row's missing-ref
    said_all = False
    for what, formulas in kinds.items():
        every = not read_any and len(formulas) == len(table.rows) - notes
        if not what or (len(formulas) < MANY_BAD_REFS and not every):
            continue
        formulas.sort(key=lambda item: item.row or 0)
        first = formulas[0]
        span, examples = _span_and_examples(formulas)
        anchor = next((item for item in formulas if item.row not in exempt_rows), first)
        summary = issue("bad-ref-rows", "all-formulas" if every else "formulas",
                        rows=f"{counted(len(formulas), 'row')} ({span})", what=what, examples=examples,
                        file=anchor.file, sheet=anchor.sheet, row=anchor.row, column=anchor.column, value=anchor.value)
        summaries.update({id(item): summary for item in formulas})
        summaries.update({id(missing[item.row]): summary for item in formulas if item.row is not None})
        said_all = said_all or every
    return _summarised(issues, summaries), said_all


def _bad_ref_kinds(issues: list[Issue], table: Table) -> dict[tuple[bool, str], list[Issue]]:
    """The register's `bad-ref` issues by kind: whether the reference is the plan's own numbering (`own_numbering`),
    and why it is not a whole number (a date, TRUE/FALSE, …), in row order."""
    cells = dict(table.rows)
    kinds: dict[tuple[bool, str], list[Issue]] = {}
    for item in issues:
        if item.code == "bad-ref" and item.row in cells:
            why = parse_ref(table.value(cells[item.row], "ref"))[1]
            kinds.setdefault((why == "not a whole number" and own_numbering(item.value), why), []).append(item)
    return kinds


def _rows_used(numbered: Sequence[tuple[int, Action]], hidden: Collection[int]) -> dict[int, int]:
    """Ref -> the row read as that action: its first row the officer sees in Excel, else its first row. An
    action's row copied below to reword it, the old one hidden, is the copy: the hidden row is what it replaced."""
    rows: dict[int, int] = {}
    for number, action in numbered:
        first = rows.get(action.ref)
        if first is None or (first in hidden and number not in hidden):
            rows[action.ref] = number
    return rows


def _actions_used(numbered: Sequence[tuple[int, Action]], used: Mapping[int, int]) -> list[Action]:
    """Each action once, from the row `used` for it, in the place of its first row: a reworded copy kept at
    the foot of the sheet stays where the action stands in the plan."""
    by_row = dict(numbered)
    actions: dict[int, Action] = {}
    for _number, action in numbered:
        actions.setdefault(action.ref, by_row[used[action.ref]])
    return list(actions.values())


def _hidden_copy(table: Table, display: str, number: int, action: Action, used_row: int, used: Action) -> Issue:
    """A hidden row numbered as an action that a row the officer sees is numbered too: most likely the old copy
    kept out of sight, left out for the row seen, both quoted so the officer can tell them apart."""
    return issue("hidden-duplicate-ref", used_row=used_row, action=_shortened(action.text),
                 used_action=_shortened(used.text), file=display, sheet=table.sheet, row=number,
                 column=table.written["ref"], value=str(action.ref), ref=action.ref)


def _shortened(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"


def _duplicate(table: Table, display: str, number: int, action: Action, first_row: int,
               around: tuple[int | None, int | None], refs: set[int]) -> Issue:
    """A second row numbered as another action: left out, its action quoted so the officer can tell which it is.
    Between rows numbered n and n + 2 (or after n, at the end) where no row is numbered n + 1 (12, 12, 14 where 13
    was meant), n + 1 is named."""
    where = {"file": display, "sheet": table.sheet, "row": number, "column": table.written["ref"],
             "value": str(action.ref), "ref": action.ref}
    text = _shortened(action.text)
    before, after = around
    meant = (before or 0) + 1
    if before is not None and meant not in refs and (after is None or after == meant + 1):
        return issue("duplicate-ref", "gap", first_row=first_row, action=text, meant=meant, **where)
    return issue("duplicate-ref", first_row=first_row, action=text, **where)


def _locate(sheets: Sequence[RawSheet], settings: Settings, display: str) -> tuple[Table | None, list[Issue]]:
    """The register's table, its headings matched for an extra before our column of that heading: a register
    with sections under "Theme" shows its "Section" column through an extra headed so. Unless that leaves
    one of our columns with no column at all (the register's only "Section" holds its sections), or with
    no table (its only "Lead"): then ours is read, and the note on the extra says so
    (`_absent_table_columns`)."""
    extras = {extra.key: extra for extra in settings.register.extra}
    ours = {key: column for key, column in settings.register.columns.items() if key not in extras}
    first = locate_table(sheets, {**extras, **ours}, display, register=True)
    if first[0] is not None and not _left_without(first[0], ours, extras.values()):
        return first
    second = locate_table(sheets, {**ours, **extras}, display, register=True)
    return second if second[0] is not None else (first[0], _sections_while_missing(sheets, ours, first[1]))


def _sections_while_missing(sheets: Sequence[RawSheet], columns: Mapping[str, Column], found: list[Issue]
                            ) -> list[Issue]:
    """`found`, of a register not read for a missing column, with a warning advising its column of sections (a few
    values, each over a run of rows) in place of any calling it a heading a letter or two out: a plan whose
    sections are headed "Priority" learns the line that reads them on its first run, not after the number and the
    action are named."""
    advice = _sections_advice(sheets, columns, [item for item in found if item.code == "missing-column"])
    if advice is None:
        return found
    return [item for item in found if not (item.code == "optional-column-misnamed" and item.column == advice.column)
            ] + [advice]


def _sections_advice(sheets: Sequence[RawSheet], columns: Mapping[str, Column], missing: Sequence[Issue]
                     ) -> Issue | None:
    """The warning naming the column of sections of a register read with its missing columns under the headings
    advised for them; None when it has none, or the number's column is not known."""
    if not missing:
        return None
    named = {item.value: item.column for item in missing if item.column}  # the heading advised for each column
    relaxed = {key: column.model_copy(update={"required": False, "aliases": (*column.aliases, named[column.heading])
                                              if column.heading in named else column.aliases})
               for key, column in columns.items()}
    table, _ = locate_table(sheets, relaxed, missing[0].file or "", register=True)
    like_sections = sections_column_advice(table) if table is not None and "ref" in table.index else None
    if table is None or like_sections is None:
        return None
    heading = table.headings[like_sections[0]]
    return issue("optional-column-misnamed", "sections", values=counted(like_sections[1], "value"),
                 example=toml_string(heading), file=table.file, sheet=table.sheet, row=table.header_row,
                 column=heading)


def _left_without(table: Table, ours: Mapping[str, Column], extras: Iterable[ExtraColumn]) -> bool:
    """Whether an extra took the register's only column of one of ours: its heading is one of that one's names."""
    for extra in extras:
        written = table.written.get(extra.key)
        if written is not None and any(key not in table.written and heading_key(written) in
                                       {heading_key(name) for name in column.names} for key, column in ours.items()):
            return True
    return False


def _other_spellings(actions: list[Action], table: Table) -> list[Issue]:
    """An issue for each other spelling of a lead ('northshire constabulary', 'Fire and Rescue' beside
    'Fire & Rescue': told apart as two leads, yet no return's file name can say which is meant) or of a section
    ('Supporting victims' beside 'Supporting Victims': two headings in the paper)."""
    issues: list[Issue] = []
    # a joint lead written two ways ('OPCC / Police', 'OPCC and Police') is still its partners', and only theirs
    for name, rows, usual, usual_rows in _spellings([a for a in actions if not a.joint], "lead", partner_key):
        anchor = _anchor(rows, usual_rows)
        issues.append(issue("lead-spelling", other=usual, first_row=usual_rows[0].row, rows=_rows(rows),
                            file=table.file, sheet=table.sheet, row=anchor.row, column=table.written["lead"],
                            value=name, ref=anchor.ref))
    for name, rows, usual, usual_rows in _spellings(actions, "section", _section_key):
        anchor = _anchor(rows, usual_rows)
        issues.append(issue("section-spelling", other=usual, first_row=usual_rows[0].row, rows=_rows(rows),
                            file=table.file, sheet=table.sheet, row=anchor.row,
                            column=table.written.get("section", table.written["ref"]), value=name, ref=anchor.ref))
    return issues


# what joins the partners of a joint lead: "OPCC / Wessex Police", "OPCC and Police", "Police & Council"
_JOINED = re.compile(r"(?:\s*(?:[/&+;,]|\band\b)\s*)+", re.IGNORECASE)
MAX_JOINED = 6  # parts of a lead cell tried as partners (2^5 ways to read them); a longer cell is one name


def _joint_leads(actions: list[Action], table: Table) -> tuple[list[Action], list[Issue]]:
    """Each lead cell whose parts ("OPCC / Wessex Police") are each the lead of other actions, as the register
    writes those, is read as joint (`Action.joint`) and said once, in a note. A cell that looks joint but a
    part of which leads nothing else stays the name of one lead, and is said too (a warning). A name none of
    whose parts leads anything ("Crime and Justice Board") is neither. A cell is decided after those with
    fewer parts, so a part may itself be a name with 'and' in it."""
    by_cell: dict[str, list[Action]] = {}
    for action in actions:
        if action.lead:
            by_cell.setdefault(action.lead, []).append(action)
    own: dict[str, str] = {}  # partner key -> the lead as written on most rows, of each lead not read as joint
    joint: dict[str, tuple[str, ...]] = {}
    issues: list[Issue] = []
    for cell in sorted(by_cell, key=lambda cell: len(_parts(cell))):  # stable: in register order otherwise
        led = by_cell[cell]
        reading = _reading(cell, own)
        anchor = next((action for action in led if not action.exempt), led[0])  # a note of published rows
        where = {"file": table.file, "sheet": table.sheet, "row": anchor.row, "column": table.written["lead"],
                 "value": cell, "ref": anchor.ref, "rows": _rows(led)}
        names = [own.get(partner_key(part)) for part in reading]
        partners = tuple(dict.fromkeys(name for name in names if name))
        if len(reading) > 1 and all(names) and len(partners) > 1:
            joint[cell] = partners
            issues.append(issue("joint-lead", partners=_listed(partners), **where))
            continue
        if partners and not all(names):
            missing = [part for part, name in zip(reading, names, strict=True) if not name]
            close = difflib.get_close_matches(missing[0], list(own.values()), n=1, cutoff=0.6)
            hint = f" (did you mean {quoted(close[0])} for {quoted(missing[0])}?)" if close else ""
            issues.append(issue("lead-looks-joint", missing=_listed(missing, "nor"), known=_listed(partners),
                                hint=hint, **where))
        key = partner_key(cell)
        if key not in own or len(led) > len(by_cell.get(own[key], ())):
            own[key] = cell
    return [replace(action, joint=joint[action.lead]) if action.lead in joint else action
            for action in actions], issues


def _parts(cell: str) -> list[tuple[int, int]]:
    """Where the parts of a lead cell are, between the words and marks that join partners."""
    bounds = [0, *(at for mark in _JOINED.finditer(cell) for at in mark.span()), len(cell)]
    return [(start, end) for start, end in zip(bounds[::2], bounds[1::2], strict=True) if start < end]


def _reading(cell: str, own: Mapping[str, str]) -> list[str]:
    """The best way to read a lead cell as names: its parts, runs of them joined again ("OPCC / Crime and
    Justice Board": two), as many of them leads in `own` as can be, then as few names as can be; the whole
    cell when it has one part, or too many to try."""
    parts = _parts(cell)
    if not 1 < len(parts) <= MAX_JOINED:
        return [cell]
    best: tuple[int, int] = (-1, 0)
    chosen = [cell]
    keys: dict[str, str] = {}  # a run of parts recurs in many ways to cut: its key is worked out once
    for cuts in range(1, 2 ** (len(parts) - 1)):  # each way to cut between parts, at least once
        names: list[str] = []
        start = 0
        for at in range(len(parts)):
            if at == len(parts) - 1 or cuts >> at & 1:
                names.append(cell[parts[start][0]:parts[at][1]])
                start = at + 1
        for name in names:
            if name not in keys:
                keys[name] = partner_key(name)
        leading = sum(len(name) for name in names if keys[name] in own)
        if (leading, -len(names)) > best:
            best, chosen = (leading, -len(names)), names
    return chosen


def _listed(names: Sequence[str], last: str = "and") -> str:
    """"'OPCC' and 'Wessex Police'", "'OPCC', 'Police' and 'Council'"."""
    each = [quoted(name) for name in names]
    return ", ".join(each[:-1]) + f" {last} {each[-1]}" if len(each) > 1 else "".join(each)


def _spellings(actions: list[Action], field: str, same: Callable[[str], str]
               ) -> Iterator[tuple[str, list[Action], str, list[Action]]]:
    """Each other spelling of one name in `field` (those `same` makes one), its actions, and the usual
    spelling, the one on most rows (the first written, on a tie), with its actions."""
    spellings: dict[str, dict[str, list[Action]]] = {}
    for action in actions:
        written = getattr(action, field)
        if written.strip():
            spellings.setdefault(same(written), {}).setdefault(written, []).append(action)
    for by_spelling in spellings.values():
        usual = max(by_spelling, key=lambda name: len(by_spelling[name]))
        yield from ((name, rows, usual, by_spelling[usual]) for name, rows in by_spelling.items() if name != usual)


def _section_key(section: str) -> str:
    """'Fair & Effective Justice', 'fair and effective justice:' -> 'fairandeffectivejustice'."""
    return heading_key(section.replace("&", " and "))


def _anchor(spelled: list[Action], usual: list[Action]) -> Action:
    """The action an issue naming both spellings is about: the other spelling's first, unless either spelling
    is only on exempt actions; then an exempt one's, so the public edition withholds the issue, which would
    name a lead (or section) of exempt actions only."""
    hidden = next((led for led in (spelled, usual) if all(action.exempt for action in led)), None)
    return (hidden or spelled)[0]


def _rows(led: list[Action]) -> str:
    """'row 6', or '3 rows from row 6'."""
    return f"row {led[0].row}" if len(led) == 1 else f"{counted(len(led), 'row')} from row {led[0].row}"


def _own_headings(table: Table, settings: Settings) -> tuple[tuple[tuple[str, str], ...], list[Issue]]:
    """The register's headings of the paper's columns, of the columns it groups its actions by and of the
    section and lead (the web edition's filters), as the paper prints them: spaces tidied and, as in a cell,
    invisible characters removed and reported."""
    headings: list[tuple[str, str]] = []
    issues: list[Issue] = []
    for key in dict.fromkeys((*settings.paper.table_columns, *settings.paper.group_by, "section", "lead")):
        written = table.written.get(key)
        if written is None:
            continue
        text, findings = clean_text(written)
        where = {"file": table.file, "sheet": table.sheet, "row": table.header_row, "column": written}
        if "control-characters" in findings:
            issues.append(issue("control-characters", value=written, **where))
        if "invisible-characters" in findings:
            issues.append(issue("invisible-characters", points=invisible_in(written), value=written, **where))
        headings.append((key, collapse_spaces(text)))
    return tuple(headings), issues


COLUMN_WORDS = {"page": "plan page"}  # a register column as a sentence names it, where not its key


def _absent_table_columns(table: Table, absent: frozenset[str], settings: Settings) -> list[Issue]:
    """A note for each column of the paper's table the register has none for (no page column): the paper
    leaves it out rather than print it empty under another plan's heading."""
    extras = {extra.key: extra for extra in settings.register.extra}
    where = {"file": table.file, "sheet": table.sheet, "row": table.header_row}
    issues = []
    for key in settings.paper.table_columns:
        if key not in absent or key in settings.returns.columns:
            continue
        extra = extras.get(key)
        taken = _taken_by(table, extra) if extra is not None else None
        if taken is not None:  # its heading is our column's ("Section"), and the register's only one: read as ours
            issues.append(issue("register-column-absent", "extra-taken", key=key, other=taken,
                                column=table.written[taken], **where))
        elif extra is not None:
            issues.append(issue("register-column-absent", "extra", key=key, value=settings.column_heading(key),
                                **where))
        else:  # every heading read as it: a new workspace's register heads it "Plan page", not our "CSCJ Plan page"
            names = [quoted(name) for name in dict.fromkeys(settings.register.columns[key].names)]
            listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
            issues.append(issue("register-column-absent", key=key, word=COLUMN_WORDS.get(key, key), headings=listed,
                                value=settings.column_heading(key), **where))
    return issues


def _taken_by(table: Table, extra: ExtraColumn) -> str | None:
    """Our column the register reads under one of `extra`'s names, if any."""
    names = {heading_key(name) for name in extra.names}
    return next((key for key, written in table.written.items()
                 if key != extra.key and heading_key(written) in names), None)


def _read_action(table: Table, number: int, cells: tuple[object, ...], settings: Settings
                 ) -> tuple[Action | None, list[Issue]]:
    where = {"file": table.file, "sheet": table.sheet, "row": number}
    ref, issues = read_ref(table, number, cells, "row left out")
    if ref is None:
        return None, issues
    texts: dict[str, str] = {}
    keys = ["action", "section", "lead", "page", *(e.key for e in settings.register.extra)]
    for key in keys:
        text, found = read_text(table, number, cells, key, links=key == "action")  # the paper shows its links
        issues += [replace(item, ref=ref) for item in found]
        if text is None:
            return None, issues
        texts[key] = text
    if isinstance(table.value(cells, "page"), DateCell):
        issues.append(issue("page-is-a-date", column=table.written["page"], value=texts["page"], ref=ref, **where))
    if not texts["lead"].strip():
        issues.append(issue("no-lead", column=table.written["lead"], value=texts["lead"], ref=ref, **where))
    exempt, exempt_issue = _exempt(table, number, cells, settings)
    if exempt_issue:
        issues.append(exempt_issue)
    was, was_issues = _was_numbered(table, cells, ref, where)
    issues += was_issues
    return Action(
        ref=ref,
        text=texts["action"].strip(),
        section=collapse_spaces(texts["section"]),
        lead=collapse_spaces(texts["lead"]),
        page=normalize_page(texts["page"]),
        exempt=exempt,
        extra=tuple((e.key, texts[e.key].strip()) for e in settings.register.extra),
        row=number,
        was=was,
    ), issues


def _was_numbered(table: Table, cells: tuple[object, ...], ref: int, where: Mapping[str, object]
                  ) -> tuple[tuple[int, ...], list[Issue]]:
    """The number(s) an action had before the plan was renumbered, from the Was numbered column: "12", or "11, 12"
    for actions merged into it; () when the column or the cell is empty. A cell that is not whole numbers is an
    error: the action is then paired by its own number, as the officer can see, never by a guess."""
    if "was" not in table.index:
        return (), []
    raw = table.value(cells, "was")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return (), []
    parts: list[object] = [*re.split(r"[,;&]|\band\b", raw, flags=re.IGNORECASE)] if isinstance(raw, str) else [raw]
    refs: list[int] = []
    for part in parts:
        number, why = parse_ref(part)
        if number is None:
            shown = raw.text() if isinstance(raw, (DateCell, NumberCell)) else str(raw)
            return (), [issue("bad-was-numbered", column=table.written["was"], value=shown, why=why, ref=ref, **where)]
        refs.append(number)
    return tuple(dict.fromkeys(refs)), []


def _unread_columns(table: Table, sectionless: bool, misnamed: Collection[str | None] = ()) -> list[Issue]:
    """A note for each headed column of the register that is not read ('Target Date', 'Current Status'), so
    an officer knows which of the office's columns the paper does not show. Of a register with no sections
    (`sectionless`: no column of them, nor rows heading them), the column most like one of sections is advised
    as the section column, not as a further column: read as one, it would head no section of the paper; a
    warning when its heading is close to the section's (among `misnamed`: "Priority", by "Priority area"), in
    place of the one that calls it a heading a letter or two out."""
    read = set(table.index.values())
    like_sections = sections_column_advice(table) if sectionless else None
    issues = []
    for position, heading in enumerate(table.headings):
        if not heading or position in read:
            continue
        where = {"example": toml_string(heading), "file": table.file, "sheet": table.sheet, "row": table.header_row,
                 "column": heading}
        if like_sections is not None and like_sections[0] == position:
            values = counted(like_sections[1], "value")
            issues.append(issue("optional-column-misnamed", "sections", values=values, **where) if heading in misnamed
                          else issue("register-column-unread", "section", values=values, **where))
        else:
            issues.append(issue("register-column-unread", **where))
    return issues


def _register_note(item: Issue, table: Table, cells: tuple[object, ...]) -> Issue:
    """A register's row holding only a name, as the register's: it holds actions, not updates, and where the
    register has a section column its sections are read from that column. Its value as `read_ref` quotes it
    (the issue's own is cut short)."""
    raw = table.value(cells, "ref")
    shown = raw.text() if isinstance(raw, (DateCell, NumberCell)) else raw
    where = {"file": item.file, "sheet": item.sheet, "row": item.row, "column": item.column, "value": shown}
    sections = table.written.get("section")
    if sections is None:
        return issue("note-row", "register", **where)
    return issue("note-row", "register-sections", sections=sections, **where)


def _exempt(table: Table, number: int, cells: tuple[object, ...], settings: Settings) -> tuple[bool, Issue | None]:
    """Fail closed: a flag we cannot read means the action stays out of the public paper."""
    if "exempt" not in table.index:
        return False, None
    raw = table.value(cells, "exempt")
    flag = cell_text(raw)  # as the register shows it: '1.00' under the Number format, a date as a date
    # a 1 or 0 by the number stored, whatever format shows it
    value = cell_text(raw.value if isinstance(raw, NumberCell) else raw).strip().casefold()
    if value in settings.register.exempt_values:
        return True, None
    if value in settings.register.not_exempt_values:
        return False, None
    return True, issue("exempt-flag", flag=flag, file=table.file, sheet=table.sheet, row=number,
                       column=table.written["exempt"], value=flag)


def check_partners(settings: Settings, register: Register) -> list[Issue]:
    """Each [partners."Name"] must be a lead in the register (else its mail and files go nowhere). Not said of a
    register part of which could not be read (`Register.incomplete`): the lead may be in that part, and the
    register's own errors say what to mend."""
    if register.incomplete:
        return []
    issues = []
    for name in settings.partners:
        if name in register.leads:
            continue
        where = {"file": SETTINGS_FILE, "column": f'[partners."{name}"]', "value": name}
        damaged = next((lead for lead in register.leads if letters_lost_from(name, lead)), None)
        if damaged is not None:  # the register is wrong, not the settings: never advised to copy its '?'
            issues.append(issue("partner-not-lead", "letters-lost", lead=damaged, **where))
            continue
        close = difflib.get_close_matches(name, register.leads, n=1, cutoff=0.6)
        hint = f" Did you mean {quoted(close[0])}?" if close else ""
        issues.append(issue("partner-not-lead", leads=", ".join(register.leads), hint=hint, **where))
    return issues


def letters_lost_from(name: str, lead: str) -> bool:
    """Whether the register's `lead` is `name` with a '?' for one or more of its letters: a register saved in
    Windows-1252 lost them ("T? Diogel" for "Tŷ Diogel")."""
    return (len(name) == len(lead) and "?" in lead
            and all(ours == theirs or (theirs == "?" and ours.isalpha()) for ours, theirs in zip(name, lead)))
