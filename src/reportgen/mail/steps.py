"""The three mail steps, one library function each: `send_returns`, `chase_partners`, `collect_returns`.

Each takes the workspace, the period, the credentials (read at the edge) and `dry_run`; a dry run
writes every message as an .eml file into `outputs/<period>/mail/outbox/` and sends, saves, records
and moves nothing. Each returns a `MailRun` the CLI prints and a flow publishes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from reportgen.check.checked import check_inputs, load_register, not_read_whole, sent_copies
from reportgen.errors import UsageError
from reportgen.issues import Issue, Severity, issue
from reportgen.mail import compose
from reportgen.mail.collect import (
    Collection,
    Collector,
    Handled,
    arrival,
    check_period_inputs,
    for_partner,
    scratch_folder,
)
from reportgen.mail.credentials import Credentials
from reportgen.mail.kept import Keeper, staged_folder
from reportgen.mail.ledger import Ledger, SentRecord, mail_folder, sent_ledger
from reportgen.mail.mailbox import FolderMailbox, ImapMailbox, Mailbox, check_eml_folder
from reportgen.mail.partners import addresses, no_address
from reportgen.mail.transport import FileOutbox, Outbox, Sent, SmtpOutbox, send_all
from reportgen.model import Register
from reportgen.periods import period_start
from reportgen.read.partners import workbook_names
from reportgen.read.register import check_partners
from reportgen.read.workspace import Inputs, find_inputs, list_returns
from reportgen.render.xlsx import workbook_bytes
from reportgen.run.chase import chase_list
from reportgen.run.prefill import Prefill
from reportgen.run.return_workbooks import return_workbook, workbook_date_issues
from reportgen.run.returns import read_for_workbooks
from reportgen.wording import counted, quoted

OUTBOX = "outbox"
# a step's refusal to mail anyone, for what is the officer's to mend first
REFUSALS = frozenset({"register-not-whole"})


@dataclass
class MailRun:
    """What a step did: messages sent (or written as .eml), skipped as already sent, files saved, issues."""

    step: str
    period: str
    dry_run: bool
    sent: list[compose.Outgoing] = field(default_factory=list)
    skipped: list[compose.Outgoing] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    outbox: Path | None = None  # where a dry run wrote its .eml files
    collection: Collection | None = None
    zone: str = "Europe/London"  # the time zone times are told in: the workspace's [schedule] timezone
    # the register's own issues (also in `issues`), and its file as shown: the officer is told them by `told_issues`
    register_issues: list[Issue] = field(default_factory=list)
    register_file: str = ""

    @property
    def saved(self) -> list[str]:
        return self.collection.saved if self.collection else []

    @property
    def attention(self) -> list[Issue]:
        """The blocking problems with the mail itself (not sent, refused, unreadable). Problems inside a
        partner's file are told to the partner, and block the build, not this step; but a step that refused to mail
        anyone (`REFUSALS`) needs the officer too."""
        return [i for i in self.issues if i.blocking and (i.code.startswith("mail-") or i.code in REFUSALS)]

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention)

    def absorb(self, sent: Sent) -> None:
        self.sent += sent.sent
        self.skipped += sent.skipped
        self.issues += sent.issues


def _outbox(inputs: Inputs, dry_run: bool, credentials: Credentials | None, stack: ExitStack) -> Outbox:
    if dry_run:
        return FileOutbox(mail_folder(inputs.outputs, inputs.period) / OUTBOX)
    mail = inputs.settings.mail
    return stack.enter_context(SmtpOutbox(mail, credentials, mail.tls_context(inputs.workspace)))


def _prepare(workspace: Path, period: str) -> tuple[Inputs, Register, Mapping[int, Prefill], list[Issue], list[Issue]]:
    """The inputs, register and pre-filled values of `period`, the issues met, and of those the register's own."""
    read = read_for_workbooks(workspace, period)  # a period whose replies are yet to come: no returns folder needed
    issues = [*read.kept_issues, *read.register_issues, *check_partners(read.inputs.settings, read.register),
              *read.previous_issues]
    return read.inputs, read.register, read.prefill, issues, list(read.register_issues)


def _workbook(inputs: Inputs, register: Register, prefill: Mapping[int, Prefill], lead: str) -> tuple[str, bytes]:
    """The workbook mailed to `lead` and its name: the name `reportgen returns` gives it (`workbook_names`), so the
    attachment, the copy kept of it and the file `collect` saves the partner's return as agree."""
    actions = [a for a in register.actions if lead in a.leads]
    book = return_workbook(lead, actions, prefill, inputs.period, inputs.settings, dict(register.headings))
    return workbook_names(register.leads)[0][lead], workbook_bytes(book)


def send_returns(workspace: Path, period: str, credentials: Credentials | None, dry_run: bool = False) -> MailRun:
    """Mail each lead its pre-filled workbook with the deadline and instructions (once per period)."""
    inputs, register, prefill, issues, own = _prepare(workspace, period)
    dates = workbook_date_issues(inputs.settings, inputs.period)
    run = MailRun("send-returns", inputs.period, dry_run, issues=[*dates, *issues], register_issues=own,
                  register_file=inputs.display(inputs.register))
    if refused := not_read_whole(register, "mailed"):  # none mailed: each would lack the actions not read
        run.issues += refused
        return run
    messages = []
    for lead in register.leads:
        to = addresses(inputs.settings, lead)
        if not to:
            run.issues.append(no_address(lead, "its workbook was not sent"))
            continue
        name, data = _workbook(inputs, register, prefill, lead)
        actions = [a for a in register.actions if lead in a.leads]
        messages.append(compose.workbook_request(lead, to, inputs.period, actions, name, data, inputs.settings,
                                                 prefilled=any(action.ref in prefill for action in actions)))
    if not dry_run:
        inputs.returns_dir.mkdir(parents=True, exist_ok=True)  # the period's returns go here: builds default to it
    return _send(run, inputs, messages, credentials)


def _send(run: MailRun, inputs: Inputs, messages: Sequence[compose.Outgoing],
          credentials: Credentials | None) -> MailRun:
    """Send what the ledger has not sent. Not in a dry run: each workbook mailed (a partner's, or a reminder's) is
    kept in outputs/<period>/returns, where `reportgen returns` writes them: what a return saved as CSV is judged
    against, and a sign for `chase` that the period's workbooks went out (`reportgen.mail.kept`). What an earlier
    run killed mid-send left to keep is kept first."""
    ledger = None if run.dry_run else sent_ledger(inputs.outputs, inputs.period)
    keeper = None if ledger is None else _keeper(inputs, ledger)
    with ExitStack() as stack:
        run.absorb(send_all(messages, _LazyOutbox(inputs, run.dry_run, credentials, stack), ledger, keeper))
    if keeper is not None:
        run.issues += keeper.issues
    if run.dry_run:
        run.outbox = mail_folder(inputs.outputs, inputs.period) / OUTBOX
    return run


def _keeper(inputs: Inputs, ledger: Ledger[SentRecord]) -> Keeper:
    """The keeper of the period's mailed workbooks, having kept what an earlier run left staged (`Keeper.finish`)."""
    folder = sent_copies(inputs)
    staging = staged_folder(inputs.outputs, inputs.period)
    keeper = Keeper(staging, folder, inputs.display(folder), inputs.display(staging))
    keeper.finish(ledger)
    return keeper


def chase_partners(workspace: Path, period: str, credentials: Credentials | None, dry_run: bool = False,
                   today: dt.date | None = None) -> MailRun:
    """Remind each lead that sent no return, sent its workbook back untouched, sent another period's
    workbook (not read), or sent a file that could not be read (saying which, and why), listing its actions."""
    inputs, register, prefill, issues, own = _prepare(workspace, period)
    check_chaseable(inputs)
    run = MailRun("chase", inputs.period, dry_run, issues=issues, register_issues=own,
                  register_file=inputs.display(inputs.register))
    if refused := not_read_whole(register, "reminded"):  # a reminder lists its actions, and attaches them
        run.issues += refused
        return run
    checked = check_inputs(inputs)
    day = (today or inputs.settings.schedule.today()).isoformat()  # one reminder a day, the workspace's day
    messages = []
    # the folder's own issues, as the build has them: a Word file sent in place of the return is said in its reminder
    _files, folder_issues = list_returns(inputs.returns_dir, inputs.workspace)
    for row in chase_list(checked, folder_issues, prefill=prefill):  # the build's chase list: the same rows and rule
        if row.partner not in register.leads or (row.returned and not row.sent_back_as_prefilled
                                                     and not row.made_for and not row.unusable):
            continue
        if row.misfiled:  # its return came, saved in another period's folder (`return-in-other-folder`)
            run.issues.extend(item for item in checked.issues
                              if item.code == "return-in-other-folder" and item.value == row.partner)
            continue
        if row.other_spelling:  # the register writes it another way too, and that spelling's return came
            run.issues.extend(item for item in checked.issues
                              if item.code == "missing-return" and item.value == row.partner)
            continue
        to = addresses(inputs.settings, row.partner)
        if not to:
            run.issues.append(no_address(row.partner, "it was not reminded"))
            continue
        name, data = _workbook(inputs, register, prefill, row.partner)
        actions = [a for a in register.actions if row.partner in a.leads]
        sent_back = row.file_names if row.returned or row.unusable else ""
        run.issues.extend(row.unusable)  # the officer is told why, as the partner is
        unusable = [for_partner(item, item.file, item.file.rpartition("/")[2]) for item in row.unusable]
        messages.append(compose.reminder(row.partner, to, inputs.period, actions, sent_back, day, name, data,
                                         inputs.settings, made_for=row.made_for, unusable=unusable))
    return _send(run, inputs, messages, credentials)


def check_chaseable(inputs: Inputs) -> None:
    """Refuse to chase a period nobody was asked for: one whose month has not begun, or with no sign its workbooks
    went out (no returns folder, which `send-returns` makes; no workbooks made by `reportgen returns`, to mail by
    hand). A mistyped --period mailed every partner "we have not yet received your return for June 2027" with a
    workbook they had never been sent."""
    period = inputs.period
    today = inputs.settings.schedule.today()
    if period_start(period) > today:
        raise UsageError(f"{period} has not begun (today is {today.isoformat()}): no return is due, so nobody is "
                         "chased. Check --period.")
    asked = (inputs.workspace / "inputs" / "returns" / period, inputs.outputs / period / "returns")
    if not any(folder.is_dir() for folder in asked):
        raise UsageError(f"nothing says {period}'s workbooks went out (neither inputs/returns/{period} nor "
                         f"outputs/{period}/returns is there), so nobody is chased. Check --period.")


def collect_returns(workspace: Path, period: str, credentials: Credentials | None, dry_run: bool = False,
                    from_folder: Path | None = None) -> MailRun:
    """Read the inbox (or a folder of .eml files): save, check and acknowledge each partner's return."""
    if from_folder is not None:
        check_eml_folder(from_folder)  # a mistyped folder: refused before the workspace is read
    inputs, _found = find_inputs(workspace, period, need_returns=False)  # a period whose replies are yet to come
    check_period_inputs(inputs)
    register, issues = load_register(inputs)
    run = MailRun("collect", inputs.period, dry_run, issues=issues + check_partners(inputs.settings, register),
                  zone=inputs.settings.schedule.timezone, register_issues=issues,
                  register_file=inputs.display(inputs.register))
    if not dry_run:  # a CSV return is checked against the workbooks sent: keep what a killed run left first
        run.issues += _keeper(inputs, sent_ledger(inputs.outputs, inputs.period)).issues
    settings = inputs.settings
    max_bytes = int(settings.mail.max_attachment_mb * 2**20 * 1.4) + 2**20  # base64 and the rest of the message
    with ExitStack() as stack:
        mailbox: Mailbox = (FolderMailbox(from_folder, max_bytes, read_only=dry_run) if from_folder is not None
                            else stack.enter_context(ImapMailbox(settings.mail, credentials, max_bytes,
                                                                 settings.mail.tls_context(inputs.workspace), dry_run)))
        scratch = stack.enter_context(scratch_folder(dry_run))
        outbox = _LazyOutbox(inputs, dry_run, credentials, stack)
        collection = Collector(inputs, outbox, dry_run, scratch).run(mailbox)
    run.collection = collection
    run.issues += collection.issues
    run.sent += collection.replies.sent
    run.skipped += collection.replies.skipped
    if dry_run:
        run.outbox = mail_folder(inputs.outputs, inputs.period) / OUTBOX
    return run


class _LazyOutbox:
    """Connects to the SMTP server at the first message: a run with nothing new to send needs none."""

    def __init__(self, inputs: Inputs, dry_run: bool, credentials: Credentials | None, stack: ExitStack) -> None:
        self.args = (inputs, dry_run, credentials, stack)
        self.outbox: Outbox | None = None

    def deliver(self, message: EmailMessage) -> None:
        if self.outbox is None:
            self.outbox = _outbox(*self.args)
        self.outbox.deliver(message)


def summary_lines(run: MailRun) -> list[str]:
    """What the step did, a line per message or file, for the terminal and the flow's artifact."""
    verb = "written as .eml (dry run)" if run.dry_run else "sent"
    lines = [f"{run.step} {run.period}: {counted(len(run.sent), 'message')} {verb}, {len(run.skipped)} already sent"
             + (f", {counted(len(run.saved), 'return')} {'to save' if run.dry_run else 'saved'}"
               if run.collection is not None else "")]
    for m in run.sent:
        lines.append(f"  {verb}: {m.kind} to {m.partner} ({m.message['To']}): {m.message['Subject']}")
        lines += [f"    why: {m.reason}"] if m.reason else []
    lines += [f"  already sent: {m.kind} to {m.partner}" for m in run.skipped]
    if run.collection is not None:
        for handled in run.collection.handled:
            record = handled.record
            where = f" -> {record.file}" if record.file else ""
            outcome = "would be saved" if run.dry_run and record.outcome == "saved" else record.outcome
            when = f", sent {arrival(record.date, run.zone)}" if record.date else ""
            if record.received and (not record.date or arrival(record.received, run.zone)
                                    != arrival(record.date, run.zone)):
                # a sender's clock can be wrong: ours decides
                when += f", received {arrival(record.received, run.zone)}"
            lines.append(f"  {outcome}: {_message_said(handled)}{when}{where}")
    return lines


def _message_said(handled: Handled) -> str:
    """Who sent a message and its subject; a file with no sender to name (empty, or no email) by its name, as its
    issue says it ("mail 'WCC late reply.eml'"), never as '?' ''."""
    record = handled.record
    if not record.sender and not record.subject:
        return next((item.file for item in handled.issues if item.file), "?")
    return f"{record.sender or '?'} {quoted(record.subject)}"


@dataclass(frozen=True)
class MailOutcome:
    """What a step tells the person who ran it: the lines to print, the issues, the folder written, and
    how many problems need an officer (exit 1). Small, without the messages or their attachments, so a
    mail flow returns it as its result and its script prints exactly what `reportgen` prints."""

    lines: tuple[str, ...]
    issues: tuple[Issue, ...]
    folder: Path  # the dry run's outbox, else outputs/<period>/mail
    blocking: int  # problems with the mail itself that need an officer (`MailRun.attention`)


def told_issues(run: MailRun) -> list[Issue]:
    """The issues as the officer is told them, at the terminal and in a deployment's log: the register's own
    warnings and notes are counted in one note, not listed (`validate` and `build` list them; repeated at each
    chase they buried what the step had to say); its errors are each told, as everywhere, for each needs mending
    and may leave an action out of its partner's workbook. Every issue stays in `run.issues` and the flow's table."""
    counted_only = [item for item in run.register_issues if not item.blocking]
    if not counted_only:
        return list(run.issues)
    kinds = [counted(n, noun) for severity, noun in ((Severity.WARNING, "warning"), (Severity.INFO, "note"))
             if (n := sum(1 for item in counted_only if item.severity is severity))]
    note = issue("register-issues-not-listed", counted=" and ".join(kinds), file=run.register_file)
    return [*_without(run.issues, counted_only), note]


def _without(issues: Sequence[Issue], left_out: Sequence[Issue]) -> list[Issue]:
    """`issues` less those of `left_out`, told apart by value (an issue is a frozen value: a copy made with
    `dataclasses.replace` on the way is still the same issue), each left out as many times as it is there."""
    to_leave = Counter(left_out)
    kept = []
    for item in issues:
        if to_leave[item]:
            to_leave[item] -= 1
        else:
            kept.append(item)
    return kept


def mail_outcome(run: MailRun, workspace: Path) -> MailOutcome:
    folder = run.outbox or mail_folder(workspace / "outputs", run.period)
    return MailOutcome(tuple(summary_lines(run)), tuple(told_issues(run)), folder, len(run.attention))
