"""Collecting returns from a real IMAP server (Dovecot on 127.0.0.1): what is saved, under which name,
what is answered, what is refused, and that a second run does nothing twice."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import cast

import openpyxl
import pytest

from mail_helpers import (
    ADDRESS,
    CJB,
    GOOD_OPCC,
    OPCC,
    PERIOD,
    POLICE,
    attachment,
    env,
    mail_workspace,
    reply,
    workbook,
    zip_bomb,
)
from mailservers import TOKEN, USER, Dovecot
from reportgen.check.checked import check_inputs
from reportgen.errors import ReportgenError
from reportgen.issues import flatten
from reportgen.mail.credentials import credentials_from_env
from reportgen.mail.ledger import received_ledger
from reportgen.mail.steps import MailRun, chase_partners, collect_returns, send_returns
from reportgen.read.workspace import find_inputs
from reportgen.run.returns import write_return_workbooks
from reportgen.shells.cli import main

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

PROCESSED, REJECTED = "reportgen.processed", "reportgen.rejected"  # Dovecot maildir: "." separates


def saved_files(root: Path) -> list[str]:
    folder = root / "inputs" / "returns" / PERIOD
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_hostile_and_odd_messages_are_reported_and_never_saved(tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port,
                          extra="max_attachment_mb = 0.5")
    good = reply(ADDRESS[OPCC], [("../../../../etc/cron.d/opcc return.xlsx", workbook(GOOD_OPCC))],
                 message_id="<good@opcc.example.org>")
    for message in (
        good,
        good,  # the same message twice (a partner's mail program retried)
        reply("stranger@elsewhere.example.org", [("opcc.xlsx", workbook(GOOD_OPCC))]),
        reply(ADDRESS[POLICE], [], body="Our return will follow next week."),
        reply(ADDRESS[CJB], [("return.xlsx", zip_bomb())]),
        reply(ADDRESS[POLICE], [("return.zip", b"PK\x05\x06" + b"\0" * 18), ("notes.exe", b"MZ")]),
        reply(ADDRESS[CJB], [("big.csv", b"a,b\n" * 200_000)]),
        reply(ADDRESS[CJB], [("huge.xlsx", os.urandom(1_500_000))]),  # over the limit: never downloaded whole
        reply(ADDRESS[OPCC], [], subject="Automatic reply: Return [reportgen 2026-10]", body="I am away."),
    ):
        dovecot.append(message)
    credentials = credentials_from_env(env())
    run = collect_returns(root, PERIOD, credentials)

    assert saved_files(root) == ["opcc.xlsx"]  # our name, in the period folder: never the sender's path
    assert not Path("/etc/cron.d/opcc return.xlsx").exists()
    codes = sorted(flatten(run.issues, ["code"]))
    assert codes == sorted([["mail-duplicate"], ["mail-unknown-sender"], ["mail-no-return"],
                            ["mail-refused-attachment"], ["mail-other-attachment"], ["mail-other-attachment"],
                            ["mail-no-return"], ["mail-refused-attachment"], ["mail-refused-attachment"],
                            ["mail-automatic"]])
    bomb = next(i for i in run.issues if i.code == "mail-refused-attachment" and "expands" in i.message)
    assert bomb.value == "return.xlsx"
    assert dovecot.count("INBOX") == 0
    assert dovecot.count(PROCESSED) == 5  # the good one, its duplicate, two with no return, the out-of-office
    assert dovecot.count(REJECTED) == 4  # the stranger, the bomb, the big csv, the huge message
    replies = {str(m["To"]): m for m in captured.parsed()}
    assert "stranger@elsewhere.example.org" not in replies  # strangers are never answered
    assert len(captured.messages) == 6  # OPCC's acknowledgement, 2 to the police, 3 to the CJB; none to robots
    ack = next(m for m in captured.parsed() if m["In-Reply-To"] == "<good@opcc.example.org>")
    body = ack.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "found nothing to correct" in body
    assert "../" not in str(ack["Subject"])
    # the huge message's answer says what the limit is for: a workbook, and the message as mail carries it
    huge = next(m for m in captured.parsed() if m["To"] == ADDRESS[CJB]
                and "bigger than we accept" in m.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    said = " ".join(huge.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "as mail carries it) is bigger than we accept for a workbook of up to 0.5 MB" in said

    received = received_ledger(root / "outputs", PERIOD).values()
    assert [(r.outcome, r.file) for r in received if r.outcome == "saved"] == [
        ("saved", f"inputs/returns/{PERIOD}/opcc.xlsx")]

    # a second run: the inbox is empty, nothing is saved or sent
    again = collect_returns(root, PERIOD, credentials)
    assert again.collection is not None and again.collection.handled == [] and again.sent == []
    assert len(captured.messages) == 6 and saved_files(root) == ["opcc.xlsx"]


def test_a_later_return_is_kept_beside_the_earlier_and_the_newest_is_read(tmp_path: Path, smtp,
                                                                          dovecot: Dovecot) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    first = workbook([(2, "", "Nearly there", "Drafting.", "2027"), *GOOD_OPCC[1:]])
    dovecot.append(reply(ADDRESS[OPCC], [("OPCC October.xlsx", first)]))
    credentials = credentials_from_env(env())
    run = collect_returns(root, PERIOD, credentials)
    assert run.saved == [f"inputs/returns/{PERIOD}/opcc.xlsx"]
    [ack] = captured.parsed()
    body = ack.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "1 problem to correct" in body
    assert "Sheet 'Return', row 2, column 'Status this reporting period'" in body
    assert "'Nearly there' is not recognised" in body and "inputs/returns" not in body
    assert "replaces" not in body

    dovecot.append(reply(ADDRESS[OPCC], [("OPCC October v2.xlsx", workbook(GOOD_OPCC[:2]))],
                         date="Fri, 23 Oct 2026 09:30:00 +0100"))
    collect_returns(root, PERIOD, credentials)
    assert saved_files(root) == ["opcc.v2.xlsx", "opcc.xlsx"]
    # the partner is told this one is used instead of the first, whole (it leaves out action 6)
    second = " ".join(captured.parsed()[1].get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert ("Thank you: we received OPCC October v2.xlsx and saved it as your return for October 2026. It replaces "
            "the return you sent on 22 October 2026 at 11:00 BST: only the newest one you send is used, so it must "
            "hold every update you want reported.") in second
    assert (root / "inputs" / "returns" / PERIOD / "opcc.xlsx").read_bytes() == first  # never overwritten
    inputs, found = find_inputs(root, PERIOD)
    checked = check_inputs(inputs, found=found)
    assert [(i.code, i.file) for i in checked.issues if i.code == "superseded-return"] == [
        ("superseded-return", f"inputs/returns/{PERIOD}/opcc.xlsx")]
    assert not [i for i in checked.issues if i.code in ("unknown-status", "duplicate-update", "unknown-partner")]


def test_a_stopped_run_is_finished_by_the_next_without_doing_anything_twice(tmp_path: Path, smtp,
                                                                            dovecot: Dovecot) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))], message_id="<once@opcc.example.org>"))
    credentials = credentials_from_env(env())
    # the first run saved, recorded and answered, then stopped before moving the message
    collect_returns(root, PERIOD, credentials)
    connection = dovecot.connect()
    connection.select('"reportgen.processed"')
    connection.uid("COPY", "1:*", "INBOX")
    connection.logout()
    assert dovecot.count("INBOX") == 1
    run = collect_returns(root, PERIOD, credentials)
    assert saved_files(root) == ["opcc.xlsx"] and len(captured.messages) == 1
    assert flatten(run.issues, ["code"]) == [["mail-duplicate"]] and dovecot.count("INBOX") == 0


def test_a_reply_for_another_period_is_left_in_the_inbox(tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))],
                         subject="Re: Return for September 2026 [reportgen 2026-09]"))
    run = collect_returns(root, PERIOD, credentials_from_env(env()))
    assert flatten(run.issues, ["code"]) == [["mail-other-period"]]
    assert saved_files(root) == [] and dovecot.count("INBOX") == 1 and captured.messages == []


def test_collect_dry_run_reads_but_saves_moves_and_sends_nothing(tmp_path: Path, dovecot: Dovecot) -> None:
    root = mail_workspace(tmp_path / "ws", imap_port=dovecot.port)
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))]))
    run = collect_returns(root, PERIOD, credentials_from_env(env()), dry_run=True)
    assert run.collection is not None and [h.record.outcome for h in run.collection.handled] == ["saved"]
    assert saved_files(root) == [] and dovecot.count("INBOX") == 1
    [eml] = (root / "outputs" / PERIOD / "mail" / "outbox").iterdir()
    assert "found nothing to correct" in eml.read_text()
    assert not (root / "outputs" / PERIOD / "mail" / "received.csv").exists()


def test_the_commands_run_from_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = mail_workspace(tmp_path / "ws")
    assert main(["send-returns", "--workspace", str(root), "--period", PERIOD, "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == str(root / "outputs" / PERIOD / "mail" / "outbox")
    assert len(list(Path(out[-1]).glob("workbook-*.eml"))) == 3
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))]))
    (drop / "2.eml").write_bytes(reply("stranger@elsewhere.example.org", []))
    code = main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder", str(drop)])
    text = capsys.readouterr().out
    assert code == 0 and "saved: strategy@wessex-pcc.example.org" in text and "unknown-sender" in text
    assert sorted(p.name for p in drop.iterdir()) == ["1.eml", "2.eml"]  # a dry run moves nothing
    monkeypatch.delenv("REPORTGEN_MAIL_USER", raising=False)
    assert main(["chase", "--workspace", str(root), "--period", PERIOD]) == 1  # no server configured to reach
    assert "cannot send through" in capsys.readouterr().err
    assert send_returns(root, PERIOD, None, dry_run=True).sent  # the library agrees with the CLI


def test_an_empty_message_file_is_named_as_empty_not_blamed_on_its_senders_address(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A reply saved from Outlook into a synced folder arrived as an empty file: collect said "mail from '(no
    name)', undated … is from no partner's address → add the address …" and set it aside as from an unknown sender.
    It is named by its file name as empty, and set aside as unreadable."""
    root = mail_workspace(tmp_path / "ws")
    drop = tmp_path / "replies"
    drop.mkdir()
    (drop / "WCC late reply.eml").write_bytes(b"")
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--from-folder", str(drop)]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert "Message 'WCC late reply.eml' is empty: it holds no email" in printed
    assert "unreadable: mail 'WCC late reply.eml'" in printed
    assert "no partner's address" not in printed and "(no name)" not in printed
    assert sorted(path.name for path in (drop / "reportgen-rejected").iterdir()) == ["WCC late reply.eml"]
    ledger = (root / "outputs" / PERIOD / "mail" / "received.csv").read_text(encoding="utf-8-sig")
    assert [line.split(",")[1] for line in ledger.splitlines()[1:]] == ["unreadable"]


def _nested(sender: str, depth: int) -> bytes:
    """A message of `depth` multiparts each inside the last (a few hundred KB): no mail program writes one."""
    head = (f"From: {sender}\r\nTo: returns@example.org\r\nSubject: Re: return\r\nMessage-ID: <deep@example.org>\r\n"
            "Date: Mon, 05 Oct 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n")
    opening = "".join(f"Content-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n--b{level}\r\n"
                      for level in range(depth))
    closing = "".join(f"\r\n--b{level}--" for level in reversed(range(depth)))
    return (head + opening + "Content-Type: text/plain\r\n\r\nhello" + closing + "\r\n").encode()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_a_message_nested_thousands_deep_is_rejected_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], smtp, monkeypatch: pytest.MonkeyPatch) -> None:
    """A security review: a 200 KB message of 3,000 multiparts nested one in another (from anyone: a stranger's is
    read as far as its sender) stopped collect with Python's RecursionError traceback, every run, since it stayed in
    the inbox, so no partner's return was ever collected after it. It is now unreadable mail, set aside; the
    return beside it is saved."""
    controller, captured_mail = smtp
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    drop = tmp_path / "replies"
    drop.mkdir()
    (drop / "1 deep.eml").write_bytes(_nested("stranger@elsewhere.example.org", 3000))
    (drop / "2 opcc.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))]))
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--from-folder", str(drop)]) == 1
    captured = capsys.readouterr()
    printed = " ".join(captured.out.split())
    assert "Traceback" not in captured.err + captured.out and "RecursionError" not in captured.err, captured.err
    assert "could not be read as email: its parts are nested inside one another too deeply" in printed, captured.err
    assert sorted(path.name for path in (drop / "reportgen-rejected").iterdir()) == ["1 deep.eml"]
    assert (root / "inputs" / "returns" / PERIOD / "opcc.xlsx").is_file()
    assert [to for to, _ in captured_mail.messages] == [[ADDRESS[OPCC]]]  # the partner's answered, no one else
    ledger = (root / "outputs" / PERIOD / "mail" / "received.csv").read_text(encoding="utf-8-sig")
    assert sorted(line.split(",")[1] for line in ledger.splitlines()[1:]) == ["saved", "unreadable"]


@pytest.mark.parametrize("dry_run", [["--dry-run"], []], ids=["dry run", "real run"])
def test_collect_from_a_folder_that_does_not_exist_is_wrong_usage_and_says_so(
        tmp_path: Path, dry_run: list[str]) -> None:
    """A mistyped --from-folder was exit 1, "is not a folder of .eml messages": as for every other path given that
    is not there, it is exit 2 saying the folder does not exist, before anything is read, written or sent. An
    existing folder with no messages in it is still read, and collects nothing."""
    root = mail_workspace(tmp_path / "ws")
    command = [sys.executable, "-m", "reportgen.shells.cli", "collect", "--workspace", str(root), "--period", PERIOD]
    missing = tmp_path / "mail" / "nope"
    done = subprocess.run([*command, *dry_run, "--from-folder", str(missing)], capture_output=True, text=True,
                          env={**os.environ, **env()}, timeout=300, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == (f"reportgen: error: {missing} does not exist: give --from-folder the folder the "
                                   ".eml messages were saved in")
    assert not (root / "outputs").exists()

    empty = tmp_path / "empty"
    empty.mkdir()
    done = subprocess.run([*command, "--dry-run", "--from-folder", str(empty)], capture_output=True, text=True,
                          env={**os.environ, **env()}, timeout=300, check=False)
    assert done.returncode == 0 and done.stderr == "" and "0 returns to save" in done.stdout


def test_collect_from_an_empty_folder_path_is_wrong_usage_and_reads_nothing(tmp_path: Path) -> None:
    """`--from-folder ""` (a variable left empty in a script) read the folder the command was run in, as if it had
    been given: it is exit 2, saying the path is empty, and no message there is read, saved or filed."""
    root = mail_workspace(tmp_path / "ws")
    here = tmp_path / "here"
    here.mkdir()
    (here / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))]))
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "collect", "--workspace", str(root),
                           "--period", PERIOD, "--dry-run", "--from-folder", ""], cwd=here, capture_output=True,
                          text=True, env={**os.environ, **env()}, timeout=300, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == ("reportgen: error: Invalid value for '--from-folder': an empty path names no "
                                   "folder or file; give its path ('.' for the current folder). See `reportgen "
                                   "collect --help`.")
    assert not (root / "outputs").exists() and saved_files(root) == []


def test_collect_logs_in_to_dovecot_with_xoauth2(tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port, auth="xoauth2")
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))]))
    with pytest.raises(ReportgenError, match=r"refused officer@wessex-pcc\.example\.org") as refused:
        collect_returns(root, PERIOD, credentials_from_env(env(password="", token="revoked"), auth="xoauth2"))
    assert "revoked" not in str(refused.value) and saved_files(root) == []
    run = collect_returns(root, PERIOD, credentials_from_env(env(password="", token=TOKEN), auth="xoauth2"))
    assert run.saved == [f"inputs/returns/{PERIOD}/opcc.xlsx"]
    assert captured.logins == [("XOAUTH2", USER)]  # the acknowledgement went out with the same token


def test_a_server_without_move_gets_copy_then_delete(tmp_path: Path, dovecot: Dovecot) -> None:
    from reportgen.mail.mailbox import ImapMailbox
    from reportgen.settings import load_settings

    root = mail_workspace(tmp_path / "ws", imap_port=dovecot.port)
    dovecot.append(reply(ADDRESS[OPCC], [], body="one"))
    dovecot.append(reply(ADDRESS[OPCC], [], body="two"))
    mail = load_settings(root).mail
    with ImapMailbox(mail, credentials_from_env(env()), 2**20, mail.tls_context(root)) as box:
        assert "MOVE" in box.capabilities and box.delimiter == "."
        box.capabilities.discard("MOVE")  # as an older server that lacks RFC 6851
        for message in list(box.messages()):
            box.move(message.uid, "reportgen/processed")
    assert dovecot.count("INBOX") == 0 and dovecot.count("reportgen.processed") == 2


def test_the_acknowledgement_runs_the_builds_checks_of_whose_return_it_is(tmp_path: Path, smtp,
                                                                          dovecot: Dovecot) -> None:
    """A reply with another partner's workbook, or the workbook sent back untouched, is told so (as the
    build will say), not that there is nothing to correct."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    dovecot.append(reply(ADDRESS[CJB], [("return.xlsx", workbook(GOOD_OPCC))], message_id="<cjb@example.org>"))
    untouched = [(1, "", None, None, None), (3, "", None, None, None)]  # no earlier draft: the blank workbook
    dovecot.append(reply(ADDRESS[POLICE], [("return.xlsx", workbook(untouched, made_for=PERIOD))],
                         message_id="<police@example.org>"))
    # OPCC's own rows, but with a notes sheet beside them and the timeframe heading a letter out
    book = openpyxl.load_workbook(io.BytesIO(workbook(GOOD_OPCC)))
    book["Return"]["E1"] = "Timeframe for delivery / Completed"
    book.create_sheet("Notes")["A1"] = "Action 4: the tender closes in March."
    notes = io.BytesIO()
    book.save(notes)
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", notes.getvalue())], message_id="<opcc@example.org>"))
    run = collect_returns(root, PERIOD, credentials_from_env(env()))
    assert {"wrong-partner-return", "unchanged-return", "other-sheet", "optional-column-misnamed"} <= {
        i.code for i in run.issues}
    acks = {m["In-Reply-To"]: " ".join(m.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
            for m in captured.parsed()}
    assert "no update for the 1 action Criminal Justice Board leads" in acks["<cjb@example.org>"]
    assert ("What to do: Check that you sent the right file: please fill in your own workbook (the one we sent you, "
            "listing the actions you lead) and send that.") in acks["<cjb@example.org>"]
    assert "every status, explanation and timeframe is as pre-filled" in acks["<police@example.org>"]
    assert ("What to do: Please write this period's updates in it; if nothing has moved on, say so in each "
            "action's explanation. Then send the workbook again.") in acks["<police@example.org>"]
    assert ("What to do: Nothing to do if it is a note for us. If it holds updates, put them in the sheet that "
            "lists your actions") in acks["<opcc@example.org>"]
    assert "What to do: Put the heading back as it is in the workbook we sent you" in acks["<opcc@example.org>"]
    assert not any("found nothing to correct" in text for text in acks.values())
    # advice meant for the secretariat never reaches a partner
    assert not any(words in text for text in acks.values()
                   for words in ("the partner", "ask them", "reportgen.toml", "aliases"))
    inputs, found = find_inputs(root, PERIOD)
    build = check_inputs(inputs, found=found)  # the build says the same
    assert {"wrong-partner-return"} <= {i.code for i in build.issues}


def test_last_months_workbook_sent_back_is_answered_and_chased_as_no_return(tmp_path: Path) -> None:
    """Wessex Police replies with September's workbook for October's return: the acknowledgement says it is the
    other period's, the build uses none of its rows, and the reminder asks for October's, attached."""
    root = mail_workspace(tmp_path / "ws")
    september, _ = write_return_workbooks(root, "2026-09", tmp_path / "september")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[POLICE], [("Wessex Police return.xlsx", september[0].read_bytes())]))
    run = collect_returns(root, PERIOD, None, dry_run=True, from_folder=drop)
    assert run.collection is not None and [h.record.outcome for h in run.collection.handled] == ["saved"]
    [wrong] = [i for i in run.issues if i.code == "return-wrong-period"]
    assert (wrong.severity, wrong.value) == ("warning", "2026-09")
    outbox = root / "outputs" / PERIOD / "mail" / "outbox"
    [ack] = [parsed(path) for path in outbox.iterdir()]
    body = " ".join(ack.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert ("Wessex Police return.xlsx is the return workbook made for September 2026, not the one for October "
            "2026: none of its rows were used as October 2026's updates.") in body
    assert "What to do: Please fill in the workbook we sent you for this period" in body
    assert "found nothing to correct" not in body and "inputs/returns" not in body
    # a point to check, not a problem to correct: not "Please correct the workbook"
    assert "Please correct" not in body and "If any of these points needs a change, reply" in body

    shutil.copy(september[0], root / "inputs" / "returns" / PERIOD / "wessex-police.xlsx")  # as collect saves it
    inputs, found = find_inputs(root, PERIOD)
    build = check_inputs(inputs, found=found)
    assert [i.code for i in build.issues if i.file.endswith("wessex-police.xlsx")] == ["return-wrong-period"]
    assert build.returns == ()  # none of its rows read
    for path in outbox.iterdir():
        path.unlink()
    chased = chase_partners(root, PERIOD, None, dry_run=True)
    assert sorted(m.partner for m in chased.sent) == sorted([POLICE, OPCC, CJB])
    [reminder] = [parsed(path) for path in outbox.glob("*Wessex-Police*")]
    body = " ".join(reminder.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert ("The workbook you sent back (wessex-police.xlsx) is the one for September 2026, so it could not be "
            "used as your return for October 2026. Please fill in the workbook for October 2026 instead") in body
    name, data = attachment(reminder)
    assert name == "wessex-police.xlsx" and made_for_bytes(data) == PERIOD  # this period's workbook


def test_a_return_saved_in_next_months_folder_is_not_chased(tmp_path: Path) -> None:
    """Wessex Police's October workbook, saved into November's folder by mistake: `reportgen chase` reminded the
    partner for a return it had sent. It is not reminded; the run says where the return is."""
    root = mail_workspace(tmp_path / "ws")
    made, _ = write_return_workbooks(root, PERIOD, tmp_path / "october")
    police = next(path for path in made if path.name == "wessex-police.xlsx")
    (root / "inputs" / "returns" / "2026-11").mkdir()
    shutil.copy(police, root / "inputs" / "returns" / "2026-11")
    chased = chase_partners(root, PERIOD, None, dry_run=True)
    assert POLICE not in {m.partner for m in chased.sent}
    [said] = [i for i in chased.issues if i.code == "return-in-other-folder"]
    assert (said.value, said.file) == (POLICE, "inputs/returns/2026-11/wessex-police.xlsx")


def parsed(path: Path) -> EmailMessage:
    return cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(path.read_bytes()))


def made_for_bytes(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return str(book.custom_doc_props["reportgen period"].value)


def outlook_reply(sender: str, files: list[tuple[str, str, str, bytes]], message_id: str) -> bytes:
    """A reply as Outlook sends it: text and HTML, the signature's logo a picture of the HTML (multipart/related,
    inline, with a Content-ID), then the files attached."""
    message = EmailMessage()
    message["From"], message["To"] = f'"Smith, Alex" <{sender}>', "returns@wessex-pcc.example.org"
    message["Subject"], message["Message-ID"] = f"RE: Return [reportgen {PERIOD}]", message_id
    message["Date"] = "Thu, 22 Oct 2026 10:00:00 +0000"
    message.set_content("Please find our return attached.\n\nAlex Smith")
    message.add_alternative('<p>Please find our return attached.</p><p><img src="cid:image001.png@01DB"></p>',
                            subtype="html")
    html = message.get_payload()[1]  # type: ignore[index]
    html.add_related(b"\x89PNG\r\n\x1a\n" + b"\0" * 2000, "image", "png", cid="<image001.png@01DB>",
                     filename="image001.png", disposition="inline")
    for name, maintype, subtype, data in files:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


def test_an_outlook_reply_with_a_logo_and_a_covering_letter_is_saved_without_asking_again(
        tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    """The logo in a partner's signature is part of its message's text, not an attachment; a covering letter
    beside the return is reported, without saying the partner was asked for the return it sent."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    xlsx = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    dovecot.append(outlook_reply(ADDRESS[OPCC], [("opcc.xlsx", *xlsx, workbook(GOOD_OPCC))], "<logo@example.org>"))
    dovecot.append(outlook_reply(ADDRESS[OPCC], [("opcc.xlsx", *xlsx, workbook(GOOD_OPCC[:2])),
                                                 ("Covering letter.pdf", "application", "pdf", b"%PDF-1.4\n")],
                                 "<letter@example.org>"))
    run = collect_returns(root, PERIOD, credentials_from_env(env()))
    assert saved_files(root) == ["opcc.v2.xlsx", "opcc.xlsx"]
    [two] = [i for i in run.issues if i.code == "mail-returns-in-one-run"]  # both were sent at 10:00
    assert two.file == f"inputs/returns/{PERIOD}/opcc.v2.xlsx"
    [letter] = [i for i in run.issues if i.code.startswith("mail-") and i is not two]
    assert (letter.code, letter.value, letter.message, letter.advice) == (
        "mail-other-attachment", "Covering letter.pdf",
        "OPCC attached 'Covering letter.pdf' beside its return; it was not saved.",
        "Nothing to do, unless it holds updates the return lacks: open it in the message, which stays in the "
        "mailbox.")
    acks = [m.get_body(("plain",)).get_content() for m in captured.parsed()]  # type: ignore[union-attr]
    assert len(acks) == 2 and all("found nothing to correct" in text for text in acks)
    assert not any("image001.png" in text or "Covering letter" in text for text in acks)


def test_a_workbook_sent_as_xlsm_or_zipped_is_answered_with_how_to_send_it(tmp_path: Path, smtp,
                                                                            dovecot: Dovecot) -> None:
    """A partner whose Excel saves macro-enabled workbooks, and one whose mail program zips attachments, are
    told how to send the workbook, not that they sent no spreadsheet we can read."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as folder:
        folder.writestr("opcc.xlsx", workbook(GOOD_OPCC))
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsm", workbook(GOOD_OPCC))], message_id="<xlsm@example.org>"))
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.zip", packed.getvalue())], message_id="<zip@example.org>"))
    run = collect_returns(root, PERIOD, credentials_from_env(env()))
    assert saved_files(root) == [] and [h.record.outcome for h in run.collection.handled] == ["no-return"] * 2  # type: ignore[union-attr]
    acks = {m["In-Reply-To"]: " ".join(m.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
            for m in captured.parsed()}
    assert ("We cannot read 'opcc.xlsm', a macro-enabled Excel workbook. Please save it as an Excel workbook (.xlsx) "
            "and send it again.") in acks["<xlsm@example.org>"]
    assert ("We cannot open 'opcc.zip': please reply with the completed workbook itself attached, not in a "
            "compressed folder.") in acks["<zip@example.org>"]
    assert not any("not a spreadsheet we can read" in text for text in acks.values())


def test_each_message_is_reported_under_its_own_heading_with_when_it_was_sent(
        tmp_path: Path, smtp, dovecot: Dovecot, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The police press Reply three times without attaching the workbook (the same "RE:" subject each time), then
    an out-of-office answers; the officer sees each message by itself, when it was sent, its whole subject."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    subject = f"RE: Return for October 2026: please reply by 24 October 2026 [reportgen {PERIOD}]"
    dovecot.append(reply(ADDRESS[POLICE], [], subject=subject, date="Wed, 21 Oct 2026 09:12:00 +0100"))
    dovecot.append(reply(ADDRESS[POLICE], [], subject=subject, date="Thu, 22 Oct 2026 14:05:00 +0100"))
    dovecot.append(reply(ADDRESS[POLICE], [], subject=subject, date="Thu, 22 Oct 2026 14:05:30 +0100"))
    away = f"Automatic reply: {subject}"  # 99 characters
    dovecot.append(reply(ADDRESS[OPCC], [], subject=away, date="Thu, 22 Oct 2026 15:00:00 +0100"))
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    assert main(["collect", "--workspace", str(root), "--period", PERIOD]) == 0
    out = capsys.readouterr().out.splitlines()
    police = f"mail from '{ADDRESS[POLICE]}'"
    assert [line for line in out if line.startswith(police)] == [
        f"{police}, sent 21 October 2026 at 09:12 BST: '{subject}'",
        f"{police}, sent 22 October 2026 at 14:05 BST: '{subject}'",
        f"{police}, sent 22 October 2026 at 14:05 BST: '{subject}' (#2)"]  # the same minute: still its own
    assert f"mail from '{ADDRESS[OPCC]}', sent 22 October 2026 at 15:00 BST: '{away}'" in out
    assert f"  no-return: {ADDRESS[POLICE]} '{subject}', sent 22 October 2026 at 14:05 BST" in out
    assert len(captured.messages) == 3  # the police are answered each time; the out-of-office is not


def test_a_workbook_sent_again_unchanged_is_answered_with_the_return_that_is_used(tmp_path: Path, smtp,
                                                                                   dovecot: Dovecot) -> None:
    """OPCC sends its workbook, then, meaning to send the corrected one, attaches the same file again: it is
    told the workbook is the one it already sent (and when), what that one still needs, and nothing is saved."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    first = workbook([(2, "", "Nearly there", "Drafting.", "2027"), *GOOD_OPCC[1:]])
    dovecot.append(reply(ADDRESS[OPCC], [("OPCC October.xlsx", first)], date="Wed, 21 Oct 2026 09:12:00 +0100",
                         message_id="<first@opcc.example.org>"))
    credentials = credentials_from_env(env())
    collect_returns(root, PERIOD, credentials)
    dovecot.append(reply(ADDRESS[OPCC], [("OPCC October corrected.xlsx", first)],
                         date="Thu, 22 Oct 2026 11:00:00 +0100", message_id="<again@opcc.example.org>"))
    run = collect_returns(root, PERIOD, credentials)
    assert saved_files(root) == ["opcc.xlsx"]
    [note] = [i for i in run.issues if i.code == "mail-duplicate"]
    assert note.advice == ("No action needed. The partner was told it had already been received, and which return "
                           "is used.")
    [_ack, again] = captured.parsed()
    assert again["In-Reply-To"] == "<again@opcc.example.org>"
    body = " ".join(again.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert ("Thank you: we received OPCC October corrected.xlsx. It is the same workbook as the return you sent on "
            "21 October 2026 at 09:12 BST, which we already have and use as your return for October 2026, so "
            "nothing has changed.") in body
    assert "'Nearly there' is not recognised" in body and "saved it as" not in body
    assert "If you meant to send a corrected workbook, check that your changes were saved" in body

    # a run stopped before it answered: the next one answers, once
    ledger = root / "outputs" / PERIOD / "mail" / "sent.csv"
    ledger.write_text("".join(ledger.read_text().splitlines(keepends=True)[:2]))
    connection = dovecot.connect()
    connection.select('"reportgen.processed"')
    connection.uid("COPY", "2", "INBOX")
    connection.logout()
    collect_returns(root, PERIOD, credentials)
    assert len(captured.messages) == 3 and captured.parsed()[2]["In-Reply-To"] == "<again@opcc.example.org>"
    assert "It is the same workbook as the return you sent on 21 October" in (
        captured.parsed()[2].get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert collect_returns(root, PERIOD, credentials).sent == [] and len(captured.messages) == 3


def test_a_lead_with_an_accent_in_its_name_has_its_mailed_returns_read_as_its_own(tmp_path: Path, smtp,
                                                                                   dovecot: Dovecot) -> None:
    """Cyngor Sir Ynys Môn is sent cyngor-sir-ynys-mon.xlsx, replies with it, then with a corrected one: the
    build reads the corrected one as the council's return (the first noted as superseded), not two returns
    of no partner, whose rows clash."""
    from conftest import ACTIONS, REGISTER_HEADINGS, make_workspace
    from mail_helpers import filled, mail_toml

    council = "Cyngor Sir Ynys Môn"
    controller, captured = smtp
    actions = [(ref, section, council if lead == CJB else lead, text, pages)
               for ref, section, lead, text, pages in ACTIONS]
    partners = {POLICE: ADDRESS[POLICE], OPCC: ADDRESS[OPCC], council: "perfformiad@ynysmon.example.gov.uk"}
    root = make_workspace(tmp_path / "ws", period=PERIOD, returns={}, register=[REGISTER_HEADINGS, *actions],
                          toml=mail_toml(controller.port, dovecot.port, partners=partners))
    credentials = credentials_from_env(env())
    send_returns(root, PERIOD, credentials)
    [request] = [m for m in captured.parsed() if m["To"] == partners[council]]
    name, blank = attachment(request)
    assert name == "cyngor-sir-ynys-mon.xlsx"
    for status, date in (("Nearly", "Wed, 21 Oct 2026 09:12:00 +0100"),
                         ("In progress", "Thu, 22 Oct 2026 09:12:00 +0100")):
        dovecot.append(reply(partners[council], [(name, filled(blank, {5: status}))], date=date,
                             subject=f"RE: {request['Subject']}"))
    collect_returns(root, PERIOD, credentials)
    assert saved_files(root) == ["cyngor-sir-ynys-mon.v2.xlsx", "cyngor-sir-ynys-mon.xlsx"]

    inputs, found = find_inputs(root, PERIOD)
    checked = check_inputs(inputs, found=found)
    mine = [(i.code, i.file) for i in checked.issues if "ynys" in i.file]
    assert mine == [("superseded-return", f"inputs/returns/{PERIOD}/cyngor-sir-ynys-mon.xlsx")]
    assert [(u.ref, u.status) for r in checked.returns for u in r.updates if u.ref == 5] == [(5, "In progress")]


def test_this_months_workbook_sent_on_last_months_thread_is_collected(tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    """OPCC answers September's message with October's workbook filled in: it is October's return (the workbook
    says so), saved and answered on October's thread, and OPCC is not reminded; a September workbook, or one
    that says no period, on September's thread stays in the inbox for September's collect."""
    from mail_helpers import filled

    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    october, _ = write_return_workbooks(root, PERIOD, tmp_path / "october")
    september, _ = write_return_workbooks(root, "2026-09", tmp_path / "september")
    [mine] = [path for path in october if path.name == "opcc.xlsx"]
    [last] = [path for path in september if path.name == "opcc.xlsx"]
    old_thread = "RE: Return for September 2026: please reply by 24 September 2026 [reportgen 2026-09]"
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", filled(mine.read_bytes(), {2: "Completed", 4: "In progress",
                                                                                  6: "On hold"}))],
                         subject=old_thread, message_id="<october@opcc.example.org>"))
    dovecot.append(reply(ADDRESS[POLICE], [("opcc.xlsx", last.read_bytes())], subject=old_thread))
    dovecot.append(reply(ADDRESS[CJB], [("cjb.xlsx", workbook(GOOD_OPCC))], subject=old_thread))
    credentials = credentials_from_env(env())
    run = collect_returns(root, PERIOD, credentials)
    assert run.saved == [f"inputs/returns/{PERIOD}/opcc.xlsx"]
    assert [i.code for i in run.issues if i.code.startswith("mail-")] == ["mail-other-period"] * 2
    assert dovecot.count("INBOX") == 2
    [ack] = captured.parsed()
    assert ack["In-Reply-To"] == "<october@opcc.example.org>"
    assert ack["Subject"] == f"Re: Return for October 2026 [reportgen {PERIOD}]"  # no word of September's left
    assert "found nothing to correct" in ack.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    chased = chase_partners(root, PERIOD, None, dry_run=True)
    assert OPCC not in [m.partner for m in chased.sent]


def test_another_leads_workbook_from_a_partner_is_saved_as_neither_partners_return(
        tmp_path: Path, smtp, dovecot: Dovecot, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """OPCC sends its return, then forwards the workbook made for Wessex Police, filled in: it does not push
    OPCC's return aside, nor is it taken as the police's from OPCC's address. OPCC is told whose it is and that
    its own return is still used; the officer where to save it if they trust it; the build reads OPCC's."""
    from mail_helpers import filled

    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    books = {path.name: path.read_bytes() for path in write_return_workbooks(root, PERIOD, tmp_path / "books")[0]}
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", filled(books["opcc.xlsx"], {2: "Completed", 4: "In progress",
                                                                                   6: "On hold"}))],
                         message_id="<own@opcc.example.org>"))
    forwarded = f"FW: Return for October 2026: please reply by 24 October 2026 [reportgen {PERIOD}]"
    dovecot.append(reply(ADDRESS[OPCC], [("wessex-police.xlsx", filled(books["wessex-police.xlsx"],
                                                                       {1: "Completed", 3: "In progress"}))],
                         subject=forwarded, date="Thu, 22 Oct 2026 12:00:00 +0000",
                         message_id="<forwarded@opcc.example.org>"))
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    assert main(["collect", "--workspace", str(root), "--period", PERIOD]) == 0
    out = capsys.readouterr().out
    assert saved_files(root) == ["opcc.xlsx"]
    assert (dovecot.count("INBOX"), dovecot.count(PROCESSED), dovecot.count(REJECTED)) == (0, 1, 1)
    heading = f"mail from '{ADDRESS[OPCC]}', sent 22 October 2026 at 13:00 BST: '{forwarded}'"
    assert heading in out.splitlines()
    assert ("OPCC sent 'wessex-police.xlsx', the return workbook made for Wessex Police; it was saved neither as "
            "OPCC's return (which it would have replaced) nor as Wessex Police's.") in " ".join(out.split())
    assert (f"If you trust it as Wessex Police's return, save the attachment from the message (in the rejected "
            f"folder) as inputs/returns/{PERIOD}/wessex-police.xlsx.") in " ".join(out.split())
    records = received_ledger(root / "outputs", PERIOD)
    assert [(r.outcome, r.file) for r in records.values()] == [
        ("saved", f"inputs/returns/{PERIOD}/opcc.xlsx"), ("other-lead", "")]
    acks = {m["In-Reply-To"]: " ".join(m.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
            for m in captured.parsed()}
    assert ("We received wessex-police.xlsx, but it is the workbook made for Wessex Police's return, not OPCC's, so "
            "we have not saved it. We take each partner's return only from that partner's own address: if it holds "
            "Wessex Police's updates, please ask Wessex Police to send it to us. If you meant to send your own "
            "return, please reply with OPCC's workbook (opcc.xlsx) attached. The return you sent on 22 October 2026 "
            "at 11:00 BST is still the one used as your return for October 2026.") in acks[
        "<forwarded@opcc.example.org>"]

    inputs, found = find_inputs(root, PERIOD)
    build = check_inputs(inputs, found=found)
    assert not [i for i in build.issues if i.blocking]
    assert {(u.ref, u.status) for r in build.returns for u in r.updates} == {
        (2, "Completed"), (4, "In progress"), (6, "On hold")}  # OPCC's own; none of the police's
    chased = chase_partners(root, PERIOD, None, dry_run=True)
    assert sorted(m.partner for m in chased.sent) == sorted([POLICE, CJB])


def test_a_workbook_made_for_a_lead_since_renamed_is_its_senders_return(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The register renamed its lead after the workbooks went out ("Wessex Constabulary" is now "Wessex Police"):
    the police's return, its workbook naming the old lead, is no other lead's and is saved as the police's."""
    from mail_helpers import filled

    controller, _captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    books = {path.name: path.read_bytes() for path in write_return_workbooks(root, PERIOD, tmp_path / "books")[0]}
    book = openpyxl.load_workbook(io.BytesIO(filled(books["wessex-police.xlsx"], {1: "Completed"})))
    renamed = [cell for row in book["Instructions"].iter_rows() for cell in row if cell.value == POLICE]
    assert renamed, "the workbook names its lead on its Instructions sheet"
    for cell in renamed:
        cell.value = "Wessex Constabulary"
    data = io.BytesIO()
    book.save(data)
    dovecot.append(reply(ADDRESS[POLICE], [("wessex-police.xlsx", data.getvalue())]))
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    assert main(["collect", "--workspace", str(root), "--period", PERIOD]) == 0
    assert saved_files(root) == ["wessex-police.xlsx"]
    assert [r.outcome for r in received_ledger(root / "outputs", PERIOD).values()] == ["saved"]


def test_lateness_is_judged_by_when_our_mail_server_received_the_return(tmp_path: Path, smtp, dovecot: Dovecot,
                                                                      capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A partner's computer whose clock is wrong does not decide whether its return is late: OPCC's return says 22
    October but reached our server on 26 October, after the deadline (24 October); the police's says 28 October but
    came on the 23rd. In messages saved as .eml, the topmost Received header (our server's) says when; without one,
    the message's own date, and the officer and the partner are told which."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    opcc = reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))], date="Thu, 22 Oct 2026 10:00:00 +0000",
                 message_id="<opcc@example.org>")
    police = reply(ADDRESS[POLICE], [("wessex-police.xlsx", workbook([(1, "", "Completed", "Done.", "Done")]))],
                   date="Wed, 28 Oct 2026 10:00:00 +0000", message_id="<police@example.org>")
    dovecot.append(opcc, received="Mon, 26 Oct 2026 09:30:00 +0000")
    dovecot.append(police, received="Fri, 23 Oct 2026 11:00:00 +0100")
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    assert main(["collect", "--workspace", str(root), "--period", PERIOD]) == 0
    out = capsys.readouterr().out
    assert (f"  saved: {ADDRESS[OPCC]} 'Re: Return [reportgen {PERIOD}]', sent 22 October 2026 at 11:00 BST, received "
            f"26 October 2026 at 09:30 GMT -> inputs/returns/{PERIOD}/opcc.xlsx") in out.splitlines()
    assert (f"OPCC's return inputs/returns/{PERIOD}/opcc.xlsx reached our mail server on 26 October 2026 at 09:30 "
            "GMT, after the deadline (24 October 2026).") in " ".join(out.split())
    assert "Wessex Police's return" not in out  # not late
    records = {r.message_id: r for r in received_ledger(root / "outputs", PERIOD).values()}
    assert [(r.date, r.received, r.late) for r in records.values()] == [
        ("2026-10-22T10:00:00+00:00", "2026-10-26T09:30:00+00:00", "yes"),
        ("2026-10-28T10:00:00+00:00", "2026-10-23T10:00:00+00:00", "")]
    acks = {m["In-Reply-To"]: " ".join(m.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
            for m in captured.parsed()}
    assert ("It reached us on 26 October 2026 at 09:30 GMT, after the deadline (24 October 2026); it is still "
            "used.") in acks["<opcc@example.org>"]
    assert "deadline" not in acks["<police@example.org>"]

    # saved from a mail program: the topmost Received header is our server's (one below it, the sender's own)
    drop = tmp_path / "drop"
    drop.mkdir()
    received = (b"Received: from mx.partner.example.org by mail.wessex-pcc.example.org; Mon, 26 Oct 2026 09:30:00 "
                b"+0000\r\nReceived: from laptop by mx.partner.example.org; Thu, 22 Oct 2026 10:00:00 +0000\r\n")
    (drop / "1.eml").write_bytes(received + reply(ADDRESS[CJB], [("cjb.xlsx", workbook([(5, "", "Completed", "Done.",
                                                                                          "Done")]))],
                                                  date="Thu, 22 Oct 2026 10:00:00 +0000"))
    (drop / "2.eml").write_bytes(reply(ADDRESS[CJB], [("cjb.xlsx", workbook([(5, "", "In progress", "Doing.",
                                                                             "2027")]))],
                                       date="Tue, 27 Oct 2026 16:40:00 +0000"))
    run = collect_returns(root, PERIOD, None, dry_run=True, from_folder=drop)
    notes = [i.message for i in run.issues if i.code == "mail-late"]
    assert notes == [
        f"Criminal Justice Board's return inputs/returns/{PERIOD}/criminal-justice-board.xlsx reached our mail "
        "server on 26 October 2026 at 09:30 GMT, after the deadline (24 October 2026).",
        f"Criminal Justice Board's return inputs/returns/{PERIOD}/criminal-justice-board.v2.xlsx is dated 27 October "
        "2026 at 16:40 GMT, after the deadline (24 October 2026); that is its sender's clock, as the message does not "
        "say when our mail server received it."]
    bodies = [" ".join(parsed(path).get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
              for path in sorted((root / "outputs" / PERIOD / "mail" / "outbox").iterdir())]
    assert sorted(text for body in bodies for text in re.findall(r"It (?:reached us|is dated)[^;]*;", body)) == [
        "It is dated 27 October 2026 at 16:40 GMT, after the deadline (24 October 2026);",
        "It reached us on 26 October 2026 at 09:30 GMT, after the deadline (24 October 2026);"]


def test_the_deadline_day_ends_at_midnight_in_the_workspaces_time_zone(tmp_path: Path) -> None:
    """The deadline (24 October 2026) ends at midnight British Summer Time, not UTC: a return reaching our server at
    23:30 BST is on time, one at 00:30 BST the next day is late (still 24 October in UTC), and both are told in the
    officer's time; a workspace set to UTC ([schedule] timezone) judges by UTC."""
    def returns(root: Path) -> list[str]:
        drop = tmp_path / "drop"
        shutil.rmtree(drop, ignore_errors=True)
        drop.mkdir()
        for number, when in enumerate(("Sat, 24 Oct 2026 22:30:00 +0000", "Sat, 24 Oct 2026 23:30:00 +0000")):
            (drop / f"{number}.eml").write_bytes(
                f"Received: from mx.partner.example.org by mail.wessex-pcc.example.org; {when}\r\n".encode()
                + reply(ADDRESS[CJB], [("cjb.xlsx", workbook([(5, "", "Completed", f"Done ({number}).", "Done")]))],
                        date="Sat, 24 Oct 2026 20:00:00 +0000", message_id=f"<{number}@cjb.example.org>"))
        run = collect_returns(root, PERIOD, None, dry_run=True, from_folder=drop)
        return [i.message for i in run.issues if i.code == "mail-late"]

    assert returns(mail_workspace(tmp_path / "london")) == [
        f"Criminal Justice Board's return inputs/returns/{PERIOD}/criminal-justice-board.v2.xlsx reached our mail "
        "server on 25 October 2026 at 00:30 BST, after the deadline (24 October 2026)."]
    assert returns(mail_workspace(tmp_path / "utc", extra='[schedule]\ntimezone = "UTC"\n')) == []


def test_an_update_of_an_action_withdrawn_since_the_workbooks_went_out_is_not_the_partners_to_correct(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    """October's workbooks go out pre-filled from September's draft; the secretariat then withdraws action 6 from
    the register, and OPCC returns the workbook it was sent, action 6 updated. The acknowledgement told OPCC to
    "check the number against the workbook we sent" (which has it) and to correct the workbook; as the build
    says (withdrawn-ref), it is told the action was withdrawn and that there is nothing to do."""
    from conftest import ACTIONS, REGISTER_HEADINGS, make_workspace
    from mail_helpers import filled, mail_toml

    controller, captured = smtp
    toml = mail_toml(controller.port, dovecot.port)
    root = make_workspace(tmp_path / "ws", period="2026-09", returns={}, toml=toml)
    assert main(["build", "--workspace", str(root), "--period", "2026-09"]) in (0, 1)
    books = {path.name: path.read_bytes() for path in write_return_workbooks(root, PERIOD, tmp_path / "books")[0]}
    make_workspace(tmp_path / "ws", period=PERIOD, returns={}, toml=toml,
                   register=[REGISTER_HEADINGS, *(action for action in ACTIONS if action[0] != 6)])
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", filled(books["opcc.xlsx"], {2: "Completed", 4: "In progress",
                                                                                   6: "On hold"}))]))
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    assert main(["collect", "--workspace", str(root), "--period", PERIOD]) == 0
    (ack,) = [" ".join(m.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
              for m in captured.parsed()]
    assert "Action 6 is no longer in the plan: it was withdrawn after the workbook was made." in ack
    assert "2026-09/draft-01" not in ack  # the secretariat's folder: the officer is told it, not the partner
    assert "Nothing to do: the action has been withdrawn from the plan, so this update is not used." in ack
    assert "check the number" not in ack.lower() and "Please correct the workbook" not in ack


@pytest.mark.parametrize(("period", "said"), [
    ("2099-06", "2099-06 has not begun (today is "),
    ("2026-08", "nothing says 2026-08's workbooks went out (neither inputs/returns/2026-08 nor outputs/2026-08/returns "
                "is there)"),
])
def test_chase_refuses_a_period_nobody_was_asked_for(tmp_path: Path, period: str, said: str) -> None:
    """A mistyped --period mailed every partner "we have not yet received your return for June 2027", attaching a
    workbook they had never been sent. The command line refuses it (exit 2), naming what is wrong, and sends none."""
    root = mail_workspace(tmp_path / "ws")
    if period.startswith("2099"):
        (root / "inputs" / "returns" / period).mkdir()
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "chase", "--workspace", str(root),
                           "--period", period, "--dry-run"], capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert said in done.stderr, done.stderr
    assert not (root / "outputs" / period / "mail").exists()


def test_chase_takes_a_period_whose_workbooks_were_made_to_mail_by_hand(tmp_path: Path) -> None:
    """Workbooks made with `reportgen returns` and mailed by hand: no returns folder until the first reply is saved,
    but the partners were asked, and are chased."""
    root = mail_workspace(tmp_path / "ws")
    write_return_workbooks(root, "2026-09")  # into outputs/2026-09/returns, as `reportgen returns` does
    chased = chase_partners(root, "2026-09", None, dry_run=True)
    assert chased.sent


def test_the_acknowledgement_says_a_prefilled_explanation_cleared_a_row_deleted_and_a_row_added(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    """October's workbooks go out pre-filled from September's draft. Wessex Police deletes action 1's explanation
    and writes nothing, and deletes action 3's row; OPCC sends its workbook back as it was but for a row it added,
    with no number, for a new action it proposes. The build warns of the first two (explanation-cleared,
    row-deleted), but the acknowledgement said Wessex Police had nothing to correct; and OPCC was told it may have
    sent the workbook back without updating it. Now each is told what the build will say, in the partner's words."""
    from conftest import make_workspace
    from mail_helpers import mail_toml

    controller, captured = smtp
    toml = mail_toml(controller.port, dovecot.port)
    root = make_workspace(tmp_path / "ws", period="2026-09", toml=toml)
    assert main(["build", "--workspace", str(root), "--period", "2026-09"]) in (0, 1)
    books = {path.name: path.read_bytes() for path in write_return_workbooks(root, PERIOD, tmp_path / "books")[0]}
    make_workspace(tmp_path / "ws", period=PERIOD, returns={}, toml=toml)

    police = openpyxl.load_workbook(io.BytesIO(books["wessex-police.xlsx"]))
    sheet = police["Return"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [1, 3]
    assert sheet["E2"].value == "Update on action 1.", "pre-filled from September's return"
    sheet["E2"] = None
    sheet.delete_rows(3)
    opcc = openpyxl.load_workbook(io.BytesIO(books["opcc.xlsx"]))
    opcc["Return"].append([None, None, "Pilot a helpline for victims of fraud.", "Not started",
                           "Proposed by the OPCC this month.", "2027"])
    for sender, name, book in ((ADDRESS[POLICE], "wessex-police.xlsx", police), (ADDRESS[OPCC], "opcc.xlsx", opcc)):
        data = io.BytesIO()
        book.save(data)
        dovecot.append(reply(sender, [(name, data.getvalue())], message_id=f"<{name}@example.org>"))
    for key, value in env().items():
        monkeypatch.setenv(key, value)
    assert main(["collect", "--workspace", str(root), "--period", PERIOD]) == 0
    acks = {m["In-Reply-To"]: " ".join(m.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
            for m in captured.parsed()}

    told = acks["<wessex-police.xlsx@example.org>"]
    assert "found nothing to correct" not in told and "2 points worth checking" in told
    assert ("Sheet 'Return', row 2, column 'Explanation / Link to meeting papers': Action 1: the explanation "
            "pre-filled as reported in September 2026 was deleted and nothing written in its place") in told
    assert ("What to do: Write this period's explanation in the cell: the one it was pre-filled with was deleted "
            "and nothing put in its place. If last period's still holds, put it back.") in told
    assert "Action 3 has no row in wessex-police.xlsx, the workbook made for Wessex Police's updates" in told
    assert ("What to do: Please send an update for this action too: its row was missing from the workbook you sent "
            "back. Do not delete rows") in told
    assert f"inputs/returns/{PERIOD}" not in told, "the partner reads its own file name, not our folders"

    told = acks["<opcc.xlsx@example.org>"]
    assert "Row 5 has no action reference" in told and "Pilot a helpline for victims of fraud." in told
    assert ("What to do: If this row is an action already in the plan, write its plan priority number in it and "
            "send the workbook again. If it is a new action you propose, we cannot report on it until it is in the "
            "plan's register") in told
    assert "as pre-filled" not in told and "without updating it" not in told
    assert "secretariat" not in told, "the partner's advice, not the officer's"

    # the build the officer runs next says the same of both returns
    from reportgen.run.build import validate_draft

    codes = {(i.code, i.ref, i.file.rsplit("/", 1)[-1]) for i in validate_draft(root, PERIOD).issues}
    assert {("explanation-cleared", 1, "wessex-police.xlsx"), ("row-deleted", 3, "wessex-police.xlsx"),
            ("missing-ref", None, "opcc.xlsx")} <= codes
    assert "unchanged-return" not in {code for code, _ref, _file in codes}


def test_a_return_untouched_but_for_an_action_withdrawn_since_and_one_saved_as_csv_are_acknowledged_as_such(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October's workbooks go out pre-filled from September's returns; the secretariat then withdraws action 6.
    OPCC sends its workbook back untouched: it was told to correct action 6's row ("check the number against the
    workbook we sent", which has it), and not that it sent the workbook back without updating it. Wessex Police
    saves its workbook as CSV, action 3's row deleted: it was told nothing of the row, as a CSV keeps no record of
    what it was sent with. Now each is told what the build says, against the workbooks kept in
    outputs/2026-10/returns."""
    from conftest import ACTIONS, REGISTER_HEADINGS, make_workspace, write_csv
    from mail_helpers import mail_toml

    root = make_workspace(tmp_path / "ws", period="2026-09", toml=mail_toml())
    books = {path.name: path for path in write_return_workbooks(root, PERIOD)[0]}  # kept in outputs/2026-10/returns
    make_workspace(tmp_path / "ws", period=PERIOD, returns={}, toml=mail_toml(),
                   register=[REGISTER_HEADINGS, *(action for action in ACTIONS if action[0] != 6)])
    police = [tuple(row) for row in openpyxl.load_workbook(books["wessex-police.xlsx"])["Return"].iter_rows(
        values_only=True)]
    assert [row[0] for row in police[1:]] == [1, 3]
    csv_file = write_csv(tmp_path / "saved" / "wessex-police.csv", police[:2])
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.xlsx", books["opcc.xlsx"].read_bytes())],
                                       message_id="<opcc@example.org>"))
    (drop / "2.eml").write_bytes(reply(ADDRESS[POLICE], [("wessex-police.csv", csv_file.read_bytes())],
                                       message_id="<police@example.org>"))
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder",
                 str(drop)]) == 0, capsys.readouterr()
    outbox = root / "outputs" / PERIOD / "mail" / "outbox"
    acks = {str(m["In-Reply-To"]): " ".join(m.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
            for m in (parsed(path) for path in outbox.iterdir())}

    told = acks["<opcc@example.org>"]
    assert ("Action 6 is no longer in the plan: it was withdrawn after the workbook was made. What to do: Nothing to "
            "do: the action has been withdrawn from the plan, so this update is not used.") in told
    assert "opcc.xlsx: every status, explanation and timeframe is as pre-filled" in told
    assert "check the number" not in told.lower() and "Please correct" not in told

    told = acks["<police@example.org>"]
    assert "Action 3 has no row in wessex-police.csv, the workbook made for Wessex Police's updates" in told
    assert "saved as CSV" not in told


def test_a_section_renamed_after_the_workbook_went_out_is_not_asked_of_the_partner(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October's workbooks were made; the officer then renamed the section 'Victims' to 'Supporting victims' and
    reworded action 6 in the register. OPCC mailed its workbook back with action 2 updated and action 4's action
    text edited, its Section cells and action 6's Action as sent: the acknowledgement asked whether actions 4 and 6
    should move to another section and told OPCC to leave action 6's text as sent, though OPCC changed neither. Now
    it asks only about the action text OPCC did edit, and the officer gets one note of what the register changed."""
    from conftest import make_workspace
    from mail_helpers import mail_toml

    root = make_workspace(tmp_path / "ws", period="2026-09", toml=mail_toml())
    assert main(["build", "--workspace", str(root), "--period", "2026-09"]) in (0, 1)
    assert main(["returns", "--workspace", str(root), "--period", PERIOD]) == 0
    book = openpyxl.load_workbook(root / "outputs" / PERIOD / "returns" / "opcc.xlsx")
    rows = {cells[0].value: cells for cells in book["Return"].iter_rows(min_row=2)}
    rows[2][3].value, rows[2][4].value = "Completed", "The plan was published on 3 October."
    rows[4][2].value = "Fund an advocacy service for victims."  # the partner's own change
    data = io.BytesIO()
    book.save(data)
    register = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(register)
    for cells in book["Register"].iter_rows(min_row=2):
        cells[1].value = "Supporting victims" if cells[1].value == "Victims" else cells[1].value
        cells[3].value = "Lobby for more court capacity." if cells[0].value == 6 else cells[3].value
    book.save(register)
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.xlsx", data.getvalue())],
                                       message_id="<opcc@example.org>"))
    capsys.readouterr()
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder",
                 str(drop)]) == 0
    printed = capsys.readouterr().out
    [eml] = (root / "outputs" / PERIOD / "mail" / "outbox").iterdir()
    told = " ".join(parsed(eml).get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "1 point worth checking: - Sheet 'Return', row 3, column 'Action': Action 4:" in told
    assert "section" not in told.lower() and "Action 6" not in told
    assert ("The workbook was made before the register changed the section of action 4 and the text of action 6"
            in printed)


def test_an_acknowledgement_names_no_file_or_folder_of_the_secretariats(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October's workbooks were made into a folder of their own (`reportgen returns --out`) from September's kept
    draft; action 6 is then withdrawn, and OPCC sends its workbook back saved as CSV, action 6's row updated. The
    acknowledgement told OPCC our folder outputs/2026-10/returns/ (no copy of its workbook there) and the draft
    2026-09/draft-01 (that had action 6): the officer's wording, with only its advice rewritten for partners. Now
    the partner reads its own file's name and nothing of the workspace, and the officer still both."""
    from conftest import ACTIONS, REGISTER_HEADINGS, make_workspace, write_csv
    from mail_helpers import filled, mail_toml

    root = make_workspace(tmp_path / "ws", period="2026-09", returns={}, toml=mail_toml())
    assert main(["build", "--workspace", str(root), "--period", "2026-09"]) in (0, 1)
    books = {path.name: path.read_bytes() for path in write_return_workbooks(root, PERIOD, tmp_path / "books")[0]}
    make_workspace(root, period=PERIOD, returns={}, toml=mail_toml(),
                   register=[REGISTER_HEADINGS, *(action for action in ACTIONS if action[0] != 6)])
    rows = [tuple(row) for row in openpyxl.load_workbook(io.BytesIO(filled(books["opcc.xlsx"], {
        2: "Completed", 4: "In progress", 6: "On hold"})))["Return"].iter_rows(values_only=True)]
    csv_file = write_csv(tmp_path / "saved" / "opcc.csv", rows)
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.csv", csv_file.read_bytes())]))
    capsys.readouterr()
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder",
                 str(drop)]) == 0
    officer = " ".join(capsys.readouterr().out.split())
    assert f"is in outputs/{PERIOD}/returns/ to compare it with" in officer  # the officer is told where
    assert "Action 6 was in the paper of 2026-09/draft-01" in officer

    [eml] = (root / "outputs" / PERIOD / "mail" / "outbox").iterdir()
    raw = eml.read_bytes().decode("utf-8", "replace")
    told = " ".join(parsed(eml).get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "opcc.csv is the workbook we sent, saved as CSV" in told
    assert "Action 6 is no longer in the plan: it was withdrawn after the workbook was made." in told
    for place in (str(root), str(tmp_path), f"outputs/{PERIOD}", "outputs/", "inputs/", "draft-01", "2026-09/"):
        assert place not in told and place not in raw, place


# what a partner is never told: the tool's name, our settings, our folders, our commands
JARGON = ("reportgen", ".toml", "[partners", "[returns", "[register", "inputs/", "outputs/", "issues.csv", "--",
          "validate", "draft-0", "the user running")


def _return_with_many_problems() -> bytes:
    """OPCC's return with a problem of most kinds a cell, a row, a column or a sheet can have."""
    from openpyxl.comments import Comment

    from conftest import RETURN_HEADINGS

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Return"
    sheet.append([*RETURN_HEADINGS, "Internal notes", None, "Old status"])
    sheet.append([2, "", "Nearly there", "=1+1", "Done", "Board to see", "Stray note", "On hold"])  # G: no heading
    sheet.append([4, "", "In progress", "Tendering.", 2.5, None, None, None])
    sheet.append([4, "", "Completed", "Tendered\u200b again.", "TRUE", None, None, None])
    sheet.append([99, "", "Completed", "Not ours.", "2027", None, None, None])
    sheet.append([None, "", "Completed", "Which action?", "2027", None, None, None])
    sheet.append([6, "", "On hold", "#REF!", "3 years from the date the contract is signed, subject to the board "
                  "approving the business case and the funding being confirmed by the council", None, None, None])
    sheet["E3"].number_format = "# ?/?"
    sheet["D3"].comment = Comment("Check with finance before sending.", "A. Partner")
    sheet["D7"].hyperlink = "https://example.org/minutes"
    sheet.column_dimensions["H"].hidden = True
    sheet.row_dimensions[5].hidden = True
    book.create_sheet("Notes").append(["Plan priority", "Status this reporting period"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cli(root: Path, *command: str) -> str:
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *command, "--workspace", str(root),
                           "--period", PERIOD], capture_output=True, text=True, env={**os.environ, **env()},
                          timeout=300, check=False)
    assert "Traceback" not in done.stderr and done.returncode in (0, 1), done.stdout + done.stderr
    return " ".join(done.stdout.split())


def test_a_partner_is_told_its_returns_problems_in_its_own_words_and_the_officer_in_full(tmp_path: Path,
                                                                                         smtp) -> None:
    """An acknowledgement told a partner "Column 'Internal notes' is not a column reportgen reads" and "reportgen
    does not write numbers that way": the tool's name, which the partner has never heard of. A return with problems
    of many kinds is collected: its acknowledgement (written as .eml by a dry run, then sent) names no tool, setting,
    folder or command of ours, and says what to change in the workbook; the build's issues.csv keeps the officer's
    wording, with where the file is and the settings that could take the partner's words."""
    import csv

    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("OPCC return.xlsx", _return_with_many_problems())]))

    _cli(root, "collect", "--dry-run", "--from-folder", str(drop))
    [eml] = (root / "outputs" / PERIOD / "mail" / "outbox").iterdir()
    _cli(root, "collect", "--from-folder", str(drop))
    [sent] = captured.parsed()
    assert saved_files(root) == ["opcc.xlsx"]
    _cli(root, "build")
    [issues_csv] = (root / "outputs").glob(f"{PERIOD}/**/issues.csv")
    with issues_csv.open(encoding="utf-8-sig", newline="") as stream:
        officer = [row for row in csv.DictReader(stream) if row["file"] == f"inputs/returns/{PERIOD}/opcc.xlsx"]
    codes = {row["code"] for row in officer if row["severity"] in ("error", "warning")}
    assert {"unknown-status", "unread-column", "number-format-not-read", "ambiguous-update", "unknown-ref",
            "missing-ref", "formula-error", "cell-comment", "hidden-row", "invisible-characters"} <= codes, codes
    told_officer = " ".join(f"{row['message']} {row['advice']}" for row in officer)
    assert "is not one of the columns read" in told_officer and "reportgen.toml" in told_officer

    for acknowledgement in (parsed(eml), sent):
        told = " ".join(acknowledgement.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
        raw = acknowledgement.as_bytes().decode("utf-8", "replace")
        assert "OPCC return.xlsx" in told and "What to do:" in told
        assert "Column 'Internal notes' is not one of the columns read" in told
        assert "the paper does not show numbers that way" in told
        # two rows of action 4 saying different things: only the partner can say which is right
        assert "Action 4 is also updated in OPCC return.xlsx row 3, with status 'In progress' there, 'Completed' " \
            "here; the first one is used and this one is not. What to do: Keep one row per action." in told, told
        for word in (*JARGON, str(root)):
            assert word.casefold() not in told.casefold(), (word, told)
        assert "reportgen.toml" not in raw and "inputs/returns" not in raw
        for row in officer:  # each problem the officer is told of is told the partner
            if row["severity"] in ("error", "warning") and row["row"]:
                assert f"Row {row['row']}" in told or f"row {row['row']}" in told, row


def test_an_aside_meant_for_the_officer_is_not_told_the_partner() -> None:
    """A message's bracketed aside naming reportgen ("(to the user running reportgen)") is the officer's: the
    partner reads the rest, with its own file's name."""
    from reportgen.issues import issue
    from reportgen.mail.collect import for_partner

    shown = f"inputs/returns/{PERIOD}/opcc.xlsx"
    officer = issue("unreadable-file", "no-permission", file=shown)
    assert officer.message == f"{shown} could not be read: permission to read it was refused (to the user running " \
        "reportgen)."
    told = for_partner(officer, shown, "OPCC return.xlsx")
    assert (told.message, told.advice) == ("OPCC return.xlsx could not be read: permission to read it was refused.",
                                           "Save the workbook again as .xlsx and send it again.")


def test_a_row_sent_back_as_prefilled_before_an_earlier_correction_is_acknowledged_as_returned_as_sent(
        tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    """November's workbooks were made, then the police corrected action 3 in October's return (Not started to In
    progress) and October was built again. The police mail November's workbook back with only action 1's
    explanation changed: action 3's row, untouched, still says Not started. The build reads it as returned as sent,
    with the corrected update; collect checked it as the police's update back to Not started, and told neither the
    police nor the officer. Now the acknowledgement says the corrected update is used, as the build will."""
    from conftest import make_workspace
    from mail_helpers import mail_toml

    controller, captured = smtp
    root = make_workspace(tmp_path / "ws", period="2026-10", toml=mail_toml(controller.port, dovecot.port))
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) in (0, 1)
    assert main(["returns", "--workspace", str(root), "--period", "2026-11"]) == 0
    october = root / "inputs" / "returns" / "2026-10" / "wessex-police.xlsx"
    book = openpyxl.load_workbook(october)
    book["Return"]["C3"] = "In progress"  # action 3, reported as Not started
    book.save(october)
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) in (0, 1)
    book = openpyxl.load_workbook(root / "outputs" / "2026-11" / "returns" / "wessex-police.xlsx")
    assert [(row[0].value, row[3].value) for row in book["Return"].iter_rows(min_row=2)] == [
        (1, "Completed"), (3, "Not started")]  # made before the correction
    book["Return"]["E2"] = "New this month."
    data = io.BytesIO()
    book.save(data)
    dovecot.append(reply(ADDRESS[POLICE], [("wessex-police.xlsx", data.getvalue())],
                         subject="Re: Return [reportgen 2026-11]", message_id="<police@example.org>"))
    run = collect_returns(root, "2026-11", credentials_from_env(env()))
    [ack] = captured.parsed()
    told = " ".join(ack.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "found nothing to correct" in told
    assert ("1 note for your information: - Sheet 'Return', row 3: Action 3: the row is as your workbook was "
            "pre-filled, but that update was corrected to 'In progress' after the workbook was made, so your return "
            "for this period is read as 'In progress'") in told
    assert "inputs/returns" not in told, "the partner reads nothing of the secretariat's folders"
    [note] = [item for item in run.issues if item.code == "prefilled-before-correction"]
    assert note.ref == 3 and "'In progress'" in note.message

    # the build the officer runs next says the same
    from reportgen.run.build import validate_draft

    assert [(i.ref, i.row) for i in validate_draft(root, "2026-11").issues
            if i.code == "prefilled-before-correction"] == [(3, 3)]


def _delayed_corrected_then_mailed_back(tmp_path: Path, smtp, dovecot: Dovecot, cells: dict[str, str]
                                       ) -> tuple[MailRun, str]:
    """The police reported action 3 as 'Delayed' (not a status) in October, so November's workbook was pre-filled
    with no status for it; then October's row was corrected (`cells` of its sheet, by cell) and October built again,
    and the police mailed November's workbook back as made. The collect run and the acknowledgement's words."""
    from conftest import default_returns, make_workspace
    from mail_helpers import mail_toml

    controller, captured = smtp
    returns = default_returns()
    returns["wessex-police.xlsx"][2] = (3, returns["wessex-police.xlsx"][2][1], "Delayed", "Update on action 3.",
                                        "Spring 2027")
    root = make_workspace(tmp_path / "ws", period="2026-10", returns=returns,
                          toml=mail_toml(controller.port, dovecot.port))
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) in (0, 1)
    assert main(["returns", "--workspace", str(root), "--period", "2026-11"]) == 0
    october = root / "inputs" / "returns" / "2026-10" / "wessex-police.xlsx"
    book = openpyxl.load_workbook(october)
    for cell, value in cells.items():
        book["Return"][cell] = value
    book.save(october)
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) in (0, 1)
    sent = (root / "outputs" / "2026-11" / "returns" / "wessex-police.xlsx").read_bytes()
    dovecot.append(reply(ADDRESS[POLICE], [("wessex-police.xlsx", sent)],
                         subject="Re: Return [reportgen 2026-11]", message_id="<police@example.org>"))
    run = collect_returns(root, "2026-11", credentials_from_env(env()))
    [ack] = captured.parsed()
    return run, " ".join(ack.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]


def test_a_row_prefilled_with_no_status_before_a_correction_is_not_asked_for_a_status(
        tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    """The police reported action 3 as 'Delayed' (not a status) in October, so November's workbook was pre-filled
    with no status for it; then October was corrected to Not started. The police mail the workbook back untouched:
    the acknowledgement said the corrected update is read for the row, and also that the row has no status and is
    to be given one. Now it only says the corrected update is read."""
    run, told = _delayed_corrected_then_mailed_back(tmp_path, smtp, dovecot, {"C3": "Not started"})
    assert "no status" not in told.replace("pre-filled with no status", "").replace("showed no status for it", "")
    assert ("Action 3: the row is as your workbook was pre-filled, but that update was corrected to 'Not started'"
            in told)
    assert "('')" not in told
    assert [item.code for item in run.issues if item.ref == 3] == ["prefilled-before-correction"]


def test_the_acknowledgement_names_the_corrected_status_whatever_words_the_status_holds(
        tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    """The police reported action 3 as 'Delayed' (not a status), so November's workbook was pre-filled with no
    status for it; then they corrected October's row to a status of their own words, which happen to read like the
    officer's note ("… was corrected (…); the paper shows the corrected update (…)"). The acknowledgement read the
    corrected status back out of the officer's note by its wording, took the status's own words for the note's, and
    told the police their return is read as "On hold)'". Now it names the status the note was made with, whole."""
    corrected = ("Delayed: the row was sent back as its workbook was pre-filled (in error), before the update "
                 "reported to the board was corrected (see minutes); the paper shows the corrected update (On hold)")
    run, told = _delayed_corrected_then_mailed_back(tmp_path, smtp, dovecot,
                                                    {"C3": corrected, "D3": "Reviewed by the board."})
    assert (f"Action 3: the row is as your workbook was pre-filled, but that update was corrected to '{corrected}' "
            "after the workbook was made, which is not a status we recognise, so your return for this period has no "
            "status for this action.") in told
    assert "corrected to On hold" not in told
    [note] = [item for item in run.issues if item.code == "prefilled-before-unrecognised"]
    assert note.named_field("status") == corrected and f"'{corrected}'" in note.message


def test_a_new_action_missing_from_a_mailed_return_is_asked_for_its_first_update(
        tmp_path: Path, smtp, dovecot: Dovecot) -> None:
    """Action 7 joined the register after October's workbooks were made, so the police's has no row for it. The
    acknowledgement told the police "Do not delete rows", as if they had deleted it, and asked for an update of an
    action nothing was ever reported for. Now it asks for the action's first update, as the build's warning does."""
    from conftest import ACTIONS, REGISTER_HEADINGS, make_workspace, write_xlsx
    from mail_helpers import mail_toml

    controller, captured = smtp
    root = make_workspace(tmp_path / "ws", period="2026-09", toml=mail_toml(controller.port, dovecot.port))
    assert main(["build", "--workspace", str(root), "--period", "2026-09"]) in (0, 1)
    assert main(["returns", "--workspace", str(root), "--period", PERIOD]) == 0
    write_xlsx(root / "inputs" / "register.xlsx",
               [REGISTER_HEADINGS, *ACTIONS, (7, "Justice", "Wessex Police", "Open a new custody suite.", "18")],
               sheet="Register")
    book = openpyxl.load_workbook(root / "outputs" / PERIOD / "returns" / "wessex-police.xlsx")
    assert [row[0].value for row in book["Return"].iter_rows(min_row=2)] == [1, 3]
    book["Return"]["E2"] = "New this month."
    data = io.BytesIO()
    book.save(data)
    dovecot.append(reply(ADDRESS[POLICE], [("wessex-police.xlsx", data.getvalue())]))
    run = collect_returns(root, PERIOD, credentials_from_env(env()))
    [ack] = captured.parsed()
    told = " ".join(ack.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "Action 7 has no row in wessex-police.xlsx" in told and "new to the register" in told
    assert ("What to do: Please send this action's first update (its status, explanation and timeframe) in your "
            "reply to this email: the workbook you were sent has no row for it") in told
    assert "add a row" not in told  # the workbook's rows are protected: none can be added
    assert "Do not delete rows" not in told and "carried forward" not in told
    [deleted] = [item for item in run.issues if item.code == "row-deleted"]
    assert deleted.ref == 7 and "first update" in deleted.advice, "the officer's advice is the officer's"


def test_a_return_saved_in_libreoffice_as_ods_is_answered_once_with_how_to_save_it_as_xlsx(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police, on LibreOffice Calc, sent its return as wessex-police.ods. The reply said it "had no return
    workbook (.xlsx or .csv) attached", then named the file, and that a workbook is taken "only as an Excel
    Workbook (.xlsx)", with Excel's menu alone; the officer got two warnings for the one file. Now the reply says
    once what the file is and how to save it as .xlsx from Excel or LibreOffice (a CSV is taken too), and the
    officer gets one warning; `validate` advises either program for an .ods or old .xls in the returns folder."""
    root = mail_workspace(tmp_path / "ws")
    drop = tmp_path / "drop"
    drop.mkdir()
    ods = b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
    (drop / "1.eml").write_bytes(reply(ADDRESS[POLICE], [("wessex-police.ods", ods)]))
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder",
                 str(drop)]) == 0
    printed = capsys.readouterr().out
    assert [line.split()[0] for line in printed.splitlines() if line.startswith("  warning ")] == ["warning"], printed
    assert ("Wessex Police attached 'wessex-police.ods', an OpenDocument (LibreOffice) spreadsheet, as its return: "
            "it is not a .xlsx or .csv file, so it was not read or saved.") in " ".join(printed.split())
    [ack] = [parsed(path) for path in (root / "outputs" / PERIOD / "mail" / "outbox").iterdir()]
    told = " ".join(ack.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert ("We cannot read 'wessex-police.ods', an OpenDocument (LibreOffice) spreadsheet. Please save it as an "
            "Excel workbook (.xlsx) and send it again. In LibreOffice: File > Save As, file type \"Excel 2007-365 "
            "(.xlsx)\". In Google Sheets: File > Download > Microsoft Excel (.xlsx). In Excel: File > Save As, file "
            "type \"Excel Workbook (.xlsx)\". (A CSV file saved as UTF-8 is taken too.)") in told
    assert "no return workbook" not in told and "only as" not in told

    folder = root / "inputs" / "returns" / PERIOD
    (folder / "wessex-police.ods").write_bytes(ods)
    (folder / "opcc.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert main(["validate", "--workspace", str(root), "--period", PERIOD]) == 1
    validated = " ".join(capsys.readouterr().out.split())
    advice = ("Open it and save it as an Excel workbook (.xlsx) in its place. In Excel: File > Save As, file type "
              "\"Excel Workbook (.xlsx)\". In LibreOffice: File > Save As, file type \"Excel 2007-365 (.xlsx)\".")
    assert validated.count(advice) == 1, validated  # the .xls; the .ods in its own programs
    assert ("Open it and save it as an Excel workbook (.xlsx) in its place. In LibreOffice: File > Save As, file type "
            "\"Excel 2007-365 (.xlsx)\". In Google Sheets: File > Download > Microsoft Excel (.xlsx).") in validated
    assert "Open it in Excel" not in validated


def test_a_return_sent_as_a_numbers_file_is_answered_with_how_to_export_it_from_numbers(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police, on a Mac with Numbers and no Excel, sent wessex-police.numbers. The reply told it to save the
    file as .xlsx in Excel or in LibreOffice, neither of which it has (nor opens a Numbers file as it was made). Now
    it says how in Numbers: File > Export To > Excel."""
    root = mail_workspace(tmp_path / "ws")
    drop = tmp_path / "drop"
    drop.mkdir()
    numbers = b"PK\x03\x04Index/Document.iwa"  # a Numbers file is a zip package of its own
    (drop / "1.eml").write_bytes(reply(ADDRESS[POLICE], [("wessex-police.numbers", numbers)]))
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder",
                 str(drop)]) == 0
    printed = capsys.readouterr().out
    assert "'wessex-police.numbers', an Apple Numbers spreadsheet, as its return" in " ".join(printed.split())
    [ack] = [parsed(path) for path in (root / "outputs" / PERIOD / "mail" / "outbox").iterdir()]
    told = " ".join(ack.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert ("We cannot read 'wessex-police.numbers', an Apple Numbers spreadsheet. Please save it as an Excel "
            "workbook (.xlsx) and send it again. In Numbers: File > Export To > Excel, then Save. (A CSV file saved "
            "as UTF-8 is taken too.)") in told
    assert "In Excel" not in told and "In LibreOffice" not in told


def test_a_return_downloaded_from_google_sheets_as_tab_separated_is_answered_with_how_to_download_it_as_xlsx(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC filled its workbook in in Google Sheets and sent File > Download > Tab-separated values: "opcc -
    Return.tsv". The officer got two warnings for the one file (no return attached; an attachment not read), and the
    reply said the message had "no return workbook attached" and the file "is not a spreadsheet we can read", with
    no way to send one that is. Now it is answered as a return saved in another format: once, saying how to
    download it from Google Sheets as .xlsx (or as a CSV, which is taken too)."""
    root = mail_workspace(tmp_path / "ws")
    assert main(["returns", "--workspace", str(root), "--period", PERIOD]) == 0
    sheet = openpyxl.load_workbook(root / "outputs" / PERIOD / "returns" / "opcc.xlsx")["Return"]
    lines = ["\t".join("" if value is None else str(value) for value in row)
             for row in sheet.iter_rows(values_only=True)]
    tsv = "\r\n".join(lines).encode("utf-8")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc - Return.tsv", tsv)]))
    capsys.readouterr()
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder",
                 str(drop)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert printed.count(" warning ") == 1, printed
    assert ("OPCC attached 'opcc - Return.tsv', a tab-separated text file, as its return: it is not a .xlsx or .csv "
            "file, so it was not read or saved.") in printed
    [ack] = [parsed(path) for path in (root / "outputs" / PERIOD / "mail" / "outbox").iterdir()]
    told = " ".join(ack.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert ("We cannot read 'opcc - Return.tsv', a tab-separated text file. Please save it as an Excel workbook "
            "(.xlsx) and send it again. In Google Sheets: File > Download > Microsoft Excel (.xlsx).") in told
    assert "(A CSV file saved as UTF-8 is taken too.)" in told
    assert "no return workbook" not in told and "not a spreadsheet we can read" not in told
    assert not list((root / "inputs" / "returns" / PERIOD).iterdir())  # nothing saved


def corrected_after_the_workbooks_were_made(tmp_path: Path, before: str, after: str) -> tuple[Path, Path]:
    """A workspace whose police reported action 3 as `before` in October; November's workbooks were made, then
    October's row was corrected to `after` and October built again. The police's November workbook, as made,
    comes back with only action 1's explanation changed, as a .eml in the folder returned."""
    from conftest import default_returns, make_workspace
    from mail_helpers import mail_toml

    returns = default_returns()
    row = returns["wessex-police.xlsx"][2]
    returns["wessex-police.xlsx"][2] = (row[0], row[1], before, row[3], row[4])
    root = make_workspace(tmp_path / "ws", period="2026-10", returns=returns, toml=mail_toml())
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) in (0, 1)
    assert main(["returns", "--workspace", str(root), "--period", "2026-11"]) == 0
    october = root / "inputs" / "returns" / "2026-10" / "wessex-police.xlsx"
    book = openpyxl.load_workbook(october)
    book["Return"]["C3"] = after
    book.save(october)
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) in (0, 1)
    book = openpyxl.load_workbook(root / "outputs" / "2026-11" / "returns" / "wessex-police.xlsx")
    book["Return"]["E2"] = "New this month."
    data = io.BytesIO()
    book.save(data)
    (tmp_path / "wessex-police.xlsx").write_bytes(data.getvalue())  # as the officer would save it
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[POLICE], [("wessex-police.xlsx", data.getvalue())],
                                       subject="Re: Return [reportgen 2026-11]"))
    return root, drop


def collected_reply(root: Path, drop: Path) -> str:
    """The acknowledgement a dry run of `collect` writes for the one message in `drop`, its words on one line."""
    assert main(["collect", "--workspace", str(root), "--period", "2026-11", "--dry-run", "--from-folder",
                 str(drop)]) in (0, 1)
    [eml] = (root / "outputs" / "2026-11" / "mail" / "outbox").glob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    return " ".join(message.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]


def test_a_row_prefilled_before_a_correction_to_an_unrecognised_status_is_asked_for_its_status(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October's action 3 was corrected to 'Paused – 'awaiting' funding', not a status, after November's workbooks
    were made; the police sent November's row back as pre-filled. The reply said the paper shows the corrected
    update and counts the row as returned as sent, and that nothing was to do, while the build read the row as no
    update and told the officer to chase the police. Now the row is read as pre-filled with no status recognised:
    the police are asked for the action's status, and the officer's note claims no status the paper does not count."""
    status = "Paused – 'awaiting' funding"
    root, drop = corrected_after_the_workbooks_were_made(tmp_path, "Not started", status)
    told = collected_reply(root, drop)
    assert "the paper shows the corrected update" not in told
    assert f"so your return for this period is read as '{status}'" not in told
    assert (f"Action 3: the row is as your workbook was pre-filled, but that update was corrected to '{status}' "
            "after the workbook was made, which is not a status we recognise") in told
    assert ("Sheet 'Return', row 3, column 'Status this reporting period': Action 3 has no status in row 3. What "
            "to do: Choose this period's status from the list.") in told
    capsys.readouterr()
    (root / "inputs" / "returns" / "2026-11").mkdir(parents=True)
    shutil.copy(tmp_path / "wessex-police.xlsx", root / "inputs" / "returns" / "2026-11")
    assert main(["validate", "--workspace", str(root), "--period", "2026-11"]) in (0, 1)
    said = " ".join(capsys.readouterr().out.split())
    assert "the paper shows the corrected update" not in said
    assert "no status was recognised" in said


def test_a_row_sent_with_no_status_before_a_correction_is_not_asked_about_the_status_its_workbook_showed(
        tmp_path: Path) -> None:
    """October's action 3 was 'Not yet begun', not a status, so November's workbook went out with no status for it;
    then October was corrected to '  not   STARTED. ' and the police sent the row back as pre-filled. The reply said
    the corrected update is read, "not the update your workbook showed", and to say so "if you meant the status your
    workbook showed": it showed none. Now the reply says the workbook showed no status for it."""
    root, drop = corrected_after_the_workbooks_were_made(tmp_path, "Not yet begun", "  not   STARTED. ")
    told = collected_reply(root, drop)
    assert "Action 3: the row is as your workbook was pre-filled, but that update was corrected to 'Not started'" \
        in told
    assert "your workbook showed no status for it" in told
    assert "the status your workbook showed" not in told and "the update your workbook showed" not in told
