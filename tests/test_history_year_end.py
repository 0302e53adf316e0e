"""`reportgen history` over a year of papers, as an analyst runs it for a year-end report: where it may write, what
its cells say, and what it and `build` advise when a month is built again after later months."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import default_returns, make_workspace, write_xlsx
from reportgen.shells.cli import main


def test_history_refuses_an_out_folder_named_like_a_kept_draft(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen history --out outputs/2026-10/draft-09` was accepted: the folder, holding no manifest.json, was then
    an unfinished draft to every build and history after it ("holds no manifest.json… not a finished draft"), and
    `diff` called it "not a draft folder". It is refused, as `build --out` refuses another period's draft name."""
    root = make_workspace(tmp_path / "ws")
    assert main(["build", "--workspace", str(root)]) == 0
    capsys.readouterr()
    for named in ("2026-10/draft-09", "2026-09/draft-01"):
        out = root / "outputs" / named
        assert main(["history", "--workspace", str(root), "--out", str(out)]) == 2
        err = " ".join(capsys.readouterr().err.split())
        assert f"--out {out} looks like a draft folder of {named[:7]}, but the history is not a draft" in err
        assert "choose a folder not named draft-NN" in err and not out.exists()
    assert main(["history", "--workspace", str(root), "--out", str(root / "outputs" / "year-end")]) == 0
    assert main(["build", "--workspace", str(root)]) == 0
    assert "no manifest.json" not in capsys.readouterr().out


def _refused_history(root: Path, *args: str) -> str:
    """`reportgen history ARGS` as an analyst runs it, in a process of its own, refused: what it said."""
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "history", "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return " ".join(done.stderr.split())


def test_a_history_with_no_draft_to_read_gives_the_build_command_that_makes_one(tmp_path: Path) -> None:
    """With no restricted draft, `reportgen history --edition restricted` advised "build a paper first (reportgen
    build)", and with the only restricted draft damaged "build that period's paper again (reportgen build)": a plain
    build makes the public paper of the newest period, so following either still left no restricted draft."""
    root = make_workspace(tmp_path / "ws", period="2026-09")
    (root / "inputs" / "returns" / "2026-10").mkdir()  # the newest period, not the one to build again
    told = _refused_history(root, "--edition", "restricted")
    assert told.endswith("build a paper first (reportgen build --period 2026-10 --edition restricted)")
    assert main(["build", "--workspace", str(root), "--period", "2026-09", "--edition", "restricted"]) == 0
    told = _refused_history(root)  # the public history, with only a restricted draft kept
    assert "only restricted ones: build the public paper (reportgen build --period 2026-09)" in told
    damaged = root / "outputs" / "2026-09" / "draft-01"
    (damaged / "draft.json").write_text("{", encoding="utf-8")
    told = _refused_history(root, "--edition", "restricted")
    assert told.endswith("build that period's paper again (reportgen build --period 2026-09 --edition restricted)")


def test_the_history_sets_apart_a_status_not_recognised_and_cells_with_no_status(tmp_path: Path) -> None:
    """Wessex Police wrote "Done" for action 1 and left action 3's status empty; the Criminal Justice Board sent no
    return. The paper showed "Done / Status not recognised", but the history's cell said plain "Done", unshaded and
    with no comment, beside "No status given" and "No update", and its Notes explained only blanks and carried
    statuses: a pivot on status gained "Done" as a status. Each is set apart and explained; the csv says "Done /
    Status not recognised", which no status of the plan's reads as."""
    import pandas as pd

    returns = default_returns()
    police = returns["wessex-police.xlsx"]
    police[1:] = [(ref, text, {1: "Done", 3: ""}.get(ref, status), update, when)  # type: ignore[misc]
                  for ref, text, status, update, when in police[1:]]
    del returns["criminal-justice-board.xlsx"]
    root = make_workspace(tmp_path / "ws", period="2026-09", returns=returns)
    for command, exit_code in ((["build", "--period", "2026-09"], 1), (["history"], 0)):  # the build: 2 errors
        done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *command, "--workspace", str(root)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == exit_code and "Traceback" not in done.stderr, done.stdout + done.stderr
    out = root / "outputs" / "history"
    history = pd.read_csv(out / "history.csv")
    assert dict(zip(history["Ref"], history["2026-09"], strict=True)) == {
        1: "Done / Status not recognised", 2: "In progress", 3: "No status given", 4: "In progress",
        5: "No update", 6: "Completed"}
    book = openpyxl.load_workbook(out / "history.xlsx")
    cells = {row[0].value: row[4] for row in book["History"].iter_rows(min_row=2)}
    assert cells[1].value == "Done / Status not recognised"
    assert {ref for ref, cell in cells.items() if cell.comment} == {1, 3, 5}
    assert all(cell.font.i and cell.fill.fill_type == "solid" for ref, cell in cells.items() if ref in (1, 3, 5))
    assert cells[1].comment.text.startswith('Status not recognised: the lead wrote "Done", which is none of the plan')
    assert cells[3].comment.text.startswith("No status given: the lead's update left the status empty")
    assert cells[5].comment.text.startswith("No update: none was received this period")
    notes = dict(book["Notes"].iter_rows(min_row=2, values_only=True))
    assert notes["No recognised status"].startswith("A status shaded grey and in italics, with a comment, may be none "
                                                    "of the plan's statuses")
    assert notes["No recognised status"].endswith("leave them out when counting or grouping by status. 3 cells in all.")


def _cli(root: Path, *args: str) -> str:
    """A reportgen command as the officer runs it, in a process of its own: what it printed."""
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *args, "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return " ".join(done.stdout.split())


def _returns(statuses: dict[int, str], without: str = "") -> dict[str, list[tuple[object, ...]]]:
    returns = default_returns()
    for rows in returns.values():
        rows[1:] = [(ref, text, statuses.get(ref, status), update, when)  # type: ignore[misc]
                    for ref, text, status, update, when in rows[1:]]
    returns.pop(without, None)
    return returns


def test_building_a_month_again_after_later_months_names_the_months_to_build_again(tmp_path: Path) -> None:
    """OPCC's October return came late. October was built again (draft-02), while November already had a draft
    built on October's draft-01, carrying OPCC's statuses from it: the build said "Nothing to do to pick up a late or
    corrected return", nothing said November still carried the old statuses, and the history showed October's new
    statuses beside November's carried old ones. The build now names the months to build again, and the history
    says which month was built on an older draft than the one it reads."""
    import pandas as pd

    root = make_workspace(tmp_path / "ws", period="2026-09", returns=_returns({}))
    _cli(root, "build", "--period", "2026-09")
    for period in ("2026-10", "2026-11"):  # OPCC (actions 2, 4 and 6) sends no return: September's carried forward
        for name, rows in _returns({1: "Completed"}, without="opcc.xlsx").items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        _cli(root, "build", "--period", period)
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "opcc.xlsx",  # the late return: 2 and 4 moved on
               _returns({2: "Completed", 4: "On hold"})["opcc.xlsx"])
    said = _cli(root, "build", "--period", "2026-10")
    assert ("2026-11 was built on 2026-10/draft-01, and this draft of October 2026 changes its statuses (2 statuses "
            "differ: actions 2 and 4)") in said
    assert "Build it again to carry this draft's statuses forward: reportgen build --period 2026-11" in said
    issues = pd.read_csv(root / "outputs" / "2026-10" / "draft-02" / "issues.csv")
    assert list(issues[issues["code"] == "later-periods-stale"]["severity"]) == ["warning"]

    said = _cli(root, "history")
    older = ("outputs/2026-11/draft-01 was built on 2026-10/draft-01, an older draft of October 2026 than the one this "
             "history reads (outputs/2026-10/draft-02)")
    assert older in said
    notes = dict(openpyxl.load_workbook(root / "outputs" / "history" / "history.xlsx")["Notes"]
                 .iter_rows(min_row=2, values_only=True))
    assert older in notes["2026-11"] and "older draft" not in notes["2026-10"]

    # November built again on October's new draft: nothing left to say, and October built again unchanged says nothing
    _cli(root, "build", "--period", "2026-11")
    assert "older draft" not in _cli(root, "history")
    assert "later-periods-stale" not in _cli(root, "build", "--period", "2026-10", "--all") + " ".join(
        (root / "outputs" / "2026-10" / "draft-03" / "issues.csv").read_text(encoding="utf-8-sig").split())


def test_one_status_changed_in_a_month_built_again_is_said_in_the_singular(tmp_path: Path) -> None:
    """OPCC's late October return moves one action on: the warning said "1 status differ"; it says "differs"."""
    import pandas as pd

    root = make_workspace(tmp_path / "ws", period="2026-09", returns=_returns({}))
    _cli(root, "build", "--period", "2026-09")
    for period in ("2026-10", "2026-11"):  # OPCC (actions 2, 4 and 6) sends no return: September's carried forward
        for name, rows in _returns({}, without="opcc.xlsx").items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        _cli(root, "build", "--period", period)
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "opcc.xlsx",  # the late return: only 2 moved on
               _returns({2: "Completed"})["opcc.xlsx"])
    said = _cli(root, "build", "--period", "2026-10")
    assert "changes its statuses (1 status differs: action 2)" in said
    issues = pd.read_csv(root / "outputs" / "2026-10" / "draft-02" / "issues.csv")
    [message] = issues[issues["code"] == "later-periods-stale"]["message"]
    assert "(1 status differs: action 2)" in message
