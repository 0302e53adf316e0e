"""The "Progress over time" part of the Word paper: heading, summary, each chart as a picture with its
alt text (the picture's description, which Word's Alt Text pane and screen readers read) and its
numbers in a table, then the stalled actions. Laid out from `Paper.progress` only, after the narrative.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from docx.table import Table
from lxml.etree import _Element as Element

from reportgen.model import Block, Chart, Inline, Progress
from reportgen.render.charts import drawn
from reportgen.render.docx.plan import tallest_cell_lines
from reportgen.render.docx.xml import PPR_ORDER, TRPR_ORDER, child, flag, set_ordered, xml_safe
from reportgen.terms import EXEMPT_ROW_NOTE, NO_RECOGNISED_STATUS, NO_UPDATE_YET

PICTURE_WIDTH = Inches(6.3)  # the portrait page's text width in our template
# A row may not break across pages (cantSplit), as the plan's may not, unless it is most of a page long: Word cuts
# off a row taller than a page that may not break. Estimated as the plan's (`plan.tallest_cell_lines`): ~5.5 pt a
# character of the body's 11 pt text, and a portrait A4 page holds ~45 lines of it.
CHAR_POINTS = 5.5
PAGE_LINES = 38


def add_progress(document: Document, after: Element, progress: Progress,
                 block: Callable[[Block], Element], style_exists: Callable[[str], bool],
                 exempt: Callable[[int], bool] = lambda _ref: False, ref_heading: str = "Ref") -> None:
    """Insert the progress part after the paragraph `after` (the narrative's place), in reading order; a stalled
    action that is `exempt` (the restricted edition's) is marked under its status, as in the plan. The stalled
    actions' number column is headed `ref_heading`, as the plan's (`Paper.ref_heading`).

    `block` lays out a heading or paragraph as the narrative's are, so they take the template's styles.
    Each piece goes into the document before the next is made: a picture takes the next free drawing
    id, which python-docx finds by looking at what is already in the document.
    """
    cursor = after

    def place(element: Element) -> None:
        nonlocal cursor
        cursor.addnext(element)
        cursor = element

    place(block(Block("heading", (Inline("Progress over time"),), level=1)))
    place(block(Block("paragraph", (Inline(progress.summary),))))
    if progress.withdrawn_note:
        place(block(Block("paragraph", (Inline(progress.withdrawn_note),))))
    if progress.sources_note:
        place(block(Block("paragraph", (Inline(progress.sources_note),))))
    for chart in progress.charts:
        if not chart.rows:
            continue
        place(_picture(document, chart))
        place(_numbers_table(document, chart, style_exists))
    place(block(Block("heading", (Inline("Stalled actions"),), level=2)))
    intro = block(Block("paragraph", (Inline(progress.stalled_note),)))
    place(keeping_with_next(intro) if progress.stalled else intro)
    if progress.stalled:
        rows = [(str(s.ref), s.action, f"{s.status}\n{EXEMPT_ROW_NOTE}" if exempt(s.ref) else s.status, s.since)
                for s in progress.stalled]  # the restricted edition's exempt action marked as in the plan
        place(_table(document, (ref_heading, "Action", "Status", "Unchanged since"), rows, "Stalled actions",
                     progress.stalled_note, style_exists, widths=(0.75, 3.35, 1.2, 1.0)))


def keeping_with_next(paragraph: Element) -> Element:
    """The paragraph kept on the page of what follows it (Word's "Keep with next"): a table's opening sentence,
    which, with the heading before it (kept with next by its style), was left at a page's foot while the
    table, whose rows may not break, began on the next page."""
    set_ordered(child(paragraph, "w:pPr", first=True), flag("w:keepNext"), PPR_ORDER)
    return paragraph


def _picture(document: Document, chart: Chart) -> Element:
    """A paragraph holding the chart's PNG; its description is the alt text, its title the chart's. The space
    above it parts it from the table before it: an empty paragraph there would be read out as "blank"."""
    picture = drawn(chart)
    inline = document.part.new_pic_inline(io.BytesIO(picture.png), PICTURE_WIDTH, None)
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("descr", xml_safe(chart.alt))
    doc_pr.set("title", xml_safe(chart.title))
    paragraph = OxmlElement("w:p")
    spacing = child(child(paragraph, "w:pPr", first=True), "w:spacing")
    spacing.set(qn("w:before"), "240")
    run = OxmlElement("w:r")
    drawing = OxmlElement("w:drawing")
    drawing.append(inline)
    run.append(drawing)
    paragraph.append(run)
    return paragraph


def _numbers_table(document: Document, chart: Chart, style_exists: Callable[[str], bool]) -> Element:
    # actions with no update yet, and with no recognised status: each column shown when there are some
    no_update = any(row.no_update for row in chart.rows)
    other = any(row.other for row in chart.rows)
    headings = (chart.heading, *(status for status, _count in chart.rows[0].counts),
                *((NO_UPDATE_YET,) * no_update), *((NO_RECOGNISED_STATUS,) * other), "Total")
    rows = [(row.label, *(str(count) for _status, count in row.counts), *((str(row.no_update),) * no_update),
             *((str(row.other),) * other), str(row.total))
            for row in chart.rows]
    # inches, within the text width: a status heading in bold needs ~0.95 inch not to break inside a word
    # ("Complete-d"), "No recognised status" ~1 inch ("recognise-d") and "No update yet" ~0.8; the labels wrap
    # between words
    label, total = (1.0, 0.5) if no_update or other else (1.5, 0.6)
    update_width, other_width = 0.8 * no_update, 1.0 * other
    each = min(0.95, (PICTURE_WIDTH.inches - label - update_width - other_width - total) / len(chart.rows[0].counts))
    widths = (label, *(each for _ in chart.rows[0].counts), *((update_width,) * no_update),
              *((other_width,) * other), total)
    return _table(document, headings, rows, f"{chart.title}: the numbers",
                  f"The numbers the chart '{chart.title}' draws", style_exists, widths)


def _table(document: Document, headings: Sequence[str], rows: Sequence[Sequence[str]], caption: str,
           description: str, style_exists: Callable[[str], bool], widths: Sequence[float]) -> Element:
    """A table with a repeated header row, fixed column widths, a caption and description; each row kept on one
    page, as the plan's, unless it is most of a page long."""
    table: Table = document.add_table(rows=len(rows) + 1, cols=len(headings))
    if style_exists("Table Grid"):
        table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for position, values in enumerate([headings, *rows]):
        cells = table.rows[position].cells
        for cell, value, width in zip(cells, values, widths):
            cell.width = Inches(width)
            run = cell.paragraphs[0].add_run(xml_safe(value))
            run.bold = position == 0 or None
    set_ordered(table.rows[0]._tr.get_or_add_trPr(), flag("w:tblHeader"), TRPR_ORDER)
    points = [width * 72 for width in widths]
    for row, values in zip(table.rows, [headings, *rows]):
        if tallest_cell_lines(values, points, CHAR_POINTS) < PAGE_LINES:
            set_ordered(row._tr.get_or_add_trPr(), flag("w:cantSplit"), TRPR_ORDER)
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), xml_safe(value))
        tbl_pr.append(element)
    for column, width in zip(table.columns, widths):
        column.width = Inches(width)
    placed: Element = table._tbl
    placed.getparent().remove(placed)  # add_table put it at the end of the body: the caller places it
    return placed
