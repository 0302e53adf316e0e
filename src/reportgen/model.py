"""The values that flow between stages. All frozen: a stage returns a new value, never edits one.

Domain: `Action` rows of the `Register`; `Update` rows of a `PartnerReturn`; `MergedAction` rows of
the `MergedRegister`. Presentation: `Paper`, the one renderer-neutral model every output is drawn
from (DOCX, HTML/PDF, draft.json), and the `Theme` it carries: the look read from the Word template.
Rich text is `Block`s of `Inline`s, never markup strings.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import ClassVar, Literal

from reportgen import paper_rules
from reportgen.look import Theme
from reportgen.paper_rules import CHANGES_COLUMNS, CORRECTIONS_HEADINGS, ChangesColumn, StatusCell, StatusColour
from reportgen.terms import NO_LONGER_IN_PLAN

DRAFT_TITLE = "DRAFT"  # leads the file properties' title of a paper something blocks (`Paper.title_marking`)

# ---------------------------------------------------------------- domain


@dataclass(frozen=True)
class Action:
    """One row of the master action register: the source of truth for the action's text."""

    ref: int
    text: str
    section: str = ""
    lead: str = ""  # the Lead cell as the register writes it (spaces tidied): what the paper prints
    page: str = ""
    exempt: bool = False
    extra: tuple[tuple[str, str], ...] = ()  # (key, value) of configured extra columns
    row: int | None = None  # spreadsheet row in the register file
    # the partners of a lead read as joint ("OPCC / Wessex Police": each leads actions of its own,
    # `reportgen.read.register`); () when one partner leads it
    joint: tuple[str, ...] = ()
    # the number (several: actions merged into it) it had before the plan was renumbered, as the register's Was
    # numbered column says; () when it kept its number or is new
    was: tuple[int, ...] = ()

    def extra_value(self, key: str) -> str:
        return dict(self.extra).get(key, "")

    @property
    def leads(self) -> tuple[str, ...]:
        """The partners leading it: each of a joint lead, else its lead (none when the cell is empty)."""
        return self.joint or ((self.lead,) if self.lead else ())


@dataclass(frozen=True)
class Register:
    path: str
    sheet: str
    actions: tuple[Action, ...]
    # register rows flagged exempt (or with a flag we cannot read), and their refs, including rows left
    # out for bad cells: what the public edition must not show, even in its issue list
    exempt_rows: frozenset[int] = frozenset()
    exempt_refs: frozenset[int] = frozenset()
    # the keys of its optional columns (page, section, an extra…) it has no column for: no table column is
    # printed for them
    absent: frozenset[str] = frozenset()
    # key -> its column's heading as the register writes it (spaces tidied): what the paper prints over it
    # (and names its groups and filters after) unless reportgen.toml names the heading
    headings: tuple[tuple[str, str], ...] = ()
    # what of the register its own errors kept from being read ("its rows 3 to 37 could not be read"),
    # "" when every row and sheet of actions was: a return's action it lacks may then be one of those, not the
    # partner's mistake
    unread: str = ""
    # `unread` as the public edition may say it: its rows flagged exempt left unsaid ("" when only those were)
    unread_published: str = ""

    @property
    def incomplete(self) -> bool:
        """Whether part of the register could not be read (`unread`), so the returns cannot be checked against it."""
        return bool(self.unread)

    def by_ref(self) -> dict[int, Action]:
        return {action.ref: action for action in self.actions}

    @property
    def leads(self) -> tuple[str, ...]:
        """The lead partners, in register order: a joint lead is its partners, never a lead of its own."""
        return tuple(dict.fromkeys(lead for action in self.actions for lead in action.leads))

    @property
    def names(self) -> tuple[str, ...]:
        """Its leads and sections, each once: the names a return's text may quote, with their letters."""
        return tuple(dict.fromkeys([*self.leads, *(action.section for action in self.actions if action.section)]))


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
    # the row's Section as the return wrote it (our workbooks carry it, locked); not read into the paper, only
    # compared with the register's (`section-changed`); "" when the return has no such column
    section_text: str = ""
    # the drop-down's prompt ("Please select") the status cell showed, read as no status; "" otherwise
    status_prompt: str = ""
    hidden: bool = False  # the row is hidden in Excel (a partner's last update kept out of sight, perhaps)
    # (key, heading as written, text) of the register's Lead, page and Exempt columns where the partner's sheet has
    # them ("Owner", "Confidential"): not read into the paper, only compared with the register's
    register_cells: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class PartnerReturn:
    path: str
    partner: str  # the lead name it belongs to (from the register), or the file stem
    sheet: str
    headings: tuple[str, ...]  # as the partner wrote them
    updates: tuple[Update, ...]
    sha256: str = ""
    written: tuple[tuple[str, str], ...] = ()  # column key -> heading as the partner wrote it
    # reportgen's own workbook (`reportgen returns`), pre-filled: a row equal to its pre-fill was sent back as it
    # was; a partner's own sheet was never pre-filled, so its blank rows are only blank
    prefilled: bool = False
    # the actions (refs) the pre-filled workbook was sent with, as its own record says (its Instructions line, or
    # the secretariat's copy of it for a return saved as CSV): a row of one of them is not a row the partner
    # added, even when the action has been withdrawn since; None when nothing records it
    sent: tuple[int, ...] | None = None

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
    reported: str = ""  # the period (YYYY-MM) its status and update were reported in; "" when not known
    # its return came back exactly as its workbook was pre-filled (`reportgen.run.chase.unchanged_returns`):
    # nothing new was written; `last_reported`: the period what it repeats was reported in, when known
    returned_unchanged: bool = False
    last_reported: str = ""
    # where its status and update were reported: the return's file (relative to the workspace), sheet and 1-based
    # row, carried with them from the draft or returns they come from; "" and 0 when not known (a draft kept before)
    reported_file: str = ""
    reported_sheet: str = ""
    reported_row: int = 0

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
    href: str | None = None  # only http, https or mailto; checked by reportgen.read.richtext
    bold: bool = False
    italic: bool = False
    underline: bool = False
    change: Literal["ins", "del"] | None = None  # set only in draft comparisons
    # the language of a passage in another than the paper's (a BCP 47 tag, "cy"): the narrative's <span lang="cy">
    lang: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph, a heading (level 1-3) or a list item (level 1 or 2 deep, 3 in the narrative; bulleted or
    numbered).

    A line break between paragraphs (a partner's `<br>`) starts a new block; one within a list item (a `<br>`
    inside its `<li>`) is a "\n" in its inlines' text, which every renderer draws as a line break within the
    item (a w:br in the DOCX list paragraph, a <br> inside the <li>)."""

    kind: Literal["paragraph", "heading", "bullet", "number"]
    inlines: tuple[Inline, ...]
    level: int = 1
    # the number a numbered list starts at, on its first item as the narrative wrote it ("3." starts it at 3);
    # None: the item goes on counting from the list open at its level (`list_starts`)
    start: int | None = None
    # an item of a narrative list nested deeper than the paper's three levels, drawn at `level`: how many levels
    # deeper it was written, so that the web edition and the PDF keep its list inside the item above it (one list)
    deeper: int = 0

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.inlines)


RichText = tuple[Block, ...]


def list_starts(blocks: RichText) -> tuple[int | None, ...]:
    """For each block, the number its list starts at when the block opens a list, else None (it goes on with the
    list open at its level, or is no list item): the one rule of where a list begins, so that every edition
    numbers alike.

    A list item opens a list unless a list of its kind is open at its level and the item has no `start` of its
    own. Items nested deeper in between (`1. First` / `- a sub-point` / `2. Second`) leave the list open, so it goes
    on counting after them; a paragraph or heading closes every list."""
    open_lists: list[tuple[str, int]] = []  # (kind, level) of each list open here, the outermost first
    starts: list[int | None] = []
    for block in blocks:
        if block.kind not in ("bullet", "number"):
            open_lists.clear()
            starts.append(None)
            continue
        while open_lists and open_lists[-1][1] > block.level:
            open_lists.pop()
        if open_lists and open_lists[-1] == (block.kind, block.level) and block.start is None:
            starts.append(None)
            continue
        if open_lists and open_lists[-1][1] == block.level:
            open_lists.pop()
        open_lists.append((block.kind, block.level))
        starts.append(block.start if block.start is not None else 1)
    return tuple(starts)


def plain_text(blocks: RichText) -> str:
    return "\n".join(block.text for block in blocks)


# In a draft comparison, a block ending in an inline of this one character, marked "ins" or "del", is a paragraph
# whose end only one draft has: a line break (a partner's <br>) added between two sentences, or taken out. Word
# tracks its paragraph mark; rejecting (accepting) the change joins the paragraph to the next.
PARAGRAPH_MARK = "\u2029"


def tracked_mark(block: Block) -> tuple[Block, Literal["ins", "del"] | None]:
    """`block` without its tracked paragraph mark (`PARAGRAPH_MARK`), and that mark's change; None when its
    paragraph mark is not tracked as such."""
    last = block.inlines[-1] if block.inlines else None
    if last is None or last.text != PARAGRAPH_MARK or last.change is None:
        return block, None
    return replace(block, inlines=block.inlines[:-1]), last.change


def in_cell(block: Block) -> Block:
    """`block` as a table cell shows it, in every renderer: a heading becomes a paragraph of bold words
    (a heading inside a table cell would break the document outline a screen reader moves through)."""
    if block.kind != "heading":
        return block
    return Block("paragraph", tuple(replace(inline, bold=True) for inline in block.inlines))


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

    @property
    def blocks(self) -> RichText:
        """The rich text as the cell shows it (headings as bold paragraphs: `in_cell`)."""
        return tuple(in_cell(block) for block in self.rich)


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
    reported: str = ""  # the period (YYYY-MM) its status and update were reported in; "" when not known
    # set only in draft comparisons (reportgen.diff.render): "ins" an added row, "del" a withdrawn one
    change: Literal["", "ins", "del"] = ""
    # since the previous update (reportgen.paper.progress): e.g. "↑ from In progress (2026-09)"; "" when unchanged
    movement: str = ""
    movement_direction: Literal["", "up", "down", "across", "new", "back", "left-out"] = ""
    # the partners of a lead read as joint ("OPCC / Wessex Police": `Action.joint`); () when one leads it
    leads: tuple[str, ...] = ()
    # its update came from a return sent back exactly as its workbook was pre-filled: it repeats what was last
    # reported (`MergedAction.returned_unchanged`), as the status cell's note says; False in drafts kept before
    returned_unchanged: bool = False
    repeats: str = ""  # then the period (YYYY-MM) what it repeats was reported in; "" when not known
    # where its status and update were reported (`MergedAction.reported_file`): kept in draft.json and register.xlsx
    # so a status can be traced back to the partner's file, sheet and row; "" and 0 when not known
    reported_file: str = ""
    reported_sheet: str = ""
    reported_row: int = 0
    # the number(s) it had before the plan was renumbered (`Action.was`): the next draft pairs it with an earlier
    # draft's row by them only when that draft was built before the renumbering; () in drafts kept before
    was: tuple[int, ...] = ()

    @property
    def partners(self) -> tuple[str, ...]:
        """The partners leading it: each of a joint lead, else its lead (none when it has none)."""
        return self.leads or ((self.lead,) if self.lead else ())

    def cell(self, key: str) -> PaperCell:
        for cell in self.cells:
            if cell.key == key:
                return cell
        raise KeyError(key)


@dataclass(frozen=True)
class PaperSection:
    heading: str  # "" for actions with no section before any other: no heading row
    level: int  # 1, or 2 under a two-level grouping
    rows: tuple[PaperRow, ...]


@dataclass(frozen=True)
class StatusMove:
    ref: int
    action: str
    old: str
    new: str


@dataclass(frozen=True)
class CountRow:
    """Status counts of one period (or one section): what a chart draws and its table lists."""

    label: str  # "October 2026", or a section heading
    counts: tuple[tuple[str, int], ...]  # canonical status -> number, in canonical order
    total: int
    key: str = ""  # the period, YYYY-MM, for a period's row
    # actions with no update at all (a new action not yet reported on): in the total, in no status's count, and
    # said apart from a status written but not recognised, which is the partner's to correct
    no_update: int = 0

    @property
    def other(self) -> int:
        """Actions updated with no status, or one not recognised: in the total, in no status's count."""
        return self.total - sum(count for _status, count in self.counts) - self.no_update


@dataclass(frozen=True)
class StalledAction:
    ref: int
    action: str
    status: str
    since: str  # the first period (YYYY-MM) of the unchanged run


@dataclass(frozen=True)
class Chart:
    """A chart as words: its title, its alt text, and the rows of numbers it is drawn from."""

    key: str  # "periods" or "sections"
    title: str
    alt: str
    rows: tuple[CountRow, ...]
    heading: str = ""  # its table's first column: "Period", or the heading of the column the plan is grouped by


@dataclass(frozen=True)
class ColumnName:
    """A register column named as the paper names it: its heading ("Theme", as the register or reportgen.toml
    heads it), in a sentence ("theme", "themes"), and its actions with no value in it ("No theme")."""

    key: str
    heading: str
    singular: str
    plural: str
    none: str


@dataclass(frozen=True)
class Progress:
    """Progress over time, from the newest kept draft of each earlier period (reportgen.paper.progress)."""

    charts: tuple[Chart, ...]
    previous: str  # the previous update's period (YYYY-MM) movements are measured from; "" when none
    moved_up: int
    moved_down: int
    moved_across: int
    new: int
    stalled_after: int
    stalled: tuple[StalledAction, ...]
    summary: str = ""  # one sentence on the movements since the previous period's update
    stalled_note: str = ""  # what "stalled" means here, or that none has
    sources_note: str = ""  # a restricted paper's: which earlier periods' figures are the public edition's
    withdrawn_note: str = ""  # the actions of the previous update no longer in the plan, by number and words


    def chart(self, key: str) -> Chart | None:
        return next((chart for chart in self.charts if chart.key == key), None)


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
    # the restricted edition: its exempt actions' refs (what a public build must not carry forward from it);
    # a public paper records none; None: not recorded (a draft kept before they were)
    exempt_refs: tuple[int, ...] | None = None
    unrecognised: int = 0  # actions whose status is empty or unrecognised
    carried_forward: int = 0
    changes: tuple[StatusMove, ...] = ()  # "changes since the last draft", when switched on
    # switched on with nothing to list: the line the section says instead (no action changed since draft
    # 2026-10/draft-01, or no earlier draft to compare with), so that the reader knows it was looked at
    changes_note: str = ""
    new_actions: tuple[int, ...] = ()
    blocking_issues: int = 0
    status_colours: tuple[tuple[str, str], ...] = field(default=())  # status_class -> hex colour
    # while anything blocks publication: the line on every page, and the issues listed at the front
    draft_marking: str = ""
    blocking: tuple[str, ...] = ()
    no_status: int = 0  # actions with no update this period and nothing to carry forward
    carried_from: str = ""  # where carried-forward statuses come from: "the 2026-09 returns", "draft 2026-09/draft-01"
    # the look, not content: left out of draft.json and of equality (drafts compare content); None: the
    # stylesheet's own defaults
    theme: Theme | None = field(default=None, compare=False, metadata={"draft": False})
    progress: Progress | None = None  # set when earlier periods have kept drafts
    # the section and lead columns and those the plan is grouped by, named as the paper heads them: the
    # web edition's filters and the progress chart by group say "Theme" where the register does
    column_names: tuple[ColumnName, ...] = ()
    grouped_by: tuple[str, ...] = ()  # `[paper] group_by`, the keys of its sections; () in drafts kept before it
    # the kept draft of its period this paper corrects, as named ("2026-09/draft-01": `reportgen build --revises`);
    # "" for a paper that revises none
    revises: str = ""
    # how the restricted edition marks an exempt action wherever it lists one (plan, stalled actions, changes)
    exempt_row_note: ClassVar[str] = paper_rules.EXEMPT_ROW_NOTE
    # a withdrawn action's "Now" in "Changes since the last draft": the web edition has no row to link it to
    no_longer_in_plan: ClassVar[str] = NO_LONGER_IN_PLAN
    # the heading of the status changes listed, in every output; a revised paper's lists what it corrects
    changes_since_heading: ClassVar[str] = "Changes since the last draft"
    corrections_heading: ClassVar[str] = "Corrections to the published paper"
    # the box before the cover sheet while anything blocks publication, in every output
    blocking_heading: ClassVar[str] = "Issues to resolve before publication"
    blocking_advice: ClassVar[str] = ("Resolve these issues, then build the paper again; until then it must not "
                                      "be published.")

    @property
    def rows(self) -> tuple[PaperRow, ...]:
        return tuple(row for section in self.sections for row in section.rows)

    @property
    def ref_heading(self) -> str:
        """The heading of the plan's number column ("Plan priority" where the register says so): the other tables
        listing actions by number (changes since the last draft, stalled actions) head theirs the same, so the
        reader sees one number and one name for it; "Ref" when the plan has no number column."""
        return next((column.heading for column in self.columns if column.key == "ref"), "Ref")

    @property
    def changes_heading(self) -> str:
        """The heading of the status changes listed: a revised paper's reader looks for what it corrects in the
        paper published (`revises`, which the note under the heading names), not for a check's draft-to-draft
        changes."""
        return self.corrections_heading if self.revises else self.changes_since_heading

    @property
    def changes_label(self) -> str:
        """The changes table's name for a screen reader: "Status changes since the last draft"."""
        return f"Status {self.changes_heading[:1].lower()}{self.changes_heading[1:]}"

    @property
    def changes_columns(self) -> tuple[ChangesColumn, ...]:
        """The "Changes since the last draft" table's columns, the same in every format (the Word template's
        table is made from `CHANGES_COLUMNS` too: templates/make_template.py), its number column headed as
        the plan's; a revised paper's status columns say what the paper published said and what corrects it,
        not what the last draft said."""
        headings = {"ref": self.ref_heading, **(dict(CORRECTIONS_HEADINGS) if self.revises else {})}
        return tuple(replace(column, heading=headings.get(column.key, column.heading)) for column in CHANGES_COLUMNS)

    def column_name(self, key: str) -> ColumnName:
        """How the paper names a register column (`column_names`); a draft kept before it named them, by key."""
        return next((name for name in self.column_names if name.key == key),
                    ColumnName(key, key.capitalize(), key, key + "s", f"No {key}"))

    # Decided once from the fields above (reportgen.paper_rules), never stored: a paper loaded from
    # draft.json gets the same answers, and draft.json holds no more than the paper's content.

    @property
    def status_styles(self) -> tuple[StatusColour, ...]:
        """Each status class's colours: the fill (DOCX shading, PDF border) and its readable tint (PDF fill)."""
        return _status_styles(self.status_colours)

    def marked_exempt(self, ref: int) -> bool:
        """The restricted edition's exempt action: marked wherever the paper lists it (plan, stalled actions,
        changes since the last draft)."""
        return ref in (self.exempt_refs or ())

    def status_cell(self, row: PaperRow) -> StatusCell:
        """The status cell of `row` as every renderer draws it: label, notes, colours."""
        return paper_rules.status_cell(row, self.status_styles, exempt=row.ref in (self.exempt_refs or ()))

    @property
    def group_levels(self) -> tuple[int, ...]:
        """The level of each group heading row of the plan (a section's 1, a subsection's 2), in order."""
        return tuple(section.level for section in self.sections if section.heading)

    @property
    def spoken_sentences(self) -> tuple[tuple[str, str], ...]:
        """(shown, words) of each text the paper shows arrows among words in (the progress summary's legend
        "(↑)", each movement "↑ from In progress (2026-09)"), with the words a screen reader should hear for the
        whole of it (`paper_rules.spoken_text`). For the PDF, where an arrow is not in a span of its own: the
        summary's, and every one in a paper.html.j2 copied before they were (`reportgen.render.pdf.spoken`)."""
        shown = ([self.progress.summary] if self.progress is not None else []) + [row.movement for row in self.rows]
        spoken = ((text, paper_rules.spoken_text(text)) for text in shown)
        return tuple(dict.fromkeys((text, words) for text, words in spoken if words != text))

    @property
    def other_language_passages(self) -> tuple[tuple[str, str], ...]:
        """(language, text) of each passage of the narrative written in another language than the paper's
        (`<span lang="cy">`), in the paper's order: for the PDF, whose tags WeasyPrint writes without them
        (`reportgen.render.pdf.languages`)."""
        return tuple((inline.lang, inline.text) for block in self.narrative for inline in block.inlines
                     if inline.lang)

    @property
    def exempt_legend(self) -> str:
        """The restricted edition's legend of its exempt actions, before the plan (`paper_rules.exempt_legend`)."""
        status = next((column.heading for column in self.columns if column.key == "status"), None)
        return paper_rules.exempt_legend(self.exempt_refs or (), status) if self.edition == "restricted" else ""

    @property
    def title_marking(self) -> str:
        """What leads the title in each file's own properties: the edition's marking, then "DRAFT" while anything
        blocks publication (a screen reader announces the title first; a tab or a file list shows only it)."""
        return " – ".join(text for text in (self.marking, DRAFT_TITLE if self.draft_marking else "") if text)

    @property
    def document_title(self) -> str:
        """The title in each file's own properties: the paper's title, led by its marking and "DRAFT" (both when
        it has them: `title_marking`)."""
        return paper_rules.document_title(self.title, self.title_marking)

    @property
    def description(self) -> str:
        """The description in each file's own properties: the subtitle, or the meeting and its date
        (`paper_rules.description`)."""
        return paper_rules.description(self.subtitle, self.meeting, self.date)

    # The two formats have always stamped different creation dates, and every published paper's bytes
    # depend on them, so each keeps its own, decided here: the DOCX the meeting day, the PDF (and the
    # draft comparison's PDF) the first day of the period the paper reports on.

    @property
    def docx_created(self) -> dt.datetime:
        """The DOCX's created/modified time and its tracked changes' default date: the meeting day."""
        return paper_rules.meeting_created(self.date, self.period)

    @property
    def pdf_created(self) -> str:
        """The PDF's creation date (ISO; "" when the period is not YYYY-MM): the first of the period."""
        return paper_rules.period_date(self.period)


# Cached by the colours, not on the Paper: a Paper is never written to after it is made (a cached
# attribute would be, and the PDF stage pickles the paper for its workers while the DOCX stage reads it
# in another thread: "dictionary changed size during iteration").
@functools.lru_cache(maxsize=64)
def _status_styles(colours: tuple[tuple[str, str], ...]) -> tuple[StatusColour, ...]:
    return paper_rules.status_styles(colours)

