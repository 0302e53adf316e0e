"""WordprocessingML helpers for the DOCX writer: XML-safe text, property elements in schema order,
runs of text, cell shading and the prototype cells the plan table is cloned from.

Nothing here knows the Paper; `reportgen.render.docx.layout`, `reportgen.render.docx.plan` and
`reportgen.render.docx.writer` build on it.
"""

from __future__ import annotations

import dataclasses
import re
from copy import deepcopy
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from reportgen.errors import ReportgenError

Element = Any  # lxml elements (python-docx oxml classes); lxml ships no type stubs here

_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAKS = re.compile(r"(\r\n|\r|\n|\t|\u2011)")
NON_BREAKING_HYPHEN = "\u2011"  # written as Word's own w:noBreakHyphen: drawn as "-" in the font of the run


class TemplateMarkerMissing(ReportgenError):
    """The Word template lacks a marker the writer fills ([[NARRATIVE]], the plan's rows); the message says which
    and what to do, after the template's name, which `write_docx` puts before it."""


def _ordering(*names: str) -> dict[str, int]:
    return {qn(f"w:{name}"): rank for rank, name in enumerate(names)}


# schema order of the property elements this module writes into (ECMA-376 Part 1, 17.3 / 17.4)
PPR_ORDER = _ordering(
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)
RPR_ORDER = _ordering(
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
    "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
    "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
)
TCPR_ORDER = _ordering(
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
    "tcPrChange",
)
TBLPR_ORDER = _ordering(
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
    "tblDescription", "tblPrChange",
)
TRPR_ORDER = _ordering(
    "cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
    "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange",
)

W_P, W_R, W_T, W_TR, W_TC = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tr"), qn("w:tc")
W_PPR, W_RPR, W_TCPR, W_TRPR, W_VAL = qn("w:pPr"), qn("w:rPr"), qn("w:tcPr"), qn("w:trPr"), qn("w:val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF)."""
    return _XML_INVALID.sub("", text)


def child(parent: Element, tag: str, first: bool = False) -> Element:
    element = parent.find(qn(tag))
    if element is None:
        element = etree.Element(qn(tag))
        if first:
            parent.insert(0, element)
        else:
            parent.append(element)
    return element


def set_ordered(parent: Element, child: Element, order: dict[str, int]) -> Element:
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


def flag(tag: str, value: str | None = None) -> Element:
    element = etree.Element(qn(tag))
    if value is not None:
        element.set(W_VAL, value)
    return element


def text_of(element: Element) -> str:
    return "".join(t.text or "" for t in element.iter(W_T))


def add_text(run: Element, text: str, deleted: bool = False) -> None:
    """Text into a run: newlines become w:br, tabs w:tab, a non-breaking hyphen (U+2011) w:noBreakHyphen (many
    fonts have no glyph for the character itself); deleted text uses w:delText."""
    tag = qn("w:delText") if deleted else W_T
    for piece in _BREAKS.split(text):
        if not piece:
            continue
        if piece == "\t":
            etree.SubElement(run, qn("w:tab"))
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(run, qn("w:br"))
        elif piece == NON_BREAKING_HYPHEN:
            etree.SubElement(run, qn("w:noBreakHyphen"))
        else:
            node = etree.SubElement(run, tag)
            node.text = piece
            node.set(XML_SPACE, "preserve")


def shade(tc_pr: Element, fill: str | None) -> None:
    if fill is None:
        existing = tc_pr.find(qn("w:shd"))
        if existing is not None:
            tc_pr.remove(existing)
        return
    shd = etree.Element(qn("w:shd"))
    shd.set(W_VAL, "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.upper())
    set_ordered(tc_pr, shd, TCPR_ORDER)


@dataclasses.dataclass
class CellProto:
    """What a prototype cell lends every clone: cell, paragraph and run properties."""

    tc_pr: Element
    p_pr: Element | None
    r_pr: Element | None

    @classmethod
    def of(cls, tc: Element) -> CellProto:
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

    def sized(self, width: int, span: int = 1) -> CellProto:
        tc_pr = deepcopy(self.tc_pr)
        tc_w = etree.Element(qn("w:tcW"))
        tc_w.set(qn("w:w"), str(width))
        tc_w.set(qn("w:type"), "dxa")
        set_ordered(tc_pr, tc_w, TCPR_ORDER)
        for tag in ("w:gridSpan", "w:hMerge", "w:vMerge"):
            existing = tc_pr.find(qn(tag))
            if existing is not None:
                tc_pr.remove(existing)
        if span > 1:
            set_ordered(tc_pr, flag("w:gridSpan", str(span)), TCPR_ORDER)
        return CellProto(tc_pr, self.p_pr, self.r_pr)


def find_style(document: Any, name: str) -> Any | None:
    """The template's style `name` ("Heading 1"), or None: by its name, whatever the case, else by its style id.

    Word saves a built-in style's name in lower case ("heading 1", which python-docx shows as "Heading 1"),
    LibreOffice as shown. A style renamed in Word ("Title" made "Report Title") keeps its id, which the template's
    paragraphs still name, so it is found by that. Never `document.styles[name]`: for a renamed style python-docx
    finds it by id there, with a deprecation warning printed on the officer's console."""
    wanted = name.casefold()
    styles = list(document.styles)
    by_name = next((style for style in styles if (style.name or "").casefold() == wanted), None)
    if by_name is not None:
        return by_name
    return next((style for style in styles if (style.style_id or "").casefold() == wanted.replace(" ", "")), None)
