"""What a Word template restyled by hand may still hold of the people who edited it, taken out of the paper.

An officer restyling `templates/paper.docx` in Word may leave comments, tracked changes (each with its author's
name and a date), "Track Changes" switched on, custom document properties (an owner's name, a sensitivity label)
and the extended properties Word fills in (the manager). Every paper laid out from that template would carry them
onto the council's website. The extended properties also describe the template, not the paper: its page, word and
line counts ("Pages: 1" in a file list for a nine-page paper), its own title, its template's name and the program
that saved it; they are taken out too, and the paper names reportgen as the program that made it. `review_marks`
counts what a template holds, for the build to say so (`template-review-marks`); `clear_review_marks` takes it out
of the template as loaded, before the paper is laid out: each tracked change accepted (what the template shows with
the changes accepted is what the paper shows), the comments and the names of their authors dropped. A draft
comparison's own tracked changes and comments are added after, so they are kept.

What it must not do: change the template file, or anything the paper lays out from it but those marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn

Element = Any  # lxml elements (python-docx oxml classes)

# a change kept as it now reads: the marks go, what they hold stays
_KEPT = ("w:ins", "w:moveTo")
# a change undone: the marks go with what they hold (in a row's properties, the row goes)
_DROPPED = ("w:del", "w:moveFrom")
# a record of the formatting before a change, and the marks around a move or a change of custom XML
_RECORDS = ("w:rPrChange", "w:pPrChange", "w:sectPrChange", "w:tblPrChange", "w:tblPrExChange", "w:trPrChange",
            "w:tcPrChange", "w:tblGridChange", "w:numberingChange", "w:cellIns", "w:cellDel", "w:cellMerge",
            "w:moveFromRangeStart", "w:moveFromRangeEnd", "w:moveToRangeStart", "w:moveToRangeEnd",
            "w:customXmlInsRangeStart", "w:customXmlInsRangeEnd", "w:customXmlDelRangeStart",
            "w:customXmlDelRangeEnd", "w:customXmlMoveFromRangeStart", "w:customXmlMoveFromRangeEnd",
            "w:customXmlMoveToRangeStart", "w:customXmlMoveToRangeEnd")
_PROPERTIES = ("w:rPr", "w:pPr", "w:trPr", "w:tcPr", "w:tblPr", "w:sectPr")
_COMMENT_MARKS = ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference")
# the parts holding comments and the names of the people who wrote them or changed the text
_COMMENT_PARTS = ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible", "/people")
_CUSTOM_PROPERTIES = "/custom-properties"
_APP_PEOPLE = re.compile(rb"<Manager>[^<]*</Manager>")
# what the template's extended properties say of the template itself (all optional in the schema)
_APP_TEMPLATE_FACTS = re.compile(
    rb"<(Template|TotalTime|Pages|Words|Characters|Lines|Paragraphs|CharactersWithSpaces|AppVersion|DocSecurity"
    rb"|HeadingPairs|TitlesOfParts)(?:\s*/>|>.*?</\1>)\s*", re.DOTALL)
_APP_NAME = re.compile(rb"<Application>[^<]*</Application>|<Application\s*/>")


@dataclass(frozen=True)
class ReviewMarks:
    """How many comments and tracked changes a Word document holds, and whether Track Changes is on."""

    comments: int
    changes: int
    tracking: bool

    def __bool__(self) -> bool:
        return bool(self.comments or self.changes or self.tracking)

    def described(self) -> str:
        """In words: "2 comments, 3 tracked changes and Track Changes switched on"."""
        said = [_counted(self.comments, "comment"), _counted(self.changes, "tracked change")]
        said = [text for text in said if text] + (["Track Changes switched on"] if self.tracking else [])
        return " and ".join(filter(None, (", ".join(said[:-1]), said[-1]))) if said else ""


def review_marks(document: DocxDocument) -> ReviewMarks:
    """The comments and tracked changes of `document` (its body, headers and footers), and its Track Changes."""
    changes = sum(1 for element in _marks(document, _KEPT + _DROPPED))
    comments = sum(1 for element in _marks(document, ("w:commentRangeStart",)))
    comments += sum(1 for element in _marks(document, ("w:commentReference",))
                    if not _has_range(element, document))
    return ReviewMarks(comments, changes, _settings(document).find(qn("w:trackRevisions")) is not None)


def clear_review_marks(document: DocxDocument) -> None:
    """Accept every tracked change of `document`, take its comments out, switch Track Changes off and drop the
    custom properties and the manager's name: what the paper lays out from it carries nobody's name."""
    for element in list(_marks(document, _KEPT)):
        if _in_properties(element):
            element.getparent().remove(element)  # a paragraph mark or a row inserted: only the mark goes
        else:
            _unwrap(element)
    for element in list(_marks(document, _DROPPED)):
        parent = element.getparent()
        if parent.tag == qn("w:trPr"):
            row = parent.getparent()
            row.getparent().remove(row)  # a row deleted
        elif element.getparent() is not None:
            parent.remove(element)
    for element in list(_marks(document, _RECORDS + _COMMENT_MARKS)):
        parent = element.getparent()
        parent.remove(element)
        if parent.tag == qn("w:r") and not [child for child in parent if child.tag != qn("w:rPr")]:
            parent.getparent().remove(parent)  # the run that held only a comment's mark
    tracking = _settings(document).find(qn("w:trackRevisions"))
    if tracking is not None:
        tracking.getparent().remove(tracking)
    _drop_related(document.part, _COMMENT_PARTS)
    _drop_related(document.part.package, (_CUSTOM_PROPERTIES,))
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml" and isinstance(part, Part) and not isinstance(part, XmlPart):
            part._blob = app_properties(part.blob)  # a plain part: its bytes are all it has


def app_properties(blob: bytes) -> bytes:
    """docProps/app.xml without the template's manager nor what it says of the template, naming reportgen as the
    program that made the paper."""
    blob = _APP_TEMPLATE_FACTS.sub(b"", _APP_PEOPLE.sub(b"<Manager/>", blob))
    if _APP_NAME.search(blob):
        return _APP_NAME.sub(b"<Application>reportgen</Application>", blob, count=1)
    return blob


def _marks(document: DocxDocument, tags: tuple[str, ...]) -> Any:
    names = {qn(tag) for tag in tags}
    for part in _story_parts(document):
        yield from (element for element in part.element.iter() if element.tag in names)


def _story_parts(document: DocxDocument) -> list[XmlPart]:
    """The document's body and its headers, footers, footnotes and endnotes: every part that holds text."""
    return [part for part in document.part.package.iter_parts()
            if isinstance(part, XmlPart) and str(part.partname).startswith("/word/")
            and re.fullmatch(r"/word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", str(part.partname))]


def _has_range(reference: Element, document: DocxDocument) -> bool:
    ref = reference.get(qn("w:id"))
    return any(start.get(qn("w:id")) == ref for start in _marks(document, ("w:commentRangeStart",)))


def _in_properties(element: Element) -> bool:
    return element.getparent() is not None and element.getparent().tag in {qn(tag) for tag in _PROPERTIES}


def _unwrap(element: Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _settings(document: DocxDocument) -> Element:
    return document.settings.element


def _drop_related(source: Any, endings: tuple[str, ...]) -> None:
    for ref, rel in list(source.rels.items()):
        if rel.reltype.endswith(endings):
            del source.rels[ref]


def _counted(count: int, noun: str) -> str:
    return "" if not count else f"1 {noun}" if count == 1 else f"{count} {noun}s"
