"""A table that runs over several pages tagged as one Table, its header once, as PDF/UA wants it.

WeasyPrint (70) tags page by page (#2902/#2903): a table over 30 pages becomes 30 Table elements,
each in a copy of the elements around it (the plan's <section>, a Sect per page), each with its own
THead of the header rows repeated on that page. A screen reader announces 30 tables and reads the
column headings 30 times; a section's group row is only in the table of the page it starts on.

Here a table that continues another (a page's first element is, down the same grouping elements,
a Table whose head has the shape of the head of the Table that ended the page before; or, for a table
without a head such as the cover sheet, a Table with no head either whose first row has the shape of the
last row before, each led by a header of its row) is folded into the first one: its body rows join
the first table's TBody, in order, and its grouping elements' other children follow the first one's.
The repeated header rows are page furniture, not content: PDF/UA (ISO 14289-1, 7.1) asks for repeated
running content to be an artifact, so their structure elements go, their marked content becomes a
pagination artifact (the caller rewrites the pages, see `Folded.artifacts`), and cells that named the
repeated headers in /Headers name the first THead's.
A row split over a page break (a partner's explanation longer than a page, a long cover sheet entry)
is tagged by WeasyPrint as one row per page, the later ones with an empty row header: a screen reader
would read the rest of action 14 as a row of no action. The rest is moved into the row it continues, cell
by cell, so the action is one row (TR) whose number heads it on every page.
A table's Caption (first in its Table: the template's hidden one, which names it) stays with the first table; one a
continuation had would go with its head.
The pages are drawn exactly as before: only marked-content tags change.

A long paper's tables run across the parts it is laid out in; the joiner (`reportgen.render.pdf.join`)
folds within each part with `fold_continued_tables` and across parts with `Continuable` and
`continue_rows`, so both paths give one tree of the same shape.

Must not: fold tables without a head whose rows have no row headers (nothing says they continue one
another), or change content.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

from reportgen.render.pdf.table_tags import element_kids, table_parts

GROUPING = {"/Sect", "/Div", "/Part", "/Art", "/NonStruct"}  # what WeasyPrint repeats around a split table
ObjGen = tuple[int, int]
Shape = tuple[tuple[tuple[int, int], ...], ...]  # a head's rows: each cell's (column span, row span)
RowForm = tuple[tuple[str, int, int], ...]  # a row's cells: each one's kind (/TH, /TD) and spans


@dataclass
class Folded:
    """What folding removed: structure elements (no longer in the tree), the MCIDs of the repeated
    header rows by page (to become artifacts) and the IDs of their header cells (gone from /IDTree)."""

    removed: set[ObjGen] = field(default_factory=set)
    artifacts: dict[ObjGen, set[int]] = field(default_factory=dict)
    dropped_ids: set[bytes] = field(default_factory=set)


@dataclass(frozen=True)
class Continuable:
    """What a table that ends a page must show for a later page's table to continue it: the tags down to
    it, its head's shape and header IDs (in order), the page its last row is on, and that row's form (what
    a table without a head is matched by)."""

    tags: tuple[str, ...]
    shape: Shape
    header_ids: tuple[bytes | None, ...]
    page: ObjGen | None
    last_row: RowForm = ()


def fold_continued_tables(document: pikepdf.Object) -> Folded:
    """Fold every table continued on a later page into the first, under `document` (a structure element
    whose children are WeasyPrint's page-by-page subtrees)."""
    folded = Folded()
    tops = document.get("/K")
    if not isinstance(tops, pikepdf.Array) or not all(_is_element(top) for top in tops):
        return folded
    kept: list[pikepdf.Object] = []
    for top in tops:
        ending = ending_chain(kept[-1]) if kept else None
        starting = starting_chain(top)
        if ending and starting and continues(continuable(ending), starting):
            _fold(ending, starting, folded)
        else:
            kept.append(top)
    if len(kept) != len(tops):
        document.K = pikepdf.Array(kept)
    return folded


def ending_chain(top: pikepdf.Object) -> list[pikepdf.Object] | None:
    """`top` and its last children down to a Table with a body (and a head, or none), through grouping
    elements only."""
    return _chain(top, -1)


def starting_chain(top: pikepdf.Object) -> list[pikepdf.Object] | None:
    """`top` and its first children down to a Table with a body (and a head, or none), through grouping
    elements only."""
    return _chain(top, 0)


def continuable(chain: list[pikepdf.Object]) -> Continuable:
    table = chain[-1]
    rows = element_kids(element_kids(table)[-1])
    return Continuable(tuple(str(element.S) for element in chain), _shape(table),
                       tuple(_header_ids(table)), _page(rows[-1]) if rows else None,
                       _row_form(rows[-1]) if rows else ())


def continues(before: Continuable, chain: list[pikepdf.Object], same_document: bool = True) -> bool:
    """Whether the table at the end of `chain` continues the one `before` describes: the same elements
    around it, a head of the same shape, on a later page (a part's first page always is: `same_document`
    False, as page objects of two parts' PDFs may have the same numbers)."""
    table = chain[-1]
    if tuple(str(element.S) for element in chain) != before.tags or _shape(table) != before.shape:
        return False
    if same_document and before.page == _page(table):
        return False
    if _head(table) is None:  # no head to match: its rows go on as the rows before went
        rows = element_kids(table_parts(table)[0])
        return bool(rows) and _row_form(rows[0]) == before.last_row and _led_by_row_header(before.last_row)
    return _marked_only(table_parts(table)[0])


def continue_rows(table: pikepdf.Object, header_ids: tuple[bytes | None, ...], folded: Folded) -> list[pikepdf.Object]:
    """The body rows of `table`, a continuation, their cells' /Headers naming `header_ids` (the first
    table's head) where they named this table's head; its head and the table itself go to `folded`."""
    renamed = {own: first for own, first in zip(_header_ids(table), header_ids)
               if own is not None and first is not None}
    head = _head(table)
    bodies = table_parts(table)[1:] if head is not None else table_parts(table)
    caption = element_kids(table)[:len(element_kids(table)) - len(table_parts(table))]  # the first table's names it
    for element in (inner for top in (*caption, *([head] if head is not None else [])) for inner in subtree(top)):
        folded.removed.add(element.objgen)
        if "/ID" in element:
            folded.dropped_ids.add(bytes(element.ID))
        for page, mcid in _mcids(element):
            folded.artifacts.setdefault(page, set()).add(mcid)
    folded.removed.add(table.objgen)
    rows = []
    for body in bodies:
        for row in element_kids(body):
            for cell in element_kids(row):
                _rename_headers(cell, renamed)
            rows.append(row)
    return rows


def _fold(ending: list[pikepdf.Object], starting: list[pikepdf.Object], folded: Folded) -> None:
    """Fold `starting` (a page's first element down to its table) into `ending` (the last one before)."""
    first, table = ending[-1], starting[-1]
    body = element_kids(first)[-1]
    for element in (*ending, body):
        spread(element)
    for row in continue_rows(table, continuable(ending).header_ids, folded):
        last = element_kids(body)[-1] if element_kids(body) else None
        if last is not None and _rest_of(last, row):
            _join_rows(last, row, folded)
            continue
        row.P = body
        body.K.append(row)
    folded.removed.update(part.objgen for part in element_kids(table) if str(part.S) == "/TBody")
    for before, after in zip(reversed(ending[:-1]), reversed(starting[:-1])):
        for kid in element_kids(after)[1:]:  # what follows the table in its grouping elements
            kid.P = before
            before.K.append(kid)
        folded.removed.add(after.objgen)


def _rest_of(row: pikepdf.Object, later: pikepdf.Object) -> bool:
    """Whether `later`, a page's first row, is the rest of `row`, the last row before it: a row split over
    the page break, as WeasyPrint tags it. Its row header is empty (the action's number, or a cover
    sheet's label, is on the page before; a plan row's "(continued)" label is furniture, outside the tree),
    its cells are those of `row`, and they hold only elements (no marked content of their own to move)."""
    form = _row_form(row)
    if not _led_by_row_header(form) or _row_form(later) != form:
        return False
    cells = element_kids(later)
    header = cells[0].get("/K")
    if header is not None and not (isinstance(header, pikepdf.Array) and not len(header)):
        return False
    return all(_elements_only(cell) for cell in cells)


def _join_rows(row: pikepdf.Object, rest: pikepdf.Object, folded: Folded) -> None:
    """Move the content of `rest`'s cells to the end of `row`'s, cell by cell: one row (TR) for the action
    whatever pages it runs over, its number its row header on every page. `rest` and its cells go."""
    spread(row)
    for cell, more in zip(element_kids(row), element_kids(rest), strict=True):
        kids = element_kids(more)
        if not kids:
            folded.removed.add(more.objgen)
            continue
        spread(cell)
        held = cell.get("/K")
        if not isinstance(held, pikepdf.Array):
            cell.K = pikepdf.Array([held] if held is not None else [])
        for kid in kids:
            kid.P = cell
            cell.K.append(kid)
        folded.removed.add(more.objgen)
    for cell in element_kids(rest):
        if "/ID" in cell:
            folded.dropped_ids.add(bytes(cell.ID))
    folded.removed.add(rest.objgen)


def _elements_only(cell: pikepdf.Object) -> bool:
    kids = cell.get("/K")
    items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return all(_is_element(kid) for kid in items)


def spread(element: pikepdf.Object) -> None:
    """Say no page for an element whose content now spans pages (its /Pg, optional, names one page for
    its MCIDs, and it has none): readers that go by /Pg (pdfplumber) would skip its later pages' rows."""
    if "/Pg" in element:
        del element["/Pg"]


def _chain(top: pikepdf.Object, end: int) -> list[pikepdf.Object] | None:
    chain = [top]
    while str(chain[-1].get("/S")) in GROUPING:
        kids = chain[-1].get("/K")
        if not isinstance(kids, pikepdf.Array) or not len(kids) or not all(_is_element(kid) for kid in kids):
            return None
        chain.append(kids[end])
    table = chain[-1]
    if str(table.get("/S")) != "/Table" or not isinstance(table.get("/K"), pikepdf.Array):
        return None
    parts = [str(kid.get("/S")) for kid in table.K] if all(_is_element(kid) for kid in table.K) else []
    parts = parts[1:] if parts[:1] == ["/Caption"] else parts
    bodies = parts[1:] if parts[:1] == ["/THead"] else parts
    if not bodies or any(kind != "/TBody" for kind in bodies):
        return None
    return chain


def _head(table: pikepdf.Object) -> pikepdf.Object | None:
    """The table's THead; None for a table of bodies only (a cover sheet)."""
    first = table_parts(table)[0]
    return first if str(first.S) == "/THead" else None


def _spans(cell: pikepdf.Object) -> tuple[int, int]:
    attributes = cell.get("/A")
    if not isinstance(attributes, pikepdf.Dictionary):
        return 1, 1
    return int(attributes.get("/ColSpan", 1)), int(attributes.get("/RowSpan", 1))


def _shape(table: pikepdf.Object) -> Shape:
    head = _head(table)
    if head is None:
        return ()
    return tuple(tuple(_spans(cell) for cell in element_kids(row)) for row in element_kids(head))


def _row_form(row: pikepdf.Object) -> RowForm:
    return tuple((str(cell.S), *_spans(cell)) for cell in element_kids(row))


def _led_by_row_header(form: RowForm) -> bool:
    """Whether a row is a header of its own row then data (a cover sheet's label, then its value): what
    says a table without a head goes on, as a head says it for other tables."""
    return len(form) > 1 and form[0][0] == "/TH" and all(kind == "/TD" for kind, _, _ in form[1:])


def _header_ids(table: pikepdf.Object) -> Iterator[bytes | None]:
    head = _head(table)
    for row in element_kids(head) if head is not None else ():
        for cell in element_kids(row):
            yield bytes(cell.ID) if "/ID" in cell else None


def _rename_headers(cell: pikepdf.Object, renamed: dict[bytes, bytes]) -> None:
    found = cell.get("/A")
    for attributes in found if isinstance(found, pikepdf.Array) else [found]:
        if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
            names = [bytes(name) for name in attributes.Headers]
            if any(name in renamed for name in names):
                attributes.Headers = pikepdf.Array([pikepdf.String(renamed.get(name, name)) for name in names])


def _marked_only(head: pikepdf.Object) -> bool:
    """Whether the head holds only elements and marked content (no link or annotation to keep)."""
    for element in subtree(head):
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" not in kid and str(kid.get("/Type")) != "/MCR":
                return False
    return True


def _mcids(element: pikepdf.Object) -> Iterator[tuple[ObjGen, int]]:
    """(page, MCID) of the marked content directly under `element`."""
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            page = _page(element)
            if page is not None:
                yield page, kid
        elif isinstance(kid, pikepdf.Dictionary) and str(kid.get("/Type")) == "/MCR":
            page = kid.Pg.objgen if "/Pg" in kid else _page(element)
            if page is not None:
                yield page, int(kid.MCID)


def subtree(top: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """`top` and every structure element under it."""
    stack = [top]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(element_kids(element))


def _is_element(obj: object) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def _page(element: pikepdf.Object) -> ObjGen | None:
    page = element.get("/Pg")
    return page.objgen if isinstance(page, pikepdf.Dictionary) else None
