"""The values that flow between stages. All frozen: a stage returns a new value, never edits one.

Domain: `Action` rows of the `Register`; `Update` rows of a `PartnerReturn`; `MergedAction` rows of
the `MergedRegister`. Presentation: `Paper`, the one renderer-neutral model every output is drawn
from (DOCX, HTML/PDF, draft.json). Rich text is `Block`s of `Inline`s, never markup strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

# ---------------------------------------------------------------- domain


@dataclass(frozen=True)
class Action:
    """One row of the master action register: the source of truth for the action's text."""

    ref: int
    text: str
    section: str = ""
    lead: str = ""
    page: str = ""
    exempt: bool = False
    extra: tuple[tuple[str, str], ...] = ()  # (key, value) of configured extra columns
    row: int | None = None  # spreadsheet row in the register file

    def extra_value(self, key: str) -> str:
        return dict(self.extra).get(key, "")


@dataclass(frozen=True)
class Register:
    path: str
    sheet: str
    actions: tuple[Action, ...]

    def by_ref(self) -> dict[int, Action]:
        return {action.ref: action for action in self.actions}

    @property
    def leads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.lead for a in self.actions if a.lead))


@dataclass(frozen=True)
class Update:
    """One row of a partner return, as read (status already matched to a canonical one when it could be)."""

    ref: int
    status: str | None  # canonical status, or None when empty or unrecognised
    status_as_written: str
    explanation: str
    timeframe: str
    action_text: str
    file: str
    sheet: str
    row: int
    partner: str


@dataclass(frozen=True)
class PartnerReturn:
    path: str
    partner: str  # the lead name it belongs to (from the register), or the file stem
    sheet: str
    headings: tuple[str, ...]  # as the partner wrote them
    updates: tuple[Update, ...]
    sha256: str = ""
    written: tuple[tuple[str, str], ...] = ()  # column key -> heading as the partner wrote it

    def heading(self, key: str, default: str = "") -> str:
        return dict(self.written).get(key, default)


class UpdateState(StrEnum):
    UPDATED = "updated"
    CARRIED_FORWARD = "carried-forward"  # no update this period; last draft's values kept
    NO_UPDATE = "no-update"  # no update and nothing to carry forward


@dataclass(frozen=True)
class MergedAction:
    action: Action
    status: str | None  # canonical, or None (empty or unrecognised: see status_as_written)
    status_as_written: str = ""
    explanation: str = ""
    timeframe: str = ""
    state: UpdateState = UpdateState.NO_UPDATE
    source: str = ""  # the return file the update came from
    carried_from: str = ""  # the draft it was carried forward from

    @property
    def ref(self) -> int:
        return self.action.ref


@dataclass(frozen=True)
class MergedRegister:
    period: str
    actions: tuple[MergedAction, ...]

    def counts(self, statuses: tuple[str, ...]) -> dict[str, int]:
        counts = {status: 0 for status in statuses}
        for item in self.actions:
            if item.status is not None:
                counts[item.status] = counts.get(item.status, 0) + 1
        return counts


# ---------------------------------------------------------------- rich text


@dataclass(frozen=True)
class Inline:
    text: str
    href: str | None = None  # only http, https or mailto; checked by reportgen.richtext
    bold: bool = False
    italic: bool = False
    underline: bool = False
    change: Literal["ins", "del"] | None = None  # set only in draft comparisons


@dataclass(frozen=True)
class Block:
    """A paragraph, a heading (level 1-3) or a list item (level 1 bullets, ordered when numbered)."""

    kind: Literal["paragraph", "heading", "bullet", "number"]
    inlines: tuple[Inline, ...]
    level: int = 1

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.inlines)


RichText = tuple[Block, ...]


def plain_text(blocks: RichText) -> str:
    return "\n".join(block.text for block in blocks)


# ---------------------------------------------------------------- paper


@dataclass(frozen=True)
class CoverRow:
    label: str  # e.g. "MEETING"
    value: str


@dataclass(frozen=True)
class PaperColumn:
    key: str  # "ref", "action", "status", "explanation", "timeframe", "page" or an extra key
    heading: str
    width: float  # share of the table width, the columns summing to 1


@dataclass(frozen=True)
class PaperCell:
    key: str
    text: str  # plain text (what a screen reader, a diff and a test read)
    rich: RichText = ()  # set for explanation-like cells with paragraphs, lists or links


@dataclass(frozen=True)
class PaperRow:
    ref: int
    cells: tuple[PaperCell, ...]
    status: str | None  # canonical; None when empty or unrecognised
    status_label: str  # what the status cell says
    status_class: str  # css / colour key: completed, in-progress, not-started, on-hold, unknown
    note: str = ""  # e.g. "No update received this period", shown in the status cell
    state: str = UpdateState.UPDATED.value
    # raw values: what draft diffs compare
    section: str = ""
    lead: str = ""
    action: str = ""
    explanation: str = ""
    timeframe: str = ""
    page: str = ""
    # set only in draft comparisons (reportgen.diff_render): "ins" an added row, "del" a withdrawn one
    change: Literal["", "ins", "del"] = ""

    def cell(self, key: str) -> PaperCell:
        for cell in self.cells:
            if cell.key == key:
                return cell
        raise KeyError(key)


@dataclass(frozen=True)
class PaperSection:
    heading: str  # "" for actions with no section: no heading row
    level: int  # 1, or 2 under a two-level grouping
    rows: tuple[PaperRow, ...]


@dataclass(frozen=True)
class StatusMove:
    ref: int
    action: str
    old: str
    new: str


@dataclass(frozen=True)
class Paper:
    title: str
    subtitle: str
    meeting: str
    date: str  # display form, e.g. "02 February 2023"
    period: str  # YYYY-MM
    language: str
    author: str
    edition: str  # public | restricted
    marking: str  # "" or e.g. "RESTRICTED", shown on every page
    cover: tuple[CoverRow, ...]
    narrative: RichText
    columns: tuple[PaperColumn, ...]
    sections: tuple[PaperSection, ...]
    counts: tuple[tuple[str, int], ...]  # canonical status -> number, in canonical order
    total: int
    exempt_count: int = 0
    exempt_note: str = ""
    unrecognised: int = 0  # actions whose status is empty or unrecognised
    carried_forward: int = 0
    changes: tuple[StatusMove, ...] = ()  # "changes since the last draft", when switched on
    new_actions: tuple[int, ...] = ()
    blocking_issues: int = 0
    status_colours: tuple[tuple[str, str], ...] = field(default=())  # status_class -> hex colour
    # while anything blocks publication: the line on every page, and the issues listed at the front
    draft_marking: str = ""
    blocking: tuple[str, ...] = ()
    no_status: int = 0  # actions with no update this period and nothing to carry forward
    carried_from: str = ""  # where carried-forward statuses come from: "the 2026-09 returns", "draft 2026-09/draft-01"

    @property
    def rows(self) -> tuple[PaperRow, ...]:
        return tuple(row for section in self.sections for row in section.rows)
