"""Building an earlier month again, as `return-after-draft` advises, once a later month has drafts: the month keeps
the plan its draft was built from, unless the officer asks for today's register, and the later month is not
blocked by an action withdrawn since."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from conftest import ACTIONS, REGISTER_HEADINGS, make_workspace, write_xlsx
from reportgen.shells.cli import main

NEW_ACTION = (7, "Victims", "OPCC", "Open a new victims' hub.", "18")


def build(root: Path, period: str, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, Path]:
    """`reportgen build` as the officer runs it: its exit code, what it printed, and the draft it kept."""
    capsys.readouterr()
    code = main(["build", "--workspace", str(root), "--period", period, *options])
    out = capsys.readouterr().out
    return code, out, Path(out.splitlines()[-1])


def november_after_withdrawing_6(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """September and October built; action 6 withdrawn and action 7 added to the register; November's returns
    (October's, sent again) built: a withdrawn-ref warning, nothing blocking. Then an October return corrected."""
    make_workspace(root, "2026-09")
    assert build(root, "2026-09", capsys)[0] == 0
    make_workspace(root, "2026-10")
    assert build(root, "2026-10", capsys)[0] == 0
    register = [REGISTER_HEADINGS, *(action for action in ACTIONS if action[0] != 6), NEW_ACTION]
    write_xlsx(root / "inputs" / "register.xlsx", register, sheet="Register")
    returns = root / "inputs" / "returns"
    shutil.copytree(returns / "2026-10", returns / "2026-11")
    code, out, _ = build(root, "2026-11", capsys)
    assert code == 0, out
    assert "Action 6 was in the paper of 2026-10/draft-01" in out
    corrected = returns / "2026-10" / "opcc.xlsx"
    book = openpyxl.load_workbook(corrected)
    row = next(row for row in book["Return"].iter_rows(min_row=2) if row[0].value == 2)
    row[3].value = "Corrected: the audit was published on 3 November."
    book.save(corrected)


def kept_register_of(folder: Path) -> str:
    """Where the copy of the register the draft in `folder` was built from is kept, named by its hash."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["manifest"]
    [register] = [item for item in manifest["inputs"] if item["path"] == "inputs/register.xlsx"]
    return f"registers/register-{register['sha256'][:16]}.xlsx"


def issues_of(folder: Path, ref: int) -> list[dict[str, str]]:
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as file:
        return [row for row in csv.DictReader(file) if row["ref"] == str(ref)]


def rows_of(folder: Path) -> dict[int, dict[str, object]]:
    paper = json.loads((folder / "draft.json").read_text(encoding="utf-8"))["paper"]
    return {row["ref"]: row for section in paper["sections"] for row in section["rows"]}


def pdf_text(folder: Path) -> str:
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def test_building_october_again_for_a_corrected_return_keeps_its_plan_and_leaves_november_unblocked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October was built again with today's register: it dropped action 6 and took in action 7, and November,
    carrying forward from it, called November's update of 6 an unknown-ref error, marked its paper DRAFT and no
    longer said 6 was withdrawn. October now keeps the register its draft was built from, and says so; it reads
    the corrected return; November is not blocked and still says 6 is no longer in the plan."""
    november_after_withdrawing_6(tmp_path, capsys)

    kept = kept_register_of(tmp_path / "outputs" / "2026-10" / "draft-01")
    code, out, october = build(tmp_path, "2026-10", capsys)
    assert code == 0, out
    said = " ".join(out.split())
    assert (f"Built from the register kept for 2026-10/draft-01 ({kept}), not today's inputs/register.xlsx, which "
            "has changed since: 2026-11 already has drafts built on October 2026's plan") in said
    assert "--todays-register" in said
    assert october.name == "draft-02"
    rows = rows_of(october)
    assert 6 in rows and 7 not in rows
    assert "Corrected: the audit was published on 3 November." in str(rows[2]["explanation"])
    with (october / "chase.csv").open(encoding="utf-8-sig", newline="") as file:
        opcc = next(row for row in csv.DictReader(file) if row["Partner"] == "OPCC")
    assert (opcc["Actions led"], opcc["No update (refs)"]) == ("3", "")  # 2, 4 and 6: not chased for 7
    manifest = json.loads((october / "manifest.json").read_text(encoding="utf-8"))["manifest"]
    assert kept in [item["path"] for item in manifest["inputs"]]
    assert (tmp_path / kept).is_file() and not list((tmp_path / "outputs").rglob("register-*"))

    code, out, november = build(tmp_path, "2026-11", capsys)
    assert code == 0, out
    assert [(i["code"], i["severity"]) for i in issues_of(november, 6)] == [("withdrawn-ref", "warning")]
    assert issues_of(november, 6)[0]["message"].startswith("Action 6 was in the paper of 2026-10/draft-02")
    assert "kept-register" not in (november / "issues.csv").read_text(encoding="utf-8-sig")
    text = pdf_text(november)
    assert "No longer in the plan: 6" in text
    assert "DRAFT" not in text


def test_building_october_from_todays_register_changes_its_plan_says_so_and_november_still_warns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The officer who means to change October's plan asks for today's register: October drops action 6 and is
    told that November was built on the old plan. November's update of 6, which no longer appears in the draft it
    carries from, is still a withdrawn-ref warning naming the October draft that showed it, not a blocking
    unknown-ref error."""
    november_after_withdrawing_6(tmp_path, capsys)

    kept = kept_register_of(tmp_path / "outputs" / "2026-10" / "draft-01")
    code, out, october = build(tmp_path, "2026-10", capsys, "--todays-register")
    assert code == 0, out
    said = " ".join(out.split())
    assert (f"Built from today's register inputs/register.xlsx, which differs from the one 2026-10/draft-01 was built "
            f"from ({kept}): October 2026's plan changes, and 2026-11 already has drafts built on the old one.") in said
    assert 6 not in rows_of(october) and 7 in rows_of(october)

    code, out, november = build(tmp_path, "2026-11", capsys)
    assert code == 0, out
    found = issues_of(november, 6)
    assert [(i["code"], i["severity"], i["file"]) for i in found] == [
        ("withdrawn-ref", "warning", "inputs/returns/2026-11/opcc.xlsx")]
    assert found[0]["message"] == ("Action 6 was in the paper of 2026-10/draft-01 and is no longer in the register "
                                   "(withdrawn?); this update is not shown.")


def test_building_october_from_todays_register_names_octobers_own_draft_that_showed_the_withdrawn_action(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October built again from today's register, its own return still updating withdrawn action 6: the warning
    named September's draft ("was in the paper of 2026-09/draft-01"), though October's own draft showed 6 too and
    is the one the officer is replacing. It now names October's newest draft that showed the action, also when a
    newer October draft, built from today's register, no longer shows it."""
    november_after_withdrawing_6(tmp_path, capsys)

    for expected in ("draft-02", "draft-03"):
        code, out, october = build(tmp_path, "2026-10", capsys, "--todays-register")
        assert code == 0, out
        assert october.name == expected
        found = issues_of(october, 6)
        assert [(i["code"], i["severity"], i["file"]) for i in found] == [
            ("withdrawn-ref", "warning", "inputs/returns/2026-10/opcc.xlsx")]
        assert found[0]["message"] == ("Action 6 was in the paper of 2026-10/draft-01 and is no longer in the "
                                       "register (withdrawn?); this update is not shown.")
        assert "Action 6 was in the paper of 2026-10/draft-01" in " ".join(out.split())


def test_building_october_again_after_a_draft_kept_no_copy_of_its_register_says_its_plan_may_differ(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October's draft was kept before registers were (no copy to read its plan back from): October is built from
    today's register, and the officer is told so, and that its plan may differ from the draft's, rather than
    finding out from November."""
    november_after_withdrawing_6(tmp_path, capsys)
    shutil.rmtree(tmp_path / "registers")

    code, out, october = build(tmp_path, "2026-10", capsys)
    assert code == 0, out
    assert ("Built from today's register inputs/register.xlsx, which has changed since 2026-10/draft-01 was built (no "
            "copy of the register it was built from was kept): October 2026's plan may differ from it, and 2026-11 "
            "already has drafts built on the old one.") in " ".join(out.split())
    with (october / "issues.csv").open(encoding="utf-8-sig", newline="") as file:
        said = [(row["code"], row["severity"], row["file"]) for row in csv.DictReader(file)
                if row["code"] == "kept-register"]
    assert said == [("kept-register", "warning", "inputs/register.xlsx")]


def test_building_october_a_third_time_without_the_kept_register_still_says_its_plan_may_differ(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October built again (draft-02, from the kept register, whose manifest records the copy in registers/), then
    registers/ deleted and October built a third time: today's register was read without a word, the withdrawn
    action dropped and the added one chased, because the register was looked for only as inputs/register.xlsx."""
    november_after_withdrawing_6(tmp_path, capsys)
    assert build(tmp_path, "2026-10", capsys)[0] == 0
    shutil.rmtree(tmp_path / "registers")

    code, out, october = build(tmp_path, "2026-10", capsys)
    assert code == 0, out
    assert ("which has changed since 2026-10/draft-02 was built (no copy of the register it was built from was "
            "kept)") in " ".join(out.split())
    with (october / "issues.csv").open(encoding="utf-8-sig", newline="") as file:
        assert [row["code"] for row in csv.DictReader(file) if row["code"] == "kept-register"] == ["kept-register"]


def test_building_october_again_with_its_kept_register_edited_says_the_copy_was_changed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The kept copy of October's register edited by hand: the warning said no copy had been kept, and named none."""
    november_after_withdrawing_6(tmp_path, capsys)
    copy = kept_register_of(tmp_path / "outputs" / "2026-10" / "draft-01")
    kept = tmp_path / copy
    book = openpyxl.load_workbook(kept)
    book.active.cell(row=2, column=4).value = "Edited by hand."
    book.save(kept)

    code, out, _october = build(tmp_path, "2026-10", capsys)
    assert code == 0, out
    said = " ".join(out.split())
    assert (f"the copy of the register 2026-10/draft-01 was built from, {copy}, has been changed since it was "
            "kept") in said
    assert "no copy of the register" not in said


def refs_sent_to_opcc(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[list[int], str]:
    """`reportgen returns --period 2026-10` as the officer runs it (October had no workbooks written yet): the refs
    of OPCC's workbook, read back, and what the command printed."""
    capsys.readouterr()
    code = main(["returns", "--workspace", str(root), "--period", "2026-10", *options])
    out = capsys.readouterr().out
    assert code == 0, out
    book = openpyxl.load_workbook(Path(out.splitlines()[-1]) / "opcc.xlsx")
    return [row[0].value for row in book["Return"].iter_rows(min_row=2) if row[0].value is not None], out


def test_october_return_workbooks_written_after_november_was_built_list_octobers_plan_and_say_which_register(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """October's workbooks, written again for a partner correcting its return once November was built, were filled
    from today's register: action 6, withdrawn since, was missing from OPCC's, and action 7, added since, was in it,
    unlike October's paper. They now list October's plan, from the register its draft was built from, and say so;
    `--todays-register` writes them from today's, and says that too."""
    november_after_withdrawing_6(tmp_path, capsys)
    assert not (tmp_path / "outputs" / "2026-10" / "returns").exists()
    kept = kept_register_of(tmp_path / "outputs" / "2026-10" / "draft-01")

    refs, out = refs_sent_to_opcc(tmp_path, capsys)
    assert refs == [2, 4, 6]
    assert (f"Built from the register kept for 2026-10/draft-01 ({kept}), not today's inputs/register.xlsx"
            in " ".join(out.split()))

    shutil.move(tmp_path / "outputs" / "2026-10" / "returns", tmp_path / "sent-first")
    refs, out = refs_sent_to_opcc(tmp_path, capsys, "--todays-register")
    assert refs == [2, 4, 7]
    assert (f"Built from today's register inputs/register.xlsx, which differs from the one 2026-10/draft-01 was built "
            f"from ({kept})") in " ".join(out.split())
