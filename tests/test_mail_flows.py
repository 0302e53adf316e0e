"""The mail steps in Prefect: the monthly flow collects before it builds and chases after (switched on in
[mail]), publishes what it collected and who it chased as artifacts, and a re-run sends nothing new."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from typing import Any

import pytest

from mail_helpers import ADDRESS, CJB, GOOD_OPCC, OPCC, PERIOD, POLICE, env, mail_workspace, reply, workbook
from mailservers import Dovecot

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")]


def test_monthly_flow_collects_builds_and_chases(harness, tmp_path: Path, smtp, dovecot: Dovecot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.artifacts import Artifact

    from reportgen.shells.prefect_flows import artifact_key, monthly_update

    controller, captured = smtp
    for name, value in env().items():
        monkeypatch.setenv(name, value)
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port, imap_port=dovecot.port,
                          extra="collect_before_build = true\nchase_after_build = true")
    dovecot.append(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(GOOD_OPCC))]))

    folder = monthly_update(str(root), PERIOD).build.folder
    assert (root / "inputs" / "returns" / PERIOD / "opcc.xlsx").is_file()
    assert folder.parent.name == PERIOD and (folder / "paper.pdf").is_file()
    sent = {(str(m["To"]), str(m["Subject"]).split(":")[0]) for m in captured.parsed()}
    assert sent == {(ADDRESS[OPCC], "Re"), (ADDRESS[POLICE], "Reminder"), (ADDRESS[CJB], "Reminder")}

    collected = Artifact.get(artifact_key("collected", PERIOD, workspace=root))
    assert collected is not None and "opcc.xlsx" in str(collected.data)
    chased = Artifact.get(artifact_key("mail", "chase", PERIOD, workspace=root))
    assert chased is not None and CJB in str(chased.data) and POLICE in str(chased.data)

    monthly_update(str(root), PERIOD)  # a second month-end run the same day: nothing new is sent
    assert len(captured.messages) == 3


def test_each_step_is_a_flow(harness, tmp_path: Path) -> None:
    from reportgen.shells.mail_flows import chase_flow, send_returns_flow

    root = mail_workspace(tmp_path / "ws")
    outbox = root / "outputs" / PERIOD / "mail" / "outbox"
    assert send_returns_flow(str(root), PERIOD, dry_run=True).folder == outbox
    assert chase_flow(str(root), PERIOD, dry_run=True).folder == outbox
    assert len(list(outbox.glob("workbook-*.eml"))) == 3 and len(list(outbox.glob("reminder-*.eml"))) == 3


def test_a_flow_takes_the_password_from_a_prefect_secret_block(harness, tmp_path: Path, smtp,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.blocks.system import Secret

    from mailservers import PASSWORD, USER
    from reportgen.shells.mail_flows import send_returns_flow

    controller, captured = smtp
    Secret(value=PASSWORD).save("reportgen-mail-test", overwrite=True)
    monkeypatch.setenv("REPORTGEN_MAIL_USER", USER)
    monkeypatch.delenv("REPORTGEN_MAIL_PASSWORD", raising=False)
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port,
                          extra='secret_block = "reportgen-mail-test"')
    send_returns_flow(str(root), PERIOD)
    assert len(captured.messages) == 3 and captured.logins[0][1] == USER
    assert PASSWORD not in (root / "outputs" / PERIOD / "mail" / "sent.csv").read_text()


def test_a_mail_flow_script_prints_and_exits_like_reportgen(tmp_path: Path) -> None:
    """`python flows/collect.py` on the temporary server: the lines `reportgen collect` prints, the folder
    last, and exit 1 when the mail needs an officer (a damaged attachment, refused)."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    root = mail_workspace(tmp_path / "ws")
    box = tmp_path / "box"
    box.mkdir()
    (box / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.xlsx", b"PK\x03\x04 damaged")]))
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    environ["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    args = ["--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder", str(box)]
    command = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "collect", *args],
                             capture_output=True, text=True, env=environ, timeout=300)
    flowed = subprocess.run([sys.executable, str(ROOT / "flows" / "collect.py"), *args],
                            capture_output=True, text=True, env=environ, timeout=300)
    assert (command.returncode, flowed.returncode) == (1, 1), flowed.stdout + flowed.stderr
    assert flowed.stdout == command.stdout and "cannot be opened safely" in flowed.stdout
    assert flowed.stdout.splitlines()[-1] == str(root / "outputs" / PERIOD / "mail" / "outbox")
    assert "Traceback" not in flowed.stderr


def test_a_deployments_chase_logs_the_registers_warnings_as_the_command_prints_them(
        harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment's chase logged each of the register's own warnings at every run, as the command printed them.
    Its log, and the result its flow script prints, now tell them as `reportgen chase` does: one note counting
    them, under the register; its error in full. Only the flow run's deployment is taken as given here (a
    deployment's run logs, a flow script's own does not); the artifact's table still lists every issue."""
    import logging

    from prefect.artifacts import Artifact

    from mail_helpers import register_with_its_own_problems
    from reportgen.shells import mail_flows
    from reportgen.shells.prefect_flows import artifact_key

    root = mail_workspace(tmp_path / "ws")
    register_with_its_own_problems(root)
    monkeypatch.setattr(mail_flows, "in_deployment_run", lambda: True)
    lines: list[logging.LogRecord] = []
    catch = logging.Handler()
    catch.emit = lines.append  # type: ignore[method-assign]
    logger = logging.getLogger("prefect.flow_runs")
    logger.addHandler(catch)
    try:
        outcome = mail_flows.chase_flow(str(root), PERIOD, dry_run=True)
    finally:
        logger.removeHandler(catch)
    told = [record.getMessage() for record in lines if record.getMessage().startswith("reportgen: ")]
    assert [item.code for item in outcome.issues if item.file == "inputs/register.xlsx"] == [
        "register-issues-not-listed"]
    notes = [line for line in told if "The register has 3 warnings of its own, not listed here" in line]
    assert notes == ["reportgen: info inputs/register.xlsx: The register has 3 warnings of its own, not listed here; "
                     "reportgen validate --all lists each, as every build's issues.csv does. → Nothing to do for the "
                     "mail. See them with reportgen validate --all, and mend the register before the paper is built."]
    assert not any("hidden in Excel" in line for line in told)
    table = Artifact.get(artifact_key("mail-issues", "chase", PERIOD, workspace=root))
    assert table is not None and str(table.data).count("hidden in Excel") == 3


def _said_anywhere_by_prefect() -> str:
    """Everything Prefect keeps of the runs: logs, flow and task runs (parameters, states, their messages),
    artifacts and variables, as JSON (the session's harness holds other tests' runs too: every page is read)."""
    from prefect.client.orchestration import get_client

    kept: list[Any] = []
    with get_client(sync_client=True) as client:
        for read in (client.read_logs, client.read_flow_runs, client.read_task_runs, client.read_artifacts):
            offset = 0
            while page := read(limit=200, offset=offset):
                kept.extend(page)
                offset += len(page)
        kept.extend(client.read_variables(limit=200))
    return "\n".join(record.model_dump_json() for record in kept)


def _forms(user: str, password: str) -> list[str]:
    """The password as written, and as each login mechanism sends it (base64 of itself, PLAIN's, XOAUTH2's)."""
    encoded = [password.encode(), f"\0{user}\0{password}".encode(),
               f"user={user}\x01auth=Bearer {password}\x01\x01".encode()]
    return [password, *(base64.b64encode(form).decode() for form in encoded)]


@pytest.mark.expected_logs
def test_the_mail_password_is_nowhere_prefect_or_the_workspace_keeps_it(harness, tmp_path: Path, smtp,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A security review: a login the server refuses, then one it takes, through the send-returns and chase
    flows. Neither password, as written or in any form a login sends it, is in Prefect's logs, runs, states,
    artifacts or variables, in what the flow raised, or in any file of the workspace."""
    from mailservers import PASSWORD, USER
    from reportgen.errors import ReportgenError
    from reportgen.shells.mail_flows import chase_flow, send_returns_flow

    controller, captured = smtp
    wrong = f"Wrong-{secrets.token_hex(8)}"
    root = mail_workspace(tmp_path / "ws", smtp_port=controller.port)
    monkeypatch.setenv("REPORTGEN_MAIL_USER", USER)
    monkeypatch.setenv("REPORTGEN_MAIL_PASSWORD", wrong)
    with pytest.raises(ReportgenError) as refused:
        send_returns_flow(str(root), PERIOD)
    assert "refused the login" in str(refused.value) and captured.messages == []
    monkeypatch.setenv("REPORTGEN_MAIL_PASSWORD", PASSWORD)
    send_returns_flow(str(root), PERIOD)
    chase_flow(str(root), PERIOD)
    assert len(captured.messages) >= 3
    kept = _said_anywhere_by_prefect()
    assert "refused the login" in kept  # the records were read: the failed run and its reason are in them
    files = "\n".join(path.read_bytes().decode("utf-8", "replace") for path in root.rglob("*") if path.is_file())
    for secret in (*_forms(USER, wrong), *_forms(USER, PASSWORD)):
        assert secret not in kept and secret not in files and secret not in str(refused.value)
