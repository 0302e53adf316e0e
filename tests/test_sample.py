"""The real February 2023 workspace (../shared/sample-2023): what a careful officer would find."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import SAMPLE, keep_draft, needs_sample
from reportgen.check.checked import check_inputs
from reportgen.read.workspace import find_inputs
from reportgen.settings import CANONICAL_STATUSES
from reportgen.shells.cli import main

pytestmark = needs_sample


@pytest.fixture(scope="module")
def checked():
    inputs, found = find_inputs(SAMPLE)
    return check_inputs(inputs, found=found)


def test_sample_merges_all_147_actions(checked) -> None:
    assert len(checked.merged.actions) == 147
    assert [a.ref for a in checked.merged.actions] == list(range(1, 148))
    assert checked.merged.counts(CANONICAL_STATUSES) == {
        "Completed": 33, "In progress": 86, "Not started": 26, "On hold": 0}


def test_sample_issues_are_the_empty_and_the_unrecognised_status(checked) -> None:
    assert [(i.code, i.ref, i.file, i.row, i.column) for i in checked.issues] == [
        ("empty-status", 46, "inputs/returns/2023-02/criminal-justice-board.xlsx", 13,
         "Status this reporting period"),
        ("unknown-status", 24, "inputs/returns/2023-02/opcc.xlsx", 8, "Status this reporting period"),
        ("no-update", 46, "inputs/register.xlsx", 47, ""),  # its row has nothing written: no update
    ]


def test_validate_command_prints_issues_and_exits_1(capsys) -> None:
    code = main(["validate", "--workspace", str(SAMPLE)])
    out = capsys.readouterr().out
    assert code == 1
    assert "147 actions" in out and "Completed 33, In progress 86, Not started 26" in out
    assert "Action 46 has no status" in out
    assert "Not started yet – phase 2" in out and "Did you mean 'Not started'?" in out
    assert "2 errors" in out


def test_march_workbooks_keep_februarys_wording_where_no_status_was_recognised(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Action 24's February status was not recognised, 46's was empty: March's workbooks keep 24's explanation and
    timeframe with the status blank, and say why for each, whether or not February's draft is kept."""
    root = shutil.copytree(SAMPLE, tmp_path / "s23")

    def made(out: Path) -> dict[int, tuple[object, ...]]:
        assert main(["returns", "--workspace", str(root), "--period", "2023-03", "--out", str(out)]) == 0
        printed = " ".join(capsys.readouterr().out.split())
        assert ("row 25: Action 24 (OPCC): the status reported in February 2023, 'Not started yet – phase 2', was "
                "not recognised, so its workbook leaves the status blank for the partner to choose") in printed
        assert "row 47: Action 46 (Criminal Justice Board): no status, explanation or timeframe was reported" in printed
        return {row[0]: row[3:] for name in ("opcc.xlsx", "criminal-justice-board.xlsx")
                for row in openpyxl.load_workbook(out / name)["Return"].iter_rows(values_only=True)
                if row[0] in (24, 46)}

    before_draft = made(tmp_path / "no-draft")
    assert before_draft == {
        24: (None, "Further to action 23 - the second phase following completion of the change review will look at "
                   "behaviour and cultural change.", "Autumn 2023"),
        46: (None, None, None)}
    keep_draft(root, "2023-02")
    assert made(tmp_path / "from-draft") == before_draft
    assert (tmp_path / "no-draft" / "opcc.xlsx").read_bytes() == (tmp_path / "from-draft" / "opcc.xlsx").read_bytes()

    # March, with no OPCC return: the paper shows February's wording for 24, as its workbook does
    (root / "inputs" / "returns" / "2023-03").mkdir()
    shutil.copy(tmp_path / "from-draft" / "hertfordshire-constabulary.xlsx", root / "inputs" / "returns" / "2023-03")
    _folder, march = keep_draft(root, "2023-03")
    row = next(row for row in march.rows if row.ref == 24)
    assert (row.status_label, row.cell("explanation").text, row.timeframe) == ("No update", before_draft[24][1],
                                                                               "Autumn 2023")
