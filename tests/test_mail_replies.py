"""Partners replying as real people's mail programs do (Outlook in Rich Text, a forwarded request, a link to a
shared file), collected from a real IMAP server through the command line: each return is saved and checked, or
the officer and the partner are told what came and what to do."""

from __future__ import annotations

import csv
import io
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from mail_helpers import (
    ADDRESS,
    CJB,
    FROM,
    OPCC,
    PERIOD,
    POLICE,
    attachment,
    env,
    filled,
    mail_workspace,
    returns_sent,
    workbook,
)
from mailservers import Dovecot
from reportgen.shells.cli import main

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
POLICE_ROWS = [(1, "", "Completed", "Published in September.", "Done"), (3, "", "In progress", "Tendering.", "2027")]


def partner_mail(sender: str, message_id: str, body: str = "Please find our return attached.",
                 subject: str = f"RE: Return for October 2026 [reportgen {PERIOD}]") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, FROM, subject
    message["Date"], message["Message-ID"] = "Thu, 22 Oct 2026 10:00:00 +0100", message_id
    message.set_content(body)
    return message


def collect(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    assert main(["collect", "--workspace", str(root), "--period", PERIOD]) == 0
    return capsys.readouterr().out


def received(root: Path) -> dict[str, dict[str, str]]:
    path = root / "outputs" / PERIOD / "mail" / "received.csv"
    return {row["message_id"]: row for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))}


def saved_files(root: Path) -> list[str]:
    folder = root / "inputs" / "returns" / PERIOD
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def replies(captured) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {str(m["In-Reply-To"]): " ".join(m.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
            for m in captured.parsed()}


def said(out: str) -> str:
    return " ".join(out.split())


def test_an_outlook_reply_in_rich_text_is_answered_with_how_to_send_the_workbook_again(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Outlook in Rich Text format packs the partner's workbook into winmail.dat: the partner, who sees its workbook
    attached in Outlook, is told why it was not seen and how to send it, not that it sent no spreadsheet."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    message = partner_mail(ADDRESS[POLICE], "<rtf@wessex-police.example.org>")
    tnef = b"\x78\x9f\x3e\x22\x01\x00" + workbook(POLICE_ROWS)  # the TNEF signature, the workbook packed inside
    message.add_attachment(tnef, maintype="application", subtype="ms-tnef", filename="winmail.dat")
    dovecot.append(bytes(message))
    # a shared mailbox's Outlook names it otherwise but marks its type
    other = partner_mail(ADDRESS[CJB], "<rtf@wessex-cjb.example.org>")
    other.add_attachment(tnef, maintype="application", subtype="vnd.ms-tnef", filename="ATT00001.dat")
    dovecot.append(bytes(other))

    out = said(collect(root, monkeypatch, capsys))

    assert saved_files(root) == []
    records = received(root)
    assert records["<rtf@wessex-police.example.org>"]["outcome"] == "no-return"
    assert ("Wessex Police's message came from Outlook in Rich Text format: its attachments are packed in "
            "'winmail.dat', which cannot be read, so its return (if it is in there) was not read or saved.") in out
    assert "Criminal Justice Board's message came from Outlook in Rich Text format" in out
    assert "'winmail.dat', which is not a .xlsx or .csv file" not in out  # said once, as what it is
    texts = replies(captured)
    for message_id, name in (("<rtf@wessex-police.example.org>", "winmail.dat"),
                             ("<rtf@wessex-cjb.example.org>", "ATT00001.dat")):
        assert (f"Outlook sent it in Rich Text format, which packs the attachments into a file called '{name}' that "
                "we cannot open") in texts[message_id]
        assert "formatted as HTML or plain text" in texts[message_id]
        assert "not a spreadsheet we can read" not in texts[message_id]


def test_a_reply_forwarding_our_request_beside_the_filled_workbook_saves_the_filled_one(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The police attach their filled workbook and, to show what they answer, our request as an attachment (with
    the blank workbook it carried): the filled one is saved and checked, the forwarded one said and left. The
    Criminal Justice Board forwards, as an attachment, its own earlier reply with its workbook: that is its return."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    returns_sent(root, monkeypatch)
    request = next(m for m in captured.parsed() if m["To"] == ADDRESS[POLICE])
    name, blank = attachment(request)
    captured.clear()
    filled = workbook(POLICE_ROWS, made_for=PERIOD)
    both = partner_mail(ADDRESS[POLICE], "<both@wessex-police.example.org>")
    both.add_attachment(filled, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    both.add_attachment(request)  # message/rfc822
    dovecot.append(bytes(both))
    earlier = partner_mail(ADDRESS[CJB], "<earlier@wessex-cjb.example.org>", subject="Our return")
    earlier.add_attachment(workbook([(5, "", "Completed", "Opened in May.", "Done")], made_for=PERIOD),
                           maintype=XLSX[0], subtype=XLSX[1], filename="cjb return.xlsx")
    forwarding = partner_mail(ADDRESS[CJB], "<fw@wessex-cjb.example.org>", subject="FW: Our return")
    forwarding.add_attachment(earlier)
    dovecot.append(bytes(forwarding))

    out = said(collect(root, monkeypatch, capsys))

    assert saved_files(root) == ["criminal-justice-board.xlsx", name]
    sheet = openpyxl.load_workbook(root / "inputs" / "returns" / PERIOD / name)["Return"]
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Completed", "In progress"]
    assert blank != filled
    records = received(root)
    assert records["<both@wessex-police.example.org>"]["outcome"] == "saved"
    assert records["<fw@wessex-cjb.example.org>"]["outcome"] == "saved"
    assert "also forwards" not in out  # the forwarded workbook is the blank one we sent: nothing to look at
    assert "in one message; none was saved" not in out
    texts = replies(captured)
    assert f"we received {name} and saved it as your return for October 2026" in texts[
        "<both@wessex-police.example.org>"]
    assert "we received cjb return.xlsx and saved it as your return" in texts["<fw@wessex-cjb.example.org>"]


def test_a_reply_with_only_a_link_to_a_shared_file_is_asked_for_the_workbook_attached(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A partner shares its workbook from OneDrive or SharePoint: no link is followed; the officer sees the link,
    and the partner is asked to attach the workbook, not told that it sent nothing."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    link = "https://wessexcjb-my.sharepoint.com/:x:/g/personal/lcjb/EXyz?e=Ab12"
    html_only = partner_mail(ADDRESS[CJB], "<link@wessex-cjb.example.org>", body="Our return is in the link.")
    html_only.add_alternative(f'<p>Our return: <a href="{link}">Return.xlsx</a></p>', subtype="html")
    dovecot.append(bytes(html_only))
    plain = partner_mail(ADDRESS[POLICE], "<onedrive@wessex-police.example.org>",
                         body="Hi, here it is: https://1drv.ms/x/s!AkLmNo\nThanks")
    plain.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\0" * 200, maintype="image", subtype="png",
                         filename="signature.png")  # a webmail's signature picture: attached all the same
    dovecot.append(bytes(plain))
    nothing = partner_mail(ADDRESS[POLICE], "<later@wessex-police.example.org>",
                           body="It will follow on Monday. (Sent from https://www.outbox.com/mail)")
    dovecot.append(bytes(nothing))

    out = said(collect(root, monkeypatch, capsys))

    assert saved_files(root) == []
    assert {r["outcome"] for r in received(root).values()} == {"no-return"}
    assert (f"Criminal Justice Board's message had a link to a shared file ({link}) but no .xlsx or .csv "
            "attachment; links are not followed, so nothing was saved.") in out
    assert "Wessex Police's message had a link to a shared file (https://1drv.ms/x/s!AkLmNo)" in out
    assert "Wessex Police's message had no .xlsx or .csv attachment; nothing was saved." in out  # the third
    texts = replies(captured)
    for message_id in ("<link@wessex-cjb.example.org>", "<onedrive@wessex-police.example.org>"):
        assert "it had a link to the workbook rather than the workbook itself" in texts[message_id]
        assert "download the workbook" in texts[message_id]
    assert "link" not in texts["<later@wessex-police.example.org>"]


def test_a_shared_mailbox_sending_its_own_and_another_leads_workbook_has_its_own_saved(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The police's performance mailbox sends the police's workbook and the OPCC's in one message: the police's is
    saved and checked as theirs; the OPCC's is saved as no one's return (it did not come from the OPCC's address),
    and the officer is told where to save it if they trust it. Two workbooks made for the police stay ambiguous."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    returns_sent(root, monkeypatch)
    sent = {str(m["To"]): attachment(m) for m in captured.parsed()}
    captured.clear()
    (police_name, police_blank), (opcc_name, opcc_blank) = sent[ADDRESS[POLICE]], sent[ADDRESS[OPCC]]
    police = filled(police_blank, {1: "Completed", 3: "In progress"})
    opcc = filled(opcc_blank, {2: "Completed", 4: "In progress", 6: "On hold"})
    both = partner_mail(ADDRESS[POLICE], "<both@wessex-police.example.org>", subject="RE: both returns")
    both.add_attachment(opcc, maintype=XLSX[0], subtype=XLSX[1], filename=opcc_name)
    both.add_attachment(police, maintype=XLSX[0], subtype=XLSX[1], filename=police_name)
    dovecot.append(bytes(both))
    twice = partner_mail(ADDRESS[POLICE], "<twice@wessex-police.example.org>", subject="RE: which one?")
    twice.add_attachment(police, maintype=XLSX[0], subtype=XLSX[1], filename="police v1.xlsx")
    twice.add_attachment(filled(police_blank, {1: "On hold"}), maintype=XLSX[0], subtype=XLSX[1],
                         filename="police v2.xlsx")
    dovecot.append(bytes(twice))

    out = said(collect(root, monkeypatch, capsys))

    assert saved_files(root) == [police_name]
    assert (root / "inputs" / "returns" / PERIOD / police_name).read_bytes() == police
    records = received(root)
    assert records["<both@wessex-police.example.org>"]["outcome"] == "saved"
    assert records["<twice@wessex-police.example.org>"]["outcome"] == "rejected"
    assert (f"Wessex Police sent '{opcc_name}', the return workbook made for OPCC, beside its own return; it was not "
            "saved as OPCC's return (Wessex Police's own was saved and checked).") in out
    assert f"save the attachment from the message (in the processed folder) as inputs/returns/{PERIOD}/opcc.xlsx" in out
    assert "Wessex Police sent 'police v1.xlsx', 'police v2.xlsx' in one message; none was saved." in out
    texts = replies(captured)
    assert f"we received {police_name} and saved it as your return for October 2026" in texts[
        "<both@wessex-police.example.org>"]
    assert (f"You also attached another partner's workbook: '{opcc_name}' is the workbook made for OPCC. We take "
            "each partner's return only from that partner's own address, so we have not saved it: please ask OPCC "
            "to send it to us.") in texts["<both@wessex-police.example.org>"]
    assert "could not tell which is your return" in texts["<twice@wessex-police.example.org>"]


def test_an_out_of_office_reply_carrying_our_request_is_not_taken_for_a_return(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Some mail systems answer "Out of office" with the message they answer attached, our blank workbook in it:
    it is an automatic reply, not answered (no mail loop) and not saved as the partner's return."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    returns_sent(root, monkeypatch)
    request = next(m for m in captured.parsed() if m["To"] == ADDRESS[CJB])
    captured.clear()
    away = partner_mail(ADDRESS[CJB], "<away@wessex-cjb.example.org>", body="I am away until 2 November.",
                        subject=f"Out of Office: {request['Subject']}")
    away["Auto-Submitted"] = "auto-replied"
    away.add_attachment(request)
    dovecot.append(bytes(away))

    out = said(collect(root, monkeypatch, capsys))

    assert saved_files(root) == []
    assert received(root)["<away@wessex-cjb.example.org>"]["outcome"] == "automatic"
    assert "Criminal Justice Board sent an automatic reply" in out
    assert captured.messages == []  # never answered


def test_a_colleagues_return_moved_back_once_its_address_is_added_is_saved_and_checked(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A colleague replies from an address we did not send to: nothing is saved and no one is answered; the officer
    does what the issue says (adds the address to the partner's, moves the message back to the inbox), and the next
    collect saves and checks the return, answering the colleague; it was refused again as already collected."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    colleague = "j.bloggs@wessex-police.example.org"
    message = partner_mail(colleague, "<colleague@wessex-police.example.org>")
    message.add_attachment(workbook(POLICE_ROWS), maintype=XLSX[0], subtype=XLSX[1], filename="police return.xlsx")
    dovecot.append(bytes(message))
    stranger = partner_mail("someone@elsewhere.example.org", "<stranger@elsewhere.example.org>")
    stranger.add_attachment(workbook(POLICE_ROWS), maintype=XLSX[0], subtype=XLSX[1], filename="return.xlsx")
    dovecot.append(bytes(stranger))

    out = said(collect(root, monkeypatch, capsys))
    assert saved_files(root) == [] and captured.messages == []
    subject = f"RE: Return for October 2026 [reportgen {PERIOD}]"
    assert (f"A message from '{colleague}' ('{subject}'), an address at Wessex Police's domain but not one of its "
            "[partners] emails, had 'police return.xlsx' attached: nothing was saved and no reply was sent.") in out
    assert ('If the sender answers for Wessex Police, add the address to [partners."Wessex Police"] emails in '
            "reportgen.toml and move the message back to the inbox: the next collect saves and checks it.") in out
    assert ("A message from 'someone@elsewhere.example.org' ('" + subject + "') is from no partner's address; it had "
            "'return.xlsx' attached: nothing was saved and no reply was sent.") in out

    settings = root / "reportgen.toml"
    text = settings.read_text()
    both = f'emails = ["{ADDRESS[POLICE]}", "{colleague}"]'
    settings.write_text(text.replace(f'emails = ["{ADDRESS[POLICE]}"]', both))
    connection = dovecot.connect()
    connection.select('"reportgen.rejected"')
    connection.uid("COPY", "1", "INBOX")
    connection.uid("STORE", "1", "+FLAGS", r"(\Deleted)")
    connection.expunge()
    connection.logout()

    out = said(collect(root, monkeypatch, capsys))
    assert saved_files(root) == ["wessex-police.xlsx"]
    sheet = openpyxl.load_workbook(root / "inputs" / "returns" / PERIOD / "wessex-police.xlsx")["Return"]
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Completed", "In progress"]
    record = received(root)["<colleague@wessex-police.example.org>"]
    assert (record["outcome"], record["partner"]) == ("saved", POLICE)
    assert "already collected" not in out
    [ack] = captured.parsed()
    assert ack["To"] == colleague
    assert "saved it as your return for October 2026" in " ".join(
        ack.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert dovecot.count("INBOX") == 0 and dovecot.count("reportgen.processed") == 1

    # a third run finds nothing to do, and the message is not read again
    collect(root, monkeypatch, capsys)
    assert len(captured.messages) == 1 and saved_files(root) == ["wessex-police.xlsx"]
