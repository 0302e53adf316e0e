"""The mail steps as Prefect flows and tasks: `send-returns`, `chase`, `collect`, each a thin shell over
`reportgen.mail.steps`, and the hooks the monthly flow calls before and after its build.

The login is read here, at the flow's edge: REPORTGEN_MAIL_USER with REPORTGEN_MAIL_PASSWORD or
REPORTGEN_MAIL_OAUTH_TOKEN from the worker's environment, or the Prefect Secret block named in
[mail] secret_block. It is read inside the task, so it is never a task parameter Prefect records.
A retried task sends nothing twice: the sent ledger decides (see `reportgen.mail.ledger`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import cast

from prefect import flow
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.states import State

from reportgen.errors import ReportgenError
from reportgen.issues import Severity
from reportgen.mail.credentials import (
    PASSWORD_VARIABLE,
    TOKEN_VARIABLE,
    USER_VARIABLE,
    WHERE_TO_SET,
    Credentials,
    credentials_from_env,
)
from reportgen.mail.steps import (
    MailOutcome,
    MailRun,
    chase_partners,
    collect_returns,
    mail_outcome,
    send_returns,
    summary_lines,
    told_issues,
)
from reportgen.read.workspace import newest_period
from reportgen.settings import load_settings
from reportgen.shells.prefect_flows import (
    artifact_key,
    finished,
    given_path,
    in_deployment_run,
    issue_table,
    refused,
    run_name,
    stage_task,
    told_line,
    watchable,
)
from reportgen.shells.worker_output import outlives_its_worker
from reportgen.wording import quoted


def mail_credentials(workspace: Path, dry_run: bool) -> Credentials | None:
    """The login from the worker's environment, its password or token from [mail] secret_block when the
    environment has none. A Secret block named without REPORTGEN_MAIL_USER is refused, saying where to set
    it: the block holds only the password, which was then left unused, and the mail went without a login."""
    if dry_run:
        return None
    mail = load_settings(workspace).mail
    secret = ""
    if mail.secret_block and not os.environ.get(USER_VARIABLE, "").strip():
        raise ReportgenError(f"[mail] secret_block names the Prefect Secret block {quoted(mail.secret_block)} for the "
                             f"password, but {USER_VARIABLE} is not set: set it to the mailbox's login (its user "
                             f"name or address) {WHERE_TO_SET}")
    if mail.secret_block and not os.environ.get(PASSWORD_VARIABLE) and not os.environ.get(TOKEN_VARIABLE):
        from prefect.blocks.system import Secret

        block = cast(Secret[str], Secret.load(mail.secret_block))  # called from sync code: the block itself
        secret = str(block.get())
    return credentials_from_env(os.environ, mail.auth, secret)


def _send(workspace: Path, period: str, dry_run: bool) -> MailRun:
    return send_returns(workspace, period, mail_credentials(workspace, dry_run), dry_run)


def _chase(workspace: Path, period: str, dry_run: bool) -> MailRun:
    return chase_partners(workspace, period, mail_credentials(workspace, dry_run), dry_run)


def _collect(workspace: Path, period: str, dry_run: bool, from_folder: Path | None = None) -> MailRun:
    # a dry run still reads the IMAP mailbox (read-only), so it needs the login; a folder of .eml does not
    credentials = mail_credentials(workspace, dry_run=from_folder is not None)
    return collect_returns(workspace, period, credentials, dry_run, from_folder)


# the mail servers may be briefly away: two retries, ten seconds apart
send_task = stage_task("send-returns", _send, retries=2, retry_delay_seconds=10)
chase_task = stage_task("chase", _chase, retries=2, retry_delay_seconds=10)
collect_task = stage_task("collect", _collect, retries=2, retry_delay_seconds=10)


def log_mail(run: MailRun) -> None:
    """A deployment's run says in its log what the command prints: what was sent, saved or refused, and each
    issue with where it is and what to do (`prefect deployment run … --watch` showed only "Blocked" and a
    count, and an SMTP server's "530 Authentication required" was in the artifacts alone). The issues are those
    the command prints (`told_issues`: the register's own warnings counted in one note). Warnings when the
    mail needs an officer or an issue told is more than a note; a flow script prints them itself."""
    if not in_deployment_run():
        return
    from prefect.logging import get_run_logger

    logger = get_run_logger()
    shown = told_issues(run)
    act = bool(run.attention) or any(issue.severity is not Severity.INFO for issue in shown)
    for line in summary_lines(run):
        logger.log(logging.WARNING if act else logging.INFO, "reportgen: %s", watchable(line.strip()))
    for issue in shown:
        logger.log(logging.INFO if issue.severity is Severity.INFO else logging.WARNING, "reportgen: %s",
                   watchable(f"{issue.severity.value} {told_line(issue)}"))


def publish_mail(run: MailRun, workspace: Path) -> None:
    """A Markdown artifact of what the step did; a table of the messages collected; the issues; the same in
    a deployment's run log."""
    log_mail(run)
    lines = [f"# {run.step} {run.period}" + (" (dry run)" if run.dry_run else ""), "", "```",
             *summary_lines(run), "```"]
    if run.outbox is not None:
        lines += ["", f"Messages written to {run.outbox}"]
    create_markdown_artifact(markdown="\n".join(lines),
                             key=artifact_key("mail", run.step, run.period, workspace=workspace),
                             description=f"{run.step} for {run.period}")
    if run.collection is not None and run.collection.handled:
        table = [{"outcome": h.record.outcome, "from": h.record.sender, "partner": h.record.partner,
                  "subject": h.record.subject, "date": h.record.date,
                  "received": h.record.received, "saved as": h.record.file,
                  "late": h.record.late, "errors": h.record.errors, "warnings": h.record.warnings}
                 for h in run.collection.handled]
        create_table_artifact(table=table, key=artifact_key("collected", run.period, workspace=workspace),
                              description="Messages collected from the mailbox")
    if run.issues:
        create_table_artifact(table=issue_table(run.issues), key=artifact_key("mail-issues", run.step, run.period,
                                                                                  workspace=workspace))


def _finished(run: MailRun, workspace: str) -> State[MailOutcome]:
    """Completed, or Completed named "Blocked" when the mail needs an officer (the script exits 1); the
    result is what the script prints, never the messages themselves."""
    mailed = mail_outcome(run, Path(workspace))
    return finished(len(run.attention), f"{run.step} {run.period}: {mailed.folder}", mailed)


@flow(name="send-returns", flow_run_name=run_name)
@outlives_its_worker
def send_returns_flow(workspace: str = ".", period: str = "", dry_run: bool = False) -> State[MailOutcome]:
    """Mail each lead partner its pre-filled workbook; its result names the mail folder (or the dry run's outbox)."""
    try:
        where = given_path(workspace, "workspace")
        run = send_task(where, period, dry_run)
    except ReportgenError as exc:
        return refused(exc)
    publish_mail(run, where)
    return _finished(run, workspace)


@flow(name="chase", flow_run_name=run_name)
@outlives_its_worker
def chase_flow(workspace: str = ".", period: str = "", dry_run: bool = False) -> State[MailOutcome]:
    """Remind each lead with no return (or an untouched one)."""
    try:
        where = given_path(workspace, "workspace")
        run = chase_task(where, period, dry_run)
    except ReportgenError as exc:
        return refused(exc)
    publish_mail(run, where)
    return _finished(run, workspace)


@flow(name="collect", flow_run_name=run_name)
@outlives_its_worker
def collect_flow(workspace: str = ".", period: str = "", dry_run: bool = False, from_folder: str | None = None
                 ) -> State[MailOutcome]:
    """Save, check and acknowledge the returns in the mailbox (or a folder of .eml files)."""
    try:
        where = given_path(workspace, "workspace")
        folder = given_path(from_folder, "from_folder") if from_folder else None
        run = collect_task(where, period, dry_run, folder)
    except ReportgenError as exc:
        return refused(exc)
    publish_mail(run, where)
    return _finished(run, workspace)


def collect_before_build(workspace: Path, period: str | None) -> MailRun | None:
    """The monthly flow's first step when [mail] collect_before_build is on."""
    if not load_settings(workspace).mail.collect_before_build:
        return None
    run = collect_task(workspace, period or newest_period(workspace), False)
    publish_mail(run, workspace)
    return run


def chase_after_build(workspace: Path, period: str) -> MailRun | None:
    """The monthly flow's last step when [mail] chase_after_build is on."""
    if not load_settings(workspace).mail.chase_after_build:
        return None
    run = chase_task(workspace, period, False)
    publish_mail(run, workspace)
    return run
