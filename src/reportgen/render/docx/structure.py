"""What Word's navigation pane and a screen reader make of the Word paper's structure, set without changing its look.

`fold_section_breaks`: a section break alone in an empty paragraph (python-docx and Word put the landscape plan's
there) moves into the paragraph before it, so a screen reader does not say "blank" before the plan.

What it must not do: change a style, a paragraph's look or what a page holds.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

from reportgen.render.docx.xml import PPR_ORDER, W_P, W_PPR, Element, set_ordered

W_SECTPR = qn("w:sectPr")
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
