"""The Prefect flows on Prefect's embedded default (one test harness for the session)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import zoneinfo
from pathlib import Path

import openpyxl
import pytest

from canary import CANARY, exempt_workspace
from conftest import ROOT, as_chmod_binds, blocked_workspace, copy_example, make_workspace
from reportgen.drafts.folders import load_draft
from reportgen.read.statuses import match_status, status_table
from reportgen.run.build import build_draft
from reportgen.settings import CANONICAL_STATUSES


def _reproducible(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes()
            for name in ("paper.docx", "paper.pdf", "draft.json", "register.xlsx", "issues.csv", "chase.csv")}


def test_python_cli_and_flow_make_the_same_draft(harness, tmp_path: Path) -> None:
    from reportgen.shells.cli import main
    from reportgen.shells.prefect_flows import panel_paper

    root = copy_example(tmp_path / "ws")
    library = build_draft(root)
    assert main(["build", "--workspace", str(root)]) == 0
    flowed = panel_paper(str(root)).folder
    folders = [library.folder.name, "draft-02", flowed.name]
    assert folders == ["draft-01", "draft-02", "draft-03"]
    drafts = [_reproducible(root / "outputs" / "2026-10" / name) for name in folders]
    assert drafts[0] == drafts[1] == drafts[2]
    manifests = [load_draft(root / "outputs" / "2026-10" / name)[1].reproducible() for name in folders]
    assert len({json.dumps([m.inputs, m.counts, m.settings_digest, m.issue_counts], default=str)
                for m in manifests}) == 1


def test_monthly_update_compares_with_the_last_draft_and_publishes_artifacts(harness, tmp_path: Path) -> None:
    from prefect.artifacts import Artifact

    from reportgen.shells.prefect_flows import monthly_update

    root = copy_example(tmp_path / "ws")
    september = monthly_update(str(root), "2026-09").build.folder
    october = monthly_update(str(root)).build.folder
    assert (september.name, october.parent.name) == ("draft-01", "2026-10")
    comparison = root / "outputs" / "2026-10" / "compare" / "2026-09-draft-01-to-2026-10-draft-01"
    assert sorted(p.name for p in comparison.iterdir()) == ["diff.docx", "diff.html", "diff.json", "diff.pdf"]
    from reportgen.shells.prefect_flows import artifact_key

    summary = Artifact.get(artifact_key("paper", "2026-10", "public", workspace=root))
    assert summary is not None and str(october) in str(summary.data)
    assert "Compared with draft-01" in str(summary.data) and "Chase list" in str(summary.data)
    assert "Wessex County Council" in str(summary.data)  # sent no return in October
    issues = Artifact.get(artifact_key("issues", "2026-10", "public", workspace=root))
    assert issues is not None and "missing-return" in str(issues.data)
    # carried forward: Wessex County Council's actions keep September's status, marked as such
    paper, _ = load_draft(october)
    carried = [row for row in paper.rows if row.state == "carried-forward"]
    assert carried and all("No update received this period" in row.note for row in carried)


def test_a_restricted_monthly_run_with_no_restricted_draft_before_it_says_it_compared_with_none(
        harness, tmp_path: Path) -> None:
    """A public run says what it compared its draft with; a restricted run after public drafts only had none of
    its edition to compare with and said nothing, and a reviewer could not tell whether the step had run."""
    from prefect.artifacts import Artifact

    from reportgen.shells.prefect_flows import artifact_key, monthly_update

    root = copy_example(tmp_path / "ws")
    monthly_update(str(root), "2026-09")
    restricted = monthly_update(str(root), edition="restricted")
    assert restricted.comparison is None and not (root / "outputs" / "2026-10" / "compare").exists()
    summary = Artifact.get(artifact_key("paper", "2026-10", "restricted", workspace=root))
    assert summary is not None and ("Not compared: no restricted edition draft was kept before this one, for "
                                    "October 2026 or an earlier period.") in str(summary.data)


def _register_by_lead(path: Path) -> dict[str, list[tuple[int, str]]]:
    """(ref, action) of each lead's actions, read straight from the register workbook."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = book["Register"].iter_rows(values_only=True)
    at = {heading: number for number, heading in enumerate(next(rows))}
    by_lead: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        by_lead.setdefault(str(row[at["Lead"]]), []).append((int(row[at["Plan priority"]]), str(row[at["Action"]])))
    book.close()
    return by_lead


def _returned_statuses(path: Path) -> dict[int, str | None]:
    """Ref -> status of a return workbook the example workspace holds (headings under a title, refs as "12.0")."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = book["Return"].iter_rows(values_only=True)
    headings = next(row for row in rows if "Plan priority" in row)
    at = {heading: number for number, heading in enumerate(headings)}
    table = status_table({})  # "Complete" is carried as "Completed"
    statuses = {int(float(row[at["Plan priority"]])): match_status(row[at["Status this reporting period"]] or "", table)
                for row in rows if row[at["Plan priority"]] is not None}
    book.close()
    return statuses


def test_partner_returns_flow_writes_one_workbook_per_lead(harness, tmp_path: Path) -> None:
    """Each lead's workbook holds that lead's actions, in register order, pre-filled as a build of the
    period carries forward: no draft is kept, so from the newest earlier return that has the action."""
    from reportgen.shells.prefect_flows import partner_returns

    root = copy_example(tmp_path / "ws")
    folder = partner_returns(str(root), "2026-11").folder
    expected = {lead.lower().replace(" ", "-") + ".xlsx": actions
                for lead, actions in _register_by_lead(root / "inputs" / "register.xlsx").items()}
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected) == [
        "community-safety-partnership.xlsx", "criminal-justice-board.xlsx", "opcc.xlsx",
        "wessex-county-council.xlsx", "wessex-police.xlsx"]
    statuses = {}
    for name, actions in expected.items():
        book = openpyxl.load_workbook(folder / name)
        rows = list(book["Return"].iter_rows(values_only=True))
        at = {heading: number for number, heading in enumerate(rows[0])}
        assert [(row[at["Plan priority"]], row[at["Action"]]) for row in rows[1:]] == actions, name
        statuses[name] = {row[at["Plan priority"]]: row[at["Status this reporting period"]] for row in rows[1:]}
        assert set(statuses[name].values()) <= {*CANONICAL_STATUSES, None}, (name, statuses[name])
    returns = root / "inputs" / "returns"
    # Wessex County Council sent no return in 2026-10: its actions are pre-filled from 2026-09's
    september = _returned_statuses(returns / "2026-09" / "wessex-county-council.xlsx")
    assert not (returns / "2026-10" / "wessex-county-council.xlsx").exists()
    assert statuses["wessex-county-council.xlsx"] == {ref: september.get(ref)
                                                      for ref in statuses["wessex-county-council.xlsx"]}
    assert set(september.values()) - {None}
    # Wessex Police returned in both: October's status wins, September's where October left the action out
    october = _returned_statuses(returns / "2026-10" / "wessex-police.xlsx")
    september = _returned_statuses(returns / "2026-09" / "wessex-police.xlsx")
    assert statuses["wessex-police.xlsx"] == {ref: october.get(ref) or september.get(ref)
                                              for ref in statuses["wessex-police.xlsx"]}
    assert october != september


@pytest.mark.slow
def test_flow_script_prints_what_reportgen_build_prints_and_exits_1_when_blocked(tmp_path: Path) -> None:
    """`python flows/panel_paper.py` on the temporary server (catches a Prefect/fastapi pin gone wrong):
    the same summary as `reportgen build`, the draft folder last, exit 1 for blocking issues."""
    root = blocked_workspace(tmp_path / "ws")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    built = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                           capture_output=True, text=True, env=env, timeout=300)
    flowed = subprocess.run([sys.executable, str(ROOT / "flows" / "panel_paper.py"), "--workspace", str(root)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert (built.returncode, flowed.returncode) == (1, 1), flowed.stdout + flowed.stderr
    built_lines, flowed_lines = built.stdout.splitlines(), flowed.stdout.splitlines()
    assert flowed_lines[-1] == str(root / "outputs" / "2026-10" / "draft-02")
    assert flowed_lines[:-1] == built_lines[:-1]
    summary = "\n".join(flowed_lines)
    assert "2 errors, 0 warnings: blocks publication." in summary
    assert "opcc.xlsx" in summary and "row 2" in summary and "row 3" in summary and "'Maybe later'" in summary
    assert "Traceback" not in flowed.stderr


@pytest.mark.slow
def test_a_run_that_cannot_be_built_says_why_in_one_line_without_tracebacks(tmp_path: Path) -> None:
    """A stage refused with a ReportgenError (here: the register lost its Action heading) fails the run
    with the reason in one line: no task traceback, and no PDF worker (terminated, as the build never
    made a paper) printing Prefect's termination signal."""
    root = copy_example(tmp_path / "ws")
    register = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(register)
    sheet = book.active
    assert sheet is not None
    for cell in sheet[1]:
        if cell.value == "Action":
            cell.value = None
    book.save(register)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    done = subprocess.run([sys.executable, str(ROOT / "flows" / "panel_paper.py"), "--workspace", str(root)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "TerminationSignal" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "reportgen: error: cannot read the register inputs/register.xlsx: "
        "Column 'Action' was not found in the register inputs/register.xlsx, so no action was read. If the "
        "register heads it otherwise, name that heading in reportgen.toml under [register.columns]: "
        "action = { aliases = [\"<its heading>\"] }; the register's headings that are not read: none.")


@pytest.mark.slow
def test_a_flow_that_cannot_write_its_draft_says_so_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    """flows/monthly_update.py on a workspace whose period folder the account may not write printed Prefect's
    whole PermissionError traceback before the one line, which advised --out, an option the script lacks. It says
    the one line alone, with what would let it write and what stands."""
    root = make_workspace(tmp_path / "ws")
    period = root / "outputs" / "2026-10"
    period.mkdir(parents=True)
    period.chmod(0o555)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    try:
        done = subprocess.run(as_chmod_binds([sys.executable, str(ROOT / "flows" / "monthly_update.py"),
                                              "--workspace", str(root), "--period", "2026-10"]),
                              capture_output=True, text=True, env=env, timeout=600, check=False)
    finally:
        period.chmod(0o755)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "PermissionError" not in done.stderr, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"reportgen: error: cannot write {period}/")
    assert line.endswith("Permission denied (no permission to write there; let the user running reportgen write to "
                         "that folder); no draft was published (returns collected from the mailbox before it, if "
                         "any, stay saved); run it again once it can write there")


def test_prefect_artifacts_of_the_public_edition_hold_no_exempt_text(harness, tmp_path: Path) -> None:
    from prefect.artifacts import Artifact

    from reportgen.shells.prefect_flows import artifact_key, monthly_update

    root = exempt_workspace(tmp_path / "ws", period="2026-11")
    monthly_update(str(root))
    keys = (artifact_key("paper", "2026-11", "public", workspace=root),
            artifact_key("issues", "2026-11", "public", workspace=root))
    texts = [str(Artifact.get(key).data) for key in keys]  # type: ignore[union-attr]
    # the issue about exempt action 7 is counted, not listed: its ref would say which action is exempt
    assert "exempt" in texts[0] and "exempt-warnings" in texts[1] and "Action 7" not in texts[1]
    assert all(CANARY not in text for text in texts)


def test_flow_states_say_blocked_with_the_count(harness, tmp_path: Path) -> None:
    from prefect.states import StateType

    from reportgen.shells.prefect_flows import monthly_update, panel_paper

    clean = panel_paper(str(copy_example(tmp_path / "ok")), return_state=True)
    assert (clean.type, clean.name) == (StateType.COMPLETED, "Completed")
    root = blocked_workspace(tmp_path / "blocked")
    for state in (panel_paper(str(root), return_state=True), monthly_update(str(root), return_state=True)):
        assert (state.type, state.name) == (StateType.COMPLETED, "Blocked")
        assert state.message.startswith("2 issues block publication; draft ")
    result = state.result()
    assert len(result.build.blocking) == 2 and result.build.folder.name == "draft-02"


@pytest.mark.slow
def test_the_check_and_history_flows_run_as_their_commands_do(tmp_path: Path) -> None:
    """`reportgen validate` and `reportgen history` had no flow, though every command runs as one: a secretariat
    could not schedule the checks before the returns deadline, nor an analyst the history. flows/check_paper.py and
    flows/status_history.py take the commands' options and print what they print, with their exit codes."""
    root = copy_example(tmp_path / "ws")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect-home")}
    checked = subprocess.run([sys.executable, str(ROOT / "flows" / "check_paper.py"), "--workspace", str(root)],
                             capture_output=True, text=True, env=env, timeout=300)
    assert checked.returncode == 0, checked.stderr
    said = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "validate", "--workspace", str(root)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert checked.stdout == said.stdout
    assert not (root / "outputs").exists()  # nothing written
    build_draft(root)
    exported = subprocess.run([sys.executable, str(ROOT / "flows" / "status_history.py"), "--workspace", str(root),
                               "--out", str(tmp_path / "h")], capture_output=True, text=True, env=env, timeout=300)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.strip().splitlines()[-1] == str(tmp_path / "h")
    assert sorted(p.name for p in (tmp_path / "h").iterdir()) == ["history-carried-forward.csv",
                                                                  "history-corrected.csv", "history.csv",
                                                                  "history.xlsx"]
    blocked = blocked_workspace(tmp_path / "blocked")
    refused = subprocess.run([sys.executable, str(ROOT / "flows" / "check_paper.py"), "--workspace", str(blocked)],
                             capture_output=True, text=True, env=env, timeout=300)
    assert refused.returncode == 1, refused.stderr  # blocking issues, as validate
    wrong = subprocess.run([sys.executable, str(ROOT / "flows" / "status_history.py"), "--workspace",
                            str(tmp_path / "nowhere")], capture_output=True, text=True, env=env, timeout=300)
    assert wrong.returncode == 2 and "nowhere" in wrong.stderr


@pytest.mark.slow
def test_the_publish_flow_records_the_paper_published_as_the_command_does(tmp_path: Path) -> None:
    """`reportgen publish` had no flow, though every command runs as one: flows/publish_paper.py records the draft
    (published.json beside its files, which are left as they were), says so as the command does, says a second run
    wrote nothing, and refuses a folder that is no kept draft, exit 2, writing nothing."""
    root = copy_example(tmp_path / "ws")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect-home")}
    draft = build_draft(root).folder
    before = {path.name: path.read_bytes() for path in draft.iterdir()}
    script = [sys.executable, str(ROOT / "flows" / "publish_paper.py"), "--workspace", str(root)]
    recorded = subprocess.run([*script, "outputs/2026-10/draft-01"], capture_output=True, text=True, env=env,
                              timeout=300, cwd=tmp_path)  # named within the workspace, as the drafts are named
    assert recorded.returncode == 0, recorded.stderr
    lines = recorded.stdout.strip().splitlines()
    assert lines[0].startswith("recorded 2026-10/draft-01 as the public paper published for 2026-10") and \
        lines[-1] == str(draft)
    mark = json.loads((draft / "published.json").read_text(encoding="utf-8"))
    assert (mark["draft"], mark["period"], mark["edition"]) == ("2026-10/draft-01", "2026-10", "public")
    assert {path.name: path.read_bytes() for path in draft.iterdir() if path.name != "published.json"} == before
    again = subprocess.run([*script, str(draft)], capture_output=True, text=True, env=env, timeout=300)
    said = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "publish", "--workspace", str(root),
                           str(draft)], capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == said.returncode == 0, again.stderr
    assert again.stdout == said.stdout and "was already recorded" in again.stdout
    wrong = subprocess.run([*script, str(root / "inputs")], capture_output=True, text=True, env=env, timeout=300)
    assert wrong.returncode == 2 and "not a kept draft of this workspace" in wrong.stderr, wrong.stderr
    assert not (root / "inputs" / "published.json").exists()


def test_usage_error_fails_the_flow_at_once_with_its_line(harness, tmp_path: Path) -> None:
    from reportgen.errors import UsageError
    from reportgen.shells.prefect_flows import monthly_update, panel_paper, partner_returns

    root = copy_example(tmp_path / "ws")
    for state in (monthly_update(str(root), "2023-13", return_state=True),
                  panel_paper(str(tmp_path / "nowhere"), return_state=True),
                  partner_returns(str(root), "", return_state=True)):
        assert state.is_failed() and state.name == "Refused"
        assert isinstance(state.result(raise_on_failure=False), UsageError)
    assert "'2023-13' has no month 13" in monthly_update(str(root), "2023-13", return_state=True).message
    assert not (root / "outputs" / "2026-10").exists()


def test_a_comparison_that_cannot_be_made_is_refused_before_any_task_runs(harness, tmp_path: Path) -> None:
    """A reviewer's wrong request (a folder that does not exist or is no draft, drafts of two editions) fails the
    compare-drafts run at once with its reason: no task run fails first and logs it a second time."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from reportgen.shells.prefect_flows import compare_drafts_flow

    root = copy_example(tmp_path / "ws")
    public = build_draft(root).folder
    restricted = build_draft(root, edition="restricted").folder
    for (old, new), reason in (((tmp_path / "nowhere", public), "nowhere does not exist"),
                               ((tmp_path, public), "not a draft folder (no draft.json)"),
                               ((public, restricted), "the old draft is the public edition and the new one the "
                                                      "restricted edition")):
        state = compare_drafts_flow(str(old), str(new), return_state=True)
        assert state.is_failed() and state.name == "Refused" and reason in (state.message or ""), state.message
        with get_client(sync_client=True) as client:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])))
        assert runs == [], [run.name for run in runs]
    assert sorted(p.name for p in (root / "outputs").rglob("*compare*")) == []  # nothing written


def test_a_comparisons_run_is_named_after_the_workspace_its_new_draft_was_kept_in(harness, tmp_path: Path) -> None:
    """The compare-drafts runs of two Panels on one server were told apart, in the UI and `prefect flow-run ls`, only
    by opening each to read its parameters: the other flows' runs carry their workspace's tag, as their artifacts."""
    from prefect.client.orchestration import get_client

    from reportgen.shells.prefect_flows import compare_drafts_flow, workspace_tag

    root = copy_example(tmp_path / "ws")
    old, new = build_draft(root).folder, build_draft(root).folder
    elsewhere = build_draft(root, out=tmp_path / "kept-elsewhere").folder

    def run_name(old: Path, new: Path) -> str:
        state = compare_drafts_flow(str(old), str(new), out=str(tmp_path / f"diff-{new.name}"), return_state=True)
        assert state.is_completed(), state.message
        with get_client(sync_client=True) as client:
            return client.read_flow_run(state.state_details.flow_run_id).name  # type: ignore[arg-type]

    assert run_name(old, new).startswith(f"{workspace_tag(root)}: ")
    assert ":" not in run_name(old, elsewhere)  # kept with --out: no workspace to name it after


def test_a_task_is_retried_only_for_an_io_error(harness) -> None:
    """I/O stages are retried twice, for an I/O error only: a bad period, a problem in the inputs or a
    file that must not be overwritten is the same on every try (the partner-returns flow retried one)."""
    from prefect import flow

    from reportgen.errors import ReportgenError, UsageError
    from reportgen.shells.prefect_flows import stage_task

    def wrapped(cause: OSError) -> ReportgenError:
        error = ReportgenError(f"cannot write: {cause}")
        error.__cause__ = cause
        return error

    errors = {"usage": UsageError("bad period"), "inputs": ReportgenError("no register"),
              "exists": wrapped(FileExistsError("opcc.xlsx")), "io": OSError("busy"),
              "wrapped-io": wrapped(OSError("share away")),
              # the worker's account may not read or write there: the same on every try, and one line
              "denied": PermissionError(13, "Permission denied", "/srv/panel/outputs")}
    calls: list[str] = []

    def stage(name: str) -> None:
        calls.append(name)
        raise errors[name]

    @flow
    def one_stage(name: str) -> None:
        stage_task("prepare", stage, retries=2)(name)

    for name in errors:
        assert one_stage(name, return_state=True).is_failed()
    assert calls == ["usage", "inputs", "exists", *["io"] * 3, *["wrapped-io"] * 3, "denied"]
    denied = one_stage("denied", return_state=True).result(raise_on_failure=False)
    assert isinstance(denied, ReportgenError) and str(denied).startswith(
        "cannot write /srv/panel/outputs: Permission denied")


def as_watch_prints(message: str, level: int) -> str:
    """A run's log line as `prefect deployment run … --watch` prints it: through Prefect's own formatter, as
    Rich markup, on a wide terminal."""
    import datetime
    import io
    import uuid

    from prefect.cli.flow_runs_watching import FlowRunFormatter
    from prefect.client.schemas.objects import Log
    from rich.console import Console

    out = io.StringIO()
    log = Log(name="prefect.flow_runs", level=level, message=message, timestamp=datetime.datetime.now(datetime.UTC),
              flow_run_id=uuid.uuid4())
    Console(file=out, width=1000, highlight=False).print(FlowRunFormatter().format(log))
    return out.getvalue()


def test_a_reason_naming_a_settings_table_keeps_it_as_watch_prints_a_deployment_runs_log() -> None:
    """`prefect deployment run … --watch` prints each log line of the run as Rich markup: "[mail] needs
    smtp.host …" came out as " needs smtp.host …", and the person was not told which table of reportgen.toml
    to edit. In a deployment's run the tables are written as TOML also allows, "[ mail ]"."""
    from reportgen.shells.prefect_flows import as_parameters

    def watched(reason: str) -> str:
        return as_watch_prints(f"reportgen: error: {as_parameters(reason)}", level=40)

    assert "reportgen: error: [ mail ] needs smtp.host and from_address to send; or use dry_run=true" in watched(
        "[mail] needs smtp.host and from_address to send; or use --dry-run")
    assert ('reportgen.toml: [ paper ] names an unknown column key; [[ register.extra ]] takes key, heading; '
            '[ partners."Wessex Police" ] files') in watched(
        'reportgen.toml: [paper] names an unknown column key; [[register.extra]] takes key, heading; '
        '[partners."Wessex Police"] files')


def test_a_blocked_runs_log_names_each_blocking_issue_once_and_whole_as_watch_prints_it(tmp_path: Path) -> None:
    """A deployment's "Blocked" run logs each issue that blocks publication. Its file was written before the
    message even when the message starts with it ("x.xlsx: x.xlsx could not be read"), unlike the artifact and
    the terminal; and `--watch` prints each line as Rich markup, so a status the partner wrote "[tbc]" vanished
    from the line that said it was not recognised."""
    from conftest import default_returns, make_workspace
    from reportgen.shells.prefect_flows import summary_log_lines

    def watched(line: str) -> str:
        return as_watch_prints(f"reportgen: {line}", level=30)

    returns = default_returns()
    returns["opcc.xlsx"] = [(row[0], row[1], "[tbc]", *row[3:]) if row[0] == 2 else row
                            for row in returns["opcc.xlsx"]]
    root = make_workspace(tmp_path / "ws", returns=returns)
    broken = root / "inputs" / "returns" / "2026-10" / "criminal-justice-board.xlsx"
    broken.write_bytes(b"not a workbook")
    result = build_draft(root)
    printed = "\n".join(watched(line) for line in summary_log_lines(result))
    blocks = [line for line in printed.splitlines() if "Blocks publication:" in line]
    assert len(blocks) == len(result.blocking) >= 2, printed
    shown = "inputs/returns/2026-10/criminal-justice-board.xlsx"
    unreadable = next(line for line in blocks if shown in line)
    assert unreadable.count(shown) == 1 and f"Blocks publication: {shown} is " in unreadable, printed
    assert "status '[ tbc]' is not recognised" in printed, printed


def test_flow_script_refuses_a_wrong_request_in_one_line_before_prefect_starts(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    for args in (["--workspace", str(root), "--period", "2023-13"], ["--workspace", str(tmp_path / "nowhere")]):
        done = subprocess.run([sys.executable, str(ROOT / "flows" / "monthly_update.py"), *args],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, done.stdout + done.stderr
        assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1
        assert done.stderr.startswith("reportgen: error: ")
    assert not (root / "outputs" / "2026-10").exists()


def test_flow_scripts_describe_every_option() -> None:
    from reportgen.shells.flow_cli import make_parser

    for script in sorted((ROOT / "flows").glob("*.py")):
        command = make_parser(script.stem)
        assert command.help, script.name
        for param in command.params:
            assert getattr(param, "help", None), f"{script.name} {param.name}"
    done = subprocess.run([sys.executable, str(ROOT / "flows" / "panel_paper.py"), "--help"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "--edition [public|restricted]" in done.stdout, done.stderr
    assert "leaves exempt actions out" in done.stdout


SLOW_RECORDER = """
import os

if os.environ.get("PREFECT__SERVER_EPHEMERAL") == "1":  # only in Prefect's embedded server process
    import asyncio

    import prefect.server.services.task_run_recorder as recorder

    _record = recorder.record_bulk_task_run_events

    async def late(events):
        await asyncio.sleep(0.3)
        await _record(events)

    recorder.record_bulk_task_run_events = late
"""


@pytest.mark.slow
def test_a_flow_script_exits_once_the_embedded_server_has_written_the_runs_history(tmp_path: Path) -> None:
    """The embedded server writes task runs from their events a moment after they end, and is stopped
    when the script exits. Its task-run recorder is made slow here (0.3 s an event, in the server's
    process only): without the wait, the stop cut the last writes short, the history lacked most task
    runs and a CancelledError traceback followed the script's result (seen now and then in CI)."""
    root = copy_example(tmp_path / "ws")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(SLOW_RECORDER)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect-home"), "PYTHONPATH": str(tmp_path / "site"),
            "PREFECT_LOGGING_LEVEL": "INFO"}  # as an IT person may set it: the run's log is kept too
    done = subprocess.run([sys.executable, str(ROOT / "flows" / "panel_paper.py"), "--workspace", str(root)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == str(root / "outputs" / "2026-10" / "draft-01")
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr  # INFO lines only
    assert "hook" not in done.stderr.lower()  # no two lines a task about our own bookkeeping
    with sqlite3.connect(tmp_path / "prefect-home" / "prefect.db") as db:
        runs = db.execute("select task_run.name, task_run.state_type from task_run join flow_run"
                          " on task_run.flow_run_id = flow_run.id where flow_run.state_type = 'COMPLETED'").fetchall()
    stages = {"prepare", "check", "paper", "render-docx", "render-pdf", "render-html", "write-records",
              "collect-issues", "write-tables", "publish"}
    assert sorted(name.rsplit("-", 1)[0] for name, _ in runs) == sorted(stages)
    assert {state for _, state in runs} == {"COMPLETED"}
    with sqlite3.connect(tmp_path / "prefect-home" / "prefect.db") as db:
        logged = [message for (message,) in db.execute("select message from log")]
    assert any("Finished in state Completed" in message for message in logged), logged
    assert not [message for message in logged if "hook" in message.lower()]  # no two lines a task about our hooks


@pytest.mark.slow
def test_waiting_for_the_history_of_a_server_that_is_gone_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """The run is over and its result printed; a server that cannot be asked costs one line on stderr."""
    script = ("import uuid, sys\n"
              "from reportgen.shells import flow_cli, prefect_flows\n"
              "prefect_flows.TASK_RUNS.add(uuid.uuid4())\n"
              "sys.exit(0 if flow_cli.wait_for_history(timeout=2) is False else 3)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines() == [
        "reportgen: the Prefect server could not be asked for this run's history (ConnectError);"
        " the history may lack its last steps"]


def test_the_month_a_run_follows_is_on_the_schedules_clock() -> None:
    """00:30 on 1 April in London is 23:30 on 31 March UTC: the month that has ended is March, not February."""
    import datetime as dt

    from reportgen.shells.prefect_flows import month_ended_before

    utc = dt.UTC
    assert month_ended_before(dt.datetime(2026, 3, 31, 23, 30, tzinfo=utc), "Europe/London") == "2026-03"
    assert month_ended_before(dt.datetime(2026, 3, 31, 23, 30, tzinfo=utc), "UTC") == "2026-02"
    assert month_ended_before(dt.datetime(2026, 10, 31, 23, 30, tzinfo=utc), "Europe/London") == "2026-09"
    assert month_ended_before(dt.datetime(2027, 1, 1, 0, 0, tzinfo=utc), "Europe/London") == "2026-12"


def test_a_run_that_started_a_month_late_says_which_months_paper_it_did_not_build(tmp_path: Path) -> None:
    """Serve was stopped over the end of October; started again on 5 December, Prefect runs the runs it missed, each
    of which builds the newest folder: the run due on 1 October (September's, whose folder exists) built October and
    said nothing, so September's paper went unbuilt unnoticed. Such a run now says so and how to build it. The run
    due on 1 November (October's) built its own month: nothing to say; nor for a run on time."""
    import datetime as dt

    from reportgen.shells.prefect_flows import late_note

    workspace = copy_example(tmp_path / "ws")  # returns folders 2026-09 and 2026-10
    london = zoneinfo.ZoneInfo("Europe/London")
    now = dt.datetime(2026, 12, 5, 9, 0, tzinfo=london)
    assert late_note(workspace, "2026-10", dt.datetime(2026, 10, 1, 7, 0, tzinfo=london), now, "Europe/London") == (
        "this run was due 01 October 2026 07:00 (Europe/London), when September 2026 had just ended, but started "
        "05 December 2026 09:00, and built 2026-10, the newest period folder in inputs/returns; September 2026's paper "
        "(inputs/returns/2026-09) was not built by it: if it is wanted, run monthly-update with period=2026-09, or "
        "reportgen build --period 2026-09")
    assert late_note(workspace, "2026-10", dt.datetime(2026, 11, 1, 7, 0, tzinfo=london), now, "Europe/London") == ""
    on_time = dt.datetime(2026, 10, 1, 7, 5, tzinfo=london)
    assert late_note(workspace, "2026-10", dt.datetime(2026, 10, 1, 7, 0, tzinfo=london), on_time,
                     "Europe/London") == ""
    # a month with no folder then: nothing it could have built (the run due after it says the folder is missing)
    assert late_note(workspace, "2026-10", dt.datetime(2026, 9, 1, 7, 0, tzinfo=london), now, "Europe/London") == ""


def test_a_scheduled_run_is_for_the_month_its_slot_covers_however_late_it_starts() -> None:
    """Serve was stopped over two month-ends; started again on 5 December, Prefect ran each run it had missed, and
    each built the newest returns folder: the runs due on 1 November and 1 December both built October. A run the
    schedule made is now for the month the stretch since the slot before it mostly lies in, on the schedule's clock:
    on the 1st (or the 5th), the month just ended; on the last day of a month, that month. One made by hand
    (`prefect deployment run`, no slot) still builds the newest folder."""
    import datetime as dt
    import uuid

    from prefect.client.schemas.objects import FlowRun

    from reportgen.shells.prefect_flows import slot_period

    london = zoneinfo.ZoneInfo("Europe/London")

    def run(due: dt.datetime, auto_scheduled: bool = True) -> FlowRun:
        return FlowRun(flow_id=uuid.uuid4(), auto_scheduled=auto_scheduled, expected_start_time=due)

    monthly = "0 7 1 * *"
    assert [slot_period(run(dt.datetime(2026, month, 1, 7, 0, tzinfo=london)), monthly, "Europe/London")
            for month in (10, 11, 12)] == ["2026-09", "2026-10", "2026-11"]
    # 00:30 on 1 April in London is 23:30 on 31 March UTC: March's run, not February's
    assert slot_period(run(dt.datetime(2026, 4, 1, 0, 30, tzinfo=london)), "30 0 1 * *", "Europe/London") == "2026-03"
    assert slot_period(run(dt.datetime(2026, 4, 1, 0, 30, tzinfo=dt.UTC)), "30 0 1 * *", "UTC") == "2026-03"
    assert slot_period(run(dt.datetime(2026, 11, 5, 7, 0, tzinfo=london)), "0 7 5 * *", "Europe/London") == "2026-10"
    assert slot_period(run(dt.datetime(2026, 11, 30, 17, 0, tzinfo=london)), "0 17 L * *", "Europe/London") == "2026-11"
    assert slot_period(run(dt.datetime(2026, 11, 2, 7, 0, tzinfo=london)), "0 7 * * 1", "Europe/London") == "2026-10"
    assert slot_period(run(dt.datetime(2026, 11, 9, 7, 0, tzinfo=london)), "0 7 * * 1", "Europe/London") == "2026-11"
    by_hand = run(dt.datetime(2026, 12, 1, 7, 0, tzinfo=london), auto_scheduled=False)
    assert slot_period(by_hand, monthly, "Europe/London") is None
    assert slot_period(None, monthly, "Europe/London") is None


def test_a_scheduled_run_whose_month_has_no_returns_folder_says_which_folder_and_what_to_do(tmp_path: Path) -> None:
    """The run due on 1 December (November's) found no November folder, warned, and built October again, kept as a
    new October draft that a reader took for the month's paper. It now builds nothing and says which folder it
    expected and how to run the month once the returns are in (and that a folder named otherwise is not read)."""
    import datetime as dt

    from reportgen.shells.prefect_flows import slot_folder_missing

    workspace = copy_example(tmp_path / "ws")  # returns folders 2026-09 and 2026-10
    due = dt.datetime(2026, 12, 1, 7, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    assert slot_folder_missing(workspace, "2026-10", due, "Europe/London", "monthly-update/monthly") == ""
    said = ("this scheduled run, due 01 December 2026 07:00 (Europe/London), is November 2026's run, but November "
            "2026 has no returns folder (inputs/returns/2026-11), so nothing was built: put its returns there, then "
            "run it: prefect deployment run 'monthly-update/monthly' --param period=2026-11.")
    assert slot_folder_missing(workspace, "2026-11", due, "Europe/London", "monthly-update/monthly") == said
    (workspace / "inputs" / "returns" / "November 2026").mkdir()
    assert slot_folder_missing(workspace, "2026-11", due, "Europe/London", "monthly-update/monthly") == said + (
        " inputs/returns holds November 2026, not named as a period: a period's returns are read from its folder, "
        "e.g. inputs/returns/2026-11.")


def test_two_panels_workspaces_keep_their_own_artifacts(tmp_path: Path) -> None:
    """Artifacts were keyed by period alone (paper-2026-10-public): with two Panels' workspaces on one server, the
    UI's latest paper of October alternated between them. Each key now names its workspace, as Prefect keys may."""
    from reportgen.shells.prefect_flows import artifact_key

    one, other = tmp_path / "north" / "Panel Papers", tmp_path / "south" / "Panel Papers"
    keys = {artifact_key("paper", "2026-10", "public", workspace=where) for where in (one, other)}
    assert len(keys) == 2
    assert all(re.fullmatch(r"paper-panel-papers-[0-9a-f]{6}-2026-10-public", key) for key in keys), keys
    assert artifact_key("paper", "2026-10", "public", workspace=one / ".." / one.name) in keys  # the same folder
