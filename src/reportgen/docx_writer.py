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

Logging policy: a warning for a link this module refuses to write (scheme other than http, https or
mailto; the text is kept); nothing else is logged.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from copy import deepcopy
from pathlib import Path
from typing import Any

import jinja2
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

from reportgen.errors import ReportgenError
from reportgen.files import stable_zip, write_atomically
from reportgen.model import Block, Inline, Paper, PaperColumn, PaperRow, PaperSection, Progress, RichText
from reportgen.theme import CELL_MARKER, SECTION_MARKER, find_plan_rows  # the theme reads the same rows

log = logging.getLogger(__name__)

Element = Any  # lxml elements (python-docx oxml classes); lxml ships no type stubs here

NARRATIVE_MARKER = "[[NARRATIVE]]"
ROWS_MARKER = "reportgen:plan-rows"  # an XML comment where the plan rows go when the document is saved
# the column keys of the template's delivery table, in its order: a prototype cell is picked by key
TEMPLATE_COLUMN_KEYS = ("ref", "action", "status", "explanation", "timeframe", "page")
LINK_SCHEMES = ("http://", "https://", "mailto:")
DEFAULT_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAKS = re.compile(r"(\r\n|\r|\n|\t)")
_HEX_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")
_NAMESPACE_DECLARATION = re.compile(rb' xmlns(?::[A-Za-z0-9_.-]+)?="[^"]*"')


def _ordering(*names: str) -> dict[str, int]:
    return {qn(f"w:{name}"): rank for rank, name in enumerate(names)}


# schema order of the property elements this module writes into (ECMA-376 Part 1, 17.3 / 17.4)
_PPR_ORDER = _ordering(
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)
_RPR_ORDER = _ordering(
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
    "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
    "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
)
_TCPR_ORDER = _ordering(
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
    "tcPrChange",
)
_TRPR_ORDER = _ordering(
    "cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
    "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange",
)

W_P, W_R, W_T, W_TR, W_TC = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tr"), qn("w:tc")
W_PPR, W_RPR, W_TCPR, W_TRPR, W_VAL = qn("w:pPr"), qn("w:rPr"), qn("w:tcPr"), qn("w:trPr"), qn("w:val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF)."""
    return _XML_INVALID.sub("", text)


# ---------------------------------------------------------------- the stage


def write_docx(
    paper: Paper,
    template: Path,
    out: Path,
    revision_author: str = "reportgen",
    revision_date: str | None = None,
    cover_redline: Mapping[str, RichText] | None = None,
) -> None:
    """Write `paper` to `out` (.docx) laid out from `template`. Same paper and template, same bytes.

    `revision_author` and `revision_date` (ISO 8601; default: the paper's date) mark the tracked
    changes written for `Inline.change` ("ins"/"del") and `PaperRow.change` (inserted/deleted rows).
    `cover_redline` (cover-sheet label → wording with change marks) replaces those cover values with
    tracked changes (see `_Layout.mark_cover`).
    """
    template, out = Path(template), Path(out)
    if not template.is_file():
        raise ReportgenError(f"DOCX template not found: {template}")
    if not out.parent.is_dir():
        raise ReportgenError(f"cannot write {out}: no folder {out.parent}")
    stamp = paper_datetime(paper)
    document = _render_template(paper, template)
    layout = _Layout(
        document,
        author=xml_safe(revision_author),
        date=xml_safe(revision_date or stamp.strftime("%Y-%m-%dT%H:%M:%SZ")),
    )
    _drop_empty_tables(document.element.body)
    mark_draft(document, paper)
    if paper.progress is not None:
        layout.fill_progress(paper.progress)
    layout.fill_narrative(paper.narrative)
    layout.fill_plan(paper)
    if cover_redline:
        layout.mark_cover(paper, cover_redline)
    _restore_brackets(document)
    set_default_language(document, paper.language)
    _set_properties(document, paper, stamp)
    buffer = io.BytesIO()
    document.save(buffer)
    save_reproducibly(_with_rows(buffer.getvalue(), layout.plan_rows), out)


def _serialised(marker: Element, tr: Element) -> bytes:
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


def paper_datetime(paper: Paper) -> dt.datetime:
    """The fixed time stamped into the document: the paper's date at 00:00 UTC (else its period)."""
    for text, form in ((paper.date, "%d %B %Y"), (paper.date, "%Y-%m-%d"), (paper.date, "%d/%m/%Y"),
                       (paper.period, "%Y-%m")):
        with contextlib.suppress(ValueError):
            return dt.datetime.strptime(text.strip(), form).replace(tzinfo=dt.UTC)
    return DEFAULT_DATE


def save_reproducibly(data: bytes, out: Path) -> None:
    """Rewrite a zip package with fixed entry dates, then move it into place atomically."""
    write_atomically(Path(out), stable_zip(data))


def set_default_language(document: DocxDocument, language: str) -> None:
    """The document default language (styles.xml docDefaults), read by spell-check and screen readers."""
    styles = document.styles.element
    defaults = _child(styles, "w:docDefaults", first=True)
    rpr_default = _child(defaults, "w:rPrDefault", first=True)
    rpr = _child(rpr_default, "w:rPr")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = etree.Element(qn("w:lang"))
        _set_ordered(rpr, lang, _RPR_ORDER)
    lang.set(W_VAL, xml_safe(language))


# ---------------------------------------------------------------- template and package


def _finalize(value: object) -> str:
    """Every `{{ }}` value printed by the template: XML-safe text (autoescape escapes it next), with
    "[[" held as a private character until the markers are placed, so that a cover value written
    `[[NARRATIVE]]` or `[[CELL]]` stays text and is never taken for one of the template's markers."""
    return "" if value is None else xml_safe(str(value)).replace("[[", _HELD_BRACKETS)


_HELD_BRACKETS = "\ue000"  # Unicode private use: no template or value holds it (xml_safe keeps it)


def _restore_brackets(document: DocxDocument) -> None:
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        for text in element.iter(qn("w:t")):
            if text.text and _HELD_BRACKETS in text.text:
                text.text = text.text.replace(_HELD_BRACKETS, "[[")


def _render_template(paper: Paper, template: Path) -> DocxDocument:
    tpl = DocxTemplate(str(template))
    env = jinja2.Environment(autoescape=True, finalize=_finalize, undefined=jinja2.StrictUndefined)
    try:
        tpl.render({"paper": paper}, jinja_env=env, autoescape=True)
    except jinja2.TemplateSyntaxError as error:
        near = _template_text(error.source, error.lineno)
        where = f" at the text {near!r}" if near else ""
        raise ReportgenError(f"DOCX template {template} is broken{where} (line {error.lineno} of its "
                             f"document.xml): {error.message}") from error
    except jinja2.TemplateError as error:
        raise ReportgenError(f"DOCX template {template} cannot be rendered: {error}") from error
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as error:
        raise ReportgenError(f"DOCX template {template} is not a Word document: {error}") from error
    document: DocxDocument = tpl.docx
    return document


def _template_text(source: str | None, line: int) -> str:
    """The words of the template's XML line `line` (a Word document has no lines an officer can see)."""
    lines = (source or "").splitlines()
    if not 0 < line <= len(lines):
        return ""
    return " ".join(re.sub(r"<[^>]*>", " ", lines[line - 1]).split())[:200]


def mark_draft(document: DocxDocument, paper: Paper) -> None:
    """While anything blocks publication, every page header carries `paper.draft_marking` and the issues
    open the document, even from a template restyled before it had places for them (ours has).

    Headers are read through the document's relationships: docxtpl puts each rendered header in a new
    part there, which python-docx's `section.header` does not see.
    """
    if not paper.draft_marking:
        return
    marking = xml_safe(paper.draft_marking)
    rels = document.part.rels
    for reference in document.element.body.iter(qn("w:headerReference")):
        part = rels[reference.get(qn("r:id"))].target_part
        header = getattr(part, "element", None)
        if header is None or marking in _text_of(header):
            continue
        header.insert(0, _marking_paragraph(marking))
    if paper.blocking and not any(paper.blocking[0] in p.text for p in document.paragraphs):
        body = document.element.body
        for line in reversed((marking, *(f"• {xml_safe(item)}" for item in paper.blocking))):
            body.insert(0, _marking_paragraph(line, bold=line == marking))


def _marking_paragraph(text: str, bold: bool = True) -> Element:
    """A centred paragraph in dark red (5.9:1 on white) holding `text`."""
    paragraph = etree.Element(W_P)
    p_pr = etree.SubElement(paragraph, W_PPR)
    etree.SubElement(p_pr, qn("w:jc")).set(W_VAL, "center" if bold else "left")
    run = etree.SubElement(paragraph, W_R)
    r_pr = etree.SubElement(run, W_RPR)
    if bold:
        etree.SubElement(r_pr, qn("w:b"))
    etree.SubElement(r_pr, qn("w:color")).set(W_VAL, "C00000")
    _add_text(run, text)
    return paragraph


def _set_properties(document: DocxDocument, paper: Paper, stamp: dt.datetime) -> None:
    props = document.core_properties
    props.title = _property(paper.title)
    props.subject = _property(paper.subtitle)
    props.language = _property(paper.language)
    props.author = props.last_modified_by = _property(paper.author)
    props.keywords = props.comments = ""
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1


def _property(text: str) -> str:
    """A document property: Word (and python-docx) hold at most 255 characters; the page keeps them all."""
    text = xml_safe(text)
    return text if len(text) <= 255 else text[:254] + "…"


def _drop_empty_tables(body: Element) -> None:
    """A cover sheet with no rows leaves a table without rows, which Word reports as corrupt."""
    for table in list(body.iter(qn("w:tbl"))):
        if table.find(W_TR) is None:
            table.getparent().remove(table)


# ---------------------------------------------------------------- xml helpers


def _child(parent: Element, tag: str, first: bool = False) -> Element:
    element = parent.find(qn(tag))
    if element is None:
        element = etree.Element(qn(tag))
        if first:
            parent.insert(0, element)
        else:
            parent.append(element)
    return element


def _set_ordered(parent: Element, child: Element, order: dict[str, int]) -> Element:
    """Put `child` in `parent` at its schema position, replacing an element of the same tag."""
    existing = parent.find(child.tag)
    if existing is not None:
        parent.replace(existing, child)
        return child
    rank = order.get(child.tag, len(order))
    for sibling in parent:
        if order.get(sibling.tag, -1) > rank:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def _flag(tag: str, value: str | None = None) -> Element:
    element = etree.Element(qn(tag))
    if value is not None:
        element.set(W_VAL, value)
    return element


def _text_of(element: Element) -> str:
    return "".join(t.text or "" for t in element.iter(W_T))


def _add_text(run: Element, text: str, deleted: bool = False) -> None:
    """Text into a run: newlines become w:br, tabs w:tab; deleted text uses w:delText."""
    tag = qn("w:delText") if deleted else W_T
    for piece in _BREAKS.split(text):
        if not piece:
            continue
        if piece == "\t":
            etree.SubElement(run, qn("w:tab"))
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(run, qn("w:br"))
        else:
            node = etree.SubElement(run, tag)
            node.text = piece
            node.set(XML_SPACE, "preserve")


def _shade(tc_pr: Element, fill: str | None) -> None:
    if fill is None:
        existing = tc_pr.find(qn("w:shd"))
        if existing is not None:
            tc_pr.remove(existing)
        return
    shd = etree.Element(qn("w:shd"))
    shd.set(W_VAL, "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.upper())
    _set_ordered(tc_pr, shd, _TCPR_ORDER)


@dataclasses.dataclass
class _CellProto:
    """What a prototype cell lends every clone: cell, paragraph and run properties."""

    tc_pr: Element
    p_pr: Element | None
    r_pr: Element | None

    @classmethod
    def of(cls, tc: Element) -> _CellProto:
        tc_pr = tc.find(W_TCPR)
        paragraph = tc.find(W_P)
        p_pr = paragraph.find(W_PPR) if paragraph is not None else None
        r_pr = None
        for run in tc.iter(W_R):
            if run.find(W_T) is not None:
                r_pr = run.find(W_RPR)
                break
        # copies: the prototype rows are removed from the table once the clones are built
        return cls(deepcopy(tc_pr) if tc_pr is not None else etree.Element(W_TCPR),
                   deepcopy(p_pr) if p_pr is not None else None,
                   deepcopy(r_pr) if r_pr is not None else None)

    def sized(self, width: int, span: int = 1) -> _CellProto:
        tc_pr = deepcopy(self.tc_pr)
        tc_w = etree.Element(qn("w:tcW"))
        tc_w.set(qn("w:w"), str(width))
        tc_w.set(qn("w:type"), "dxa")
        _set_ordered(tc_pr, tc_w, _TCPR_ORDER)
        for tag in ("w:gridSpan", "w:hMerge", "w:vMerge"):
            existing = tc_pr.find(qn(tag))
            if existing is not None:
                tc_pr.remove(existing)
        if span > 1:
            _set_ordered(tc_pr, _flag("w:gridSpan", str(span)), _TCPR_ORDER)
        return _CellProto(tc_pr, self.p_pr, self.r_pr)


# ---------------------------------------------------------------- layout


class _Layout:
    """Writes blocks, runs, links and rows into one rendered document; holds the per-document caches."""

    def __init__(self, document: DocxDocument, author: str, date: str) -> None:
        self.document = document
        self.part = document.part
        self.author, self.date = author, date
        self.style_ids: dict[str, str | None] = {}
        self.link_ids: dict[str, str] = {}
        for rel_id, rel in self.part.rels.items():
            if rel.is_external and rel.reltype == RT.HYPERLINK:
                self.link_ids.setdefault(rel.target_ref, rel_id)
        self.used_rel_ids = set(self.part.rels)
        self.next_rel = len(self.used_rel_ids) + 1
        body = document.element.body
        ids = [int(v) for v in body.xpath("//@w:id") if str(v).isdigit()]
        self.next_change_id = max(ids, default=0) + 1
        self.plan_rows: list[bytes] = []  # the delivery-plan rows, as XML: see _serialised
        self.numbering: Element | None = None
        self.number_abstract: str | None = None
        self.next_num_id = 0
        self._init_numbering()

    # -- styles, links, numbering

    def style_id(self, name: str) -> str | None:
        if name not in self.style_ids:
            try:
                self.style_ids[name] = self.document.styles[name].style_id
            except KeyError:
                self.style_ids[name] = None
        return self.style_ids[name]

    def link_id(self, url: str) -> str:
        """One external relationship per URL, created once (python-docx's relate_to rescans all rels)."""
        rel_id = self.link_ids.get(url)
        if rel_id is None:
            while f"rId{self.next_rel}" in self.used_rel_ids:
                self.next_rel += 1
            rel_id = f"rId{self.next_rel}"
            self.used_rel_ids.add(rel_id)
            self.part.rels.add_relationship(RT.HYPERLINK, url, rel_id, is_external=True)
            self.link_ids[url] = rel_id
        return rel_id

    def _init_numbering(self) -> None:
        style_id = self.style_id("List Number")
        if style_id is None:
            return
        style = self.document.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
        num_id = style.find(f"{W_PPR}/{qn('w:numPr')}/{qn('w:numId')}") if style is not None else None
        if num_id is None:
            return
        numbering = self.part.numbering_part.element
        nums = numbering.findall(qn("w:num"))
        for num in nums:
            if num.get(qn("w:numId")) == num_id.get(W_VAL):
                abstract = num.find(qn("w:abstractNumId"))
                self.number_abstract = abstract.get(W_VAL) if abstract is not None else None
        self.numbering = numbering
        self.next_num_id = max((int(n.get(qn("w:numId"), "0")) for n in nums), default=0) + 1

    def restart_numbering(self) -> str | None:
        """A new w:num on the List Number definition starting at 1: each numbered list counts from 1."""
        if self.numbering is None or self.number_abstract is None:
            return None
        num_id = str(self.next_num_id)
        self.next_num_id += 1
        num = etree.Element(qn("w:num"))
        num.set(qn("w:numId"), num_id)
        etree.SubElement(num, qn("w:abstractNumId")).set(W_VAL, self.number_abstract)
        override = etree.SubElement(num, qn("w:lvlOverride"))
        override.set(qn("w:ilvl"), "0")
        etree.SubElement(override, qn("w:startOverride")).set(W_VAL, "1")
        cleanup = self.numbering.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            self.numbering.append(num)
        return num_id

    # -- paragraphs and runs

    def blocks(self, blocks: RichText, p_pr: Element | None, r_pr: Element | None,
               in_cell: bool) -> list[Element]:
        paragraphs = []
        num_id: str | None = None
        previous = ""
        for block in blocks:
            if block.kind == "number" and previous != "number":
                num_id = self.restart_numbering()
            previous = block.kind
            paragraphs.append(self.block(block, p_pr, r_pr, in_cell, num_id))
        return paragraphs

    def block(self, block: Block, p_pr: Element | None, r_pr: Element | None, in_cell: bool,
              num_id: str | None = None) -> Element:
        inlines: Iterable[Inline] = block.inlines
        level = min(max(block.level, 1), 3)
        style: str | None = None
        if block.kind == "heading" and in_cell:
            # a heading style inside a cell would pollute the document outline: bold text instead
            inlines = [dataclasses.replace(inline, bold=True) for inline in block.inlines]
        elif block.kind == "heading":
            style = f"Heading {level}"
        elif block.kind in ("bullet", "number"):
            base = "List Bullet" if block.kind == "bullet" else "List Number"
            style = f"{base} {level}" if level > 1 and self.style_id(f"{base} {level}") else base
        own_props = block.kind == "paragraph" or (in_cell and block.kind == "heading")
        paragraph = self.paragraph(p_pr if own_props else None, style)
        if block.kind == "number" and num_id is not None and level == 1:
            p_props = _child(paragraph, "w:pPr", first=True)
            num_pr = etree.Element(qn("w:numPr"))
            etree.SubElement(num_pr, qn("w:ilvl")).set(W_VAL, "0")
            etree.SubElement(num_pr, qn("w:numId")).set(W_VAL, num_id)
            _set_ordered(p_props, num_pr, _PPR_ORDER)
        if block.kind in ("bullet", "number") and self.style_id(style or "") is None:
            inlines = [Inline("• " if block.kind == "bullet" else "– "), *inlines]
        self.inlines(paragraph, inlines, r_pr)
        return paragraph

    def paragraph(self, p_pr: Element | None, style: str | None = None) -> Element:
        paragraph = etree.Element(W_P)
        props = deepcopy(p_pr) if p_pr is not None else etree.Element(W_PPR)
        style_id = self.style_id(style) if style else None
        if style_id is not None:
            _set_ordered(props, _flag("w:pStyle", style_id), _PPR_ORDER)
        elif style is not None:
            existing = props.find(qn("w:pStyle"))
            if existing is not None:
                props.remove(existing)
        if len(props):
            paragraph.append(props)
        return paragraph

    def text_paragraphs(self, text: str, proto: _CellProto, char_style: str | None = None) -> list[Element]:
        paragraphs = []
        for line in xml_safe(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            paragraph = self.paragraph(proto.p_pr)
            if line:
                self.run(paragraph, Inline(line), proto.r_pr, char_style)
            paragraphs.append(paragraph)
        return paragraphs

    def inlines(self, paragraph: Element, inlines: Iterable[Inline], r_pr: Element | None) -> None:
        for inline in inlines:
            self.run(paragraph, inline, r_pr)

    def run(self, paragraph: Element, inline: Inline, r_pr: Element | None,
            char_style: str | None = None) -> None:
        text = xml_safe(inline.text)
        if not text:
            return
        parent = paragraph
        url = _link_target(inline.href)
        if url is not None:
            parent = etree.SubElement(parent, qn("w:hyperlink"))
            parent.set(qn("r:id"), self.link_id(url))
            parent.set(qn("w:history"), "1")
        if inline.change in ("ins", "del"):
            mark = self.change_mark(inline.change)
            parent.append(mark)
            parent = mark
        run = etree.SubElement(parent, W_R)
        props = self.run_props(inline, r_pr, "Hyperlink" if url is not None else char_style)
        if props is not None and len(props):
            run.append(props)
        _add_text(run, text, deleted=inline.change == "del")

    def change_mark(self, change: str) -> Element:
        """A w:ins or w:del element with the next revision id, the author and the date."""
        mark = etree.Element(qn(f"w:{change}"))
        mark.set(qn("w:id"), str(self.next_change_id))
        mark.set(qn("w:author"), self.author)
        mark.set(qn("w:date"), self.date)
        self.next_change_id += 1
        return mark

    def run_props(self, inline: Inline, r_pr: Element | None, char_style: str | None) -> Element | None:
        if r_pr is None and char_style is None and not (inline.bold or inline.italic or inline.underline):
            return None  # the common case: nothing to say, no element to build
        props = deepcopy(r_pr) if r_pr is not None else etree.Element(W_RPR)
        if char_style is not None:
            style_id = self.style_id(char_style)
            if style_id is not None:
                _set_ordered(props, _flag("w:rStyle", style_id), _RPR_ORDER)
            elif char_style == "Hyperlink":  # template lacks the style: keep links visible anyway
                _set_ordered(props, _flag("w:color", "0563C1"), _RPR_ORDER)
                _set_ordered(props, _flag("w:u", "single"), _RPR_ORDER)
            else:
                _set_ordered(props, _flag("w:i"), _RPR_ORDER)
        if inline.bold:
            _set_ordered(props, _flag("w:b"), _RPR_ORDER)
        if inline.italic:
            _set_ordered(props, _flag("w:i"), _RPR_ORDER)
        if inline.underline:
            _set_ordered(props, _flag("w:u", "single"), _RPR_ORDER)
        return props

    # -- narrative

    def fill_progress(self, progress: Progress) -> None:
        """Progress over time, placed right after the narrative (see reportgen.docx_progress)."""
        from reportgen.docx_progress import add_progress  # it imports this module

        marker = next((p for p in self.document.element.body.iter(W_P) if _text_of(p).strip() == NARRATIVE_MARKER),
                      None)
        if marker is None:
            raise ReportgenError(f"the DOCX template has no paragraph holding exactly {NARRATIVE_MARKER}")
        add_progress(self.document, marker, progress, lambda block: self.block(block, None, None, in_cell=False),
                     lambda name: self.style_id(name) is not None)

    def fill_narrative(self, narrative: RichText) -> None:
        body = self.document.element.body
        marker = next((p for p in body.iter(W_P) if _text_of(p).strip() == NARRATIVE_MARKER), None)
        if marker is None:
            raise ReportgenError(f"the DOCX template has no paragraph holding exactly {NARRATIVE_MARKER}")
        marker_props = marker.find(W_PPR)
        p_pr = deepcopy(marker_props) if marker_props is not None else None
        if p_pr is not None and p_pr.find(qn("w:sectPr")) is not None:
            p_pr.remove(p_pr.find(qn("w:sectPr")))
        for paragraph in self.blocks(narrative, p_pr, None, in_cell=False):
            marker.addprevious(paragraph)
        if marker_props is not None and marker_props.find(qn("w:sectPr")) is not None:
            for child in [c for c in marker if c.tag != W_PPR]:
                marker.remove(child)  # it ends a page section: keep the paragraph, drop the marker text
        else:
            marker.getparent().remove(marker)

    # -- cover sheet

    def mark_cover(self, paper: Paper, redline: Mapping[str, RichText]) -> list[str]:
        """Put the tracked wording of each cover row in `redline` in place of its value; the labels marked.

        The cover row is the table row whose first cell reads the label and whose last cell reads the
        paper's value (spacing aside), as the template's `{%tr for row in paper.cover %}` lays it out;
        its first paragraph and run lend their formatting. A restyled template that lays the cover out
        otherwise keeps the new value, untracked (diff.html and diff.json still list the change).
        """
        values = {row.label: " ".join(xml_safe(row.value).split()) for row in paper.cover}
        marked: list[str] = []
        for tr in self.document.element.body.iter(W_TR):
            cells = tr.findall(W_TC)
            label = _text_of(cells[0]).strip() if len(cells) >= 2 else ""
            if label not in redline or label in marked or label not in values:
                continue
            target = cells[-1]
            if " ".join(_text_of(target).split()) != values[label]:
                continue
            paragraphs = target.findall(W_P)
            run = paragraphs[0].find(f".//{W_R}") if paragraphs else None
            p_pr = paragraphs[0].find(W_PPR) if paragraphs else None
            r_pr = run.find(W_RPR) if run is not None else None
            for paragraph in paragraphs:
                target.remove(paragraph)
            for paragraph in self.blocks(redline[label], p_pr, r_pr, in_cell=True):
                target.append(paragraph)
            marked.append(label)
        return marked

    # -- delivery plan table

    def fill_plan(self, paper: Paper) -> None:
        plan = _PlanTable.find(self.document.element.body)
        columns = paper.columns
        widths = plan.column_widths(columns)
        plan.write_grid(widths)
        cells = [plan.cell_proto(plan.action, c.key).sized(width) for c, width in zip(columns, widths)]
        total = sum(widths)
        section_protos = {level: plan.section_proto(level, total, len(columns)) for level in (1, 2)}
        colours = {key: fill for key, fill in paper.status_colours if _HEX_COLOUR.fullmatch(fill)}
        action_props = plan.action_row_props
        marker = plan.replace_rows()
        if plan.header is not None:
            header_cells = [plan.cell_proto(plan.header, c.key).sized(w) for c, w in zip(columns, widths)]
            self.plan_rows.append(_serialised(marker, self.header_row(plan.header, columns, header_cells)))
        for section in paper.sections:
            if section.heading:
                row_props = plan.section_row_props(section.level)
                self.plan_rows.append(_serialised(marker, self.section_row(section, row_props, section_protos)))
            for row in section.rows:
                self.plan_rows.append(_serialised(marker, self.action_row(row, columns, cells, action_props, colours)))

    def header_row(self, template_row: Element, columns: Sequence[PaperColumn],
                   cells: list[_CellProto]) -> Element:
        tr = etree.Element(W_TR)
        template_props = template_row.find(W_TRPR)
        tr_pr = deepcopy(template_props) if template_props is not None else etree.Element(W_TRPR)
        _set_ordered(tr_pr, _flag("w:cantSplit"), _TRPR_ORDER)
        _set_ordered(tr_pr, _flag("w:tblHeader"), _TRPR_ORDER)
        tr.append(tr_pr)
        for column, proto in zip(columns, cells):
            tc = etree.SubElement(tr, W_TC)
            tc.append(deepcopy(proto.tc_pr))
            tc.extend(self.text_paragraphs(column.heading, proto))
        return tr

    def section_row(self, section: PaperSection, tr_pr: Element, protos: dict[int, _CellProto]) -> Element:
        proto = protos[1 if section.level <= 1 else 2]
        tr = etree.Element(W_TR)
        tr.append(deepcopy(tr_pr))
        tc = etree.SubElement(tr, W_TC)
        tc.append(deepcopy(proto.tc_pr))
        tc.extend(self.text_paragraphs(section.heading, proto))
        return tr

    def action_row(self, row: PaperRow, columns: Sequence[PaperColumn], cells: list[_CellProto],
                   tr_pr: Element, colours: dict[str, str]) -> Element:
        by_key = {cell.key: cell for cell in row.cells}
        tr = etree.Element(W_TR)
        tr.append(deepcopy(tr_pr))
        if row.change in ("ins", "del"):  # a draft comparison: the whole row added or withdrawn
            _set_ordered(tr[0], self.change_mark(row.change), _TRPR_ORDER)
        for column, proto in zip(columns, cells):
            tc = etree.SubElement(tr, W_TC)
            tc_pr = deepcopy(proto.tc_pr)
            tc.append(tc_pr)
            if column.key == "status":
                if row.status_class in colours:
                    _shade(tc_pr, colours[row.status_class])
                status = by_key.get("status")
                if status is not None and status.rich:  # a draft comparison: the label as tracked changes
                    tc.extend(self.blocks(status.rich, proto.p_pr, proto.r_pr, in_cell=True))
                else:
                    tc.extend(self.text_paragraphs(row.status_label, proto))
                if row.note:
                    tc.extend(self.text_paragraphs(row.note, proto, char_style="Status Note"))
                if row.movement:
                    tc.extend(self.text_paragraphs(row.movement, proto, char_style="Status Note"))
                continue
            cell = by_key.get(column.key)
            if cell is not None and cell.rich:
                paragraphs = self.blocks(cell.rich, proto.p_pr, proto.r_pr, in_cell=True)
                tc.extend(paragraphs or [self.paragraph(proto.p_pr)])  # a cell needs one paragraph
            else:
                tc.extend(self.text_paragraphs(cell.text if cell is not None else "", proto))
        return tr


def _link_target(href: str | None) -> str | None:
    if not href:
        return None
    url = xml_safe(href).strip()
    if url.lower().startswith(LINK_SCHEMES):
        return url
    log.warning("link not written (only http, https and mailto links are): %r", url)
    return None


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
            raise ReportgenError(f"the DOCX template has no delivery-plan table (a row of {CELL_MARKER} cells)")
        table, header, section, subsection, action = found
        if section is None:
            raise ReportgenError(f"the DOCX template's delivery-plan table has no {SECTION_MARKER} row")
        return cls(table, header, section, subsection, action)

    @property
    def action_row_props(self) -> Element:
        tr_pr = self.action.find(W_TRPR)
        tr_pr = deepcopy(tr_pr) if tr_pr is not None else etree.Element(W_TRPR)
        _set_ordered(tr_pr, _flag("w:cantSplit"), _TRPR_ORDER)
        return tr_pr

    def section_row_props(self, level: int) -> Element:
        row = self.subsection if level > 1 and self.subsection is not None else self.section
        tr_pr = row.find(W_TRPR)
        tr_pr = deepcopy(tr_pr) if tr_pr is not None else etree.Element(W_TRPR)
        _set_ordered(tr_pr, _flag("w:cantSplit"), _TRPR_ORDER)
        return tr_pr

    def section_proto(self, level: int, total: int, span: int) -> _CellProto:
        """Level 2 uses the [[SUBSECTION]] row; without one, the section row unshaded."""
        row = self.subsection if level > 1 and self.subsection is not None else self.section
        proto = _CellProto.of(row.find(W_TC)).sized(total, span)
        if level > 1 and self.subsection is None:
            _shade(proto.tc_pr, None)
        return proto

    def cell_proto(self, row: Element, key: str) -> _CellProto:
        tcs = row.findall(W_TC)
        if len(tcs) == len(TEMPLATE_COLUMN_KEYS) and key in TEMPLATE_COLUMN_KEYS:
            return _CellProto.of(tcs[TEMPLATE_COLUMN_KEYS.index(key)])
        return _CellProto.of(tcs[1] if len(tcs) > 1 else tcs[0])  # the "action" cell: plain text

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
