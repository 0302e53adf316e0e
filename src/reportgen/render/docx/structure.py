"""What Word's navigation pane and a screen reader make of the Word paper's structure, set without changing its look.

`fold_section_breaks`: a section break alone in an empty paragraph (python-docx and Word put the landscape plan's
there) moves into the paragraph before it, so a screen reader does not say "blank" before the plan.
`drop_empty_end`: the empty paragraph a note with nothing to say leaves after the plan (the exempt actions' note of a
paper with none) goes, so the document ends with the plan, not a blank line a screen reader announces.
`outline_title`: the paper's title, in the template's Title style (not a heading), gets outline level 1, so it is
the document's top heading in the navigation pane and for assistive technology; the template's style still draws it.
`outline_under_title`: every heading after the title one outline level below its style's (Heading 1 at Word's level 2),
as the PDF and the web edition put them under the title (h2 under the one h1), so the three outlines agree.

What it must not do: change a style, a paragraph's look or what a page holds.
"""

from __future__ import annotations

import re

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml import etree

from reportgen.render.docx.xml import (
    PPR_ORDER,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_T,
    W_VAL,
    Element,
    find_style,
    set_ordered,
    text_of,
)

W_SECTPR, W_OUTLINE, W_TBL = qn("w:sectPr"), qn("w:outlineLvl"), qn("w:tbl")
_TITLE_TAG = re.compile(r"\s*\{\{\s*paper\.title\s*\}\}\s*")
# a paragraph mark marked inserted or deleted, or changed properties: a reviewer's choice would move the break
_TRACKED_MARK = (qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo"))


def fold_section_breaks(body: Element) -> None:
    """Each body paragraph that holds nothing but a section break hands the break to the paragraph just before it,
    and goes. Only after a paragraph of its own section: after a table, Word needs the paragraph to hold the break.
    The empty line it was drew nothing but space at the foot of the section's last page."""
    for paragraph in list(body.iterchildren(W_P)):
        section = paragraph.find(f"{W_PPR}/{W_SECTPR}")
        if section is None or not _holds_only_properties(paragraph):
            continue
        before = paragraph.getprevious()
        if before is None or before.tag != W_P or not _can_take_break(before):
            continue
        holder = before.find(W_PPR)
        if holder is None:
            holder = etree.Element(W_PPR)
            before.insert(0, holder)
        set_ordered(holder, section, PPR_ORDER)
        body.remove(paragraph)


def drop_empty_end(body: Element) -> None:
    """The body's last paragraph, when it follows a table and holds nothing (no words, not even deleted ones, no
    picture, field or break; runs whose text is empty), goes: Word and LibreOffice end a document with a table as
    they end one with a paragraph, and a template's own empty last line is not taken for it (it follows none)."""
    paragraphs = [child for child in body if isinstance(child.tag, str) and child.tag != W_SECTPR]
    last = paragraphs[-1] if paragraphs else None
    if last is None or last.tag != W_P or last.getprevious() is None or last.getprevious().tag != W_TBL:
        return
    if last.find(f"{W_PPR}/{W_SECTPR}") is not None or not _holds_nothing(last):
        return
    body.remove(last)


def _holds_nothing(paragraph: Element) -> bool:
    for child in paragraph:
        if not isinstance(child.tag, str) or child.tag == W_PPR:
            continue
        if child.tag != W_R or any(part.tag not in (W_RPR, W_T) for part in child if isinstance(part.tag, str)):
            return False
        if any(text.text for text in child.iter(W_T)):
            return False
    p_pr = paragraph.find(W_PPR)
    return p_pr is None or next(p_pr.iter(*_TRACKED_MARK), None) is None


def _holds_only_properties(paragraph: Element) -> bool:
    if any(child.tag != W_PPR for child in paragraph if isinstance(child.tag, str)):
        return False
    p_pr = paragraph.find(W_PPR)
    return p_pr is None or next(p_pr.iter(*_TRACKED_MARK), None) is None


def _can_take_break(paragraph: Element) -> bool:
    p_pr = paragraph.find(W_PPR)
    if p_pr is None:
        return True
    return (p_pr.find(W_SECTPR) is None and p_pr.find(qn("w:pPrChange")) is None
            and next(p_pr.iter(*_TRACKED_MARK), None) is None)


def outline_title(document: DocxDocument) -> None:
    """The template's title paragraph (the one holding only `{{ paper.title }}`, or in the Title style) at outline
    level 1 when neither it nor its style has an outline level: a template restyled before this (or whose title
    was made a heading in Word) keeps its look and its own choice. Call on the template, before it is filled in."""
    title_style = find_style(document, "Title")
    title_id = title_style.style_id if title_style is not None else None
    for paragraph in document.element.body.iterchildren(W_P):
        style_id = paragraph.xpath("string(w:pPr/w:pStyle/@w:val)")
        is_title = bool(_TITLE_TAG.fullmatch(text_of(paragraph))) or (title_id is not None and style_id == title_id)
        own = paragraph.find(f"{W_PPR}/{W_OUTLINE}")  # even "Body Text": the template's own choice
        if is_title and own is None and _outline_level(document, paragraph) is None:
            _set_outline(paragraph, 0)  # Word's "Level 1"


def outline_under_title(document: DocxDocument) -> None:
    """Each body heading after the paper's title one outline level lower than it is (Heading 1 at Word's "Level 2",
    Heading 2 at "Level 3"), set on its own line so the template's styles keep their look; the title is the first
    heading (`outline_title`). Call on the filled-in paper, once."""
    headings = [(paragraph, level) for paragraph in document.element.body.iterchildren(W_P)
                if (level := _outline_level(document, paragraph)) is not None]
    for paragraph, level in headings[1:]:
        _set_outline(paragraph, min(level + 1, _LOWEST))


_LOWEST = 8  # Word's "Level 9", its lowest heading; 9 is body text


def _set_outline(paragraph: Element, level: int) -> None:
    holder = paragraph.find(W_PPR)
    if holder is None:
        holder = etree.Element(W_PPR)
        paragraph.insert(0, holder)
    outline = etree.Element(W_OUTLINE)
    outline.set(W_VAL, str(level))
    set_ordered(holder, outline, PPR_ORDER)


def _outline_level(document: DocxDocument, paragraph: Element) -> int | None:
    """The outline level the paragraph, or a style it is based on, sets (0: Word's "Level 1"); None for body text."""
    styles = {style.style_id: style for style in document.styles}
    element, style_id, seen = paragraph, paragraph.xpath("string(w:pPr/w:pStyle/@w:val)"), set()
    while True:
        level = element.find(f"{W_PPR}/{W_OUTLINE}")
        if level is not None:
            value = level.get(W_VAL, "")
            return int(value) if value.isdigit() and int(value) <= _LOWEST else None
        if not style_id or style_id not in styles or style_id in seen:
            return None
        seen.add(style_id)
        element = styles[style_id].element
        style_id = element.xpath("string(w:basedOn/@w:val)")
