"""What `reportgen validate` tells an officer about a partner's file: enough to find the row or cell and
fix it. Every file is made here, put in a workspace, and checked as a user checks it, from the command line."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Sequence
from pathlib import Path

import docx
import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from conftest import (
    ACTIONS,
    FULL_COVER,
    REGISTER_HEADINGS,
    RETURN_HEADINGS,
    default_returns,
    edit_sheet_xml,
    make_workspace,
    write_csv,
    write_xlsx,
)
from reportgen.issues import Issue, flatten
from reportgen.run.build import validate_draft
from reportgen.settings import CANONICAL_STATUSES
from reportgen.shells.cli import main

RETURNS = Path("inputs") / "returns" / "2026-10"
OPCC = f"{RETURNS.as_posix()}/opcc.xlsx"


def _validate(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, list[Issue]]:
    """`reportgen validate --all` as typed (exit code, what it printed, lines unwrapped), and its issues."""
    code = main(["validate", "--workspace", str(root), "--all", *options])
    printed = " ".join(capsys.readouterr().out.split())
    edition = "restricted" if "restricted" in options else "public"
    return code, printed, list(validate_draft(root, edition=edition).issues)


def _of(issues: list[Issue], *codes: str) -> list[Issue]:
    return [i for i in issues if i.code in codes]


# ---------------------------------------------------------------- a row with no action reference


def test_a_row_without_a_reference_says_what_it_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    returns = default_returns()
    returns["opcc.xlsx"] += [(None, "Lobby for court capacity.", "Completed", "Two new courts.", "2027"),
                             (None, None, "In progress", "  The commissioning   plan went to the board in "
                              "October and was agreed with minor changes to the budget lines.", "")]
    register = [REGISTER_HEADINGS, (1, "", "Wessex Police", "Develop a prevention strategy.", "9-10"),
                ("", "", "OPCC", "Fund a new victims' hub.", "18")]
    root = make_workspace(tmp_path / "ws", returns=returns, register=register)
    code, printed, issues = _validate(root, capsys)
    assert code == 1
    found = _of(issues, "missing-ref")
    assert flatten(found, ["file", "sheet", "row", "column", "value"]) == [
        ["inputs/register.xlsx", "Register", 3, "Plan priority", ""],
        [OPCC, "Return", 5, "Plan priority", ""],
        [OPCC, "Return", 6, "Plan priority", ""]]
    # the action text, else the first other cell with text (spaces collapsed, cut short), and its column
    assert [i.message for i in found] == [
        "Row 3 has no action reference; row left out. It holds 'Fund a new victims' hub.' in column 'Action'.",
        "Row 5 has no action reference; this update was left out. It holds 'Lobby for court capacity.' in "
        "column 'Action'.",
        "Row 6 has no action reference; this update was left out. It holds 'In progress' in column 'Status this "
        "reporting period'."]
    assert "It holds 'Lobby for court capacity.' in column 'Action'." in printed


def test_an_action_whose_row_was_refused_for_its_reference_says_so(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC wrote 'Action 2' where the number goes: the row was refused ('did you mean 2?'), and action 2 was also
    'not updated: chase the lead partner', though its update was in the return. Its 'not updated' now names that
    row; '4a' names no action for sure, so action 4's stays as it was."""
    returns = default_returns()
    opcc = returns["opcc.xlsx"]
    opcc[1], opcc[2], opcc[3] = ("Action 2", *opcc[1][1:]), ("4a", *opcc[2][1:]), ("6.", *opcc[3][1:])
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, printed, issues = _validate(root, capsys)
    assert code == 1 and [i.row for i in _of(issues, "bad-ref")] == [2, 3, 4]
    two, four, six = _of(issues, "no-update")
    assert (two.ref, two.file, two.row, two.blocking) == (2, "inputs/register.xlsx", 3, False)
    assert two.message == ("Action 2 (OPCC): no update was read for this action this period; "
                           f"{OPCC} row 2, left out for its reference 'Action 2', looks like its update.")
    assert two.advice.startswith("Correct that row's reference to 2 if it is this action's update")
    assert four.message == "Action 4 (OPCC): no return updated this action this period."
    assert six.message == ("Action 6 (OPCC): no update was read for this action this period; "
                           f"{OPCC} row 4, left out for its reference '6.', looks like its update.")
    assert "looks like its update" in printed


def test_a_long_cell_is_shortened_and_an_unheaded_column_named_by_its_letter(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ws" / RETURNS / "opcc.csv"
    returns = default_returns()
    del returns["opcc.xlsx"]
    root = make_workspace(tmp_path / "ws", returns=returns)
    long = "The commissioning plan went to the board in October and was agreed with minor changes."
    write_csv(path, [RETURN_HEADINGS[:4], (2, "", "Completed", "Done."), (None, None, None, None, None, long)])
    _code, _printed, issues = _validate(root, capsys)
    [found] = _of(issues, "missing-ref")
    assert (found.file, found.row) == (f"{RETURNS.as_posix()}/opcc.csv", 3)
    assert found.message.endswith("It holds 'The commissioning plan went to the board in October and was…' in "
                                  "column F.")


def test_a_heading_with_a_backslash_or_an_apostrophe_is_quoted_as_the_partner_typed_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Messages quoted headings as Python writes them: 'Status\\\\Update' with its backslash doubled and
    "Partner's notes" in double quotes, neither of which the officer finds in the workbook. Both read as typed, in
    what validate prints and in the draft's issues.csv; the reportgen.toml line to copy stays TOML."""
    returns = default_returns()
    opcc, police = returns["opcc.xlsx"], returns["wessex-police.xlsx"]
    returns["opcc.xlsx"] = [(*RETURN_HEADINGS[:2], "Status\\Update", *RETURN_HEADINGS[3:]), *opcc[1:]]
    returns["wessex-police.xlsx"] = [(*RETURN_HEADINGS, "Partner's notes"),
                                     *((*row, "See the board's minutes.") for row in police[1:])]
    root = make_workspace(tmp_path / "ws", returns=returns)
    said = ("Column 'Status this reporting period' was not found in inputs/returns/2026-10/opcc.xlsx, so none of its "
            "rows were read. Did you mean 'Status\\Update'?",
            "Column 'Partner's notes' is not one of the columns read, so what it holds is not in the paper (in this "
            "row: 'See the board's minutes.';")
    code, printed, _issues = _validate(root, capsys)
    assert code == 1 and all(message in printed for message in said), printed
    assert "column 'Status\\Update':" in printed and 'status = { aliases = ["Status\\\\Update"] }' in printed

    main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")])
    with (tmp_path / "draft" / "issues.csv").open(newline="", encoding="utf-8-sig") as file:
        rows = {row["code"]: row for row in csv.DictReader(file)}
    assert [(rows[code]["column"], rows[code]["message"][:len(message)]) for code, message in
            zip(("missing-column", "unread-column"), said, strict=True)] == [
        ("Status\\Update", said[0]), ("Partner's notes", said[1])]


# ---------------------------------------------------------------- TRUE/FALSE where words go


def test_a_true_false_value_in_a_timeframe_or_explanation_is_said(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A timeframe linked to a tick box held FALSE: the paper printed 'FALSE' as the partner's timeframe, with no
    word to the officer. It is a warning naming the action, the cell and what the paper shows."""
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "", "In progress", "Plan drafted.", False)
    returns["opcc.xlsx"][2] = (4, "", "Completed", True, "2027")
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, _printed, issues = _validate(root, capsys)
    found = _of(issues, "true-false-value")
    assert flatten(found, ["row", "column", "ref", "value"]) == [
        [2, "Timeframe for delivery / Completion", 2, "FALSE"], [3, "Explanation / Link to meeting papers", 4, "TRUE"]]
    assert found[0].message == ("Action 2: the cell holds the value FALSE (TRUE or FALSE, as a tick box or a formula "
                                "gives), not words; the paper shows FALSE.")
    assert code == 0 and not any(i.blocking for i in found)


def test_a_timeframe_formatted_as_a_time_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A timeframe cell formatted as a time showed 00:00, and one where '2027' was typed into such a cell showed
    00:00 too (day 2,027 of Excel's calendar, at midnight): the paper printed '00:00' with no word to the officer."""
    import datetime as dt

    root = make_workspace(tmp_path / "ws")
    path = root / RETURNS / "opcc.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet["E2"], sheet["E3"] = dt.time(0, 0), 2027
    sheet["E2"].number_format, sheet["E3"].number_format = "hh:mm", "h:mm"
    book.save(path)
    code, _printed, issues = _validate(root, capsys)
    found = _of(issues, "time-value")
    assert flatten(found, ["row", "column", "ref", "value"]) == [
        [2, "Timeframe for delivery / Completion", 2, "00:00"], [3, "Timeframe for delivery / Completion", 4, "00:00"]]
    assert found[0].message == "Action 2: the cell is formatted as a time and shows '00:00'; the paper shows '00:00'."
    assert found[1].message == ("Action 4: the cell is formatted as a time and shows '00:00', though it holds the "
                                "number 2027 (typed into a cell formatted as a time?); the paper shows '00:00'.")
    assert code == 0 and not any(i.blocking for i in found)
    sheet["E2"], sheet["E3"] = dt.datetime(2027, 3, 31), "Spring 2027"  # a date is a timeframe: nothing said
    sheet["E2"].number_format = "d mmmm yyyy"
    book.save(path)
    assert not _of(_validate(root, capsys)[2], "time-value")


def test_an_update_in_the_wrong_column_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Three mistakes that reached a paper the build called publishable, with no word: OPCC typed action 2's update in
    the timeframe column and 'Ongoing' in the explanation's; pasted action 4's date as a value into a General cell
    (the paper printed 45382); and wrote action 6's update over its action text, leaving the explanation blank (the
    paper showed the register's action and no update, and the warning said to change the register)."""
    update = ("A sergeant and four constables have been recruited to the rural crime team, and specialist training "
              "on wildlife and heritage crime is under way with partner agencies across the county.")
    returns = default_returns()
    opcc = returns["opcc.xlsx"]
    opcc[1] = (2, "Publish the commissioning plan.", "In progress", "Ongoing", update)
    opcc[2] = (4, "Fund an advocacy service.", "In progress", "Bids are in.", 45382)
    opcc[3] = (6, "Bid to be submitted in March to the court service.", "In progress", None, "2027")
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, _printed, issues = _validate(root, capsys)
    assert code == 0
    [swapped] = _of(issues, "long-timeframe")
    assert (swapped.row, swapped.ref, swapped.column) == (2, 2, "Timeframe for delivery / Completion")
    assert swapped.message == ("Action 2: the timeframe (30 words) is longer than the explanation ('Ongoing'): were "
                               "the two typed in each other's columns? The paper prints them as written.")
    [date] = _of(issues, "date-number")
    assert date.message == ("Action 4: the timeframe is the number 45382, which is 31 March 2024 in Excel's calendar: "
                            "a date pasted as a number, or in a cell formatted as General? The paper shows 45382.")
    [action] = _of(issues, "action-text-changed")
    assert (action.ref, action.column) == (6, "Action")
    assert action.message.startswith("Action 6: the explanation is empty, and the action cell holds other words "
                                     "than the register's ('Bid to be submitted in March to the court service.'): "
                                     "is that the update?")
    assert "change the register" not in action.advice

    opcc[1] = (2, "Publish the commissioning plan.", "Not started", "", f"{update} {update}")  # 60 words
    opcc[2] = (4, "Fund an advocacy service.", "In progress", "Bids are in.", 2027)  # a year: a timeframe
    opcc[3] = (6, "Lobby for more court capacity", "Not started", "",  # the action reworded, nothing to say yet
               "Summer 2023 for completion of the recommendations from the review.")  # a long one, as in the sample
    returns["wessex-police.xlsx"][1] = (1, "Develop a prevention strategy.", "In progress", "See priority 79.",
                                        "Ongoing, reviewed each quarter by the board until the end of 2027")
    root = make_workspace(tmp_path / "ws2", returns=returns)
    _code, _printed, issues = _validate(root, capsys)
    assert [(i.ref, i.message.split(":")[1]) for i in _of(issues, "long-timeframe")] == [
        (2, " the timeframe is 60 words long; is it the explanation, or part of it? The paper prints it in the "
            "timeframe column.")]
    assert not _of(issues, "date-number")
    [shortened] = _of(issues, "action-text-changed")
    assert shortened.message == ("Action 6: the return's action text differs from the register; the register's "
                                 "wording is used.")


def test_a_confidential_column_or_another_lead_in_a_return_is_said(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A partner adds a 'Confidential' column and writes 'Yes - Part II only, do not publish' against action 6, and
    an 'Owner' column naming an officer: both columns were passed over without a word (they are the register's
    headings), and the public paper printed action 6's sensitive update. A return cannot make an action exempt:
    the build is blocked until the register marks it (or the cell is cleared); another lead is a warning."""
    returns = default_returns()
    opcc = returns["opcc.xlsx"]
    opcc[0] = (*RETURN_HEADINGS, "Confidential", "Owner", "Page")
    opcc[1] = (*opcc[1], "No", "OPCC", "11")
    opcc[2] = (*opcc[2], None, None, "13-14")
    opcc[3] = (6, "Lobby for court capacity.", "In progress", "Sensitive: the providers under consideration.",
               "Spring 2027", "Yes - Part II only, do not publish", "J Smith", "18")
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, _printed, issues = _validate(root, capsys)
    assert code == 1
    [exempt] = _of(issues, "return-exempt")
    assert (exempt.ref, exempt.row, exempt.column, exempt.value) == (6, 4, "Confidential",
                                                                     "Yes - Part II only, do not publish")
    assert exempt.message.startswith("Action 6: the return's column 'Confidential' says 'Yes - Part II only, do not "
                                     "publish', but the register does not mark the action exempt")
    assert [(i.ref, i.column, i.message.split(": ", 1)[1]) for i in _of(issues, "register-column-changed")] == [
        (6, "Owner", "the return's column 'Owner' says 'J Smith', the register's lead is 'OPCC'; the paper prints "
                     "the register's."),
        (6, "Page", "the return's column 'Page' says '18', the register's plan page is '16-17'; the paper prints "
                    "the register's.")]
    assert not _of(issues, "unread-column")

    register = [(*REGISTER_HEADINGS, "Exempt"), *[(*action, "Yes" if action[0] == 6 else "") for action in ACTIONS]]
    root = make_workspace(tmp_path / "ws2", returns=returns, register=register)
    code, _printed, issues = _validate(root, capsys)
    assert code == 0
    assert not _of(issues, "return-exempt")

    # the restricted (Part II) edition is where a confidential update belongs: said, not blocking it
    restricted = validate_draft(tmp_path / "ws", edition="restricted").issues
    assert not [i for i in restricted if i.code == "return-exempt"]
    [held] = [i for i in restricted if i.code == "return-exempt-restricted"]
    assert (held.ref, held.severity.value) == (6, "warning")


@pytest.mark.parametrize("written", ["N/A", "-", "None", "Public", "no.", 0])
def test_a_confidential_column_that_says_no_is_not_a_request(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             written: object) -> None:
    """'N/A', '-', 'None', 'Public' or a 0 formatted '0.00' in a return's Confidential column each held the public
    paper as if the partner had asked for the update to be withheld."""
    returns = default_returns()
    opcc = returns["opcc.xlsx"]
    opcc[0] = (*RETURN_HEADINGS, "Part II")
    opcc[1] = (*opcc[1], written)
    root = make_workspace(tmp_path / "ws", returns=returns)
    if written == 0:
        path = root / "inputs" / "returns" / "2026-10" / "opcc.xlsx"
        book = openpyxl.load_workbook(path)
        book.worksheets[0]["F2"].number_format = "0.00"
        book.save(path)
    code, _printed, issues = _validate(root, capsys)
    assert code == 0 and not _of(issues, "return-exempt")


def test_a_day_number_is_named_in_its_workbook_calendar_and_in_a_csv(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A Mac workbook (Excel for Mac before 2011) counts days from 1904: its 43920 is 31 March 2024, not 1 April 2020
    as in Excel's 1900 calendar. A CSV saved from a General cell holds the day number's digits: warned as well."""
    returns = default_returns()
    returns["opcc.xlsx"][2] = (4, "Fund an advocacy service.", "In progress", "Bids are in.", 43920)
    root = make_workspace(tmp_path / "ws", returns=returns)
    path = root / "inputs" / "returns" / "2026-10" / "opcc.xlsx"
    book = openpyxl.load_workbook(path)
    book.epoch = CALENDAR_MAC_1904
    book.save(path)
    [date] = _of(_validate(root, capsys)[2], "date-number")
    assert "the number 43920, which is 31 March 2024 in Excel's calendar" in date.message
    book = openpyxl.load_workbook(path)
    book.worksheets[0]["E3"] = 2958000  # past 9999 in the 1904 calendar: no date, and no traceback
    book.save(path)
    assert not _of(_validate(root, capsys)[2], "date-number")

    returns = default_returns()
    returns["opcc.csv"] = [*returns.pop("opcc.xlsx")]
    returns["opcc.csv"][2] = (4, "Fund an advocacy service.", "In progress", "Bids are in.", "45382")
    returns["opcc.csv"][3] = (6, "Lobby for more court capacity", "In progress", "Bid made.", "2027")
    root = make_workspace(tmp_path / "ws2", returns=returns)
    [date] = _of(_validate(root, capsys)[2], "date-number")
    assert (date.file, date.row, date.ref) == ("inputs/returns/2026-10/opcc.csv", 3, 4)
    assert "the number 45382, which is 31 March 2024" in date.message


def test_last_months_rows_kept_hidden_give_way_to_the_rows_the_partner_sees(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC kept last month's rows for actions 2 and 4 above this month's, hidden in Excel: the hidden rows, first,
    were used in the draft, and the officer had two blocking errors to untangle from two 'row is hidden' warnings.
    The rows the partner sees are used, and each hidden one is one warning saying so."""
    returns = default_returns()
    opcc = returns["opcc.xlsx"]
    opcc[1:1] = [(2, "Publish the commissioning plan.", "Not started", "OLD: a draft is being written.", "2025"),
                 (4, "Fund an advocacy service.", "Not started", "OLD: bids invited.", "2025")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    path = root / RETURNS / "opcc.xlsx"
    book = openpyxl.load_workbook(path)
    book.active.row_dimensions[2].hidden = book.active.row_dimensions[3].hidden = True
    book.save(path)
    code, _printed, issues = _validate(root, capsys)
    assert code == 0 and not _of(issues, "ambiguous-update", "hidden-row")
    found = _of(issues, "hidden-update")
    assert flatten(found, ["file", "row", "ref"]) == [[OPCC, 2, 2], [OPCC, 3, 4]]
    assert found[0].message == ("Action 2 is updated in row 4 too, with status 'In progress' there, 'Not started' "
                                "here; this row is hidden in Excel, so row 4, which the partner sees, is used and "
                                "this one is not.")
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 0
    text = " ".join(cell.text for cell in docx.Document(str(tmp_path / "draft" / "paper.docx")).tables[-1]._cells)
    assert "Update on action 2." in text and "OLD:" not in text
    book.active.auto_filter.ref = "A1:E6"  # rows a filter hides are not kept out of sight: which is right is asked
    book.save(path)
    code, _printed, issues = _validate(root, capsys)
    assert code == 1 and not _of(issues, "hidden-update") and len(_of(issues, "ambiguous-update")) == 2


def _filter_as_table(path: Path, column: int, shown: str, hidden: Sequence[int]) -> None:
    """The workbook's first sheet made an Excel Table (Home > Format as Table) filtered on its `column` (0-based)
    to `shown`, with the rows the filter leaves out (`hidden`) hidden, as Excel saves them."""
    from openpyxl.worksheet.filters import AutoFilter, FilterColumn, Filters
    from openpyxl.worksheet.table import Table

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    ref = sheet.dimensions
    table = Table(displayName="Plan", ref=ref,
                  autoFilter=AutoFilter(ref=ref, filterColumn=[FilterColumn(colId=column,
                                                                             filters=Filters(filter=[shown]))]))
    sheet.add_table(table)
    for row in hidden:
        sheet.row_dimensions[row].hidden = True
    book.save(path)


def test_rows_a_tables_own_filter_hides_are_said_to_be_filtered_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The register and a return formatted as a Table and filtered (the filter buttons in the table's own
    headings) were said to have rows "hidden in Excel (unhide the row to see it)": unhiding does nothing to a row a
    filter leaves out. They are said to be hidden by the filter, as a filter set on the sheet's rows is."""
    root = make_workspace(tmp_path / "ws")
    _filter_as_table(root / "inputs" / "register.xlsx", 2, "OPCC", [2, 4, 6])
    _filter_as_table(root / RETURNS / "opcc.xlsx", 2, "Completed", [3])
    code, printed, issues = _validate(root, capsys)
    assert code == 0
    assert flatten(_of(issues, "hidden-row"), ["file", "row", "ref"]) == [
        ["inputs/register.xlsx", 2, 1], ["inputs/register.xlsx", 4, 3], ["inputs/register.xlsx", 6, 5],
        [OPCC, 3, 4]]
    assert {i.message for i in _of(issues, "hidden-row") if i.file == OPCC} == {
        "Action 4: the row is hidden by the filter set on the sheet; it was read."}
    assert "Action 1: the row is hidden by the filter set on the register's sheet; its action was read" in printed
    assert "clear the filter (Data > Clear) to see every row" in printed and "unhide" not in printed


def test_a_registers_hidden_old_row_gives_way_to_its_reworded_copy_the_officer_sees(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The officer copied action 4's row to the foot of the register to reword it and hid the old row, as partners
    do with last month's updates: the hidden row's wording was published and the row the officer sees was the
    error, left out. The row seen is the action, in its place in the plan, and the hidden one is said as its likely
    old copy; two rows of one number both in view are still the error."""
    register = [REGISTER_HEADINGS, *ACTIONS, (4, "Victims", "OPCC", "Fund an independent advocacy service.", "13")]
    root = make_workspace(tmp_path / "ws", register=register)
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    book.active.row_dimensions[5].hidden = True
    book.save(path)
    code, printed, issues = _validate(root, capsys)
    assert code == 0 and not _of(issues, "duplicate-ref", "hidden-row")
    assert flatten(_of(issues, "hidden-duplicate-ref"), ["severity", "file", "row", "ref"]) == [
        ["warning", "inputs/register.xlsx", 5, 4]]
    assert ("Action 4 is also on row 8 ('Fund an independent advocacy service.'), which is seen in Excel; this row "
            "('Fund an advocacy service.') is hidden, most likely the action's old copy kept out of sight, so row 8 "
            "is used and this row was left out.") in printed
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 0
    rows = [" ".join(cell.text for cell in row.cells)
            for row in docx.Document(str(tmp_path / "draft" / "paper.docx")).tables[-1].rows]
    plan = [next((action for action in ("Review victim referrals.", "Fund an independent advocacy service.",
                                        "Fund an advocacy service.", "Measure file quality.") if action in row), "")
            for row in rows]
    assert [action for action in plan if action] == [
        "Review victim referrals.", "Fund an independent advocacy service.", "Measure file quality."]
    book.active.row_dimensions[5].hidden = False
    book.save(path)
    code, _printed, issues = _validate(root, capsys)
    assert code == 1 and not _of(issues, "hidden-duplicate-ref")
    assert flatten(_of(issues, "duplicate-ref"), ["file", "row", "ref"]) == [["inputs/register.xlsx", 8, 4]]


# ---------------------------------------------------------------- a drop-down's prompt


def test_a_drop_downs_prompt_is_read_as_an_empty_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC's own return sheet has drop-downs that show 'Please select' until chosen, down to row 8: each of those rows
    was a blocking 'no action reference', action 2's unchosen status an unrecognised status, and action 4's
    timeframe printed 'Select from the drop-down list'. The rows are one note, the status is action 2's missing status
    (saying why), and the timeframe is empty in the paper, with a warning."""
    returns = default_returns()
    opcc = returns["opcc.xlsx"]
    opcc[1] = (2, "Publish the commissioning plan.", "Please select", "Drafted.", "Spring 2027")
    opcc[2] = (4, "Fund an advocacy service.", "In progress", "Bids are in.", "Select from the drop-down list")
    opcc += [(None, None, "Please select", None, None)] * 3 + [(None, None, "-- Select --", None, "Choose an item.")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, printed, issues = _validate(root, capsys)
    assert code == 1 and not _of(issues, "missing-ref", "unknown-status")
    [rows] = _of(issues, "prompt-rows")
    assert (rows.file, rows.row, rows.blocking) == (OPCC, 5, False)
    assert rows.message == ("Only a drop-down's prompt ('Please select') is in rows 5 to 8, with no action reference: "
                            "read as empty, not as actions.")
    [status] = _of(issues, "empty-status")
    assert (status.row, status.ref, status.blocking) == (2, 2, True)
    assert status.message == ("Action 2 has no status in row 2: the cell shows the drop-down's prompt 'Please select', "
                              "not a status.")
    [timeframe] = _of(issues, "prompt-cell")
    assert flatten([timeframe], ["row", "column", "ref", "value"]) == [
        [3, "Timeframe for delivery / Completion", 4, "Select from the drop-down list"]]
    assert not timeframe.blocking and "Select from the drop-down list" in printed

    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 1  # action 2's status
    plan = docx.Document(str(tmp_path / "draft" / "paper.docx")).tables[-1]
    four = next(row for row in plan.rows if row.cells[0].text.strip() == "4")
    assert "Bids are in." in [cell.text for cell in four.cells] and not any("elect" in c.text for c in four.cells)
    assert not any("lease select" in cell.text or "Choose an item" in cell.text for cell in plan._cells)


def test_words_that_only_begin_like_a_prompt_are_read_as_written() -> None:
    from reportgen.read.cells import prompt_text

    for prompt in ("Please select", "-- Select --", "Select...", "<Select>", "Choose an item.",
                   "please select status", "Click or tap here to enter text.", "Click or tap to enter a date.",
                   "Select from the drop-down list", "Please make a selection", "Select your status",
                   "Select from options", "Select status ▼", "Please select from the list provided"):
        assert prompt_text(prompt) == prompt, prompt
    for words in ("Selected", "Select committee to agree the budget", "In progress", "Choose Woodside as the site",
                  "", "Click here for the minutes"):
        assert prompt_text(words) == "", words
    assert prompt_text(3) == ""


# ---------------------------------------------------------------- comments on cells


def test_a_comment_on_a_cell_is_reported_with_what_it_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC put the caveat to its 'Completed' in a comment on the status cell (Review > New Comment), and another in
    Excel 365's threaded kind: the paper showed neither and nobody was told. Each is now a warning quoting it, with
    who wrote it, the cell and its action; a comment on a heading (the return template's help) is not."""
    import openpyxl
    from openpyxl.comments import Comment

    root = make_workspace(tmp_path / "ws")
    path = root / RETURNS / "opcc.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet["C1"].comment = Comment("Pick one of the four statuses.", "Secretariat")
    sheet["C2"].comment = Comment("Completed for the county; the city pilot runs to March.", "Jane Smith")
    sheet["D3"].comment = Comment("[Threaded comment]\n\nYour version of Excel allows you to read this threaded "
                                  "comment; however, any edits to it will get removed if the file is opened in a "
                                  "newer version of Excel. Learn more: https://go.microsoft.com/fwlink/?linkid=870924"
                                  "\n\nComment:\n    Board paper to follow.",
                                  "tc={1D3C2F6B-0A4E-4B6A-9D8E-3A1B2C3D4E5F}")
    book.save(path)
    before = path.read_bytes()
    code, printed, issues = _validate(root, capsys)
    found = _of(issues, "cell-comment")
    # the value is what the comment says, as a value is what the partner wrote; the cell is its row and column
    assert flatten(found, ["row", "column", "value", "ref"]) == [
        [2, "Status this reporting period", "Completed for the county; the city pilot runs to March.", 2],
        [3, "Explanation / Link to meeting papers", "Board paper to follow.", 4]]
    assert [i.message for i in found] == [
        "Cell C2 has a comment by Jane Smith: 'Completed for the county; the city pilot runs to March.'. The paper "
        "does not show comments.",
        "Cell D3 has a comment: 'Board paper to follow.'. The paper does not show comments."]
    assert not any(i.blocking for i in found) and code == 0
    assert "the city pilot runs to March" in printed
    assert path.read_bytes() == before  # read, never written


def built_issue(root: Path, capsys: pytest.CaptureFixture[str], code: str) -> dict[str, str]:
    """`reportgen build` of `root` (nothing blocking), and the one row of its issues.csv with `code`."""
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as f:
        [row] = [row for row in csv.DictReader(f) if row["code"] == code]
    return row


def test_a_long_comment_is_its_issues_value_cut_short(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The value of a comment's issue is its text, as the partner wrote it on two lines, read as one; a long one is
    cut short in issues.csv as any long value is, while the message quotes more of it."""
    from openpyxl.comments import Comment

    root = make_workspace(tmp_path / "ws")
    path = root / RETURNS / "opcc.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    words = "The city pilot runs to March;\nthe board reviews it in April. " + "Figures follow. " * 20
    sheet["D4"].comment = Comment(words, "Jane Smith")
    book.save(path)
    row = built_issue(root, capsys, "cell-comment")
    assert (row["file"], row["sheet"], row["row"], row["column"], row["ref"]) == (
        OPCC, "Return", "4", "Explanation / Link to meeting papers", "6")
    assert row["value"].startswith("The city pilot runs to March; the board reviews it in April. Figures follow.")
    assert len(row["value"]) == 200 and row["value"].endswith("…")
    assert row["message"].startswith("Cell D4 has a comment by Jane Smith: 'The city pilot runs to March;")


# ---------------------------------------------------------------- formulas


def test_a_formula_is_quoted_as_the_partner_wrote_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "In progress", "=Notes!B2", ""),
                            (4, "", "Completed", "placeholder", ""), (6, "", "Completed", "placeholder", ""),
                            (None, None, "In progress", "=VLOOKUP(A5,Old!A:C,3,FALSE)", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)

    def as_excel_saves_it(xml: str) -> str:
        # D2: a formula with its last value; D3, D4: one formula filled down (written once, in D3); D5: never
        # calculated
        for old, new in (('<c r="D2"><f>Notes!B2</f><v></v></c>',
                          '<c r="D2" t="str"><f>Notes!B2</f><v>Commissioning plan agreed.</v></c>'),
                         ('<c r="D3" t="inlineStr"><is><t>placeholder</t></is></c>',
                          '<c r="D3" t="str"><f t="shared" ref="D3:D4" si="0">"Action "&amp;A3&amp;" done"</f>'
                          '<v>Action 4 done</v></c>'),
                         ('<c r="D4" t="inlineStr"><is><t>placeholder</t></is></c>',
                          '<c r="D4" t="str"><f t="shared" si="0"/><v>Action 6 done</v></c>')):
            assert old in xml
            xml = xml.replace(old, new)
        return xml

    edit_sheet_xml(root / RETURNS / "opcc.xlsx", as_excel_saves_it)
    code, printed, issues = _validate(root, capsys)
    found = _of(issues, "formula-cell", "formula-error")
    # the value is the formula as Excel shows it in the cell (one filled down, moved to its row), not "D2"
    assert flatten(found, ["code", "row", "column", "value", "ref"]) == [
        ["formula-cell", 2, "Explanation / Link to meeting papers", "=Notes!B2", 2],
        ["formula-cell", 3, "Explanation / Link to meeting papers", '="Action "&A3&" done"', 4],
        ["formula-cell", 4, "Explanation / Link to meeting papers", '="Action "&A4&" done"', 6],
        ["formula-error", 5, "Explanation / Link to meeting papers", "=VLOOKUP(A5,Old!A:C,3,FALSE)", None]]
    assert [i.message for i in found] == [
        "Action 2: cell D2 holds the formula '=Notes!B2'; its last calculated value, 'Commissioning plan agreed.', "
        "was used.",
        "Action 4: cell D3 holds the formula '=\"Action \"&A3&\" done\"'; its last calculated value, 'Action 4 "
        "done', was used.",
        "Action 6: cell D4 holds a formula filled from cell D3 (which holds '=\"Action \"&A3&\" done\"'); its last "
        "calculated value, 'Action 6 done', was used.",
        "Cell D5 holds the formula '=VLOOKUP(A5,Old!A:C,3,FALSE)', which has never been calculated; it was read "
        "as empty."]
    assert "Action 2: cell D2 holds the formula '=Notes!B2'" in printed and code == 1  # row 5 has no reference


def as_excel_saves_it(path: Path, cells: dict[str, str]) -> None:
    """The return's cells typed "placeholder" replaced by what Excel writes (formulas and their cached values,
    which openpyxl cannot write)."""
    def edit(xml: str) -> str:
        for cell, new in cells.items():
            old = f'<c r="{cell}" t="inlineStr"><is><t>placeholder</t></is></c>'
            assert old in xml, old
            xml = xml.replace(old, new)
        return xml

    edit_sheet_xml(path, edit)


def test_a_hyperlink_formula_keeps_its_link_as_a_link_set_on_the_cell_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC linked its explanations to the meeting papers with =HYPERLINK("address", "words"), as many do: the paper
    printed the words without the link, and the issue advised pasting the value (which loses it). The link is now kept
    in the explanation, as one set with Insert > Link is, including down a column filled from one formula; on a
    timeframe, where the paper keeps no link, it is said (cell-link-not-kept); a formula whose address is worked out
    from another cell is still a formula-cell warning."""
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "In progress", "placeholder", "placeholder"),
                            (4, "", "Completed", "placeholder", "placeholder"), (6, "", "Completed", "placeholder", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)

    as_excel_saves_it(root / RETURNS / "opcc.xlsx", {
        "D2": '<c r="D2" t="str"><f>HYPERLINK("https://example.org/minutes?id=3&amp;v=2","Minutes of 3 May")</f>'
              '<v>Minutes of 3 May</v></c>',
        "E2": '<c r="E2" t="str"><f>HYPERLINK("https://example.org/plan","Spring 2027")</f><v>Spring 2027</v></c>',
        "D3": '<c r="D3" t="str"><f t="shared" ref="D3:D4" si="0">HYPERLINK("https://example.org/board",'
              '"Board papers for "&amp;A3)</f><v>Board papers for 4</v></c>',
        "D4": '<c r="D4" t="str"><f t="shared" si="0"/><v>Board papers for 6</v></c>',
        "E3": '<c r="E3" t="str"><f>HYPERLINK(Links!B2,"2027")</f><v>2027</v></c>'})
    _code, _printed, issues = _validate(root, capsys)
    assert sorted(flatten(_of(issues, "formula-cell", "cell-link-not-kept"), ["code", "row", "value"])) == [
        ["cell-link-not-kept", 2, "https://example.org/plan"], ["formula-cell", 3, '=HYPERLINK(Links!B2,"2027")']]
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    document = docx.Document(str(folder / "paper.docx"))
    links = {link.text: link.url for paragraph in document.tables[-1]._tbl.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink")
        for link in [docx.text.hyperlink.Hyperlink(paragraph, document.paragraphs[0]._parent)]}
    assert links == {"Minutes of 3 May": "https://example.org/minutes?id=3&v=2",
                     "Board papers for 4": "https://example.org/board",
                     "Board papers for 6": "https://example.org/board"}


def test_a_status_formula_never_calculated_is_one_error_not_two(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A status looked up by a formula the partner's program never calculated (a workbook written by a script, or
    saved with calculation off): it was reported twice, as a formula error and as an action with no status. It is
    one error, the formula's, naming the action; the chase list counts one."""
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "placeholder", "Agreed.", ""),
                            (4, "", "", "Done.", ""), (6, "", "Completed", "Done.", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    as_excel_saves_it(root / RETURNS / "opcc.xlsx", {"C2": '<c r="C2"><f>VLOOKUP(A2,Old!A:C,2,FALSE)</f></c>'})
    _code, printed, issues = _validate(root, capsys)
    found = _of(issues, "formula-error", "empty-status")
    assert flatten(found, ["code", "row", "ref"]) == [["formula-error", 2, 2], ["empty-status", 3, 4]]
    assert "OPCC: 2 errors in" in printed  # the formula's, and action 4's status left empty


def test_a_formula_never_calculated_in_a_column_the_paper_does_not_use_is_a_note_not_an_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC's return was written by a program that does not calculate: its Action column, which the paper never
    prints (the register's wording is), holds ="Action "&A2, and a column of its own notes a formula too. Each
    was a blocking error, and the paper a draft with issues to resolve, though nothing of it was missing; so was a
    lookup's #N/A pasted into the Action column as a value. Such a cell is now a note; in the explanation, which the
    paper prints, it still blocks."""
    import pypdf

    returns = default_returns()
    returns["opcc.xlsx"] = [(*RETURN_HEADINGS, "Internal notes"),
                            (2, "placeholder", "In progress", "Agreed.", "", "placeholder"),
                            (4, "placeholder", "Completed", "Funded.", "", ""),
                            (6, "Lobby for court capacity.", "Completed", "Done.", "", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    as_excel_saves_it(root / RETURNS / "opcc.xlsx", {
        "B2": '<c r="B2"><f>"Action "&amp;A2</f></c>', "F2": '<c r="F2"><f>VLOOKUP(A2,Notes!A:B,2,FALSE)</f></c>',
        "B3": '<c r="B3" t="e"><v>#N/A</v></c>'})  # a lookup's error, pasted as a value
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert not _of(issues, "formula-error")
    assert flatten(_of(issues, "formula-not-used"), ["severity", "row", "column", "value", "ref"]) == [
        ["info", 2, "Action", '="Action "&A2', 2], ["info", 2, "Internal notes", "=VLOOKUP(A2,Notes!A:B,2,FALSE)", 2],
        ["info", 3, "Action", "#N/A", 4]]
    assert ("Action 2: cell B2 holds the formula '=\"Action \"&A2', which has never been calculated; the paper does "
            "not use this column, so nothing is missing from it.") in printed
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        noted = [(row["severity"], row["code"], row["column"]) for row in csv.DictReader(stream)
                 if row["code"].startswith("formula")]
    assert noted == [("info", "formula-not-used", "Action"), ("info", "formula-not-used", "Internal notes"),
                     ("info", "formula-not-used", "Action")]
    first_page = pypdf.PdfReader(folder / "paper.pdf").pages[0].extract_text()
    assert "DRAFT" not in first_page and "issues to resolve" not in first_page
    table = docx.Document(str(folder / "paper.docx")).tables[-1]
    assert {row.cells[0].text: row.cells[1].text for row in table.rows}["2"] == "Publish the commissioning plan."

    typed = '<c r="D3" t="inlineStr"><is><t>Funded.</t></is></c>'  # the explanation, now looked up too
    edit_sheet_xml(root / RETURNS / "opcc.xlsx", lambda xml: xml.replace(typed, '<c r="D3"><f>Notes!B3</f></c>'))
    code, printed, issues = _validate(root, capsys)
    assert code == 1
    assert flatten(_of(issues, "formula-error"), ["severity", "row", "column"]) == [
        ["error", 3, "Explanation / Link to meeting papers"]]


def test_each_cell_of_an_array_formula_is_said_to_hold_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An array formula (entered with Ctrl+Shift+Enter, or a dynamic array spilling down) is written once, in its
    range's first cell: only that cell was reported as a formula, the others' values read as typed text. Each cell
    of the range is now said to be part of it, and one giving an error is a formula error."""
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "In progress", "placeholder", ""),
                            (4, "", "Completed", "placeholder", ""), (6, "", "Completed", "placeholder", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)

    as_excel_saves_it(root / RETURNS / "opcc.xlsx", {
        "D2": '<c r="D2" t="str"><f t="array" ref="D2:D4">Notes!B2:B4</f><v>Agreed.</v></c>',
        "D3": '<c r="D3" t="str"><v>Done.</v></c>', "D4": '<c r="D4" t="e"><v>#N/A</v></c>'})
    _code, _printed, issues = _validate(root, capsys)
    found = _of(issues, "formula-cell", "formula-error")
    assert flatten(found, ["code", "row", "value", "ref"]) == [
        ["formula-cell", 2, "=Notes!B2:B4", 2], ["formula-cell", 3, "=Notes!B2:B4", 4],
        ["formula-error", 4, "=Notes!B2:B4", 6]]  # each cell of an array formula shows the one formula
    assert [i.message for i in found] == [
        "Action 2: cell D2 holds the formula '=Notes!B2:B4'; its last calculated value, 'Agreed.', was used.",
        "Action 4: cell D3 holds part of the array formula in cell D2 (which holds '=Notes!B2:B4'); its last "
        "calculated value, 'Done.', was used.",
        "Action 6: cell D4 holds part of the array formula in cell D2 (which holds '=Notes!B2:B4'), which gives the "
        "error #N/A; it was read as empty."]


def test_an_error_value_is_read_as_empty_as_its_issue_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    """OPCC's status for action 2 is a lookup into a sheet since deleted (Excel shows #REF!), and its timeframe
    for action 4 a #N/A pasted as a value. The issues said each was 'read as empty', but the paper printed
    '#REF!' as the partner's status (and a second issue called it a status not recognised) and '#N/A' as the
    timeframe. An error value is now read as empty, as said: the formula's error is the action's missing status."""
    import pypdf

    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "In progress", "Plan published.", "placeholder"),
                            (4, "", "Completed", "Advocacy service funded.", "#N/A"),
                            (6, "", "Completed", "Courts lobbied.", "2027")]
    root = make_workspace(tmp_path / "ws", returns=returns)

    def as_excel_saves_it(xml: str) -> str:  # C2: =VLOOKUP(…) into a deleted sheet, calculated as #REF!
        old = '<c r="C2" t="inlineStr"><is><t>In progress</t></is></c>'
        assert old in xml and '<c r="E3" t="e"><v>#N/A</v></c>' in xml
        return xml.replace(old, '<c r="C2" t="e"><f>VLOOKUP(A2,#REF!,2,FALSE)</f><v>#REF!</v></c>')

    edit_sheet_xml(root / RETURNS / "opcc.xlsx", as_excel_saves_it)
    code, printed, issues = _validate(root, capsys)
    assert code == 1 and "it was read as empty" in printed
    found = _of(issues, "formula-error", "empty-status", "unknown-status")
    assert flatten(found, ["code", "row", "column", "value", "ref"]) == [
        ["formula-error", 2, "Status this reporting period", "=VLOOKUP(A2,#REF!,2,FALSE)", 2],
        ["formula-error", 3, "Timeframe for delivery / Completion", "#N/A", 4]]  # one error for C2, not two
    assert [i.message for i in found[:2]] == [
        "Action 2: cell C2 holds the formula '=VLOOKUP(A2,#REF!,2,FALSE)', which gives the error #REF!; it was read "
        "as empty.",
        "Action 4: cell E3 shows the error #N/A (a formula's error pasted as a value), not a value; it was read as "
        "empty."]
    assert main(["build", "--workspace", str(root)]) == 1
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    table = docx.Document(str(folder / "paper.docx")).tables[-1]
    rows = {row.cells[0].text: [cell.text for cell in row.cells] for row in table.rows}
    assert rows["4"][4] == "" and "#" not in rows["2"][2]
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(folder / "paper.pdf").pages)
    web = (folder / "paper.html").read_text(encoding="utf-8")
    plan = pdf.split("Delivery plan")[-1]
    for error in ("#REF!", "#N/A"):
        assert error not in plan and f">{error}<" not in web


def test_a_very_long_formula_is_cut_short(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    formula = "=" + "&".join(f"Notes!B{n}" for n in range(1, 200))
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "", "In progress", formula, "")
    root = make_workspace(tmp_path / "ws", returns=returns)
    _code, _printed, issues = _validate(root, capsys)
    [found] = _of(issues, "formula-error")
    quoted = found.message.split("the formula ")[1].split(", which")[0]
    assert quoted.startswith("'=Notes!B1&Notes!B2&") and quoted.endswith("…'") and len(quoted) == 202
    assert found.value == quoted[1:-1]  # the value is cut short as the message's quote is


def test_a_formula_cell_of_an_actions_row_names_the_action(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police typed its timeframe for action 3 as `=TEXT(DATE(2027,3,31),"mmmm yyyy")`, saved uncalculated,
    pasted #N/A over action 1's explanation, and wrote action 1's wording as a formula: the console said "Cell E3
    holds the formula … read as empty" with no action, where every other message about an action's row names it
    first. Each now names its action after the row, as a hidden row's does."""
    root = make_workspace(tmp_path / "ws")
    path = root / RETURNS / "wessex-police.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet["E3"] = '=TEXT(DATE(2027,3,31),"mmmm yyyy")'
    sheet["D2"] = "#N/A"
    sheet["B2"] = '=UPPER("develop a prevention strategy.")'
    book.save(path)
    main(["validate", "--workspace", str(root), "--all"])
    printed = " ".join(capsys.readouterr().out.split())
    assert ("error sheet 'Return', row 3, column 'Timeframe for delivery / Completion': Action 3: cell E3 holds the "
            "formula '=TEXT(DATE(2027,3,31),\"mmmm yyyy\")', which has never been calculated; it was read as "
            "empty.") in printed
    assert ("error sheet 'Return', row 2, column 'Explanation / Link to meeting papers': Action 1: cell D2 shows the "
            "error #N/A (a formula's error pasted as a value), not a value; it was read as empty.") in printed
    assert ("info sheet 'Return', row 2, column 'Action': Action 1: cell B2 holds the formula "
            "'=UPPER(\"develop a prevention strategy.\")', which has never been calculated; the paper does not use "
            "this column, so nothing is missing from it.") in printed


# ---------------------------------------------------------------- hidden rows and columns


def test_a_hidden_row_of_an_action_is_said_as_that_actions(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    """The secretariat hid action 2's row of the register, OPCC action 4's row of its return, and the Criminal
    Justice Board filtered its return down to nothing (a filter hides action 5's row). The console said only "Row 3
    is hidden in Excel; it was read.", with no action, where every other message about an action's row names it
    first, and issues.csv had the action: the officer had to open the file to find it. Each now names its action
    after the row, as the other row messages do; a hidden row with no action number still says its row alone."""
    returns = default_returns()
    returns["opcc.xlsx"].append(("Notes for the officer", "", "", "", ""))  # row 5: a note, of no action
    root = make_workspace(tmp_path / "ws", returns=returns)
    for path, rows in ((root / "inputs" / "register.xlsx", (3,)), (root / RETURNS / "opcc.xlsx", (3, 5))):
        book = openpyxl.load_workbook(path)
        for row in rows:
            book.worksheets[0].row_dimensions[row].hidden = True
        book.save(path)
    book = openpyxl.load_workbook(root / RETURNS / "criminal-justice-board.xlsx")
    book.worksheets[0].auto_filter.ref = "A1:E2"
    book.worksheets[0].row_dimensions[2].hidden = True
    book.save(root / RETURNS / "criminal-justice-board.xlsx")
    main(["validate", "--workspace", str(root), "--all"])
    printed = " ".join(capsys.readouterr().out.split())
    assert ("warning sheet 'Register', row 3: Action 2: the row is hidden in Excel; its action was read like any "
            "other.") in printed
    assert "warning sheet 'Return', row 3: Action 4: the row is hidden in Excel; it was read." in printed
    assert "warning sheet 'Return': Row 5 is hidden in Excel; it was read." in printed
    assert ("warning sheet 'Return', row 2: Action 5: the row is hidden by the filter set on the sheet; it was "
            "read.") in printed
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        hidden = [(row["file"].rsplit("/", 1)[-1], row["row"], row["ref"], row["message"])
                  for row in csv.DictReader(stream) if row["code"] == "hidden-row"]
    assert sorted(hidden) == [
        ("criminal-justice-board.xlsx", "2", "5", "Action 5: the row is hidden by the filter set on the sheet; it was "
                                                  "read."),
        ("opcc.xlsx", "3", "4", "Action 4: the row is hidden in Excel; it was read."),
        ("opcc.xlsx", "5", "", "Row 5 is hidden in Excel; it was read."),
        ("register.xlsx", "3", "2", "Action 2: the row is hidden in Excel; its action was read like any other.")]


def _hide(path: Path, *letters: str) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for letter in letters:
        first, _, last = letter.partition(":")
        if last:  # columns grouped and collapsed: Excel writes one <col min max hidden>
            sheet.column_dimensions.group(first, last, hidden=True)
        else:
            sheet.column_dimensions[first].hidden = True
    book.save(path)


def test_hidden_columns_are_said_to_be_hidden_read_or_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    returns = default_returns()
    returns["opcc.xlsx"] = [(*RETURN_HEADINGS, "Internal notes", "Old status"),
                            (2, "", "In progress", "Plan drafted.", None, None, None),
                            (4, "", "Completed", "Service funded.", None, "Budget at risk", "On hold"),
                            (6, "", "Completed", "Courts lobbied.", None, None, None)]
    root = make_workspace(tmp_path / "ws", returns=returns)
    _hide(root / RETURNS / "opcc.xlsx", "D", "E", "F:G")
    code, printed, issues = _validate(root, capsys)
    assert code == 0  # read as before; each hidden column said
    found = _of(issues, "hidden-column", "unread-column")
    assert flatten(found, ["code", "severity", "file", "sheet", "row", "column", "value", "ref"]) == [
        # the value is the heading, what the partner wrote in the hidden column's heading cell; its letter is said
        ["hidden-column", "warning", OPCC, "Return", 1, "Explanation / Link to meeting papers",
         "Explanation / Link to meeting papers", None],
        ["hidden-column", "warning", OPCC, "Return", 1, "Timeframe for delivery / Completion",
         "Timeframe for delivery / Completion", None],
        ["unread-column", "warning", OPCC, "Return", 3, "Internal notes", "Budget at risk", 4],
        ["unread-column", "warning", OPCC, "Return", 3, "Old status", "On hold", 4]]
    assert [i.message for i in found] == [
        "Column 'Explanation / Link to meeting papers' (column D) is hidden in Excel; what it holds was read.",
        "Column 'Timeframe for delivery / Completion' (column E) is hidden in Excel and empty, so whoever filled in "
        "the file could not see it to fill it in.",
        "Column 'Internal notes' (column F) is hidden in Excel and is not one of the columns read, so what it holds "
        "is not in the paper (in this row: 'Budget at risk').",
        "Column 'Old status' (column G) is hidden in Excel and is not one of the columns read, so what it holds is "
        "not in the paper (in this row: 'On hold')."]
    assert "Unhide the column to see it" in found[2].advice
    by_ref = {a.ref: a for a in validate_draft(root).checked.merged.actions}
    assert by_ref[4].explanation == "Service funded."  # the hidden column was read, as the message says
    assert "(column D) is hidden in Excel; what it holds was read." in printed


def test_a_hidden_register_column_that_is_read_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws")
    _hide(root / "inputs" / "register.xlsx", "C")
    _code, _printed, issues = _validate(root, capsys)
    assert flatten(_of(issues, "hidden-column", "unread-column"), ["code", "file", "sheet", "row", "column",
                                                                  "value"]) == [
        ["hidden-column", "inputs/register.xlsx", "Register", 1, "Lead", "Lead"]]


def test_a_column_that_is_not_hidden_is_not_said_to_be(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    returns = default_returns()
    returns["opcc.xlsx"] = [(*RETURN_HEADINGS, "Internal notes"), (2, "", "In progress", "Drafted.", "2027", "Mine")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    book = openpyxl.load_workbook(root / RETURNS / "opcc.xlsx")
    book.worksheets[0].column_dimensions["F"].width = 40  # a <col> element, visible
    book.save(root / RETURNS / "opcc.xlsx")
    _code, _printed, issues = _validate(root, capsys)
    assert [i.message for i in _of(issues, "hidden-column", "unread-column")] == [
        "Column 'Internal notes' is not one of the columns read, so what it holds is not in the paper (in this row: "
        "'Mine')."]


def test_every_row_of_an_unread_column_holding_text_is_named_with_its_action(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC added 'Comments (internal)' with notes on actions 2 and 6, and a 'Comments' column beside the
    explanation with notes on actions 4 and 6. Only the first note of each was mentioned ('in this row'), or none
    (the second column's error, on its heading, named no row): the rest were dropped without a word. Each column's
    issue now quotes its first text and names every row holding text, with its action."""
    returns = default_returns()
    returns["opcc.xlsx"] = [(*RETURN_HEADINGS[:4], "Comments", RETURN_HEADINGS[4], "Comments (internal)"),
                            (2, "", "In progress", "Plan drafted.", None, "2027", "Check with DCI Patel"),
                            (4, "", "Completed", "Service funded.", "Ask finance", "2027", None),
                            (6, "", "Completed", "Courts lobbied.", "Chase the courts", "2027", "To be confirmed")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, printed, issues = _validate(root, capsys)
    assert code == 1  # the second explanation column blocks, as before
    found = _of(issues, "duplicate-column", "unread-column")
    assert flatten(found, ["code", "file", "sheet", "row", "column", "value", "ref"]) == [
        ["duplicate-column", OPCC, "Return", 1, "Comments", "Comments", None],
        ["unread-column", OPCC, "Return", 2, "Comments (internal)", "Check with DCI Patel", 2]]
    assert [i.message for i in found] == [
        "Column 'Comments' (column E) means the same as 'Explanation / Link to meeting papers' (column D); only "
        "column D is read, and the text in column E is not in the paper (in rows 3 and 4 (actions 4 and 6), "
        "starting 'Ask finance').",
        "Column 'Comments (internal)' is not one of the columns read, so what it holds is not in the paper (in "
        "this row: 'Check with DCI Patel'; rows 2 and 4 (actions 2 and 6) hold text)."]
    assert "rows 2 and 4 (actions 2 and 6) hold text" in printed


def test_text_under_no_heading_is_said_but_an_only_formatted_column_is_not(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A note typed in G2 with G1 (the heading row) empty was in neither the paper nor what validate said."""
    root = make_workspace(tmp_path / "ws")
    path = root / RETURNS / "opcc.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet["G2"] = "Board slipped to January: see minutes"
    sheet["H3"].font = openpyxl.styles.Font(bold=True)  # formatted, nothing typed
    sheet["H3"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    sheet["I4"] = "   "  # spaces only
    sheet["J2"] = "Hidden aside"
    sheet.column_dimensions["J"].hidden = True
    book.save(path)
    code, printed, issues = _validate(root, capsys)
    assert code == 0  # read as before; what it holds beside the return is said
    found = _of(issues, "unread-column")
    assert flatten(found, ["code", "severity", "file", "sheet", "row", "column", "value", "ref"]) == [
        ["unread-column", "warning", OPCC, "Return", 2, "", "Board slipped to January: see minutes", 2],
        ["unread-column", "warning", OPCC, "Return", 2, "", "Hidden aside", 2]]
    assert ("Column G has no heading, so it is not read and what it holds is not in the paper (in this "
            "row: 'Board slipped to January: see minutes').") in printed
    assert found[1].message == ("Column J is hidden in Excel and has no heading, so it is not read and "
                                "what it holds is not in the paper (in this row: 'Hidden aside').")
    assert "Unhide the column" in found[1].advice
    assert "Board slipped" not in " ".join(a.explanation for a in validate_draft(root).checked.merged.actions)


# ---------------------------------------------------------------- lock files of open workbooks


def test_a_lock_file_says_which_workbook_may_be_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws")
    folder = root / RETURNS
    (folder / "~$opcc.xlsx").write_bytes(b"\x05J Doe" + b" " * 49)  # Excel's owner file: open right now
    (folder / "~$fire-service.xlsx").write_bytes(b"\x05J Doe")  # its workbook is not in the folder
    (folder / ".~lock.criminal-justice-board.xlsx#").write_text("J Doe,host,/tmp,01.10.2026 10:00;", "utf-8")
    (folder / "~$notes.docx").write_bytes(b"\x05J Doe")  # a Word document's: not about a return
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    code, printed, issues = _validate(root, capsys)
    assert code == 0  # a warning: the saved workbook is read
    found = _of(issues, "workbook-open")
    assert flatten(found, ["severity", "file"]) == [
        ["warning", f"{RETURNS.as_posix()}/.~lock.criminal-justice-board.xlsx#"],
        ["warning", f"{RETURNS.as_posix()}/~$fire-service.xlsx"],
        ["warning", f"{RETURNS.as_posix()}/~$opcc.xlsx"]]
    assert [i.message for i in found] == [
        f"{RETURNS.as_posix()}/.~lock.criminal-justice-board.xlsx# is the lock file LibreOffice keeps while "
        "criminal-justice-board.xlsx is open: criminal-justice-board.xlsx may be open in LibreOffice now, so "
        "changes not yet saved in it are not read.",
        f"{RETURNS.as_posix()}/~$fire-service.xlsx is the lock file Excel keeps while fire-service.xlsx is open, "
        "but there is no fire-service.xlsx in the folder: it may have been open when the folder was copied, or "
        "saved elsewhere.",
        f"{RETURNS.as_posix()}/~$opcc.xlsx is the lock file Excel keeps while opcc.xlsx is open: opcc.xlsx may be "
        "open in Excel now, so changes not yet saved in it are not read."]
    assert "opcc.xlsx may be open in Excel now" in printed
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before  # nothing removed or changed


def test_office_naming_of_a_long_name_is_matched_and_a_lone_lock_file_is_not_a_return(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws", returns={})
    folder = root / RETURNS
    (folder / "~$rtfordshire-constabulary.xlsx").write_bytes(b"\x05J Doe")  # the first two letters replaced
    write_xlsx(folder / "hertfordshire-constabulary.xlsx", [RETURN_HEADINGS, (9, "", "Completed", "x", "")])
    _code, _printed, issues = _validate(root, capsys)
    assert [i.message.split(": ")[0] for i in _of(issues, "workbook-open")] == [
        f"{RETURNS.as_posix()}/~$rtfordshire-constabulary.xlsx is the lock file Excel keeps while "
        "hertfordshire-constabulary.xlsx is open"]
    (folder / "hertfordshire-constabulary.xlsx").unlink()
    _code, _printed, issues = _validate(root, capsys)
    assert [i.code for i in issues if i.file.startswith(RETURNS.as_posix())] == ["workbook-open", "no-returns"]


# ---------------------------------------------------------------- statuses


def test_other_words_for_a_status_are_suggested_never_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                              ) -> None:
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "Done", "", ""), (4, "", "Ongoing – review in May", "", ""),
                            (6, "", "Paused", "", "")]
    returns["wessex-police.xlsx"] = [RETURN_HEADINGS, (1, "", "Not started yet", "", ""),
                                     (3, "", "Not complete", "", "")]
    returns["criminal-justice-board.xlsx"] = [RETURN_HEADINGS, (5, "", "Started", "", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, printed, issues = _validate(root, capsys)
    assert code == 1
    found = _of(issues, "unknown-status")
    assert flatten(found, ["file", "row", "column", "value", "ref"]) == [
        [f"{RETURNS.as_posix()}/criminal-justice-board.xlsx", 2, "Status this reporting period", "Started", 5],
        [OPCC, 2, "Status this reporting period", "Done", 2],
        [OPCC, 3, "Status this reporting period", "Ongoing – review in May", 4],
        [OPCC, 4, "Status this reporting period", "Paused", 6],
        [f"{RETURNS.as_posix()}/wessex-police.xlsx", 3, "Status this reporting period", "Not complete", 3]]
    assert [i.message.split("counted. ")[-1] for i in found] == [
        "Did you mean 'In progress'?", "Did you mean 'Completed'?", "Did you mean 'In progress'?",
        "Did you mean 'On hold'?",
        "Action 3: status 'Not complete' is not recognised; it is not counted."]  # never 'Completed'
    assert 'add it to [statuses] aliases in reportgen.toml' in found[2].advice
    assert '"Done"' not in found[2].advice  # no example to copy that is another word's ('Ongoing' is not Done)
    checks = validate_draft(root)
    by_ref = {a.ref: a.status for a in checks.checked.merged.actions}
    assert by_ref == {1: "Not started", 2: None, 3: None, 4: None, 5: None, 6: None}  # the canonical words only
    assert checks.checked.merged.counts(CANONICAL_STATUSES) == {
        "Completed": 0, "In progress": 0, "Not started": 1, "On hold": 0}
    assert "status 'Done' is not recognised; it is not counted. Did you mean 'Completed'?" in printed


def test_a_status_written_near_the_workspaces_own_aliases_is_suggested_as_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A force whose partners write RAG colours, named as aliases in reportgen.toml: 'Red (see update)' and
    'Amber/Red' got no suggestion at all, though 'Red' is an alias, and 'Gren' none either. Each is now told the
    alias it is most like, with the status it reads as; nothing is counted."""
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "Red (see update)", "", ""), (4, "", "Amber/Red", "", ""),
                            (6, "", "Gren", "", "")]
    toml = FULL_COVER + '\n[statuses]\naliases = { "Green" = "In progress", "Amber" = "In progress", ' \
        '"Red" = "On hold" }\n'
    root = make_workspace(tmp_path / "ws", returns=returns, toml=toml)
    code, printed, issues = _validate(root, capsys)
    assert code == 1
    assert [(item.ref, item.message.split("counted. ")[-1]) for item in _of(issues, "unknown-status")] == [
        (2, "Did you mean 'Red' (read as On hold)?"),
        (4, "Did you mean 'Amber' (read as In progress) or 'Red' (read as On hold)?"),
        (6, "Did you mean 'Green' (read as In progress)?")]
    assert "status 'Red (see update)' is not recognised; it is not counted. Did you mean 'Red'" in printed
    assert {a.ref: a.status for a in validate_draft(root).checked.merged.actions if a.ref in (2, 4, 6)} == {
        2: None, 4: None, 6: None}


def test_a_date_in_the_status_column_is_said_to_be_a_date(tmp_path: Path) -> None:
    """A partner's timeframe typed in the status column (a date cell, or typed '31/03/27') is told as a date, with
    the timeframe's heading as that partner wrote it; a status with words after it is suggested alone. None is
    counted, in the build's issues.csv as on the console."""
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", datetime.datetime(2027, 3, 31), "", ""),
                            (4, "", "Complete - awaiting sign-off", "", ""), (6, "", "Completed March 2027", "", "")]
    returns.pop("wessex-police.xlsx")
    returns["wessex-police.csv"] = [("Plan priority", "Status", "Update", "Target date"), (1, "31/03/27", "", ""),
                                    (3, "In progress", "", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    assert main(["build", "--workspace", str(root)]) == 1
    with (root / "outputs" / "2026-10" / "draft-01" / "issues.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["code"] == "unknown-status"]
    assert [(row["file"], row["row"], row["column"], row["value"], row["ref"]) for row in rows] == [
        (OPCC, "2", "Status this reporting period", "31 March 2027", "2"),
        (OPCC, "3", "Status this reporting period", "Complete - awaiting sign-off", "4"),
        (OPCC, "4", "Status this reporting period", "Completed March 2027", "6"),
        (f"{RETURNS.as_posix()}/wessex-police.csv", "2", "Status", "31/03/27", "1")]
    assert [row["message"].split(": ", 1)[1] for row in rows] == [
        "status '31 March 2027' is a date, not a status; it is not counted.",
        "status 'Complete - awaiting sign-off' is not recognised; it is not counted. Did you mean 'Completed'?",
        "status 'Completed March 2027' is not recognised; it is not counted. Did you mean 'Completed'?",
        "status '31/03/27' is a date, not a status; it is not counted."]
    assert rows[0]["advice"].endswith("it belongs under 'Timeframe for delivery / Completion'.")
    assert rows[3]["advice"].endswith("it belongs under 'Target date'.")  # as that partner headed it
    counts = validate_draft(root).checked.merged.counts(CANONICAL_STATUSES)
    assert counts == {"Completed": 0, "In progress": 1, "Not started": 0, "On hold": 1}


def test_a_status_is_suggested_for_a_slip_not_for_other_words_sharing_its_letters(tmp_path: Path) -> None:
    """'Completely stalled' was asked "Did you mean 'Completed'?" (its letters are close to 'Complete'), the opposite
    of what the partner wrote; 'Nearly complete' likewise. A slip of the keys ('Compelted', 'In progess') still is."""
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "Completely stalled", "", ""), (4, "", "Compelted", "", ""),
                            (6, "", "Nearly complete", "", "")]
    returns["wessex-police.xlsx"] = [RETURN_HEADINGS, (1, "", "In progess", "", ""), (3, "", "Completed", "", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    assert main(["build", "--workspace", str(root)]) == 1
    with (root / "outputs" / "2026-10" / "draft-01" / "issues.csv").open(encoding="utf-8-sig", newline="") as f:
        said = {row["value"]: row["message"].split("counted.")[1].strip()
                for row in csv.DictReader(f) if row["code"] == "unknown-status"}
    assert said == {"Completely stalled": "", "Compelted": "Did you mean 'Completed'?", "Nearly complete": "",
                    "In progess": "Did you mean 'In progress'?"}


def test_a_synonym_counts_once_the_workspace_makes_it_an_alias(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                               ) -> None:
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "", "Done", "", "")
    toml = ('[paper]\nmeeting = "Police and Crime Panel"\ndate = 2026-11-05\ntitle = "Plan"\n'
            'submitted_by = "Chief Executive"\n\n[statuses]\naliases = { "Done" = "Completed" }\n')
    root = make_workspace(tmp_path / "ws", returns=returns, toml=toml)
    code, _printed, issues = _validate(root, capsys)
    assert code == 0 and not _of(issues, "unknown-status")
    assert {a.ref: a.status for a in validate_draft(root).checked.merged.actions}[2] == "Completed"


# ---------------------------------------------------------------- digits in references


def test_a_reference_in_any_one_scripts_digits_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    returns = default_returns()
    del returns["opcc.xlsx"]
    root = make_workspace(tmp_path / "ws", returns=returns)
    write_csv(root / RETURNS / "opcc.csv", [RETURN_HEADINGS, ("٢", "", "Completed", "Arabic-Indic", ""),
                                            ("۴", "", "Completed", "Persian", ""),
                                            ("６", "", "Completed", "full-width", ""),
                                            ("1٢", "", "Completed", "two scripts", ""),
                                            ("²", "", "Completed", "superscript", "")])
    code, printed, issues = _validate(root, capsys)
    checks = validate_draft(root)
    assert {a.ref: a.explanation for a in checks.checked.merged.actions if a.source.endswith("opcc.csv")} == {
        2: "Arabic-Indic", 4: "Persian", 6: "full-width"}
    found = _of(issues, "bad-ref")
    assert flatten(found, ["file", "row", "column", "value"]) == [
        [f"{RETURNS.as_posix()}/opcc.csv", 5, "Plan priority", "1٢"],
        [f"{RETURNS.as_posix()}/opcc.csv", 6, "Plan priority", "²"]]
    assert [i.message for i in found] == [
        "Row 5: the action reference '1٢' is written in the digits of two scripts (one might be read as another); "
        "this update was left out.",
        "Row 6: the action reference '²' is not a whole number; this update was left out."]
    assert code == 1 and "'1٢' is written in the digits of two scripts" in printed


def test_a_totals_row_under_the_register_or_a_return_is_a_note_not_an_action(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The officer counted the register's actions under it, =COUNTA(A1:A7) beside "Total actions", and OPCC typed
    "Total" beside an action's number under its rows: the paper printed "6 | Total actions" as an action, and action
    5 lost its lead's status to OPCC's total row ("no status"). A row that only counts or says "Total", with no
    update, is a note and in no paper; one with a real status and explanation is still read, and said."""
    register = [REGISTER_HEADINGS, *ACTIONS, (), ("placeholder", None, None, "Total actions", None)]
    returns = default_returns()
    opcc = returns["opcc.xlsx"]
    opcc[1] = (2, "Total", "In progress", "Update on action 2.", "Spring 2027")
    opcc.append((5, "Total", None, None, None))
    root = make_workspace(tmp_path / "ws", register=register, returns=returns)
    edit_sheet_xml(root / "inputs" / "register.xlsx", lambda xml: xml.replace(
        '<c r="A9" t="inlineStr"><is><t>placeholder</t></is></c>', '<c r="A9"><f>COUNTA(A1:A7)</f><v>6</v></c>'))
    code, printed, issues = _validate(root, capsys)
    assert code == 0 and not _of(issues, "formula-cell", "no-lead", "missing-status", "unknown-status")
    assert flatten(_of(issues, "note-row", "total-like-row"), ["code", "file", "row", "ref", "value"]) == [
        ["note-row", "inputs/register.xlsx", 9, None, "=COUNTA(A1:A7)"],
        ["total-like-row", OPCC, 2, 2, "2"],
        ["note-row", OPCC, 5, None, "5"]]
    assert ("Row 9 is a total ('=COUNTA(A1:A7)' in column 'Plan priority' and 'Total actions' in column 'Action'), "
            "with no action: it was read as a note, not as an action, and is not in the paper.") in printed
    assert ("Row 5 is a total ('5' in column 'Plan priority' and 'Total' in column 'Action'), with no status or "
            "explanation: it was read as a note, not as an update, and is not in the paper.") in printed
    assert "Row 2 looks like a total ('2' in column 'Plan priority' and 'Total' in column 'Action'" in printed
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 0
    rows = [[cell.text for cell in row.cells]
            for row in docx.Document(str(tmp_path / "draft" / "paper.docx")).tables[-1].rows]
    assert not [row for row in rows if "Total actions" in " ".join(row)]
    [five] = [row for row in rows if "Measure file quality." in row]
    [two] = [row for row in rows if "Publish the commissioning plan." in row]
    assert "On hold" in five and "Update on action 5." in five
    assert "In progress" in two and "Update on action 2." in two


def test_a_note_under_the_table_is_a_warning_not_a_bad_reference(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A partner's "Signed off by …" under the rows blocked the paper as a bad reference ("write the plan
    priority number only"); text in the reference column with nothing else in the row is a note."""
    returns = default_returns()
    returns["opcc.xlsx"] = [*returns["opcc.xlsx"], ("Signed off by J Smith, 20/10/2026", "", "", "", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, printed, issues = _validate(root, capsys)
    assert code == 0
    assert flatten(_of(issues, "note-row", "bad-ref"), ["code", "severity", "file", "row", "column", "value"]) == [
        ["note-row", "warning", OPCC, 5, "Plan priority", "Signed off by J Smith, 20/10/2026"]]
    assert "read as a note, not as an action" in printed
    # text in the reference column beside an update is still an error: that update would be lost
    returns["opcc.xlsx"] = [*returns["opcc.xlsx"][:-1], ("12a", "", "Completed", "Done this month.", "")]
    root = make_workspace(tmp_path / "ws2", returns=returns)
    code, _printed, issues = _validate(root, capsys)
    assert code == 1 and flatten(_of(issues, "note-row", "bad-ref"), ["code", "row", "value"]) == [
        ["bad-ref", 5, "12a"]]


# ---------------------------------------------------------------- merged cells


def test_merged_cells_are_said_to_hide_rows_or_headings_as_they_do(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Merged down a column, the rows below have no value; merged along the heading row, the columns after the
    first have no heading (it said "the other rows have none" of both)."""
    root = make_workspace(tmp_path / "ws")
    path = root / OPCC
    book = openpyxl.load_workbook(path)
    sheet = book["Return"]
    sheet.merge_cells("D1:E1")  # the explanation heading over the timeframe's
    sheet.merge_cells("A3:A4")  # one reference for two rows
    sheet.merge_cells("C2:D3")  # status and explanation of two rows
    book.save(path)
    code, printed, issues = _validate(root, capsys)
    assert code == 1
    merged = _of(issues, "merged-cells")
    # a merge in an action's row names the action, as other issues about a row do; the heading row has none
    assert flatten(merged, ["row", "column", "value", "ref", "severity"]) == [
        [1, "Explanation / Link to meeting papers", "D1:E1", None, "error"],
        [2, "Status this reporting period", "C2:D3", 2, "error"],
        [3, "Plan priority", "A3:A4", 4, "error"]]
    assert [i.message for i in merged] == [
        "Cells D1:E1 of the heading row are merged; only the first holds a heading, so the other columns have "
        "none, and what they hold is not read.",
        "Cells C2:D3 are merged across rows and columns; only the first holds a value, so the other cells have "
        "none (nothing was filled in for them, and a column with no heading is not read).",
        "Cells A3:A4 are merged; only the first holds a value, so the other rows have none (nothing was filled in "
        "for them)."]
    assert [i.advice for i in merged] == [
        "Unmerge the cells and give each column its own heading, as the return template has them.",
        "Unmerge the cells, then fill in each row and give each column its own heading.",
        "Unmerge the cells and fill in each row."]
    assert ("Cells D1:E1 of the heading row are merged; only the first holds a heading, so the other columns have "
            "none") in printed
    assert _of(issues, "missing-optional-column")  # the timeframe's heading is hidden: that column is not read


def test_text_kept_hidden_under_merged_cells_is_said_to_be_read(tmp_path: Path) -> None:
    """LibreOffice's merge can keep the hidden cells' contents: Excel then shows the first cell's text down the
    merge while the rows below still hold their own, which is read. It is said so, never "the other rows have
    none" (which a paper printing that hidden text would contradict)."""
    returns = default_returns()
    returns["opcc.xlsx"][3] = (*returns["opcc.xlsx"][3][:4], "")  # merged over below: an empty cell hides nothing
    root = make_workspace(tmp_path / "ws", returns=returns)
    merge = '<mergeCells count="2"><mergeCell ref="D2:D3"/><mergeCell ref="E3:E4"/></mergeCells>'
    edit_sheet_xml(root / OPCC, lambda xml: xml.replace("</sheetData>", "</sheetData>" + merge))
    assert main(["build", "--workspace", str(root)]) == 1
    draft = root / "outputs" / "2026-10" / "draft-01"
    with (draft / "issues.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["code"] == "merged-cells"]
    assert [(row["file"], row["row"], row["column"], row["value"], row["ref"]) for row in rows] == [
        (OPCC, "2", "Explanation / Link to meeting papers", "D2:D3", "2"),
        (OPCC, "3", "Timeframe for delivery / Completion", "E3:E4", "4")]
    assert [row["message"] for row in rows] == [
        "Cells D2:D3 are merged: Excel shows the first one's value across them all, but the merge hides other "
        "text in row 3, read as each row's own.",
        "Cells E3:E4 are merged; only the first holds a value, so the other rows have none (nothing was filled in "
        "for them)."]
    assert rows[0]["advice"].startswith("Unmerge the cells (the hidden text shows again)")
    register = openpyxl.load_workbook(draft / "register.xlsx")["Register"]
    explanations = {row[0]: row[6] for row in register.iter_rows(min_row=2, values_only=True)}
    assert explanations[4] == "Update on action 4."  # the hidden text, as the issue says


# ---------------------------------------------------------------- a register with its own headings


OPCC_RETURN = {"opcc.xlsx": [RETURN_HEADINGS, (2, "", "In progress", "Under way.", "2027")]}  # a return is read


def test_a_register_with_its_own_headings_says_how_to_name_them(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """An OPCC adopting reportgen heads its register "Action No." and "Deliverable": the command said only
    that 'Plan priority' and 'Action' were not found, suggested 'Action No.' for both, and advised renaming
    "as the return template has it"; it now says what to write in reportgen.toml, which then reads it."""
    register = [("Action No.", "Theme", "Owner", "Deliverable", "Plan page"),
                *((ref, section, lead, action, page) for ref, section, lead, action, page in
                  ((1, "Safer Streets", "Wessex Police", "Develop a prevention strategy.", "9"),
                   (2, "Victims", "OPCC", "Publish the commissioning plan.", "11")))]
    root = make_workspace(tmp_path / "ws", register=register, returns=OPCC_RETURN)
    assert main(["validate", "--workspace", str(root)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("reportgen: error: cannot read the register inputs/register.xlsx: "
                            "Column 'Plan priority' was not found in the register inputs/register.xlsx"), error
    assert 'under [register.columns]: ref = { aliases = ["Action No."] }' in error
    assert 'action = { aliases = ["<its heading>"] }' in error  # 'Action No.' is suggested for one column only
    assert error.count("the register's headings that are not read: 'Action No.', 'Deliverable'.") == 2
    with (root / "reportgen.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[register.columns]\nref = { aliases = ["Action No."] }\n'
                       'action = { aliases = ["Deliverable"] }\nsection = { aliases = ["Theme"] }\n')
    assert main(["validate", "--workspace", str(root)]) == 0
    assert capsys.readouterr().out.startswith("2026-10 (public edition): 2 actions:")


def test_a_register_headed_priority_area_is_told_to_name_its_numbered_column(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Northshire heads its register "Action No." and "Priority Area" (its sections): the advice named
    'Priority Area' for the action number, as it reads like 'Plan priority', and following it read every
    section name as a bad number; the column of whole numbers is suggested, and following that reads."""
    register = [("Action No.", "Priority Area", "Responsible Organisation", "Commitment"),
                (1, "Safer Streets", "Northshire Constabulary", "Increase patrols."),
                (2, "Supporting Victims", "OPCC", "Fund advocacy.")]
    root = make_workspace(tmp_path / "ws", register=register, returns=OPCC_RETURN)
    assert main(["validate", "--workspace", str(root)]) == 1
    error = capsys.readouterr().err
    assert 'ref = { aliases = ["Action No."] }' in error, error
    assert "Priority Area\"" not in error
    with (root / "reportgen.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[register.columns]\nref = { aliases = ["Action No."] }\n'
                       'lead = { aliases = ["Responsible Organisation"] }\nsection = { aliases = ["Priority Area"] }\n')
    assert main(["validate", "--workspace", str(root)]) == 0
    assert capsys.readouterr().out.startswith("2026-10 (public edition): 2 actions:")


def test_a_register_with_none_of_the_headings_says_how_to_name_them(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    register = [("Ref No", "Area", "Responsible", "Deliverable"), (1, "Safer Streets", "OPCC", "Publish.")]
    root = make_workspace(tmp_path / "ws", register=register, returns={})
    assert main(["validate", "--workspace", str(root)]) == 1
    assert capsys.readouterr().err.strip() == (
        "reportgen: error: cannot read the register inputs/register.xlsx: No sheet in the register "
        "inputs/register.xlsx has the headings 'Plan priority', 'Lead', 'Action', so no action was read. If the "
        "register heads those columns otherwise, name its headings in reportgen.toml under [register.columns], one "
        'line a column: ref = { aliases = ["<its heading>"] }, and so for lead and action (section, page and '
        "exempt are optional).")


def test_a_register_numbered_1_1_1_2_is_told_in_a_few_lines_how_to_keep_its_numbering(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A plan numbered 1.1, 1.2, … (as many are) gave one sentence per row on one line and the advice
    "write the plan priority number only", with a partner's advice for an empty file. Now: one sentence for
    the rows, an example, and how to keep that numbering in the paper; following it, the paper shows it."""
    dotted = [f"{theme}.{n}" for theme in (1, 2) for n in range(1, 13)]
    register = [REGISTER_HEADINGS, *((ref, "Safer Streets", "OPCC", f"Action {ref}.", "9") for ref in dotted)]
    root = make_workspace(tmp_path / "ws", register=register, returns={})
    assert main(["validate", "--workspace", str(root)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and error.count("is not a whole number") == 1, error
    assert ("None of the register's 24 rows (rows 2 to 25) could be read as an action: the action reference in "
            "'Plan priority' of each ('1.1', '1.2', …) is not a whole number.") in error
    assert "To keep the plan's own numbering ('1.1' and so on) in the paper, put it in a column of its own" in error
    assert "Ask the partner" not in error
    numbered = [("Plan priority", "Our ref", *REGISTER_HEADINGS[1:]),
                *((n, ref, *row[1:]) for n, (ref, *row) in enumerate(register[1:], start=1))]
    root = make_workspace(tmp_path / "ws2", register=numbered, returns=OPCC_RETURN)
    with (root / "reportgen.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[[register.extra]]\nkey = "number"\nheading = "Our ref"\n')
    text = (root / "reportgen.toml").read_text(encoding="utf-8")
    (root / "reportgen.toml").write_text(text.replace("[paper]\n", '[paper]\ntable_columns = ["ref", "number", '
                                                      '"action", "status", "explanation", "timeframe", "page"]\n', 1),
                                         encoding="utf-8")
    assert main(["build", "--workspace", str(root)]) == 0, capsys.readouterr()
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    table = docx.Document(str(folder / "paper.docx")).tables[-1]
    assert [cell.text for cell in table.rows[0].cells][:3] == ["Plan priority", "Our ref", "Action"]
    assert any([cell.text for cell in row.cells][:2] == ["14", "2.2"] for row in table.rows)


def test_a_reference_holding_the_plans_own_number_is_told_to_keep_it_in_a_column_of_its_own(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A register row numbered A-103 and a partner's row keyed by the plan's own number, P1.1b, were each told only
    "'…' is not a whole number" and "write the plan priority number only", under a heading named 'Ref' in the register:
    no word of keeping that numbering. Now both name the heading as written and say to keep the plan's own numbering
    in a column of its own (the register through [[register.extra]]); the partner is told it without reportgen's
    settings."""
    from reportgen.mail.collect import for_partner

    register = [("Ref", *REGISTER_HEADINGS[1:]), *ACTIONS, ("A-103", "Justice", "OPCC", "Open a court hub.", "18")]
    returns = default_returns()
    returns["opcc.xlsx"] = [*returns["opcc.xlsx"], ("P1.1b", "", "Completed", "Done.", "")]
    root = make_workspace(tmp_path / "ws", register=register, returns=returns)
    _add_settings(root, '\n[register.columns]\nref = { aliases = ["Ref"] }\n')
    code, printed, issues = _validate(root, capsys)
    assert code == 1
    ours, theirs = _of(issues, "bad-ref")
    assert flatten([ours, theirs], ["file", "row", "column", "value"]) == [
        ["inputs/register.xlsx", 8, "Ref", "A-103"], [OPCC, 5, "Plan priority", "P1.1b"]]
    assert ours.advice.startswith("reportgen numbers each action with a whole number (1, 2, 3 …) in 'Ref'")
    assert ("To keep the plan's own numbering ('A-103' and so on) in the paper, put it in a column of its own and name "
            "it in reportgen.toml: [[register.extra]]") in ours.advice
    assert "plan priority" not in ours.advice.casefold()
    assert theirs.advice.startswith("Write the action's number as the register numbers it, a whole number (e.g. 12, "
                                    "as in the workbook sent), in 'Plan priority'")
    assert "The plan's own numbering ('P1.1b') may be kept in a column of its own beside it" in theirs.advice
    told = for_partner(theirs, OPCC, "opcc.xlsx").advice
    assert "column of its own beside it." in told and "reportgen" not in told
    assert "[[register.extra]]" in printed


# ---------------------------------------------------------------- a workspace's own column aliases


def _add_settings(root: Path, text: str) -> None:
    with (root / "reportgen.toml").open("a", encoding="utf-8") as settings:
        settings.write(text)


def test_an_alias_added_for_one_partner_keeps_the_headings_the_others_use(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Northshire's police head their return "Status", as reportgen reads it; the OPCC's team heads its
    own "RAG". Adding "RAG" to the status's aliases, as the messages advise, replaced the built-in ones:
    the police's return then failed ("Column 'Status this reporting period' was not found"). An alias
    is now added to them."""
    returns = {"wessex-police.csv": [("Plan priority", "Status", "Explanation"),
                                     (1, "Completed", "Strategy published."), (3, "In progress", "Referrals up.")],
               "opcc.csv": [("Ref", "RAG", "Update"), (2, "In progress", "Plan drafted."), (4, "On hold", "Paused."),
                            (6, "Completed", "Two new courts.")],
               "criminal-justice-board.csv": [("Ref", "Status", "Progress update"), (5, "Not started", "Next year.")]}
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, _printed, issues = _validate(root, capsys)
    assert code == 1
    assert flatten(_of(issues, "missing-column"), ["file", "value"]) == [
        [f"{RETURNS.as_posix()}/opcc.csv", "Status this reporting period"]]
    _add_settings(root, '\n[returns.columns]\nstatus = { aliases = ["RAG"] }\n')
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert printed.startswith("2026-10 (public edition): 6 actions: Completed 2, In progress 2, Not started 1, "
                              "On hold 1."), printed
    assert not _of(issues, "missing-column", "duplicate-column", "unread-column")


def test_a_heading_given_to_one_column_is_no_longer_a_built_in_alias_of_another(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A return headed "RAG" for its status and "Progress" for its update text: "Progress" is a built-in
    alias of the status, so naming it the explanation's alias read it as a second status column. A
    workspace's own name for a column now takes it from the built-in aliases of the others."""
    returns = default_returns()
    returns["opcc.xlsx"] = [("Ref", "RAG", "Progress"), (2, "In progress", "Plan drafted."),
                            (4, "On hold", "Paused."), (6, "Completed", "Two new courts.")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    _add_settings(root, '\n[returns.columns]\nstatus = { aliases = ["RAG"] }\n'
                        'explanation = { aliases = ["Progress"] }\n')
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert not _of(issues, "missing-column", "duplicate-column", "unread-column")
    paper = validate_draft(root).paper
    assert [row.explanation for row in paper.rows if row.ref == 4] == ["Paused."]


def test_a_built_in_alias_that_means_something_else_can_be_stopped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Northshire's register has a "Priority" column (High, Low) beside its "Action number": "Priority" is
    a built-in alias of the action number, read before "Action number", so every action was a bad
    number. A column of a few words repeated is no longer taken for the number, and `not_aliases` still
    stops the alias matching at all."""
    register = [("Action number", "Priority", "Lead", "Action", "CSCJ Plan page"),
                *((ref, "High" if ref % 2 else "Low", lead, text, page) for ref, _s, lead, text, page in ACTIONS)]
    root = make_workspace(tmp_path / "ws", register=register)
    code, printed, _issues = _validate(root, capsys)
    assert code == 0, printed
    assert printed.startswith("2026-10 (public edition): 6 actions:"), printed
    _add_settings(root, '\n[register.columns]\nref = { not_aliases = ["Priority"] }\n')
    code, printed, _issues = _validate(root, capsys)
    assert code == 0, printed
    assert printed.startswith("2026-10 (public edition): 6 actions:"), printed
    _add_settings(root, 'lead = { not_aliases = ["Head of Service"] }\n')  # a typo is told, with what there is
    assert main(["validate", "--workspace", str(root)]) == 1
    assert ("lead: not_aliases ['Head of Service'] are not among its built-in aliases ['Lead partner', "
            "'Lead agency', 'Owner']") in capsys.readouterr().err


def _with_extra(root: Path, text: str, last: str, key: str, heading: str) -> None:
    """reportgen.toml as `text` with the table's columns ending in `last` ('"page", "prio"') and a
    [[register.extra]] `key` headed `heading`."""
    (root / "reportgen.toml").write_text(text.replace("[paper]\n", '[paper]\ntable_columns = ["ref", "action", '
                                                      f'"status", "explanation", "timeframe", {last}]\n', 1)
                                         + f'\n[[register.extra]]\nkey = "{key}"\nheading = "{heading}"\n',
                                         encoding="utf-8")


def test_a_heading_named_for_an_extra_column_is_no_longer_a_built_in_alias(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Northshire's register has "Plan priority" and a "Priority" column (High, Low) it shows in the paper
    through [[register.extra]] headed "Priority". "Priority" is a built-in alias of the action number,
    matched before the extras: it was read as a second number column (duplicate-column, an error that
    blocked the paper) and the paper had no Priority column. A heading named for an extra is now the
    extra's, as one named under [register.columns] already was."""
    register = [(*REGISTER_HEADINGS, "Priority"), *((*row, "High" if row[0] % 2 else "Low") for row in ACTIONS)]
    root = make_workspace(tmp_path / "ws", register=register)
    text = (root / "reportgen.toml").read_text(encoding="utf-8")
    _with_extra(root, text, '"page", "prio"', "prio", "Priority")
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert not _of(issues, "duplicate-column", "register-column-absent", "register-column-unread"), printed
    assert main(["build", "--workspace", str(root)]) == 0, capsys.readouterr()
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    table = docx.Document(str(folder / "paper.docx")).tables[-1]
    assert [cell.text for cell in table.rows[0].cells][::6] == ["Plan priority", "Priority"]
    rows = [tuple(cell.text for cell in row.cells)[::6] for row in table.rows[1:]]
    assert {row for row in rows if row[0].isdigit()} == {(str(ref), "High" if ref % 2 else "Low")
                                                        for ref, *_row in ACTIONS}


def test_an_extra_column_headed_as_a_built_in_column_is_read_as_the_extra(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A register whose sections are headed "Theme" has a further "Section" column (sub-sections) shown in
    the paper through [[register.extra]] headed "Section". "Section" is our section column's own heading,
    matched before the extras: the register was told it had no column 'Section' for the extra, and that
    "Theme" and "Section" meant the same (an error that blocked the paper). The extra's heading is now
    the extra's, and "Theme" the sections'."""
    headings = ("Plan priority", "Theme", "Lead", "Action", "CSCJ Plan page", "Section")
    register = [headings, *((*row, f"Part {row[0]}") for row in ACTIONS)]
    root = make_workspace(tmp_path / "ws", register=register)
    text = (root / "reportgen.toml").read_text(encoding="utf-8")
    _with_extra(root, text, '"part"', "part", "Section")
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert not _of(issues, "duplicate-column", "register-column-absent", "register-column-unread"), printed
    assert main(["build", "--workspace", str(root)]) == 0, capsys.readouterr()
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    table = docx.Document(str(folder / "paper.docx")).tables[-1]
    headings = [cell.text for cell in table.rows[0].cells]
    assert (headings[0], headings[-1]) == ("Plan priority", "Section")
    texts = [tuple(cell.text for cell in row.cells) for row in table.rows[1:]]
    assert {(row[0], row[-1]) for row in texts if row[0].isdigit()} == {(str(ref), f"Part {ref}")
                                                                        for ref, *_row in ACTIONS}
    assert {row[0] for row in texts} >= {"Victims", "Justice"}  # the sections, read from "Theme"


def test_an_extra_column_headed_as_a_built_in_column_says_which_column_to_show_instead(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An officer wanting the register's Section in the table wrote [[register.extra]] key = "theme", heading =
    "Section": the note said the register has no column 'Section', which it has (read as the section the
    paper groups by), and advised adding that heading to the aliases, which could not help. It now says the
    column is read as the section column, and to put "section" in table_columns instead."""
    root = make_workspace(tmp_path / "ws")
    text = (root / "reportgen.toml").read_text(encoding="utf-8")
    _with_extra(root, text, '"theme"', "theme", "Section")
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    [note] = _of(issues, "register-column-absent")
    assert (note.file, note.row, note.column, note.severity.value) == ("inputs/register.xlsx", 1, "Section", "info")
    assert note.message == ("The register's column 'Section' is read as its section column, not as "
                            "[[register.extra]] theme: a heading is read as one column only, so the paper's table "
                            "has no theme column.")
    assert 'put "section" in [paper] table_columns in place of "theme"' in printed
    (root / "reportgen.toml").write_text(text.replace("[paper]\n", '[paper]\ntable_columns = ["ref", "action", '
                                                      '"status", "explanation", "timeframe", "section"]\n', 1),
                                         encoding="utf-8")  # the advice followed: the column is in the paper
    code, printed, issues = _validate(root, capsys)
    assert code == 0 and not _of(issues, "register-column-absent"), printed
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    table = docx.Document(str(folder / "paper.docx")).tables[-1]
    assert table.rows[0].cells[-1].text == "Section"
    # the same with the register's one "Lead", a column a register must have: read as the lead, said so
    _with_extra(root, text, '"owner"', "owner", "Lead")
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    [note] = _of(issues, "register-column-absent")
    assert note.message.startswith("The register's column 'Lead' is read as its lead column"), note.message


def test_a_return_missing_a_column_names_its_own_headings_and_the_line_to_add(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A return headed "Ref, RAG, Update, Target date" was told only that 'Status this reporting period' was
    not found and to rename the heading: not which of its headings was not read, nor that reportgen.toml
    can name it, as the register's advice does. Following the advice now reads it."""
    returns = default_returns()
    returns["opcc.csv"] = [("Ref", "RAG", "Update", "Target date"), (2, "In progress", "Plan drafted.", "2027"),
                           (4, "On hold", "Paused.", ""), (6, "Completed", "Two new courts.", "")]
    del returns["opcc.xlsx"]
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, printed, issues = _validate(root, capsys)
    assert code == 1
    [missing] = _of(issues, "missing-column")
    assert (missing.file, missing.row, missing.value) == (f"{RETURNS.as_posix()}/opcc.csv", 1,
                                                          "Status this reporting period")
    assert missing.advice.endswith('name that heading in reportgen.toml under [returns.columns]: status = { '
                                   'aliases = ["RAG"] }. The file\'s headings that are not read: \'RAG\'.'), missing
    assert missing.advice in printed
    line = missing.advice.split("[returns.columns]: ")[1].split(". The file's")[0]
    _add_settings(root, f"\n[returns.columns]\n{line}\n")
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert printed.startswith("2026-10 (public edition): 6 actions: Completed 2, In progress 1, Not started 1, "
                              "On hold 2."), printed



@pytest.mark.parametrize("edition", ["public", "restricted"])
def test_a_file_named_after_no_lead_whose_rows_were_not_read_says_none_is_used(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], edition: str) -> None:
    """A return named after no lead ("X.csv") and missing its status column was told "Its updates are used,
    each counted as returned by the lead of its action", beside the error saying none of its rows were
    read. It now says none of its updates are used; a file named after no lead whose rows are used still
    says they are."""
    returns: dict[str, list[tuple[object, ...]]] = {
        **default_returns(), "X.csv": [("Plan priority", "RAG", "Explanation"), (2, "Amber", "Drafted.")],
        "Y.csv": [("Plan priority", "Status", "Explanation"), (4, "On hold", "Paused.")]}
    returns["opcc.xlsx"] = [row for row in returns["opcc.xlsx"] if row[0] != 4]  # Y.csv's is action 4's one update
    root = make_workspace(tmp_path / "ws", returns=returns)
    code, printed, issues = _validate(root, capsys, "--edition", edition)
    assert code == 1
    found = {i.file.rsplit("/", 1)[1]: i.message for i in _of(issues, "unknown-partner")}
    leads = "in the register" if edition == "restricted" else "partner of the paper"
    assert found["X.csv"].endswith(f"matches no lead {leads} (Wessex Police, OPCC, Criminal Justice Board). None "
                                   "of its updates are used: see its other issues."), found
    assert found["Y.csv"].endswith("Its updates are used, each counted as returned by the lead of its action."), found
    assert found["X.csv"] in printed


# ---------------------------------------------------------------- a register without a page column


def test_a_register_without_a_page_column_prints_no_empty_page_column(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Northshire's register (a CSV) has no plan page column: the paper printed an empty column headed
    "CSCJ Plan page", another OPCC's plan, in the PDF, the Word document and the web edition. The column
    is now left out, and a note says why (with the line naming the register's own heading for it)."""
    import re

    import pypdf

    root = make_workspace(tmp_path / "ws")
    (root / "inputs" / "register.xlsx").unlink()
    write_csv(root / "inputs" / "register.csv", [REGISTER_HEADINGS[:4], *(row[:4] for row in ACTIONS)])
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert flatten(_of(issues, "register-column-absent"), ["file", "row", "value", "severity"]) == [
        ["inputs/register.csv", 1, "CSCJ Plan page", "info"]]
    assert 'name that heading in reportgen.toml under [register.columns]: page = { aliases = ["<its heading>"] }' \
        in printed
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    headings = ["Plan priority", "Action", "Status this reporting period", "Explanation / Link to meeting papers",
                "Timeframe for delivery / Completion"]
    table = docx.Document(str(folder / "paper.docx")).tables[-1]
    assert [cell.text for cell in table.rows[0].cells] == headings
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(folder / "paper.pdf").pages)
    web = (folder / "paper.html").read_text(encoding="utf-8")
    assert re.findall(r'<th scope="col" class="col-[a-z]+"[^>]*>([^<]*)</th>', web) == headings
    assert "Timeframe for" in pdf and "Plan page" not in pdf and "Plan page" not in web


def test_the_paper_heads_the_register_columns_as_the_register_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Northshire's register heads its columns "Action number", "Commitment" and "Plan page": the paper
    printed "Plan priority", "Action" and "CSCJ Plan page" (another OPCC's plan) over them in the PDF, the
    Word document and the web edition unless reportgen.toml named each heading. The paper now heads a
    register column as the register does (spaces tidied, invisible characters removed and said, as in a
    cell); a heading reportgen.toml names still wins."""
    import re

    import pypdf

    register = [("Action number", "Section", "Lead", "Commitment\u200b", "Plan\n page"), *ACTIONS]
    root = make_workspace(tmp_path / "ws", register=register)
    _code, _printed, issues = _validate(root, capsys)
    assert flatten(_of(issues, "invisible-characters"), ["file", "row", "column"]) == [
        ["inputs/register.xlsx", 1, "Commitment\u200b"]]
    assert main(["build", "--workspace", str(root)]) == 0, capsys.readouterr()
    first = Path(capsys.readouterr().out.strip().splitlines()[-1])
    headings = ["Action number", "Commitment", "Status this reporting period", "Explanation / Link to meeting papers",
                "Timeframe for delivery / Completion", "Plan page"]
    table = docx.Document(str(first / "paper.docx")).tables[-1]
    assert [cell.text for cell in table.rows[0].cells] == headings
    web = (first / "paper.html").read_text(encoding="utf-8")
    assert re.findall(r'<th scope="col" class="col-[a-z]+"[^>]*>([^<]*)</th>', web) == headings
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(first / "paper.pdf").pages)
    assert "Commitment" in pdf and "Plan page" in pdf and "CSCJ" not in pdf and "Plan priority" not in pdf
    _add_settings(root, '\n[register.columns]\npage = { heading = "Page in the plan" }\n')
    assert main(["build", "--workspace", str(root)]) == 0, capsys.readouterr()
    second = Path(capsys.readouterr().out.strip().splitlines()[-1])
    table = docx.Document(str(second / "paper.docx")).tables[-1]
    assert [cell.text for cell in table.rows[0].cells] == [*headings[:5], "Page in the plan"]
    assert main(["diff", str(first), str(second), "--out", str(tmp_path / "diff")]) == 0, capsys.readouterr()
    # the comparison heads the columns as the new paper does, the renamed one tracked (said in the summary too)
    from test_diff import accept_all, reject_all

    compared = docx.Document(str(tmp_path / "diff" / "diff.docx"))
    assert [cell.text for cell in accept_all(compared).tables[-1].rows[0].cells] == [*headings[:5],
                                                                                    "Page in the plan"]
    rejected = reject_all(docx.Document(str(tmp_path / "diff" / "diff.docx")))
    assert [cell.text for cell in rejected.tables[-1].rows[0].cells] == headings


def test_register_columns_that_are_not_read_are_noted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Northshire's register carries "Target Date" and "Current Status": neither is read, and nothing said
    so, not even with --all. Each is now a note; following its advice shows the column in the paper."""
    register = [(*REGISTER_HEADINGS, "Target Date", "Current Status"),
                *((*row, "March 2027", "Amber") for row in ACTIONS)]
    root = make_workspace(tmp_path / "ws", register=register)
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert flatten(_of(issues, "register-column-unread"), ["file", "sheet", "row", "column", "severity"]) == [
        ["inputs/register.xlsx", "Register", 1, "Target Date", "info"],
        ["inputs/register.xlsx", "Register", 1, "Current Status", "info"]]
    assert ("Column 'Target Date' of the register is not a column reportgen reads, so the paper does not show it. "
            "→ Statuses, explanations and timeframes come from the partners' returns, not the register. To show the "
            "column in the paper, name it in reportgen.toml: [[register.extra]] key = \"<a name>\", heading = "
            "\"Target Date\", and add that key to [paper] table_columns") in printed
    text = (root / "reportgen.toml").read_text(encoding="utf-8")
    (root / "reportgen.toml").write_text(text.replace("[paper]\n", '[paper]\ntable_columns = ["ref", "action", '
                                                      '"status", "explanation", "target"]\n', 1), encoding="utf-8")
    _add_settings(root, '\n[[register.extra]]\nkey = "target"\nheading = "Target Date"\n')
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert [i.column for i in _of(issues, "register-column-unread")] == ["Current Status"]
    paper = validate_draft(root).paper
    assert [column.heading for column in paper.columns][-1] == "Target Date"
    assert {row.cell("target").text for row in paper.rows} == {"March 2027"}


# ---------------------------------------------------------------- links set on cells (Insert > Link)


def _link(path: Path, links: dict[str, str]) -> None:
    book = openpyxl.load_workbook(path)
    for cell, url in links.items():
        book.worksheets[0][cell].hyperlink = url
    book.save(path)


def test_a_link_on_a_cell_the_paper_shows_as_words_leaves_its_words_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The secretariat linked Wessex Police's lead cell to the force's website, a page number to the plan and
    a section to its web page; OPCC linked a status and a timeframe cell. Each was read as '[words](address)':
    Wessex Police became a second lead that 'sent no return' (its action chased, its own return's update
    taken for another lead's), the status was not recognised, and the paper printed the Markdown in the
    section heading, page and timeframe. A link is now kept only where the paper shows links (the action
    and the explanation); elsewhere the words are read, and the link not kept is said at its cell."""
    root = make_workspace(tmp_path / "ws")
    _link(root / "inputs" / "register.xlsx", {"C2": "https://www.wessex.police.uk/", "E3": "https://example.org/plan",
                                              "B4": "https://example.org/victims", "D5": "https://example.org/fund"})
    _link(root / RETURNS / "opcc.xlsx", {"C2": "https://example.org/status", "E3": "https://example.org/timeline",
                                         "D4": "https://example.org/courts"})
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert flatten(_of(issues, "cell-link-not-kept"), ["file", "row", "column", "value", "ref"]) == [
        ["inputs/register.xlsx", 2, "Lead", "https://www.wessex.police.uk/", 1],
        ["inputs/register.xlsx", 3, "CSCJ Plan page", "https://example.org/plan", 2],
        ["inputs/register.xlsx", 4, "Section", "https://example.org/victims", 3],
        [OPCC, 2, "Status this reporting period", "https://example.org/status", 2],
        [OPCC, 3, "Timeframe for delivery / Completion", "https://example.org/timeline", 4]]
    assert not _of(issues, "missing-return", "unknown-status", "action-text-changed", "no-update")
    assert "Row 2, column 'Lead': the cell links to 'https://www.wessex.police.uk/'; its words were read " \
        "without the link" in printed
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    document = docx.Document(str(folder / "paper.docx"))
    rows = {row.cells[0].text: [cell.text for cell in row.cells] for row in document.tables[-1].rows}
    assert rows["2"][2:] == ["In progress", "Update on action 2.", "Spring 2027", "11"]
    assert rows["4"][1:] == ["Fund an advocacy service.", "In progress", "Update on action 4.", "Spring 2027",
                             "13-14"]
    assert "Victims" in rows and not any("](" in text for row in rows.values() for text in row)
    web = (folder / "paper.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/fund"' in web and 'href="https://example.org/courts"' in web
    assert "example.org/timeline" not in web and "wessex.police.uk" not in web
    chase = (folder / "chase.csv").read_text(encoding="utf-8-sig")
    assert "](" not in chase


def test_a_linked_explanation_of_several_lines_shows_its_words_linked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC linked its explanation cells to the meeting papers (Insert > Link); one cell had two lines
    (Alt+Enter), one a bullet list, one a ']' in its words. The paper printed '[Minutes of the board',
    'Agreed in March.](https://…)' and '[See section 3] of the report](https://…)': the Markdown the link was
    read as, broken by the line or the bracket. Each line's words are now the link, after its bullet; words
    with a bracket are followed by the address, linked."""
    import re

    import pypdf

    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "In progress", "Minutes of the board\nAgreed in March.", ""),
                            (4, "", "Completed", "See section 3] of the report", ""),
                            (6, "", "Completed", "Two things:\n• Courts lobbied\n• Letter sent", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    _link(root / RETURNS / "opcc.xlsx", {"D2": "https://example.org/minutes", "D3": "https://example.org/report",
                                         "D4": "https://example.org/letter"})
    code, printed, _issues = _validate(root, capsys)
    assert code == 0, printed
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    document = docx.Document(str(folder / "paper.docx"))
    rows = {row.cells[0].text: row.cells[3] for row in document.tables[-1].rows}
    assert [p.text for p in rows["2"].paragraphs] == ["Minutes of the board", "Agreed in March."]
    assert rows["4"].text == "See section 3] of the report (https://example.org/report)"
    assert [p.text for p in rows["6"].paragraphs] == ["Two things:", "Courts lobbied", "Letter sent"]
    web = (folder / "paper.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="(https://example.org/[a-z]+)"[^>]*>([^<]*)</a>', web) == [
        ("https://example.org/minutes", "Minutes of the board"), ("https://example.org/minutes", "Agreed in March."),
        ("https://example.org/report", "https://example.org/report"), ("https://example.org/letter", "Two things:"),
        ("https://example.org/letter", "Courts lobbied"), ("https://example.org/letter", "Letter sent")]
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(folder / "paper.pdf").pages)
    for shown in (web, pdf, "\n".join(p.text for cell in rows.values() for p in cell.paragraphs)):
        assert "](" not in shown and "[Minutes" not in shown


def test_a_linked_explanation_written_in_html_shows_its_paragraphs_and_items_linked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC linked two explanation cells written as HTML (`<p>…</p>`, `<ul><li>…</li></ul>`, as the example
    workspace's cells are) with Insert > Link. The PDF, the Word paper and the web edition showed a '[' on a line of
    its own, the paragraphs, then '](mailto:…)' as text, and nothing said so: the link was written round the HTML
    before it was read. Each paragraph's and item's words are now the link, with no brackets or markup."""
    import re

    import lxml.html
    import pdfplumber

    returns = default_returns()
    returns["opcc.xlsx"] = [
        RETURN_HEADINGS,
        (2, "", "In progress", "<p>Bids have been evaluated.</p><p>The service starts in April.</p>", ""),
        (4, "", "Completed", "Referrals since June. The evaluation will look at:<ul><li>reoffending;</li>"
                             "<li>school attendance.</li></ul>", ""),
        (6, "", "Completed", "Courts lobbied.", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    _link(root / RETURNS / "opcc.xlsx", {"D2": "mailto:victims@example.org", "D3": "https://example.org/youth?a=1&b=2"})
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    assert not _of(issues, "link-not-kept", "paragraphs-joined", "list-not-closed")
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    document = docx.Document(str(folder / "paper.docx"))
    rows = {row.cells[0].text: row.cells[3] for row in document.tables[-1].rows}
    assert [p.text for p in rows["2"].paragraphs] == ["Bids have been evaluated.", "The service starts in April."]
    assert [p.text for p in rows["4"].paragraphs] == [
        "Referrals since June. The evaluation will look at:", "reoffending;", "school attendance."]
    hyperlinks = rows["2"]._tc.xpath(".//w:hyperlink") + rows["4"]._tc.xpath(".//w:hyperlink")
    targets = [document.part.rels[link.get(docx.oxml.ns.qn("r:id"))].target_ref for link in hyperlinks]
    assert targets == ["mailto:victims@example.org"] * 2 + ["https://example.org/youth?a=1&b=2"] * 3
    web = lxml.html.parse(str(folder / "paper.html")).getroot()
    linked = [(a.get("href"), a.text_content()) for a in web.iter("a")]
    assert [(href, words) for href, words in linked if href.startswith(("mailto", "https"))] == [
        ("mailto:victims@example.org", "Bids have been evaluated."),
        ("mailto:victims@example.org", "The service starts in April."),
        ("https://example.org/youth?a=1&b=2", "Referrals since June. The evaluation will look at:"),
        ("https://example.org/youth?a=1&b=2", "reoffending;"),
        ("https://example.org/youth?a=1&b=2", "school attendance.")]
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        uris = [link.get("uri") for page in pdf.pages for link in page.hyperlinks]
    assert uris.count("mailto:victims@example.org") >= 2 and uris.count("https://example.org/youth?a=1&b=2") >= 3
    words = "\n".join(p.text for cell in rows.values() for p in cell.paragraphs)
    for shown in (text, words, "\n".join(cell.text_content() for cell in web.iter("td"))):
        assert "](" not in shown and "<p>" not in shown and "<li>" not in shown and "[Bids" not in shown
        assert not re.search(r"^\s*\[\s*$", shown, re.MULTILINE)


def test_a_link_set_on_several_cells_at_once_links_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC selected its three explanation cells and linked them to the board papers at once (Insert > Link);
    Excel writes that link once, for the range D2:D4. The paper showed the three explanations without it, and
    nothing said so. Each cell of the range now has the link."""
    import re

    root = make_workspace(tmp_path / "ws")
    _link(root / RETURNS / "opcc.xlsx", {"D2": "https://example.org/board"})
    edit_sheet_xml(root / RETURNS / "opcc.xlsx", lambda xml: xml.replace(' ref="D2" r:id=', ' ref="D2:D4" r:id='))
    code, printed, _issues = _validate(root, capsys)
    assert code == 0, printed
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    web = (folder / "paper.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="(https://example.org/[a-z]+)"[^>]*>([^<]*)</a>', web) == [
        ("https://example.org/board", f"Update on action {ref}.") for ref in (2, 4, 6)]


# ---------------------------------------------------------------- words struck through


def test_words_struck_through_are_said_at_their_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC struck through last month's words in an explanation and kept its new ones after them, and struck
    through a whole status and explanation; the secretariat struck through a withdrawn action's row in the
    register. The paper printed every struck word as current, and nothing said so. Each such row is now a
    warning naming its cells (in a workbook saved by LibreOffice too); the words are still read."""
    import shutil
    import subprocess

    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Font

    root = make_workspace(tmp_path / "ws")
    book = openpyxl.load_workbook(root / RETURNS / "opcc.xlsx")
    sheet = book.worksheets[0]
    sheet["D2"] = CellRichText([TextBlock(InlineFont(strike=True), "Awaiting the board. "), "Agreed in October."])
    sheet["C3"].font = sheet["D3"].font = Font(strike=True)
    book.save(root / RETURNS / "opcc.xlsx")
    book = openpyxl.load_workbook(root / "inputs" / "register.xlsx")
    for column in "ABCDE":
        book.worksheets[0][f"{column}4"].font = Font(strike=True)
    book.save(root / "inputs" / "register.xlsx")
    code, printed, issues = _validate(root, capsys)
    assert code == 0, printed
    # the value is the words struck through, cell by cell in the order the message names the cells
    expected = [["inputs/register.xlsx", 4, "Section", "Victims | Wessex Police | Review victim referrals. | 12", 3],
                [OPCC, 2, "Explanation / Link to meeting papers", "Awaiting the board.", 2],
                [OPCC, 3, "Status this reporting period", "In progress | Update on action 4.", 4]]
    assert flatten(_of(issues, "struck-text"), ["file", "row", "column", "value", "ref"]) == expected
    assert "Row 2 has words struck through (cell D2); the paper shows them as ordinary words." in printed
    assert "Row 4 of the register has words struck through (cells B4, C4, D4, E4)" in printed
    assert validate_draft(root).paper.rows[1].explanation == "Awaiting the board. Agreed in October."
    if shutil.which("soffice"):  # the same workbook saved by LibreOffice Calc, which writes its styles its own way
        saved = tmp_path / "saved"
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to",
                        "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(root / RETURNS / "opcc.xlsx")],
                       check=True, capture_output=True, timeout=180)
        shutil.copy(saved / "opcc.xlsx", root / RETURNS / "opcc.xlsx")
        assert flatten(_of(validate_draft(root).issues, "struck-text"), ["file", "row", "column", "value", "ref"]) \
            == expected


def test_a_struck_through_issues_value_is_the_words_struck_through(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """issues.csv gave a struck-text issue's cell ("D4") as its value, where every other issue gives what the
    partner wrote. The value is now the words struck through: the runs struck through in a cell, the words kept
    between them left out as " … "; a whole cell struck through, cut short as any long value is. The cells stay
    in the message, and in the row and column."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Font

    root = make_workspace(tmp_path / "ws")
    path = root / RETURNS / "opcc.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    gone = InlineFont(strike=True)
    sheet["D4"] = CellRichText([TextBlock(gone, "Awaiting "), TextBlock(gone, "the board. "), "Agreed in October; ",
                                TextBlock(gone, "funding\nfrom April"), " confirmed."])
    sheet["E4"] = "Spring 2027. " + "Subject to the budget. " * 12
    sheet["E4"].font = Font(strike=True)
    book.save(path)
    before = path.read_bytes()
    row = built_issue(root, capsys, "struck-text")
    assert (row["file"], row["sheet"], row["row"], row["column"], row["ref"]) == (
        OPCC, "Return", "4", "Explanation / Link to meeting papers", "6")
    assert row["value"].startswith("Awaiting the board. … funding from April | Spring 2027. Subject to the budget.")
    assert len(row["value"]) == 200 and row["value"].endswith("…")
    assert row["message"] == "Row 4 has words struck through (cells D4, E4); the paper shows them as ordinary words."
    assert path.read_bytes() == before  # read, never written


# ---------------------------------------------------------------- percentages


def with_formats(path: Path, cells: Sequence[tuple[str, object, str]]) -> None:
    """The workbook with each cell given a value and a number format, as a partner typing it in Excel does."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for cell, value, form in cells:
        sheet[cell] = value
        sheet[cell].number_format = form
    book.save(path)


def saved_again_by_libreoffice(path: Path, tmp_path: Path) -> bool:
    """The workbook opened and saved by LibreOffice Calc, which writes its own number formats; False without it."""
    import shutil
    import subprocess

    if not shutil.which("soffice"):
        return False
    saved = tmp_path / "saved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(path)],
                   check=True, capture_output=True, timeout=180)
    shutil.copy(saved / path.name, path)
    return True


def test_a_percentage_reads_as_the_partner_typed_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC typed '75%' as action 2's timeframe, '12.5%' as action 4's, and '100%' as action 6's status. Excel
    keeps 75% as 0.75 shown through a percentage format: the paper printed '0.75' and '0.125', and the status was
    '1, not recognised', none of them what the partner typed or sees. A percentage now reads as Excel shows it
    (in a workbook saved by LibreOffice too)."""
    root = make_workspace(tmp_path / "ws")
    with_formats(root / RETURNS / "opcc.xlsx", (("E2", 0.75, "0%"), ("E3", 0.125, "0.0%"), ("C4", 1, "0%")))

    def read() -> list[tuple[str, str]]:
        updates = [update for partner_return in validate_draft(root).checked.returns
                   for update in partner_return.updates if update.file == OPCC]
        return [(update.status_as_written, update.timeframe) for update in updates]

    assert read() == [("In progress", "75%"), ("In progress", "12.5%"), ("100%", "Spring 2027")]
    code, printed, issues = _validate(root, capsys)
    assert code == 1
    assert flatten(_of(issues, "unknown-status"), ["row", "value"]) == [[4, "100%"]]
    assert "status '100%' is not recognised" in printed
    assert main(["build", "--workspace", str(root)]) == 1
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    rows = {row.cells[0].text: [cell.text for cell in row.cells]
            for row in docx.Document(str(folder / "paper.docx")).tables[-1].rows}
    assert (rows["2"][4], rows["4"][4]) == ("75%", "12.5%")
    if saved_again_by_libreoffice(root / RETURNS / "opcc.xlsx", tmp_path):
        assert read() == [("In progress", "75%"), ("In progress", "12.5%"), ("100%", "Spring 2027")]


def test_a_number_reads_as_its_format_shows_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC typed £1,500 as action 2's timeframe, 2,400 as action 4's and 12.50 hours as action 6's; Excel keeps 1500,
    2400 and 12.5 shown through their number formats, and the paper printed '1500', '2400' and '12.5', not what the
    partner typed and sees. A number now reads as its format shows it (in a workbook saved by LibreOffice too), and an
    action number shown 002 under the format 000 is still action 2's."""
    root = make_workspace(tmp_path / "ws")
    with_formats(root / RETURNS / "opcc.xlsx", (("E2", 1500, '"£"#,##0'), ("E3", 2400, "#,##0"),
                                                ("E4", 12.5, '0.00 "hours"'), ("A2", 2, "000")))

    def read() -> list[tuple[int, str]]:
        updates = [update for partner_return in validate_draft(root).checked.returns
                   for update in partner_return.updates if update.file == OPCC]
        return [(update.ref, update.timeframe) for update in updates]

    expected = [(2, "£1,500"), (4, "2,400"), (6, "12.50 hours")]
    assert read() == expected
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    rows = {row.cells[0].text: [cell.text for cell in row.cells]
            for row in docx.Document(str(folder / "paper.docx")).tables[-1].rows}
    assert (rows["2"][4], rows["4"][4], rows["6"][4]) == ("£1,500", "2,400", "12.50 hours")
    if saved_again_by_libreoffice(root / RETURNS / "opcc.xlsx", tmp_path):
        assert read() == expected


def test_a_number_under_a_built_in_format_reads_as_excel_shows_it(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC gave action 2's timeframe Excel's Number format with no decimals and typed 2.5 (Excel shows 3), and action
    4's the Accounting format without a symbol and typed 1500 (Excel shows 1,500): both formats are built in, written
    in the file by number alone, and the paper printed '2.5' and '1500'."""
    root = make_workspace(tmp_path / "ws")
    book = openpyxl.load_workbook(root / RETURNS / "opcc.xlsx")
    sheet = book.worksheets[0]
    for cell, value, form in (("E2", 2.5, "0"), ("E3", 1500, r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)')):
        sheet[cell] = value
        sheet[cell].number_format = form
    book.save(root / RETURNS / "opcc.xlsx")
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    rows = {row.cells[0].text: [cell.text for cell in row.cells]
            for row in docx.Document(str(folder / "paper.docx")).tables[-1].rows}
    assert (rows["2"][4], rows["4"][4]) == ("3", "1,500")


def test_a_number_format_not_read_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC typed 2.5 under a fraction format as action 2's timeframe (Excel shows '2 1/2'), 1500 under Excel's built-in
    Currency format as action 4's explanation (its symbol is the computer's region's: '£1,500' here) and 1500 under
    scientific notation as action 6's timeframe ('1.50E+03'). The paper printed 2.5, 1500 and 1500 and nothing said
    that the partner sees something else. Each is now a warning at its cell, with the format and what to do; an
    action number under such a format (read from the number) and a number in a Text cell (shown as typed) are not."""
    root = make_workspace(tmp_path / "ws")
    book = openpyxl.load_workbook(root / RETURNS / "opcc.xlsx")
    sheet = book.worksheets[0]
    for cell, value, form in (("E2", 2.5, "# ?/?"), ("D3", 1500, '"$"#,##0_);("$"#,##0)'), ("E4", 1500, "0.00E+00"),
                              ("A3", 4, "0.00E+00"), ("D4", 7, "@"), ("E3", 0.25, "[>0.5]0%;0.0%")):
        sheet[cell] = value
        sheet[cell].number_format = form
    book.save(root / RETURNS / "opcc.xlsx")
    code, printed, issues = _validate(root, capsys)
    assert code == 0
    found = _of(issues, "number-format-not-read")
    assert flatten(found, ["row", "column", "value", "ref", "severity"]) == [
        [2, "Timeframe for delivery / Completion", "2.5", 2, "warning"],
        [3, "Explanation / Link to meeting papers", "1500", 4, "warning"],
        [3, "Timeframe for delivery / Completion", "0.25", 4, "warning"],  # a percentage chosen by a condition
        [4, "Timeframe for delivery / Completion", "1500", 6, "warning"]]
    assert "Cell E2 holds the number 2.5, which Excel shows through the number format '# ?/?' (a fraction)" in printed
    assert "'Currency, built-in format 5' (a currency whose symbol is the computer's region's" in printed
    assert "type that in as text (an apostrophe first, e.g. '2 1/2)" in printed
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    rows = {row.cells[0].text: [cell.text for cell in row.cells]
            for row in docx.Document(str(folder / "paper.docx")).tables[-1].rows}
    assert (rows["2"][4], rows["4"][3], rows["6"][4], rows["6"][3]) == ("2.5", "1500", "1500", "7")
    written = (folder / "issues.csv").read_text(encoding="utf-8-sig")
    assert written.count("number-format-not-read") == 4


def test_a_heading_excel_made_a_date_or_a_number_is_named_as_shown(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC added a column headed 'Mar-24' (which Excel makes the date 1 March 2024) for its March notes, and one headed
    £1,500 (a number under a currency format). Each was reported as an unread column named by reportgen's internals,
    "DateCell(value=datetime.datetime(2024, 3, 1, 0, 0), …)", which no officer can find; each is named as shown."""
    import datetime as dt

    root = make_workspace(tmp_path / "ws")
    book = openpyxl.load_workbook(root / RETURNS / "opcc.xlsx")
    sheet = book.worksheets[0]
    sheet["F1"], sheet["F2"], sheet["G1"], sheet["G2"] = dt.datetime(2024, 3, 1), "On track in March.", 1500, "Budget"
    sheet["F1"].number_format, sheet["G1"].number_format = "mmm-yy", '"£"#,##0'
    book.save(root / RETURNS / "opcc.xlsx")
    code, printed, issues = _validate(root, capsys)
    assert code == 0
    assert flatten(_of(issues, "unread-column"), ["row", "column", "value"]) == [
        [2, "March 2024", "On track in March."], [2, "£1,500", "Budget"]]
    assert "Column 'March 2024' is not one of the columns read" in printed and "DateCell" not in printed


def test_a_reference_shown_rounded_says_what_the_cell_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC's reference cell holds 3.6 under Excel's Number format with no decimals, so it shows 4. The row was left
    out as "the action reference '4' is not a whole number", which the partner, looking at a 4, cannot make sense of;
    the error now says what the cell holds."""
    root = make_workspace(tmp_path / "ws")
    book = openpyxl.load_workbook(root / RETURNS / "opcc.xlsx")
    sheet = book.worksheets[0]
    sheet["A3"], sheet["A3"].number_format = 3.6, "0"
    book.save(root / RETURNS / "opcc.xlsx")
    code, printed, issues = _validate(root, capsys)
    assert code == 1
    assert flatten(_of(issues, "bad-ref"), ["row", "value"]) == [[3, "4"]]
    assert ("the action reference '4' is not a whole number (the cell holds 3.6, which its number format shows as "
            "'4'); this update was left out") in printed


def test_a_count_under_the_register_is_a_total_whatever_its_label(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Under the register the officer counted its actions beside "Number of actions" and "Actions not exempt": the
    first was printed as an action, "8 | Number of actions | No update", the second stopped the build as a duplicate
    of action 7. A row whose number counts the rows above is a total whatever its label; a numbered action whose
    words happen to be "Grand total", with a lead, is still an action, and said to look like a total."""
    register = [REGISTER_HEADINGS, *ACTIONS, ("numbered", "Justice", "OPCC", "Grand total", "18"), (),
                ("counted", None, None, "Number of actions", None), ("rows", None, None, None, "Actions not exempt"),
                (None, "Total", None, None, None)]
    root = make_workspace(tmp_path / "ws", register=register)
    edit_sheet_xml(root / "inputs" / "register.xlsx", lambda xml: xml.replace(
        '<c r="A8" t="inlineStr"><is><t>numbered</t></is></c>', '<c r="A8"><f>COUNT(A$2:A7)+1</f><v>7</v></c>').replace(
        '<c r="A10" t="inlineStr"><is><t>counted</t></is></c>', '<c r="A10"><f>COUNTA(A1:A8)</f><v>8</v></c>').replace(
        '<c r="A11" t="inlineStr"><is><t>rows</t></is></c>', '<c r="A11"><f>ROWS(A2:A8)</f><v>7</v></c>'))
    _code, printed, issues = _validate(root, capsys)
    assert not _of(issues, "duplicate-ref", "bad-ref", "no-lead")
    assert flatten(_of(issues, "note-row", "total-like-row"), ["code", "row", "ref", "value"]) == [
        ["total-like-row", 8, 7, "7"],
        ["note-row", 10, None, "=COUNTA(A1:A8)"],
        ["note-row", 11, None, "=ROWS(A2:A8)"],
        ["note-row", 12, None, ""]]
    assert ("Row 10 is a total ('=COUNTA(A1:A8)' in column 'Plan priority' and 'Number of actions' in column "
            "'Action'), with no action") in printed
    assert "Row 8 looks like a total (" in printed and "so it was read as action 7" in printed
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 0
    rows = [[cell.text for cell in row.cells]
            for row in docx.Document(str(tmp_path / "draft" / "paper.docx")).tables[-1].rows]
    assert not [row for row in rows if "Number of actions" in row or "Actions not exempt" in row]
    assert [row for row in rows if "Grand total" in row and "7" in row]


def test_a_totals_rows_note_quotes_every_cell_it_holds(tmp_path: Path) -> None:
    """The officer's count under the register says "All partners" as its lead: the note quoted only the formula and
    "Total actions", so nothing said what else was left out of the paper with the row."""
    register = [REGISTER_HEADINGS, *ACTIONS, (), ("counted", None, "All partners", "Total actions", None)]
    root = make_workspace(tmp_path / "ws", register=register)
    edit_sheet_xml(root / "inputs" / "register.xlsx", lambda xml: xml.replace(
        '<c r="A9" t="inlineStr"><is><t>counted</t></is></c>', '<c r="A9"><f>COUNTA(A1:A7)</f><v>7</v></c>'))
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 0
    with (tmp_path / "draft" / "issues.csv").open(encoding="utf-8-sig", newline="") as f:
        [note] = [row for row in csv.DictReader(f) if row["code"] == "note-row"]
    assert note["message"] == (
        "Row 9 is a total ('=COUNTA(A1:A7)' in column 'Plan priority', 'All partners' in column 'Lead' and 'Total "
        "actions' in column 'Action'), with no action: it was read as a note, not as an action, and is not in the "
        "paper.")


def test_a_count_by_status_under_a_return_is_one_note_and_chases_nobody(tmp_path: Path) -> None:
    """OPCC counted its updates under them, "Total" beside =COUNTA(…) then each status beside =COUNTIF(…), and
    Wessex Police typed the same counts: each status's row was a blocking error ("no action reference; this update
    was left out"), its partner was chased for it, and its formula "was used" though nothing was. Each block is one
    note, and nobody is chased."""
    returns = default_returns()
    returns["opcc.xlsx"] += [(None, "Total", "all"), (None, "Completed", "done"), (None, "In progress", "going")]
    returns["wessex-police.xlsx"] += [(None, "Total", 2), (None, "Completed", 1), (None, "Not started", 1)]
    root = make_workspace(tmp_path / "ws", returns=returns)
    counts = {"C5": ("COUNTA(C2:C4)", 3), "C6": ("COUNTIF(C2:C4,&quot;Completed&quot;)", 1),
              "C7": ("COUNTIF(C2:C4,&quot;In progress&quot;)", 2)}

    def with_formulas(xml: str) -> str:
        for (cell, (formula, value)), typed in zip(counts.items(), ("all", "done", "going"), strict=True):
            xml = xml.replace(f'<c r="{cell}" t="inlineStr"><is><t>{typed}</t></is></c>',
                              f'<c r="{cell}"><f>{formula}</f><v>{value}</v></c>')
        return xml

    edit_sheet_xml(root / RETURNS / "opcc.xlsx", with_formulas)
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 0
    with (tmp_path / "draft" / "issues.csv").open(encoding="utf-8-sig", newline="") as f:
        issues = list(csv.DictReader(f))
    assert not [row for row in issues if row["row"] in ("5", "6", "7") and row["code"] != "note-row"]
    assert sorted((row["file"], row["row"], row["message"]) for row in issues if row["code"] == "note-row") == [
        (OPCC, "5", "Rows 5 to 7: counts of the rows above ('Total' in column 'Action' and '=COUNTA(C2:C4)' in column "
                    "'Status this reporting period'; then 'Completed' and 'In progress'), with no status or "
                    "explanation: read as one note, not as updates, and not in the paper."),
        (f"{RETURNS.as_posix()}/wessex-police.xlsx", "4",
         "Rows 4 to 6: counts of the rows above ('Total' in column 'Action' and '2' in column 'Status this reporting "
         "period'; then 'Completed' and 'Not started'), with no status or explanation: read as one note, not as "
         "updates, and not in the paper.")]
    with (tmp_path / "draft" / "chase.csv").open(encoding="utf-8-sig", newline="") as f:
        assert {row["Partner"]: row["Errors"] for row in csv.DictReader(f)} == {
            "Wessex Police": "0", "OPCC": "0", "Criminal Justice Board": "0"}
