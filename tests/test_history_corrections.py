"""A period built again after its paper went out, for a corrected return: `reportgen history` reads the period's
newest draft, and says, in the corrected cell's comment and the period's note, what the earlier draft with nothing
blocking it said, so the status first published is not lost from the history."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from conftest import default_returns, make_workspace, write_xlsx
from reportgen.shells.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """One command as the officer runs it: its exit code and what it printed."""
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def police_return(root: Path, name: str, status: str) -> None:
    """Wessex Police's September return saved as `name`, action 3's status `status`."""
    rows = [row if row[0] != 3 else (3, row[1], status, row[3], row[4])
            for row in default_returns()["wessex-police.xlsx"]]
    write_xlsx(root / "inputs" / "returns" / "2026-09" / name, rows)


def history_of(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict[tuple[int, str], str | None], str]:
    """`reportgen history`: each (ref, period) cell's comment, and the Notes sheet's note of 2026-09."""
    code, out = run(capsys, "history", "--workspace", str(root))
    assert code == 0, out
    book = openpyxl.load_workbook(root / "outputs" / "history" / "history.xlsx")
    headings, *rows = list(book["History"].iter_rows())
    periods = [str(cell.value) for cell in headings]
    comments = {(int(str(row[0].value)), periods[index]): (cell.comment.text if cell.comment else None)
                for row in rows for index, cell in enumerate(row) if periods[index].startswith("2026-")}
    [note] = [text for heading, text in book["Notes"].iter_rows(values_only=True) if heading == "2026-09"]
    return comments, str(note)


def test_a_status_corrected_after_publication_keeps_what_the_published_draft_said(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The history showed September's corrected status alone: the status the Panel's paper had printed was gone
    from it, with nothing saying it had been corrected."""
    make_workspace(tmp_path, "2026-09")
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    police_return(tmp_path, "wessex-police v2.xlsx", "Completed")  # it said Not started
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    comments, note = history_of(tmp_path, capsys)
    assert comments[(3, "2026-09")] == ("Corrected: outputs/2026-09/draft-01, an earlier draft of this period with "
                                       "nothing blocking publication, said 'Not started'.")
    assert comments[(1, "2026-09")] is None
    assert note.endswith(" 1 status corrected since an earlier draft of this period with nothing blocking "
                         "publication: action 3 (outputs/2026-09/draft-01 said 'Not started', now 'Completed').")
    book = openpyxl.load_workbook(tmp_path / "outputs" / "history" / "history.xlsx")
    [row] = [row for row in book["History"].iter_rows(values_only=True) if row[0] == 3]
    assert row[-1] == "Completed"


def test_a_draft_blocked_from_publication_is_not_taken_for_a_published_status(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """September's first draft was blocked (a status not recognised) and marked not for publication: the second,
    with the status mended, corrects nothing the Panel saw, and the history says no correction."""
    make_workspace(tmp_path, "2026-09")
    police_return(tmp_path, "wessex-police.xlsx", "Finished-ish")
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 1
    police_return(tmp_path, "wessex-police v2.xlsx", "Completed")
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    comments, note = history_of(tmp_path, capsys)
    assert comments[(3, "2026-09")] is None
    assert "corrected" not in note


def _published_then_revised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """September's draft-01 built (action 3 'Not started'), the police's corrected return saved ('Completed') and
    draft-02 built revising it; draft-01's folder."""
    make_workspace(tmp_path, "2026-09")
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    police_return(tmp_path, "wessex-police v2.xlsx", "Completed")
    published = tmp_path / "outputs" / "2026-09" / "draft-01"
    assert run(capsys, "publish", "--workspace", str(tmp_path), str(published))[0] == 0
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09", "--revises", str(published))
    assert code == 0, out
    return published


def test_an_earlier_draft_that_cannot_be_read_is_said_not_skipped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The published draft of September damaged (its draft.json cut short by a copy): the history showed the
    corrected status with no comment and no word of the draft it could not read, as if nothing had been corrected."""
    published = _published_then_revised(tmp_path, capsys)
    kept = (published / "draft.json").read_bytes()
    (published / "draft.json").write_bytes(kept[:len(kept) // 2])
    code, out = run(capsys, "history", "--workspace", str(tmp_path))
    assert code == 0, out
    said = ("An earlier draft of 2026-09 could not be read, so the history cannot say which statuses it published "
            "outputs/2026-09/draft-02, the draft shown for 2026-09, corrected: outputs/2026-09/draft-01/draft.json")
    printed = " ".join(out.split())
    assert "outputs/2026-09/draft-01 warning " + said in printed
    assert "→ Restore the draft folder from a backup, then run reportgen history again" in printed
    comments, _note = history_of(tmp_path, capsys)
    assert comments[(3, "2026-09")] is None  # nothing to compare with: not marked, and said so
    book = openpyxl.load_workbook(tmp_path / "outputs" / "history" / "history.xlsx")
    [not_read] = [text for heading, text in book["Notes"].iter_rows(values_only=True) if heading == "Not read"]
    assert str(not_read).startswith(said)
    assert str(tmp_path) not in str(not_read)
    assert (published / "draft.json").read_bytes() == kept[:len(kept) // 2]


def test_the_csv_history_carries_the_corrections_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """history.csv, one plain status a cell, said only the corrected status, and no csv said what the published
    draft had: a script or an analyst working from the csv files lost the status first published."""
    _published_then_revised(tmp_path, capsys)
    code, out = run(capsys, "history", "--workspace", str(tmp_path))
    assert code == 0, out
    folder = tmp_path / "outputs" / "history"
    assert str(folder / "history-corrected.csv") in out.splitlines()
    with (folder / "history-corrected.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows == [["Ref", "Period", "Status", "Earlier draft", "Earlier status"],
                    ["3", "2026-09", "Completed", "outputs/2026-09/draft-01", "Not started"]]
    with (folder / "history.csv").open(encoding="utf-8-sig", newline="") as file:
        history = {row["Ref"]: row for row in csv.DictReader(file)}
    assert history["3"]["2026-09"] == "Completed"  # joined on Ref and Period
    book = openpyxl.load_workbook(folder / "history.xlsx")
    [note] = [text for heading, text in book["Notes"].iter_rows(values_only=True) if heading == "Corrected"]
    assert "history-corrected.csv lists each by Ref and Period" in str(note) and str(note).endswith("1 status in all.")
    code, out = run(capsys, "history", "--workspace", str(tmp_path), "--edition", "restricted")
    assert code == 0, out  # the restricted history reads the public drafts here: corrections marked as its rows are
    with (tmp_path / "outputs" / "history-restricted" / "history-restricted-corrected.csv").open(
            encoding="utf-8-sig", newline="") as file:
        marked = list(csv.reader(file))
    assert marked[0][-1] == "Marking" and marked[1][:5] == rows[1] and marked[1][-1] == "RESTRICTED"


def corrected_rows(root: Path, capsys: pytest.CaptureFixture[str]) -> list[list[str]]:
    code, out = run(capsys, "history", "--workspace", str(root))
    assert code == 0, out
    with (root / "outputs" / "history" / "history-corrected.csv").open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))[1:]


def test_a_correction_is_listed_once_against_the_paper_published(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A check's draft (draft-01), the paper published (draft-02), then its revision (draft-03) once the corrected
    return came: history-corrected.csv listed action 3 twice, once for each earlier draft, the check's draft as if
    the Panel had read it."""
    make_workspace(tmp_path, "2026-09")
    for _ in range(2):
        assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    published = tmp_path / "outputs" / "2026-09" / "draft-02"
    assert run(capsys, "publish", "--workspace", str(tmp_path), str(published))[0] == 0
    police_return(tmp_path, "wessex-police v2.xlsx", "Completed")
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09",
               "--revises", str(published))[0] == 0
    assert corrected_rows(tmp_path, capsys) == [["3", "2026-09", "Completed", "outputs/2026-09/draft-02",
                                                 "Not started"]]
    comments, note = history_of(tmp_path, capsys)
    assert comments[(3, "2026-09")] == "Corrected: outputs/2026-09/draft-02, the paper published, said 'Not started'."
    assert note.endswith(" 1 status corrected since the paper published: action 3 (outputs/2026-09/draft-02 said "
                         "'Not started', now 'Completed').")


def test_with_no_paper_recorded_a_correction_is_listed_once_against_the_newest_earlier_draft(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No draft recorded as published (a workspace kept before `reportgen publish`): two earlier drafts saying the
    same gave two rows for one correction."""
    make_workspace(tmp_path, "2026-09")
    for _ in range(2):
        assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    police_return(tmp_path, "wessex-police v2.xlsx", "Completed")
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    assert corrected_rows(tmp_path, capsys) == [["3", "2026-09", "Completed", "outputs/2026-09/draft-02",
                                                 "Not started"]]
