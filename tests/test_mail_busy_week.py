"""A busy return week by email, collected from a real IMAP server (Dovecot) and answered through a real SMTP
server (aiosmtpd) on 127.0.0.1, through the command line: late and delayed replies, resends, shared mailboxes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from mail_helpers import ADDRESS, PERIOD, POLICE, env, mail_workspace, reply, workbook
from mailservers import Dovecot
from reportgen.shells.cli import main

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


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


def test_a_delayed_earlier_return_does_not_replace_the_correction_sent_after_it(
        tmp_path: Path, smtp, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The police send a return on Tuesday and a correction on Thursday; Tuesday's is held up on the way and reaches
    the mailbox after Thursday's. The correction is the return used, and the officer is told two came."""
    controller, captured = smtp
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port)
    first = workbook([(1, "", "In progress", "Drafting.", "2027"), (3, "", "In progress", "Tendering.", "2027")])
    corrected = workbook([(1, "", "Completed", "Published.", "Done"), (3, "", "In progress", "Tendering.", "2027")])
    dovecot.append(reply(ADDRESS[POLICE], [("police.xlsx", corrected)], date="Thu, 22 Oct 2026 10:00:00 +0100",
                         message_id="<thursday@wessex-police.example.org>"))
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
