"""Pre-filled return workbooks: generation, pre-fill, dropdown, locking, layout, and the round trip."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import time
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl.packaging.custom import CustomPropertyList

from conftest import (
    ACTIONS,
    REGISTER_HEADINGS,
    Row,
    copy_example,
    default_returns,
    keep_draft,
    make_workspace,
    write_csv,
)
from reportgen.check.checked import load_register
from reportgen.errors import ReportgenError
from reportgen.issues import Issue
from reportgen.model import UpdateState
from reportgen.read.returns import made_for, partner_for, read_return, validate_return
from reportgen.read.richtext import parse_explanation
from reportgen.read.workspace import find_inputs
from reportgen.run.build import check_plan, make_paper, prepare_build, validate_draft
from reportgen.run.return_workbooks import deadline_issues, returns_deadline
from reportgen.run.returns import write_return_workbooks
from reportgen.settings import CANONICAL_STATUSES, load_settings
from reportgen.shells.cli import main

A, B = "2026-10", "2026-11"
FILES = ["wessex-police.xlsx", "opcc.xlsx", "criminal-justice-board.xlsx"]  # leads in register order
STATUSES = {1: "Completed", 2: "In progress", 3: "Not started", 4: "In progress", 5: "On hold", 6: "Completed"}


def but_the_dates(issues: list[Issue]) -> list[Issue]:
    """The issues of writing the workbooks but the one saying they name no deadline (the factories' workspace sets
    none) and the one saying the meeting is before the period (its one meeting, 5 November 2026, is before a later
    period's)."""
    return [item for item in issues if item.code not in ("no-deadline", "meeting-date")]


def data_rows(path: Path) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path)
    return [tuple(row) for row in book["Return"].iter_rows(values_only=True)]


def read_back(root: Path, path: Path, period: str = B) -> tuple[list[tuple[object, ...]], list[str]]:
    """Copy a filled-in workbook into the period's returns and read it as a build would."""
    target = root / "inputs" / "returns" / period / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, target)
    inputs, _ = find_inputs(root, period)
    register, _ = load_register(inputs)
    read, issues = read_return(target, inputs.settings, target.name, partner_for(target, register) or "?")
    assert read is not None
    checked, found = validate_return(read, register, inputs.settings)
    rows = [(u.ref, u.action_text, u.status, u.status_as_written, u.explanation, u.timeframe, u.partner)
            for u in checked.updates]
    return rows, [i.code for i in (*issues, *found)]


def test_one_workbook_per_lead_with_its_actions_blank_when_nothing_was_reported_before(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period=A)
    written, issues = write_return_workbooks(root, A)  # the first period: no earlier draft or returns
    assert [(i.code, i.message) for i in but_the_dates(issues)] == [("blank-workbooks", (
        "No kept draft or returns of a period before 2026-10: the return workbooks are blank, not pre-filled."))]
    assert [p.name for p in written] == FILES
    assert {p.parent for p in written} == {root.resolve() / "outputs" / A / "returns"}
    book = openpyxl.load_workbook(written[1])
    assert book.sheetnames == ["Return", "Instructions"]
    assert data_rows(written[1]) == [
        ("Plan priority", "Section", "Action", "Status this reporting period",
         "Explanation / Link to meeting papers", "Timeframe for delivery / Completion"),
        (2, None, "Publish the commissioning plan.", None, None, None),
        (4, "Victims", "Fund an advocacy service.", None, None, None),
        (6, "Justice", "Lobby for court capacity.", None, None, None),
    ]
    instructions = " ".join(str(c) for row in book["Instructions"].iter_rows(values_only=True) for c in row if c)
    assert "the status, explanation and timeframe are blank" in instructions
    assert "last period's status" not in instructions  # it says nothing the workbook does not do


def test_the_instructions_read_as_a_form_and_headings_are_in_the_sheets_font(tmp_path: Path) -> None:
    """Printed (LibreOffice), the Instructions sheet had its labels in a column 100 wide, "Partner" and "Period"
    with their values far to the right of them; and every bold heading (the Return sheet's too) named no font, so
    LibreOffice drew it in its default serif beside the sheet's Calibri text."""
    root = make_workspace(tmp_path / "ws", period=A)
    written, _issues = write_return_workbooks(root, A)
    book = openpyxl.load_workbook(written[0])
    sheet = book["Instructions"]
    rows = [[cell for cell in row if cell.value is not None] for row in sheet.iter_rows()]
    facts = [(row[0].column_letter, row[0].value, row[1].column_letter) for row in rows if len(row) == 2]
    assert facts == [("A", "Partner", "B"), ("A", "Period", "B"), ("A", "Actions", "B")]
    lines = [row[0] for row in rows[1 + len(facts):] if row]
    assert lines and {cell.column_letter for cell in lines} == {"B"}  # under the values, beside the labels
    assert sheet.column_dimensions["A"].width < 20 < sheet.column_dimensions["B"].width
    bold = [cell for name in book.sheetnames for row in book[name].iter_rows() for cell in row
            if cell.value is not None and cell.font.b]
    assert len(bold) >= 9 and {cell.font.name for cell in bold} == {"Calibri"}


def test_prefilled_from_an_earlier_periods_returns_when_no_draft_was_built(tmp_path: Path) -> None:
    """What a build of the period would carry forward (README): earlier periods' returns, when no draft was kept."""
    root = make_workspace(tmp_path / "ws", period=A)
    from_returns, issues = write_return_workbooks(root, B)
    assert but_the_dates(issues) == []
    keep_draft(root, A)
    from_draft, _ = write_return_workbooks(root, B, tmp_path / "from-draft")
    assert data_rows(from_returns[0])[1:] == data_rows(from_draft[0])[1:] == [
        (1, None, "Develop a prevention strategy.", "Completed", "Update on action 1.", "Spring 2027"),
        (3, "Victims", "Review victim referrals.", "Not started", "Update on action 3.", "Spring 2027"),
    ]


def test_prefilled_from_the_latest_draft_of_an_earlier_period(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    written, issues = write_return_workbooks(root, B)
    assert but_the_dates(issues) == []
    assert data_rows(written[0])[1:] == [
        (1, None, "Develop a prevention strategy.", "Completed", "Update on action 1.", "Spring 2027"),
        (3, "Victims", "Review victim referrals.", "Not started", "Update on action 3.", "Spring 2027"),
    ]
    # a draft of the period itself is not "last period": the workbooks for B still show A's values
    returns = default_returns()
    returns["wessex-police.xlsx"][1] = (1, "Develop a prevention strategy.", "On hold", "Paused.", "")
    make_workspace(root, period=B, returns=returns)
    keep_draft(root, B)
    again, _ = write_return_workbooks(root, B, tmp_path / "again")
    assert data_rows(again[0])[1][3:] == ("Completed", "Update on action 1.", "Spring 2027")


def test_html_fragments_are_prefilled_as_a_partner_types_them(tmp_path: Path) -> None:
    returns = default_returns()
    written_as = '<p>Funded: <a href="https://example.org/r">the report</a>.</p><ul><li>One</li><li>Two</li></ul>'
    returns["wessex-police.xlsx"][1] = (1, "Develop a prevention strategy.", "Completed", written_as, "Spring 2027")
    action = '<p>Develop a <a href="https://example.org/s">prevention</a> strategy &amp; plan.</p>'  # locked
    register = [REGISTER_HEADINGS, (1, "", "Wessex Police", action, "9"), *ACTIONS[1:]]
    root = make_workspace(tmp_path / "ws", period=A, returns=returns, register=register)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    row = data_rows(written[0])[1]
    assert row[2] == "Develop a prevention strategy & plan."
    assert row[4] == "Funded: [the report](https://example.org/r).\n• One\n• Two"
    rows, codes = read_back(root, written[0])  # returned unedited: the paper shows what it showed
    assert codes == [] and parse_explanation(str(rows[0][4])) == parse_explanation(written_as)


@pytest.mark.parametrize("damage", ['{"schema": 1, "paper": ', '{"schema": 1, "paper": {"title": 3}}', "\udcff"])
def test_a_damaged_draft_is_one_clear_issue_for_the_workbooks_and_the_build(tmp_path: Path, damage: str) -> None:
    root = make_workspace(tmp_path / "ws", period=A)
    folder, _paper = keep_draft(root, A)
    (folder / "draft.json").write_bytes(damage.encode("utf-8", "surrogateescape"))
    written, issues = write_return_workbooks(root, B)
    issues = but_the_dates(issues)
    assert [(i.code, i.severity.value, i.file) for i in issues] == [("unreadable-draft", "warning", str(folder))]
    assert issues[0].message.startswith(f"The earlier draft could not be read, so the workbooks are not pre-filled "
                                        f"from it: {folder / 'draft.json'}: ")
    assert issues[0].advice.startswith("Restore the draft folder from a backup, or build that period's paper again")
    # filled from that period's returns instead, as the build carries forward from them (below)
    assert data_rows(written[0])[1][3:] == ("Completed", "Update on action 1.", "Spring 2027")
    make_workspace(root, period=B)
    plan = prepare_build(root, B)  # the build carries nothing forward from it, and says why
    assert plan.carried is None and plan.carry_from == folder
    unreadable = [i.message for i in plan.issues if i.code == "unreadable-draft"]
    assert unreadable[0].startswith(f"The earlier draft could not be read: {folder / 'draft.json'}: ")
    assert unreadable[1:] == [unreadable[0].replace("The earlier draft could not be read",
                                                    "A kept draft could not be read for the history")]
    assert (folder / "draft.json").read_bytes() == damage.encode("utf-8", "surrogateescape")  # left as it was


def test_status_is_a_dropdown_of_the_canonical_statuses(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, B)
    sheet = openpyxl.load_workbook(written[1])["Return"]
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"' + ",".join(CANONICAL_STATUSES) + '"'
    assert validation.formula1 == '"Completed,In progress,Not started,On hold"'
    assert str(validation.sqref) == "D2:D4"
    assert validation.allow_blank and validation.showErrorMessage
    assert "Completed" in (validation.error or "") and validation.prompt


def test_ref_section_action_locked_and_the_update_cells_editable(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, B)
    book = openpyxl.load_workbook(written[1])
    sheet = book["Return"]
    assert sheet.protection.sheet is True
    assert sheet.protection.formatColumns is False and sheet.protection.formatRows is False  # resizable
    assert not sheet.protection.password
    assert book.security is not None and book.security.lockStructure is True  # no sheets added
    for row in sheet.iter_rows(min_row=2):
        assert [cell.protection.locked for cell in row] == [True, True, True, False, False, False]
    assert all(cell.protection.locked for cell in sheet[1])
    assert book["Instructions"].protection.sheet is True


def test_a_deadline_that_has_passed_is_a_warning(tmp_path: Path) -> None:
    settings = load_settings(make_workspace(tmp_path / "ws", period=A,
                                            toml='[paper]\ntitle = "Plan"\n\n[returns]\ndeadline = 2026-10-24\n'))
    assert deadline_issues(settings, A, today=dt.date(2026, 10, 24)) == []  # the day itself is not past
    passed = deadline_issues(settings, A, today=dt.date(2026, 10, 25))
    assert [(i.code, i.severity, i.value, i.file, i.column) for i in passed] == [
        ("deadline-passed", "warning", "24 October 2026", "reportgen.toml", "deadline")]
    assert "reportgen.toml" in passed[0].message and "[returns] deadline" in passed[0].advice
    assert [i.code for i in deadline_issues(load_settings(make_workspace(tmp_path / "ws2", period=A)), A)] == [
        "no-deadline"]  # none set: said so, not that one has passed
    _written, issues = write_return_workbooks(tmp_path / "ws", B)  # the deadline is before today
    assert "deadline-passed" in [i.code for i in issues]


def test_a_deadline_is_judged_by_the_workspaces_day_not_the_machines(tmp_path: Path) -> None:
    """A deadline of today, where the workspace is, has not passed though the machine's clock (UTC) may be on
    another day; a workspace a day ahead (its [schedule] time zone) has passed it. Pago Pago (UTC-11) and
    Kiritimati (UTC+14) are always on different days."""
    import zoneinfo

    behind = dt.datetime.now(zoneinfo.ZoneInfo("Pacific/Pago_Pago")).date()
    toml = f'[paper]\ntitle = "Plan"\n\n[returns]\ndeadline = {behind.isoformat()}\n\n[schedule]\ntimezone = '
    for zone, passed in (("Pacific/Pago_Pago", False), ("Pacific/Kiritimati", True)):
        root = make_workspace(tmp_path / zone.replace("/", "-"), period=A, toml=f'{toml}"{zone}"\n')
        _written, issues = write_return_workbooks(root, B)
        assert ("deadline-passed" in [i.code for i in issues]) is passed, zone


def test_a_register_action_linked_in_excel_shows_its_words_in_the_workbook(tmp_path: Path) -> None:
    """The secretariat linked action 2's cell in the register to the plan's web page (Insert > Link): the
    paper links its words, but the partner's workbook showed '[Publish the commissioning plan.](https://…)' in
    its locked Action column. It shows the words, and the workbook sent back reads as the register's action."""
    root = make_workspace(tmp_path / "ws", period=A)
    book = openpyxl.load_workbook(root / "inputs" / "register.xlsx")
    book.worksheets[0]["D3"].hyperlink = "https://example.org/plan"
    book.save(root / "inputs" / "register.xlsx")
    written, _ = write_return_workbooks(root, B)
    opcc = next(path for path in written if path.name == "opcc.xlsx")
    sheet = openpyxl.load_workbook(opcc).worksheets[0]
    actions = {row[0].value: row[2].value for row in sheet.iter_rows(min_row=2)}
    assert actions[2] == "Publish the commissioning plan."
    assert not any("](" in str(value) for value in actions.values())
    filed = root / "inputs" / "returns" / B / "opcc.xlsx"
    filed.parent.mkdir(parents=True)
    shutil.copy(opcc, filed)
    assert "action-text-changed" not in [i.code for i in validate_draft(root, B).issues]


def test_our_instructions_sheet_renamed_by_a_partner_is_still_ours(tmp_path: Path) -> None:
    """A partner renames the Instructions sheet "Read me": it was reported as a sheet holding text that was not
    read (`other-sheet`), as if it might hold updates. It is known by its first line; a sheet of the partner's
    own is still reported."""
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, B)
    opcc = next(path for path in written if path.name == "opcc.xlsx")
    book = openpyxl.load_workbook(opcc)
    book["Instructions"].title = "Read me"
    filed = root / "inputs" / "returns" / B / "opcc.xlsx"
    filed.parent.mkdir(parents=True)
    book.save(filed)
    assert "other-sheet" not in [i.code for i in validate_draft(root, B).issues]
    book.create_sheet("Notes")["A1"] = "Action 4: see the minutes."
    book.save(filed)
    assert [(i.code, i.sheet) for i in validate_draft(root, B).issues if i.code == "other-sheet"] == [
        ("other-sheet", "Notes")]


MEETINGS = '[paper]\ntitle = "Plan"\nmeetings = [2026-09-03, 2026-11-05, 2027-01-14]\n'


def test_a_deadline_counted_back_from_each_periods_meeting(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The monthly round needs no edit of reportgen.toml: each period's deadline follows its meeting."""
    root = make_workspace(tmp_path / "ws", period=A, toml=MEETINGS + "\n[returns]\ndays_before_meeting = 12\n")
    settings = load_settings(root)
    assert returns_deadline(settings, "2026-10") == dt.date(2026, 10, 24)  # meeting 5 November
    assert returns_deadline(settings, "2026-11") == dt.date(2027, 1, 2)  # meeting 14 January
    assert deadline_issues(settings, B, today=dt.date(2026, 12, 4)) == []
    passed = deadline_issues(settings, A, today=dt.date(2026, 12, 4))
    assert [(i.code, i.value, i.column) for i in passed] == [("deadline-passed", "24 October 2026",
                                                              "days_before_meeting")]
    assert "for October 2026" in passed[0].message and "12 days before its meeting" in passed[0].message
    written, _ = write_return_workbooks(root, B)
    lines = [" ".join(str(v) for v in row if v) for row in openpyxl.load_workbook(written[0])["Instructions"]
             .iter_rows(values_only=True)]
    assert "Deadline 2 January 2027" in lines
    assert main(["returns", "--workspace", str(root), "--period", A, "--out", str(tmp_path / "late")]) == 0
    printed = " ".join(capsys.readouterr().out.split())  # October's deadline, 24 October 2026, has passed
    assert "warning setting 'days_before_meeting': The returns deadline for October 2026" in printed

    # a period after the last listed meeting: no day to count back from, said so, and none named
    unknown = deadline_issues(settings, "2027-02")
    assert [(i.code, i.severity, i.column, i.value) for i in unknown] == [
        ("deadline-unknown", "warning", "days_before_meeting", "12")]
    assert "February 2027" in unknown[0].message and "[paper] meetings" in unknown[0].advice
    assert returns_deadline(settings, "2027-02") is None

    both = make_workspace(tmp_path / "both", period=A,
                          toml=MEETINGS + "\n[returns]\ndeadline = 2026-10-24\ndays_before_meeting = 12\n")
    with pytest.raises(ReportgenError, match=r"deadline \(one date\) or days_before_meeting"):
        load_settings(both)
    negative = make_workspace(tmp_path / "neg", period=A, toml=MEETINGS + "\n[returns]\ndays_before_meeting = -1\n")
    with pytest.raises(ReportgenError, match="days_before_meeting"):
        load_settings(negative)


def test_layout_and_instructions(tmp_path: Path) -> None:
    toml = '[paper]\ntitle = "Plan"\n\n[returns]\ndeadline = 2026-10-24\n'
    root = make_workspace(tmp_path / "ws", period=A, toml=toml)
    written, _ = write_return_workbooks(root, B)
    book = openpyxl.load_workbook(written[0])
    sheet = book["Return"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEF"]
    assert widths == [8, 18, 50, 16, 70, 22]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold and cell.fill.fgColor.rgb.endswith("D9E1F2") for cell in sheet[1])
    assert all(cell.alignment.wrap_text and cell.alignment.vertical == "top"
               for row in sheet.iter_rows() for cell in row)
    # a row of wrapped text has a height for it (LibreOffice does not size rows on opening), written as an
    # automatic height, which Excel recomputes as the partner types; a one-line row has none
    rows = re.findall(r"<row [^>]*>", zipfile.ZipFile(written[0]).read("xl/worksheets/sheet1.xml").decode())
    assert rows[0] == '<row r="1" ht="30">'  # "Status this reporting period", bold, in 16 characters
    assert rows[1:] == [f'<row r="{n}">' for n in range(2, len(rows) + 1)]
    for name in ("Return", "Instructions"):  # printed landscape, one page wide
        setup = book[name].page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0), name
    lines = [" ".join(str(v) for v in row if v) for row in book["Instructions"].iter_rows(values_only=True)]
    assert "Partner Wessex Police" in lines
    assert "Period November 2026" in lines
    assert "Deadline 24 October 2026" in lines
    text = "\n".join(lines)
    for heading in ("Status this reporting period:", "Explanation / Link to meeting papers:",
                    "Timeframe for delivery / Completion:", "Do not change", "add sheets"):
        assert heading in text
    assert "comments on cells are not read into the paper" in text  # a caveat put in one is reported, not shown
    assert book.properties.creator == "reportgen"

    root2 = make_workspace(tmp_path / "ws2", period=A)
    undated, _ = write_return_workbooks(root2, B)
    values = [row for row in openpyxl.load_workbook(undated[0])["Instructions"].iter_rows(values_only=True)]
    text = " ".join(str(v) for row in values for v in row if v)
    assert "deadline" not in text.lower()  # no deadline set: the workbook names none
    assert "send it back to the officer who sent it to you." in text


def test_round_trip_of_every_column(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    book = openpyxl.load_workbook(written[1])
    sheet = book["Return"]
    typed = {
        2: ("Completed", "£60k – funded\nsecond line", "Spring 2027"),
        4: ("On hold", "see https://example.org/x and [papers](https://example.org/p)", "Q3 2027/28"),
        6: ("Not started", "= not a formula, ‘quoted’ & <b>not markup</b>", "31/03/2027"),
    }
    for row in sheet.iter_rows(min_row=2):
        status, explanation, timeframe = typed[int(row[0].value)]
        row[3].value, row[4].value, row[5].value = status, explanation, timeframe
        row[4].data_type = "s"  # as Excel stores typed text; openpyxl would make "= …" a formula
    filled = tmp_path / "opcc.xlsx"
    book.save(filled)
    rows, codes = read_back(root, filled)
    assert codes == []
    texts = {ref: text for ref, _section, _lead, text, _page in ACTIONS}
    assert rows == [(ref, texts[ref], status, status, explanation, timeframe, "OPCC")
                    for ref, (status, explanation, timeframe) in typed.items()]


def test_the_workbook_heads_the_reference_as_the_register_and_the_paper_do(tmp_path: Path) -> None:
    """Northshire's register heads its numbers "Action Ref" and its actions "Commitment", and the paper prints
    those headings; the workbooks said "Plan priority" and "Action", words the partner finds nowhere else. The
    reference is now headed as the register heads it, and reads back; "Commitment", which a return is not
    read under, stays "Action"."""
    register = [("Action Ref", "Section", "Lead", "Commitment", "CSCJ Plan page"), *ACTIONS]
    root = make_workspace(tmp_path / "ws", period=A, register=register)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    book = openpyxl.load_workbook(written[1])
    assert [cell.value for cell in book["Return"][1]] == [
        "Action Ref", "Section", "Action", "Status this reporting period", "Explanation / Link to meeting papers",
        "Timeframe for delivery / Completion"]
    instructions = " ".join(str(v) for row in book["Instructions"].iter_rows(values_only=True) for v in row if v)
    assert "Action Ref, Section and Action: the action as it stands in the register." in instructions
    for row in book["Return"].iter_rows(min_row=2):
        row[3].value, row[4].value = "On hold", f"Paused on action {row[0].value}"
    filled = tmp_path / "opcc.xlsx"
    book.save(filled)
    rows, codes = read_back(root, filled)
    assert codes == []
    assert [(row[0], row[2], row[4]) for row in rows] == [(ref, "On hold", f"Paused on action {ref}")
                                                        for ref in (2, 4, 6)]


def test_a_section_changed_in_a_return_is_said_and_the_registers_kept(tmp_path: Path) -> None:
    """A partner unprotected its workbook and moved an action to another section: the change was ignored
    without a word (a changed action text is a warning). Now it is `section-changed`, located, and the
    paper keeps the register's section."""
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    filled = tmp_path / "opcc.xlsx"
    book = openpyxl.load_workbook(written[1])
    sheet = book["Return"]
    assert sheet["B1"].value == "Section"
    rows = {int(cells[0].value): cells for cells in sheet.iter_rows(min_row=2)}
    rows[2][1].value, rows[4][1].value = "Prevention (moved)", "victims"  # a section given to one that had none
    row = rows[2]
    book.save(filled)
    target = root / "inputs" / "returns" / B / filled.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(filled, target)
    checks = validate_draft(root, B)
    [moved] = [i for i in checks.issues if i.code == "section-changed"]
    assert (moved.severity.value, moved.file, moved.sheet, moved.row, moved.column, moved.value, moved.ref) == (
        "warning", f"inputs/returns/{B}/opcc.xlsx", "Return", row[0].row, "Section", "Prevention (moved)", 2)
    assert moved.message == ("Action 2: the return puts it in section 'Prevention (moved)', the register in "
                             "no section; the register's section is used.")
    # one only written otherwise (case, spacing) is the same section


def _rename_section_and_reword_action(root: Path, section: tuple[str, str], ref: int, text: str) -> None:
    """The register as the officer edits it after the period's workbooks went out: a section renamed, an action's
    text edited."""
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    for cells in book["Register"].iter_rows(min_row=2):
        if cells[1].value == section[0]:
            cells[1].value = section[1]
        if cells[0].value == ref:
            cells[3].value = text
    book.save(path)


def _issues_of(folder: Path, file: str) -> list[dict[str, str]]:
    """The rows of a kept draft's issues.csv about the return `file`."""
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["file"] == file]


def _opcc_returns_november_after_the_register_changed(root: Path, register: Sequence[Row] | None = None) -> Path:
    """October built, November's workbooks made; OPCC updates action 2 and moves action 6 to 'Prevention' (its own
    change), leaving action 4's Section and action 6's Action as sent; the officer then renames the section
    'Victims' to 'Supporting victims' and rewords action 6 in the register. The workspace."""
    root = make_workspace(root, period=A, register=register)
    assert main(["build", "--workspace", str(root), "--period", A]) in (0, 1)
    assert main(["returns", "--workspace", str(root), "--period", B]) == 0
    book = openpyxl.load_workbook(root / "outputs" / B / "returns" / "opcc.xlsx")
    rows = {cells[0].value: cells for cells in book["Return"].iter_rows(min_row=2)}
    assert [(ref, rows[ref][1].value, rows[ref][2].value) for ref in rows] == [
        (2, None, "Publish the commissioning plan."), (4, "Victims", "Fund an advocacy service."),
        (6, "Justice", "Lobby for court capacity.")]
    rows[2][3].value, rows[2][4].value = "Completed", "The plan was published on 3 November."
    rows[6][1].value = "Prevention"  # the partner's own change
    returned = root / "inputs" / "returns" / B / "opcc.xlsx"
    returned.parent.mkdir(parents=True)
    book.save(returned)
    _rename_section_and_reword_action(root, ("Victims", "Supporting victims"), 6, "Lobby for more court capacity.")
    return root


def test_a_section_renamed_and_an_action_reworded_after_the_workbooks_went_out_are_not_the_partners_change(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """November's workbooks were made; the officer then renamed the section 'Victims' to 'Supporting victims' and
    reworded action 6 in the register. OPCC updated action 2 and moved action 6 to another section, leaving action
    4's Section and action 6's Action as sent: every row of the renamed section came back `section-changed`, and
    action 6 `action-text-changed`, asking OPCC whether to move an action it never touched. Now a cell left as the
    workbook showed it is not the partner's change: one note for the officer, the paper uses the register's section
    and text, and only the section OPCC really changed is still said. A workbook the secretariat kept no copy of is
    checked as before."""
    root = _opcc_returns_november_after_the_register_changed(tmp_path / "ws")
    capsys.readouterr()
    (root / "inputs" / "returns" / "2026-12").mkdir()
    main(["validate", "--workspace", str(root), "--period", "2026-12", "--all"])  # November's returns carried
    earlier = [line for line in capsys.readouterr().out.splitlines() if f"({B}, read to carry" in line]
    assert len(earlier) == 1 and "Action 6: the return puts it in section 'Prevention'" in earlier[0]

    assert main(["build", "--workspace", str(root), "--period", B]) in (0, 1)
    [folder] = (root / "outputs" / B).glob("draft-*")
    opcc = _issues_of(folder, f"inputs/returns/{B}/opcc.xlsx")
    assert [(row["code"], row["ref"], row["value"]) for row in opcc if row["severity"] != "info"] == [
        ("section-changed", "6", "Prevention")]
    [note] = [row for row in opcc if row["code"] == "register-changed-since-sent"]
    assert note["message"] == (
        "The workbook was made before the register changed the section of action 4 and the text of action 6; those "
        "cells came back as the workbook showed them, so they are not the partner's changes, and the paper uses the "
        "register's.")
    with (folder / "chase.csv").open(encoding="utf-8-sig", newline="") as handle:
        [chased] = [row for row in csv.DictReader(handle) if row["Partner"] == "OPCC"]
    assert (chased["Warnings"], chased["Issues"]) == ("1", "section-changed ×1; register-changed-since-sent ×1")
    paper = docx.Document(str(folder / "paper.docx"))
    texts = [cell.text.strip() for table in paper.tables for row in table.rows for cell in row.cells]
    assert "Supporting victims" in texts and "Victims" not in texts
    assert "Lobby for more court capacity." in texts and "Lobby for court capacity." not in texts

    shutil.rmtree(root / "outputs" / B / "returns")  # no copy of what was sent: a workbook made by hand
    capsys.readouterr()
    main(["validate", "--workspace", str(root), "--period", B])
    said = capsys.readouterr().out
    assert "Action 4: the return puts it in section 'Victims', the register in 'Supporting victims'" in said
    assert "Action 6: the return's action text differs from the register" in said
    assert "register changed" not in said


def test_the_register_changed_since_the_workbooks_went_out_names_no_exempt_action_in_the_public_edition(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Action 4, in the renamed section, is exempt from publication: the note of what the register changed since
    OPCC's workbook went out named it in the public edition's issues, saying which action is exempt. Its part is a
    note of its own, counted there as an exempt action's and listed in the restricted edition."""
    register = [(*REGISTER_HEADINGS, "Exempt"), *((*action, "Yes" if action[0] == 4 else "No") for action in ACTIONS)]
    root = _opcc_returns_november_after_the_register_changed(tmp_path / "ws", register)
    capsys.readouterr()
    main(["validate", "--workspace", str(root), "--period", B, "--all"])
    public = capsys.readouterr().out
    assert ("The workbook was made before the register changed the text of action 6; those cells came back as the "
            "workbook showed them") in public
    assert "action 4" not in public
    main(["validate", "--workspace", str(root), "--period", B, "--all", "--edition", "restricted"])
    restricted = capsys.readouterr().out
    assert "The workbook was made before the register changed the section of action 4; those cells" in restricted


def test_unedited_prefill_reads_back_as_last_period(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    rows, codes = read_back(root, written[2])
    assert codes == []
    assert rows == [(5, "Measure file quality.", "On hold", "On hold", "Update on action 5.", "Spring 2027",
                     "Criminal Justice Board")]


def test_a_workbook_sent_back_unchanged_is_said_so_in_the_paper(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The Criminal Justice Board sent November's workbook back as it came: the chase list did not count its
    action as updated, but the paper showed October's words as November's update, with no note. The status
    cell now says the return came back unchanged, as last reported in October; a partner that changed its
    workbook gets no such note."""
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    make_workspace(root, period=B, returns={})
    folder = root / "inputs" / "returns" / B
    shutil.copy(written[2], folder / written[2].name)  # as it came
    book = openpyxl.load_workbook(written[1])
    for row in book["Return"].iter_rows(min_row=2):
        row[4].value = f"November's update on action {row[0].value}."
    book.save(folder / written[1].name)
    assert main(["build", "--workspace", str(root), "--period", B]) == 0, capsys.readouterr()
    draft = Path(capsys.readouterr().out.strip().splitlines()[-1])
    cells = {row.cells[0].text: row.cells[2].text for row in docx.Document(str(draft / "paper.docx")).tables[-1].rows}
    assert cells["5"] == "On hold\nReturn unchanged: status and update as last reported (October 2026)"
    assert "unchanged" not in cells["2"] and "No update received" not in cells["2"], cells["2"]
    with (draft / "chase.csv").open(encoding="utf-8-sig") as handle:
        chased = {row["Partner"]: row for row in csv.DictReader(handle)}
    board = chased["Criminal Justice Board"]
    assert (board["Updated"], board["Returned as sent (refs)"]) == ("0", "5")


# what a person can type in a cell: visible characters, spaces and line breaks (no edge whitespace,
# which the reader strips; no control or invisible characters, which it removes and reports)
VISIBLE = st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Cn", "Co", "Zl", "Zp", "Zs"))
TYPED = st.text(VISIBLE | st.just("\n") | st.just(" "), min_size=1, max_size=60).map(str.strip).filter(bool)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(explanation=TYPED, status=st.sampled_from(CANONICAL_STATUSES))
def test_any_typed_text_reads_back_exactly(tmp_path: Path, explanation: str, status: str) -> None:
    root = tmp_path / "ws"
    if not root.exists():
        make_workspace(root, period=A)
    out = Path(tmp_path / f"out-{abs(hash((explanation, status)))}")
    if out.exists():
        shutil.rmtree(out)
    written, _ = write_return_workbooks(root, B, out)
    book = openpyxl.load_workbook(written[2])
    cells = book["Return"][2]
    cells[3].value, cells[4].value = status, explanation
    cells[4].data_type = "s"
    book.save(written[2])
    rows, _codes = read_back(root, written[2])
    # exactly as typed, in Unicode's composed form: "a" and a combining circumflex read as "â", as a Mac pastes it
    assert rows[0][2:5] == (status, status, unicodedata.normalize("NFC", explanation))


def test_register_text_is_written_as_text_never_a_formula(tmp_path: Path) -> None:
    """Text typed in the register that a spreadsheet would take for a formula ("=1+1", "=HYPERLINK(…)", stored as
    text, as Excel stores a cell typed with a leading apostrophe) is text in each partner's workbook too."""
    root = make_workspace(tmp_path / "ws", period=A)
    register = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(register)
    sheet = book.worksheets[0]
    sheet.append([7, "=1+1", "OPCC", '=HYPERLINK("http://x")', ""])
    for cell in sheet[sheet.max_row][1:4:2]:
        cell.data_type = "s"  # openpyxl would make "=…" a formula
    book.save(register)
    written, _ = write_return_workbooks(root, B)
    sheet = openpyxl.load_workbook(written[1])["Return"]
    assert [(c.value, c.data_type) for c in sheet[5][1:3]] == [("=1+1", "s"), ('=HYPERLINK("http://x")', "s")]


def test_never_overwrites_and_writes_the_same_bytes_each_time(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, B)
    before = [p.read_bytes() for p in written]
    with pytest.raises(ReportgenError, match=r"wessex-police\.xlsx already exists"):
        write_return_workbooks(root, B)
    assert [p.read_bytes() for p in written] == before
    other, _ = write_return_workbooks(root, B, tmp_path / "elsewhere")
    assert [p.read_bytes() for p in other] == before
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == sorted(FILES)  # no temporary left


def test_cli_prints_each_file_then_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws", period=A)
    assert main(["returns", "--workspace", str(root), "--period", B]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    folder = root.resolve() / "outputs" / B / "returns"
    assert lines[-len(FILES) - 1:] == [*(str(folder / name) for name in FILES), str(folder)]
    assert "reportgen.toml sets no returns deadline" in lines[-len(FILES) - 3], "said before them: none is set"
    assert main(["returns", "--workspace", str(root), "--period", B]) == 2  # refuses to overwrite, as build --out
    assert "already exists" in capsys.readouterr().err


def test_cli_exit_1_when_the_register_has_blocking_issues(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    register = [REGISTER_HEADINGS, *ACTIONS, ACTIONS[0]]
    root = make_workspace(tmp_path / "ws", period=A, register=register)
    out = tmp_path / "out"
    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(out)]) == 1
    output = capsys.readouterr().out
    assert "duplicate-ref" in output or "also on row" in output
    # a row of the register left out: no workbook is written, so no folder is named as the last line
    assert not out.exists() and str(out) not in output
    with pytest.raises(SystemExit):
        main(["returns", "--workspace", str(root)])  # --period is required


# ---------------------------------------------------------------- a workbook filed under another period


def test_last_months_workbook_filed_again_is_not_read_as_this_months(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """October's pre-filled workbook, filed unchanged as Wessex Police's November return, was read without a
    word: the paper showed October's pre-fill (action 5 back to In progress, with September's text) as
    November's updates. Now it says so, uses none of its rows, and the partner is chased."""
    root = copy_example(tmp_path / "ws")
    october = tmp_path / "oct"
    assert main(["returns", "--workspace", str(root), "--period", A, "--out", str(october)]) == 0
    assert openpyxl.load_workbook(october / "wessex-police.xlsx").custom_doc_props["reportgen period"].value == A
    november = root / "inputs" / "returns" / B
    november.mkdir()
    shutil.copy(october / "wessex-police.xlsx", november)
    capsys.readouterr()
    # a warning; but it is November's only file, so not one return was read for November: that blocks
    assert main(["build", "--workspace", str(root), "--period", B]) == 1
    printed = capsys.readouterr().out
    folder = Path(printed.strip().splitlines()[-1])
    filed = f"inputs/returns/{B}/wessex-police.xlsx"
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        listed = list(csv.DictReader(stream))
    wrong = [row for row in listed if row["code"] == "return-wrong-period"]
    assert [(row["severity"], row["file"], row["value"]) for row in wrong] == [("warning", filed, A)]
    assert [(row["code"], row["file"]) for row in listed if row["severity"] == "error"] == [
        ("no-returns", f"inputs/returns/{B}")]
    assert wrong[0]["message"] == (f"{filed} is the return workbook made for October 2026, not the one for "
                                   "November 2026: none of its rows were used as November 2026's updates.")
    assert f"(to make it again: reportgen returns --period {B})" in wrong[0]["advice"]
    assert "copy them into this period's workbook" in wrong[0]["advice"]

    # the paper keeps what October's returns reported, marked as no update this period
    document = docx.Document(str(folder / "paper.docx"))
    rows = {int(cells[0]): cells for row in document.tables[-1].rows[1:]
            if (cells := [cell.text for cell in row.cells])[0].isdigit()}
    assert rows[5][2] == "Completed\nNo update received this period: status as last reported (October 2026)"
    assert rows[5][3].startswith("Hot spots patrols now run in all twelve neighbourhoods.")

    police = [1, 3, 5, 8, 12, 15, 19, 22, 30, 32]
    with (folder / "chase.csv").open(encoding="utf-8-sig", newline="") as stream:
        chase = {row["Partner"]: row for row in csv.DictReader(stream)}
    assert (chase["Wessex Police"]["Returned"], chase["Wessex Police"]["Updated"],
            chase["Wessex Police"]["No update (refs)"], chase["Wessex Police"]["Issues"]) == (
        "No: sent the October 2026 workbook", "0", ", ".join(map(str, police)), "return-wrong-period ×1")
    said = " ".join(printed.split())
    assert (f"Wessex Police: sent the workbook made for October 2026 ({filed}), not this period's; 10 of 10 "
            "actions not updated") in said

    # November's own workbook in its place: read, and said to be as it was sent out
    (november / "wessex-police.xlsx").unlink()
    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(tmp_path / "nov")]) == 0
    shutil.copy(tmp_path / "nov" / "wessex-police.xlsx", november)
    checks = validate_draft(root, B)
    assert "return-wrong-period" not in {i.code for i in checks.issues}
    assert [i.file for i in checks.issues if i.code == "unchanged-return"] == [filed]


def test_last_months_return_sent_again_says_it_is_already_filed_where_it_belongs(tmp_path: Path) -> None:
    """Wessex Police sends back October's return again in November; October's folder already holds it, byte for
    byte. The advice said to move it to inputs/returns/2026-10/, where the same file already is: it now says so,
    and that this copy can be deleted. A copy that differs from October's still gets the advice to move it."""
    root = copy_example(tmp_path / "ws")
    october_return = root / "inputs" / "returns" / A / "wessex-police.xlsx"
    assert main(["returns", "--workspace", str(root), "--period", A, "--out", str(tmp_path / "oct")]) == 0
    shutil.copy(tmp_path / "oct" / "wessex-police.xlsx", october_return)  # October's return, as it came back
    november = root / "inputs" / "returns" / B
    november.mkdir()
    shutil.copy(october_return, november)
    [wrong] = [i for i in validate_draft(root, B).issues if i.code == "return-wrong-period"]
    assert wrong.message.endswith(f"inputs/returns/{A}/ already holds the same file, read for October 2026.")
    assert wrong.advice.startswith("This copy can be deleted. Ask the partner for this period's workbook")
    assert "move it" not in wrong.advice

    workbook = openpyxl.load_workbook(november / "wessex-police.xlsx")  # not the same file as October's
    workbook["Return"].cell(row=2, column=5).value = "Written again for November."
    workbook.save(november / "wessex-police.xlsx")
    [wrong] = [i for i in validate_draft(root, B).issues if i.code == "return-wrong-period"]
    assert "already holds" not in wrong.message and f"move it to inputs/returns/{A}/" in wrong.advice


def test_last_months_workbook_sent_after_this_months_does_not_set_it_aside(tmp_path: Path) -> None:
    """A partner sends November's return, then October's workbook again (saved beside it as a newer
    version, as `collect` does): the newest file was read, so the good return was set aside and the
    partner chased. Now the return made for this period is read and the other noted."""
    root = make_workspace(tmp_path / "ws", period=A)
    october, _ = write_return_workbooks(root, A, tmp_path / "oct")
    keep_draft(root, A)
    november, _ = write_return_workbooks(root, B, tmp_path / "nov")
    filed = root / "inputs" / "returns" / B
    filed.mkdir(parents=True)
    book = openpyxl.load_workbook(november[1])  # OPCC's: action 2 moves on
    sheet = book["Return"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == 2)
    sheet.cell(row, 4).value = "Completed"
    book.save(filed / "opcc.xlsx")
    shutil.copy(october[1], filed / "opcc (1).xlsx")
    os.utime(filed / "opcc (1).xlsx", (time.time() + 60, time.time() + 60))  # the newer file
    checks = validate_draft(root, B)
    codes = {(i.code, i.file) for i in checks.issues}
    assert ("superseded-return", f"inputs/returns/{B}/opcc (1).xlsx") in codes, codes
    assert "return-wrong-period" not in {code for code, _file in codes}
    assert "OPCC" not in {i.value for i in checks.issues if i.code == "missing-return"}
    noted = next(i for i in checks.issues if i.code == "superseded-return")
    assert noted.message == (f"inputs/returns/{B}/opcc (1).xlsx is OPCC's return workbook made for October 2026; "
                             f"its return for this period, inputs/returns/{B}/opcc.xlsx, is read instead, even where "
                             "this one is newer.")
    merged = {a.ref: a for a in checks.checked.merged.actions}
    assert merged[2].status == "Completed" and merged[2].source == f"inputs/returns/{B}/opcc.xlsx"


def test_a_workbook_made_before_workbooks_kept_their_period_is_known_by_its_instructions(tmp_path: Path) -> None:
    """A workbook sent out by an earlier reportgen has no period property; its Instructions sheet's
    "Period" line says which period it is for, so last month's, filed again, is still not read."""
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, A, tmp_path / "made")
    book = openpyxl.load_workbook(written[1])
    book.custom_doc_props = CustomPropertyList()  # as an earlier version wrote it
    old = tmp_path / "opcc.xlsx"
    book.save(old)
    assert openpyxl.load_workbook(old).custom_doc_props.names == []
    filed = root / "inputs" / "returns" / B
    filed.mkdir(parents=True)
    shutil.copy(old, filed / "opcc.xlsx")
    checks = validate_draft(root, B)
    assert [(i.code, i.file, i.value) for i in checks.issues if i.code == "return-wrong-period"] == [
        ("return-wrong-period", f"inputs/returns/{B}/opcc.xlsx", A)]
    shutil.copy(old, root / "inputs" / "returns" / A / "opcc.xlsx")  # filed under its own period: read
    assert "return-wrong-period" not in {i.code for i in validate_draft(root, A).issues}


def test_a_workbook_that_says_no_period_is_read_as_before(tmp_path: Path) -> None:
    """A partner's own workbook, a CSV, or one whose period part is damaged: read whatever period it is filed under."""
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, B, tmp_path / "made")
    damaged = tmp_path / "opcc.xlsx"
    with zipfile.ZipFile(written[1]) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            target.writestr(item, b"<not xml" if item.filename == "docProps/custom.xml" else source.read(item))
    assert made_for(written[1]) == B and made_for(damaged) == ""
    shutil.copy(damaged, root / "inputs" / "returns" / A / "opcc.xlsx")
    write_csv(root / "inputs" / "returns" / A / "wessex-police.csv",
              [tuple(row) for row in data_rows(written[0])])
    (root / "inputs" / "returns" / A / "wessex-police.xlsx").unlink()
    checks = validate_draft(root, A)
    assert "return-wrong-period" not in {i.code for i in checks.issues}
    updated = {a.ref for a in checks.checked.merged.actions if a.state is UpdateState.UPDATED}
    assert updated == {1, 2, 3, 4, 5, 6}  # every lead's rows read


def test_last_wording_kept_and_status_left_blank_when_none_was_recognised(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The partner's last explanation and timeframe are kept when its status was not recognised or empty; the
    status is left for the partner to choose, and `returns` says so per action, with or without a draft."""
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "Publish the commissioning plan.", "Not started yet – phase 2",
                               "Phase 2 follows the review.", "Autumn 2027")  # not recognised
    returns["opcc.xlsx"][2] = (4, "Fund an advocacy service.", "", "Waiting for the grant.", "")  # no status
    returns["opcc.xlsx"][3] = (6, "Lobby for court capacity.", "", "", "")  # nothing at all
    root = make_workspace(tmp_path / "ws", period=A, returns=returns)
    expected = [(2, None, "Publish the commissioning plan.", None, "Phase 2 follows the review.", "Autumn 2027"),
                (4, "Victims", "Fund an advocacy service.", None, "Waiting for the grant.", None),
                (6, "Justice", "Lobby for court capacity.", None, None, None)]
    said = [("not-prefilled", 2, "warning", "Action 2 (OPCC): the status reported in October 2026, 'Not started "
             "yet – phase 2', was not recognised, so its workbook leaves the status blank for the partner to choose; "
             "the explanation and timeframe are pre-filled as reported then."),
            ("not-prefilled", 4, "warning", "Action 4 (OPCC): no status was recognised in the update reported in "
             "October 2026, so its workbook leaves the status blank for the partner to choose; the explanation and "
             "timeframe are pre-filled as reported then."),
            ("not-prefilled", 6, "warning", "Action 6 (OPCC): no status, explanation or timeframe was reported for "
             "it before November 2026 (a new action, one its lead did not update, or a blank row), so its workbook "
             "row is blank for the partner to fill in.")]

    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(tmp_path / "no-draft")]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert all(message in printed for *_, message in said)
    no_draft = tmp_path / "no-draft" / "opcc.xlsx"
    assert data_rows(no_draft)[1:] == expected
    book = openpyxl.load_workbook(no_draft)
    instructions = " ".join(str(c) for row in book["Instructions"].iter_rows(values_only=True) for c in row if c)
    assert "It shows last period's status where one was reported and recognised (blank otherwise: choose one)" \
        in instructions

    keep_draft(root, A)  # the same workbooks and the same words from October's kept draft
    written, issues = write_return_workbooks(root, B, tmp_path / "from-draft")
    issues = but_the_dates(issues)
    assert [(i.code, i.ref, i.severity.value, i.message) for i in issues] == said
    assert issues[0].advice.startswith("Nothing to do: the partner chooses the status from the list. If the "
                                       "wording means one of the statuses, add it to [statuses] aliases")
    assert (issues[0].file, issues[0].row, issues[0].value) == ("inputs/register.xlsx", 3, "Not started yet – phase 2")
    assert written[1].read_bytes() == no_draft.read_bytes()

    # the partner sends it back as it was: the empty statuses are errors, the row is returned as sent
    rows, codes = read_back(root, written[1])
    assert [row[3:6] for row in rows] == [("", "Phase 2 follows the review.", "Autumn 2027"),
                                          ("", "Waiting for the grant.", ""), ("", "", "")]
    assert codes == ["empty-status"] * 3


def test_the_next_build_shows_that_wording_with_no_status_as_the_workbook_does(tmp_path: Path) -> None:
    """November's paper for an action OPCC did not update: no status (as its workbook has none), October's wording."""
    returns = default_returns()
    returns["opcc.xlsx"][1] = (2, "Publish the commissioning plan.", "Not started yet – phase 2",
                               "Phase 2 follows the review.", "Autumn 2027")
    root = make_workspace(tmp_path / "ws", period=A, returns=returns)
    for kept in (False, True):  # from October's returns, then from its kept draft
        if kept:
            keep_draft(root, A)
        later = default_returns()
        del later["opcc.xlsx"]
        make_workspace(root, period=B, returns=later)
        plan = prepare_build(root, B)
        checked = check_plan(plan)
        paper = make_paper(plan, checked)
        row = next(row for row in paper.rows if row.ref == 2)
        assert (row.status, row.status_label, row.state) == (None, "No update", "no-update")
        assert (row.explanation, row.timeframe, row.reported) == ("Phase 2 follows the review.", "Autumn 2027",
                                                                  A)
        assert row.cell("explanation").text == "Phase 2 follows the review."
        assert row.note == ("No update received this period: explanation and timeframe as last reported "
                            "(October 2026), with no status recognised")
        assert (paper.no_status, paper.carried_forward) == (1, 2)  # 4 and 6 carry their statuses
        [said] = [i for i in checked.issues if i.ref == 2 and i.code == "no-update"]
        assert said.severity.value == "warning"
        assert "no status was recognised in the update reported in October 2026" in said.message
        assert said.advice == "Chase the lead partner for this period's status."
        shutil.rmtree(root / "inputs" / "returns" / B)

    # December, from November's draft: still October's wording, still no status
    make_workspace(root, period=B, returns=later)
    keep_draft(root, B)
    written, issues = write_return_workbooks(root, "2026-12")
    assert data_rows(written[1])[1][3:] == (None, "Phase 2 follows the review.", "Autumn 2027")
    assert [(i.ref, i.message.split(",")[0]) for i in but_the_dates(issues)] == [
        (2, "Action 2 (OPCC): no status was recognised in the update reported in October 2026")]


def test_a_later_update_with_no_status_recognised_is_the_last_reported(tmp_path: Path) -> None:
    """October kept as a draft; November's returns (no draft) give action 2 a status nobody can count: December's
    workbook and build take November's wording, not October's status with its older words."""
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    november = default_returns()
    november["opcc.xlsx"][1] = (2, "Publish the commissioning plan.", "Paused-ish", "Waiting on the Board.", "2027")
    make_workspace(root, period=B, returns=november)
    written, issues = write_return_workbooks(root, "2026-12")
    assert data_rows(written[1])[1][3:] == (None, "Waiting on the Board.", "2027")
    assert [(i.code, i.ref, i.value) for i in but_the_dates(issues)] == [("not-prefilled", 2, "Paused-ish")]
    make_workspace(root, period="2026-12", returns={})
    plan = prepare_build(root, "2026-12")
    row = next(row for row in make_paper(plan, check_plan(plan)).rows if row.ref == 2)
    assert (row.status_label, row.explanation, row.reported) == ("No update", "Waiting on the Board.", B)


def test_a_return_saved_in_next_months_folder_blocks_its_own_month_and_is_not_chased(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police's November workbook, saved into inputs/returns/2026-12/ by mistake: November's check said
    "Wessex Police sent no return", nothing blocked, and the partner was chased for a return it had sent; the
    paper went out without its updates. Now November's build names the file and where to move it, and blocks."""
    root = copy_example(tmp_path / "ws")
    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(tmp_path / "nov")]) == 0
    november, december = root / "inputs" / "returns" / B, root / "inputs" / "returns" / "2026-12"
    november.mkdir()
    december.mkdir()
    for made in (tmp_path / "nov").glob("*.xlsx"):
        shutil.copy(made, december if made.name == "wessex-police.xlsx" else november)
    capsys.readouterr()
    assert main(["build", "--workspace", str(root), "--period", B]) == 1
    printed = capsys.readouterr().out
    folder = Path(printed.strip().splitlines()[-1])
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        listed = list(csv.DictReader(stream))
    misfiled = "inputs/returns/2026-12/wessex-police.xlsx"
    [found] = [row for row in listed if row["code"] == "return-in-other-folder"]
    assert (found["severity"], found["file"], found["value"]) == ("error", misfiled, "Wessex Police")
    assert found["message"] == (f"Wessex Police sent no return in inputs/returns/{B}/, but {misfiled} is its return "
                                "workbook made for November 2026: it is in the folder of December 2026, so it was "
                                "not read and its updates are not in this paper.")
    assert found["advice"].startswith(f"Move it into inputs/returns/{B}/ and build again")
    assert "Wessex Police" not in {row["value"] for row in listed if row["code"] == "missing-return"}
    with (folder / "chase.csv").open(encoding="utf-8-sig", newline="") as stream:
        chase = {row["Partner"]: row for row in csv.DictReader(stream)}
    assert chase["Wessex Police"]["Returned"] == f"Yes, but in another period's folder: {misfiled}"
    to_chase = printed.split("To chase:")[-1]
    assert "Wessex Police" not in to_chase and "OPCC" in to_chase  # the others sent theirs back as pre-filled
    # December's own check still says the file is November's, and now where it belongs
    wrong = next(i for i in validate_draft(root, "2026-12").issues if i.code == "return-wrong-period")
    assert wrong.advice.startswith("If it is November 2026's return saved in this period's folder by mistake, move "
                                   f"it to inputs/returns/{B}/.")


def test_a_period_still_to_come_is_said(tmp_path: Path) -> None:
    """validate with no --period read a folder made early for a month still to come (the newest), and said
    nothing of it; given with --period, the same."""
    root = copy_example(tmp_path / "ws")
    (root / "inputs" / "returns" / "2099-01").mkdir()
    shutil.copy(root / "inputs" / "returns" / A / "opcc.xlsx", root / "inputs" / "returns" / "2099-01")
    _inputs, issues = find_inputs(root)
    [said] = [i for i in issues if i.code == "period-not-started"]
    assert said.message.startswith("The period 2099-01 has not begun yet (today is ")
    assert said.message.endswith(", the newest period folder under inputs/returns, read as no --period was given.")
    _inputs, issues = find_inputs(root, "2099-01")
    assert [i.message.endswith(").") for i in issues if i.code == "period-not-started"] == [True]
    assert not [i for i in find_inputs(root, A)[1] if i.code == "period-not-started"]


def test_a_prefilled_explanation_deleted_and_not_replaced_is_said(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A partner cleared the explanation its workbook was pre-filled with and wrote nothing in its place: the
    paper showed the action with no explanation, and neither validate nor the build said a word. Now each such
    cell is a warning at the partner's file, sheet, row and explanation heading, with the text deleted; a row
    whose explanation was rewritten, or a partner's own sheet with a blank one, says nothing."""
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    make_workspace(root, period=B, returns={})
    folder = root / "inputs" / "returns" / B
    book = openpyxl.load_workbook(written[1])
    sheet = book["Return"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) >= 2 and all(row[4].value for row in rows), "each OPCC row pre-filled with an explanation"
    heading, cleared, deleted = sheet.cell(1, 5).value, rows[0], rows[0][4].value
    cleared[4].value = None
    for row in rows[1:]:
        row[4].value = f"November's update on action {row[0].value}."
    book.save(folder / written[1].name)
    assert main(["build", "--workspace", str(root), "--period", B]) == 0, capsys.readouterr()
    printed = capsys.readouterr().out
    draft = Path(printed.strip().splitlines()[-1])
    with (draft / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        found = [row for row in csv.DictReader(stream) if row["code"] == "explanation-cleared"]
    assert [(row["severity"], row["file"], row["sheet"], row["row"], row["column"], row["ref"], row["value"])
            for row in found] == [("warning", f"inputs/returns/{B}/{written[1].name}", "Return",
                                   str(cleared[0].row), heading, str(cleared[0].value), deleted)]
    assert found[0]["message"] == (f"Action {cleared[0].value}: the explanation pre-filled as reported in October "
                                   "2026 was deleted and nothing written in its place; the paper shows the action "
                                   "with no explanation.")
    assert "explanation-cleared" not in printed and found[0]["message"] in " ".join(printed.split())
    table = docx.Document(str(draft / "paper.docx")).tables[-1]
    cells = {row.cells[0].text: row.cells[3].text for row in table.rows}
    assert cells[str(cleared[0].value)] == "", "the paper shows what the message says"

    # the same blank cell in a partner's own sheet (never pre-filled) is only blank
    own = folder / written[1].name
    own.unlink()
    write_csv(folder / "opcc.csv", [["Plan priority", "Status this reporting period",
                                     "Explanation / Link to meeting papers"],
                                    [str(cleared[0].value), "In progress", ""]])
    assert "explanation-cleared" not in {i.code for i in validate_draft(root, B).issues}


def test_a_row_deleted_from_a_prefilled_workbook_is_said_at_that_workbook(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A partner deleted one action's row from its workbook and updated the rest: the action was carried forward,
    said only in a note for information at the register (not printed without --all), so neither the partner's
    file nor the printed issues showed that a row had gone. Now it is a warning at the partner's file; rows
    sorted into another order are not missing, and say nothing."""
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    make_workspace(root, period=B, returns={})
    folder = root / "inputs" / "returns" / B
    book = openpyxl.load_workbook(written[0])
    sheet = book["Return"]
    refs = [values[0] for values in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(refs) >= 2
    gone = refs[0]
    sheet.delete_rows(2)
    for row in sheet.iter_rows(min_row=2):
        row[4].value = f"November's update on action {row[0].value}."
    book.save(folder / written[0].name)
    assert main(["build", "--workspace", str(root), "--period", B]) == 0, capsys.readouterr()
    printed = capsys.readouterr().out
    draft = Path(printed.strip().splitlines()[-1])
    with (draft / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        found = [row for row in csv.DictReader(stream) if row["code"] == "row-deleted"]
    filed = f"inputs/returns/{B}/{written[0].name}"
    action = next(row[3] for row in ACTIONS if row[0] == gone)
    assert [(row["severity"], row["file"], row["sheet"], row["ref"], row["value"]) for row in found] == [
        ("warning", filed, "Return", str(gone), action)]
    assert found[0]["message"] == (f"Action {gone} has no row in {filed}, the workbook made for Wessex Police's "
                                   "updates: the row was deleted (or the workbook made before the action was in "
                                   "the register). The paper shows no update for it this period.")
    assert found[0]["message"] in " ".join(printed.split())
    table = docx.Document(str(draft / "paper.docx")).tables[-1]
    cells = {row.cells[0].text: row.cells[2].text for row in table.rows}
    assert "No update received this period" in cells[str(gone)]
    assert all("No update" not in cells[str(ref)] for ref in refs if ref != gone)

    # the whole workbook sent back with its rows sorted the other way round: nothing is missing
    book = openpyxl.load_workbook(written[0])
    sheet = book["Return"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    for number, values in enumerate(reversed(rows), start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column).value = value
        sheet.cell(number, 5).value = f"November's update on action {values[0]}."
    book.save(folder / written[0].name)
    checks = validate_draft(root, B)
    assert [values[0] for values in data_rows(folder / written[0].name)[1:]] == list(reversed(refs))
    assert "row-deleted" not in {i.code for i in checks.issues}


def test_workbooks_that_name_no_deadline_are_said_so_with_how_to_set_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A workspace setting neither [returns] deadline nor days_before_meeting had its workbooks written with no
    deadline, and `reportgen returns` said nothing of it. Now it warns, at reportgen.toml, with how to set one:
    counted back from the meeting the paper goes to when [paper] names one (a single date is enough), or the
    meetings to add when it does not. A workspace that sets a deadline hears nothing of it."""
    toml = '[paper]\ntitle = "Plan"\n'
    for name, paper, said in (("no-meeting", "", "with the Panel's meeting dates in [paper] meetings"),
                              ("one-date", "date = 2026-11-05\n", "before the meeting the paper goes to, "
                                                                    "5 November 2026")):
        root = make_workspace(tmp_path / name, period=A, toml=toml + paper)
        assert main(["returns", "--workspace", str(root), "--period", B]) == 0
        printed = " ".join(capsys.readouterr().out.split())
        assert ("reportgen.toml warning setting 'deadline': reportgen.toml sets no returns deadline ([returns] "
                "deadline or days_before_meeting): the November 2026 workbooks, and any mail sending them, name "
                "no day to reply by.") in printed, name
        assert said in printed and "[returns]" in printed and "days_before_meeting" in printed, name
        folder = root / "outputs" / B / "returns"
        instructions = [row for row in openpyxl.load_workbook(folder / FILES[0])["Instructions"].iter_rows(
            values_only=True)]
        assert not any(row[0] == "Deadline" for row in instructions), "what the message says of the workbook"

    # the same workspace, as the advice says: a deadline counted back from its one meeting date, and not a word
    root = tmp_path / "one-date"
    (root / "reportgen.toml").write_text(toml + "date = 2026-11-05\n\n[returns]\ndays_before_meeting = 12\n",
                                         encoding="utf-8")
    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(tmp_path / "set")]) == 0
    assert "no returns deadline" not in capsys.readouterr().out
    instructions = [row for row in openpyxl.load_workbook(tmp_path / "set" / FILES[0])["Instructions"].iter_rows(
        values_only=True)]
    assert ("Deadline", "24 October 2026") in instructions
    dated = make_workspace(tmp_path / "dated", period=A, toml=toml + "\n[returns]\ndeadline = 2099-10-24\n")
    assert "no-deadline" not in [i.code for i in write_return_workbooks(dated, B)[1]]


def test_no_deadline_advice_asks_for_the_next_meeting_when_the_only_meeting_is_before_the_period(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A workspace whose one meeting date (5 November 2026) is before the period (March 2027) was told to set
    days_before_meeting "e.g. 12: returns due 12 days before the meeting the paper goes to, 5 November 2026": a
    deadline months gone. Now the advice asks for the next meeting's date first and names no past example day."""
    root = make_workspace(tmp_path / "ws", period=A, toml='[paper]\ntitle = "Plan"\ndate = 2026-11-05\n')
    assert main(["returns", "--workspace", str(root), "--period", "2027-03"]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "the meeting date 05 November 2026 is before the period" in printed
    assert "before the meeting the paper goes to, 5 November 2026" not in printed
    assert ("first add the Panel's next meeting after March 2027 to [paper] meetings in reportgen.toml (the one it "
            "gives, 5 November 2026, is before the period)") in printed


def test_a_row_a_partner_adds_is_told_how_a_new_action_reaches_the_register_and_the_return_is_not_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC sent its pre-filled workbook back as it was but for a row it added, with no action number: a new
    action it proposes. The advice said only to add the number or delete the row, and the return was also said to
    have been sent back without updating it. Now the advice says how a new action gets into the register and its
    number, and the return is not said to be untouched; a row with no number in the register keeps its own advice."""
    root = make_workspace(tmp_path / "ws", period=A)
    keep_draft(root, A)
    written, _ = write_return_workbooks(root, B)
    make_workspace(root, period=B, returns={})
    book = openpyxl.load_workbook(written[1])
    book["Return"].append([None, None, "Pilot a helpline for victims of fraud.", "Not started",
                           "Proposed by the OPCC this month.", "2027"])
    book.save(root / "inputs" / "returns" / B / written[1].name)
    assert main(["build", "--workspace", str(root), "--period", B]) == 1  # a row left out blocks publication
    printed = capsys.readouterr().out
    draft = Path(printed.strip().splitlines()[-1])
    with (draft / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        found = [row for row in csv.DictReader(stream) if row["file"].endswith(written[1].name)]
    assert [(row["code"], row["row"]) for row in found] == [("missing-ref", "5")]
    advice = found[0]["advice"]
    assert advice.startswith("If it is an action of the plan, write its plan priority number in the row. If it is "
                             "a new action the partner proposes, it is in no paper until it is in the register")
    assert "the secretariat adds it there with the next plan priority number" in advice
    assert advice in " ".join(printed.split())
    assert "without updating it" not in printed
    chase = (draft / "chase.csv").read_text(encoding="utf-8-sig")
    assert "unchanged-return" not in chase

    # the same workbook sent back without the added row is still said to be untouched
    shutil.copy(written[1], root / "inputs" / "returns" / B / written[1].name)
    assert "unchanged-return" in {i.code for i in validate_draft(root, B).issues}

    # in the register, a row with no number is the secretariat's own to number
    register = [REGISTER_HEADINGS, *ACTIONS, (None, "", "OPCC", "An action not yet numbered.", "18")]
    make_workspace(tmp_path / "ws2", period=A, register=register)
    [missing] = [i for i in validate_draft(tmp_path / "ws2", A).issues if i.code == "missing-ref"]
    assert missing.advice == "Add the plan priority number, or delete the row."


def validate_printed(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`reportgen validate` of period B, as the officer runs it: its exit code, and what it printed."""
    code = main(["validate", "--workspace", str(root), "--period", B])
    return code, " ".join(capsys.readouterr().out.split())


def test_a_csv_saved_while_the_instructions_sheet_showed_is_said_to_be_that_sheet(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police saved its November workbook as CSV with the Instructions sheet showing, so the CSV holds the
    lines 'Partner return', 'Partner, Wessex Police', 'Period, November 2026'. The officer was told no sheet had
    the return's headings, and to rename them: wrong advice. It is now said to be the Instructions sheet, and
    the partner is to save the Return sheet, or send the workbook."""
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, B)
    book = openpyxl.load_workbook(written[0])
    make_workspace(root, period=B, returns={})
    saved = root / "inputs" / "returns" / B / "wessex-police.csv"
    write_csv(saved, list(book["Instructions"].iter_rows(values_only=True)))  # as Excel saves the sheet showing
    assert saved.read_text(encoding="utf-8-sig").splitlines()[1:3] == ["Partner,Wessex Police",
                                                                       "Period,November 2026"]

    code, printed = validate_printed(root, capsys)
    assert code == 1, printed
    assert (f"inputs/returns/{B}/wessex-police.csv holds the Instructions sheet of the return workbook made for "
            "Wessex Police for November 2026, saved as CSV while that sheet was showing, not its Return sheet; no "
            "update was read.") in printed
    assert ("Ask the partner to open the workbook, click the Return sheet's tab and save as CSV again, or to send "
            "the .xlsx workbook itself.") in printed
    assert "rename the headings" not in printed and "has the headings" not in printed


def test_a_row_of_an_action_withdrawn_after_the_workbook_went_out_is_not_a_row_the_partner_added(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """November's workbooks go out pre-filled from October's returns (no draft kept); the secretariat then withdraws
    action 6 from the register, and OPCC sends its workbook back untouched. Action 6's row was an error
    (unknown-ref, "check the number against the register"), blocking the paper, and, read as a row the partner
    added, it hid that the workbook came back untouched. The workbook lists the actions it was sent with: the row is
    said to be of an action withdrawn since (a warning: nothing for the partner to correct), and the return
    untouched. A row the partner did add, of a number the register never had, is still an error and an added row."""
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, B)
    opcc = next(path for path in written if path.name == "opcc.xlsx")
    assert [row[0] for row in data_rows(opcc)[1:]] == [2, 4, 6]
    make_workspace(root, period=B, returns={}, register=[REGISTER_HEADINGS, *(a for a in ACTIONS if a[0] != 6)])
    folder = root / "inputs" / "returns" / B
    shutil.copy(opcc, folder / "opcc.xlsx")

    code, printed = validate_printed(root, capsys)
    assert code == 0, printed
    assert ("row 4, column 'Plan priority': Action 6 is not in the register, but opcc.xlsx was sent with a row for "
            "it: the action was withdrawn (or renumbered) after the workbook was made, so this row is not used. → "
            "Nothing to do if the action was withdrawn: the row can stay in the return or be deleted") in printed
    assert "OPCC may have sent opcc.xlsx back without updating it" in printed
    assert "Action 6 is not in the register; this update was left out" not in printed

    book = openpyxl.load_workbook(opcc)
    book["Return"].append([99, None, "A new action.", "Not started", "Proposed this month.", "2027"])
    book.save(folder / "opcc.xlsx")
    code, printed = validate_printed(root, capsys)
    assert code == 1, printed
    assert "row 5, column 'Plan priority': Action 99 is not in the register; this update was left out." in printed
    assert "Action 6 is not in the register, but opcc.xlsx was sent with a row for it" in printed
    assert "without updating it" not in printed


def test_a_prefilled_workbook_saved_as_csv_is_checked_against_the_copy_of_what_was_sent(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police deletes action 1's explanation and action 3's row from its November workbook and saves it as
    CSV. A CSV keeps no record of the workbook it was saved from, so neither was said (explanation-cleared,
    row-deleted), as they are of the .xlsx. Now it is checked against the copy `reportgen returns` wrote in
    outputs/2026-11/returns; with none there (written elsewhere), a warning names the file and the checks not
    made. A partner's own CSV, laid out otherwise, was never pre-filled: neither is said."""
    root = make_workspace(tmp_path / "ws", period=A)
    written, _ = write_return_workbooks(root, B)  # into outputs/2026-11/returns
    rows = data_rows(written[0])
    assert written[0].name == "wessex-police.xlsx" and [row[0] for row in rows[1:]] == [1, 3]
    assert rows[1][4] == "Update on action 1.", "pre-filled from October's return"
    make_workspace(root, period=B, returns={})
    saved = root / "inputs" / "returns" / B / "wessex-police.csv"
    write_csv(saved, [rows[0], (*rows[1][:4], None, *rows[1][5:])])  # as Excel saves the sheet as CSV
    shown = f"inputs/returns/{B}/wessex-police.csv"

    code, printed = validate_printed(root, capsys)
    assert code == 0, printed
    assert (f"Action 3 has no row in {shown}, the workbook made for Wessex Police's updates: the row was deleted"
            ) in printed
    assert ("row 2, column 'Explanation / Link to meeting papers': Action 1: the explanation pre-filled as reported "
            "in October 2026 was deleted and nothing written in its place") in printed
    assert "saved as CSV" not in printed

    shutil.move(root / "outputs" / B / "returns", tmp_path / "elsewhere")
    code, printed = validate_printed(root, capsys)
    assert code == 0, printed
    assert (f"{shown} is laid out as the workbook made for Wessex Police, saved as CSV, which keeps no record of "
            "what the workbook was sent with; and no copy of the workbook made for Wessex Police for November 2026 "
            f"is in outputs/{B}/returns/ to compare it with. So whether an explanation it was pre-filled with, or "
            "an action's row, was deleted could not be checked") in printed
    assert "has no row in" not in printed and "was deleted and nothing written" not in printed

    write_csv(saved, [("Plan priority", "Status this reporting period", "Explanation / Link to meeting papers"),
                      (1, "In progress", "")])
    code, printed = validate_printed(root, capsys)
    assert "saved as CSV" not in printed and "has no row in" not in printed, printed
