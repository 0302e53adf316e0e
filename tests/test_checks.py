"""Checking and merging: every issue code of the data path, on small workspaces made here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import RETURN_HEADINGS, default_returns, make_workspace, write_xlsx
from reportgen.check.checked import check_inputs
from reportgen.issues import Issue, flatten
from reportgen.read.workspace import find_inputs
from reportgen.settings import CANONICAL_STATUSES


def _check(root: Path):
    inputs, found = find_inputs(root)
    return check_inputs(inputs, found=found)


def _codes(checked, *codes: str):
    return flatten([i for i in checked.issues if i.code in codes], ["code", "file", "row", "ref"])


def test_clean_workspace_merges_every_action(tmp_path: Path) -> None:
    checked = _check(make_workspace(tmp_path))
    assert checked.issues == ()
    assert checked.merged.counts(CANONICAL_STATUSES) == {
        "Completed": 2, "In progress": 2, "Not started": 1, "On hold": 1}
    assert [a.ref for a in checked.merged.actions] == [1, 2, 3, 4, 5, 6]
    assert checked.merged.actions[0].action.text == "Develop a prevention strategy."


def test_unknown_ref_left_out_and_reported(tmp_path: Path) -> None:
    returns = default_returns()
    returns["opcc.xlsx"].append((99, "Not ours", "Completed", "", ""))
    checked = _check(make_workspace(tmp_path, returns=returns))
    assert _codes(checked, "unknown-ref") == [["unknown-ref", "inputs/returns/2026-10/opcc.xlsx", 5, 99]]
    found = next(i for i in checked.issues if i.code == "unknown-ref")  # the row once, in where; the column named
    assert (found.column, found.where.count("row 5"), found.message.count("Row 5")) == ("Plan priority", 1, 0)


def test_a_place_the_message_says_is_not_said_again(tmp_path: Path) -> None:
    """The paper's list of what blocks it printed 'inputs/returns/2026-10/opcc.xlsx: inputs/returns/2026-10/opcc.xlsx
    is empty (0 bytes)', and the console 'row 2, column 'Explanation': Row 2, column 'Explanation' holds …'."""
    root = make_workspace(tmp_path)
    (root / "inputs" / "returns" / "2026-10" / "opcc.xlsx").write_bytes(b"")
    found = next(i for i in _check(root).issues if i.file.endswith("opcc.xlsx"))
    assert found.message.startswith("inputs/returns/2026-10/opcc.xlsx")
    assert found.located == found.message
    said = Issue("no-font-for", "Row 2, column 'Explanation' holds 👍.", file="a.xlsx", sheet="Return", row=2,
                 column="Explanation")
    assert said.located == "a.xlsx, sheet 'Return': Row 2, column 'Explanation' holds 👍."
    assert Issue("x", "Row 21 is long.", file="a.xlsx", row=2).place == "row 2"  # not 'row 2' of 'Row 21'


def test_a_status_typed_in_the_explanation_column_is_pointed_out(tmp_path: Path) -> None:
    """'Completed' typed one column along, with the status cell empty: 'Action 2 has no status in row 3' left the
    officer to find the word; it is named, with its column as the partner headed it."""
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "", "", " Completed ", "")
    checked = _check(make_workspace(tmp_path, returns=returns))
    [said] = [i for i in checked.issues if i.code == "empty-status"]
    assert (said.row, said.blocking, said.value) == (2, True, "Completed")
    assert said.message == ("Action 2 has no status in row 2, and its 'Explanation / Link to meeting papers' cell "
                            "holds 'Completed': a status typed in the wrong column?")
    assert said.advice.startswith("If it is the status, move it into the status column")


def test_status_variants_and_unknown_status_with_suggestion(tmp_path: Path) -> None:
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "", "in PROGRESS.", "", "")
    returns["opcc.xlsx"][2] = (4, "", "Not started yet – phase 2", "", "")
    checked = _check(make_workspace(tmp_path, returns=returns))
    by_ref = {a.ref: a for a in checked.merged.actions}
    assert by_ref[2].status == "In progress"
    assert by_ref[4].status is None and by_ref[4].status_as_written == "Not started yet – phase 2"
    [unknown] = [i for i in checked.issues if i.code == "unknown-status"]
    assert (unknown.row, unknown.column, unknown.value, unknown.blocking) == (
        3, "Status this reporting period", "Not started yet – phase 2", True)
    assert "Did you mean 'Not started'?" in unknown.message
    assert sum(checked.merged.counts(CANONICAL_STATUSES).values()) == 5  # never silently counted


def test_status_alias_from_settings(tmp_path: Path) -> None:
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "", "Ongoing", "", "")
    toml = '[statuses]\naliases = { "Ongoing" = "In progress" }\n'
    checked = _check(make_workspace(tmp_path, returns=returns, toml=toml))
    assert {a.ref: a.status for a in checked.merged.actions}[2] == "In progress"
    assert checked.issues == ()


def test_empty_status(tmp_path: Path) -> None:
    returns = default_returns()
    returns["criminal-justice-board.xlsx"][1] = (5, "", None, None, None)
    checked = _check(make_workspace(tmp_path, returns=returns))
    assert _codes(checked, "empty-status") == [
        ["empty-status", "inputs/returns/2026-10/criminal-justice-board.xlsx", 2, 5]]
    assert checked.blocking


def test_duplicate_update_lead_wins(tmp_path: Path) -> None:
    returns = default_returns()
    returns["criminal-justice-board.xlsx"].append((6, "", "Not started", "CJB view", ""))
    checked = _check(make_workspace(tmp_path, returns=returns))
    merged = {a.ref: a for a in checked.merged.actions}[6]
    assert (merged.status, merged.source) == ("Completed", "inputs/returns/2026-10/opcc.xlsx")
    assert _codes(checked, "duplicate-update") == [
        ["duplicate-update", "inputs/returns/2026-10/criminal-justice-board.xlsx", 3, 6]]
    assert not checked.blocking


def test_another_partners_update_beside_the_leads_unchanged_row_is_said_as_such(tmp_path: Path) -> None:
    """OPCC, the lead of action 6, returned it as last reported; the Criminal Justice Board's return has news of
    it. 'The lead's update is used' read as if the lead had reported anew: the officer took the paper's old text
    for news. It says the lead returned it unchanged, and whom to ask."""
    make_workspace(tmp_path, period="2026-09")
    returns = default_returns()
    returns["criminal-justice-board.xlsx"].append((6, "", "Completed", "CJB view: the strategy was adopted.", ""))
    root = make_workspace(tmp_path, period="2026-10", returns=returns)
    checked = _check(root)
    [said] = [i for i in checked.issues if i.code == "duplicate-update"]
    assert (said.file, said.ref, said.severity.value) == ("inputs/returns/2026-10/criminal-justice-board.xlsx", 6,
                                                          "warning")
    assert said.message == ("Action 6 is updated here, but its lead, OPCC, returned it unchanged "
                            "(inputs/returns/2026-10/opcc.xlsx row 4, as last reported): the paper shows what was last "
                            "reported, and this update is not used.")
    assert said.advice.startswith("Ask OPCC whether this update is right")
    # nothing reported before (a workspace's first period): a blank row of the lead's is not "as last reported"
    first = default_returns()
    first["opcc.xlsx"][3] = (6, "", "", "", "")
    first["criminal-justice-board.xlsx"].append((6, "", "Completed", "CJB view.", ""))
    [plain] = [i for i in _check(make_workspace(tmp_path / "first", returns=first)).issues
               if i.code == "duplicate-update"]
    assert "returned it unchanged" not in plain.message


def test_a_return_with_only_other_partners_actions_blocks(tmp_path: Path) -> None:
    """A lead's workbook holding none of its own actions (another partner's sent back under its name)."""
    returns = default_returns()
    returns["criminal-justice-board.xlsx"] = [RETURN_HEADINGS, *returns["opcc.xlsx"][1:]]
    checked = _check(make_workspace(tmp_path, returns=returns))
    [wrong] = [i for i in checked.issues if i.code == "wrong-partner-return"]
    assert (wrong.file, wrong.sheet, wrong.blocking) == ("inputs/returns/2026-10/criminal-justice-board.xlsx",
                                                         "Return", True)
    assert "no update for the 1 action Criminal Justice Board leads" in wrong.message
    assert "only 3 updates for actions led by 'OPCC'" in wrong.message
    # a return with one of its own actions among others' is a partner reporting on joint work: no issue
    returns["criminal-justice-board.xlsx"].append((5, "", "Completed", "Ours.", ""))
    assert not [i for i in _check(make_workspace(tmp_path / "b", returns=returns)).issues
                if i.code == "wrong-partner-return"]


def test_duplicate_rows_in_the_lead_return_block(tmp_path: Path) -> None:
    returns = default_returns()
    returns["opcc.xlsx"].append((6, "", "Not started", "second row", ""))
    checked = _check(make_workspace(tmp_path, returns=returns))
    # two rows from the lead: which is right cannot be told, so it has its own, blocking, code
    assert [(i.code, i.blocking) for i in checked.issues if "updated in" in i.message] == [("ambiguous-update", True)]
    [ambiguous] = [i for i in checked.issues if i.code == "ambiguous-update"]
    assert ambiguous.message == ("Action 6 is also updated in inputs/returns/2026-10/opcc.xlsx row 4, with status "
                                 "'Completed' there, 'Not started' here; the first one is used and this one is not.")


def test_the_same_row_twice_in_the_lead_return_is_one_update_not_a_choice(tmp_path: Path) -> None:
    """A row copied (or pasted twice) in the lead's return says the same twice: nothing is to be chosen, so it is a
    warning, never blocking the paper until the partner is asked which row is right."""
    returns = default_returns()
    returns["opcc.xlsx"].append(returns["opcc.xlsx"][-1])
    checked = _check(make_workspace(tmp_path, returns=returns))
    [twice] = [i for i in checked.issues if "updated" in i.message and i.ref == returns["opcc.xlsx"][-1][0]]
    assert (twice.code, twice.blocking, twice.row) == ("duplicate-update", False, len(returns["opcc.xlsx"]))
    assert "word for word" in twice.message
    assert twice.advice.startswith("Nothing to do for the paper: they say the same.")


def test_no_update_and_missing_return(tmp_path: Path) -> None:
    returns = default_returns()
    del returns["criminal-justice-board.xlsx"]
    checked = _check(make_workspace(tmp_path, returns=returns))
    assert _codes(checked, "no-update") == [["no-update", "inputs/register.xlsx", 6, 5]]
    assert [i.value for i in checked.issues if i.code == "missing-return"] == ["Criminal Justice Board"]
    assert {a.ref: a.state.value for a in checked.merged.actions}[5] == "no-update"


def test_action_text_changed_register_wins(tmp_path: Path) -> None:
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "Publish a NEW commissioning plan", "In progress", "", "")
    checked = _check(make_workspace(tmp_path, returns=returns))
    assert _codes(checked, "action-text-changed") == [
        ["action-text-changed", "inputs/returns/2026-10/opcc.xlsx", 2, 2]]
    assert {a.ref: a.action.text for a in checked.merged.actions}[2] == "Publish the commissioning plan."


def test_wording_differing_only_in_case_and_punctuation_is_not_a_change(tmp_path: Path) -> None:
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "publish the commissioning plan", "In progress", "", "")
    assert _codes(_check(make_workspace(tmp_path, returns=returns)), "action-text-changed") == []


def test_unknown_partner_file(tmp_path: Path) -> None:
    returns = default_returns()
    returns["fire-service.xlsx"] = [RETURN_HEADINGS, (1, "", "Completed", "Fire view", "")]
    checked = _check(make_workspace(tmp_path, returns=returns))
    assert [i.code for i in checked.issues] == ["unknown-partner", "duplicate-update"]
    # the lead's update is used, not its: the file's own line does not say its updates are used
    assert "None of its updates are used: see its other issues." in checked.issues[0].message
    # its one row is Wessex Police's action, and Wessex Police returned that row too: its file is there already
    assert checked.issues[0].advice.startswith("wessex-police.xlsx is already in the folder: if this file is a later "
                                               "version of that return, name it wessex-police.v2.xlsx")


def test_non_return_files_reported(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    folder = root / "inputs" / "returns" / "2026-10"
    (folder / "notes.docx").write_bytes(b"x")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "~$opcc.xlsx").write_bytes(b"lock")
    (folder / "link.xlsx").symlink_to(folder / "opcc.xlsx")
    (folder / "cjb.txt").write_bytes("Plan priority\tStatus\r\n1\tCompleted\r\n".encode("utf-16"))  # Unicode Text
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")  # Windows' own: passed over, as .DS_Store is
    (folder / "late").mkdir()
    checked = _check(root)
    assert flatten([i for i in checked.issues if i.code != "unknown-partner"], ["code", "file"]) == [
        ["unknown-file-type", "inputs/returns/2026-10/late"],
        ["unsafe-path", "inputs/returns/2026-10/link.xlsx"],
        ["unknown-file-type", "inputs/returns/2026-10/notes.docx"],
        ["workbook-open", "inputs/returns/2026-10/~$opcc.xlsx"],  # Excel's lock file: opcc.xlsx may be open
        ["unreadable-file", "inputs/returns/2026-10/cjb.txt"],  # a return not read blocks, as an .xls does
        ["unreadable-file", "inputs/returns/2026-10/old.xls"],
    ]
    folder_issue = next(i for i in checked.issues if i.file.endswith("/late"))
    assert folder_issue.advice == ("Move the returns in it up into the period folder, or move the folder out of "
                                   "inputs/returns.")  # not "save it as .xlsx"
    letter = next(i for i in checked.issues if i.file.endswith("notes.docx"))  # nor a covering letter
    assert letter.message == "inputs/returns/2026-10/notes.docx is a Word document, not a spreadsheet; it was not read."
    assert letter.advice.startswith("If the partner wrote its update in it, ask for the return workbook")


@pytest.mark.parametrize(("suffix", "what"), [(".ods", "an OpenDocument (LibreOffice) spreadsheet; it was not read"),
                                              (".txt", "a text file (Excel's Text or Unicode Text format); it was "
                                                       "not read as a return")])
def test_a_return_saved_in_a_format_not_read_is_its_partners_error_not_a_missing_return(
        tmp_path: Path, suffix: str, what: str) -> None:
    """A partner's return saved as .ods (LibreOffice), or with Excel's Save As > Unicode Text, is not read: an
    error that blocks, about that partner's file, never "sent no return" (the chase list would chase a partner
    who did send one, and the paper could go out with their actions as "No update")."""
    root = make_workspace(tmp_path)
    folder = root / "inputs" / "returns" / "2026-10"
    (folder / "opcc.xlsx").rename(folder / f"opcc{suffix}")
    checked = _check(root)
    unread = [i for i in checked.issues if i.code == "unreadable-file"]
    assert [(i.file, i.blocking, i.message) for i in unread] == [
        (f"inputs/returns/2026-10/opcc{suffix}", True,
         f"inputs/returns/2026-10/opcc{suffix} is {what}.")]
    assert not [i for i in checked.issues if i.code == "missing-return"]


def test_a_return_named_with_its_extension_twice_is_matched_to_its_partner(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    folder = root / "inputs" / "returns" / "2026-10"
    (folder / "opcc.xlsx").rename(folder / "opcc.xlsx.xlsx")  # extensions hidden in Windows Explorer
    before = _check(make_workspace(tmp_path / "plain"))
    checked = _check(root)
    assert flatten(checked.issues, ["code"]) == flatten(before.issues, ["code"])


def test_an_update_of_an_action_withdrawn_since_the_workbooks_were_sent_is_a_warning(tmp_path: Path, capsys) -> None:
    """The secretariat sends October's workbooks, then withdraws action 6 from the register; the OPCC
    updates the workbook it was sent, action 6 included. That update was an unknown-ref error, which
    blocked the paper until someone edited the partner's file, and told the partner to check the number
    against the workbook we sent (which has it). It is a warning naming the draft that had the action;
    the paper leaves the action out and is not blocked."""
    import csv

    import openpyxl

    from conftest import ACTIONS, REGISTER_HEADINGS
    from reportgen.shells.cli import main

    root = make_workspace(tmp_path, "2026-09")
    assert main(["build", "--workspace", str(root), "--period", "2026-09"]) == 0
    assert main(["returns", "--workspace", str(root), "--period", "2026-10"]) == 0
    without_6 = [REGISTER_HEADINGS, *(action for action in ACTIONS if action[0] != 6)]
    returns = {name: rows for name, rows in default_returns().items() if name != "opcc.xlsx"}
    make_workspace(tmp_path, "2026-10", register=without_6, returns=returns)
    book = openpyxl.load_workbook(root / "outputs" / "2026-10" / "returns" / "opcc.xlsx")
    sheet = book["Return"]
    filled = root / "inputs" / "returns" / "2026-10" / "opcc.xlsx"
    for row in sheet.iter_rows(min_row=2):
        row[3].value, row[4].value = "In progress", f"October's update of action {row[0].value}."
    book.save(filled)
    row_of_6 = next(row[0].row for row in sheet.iter_rows(min_row=2) if str(row[0].value) == "6")
    capsys.readouterr()
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) == 0
    folder = Path(capsys.readouterr().out.splitlines()[-1])
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as file:
        found = [row for row in csv.DictReader(file) if row["ref"] == "6"]
    assert [(i["code"], i["severity"], i["file"], i["sheet"], i["row"], i["column"], i["value"]) for i in found] == [
        ("withdrawn-ref", "warning", "inputs/returns/2026-10/opcc.xlsx", "Return", str(row_of_6), "Plan priority", "6")]
    assert found[0]["message"] == ("Action 6 was in the paper of 2026-09/draft-01 and is no longer in the register "
                                   "(withdrawn?); this update is not shown.")
    paper = json.loads((folder / "draft.json").read_text(encoding="utf-8"))["paper"]
    assert sorted(row["ref"] for section in paper["sections"] for row in section["rows"]) == [1, 2, 3, 4, 5]


def test_a_section_written_two_ways_is_an_error_at_its_row_not_a_second_heading(tmp_path: Path) -> None:
    """A new office's register writes 'Victims' as 'victims' on one row and 'Justice' as 'Justice:' on
    another: the paper headed each twice. Each other spelling is now a located error, so the paper with the
    doubled headings is not published unmarked."""
    import csv

    from pypdf import PdfReader

    from conftest import ACTIONS, REGISTER_HEADINGS
    from reportgen.shells.cli import main

    register = [REGISTER_HEADINGS, *ACTIONS]
    register[4] = (4, "victims", "OPCC", "Fund an advocacy service.", "13- 14")  # row 5
    register[6] = (6, "Justice:", "OPCC", "Lobby for court capacity.", "16 - 17")  # row 7
    root = make_workspace(tmp_path / "ws", register=register)
    assert main(["build", "--workspace", str(root)]) == 1
    [folder] = (root / "outputs" / "2026-10").glob("draft-*")
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = [row for row in csv.DictReader(stream) if row["code"] == "section-spelling"]
    assert [(r["file"], r["row"], r["column"], r["value"], r["ref"], r["severity"]) for r in rows] == [
        ("inputs/register.xlsx", "5", "Section", "victims", "4", "error"),
        ("inputs/register.xlsx", "7", "Section", "Justice:", "6", "error")]
    assert "is written 'Victims' on row 4" in rows[0]["message"] and "(e.g. 'Justice')" in rows[1]["advice"]
    text = "\n".join(page.extract_text() for page in PdfReader(folder / "paper.pdf").pages)
    assert "DRAFT – not for publication: 2 issues to resolve" in text
    assert "Section 'victims' (row 5) is written 'Victims' on row 4" in " ".join(text.split())


def test_register_actions_on_a_second_sheet_are_told_as_the_registers(tmp_path: Path) -> None:
    """A new office keeps next year's actions on a second sheet of its register, under the same headings: not
    read, and said so as the register's actions (not as 'the return's headings … not this period's')."""
    import csv

    import openpyxl

    from conftest import REGISTER_HEADINGS
    from reportgen.shells.cli import main

    root = make_workspace(tmp_path / "ws")
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    later = book.create_sheet("Year 2 actions")
    later.append(list(REGISTER_HEADINGS))
    later.append([7, "Justice", "OPCC", "Open a second hub.", "18"])
    later.append([8, "Justice", "OPCC", "Review the hub.", "19"])
    book.save(path)
    assert main(["build", "--workspace", str(root)]) == 1
    [folder] = (root / "outputs" / "2026-10").glob("draft-*")
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        [row] = [row for row in csv.DictReader(stream) if row["code"] == "rows-on-another-sheet"]
    assert (row["file"], row["sheet"], row["row"], row["severity"]) == (
        "inputs/register.xlsx", "Year 2 actions", "2", "error")
    assert row["message"] == ("Sheet 'Year 2 actions' in the register inputs/register.xlsx also has the register's "
                              "headings, with 2 rows under them from row 2: that sheet was not read, so none of its "
                              "actions is in the paper (only sheet 'Register' was).")
    assert "return" not in row["message"] + row["advice"] and "period" not in row["advice"]
    assert row["advice"].startswith("Move those actions onto sheet 'Register' with the others")


def test_an_empty_return_or_register_is_told_as_empty_with_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A partner sends an empty workbook, another a CSV of 0 bytes; a new office's register is saved empty.
    Each was told as a matter of headings ('No sheet has the headings … rename the headings'), of a password
    ('save it as .xlsx (without a password)') or of a partner ('Ask the partner' about the register)."""
    import csv

    import openpyxl

    from reportgen.shells.cli import main

    returns = default_returns()
    del returns["opcc.xlsx"], returns["wessex-police.xlsx"]
    root = make_workspace(tmp_path / "ws", returns=returns)
    folder = root / "inputs" / "returns" / "2026-10"
    openpyxl.Workbook().save(folder / "opcc.xlsx")
    (folder / "wessex-police.csv").write_bytes(b"")
    assert main(["build", "--workspace", str(root)]) == 1
    [draft] = (root / "outputs" / "2026-10").glob("draft-*")
    with (draft / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        told = {row["file"]: (row["code"], row["severity"], row["message"], row["advice"])
                for row in csv.DictReader(stream) if row["file"].startswith("inputs/returns/")}
    assert told["inputs/returns/2026-10/opcc.xlsx"] == (
        "empty-file", "error", "inputs/returns/2026-10/opcc.xlsx holds nothing: not one of its cells is filled in.",
        "Ask the partner for the completed return.")
    assert told["inputs/returns/2026-10/wessex-police.csv"] == (
        "unreadable-file", "error", "inputs/returns/2026-10/wessex-police.csv is empty (0 bytes): there is nothing "
        "in it to read.", "Save or copy the file again: one of 0 bytes was saved or copied before anything was "
        "written to it.")

    register = root / "inputs" / "register.xlsx"
    for content, says in [
            (None, "The register inputs/register.xlsx holds nothing: not one of its cells is filled in. Save the "
                   "register with its actions in it"),
            (b"", "inputs/register.xlsx is empty (0 bytes): there is nothing in it to read."),
            ("headings", "The register inputs/register.xlsx holds no actions. Fill in the register, one row per "
                         "action under its headings")]:
        if content is None or content == "headings":
            book = openpyxl.Workbook()
            if content == "headings":
                book.active.append(["Plan priority", "Section", "Lead", "Action"])  # type: ignore[union-attr]
            book.save(register)
        else:
            register.write_bytes(content)
        capsys.readouterr()
        assert main(["validate", "--workspace", str(root)]) == 1
        error = " ".join(capsys.readouterr().err.split())
        assert says in error and "partner" not in error and "password" not in error and "heading'" not in error


def test_a_totals_row_under_the_register_is_said_to_be_a_total_and_left_out_of_the_paper(tmp_path: Path) -> None:
    """A new office's register ends with a totals row ('Total' and the count): it was a blocking bad-ref whose advice
    only said to write the plan priority number, which a totals row has none of. It is now said to be a total (a
    warning, with what to do if it is an action after all), blocks nothing, and is not in the paper."""
    import csv

    from docx import Document

    from conftest import ACTIONS, REGISTER_HEADINGS
    from reportgen.shells.cli import main

    root = make_workspace(tmp_path / "ws", register=[REGISTER_HEADINGS, *ACTIONS, ("Total", "", "", "6", "")])
    assert main(["build", "--workspace", str(root)]) == 0
    [folder] = (root / "outputs" / "2026-10").glob("draft-*")
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        [row] = [row for row in csv.DictReader(stream) if row["code"] == "note-row"]
    assert (row["severity"], row["file"], row["row"], row["column"], row["value"]) == (
        "warning", "inputs/register.xlsx", "8", "Plan priority", "Total")
    assert "is a total" in row["message"] and "is not in the paper" in row["message"]
    assert row["advice"].startswith("Nothing to do if it is a total. If it is an action, write its plan priority")
    cells = {cell.text for table in Document(str(folder / "paper.docx")).tables for cell in table._cells}
    assert "Total" not in cells and not any(text.startswith("Total") for text in cells)


@pytest.mark.parametrize("newest", [b"", None])  # an empty file; a copy holding the headings only
def test_a_newest_file_that_cannot_be_read_says_which_return_it_set_aside(tmp_path: Path, newest: bytes | None
                                                                           ) -> None:
    """A copy of OPCC's return, emptied or cut to its headings, saved later as 'opcc (1).xlsx': it is the newest,
    so it was the one read, and the return that was in the folder was set aside in a note the console hides; the
    chase list had OPCC as sending nothing. A warning now names the file set aside and how to have it read."""
    import os

    from conftest import write_xlsx

    root = make_workspace(tmp_path)
    folder = root / "inputs" / "returns" / "2026-10"
    copy = folder / "opcc (1).xlsx"
    if newest is None:
        write_xlsx(copy, [RETURN_HEADINGS])
    else:
        copy.write_bytes(newest)
    os.utime(folder / "opcc.xlsx", (1_000_000, 1_000_000))
    checked = _check(root)
    [unread] = [i for i in checked.issues if i.code == "newest-return-unread"]
    assert (unread.file, unread.severity.value) == ("inputs/returns/2026-10/opcc.xlsx", "warning")
    assert unread.message == ("inputs/returns/2026-10/opcc.xlsx was set aside for inputs/returns/2026-10/opcc (1)"
                              ".xlsx, OPCC's newest return, from which no update could be read: none of OPCC's "
                              "updates is used.")
    assert unread.advice.startswith("If inputs/returns/2026-10/opcc (1).xlsx is not the partner's latest return")
    (folder / "opcc (1).xlsx").unlink()  # as the advice says: the return in the folder is read, nothing said
    assert not [i for i in _check(root).issues if i.code == "newest-return-unread"]


def test_a_stray_file_whose_suggested_name_is_taken_is_not_told_to_take_it(tmp_path: Path) -> None:
    """'criminal-justice-board-extra.xlsx' beside the board's own return: the advice named the file after its lead,
    criminal-justice-board.xlsx, which is already there; following it would overwrite the board's return. It now
    says that file is there, and the name a later version takes beside it."""
    root = make_workspace(tmp_path)
    folder = root / "inputs" / "returns" / "2026-10"
    # a later version of the board's return, not a copy of it (`copied-return` says a copy)
    rows = [list(row) for row in default_returns()["criminal-justice-board.xlsx"]]
    rows[1][3] = f"{rows[1][3]} Revised after the board met."
    write_xlsx(folder / "criminal-justice-board-extra.xlsx", rows)
    [stray] = [i for i in _check(root).issues if i.code == "unknown-partner"]
    assert stray.file == "inputs/returns/2026-10/criminal-justice-board-extra.xlsx"
    assert stray.advice == ("criminal-justice-board.xlsx is already in the folder: if this file is a later version of "
                            "that return, name it criminal-justice-board.v2.xlsx (the most recently saved is read); "
                            "if it is not a return, move it out of the folder.")
    (folder / "criminal-justice-board-extra.xlsx").rename(folder / "criminal-justice-board.v2.xlsx")  # as advised
    assert not [i for i in _check(root).issues if i.code == "unknown-partner"]
