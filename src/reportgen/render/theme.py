"""`read_theme`: the paper's look, read from the Word template the secretariat restyles.

What is read (by Word style name, so a restyle in Word's Styles pane is picked up): Normal (body),
Title, Subtitle, Heading 1-3; the delivery-plan table's prototype rows (the first row: header fill and
text; `[[SECTION]]` and `[[SUBSECTION]]` rows: fills and text; the `[[CELL]]` row: table text); the
cover sheet's label fill; the lines (borders) of the plan table and the cover sheet; the "Status …" paragraph
styles' shading (status fills); the page size and
margins of the first section (cover) and of the plan's section; the first picture in a page header
(the logo) with its alt text, or Word's mark that it is decorative (no alt text wanted: page furniture).

What it must not do: write anything, or decide content. A value the template does not set is None,
and the renderers keep their own default for it. Problems a person can fix in Word (a logo without
alt text, or in a format a PDF cannot show, a picture in a `{%tr …%}` tag's row) are issues; a file that is not a
Word document raises.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from reportgen.errors import ReportgenError
from reportgen.issues import Issue, issue
from reportgen.look import Logo, PageSetup, Rule, RuleStyle, TextStyle, Theme
from reportgen.render.docx.clean import review_marks
from reportgen.render.docx.xml import find_style
from reportgen.render.template_tags import lost_pictures, missing_tags
from reportgen.render.template_text import column_shares, described, missing_columns, own_text, renamed_headings
from reportgen.render.theme_css import LOGO_TYPES  # what WeasyPrint draws (not EMF/WMF/TIFF)

Element = Any  # lxml elements (python-docx oxml classes)

# the plan table's prototype rows, which reportgen.render.docx.writer clones: the plan table has a [[CELL]] row
SECTION_MARKER = "[[SECTION]]"
SUBSECTION_MARKER = "[[SUBSECTION]]"
CELL_MARKER = "[[CELL]]"
# the column keys of the template's delivery table, in its order: a prototype cell is picked by key
TEMPLATE_COLUMN_KEYS = ("ref", "action", "status", "explanation", "timeframe", "page")
COVER_LABEL = "{{ row.label }}"  # the cover sheet's label cell
COVER_LOOP = "paper.cover"  # its rows: {%tr for row in paper.cover %}
# "Status <canonical status>" paragraph styles: their shading is that status's fill
STATUS_STYLES = {"Status Completed": "completed", "Status In progress": "in-progress",
                 "Status Not started": "not-started", "Status On hold": "on-hold", "Status Unknown": "unknown"}
# Word's line kinds as CSS draws them (the rest, such as wave or 3-D lines, as a plain line)
RULE_STYLES: dict[str, RuleStyle] = {
    "single": "solid", "thick": "solid", "double": "double", "dotted": "dotted", "dashed": "dashed",
    "dashSmallGap": "dashed", "dotDash": "dashed", "dotDotDash": "dashed", "nil": "none", "none": "none"}
NO_FILL = "FFFFFF"  # a row whose shading was taken off ("No Color"): white, not the stylesheet's own fill
TWIPS_PER_MM = 1440 / 25.4
EMU_PER_MM = 36000

W_P, W_R, W_T, W_TR, W_TC = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tr"), qn("w:tc")
W_VAL = qn("w:val")
_OFF = {"0", "false", "off"}
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"  # Word 365's "Mark as decorative"
_DRAWING_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


def read_theme(template: Path, shown_as: str = "") -> tuple[Theme, list[Issue]]:
    """The look of `template` (a .docx); `shown_as` names it in issues (default: its path)."""
    shown = shown_as or str(template)
    try:
        document = docx.Document(str(template))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ReportgenError(f"DOCX template {shown} is not a Word document: {error}") from error
    reader = _Styles(document)
    plan = find_plan_rows(document.element.body)
    _, header, section, subsection, cells = plan if plan else (None, None, None, None, None)
    logo, issues = _logo(document, shown)
    if logo is not None and any(not section.header.is_linked_to_previous
                                and section.header._element.find(f".//{qn('w:drawing')}") is None
                                for section in document.sections):
        issues.append(issue("logo-not-every-page", file=shown))
    if COVER_LOOP not in _text(document.element.body):  # the cover table deleted, or typed in by hand
        issues.append(issue("template-no-cover", file=shown))
    issues.extend(issue("template-tag-missing", file=shown, value=missing.needed.tag, where=missing.where,
                        shows=missing.needed.shows, put_back=missing.needed.put_back, ours=missing.needed.ours)
                  for missing in missing_tags(document))
    issues.extend(issue("template-picture-in-tag-row", file=shown, value=tag, where=where)
                  for tag, where in lost_pictures(document))
    marks = review_marks(document)
    if marks:
        issues.append(issue("template-review-marks", file=shown, value=marks.described()))
    own = own_text(document, (header, section, subsection, cells))
    if own:
        issues.append(issue("template-own-text", file=shown, value=described(own)))
    theme = Theme(
        body=reader.style("Normal"),
        title=reader.style("Title"),
        subtitle=reader.style("Subtitle"),
        headings=tuple(reader.style(f"Heading {level}") for level in (1, 2, 3)),
        table_text=reader.cell(cells),
        table_header=reader.cell(header, first_row=True),
        table_header_fill=reader.fill(header, first_row=True),
        section=reader.cell(section),
        section_fill=reader.fill(section),
        # without a [[SUBSECTION]] row, the Word paper draws a subsection as the section row unshaded
        subsection_fill=reader.fill(subsection) if subsection is not None or plan is None else NO_FILL,
        cover_label_fill=reader.fill(_cover_label_row(document)),
        cover_label_colour=reader.cell(_cover_label_row(document)).colour,
        plan_rule=reader.rule(cells),
        cover_rule=reader.rule(_cover_label_row(document)),
        status_fills=reader.status_fills(),
        cover_page=_page(document.sections[0]) if len(document.sections) else None,
        plan_page=_page(_plan_section(document)) if plan else None,
        logo=logo,
        renamed_headings=tuple(renamed_headings(header, TEMPLATE_COLUMN_KEYS)),
        column_shares=column_shares(plan[0] if plan else None, TEMPLATE_COLUMN_KEYS),
        missing_columns=missing_columns(header, TEMPLATE_COLUMN_KEYS),
        template_columns=len(header.findall(qn("w:tc"))) if header is not None else 0,
    )
    return theme, issues


# ---------------------------------------------------------------- styles


class _Styles:
    """Run properties resolved as Word does: direct, paragraph style and its bases, table style, defaults."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.styles = document.styles.element
        self.by_id = {s.get(qn("w:styleId")): s for s in self.styles.findall(qn("w:style"))}
        defaults = self.styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.defaults = defaults
        self.theme_fonts = _theme_fonts(document)

    def _element(self, name: str) -> Element | None:
        style = find_style(self.document, name)
        return style.element if style is not None else None

    def _chain(self, style: Element | None) -> Iterator[Element]:
        """`style` and its base styles, nearest first (a loop in basedOn stops)."""
        seen: set[int] = set()
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            yield style
            based = style.find(qn("w:basedOn"))
            style = self.by_id.get(based.get(W_VAL)) if based is not None else None

    def _resolve(self, rprs: list[Element | None]) -> TextStyle:
        found: dict[str, object] = {}
        for rpr in [*rprs, self.defaults]:
            if rpr is None:
                continue
            for key, value in _run_properties(rpr, self.theme_fonts).items():
                found.setdefault(key, value)
        return TextStyle(**found)  # type: ignore[arg-type]

    def style(self, name: str) -> TextStyle:
        element = self._element(name)
        if element is None:
            return TextStyle()
        return self._resolve([s.find(qn("w:rPr")) for s in self._chain(element)])

    def cell(self, row: Element | None, first_row: bool = False) -> TextStyle:
        """The text of `row`'s first cell with text: its run, paragraph style chain, then the table style."""
        if row is None:
            return TextStyle()
        paragraph = next((p for p in row.iter(W_P) if _text(p).strip()), None)
        if paragraph is None:
            return TextStyle()
        run = next((r for r in paragraph.iter(W_R) if r.find(W_T) is not None), None)
        p_style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style = self.by_id.get(p_style.get(W_VAL)) if p_style is not None else self._element("Normal")
        table_style = self._table_style(row)
        rprs = [run.find(qn("w:rPr")) if run is not None else None]
        rprs += [s.find(qn("w:rPr")) for s in self._chain(style)]
        for source in self._chain(table_style):
            if first_row:
                rprs.append(source.find(f"{qn('w:tblStylePr')}[@{qn('w:type')}='firstRow']/{qn('w:rPr')}"))
            rprs.append(source.find(qn("w:rPr")))
        return self._resolve(rprs)

    def fill(self, row: Element | None, first_row: bool = False) -> str | None:
        """The first cell's shading, else (for a header row) the table style's first-row shading, else the
        table style's; a row shaded by none of them is white, as Word draws it (None: no such row)."""
        if row is None:
            return None
        tc = row.find(W_TC)
        fill = _fill(tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")) if tc is not None else None
        for source in self._chain(self._table_style(row)):
            if first_row:
                shd = source.find(f"{qn('w:tblStylePr')}[@{qn('w:type')}='firstRow']/{qn('w:tcPr')}/{qn('w:shd')}")
                fill = fill or _fill(shd)
            fill = fill or _fill(source.find(f"{qn('w:tcPr')}/{qn('w:shd')}"))
        return fill or NO_FILL

    def rule(self, row: Element | None) -> Rule | None:
        """The lines of `row`'s table, as Word resolves a border: the row's first cell, then the table, then its
        table style and the styles it is based on; the line between rows first (insideH), then the top one.
        None: no such row, or nothing says (Word then draws no lines either)."""
        if row is None:
            return None
        tc, table = row.find(W_TC), row.getparent()
        styles = self._chain(self._table_style(row))
        sources = [tc.find(f"{qn('w:tcPr')}/{qn('w:tcBorders')}") if tc is not None else None,
                   table.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}") if table is not None else None,
                   *(style.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}") for style in styles)]
        for side in ("insideH", "top"):  # a side the table sets wins over its style's, side by side
            for borders in sources:
                border = borders.find(qn(f"w:{side}")) if borders is not None else None
                if border is not None:
                    return _rule(border)
        return None

    def _table_style(self, row: Element) -> Element | None:
        table = row.getparent()
        style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}") if table is not None else None
        return self.by_id.get(style.get(W_VAL)) if style is not None else None

    def status_fills(self) -> tuple[tuple[str, str], ...]:
        fills = []
        for name, status_class in STATUS_STYLES.items():
            element = self._element(name)
            if element is None:
                continue
            # its shading taken off ("No Color"): the status unfilled, not our colour
            fills.append((status_class, _fill(element.find(f"{qn('w:pPr')}/{qn('w:shd')}")) or NO_FILL))
        return tuple(fills)


def _run_properties(rpr: Element, theme_fonts: dict[str, str]) -> dict[str, object]:
    found: dict[str, object] = {}
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        # a theme font (asciiTheme) wins over a named one in Word
        theme = fonts.get(qn("w:asciiTheme")) or fonts.get(qn("w:hAnsiTheme"))
        name = theme_fonts.get(theme[:5]) if theme else None
        name = name or fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))
        if name:
            found["font"] = name
    size = rpr.find(qn("w:sz"))
    if size is not None and (size.get(W_VAL) or "").isdigit():
        found["size"] = int(size.get(W_VAL)) / 2  # half-points
    colour = rpr.find(qn("w:color"))
    if colour is not None and _hex(colour.get(W_VAL)):
        found["colour"] = _hex(colour.get(W_VAL))
    for tag, key in (("w:b", "bold"), ("w:i", "italic")):
        flag = rpr.find(qn(tag))
        if flag is not None:
            found[key] = (flag.get(W_VAL) or "true").lower() not in _OFF
    return found


def _theme_fonts(document: DocxDocument) -> dict[str, str]:
    """{"major": heading font, "minor": body font} from the document's theme part, when it names them."""
    fonts: dict[str, str] = {}
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/theme") and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob, parser=etree.XMLParser(resolve_entities=False))
            for kind in ("major", "minor"):
                latin = root.find(f".//a:{kind}Font/a:latin", _DRAWING_NS)
                if latin is not None and latin.get("typeface"):
                    fonts[kind] = latin.get("typeface")
    return fonts


def _hex(value: str | None) -> str | None:
    if value and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value):
        return value.upper()
    return None  # "auto", a theme colour name without a value, or garbage


def _fill(shd: Element | None) -> str | None:
    return _hex(shd.get(qn("w:fill"))) if shd is not None else None


def _rule(border: Element) -> Rule:
    """A Word border (w:top, w:insideH…): w:val its kind, w:sz eighths of a point (Word draws 1/4 pt to 6 pt),
    w:color RRGGBB or "auto" (black)."""
    style = RULE_STYLES.get(border.get(W_VAL) or "single", "solid")
    try:
        eighths = int(border.get(qn("w:sz")) or 4)
    except ValueError:
        eighths = 4
    colour = _hex(border.get(qn("w:color"))) or "000000"
    return Rule(colour, min(max(eighths, 2), 48) / 8, style)


def _text(element: Element) -> str:
    return "".join(t.text or "" for t in element.iter(W_T))


# ---------------------------------------------------------------- tables and sections


PlanRows = tuple[Element, Element | None, Element | None, Element | None, Element]


def find_plan_rows(body: Element) -> PlanRows | None:
    """(table, header, section, subsection, action) of the plan table: the first table with a [[CELL]] row.

    The header is the first row unless that is a marker row; a row not in the template is None.
    """
    for table in body.iter(qn("w:tbl")):
        rows = table.findall(W_TR)
        texts = [_text(tr) for tr in rows]
        action = next((tr for tr, text in zip(rows, texts) if CELL_MARKER in text), None)
        if action is None:
            continue
        section = next((tr for tr, text in zip(rows, texts) if SECTION_MARKER in text), None)
        subsection = next((tr for tr, text in zip(rows, texts) if SUBSECTION_MARKER in text), None)
        header = rows[0] if rows[0] not in (action, section, subsection) else None
        return table, header, section, subsection, action
    return None


def _cover_label_row(document: DocxDocument) -> Element | None:
    return next((tr for tr in document.element.body.iter(W_TR) if COVER_LABEL in _text(tr)), None)


def _plan_section(document: DocxDocument) -> Any:
    """The section holding the plan table: the first whose end (a sectPr) comes after the table."""
    body = document.element.body
    seen_plan = False
    index = 0
    for child in body.iterchildren():
        if child.tag == qn("w:tbl") and CELL_MARKER in _text(child):
            seen_plan = True
        ends_section = child.tag == qn("w:sectPr") or (
            child.tag == W_P and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
        if ends_section:
            if seen_plan:
                return document.sections[index]
            index += 1
    return document.sections[-1]


def _page(section: Any) -> PageSetup | None:
    values = (section.page_width, section.page_height, section.top_margin, section.right_margin,
              section.bottom_margin, section.left_margin)
    if any(value is None for value in values):
        return None
    return PageSetup(*(round(value.mm, 1) for value in values))  # Word keeps twips: 0.1 mm is exact enough


# ---------------------------------------------------------------- logo


def _logo(document: DocxDocument, shown: str) -> tuple[Logo | None, list[Issue]]:
    """The first picture in a page header (default, else first-page), the first section's first, with its alt
    text. A template saved by LibreOffice gives the plan's pages a header of their own, so a logo put there
    alone is in the plan section's header only."""
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            if header.is_linked_to_previous:
                continue
            for drawing in header._element.iter(qn("w:drawing")):
                blip = drawing.find(".//a:blip", _DRAWING_NS)
                rel_id = blip.get(qn("r:embed")) if blip is not None else None
                part = header.part.related_parts.get(rel_id) if rel_id else None
                if part is None:
                    continue
                return _logo_of(drawing, part, shown)
    return None, []


def _logo_of(drawing: Element, part: Any, shown: str) -> tuple[Logo | None, list[Issue]]:
    doc_pr = drawing.find(".//wp:docPr", _DRAWING_NS)
    decorative = doc_pr is not None and _decorative(doc_pr)
    alt = "" if decorative or doc_pr is None else " ".join((doc_pr.get("descr") or doc_pr.get("title") or "").split())
    extent = drawing.find(".//wp:extent", _DRAWING_NS)
    try:
        width, height = (int(extent.get(a)) / EMU_PER_MM for a in ("cx", "cy"))
    except (AttributeError, TypeError, ValueError):
        width = height = 0.0
    media_type = part.content_type
    issues: list[Issue] = []
    if media_type not in LOGO_TYPES:
        issues.append(issue("logo-unsupported", file=shown, value=media_type))
        return None, issues
    if not alt and not decorative:
        alt = "Logo"
        issues.append(issue("logo-no-alt", file=shown))
    if width <= 0 or height <= 0:
        width, height = 30.0, 15.0  # no usable extent: a usual logo's proportions, sized by the stylesheet
    return Logo(part.blob, media_type, alt, round(width, 2), round(height, 2), decorative), issues


def _decorative(doc_pr: Element) -> bool:
    """Whether Word marks the picture "Mark as decorative": `<adec:decorative val="1"/>` in its docPr's extension
    list (Word 365 clears its alt text then, and a screen reader passes it over)."""
    flags = doc_pr.iter(f"{{{DECORATIVE_NS}}}decorative")
    return any((flag.get("val") or "").lower() in ("1", "true") for flag in flags)
