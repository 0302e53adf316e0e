"""The paper adds up: the counts printed in it account for every action; validate and build agree;
a period that is not there is refused; carry-forward from the returns when no draft was kept."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import docx
import pypdf
import pytest

from conftest import ROOT, SAMPLE, copy_example, default_returns, make_workspace, needs_sample
from reportgen.run.build import build_draft, validate_draft
from reportgen.shells.cli import main

EXAMPLE_NARRATIVE = (ROOT / "narrative.md").read_text(encoding="utf-8")
TOTAL = re.compile(r"Of the (\d+) actions")
COUNT = re.compile(r"^(\d+) action")


def printed_counts(lines: list[str]) -> tuple[int, list[int]]:
    """The total and the listed counts as the paper prints them ("Of the 35 actions…", "8 actions are…")."""
    at = next(index for index, line in enumerate(lines) if TOTAL.search(line))
    total = int(TOTAL.findall(lines[at])[0])
    listed: list[int] = []
    for line in lines[at + 1:]:
        found = COUNT.match(line.strip(" •▪-\t"))
        if found is None:
            break  # the list ends at the first line that is not a count
        listed.append(int(found[1]))
    return total, listed


def docx_lines(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


FURNITURE = re.compile(r"Page \d+ of \d+|^DRAFT – not for publication")


def pdf_lines(path: Path) -> list[str]:
    """The text of the first pages without the page headers and footers (a list may run over a page)."""
    pages = pypdf.PdfReader(path).pages[:3]
    return [line for page in pages for line in (page.extract_text() or "").splitlines()
            if not FURNITURE.search(line) and line.strip(" •")]


def assert_adds_up(folder: Path, expected_total: int) -> None:
    for lines in (docx_lines(folder / "paper.docx"), pdf_lines(folder / "paper.pdf")):
        total, listed = printed_counts(lines)
        assert total == expected_total
        assert len(listed) >= 4 and sum(listed) == total, listed


def test_the_example_paper_adds_up_with_no_no_update_rows(tmp_path: Path) -> None:
    result = build_draft(copy_example(tmp_path / "ws"))
    assert_adds_up(result.folder, 35)
    statuses = [row.status_label for row in result.paper.rows]
    assert "No update" not in statuses and result.paper.no_status == 0
    assert result.paper.carried_forward == 5 and result.paper.carried_from == "the 2026-09 returns"
    assert sum(n for _, n in result.paper.counts) == result.paper.total == 35
    table = docx.Document(str(result.folder / "paper.docx")).tables[-1]
    assert not any(cell.text == "No update received this period" for row in table.rows for cell in row.cells)


@needs_sample
def test_the_sample_adds_up_with_a_narrative_using_every_count(tmp_path: Path) -> None:
    """The sample's own narrative lists three statuses (as published); with the example's narrative,
    which lists every count, the action with no update (its row has nothing written) and the one whose status is
    not recognised are printed too."""
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    (root / "narrative.md").write_text(EXAMPLE_NARRATIVE, encoding="utf-8")
    result = build_draft(root)
    assert_adds_up(result.folder, 147)
    text = "\n".join(docx_lines(result.folder / "paper.docx"))
    assert "1 action has no update this period" in text
    assert "1 action has a status left empty or not recognised" in text


def test_a_workspace_where_some_actions_have_no_update_adds_up(tmp_path: Path) -> None:
    returns = default_returns()
    del returns["opcc.xlsx"]  # actions 2, 4 and 6: no update and nothing earlier to carry
    root = make_workspace(tmp_path / "ws", narrative=EXAMPLE_NARRATIVE, returns=returns)
    result = build_draft(root)
    assert result.paper.no_status == 3
    assert_adds_up(result.folder, 6)
    assert "3 actions have no update this period" in "\n".join(docx_lines(result.folder / "paper.docx"))


def summary(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    out = capsys.readouterr().out.splitlines()
    return code, out


def test_validate_and_build_print_the_same_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "ws")
    for period in ("2026-10", "2026-09", "2026-10"):  # later periods now have earlier drafts to carry from
        v_code, validated = summary(capsys, "validate", "--workspace", str(root), "--period", period, "--all")
        b_code, built = summary(capsys, "build", "--workspace", str(root), "--period", period, "--all")
        assert v_code == b_code
        assert validated == built[:-1]  # build adds the draft folder as its last line
        assert validated[0].startswith(f"{period} (public edition): 35 actions: ")
        assert "1 exempt action left out of this edition." in validated
    assert any("carry their last status from draft 2026-09/draft-01" in line for line in validated)


def test_validate_runs_the_narrative_like_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws", narrative="{{ counts['Complete'] }} done.")
    assert main(["validate", "--workspace", str(root)]) == 1
    validated = capsys.readouterr().out
    assert "could not be filled in" in validated and "narrative.md" in validated
    assert not (root / "outputs").exists()
    assert main(["build", "--workspace", str(root)]) == 1  # the build reports it the same way
    assert "could not be filled in" in capsys.readouterr().out


def test_validate_and_build_report_an_unchanged_return_alike(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    build_draft(root)
    later = root / "inputs" / "returns" / "2026-11"
    shutil.copytree(root / "inputs" / "returns" / "2026-10", later)  # every partner sends last month's file
    checks = validate_draft(root, "2026-11")
    built = build_draft(root, "2026-11")
    codes = sorted(i.code for i in checks.issues)
    assert codes == sorted(i.code for i in built.issues)
    assert codes.count("unchanged-return") == 3


def test_a_period_with_no_returns_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "ws")
    assert main(["build", "--workspace", str(root), "--period", "2026-12"]) == 2
    err = capsys.readouterr().err
    assert "2026-12" in err and "2026-09, 2026-10" in err
    assert main(["validate", "--workspace", str(root), "--period", "2026-13"]) == 2
    assert "month 13" in capsys.readouterr().err
    assert main(["build", "--workspace", str(root), "--period", "Oct 2026"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert not (root / "outputs").exists()


def test_carry_forward_from_the_newest_earlier_returns(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period="2026-09")
    returns = default_returns()
    del returns["opcc.xlsx"]
    make_workspace(root, period="2026-10", returns=returns)
    checks = validate_draft(root, "2026-10")
    carried = {item.ref: item for item in checks.checked.merged.actions if item.carried_from}
    assert sorted(carried) == [2, 4, 6]
    assert [carried[ref].status for ref in (2, 4, 6)] == ["In progress", "In progress", "Completed"]
    assert checks.checked.carried_from == "the 2026-09 returns"
    assert [i.ref for i in checks.issues if i.code == "carried-forward"] == [2, 4, 6]
    assert sum(n for _, n in checks.paper.counts) == 6


def test_newer_returns_win_over_an_older_draft(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period="2026-08")
    build_draft(root, "2026-08")  # a draft kept for August
    september = default_returns()
    september["opcc.xlsx"] = [september["opcc.xlsx"][0], (2, "", "Completed", "Done in September.", "")]
    make_workspace(root, period="2026-09", returns=september)  # September's returns: no draft built
    october = default_returns()
    del october["opcc.xlsx"]
    make_workspace(root, period="2026-10", returns=october)
    checks = validate_draft(root, "2026-10")
    by_ref = {item.ref: item for item in checks.checked.merged.actions}
    assert checks.checked.carried_from == "the 2026-09 returns and draft 2026-08/draft-01"
    assert checks.paper.carried_from == checks.checked.carried_from
    assert (by_ref[2].status, by_ref[2].explanation) == ("Completed", "Done in September.")
    assert by_ref[2].carried_from == "the 2026-09 returns"
    # not in September's returns: as the August draft had it
    assert (by_ref[4].status, by_ref[4].carried_from) == ("In progress", "2026-08/draft-01")


def test_a_lead_without_a_return_for_two_months_keeps_what_it_sent_before(tmp_path: Path) -> None:
    """No draft kept: each action is carried from the newest earlier period's returns that have it (a
    lead that sent nothing in October keeps its September update in November)."""
    root = make_workspace(tmp_path / "ws", period="2026-09")
    without_opcc = default_returns()
    del without_opcc["opcc.xlsx"]
    make_workspace(root, period="2026-10", returns=without_opcc)
    make_workspace(root, period="2026-11", returns=without_opcc)
    checks = validate_draft(root, "2026-11")
    by_ref = {item.ref: item for item in checks.checked.merged.actions}
    assert [(by_ref[ref].status, by_ref[ref].carried_from, by_ref[ref].reported) for ref in (2, 4, 6)] == [
        ("In progress", "the 2026-09 returns", "2026-09"), ("In progress", "the 2026-09 returns", "2026-09"),
        ("Completed", "the 2026-09 returns", "2026-09")]
    assert (by_ref[1].carried_from, by_ref[1].reported) == ("", "2026-11")  # updated this month
    assert checks.checked.carried_from == "the 2026-10 returns and the 2026-09 returns"  # what was read
    assert checks.paper.carried_from == "the 2026-09 returns"  # what the carried statuses came from
    assert "status as last reported (September 2026)" in {row.ref: row.note for row in checks.paper.rows}[2]


def test_many_warnings_of_one_kind_are_counted_not_listed_and_errors_are_each_listed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A partner's return left out gave one warning per action of theirs (72 in the sample), burying the
    one error that says why; issues.csv still lists each."""
    root = copy_example(tmp_path / "ws")
    opcc = next((root / "inputs" / "returns" / "2026-09").glob("opcc*"))  # the first period: nothing carried
    opcc.rename(opcc.with_suffix(".ods"))  # a return saved by LibreOffice: not read, its partner's error
    code, out = summary(capsys, "build", "--workspace", str(root), "--period", "2026-09")
    assert code == 1
    folder = Path(out[-1])
    with (folder / "issues.csv").open(encoding="utf-8-sig") as handle:
        not_updated = [row for row in csv.DictReader(handle) if row["code"] == "no-update"]
    assert len(not_updated) > 6
    listed = [line for line in out if "no return updated this action" in line]
    assert len(listed) == 3
    assert f"  warning … and {len(not_updated) - 3} more like these (no-update; a build lists each in issues.csv)" \
        in out
    assert sum("is an OpenDocument (LibreOffice) spreadsheet; it was not read." in line for line in out) == 1
