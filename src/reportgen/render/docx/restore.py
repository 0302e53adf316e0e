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
from reportgen.render.docx.xml import (
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_TC,
    W_TR,
    W_VAL,
    Element,
    add_text,
    find_style,
    text_of,
    xml_safe,
)
from reportgen.render.template_pages import shown_pages
from reportgen.render.template_tags import MissingTag
from reportgen.render.theme import find_plan_rows

W_TBL = qn("w:tbl")


def restore_missing(document: DocxDocument, paper: Paper, missing: tuple[MissingTag, ...]) -> None:
    """Each of `missing` (the template's needed tags it lacks, `template_tags.missing_tags`) the paper has words
    for, put back in the filled-in `document`. Call it before the plan rows are laid out (it finds the plan table
    by its prototype rows)."""
    fields = {found.needed.field for found in missing}
    body = document.element.body
    if "title" in fields and paper.title:
        body.insert(0, _paragraph(paper.title, _style_id(document, "Title")))
    if "subtitle" in fields and paper.subtitle:
        _place_subtitle(body, paper, _paragraph(paper.subtitle, _style_id(document, "Subtitle")))
    if "marking" in fields and paper.marking:
        for header in _unmarked_headers(document, next(found for found in missing if found.needed.field == "marking")):
            header.insert(0, _paragraph(paper.marking, centred=True, bold=True))
    if "exempt_note" in fields and paper.exempt_note:
        _place_exempt_note(body, _paragraph(paper.exempt_note))


def _unmarked_headers(document: DocxDocument, missing: MissingTag) -> list[Element]:
    """The page headers to put the marking back in: every one when no page had it, else those of the pages that
    had it in neither header nor footer (a page it marks already is not marked twice); pages that show no header
    at all (a first page with Different First Page on and no header typed) are given one of their own."""
    if not missing.unmarked:
        return page_headers(document)
    headers: dict[int, Element] = {}
    for key in missing.unmarked:
        shown = next(pages for pages in shown_pages(document) if pages.key == key)
        header = shown.header if shown.header is not None else _new_header(document, *key)
        headers.setdefault(id(header), header)
    return list(headers.values())


def _new_header(document: DocxDocument, section: int, kind: str) -> Element:
    """An empty header of its own for a kind of page of a section (`template_pages.Pages`) that shows none; the
    sections after it that show none either take it, as Word has them do."""
    sections = document.sections[section - 1]
    header = {"first": sections.first_page_header, "even": sections.even_page_header}.get(kind, sections.header)
    header.is_linked_to_previous = False
    return header._element


def _place_subtitle(body: Element, paper: Paper, subtitle: Element) -> None:
    """The subtitle right under the cover sheet table, as reportgen's template and the PDF have it; without a
    cover sheet, under the title (else first)."""
    above = _cover_table(body, paper)
    if above is None:
        above = next((p for p in body.iterchildren(W_P) if _spaced(text_of(p)) == _spaced(paper.title)), None)
    if above is not None:
        above.addnext(subtitle)
    else:
        body.insert(0, subtitle)


def _cover_table(body: Element, paper: Paper) -> Element | None:
    """The body's table each row of which is headed by a label of the paper's cover sheet, as the template's
    `{%tr for row in paper.cover %}` lays it out; None when the template has none (`template-no-cover`)."""
    labels = {_spaced(row.label) for row in paper.cover}
    for table in body.iterchildren(W_TBL):
        first_cells = [tr.find(W_TC) for tr in table.iterchildren(W_TR)]
        if first_cells and all(cell is not None and _spaced(text_of(cell)) in labels for cell in first_cells):
            return table
    return None


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
