"""Spreadsheet files (.xlsx, .csv) to raw rows of cell values, with file-level issues.

What it must not do: decide what a column means (that is `headings`), or drop a row silently.
Cells keep their type (int, float, str, bool, a date) so a ref of 12.0 and TRUE can be told apart.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from reportgen.issues import Issue, issue
from reportgen.read.cells import cell_text, own_numbering, parse_ref
from reportgen.read.headings import HeadingMatch, did_you_mean, find_header_row, heading_key, match_headings
from reportgen.read.lost_letters import lost_letters
from reportgen.read.totals import adds_up, aggregate_cells, is_totals_row, summary_blocks, summary_issue, total_issue
from reportgen.read.workspace import OTHER_SPREADSHEETS, SAVED_AS_TEXT
from reportgen.read.xlsx_guard import SheetFacts, refuse_reason, scan_sheet
from reportgen.read.xlsx_reader import MAX_COLUMNS, TooLarge, is_strict, read_cells
from reportgen.read.xlsx_values import MAC_EPOCH, WINDOWS_EPOCH, DateCell, NumberCell, column_letters, range_bounds
from reportgen.settings import Column
from reportgen.settings_columns import builtin_alias
from reportgen.wording import composed, counted, quoted, row_spans

Cell = object


@dataclass(frozen=True)
class RawSheet:
    name: str  # "" for CSV
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]  # non-empty rows only, with their 1-based row number
    hidden: bool = False
    facts: SheetFacts = field(default_factory=SheetFacts)  # hidden rows, merged cells, formulas
    date1904: bool = False  # the workbook counts its day numbers from 1904 (see `Table.epoch`)
    # a CSV not saved as Unicode (Windows-1252, or ASCII with no UTF-8 mark): a letter it lacked is a '?'
    lossy: bool = False


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
    links: Mapping[str, str] = field(default_factory=dict)  # cell ("D5") -> URL set with Insert > Link
    hidden_columns: tuple[tuple[int, int], ...] = ()  # (first, last) 1-based column numbers hidden in Excel
    # 1-based row numbers hidden by hand in Excel (none where a filter hides rows: they are not kept out of sight)
    hidden_rows: frozenset[int] = frozenset()
    epoch: dt.datetime = WINDOWS_EPOCH  # day 0 of the workbook's day numbers (a CSV's: Excel's, which wrote it)
    # (row, 0-based column) -> formula as written, of the cells whose formula adds up or counts others: a total's
    aggregates: Mapping[tuple[int, int], str] = field(default_factory=dict)

    def hidden(self, position: int) -> bool:
        """Is the column at 0-based `position` hidden in Excel?"""
        return any(first <= position + 1 <= last for first, last in self.hidden_columns)

    def link(self, number: int, key: str) -> str | None:
        at = self.index.get(key)
        if at is None or not self.links:
            return None
        found = self.links.get(f"{column_letters(at + 1)}{number}")
        if found is None:  # a link set on several cells at once is written once, for their range ("D5:D9")
            found = next((url for (top, left), (bottom, right), url in self._link_ranges
                          if top <= number <= bottom and left <= at + 1 <= right), None)
        return found

    @cached_property
    def aggregate_columns(self) -> Mapping[int, tuple[int, ...]]:
        """Row number -> the 0-based columns of its cells that add up or count (`aggregates`), found at once."""
        columns: dict[int, list[int]] = {}
        for row, column in sorted(self.aggregates):
            columns.setdefault(row, []).append(column)
        return {row: tuple(found) for row, found in columns.items()}

    @cached_property
    def summaries(self) -> Mapping[int, tuple[int, ...]]:
        """A return's first row of each block of rows counting the rows above (`summary_blocks`) -> its rows."""
        return summary_blocks(self)

    @cached_property
    def in_summary(self) -> frozenset[int]:
        """The rows of a return's blocks counting the rows above: one note says them all."""
        return frozenset(number for rows in self.summaries.values() for number in rows)

    @cached_property
    def by_number(self) -> Mapping[int, tuple[Cell, ...]]:
        """Row number -> its cells, to find the row a cell of an issue is in."""
        return dict(self.rows)

    @cached_property
    def _link_ranges(self) -> tuple[tuple[tuple[int, int], tuple[int, int], str], ...]:
        ranges = []
        for cells, url in self.links.items():
            if ":" in cells:
                try:
                    ranges.append((*range_bounds(cells), url))
                except ValueError:  # not a range of cells: Excel writes none such, and no cell of it can be read
                    continue
        return tuple(ranges)

    def value(self, cells: tuple[Cell, ...], key: str) -> Cell:
        at = self.index.get(key)
        return cells[at] if at is not None and at < len(cells) else None


def read_sheets(path: Path, display: str) -> tuple[list[RawSheet], list[Issue]]:
    """The sheets of a workbook or CSV file, or the issue that says why it cannot be read (one partner's file that
    reportgen may not read is that file's problem, not the run's)."""
    try:
        sheets, issues = _read_sheets(path, display)
    except PermissionError:
        return [], [issue("unreadable-file", "no-permission", file=display)]
    return [_composed(sheet) for sheet in sheets], issues


def _composed(sheet: RawSheet) -> RawSheet:
    """The sheet with each text cell in one Unicode form (`composed`): every register and return cell is read here,
    so 'Tŷ Diogel' pasted from a Mac on one row is the lead the other rows name, not a second one."""
    rows = tuple((number, tuple(composed(cell) if isinstance(cell, str) else cell for cell in cells))
                 for number, cells in sheet.rows)
    return replace(sheet, rows=rows)


def _read_sheets(path: Path, display: str) -> tuple[list[RawSheet], list[Issue]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, display)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, display)
    if suffix == ".xls":  # a CSV or a web page saved with an .xls name (as some systems export): said as what it is
        if path.stat().st_size and _looks_like_text_or_xls(path) == "text":
            if path.read_bytes()[:512].lstrip().startswith(b"<"):
                return [], [issue("unreadable-file", "other-spreadsheet", file=display,
                                  what="a web page (HTML) saved with an .xls name")]
            return [], [issue("unreadable-file", "csv-named-xlsx", file=display, suffix=path.suffix)]
        return [], [issue("unreadable-file", "old-xls", file=display)]
    if suffix in OTHER_SPREADSHEETS:  # how to save it as .xlsx told in the program that made it, where we know it
        return [], [issue("unreadable-file", "numbers-file" if suffix == ".numbers"
                          else "opendocument" if suffix in (".ods", ".fods") else "other-spreadsheet",
                          file=display, what=OTHER_SPREADSHEETS[suffix])]
    if suffix in SAVED_AS_TEXT:
        return [], [issue("unreadable-file", "saved-as-text", file=display, what=SAVED_AS_TEXT[suffix])]
    return [], [issue("unknown-file-type", "not-spreadsheet", file=display)]


def _read_xlsx(path: Path, display: str) -> tuple[list[RawSheet], list[Issue]]:
    if not path.stat().st_size:
        return [], [issue("unreadable-file", "no-bytes", file=display)]
    if not zipfile.is_zipfile(path):
        looks = _looks_like_text_or_xls(path)
        if looks == "ole":
            what = _what_ole_file_is(path)
        elif looks == "zip":
            what = "damaged or incomplete (cut short while copying?)"
        elif looks == "text":
            with path.open("rb") as handle:
                start = handle.read(4096)
            if start.lstrip().startswith(b"<"):  # a web page "exported to Excel"
                return [], [issue("unreadable-file", "other-spreadsheet", file=display,
                                  what=f"a web page (HTML) saved with an {path.suffix} name")]
            if _first_line_has_cells(start):
                return [], [issue("unreadable-file", "csv-named-xlsx", file=display, suffix=path.suffix)]
            what = "a text file, not a workbook"  # renaming it .csv would not make it a return
        else:
            what = "not a workbook"
        return [], [issue("unreadable-file", "not-xlsx", what=what, file=display)]
    refused = refuse_reason(path)
    if refused:
        return [], [issue("unreadable-file", "refused", reason=refused, file=display)]
    try:
        found = read_cells(path)
        if not found:
            return [], [issue("unreadable-file", "strict" if is_strict(path) else "no-sheets", file=display)]
        sheets = [RawSheet(cells.name, tuple((n, row) for n, row in cells.rows if not is_empty_row(row)),
                           hidden=cells.hidden, facts=replace(scan_sheet(path, cells.part), struck=dict(cells.struck),
                                                              unread_formats=dict(cells.unread_formats)),
                           date1904=cells.date1904)
                  for cells in found]
    except TooLarge as exc:
        return [], [issue("unreadable-file", "too-large", reason=exc, file=display)]
    except Exception as exc:  # lxml, zip and value errors for broken files: all mean "cannot read"
        return [], [issue("unreadable-file", error=exc, file=display)]
    # the value is what the first of those cells holds, in its row; its address is in the message
    return sheets, [issue("cells-beyond", cells=counted(len(cells.beyond), "cell"),
                          last_column=column_letters(MAX_COLUMNS), file=display, sheet=cells.name,
                          cell=cells.beyond[0][0], row=_bounds(cells.beyond[0][0])[0][0],
                          value=cell_text(cells.beyond[0][1]))
                    for cells in found if cells.beyond]


def _looks_like_text_or_xls(path: Path) -> str:
    """'ole' for .xls and encrypted workbooks, 'zip' for a broken package, 'text' for CSV, else ''."""
    with path.open("rb") as handle:
        start = handle.read(512)
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if start.startswith(b"PK"):
        return "zip"
    return "text" if start and _is_text(start) else ""


# names of a compound (OLE) file's streams, as its directory holds them (UTF-16LE): an Office file encrypted
# with a password keeps its package in "EncryptedPackage"; an old .xls workbook's sheets are in "Workbook"
# ("Book" before Excel 97)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_WORKBOOK = ("Workbook".encode("utf-16-le"), "Book\0".encode("utf-16-le"))


def _what_ole_file_is(path: Path) -> str:
    """What a compound (OLE) file given an .xlsx name is, as its streams' names tell: a password-protected
    workbook, an old .xls one, or (neither found) either."""
    data = path.read_bytes()
    if _ENCRYPTED in data:
        return "a password-protected (encrypted) workbook"
    if any(name in data for name in _WORKBOOK):
        return "an old .xls workbook"
    return "an old .xls workbook or a password-protected one"


def _first_line_has_cells(start: bytes) -> bool:
    """Whether a text file's first line with words is split into cells, as a CSV's headings are (by a comma,
    semicolon or tab): a CSV named .xlsx, to be renamed, not a note or a log to be saved as a workbook."""
    first = next((line for line in start.replace(b"\r", b"\n").split(b"\n") if line.strip()), b"")
    return any(delimiter in first for delimiter in (b",", b";", b"\t"))


def _is_text(start: bytes) -> bool:
    """Whether a file's first bytes are text: UTF-8 (a character cut at the end of them is not held against
    it), UTF-16 with its byte order mark, or Windows-1252, as Excel saves a CSV; without control characters
    but tab and line ends."""
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(start, final=False)
    except UnicodeDecodeError:
        try:
            text = start.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return not any(ord(character) < 32 and character not in "\t\r\n" for character in text.lstrip("\ufeff"))


def _read_csv(path: Path, display: str) -> tuple[list[RawSheet], list[Issue]]:
    data = path.read_bytes()
    if not data:
        return [], [issue("unreadable-file", "no-bytes", file=display)]
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # a workbook given a .csv name
        what = "an Excel workbook" if data.startswith(b"PK") else "an old .xls workbook"
        return [], [issue("unreadable-file", "workbook-named-csv", what=what, file=display)]
    text, encoding_issue = decode_csv(data, display)
    if text is None:
        return [], [encoding_issue] if encoding_issue else []
    issues = [encoding_issue] if encoding_issue else []
    if "\x00" in text:
        issues.append(issue("control-characters", "nul-bytes", file=display))
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
        except csv.Error:  # a quoted cell (a line break typed with Alt+Enter) can defeat it
            delimiter = _delimiter_of_first_line(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    at = first_row_offset  # row numbers as Excel shows the file (a "sep=" line is row 1)
    try:
        for record in reader:
            at += 1
            cells = tuple(cell if cell != "" else None for cell in record)
            if not is_empty_row(cells):
                rows.append((at, cells))
    except csv.Error as exc:
        # a cell over the csv module's 131,072 characters: a pasted essay, or more often one stray
        # quote (") never closed, which makes the rest of the file a single cell
        stopped = at + 1
        issues.append(issue("unreadable-file", "rows-lost", limit=csv.field_size_limit(), error=exc,
                            file=display, row=stopped))
    if rows and text.count('"') % 2 and _ends_inside_quotes(text, delimiter):
        issues.append(issue("unreadable-file", "unclosed-quote", file=display, row=rows[-1][0]))
    values, formulas = _csv_formulas(rows)
    return [RawSheet("", values, facts=formulas, lossy=not _saved_as_unicode(data))], issues


# a CSV cell holding a formula as written, not its value: "=E3", "=$Sheet1.B2*2", "=HYPERLINK(…)", "=SUM(B2:B4)"
_CSV_FORMULA = re.compile(r"=\s*(?:[A-Za-z_][A-Za-z0-9_.]*\s*\("  # a function: =SUM(, =HYPERLINK(
                          r"|(?:'[^']+'|[A-Za-z_][A-Za-z0-9_ ]*)?[.!]?\$?[A-Za-z]{1,3}\$?[0-9]+\b)")  # a cell: =E3


def _csv_formulas(rows: Sequence[tuple[int, tuple[Cell, ...]]]
                  ) -> tuple[tuple[tuple[int, tuple[Cell, ...]], ...], SheetFacts]:
    """A CSV's rows with each cell holding a formula as written (`_CSV_FORMULA`: LibreOffice's CSV option "Save
    cell formulas instead of calculated values" writes them so) read as empty, and those cells as the formulas
    of a workbook with no value (`SheetFacts.formulas`, "as-text"), said where they are by `sheet_fact_issues`:
    the formula's text is not the partner's words, and its value is not in the file."""
    states: dict[str, str] = {}
    texts: dict[str, str] = {}
    read = []
    for number, cells in rows:
        kept = list(cells)
        for at, cell in enumerate(cells):
            if isinstance(cell, str) and _CSV_FORMULA.match(cell):
                name = f"{column_letters(at + 1)}{number}"
                states[name], texts[name], kept[at] = "as-text", cell, None
        read.append((number, tuple(kept)))
    return tuple(read), SheetFacts(formulas=states, formula_texts=texts)


def _saved_as_unicode(data: bytes) -> bool:
    """Whether a CSV was saved in a Unicode encoding, so no letter was written as '?': with a byte order mark
    (Excel's "CSV UTF-8" writes one), UTF-16 without one, or UTF-8 holding letters beyond ASCII. A file of ASCII
    alone with no mark is as Excel's "CSV (Comma delimited)" writes one."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(data):
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(byte > 0x7F for byte in data)


def _delimiter_of_first_line(text: str) -> str:
    """The delimiter (comma, semicolon or tab) that splits the first non-empty line into the most cells
    (the headings, in a return); a comma when none splits it."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: len(next(csv.reader([first], delimiter=delimiter), [])) for delimiter in ",;\t"}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 1 else ","


def _ends_inside_quotes(text: str, delimiter: str) -> bool:
    """Does the file end inside a quoted cell (a quote opened and never closed)? Only a strict reading tells."""
    try:
        for _row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


# a UTF-8 encoded letter or punctuation mark (é, –, ’, £): as Windows-1252 these read "Ã©", "â€“"…
_UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def decode_csv(data: bytes, display: str) -> tuple[str | None, Issue | None]:
    """UTF-8 (with or without BOM), UTF-16 (with BOM, or without: `_utf16_without_bom`), else Windows-1252 as
    Excel saves it."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", display)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", display)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, display)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if _UTF8_LETTER.search(data):  # UTF-8 elsewhere in the file: reading it as Windows-1252 garbles it
            return None, issue("unreadable-file", "mixed-encoding", line=data[:exc.start].count(b"\n") + 1,
                               byte=exc.start + 1, file=display)
    if _reads_better_as_mac_roman(data):
        text = data.decode("mac_roman")
        differ = sorted(character for character in set(text) if _as_windows(character) != character)
        if differ:  # else Windows-1252 reads it the same
            return text, issue("csv-mac-roman", file=display, characters=" ".join(differ[:8]),
                               garbled=" ".join(_as_windows(character) for character in differ[:8]))
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError as exc:
        return None, issue("unreadable-file", "unknown-encoding", byte=exc.start + 1, file=display)


def _utf16_without_bom(data: bytes) -> str:
    """'utf-16-le' or 'utf-16-be' for text saved as UTF-16 with no byte order mark (as a program's "UTF-16LE"
    or "UTF-16BE" choice writes it), else "": its letters of ASCII, most of a return's, each have a NUL byte after
    them (little-endian) or before them (big-endian), which no UTF-8 or Windows-1252 text has. Read as UTF-8, the
    NULs were taken out and a dash or an accented letter was lost without a word."""
    sample = data[:8192]
    if len(sample) < 4 or len(data) % 2:
        return ""
    first, second = sample[0::2], sample[1::2]
    if second.count(0) > 0.9 * len(second) and first.count(0) < 0.1 * len(first):
        return "utf-16-le"
    if first.count(0) > 0.9 * len(first) and second.count(0) < 0.1 * len(second):
        return "utf-16-be"
    return ""


# what a secretariat's text holds beyond ASCII: curly quotes and apostrophes, dashes, an ellipsis, a bullet,
# currency, accented letters of names. Not the letters one encoding reads the other's punctuation as (Mac
# Roman reads Windows-1252's ’ as "í", – as "ñ"; Windows-1252 reads Mac Roman's … as "É"), which would
# count for the wrong one.
_TYPICAL = frozenset("‘’“”–—…•£€°éèêàâáçôöûüúÈÀÇ")


def _as_windows(character: str) -> str:
    """A Mac Roman character as Windows-1252 reads its byte."""
    return character.encode("mac_roman").decode("cp1252", "replace")


def _reads_better_as_mac_roman(data: bytes) -> bool:
    """Whether a CSV that is not UTF-8 is Mac OS Roman (Excel for Mac's "CSV (Macintosh)", its lines ended by
    CR alone) rather than Windows-1252 (Excel for Windows'): read as Windows-1252, Mac Roman's curly apostrophe
    is "Õ" and its quotes "Ò…Ó". The one whose letters beyond ASCII are more of those text holds wins; a tie,
    Windows-1252, unless the lines end as a Mac's do."""
    beyond = bytes(sorted({byte for byte in data if byte > 0x7F}))
    if not beyond:
        return False
    mac = sum(character in _TYPICAL for character in beyond.decode("mac_roman"))
    try:
        windows = sum(character in _TYPICAL for character in beyond.decode("cp1252"))
    except UnicodeDecodeError:
        windows = -1  # bytes Windows-1252 does not have (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    mac_lines = b"\r" in data and b"\n" not in data
    return mac > windows or (mac == windows and mac_lines)


def _strict(data: bytes, encoding: str, display: str) -> tuple[str | None, Issue | None]:
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        return None, issue("unreadable-file", "bad-encoding", encoding=encoding, byte=exc.start + 1,
                           file=display)


def is_empty_row(cells: Sequence[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def first_filled(rows: Sequence[tuple[int, tuple[Cell, ...]]], position: int) -> tuple[int, Cell] | None:
    """The first of `rows` whose cell at 0-based `position` is not empty (`is_empty_row`): its row number
    and that cell; None when the column is empty."""
    return next(((number, cells[position]) for number, cells in rows
                 if not is_empty_row(cells[position:position + 1])), None)


def filled_cells(rows: Sequence[tuple[int, tuple[Cell, ...]]], position: int, ref_at: int | None
                 ) -> list[tuple[int, int | None, Cell]]:
    """Every one of `rows` whose cell at 0-based `position` holds text: its row number, the action its
    reference cell (at `ref_at`) names (None when it names none) and that cell; so that a column whose text is
    not read can name each row it is dropped from, not only the first."""
    return [(number, parse_ref(cells[ref_at])[0] if ref_at is not None and ref_at < len(cells) else None,
             cells[position]) for number, cells in rows if not is_empty_row(cells[position:position + 1])]


def rows_and_actions(filled: Sequence[tuple[int, int | None, Cell]]) -> str:
    """The rows of `filled_cells` as an officer finds them: "rows 6 and 10 (actions 19 and 28)", "row 6
    (action 19)", or the rows alone when no row names an action."""
    refs = [ref for _number, ref, _cell in filled if ref is not None]
    rows = row_spans([number for number, _ref, _cell in filled])
    if not refs:
        return rows
    listed = ", ".join(map(str, refs[:-1])) + " and " + str(refs[-1]) if len(refs) > 1 else str(refs[0])
    return f"{rows} ({'actions' if len(refs) > 1 else 'action'} {listed})"


INSTRUCTIONS_SHEET = "Instructions"  # the sheet of guidance our return workbooks carry: never updates
INSTRUCTIONS_TITLE = "Partner return"  # its first line, by which it is known however a partner renames it


def is_instructions(sheet: RawSheet) -> bool:
    """Whether `sheet` is the Instructions sheet of a workbook `reportgen returns` made: by its name, or, when
    a partner renamed it ("Read me"), by its first line."""
    first = sheet.rows[0][1] if sheet.rows else ()
    return sheet.name == INSTRUCTIONS_SHEET or (bool(first) and cell_text(first[0]).strip() == INSTRUCTIONS_TITLE)


# Apple Numbers' File > Export To > Excel puts a sheet first, "Export Summary", that lists each table it turned into
# a worksheet: its sentence, its title and the headings of its list, as Numbers writes them
NUMBERS_SUMMARY_SENTENCE = "This document was exported from Numbers."
NUMBERS_SUMMARY_LINES = frozenset({"Export Summary", "Numbers Sheet Name", "Numbers Table Name",
                                   "Excel Worksheet Name"})


def is_export_summary(sheet: RawSheet, names: Collection[str]) -> bool:
    """Whether `sheet` is the summary Apple Numbers adds when it exports a workbook (`NUMBERS_SUMMARY_SENTENCE`):
    every cell its sentence, its title, its list's headings, or a row naming a Numbers sheet and table and the
    worksheet of `names` (the workbook's sheets) it became. A row holding anything else (a partner's note) is not
    Numbers', so the sheet is reported as any other (`other-sheet`)."""
    said = False
    for _number, cells in sheet.rows:
        texts = [cell_text(cell).strip() for cell in cells if cell_text(cell).strip()]
        if texts and texts[0].startswith(NUMBERS_SUMMARY_SENTENCE):
            said = len(texts) == 1
            if not said:
                return False
        elif not (set(texts) <= NUMBERS_SUMMARY_LINES or (len(texts) <= 3 and texts[-1] in names)):
            return False
    return said


def locate_table(
    sheets: Sequence[RawSheet], columns: Mapping[str, Column], display: str, other_sheets: bool = False,
    known_elsewhere: Collection[str] = (), register: bool = False, names: Collection[str] = (),
) -> tuple[Table | None, list[Issue]]:
    """Find the sheet and row holding the headings; report missing and duplicate columns. With
    `other_sheets` (a partner's return), a visible sheet holding text but no headings is reported too:
    a partner may have written updates there. Headings in `known_elsewhere` (heading keys) mean another
    column, so they are never suggested for a missing one ('Section' for 'Action ref'). With `register`,
    a missing heading is told as the register's: its own headings are named in reportgen.toml. `names`: the
    register's leads and sections, whose letters a CSV not saved as Unicode may have lost (`lost_letters`)."""
    if sheets and not any(sheet.rows for sheet in sheets):  # an empty workbook: not a matter of headings
        return None, [issue("empty-file", "register-no-cells" if register else "no-cells", file=display)]
    issues: list[Issue] = []
    candidates = []
    for sheet in sheets:
        at, found = find_header_row([cells for _number, cells in sheet.rows], columns)
        candidates.append((found.score, not sheet.hidden, sheet, at, found))
    if not candidates or max(c[0] for c in candidates) == 0:
        expected = ", ".join(quoted(c.heading) for c in columns.values() if c.required)
        issues.append(issue("no-data-sheet", "register", expected=expected, file=display) if register
                      else issue("no-data-sheet", expected=expected, file=display))
        return None, issues
    # a register's sheet without its number column (a summary: "Section | Lead | Action | Count") is no register
    score, visible, sheet, at, found = max(candidates, key=lambda c: (_numbered_for(c[4], register), c[0], c[1]))
    if register:  # a column of a few words repeated is not the action number, whatever its heading
        found = words_not_ref(sheet.rows[at + 1:], sheet.rows[at][1], found, columns)
    # other sheets with the headings, and how many rows each has under them
    rivals = [(c[2], len(c[2].rows) - c[3] - 1) for c in candidates if c[2] is not sheet and not c[2].hidden
              and c[0] >= 2 and _numbered_for(c[4], register)]
    empty = [other.name for other, count in rivals if not count]
    # a register's rows are actions, a return's updates: each is told as what it holds
    if empty:
        issues.append(issue("several-sheets", "register" if register else "", others=", ".join(map(quoted, empty)),
                            file=display, sheet=sheet.name, value=", ".join(empty)))
    tied = sum(1 for c in candidates if (c[0], c[1]) == (score, visible)) > 1  # the first of equals is read
    why = "it comes first" if tied else "its headings match the return's best"
    for other, count in rivals:
        if count:  # rows a partner may have split across sheets: never dropped quietly
            rows = {"rows": counted(count, "row"), "read": sheet.name, "file": display, "sheet": other.name,
                    "row": other.rows[-count][0]}
            issues.append(issue("rows-on-another-sheet", "register", **rows) if register
                          else issue("rows-on-another-sheet", why=why, **rows))
    if sheet.hidden:  # the headings are only on a hidden sheet: read, never quietly
        issues.append(issue("hidden-sheet", "register-read" if register else "read", file=display,
                            sheet=sheet.name))
    for other in sheets:
        if other.hidden and other is not sheet:
            issues.append(issue("hidden-sheet", "register" if register else "", file=display, sheet=other.name))
        elif (other_sheets and other is not sheet and other.rows and not is_instructions(other)
              and not is_export_summary(other, [each.name for each in sheets])
              and other not in (c[2] for c in candidates if c[0] >= 2)):
            issues.append(issue("other-sheet", file=display, sheet=other.name, read=sheet.name))
    header_row, header_cells = sheet.rows[at]
    headings = tuple(cell_text(cell).strip() for cell in header_cells)  # as Excel shows them (match_headings)
    where = {"file": display, "sheet": sheet.name}
    for key, written, position in found.duplicates:
        filled = filled_cells(sheet.rows[at + 1:], position, found.index.get("ref"))
        duplicate = {"first": found.written[key], "letter": column_letters(position + 1), "row": header_row,
                     "first_letter": column_letters(found.index[key] + 1), "column": written, "value": written}
        if filled and key == "ref" and not any(parse_ref(cell)[0] is not None for _n, _r, cell in filled):
            # words beside the number column: never advised to be moved into it
            ours = builtin_alias(key, written, register)  # `not_aliases` stops ours; the workspace's own, its line
            issues.append(issue("duplicate-column", "words" if ours else "words-named", rows=rows_and_actions(filled),
                                example=toml_string(written),
                                table="register" if register else "returns", text=cell_text(filled[0][2]).strip(),
                                first_example=toml_string(found.written[key]),
                                **duplicate, **where))
        elif filled:  # every row whose text is dropped is named, and the first text quoted
            first_text = cell_text(filled[0][2]).strip()
            hidden = any(first <= position + 1 <= last for first, last in sheet.facts.hidden_columns)
            issues.append(issue("duplicate-column", "hidden" if hidden else "", rows=rows_and_actions(filled),
                                text=first_text, **duplicate, **where))
        else:
            issues.append(issue("duplicate-column-empty", **duplicate, **where))
    unmatched = [heading for heading in found.unmatched if heading_key(heading) not in known_elsewhere]
    suggested: set[str] = set()
    for key in found.missing:
        column = columns[key]
        close = did_you_mean(column, [heading for heading in unmatched if heading not in suggested])
        unread = ", ".join(map(quoted, unmatched)) or "none"
        if not register:
            # the register's own headings are not read in a return either: named, and the number column among them
            unread = ", ".join(map(quoted, found.unmatched)) or "none"
            if close is None and key == "ref":
                close = next(iter(_numbered(sheet.rows[at + 1:], headings, found.unmatched)), None)
            # a return's only unread heading is what its one missing column is most likely headed ('RAG')
            only = unmatched[0] if len(unmatched) == 1 and len(found.missing) == 1 else None
            issues.append(issue("missing-column", hint=f" Did you mean {quoted(close)}?" if close else "", key=key,
                                example=toml_string(close or only), unread=unread, row=header_row,
                                column=close or "", value=column.heading, **where))
            continue
        if key == "ref":  # the number is the column of whole numbers, not a heading that reads alike
            numbered = _numbered(sheet.rows[at + 1:], headings, unmatched)
            close = close if close in numbered or not numbered else numbered[0]
        suggested.add(close or "")  # one heading is suggested for one column only ('Action No.' not for Action)
        issues.append(issue("missing-column", "register", key=key, example=toml_string(close), row=header_row,
                            column=close or "", value=column.heading, unread=unread, **where))
    for key, column in columns.items():  # an optional column under a heading a letter or two out: not read
        # a heading advised for a missing column ('Action No.' for the number) is not also another's misspelling
        others = [heading for heading in unmatched if heading not in suggested]
        close = did_you_mean(column, others) if not column.required and key not in found.index else None
        if close:
            issues.append(issue("optional-column-misnamed", row=header_row, column=close, value=column.heading,
                                **where))
    if found.missing:
        return None, issues
    table = Table(display, sheet.name, header_row, headings, dict(found.index), dict(found.written),
                  sheet.rows[at + 1:], sheet.facts.links, sheet.facts.hidden_columns,
                  frozenset() if sheet.facts.filtered else frozenset(sheet.facts.hidden_rows),
                  MAC_EPOCH if sheet.date1904 else WINDOWS_EPOCH,
                  _aggregates(sheet.facts))
    issues += sheet_fact_issues(table, sheet.facts, register)
    if sheet.lossy:
        read = {position: headings[position] for position in sorted(table.index.values())}
        name_columns = [table.index[key] for key in ("lead", "section") if key in table.index]
        printed = _columns_used(table, register)
        issues += lost_letters(display, sheet.name, table.rows, read, name_columns, names,
                               [position for position in read if position not in printed])
    return table, issues


def _numbered_for(found: HeadingMatch, register: bool) -> bool:
    """Whether a sheet's headings can be the register's: they have its number column. A sheet that repeats some of
    its headings without one (a summary or a count by section and lead) holds no actions, so it is neither read as
    the register nor said to hold actions left out of the paper. A return's sheets are not judged so: a partner's
    rows under the return's other headings may still be updates."""
    return not register or "ref" in found.index


def _aggregates(facts: SheetFacts) -> dict[tuple[int, int], str]:
    """The sheet's cells whose formula adds up or counts others (`aggregate_cells`). A formula filled down is
    moved to each cell only where the one it was filled from adds up: a sheet may hold thousands of others."""
    def source(cell: str) -> str:
        first = facts.shared_from.get(cell) or facts.array_from.get(cell) or cell
        return facts.formula_texts.get(cell) or facts.formula_texts.get(first, "")

    return aggregate_cells({cell: formula_as_written(facts, cell) for cell in facts.formulas
                            if adds_up(source(cell))})


def toml_string(heading: str | None) -> str:
    """A heading as reportgen.toml writes it, quoted: '"RAG"'; '"<its heading>"' when there is none to name."""
    return '"' + (heading or "<its heading>").replace("\\", "\\\\").replace('"', '\\"') + '"'


def words_not_ref(rows: Sequence[tuple[int, tuple[Cell, ...]]], header: Sequence[Cell], found: HeadingMatch,
                  columns: Mapping[str, Column]) -> HeadingMatch:
    """`found` without the register's columns read as the action number by one of our aliases that hold a few
    words repeated over runs of rows, not one number (a plan's "Priority" column of its sections): the number
    column is then looked for by its numbers (`_numbered`), and such a column advised as the sections. A plan's
    own numbering ('1.1', 'A-101') is kept, to be said as such."""
    column = columns.get("ref")
    if column is None:
        return found
    matched = [(found.written[key], found.index[key]) for key in ("ref",) if key in found.index]
    matched += [(written, position) for key, written, position in found.duplicates if key == "ref"]
    wordy = {heading_key(written) for written, position in matched
             if heading_key(written) != heading_key(column.heading) and heading_key(written) not in column.given
             and _repeated_words(rows, position)}
    if not wordy:
        return found
    aliases = tuple(name for name in column.aliases if heading_key(name) not in wordy)
    return match_headings(header, {**columns, "ref": column.model_copy(update={"aliases": aliases})})


def _repeated_words(rows: Sequence[tuple[int, tuple[Cell, ...]]], position: int) -> bool:
    """Whether the column at `position` holds words, no whole number and no plan's own numbering, each value on
    several rows: sections or priorities, never actions' numbers."""
    values = [cell_text(cell).strip() for _number, _ref, cell in filled_cells(rows, position, None)]
    if not values or any(parse_ref(value)[0] is not None or own_numbering(value) for value in values):
        return False
    return len(set(values)) * 2 <= len(values)


def _numbered(rows: Sequence[tuple[int, tuple[Cell, ...]]], headings: Sequence[str], candidates: Sequence[str]
              ) -> list[str]:
    """Of `candidates`, the headings whose column holds whole numbers only ('Action No.', never 'Priority
    Area' however like 'Plan priority' it reads)."""
    from reportgen.read.cells import parse_ref

    found = []
    for heading in candidates:
        position = headings.index(heading)
        values = [cells[position] for _number, cells in rows if position < len(cells)]
        filled = [value for value in values if not is_empty_row((value,))]
        if filled and all(parse_ref(value)[0] is not None for value in filled):
            found.append(heading)
    return found


def sheet_fact_issues(table: Table, facts: SheetFacts, register: bool = False) -> list[Issue]:
    """Hidden rows and columns, merged cells and formulas inside the table: read (or not) and always reported."""
    from reportgen.read.cells import cell_text

    where = {"file": table.file, "sheet": table.sheet}
    by_number = table.by_number
    issues: list[Issue] = []
    ref_at = table.index.get("ref")
    for number, row_cells in sorted((n, row) for n, row in table.rows if n in facts.hidden_rows):
        # the action the row is, named in the message and issues.csv's ref column: a row number alone sent the
        # officer into the file
        ref = parse_ref(row_cells[ref_at])[0] if ref_at is not None and ref_at < len(row_cells) else None
        issues.append(_hidden_row(number, ref, register, facts.filtered, where))
    for position in sorted(table.index.values()):  # one not read is an unread column's (returns.unread_columns)
        if table.hidden(position):
            letter = column_letters(position + 1)
            empty = first_filled(table.rows, position) is None
            # the column's place is its letter, in the message; the value is its heading, what the cell holds
            issues.append(issue("hidden-column", "empty" if empty else "", letter=letter, row=table.header_row,
                                column=table.headings[position], value=table.headings[position], **where))
    for cells in facts.merged:
        first, last = _bounds(cells)
        across_rows, across_columns = last[0] > first[0], last[1] > first[1]
        if not (across_rows or across_columns):
            continue  # one cell "merged" with itself: nothing is hidden
        if (last[0] >= table.header_row and across_rows) or first[0] == table.header_row:
            # down a column: the rows below the first have no value; along the heading row: the columns after
            # the first have no heading; both: neither
            merged_at = {"row": first[0], "column": _heading(table, first[1]), "value": cells,
                         "ref": _row_ref(table, first[0]), **where}  # an action's row names the action
            hidden = _hidden_under(table, first, last) if across_rows and not across_columns else []
            if hidden:  # text the merge hides is read: never "the other rows have none"
                issues.append(issue("merged-cells", "hidden", rows=row_spans(hidden), **merged_at))
                continue
            issues.append(issue("merged-cells", ("block" if across_columns else "") if across_rows else "heading",
                                **merged_at))
    used_columns = _columns_used(table, register)
    kind = "register" if register else "return"
    for cell, state in sorted(facts.formulas.items(), key=lambda kv: _bounds(kv[0])[0]):
        row, col = _bounds(cell)[0]
        if row <= table.header_row or (row in by_number and is_totals_row(table, row, by_number[row], kind)) or (
                not register and row in table.in_summary):
            continue  # a totals row's formulas: the row is not read, and its note says what it holds
        values = by_number.get(row, ())
        # the value is the formula as the partner wrote it; the cell's place is in its row and column
        at = {"row": row, "column": _heading(table, col), "cell": cell, "value": formula_as_written(facts, cell),
              "formula": _formula(facts, cell), "ref": _row_ref(table, row)}
        if state == "" and cell in facts.hyperlinks:
            continue  # =HYPERLINK("address", "words"): its words and link are read as a link set on the cell is
        if state == "":
            used = cell_text(values[col - 1]) if 0 < col <= len(values) else ""
            issues.append(issue("formula-cell", "" if at["ref"] is None else "action", used=used, **at, **where))
        else:
            what = ("has never been calculated" if state == "no-value" else
                    "was saved in the CSV file as written, not as its value (saved with LibreOffice's \"Save cell "
                    "formulas instead of calculated values\" ticked?)" if state == "as-text" else
                    f"gives the error {state}")
            # where the paper does not use the column, a cell with no value loses it nothing: a note, not an error
            code = "formula-error" if col - 1 in used_columns else "formula-not-used"
            issues.append(issue(code, "" if at["ref"] is None else "action", what=what, **at, **where))
    for cell, error in sorted(facts.errors.items(), key=lambda kv: _bounds(kv[0])[0]):
        row, col = _bounds(cell)[0]
        if row > table.header_row:
            code = "formula-error" if col - 1 in used_columns else "formula-not-used"
            ref = _row_ref(table, row)
            issues.append(issue(code, "pasted" if ref is None else "pasted-action", error=error, row=row,
                                column=_heading(table, col), cell=cell, value=error, ref=ref, **where))
    for cell, (author, text) in sorted(facts.comments.items(), key=lambda kv: _bounds(kv[0])[0]):
        row, col = _bounds(cell)[0]
        # one on a heading is the template's help, one in the register the secretariat's own note
        if row > table.header_row and text and not register:
            # the value is what the comment says (cut short as any long value is); its cell's place is in the row
            on = {"row": row, "column": _heading(table, col), "cell": cell, "value": text, "ref": _row_ref(table, row)}
            issues.append(issue("cell-comment", author=author, comment=text, **on, **where) if author
                          else issue("cell-comment", "no-author", comment=text, **on, **where))
    struck: dict[int, list[tuple[int, str, str]]] = {}  # row -> (column, cell, words struck through) of its cells
    for cell, words in facts.struck.items():
        row, col = _bounds(cell)[0]
        if row in by_number:
            struck.setdefault(row, []).append((col, cell, words))
    for row, in_row in sorted(struck.items()):
        in_row.sort()
        names = ", ".join(name for _col, name, _words in in_row)
        # the value is what was struck through (each cell's words, in the order the message names the cells)
        issues.append(issue("struck-text", "register" if register else "", row=row,
                            column=_heading(table, in_row[0][0]), cells=f"cell{'s' if len(in_row) > 1 else ''} {names}",
                            value=" | ".join(words for _col, _name, words in in_row), ref=_row_ref(table, row),
                            **where))
    return issues + _unread_format_issues(table, facts)


def _hidden_row(number: int, ref: int | None, register: bool, filtered: bool, where: dict[str, str]) -> Issue:
    """A row hidden in Excel (by hand, or by a filter): when its action is known, the message names it first, as
    every message about an action's row does, so the officer knows which action without opening the file."""
    if ref is None:
        return issue("hidden-row", ("register-filtered" if filtered else "register") if register
                     else ("filtered" if filtered else ""), row=number, **where)
    return issue("hidden-row", ("register-filtered-action" if filtered else "register-action") if register
                 else ("filtered-action" if filtered else "action"), row=number, ref=ref, **where)


# a return's columns read but never printed: its action text is only compared with the register's, whose wording
# the paper prints
RETURN_COLUMNS_NOT_PRINTED = ("action",)


def _columns_used(table: Table, register: bool) -> set[int]:
    """The 0-based positions of the columns whose cells the paper uses: those read, but for a return's action
    text. A formula with no value elsewhere loses the paper nothing, so it is a note, not an error that blocks."""
    read = set(table.index.values())
    if not register:
        read -= {table.index[key] for key in RETURN_COLUMNS_NOT_PRINTED if key in table.index}
    return read


def _unread_format_issues(table: Table, facts: SheetFacts) -> list[Issue]:
    """A number in a column the paper shows, whose format shows it in a way not read (a fraction): the paper shows
    the number as stored, which may not be what the partner sees. An action's number is read from the number whatever
    its format, so it is not said."""
    from reportgen.read.cells import cell_text

    read = {position for key, position in table.index.items() if key != "ref"}
    by_number = table.by_number
    issues = []
    for cell, form in sorted(facts.unread_formats.items(), key=lambda kv: _bounds(kv[0])[0]):
        row, col = _bounds(cell)[0]
        if row not in by_number or col - 1 not in read:
            continue
        values = by_number[row]
        issues.append(issue("number-format-not-read", cell=cell, format=form.code, what=form.what, row=row,
                            column=_heading(table, col), value=cell_text(values[col - 1]), ref=_row_ref(table, row),
                            file=table.file, sheet=table.sheet))
    return issues


def _row_ref(table: Table, number: int) -> int | None:
    """The action reference of the table's row `number`, for an issue about a cell in it; None for a row above
    the table (its headings) or one whose reference cannot be read (that row has its own missing-ref or bad-ref)."""
    from reportgen.read.cells import parse_ref

    cells = table.by_number.get(number) if number > table.header_row else None
    return parse_ref(table.value(cells, "ref"))[0] if cells is not None else None


def formula_as_written(facts: SheetFacts, cell: str) -> str:
    """A cell's formula as Excel's formula bar shows it ("=VLOOKUP(A7,Old!A:C,3,FALSE)"): the issue's value. A
    formula filled down is written once, in its first cell: this cell's own is that one moved to it (A3 becomes
    A4 a row down), as Excel shows it; an array formula's cells all show the one in the range's first cell."""
    from openpyxl.formula.translate import Translator, TranslatorError

    text = facts.formula_texts.get(cell, "")
    if text:
        return text
    first = facts.shared_from.get(cell)
    if first:
        written = facts.formula_texts.get(first, "")
        if written.endswith("…"):  # cut short: moving part of a formula could misread it
            return written
        try:
            return str(Translator(written, origin=first).translate_formula(cell))
        except (TranslatorError, ValueError):  # a formula openpyxl cannot parse: the first cell's, as written
            return written
    first = facts.array_from.get(cell)
    return facts.formula_texts.get(first, "") if first else ""


def _formula(facts: SheetFacts, cell: str) -> str:
    """A formula as the message quotes it: "the formula '=A2*2'", or the one it was filled from."""
    text = facts.formula_texts.get(cell, "")
    if text:
        return f"the formula {quoted(text)}"
    first = facts.shared_from.get(cell)
    if first:  # Excel writes a formula filled down once, in its first cell
        return f"a formula filled from cell {first} (which holds {quoted(facts.formula_texts[first])})"
    first = facts.array_from.get(cell)
    if first:  # and an array formula's, or a dynamic array's, in the first cell of its range
        return f"part of the array formula in cell {first} (which holds {quoted(facts.formula_texts.get(first, ''))})"
    return "a formula"


def _hidden_under(table: Table, first: tuple[int, int], last: tuple[int, int]) -> list[int]:
    """The rows of a merge down one column whose own cells still hold text under it: LibreOffice's "keep the
    contents of the hidden cells" saves them so, Excel shows only the first, and both read each row's own."""
    by_number = dict(table.rows)
    column = first[1] - 1
    return [number for number in range(max(first[0], table.header_row) + 1, last[0] + 1)
            if column < len(by_number.get(number, ())) and cell_text(by_number[number][column]).strip()]


def _bounds(cells: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(row, column) of a range's first and last cells; a formula cell without a coordinate: A1."""
    return range_bounds(cells or "A1")


def _heading(table: Table, column: int) -> str:
    return table.headings[column - 1] if 0 < column <= len(table.headings) else ""


def read_ref(table: Table, number: int, cells: tuple[Cell, ...], left_out: str,
             in_return: bool = False) -> tuple[int | None, list[Issue]]:
    """The row's action reference (register and returns alike); None with a missing-ref or bad-ref
    issue when it is not one, ending with what was `left_out` ("row left out"). A return's row with none
    (`in_return`) is often a new action its partner proposes: its advice says how one reaches the register."""
    from reportgen.read.cells import own_numbering, parse_ref

    raw = table.value(cells, "ref")
    ref, why = parse_ref(raw)
    if in_return and number in table.in_summary:  # a totals row and the counts by status under it: one note
        return None, [summary_issue(table, table.summaries[number])] if number in table.summaries else []
    if not lone_note(table, number, cells):  # "Total: 36" alone is the note below, as any text alone is
        total = total_issue(table, number, cells, "return" if in_return else "register", ref)
        if total is not None and total.code == "note-row":
            return None, [total]
        if total is not None:
            return ref, [total]
    if ref is not None:
        return ref, []
    shown = raw.text() if isinstance(raw, (DateCell, NumberCell)) else raw  # as seen: '16 January 2023'
    where = {"column": table.written["ref"], "value": shown, "file": table.file, "sheet": table.sheet, "row": number}
    if why == "empty":
        return None, [issue("missing-ref", "return" if in_return else "", left_out=left_out,
                            holds=what_row_holds(table, cells), **where)]
    if not _holds_more_than_ref(table, cells):  # "Signed off by J Smith" under the table: a note, not an action
        return None, [issue("note-row", **where)]
    numbering = why == "not a whole number" and own_numbering(str(shown))  # 1.1, P1.2a: the plan's own numbering
    return None, [issue("bad-ref", ("return-numbering" if in_return else "numbering") if numbering else "", why=why,
                        left_out=left_out, **where)]


def _holds_more_than_ref(table: Table, cells: tuple[Cell, ...]) -> bool:
    return any(cleaned for _at, _raw, cleaned in _texts_besides_ref(table, cells))


def is_note_row(table: Table, cells: tuple[Cell, ...]) -> bool:
    """Whether a row holds text in the reference column that is no action number, and nothing else: the row
    `read_ref` says is a note (a register's may head a section: `reportgen.read.sections`)."""
    from reportgen.read.cells import parse_ref

    ref, why = parse_ref(table.value(cells, "ref"))
    return ref is None and why != "empty" and not _holds_more_than_ref(table, cells)


def lone_note(table: Table, number: int, cells: tuple[Cell, ...]) -> bool:
    """Whether the row is a note (`is_note_row`) with no formula that adds up or counts beside it: a row saying
    "Total" with =SUBTOTAL(…) never calculated beside it is a total, said with what it holds."""
    return is_note_row(table, cells) and number not in table.aggregate_columns


def _texts_besides_ref(table: Table, cells: tuple[Cell, ...]) -> Iterator[tuple[int, str, str]]:
    """(position, text, text cleaned of invisible characters) of each cell but the reference that holds
    any, the action's first."""
    from reportgen.read.cells import cell_text, clean_text, collapse_spaces

    ref_at = table.index.get("ref")
    order = [table.index["action"]] if "action" in table.index else []
    order += [at for at in range(len(cells)) if at not in order and at != ref_at]
    for at in order:
        raw = collapse_spaces(cell_text(cells[at])) if at < len(cells) else ""
        if raw:
            yield at, raw, collapse_spaces(clean_text(raw)[0])


ROW_TEXT_SHOWN = 60  # characters of a row's text that say which row it is, when it has no reference


def what_row_holds(table: Table, cells: tuple[Cell, ...]) -> str:
    """How an officer finds a row with no reference: its action text, else its first other cell with
    text, shortened, and where: "'Fund an advocacy service.' in column 'Action'"."""
    for at, raw, cleaned in _texts_besides_ref(table, cells):
        text = cleaned or raw  # only invisible characters: shown escaped by repr
        shown = text if len(text) <= ROW_TEXT_SHOWN else text[:ROW_TEXT_SHOWN - 1] + "…"
        heading = table.headings[at] if at < len(table.headings) else ""
        column = quoted(heading) if heading else column_letters(at + 1)
        return f"{quoted(shown)} in column {column}"
    return "nothing else"  # not reached: a row with nothing in it is not read at all


def read_text(table: Table, number: int, cells: tuple[Cell, ...], key: str, links: bool = False,
              printed: bool = True) -> tuple[str | None, list[Issue]]:
    """A text cell, cleaned of invisible characters (reported); None when too long to publish. With `links`
    (a column the paper shows with its links), a link set on the cell with Insert > Link is kept, as
    Markdown; on any other cell it is not (it would make a status, lead or section something else), and said.
    Characters no font has are said only of a cell the paper prints as written (`printed`): a return's status
    is printed as the status it is matched to, and its action as the register's."""
    from reportgen.glyphs import code_points, missing_glyphs
    from reportgen.long_words import BREAK_EVERY, longest_unlinked_run
    from reportgen.read.cells import (
        MAX_CELL_CHARS,
        PAGE_OF_UPDATE_CHARS,
        cell_text,
        clean_text,
        invisible_in,
        linked_text,
        without_pasted_bullets,
    )

    raw = cell_text(table.value(cells, key))
    url = table.link(number, key)
    kept = lost = None
    if url and raw.strip() and url not in raw:
        if links:
            kept = clean_text(url)[0]  # a link made with Insert > Link: its target kept, once the words are checked
        else:
            lost = url
    text, findings = clean_text(raw)
    where = {"file": table.file, "sheet": table.sheet, "row": number, "column": table.written.get(key, key)}
    issues = [issue(code, value=raw, **where) for code in dict.fromkeys(findings) if code != "invisible-characters"]
    if lost:
        issues.append(issue("cell-link-not-kept", value=lost, **where))
    if "invisible-characters" in findings:  # which characters: they cannot be seen in the cell
        issues.append(issue("invisible-characters", points=invisible_in(raw), value=raw, **where))
    run = longest_unlinked_run(text)
    if run:
        issues.append(issue("long-word", run=run, every=BREAK_EVERY, value=text[:80], **where))
    missing = printed and missing_glyphs(without_pasted_bullets(text) if key == "explanation" else text)  # bullets
    if missing:
        issues.append(issue("no-font-for", characters=missing, points=code_points(missing), value=text[:80], **where))
    if key == "explanation" and MAX_CELL_CHARS >= len(text) > PAGE_OF_UPDATE_CHARS:
        issues.append(issue("longer-than-a-page", length=len(text), value=text[:80], **where))
    if len(text) > MAX_CELL_CHARS:
        issues.append(issue("cell-too-long", length=len(text), limit=MAX_CELL_CHARS, value=text[:80], **where))
        return None, issues
    return (linked_text(text.strip(), kept) if kept else text), issues

