"""The Word template's own tags, as an officer sees them in Word: which of those the paper needs are gone
(`missing_tags`), and, for a template whose tags Jinja cannot read, which tag and where (`broken_tag`).

Word is where the template is mended, so everything here is said in Word's terms: the page header, the
page footer or the body, a table, and the tag as it is typed there; never a line of the package's XML.

What it must not do: write anything, or read the look (reportgen.render.theme does).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

Element = Any  # lxml elements (python-docx oxml classes)

W_P, W_T, W_TBL = qn("w:p"), qn("w:t"), qn("w:tbl")


@dataclass(frozen=True)
class NeededTag:
    """A `{{ paper.… }}` tag whose words every edition shows: one deleted from a restyled template would leave
    the Word paper silently saying less than the PDF, so the writer puts the words back and the build says so."""

    field: str  # the Paper's field it prints
    where: str  # "body", or "page" (a page header or footer: the words are on every page)
    shows: str  # what it shows, as the issue says it
    put_back: str  # where the Word paper puts it back, as the issue says it
    ours: str  # where reportgen's own template has it, as the issue says it
    optional: bool = False  # reportgen.toml's [paper] may leave its words out (no subtitle): then it is not missed

    @property
    def tag(self) -> str:
        return f"{{{{ paper.{self.field} }}}}"


# Every `{{ paper.… }}` tag of reportgen's template, and why the others are not here: the draft marking and the
# issues blocking publication are put back by the writer whatever the template (`writer.mark_draft`); the cover
# rows' absence is `template-no-cover`; "Changes since the last draft" is a table the template may leave out, and
# the running title in the page header a line of the look (the body's title is the paper's).
NEEDED_TAGS = (
    NeededTag("title", "body", "the paper's title", "at the top of the first page, in the Title style",
              "at the top of the first page"),
    NeededTag("subtitle", "body", "the paper's subtitle (reportgen.toml's subtitle)",
              "under the title, in the Subtitle style", "under the title", optional=True),
    NeededTag("marking", "page", "the restricted edition's protective marking on every page",
              "at the top of every page", "in the page header and footer"),
    NeededTag("exempt_note", "body", "the public paper's note of the exempt actions it leaves out (\"Not shown in "
              "this paper: …\")", "under the delivery-plan table", "under the delivery-plan table"),
)


def missing_tags(document: DocxDocument) -> tuple[NeededTag, ...]:
    """The needed tags that `document` (a template, before it is filled in) no longer has where they belong."""
    body = _text(document.element.body)
    page = " ".join(_text(element) for element in _page_parts(document))
    return tuple(needed for needed in NEEDED_TAGS
                 if not re.search(rf"\{{\{{-?\s*paper\s*\.\s*{needed.field}\b[^}}]*\}}\}}",
                                  body if needed.where == "body" else page))


def _page_parts(document: DocxDocument) -> Iterator[Element]:
    """The root element of each page header and footer part of `document` (first-page and even ones too)."""
    for rel in document.part.rels.values():
        element = getattr(rel.target_part, "element", None) if not rel.is_external else None
        if rel.reltype in (RT.HEADER, RT.FOOTER) and element is not None:
            yield element


def _text(element: Element) -> str:
    """The words of `element`, a paragraph a line (a tag Word split into runs reads whole)."""
    return "\n".join("".join(t.text or "" for t in p.iter(W_T)) for p in element.iter(W_P))


# ---------------------------------------------------------------- a broken template


# a block tag as docxtpl reads it: `{%p if … %}`, `{%tr for … %}`, `{% endif %}` (`p`, `tr`, `tc`, `r`: its level)
_BLOCK_TAG = re.compile(r"\{%-?((?:p|tr|tc|r)(?=\s))?\s*(\w+)[^%]*?-?%\}")
_OPENERS = frozenset({"for", "if", "macro", "call", "filter", "with", "block", "autoescape", "raw"})


@dataclass(frozen=True)
class _Tag:
    text: str  # as typed in Word
    level: str  # docxtpl's "p", "tr", "tc", "r", or ""
    name: str  # "for", "endfor", "if", …
    place: str  # where, as Word shows it: "in the body, in the cover sheet table"

    @property
    def closing(self) -> str:
        """The tag that closes this one, as typed in our template: `{%tr endfor %}`."""
        return f"{{%{self.level} end{self.name} %}}" if self.level else f"{{% end{self.name} %}}"


def broken_tag(part: str, element: Element) -> str:
    """Which block tag of `element` (the root of a template part, named `part`: "body", "page header") is left
    open or closes nothing, and what to type back, said as Word shows it; "" when every block is closed (the
    fault is elsewhere)."""
    stack: list[_Tag] = []
    for tag in _block_tags(part, element):
        if tag.name in _OPENERS:
            stack.append(tag)
        elif tag.name.startswith("end"):
            if stack and stack[-1].name == tag.name.removeprefix("end"):
                stack.pop()
            elif stack:
                return f"{_unclosed(stack[-1])}, before the `{tag.text}` {tag.place}. {_type_back(stack[-1])}"
            else:
                return (f"the `{tag.text}` {tag.place} closes nothing: the tag that opened its block is missing. Type "
                        f"it back where the block begins, or delete the `{tag.text}`")
    return f"{_unclosed(stack[-1])}. {_type_back(stack[-1])}" if stack else ""


def _unclosed(tag: _Tag) -> str:
    return f"the `{tag.text}` {tag.place} is never closed: its `{tag.closing}` is missing"


def _type_back(tag: _Tag) -> str:
    """What to do in Word: docxtpl's `{%tr …%}` tags stand in a table row of their own, `{%p …%}` in a paragraph."""
    alone = {"tr": ", in a table row of its own", "tc": ", in a table cell of its own",
             "p": ", on a line of its own"}.get(tag.level, "")
    return f"Type `{tag.closing}` back where the block ends{alone}, as reportgen's own template has it"


def _block_tags(part: str, element: Element) -> Iterator[_Tag]:
    for paragraph in element.iter(W_P):
        text = "".join(t.text or "" for t in paragraph.iter(W_T))
        for found in _BLOCK_TAG.finditer(text):
            table = _table_of(paragraph)
            yield _Tag(" ".join(found.group(0).split()), found.group(1) or "", found.group(2),
                       f"in {table} in the {part}" if table else f"in the {part}")


def _table_of(paragraph: Element) -> str:
    """Which table of the template `paragraph` is in, as an officer knows it; "" when in none."""
    table = next(paragraph.iterancestors(W_TBL), None)
    if table is None:
        return ""
    text = "".join(t.text or "" for t in table.iter(W_T))
    if "paper.cover" in text:
        return "the cover sheet table"
    if "paper.changes" in text:
        return "the table of changes since the last draft"
    return "a table"
