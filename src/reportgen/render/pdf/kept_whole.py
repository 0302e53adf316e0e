"""Blocks kept on one page, unless they are taller than a page.

The stylesheets keep some blocks on one page (`break-inside: avoid`): a cover sheet row, a narrative list,
a table of numbers, a comparison's action. One that does not fit at a page's foot moves whole to the next
page. One taller than a page fits on no page: WeasyPrint moves it to the next page all the same and breaks
it there, leaving the page it should have started on nearly empty (a cover sheet's "Decisions required" a
page and a half long left page 1 holding the cover's first five rows and nothing else).

So, once a document is laid out, a block kept whole that is on more than one page is taller than a page,
and the document is laid out once more with those blocks allowed to break (`break-inside: auto` on the
element, an inline style, so it wins over any stylesheet's): each then starts where it falls. Which
blocks these are depends on the block alone, not on where it falls. The plan's own rows are left to
`reportgen.render.pdf.tall_rows`, which also labels the pages they continue onto. A document with no such
block is laid out once, as before.

Must not: change a block that fits on a page.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from weasyprint.formatting_structure import boxes

from reportgen.render.pdf.tall_rows import is_plan_table

BREAKABLE = "break-inside: auto"
AVOIDING = ("avoid", "avoid-page")
MAX_PASSES = 4  # blocks kept whole inside blocks kept whole: a row in a table in an article is three deep

LaidOut = tuple[Any, Any]  # a WeasyPrint source (HTML) and its laid-out Document


def kept_whole_unless_too_tall(lay_out: Callable[[Collection[int]], LaidOut]) -> tuple[LaidOut, list[int]]:
    """The document as `lay_out(())` lays it out; when a block kept whole is on more than one page
    (`split_anyway`), the document as `lay_out` lays it out with those blocks allowed to break; and again while
    a block kept whole inside one of them is then on more than one page (a comparison's action, kept whole,
    holds a table whose row is kept whole: once the action may break, its row moved to a new page in turn,
    leaving the action's heading alone). Also the blocks allowed to break, for any later layout of the same
    document."""
    laid = lay_out(())
    blocks: list[int] = []
    for _ in range(MAX_PASSES):
        more = [index for index in split_anyway(laid[0].etree_element, laid[1]) if index not in blocks]
        if not more:
            break
        blocks = sorted({*blocks, *more})
        laid = lay_out(blocks)
    return laid, blocks


def split_anyway(etree: Any, document: Any) -> list[int]:
    """Indices (in `etree.iter()` order) of the elements kept whole (`break-inside: avoid`) that are on more
    than one page of `document`: taller than a page. The plan tables are not looked into (their rows are
    `reportgen.render.pdf.tall_rows`'s), which also keeps this quick on a long paper."""
    pages_of: dict[int, set[int]] = {}
    for number, page in enumerate(document.pages):
        for box in _kept_whole(page._page_box):
            pages_of.setdefault(id(box.element), set()).add(number)
    split = {key for key, pages in pages_of.items() if len(pages) > 1}
    if not split:
        return []
    return [index for index, element in enumerate(etree.iter()) if id(element) in split]


def let_break(etree: Any, blocks: Collection[int]) -> None:
    """Let these elements (indices in `etree.iter()` order, as `split_anyway` gives them) break across
    pages."""
    if not blocks:
        return
    wanted = set(blocks)
    for index, element in enumerate(etree.iter()):
        if index in wanted:
            style = (element.get("style") or "").strip().rstrip(";")
            element.set("style", f"{style}; {BREAKABLE}" if style else BREAKABLE)


def _kept_whole(box: Any) -> Iterator[Any]:
    """The outermost boxes under `box` whose element is kept whole; not inside a plan table, a line or a
    page-margin box."""
    for child in getattr(box, "children", ()):
        if not isinstance(child, boxes.ParentBox) or isinstance(child, (boxes.LineBox, boxes.MarginBox)):
            continue
        if isinstance(child, boxes.TableBox) and is_plan_table(child.element):
            continue
        if child.element is not None and child.style["break_inside"] in AVOIDING:
            yield child
            continue
        yield from _kept_whole(child)
