"""The plan table's column widths, chosen once from the whole paper, so that the PDF (laid out in parts),
the DOCX and the web edition draw the same columns, and no ordinary word is broken inside a column.

Each column starts at its share (`reportgen.paper.build_paper.WIDTHS`) and grows to hold its longest
word, its heading's or a cell's as the renderers draw it, on the plan's page (the Word template's size
and text) and in the web edition in a desktop window (1280 pixels). What a column grows by is taken from
the explanation column first, then from the columns wider than their own words need. A word that needs
more than MAX_SHARE of the table (a link, a 40-letter word) is not fitted: it may still break, and only
such a word. A narrower window has widths of its own, fitted the same way at the web edition's narrowest
plan (`narrow_web_widths`: 56rem, or as wide as the columns' longest words need), below which the plan
scrolls sideways.

Words are measured, a little generously, with the character widths of the font the PDF sets the plan in
(the Word template's, measured by `reportgen.render.fonts` and carried on the theme: a template restyled
in Verdana needs wider columns than one in Arial), else with Arial's (Liberation Sans, which the web
edition uses, draws the same). Must not: read fonts or templates.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reportgen.look import FontWidths, PageSetup, Theme
from reportgen.model import Paper, PaperColumn

MAX_SHARE = 0.25  # a word wider than this share of the table may break: no column grows for it
DONOR = "explanation"  # the column the others' widths are taken from first,
DONOR_KEEPS = 0.7  # down to this part of its share; then from every column with room to spare
MARGIN = 1.04  # measured words are widened by this much: rounding, and fonts drawn a little wider
LONGEST = 80  # characters: a longer run (a pasted hash, a long link) is never fitted, nor measured

# Arial's advance widths (per 1000 of the font size) for '!' (33) to '~' (126): regular, then bold
_REGULAR = (
    "278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 278 "
    "278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 "
    "722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 "
    "556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584")
_BOLD = (
    "333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 333 "
    "333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 722 667 611 "
    "722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 "
    "611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584")
_ADVANCES = {False: tuple(int(w) / 1000 for w in _REGULAR.split()),
             True: tuple(int(w) / 1000 for w in _BOLD.split())}
OTHER_ADVANCE = 0.65  # a letter with no Latin base letter (Greek, Cyrillic, ß…)
WIDE_ADVANCE = 1.0  # an East Asian wide character

# a word: what the renderers never break inside, as written; a line may break after a hyphen or a dash
_WORD = re.compile(r"[^\s\-\u2010\u2013\u2014]*[\-\u2010\u2013\u2014]|[^\s\-\u2010\u2013\u2014]+")


@dataclass(frozen=True)
class TableLayout:
    """One edition's plan table, in one unit (points, or CSS pixels): its width, the sizes of its text,
    its headings and a status cell's notes, a cell's padding and rules across, and the status cell's bar."""

    width: float
    text: float
    header: float
    note: float
    padding: float
    status_bar: float
    text_font: FontWidths | None = None  # the text's font (None: Arial's widths)
    header_font: FontWidths | None = None  # the headings' font (None: the text's)


# paper.web.css in a 1280-pixel window: the table 1240px (the page's padding 1.25rem each side), text
# 0.95rem, notes 0.85rem, cells padded 0.5rem each side with 1px rules, a 6px bar left of the status
WEB = TableLayout(width=1240.0, text=15.2, header=15.2, note=13.6, padding=17.0, status_bar=6.0)
# ... and at its narrowest: 56rem (paper.web.css: a narrower window scrolls the plan sideways)
WEB_NARROW = dataclasses.replace(WEB, width=896.0)
# paper.css and the Word template: A4 landscape, 14mm margins, 8.5pt text; notes up to 8pt; cells padded
# 2mm each side in the PDF (Word's 0.19cm), a 4pt status bar in the PDF
PLAN_PAGE = PageSetup(297.0, 210.0, 17.0, 14.0, 16.0, 14.0)
PLAN_TEXT, NOTE_TEXT, CELL_PADDING, STATUS_BAR = 8.5, 8.0, 12.0, 4.0
POINTS_PER_MM = 72 / 25.4


def print_layout(theme: Theme | None) -> TableLayout:
    """The PDF's and the DOCX's plan table: the plan page's width between its margins, the template's sizes."""
    page = theme.plan_page if theme is not None and theme.plan_page is not None else PLAN_PAGE
    width = (page.width - page.left - page.right) * POINTS_PER_MM
    if width <= 0:
        width = (PLAN_PAGE.width - PLAN_PAGE.left - PLAN_PAGE.right) * POINTS_PER_MM
    text = (theme.table_text.size if theme is not None else None) or PLAN_TEXT
    header = (theme.table_header.size if theme is not None else None) or text
    fonts = (theme.table_text_widths, theme.table_header_widths) if theme is not None else (None, None)
    return TableLayout(width, text, header, max(NOTE_TEXT, text * NOTE_TEXT / PLAN_TEXT), CELL_PADDING, STATUS_BAR,
                       *fonts)


def fit_columns(paper: Paper) -> Paper:
    """`paper` with its columns' widths fitted to their longest words, on the plan's page and in the web
    edition in a desktop window (the same paper when they fit)."""
    widths = fitted_shares(paper, (WEB, print_layout(paper.theme)))
    if widths == tuple(column.width for column in paper.columns):
        return paper
    columns = tuple(dataclasses.replace(column, width=width)
                    for column, width in zip(paper.columns, widths, strict=True))
    return dataclasses.replace(paper, columns=columns)


def fitted_shares(paper: Paper, layouts: Sequence[TableLayout]) -> tuple[float, ...]:
    """The paper's column widths (shares of the table), each widened to hold its longest word in `layouts`
    (`fitted_widths`); the widths as they are when every word fits."""
    shares = [column.width for column in paper.columns]
    needs = [column_need(paper, column, layouts) for column in paper.columns]
    widths = fitted_widths(shares, needs, [column.key == DONOR for column in paper.columns])
    return tuple(shares) if widths is None else tuple(round(width, 4) for width in widths)


@dataclass(frozen=True)
class NarrowWeb:
    """The web edition's plan in a window too narrow for the paper's own widths (CSS pixels)."""

    widths: tuple[float, ...]  # the columns' shares, fitted at `least`
    least: float  # the plan's narrowest: 56rem, or what its columns' longest words add up to (narrower: it scrolls)
    own_fit: float  # the narrowest plan in which the paper's own widths hold every word


def narrow_web_widths(paper: Paper) -> NarrowWeb:
    """The web edition's column widths for a plan too narrow for the paper's own, fitted at the plan's
    narrowest: 56rem, or wider when the columns' longest words need more side by side (a plan of eight or
    nine columns), so that no ordinary word breaks in a narrower window either; it then scrolls sideways."""
    own_fit = max((column_need(paper, column, (WEB,)) * WEB.width / column.width
                   for column in paper.columns if column.width > 0), default=0.0)
    least = WEB_NARROW.width
    for _ in range(4):  # a wider plan lets longer words be fitted (MAX_SHARE): settles in a step or two
        needed = math.ceil(sum(column_need(paper, column, (dataclasses.replace(WEB, width=least),)) * least
                               for column in paper.columns))
        if needed <= least:
            break
        least = float(needed)
    return NarrowWeb(fitted_shares(paper, (dataclasses.replace(WEB, width=least),)), least, own_fit)


def fitted_widths(shares: Sequence[float], needs: Sequence[float], donor: Sequence[bool]) -> list[float] | None:
    """Each share raised to its need, what that adds taken from the donor (down to DONOR_KEEPS of its share,
    never below its need), then from every column in proportion to what it has beyond its need; None when
    every share already fits.
    When the needs alone add up to more than the table, each column gets its need's part of it."""
    if all(share >= need for share, need in zip(shares, needs, strict=True)):
        return None
    widths = [max(share, need) for share, need in zip(shares, needs, strict=True)]
    excess = sum(widths) - 1.0
    for index, is_donor in enumerate(donor):
        if is_donor and excess > 0:
            given = min(excess, max(0.0, widths[index] - max(needs[index], shares[index] * DONOR_KEEPS)))
            widths[index] -= given
            excess -= given
    slack = [max(0.0, width - need) for width, need in zip(widths, needs, strict=True)]
    if excess > 0 and sum(slack) >= excess:
        share = excess / sum(slack)
        widths = [width - room * share for width, room in zip(widths, slack, strict=True)]
    elif excess > 0:
        widths = [need / sum(needs) for need in needs]
    return widths


def column_need(paper: Paper, column: PaperColumn, layouts: Sequence[TableLayout]) -> float:
    """The share of the table `column` needs so that none of its words breaks, in any of `layouts`;
    words that would need more than MAX_SHARE are left to break."""
    texts = [(column.heading, "header")]
    texts.extend(_cell_texts(paper, column.key))
    need = 0.0
    seen: set[tuple[str, str]] = set()
    for text, kind in texts:
        for word in _WORD.findall(text):
            if len(word) > LONGEST or (word, kind) in seen:
                continue
            seen.add((word, kind))
            word_need = max(_word_need(word, kind, column.key, layout) for layout in layouts)
            if need < word_need <= MAX_SHARE:
                need = word_need
    return need


def _cell_texts(paper: Paper, key: str) -> Iterator[tuple[str, str]]:
    """Each cell's text in column `key`, with how it is drawn: "bold" (the status, the reference),
    "note" (a status cell's notes), else "text"."""
    for section in paper.sections:
        for row in section.rows:
            if key == "status":
                status = paper.status_cell(row)
                yield status.label, "bold"
                yield from ((note.text, "note") for note in status.notes)
            else:
                yield row.cell(key).text, "bold" if key == "ref" else "text"


def _word_need(word: str, kind: str, key: str, layout: TableLayout) -> float:
    size = {"header": layout.header, "note": layout.note}.get(kind, layout.text)
    bold = kind in ("header", "bold", "note")  # a note is bold in the PDF (its movement line)
    bar = layout.status_bar if key == "status" else 0.0
    font = (layout.header_font or layout.text_font) if kind == "header" else layout.text_font
    return (word_width(word, bold, font) * size * MARGIN + layout.padding + bar) / layout.width


def word_width(word: str, bold: bool = False, font: FontWidths | None = None) -> float:
    """`word`'s width in ems of `font` (regular or bold), Arial when it is not known."""
    advances = _ADVANCES[bold] if font is None else (font.bold if bold else font.regular)
    return sum(_advance(char, advances) for char in word)


def _advance(char: str, advances: tuple[float, ...]) -> float:
    code = ord(char)
    if 33 <= code <= 126:
        return advances[code - 33]
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return WIDE_ADVANCE
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    base = unicodedata.normalize("NFKD", char)[:1]
    return advances[ord(base) - 33] if base and 33 <= ord(base) <= 126 else OTHER_ADVANCE

