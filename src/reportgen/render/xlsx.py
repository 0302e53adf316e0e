"""The merged register as a workbook for the secretariat: every cell text, never a formula.

openpyxl would write any string starting with "=" as a live formula; every cell here is set as a
string explicitly. Written to a temporary name and renamed, so a failed save leaves nothing behind.

Rows of wrapped text carry a height for their text (`fitted_height`): Excel sizes such rows itself when
it opens a workbook, LibreOffice does not and drew every line over the next row's.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.files import stable_zip, write_atomically
from reportgen.model import Paper, PaperRow
from reportgen.paper_rules import document_title
from reportgen.read.richtext import parse_explanation

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FIXED_TIME = dt.datetime(2000, 1, 1)  # workbook properties: identical inputs give identical content

# the last four say where each status was reported, so it can be traced to the partner's file, sheet and row
REGISTER_HEADINGS = ("Ref", "Section", "Lead", "Action", "Status", "Status note", "Explanation",
                     "Timeframe", "Page", "Update", "Reported in", "Reported in file", "Sheet", "Row")
WIDTHS = (7, 18, 22, 50, 14, 24, 70, 20, 9, 16, 11, 40, 12, 7)
DEFAULT_WIDTH = 8.43  # a column without a width, in characters
LINE_POINTS = 15.0  # a line of Excel's default font (Calibri 11 pt) in a row Excel sizes itself
# characters of text a wrapped line holds per unit of column width (a digit's width), measured in
# LibreOffice's print of a return (Carlito: Calibri's metrics); a line is LINE_POINTS, as Excel sizes it
# (LibreOffice's lines are ~13 pt, so rows there are a little taller than their text)
CHARS_PER_WIDTH = 1.2
BOLD_WIDTH = 1.1  # bold characters are about a tenth wider


def bold_font(size: float = 11) -> Font:
    """Bold in the workbook's own font (Calibri, openpyxl's default): a bare Font(bold=True) names no font, and
    LibreOffice drew such headings in its default serif beside the sheet's Calibri (Carlito) text."""
    return Font(name="Calibri", family=2, scheme="minor", size=size, bold=True)


def write_register_xlsx(paper: Paper, out: Path) -> None:
    """register.xlsx: one row per action of the paper; the ref a number (it sorts and filters as one),
    list items in the action and explanation keep their bullet or number. The restricted edition's is
    marked as its paper is: the sheet's name and every printed page."""
    rows = [
        (row.ref, row.section, row.lead, cell_text(row, "action", row.action), row.status_label,
         "\n".join(note.text for note in paper.status_cell(row).notes if note.kind == "note"),  # exempt first
         cell_text(row, "explanation", row.explanation), row.timeframe, row.page, row.state, *reported_where(row))
        for row in paper.rows
    ]
    write_rows(out, marked_title("Register", paper.marking), REGISTER_HEADINGS, rows, WIDTHS, paper.marking,
               document_title(f"{paper.title} – register", paper.title_marking))


def reported_where(row: PaperRow) -> tuple[str, str, str, int | str]:
    """When and where `row`'s status was reported: the period, the return's file, sheet and row (blank when the
    draft it was carried from did not record them)."""
    return row.reported, row.reported_file, row.reported_sheet, row.reported_row or ""


def marked_title(title: str, marking: str) -> str:
    """A sheet's name with the edition's `marking` ("Register RESTRICTED"), in what Excel accepts: at most
    31 characters, none of []:*?/\\."""
    if not marking:
        return title
    safe = "".join(" " if char in "[]:*?/\\" else char for char in marking)
    return f"{title} {safe}"[:31].strip()


def cell_text(row: PaperRow, key: str, plain: str) -> str:
    """The words of `row`'s `key` cell as a spreadsheet cell holds them: a line per paragraph, list
    items with their bullet ("• ") or number ("1. "), indented two spaces a level below the first (an item's own
    lines, a `<br>` within it, two spaces more).
    `plain` (the text as kept, which may hold a partner's HTML fragments) is read as the paper reads an
    explanation when the paper's table has no such column."""
    try:
        blocks = row.cell(key).blocks
    except KeyError:
        blocks = parse_explanation(plain)
    if not blocks:
        return plain
    lines, numbers = [], [0] * 4
    for block in blocks:
        if block.kind not in ("bullet", "number"):
            numbers = [0] * 4
            lines.append(block.text)
            continue
        depth = min(max(block.level, 1), len(numbers)) - 1
        numbers[depth + 1:] = [0] * (len(numbers) - depth - 1)  # a list under this item starts again at 1
        numbers[depth] = numbers[depth] + 1 if block.kind == "number" else 0
        marker = f"{numbers[depth]}. " if block.kind == "number" else "• "
        lines.append("  " * depth + marker + block.text.replace("\n", "\n" + "  " * (depth + 1)))  # its own lines
    return "\n".join(lines)


def write_rows(out: Path, title: str, headings: Sequence[str], rows: Sequence[Sequence[str | int]],
               widths: Sequence[int] = (), marking: str = "", document: str = "") -> None:
    """One sheet, printed landscape one page wide under its headings: bold headings frozen at the top,
    then `rows` wrapped and top-aligned, text as text cells (never a formula), whole numbers (a ref) as numbers;
    with a `marking` (a restricted edition's), at the head and foot of every printed page. `document`: the
    workbook's title property (`write_sheets`)."""
    write_sheets(out, [Rows(title, headings, rows, widths)], marking, document)


@dataclass(frozen=True)
class Rows:
    """One sheet of a workbook: its name, headings, rows and column widths (in characters). `frozen` is the
    first cell that scrolls (the rows above it and the columns left of it stay in view); `filtered` puts a
    filter button on each heading. `set_apart`: cells (row and column, from 0, within `rows`) that do not hold
    what the others of their column do, shaded and in italics (Excel filters by the shade), each with a comment
    saying why, e.g. a status carried forward rather than reported. `commented`: cells that hold what their column
    does, with a comment saying more of them (a status corrected since an earlier draft said another), unshaded."""

    title: str
    headings: Sequence[str]
    rows: Sequence[Sequence[str | int]]
    widths: Sequence[int] = ()
    frozen: str = "A2"
    filtered: bool = False
    set_apart: Mapping[tuple[int, int], str] = field(default_factory=dict)
    commented: Mapping[tuple[int, int], str] = field(default_factory=dict)


SET_APART_FILL = "E7E6E6"  # a pale grey: black text on it keeps a contrast of 15:1
COMMENT_AUTHOR = "reportgen"


def write_sheets(out: Path, sheets: Sequence[Rows], marking: str = "", title: str = "") -> None:
    """A workbook of `sheets`, each laid out as `write_rows` says, written atomically. Its own properties (what a
    file list, a document system or Excel's Info pane shows without opening a sheet) give `title`, led by the
    `marking` as the sheets' names are, and the marking as the keyword, as the paper's DOCX and PDF do.

    Written row by row (openpyxl's write-only mode): a workbook held whole took ~80 MiB more at 15,000
    actions, while the PDF was being laid out beside it."""
    book = Workbook(write_only=True)
    book.properties.creator = "reportgen"  # openpyxl's own name otherwise
    book.properties.title = document_title(title, marking) or None
    book.properties.keywords = marking or None
    for rows in sheets:
        append_sheet(book, rows, marking)
    write_atomically(out, workbook_bytes(book))


def append_sheet(book: Workbook, rows: Rows, marking: str) -> None:
    sheet = book.create_sheet(rows.title)
    for position, width in enumerate(rows.widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = rows.frozen
    if rows.filtered:  # the range filtered: the headings and every row under them
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(rows.headings), 1))}{len(rows.rows) + 1}"
    sheet.print_title_rows = "1:1"
    print_landscape(sheet)
    if marking:
        mark_pages(sheet, marking)
    bold, wrapped = bold_font(), Alignment(wrap_text=True, vertical="top")
    # a number (a ref) left, under its heading: right-aligned, it ran into the next column's words
    number = Alignment(horizontal="left", vertical="top")
    sheet.append([text_cell(sheet, heading, font=bold) for heading in rows.headings])
    for index, values in enumerate(rows.rows, start=2):
        cells = zip(values, rows.widths or (DEFAULT_WIDTH,) * len(values))
        set_height(sheet, index, fitted_height((text, width) for text, width in cells if isinstance(text, str)))
        row = [text_cell(sheet, value, alignment=wrapped) if isinstance(value, str)
               else number_cell(sheet, value, number) for value in values]
        for column, cell in enumerate(row):
            why, more = rows.set_apart.get((index - 2, column)), rows.commented.get((index - 2, column))
            if why is not None:
                set_cell_apart(cell, why if more is None else f"{why}\n{more}")
            elif more is not None:
                cell.comment = Comment(more, COMMENT_AUTHOR, width=240, height=70)
        sheet.append(row)


def set_cell_apart(cell: Cell, why: str) -> None:
    """`cell` shaded and in italics, with a comment saying `why`: a reader sees it is not like its neighbours
    (and a screen reader, which reads no shade, reads the comment)."""
    cell.font = Font(name="Calibri", family=2, scheme="minor", size=11, italic=True)
    cell.fill = PatternFill(fill_type="solid", start_color=SET_APART_FILL, end_color=SET_APART_FILL)
    cell.comment = Comment(why, COMMENT_AUTHOR, width=240, height=70)


def print_landscape(sheet: Worksheet | WriteOnlyWorksheet) -> None:
    """Printed landscape, one page wide (as many pages long as it takes)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def mark_pages(sheet: Worksheet | WriteOnlyWorksheet, marking: str) -> None:
    """`marking` centred at the head and foot of every printed page ("&" doubled: Excel reads "&" as a code)."""
    text = marking.replace("&", "&&")
    sheet.oddHeader.center.text = text
    sheet.oddFooter.center.text = text


def fitted_height(cells: Iterable[tuple[str, float]]) -> float | None:
    """The height in points a row of wrapped (text, column width) cells needs; None for one line.

    An estimate from the characters a line of the column holds, on the generous side: Excel recomputes
    the height when a cell is edited (it is written as an automatic height, `set_height`)."""
    lines = max((wrapped_lines(text, width) for text, width in cells if text), default=1)
    return lines * LINE_POINTS if lines > 1 else None


def fit_rows(sheet: Worksheet) -> None:
    """A height for each row of `sheet` whose wrapped text cells need more than one line."""
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    for row in sheet.iter_rows():
        lines = max((wrapped_lines(cell.value, widths.get(cell.column_letter) or DEFAULT_WIDTH, bool(cell.font.b))
                     for cell in row if isinstance(cell.value, str) and cell.alignment.wrap_text), default=1)
        set_height(sheet, row[0].row, lines * LINE_POINTS if lines > 1 else None)


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    per_line = max(1.0, width * CHARS_PER_WIDTH / (BOLD_WIDTH if bold else 1.0))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.splitlines() or [""])


def set_height(sheet: Worksheet | WriteOnlyWorksheet, index: int, height: float | None) -> None:
    """Give row `index` of `sheet` `height` points (in write-only mode, before the row is written)."""
    if height is not None:
        sheet.row_dimensions[index] = _SizedRow(sheet, index=index, ht=height)


class _SizedRow(RowDimension):
    """A row height written without `customHeight`: an automatic height, which Excel recomputes when the
    row's text changes, rather than a fixed one (openpyxl marks every height it writes as fixed)."""

    @property
    def customHeight(self) -> bool:  # openpyxl's name
        return False


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes that depend only on its content (fixed dates throughout)."""
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue(), modified=FIXED_TIME.isoformat() + "Z")


def number_cell(sheet: object, value: int, alignment: Alignment) -> Cell:
    cell = Cell(sheet, row=1, column=1, value=value)
    cell.alignment = alignment
    return cell


def text_cell(sheet: object, value: str, font: Font | None = None, alignment: Alignment | None = None) -> Cell:
    """A cell holding `value` as text, even when it starts with '=' (never a formula)."""
    # a place until appended: write-only sheets name the cell (its coordinate) while taking it
    cell = Cell(sheet, row=1, column=1)
    cell._value = value  # openpyxl has no public API for a literal string starting with "="
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell
