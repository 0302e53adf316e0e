"""Blocks, paragraphs, runs, links and tracked changes written into one rendered Word document.

`Layout` holds the per-document caches (style ids, link relationships, list numbering, revision ids)
and turns the Paper's rich text into paragraphs and runs for `reportgen.render.docx.front` (narrative,
progress, cover) and `reportgen.render.docx.plan` (the plan table's cells). It decides no content; a link is written
only when the link policy (`reportgen.read.richtext.safe_href`) accepts it.

Logging policy: a warning for a link refused by the policy (the text is kept); nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.parts.hdrftr import HeaderPart
from lxml import etree

from reportgen.model import Block, Inline, RichText, list_starts, tracked_mark
from reportgen.read.richtext import safe_href
from reportgen.render.docx.xml import (
    PPR_ORDER,
    RPR_ORDER,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_VAL,
    CellProto,
    Element,
    add_text,
    child,
    find_style,
    flag,
    set_ordered,
    xml_safe,
)
from reportgen.wording import quoted

log = logging.getLogger(__name__)


def page_headers(document: DocxDocument, kind: str = "header") -> list[Element]:
    """The root element of each page header (`kind` "footer": footer) the document's sections refer to, once each.

    Read through the document's relationships: docxtpl puts each rendered header in a new part
    there, which python-docx's `section.header` does not see.
    """
    headers: dict[int, Element] = {}
    rels = document.part.rels
    for reference in document.element.body.iter(qn(f"w:{kind}Reference")):
        header = getattr(rels[reference.get(qn("r:id"))].target_part, "element", None)
        if header is not None:
            headers.setdefault(id(header), header)
    return list(headers.values())


def own_headers(document: DocxDocument) -> None:
    """Give each section a header part of its own where it inherits the one before's (the landscape plan
    pages take the cover's): LibreOffice shows a tracked change in an inherited header as plain text, so a
    comparison's deleted draft marking would read as still there on every page but the first. Each copy
    is a part of its own, as Word itself makes them, so `page_headers` finds and marks it like the first."""
    rels = document.part.rels
    current: dict[str, Element] = {}  # header type → the reference in force
    for section in document.element.body.xpath("./w:p/w:pPr/w:sectPr | ./w:sectPr"):  # in the document's order
        own = {reference.get(qn("w:type"), "default"): reference
               for reference in section.findall(qn("w:headerReference"))}
        for kind, reference in current.items():
            if kind not in own:
                copy = _copied_header(document, rels[reference.get(qn("r:id"))].target_part)
                added = etree.Element(qn("w:headerReference"))
                added.set(qn("w:type"), kind)
                added.set(qn("r:id"), document.part.relate_to(copy, RT.HEADER))
                section.insert(0, added)  # references come first in a section's properties
                own[kind] = added
        current.update(own)


def _copied_header(document: DocxDocument, source: object) -> HeaderPart:
    """A new header part holding a copy of `source`'s XML and relating to what it relates to (a logo)."""
    package = document.part.package
    copy = HeaderPart(package.next_partname("/word/header%d.xml"), CT.WML_HEADER,
                      deepcopy(source.element), package)  # type: ignore[attr-defined]
    for rel_id, rel in source.rels.items():  # type: ignore[attr-defined]
        if rel.is_external:
            copy.rels.add_relationship(rel.reltype, rel.target_ref, rel_id, is_external=True)
        else:
            copy.rels.add_relationship(rel.reltype, rel.target_part, rel_id)
    return copy


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
        self.next_rel = len(self.part.rels) + 1
        body = document.element.body
        ids = [int(v) for v in body.xpath("//@w:id") if str(v).isdigit()]
        self.next_change_id = max(ids, default=0) + 1
        self.numbering = _Numbering.of(document, {level: self.style_id(self.list_style("number", level))
                                                  for level in (1, 2, 3)})

    # -- styles, links, numbering

    def style_id(self, name: str) -> str | None:
        if name not in self.style_ids:
            style = find_style(self.document, name)
            self.style_ids[name] = style.style_id if style is not None else None
        return self.style_ids[name]

    def list_style(self, kind: str, level: int) -> str:
        """The style of a list item of `kind` at `level`: "List Number 2" for a second-level numbered item, when
        the template has it, else the first level's."""
        base = "List Bullet" if kind == "bullet" else "List Number"
        return f"{base} {level}" if level > 1 and self.style_id(f"{base} {level}") else base

    def link_id(self, url: str) -> str:
        """One external relationship per URL, created once (python-docx's relate_to rescans all rels).

        The id is checked against the part's relationships as they are now: a picture added since
        (python-docx numbers its relationship itself) must not have its id taken (and its image lost).
        """
        rel_id = self.link_ids.get(url)
        if rel_id is None:
            while f"rId{self.next_rel}" in self.part.rels:
                self.next_rel += 1
            rel_id = f"rId{self.next_rel}"
            self.part.rels.add_relationship(RT.HYPERLINK, url, rel_id, is_external=True)
            self.link_ids[url] = rel_id
        return rel_id

    # -- paragraphs and runs

    def blocks(self, blocks: RichText, p_pr: Element | None, r_pr: Element | None) -> list[Element]:
        """Paragraphs for `blocks`; a paragraph block takes `p_pr`, headings and list items their styles.
        In a table cell, pass the cell's blocks as the Paper gives them (`PaperCell.blocks`: no headings)."""
        paragraphs = []
        num_ids: dict[int, str | None] = {}  # the w:num of the numbered list open at each level
        for block, start in zip(blocks, list_starts(blocks), strict=True):
            level = _list_level(block)
            if block.kind == "number" and start is not None:
                num_ids[level] = self.numbering.restart(level, start) if self.numbering is not None else None
            num_id = num_ids.get(level) if block.kind == "number" else None
            paragraphs.append(self.block(block, p_pr, r_pr, num_id))
        return paragraphs

    def tracked_blocks(self, blocks: RichText, p_pr: Element | None, r_pr: Element | None,
                       fixed_last: bool = False) -> list[Element]:
        """Paragraphs for `blocks` (`blocks`); in a comparison, the paragraph mark of a block only one draft
        has (every word inserted, or deleted: `whole_change`) is tracked with its words, and so is the mark of a
        paragraph end only one draft has (`reportgen.model.tracked_mark`: a line break added or taken out).

        With `fixed_last` (a table cell, whose last paragraph mark Word and LibreOffice never remove), blocks
        one draft has at the end are tracked by the mark before them instead, and the last paragraph's
        properties by a w:pPrChange, so that rejecting (accepting) every change leaves no empty bullet: the
        paragraph left takes the properties of the one before the run."""
        marked = [tracked_mark(block) for block in blocks]  # a paragraph end only one draft has: its own mark
        blocks = tuple(block for block, _ in marked)
        paragraphs = self.blocks(blocks, p_pr, r_pr)
        changes = [mark or whole_change(block) for block, mark in marked]
        start = len(blocks)  # where the run of blocks with the last one's change starts
        while fixed_last and start > 0 and changes[start - 1] is not None and changes[start - 1] == changes[-1]:
            start -= 1
        moved = fixed_last and 0 < start < len(blocks) and changes[start - 1] is None
        for index, (change, paragraph) in enumerate(zip(changes, paragraphs)):
            if change is not None and not (moved and index == len(blocks) - 1):
                self.mark_paragraph(paragraph, change)
        if moved:
            change = changes[-1]
            assert change is not None
            self.mark_paragraph(paragraphs[start - 1], change)
            self.track_properties(paragraphs[-1], paragraphs[start - 1], change)
        return paragraphs

    def track_properties(self, last: Element, before: Element, change: str) -> None:
        """`last` (a cell's last paragraph, ending a run of blocks `change`d whole) merged with `before` when
        the run goes: inserted, its properties were `before`'s; deleted, they become `before`'s."""
        def plain(paragraph: Element) -> Element:
            props = deepcopy(paragraph.find(W_PPR)) if paragraph.find(W_PPR) is not None else etree.Element(W_PPR)
            for tag in ("w:rPr", "w:sectPr", "w:pPrChange"):
                for found in props.findall(qn(tag)):
                    props.remove(found)
            return props

        own, merged = plain(last), plain(before)
        was = merged if change == "ins" else own
        p_pr = last.find(W_PPR)
        mark_props = p_pr.find(W_RPR) if p_pr is not None else None
        if change == "del":  # shown with the properties it will have once the run is gone
            if p_pr is not None:
                last.remove(p_pr)
            p_pr = merged
            last.insert(0, p_pr)
            if mark_props is not None:
                p_pr.append(mark_props)
        elif p_pr is None:
            p_pr = etree.Element(W_PPR)
            last.insert(0, p_pr)
        history = etree.SubElement(p_pr, qn("w:pPrChange"))
        history.set(qn("w:id"), str(self.next_change_id))
        history.set(qn("w:author"), self.author)
        history.set(qn("w:date"), self.date)
        self.next_change_id += 1
        history.append(was)

    def mark_paragraph(self, paragraph: Element, change: str) -> None:
        """Track the paragraph mark as inserted or deleted, so that rejecting (accepting) the change removes
        the paragraph."""
        p_pr = paragraph.find(W_PPR)
        if p_pr is None:
            p_pr = etree.Element(W_PPR)
            paragraph.insert(0, p_pr)
        mark_props = p_pr.find(W_RPR)
        if mark_props is None:
            mark_props = etree.SubElement(p_pr, W_RPR)  # last in pPr: no section break or change here
        mark_props.insert(0, self.change_mark(change))

    def block(self, block: Block, p_pr: Element | None, r_pr: Element | None, num_id: str | None = None
              ) -> Element:
        inlines: Iterable[Inline] = block.inlines
        level = _list_level(block)
        style: str | None = None
        if block.kind == "heading":
            style = f"Heading {level}"
        elif block.kind in ("bullet", "number"):
            style = self.list_style(block.kind, level)
        paragraph = self.paragraph(p_pr if block.kind == "paragraph" else None, style)
        if block.kind == "number" and num_id is not None and self.numbering is not None:
            p_props = child(paragraph, "w:pPr", first=True)
            num_pr = etree.Element(qn("w:numPr"))
            etree.SubElement(num_pr, qn("w:ilvl")).set(W_VAL, self.numbering.ilvl(level))
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
        marked = inline.bold or inline.italic or inline.underline or inline.lang
        if r_pr is None and char_style is None and not marked:
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
        if inline.lang:  # a passage in another language: Word's spelling and a screen reader's voice follow it
            set_ordered(props, flag("w:lang", xml_safe(inline.lang)), RPR_ORDER)
        return props


def whole_change(*blocks: Block) -> str | None:
    """"ins" ("del") when every word of `blocks` is inserted (deleted), else None."""
    changes = {inline.change for block in blocks for inline in block.inlines}
    return changes.pop() if len(changes) == 1 else None


def link_target(href: str | None) -> str | None:
    """The URL a run links to: the link policy's answer; a refused link is logged and its text kept."""
    if not href:
        return None
    url = safe_href(href)
    if url is None:
        log.warning("link not written (only http, https and mailto links are): %s", quoted(xml_safe(href).strip()))
    return url


@dataclass(frozen=True)
class _ListStyle:
    """A List Number style's numbering: its abstract definition and the list level (w:ilvl) it numbers at."""

    abstract: str
    ilvl: str


class _Numbering:
    """The List Number styles' numbering definitions: each numbered list is given its own w:num, counting from the
    number the list starts at (`reportgen.model.list_starts`)."""

    def __init__(self, numbering: Element, styles: dict[int, _ListStyle], next_id: int) -> None:
        self.numbering, self.styles, self.next_id = numbering, styles, next_id

    @classmethod
    def of(cls, document: DocxDocument, style_ids: dict[int, str | None]) -> _Numbering | None:
        """The numbering of each level's List Number style (`style_ids`, by list level) that has one; None when the
        template has no List Number style with a numbering (lists then get "– ")."""
        try:
            numbering = document.part.numbering_part.element
        except NotImplementedError:  # a template without numbering.xml
            return None
        nums = numbering.findall(qn("w:num"))
        abstracts = {num.get(qn("w:numId")): found.get(W_VAL)
                     for num in nums if (found := num.find(qn("w:abstractNumId"))) is not None}
        styles = {}
        for level, style_id in style_ids.items():
            num_pr = _style_num_pr(document, style_id)
            num_id = num_pr.find(qn("w:numId")) if num_pr is not None else None
            abstract = abstracts.get(num_id.get(W_VAL)) if num_id is not None else None
            if abstract is not None and num_pr is not None:
                ilvl = num_pr.find(qn("w:ilvl"))
                styles[level] = _ListStyle(abstract, ilvl.get(W_VAL, "0") if ilvl is not None else "0")
        if not styles:
            return None
        return cls(numbering, styles, max((int(n.get(qn("w:numId"), "0")) for n in nums), default=0) + 1)

    def restart(self, level: int, start: int) -> str | None:
        """A new w:num on the numbering of the List Number style of list `level`, counting from `start` (its
        w:startOverride: python-docx has no call for it); None when that style has no numbering of its own."""
        style = self.styles.get(level)
        if style is None:
            return None
        num_id = str(self.next_id)
        self.next_id += 1
        num = etree.Element(qn("w:num"))
        num.set(qn("w:numId"), num_id)
        etree.SubElement(num, qn("w:abstractNumId")).set(W_VAL, style.abstract)
        override = etree.SubElement(num, qn("w:lvlOverride"))
        override.set(qn("w:ilvl"), style.ilvl)
        etree.SubElement(override, qn("w:startOverride")).set(W_VAL, str(start))
        cleanup = self.numbering.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            self.numbering.append(num)
        return num_id

    def ilvl(self, level: int) -> str:
        """The w:ilvl a numbered item of list `level` is given: its style's."""
        style = self.styles.get(level)
        return style.ilvl if style is not None else "0"


def _style_num_pr(document: DocxDocument, style_id: str | None) -> Element | None:
    """The w:numPr a paragraph style numbers its paragraphs by, if any."""
    if style_id is None:
        return None
    style = document.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    return style.find(f"{W_PPR}/{qn('w:numPr')}") if style is not None else None


def _list_level(block: Block) -> int:
    """The level a block is laid out at in Word: its heading or list level, 1 to 3."""
    return min(max(block.level, 1), 3)
