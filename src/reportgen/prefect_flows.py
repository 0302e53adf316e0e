"""The Prefect flows: thin shells that run the library's stages as tasks and publish artifacts.

`panel_paper` (one-off paper), `monthly_update` (the scheduled run: build, compare with the last
draft, chase list) and `compare_drafts_flow`. Each task wraps one library call; the composition is
`reportgen.build.build_draft` itself, given a runner that makes each stage a task. Only the CLI edge
and `flows/*.py` import this module, so `reportgen build` never pays for importing Prefect.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from reportgen.build import BuildResult, StageRunner, build_draft
from reportgen.chase import ChaseRow, chase_markdown
from reportgen.diff import human_text
from reportgen.diff_render import DiffResult, compare_drafts
from reportgen.history import export_history
from reportgen.issues import Issue, Severity
from reportgen.return_workbooks import write_return_workbooks
from reportgen.settings import Edition

T = TypeVar("T")
IO_STAGES = {"prepare", "render-docx", "render-pdf", "render-html", "write-tables"}  # file I/O: worth a retry


class TaskRunner(StageRunner):
    """Each stage becomes a Prefect task; the two renderers run concurrently."""

    def _task(self, name: str, stage: Callable[..., T]) -> Any:
        retries = 2 if name in IO_STAGES else 0
        # NO_CACHE: stage inputs are large frozen values; hashing them for a cache key buys nothing
        return task(stage, name=name, retries=retries, retry_delay_seconds=1,
                    cache_policy=NO_CACHE)  # type: ignore[call-overload]

    def run(self, name: str, stage: Callable[..., T], *args: Any) -> T:
        return self._task(name, stage)(*args)

    def run_together(self, calls: Sequence[tuple[str, Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
        futures = [self._task(name, stage).submit(*args) for name, stage, args in calls]
        return [future.result() for future in futures]


def artifact_key(*parts: str) -> str:
    """Prefect keys take lowercase letters, digits and dashes only."""
    return "-".join("".join(c if c.isalnum() else "-" for c in part.lower()) for part in parts if part).strip("-")


def publish_artifacts(result: BuildResult, comparison: DiffResult | None = None,
                      chase: Sequence[ChaseRow] = ()) -> None:
    paper = result.paper
    blocking = result.blocking
    lines = [
        f"# {paper.title}",
        "",
        f"Draft **{result.folder}** ({paper.edition} edition, period {paper.period}).",
        "",
        f"{paper.total} actions: " + ", ".join(f"{status} {count}" for status, count in paper.counts) + ".",
    ]
    if paper.carried_forward:
        lines.append(f"{paper.carried_forward} action(s) had no update and carry last period's status.")
    if paper.exempt_count:
        lines.append(f"{paper.exempt_count} exempt action(s) are left out of this edition.")
    lines += ["", f"**{len(blocking)} issue(s) block publication.**" if blocking else "Nothing blocks publication."]
    lines += [f"- {i.file or 'workspace'} row {i.row or '-'}: {i.message}" for i in blocking[:20]]
    if comparison is not None:
        lines += ["", f"Compared with {comparison.old.name}: {comparison.folder}", "", "```",
                  human_text(comparison.diff), "```"]
    if chase:
        lines += ["", "## Chase list", "", chase_markdown(chase)]
    key = artifact_key("paper", paper.period, paper.edition)
    create_markdown_artifact(markdown="\n".join(lines), key=key, description=f"Draft for {paper.period}")
    create_table_artifact(table=issue_table(result.issues), key=artifact_key("issues", paper.period),
                          description="Issues found in the inputs")


def issue_table(issues: Sequence[Issue]) -> list[dict[str, object]]:
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return [
        {"severity": i.severity.value, "code": i.code, "file": i.file, "sheet": i.sheet, "row": i.row,
         "column": i.column, "ref": i.ref, "problem": i.message, "what to do": i.action}
        for i in sorted(issues, key=lambda i: (order[i.severity], i.file, i.row or 0))
    ]


@flow(name="panel-paper", log_prints=False)
def panel_paper(workspace: str = ".", period: str | None = None, out: str | None = None,
                edition: Edition = "public") -> str:
    """Build one draft paper; returns its folder."""
    result = build_draft(Path(workspace), period, Path(out) if out else None, edition, runner=TaskRunner())
    publish_artifacts(result)
    return str(result.folder)


@task(name="compare-drafts", cache_policy=NO_CACHE)
def compare_task(old: Path, new: Path, out: Path | None = None) -> DiffResult:
    return compare_drafts(old, new, out)


@flow(name="monthly-update")
def monthly_update(workspace: str = ".", period: str | None = None, edition: Edition = "public") -> str:
    """The scheduled run: build, keep and compare the draft, and list who has not returned."""
    result = build_draft(Path(workspace), period, None, edition, runner=TaskRunner())
    comparison = compare_task(result.previous, result.folder) if result.previous else None
    publish_artifacts(result, comparison, result.chase)
    return str(result.folder)


@flow(name="compare-drafts")
def compare_drafts_flow(old: str, new: str, out: str | None = None) -> str:
    """Compare two kept drafts (diff.docx with tracked changes, diff.html/pdf, diff.json)."""
    result = compare_task(Path(old), Path(new), Path(out) if out else None)
    create_markdown_artifact(markdown=f"# {result.folder}\n\n```\n{human_text(result.diff)}\n```",
                             key=artifact_key("compare", result.new.name), description="Draft comparison")
    return str(result.folder)


@flow(name="partner-returns")
def partner_returns(workspace: str = ".", period: str = "", out: str | None = None) -> str:
    """Pre-filled return workbooks, one per lead partner, for `period`; returns their folder."""
    files, issues = task(write_return_workbooks, name="write-return-workbooks", retries=2,
                         cache_policy=NO_CACHE)(Path(workspace), period, Path(out) if out else None)  # type: ignore[call-overload]
    folder = files[0].parent if files else Path(out or Path(workspace) / "outputs" / period / "returns")
    listing = "\n".join(f"- {path.name}" for path in files) or "No workbooks: the register names no leads."
    create_markdown_artifact(markdown=f"# Return workbooks for {period}\n\n{folder}\n\n{listing}",
                             key=artifact_key("returns", period), description="Pre-filled partner returns")
    if issues:
        create_table_artifact(table=issue_table(issues), key=artifact_key("returns-issues", period))
    return str(folder)


@flow(name="history")
def history(workspace: str = ".", out: str | None = None, edition: Edition = "public") -> str:
    """Every action's status in each period, from the newest kept draft of each: history.xlsx and .csv."""
    result = task(export_history, name="export-history", retries=2, cache_policy=NO_CACHE)(  # type: ignore[call-overload]
        Path(workspace), Path(out) if out else None, edition)
    create_markdown_artifact(
        markdown=f"# Status history\n\n{result.actions} actions over {len(result.periods)} period(s): "
                 f"{', '.join(result.periods)}\n\n- {result.xlsx}\n- {result.csv}",
        key=artifact_key("history", edition), description="Every action's status, period by period")
    return str(result.xlsx.parent)
