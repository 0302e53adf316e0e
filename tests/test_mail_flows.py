"""The mail steps in Prefect: the monthly flow collects before it builds and chases after (switched on in
[mail]), publishes what it collected and who it chased as artifacts, and a re-run sends nothing new."""

from __future__ import annotations

from pathlib import Path

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
