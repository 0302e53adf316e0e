"""STARTTLS and TLS from the first byte, on both servers (aiosmtpd and Dovecot with a self-signed
certificate for 127.0.0.1): certificates are verified, against [mail] ca_file when given."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from mail_helpers import ADDRESS, GOOD_OPCC, OPCC, PERIOD, env, mail_toml, reply, workbook
from mailservers import Captured, Dovecot, certificate, smtp_server
from reportgen.errors import ReportgenError
from reportgen.mail.credentials import credentials_from_env
from reportgen.mail.steps import collect_returns, send_returns

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@pytest.fixture(params=["starttls", "tls"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def tls_smtp(mode: str) -> Iterator[tuple[int, Captured]]:
    captured = Captured()
    controller = smtp_server(captured, tls=mode)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        controller.start()
    try:
        yield controller.port, captured
    finally:
        controller.stop()


def workspace(root: Path, mode: str, smtp_port: int, dovecot: Dovecot, trusted: bool) -> Path:
    from conftest import make_workspace

    imap_port = dovecot.port if mode == "starttls" else dovecot.tls_port
    toml = mail_toml(smtp_port, imap_port).replace('tls = "none"', f'tls = "{mode}"')
    if trusted:
        root.mkdir(parents=True)
        shutil.copy(certificate()[0], root / "mail-ca.pem")
        toml = toml.replace("[mail]\n", '[mail]\nca_file = "mail-ca.pem"\n')
    return make_workspace(root, period=PERIOD, returns={}, toml=toml)


def test_send_and_collect_over_tls(tmp_path: Path, mode: str, tls_smtp: tuple[int, Captured],
                                   dovecot: Dovecot) -> None:
    port, captured = tls_smtp
    root = workspace(tmp_path / "ws", mode, port, dovecot, trusted=True)
    credentials = credentials_from_env(env())
    assert len(send_returns(root, PERIOD, credentials).sent) == 3
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))]))
    assert collect_returns(root, PERIOD, credentials).saved == [f"inputs/returns/{PERIOD}/opcc.xlsx"]
    assert len(captured.messages) == 4


def test_an_untrusted_certificate_is_refused(tmp_path: Path, mode: str, tls_smtp: tuple[int, Captured],
                                             dovecot: Dovecot) -> None:
    port, captured = tls_smtp
    root = workspace(tmp_path / "ws", mode, port, dovecot, trusted=False)
    credentials = credentials_from_env(env())
    with pytest.raises(ReportgenError, match="CERTIFICATE_VERIFY_FAILED"):
        send_returns(root, PERIOD, credentials)
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))]))
    with pytest.raises(ReportgenError, match="CERTIFICATE_VERIFY_FAILED"):
        collect_returns(root, PERIOD, credentials)
    assert captured.messages == [] and dovecot.count("INBOX") == 1
