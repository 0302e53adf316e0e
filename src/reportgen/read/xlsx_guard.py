"""Checks on an .xlsx package before its cells are read, and facts a reader of cell values skips.

`refuse_reason` stops zip bombs (size and ratio limits: no library has them) and XML with
DOCTYPE/ENTITY declarations (refused by defusedxml's parser) before anything expands them, reading
within bounded memory. `scan_sheet` streams one sheet's XML once for hidden rows and
columns, merged cells and formulas (their text, with or without a cached value), clearing elements as it goes.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from lxml import etree

from reportgen.read.xlsx_values import UnreadFormat, range_bounds

MAX_ENTRIES = 5_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # uncompressed; a 15,000-action return is under 20 MiB
MAX_RATIO = 150  # uncompressed / compressed, for entries over 1 MiB: XML compresses ~10-30x
PROLOG_LIMIT = 64 * 1024  # a DOCTYPE must come before the root element
CHUNK = 16 * 1024

_XML_PARTS = (".xml", ".rels", ".vml")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def refuse_reason(path: Path, kind: str = "workbook") -> str | None:
    """Why the package must not be opened, or None when it is safe to read its cells. `kind` names what it should
    be in the reason ("workbook"; "Word document" for a template: the same package and the same limits)."""
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
            if len(entries) > MAX_ENTRIES:
                return f"it holds {len(entries):,} parts (a {kind} has a few dozen)"
            total = sum(e.file_size for e in entries)
            if total > MAX_TOTAL_BYTES:
                return f"it would expand to {total / 2**20:,.0f} MiB"
            for entry in entries:
                if entry.file_size > 2**20 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                    return f"part {entry.filename} expands {entry.file_size // max(entry.compress_size, 1):,} times"
                # part names are compared case-insensitively (Excel opens xl/Styles.XML as well)
                problem = (_prolog_problem(package, entry, kind) if entry.filename.lower().endswith(_XML_PARTS)
                           else None)
                if problem:
                    return problem
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        return f"it is damaged ({exc})"
    return None


def _prolog_problem(package: zipfile.ZipFile, entry: zipfile.ZipInfo, kind: str) -> str | None:
    """What is wrong before the part's root element (a DTD), or None. Reads at most PROLOG_LIMIT.

    defusedxml's parser refuses a DOCTYPE, ENTITY or external reference as expat meets it, in any
    encoding expat reads; the part is read only up to its first element, so a large sheet is not
    parsed twice. A part that is not well-formed is left to the reader, which reports it as damaged.
    """
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    declares = f"part {entry.filename} declares a DOCTYPE or ENTITY (not allowed in a {kind})"
    read = 0
    with package.open(entry) as stream:
        while read < PROLOG_LIMIT:
            chunk = stream.read(CHUNK)
            if not chunk:
                return None
            read += len(chunk)
            try:
                parser.feed(chunk)
            except DefusedXmlException:
                return declares
            except (_RootSeen, ParseError):
                return None
            except ValueError as exc:  # an encoding expat cannot read, e.g. a declared UTF-16-BE
                return f"part {entry.filename} cannot be checked ({exc})"
    return declares  # a prolog this long is not a workbook's (nor a Word document's)


MAX_COMMENTS = 1_000  # of a sheet's comments kept to report: a return has a few, if any
MAX_COMMENT_CHARS = 300  # of a comment's text kept to quote it
_COMMENTS_TYPE = "/comments"  # the legacy comments part: Excel 365 writes one for each threaded comment too
_THREADED = re.compile(r"\[Threaded comment\].*?\bComment:\s*", re.DOTALL)


def _related_parts(package: zipfile.ZipFile, member: str, relationships: list[etree._Element], kind: str
                   ) -> list[str]:
    """The package's parts the sheet's .rels names with a relationship type ending in `kind`, that are there."""
    folder = member.rpartition("/")[0]
    names = set(package.namelist())
    parts = [posixpath.normpath(target[1:] if target.startswith("/") else posixpath.join(folder, target))
             for rel in relationships
             if rel.get("TargetMode") != "External" and rel.get("Type", "").endswith(kind)
             for target in [rel.get("Target", "")]]
    return [part for part in parts if part in names]


def _comments(package: zipfile.ZipFile, member: str, relationships: list[etree._Element]
              ) -> dict[str, tuple[str, str]]:
    """Cell -> (author, text) of the sheet's comments, from the comments part its .rels names: the first
    MAX_COMMENTS, each cut short at MAX_COMMENT_CHARS. A threaded comment (Excel 365) is read from the plain copy
    Excel writes beside it, without the preamble that copy starts with; its author, an id there, is left out."""
    found: dict[str, tuple[str, str]] = {}
    for part in _related_parts(package, member, relationships, _COMMENTS_TYPE):
        authors: list[str] = []
        with package.open(part) as stream:
            for _event, element in etree.iterparse(stream, events=("end",), resolve_entities=False, no_network=True,
                                                   tag=(f"{_NS}author", f"{_NS}comment")):
                if element.tag == f"{_NS}author":
                    authors.append(element.text or "")
                elif len(found) < MAX_COMMENTS and element.get("ref"):
                    text = "".join(t.text or "" for t in element.iter(f"{_NS}t"))
                    text = " ".join(_THREADED.sub("", text, count=1).split())
                    at = int(author_id) if (author_id := element.get("authorId", "")).isdigit() else -1
                    author = authors[at] if 0 <= at < len(authors) and not authors[at].startswith("tc=") else ""
                    cut = text if len(text) <= MAX_COMMENT_CHARS else text[:MAX_COMMENT_CHARS - 1] + "…"
                    found[element.get("ref", "")] = (author.strip(), cut)
                element.clear()
    return found


_TABLE_TYPE = "/table"


def _table_filtered(package: zipfile.ZipFile, member: str, relationships: list[etree._Element]) -> bool:
    """Whether a table on the sheet (Home > Format as Table) has a filter set on one of its columns: the table
    keeps its filter in its own part, not in the sheet's, and the rows it filters out are hidden rows."""
    for part in _related_parts(package, member, relationships, _TABLE_TYPE):
        with package.open(part) as stream:
            for _event, _element in etree.iterparse(stream, events=("end",), resolve_entities=False,
                                                    no_network=True, tag=f"{_NS}filterColumn"):
                return True
    return False


class _RootSeen(Exception):
    """The root element has started: the prolog, where a DTD must be, is over."""


class _StopAtRoot:
    """A parser target that stops the parse at the first element."""

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        raise _RootSeen

    def close(self) -> None:
        return None


MAX_FORMULA_CHARS = 200  # of a formula's text kept to quote it (Excel allows 8,192)


@dataclass(frozen=True)
class SheetFacts:
    hidden_rows: frozenset[int] = frozenset()
    merged: tuple[str, ...] = ()  # ranges as Excel shows them, e.g. "A5:A7"
    formulas: dict[str, str] = field(default_factory=dict)  # cell -> "" (cached), "no-value" or "#REF!"…
    links: dict[str, str] = field(default_factory=dict)  # cell -> URL of a link made with Insert > Link
    errors: dict[str, str] = field(default_factory=dict)  # cell -> "#REF!"…: an error value without a formula
    # cell -> the formula as Excel shows it ("=SUM(B2:B4)"); a formula filled from another cell (a shared
    # formula, which the file writes once) -> "" here and its first cell in `shared_from`
    formula_texts: dict[str, str] = field(default_factory=dict)
    shared_from: dict[str, str] = field(default_factory=dict)  # cell -> the cell its shared formula is written in
    hidden_columns: tuple[tuple[int, int], ...] = ()  # (first, last) 1-based column numbers hidden in Excel
    # cell -> its words struck through (found by the cell reader, which reads the styles)
    struck: dict[str, str] = field(default_factory=dict)
    # cell -> the cell whose array formula (Ctrl+Shift+Enter, or a dynamic array spilling) fills it: the file writes
    # the formula once, in the range's first cell
    array_from: dict[str, str] = field(default_factory=dict)
    # cells whose formula is =HYPERLINK("address", …): the address is in `links`, as a link set on the cell is
    hyperlinks: frozenset[str] = frozenset()
    # cell -> the number format that shows its number otherwise than it is read (found by the cell reader)
    unread_formats: dict[str, UnreadFormat] = field(default_factory=dict)
    # cell -> (author, text) of the comment (Review > New Comment, or a note) on it: never part of the value
    comments: dict[str, tuple[str, str]] = field(default_factory=dict)
    # a filter is set on the sheet (Data > Filter), or on a column of a table on it (Format as Table): its hidden rows
    # are most likely filtered out
    filtered: bool = False


def scan_sheet(path: Path, member: str) -> SheetFacts:
    """Hidden rows and columns, merged ranges and formula cells of one sheet, in one streaming pass.

    ValueError (the caller's "cannot read") for a damaged sheet, e.g. a merged range not given as cells.
    """
    hidden: set[int] = set()
    hidden_columns: list[tuple[int, int]] = []
    merged: list[str] = []
    formulas: dict[str, str] = {}
    texts: dict[str, str] = {}
    shared: dict[str, str] = {}  # cell -> its shared formula's index (`si`)
    shared_first: dict[str, str] = {}  # index -> the cell the shared formula is written in
    errors: dict[str, str] = {}
    link_ids: dict[str, str] = {}
    formula_links: dict[str, str] = {}  # cell -> the address its =HYPERLINK("…") goes to
    arrays: list[tuple[str, tuple[tuple[int, int], tuple[int, int]]]] = []  # (first cell, its range's bounds)
    array_from: dict[str, str] = {}
    filtered = False
    with zipfile.ZipFile(path) as package, package.open(member) as stream:
        parser = etree.iterparse(stream, events=("end",), resolve_entities=False, no_network=True, huge_tree=True,
                                 tag=(f"{_NS}row", f"{_NS}mergeCell", f"{_NS}c", f"{_NS}hyperlink", f"{_NS}col",
                                      f"{_NS}autoFilter"))
        for _event, element in parser:
            tag = element.tag
            if tag == f"{_NS}c":
                value = element.find(f"{_NS}v")
                formula = element.find(f"{_NS}f")
                array = _array_holding(arrays, element.get("r", "")) if arrays and formula is None else None
                if formula is not None or array is not None:
                    cell = element.get("r", "")
                    if value is None or value.text is None:
                        formulas[cell] = "no-value"
                    else:
                        formulas[cell] = value.text if element.get("t") == "e" else ""
                    if array is not None:
                        array_from[cell], texts[cell] = array, ""
                        continue
                    assert formula is not None
                    texts[cell] = _formula_text(formula.text)
                    if address := _hyperlink_address(formula.text):
                        formula_links[cell] = address
                    if formula.get("t") == "shared" and formula.get("si") is not None:
                        shared[cell] = formula.get("si", "")
                        if formula.text:
                            shared_first.setdefault(formula.get("si", ""), cell)
                    elif formula.get("t") == "array" and formula.get("ref") and cell:
                        try:
                            arrays.append((cell, range_bounds(formula.get("ref", ""))))
                        except ValueError:
                            raise ValueError(f"an array formula is given for '{formula.get('ref')}', which is not "
                                             "a range of cells") from None
                elif element.get("t") == "e" and value is not None and value.text:
                    errors[element.get("r", "")] = value.text  # pasted as a value: #REF!, #N/A…
                continue  # cells are cleared with their row
            if tag == f"{_NS}col":
                if element.get("hidden") in ("1", "true"):
                    hidden_columns.append(_column_span(element))
            elif tag == f"{_NS}row":
                if element.get("hidden") in ("1", "true"):
                    hidden.add(int(element.get("r", "0")))
            elif tag == f"{_NS}mergeCell":
                merged.append(element.get("ref", ""))
            elif tag == f"{_NS}autoFilter":
                filtered = True
            elif tag == f"{_NS}hyperlink" and element.get(_REL_ID):
                link_ids[element.get("ref", "")] = element.get(_REL_ID, "")
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
        relationships = _sheet_relationships(package, member)
        targets = _link_targets(relationships)
        comments = _comments(package, member, relationships)
        filtered = filtered or _table_filtered(package, member, relationships)
    links = {cell: targets[rel] for cell, rel in link_ids.items() if rel in targets}
    shared_first_links = {index: formula_links[cell] for index, cell in shared_first.items() if cell in formula_links}
    formula_links |= {cell: shared_first_links[index] for cell, index in shared.items()  # filled down: the same
                      if index in shared_first_links and cell not in formula_links}  # address, written in quotes
    hyperlinks = frozenset(cell for cell in formula_links if cell not in links)
    links |= {cell: formula_links[cell] for cell in hyperlinks}
    places = [("merged range", cells) for cells in merged] + [("formula cell", cell) for cell in formulas if cell] \
        + [("cell", cell) for cell in errors if cell] + [("comment's cell", cell) for cell in comments]
    for what, cells in places:
        try:
            range_bounds(cells)
        except ValueError:
            raise ValueError(f"a {what} is given as '{cells}', which is not a cell or a range of cells") from None
    shared_from = {cell: shared_first[index] for cell, index in shared.items()
                   if not texts[cell] and index in shared_first}
    return SheetFacts(frozenset(hidden), tuple(merged), formulas, links, errors, texts, shared_from,
                      tuple(hidden_columns), array_from=array_from, hyperlinks=hyperlinks, comments=comments,
                      filtered=filtered)


_HYPERLINK = re.compile(r'\s*(?:_xlfn\.)?HYPERLINK\(\s*"((?:[^"]|"")*)"\s*[,)]', re.IGNORECASE)


def _hyperlink_address(text: str | None) -> str:
    """The address of a =HYPERLINK("address", "words") formula, written in quotes; "" for another formula, or one
    whose address is worked out (=HYPERLINK(B2, …): its value is not in the file)."""
    found = _HYPERLINK.match(text or "")
    return found.group(1).replace('""', '"').strip() if found else ""


def _array_holding(arrays: list[tuple[str, tuple[tuple[int, int], tuple[int, int]]]], cell: str) -> str | None:
    """The first cell of the array formula whose range holds `cell` (not itself), if any."""
    if not cell:
        return None
    try:
        (row, column), _ = range_bounds(cell)
    except ValueError:
        return None
    for first, ((top, left), (bottom, right)) in arrays:
        if top <= row <= bottom and left <= column <= right and cell != first:
            return first
    return None


def _formula_text(text: str | None) -> str:
    """A formula as Excel's formula bar shows it ("=SUM(B2:B4)"), cut short at MAX_FORMULA_CHARS; "" when the
    cell only refers to a shared formula written in another cell."""
    if not text:
        return ""
    shown = "=" + text
    return shown if len(shown) <= MAX_FORMULA_CHARS else shown[:MAX_FORMULA_CHARS - 1] + "…"


def _column_span(element: etree._Element) -> tuple[int, int]:
    """(first, last) column numbers of a <col> element; ValueError for a damaged one."""
    try:
        first = int(element.get("min", ""))
        last = int(element.get("max", "") or first)
    except ValueError:
        raise ValueError("a column's width or visibility is given without its column numbers") from None
    if not 1 <= first <= last:
        raise ValueError(f"a column's width or visibility is given for columns {first} to {last}")
    return first, last


_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheet_relationships(package: zipfile.ZipFile, member: str) -> list[etree._Element]:
    """The sheet's relationships, from its .rels part (already checked for DOCTYPE); [] when it has none."""
    folder, _, name = member.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels"
    if rels not in package.namelist():
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return list(etree.fromstring(package.read(rels), parser).iter(f"{_RELS_NS}Relationship"))


def _link_targets(relationships: list[etree._Element]) -> dict[str, str]:
    """Relationship id -> external target (a link set on a cell)."""
    return {rel.get("Id", ""): rel.get("Target", "") for rel in relationships if rel.get("TargetMode") == "External"}
