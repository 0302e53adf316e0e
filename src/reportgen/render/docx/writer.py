"""Lay a `Paper` out as a Word document, from the restylable template `templates/paper.docx`.

What it does, in order: render the template's Jinja tags (title, marking, cover sheet) with docxtpl;
replace the `[[NARRATIVE]]` paragraph with the narrative blocks; build the delivery-plan table by
cloning the template's prototype rows (`[[SECTION]]`, optional `[[SUBSECTION]]`, `[[CELL]]`) once
per section and action; set the document properties and default language; write the file
atomically (temporary file + rename) with reproducible bytes.

What it must not do: decide content. Every word, label, order, count and colour key comes from the
`Paper` (`build_paper` decides them); this module only places them. It reads no settings and no
environment, follows no links, and takes every look (fonts, colours, borders, page setup) from the
template's named styles and prototype rows, so an officer can restyle the paper in Word.

Every string passes `xml_safe` before it reaches docxtpl or lxml: one XML-invalid character must
never make docxtpl's recovering parser drop the rest of the document.

The parts: `reportgen.render.docx.xml` (WordprocessingML helpers), `reportgen.render.docx.layout` (rich text,
runs, links, tracked changes), `reportgen.render.docx.front` (narrative, progress, cover redline),
`reportgen.render.docx.plan` (the delivery-plan table), `reportgen.render.docx.progress` (the progress part),
`reportgen.render.docx.structure` (section breaks and outline levels, as a screen reader takes them); this
module renders the template and saves the package. `reportgen.render.docx.kept` sets what a `{%p … %}` tag's line
holds besides the tag (a section break, a logo) on a line of its own first, as docxtpl takes the line away.

Logging policy: a warning for a link the link policy refuses (`reportgen.render.docx.layout`), and in a draft
comparison for a template that lays out the issues to resolve where their changes cannot be tracked; nothing else.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import jinja2
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

from reportgen.errors import ReportgenError
from reportgen.files import stable_zip, write_atomically
from reportgen.model import Paper, RichText
from reportgen.render.docx.clean import clear_review_marks
from reportgen.render.docx.front import (
    fill_changes_note,
    fill_narrative,
    fill_progress,
    mark_blocking,
    mark_cover,
    mark_draft_marking,
    mark_exempt_note,
    mark_footer_meeting,
    mark_headings,
    note_comparison,
    place_exempt_legend,
)
from reportgen.render.docx.kept import keep_pictures, keep_section_breaks
from reportgen.render.docx.layout import Layout, own_headers, page_headers
from reportgen.render.docx.plan import ROWS_MARKER, plan_rows
from reportgen.render.docx.restore import restore_missing
from reportgen.render.docx.structure import drop_empty_end, fold_section_breaks, outline_title, outline_under_title
from reportgen.render.docx.xml import (
    RPR_ORDER,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_TR,
    W_VAL,
    Element,
    TemplateMarkerMissing,
    add_text,
    child,
    set_ordered,
    text_of,
)
from reportgen.render.docx.xml import xml_safe as xml_safe  # the writer's public helper (docx_progress, tests)
from reportgen.render.template_tags import MissingTag, broken_tag, missing_tags
from reportgen.wording import quoted

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- the stage


def write_docx(
    paper: Paper,
    template: Path,
    out: Path,
    revision_author: str = "reportgen",
    revision_date: str | None = None,
    cover_redline: Mapping[str, RichText] | None = None,
    heading_redline: Mapping[str, RichText] | None = None,
    fills_were: Mapping[int, str | None] | None = None,
    blocking_redline: RichText = (),
    marking_redline: RichText = (),
    exempt_note_redline: RichText = (),
    exempt_legend_redline: RichText = (),
    column_redline: Mapping[str, RichText] | None = None,
    section_redline: Mapping[tuple[str, str], RichText] | None = None,
    cover_rows_redline: Mapping[str, str] | None = None,
    comparison_notes: Sequence[str] = (),
    document_title: str | None = None,
    footer_was: tuple[str, str] | None = None,
) -> None:
    """Write `paper` to `out` (.docx) laid out from `template`. Same paper and template, same bytes.

    `revision_author` and `revision_date` (ISO 8601; default: the paper's date) mark the tracked
    changes written for `Inline.change` ("ins"/"del") and `PaperRow.change` (inserted/deleted rows).
    `cover_redline` (cover-sheet label → wording with change marks) replaces those cover values with
    tracked changes (see `reportgen.render.docx.front.mark_cover`); `heading_redline` ("Title",
    "Subtitle" → wording with change marks) does so for the title and subtitle (`front.mark_headings`);
    `fills_were` (ref → the status cell's old fill) for a status cell's colour (`plan.plan_rows`);
    `blocking_redline` (the "Issues to resolve" block, a line a block, with change marks) does so for
    that block (`front.mark_blocking`), `marking_redline` for the draft marking in the page headers
    (`front.mark_draft_marking`), `exempt_note_redline` for the note under the plan
    (`front.mark_exempt_note`), `exempt_legend_redline` for the restricted edition's legend before the plan
    (`front.place_exempt_legend`) and `column_redline` (column key → heading with change marks) for the
    plan table's header cells, `section_redline` ((level-1, level-2 heading) → the heading with change marks)
    for a renamed section's heading row (`plan.plan_rows`); `cover_rows_redline` (cover-sheet label → "ins" or
    "del") marks a cover row only one draft has as a whole row inserted or deleted. `comparison_notes` (that a
    comparison runs backwards, why its paper has no progress over time) are Word comments on the title
    (`front.note_comparison`). `document_title` replaces the paper's own title property: a comparison's paper
    carries the old draft's marking for the writer to strike, but its title is the new draft's. `footer_was` (the old
    draft's meeting and date) tracks them in the page footers where they changed (`front.mark_footer_meeting`).
    """
    template, out = Path(template), Path(out)
    if not template.is_file():
        raise ReportgenError(f"DOCX template not found: {template}")
    if not out.parent.is_dir():
        raise ReportgenError(f"cannot write {out}: no folder {out.parent}")
    stamp = paper.docx_created
    document, missing = _render_template(_with_exempt_moves_marked(paper), template)
    layout = Layout(
        document,
        author=xml_safe(revision_author),
        date=xml_safe(revision_date or stamp.strftime("%Y-%m-%dT%H:%M:%SZ")),
    )
    _drop_empty_tables(document.element.body)
    fit_tables_to_margins(document.element.body)
    restore_missing(document, paper, missing)
    mark_draft(document, paper)
    try:
        fill_changes_note(layout, paper)
        if paper.progress is not None:
            fill_progress(layout, paper.progress, paper.marked_exempt, paper.ref_heading)
        fill_narrative(layout, paper.narrative)
        place_exempt_legend(layout, paper, exempt_legend_redline)
        rows = plan_rows(layout, paper, fills_were, column_redline, section_redline)
    except TemplateMarkerMissing as error:
        raise ReportgenError(f"DOCX template {template} {error}") from error
    if cover_redline or cover_rows_redline:
        mark_cover(layout, paper, cover_redline or {}, cover_rows_redline)
    if heading_redline or marking_redline:
        own_headers(document)  # so the tracked header reads so on every page, in LibreOffice too
    if heading_redline:
        mark_headings(layout, paper, heading_redline)
    _restore_brackets(document)
    _break_held_lines(document)
    if blocking_redline and not mark_blocking(layout, blocking_redline, paper.draft_marking, marking_redline):
        log.warning("%s lays out the issues to resolve in a way reportgen does not know (restyled, or made by another "
                    "version): diff.docx shows them as the template lays them out, without tracking how they changed; "
                    "diff.html and diff.pdf say which issues blocked publication then and now", template)
    if marking_redline:
        mark_draft_marking(layout, paper, marking_redline)
    if exempt_note_redline:
        mark_exempt_note(layout, paper, exempt_note_redline)
    if footer_was is not None and footer_was != (paper.meeting, paper.date):
        mark_footer_meeting(layout, paper, footer_was)
    if comparison_notes:
        note_comparison(layout, comparison_notes)
    fold_section_breaks(document.element.body)
    drop_empty_end(document.element.body)
    outline_under_title(document)
    set_default_language(document, paper.language)
    _set_properties(document, paper, stamp, document_title)
    number_drawings(document)
    buffer = io.BytesIO()
    document.save(buffer)
    save_reproducibly(_with_rows(buffer.getvalue(), rows), out)


def number_drawings(document: DocxDocument) -> None:
    """Give each drawing (`wp:docPr`) an id of its own across the document and its headers and footers, as
    Word requires. python-docx numbers a picture it adds after the ids of the document's body alone, so a chart
    took id 1 beside the template header's logo, id 1 too. The body first, then the other parts by name, so
    the same paper gives the same ids."""
    main = document.part
    others = sorted((part for part in main.package.iter_parts()
                     if part is not main and isinstance(part, XmlPart)), key=lambda part: str(part.partname))
    number = 0
    for part in (main, *others):
        for drawing in part.element.iter(qn("wp:docPr")):
            number += 1
            drawing.set("id", str(number))


def _with_rows(package: bytes, rows: Sequence[bytes]) -> bytes:
    """The saved package with the plan rows in place of the rows marker in word/document.xml."""
    marker = f"<!--{ROWS_MARKER}-->".encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                if data.count(marker) != 1:
                    raise ReportgenError("the delivery-plan rows could not be placed in the document")
                data = data.replace(marker, b"".join(rows))
            target.writestr(info.filename, data)  # stored: save_reproducibly compresses it once
    return buffer.getvalue()


def save_reproducibly(data: bytes, out: Path) -> None:
    """Rewrite a zip package with fixed entry dates, then move it into place atomically."""
    write_atomically(Path(out), stable_zip(data))


def set_default_language(document: DocxDocument, language: str) -> None:
    """The document default language (styles.xml docDefaults), read by spell-check and screen readers."""
    styles = document.styles.element
    defaults = child(styles, "w:docDefaults", first=True)
    rpr_default = child(defaults, "w:rPrDefault", first=True)
    rpr = child(rpr_default, "w:rPr")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = etree.Element(qn("w:lang"))
        set_ordered(rpr, lang, RPR_ORDER)
    lang.set(W_VAL, xml_safe(language))


# ---------------------------------------------------------------- template and package


def _finalize(value: object) -> str:
    """Every `{{ }}` value printed by the template: XML-safe text (autoescape escapes it next), with
    "[[" held as a private character until the markers are placed, so that a cover value written
    `[[NARRATIVE]]` or `[[CELL]]` stays text and is never taken for one of the template's markers."""
    return "" if value is None else xml_safe(str(value)).replace("[[", _HELD_BRACKETS)


_HELD_BRACKETS = "\ue000"  # Unicode private use: no template or value holds it (xml_safe keeps it)


_HELD_LINE_BREAK = "\ue001"  # private use: a line break in a value the template prints (`_break_held_lines`)


def _with_exempt_moves_marked(paper: Paper) -> Paper:
    """The restricted edition's "Changes since the last draft": an exempt action's new status followed, on a line of
    its own, by the marking its plan row has; the template prints `{{ move.new }}` (a restyled one too)."""
    if not any(paper.marked_exempt(move.ref) for move in paper.changes):
        return paper
    return replace(paper, changes=tuple(
        replace(move, new=f"{move.new}{_HELD_LINE_BREAK}{paper.exempt_row_note}") if paper.marked_exempt(move.ref)
        else move for move in paper.changes))


def _break_held_lines(document: DocxDocument) -> None:
    """Each held line break in the body's text (`_HELD_LINE_BREAK`) as a Word line break in its run."""
    for text in list(document.element.body.iter(qn("w:t"))):
        if not text.text or _HELD_LINE_BREAK not in text.text:
            continue
        first, *others = text.text.split(_HELD_LINE_BREAK)
        text.text = first
        at = text
        for line in others:
            brk = OxmlElement("w:br")
            at.addnext(brk)
            following = OxmlElement("w:t")
            following.set(qn("xml:space"), "preserve")
            following.text = line
            brk.addnext(following)
            at = following


def _restore_brackets(document: DocxDocument) -> None:
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        for text in element.iter(qn("w:t")):
            if text.text and _HELD_BRACKETS in text.text:
                text.text = text.text.replace(_HELD_BRACKETS, "[[")


def _render_template(paper: Paper, template: Path) -> tuple[DocxDocument, tuple[MissingTag, ...]]:
    """The template filled in, and the needed tags it lacked (read before filling in: `restore.restore_missing`)."""
    tpl = DocxTemplate(str(template))
    env = jinja2.Environment(autoescape=True, finalize=_finalize, undefined=jinja2.StrictUndefined)
    try:
        tpl.init_docx()
        clear_review_marks(tpl.docx)  # the template's comments and tracked changes name the people who edited it
        missing = missing_tags(tpl.docx)
        keep_section_breaks(tpl.docx.element.body)
        keep_pictures(tpl.docx)
        outline_title(tpl.docx)
        tpl.render({"paper": paper}, jinja_env=env, autoescape=True)
    except jinja2.TemplateSyntaxError as error:
        raise ReportgenError(_syntax_error(template, tpl, error)) from error
    except jinja2.UndefinedError as error:  # a tag mistyped: {{ paper.titel }}, {{ papr.title }}
        named = re.search(r"has no attribute '([^']*)'|'([^']*)' is undefined", error.message or "")
        name = next((group for group in named.groups() if group), "") if named else ""
        raise ReportgenError(
            f"DOCX template {template} cannot be filled in: a tag asks for {quoted(name)}, which reportgen does not "
            f"have (mistyped?); compare the template's tags with those reportgen's own template has (README, 'Restyle "
            f"the paper')" if name else f"DOCX template {template} cannot be filled in: {error}") from error
    except jinja2.TemplateError as error:
        raise ReportgenError(f"DOCX template {template} cannot be rendered: {error}") from error
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as error:
        raise ReportgenError(f"DOCX template {template} is not a Word document: {error}") from error
    document: DocxDocument = tpl.docx
    return document, missing


# Jinja's words for a block left open or an end tag out of place: then the tags say which one, as Word shows it
_NESTING = ("Unexpected end of template", "Encountered unknown tag")


def _syntax_error(template: Path, tpl: DocxTemplate, error: jinja2.TemplateSyntaxError) -> str:
    """The line that says where a template Jinja cannot read is broken, in Word's terms: the part (body, page
    header, page footer) docxtpl was filling in, and for a block left open or an end tag out of place, the tag.
    Jinja's own line is of the part's XML, not the text an officer sees, and an unclosed block is found only
    at the part's end."""
    part = getattr(tpl, "current_rendering_part", None)
    name = str(getattr(part, "partname", "/word/document.xml")).lstrip("/")
    shown = ("page header" if "header" in name else "page footer" if "footer" in name
             else "footnotes" if "footnotes" in name else "body")
    element = getattr(part, "element", None)
    found = broken_tag(shown, element) if element is not None and error.message and error.message.startswith(
        _NESTING) else ""
    if found:
        return f"DOCX template {template} is broken: {found}"
    near = _template_text(error.source, error.lineno)
    at = f" at the text {quoted(near)}" if near else ""
    return f"DOCX template {template} is broken{at} in its {shown} (line {error.lineno} of {name}): {error.message}"


def _template_text(source: str | None, line: int) -> str:
    """The words of the template's XML line `line` (a Word document has no lines an officer can see)."""
    lines = (source or "").splitlines()
    if not 0 < line <= len(lines):
        return ""
    return " ".join(re.sub(r"<[^>]*>", " ", lines[line - 1]).split())[:200]


def mark_draft(document: DocxDocument, paper: Paper) -> None:
    """While anything blocks publication, every page header carries `paper.draft_marking` and the issues
    open the document, even from a template restyled before it had places for them (ours has).
    """
    if not paper.draft_marking:
        return
    marking = xml_safe(paper.draft_marking)
    for header in page_headers(document):
        if marking not in text_of(header):
            header.insert(0, _marking_paragraph(marking))
    if paper.blocking and not any(paper.blocking[0] in p.text for p in document.paragraphs):
        body = document.element.body
        lines = (paper.blocking_heading, paper.blocking_advice, *(f"• {xml_safe(item)}" for item in paper.blocking))
        for line in reversed(lines):
            body.insert(0, _marking_paragraph(line, bold=line == paper.blocking_heading, centred=False))


def _marking_paragraph(text: str, bold: bool = True, centred: bool = True) -> Element:
    """A paragraph in dark red (5.9:1 on white) holding `text`."""
    paragraph = etree.Element(W_P)
    p_pr = etree.SubElement(paragraph, W_PPR)
    etree.SubElement(p_pr, qn("w:jc")).set(W_VAL, "center" if centred else "left")
    run = etree.SubElement(paragraph, W_R)
    r_pr = etree.SubElement(run, W_RPR)
    if bold:
        etree.SubElement(r_pr, qn("w:b"))
    etree.SubElement(r_pr, qn("w:color")).set(W_VAL, "C00000")
    add_text(run, text)
    return paragraph


def _set_properties(document: DocxDocument, paper: Paper, stamp: dt.datetime, title: str | None = None) -> None:
    """The file's own properties; `title` (default: the paper's) is what a file list shows and Word keeps."""
    props = document.core_properties
    props.title = _property(paper.document_title if title is None else title)
    props.subject = _property(paper.description)
    props.language = _property(paper.language)
    props.author = props.last_modified_by = _property(paper.author)
    props.keywords = _property(paper.marking)  # what a file list or search shows, beside the title
    props.comments = props.category = props.content_status = props.identifier = props.version = ""  # the template's
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1


def _property(text: str) -> str:
    """A document property: Word (and python-docx) hold at most 255 characters; the page keeps them all."""
    text = xml_safe(text)
    return text if len(text) <= 255 else text[:254] + "…"


def fit_tables_to_margins(body: Element) -> None:
    """A table set wider than its page's text (the template's margins made wider, or its page narrower)
    is narrowed to fit, its columns in proportion; it ran past the right margin in Word and LibreOffice."""
    pending: list[Element] = []
    for element in body:
        if element.tag == qn("w:tbl"):
            pending.append(element)
            continue
        section = element if element.tag == qn("w:sectPr") else element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if section is None:
            continue
        size, margins = section.find(qn("w:pgSz")), section.find(qn("w:pgMar"))
        if size is not None and margins is not None:
            text_width = _twips(size.get(qn("w:w"))) - _twips(margins.get(qn("w:left"))) \
                - _twips(margins.get(qn("w:right")))
            for table in pending:
                _narrow(table, text_width)
        pending = []


def _narrow(table: Element, text_width: int) -> None:
    width = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    wide = _twips(width.get(qn("w:w"))) if width is not None and width.get(qn("w:type")) == "dxa" else 0
    if text_width <= 0 or wide <= text_width:
        return
    factor = text_width / wide
    for element in (width, *table.iter(qn("w:gridCol")), *table.iter(qn("w:tcW"))):
        if element.tag == qn("w:gridCol") or element.get(qn("w:type")) in ("dxa", None):
            element.set(qn("w:w"), str(int(_twips(element.get(qn("w:w"))) * factor)))


def _twips(value: str | None) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def _drop_empty_tables(body: Element) -> None:
    """A cover sheet with no rows leaves a table without rows, which Word reports as corrupt."""
    for table in list(body.iter(qn("w:tbl"))):
        if table.find(W_TR) is None:
            table.getparent().remove(table)
