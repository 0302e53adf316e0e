"""Reading the register and returns: headings, sheets, refs, encodings, text kept as written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import REGISTER_HEADINGS, RETURN_HEADINGS, make_workspace, write_csv, write_xlsx
from reportgen.issues import flatten
from reportgen.read.cells import normalize_page, parse_ref
from reportgen.read.register import read_register
from reportgen.read.returns import read_return
from reportgen.settings import Settings, settings_from_dict

SETTINGS = Settings()


def _return(path: Path, settings: Settings = SETTINGS):
    return read_return(path, settings, path.name, "OPCC")


def test_headings_match_ignoring_case_spacing_and_punctuation(tmp_path: Path) -> None:
    rows = [("PLAN PRIORITY", "action", "Status - this reporting period", "explanation/link to meeting papers",
             "Timeframe for delivery  /  completion"), (4, "x", "Completed", "Done.", "2026")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert issues == []
    assert ret is not None and ret.updates[0].status_as_written == "Completed"
    assert ret.heading("status") == "Status - this reporting period"


def test_heading_aliases_from_settings(tmp_path: Path) -> None:
    settings = settings_from_dict({"returns": {"columns": {"status": {"aliases": ["RAG"]}}}})
    rows = [("Ref", "RAG", "Update", "Target date"), (4, "In progress", "Going well", "2027")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows), settings)
    assert issues == []
    assert ret is not None and (ret.updates[0].status_as_written, ret.updates[0].explanation) == (
        "In progress", "Going well")


@pytest.mark.parametrize(("status", "explanation"), [("Current status", "Update/Explanation"),
                                                    ("RAG rating", "Latest update"),
                                                    ("Status this period", "Progress / Update")])
def test_headings_partners_commonly_write_are_read_with_no_alias_added(
        tmp_path: Path, status: str, explanation: str) -> None:
    """Headings seen in partners' own trackers: their return is read as it is, not refused whole until the
    secretariat adds an alias."""
    rows = [("Plan priority", status, explanation, "Target date"), (4, "In progress", "Going well", "2027")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert issues == []
    assert ret is not None and (ret.updates[0].status_as_written, ret.updates[0].explanation) == (
        "In progress", "Going well")


def test_a_long_pasted_link_is_not_a_long_word_to_check_but_a_long_code_is(tmp_path: Path) -> None:
    """SharePoint addresses run to 150-250 characters: the paper shows them as links, so the officer is not asked
    to check them; a run as long that is no address (a pasted hash, words run together) still is."""
    link = ("https://wessexopcc.sharepoint.com/sites/Partnerships/Shared%20Documents/Delivery%20Plan/2026-27/"
            "Board%20papers/Strategic%20Executive%20Board%20-%2014%20October%202026%20-%20Item%206.pdf")
    code = "ab12" * 40
    rows = [RETURN_HEADINGS, (4, "x", "In progress", f"Board paper ({link}).", "2027"),
            (5, "x", "In progress", f"Reference {code}", "2027")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert ret is not None and len(link) > 120
    assert [(i.code, i.row) for i in issues] == [("long-word", 3)]


def test_heading_row_found_below_title_rows(tmp_path: Path) -> None:
    rows = [("Wessex OPCC return",), ("Please complete by 24 October",), (), RETURN_HEADINGS,
            (7, "x", "Completed", "Done.", "")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert issues == []
    assert ret is not None and ret.updates[0].row == 5


def test_data_sheet_found_after_instructions_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "opcc.xlsx", [RETURN_HEADINGS, (3, "x", "Not started", "", "")], sheet="Data",
                      before=[("Instructions", [("How to fill this in",), ("Status: pick one",)])])
    ret, issues = _return(path)
    assert issues == []
    assert ret is not None and ret.sheet == "Data"


def test_trailing_empty_rows_ignored(tmp_path: Path) -> None:
    rows = [RETURN_HEADINGS, (3, "x", "Not started", "", ""), (None,) * 5, ("", " ", None, "", "")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert issues == [] and ret is not None and len(ret.updates) == 1


def test_missing_column_names_the_file_and_suggests(tmp_path: Path) -> None:
    rows = [("Plan priority", "Action", "Staus this period", "Explanation / Link to meeting papers"), (1, "", "", "")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert ret is None
    assert flatten(issues, ["code", "file", "sheet", "row", "column"]) == [
        ["missing-column", "opcc.xlsx", "Return", 1, "Staus this period"]]
    assert "Did you mean 'Staus this period'?" in issues[0].message


def test_a_return_missing_columns_lists_the_headings_it_has(tmp_path: Path) -> None:
    """Two columns missing and two headings not read: no heading is guessed for either, both are listed."""
    _ret, issues = _return(write_csv(tmp_path / "opcc.csv", [("Ref", "RAG", "Notes"), (2, "Green", "Drafted.")]))
    assert [(i.value, i.advice.split("[returns.columns]: ")[1]) for i in issues if i.code == "missing-column"] == [
        ("Status this reporting period", 'status = { aliases = ["<its heading>"] }. The file\'s headings that are '
                                         "not read: 'RAG', 'Notes'."),
        ("Explanation / Link to meeting papers", 'explanation = { aliases = ["<its heading>"] }. The file\'s '
                                                 "headings that are not read: 'RAG', 'Notes'.")]


def test_a_heading_that_means_another_column_is_never_suggested(tmp_path: Path) -> None:
    """Our workbooks carry the register's Section column: with Plan priority deleted, 'Section' was
    suggested for it (it is close to the alias 'Action ref'), and the partner told to rename it."""
    rows = [("Section", "Action", "Status this reporting period", "Explanation / Link to meeting papers"),
            ("Victims", "Fund an advocacy service.", "Completed", "")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert ret is None
    assert flatten(issues, ["code", "row", "column", "value"]) == [["missing-column", 1, "", "Plan priority"]]
    assert "Did you mean" not in issues[0].message


def test_a_reference_typed_as_a_date_is_shown_as_the_partner_sees_it(tmp_path: Path) -> None:
    import datetime as dt

    rows = [RETURN_HEADINGS, (dt.datetime(2023, 1, 16), "x", "Completed", "", "")]
    _ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert [i.code for i in issues] == ["bad-ref"]
    assert issues[0].message.startswith("Row 2: the action reference '16 January 2023' is a date"), issues[0].message
    assert issues[0].value == "16 January 2023"


def test_a_misspelt_optional_heading_is_a_warning_never_a_silently_empty_column(tmp_path: Path) -> None:
    """Timeframe is optional, so a return without it is read; one whose Timeframe heading is a letter
    out emptied every timeframe of that partner without a word."""
    rows = [(*RETURN_HEADINGS[:4], "Timefrme for delivery / Completion"), (1, "x", "Completed", "Done.", "2027")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert ret is not None and ret.updates[0].timeframe == ""
    assert flatten(issues, ["code", "severity", "sheet", "row", "column", "value"]) == [
        ["optional-column-misnamed", "warning", "Return", 1, "Timefrme for delivery / Completion",
         "Timeframe for delivery / Completion"]]
    # no timeframe column at all: read, and said, as the paper's table has a timeframe column
    ret, issues = _return(write_xlsx(tmp_path / "plain.xlsx", [RETURN_HEADINGS[:4], (1, "x", "Completed", "Done.")]))
    assert ret is not None and flatten(issues, ["code", "severity", "row", "value"]) == [
        ["missing-optional-column", "warning", 1, "Timeframe for delivery / Completion"]]
    table = Settings.model_validate({"paper": {"table_columns": ["ref", "action", "status", "explanation"]}})
    ret, issues = _return(write_xlsx(tmp_path / "plain.xlsx", [RETURN_HEADINGS[:4], (1, "x", "Completed", "Done.")]),
                          table)
    assert ret is not None and issues == []  # a paper without timeframes misses nothing


def test_a_column_reportgen_does_not_read_is_reported_when_it_holds_text(tmp_path: Path) -> None:
    """A partner's own column (a renamed timeframe, "Internal notes") is not in the paper: said, with the
    first text it holds; an empty one, and our workbooks' Section column, are not worth a word."""
    rows = [(*RETURN_HEADINGS, "Deadline", "Section", "Officer", "Internal notes"),
            (1, "x", "Completed", "Done.", "2027", "", "Justice", "", ""),
            (2, "y", "In progress", "Going.", "2028", "Summer 2027", "Justice", "", "Do not publish: budget at risk")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert ret is not None and [u.timeframe for u in ret.updates] == ["2027", "2028"]
    assert flatten(issues, ["code", "severity", "sheet", "row", "column", "value"]) == [
        ["unread-column", "warning", "Return", 3, "Deadline", "Summer 2027"],
        ["unread-column", "warning", "Return", 3, "Internal notes", "Do not publish: budget at risk"]]
    assert issues[1].message == ("Column 'Internal notes' is not one of the columns read, so what it holds is not "
                                 "in the paper (in this row: 'Do not publish: budget at risk').")


def test_text_in_a_column_with_no_heading_is_reported(tmp_path: Path) -> None:
    """Text under an empty heading cell, between headed columns or right of the last, was dropped without a word;
    a column of blanks or spaces is nothing to report, in a workbook or a CSV."""
    rows = [(*RETURN_HEADINGS, None, None, None, None),
            (1, "x", "Completed", "Done.", "2027", None, "   ", None, None),
            (2, "y", "In progress", "Going.", "2028", None, None, "Budget cut: patrols may stop in March", ""),
            (3, "z", "Not started", "", "", "", None, "Second note", None, "Far right")]
    for path in (write_xlsx(tmp_path / "opcc.xlsx", rows), write_csv(tmp_path / "opcc.csv", rows)):
        ret, issues = _return(path)
        assert ret is not None and [u.explanation for u in ret.updates] == ["Done.", "Going.", ""]
        assert flatten(issues, ["code", "severity", "sheet", "row", "column", "value", "ref"]) == [
            ["unread-column", "warning", ret.sheet, 3, "", "Budget cut: patrols may stop in March", 2],
            ["unread-column", "warning", ret.sheet, 4, "", "Far right", 3]], path.name
        assert issues[0].message == ("Column H has no heading, so it is not read and what it holds is "
                                     "not in the paper (in this row: 'Budget cut: patrols may stop in March'; "
                                     "rows 3 and 4 (actions 2 and 3) hold text).")
        assert "move the text into the Explanation column" in issues[0].advice
        assert "give the column a heading reportgen reads" in issues[0].advice
    gap = [(RETURN_HEADINGS[0], RETURN_HEADINGS[1], None, *RETURN_HEADINGS[2:]),
           (1, "x", "Kept for later", "Completed", "Done.", "2027")]  # an unheaded column between headed ones
    _ret, issues = _return(write_xlsx(tmp_path / "gap.xlsx", gap))
    assert [(i.code, i.row, i.value) for i in issues] == [("unread-column", 2, "Kept for later")]
    assert issues[0].message.startswith("Column C has no heading")


def test_a_sheet_of_partner_notes_is_reported_not_silently_passed_over(tmp_path: Path) -> None:
    notes = ("Notes", [("Action 12 is delayed until the new year.",)])
    path = write_xlsx(tmp_path / "opcc.xlsx", [RETURN_HEADINGS, (3, "x", "Not started", "", "")], sheet="Return",
                      before=[notes, ("Instructions", [("How to fill this in",)])])
    ret, issues = _return(path)
    assert ret is not None and ret.sheet == "Return"
    assert flatten(issues, ["code", "severity", "sheet"]) == [["other-sheet", "warning", "Notes"]]  # ours: not
    assert issues[0].message == ("Sheet 'Notes' holds text but no return headings, so it was not read (the updates "
                                 "were read from 'Return').")


def test_no_data_sheet(tmp_path: Path) -> None:
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", [("Name", "Phone"), ("A", "1")]))
    assert ret is None and [i.code for i in issues] == ["no-data-sheet"]


@pytest.mark.parametrize(("value", "expected"), [
    (12, 12), (12.0, 12), (" 12 ", 12), ("12.0", 12), ("１２", 12),
    (True, None), (12.5, None), ("12a", None), ("1e1", None), (0, None), ("", None), (None, None),
])
def test_parse_ref(value: object, expected: int | None) -> None:
    assert parse_ref(value)[0] == expected


@pytest.mark.parametrize(("written", "why"), [
    ("Action 10", "not a whole number (a word or sign before the number: did you mean 10?)"),
    ("PP18", "not a whole number (a word or sign before the number: did you mean 18?)"),
    ("4.", "not a whole number (a word or sign after the number: did you mean 4?)"),  # as a numbered list writes it
    ("(4)", "not a whole number (a word or sign around the number: did you mean 4?)"),
    ("Action 12.", "not a whole number (a word or sign before the number: did you mean 12?)"),
    ("P28", "not a whole number (a word or sign before the number: did you mean 28?)"),
    ("Item 7", "not a whole number (a word or sign before the number: did you mean 7?)"),
    ("4.5", "not a whole number"),
    ("12, 13", "several numbers: an update for two actions goes on two rows, one each"),
    ("16 & 17", "several numbers: an update for two actions goes on two rows, one each"),
    ("12a", "not a whole number"),  # a sub-action, maybe: no number is put to the partner
])
def test_a_reference_written_with_words_or_as_a_list_says_what_to_write(written: str, why: str) -> None:
    """'Action 10' and '12, 13' were each only "not a whole number", and the advice to write the number only did
    not say the second needs two rows; neither is read as a number (the partner confirms which)."""
    assert parse_ref(written) == (None, why)


def test_bad_ref_is_an_issue_with_coordinates(tmp_path: Path) -> None:
    rows = [RETURN_HEADINGS, ("12a", "x", "Completed", "", ""), (" 5 ", "x", "Completed", "", ""),
            (None, "x", "Completed", "orphan text", "")]
    ret, issues = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert ret is not None and [u.ref for u in ret.updates] == [5]
    assert flatten(issues, ["row", "column", "value", "code"]) == [
        [2, "Plan priority", "12a", "bad-ref"], [4, "Plan priority", "", "missing-ref"]]
    assert issues[1].message.startswith("Row 4 has no action reference; ")  # not "the reference None is empty"


def test_a_csv_named_xls_is_said_to_be_text_not_an_old_workbook(tmp_path: Path) -> None:
    """Some systems export a CSV with an .xls name: it was called 'an old .xls workbook', which sends the officer to
    look for Excel 97. It is named as what it is; a real .xls (an OLE file) is still an old workbook."""
    path = write_csv(tmp_path / "opcc.xls", [RETURN_HEADINGS, (2, "x", "Completed", "Done.", "")])
    ret, issues = _return(path)
    assert ret is None and issues[0].message.endswith("opcc.xls is a text (CSV) file named .xls: it is not a readable "
                                                      "workbook; it was not read.")
    (tmp_path / "web.xls").write_text("<html><body><table><tr><td>Plan priority</td></tr></table></body></html>")
    assert _return(tmp_path / "web.xls")[1][0].message.endswith("is a web page (HTML) saved with an .xls name; it was "
                                                                "not read.")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert "is an old .xls workbook" in _return(tmp_path / "old.xls")[1][0].message
    # as Excel saves a CSV (Windows-1252: '£'), as UTF-16, and UTF-8 with a character cut by the bytes looked at
    row = "Plan priority,Action,Status,Explanation\n" + "2,x,Completed,Cost £5 – é\n" * 40
    cut = "Plan priority,Status\n" + "x" * 510 + "é,Completed\n"
    for name, data in (("cp1252.xls", row.encode("cp1252")), ("utf16.xls", row.encode("utf-16")),
                       ("cut.xls", cut.encode("utf-8"))):
        (tmp_path / name).write_bytes(data)
        assert _return(tmp_path / name)[1][0].message.endswith(f"{name} is a text (CSV) file named .xls: it is not a "
                                                               "readable workbook; it was not read."), name
    (tmp_path / "binary.xls").write_bytes(bytes(range(256)) * 2)
    assert "is an old .xls workbook" in _return(tmp_path / "binary.xls")[1][0].message


def test_csv_utf8_with_bom(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "opcc.csv", [RETURN_HEADINGS, (1, "x", "Completed", "£60k – funded", "")],
                     encoding="utf-8-sig")
    ret, issues = _return(path)
    assert issues == [] and ret is not None
    assert ret.updates[0].explanation == "£60k – funded"


def test_csv_windows_1252_as_saved_by_excel(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "opcc.csv", [RETURN_HEADINGS, (1, "x", "Completed", "£60k – “funded”", "")],
                     encoding="cp1252")
    ret, issues = _return(path)
    assert issues == [] and ret is not None
    assert ret.updates[0].explanation == "£60k – “funded”"
    assert "\ufffd" not in ret.updates[0].explanation


def test_csv_semicolons_with_sep_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "opcc.csv", [RETURN_HEADINGS, (1, "x", "Completed", "a, b", "")],
                     delimiter=";", prefix="sep=;\r\n")
    ret, issues = _return(path)
    assert issues == [] and ret is not None
    assert (ret.updates[0].explanation, ret.updates[0].row) == ("a, b", 3)


def test_explanation_kept_exactly_as_written(tmp_path: Path) -> None:
    text = '<p>First.</p> <ul><li>One</li></ul> See [papers](https://example.org/a?b=1&c=2).\nLine two'
    rows = [RETURN_HEADINGS, (1, "x", "Completed", text, "")]
    ret, _ = _return(write_xlsx(tmp_path / "opcc.xlsx", rows))
    assert ret is not None and ret.updates[0].explanation == text


def test_control_characters_removed_and_reported(tmp_path: Path) -> None:
    rows = [RETURN_HEADINGS, (1, "x", "Completed", "before\x0cafter\x0bnext line", "")]
    path = write_csv(tmp_path / "opcc.csv", rows)
    ret, issues = _return(path)
    # a form feed is removed; a vertical tab is Word's Shift+Enter, pasted: a line break
    assert ret is not None and ret.updates[0].explanation == "beforeafter\nnext line"
    assert flatten(issues, ["code", "row", "column", "ref"]) == [
        ["control-characters", 2, "Explanation / Link to meeting papers", 1]]


def test_register_reads_actions_sections_and_pages(tmp_path: Path) -> None:
    make_workspace(tmp_path)
    register, issues = read_register(tmp_path / "inputs" / "register.xlsx", SETTINGS, "inputs/register.xlsx")
    assert issues == []
    assert register is not None
    assert [(a.ref, a.section, a.page) for a in register.actions][2:] == [
        (3, "Victims", "12"), (4, "Victims", "13-14"), (5, "Justice", "15"), (6, "Justice", "16-17")]
    assert register.leads == ("Wessex Police", "OPCC", "Criminal Justice Board")


def test_register_duplicate_ref(tmp_path: Path) -> None:
    rows = [REGISTER_HEADINGS, (1, "", "OPCC", "One", ""), (1.0, "", "OPCC", "Again", "")]
    path = write_xlsx(tmp_path / "register.xlsx", rows, sheet="Register")
    register, issues = read_register(path, SETTINGS, "register.xlsx")
    assert register is not None and [a.text for a in register.actions] == ["One"]
    assert flatten(issues, ["code", "row", "ref"]) == [["duplicate-ref", 3, 1]]


def test_a_register_row_numbered_as_the_one_before_names_its_action_and_the_number_missing(tmp_path: Path) -> None:
    """Action 13's row mistyped 12: the issue said only "Action 12 is also on row 2", so nobody could tell the row
    was action 13, and a partner's update for 13 was then refused as not in the register. It quotes the row's action
    and names 13, which no row has."""
    rows = [REGISTER_HEADINGS, (12, "", "OPCC", "Twelve", ""), (12, "", "OPCC", "Thirteen", ""),
            (14, "", "OPCC", "Fourteen", ""), (20, "", "OPCC", "Twenty", ""), (20, "", "OPCC", "Twenty again", ""),
            (30, "", "OPCC", "Thirty", "")]
    register, issues = read_register(write_xlsx(tmp_path / "register.xlsx", rows), SETTINGS, "register.xlsx")
    assert register is not None and [a.ref for a in register.actions] == [12, 14, 20, 30]
    assert [(i.row, i.message) for i in issues if i.code == "duplicate-ref"] == [
        (3, "Action 12 is also on row 2; this row ('Thirteen') was left out. The register has no action 13: is this "
            "row action 13?"),
        (6, "Action 20 is also on row 5; this row ('Twenty again') was left out.")]  # 20, 20, 30: no number to name


def test_register_action_without_a_lead_is_kept_and_reported(tmp_path: Path) -> None:
    rows = [REGISTER_HEADINGS, (1, "", "OPCC", "One", ""), (2, "", "  ", "Two", "")]
    path = write_xlsx(tmp_path / "register.xlsx", rows, sheet="Register")
    register, issues = read_register(path, SETTINGS, "register.xlsx")
    assert register is not None and [a.ref for a in register.actions] == [1, 2]
    assert register.leads == ("OPCC",)
    assert flatten(issues, ["code", "file", "sheet", "row", "column", "ref"]) == [
        ["no-lead", "register.xlsx", "Register", 3, REGISTER_HEADINGS[2], 2]]


def test_register_extra_columns_carried(tmp_path: Path) -> None:
    settings = settings_from_dict({"register": {"extra": [{"key": "annual_page", "heading": "Annual Report page"}]},
                                   "paper": {"table_columns": ["ref", "action", "status", "annual_page"]}})
    rows = [(*REGISTER_HEADINGS, "annual report PAGE"), (1, "", "OPCC", "One", "3", 44)]
    path = write_xlsx(tmp_path / "register.xlsx", rows, sheet="Register")
    register, issues = read_register(path, settings, "register.xlsx")
    assert issues == [] and register is not None
    assert register.actions[0].extra_value("annual_page") == "44"


def test_register_dates_and_numbers_as_text(tmp_path: Path) -> None:
    rows = [REGISTER_HEADINGS, (1, "", "OPCC", "One", dt.datetime(2026, 3, 1)), (2, "", "OPCC", "Two", 44)]
    register, issues = read_register(write_xlsx(tmp_path / "r.xlsx", rows), SETTINGS, "r.xlsx")
    assert register is not None and [a.page for a in register.actions] == ["1 March 2026", "44"]
    # a page range typed like 5-6 becomes a date in Excel: never published as a page
    assert flatten(issues, ["code", "row", "column", "ref", "value"]) == [
        ["page-is-a-date", 2, "CSCJ Plan page", 1, "1 March 2026"]]
    assert issues[0].blocking and "'5-6" in issues[0].advice


@pytest.mark.parametrize(("written", "expected"), [("56- 57", "56-57"), ("16 - 17", "16-17"), ("18 -19", "18-19"),
                                                   ("9-10", "9-10"), ("81– 82", "81-82"), ("10", "10")])
def test_page_ranges_written_one_way(written: str, expected: str) -> None:
    assert normalize_page(written) == expected


def test_unreadable_files(tmp_path: Path) -> None:
    fake = tmp_path / "opcc.xlsx"
    fake.write_text("Plan priority,Action\n1,x\n", encoding="utf-8")
    ret, issues = _return(fake)
    assert ret is None and [i.code for i in issues] == ["unreadable-file"]
    assert "CSV" in issues[0].message
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    ret, issues = _return(broken)
    assert ret is None and [i.code for i in issues] == ["unreadable-file"]


def test_links_made_with_insert_link_keep_their_target(tmp_path: Path) -> None:
    import openpyxl

    path = write_xlsx(tmp_path / "opcc.xlsx", [RETURN_HEADINGS, (1, "", "Completed", "Board papers", ""),
                                                 (2, "", "Completed", "See https://example.org/x", "")])
    book = openpyxl.load_workbook(path)
    book["Return"]["D2"].hyperlink = "https://example.org/board"
    book["Return"]["D3"].hyperlink = "https://example.org/x"
    book.save(path)
    ret, issues = _return(path)
    assert issues == [] and ret is not None
    assert [u.explanation for u in ret.updates] == ["[Board papers](https://example.org/board)",
                                                    "See https://example.org/x"]


def test_a_heading_typed_with_a_no_break_space_is_quoted_as_the_partner_sees_it() -> None:
    """A heading pasted from a web page keeps its no-break space: the issue quoted it as Python does,
    'Status this\\xa0period', which no officer can read; it is quoted with a space, as Excel shows it."""
    from reportgen.issues import issue

    found = issue("optional-column-misnamed", column="Timescale\xa0for\u202fdelivery", value="Timeframe",
                  file="opcc.xlsx")
    assert "'Timescale for delivery'" in found.message and "\\xa0" not in found.message
    zero_width = issue("optional-column-misnamed", column="Time\u200bscale", value="Timeframe", file="opcc.xlsx")
    assert "'Time\\u200bscale'" in zero_width.message  # an invisible character is still shown for what it is
