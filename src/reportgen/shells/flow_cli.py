"""The command line of `flows/*.py`: the command table's options, output and exit codes, run as flows.

Called only after `prefect_env.configure()`. A request that cannot be met (no workspace, a period like
2023-13) is refused with one line and exit 2 before Prefect starts. A flow run's result is the
library's own value, printed by the same `cli.show_*` as `reportgen` prints it, and its exit code
follows from that value by the same rule; a Failed run gives its reportgen error (one line).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reportgen.errors import ReportgenError, UsageError
from reportgen.shells import cli
from reportgen.shells.commands import FLOWS, click_command, parse

if TYPE_CHECKING:
    from reportgen.terms import Edition


def make_parser(name: str) -> click.Command:
    """The command of `flows/<name>.py`: the options of the command it runs, from the command table."""
    return click_command(FLOWS[name], cli.edge(RUNS[name], "", *cli.write_failed(FLOWS[name])))


def main(name: str, argv: Sequence[str]) -> int:
    return parse(make_parser(name), list(argv), f"flows/{name}.py")


def refuse_early(workspace: Path, period: str | None, need_returns: bool = True) -> None:
    """A wrong request (no workspace, a period like 2023-13) is refused before Prefect starts."""
    from reportgen.read.workspace import find_inputs

    find_inputs(workspace, period, need_returns=need_returns)


def wait_for_history(timeout: float = 10.0) -> bool:
    """Wait until the Prefect server has written every task run this process ran, ended (at most `timeout`).

    A flow script's embedded server is stopped when the script exits. Task runs reach its history as
    events, written a moment after the run ends; a stop in the middle of that write lost the run's last
    task runs, and Prefect's task-run recorder printed the cancelled write as a traceback on the
    officer's terminal, after the result."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterId

    from reportgen.shells.prefect_flows import TASK_RUNS

    ended = list(TASK_RUNS)
    if not ended:  # refused before its first task
        return True
    deadline = time.monotonic() + timeout
    try:
        with get_client(sync_client=True) as client:
            while time.monotonic() < deadline:
                runs = client.read_task_runs(task_run_filter=TaskRunFilter(id=TaskRunFilterId(any_=ended)))
                if len(runs) == len(ended) and all(run.state is not None and run.state.is_final() for run in runs):
                    return True
                time.sleep(0.05)
            why = f"had not written this run's history {timeout:.0f} s after it ended"
    except Exception as exc:  # the run is over and its result stands: only its history is in doubt
        why = f"could not be asked for this run's history ({type(exc).__name__})"
    print(f"reportgen: the Prefect server {why}; the history may lack its last steps", file=sys.stderr)
    return False


def outcome(state: Any) -> Any:
    """The flow run's result, once the server has its history; a Failed run raises its reportgen error
    for `cli.guarded` to print."""
    wait_for_history()
    if state.is_failed():
        reason = state.result(raise_on_failure=False)
        if isinstance(reason, (ReportgenError, OSError)):
            raise reason
        raise ReportgenError(f"the flow run ended {state.name}: {state.message}")
    return state.result()


def run_panel_paper(workspace: Path, period: str | None, out: Path | None, edition: Edition,
                    show_info: bool, todays_register: bool = False, revises: Path | None = None) -> int:
    refuse_early(workspace, period)
    from reportgen.shells.prefect_flows import panel_paper

    state = panel_paper(str(workspace.resolve()), period, str(out) if out else None, edition, todays_register,
                        str(revises) if revises else None, return_state=True)
    return cli.show_build(outcome(state), show_info)


def run_monthly_update(workspace: Path, period: str | None, edition: Edition, revises: Path | None,
                       show_info: bool, serve: bool, name: str = "monthly") -> int:
    if serve and revises is not None:  # every scheduled run would mark its month's paper a correction of this one
        raise UsageError(f"--revises {revises} with --serve: a revised paper is built once, by hand; run "
                         "flows/monthly_update.py --period YYYY-MM --revises DRAFT_DIR without --serve")
    if serve:
        return cli.run_serve(workspace, name)
    refuse_early(workspace, period)
    from reportgen.shells.prefect_flows import monthly_update

    monthly = outcome(monthly_update(str(workspace.resolve()), period, edition, str(revises) if revises else None,
                                     return_state=True))
    return cli.show_build(monthly.build, show_info, monthly.comparison)


def run_compare_drafts(old: Path, new: Path, out: Path | None, allow_restricted: bool) -> int:
    from reportgen.shells.prefect_flows import compare_drafts_flow

    state = compare_drafts_flow(str(old), str(new), str(out) if out else None, allow_restricted, return_state=True)
    return cli.show_diff(outcome(state))


def run_partner_returns(workspace: Path, period: str, out: Path | None, todays_register: bool = False) -> int:
    refuse_early(workspace, period, need_returns=False)  # workbooks go out before any return comes in
    from reportgen.shells.prefect_flows import partner_returns

    made = outcome(partner_returns(str(workspace.resolve()), period, str(out) if out else None, todays_register,
                                   return_state=True))
    return cli.show_returns(made.files, made.issues, made.folder)


def run_check_paper(workspace: Path, period: str | None, edition: Edition, show_info: bool,
                    todays_register: bool = False, revises: Path | None = None) -> int:
    refuse_early(workspace, period)
    from reportgen.shells.prefect_flows import check_paper

    return cli.show_checks(outcome(check_paper(str(workspace.resolve()), period, edition, todays_register,
                                               str(revises) if revises else None, return_state=True)), show_info)


def run_status_history(workspace: Path, out: Path | None, edition: Edition) -> int:
    from reportgen.shells.prefect_flows import status_history

    state = status_history(str(workspace.resolve()), str(out.resolve()) if out else None, edition, return_state=True)
    return cli.show_history(outcome(state))


def run_publish_paper(workspace: Path, draft: Path) -> int:
    from reportgen.shells.prefect_flows import publish_paper

    # the draft as given: `mark_published` reads one named within the workspace (outputs/2026-09/draft-01) there
    return cli.show_published(outcome(publish_paper(str(workspace.resolve()), str(draft), return_state=True)))


def run_mail_flow(name: str) -> Callable[..., int]:
    def run(workspace: Path, period: str, dry_run: bool, from_folder: Path | None = None) -> int:
        refuse_early(workspace, period, need_returns=False)
        from reportgen.shells import mail_flows

        where = str(workspace.resolve())
        if name == "collect":
            folder = str(from_folder.resolve()) if from_folder else None
            state = mail_flows.collect_flow(where, period, dry_run, folder, return_state=True)
        elif name == "chase":
            state = mail_flows.chase_flow(where, period, dry_run, return_state=True)
        else:
            state = mail_flows.send_returns_flow(where, period, dry_run, return_state=True)
        return cli.show_mail(outcome(state))

    return run


RUNS: dict[str, Callable[..., int]] = {
    "panel_paper": run_panel_paper, "monthly_update": run_monthly_update, "compare_drafts": run_compare_drafts,
    "partner_returns": run_partner_returns, "check_paper": run_check_paper, "status_history": run_status_history,
    "publish_paper": run_publish_paper,
    "send_returns": run_mail_flow("send_returns"),
    "chase": run_mail_flow("chase"), "collect": run_mail_flow("collect"),
}
