"""Cell values of an .xlsx package, read sparsely: time and memory follow the cells present.

openpyxl's readers walk to every coordinate a file declares (a 1.7 KB file with one cell at
XFD1048576 made it fill a million rows of 16,384 cells) and load styles.xml and sharedStrings.xml
whole (2 million cell formats: 85 s and 4 GB). Here each part is streamed once with lxml, elements
are cleared as they go, cells are kept only where the file has them, and the parts a file can make
large are bounded by stated limits (`TooLarge`, reported as an issue by the caller). Values keep the
types openpyxl gives with `data_only=True`: str, int, float, bool; but a date or time is a `DateCell`,
its value with the parts its number format shows (openpyxl gives the datetime alone), and an error value
(#REF!, #N/A, a formula's or one pasted) is no value, None (openpyxl gives its text, which would reach
the paper as the partner's words; `xlsx_guard.scan_sheet` finds every one, and it is reported).

`read_custom_property` reads one custom document property (a return workbook's period, which reportgen
writes there). It must not decide what a cell means, nor open a package `xlsx_guard.refuse_reason` refused.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from lxml import etree

from reportgen.read.xlsx_values import (
    MAC_EPOCH,
    WINDOWS_EPOCH,
    DateCell,
    NumberCell,
    NumberFormat,
    Percent,
    UnreadFormat,
    builtin_date_shows,
    builtin_number_format,
    builtin_percent_places,
    builtin_shows_date,
    builtin_unread_format,
    column_letters,
    column_number,
    date_shows,
    from_serial,
    number_format,
    percent_places,
    shows_date,
    split_coordinate,
    unread_format,
)

WHOLE_DATE = frozenset({"day", "month", "year"})
# by cell format (a cell's `s`): the parts of a date it shows, a percentage's decimals, the thousands, decimals and
# words it shows a number with, or None (a number as stored); an UnreadFormat shows it otherwise (read as stored)
Formats = list[frozenset[str] | Percent | NumberFormat | UnreadFormat | None]

MAX_COLUMNS = 1_000  # a return has ~10 columns; cells further right are reported, not read
MAX_CELL_FORMATS = 64_000  # Excel's own limit on distinct cell formats in a workbook
MAX_SHARED_STRINGS_BYTES = 128 * 2**20  # uncompressed; a 15,000-action return holds ~10 MiB of text
MAX_STYLES_BYTES = 16 * 2**20

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DOC_TYPE = "/officeDocument"
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


class TooLarge(Exception):
    """A part declares more than a workbook of partner returns can need."""


@dataclass(frozen=True)
class SheetCells:
    name: str
    part: str  # the sheet's part name in the package, e.g. "xl/worksheets/sheet1.xml"
    hidden: bool
    rows: tuple[tuple[int, tuple[object, ...]], ...]  # 1-based row number, cells from column A
    beyond: tuple[tuple[str, object], ...] = ()  # coordinates and values of cells right of MAX_COLUMNS (not read)
    # coordinates of cells with text struck through (all of it, or some words), with the words struck through
    struck: tuple[tuple[str, str], ...] = ()
    # coordinates of cells holding a number whose format shows it in a way not read (a fraction…), with that format
    unread_formats: tuple[tuple[str, UnreadFormat], ...] = ()
    date1904: bool = False  # the workbook counts days from 1904 (<workbookPr date1904="1">: Excel for Mac before 2011)


def read_cells(path: Path) -> list[SheetCells]:
    """Every worksheet's cells. Raises TooLarge, or lxml/zip/value errors for a damaged package."""
    with zipfile.ZipFile(path) as package:
        names = {name.lower(): name for name in package.namelist()}
        book_part = _office_document(package, names)
        targets = _relationships(package, names, book_part)
        sheets, date1904 = _sheets(package, names, book_part)
        strings, struck_strings, in_struck_cells = _shared_strings(package, names, targets)
        formats, struck_formats = _date_formats(package, names, targets)
        struck = Struck(struck_strings, struck_formats, in_struck_cells)
        epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
        found = []
        for name, state, rel_id in sheets:
            part = targets.get(rel_id)
            if part is None or part[1] != "worksheet":  # chartsheets and dialog sheets hold no cells
                continue
            with _open(package, names, part[0]) as stream:
                rows, beyond, struck_cells, unread = _sheet_rows(stream, strings, formats, epoch, struck)
            found.append(SheetCells(name, names[part[0].lower()], state != "visible", rows, beyond, struck_cells,
                                    unread, date1904))
        return found


# the workbook's namespace in a file saved as Excel's "Strict Open XML Spreadsheet", which these readers do not read
_STRICT_MAIN = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"


def is_strict(path: Path) -> bool:
    """Whether the package's workbook is written in the Strict Open XML namespace (Excel's Save As type "Strict Open
    XML Spreadsheet"), whose sheets `read_cells` does not find. Raises, as `read_cells` does, for a damaged one."""
    with zipfile.ZipFile(path) as package:
        names = {name.lower(): name for name in package.namelist()}
        return _parse(package, names, _office_document(package, names)).tag == f"{_STRICT_MAIN}workbook"


def read_custom_property(path: Path, name: str) -> str | None:
    """The text of the workbook's custom document property `name` (File > Properties > Custom in Excel and
    LibreOffice, which both keep it when they save the workbook again); None when there is none. Raises,
    as `read_cells` does, for a damaged package."""
    with zipfile.ZipFile(path) as package:
        names = {found.lower(): found for found in package.namelist()}
        part = next((target for target, kind in _relationships(package, names, "").values()
                     if kind == "custom-properties"), None)
        if part is None or part.lower() not in names:
            return None
        with _open(package, names, part) as stream:
            for element in _iterparse(stream, (f"{_CUSTOM}property",)):
                if element.get("name") == name:
                    return "".join(element.itertext()).strip()
                _forget(element)
    return None


def _open(package: zipfile.ZipFile, names: dict[str, str], part: str) -> IO[bytes]:
    """A part by name, compared case-insensitively as Excel does."""
    actual = names.get(part.lower())
    if actual is None:
        raise KeyError(f"part {part} is missing")
    return package.open(actual)


def _parse(package: zipfile.ZipFile, names: dict[str, str], part: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    with _open(package, names, part) as stream:
        return etree.parse(stream, parser).getroot()


def _office_document(package: zipfile.ZipFile, names: dict[str, str]) -> str:
    root = _parse(package, names, "_rels/.rels")
    for rel in root.iter(_PKG_REL):
        if rel.get("Type", "").endswith(_DOC_TYPE):
            return rel.get("Target", "").lstrip("/")
    raise KeyError("the package names no workbook part")


def _relationships(package: zipfile.ZipFile, names: dict[str, str], part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (target part, type's last word: 'worksheet', 'sharedStrings', 'styles'…)."""
    folder, _, file = part.rpartition("/")
    rels = f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"
    if rels.lower() not in names:
        return {}
    found = {}
    for rel in _parse(package, names, rels).iter(_PKG_REL):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id", "")] = (target, rel.get("Type", "").rsplit("/", 1)[-1])
    return found


def _sheets(package: zipfile.ZipFile, names: dict[str, str], part: str) -> tuple[list[tuple[str, str, str]], bool]:
    root = _parse(package, names, part)
    properties = root.find(f"{_MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904", "") in ("1", "true")
    sheets = [(sheet.get("name", ""), sheet.get("state", "visible"), sheet.get(_REL, ""))
              for sheet in root.iter(f"{_MAIN}sheet")]
    return sheets, date1904


def _part_of(targets: dict[str, tuple[str, str]], kind: str) -> str | None:
    return next((target for target, what in targets.values() if what == kind), None)


def _checked_size(package: zipfile.ZipFile, names: dict[str, str], part: str, limit: int, what: str) -> None:
    size = package.getinfo(names[part.lower()]).file_size
    if size > limit:
        raise TooLarge(f"its {what} part ({part}) holds {size / 2**20:,.0f} MiB "
                       f"(the limit is {limit / 2**20:,.0f} MiB)")


def _iterparse(stream: IO[bytes], tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """End events of `tags`; the caller clears what it has read (see `_forget`)."""
    for _event, element in etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False,
                                           no_network=True, load_dtd=False, huge_tree=True):
        yield element


def _forget(element: etree._Element) -> None:
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]


@dataclass(frozen=True)
class Struck:
    """What strikes text through: shared strings with a run struck through (by index, with the words struck
    through), cell formats whose font is struck through (a cell's `s`). A run of rich text has its own font, or
    none (the cell's): `in_struck_cells` has each rich string's words struck through in a cell whose font is."""

    strings: Mapping[int, str] = field(default_factory=dict)
    formats: frozenset[int] = frozenset()
    in_struck_cells: Mapping[int, str] = field(default_factory=dict)


def _shared_strings(package: zipfile.ZipFile, names: dict[str, str], targets: dict[str, tuple[str, str]]
                    ) -> tuple[list[str], dict[int, str], dict[int, str]]:
    """The shared strings; the words struck through in those that have some (by index); and the words of each
    rich string struck through when its cell's font is (its runs with no font of their own)."""
    part = _part_of(targets, "sharedStrings")
    if part is None or part.lower() not in names:
        return [], {}, {}
    _checked_size(package, names, part, MAX_SHARED_STRINGS_BYTES, "shared strings")
    strings: list[str] = []
    struck: dict[int, str] = {}
    in_struck_cells: dict[int, str] = {}
    with _open(package, names, part) as stream:
        for item in _iterparse(stream, (f"{_MAIN}si",)):
            words = _struck_words(item)
            if words:
                struck[len(strings)] = words
            if item.find(f"{_MAIN}r") is not None:
                in_struck_cells[len(strings)] = _struck_words(item, cell_struck=True)
            strings.append(_text(item))
            _forget(item)
    return strings, struck, in_struck_cells


def _struck_words(item: etree._Element, cell_struck: bool = False) -> str:
    """The words of a string item struck through, as the partner wrote them: a rich text's runs struck through
    (`<rPr><strike/>`, or no font of their own in a cell whose font is struck through: `cell_struck`), runs
    struck through one after another read as one, words not struck between them as " … " (the issue quotes
    only the words meant to go); a plain text's words when `cell_struck`; "" when none is."""
    if item.find(f"{_MAIN}r") is None:
        return " ".join(_text(item).split()) if cell_struck else ""
    parts: list[str] = []
    joined = False  # the last run with words was struck through: a struck one next continues its words
    for run in item.iterchildren(f"{_MAIN}r"):
        text = _text(run)
        font = run.find(f"{_MAIN}rPr")
        struck = cell_struck if font is None else _strikes(font.find(f"{_MAIN}strike"))
        if joined and (struck or not text.strip()):  # a space between two struck runs still parts their words
            parts[-1] += text
        elif struck:
            parts.append(text)
        joined = struck or (joined and not text.strip())
    return " … ".join(" ".join(part.split()) for part in parts if part.strip())


def _strikes(strike: etree._Element | None) -> bool:
    return strike is not None and strike.get("val", "1") not in ("0", "false")


def _text(item: etree._Element) -> str:
    """A string item's text: plain or rich runs, without phonetic (ruby) runs."""
    return "".join(t.text or "" for t in item.iter(f"{_MAIN}t") if t.getparent().tag != f"{_MAIN}rPh")


def _date_formats(package: zipfile.ZipFile, names: dict[str, str], targets: dict[str, tuple[str, str]]
                  ) -> tuple[Formats, frozenset[int]]:
    """For each cell format (the `s` index of a cell): does it show a date, and which of its parts, or a
    percentage? And which cell formats strike their text through (Format Cells > Font > Strikethrough)?"""
    part = _part_of(targets, "styles")
    if part is None or part.lower() not in names:
        return [], frozenset()
    _checked_size(package, names, part, MAX_STYLES_BYTES, "styles")
    custom: dict[int, str] = {}
    dates: Formats = []
    struck_fonts: list[bool] = []
    struck: set[int] = set()
    tags = (f"{_MAIN}numFmt", f"{_MAIN}xf", f"{_MAIN}cellXfs", f"{_MAIN}font")
    with _open(package, names, part) as stream:
        for element in _iterparse(stream, tags):
            if element.tag == f"{_MAIN}numFmt":
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif element.tag == f"{_MAIN}font" and element.getparent().tag == f"{_MAIN}fonts":
                struck_fonts.append(_strikes(element.find(f"{_MAIN}strike")))
            elif element.tag == f"{_MAIN}xf" and element.getparent().tag == f"{_MAIN}cellXfs":
                if len(dates) >= MAX_CELL_FORMATS:
                    raise TooLarge(f"its styles part declares more than {MAX_CELL_FORMATS:,} cell formats "
                                   "(Excel's own limit)")
                font = int(element.get("fontId", "0"))
                if font < len(struck_fonts) and struck_fonts[font]:
                    struck.add(len(dates))
                number = int(element.get("numFmtId", "0"))
                dates.append(_shows(custom[number]) if number in custom else _builtin_shows(number))
                continue  # cleared with cellXfs, so getparent() keeps working
            _forget(element)
    return dates, frozenset(struck)


def _shows(format_code: str) -> frozenset[str] | Percent | NumberFormat | UnreadFormat | None:
    """The parts of a date a custom format shows (None when it is not a date format, as openpyxl reads it), the
    percentage it shows, how it shows another number ("£1,500"), or why that is not read (a fraction)."""
    if shows_date(format_code):
        return date_shows(format_code) or WHOLE_DATE
    places = percent_places(format_code)
    if places is not None:  # one choosing its section by a condition is read as stored, and said
        return unread_format(format_code) or Percent(places)
    return number_format(format_code) or unread_format(format_code)


def _builtin_shows(format_id: int) -> frozenset[str] | Percent | NumberFormat | UnreadFormat | None:
    if builtin_shows_date(format_id):
        return builtin_date_shows(format_id) or WHOLE_DATE
    places = builtin_percent_places(format_id)
    if places is not None:
        return Percent(places)
    return builtin_number_format(format_id) or builtin_unread_format(format_id)


def _sheet_rows(stream: IO[bytes], strings: list[str], dates: Formats, epoch: dt.datetime, struck: Struck
                ) -> tuple[tuple[tuple[int, tuple[object, ...]], ...], tuple[tuple[str, object], ...],
                           tuple[tuple[str, str], ...], tuple[tuple[str, UnreadFormat], ...]]:
    rows: list[tuple[int, tuple[object, ...]]] = []
    beyond: list[tuple[str, object]] = []
    struck_cells: list[tuple[str, str]] = []
    unread: list[tuple[str, UnreadFormat]] = []
    cells: dict[int, object] = {}
    last_row, cell_row, column = 0, 0, 0
    for element in _iterparse(stream, (f"{_MAIN}c", f"{_MAIN}row")):
        if element.tag == f"{_MAIN}row":
            number = int(element.get("r") or cell_row or last_row + 1)
            if cells:
                rows.append((number, tuple(cells.get(at) for at in range(1, max(cells) + 1))))
            cells, last_row, cell_row, column = {}, number, 0, 0
            _forget(element)
            continue
        reference = element.get("r")
        if reference:
            letters, cell_row = split_coordinate(reference)
            column = column_number(letters)
        else:
            column += 1
        value = _value(element, strings, dates, epoch)
        if value is None:
            continue
        if column > MAX_COLUMNS:
            beyond.append((reference or f"{column_letters(min(column, 16384))}{cell_row or last_row + 1}", value))
        else:
            cells[column] = value
            words = _struck_cell(element, struck, value) if isinstance(value, str) and value.strip() else ""
            if words:
                struck_cells.append((reference or f"{column_letters(column)}{cell_row or last_row + 1}", words))
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and element.get("t", "n") == "n":
                style = int(element.get("s", "0"))
                shows = dates[style] if style < len(dates) else None
                if isinstance(shows, UnreadFormat):
                    unread.append((reference or f"{column_letters(column)}{cell_row or last_row + 1}", shows))
    return tuple(rows), tuple(beyond), tuple(struck_cells), tuple(unread)


def _struck_cell(cell: etree._Element, struck: Struck, text: str) -> str:
    """The words of the cell (whose text is `text`) struck through: those of its runs struck through, and when
    its format strikes it through, all of them but a rich text's runs with a font of their own that does not
    (LibreOffice gives the cell its first run's font); "" when none is."""
    cell_struck = int(cell.get("s", "0")) in struck.formats
    kind = cell.get("t", "n")
    if kind == "s":
        index = int(cell.findtext(f"{_MAIN}v") or "-1")
        if cell_struck:
            return struck.in_struck_cells.get(index, " ".join(text.split()))
        return struck.strings.get(index, "")
    inline = cell.find(f"{_MAIN}is") if kind == "inlineStr" else None
    if inline is None:  # a formula's text, a plain string
        return " ".join(text.split()) if cell_struck else ""
    return _struck_words(inline, cell_struck)


def _value(cell: etree._Element, strings: list[str], dates: Formats, epoch: dt.datetime) -> object:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{_MAIN}is")
        return None if inline is None else _text(inline)
    raw = cell.findtext(f"{_MAIN}v")
    if not raw:  # no value, or a formula never calculated (<v></v>)
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind == "e":  # #REF!, #N/A: no value, and reported as the formula-error issue
        return None
    if kind == "str":
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    style = int(cell.get("s", "0"))
    shows = dates[style] if style < len(dates) else None
    if kind == "d":
        return DateCell(dt.datetime.fromisoformat(raw.rstrip("Z")), shows if isinstance(shows, frozenset) and shows
                        else WHOLE_DATE)
    number = _number(raw)
    if isinstance(shows, Percent):  # 50% is stored as 0.5: the paper shows what the partner typed and sees
        return shows.text(number) or number
    if isinstance(shows, NumberFormat):  # 1500 under "£"#,##0: the paper shows '£1,500', as the partner sees it
        shown = shows.text(number)
        stored = str(int(number)) if isinstance(number, float) and number.is_integer() else str(number)
        return NumberCell(number, shown) if shown is not None and shown != stored else number
    if isinstance(shows, UnreadFormat):  # a fraction, scientific notation: read as stored (and said by the caller)
        return number
    if shows:
        try:
            return DateCell(from_serial(number, epoch), shows, number)
        except (OverflowError, ValueError):  # a serial no calendar holds: keep the number, as Excel shows ####
            return number
    return number


def _number(raw: str) -> int | float:
    if not any(c in raw for c in ".eEnN"):
        try:
            return int(raw)
        except ValueError:  # more digits than Python converts (4,300): Excel could not have saved it
            pass
    return float(raw)
