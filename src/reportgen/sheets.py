"""Spreadsheet files (.xlsx, .csv) to raw rows of cell values, with file-level issues.

What it must not do: decide what a column means (that is `headings`), or drop a row silently.
Cells keep their type (int, float, str, bool, datetime) so a ref of 12.0 and TRUE can be told apart.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.headings import did_you_mean, find_header_row
from reportgen.issues import Issue, issue
from reportgen.settings import Column

Cell = object


@dataclass(frozen=True)
class RawSheet:
    name: str  # "" for CSV
    rows: tuple[tuple[Cell, ...], ...]  # every row from row 1, as read
    hidden: bool = False
    hidden_rows: frozenset[int] = field(default_factory=frozenset)  # 1-based


@dataclass(frozen=True)
class Table:
    """The data block of one sheet: headings as written, then rows with their spreadsheet row numbers."""

    file: str
    sheet: str
    header_row: int  # 1-based
    headings: tuple[str, ...]
    index: Mapping[str, int]  # key -> column position
    written: Mapping[str, str]  # key -> heading as written
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    hidden_rows: frozenset[int] = frozenset()

    def value(self, cells: tuple[Cell, ...], key: str) -> Cell:
        at = self.index.get(key)
        return cells[at] if at is not None and at < len(cells) else None


def read_sheets(path: Path, display: str) -> tuple[list[RawSheet], list[Issue]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, display)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, display)
    return [], [issue("unknown-file-type", f"{display} is not a .xlsx or .csv file.", file=display)]


def _read_xlsx(path: Path, display: str) -> tuple[list[RawSheet], list[Issue]]:
    import openpyxl

    if not zipfile.is_zipfile(path):
        what = "an old .xls workbook or a CSV" if _looks_like_text_or_xls(path) else "not a workbook"
        return [], [issue("unreadable-file", f"{display} is {what}, not an .xlsx file.", file=display)]
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files; all mean "cannot read"
        return [], [issue("unreadable-file", f"{display} could not be opened: {exc}.", file=display)]
    sheets: list[RawSheet] = []
    try:
        for sheet in book.worksheets:
            rows = tuple(tuple(row) for row in sheet.iter_rows(values_only=True))
            sheets.append(RawSheet(sheet.title, _trim(rows), hidden=sheet.sheet_state != "visible"))
    finally:
        book.close()
    return sheets, []


def _looks_like_text_or_xls(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(8)
    return start.startswith(b"\xd0\xcf\x11\xe0") or all(32 <= b < 127 or b in b"\r\n\t" for b in start)


def _read_csv(path: Path, display: str) -> tuple[list[RawSheet], list[Issue]]:
    data = path.read_bytes()
    text, encoding_issue = decode_csv(data, display)
    if text is None:
        return [], [encoding_issue] if encoding_issue else []
    issues = [encoding_issue] if encoding_issue else []
    if "\x00" in text:
        issues.append(issue("control-characters", f"{display} holds NUL bytes; they were removed.",
                            file=display, severity="warning"))
        text = text.replace("\x00", "")
    delimiter = ","
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]  # Excel's "sep=;" first line
        text = "".join(lines[1:])
        first_row_offset = 1
    else:
        first_row_offset = 0
        try:
            delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = tuple(tuple(cell if cell != "" else None for cell in row) for row in reader)
    if first_row_offset:
        rows = ((), *rows)  # keep spreadsheet row numbers as the partner sees them in Excel
    return [RawSheet("", _trim(rows))], issues


def decode_csv(data: bytes, display: str) -> tuple[str | None, Issue | None]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 as Excel saves it."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", display)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", display)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError as exc:
        return None, issue("unreadable-file",
                           f"{display} is in an unknown text encoding (byte {exc.start + 1} is not valid).",
                           file=display, action="Save it from Excel as 'CSV UTF-8' or as .xlsx.")


def _strict(data: bytes, encoding: str, display: str) -> tuple[str | None, Issue | None]:
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        return None, issue("unreadable-file", f"{display} is not valid {encoding} (at byte {exc.start + 1}).",
                           file=display, action="Save it from Excel as 'CSV UTF-8' or as .xlsx.")


def _trim(rows: tuple[tuple[Cell, ...], ...]) -> tuple[tuple[Cell, ...], ...]:
    """Drop trailing empty rows (formatted but empty rows are common at the end of a sheet)."""
    end = len(rows)
    while end and is_empty_row(rows[end - 1]):
        end -= 1
    return rows[:end]


def is_empty_row(cells: Sequence[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def locate_table(
    sheets: Sequence[RawSheet], columns: Mapping[str, Column], display: str
) -> tuple[Table | None, list[Issue]]:
    """Find the sheet and row holding the headings; report missing and duplicate columns."""
    issues: list[Issue] = []
    candidates = []
    for sheet in sheets:
        at, found = find_header_row(sheet.rows, columns)
        candidates.append((found.score, not sheet.hidden, sheet, at, found))
    if not candidates or max(c[0] for c in candidates) == 0:
        expected = ", ".join(repr(c.heading) for c in columns.values() if c.required)
        issues.append(issue("no-data-sheet", f"No sheet in {display} has the headings {expected}.", file=display))
        return None, issues
    _score, _visible, sheet, at, found = max(candidates, key=lambda c: (c[0], c[1]))
    for other in sheets:
        if other.hidden and other is not sheet:
            issues.append(issue("hidden-sheet", f"Hidden sheet {other.name!r} in {display} was not read.",
                                file=display, sheet=other.name))
    headings = tuple("" if cell is None else str(cell).strip() for cell in sheet.rows[at])
    for key, written in found.duplicates:
        issues.append(issue("duplicate-column",
                            f"Column {written!r} means the same as {found.written[key]!r}; the first is used.",
                            file=display, sheet=sheet.name, row=at + 1, column=written, value=written))
    for key in found.missing:
        column = columns[key]
        close = did_you_mean(column, found.unmatched)
        hint = f" Did you mean {close!r}?" if close else ""
        issues.append(issue("missing-column", f"Column {column.heading!r} was not found in {display}.{hint}",
                            file=display, sheet=sheet.name, row=at + 1, column=close or "",
                            value=column.heading))
    body = tuple(
        (number, cells)
        for number, cells in enumerate(sheet.rows[at + 1:], start=at + 2)
        if not is_empty_row(cells)
    )
    table = Table(display, sheet.name, at + 1, headings, dict(found.index), dict(found.written), body,
                  sheet.hidden_rows)
    if found.missing:
        return None, issues
    return table, issues


def read_text(table: Table, number: int, cells: tuple[Cell, ...], key: str) -> tuple[str | None, list[Issue]]:
    """A text cell, cleaned of invisible characters (reported); None when too long to publish."""
    from reportgen.richtext import clean_text
    from reportgen.values import MAX_CELL_CHARS, cell_text

    raw = cell_text(table.value(cells, key))
    text, findings = clean_text(raw)
    where = {"file": table.file, "sheet": table.sheet, "row": number, "column": table.written.get(key, key)}
    issues = [
        issue(code, f"Row {number}, column {where['column']!r}: " + CLEANED[code], value=raw, **where)
        for code in dict.fromkeys(findings)
    ]
    if len(text) > MAX_CELL_CHARS:
        issues.append(issue("cell-too-long",
                            f"Row {number}, column {where['column']!r} holds {len(text):,} characters "
                            f"(the limit is {MAX_CELL_CHARS:,}).", value=text[:80], **where))
        return None, issues
    return text, issues


CLEANED = {
    "control-characters": "invisible control characters were removed.",
    "invisible-characters": "zero-width or text-direction characters were removed.",
}
