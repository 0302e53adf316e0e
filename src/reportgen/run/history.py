"""The status history of every action as one pandas table, from the papers of kept drafts.

`history_table` pivots the papers' rows (laid out long by `reportgen.paper.progress.history_frame`) to
action × period for analysts (`reportgen history`), and `write_history` writes that as xlsx and
csv. Which drafts are read is `reportgen.drafts.earlier`' job.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.drafts.earlier import read_history
from reportgen.drafts.folders import check_out_place
from reportgen.errors import ReportgenError, UsageError
from reportgen.files import write_atomically
from reportgen.issues import Issue
from reportgen.model import Paper
from reportgen.paper.progress import history_frame
from reportgen.render.xlsx import marked_title, write_rows
from reportgen.safe_cells import text_for_spreadsheet
from reportgen.settings import load_settings

if TYPE_CHECKING:
    import pandas as pd  # imported where a table is made (~0.9 s): the flows module imports this one


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Action × period: one row per action (its newest section and wording), one column per period
    holding what its status cell said then; blank where the action was not in that period's paper."""
    import pandas as pd

    if frame.empty:
        return pd.DataFrame(columns=["Ref", "Section", "Lead", "Action"])
    # first: a ref twice in one paper (a register duplicate, reported by the build) keeps its first row
    statuses = frame.pivot_table(index="ref", columns="period", values="status_label", aggfunc="first")
    statuses = statuses.reindex(columns=sorted(statuses.columns))
    latest = frame.sort_values("period").groupby("ref").last()[["section", "lead", "action"]]
    table = latest.join(statuses).reset_index()
    table = table.rename(columns={"ref": "Ref", "section": "Section", "lead": "Lead", "action": "Action"})
    return table.sort_values("Ref", kind="stable").reset_index(drop=True).fillna("")


EXEMPT_HEADING = "Exempt (Part II)"  # the restricted history's column: when each action was exempt


def exempt_periods(papers: Sequence[Paper]) -> dict[int, str]:
    """For a restricted history, each action's exemption across the papers holding it: "Yes" (in each), the
    periods it was exempt in, or "" (never); a paper kept before exempt actions were recorded says so for
    its period rather than count the action as published then."""
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
            words = "; ".join(filter(None, (words, f"not recorded for {', '.join(unknown)}")))
        said[ref] = words
    return said


def write_history(table: pd.DataFrame, out: Path, marking: str = "") -> tuple[Path, Path]:
    """history.xlsx and history.csv in `out` (made when missing), each written atomically; every cell
    is text, and text a spreadsheet would read as a formula is quoted. With a `marking` (a restricted
    history) the files are named and the sheet titled with it: history-restricted.xlsx, "History RESTRICTED", and
    the csv ends every row with it under `Marking` (as the chase list does): a copy opened on its own says so."""
    out.mkdir(parents=True, exist_ok=True)
    headings = [str(column) for column in table.columns]
    rows = [[str(value) for value in record] for record in table.itertuples(index=False, name=None)]
    stem = "history-restricted" if marking else "history"
    xlsx, csv_path = out / f"{stem}.xlsx", out / f"{stem}.csv"
    widths = (7, 22, 22, 50, *(14 for _ in headings[4:]))
    write_rows(xlsx, marked_title("History", marking), headings, rows, widths, marking)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    marked = [marking] if marking else []
    writer.writerow([*headings, *(["Marking"] if marking else [])])
    writer.writerows([text_for_spreadsheet(value) for value in (*row, *marked)] for row in rows)
    write_atomically(csv_path, buffer.getvalue().encode("utf-8"))
    return xlsx, csv_path


@dataclass(frozen=True)
class HistoryExport:
    xlsx: Path
    csv: Path
    periods: tuple[str, ...]
    actions: int
    issues: tuple[Issue, ...]


def export_history(workspace: Path, out: Path | None = None, edition: str = "public") -> HistoryExport:
    """`reportgen history`: the action × period table of the workspace's kept drafts, as xlsx and csv
    in `out` (default `outputs/history/`). The public edition reads only public drafts; the restricted
    one may read restricted drafts, so it is marked and written apart (default
    `outputs/history-restricted/`, history-restricted.*): it never replaces the public history. `out` is
    never inside the inputs or a kept draft."""
    workspace = Path(workspace)
    if not workspace.is_dir():
        raise UsageError(f"no workspace folder {workspace}")
    if out is not None:
        check_out_place(out, workspace, new=False)  # the files go in `out`, which may hold earlier ones
    outputs = workspace / "outputs"
    found, issues = read_history(outputs, edition)
    if not found:
        raise ReportgenError(f"no kept {edition} drafts under {outputs}: build a paper first (reportgen build)")
    marking = load_settings(workspace).paper.restricted_marking if edition == "restricted" else ""
    papers = [draft.paper for draft in found]
    table = history_table(history_frame(papers))
    if marking and not table.empty:  # which of its actions a restricted history's reader must keep out of public
        exempt = exempt_periods(papers)
        table.insert(4, EXEMPT_HEADING, [exempt.get(int(ref), "") for ref in table["Ref"]])
    default = outputs / ("history-restricted" if marking else "history")
    xlsx, csv_path = write_history(table, out if out is not None else default, marking)
    return HistoryExport(xlsx, csv_path, tuple(d.period for d in found), len(table), issues)
