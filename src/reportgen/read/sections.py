"""Where a register keeps its sections when it has no column headed "Section": under a heading that means
sections ("Priority area", "Theme"), in a column that looks like one, or in rows holding only a section's name
above its actions ("banner" rows, often merged across the table).

What it must not do: read sections from anything but the register's "Section" column without a note naming
the heading or the rows read, nor guess a column's meaning from its values (such a column is only advised).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reportgen.issues import Issue, issue
from reportgen.model import Action
from reportgen.read.cells import cell_text, collapse_spaces, parse_ref
from reportgen.read.sheets import Table, is_note_row, read_text, toml_string
from reportgen.settings import Settings
from reportgen.settings_columns import SECTION_ALIASES, heading_key
from reportgen.wording import counted, quoted, row_spans

MIN_SECTION_ROWS = 2  # rows heading actions: one alone is as likely the register's title or a note
MIN_SECTION_VALUES = 2  # a column of one value repeated is a constant (a year, "OPCC"), not sections
ROWS_PER_SECTION = 2  # a column of sections holds at most half as many values as it has rows
FILLED_SHARE = 0.9  # a column of sections names the section of nearly every action
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")  # a target date's "March 2027" repeats over runs of rows as sections do
# headings that may mean sections, not read as them (`SECTION_ALIASES`): a column so headed is advised first
_MAYBE_SECTIONS = frozenset(heading_key(name) for name in ("Priority", "Objective", "Area", "Priority theme",
                                                             "Strategic priority", "Outcome", "Workstream"))


def section_heading_read(table: Table, settings: Settings) -> list[Issue]:
    """A note naming the register's column the sections were read from when reportgen matched it by one of
    its own aliases ("Priority area", "Theme"), not by the heading reportgen.toml names: read by its name
    alone, so said, with how to stop it."""
    written = table.written.get("section")
    if written is None or heading_key(written) == heading_key(settings.register.columns["section"].heading):
        return []
    if heading_key(written) not in {heading_key(name) for name in SECTION_ALIASES}:
        return []  # a heading the workspace named: its own choice
    return [issue("register-section-column", example=toml_string(written), file=table.file, sheet=table.sheet,
                  row=table.header_row, column=written)]


def sections_column_advice(table: Table) -> tuple[int, int] | None:
    """(0-based position, count of values) of the register's unread column most like one of sections, when the
    register has no section column: the first headed as sections may be ("Priority", "Objective", "Area"),
    else the first; None when it has one, or no column looks so."""
    if "section" in table.index:
        return None
    read = set(table.index.values())
    found = [(position, values) for position, heading in enumerate(table.headings)
             if heading and position not in read and (values := _values_as_sections(table, position))]
    found.sort(key=lambda item: heading_key(table.headings[item[0]]) not in _MAYBE_SECTIONS)
    return found[0] if found else None


def extra_sections_advice(table: Table, settings: Settings) -> list[Issue]:
    """A note for each [[register.extra]] whose column holds what a column of sections does, of a register with
    no section column: shown as a further column (as an earlier advice put it), it heads no section."""
    if "section" in table.index:
        return []
    issues = []
    for extra in settings.register.extra:
        position = table.index.get(extra.key)
        values = _values_as_sections(table, position) if position is not None else 0
        if values:
            written = table.written[extra.key]
            issues.append(issue("extra-looks-like-sections", key=extra.key, values=counted(values, "value"),
                                example=toml_string(written), file=table.file, sheet=table.sheet,
                                row=table.header_row, column=written))
    return issues


def _values_as_sections(table: Table, position: int) -> int:
    """How many values the column at `position` holds over the action rows, if it holds them as a column of
    sections does: text on nearly every row, a few values (each over one run of rows, none a year); else 0."""
    values: list[str] = []
    for _number, cells in table.rows:
        if parse_ref(table.value(cells, "ref"))[0] is None:
            continue  # a note or a row left out: not an action's
        raw = cells[position] if position < len(cells) else None
        if raw is not None and not isinstance(raw, str):
            return 0  # a number, a date, TRUE: not a section's name
        values.append(collapse_spaces(cell_text(raw)))
    filled = [value for value in values if value]
    if not filled or len(filled) < FILLED_SHARE * len(values):
        return 0
    runs = [value for at, value in enumerate(filled) if not at or filled[at - 1] != value]
    distinct = set(runs)
    if len(runs) != len(distinct) or any(_YEAR.search(value) for value in distinct):
        return 0
    return len(distinct) if MIN_SECTION_VALUES <= len(distinct) <= len(filled) // ROWS_PER_SECTION else 0


@dataclass(frozen=True)
class SectionRows:
    """A register's rows read as section headings (row number -> the section's name), the section of each
    action's row under one, and what reading their names found (invisible characters, a long word)."""

    names: Mapping[int, str]
    under: Mapping[int, str]
    issues: tuple[Issue, ...] = ()


def read_section_rows(table: Table) -> SectionRows:
    """With no section column, each row holding only a name in the reference column that heads actions, when
    two or more do: the actions after it, to the next, are in its section (register order). A row heading
    none (a note under the table, "Signed off by …") stays a note."""
    if "section" in table.index:
        return SectionRows({}, {})
    headed: dict[int, list[int]] = {}  # a row holding only a name -> the action rows after it
    for number, cells in table.rows:
        if is_note_row(table, cells):
            headed[number] = []
        elif headed and parse_ref(table.value(cells, "ref"))[0] is not None:
            headed[next(reversed(headed))].append(number)
    heading = {number: rows for number, rows in headed.items() if rows}
    if len(heading) < MIN_SECTION_ROWS:
        return SectionRows({}, {})
    names: dict[int, str] = {}
    under: dict[int, str] = {}
    issues: list[Issue] = []
    for number, rows in heading.items():
        text, found = read_text(table, number, table.by_number[number], "ref")
        issues += found
        if text is None or not collapse_spaces(text):
            continue  # too long to print, or only invisible characters: a note, said as one
        names[number] = collapse_spaces(text)
        under.update(dict.fromkeys(rows, names[number]))
    return SectionRows(names, under, tuple(issues))


def section_rows_read(table: Table, rows: SectionRows, actions: Iterable[Action]) -> list[Issue]:
    """The note naming the rows read as section headings. A section of exempt actions only is named in a
    note of its own, about one of them, so the public edition withholds its name as it withholds theirs."""
    by_section: dict[str, list[Action]] = {}
    for action in actions:
        by_section.setdefault(action.section, []).append(action)
    public = [number for number, name in rows.names.items()
              if not all(action.exempt for action in by_section.get(name, ()))]
    hidden = [number for number in rows.names if number not in public]
    issues = [_said(table, rows.names, public, None)] if public else []
    for number in hidden:
        issues.append(_said(table, rows.names, [number], by_section[rows.names[number]][0].ref))
    return issues


def _said(table: Table, names: Mapping[int, str], numbers: Sequence[int], ref: int | None) -> Issue:
    shown = [names[number] for number in numbers]
    each = [quoted(name) for name in shown]
    listed = ", ".join(each[:-1]) + f" and {each[-1]}" if len(each) > 1 else each[0]
    return issue("section-rows", rows=row_spans(list(numbers)), names=listed, file=table.file, sheet=table.sheet,
                 row=numbers[0], column=table.written["ref"], value=" | ".join(shown), ref=ref)


def sections_left_blank(table: Table, settings: Settings, actions: Iterable[Action]) -> list[Issue]:
    """A warning for each run of actions whose section cell is empty below an action with a section: a section
    typed on the first row of its group only (merged cells unmerged, rows copied from another sheet). Carrying
    the section down would print a guess as the plan's, so the paper heads each run apart where it stands, and
    the officer is told which rows to fill."""
    written = table.written.get("section")
    if written is None:
        return []
    heading = settings.column_heading("section", {"section": written})
    none = "No " + (heading[:1].lower() + heading[1:] if heading[1:].islower() else heading)
    issues: list[Issue] = []
    above: Action | None = None
    run: list[Action] = []
    for action in [*sorted(actions, key=lambda item: item.row or 0), None]:
        if action is not None and not action.section and above is not None:
            run.append(action)
            continue
        if run and above is not None:
            issues.append(_left_blank(table, written, none, above, run))
        run = []
        above = action if action is not None and action.section else above
    return issues


def _left_blank(table: Table, written: str, none: str, above: Action, run: Sequence[Action]) -> Issue:
    rows = [action.row for action in run if action.row is not None]
    refs = [str(action.ref) for action in run]
    listed = ", ".join(refs[:-1]) + f" and {refs[-1]}" if len(refs) > 1 else refs[0]
    return issue("section-left-blank", rows=row_spans(rows), refs=("actions " if len(refs) > 1 else "action ") + listed,
                 first_row=above.row, none=none, file=table.file, sheet=table.sheet, row=rows[0] if rows else None,
                 column=written, value=above.section)
