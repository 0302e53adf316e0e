"""`reportgen serve`: the monthly deployment on a Prefect server, with its cron in Europe/London time.

Prefect's temporary server runs no scheduler, so when no `PREFECT_API_URL` is set this starts a
local `prefect server start` (API and UI) on 127.0.0.1 for as long as it serves, says where its UI
is, and stops it on exit. Schedules are not paused when serving stops, so a restart resumes them.
Ctrl-C (SIGINT) or SIGTERM (systemd's stop) stops serving within seconds, the same way (`Stops`); a
run in flight is cancelled (`until_stopped`). The server
lives and dies with serve: if it stops, serving stops with an error (a supervisor then sees the
failure and can restart it), and if serve is killed outright the kernel stops the server (Linux).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from reportgen.errors import ReportgenError, UsageError
from reportgen.lifetime import signal_when_parent_dies
from reportgen.mail.credentials import SECRET_VARIABLES
from reportgen.read.workspace import open_workspace
from reportgen.shells.prefect_env import SERVED_CODE, code_fingerprint, configure
from reportgen.wording import counted, quoted

if TYPE_CHECKING:
    from uuid import UUID

    from prefect.client.schemas.responses import DeploymentResponse
    from prefect.runner import Runner

DEPLOYMENT = "monthly"
FLOW = "monthly-update"
# a server streams a run's log lines to `prefect deployment run … --watch` only with these (both off by
# default): without them the watch shows a run's state names ("Refused"), never the reason
LOG_STREAM = {"PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED": "true", "PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED": "true"}


PREFECT_PORT = 4200  # where `prefect server start` listens unless PREFECT_SERVER_API_PORT says otherwise


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:`port` (a connection of a server just stopped does not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no bar
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def serve_port() -> tuple[int, str]:
    """The port for the server `serve` starts, and what to tell the person when it is not the one asked for.

    Prefect's own (PREFECT_SERVER_API_PORT, 4200 unless set), so the UI keeps its address from one start to
    the next and a bookmark to it works. If that port is in use by another program: one set on purpose is an
    error (the person chose it), Prefect's default gives way to a free port, said."""
    asked = os.environ.get("PREFECT_SERVER_API_PORT", "").strip()
    if asked:
        if not asked.isdigit() or not 0 < int(asked) < 65536:
            raise UsageError(f"PREFECT_SERVER_API_PORT={asked}: give a port number (1-65535) for the Prefect server "
                             "serve starts, or unset it for Prefect's 4200")
        if not port_free(int(asked)):
            raise UsageError(f"PREFECT_SERVER_API_PORT={asked}: another program listens on 127.0.0.1:{asked}; stop "
                             "it, choose another port, or unset it for Prefect's 4200")
        return int(asked), ""
    if port_free(PREFECT_PORT):
        return PREFECT_PORT, ""
    port = free_port()
    return port, (f" (port {PREFECT_PORT}, Prefect's own, is in use by another program, so port {port} this time; "
                  "set PREFECT_SERVER_API_PORT to keep one)")


@contextlib.contextmanager
def local_server(startup_timeout: float = 90, ui: bool = True, on_stop: Callable[[int], None] | None = None,
                 port: int | None = None) -> Iterator[str]:
    """A `prefect server start` on 127.0.0.1:`port` (a free port if None), stopped with SIGINT on exit;
    yields its API URL.

    Its UI (when `ui`) is at the API URL without `/api`, and talks to this same server. `on_stop` is
    called with its exit code if it stops by itself while in use. It is sent SIGINT when this process
    ends, however it ends (Linux: PR_SET_PDEATHSIG).
    """

    port = free_port() if port is None else port
    api_url = f"http://127.0.0.1:{port}/api"
    home = Path(os.environ["PREFECT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    command = [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
               "--port", str(port), *([] if ui else ["--no-ui"])]
    # the UI asks /ui-settings where its API is: Prefect answers port 4200 whatever --port says, so say it
    # nor the mail password or token: the flows' runs read them, not the server, which keeps its environment as
    # long as it runs (readable in /proc by the same user, in a core dump, in a crash reporter's report)
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", *SECRET_VARIABLES)}
    env |= {"PREFECT_UI_API_URL": api_url}
    env |= LOG_STREAM
    with (home / "server.log").open("ab") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
                                  preexec_fn=_stop_with_parent)
    stopping = threading.Event()
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if server.poll() is not None:
                raise ReportgenError(f"prefect server stopped at start; see {home / 'server.log'}")
            if answers(api_url, timeout=2):
                break
            if time.monotonic() > deadline:
                raise ReportgenError(f"prefect server did not answer within {startup_timeout:.0f} s")
            time.sleep(0.3)
        if on_stop is not None:
            threading.Thread(target=_watch, args=(server, stopping, on_stop), daemon=True).start()
        yield api_url
    finally:
        stopping.set()
        stop(server)


def _stop_with_parent() -> None:
    """In the server's process before it runs: SIGINT (Prefect stops cleanly on it) when serve ends."""
    signal_when_parent_dies(signal.SIGINT)


def _watch(server: subprocess.Popen[bytes], stopping: threading.Event, on_stop: Callable[[int], None]) -> None:
    while not stopping.wait(1.0):
        code = server.poll()
        if code is not None:
            if not stopping.is_set():
                on_stop(code)
            return


def stop(process: subprocess.Popen[bytes], wait: float = 20) -> None:
    """SIGINT (Prefect's processes stop cleanly on it), then SIGKILL to the whole group after `wait` s."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def ui_address(api_url: str) -> str:
    return api_url.removesuffix("/").removesuffix("/api")


class Stops:
    """Ctrl-C (SIGINT) and SIGTERM (systemd's stop, `kill`) for serve, one handler for both.

    Before the runner's event loop runs, a stop raises KeyboardInterrupt where the program is (plain
    calls, caught around them). While it runs, a stop is handed to the loop and done there, between its
    callbacks: raised in the middle of Prefect's, httpx's or websockets' code, a KeyboardInterrupt left a
    half-read connection that asyncio reported with a traceback as serve ended."""

    def __init__(self) -> None:
        self.asked: list[int] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: Callable[[], None] = lambda: None

    def __call__(self, number: int, frame: FrameType | None) -> None:
        self.asked.append(number)
        if self._loop is None:
            signal.default_int_handler(number, frame)
        else:
            self._loop.call_soon_threadsafe(self._stop)  # as asyncio's own Ctrl-C handler does

    def install(self) -> None:
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, self)

    @contextlib.contextmanager
    def in_loop(self, stop: Callable[[], None]) -> Iterator[None]:
        """While this runs (inside the running loop), a stop calls `stop` in the loop."""
        self._loop, self._stop = asyncio.get_running_loop(), stop
        try:
            yield
        finally:
            self._loop = None


def serve_monthly(workspace: Path, notify: Callable[[str], None], name: str = DEPLOYMENT) -> None:
    """Serve the monthly deployment (`name`) until interrupted; `notify` gets the lines a person needs to see."""
    # SIGTERM stops serving as Ctrl-C does from the start, not only once Prefect's runner runs
    stops = Stops()
    stops.install()
    # a served run's process inherits this: Prefect's INFO lines go to this terminal and the run's log in the UI
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    os.environ[SERVED_CODE] = code_fingerprint()  # and this: a run can tell that reportgen was upgraded since
    configure()
    # no folder, wrong settings or no register: one clear error before any server starts or schedule is set
    workspace, settings, _register = open_workspace(workspace)
    check_not_served(workspace, name)  # before a server is started for nothing; writes nothing
    server_stopped: list[int] = []
    serving: list[bool] = []  # whether its schedule was set: a stop before then changed nothing on the server

    def stop_serving(code: int) -> None:  # the server we started has gone: stop as Ctrl-C does
        server_stopped.append(code)
        os.kill(os.getpid(), signal.SIGINT)

    with contextlib.ExitStack() as stack:
        try:
            if not os.environ.get("PREFECT_API_URL"):
                port, why = serve_port()
                os.environ["PREFECT_API_URL"] = stack.enter_context(local_server(on_stop=stop_serving, port=port))
                notify("Started a Prefect server for as long as this serves; its UI: "
                       + ui_address(os.environ["PREFECT_API_URL"]) + why)
            api_url = os.environ["PREFECT_API_URL"]
            check_server(api_url, SERVE_REMEDY)
            # a workspace already on a schedule under another name is told that name, not offered a new one
            check_not_scheduled_twice(name, workspace)
            check_not_taken(name, workspace)
            check_not_on_a_pool(name)
            stack.callback(os.close, serving_alone(workspace, name))  # closing releases the lock
            from reportgen.shells.prefect_deploy import crash_silent_runs

            # a run whose serve is killed outright is shown Crashed, not Running for ever (after the window
            # `reportgen deploy --crash-after` set on this server, if it did)
            crash_silent_runs()
            with stops_deferred():  # Prefect's runner and our flows, loaded before anything is served: ~1 s
                import prefect.runner  # noqa: F401

                import reportgen.shells.prefect_flows  # noqa: F401
            runner, deployment_id = served_monthly(workspace, name, settings.schedule.cron,
                                                   settings.schedule.timezone)
            serving.append(True)
            notify(f"{FLOW}/{name} is being served for {workspace}: cron {quoted(settings.schedule.cron)} "
                   f"({settings.schedule.timezone}); its page: {ui_address(api_url)}/deployments/deployment/"
                   f"{deployment_id}\nRun it now with:\n"
                   f"  PREFECT_API_URL={api_url} {Path(sys.executable).parent / 'prefect'} deployment run "
                   f"{FLOW}/{name} --watch\n"
                   "Ctrl-C stops serving; the schedule stays active for the next start.")
            asyncio.run(until_stopped(runner, stops))
        except KeyboardInterrupt:  # stopped before the runner ran
            pass
        except Exception:
            # a stop in the middle of a Prefect call can surface as another error (pydantic turns a
            # KeyboardInterrupt in its serializer into a PydanticSerializationError): stopped as asked
            if not stops.asked:
                raise
        if server_stopped:
            log = Path(os.environ["PREFECT_HOME"]) / "server.log"
            raise ReportgenError(f"the Prefect server this started stopped (exit code {server_stopped[0]}; see "
                                 f"{log}), so nothing could run on schedule: serving stopped")
        notify("Stopped serving; the schedule stays active for the next start." if serving else
               "Stopped before serving: no schedule was set or changed.")


def serving_alone(workspace: Path, name: str) -> int:
    """Take the lock that says `workspace` is served under `name`, for as long as this serve lives (the kernel lets it
    go however serve ends); its open file. A second `reportgen serve` of it (a terminal left open, beside a system
    service) is refused in one line: it would be accepted by the server, and the first serve, with the schedule and the
    reportgen it started with, would go on running every run, so a restart meant to take up a changed schedule or an
    upgrade would silently not. Taken once every other check has passed: a serve refused writes nothing."""
    outputs = workspace / "outputs"
    outputs.mkdir(exist_ok=True)
    held = os.open(outputs / f".serving-{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    _locked_or_refused(held, workspace, name)
    os.ftruncate(held, 0)
    os.write(held, f"process {os.getpid()} on {socket.gethostname()}, started "
                   f"{time.strftime('%d %B %Y %H:%M %Z')}".encode())
    return held


def check_not_served(workspace: Path, name: str) -> None:
    """Refuse at once, before any server is started, a serve of `workspace` under `name` another serve holds
    (`serving_alone`); nothing is written."""
    try:
        probe = os.open(workspace / "outputs" / f".serving-{name}.lock", os.O_RDWR)
    except OSError:  # never served, or not readable: `serving_alone` says what is wrong
        return
    _locked_or_refused(probe, workspace, name)
    os.close(probe)


def _locked_or_refused(held: int, workspace: Path, name: str) -> None:
    """Lock the open file `held`, or close it and refuse: another serve holds it."""
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        who = os.read(held, 200).decode("utf-8", "replace").strip()
        os.close(held)
        raise ReportgenError(
            f"{FLOW}/{name} is already served for {workspace} by another reportgen serve ({who or 'still starting'}); "
            "a second would leave that one running every run. Stop it first (Ctrl-C in its terminal, or stop its "
            "service), then start serving again") from None


def served_monthly(workspace: Path, name: str, cron: str, timezone: str) -> tuple[Runner, UUID]:
    """Prefect's runner with the monthly deployment added (made or updated on the server, its schedule
    set), not yet running; and the deployment's id."""
    from uuid import UUID

    from prefect.deployments.runner import EntrypointType
    from prefect.runner import Runner
    from prefect.schedules import Cron

    from reportgen.shells.prefect_deploy import monthly_description
    from reportgen.shells.prefect_flows import monthly_update, workspace_tag

    # stopped, the schedule stays active. One run at a time, the earliest due first (Prefect's order): runs missed
    # while serve was stopped each build their own month, and each month's paper carries forward and shows progress
    # from the draft of the month before, which the run before it keeps
    runner = Runner(name=name, pause_on_shutdown=False, limit=1)
    deployment_id = runner.add_flow(
        monthly_update, name=name, schedules=[Cron(cron, timezone=timezone)],
        parameters={"workspace": str(workspace)},
        description=monthly_description(workspace, cron, timezone), tags=[workspace_tag(workspace)],
        # imported by name where the run starts: works from any folder and for an installed package
        entrypoint_type=EntrypointType.MODULE_PATH)
    assert isinstance(deployment_id, UUID)  # called outside an event loop, add_flow returns its result
    return runner, deployment_id


async def until_stopped(runner: Runner, stops: Stops) -> None:
    """Run `runner` until a stop: the first as Prefect stops a runner (runs in flight are cancelled, with
    "Runner is shutting down."), any later one, or one before it has started, by cancelling it."""
    main = asyncio.current_task()
    assert main is not None
    stopping: list[asyncio.Task[None]] = []

    def stop() -> None:
        if runner.started and not stopping:
            stopping.append(asyncio.ensure_future(runner.astop()))
        else:
            main.cancel()

    # Runner.start makes its handle_sigterm SIGTERM's handler: on this runner, that is `stops` itself
    # (Prefect's own exits from inside the signal handler, its stop not awaited)
    setattr(runner, "handle_sigterm", stops)  # noqa: B010
    with stops.in_loop(stop):
        try:
            await runner.start()
        except asyncio.CancelledError:
            if not stops.asked:
                raise


def deploy(pool: str, name: str, crash_after_minutes: int, notify: Callable[[str], None],
           workspace: Path | None = None, monthly_name: str = DEPLOYMENT) -> None:
    """`reportgen deploy`: every flow deployed to the work pool `pool` on the server at PREFECT_API_URL,
    and the automation that marks a run Crashed when its process stops mid-run (`prefect_deploy`). With
    `workspace`, also its monthly run (`monthly_name`) on the cron of its reportgen.toml, for the pool's
    workers: the schedule of a server with workers, where `serve` runs the flow in its own process."""
    from datetime import timedelta

    configure()
    settings = None
    if workspace is not None:  # no folder, wrong settings or no register: one clear error before anything is set
        workspace, settings, _register = open_workspace(workspace)
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        raise UsageError("set PREFECT_API_URL to the API of the Prefect server your workers use (e.g. "
                         "http://127.0.0.1:4200/api): deployments on a temporary server would vanish with it")
    check_server(api_url)
    from prefect.settings import get_current_settings

    from reportgen.shells.prefect_deploy import (
        check_monthly_deployable,
        crash_silent_runs,
        deploy_flows,
        deploy_monthly,
        tell_crashed_runs,
    )

    heartbeat = get_current_settings().flows.heartbeat_frequency
    if heartbeat is not None and crash_after_minutes * 60 < 2 * heartbeat:
        raise UsageError(f"--crash-after {crash_after_minutes}: {counted(crash_after_minutes, 'minute')} is too short "
                         f"for a heartbeat every {heartbeat} s (PREFECT_FLOWS_HEARTBEAT_FREQUENCY): a run still going "
                         f"would be marked Crashed; give at least {counted(-(-2 * heartbeat // 60), 'minute')}")
    if workspace is not None and monthly_name == name:
        raise UsageError(f"--monthly-name {monthly_name} is the name of the on-demand deployments (--name): give "
                         "the scheduled one another")
    if workspace is not None:
        check_not_scheduled_twice(monthly_name, workspace, deploying=True)  # its own name first, as serve does
        check_not_taken(monthly_name, workspace, deploying=True)
        check_monthly_deployable(monthly_name)
    for deployment in deploy_flows(pool, name):
        notify(f"Deployed {deployment} to work pool {pool}")
    if workspace is not None and settings is not None:
        deployed = deploy_monthly(pool, monthly_name, workspace, settings.schedule.cron, settings.schedule.timezone)
        notify(f"Deployed {deployed} to work pool {pool} for {workspace}: cron {quoted(settings.schedule.cron)} "
               f"({settings.schedule.timezone}), run by the pool's workers")
    crash_silent_runs(timedelta(minutes=crash_after_minutes))
    tell_crashed_runs(f"crashed-run/{name}")
    # with --workspace, the run to try is the monthly one just deployed: its workspace is the deployment's own
    run = (shlex.quote(f"monthly-update/{monthly_name}") if workspace is not None
           else f"{shlex.quote(f'panel-paper/{name}')} --param workspace=DIR")
    notify(f"A run whose process stops mid-run is marked Crashed {counted(crash_after_minutes, 'minute')} after its "
           "last heartbeat. Run one with:\n"
           f"  PREFECT_API_URL={api_url} {Path(sys.executable).parent / 'prefect'} deployment run {run} --watch")


def answers(api_url: str, timeout: float) -> bool:
    """Whether a Prefect server answers its health check at `api_url`."""
    import httpx

    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


SERVE_REMEDY = ("start it (prefect server start), correct the address, or unset PREFECT_API_URL and serve starts "
                "one of its own")


def check_server(api_url: str, remedy: str = "start it (prefect server start) or correct the address") -> None:
    """One clear error when no Prefect server answers at `api_url` (down, or a mistyped address), with
    `remedy`: the UI's address (the API's without /api, as the browser shows it) and an address without
    http:// are named as such."""
    if answers(api_url, timeout=10):
        return
    base = api_url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ReportgenError(f"PREFECT_API_URL {api_url} is not an address: it starts with http://, e.g. "
                             "http://127.0.0.1:4200/api")
    if not base.endswith("/api") and answers(f"{base}/api", timeout=10):
        raise ReportgenError(f"PREFECT_API_URL {api_url} is the Prefect server's UI address; its API is {base}/api: "
                             f"set PREFECT_API_URL={base}/api")
    raise ReportgenError(f"no Prefect server answers at {api_url} (PREFECT_API_URL): {remedy}")


def check_not_taken(name: str, workspace: Path, deploying: bool = False) -> None:
    """Refuse to take over a deployment of this name that builds another workspace: serving (or deploying,
    `deploying`, whose option for the name is --monthly-name) replaces its parameters, so the other
    workspace would silently stop being built on schedule."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            deployment = client.read_deployment_by_name(f"{FLOW}/{name}")
        except ObjectNotFound:
            return
    other = (deployment.parameters or {}).get("workspace")
    if other and Path(other) != workspace:
        doing, do, option = ("deploying", "Deploy", "--monthly-name") if deploying else ("serving", "Serve", "--name")
        raise ReportgenError(
            f"{FLOW}/{name} on this Prefect server already builds {other}; {doing} {workspace} under that name "
            f"would stop it. {do} this one under another name ({option} {name_for(workspace, name)}, say), or, to "
            f"move the schedule here, delete it first: prefect deployment delete {FLOW}/{name}")


def name_for(workspace: Path, taken: str) -> str:
    """A deployment name to offer for a second workspace on a server: its folder's name, as a Prefect name
    (lower-case letters, digits and dashes); its tag, folder name and path digest, when that is the name taken or
    says nothing. An IT person told only "another name" had to make one up, and the runs' names and the
    deployment's tag already call the workspace by its folder."""
    from reportgen.shells.prefect_flows import workspace_tag

    folder = "-".join(re.findall(r"[a-z0-9]+", workspace.name.lower()))[:40]
    return folder if folder and folder != taken else workspace_tag(workspace)


def check_not_scheduled_twice(name: str, workspace: Path, deploying: bool = False) -> None:
    """Refuse a second monthly schedule for one workspace: another `monthly-update` deployment (served, or deployed
    to a pool) that builds `workspace` on an active schedule would build each month's paper twice, two drafts a
    month. Serve (or deploy) under that deployment's name instead, which takes it over, or delete it first."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    with get_client(sync_client=True) as client:
        deployments = client.read_deployments(flow_filter=FlowFilter(name=FlowFilterName(any_=[FLOW])))
    for deployment in deployments:
        other = (deployment.parameters or {}).get("workspace")
        if deployment.name == name or not other or not same_folder(Path(other), workspace):
            continue
        if any(schedule.active for schedule in deployment.schedules):
            raise ReportgenError(
                f"{FLOW}/{deployment.name} on this Prefect server already builds {workspace} on schedule; a second "
                f"schedule would build each month's paper twice. {_instead(deployment, deploying)}")


def _instead(deployment: DeploymentResponse, deploying: bool) -> str:
    """What to do instead of a second schedule for a workspace: take the deployment over under its name, where that
    is allowed; a served one cannot go to a pool, nor one on a pool be served, while it is there (`check_not_on_a_pool`,
    `check_monthly_deployable`): then it is nothing, or deleting it first."""
    delete = f"prefect deployment delete {FLOW}/{deployment.name}"
    if deploying and deployment.work_pool_name is None:
        return (f"It is served by reportgen serve: to build it on the pool instead, stop serving and delete it first: "
                f"{delete}")
    if not deploying and deployment.work_pool_name:
        return (f"Its workers (work pool {deployment.work_pool_name}) build it: nothing needs serving. To serve it "
                f"instead, delete it first: {delete}")
    option = "--monthly-name" if deploying else "--name"
    return f"Use its name ({option} {deployment.name}), or delete it first: {delete}"


def same_folder(given: Path, workspace: Path) -> bool:
    """Whether a deployment's workspace parameter is `workspace`: the same path, or one that reaches the same folder
    here (through a symbolic link, or written with '..'). A relative path says nothing of where it starts: not it."""
    if given == workspace:
        return True
    if not given.is_absolute():
        return False
    try:
        return given.resolve() == workspace.resolve() or os.path.samefile(given, workspace)
    except OSError:  # not a folder on this machine (a worker's own path): only the same path is the same
        return False


def check_not_on_a_pool(name: str) -> None:
    """Refuse to serve a `monthly-update/<name>` that `reportgen deploy --workspace` put on a work pool:
    serving takes it off the pool, and once serving stops its schedule is left with nothing to run it."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            deployment = client.read_deployment_by_name(f"{FLOW}/{name}")
        except ObjectNotFound:
            return
    if deployment.work_pool_name:
        raise ReportgenError(
            f"{FLOW}/{name} on this Prefect server is deployed to work pool {deployment.work_pool_name}, whose "
            f"workers run it on schedule; serving it too would take it off the pool, and nothing needs serving while "
            f"they run it. To serve it instead, delete it first: prefect deployment delete {FLOW}/{name}")


@contextlib.contextmanager
def stops_deferred() -> Iterator[None]:
    """Ctrl-C or SIGTERM while this runs is remembered, and raised as KeyboardInterrupt when it ends.

    For imports: interrupted half-way, a module is left half-made, and the interrupt may surface as
    another error (one raised inside pydantic while Prefect loads its settings is a
    PydanticSerializationError), a traceback instead of a stop."""
    asked: list[signal.Signals] = []
    numbers = (signal.SIGINT, signal.SIGTERM)
    handlers = {number: signal.signal(number, lambda got, _frame: asked.append(signal.Signals(got)))
                for number in numbers}
    try:
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    if asked:
        handler = handlers[asked[0]]
        if callable(handler):
            handler(asked[0], None)
        raise KeyboardInterrupt
