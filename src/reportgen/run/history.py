"""The status history of every action as one pandas table, from the papers of kept drafts.

`history_table` pivots the papers' rows (laid out long by `reportgen.paper.progress.history_frame`) to
action × period for analysts (`reportgen history`), and `write_history` writes that as xlsx and
csv. A status a paper carried forward (its lead sent no update, or its workbook back unchanged) is not one
reported that period: `carried_statuses` reads them from the drafts (each row's `state`), the workbook sets them
apart, and a csv of their own lists them, as history.csv keeps one plain status per cell. Which drafts are read
is `reportgen.drafts.earlier`' job.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.drafts.earlier import (
    PeriodDraft,
    built_from,
    edition_of,
    misplaced_issues,
    read_history,
    read_kept_paper,
    reported_found,
    unread_for_history,
)
from reportgen.drafts.folders import (
    check_out_not_draft,
    check_out_place,
    draft_folders,
    kept_register,
    load_manifest,
    within_workspace,
)
from reportgen.drafts.later import built_on_older
from reportgen.errors import ReportgenError, UsageError
from reportgen.files import write_atomically
from reportgen.issues import Issue
from reportgen.model import Paper, PaperRow, UpdateState
from reportgen.paper.progress import history_frame
from reportgen.periods import is_period, period_label
from reportgen.read.register import read_register
from reportgen.read.workspace import open_workspace, periods
from reportgen.render.xlsx import Rows, marked_title, write_sheets
from reportgen.run.corrections import CorrectedStatus, corrected_in, corrected_statuses
from reportgen.safe_cells import CSV_ENCODING, text_for_spreadsheet
from reportgen.settings import Settings, load_settings
from reportgen.terms import (
    NO_RECOGNISED_STATUS,
    NO_STATUS_GIVEN,
    NO_UPDATE_LABEL,
    REPORTED_UNKNOWN,
    STATUS_NOT_RECOGNISED,
)
from reportgen.wording import counted, listed

if TYPE_CHECKING:
    import pandas as pd  # imported where a table is made (~0.9 s): the flows module imports this one


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Action × period: one row per action (its newest section and wording), one column per period
    holding what its status cell said then (`history_label`, the frame's column of that name, added by
    `with_history_labels`); blank where the action was not in that period's paper."""
    import pandas as pd

    if frame.empty:
        return pd.DataFrame(columns=["Ref", "Section", "Lead", "Action"])
    # first: a ref twice in one paper (a register duplicate, reported by the build) keeps its first row
    statuses = frame.pivot_table(index="ref", columns="period", values="history_label", aggfunc="first")
    statuses = statuses.reindex(columns=sorted(statuses.columns))
    latest = frame.sort_values("period").groupby("ref").last()[["section", "lead", "action"]]
    table = latest.join(statuses).reset_index()
    table = table.rename(columns={"ref": "Ref", "section": "Section", "lead": "Lead", "action": "Action"})
    return table.sort_values("Ref", kind="stable").reset_index(drop=True).fillna("")


def with_history_labels(frame: pd.DataFrame, papers: Sequence[Paper]) -> pd.DataFrame:
    """`frame` (`history_frame`, its rows in the papers' order) with each row's `history_label`."""
    return frame.assign(history_label=[history_label(row) for paper in papers for row in paper.rows])


EXEMPT_HEADING = "Exempt (Part II)"  # the restricted history's column: when each action was exempt


def exempt_periods(papers: Sequence[Paper], exempt_now: frozenset[int] = frozenset()) -> dict[int, str]:
    """For a restricted history, each action's exemption across the papers holding it: "Yes" (in each), the
    periods it was exempt in, or "" (never); a paper kept before exempt actions were recorded, whose register is no
    longer at hand (`exemptions_recovered`), says so for its period rather than count the action as published then,
    adding "exempt in the register now" for one in `exempt_now`, so that an exempt action is never unmarked."""
    holding: dict[int, list[Paper]] = {}
    for paper in papers:
        for ref in dict.fromkeys(row.ref for row in paper.rows):
            holding.setdefault(ref, []).append(paper)
    said: dict[int, str] = {}
    for ref, held in holding.items():
        exempt = [paper.period for paper in held if paper.exempt_refs is not None and ref in paper.exempt_refs]
        unknown = [paper.period for paper in held if paper.exempt_refs is None]
        words = ("Yes" if len(exempt) == len(held) else ", ".join(exempt)) if exempt else ""
        if unknown:
            now = f" ({EXEMPT_NOW})" if ref in exempt_now else ""
            words = "; ".join(filter(None, (words, f"{NOT_RECORDED} for {', '.join(unknown)}{now}")))
        said[ref] = words
    return said


NOT_RECORDED = "not recorded"
EXEMPT_NOW = "exempt in the register now"
NOT_RECORDED_NOTE = (f'"{NOT_RECORDED} for" a period: its draft was kept by an older reportgen, which did not record '
                     "its exempt actions, and the register it was built from is no longer at hand (no copy of it in "
                     "registers/, and the register now has changed since), so whether the action was exempt then "
                     f'cannot be told; "({EXEMPT_NOW})" after it: the register now marks the action exempt.')


def exemptions_recovered(found: Sequence[PeriodDraft], workspace: Path, today: Path | None,
                         flagged: Callable[[Path], frozenset[int]]) -> list[Paper]:
    """The drafts' papers, each kept before drafts recorded their exempt actions (`Paper.exempt_refs` None) given
    them where they can still be known: none for a public paper (its edition left every exempt action out, so all
    it holds was published), and for a restricted one those its register flags (`flagged`), read from the
    register's copy kept for it (registers/) or from the register now (`today`) when its manifest shows it
    unchanged since."""
    papers = []
    for draft in found:
        paper = draft.paper
        if paper.exempt_refs is None and paper.edition == "public":
            paper = replace(paper, exempt_refs=())
        elif paper.exempt_refs is None:
            register = kept_register(workspace, draft.folder)
            if register is None and today is not None and built_from(draft.folder, (today,), workspace):
                register = today
            if register is not None:
                exempt = flagged(register)
                paper = replace(paper, exempt_refs=tuple(ref for ref in dict.fromkeys(row.ref for row in paper.rows)
                                                         if ref in exempt))
        papers.append(paper)
    return papers


def _register_now(workspace: Path) -> tuple[Settings, Path | None]:
    try:
        _folder, settings, today = open_workspace(workspace)
    except ReportgenError:  # no register now: only the drafts' own
        return load_settings(workspace), None
    return settings, today


@dataclass(frozen=True)
class CarriedStatus:
    """A status a period's paper carried forward: the action's lead sent no update, or sent its workbook back
    exactly as it was pre-filled, so the paper repeated the status last reported, and said so in the status cell."""

    ref: int
    period: str  # the paper's period (YYYY-MM): the history's column
    status: str  # what the status cell said
    reported: str  # the period (YYYY-MM) the status was reported in; "" where the draft does not record it
    note: str  # the status cell's note, as the paper printed it


CARRIED_NOTE = "No update received this period: status as last reported"  # a draft's row that has no note


def carried_statuses(papers: Sequence[Paper]) -> list[CarriedStatus]:
    """Every status carried forward in `papers`, by ref and period, as the drafts record it (a row's
    `state`, or its return sent back unchanged, with the period what it repeats was reported in), not guessed from
    the status's words: a carried status reads like a reported one. A ref twice in one paper counts by its first
    row, as `history_table` does."""
    carried = []
    for paper in papers:
        first = {row.ref: row for row in reversed(paper.rows)}
        carried += [CarriedStatus(ref, paper.period, history_label(row), row.repeats, row.note)
                    if row.returned_unchanged
                    else CarriedStatus(ref, paper.period, history_label(row), row.reported, carried_row_note(row))
                    for ref, row in first.items()
                    if row.returned_unchanged or row.state == UpdateState.CARRIED_FORWARD.value]
    return sorted(carried, key=lambda item: (item.ref, item.period))


def carried_row_note(row: PaperRow) -> str:
    """The note of a carried status, as the paper printed it; where the period it was reported in is not known (a
    draft an older reportgen kept, no kept draft showing when), said so, not left a blank `Reported in`."""
    note = row.note or CARRIED_NOTE
    return note if row.reported or REPORTED_UNKNOWN in note else f"{note} ({REPORTED_UNKNOWN})"


def history_label(row: PaperRow) -> str:
    """What the history's cell says of a row's status: the status cell's words, and for a status written but not
    recognised the paper's note after them ("Done / Status not recognised"), as the paper prints it under the
    words: alone, "Done" read as a status of the plan's, and a count or pivot on status gained it as one."""
    if row.status is None and row.note == STATUS_NOT_RECOGNISED:
        return f"{row.status_label} / {STATUS_NOT_RECOGNISED}"
    return row.status_label


@dataclass(frozen=True)
class UnrankedStatus:
    """A status cell holding none of the plan's statuses, which the paper counts in none: a status the lead wrote
    that is not recognised, none given, or no update (and none to carry forward)."""

    ref: int
    period: str  # the paper's period (YYYY-MM): the history's column
    why: str  # the cell's comment


NO_STATUS_GIVEN_WHY = (f"{NO_STATUS_GIVEN}: the lead's update left the status empty, so the paper counted it in no "
                       "status.")
NO_UPDATE_WHY = (f"{NO_UPDATE_LABEL}: none was received this period and there was no earlier status to carry forward, "
                 "so the paper counted it in no status.")


def unranked_statuses(papers: Sequence[Paper]) -> list[UnrankedStatus]:
    """Every status cell of `papers` that holds none of the plan's statuses, by ref and period, with why (a ref twice
    in one paper counts by its first row, as `history_table` does)."""
    unranked = []
    for paper in papers:
        first = {row.ref: row for row in reversed(paper.rows)}
        unranked += [UnrankedStatus(ref, paper.period, unranked_why(row)) for ref, row in first.items()
                     if row.status is None and row.status_label]
    return sorted(unranked, key=lambda item: (item.ref, item.period))


def unranked_why(row: PaperRow) -> str:
    """What a status cell holding none of the plan's statuses is, for its comment."""
    if row.note == STATUS_NOT_RECOGNISED:
        return (f'{STATUS_NOT_RECOGNISED}: the lead wrote "{row.status_label}", which is none of the plan\'s statuses, '
                "so the paper counted it in no status.")
    return NO_UPDATE_WHY if row.state == UpdateState.NO_UPDATE.value else NO_STATUS_GIVEN_WHY


CARRIED_HEADINGS = ("Ref", "Period", "Status", "Reported in", "Note")


def write_history(table: pd.DataFrame, out: Path, marking: str = "", notes: Sequence[tuple[str, str]] = (),
                  carried: Sequence[CarriedStatus] = (), unranked: Sequence[UnrankedStatus] = (),
                  corrected: Sequence[CorrectedStatus] = ()) -> tuple[Path, Path, Path, Path]:
    """history.xlsx and history.csv in `out` (made when missing), each written atomically; every cell
    is text but the ref, a number in the workbook (it sorts 1, 2, 10 and filters as one), and text a spreadsheet
    would read as a formula is quoted. The workbook's History sheet keeps the headings and the refs in view and
    has a filter on each heading; `notes` (heading, what it holds), when given, are its second sheet, Notes.
    The csv starts with a byte order mark: Excel reads a UTF-8 csv without one in the computer's own code page
    ("2025–2030" as "2025â€“2030"); pandas and Python's csv module (as "utf-8-sig") read it as plain UTF-8.
    With a `marking` (a restricted history) the files are named and the sheets titled with it:
    history-restricted.xlsx, "History RESTRICTED", and the csv ends every row with it under `Marking` (as the
    chase list does): a copy opened on its own says so.
    Each `carried` status is shaded in the workbook, with the status cell's note as a comment, and listed in
    history-carried-forward.csv (written even when empty: a script reading it needs no special case). Each
    `unranked` status is set apart in the workbook too, with why as a comment; each `corrected` one has a comment
    saying what the earlier draft said, and is listed in history-corrected.csv (written even when empty, as the
    carried ones' is), since history.csv keeps one plain status per cell and a comment has no place in it."""
    out.mkdir(parents=True, exist_ok=True)
    headings = [str(column) for column in table.columns]
    rows = [[str(value) for value in record] for record in table.itertuples(index=False, name=None)]
    stem = "history-restricted" if marking else "history"
    xlsx, csv_path = out / f"{stem}.xlsx", out / f"{stem}.csv"
    widths = (7, 22, 22, 50, *(14 for _ in headings[4:]))
    sheets = [Rows(marked_title("History", marking), headings, [[ref_number(row[0]), *row[1:]] for row in rows],
                   widths, frozen="B2", filtered=True, set_apart=set_apart_cells(table, carried, unranked),
                   commented=cells_of(table, [(item.ref, item.period, item.note) for item in corrected]))]
    if notes:
        sheets.append(Rows(marked_title("Notes", marking), ("Heading", "What it holds"), [list(n) for n in notes],
                           (18, 100)))
    write_sheets(xlsx, sheets, marking, "Status history")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    marked = [marking] if marking else []
    writer.writerow([*headings, *(["Marking"] if marking else [])])
    writer.writerows([text_for_spreadsheet(value) for value in (*row, *marked)] for row in rows)
    write_atomically(csv_path, buffer.getvalue().encode(CSV_ENCODING))
    carried_path = out / f"{stem}-carried-forward.csv"
    write_atomically(carried_path, carried_csv(carried, marking).encode(CSV_ENCODING))
    corrected_path = out / f"{stem}-corrected.csv"
    write_atomically(corrected_path, corrected_csv(corrected, marking).encode(CSV_ENCODING))
    return xlsx, csv_path, carried_path, corrected_path


def set_apart_cells(table: pd.DataFrame, carried: Sequence[CarriedStatus], unranked: Sequence[UnrankedStatus] = ()
                    ) -> dict[tuple[int, int], str]:
    """Where each carried status and each cell holding none of the plan's statuses is in the History sheet's rows
    (row and column, from 0), with its comment: a carried one's note, and why a cell holds no status (both, a line
    each, for a status carried forward that was not recognised when reported)."""
    return cells_of(table, [*((item.ref, item.period, item.note) for item in carried),
                            *((item.ref, item.period, item.why) for item in unranked)])


def cells_of(table: pd.DataFrame, notes: Sequence[tuple[int, str, str]]) -> dict[tuple[int, int], str]:
    """Where each (ref, period, note) is in the History sheet's rows (row and column, from 0), with its note; two
    notes of one cell a line each."""
    rows = {int(ref): index for index, ref in enumerate(table["Ref"])} if "Ref" in table.columns else {}
    columns = {str(name): index for index, name in enumerate(table.columns)}
    cells: dict[tuple[int, int], str] = {}
    for ref, period, why in notes:
        if ref in rows and period in columns:
            place = (rows[ref], columns[period])
            cells[place] = f"{cells[place]}\n{why}" if place in cells else why
    return cells


def carried_csv(carried: Sequence[CarriedStatus], marking: str = "") -> str:
    """The carried statuses as csv text, one row per action and period ("long", as pandas melts a table):
    joined to history.csv on Ref and Period, it says which statuses were not reported that period. With a
    `marking`, a last column Marking says it on every row, as history.csv does."""
    return _long_csv(CARRIED_HEADINGS, [(str(item.ref), item.period, item.status, item.reported, item.note)
                                        for item in carried], marking)


CORRECTED_HEADINGS = ("Ref", "Period", "Status", "Earlier draft", "Earlier status")


def corrected_csv(corrected: Sequence[CorrectedStatus], marking: str = "") -> str:
    """The corrected statuses as csv text, one row per action, period and earlier draft that said otherwise: joined
    to history.csv on Ref and Period, it says which statuses differ from what an earlier draft of the period with
    nothing blocking publication (a paper that may have gone to the Panel) said, and what that was. With a `marking`,
    a last column Marking says it on every row, as history.csv does."""
    return _long_csv(CORRECTED_HEADINGS, [(str(item.ref), item.period, item.status, item.earlier, item.was)
                                          for item in corrected], marking)


def _long_csv(headings: Sequence[str], rows: Sequence[Sequence[str]], marking: str) -> str:
    """`rows` under `headings` as csv text, each cell as a spreadsheet reads it as written; with a `marking`, a
    last column Marking saying it on every row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*headings, *(["Marking"] if marking else [])])
    for values in rows:
        writer.writerow([text_for_spreadsheet(value) for value in (*values, *([marking] if marking else []))])
    return buffer.getvalue()


def ref_number(text: str) -> str | int:
    """An action's ref as the number it is ("12" -> 12), so that the workbook sorts and filters it as one."""
    return int(text) if text.isdigit() else text


def history_notes(table: pd.DataFrame, found: Sequence[PeriodDraft], issues: Sequence[Issue], workspace: Path,
                  edition: str, carried: Sequence[CarriedStatus] = (), unranked: Sequence[UnrankedStatus] = (),
                  stale: Sequence[Issue] = (), corrected: Sequence[CorrectedStatus] = ()) -> list[tuple[str, str]]:
    """What each heading of the history holds and what a blank cell means, the draft each period was read
    from (and, from `stale`, an older draft of an earlier period it was built on), and each kept draft that could not
    be read: a copy of the workbook says where its figures came from, and a period missing from it says why."""
    left_out = ("withdrawn from it" if edition == "public" else
                "withdrawn, or exempt (Part II) in a period whose newest kept draft is public, which leaves exempt "
                "actions out")
    notes = [("Ref", "The action's number in the register. One row per action in any period's paper."),
             ("Section", "The action's section in the newest paper holding it; blank for an action in no section."),
             ("Lead", "The action's lead partner in the newest paper holding it."),
             ("Action", "The action's words in the newest paper holding it.")]
    if EXEMPT_HEADING in table.columns:
        notes.append((EXEMPT_HEADING, "Yes: exempt in every period's paper holding it; otherwise the periods it "
                                      "was exempt in; blank: never exempt. Keep these out of the public part of a "
                                      f"meeting. {NOT_RECORDED_NOTE}"))
    for draft in found:
        shown = within_workspace(draft.folder, workspace)
        notes.append((draft.period, f"{period_label(draft.period)}: each action's status in the period's newest kept "
                                    f"draft, {shown} ({draft.paper.edition} edition)."
                                    + gone_from(draft.folder) + carried_in(draft.period, carried)
                                    + corrected_in(draft.period, corrected)
                                    + "".join(f" {problem.message}" for problem in stale
                                              if problem.file == shown)))
    notes.append(("A blank status", f"The action was not in that period's paper: not yet in the plan, or {left_out}."))
    if edition == "public":
        notes.append(("Not listed", WITHHELD_NOTE))
    notes.append(("Carried forward", carried_note(len(carried), edition)))
    notes.append(("Corrected", corrected_note(len(corrected), edition)))
    notes.append((NO_RECOGNISED_STATUS, unranked_note(len(unranked))))
    periods = {draft.period for draft in found}
    notes += [("Not read", problem.message + left_out_period(problem, periods)) for problem in issues]
    return notes


def gone_from(folder: Path) -> str:
    """For a period's note: the files its draft kept (its manifest lists them) that are no longer in its folder, a
    paper.pdf deleted say; "" for none. The column cites the draft as its source, and a reader looking for the
    paper there should know it is gone, and that the statuses came from the draft's draft.json."""
    try:
        kept = [record.path for record in load_manifest(folder).outputs]
    except ReportgenError:
        return ""
    gone = [name for name in kept if not (folder / name).is_file()]
    if not gone:
        return ""
    verb, them = ("is", "it") if len(gone) == 1 else ("are", "them")
    return (f" Its {listed(gone)}, kept with the draft, {verb} no longer in that folder: the statuses are read from "
            f"its draft.json; restore {them} from a backup to have the draft whole.")


def from_workspace(problem: Issue, workspace: Path) -> Issue:
    """A kept draft's issue with its folder named as every other note names one, within the workspace
    (outputs/2026-11/draft-03), not by this machine's path to it, which means nothing to the workbook's reader."""
    folder = Path(problem.file)
    shown = within_workspace(folder, workspace)
    return replace(problem, file=shown, message=problem.message.replace(str(folder), shown))


def carried_note(count: int, edition: str) -> str:
    """What a shaded status is, what to do with it when counting, and where the carried ones are listed."""
    listed = "history-restricted-carried-forward.csv" if edition == "restricted" else "history-carried-forward.csv"
    return ("A status shaded grey and in italics, with a comment, was carried forward, not reported that period: the "
            "lead partner sent no update, or sent its workbook back exactly as it was pre-filled, so the paper "
            "repeated the status last reported (the comment says which and when). "
            f"Count them apart from reported statuses when measuring progress. {listed} lists each by Ref and "
            f"Period, with the period it was reported in; {counted(count, 'status', 'statuses')} in all.")


def corrected_note(count: int, edition: str) -> str:
    """What a status with a "Corrected" comment is, and where the corrected ones are listed for a script."""
    listed = "history-restricted-corrected.csv" if edition == "restricted" else "history-corrected.csv"
    return ("A status with a comment starting \"Corrected\" differs from what an earlier draft of its period, with "
            "nothing blocking publication (a paper that may have gone to the Panel), said: the comment names that "
            f"draft and its status. {listed} lists each by Ref and Period, with the earlier draft and its status, to "
            f"join on history.csv; {counted(count, 'status', 'statuses')} in all.")


def unranked_note(count: int) -> str:
    """What a status cell holding none of the plan's statuses says, and what to do with it when counting."""
    return ("A status shaded grey and in italics, with a comment, may be none of the plan's statuses: "
            f'"{NO_STATUS_GIVEN}" (the lead\'s update left it empty), "{NO_UPDATE_LABEL}" (none received, and no '
            "earlier status to carry forward), or one the lead wrote that is not recognised, shown as the paper "
            f'shows it ("Done / {STATUS_NOT_RECOGNISED}"). The paper counts these in no status; leave them out when '
            f"counting or grouping by status. {counted(count, 'cell')} in all.")


CARRIED_REFS_SHOWN = 40  # refs listed in a period's note: thousands would not fit a cell (32,767 characters)


def carried_in(period: str, carried: Sequence[CarriedStatus]) -> str:
    """For a period's note: how many of its statuses were carried forward, and which actions; "" for none."""
    refs = [item.ref for item in carried if item.period == period]
    if not refs:
        return ""
    shown = [str(ref) for ref in refs[:CARRIED_REFS_SHOWN]]
    if len(refs) > CARRIED_REFS_SHOWN:
        shown.append(f"{len(refs) - CARRIED_REFS_SHOWN:,} more")
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return (f" {counted(len(refs), 'status', 'statuses')} carried forward from an earlier period, not reported: "
            f"action{'s' if len(refs) > 1 else ''} {listed}.")


def left_out_period(problem: Issue, periods: set[str]) -> str:
    """For a kept draft that could not be read, that the history has no column for its period, when it has none."""
    period = Path(problem.file).parent.name
    if problem.code != "unreadable-draft" or period in periods or not re.fullmatch(r"\d{4}-\d{2}", period):
        return ""
    return f"; so this history has no column for {period} ({period_label(period)})."


@dataclass(frozen=True)
class HistoryExport:
    xlsx: Path
    csv: Path
    carried: Path  # history-carried-forward.csv: the statuses carried forward, by ref and period
    periods: tuple[str, ...]
    actions: int
    issues: tuple[Issue, ...]
    corrected: Path | None = None  # history-corrected.csv: the statuses corrected since an earlier draft, by ref


def export_history(workspace: Path, out: Path | None = None, edition: str = "public") -> HistoryExport:
    """`reportgen history`: the action × period table of the workspace's kept drafts, as xlsx and csv
    in `out` (default `outputs/history/`). The public edition reads only public drafts; the restricted
    one may read restricted drafts, so it is marked and written apart (default
    `outputs/history-restricted/`, history-restricted.*): it never replaces the public history. `out` is
    never inside the inputs or a kept draft, nor named like one (`outputs/2026-12/draft-09`)."""
    workspace = Path(workspace)
    if not workspace.is_dir():
        raise UsageError(f"no workspace folder {workspace}")
    outputs = workspace / "outputs"
    if out is not None:
        check_out_place(out, workspace, new=False)  # the files go in `out`, which may hold earlier ones
        check_out_not_draft(out, outputs, "the history")
    target = out if out is not None else outputs / ("history-restricted" if edition == "restricted" else "history")
    check_no_other_edition(target, edition)
    found, unread = read_history(outputs, edition)
    if not found:  # said on the console alone, as the error names `outputs`: by its whole path
        raise no_history(outputs, edition, unread)
    unread = tuple(from_workspace(problem, workspace) for problem in unread)
    stale = built_on_older(found, outputs)
    issues = (*misplaced_issues(outputs, "history"), *unread_for_history(outputs, found, edition), *unread)
    marking = load_settings(workspace).paper.restricted_marking if edition == "restricted" else ""
    papers = [reported_found(outputs, draft.paper) or draft.paper for draft in found]
    frame = with_history_labels(history_frame(papers), papers)
    carried, unranked = carried_statuses(papers), unranked_statuses(papers)
    corrected, unread_earlier = corrected_statuses(found, workspace, history_label)
    issues = (*issues, *(from_workspace(problem, workspace) for problem in unread_earlier))
    if not marking:  # the public history names no action the public papers withhold
        withheld = withheld_from_public(workspace, outputs, found)
        frame = frame[~frame["ref"].isin(withheld)]
        carried = [item for item in carried if item.ref not in withheld]
        unranked = [item for item in unranked if item.ref not in withheld]
        corrected = [item for item in corrected if item.ref not in withheld]
    table = history_table(frame)
    if marking and not table.empty:  # which of its actions a restricted history's reader must keep out of public
        settings, today = _register_now(workspace)
        flagged = functools.cache(lambda path: frozenset(exempt_in_register(path, settings)))  # each register once
        exempt = exempt_periods(exemptions_recovered(found, workspace, today, flagged),
                                flagged(today) if today is not None else frozenset())
        table.insert(4, EXEMPT_HEADING, [exempt.get(int(ref), "") for ref in table["Ref"]])
    notes = history_notes(table, found, issues, workspace, edition, carried, unranked, stale, corrected)
    xlsx, csv_path, carried_path, corrected_path = write_history(table, target, marking, notes, carried, unranked,
                                                                 corrected)
    return HistoryExport(xlsx, csv_path, carried_path, tuple(d.period for d in found), len(table), (*issues, *stale),
                         corrected_path)


WITHHELD_NOTE = ("An action exempt (Part II) from publication in any period of this history, or in the register "
                 "now, is not listed, in any period: the public papers name none, and a row that stopped when its "
                 "action was made exempt would say which. The restricted history (reportgen history --edition "
                 "restricted) lists them.")


def withheld_from_public(workspace: Path, outputs: Path, found: Sequence[PeriodDraft]) -> frozenset[int]:
    """The actions a public history leaves out: exempt in any period it covers, or now. A public paper counts an
    action made exempt ("1 is no longer in the paper") and names it nowhere, but a history row with its published
    statuses then blanks would name it. Known from every kept restricted draft (its exempt refs), the register
    each period's draft read was built from (its copy in registers/) and today's register; a flag that cannot be
    read counts as exempt, as in the paper."""
    withheld: set[int] = set()
    for folder in draft_folders(outputs):
        if edition_of(folder) == "restricted":
            paper = read_kept_paper(folder)[0]
            withheld |= set(paper.exempt_refs or ()) if paper is not None else set()
    registers = {copy for draft in found if (copy := kept_register(workspace, draft.folder)) is not None}
    settings, today = _register_now(workspace)
    for path in sorted(registers | ({today} if today is not None else set())):
        withheld |= exempt_in_register(path, settings)
    return frozenset(withheld)


def exempt_in_register(path: Path, settings: Settings) -> set[int]:
    """The refs `path` flags exempt, or whose flag cannot be read; none for a register that cannot be read (its
    build says why)."""
    register = read_register(path, settings, path.name)[0]
    if register is None:
        return set()
    return set(register.exempt_refs) | {action.ref for action in register.actions if action.exempt}


def history_files(edition: str) -> tuple[str, ...]:
    """The names of the files a history of `edition` writes (`write_history`)."""
    stem = "history-restricted" if edition == "restricted" else "history"
    return f"{stem}.xlsx", f"{stem}.csv", f"{stem}-carried-forward.csv", f"{stem}-corrected.csv"


def check_no_other_edition(out: Path, edition: str) -> None:
    """Refuse to write a history into a folder holding the other edition's: a folder shared as the public history
    must never come to hold restricted files beside it, nor a restricted folder a public history to be taken
    for it."""
    other = "public" if edition == "restricted" else "restricted"
    held = [name for name in history_files(other) if (out / name).exists()]
    if not held:
        return
    default = "outputs/history-restricted" if edition == "restricted" else "outputs/history"
    raise UsageError(f"{out} holds the {other} history ({listed(held)}): the {edition} history is never written "
                     f"beside it, so that a folder of one edition's history never holds the other's; give --out a "
                     f"folder of its own (without --out: {default})")


def no_history(outputs: Path, edition: str, unread: Sequence[Issue]) -> ReportgenError:
    """Why no history can be written, and what to do: the only kept drafts could not be read (said as the
    warnings would have said it, which the error alone is printed instead of), or are all of the other edition
    (a public history reads no restricted draft), or there are none. It said "build a paper first" for each, and
    "(reportgen build)", which makes only the public paper of the newest period: each now gives the command that
    makes the draft missing (`build_command`)."""
    if unread:
        # each warning's error, after its "A kept draft could not be read for the history: "
        said = "; ".join(problem.message.partition(": ")[2] or problem.message for problem in unread)
        damaged = sorted({name for problem in unread if is_period(name := Path(problem.file).parent.name)})
        again = ("that period's paper again" if len(damaged) < 2 else "those periods' papers again") + (
            f" ({'; '.join(build_command(period, edition) for period in damaged or [''])})")
        return ReportgenError(f"no kept {edition} draft under {outputs} could be read ({said}): restore the draft "
                              f"folder from a backup, or build {again}")
    kept = draft_folders(outputs)
    others = sorted({edition_of(folder) for folder in kept} - {edition, ""})
    if others:
        newest = kept[-1].parent.name
        return ReportgenError(f"no kept {edition} drafts under {outputs}, only {' and '.join(others)} ones: build the "
                              f"{edition} paper ({build_command(newest, edition)}), or run reportgen history "
                              f"--edition {others[0]}")
    misplaced = misplaced_issues(outputs)
    if misplaced:  # said as the warning would have said it
        return ReportgenError(f"no kept {edition} drafts under {outputs} in their own period's folder: "
                              f"{' '.join(problem.message for problem in misplaced)} {misplaced[0].advice}")
    newest = (periods(outputs.parent) or [""])[-1]  # the period a build reads by default
    return ReportgenError(f"no kept {edition} drafts under {outputs}: build a paper first "
                          f"({build_command(newest, edition)})")


def build_command(period: str, edition: str) -> str:
    """The command that makes `edition`'s paper of `period` ("" for the newest): a plain `reportgen build` makes
    only the public paper of the newest period, which is not what a restricted history, or an older month, lacks."""
    return " ".join(["reportgen build", *(["--period", period] if period else []),
                     *(["--edition", edition] if edition != "public" else [])])
