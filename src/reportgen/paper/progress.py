"""Progress over time: the paper with each action's movement since the previous update, the status counts
by period (and by section for this one) that the charts draw, and the actions that have stalled.

Part of the paper model: renderers only lay `Paper.progress` out. The history comes from the newest
kept draft of each earlier period (`reportgen.drafts.earlier`); "the previous update" is the newest of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from reportgen.model import Chart, ColumnName, CountRow, Paper, PaperRow, PaperSection, Progress, StalledAction
from reportgen.paper_rules import ARROWS
from reportgen.read.richtext import shown_update
from reportgen.renumbering import renumbered_since
from reportgen.settings import CANONICAL_STATUSES, HistorySettings
from reportgen.terms import NO_LONGER_IN_PLAN, NO_RECOGNISED_STATUS, NO_STATUS_GIVEN, NO_UPDATE_LABEL, NO_UPDATE_YET
from reportgen.wording import counted

if TYPE_CHECKING:
    import pandas as pd

# how far along an action is: a move to a higher rank is up; On hold is no further on than Not started
RANK = {"Not started": 0, "On hold": 0, "In progress": 1, "Completed": 2}


def with_progress(paper: Paper, earlier: Sequence[Paper], settings: HistorySettings,
                  exempt: frozenset[int] = frozenset(), grouping: ColumnName | None = None) -> Paper:
    """`paper` with its `progress` and row movements; unchanged when no earlier period has a draft.

    `exempt`: the refs exempt now. A public draft of the previous period (a restricted paper's history
    has one where no restricted draft was kept) left its exempt actions out: such an action is not new,
    its earlier status is unknown, and its movement says it was not in that public edition ("left-out").
    `grouping`: the column the plan is grouped by first, as the paper names it, which the chart by group is
    titled after; None, a plan not grouped: no such chart (it had one bar, "No section")."""
    earlier = [p for p in earlier if p.period < paper.period]
    if not earlier or not settings.progress:
        return paper
    frame = history_frame([*earlier, paper])
    previous = earlier[-1]
    # an action renumbered since (the register's Was numbered) moves from its row under the number it had then
    renumbered = renumbered_since(paper.rows, previous)
    before = renumbered.paired(paper.rows, previous)
    last_in = {row.ref: (row, earlier_paper.period) for earlier_paper in earlier[:-1] for row in earlier_paper.rows}
    unknown = exempt if previous.edition == "public" and previous.exempt_count else frozenset()
    sections = tuple(replace(section, rows=tuple(left_out(row, previous.period, last_in.get(row.ref))
                                                 if row.ref in unknown and row.ref not in before
                                                 else movement(row, before.get(row.ref), previous.period,
                                                               last_in.get(row.ref))
                                                 for row in section.rows))
                     for section in paper.sections)
    rows = [row for section in sections for row in section.rows]
    directions = [row.movement_direction for row in rows]
    periods = sorted(frame["period"].unique())[-settings.periods:]
    public_then = public_periods(paper, earlier, periods)
    by_period = tuple(period_counts(frame[frame["period"] == period], period, label)
                      for period, label in ((p, _period_label(p)) for p in periods))
    stalled = stalled_actions(frame, paper, settings.stalled_after)
    note = sources_note(public_then)
    # an action of the previous paper not in this one is withdrawn unless it is in the register, exempt now (the
    # public edition leaves it out): that one is counted, never named
    present = {row.ref for row in rows}
    gone = [row for row in previous.rows if row.ref not in present and row.ref not in renumbered.now]
    withdrawn = [row for row in gone if row.ref not in exempt]
    progress = Progress(
        charts=(periods_chart(by_period, note), *((sections_chart(paper, sections, grouping),) if grouping else ())),
        previous=previous.period,
        moved_up=directions.count("up"),
        moved_down=directions.count("down"),
        moved_across=directions.count("across"),
        new=directions.count("new"),
        stalled_after=settings.stalled_after,
        stalled=stalled,
        summary=summary(directions, previous.period, len(gone) - len(withdrawn),
                        unranked=sum(1 for row in rows if row.movement and not row.movement_direction),
                        withdrawn=len(withdrawn)),
        stalled_note=stalled_note(len(stalled), settings.stalled_after, kept=len({p.period for p in earlier})),
        sources_note=note,
        withdrawn_note=withdrawn_note(withdrawn),
    )
    return replace(paper, sections=sections, progress=progress)


def public_periods(paper: Paper, earlier: Sequence[Paper], periods: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """For a restricted `paper`, the periods charted (`periods`) whose figures come from a public draft (no
    restricted one was kept for them) that left exempt actions out, with how many it left out; () otherwise."""
    if paper.edition != "restricted":
        return ()
    return tuple((p.period, p.exempt_count) for p in earlier
                 if p.period in periods and p.edition == "public" and p.exempt_count)


def sources_note(public_then: Sequence[tuple[str, int]]) -> str:
    """What a restricted paper's reader must know of figures taken from the public edition: "September 2026's
    figures are from the public edition: 1 exempt action is not counted there."; "" when none are."""
    if not public_then:
        return ""
    if len(public_then) == 1:
        period, left = public_then[0]
        return (f"{_period_label(period)}'s figures are from the public edition: {counted(left, 'exempt action')} "
                f"{'is' if left == 1 else 'are'} not counted there.")
    named = _listed([_period_label(period) for period, _left in public_then])
    each = ", ".join(f"{left} in {_period_label(period)}" for period, left in public_then)
    return (f"The figures for {named} are from the public edition: exempt actions are not counted there "
            f"({each}).")


HISTORY_COLUMNS = ("ref", "period", "status", "status_label", "explanation", "action", "section", "lead")


def history_frame(papers: Sequence[Paper]) -> pd.DataFrame:
    """One row per action and period: the canonical status (None when unrecognised), what the status
    cell said, the update and the action's words, section and lead, in the papers' order."""
    import pandas as pd  # costs ~0.9 s to import: only builds with history pay

    records = [
        (row.ref, paper.period, row.status, row.status_label, shown_update(row.explanation), row.action, row.section,
         row.lead)
        for paper in papers for row in paper.rows
    ]
    frame = pd.DataFrame.from_records(records, columns=list(HISTORY_COLUMNS))
    return frame.astype({"ref": "int64"})


def without_progress(paper: Paper) -> Paper:
    """`paper` with no progress part and no row movements: a draft comparison shows its own changes."""
    if paper.progress is None and not any(row.movement for row in paper.rows):
        return paper
    sections = tuple(replace(section, rows=tuple(replace(row, movement="", movement_direction="")
                                                 for row in section.rows)) for section in paper.sections)
    return replace(paper, sections=sections, progress=None)


def summary(directions: Sequence[str], previous: str, gone: int = 0, unranked: int = 0, withdrawn: int = 0) -> str:
    """The movements in a sentence; `withdrawn`: actions of the previous period's paper no longer in the plan
    (`withdrawn_note` names them); `gone`: those a public edition no longer has because they are exempt now,
    counted but not said to be withdrawn, so that the counts add up; `unranked`: actions
    whose status changed to or from none given or one not recognised (no arrow: "was …"). Exempt actions a
    public draft of `previous` left out ("left-out") are neither new nor moved, and are said to be unknown."""
    moved = directions.count("up") + directions.count("down") + directions.count("across") + unranked
    new, back, unseen = directions.count("new"), directions.count("back"), directions.count("left-out")
    left = [f"{back} {'is' if back == 1 else 'are'} in the paper again"] if back else []
    left += [f"{withdrawn} {'is' if withdrawn == 1 else 'are'} no longer in the plan"] if withdrawn else []
    left += [f"{gone} {'is' if gone == 1 else 'are'} no longer in the paper"] if gone else []
    left += [f"{counted(unseen, 'exempt action')} {'was' if unseen == 1 else 'were'} not in the "
             f"{_period_label(previous)} public edition, so {'its' if unseen == 1 else 'their'} movement is not "
             "known"] if unseen else []
    across = f"{directions.count('across')} moved between Not started and On hold (→)"
    ways = (f"{directions.count('up')} moved forward (↑), {directions.count('down')} moved back (↓)"
            + (f", {across} and {unranked} changed to or from a status not given or not recognised"
               if unranked else f" and {across}"))
    return (f"Since the {_period_label(previous)} update, {counted(moved, 'action')} changed status: {ways}; "
            + _listed([f"{counted(new, 'action')} {'is' if new == 1 else 'are'} new", *left]) + ".")


def withdrawn_note(withdrawn: Sequence[PaperRow]) -> str:
    """The actions no longer in the plan, by number and words, so the Panel knows which left it, not only how
    many: "No longer in the plan: 28 Publish the custody audit; 31 Review the estate."; "" when none."""
    if not withdrawn:
        return ""
    named = "; ".join(f"{row.ref} {row.action.strip().rstrip('.')}".rstrip() for row in withdrawn)
    return f"{NO_LONGER_IN_PLAN}: {named}."


def _listed(parts: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def stalled_note(count: int, after: int, kept: int) -> str:
    """What the stalled list means; `kept`: how many earlier periods have a kept draft."""
    span = f"this paper and the {counted(after, 'kept period')} before it"
    if kept < after:
        were = f"{counted(kept, 'earlier period')} {'is' if kept == 1 else 'are'} kept"
        return (f"No action can be called stalled yet: stalled means the same status and update in {span}, "
                f"and only {were}.")
    if not count:
        return f"No action is stalled: none that is not completed has the same status and update in {span}."
    subject = f"{counted(count, 'action')} {'has' if count == 1 else 'have'}"
    verb = "is" if count == 1 else "are"
    return f"{subject} the same status and update in {span}, and {verb} not completed: stalled."


def movement(row: PaperRow, before: PaperRow | None, period: str,
             last_in: tuple[PaperRow, str] | None = None) -> PaperRow:
    """The row with its move since `period`: up, down, across (another status of the same rank), new, or
    back (`last_in`: the action's row in the newest earlier paper that had it, and that paper's period,
    when `period`'s paper did not: withdrawn or exempt for a while, it is not new).

    Where either status is missing or not recognised there is no direction to give: the earlier status
    is shown without an arrow ("was …"), and the move is not counted as one."""
    if before is None and last_in is not None:
        last, last_period = last_in
        return replace(row, movement=f"Not in the {period} paper; was {_was(last)} ({last_period})",
                       movement_direction="back")
    if before is None:
        return replace(row, movement=f"New since {period}", movement_direction="new")
    if before.status_label == row.status_label:
        return row
    if before.status is None or row.status is None:
        return replace(row, movement=f"was {_was(before)} ({period})")
    old, new = RANK[before.status], RANK[row.status]
    direction: Literal["up", "down", "across"] = "up" if new > old else "down" if new < old else "across"
    text = f"{ARROWS[direction]} from {before.status_label} ({period})"
    return replace(row, movement=text, movement_direction=direction)


def left_out(row: PaperRow, period: str, last_in: tuple[PaperRow, str] | None = None) -> PaperRow:
    """An exempt action's row where `period`'s paper was a public draft, which left it out: its move is not
    known, and the row says why (with its status in the newest earlier paper that had it, `last_in`)."""
    text = f"Not in the {period} public edition"
    if last_in is not None:
        last, last_period = last_in
        text += f"; was {_was(last)} ({last_period})"
    return replace(row, movement=text, movement_direction="left-out")


def _was(before: PaperRow) -> str:
    """An earlier status as a movement names it."""
    return before.status_label if before.status_label not in ("", NO_STATUS_GIVEN, NO_UPDATE_LABEL) \
        else "without a status"


def period_counts(rows: object, key: str, label: str) -> CountRow:
    """Counts of one period's rows (a history frame slice) by canonical status, and of those with no update."""
    statuses = rows["status"]  # type: ignore[index]
    counts = statuses.value_counts()
    no_update = int((statuses.isna() & (rows["status_label"] == NO_UPDATE_LABEL)).sum())  # type: ignore[index]
    return CountRow(label, tuple((s, int(counts.get(s, 0))) for s in CANONICAL_STATUSES), len(statuses), key,
                    no_update)


def has_no_update(row: PaperRow) -> bool:
    """An action with no update and no status to carry (its status cell says "No update"): counted apart from
    one whose status was written but not recognised."""
    return row.status is None and row.status_label == NO_UPDATE_LABEL


def periods_chart(rows: tuple[CountRow, ...], note: str = "") -> Chart:
    """`note`: which periods' figures are the public edition's (`sources_note`), said in the alt text too."""
    first, last = rows[0], rows[-1]
    moves = "; ".join([*(f"{status} {dict(first.counts)[status]} then {dict(last.counts)[status]}"
                         for status in CANONICAL_STATUSES),
                       # a series the chart draws when any period has such actions: the moves add up to the totals
                       *([f"{NO_UPDATE_YET} {first.no_update} then {last.no_update}"]
                         if any(row.no_update for row in rows) else []),
                       *([f"{NO_RECOGNISED_STATUS} {first.other} then {last.other}"]
                         if any(row.other for row in rows) else [])])
    alt = (f"Stacked bar chart of the number of actions by status in each of {counted(len(rows), 'period')}, "
           f"{first.label} to {last.label}. From the first to the latest: {moves}. "
           + (f"{note} " if note else "") + "The table below the chart gives every number.")
    return Chart("periods", "Actions by status, period by period", alt, rows, heading="Period")


def sections_chart(paper: Paper, sections: Sequence[PaperSection], grouping: ColumnName) -> Chart:
    """Counts by first-level section of this period, in the paper's order, named after the column the plan
    is grouped by (`grouping`: "Actions by status and theme"); the actions that come first with no value in
    it (the paper gives them no heading) as `grouping.none` ("No theme"), also when grouped by two columns
    (their groups by the second, "Wessex Police", come before any first-level heading)."""
    grouped: dict[str, list[PaperRow]] = {}
    heading = grouping.none
    for section in sections:
        if section.level <= 1:
            heading = section.heading or grouping.none
        grouped.setdefault(heading, []).extend(section.rows)
    rows = tuple(CountRow(name, tuple((s, sum(1 for r in items if r.status == s)) for s in CANONICAL_STATUSES),
                          len(items), no_update=sum(1 for r in items if has_no_update(r)))
                 for name, items in grouped.items() if items)
    return Chart("sections", f"Actions by status and {grouping.singular}, {_period_label(paper.period)}",
                 sections_alt(rows, grouping, paper.period), rows, heading=grouping.heading)


def sections_alt(rows: Sequence[CountRow], grouping: ColumnName, period: str) -> str:
    """The section chart's alt text. Its bar of the actions with no section ("No section") is not one of the
    plan's sections: counted as one, a plan of four read "each of the 5 sections"; those actions are said apart."""
    named = [row for row in rows if row.label != grouping.none]
    unnamed = sum(row.total for row in rows if row.label == grouping.none)
    sections, when = counted(len(named), grouping.singular, grouping.plural), _period_label(period)
    if not named:
        drawn = f"the {counted(unnamed, 'action')} of the plan, none with a {grouping.singular}, in {when}"
    else:
        drawn = f"{'each of ' if len(named) > 1 else ''}the {sections} of the plan in {when}"
    if named and unnamed:
        drawn += f", and of the {counted(unnamed, 'action')} with no {grouping.singular} (a bar of their own)"
    busiest = max(named, key=lambda r: r.total) if named else None
    largest = (f"; the largest {grouping.singular} is {busiest.label} with {counted(busiest.total, 'action')}"
               if busiest else "")
    return (f"Horizontal stacked bar chart of the number of actions by status in {drawn}{largest}. "
            "The table below the chart gives every number.")


def stalled_actions(frame: object, paper: Paper, after: int) -> tuple[StalledAction, ...]:
    """Actions not completed whose status and update are the same in this paper and the papers of the
    `after` kept periods before it (an action missing from one of them has not stalled)."""
    periods = sorted(frame["period"].unique())  # type: ignore[index]
    if len(periods) <= after:
        return ()
    window = periods[-(after + 1):]
    recent = frame[frame["period"].isin(window)]  # type: ignore[index]
    distinct = recent.groupby("ref").agg(periods=("period", "nunique"), statuses=("status_label", "nunique"),
                                         updates=("explanation", "nunique"))
    still = set(distinct[(distinct["periods"] == len(window)) & (distinct["statuses"] == 1)
                         & (distinct["updates"] == 1)].index)
    return tuple(StalledAction(row.ref, row.action, row.status_label, _unchanged_since(frame, row.ref, periods))
                 for row in paper.rows if row.ref in still and row.status != "Completed")


def _unchanged_since(frame: object, ref: int, periods: Sequence[str]) -> str:
    """The first kept period of the ref's unbroken run of the same status and update, ending now."""
    rows = frame[frame["ref"] == ref].drop_duplicates("period").set_index("period")  # type: ignore[index]
    last = rows.loc[periods[-1]]
    since = periods[-1]
    for period in reversed(periods[:-1]):
        if period not in rows.index:
            break
        row = rows.loc[period]
        if (row["status_label"], row["explanation"]) != (last["status_label"], last["explanation"]):
            break
        since = period
    return since


def _period_label(period: str) -> str:
    """'2023-02' -> 'February 2023'."""
    return dt.date.fromisoformat(period + "-01").strftime("%B %Y")
