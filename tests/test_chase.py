"""The chase list, a return sent back unchanged, and carry-forward across two periods."""

from __future__ import annotations

import csv
import email
import email.message
import email.policy
import io
import os
import shutil
import time
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import (
    ACTIONS,
    REGISTER_HEADINGS,
    RETURN_HEADINGS,
    default_returns,
    keep_draft,
    make_workspace,
    write_xlsx,
)
from mail_helpers import ADDRESS, mail_toml
from reportgen.check.checked import Checked, check_inputs
from reportgen.model import UpdateState
from reportgen.read.workspace import find_inputs
from reportgen.run.build import check_plan, make_paper, prepare_build
from reportgen.run.chase import CHASE_HEADINGS, ChaseRow, chase_csv, chase_list, chase_markdown, unchanged_returns
from reportgen.run.returns import write_return_workbooks
from reportgen.shells.cli import main

A, B = "2026-10", "2026-11"


def checked_for(root: Path, period: str = A) -> Checked:
    inputs, found = find_inputs(root, period)
    return check_inputs(inputs, found=found)


def row_for(rows: list[ChaseRow], partner: str) -> ChaseRow:
    [row] = [r for r in rows if r.partner == partner]
    return row


def test_every_partner_returned_and_updated_everything(tmp_path: Path) -> None:
    rows = chase_list(checked_for(make_workspace(tmp_path / "ws", period=A)))
    assert rows == [
        ChaseRow("Wessex Police", True, f"inputs/returns/{A}/wessex-police.xlsx", 2, 2, (), 0, 0, ""),
        ChaseRow("OPCC", True, f"inputs/returns/{A}/opcc.xlsx", 3, 3, (), 0, 0, ""),
        ChaseRow("Criminal Justice Board", True, f"inputs/returns/{A}/criminal-justice-board.xlsx", 1, 1, (),
                 0, 0, ""),
    ]


def test_a_partner_that_returns_nothing(tmp_path: Path) -> None:
    returns = default_returns()
    del returns["opcc.xlsx"]
    checked = checked_for(make_workspace(tmp_path / "ws", period=A, returns=returns))
    rows = chase_list(checked)
    assert row_for(rows, "OPCC") == ChaseRow("OPCC", False, "", 3, 0, (2, 4, 6), 0, 0, "")
    assert row_for(rows, "Wessex Police").returned
    assert [(i.code, i.value) for i in checked.issues if i.code == "missing-return"] == [("missing-return", "OPCC")]
    assert [i.ref for i in checked.issues if i.code == "no-update"] == [2, 4, 6]


def test_issues_in_what_a_partner_sent(tmp_path: Path) -> None:
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "Compelted", "Done.", ""), (4, "", "", "Nothing yet.", ""),
                            (99, "", "Completed", "Not ours.", "")]
    rows = chase_list(checked_for(make_workspace(tmp_path / "ws", period=A, returns=returns)))
    opcc = row_for(rows, "OPCC")
    assert (opcc.returned, opcc.updated, opcc.no_update) == (True, 2, (6,))
    assert opcc.issues == "unknown-status ×1; empty-status ×1; unknown-ref ×1"  # in row order
    assert (opcc.errors, opcc.warnings) == (3, 0)


def test_unreadable_and_unknown_files(tmp_path: Path) -> None:
    returns = default_returns()
    returns["opcc.xlsx"] = [("Some", "Other", "Headings"), ("a", "b", "c")]
    del returns["criminal-justice-board.xlsx"]
    # named after no lead, its one row not used (Wessex Police's own is): no partner, named in Wessex Police's row
    returns["=fire-service.xlsx"] = [RETURN_HEADINGS, (1, "", "Completed", "Fire view", "")]
    rows = chase_list(checked_for(make_workspace(tmp_path / "ws", period=A, returns=returns)))
    opcc = row_for(rows, "OPCC")
    assert (opcc.returned, opcc.errors, opcc.issues, opcc.no_update) == (True, 1, "no-data-sheet ×1", (2, 4, 6))
    assert row_for(rows, "Criminal Justice Board").returned is False
    assert [row.partner for row in rows] == ["Wessex Police", "OPCC", "Criminal Justice Board"]
    police = row_for(rows, "Wessex Police")
    assert (police.strays, police.warnings, police.issues) == (
        (f"inputs/returns/{A}/=fire-service.xlsx",), 2, "unknown-partner ×1; duplicate-update ×1")
    table = list(csv.reader(io.StringIO(chase_csv(rows))))
    assert table[0] == list(CHASE_HEADINGS)
    # a workbook with no return in it is no return: "No", naming it
    assert table[2][:6] == ["OPCC", "No: what it sent could not be read", f"inputs/returns/{A}/opcc.xlsx", "3", "0",
                            "2, 4, 6"]
    assert table[3][:2] == ["Criminal Justice Board", "No"]
    assert table[1][2] == f"inputs/returns/{A}/wessex-police.xlsx; inputs/returns/{A}/=fire-service.xlsx"


def test_markdown_table(tmp_path: Path) -> None:
    rows = [ChaseRow("A | B", False, "", 2, 0, (1, 2), 0, 0, ""),
            ChaseRow("C", True, "c.xlsx", 1, 1, (), 1, 2, "unknown-status ×1\nx")]
    assert chase_markdown(rows).splitlines() == [
        "| " + " | ".join(CHASE_HEADINGS) + " |",
        "|" + " --- |" * 12,
        "| A \\| B | No |  | 2 | 0 | 1, 2 | 0 | 0 |  |  |  |  |",
        "| C | Yes | c.xlsx | 1 | 1 |  | 1 | 2 | unknown-status ×1 x |  |  |  |",
    ]


def test_a_partner_returning_the_template_unchanged(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    period_b = root / "inputs" / "returns" / B
    period_b.mkdir(parents=True)
    shutil.copy(written[1], period_b / "opcc.xlsx")  # sent back untouched
    edited = openpyxl.load_workbook(written[0])
    edited["Return"]["E2"] = "New this month."
    edited.save(period_b / "wessex-police.xlsx")
    checked = checked_for(root, B)
    found = unchanged_returns(checked)
    assert [(i.code, i.file, i.value, i.severity.value) for i in found] == [
        ("unchanged-return", f"inputs/returns/{B}/opcc.xlsx", "OPCC", "warning")]
    rows = chase_list(checked, found)
    assert row_for(rows, "OPCC").issues == "unchanged-return ×1"
    assert row_for(rows, "OPCC").warnings == 1
    assert row_for(rows, "Wessex Police").issues == ""
    assert row_for(rows, "Criminal Justice Board").returned is False


def test_rows_sent_back_as_they_were_prefilled_are_not_counted_as_updated(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A partner edits one row and sends the others back as pre-filled: chase.csv says which."""
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    period_b = root / "inputs" / "returns" / B
    period_b.mkdir(parents=True)
    police = openpyxl.load_workbook(written[0])  # Wessex Police: actions 1 and 3
    police["Return"]["E2"] = "New this month."
    police.save(period_b / "wessex-police.xlsx")
    shutil.copy(written[1], period_b / "opcc.xlsx")  # OPCC: 2, 4 and 6, sent back untouched
    assert main(["build", "--workspace", str(root), "--period", B]) in (0, 1)
    chase = capsys.readouterr().out.split("To chase:")[1].splitlines()
    # the partner `reportgen chase` reminds is on the build's list too; one that changed a row is not
    assert f"  OPCC: workbook sent back as it was pre-filled (inputs/returns/{B}/opcc.xlsx)" in chase
    assert not any(line.startswith("  Wessex Police") for line in chase)
    [folder] = (root / "outputs" / B).glob("draft-*")
    table = list(csv.DictReader(io.StringIO((folder / "chase.csv").read_text(encoding="utf-8-sig"))))
    police_row, opcc_row = (next(r for r in table if r["Partner"] == name) for name in ("Wessex Police", "OPCC"))
    assert (police_row["Updated"], police_row["No update (refs)"], police_row["Returned as sent (refs)"]) == (
        "1", "", "3")
    assert (opcc_row["Updated"], opcc_row["Returned as sent (refs)"], opcc_row["Issues"]) == (
        "0", "2, 4, 6", "unchanged-return ×1")
    # without a pre-fill to compare with (a caller that has none), rows are updated as before
    assert row_for(chase_list(checked_for(root, B)), "OPCC").updated == 3


def test_a_blank_row_of_a_partners_own_sheet_is_no_update_not_returned_as_sent(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The 2023 sample's Criminal Justice Board left action 46's row blank in its own sheet, in the first period
    reportgen builds: chase.csv said it was 'returned as sent', though no workbook was ever sent. Only reportgen's
    own workbooks were pre-filled: the row is the partner's, its empty status the error to chase. Then chase.csv
    counted it updated (20 of 20, nothing to chase) and register.xlsx said "updated", though the partner reported
    nothing: with no status, explanation or timeframe it is no update, in the chase list, the paper and the
    register alike."""
    returns = default_returns()
    returns["opcc.xlsx"][2] = (4, "Fund an advocacy service.", None, None, None)
    root = make_workspace(tmp_path / "ws", period=A, returns=returns)
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 1  # action 4: no status
    assert f"  OPCC: 1 of 3 actions not updated (4); 1 error in inputs/returns/{A}/opcc.xlsx" in capsys.readouterr().out
    table = list(csv.DictReader(io.StringIO((tmp_path / "draft" / "chase.csv").read_text(encoding="utf-8-sig"))))
    opcc = next(row for row in table if row["Partner"] == "OPCC")
    assert (opcc["Updated"], opcc["No update (refs)"], opcc["Returned as sent (refs)"], opcc["Issues"]) == (
        "2", "4", "", "empty-status ×1")
    assert "unchanged-return" not in (tmp_path / "draft" / "issues.csv").read_text(encoding="utf-8-sig")
    sheet = openpyxl.load_workbook(tmp_path / "draft" / "register.xlsx")["Register"]
    headings = [cell.value for cell in sheet[1]]
    [row] = [dict(zip(headings, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)
             if row[0].value == 4]
    assert (row["Status"], row["Update"]) == ("No update", "no-update")
    [paper_row] = [row for row in docx.Document(str(tmp_path / "draft" / "paper.docx")).tables[-1].rows
                   if row.cells[0].text.strip() == "4"]
    assert paper_row.cells[2].text.split("\n")[0] == "No update"


def test_a_blank_template_sent_back_in_the_first_period(tmp_path: Path) -> None:
    """Its blank rows, left as pre-filled, are no update (as if it had not come back), not rows with no status."""
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, A, tmp_path / "workbooks")  # nothing reported before A: blank
    shutil.copy(written[2], root / "inputs" / "returns" / A / written[2].name)
    checked = checked_for(root, A)
    assert [i.value for i in unchanged_returns(checked)] == ["Criminal Justice Board"]
    board = chase_list(checked, unchanged_returns(checked))[2]
    assert (board.issues, board.updated) == ("unchanged-return ×1", 0)


def test_a_workbook_prefilled_from_earlier_returns_sent_back_untouched(tmp_path: Path) -> None:
    """No draft was built: the workbooks are filled from the earlier returns, and so is the comparison."""
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, B)
    (root / "inputs" / "returns" / B).mkdir(parents=True)
    shutil.copy(written[1], root / "inputs" / "returns" / B / written[1].name)
    checked = checked_for(root, B)
    assert [i.value for i in unchanged_returns(checked)] == ["OPCC"]


def test_carry_forward_across_two_periods(tmp_path: Path) -> None:
    narrative = "{{ no_update }} action(s) had no update this period."
    root = make_workspace(tmp_path / "ws", period=A, narrative=narrative)
    _folder, paper_a = keep_draft(root, A)
    assert paper_a.carried_forward == 0
    returns = default_returns()
    del returns["opcc.xlsx"]
    returns["wessex-police.xlsx"][1] = (1, "", "Completed", "Finished in November.", "Done")
    write_xlsx(root / "inputs" / "returns" / B / "wessex-police.xlsx", returns["wessex-police.xlsx"])
    write_xlsx(root / "inputs" / "returns" / B / "criminal-justice-board.xlsx",
               returns["criminal-justice-board.xlsx"])
    plan = prepare_build(root, B)  # the build's own choice of draft to carry forward from
    assert plan.carry_from is not None and plan.carry_from.parent.name == A
    checked = check_plan(plan)
    paper_b = make_paper(plan, checked)

    by_ref = {item.ref: item for item in checked.merged.actions}
    before = {row.ref: row for row in paper_a.rows}
    for ref in (2, 4, 6):
        assert by_ref[ref].state is UpdateState.CARRIED_FORWARD
        assert (by_ref[ref].status, by_ref[ref].explanation) == (before[ref].status, before[ref].explanation)
        assert by_ref[ref].carried_from == f"{A}/draft-01"
    assert by_ref[1].state is UpdateState.UPDATED and by_ref[1].explanation == "Finished in November."
    rows = {row.ref: row for row in paper_b.rows}
    last_reported = "No update received this period: status as last reported (October 2026)"
    assert [rows[ref].note for ref in (2, 4, 6)] == [last_reported] * 3
    assert [rows[ref].status_label for ref in (2, 4, 6)] == ["In progress", "In progress", "Completed"]
    assert all(rows[ref].note == "" for ref in (1, 3))
    # the Criminal Justice Board's return says what October's did, word for word: said so, not as news
    assert rows[5].note == "Return unchanged: status and update as last reported (October 2026)"
    assert paper_b.carried_forward == 3
    assert paper_b.narrative[0].text == "3 action(s) had no update this period."
    assert [i.ref for i in checked.issues if i.code == "carried-forward"] == [2, 4, 6]
    assert row_for(chase_list(checked), "OPCC").no_update == (2, 4, 6)
    # a second month without an OPCC return: the note still says when the status was reported
    keep_draft(root, B)
    for name in ("wessex-police.xlsx", "criminal-justice-board.xlsx"):
        write_xlsx(root / "inputs" / "returns" / "2026-12" / name, returns[name])
    plan_c = prepare_build(root, "2026-12")
    paper_c = make_paper(plan_c, check_plan(plan_c))
    assert [row.note for row in paper_c.rows if row.ref in (2, 4, 6)] == [last_reported] * 3


# ---------------------------------------------------------------- whose return a row is


def chase_csv_rows(root: Path, period: str) -> dict[str, dict[str, str]]:
    """chase.csv of the period's only draft, read back as the officer opens it: a row per partner."""
    [folder] = (root / "outputs" / period).glob("draft-*")
    text = (folder / "chase.csv").read_text(encoding="utf-8-sig")
    return {row["Partner"]: row for row in csv.DictReader(io.StringIO(text))}


def to_chase(printed: str) -> list[str]:
    """The lines of the console's "To chase" section."""
    return [line for line in printed.split("To chase:")[1].splitlines() if line.startswith("  ")]


def test_a_row_of_another_leads_return_is_never_credited_to_the_lead(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Action 4 moves from OPCC to Wessex Police in the register. OPCC's return still has row 4 (as it
    sent it last month); Wessex Police's has no row 4. The paper uses OPCC's update, but the chase list
    never says Wessex Police returned it, as sent or otherwise."""
    register = [REGISTER_HEADINGS, *((ref, section, "Wessex Police" if ref == 4 else lead, text, page)
                                     for ref, section, lead, text, page in ACTIONS)]
    root = make_workspace(tmp_path / "ws", period="2026-09", register=register)
    returns = default_returns()  # October's as September's: every row as the workbooks were pre-filled ...
    returns["wessex-police.xlsx"][1] = (1, "", "Completed", "Finished in October.", "Done")  # ... but one
    make_workspace(root, period=A, register=register, returns=returns)
    assert main(["build", "--workspace", str(root), "--period", A]) in (0, 1)
    printed = capsys.readouterr().out
    table = chase_csv_rows(root, A)
    police, opcc = table["Wessex Police"], table["OPCC"]
    assert (police["Returned"], police["File"], police["Actions led"]) == (
        "Yes", f"inputs/returns/{A}/wessex-police.xlsx", "3")
    assert (police["Updated"], police["Returned as sent (refs)"], police["No update (refs)"]) == ("1", "3", "4")
    assert police["Updated only by another partner (refs)"] == "4"
    # OPCC returned row 4 as sent, but leads only 2 and 6: its own counts are of those
    assert (opcc["Actions led"], opcc["Updated"], opcc["Returned as sent (refs)"], opcc["No update (refs)"]) == (
        "2", "0", "2, 6", "")
    assert "not-lead ×1" in opcc["Issues"]
    assert "  Wessex Police: 1 of 3 actions not updated (4); action 4 updated only in another partner's return" in (
        to_chase(printed))
    # every action of each lead is in exactly one of its columns
    for row in table.values():
        refs = [ref for key in ("No update (refs)", "Returned as sent (refs)") for ref in row[key].split(", ") if ref]
        assert int(row["Updated"]) + len(refs) == int(row["Actions led"])


def police_return_renamed(tmp_path: Path, changes: dict[int, str] | None = None) -> Path:
    """Wessex Police's pre-filled November workbook, saved as police.xlsx (a name that is no lead's), with
    the status of each ref in `changes` changed; nobody else has returned yet. Mail settings, so that
    `reportgen chase --dry-run` can write its reminders."""
    root = make_workspace(tmp_path / "ws", period=A, toml=mail_toml())
    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(tmp_path / "workbooks")]) == 0
    book = openpyxl.load_workbook(tmp_path / "workbooks" / "wessex-police.xlsx")
    for row in book["Return"].iter_rows(min_row=2):
        if row[0].value in (changes or {}):
            row[3].value = (changes or {})[row[0].value]
    (root / "inputs" / "returns" / B).mkdir(parents=True)
    book.save(root / "inputs" / "returns" / B / "police.xlsx")
    return root


def reminders(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """`reportgen chase --dry-run`: the body of each reminder it writes, by the lead it goes to."""
    assert main(["chase", "--workspace", str(root), "--period", B, "--dry-run"]) == 0
    capsys.readouterr()
    bodies = {}
    for path in sorted((root / "outputs" / B / "mail" / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        body = message.get_body(("plain",))
        assert body is not None
        bodies[next(lead for lead, address in ADDRESS.items() if address == message["To"])] = body.get_content()
    return bodies


def test_a_workbook_sent_back_untouched_under_a_name_that_is_no_leads(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police's workbook comes back unchanged as police.xlsx: the chase list says it was sent back as
    pre-filled, naming that file; never "no return", never empty brackets; the reminder says so too."""
    root = police_return_renamed(tmp_path)
    assert main(["validate", "--workspace", str(root), "--period", B]) == 0
    printed = capsys.readouterr().out
    chase = to_chase(printed)
    assert f"  Wessex Police: workbook sent back as it was pre-filled (inputs/returns/{B}/police.xlsx)" in chase
    assert "  OPCC: no return; 3 of 3 actions not updated (2, 4, 6)" in chase
    assert not any("()" in line for line in chase)
    assert "Wessex Police sent no return" not in printed  # it did, under another name
    # our workbook says whose it is (`renamed-return`, a note): the officer is not told to rename it
    assert "Name the file after its lead" not in printed and "matches no lead" not in printed
    sent = reminders(root, capsys)
    assert sorted(sent) == ["Criminal Justice Board", "OPCC", "Wessex Police"]
    assert "The workbook you sent back (police.xlsx) is the one we sent you" in sent["Wessex Police"]
    assert "We have not yet received your return" in sent["OPCC"]


def test_a_return_under_a_name_that_is_no_leads_is_its_leads_in_the_chase_list(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police marks action 3 Completed in its workbook and saves it as police.xlsx: the build's
    console, chase.csv and `reportgen chase` all count it as Wessex Police's return, naming that file."""
    root = police_return_renamed(tmp_path, {3: "Completed"})
    assert main(["build", "--workspace", str(root), "--period", B]) in (0, 1)
    printed = capsys.readouterr().out
    assert not any(line.startswith("  Wessex Police") for line in to_chase(printed))  # nothing to chase it for
    table = chase_csv_rows(root, B)
    police = table["Wessex Police"]
    assert (police["Returned"], police["File"], police["Updated"], police["No update (refs)"],
            police["Returned as sent (refs)"]) == ("Yes", f"inputs/returns/{B}/police.xlsx", "1", "", "1")
    assert police["Issues"] == "renamed-return ×1"  # the file name, once: not each of its rows
    assert list(table) == ["Wessex Police", "OPCC", "Criminal Justice Board"]  # no row for "police" besides
    assert "Wessex Police" not in reminders(root, capsys)


def test_a_file_named_after_no_lead_and_used_for_no_action_is_no_leads_return(tmp_path: Path) -> None:
    """The advice suggests the name of a lead that sent nothing when the file's rows tell nothing; the chase list
    gives the file no row, as if it were a partner."""
    returns = default_returns()
    del returns["criminal-justice-board.xlsx"]
    returns["notes.xlsx"] = [RETURN_HEADINGS, (99, "", "Completed", "Not in the plan.", "")]
    checked = checked_for(make_workspace(tmp_path / "ws", period=A, returns=returns))
    [unknown] = [i for i in checked.issues if i.code == "unknown-partner"]
    assert "(e.g. criminal-justice-board.xlsx)" in unknown.advice
    rows = chase_list(checked)
    assert row_for(rows, "Criminal Justice Board") == ChaseRow("Criminal Justice Board", False, "", 1, 0, (5,), 0, 0,
                                                               "")
    assert [row.partner for row in rows] == ["Wessex Police", "OPCC", "Criminal Justice Board"]  # notes is no partner
    assert not any(row.strays for row in rows)  # nor about any partner's action: its unknown-partner says what to do
    assert [i.value for i in checked.issues if i.code == "missing-return"] == ["Criminal Justice Board"]


def test_a_leads_return_saved_again_under_a_name_that_is_no_leads_is_said_to_be_its_copy_and_no_partner(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A colleague saves OPCC's return again as "Jo Bloggs.xlsx". chase.csv gave the file a row of its own, a
    partner "Jo Bloggs" leading nothing, and the console three warnings, one a row, none saying whose return it
    repeats. Now one warning names the file and OPCC's return it copies and says to take it out of the folder,
    and chase.csv lists each lead once, naming the copy in OPCC's row."""
    returns = default_returns()
    returns["Jo Bloggs.xlsx"] = returns["opcc.xlsx"]
    root = make_workspace(tmp_path / "ws", period=A, returns=returns)
    assert main(["build", "--workspace", str(root)]) == 0
    printed = capsys.readouterr().out
    with (Path(printed.strip().splitlines()[-1]) / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        about = [row for row in csv.DictReader(stream) if row["file"].endswith("Jo Bloggs.xlsx")]
    assert [(row["code"], row["severity"], row["value"]) for row in about] == [("copied-return", "warning", "OPCC")]
    assert (f"every row of it says word for word what OPCC's return (inputs/returns/{A}/opcc.xlsx) says: it is a "
            "copy of that return") in about[0]["message"]
    assert "take the copy out of the returns folder" in about[0]["advice"]
    table = chase_csv_rows(root, A)
    assert list(table) == ["Wessex Police", "OPCC", "Criminal Justice Board"]
    opcc = table["OPCC"]
    assert (opcc["Returned"], opcc["File"], opcc["Updated"], opcc["Warnings"], opcc["Issues"]) == (
        "Yes", f"inputs/returns/{A}/opcc.xlsx; inputs/returns/{A}/Jo Bloggs.xlsx", "3", "1", "copied-return ×1")


@pytest.mark.parametrize("copy_name", ["criminal-justice-board (Jo Bloggs's conflicted copy).xlsx",
                                       "criminal-justice-board (conflicted copy 2026-10-20).xlsx",
                                       "criminal-justice-board-DESKTOP-4F2K.xlsx"])
def test_a_synced_folders_copy_of_a_return_with_an_error_is_the_leads_file_saved_again_and_its_error_told_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], copy_name: str) -> None:
    """Dropbox keeps "(Jo Bloggs's conflicted copy)" of a return saved in two places at once, OneDrive adds the
    computer's name: such a copy was no lead's file, so its error was told a second time, with a warning that it
    fits no lead and one a row, and chase.csv counted two errors against the Criminal Justice Board. It is the
    lead's file saved again, as "(1)" is: the newest is read, its error told and counted once."""
    returns = default_returns()
    returns["criminal-justice-board.xlsx"] = [RETURN_HEADINGS, (5, "Measure file quality.", "", "Update.", "")]
    root = make_workspace(tmp_path / "ws", period=A, returns=returns)
    folder = root / "inputs" / "returns" / A
    copy = shutil.copy2(folder / "criminal-justice-board.xlsx", folder / copy_name)
    os.utime(copy, (time.time() + 60, time.time() + 60))  # synced in after the original
    assert main(["build", "--workspace", str(root)]) == 1
    printed = capsys.readouterr().out
    with (root / "outputs" / A / "draft-01" / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        found = [(row["file"].rsplit("/", 1)[-1], row["code"], row["severity"]) for row in csv.DictReader(stream)]
    assert [(file, code) for file, code, severity in found if severity != "info"] == [(copy_name, "empty-status")]
    assert ("criminal-justice-board.xlsx", "superseded-return", "info") in found
    board = chase_csv_rows(root, A)["Criminal Justice Board"]
    assert (board["File"], board["Errors"], board["Warnings"]) == (f"inputs/returns/{A}/{copy_name}", "1", "0")
    assert f"Criminal Justice Board: 1 error in inputs/returns/{A}/{copy_name}" in printed


def test_a_different_copy_of_a_return_is_not_advised_to_take_the_name_that_would_overwrite_the_leads_return(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC's return saved again as "Jo Bloggs.xlsx" with one explanation changed: the paper's edition of the
    warning said "Name the file after its lead (e.g. opcc.xlsx)", which would overwrite OPCC's own return. It says
    opcc.xlsx is already in the folder, and the name a later version of it takes."""
    returns = default_returns()
    copied = [list(row) for row in returns["opcc.xlsx"]]
    copied[1][3] = "Published in October, a week late."
    returns["Jo Bloggs.xlsx"] = copied
    root = make_workspace(tmp_path / "ws", period=A, returns=returns)
    assert main(["build", "--workspace", str(root)]) == 0
    printed = capsys.readouterr().out
    with (root / "outputs" / A / "draft-01" / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        [unknown] = [row for row in csv.DictReader(stream) if row["code"] == "unknown-partner"]
    for advice in (unknown["advice"], printed):
        assert "Name the file after its lead (e.g. opcc.xlsx)" not in advice
    assert "opcc.xlsx is already in the folder: if this file is a later version of that return, name it opcc.v2.xlsx" \
        in unknown["advice"]


def test_the_one_row_of_a_copied_return_that_differs_is_never_folded_behind_rows_that_say_the_same(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC's return of twelve actions saved again as "Jo Bloggs.xlsx" with one explanation changed: the console
    showed three duplicates saying "Nothing to do for the paper", then "… and 8 more like these", the one row to
    check with its author among those folded away. It is shown, with the duplicates that say the same folded."""
    actions = [(ref, "", "OPCC", f"Action number {ref}.", "") for ref in range(1, 13)]
    rows = [RETURN_HEADINGS, *((ref, text, "In progress", f"Update on action {ref}.", "")
                               for ref, _section, _lead, text, _page in actions)]
    copied = [list(row) for row in rows]
    copied[10][3] = "Delayed to the spring."
    root = make_workspace(tmp_path / "ws", period=A, register=[REGISTER_HEADINGS, *actions],
                          returns={"opcc.xlsx": rows, "Jo Bloggs.xlsx": copied})
    assert main(["validate", "--workspace", str(root)]) == 0
    printed = capsys.readouterr().out
    assert (f"Action 10 is also updated in inputs/returns/{A}/opcc.xlsx row 11; the lead's update is used and this "
            "one is not.") in " ".join(printed.split())
    assert "… and 8 more like these (duplicate-update" in printed  # the 11 saying the same: 3 shown


def test_the_chase_line_names_only_the_file_holding_the_error_not_the_copy_beside_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC's return with a status not recognised, and a colleague's copy of it saved as "Jo Bloggs.xlsx": the
    chase line said "1 error in …/opcc.xlsx; …/Jo Bloggs.xlsx", as if both held the error. It names opcc.xlsx
    alone; chase.csv's File column still names both."""
    returns = default_returns()
    rows = [list(row) for row in returns["opcc.xlsx"]]
    rows[1][2] = "Nearly there"
    returns["opcc.xlsx"] = rows
    returns["Jo Bloggs.xlsx"] = rows
    root = make_workspace(tmp_path / "ws", period=A, returns=returns)
    assert main(["build", "--workspace", str(root)]) == 1
    assert f"  OPCC: 1 error in inputs/returns/{A}/opcc.xlsx" in to_chase(capsys.readouterr().out)
    opcc = chase_csv_rows(root, A)["OPCC"]
    assert (opcc["File"], opcc["Errors"]) == (f"inputs/returns/{A}/opcc.xlsx; inputs/returns/{A}/Jo Bloggs.xlsx", "1")


def test_a_temporary_file_of_a_save_in_progress_is_said_to_be_one_not_told_to_be_saved_as_xlsx(
        tmp_path: Path) -> None:
    """"opcc.xlsx.tmp", left in the returns folder while Excel or a synced drive saved opcc.xlsx, was told "Save it
    as .xlsx or .csv". It is said to be a temporary file, with nothing to save."""
    root = make_workspace(tmp_path / "ws", period=A)
    (root / "inputs" / "returns" / A / "opcc.xlsx.tmp").write_bytes(b"PK\x03\x04")
    assert main(["build", "--workspace", str(root)]) == 0
    with (root / "outputs" / A / "draft-01" / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        [temporary] = [row for row in csv.DictReader(stream) if row["file"].endswith("opcc.xlsx.tmp")]
    assert temporary["message"] == (f"inputs/returns/{A}/opcc.xlsx.tmp is a temporary file, made while a file is "
                                    "being saved or synced; it was not read.")
    assert "Save it as" not in temporary["advice"]
    assert chase_csv_rows(root, A)["OPCC"]["Issues"] == ""  # not a document OPCC sent


def test_a_copy_of_a_return_with_a_row_warned_of_says_it_once_and_counts_it_once_against_the_lead(
        tmp_path: Path) -> None:
    """OPCC's return, one of whose rows gives the action's text otherwise than the register, saved again as
    "Jo Bloggs.xlsx": the copy's row was warned of as well as OPCC's, and chase.csv counted it twice against OPCC
    ("action-text-changed ×1; copied-return ×1; action-text-changed ×1"). The copy's one warning says it all."""
    returns = default_returns()
    rows = [list(row) for row in returns["opcc.xlsx"]]
    rows[1][1] = f"{rows[1][1]} (as amended by the board)"
    returns["opcc.xlsx"] = rows
    returns["Jo Bloggs.xlsx"] = rows
    root = make_workspace(tmp_path / "ws", period=A, returns=returns)
    assert main(["build", "--workspace", str(root)]) == 0
    folder = root / "outputs" / A / "draft-01"
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        found = [(row["file"].rsplit("/", 1)[-1], row["code"]) for row in csv.DictReader(stream)]
    assert [code for file, code in found if file == "Jo Bloggs.xlsx"] == ["copied-return"]
    assert [code for file, code in found if file == "opcc.xlsx"] == ["action-text-changed"]
    opcc = chase_csv_rows(root, A)["OPCC"]
    assert (opcc["Warnings"], opcc["Issues"]) == ("2", "action-text-changed ×1; copied-return ×1")


def test_an_unreadable_file_named_after_no_lead_is_suggested_the_lead_its_name_resembles(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A youth justice team's CSV, headed its own way and named with its initials, reads no row: its advice
    names the lead whose name shares its words, not whichever lead without a file comes first."""
    register = [REGISTER_HEADINGS, *ACTIONS, (7, "Justice", "Youth Justice Service / YOT", "Reduce first-time "
                                                                                           "entrants.", "18")]
    returns = default_returns()
    del returns["criminal-justice-board.xlsx"]
    returns["YJS-YOT Nov 2026.csv"] = [("Action No.", "State", "Progress update"), (7, "Completed", "Down 18%.")]
    root = make_workspace(tmp_path / "ws", period=A, returns=returns, register=register)
    assert main(["build", "--workspace", str(root)]) == 1
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    with (folder / "issues.csv").open(encoding="utf-8-sig") as handle:
        [unknown] = [row for row in csv.DictReader(handle) if row["code"] == "unknown-partner"]
    assert unknown["file"] == f"inputs/returns/{A}/YJS-YOT Nov 2026.csv"
    assert "(e.g. youth-justice-service-yot.xlsx)" in unknown["advice"]


def test_the_chase_list_and_the_checks_say_untouched_of_the_same_returns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """November's workbooks go out pre-filled from October's returns. OPCC sends its workbook back as it was but for
    two rows it added (a new action it proposes under a number the register does not have, and one with no number),
    Wessex Police sends its own back untouched, the Criminal Justice Board updates its action. The chase list said
    OPCC's workbook came back "as it was pre-filled" (and `chase` reminded it "with nothing changed") while the checks
    gave no unchanged-return: each had its own rule (the chase list left out the rows matching no action). Now both
    take one rule, and say it of Wessex Police alone."""
    from reportgen.mail.steps import chase_partners
    from reportgen.run.prefill import prefill_values

    root = make_workspace(tmp_path / "ws", period=A, toml=mail_toml())
    written = {path.name: path for path in write_return_workbooks(root, B)[0]}
    folder = root / "inputs" / "returns" / B
    folder.mkdir(parents=True)
    book = openpyxl.load_workbook(written["opcc.xlsx"])
    book["Return"].append([99, "", "Open a victims' hub.", "Not started", "Proposed by OPCC.", "2027"])
    book["Return"].append([None, "", "Train call handlers.", "Not started", "Proposed by OPCC.", "2027"])
    book.save(folder / "opcc.xlsx")
    shutil.copy(written["wessex-police.xlsx"], folder)
    book = openpyxl.load_workbook(written["criminal-justice-board.xlsx"])
    book["Return"]["D2"] = "Completed"
    book.save(folder / "criminal-justice-board.xlsx")

    checked = checked_for(root, B)
    said_by_checks = {item.value for item in unchanged_returns(checked)}
    rows = chase_list(checked, prefill=prefill_values(checked.carried))
    said_by_chase = {row.partner for row in rows if row.sent_back_as_prefilled}
    assert said_by_checks == said_by_chase == {"Wessex Police"}
    assert row_for(rows, "OPCC").as_sent == (2, 4, 6)  # each row as pre-filled; the workbook not, for rows added

    capsys.readouterr()
    assert main(["validate", "--workspace", str(root), "--period", B]) == 1  # action 99, and a row with no number
    printed = " ".join(capsys.readouterr().out.split())
    assert f"Wessex Police: workbook sent back as it was pre-filled (inputs/returns/{B}/wessex-police.xlsx)" in printed
    assert "OPCC: workbook sent back as it was pre-filled" not in printed
    assert "OPCC may have sent opcc.xlsx back without updating it" not in printed

    reminded = chase_partners(root, B, None, dry_run=True)
    assert [message.partner for message in reminded.sent] == ["Wessex Police"]


def test_the_chase_list_counts_every_issue_the_build_lists_for_a_return(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police deletes action 3's row from its pre-filled workbook and clears action 1's explanation: the
    console and issues.csv list both warnings (`row-deleted`, `explanation-cleared`), but chase.csv counted
    neither, so its Warnings column said fewer than the officer had just read. Every issue the build lists for a
    return file is now counted against its partner."""
    root = make_workspace(tmp_path / "ws", period=A)
    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(tmp_path / "workbooks")]) == 0
    book = openpyxl.load_workbook(tmp_path / "workbooks" / "wessex-police.xlsx")
    sheet = book["Return"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    rows[1][3].value, rows[1][4].value = "Completed", None
    sheet.delete_rows(rows[3][0].row)
    (root / "inputs" / "returns" / B).mkdir(parents=True)
    book.save(root / "inputs" / "returns" / B / "wessex-police.xlsx")
    assert main(["build", "--workspace", str(root), "--period", B]) in (0, 1)
    capsys.readouterr()
    [folder] = (root / "outputs" / B).glob("draft-*")
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        listed = [row for row in csv.DictReader(stream) if row["file"] == f"inputs/returns/{B}/wessex-police.xlsx"]
    assert {row["code"] for row in listed} >= {"row-deleted", "explanation-cleared"}
    police = chase_csv_rows(root, B)["Wessex Police"]
    severities = [row["severity"] for row in listed]
    assert (police["Errors"], police["Warnings"]) == (str(severities.count("error")), str(severities.count("warning")))
    assert "row-deleted ×1" in police["Issues"] and "explanation-cleared ×1" in police["Issues"]


# ---------------------------------------------------------------- a return that could not be read


def chased(root: Path, period: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, dict[str, str]]:
    """`reportgen chase --dry-run` as the officer runs it: what it prints, and the body of each reminder it
    writes (read back from its .eml file), by the address it goes to."""
    assert main(["chase", "--workspace", str(root), "--period", period, "--dry-run"]) == 0
    printed = capsys.readouterr().out
    bodies = {}
    for path in sorted((root / "outputs" / period / "mail" / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        body = message.get_body(("plain",))
        assert body is not None
        bodies[str(message["To"])] = body.get_content()
    return printed, bodies


def built_chase_row(root: Path, period: str, partner: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """The partner's row of the chase.csv `reportgen build` writes, read back with csv."""
    assert main(["build", "--workspace", str(root), "--period", period]) in (0, 1)
    capsys.readouterr()
    return chase_csv_rows(root, period)[partner]


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("opcc.ods", b"PK\x03\x04 an OpenDocument spreadsheet", "opcc.ods is an OpenDocument (LibreOffice) spreadsheet"),
    ("opcc.xlsx", b"", "opcc.xlsx is empty (0 bytes)"),
    ("opcc.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old workbook", "opcc.xls is an old .xls workbook"),
])
def test_a_partner_whose_only_return_could_not_be_read_is_reminded_with_the_file_and_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, reason: str) -> None:
    """OPCC's only file is one reportgen cannot read: validate lists OPCC to chase, but chase sent it nothing, as if
    it had returned, and chase.csv said "Yes". Now the reminder names the file, says why it could not be used and
    what to do, and asks for the return again; chase prints who it reminded and why; chase.csv says it."""
    returns = default_returns()
    del returns["opcc.xlsx"]
    root = make_workspace(tmp_path / "ws", period=A, toml=mail_toml(), returns=returns)
    (root / "inputs" / "returns" / A / name).write_bytes(data)
    # a covering letter beside a return that was read is not what its partner sent as its return
    (root / "inputs" / "returns" / A / "wessex-police.pdf").write_bytes(b"%PDF-1.7 a covering letter")
    printed, bodies = chased(root, A, capsys)
    assert list(bodies) == [ADDRESS["OPCC"]]  # the others returned and updated everything
    body = bodies[ADDRESS["OPCC"]]
    assert f"We received {name} from you, but could not use it as your return for October 2026:" in body
    todo = {".xlsx": "Save the workbook again as .xlsx and send it again.",
            ".xls": 'Save it as an Excel workbook (.xlsx) and send it again. In Excel: File > Save As, file type '
                    '"Excel Workbook (.xlsx)". In LibreOffice: File > Save As, file type "Excel 2007-365 (.xlsx)".',
            ".ods": 'Save it as an Excel workbook (.xlsx) and send it again. In LibreOffice: File > Save As, file '
                    'type "Excel 2007-365 (.xlsx)". In Google Sheets: File > Download > Microsoft Excel (.xlsx). In '
                    'Excel: File > Save As, file type "Excel Workbook (.xlsx)".'}[Path(name).suffix]
    assert f"- {reason}" in body and f"What to do: {todo}" in " ".join(body.split()), body
    assert "Please send your return again." in body
    assert "We have not yet received your return" not in body and "inputs/returns" not in body
    assert f"reminder to OPCC ({ADDRESS['OPCC']})" in printed
    assert f"    why: what it sent could not be read ({name})" in printed
    assert "1 message written as .eml (dry run)" in printed
    opcc = built_chase_row(root, A, "OPCC", capsys)
    assert (opcc["Returned"], opcc["File"]) == ("No: what it sent could not be read", f"inputs/returns/{A}/{name}")
    assert (opcc["No update (refs)"], opcc["Errors"]) == ("2, 4, 6", "1")
    police = chase_csv_rows(root, A)["Wessex Police"]
    assert (police["Returned"], police["File"]) == ("Yes", f"inputs/returns/{A}/wessex-police.xlsx")


def test_a_word_document_sent_in_place_of_the_return_is_named_in_the_reminder_and_the_chase_list(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC sent its update as a Word document: the reminder said "We have not yet received your return" and
    chase.csv "No" with no file, though the partner had sent one. Now both name the document, and the reminder
    asks for the workbook instead."""
    returns = default_returns()
    del returns["opcc.xlsx"]
    root = make_workspace(tmp_path / "ws", period=A, toml=mail_toml(), returns=returns)
    (root / "inputs" / "returns" / A / "OPCC return.docx").write_bytes(b"PK\x03\x04 a Word document")
    printed, bodies = chased(root, A, capsys)
    body = bodies[ADDRESS["OPCC"]]
    assert "We received OPCC return.docx from you, but could not use it as your return for October 2026:" in body
    assert "- OPCC return.docx is a Word document, not a spreadsheet; it was not read." in body
    assert ("What to do: Please fill in the return workbook we sent you (or copy your updates into it) and send it "
            "back as an Excel workbook (.xlsx).") in body
    assert "We have not yet received your return" not in body
    assert "    why: what it sent could not be read (OPCC return.docx)" in printed
    opcc = built_chase_row(root, A, "OPCC", capsys)
    assert (opcc["Returned"], opcc["File"]) == ("No: what it sent could not be read",
                                                 f"inputs/returns/{A}/OPCC return.docx")
    assert (opcc["Warnings"], opcc["Issues"]) == ("1", "unknown-file-type ×1")


def chase_table(folder: Path) -> dict[str, dict[str, str]]:
    """chase.csv of a kept draft, by partner."""
    text = (folder / "chase.csv").read_text(encoding="utf-8-sig")
    return {row["Partner"]: row for row in csv.DictReader(io.StringIO(text))}


def test_a_row_sent_back_as_prefilled_before_an_earlier_correction_keeps_the_correction(
        tmp_path: Path) -> None:
    """November's workbooks were made, then the police corrected action 3 in October's return (Not started to
    In progress) and October was built again. The police sent November's workbook back changing only action 1:
    action 3's row, untouched, still said Not started, and the paper moved it back (↓) with chase.csv counting
    it updated. It is returned as sent: the corrected update, and a note that the partner saw the old one."""
    root = make_workspace(tmp_path / "ws", period=A)
    assert main(["build", "--workspace", str(root), "--period", A]) in (0, 1)
    assert main(["returns", "--workspace", str(root), "--period", B]) == 0
    october = root / "inputs" / "returns" / A / "wessex-police.xlsx"
    book = openpyxl.load_workbook(october)
    book["Return"]["C3"] = "In progress"  # action 3, reported as Not started
    book.save(october)
    assert main(["build", "--workspace", str(root), "--period", A]) in (0, 1)
    book = openpyxl.load_workbook(root / "outputs" / B / "returns" / "wessex-police.xlsx")
    assert [(row[0].value, row[3].value) for row in book["Return"].iter_rows(min_row=2)] == [
        (1, "Completed"), (3, "Not started")]  # made before the correction
    book["Return"]["E2"] = "New this month."
    (root / "inputs" / "returns" / B).mkdir(parents=True)
    book.save(root / "inputs" / "returns" / B / "wessex-police.xlsx")
    assert main(["build", "--workspace", str(root), "--period", B]) in (0, 1)
    [folder] = (root / "outputs" / B).glob("draft-*")
    police = chase_table(folder)["Wessex Police"]
    assert (police["Updated"], police["Returned as sent (refs)"]) == ("1", "3")
    [row] = [row for table in docx.Document(str(folder / "paper.docx")).tables for row in table.rows
             if row.cells[0].text.strip() == "3"]
    assert "In progress" in {cell.text.strip() for cell in row.cells}
    assert not any("↓" in cell.text or "Not started" in cell.text for cell in row.cells)
    issues = (folder / "issues.csv").read_text(encoding="utf-8-sig")
    [note] = [line for line in issues.splitlines() if line.startswith("prefilled-before-correction")]
    assert "Action 3:" in note and "'Not started'" in note and "'In progress'" in note


def _delayed_in_october_and_novembers_workbooks_made(tmp_path: Path) -> Path:
    """The police report action 3 as 'Delayed' (not a status) in October; October built, November's workbooks
    made (action 3's row pre-filled with no status). The workspace."""
    returns = default_returns()
    returns["wessex-police.xlsx"][2] = (3, returns["wessex-police.xlsx"][2][1], "Delayed", "Update on action 3.",
                                        "Spring 2027")
    root = make_workspace(tmp_path / "ws", period=A, returns=returns)
    assert main(["build", "--workspace", str(root), "--period", A]) in (0, 1)
    assert main(["returns", "--workspace", str(root), "--period", B]) == 0
    return root


def test_a_row_prefilled_with_no_status_before_a_correction_is_read_as_corrected_and_does_not_block(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The police reported action 3 as 'Delayed' (not a status) in October, so November's workbook was pre-filled
    with no status for it; then October was corrected to Not started. Sent back untouched, the row was read as the
    corrected update, yet an empty-status error ("Ask the lead partner for the status") blocked publication, and
    the note said the workbook was pre-filled ('')."""
    root = _delayed_in_october_and_novembers_workbooks_made(tmp_path)
    october = root / "inputs" / "returns" / A / "wessex-police.xlsx"
    book = openpyxl.load_workbook(october)
    book["Return"]["C3"] = "Not started"
    book.save(october)
    assert main(["build", "--workspace", str(root), "--period", A]) in (0, 1)
    (root / "inputs" / "returns" / B).mkdir(parents=True)
    shutil.copy(root / "outputs" / B / "returns" / "wessex-police.xlsx", root / "inputs" / "returns" / B)
    capsys.readouterr()
    main(["build", "--workspace", str(root), "--period", B])
    [folder] = (root / "outputs" / B).glob("draft-*")
    rows = list(csv.DictReader(io.StringIO((folder / "issues.csv").read_text(encoding="utf-8-sig"))))
    police = [row for row in rows if row["file"].endswith("wessex-police.xlsx")]
    assert not [row for row in police if row["severity"] == "error"]
    [note] = [row["message"] for row in police if row["code"] == "prefilled-before-correction"]
    assert "pre-filled, with no status, before" in note and "('')" not in note
    assert "corrected update ('Not started')" in note


def test_a_row_left_with_no_status_as_prefilled_is_no_update_and_does_not_block(
        tmp_path: Path) -> None:
    """The police reported action 3 as 'Delayed' (not a status) in October, so November's workbook was pre-filled
    with no status for it, and the police sent it back untouched. An `empty-status` error blocked publication and
    the paper said "No status given", where a partner who sent nothing would have had a warning and "No update".
    The row is no update: a `no-update` warning, nothing blocking."""
    root = _delayed_in_october_and_novembers_workbooks_made(tmp_path)
    (root / "inputs" / "returns" / B).mkdir(parents=True)
    for partner in ("wessex-police.xlsx", "criminal-justice-board.xlsx"):
        shutil.copy(root / "outputs" / B / "returns" / partner, root / "inputs" / "returns" / B)
    main(["build", "--workspace", str(root), "--period", B])
    [folder] = (root / "outputs" / B).glob("draft-*")
    rows = list(csv.DictReader(io.StringIO((folder / "issues.csv").read_text(encoding="utf-8-sig"))))
    assert [row["code"] for row in rows if row["severity"] == "error"] == []
    assert [(row["code"], row["severity"]) for row in rows if row["ref"] == "3"] == [("no-update", "warning")]
    [row] = [row for table in docx.Document(str(folder / "paper.docx")).tables for row in table.rows
             if row.cells[0].text.strip() == "3"]
    assert not any("No status given" in cell.text for cell in row.cells)


def test_an_update_typed_again_with_the_same_html_is_returned_as_sent_as_the_stalled_check_reads_it(
        tmp_path: Path) -> None:
    """The Criminal Justice Board wrote action 5's update with <p> tags in October and, word for word, the same
    in November: the stalled-actions check reads it as the same update, but chase.csv counted it updated."""
    returns = default_returns()
    returns["criminal-justice-board.xlsx"][1] = (5, "Measure file quality.", "On hold",
                                                 "<p>Files are sampled.</p><p>Results in spring.</p>", "Spring 2027")
    root = make_workspace(tmp_path / "ws", period=A, returns=returns)
    assert main(["build", "--workspace", str(root), "--period", A]) in (0, 1)
    (root / "inputs" / "returns" / B).mkdir(parents=True)
    shutil.copy(root / "inputs" / "returns" / A / "criminal-justice-board.xlsx", root / "inputs" / "returns" / B)
    assert main(["build", "--workspace", str(root), "--period", B]) in (0, 1)
    [folder] = (root / "outputs" / B).glob("draft-*")
    board = chase_table(folder)["Criminal Justice Board"]
    assert (board["Updated"], board["Returned as sent (refs)"]) == ("0", "5")


def test_a_new_action_missing_from_the_workbook_is_not_said_to_carry_a_last_status(tmp_path: Path) -> None:
    """Action 7 joined the register after November's workbooks were made, so the police's has no row for it:
    the advice said 'its last status is carried forward', but a new action has none."""
    root = make_workspace(tmp_path / "ws", period=A)
    assert main(["build", "--workspace", str(root), "--period", A]) in (0, 1)
    assert main(["returns", "--workspace", str(root), "--period", B]) == 0
    write_xlsx(root / "inputs" / "register.xlsx",
               [REGISTER_HEADINGS, *ACTIONS, (7, "Justice", "Wessex Police", "Open a new custody suite.", "18")],
               sheet="Register")
    (root / "inputs" / "returns" / B).mkdir(parents=True)
    shutil.copy(root / "outputs" / B / "returns" / "wessex-police.xlsx", root / "inputs" / "returns" / B)
    assert main(["build", "--workspace", str(root), "--period", B]) in (0, 1)
    [folder] = (root / "outputs" / B).glob("draft-*")
    issues = {row["ref"]: row for row in csv.DictReader(io.StringIO(
        (folder / "issues.csv").read_text(encoding="utf-8-sig"))) if row["code"] == "row-deleted"}
    assert list(issues) == ["7"]
    said = issues["7"]["message"] + " " + issues["7"]["advice"]
    assert "carried forward" not in said and "last status" not in said
    assert "new to the register" in said and "first update" in said

