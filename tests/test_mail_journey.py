"""The month by email, end to end, against real servers on 127.0.0.1 (aiosmtpd and Dovecot): send the
workbooks, partners reply (one with an error, one late, one never), collect saves and acknowledges,
the build uses the returns, chase reminds only the silent partner, and a second run of every step
sends and saves nothing new."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from mail_helpers import ADDRESS, CJB, OPCC, PERIOD, POLICE, attachment, env, filled, mail_workspace, reply
from mailservers import Dovecot
from reportgen.mail.credentials import credentials_from_env
from reportgen.mail.steps import chase_partners, collect_returns, send_returns
from reportgen.run.build import build_draft

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


def body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def answer(request: EmailMessage, workbook: bytes, date: str) -> bytes:
    """The partner presses Reply, attaches its filled-in workbook and sends."""
    return reply(str(request["To"]), [(attachment(request)[0], workbook)], subject=f"RE: {request['Subject']}",
                 date=date)


def test_the_month_by_email(tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    credentials = credentials_from_env(env())

    sent = send_returns(root, PERIOD, credentials)
    assert [m.partner for m in sent.sent] == [POLICE, OPCC, CJB]
    requests = {str(to[0]): message for to, message in captured.messages}
    captured.clear()

    opcc_request, police_request = requests[ADDRESS[OPCC]], requests[ADDRESS[POLICE]]
    # OPCC, on time, with a status nobody recognises for action 4 (row 3 of its workbook)
    opcc_book = filled(attachment(opcc_request)[1], {2: "Completed", 4: "Nearly done", 6: "On hold"})
    dovecot.append(answer(opcc_request, opcc_book, "Wed, 21 Oct 2026 09:12:00 +0100"))
    # Wessex Police, clean but three days late; the Criminal Justice Board never replies
    police_book = filled(attachment(police_request)[1], {1: "In progress", 3: "Completed"})
    dovecot.append(answer(police_request, police_book, "Tue, 27 Oct 2026 16:40:00 +0000"))

    collected = collect_returns(root, PERIOD, credentials)
    assert sorted(collected.saved) == [f"inputs/returns/{PERIOD}/opcc.xlsx",
                                       f"inputs/returns/{PERIOD}/wessex-police.xlsx"]
    [late] = [i for i in collected.issues if i.code == "mail-late"]
    assert (late.value, late.message) == ("2026-10-27T16:40:00+00:00", (
        f"Wessex Police's return inputs/returns/{PERIOD}/wessex-police.xlsx reached our mail server on 27 October "
        "2026 at 16:40 GMT, after the deadline (24 October 2026)."))  # a date as people write it; the record: ISO
    acks = {str(message["To"]): message for message in captured.parsed()}
    assert set(acks) == {ADDRESS[OPCC], ADDRESS[POLICE]}
    opcc_ack = body(acks[ADDRESS[OPCC]])
    assert "Sheet 'Return', row 3, column 'Status this reporting period'" in opcc_ack
    assert "'Nearly done' is not recognised" in opcc_ack and "What to do: Choose Completed" in opcc_ack
    assert acks[ADDRESS[OPCC]]["In-Reply-To"] and str(acks[ADDRESS[OPCC]]["Subject"]).startswith("RE: Return")
    police_ack = body(acks[ADDRESS[POLICE]])
    assert "after the deadline (24 October 2026)" in police_ack and "found nothing to correct" in police_ack
    assert dovecot.count("INBOX") == 0 and dovecot.count("reportgen.processed") == 2
    captured.clear()

    draft = build_draft(root, PERIOD)
    statuses = {row.ref: row.status for row in draft.paper.rows}
    assert statuses[1] == "In progress" and statuses[3] == "Completed"  # the police's late return is used
    assert statuses[2] == "Completed" and statuses[6] == "On hold" and statuses[4] is None  # OPCC's, row 3 flagged
    assert [(i.code, i.row, i.column) for i in draft.issues if i.code == "unknown-status"] == [
        ("unknown-status", 3, "Status this reporting period")]

    chased = chase_partners(root, PERIOD, credentials)
    assert [m.partner for m in chased.sent] == [CJB]
    [reminder] = captured.parsed()
    assert reminder["To"] == ADDRESS[CJB] and "- 5: Measure file quality." in body(reminder)
    captured.clear()

    # a second run of every step: nothing sent, nothing saved, nothing moved
    files = sorted(p.name for p in (root / "inputs" / "returns" / PERIOD).iterdir())
    assert send_returns(root, PERIOD, credentials).sent == []
    again = collect_returns(root, PERIOD, credentials)
    assert again.saved == [] and again.sent == []
    assert chase_partners(root, PERIOD, credentials).sent == []
    assert captured.messages == []
    assert sorted(p.name for p in (root / "inputs" / "returns" / PERIOD).iterdir()) == files
    sent_csv = (root / "outputs" / PERIOD / "mail" / "sent.csv").read_text().splitlines()
    assert len(sent_csv) == 1 + 3 + 2 + 1  # header, workbooks, acknowledgements, the reminder
