"""The presentation rules every renderer applies the same way, decided once for the `Paper`.

The Paper carries the results (`Paper.status_cell`, `Paper.status_styles`, `Paper.docx_created`,
`Paper.pdf_created`); the DOCX, PDF, web and comparison renderers only lay them out. The rules are
computed from the Paper's own fields, so a paper loaded back from draft.json gets the same answers as
the one `build_paper` made, and draft.json holds nothing more than before.

The link policy is `reportgen.read.richtext.safe_href`; the Word and HTML templates' changes table takes its
columns from `CHANGES_COLUMNS`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from reportgen.periods import is_period
from reportgen.terms import EXEMPT_ROW_NOTE
from reportgen.wording import counted, quoted

if TYPE_CHECKING:
    from reportgen.model import PaperRow

LOGGER = logging.getLogger(__name__)

TEXT_COLOUR = "1a1a1a"  # body text; status backgrounds are tinted until it reads at 4.5:1 or better
MIN_CONTRAST = 4.5
DEFAULT_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

_HEX_COLOUR = re.compile(r"[0-9a-fA-F]{6}")
_CSS_IDENT = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class ChangesColumn:
    """A column of "Changes since the last draft" (a `StatusMove` per row), in the DOCX and PDF alike."""

    key: Literal["ref", "action", "old", "new"]  # the StatusMove field it shows
    heading: str
    width: float  # share of the table width


CHANGES_COLUMNS = (
    ChangesColumn("ref", "Ref", 0.12),  # headed as the plan's number column ("Plan priority"): `Paper.changes_columns`
    ChangesColumn("action", "Action", 0.52),
    ChangesColumn("old", "Was", 0.18),
    ChangesColumn("new", "Now", 0.18),
)
# a revised paper's status columns (`Paper.changes_columns`): the paper the Panel had, and the status correcting it
CORRECTIONS_HEADINGS = (("old", "Published"), ("new", "Corrected"))


# ---------------------------------------------------------------- status cells and colours


@dataclass(frozen=True)
class StatusColour:
    """A status class's colours: `fill` as the template (or our default) gives it, shading the DOCX cell
    and bordering the PDF/HTML cell; `tint`, a lighter mix of it that body text reads on at >= 4.5:1,
    filling the PDF/HTML cell (a screen or a print of a full-strength fill is harder to read)."""

    css: str  # the status class: css class suffix .status-<css>
    fill: str  # RRGGBB, lower case
    tint: str  # RRGGBB, lower case


@dataclass(frozen=True)
class StatusNote:
    kind: Literal["note", "movement"]  # "note": why the status is what it is; "movement": since the previous update
    text: str

    @property
    def written(self) -> str:
        """The note as the Word paper writes it: a movement with each arrow's words beside it (`worded_text`)."""
        return worded_text(self.text) if self.kind == "movement" else self.text


# a movement's arrows (`reportgen.paper.progress`) as a screen reader should say them: "↑ from In progress (2026-09)"
# is read "upwards arrow from In progress" or not at all. Each edition shows the arrow and says the words; the Word
# paper, which has no way to say them in the arrow's place, writes them beside it (`worded_text`).
ARROW_WORDS = {"↑": "Moved up", "↓": "Moved down", "→": "Moved across"}
ARROWS = {"up": "↑", "down": "↓", "across": "→"}


def spoken_pieces(text: str) -> tuple[tuple[str, str], ...]:
    """`text` as (shown, words) pieces, in order: an arrow of `ARROW_WORDS` with its words, other text with "".
    A renderer shows each piece and has an arrow's words read in its place (an accessible name, /ActualText)."""
    return tuple((part, arrow_words(part)) for part in _ARROW.split(text) if part)


def arrow_words(shown: str) -> str:
    """The words of an arrow ("↑": "Moved up"); "" for other text."""
    return ARROW_WORDS.get(shown, "")


def spoken_text(text: str) -> str:
    """`text` as a screen reader should say it, each arrow in its words ("1 moved forward (↑)": "1 moved forward
    (Moved up)"): for a sentence whose arrows cannot be given words of their own."""
    return "".join(words or shown for shown, words in spoken_pieces(text))


def worded_text(text: str) -> str:
    """`text` with each arrow's words written after it ("↑ from In progress (2026-09)": "↑ Moved up from In progress
    (2026-09)"), for the Word paper. Word has nothing that gives a character words to be read in its place: alt
    text is a picture's, and hidden text is skipped by a screen reader (and printed where Word prints hidden
    text). So every reader gets the words, the arrow kept as the cue the summary's legend names."""
    return "".join(f"{shown} {words}" if words else shown for shown, words in spoken_pieces(text))


_ARROW = re.compile("([" + "".join(ARROW_WORDS) + "])")


@dataclass(frozen=True)
class StatusCell:
    """What a status cell shows, in every renderer: the label in words, then its notes; the colour only a cue."""

    label: str
    notes: tuple[StatusNote, ...]
    css: str  # the status class
    colour: StatusColour | None  # None: no valid colour for the class (the cell is left unshaded)


def exempt_legend(refs: Sequence[int], status_heading: str | None) -> str:
    """The restricted edition's legend of its exempt actions, before the plan where their marking first shows:
    how many, which, how each is marked (`status_heading`: the status column's heading; None when the table
    has none) and what that means for the meeting; "" when it has none."""
    if not refs:
        return ""
    ordered = [str(ref) for ref in sorted(refs)]
    one = len(ordered) == 1
    listed = ", ".join(ordered[:-1]) + (" and " if not one else "") + ordered[-1]
    marked = (f" {'It is' if one else 'Each is'} marked \u201c{EXEMPT_ROW_NOTE}\u201d in the column "
              f"\u201c{status_heading}\u201d." if status_heading is not None else "")
    return (f"Part II: this restricted edition includes {counted(len(ordered), 'action')} exempt from publication "
            f"({'action' if one else 'actions'} {listed}).{marked} The public edition leaves "
            f"{'it' if one else 'them'} out; {'it is' if one else 'they are'} not for discussion in the public part "
            "of the meeting.")


def status_cell(row: PaperRow, colours: tuple[StatusColour, ...], exempt: bool = False) -> StatusCell:
    """`exempt`: the restricted edition's row of an exempt action, said first, in words, in every format."""
    notes = ((StatusNote("note", EXEMPT_ROW_NOTE),) if exempt else ()) + (
        (StatusNote("note", row.note),) if row.note else ()) + (
        (StatusNote("movement", row.movement),) if row.movement else ())
    colour = next((c for c in colours if c.css == row.status_class), None)
    return StatusCell(row.status_label, notes, row.status_class, colour)


def status_styles(colours: tuple[tuple[str, str], ...]) -> tuple[StatusColour, ...]:
    """The colours of each status class; a bad class name or colour is left out (no colour), with a warning."""
    styles = []
    for status_class, colour in colours:
        if not _HEX_COLOUR.fullmatch(colour) or not _CSS_IDENT.fullmatch(status_class):
            LOGGER.warning("status colour %s for %s is not a 6-digit hex colour: left out", quoted(colour),
                           quoted(status_class))
            continue
        tints = (_tint(colour, share) for share in (0.2, 0.15, 0.1, 0.05))
        background = next((t for t in tints if contrast_ratio(TEXT_COLOUR, t) >= MIN_CONTRAST), "ffffff")
        styles.append(StatusColour(status_class, colour.lower(), background))
    return tuple(styles)


def status_changed(before: PaperRow, after: PaperRow) -> bool:
    """Whether an action's status moved between two papers: what the status cell says differs (so a move
    between two unrecognised wordings, or from "No update" to a wording, counts as the reader sees it)."""
    return before.status_label != after.status_label


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two hex colours (no #)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _tint(hex_colour: str, share: float) -> str:
    """`hex_colour` mixed with white: `share` of the colour."""
    channels = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(255 - (255 - c) * share):02x}" for c in channels)


# ---------------------------------------------------------------- document dates


def document_title(title: str, marking: str) -> str:
    """A file's own title property (DOCX, PDF, the web page's): `title`, led by the edition's `marking` when it has
    one ("RESTRICTED – Safer Wessex Plan …"), so a restricted file forwarded alone, or listed by a document
    system or a viewer's title bar, says what it is without being opened; never marked twice."""
    if not marking or title.startswith(marking):
        return title
    return f"{marking} – {title}" if title else marking


def description(subtitle: str, meeting: str, date: str) -> str:
    """A file's own description (the DOCX's and PDF's subject, the web page's meta description), which a council's
    website and its search show under the title: the subtitle, or without one the meeting and its date ("Police
    and Crime Panel, 02 February 2023"), so that no paper is listed with nothing to say which meeting it is for."""
    return subtitle or ", ".join(text for text in (meeting, date) if text)


def period_date(period: str) -> str:
    """ISO date of the first day of `period` (YYYY-MM), or "" when it is not one."""
    return f"{period}-01" if is_period(period) else ""


def meeting_created(date: str, period: str) -> dt.datetime:
    """The meeting day at 00:00 UTC, from the paper's date as `build_paper` writes it ("02 February
    2023"; a date set in the settings may be ISO or day/month/year), else the first of the period."""
    for text, form in ((date, "%d %B %Y"), (date, "%Y-%m-%d"), (date, "%d/%m/%Y"), (period, "%Y-%m")):
        with contextlib.suppress(ValueError):
            return dt.datetime.strptime(text.strip(), form).replace(tzinfo=dt.UTC)
    return DEFAULT_CREATED
