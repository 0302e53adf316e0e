"""Personal data in a partner's words is said before the paper is published: `reportgen validate` and `build` warn
of each cell the paper prints that holds a named officer, a personal email address or phone number, a victim's
details, a vehicle registration, a case reference or a home address, with where it is and what to do; an
organisation's inbox, dates, money, page ranges and statutes are not said. Every workspace is made here and checked
from the command line; the draft's issues.csv and paper are read back."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest

from conftest import (
    ACTIONS,
    FULL_COVER,
    REGISTER_HEADINGS,
    SAMPLE,
    default_returns,
    make_workspace,
    needs_sample,
    write_xlsx,
)
from reportgen.check.personal_data import personal_data
from reportgen.shells.cli import main

RETURNS = "inputs/returns/2026-10"
HEADINGS = ("Ref", "Action", "Status", "Update", "Timeframe")  # as a partner wrote them, not ours


def _returns_with(texts: dict[int, str], timeframe: str = "Spring 2027") -> dict[str, list[tuple[object, ...]]]:
    """The default returns, under the partner's own headings, with `texts` as the explanations of those actions."""
    returns = default_returns()
    for rows in returns.values():
        rows[0] = HEADINGS
        for number, row in enumerate(rows[1:], start=1):
            ref = int(str(row[0]))
            rows[number] = (*row[:3], texts.get(ref, row[3]), timeframe if ref in texts else row[4])
    return returns


def _build(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, list[dict[str, str]]]:
    """`reportgen build` as typed: exit code, what it printed (lines unwrapped), and the draft's issues.csv rows."""
    code = main(["build", "--workspace", str(root), *options])
    printed = capsys.readouterr().out
    folder = Path(printed.strip().splitlines()[-1])
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as table:
        rows = [row for row in csv.DictReader(table) if row["code"] == "personal-data"]
    return code, " ".join(printed.split()), rows


def test_each_cell_holding_personal_data_is_a_warning_naming_what_and_where(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    texts = {1: "DS Jane Smith will lead; contact jane.smith@wessex.police.uk or 07700 900123.",
             2: "Victim AB (34) from Stevenage was supported; a 15-year-old girl from Watford was referred.",
             3: "Vehicle AB12 CDE was seized under crime reference 41/12345/23.",
             5: "The complainant lives at 14 Acacia Avenue, Hitchin SG5 1AB."}
    root = make_workspace(tmp_path / "ws", returns=_returns_with(texts))
    assert main(["validate", "--workspace", str(root)]) == 0  # a warning: published as is, but look
    printed = " ".join(capsys.readouterr().out.split())
    assert (f"{RETURNS}/wessex-police.xlsx warning sheet 'Return': Row 2, column 'Update': Action 1 holds what "
            "looks like personal data, a named person 'DS Jane Smith', an email address "
            "'jane.smith@wessex.police.uk' and a mobile number '07700 900123'; the paper publishes it as written."
            ) in printed
    assert "mark the action exempt in the register's Exempt column" in printed

    code, _, rows = _build(root, capsys)
    assert code == 0
    assert [(row["severity"], row["file"], row["sheet"], row["row"], row["column"], row["ref"], row["value"])
            for row in rows] == [
        ("warning", f"{RETURNS}/criminal-justice-board.xlsx", "Return", "2", "Update", "5", texts[5]),
        ("warning", f"{RETURNS}/opcc.xlsx", "Return", "2", "Update", "2", texts[2]),
        ("warning", f"{RETURNS}/wessex-police.xlsx", "Return", "2", "Update", "1", texts[1]),
        ("warning", f"{RETURNS}/wessex-police.xlsx", "Return", "3", "Update", "3", texts[3])]
    found = {row["ref"]: row["message"] for row in rows}
    assert "a victim's initials or age 'AB (34)' and an age and a place '15-year-old girl from Watford'" in found["2"]
    assert "a vehicle registration 'AB12 CDE' and a case or crime reference 'crime reference 41/12345/23'" in found["3"]
    assert "a house number and street '14 Acacia Avenue' and a postcode 'SG5 1AB'" in found["5"]


def test_a_timeframe_and_a_status_are_read_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    returns = _returns_with({}, timeframe="")
    rows = returns["opcc.xlsx"]
    rows[1] = (2, rows[1][1], "In progress", "On track.", "When Mr Patel is back (ring 01707 354200)")
    root = make_workspace(tmp_path / "ws", returns=returns)
    _, _, found = _build(root, capsys)
    assert [(row["row"], row["column"], row["message"]) for row in found] == [
        ("2", "Timeframe", "Row 2, column 'Timeframe': Action 2 holds what looks like personal data, a named person "
         "'Mr Patel' and a phone number '01707 354200'; the paper publishes it as written.")]


def test_an_exempt_action_is_not_published_so_not_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Develop a prevention strategy.", "9", "Yes"),
                (2, "", "OPCC", "Publish the commissioning plan.", "11", "No")]
    returns = {"wessex-police.xlsx": [HEADINGS, (1, "", "In progress", "DS Jane Smith leads it.", "2027")],
               "opcc.xlsx": [HEADINGS, (2, "", "In progress", "Ask Sgt Bob Hale.", "2027")]}
    root = make_workspace(tmp_path / "ws", returns=returns, register=register)
    _, _, public = _build(root, capsys)
    assert [row["ref"] for row in public] == ["2"]
    _, _, restricted = _build(root, capsys, "--edition", "restricted")
    assert [row["ref"] for row in restricted] == ["2"]  # the restricted edition is not published either


def test_the_paper_is_built_with_the_words_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A warning, not a guess: nothing is taken out of the partner's words without the officer."""
    text = "DS Jane Smith will lead."
    root = make_workspace(tmp_path / "ws", returns=_returns_with({1: text}))
    before = (root / RETURNS / "wessex-police.xlsx").read_bytes()
    code = main(["build", "--workspace", str(root)])
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0
    cells = [cell.text for table in docx.Document(str(folder / "paper.docx")).tables for row in table.rows
             for cell in row.cells]
    assert text in cells
    assert (root / RETURNS / "wessex-police.xlsx").read_bytes() == before


CLEAN = ["Meeting held on 27/01/2023; budget £1,500, (1,500) and 2,400 staff; 12.50 hours.",
         "Call 0800 555 111 or 0300 123 4567, or 101 and 999.",
         "Under section 31 of the Crime and Disorder Act 1998 (s.31); see pages 56- 57 and 9-10.",
         "Figures for 2022/23 and 2023-24, Q3 2023/24; WCAG 2.1 AA; COVID-19; the M25 and A414 near J21.",
         "An Inspector and 6 sergeants; the PCSO Team; the DS role; the Chief Constable attended.",
         "Email enquiries@hertscommissioner.org, opcc@herts.pnn.police.uk or ccsu.team@hertfordshire.gov.uk.",
         "ISO 27001 and BS 7858; 64,000 Crown Court cases; 15-23% of courts; a two-year pilot; 18-24 year olds.",
         "Crime data 2022/23; case 2022; see https://www.example.org/news/2023/01/07700900123.",
         "The 3 March St Albans meeting; D5 BWV cameras; HMICFRS (2022); PEEL 2021/22; 07:30-19:00.",
         "Barnardo's and Dr Barnardo's Homes; the Mr Motivator campaign; Sir Robert Peel's principles.",
         "Cllr Jane Doe chaired it; Dr Amie Birkhamshaw, Assistant Chief Executive, OPCC, presented it.",
         "Ring the council's switchboard on 0161 234 5000, or (01707) 806100 (switchboard)."]
SALTED = [("DS Jane Smith will lead", "a named person", "DS Jane Smith"),
          ("Detective Inspector Sam Patel", "a named person", "Detective Inspector Sam Patel"),
          ("Ask Mr O'Brien", "a named person", "Mr O'Brien"),
          ("write to j.smith@herts.police.uk.", "an email address", "j.smith@herts.police.uk"),
          ('<a href="mailto:tom.jones@example.com">Tom</a>', "an email address", "tom.jones@example.com"),
          ("ring 07700 900123", "a mobile number", "07700 900123"),
          ("Herts Police (07700 900123)", "a mobile number", "07700 900123"),
          ("on +44 (0)1707 354200", "a phone number", "+44 (0)1707 354200"),
          ("victim JS, aged 34, of Hitchin", "a victim's initials or age", "JS, aged 34, of Hitchin"),
          ("a 15 year old boy from Stevenage", "an age and a place", "15 year old boy from Stevenage"),
          ("registration number P123 ABC", "a vehicle registration", "registration number P123 ABC"),
          ("URN 41AB1234522 was charged", "a case or crime reference", "URN 41AB1234522"),
          ("CAD 1234 of 3 March", "a case or crime reference", "CAD 1234"),
          ("NI AB 12 34 56 C", "a National Insurance number", "AB 12 34 56 C"),
          ("DOB 12/03/1990", "a date of birth", "DOB 12/03/1990")]


@pytest.mark.parametrize("text", CLEAN)
def test_what_an_organisation_publishes_is_not_said(text: str) -> None:
    assert personal_data(text) == []


@pytest.mark.parametrize(("text", "kind", "found"), SALTED)
def test_what_identifies_a_person_is_said_as_written(text: str, kind: str, found: str) -> None:
    assert [(finding.kind, finding.text) for finding in personal_data(text)] == [(kind, found)]


@needs_sample
def test_the_2023_sample_is_told_nothing_and_a_cell_salted_with_a_name_is_said(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = shutil.copytree(SAMPLE, tmp_path / "s23")
    assert _build(root, capsys)[2] == []
    path = root / "inputs" / "returns" / "2023-02" / "hertfordshire-constabulary.xlsx"
    book = openpyxl.load_workbook(path)
    book["Return"]["D3"] = f"{book['Return']['D3'].value} DS Jane Smith will lead."
    book.save(path)
    rows = _build(root, capsys)[2]
    assert [(row["file"], row["row"], row["column"]) for row in rows] == [
        ("inputs/returns/2023-02/hertfordshire-constabulary.xlsx", "3", "Explanation / Link to meeting papers")]


def test_words_carried_forward_are_said_again_as_the_paper_publishes_them_again(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police sent nothing in October: September's words, a named officer among them, are carried into
    October's paper, and October's build says so, pointing at September's return."""
    root = make_workspace(tmp_path / "ws", period="2026-09", returns=_returns_with({1: "DS Jane Smith will lead."}))
    assert _build(root, capsys, "--period", "2026-09")[0] == 0
    for name, rows in _returns_with({}).items():
        if name != "wessex-police.xlsx":
            write_xlsx(root / "inputs" / "returns" / "2026-10" / name, rows)
    _, printed, rows = _build(root, capsys, "--period", "2026-10")
    assert [(row["file"], row["sheet"], row["row"], row["column"], row["ref"], row["message"]) for row in rows] == [
        ("inputs/returns/2026-09/wessex-police.xlsx", "Return", "2", "", "1",
         "Action 1's explanation, carried forward from inputs/returns/2026-09/wessex-police.xlsx as no update came "
         "this period, holds what looks like personal data, a named person 'DS Jane Smith'; the paper publishes it "
         "again.")]
    assert "ask the lead partner for an update without it" in printed
    paper = docx.Document(str(root / "outputs" / "2026-10" / "draft-01" / "paper.docx"))
    cells = [cell.text for table in paper.tables for row in table.rows
             for cell in row.cells]
    assert "DS Jane Smith will lead." in cells  # carried into October's paper, as the warning says


def test_a_comparison_says_the_personal_data_the_newer_draft_adds(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A reviewer comparing two drafts with `reportgen diff` is told what looks like personal data the newer one
    publishes that the older did not (in the summary printed, diff.html and diff.json), and where; what the older
    draft already printed is not said again."""
    root = make_workspace(tmp_path / "ws", returns=_returns_with({2: "Ask Sgt Bob Hale."}))
    old = Path(_build_quietly(root, capsys))
    returns = _returns_with({1: "DS Jane Smith will lead; ring 07700 900123.", 2: "Ask Sgt Bob Hale again."})
    for name, rows in returns.items():
        write_xlsx(root / RETURNS / name, rows)
    narrative = (root / "narrative.md").read_text(encoding="utf-8")
    (root / "narrative.md").write_text(narrative + "\nContact jo.bloggs@gmail.com with questions.\n", encoding="utf-8")
    new = Path(_build_quietly(root, capsys))

    assert main(["diff", str(old), str(new)]) == 0
    printed = capsys.readouterr().out
    folder = Path(printed.strip().splitlines()[-1])
    said_lines = [line.strip() for line in printed.splitlines()]
    start = said_lines.index("2 places where the newer draft adds what looks like personal data:")
    assert said_lines[start + 1:start + 3] == [
        "Action 1's Explanation: a named person 'DS Jane Smith' and a mobile number '07700 900123'",
        "the narrative: an email address 'jo.bloggs@gmail.com'"]
    assert "Bob Hale" not in printed.split("Counts:")[0]  # the older draft printed it already
    record = json.loads((folder / "diff.json").read_text(encoding="utf-8"))["diff"]
    assert record["personal_data"] == [
        {"place": "Action 1's Explanation",
         "found": "a named person 'DS Jane Smith' and a mobile number '07700 900123'"},
        {"place": "the narrative", "found": "an email address 'jo.bloggs@gmail.com'"}]
    html = " ".join((folder / "diff.html").read_text(encoding="utf-8").split())
    assert ('<p class="personal-data"><strong>The newer draft adds what looks like personal data. Action 1&#39;s '
            "Explanation: a named person "
            "&#39;DS Jane Smith&#39;") in html
    with pdfplumber.open(folder / "diff.pdf") as opened:
        pdf = " ".join(" ".join(page.extract_text() for page in opened.pages).split())
    assert "The newer draft adds what looks like personal data." in pdf


def _build_quietly(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    main(["build", "--workspace", str(root)])
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_the_register_narrative_and_cover_sheet_are_read_too(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What the secretariat writes is published as surely as a partner's words: a named officer in the register's
    action, a mobile number in the narrative and a personal email address on the cover sheet are each said where
    they are written; the paper's author named in submitted_by is not; an exempt action's register entry is not."""
    register = [(*REGISTER_HEADINGS, "Exempt"),
                *((*row, "No") for row in ACTIONS[:4]),
                (5, "Justice", "Criminal Justice Board", "Ask DI Tom Reed, 07712 345678, to measure file quality.",
                 "15", "No"),
                (6, "Justice", "OPCC", "Ask Sgt Bob Hale to lobby for court capacity.", "16", "Yes")]
    toml = FULL_COVER.replace('submitted_by = "Chief Executive, OPCC"',
                              'submitted_by = "Dr Amie Birkhamshaw, Assistant Chief Executive, OPCC"')
    toml = toml.replace('legal_implications = "None identified"',
                        'legal_implications = "Ask jo.bloggs@gmail.com"')
    narrative = "# Delivery\n\nOf the {{ total }} actions, most are on track.\n\nQuestions: Mark Jones, 07712 111222.\n"
    root = make_workspace(tmp_path / "ws", register=register, toml=toml, narrative=narrative)
    before = (root / "inputs" / "register.xlsx").read_bytes()
    _, printed, rows = _build(root, capsys)
    assert sorted((row["file"], row["sheet"], row["row"], row["column"], row["ref"], row["message"])
                  for row in rows) == [
        ("inputs/register.xlsx", "Register", "6", "Action", "5",
         "Row 6, column 'Action': Action 5's register entry holds what looks like personal data, a named person "
         "'DI Tom Reed' and a mobile number '07712 345678'; every paper publishes it as written."),
        ("narrative.md", "", "5", "", "",
         "Line 5: the narrative holds what looks like personal data, a named person 'Mark Jones' and a mobile number "
         "'07712 111222'; every edition publishes it as written."),
        ("reportgen.toml", "", "", "legal_implications", "",
         "The cover sheet's 'LEGAL IMPLICATIONS' holds what looks like personal data, an email address "
         "'jo.bloggs@gmail.com'; every edition publishes it as written.")]
    assert "take it out of the register" in printed and "take it out of [paper] in reportgen.toml" in printed
    assert (root / "inputs" / "register.xlsx").read_bytes() == before


@needs_sample
def test_organisations_lines_office_holders_and_named_charities_are_not_said_in_the_sample(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The 2023 sample's returns salted as partners write: a council's switchboard, the OPCC's main line, a
    councillor and an office holder by role, a charity and a campaign named after a person are not said (a warning the
    officer learns to ignore is worse than none); a mobile, a direct line and a named officer beside them still are,
    each as written, and so is a name with no title given with a person's own number."""
    root = shutil.copytree(SAMPLE, tmp_path / "s23")
    salted = {
        "opcc.xlsx": {
            "D3": "Delivered with Dr Barnardo's; the Sir Robert Peel principles and the Mr Motivator campaign.",
            "D4": "Call Hertfordshire County Council's switchboard on 01992 555555 or the OPCC main line on "
                  "01707 806100; Manchester's model (switchboard 0161 234 5000) was reviewed.",
            "D5": "Cllr Jane Doe, Executive Member for Community Safety, and Dr Amie Birkhamshaw, Assistant Chief "
                  "Executive, chaired the board."},
        "hertfordshire-constabulary.xlsx": {
            "D3": "Ask DI Tom Reed (07712 345678) to lead; Herts Police on 07700 900123 is Jane's phone.",
            "D4": "Contact Priya Shah on 01707 354 218."}}
    for name, cells in salted.items():
        path = root / "inputs" / "returns" / "2023-02" / name
        book = openpyxl.load_workbook(path)
        for cell, text in cells.items():
            book["Return"][cell] = text
        book.save(path)
    rows = _build(root, capsys)[2]
    found = {(row["file"].rpartition("/")[2], row["row"]): row["message"].split("personal data, ")[1]
             for row in rows}
    assert found == {
        ("hertfordshire-constabulary.xlsx", "3"): "a named person 'DI Tom Reed', a mobile number '07712 345678' and a "
                                                  "mobile number '07700 900123'; the paper publishes it as written.",
        ("hertfordshire-constabulary.xlsx", "4"): "a named person 'Priya Shah' and a phone number '01707 354 218'; the "
                                                  "paper publishes it as written."}
