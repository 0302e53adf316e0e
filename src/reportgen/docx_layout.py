"""Blocks, paragraphs, runs, links and tracked changes written into one rendered Word document.

`Layout` holds the per-document caches (style ids, link relationships, list numbering, revision ids)
and places the Paper's rich text: the narrative, the cover sheet's tracked wording in a comparison,
and the cells of the plan table (`reportgen.docx_plan`). It decides no content; a link is written
only when the link policy (`reportgen.richtext.safe_href`) accepts it.

Logging policy: a warning for a link refused by the policy (the text is kept); nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from copy import deepcopy

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from reportgen.docx_progress import add_progress
from reportgen.docx_xml import (
    PPR_ORDER,
    RPR_ORDER,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_TC,
    W_TR,
    W_VAL,
    CellProto,
    Element,
    add_text,
    child,
    flag,
    set_ordered,
    text_of,
    xml_safe,
)
from reportgen.errors import ReportgenError
from reportgen.model import Block, Inline, Paper, Progress, RichText, in_cell
from reportgen.richtext import safe_href

log = logging.getLogger(__name__)

NARRATIVE_MARKER = "[[NARRATIVE]]"


class Layout:
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

    def blocks(self, blocks: RichText, p_pr: Element | None, r_pr: Element | None) -> list[Element]:
        """Paragraphs for `blocks`; a paragraph block takes `p_pr`, headings and list items their styles.
        In a table cell, pass the cell's blocks as the Paper gives them (`PaperCell.blocks`: no headings)."""
        paragraphs = []
        num_id: str | None = None
        previous = ""
        for block in blocks:
            if block.kind == "number" and previous != "number":
                num_id = self.restart_numbering()
            previous = block.kind
            paragraphs.append(self.block(block, p_pr, r_pr, num_id))
        return paragraphs

    def block(self, block: Block, p_pr: Element | None, r_pr: Element | None, num_id: str | None = None
              ) -> Element:
        inlines: Iterable[Inline] = block.inlines
        level = min(max(block.level, 1), 3)
        style: str | None = None
        if block.kind == "heading":
            style = f"Heading {level}"
        elif block.kind in ("bullet", "number"):
            base = "List Bullet" if block.kind == "bullet" else "List Number"
            style = f"{base} {level}" if level > 1 and self.style_id(f"{base} {level}") else base
        paragraph = self.paragraph(p_pr if block.kind == "paragraph" else None, style)
        if block.kind == "number" and num_id is not None and level == 1:
            p_props = child(paragraph, "w:pPr", first=True)
            num_pr = etree.Element(qn("w:numPr"))
            etree.SubElement(num_pr, qn("w:ilvl")).set(W_VAL, "0")
            etree.SubElement(num_pr, qn("w:numId")).set(W_VAL, num_id)
            set_ordered(p_props, num_pr, PPR_ORDER)
        if block.kind in ("bullet", "number") and self.style_id(style or "") is None:
            inlines = [Inline("• " if block.kind == "bullet" else "– "), *inlines]
        self.inlines(paragraph, inlines, r_pr)
        return paragraph

    def paragraph(self, p_pr: Element | None, style: str | None = None) -> Element:
        paragraph = etree.Element(W_P)
        props = deepcopy(p_pr) if p_pr is not None else etree.Element(W_PPR)
        style_id = self.style_id(style) if style else None
        if style_id is not None:
            set_ordered(props, flag("w:pStyle", style_id), PPR_ORDER)
        elif style is not None:
            existing = props.find(qn("w:pStyle"))
            if existing is not None:
                props.remove(existing)
        if len(props):
            paragraph.append(props)
        return paragraph

    def text_paragraphs(self, text: str, proto: CellProto, char_style: str | None = None) -> list[Element]:
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
        url = link_target(inline.href)
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
        add_text(run, text, deleted=inline.change == "del")

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
                set_ordered(props, flag("w:rStyle", style_id), RPR_ORDER)
            elif char_style == "Hyperlink":  # template lacks the style: keep links visible anyway
                set_ordered(props, flag("w:color", "0563C1"), RPR_ORDER)
                set_ordered(props, flag("w:u", "single"), RPR_ORDER)
            else:
                set_ordered(props, flag("w:i"), RPR_ORDER)
        if inline.bold:
            set_ordered(props, flag("w:b"), RPR_ORDER)
        if inline.italic:
            set_ordered(props, flag("w:i"), RPR_ORDER)
        if inline.underline:
            set_ordered(props, flag("w:u", "single"), RPR_ORDER)
        return props

    # -- narrative

    def fill_progress(self, progress: Progress) -> None:
        """Progress over time, placed right after the narrative (see reportgen.docx_progress)."""
        marker = next((p for p in self.document.element.body.iter(W_P) if text_of(p).strip() == NARRATIVE_MARKER),
                      None)
        if marker is None:
            raise ReportgenError(f"the DOCX template has no paragraph holding exactly {NARRATIVE_MARKER}")
        add_progress(self.document, marker, progress, lambda block: self.block(block, None, None),
                     lambda name: self.style_id(name) is not None)

    def fill_narrative(self, narrative: RichText) -> None:
        body = self.document.element.body
        marker = next((p for p in body.iter(W_P) if text_of(p).strip() == NARRATIVE_MARKER), None)
        if marker is None:
            raise ReportgenError(f"the DOCX template has no paragraph holding exactly {NARRATIVE_MARKER}")
        marker_props = marker.find(W_PPR)
        p_pr = deepcopy(marker_props) if marker_props is not None else None
        if p_pr is not None and p_pr.find(qn("w:sectPr")) is not None:
            p_pr.remove(p_pr.find(qn("w:sectPr")))
        for paragraph in self.blocks(narrative, p_pr, None):
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
            label = text_of(cells[0]).strip() if len(cells) >= 2 else ""
            if label not in redline or label in marked or label not in values:
                continue
            target = cells[-1]
            if " ".join(text_of(target).split()) != values[label]:
                continue
            paragraphs = target.findall(W_P)
            run = paragraphs[0].find(f".//{W_R}") if paragraphs else None
            p_pr = paragraphs[0].find(W_PPR) if paragraphs else None
            r_pr = run.find(W_RPR) if run is not None else None
            for paragraph in paragraphs:
                target.remove(paragraph)
            for paragraph in self.blocks(tuple(in_cell(block) for block in redline[label]), p_pr, r_pr):
                target.append(paragraph)
            marked.append(label)
        return marked

    # -- delivery plan table


def link_target(href: str | None) -> str | None:
    """The URL a run links to: the link policy's answer; a refused link is logged and its text kept."""
    if not href:
        return None
    url = safe_href(href)
    if url is None:
        log.warning("link not written (only http, https and mailto links are): %r", xml_safe(href).strip())
    return url
