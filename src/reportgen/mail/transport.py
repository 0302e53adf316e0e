"""Sending: over SMTP (none, STARTTLS or TLS; LOGIN or XOAUTH2), or into .eml files for a dry run.

`send_all` is the only way a message leaves: it consults and updates the sent ledger around each
message, so a key already sent is never sent again, and a message being sent when a run was killed is
reported instead of sent twice.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Protocol

from reportgen.errors import ReportgenError
from reportgen.files import write_atomically
from reportgen.issues import Issue, issue
from reportgen.mail.compose import Outgoing
from reportgen.mail.credentials import Credentials, refuse_cleartext
from reportgen.mail.kept import Keeper
from reportgen.mail.ledger import Ledger, SentRecord, mark, now_utc
from reportgen.read.partners import plain_letters
from reportgen.settings import MailSettings

log = logging.getLogger(__name__)
TIMEOUT = 60  # seconds: a mail server that stops answering fails the step, and the flow retries it


class Outbox(Protocol):
    def deliver(self, message: EmailMessage) -> None: ...


class FileOutbox:
    """A dry run: each message becomes `<folder>/<key>.eml`, for an officer to open in a mail program."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []

    def deliver(self, message: EmailMessage) -> None:
        """Keys that make one file name (the workbooks of 'Fire & Rescue' and 'Fire Rescue') are each kept:
        the second is `<name>-2.eml`, never written over the first of the run."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = eml_name(str(message['X-Reportgen-Key']))
        path, number = self.folder / f"{name}.eml", 2
        while path in self.written:
            path, number = self.folder / f"{name}-{number}.eml", number + 1
        write_atomically(path, bytes(message))
        self.written.append(path)


def eml_name(key: str) -> str:
    """A message's file name from its key ('workbook-2026-11-Tŷ Diogel' -> 'workbook-2026-11-Ty-Diogel'): each
    letter of the lead's name plain, as its workbook's name has it (`plain_letters`), none dropped."""
    return re.sub(r"[^A-Za-z0-9]+", "-", plain_letters(key)).strip("-")[:120]


class SmtpOutbox:
    """One SMTP connection, opened at the first message and closed at the end of the `with` block."""

    def __init__(self, settings: MailSettings, credentials: Credentials | None, tls: ssl.SSLContext) -> None:
        if not settings.smtp.host or not settings.from_address:
            raise ReportgenError("[mail] needs smtp.host and from_address to send; or use --dry-run")
        self.settings = settings
        self.credentials = credentials
        self.tls = tls
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpOutbox:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()

    def _connect(self) -> smtplib.SMTP:
        server, port = self.settings.smtp, self.settings.port("smtp")
        if self.credentials is not None:
            refuse_cleartext("smtp", server.host, server.tls)
        try:
            if server.tls == "tls":
                connection: smtplib.SMTP = smtplib.SMTP_SSL(server.host, port, timeout=TIMEOUT, context=self.tls)
            else:
                connection = smtplib.SMTP(server.host, port, timeout=TIMEOUT)
                if server.tls == "starttls":
                    connection.starttls(context=self.tls)
            if self.credentials is not None:
                _smtp_login(connection, self.credentials)
        except smtplib.SMTPAuthenticationError as exc:
            raise ReportgenError(f"the SMTP server {server.host}:{port} refused the login for "
                                 f"{self.credentials.user if self.credentials else '?'}: {_reply(exc)}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ReportgenError(f"cannot send through {server.host}:{port} ({server.tls}): {exc}") from exc
        return connection

    def deliver(self, message: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._connect()
        self.connection.send_message(message)


def _smtp_login(connection: smtplib.SMTP, credentials: Credentials) -> None:
    connection.ehlo_or_helo_if_needed()
    if credentials.auth == "xoauth2":
        # on failure the server sends a 334 challenge with details; answering it empty gets the 535
        connection.auth("XOAUTH2", lambda challenge=None: "" if challenge else credentials.xoauth2().decode(),
                        initial_response_ok=True)
    else:
        connection.login(credentials.user, credentials.secret)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}"


@dataclass
class Sent:
    """What `send_all` did: keys sent (or written as .eml), skipped as already sent, and issues."""

    sent: list[Outgoing] = field(default_factory=list)
    skipped: list[Outgoing] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def send_all(messages: Sequence[Outgoing], outbox: Outbox, ledger: Ledger[SentRecord] | None,
             keeper: Keeper | None = None) -> Sent:
    """Send each message whose key the ledger has not sent; `ledger=None` for a dry run (nothing recorded).
    With a `keeper`, the workbook a message attaches is staged before the ledger says "sending", and kept once it
    says "sent" (`reportgen.mail.kept`): a run killed between the two leaves it for the next run to keep."""
    done = Sent()
    for outgoing in messages:
        previous = ledger.get(outgoing.key) if ledger is not None else None
        if previous is not None and previous.state == "sent":
            done.skipped.append(outgoing)
            continue
        if previous is not None and previous.state == "sending":
            done.issues.append(issue("mail-uncertain", kind=outgoing.kind, partner=outgoing.partner,
                                     subject=previous.subject, time=previous.time, file=_sent_csv(ledger),
                                     value=outgoing.key))
            done.skipped.append(outgoing)
            continue
        message = outgoing.message
        record = SentRecord(outgoing.key, "sending", outgoing.kind, outgoing.partner, str(message["To"]),
                            str(message["Subject"]), str(message["Message-ID"]), now_utc())
        if ledger is None:
            del message["X-Reportgen-Key"]
            message["X-Reportgen-Key"] = outgoing.key
            outbox.deliver(message)
            done.sent.append(outgoing)
            continue
        if keeper is not None:
            keeper.stage(outgoing)
        ledger.put(record)
        try:
            outbox.deliver(message)
        except (smtplib.SMTPException, OSError, ReportgenError) as exc:
            detail = _reply(exc) if isinstance(exc, smtplib.SMTPResponseException) else str(exc)
            ledger.put(mark(record, "failed", detail))
            if keeper is not None:
                keeper.failed(outgoing)
            done.issues.append(issue("mail-send-failed", kind=outgoing.kind, partner=outgoing.partner, to=record.to,
                                     detail=detail, file=_sent_csv(ledger), value=outgoing.key))
            if isinstance(exc, ReportgenError):
                raise  # no connection at all: the rest would fail the same way
            continue
        sent = mark(record, "sent")
        ledger.put(sent)
        log.info("sent %s to %s", outgoing.key, record.to)
        if keeper is not None:
            keeper.sent(outgoing, sent)
        done.sent.append(outgoing)
    return done


def _sent_csv(ledger: Ledger[SentRecord] | None) -> str:
    return ledger.display if ledger is not None else ""
