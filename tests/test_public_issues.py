"""What the public edition's issues.csv and console say of exempt actions: never their words, and no issue
about one listed (its code, ref, row or file would say which action is exempt), only counted."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from canary import CANARY
from conftest import REGISTER_HEADINGS, RETURN_HEADINGS, make_workspace
from reportgen.shells.cli import main

SECRET = f"Relocate witnesses at risk of intimidation {CANARY}."  # action 7, exempt
WITHHELD_WORDS = "(the words of an action exempt from publication)"
COUNTED = ("exempt-errors", "exempt-warnings", "exempt-notes")


def _workspace(root: Path, police_rows: list[tuple[object, ...]], fire_returns: bool = True) -> Path:
    """Action 1 (Wessex Police) and 2 (OPCC) published; 7 (OPCC) and 8 (Fire Service, leading nothing else)
    exempt. `police_rows`: Wessex Police's return, as the partner filled it in."""
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Develop a prevention strategy.", "9", "No"),
                (2, "", "OPCC", "Publish the commissioning plan.", "11", "No"),
                (7, "", "OPCC", SECRET, "12", "Yes"),
                (8, "", f"{CANARY} Fire Service", f"Train crews in {CANARY} rescue.", "13", "Yes")]
    returns = {"wessex-police.xlsx": [RETURN_HEADINGS, *police_rows],
               "opcc.xlsx": [RETURN_HEADINGS, (2, "Publish the commissioning plan.", "In progress", "Drafted.", "2027"),
                             (7, SECRET, "Nearly there", f"Two {CANARY} families moved.", "Ongoing")]}
    if fire_returns:
        returns[f"{CANARY.lower()}-fire-service.xlsx"] = [RETURN_HEADINGS, (8, "", "Completed", "Done.", "")]
    return make_workspace(root, register=register, returns=returns)


def _build(root: Path, capsys: pytest.CaptureFixture[str],
           edition: str = "public") -> tuple[int, str, list[dict[str, str]]]:
    """`reportgen build`, as the officer runs it: its exit code, what it printed, and issues.csv read back."""
    code = main(["build", "--workspace", str(root), "--edition", edition, "--all"])
    printed = capsys.readouterr()
    folder = Path(printed.out.strip().splitlines()[-1])
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        return code, printed.out + printed.err, list(csv.DictReader(stream))


def test_a_return_row_holding_an_exempt_actions_wording_under_another_ref_blocks_the_public_edition_unquoted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police mis-keys its row: ref 1, with exempt action 7's wording. Its update may be action 7's, which
    the public paper would print as action 1's: an error, that says the words are another action's, and in the
    public edition neither quotes them nor names the action; the restricted edition names it."""
    root = _workspace(tmp_path / "ws", [(1, SECRET, "In progress", "Moved two families.", "2027")])
    code, printed, issues = _build(root, capsys)
    assert code == 1 and CANARY not in printed and "action 7" not in printed.casefold()
    [row] = [row for row in issues if row["ref"] == "1"]
    assert (row["code"], row["severity"], row["column"], row["value"]) == (
        "action-text-of-exempt-action", "error", "Action", WITHHELD_WORDS)
    assert row["message"].startswith("Action 1: the return's action text is the register's wording of another "
                                     "action, one exempt from publication (the restricted edition names it)")
    assert all(CANARY not in value and "action 7" not in value.casefold() for row in issues for value in row.values())
    assert "Action 1: the return's action text is the register's wording of another action" in printed

    code, printed, issues = _build(root, capsys, "restricted")
    [row] = [row for row in issues if row["ref"] == "1"]
    assert (row["code"], row["severity"], row["value"]) == ("action-text-of-exempt-action", "error", SECRET)
    assert "the register's wording of action 7, which is exempt from publication" in row["message"]


def test_a_return_row_holding_another_published_actions_wording_says_the_ref_may_be_mis_keyed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _workspace(tmp_path / "ws", [(1, "Publish the commissioning plan.", "In progress", "Drafted.", "2027")])
    _code, printed, issues = _build(root, capsys)
    [row] = [row for row in issues if row["ref"] == "1"]
    assert (row["code"], row["severity"], row["value"]) == (
        "action-text-of-other-action", "warning", "Publish the commissioning plan.")
    assert row["message"] == ("Action 1: the return's action text is the register's wording of action 2, not of "
                              "action 1: was the ref mis-keyed? The row's update is shown as action 1's.")
    assert row["message"] in printed


def test_an_exempt_actions_words_quoted_in_a_published_actions_issue_are_withheld(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The partner pasted action 7's wording, and more, into action 1's row: the issue is listed (action 1 is
    published), its value and text without action 7's words."""
    root = _workspace(tmp_path / "ws", [(1, f"{SECRET} See the note.", "In progress", "Moved.", "2027")])
    _code, printed, issues = _build(root, capsys)
    [row] = [row for row in issues if row["ref"] == "1"]
    assert (row["code"], row["value"]) == ("action-text-changed", WITHHELD_WORDS)
    assert CANARY not in printed and all(CANARY not in value for row in issues for value in row.values())


def test_issues_about_exempt_actions_are_counted_in_public_and_an_error_among_them_still_blocks(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Action 7's status is not recognised (an error) and Fire Service, leading only exempt action 8, sent no
    return: the public issues.csv and console list neither (no ref 7 or 8, no missing return, no file of theirs),
    only a line for each severity saying how many, the error's blocking the build; the restricted edition lists
    each of them."""
    root = _workspace(tmp_path / "ws", [(1, "", "In progress", "Begun.", "2027")], fire_returns=False)
    code, printed, issues = _build(root, capsys)
    assert code == 1 and CANARY not in printed
    assert [row["ref"] for row in issues if row["ref"] in ("7", "8")] == []
    assert [row["value"] for row in issues if row["code"] == "missing-return"] == []
    assert all(CANARY not in value for row in issues for value in row.values())
    counted = {row["code"]: row for row in issues if row["code"] in COUNTED}

    code_restricted, _printed, listed = _build(root, capsys, "restricted")
    about = Counter(row["severity"] for row in listed if row["ref"] in ("7", "8") or CANARY in row["value"])
    assert about["error"] == 1 and code_restricted == 1
    assert {code: row["severity"] for code, row in counted.items()} == {
        COUNTED[("error", "warning", "info").index(severity)]: severity for severity in about}
    error = counted["exempt-errors"]
    assert error["message"] == ("Issues about actions exempt from publication (or a partner leading only such "
                                "actions) are not listed in the public edition, as they would identify the actions: "
                                "1 error among them blocks it. The restricted edition lists them.")
    assert (error["file"], error["row"], error["ref"], error["value"]) == ("", "", "", "")
    assert error["message"] in printed
    for severity, noun in (("warning", "warning"), ("info", "note")):
        if about[severity]:
            assert f"{about[severity]} {noun}" in counted[f"exempt-{noun}s"]["message"]


def test_a_word_document_sent_by_a_partner_leading_only_exempt_actions_is_not_named_in_public(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Fire Service leads only exempt action 8. Its return not read (an .ods) was withheld in the public
    edition, but a Word document named after it was listed: "… Fire Service return.docx is a Word document, not a
    spreadsheet", naming the partner README says no public output names. It is counted with the others."""
    root = _workspace(tmp_path / "ws", [(1, "Develop a prevention strategy.", "In progress", "Drafted.", "2027")],
                      fire_returns=False)
    (root / "inputs" / "returns" / "2026-10" / f"{CANARY} Fire Service return.docx").write_bytes(b"PK\x03\x04")
    _code, printed, issues = _build(root, capsys)
    assert CANARY not in printed and all(CANARY not in value for row in issues for value in row.values())
    assert "exempt-warnings" in {row["code"] for row in issues}
    _code, printed, issues = _build(root, capsys, "restricted")
    assert any(f"{CANARY} Fire Service return.docx" in row["file"] for row in issues)


def test_an_exempt_actions_row_holding_another_exempt_actions_wording_is_only_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC's row 7 (exempt) holds action 8's wording (exempt too): the public paper prints neither, so nothing
    could leak, and the ordinary mis-keyed warning is enough; it blocked the public paper as an error."""
    root = _workspace(tmp_path / "ws", [(1, "Develop a prevention strategy.", "In progress", "Drafted.", "2027")])
    opcc = root / "inputs" / "returns" / "2026-10" / "opcc.xlsx"
    import openpyxl

    book = openpyxl.load_workbook(opcc)
    sheet = book.active
    assert sheet is not None
    row = next(row for row in sheet.iter_rows() if row[0].value == 7)
    row[1].value = f"Train crews in {CANARY} rescue."
    row[2].value = "In progress"  # its status one the paper reads: nothing else blocks
    book.save(opcc)
    code, _printed, issues = _build(root, capsys, "restricted")
    [said] = [row for row in issues if row["ref"] == "7" and row["code"].startswith("action-text")]
    assert (said["code"], said["severity"]) == ("action-text-of-other-action", "warning")
    code, printed, issues = _build(root, capsys)
    assert code == 0, printed
    assert not any(row["code"] == "exempt-errors" for row in issues)


def test_the_count_of_withheld_issues_is_said_without_a_place_in_the_paper(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A withheld error blocks the public paper, whose "Issues to resolve" block listed the count as "-: Issues
    about actions exempt…", a dash for the file it has none of. It is the message alone."""
    root = _workspace(tmp_path / "ws", [(1, "Develop a prevention strategy.", "In progress", "Drafted.", "2027")],
                      fire_returns=False)
    (root / "inputs" / "returns" / "2026-10" / f"{CANARY.lower()}-fire-service.xlsx").write_bytes(b"")
    code, _printed, issues = _build(root, capsys)
    assert code == 1 and "exempt-errors" in {row["code"] for row in issues}
    html = next((tmp_path / "ws" / "outputs" / "2026-10").glob("draft-*/paper.html")).read_text(encoding="utf-8")
    assert "-: " not in html and "Issues about actions exempt from publication" in html
