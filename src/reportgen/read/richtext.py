"""Partner text and the narrative Markdown, turned into `RichText` values.

Both parsers return a tuple of `Block`s, never markup strings, so the DOCX and PDF renderers only lay
out values and partner text can never change a document's structure. Only the few tags and syntaxes
named below are understood; everything else (unknown tags, template syntax, a lone `<` or `&`) is
kept as literal text. Links survive only with an http, https or mailto target (`safe_href`).
This module must not render, log partner text, or raise on any string. It sits with the readers, below the
checks: the merge tells a row sent back as its workbook was pre-filled by the text `typed_again` wrote there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from reportgen.issues import Issue, issue
from reportgen.model import Block, Inline, PartnerReturn, RichText, plain_text
from reportgen.read.cells import KNOWN_TAG, XML_INVALID, clean_text, pasted_bullet
from reportgen.wording import INVISIBLE

Kind = Literal["paragraph", "heading", "bullet", "number"]
Context = tuple[Kind, int]

MAX_LIST_LEVEL = 2  # what the renderers indent in partner text's narrow cells; deeper lists are drawn at level 2
MAX_NARRATIVE_LIST_LEVEL = 3  # the narrative's full width has room for a third (Word's List Number 3); deeper: at 3
MAX_HEADING_LEVEL = 3  # the narrative's `###`; a deeper heading is printed at this level
PARAGRAPH: Context = ("paragraph", 1)

_URL_EDGE = "".join(chr(code) for code in range(0x21))  # what browsers strip from both ends of a URL
_URL_FORBIDDEN = re.compile(r'[\s\x00-\x20\x7f"<>\\]')
_SPACES = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r" ?\n\s*")  # a line break within a block, the blanks around it, and the breaks after it
_LINE_MARKER = re.compile(r"[^\S\n]*[-*·][^\S\n]+")
_TRAILING = ".,;:!?'\""
_SENTENCE_END = re.compile(r"[.!?:;…][\"'’”)\]]*$")  # a full stop, maybe inside quotes or brackets
_HREF_ATTR = re.compile(r"""(?:^|\s)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_LINKISH = re.compile(
    r"\[(?P<label>[^\[\]\n]+)\]\((?P<target>(?:[^()\s]|\([^()\s]*\))*)\)"
    r"|(?P<url>\b(?:https?://|mailto:|www\.\w)[^\s<>\"]*)"
    r"|(?P<email>\b[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b)",  # bounded: no quadratic backtracking
    re.IGNORECASE,
)
_FORMATTING = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline"}
_LIST_TAGS = ("ul", "ol", "li")


def safe_href(url: str | None) -> str | None:
    """The link policy, for the paper and every renderer: the URL if it is an http(s) link with a host
    or a mailto link, else None (the text is shown without a link). A URL it returns it returns unchanged
    when asked again, so a renderer writes exactly the link the paper holds."""
    if not url:
        return None
    # browsers drop tabs and newlines anywhere and C0/space at the ends: `java\tscript:` is javascript:
    candidate = re.sub(r"[\t\n\r]", "", url).strip(_URL_EDGE)
    if _URL_FORBIDDEN.search(candidate) or INVISIBLE.search(candidate) or XML_INVALID.search(candidate):
        return None
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme in ("http", "https"):
        return candidate if host else None
    if parts.scheme == "mailto":
        return candidate if parts.path else None
    return None


# ---------------------------------------------------------------- building blocks


@dataclass
class _Builder:
    """Collects inlines into the block being built; `start` closes it (dropping it when empty)."""

    blocks: list[Block] = field(default_factory=list)
    inlines: list[Inline] = field(default_factory=list)
    kind: Kind = "paragraph"
    level: int = 1
    link: int = 0  # the HTML link (`<a>`, numbered from 1) the last inline added is inside; 0 for none
    list_start: int | None = None  # the number the numbered list just opened starts at, for its first item
    max_list_level: int = MAX_LIST_LEVEL  # the deepest list level laid out; a list deeper is drawn at it
    keeps_depth: bool = False  # a list drawn at `max_list_level` for being deeper keeps its depth (`Block.deeper`)
    deeper: int = 0  # the block being built: how many levels deeper than its level its list was written

    def start(self, kind: Kind, level: int = 1, list_start: int | None = None) -> None:
        """Close the block being built and begin one of `kind`; `list_start`: a numbered list opens here, its
        first item (the next block that has words: an empty one is dropped) numbered so."""
        inlines = _tidy(self.inlines)
        if inlines:
            start = self.list_start if self.kind == "number" else None
            self.blocks.append(Block(self.kind, inlines, self.level, start, self.deeper))
            self.list_start = None
        self.list_start = list_start if list_start is not None else self.list_start
        self.inlines, self.link = [], 0
        deepest = self.max_list_level if kind != "heading" else MAX_HEADING_LEVEL
        self.kind, self.level = kind, max(1, min(level, deepest))
        self.deeper = level - self.level if self.keeps_depth and kind in ("bullet", "number") else 0

    def add(self, inline: Inline, link: int = 0) -> None:
        """Add `inline`; words of one `<a>` (`link`) that look alike are one inline, as written in two tags
        (`<b>Board</b><b> papers</b>`): the renderers draw a link's neighbours of one look as two links."""
        if not inline.text:
            return
        previous = self.inlines[-1] if self.inlines else None
        if link and link == self.link and previous and replace(previous, text="") == replace(inline, text=""):
            self.inlines[-1] = replace(previous, text=previous.text + inline.text)
        else:
            self.inlines.append(inline)
        self.link = link

    @property
    def empty(self) -> bool:
        return not any(inline.text.strip() for inline in self.inlines)

    def result(self) -> RichText:
        self.start("paragraph")
        return tuple(self.blocks)


def _tidy(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Merge plain neighbours, collapse spaces (also across inlines) and strip the block's ends. A line break
    within the block (a "\n": a `<br>` inside a list item) loses the spaces around it, and several in a row are one,
    as a paragraph's empty lines are none."""
    merged: list[Inline] = []
    for inline in inlines:
        previous = merged[-1] if merged else None
        # same marks and no link on either side: one run (the renderers make fewer runs)
        if previous and previous.href is None and replace(previous, text="") == replace(inline, text=""):
            merged[-1] = replace(previous, text=previous.text + inline.text)
        else:
            merged.append(inline)
    tidied: list[Inline] = []
    for inline in merged:
        text = _LINE_BREAKS.sub("\n", _SPACES.sub(" ", inline.text))
        if text.startswith("\n") and tidied:
            _strip_end(tidied, " ")
        if not tidied or tidied[-1].text.endswith("\n"):
            text = text.lstrip(" \n")
        elif tidied[-1].text.endswith(" "):
            text = text.lstrip(" ")
        if text:
            tidied.append(replace(inline, text=text))
    _strip_end(tidied, " \n")
    return tuple(tidied)


def _strip_end(tidied: list[Inline], chars: str) -> None:
    """Take `chars` off the end of the last inlines (dropping any left empty)."""
    while tidied and tidied[-1].text.endswith(tuple(chars)):
        text = tidied[-1].text.rstrip(chars)
        tidied[-1:] = [replace(tidied[-1], text=text)] if text else []


@dataclass
class _Marks:
    """Formatting and link targets open at this point of the input."""

    counts: dict[str, int] = field(default_factory=lambda: {"bold": 0, "italic": 0, "underline": 0})
    links: list[str | None] = field(default_factory=list)  # None: a link whose target was refused
    langs: list[str] = field(default_factory=list)  # the languages of the narrative's passages open here

    def mark(self, name: str, closing: bool) -> None:
        self.counts[name] = max(0, self.counts[name] + (-1 if closing else 1))

    def inline(self, text: str, href: str | None = None) -> Inline:
        if self.links:
            href = self.links[-1]
        counts = self.counts
        return Inline(text, href, counts["bold"] > 0, counts["italic"] > 0, counts["underline"] > 0,
                      lang=self.langs[-1] if self.langs else None)


# ---------------------------------------------------------------- partner explanations


def parse_explanation(text: str) -> RichText:
    """A partner's explanation cell (plain text, HTML fragments, Markdown-ish links) as blocks.

    `<p>`, `<br>` and each line break start a new paragraph, except inside an `<li>`, where each is a line break
    within the item (a "\n" in its text, as every renderer draws it: a partner's Alt+Enter in an item shows in
    Excel as the item's next line, not a new bullet), but for a line that starts with a list marker;
    `<ul>`/`<ol>`/`<li>`, a `•` at the start of a line (anywhere in a `<ul>` with no `<li>`: `_bullet_pieces`),
    a `-`, `*` or `·` marker at the start of a line, and the bullets of a list pasted from Word
    (`pasted_bullet`: its second and third levels indented) start list items. Entities are decoded only when
    the cell holds one of the tags we understand (it is HTML-ish); plain text is shown as written. In such a
    cell, a `<p>` or `</p>` inside a sentence does not end its paragraph (`_rejoined`).
    """
    state = _parsed(text)
    blocks = state.builder.result()
    return _rejoined(blocks, state.line_breaks) if state.html_mode else blocks


def _sentences_rejoined(state: _Explanation) -> tuple[str, ...]:
    """Where `parse_explanation` joined a paragraph to the one before, each as "…last words / first words…":
    said to the officer (`explanation_issues`), never done silently."""
    if not state.html_mode:
        return ()
    blocks = state.builder.result()
    joins = []
    for index in _joined_at(blocks, state.line_breaks):
        before, after = blocks[index - 1].text.split(), blocks[index].text.split()
        joins.append(f"…{' '.join(before[-4:])} / {' '.join(after[:4])}…")
    return tuple(joins)


def _rejoined(blocks: RichText, line_breaks: set[int]) -> RichText:
    """Paragraphs split inside a sentence, joined again with a space between.

    Some systems export a cell's HTML with a `<p>` wherever the text crossed a page (`…Manager (FTM) has
    <p>been appointed.`): shown as written, the paper breaks a sentence into two paragraphs. A paragraph
    continues the one before when that one does not end a sentence and this one starts in lower case, or with
    a bracket straight after a word (`…Team <p>(CRT) to ensure…`). A paragraph after a line break the partner
    typed (`<br>`, Alt+Enter: its index is in `line_breaks`), list items and headings are left alone.
    """
    joins = _joined_at(blocks, line_breaks)
    joined: list[Block] = []
    for index, block in enumerate(blocks):
        if index in joins:
            joined[-1] = replace(joined[-1], inlines=_tidy([*joined[-1].inlines, Inline(" "), *block.inlines]))
        else:
            joined.append(block)
    return tuple(joined)


def _joined_at(blocks: RichText, line_breaks: set[int]) -> list[int]:
    """The one rule of `_rejoined` and `_sentences_rejoined`, so the paper and the notes cannot disagree: the
    index of each block that goes on from the one before (`_continues`), not after a typed line break."""
    return [index for index in range(1, len(blocks))
            if index not in line_breaks and _continues(blocks[index - 1], blocks[index])]


def _continues(previous: Block, block: Block) -> bool:
    """Whether paragraph `block` is the rest of the sentence that paragraph `previous` leaves unfinished."""
    if previous.kind != "paragraph" or block.kind != "paragraph" or previous.level != block.level:
        return False
    before, after = previous.text.rstrip(), block.text.lstrip()
    if not before or not after or _SENTENCE_END.search(before):
        return False
    return after[0].islower() or (after[0] == "(" and before[-1].isalnum())


def explanation_issues(returns: Sequence[PartnerReturn], explanation_heading: str) -> list[Issue]:
    """What reading a return's explanations did that the officer should know, each explanation parsed once: a
    link whose target the paper refuses (javascript:, file:, a relative path…; its words are shown without it,
    so the officer can ask the partner for the address they meant), then each list its HTML never closed (its last
    item runs to the end of the cell), then each sentence its HTML broke into two paragraphs, shown whole."""
    links: list[Issue] = []
    lists: list[Issue] = []
    joins: list[Issue] = []
    for partner_return in returns:
        column = partner_return.heading("explanation", explanation_heading)
        for update in partner_return.updates:
            state = _parsed(update.explanation)
            where = {"file": update.file, "sheet": update.sheet, "row": update.row, "ref": update.ref,
                     "column": column}
            links += [issue("link-not-kept", value=target, **where) for target in state.refused]
            if last_item := _list_left_open(state):
                lists.append(issue("list-not-closed", value=last_item, **where))
            joins += [issue("paragraphs-joined", value=join, **where) for join in _sentences_rejoined(state)]
    return [*links, *lists, *joins]


def _list_left_open(state: _Explanation) -> str:
    """The words of the cell's last list item when the words after the list look read into it: the HTML ends inside
    the item, its list never closed (`<ul> • a • b Those…`, no `</ul>`), and the item ends a sentence where the
    items before it in the list do not (`• Drug testing … cocaine • … night-time economy Those naïve to treatment
    are given support….`). Where the list was meant to end cannot be known, so the officer is told
    (`explanation_issues`), never guessed. "" otherwise: a list closed by `</li>` or `</ul>`, a lone item, items
    that all end alike. Asked before `_sentences_rejoined`, which closes the block being built."""
    builder = state.builder
    if not state.html_mode or not state.lists or builder.kind not in ("bullet", "number") or builder.empty:
        return ""
    last = "".join(inline.text for inline in _tidy(builder.inlines)).replace("\n", " ")
    earlier: list[str] = []
    for block in reversed(builder.blocks):
        if block.kind != builder.kind or block.level < builder.level:
            break
        if block.level == builder.level:
            earlier.append(block.text.rstrip())
    if not earlier or not _SENTENCE_END.search(last) or any(_SENTENCE_END.search(text) for text in earlier):
        return ""
    return last


def _parsed(text: str) -> _Explanation:
    cleaned, _ = clean_text(text)
    pasted = [found[0] for line in cleaned.split("\n") if (found := pasted_bullet(line))]
    state = _Explanation(html_mode=KNOWN_TAG.search(cleaned) is not None, pasted_top=min(pasted, default=1))
    # where the cell's last list tag ends: words after it are in no list the cell closes or goes on with later
    lists_end = max((tag.end() for tag in KNOWN_TAG.finditer(cleaned) if tag["name"].lower() in _LIST_TAGS),
                    default=0)
    position = 0
    for tag in KNOWN_TAG.finditer(cleaned):
        state.text(cleaned[position : tag.start()], cleaned[tag.start() :] if position >= lists_end else None)
        state.tag(tag)
        position = tag.end()
    state.text(cleaned[position:], "" if position >= lists_end else None)
    return state


def typed_again(text: str) -> str:
    """A partner's explanation as they would type it into a cell: for a pre-filled return workbook.

    A cell of HTML fragments (`<p>…</p>`, from a system that exports HTML) is written as lines, `• `
    bullets and `[label](address)` links, which `parse_explanation` reads back to the same blocks. Kept
    as written when it holds no tags, and when typing cannot say the same (bold or italic words,
    numbered or second-level lists): nothing a partner wrote is lost.
    """
    if not _holds_tags(text):
        return text
    blocks = parse_explanation(text)
    typed = "\n".join(("• " if block.kind == "bullet" else "") + "".join(map(_typed_inline, block.inlines))
                      for block in blocks)
    return typed if parse_explanation(typed) == blocks else text


@lru_cache(maxsize=4096)
def shown_update(explanation: str) -> str:
    """An update as the paper shows it (its words, paragraphs and links), so that the same update typed
    as HTML one month and as the pre-filled workbook's text the next is the same update: the one comparison
    of the stalled-actions check, the merge and the chase list."""
    return repr(parse_explanation(explanation))


def shown_text(text: str) -> str:
    """A cell of HTML fragments or `[words](address)` links (a register cell linked in Excel is read so) as the
    words the paper shows, a line a paragraph or item (a locked cell of a pre-filled workbook: the register's
    action); other text as written."""
    linked = any(match["label"] is not None for match in _LINKISH.finditer(text))
    return plain_text(parse_explanation(text)) if linked or _holds_tags(text) else text


def _holds_tags(text: str) -> bool:
    """Whether a cell holds one of the tags `parse_explanation` understands (it is HTML-ish)."""
    return KNOWN_TAG.search(clean_text(text)[0]) is not None


def _typed_inline(inline: Inline) -> str:
    if inline.href is None or inline.href in (inline.text, "mailto:" + inline.text, "https://" + inline.text):
        return inline.text  # a bare address or e-mail: linked again as it is read
    return f"[{inline.text}]({inline.href})"


@dataclass
class _List:
    kind: Kind
    level: int
    item_open: bool = False
    items_tagged: bool = False  # an `<li>` has opened in it: its items are tagged, never typed as "•" mid-line


@dataclass
class _Explanation:
    html_mode: bool
    builder: _Builder = field(default_factory=_Builder)
    marks: _Marks = field(default_factory=_Marks)
    lists: list[_List] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # link targets as written that safe_href refused
    bare_item: bool = False  # an <li> with no list around it is open
    links_opened: int = 0  # the `<a>` tags opened so far: the number of the one open (`_Builder.add`)
    line_breaks: set[int] = field(default_factory=set)  # blocks after a typed line break (`_line_broken`)
    # the shallowest level of the cell's bullets pasted from Word: its first level (a list copied from a sub-list,
    # or drawn with Word's third-level square throughout, is not indented under nothing)
    pasted_top: int = 1

    def in_item(self) -> bool:
        """Whether a list item is open here and being built (its `<br>` is a line within it)."""
        if self.builder.kind not in ("bullet", "number"):
            return False
        return self.lists[-1].item_open if self.lists else self.bare_item

    def context(self) -> Context:
        return (self.lists[-1].kind, self.lists[-1].level) if self.lists else PARAGRAPH

    def tag(self, match: re.Match[str]) -> None:
        name, closing = match["name"].lower(), bool(match["end"])
        if name in _FORMATTING:
            self.marks.mark(_FORMATTING[name], closing)
        elif name == "a":
            self._link(match["attrs"] or "", closing)
        elif name in ("ul", "ol"):
            self._list("number" if name == "ol" else "bullet", closing)
        elif name == "li":
            self._item(closing)
        elif name in ("br", "p") and self.in_item():
            self._line_break()  # a line (or paragraph) within the list item, not an item of its own
        elif name == "br":
            self._line_broken()
        else:  # p
            self.builder.start(*self.context())

    def _line_broken(self) -> None:
        """A new block after a line break the partner typed: `_rejoined` never joins it to the block before."""
        self.builder.start(*self.context())
        self.line_breaks.add(len(self.builder.blocks))

    def _link(self, attrs: str, closing: bool) -> None:
        if closing:
            del self.marks.links[-1:]
            return
        found = _HREF_ATTR.search(attrs)
        target = next((group for group in found.groups() if group is not None), "") if found else ""
        self.marks.links.append(self._checked(html.unescape(target)))
        self.links_opened += 1

    def _checked(self, target: str) -> str | None:
        href = safe_href(target)
        if href is None and target.strip():
            self.refused.append(target.strip())
        return href

    def _list(self, kind: Kind, closing: bool) -> None:
        if closing:
            del self.lists[-1:]
        else:
            # a <ul> straight after another with no <li> open is the partner's next item, not a sub-list
            parent = self.lists[-1] if self.lists else None
            level = 1 if parent is None else parent.level + int(parent.item_open)
            self.lists.append(_List(kind, level))
        self.builder.start(*self.context())

    def _item(self, closing: bool) -> None:
        if self.lists:
            self.lists[-1].item_open = not closing
            self.lists[-1].items_tagged = True
        else:
            self.bare_item = not closing
        self.builder.start(*(self.context() if self.lists or closing else ("bullet", 1)))

    def text(self, text: str, after: str | None = None) -> None:
        """Words between two tags; `after`: the rest of the cell after them when it holds no list tag (`_ends_list`)."""
        if self.html_mode:
            text = clean_text(html.unescape(text))[0]
        bullet_level = self.context()[1]
        outer: int | None = None  # the indent of the cell's first "- " line: one indented further is a sub-point
        lines = text.split("\n")
        for number, line in enumerate(lines):
            if number and after is not None and self._ends_list("\n".join(lines[number:]) + after):
                self.lists.clear()
                self.bare_item = False
                self._line_broken()  # a paragraph after the list
                bullet_level = 1
            elif number and self.html_mode and self.in_item() and not _starts_item(line):
                self._line_break()  # Alt+Enter within an <li>: a line of the item, as Excel shows it
            elif number:
                self._line_broken()
            for index, piece in enumerate(self._bullet_pieces(line)):
                if index:
                    self.builder.start("bullet", bullet_level)
                elif self.builder.empty and (marker := _LINE_MARKER.match(piece)):
                    indent = len(piece[: len(piece) - len(piece.lstrip())].expandtabs(2))  # a tab as 2 spaces
                    outer = indent if outer is None else min(outer, indent)
                    self.builder.start("bullet", bullet_level + (indent > outer))
                    piece = piece[marker.end() :]
                elif self.builder.empty and (pasted := pasted_bullet(piece)):  # a list copied from Word
                    self.builder.start("bullet", bullet_level + pasted[0] - self.pasted_top)
                    piece = piece[pasted[1] :]
                for inline in self._inlines(piece):
                    self.builder.add(inline, self._link_open())

    def _bullet_pieces(self, line: str) -> list[str]:
        """A line split where a typed "•" starts a list item: at the line's start, and anywhere in a `<ul>` whose
        items are typed as bullets with no `<li>` (`<ul> • a • b`, as some systems export a list). A "•" in a
        sentence is the partner's own character ("housing • transport • health"), kept as written, also between
        the items of a list tagged `<li>`."""
        if self.lists and not self.lists[-1].item_open and not self.lists[-1].items_tagged:
            return line.split("•")
        first, bullet, rest = line.partition("•")
        return ["", rest] if bullet and not first.strip() else [line]

    def _ends_list(self, rest: str) -> bool:
        """Whether the line break before `rest` (the rest of the cell, no list tag in it) ends a list the cell never
        closes: the words after the list's last item are a paragraph of their own when the partner put them on a line
        of their own after it (`<ul> • a • b⏎Those…`), and, after an `<li>` (where a typed line is the item's next
        line), when an empty line comes before them. A line that starts an item, or a bullet after it, keeps the list
        going, as it did; a "•" inside a line of words is the partner's own character ("housing • transport"), which
        starts no item. After an item closed by `</li>` (the list open, no item), a line of words is after the list."""
        closed_item = bool(self.lists) and self.lists[-1].items_tagged and not self.lists[-1].item_open
        if not (self.lists or self.bare_item) or self.builder.kind not in ("bullet", "number"):
            return False
        if self.builder.empty and not closed_item:
            return False
        lines = html.unescape(KNOWN_TAG.sub(_tag_as_text, rest)).split("\n")
        words = [line for line in lines if line.strip()]
        if not words or any(_starts_item(line) or line.lstrip().startswith("•") for line in words):
            return False
        return not self.in_item() or not lines[0].strip()

    def _link_open(self) -> int:
        """The number of the `<a>` open here (`_Builder.add` joins its words of one look); 0 outside one."""
        return self.links_opened if self.marks.links else 0

    def _line_break(self) -> None:
        """A line within a list item (a "\n"): in the link it is typed in, if any, so that the link stays one."""
        self.builder.add(self.marks.inline("\n"), self._link_open())

    def _inlines(self, text: str) -> Iterator[Inline]:
        if self.marks.links:  # already inside <a>: no links within links
            yield self.marks.inline(text)
            return
        position = 0
        for match in _LINKISH.finditer(text):
            yield self.marks.inline(text[position : match.start()])
            yield from self._link_inlines(match)
            position = match.end()
        yield self.marks.inline(text[position:])

    def _link_inlines(self, match: re.Match[str]) -> Iterator[Inline]:
        if match["label"] is not None:
            yield self.marks.inline(match["label"], self._checked(match["target"]))
            return
        yield from _address_inlines(match, self.marks)


def _address_inlines(match: re.Match[str], marks: _Marks) -> Iterator[Inline]:
    """A bare web or e-mail address (`_LINKISH`'s `url` or `email`) linked, and the punctuation after it not:
    the one reading of an address typed as text, in partner text and the narrative alike."""
    written = _trim_url(match["url"] or match["email"])
    if match["email"]:
        target = "mailto:" + written
    elif written.lower().startswith("www."):
        target = "https://" + written
    else:
        target = written
    yield marks.inline(written, safe_href(target))
    yield marks.inline(match[0][len(written) :])


def _tag_as_text(tag: re.Match[str]) -> str:
    """A tag as the lines it makes: a new line for `<br>` and `<p>`, nothing for formatting or a link."""
    return "\n" if tag["name"].lower() in ("br", "p") else ""


def _starts_item(line: str) -> bool:
    """Whether a line starts a list item of its own wherever it is typed: a `-`, `*` or `·` marker, or a bullet
    pasted from Word (inside an `<li>`, another line is only the item's next line)."""
    return _LINE_MARKER.match(line) is not None or pasted_bullet(line) is not None


def _trim_url(url: str) -> str:
    """A bare URL without the sentence punctuation after it (a `)` only when it closes nothing)."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


# ---------------------------------------------------------------- narrative Markdown


class _Markdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return True  # safe_href decides, so a refused link keeps its text instead of its source


# tables are read so that one is known as a table (`NotShown`), not run together as a paragraph of pipes; a paragraph
# indented by a tab or four spaces (Word's first-line indent, pasted) is an ordinary paragraph: a Panel paper has no
# code, and read as code its bold and links would print as typed, each line a paragraph of its own
_MARKDOWN = _Markdown("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable("code")
# a "•", or a "·" and a space (as partner text reads it), typed or pasted as text at the start of a line
_BULLET_TYPED = re.compile(r"[^\S\n]*(?:•[^\S\n]*|·[^\S\n]+)")
_CELLS = ("th_open", "td_open", "th_close", "td_close")
# a line that ends a sentence or a quotation: not ":" ("The partners are:", a list wrapped after it) nor ")"
_SENTENCE_ENDS = (".", "!", "?", "'", '"', "\u2019", "\u201d", ".)", "?)", "!)")
# Word's numbering as it pastes it, a number, letter or roman numeral and "." or ")", then a tab ("a.\tItem"); and
# a list item whose marker Word wrote, a tab after it ("2)\tItem"): a hand-typed marker has a space after it
_WORD_NUMBER = re.compile(r"[^\S\n]*(?:\d{1,9}|[A-Za-z]|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})[.)]\t")
_WORD_ITEM = re.compile(r"[^\S\n]*(?:[-*+]|\d{1,9}[.)])\t")
_LIST_CLOSE = ("bullet_list_close", "ordered_list_close")
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]:?")  # a footnote's mark ("[^1]") or the start of its note ("[^1]:")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # an HTML comment, closed: a note to the writers, never printed
# a passage in another language than the paper's: <span lang="cy">, the tag as BCP 47 writes it, in straight or curly
# quotes (an editor's smart quotes), or its end
_QUOTE = "[\"'\u201c\u201d\u2018\u2019]"
_LANG_TAG = re.compile(rf"<span\s+lang\s*=\s*{_QUOTE}(?P<lang>[A-Za-z]{{2,3}}(?:-[A-Za-z0-9]{{1,8}})*){_QUOTE}\s*>"
                       r"|</span\s*>", re.IGNORECASE)
_COMMENT_OPEN = "<!--"  # what is left of one after the closed ones are taken out: a comment never closed


@dataclass(frozen=True)
class _Pasted:
    """How a paragraph's lines pasted from Word are read: Word pastes one paragraph a line, so the line after one of
    Word's (a bulleted or numbered one) is never more of its words. `word_first`: the paragraph opens a list item
    Word wrote; `after`: where an unmarked line after one of Word's goes (None: on a line of its own in the item,
    the list going on after it)."""

    word_first: bool = False
    after: Context | None = PARAGRAPH


@dataclass(frozen=True)
class NotShown:
    """Markdown the paper cannot show as written, as `read_markdown` found it: an image (its description is printed
    in its place), a table (its rows are printed as lines), a link to an address `safe_href` refuses (its words
    are printed without it), a heading deeper than `###` (printed at its level) or one that skips a level (printed
    as written, the outline a screen reader moves through missing a level), a quotation (printed as a paragraph), a
    horizontal rule (left out), a footnote or struck-through words (printed as typed: `words` as written), or an
    HTML comment (left out: the writers' note, never printed; one never closed, with everything after it), a
    list deeper than three levels (drawn at the third; `level`: its depth as written), or a passage's language
    (`<span lang="cy">`, `words`) never ended in its paragraph (it runs to the paragraph's end), or a sentence
    written straight after a list item, with no blank line, which Markdown prints as part of that item
    (`joined-to-item`). `line`: 1-based, in the
    narrative as filled in; the check (`reportgen.check.narrative_markdown`) says it as the officer's line, with
    what the line holds as written."""

    what: Literal["image", "table", "link", "heading-too-deep", "heading-skipped", "comment", "comment-not-closed",
                  "quote", "rule", "footnote", "strikethrough", "list-too-deep", "language-not-closed",
                  "joined-to-item"]
    line: int
    words: str = ""  # an image's description, or a link's words, as printed
    address: str = ""  # the image's file or the link's address, as written
    level: int = 0  # a heading's level: as written when too deep, else as printed; a too deep list's, as written
    before: int = 0  # a skipping heading's: the level of the heading before it (0: the paper's title)


def render_markdown(source: str) -> RichText:
    """The paper's narrative (Markdown after Jinja) as blocks; raw HTML stays literal text."""
    return read_markdown(source)[0]


def read_markdown(source: str) -> tuple[RichText, tuple[NotShown, ...]]:
    """The narrative's blocks, and what of its Markdown the paper cannot show as written (`NotShown`).

    Lists, headings, bold, italic and links are the paper's own. Bullets pasted from Word (`• item`, or Word's
    symbol bullets) are list items, as in partner text; a bare web or e-mail address is a link, as in partner
    text. An image prints its description; a table prints a line per row, its cells split by " | "."""
    builder = _Builder(max_list_level=MAX_NARRATIVE_LIST_LEVEL, keeps_depth=True)
    lists: list[Context] = []
    text, not_shown = _comments_left_out(clean_text(source)[0])
    headings: list[tuple[int, int]] = []  # (line, level as written) of each heading
    items: list[int] = []  # the paragraphs so far of each list item open here, the innermost last
    numbers: list[int] = []  # the number the next item of each list open here is given, the innermost last
    opened = ""  # the block the next inline is in: only a paragraph's lines can be pasted list items
    tokens, lines = _MARKDOWN.parse(text), text.split("\n")
    for at, token in enumerate(tokens):
        context = lists[-1] if lists else PARAGRAPH
        opened = token.type if token.type.endswith("_open") else opened
        if token.type in ("bullet_list_open", "ordered_list_open"):
            not_shown += _list_opened(token, builder, lists, numbers)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            _list_closed(builder, lists, numbers)
        elif token.type == "list_item_open":
            items.append(0)
            numbers[-1] += 1
            builder.start(*context)
        elif token.type == "list_item_close":
            items.pop()
            builder.start(*context)
        elif token.type in ("paragraph_open", "paragraph_close") and items:
            _item_paragraph(builder, items, context, token.type == "paragraph_open")
        elif token.type == "heading_open":
            builder.start("heading", int(token.tag[1:]))
            headings.append((token.map[0] + 1 if token.map else 1, int(token.tag[1:])))
        elif token.type == "inline":
            first_line = token.map[0] + 1 if token.map else 1
            pasted = _pasted(tokens, at, lists, lines) if opened == "paragraph_open" else None
            not_shown += _markdown_inline(token.children or [], builder, context, first_line, pasted)
            not_shown += _joined_to_item(token, lines) if items and opened == "paragraph_open" else []
            not_shown += _footnotes(token.content, first_line)
        elif token.type in ("blockquote_open", "hr"):  # a quotation is printed as a paragraph; a rule is left out
            not_shown.append(NotShown("quote" if token.type == "blockquote_open" else "rule",
                                      token.map[0] + 1 if token.map else 1))
            builder.start(*context)
        elif token.type in ("code_block", "fence", "html_block"):
            for line in token.content.split("\n"):
                builder.start(*context)
                builder.add(Inline(line))
        elif token.type == "table_open":
            not_shown.append(NotShown("table", token.map[0] + 1 if token.map else 1))
            builder.start(*context)
        elif token.type in ("th_open", "td_open") and not builder.empty:
            builder.add(Inline(" | "))  # the row's next cell, on the row's line
        elif token.type.endswith(("_open", "_close")) and token.type not in _CELLS:
            builder.start(*context)
    not_shown += _headings_not_kept(headings)
    return builder.result(), tuple(sorted(not_shown, key=lambda each: each.line))


def _joined_to_item(token: Token, lines: list[str]) -> list[NotShown]:
    """A list item's paragraph that goes on, unindented, into a sentence of its own (`joined-to-item`): "- 26
    actions have 'Not Started'" with "During 2022/23, …" on the next line, no blank line between. Markdown reads
    the sentence as the item's (a lazy continuation), so the paper prints it in the bullet, where the officer
    meant a paragraph. Said for a line starting at the margin with a capital, after a line ending as a sentence or
    a quotation does; an item's long text wrapped onto lines of its own ("… funded by the" / "Home Office", "The
    partners are:" / "Wessex Police, …") is no such line, nor one after a line break written in the item (two
    spaces or a backslash at the end of the line before)."""
    if token.map is None:
        return []
    start, end = token.map
    for index in range(start + 1, min(end, len(lines))):
        line, before = lines[index], lines[index - 1]
        if before.endswith(("  ", "\\")):  # a line break written in the item: the line after it is the item's
            continue
        if line[:1].isupper() and before.rstrip().endswith(_SENTENCE_ENDS):
            return [NotShown("joined-to-item", index + 1, line.strip())]
    return []


def _list_opened(token: Token, builder: _Builder, lists: list[Context], numbers: list[int]) -> list[NotShown]:
    """Open the list `token` opens, its first item numbered as written ("3. Third step" starts it at 3); a list
    deeper than the paper's three levels is drawn at the third, numbered on its own, and said at its line."""
    start = _list_start(token) if token.type == "ordered_list_open" else None
    lists.append(("bullet" if token.type == "bullet_list_open" else "number", len(lists) + 1))
    numbers.append(start or 1)
    builder.start(*lists[-1], list_start=start)
    if len(lists) <= MAX_NARRATIVE_LIST_LEVEL:
        return []
    return [NotShown("list-too-deep", token.map[0] + 1 if token.map else 1, level=len(lists))]


def _list_closed(builder: _Builder, lists: list[Context], numbers: list[int]) -> None:
    """Close the innermost list. One drawn at the third level for being deeper was laid out among the items of the
    list around it, so that list's next item is given its number as written (`2. A.1.2` after a fourth level under
    `1. A.1.1`), not one counted on from the deeper list's."""
    deeper = len(lists) > MAX_NARRATIVE_LIST_LEVEL
    lists.pop()
    numbers.pop()
    if deeper and lists[-1][0] == "number":
        builder.start(*lists[-1], list_start=numbers[-1])
    else:
        builder.start(*(lists[-1] if lists else PARAGRAPH))


def _item_paragraph(builder: _Builder, items: list[int], context: Context, opening: bool) -> None:
    """A paragraph of the list item open here: its first starts the item; a second (indented under the item, after a
    blank line) goes on in the same item on a line of its own, as the officer wrote it under the item's words, so
    the item keeps its number and the items after it keep theirs."""
    if not opening:
        return
    items[-1] += 1
    if items[-1] > 1 and builder.kind == context[0] and not builder.empty:
        builder.add(Inline("\n"))
    else:
        builder.start(*context)


def _comments_left_out(text: str) -> tuple[str, list[NotShown]]:
    """The narrative without its HTML comments (`<!-- check these figures -->`), and where each was: a comment is
    the writers' note, meant hidden, which an HTML page never shows; printed, a note about the paper would go to the
    Panel and the public. A `<!--` never closed leaves out everything after it, as an HTML page does (said as an
    error: the paper is incomplete until the officer closes it). Each comment's line breaks are kept, so every line
    after it keeps its number."""
    found: list[NotShown] = []

    def left_out(comment: re.Match[str]) -> str:
        found.append(NotShown("comment", text.count("\n", 0, comment.start()) + 1))
        return "\n" * comment[0].count("\n")

    text = _COMMENT.sub(left_out, text)
    opened = text.find(_COMMENT_OPEN)
    if opened < 0:
        return text, found
    # never closed: where the note ends cannot be known, and a browser hides all after it, so nothing of it is printed
    found.append(NotShown("comment-not-closed", text.count("\n", 0, opened) + 1))
    return text[:opened] + "\n" * text.count("\n", opened), found


def _list_start(token: Token) -> int:
    """The number an ordered list's first item was written with."""
    start = token.attrGet("start")
    return int(start) if isinstance(start, (int, str)) and str(start).isdigit() else 1


def _headings_not_kept(headings: list[tuple[int, int]]) -> list[NotShown]:
    """Each heading deeper than the paper's three levels (printed at the third), and each that goes more than one
    level below the heading before it (the first: below the paper's title, level 0), as printed: a screen reader
    or the PDF's outline would find a level missing."""
    found: list[NotShown] = []
    before = 0
    for line, written in headings:
        level = min(written, MAX_HEADING_LEVEL)
        if written > MAX_HEADING_LEVEL:
            found.append(NotShown("heading-too-deep", line, level=written))
        if level > before + 1:
            found.append(NotShown("heading-skipped", line, level=level, before=before))
        before = level
    return found


def _pasted(tokens: list[Token], at: int, lists: list[Context], lines: list[str]) -> _Pasted:
    """How the paragraph whose inline is `tokens[at]` reads lines pasted from Word (`_Pasted`). A line with no
    marker after the last item of a list Word wrote is a paragraph after the list, as it was in Word; within the
    list, or in a list item typed by hand, a line of the item."""
    item = tokens[at - 2] if at >= 2 and tokens[at - 2].type == "list_item_open" else None
    if item is None:
        return _Pasted(after=None if lists else PARAGRAPH)
    word_first = item.map is not None and _WORD_ITEM.match(lines[item.map[0]]) is not None
    ends = [token.type for token in tokens[at + 1 : at + 4]]
    last = len(ends) == 3 and ends[:2] == ["paragraph_close", "list_item_close"] and ends[2] in _LIST_CLOSE
    return _Pasted(word_first, (lists[-2] if len(lists) > 1 else PARAGRAPH) if word_first and last else None)


def _markdown_inline(children: list[Token], builder: _Builder, context: Context, first_line: int,
                     pasted: _Pasted | None) -> list[NotShown]:
    """Lay out one paragraph's (heading's, cell's) inlines; its images and refused links, each at its line, are
    returned. `pasted`: how its lines pasted from Word are read, a line that starts with a bullet a list item
    (None: a heading's or a cell's, whose lines are never items)."""
    marks = _Marks()
    found: list[NotShown] = []
    refused: NotShown | None = None  # the link open here, when its address was refused: its words are gathered
    line, line_start = first_line, True
    starts = [child for child, before in zip(children, [None, *children], strict=False)
              if before is None or before.type in ("softbreak", "hardbreak")]
    top = min((start[0] for child in starts if (start := _line_bullet(child)) is not None), default=1)
    word_line = False  # the line laid out is one of Word's paragraphs (a bulleted or numbered one)
    for index, child in enumerate(children):
        if pasted is not None and line_start and (bullet := _line_bullet(child)) is not None:
            builder.start("bullet", context[1] + bullet[0] - top)  # a list pasted from Word: its items
            child = child.copy(content=child.content[bullet[1] :])
            word_line = True
        elif pasted is not None and line_start:
            numbered = child.type == "text" and _WORD_NUMBER.match(child.content) is not None
            if index and (word_line or numbered):  # one of Word's paragraphs, or the line after one: a line apart
                _line_after_word(builder, pasted, numbered)
            word_line = numbered or (not index and pasted.word_first)
        line_start = child.type in ("softbreak", "hardbreak")
        if refused is not None and child.type in ("text", "code_inline", "softbreak", "image"):
            refused = replace(refused, words=refused.words + (child.content or " "))
        if child.type == "text":
            for inline in _text_inlines(child.content, marks):
                builder.add(inline)
        elif child.type in ("code_inline", "html_inline"):
            builder.add(marks.inline(child.content))
        elif child.type == "softbreak" and not word_line:  # after one of Word's lines, the next starts apart
            builder.add(marks.inline(" "))
        elif child.type == "hardbreak" and context[0] in ("bullet", "number"):
            builder.add(marks.inline("\n"))  # a line break within a list item: the item's next line, not a new item
        elif child.type == "hardbreak":
            builder.start(*context)
        elif child.type == "image":
            words = _alt_text(child)
            builder.add(marks.inline(words))
            found.append(NotShown("image", line, words, str(child.attrGet("src") or "")))
        elif child.type in ("s_open", "s_close"):  # the paper has no struck-through words: printed as typed
            builder.add(marks.inline(child.markup))
            found += [NotShown("strikethrough", line, _struck(children, index))] if child.type == "s_open" else []
        elif child.type in ("strong_open", "strong_close", "em_open", "em_close"):
            marks.mark("bold" if child.type.startswith("strong") else "italic", child.type.endswith("close"))
        elif child.type == "link_open":
            address = str(child.attrGet("href") or "")
            marks.links.append(safe_href(address))
            if marks.links[-1] is None and address.strip():
                refused = NotShown("link", line, "", address.strip())
        elif child.type == "link_close":
            del marks.links[-1:]
            found += [replace(refused, words=" ".join(refused.words.split()))] if refused is not None else []
            refused = None
        line += line_start
    if marks.langs:  # a passage's language never ended: it runs to the paragraph's end, said at the paragraph
        found.append(NotShown("language-not-closed", first_line, f'<span lang="{marks.langs[0]}">'))
    return sorted(found, key=lambda each: each.line)


def _struck(children: list[Token], opening: int) -> str:
    """The struck-through words opened at `children[opening]` as typed, between their tildes."""
    words = []
    for child in children[opening + 1 :]:
        if child.type == "s_close":
            break
        words.append(child.content if child.type in ("text", "code_inline") else " " if "break" in child.type else "")
    return f"~~{''.join(words)}~~"


def _footnotes(content: str, first_line: int) -> list[NotShown]:
    """Each footnote mark (`[^1]`) and note (`[^1]: …`) in a paragraph's Markdown, at its line: the paper has no
    footnotes, so both are printed as typed."""
    return [NotShown("footnote", first_line + content.count("\n", 0, found.start()), found[0])
            for found in _FOOTNOTE.finditer(content)]


def _line_after_word(builder: _Builder, pasted: _Pasted, numbered: bool) -> None:
    """Start the line after one of Word's pasted paragraphs: on a line of its own in the item ("a.\tLettered item"
    under "2)\tItem two", as Word indents it), or, unmarked after a list, a paragraph of its own after it."""
    if numbered or pasted.after is None:
        builder.add(Inline("\n"))
    else:
        builder.start(*pasted.after)


def _line_bullet(token: Token) -> tuple[int, int] | None:
    """(list level, where the words start) when a line of a paragraph starts with a bullet pasted as text: a "•",
    a "· ", or one of Word's symbol bullets (`pasted_bullet`), which partner text reads as list items too."""
    if token.type != "text":
        return None
    if typed := _BULLET_TYPED.match(token.content):
        return 1, typed.end()
    return pasted_bullet(token.content)


def _text_inlines(text: str, marks: _Marks) -> Iterator[Inline]:
    """A narrative text's inlines, a passage marked `<span lang="cy">…</span>` in its language (the only HTML the
    narrative reads: the paper shows no other as HTML); each address linked outside a link (`_addresses_linked`)."""
    position = 0
    for tag in _LANG_TAG.finditer(text):
        if tag["lang"] is None and not marks.langs:
            continue  # a "</span>" with no passage open: printed as typed
        yield from _plain_inlines(text[position : tag.start()], marks)
        if tag["lang"] is not None:
            marks.langs.append(tag["lang"])
        else:
            marks.langs.pop()
        position = tag.end()
    yield from _plain_inlines(text[position:], marks)


def _plain_inlines(text: str, marks: _Marks) -> Iterator[Inline]:
    if marks.links:
        yield marks.inline(text)
    else:
        yield from _addresses_linked(text, marks)


def _addresses_linked(text: str, marks: _Marks) -> Iterator[Inline]:
    """Narrative text with each bare web or e-mail address linked, as in partner text (`_address_inlines`); a
    `[words](address)` Markdown did not take as a link stays as written."""
    position = 0
    for match in _LINKISH.finditer(text):
        if match["label"] is None:
            yield marks.inline(text[position : match.start()])
            yield from _address_inlines(match, marks)
            position = match.end()
    yield marks.inline(text[position:])


def _alt_text(image: Token) -> str:
    parts = [child.content for child in image.children or [] if child.type in ("text", "code_inline")]
    return "".join(parts) or image.content
