"""Every flow run where Prefect runs it, on a real `prefect server` started by the test on 127.0.0.1
(one per module): the monthly deployment served by `reportgen serve` and triggered with
`prefect deployment run … --watch`, each flow deployed to a process work pool and run by a worker,
each run checked to its final state (Completed, or "Blocked" for a draft with blocking issues), its
folder and its artifacts; and the served cron really creating runs (a broken scheduler, as with
SQLAlchemy 2.1, fails it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest

from canary import CANARY, exempt_workspace
from conftest import benchmark_workspace, blocked_workspace, copy_example
from reportgen.mail.credentials import PASSWORD_VARIABLE, TOKEN_VARIABLE
from reportgen.shells.serve import Stops, same_folder, stop, stops_deferred

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
WATCH = ["--watch", "--watch-timeout", "300"]
SECRET = "not-for-the-server-4f1c"


def prefect_env(home: Path, api_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
            "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_LOGGING_LEVEL": "WARNING"}
    return env | {"PREFECT_API_URL": api_url} if api_url else env


@contextlib.contextmanager
def running(args: list[str], env: dict[str, str], log: Path, cwd: Path | None = None
            ) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                   cwd=cwd)
    try:
        yield process
    finally:
        stop(process)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("prefect-home")
    env_before = dict(os.environ)
    # as `reportgen serve` is started where the mail password is set (test_the_server_is_not_given_the_mail_secrets)
    os.environ.update({"PREFECT_HOME": str(home), PASSWORD_VARIABLE: SECRET, TOKEN_VARIABLE: SECRET})
    from reportgen.shells.serve import local_server

    try:
        with local_server(ui=False) as api_url:
            os.environ.pop(PASSWORD_VARIABLE)
            os.environ.pop(TOKEN_VARIABLE)
            yield api_url, home
    finally:
        os.environ.clear()
        os.environ.update(env_before)


def test_the_server_is_not_given_the_mail_secrets(server) -> None:
    """`reportgen serve` started its Prefect server with its whole environment, the mail password or token set
    for the flows included: the server never uses them, yet held them as long as it ran (its environment readable
    by the same user, in a core dump). The server `serve` starts has every other variable, and not those."""
    api_url, home = server
    port = api_url.rsplit(":", 1)[1].split("/")[0]
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
            if b"server" in command and port.encode() in command:
                found[proc.name] = dict(line.split(b"=", 1) for line in (proc / "environ").read_bytes().split(b"\0")
                                        if b"=" in line)
        except OSError:  # a process that ended meanwhile, or another user's
            continue
    assert found, f"no process serving port {port}"
    for environment in found.values():
        assert environment[b"PREFECT_HOME"] == str(home).encode()
        assert PASSWORD_VARIABLE.encode() not in environment and TOKEN_VARIABLE.encode() not in environment
        assert not any(SECRET.encode() in value for value in environment.values())


def run_cli(args: list[str], env: dict[str, str], expect: int = 0) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=400)
    assert done.returncode == expect, done.stdout + done.stderr
    return done.stdout + done.stderr


def run_deployment(name: str, env: dict[str, str], *params: str, expect: int = 0) -> str:
    """`prefect deployment run NAME --param … --watch`, as a person types it; returns what it printed."""
    args = [str(BIN / "prefect"), "deployment", "run", name, *(f"--param={p}" for p in params), *WATCH]
    return run_cli(args, env, expect)


def final_state(printed: str) -> str:
    """The state name in the last line of `--watch`: "Flow run finished successfully in 'Blocked'."."""
    last = printed.strip().splitlines()[-1]
    assert last.startswith("Flow run finished"), printed
    return last.split("'")[1]


def artifact_key(kind: str, *parts: str, workspace: Path) -> str:
    """The key the flows publish an artifact under (`reportgen.shells.prefect_flows.artifact_key`), imported when
    asked: this module's own import stays light."""
    from reportgen.shells.prefect_flows import artifact_key as key

    return key(kind, *parts, workspace=workspace)


def artifact(key: str, env: dict[str, str]) -> str:
    """The newest artifact published under `key`, as text (markdown, or a table as JSON)."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with SyncPrefectClient(env["PREFECT_API_URL"]) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                                      sort=ArtifactSort.CREATED_DESC, limit=1)
    assert found, f"no artifact {key!r}"
    return str(found[0].data)


def run_logs(printed: str, api_url: str) -> list[str]:
    """The log lines the server holds for the flow run `prefect deployment run` printed the id of."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    found = re.search(r"UUID: ([0-9a-f-]{36})", printed)
    assert found, printed
    run_id = found.group(1)
    with SyncPrefectClient(api_url) as client:
        return [log.message for log in client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(
            any_=[uuid.UUID(run_id)])))]


def test_serve_refuses_in_one_line_a_workspace_it_cannot_build_or_a_server_that_does_not_answer(
        tmp_path: Path) -> None:
    """Before any schedule is set: a typo in a service unit shows at its start, not on the 1st of the month."""
    env = prefect_env(tmp_path / "prefect-home", None)
    serve = [str(BIN / "reportgen"), "serve", "--workspace"]
    printed = run_cli([*serve, str(tmp_path / "nope")], env, expect=2)
    assert printed.strip() == (f"reportgen: error: workspace {tmp_path / 'nope'} does not exist (a workspace is the "
                               "folder holding inputs/ and reportgen.toml)")
    (tmp_path / "empty").mkdir()  # a folder, but no workspace: usage, as a folder not there is (exit 2)
    printed = run_cli([*serve, str(tmp_path / "empty")], env, expect=2)
    assert printed.strip().splitlines() == [
        f"reportgen: error: {tmp_path / 'empty'} is not a workspace: it holds neither inputs/ nor reportgen.toml (a "
        "workspace is the folder holding inputs/ and reportgen.toml)"]
    (tmp_path / "empty" / "inputs").mkdir()  # a workspace with no register yet: its own problem (exit 1)
    printed = run_cli([*serve, str(tmp_path / "empty")], env, expect=1)
    assert printed.strip().splitlines() == [
        f"reportgen: error: no register in {tmp_path / 'empty' / 'inputs'} (expected register.xlsx or register.csv)"]
    workspace = copy_example(tmp_path / "ws")
    nobody = prefect_env(tmp_path / "prefect-home", "http://127.0.0.1:9/api")
    printed = run_cli([*serve, str(workspace)], nobody, expect=1)
    assert printed.strip().splitlines() == [
        "reportgen: error: no Prefect server answers at http://127.0.0.1:9/api (PREFECT_API_URL): start it (prefect"
        " server start), correct the address, or unset PREFECT_API_URL and serve starts one of its own"]


def test_deploy_and_serve_say_what_is_wrong_with_a_prefect_api_url_that_does_not_answer(server, tmp_path: Path
                                                                                         ) -> None:
    """The address the browser shows (the UI's, without /api) is the one an IT person copies; deploy was
    told it that no server answers there, and, like a server that is down, to unset PREFECT_API_URL so that
    serve starts one, which deploy refuses."""
    api_url, home = server
    ui = api_url.removesuffix("/api")
    workspace = copy_example(tmp_path / "ws")
    deploy = [str(BIN / "reportgen"), "deploy", "--pool", "reportgen"]
    serve = [str(BIN / "reportgen"), "serve", "--workspace", str(workspace)]
    for command in (deploy, serve):
        printed = run_cli(command, prefect_env(home, ui), expect=1)
        assert printed.strip().splitlines() == [
            f"reportgen: error: PREFECT_API_URL {ui} is the Prefect server's UI address; its API is {api_url}: set "
            f"PREFECT_API_URL={api_url}"], printed
        printed = run_cli(command, prefect_env(home, api_url.removeprefix("http://")), expect=1)
        assert printed.strip().splitlines() == [
            f"reportgen: error: PREFECT_API_URL {api_url.removeprefix('http://')} is not an address: it starts with "
            "http://, e.g. http://127.0.0.1:4200/api"], printed
    printed = run_cli(deploy, prefect_env(home, "http://127.0.0.1:9/api"), expect=1)
    assert printed.strip().splitlines() == [
        "reportgen: error: no Prefect server answers at http://127.0.0.1:9/api (PREFECT_API_URL): start it (prefect"
        " server start) or correct the address"], printed
    assert not (workspace / "outputs").exists()


def wait_for(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def started_run(deployment: str, env: dict[str, str], *params: str) -> uuid.UUID:
    """`prefect deployment run NAME --param …`, not waiting for it: the flow run's id."""
    started = run_cli([str(BIN / "prefect"), "deployment", "run", deployment, *(f"--param={p}" for p in params)], env)
    return uuid.UUID(re.findall(r"UUID: ([0-9a-f-]{36})", started)[0])


def wait_past_check(api_url: str, run_id: uuid.UUID, what: str) -> None:
    """Until the run is into its build: its check task (the inputs read and checked) has completed."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    of_run = FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))
    with SyncPrefectClient(api_url) as client:
        wait_for(lambda: any(task.name.startswith("check") and task.state_type is not None
                             and task.state_type.value == "COMPLETED"
                             for task in client.read_task_runs(flow_run_filter=of_run)), 180, what)


def test_served_monthly_deployment_runs_to_completion_and_its_cron_creates_runs(server, tmp_path: Path) -> None:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.exceptions import ObjectNotFound

    from reportgen.shells.prefect_flows import workspace_tag

    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")
    blocked = blocked_workspace(tmp_path / "blocked")
    log = tmp_path / "serve.log"
    as_typed = {k: v for k, v in env.items() if k != "PREFECT_LOGGING_LEVEL"}  # a service unit sets no log level
    with running([str(BIN / "reportgen"), "serve", "--workspace", str(workspace)], as_typed, log) as serve:
        runs: list[object] = []
        with SyncPrefectClient(api_url) as client:
            def scheduled() -> bool:
                with contextlib.suppress(ObjectNotFound):
                    deployment = client.read_deployment_by_name("monthly-update/monthly")
                    runs[:] = client.read_flow_runs(
                        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])))
                return bool(runs)

            wait_for(scheduled, 120, "the served schedule to create runs\n" + log.read_text())
        london = [run.expected_start_time.astimezone(zoneinfo.ZoneInfo("Europe/London"))  # type: ignore[attr-defined]
                  for run in runs]
        assert all((t.day, t.hour, t.minute) == (1, 7, 0) for t in london)
        assert "monthly-update/monthly" in run_cli([str(BIN / "prefect"), "deployment", "ls"], env)
        with SyncPrefectClient(api_url) as client:  # it names the workspace it builds, as a deployed one does
            deployment = client.read_deployment_by_name("monthly-update/monthly")
        assert deployment.description is not None and deployment.description.startswith(
            f"The monthly Panel paper of {workspace}, on cron '0 7 1 * *' (Europe/London): "), deployment.description
        assert deployment.tags == [workspace_tag(workspace)]

        done = run_deployment("monthly-update/monthly", env)
        assert final_state(done) == "Completed", done + log.read_text()
        assert f"Beginning flow run '{workspace_tag(workspace)}: " in watched(done), done  # and so does its run
        draft = workspace / "outputs" / "2026-10" / "draft-01"
        assert (draft / "manifest.json").is_file() and (draft / "paper.pdf").is_file()
        assert str(draft) in artifact(artifact_key("paper", "2026-10", "public", workspace=workspace), env)
        assert "missing-return" in artifact(artifact_key("issues", "2026-10", "public", workspace=workspace), env)
        # the served run's log is kept for the UI, and the serve terminal (a service's journal) shows it
        # (a run's process sends its log in batches, the last as it exits: it may land just after --watch ends)
        wait_for(lambda: any("Finished in state Completed" in line for line in run_logs(done, api_url)), 30,
                 "the served run's log in the server")
        wait_for(lambda: "Finished in state Completed" in log.read_text(), 30, "the run in serve's output")

        # a second workspace served on the same server under the same name would silently replace the first
        printed = run_cli([str(BIN / "reportgen"), "serve", "--workspace", str(blocked)], env, expect=1)
        assert printed.strip().splitlines() == [
            f"reportgen: error: monthly-update/monthly on this Prefect server already builds {workspace}; serving"
            f" {blocked} under that name would stop it. Serve this one under another name (--name blocked, say), or,"
            " to move the schedule here, delete it first: prefect deployment delete monthly-update/monthly"], printed
        # the same workspace served again (a terminal left open beside a service): the server would take it, and the
        # first serve, with its schedule and code, would go on running every run
        printed = run_cli([str(BIN / "reportgen"), "serve", "--workspace", str(workspace)], env, expect=1)
        [line] = printed.strip().splitlines()
        assert line.startswith(f"reportgen: error: monthly-update/monthly is already served for {workspace} by "
                               f"another reportgen serve (process {serve.pid} on "), printed
        assert line.endswith("Stop it first (Ctrl-C in its terminal, or stop its service), then start serving again")
        with running([str(BIN / "reportgen"), "serve", "--workspace", str(blocked), "--name", "second"], env,
                     tmp_path / "serve-2.log") as second:
            wait_for(lambda: "being served" in (tmp_path / "serve-2.log").read_text(), 120, "the second serve")
            with SyncPrefectClient(api_url) as client:
                assert client.read_deployment_by_name("monthly-update/second").parameters == {"workspace": str(blocked)}
                assert client.read_deployment_by_name("monthly-update/monthly").parameters == {
                    "workspace": str(workspace)}
            second.send_signal(signal.SIGINT)
            second.wait(30)

        # deploying the flows under the served name would replace the served deployment, schedule and workspace
        run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "served", "--overwrite"], env)
        # moving the served workspace to a pool: each refusal said to do what the other refused (its name, or
        # another); both say the one way, stop serving and delete it first
        to_pool = [str(BIN / "reportgen"), "deploy", "--pool", "served", "--name", "to-pool", "--workspace",
                   str(workspace), "--monthly-name"]
        for name in ("monthly", "monthly-two"):
            printed = run_cli([*to_pool, name], env, expect=1)
            assert "stop serving and delete it first: prefect deployment delete monthly-update/monthly" in printed
            assert "--monthly-name" not in printed.split("would")[-1], printed
        printed = run_cli([str(BIN / "reportgen"), "deploy", "--pool", "served", "--name", "monthly"], env, expect=1)
        assert printed.strip().splitlines() == [
            f"reportgen: error: monthly-update/monthly on this Prefect server is served by reportgen serve for "
            f"{workspace}; deploying under that name would replace it and its schedule: deploy under another name "
            "(--name), or delete it first: prefect deployment delete monthly-update/monthly"], printed

        done = run_deployment("monthly-update/monthly", env, f"workspace={blocked}")
        assert final_state(done) == "Blocked", done + log.read_text()
        assert (blocked / "outputs" / "2026-10" / "draft-01" / "manifest.json").is_file()
        summary = artifact(artifact_key("paper", "2026-10", "public", workspace=blocked), env)
        assert "2 issues block publication" in summary
        # each with where (file, sheet, row, column as written) and what to do
        assert "opcc.xlsx, sheet 'Return', row 2, column 'Status this reporting period': " in summary, summary
        assert "→ Use " in summary, summary

        serve.send_signal(signal.SIGINT)  # Ctrl-C
        serve.wait(30)  # stopped by itself, well before `stop` would kill it
    with SyncPrefectClient(api_url) as client:  # stopping serve leaves the schedule active for a restart
        schedules = client.read_deployment_by_name("monthly-update/monthly").schedules
    assert schedules and all(s.active for s in schedules)
    assert "Traceback" not in log.read_text()
    # started again at once, as after changing [schedule]: the stopped serve no longer holds it
    serve_again = [str(BIN / "reportgen"), "serve", "--workspace", str(workspace)]
    with running(serve_again, env, tmp_path / "again.log") as again:
        wait_for(lambda: "being served" in (tmp_path / "again.log").read_text(), 120,
                 "serve started again\n" + (tmp_path / "again.log").read_text())
        again.send_signal(signal.SIGINT)
        again.wait(30)


def test_a_schedule_changed_in_reportgen_toml_while_serving_is_said_by_the_next_run(server, tmp_path: Path) -> None:
    """The secretariat moved the monthly run to 06:00 on the 2nd in reportgen.toml while `reportgen serve`
    ran: serve had read the schedule once, kept running the old one, and nothing said so. The run now says,
    in its log (the UI's, --watch's and serve's), which schedule is in effect and to restart serve."""
    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")
    log = tmp_path / "serve.log"
    with running([str(BIN / "reportgen"), "serve", "--workspace", str(workspace), "--name", "moved"], env, log):
        wait_for(lambda: "being served" in log.read_text(), 120, "serve\n" + log.read_text())
        done = run_deployment("monthly-update/moved", env)  # the schedule as served: nothing to say
        assert final_state(done) == "Completed", done + log.read_text()
        with (workspace / "reportgen.toml").open("a", encoding="utf-8") as appended:
            appended.write('\n[schedule]\ncron = "0 6 2 * *"\n')
        moved = run_deployment("monthly-update/moved", env)
        assert final_state(moved) == "Completed", moved + log.read_text()
        said = (f"reportgen: the schedule in {workspace / 'reportgen.toml'} is cron '0 6 2 * *' (Europe/London), "
                "but this deployment still runs on cron '0 7 1 * *' (Europe/London), as it was read when it was "
                "served or deployed: restart reportgen serve to run on the new schedule")
        wait_for(lambda: said in run_logs(moved, api_url), 30, "the warning in the run's log")
        wait_for(lambda: said in log.read_text(), 30, "the warning in serve's output")
        assert not any("schedule" in line for line in run_logs(done, api_url))
    assert (workspace / "outputs" / "2026-10" / "draft-02" / "paper.pdf").is_file()  # the run still built


def test_runs_the_schedule_missed_build_each_their_own_month_and_one_with_no_folder_builds_nothing(
        server, tmp_path: Path) -> None:
    """Serve was stopped over the ends of September, October and November; started again, Prefect ran each run its
    schedule had missed, and each built the newest returns folder: the runs due on 1 October, 1 November and
    1 December all built October, the last warning that November had no folder yet still keeping an October draft.
    Each now builds the month that had ended when it was due: September, October, and, for November, which has no
    folder, nothing: it fails saying which folder it expected and how to run the month. A run made by hand, with
    no slot, still builds the newest folder, and says that November has none. The missed runs are made as the
    schedule makes them (Prefect's backfill of a deployment's schedule)."""
    import datetime as dt

    import httpx
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterExpectedStartTime,
    )
    from prefect.states import Scheduled

    from reportgen.drafts.folders import load_draft

    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")  # returns for 2026-09 and 2026-10
    log = tmp_path / "serve.log"
    london = zoneinfo.ZoneInfo("Europe/London")
    first, last = dt.datetime(2026, 10, 1, 0, 0, tzinfo=london), dt.datetime(2026, 12, 1, 8, 0, tzinfo=london)
    with running([str(BIN / "reportgen"), "serve", "--workspace", str(workspace), "--name", "behind"], env, log):
        wait_for(lambda: "being served" in log.read_text(), 120, "serve\n" + log.read_text())
        with SyncPrefectClient(api_url) as client:
            deployment = client.read_deployment_by_name("monthly-update/behind")
            # the server answers 503 while its database is busy (two cores, serve starting up): asked again, as
            # Prefect's own client does
            for _attempt in range(10):
                made = httpx.post(f"{api_url}/deployments/{deployment.id}/schedule", timeout=30, json={
                    "start_time": first.isoformat(), "end_time": last.isoformat(), "max_runs": 3})
                if made.status_code != 503:
                    break
                time.sleep(2)
            made.raise_for_status()
            by_hand = client.create_flow_run_from_deployment(
                deployment.id, state=Scheduled(scheduled_time=dt.datetime(2026, 12, 1, 7, 0, tzinfo=london))).id
            missed = client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
                flow_run_filter=FlowRunFilter(expected_start_time=FlowRunFilterExpectedStartTime(
                    after_=first, before_=last)))
            runs = {run.expected_start_time.astimezone(london).strftime("%Y-%m-%d %H:%M"): run.id  # type: ignore[union-attr]
                    for run in missed if run.auto_scheduled}
            assert sorted(runs) == ["2026-10-01 07:00", "2026-11-01 07:00", "2026-12-01 07:00"], missed

            def ended() -> bool:
                return all(client.read_flow_run(run).state.is_final()  # type: ignore[union-attr]
                           for run in [*runs.values(), by_hand])

            wait_for(ended, 300, "the runs that were due\n" + log.read_text())
            states = {when: client.read_flow_run(run).state for when, run in runs.items()}
            hand_state = client.read_flow_run(by_hand).state
        assert {when: state.name for when, state in states.items()} == {  # type: ignore[union-attr]
            "2026-10-01 07:00": "Completed", "2026-11-01 07:00": "Completed", "2026-12-01 07:00": "Failed",
        }, log.read_text()
        said = ("this scheduled run, due 01 December 2026 07:00 (Europe/London), is November 2026's run, but "
                "November 2026 has no returns folder (inputs/returns/2026-11), so nothing was built: put its returns "
                "there, then run it: prefect deployment run 'monthly-update/behind' --param period=2026-11.")
        assert states["2026-12-01 07:00"].message == said  # type: ignore[union-attr]
        wait_for(lambda: f"reportgen: error: {said}" in run_logs(f"UUID: {runs['2026-12-01 07:00']}", api_url), 30,
                 "the reason in the failed run's log")
        assert hand_state is not None and hand_state.name == "Completed", log.read_text()
        warned = ("reportgen: this run, due 01 December 2026 07:00 (Europe/London), built 2026-10, the newest period "
                  "folder in inputs/returns; November 2026 has ended and has no folder (inputs/returns/2026-11): put "
                  "its returns there and run it again")
        wait_for(lambda: warned in run_logs(f"UUID: {by_hand}", api_url), 30, "the hand run's warning in its log")
        for when in ("2026-10-01 07:00", "2026-11-01 07:00"):
            assert not any("has ended" in line or "was due" in line or "reportgen: error" in line
                           for line in run_logs(f"UUID: {runs[when]}", api_url))
        assert not (workspace / "outputs" / "2026-11").exists()
        # November's returns put in their folder, the failed run retried (as the UI's Retry does) builds November
        shutil.copytree(workspace / "inputs" / "returns" / "2026-10", workspace / "inputs" / "returns" / "2026-11")
        with SyncPrefectClient(api_url) as client:
            client.set_flow_run_state(runs["2026-12-01 07:00"], Scheduled(name="AwaitingRetry"))
            wait_for(lambda: client.read_flow_run(runs["2026-12-01 07:00"]).state.is_final(),  # type: ignore[union-attr]
                     300, "the retried run\n" + log.read_text())
            retried = client.read_flow_run(runs["2026-12-01 07:00"]).state
        assert retried is not None and retried.is_completed(), log.read_text()
        assert load_draft(workspace / "outputs" / "2026-11" / "draft-01")[0].period == "2026-11"
    assert [p.name for p in (workspace / "outputs" / "2026-09").glob("draft-*")] == ["draft-01"]
    assert load_draft(workspace / "outputs" / "2026-09" / "draft-01")[0].period == "2026-09"
    assert sorted(p.name for p in (workspace / "outputs" / "2026-10").glob("draft-*")) == ["draft-01", "draft-02"]
    # one at a time, in the order they were due: October's paper carries forward from September's kept draft and
    # shows the progress since (run at once, it read September's returns and had no progress section)
    october = load_draft(workspace / "outputs" / "2026-10" / "draft-01")[0]
    assert (october.period, october.carried_from) == ("2026-10", "draft 2026-09/draft-01")
    assert october.progress is not None


def test_a_served_run_says_when_reportgen_was_upgraded_under_serve(server, tmp_path: Path) -> None:
    """reportgen upgraded (here: a module of it changed) while `reportgen serve` runs: each run it starts imports the
    new code but runs the monthly flow as serve loaded it, and nothing said so. The run now logs a warning saying
    to restart serve; a run with nothing changed says nothing (the other served runs here)."""
    import shutil

    from prefect.client.orchestration import SyncPrefectClient
    from prefect.states import Scheduled

    from reportgen.shells.prefect_flows import UPGRADED_UNDER_SERVE

    api_url, home = server
    installed = tmp_path / "site"  # reportgen as installed (its templates inside the package), to be upgraded
    shutil.copytree(Path(__file__).resolve().parents[1] / "src" / "reportgen", installed / "reportgen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(Path(__file__).resolve().parents[1] / "templates", installed / "reportgen" / "templates")
    env = prefect_env(home, api_url) | {"PYTHONPATH": str(installed)}
    workspace = copy_example(tmp_path / "ws")
    log = tmp_path / "serve.log"
    with running([str(BIN / "reportgen"), "serve", "--workspace", str(workspace), "--name", "upgraded"], env, log):
        wait_for(lambda: "being served" in log.read_text(), 120, "serve\n" + log.read_text())
        with (installed / "reportgen" / "wording.py").open("a", encoding="utf-8") as module:
            module.write("\n# upgraded\n")
        with SyncPrefectClient(api_url) as client:
            deployment = client.read_deployment_by_name("monthly-update/upgraded")
            run = client.create_flow_run_from_deployment(deployment.id, state=Scheduled()).id

            def ended() -> bool:
                return client.read_flow_run(run).state.is_final()  # type: ignore[union-attr]

            wait_for(ended, 240, "the run\n" + log.read_text())
            assert client.read_flow_run(run).state.name == "Completed", log.read_text()  # type: ignore[union-attr]
        wait_for(lambda: f"reportgen: {UPGRADED_UNDER_SERVE}" in run_logs(f"UUID: {run}", api_url), 30,
                 "the warning in the run's log\n" + log.read_text())


def test_every_flow_deployed_to_a_process_pool_runs_on_a_worker(server, tmp_path: Path) -> None:
    from reportgen.shells.prefect_flows import workspace_tag

    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "reportgen", "--overwrite"], env)
    deployed = run_cli([str(BIN / "reportgen"), "deploy", "--pool", "reportgen"], env)
    assert [line for line in deployed.splitlines() if line.startswith("Deployed ")] == [
        f"Deployed {flow}/on-demand to work pool reportgen" for flow in (
            "panel-paper", "monthly-update", "compare-drafts", "partner-returns", "check-paper", "status-history",
            "publish-paper", "send-returns", "collect", "chase", "crashed-run")]
    log = tmp_path / "worker.log"
    with running([str(BIN / "prefect"), "worker", "start", "--pool", "reportgen"], env, log):
        done = run_deployment("panel-paper/on-demand", env, f"workspace={workspace}")
        assert final_state(done) == "Completed", done + log.read_text()
        first = workspace / "outputs" / "2026-10" / "draft-01"
        assert sorted(p.name for p in first.iterdir()) == [
            "chase.csv", "draft.json", "issues.csv", "manifest.json", "paper.docx", "paper.html", "paper.pdf",
            "register.xlsx"]

        done = run_deployment("monthly-update/on-demand", env, f"workspace={workspace}")
        assert final_state(done) == "Completed", done + log.read_text()
        # what `reportgen build` prints is in the run's log, which --watch shows: not 'Completed' alone
        said = " ".join(done.split())  # --watch wraps its lines
        assert "reportgen: 2026-10 (public edition): 35 actions: Completed 8, In progress 19" in said, done
        assert "reportgen: 0 errors, 3 warnings: nothing blocks publication." in said, done
        assert "reportgen: To chase: Wessex County Council: no return; 4 of 4 actions not updated" in said, done
        second = workspace / "outputs" / "2026-10" / "draft-02"
        assert (second / "manifest.json").is_file()
        assert (workspace / "outputs" / "2026-10" / "compare" / "draft-01-to-draft-02" / "diff.docx").is_file()
        paper_key = artifact_key("paper", "2026-10", "public", workspace=workspace)
        assert "Compared with draft-01" in artifact(paper_key, env)

        comparison = tmp_path / "comparison"
        done = run_deployment("compare-drafts/on-demand", env, f"old={first}", f"new={second}", f"out={comparison}")
        assert final_state(done) == "Completed", done + log.read_text()
        assert sorted(p.name for p in comparison.iterdir()) == ["diff.docx", "diff.html", "diff.json", "diff.pdf"]
        assert run_name(done, api_url).startswith(f"{workspace_tag(workspace)}: ")  # as the monthly run's is
        # keyed by period, and by where the draft is: one per month and Panel
        assert str(comparison) in artifact(artifact_key("compare", "2026-10", "draft-02", workspace=second.parent), env)

        done = run_deployment("partner-returns/on-demand", env, f"workspace={workspace}", "period=2026-11")
        assert final_state(done) == "Completed", done + log.read_text()
        assert len(list((workspace / "outputs" / "2026-11" / "returns").glob("*.xlsx"))) == 5
        assert "opcc.xlsx" in artifact(artifact_key("returns", "2026-11", workspace=workspace), env)

        done = run_deployment("check-paper/on-demand", env, f"workspace={workspace}")
        assert final_state(done) == "Completed", done + log.read_text()
        checks_key = artifact_key("checks", "2026-10", "public", workspace=workspace)
        assert "Nothing blocks publication." in artifact(checks_key, env)
        assert sorted(p.name for p in (workspace / "outputs" / "2026-10").iterdir() if p.name != ".lock") == [
            "compare", "draft-01", "draft-02"]  # it wrote nothing

        history = tmp_path / "history"
        done = run_deployment("status-history/on-demand", env, f"workspace={workspace}", f"out={history}")
        assert final_state(done) == "Completed", done + log.read_text()
        assert sorted(p.name for p in history.iterdir()) == ["history-carried-forward.csv", "history-corrected.csv",
                                                             "history.csv", "history.xlsx"]
        history_key = artifact_key("history", "public", workspace=workspace)
        assert str(history / "history.xlsx") in artifact(history_key, env)

        # a period that cannot be: the run fails at once, with the reason as its message, never retried
        done = run_deployment("panel-paper/on-demand", env, f"workspace={workspace}", "period=2023-13", expect=1)
        assert final_state(done) == "Refused", done
        assert not (workspace / "outputs" / "2023-13").exists()
    worker_log = log.read_text()
    assert "Retry" not in worker_log and "Traceback" not in worker_log, worker_log


def test_a_workers_artifacts_count_every_action_and_keep_each_editions_issues_apart(server, tmp_path: Path) -> None:
    """What a deployment's run publishes, read back from the server. The paper's artifact counted the statuses
    alone: "6 actions: Completed 2, In progress 0, Not started 1, On hold 1." left out the 2 actions whose status
    was not recognised, where `reportgen build` and the run's own log account for every action. And a restricted
    run published its issues under the public run's key: the month's latest issues became the restricted ones,
    an exempt action's issue in full words instead of "exempt from publication"."""
    api_url, home = server
    env = prefect_env(home, api_url)
    blocked = blocked_workspace(tmp_path / "blocked")
    exempt = exempt_workspace(tmp_path / "exempt")
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "artifacts", "--overwrite"], env)
    run_cli([str(BIN / "reportgen"), "deploy", "--pool", "artifacts", "--name", "artifacts"], env)
    log = tmp_path / "worker.log"
    with running([str(BIN / "prefect"), "worker", "start", "--pool", "artifacts"], env, log):
        done = run_deployment("panel-paper/artifacts", env, f"workspace={blocked}")
        assert final_state(done) == "Blocked", done + log.read_text()
        counts = "6 actions: Completed 2, In progress 0, Not started 1, On hold 1, status not recognised 2."
        assert f"reportgen: 2026-10 (public edition): {counts}" in watched(done), done
        # and what blocks it, each where it is and what to do, as `reportgen build` prints them
        for row, ref in ((2, 2), (3, 4)):
            assert (f"reportgen: Blocks publication: inputs/returns/2026-10/opcc.xlsx, sheet 'Return', row {row}, "
                    f"column 'Status this reporting period': Action {ref}: status 'Maybe later' is not recognised; "
                    "it is not counted. → Use Completed, In progress") in watched(done), done
        assert counts in artifact(artifact_key("paper", "2026-10", "public", workspace=blocked), env)
        done = run_deployment("check-paper/artifacts", env, f"workspace={blocked}")
        assert final_state(done) == "Blocked", done + log.read_text()
        assert counts in artifact(artifact_key("checks", "2026-10", "public", workspace=blocked), env)

        for edition in ("public", "restricted"):
            done = run_deployment("panel-paper/artifacts", env, f"workspace={exempt}", f"edition={edition}")
            assert final_state(done) == "Completed", done + log.read_text()
    public = artifact(artifact_key("issues", "2026-10", "public", workspace=exempt), env)
    # the issue about exempt action 7 is counted, not listed: its ref would say which action is exempt
    assert "exempt-warnings" in public and "Action 7" not in public and CANARY not in public, public
    restricted = artifact(artifact_key("issues", "2026-10", "restricted", workspace=exempt), env)
    assert "Action 7: the return's action text differs" in restricted, restricted
    assert "Traceback" not in log.read_text()


def state_message(printed: str, api_url: str) -> str:
    """The message of the final state of the flow run `prefect deployment run` printed the id of."""
    from prefect.client.orchestration import SyncPrefectClient

    run_id = uuid.UUID(re.findall(r"UUID: ([0-9a-f-]{36})", printed)[0])
    with SyncPrefectClient(api_url) as client:
        state = client.read_flow_run(run_id).state
    assert state is not None
    return state.message or ""


def run_name(printed: str, api_url: str) -> str:
    """The name of the flow run `prefect deployment run` printed the id of, as the UI and `flow-run ls` show it."""
    from prefect.client.orchestration import SyncPrefectClient

    run_id = uuid.UUID(re.findall(r"UUID: ([0-9a-f-]{36})", printed)[0])
    with SyncPrefectClient(api_url) as client:
        return client.read_flow_run(run_id).name


def watched(printed: str) -> str:
    """What `--watch` printed, its lines as the terminal wrapped them joined again."""
    return " ".join(printed.split())


def test_a_deployment_run_given_no_workspace_or_a_relative_path_is_refused_saying_to_give_the_full_path(
        server, tmp_path: Path) -> None:
    """A deployment's run starts in the worker's own temporary folder: the workspace parameter left at its
    default ('.', as the UI's Run button leaves it) or a path relative to where the person typed was read
    there, and the run failed with "no register in /tmp/tmp…prefect/inputs", which says nothing of what to do.
    The reason is printed by `--watch`, which shows of the final state only its name ("Refused")."""
    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "elsewhere", "--overwrite"], env)
    run_cli([str(BIN / "reportgen"), "deploy", "--pool", "elsewhere", "--name", "elsewhere"], env)
    (tmp_path / "worker-folder").mkdir()
    with running([str(BIN / "prefect"), "worker", "start", "--pool", "elsewhere"], env, tmp_path / "worker.log",
                 cwd=tmp_path / "worker-folder"):
        done = run_deployment("panel-paper/elsewhere", env, expect=1)
        assert final_state(done) == "Refused", done
        message = state_message(done, api_url)
        assert message.startswith("workspace '.' is not a full path: a deployment's run starts in a folder of the "
                                  "worker's own ("), message
        assert message.endswith("), so give the full path: prefect deployment run 'panel-paper/elsewhere' --param"
                                " workspace=/full/path …"), message
        assert "reportgen: error: workspace '.' is not a full path: a deployment's run starts in a folder of the " \
               "worker's own (" in watched(done), done

        done = run_deployment("compare-drafts/elsewhere", env, "old=outputs/2026-10/draft-01",
                              "new=outputs/2026-10/draft-02", expect=1)
        assert final_state(done) == "Refused", done
        assert state_message(done, api_url).startswith("old 'outputs/2026-10/draft-01' is not a full path: ")

        done = run_deployment("collect/elsewhere", env, f"workspace={workspace}", "period=2026-10", "dry_run=true",
                              "from_folder=inputs/mail/2026-10", expect=1)
        assert final_state(done) == "Refused", done
        assert state_message(done, api_url).startswith("from_folder 'inputs/mail/2026-10' is not a full path: ")
        assert "reportgen: error: from_folder 'inputs/mail/2026-10' is not a full path: " in watched(done), done

        # a refusal names the parameter as the person running the deployment sets it, not reportgen's option
        full = tmp_path / "full"
        full.mkdir()
        (full / "notes.txt").write_text("kept")
        done = run_deployment("panel-paper/elsewhere", env, f"workspace={workspace}", f"out={full}", expect=1)
        assert final_state(done) == "Refused", done
        reason = f"out={full} already exists and is not empty: never overwriting a draft"
        assert state_message(done, api_url) == reason
        assert f"reportgen: error: {reason}" in watched(done) and "--out" not in done, done
        no_smtp = copy_example(tmp_path / "no-smtp")
        settings = no_smtp / "reportgen.toml"
        settings.write_text("".join(line for line in settings.read_text().splitlines(keepends=True)
                                    if not line.startswith("smtp =")))
        done = run_deployment("send-returns/elsewhere", env, f"workspace={no_smtp}", "period=2026-10", expect=1)
        assert final_state(done) == "Failed", done
        # --watch prints a log line as Rich markup, in which "[mail]" would vanish; the task's own state names
        # the parameter too, not the command line's --dry-run
        reason = "[ mail ] needs smtp.host and from_address to send; or use dry_run=true"
        assert state_message(done, api_url) == reason
        assert f"reportgen: error: {reason}" in watched(done), done
        assert f"ReportgenError: {reason}')" in watched(done) and "--dry-run" not in done, done
        assert [p.name for p in full.iterdir()] == ["notes.txt"]
    assert not (workspace / "outputs").exists()  # nothing written anywhere
    assert list((tmp_path / "worker-folder").iterdir()) == []


def test_deploying_again_keeps_the_schedule_and_workspace_set_on_the_server(server, tmp_path: Path) -> None:
    """An IT person gives the monthly deployment a schedule and its workspace in the UI; deploying again
    (after an upgrade: "deploying again updates them") removed both, and the monthly run silently stopped."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.actions import DeploymentUpdate

    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "again", "--overwrite"], env)
    deploy = [str(BIN / "reportgen"), "deploy", "--pool", "again", "--name", "again"]
    run_cli(deploy, env)
    run_cli([str(BIN / "prefect"), "deployment", "schedule", "create", "monthly-update/again", "--cron", "0 7 1 * *",
             "--timezone", "Europe/London"], env)
    with SyncPrefectClient(api_url) as client:
        deployment = client.read_deployment_by_name("monthly-update/again")
        client.update_deployment(deployment.id, DeploymentUpdate(parameters={"workspace": str(workspace)}))
    run_cli(deploy, env)
    with SyncPrefectClient(api_url) as client:
        deployment = client.read_deployment_by_name("monthly-update/again")
        plain = client.read_deployment_by_name("panel-paper/again")
    assert deployment.parameters == {"workspace": str(workspace)}
    assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in deployment.schedules] == [  # type: ignore[union-attr]
        ("0 7 1 * *", "Europe/London", True)]
    assert deployment.work_pool_name == "again"
    assert plain.parameters == {} and plain.schedules == []  # nothing set, nothing added


def test_deploy_with_a_workspace_schedules_its_monthly_run_on_the_pools_workers(server, tmp_path: Path) -> None:
    """The schedule in reportgen.toml reached a server only through `reportgen serve`, whose runs go in its
    own process: an IT person with a work pool and workers had no scheduled monthly run, and changing the cron
    then deploying again did nothing. `reportgen deploy --workspace` deploys it on the pool, on that cron."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "scheduled", "--overwrite"], env)
    deploy = [str(BIN / "reportgen"), "deploy", "--pool", "scheduled", "--name", "sched-demand",
              "--workspace", str(workspace), "--monthly-name", "sched"]
    printed = run_cli(deploy, env)
    assert (f"Deployed monthly-update/sched to work pool scheduled for {workspace}: cron '0 7 1 * *' "
            "(Europe/London), run by the pool's workers") in printed
    # the run it offers to try is the monthly one just deployed, not an on-demand one needing a workspace
    assert printed.splitlines()[-1].endswith(" deployment run monthly-update/sched --watch"), printed

    def deployed() -> tuple[object, ...]:
        with SyncPrefectClient(api_url) as client:
            found = client.read_deployment_by_name("monthly-update/sched")
        return (found.work_pool_name, found.parameters,
                [(s.schedule.cron, s.schedule.timezone, s.active) for s in found.schedules])  # type: ignore[union-attr]

    assert deployed() == ("scheduled", {"workspace": str(workspace)}, [("0 7 1 * *", "Europe/London", True)])
    # its upcoming runs are named after the workspace and their month in the UI, not "smart-otter", before they start
    from reportgen.shells.prefect_flows import workspace_tag

    with SyncPrefectClient(api_url) as client:
        deployment = client.read_deployment_by_name("monthly-update/sched")
        upcoming = client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(
            any_=[deployment.id])))
    zone = zoneinfo.ZoneInfo("Europe/London")
    assert upcoming and sorted((run.name, run.expected_start_time.astimezone(zone).strftime("%d %m %H:%M"))
                               for run in upcoming if run.expected_start_time is not None) == sorted(
        (f"{workspace_tag(workspace)}: "
         f"{(run.expected_start_time.astimezone(zone) - dt.timedelta(days=1)):%B %Y}", "01 " +
         run.expected_start_time.astimezone(zone).strftime("%m") + " 07:00")
        for run in upcoming if run.expected_start_time is not None), [run.name for run in upcoming]
    settings = workspace / "reportgen.toml"
    with settings.open("a", encoding="utf-8") as appended:  # the example keeps the default schedule
        appended.write('\n[schedule]\ncron = "30 6 2 * *"\n')
    run_cli(deploy, env)  # the cron changed in reportgen.toml: deploying again sets it
    assert deployed() == ("scheduled", {"workspace": str(workspace)}, [("30 6 2 * *", "Europe/London", True)])
    with running([str(BIN / "prefect"), "worker", "start", "--pool", "scheduled"], env, tmp_path / "worker.log"):
        done = run_deployment("monthly-update/sched", env)  # the workspace is the deployment's own
        assert final_state(done) == "Completed", done + (tmp_path / "worker.log").read_text()
    assert (workspace / "outputs" / "2026-10" / "draft-01" / "paper.pdf").is_file()
    # the scheduled name may not be the on-demand one
    same = run_cli([*deploy[:-1], "sched-demand"], env, expect=2)
    assert "--monthly-name sched-demand is the name of the on-demand deployments" in same
    # a second workspace deployed under the first one's monthly name is refused, naming deploy's option
    second = copy_example(tmp_path / "second")
    printed = run_cli([*deploy[:6], "--workspace", str(second), "--monthly-name", "sched"], env, expect=1)
    assert printed.strip().splitlines() == [
        f"reportgen: error: monthly-update/sched on this Prefect server already builds {workspace}; deploying "
        f"{second} under that name would stop it. Deploy this one under another name (--monthly-name second, say), "
        "or, to move the schedule here, delete it first: prefect deployment delete monthly-update/sched"], printed
    assert deployed()[1] == {"workspace": str(workspace)}
    # serving it too took it off the pool: once serve stopped, its schedule had nothing to run it
    printed = run_cli([str(BIN / "reportgen"), "serve", "--workspace", str(workspace), "--name", "sched"], env,
                      expect=1)
    assert printed.strip().splitlines() == [
        "reportgen: error: monthly-update/sched on this Prefect server is deployed to work pool scheduled, whose "
        "workers run it on schedule; serving it too would take it off the pool, and nothing needs serving while they "
        "run it. To serve it instead, delete it first: prefect deployment delete monthly-update/sched"], printed
    assert deployed() == ("scheduled", {"workspace": str(workspace)}, [("30 6 2 * *", "Europe/London", True)])
    # and served, or deployed, under another name, the month's paper was built twice: two schedules, one workspace
    printed = run_cli([str(BIN / "reportgen"), "serve", "--workspace", str(workspace), "--name", "dup"], env,
                      expect=1)
    assert printed.strip().splitlines() == [
        f"reportgen: error: monthly-update/sched on this Prefect server already builds {workspace} on schedule; a "
        "second schedule would build each month's paper twice. Its workers (work pool scheduled) build it: nothing "
        "needs serving. To serve it instead, delete it first: prefect deployment delete monthly-update/sched"], printed
    printed = run_cli([*deploy[:-1], "sched-twice"], env, expect=1)
    assert "Use its name (--monthly-name sched)" in printed, printed
    with SyncPrefectClient(api_url) as client:
        assert [d.name for d in client.read_deployments() if d.name in ("dup", "sched-twice")] == []


def test_two_panels_on_one_pool_each_keep_their_deployment_schedule_runs_and_drafts(server, tmp_path: Path) -> None:
    """A county's IT team runs one server and one pool for two Panels. Both monthly deployments said the flow's
    docstring and had no tag: which Panel each built was only in its parameters, and their runs ("rough-collie")
    were told apart only by opening each. Each now names its workspace; one's schedule changed, deployed again or
    deleted, leaves the other as it was."""
    from prefect.client.orchestration import SyncPrefectClient

    from reportgen.shells.prefect_flows import workspace_tag

    api_url, home = server
    env = prefect_env(home, api_url)
    panels = {"opcc": copy_example(tmp_path / "opcc"), "pfcp": copy_example(tmp_path / "pfcp")}
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "panels", "--overwrite"], env)

    def deploy(name: str) -> list[str]:
        return [str(BIN / "reportgen"), "deploy", "--pool", "panels", "--name", "panels-demand", "--workspace",
                str(panels[name]), "--monthly-name", name]

    for name in panels:
        run_cli(deploy(name), env)

    def deployed(name: str) -> tuple[object, ...]:
        with SyncPrefectClient(api_url) as client:
            found = client.read_deployment_by_name(f"monthly-update/{name}")
        return (found.description, found.tags, found.parameters,
                [(s.schedule.cron, s.active) for s in found.schedules])  # type: ignore[union-attr]

    def described(workspace: Path, cron: str) -> str:
        return (f"The monthly Panel paper of {workspace}, on cron '{cron}' (Europe/London): builds and keeps the "
                "month's draft, compares it with the last one and lists who to chase.")

    for name, workspace in panels.items():
        assert deployed(name) == (described(workspace, "0 7 1 * *"), [workspace_tag(workspace)],
                                  {"workspace": str(workspace)}, [("0 7 1 * *", True)])
    first = deployed("opcc")
    # the second Panel deployed again under the first one's name: told its own, not offered a new one to make twice
    printed = run_cli([*deploy("pfcp")[:-1], "opcc"], env, expect=1)
    assert printed.strip().splitlines() == [
        f"reportgen: error: monthly-update/pfcp on this Prefect server already builds {panels['pfcp']} on schedule; a "
        "second schedule would build each month's paper twice. Use its name (--monthly-name pfcp), or delete it "
        "first: prefect deployment delete monthly-update/pfcp"], printed
    with (panels["pfcp"] / "reportgen.toml").open("a", encoding="utf-8") as appended:
        appended.write('\n[schedule]\ncron = "30 6 2 * *"\n')
    log = tmp_path / "worker.log"
    with running([str(BIN / "prefect"), "worker", "start", "--pool", "panels"], env, log):
        started = {name: started_run(f"monthly-update/{name}", env) for name in panels}  # both at once

        def ended() -> bool:
            with SyncPrefectClient(api_url) as client:
                runs = [client.read_flow_run(run_id) for run_id in started.values()]
            return all(run.state is not None and run.state.is_final() for run in runs)

        wait_for(ended, 240, "both Panels' runs to end\n" + log.read_text())
        with SyncPrefectClient(api_url) as client:
            runs = {name: client.read_flow_run(run_id) for name, run_id in started.items()}
        for name, workspace in panels.items():
            assert runs[name].state_name == "Completed", log.read_text()
            assert runs[name].name.startswith(f"{workspace_tag(workspace)}: "), runs[name].name
            assert [p.name for p in (workspace / "outputs" / "2026-10").glob("draft-*")] == ["draft-01"]
        # the run of the Panel whose schedule changed says how to deploy it again, under its own name
        said = (f"but this deployment still runs on cron '0 7 1 * *' (Europe/London), as it was read when it was "
                f"served or deployed: run reportgen deploy --pool panels --workspace {panels['pfcp']} --monthly-name "
                "pfcp again to run on the new schedule")
        wait_for(lambda: any(said in line for line in run_logs(f"UUID: {started['pfcp']}", api_url)), 30,
                 "the warning in the run's log")
        assert not any("schedule" in line for line in run_logs(f"UUID: {started['opcc']}", api_url))

        run_cli(deploy("pfcp"), env)  # as the warning says: its new cron, in place of the old; the other as it was
        assert deployed("pfcp") == (described(panels["pfcp"], "30 6 2 * *"), [workspace_tag(panels["pfcp"])],
                                    {"workspace": str(panels["pfcp"])}, [("30 6 2 * *", True)])
        assert deployed("opcc") == first
        with SyncPrefectClient(api_url) as client:
            names = [d.name for d in client.read_deployments() if d.name in panels]
        assert sorted(names) == ["opcc", "pfcp"]

        run_cli([str(BIN / "prefect"), "deployment", "delete", "monthly-update/opcc"], env)
        done = run_deployment("monthly-update/pfcp", env)  # the other Panel goes on
        assert final_state(done) == "Completed", done + log.read_text()
    assert (panels["pfcp"] / "outputs" / "2026-10" / "draft-02" / "paper.pdf").is_file()
    assert not (panels["opcc"] / "outputs" / "2026-10" / "draft-02").exists()
    assert "Traceback" not in log.read_text()


def test_runs_the_pools_schedule_missed_run_one_at_a_time(server, tmp_path: Path) -> None:
    """September's and October's runs, due while the workers were stopped, ran side by side on a worker once it
    started: October's build began before September's draft was kept. The monthly deployment on a pool runs one
    run at a time (which first, Prefect's worker does not promise: in CI it took October's first; README says to run
    a later month again then)."""
    import datetime as dt

    import httpx
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")  # returns for 2026-09 and 2026-10
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "missed", "--overwrite"], env)
    run_cli([str(BIN / "reportgen"), "deploy", "--pool", "missed", "--name", "missed-demand", "--workspace",
             str(workspace), "--monthly-name", "missed"], env)
    london = zoneinfo.ZoneInfo("Europe/London")
    with SyncPrefectClient(api_url) as client:
        deployment = client.read_deployment_by_name("monthly-update/missed")
    for _attempt in range(10):  # the runs the scheduler would have made for 1 October and 1 November, 07:00
        made = httpx.post(f"{api_url}/deployments/{deployment.id}/schedule", timeout=30, json={
            "start_time": dt.datetime(2026, 10, 1, tzinfo=london).isoformat(),
            "end_time": dt.datetime(2026, 11, 2, tzinfo=london).isoformat(), "max_runs": 3})
        if made.status_code != 503:  # the server's database busy: asked again, as Prefect's client does
            break
        time.sleep(2)
    made.raise_for_status()
    log = tmp_path / "worker.log"
    runs: list = []

    def both_ended() -> bool:
        with SyncPrefectClient(api_url) as client:
            runs[:] = sorted(client.read_flow_runs(deployment_filter=DeploymentFilter(
                id=DeploymentFilterId(any_=[deployment.id]))), key=lambda run: run.expected_start_time)
        return len(runs) >= 2 and all(run.state is not None and run.state.is_final() for run in runs[:2])

    with running([str(BIN / "prefect"), "worker", "start", "--pool", "missed"], env, log):
        wait_for(both_ended, 240, "the two missed runs to end\n" + log.read_text())
    september, october = runs[:2]
    assert [run.state.name for run in (september, october)] == ["Completed", "Completed"], log.read_text()
    # one after the other, whichever first: the one that ended last went Running after the other ended (Prefect
    # tries a run waiting for the slot again every 30 s: ~25 s later here), or, where Prefect let both through at
    # once, it waited inside its run for the other to end (`wait_for_earlier_runs`), which its log says
    first, last = sorted((september, october), key=lambda run: run.end_time)
    waited = "this run waits for it to end" in " ".join(run_logs(f"UUID: {last.id}", api_url))
    assert waited or last.start_time >= first.end_time - dt.timedelta(seconds=1), (first.end_time, last.start_time)
    for period in ("2026-09", "2026-10"):
        assert (workspace / "outputs" / period / "draft-01" / "manifest.json").is_file()
    assert "Traceback" not in log.read_text()


def test_a_deployments_workspace_is_known_through_a_link_or_dot_dot(tmp_path: Path) -> None:
    """A deployment made by hand (Prefect's own `deploy`, or the API) may name the workspace through a symbolic
    link or with '..': it still builds that workspace, and a second schedule for it is refused. A relative path,
    or one this machine does not have, is only the same when it is written the same."""
    workspace = (tmp_path / "wessex").resolve()
    workspace.mkdir()
    (tmp_path / "link").symlink_to(workspace)
    assert same_folder(tmp_path / "link", workspace)
    assert same_folder(tmp_path / "wessex" / ".." / "wessex", workspace)
    assert not same_folder(Path("wessex"), workspace)
    assert not same_folder(tmp_path / "elsewhere", workspace)
    (tmp_path / "other").mkdir()
    assert not same_folder(tmp_path / "other", workspace)


def test_the_name_offered_for_a_second_workspace_is_its_folders_or_its_tag() -> None:
    """The refusal of a second workspace under a taken name offers one, as Prefect takes it: the folder's name in
    lower case with dashes; its tag (`workspace_tag`) when that is the name taken, or the folder's name has no
    letter or digit."""
    from reportgen.shells.prefect_flows import workspace_tag
    from reportgen.shells.serve import name_for

    assert name_for(Path("/srv/panels/Dorset PFCP (2026)"), "monthly") == "dorset-pfcp-2026"
    assert name_for(Path("/srv/fire/monthly"), "monthly") == workspace_tag(Path("/srv/fire/monthly"))
    assert name_for(Path("/srv/___"), "monthly") == workspace_tag(Path("/srv/___"))


def test_serve_keeps_the_crash_window_deploy_set_on_the_server(server, tmp_path: Path) -> None:
    """`reportgen deploy --crash-after 30` (workers whose heartbeat is slow) then `reportgen serve` of another
    workspace on the same server: serve, which has no --crash-after, set the automation back to 10 minutes,
    and made it anew, forgetting the runs already silent; a slow run still going would be marked Crashed."""
    from datetime import timedelta

    from prefect.client.orchestration import SyncPrefectClient

    from reportgen.shells.prefect_deploy import SILENT_RUNS

    api_url, home = server
    env = prefect_env(home, api_url)

    def automations() -> list[tuple[uuid.UUID, object]]:
        with SyncPrefectClient(api_url) as client:
            return [(made.id, getattr(made.trigger, "within", None))
                    for made in client.read_automations_by_name(SILENT_RUNS)]

    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "slow", "--overwrite"], env)
    printed = run_cli([str(BIN / "reportgen"), "deploy", "--pool", "slow", "--name", "slow", "--crash-after", "30"],
                      env)
    assert "marked Crashed 30 minutes after its last heartbeat" in printed, printed
    deployed = automations()
    assert [within for _id, within in deployed] == [timedelta(minutes=30)]
    log = tmp_path / "serve.log"
    with running([str(BIN / "reportgen"), "serve", "--workspace", str(copy_example(tmp_path / "ws")), "--name",
                  "keeps"], env, log) as serve:
        wait_for(lambda: "being served" in log.read_text(), 120, "serve to start\n" + log.read_text())
        serve.send_signal(signal.SIGINT)
        serve.wait(30)
    assert automations() == deployed
    run_cli([str(BIN / "reportgen"), "deploy", "--pool", "slow", "--name", "slow"], env)  # back to the default
    assert [within for _id, within in automations()] == [timedelta(minutes=10)]


def test_a_run_whose_worker_stops_mid_run_ends_crashed_and_publishes_nothing(tmp_path: Path) -> None:
    """Prefect leaves a run Running for ever when the worker running it stops in the middle of it
    (PrefectHQ/prefect#16746). `reportgen deploy` sets the automation that marks it Crashed once its
    heartbeats stop, deployed again since or not; a run that ended (here Blocked, a state of our own) is
    left as it ended. On its own server: the automation's short window here must not touch the other
    tests' runs."""
    from prefect.client.orchestration import SyncPrefectClient

    from reportgen.shells.prefect_deploy import CRASHED_MESSAGE
    from reportgen.shells.serve import local_server

    home = tmp_path / "prefect-home"
    env_before = dict(os.environ)
    os.environ["PREFECT_HOME"] = str(home)
    try:
        with local_server(ui=False) as api_url:
            env = prefect_env(home, api_url) | {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30"}
            run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "stops"], env)
            run_cli([str(BIN / "reportgen"), "deploy", "--pool", "stops", "--crash-after", "1"], env)
            blocked = blocked_workspace(tmp_path / "blocked")
            long = benchmark_workspace(tmp_path / "long", 1500)
            with running([str(BIN / "prefect"), "worker", "start", "--pool", "stops"], env, tmp_path / "w1.log"):
                done = run_deployment("panel-paper/on-demand", env, f"workspace={blocked}")
                assert final_state(done) == "Blocked", done
                ended = uuid.UUID(re.findall(r"UUID: ([0-9a-f-]{36})", done)[0])
                run_id = started_run("panel-paper/on-demand", env, f"workspace={long}")
                wait_past_check(api_url, run_id, "the long build to start")
            stopped = time.monotonic()  # the worker stopped (SIGINT, as Ctrl-C or systemd stops it)
            # as for an upgrade: the worker stopped, reportgen installed again, the flows deployed again;
            # the automation made anew forgot the run that fell silent, which stayed Running for ever
            run_cli([str(BIN / "reportgen"), "deploy", "--pool", "stops", "--crash-after", "1"], env)
            with SyncPrefectClient(api_url) as client:
                def state() -> tuple[str, str]:
                    run = client.read_flow_run(run_id)
                    assert run.state is not None
                    return run.state.name, run.state.message or ""
                wait_for(lambda: state()[0] != "Running", 240, "the stopped run to be marked Crashed")
                print(f"marked Crashed {time.monotonic() - stopped:.0f} s after the worker stopped")
                assert state() == ("Crashed", CRASHED_MESSAGE)
                while time.monotonic() - stopped < 100:  # the Blocked run's heartbeat window long past
                    time.sleep(5)
                blocked_run = client.read_flow_run(ended)
                assert blocked_run.state is not None and blocked_run.state.name == "Blocked"
                # were the automation to fire on an ended run (an event lost), Prefect refuses the change
                from prefect.states import Crashed

                refused = client.set_flow_run_state(ended, Crashed(message=CRASHED_MESSAGE), force=False)
                assert refused.status.value == "ABORT", refused
                ended_state = client.read_flow_run(ended).state
                assert ended_state is not None and ended_state.name == "Blocked"
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    assert list((long / "outputs").glob("*/draft-*")) == []  # nothing published


def test_a_monthly_run_whose_worker_is_killed_mid_run_frees_its_slot_for_the_next(tmp_path: Path) -> None:
    """The pool's monthly deployment runs one run at a time. A worker killed in the middle of its run
    (SIGKILL, or its machine lost: the worker and the run's process gone at once, nothing stopped cleanly)
    must not keep that one slot for ever, with every later monthly run waiting its turn: the run marked
    Crashed by the automation frees it, and the next run, on a new worker, completes. On its own server,
    as the crash window here is short."""
    from prefect.client.orchestration import SyncPrefectClient

    from reportgen.shells.serve import local_server

    home = tmp_path / "prefect-home"
    env_before = dict(os.environ)
    os.environ["PREFECT_HOME"] = str(home)
    try:
        with local_server(ui=False) as api_url:
            env = prefect_env(home, api_url) | {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30"}  # Prefect's least
            long = benchmark_workspace(tmp_path / "long", 1500)
            run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "killed"], env)
            run_cli([str(BIN / "reportgen"), "deploy", "--pool", "killed", "--workspace", str(long),
                     "--crash-after", "1"], env)
            with running([str(BIN / "prefect"), "worker", "start", "--pool", "killed"], env,
                         tmp_path / "w1.log") as worker:
                killed = started_run("monthly-update/monthly", env)
                wait_past_check(api_url, killed, "the long build to start")
                for group in [*children(worker.pid), worker.pid]:  # each run's process leads a group of its own
                    os.killpg(group, signal.SIGKILL)
                worker.wait()
            log = tmp_path / "w2.log"
            with running([str(BIN / "prefect"), "worker", "start", "--pool", "killed"], env, log), \
                    SyncPrefectClient(api_url) as client:
                after = started_run("monthly-update/monthly", env)

                def state(run_id: uuid.UUID) -> str:
                    found = client.read_flow_run(run_id).state
                    return found.name if found is not None else ""

                wait_for(lambda: state(after) in ("Completed", "Failed", "Crashed"), 300,
                         "the next monthly run to end\n" + log.read_text())
                assert (state(killed), state(after)) == ("Crashed", "Completed"), log.read_text()
                # it had waited for the killed run's slot: the limit held until that run was Crashed
                assert "AwaitingConcurrencySlot" in [s.name for s in client.read_flow_run_states(after)]
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    assert [draft.name for draft in (long / "outputs" / "2026-10").glob("draft-*")] == ["draft-01"]


def test_a_run_whose_worker_alone_is_killed_builds_on_and_ends_as_it_would_have(server, tmp_path: Path) -> None:
    """A worker killed on its own (`kill -9` of its process, or the second SIGTERM Prefect's CLI turns into SIGKILL)
    leaves its run's process going, in a session of its own. The run's next console line met the closed pipe the
    worker read it through, and Rich ended the process there: Crashed, "Execution was aborted by Python system exit
    call.", with a traceback of the broken pipe in its log; at Prefect's INFO, in the middle of its build; at
    WARNING, once it had published its draft, at the first line of its verdict, which it never sent (seen by hand).
    Now it builds on and ends as it would have, its log saying the worker went."""
    from prefect.client.orchestration import SyncPrefectClient

    from reportgen.shells.worker_output import WORKER_GONE

    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "orphans", "--overwrite"], env)
    run_cli([str(BIN / "reportgen"), "deploy", "--pool", "orphans"], env)
    log = tmp_path / "worker.log"
    with running([str(BIN / "prefect"), "worker", "start", "--pool", "orphans"],
                 env | {"PREFECT_LOGGING_LEVEL": "INFO"}, log) as worker:  # Prefect's own: a line per task
        run_id = started_run("monthly-update/on-demand", env, f"workspace={workspace}")
        wait_past_check(api_url, run_id, "the build to start")
        os.kill(worker.pid, signal.SIGKILL)  # the worker alone: its run's process leads a session of its own
        worker.wait()
    assert not list((workspace / "outputs").glob("*/draft-*")), "the build had ended before the worker was killed"
    with SyncPrefectClient(api_url) as client:
        def state() -> tuple[str, str]:
            found = client.read_flow_run(run_id).state
            return (found.name, found.message or "") if found is not None else ("", "")

        wait_for(lambda: state()[0] not in ("Pending", "Running"), 120, "the run to end")
        draft = workspace / "outputs" / "2026-10" / "draft-01"
        assert state() == ("Completed", f"draft {draft}"), log.read_text()
    verdict = "reportgen: 0 errors, 3 warnings: nothing blocks publication."
    wait_for(lambda: verdict in run_logs(f"UUID: {run_id}", api_url), 30, "the run's log")  # sent as it ends
    lines = run_logs(f"UUID: {run_id}", api_url)
    said = "\n".join(lines)
    assert f"reportgen: {WORKER_GONE}" in lines, said
    assert "Traceback" not in said and "Crash" not in said, said
    assert (draft / "manifest.json").is_file()
    assert not list((workspace / "outputs" / "2026-10").glob(".draft-tmp-*"))
    paper_key = artifact_key("paper", "2026-10", "public", workspace=workspace)
    assert "35 actions" in artifact(paper_key, env)


def test_a_monthly_run_let_through_beside_a_running_one_waits_for_it_to_end(server, tmp_path: Path) -> None:
    """A worker killed mid-run: Prefect frees the deployment's one slot when the run's lease runs out (5 minutes
    after its process died), and again when the run is marked Crashed, later with the default heartbeat: that
    slot is taken from the run building then, and a third run was let through to build beside it. The monthly
    run waits while a run of its deployment that started before it is Running. Here the earlier run is one put
    in Running by hand, with no lease, as the killed one is once its lease ran out."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId
    from prefect.states import Crashed, Running

    from reportgen.shells.prefect_deploy import CRASHED_MESSAGE

    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "beside", "--overwrite"], env)
    run_cli([str(BIN / "reportgen"), "deploy", "--pool", "beside", "--name", "beside-demand", "--workspace",
             str(workspace), "--monthly-name", "beside"], env)
    log = tmp_path / "worker.log"
    with SyncPrefectClient(api_url) as client:
        deployment = client.read_deployment_by_name("monthly-update/beside")
        earlier = client.create_flow_run_from_deployment(deployment.id)
        client.set_flow_run_state(earlier.id, Running(), force=True)
        with running([str(BIN / "prefect"), "worker", "start", "--pool", "beside"], env, log):
            later = started_run("monthly-update/beside", env)

            def waits() -> bool:
                return any("waits for it to end" in said.message for said in client.read_logs(
                    log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[later]))))

            def done() -> bool:
                state = client.read_flow_run(later).state
                return state is not None and state.is_final()

            wait_for(lambda: waits() or done(), 180, "the later run to start\n" + log.read_text())
            time.sleep(5)  # had it not waited, it would have built by now
            assert waits() and not done(), log.read_text()
            client.set_flow_run_state(earlier.id, Crashed(message=CRASHED_MESSAGE))  # as the automation does
            ended = client.read_flow_run(earlier.id)
            wait_for(done, 240, "the later run to end\n" + log.read_text())
        run = client.read_flow_run(later)
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[later])))
    assert run.state is not None and run.state.name == "Completed", log.read_text()
    assert ended.state is not None and ended.state.name == "Crashed"
    assert tasks and min(task.start_time for task in tasks if task.start_time) >= ended.state.timestamp
    assert (workspace / "outputs" / "2026-10" / "draft-01" / "manifest.json").is_file()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def server_child(pid: int) -> int:
    """The `prefect server start` that serve `pid` started (serve may have another child for a moment)."""
    def command(child: int) -> bytes:
        with contextlib.suppress(OSError):
            return Path(f"/proc/{child}/cmdline").read_bytes()
        return b""

    [server] = [child for child in children(pid) if b"\0server\0start\0" in command(child)]
    return server


def ui_said(log: Path) -> str:
    """The address of the UI serve said it started ("…; its UI: http://127.0.0.1:4200")."""
    line = next(line for line in log.read_text().splitlines() if "its UI: " in line)
    return line.split("its UI: ")[1].split()[0]


def test_serve_starts_its_server_on_prefects_port_or_says_which_it_took(tmp_path: Path) -> None:
    """With no port set, serve's server listens on Prefect's 4200, as `prefect server start` does, so the UI has
    one address; when another program has 4200, serve takes a free port and says so. A port set on purpose
    (PREFECT_SERVER_API_PORT) that another program has, or that is no port, is refused in one line, no server
    started."""
    import socket

    from reportgen.shells.serve import PREFECT_PORT, port_free

    env = prefect_env(tmp_path / "prefect-home", None)
    workspace = copy_example(tmp_path / "ws")
    serve = [str(BIN / "reportgen"), "serve", "--workspace", str(workspace)]
    if port_free(PREFECT_PORT):  # else another program on this machine has it: the second half tests that
        log = tmp_path / "serve-4200.log"
        with running(serve, env, log) as served:
            wait_for(lambda: "being served" in log.read_text(), 180, "serve to start\n" + log.read_text())
            assert ui_said(log) == f"http://127.0.0.1:{PREFECT_PORT}", log.read_text()
            assert "in use" not in log.read_text()
            served.send_signal(signal.SIGTERM)
            assert served.wait(60) == 0, log.read_text()

    with contextlib.ExitStack() as held:
        other = held.enter_context(socket.socket())  # another program listening on 4200
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # the server just stopped left TIME_WAIT
        with contextlib.suppress(OSError):  # unless one already does
            other.bind(("127.0.0.1", PREFECT_PORT))
            other.listen()
        assert not port_free(PREFECT_PORT)
        log = tmp_path / "serve-taken.log"
        with running(serve, env, log) as served:
            wait_for(lambda: "being served" in log.read_text(), 180, "serve to start\n" + log.read_text())
            ui = ui_said(log)
            assert ui != f"http://127.0.0.1:{PREFECT_PORT}", log.read_text()
            assert (f"(port 4200, Prefect's own, is in use by another program, so port {ui.rsplit(':', 1)[1]} this "
                    "time; set PREFECT_SERVER_API_PORT to keep one)") in log.read_text()
            served.send_signal(signal.SIGTERM)
            assert served.wait(60) == 0, log.read_text()

        for asked, said in ((str(PREFECT_PORT), "another program listens on 127.0.0.1:4200"),
                            ("http", "give a port number (1-65535)")):
            printed = run_cli(serve, env | {"PREFECT_SERVER_API_PORT": asked}, expect=2)
            [line] = printed.strip().splitlines()
            assert line.startswith(f"reportgen: error: PREFECT_SERVER_API_PORT={asked}: {said}"), printed


def test_serve_starts_a_server_whose_ui_works_and_lives_and_dies_with_it(tmp_path: Path) -> None:
    """The UI of the server `reportgen serve` starts works; if that server dies, serve stops with an
    error (a supervisor sees it); if serve is killed outright, its server goes too."""
    import httpx

    from reportgen.shells.serve import free_port

    port = free_port()  # the port asked for, as an IT person sets it; kept from one start to the next
    env = prefect_env(tmp_path / "prefect-home", None) | {"PREFECT_SERVER_API_PORT": str(port)}
    workspace = copy_example(tmp_path / "ws")
    log = tmp_path / "serve.log"
    with running([str(BIN / "reportgen"), "serve", "--workspace", str(workspace)], env, log) as serve:
        wait_for(lambda: "being served" in log.read_text(), 180, "serve to start\n" + log.read_text())
        ui = ui_said(log)
        assert ui == f"http://127.0.0.1:{port}", log.read_text()
        assert httpx.get(f"{ui}/ui-settings", timeout=10).json()["api_url"] == f"{ui}/api"
        page = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000",
                               "--dump-dom", f"{ui}/deployments"], capture_output=True, text=True, timeout=120)
        assert "monthly-update" in page.stdout, page.stdout[-2000:] + page.stderr[-2000:]

        for pid in children(serve.pid):  # the server goes away under serve's feet
            os.kill(pid, signal.SIGKILL)
        started = time.monotonic()
        assert serve.wait(60) == 1, log.read_text()
        stopped_after = time.monotonic() - started
    last = log.read_text().strip().splitlines()[-1]
    assert last.startswith("reportgen: error: the Prefect server this started stopped (exit code -9; see "), last
    print(f"serve stopped {stopped_after:.1f} s after its server died")  # measured, not asserted (the wait bounds it)

    log = tmp_path / "serve-2.log"
    with running([str(BIN / "reportgen"), "serve", "--workspace", str(workspace)], env, log) as serve:
        wait_for(lambda: "being served" in log.read_text(), 180, "serve to start\n" + log.read_text())
        assert ui_said(log) == ui  # started again, its UI where it was: a bookmark still works
        server = server_child(serve.pid)
        os.kill(serve.pid, signal.SIGKILL)  # no clean-up runs: the kernel stops the server
        serve.wait(10)
        wait_for(lambda: not Path(f"/proc/{server}").exists() or "Z" in _state(server), 30, "the server to stop")

    log = tmp_path / "serve-3.log"  # stopped as systemd stops a service: SIGTERM, quietly, as Ctrl-C does
    with running([str(BIN / "reportgen"), "serve", "--workspace", str(workspace)], env, log) as serve:
        wait_for(lambda: "being served" in log.read_text(), 180, "serve to start\n" + log.read_text())
        server = server_child(serve.pid)
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(60) == 0, log.read_text()
        wait_for(lambda: not Path(f"/proc/{server}").exists() or "Z" in _state(server), 30, "the server to stop")
    text = log.read_text()
    assert "Traceback" not in text and "Warning" not in text, text
    assert text.strip().splitlines()[-1] == "Stopped serving; the schedule stays active for the next start."

    # stopped the moment it says it serves, before Prefect's runner has started (was -15 now and then: killed
    # outright), and the moment its server answers, while it loads Prefect's runner (a traceback and exit 1
    # once in CI: the interrupt surfaced inside pydantic as a PydanticSerializationError)
    for number, said in enumerate(("monthly-update/monthly is being served", "Started a Prefect server")):
        log = tmp_path / f"serve-stopped-{number}.log"
        with running([str(BIN / "reportgen"), "serve", "--workspace", str(workspace)], env, log) as serve:
            wait_for(lambda: said in log.read_text(), 180, "serve to start\n" + log.read_text())  # noqa: B023
            server = server_child(serve.pid)
            serve.send_signal(signal.SIGTERM)
            assert serve.wait(60) == 0, log.read_text()
            wait_for(lambda: not Path(f"/proc/{server}").exists() or "Z" in _state(server), 30,  # noqa: B023
                     "the server to stop")
        text = log.read_text()
        # stopped before it said it serves, it set nothing on the server, and says so
        stopped = ("Stopped serving; the schedule stays active for the next start." if "being served" in text
                   else "Stopped before serving: no schedule was set or changed.")
        assert "Traceback" not in text and text.strip().splitlines()[-1] == stopped, text


def test_serve_stopped_in_the_middle_of_a_run_cancels_it_and_publishes_nothing(server, tmp_path: Path) -> None:
    """systemd stops serve (SIGTERM) while the monthly run it started is building: the run ends Cancelled
    at once (not Running until the crash automation notices), nothing is published, serve says it stopped."""
    from prefect.client.orchestration import SyncPrefectClient

    api_url, home = server
    env = prefect_env(home, api_url)
    long = benchmark_workspace(tmp_path / "long", 1500)
    log = tmp_path / "serve.log"
    with running([str(BIN / "reportgen"), "serve", "--workspace", str(long), "--name", "mid-run"], env,
                 log) as serve:
        wait_for(lambda: "being served" in log.read_text(), 180, "serve to start\n" + log.read_text())
        run_id = started_run("monthly-update/mid-run", env)
        wait_past_check(api_url, run_id, "the long build to start\n" + log.read_text())
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(60) == 0, log.read_text()
        with SyncPrefectClient(api_url) as client:
            run = client.read_flow_run(run_id)
        assert run.state is not None and run.state.name == "Cancelled", (run.state, log.read_text())
    text = log.read_text()
    assert text.strip().splitlines()[-1] == "Stopped serving; the schedule stays active for the next start.", text
    # serve's own process stopped cleanly: nothing of asyncio's or Python's about it. The run's process, ended
    # in the middle of a task, may log Prefect's own crash report (a traceback) as the run's log: not serve's
    assert not [said for said in ("Exception in callback", "never retrieved", "never awaited", "KeyboardInterrupt",
                                  "RuntimeWarning") if said in text], text
    # the run's log said its renderers failed: the DOCX's with FileNotFoundError (its folder discarded under it, and
    # retried), the PDF's "a PDF worker process ended unexpectedly": it was only cancelled
    assert not [said for said in ("FileNotFoundError", "ended unexpectedly", "Retry") if said in text], text
    assert list((long / "outputs").glob("*/draft-*")) == []  # nothing published


def test_a_stop_while_the_runner_runs_is_done_between_its_callbacks() -> None:
    """Once Prefect's runner runs, Ctrl-C or SIGTERM does not raise in the middle of whatever code the
    loop is running (a half-read websocket left asyncio printing a traceback as serve ended): the loop
    stops the runner between callbacks. Before the loop runs, a stop is a KeyboardInterrupt, as usual."""
    import asyncio

    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    stops = Stops()
    stops.install()
    finished: list[str] = []

    def busy() -> None:  # a callback of the loop, as websockets' parser is: interrupted, it is left half-done
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)  # Python runs the handler between bytecodes: it has run by now
        finished.append("all of it")

    async def serving() -> None:
        stopped = asyncio.Event()
        with stops.in_loop(stopped.set):
            asyncio.get_running_loop().call_soon(busy)
            await asyncio.wait_for(stopped.wait(), 10)

    try:
        asyncio.run(serving())
        assert finished == ["all of it"] and stops.asked == [signal.SIGTERM]
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
        assert stops.asked == [signal.SIGTERM, signal.SIGINT]
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def test_a_stop_while_prefect_loads_is_raised_once_it_has_loaded() -> None:
    """serve loads Prefect's runner with stops deferred: the import finishes, then the stop is raised."""
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    loaded = []
    try:
        with pytest.raises(KeyboardInterrupt), stops_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # Python runs the handler between bytecodes: it has run by now
            loaded.append("all of it")
        assert loaded == ["all of it"]
        assert signal.getsignal(signal.SIGTERM) is signal.default_int_handler
        with stops_deferred():  # no stop asked: nothing raised
            loaded.append("again")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert loaded == ["all of it", "again"]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_a_mail_flow_on_a_worker_takes_its_login_from_the_workers_environment_and_logs_what_it_sent(
        server, tmp_path: Path, smtp) -> None:
    """An IT person names a Secret block in [mail] secret_block for the password and starts the worker without
    REPORTGEN_MAIL_USER: the block was read and left unused, the workbooks went without a login, the server
    refused each ("530 Authentication required"), and `--watch` showed only "Blocked" and a count of issues.
    The run is now refused, saying where to set the user, and sends nothing; with the user in the worker's
    environment, its log says what was sent, as `reportgen send-returns` prints it."""
    from mail_helpers import PERIOD, mail_workspace
    from mailservers import PASSWORD, USER

    controller, captured = smtp
    api_url, home = server
    env = {k: v for k, v in prefect_env(home, api_url).items() if not k.startswith("REPORTGEN_MAIL_")}
    run_cli([sys.executable, "-c", "from prefect.blocks.system import Secret; "
             f"Secret(value={PASSWORD!r}).save('reportgen-mail-worker', overwrite=True)"], env)
    workspace = mail_workspace(tmp_path / "ws", smtp_port=controller.port,
                               extra='secret_block = "reportgen-mail-worker"')
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "mail", "--overwrite"], env)
    run_cli([str(BIN / "reportgen"), "deploy", "--pool", "mail", "--name", "mail"], env)
    params = (f"workspace={workspace}", f"period={PERIOD}")
    with running([str(BIN / "prefect"), "worker", "start", "--pool", "mail"], env, tmp_path / "worker.log"):
        done = run_deployment("send-returns/mail", env, *params, expect=1)
    assert final_state(done) == "Failed", done
    assert ("secret_block names the Prefect Secret block 'reportgen-mail-worker' for the password, but "
            "REPORTGEN_MAIL_USER is not set: set it to the mailbox's login (its user name or address) in the "
            "environment of the command, or, for a flow, of the Prefect worker") in watched(done), done
    assert captured.messages == [] and not (workspace / "outputs" / PERIOD / "mail" / "sent.csv").exists()

    with_user = env | {"REPORTGEN_MAIL_USER": USER, "PREFECT_LOGGING_LEVEL": "INFO"}
    with running([str(BIN / "prefect"), "worker", "start", "--pool", "mail"], with_user, tmp_path / "worker.log"):
        done = run_deployment("send-returns/mail", env, *params)
    assert final_state(done) == "Completed", done
    assert len(captured.messages) == 3 and captured.logins[0][1] == USER, captured.logins
    said = watched(done)
    assert f"reportgen: send-returns {PERIOD}: 3 messages sent, 0 already sent" in said, done
    # the subject's tag is shown whole: "[reportgen 2026-10]" is a style to Rich, and vanished
    assert "reportgen: sent: workbook to OPCC (strategy@wessex-pcc.example.org): " in said, done
    assert f"[ reportgen {PERIOD}]" in said, done
