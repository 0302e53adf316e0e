"""Put back what a needed tag deleted from a restyled Word template would have shown (the title, the subtitle, the
protective marking, the note of the exempt actions left out: `reportgen.render.template_tags.NEEDED_TAGS`), in
reportgen's own place and look, as `writer.mark_draft` puts back the draft marking.

Why put back rather than stop: the words are the paper's (the PDF and the web edition show them), and a public
paper that silently stopped saying it leaves exempt actions out, or a restricted one unmarked, is worse than one
laid out a little otherwise; the build's `template-tag-missing` warning tells the officer to type the tag back.

What it must not do: decide content. Every word is the Paper's; a field the paper leaves empty puts nothing back.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml import etree

from reportgen.model import Paper
from reportgen.render.docx.layout import page_headers
from reportgen.render.docx.xml import W_P, W_PPR, W_R, W_RPR, W_VAL, Element, add_text, find_style, text_of, xml_safe
from reportgen.render.template_tags import NeededTag
from reportgen.render.theme import find_plan_rows


def restore_missing(document: DocxDocument, paper: Paper, missing: tuple[NeededTag, ...]) -> None:
    """Each of `missing` (the template's needed tags it lacks, `template_tags.missing_tags`) the paper has words
    for, put back in the filled-in `document`. Call it before the plan rows are laid out (it finds the plan table
    by its prototype rows)."""
    fields = {needed.field for needed in missing}
    body = document.element.body
    if "title" in fields and paper.title:
        body.insert(0, _paragraph(paper.title, _style_id(document, "Title")))
    if "subtitle" in fields and paper.subtitle:
        title = next((p for p in body.iterchildren(W_P) if _spaced(text_of(p)) == _spaced(paper.title)), None)
        subtitle = _paragraph(paper.subtitle, _style_id(document, "Subtitle"))
        if title is not None:
            title.addnext(subtitle)
        else:
            body.insert(0, subtitle)
    if "marking" in fields and paper.marking:
        for header in page_headers(document):
            header.insert(0, _paragraph(paper.marking, centred=True, bold=True))
    if "exempt_note" in fields and paper.exempt_note:
        _place_exempt_note(body, _paragraph(paper.exempt_note))


def _place_exempt_note(body: Element, note: Element) -> None:
    """The note right under the delivery-plan table, as reportgen's template has it (else at the body's end)."""
    found = find_plan_rows(body)
    if found is not None:
        found[0].addnext(note)
        return
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(note)
    else:
        body.append(note)


def _style_id(document: DocxDocument, name: str) -> str | None:
    style = find_style(document, name)
    return style.style_id if style is not None else None


def _paragraph(text: str, style_id: str | None = None, centred: bool = False, bold: bool = False) -> Element:
    paragraph = etree.Element(W_P)
    p_pr = etree.SubElement(paragraph, W_PPR)
    if style_id:
        etree.SubElement(p_pr, qn("w:pStyle")).set(W_VAL, style_id)
    if centred:
        etree.SubElement(p_pr, qn("w:jc")).set(W_VAL, "center")
    run = etree.SubElement(paragraph, W_R)
    if bold:
        etree.SubElement(etree.SubElement(run, W_RPR), qn("w:b"))
    add_text(run, xml_safe(text))
    return paragraph


def _spaced(text: str) -> str:
    return " ".join(xml_safe(text).split())
