"""A register keeping its sections otherwise than in a column headed "Section": under a heading that means
sections ("Priority area"), in a column that looks like one ("Objective"), or in rows holding only a
section's name above its actions. Each register is written here as an office writes it, checked and built
from the command line, and the paper, the web edition and a pre-filled return workbook are read back."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from lxml import html

from conftest import make_workspace
from reportgen.issues import Issue
from reportgen.run.build import validate_draft
from reportgen.shells.cli import main

PERIOD = "2026-10"
SECTIONS = ("Prevention & Early Intervention", "Victims' Voice", "Fair Justice")
LEADS = ("OPCC", "Wessex Police", "Wessex Council")
ACTIONS_TOML = '\n[register.columns]\naction = { aliases = ["Action description"] }\n'


def _actions() -> list[tuple[int, str, str, str]]:
    """30 actions, 10 in each section: (ref, section, lead, action)."""
    return [(ref, SECTIONS[(ref - 1) // 10], LEADS[ref % 3], f"Deliver commitment {ref}.") for ref in range(1, 31)]


def _workspace(root: Path, register: Sequence[Sequence[object]], toml: str = "") -> Path:
    """A workspace with the office's own register (no partner has sent a return yet)."""
    root = make_workspace(root, register=register, returns={})
    with (root / "reportgen.toml").open("a", encoding="utf-8") as settings:
        settings.write(toml)
    return root


def _banner_register(path: Path, notes: Sequence[str] = ()) -> None:
    """The register as many offices lay it out: no section column, each section's name on a row of its own,
    merged across the table, above its actions; `notes` under the last action."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Register"
    sheet.append(["Ref", "Action description", "Lead", "Target date"])
    for ref, section, lead, text in _actions():
        if ref % 10 == 1:
            sheet.append([section])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=4)
        sheet.append([ref, text, lead, datetime.date(2027, 3, 31)])
    for note in notes:
        sheet.append([note])
    book.save(path)


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, list[Issue]]:
    """`reportgen validate --all` as typed (what it printed, lines unwrapped), and its issues."""
    main(["validate", "--workspace", str(root), "--all"])
    printed = " ".join(capsys.readouterr().out.split())
    return printed, list(validate_draft(root).issues)


def _of(issues: list[Issue], *codes: str) -> list[Issue]:
    return [item for item in issues if item.code in codes]


def _paper_sections(root: Path) -> tuple[str, list[str], list[str]]:
    """`reportgen build`: the PDF's text, the DOCX plan table's section rows and the web edition's."""
    main(["build", "--workspace", str(root), "--period", PERIOD])
    draft = root / "outputs" / PERIOD / "draft-01"
    with pdfplumber.open(draft / "paper.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    table = docx.Document(str(draft / "paper.docx")).tables[-1]
    in_docx = [row.cells[0].text for row in table.rows if len(row._tr.tc_lst) == 1]  # one cell across the table
    page = html.parse(str(draft / "paper.html")).getroot()
    in_html = [" ".join(th.text_content().split()) for th in page.xpath("//tr[contains(@class, 'section')]/th")]
    return text, in_docx, in_html


def _workbook_sections(root: Path, tmp_path: Path) -> dict[int, str]:
    """`reportgen returns`: OPCC's pre-filled workbook's Section column, by action."""
    out = tmp_path / "workbooks"
    assert main(["returns", "--workspace", str(root), "--period", PERIOD, "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out / "opcc.xlsx")["Return"]
    rows = list(sheet.iter_rows(values_only=True))
    at = rows[0].index("Section")
    return {row[0]: row[at] for row in rows[1:] if isinstance(row[0], int)}


def _expected_sections() -> dict[int, str]:
    return {ref: section for ref, section, lead, _text in _actions() if lead == "OPCC"}


# ---------------------------------------------------------------- a column of sections headed otherwise


def test_a_register_headed_priority_area_has_its_sections_in_the_paper_and_the_workbooks(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new OPCC's register headed "Ref, Priority area, Action description, Lead, Target date": its sections
    were a column "not read", with advice to show it as a [[register.extra]], which gave a paper with no
    section headings and workbooks with an empty Section column. "Priority area" is read as the sections, and
    a note says so, with how to stop it."""
    register = [("Ref", "Priority area", "Action description", "Lead", "Target date"),
                *((ref, section, text, lead, "March 2027") for ref, section, lead, text in _actions())]
    root = _workspace(tmp_path / "ws", register, ACTIONS_TOML)
    printed, issues = _validate(root, capsys)
    assert [item.column for item in _of(issues, "register-column-unread")] == ["Target date"]
    [said] = _of(issues, "register-section-column")
    assert (said.severity, said.row, said.column) == ("info", 1, "Priority area")
    assert said.message.startswith("The register's sections are read from its column 'Priority area'")
    assert 'section = { not_aliases = ["Priority area"] }' in said.advice
    assert 'heading = "Priority area"' not in printed  # the advice to show it as a further column
    text, in_docx, in_html = _paper_sections(root)
    assert all(section in text for section in SECTIONS)
    assert in_docx == in_html == list(SECTIONS)
    assert _workbook_sections(root, tmp_path) == _expected_sections()


def test_a_column_that_holds_sections_under_another_heading_is_advised_as_the_section_column(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A register with its sections under "Objective" (a heading that may also hold each action's aim, so not
    read as sections by its name): the advice was a [[register.extra]], which heads no section. A column of a
    few values, each over a run of rows, is advised as the section column, with the reportgen.toml line;
    following it gives the paper its sections. A column of each action's own words, or of dates, is not."""
    register = [("Ref", "Objective", "Action description", "Lead", "Aim", "Target date"),
                *((ref, section, text, lead, f"Aim {ref}", datetime.date(2027, 3, 31))
                  for ref, section, lead, text in _actions())]
    root = _workspace(tmp_path / "ws", register, ACTIONS_TOML)
    printed, issues = _validate(root, capsys)
    unread = {item.column: item for item in _of(issues, "register-column-unread")}
    assert unread["Objective"].message == (
        "Column 'Objective' of the register is not a column reportgen reads, and the register has no section "
        "column: it holds 3 values, each over a run of rows, as a column of sections does.")
    assert unread["Objective"].advice.startswith(
        'If it holds the plan\'s sections, name it in reportgen.toml under [register.columns]: section = '
        '{ aliases = ["Objective"] }')
    assert "[[register.extra]]" not in unread["Objective"].advice
    assert all("[[register.extra]]" in unread[heading].advice for heading in ("Aim", "Target date"))
    assert 'section = { aliases = ["Objective"] }' in printed
    with (root / "reportgen.toml").open("a", encoding="utf-8") as settings:
        settings.write('section = { aliases = ["Objective"] }\n')
    _printed, issues = _validate(root, capsys)
    assert not _of(issues, "register-section-column")  # named in reportgen.toml: nothing guessed to say
    assert "Objective" not in [item.column for item in _of(issues, "register-column-unread")]
    _text, in_docx, _in_html = _paper_sections(root)
    assert in_docx == list(SECTIONS)


# ---------------------------------------------------------------- rows naming the sections


def test_rows_holding_only_a_sections_name_head_the_actions_under_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each section's name on a merged row above its actions, and no section column: each row was a note
    ("write … its update beside it"), and the paper had no sections, though nothing blocked it. Those rows
    head the sections now, said once; a note under the last action stays a note, its advice a register's."""
    root = _workspace(tmp_path / "ws", [("Plan priority",)], ACTIONS_TOML)
    _banner_register(root / "inputs" / "register.xlsx", notes=["Signed off by J Smith, 20/10/2026"])
    printed, issues = _validate(root, capsys)
    [said] = _of(issues, "section-rows")
    assert (said.severity, said.row, said.column) == ("info", 2, "Ref")
    assert said.message == (
        "The register has no section column: rows 2, 13 and 24, holding only a name ('Prevention & Early "
        "Intervention', 'Victims' Voice' and 'Fair Justice'), head its sections, each over the actions under "
        "it, in the register's order.")
    [note] = _of(issues, "note-row")
    assert (note.row, note.value) == (35, "Signed off by J Smith, 20/10/2026")
    assert "update" not in note.advice and "its action and lead beside it" in note.advice
    assert "head its sections" in printed
    text, in_docx, in_html = _paper_sections(root)
    assert all(section in text for section in SECTIONS)
    assert in_docx == in_html == list(SECTIONS)
    assert _workbook_sections(root, tmp_path) == _expected_sections()


def test_a_row_naming_a_section_in_a_register_with_a_section_column_stays_a_note(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With a section column, a row holding only a name is a note, and says the sections are read from that
    column; its advice never asks for an update, which a register does not hold."""
    register = [("Plan priority", "Section", "Lead", "Action"), ("Safer streets",),
                *((ref, section, lead, text) for ref, section, lead, text in _actions()[:4]),
                ("Victims",), *((ref, section, lead, text) for ref, section, lead, text in _actions()[4:8])]
    root = _workspace(tmp_path / "ws", register)
    _printed, issues = _validate(root, capsys)
    assert not _of(issues, "section-rows")
    notes = _of(issues, "note-row")
    assert [(item.row, item.value) for item in notes] == [(2, "Safer streets"), (7, "Victims")]
    assert notes[0].advice.startswith("Nothing to do if it is a note: the register's sections are read from its "
                                      "column 'Section'")
    assert all("update" not in item.advice for item in notes)


def test_a_section_of_exempt_actions_only_is_not_named_in_the_public_edition(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A row heading only exempt actions names what the public paper leaves out: the note naming the rows
    read as section headings names it apart, about one of those actions, so the public edition withholds it."""
    register: list[tuple[object, ...]] = [("Ref", "Action description", "Lead", "Exempt")]
    for name, refs, exempt in (("Safer Streets", (1, 2), "No"), ("Covert Operations", (3, 4), "Yes"),
                               ("Victims", (5, 6), "No")):
        register += [(name,), *((ref, f"Deliver commitment {ref}.", "OPCC", exempt) for ref in refs)]
    root = _workspace(tmp_path / "ws", register, ACTIONS_TOML)
    _printed, issues = _validate(root, capsys)
    restricted = list(validate_draft(root, edition="restricted").issues)
    assert [(item.row, item.value, item.ref) for item in _of(restricted, "section-rows")] == [
        (2, "Safer Streets | Victims", None), (5, "Covert Operations", 3)]
    assert not any("Covert Operations" in f"{item.message} {item.value}" for item in issues)


def test_a_further_column_holding_the_sections_is_advised_as_the_section_column(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An office that followed the earlier advice shows its "Priority area" as a [[register.extra]]: the paper
    printed it in a column of its own and headed no section. A note says that column holds what sections do,
    and the line that reads it as them; following it gives the paper its sections."""
    register = [("Ref", "Priority area", "Action description", "Lead"),
                *((ref, section, text, lead) for ref, section, lead, text in _actions())]
    extra = ('\n[[register.extra]]\nkey = "area"\nheading = "Priority area"\n')
    root = _workspace(tmp_path / "ws", register, ACTIONS_TOML + extra)
    printed, issues = _validate(root, capsys)
    [said] = _of(issues, "extra-looks-like-sections")
    assert (said.severity, said.column) == ("info", "Priority area")
    assert said.message.startswith("Column 'Priority area' of the register, read as [[register.extra]] area, holds "
                                   "3 values, each over a run of rows, as a column of sections does")
    assert ('replace that [[register.extra]] in reportgen.toml with this line under [register.columns]: section = '
            '{ aliases = ["Priority area"] }') in said.advice
    assert 'section = { aliases = ["Priority area"] }' in printed
    settings = (root / "reportgen.toml").read_text(encoding="utf-8")
    (root / "reportgen.toml").write_text(settings.replace(extra, "\n").replace(
        ACTIONS_TOML, ACTIONS_TOML + 'section = { aliases = ["Priority area"] }\n'), encoding="utf-8")
    _printed, issues = _validate(root, capsys)
    assert not _of(issues, "extra-looks-like-sections", "register-column-unread")
    _text, in_docx, _in_html = _paper_sections(root)
    assert in_docx == list(SECTIONS)


# ---------------------------------------------------------------- a section typed on the first row of its group


def test_a_section_typed_only_on_the_first_row_of_its_group_is_warned_of_and_its_actions_keep_their_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A register whose sections were merged cells, unmerged: each section is typed on its group's first row
    only. Nothing was said, and the paper gathered the actions with an empty cell into one group, so actions 5
    and 6 were printed above the heading of their own section. Each run of them is now named in a warning (its
    rows, its actions, the section above them, what the paper does) and keeps its place in the paper. The
    plan's opening action, before any section, is in no section's run: not warned of, and given no heading."""
    sections = ("", "Victims", "", "", "Safer communities", "", "")
    register = [("Ref", "Section", "Action description", "Lead"),
                *((ref, section, f"Deliver commitment {ref}.", "OPCC") for ref, section in enumerate(sections, 1))]
    root = _workspace(tmp_path / "ws", register, ACTIONS_TOML)
    printed, issues = _validate(root, capsys)
    blank = _of(issues, "section-left-blank")
    assert [(item.severity, item.row, item.column, item.value) for item in blank] == [
        ("warning", 4, "Section", "Victims"), ("warning", 7, "Section", "Safer communities")]
    assert blank[1].message == (
        "The register's 'Section' cell is empty on rows 7 and 8 (actions 6 and 7), below the section "
        "'Safer communities' of row 6: a section typed on the first row of its group only is not carried down, "
        "so the paper shows these actions where they stand in the register, under a heading of their own, "
        "'No section', not under 'Safer communities'.")
    assert blank[1].advice.startswith("Type the section in the 'Section' cell of each of these rows")
    assert "rows 4 and 5 (actions 3 and 4)" in printed
    _text, in_docx, in_html = _paper_sections(root)
    assert in_docx == in_html == ["Victims", "No section", "Safer communities", "No section"]
    table = docx.Document(str(root / "outputs" / PERIOD / "draft-01" / "paper.docx")).tables[-1]
    assert [row.cells[0].text for row in table.rows[1:]] == [
        "1", "Victims", "2", "No section", "3", "4", "Safer communities", "5", "No section", "6", "7"]

