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

On each page a split row continues onto, the row's number cell (its row header, `<th scope="row">`) is
empty: its number was on the page before, and a reader could not tell which action the words are part
of without turning back. So such a row's number cell is given a label, "14 (continued)"
(`add_continued_label`), laid out with the row and, once the pages are laid out, moved to the top of
that cell on every page the row continues onto (`place_continued_labels`); the page the row starts on is
drawn as it was. The label is pagination furniture, as the repeated header row is: it is drawn as a box
WeasyPrint tags outside the structure tree (`ContinuedLabel`), and its marked runs become pagination
artifacts (`reportgen.render.pdf.artifacts`, and the joiner's `reportgen.render.pdf.join`), so a screen
reader does not read the action as a second one.

Must not: change a row that fits on a page.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from weasyprint.formatting_structure import boxes

BREAKABLE = "break-inside: auto"
CONTINUED = "continued-label"  # the class of a split row's label: `<span class="continued-label">`
CONTINUED_WORDS = "(continued)"
# a block of its own; "(continued)" kept whole (the plan's cells break a word wider than the column, and the
# number column may be narrower than the word: it may then reach into the cell's padding); the words a
# little smaller than the number, as the status cell's notes are
LABEL_STYLE = "display: block; overflow-wrap: normal; word-break: normal"
WORDS_STYLE = "font-weight: normal; font-size: 0.85em"  # fits a number column of ~40pt (8.5pt type)


def plan_tables(etree: Any) -> Iterator[Any]:
    """The delivery-plan tables (`<table class="plan">`) of a parsed document."""
    return (table for table in etree.iter("table") if is_plan_table(table))


def is_plan_table(element: Any) -> bool:
    """Is this element (a `<table>`, or a laid-out box's) a delivery-plan table, `<table class="plan">`?"""
    return element is not None and "plan" in (element.get("class") or "").split()


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
    any stylesheet's `break-inside: avoid`; and give each the label its later pages show
    (`add_continued_label`)."""
    if not rows:
        return
    for number, tr in enumerate(body_rows(etree)):
        if number in rows:
            style = (tr.get("style") or "").strip().rstrip(";")
            tr.set("style", f"{style}; {BREAKABLE}" if style else BREAKABLE)
            add_continued_label(tr)


def add_continued_label(tr: Any) -> None:
    """Put "14 (continued)" (the row header's text, then the words) at the end of the row's header cell,
    as a block of its own: `place_continued_labels` moves it to the pages the row continues onto. The
    header cell holds a number or a few words, far shorter than the row, so the row is no taller for it.
    Inline styles (`LABEL_STYLE`): a workspace's template need not know of it. A row without a header
    cell, or whose header is empty, is left as it is (its later pages as before: no label)."""
    cell = row_header(tr)
    text = " ".join("".join(cell.itertext()).split()) if cell is not None else ""
    if cell is None or not text or any(CONTINUED in (el.get("class") or "").split() for el in cell.iter("span")):
        return
    label = cell.makeelement("span", {"class": CONTINUED, "style": LABEL_STYLE})
    label.text = f"{text} "
    words = label.makeelement("span", {"style": WORDS_STYLE})
    words.text = CONTINUED_WORDS
    label.append(words)
    cell.append(label)


def row_header(tr: Any) -> Any | None:
    """The row's header cell (`<th scope="row">`: the action's number), or None. Not another first cell: a
    workspace whose plan has no number column may begin with the action's words, or its explanation."""
    return next((cell for cell in tr if cell.tag == "th" and cell.get("scope") == "row"), None)


class ContinuedLabel(boxes.MarginBox, boxes.BlockBox):
    """A split row's label where it is drawn: a block (laid out, and drawn, as the one it was made from) that
    WeasyPrint tags as it tags a page-margin box's content, outside the structure tree
    (`weasyprint.pdf.tags`); the artifact writers then mark its runs as pagination artifacts."""

    at_keyword = "@continued-label"


def place_continued_labels(document: Any) -> None:
    """Move each split row's label (`add_continued_label`) from where it was laid out to the top of the
    row's header cell on each page the row continues onto (not the page it starts on, which is drawn as
    without the label). A piece of the plan keeps a row's pages together (`reportgen.render.pdf.parts`), so
    the label and the pages it goes to are in the same document."""
    labels: dict[int, Any] = {}  # id(<tr>) -> its label's box, as first laid out
    continuing: list[tuple[Any, Any]] = []  # (header cell box on a page the row continues onto, <tr>)
    met: set[int] = set()
    for page in document.pages:
        here: set[int] = set()
        for row in _body_row_boxes(page._page_box):
            label = _label_element(row.element)
            if label is None:
                continue
            cell = _header_cell_box(row)
            for box in row.children:
                taken = _take_box(box, label)
                if taken is not None:
                    labels.setdefault(id(row.element), taken)
            if id(row.element) in met and cell is not None:
                continuing.append((cell, row.element))
            here.add(id(row.element))
        met |= here
    for cell, tr in continuing:
        laid = labels.get(id(tr))
        if laid is not None:
            copy = laid.deepcopy()
            copy.__class__ = ContinuedLabel
            copy.translate(cell.content_box_x() - copy.position_x, cell.content_box_y() - copy.position_y)
            cell.children = [copy, *cell.children]


def _body_row_boxes(page_box: Any) -> Iterator[Any]:
    """The plan tables' body row boxes on a page (not its repeated header rows)."""
    for table in _table_boxes(page_box):
        for group in table.children:
            if isinstance(group, boxes.TableRowGroupBox) and not (group.is_header or group.is_footer):
                yield from (row for row in group.children if isinstance(row, boxes.TableRowBox))


def _label_element(tr: Any) -> Any | None:
    if tr is None:
        return None
    return next((span for span in tr.iter("span") if CONTINUED in (span.get("class") or "").split()), None)


def _header_cell_box(row: Any) -> Any | None:
    header = row_header(row.element)
    return None if header is None else next((cell for cell in row.children if cell.element is header), None)


def _take_box(box: Any, element: Any) -> Any | None:
    """Remove the block laid out for `element` from under `box`, and return it (None: not there)."""
    children = getattr(box, "children", None)
    if not isinstance(children, list) or isinstance(box, boxes.LineBox):
        return None
    for child in children:
        if child.element is element and isinstance(child, boxes.BlockBox):
            box.children = [other for other in children if other is not child]
            return child
        found = _take_box(child, element)
        if found is not None:
            return found
    return None


def _table_boxes(box: Any) -> Iterator[Any]:
    """The plan tables' boxes under `box` (a page), whatever wraps them."""
    if isinstance(box, boxes.TableBox):
        if is_plan_table(box.element):
            yield box
        return
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.ParentBox) and not isinstance(child, (boxes.LineBox, boxes.MarginBox)):
            yield from _table_boxes(child)


def _is_section(tr: Any) -> bool:
    return "section" in (tr.get("class") or "").split()
