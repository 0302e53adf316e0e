"""Real mail servers on 127.0.0.1 for the mail tests: aiosmtpd (SMTP, capturing what is sent, with
LOGIN/PLAIN and XOAUTH2 logins) and Dovecot from Debian (IMAP) run as a foreground process with a
throwaway configuration, users file and maildir in a temporary folder; its XOAUTH2 logins are checked
by Dovecot's oauth2 passdb against a small token introspection endpoint served here.
"""

from __future__ import annotations

import base64
import email
import email.utils
import functools
import imaplib
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD, TOKEN = "officer@wessex-pcc.example.org", "correct horse", "ya29.test-access-token"


@functools.cache
def certificate() -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert.pem, key.pem) in a folder Dovecot can read."""
    folder = Path(tempfile.mkdtemp(prefix="reportgen-tls-"))
    os.chmod(folder, 0o755)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def tls_context() -> ssl.SSLContext:
    cert, key = certificate()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Captured:
    """What the SMTP server received: the envelope and the parsed message, in order."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (mechanism, user)
    # called with each message once received, before the server answers it: a test's hook (a sender killed while
    # waiting for the answer); what it returns, if anything, is the server's answer ("552 5.2.2 Mailbox full")
    on_message: Callable[[EmailMessage], str | None] | None = None

    def parsed(self) -> list[EmailMessage]:
        return [message for _to, message in self.messages]

    def clear(self) -> None:
        self.messages.clear()
        self.logins.clear()


class _Handler:
    def __init__(self, captured: Captured) -> None:
        self.captured = captured

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.captured.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        answer = self.captured.on_message(message) if self.captured.on_message is not None else None  # type: ignore[arg-type]
        return answer or "250 Message accepted for delivery"

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:
        response = base64.b64decode(args[1]) if len(args) > 1 else b""
        fields = dict(part.split("=", 1) for part in response.decode().split("\x01") if "=" in part)
        if fields.get("user") == USER and fields.get("auth") == f"Bearer {TOKEN}":
            self.captured.logins.append(("XOAUTH2", USER))
            return AuthResult(success=True)
        # as Microsoft 365 and Gmail do: a 334 challenge holding a JSON error, then 535 once answered
        await server.challenge_auth('{"status":"401","schemes":"bearer","scope":"https://mail/"}')
        return AuthResult(success=False, handled=False, message="535 5.7.8 Authentication unsuccessful")


def smtp_server(captured: Captured, tls: str = "none") -> Controller:
    """tls "none", "starttls" (STARTTLS offered on a plain port) or "tls" (TLS from the first byte)."""
    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword) and data.login.decode() == USER and data.password.decode() == PASSWORD:
            captured.logins.append((mechanism, USER))
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    options: dict[str, Any] = {}
    if tls == "starttls":
        options["tls_context"] = tls_context()
    elif tls == "tls":
        options["ssl_context"] = tls_context()
    return Controller(_Handler(captured), hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                      auth_require_tls=tls == "starttls", auth_required=True, **options)


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Captured]]:
    captured = Captured()
    controller = smtp_server(captured)
    with warnings.catch_warnings():  # "AUTH without TLS": on 127.0.0.1 in a test, that is the point
        warnings.simplefilter("ignore", UserWarning)
        controller.start()
    try:
        yield controller, captured
    finally:
        controller.stop()


DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = reportgen-test-{port}
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
mail_location = maildir:{root}/mail/%u/Maildir
first_valid_uid = 0
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


OAUTH2_CONF = """\
introspection_mode = post
introspection_url = http://127.0.0.1:{port}/introspect
username_attribute = username
active_attribute = active
active_value = true
"""


class _Introspection(BaseHTTPRequestHandler):
    """The OAuth2 token introspection endpoint (RFC 7662) Dovecot's oauth2 passdb asks about a token."""

    def do_POST(self) -> None:
        form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        active = form.get("token", [""])[0] == TOKEN
        answer = json.dumps({"active": True, "username": USER} if active else {"active": False}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Dovecot:
    port: int  # IMAP, STARTTLS offered
    root: Path
    tls_port: int = 0  # IMAP over TLS from the first byte

    def connect(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        connection.login(USER, PASSWORD)
        return connection

    def append(self, message: bytes, folder: str = "INBOX", received: str | None = None) -> None:
        """The message delivered to `folder`, received by the server at `received` (an RFC 5322 date; by
        default its own Date header, as if it came at once; none: now)."""
        when = received or email.message_from_bytes(message, policy=policy.default).get("Date")
        connection = self.connect()
        try:
            status, data = connection.append(folder, None, _internal_date(str(when)) if when else None, message)
            assert status == "OK", data
        finally:
            connection.logout()

    def count(self, folder: str) -> int:
        connection = self.connect()
        try:
            status, data = connection.select(f'"{folder}"', readonly=True)
            return int(data[0] or 0) if status == "OK" else 0
        finally:
            connection.logout()


def _internal_date(date: str) -> str:
    """An RFC 5322 date as IMAP's APPEND takes a message's INTERNALDATE."""
    return imaplib.Time2Internaldate(email.utils.parsedate_to_datetime(date))


def _identities() -> dict[str, object]:
    if os.getuid() == 0:  # Dovecot will not run its login or mail processes as root
        import pwd

        nobody = pwd.getpwnam("nobody")
        return {"login_user": "dovenull", "internal_user": "dovecot", "internal_group": "dovecot",
                "uid": nobody.pw_uid, "gid": nobody.pw_gid}
    import grp
    import pwd

    me = pwd.getpwuid(os.getuid())
    return {"login_user": me.pw_name, "internal_user": me.pw_name,
            "internal_group": grp.getgrgid(os.getgid()).gr_name, "uid": os.getuid(), "gid": os.getgid()}


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
    if binary is None:
        pytest.fail("dovecot is not installed: run scripts/install-system-deps.sh (dovecot-imapd)")
    # not under pytest's tmp_path: its folders are 0700, and Dovecot's own users must reach the files
    with tempfile.TemporaryDirectory(prefix="reportgen-dovecot-") as folder:
        root = Path(folder)
        os.chmod(root, 0o755)
        yield from _run_dovecot(binary, root)


def _run_dovecot(binary: str, root: Path) -> Iterator[Dovecot]:
    introspection = ThreadingHTTPServer(("127.0.0.1", 0), _Introspection)
    thread = threading.Thread(target=introspection.serve_forever, daemon=True)
    thread.start()
    try:
        (root / "oauth2.conf.ext").write_text(OAUTH2_CONF.format(port=introspection.server_address[1]),
                                              encoding="utf-8")
        yield from _dovecot_process(binary, root)
    finally:
        introspection.shutdown()
        introspection.server_close()


def _dovecot_process(binary: str, root: Path) -> Iterator[Dovecot]:
    ids = _identities()
    for name in ("run", "state", "mail"):
        (root / name).mkdir()
    if os.getuid() == 0:
        os.chown(root / "mail", int(ids["uid"]), int(ids["gid"]))  # type: ignore[call-overload]
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n", encoding="utf-8")
    port = free_port()
    cert, key = certificate()
    tls_port = free_port()
    (root / "dovecot.conf").write_text(DOVECOT_CONF.format(root=root, port=port, tls_port=tls_port, cert=cert,
                                                           key=key, **ids), encoding="utf-8")
    process = subprocess.Popen([binary, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    try:
        _wait_for(port, process, root)
        yield Dovecot(port, root, tls_port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(port: int, process: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            pytest.fail(f"dovecot exited ({process.returncode}): {output}\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"dovecot did not answer on port {port} within 30 s")
