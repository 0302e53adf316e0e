"""Reading returns: an IMAP mailbox (none, STARTTLS or TLS; LOGIN or XOAUTH2), or a folder of .eml files.

A mailbox lists the messages in its inbox, gives each one's bytes (or only its headers when it is
bigger than `max_bytes`: an oversized message is never downloaded whole), and moves a message to a
folder once it is dealt with. A read-only mailbox (a dry run) moves nothing.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
import re
import shutil
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Protocol

from reportgen.errors import ReportgenError, UsageError
from reportgen.mail.credentials import Credentials, refuse_cleartext
from reportgen.settings import MailSettings
from reportgen.wording import quoted

log = logging.getLogger(__name__)
TIMEOUT = 60


@dataclass(frozen=True)
class Incoming:
    uid: str
    size: int
    raw: bytes  # the whole message, or only its headers when `whole` is False
    whole: bool = True
    received: str = ""  # when the mail server received it (ISO, UTC), as the mailbox says; "" when it does not


class Mailbox(Protocol):
    def messages(self) -> Iterator[Incoming]: ...

    def move(self, uid: str, folder: str) -> None: ...


class FolderMailbox:
    """Messages saved as .eml files in a folder (e.g. dragged out of Outlook): "moving" one puts it in a
    subfolder named after the target folder."""

    def __init__(self, folder: Path, max_bytes: int, read_only: bool = False) -> None:
        check_eml_folder(folder)
        self.folder = folder
        self.max_bytes = max_bytes
        self.read_only = read_only

    def messages(self) -> Iterator[Incoming]:
        for path in sorted(self.folder.glob("*.eml")):
            if path.is_symlink() or not path.is_file():
                continue
            size = path.stat().st_size
            with path.open("rb") as stream:
                raw = stream.read(self.max_bytes + 1) if size <= self.max_bytes else _headers(stream)
            yield Incoming(path.name, size, raw, size <= self.max_bytes)

    def move(self, uid: str, folder: str) -> None:
        if self.read_only:
            return
        target = self.folder / re.sub(r"[^A-Za-z0-9._-]+", "-", folder).strip("-.")
        target.mkdir(parents=True, exist_ok=True)
        shutil.move(str(self.folder / uid), str(target / uid))


def check_eml_folder(folder: Path) -> None:
    """A folder given to read .eml messages from that is not there is wrong usage (exit 2), said before any work,
    as a mistyped path is for every command; an existing folder with no .eml messages in it is read as it is."""
    if not folder.exists() and not folder.is_symlink():
        raise UsageError(f"{folder} does not exist: give --from-folder the folder the .eml messages were saved in")
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder of .eml messages")


def _headers(stream: BinaryIO) -> bytes:
    """The header block of an oversized message file, read in chunks (at most 256 KiB)."""
    data = b""
    while b"\r\n\r\n" not in data and b"\n\n" not in data and len(data) < 256 * 1024:
        chunk = stream.read(8192)
        if not chunk:
            break
        data += chunk
    return re.split(rb"\r?\n\r?\n", data, maxsplit=1)[0] + b"\r\n\r\n"


class ImapMailbox:
    """The [mail] IMAP inbox. Use as a context manager: it logs in on entry and out on exit."""

    def __init__(self, settings: MailSettings, credentials: Credentials | None, max_bytes: int,
                 tls: ssl.SSLContext, read_only: bool = False) -> None:
        if not settings.imap.host:
            raise ReportgenError("[mail] needs imap.host to collect returns (or give --from-folder)")
        if credentials is None:
            raise ReportgenError("collecting needs a mailbox login: set REPORTGEN_MAIL_USER and "
                                 "REPORTGEN_MAIL_PASSWORD (or REPORTGEN_MAIL_OAUTH_TOKEN) in the environment "
                                 "of the command, or, for a flow, of the Prefect worker or `reportgen serve` "
                                 "that runs it (a flow can take the password from [mail] secret_block)")
        self.settings = settings
        self.credentials = credentials
        self.tls = tls
        self.max_bytes = max_bytes
        self.read_only = read_only
        self.connection: imaplib.IMAP4 | None = None
        self.created: set[str] = set()
        self.capabilities: set[str] = set()
        self.delimiter = "/"

    def __enter__(self) -> ImapMailbox:
        server, port = self.settings.imap, self.settings.port("imap")
        refuse_cleartext("imap", server.host, server.tls)
        try:
            if server.tls == "tls":
                connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(server.host, port, timeout=TIMEOUT,
                                                              ssl_context=self.tls)
            else:
                connection = imaplib.IMAP4(server.host, port, timeout=TIMEOUT)
                if server.tls == "starttls":
                    connection.starttls(ssl_context=self.tls)
        except (imaplib.IMAP4.error, OSError) as exc:
            raise ReportgenError(f"cannot reach the IMAP server {server.host}:{port} ({server.tls}): {exc}") from exc
        try:
            if self.credentials.auth == "xoauth2":
                connection.authenticate("XOAUTH2", lambda _challenge: self.credentials.xoauth2())
            else:
                connection.login(self.credentials.user, self.credentials.secret)
            status, _ = connection.select(_quote(self.settings.folders.inbox), readonly=self.read_only)
        except imaplib.IMAP4.error as exc:
            connection.logout()
            raise ReportgenError(f"the IMAP server {server.host}:{port} refused {self.credentials.user}: "
                                 f"{exc}") from exc
        if status != "OK":
            connection.logout()
            raise ReportgenError(f"no mailbox folder {quoted(self.settings.folders.inbox)} on {server.host}")
        # what the server offers once logged in (imaplib keeps only the greeting's list)
        _status, listed = connection.capability()
        self.capabilities = set(listed[0].decode().upper().split()) if listed and listed[0] else set()
        self.delimiter = _delimiter(connection)
        self.connection = connection
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.connection is not None:
            try:
                if not self.read_only:
                    self.connection.close()  # expunges what was moved away
                self.connection.logout()
            except (imaplib.IMAP4.error, OSError):
                pass

    def _imap(self) -> imaplib.IMAP4:
        if self.connection is None:
            raise ReportgenError("the mailbox is used outside its `with` block")
        return self.connection

    def _command(self, *args: str) -> list[object]:
        status, data = self._imap().uid(*args)
        if status != "OK":
            raise ReportgenError(f"the IMAP server answered {status} to UID {args[0]}: {data!r}")
        return list(data)

    def messages(self) -> Iterator[Incoming]:
        found = self._command("SEARCH", "ALL")
        first = found[0] if found else b""
        uids = first.split() if isinstance(first, bytes) else []
        for uid in (u.decode() for u in uids):
            facts = self._command("FETCH", uid, "(RFC822.SIZE INTERNALDATE)")
            size = _size(facts)
            whole = size <= self.max_bytes
            part = "BODY.PEEK[]" if whole else "BODY.PEEK[HEADER]"
            yield Incoming(uid, size, _body(self._command("FETCH", uid, f"({part})")), whole, _internal_date(facts))

    def move(self, uid: str, folder: str) -> None:
        if self.read_only:
            return
        imap = self._imap()
        folder = folder.replace("/", self.delimiter)  # settings write "a/b"; Dovecot's maildir says "a.b"
        if folder not in self.created:
            imap.create(_quote(folder))  # "already exists" is answered NO: nothing to do
            self.created.add(folder)
        if "MOVE" in self.capabilities:
            self._command("MOVE", uid, _quote(folder))
        else:
            self._command("COPY", uid, _quote(folder))
            self._command("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")


def _delimiter(connection: imaplib.IMAP4) -> str:
    """The server's folder hierarchy separator, from LIST "" "" (RFC 3501 6.3.8); "/" if it gives none."""
    status, data = connection.list('""', '""')
    first = data[0] if status == "OK" and data else None
    match = re.search(rb'\) "(.)"', first) if isinstance(first, bytes) else None
    return match.group(1).decode() if match else "/"


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _size(data: list[object]) -> int:
    for item in data:
        text = item.decode() if isinstance(item, bytes) else str(item)
        match = re.search(r"RFC822\.SIZE (\d+)", text)
        if match:
            return int(match.group(1))
    raise ReportgenError(f"the IMAP server gave no message size: {data!r}")


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _internal_date(data: list[object]) -> str:
    """The message's INTERNALDATE (RFC 3501: when the server received it, kept when it is moved) as ISO UTC;
    "" when the server gave none it can read."""
    for item in data:
        text = item.decode(errors="replace") if isinstance(item, bytes) else str(item)
        match = re.search(r'INTERNALDATE "\s?(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"', text)
        if match is None or match.group(2).title() not in MONTHS:
            continue
        day, month, year, hour, minute, second, sign, zone_hours, zone_minutes = match.groups()
        offset = dt.timedelta(hours=int(zone_hours), minutes=int(zone_minutes)) * (-1 if sign == "-" else 1)
        try:
            when = dt.datetime(int(year), MONTHS.index(month.title()) + 1, int(day), int(hour), int(minute),
                               int(second), tzinfo=dt.timezone(offset))
        except ValueError:
            continue
        return when.astimezone(dt.UTC).isoformat()
    return ""


def _body(data: list[object]) -> bytes:
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    raise ReportgenError("the IMAP server gave no message body")
