"""Sending workbooks and reminders: settings, credentials, the dry run, SMTP (LOGIN and XOAUTH2) with a
real aiosmtpd server on 127.0.0.1, and the ledger that keeps a message from being sent twice."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import textwrap
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import openpyxl
import pytest

from conftest import REGISTER_HEADINGS, make_workspace
from mail_helpers import (
    ADDRESS,
    CJB,
    FROM,
    OPCC,
    PERIOD,
    POLICE,
    attachment,
    but_the_deadline,
    env,
    mail_toml,
    mail_workspace,
    register_with_its_own_problems,
    reply,
)
from mailservers import PASSWORD, TOKEN, USER, free_port
from reportgen.check.checked import load_register
from reportgen.errors import ReportgenError
from reportgen.issues import flatten
from reportgen.mail.credentials import credentials_from_env
from reportgen.mail.kept import message_folder
from reportgen.mail.ledger import sent_ledger
from reportgen.mail.partners import partner_of, partners_of
from reportgen.mail.steps import chase_partners, send_returns
from reportgen.read.register import check_partners
from reportgen.read.workspace import find_inputs
from reportgen.settings import settings_from_dict

# aiosmtpd warns of AUTH without TLS on every connection: on 127.0.0.1 in a test that is the point
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


def test_partner_addresses_must_be_well_formed() -> None:
    with pytest.raises(ReportgenError, match=r"not an email address: 'lcjb at wessex'"):
        settings_from_dict({"partners": {CJB: {"emails": ["lcjb at wessex"]}}})
    # a shared mailbox: collect tells whose return it sent by the workbook (tests/test_mail_busy_week.py)
    shared = settings_from_dict({"partners": {OPCC: {"emails": ["a@x.org"]}, POLICE: {"emails": ["A@x.org"]}}})
    assert partners_of(shared, "a@x.org") == (OPCC, POLICE) and partner_of(shared, "a@x.org") is None
    with pytest.raises(ReportgenError, match=r"mail\.smtp\.tls"):
        settings_from_dict({"mail": {"smtp": {"host": "h", "tls": "ssl"}}})


def test_a_partner_that_is_not_a_lead_is_located(tmp_path: Path) -> None:
    root = mail_workspace(tmp_path / "ws")
    text = (root / "reportgen.toml").read_text().replace('[partners."OPCC"]', '[partners."OPPC"]')
    (root / "reportgen.toml").write_text(text)
    inputs, _ = find_inputs(root, PERIOD)
    issues = check_partners(inputs.settings, load_register(inputs)[0])
    assert flatten(issues, ["code", "file", "column", "value"]) == [
        ["partner-not-lead", "reportgen.toml", '[partners."OPPC"]', "OPPC"]]
    assert "Did you mean 'OPCC'?" in issues[0].message
    assert partner_of(inputs.settings, f"Police <{ADDRESS[POLICE].upper()}>") == POLICE
    assert partner_of(inputs.settings, "someone@elsewhere.example.org") is None


def test_ports_follow_the_tls_mode() -> None:
    mail = settings_from_dict({"mail": {"imap": {"host": "h"}, "smtp": {"host": "h", "tls": "tls"}}}).mail
    assert (mail.port("smtp"), mail.port("imap")) == (465, 993)
    assert settings_from_dict({}).mail.port("smtp") == 587


def test_credentials_come_from_the_environment_and_never_show() -> None:
    login = credentials_from_env(env())
    assert login is not None and login.secret == PASSWORD and PASSWORD not in repr(login)
    oauth = credentials_from_env(env(password="", token=TOKEN), auth="xoauth2")
    assert oauth is not None and oauth.secret == TOKEN and TOKEN not in repr(oauth)
    assert credentials_from_env({}) is None
    with pytest.raises(ReportgenError, match="REPORTGEN_MAIL_OAUTH_TOKEN is not"):
        credentials_from_env(env(), auth="xoauth2")
    assert credentials_from_env(env(password=""), secret="from-a-block") is not None
    # a password without the user was left unused: the mail went without a login, and the server refused it
    for variable, value in (("REPORTGEN_MAIL_PASSWORD", PASSWORD), ("REPORTGEN_MAIL_OAUTH_TOKEN", TOKEN)):
        with pytest.raises(ReportgenError, match=f"{variable} is set but REPORTGEN_MAIL_USER is not: set it to the "
                           "mailbox's login") as refused:
            credentials_from_env({variable: value})
        assert value not in str(refused.value)


def test_settings_file_cannot_hold_a_password() -> None:
    with pytest.raises(ReportgenError, match=r"mail\.password: unknown key"):
        settings_from_dict({"mail": {"password": "hunter2"}})


def test_dry_run_writes_one_eml_per_partner_with_its_workbook(tmp_path: Path) -> None:
    root = mail_workspace(tmp_path / "ws")
    run = send_returns(root, PERIOD, None, dry_run=True)
    outbox = root / "outputs" / PERIOD / "mail" / "outbox"
    assert run.outbox == outbox
    files = sorted(p.name for p in outbox.iterdir())
    assert files == [f"workbook-{PERIOD}-{name}.eml" for name in ("Criminal-Justice-Board", "OPCC", "Wessex-Police")]
    message = BytesParser(policy=policy.default).parsebytes((outbox / f"workbook-{PERIOD}-OPCC.eml").read_bytes())
    assert message["To"] == ADDRESS[OPCC] and message["From"] == f"Wessex OPCC <{FROM}>"
    assert "24 October 2026" in message["Subject"] and f"[reportgen {PERIOD}]" in message["Subject"]
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "lists the 3 actions of the plan you lead" in body and "by 24 October 2026" in body
    assert body.startswith("Dear OPCC colleagues,\n")  # not "Dear colleagues at OPCC"
    # the workspace's first period: nothing to pre-fill, and neither the message nor the run says otherwise
    assert "with no status, explanation or timeframe yet: this is the first period reported" in body
    assert "last period's status" not in body
    assert [i.code for i in run.issues if i.code == "blank-workbooks"] == ["blank-workbooks"]
    name, data = attachment(message)  # type: ignore[arg-type]
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Return"]
    assert name == "opcc.xlsx" and [row[0].value for row in sheet.iter_rows(min_row=2)] == [2, 4, 6]
    assert not (root / "outputs" / PERIOD / "mail" / "sent.csv").exists()  # a dry run records nothing


def test_with_no_deadline_set_the_mail_names_none(tmp_path: Path) -> None:
    root = mail_workspace(tmp_path / "ws")
    toml = root / "reportgen.toml"
    toml.write_text(toml.read_text().replace("deadline = 2026-10-24\n", ""))
    run = send_returns(root, PERIOD, None, dry_run=True)
    outbox = root / "outputs" / PERIOD / "mail" / "outbox"
    message = BytesParser(policy=policy.default).parsebytes((outbox / f"workbook-{PERIOD}-OPCC.eml").read_bytes())
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert message["Subject"] == f"Return for October 2026: please reply [reportgen {PERIOD}]"
    assert "Reply to this message with the completed workbook attached. We check it" in body
    assert "by ." not in body and "deadline" not in body.lower()
    assert "deadline-passed" not in [i.code for i in run.issues]
    [said] = [i for i in run.issues if i.code == "no-deadline"]  # the officer is told the mail names none
    assert (said.severity, said.file, said.column) == ("warning", "reportgen.toml", "deadline")
    assert "and any mail sending them, name no day to reply by" in said.message


def test_send_returns_dry_run_says_the_workbooks_and_mail_name_no_deadline(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen send-returns --dry-run` with no deadline set wrote messages naming none and said nothing: it now
    prints the warning, with how to set one; with a deadline set it says nothing of it."""
    from reportgen.shells.cli import main

    root = mail_workspace(tmp_path / "ws")
    toml = root / "reportgen.toml"
    with_deadline = toml.read_text()
    toml.write_text(with_deadline.replace("deadline = 2026-10-24\n", ""))
    assert main(["send-returns", "--workspace", str(root), "--period", PERIOD, "--dry-run"]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert ("reportgen.toml warning setting 'deadline': reportgen.toml sets no returns deadline ([returns] "
            "deadline or days_before_meeting): the October 2026 workbooks, and any mail sending them, name "
            "no day to reply by.") in printed
    assert "set [returns] deadline = YYYY-MM-DD in reportgen.toml" in printed
    outbox = root / "outputs" / PERIOD / "mail" / "outbox"
    message = BytesParser(policy=policy.default).parsebytes((outbox / f"workbook-{PERIOD}-OPCC.eml").read_bytes())
    assert "deadline" not in message.get_body(("plain",)).get_content().lower()  # type: ignore[union-attr]

    shutil.rmtree(root / "outputs")
    toml.write_text(with_deadline)
    assert main(["send-returns", "--workspace", str(root), "--period", PERIOD, "--dry-run"]) == 0
    assert "no returns deadline" not in capsys.readouterr().out


def test_send_returns_for_a_period_after_the_meeting_warns_of_it_as_validate_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The meeting date set, 24 September 2026, is before the period October 2026: `validate` warned of it, but
    `send-returns` mailed the workbooks saying nothing. It says so, as `validate` does."""
    from reportgen.shells.cli import main

    root = mail_workspace(tmp_path / "ws")
    toml = root / "reportgen.toml"
    toml.write_text(toml.read_text().replace('title = "Test Delivery Plan"\n',
                                             'title = "Test Delivery Plan"\ndate = 2026-09-24\n'))
    assert main(["send-returns", "--workspace", str(root), "--period", PERIOD, "--dry-run"]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert ("reportgen.toml: the meeting date 24 September 2026 is before the period October 2026; the cover sheet "
            "would show it.") in printed, printed


def test_a_lead_with_no_address_is_reported_not_skipped_silently(tmp_path: Path) -> None:
    root = mail_workspace(tmp_path / "ws")
    text = (root / "reportgen.toml").read_text().split('[partners."Criminal Justice Board"]')[0]
    (root / "reportgen.toml").write_text(text)
    run = send_returns(root, PERIOD, None, dry_run=True)
    assert [m.partner for m in run.sent] == [POLICE, OPCC]
    assert flatten(but_the_deadline(run.issues), ["code", "value"]) == [["no-partner-address", CJB]]


def test_send_over_smtp_once_and_never_again(tmp_path: Path, smtp) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    credentials = credentials_from_env(env())
    run = send_returns(root, PERIOD, credentials)
    assert [m.partner for m in run.sent] == [POLICE, OPCC, CJB] and not but_the_deadline(run.issues)
    assert sorted(to for to, _ in captured.messages) == sorted([[ADDRESS[lead]] for lead in (POLICE, OPCC, CJB)])
    assert captured.logins == [("LOGIN", USER)] or captured.logins == [("PLAIN", USER)]
    records = sent_ledger(root / "outputs", PERIOD).values()
    assert [(r.key, r.state) for r in records] == [(f"workbook:{PERIOD}:{lead}", "sent")
                                                   for lead in (POLICE, OPCC, CJB)]
    ids = {str(m["Message-ID"]) for m in captured.parsed()}
    assert ids == {r.message_id for r in records}
    log = (root / "outputs" / PERIOD / "mail" / "sent.csv").read_text()
    assert PASSWORD not in log
    # a second run needs no server (nothing is left to send): point it at a port nobody listens on
    toml = root / "reportgen.toml"
    toml.write_text(toml.read_text().replace(f"port = {controller.port}", f"port = {free_port()}"))
    again = send_returns(root, PERIOD, credentials)
    assert again.sent == [] and [m.partner for m in again.skipped] == [POLICE, OPCC, CJB]
    assert len(captured.messages) == 3


def test_smtp_xoauth2(tmp_path: Path, smtp) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, auth="xoauth2")
    run = send_returns(root, PERIOD, credentials_from_env(env(password="", token=TOKEN), auth="xoauth2"))
    assert len(run.sent) == 3 and captured.logins == [("XOAUTH2", USER)]


def test_a_refused_login_is_one_clear_error_without_the_secret(tmp_path: Path, smtp) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, auth="xoauth2")
    with pytest.raises(ReportgenError, match="refused the login") as raised:
        send_returns(root, PERIOD, credentials_from_env(env(password="", token="expired-token"), auth="xoauth2"))
    assert "expired-token" not in str(raised.value) and captured.messages == []
    failed = sent_ledger(root / "outputs", PERIOD).values()
    assert [(r.partner, r.state) for r in failed] == [(POLICE, "failed")]
    run = send_returns(root, PERIOD, credentials_from_env(env(password="", token=TOKEN), auth="xoauth2"))
    assert len(run.sent) == 3  # a failed message is sent on the next run


def test_a_message_cut_off_mid_send_is_reported_not_resent(tmp_path: Path, smtp) -> None:
    controller, _captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    mail = root / "outputs" / PERIOD / "mail"
    mail.mkdir(parents=True)
    (mail / "sent.csv").write_text(textwrap.dedent(f"""\
        key,state,kind,partner,to,subject,message_id,time,detail
        workbook:{PERIOD}:OPCC,sending,workbook,OPCC,{ADDRESS[OPCC]},Return,<x@y>,2026-10-01T07:00:00+00:00,
        """))
    run = send_returns(root, PERIOD, credentials_from_env(env()))
    assert [m.partner for m in run.sent] == [POLICE, CJB]
    assert flatten(but_the_deadline(run.issues), ["code", "value"]) == [["mail-uncertain", f"workbook:{PERIOD}:OPCC"]]


def test_chase_reminds_only_who_has_not_returned_listing_its_actions(tmp_path: Path, smtp) -> None:
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    from conftest import default_returns, write_xlsx

    for name, rows in default_returns().items():
        if name != "opcc.xlsx":
            write_xlsx(root / "inputs" / "returns" / PERIOD / name, rows)
    run = chase_partners(root, PERIOD, credentials_from_env(env()))
    assert [m.partner for m in run.sent] == [OPCC]
    [message] = captured.parsed()
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "We have not yet received your return for October 2026" in body
    assert "- 2: Publish the commissioning plan." in body and "- 6: Lobby for court capacity." in body
    assert "- 1:" not in body
    assert attachment(message)[0] == "opcc.xlsx"
    assert chase_partners(root, PERIOD, credentials_from_env(env())).sent == []  # once a day at most


def test_chase_counts_its_one_reminder_a_day_on_the_workspaces_day(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """One reminder a partner a day, the day being the workspace's ([schedule] timezone), as its scheduled runs
    are timed: a chase at 00:30 on 1 April in London was keyed 31 March on a machine whose clock is UTC.
    Pago Pago (UTC-11) and Kiritimati (UTC+14) are on different days at every moment, so at least one of them
    is not on the machine's day."""
    import datetime as dt
    import zoneinfo

    from mail_helpers import mail_toml
    from reportgen.shells.cli import main

    for zone in ("Pacific/Pago_Pago", "Pacific/Kiritimati"):
        root = make_workspace(tmp_path / zone.replace("/", "-"), period=PERIOD, returns={},
                              toml=mail_toml() + f'\n[schedule]\ntimezone = "{zone}"\n')
        before = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        main(["chase", "--workspace", str(root), "--period", PERIOD, "--dry-run"])
        after = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        capsys.readouterr()
        names = sorted(p.name for p in (root / "outputs" / PERIOD / "mail" / "outbox").iterdir())
        assert len(names) == 3, names
        assert all(any(f"-{day.isoformat()}.eml" in name for day in (before, after)) for name in names), (zone, names)


def test_the_ledger_reads_back_what_it_wrote_even_formula_like_text(tmp_path: Path) -> None:
    from reportgen.mail.ledger import Ledger, ReceivedRecord

    record = ReceivedRecord("<a@b>", "saved", "x@y.org", OPCC, "=HYPERLINK(\"http://evil\")",
                            "2026-10-22T10:00:00+00:00", "inputs/returns/2026-10/opcc.xlsx", "ab" * 32, "", 1, 2,
                            "-detail", "2026-10-22")
    ledger = Ledger(tmp_path / "received.csv", ReceivedRecord)
    ledger.put(record)
    assert "'=HYPERLINK" in (tmp_path / "received.csv").read_text()  # never a formula in Excel
    assert Ledger(tmp_path / "received.csv", ReceivedRecord).values() == [record]
    # written before it recorded when our mail server received each message: read, that time not known
    older = (tmp_path / "received.csv").read_text().splitlines()
    (tmp_path / "received.csv").write_text("\n".join(line.rpartition(",")[0] for line in older) + "\n")
    assert older[0].endswith(",time,received") and Ledger(tmp_path / "received.csv", ReceivedRecord).values() == [
        record]
    (tmp_path / "received.csv").write_text("message_id,outcome\n<a@b>,saved\n")
    with pytest.raises(ReportgenError, match="lacks the columns"):
        Ledger(tmp_path / "received.csv", ReceivedRecord)


def test_validate_reports_a_partner_that_is_not_a_lead(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reportgen.shells.cli import main

    root = mail_workspace(tmp_path / "ws")
    toml = root / "reportgen.toml"
    toml.write_text(toml.read_text() + '\n[partners."Wessex Fire"]\nemails = ["fire@example.org"]\n')
    main(["validate", "--workspace", str(root), "--period", PERIOD])
    assert "[partners.\"Wessex Fire\"] is not a lead in the register" in capsys.readouterr().out


def test_collect_from_a_folder_moves_what_it_dealt_with(tmp_path: Path, smtp) -> None:
    from mail_helpers import reply
    from reportgen.mail.steps import collect_returns

    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    drop = tmp_path / "saved from Outlook"
    drop.mkdir()
    (drop / "a.eml").write_bytes(reply(ADDRESS[OPCC], [], body="Return to follow."))
    (drop / "b.eml").write_bytes(reply("stranger@elsewhere.example.org", []))
    run = collect_returns(root, PERIOD, credentials_from_env(env()), from_folder=drop)
    assert flatten(run.issues, ["code"]) == [["mail-no-return"], ["mail-unknown-sender"]]
    assert sorted(str(p.relative_to(drop)) for p in drop.rglob("*.eml")) == [
        "reportgen-processed/a.eml", "reportgen-rejected/b.eml"]
    assert [str(m["To"]) for m in captured.parsed()] == [ADDRESS[OPCC]]


def test_a_login_never_crosses_the_network_unencrypted(tmp_path: Path) -> None:
    root = mail_workspace(tmp_path / "ws")
    toml = root / "reportgen.toml"
    toml.write_text(toml.read_text().replace('host = "127.0.0.1"', 'host = "mail.wessex-pcc.example.org"'))
    with pytest.raises(ReportgenError, match=r"smtp\.tls is \"none\" for mail\.wessex-pcc\.example\.org"):
        send_returns(root, PERIOD, credentials_from_env(env()))
    assert sent_ledger(root / "outputs", PERIOD).values()[0].state == "failed"


def test_send_returns_and_chase_count_the_registers_own_warnings_and_list_its_errors(tmp_path: Path, smtp) -> None:
    """`reportgen send-returns`, then `reportgen chase` every day, printed each of the register's own warnings
    (a row hidden in Excel…) every time, burying what the command had to say. They are now counted in one note
    under the register, saying `reportgen validate --all` lists them, which it does. (An error that leaves a row
    out of the register mails nothing: `test_register_unread`.)"""
    import os
    import subprocess
    import sys

    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    register_with_its_own_problems(root)
    environ = {**os.environ, **env()}

    def run(*command: str, exit_code: int = 0) -> str:
        done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *command, "--workspace", str(root),
                               "--period", PERIOD], capture_output=True, text=True, env=environ, timeout=300)
        assert done.returncode == exit_code and "Traceback" not in done.stderr, done.stdout + done.stderr
        return " ".join(done.stdout.split())

    note = ("info The register has 3 warnings of its own, not listed here; reportgen validate --all lists each, as "
            "every build's issues.csv does. → Nothing to do for the mail.")
    sent = run("send-returns")
    assert len(captured.messages) == 3 and "send-returns 2026-10: 3 messages sent" in sent
    assert "hidden in Excel" not in sent and sent.count(note) == 1
    assert sent.index("inputs/register.xlsx") < sent.index(note) < sent.index("reportgen.toml warning")
    for told in ("3 messages sent, 0 already sent", "0 messages sent, 3 already sent"):  # a second chase that day
        chased = run("chase")
        assert f"chase 2026-10: {told}" in chased
        assert "hidden in Excel" not in chased and chased.count(note) == 1
    assert len(captured.messages) == 6
    listed = run("validate", "--all", exit_code=1)
    assert [f"row {row}: Action {row - 1}: the row is hidden in Excel" in listed  # as the note says
            for row in (2, 3, 4)] == [True] * 3


def test_the_registers_own_warnings_are_counted_however_they_were_copied(tmp_path: Path) -> None:
    """The register's own warnings were told apart from the step's other issues by which object each was: one copied
    on its way into the run (`dataclasses.replace`, as issues are copied to reword or relocate them) was listed in
    full as well as counted in the note. They are told apart by value: the copies are counted, not listed; the
    register's error and the step's other issues are listed; an issue there twice is left out only as often as the
    register has it."""
    from dataclasses import replace

    from reportgen.issues import issue
    from reportgen.mail.steps import MailRun, told_issues

    root = mail_workspace(tmp_path / "ws")
    register_with_its_own_problems(root, left_out=True)
    inputs, _found = find_inputs(root, PERIOD, need_returns=False)
    _register, own = load_register(inputs)
    warnings = [item for item in own if not item.blocking]
    assert len(warnings) == 3 and len(own) == 4
    other = issue("no-deadline", period="October 2026", file="reportgen.toml", column="deadline")
    run = MailRun("chase", PERIOD, False, issues=[other, *(replace(item) for item in own), replace(warnings[0])],
                  register_issues=own, register_file="inputs/register.xlsx")
    told = told_issues(run)
    assert [item.code for item in told] == ["no-deadline", *(i.code for i in own if i.blocking), "hidden-row",
                                            "register-issues-not-listed"]
    assert told[-1].message.startswith("The register has 3 warnings of its own, not listed here")
    assert told[-2] == warnings[0]  # there twice, counted once


def _validate(root: Path, period: str = PERIOD) -> str:
    """`reportgen validate` as the officer runs it, in its own process: what it printed, on one line."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "validate", "--workspace", str(root),
                           "--period", period], capture_output=True, text=True, timeout=300, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return " ".join(done.stdout.split())


def _sheet_rows(workbook: bytes) -> list[tuple[object, ...]]:
    return [tuple(row) for row in openpyxl.load_workbook(io.BytesIO(workbook))["Return"].iter_rows(values_only=True)]


def test_the_workbooks_mailed_are_kept_and_a_return_saved_as_csv_is_checked_against_them(tmp_path: Path,
                                                                                       smtp) -> None:
    """`send-returns` kept no copy of what it mailed (only `reportgen returns` wrote outputs/<period>/returns), so a
    team that mails the workbooks was warned, for every return saved as CSV, that it could not be checked
    (csv-not-checked), and a deleted row went unsaid. Now each workbook mailed is kept there as it went, and a CSV
    saved from it, action 3's row deleted, is checked against it."""
    from conftest import write_csv

    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    run = send_returns(root, PERIOD, credentials_from_env(env()))
    assert len(run.sent) == 3 and not but_the_deadline(run.issues)
    mailed = dict(attachment(message) for message in captured.parsed())
    kept = root / "outputs" / PERIOD / "returns"
    assert {path.name: path.read_bytes() for path in kept.iterdir()} == mailed
    assert sorted(mailed) == ["criminal-justice-board.xlsx", "opcc.xlsx", "wessex-police.xlsx"]

    rows = _sheet_rows(mailed["wessex-police.xlsx"])
    assert [row[0] for row in rows[1:]] == [1, 3]
    write_csv(root / "inputs" / "returns" / PERIOD / "wessex-police.csv", rows[:2])  # action 3's row deleted
    printed = _validate(root)
    assert (f"Action 3 has no row in inputs/returns/{PERIOD}/wessex-police.csv, the workbook made for Wessex "
            "Police's updates") in printed, printed
    assert "saved as CSV" not in printed

    # sent once: a second run sends nothing, and leaves the copies as they are
    again = send_returns(root, PERIOD, credentials_from_env(env()))
    assert again.sent == [] and {path.name: path.read_bytes() for path in kept.iterdir()} == mailed


def test_a_different_workbook_made_before_is_kept_and_the_one_mailed_kept_beside_it(tmp_path: Path, smtp) -> None:
    """The officer made October's workbooks with `reportgen returns` (and may have mailed OPCC's by hand); action 6
    is then withdrawn, and `send-returns` mails OPCC a workbook without it. Neither copy is lost: the earlier
    opcc.xlsx stays as it was, the workbook mailed is kept beside it under a name saying when it was sent, and the
    officer is told. The same workbooks made again are not kept twice. OPCC answers the earlier workbook, saved as
    CSV: its row for action 6 is one it was sent (withdrawn since), not one it added."""
    from conftest import ACTIONS, REGISTER_HEADINGS, make_workspace, write_csv
    from mail_helpers import mail_toml
    from reportgen.run.returns import write_return_workbooks

    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    kept = root / "outputs" / PERIOD / "returns"
    write_return_workbooks(root, PERIOD)
    earlier = {path.name: path.read_bytes() for path in kept.iterdir()}
    make_workspace(root, period=PERIOD, returns={}, toml=mail_toml(controller.port),
                   register=[REGISTER_HEADINGS, *(action for action in ACTIONS if action[0] != 6)])
    run = send_returns(root, PERIOD, credentials_from_env(env()))
    assert len(run.sent) == 3
    mailed = dict(attachment(message) for message in captured.parsed())
    assert mailed["opcc.xlsx"] != earlier["opcc.xlsx"]

    now = {path.name: path.read_bytes() for path in kept.iterdir()}
    [beside] = set(now) - set(earlier)
    assert re.fullmatch(r"opcc\.sent-\d{8}T\d{6}Z\.xlsx", beside), beside
    assert now == {**earlier, beside: mailed["opcc.xlsx"]}
    [told] = [item for item in run.issues if item.code == "sent-copy-beside"]
    assert (told.file, told.value, told.severity.value) == (f"outputs/{PERIOD}/returns/{beside}", OPCC, "warning")
    assert "kept beside opcc.xlsx" in told.message

    rows = _sheet_rows(earlier["opcc.xlsx"])
    assert [row[0] for row in rows[1:]] == [2, 4, 6]
    write_csv(root / "inputs" / "returns" / PERIOD / "opcc.csv", rows)
    printed = _validate(root)
    assert "Action 6 is not in the register, but opcc.csv was sent with a row for it" in printed, printed
    assert "Action 6 is not in the register; this update was left out" not in printed


def _cli(root: Path, *command: str, exit_code: int | None = 0) -> str:
    """A `reportgen` command as the officer runs it, in its own process, with the mail login in its environment:
    what it printed, on one line."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *command, "--workspace", str(root),
                           "--period", PERIOD], capture_output=True, text=True, env={**os.environ, **env()},
                          timeout=300, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    assert exit_code is None or done.returncode == exit_code, done.stdout + done.stderr
    return " ".join(done.stdout.split())


def _kept(root: Path) -> dict[str, bytes]:
    folder = root / "outputs" / PERIOD / "returns"
    return {path.name: path.read_bytes() for path in folder.iterdir()} if folder.is_dir() else {}


def _mark_sent(root: Path, key: str) -> None:
    """What `mail-uncertain` asks of the officer who finds the message in the sent mail: its row's state, sent."""
    path = root / "outputs" / PERIOD / "mail" / "sent.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line.replace(",sending,", ",sent,", 1) if line.startswith(f"{key},") else line
                            for line in lines), encoding="utf-8")


def test_a_run_killed_mid_send_keeps_every_workbook_that_went_and_none_that_may_not_have(tmp_path: Path,
                                                                                       smtp) -> None:
    """send-returns kept the workbooks only once every message had gone: killed while OPCC's message was with the
    server, it had kept none, and the next run skipped Wessex Police's as sent, so its copy was never made and a
    CSV return from it could not be checked. Each workbook is now kept as its message goes; the one whose message
    may or may not have gone (killed before the server answered) is kept only once the officer, told
    `mail-uncertain`, says in sent.csv that it went, and then as it was attached."""
    import os
    import signal
    import subprocess
    import sys

    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    process: list[subprocess.Popen[bytes]] = []

    def kill_at_opcc(message: EmailMessage) -> None:  # the process dies while the server holds OPCC's message
        if len(captured.messages) == 2:
            os.kill(process[0].pid, signal.SIGKILL)
            process[0].wait(timeout=60)

    captured.on_message = kill_at_opcc
    process.append(subprocess.Popen([sys.executable, "-m", "reportgen.shells.cli", "send-returns", "--workspace",
                                     str(root), "--period", PERIOD], env={**os.environ, **env()},
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    assert process[0].wait(timeout=300) == -signal.SIGKILL
    captured.on_message = None
    mailed = dict(attachment(message) for message in captured.parsed())
    assert sorted(mailed) == ["opcc.xlsx", "wessex-police.xlsx"]
    states = {r.partner: r.state for r in sent_ledger(root / "outputs", PERIOD).values()}
    assert states == {POLICE: "sent", OPCC: "sending"}
    assert _kept(root) == {"wessex-police.xlsx": mailed["wessex-police.xlsx"]}  # OPCC's may not have gone

    printed = _cli(root, "send-returns")
    assert "1 message sent, 2 already sent" in printed and "it may have gone. It was not sent again" in printed
    assert "change its row's state in sent.csv from sending to sent" in printed
    name, data = attachment(captured.parsed()[-1])
    mailed[name] = data
    assert _kept(root) == {name: mailed[name] for name in ("wessex-police.xlsx", "criminal-justice-board.xlsx")}

    _cli(root, "send-returns", "--dry-run")  # a dry run keeps nothing, and finishes nothing
    assert "opcc.xlsx" not in _kept(root)
    _mark_sent(root, f"workbook:{PERIOD}:{OPCC}")  # the officer found it in the sent mail
    printed = _cli(root, "send-returns")
    assert "0 messages sent, 3 already sent" in printed and "it may have gone" not in printed, printed
    assert _kept(root) == mailed  # OPCC's as the server took it
    assert not (root / "outputs" / PERIOD / "mail" / "sending").exists()  # nothing left staged, no empty folder
    assert len(captured.messages) == 3


@pytest.mark.parametrize("resent", [False, True])
def test_a_workbook_whose_message_did_not_go_is_never_kept(tmp_path: Path, smtp, resent: bool) -> None:
    """The server refuses OPCC's message (a full mailbox): its workbook is not kept, so nothing claims OPCC was sent
    it; the next run sends and keeps it. Or the officer, told `mail-uncertain`, deletes the row of a message that
    did not go: the next run sends it again and keeps what it attached, not what the killed run had ready."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    ledger = root / "outputs" / PERIOD / "mail" / "sent.csv"
    if resent:
        mail = ledger.parent
        mail.mkdir(parents=True)
        ledger.write_text(textwrap.dedent(f"""\
            key,state,kind,partner,to,subject,message_id,time,detail
            workbook:{PERIOD}:OPCC,sending,workbook,OPCC,{ADDRESS[OPCC]},Return,<x@y>,2026-10-01T07:00:00+00:00,
            """))
        staged = mail / "sending" / message_folder(f"workbook:{PERIOD}:OPCC")  # what the killed run had ready
        staged.mkdir(parents=True)
        (staged / "opcc.xlsx").write_bytes(b"not what went")
        printed = _cli(root, "send-returns")
        assert "it may have gone" in printed and "opcc.xlsx" not in _kept(root), printed
        ledger.write_text("".join(line for line in ledger.read_text().splitlines(keepends=True)
                                  if not line.startswith(f"workbook:{PERIOD}:OPCC,")))
    else:
        def refuse_opcc(message: EmailMessage) -> str | None:  # the message is not taken
            return "552 5.2.2 Mailbox full" if ADDRESS[OPCC] in str(message["To"]) else None

        captured.on_message = refuse_opcc
        printed = _cli(root, "send-returns", exit_code=None)
        assert f"The workbook to OPCC ({ADDRESS[OPCC]}) was not sent: 552 5.2.2 Mailbox full" in printed, printed
        assert sorted(_kept(root)) == ["criminal-justice-board.xlsx", "wessex-police.xlsx"]
        captured.on_message = None
    _cli(root, "send-returns")
    [last] = [m for m in captured.parsed() if ADDRESS[OPCC] in str(m["To"])][-1:]
    assert _kept(root)["opcc.xlsx"] == attachment(last)[1]
    assert not (root / "outputs" / PERIOD / "mail" / "sending").exists()


def _partner_line(workbook: bytes) -> str:
    """The lead a workbook says it was made for: its Instructions' "Partner" line."""
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Instructions"]
    return str(next(row[1] for row in sheet.iter_rows(values_only=True) if row[0] == "Partner"))


def test_two_leads_whose_names_make_one_file_name_are_sent_kept_and_collected_apart(tmp_path: Path, smtp) -> None:
    """"Fire & Rescue" and "Fire Rescue" both make fire-rescue: send-returns attached both workbooks as
    fire-rescue.xlsx (where `reportgen returns` names the second fire-rescue-2.xlsx), so the copies kept under
    `returns`' names and the attachments disagreed, and collect saved the second lead's return as a later version
    of the first's. One name a lead now, the same for the attachment, the copy kept and the return saved; and
    the build reads each saved return as its lead's (it read fire-rescue.xlsx as both leads' and so not at all,
    and fire-rescue-2.xlsx as no lead's), so neither is chased. A dry run's outbox keeps both messages."""
    import csv

    from conftest import ACTIONS, REGISTER_HEADINGS
    from mail_helpers import filled, mail_toml, reply

    controller, captured = smtp
    fire = {"Fire & Rescue": "control@fire.example.org", "Fire Rescue": "prevention@fire.example.org"}
    register = [REGISTER_HEADINGS, *ACTIONS, (7, "Justice", "Fire & Rescue", "Fit smoke alarms.", "18"),
                (8, "Justice", "Fire Rescue", "Train water safety.", "19")]
    root = make_workspace(tmp_path / "ws", period=PERIOD, returns={}, register=register,
                          toml=mail_toml(controller.port, partners={**ADDRESS, **fire}))
    _cli(root, "send-returns", "--dry-run")
    outbox = root / "outputs" / PERIOD / "mail" / "outbox"
    written = [BytesParser(policy=policy.default).parsebytes(path.read_bytes()) for path in outbox.iterdir()]
    assert sorted(str(message["To"]) for message in written) == sorted([*ADDRESS.values(), *fire.values()])
    shutil.rmtree(outbox)
    _cli(root, "send-returns")
    sent = {str(message["To"]): attachment(message) for message in captured.parsed()}
    assert {lead: sent[address][0] for lead, address in fire.items()} == {
        "Fire & Rescue": "fire-rescue.xlsx", "Fire Rescue": "fire-rescue-2.xlsx"}
    assert _kept(root) == dict(sent.values())  # each kept under the name it was attached as
    assert {lead: _partner_line(sent[address][1]) for lead, address in fire.items()} == {lead: lead for lead in fire}

    drop = tmp_path / "drop"
    drop.mkdir()
    returned = {lead: filled(sent[address][1], {ref: "Completed"})
                for (lead, address), ref in zip(fire.items(), (7, 8))}
    for number, (lead, address) in enumerate(fire.items()):  # each replies with its workbook, named as it came
        (drop / f"{number}.eml").write_bytes(reply(address, [(sent[address][0], returned[lead])]))
    _cli(root, "collect", "--from-folder", str(drop))
    folder = root / "inputs" / "returns" / PERIOD
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == {
        "fire-rescue.xlsx": returned["Fire & Rescue"], "fire-rescue-2.xlsx": returned["Fire Rescue"]}

    printed = _cli(root, "build", exit_code=None)
    draft = Path(printed.rsplit(" ", 1)[-1])
    with (draft / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        issues = list(csv.DictReader(stream))
    assert not [row for row in issues if row["code"] in ("ambiguous-partner", "unknown-partner", "not-lead")]
    with (draft / "chase.csv").open(encoding="utf-8-sig", newline="") as stream:
        chase = {row["Partner"]: row for row in csv.DictReader(stream)}
    assert {lead: (chase[lead]["File"], chase[lead]["Updated"]) for lead in fire} == {
        "Fire & Rescue": (f"inputs/returns/{PERIOD}/fire-rescue.xlsx", "1"),
        "Fire Rescue": (f"inputs/returns/{PERIOD}/fire-rescue-2.xlsx", "1")}
    paper = (draft / "paper.html").read_text(encoding="utf-8")
    assert "Done this month. (action 7)" in paper and "Done this month. (action 8)" in paper
    captured.clear()
    _cli(root, "chase")  # the three other leads sent nothing; the two fire leads are not reminded
    assert sorted(str(message["To"]) for message in captured.parsed()) == sorted(ADDRESS.values())


def test_the_workbook_a_reminder_attaches_is_kept_once_beside_a_different_one(tmp_path: Path, smtp) -> None:
    """`chase` attaches a workbook made again, and kept none: once action 9 was added to OPCC's plan after the
    workbooks went, the reminder's workbook (with action 9) was one the team had no copy of, so a CSV saved from
    it was checked against the first. Now a reminder's workbook is kept as send-returns keeps its own: the same
    bytes as a copy there are not kept again (the next day's reminder, the other partners' unchanged workbooks),
    different ones are kept beside it, and the officer told."""
    import datetime as dt

    from conftest import ACTIONS, REGISTER_HEADINGS
    from mail_helpers import mail_toml

    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    _cli(root, "send-returns")
    first = _kept(root)
    assert sorted(first) == ["criminal-justice-board.xlsx", "opcc.xlsx", "wessex-police.xlsx"]
    make_workspace(root, period=PERIOD, returns={}, toml=mail_toml(controller.port),
                   register=[REGISTER_HEADINGS, *ACTIONS, (9, "Justice", OPCC, "Open a witness suite.", "18")])
    captured.clear()
    _cli(root, "chase", "--dry-run")  # writes the reminders as .eml files, keeps nothing
    assert _kept(root) == first and not (root / "outputs" / PERIOD / "mail" / "sending").exists()

    printed = _cli(root, "chase")
    reminded = {str(m["To"]): attachment(m) for m in captured.parsed()}
    assert len(reminded) == 3 and all(str(m["Subject"]).startswith("Reminder") for m in captured.parsed())
    name, opcc = reminded[ADDRESS[OPCC]]
    assert name == "opcc.xlsx" and opcc != first["opcc.xlsx"] and b"Open a witness suite." not in first["opcc.xlsx"]
    kept = _kept(root)
    [beside] = set(kept) - set(first)
    assert re.fullmatch(r"opcc\.sent-\d{8}T\d{6}Z\.xlsx", beside) and kept == {**first, beside: opcc}
    assert (f"outputs/{PERIOD}/returns/{beside} warning outputs/{PERIOD}/returns/{beside} is the workbook mailed "
            "to OPCC, kept beside opcc.xlsx") in printed, printed

    tomorrow = dt.date.today() + dt.timedelta(days=1)  # the next day's reminders: the same workbooks again
    again = chase_partners(root, PERIOD, credentials_from_env(env()), today=tomorrow)
    assert len(again.sent) == 3 and len(captured.messages) == 6
    assert _kept(root) == kept and not [i for i in again.issues if i.code == "sent-copy-beside"]


def _stamp(root: Path, partner: str) -> str:
    """When the sent ledger says `partner`'s message went (or began to), as a kept copy's name says it."""
    import datetime as dt

    [record] = [r for r in sent_ledger(root / "outputs", PERIOD).values() if r.partner == partner]
    return dt.datetime.fromisoformat(record.time).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def test_a_name_the_mailed_workbooks_copy_would_take_being_in_use_never_stops_the_run(tmp_path: Path,
                                                                                      smtp) -> None:
    """OPCC's workbook differs from the one `reportgen returns` made, so its copy is kept beside it as
    opcc.sent-<when>.xlsx; that name held other bytes (and the next one was a folder) by the time OPCC's message had
    gone. send-returns stopped there with an error: the Criminal Justice Board was never sent its workbook, and every
    later send-returns, chase and collect stopped the same way until an officer moved the file. The copy now takes
    the next name free; nothing there is replaced, every message goes, and later runs find the copy kept."""
    from conftest import ACTIONS, REGISTER_HEADINGS
    from mail_helpers import mail_toml
    from reportgen.run.returns import write_return_workbooks

    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    kept = root / "outputs" / PERIOD / "returns"
    write_return_workbooks(root, PERIOD)
    make_workspace(root, period=PERIOD, returns={}, toml=mail_toml(controller.port),
                   register=[REGISTER_HEADINGS, *(action for action in ACTIONS if action[0] != 6)])

    def take_the_names(message: EmailMessage) -> None:  # while the server holds OPCC's message
        if ADDRESS[OPCC] in str(message["To"]):
            # the copy is named when the server has taken the message, which on a loaded machine may be a second
            # or more after this: the names of the next seconds are taken too
            began = dt.datetime.strptime(_stamp(root, OPCC), "%Y%m%dT%H%M%SZ")
            for second in range(30):
                stamp = (began + dt.timedelta(seconds=second)).strftime("%Y%m%dT%H%M%SZ")
                (kept / f"opcc.sent-{stamp}.xlsx").write_bytes(b"an officer's own file")
                (kept / f"opcc.sent-{stamp}-2.xlsx").mkdir()

    captured.on_message = take_the_names
    printed = _cli(root, "send-returns")
    captured.on_message = None
    assert "3 messages sent" in printed, printed
    mailed = dict(attachment(message) for message in captured.parsed())
    assert sorted(mailed) == ["criminal-justice-board.xlsx", "opcc.xlsx", "wessex-police.xlsx"]
    taken = [_stamp(root, OPCC)]  # when the ledger says it went
    copy = f"opcc.sent-{taken[0]}-3.xlsx"
    assert (kept / copy).read_bytes() == mailed["opcc.xlsx"]
    assert (kept / f"opcc.sent-{taken[0]}.xlsx").read_bytes() == b"an officer's own file"
    assert (kept / f"opcc.sent-{taken[0]}-2.xlsx").is_dir()
    assert (f"outputs/{PERIOD}/returns/{copy} is the workbook mailed to OPCC, kept beside opcc.xlsx") in printed
    assert not (root / "outputs" / PERIOD / "mail" / "sending").exists()

    before = sorted(path.name for path in kept.iterdir())
    printed = _cli(root, "send-returns")
    assert "0 messages sent, 3 already sent" in printed and "sent-copy" not in printed, printed
    printed = _cli(root, "chase")  # the same workbooks again, as reminders: the copy kept is found
    assert "3 messages sent" in printed and "sent-copy" not in printed, printed
    assert sorted(path.name for path in kept.iterdir()) == before


def test_a_folder_where_a_copy_goes_never_gives_a_traceback(tmp_path: Path, smtp) -> None:
    """A folder named opcc.xlsx in outputs/<period>/returns (an officer's filing) ended send-returns with a
    traceback once OPCC's message had gone, as did a run keeping what a killed run left staged (the ledger says
    "sent") when the name its copy takes held other bytes. Each copy is now kept under a name free, beside them."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    kept = root / "outputs" / PERIOD / "returns"
    (kept / "opcc.xlsx").mkdir(parents=True)
    printed = _cli(root, "send-returns")
    assert "3 messages sent" in printed, printed
    mailed = dict(attachment(message) for message in captured.parsed())
    copy = f"opcc.sent-{_stamp(root, OPCC)}.xlsx"
    files = {path.name: path.read_bytes() for path in kept.iterdir() if path.is_file()}
    assert files == {"criminal-justice-board.xlsx": mailed["criminal-justice-board.xlsx"],
                     "wessex-police.xlsx": mailed["wessex-police.xlsx"], copy: mailed["opcc.xlsx"]}
    assert (kept / "opcc.xlsx").is_dir() and not any((kept / "opcc.xlsx").iterdir())

    # a run killed after CJB's message went and before its copy was kept, its name then taken
    key = f"workbook:{PERIOD}:{CJB}"
    (kept / "criminal-justice-board.xlsx").unlink()
    staged = root / "outputs" / PERIOD / "mail" / "sending" / message_folder(key)
    staged.mkdir(parents=True)
    (staged / "criminal-justice-board.xlsx").write_bytes(mailed["criminal-justice-board.xlsx"])
    (kept / "criminal-justice-board.xlsx").write_bytes(b"made since")
    (kept / f"criminal-justice-board.sent-{_stamp(root, CJB)}.xlsx").write_bytes(b"also made since")
    printed = _cli(root, "send-returns")
    assert "0 messages sent, 3 already sent" in printed, printed
    assert (kept / f"criminal-justice-board.sent-{_stamp(root, CJB)}-2.xlsx").read_bytes() == \
        mailed["criminal-justice-board.xlsx"]
    assert (kept / "criminal-justice-board.xlsx").read_bytes() == b"made since"
    assert not (root / "outputs" / PERIOD / "mail" / "sending").exists()


def test_a_workbook_that_cannot_be_kept_is_said_and_left_staged_until_it_can(tmp_path: Path, smtp) -> None:
    """With a file where outputs/<period>/returns should be, no copy can be kept: every message still goes, the
    officer is told where each workbook mailed is instead, and the first run after the file is moved keeps them."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    kept = root / "outputs" / PERIOD / "returns"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"not a folder")
    printed = _cli(root, "send-returns")
    assert "3 messages sent" in printed, printed
    mailed = dict(attachment(message) for message in captured.parsed())
    staged = f"outputs/{PERIOD}/mail/sending/{message_folder(f'workbook:{PERIOD}:{OPCC}')}/opcc.xlsx"
    assert (f"{staged} is the workbook mailed to OPCC; it could not be kept in outputs/{PERIOD}/returns (File "
            "exists), so it was left where it is") in printed, printed
    assert (root / staged).read_bytes() == mailed["opcc.xlsx"] and kept.read_bytes() == b"not a folder"

    kept.unlink()  # the officer moves the file away
    printed = _cli(root, "send-returns")
    assert "0 messages sent, 3 already sent" in printed and "could not be kept" not in printed, printed
    assert _kept(root) == mailed
    assert not (root / "outputs" / PERIOD / "mail" / "sending").exists()


@pytest.mark.parametrize("days", [-43, 30], ids=["deadline passed", "deadline to come"])
def test_a_reminder_says_whether_the_deadline_has_passed(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         days: int) -> None:
    """A reminder sent six weeks after the deadline said "The deadline is 24 October 2026." It says the deadline
    was, and to send the return as soon as possible; before the deadline, as before, that it is."""
    from mail_helpers import mail_toml
    from reportgen.shells.cli import main

    deadline = dt.date.today() + dt.timedelta(days=days)
    toml = re.sub(r"deadline = \d{4}-\d{2}-\d{2}", f"deadline = {deadline.isoformat()}", mail_toml())
    root = make_workspace(tmp_path / "ws", period=PERIOD, returns={}, toml=toml)
    main(["chase", "--workspace", str(root), "--period", PERIOD, "--dry-run"])
    capsys.readouterr()
    [first, *_] = sorted((root / "outputs" / PERIOD / "mail" / "outbox").iterdir())
    message = BytesParser(policy=policy.default).parsebytes(first.read_bytes())
    body = " ".join(message.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    day = f"{deadline.day} {deadline:%B %Y}"
    assert (f"The deadline was {day}: please send your return as soon as you can." if days < 0
            else f"The deadline is {day}.") in body


def test_workbooks_and_their_mail_are_named_with_each_letter_of_a_lead_plain(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`send-returns` wrote workbook-2026-10-T-Diogel.eml and …-Asocia-ia-Rom-nilor-din-ara-Galilor.eml (letters
    dropped) for workbooks named fundacja-łodz-wsparcie-ofiar.xlsx (accents dropped, ł kept). Both are now named
    one way, each letter as its plain letter; a plain-ASCII lead's names are as before, and a reply with a
    workbook named the old way is still its lead's."""
    from reportgen.shells.cli import main

    leads = {"Tŷ Diogel": "post@tydiogel.example.org", "Fundacja Łódź – Wsparcie Ofiar": "biuro@fundacja.example.org",
             "Asociația Românilor din Țara Galilor": "contact@asociatia.example.org",
             OPCC: ADDRESS[OPCC]}
    root = make_workspace(tmp_path / "ws", period=PERIOD, returns={}, toml=mail_toml(partners=leads),
                          register=[REGISTER_HEADINGS, *[(ref, "Victims", lead, f"Action {ref}.", "9")
                                                         for ref, lead in enumerate(leads, 1)]])
    assert main(["send-returns", "--workspace", str(root), "--period", PERIOD, "--dry-run"]) == 0
    outbox = root / "outputs" / PERIOD / "mail" / "outbox"
    assert sorted(path.name for path in outbox.iterdir()) == [
        f"workbook-{PERIOD}-Asociatia-Romanilor-din-Tara-Galilor.eml",
        f"workbook-{PERIOD}-Fundacja-Lodz-Wsparcie-Ofiar.eml", f"workbook-{PERIOD}-OPCC.eml",
        f"workbook-{PERIOD}-Ty-Diogel.eml"]
    attached = {attachment(BytesParser(policy=policy.default).parsebytes(path.read_bytes()))[0]  # type: ignore[arg-type]
                for path in outbox.iterdir()}
    assert attached == {"asociatia-romanilor-din-tara-galilor.xlsx", "fundacja-lodz-wsparcie-ofiar.xlsx",
                        "opcc.xlsx", "ty-diogel.xlsx"}

    book = openpyxl.Workbook()
    book.active.append(["Plan priority", "Action", "Status this reporting period",
                        "Explanation / Link to meeting papers", "Timeframe for delivery / Completion"])
    book.active.append([2, "Action 2.", "In progress", "Started.", "2027"])
    sent_before, drop = io.BytesIO(), tmp_path / "drop"
    book.save(sent_before)
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply("biuro@fundacja.example.org",
                                       [("fundacja-łodz-wsparcie-ofiar.xlsx", sent_before.getvalue())]))
    capsys.readouterr()
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder",
                 str(drop)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "fundacja-lodz-wsparcie-ofiar.xlsx" in printed and "other-lead" not in printed, printed
