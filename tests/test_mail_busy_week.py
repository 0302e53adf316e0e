"""A busy return week by email, collected from a real IMAP server (Dovecot) and answered through a real SMTP
server (aiosmtpd) on 127.0.0.1, through the command line: late and delayed replies, resends, shared mailboxes."""

from __future__ import annotations

import csv
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from mail_helpers import (
    ADDRESS,
    CJB,
    FROM,
    GOOD_OPCC,
    OPCC,
    PERIOD,
    POLICE,
    attachment,
    env,
    filled,
    mail_workspace,
    reply,
    returns_sent,
    workbook,
)
from mailservers import Dovecot
from reportgen.shells.cli import main

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
POLICE_ROWS = [(1, "", "Completed", "Published in September.", "Done"), (3, "", "In progress", "Tendering.", "2027")]


def collect(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *more: str) -> str:
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    main(["collect", "--workspace", str(root), "--period", PERIOD, *more])
    return " ".join(capsys.readouterr().out.split())


def statuses(path: Path) -> dict[object, object]:
    sheet = openpyxl.load_workbook(path)["Return"]
    return {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}


def body(message) -> str:  # type: ignore[no-untyped-def]
    return " ".join(message.get_body(("plain",)).get_content().split())


def tuesday_then_thursday(tmp_path: Path, smtp_port: int, dovecot: Dovecot) -> tuple[Path, bytes]:
    """A mail workspace, and Thursday's correction from the police in the inbox: (workspace, Tuesday's return,
    which the test delivers when it was held up until)."""
    root = mail_workspace(tmp_path / "ws", smtp_port=smtp_port, imap_port=dovecot.port)
    corrected = workbook([(1, "", "Completed", "Published.", "Done"), (3, "", "In progress", "Tendering.", "2027")])
    dovecot.append(reply(ADDRESS[POLICE], [("police.xlsx", corrected)], date="Thu, 22 Oct 2026 10:00:00 +0100",
                         message_id="<thursday@wessex-police.example.org>"))
    return root, workbook([(1, "", "In progress", "Drafting.", "2027"), (3, "", "In progress", "Tendering.", "2027")])


def test_a_delayed_earlier_return_does_not_replace_the_correction_sent_after_it(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The police send a return on Tuesday and a correction on Thursday; Tuesday's is held up on the way and reaches
    the mailbox after Thursday's. The correction is the return used, and the officer is told two came."""
    controller, captured = smtp
    root, first = tuesday_then_thursday(tmp_path, controller.port, dovecot)
    dovecot.append(reply(ADDRESS[POLICE], [("police.xlsx", first)], date="Tue, 20 Oct 2026 09:00:00 +0100",
                         message_id="<tuesday@wessex-police.example.org>"), received="Thu, 22 Oct 2026 11:30:00 +0100")

    out = collect(root, monkeypatch, capsys)
    folder = root / "inputs" / "returns" / PERIOD
    assert sorted(p.name for p in folder.iterdir()) == ["wessex-police.v2.xlsx", "wessex-police.xlsx"]
    assert statuses(folder / "wessex-police.v2.xlsx")[1] == "Completed"  # the newest version: Thursday's
    assert statuses(folder / "wessex-police.xlsx")[1] == "In progress"
    assert (f"Wessex Police sent more than one return in this collect: inputs/returns/{PERIOD}/wessex-police.xlsx "
            f"(sent 20 October 2026 at 09:00 BST), inputs/returns/{PERIOD}/wessex-police.v2.xlsx (sent 22 October "
            f"2026 at 10:00 BST). The last sent, inputs/returns/{PERIOD}/wessex-police.v2.xlsx, is the one used") in out
    acks = {str(m["In-Reply-To"]): body(m) for m in captured.parsed()}
    assert "It replaces the return you sent on 20 October 2026 at 09:00 BST" in acks[
        "<thursday@wessex-police.example.org>"]
    assert "It replaces" not in acks["<tuesday@wessex-police.example.org>"]


def test_our_own_request_forwarded_back_is_not_a_warning_but_another_workbook_forwarded_is(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The police reply with their filled workbook and our request forwarded as an attachment, its blank workbook
    byte for byte the one we sent: nothing for the officer. OPCC forwards a colleague's message with a workbook of
    its own beside the one it attached: that one may hold updates, and the officer is told."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    returns_sent(root, monkeypatch)
    request = next(m for m in captured.parsed() if m["To"] == ADDRESS[POLICE])
    police = EmailMessage()
    police["From"], police["To"], police["Subject"] = ADDRESS[POLICE], FROM, f"RE: {request['Subject']}"
    police["Date"], police["Message-ID"] = "Thu, 22 Oct 2026 10:00:00 +0100", "<police@wessex-police.example.org>"
    police.set_content("Our return, and your request for reference.")
    police.add_attachment(workbook(POLICE_ROWS, made_for=PERIOD), maintype=XLSX[0], subtype=XLSX[1],
                          filename="wessex-police.xlsx")
    police.add_attachment(request)  # message/rfc822, with the blank workbook we sent
    dovecot.append(bytes(police))
    colleague = EmailMessage()
    colleague["From"], colleague["To"], colleague["Subject"] = "j.bloggs@wessex-pcc.example.org", ADDRESS[OPCC], \
        "Victims' updates"
    colleague.set_content("Here are the victims' team's updates.")
    colleague.add_attachment(workbook([(4, "", "Completed", "Commissioned.", "Done")]), maintype=XLSX[0],
                             subtype=XLSX[1], filename="victims team.xlsx")
    opcc = EmailMessage()
    opcc["From"], opcc["To"], opcc["Subject"] = ADDRESS[OPCC], FROM, f"RE: Return [reportgen {PERIOD}]"
    opcc["Date"], opcc["Message-ID"] = "Thu, 22 Oct 2026 11:00:00 +0100", "<opcc@wessex-pcc.example.org>"
    opcc.set_content("Our return.")
    opcc.add_attachment(workbook(GOOD_OPCC, made_for=PERIOD), maintype=XLSX[0], subtype=XLSX[1], filename="opcc.xlsx")
    opcc.add_attachment(colleague)
    dovecot.append(bytes(opcc))
    captured.clear()

    out = collect(root, monkeypatch, capsys)
    assert sorted(p.name for p in (root / "inputs" / "returns" / PERIOD).iterdir()) == ["opcc.xlsx",
                                                                                       "wessex-police.xlsx"]
    assert "Wessex Police's message also forwards" not in out
    assert ("OPCC's message also forwards the message 'Victims' updates', which holds 'victims team.xlsx'; that one "
            "was not read or saved") in out
    assert len(captured.messages) == 2  # both acknowledged


def move_back(dovecot: Dovecot, folder: str) -> None:
    """The officer drags every message of `folder` back to the inbox."""
    connection = dovecot.connect()
    connection.select(f'"{folder}"')
    connection.uid("COPY", "1:*", "INBOX")
    connection.uid("STORE", "1:*", "+FLAGS", r"(\Deleted)")
    connection.expunge()
    connection.logout()


def test_a_return_refused_as_unverified_is_read_again_once_moved_back(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """reportgen.toml names the mail server as it was called last year, so OPCC's genuine return is refused as not
    vouched for. The officer asks IT, writes the server's name as its Authentication-Results give it, and moves the
    message back to the inbox: the next collect checks it again, saves and acknowledges it."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port,
                          extra='authserv_id = "mx-old.wessex-pcc.example.org"')
    results = (b"Authentication-Results: mx.wessex-pcc.example.org; spf=pass smtp.mailfrom=wessex-pcc.example.org; "
               b"dmarc=pass header.from=wessex-pcc.example.org\n")
    dovecot.append(results + reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))],
                                   message_id="<genuine@wessex-pcc.example.org>"))
    out = collect(root, monkeypatch, capsys)
    assert "was not shown to come from OPCC" in out and captured.messages == []
    assert not (root / "inputs" / "returns" / PERIOD / "opcc.xlsx").exists()

    settings = root / "reportgen.toml"
    settings.write_text(settings.read_text().replace("mx-old.wessex-pcc", "mx.wessex-pcc"))
    move_back(dovecot, "reportgen.rejected")
    out = collect(root, monkeypatch, capsys)
    assert "already collected" not in out
    assert statuses(root / "inputs" / "returns" / PERIOD / "opcc.xlsx") == {2: "Completed", 4: "In progress",
                                                                           6: "On hold"}
    [ack] = captured.parsed()
    assert ack["To"] == ADDRESS[OPCC] and "saved it as your return for October 2026" in body(ack)
    assert dovecot.count("INBOX") == 0 and dovecot.count("reportgen.processed") == 1


def test_a_dry_run_says_the_messages_it_could_not_read_are_where_they_were(
        tmp_path: Path, smtp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A dry run over saved messages moves none and sends nothing: its advice sends the officer to them where they
    are, not to a rejected folder that does not hold them, and says the partner's answer is in the outbox, not that
    the partner was told; the real run moves them there, answers, and says so."""
    controller, _captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    drop = tmp_path / "saved mail"
    drop.mkdir()
    (drop / "cut short.eml").write_bytes(b"")
    (drop / "zipped.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.xlsx", b"PK\x03\x04 not a workbook")]))

    out = collect(root, monkeypatch, capsys, "--dry-run", "--from-folder", str(drop))
    assert ("Save the message again from the mail program (the file may have been cut short while it was copied or "
            "synced); this one is still in the folder it was read from: a dry run moves nothing.") in out
    assert ("The reply in the outbox (a dry run sends nothing) tells the partner why; the message is still in the "
            "folder it was read from: a dry run moves nothing.") in " ".join(out.split())
    assert "rejected folder" not in out and "The partner was told" not in out
    assert sorted(p.name for p in drop.iterdir()) == ["cut short.eml", "zipped.eml"]

    out = collect(root, monkeypatch, capsys, "--from-folder", str(drop))
    assert "this one is in the rejected folder." in out
    assert "The partner was told why; the message is in the rejected folder." in " ".join(out.split())
    assert sorted(p.name for p in (drop / "reportgen-rejected").iterdir()) == ["cut short.eml", "zipped.eml"]


def test_a_shared_mailbox_return_goes_to_the_partner_its_workbook_names(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC's strategy mailbox answers for the Criminal Justice Board too: reportgen.toml lists it for both. The
    workbook sent for the board, returned from it, is the board's return; a workbook that names no partner is said
    to the officer with the address and both partners, and saved as neither's. Once the officer takes the address
    out of the board's and moves the message back, it is OPCC's return."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    settings = root / "reportgen.toml"
    board = f'emails = ["{ADDRESS[CJB]}"]'
    settings.write_text(settings.read_text().replace(board, f'emails = ["{ADDRESS[CJB]}", "{ADDRESS[OPCC]}"]'))
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    assert main(["validate", "--workspace", str(root), "--period", PERIOD]) in (0, 1)  # the settings are read
    assert main(["send-returns", "--workspace", str(root), "--period", PERIOD]) == 0
    assert sorted(attachment(m)[0] for m in captured.parsed() if ADDRESS[OPCC] in str(m["To"])) == [
        "criminal-justice-board.xlsx", "opcc.xlsx"]  # the mailbox is sent its own workbook and the board's
    board_request = next(m for m in captured.parsed() if "criminal-justice-board" in attachment(m)[0])
    name, blank = attachment(board_request)
    dovecot.append(reply(ADDRESS[OPCC], [(name, filled(blank, {5: "Completed"}))],
                         message_id="<board@wessex-pcc.example.org>"))
    dovecot.append(reply(ADDRESS[OPCC], [("our return.xlsx", workbook(GOOD_OPCC))],
                         date="Thu, 22 Oct 2026 12:00:00 +0100", message_id="<own@wessex-pcc.example.org>"))
    captured.clear()

    out = collect(root, monkeypatch, capsys)
    folder = root / "inputs" / "returns" / PERIOD
    assert sorted(p.name for p in folder.iterdir()) == ["criminal-justice-board.xlsx"]
    sheet = openpyxl.load_workbook(folder / "criminal-justice-board.xlsx")["Return"]
    assert next(row for row in sheet.iter_rows(values_only=True) if row[0] == 5)[3] == "Completed"
    assert (f"{ADDRESS[OPCC]} is an address reportgen.toml gives to OPCC and Criminal Justice Board, and the message "
            "holds no workbook made for one of them") in out
    assert "take it out of the other's [partners] emails in reportgen.toml and move the message back" in out
    assert [str(m["In-Reply-To"]) for m in captured.parsed()] == ["<board@wessex-pcc.example.org>"]

    settings.write_text(settings.read_text().replace(f'emails = ["{ADDRESS[CJB]}", "{ADDRESS[OPCC]}"]', board))
    move_back(dovecot, "reportgen.rejected")
    collect(root, monkeypatch, capsys)
    assert sorted(p.name for p in folder.iterdir()) == ["criminal-justice-board.xlsx", "opcc.xlsx"]
    assert statuses(folder / "opcc.xlsx") == {2: "Completed", 4: "In progress", 6: "On hold"}


def test_a_return_delayed_past_a_later_collect_does_not_replace_the_one_sent_after_it(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Tuesday's return is held up on the way until after Thursday's correction was collected (on Thursday, by the
    scheduled collect): Friday's collect saved it as the newest version, and the paper went back to Tuesday's
    statuses. It is not saved; the officer and the partner are told the correction stays the return used."""
    controller, captured = smtp
    root, first = tuesday_then_thursday(tmp_path, controller.port, dovecot)
    collect(root, monkeypatch, capsys)
    folder = root / "inputs" / "returns" / PERIOD
    kept = {path.name: path.read_bytes() for path in folder.iterdir()}
    dovecot.append(reply(ADDRESS[POLICE], [("police.xlsx", first)], date="Tue, 20 Oct 2026 09:00:00 +0100",
                         message_id="<tuesday@wessex-police.example.org>"), received="Fri, 23 Oct 2026 08:00:00 +0100")

    out = collect(root, monkeypatch, capsys)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == kept  # nothing saved, nothing replaced
    assert statuses(folder / "wessex-police.xlsx")[1] == "Completed"
    assert ("Wessex Police's message sent 20 October 2026 at 09:00 BST, with 'police.xlsx', arrived after its return "
            f"sent 22 October 2026 at 10:00 BST, inputs/returns/{PERIOD}/wessex-police.xlsx, was collected: that "
            "later return stays the one used, and this workbook was not saved.") in out
    assert (f"save it from the message, in the processed folder, as inputs/returns/{PERIOD}/wessex-police.v2.xlsx: "
            "the newest saved file is read") in out
    acks = {str(m["In-Reply-To"]): body(m) for m in captured.parsed()}
    assert ("We received your message sent on 20 October 2026 at 09:00 BST, with police.xlsx, after the return you "
            "sent later, on 22 October 2026 at 10:00 BST, which is the one we use: this workbook was not used. If you "
            "meant it to be used instead, please send it to us again.") in acks["<tuesday@wessex-police.example.org>"]
    with (root / "outputs" / PERIOD / "mail" / "received.csv").open(encoding="utf-8-sig", newline="") as ledger:
        records = {row["message_id"]: row for row in csv.DictReader(ledger)}
    tuesday = records["<tuesday@wessex-police.example.org>"]
    assert (tuesday["outcome"], tuesday["file"]) == ("sent-before-used", "")  # saved nowhere
    assert tuesday["detail"] == f"sent before inputs/returns/{PERIOD}/wessex-police.xlsx"
    assert dovecot.count("INBOX") == 0  # filed in the processed folder, where the officer finds it

    collect(root, monkeypatch, capsys)  # the next run: nothing new, and no second answer
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == kept
    assert len([m for m in captured.parsed() if str(m["In-Reply-To"]) == "<tuesday@wessex-police.example.org>"]) == 1


def test_a_return_whose_date_is_ahead_does_not_hold_back_the_corrections_after_it(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A partner's computer clock a month ahead dated Thursday's return 22 November: every correction sent after it,
    dated truly, would be "sent before the one used" and refused. The one used is dated by when our mail server
    received it, where that is earlier, so the correction is saved and used."""
    controller, _captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    ahead = workbook([(1, "", "In progress", "Drafting.", "2027"), (3, "", "In progress", "Tendering.", "2027")])
    dovecot.append(reply(ADDRESS[POLICE], [("police.xlsx", ahead)], date="Sun, 22 Nov 2026 10:00:00 +0000",
                         message_id="<ahead@wessex-police.example.org>"), received="Thu, 22 Oct 2026 10:01:00 +0100")
    collect(root, monkeypatch, capsys)
    corrected = workbook([(1, "", "Completed", "Published.", "Done"), (3, "", "In progress", "Tendering.", "2027")])
    dovecot.append(reply(ADDRESS[POLICE], [("police.xlsx", corrected)], date="Fri, 23 Oct 2026 09:00:00 +0100",
                         message_id="<friday@wessex-police.example.org>"), received="Fri, 23 Oct 2026 09:01:00 +0100")

    out = collect(root, monkeypatch, capsys)
    folder = root / "inputs" / "returns" / PERIOD
    assert "arrived after its return sent" not in out
    assert statuses(folder / "wessex-police.v2.xlsx")[1] == "Completed"


def test_a_ledger_time_edited_by_hand_into_another_form_orders_nothing() -> None:
    """received.csv is a file an officer may open and save in Excel: a time in another form, or without its zone,
    is no reason for a traceback, and a return is held back only on times that can be compared."""
    from reportgen.mail.collect import _sent_at, _sent_before
    from reportgen.mail.ledger import ReceivedRecord

    def record(date: str, received: str) -> ReceivedRecord:
        return ReceivedRecord("<m>", "saved", "a@b", POLICE, "s", date, "f", "", "", 0, 0, "", "", received)

    assert _sent_at(record("22/10/2026 10:00", "2026-10-22T09:01:00+00:00")) == "2026-10-22T09:01:00+00:00"
    assert _sent_at(record("2026-11-22T10:00:00+00:00", "2026-10-22T09:01:00")) == "2026-10-22T09:01:00"
    assert _sent_at(record("", "")) == ""
    assert not _sent_before("2026-10-20T08:00:00+00:00", "22/10/2026 10:00")
    assert _sent_before("2026-10-20T08:00:00", "2026-10-22T09:00:00+00:00")  # no zone: UTC, as the records write
