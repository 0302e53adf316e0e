"""Deploying the flows to a Prefect work pool, and the automation that ends a run whose process is gone.

`deploy_flows` deploys every flow of `reportgen.shells.prefect_flows` and `mail_flows` to a work pool,
each imported by its module path where it runs (any folder, a clone or an installed package; the
worker needs reportgen installed in its Python).

A worker stopped in the middle of a run (Ctrl-C, systemd's stop, a machine going down) ends the run's
process, but Prefect leaves the run Running for ever (PrefectHQ/prefect#16746): the UI shows a run that
will never finish, and a pool with a concurrency limit loses that slot. While its process lives, a
flow run sends Prefect a heartbeat event every `PREFECT_FLOWS_HEARTBEAT_FREQUENCY` seconds (180 by
default); the automation `crash_silent_runs` sets up marks a run Crashed when nothing more is heard of
it within `within` of a heartbeat (Prefect's own recipe, "detect zombie flows"). Any event of the run
counts, so a run ending in one of our own states (Completed named "Blocked", Failed named "Refused")
is never touched.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from reportgen.errors import ReportgenError
from reportgen.wording import quoted

SILENT_RUNS = "reportgen: a run whose process is gone is Crashed"
CRASHED_MESSAGE = ("Nothing was heard of this run after its last heartbeat: the process running it stopped "
                   "(a worker or serve stopped in the middle of it, or its machine went down). Nothing was "
                   "published; run it again.")
DESCRIPTION = ("A worker or reportgen serve stopped in the middle of a run leaves it Running in Prefect for "
               "ever; a run sends a heartbeat while its process lives, and this marks it Crashed when they stop.")
DEFAULT_WITHIN = timedelta(minutes=10)  # heartbeats come every 3 minutes by default

# (module, flow function) of every flow a worker can run
FLOWS = (
    ("reportgen.shells.prefect_flows", "panel_paper"),
    ("reportgen.shells.prefect_flows", "monthly_update"),
    ("reportgen.shells.prefect_flows", "compare_drafts_flow"),
    ("reportgen.shells.prefect_flows", "partner_returns"),
    ("reportgen.shells.prefect_flows", "check_paper"),
    ("reportgen.shells.prefect_flows", "status_history"),
    ("reportgen.shells.prefect_flows", "publish_paper"),
    ("reportgen.shells.mail_flows", "send_returns_flow"),
    ("reportgen.shells.mail_flows", "collect_flow"),
    ("reportgen.shells.mail_flows", "chase_flow"),
    ("reportgen.shells.run_report", "crashed_run"),
)


def deploy_flows(pool: str, name: str = "on-demand") -> list[str]:
    """Deploy every flow to the work pool `pool` under the deployment name `name`; returns their names
    (`panel-paper/on-demand`, …). Deploying again updates them and keeps what was set on the server since
    (a schedule, a workspace given as a default parameter: the redeploy after an upgrade must not silently
    stop the monthly run). A pool that does not exist, or a name under which `reportgen serve` serves the
    monthly deployment (replaced, its schedule and workspace would be gone), is one clear error."""
    import importlib

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import DeploymentScheduleCreate
    from prefect.deployments.runner import EntrypointType
    from prefect.exceptions import ObjectNotFound

    flows = [getattr(importlib.import_module(module), function) for module, function in FLOWS]
    earlier = {}
    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(pool)
        except ObjectNotFound:
            raise ReportgenError(f"no work pool {quoted(pool)} on the Prefect server: create it first "
                                 f"(prefect work-pool create --type process {pool})") from None
        for flow in flows:
            try:
                found = client.read_deployment_by_name(f"{flow.name}/{name}")
            except ObjectNotFound:
                continue
            if found.work_pool_name is None:  # made by a runner: `reportgen serve`
                served = (found.parameters or {}).get("workspace")
                raise ReportgenError(
                    f"{flow.name}/{name} on this Prefect server is served by reportgen serve"
                    + (f" for {served}" if served else "") + f"; deploying under that name would replace it and "
                    f"its schedule: deploy under another name (--name), or delete it first: prefect deployment "
                    f"delete {flow.name}/{name}")
            earlier[flow.name] = found
    deployed = []
    for flow in flows:
        kept = earlier.get(flow.name)
        schedules = [DeploymentScheduleCreate(schedule=s.schedule, active=s.active, parameters=s.parameters,
                                              slug=s.slug) for s in kept.schedules] if kept else None
        flow.to_deployment(name=name, work_pool_name=pool, entrypoint_type=EntrypointType.MODULE_PATH,
                           parameters=kept.parameters if kept else None, schedules=schedules).apply()
        deployed.append(f"{flow.name}/{name}")
    return deployed


def crash_silent_runs(within: timedelta | None = None) -> None:
    """Create, or set again, the automation `SILENT_RUNS` on the Prefect server (PREFECT_API_URL):
    a flow run heard of no more within `within` of a heartbeat is set Crashed. `within` must be longer
    than the heartbeat interval of the processes that run flows, with room for a busy machine. None
    (`reportgen serve`, which has no --crash-after) keeps the window set on the server, by `reportgen
    deploy --crash-after` for workers whose heartbeat is slower; DEFAULT_WITHIN when none is set.

    One already set the same is left as it is: the server keeps each run's wait for its next heartbeat
    with the automation, so one made anew forgets the runs that fell silent before (a worker stopped
    for an upgrade, then `reportgen deploy` again: those runs would stay Running for ever)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    with get_client(sync_client=True) as client:
        found = client.read_automations_by_name(SILENT_RUNS)
    if within is None:
        kept = [made.trigger.within for made in found if isinstance(made.trigger, EventTrigger)]
        within = kept[0] if len(found) == 1 and kept else DEFAULT_WITHIN
    trigger = EventTrigger(
        after={"prefect.flow-run.heartbeat"},
        expect={"prefect.flow-run.*"},  # another heartbeat, or any change of state: Blocked, Refused too
        match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
        for_each={"prefect.resource.id"},
        posture=Posture.Proactive,
        threshold=1,
        within=within,
    )
    automation = AutomationCore(name=SILENT_RUNS, description=DESCRIPTION, trigger=trigger,
                                actions=[ChangeFlowRunState(name="Crashed", state=StateType.CRASHED,
                                                            message=CRASHED_MESSAGE, force=False)])
    def setting(made: AutomationCore) -> dict[str, Any]:  # what it says, without the ids the server gave it
        return made.model_dump(include=set(AutomationCore.model_fields), exclude={"trigger": {"id"}})

    if len(found) == 1 and setting(found[0]) == setting(automation):
        return
    with get_client(sync_client=True) as client:
        for existing in found:
            client.delete_automation(existing.id)
        client.create_automation(automation)


CRASHED_TOLD = "reportgen: a crashed monthly run is mailed to the secretariat"
# the crashed run's id, as a template Prefect renders for the action (a plain "{{ flow_run.id }}" it renders as
# JSON, and a UUID is not JSON: the action failed, "InvalidJinja")
RUN_ID = {"__prefect_kind": "jinja", "template": "{{ flow_run.id }}"}
CRASHED_TOLD_DESCRIPTION = ("A monthly run marked Crashed (its worker, serve or machine lost in the middle of it) "
                            "ends without its own mail: this runs crashed-run, which tells [mail] notify.")


def tell_crashed_runs(deployment: str) -> None:
    """Create, or set again, the automation `CRASHED_TOLD`: each monthly-update run marked Crashed (by its worker,
    when the run's process died, or by `crash_silent_runs`, when the worker went too) runs the deployment
    `deployment` of `crashed_run` for it. A crashed run's own process is gone, so it cannot mail as the
    monthly flow's other endings do: the secretariat, told nothing, took it for a run still going."""
    from prefect.client.orchestration import get_client
    from prefect.events.actions import RunDeployment
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    from reportgen.shells.prefect_flows import monthly_update

    with get_client(sync_client=True) as client:
        target = client.read_deployment_by_name(deployment)
        found = client.read_automations_by_name(CRASHED_TOLD)
        trigger = EventTrigger(
            expect={"prefect.flow-run.Crashed"},
            match=ResourceSpecification({"prefect.resource.id": "prefect.flow-run.*"}),
            match_related=ResourceSpecification({"prefect.resource.role": "flow",
                                                 "prefect.resource.name": monthly_update.name}),
            posture=Posture.Reactive, threshold=1)
        automation = AutomationCore(name=CRASHED_TOLD, description=CRASHED_TOLD_DESCRIPTION, trigger=trigger,
                                    actions=[RunDeployment(source="selected", deployment_id=target.id,
                                                           parameters={"flow_run_id": RUN_ID}, job_variables=None)])
        for existing in found:
            client.delete_automation(existing.id)
        client.create_automation(automation)


def check_monthly_deployable(name: str) -> None:
    """Refuse a `monthly-update/<name>` that `reportgen serve` serves (a deployment with no work pool):
    deployed to a pool as well, the month would be built twice, by serve and by a worker."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    from reportgen.shells.prefect_flows import monthly_update

    with get_client(sync_client=True) as client:
        try:
            found = client.read_deployment_by_name(f"{monthly_update.name}/{name}")
        except ObjectNotFound:
            return
    if found.work_pool_name is None:
        raise ReportgenError(
            f"{monthly_update.name}/{name} on this Prefect server is served by reportgen serve; deploying it to "
            f"the pool too would build the month twice: to build it on the pool instead, stop serving and delete it "
            f"first: prefect deployment delete {monthly_update.name}/{name}")


def monthly_description(workspace: Path, cron: str, timezone: str) -> str:
    """What a workspace's monthly deployment says of itself in the UI and `prefect deployment inspect`: the
    workspace it builds, first. With two Panels on one server, the flow's docstring alone left both deployments
    saying the same, and which Panel's paper each built was only in their parameters."""
    return (f"The monthly Panel paper of {workspace}, on cron {quoted(cron)} ({timezone}): builds and keeps the "
            "month's draft, compares it with the last one and lists who to chase.")


def deploy_monthly(pool: str, name: str, workspace: Path, cron: str, timezone: str) -> str:
    """The workspace's monthly run deployed to the work pool `pool` as `monthly-update/<name>`, on `cron`
    (reportgen.toml [schedule]): deploying again sets the schedule anew, so a changed cron takes effect.
    One run at a time (a deployment concurrency limit of 1; a run beyond it waits its turn), as `reportgen serve`
    runs them: runs missed while the workers were stopped otherwise ran side by side when they started, and a
    month's paper was built before the month before's draft was kept, without its progress over time.
    (`check_monthly_deployable` first.)"""
    from prefect.deployments.runner import EntrypointType, RunnerDeployment
    from prefect.schedules import Cron

    from reportgen.shells.prefect_flows import monthly_update, workspace_tag

    deployment = monthly_update.to_deployment(name=name, work_pool_name=pool,
                                              entrypoint_type=EntrypointType.MODULE_PATH,
                                              parameters={"workspace": str(workspace)},
                                              schedules=[Cron(cron, timezone=timezone)], concurrency_limit=1,
                                              description=monthly_description(workspace, cron, timezone),
                                              tags=[workspace_tag(workspace)])
    assert isinstance(deployment, RunnerDeployment)  # called outside an event loop, it returns its result
    applied = deployment.apply()
    assert isinstance(applied, UUID)
    name_first_runs(applied, workspace, cron, timezone)
    return f"{monthly_update.name}/{name}"


FIRST_RUNS_WAIT = 20.0  # seconds: the server's scheduler makes a new deployment's runs within 5 s or so


def name_first_runs(deployment_id: UUID, workspace: Path, cron: str, timezone: str) -> None:
    """The runs the scheduler makes for a deployment just applied, named after the workspace and their month
    (`name_scheduled_runs`) once they are there; each monthly run names those made later. A server too busy to
    make them within FIRST_RUNS_WAIT leaves them to the first run."""
    import time

    from prefect.client.orchestration import get_client

    from reportgen.shells.prefect_flows import name_scheduled_runs

    deadline = time.monotonic() + FIRST_RUNS_WAIT
    with get_client(sync_client=True) as client:
        while not name_scheduled_runs(client, deployment_id, workspace, cron, timezone) and \
                time.monotonic() < deadline:
            time.sleep(1)
