"""A partner's address in a From line is not proof: with `[mail] authserv_id`, collect takes a return
only from a message our own mail server says passed DMARC (Authentication-Results, RFC 8601). The
journey runs on a real IMAP server (Dovecot) and SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import cast

import pytest

from mail_helpers import ADDRESS, GOOD_OPCC, OPCC, PERIOD, POLICE, env, mail_workspace, reply, workbook
from mailservers import Dovecot
from reportgen.issues import flatten
from reportgen.mail.authenticity import unverified
from reportgen.mail.credentials import credentials_from_env
from reportgen.mail.ledger import received_ledger
from reportgen.mail.steps import collect_returns, mail_outcome

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

OURS = "mx.wessex-pcc.example.org"
SENDER = "strategy@wessex-pcc.example.org"


def message(*results: str, sender: str = SENDER) -> EmailMessage:
    raw = reply(sender, [])
    headers = b"".join(b"Authentication-Results: " + r.encode() + b"\n" for r in results)
    return cast(EmailMessage, message_from_bytes(headers + raw, policy=policy.default))


@pytest.mark.parametrize(("results", "passes"), [
    ([f"{OURS}; dmarc=pass (p=reject) header.from=wessex-pcc.example.org"], True),
    ([f"{OURS.upper()} 1; spf=pass smtp.mailfrom={SENDER}; dkim=none; dmarc=pass header.from=wessex-pcc.example.org"],
     True),
    ([f"{OURS}; spf=pass (sender IP is 192.0.2.1) smtp.mailfrom={SENDER}"], True),  # no DMARC: SPF for it
    ([f"{OURS}; dkim=pass header.d=wessex-pcc.example.org header.s=selector1"], True),
    ([], False),
    ([f"{OURS}; dmarc=fail action=quarantine header.from=wessex-pcc.example.org"], False),
    ([f"{OURS}; dmarc=pass header.from=elsewhere.example.org"], False),  # DMARC for another From domain
    ([f"{OURS}; dkim=pass header.d=tenant.onmicrosoft.example"], False),  # signed, by another domain
    ([f"{OURS}; spf=pass smtp.mailfrom=bounce@bulk.example.net"], False),
    ([f"{OURS}; spf=softfail smtp.mailfrom={SENDER}"], False),
    # written by the sender before sending: another server's id proves nothing
    (["forged.example; dmarc=pass header.from=wessex-pcc.example.org", f"{OURS}; dmarc=fail"], False),
    (["forged.example; dmarc=pass header.from=wessex-pcc.example.org"], False),
    ([f"{OURS}; ===; dmarc", f"{OURS}", "; ;", "(only a comment)"], False),  # malformed: no traceback
])
def test_only_our_servers_pass_for_the_from_domain_counts(results: list[str], passes: bool) -> None:
    why = unverified(message(*results), OURS)
    assert (why == "") is passes, why


def test_a_spoofed_return_is_never_saved_nor_answered(tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port,
                          extra=f'authserv_id = "{OURS}"')
    genuine = f"{OURS}; spf=pass smtp.mailfrom={SENDER}; dkim=pass header.d=wessex-pcc.example.org; " \
              "dmarc=pass header.from=wessex-pcc.example.org"
    spoofed = "forged.example; dmarc=pass header.from=wessex-police.example.org"
    dovecot.append(b"Authentication-Results: " + genuine.encode() + b"\n"
                   + reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))], message_id="<real@opcc>"))
    dovecot.append(b"Authentication-Results: " + spoofed.encode() + b"\n"
                   + reply(ADDRESS[POLICE], [("police.xlsx", workbook(GOOD_OPCC))], message_id="<fake@police>"))
    run = collect_returns(root, PERIOD, credentials_from_env(env()))

    folder = root / "inputs" / "returns" / PERIOD
    assert sorted(p.name for p in folder.iterdir()) == ["opcc.xlsx"]
    [problem] = [i for i in run.issues if i.code == "mail-unverified-sender"]
    assert problem.blocking and "Wessex Police" in problem.message
    assert "no Authentication-Results from" in problem.message
    assert flatten([problem], ["file"]) == [[
        f"mail from '{ADDRESS[POLICE]}', sent 22 October 2026 at 11:00 BST: 'Re: Return [reportgen {PERIOD}]'"]]
    assert [str(m["To"]) for m in captured.parsed()] == [ADDRESS[OPCC]]  # the police are not answered
    assert dovecot.count("reportgen.rejected") == 1 and dovecot.count("reportgen.processed") == 1
    outcomes = {r.message_id: r.outcome for r in received_ledger(root / "outputs", PERIOD).values()}
    assert outcomes == {"<real@opcc>": "saved", "<fake@police>": "unverified"}
    assert mail_outcome(run, root).blocking == 1  # the command exits 1: an officer should look
