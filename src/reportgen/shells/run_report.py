"""How a monthly run ended, mailed to the secretariat ([mail] notify): the officer who is not watching Prefect's
UI learns that a draft is ready to review (its folder, the counts, what changed since the last draft), that it was
built but is blocked (each issue where it is and what to do), or that nothing was built and why; and, through
`crashed_run` (the flow the automation `reportgen deploy` sets runs when a monthly run is marked Crashed), that a
run whose process was lost built nothing whole, and what to do.

Opt-in: with no `notify` addresses nothing is sent. A message that cannot be sent never changes how the run
ends: the run's log says so, and the outcome is in the run's log and artifacts as ever. Only the monthly flow
and `crashed_run` use this module.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Sequence
from pathlib import Path
from uuid import UUID

from prefect import flow
from prefect.client.schemas.objects import FlowRun
from prefect.context import FlowRunContext

from reportgen.diff.changes import human_text
from reportgen.diff.render import DiffResult
from reportgen.errors import ReportgenError
from reportgen.mail.compose import run_report
from reportgen.mail.transport import SmtpOutbox
from reportgen.periods import period_label
from reportgen.run.build import BuildResult
from reportgen.settings import load_settings
from reportgen.shells.mail_flows import mail_credentials
from reportgen.shells.prefect_flows import blocking_phrase, in_deployment_run, slot_period, summary_lines
from reportgen.wording import quoted


def run_said() -> tuple[str, str]:
    """This flow run's name and id, as the UI and `prefect flow-run ls` show them ("" outside a run)."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None:
        return "", ""
    return context.flow_run.name, str(context.flow_run.id)


def built_report(result: BuildResult, comparison: DiffResult | None, uncompared: str, notes: Sequence[str] = ()
                 ) -> tuple[str, list[str]]:
    """The subject and lines of the mail for a run that built its draft: ready to review, or blocked; `notes`, what
    the run warned of besides (a month ended with no returns folder, a schedule not in effect)."""
    name, run_id = run_said()
    label, folder, blocking = period_label(result.paper.period), result.folder, len(result.blocking)
    unchanged = comparison is not None and comparison.diff.is_empty
    if blocking:
        subject = f"Panel paper {label}: draft {folder.name} built, but {blocking_phrase(blocking)}"
        verdict = (f"{blocking_phrase(blocking).capitalize()}: correct each issue below in the file, sheet, row and "
                   "column it names, then run the monthly flow again.")
    else:
        subject = f"Panel paper {label}: draft {folder.name} is ready to review" + (
            f" (no changes since {comparison.old.name})" if comparison is not None and unchanged else "")
        verdict = "Nothing blocks publication."
    lines = [f"The monthly run {name} ({run_id}) built the draft for {label}." if name else
             f"The monthly run built the draft for {label}.", "", f"Draft folder: {folder}",
             "(paper.docx, paper.pdf, paper.html; every issue in issues.csv, who to chase in chase.csv)", "", verdict,
             "", *summary_lines(result), ""]
    if comparison is not None:
        lines += [f"Compared with {comparison.old.name} (the comparison is in {comparison.folder}):",
                  human_text(comparison.diff)]
    elif uncompared:
        lines.append(uncompared)
    if notes:
        lines += ["", "The run also warned:", *(f"- {note}" for note in notes)]
    return subject, lines


def _run_and_month(period: str | None) -> tuple[str, str]:
    """"The monthly run NAME (ID)", and " for October 2026" (the period as given when it is no month, a run refused
    for '2023-13'; "" for none)."""
    name, run_id = run_said()
    run = f"The monthly run {name} ({run_id})" if name else "The monthly run"
    if not period:
        return run, ""
    try:
        return run, f" for {period_label(period)}"
    except ValueError:
        return run, f" for {quoted(period)}"


def failed_report(period: str | None, reason: str) -> tuple[str, list[str]]:
    """The subject and lines of the mail for a run that built nothing: the reason, which says what to do."""
    run, month = _run_and_month(period)
    return (f"Panel paper{month}: the monthly run built nothing",
            [f"{run} built nothing{month}, and published nothing:", "", reason])


def unforeseen_report(period: str | None, error: Exception, kept: Path | None) -> tuple[str, list[str]]:
    """The subject and lines of the mail for a run stopped by an error no check foresaw (a fault of reportgen's or
    of Prefect's): what it is, whether its draft was kept, where the details are and what to do."""
    run, month = _run_and_month(period)
    done = (f"Its draft was kept in {kept}, but the run stopped before it had compared it, published its summary "
            "or chased the partners." if kept else "It built nothing, and published nothing.")
    return (f"Panel paper{month}: the monthly run failed",
            [f"{run} failed{month} on an error no check foresaw: {type(error).__name__}: {error}", "", done, "",
             "Its log in Prefect's UI says where it stopped. Run it again (prefect deployment run, or wait for the "
             "next scheduled run); if it fails again, send the run's id and its log to whoever looks after "
             "reportgen."])


def tell_secretariat(workspace: Path, subject: str, lines: list[str]) -> None:
    """Mail `subject` and `lines` to [mail] notify, if any, through [mail] smtp and the worker's mail login."""
    from prefect.logging import get_run_logger

    try:
        settings = load_settings(workspace)
    except ReportgenError:
        return  # the run says why the settings cannot be read
    to = settings.mail.notify
    if not to:
        return
    logger = get_run_logger()
    if not settings.mail.smtp.host or not settings.mail.from_address:
        logger.warning("reportgen: how this run ended was not mailed to %s: [ mail ] notify is set, but [ mail ] has "
                       "no %s to send it; set it in %s", ", ".join(to), "smtp.host" if not settings.mail.smtp.host
                       else "from_address", workspace / "reportgen.toml")
        return
    _name, run_id = run_said()
    said = [*lines, "", f"Workspace: {workspace} (the files named above are in it)"]
    outgoing = run_report(f"run:{run_id or subject}", to, subject, said, settings)
    try:
        tls = settings.mail.tls_context(workspace)
        with SmtpOutbox(settings.mail, mail_credentials(workspace, dry_run=False), tls) as outbox:
            outbox.deliver(outgoing.message)
    except (ReportgenError, smtplib.SMTPException, OSError) as exc:
        logger.warning("reportgen: how this run ended was not mailed to %s ([ mail ] notify): %s; it is in this "
                       "run's log and artifacts", ", ".join(to), exc)
        return
    logger.info("reportgen: how this run ended was mailed to %s", ", ".join(to))


def tell_secretariat_nothing_built(workspace: str, period: str | None, reason: str) -> None:
    """`tell_secretariat` of a run that built nothing, when its workspace is known (a deployment's run given a
    relative path is refused before it is)."""
    where = Path(workspace)
    if where.is_absolute() or not in_deployment_run():
        tell_secretariat(where, *failed_report(period, reason))


def tell_secretariat_failed(workspace: str, period: str | None, error: Exception, kept: Path | None) -> None:
    """`tell_secretariat` of a run stopped by an unforeseen error (`unforeseen_report`). Never raises: the run's own
    error is the one it fails with."""
    try:
        where = Path(workspace)
        if where.is_absolute() or not in_deployment_run():
            tell_secretariat(where, *unforeseen_report(period, error, kept))
    except Exception as exc:  # the mail is a courtesy: the run's own error must not be hidden by its failure
        from prefect.logging import get_run_logger

        get_run_logger().warning("reportgen: how this run ended was not mailed ([ mail ] notify): %s", exc)


def crashed_report(run: FlowRun, deployment: str, again: str, period: str | None, kept: Sequence[Path],
                   left: Sequence[Path]) -> tuple[str, list[str]]:
    """The subject and lines of the mail for a monthly run marked Crashed (its worker, serve or machine lost in the
    middle of it): a run nobody is told of looked, to the secretariat, still to come. `period`, the month it was
    building (None: the newest period folder); `kept`, drafts published since it started (whole: a draft is named
    only once every file is written); `left`, the hidden folders it was building in (the next build removes them);
    `again`, the parameters that run it again besides the period (" --param workspace=…" where the deployment has
    none)."""
    month = f" for {period_label(period)}" if period else ""
    started = f", started {run.start_time:%d %B %Y %H:%M} UTC," if run.start_time else ""
    stopped = (run.state.message if run.state is not None and run.state.message else
               "the process running it stopped")
    if kept:
        done = (f"Its draft was kept whole in {', '.join(str(folder) for folder in kept)}, but the run stopped "
                "before it had compared it, published its summary or chased the partners.")
    else:
        done = "It published nothing: no draft folder was written for it (a draft is named only once it is whole)."
    if left:
        done += (" Its unfinished work, " + ", ".join(str(folder) for folder in left) + ", is not a draft and is "
                 "removed by the next build.")
    again = f"prefect deployment run '{deployment}'{again}" + (f" --param period={period}" if period else "")
    return (f"Panel paper{month}: the monthly run crashed",
            [f"The monthly run {run.name} ({run.id}){started} crashed{month}: {stopped}", "", done, "",
             f"Run it again: {again} (or the UI's Run). If it crashes again, send the run's id and its log "
             "to whoever looks after reportgen."])


def drafts_since(workspace: Path, since: dt.datetime | None) -> tuple[list[Path], list[Path]]:
    """The drafts of `workspace` kept since `since` (their manifest written then or later), and the hidden folders
    a build left unfinished (`.draft-tmp-…`, built in until the draft is whole)."""
    outputs = workspace / "outputs"
    kept = sorted(manifest.parent for manifest in outputs.glob("*/draft-*/manifest.json")
                  if since is not None and manifest.stat().st_mtime >= since.timestamp())
    return kept, sorted(outputs.glob("*/.draft-tmp-*"))


@flow(name="crashed-run")
def crashed_run(flow_run_id: str) -> None:
    """Mail [mail] notify of a monthly run marked Crashed: what it was building, that nothing half-written was
    published, and how to run it again. Run by the automation `reportgen deploy` sets (`tell_crashed_runs`)."""
    from prefect.client.orchestration import get_client
    from prefect.logging import get_run_logger

    with get_client(sync_client=True) as client:
        run = client.read_flow_run(UUID(flow_run_id))
        deployment = client.read_deployment(run.deployment_id) if run.deployment_id else None
        flow_name = client.read_flow(run.flow_id).name
    workspace = (run.parameters or {}).get("workspace")
    if deployment is None or not isinstance(workspace, str) or not Path(workspace).is_absolute():
        get_run_logger().warning("reportgen: run %s (%s) crashed, but names no workspace to tell of it", run.name,
                                 run.id)
        return
    where = Path(workspace)
    period = (run.parameters or {}).get("period")
    if not isinstance(period, str) or not period:
        try:
            schedule = load_settings(where).schedule
            period = slot_period(run, schedule.cron, schedule.timezone)
        except ReportgenError:
            period = None
    again = "" if (deployment.parameters or {}).get("workspace") == workspace else f" --param workspace={where}"
    tell_secretariat(where, *crashed_report(run, f"{flow_name}/{deployment.name}", again, period,
                                            *drafts_since(where, run.start_time)))
