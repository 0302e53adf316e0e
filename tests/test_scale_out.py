"""Scale-out on Prefect's own machinery, started by the test on 127.0.0.1: a real `prefect server`,
a process work pool and a worker running the panel-paper deployment; and the monthly schedule that
`reportgen serve` registers really creating runs (a broken scheduler, as with SQLAlchemy 2.1, fails it).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from reportgen.serve import stop
from test_build import copy_example

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def prefect_env(home: Path, api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return env | {"PREFECT_HOME": str(home), "PREFECT_API_URL": api_url, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                  "DO_NOT_TRACK": "1", "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_LOGGING_LEVEL": "WARNING"}


@contextlib.contextmanager
def running(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        stop(process)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("prefect-home")
    env_before = dict(os.environ)
    os.environ.update({"PREFECT_HOME": str(home)})
    from reportgen.serve import local_server

    try:
        with local_server() as api_url:
            yield api_url, home
    finally:
        os.environ.clear()
        os.environ.update(env_before)


def run_cli(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


DEPLOY = """
from prefect import flow
flow.from_source(source={root!r}, entrypoint="flows/panel_paper.py:panel_paper").deploy(
    name="on-demand", work_pool_name="reportgen", build=False, push=False, ignore_warnings=True)
"""


def test_deployment_runs_on_a_worker_and_writes_the_draft(server, tmp_path: Path) -> None:
    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")
    run_cli([str(BIN / "prefect"), "work-pool", "create", "--type", "process", "reportgen", "--overwrite"], env)
    run_cli([sys.executable, "-c", DEPLOY.format(root=str(ROOT))], env)
    with running([str(BIN / "prefect"), "worker", "start", "--pool", "reportgen"], env, tmp_path / "worker.log"):
        out = run_cli([str(BIN / "prefect"), "deployment", "run", "panel-paper/on-demand",
                       "--param", f"workspace={workspace}", "--watch", "--watch-timeout", "240"], env)
    assert "Completed" in out, (tmp_path / "worker.log").read_text()
    draft = workspace / "outputs" / "2026-10" / "draft-01"
    assert sorted(p.name for p in draft.iterdir()) == [
        "chase.csv", "draft.json", "issues.csv", "manifest.json", "paper.docx", "paper.html", "paper.pdf",
        "register.xlsx"]


def test_served_monthly_schedule_is_listed_and_creates_runs(server, tmp_path: Path) -> None:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.exceptions import ObjectNotFound

    api_url, home = server
    env = prefect_env(home, api_url)
    workspace = copy_example(tmp_path / "ws")
    with running([str(BIN / "reportgen"), "serve", "--workspace", str(workspace)], env, tmp_path / "serve.log"):
        runs: list[object] = []
        deadline = time.monotonic() + 90
        with SyncPrefectClient(api_url) as client:
            while not runs and time.monotonic() < deadline:
                time.sleep(1)
                try:
                    deployment = client.read_deployment_by_name("monthly-update/monthly")
                except ObjectNotFound:
                    continue
                runs = client.read_flow_runs(
                    deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])))
        listing = run_cli([str(BIN / "prefect"), "deployment", "ls"], env)
    assert runs, (tmp_path / "serve.log").read_text()
    assert "monthly-update/monthly" in listing
    starts = sorted(run.expected_start_time for run in runs)  # type: ignore[attr-defined]
    london = [start.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")) for start in starts]
    assert all((t.day, t.hour, t.minute) == (1, 7, 0) for t in london)
    with SyncPrefectClient(api_url) as client:  # stopping serve leaves the schedule active for a restart
        schedules = client.read_deployment_by_name("monthly-update/monthly").schedules
    assert schedules and all(s.active for s in schedules)
