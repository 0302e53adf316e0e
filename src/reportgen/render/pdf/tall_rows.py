"""Plan rows taller than a page: let them break, so every plan page keeps the table's header row.

A plan row never breaks across pages (`break-inside: avoid` in paper.css): one that does not fit at a
page's foot moves whole to the next page. A row taller than a page (a partner's explanation of a
page or more) cannot, and WeasyPrint then drops the repeated header row: it first tries the header
with the unbreakable row, finds that nothing fits, and lays the page out without the header. The row
was also pushed off the page that holds the plan's heading, leaving that heading alone on its page.

So the plan is laid out as written; when a page of the plan table has body rows but not its header,
the rows on it are taller than a page less the header (nothing else can put a row on such a page),
and the plan is laid out once more with those rows allowed to break (`break-inside: auto` on the row
element, so it holds whatever the template's stylesheet says). Each then starts where it falls and
continues onto pages that keep the header. Which rows these are depends on the row alone, not on where
it falls, so a piece of a long paper marks the same rows as the whole document would
(`reportgen.render.pdf.parts`). A paper with no such row is laid out once, as before.

Must not: change a row that fits on a page.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from weasyprint.formatting_structure import boxes

BREAKABLE = "break-inside: auto"


def plan_tables(etree: Any) -> Iterator[Any]:
    """The delivery-plan tables (`<table class="plan">`) of a parsed document."""
    return (table for table in etree.iter("table") if "plan" in (table.get("class") or "").split())


def body_rows(etree: Any) -> list[Any]:
    """The plan tables' body rows (`<tbody><tr>`), in order: the indices `headerless_rows` gives."""
    return [tr for table in plan_tables(etree) for tbody in table.iter("tbody") for tr in tbody.iter("tr")]


def headerless_rows(etree: Any, document: Any) -> list[int]:
    """Indices (in `body_rows`) of the rows on a plan page laid out without the table's header row, when
    the table has one: rows taller than a page less the header. Section heading rows are left out."""
    if not any(table.find("thead") is not None for table in plan_tables(etree)):
        return []
    index = {id(tr): number for number, tr in enumerate(body_rows(etree))}
    found: list[int] = []
    for page in document.pages:
        for table in _table_boxes(page._page_box):
            groups = [child for child in table.children if isinstance(child, boxes.TableRowGroupBox)]
            if any(group.is_header for group in groups):
                continue
            for group in groups:
                for row in group.children:
                    number = index.get(id(row.element))
                    if number is not None and number not in found and not _is_section(row.element):
                        found.append(number)
    return sorted(found)


LaidOut = tuple[Any, Any]  # a WeasyPrint source (HTML) and its laid-out Document


def keeping_headers(first: LaidOut, again: Callable[[list[int]], LaidOut]) -> LaidOut:
    """`first`, the plan laid out as written; when a plan page of it lacks the table's header row, the plan
    as `again` lays it out with those rows (`headerless_rows`) allowed to break."""
    tall = headerless_rows(first[0].etree_element, first[1])
    return again(tall) if tall else first


def allow_breaks(etree: Any, rows: Collection[int]) -> None:
    """Let these body rows (indices in `body_rows`) break across pages: an inline style, which wins over
    any stylesheet's `break-inside: avoid`."""
    if not rows:
        return
    for number, tr in enumerate(body_rows(etree)):
        if number in rows:
            style = (tr.get("style") or "").strip().rstrip(";")
            tr.set("style", f"{style}; {BREAKABLE}" if style else BREAKABLE)


def _table_boxes(box: Any) -> Iterator[Any]:
    """The plan tables' boxes under `box` (a page), whatever wraps them."""
    if isinstance(box, boxes.TableBox):
        if box.element is not None and "plan" in (box.element.get("class") or "").split():
            yield box
        return
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.ParentBox) and not isinstance(child, (boxes.LineBox, boxes.MarginBox)):
            yield from _table_boxes(child)


def _is_section(tr: Any) -> bool:
    return "section" in (tr.get("class") or "").split()
