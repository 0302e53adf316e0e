"""The delivery-plan table of a Word paper: cloned from the template's prototype rows.

The template's table has a `[[CELL]]` row (one prototype cell per default column), a `[[SECTION]]`
row, optionally a `[[SUBSECTION]]` row and a header row before them; each section and action of the
Paper becomes a copy of one of them, sized to the Paper's columns. The rows are kept as XML text, not
as a tree (see `serialised`), and put in the saved package by `reportgen.render.docx.writer`.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from copy import deepcopy

from docx.oxml.ns import qn
from lxml import etree

from reportgen.errors import ReportgenError
from reportgen.model import Paper, PaperCell, PaperColumn, PaperRow, PaperSection, RichText
from reportgen.render.docx.layout import Layout
from reportgen.render.docx.xml import (
    NON_BREAKING_HYPHEN,
    TBLPR_ORDER,
    TCPR_ORDER,
    TRPR_ORDER,
    W_TC,
    W_TCPR,
    W_TR,
    W_TRPR,
    CellProto,
    Element,
    TemplateMarkerMissing,
    flag,
    set_ordered,
    shade,
    xml_safe,
)
from reportgen.render.theme import (  # the theme reads the same rows
    CELL_MARKER,
    SECTION_MARKER,
    TEMPLATE_COLUMN_KEYS,
    find_plan_rows,
)

ROWS_MARKER = "reportgen:plan-rows"  # an XML comment where the plan rows go when the document is saved
# A plan row may not break across pages (cantSplit), unless it is most of a page long: Word cuts off a row
# taller than a page that may not break. Estimated from its tallest cell: ~4.5 pt a character of 8.5 pt
# text, and a landscape A4 page holds ~40 lines of it.
CHAR_POINTS = 4.5
PAGE_LINES = 32

_PERIOD = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")  # 2026-09, 2026-10-24
_NAMESPACE_DECLARATION = re.compile(rb' xmlns(?::[A-Za-z0-9_.-]+)?="[^"]*"')


def tallest_cell_lines(texts: Sequence[str], widths: Sequence[float], char_points: float) -> int:
    """An estimate of the lines the row's tallest cell takes: each text's lines, wrapped at its column's width
    (`widths`, in points) of characters `char_points` wide on average (at least 10 a line)."""
    lines = 0
    for text, width in zip(texts, widths):
        per_line = max(10.0, width / char_points)
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n")))
    return lines


def serialised(marker: Element, tr: Element) -> bytes:
    """`tr` as XML, as it will sit before `marker`: the rows are kept as text, not as a tree.

    A tree of 15,000 rows takes ~300 MiB, its XML ~30 MiB. The row is put in place for a moment so
    lxml gives it the document's namespace prefixes, then taken out again; the namespace declarations
    lxml repeats on a fragment's first tag are already on the document's root, so they are dropped.
    """
    marker.addprevious(tr)
    xml = etree.tostring(tr, encoding="UTF-8", xml_declaration=False, with_tail=False)
    marker.getparent().remove(tr)
    end = xml.index(b">")
    return _NAMESPACE_DECLARATION.sub(b"", xml[:end]) + xml[end:]


def plan_rows(layout: Layout, paper: Paper, fills_were: Mapping[int, str | None] | None = None,
              headings: Mapping[str, RichText] | None = None,
              sections: Mapping[tuple[str, str], RichText] | None = None) -> list[bytes]:
    """The delivery-plan table's rows as XML, in order; the template's table is left holding the rows
    marker (`ROWS_MARKER`) in their place. `fills_were` (a draft comparison: ref → the status cell's
    fill in the old draft, None for none) tracks each of those cells' fill as a change of its shading;
    `headings` (column key → its heading with change marks) tracks a renamed column heading, `sections`
    ((level-1 heading, level-2 heading or "") → its heading with change marks) a renamed section's."""
    plan = _PlanTable.find(layout.document.element.body)
    return _PlanWriter(layout, paper, plan, fills_were or {}, headings or {}, sections or {}).rows()


# the plan table's description in reportgen's own template (templates/make_template.py) until it was made from
# the paper's columns: a template restyled from it still carries it
TEMPLATE_PLAN_DESCRIPTION = "Each action of the plan with its status, explanation, timeframe and plan page"


def plan_description(paper: Paper) -> str:
    """What the plan table holds, in words, from the paper's own columns and grouping."""
    grouped = (f", grouped by {paper.column_name(paper.grouped_by[0]).singular.lower()}"
               if paper.grouped_by and any(section.heading for section in paper.sections) else "")
    headings = ", ".join(column.heading for column in paper.columns)
    return f"The delivery plan, one row per action{grouped}; its columns: {headings}"


class _PlanWriter:
    """Clones the template's prototype rows for one paper: the header, each section and each action."""

    def __init__(self, layout: Layout, paper: Paper, plan: _PlanTable, fills_were: Mapping[int, str | None],
                 headings: Mapping[str, RichText], sections: Mapping[tuple[str, str], RichText]) -> None:
        self.layout, self.paper, self.plan, self.fills_were = layout, paper, plan, fills_were
        self.headings, self.sections = headings, sections
        self.columns = paper.columns
        self.widths = plan.column_widths(self.columns)
        plan.write_grid(self.widths)
        plan.describe(plan_description(paper))
        self.cells = [plan.cell_proto(plan.action, c.key).sized(w) for c, w in zip(self.columns, self.widths)]
        total = sum(self.widths)
        self.section_protos = {level: plan.section_proto(level, total, len(self.columns)) for level in (1, 2)}
        self.action_props = plan.action_row_props

    def rows(self) -> list[bytes]:
        plan = self.plan
        marker = plan.replace_rows()
        rows: list[bytes] = []
        if plan.header is not None:
            rows.append(serialised(marker, self.header_row(plan.header)))
        parent = ""
        for section in self.paper.sections:
            parent = section.heading if section.level <= 1 else parent
            if section.heading:
                key = (parent, "") if section.level <= 1 else (parent, section.heading)
                rows.append(serialised(marker, self.section_row(section, self.sections.get(key))))
            rows.extend(serialised(marker, self.action_row(row)) for row in section.rows)
        return rows

    def header_row(self, template_row: Element) -> Element:
        cells = [self.plan.cell_proto(template_row, c.key).sized(w) for c, w in zip(self.columns, self.widths)]
        tr = etree.Element(W_TR)
        template_props = template_row.find(W_TRPR)
        tr_pr = deepcopy(template_props) if template_props is not None else etree.Element(W_TRPR)
        set_ordered(tr_pr, flag("w:cantSplit"), TRPR_ORDER)
        set_ordered(tr_pr, flag("w:tblHeader"), TRPR_ORDER)
        tr.append(tr_pr)
        for column, proto in zip(self.columns, cells):
            tc = etree.SubElement(tr, W_TC)
            tc.append(deepcopy(proto.tc_pr))
            if column.key in self.headings:
                tc.extend(self.layout.tracked_blocks(self.headings[column.key], proto.p_pr, proto.r_pr,
                                                     fixed_last=True))
            else:
                tc.extend(self.layout.text_paragraphs(column.heading, proto))
        return tr

    def section_row(self, section: PaperSection, renamed: RichText | None = None) -> Element:
        proto = self.section_protos[1 if section.level <= 1 else 2]
        tr = etree.Element(W_TR)
        tr.append(deepcopy(self.plan.section_row_props(section.level)))
        tc = etree.SubElement(tr, W_TC)
        tc.append(deepcopy(proto.tc_pr))
        if renamed:  # a draft comparison: the old heading's words deleted, the new one's inserted
            tc.extend(self.layout.tracked_blocks(renamed, proto.p_pr, proto.r_pr, fixed_last=True))
        else:
            tc.extend(self.layout.text_paragraphs(section.heading, proto))
        return tr

    def action_row(self, row: PaperRow) -> Element:
        by_key = {cell.key: cell for cell in row.cells}
        tr = etree.Element(W_TR)
        tr.append(deepcopy(self.action_props))
        if self.near_a_page(row):  # Word cuts off a row that may not break and is taller than a page
            tr[0].remove(tr[0].find(qn("w:cantSplit")))
        if row.change in ("ins", "del"):  # a draft comparison: the whole row added or withdrawn
            set_ordered(tr[0], self.layout.change_mark(row.change), TRPR_ORDER)
        for column, proto in zip(self.columns, self.cells):
            tc = etree.SubElement(tr, W_TC)
            tc_pr = deepcopy(proto.tc_pr)
            tc.append(tc_pr)
            if column.key == "status":
                self.status_cell(tc, row, by_key.get("status"), proto)
                continue
            cell = by_key.get(column.key)
            if cell is not None and cell.rich:
                paragraphs = self.rich_paragraphs(row, cell, proto)
                tc.extend(paragraphs or [self.layout.paragraph(proto.p_pr)])  # a cell needs one paragraph
            else:
                tc.extend(self.layout.text_paragraphs(cell.text if cell is not None else "", proto))
        return tr

    def rich_paragraphs(self, row: PaperRow, cell: PaperCell, proto: CellProto) -> list[Element]:
        """A cell's paragraphs; in a comparison, a paragraph or list item only one draft has is inserted
        or deleted with its paragraph mark (not in a row added or withdrawn whole: the row is marked)."""
        if row.change in ("ins", "del"):
            return self.layout.blocks(cell.blocks, proto.p_pr, proto.r_pr)
        return self.layout.tracked_blocks(cell.blocks, proto.p_pr, proto.r_pr, fixed_last=True)

    def near_a_page(self, row: PaperRow) -> bool:
        """Whether the row's tallest cell is, by an estimate of its lines, most of a landscape page long."""
        points = [width / 20 for width in self.widths]  # twips to points
        return tallest_cell_lines([cell.text for cell in row.cells], points, CHAR_POINTS) >= PAGE_LINES

    def status_cell(self, tc: Element, row: PaperRow, cell: PaperCell | None, proto: CellProto) -> None:
        """The Paper's status cell: shaded with its fill, the label, then each note in "Status Note" (as written for
        the Word paper: `StatusNote.written`)."""
        status = self.paper.status_cell(row)
        tc_pr = tc.find(W_TCPR)
        if row.ref in self.fills_were:  # the old shading, as a tracked change of the cell's properties
            was = deepcopy(tc_pr)
            shade(was, self.fills_were[row.ref])
            change = self.layout.change_mark("tcPrChange")
            change.append(was)
            set_ordered(tc_pr, change, TCPR_ORDER)
        if status.colour is not None:
            shade(tc_pr, status.colour.fill)
        if cell is not None and cell.rich:  # a draft comparison: the label as tracked changes
            tc.extend(self.rich_paragraphs(row, cell, proto))
        else:
            tc.extend(self.layout.text_paragraphs(status.label, proto))
        for note in status.notes:  # a movement's arrows with their words beside them: Word cannot say them instead
            tc.extend(self.layout.text_paragraphs(unbroken_periods(note.written), proto, char_style="Status Note"))


def unbroken_periods(text: str) -> str:
    """`text` with each period (2026-09) and date (2026-10-24) joined by non-breaking hyphens: in the narrow
    status column Word broke "(2026-" from "09)" (the PDF's stylesheet keeps them together)."""
    return _PERIOD.sub(lambda found: found.group().replace("-", NON_BREAKING_HYPHEN), text)


@dataclasses.dataclass
class _PlanTable:
    """The template's delivery-plan table and its prototype rows."""

    table: Element
    header: Element | None
    section: Element
    subsection: Element | None
    action: Element

    @classmethod
    def find(cls, body: Element) -> _PlanTable:
        found = find_plan_rows(body)
        if found is None:
            raise TemplateMarkerMissing(
                f"has no delivery-plan table (a table with a row of {CELL_MARKER} cells): copy the plan table from "
                "reportgen's template into it (reportgen template writes ours into a workspace without one)")
        table, header, section, subsection, action = found
        if section is None:
            raise TemplateMarkerMissing(
                f"has no {SECTION_MARKER} row in its delivery-plan table (the row that heads each section): put "
                f"back a row holding {SECTION_MARKER} above the {CELL_MARKER} row")
        return cls(table, header, section, subsection, action)

    @property
    def action_row_props(self) -> Element:
        tr_pr = self.action.find(W_TRPR)
        tr_pr = deepcopy(tr_pr) if tr_pr is not None else etree.Element(W_TRPR)
        set_ordered(tr_pr, flag("w:cantSplit"), TRPR_ORDER)
        return tr_pr

    def section_row_props(self, level: int) -> Element:
        row = self.subsection if level > 1 and self.subsection is not None else self.section
        tr_pr = row.find(W_TRPR)
        tr_pr = deepcopy(tr_pr) if tr_pr is not None else etree.Element(W_TRPR)
        set_ordered(tr_pr, flag("w:cantSplit"), TRPR_ORDER)
        return tr_pr

    def section_proto(self, level: int, total: int, span: int) -> CellProto:
        """Level 2 uses the [[SUBSECTION]] row; without one, the section row unshaded."""
        row = self.subsection if level > 1 and self.subsection is not None else self.section
        proto = CellProto.of(row.find(W_TC)).sized(total, span)
        if level > 1 and self.subsection is None:
            shade(proto.tc_pr, None)
        return proto

    def cell_proto(self, row: Element, key: str) -> CellProto:
        tcs = row.findall(W_TC)
        if len(tcs) == len(TEMPLATE_COLUMN_KEYS) and key in TEMPLATE_COLUMN_KEYS:
            return CellProto.of(tcs[TEMPLATE_COLUMN_KEYS.index(key)])
        return CellProto.of(tcs[1] if len(tcs) > 1 else tcs[0])  # the "action" cell: plain text

    def column_widths(self, columns: Sequence[PaperColumn]) -> list[int]:
        """Twips per column: the template table's width shared as the paper's columns say."""
        grid = self.table.find(qn("w:tblGrid"))
        cols = grid.findall(qn("w:gridCol")) if grid is not None else []
        total = sum(int(col.get(qn("w:w"), "0")) for col in cols) or 14400  # 14400 twips: 25.4 cm
        shares = [max(column.width, 0.0) for column in columns]
        if not columns:
            raise ReportgenError("the paper has no table columns")
        if sum(shares) <= 0:
            shares = [1.0] * len(columns)
        widths = [round(total * share / sum(shares)) for share in shares]
        widths[-1] = total - sum(widths[:-1])
        return widths

    def describe(self, description: str) -> None:
        """The table's description (Word's alt text, what a screen reader says of it), unless the template gives one
        of its own: reportgen's template's, which named a fixed list of columns, is replaced."""
        tbl_pr = self.table.find(qn("w:tblPr"))
        if tbl_pr is None:
            return
        found = tbl_pr.find(qn("w:tblDescription"))
        if found is not None and found.get(qn("w:val"), "") not in ("", TEMPLATE_PLAN_DESCRIPTION):
            return
        if found is None:
            found = etree.Element(qn("w:tblDescription"))
            set_ordered(tbl_pr, found, TBLPR_ORDER)
        found.set(qn("w:val"), xml_safe(description))

    def write_grid(self, widths: list[int]) -> None:
        grid = self.table.find(qn("w:tblGrid"))
        if grid is None:
            grid = etree.Element(qn("w:tblGrid"))
            self.table.find(qn("w:tblPr")).addnext(grid)
        for col in list(grid):
            grid.remove(col)
        for width in widths:
            etree.SubElement(grid, qn("w:gridCol")).set(qn("w:w"), str(width))
        tbl_pr = self.table.find(qn("w:tblPr"))
        tbl_w = tbl_pr.find(qn("w:tblW")) if tbl_pr is not None else None
        if tbl_w is not None:
            tbl_w.set(qn("w:w"), str(sum(widths)))
            tbl_w.set(qn("w:type"), "dxa")

    def replace_rows(self) -> Element:
        """Swap the template's prototype rows (and any before them) for the rows marker, keeping any rows
        the template has after the prototypes; the marker is returned."""
        old = self.table.findall(W_TR)
        prototypes = (self.header, self.section, self.subsection, self.action)
        last = max(index for index, tr in enumerate(old) if any(tr is proto for proto in prototypes))
        trailing = old[last + 1:]
        for tr in old:
            self.table.remove(tr)
        marker = etree.Comment(ROWS_MARKER)
        self.table.append(marker)
        for tr in trailing:
            self.table.append(tr)
        return marker
