"""How a monthly run ended, mailed to the secretariat ([mail] notify), on a real `prefect server` on 127.0.0.1 with
a process work pool and a worker, each run made with `prefect deployment run … --watch` and the mail read back from
a real SMTP server: the officer who is not watching Prefect's UI is told the draft's folder and counts, what changed
since the last draft (or that nothing did), what blocks it (where each issue is, what to do), or why nothing was
built."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import benchmark_workspace, blocked_workspace, copy_example
from mail_helpers import env as mail_login
from test_scale_out import (  # noqa: F401
    BIN,
    children,
    final_state,
    prefect_env,
    run_cli,
    run_deployment,
    running,
    server,
    started_run,
    wait_for,
    wait_past_check,
)

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")]
SECRETARIAT = "secretariat@wessex-pcc.example.org"


def notifying(workspace: Path, smtp_port: int) -> Path:
    """`workspace` with its [mail] sent through the test's SMTP server and each monthly run told to SECRETARIAT."""
    settings = workspace / "reportgen.toml"
    text = settings.read_text(encoding="utf-8")
    if "[mail]" not in text:
        text += '\n[mail]\nfrom_address = "returns@wessex-pcc.example.org"\n'
    text = "\n".join(line for line in text.splitlines() if not line.startswith("smtp ="))
    text = text.replace("[mail]\n", f'[mail]\nsmtp = {{ host = "127.0.0.1", port = {smtp_port}, tls = "none" }}\n'
                                    f'notify = ["{SECRETARIAT}"]\n')
    settings.write_text(text + "\n", encoding="utf-8")
    return workspace


def test_each_monthly_run_mails_the_secretariat_how_it_ended(server, smtp, tmp_path: Path) -> None:  # noqa: F811
    api_url, home = server
    controller, captured = smtp
    env = prefect_env(home, api_url) | mail_login()
    ready = notifying(copy_example(tmp_path / "ready"), controller.port)
    blocked = notifying(blocked_workspace(tmp_path / "blocked"), controller.port)
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "told", "--overwrite"], env)
    run_cli([str(BIN / "reportgen"), "deploy", "--pool", "told", "--name", "told-demand", "--workspace", str(ready),
             "--monthly-name", "told"], env)
    log = tmp_path / "worker.log"

    def told() -> tuple[list[str], str, str]:
        """The one message the last run sent: its recipients, subject and text."""
        assert len(captured.messages) == 1, [str(m["Subject"]) for m in captured.parsed()] + [log.read_text()]
        to, message = captured.messages.pop()
        body = message.get_body(("plain",))
        assert body is not None
        return to, str(message["Subject"]), " ".join(body.get_content().split())

    with running([str(BIN / "prefect"), "worker", "start", "--pool", "told"], env, log):
        done = run_deployment("monthly-update/told", env)
        assert final_state(done) == "Completed", done + log.read_text()
        to, subject, text = told()
        draft = ready / "outputs" / "2026-10" / "draft-01"
        assert to == [SECRETARIAT] and subject == "Panel paper October 2026: draft draft-01 is ready to review"
        assert f"Draft folder: {draft}" in text and "Nothing blocks publication." in text, text
        assert f"Workspace: {ready} (the files named above are in it)" in text, text
        assert "2026-10 (public edition): 35 actions: Completed 8, In progress 19" in text, text
        assert "To chase: Wessex County Council: no return; 4 of 4 actions not updated" in text, text
        assert "Not compared: no public edition draft was kept before this one" in text, text
        assert "The monthly run ready-" in text, text  # named after the workspace, as in the UI
        # what the run warned of besides, as its log did (after November 2026: that month has no returns folder)
        if "has ended and has no folder" in " ".join(done.split()):  # --watch wraps its lines
            assert "The run also warned: - this run, due" in text and "has ended and has no folder" in text, text

        done = run_deployment("monthly-update/told", env)  # nothing changed since
        assert final_state(done) == "Completed", done + log.read_text()
        _to, subject, text = told()
        assert subject == ("Panel paper October 2026: draft draft-02 is ready to review (no changes since "
                           "draft-01)"), subject
        assert "Compared with draft-01" in text and "No changes." in text, text

        done = run_deployment("monthly-update/told", env, f"workspace={blocked}")
        assert final_state(done) == "Blocked", done + log.read_text()
        _to, subject, text = told()
        assert subject == "Panel paper October 2026: draft draft-01 built, but 2 issues block publication", subject
        for row, ref in ((2, 2), (3, 4)):
            assert (f"Blocks publication: inputs/returns/2026-10/opcc.xlsx, sheet 'Return', row {row}, column 'Status "
                    f"this reporting period': Action {ref}: status 'Maybe later' is not recognised; it is not counted. "
                    "→ Use Completed, In progress") in text, text

        done = run_deployment("monthly-update/told", env, "period=2026-12", expect=1)
        assert final_state(done) == "Refused", done + log.read_text()
        _to, subject, text = told()
        assert subject == "Panel paper for December 2026: the monthly run built nothing", subject
        assert ("built nothing for December 2026, and published nothing: no returns folder for 2026-12 "
                "(inputs/returns/2026-12); the period folders there are: 2026-09, 2026-10. Check the period, or "
                "create the folder and put the returns in it.") in text, text
    assert "Traceback" not in log.read_text()


def test_a_monthly_run_whose_summary_cannot_be_sent_ends_as_it_would_have_saying_why(harness, tmp_path: Path) -> None:
    """[mail] notify with no SMTP server to send through: the run builds its draft and ends Completed; its log says
    the summary was not mailed and what to set (not the partner steps' "or use --dry-run", which the flow has not)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    from reportgen.shells.prefect_flows import monthly_update

    workspace = copy_example(tmp_path / "ws")
    settings = workspace / "reportgen.toml"
    lines = settings.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.startswith("smtp ="))
    settings.write_text(text.replace("[mail]\n", f'[mail]\nnotify = ["{SECRETARIAT}"]\n') + "\n", encoding="utf-8")
    state = monthly_update(str(workspace), return_state=True)
    assert state.is_completed() and (workspace / "outputs" / "2026-10" / "draft-01" / "paper.pdf").is_file()
    wanted = (f"reportgen: how this run ended was not mailed to {SECRETARIAT}: [ mail ] notify is set, but [ mail ] "
              f"has no smtp.host to send it; set it in {settings}")
    said: list[str] = []
    for _ in range(40):  # the run's log reaches the server a moment after the run ends
        with get_client(sync_client=True) as client:
            said = [log.message for log in client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(
                any_=[state.state_details.flow_run_id])))]
        if wanted in said:
            break
        time.sleep(0.5)
    assert wanted in said, said


@pytest.mark.expected_logs
def test_a_monthly_run_stopped_by_an_unforeseen_error_tells_the_secretariat_and_still_fails(
        harness, smtp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run stopped by an error no check foresaw (a fault of reportgen's or Prefect's, here made to happen) mailed
    nothing: only the UI showed it Failed, and the secretariat waited for a draft. The mail says it failed, on what,
    whether its draft was kept, and what to do; the run still fails with its own error."""
    from reportgen.shells import prefect_flows

    controller, captured = smtp
    for name, value in mail_login().items():
        monkeypatch.setenv(name, value)

    def fault(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a fault made by the test")

    told = []
    for step, workspace in (("find_inputs", tmp_path / "before"), ("publish_artifacts", tmp_path / "after")):
        notifying(copy_example(workspace), controller.port)
        with monkeypatch.context() as patched:
            patched.setattr(prefect_flows, step, fault)
            state = prefect_flows.monthly_update(str(workspace), period="2026-10", return_state=True)
        assert state.is_failed() and "a fault made by the test" in (state.message or ""), state.message
        [(to, message)] = captured.messages
        captured.messages.clear()
        body = message.get_body(("plain",))
        assert body is not None and to == [SECRETARIAT]
        told.append((str(message["Subject"]), " ".join(body.get_content().split())))
    drafts = [sorted(p.name for p in (tmp_path / where / "outputs" / "2026-10").glob("draft-*"))
              for where in ("before", "after")]
    assert drafts == [[], ["draft-01"]]
    for subject, text in told:
        assert subject == "Panel paper for October 2026: the monthly run failed"
        assert "on an error no check foresaw: RuntimeError: a fault made by the test" in text
        assert "Run it again" in text and "Its log in Prefect's UI says where it stopped" in text
    assert "It built nothing, and published nothing." in told[0][1]
    kept = tmp_path / "after" / "outputs" / "2026-10" / "draft-01"
    assert f"Its draft was kept in {kept}, but the run stopped before it had compared it" in told[1][1]


def test_a_monthly_run_refused_for_a_period_that_is_no_month_tells_the_secretariat_as_given(
        harness, smtp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run given '2023-13' failed with a ValueError from the summary itself (its subject named the month), not
    Refused with its reason; with [mail] notify it was mailed nothing. It is Refused, and the mail names the period
    as given and the reason."""
    from reportgen.shells.prefect_flows import monthly_update

    controller, captured = smtp
    for name, value in mail_login().items():
        monkeypatch.setenv(name, value)
    workspace = notifying(copy_example(tmp_path / "ws"), controller.port)
    state = monthly_update(str(workspace), period="2023-13", return_state=True)
    assert state.is_failed() and state.name == "Refused" and "'2023-13' has no month 13" in (state.message or "")
    [(_to, message)] = captured.messages
    body = message.get_body(("plain",))
    assert body is not None and str(message["Subject"]) == "Panel paper for '2023-13': the monthly run built nothing"
    assert "'2023-13' has no month 13" in body.get_content()


def test_a_monthly_run_that_crashes_mid_build_is_mailed_to_the_secretariat(server, smtp, tmp_path: Path  # noqa: F811
                                                                            ) -> None:
    """A monthly run whose process is lost in the middle of its build (killed; or its worker stopped, and the run
    marked Crashed later by the server) has no process left to mail how it ended: the secretariat, told nothing,
    took it for a run still going. The automation `reportgen deploy` sets runs crashed-run on the pool for it: the
    mail says which run crashed, for which month, that no draft was published, and how to run it again."""
    import os
    import signal

    from prefect.client.orchestration import SyncPrefectClient

    api_url, home = server
    controller, captured = smtp
    env = prefect_env(home, api_url) | mail_login()
    long = notifying(benchmark_workspace(tmp_path / "long", 1500), controller.port)
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "crashes", "--overwrite"], env)
    run_cli([str(BIN / "reportgen"), "deploy", "--pool", "crashes", "--name", "crashes-demand", "--workspace",
             str(long), "--monthly-name", "crashes"], env)
    log = tmp_path / "worker.log"
    with running([str(BIN / "prefect"), "worker", "start", "--pool", "crashes"], env, log) as worker, \
            SyncPrefectClient(api_url) as client:
        run_id = started_run("monthly-update/crashes", env, "period=2026-10")
        wait_past_check(api_url, run_id, "the long build to start")
        for group in children(worker.pid):  # the run's process (a session of its own), not the worker
            os.killpg(group, signal.SIGKILL)
        wait_for(lambda: bool(captured.messages), 120, "the crashed run's mail\n" + log.read_text())
        run = client.read_flow_run(run_id)
    assert run.state is not None and run.state.name == "Crashed", run.state
    [(to, message)] = captured.messages
    body = message.get_body(("plain",))
    assert body is not None and to == [SECRETARIAT]
    text = " ".join(body.get_content().split())
    assert str(message["Subject"]) == "Panel paper for October 2026: the monthly run crashed", text
    assert f"The monthly run {run.name} ({run_id}), started " in text and "crashed for October 2026: " in text, text
    assert "It published nothing: no draft folder was written for it" in text, text
    left = sorted((long / "outputs").glob("*/.draft-tmp-*"))  # where it was building, if it had begun to write
    assert ("Its unfinished work, " in text) == bool(left) and all(str(folder) in text for folder in left), text
    assert "Run it again: prefect deployment run 'monthly-update/crashes' --param period=2026-10" in text, text
    assert not list((long / "outputs").glob("*/draft-*"))  # nothing half-written was published
