"""The Prefect flows: thin shells that run the library's stages as tasks and publish artifacts.

`panel_paper` (one-off paper), `monthly_update` (the scheduled run: build, compare with the last
draft, chase list), `compare_drafts_flow` and `partner_returns`. Each task wraps one library call; the
composition is `reportgen.run.build.build_draft` itself, given a runner that makes each stage a task. Only
the CLI edge and `flows/*.py` import this module, so `reportgen build` never pays for importing Prefect.

A flow ends in a state a person can read in the UI and in `prefect deployment run --watch`:
Completed; Completed named "Blocked" ("2 issues block publication") when the draft has blocking
issues; Failed with the one-line reason when the run cannot be made (a period like 2023-13, no
register), without retries or a traceback. Its result is the library's own value (`BuildResult`…).

No `from __future__ import annotations` here: Prefect builds each flow's parameter schema from its
signature when a deployment runs, and a postponed annotation such as `Edition` cannot be resolved
there ("`Monthly_UpdateModel` is not fully defined").
"""

import contextlib
import datetime as dt
import functools
import logging
import re
import time
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from prefect import Task, flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import FlowRun, TaskRun
from prefect.context import FlowRunContext, TaskRunContext
from prefect.states import Completed, Failed, State

from reportgen.diff.changes import human_text
from reportgen.diff.render import DiffResult, check_comparison, compare_drafts
from reportgen.drafts.published import PUBLISHED_JSON
from reportgen.errors import NOTHING_PUBLISHED, ReportgenError, UsageError, describe_os_error
from reportgen.issues import Issue, Severity
from reportgen.model import Paper
from reportgen.periods import month_before, period_label
from reportgen.read.workspace import find_inputs, not_periods_note, periods
from reportgen.run.build import BuildResult, Checks, StageRunner, build_draft, validate_draft
from reportgen.run.chase import ChaseRow, chase_markdown
from reportgen.run.history import HistoryExport, export_history
from reportgen.run.publish import Published, mark_published
from reportgen.run.returns import write_return_workbooks
from reportgen.settings import Edition, Settings, load_settings
from reportgen.shells.prefect_env import code_changed_since_serve
from reportgen.shells.worker_output import outlives_its_worker
from reportgen.wording import counted, quoted

T = TypeVar("T")
# file I/O: worth a retry
IO_STAGES = {"prepare", "render-docx", "render-pdf", "render-html", "write-records", "write-tables"}
BLOCKED = "Blocked"  # the name of a Completed state whose draft has issues that block publication


TOLD: set[str] = set()  # the reasons a deployment's run has logged (as the library words them)


class OneLineForReportgenErrors(logging.Filter):
    """A run refused with a ReportgenError ends Failed with the reason as its message; Prefect's engine
    then logs "exited with unexpected exception" (the flow run) and "Task run failed with exception"
    (the stage's task run), each with a traceback, in the worker's (or serve's) log. The reason is not
    unexpected: log it as the one line it is, once in a deployment's run (see `refused`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, ReportgenError):
            if str(error) in TOLD:  # on the run's log already
                return False
            reason = str(error)
            if in_deployment_run():  # worded for its parameters, and said once
                TOLD.add(reason)
                reason = as_parameters(reason)
            record.msg, record.args = f"reportgen: error: {reason}", ()
            record.exc_info, record.exc_text = None, None
        return True


for _logger in ("prefect.flow_runs", "prefect.task_runs"):
    logging.getLogger(_logger).addFilter(OneLineForReportgenErrors())


@dataclass(frozen=True)
class MonthlyResult:
    """What the monthly run made: the draft, and its comparison with the last one (if any)."""

    build: BuildResult
    comparison: DiffResult | None


@dataclass(frozen=True)
class ReturnsResult:
    """The pre-filled return workbooks written, their folder, and the issues met."""

    folder: Path
    files: tuple[Path, ...]
    issues: tuple[Issue, ...]


NEVER_PASSES = (FileExistsError, FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)


def retry_on_io_error(_task: Task[..., Any], _run: TaskRun, state: State[Any]) -> bool:
    """Only an I/O error may pass on a second try (a file busy, a network share away for a moment). A
    usage error (a period like 2023-13), a problem in the inputs or a refusal to overwrite a file is the
    same every time: the run fails at once, with its reason logged once."""
    error = state.result(raise_on_failure=False)
    if isinstance(error, UsageError):
        return False
    cause = error if isinstance(error, OSError) else getattr(error, "__cause__", None)
    return isinstance(cause, OSError) and not isinstance(cause, NEVER_PASSES)


TASK_RUNS: set[UUID] = set()


def remembered(stage: Callable[..., T]) -> Callable[..., T]:
    """`stage`, noting its task run in TASK_RUNS as it starts, for a flow script to wait until the server
    has written each one ended (`flow_cli.wait_for_history`): the embedded server stops when the script
    exits. Noted in the task itself, not by state hooks: Prefect logs two lines a hook run."""
    @functools.wraps(stage)
    def run(*args: Any, **kwargs: Any) -> T:
        context = TaskRunContext.get()
        if context is not None:
            TASK_RUNS.add(context.task_run.id)
        return stage(*args, **kwargs)

    return run


def in_parameters_words(stage: Callable[..., T]) -> Callable[..., T]:
    """`stage`, its refusal worded for a deployment's run (`as_parameters`): the task's final state quotes
    it, and `--watch` prints that line ("Finished in state Failed('… or use dry_run=true')")."""
    @functools.wraps(stage)
    def run(*args: Any, **kwargs: Any) -> T:
        try:
            return stage(*args, **kwargs)
        except ReportgenError as exc:
            if in_deployment_run():
                exc.args = (as_parameters(str(exc)),)
            raise
        except PermissionError as exc:  # the same on every try: said as the command line says it, in one line
            raise ReportgenError(describe_os_error(exc)) from exc

    return run


def stage_task(name: str, stage: Callable[..., T], retries: int = 0, retry_delay_seconds: int = 1) -> Any:
    """Every task of the flows: retried (`retries`) only for an I/O error, each run remembered."""
    # NO_CACHE: stage inputs are large frozen values; hashing them for a cache key buys nothing
    return task(remembered(in_parameters_words(stage)), name=name, retries=retries,  # type: ignore[call-overload]
                retry_delay_seconds=retry_delay_seconds, retry_condition_fn=retry_on_io_error,
                cache_policy=NO_CACHE)


class TaskRunner(StageRunner):
    """Each stage becomes a Prefect task; the two renderers run concurrently."""

    def _task(self, name: str, stage: Callable[..., T]) -> Any:
        return stage_task(name, stage, retries=2 if name in IO_STAGES else 0)

    def run(self, name: str, stage: Callable[..., T], *args: Any) -> T:
        return self._task(name, stage)(*args)

    def run_together(self, calls: Sequence[tuple[str, Callable[..., Any], tuple[Any, ...]]],
                     stop: Callable[[], None] | None = None) -> list[Any]:
        """The stages as tasks side by side. One failing, or the run stopped (cancelled: SIGTERM raises here), the
        others are waited for (up to SIBLINGS_WAIT) before this raises: the build then discards the draft folder
        they write into, and a renderer still writing there failed with FileNotFoundError, logged as an error and
        retried, in a run that was only cancelled (as the command line's thread pool waits for its threads).
        `stop` is not called: a cancelled run's SIGTERM goes to its whole process group, the PDF workers too."""
        futures = [self._task(name, stage).submit(*args) for name, stage, args in calls]
        try:
            return [future.result() for future in futures]
        except BaseException:
            deadline = time.monotonic() + SIBLINGS_WAIT
            for future in futures:
                with contextlib.suppress(Exception):
                    future.wait(timeout=max(0.0, deadline - time.monotonic()))
            raise


SIBLINGS_WAIT = 20  # seconds a failed or stopped render waits for the others: within the 30 s Prefect gives a
# cancelled run's process after its SIGTERM, so the draft folder is still discarded; DOCX and HTML take seconds


def blocking_phrase(count: int) -> str:
    return f"{counted(count, 'issue')} {'blocks' if count == 1 else 'block'} publication"


def finished(blocking: int, message: str, outcome: T) -> State[T]:
    """Completed, or Completed named "Blocked" with the count when issues block publication."""
    if blocking:
        return Completed(name=BLOCKED, message=f"{blocking_phrase(blocking)}; {message}", data=outcome)
    return Completed(message=message, data=outcome)


MONTHLY_NOT_PUBLISHED = ("no draft was published (returns collected from the mailbox before it, if any, stay "
                         "saved); run it again once it can write there")


def written(exc: ReportgenError | OSError, out: bool, done: str) -> ReportgenError:
    """A flow's failure as its one line: a folder or file it could not write (in the flow, or a stage's task that
    said it for the command line) is said with the flow's own advice, `out` only where it has --out, and `done`,
    what it had done; never Prefect's traceback of the OSError. Any other refusal as it is."""
    cause = exc if isinstance(exc, OSError) else exc.__cause__
    if isinstance(cause, OSError) and (exc is cause or str(exc) == describe_os_error(cause)):
        return ReportgenError(describe_os_error(cause, out, done))
    return exc if isinstance(exc, ReportgenError) else ReportgenError(describe_os_error(exc, out, done))


def refused(exc: ReportgenError) -> State[Any]:
    """A run that cannot be made: Failed at once, its one-line reason as the message, no traceback.

    In a deployment's run the reason names the flow's parameters (`out=…`), not the command line's options
    (`--out`), and is logged, and sent to the server, before the run ends: `prefect deployment run …
    --watch` prints a run's log lines but of its final state only the name ("Refused"), and a line still
    on its way when the run ends can arrive after the watch has stopped."""
    name = "Refused" if isinstance(exc, UsageError) else "Failed"
    if not in_deployment_run():
        return Failed(name=name, message=str(exc), data=exc)
    from prefect.logging import get_run_logger
    from prefect.logging.handlers import APILogHandler

    reason = as_parameters(str(exc))
    if str(exc) not in TOLD:  # (a stage's task logs the reason it failed for as it fails)
        TOLD.add(str(exc))  # Prefect's own line for it, as the run ends, is then left out
        get_run_logger().error("reportgen: error: %s", reason)
    APILogHandler().flush()  # sent now, before the final state
    return Failed(name=name, message=reason, data=exc)


# the command line's options as the flows' parameters: a value's option (`--out DIR`), and a flag (`--dry-run`)
VALUE_OPTIONS = {"--out": "out", "--period": "period", "--workspace": "workspace", "--edition": "edition",
                 "--from-folder": "from_folder"}
FLAG_OPTIONS = {"--allow-restricted": "allow_restricted", "--dry-run": "dry_run"}
OPTION = re.compile(r"(?<![\w-])(--[a-z]+(?:-[a-z]+)*)\b( (?=[^\s)]))?")
# a table of reportgen.toml as a reason names it: [mail], [[register.extra]], [partners."Wessex Police"]
TABLE = re.compile(r'\[(\[?)((?:' + "|".join(Settings.model_fields) + r')(?:\.(?:"[^"\]]*"|[\w-]+))*)\](\]?)')


def as_parameters(reason: str) -> str:
    """`reason`, worded for the command line, as the person running a deployment sets its parameters:
    "--out /x already exists" is "out=/x already exists", "give --period" "give period=…", "use --dry-run"
    "use dry_run=true". A table of reportgen.toml is written "[ mail ]" (TOML's own spelling of it too):
    `prefect deployment run --watch` prints each log line as Rich markup, in which "[mail]" is a style
    and vanishes, and the person would not be told which table to edit."""
    def parameter(found: re.Match[str]) -> str:
        option, value_follows = found.group(1), found.group(2)
        if option in FLAG_OPTIONS:
            return f"{FLAG_OPTIONS[option]}=true" + (value_follows or "")
        if option in VALUE_OPTIONS:
            return f"{VALUE_OPTIONS[option]}=" + ("" if value_follows else "…")
        return found.group(0)

    def table(found: re.Match[str]) -> str:
        return f"[{found.group(1)} {found.group(2)} ]{found.group(3)}"

    return TABLE.sub(table, OPTION.sub(parameter, reason))


# a Rich style tag as `prefect deployment run --watch` reads a log line: "[reportgen 2026-10]" in a subject vanished
RICH_TAG = re.compile(r"\[(?=[a-z#/@])")


def watchable(line: str) -> str:
    """A log line as `--watch` shows it whole: the command line's options as parameters, and a space after
    each "[" that Rich would take for a style ("[ reportgen 2026-10]", "[ mail ]", a partner's "[ tbc]")."""
    return RICH_TAG.sub("[ ", as_parameters(line))


def told_line(item: Issue) -> str:
    """An issue on one line, as a run's log and artifacts tell it: where it is (its file named once, not again
    when the message starts with it: `Issue.located`), then what to do."""
    return item.located + (f" → {item.advice}" if item.advice else "")


def in_deployment_run() -> bool:
    """Whether this is a deployment's flow run (a worker's, or serve's), not a flow script's own."""
    context = FlowRunContext.get()
    return context is not None and context.flow_run is not None and context.flow_run.deployment_id is not None


def given_path(value: str, parameter: str) -> Path:
    """A path parameter of a flow. A deployment's run starts in a folder of its worker's own (a process
    worker's is temporary), not where the person who ran it was: a relative path there names nothing they
    meant ("no register in /tmp/tmp…prefect/inputs"), so it is refused, saying to give the full path."""
    path = Path(value)
    if path.is_absolute() or not in_deployment_run():
        return path
    from prefect.runtime import deployment

    context = FlowRunContext.get()
    flow_name = context.flow.name if context is not None and context.flow is not None else "FLOW"
    raise UsageError(f"{parameter} {quoted(value)} is not a full path: a deployment's run starts in a folder of the "
                     f"worker's own ({Path.cwd()}), so give the full path: prefect deployment run "
                     f"'{flow_name}/{deployment.name}' --param {parameter}=/full/path …")


def artifact_key(kind: str, *parts: str, workspace: Path | None = None) -> str:
    """The key of an artifact: its kind, the workspace's tag (`workspace_tag`), then what it is of ("paper",
    "wessex-1f3a9c", "2026-10", "public"): two Panels' workspaces on one Prefect server keep their own latest
    artifacts (keyed by period alone, the UI's latest paper could be the other Panel's). What a build publishes is
    keyed by its edition too: a restricted run's issues, under the public run's key, became the latest issues of
    the month, exempt actions' wording and all. Prefect keys take lowercase letters, digits and dashes only."""
    tag = workspace_tag(workspace) if workspace is not None else ""
    return "-".join("".join(c if c.isascii() and c.isalnum() else "-" for c in part.lower())
                    for part in (kind, tag, *parts) if part).strip("-")


def workspace_tag(workspace: Path) -> str:
    """The workspace's folder name (its first 20 letters and digits) and 6 hex digits of its full path:
    'wessex-1f3a9c'."""
    import hashlib

    full = str(Path(workspace).resolve())
    name = re.sub(r"[^a-z0-9]+", "-", Path(full).name.lower()).strip("-")[:20].strip("-")
    return f"{name or 'workspace'}-{hashlib.sha256(full.encode()).hexdigest()[:6]}"


def run_name() -> str:
    """A flow run's name, given as it starts: the workspace's tag (`workspace_tag`, as its artifacts are keyed)
    before the name Prefect gave it, 'wessex-1f3a9c: rough-collie'. Two Panels on one server: their runs, in the
    UI and `prefect flow-run ls`, were told apart only by opening each to read its parameters. A workspace that is
    not a full path in a deployment's run (refused by the run) keeps Prefect's name alone; a run made again keeps
    its name."""
    context = FlowRunContext.get()
    workspace = (context.parameters or {}).get("workspace") if context is not None else None
    return tagged_run_name(workspace if isinstance(workspace, str) else None)


def comparison_run_name() -> str:
    """A compare-drafts run's name: `run_name` of the workspace its new draft was kept in (WORKSPACE/outputs/<period>/
    draft-NN), as its monthly run is named; Prefect's name alone for a draft kept elsewhere (`--out`)."""
    context = FlowRunContext.get()
    new = (context.parameters or {}).get("new") if context is not None else None
    draft = Path(new) if isinstance(new, str) and new else None
    kept = draft is not None and len(draft.parents) > 2 and draft.parents[1].name == "outputs"
    return tagged_run_name(str(draft.parents[2]) if draft is not None and kept else None)


def tagged_run_name(workspace: str | None) -> str:
    """This run's name, with the tag of `workspace` before it (when it is a full path, or outside a deployment's
    run); as Prefect named it otherwise, or when it has the tag already (a run made again)."""
    context = FlowRunContext.get()
    given = context.flow_run.name if context is not None and context.flow_run is not None else ""
    if workspace is None or not (Path(workspace).is_absolute() or not in_deployment_run()):
        return given
    tag = workspace_tag(Path(workspace))
    return given if given.startswith(f"{tag}: ") else f"{tag}: {given}"


def log_summary(result: BuildResult) -> None:
    """A deployment's run says in its log what `reportgen build` prints: the counts, the verdict, each issue that
    blocks publication (where it is, what to do: a "Blocked" run's log said "2 errors" and not which) and who to
    chase (`prefect deployment run … --watch` showed only 'Completed'); a flow script prints them itself. Logged
    as a warning when there is something to act on (an issue, a partner to chase), as workers log warnings and up
    (PREFECT_LOGGING_LEVEL); else as information. Warnings and notes stay in the draft's issues.csv and the
    issues artifact, as `reportgen build` lists them only with --all."""
    if not in_deployment_run():
        return
    from prefect.logging import get_run_logger

    from reportgen.shells.console import chase_reasons

    act = any(chase_reasons(row) for row in result.chase) or any(
        item.severity is not Severity.INFO for item in result.issues)
    logger = get_run_logger()
    for line in summary_log_lines(result):
        logger.log(logging.WARNING if act else logging.INFO, "reportgen: %s", line)


def summary_log_lines(result: BuildResult) -> list[str]:
    """The lines `log_summary` logs, each as `--watch` shows it whole (`watchable`: a partner's "[tbc]" in an
    issue's message is not taken for a style and dropped)."""
    return [watchable(line) for line in summary_lines(result)]


def summary_lines(result: BuildResult) -> list[str]:
    """What `reportgen build` prints of a draft: the counts, the verdict, each issue that blocks publication (where
    it is, what to do) and who to chase."""
    from reportgen.shells.console import chase_heading, chase_reasons, paper_summary, summary_line

    chase = [f"{chase_heading(row)}: {row.partner}: {reasons}" for row in result.chase
             if (reasons := chase_reasons(row))]
    blocking = [f"Blocks publication: {told_line(item)}" for item in result.issues if item.severity is Severity.ERROR]
    return [*paper_summary(result.paper), summary_line(result.issues), *blocking, *chase]


def publish_artifacts(result: BuildResult, workspace: Path, comparison: DiffResult | None = None,
                      chase: Sequence[ChaseRow] = (), uncompared: str = "") -> None:
    """The run's paper artifact (with the comparison, or `uncompared`: why there is none) and issues table."""
    log_summary(result)
    paper = result.paper
    blocking = result.blocking
    lines = [
        f"# {paper.title}",
        "",
        f"Draft **{result.folder}** ({paper.edition} edition, period {paper.period}).",
        "",
        counts_line(paper),
    ]
    if paper.carried_forward:
        source = f" from {paper.carried_from}" if paper.carried_from else ""
        carry = "carries its" if paper.carried_forward == 1 else "carry their"
        lines.append(f"{counted(paper.carried_forward, 'action')} had no update and {carry} last status{source}.")
    if paper.exempt_count:
        left = "is" if paper.exempt_count == 1 else "are"
        lines.append(f"{counted(paper.exempt_count, 'exempt action')} {left} left out of this edition.")
    lines += ["", *blocking_lines(blocking)]
    if comparison is not None:
        lines += ["", f"Compared with {comparison.old.name}: {comparison.folder}", "", "```",
                  human_text(comparison.diff), "```"]
    elif uncompared:
        lines += ["", uncompared]
    if chase:
        lines += ["", "## Chase list", "", chase_markdown(chase)]
    key = artifact_key("paper", paper.period, paper.edition, workspace=workspace)
    create_markdown_artifact(markdown="\n".join(lines), key=key, description=f"Draft for {paper.period}")
    create_table_artifact(table=issue_table(result.issues),
                          key=artifact_key("issues", paper.period, paper.edition, workspace=workspace),
                          description="Issues found in the inputs")


def counts_line(paper: Paper) -> str:
    """The counts as an artifact says them: as `reportgen build` prints them, every action accounted for (the
    statuses alone left out the ones with no status or one not recognised: "147 actions: Completed 33,
    In progress 86, Not started 26, On hold 0.", 145 of them)."""
    from reportgen.shells.console import status_counts

    return status_counts(paper)


def blocking_lines(blocking: Sequence[Issue]) -> list[str]:
    """What blocks publication, as an artifact says it: the count, then the first 20 with what to do."""
    said = [f"**{blocking_phrase(len(blocking))}.**" if blocking else "Nothing blocks publication."]
    return said + [f"- {told_line(i)}" for i in blocking[:20]]


def issue_table(issues: Sequence[Issue]) -> list[dict[str, object]]:
    return [
        {"severity": i.severity.value, "code": i.code, "file": i.file, "sheet": i.sheet, "row": i.row,
         "column": i.column, "ref": i.ref, "problem": i.message, "what to do": i.advice}
        for i in sorted(issues, key=lambda i: (i.severity.rank, i.file, i.row or 0))
    ]


@flow(name="panel-paper", flow_run_name=run_name, log_prints=False)
@outlives_its_worker
def panel_paper(workspace: str = ".", period: str | None = None, out: str | None = None,
                edition: Edition = "public", todays_register: bool = False, revises: str | None = None
                ) -> State[BuildResult]:
    """Build one draft paper (DOCX, PDF, register, issues, chase list) into a new draft folder."""
    try:
        where, out_path = given_path(workspace, "workspace"), given_path(out, "out") if out else None
        find_inputs(where, period)  # a request that cannot be met fails here, before any task
        revised = given_path(revises, "revises") if revises else None
        result = build_draft(where, period, out_path, edition, runner=TaskRunner(), todays_register=todays_register,
                             revises=revised)
    except (ReportgenError, OSError) as exc:
        return refused(written(exc, out=True, done=NOTHING_PUBLISHED))
    publish_artifacts(result, where)
    return finished(len(result.blocking), f"draft {result.folder}", result)


def _compare(old: Path, new: Path, out: Path | None = None, allow_restricted: bool = False) -> DiffResult:
    return compare_drafts(old, new, out, allow_restricted=allow_restricted)


compare_task = stage_task("compare-drafts", _compare)


def schedule_not_in_effect(workspace: Path) -> str:
    """In a scheduled deployment's run: what to do when the schedule in reportgen.toml is no longer the one
    the deployment runs on (changed after `reportgen serve` started, or after `reportgen deploy --workspace`,
    which read it once); "" when it is (or the run has no schedule, or the settings cannot be read: the
    build then says why)."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None or context.flow_run.deployment_id is None:
        return ""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.schedules import CronSchedule

    try:
        wanted = load_settings(workspace).schedule
    except ReportgenError:
        return ""
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment(context.flow_run.deployment_id)
    crons = [(s.schedule.cron, s.schedule.timezone) for s in deployment.schedules
             if s.active and isinstance(s.schedule, CronSchedule)]
    if not crons or (wanted.cron, wanted.timezone) in crons:
        return ""
    running = " and ".join(f"cron {quoted(cron)} ({zone})" for cron, zone in crons)
    # the deployment's own name: without it, a second Panel's deploy is refused, the first Panel's name taken
    again = (f"run reportgen deploy --pool {deployment.work_pool_name} --workspace {workspace} --monthly-name "
             f"{deployment.name} again"
             if deployment.work_pool_name else "restart reportgen serve")
    # no square brackets: `prefect deployment run --watch` would take "[schedule]" for markup and drop it
    return (f"the schedule in {workspace / 'reportgen.toml'} is cron {quoted(wanted.cron)} ({wanted.timezone}), but "
            f"this deployment still runs on {running}, as it was read when it was served or deployed: {again} "
            "to run on the new schedule")


def month_ended_before(moment: dt.datetime, zone: str) -> str:
    """The month before the one `moment` is in, on the clock of time zone `zone`: "2026-03" for 00:30 on
    1 April in Europe/London (23:30 on 31 March UTC)."""
    return month_before(moment.astimezone(zoneinfo.ZoneInfo(zone)).date())


def deployment_run_due(workspace: Path) -> tuple[dt.datetime, str] | None:
    """In a deployment's run: when it was due, and the schedule's time zone (reportgen.toml) to judge it on; None
    outside one (a flow script's run, or no time known)."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None or context.flow_run.deployment_id is None:
        return None
    due = context.flow_run.expected_start_time or context.flow_run.start_time
    return None if due is None else (due, load_settings(workspace).schedule.timezone)


def slot_period(run: FlowRun | None, cron: str, zone: str) -> str | None:
    """The period a run its deployment's schedule made is for, however late it starts (serve or the workers stopped
    over a month's end, then Prefect running each run missed) or however often it is retried (Prefect keeps a run's
    first scheduled time): the month the stretch since the schedule's slot before it mostly lies in, on the
    schedule's clock `zone` (`period_covered`). None for a run made by hand (`prefect deployment run`, the UI's Run)
    or a flow script's: it builds the newest period folder, as `reportgen build` does."""
    if run is None or not run.auto_scheduled or run.expected_start_time is None:
        return None
    return period_covered(run.expected_start_time, cron, zone)


def period_covered(due: dt.datetime, cron: str, zone: str) -> str:
    """The month of the middle of the stretch from the slot of `cron` before `due` to `due`, on the clock `zone`: due
    07:00 on 1 April (cron 0 7 1 * *), March, the month just ended; due on the last day of April (0 17 L * *),
    April; due on 5 April (0 7 5 * *, after a returns deadline on the 4th), March; weekly, the month most of the
    week was in."""
    from cronsim import CronSim, CronSimError

    local = zoneinfo.ZoneInfo(zone)
    # a plain datetime: Prefect gives pendulum's, whose replace() cronsim calls is deprecated in Prefect 3.9's pendulum
    due = dt.datetime.fromtimestamp(due.timestamp(), local)
    try:
        before = next(CronSim(cron, due, reverse=True))
    except (CronSimError, StopIteration):  # no slot before it: the month that had ended
        return month_ended_before(due, zone)
    return (before + (due - before) / 2).astimezone(local).strftime("%Y-%m")


def scheduled_period(workspace: Path) -> str | None:
    """`slot_period` of this flow run, on the workspace's [schedule]."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None:
        return None
    schedule = load_settings(workspace).schedule
    return slot_period(context.flow_run, schedule.cron, schedule.timezone)


def name_scheduled_runs(client: Any, deployment_id: UUID, workspace: Path, cron: str, zone: str) -> int:
    """Name each upcoming run the schedule made for the deployment after the workspace and the month it is for
    ('wessex-1f3a9c: November 2026', as `run_name` keeps it when it starts); how many were named. Prefect's
    scheduler gives them no name of ours (3.9.1: `_generate_scheduled_flow_runs` sets none, and nothing on a
    deployment templates one), so the UI listed "smart-otter" and its like until each started."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    tag = workspace_tag(workspace)
    upcoming = client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
            any_=[StateType.SCHEDULED]))))
    found = 0
    for run in upcoming:
        if (period := slot_period(run, cron, zone)) is None:  # made by hand, to start later
            continue
        found += 1
        if not run.name.startswith(f"{tag}: "):
            client.update_flow_run(run.id, name=f"{tag}: {period_label(period)}")
    return found


def name_this_deployments_runs(workspace: Path) -> None:
    """In a deployment's monthly run: `name_scheduled_runs` of its deployment, on the workspace's [schedule]: those
    the scheduler made since the last run (one more each time a run starts) are named before they are due. The
    server not answering for it is a warning in the run's log, never the run's failure."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None or context.flow_run.deployment_id is None:
        return
    import httpx
    from prefect.client.orchestration import get_client

    schedule = load_settings(workspace).schedule
    try:
        with get_client(sync_client=True) as client:
            name_scheduled_runs(client, context.flow_run.deployment_id, workspace, schedule.cron, schedule.timezone)
    except httpx.HTTPError as exc:  # the names are for the UI: the month's paper is not to fail for them
        warn_run(f"the upcoming scheduled runs were not named after the workspace and their month ({exc}); the next "
                 "monthly run names them")


def check_slot_folder(workspace: Path, period: str) -> None:
    """A scheduled run whose month has no returns folder builds nothing (`slot_folder_missing`): it fails saying so."""
    if period in periods(workspace):
        return
    from prefect.runtime import deployment

    context = FlowRunContext.get()
    due = context.flow_run.expected_start_time if context is not None and context.flow_run is not None else None
    flow_name = context.flow.name if context is not None and context.flow is not None else "monthly-update"
    raise ReportgenError(slot_folder_missing(workspace, period, due or dt.datetime.now(dt.UTC),
                                             load_settings(workspace).schedule.timezone,
                                             f"{flow_name}/{deployment.name}"))


def slot_folder_missing(workspace: Path, period: str, due: dt.datetime, zone: str, deployment: str) -> str:
    """Why a scheduled run for `period`, due at `due` (on the schedule's clock `zone`), built nothing, and what to do;
    "" when the period has its returns folder. The newest folder is another month's: its paper, kept as this month's
    run, would be taken for this month's."""
    if period in periods(workspace):
        return ""
    month = period_label(period)
    return (f"this scheduled run, due {due.astimezone(zoneinfo.ZoneInfo(zone)):%d %B %Y %H:%M} ({zone}), is "
            f"{month}'s run, but {month} has no returns folder (inputs/returns/{period}), "
            f"so nothing was built: put its returns there, then run it: prefect deployment run '{deployment}' "
            f"--param period={period}.{not_periods_note(workspace)}")


def period_left_behind(workspace: Path, built: str) -> str:
    """In a deployment's run made by hand, of the newest period: what to do when a month has ended since the period
    built (its returns folder missing: no returns filed, none sent for), judged on the schedule's clock at the time
    the run was due; "" otherwise. (A scheduled run builds its own month, or fails: `check_slot_folder`.)"""
    if (found := deployment_run_due(workspace)) is None:
        return ""
    due, zone = found
    ended = month_ended_before(due, zone)
    if built >= ended:
        return ""
    return (f"this run, due {due.astimezone(zoneinfo.ZoneInfo(zone)):%d %B %Y %H:%M} ({zone}), built {built}, the "
            f"newest period folder in inputs/returns; {period_label(ended)} has ended and has no folder "
            f"(inputs/returns/{ended}): put its returns there and run it again")


# a served run after reportgen was upgraded (or pulled) under a running `reportgen serve`
UPGRADED_UNDER_SERVE = ("reportgen has changed since reportgen serve started (upgraded, reinstalled or pulled): this "
                        "run imported the new reportgen but runs the monthly flow as serve loaded it, so it mixes the "
                        "two versions; restart reportgen serve (Ctrl-C, then start it again) so that its runs use one")


def started_late(workspace: Path, built: str, now: dt.datetime | None = None) -> str:
    """In a deployment's run made by hand, of the newest period: what to say when the run started after another month
    had ended since it was due (queued while no worker or serve ran), and built a later period than the month that
    had just ended when it was due, whose folder exists: that month's paper was not built by it. "" otherwise. (A
    scheduled run started late builds its own month: `slot_period`.)"""
    if (found := deployment_run_due(workspace)) is None:
        return ""
    due, zone = found
    return late_note(workspace, built, due, now or dt.datetime.now(dt.UTC), zone)


def late_note(workspace: Path, built: str, due: dt.datetime, now: dt.datetime, zone: str) -> str:
    """`started_late`'s words for a run due at `due` and running at `now`, on the schedule's clock `zone`."""
    ended = month_ended_before(due, zone)
    if month_ended_before(now, zone) <= ended or built <= ended or ended not in periods(workspace):
        return ""
    local = zoneinfo.ZoneInfo(zone)
    return (f"this run was due {due.astimezone(local):%d %B %Y %H:%M} ({zone}), when {period_label(ended)} had just "
            f"ended, but started {now.astimezone(local):%d %B %Y %H:%M}, and built {built}, the newest period folder "
            f"in inputs/returns; {period_label(ended)}'s paper (inputs/returns/{ended}) was not built by it: if it is "
            f"wanted, run monthly-update with period={ended}, or reportgen build --period {ended}")


EARLIER_RUN_POLL = 10.0  # seconds between looks at the run this one waits for


def earlier_runs_running(client: Any, run_id: UUID, deployment_id: UUID) -> list[FlowRun]:
    """The other runs of the deployment that are Running and started before the run `run_id` (or with it, and
    sort first by id): those it waits for (`wait_for_earlier_runs`)."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    mine = client.read_flow_run(run_id)
    running = client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
            any_=[StateType.RUNNING]))))
    started = mine.start_time or dt.datetime.now(dt.UTC)
    return [run for run in running if run.id != run_id and run.start_time is not None
            and (run.start_time, str(run.id)) < (started, str(run_id))]


def crash_window(client: Any) -> dt.timedelta:
    """How long after its last heartbeat a run whose process is gone is marked Crashed: the window of the
    automation `reportgen deploy` (or serve) set on the server, or its default when there is none."""
    from prefect.events.schemas.automations import EventTrigger

    from reportgen.shells.prefect_deploy import DEFAULT_WITHIN, SILENT_RUNS

    found = [made.trigger.within for made in client.read_automations_by_name(SILENT_RUNS)
             if isinstance(made.trigger, EventTrigger)]
    return found[0] if found else DEFAULT_WITHIN


def wait_for_earlier_runs(poll: float = EARLIER_RUN_POLL) -> None:
    """In a deployment's monthly run: wait while a run of the same deployment that started earlier is still
    Running, so that its runs build one at a time even where Prefect's concurrency limit lets two through.

    It does, after a worker is killed mid-run: Prefect frees the limit's slot when the run's lease runs out (5
    minutes after its process died), and the next run starts; when the killed run is later marked Crashed (the
    crash window is longer than that with the default heartbeat), Prefect frees the slot a second time, taken
    from the run building then, and a third run is let through beside it. The killed run is itself still
    Running until marked Crashed, so the wait is at most the crash window; past it the run builds anyway,
    saying so (a run still Running then sends heartbeats: it is building, as it was let through beside it)."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None or context.flow_run.deployment_id is None:
        return
    from prefect.client.orchestration import get_client
    from prefect.logging import get_run_logger

    run_id, deployment_id = context.flow_run.id, context.flow_run.deployment_id
    with get_client(sync_client=True) as client:
        earlier = earlier_runs_running(client, run_id, deployment_id)
        if not earlier:
            return
        window = crash_window(client)
        names = ", ".join(f"{quoted(run.name)} ({run.id})" for run in earlier)
        get_run_logger().warning(
            "reportgen: run %s of this deployment started before this one and is still Running: this run waits "
            "for it to end, as a deployment's monthly runs build one at a time (a run whose worker was killed is "
            "marked Crashed %s after its last heartbeat; then run its month again)", names,
            counted(int(window.total_seconds() // 60), "minute"))
        deadline = time.monotonic() + window.total_seconds() + 60
        while (earlier := earlier_runs_running(client, run_id, deployment_id)) and time.monotonic() < deadline:
            time.sleep(poll)
        if earlier:
            get_run_logger().warning(
                "reportgen: run %s is still Running after the crash window: it is building, so this run builds "
                "beside it", ", ".join(f"{quoted(run.name)} ({run.id})" for run in earlier))


def warn_run(*notes: str) -> list[str]:
    """Each note ("" for none) as a warning in the run's log (shown in the UI and by --watch); the notes warned."""
    from prefect.logging import get_run_logger

    warned = [note for note in notes if note]
    for note in warned:
        get_run_logger().warning("reportgen: %s", note)
    return warned


def not_compared(result: BuildResult) -> str:
    """Why the monthly run compared its draft with none: a restricted run with no restricted draft before it
    said nothing, and a reviewer could not tell whether the comparison had been left out."""
    paper = result.paper
    return (f"Not compared: no {paper.edition} edition draft was kept before this one, for "
            f"{period_label(paper.period)} or an earlier period.")


@flow(name="monthly-update", flow_run_name=run_name)
@outlives_its_worker
def monthly_update(workspace: str = ".", period: str | None = None,
                   edition: Edition = "public", revises: str | None = None) -> State[MonthlyResult]:
    """The scheduled run: build and keep the draft, compare it with the last one, list who to chase; with
    [mail] collect_before_build / chase_after_build, collect the mailed returns first and chase after. `revises`
    (a run started by hand): the kept draft the paper corrects, compared with in place of the last one."""
    from prefect.logging import get_run_logger

    from reportgen.shells.mail_flows import chase_after_build, collect_before_build  # they import this module
    from reportgen.shells.run_report import (
        built_report,
        tell_secretariat,
        tell_secretariat_failed,
        tell_secretariat_nothing_built,
    )

    slot = None  # the month a scheduled run is for, once known: a run that builds nothing is told as that month's
    result: BuildResult | None = None
    try:
        where = given_path(workspace, "workspace")
        wait_for_earlier_runs()
        notes = warn_run(schedule_not_in_effect(where), UPGRADED_UNDER_SERVE if code_changed_since_serve() else "")
        slot = None if period else scheduled_period(where)  # a scheduled run builds its own month
        name_this_deployments_runs(where)
        collect_before_build(where, period or slot)
        if slot:
            check_slot_folder(where, slot)
        find_inputs(where, period or slot)
        revised = given_path(revises, "revises") if revises else None
        result = build_draft(where, period or slot, None, edition, runner=TaskRunner(), revises=revised)
        if period is None and slot is None:
            notes += warn_run(period_left_behind(where, result.paper.period), started_late(where, result.paper.period))
        comparison = compare_task(result.previous, result.folder) if result.previous else None
        uncompared = "" if comparison else not_compared(result)
        if uncompared:
            get_run_logger().info("reportgen: %s", uncompared)
        publish_artifacts(result, where, comparison, result.chase, uncompared)
        chase_after_build(where, result.paper.period)
        name_this_deployments_runs(where)  # the run the scheduler made as this one started
    except (ReportgenError, OSError) as exc:
        state = refused(written(exc, out=False, done=MONTHLY_NOT_PUBLISHED))
        tell_secretariat_nothing_built(workspace, period or slot, state.message or "")
        return state
    except Exception as exc:  # a fault of ours or of Prefect's: the run fails as ever, and the secretariat is told
        tell_secretariat_failed(workspace, period or slot, exc, result.folder if result else None)
        raise
    tell_secretariat(where, *built_report(result, comparison, uncompared, notes))
    return finished(len(result.blocking), f"draft {result.folder}", MonthlyResult(result, comparison))


@flow(name="compare-drafts", flow_run_name=comparison_run_name)
@outlives_its_worker
def compare_drafts_flow(old: str, new: str, out: str | None = None, allow_restricted: bool = False
                        ) -> State[DiffResult]:
    """Compare two kept drafts (diff.docx with tracked changes, diff.html/pdf, diff.json); drafts of
    different editions only with `allow_restricted` (the comparison is then marked restricted)."""
    try:
        # a request that cannot be met fails here, in one line, before any task
        old_path, new_path = given_path(old, "old"), given_path(new, "new")
        out_path = given_path(out, "out") if out else None
        check_comparison(old_path, new_path, out_path, allow_restricted)
        result = compare_task(old_path, new_path, out_path, allow_restricted)
    except ReportgenError as exc:
        return refused(exc)
    create_markdown_artifact(markdown=f"# {result.folder}\n\n```\n{human_text(result.diff)}\n```",
                             key=artifact_key("compare", result.diff.new.period, result.new.name,
                                              workspace=result.new.parent),
                             description="Draft comparison")
    return finished(0, f"comparison {result.folder}", result)


@flow(name="check-paper", flow_run_name=run_name)
@outlives_its_worker
def check_paper(workspace: str = ".", period: str | None = None, edition: Edition = "public",
                todays_register: bool = False, revises: str | None = None) -> State[Checks]:
    """Run every check of a build, writing nothing, like `reportgen validate`: before the returns deadline, what
    the partners still have to correct (the issues and the chase list, as artifacts)."""
    check = stage_task("check", validate_draft, retries=2)  # reads the inputs only: a busy share may pass
    try:
        where = given_path(workspace, "workspace")
        find_inputs(where, period)  # a request that cannot be met fails here, before any task
        revised = given_path(revises, "revises") if revises else None
        checks = check(where, period, edition, todays_register, revised)
    except ReportgenError as exc:
        return refused(exc)
    paper = checks.paper
    lines = [f"# Checks of {paper.period} ({paper.edition} edition)", "", counts_line(paper), "",
             *blocking_lines(checks.blocking)]
    if checks.chase:
        lines += ["", "## Chase list", "", chase_markdown(checks.chase)]
    create_markdown_artifact(markdown="\n".join(lines),
                             key=artifact_key("checks", paper.period, paper.edition, workspace=where),
                             description=f"Checks for {paper.period}")
    create_table_artifact(table=issue_table(checks.issues),
                          key=artifact_key("check-issues", paper.period, paper.edition, workspace=where),
                          description="Issues found in the inputs")
    return finished(len(checks.blocking), f"checks of {paper.period}: nothing written", checks)


@flow(name="status-history", flow_run_name=run_name)
@outlives_its_worker
def status_history(workspace: str = ".", out: str | None = None, edition: Edition = "public"
                   ) -> State[HistoryExport]:
    """Every action's status in each period, from the newest kept draft of each, as history.xlsx and history.csv,
    like `reportgen history`."""
    export = stage_task("export-history", export_history, retries=2)
    try:
        where, out_path = given_path(workspace, "workspace"), given_path(out, "out") if out else None
        result = export(where, out_path, edition)
    except ReportgenError as exc:
        return refused(exc)
    create_markdown_artifact(
        markdown=f"# Status history\n\n{counted(result.actions, 'action')} over "
                 f"{counted(len(result.periods), 'period')}: {', '.join(result.periods)}\n\n- {result.xlsx}\n"
                 f"- {result.csv}\n- {result.carried}\n- {result.corrected}",
        key=artifact_key("history", edition, workspace=where),
        description="Status history")
    return finished(0, f"history {result.xlsx.parent}", result)


@flow(name="publish-paper", flow_run_name=run_name)
@outlives_its_worker
def publish_paper(workspace: str = ".", draft: str = "") -> State[Published]:
    """Record a kept draft as the paper published (sent to the Panel), like `reportgen publish`: `published.json`
    in its folder, its files untouched; written once (a second run says so and writes nothing)."""
    try:
        if not draft:
            raise UsageError("a draft folder is needed: the kept draft sent to the Panel (outputs/2026-09/draft-02)")
        where = given_path(workspace, "workspace")
        result = mark_published(where.resolve(), given_path(draft, "draft"))
    except ReportgenError as exc:
        return refused(exc)
    said = "was already recorded" if result.already else "recorded"
    create_markdown_artifact(
        markdown=f"# Paper published\n\n{result.mark.draft} {said} as the {result.mark.edition} paper published for "
                 f"{result.mark.period} ({result.mark.marked})\n\n- {result.folder / PUBLISHED_JSON}",
        key=artifact_key("published", result.mark.period, result.mark.edition, workspace=where),
        description="The paper published")
    return finished(0, f"{result.mark.draft} {said} as the paper published", result)


@flow(name="partner-returns", flow_run_name=run_name)
@outlives_its_worker
def partner_returns(workspace: str = ".", period: str = "", out: str | None = None, todays_register: bool = False
                    ) -> State[ReturnsResult]:
    """Pre-filled return workbooks, one per lead partner, for `period` (`todays_register`: see
    `read_for_workbooks`)."""
    write = stage_task("write-return-workbooks", write_return_workbooks, retries=2)
    try:
        if not period:
            raise UsageError("a period (YYYY-MM) is needed: the month the returns are for")
        where, out_path = given_path(workspace, "workspace"), given_path(out, "out") if out else None
        find_inputs(where, period, need_returns=False)  # the workbooks go out before returns come in
        files, issues = write(where, period, out_path, todays_register=todays_register)
    except ReportgenError as exc:
        return refused(exc)
    folder = files[0].parent if files else Path(out or Path(workspace) / "outputs" / period / "returns")
    listing = "\n".join(f"- {path.name}" for path in files) or "No workbooks: the register names no leads."
    create_markdown_artifact(markdown=f"# Return workbooks for {period}\n\n{folder}\n\n{listing}",
                             key=artifact_key("returns", period, workspace=where),
                             description="Pre-filled partner returns")
    if issues:
        create_table_artifact(table=issue_table(issues), key=artifact_key("returns-issues", period, workspace=where))
    blocking = sum(1 for i in issues if i.blocking)
    outcome = ReturnsResult(folder, tuple(files), tuple(issues))
    return finished(blocking, f"{counted(len(files), 'workbook')} in {folder}", outcome)
