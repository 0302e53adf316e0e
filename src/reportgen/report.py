"""Issues and results printed for a person at a terminal (rich tables), grouped by partner file.

`print_build_summary` is what `reportgen build` and the flow scripts (`python flows/*.py`) print
after a build, so the two cannot tell an officer different things.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from reportgen.issues import Issue, Severity

if TYPE_CHECKING:  # importing the build for its types only would load the renderers
    from reportgen.build import BuildResult
    from reportgen.chase import ChaseRow
    from reportgen.diff_render import DiffResult

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}
ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def print_issues(console: Console, issues: Sequence[Issue], show_info: bool = False) -> None:
    """One block per file; one line per issue with row, heading and action, then what to do."""
    shown = [i for i in issues if show_info or i.severity is not Severity.INFO]
    if not shown:
        console.print("No issues found.")
        return
    shown.sort(key=lambda i: (i.file, ORDER[i.severity], i.row or 0))
    for file, group in groupby(shown, key=lambda i: i.file):
        console.print(f"\n[bold]{escape(file or '(workspace)')}[/]")
        for item in group:
            where = ", ".join(part for part in (
                f"sheet {item.sheet!r}" if item.sheet else "",
                f"row {item.row}" if item.row is not None else "",
                f"column {item.column!r}" if item.column else "",
            ) if part)
            label = f"[{SEVERITY_STYLE[item.severity]}]{item.severity.value:<7}[/]"
            console.print(f"  {label} {escape(where + ': ' if where else '')}{escape(item.message)}")
            console.print(f"          [dim]→ {escape(item.action)}[/]")
    hidden = len(issues) - len(shown)
    if hidden:
        console.print(f"\n[dim]{hidden} note(s) for information not shown (see issues.csv, or --all).[/]")


def summary_line(issues: Sequence[Issue]) -> str:
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = sum(1 for i in issues if i.severity is Severity.WARNING)
    verdict = "blocks publication" if errors else "nothing blocks publication"
    return f"{errors} error(s), {warnings} warning(s): {verdict}."


def print_build_summary(console: Console, result: BuildResult, comparison: DiffResult | None = None) -> None:
    """Counts, the issues by file, the verdict, the comparison made and who to chase. The caller
    prints the draft folder after it, as the last line (scripts read it from there)."""
    paper = result.paper
    console.print(f"{paper.period} ({paper.edition}): {paper.total} actions; "
                  + ", ".join(f"{status} {n}" for status, n in paper.counts))
    print_issues(console, result.issues)
    console.print(summary_line(result.issues))
    if comparison is not None:
        console.print(f"Compared with {escape(str(comparison.old))}: {escape(str(comparison.folder))}")
    chase = [(row, reasons) for row in result.chase if (reasons := chase_reasons(row))]
    if chase:
        console.print("To chase:")
        for row, reasons in chase:
            console.print(f"  {escape(row.partner)}: {escape(reasons)}")


def chase_reasons(row: ChaseRow) -> str:
    """Why a partner is on the chase list, in words; "" when there is nothing to chase."""
    reasons = []
    if not row.returned:
        reasons.append("no return")
    if row.no_update:
        refs = ", ".join(str(ref) for ref in row.no_update[:10]) + (", …" if len(row.no_update) > 10 else "")
        reasons.append(f"{len(row.no_update)} of {row.actions_led} action(s) not updated ({refs})")
    if row.errors:
        reasons.append(f"{row.errors} error(s) in {row.file or 'its return'}")
    return "; ".join(reasons)


def print_returns(console: Console, written: Sequence[Path], issues: Sequence[Issue]) -> None:
    """The issues met writing pre-filled return workbooks, then each workbook written."""
    if issues:
        print_issues(console, issues)
    for path in written:
        console.print(escape(str(path)))
