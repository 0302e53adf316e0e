"""Write templates/paper.docx: the Word template every DOCX paper is laid out from.

Run `python templates/make_template.py` (re-runnable, same bytes each time). The result is meant to
be restyled in Word by the secretariat (fonts, colours, logo, header and footer) without touching
code: every look comes from named styles and from the prototype rows of the two tables.

Layout (the markers `reportgen.render.docx.writer` looks for are in brackets):

- Section 1, A4 portrait: Title `{{ paper.title }}`; the cover sheet table (LABEL | value, one row
  per `paper.cover` via docxtpl `{%tr for %}`); the subtitle; a paragraph holding `[[NARRATIVE]]`;
  "Changes since the last draft" (`{{ paper.ref_heading }}` | Action | Was | Now), only when `paper.changes` has
  some (with none, the writer puts the heading and `paper.changes_note` in its place).
- Section 2, A4 landscape with narrow margins (the six-column delivery plan needs the width): a
  "Delivery plan" heading (LibreOffice needs a paragraph between the section break and a long table
  to keep the section landscape), then the delivery-plan table: a header row (repeats on every
  page), a `[[SECTION]]` row spanning all columns, an optional `[[SUBSECTION]]` row (second-level groups: bold, not shaded) and an action
  row with `[[CELL]]` in each cell. The writer clones those rows, so restyle them, not the output.
  Then a paragraph with the exempt note (empty when there is none). The writer puts the restricted
  edition's legend of its exempt actions right before the table itself (any template).
- Before the cover sheet, only while an issue blocks publication: `{{ paper.blocking_heading }}` as a
  heading, `{{ paper.blocking_advice }}` and the list `paper.blocking`.
- Header: `{{ paper.draft_marking }}` (while anything blocks publication), `{{ paper.marking }}`
  (restricted edition only) and the running title; footer, as the PDF's: `{{ paper.meeting }}` · `{{ paper.date }}`
  at the left and "Page X of Y" (PAGE / NUMPAGES fields) at the right margin on one line (a right-aligned tab
  stop at the text width), and under them the marking. Section 2 reuses section 1's header, and has a
  footer of its own, the same but for its tab stop at the landscape text width.

The PDF takes the same look from this file (`reportgen.render.theme`): the styles Normal, Title, Subtitle,
Heading 1-3, the plan table's prototype rows, the cover label fill, both tables' lines, the "Status …" styles' shading
(the status fills), both sections' page size and margins, and a picture put in the header (the logo).
Sizes, colours and margins here are the PDF stylesheet's defaults, so both outputs look alike.

Column order of the template's delivery table is ref, action, status, explanation, timeframe, page;
the writer picks a prototype cell by column key, so keep that order when restyling.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor, Twips

from reportgen.paper_rules import CHANGES_COLUMNS
from reportgen.render.docx.writer import save_reproducibly
from reportgen.terms import STATUS_CLASSES, STATUS_COLOURS

HERE = Path(__file__).resolve().parent
OUT = HERE / "paper.docx"

FONT = "Arial"
LANGUAGE = "en-GB"
HEADING_COLOUR = RGBColor(0x1F, 0x38, 0x64)  # dark blue: 11:1 contrast on white
SUBTITLE_COLOUR = RGBColor(0x33, 0x33, 0x33)
SECTION_COLOUR = RGBColor(0x13, 0x29, 0x4B)  # section heading text
HEADER_FILL = "1F3864"  # delivery-plan header row (white text)
DRAFT_COLOUR = RGBColor(0xC0, 0x00, 0x00)  # the draft marking: dark red, 5.9:1 on white
SECTION_FILL = "D5DEEE"  # section heading rows
SUBSECTION_FILL = "EDF1F8"  # second-level group rows
LABEL_FILL = "E4EAF4"  # cover sheet labels
PLAN_RULE = ("A8B3C4", 4)  # the plan and changes tables' lines: colour, eighths of a point (0.5 pt)
COVER_RULE = ("9AA7BD", 6)  # the cover sheet's (0.75 pt)
TABLE_SIZE = Pt(8.5)  # the plan and changes tables' text
# shading of the "Status …" paragraph styles: the fill behind each status (text stays black, >= 7:1)
STATUS_FILLS = (*((f"Status {status}", STATUS_COLOURS[css]) for status, css in STATUS_CLASSES.items()),
                ("Status Unknown", STATUS_COLOURS["unknown"]))
COVER_MARGINS_MM = (20, 18, 18, 18)  # top, right, bottom, left
PLAN_MARGINS_MM = (17, 14, 16, 14)

# (heading, share of the table width) in the writer's default column order
DEFAULT_COLUMNS = (
    ("Plan priority", 0.09),
    ("Action", 0.26),
    ("Status this reporting period", 0.11),
    ("Explanation / Link to meeting papers", 0.32),
    ("Timeframe for delivery / Completion", 0.13),
    ("CSCJ Plan page", 0.09),
)
TWIPS_PER_MM = 1440 / 25.4
PORTRAIT_TEXT_TWIPS = round((210 - COVER_MARGINS_MM[1] - COVER_MARGINS_MM[3]) * TWIPS_PER_MM)
LANDSCAPE_TEXT_TWIPS = round((297 - PLAN_MARGINS_MM[1] - PLAN_MARGINS_MM[3]) * TWIPS_PER_MM)


def main() -> None:
    document = Document()
    _drop_thumbnail(document)
    _styles(document)
    _page_setup(document)
    document.add_paragraph("{{ paper.title }}", style="Title")
    _blocking_list(document)
    _cover_table(document)
    document.add_paragraph("{%p if paper.subtitle %}")
    document.add_paragraph("{{ paper.subtitle }}", style="Subtitle")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("[[NARRATIVE]]")
    _changes_table(document)
    landscape = document.add_section(WD_SECTION.NEW_PAGE)
    landscape.orientation = WD_ORIENT.LANDSCAPE
    landscape.page_width, landscape.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(landscape, side, Cm(1.27))
    # LibreOffice shows a landscape section portrait when a long table is its first element: a heading
    # between the section break and the table keeps it landscape (and reads well in Word too)
    document.add_paragraph("Delivery plan", style="Heading 1")
    _margins(landscape, PLAN_MARGINS_MM)
    _delivery_table(document)
    # always present (empty without a note): the body must not end with a table
    document.add_paragraph("{{ paper.exempt_note }}")
    _header_footer(document)
    _properties(document)
    buffer = io.BytesIO()
    document.save(buffer)
    save_reproducibly(buffer.getvalue(), OUT)


# ---------------------------------------------------------------- styles


def _styles(document) -> None:  # type: ignore[no-untyped-def]
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    rpr.find(qn("w:lang")).set(qn("w:val"), LANGUAGE)
    defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing")).attrib.update(
        {qn("w:after"): "120", qn("w:line"): "264", qn("w:lineRule"): "auto"}
    )

    normal = styles["Normal"]
    normal.font.size = Pt(10.5)

    title = styles["Title"]
    _drop_theme_fonts(title)
    title.font.size, title.font.bold, title.font.color.rgb = Pt(18), True, HEADING_COLOUR
    title.paragraph_format.space_after = Pt(12)
    subtitle = styles["Subtitle"]
    _drop_theme_fonts(subtitle)
    subtitle.font.size, subtitle.font.italic, subtitle.font.color.rgb = Pt(11.5), False, SUBTITLE_COLOUR
    subtitle.font.bold = True
    # it follows the cover sheet table: without space before, Word and LibreOffice set it against the table
    subtitle.paragraph_format.space_before, subtitle.paragraph_format.space_after = Pt(12), Pt(6)
    spacing = subtitle.element.rPr.find(qn("w:spacing"))
    if spacing is not None:  # python-docx's Subtitle is letter-spaced; the PDF's is not
        subtitle.element.rPr.remove(spacing)
    for level, size in ((1, 13.5), (2, 11.5), (3, 10.5)):
        heading = styles[f"Heading {level}"]
        _drop_theme_fonts(heading)
        heading.font.size, heading.font.bold, heading.font.color.rgb = Pt(size), True, HEADING_COLOUR
        heading.font.italic = False
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(6)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(9)
    # items close together (contextual spacing), then a body paragraph's space after the last: with 3 pt, Word and
    # LibreOffice set the cover sheet table against the list of issues above it
    for name in ("List Bullet", "List Number", "List Bullet 2"):
        styles[name].paragraph_format.space_after = Pt(6)

    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.paragraph_format.space_after = Pt(3)
    table_heading = styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
    table_heading.base_style = table_text
    table_heading.font.bold = True
    table_heading.paragraph_format.keep_with_next = True
    table_section = styles.add_style("Table Section", WD_STYLE_TYPE.PARAGRAPH)
    table_section.base_style = table_heading
    table_section.font.size = Pt(10)
    table_section.font.color.rgb = SECTION_COLOUR
    for name, fill in STATUS_FILLS:
        status = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        status.base_style = table_text
        pr = status.element.get_or_add_pPr()
        pr.append(_shading(fill))

    hyperlink = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    hyperlink.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    hyperlink.font.underline = True
    hyperlink.priority, hyperlink.unhide_when_used = 99, True
    note = styles.add_style("Status Note", WD_STYLE_TYPE.CHARACTER)
    note.font.italic = True
    note.font.size = Pt(9)

    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)


def _drop_theme_fonts(style) -> None:  # type: ignore[no-untyped-def]
    """Theme font attributes win over named fonts in Word: drop them so the style inherits Arial."""
    rpr = style.element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is not None:
        rpr.remove(fonts)


# ---------------------------------------------------------------- page, header, footer


def _page_setup(document) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    _margins(section, COVER_MARGINS_MM)
    section.header_distance = section.footer_distance = Cm(1)


def _blocking_list(document) -> None:  # type: ignore[no-untyped-def]
    """While anything blocks publication: the issues, first thing in the paper (a {%p if %} block)."""
    document.add_paragraph("{%p if paper.blocking %}")
    heading = document.add_paragraph(style="Heading 1")
    heading.add_run("{{ paper.blocking_heading }}").font.color.rgb = DRAFT_COLOUR
    document.add_paragraph("{{ paper.blocking_advice }}")
    document.add_paragraph("{%p for line in paper.blocking %}")
    document.add_paragraph("{{ line }}", style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endif %}")
def _margins(section, margins_mm: tuple[int, int, int, int]) -> None:  # type: ignore[no-untyped-def]
    sides = ("top_margin", "right_margin", "bottom_margin", "left_margin")
    for side, size in zip(sides, margins_mm):
        setattr(section, side, Mm(size))


def _header_footer(document) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    header = section.header
    header.is_linked_to_previous = False
    first = header.paragraphs[0]
    first.text = "{%p if paper.draft_marking %}"
    draft = header.add_paragraph(style="Header")
    draft.alignment = WD_ALIGN_PARAGRAPH.CENTER
    draft_run = draft.add_run("{{ paper.draft_marking }}")
    draft_run.bold = True
    draft_run.font.color.rgb = DRAFT_COLOUR
    header.add_paragraph("{%p endif %}", style="Header")
    header.add_paragraph("{%p if paper.marking %}", style="Header")
    marking = header.add_paragraph(style="Header")
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking.add_run("{{ paper.marking }}").bold = True
    header.add_paragraph("{%p endif %}", style="Header")
    running = header.add_paragraph("{{ paper.title }}", style="Header")
    running.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    _footer(section.footer, PORTRAIT_TEXT_TWIPS)
    for later in document.sections[1:]:
        later.header.is_linked_to_previous = True
        _footer(later.footer, LANDSCAPE_TEXT_TWIPS)  # the plan's: its page number at its wider right margin


def _footer(footer, text_twips: int) -> None:  # type: ignore[no-untyped-def]
    """The PDF's footer: the meeting and its date at the left, "Page X of Y" at the right margin, and under
    them, in the restricted edition, the marking. A printed page of the Word paper said only its number, not
    which meeting it was for. The page number is set by a right-aligned tab stop at `text_twips`, the
    section's text width: the landscape plan's is wider, so its section has a footer of its own (LibreOffice
    lays a tab relative to the margin, `w:ptab`, out as a plain tab)."""
    footer.is_linked_to_previous = False
    line = footer.paragraphs[0]
    line.style = "Footer"
    stops = line.paragraph_format.tab_stops
    for inherited in line.style.paragraph_format.tab_stops:  # the Footer style's: the tab would stop there first
        stops.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Twips(text_twips), WD_TAB_ALIGNMENT.RIGHT)
    # the date never split over two lines, nor from the meeting's last word, as in the PDF's footer
    line.add_run("{{ paper.meeting }}{% if paper.date %}\u00a0· {{ paper.date | replace(' ', '\\u00a0') }}{% endif %}")
    line.add_run("\tPage ")
    _field(line, "PAGE")
    line.add_run(" of ")
    _field(line, "NUMPAGES")
    footer.add_paragraph("{%p if paper.marking %}", style="Footer")
    marking = footer.add_paragraph(style="Footer")
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking.add_run("{{ paper.marking }}").bold = True
    footer.add_paragraph("{%p endif %}", style="Footer")


def _field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    """A complex field (begin / instrText / separate / cached result / end): Word updates it."""
    for kind, text in (("begin", None), ("instr", f" {instruction} "), ("separate", None), ("text", "1")):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


# ---------------------------------------------------------------- tables


def _cover_table(document) -> None:  # type: ignore[no-untyped-def]
    label_twips = round(55 * TWIPS_PER_MM)
    widths = (label_twips, PORTRAIT_TEXT_TWIPS - label_twips)
    table = document.add_table(rows=3, cols=2)
    table.style = document.styles["Table Grid"]
    _fix_widths(table, widths, caption="Cover sheet",
                description="Meeting, date, title and purpose of the paper")
    _rules(table, *COVER_RULE)
    table.rows[0].cells[0].paragraphs[0].text = "{%tr for row in paper.cover %}"
    label, value = table.rows[1].cells
    label.paragraphs[0].style = document.styles["Table Text"]
    label.paragraphs[0].add_run("{{ row.label }}").bold = True
    _shade(label, LABEL_FILL)
    value.paragraphs[0].style = document.styles["Table Text"]
    value.paragraphs[0].add_run("{{ row.value }}")
    _row_flags(table.rows[1], cant_split=True)
    table.rows[2].cells[0].paragraphs[0].text = "{%tr endfor %}"


def _changes_table(document) -> None:  # type: ignore[no-untyped-def]
    """Changes since the last draft (only when the paper has some: the whole block is in a {%p if %})."""
    document.add_paragraph("{%p if paper.changes %}")
    document.add_paragraph("Changes since the last draft", style="Heading 1")
    widths = [round(PORTRAIT_TEXT_TWIPS * column.width) for column in CHANGES_COLUMNS]
    widths[-1] = PORTRAIT_TEXT_TWIPS - sum(widths[:-1])
    table = document.add_table(rows=4, cols=len(CHANGES_COLUMNS))
    table.style = document.styles["Table Grid"]
    _fix_widths(table, widths, caption="Changes since the last draft",
                description="Actions whose status changed since the last draft: was and now")
    _rules(table, *PLAN_RULE)
    # the number column headed as the plan's ("Plan priority" where the register says so): `Paper.ref_heading`
    headings = ("{{ paper.ref_heading }}" if column.key == "ref" else column.heading for column in CHANGES_COLUMNS)
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.paragraphs[0].style = document.styles["Table Heading"]
        run = cell.paragraphs[0].add_run(heading)
        run.font.color.rgb, run.font.size = RGBColor(0xFF, 0xFF, 0xFF), TABLE_SIZE
        _shade(cell, HEADER_FILL)  # as the plan table's header (the PDF draws both alike)
    _row_flags(table.rows[0], cant_split=True, header=True)
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for move in paper.changes %}"
    for cell, field in zip(table.rows[2].cells, (column.key for column in CHANGES_COLUMNS)):
        cell.paragraphs[0].style = document.styles["Table Text"]
        cell.paragraphs[0].add_run("{{ move." + field + " }}").font.size = TABLE_SIZE
    _row_flags(table.rows[2], cant_split=True)
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    document.add_paragraph("{%p endif %}")


def _delivery_table(document) -> None:  # type: ignore[no-untyped-def]
    widths = [round(LANDSCAPE_TEXT_TWIPS * share) for _, share in DEFAULT_COLUMNS]
    widths[-1] = LANDSCAPE_TEXT_TWIPS - sum(widths[:-1])
    table = document.add_table(rows=4, cols=len(DEFAULT_COLUMNS))
    table.style = document.styles["Table Grid"]
    _fix_widths(
        table,
        widths,
        caption="Delivery plan",
        # the writer puts one made from the paper's own columns in its place (reportgen.render.docx.plan)
        description="Each action of the plan with its status, explanation, timeframe and plan page",
    )
    _rules(table, *PLAN_RULE)
    header, section, subsection, action = table.rows
    for cell, (heading, _) in zip(header.cells, DEFAULT_COLUMNS):
        paragraph = cell.paragraphs[0]
        paragraph.style = document.styles["Table Heading"]
        run = paragraph.add_run(heading)
        run.font.color.rgb, run.font.size = RGBColor(0xFF, 0xFF, 0xFF), TABLE_SIZE
        _shade(cell, HEADER_FILL)
    _row_flags(header, cant_split=True, header=True)

    for row, marker, fill, size in ((section, "[[SECTION]]", SECTION_FILL, None),
                                    (subsection, "[[SUBSECTION]]", SUBSECTION_FILL, Pt(9))):
        merged = row.cells[0].merge(row.cells[-1])
        merged.paragraphs[0].style = document.styles["Table Section"]
        merged.paragraphs[0].add_run(marker).font.size = size
        _shade(merged, fill)
        _row_flags(row, cant_split=True)

    for cell in action.cells:
        cell.paragraphs[0].style = document.styles["Table Text"]
        cell.paragraphs[0].add_run("[[CELL]]").font.size = TABLE_SIZE
    _row_flags(action, cant_split=True)


def _fix_widths(table, widths, caption: str, description: str) -> None:  # type: ignore[no-untyped-def]
    """Explicit widths (twips) in tblW, tblGrid and every tcW, fixed layout: LibreOffice needs them all."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    for column, width in zip(table.columns, widths):
        column.width = Twips(width)
    for row in table.rows:
        for tc, width in zip(row._tr.tc_lst, widths):
            tc.width = Twips(width)
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)


def _rules(table, colour: str, eighths: int) -> None:  # type: ignore[no-untyped-def]
    """The table's own lines (Table Grid's are black): every border single, in `colour`, as the PDF draws them."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        for name, value in (("w:val", "single"), ("w:sz", str(eighths)), ("w:space", "0"), ("w:color", colour)):
            border.set(qn(name), value)
        borders.append(border)
    table._tbl.tblPr.find(qn("w:tblLayout")).addprevious(borders)  # its place in tblPr's sequence


def _shading(fill: str):  # type: ignore[no-untyped-def]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    return shd


def _shade(cell, fill: str) -> None:  # type: ignore[no-untyped-def]
    shd = _shading(fill)
    tc_pr = cell._tc.get_or_add_tcPr()
    v_align = tc_pr.find(qn("w:vAlign"))
    if v_align is not None:
        v_align.addprevious(shd)
    else:
        tc_pr.append(shd)


def _row_flags(row, cant_split: bool, header: bool = False) -> None:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.get_or_add_trPr()
    if cant_split:
        tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


# ---------------------------------------------------------------- package


def _drop_thumbnail(document) -> None:  # type: ignore[no-untyped-def]
    """python-docx's default package carries its own thumbnail image: not ours to ship."""
    rels = document.part.package.rels
    for rel_id in [rel_id for rel_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rel_id]


def _properties(document) -> None:  # type: ignore[no-untyped-def]
    fixed = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    props = document.core_properties
    props.title = "Police and Crime Panel paper (template)"
    props.author = "reportgen"
    props.last_modified_by = "reportgen"
    props.language = LANGUAGE
    props.subject = props.keywords = props.comments = props.category = ""
    props.created = props.modified = props.last_printed = fixed
    props.revision = 1


if __name__ == "__main__":
    main()
