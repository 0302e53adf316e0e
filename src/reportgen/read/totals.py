"""Totals rows: a row an officer or partner adds under the table to count or sum it ("Total actions" beside
=COUNTA(A2:A37), or "Total" typed beside an action's number), which is no action and no update.

What it must not do: take a row with a real update (a status or explanation; in the register, an action's words)
for a total. Such a row is read as any other, and said to look like one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from reportgen.issues import Issue, issue
from reportgen.read.cells import cell_text, collapse_spaces
from reportgen.read.xlsx_values import NumberCell, column_letters, range_bounds
from reportgen.wording import quoted, row_spans

if TYPE_CHECKING:
    from reportgen.read.sheets import Table

Cell = object

# a row's words that say it is a total, with or without its count: "Total", "TOTALS", "Grand total:", "Total
# actions: 36", "36 total", "Sub-total (12)", "Total number of actions", "Total actions in plan", "Number of
# actions", "Count"
_TOTAL_WORDS = re.compile(r"(?:\d[\d,]*\s+)?(?:(?:grand\s+|sub-?\s?)?totals?(?:\s+(?:number\s+of\s+)?actions"
                          r"(?:\s+in\s+(?:the\s+)?plan)?)?|(?:number|count)\s+of\s+actions|count)"
                          r"\s*(?:[:=\-–—]\s*)?(?:\(?\d[\d,]*\)?)?\s*[.:]?", re.IGNORECASE)
_COUNT = re.compile(r"\d[\d,]*")
# a formula that adds up or counts other cells, as Excel writes it (a newer function with its _xlfn. prefix)
_AGGREGATE = re.compile(r"=\s*(?:_xlfn\.|_xlws\.)?(?:SUM|SUMIFS?|SUMPRODUCT|COUNTA?|COUNTIFS?|COUNTBLANK|ROWS"
                        r"|SUBTOTAL|AGGREGATE)\s*\(", re.IGNORECASE)
_RANGE_END = re.compile(r":\$?[A-Z]{0,3}\$?(\d+)\b", re.IGNORECASE)
# a count that goes on from the rows above, as a numbering formula filled down does: its range's first row held
# fast ($A$2:A37, A$2:A37) or one added to it (=COUNT(A2:A37)+1)
_GOES_ON = re.compile(r"\(\s*\$?[A-Z]{1,3}\$\d+\s*:|\)\s*\+\s*\d", re.IGNORECASE)

# the cells whose words make a row an update, not a total: a return's status, explanation and timeframe, a
# register's action
UPDATE_KEYS = {"return": ("status", "explanation", "timeframe"), "register": ("action",)}
SHOWN_CELLS = 5  # the most cells a totals row's issue quotes; past them, it counts the rest


def adds_up(formula: str) -> bool:
    """Whether a formula as written adds up or counts other cells (=SUM(…), =COUNTA(…), =SUBTOTAL(…), …)."""
    return bool(_AGGREGATE.match(formula))


def aggregate_cells(formulas: Mapping[str, str]) -> dict[tuple[int, int], str]:
    """(row, 0-based column) -> formula as written, of the `formulas` (cell -> formula as written) that add up or
    count cells: a total's. Not one that numbers its row (`numbers_its_row`)."""
    found = {}
    for cell, text in formulas.items():
        if not adds_up(text):
            continue
        try:
            (row, column), _ = range_bounds(cell)
        except ValueError:
            continue
        if not numbers_its_row(text, row):
            found[(row, column - 1)] = text
    return found


def numbers_its_row(formula: str, row: int) -> bool:
    """Whether a counting formula in `row` numbers the action beside it rather than totals the rows above: its
    range ends on its own row (=COUNTA($D$2:D5) filled down), or ends on the row just above and goes on from it
    (=COUNT(A$2:A37)+1, =COUNTA($A$1:A37)). =COUNTA(A2:A37) under the rows, or below a blank one, totals them."""
    ends = [int(end) for end in _RANGE_END.findall(formula)]
    return row in ends or (row - 1 in ends and bool(_GOES_ON.search(formula)))


def says_total(text: str) -> bool:
    """Whether `text` is only the word total ("Total", "Grand total", "Total actions"), with or without a count."""
    return bool(_TOTAL_WORDS.fullmatch(collapse_spaces(text)))


def _is_count(cell: Cell) -> bool:
    """Whether the cell holds a count only: a number, or digits typed as text."""
    if isinstance(cell, str):
        return bool(_COUNT.fullmatch(cell.strip()))
    return isinstance(cell, (int, float, NumberCell)) and not isinstance(cell, bool)


def _filled(table: Table, number: int, cells: tuple[Cell, ...]) -> Iterator[tuple[int, str, bool]]:
    """(position, as written, whether it says total) of each of the row's cells that holds anything, a formula
    as written where it adds up or counts (its value may be a count, or none if never calculated)."""
    last = max(table.aggregate_columns.get(number, ()), default=-1)
    for at in range(max(len(cells), last + 1)):
        formula = table.aggregates.get((number, at))
        if formula is not None:
            yield at, formula, True
            continue
        text = collapse_spaces(cell_text(_at(cells, at)))
        if text:
            yield at, text, says_total(text)


def total_signs(table: Table, number: int, cells: tuple[Cell, ...], kind: str) -> tuple[bool, bool]:
    """(whether the row looks like a total, whether it holds a real update). A row whose number cell adds up or
    counts other rows is a total whatever else it says: that count is no action's number. Otherwise it looks
    like one where a cell says "Total" (or "Number of actions", …): in a return, only where its cells outside
    the update's say nothing else but a count. A real update is words other than a total or a count in the
    update's cells (`UPDATE_KEYS` of `kind`), or in the register a lead: an action's row, not a label's."""
    update = {table.index[key] for key in UPDATE_KEYS[kind] if key in table.index}
    filled = list(_filled(table, number, cells))
    real = any(at in update and not total and not _is_count(_at(cells, at)) for at, _text, total in filled)
    if (number, table.index.get("ref")) in table.aggregates:
        return True, kind == "return" and real  # a partner's update beside it is still read, and said
    lead_at = table.index.get("lead") if kind == "register" else None
    real = real or any(at == lead_at for at, _text, _total in filled)  # a lead makes the row an action's
    outside = [(at, total) for at, _text, total in filled if at not in update or total]
    # a sum in an update's own cell (an explanation =SUM(…)) is no sign of a total: words saying one are
    says = any(total and (at not in update or (number, at) not in table.aggregates) for at, total in outside)
    plain = kind == "register" or all(total or _is_count(_at(cells, at)) for at, total in outside)
    return says and plain, real


def _at(cells: tuple[Cell, ...], at: int) -> Cell:
    return cells[at] if at < len(cells) else None


def is_totals_row(table: Table, number: int, cells: tuple[Cell, ...], kind: str) -> bool:
    """Whether the row is a total and nothing else: not an action, not an update."""
    looks, real = total_signs(table, number, cells, kind)
    return looks and not real


def what_total_holds(table: Table, number: int, cells: tuple[Cell, ...], every: bool = True) -> str:
    """The row's cells, a formula as written, each with its column: "'=COUNTA(A1:A37)' in column 'Plan priority',
    'All partners' in column 'Lead' and 'Total actions' in column 'Action'". Every cell of a row read as a total
    (one left unsaid would leave the officer wondering what else the row held: it is in no paper), past
    `SHOWN_CELLS` the rest counted; not `every`, only those that make it look like one (its number, a total's
    words or formula, a count), for a row read as an update, whose other cells are its own."""
    parts = []
    for at, text, total in _filled(table, number, cells):
        if not (every or total or at == table.index.get("ref") or _is_count(_at(cells, at))):
            continue
        heading = table.headings[at] if at < len(table.headings) else ""
        shown = text if len(text) <= 60 else text[:59] + "…"
        parts.append(f"{quoted(shown)} in column {quoted(heading) if heading else column_letters(at + 1)}")
    if len(parts) > SHOWN_CELLS:
        rest = len(parts) - SHOWN_CELLS + 1
        parts = [*parts[:SHOWN_CELLS - 1], f"{rest} other cell{'s' if rest > 1 else ''}"]
    return " and ".join(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + " and " + parts[-1]


def total_issue(table: Table, number: int, cells: tuple[Cell, ...], kind: str, ref: int | None) -> Issue | None:
    """The issue of a row that looks like a total: a note that it was not read, where it is only a total; a
    warning that it was read, as `ref`, where it holds a real update. None for any other row."""
    looks, real = total_signs(table, number, cells, kind)
    if not looks:
        return None
    where = {"file": table.file, "sheet": table.sheet, "row": number, "column": table.written.get("ref", ""),
             "value": table.aggregates.get((number, table.index.get("ref", -1))) or cell_text(table.value(cells,
                                                                                                          "ref"))}
    if not real:
        return issue("note-row", "register-total" if kind == "register" else "total",
                     holds=what_total_holds(table, number, cells), **where)
    if ref is None:
        return None  # its reference cannot be read: its own issue says so
    return issue("total-like-row", "register" if kind == "register" else "",
                 holds=what_total_holds(table, number, cells, every=False), ref=ref, **where)


def counts_beside_label(table: Table, number: int, cells: tuple[Cell, ...]) -> tuple[bool, bool]:
    """(whether a return's row with no action reference holds only counts in its update's cells, beside one label
    at most; whether one of them is a formula that counts): a count by status's row, "Complete" beside
    =COUNTIF(C4:C13,"Complete")."""
    if cell_text(table.value(cells, "ref")).strip():
        return False, False
    update = {table.index[key] for key in UPDATE_KEYS["return"] if key in table.index}
    filled = [at for at, _text, _total in _filled(table, number, cells)]
    counted = [at for at in filled if at in update]
    formulas = [at for at in counted if (number, at) in table.aggregates]
    counts = bool(counted) and all(at in formulas or _is_count(_at(cells, at)) for at in counted)
    return counts and len(filled) - len(counted) <= 1, bool(formulas)


def summary_blocks(table: Table) -> dict[int, tuple[int, ...]]:
    """A return's first row of each block of rows that count the rows above (its totals row, and the rows
    counting by status under it) -> the block's rows. A row of counts beside a label is in one where it counts
    with a formula (=COUNTIF(…)) or stands right under a totals row or another such row; a totals row alone is no
    block: its own note says it."""
    blocks: dict[int, tuple[int, ...]] = {}
    run: list[int] = []
    counting = False  # whether the run holds a row counting beside a label
    for number, cells in table.rows:
        counts, formula = counts_beside_label(table, number, cells)
        follows = bool(run) and run[-1] == number - 1
        if is_totals_row(table, number, cells, "return"):
            run, counting = ([*run, number], counting) if follows else ([number], False)
        elif counts and (formula or follows):
            run, counting = ([*run, number] if follows else [number]), True
        else:
            run, counting = [], False
        if counting:
            blocks[run[0]] = tuple(run)
    return blocks


def summary_issue(table: Table, rows: tuple[int, ...]) -> Issue:
    """The one note of a block of rows that count a return's rows (`summary_blocks`), quoting its first row and
    the labels of the others."""
    by_number = dict(table.rows)
    first = by_number[rows[0]]
    labels = [text for number in rows[1:] for at, text, _total in _filled(table, number, by_number[number])
              if (number, at) not in table.aggregates and not _is_count(_at(by_number[number], at))]
    holds = what_total_holds(table, rows[0], first)
    if labels:
        holds += "; then " + (", ".join(quoted(label) for label in labels[:-1]) + " and " if len(labels) > 1 else "")
        holds += quoted(labels[-1])
    spans = row_spans(list(rows))
    return issue("note-row", "summary", rows=spans[:1].upper() + spans[1:], holds=holds, file=table.file,
                 sheet=table.sheet, row=rows[0], column=table.written.get("ref", ""),
                 value=cell_text(table.value(first, "ref")))
