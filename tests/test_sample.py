"""The real February 2023 workspace (../shared/sample-2023): what a careful officer would find."""

from __future__ import annotations

import pytest

from conftest import SAMPLE, needs_sample
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
    ]


def test_validate_command_prints_issues_and_exits_1(capsys) -> None:
    code = main(["validate", "--workspace", str(SAMPLE)])
    out = capsys.readouterr().out
    assert code == 1
    assert "147 actions" in out and "Completed 33, In progress 86, Not started 26" in out
    assert "Action 46 has no status" in out
    assert "Not started yet – phase 2" in out and "Did you mean 'Not started'?" in out
    assert "2 errors" in out
