"""`own_text`: the words a restyled Word template adds of its own, which only the Word paper shows.

The Word paper is the template filled in, so a line typed into it (a contact on the cover, "OFFICIAL" in
the footer, a heading reworded) appears there; the PDF and the web edition are drawn from reportgen.toml
and the narrative, and take only the template's look. What reportgen's own template says is not the
officer's own text, nor are template tags, the plan table's prototype rows (their text is replaced) and
fields' shown results (a page number).

What it must not do: write anything, or read the look (reportgen.render.theme does).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from reportgen.template_files import DEFAULT_TEMPLATES

Element = Any  # lxml elements (python-docx oxml classes)

_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\[\[[A-Z]+\]\]", re.DOTALL)
# lines of reportgen's earlier templates: the blocking box's advice, typed in before it became
# {{ paper.blocking_advice }}, and the footer's page number alone, before the footer named the meeting and its date
_EARLIER_DEFAULT_TEXT = frozenset({
    "Resolve these issues, then build the paper again; until then it must not be published.",
    "Page of"})
_HEADERS_FOOTERS = ("header", "first_page_header", "even_page_header",
                    "footer", "first_page_footer", "even_page_footer")
W_P, W_R, W_T = qn("w:p"), qn("w:r"), qn("w:t")
LONGEST = 80  # characters of a line quoted in the issue


def own_text(document: DocxDocument, skip_rows: tuple[Element | None, ...] = ()) -> list[str]:
    """Each line of `document` (body, headers, footers) that reportgen's template does not have, quoted, and
    each picture in its body (a logo goes in the header), in order, once; the table rows `skip_rows` (the
    plan's prototypes) are not read."""
    ours = _default_lines()
    found: list[str] = []
    for line in _lines(document, skip_rows):
        shown = f"'{line if len(line) <= LONGEST else line[:LONGEST - 1] + '…'}'"
        if line not in ours and shown not in found:
            found.append(shown)
    for drawing in document.element.body.iter(qn("w:drawing")):
        described = next((" ".join((doc_pr.get("descr") or doc_pr.get("title") or "").split())
                          for doc_pr in drawing.iter(qn("wp:docPr"))), "")
        found.append(f"a picture ('{described[:LONGEST]}')" if described else "a picture")
    return found


def described(pieces: list[str], most: int = 3) -> str:
    """'first line', a picture ('Logo') and 2 more: the first `most` of `own_text`'s pieces."""
    rest = len(pieces) - most
    return ", ".join(pieces[:most]) + (f" and {rest} more" if rest > 0 else "")


def renamed_headings(header: Element | None, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """(column key, heading) of each cell of the template's plan header row `header` worded otherwise than in
    reportgen's template: the paper heads its columns from the register and reportgen.toml, so neither output
    shows it. Only a header of our columns (one cell a key of `keys`) is compared."""
    cells = header.findall(qn("w:tc")) if header is not None else []
    ours = _default_headings()
    if len(cells) != len(keys) or len(ours) != len(keys):
        return []
    written = [_heading_text(tc) for tc in cells]
    return [(key, text) for key, text, default in zip(keys, written, ours, strict=True) if text and text != default]


def missing_columns(header: Element | None, keys: tuple[str, ...]) -> tuple[str, ...]:
    """The column keys (of `keys`, our template's columns in order) whose header cell the officer deleted from the
    template's plan table: a header of fewer cells than ours, each of ours not among its headings (() when the
    header has all its cells, or none of ours can be told)."""
    cells = header.findall(qn("w:tc")) if header is not None else []
    ours = _default_headings()
    if not cells or len(cells) >= len(keys) or len(ours) != len(keys):
        return ()
    written = {_heading_text(tc).casefold() for tc in cells}
    gone = tuple(key for key, default in zip(keys, ours, strict=True) if default.casefold() not in written)
    return gone if len(gone) == len(keys) - len(cells) else ()


def _heading_text(tc: Element) -> str:
    """A header cell's words as the paper would read them: template tags left out, spaces tidied."""
    return " ".join(_TAGS.sub(" ", "".join(_shown_text(p) for p in tc.iter(W_P))).split())


def column_shares(table: Element | None, keys: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """(column key, share of the table's width) of the template's plan table `table`, one column a key of `keys`,
    when the officer changed its widths from those of reportgen's template (by more than a point of a share);
    () when they are ours, or the table is not one column a key."""
    shares = _shares(table)
    ours = _default_shares()
    if len(shares) != len(keys) or len(ours) != len(keys):
        return ()
    if all(abs(share - default) <= 0.01 for share, default in zip(shares, ours, strict=True)):
        return ()
    return tuple(zip(keys, shares, strict=True))


def _shares(table: Element | None) -> tuple[float, ...]:
    grid = table.find(qn("w:tblGrid")) if table is not None else None
    widths = []
    for col in grid.findall(qn("w:gridCol")) if grid is not None else []:
        try:
            widths.append(max(int(col.get(qn("w:w"), "0")), 0))
        except ValueError:
            return ()
    total = sum(widths)
    return tuple(round(width / total, 4) for width in widths) if total else ()


@lru_cache(maxsize=1)
def _default_shares() -> tuple[float, ...]:
    return _shares(_plan_table(_default()))


def _plan_table(document: DocxDocument) -> Element | None:
    """The table with a [[CELL]] row."""
    for table in document.element.body.iter(qn("w:tbl")):
        if any("[[CELL]]" in "".join(t.text or "" for t in row.iter(W_T)) for row in table.findall(qn("w:tr"))):
            return table
    return None


@lru_cache(maxsize=1)
def _default() -> DocxDocument:
    return docx.Document(str(Path(DEFAULT_TEMPLATES) / "paper.docx"))


@lru_cache(maxsize=1)
def _default_lines() -> frozenset[str]:
    return frozenset(_lines(_default(), ())) | _EARLIER_DEFAULT_TEXT


@lru_cache(maxsize=1)
def _default_headings() -> tuple[str, ...]:
    """The plan header row's cells in reportgen's template: the first row of the table with a [[CELL]] row."""
    table = _plan_table(_default())
    rows = table.findall(qn("w:tr")) if table is not None else []
    return tuple(" ".join("".join(_shown_text(p) for p in tc.iter(W_P)).split())
                 for tc in rows[0].findall(qn("w:tc"))) if rows else ()


def _lines(document: DocxDocument, skip_rows: tuple[Element | None, ...]) -> list[str]:
    parts = [document.element.body]
    for section in document.sections:
        for kind in _HEADERS_FOOTERS:
            part = getattr(section, kind)
            if not part.is_linked_to_previous:
                parts.append(part._element)
    skipped = {id(row) for row in skip_rows if row is not None}
    lines = []
    for part in parts:
        for paragraph in part.iter(W_P):
            if paragraph.find(f".//{W_P}") is not None:  # a text box's anchor: its own paragraphs are read
                continue
            if any(id(ancestor) in skipped for ancestor in paragraph.iterancestors(qn("w:tr"))):
                continue
            line = " ".join(_TAGS.sub(" ", _shown_text(paragraph)).split())
            if line:
                lines.append(line)
    return lines


def _shown_text(paragraph: Element) -> str:
    """The paragraph's typed text: a field's result (between its 'begin' and 'end' marks, or inside a simple
    field) is left out, as Word works it out again (a page number)."""
    text: list[str] = []
    depth = 0  # fields nest
    for run in paragraph.iter(W_R):
        mark = run.find(qn("w:fldChar"))
        if mark is not None:
            kind = mark.get(qn("w:fldCharType"))
            depth += 1 if kind == "begin" else -1 if kind == "end" and depth else 0
            continue
        if depth or any(ancestor.tag == qn("w:fldSimple") for ancestor in run.iterancestors()):
            continue
        text.extend(t.text or "" for t in run.iter(W_T))
    return "".join(text)
