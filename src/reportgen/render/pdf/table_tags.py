"""Table header cells of a WeasyPrint structure tree given the /Scope a PDF reader looks for.

WeasyPrint (70) tags `<th>` as TH with no /Scope, and ties each TD to its headers through /Headers
naming the headers' /ID. A checker reports every TH without /Scope (PDF/UA, Matterhorn 15-003; PAC),
and a screen reader that goes by Scope finds no column or row headers. The scope is what the HTML
said, as WeasyPrint read it: a header in the table's head is a column's; one in the body that a data
cell of its own row names in /Headers is a row's (the plan's action number, a cover sheet label);
any other (a section heading across the plan) heads the columns under it.

A long paper's parts are documents of their own, and WeasyPrint makes each header's ID from object
numbers that parts share: the joiner (`reportgen.render.pdf.join`) prefixes them part by part, so that
no two headers of the joined paper have one ID and a cell on page 60 cannot name a row header of page 3.

Importing this module imports pikepdf.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Name

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
    for table in _tables(top):
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


def _tables(top: pikepdf.Object) -> Iterator[pikepdf.Object]:
    stack = [top]
    while stack:
        element = stack.pop()
        if str(element.get("/S")) == "/Table":
            yield element
            continue
        stack.extend(_kids(element))


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _scope_table(table: pikepdf.Object, prefix: bytes, ids: list[tuple[bytes, pikepdf.Object]]) -> None:
    headers: list[tuple[pikepdf.Object, bytes, int, bool]] = []  # (TH, its ID, its row, in the table's head)
    named_from: dict[bytes, set[int]] = {}  # a header's ID -> the rows of the cells naming it
    for row_number, (row, in_head) in enumerate(_rows(table)):
        for cell in _kids(row):
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
    for kid in _kids(table):
        kind = str(kid.S)
        if kind == "/TR":
            yield kid, False
        elif kind in _SECTIONS:
            yield from ((row, kind == "/THead") for row in _kids(kid) if str(row.S) == "/TR")


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
