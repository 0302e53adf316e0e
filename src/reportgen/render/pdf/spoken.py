"""What a screen reader says of a tagged PDF's arrows and links, which WeasyPrint leaves as they are drawn.

- A movement's arrow ("↑ from In progress (2026-09)", `reportgen.paper_rules.ARROW_WORDS`) is read "upwards
  arrow", or not at all. The template puts each arrow in a span of its own (`<span class="arrow">`), which
  WeasyPrint tags as a Span holding one Span of one marked run: that run, when it draws one arrow and
  nothing else, gets the arrow's words as its structure element's /ActualText ("Moved up").
- A text with arrows among its words (`reportgen.model.Paper.spoken_sentences`) where they are not in spans: the
  progress summary's legend, "1 moved forward (↑)" (a run ending before an arrow moves the rest of its line by a
  fraction of a point), and the movements of a paper.html.j2 copied before the arrows had spans. The element that
  draws the text whole, in lines of its own, gets it all in words as its /ActualText ("1 moved forward (Moved
  up)", "Moved up from In progress (2026-09)"). A page break inside such a text leaves an element on each page
  (WeasyPrint tags each page's part of a paragraph as one of its own): each gets its own part in words.
- A link annotation's /Contents (its alternate description, PDF/UA-1 7.18.5) is the raw URL as WeasyPrint
  writes it; it becomes the link's text as drawn ("Safer Wessex Plan"), the URL kept where the text is none.
  A link broken over lines, a Link element a line, becomes one element (`reportgen.render.pdf.link_lines`).

The drawn text is read from the page content's bytes as WeasyPrint writes it (one BT … TJ ET within each
marked run, hex glyph codes of a font whose /ToUnicode maps single codes); a run in another form is left as it
is. Nothing drawn changes: the pages are the same pixels. Called on a one-document PDF
(`reportgen.render.pdf.artifacts`) and on each part before it is joined (`reportgen.render.pdf.join`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import pikepdf

from reportgen.paper_rules import arrow_words, spoken_text
from reportgen.render.pdf.link_lines import one_link_element, point_parent_tree
from reportgen.render.pdf.subsets import cmap_text

_MARKED = re.compile(rb"/[A-Za-z][A-Za-z0-9]*[ \t\r\n]*<<[ \t\r\n]*/MCID[ \t\r\n]+(\d+)[ \t\r\n]*>>[ \t\r\n]*BDC"
                     rb"(?![A-Za-z0-9])(.*?)(?<![A-Za-z0-9])EMC(?![A-Za-z0-9])", re.S)
_FONT = re.compile(rb"/([^\s/<>\[\]()%]+)[ \t\r\n]+[-+\d.]+[ \t\r\n]+Tf(?![A-Za-z0-9])")
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_UNSURE = re.compile(rb"[()]|(?<![A-Za-z0-9])(?:BDC|BMC|BI|Do)(?![A-Za-z0-9])")


def give_words(pdf: pikepdf.Pdf, sentences: Sequence[tuple[str, str]] = ()) -> bool:
    """Arrows with their words, `sentences` ((shown, words): `Paper.spoken_sentences`) in their words and links
    with their text, in place; whether anything changed. Every arrow a paper shows is in one of its sentences
    (a movement, the summary's legend): with none, no page's text is read for arrows (most papers, the first
    month's; the draft comparison), only the pages that have links."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return False
    parents = _entries(root.ParentTree)
    texts = PageTexts(pdf)
    said = {unspaced(shown): words for shown, words in sentences}
    changed = False
    links: list[tuple[Any, Any]] = []
    pieces: list[list[tuple[Any, str]]] = []  # each page's paragraphs that draw no sentence whole
    for page in pdf.pages:
        elements = parents.get(int(page.obj.get("/StructParents", -1)))
        pieces.append([])
        if isinstance(elements, pikepdf.Array) and said:  # no sentences: the paper shows no arrow to look for
            changed |= _arrows(page, elements, texts)
            changed |= _sentences(page, elements, texts, said, pieces[-1])
        for annotation in list(page.obj.get("/Annots", pikepdf.Array())):
            element = parents.get(int(annotation.get("/StructParent", -1)))
            if annotation.get("/Subtype") != pikepdf.Name.Link or not isinstance(element, pikepdf.Dictionary):
                continue
            if _within_link(annotation, element):
                changed |= _drop_annotation(page, annotation, element)
            else:
                links.append((annotation, element))
    changed |= _split_sentences(pieces, {unspaced(shown): shown for shown, _words in sentences})
    taken: dict[tuple[int, int], Any] = {}
    for link in _whole_links(links):
        changed |= _describe_link(link, texts)
        taken.update(one_link_element(link))  # after its text is read, line by line
    point_parent_tree(root.ParentTree, taken)
    return changed or bool(taken)


def _within_link(annotation: Any, element: Any) -> bool:
    """Whether a link annotation is one WeasyPrint adds for a box inside a link (a bold or italic word of it: the
    template draws a link as one <a>, its formatting inside): its element is not the Link but one inside it, whose
    own annotation, to the same place, covers the box already. A screen reader would find a second link there."""
    target = _uri(annotation)
    if element.get("/S") == pikepdf.Name.Link or not target:
        return False
    parent, depth = element.get("/P"), 0
    while isinstance(parent, pikepdf.Dictionary) and parent.get("/Type") == pikepdf.Name.StructElem and depth < 20:
        if parent.get("/S") == pikepdf.Name.Link:
            kids = parent.get("/K")
            return isinstance(kids, pikepdf.Array) and any(
                isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.OBJR
                and _uri(kid.Obj) == target for kid in kids)
        parent, depth = parent.get("/P"), depth + 1
    return False


def _uri(annotation: Any) -> str:
    """The address a link annotation goes to; "" for none."""
    action = annotation.get("/A")
    return str(action.get("/URI", "")) if isinstance(action, pikepdf.Dictionary) else ""


def _drop_annotation(page: pikepdf.Page, annotation: Any, element: Any) -> bool:
    """Take a link annotation off its page and its object reference out of its structure element."""
    annotations = page.obj.get("/Annots")
    kids = element.get("/K")
    if not isinstance(annotations, pikepdf.Array) or not isinstance(kids, pikepdf.Array):
        return False
    page.obj.Annots = pikepdf.Array([other for other in annotations if other.objgen != annotation.objgen])
    element.K = pikepdf.Array([kid for kid in kids if not (
        isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.OBJR
        and kid.Obj.objgen == annotation.objgen)])
    return True


def _whole_links(links: list[tuple[Any, Any]]) -> Iterator[list[tuple[Any, Any]]]:
    """The link annotations (with their elements) by link: a link broken over lines is one Link element and
    annotation a line, each the next sibling of the one before, to the same place; its description is all of it."""
    whole: list[tuple[Any, Any]] = []
    for annotation, element in links:
        if whole and not _goes_on(whole[-1], (annotation, element)):
            yield whole
            whole = []
        whole.append((annotation, element))
    if whole:
        yield whole


def _goes_on(before: tuple[Any, Any], after: tuple[Any, Any]) -> bool:
    """Whether `after` is the next line of the link `before` ends: the next sibling, to the same place, on a
    line below it or a later page (two links to one address side by side on a line are two links, each
    described by its own text)."""
    (first, first_element), (second, second_element) = before, after
    target = (str(first.get("/A", {}).get("/URI", "")), str(first.get("/Dest", "")))
    if target != (str(second.get("/A", {}).get("/URI", "")), str(second.get("/Dest", ""))):
        return False
    if _on_one_line((first, first_element), (second, second_element)):
        return False
    parent = first_element.get("/P")
    if not isinstance(parent, pikepdf.Dictionary) or second_element.get("/P") is None \
            or second_element.P.objgen != parent.objgen or not isinstance(parent.get("/K"), pikepdf.Array):
        return False
    kids = [kid.objgen if isinstance(kid, pikepdf.Dictionary) else None for kid in parent.K]
    return first_element.objgen in kids and kids.index(first_element.objgen) + 1 < len(kids) \
        and kids[kids.index(first_element.objgen) + 1] == second_element.objgen


def _on_one_line(before: tuple[Any, Any], after: tuple[Any, Any]) -> bool:
    """Whether two link annotations are on one page and one line: their rectangles overlap top to bottom."""
    (first, first_element), (second, second_element) = before, after
    pages = first_element.get("/Pg"), second_element.get("/Pg")
    if not all(isinstance(page, pikepdf.Dictionary) for page in pages) or pages[0].objgen != pages[1].objgen:
        return False
    try:
        (low, high), (other_low, other_high) = (sorted(float(y) for y in annotation.Rect[1::2])
                                                for annotation in (first, second))
    except (AttributeError, TypeError, ValueError):
        return False
    return min(high, other_high) - max(low, other_low) > 0.5 * min(high - low, other_high - other_low)


def _arrows(page: pikepdf.Page, elements: pikepdf.Array, texts: PageTexts) -> bool:
    """The page's lone arrows in their own spans given their words: whether there were any."""
    candidates = [mcid for mcid, element in enumerate(elements) if _arrow_span(element)]
    if not candidates:
        return False
    drawn = texts.of(page.obj)
    changed = False
    for mcid in candidates:
        words = arrow_words(drawn.get(mcid, ""))
        if words and elements[mcid].get("/ActualText") != words:
            elements[mcid].ActualText = pikepdf.String(words)
            changed = True
    return changed


def _arrow_span(element: Any) -> bool:
    """A Span of one marked run, the only child of a Span (the template's `<span class="arrow">`)."""
    if not isinstance(element, pikepdf.Dictionary) or element.get("/S") != pikepdf.Name.Span:
        return False
    kids, parent = element.get("/K"), element.get("/P")
    if not (isinstance(kids, pikepdf.Array) and len(kids) == 1 and isinstance(kids[0], int)):
        return False
    if not isinstance(parent, pikepdf.Dictionary) or parent.get("/S") != pikepdf.Name.Span:
        return False
    siblings = parent.get("/K")
    return isinstance(siblings, pikepdf.Array) and len(siblings) == 1


def _sentences(page: pikepdf.Page, elements: pikepdf.Array, texts: PageTexts, said: dict[str, str],
               pieces: list[tuple[Any, str]]) -> bool:
    """The page's elements that draw one of the sentences of `said` (keyed by its text without spaces) whole,
    given its words as /ActualText: whether any changed. WeasyPrint tags a paragraph's text as a Span a line,
    each of one marked run: such an element is one whose kids are all those Spans; spaces aside, as a line
    ends without its space. One with other elements in it (a link, a span of the template's) is not one.
    Every other such element is added to `pieces` with its text, spaces aside: it may draw a sentence's part
    (`_split_sentences`)."""
    changed = False
    seen: set[tuple[int, int]] = set()
    for element in elements:
        holder = element.get("/P") if isinstance(element, pikepdf.Dictionary) else None
        if not isinstance(holder, pikepdf.Dictionary) or holder.objgen in seen:
            continue
        seen.add(holder.objgen)
        mcids = _lines(holder, page)
        drawn = texts.of(page.obj) if mcids else {}
        runs = [drawn.get(mcid) for mcid in mcids]
        if not runs or None in runs:
            continue
        text = unspaced("".join(run or "" for run in runs))
        words = said.get(text)
        if words is None:
            pieces.append((holder, text))
        elif holder.get("/ActualText") != words:
            holder.ActualText = pikepdf.String(words)
            changed = True
    return changed


def _split_sentences(pieces: list[list[tuple[Any, str]]], shown: dict[str, str]) -> bool:
    """Each sentence of `shown` (its text as shown, keyed by that text without spaces) that a page break cuts:
    each of its parts, one element a page on successive pages (WeasyPrint tags a paragraph broken over pages as
    an element on each page, each in a section of that page's own), given its own part's words as /ActualText
    (`paper_rules.spoken_text`: "moved back (Moved down)"); whether any changed. A part is an element of
    `pieces` (a page's elements that draw no sentence whole, with their text, spaces aside) whose text begins a
    sentence, or goes on with it on the next page, of the same structure type as the part before it."""
    begun: dict[str, list[str]] = {}  # each sentence's beginnings (its text cut short) -> the sentences
    for key in shown:
        for end in range(1, len(key)):
            begun.setdefault(key[:end], []).append(key)
    changed = False
    for number, page in enumerate(pieces):
        for holder, text in page:
            for key in begun.get(text, ()):  # a paper's thousands of cells: one look-up each
                parts = _parts(pieces, number, (holder, text), key)
                if parts:
                    changed |= _give_parts(parts, shown[key])
                    break
    return changed


def _parts(pieces: list[list[tuple[Any, str]]], number: int, first: tuple[Any, str],
           key: str) -> list[tuple[Any, str]]:
    """The parts of the sentence `key` (without spaces) from `first` on page `number` on, one a page, each the
    first element on its page of the type of `first` that goes on with the text; [] when they do not end it."""
    parts, done = [first], first[1]
    for page in pieces[number + 1:]:
        found = next(((holder, text) for holder, text in page if text and key.startswith(done + text)
                      and holder.get("/S") == first[0].get("/S")), None)
        if found is None:
            return []
        parts.append(found)
        done += found[1]
        if done == key:
            return parts
    return []


def _give_parts(parts: list[tuple[Any, str]], sentence: str) -> bool:
    """Each part of `sentence` (an element and its text, spaces aside) its words as /ActualText: the sentence cut
    where each part's text ends, spaces kept inside a part and dropped where it was cut."""
    changed, at = False, 0
    for holder, text in parts:
        start, count = at, 0
        while at < len(sentence) and count < len(text):
            count += not sentence[at].isspace()
            at += 1
        words = spoken_text(sentence[start:at].strip())
        if holder.get("/ActualText") != words:
            holder.ActualText = pikepdf.String(words)
            changed = True
    return changed


def _lines(element: Any, page: pikepdf.Page) -> list[int]:
    """The MCIDs of `element`'s lines, in order, when its kids are only Spans of marked runs on `page` (a
    paragraph's text as WeasyPrint tags it); [] otherwise."""
    kids = element.get("/K")
    mcids: list[int] = []
    if not isinstance(kids, pikepdf.Array) or not len(kids):
        return []
    for line in kids:
        if not (isinstance(line, pikepdf.Dictionary) and line.get("/S") == pikepdf.Name.Span
                and isinstance(line.get("/K"), pikepdf.Array) and all(isinstance(run, int) for run in line.K)
                and isinstance(line.get("/Pg"), pikepdf.Dictionary) and line.Pg.objgen == page.obj.objgen):
            return []
        mcids.extend(int(run) for run in line.K)
    return mcids


def unspaced(text: str) -> str:
    return "".join(text.split())


def _describe_link(link: list[tuple[Any, Any]], texts: PageTexts) -> bool:
    """Each annotation of a link described by the link's text as drawn (its elements' marked runs, on their
    pages: `_link_text`); whether any /Contents changed. A link whose text cannot all be read keeps what it had."""
    lines: list[str] = []
    for _annotation, element in link:
        page, kids = element.get("/Pg"), element.get("/K")
        if not isinstance(page, pikepdf.Dictionary) or not isinstance(kids, pikepdf.Array):
            return False
        drawn = texts.of(page)
        runs = [drawn.get(mcid) for mcid in _marked_ids(kids)]
        if not runs or None in runs:
            return False
        lines.append("".join(run or "" for run in runs))
    first = link[0][0]
    text = _link_text(lines, str(first.get("/A", {}).get("/URI", "")))
    changed = False
    for annotation, _element in link:
        if text and str(annotation.get("/Contents", "")) != text:
            annotation.Contents = pikepdf.String(text)
            changed = True
    return changed


def _marked_ids(kids: Any, depth: int = 0) -> Iterator[int]:
    """The marked runs (MCIDs) of a structure element's kids in order, those of the elements inside it too (a bold
    word of a link is a Span of its own inside the Link); annotation references are not runs."""
    for kid in kids:
        if isinstance(kid, int):
            yield int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem and depth < 20:
            inner = kid.get("/K")
            yield from _marked_ids(inner if isinstance(inner, pikepdf.Array) else [inner], depth + 1)


def _link_text(lines: list[str], target: str) -> str:
    """A link's text from its lines (each its runs as drawn, spaces and all): a space where a line ends (WeasyPrint
    draws no space at a line's end), but in an address broken where it has none ("https://", "example.org/plan":
    the text, spaces aside, ends the link's target, as a bare URL or an e-mail address does)."""
    spaced = " ".join(" ".join(lines).split())
    joined = unspaced(spaced)
    return joined if len(lines) > 1 and joined and target.endswith(joined) else spaced


class PageTexts:
    """The text each marked run of a page draws (MCID -> text), read once a page; runs not read are left out."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.pages: dict[tuple[int, int], dict[int, str]] = {}
        self.fonts: dict[tuple[int, int], dict[int, str] | None] = {}

    def of(self, page: Any) -> dict[int, str]:
        if page.objgen not in self.pages:
            self.pages[page.objgen] = dict(self._read(page))
        return self.pages[page.objgen]

    def _read(self, page: Any) -> Iterator[tuple[int, str]]:
        contents = page.get("/Contents")
        streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents or [])
        data = b"\n".join(stream.read_bytes() for stream in streams if isinstance(stream, pikepdf.Stream))
        fonts = page.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary())
        for found in _MARKED.finditer(data):
            run = found[2]
            font_names = _FONT.findall(run)
            if len(set(font_names)) != 1 or _UNSURE.search(_FONT.sub(b"", run)):
                continue  # no font of its own, several, a literal string, nested marks: not certain
            font = fonts.get("/" + font_names[0].decode("latin-1"))
            codes = self._codes(font) if isinstance(font, pikepdf.Dictionary) else None
            shown = b"".join(_HEX.findall(run))
            if codes is None or len(shown) % 4:
                continue
            glyphs = [codes.get(int(shown[at:at + 4], 16)) for at in range(0, len(shown), 4)]
            if None not in glyphs:
                yield int(found[1]), "".join(glyph for glyph in glyphs if glyph is not None)

    def _codes(self, font: Any) -> dict[int, str] | None:
        """A two-byte (Identity-H) font's codes -> text, from its /ToUnicode; None when that cannot be read."""
        if font.objgen not in self.fonts:
            unicode = font.get("/ToUnicode")
            mapped = (cmap_text(unicode.read_bytes()) if font.get("/Encoding") == pikepdf.Name("/Identity-H")
                      and isinstance(unicode, pikepdf.Stream) else None)
            self.fonts[font.objgen] = None if mapped is None else {
                code: bytes.fromhex(text.decode("ascii")).decode("utf-16-be", "replace")
                for code, text in mapped.items()}
        return self.fonts[font.objgen]


def _entries(tree: Any) -> dict[int, Any]:
    """The parent tree's number -> entry (an array of a page's elements, or a link's element), kids too."""
    entries: dict[int, Any] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        nums = node.get("/Nums", pikepdf.Array())
        for at in range(0, len(nums) - 1, 2):
            entries[int(nums[at])] = nums[at + 1]
        stack.extend(node.get("/Kids", pikepdf.Array()))
    return entries

