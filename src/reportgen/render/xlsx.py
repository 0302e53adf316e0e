"""The merged register as a workbook for the secretariat: every cell text, never a formula.

openpyxl would write any string starting with "=" as a live formula; every cell here is set as a
string explicitly. Written to a temporary name and renamed, so a failed save leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from reportgen.files import stable_zip, write_atomically
from reportgen.model import Paper

FIXED_TIME = dt.datetime(2000, 1, 1)  # workbook properties: identical inputs give identical content

REGISTER_HEADINGS = ("Ref", "Section", "Lead", "Action", "Status", "Status note", "Explanation",
                     "Timeframe", "Page", "Update")
WIDTHS = (7, 18, 22, 50, 14, 24, 70, 20, 9, 16)


def write_register_xlsx(paper: Paper, out: Path) -> None:
    rows = [
        (str(row.ref), row.section, row.lead, row.action, row.status_label, row.note, row.explanation,
         row.timeframe, row.page, row.state)
        for row in paper.rows
    ]
    write_rows(out, "Register", REGISTER_HEADINGS, rows, WIDTHS)


def write_rows(out: Path, title: str, headings: Sequence[str], rows: Sequence[Sequence[str]],
               widths: Sequence[int] = ()) -> None:
    """One sheet: bold headings frozen at the top, then `rows` as text cells, wrapped and top-aligned.

    Written row by row (openpyxl's write-only mode): a workbook held whole took ~80 MiB more at 15,000
    actions, while the PDF was being laid out beside it."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([text_cell(sheet, heading, font=bold) for heading in headings])
    for values in rows:
        sheet.append([text_cell(sheet, value, alignment=wrapped) for value in values])
    write_atomically(out, workbook_bytes(book))


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes that depend only on its content (fixed dates throughout)."""
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue(), modified=FIXED_TIME.isoformat() + "Z")


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
