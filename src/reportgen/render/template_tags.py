"""The Word template's own tags, as an officer sees them in Word: which of those the paper needs are gone
(`missing_tags`), for a template whose tags Jinja cannot read, which tag and where (`broken_tag`), and what a
tag standing for its whole table row, cell or paragraph takes with it when docxtpl fills the template in
(`swallowed`, `outside_block`, `lost_pictures`).

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

from reportgen.render.template_pages import footer_name, shown_pages

Element = Any  # lxml elements (python-docx oxml classes)

W_P, W_T, W_TBL = qn("w:p"), qn("w:t"), qn("w:tbl")
# what Word draws as a picture: DrawingML (Insert > Pictures), VML (older Word, LibreOffice) and OLE objects
PICTURES = (qn("w:drawing"), qn("w:pict"), qn("w:object"))


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
    elsewhere: str = ""  # what the tag is, typed in a part where it is not this one (the title's: a running title)

    @property
    def tag(self) -> str:
        return f"{{{{ paper.{self.field} }}}}"

    @property
    def parts(self) -> tuple[str, ...]:
        """The template parts, as Word names them, any one of which holding the tag shows its words as needed."""
        return ("body",) if self.where == "body" else ("page header", "page footer")


@dataclass(frozen=True)
class MissingTag:
    """A needed tag the template lacks where its words belong, and the parts that hold it all the same (the title
    kept as the page header's running title, the marking moved into the body): those do not show the words as
    needed, so the writer still puts them back, and the issue says what is there so as not to say "no tag" of a
    template the officer can see holds one."""

    needed: NeededTag
    found_in: tuple[str, ...]  # "body", "page header", "page footer": where the tag is, though not needed there
    # of a tag needed on every page that some pages show (`template_pages.Pages.key`): the pages that show it in
    # neither their header nor their footer; empty when no page shows it
    unmarked: tuple[tuple[int, str], ...] = ()

    @property
    def where(self) -> str:
        """Where the template lacks the tag, as the issue says it: "in its body (only the page header's running
        title)"."""
        lacking = f"in its {' or '.join(_short(self.needed.parts))}"
        if self.unmarked:
            names = [f"'{footer_name(key)}'" for key in self.unmarked]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            return (f"{lacking} on every page (the pages of {listed} have it in neither that footer nor their "
                    "header)")
        if not self.found_in:
            return lacking
        if self.needed.elsewhere and len(self.found_in) == 1:
            return f"{lacking} (only the {self.found_in[0]}'s {self.needed.elsewhere})"
        if self.needed.elsewhere:
            return f"{lacking} (only a {self.needed.elsewhere} in its {' and '.join(_short(self.found_in))})"
        return f"{lacking} (only in its {' and '.join(_short(self.found_in))})"


def _short(parts: tuple[str, ...]) -> list[str]:
    """Word's part names as said in a row: "page header or footer", not "page header or page footer"."""
    return [part.removeprefix("page ") if index and parts[index - 1].startswith("page ") else part
            for index, part in enumerate(parts)]


# Every `{{ paper.… }}` tag of reportgen's template, and why the others are not here: the draft marking and the
# issues blocking publication are put back by the writer whatever the template (`writer.mark_draft`); the cover
# rows' absence is `template-no-cover`; "Changes since the last draft" is a table the template may leave out, and
# the running title in the page header a line of the look (the body's title is the paper's).
NEEDED_TAGS = (
    NeededTag("title", "body", "the paper's title", "at the top of the first page, in the Title style",
              "at the top of the first page", elsewhere="running title"),
    NeededTag("subtitle", "body", "the paper's subtitle (reportgen.toml's subtitle)",
              "under the cover sheet table (under the title when there is none), in the Subtitle style",
              "under the cover sheet table, before [[NARRATIVE]]", optional=True),
    NeededTag("marking", "page", "the restricted edition's protective marking on every page",
              "at the top of every page", "in the page header and footer"),
    NeededTag("exempt_note", "body", "the public paper's note of the exempt actions it leaves out (\"Not shown in "
              "this paper: …\")", "under the delivery-plan table", "under the delivery-plan table"),
)


def missing_tags(document: DocxDocument) -> tuple[MissingTag, ...]:
    """The needed tags that `document` (a template, before it is filled in) no longer has in a part where its
    words belong, whatever other part holds it; a tag needed on every page, also when only some pages lack it
    (a footer the paper's pages show lost it, though a first page's footer, not shown on them, kept it)."""
    texts = _part_texts(document)
    missing = []
    for needed in NEEDED_TAGS:
        if not any(_holds(texts[part], needed.field) for part in needed.parts):
            missing.append(MissingTag(needed, tuple(part for part in texts if part not in needed.parts
                                                    and _holds(texts[part], needed.field))))
        elif needed.where == "page" and (unmarked := _unmarked_pages(document, needed.field)):
            missing.append(MissingTag(needed, (), unmarked))
    return tuple(missing)


def _unmarked_pages(document: DocxDocument, field: str) -> tuple[tuple[int, str], ...]:
    """The pages (`template_pages.Pages.key`) whose header and footer both lack a tag printing `field`."""
    return tuple(pages.key for pages in shown_pages(document)
                 if not any(part is not None and _holds(_text(part), field) for part in (pages.header, pages.footer)))


def _holds(text: str, field: str) -> bool:
    """Whether `text` has a tag printing the paper's `field` (`{{ paper.title }}`, `{{paper.title|upper}}`)."""
    return re.search(rf"\{{\{{-?\s*paper\s*\.\s*{field}\b[^}}]*\}}\}}", text) is not None


def _part_texts(document: DocxDocument) -> dict[str, str]:
    """The words of the body, of every page header and of every page footer (first-page and even ones too)."""
    texts = {"body": _text(document.element.body), "page header": "", "page footer": ""}
    for part, element in page_parts(document):
        texts[part] += "\n" + _text(element)
    return texts


def page_parts(document: DocxDocument) -> Iterator[tuple[str, Element]]:
    """Each page header and footer part of `document` (first-page and even ones too): "page header" or "page
    footer", and its root element."""
    for rel in document.part.rels.values():
        element = getattr(rel.target_part, "element", None) if not rel.is_external else None
        if rel.reltype in (RT.HEADER, RT.FOOTER) and element is not None:
            yield "page header" if rel.reltype == RT.HEADER else "page footer", element


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


def _table_of(element: Element) -> str:
    """Which table of the template `element` (a paragraph, a row) is in, as an officer knows it; "" when in none."""
    table = next(element.iterancestors(W_TBL), None)
    if table is None:
        return ""
    text = "".join(t.text or "" for t in table.iter(W_T))
    if "paper.cover" in text:
        return "the cover sheet table"
    if "paper.changes" in text:
        return "the table of changes since the last draft"
    return "a table"


# ---------------------------------------------------------------- what a tag's row, cell or paragraph takes with it


# a tag docxtpl puts in place of the whole table row, cell or paragraph it is in: `{%tr for … %}`, `{%p if … %}`
_WHOLE_TAG = re.compile(r"\{[%{#](tr|tc|p)\s[^}%#]*(?:%\}|\}\}|#\})?")


def swallowed(root: Element) -> list[tuple[str, Element]]:
    """("tr", "tc" or "p", the element) of each table row, cell and paragraph of `root` (the root of a template
    part) that docxtpl replaces by the tag it holds, outermost only: whatever else it holds (a picture, a line
    typed beside the tag) is gone from the Word paper. A row's tag takes the whole row, as docxtpl reads rows
    first."""
    found: dict[int, tuple[str, Element]] = {}
    for paragraph in root.iter(W_P):
        levels = {match[1] for match in _WHOLE_TAG.finditer(_paragraph_text(paragraph))}
        level = next((level for level in ("tr", "tc", "p") if level in levels), None)
        if level is None:
            continue
        element = paragraph if level == "p" else next(paragraph.iterancestors(qn(f"w:{level}")), None)
        if element is not None:
            found.setdefault(id(element), (level, element))
    return [(level, element) for level, element in found.values()
            if not any(id(ancestor) in found for ancestor in element.iterancestors())]


def outside_block(paragraph: Element) -> tuple[Element, bool]:
    """Where what `paragraph` holds (one docxtpl takes away for its `{%p … %}` tag) stands as it did in Word,
    whatever the tags decide: (a paragraph beside it, whether before that paragraph). Before the tag for one
    that opens a block (or before the outermost block it is in), after the outermost block for one that ends
    it: a logo put on the `{%p if paper.draft_marking %}` line, where Word's cursor lands in the page header,
    shows on every page, draft or not."""
    depth, start, reached = 0, paragraph, False
    preceding = list(paragraph.itersiblings(W_P, preceding=True))[::-1]
    for sibling in [*preceding, paragraph, *paragraph.itersiblings(W_P)]:
        name = _paragraph_tag(sibling)  # docxtpl keeps a paragraph's first tag only
        if depth == 0:
            start = sibling
        if sibling is paragraph:
            reached = True
            if not name.startswith("end"):
                return start, True
        depth = depth + 1 if name in _OPENERS else max(depth - 1, 0) if name.startswith("end") else depth
        if reached and depth == 0:
            return sibling, False
    return paragraph, False


def _paragraph_tag(paragraph: Element) -> str:
    """The name of the `{%p … %}` block tag `paragraph` holds ("if", "endfor", "else"), or ""."""
    for match in _BLOCK_TAG.finditer(_paragraph_text(paragraph)):
        return match[2] if match[1] == "p" else ""
    return ""


def lost_pictures(document: DocxDocument) -> list[tuple[str, str]]:
    """(the tag as typed, where, as Word shows it) of each table row or cell holding a picture that docxtpl
    replaces by its `{%tr … %}` or `{%tc … %}` tag, in the body, a page header or a page footer: the Word paper
    leaves the picture out with the row, and which row it belongs in cannot be told (a picture on a `{%p … %}`
    line the writer keeps, beside it)."""
    found: list[tuple[str, str]] = []
    for part, root in [("body", document.element.body), *page_parts(document)]:
        for level, element in swallowed(root):
            if level == "p" or next(element.iter(*PICTURES), None) is None:
                continue
            tag = next(match[0] for paragraph in element.iter(W_P)
                       for match in _WHOLE_TAG.finditer(_paragraph_text(paragraph)) if match[1] == level)
            table = _table_of(element)
            found.append((" ".join(tag.split()), f"in {table} in its {part}" if table else f"in its {part}"))
    return found


def _paragraph_text(paragraph: Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(W_T))
