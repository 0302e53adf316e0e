"""What the Word template holds on a `{%p … %}` tag's line besides the tag, set on a line of its own before docxtpl
fills the template in: docxtpl replaces the whole paragraph by its tag, and whatever else was in it would be gone
from the Word paper while the PDF, drawn from the Paper and the template's look, still shows it.

Kept: a section break (`keep_section_breaks`) and a picture (`keep_pictures`: a logo put on the first line of
the page header, the `{%p if paper.draft_marking %}` line, where Word's cursor lands when one opens the header).
A picture in a `{%tr … %}` row goes with the row: which row it belongs in cannot be told, so the template is
reported instead (`reportgen.render.template_tags.lost_pictures`, `template-picture-in-tag-row`).

What it must not do: change what a tag does, or read the Paper; it works on the unfilled template only.
"""

from __future__ import annotations

import re
from copy import deepcopy

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml import etree

from reportgen.render.docx.xml import W_P, W_PPR, W_R, W_RPR, Element, text_of
from reportgen.render.template_tags import PICTURES, outside_block, page_parts, swallowed

_TAG_PARAGRAPH = re.compile(r"\s*\{%p\s+(\w+).*%\}\s*", re.DOTALL)  # a paragraph docxtpl removes whole


def keep_section_breaks(body: Element) -> None:
    """A section break at the end of a `{%p … %}` paragraph (LibreOffice saves the one that ends the cover
    sheet's portrait pages there; Word does when the empty paragraph after `{%p endif %}` is deleted)
    would go with the paragraph docxtpl removes, and the cover sheet would be laid out landscape like the
    plan: the break gets an empty paragraph of its own, after an end tag and before any other, so it is
    outside the tag's block."""
    for paragraph in body.findall(W_P):
        tag = _TAG_PARAGRAPH.fullmatch(text_of(paragraph))
        section = paragraph.find(f"{W_PPR}/{qn('w:sectPr')}")
        if tag is None or section is None:
            continue
        holder = etree.Element(W_P)
        etree.SubElement(holder, W_PPR).append(section)  # moved out of the tag's paragraph
        if tag[1].startswith("end"):
            paragraph.addnext(holder)
        else:
            paragraph.addprevious(holder)


def keep_pictures(document: DocxDocument) -> None:
    """Each picture on a `{%p … %}` line of the body, a page header or a page footer (first-page ones too), moved
    to a line of its own in the paragraph's look, just outside the tag's block (`outside_block`), so the Word
    paper shows it as the PDF does, on every page for a logo in the header."""
    for root in (document.element.body, *(element for _, element in page_parts(document))):
        for level, paragraph in swallowed(root):
            if level != "p":
                continue
            pictures = _picture_runs(paragraph)
            if not pictures:
                continue
            holder = etree.Element(W_P)
            p_pr = paragraph.find(W_PPR)
            if p_pr is not None:  # its style and alignment (a logo set right stays right), not a section break
                look = deepcopy(p_pr)
                for section in look.findall(qn("w:sectPr")):
                    look.remove(section)
                holder.append(look)
            holder.extend(pictures)
            anchor, before = outside_block(paragraph)
            if before:
                anchor.addprevious(holder)
            else:
                anchor.addnext(holder)


def _picture_runs(paragraph: Element) -> list[Element]:
    """A run for each picture of `paragraph`'s own runs (not a text box's inside a drawing), in order, each
    picture moved out of its run with the run's look: a run also holding the tag's text keeps the text."""
    runs = []
    for run in [r for r in paragraph.iter(W_R) if next(r.iterancestors(W_P), None) is paragraph]:
        for piece in [c for c in run if isinstance(c.tag, str) and next(c.iter(*PICTURES), None) is not None]:
            kept = etree.Element(W_R)
            r_pr = run.find(W_RPR)
            if r_pr is not None:
                kept.append(deepcopy(r_pr))
            kept.append(piece)  # moved: a docPr's alt text and decorative flag go with it
            runs.append(kept)
    return runs
