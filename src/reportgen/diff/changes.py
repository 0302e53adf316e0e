"""`diff_drafts`: what changed between two kept drafts, keyed by action ref, and its text summary.

Works on two `Paper`s (any two: the same period or across periods) and compares the raw values a
draft keeps: rows by ref on status label, action text, explanation, timeframe, page, section, lead
and status note (plus any extra column, by cell text); the cover sheet by label; the counts by
status; the narrative as plain text. Word-level changes come from `difflib.SequenceMatcher` over
word tokens that keep their whitespace, so joining a change's spans gives back both texts exactly:
`equal` + `delete` spans are the old text, `equal` + `insert` spans the new.

`human_text` renders a `DraftDiff` as plain text (as csv-diff's `human_text` does) and
`diff_to_json` as canonical JSON. This module must not read or write files, render documents or
decide what a paper says: `reportgen.diff.render` lays the comparison out as DOCX, HTML and PDF.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import groupby
from typing import Literal, NamedTuple, TypeVar
from urllib.parse import urlsplit

from reportgen.diff.personal import ADVICE, PersonalDataAdded, personal_data_added
from reportgen.model import CoverRow, Inline, Paper, PaperRow, PaperSection, RichText, StatusMove, plain_text
from reportgen.paper_rules import status_changed
from reportgen.periods import period_label
from reportgen.read.richtext import parse_explanation, shown_text
from reportgen.renumbering import renumbered_since
from reportgen.wording import counted, quoted

SCHEMA = 1
# raw row values compared by ref, in the order a summary lists them
ROW_FIELDS = ("action", "explanation", "timeframe", "page", "section", "lead", "note")
FIELD_NAMES = {"action": "Action", "explanation": "Explanation", "timeframe": "Timeframe", "page": "Plan page",
               "section": "Section", "lead": "Lead", "note": "Status note"}
# an action is the same in both drafts when most of its words are (case, spacing and punctuation aside): an
# action tidied or reworded still is; two plans' actions under one number are not (the example plan's and
# the 2023 sample's share at most 30% of their words)
SAME_ACTION_RATIO = 0.6
# drafts in which fewer than one in ten of the action numbers both use hold the same action are of
# different plans (or one plan renumbered): pairing their actions by number would pair unrelated actions.
# Drafts of one plan keep most actions' wording from one draft to the next; one in ten leaves room for a
# chance likeness in a long plan.
DIFFERENT_PLANS_SHARE = 0.1
NOT_RECOGNISED = "No status / not recognised"
EXEMPT = "Exempt, left out of the public edition"
# two restricted drafts: an action whose exemption changed (one and several), said before its status moves
MADE_EXEMPT = ("action made exempt (Part II): the public edition now leaves it out",
               "actions made exempt (Part II): the public edition now leaves them out")
NO_LONGER_EXEMPT = ("action no longer exempt: the public edition now shows it",
                    "actions no longer exempt: the public edition now shows them")

Op = Literal["equal", "delete", "insert"]
T = TypeVar("T", bound=Hashable)
Item = TypeVar("Item")

# a web or e-mail address (whole: compared as one, `address_parts` takes a changed one apart only against another on the
# same site), a run of whitespace, a word (with inner apostrophes), or any other single character: covers every text
_ADDRESS = (r"""(?:https?://|mailto:|www\.)[^\s<>"]*[^\s<>".,;:!?'’")\]]"""
            r"|[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_PART = r"\s+|\w+(?:['’]\w+)*|[^\w\s]"
_TOKEN = re.compile(f"{_ADDRESS}|{_PART}", re.IGNORECASE)
_IS_ADDRESS = re.compile(f"(?:{_ADDRESS})$", re.IGNORECASE)
_PARTS = re.compile(_PART)
_WORD = re.compile(r"\w+")
_DRAFT_NUMBER = re.compile(r"^\d{4}-\d{2}/draft-(\d+)$")  # of a numbered draft's name, "2026-10/draft-02"


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Span:
    """A piece of a word-level comparison: unchanged, only in the old text, or only in the new."""

    op: Op
    text: str


@dataclass(frozen=True)
class LinkChange:
    """A link of a changed field that goes elsewhere: its words (as the new text words it; as the old one did, for a
    link only the old text has), and its address then and now ("" on the side that has no link there)."""

    words: str
    old: str
    new: str


@dataclass(frozen=True)
class TextChange:
    field: str  # a row field ("explanation"), an extra column key, or a cover-sheet label ("DATE")
    old: str
    new: str
    words: tuple[Span, ...]
    # an action's field: each link whose address changed (`link_changes`), which its words alone may not say (a
    # link pointed elsewhere under the same words or new ones, an address given new words); () for none
    links: tuple[LinkChange, ...] = ()


@dataclass(frozen=True)
class ActionSummary:
    """An action only one of the drafts has: added to, or withdrawn from, the paper."""

    ref: int
    action: str
    section: str
    lead: str
    status: str  # the status label the draft shows
    # an added action an earlier period's paper had: the new paper's note of it ("Not in the 2026-10 paper; was
    # In progress (2026-09)"); "" for one new to the plan, or when the new paper measures no progress
    back: str = ""


@dataclass(frozen=True)
class ActionChange:
    ref: int
    action: str  # as the new draft words it
    section: str
    changes: tuple[TextChange, ...]

    def change(self, field: str) -> TextChange | None:
        return next((change for change in self.changes if change.field == field), None)


@dataclass(frozen=True)
class CountChange:
    status: str
    old: int
    new: int

    @property
    def delta(self) -> int:
        return self.new - self.old


@dataclass(frozen=True)
class DraftInfo:
    period: str  # YYYY-MM
    date: str  # the paper's display date
    edition: str
    title: str
    draft: str = ""  # e.g. "2026-09/draft-01"; set by whoever knows the folder (compare_drafts)
    marking: str = ""  # the restricted edition's protective marking ("RESTRICTED"); "" when public
    blocking_issues: int = 0  # issues that blocked the draft's publication when it was built
    draft_marking: str = ""  # the line its pages carry while any did ("DRAFT – not for publication: …")
    progress: bool = False  # the paper has "Progress over time" (an earlier period had a kept draft)
    progress_from: str = ""  # the period (YYYY-MM) its movements are measured from; "" when none
    built: str = ""  # when the draft was built, as shown ("5 December 2026, 16:04 UTC"); "" when not known

    @property
    def label(self) -> str:
        """"2026-10/draft-01 (meeting 05 November 2026; built 5 December 2026, 16:04 UTC)": two drafts of a
        period share their meeting date, so it is when each was built that tells them apart."""
        name = self.draft or self.period
        if self.built:
            return f"{name} (meeting {self.date}; built {self.built})" if self.date else f"{name} (built {self.built})"
        return f"{name} ({self.date})" if self.date else name


@dataclass(frozen=True)
class DraftDiff:
    old: DraftInfo
    new: DraftInfo
    counts: tuple[CountChange, ...]  # canonical statuses in order, then NOT_RECOGNISED when any
    total: CountChange
    moves: tuple[StatusMove, ...]  # status label changed; by ref
    added: tuple[ActionSummary, ...]  # by ref
    withdrawn: tuple[ActionSummary, ...]  # by ref
    changed: tuple[ActionChange, ...]  # wording changed (not status); by ref
    cover: tuple[TextChange, ...]
    narrative: tuple[Span, ...] = ()  # word changes of the narrative's text; () when it is the same
    # whether words both narratives have are set out differently (a word made bold, a paragraph made a list item),
    # which its words alone do not say: with no word changed, the narrative's only change
    narrative_set_out: bool = False
    same_actions: int = 0  # refs in both drafts whose action is worded alike (`unrelated`)
    common_refs: int = 0  # refs in both drafts
    different_plans: bool = False  # no action paired by ref: each only in its draft (see DIFFERENT_PLANS_SHARE)
    exempt: CountChange = CountChange(EXEMPT, 0, 0)  # exempt actions the public edition leaves out
    # the plan table's column headings by column key ("page"): renamed, or "" where a draft has no such column
    columns: tuple[TextChange, ...] = ()
    # sections renamed (field "section"): the actions under an old heading now under another only the new has
    sections: tuple[TextChange, ...] = ()
    # cover-sheet rows only one draft has, by heading: "" on the side whose cover sheet has no such row
    cover_rows: tuple[TextChange, ...] = ()
    # of those, a row re-headed (`cover_headings`): its old and new heading, when the value under them is the same
    cover_reheaded: tuple[TextChange, ...] = ()
    # the plan table's column headings by key ("annual_page"), as the new paper heads them, then the columns only
    # the old one had: what an extra column's changes are called
    headings: tuple[tuple[str, str], ...] = ()
    # two restricted drafts: actions in both that only the new one has exempt (Part II), and those only the old
    # one had exempt (the new public edition shows them); by ref, as the new draft has them
    made_exempt: tuple[ActionSummary, ...] = ()
    no_longer_exempt: tuple[ActionSummary, ...] = ()
    # what looks like personal data the new draft publishes and the old did not, where (`printed_texts`)
    personal_data: tuple[PersonalDataAdded, ...] = ()
    # the actions the new draft's register renumbered since the old one (its Was numbered column), paired with
    # their old rows: "5 is now 148; 12 is now part of 11."; "" for none
    renumbered: str = ""

    @property
    def backwards(self) -> bool:
        """Whether the "old" draft is the later one (`reportgen diff NEWER OLDER`): what reads as added was there
        before and is gone since, and accepting every tracked change gives back the earlier paper. Later: a later
        period, or in one period a higher draft number (2026-10/draft-02 after draft-01); False when their names
        do not tell."""
        old, new = self.old, self.new
        if old.period != new.period:
            return old.period > new.period
        numbers = [_DRAFT_NUMBER.search(info.draft) for info in (old, new)]
        return numbers[0] is not None and numbers[1] is not None and int(numbers[0][1]) > int(numbers[1][1])

    @property
    def gone_words(self) -> tuple[str, str]:
        """What the actions only the old draft has are, for one and for several: a public edition does not
        say which actions are exempt, so when more are, one gone from it may have been made exempt."""
        if self.exempt.delta > 0:
            return "action withdrawn or made exempt", "actions withdrawn or made exempt"
        return "action withdrawn", "actions withdrawn"

    @property
    def added_words(self) -> tuple[str, str]:
        """What the actions only the new draft has are: a restricted draft compared with a public one that
        left exempt actions out shows those as well as new ones."""
        if self.old.edition == "public" and self.new.edition == "restricted" and self.exempt.old:
            return "action added, or exempt and left out of the public draft", \
                "actions added, or exempt and left out of the public draft"
        return "action added", "actions added"

    @property
    def told(self) -> tuple[ActionChange, ...]:
        """The changed actions as a reader is told them: a moved action's status note ('Status not recognised'
        gone with 'Compelted' -> 'Completed') is part of its move, listed there, not a change of its own as well.
        `changed` keeps every field, for the tracked changes and diff.json."""
        moved = {move.ref for move in self.moves}
        told = []
        for change in self.changed:
            fields = tuple(field for field in change.changes if change.ref not in moved or field.field != "note")
            if fields:
                told.append(change if fields == change.changes else dataclasses.replace(change, changes=fields))
        return tuple(told)

    def field_name(self, field: str) -> str:
        """What the summary calls a changed field: our name for a row field ("Explanation"), else the heading the
        paper prints for its column (an extra column's, never its reportgen.toml key)."""
        return FIELD_NAMES.get(field) or dict(self.headings).get(field) or field

    @property
    def unrelated(self) -> bool:
        """Whether the reader is warned about what was paired: drafts of different plans (nothing paired),
        or fewer than half the actions of the larger draft are the same action in both (paired by ref,
        where most rows may differ)."""
        return self.different_plans or 0 < self.same_actions * 2 < max(self.total.old, self.total.new)

    @property
    def is_empty(self) -> bool:
        """True when the two drafts say the same (dates and draft names aside)."""
        counts_moved = any(count.delta for count in (*self.counts, self.total, self.exempt))
        blocking_moved = self.old.blocking_issues != self.new.blocking_issues
        return not (counts_moved or blocking_moved or self.moves or self.added or self.withdrawn or self.changed
                    or self.cover or self.narrative or self.narrative_set_out or self.columns or self.sections
                    or self.cover_rows
                    or self.made_exempt or self.no_longer_exempt or self.renumbered)


# ---------------------------------------------------------------- word-level comparison


def tokens(text: str) -> list[str]:
    """Words, single punctuation marks, runs of whitespace and whole web or e-mail addresses:
    `"".join(tokens(t)) == t`. An address is one token, so a sentence rewritten around a new one cannot match its
    old full stop to the one in `example.org` (`…see https://example+}.{+org/group+}`)."""
    return _TOKEN.findall(text)


def address_parts(old: str, new: str) -> tuple[list[str], list[str]] | None:
    """Two addresses on one site (host, or e-mail domain) as their words and marks, to compare piece by piece
    (`https://www.example.gov.uk/[-2025-]{+2026+}`); None for anything else: an address replaced by one on
    another site is shown replaced whole, not as a jumble of matching dots and slashes."""
    if old == new or not (_IS_ADDRESS.match(old) and _IS_ADDRESS.match(new)) or _site(old) != _site(new):
        return None
    return _PARTS.findall(old), _PARTS.findall(new)


def _site(address: str) -> str:
    if "://" not in address and "@" in address:  # an e-mail address, or mailto:
        return address.rpartition("@")[2].lower()
    try:
        return urlsplit(address if "://" in address else "https://" + address).netloc.lower()
    except ValueError:  # an unclosed IPv6 bracket: a site of its own
        return address


def diff_tokens(old: Sequence[T], new: Sequence[T], is_space: Callable[[T], bool],
                parts: Callable[[T, T], tuple[list[T], list[T]] | None] | None = None) -> list[tuple[Op, list[T]]]:
    """Opcodes of two token sequences as (op, tokens), each change as its deletion then its insertion.

    Whitespace left unchanged between two changes joins them ("[-Not started-]{+In progress+}", not
    "[-Not-]{+In+} [-started-]{+progress+}"), which reads better and tracks as one edit in Word. A token replaced
    by one token that `parts` takes apart with it (two addresses on one site: `address_parts`) is compared part by
    part.
    """
    matcher = SequenceMatcher(None, old, new, autojunk=False)  # autojunk would drop frequent words
    spans: list[tuple[Op, list[T]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            spans.append(("equal", list(new[j1:j2])))
            continue
        if parts and i2 - i1 == j2 - j1 == 1 and (apart := parts(old[i1], new[j1])):
            spans.extend(diff_tokens(*apart, is_space))
            continue
        if i2 > i1:
            spans.append(("delete", list(old[i1:i2])))
        if j2 > j1:
            spans.append(("insert", list(new[j1:j2])))
    return _join_changes(spans, is_space)


def _join_changes(spans: list[tuple[Op, list[T]]], is_space: Callable[[T], bool]) -> list[tuple[Op, list[T]]]:
    joined: list[tuple[Op, list[T]]] = []
    deleted: list[T] = []
    inserted: list[T] = []

    def flush() -> None:
        if deleted:
            joined.append(("delete", list(deleted)))
        if inserted:
            joined.append(("insert", list(inserted)))
        deleted.clear()
        inserted.clear()

    for index, (op, items) in enumerate(spans):
        if op == "delete":
            deleted.extend(items)
        elif op == "insert":
            inserted.extend(items)
        elif 0 < index < len(spans) - 1 and all(is_space(item) for item in items):
            deleted.extend(items)  # neighbours are changes (opcodes never put two equals side by side)
            inserted.extend(items)
        else:
            flush()
            joined.append((op, items))
    flush()
    return joined


def word_diff(old: str, new: str) -> tuple[Span, ...]:
    """The word-level changes from `old` to `new`; () when they are equal."""
    if old == new:
        return ()
    spans = diff_tokens(tokens(old), tokens(new), str.isspace, address_parts)
    return tuple(Span(op, "".join(items)) for op, items in spans)


def old_text(words: Sequence[Span]) -> str:
    return "".join(span.text for span in words if span.op != "insert")


def new_text(words: Sequence[Span]) -> str:
    return "".join(span.text for span in words if span.op != "delete")


def text_change(field: str, old: str, new: str) -> TextChange | None:
    return TextChange(field, old, new, word_diff(old, new)) if old != new else None


# ---------------------------------------------------------------- the stage


def diff_drafts(old: Paper, new: Paper) -> DraftDiff:
    """What changed from the `old` paper to the `new` one, keyed by action ref."""
    before = {row.ref: row for row in old.rows}
    # the new draft's rows by the number the old one shows each under: its own, or the one it had before the plan
    # was renumbered (the register's Was numbered column), never one guessed from its words
    renumbered = renumbered_since(new.rows, old)
    after = {row.ref: row for row in new.rows if row.ref not in renumbered.earlier}
    for row in new.rows:  # a split action's new half, its old number kept by the other half, is added
        earlier = renumbered.earlier_ref(row.ref)
        if row.ref in renumbered.earlier:
            after[earlier if earlier in before and earlier not in after else row.ref] = row
    common = sorted(before.keys() & after.keys())
    same = sum(same_action(before[ref].action, after[ref].action) for ref in common)
    different = bool(before and after) and (not common or same < DIFFERENT_PLANS_SHARE * len(common))
    paired = [] if different else common  # actions of different plans are each only in their draft
    moves = tuple(StatusMove(after[ref].ref, after[ref].action, before[ref].status_label, after[ref].status_label)
                  for ref in paired if status_changed(before[ref], after[ref]))
    renamed = renamed_sections(old, new) if not different else {}
    reheaded = reheaded_rows(old.cover, new.cover)
    reheaded_labels = {label for change in reheaded for label in (change.old, change.new)}  # the same words
    same_section = {(was[1] or was[0], key[1] or key[0]) for key, was in renamed.items()}
    shared = {column.key for column in old.columns} & {column.key for column in new.columns}
    changed = tuple(change for ref in paired
                    if (change := row_change(before[ref], after[ref], same_section, shared)) is not None)
    narrative_old, narrative_new = plain_text(old.narrative), plain_text(new.narrative)
    both = set(paired) if exempt_known(old, new) else set()  # actions whose exemption the two drafts can compare
    headings = column_headings(old, new)
    return DraftDiff(
        old=draft_info(old),
        new=draft_info(new),
        counts=count_changes(old, new),
        total=CountChange("Total", old.total, new.total),
        moves=moves,
        added=tuple(action_summary(after[ref], added=True) for ref in sorted(after.keys() - set(paired))),
        withdrawn=tuple(action_summary(before[ref]) for ref in sorted(before.keys() - set(paired))
                        if different or ref not in renumbered.now),
        renumbered="" if different else renumbered.sentence(),
        changed=changed,
        cover=(*(change for change in cover_changes(old.cover, new.cover) if change.field not in reheaded_labels),
               *heading_changes(old, new)),
        narrative=word_diff(narrative_old, narrative_new),
        narrative_set_out=set_out_anew_between(old.narrative, new.narrative),
        same_actions=same,
        common_refs=len(common),
        different_plans=different,
        exempt=CountChange(EXEMPT, old.exempt_count, new.exempt_count),
        columns=column_changes(old, new),
        cover_rows=cover_row_changes(old.cover, new.cover),
        cover_reheaded=reheaded,
        sections=tuple(TextChange("section", was, now, word_diff(was, now)) for was, now in sorted(same_section)),
        headings=headings,
        personal_data=personal_data_added(printed_texts(old, new, set(paired), dict(headings))),
        made_exempt=tuple(action_summary(after[ref]) for ref in sorted((exempt_refs(new) - exempt_refs(old)) & both)),
        no_longer_exempt=tuple(action_summary(after[ref])
                               for ref in sorted((exempt_refs(old) - exempt_refs(new)) & both)),
    )


def printed_texts(old: Paper, new: Paper, paired: set[int], headings: dict[str, str]
                  ) -> list[tuple[str, str, str]]:
    """What the new paper prints that a reader may publish, as (where, the old paper's words there, the new paper's):
    each action's status and fields as compared (an exempt action's aside: the public edition leaves it out; an
    action only the new paper has, or one of another plan under its number, against nothing), each cover-sheet row
    by its heading, and the narrative."""
    before = {row.ref: row for row in old.rows if row.ref in paired}
    exempt = exempt_refs(new)
    texts = []
    for row in new.rows:
        if row.ref in exempt:
            continue
        was = before.get(row.ref)
        old_values = {"status": was.status_label, **row_values(was)} if was is not None else {}
        for key, value in {"status": row.status_label, **row_values(row)}.items():
            name = FIELD_NAMES.get(key) or headings.get(key) or ("Status" if key == "status" else key)
            texts.append((f"Action {row.ref}'s {name}", old_values.get(key, ""), value))
    old_cover = {row.label: row.value for row in old.cover}
    texts += [(f"the cover sheet's {row.label}", old_cover.get(row.label, ""), row.value) for row in new.cover]
    texts.append(("the narrative", plain_text(old.narrative), plain_text(new.narrative)))
    return texts


def exempt_known(*papers: Paper) -> bool:
    """Whether each paper says which of its actions are exempt: a public draft holds none of them, and a
    restricted one kept before drafts recorded them cannot say."""
    return all(paper.edition == "restricted" and paper.exempt_refs is not None for paper in papers)


def exempt_refs(paper: Paper) -> set[int]:
    return set(paper.exempt_refs or ())


def section_keys(sections: Sequence[PaperSection]) -> list[tuple[str, str]]:
    """(level-1 heading, level-2 heading) of each section: a level-2 heading may repeat under others."""
    keys: list[tuple[str, str]] = []
    parent = ""
    for section in sections:
        if section.level <= 1:
            parent = section.heading
            keys.append((parent, ""))
        else:
            keys.append((parent, section.heading))
    return keys


def renamed_sections(old: Paper, new: Paper) -> dict[tuple[str, str], tuple[str, str]]:
    """Sections the new paper heads otherwise: the key (`section_keys`) of each section only the new paper
    has whose actions mostly come from one section (of its level) only the old paper had, and that section's
    key, where the two headings differ."""
    old_keys, new_keys = section_keys(old.sections), section_keys(new.sections)
    was = {row.ref: key for key, section in zip(old_keys, old.sections) for row in section.rows}
    renamed: dict[tuple[str, str], tuple[str, str]] = {}
    for key, section in zip(new_keys, new.sections):
        if key in old_keys or not section.heading:
            continue
        origins = Counter(was[row.ref] for row in section.rows
                          if row.ref in was and was[row.ref] not in new_keys and bool(was[row.ref][1]) == bool(key[1]))
        if origins:
            (origin, count), = origins.most_common(1)
            heading = origin[1] or origin[0]
            if count * 2 > len(section.rows) and heading and heading != section.heading:
                renamed[key] = origin
    return renamed


def section_note(diff: DraftDiff) -> str:
    """The sections renamed, in a sentence; "" when none was."""
    parts = [f"the section headed '{change.old}' is now headed '{change.new}'" for change in diff.sections]
    if not parts:
        return ""
    return "Renamed: " + ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] + "."


def same_action(old: str, new: str) -> bool:
    """Whether two wordings are of one action: at least SAME_ACTION_RATIO of their words alike, in order."""
    before, after = _WORD.findall(old.casefold()), _WORD.findall(new.casefold())
    return before == after or SequenceMatcher(None, before, after, autojunk=False).ratio() >= SAME_ACTION_RATIO


def draft_info(paper: Paper) -> DraftInfo:
    return DraftInfo(paper.period, paper.date, paper.edition, paper.title, marking=paper.marking,
                     blocking_issues=paper.blocking_issues, draft_marking=paper.draft_marking,
                     progress=paper.progress is not None,
                     progress_from=paper.progress.previous if paper.progress else "")


def action_summary(row: PaperRow, added: bool = False) -> ActionSummary:
    back = row.movement if added and row.movement_direction == "back" else ""
    return ActionSummary(row.ref, row.action, row.section, row.lead, row.status_label, back)


def row_values(row: PaperRow) -> dict[str, str]:
    """The compared values of a row: the raw fields (the action with its links: `action_value`), then any extra
    column's cell text."""
    values = {name: str(getattr(row, name)) for name in ROW_FIELDS}
    values["action"] = action_value(row)
    for cell in row.cells:
        if cell.key not in ("ref", "status", *ROW_FIELDS):
            values[cell.key] = cell.text
    return values


def action_value(row: PaperRow) -> str:
    """The action as a comparison records it: its words (`PaperRow.action`: a draft keeps no register HTML), each
    link the paper draws in it written `[words](address)`, as a register cell linked in Excel is read (a bare
    address as itself). A link pointed elsewhere under the same words is then a change of the action's value, its
    addresses the words changed, as an explanation's is; with no link, the words alone."""
    cell = next((cell for cell in row.cells if cell.key == "action"), None)
    if cell is None or not any(inline.href for block in cell.rich for inline in block.inlines):
        return row.action
    return "\n".join(_typed_links(block.inlines) for block in cell.rich)


def _typed_links(inlines: Sequence[Inline]) -> str:
    """A block's words, each run of neighbours linking to one address as `[words](address)`."""
    typed = []
    for href, run in groupby(inlines, key=lambda inline: inline.href):
        words = "".join(inline.text for inline in run)
        typed.append(words if href is None or shows_address(words, href) else f"[{words}]({href})")
    return "".join(typed)


def shows_address(words: str, href: str) -> bool:
    """Whether a link's words are its address as the paper links a bare one: the address itself, an e-mail
    address (mailto:), or www.… (https://)."""
    words = words.strip()
    return href in (words, "mailto:" + words, "https://" + words, "http://" + words)


def row_change(old: PaperRow, new: PaperRow, renamed: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
               columns: set[str] | None = None) -> ActionChange | None:
    """The wording changes of one action (its status move is not one of them), or None. A raw value that
    changed only where the paper shows no difference (spacing, a `<p>` around the same words) is not a
    change: the reviewer would look for one that is not there; nor is a section whose heading was
    `renamed` ((old, new) headings: `DraftDiff.sections` says so once), nor, given the `columns` both
    papers' tables have, the cell of an extra column only one table has (`DraftDiff.columns` says so once).

    A value the same in both drafts whose cell the paper shows otherwise (an action's word made bold, its list item
    made a paragraph: a draft keeps the action's words, not its HTML) is a change whose words are all unchanged
    (`set_out_anew`): the same words, set out differently, as an explanation's changed `<b>` or `<li>` is."""
    before, after = row_values(old), row_values(new)
    if columns is not None:
        before, after = ({key: value for key, value in values.items() if key in ROW_FIELDS or key in columns}
                         for values in (before, after))
    if (old.section, new.section) in renamed:
        after["section"] = before["section"]
    keys = [*after, *(key for key in before if key not in after)]
    changes = tuple(change for key in keys if (change := _field_change(old, new, key, before.get(key, ""),
                                                                       after.get(key, ""))) is not None)
    return ActionChange(new.ref, new.action, new.section, changes) if changes else None


def _field_change(old: PaperRow, new: PaperRow, key: str, was: str, now: str) -> TextChange | None:
    """The change of one field whose paper shows a difference (`_shown`), or None."""
    if _shown(old, key, was) == _shown(new, key, now):
        return None
    change = text_change(key, was, now)
    if change is None:
        return set_out_anew(key, now)
    links = link_changes(was, now)
    return dataclasses.replace(change, links=links) if links else change


def set_out_anew(field: str, text: str) -> TextChange:
    """A field whose words are the same in both drafts but set out differently: all its words unchanged."""
    return TextChange(field, text, text, (Span("equal", text),) if text else ())


Shown = tuple[tuple[str, ...], tuple[tuple[tuple[str, str | None, bool, bool, bool], ...], ...]]


def _shown(row: PaperRow, key: str, raw: str) -> Shown:
    """What the paper shows of a field: the words of each paragraph or item (spacing aside), and each word with the
    address it links to and whether it is bold, italic or underlined (a word made bold is a change)."""
    cell = next((cell for cell in row.cells if cell.key == key), None)
    if cell is None or not cell.rich:
        return (" ".join((cell.text if cell is not None else raw).split()),), ()
    # a line break within a list item (a "\n" in its text) is shown: a break added there is a change
    return (tuple(f"{block.kind} {_lines_shown(block.text)}" for block in cell.blocks),
            tuple(tuple((token, inline.href, inline.bold, inline.italic, inline.underline)
                        for inline in block.inlines for token in tokens(inline.text) if not token.isspace())
                  for block in cell.blocks))


def _lines_shown(text: str) -> str:
    """A block's words, spacing aside, and its line breaks."""
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def count_changes(old: Paper, new: Paper) -> tuple[CountChange, ...]:
    before, after = dict(old.counts), dict(new.counts)
    statuses = [*after, *(status for status in before if status not in after)]
    counts = [CountChange(status, before.get(status, 0), after.get(status, 0)) for status in statuses]
    if old.unrecognised or new.unrecognised:
        counts.append(CountChange(NOT_RECOGNISED, old.unrecognised, new.unrecognised))
    return tuple(counts)


def cover_changes(old: Sequence[CoverRow], new: Sequence[CoverRow]) -> tuple[TextChange, ...]:
    """Cover-sheet rows by label, in the new paper's order, then rows only the old one had."""
    before = {row.label: row.value for row in old}
    after = {row.label: row.value for row in new}
    labels = [*after, *(label for label in before if label not in after)]
    return tuple(change for label in labels
                 if (change := text_change(label, before.get(label, ""), after.get(label, ""))) is not None)


def cover_row_changes(old: Sequence[CoverRow], new: Sequence[CoverRow]) -> tuple[TextChange, ...]:
    """The cover-sheet rows only one draft has (a row of the Panel's own added, a built-in row left out or
    re-headed), by heading: the new paper's first, then the old one's."""
    before, after = [row.label for row in old], [row.label for row in new]
    return (*(TextChange(label, "", label, word_diff("", label)) for label in after if label not in before),
            *(TextChange(label, label, "", word_diff(label, "")) for label in before if label not in after))


def reheaded_rows(old: Sequence[CoverRow], new: Sequence[CoverRow]) -> tuple[TextChange, ...]:
    """The cover rows re-headed (`cover_headings` changed between the drafts): a row only the old draft has and one
    only the new has, holding the same value, paired in order; each as its old and new heading."""
    before, after = {row.label for row in old}, {row.label for row in new}
    gone = [row for row in old if row.label not in after]
    pairs = []
    for row in (row for row in new if row.label not in before):
        was = next((other for other in gone if " ".join(other.value.split()) == " ".join(row.value.split())), None)
        if was is not None:
            gone.remove(was)
            pairs.append(TextChange("cover_heading", was.label, row.label, word_diff(was.label, row.label)))
    return tuple(pairs)


def cover_note(diff: DraftDiff) -> str:
    """The cover sheet's rows added, left out or re-headed, in a sentence; "" when both drafts have the same rows."""
    paired = {label for change in diff.cover_reheaded for label in (change.old, change.new)}
    added = [f"'{change.new}'" for change in diff.cover_rows if change.new and change.new not in paired]
    gone = [f"'{change.old}'" for change in diff.cover_rows if change.old and change.old not in paired]
    reheaded = [f"'{change.old}' as '{change.new}'" for change in diff.cover_reheaded]
    parts = ([f"re-heads the {_rows(reheaded)} (the same words under it)"] if reheaded else []) + (
        [f"adds the {_rows(added)}"] if added else []) + ([f"leaves out the {_rows(gone)}"] if gone else [])
    return f"The cover sheet changed: the new draft {' and '.join(parts)}." if parts else ""


def exemption_note(diff: DraftDiff) -> str:
    """Two restricted drafts: the actions made exempt (Part II) and those no longer exempt, in a sentence each,
    so the reviewer knows what the public edition now leaves out or shows; "" when no action's exemption changed."""
    made, gone = [a.ref for a in diff.made_exempt], [a.ref for a in diff.no_longer_exempt]
    parts = ([f"{_refs(made)} {'was' if len(made) == 1 else 'were'} made exempt (Part II) since the old draft: "
              f"the public edition now leaves {'it' if len(made) == 1 else 'them'} out."] if made else []) + (
        [f"{_refs(gone)} {'is' if len(gone) == 1 else 'are'} no longer exempt: the public edition now shows "
         f"{'it' if len(gone) == 1 else 'them'}."] if gone else [])
    return " ".join(parts)


def _refs(refs: Sequence[int]) -> str:
    """"Action 5", "Actions 5, 9 and 12"."""
    listed = ", ".join(map(str, refs[:-1])) + (" and " if len(refs) > 1 else "") + str(refs[-1])
    return f"{'Action' if len(refs) == 1 else 'Actions'} {listed}"


def _rows(labels: Sequence[str]) -> str:
    listed = ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1]
    return f"{'row' if len(labels) == 1 else 'rows'} {listed}"


def column_changes(old: Paper, new: Paper) -> tuple[TextChange, ...]:
    """The plan table's column headings by key, in the new paper's order, then columns only the old one had:
    a heading renamed (the register's, or reportgen.toml's), or "" on the side whose table has no such column."""
    before = {column.key: column.heading for column in old.columns}
    after = {column.key: column.heading for column in new.columns}
    keys = [*after, *(key for key in before if key not in after)]
    return tuple(change for key in keys
                 if (change := text_change(key, before.get(key, ""), after.get(key, ""))) is not None)


def column_headings(old: Paper, new: Paper) -> tuple[tuple[str, str], ...]:
    """(key, heading) of the plan table's columns: the new paper's, then those only the old one had."""
    headings = {column.key: column.heading for column in new.columns}
    return (*headings.items(), *((column.key, column.heading) for column in old.columns if column.key not in headings))


def column_note(diff: DraftDiff) -> str:
    """The plan table's columns renamed, added or left out, in a sentence; "" when they are the same."""
    parts = []
    for change in diff.columns:
        if change.old and change.new:
            parts.append(f"the column headed '{change.old}' is now headed '{change.new}'")
        elif change.new:
            parts.append(f"the new draft adds the column '{change.new}'")
        else:
            parts.append(f"the new draft leaves out the column '{change.old}'")
    if not parts:
        return ""
    text = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"The delivery plan's table changed: {text}."


def heading_changes(old: Paper, new: Paper) -> tuple[TextChange, ...]:
    """The paper's title and subtitle (over the cover sheet); the title only when no cover-sheet row
    already shows the same change (the cover's "TITLE OF REPORT" usually is the title)."""
    shown = {(row.label, row.value) for row in new.cover}
    before = {row.label: row.value for row in old.cover}
    title_in_cover = any(value == new.title and before.get(label) == old.title for label, value in shown)
    pairs = [("Subtitle", old.subtitle, new.subtitle)]
    if not title_in_cover:
        pairs.insert(0, ("Title", old.title, new.title))
    return tuple(change for field, was, now in pairs if (change := text_change(field, was, now)) is not None)


# ---------------------------------------------------------------- output


def diff_to_json(diff: DraftDiff) -> str:
    """Canonical JSON of the comparison: the same diff always gives the same text. The diff record says whether it
    runs backwards (`DraftDiff.backwards`, worked out from the drafts' names, which are set after comparing) so that
    a script reading it need not work that out again."""
    record = {**dataclasses.asdict(diff), "backwards": diff.backwards}
    data = {"schema": SCHEMA, "empty": diff.is_empty, "diff": record}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


class Marks(NamedTuple):
    """How a redline marks deleted and inserted words in text: format strings for the words."""

    delete: str
    insert: str


PLAIN_MARKS = Marks("[-{}-]", "{{+{}+}}")  # the `git diff --word-diff` marks
# on a terminal, the same marks in colour as well (red struck through, green underlined), as git shows them
TERMINAL_MARKS = Marks("\x1b[9;31m[-{}-]\x1b[0m", "\x1b[4;32m{{+{}+}}\x1b[0m")


BREAK_SHOWN = "¶"  # a line break only one draft has, as a comparison shows it (diff.html, diff.pdf, the summary)


def redline_text(words: Sequence[Span], marks: Marks = PLAIN_MARKS) -> str:
    """Spans as text: [-deleted-] and {+inserted+}. A line break only one side has is a pilcrow inside the marks, as
    diff.html shows it ("[- -]{+¶+}"), and the line breaks after them: a marked newline would read as a blank
    marked and the next line starting in the middle of the marks."""
    formats = {"delete": marks.delete, "insert": marks.insert}
    shown: list[str] = []
    for span in words:
        if span.op == "equal":
            shown.append(span.text)
            continue
        lines = span.text.split("\n")
        for number, line in enumerate(lines):
            last = number == len(lines) - 1
            text = line if last else line + BREAK_SHOWN
            shown.append((formats[span.op].format(text) if text else "") + ("" if last else "\n"))
    return "".join(shown)


# drafts of two periods: what each paper says about earlier periods is its own, and is left out
PERIODS_NOTE = ("Progress over time and each action's movement since the previous update are not compared: "
                "each draft has its own.")
# drafts that share few actions: compared by ref, nearly every row shows as changed
UNRELATED_NOTE = ("Only {same} of {total} actions {are} the same action in both drafts: are they drafts of the "
                  "same plan? Actions are compared by their plan priority number.")
DIFFERENT_PLANS_NOTE = ("These are drafts of different plans: {shared}, so no action is paired with another: "
                        "the old draft's {old} are all shown as withdrawn and the new draft's {new} as added.")


def progress_note(diff: DraftDiff) -> str:
    """Why progress over time is not compared, when the drafts differ in it: drafts of two periods each
    have their own; two drafts of one period differ when an earlier period's draft was kept (or the
    history settings changed) between them. "" when they do not differ."""
    old, new = diff.old, diff.new
    if old.period != new.period:
        return PERIODS_NOTE
    if (old.progress, old.progress_from) == (new.progress, new.progress_from):
        return ""
    def since(info: DraftInfo) -> str:
        return f" since the {period_label(info.progress_from)} update" if info.progress_from else ""
    if not old.progress:
        return (f"The new draft adds Progress over time and each action's movement{since(new)}, which the old "
                "draft did not have; they are not compared.")
    if not new.progress:
        return (f"The new draft leaves out Progress over time and each action's movement{since(old)}, which the "
                "old draft had; they are not compared.")
    return (f"The old draft measures progress{since(old) or ' from no earlier update'} and the new one"
            f"{since(new) or ' from none'}: Progress over time and each action's movement are not compared.")


def order_note(diff: DraftDiff) -> str:
    """A warning when the comparison runs backwards (`DraftDiff.backwards`): status moves then run from the later
    status to the earlier; "" otherwise."""
    old, new = diff.old, diff.new
    if not diff.backwards:
        return ""
    return (f"The old draft, {old.label}, is later than the new one, {new.label}: this comparison "
            "runs backwards (what it shows as added was in the earlier draft and is gone from the later, and status "
            "moves run from the later status to the earlier). To see what changed since, give the earlier draft "
            "first.")


def unrelated_note(diff: DraftDiff) -> str:
    """The warning of `DraftDiff.unrelated`: drafts of different plans, or few actions the same in both."""
    if diff.different_plans:
        if not diff.common_refs:
            shared = "they use no action number in common"
        elif not diff.same_actions:
            shared = f"none of the {diff.common_refs} action numbers both use holds the same action in each"
        else:
            shared = (f"only {diff.same_actions} of the {diff.common_refs} action numbers both use "
                      f"{'holds' if diff.same_actions == 1 else 'hold'} the same action in each")
        return DIFFERENT_PLANS_NOTE.format(shared=shared, old=counted(len(diff.withdrawn), "action"),
                                           new=len(diff.added))
    return UNRELATED_NOTE.format(same=diff.same_actions, total=max(diff.total.old, diff.total.new),
                                 are="is" if diff.same_actions == 1 else "are")


def blocking_note(diff: DraftDiff) -> str:
    """Whether publication was blocked then and now: the reviewer's first question of a new draft; ""
    when neither draft was blocked."""
    old, new = diff.old.blocking_issues, diff.new.blocking_issues
    if old and not new:
        gone = " (its draft marking is gone)" if diff.old.draft_marking else ""
        return f"The old draft had {counted(old, 'issue')} blocking publication; the new one has none{gone}."
    if new and not old:
        marked = f" and is marked '{diff.new.draft_marking}'" if diff.new.draft_marking else ""
        return (f"The old draft had no issues blocking publication; the new one has {counted(new, 'issue')}"
                f"{marked}.")
    if old and new:
        return (f"Both drafts are blocked from publication: the old one by {counted(old, 'issue')}, the new one "
                f"by {counted(new, 'issue')}.")
    return ""


def renumbered_note(diff: DraftDiff) -> str:
    """The actions renumbered between the drafts, which the comparison pairs with their old rows; "" for none."""
    return f"Renumbered (the register's Was numbered column): {diff.renumbered}" if diff.renumbered else ""


def human_text(diff: DraftDiff, marks: Marks = PLAIN_MARKS) -> str:
    """A plain-text summary: counts, status moves, added and withdrawn actions, reworded actions (their
    words marked with `marks`)."""
    lines = [f"{diff.old.label} -> {diff.new.label}"]
    if backwards := order_note(diff):
        lines.append(backwards)
    note = progress_note(diff)
    if note:
        lines.append(note)
    if diff.unrelated:
        lines.append(unrelated_note(diff))
    if blocking := blocking_note(diff):
        lines.append(blocking)
    if columns := column_note(diff):
        lines.append(columns)
    if sections := section_note(diff):
        lines.append(sections)
    if diff.renumbered:
        lines.append(renumbered_note(diff))
    if rows := cover_note(diff):
        lines.append(rows)
    marking = diff.old.marking or diff.new.marking
    if marking:  # first, so nobody forwards it unaware
        lines.insert(0, f"{marking}: this comparison includes exempt actions; it is not for publication.")
    if diff.personal_data:  # before the changes: the reviewer is to look at these before anything is published
        lines += _listing(diff.personal_data, "place where the newer draft adds what looks like personal data",
                          "places where the newer draft adds what looks like personal data",
                          lambda item: f"{item.place}: {item.found}")
        lines.append(f"  {ADVICE}")
    if diff.is_empty:
        return "\n".join([*lines, "No other changes." if note else "No changes."])
    counts = ", ".join(f"{c.status} {c.old} -> {c.new}" for c in diff.counts)
    lines.append(f"Counts: {counts}; total {diff.total.old} -> {diff.total.new}")
    if diff.exempt.old or diff.exempt.new:
        lines.append(f"{diff.exempt.status}: {diff.exempt.old} -> {diff.exempt.new}")
    lines += _listing(diff.made_exempt, *MADE_EXEMPT, _summary)
    lines += _listing(diff.no_longer_exempt, *NO_LONGER_EXEMPT, _summary)
    lines += _listing(diff.moves, "status move", "status moves", _move)
    if not diff.different_plans:  # every action of both: the note says how many; diff.html lists them
        lines += _listing(diff.added, *diff.added_words, lambda a: f"{a.ref} {a.action} ({a.status}"
                          + (f"; back in the paper: {a.back})" if a.back else ")"))
        lines += _listing(diff.withdrawn, *diff.gone_words, lambda a: f"{a.ref} {a.action} (was {a.status})")
    told = diff.told
    moved = [change for change in told if {c.field for c in change.changes} == {"section"}]
    lines += _listing(moved, "action moved to another section", "actions moved to another section", _moved)
    notes = [change for change in told if {c.field for c in change.changes} == {"note"}]
    lines += _listing([change for change in told if change not in moved and change not in notes],
                      "action reworded", "actions reworded", lambda c: _reworded(diff, c, marks))
    lines += _listing(notes, "action with only its status note changed", "actions with only their status note changed",
                      lambda c: _reworded(diff, c, marks))  # reportgen's note ("No update received…"), not reworded
    lines += _listing(diff.cover, "cover sheet change", "cover sheet changes",
                      lambda c: f"{c.field}: {redline_text(c.words, marks)}")
    if diff.narrative or diff.narrative_set_out:
        said = redline_text(diff.narrative, marks) if diff.narrative else SET_OUT_ANEW
        if diff.narrative and diff.narrative_set_out:
            said += f"\n{ALSO_SET_OUT_ANEW}"
        lines.append("Narrative changed:")
        lines.append("  " + said.replace("\n", "\n  "))
    return "\n".join(lines)


def _listing(items: Sequence[Item], one: str, many: str, line: Callable[[Item], str]) -> list[str]:
    if not items:
        return []
    heading = f"{counted(len(items), one, many)}:"
    return [heading, *("  " + line(item).replace("\n", "\n    ") for item in items)]


def _summary(action: ActionSummary) -> str:
    return f"{action.ref} {action.action} ({action.status})"


def _move(move: StatusMove) -> str:
    return f"{move.ref} {move.action}: {move.old} -> {move.new}"


def _moved(change: ActionChange) -> str:
    """'3 Ask the Chief Constable …: Victims -> Justice' (an action with no section: "No section")."""
    [section] = change.changes
    return f"{change.ref} {change.action}: {section.old or 'No section'} -> {section.new or 'No section'}"


def _reworded(diff: DraftDiff, change: ActionChange, marks: Marks) -> str:
    fields = "\n".join(f"{diff.field_name(c.field)}: {redline_text(around_changes(_words_shown(c)), marks)}"
                       for c in change.changes)
    return f"{change.ref} {change.action}\n{fields}"


CONTEXT_WORDS = 12  # unchanged words the printed summary shows either side of a change
_EDGES = re.compile(r"(\s*)(.*?)(\s*)", re.S)  # blanks before, the words, blanks after


def around_changes(words: Sequence[Span], context: int = CONTEXT_WORDS) -> tuple[Span, ...]:
    """A long text's changes with `context` unchanged words either side, the rest of each unchanged stretch
    "…": one word changed in a 1,200-character explanation prints as that word in its sentence, not the
    whole explanation (diff.html, diff.docx and diff.json keep every word). Words with no change among them (a
    note saying what changed, `SET_OUT_ANEW`) are kept whole."""
    if all(span.op == "equal" for span in words):
        return tuple(words)
    shown = []
    last = len(words) - 1
    for at, span in enumerate(words):
        before, body, after = _EDGES.fullmatch(span.text).groups()  # type: ignore[union-attr]  # always matches
        pieces = re.split(r"(\s+)", body)  # words at even places, the blanks between them at odd ones
        keep_start = 0 if at == 0 else context  # after a change
        keep_end = 0 if at == last else context  # before the next
        if span.op != "equal" or (len(pieces) + 1) // 2 <= keep_start + keep_end + 1:
            shown.append(span)
            continue
        head = "".join(pieces[:2 * keep_start - 1]) if keep_start else ""
        tail = "".join(pieces[len(pieces) - 2 * keep_end + 1:]) if keep_end else ""
        cut = f"{head} … {tail}" if head and tail else f"{head} …" if head else f"… {tail}"
        shown.append(Span("equal", before + cut + after))
    return tuple(shown)


def _words_shown(change: TextChange) -> tuple[Span, ...]:
    """The word changes of the words the paper shows: a partner's `<p>` and `<li>` are not words on a
    terminal (the raw values are still what diff.json records). A link whose address changed is said after
    them, on a line of its own (`_links_shown`): the words alone do not say where a link goes, and where
    only the address of a link changed they are the same. Where the words and the addresses are the same,
    the text is set out differently (a list item now a paragraph, a word now bold): said so
    (`SET_OUT_ANEW`), not printed as an empty field."""
    old, new = shown_text(change.old), shown_text(change.new)
    if (old, new) == (change.old, change.new) and any(span.op != "equal" for span in change.words):
        words = change.words
    else:
        words = word_diff(old, new)
    links = _links_shown(change.links)
    if words and links:
        words = (*words, Span("equal", "\n  "), *links)
    if words and _kept_words_set_out_anew(change.old, change.new):
        words = (*words, Span("equal", f"\n  {ALSO_SET_OUT_ANEW}"))
    return words or links or (Span("equal", SET_OUT_ANEW),)


SET_OUT_ANEW = "(the same words, set out differently: diff.html shows how)"
ALSO_SET_OUT_ANEW = "(other words the same, set out differently: diff.html shows how)"


def _kept_words_set_out_anew(old: str, new: str) -> bool:
    """Whether a word both sides keep is set out differently (made bold, its list item made a paragraph) in a field
    whose words changed too: the words printed say nothing of it, while diff.html marks it."""
    return set_out_anew_between(parse_explanation(old), parse_explanation(new))


def set_out_anew_between(old: RichText, new: RichText) -> bool:
    """Whether a word both texts have is set out differently in the other: made bold, italic or underlined, its
    paragraph made a list item or a heading (`_word_looks`), or a paragraph begun or ended between it and the
    kept word before it. Words added or taken out in front of a kept word do not make it begin a paragraph
    anew: "Summer 2027" made "Early Summer 2027" is a word added, shown as such."""
    before, after = _word_looks(old), _word_looks(new)
    matcher = SequenceMatcher(None, [look[0] for look in before], [look[0] for look in after], autojunk=False)
    kept = [(i + k, j + k) for i, j, size in matcher.get_matching_blocks() for k in range(size)]
    if any(before[i][1] != after[j][1] for i, j in kept):
        return True
    last_i = last_j = -1
    for i, j in kept:  # a paragraph break between two kept words, on one side only
        if (any(before[x][2] for x in range(last_i + 1, i + 1))
                != any(after[x][2] for x in range(last_j + 1, j + 1))):
            return True
        last_i, last_j = i, j
    return False


def _word_looks(blocks: RichText) -> list[tuple[str, tuple[object, ...], bool]]:
    """Each word of a text as the paper shows it, with its look (the kind and level of its paragraph or item,
    whether it is bold, italic or underlined; its link is said apart: `_links_shown`) and whether it begins its
    paragraph or item."""
    looks: list[tuple[str, tuple[object, ...], bool]] = []
    for block in blocks:
        first = True
        for inline in block.inlines:
            for token in tokens(inline.text):
                if not token.isspace():
                    looks.append((token, (block.kind, block.level, inline.bold, inline.italic, inline.underline),
                                  first))
                    first = False
    return looks


def _links_shown(links: Sequence[LinkChange]) -> tuple[Span, ...]:
    """"link 'Minutes of the board': [-old address-]{+new address+}", a link after another ("; "); a link only the
    new side has "link 'the agenda' added: {+address+}", one only the old side has "link 'the agenda' taken out:
    [-address-]"."""
    spans: list[Span] = []
    for link in links:
        said = "" if link.old and link.new else " added" if link.new else " taken out"
        spans += [*([Span("equal", "; ")] if spans else []), Span("equal", f"link {quoted(link.words)}{said}: "),
                  *([Span("delete", link.old)] if link.old else []), *([Span("insert", link.new)] if link.new else [])]
    return tuple(spans)


def link_changes(old: str, new: str) -> tuple[LinkChange, ...]:
    """The links of a field whose address changed from `old` to `new`, each paired with its partner on the other side
    (`paired_links`), a link only one side has with no address on the other. A pair whose addresses are the same
    (words reworded, only the formatting changed) is not one, nor is one whose words say its address on each side
    that has it (a bare address the reader linked): its changed words already say where it goes."""
    before, after = ([run for run in _links(text) if run[1]] for text in (old, new))
    pairs = []
    for i, j in paired_links(before, after):
        words = after[j][0] if j is not None else before[i][0] if i is not None else ""
        pairs.append((before[i] if i is not None else (words, None), after[j] if j is not None else (words, None)))
    return tuple(LinkChange(now[0], was[1] or "", now[1] or "") for was, now in pairs
                 if was[1] != now[1] and not (_says_address(was) and _says_address(now)))


Link = tuple[str, str | None]  # a link's words and address


def paired_links(before: Sequence[Link], after: Sequence[Link]) -> list[tuple[int | None, int | None]]:
    """Which link of the old text each link of the new one is (old index, new index; None where it has no partner):
    the new text's links in order, then the old links left over. A link the same on both sides pairs first (the
    n-th such with the n-th), then one whose words, else whose address, only one link on each side has (among
    those not yet paired): links reordered, one pointed elsewhere, one reworded. The links left are paired in order
    when as many are left on each side (a link reworded and pointed elsewhere at once), else have no partner.
    Shared by the printed summary (`link_changes`) and diff.html's redline (`reportgen.diff.redline`), so that
    both say the same link went where."""
    partner: dict[int, int] = {}  # new index -> old index

    def pair_by(key: Callable[[Link], Hashable], unique: bool) -> None:
        free_old = [i for i in range(len(before)) if i not in partner.values()]
        free_new = [j for j in range(len(after)) if j not in partner]
        olds: dict[Hashable, list[int]] = {}
        news: dict[Hashable, list[int]] = {}
        for i in free_old:
            olds.setdefault(key(before[i]), []).append(i)
        for j in free_new:
            news.setdefault(key(after[j]), []).append(j)
        for value, js in news.items():
            is_ = olds.get(value, [])
            if not unique or len(is_) == len(js) == 1:
                partner.update(zip(js, is_, strict=False))

    pair_by(lambda link: link, unique=False)
    pair_by(lambda link: link[0], unique=True)
    pair_by(lambda link: link[1], unique=True)
    left_old = [i for i in range(len(before)) if i not in partner.values()]
    left_new = [j for j in range(len(after)) if j not in partner]
    if len(left_old) == len(left_new):
        partner.update(zip(left_new, left_old, strict=True))
    return [*((partner.get(j), j) for j in range(len(after))),
            *((i, None) for i in range(len(before)) if i not in partner.values())]


def _says_address(run: tuple[str, str | None]) -> bool:
    """Whether a link's words say where it goes (a bare address), or there is no link."""
    return run[1] is None or shows_address(run[0], run[1])


def _links(text: str) -> list[tuple[str, str | None]]:
    """The words and address of each run of a cell's text with one address or none, in order (an address None: not
    linked); a link's bold or italic word is part of its run, as is any formatting of the words around it."""
    return [(" ".join("".join(inline.text for inline in run).split()), href)
            for block in parse_explanation(text) for href, run in groupby(block.inlines, key=lambda i: i.href)]
