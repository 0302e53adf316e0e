"""Table header cells of a WeasyPrint structure tree given the /Scope a PDF reader looks for.

WeasyPrint (70) tags `<th>` as TH with no /Scope, and ties each TD to its headers through /Headers
naming the headers' /ID. A checker reports every TH without /Scope (PDF/UA, Matterhorn 15-003; PAC),
and a screen reader that goes by Scope finds no column or row headers. The scope is what the HTML
said, as WeasyPrint read it: a header in the table's head is a column's; one in the body that a data
cell of its own row names in /Headers is a row's (the plan's action number, a cover sheet label);
any other (a section heading across the plan) heads the columns under it.

A group heading row of the plan (a section's heading across the table, `<th colspan scope="colgroup">`)
heads the actions under it, but WeasyPrint names only a cell's row and column headers in its /Headers:
a screen reader reading action 14's status said "14, Status" and never which section the action is in.
`RowGroups` adds the headings a cell is under (its section's, and its subsection's in a two-level
paper) to its /Headers, in the paper's order, once the plan's rows are one table (after folding,
`reportgen.render.pdf.continued_tables`; a long paper's parts in order, by the joiner).

A long paper's parts are documents of their own, and WeasyPrint makes each header's ID from object
numbers that parts share: the joiner (`reportgen.render.pdf.join`) prefixes them part by part, so that
no two headers of the joined paper have one ID and a cell on page 60 cannot name a row header of page 3.

Importing this module imports pikepdf.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pikepdf
from pikepdf import Name

if TYPE_CHECKING:
    from reportgen.model import Paper

_SECTIONS = {"/THead", "/TBody", "/TFoot"}


@dataclass
class Scoped:
    """What `scope_table_headers` found: whether any table, and each header's ID (as it now reads) with its
    element, for the structure tree's /IDTree (required where elements have IDs)."""

    tables: bool = False
    ids: list[tuple[bytes, pikepdf.Object]] = field(default_factory=list)


def scope_table_headers(top: pikepdf.Object, id_prefix: str = "") -> Scoped:
    """Give every TH under the structure element `top` its /Scope (and with `id_prefix`, every ID and
    every /Headers reference that prefix)."""
    scoped = Scoped()
    for table in tables_in_order(top):
        scoped.tables = True
        _scope_table(table, id_prefix.encode(), scoped.ids)
    return scoped


def id_tree(ids: list[tuple[bytes, pikepdf.Object]]) -> pikepdf.Dictionary:
    """A name tree of one node: each ID, in order, to its element."""
    names = pikepdf.Array()
    for name, element in sorted(ids, key=lambda item: item[0]):
        names.append(pikepdf.String(name))
        names.append(element)
    return pikepdf.Dictionary(Names=names)


def element_kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def table_parts(table: pikepdf.Object) -> list[pikepdf.Object]:
    """A table's THead, TBody… (or rows): its kids but the Caption that names it first (the template's hidden one)."""
    kids = element_kids(table)
    return kids[1:] if kids and str(kids[0].S) == "/Caption" else kids


def _scope_table(table: pikepdf.Object, prefix: bytes, ids: list[tuple[bytes, pikepdf.Object]]) -> None:
    headers: list[tuple[pikepdf.Object, bytes, int, bool]] = []  # (TH, its ID, its row, in the table's head)
    named_from: dict[bytes, set[int]] = {}  # a header's ID -> the rows of the cells naming it
    for row_number, (row, in_head) in enumerate(_rows(table)):
        for cell in element_kids(row):
            kind = str(cell.S)
            if kind == "/TH":
                headers.append((cell, bytes(cell.get("/ID", b"")), row_number, in_head))
                if "/ID" in cell:
                    if prefix:
                        cell.ID = pikepdf.String(prefix + bytes(cell.ID))
                    ids.append((bytes(cell.ID), cell))
            elif kind == "/TD":
                for attributes in _attributes(cell):
                    if "/Headers" not in attributes:
                        continue
                    for name in attributes.Headers:
                        named_from.setdefault(bytes(name), set()).add(row_number)
                    if prefix:
                        attributes.Headers = pikepdf.Array([pikepdf.String(prefix + bytes(name))
                                                            for name in attributes.Headers])
    for header, own, row_number, in_head in headers:
        row_header = not in_head and row_number in named_from.get(own, set())
        _table_attributes(header)[Name.Scope] = Name.Row if row_header else Name.Column


def _rows(table: pikepdf.Object) -> Iterator[tuple[pikepdf.Object, bool]]:
    for kid in element_kids(table):
        kind = str(kid.S)
        if kind == "/TR":
            yield kid, False
        elif kind in _SECTIONS:
            yield from ((row, kind == "/THead") for row in element_kids(kid) if str(row.S) == "/TR")


def _attributes(cell: pikepdf.Object) -> list[pikepdf.Object]:
    found = cell.get("/A")
    items = found if isinstance(found, pikepdf.Array) else [found] if found is not None else []
    return [item for item in items if isinstance(item, pikepdf.Dictionary)]


def _table_attributes(cell: pikepdf.Object) -> pikepdf.Object:
    """The cell's attribute dictionary owned by /Table (made when it has none)."""
    for attributes in _attributes(cell):
        if attributes.get("/O") == Name.Table:
            return attributes
    made = pikepdf.Dictionary(O=Name.Table)
    found = cell.get("/A")
    if found is None:
        cell.A = made
    elif isinstance(found, pikepdf.Array):
        found.append(made)
    else:
        cell.A = pikepdf.Array([found, made])
    return made


@dataclass
class RowGroups:
    """The plan's group heading rows, by their level (1, or 2 under a two-level grouping) in the paper's
    order, and the plan's number of columns; `name_in` goes through the plan's rows in order (a long
    paper's parts one after another), each heading row taking the next level."""

    levels: tuple[int, ...]  # `Paper.group_levels`
    columns: int
    seen: int = 0
    under: dict[int, bytes] = field(default_factory=dict)  # level -> the ID of the heading now in force

    @classmethod
    def of(cls, paper: Paper) -> RowGroups:
        return cls(paper.group_levels, len(paper.columns))

    def name_in(self, rows: Iterable[pikepdf.Object]) -> None:
        """Each data cell of `rows` (the plan's body rows, in order) names the group headings it is under, first
        in its /Headers; a group heading row opens its level and closes those below it."""
        for row in rows:
            cells = element_kids(row)
            if self._heading(cells):
                level = self.levels[self.seen] if self.seen < len(self.levels) else 1
                self.seen += 1
                self.under = {kept: name for kept, name in self.under.items() if kept < level}
                self.under[level] = bytes(cells[0].ID)
                continue
            names = [self.under[level] for level in sorted(self.under)]
            for cell in cells if names else ():
                for attributes in _attributes(cell) if str(cell.S) == "/TD" else ():
                    if "/Headers" in attributes:
                        own = [bytes(name) for name in attributes.Headers if bytes(name) not in names]
                        attributes.Headers = pikepdf.Array([pikepdf.String(name) for name in [*names, *own]])

    def plan_rows(self, top: pikepdf.Object) -> Iterator[pikepdf.Object]:
        """The body rows of the plan tables under `top` (a table whose head's row has the plan's columns), in
        the tree's order."""
        for table in tables_in_order(top):
            if self.is_plan(table):
                yield from (row for row, in_head in _rows(table) if not in_head)

    def is_plan(self, table: pikepdf.Object) -> bool:
        parts = table_parts(table)
        heads = element_kids(parts[0]) if parts and str(parts[0].S) == "/THead" else []
        return bool(heads) and len(element_kids(heads[0])) == self.columns

    def _heading(self, cells: list[pikepdf.Object]) -> bool:
        """A row of one header cell across the plan's columns, with an ID to name."""
        if len(cells) != 1 or str(cells[0].S) != "/TH" or "/ID" not in cells[0]:
            return False
        return any(int(attributes.get("/ColSpan", 1)) == self.columns for attributes in _attributes(cells[0]))


def tables_in_order(top: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The Table elements under `top`, in the tree's order (not under one another)."""
    stack = [top]
    while stack:
        element = stack.pop()
        if str(element.get("/S")) == "/Table":
            yield element
            continue
        stack.extend(reversed(element_kids(element)))
