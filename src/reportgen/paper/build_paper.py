"""`build_paper`: the merged register and settings to the one `Paper` every renderer draws.

All ordering, counting, labels and text cleaning happen here, so the DOCX, the PDF and draft.json
cannot disagree. Renderers never decide content.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import TypeVar

from reportgen.check.narrative import fill_narrative, narrative_context
from reportgen.issues import Issue, listing_order
from reportgen.look import Theme
from reportgen.model import (
    ColumnName,
    CoverRow,
    MergedAction,
    MergedRegister,
    Paper,
    PaperCell,
    PaperColumn,
    PaperRow,
    PaperSection,
    RichText,
    StatusMove,
    UpdateState,
    plain_text,
)
from reportgen.paper.column_widths import fit_columns
from reportgen.paper.cover import cover_rows, display_date, fill_in, meeting_date
from reportgen.paper.progress import with_progress
from reportgen.paper_rules import status_changed
from reportgen.periods import period_label
from reportgen.read.richtext import parse_explanation, render_markdown
from reportgen.renumbering import renumbered_since
from reportgen.settings import Edition, Settings
from reportgen.terms import (
    NO_LONGER_IN_PLAN,
    NO_STATUS_GIVEN,
    NO_UPDATE_LABEL,
    REPORTED_UNKNOWN,
    STATUS_CLASSES,
    STATUS_COLOURS,
    STATUS_NOT_RECOGNISED,
)
from reportgen.wording import counted, listed, plural

# relative column widths; a column not listed gets DEFAULT_WIDTH; each then widened to hold its longest
# word (`reportgen.paper.column_widths`)
WIDTHS = {"ref": 0.09, "action": 0.22, "status": 0.11, "explanation": 0.36, "timeframe": 0.12, "page": 0.07,
          "lead": 0.1, "section": 0.1}
DEFAULT_WIDTH = 0.08
Group = TypeVar("Group", bound=Hashable)  # what `in_register_order` orders: a name, or a name and its run
RICH_COLUMNS = ("action", "explanation")  # cleaned of HTML and markup into paragraphs and links

NO_UPDATE = "No update received this period"
RETURNED_UNCHANGED = "Return unchanged"  # every row of it as its workbook was pre-filled: as last reported
# a revised paper's first cover row (`revision_rows`), headed as the cover's rows are
REVISED_LABEL = "REVISED PAPER"


def build_paper(
    merged: MergedRegister,
    settings: Settings,
    narrative_source: str | None,
    edition: Edition = "public",
    issues: Sequence[Issue] = (),
    previous: Paper | None = None,
    theme: Theme | None = None,
    earlier: Sequence[Paper] = (),
    absent: Collection[str] = (),
    headings: Mapping[str, str] | None = None,
    previous_name: str = "",
    revises: bool = False,
) -> Paper:
    """The paper of `merged`. `previous`: the last draft ("changes since the last draft"); `earlier`:
    the newest kept draft of each earlier period, oldest first (progress over time); `absent`: the register's
    columns it has none of (`Register.absent`), left out of the table; `headings`: the register's own
    headings (`Register.headings`), printed over its columns unless reportgen.toml names them; `previous_name`:
    how the last draft is named where the paper says nothing changed since it ("2026-10/draft-01"); `revises`: the
    paper corrects `previous` (the one published): the cover sheet says so first, and the changes since it are listed
    whatever `changes_section` says."""
    included = tuple(a for a in merged.actions if edition == "restricted" or not a.action.exempt)
    exempt_count = len(merged.actions) - len(included)
    context = narrative_context(merged, settings, edition)
    counts: dict[str, int] = context["counts"]  # type: ignore[assignment]
    columns = paper_columns(settings, absent, headings, dict(theme.column_shares) if theme is not None else None)
    sections = group_rows(included, settings, columns, headings)
    day = meeting_date(settings.paper, merged.period)
    date = display_date(day)
    rows = tuple(row for section in sections for row in section.rows)
    exempt_refs = tuple(a.action.ref for a in included if a.action.exempt) if edition == "restricted" else ()
    in_register = frozenset(a.action.ref for a in merged.actions)
    with_changes = settings.paper.changes_section or revises
    moves, new_refs = changes_since(previous, rows, in_register) if with_changes else ((), ())
    updated = updates_corrected(previous, rows) if revises else ()
    blocking = sorted((i for i in issues if i.blocking), key=listing_order)  # as the console lists them
    paper = Paper(
        title=fill_in(settings.paper.title, merged.period, day),
        subtitle=fill_in(settings.paper.subtitle, merged.period, day),
        meeting=fill_in(settings.paper.meeting, merged.period, day),
        date=date,
        period=merged.period,
        language=settings.paper.language,
        author=settings.paper.author or settings.paper.submitted_by,
        edition=edition,
        marking=settings.paper.restricted_marking if edition == "restricted" else "",
        cover=(*revision_rows(previous_name if revises else "", moves, previous.revises if previous else "",
                              previous.meeting if previous else "", previous.date if previous else "", updated),
               *cover_rows(settings.paper, merged.period, edition)),
        narrative=render_narrative(narrative_source, context),
        columns=columns,
        sections=sections,
        counts=tuple(counts.items()),
        total=len(included),
        exempt_count=exempt_count,
        exempt_note=settings.paper.exempt_note.format(count=exempt_count, actions=counted(exempt_count, "action"))
        if exempt_count and edition == "public" else "",
        exempt_refs=exempt_refs,
        unrecognised=int(context["unrecognised"]),  # type: ignore[call-overload]
        carried_forward=sum(1 for a in included if a.state is UpdateState.CARRIED_FORWARD),
        changes=moves,
        changes_note=(changes_note(previous, previous_name, bool(moves), edition, revises) + updates_note(updated)
                      + renumbered_note(previous, rows)
                      + meeting_moved(previous, previous_name, merged.period, date)) if with_changes else "",
        new_actions=new_refs,
        blocking_issues=len(blocking),
        status_colours=status_colours(theme),
        draft_marking=draft_marking(settings.paper.draft_marking, len(blocking)),
        blocking=tuple(item.located for item in blocking),
        no_status=int(context["no_status"]),  # type: ignore[call-overload]
        carried_from=carried_sources(included),
        theme=theme,
        column_names=tuple(column_name(settings, key, headings)
                           for key in dict.fromkeys(("section", "lead", *settings.paper.group_by))),
        grouped_by=tuple(settings.paper.group_by),
        revises=previous_name if revises else "",
    )
    exempt = frozenset(a.action.ref for a in merged.actions if a.action.exempt)
    grouping = paper.column_name(settings.paper.group_by[0]) if settings.paper.group_by else None
    return fit_columns(with_progress(paper, earlier, settings.history, exempt, grouping))


def status_colours(theme: Theme | None) -> tuple[tuple[str, str], ...]:
    """Status class -> fill: the template's "Status …" styles where it has them, else ours."""
    return tuple({**STATUS_COLOURS, **dict(theme.status_fills if theme else ())}.items())


def carried_sources(included: Sequence[MergedAction]) -> str:
    """Where the carried-forward statuses come from, newest first: "the 2026-09 returns and draft …"."""
    names = sorted({a.carried_from for a in included if a.state is UpdateState.CARRIED_FORWARD and a.carried_from},
                   key=lambda name: (not name.startswith("the "), name))
    return " and ".join(name if name.startswith("the ") else f"draft {name}" for name in names)


def draft_marking(template: str, blocking: int) -> str:
    """The line on every page while `blocking` issues stop publication; "" when none do."""
    if not blocking:
        return ""
    return template.replace("{count}", str(blocking)).replace("{issues}", counted(blocking, "issue"))


def render_narrative(source: str | None, context: dict[str, object]) -> RichText:
    """Markdown + Jinja from the workspace, sandboxed with bounded work (`reportgen.check.narrative`); a
    narrative that cannot be filled in is left out here and reported by `check_narrative`."""
    if not source:
        return ()
    markdown, _issues = fill_narrative(source, context)
    return render_markdown(markdown) if markdown else ()


def paper_columns(settings: Settings, absent: Collection[str] = (), headings: Mapping[str, str] | None = None,
                  template_shares: Mapping[str, float] | None = None) -> tuple[PaperColumn, ...]:
    """The table's columns, as `[paper] table_columns` lists them, but a register column the register has
    none of (`absent`): a column of empty cells headed as another plan's would tell the reader nothing. A
    register column is headed as the register heads it (`headings`) unless reportgen.toml names its heading.
    A column is as wide as the officer made it in the Word template (`template_shares`), else ours (`WIDTHS`)."""
    keys = tuple(key for key in settings.paper.table_columns if key not in absent)
    shares = template_shares or {}
    raw = [shares.get(key, WIDTHS.get(key, DEFAULT_WIDTH)) for key in keys]
    total = sum(raw)
    return tuple(PaperColumn(key, settings.column_heading(key, headings), round(width / total, 4))
                 for key, width in zip(keys, raw, strict=True))


def group_rows(actions: Sequence[MergedAction], settings: Settings, columns: Sequence[PaperColumn],
               headings: Mapping[str, str] | None = None) -> tuple[PaperSection, ...]:
    """Sections in register order (`in_register_order`). Within a section, its actions in register order.
    Actions with no section keep their place too: each run of them is a group of its own where it stands
    (`_first_groups`), headed "No section" (`unnamed_heading`) unless it opens the plan (the plan's opening
    actions, as published), or its rows would read as the section before's; gathered into one group, those
    after a section were printed above that section's heading. `headings`: the register's own, as
    `paper_columns`."""
    keys = settings.paper.group_by
    if not keys:
        return (PaperSection("", 1, tuple(paper_row(a, columns) for a in actions)),)
    groups: dict[tuple[str, int], dict[str, list[int]]] = {}  # (section, run) -> subsection -> register positions
    for position, (item, first) in enumerate(zip(actions, _first_groups(actions, keys[0]), strict=True)):
        second = _group_value(item, keys[1]) if len(keys) > 1 else ""
        groups.setdefault(first, {}).setdefault(second, []).append(position)
    sections: list[PaperSection] = []
    for first in in_register_order({group: [i for rows in inner.values() for i in rows]
                                    for group, inner in groups.items()}):
        inner = groups[first]
        heading = first[0] or (unnamed_heading(settings, keys[0], headings) if sections else "")
        if len(keys) == 1:
            sections.append(PaperSection(heading, 1, tuple(paper_row(actions[i], columns) for i in inner[""])))
            continue
        sections.append(PaperSection(heading, 1, ()))
        for number, second in enumerate(in_register_order(inner)):
            heading = second or (unnamed_heading(settings, keys[1], headings) if number else "")
            sections.append(PaperSection(heading, 2, tuple(paper_row(actions[i], columns) for i in inner[second])))
    return tuple(s for s in sections if s.rows or s.heading)


def _first_groups(actions: Sequence[MergedAction], key: str) -> list[tuple[str, int]]:
    """Each action's group of the first grouping key: (its value, 0), or for an action with none ("", n), n
    counting the runs of such actions in register order, so each run keeps its own place."""
    groups: list[tuple[str, int]] = []
    runs = 0
    for item in actions:
        value = _group_value(item, key)
        if not value and (not groups or groups[-1][0]):
            runs += 1
        groups.append((value, 0 if value else runs))
    return groups


def unnamed_heading(settings: Settings, key: str, headings: Mapping[str, str] | None = None) -> str:
    """The heading of the actions with no value for a grouping key, after other groups: "No section"
    (as the web edition's filter and the progress chart name them): `column_name`."""
    return column_name(settings, key, headings).none


def column_name(settings: Settings, key: str, headings: Mapping[str, str] | None = None) -> ColumnName:
    """A column named as the paper heads it: the register's own heading (`headings`) unless reportgen.toml
    names one ("Theme", "Plan page"), and so in a sentence ("theme", "themes") and for its actions with no
    value ("No theme", "No plan page", not our default's); a heading with capitals after its first letter
    (an acronym, a name) is kept as written."""
    heading = settings.column_heading(key, headings)
    word = heading[:1].lower() + heading[1:] if heading[1:].islower() else heading
    return ColumnName(key, heading, word, plural(word), f"No {word}")


def in_register_order(groups: Mapping[Group, Sequence[int]]) -> list[Group]:
    """Group names ordered by where the middle of each group's rows is in the register (its median
    position), the group with no name among them. A register grouped by section gives its own order; an
    action moved to another section, its row left where it was, does not move that whole section
    before the ones in between (ordered by first row, it did: the plan's sections changed places)."""
    def middle(positions: Sequence[int]) -> int:
        ordered = sorted(positions)
        return ordered[(len(ordered) - 1) // 2]

    return sorted(groups, key=lambda name: (middle(groups[name]), min(groups[name])))


def _group_value(item: MergedAction, key: str) -> str:
    action = item.action
    value = {"section": action.section, "lead": action.lead, "page": action.page}.get(key)
    return value if value is not None else action.extra_value(key)


def status_display(item: MergedAction) -> tuple[str, str, str]:
    """(label, css class, note) for the status cell: always words, the colour only a cue."""
    if item.status is not None:
        note = ""
        if item.state is UpdateState.CARRIED_FORWARD:
            note = f"{NO_UPDATE}: status as last reported{last_reported_month(item.reported)}"
        elif item.returned_unchanged:
            when = f" ({period_label(item.last_reported)})" if item.last_reported else ""
            note = f"{RETURNED_UNCHANGED}: status and update as last reported{when}"
        return item.status, STATUS_CLASSES[item.status], note
    if item.state is UpdateState.NO_UPDATE:
        return NO_UPDATE_LABEL, "unknown", NO_UPDATE + wording_carried(item)
    if item.status_as_written:
        return item.status_as_written, "unknown", STATUS_NOT_RECOGNISED
    return NO_STATUS_GIVEN, "unknown", ""


def wording_carried(item: MergedAction) -> str:
    """': explanation and timeframe as last reported (February 2023), with no status recognised' for an action
    with no update whose last update had a wording but no recognised status (`reportgen.check.merge`); ""."""
    carried = [name for name, text in (("explanation", item.explanation), ("timeframe", item.timeframe)) if text]
    if not carried:
        return ""
    return f": {' and '.join(carried)} as last reported{last_reported_month(item.reported)}, with no status recognised"


def last_reported_month(reported: str) -> str:
    """' (September 2026)' after "as last reported"; where no kept draft shows when (one an older reportgen kept,
    `reportgen.drafts.earlier.reported_found`), said so, not left to read as this period's."""
    return f" ({period_label(reported)})" if reported else f" ({REPORTED_UNKNOWN})"


def paper_row(item: MergedAction, columns: Sequence[PaperColumn]) -> PaperRow:
    label, css, note = status_display(item)
    action = item.action
    action_text = plain_text(parse_explanation(action.text))
    values = {"ref": str(action.ref), "action": action.text, "status": label, "explanation": item.explanation,
              "timeframe": item.timeframe, "page": action.page, "lead": action.lead, "section": action.section}
    cells = []
    for column in columns:
        text = values[column.key] if column.key in values else action.extra_value(column.key)
        if column.key in RICH_COLUMNS:
            rich = parse_explanation(text)
            cells.append(PaperCell(column.key, plain_text(rich), rich))
        else:
            cells.append(PaperCell(column.key, text))
    return PaperRow(
        ref=action.ref, cells=tuple(cells), status=item.status, status_label=label, status_class=css, note=note,
        state=item.state.value, section=action.section, lead=action.lead, leads=action.joint, action=action_text,
        explanation=item.explanation, timeframe=item.timeframe, page=action.page, reported=item.reported,
        returned_unchanged=item.returned_unchanged, repeats=item.last_reported, reported_file=item.reported_file,
        reported_sheet=item.reported_sheet, reported_row=item.reported_row, was=action.was,
    )


def revision_rows(revised: str, moves: Sequence[StatusMove], revised_before: str = "",
                  meeting: str = "", date: str = "", updated: Sequence[int] = ()) -> tuple[CoverRow, ...]:
    """The cover sheet's first row when the paper corrects one kept before (`revised`, "2026-09/draft-01"): that it
    is a revised paper, which paper it corrects, as the Panel knows it (the paper published for `meeting` of `date`,
    as that paper's cover named them) and as the secretariat kept it (the draft, and, when that was itself a
    revision, the draft it corrected: `revised_before`, so the corrections can be followed back to the first paper),
    how many actions' statuses changed, and which actions' updates were corrected with their status as it was
    (`updated`, `updates_corrected`); () for none."""
    if not revised:
        return ()
    kept = f"kept as draft {revised}"
    if revised_before:
        kept += f", itself a revised paper correcting draft {revised_before}"
    if meeting[:4].lower() == "the ":
        meeting = meeting[4:]
    had = ("the paper published" + (f" for the {meeting}" if meeting else "")
           + (f" of {date}" if meeting and date else f" for the meeting of {date}" if date else ""))
    changed = sum(1 for move in moves if move.new != NO_LONGER_IN_PLAN)
    withdrawn = len(moves) - changed
    corrected = [*([f"{'the status' if changed == 1 else 'the statuses'} of {counted(changed, 'action')}"]
                   if changed else []), *([_wording(updated)] if updated else [])]
    many = len(corrected) > 1 or changed > 1 or len(updated) > 1
    said = [*([f"{' and '.join(corrected)} {'have' if many else 'has'} been corrected"] if corrected else []),
            *([f"{counted(withdrawn, 'action')} {'has' if withdrawn == 1 else 'have'} left the plan"]
              if withdrawn else [])]
    if not said:
        what = "no action's status has changed, and none has left the plan."
    else:
        what = "; ".join(([] if changed else ["no action's status has changed"]) + said)
        what += f", as listed under '{Paper.corrections_heading}'."
    return (CoverRow(REVISED_LABEL, f"This paper corrects {had} ({kept}): {what}"),)


def _wording(updated: Sequence[int]) -> str:
    """'the explanation or timeframe of action 4', 'the explanations or timeframes of actions 1 and 3'."""
    return (f"the explanation or timeframe of {_actions(updated)}" if len(updated) == 1 else
            f"the explanations or timeframes of {_actions(updated)}")


def _actions(refs: Sequence[int]) -> str:
    """'action 4', 'actions 1 and 3'."""
    return f"{'action' if len(refs) == 1 else 'actions'} {listed([str(ref) for ref in refs])}"


def updates_corrected(previous: Paper | None, rows: Sequence[PaperRow]) -> tuple[int, ...]:
    """The actions (as numbered now) whose status is as in `previous`, the paper a revised paper corrects, but whose
    explanation or timeframe is not: a correction the corrections table, which lists statuses, cannot show, and a
    revised paper that named only its statuses would say it corrected nothing. Spacing alone is no correction."""
    if previous is None:
        return ()
    paired = renumbered_since(rows, previous).paired(rows, previous)

    def said(row: PaperRow) -> tuple[str, str]:
        return " ".join(row.explanation.split()), " ".join(row.timeframe.split())

    return tuple(row.ref for row in rows if row.ref in paired
                 and not status_changed(paired[row.ref], row) and said(paired[row.ref]) != said(row))


def updates_note(updated: Sequence[int]) -> str:
    """After a revised paper's changes note: the actions whose update (explanation or timeframe) it corrects with
    their status as published (`updates_corrected`), where the reader finds them; "" for none."""
    if not updated:
        return ""
    one = len(updated) == 1
    return (f" {_wording(updated).capitalize()} {'has' if one else 'have'} been corrected; "
            f"{'its status is' if one else 'their statuses are'} unchanged. The corrected text is in the plan's table.")


def changes_note(previous: Paper | None, previous_name: str, listed: bool = False, edition: str = "public",
                 revises: bool = False) -> str:
    """What "Changes since the last draft" says before its table (`listed`): which draft it compares with, as "the
    last draft" may be last month's paper, not an earlier draft of this one; or, with nothing to list, that nothing
    changed: a section left out without a word reads as switched off, or forgotten. A draft is compared only with
    one of its own edition, but the two editions share one draft numbering: the first of an edition says it is
    that edition's first, as restricted draft-02 after public draft-01 is no "first draft"."""
    if previous is None:
        return f"This is the first draft of the {edition} edition: there is no earlier one to compare it with."
    since = f"draft {previous_name}" if previous_name else "the last draft"
    if revises:
        return (f"Revised paper: compared with the paper published (kept as draft {previous_name}), each action "
                "whose status has changed since, or that has left the plan." if listed else
                f"Revised paper: no action's status has changed since the paper published (kept as draft "
                f"{previous_name}), and none has been withdrawn from the plan.")
    if listed:
        return f"Compared with {since}: each action whose status has changed since, or that has left the plan."
    return f"No action's status has changed since {since}, and none has been withdrawn from the plan."


def meeting_moved(previous: Paper | None, previous_name: str, period: str, date: str) -> str:
    """After the changes note: that the meeting this period's paper goes to has moved since the last draft of the
    same period (" The meeting has moved since draft 2026-10/draft-01: from 05 November 2026 to 19 November 2026."),
    as the cover's date alone changes without a word; "" otherwise (last month's paper went to another meeting)."""
    if previous is None or previous.period != period or previous.date == date:
        return ""
    since = f"draft {previous_name}" if previous_name else "the last draft"
    was, now = previous.date or "no date", date or "no date"
    return f" The meeting has moved since {since}: from {was} to {now}."


def changes_since(previous: Paper | None, rows: Sequence[PaperRow], in_register: Collection[int] | None = None
                  ) -> tuple[tuple[StatusMove, ...], tuple[int, ...]]:
    """The status moves since the last draft (`previous`, of the same edition), then its actions withdrawn since
    (not in the register, `in_register`; None: not known), now "No longer in the plan": the reader sees which
    left, not only how many. An action the public edition leaves out now it is exempt is in the register: the
    public paper never names it."""
    if previous is None:
        return (), ()
    renumbered = renumbered_since(rows, previous)
    paired = renumbered.paired(rows, previous)
    moves = tuple(StatusMove(row.ref, row.action, paired[row.ref].status_label, row.status_label)
                  for row in rows if row.ref in paired and status_changed(paired[row.ref], row))
    withdrawn = tuple(StatusMove(row.ref, row.action, row.status_label, NO_LONGER_IN_PLAN)
                      for row in previous.rows if in_register is not None and row.ref not in in_register
                      and row.ref not in renumbered.now)
    new = tuple(row.ref for row in rows if row.ref not in paired)
    return moves + withdrawn, new


def renumbered_note(previous: Paper | None, rows: Sequence[PaperRow]) -> str:
    """After the changes note: the actions renumbered since the last draft, by the register's Was numbered column
    (" Renumbered since then: 5 is now 148; 12 is now part of 11."), so that a reader pairs the rows; "" for none."""
    said = renumbered_since(rows, previous).sentence()
    return f" Renumbered since then: {said}" if said else ""
