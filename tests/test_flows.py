"""The Prefect flows on Prefect's embedded default (one test harness for the session)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from reportgen.build import build_draft
from reportgen.drafts import load_draft
from test_build import copy_example


@pytest.fixture(scope="session")
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


def _reproducible(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes()
            for name in ("paper.docx", "paper.pdf", "draft.json", "register.xlsx", "issues.csv", "chase.csv")}


def test_python_cli_and_flow_make_the_same_draft(harness, tmp_path: Path) -> None:
    from reportgen.cli import main
    from reportgen.prefect_flows import panel_paper

    root = copy_example(tmp_path / "ws")
    library = build_draft(root)
    assert main(["build", "--workspace", str(root)]) == 0
    flowed = Path(panel_paper(str(root)))
    folders = [library.folder.name, "draft-02", flowed.name]
    assert folders == ["draft-01", "draft-02", "draft-03"]
    drafts = [_reproducible(root / "outputs" / "2026-10" / name) for name in folders]
    assert drafts[0] == drafts[1] == drafts[2]
    manifests = [load_draft(root / "outputs" / "2026-10" / name)[1].reproducible() for name in folders]
    assert len({json.dumps([m.inputs, m.counts, m.settings_digest, m.issue_counts], default=str)
                for m in manifests}) == 1


def test_monthly_update_compares_with_the_last_draft_and_publishes_artifacts(harness, tmp_path: Path) -> None:
    from prefect.artifacts import Artifact

    from reportgen.prefect_flows import monthly_update

    root = copy_example(tmp_path / "ws")
    september = Path(monthly_update(str(root), "2026-09"))
    october = Path(monthly_update(str(root)))
    assert (september.name, october.parent.name) == ("draft-01", "2026-10")
    comparison = root / "outputs" / "2026-10" / "compare" / "2026-09-draft-01-to-2026-10-draft-01"
    assert sorted(p.name for p in comparison.iterdir()) == ["diff.docx", "diff.html", "diff.json", "diff.pdf"]
    summary = Artifact.get("paper-2026-10-public")
    assert summary is not None and str(october) in str(summary.data)
    assert "Compared with draft-01" in str(summary.data) and "Chase list" in str(summary.data)
    assert "Wessex County Council" in str(summary.data)  # sent no return in October
    issues = Artifact.get("issues-2026-10")
    assert issues is not None and "missing-return" in str(issues.data)
    # carried forward: Wessex County Council's actions keep September's status, marked as such
    paper, _ = load_draft(october)
    carried = [row for row in paper.rows if row.state == "carried-forward"]
    assert carried and all("No update received this period" in row.note for row in carried)


def test_partner_returns_flow_writes_one_workbook_per_lead(harness, tmp_path: Path) -> None:
    from reportgen.prefect_flows import partner_returns

    root = copy_example(tmp_path / "ws")
    folder = Path(partner_returns(str(root), "2026-11"))
    assert sorted(p.name for p in folder.iterdir()) == [
        "community-safety-partnership.xlsx", "criminal-justice-board.xlsx", "opcc.xlsx",
        "wessex-county-council.xlsx", "wessex-police.xlsx"]


@pytest.mark.slow
def test_flow_script_runs_on_the_temporary_server(tmp_path: Path) -> None:
    """`python flows/panel_paper.py` with no server to start: catches a Prefect/fastapi pin gone wrong."""
    root = copy_example(tmp_path / "ws")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    done = subprocess.run([sys.executable, str(ROOT / "flows" / "panel_paper.py"), "--workspace", str(root)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(root / "outputs" / "2026-10" / "draft-01")


def test_prefect_artifacts_of_the_public_edition_hold_no_exempt_text(harness, tmp_path: Path) -> None:
    from prefect.artifacts import Artifact

    from reportgen.prefect_flows import monthly_update
    from test_confidential import CANARY, _workspace

    root = _workspace(tmp_path / "ws", period="2026-11")
    monthly_update(str(root))
    texts = [str(Artifact.get(key).data) for key in ("paper-2026-11-public", "issues-2026-11")]  # type: ignore[union-attr]
    assert "exempt" in texts[0] and "Action 7 is exempt" in texts[1]
    assert all(CANARY not in text for text in texts)


def test_history_flow_writes_the_same_table_as_the_command(harness, tmp_path: Path) -> None:
    from reportgen.cli import main
    from reportgen.prefect_flows import history

    workspace = copy_example(tmp_path / "ws")
    build_draft(workspace, "2026-09")
    build_draft(workspace)
    folder = Path(history(str(workspace), str(tmp_path / "flow")))
    assert main(["history", "--workspace", str(workspace), "--out", str(tmp_path / "cli")]) == 0
    assert (folder / "history.csv").read_bytes() == (tmp_path / "cli" / "history.csv").read_bytes()
    assert (folder / "history.csv").read_text(encoding="utf-8").splitlines()[0].endswith(",2026-09,2026-10")
