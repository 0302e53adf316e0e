"""A draft's period is the one it records, not its folder's name: drafts built with `--out`, as an officer builds
and compares them, and read back from what the build, `reportgen history` and `reportgen diff` write.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from conftest import copy_example
from reportgen.shells.cli import main

CARRIED = ["7", "8", "11", "18", "34"]  # the example's October actions with no update: carried from September


def build(workspace: Path, *options: str) -> int:
    return main(["build", "--workspace", str(workspace), *options])


def misplace(workspace: Path, folder: str, capsys: pytest.CaptureFixture[str]) -> Path:
    """October's paper, built as a draft-01 elsewhere and left in `outputs/<folder>/`, as a build with
    `--out outputs/<folder>/draft-01` left it before such an `--out` was refused."""
    assert build(workspace, "--out", str(workspace.parent / "elsewhere" / "draft-01")) == 0
    target = workspace / "outputs" / folder / "draft-01"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(workspace.parent / "elsewhere" / "draft-01", target)
    capsys.readouterr()
    return target


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_a_build_out_named_like_another_periods_draft_is_refused_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = copy_example(tmp_path / "ws")
    monkeypatch.chdir(workspace)
    for folder in ("2026-09", "2026-11"):
        assert build(workspace, "--out", f"outputs/{folder}/draft-01") == 2
        said = " ".join(capsys.readouterr().err.split())
        assert (f"--out outputs/{folder}/draft-01 looks like a draft folder of {folder}, but this paper is for "
                "2026-10") in said
        assert "Leave out --out to keep it as the next draft of 2026-10" in said
    assert not (workspace / "outputs").exists()
    # October's own folder, or a folder not named like a draft, is still a place for October's paper
    assert build(workspace, "--out", "outputs/2026-10/draft-05") == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(workspace / "outputs" / "2026-10" / "draft-05")


def test_a_build_out_named_like_another_periods_draft_outside_the_outputs_is_kept_there(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--out elsewhere/2026-09/draft-01` outside the workspace was refused, "later builds would take it for a draft
    of 2026-09", though no build reads a folder outside the workspace's outputs: the draft is kept there, and the
    workspace's next draft is October's first, with nothing said to be misplaced. Where outputs/ is a link to a
    shared folder, the same name inside that folder is still refused: builds list their drafts through the link."""
    workspace = copy_example(tmp_path / "ws")
    elsewhere = tmp_path / "elsewhere" / "2026-09" / "draft-01"
    assert build(workspace, "--out", str(elsewhere)) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(elsewhere)
    assert json.loads((elsewhere / "manifest.json").read_text(encoding="utf-8"))["manifest"]["period"] == "2026-10"
    assert (elsewhere / "paper.pdf").is_file()
    assert build(workspace) == 0
    printed = capsys.readouterr().out
    assert "misplaced" not in printed and "kept in the folder of" not in printed
    assert printed.strip().splitlines()[-1] == str(workspace / "outputs" / "2026-10" / "draft-01")

    shared = tmp_path / "shared"
    (workspace / "outputs").rename(shared)
    (workspace / "outputs").symlink_to(shared)
    assert build(workspace, "--out", str(shared / "2026-09" / "draft-01")) == 2
    assert "later builds would take it for a draft of 2026-09" in " ".join(capsys.readouterr().err.split())
    assert not (shared / "2026-09").exists()


def test_a_draft_left_in_an_earlier_periods_folder_is_neither_carried_from_nor_a_column_of_the_history(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = copy_example(tmp_path / "ws")
    misplaced = misplace(workspace, "2026-09", capsys)
    kept = {path.name: path.read_bytes() for path in misplaced.iterdir()}
    assert build(workspace) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "from draft 2026-09/draft-01" not in printed  # October's own paper was no September draft
    # headed and named from the workspace, as every other issue's file
    assert ("outputs/2026-09/draft-01 warning outputs/2026-09/draft-01 is a draft of 2026-10, kept in the folder of "
            "2026-09: a draft's period is the one it records") in printed
    assert str(misplaced) not in printed
    assert printed.endswith(str(workspace / "outputs" / "2026-10" / "draft-01"))
    issues = csv_rows(workspace / "outputs" / "2026-10" / "draft-01" / "issues.csv")
    assert [row[0] for row in issues].count("misplaced-draft") == 1
    [row] = [row for row in issues if row[0] == "misplaced-draft"]
    assert row[issues[0].index("file")] == "outputs/2026-09/draft-01"
    assert {path.name: path.read_bytes() for path in misplaced.iterdir()} == kept

    assert main(["history", "--workspace", str(workspace)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "35 actions over 1 period: 2026-10" in printed
    assert "the history reads it as a draft of neither period" in printed
    assert csv_rows(workspace / "outputs" / "history" / "history.csv")[0][4:] == ["2026-10"]
    notes = dict(openpyxl.load_workbook(workspace / "outputs" / "history" / "history.xlsx")["Notes"].iter_rows(
        min_row=2, values_only=True))
    assert "outputs/2026-10/draft-01" in notes["2026-10"]
    assert "2026-09" not in notes
    assert "is a draft of 2026-10, kept in the folder of 2026-09" in notes["Not read"]
    assert "no column for" not in notes["Not read"]
    # November's workbooks are pre-filled from October's own draft, and say why the other was not read
    assert main(["returns", "--workspace", str(workspace), "--period", "2026-11"]) == 0
    assert "outputs/2026-09/draft-01 is a draft of 2026-10, kept in the folder of 2026-09" in " ".join(
        capsys.readouterr().out.split())


def test_a_draft_left_in_a_later_periods_folder_is_not_read_twice_into_the_history(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = copy_example(tmp_path / "ws")
    assert build(workspace) == 0
    misplace(workspace, "2026-11", capsys)
    assert main(["history", "--workspace", str(workspace)]) == 0
    capsys.readouterr()
    carried = csv_rows(workspace / "outputs" / "history" / "history-carried-forward.csv")
    assert [row[:2] for row in carried[1:]] == [[ref, "2026-10"] for ref in CARRIED]
    assert csv_rows(workspace / "outputs" / "history" / "history.csv")[0][4:] == ["2026-10"]
    notes = dict(openpyxl.load_workbook(workspace / "outputs" / "history" / "history.xlsx")["Notes"].iter_rows(
        min_row=2, values_only=True))
    assert notes["2026-10"].endswith("actions 7, 8, 11, 18 and 34.")
    # November's first paper is numbered after the folder already there, never written into it
    (workspace / "inputs" / "returns" / "2026-11").mkdir()
    assert build(workspace, "--period", "2026-11") in (0, 1)
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(workspace / "outputs" / "2026-11" / "draft-02")


def test_a_comparison_names_a_draft_built_with_out_by_its_own_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = copy_example(tmp_path / "ws")
    monkeypatch.chdir(workspace)
    assert build(workspace) == 0
    assert build(workspace, "--edition", "restricted", "--out", "outputs/restricted-september") == 0
    assert build(workspace, "--out", "empty") == 0
    capsys.readouterr()
    assert main(["diff", "outputs/2026-10/draft-01", "outputs/restricted-september", "--allow-restricted",
                 "--out", "restricted-comparison"]) == 0
    printed = capsys.readouterr().out
    assert "2026-10/draft-01 (meeting 05 November 2026; built " in printed
    assert " -> outputs/restricted-september (meeting 05 November 2026; built " in printed
    folder = workspace / "restricted-comparison"
    assert json.loads((folder / "diff.json").read_text(encoding="utf-8"))["diff"]["new"]["draft"] == (
        "outputs/restricted-september")
    html = (folder / "diff.html").read_text(encoding="utf-8")
    assert "<strong>outputs/restricted-september (meeting" in html
    assert "2026-10/restricted-september" not in html
    pdf = " ".join(page.extract_text() for page in PdfReader(folder / "diff.pdf").pages)
    assert "outputs/restricted-september" in pdf and "2026-10/restricted-september" not in pdf

    assert main(["diff", "outputs/2026-10/draft-01", "empty"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("2026-10/draft-01 (meeting 05 November 2026; built ")
    assert " -> empty (meeting 05 November 2026; built " in first
