"""`reportgen history` of a workspace with public and restricted drafts, as an analyst runs it for a year-end
report: what the public history may show of an action made exempt, and what it says of drafts it cannot read."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import ACTIONS, REGISTER_HEADINGS, make_workspace, rewrite_kept_record
from reportgen.run.build import build_draft

EXEMPT_TEXT = "Lobby for court capacity."  # action 6's words: published in September, exempt from October


def _register(exempt: tuple[int, ...]) -> list[tuple[object, ...]]:
    return [(*REGISTER_HEADINGS, "Exempt"), *[(*action, "Yes" if action[0] in exempt else "No") for action in ACTIONS]]


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """September: all six actions published (draft-01 public, draft-02 restricted). October: action 6 made exempt
    (draft-01 and draft-02 public, draft-03 restricted)."""
    root = tmp_path_factory.mktemp("history") / "ws"
    builds = {"2026-09": ((), ("public", "restricted")), "2026-10": ((6,), ("public", "public", "restricted"))}
    for period, (exempt, editions) in builds.items():
        make_workspace(root, period=period, register=_register(exempt))
        for edition in editions:
            build_draft(root, period=period, edition=edition)  # type: ignore[arg-type]
    return root


def _copy(two_periods: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(two_periods, root)
    return root


def _history(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`reportgen history` as an analyst runs it, in a process of its own."""
    return subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "history", "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=300)


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def _notes(path: Path) -> list[tuple[str, str]]:
    book = openpyxl.load_workbook(path)
    return [(str(heading), str(text)) for heading, text in book.worksheets[1].iter_rows(min_row=2, values_only=True)]


def test_the_public_history_names_no_action_made_exempt_which_the_restricted_one_still_shows(
        two_periods: Path, tmp_path: Path) -> None:
    """Action 6 was made exempt in October: the public October paper counts it ("1 is no longer in the paper")
    and names it nowhere, yet the public history had a row for it, September's status then a blank, which told
    anyone which action had become exempt. The public history now lists no action exempt in any period it covers,
    and says so in its Notes without naming them; the restricted history still shows it."""
    root = _copy(two_periods, tmp_path)
    done = _history(root)
    assert done.returncode == 0, done.stdout + done.stderr
    public = root / "outputs" / "history"
    rows = _csv_rows(public / "history.csv")
    assert rows[0] == ["Ref", "Section", "Lead", "Action", "2026-09", "2026-10"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5"]
    sheet = openpyxl.load_workbook(public / "history.xlsx")["History"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [1, 2, 3, 4, 5]
    for path in public.iterdir():  # every cell of every sheet, the comments and the csv files
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as package:
                data = b"".join(package.read(name) for name in package.namelist())
        assert b"court capacity" not in data, path.name
    notes = dict(_notes(public / "history.xlsx"))
    assert "exempt (Part II) from publication in any period of this history" in notes["Not listed"]
    assert not any(char.isdigit() for char in notes["Not listed"])  # neither which nor how many
    assert notes["A blank status"] == ("The action was not in that period's paper: not yet in the plan, or "
                                       "withdrawn from it.")
    assert "5 actions over 2 periods" in done.stdout

    assert _history(root, "--edition", "restricted").returncode == 0
    restricted = _csv_rows(root / "outputs" / "history-restricted" / "history-restricted.csv")
    [six] = [row for row in restricted if row[0] == "6"]
    assert six[3:7] == [EXEMPT_TEXT, "2026-10", "Completed", "Completed"]


@pytest.mark.expected_logs("holds no manifest.json")
def test_a_draft_with_no_manifest_names_the_draft_the_history_reads_or_says_its_period_is_left_out(
        two_periods: Path, tmp_path: Path) -> None:
    """September's public draft-01 lost its manifest.json: the note said "the newest kept draft of 2026-09 is
    draft-02, read instead", but draft-02 is restricted, which the public history does not read, and September
    silently went missing. October's public draft-02 likewise was said to be replaced by the restricted draft-03,
    where draft-01 was read. Each note now names the draft the history really reads, or says plainly that the
    period has no column, and how to give it one."""
    root = _copy(two_periods, tmp_path)
    for draft in ("2026-09/draft-01", "2026-10/draft-02"):
        (root / "outputs" / draft / "manifest.json").unlink()
    done = _history(root)
    assert done.returncode == 0, done.stdout + done.stderr
    public = root / "outputs" / "history"
    assert _csv_rows(public / "history.csv")[0][4:] == ["2026-10"]
    said = [text for heading, text in _notes(public / "history.xlsx") if heading == "Not read"]
    september, october = sorted(said)
    assert september.startswith("outputs/2026-09/draft-01 holds no manifest.json")
    assert "draft-02" not in september
    assert ("no other public draft of 2026-09 could be read, so this history has no column for 2026-09 "
            "(September 2026): build that period's paper again in the public edition (reportgen build --period "
            "2026-09 --edition public)") in september
    assert october.startswith("outputs/2026-10/draft-02 holds no manifest.json")
    assert "(this public history reads 2026-10/draft-01 instead, the newest public draft of 2026-10 kept)" in october
    assert "draft-03" not in october
    assert "no column for 2026-09" in " ".join(done.stdout.split())

    done = _history(root, "--edition", "restricted")
    restricted = root / "outputs" / "history-restricted"
    assert _csv_rows(restricted / "history-restricted.csv")[0][5:7] == ["2026-09", "2026-10"]
    said = sorted(text for heading, text in _notes(restricted / "history-restricted.xlsx") if heading == "Not read")
    assert "(this restricted history reads 2026-09/draft-02 instead" in said[0]
    assert "(this restricted history reads 2026-10/draft-03 instead" in said[1]


@pytest.mark.expected_logs("could not be read for the history")
def test_the_notes_name_an_unreadable_draft_from_the_workspace_and_say_a_cited_drafts_paper_is_gone(
        two_periods: Path, tmp_path: Path) -> None:
    """The "Not read" note gave this machine's whole path to the damaged draft, where every other note says
    `outputs/…` from the workspace; and a period read from a draft whose paper.pdf had been deleted still cited
    that draft as its source without a word."""
    root = _copy(two_periods, tmp_path)
    (root / "outputs" / "2026-10" / "draft-02" / "draft.json").unlink()
    (root / "outputs" / "2026-09" / "draft-01" / "paper.pdf").unlink()
    done = _history(root)
    assert done.returncode == 0, done.stdout + done.stderr
    notes = _notes(root / "outputs" / "history" / "history.xlsx")
    [not_read] = [text for heading, text in notes if heading == "Not read"]
    assert not_read == ("A kept draft could not be read for the history: outputs/2026-10/draft-02: not a draft folder "
                        "(no readable draft.json: No such file or directory); so this history has no column for "
                        "2026-10 (October 2026).")
    assert all(str(tmp_path) not in text for _heading, text in notes)
    september = dict(notes)["2026-09"]
    assert september.startswith("September 2026: each action's status in the period's newest kept draft, "
                                "outputs/2026-09/draft-01 (public edition). Its paper.pdf, kept with the draft, is no "
                                "longer in that folder: the statuses are read from its draft.json")


def test_history_refuses_to_write_into_a_folder_holding_the_other_editions_history(
        two_periods: Path, tmp_path: Path) -> None:
    """`history --edition restricted --out outputs/history` wrote the restricted files into the folder of the public
    history, with no word, so a folder shared as public came to hold restricted ones (and the public history went
    into outputs/history-restricted likewise). Each is now refused, writing nothing, and says what to do."""
    root = _copy(two_periods, tmp_path)
    assert _history(root).returncode == 0
    assert _history(root, "--edition", "restricted").returncode == 0
    public, restricted = root / "outputs" / "history", root / "outputs" / "history-restricted"
    before = {folder: sorted(path.name for path in folder.iterdir()) for folder in (public, restricted)}

    done = _history(root, "--edition", "restricted", "--out", str(public))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    said = " ".join(done.stderr.split())
    assert (f"{public} holds the public history (history.xlsx, history.csv, history-carried-forward.csv and "
            "history-corrected.csv): the "
            "restricted history is never written beside it") in said
    assert "(without --out: outputs/history-restricted)" in said
    done = _history(root, "--out", str(restricted))
    assert done.returncode == 2 and f"{restricted} holds the restricted history" in " ".join(done.stderr.split())
    assert {folder: sorted(path.name for path in folder.iterdir()) for folder in before} == before
    book = openpyxl.load_workbook(public / "history.xlsx")
    assert book.sheetnames == ["History", "Notes"]  # still the public one


def _as_kept_by_an_older_reportgen(folder: Path) -> None:
    """The draft as an older reportgen kept it: its paper records no exempt actions (no exempt_refs)."""
    rewrite_kept_record(folder, lambda record: record["paper"].pop("exempt_refs"))


def test_the_restricted_history_of_drafts_kept_by_an_older_reportgen_marks_the_exempt_action_from_their_register(
        two_periods: Path, tmp_path: Path) -> None:
    """After upgrading, the restricted drafts an older reportgen kept record no exempt actions, and every row's
    Exempt (Part II) said "not recorded for 2026-09, 2026-10", action 6 (exempt in October) too, a value the Notes
    sheet never explained. Now the register each draft was built from tells it: its copy in registers/, or the
    register now when unchanged since; where neither is at hand the cell says so, adds that the register now marks
    the action exempt, and the Notes sheet explains both."""
    root = _copy(two_periods, tmp_path)
    for folder in ("2026-09/draft-02", "2026-10/draft-03"):
        _as_kept_by_an_older_reportgen(root / "outputs" / folder)
    out = root / "outputs" / "history-restricted"

    assert _history(root, "--edition", "restricted").returncode == 0
    exempt = {row[0]: row[4] for row in _csv_rows(out / "history-restricted.csv")[1:]}
    assert exempt == {"1": "", "2": "", "3": "", "4": "", "5": "", "6": "2026-10"}

    shutil.rmtree(root / "registers")  # as an older reportgen kept none: September's register has changed since
    assert _history(root, "--edition", "restricted").returncode == 0
    rows = _csv_rows(out / "history-restricted.csv")
    assert rows[0][4] == "Exempt (Part II)"
    exempt = {row[0]: row[4] for row in rows[1:]}
    assert exempt["6"] == "2026-10; not recorded for 2026-09 (exempt in the register now)"
    assert exempt["1"] == "not recorded for 2026-09"
    sheet = openpyxl.load_workbook(out / "history-restricted.xlsx").worksheets[0]
    assert [row[4] for row in sheet.iter_rows(min_row=7, max_row=7, values_only=True)] == [exempt["6"]]
    note = dict(_notes(out / "history-restricted.xlsx"))["Exempt (Part II)"]
    assert ('"not recorded for" a period: its draft was kept by an older reportgen, which did not record its exempt '
            "actions, and the register it was built from is no longer at hand") in note
    assert '"(exempt in the register now)" after it: the register now marks the action exempt.' in note
