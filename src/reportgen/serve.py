"""`reportgen serve`: the monthly deployment on a Prefect server, with its cron in Europe/London time.

Prefect's temporary server runs no scheduler, so when no `PREFECT_API_URL` is set this starts a
local `prefect server start` on 127.0.0.1 for as long as it serves, and stops it on exit. Schedules
are not paused when serving stops, so a restart resumes them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from reportgen.errors import ReportgenError
from reportgen.prefect_env import configure
from reportgen.settings import load_settings

DEPLOYMENT = "monthly"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def local_server(startup_timeout: float = 90) -> Iterator[str]:
    """A `prefect server start` on 127.0.0.1 (a free port), stopped with SIGINT on exit."""
    import httpx

    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    home = Path(os.environ["PREFECT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    command = [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
               "--port", str(port), "--no-ui"]
    with (home / "server.log").open("ab") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if server.poll() is not None:
                raise ReportgenError(f"prefect server stopped at start; see {home / 'server.log'}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise ReportgenError(f"prefect server did not answer within {startup_timeout:.0f} s")
            time.sleep(0.3)
        yield api_url
    finally:
        stop(server)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def serve_monthly(workspace: Path) -> None:
    """Serve the monthly deployment until interrupted."""
    configure()
    settings = load_settings(workspace)  # wrong settings: one clear error before any server starts
    with contextlib.ExitStack() as stack:
        if not os.environ.get("PREFECT_API_URL"):
            os.environ["PREFECT_API_URL"] = stack.enter_context(local_server())
        from prefect.schedules import Cron

        from reportgen.prefect_flows import monthly_update

        monthly_update.serve(
            name=DEPLOYMENT,
            schedules=[Cron(settings.schedule.cron, timezone=settings.schedule.timezone)],
            parameters={"workspace": str(workspace)},
            pause_on_shutdown=False,
        )
