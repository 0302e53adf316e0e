"""Cover values that follow the period; the next meeting from a list; action text cleaned of HTML."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pypdf
import pytest

from conftest import (
    ACTIONS,
    REGISTER_HEADINGS,
    ROOT,
    SAMPLE,
    benchmark_workspace,
    copy_example,
    default_returns,
    element_text,
    make_workspace,
    marked_content_problems,
    marked_pages,
    needs_sample,
    pdf_problems,
    table_parts,
    tagged_tables,
    tagged_text,
)
from reportgen.paper.cover import fill_in, meeting_date
from reportgen.render.pdf.parallel import MIN_PARTS_ITEMS
from reportgen.run.build import build_draft, validate_draft
from reportgen.settings import PaperSettings
from reportgen.shells.cli import main

TOML = """\
[paper]
meeting = "Police and Crime Panel"
meetings = [2026-09-03, 2026-11-05, 2027-01-14]
title = "Delivery Update ({period:%B %Y})"
subtitle = "Report for the Panel, {date:%B %Y}"
purpose = "Progress to the end of {period}; braces {like this} stay."
"""


def cover_table(path: Path) -> dict[str, str]:
    table = docx.Document(str(path)).tables[0]
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def test_fill_in() -> None:
    day = dt.date(2026, 11, 5)
    assert fill_in("Update ({period:%B %Y})", "2026-10", day) == "Update (October 2026)"
    assert (fill_in("{period} / {date} / {date:%d/%m/%Y}", "2026-10", day)
            == "October 2026 / 05 November 2026 / 05/11/2026")
    assert fill_in("{other} {period:%Q", "2026-10", day) == "{other} {period:%Q"
    assert fill_in("Panel {date:%B %Y}", "2026-10", None) == "Panel "


def test_the_next_meeting_after_the_period() -> None:
    paper = PaperSettings(meetings=(dt.date(2027, 1, 14), dt.date(2026, 11, 5), dt.date(2026, 10, 31)),
                          date=dt.date(2026, 1, 1))
    assert meeting_date(paper, "2026-10") == dt.date(2026, 11, 5)  # 31 October is in the period, not after
    assert meeting_date(paper, "2026-12") == dt.date(2027, 1, 14)
    assert meeting_date(paper, "2027-02") == dt.date(2026, 1, 1)  # none after: the fixed date


def test_cover_follows_the_period_in_both_documents(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period="2026-10", toml=TOML)
    shutil.copytree(root / "inputs" / "returns" / "2026-10", root / "inputs" / "returns" / "2026-12")
    for period, month, meeting in (("2026-10", "October 2026", "05 November 2026"),
                                   ("2026-12", "December 2026", "14 January 2027")):
        result = build_draft(root, period)
        cover = cover_table(result.folder / "paper.docx")
        assert cover["TITLE OF REPORT"] == f"Delivery Update ({month})"
        assert cover["DATE"] == meeting
        assert cover["PURPOSE OF REPORT"] == f"Progress to the end of {month}; braces {{like this}} stay."
        assert result.paper.subtitle == f"Report for the Panel, {meeting[3:]}"
        first = pypdf.PdfReader(result.folder / "paper.pdf").pages[0].extract_text() or ""
        assert f"Delivery Update ({month})" in first and meeting in first
        assert not [i for i in result.issues if i.code == "meeting-date"]


def test_a_meeting_before_the_period_is_a_warning(tmp_path: Path) -> None:
    toml = '[paper]\ntitle = "Plan"\ndate = 2026-09-01\n'
    root = make_workspace(tmp_path / "ws", period="2026-10", toml=toml)
    found = [i for i in validate_draft(root).issues if i.code == "meeting-date"]
    assert [(i.severity.value, i.column, i.value) for i in found] == [("warning", "date", "2026-09-01")]
    listed = '[paper]\ntitle = "Plan"\nmeetings = [2026-07-02, 2026-09-03]\n'
    (root / "reportgen.toml").write_text(listed, encoding="utf-8")
    found = [i for i in validate_draft(root).issues if i.code == "meeting-date"]
    assert len(found) == 1 and "no meeting after October 2026" in found[0].message



def test_returns_for_a_period_after_the_meeting_warn_of_it_as_validate_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After February 2023's build, `reportgen returns --period 2023-03` wrote March's workbooks (their deadline
    counted back from the meeting) and said nothing of the meeting date, 2 February 2023, being before March, while
    `validate --period 2023-03` warned of it. `returns` says it too, in the same words."""
    toml = '[paper]\ntitle = "Plan"\ndate = 2026-11-05\n\n[returns]\ndays_before_meeting = 10\n'
    root = make_workspace(tmp_path / "ws", period="2026-10", toml=toml)
    shutil.copytree(root / "inputs" / "returns" / "2026-10", root / "inputs" / "returns" / "2026-12")
    said = ("reportgen.toml: the meeting date 05 November 2026 is before the period December 2026; the cover sheet "
            "would show it.")
    assert main(["validate", "--workspace", str(root), "--period", "2026-12"]) == 0
    assert said in " ".join(capsys.readouterr().out.split())
    assert main(["returns", "--workspace", str(root), "--period", "2026-12", "--out", str(tmp_path / "out")]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert f"reportgen.toml warning setting 'date': {said}" in printed, printed
    assert main(["returns", "--workspace", str(root), "--period", "2026-10", "--out", str(tmp_path / "oct")]) == 0
    assert "is before the period" not in capsys.readouterr().out  # a meeting after the period: nothing to say


def test_a_date_set_beside_meetings_and_not_used_is_a_warning(tmp_path: Path) -> None:
    """An officer moving a rescheduled meeting by adding `date = 2026-11-12` under `meetings`: the cover kept the
    listed 5 November, and nothing was said. Said now; `date` as the fallback it is (no meeting after) is not."""
    toml = '[paper]\ntitle = "Plan"\nmeetings = [2026-11-05, 2027-01-14]\ndate = 2026-11-12\n'
    root = make_workspace(tmp_path / "ws", period="2026-10", toml=toml)
    [found] = [i for i in validate_draft(root).issues if i.code == "meeting-date"]
    assert (found.severity.value, found.column, found.value) == ("warning", "date", "2026-11-12")
    assert found.message == ("reportgen.toml: date = 12 November 2026 is not the meeting the paper goes to: [paper] "
                             "meetings comes first, and its first meeting after October 2026 is 05 November 2026, "
                             "which the cover sheet shows.")
    assert found.advice.startswith("If the meeting has moved, change it in meetings")
    fallback = '[paper]\ntitle = "Plan"\nmeetings = [2026-09-03]\ndate = 2026-11-12\n'  # used: no meeting after
    (root / "reportgen.toml").write_text(fallback, encoding="utf-8")
    found_now = [i for i in validate_draft(root).issues if i.code == "meeting-date"]
    assert [i.column for i in found_now] == ["meetings"]  # "no meeting after October 2026", as before


def test_action_text_html_is_cleaned_like_explanations(tmp_path: Path) -> None:
    register = [REGISTER_HEADINGS, *ACTIONS[:-1],
                (6, "Justice", "OPCC", "<p>Investigate the viability of a <b>court</b> hub.</p><p>Second part.</p>",
                 "16")]
    root = make_workspace(tmp_path / "ws", register=register, returns=default_returns())
    result = build_draft(root)
    row = next(r for r in result.paper.rows if r.ref == 6)
    assert row.action == "Investigate the viability of a court hub.\nSecond part."
    assert [b.text for b in row.cell("action").rich] == ["Investigate the viability of a court hub.", "Second part."]
    table = docx.Document(str(result.folder / "paper.docx")).tables[-1]
    cell = next(r.cells[1] for r in table.rows if r.cells[0].text == "6")
    assert [p.text for p in cell.paragraphs] == ["Investigate the viability of a court hub.", "Second part."]
    assert any(run.bold for p in cell.paragraphs for run in p.runs if run.text == "court")
    text = "".join(page.extract_text() or "" for page in pypdf.PdfReader(result.folder / "paper.pdf").pages)
    assert "<p>" not in text and "Investigate the viability of a court hub." in text


@needs_sample
def test_sample_action_142_has_no_tags(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    paper = validate_draft(root).paper
    row = next(r for r in paper.rows if r.ref == 142)
    assert row.action.startswith("Investigate the viability") and "<" not in row.action


@pytest.mark.parametrize("deadline", ["", "deadline = 2026-10-24\n"])
def test_cover_settings_keep_working_without_meetings(tmp_path: Path, deadline: str) -> None:
    toml = f'[paper]\ntitle = "Plan"\ndate = 2026-11-05\n[returns]\n{deadline}'
    root = make_workspace(tmp_path / "ws", toml=toml)
    assert validate_draft(root).paper.date == "05 November 2026"


OWN_ROWS = TOML + '''\
submitted_by = "Chief Executive, OPCC"
legal_implications = "None"
equalities_impacts = "None identified"
cover_leave_out = ["legal_implications"]
cover_headings = { equalities_impacts = "EQUALITY IMPACT" }

[[paper.cover]]
heading = "CONTACT OFFICER"
value = """Jo Harding, Head of Strategy
jo.harding@example.org"""
after = "submitted_by"

[[paper.cover]]
heading = "BACKGROUND PAPERS"
value = "Panel report of {date:%B %Y}"

[[paper.cover]]
heading = "APPENDICES"
value = "None"

[[paper.cover]]
heading = "AGENDA ITEM"
value = "7"
before = "meeting"
'''
OWN_COVER = [
    ("AGENDA ITEM", "7"), ("MEETING", "Police and Crime Panel"), ("DATE", "05 November 2026"),
    ("TITLE OF REPORT", "Delivery Update (October 2026)"), ("SUBMITTED BY", "Chief Executive, OPCC"),
    ("CONTACT OFFICER", "Jo Harding, Head of Strategy\njo.harding@example.org"),
    ("PURPOSE OF REPORT", "Progress to the end of October 2026; braces {like this} stay."),
    ("DECISION(S) REQUIRED", ""), ("FINANCIAL IMPLICATIONS", ""), ("RISK IMPLICATIONS", ""),
    ("EQUALITY IMPACT", "None identified"),
    ("FREEDOM OF INFORMATION EXEMPTION SECTION IF APPLICABLE", "Not Exempt"),
    ("BACKGROUND PAPERS", "Panel report of November 2026"), ("APPENDICES", "None"),
]


def html_cover(path: Path) -> list[tuple[str, str]]:
    table = re.search(r'<table class="cover"[^>]*>(.*?)</table>', path.read_text(encoding="utf-8"), re.DOTALL)
    assert table is not None
    return [(html.unescape(label), html.unescape(value)) for label, value in re.findall(
        r'<th scope="row"[^>]*>(.*?)</th><td[^>]*>(.*?)</td>', table[1], re.DOTALL)]


def test_cover_rows_of_the_panels_own_in_every_edition(tmp_path: Path) -> None:
    """An officer's Panel has its agenda item first, a contact officer, background papers and appendices on its
    cover, no legal implications row, and says "Equality impact": reportgen.toml says so (a row of its own could
    only go after another, never first), and the Word paper, the PDF (a
    table whose labels are row headers) and the web edition show those rows, in that order, lines kept."""
    root = make_workspace(tmp_path / "ws", period="2026-10", toml=OWN_ROWS)
    result = build_draft(root, "2026-10")
    assert [(row.label, row.value) for row in result.paper.cover] == OWN_COVER
    table = docx.Document(str(result.folder / "paper.docx")).tables[0]
    assert [(row.cells[0].text, row.cells[1].text) for row in table.rows] == OWN_COVER
    assert html_cover(result.folder / "paper.html") == OWN_COVER
    with pdfplumber.open(result.folder / "paper.pdf") as pdf:
        drawn = pdf.pages[0].extract_tables()[0]
    assert [(" ".join(label.split()), value) for label, value in drawn] == OWN_COVER
    with pikepdf.open(result.folder / "paper.pdf") as pdf:
        cover = next(iter(_tables(pdf.Root.StructTreeRoot)))
        rows = [row for part in table_parts(cover) for row in ([part] if part.S == "/TR" else _kids(part))]
        first_cells = [_kids(row)[0] for row in rows]
    assert len(rows) == len(OWN_COVER)
    assert all(cell.S == "/TH" and cell.A.Scope == "/Row" for cell in first_cells)


def _tables(node: pikepdf.Object) -> Iterator[pikepdf.Object]:
    if node.get("/S") == "/Table":
        yield node
        return
    for kid in _kids(node):
        yield from _tables(kid)


def _kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    kids = node.get("/K")
    return [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
            if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def test_a_template_restyled_before_the_panels_own_rows_shows_them(tmp_path: Path) -> None:
    """The secretariat restyled its Word template long ago; its cover loop lays out the new rows too."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_theme_pictures import logo_png, restyle

    root = make_workspace(tmp_path / "ws", period="2026-10", toml=OWN_ROWS)
    (root / "templates").mkdir()
    restyle(ROOT / "templates" / "paper.docx", root / "templates" / "paper.docx", logo_png())
    result = build_draft(root, "2026-10")
    table = docx.Document(str(result.folder / "paper.docx")).tables[0]
    assert [(row.cells[0].text, row.cells[1].text) for row in table.rows] == OWN_COVER


@pytest.mark.parametrize(("cover", "told"), [
    ('[[paper.cover]]\nheading = " "\nvalue = "Jo Harding"\n',
     "[[paper.cover]] number 1 (value 'Jo Harding') has no heading"),
    ('[[paper.cover]]\nvalue = "Jo Harding"\n', "paper.cover (the 1st).heading: missing: each such table needs it"),
    ('[[paper.cover]]\nheading = "Appendices"\n[[paper.cover]]\nheading = "APPENDICES"\n',
     "[[paper.cover]] number 2 is headed 'APPENDICES', as the cover sheet's row 'Appendices' is already"),
    ('[[paper.cover]]\nheading = "Meeting"\n',
     "[[paper.cover]] number 1 is headed 'Meeting', as the cover sheet's row 'MEETING' is already"),
    ('[[paper.cover]]\nheading = "Appendices"\nvalue = 2\n',
     'paper.cover (the 1st).value: 2 is not text; write text in quotes, e.g. "2"'),
    ('[[paper.cover]]\nheading = "Report date"\nvalue = 2026-11-05\n',
     'paper.cover (the 1st).value: 2026-11-05 is not text; write text in quotes, e.g. "2026-11-05"'),
    ('[[paper.cover]]\nheading = "Appendices"\nvalu = "None"\n',
     "paper.cover (the 1st).valu: unknown key (did you mean 'value'?)"),
    ('[[paper.cover]]\nheading = "Contact"\nafter = "submited_by"\n',
     "[[paper.cover]] number 1 goes after 'submited_by', which is no row above it: give a built-in row's key "
     "(meeting, date,"),
    ('[[paper.cover]]\nheading = "Item"\nbefore = "meting"\n',
     "[[paper.cover]] number 1 goes before 'meting', which is no row above it"),
    ('[[paper.cover]]\nheading = "Item"\nbefore = "meeting"\nafter = "date"\n',
     "[[paper.cover]] number 1 ('Item') is placed both after 'date' and before 'meeting': give one"),
    ('cover_leave_out = ["legal"]\n', "'legal' is not one (they are meeting, date, title,"),
    ('cover_headings = { equalities_impacts = "" }\n',
     "cover_headings gives 'equalities_impacts' an empty heading; to leave a row out of the cover sheet, list "
     "its key in cover_leave_out"),
    ('cover_leave_out = ["legal_implications"]\n[[paper.cover]]\nheading = "Contact"\nafter = "legal_implications"\n',
     "goes after 'legal_implications', which cover_leave_out leaves out"),
])
def test_a_mistyped_cover_row_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], cover: str,
                                                 told: str) -> None:
    """`reportgen validate` names the row and says what to write; nothing is built or guessed."""
    from reportgen.shells.cli import main

    root = make_workspace(tmp_path / "ws", period="2026-10", toml=TOML + cover)
    assert main(["validate", "--workspace", str(root)]) == 1
    error = " ".join(capsys.readouterr().err.split())
    assert told in error
    assert "Traceback" not in error and not (root / "outputs").exists()


def test_a_restricted_cover_without_its_exemption_row_is_a_warning(tmp_path: Path) -> None:
    toml = TOML + 'cover_leave_out = ["foi_exemption"]\n'
    register = [(*REGISTER_HEADINGS, "Exempt"), *((*row, "Yes" if row[0] == 2 else "No") for row in ACTIONS)]
    root = make_workspace(tmp_path / "ws", period="2026-10", toml=toml, register=register)
    found = [i for i in validate_draft(root, edition="restricted").issues if i.code == "restricted-cover-not-exempt"]
    assert [(i.column, i.value) for i in found] == [("cover_leave_out", "foi_exemption")]
    assert "has no Freedom of Information exemption row" in found[0].message
    own = toml + '[[paper.cover]]\nheading = "Exempt information"\nvalue = "Schedule 12A, paragraph 7"\n'
    (root / "reportgen.toml").write_text(own, encoding="utf-8")
    assert not [i for i in validate_draft(root, edition="restricted").issues
                if i.code == "restricted-cover-not-exempt"]


def _cover_said(root: Path) -> list[tuple[str, str, str]]:
    found = [i for i in validate_draft(root, "2026-10").issues if i.code.startswith("cover-")]
    return [(i.code, i.column, i.message) for i in found]


def test_a_cover_sheet_left_unfinished_is_said(tmp_path: Path) -> None:
    """An officer's reportgen.toml with no title, date or 'submitted by': the build said 'No errors or warnings'
    and the cover printed blank DATE and SUBMITTED BY rows under the title 'Delivery Plan', which nobody chose.
    Rows that say what the paper is are warnings; so are the other empty rows and a Panel row with no value, and
    a Freedom of Information exemption the file does not set."""
    root = make_workspace(tmp_path / "ws", toml='[paper]\nmeeting = "Police and Crime Panel"\n'
                          'purpose = "To update the Panel."\n[[paper.cover]]\nheading = "Contact officer"\n')
    said = _cover_said(root)
    assert said[:2] == [
        ("cover-empty", "date, submitted_by", "reportgen.toml: the cover sheet's 'DATE', 'SUBMITTED BY' would be "
                                              "printed empty."),
        ("cover-empty", "title", "reportgen.toml: [paper] sets no title, so the paper is titled 'Delivery Plan'.")]
    assert said[2][:2] == ("cover-empty", "foi_exemption")
    [(code, _column, message)] = said[3:]
    assert code == "cover-row-empty"
    assert "'DECISION(S) REQUIRED'" in message and "'Contact officer'" in message and "PURPOSE" not in message
    assert {i.severity.value for i in validate_draft(root, "2026-10").issues if i.code.startswith("cover-")} == {
        "warning"}

    root = make_workspace(tmp_path / "full", toml=(ROOT / "reportgen.toml").read_text(encoding="utf-8"))
    assert _cover_said(root) == []


def _example_without(tmp_path: Path, *keys: str) -> Path:
    """The example workspace with the [paper] lines of `keys` deleted, as an officer deletes them."""
    workspace = copy_example(tmp_path / "ws")
    settings = workspace / "reportgen.toml"
    kept = [line for line in settings.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith(tuple(f"{key} =" for key in keys))]
    settings.write_text("".join(kept), encoding="utf-8")
    return workspace


def _said(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    from reportgen.shells.cli import main

    assert main(list(args)) == 0
    return " ".join(capsys.readouterr().out.split())


def test_a_deleted_foi_exemption_or_meeting_line_is_a_warning_naming_what_the_paper_prints(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The officer deletes the foi_exemption line (and the meeting's): the cover sheet said "Not Exempt" (and
    "Police and Crime Panel"), guessed, and validate said nothing. Each is now a warning naming the key, what the
    paper prints and what to write; the restricted edition, whose cover gives restricted_foi_exemption, is not
    told of the public edition's row."""
    workspace = _example_without(tmp_path, "foi_exemption", "meeting")
    said = _said(capsys, "validate", "--workspace", str(workspace))
    assert ("warning setting 'foi_exemption': reportgen.toml: [paper] sets no foi_exemption, so the cover sheet's "
            "'FREEDOM OF INFORMATION EXEMPTION SECTION IF APPLICABLE' says 'Not Exempt', which nobody chose. → Set "
            "[paper] foi_exemption in reportgen.toml to what the Panel's cover sheet says (foi_exemption = \"Not "
            "Exempt\", or the exemption that applies") in said
    assert ("warning setting 'meeting': reportgen.toml: [paper] sets no meeting, so the cover sheet's 'MEETING' says "
            "'Police and Crime Panel', which nobody chose.") in said
    folder = Path(_said(capsys, "build", "--workspace", str(workspace)).split()[-1])
    cover = cover_table(folder / "paper.docx")
    assert (cover["MEETING"], cover["FREEDOM OF INFORMATION EXEMPTION SECTION IF APPLICABLE"]) == (
        "Police and Crime Panel", "Not Exempt")  # what the warnings say it prints
    restricted = _said(capsys, "validate", "--workspace", str(workspace), "--edition", "restricted")
    assert "sets no meeting" in restricted and "sets no foi_exemption" not in restricted


def test_a_deleted_purpose_or_risk_row_is_a_warning_as_an_empty_submitted_by_is(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Deleting the purpose and risk_implications lines printed both rows empty on the cover sheet, said only in a
    note shown under --all, while an empty 'submitted by' was a warning: a published Panel paper fills every row,
    so each empty row is a warning, shown by validate without --all."""
    workspace = _example_without(tmp_path, "purpose", "risk_implications")
    said = _said(capsys, "validate", "--workspace", str(workspace))
    assert ("reportgen.toml warning reportgen.toml: the cover sheet's 'PURPOSE OF REPORT', 'RISK IMPLICATIONS' would "
            "be printed empty.") in said
    folder = Path(_said(capsys, "build", "--workspace", str(workspace)).split()[-1])
    cover = cover_table(folder / "paper.docx")
    assert (cover["PURPOSE OF REPORT"], cover["RISK IMPLICATIONS"]) == ("", "")  # as the warning says


def test_an_empty_cover_row_is_said_of_its_own_row_wherever_a_panel_row_goes(tmp_path: Path) -> None:
    """A Panel's own row placed among the built-in ones (after = "meeting", as the README shows) shifted every row
    after it by one: DATE was said empty though it was filled, and an empty SUBMITTED BY went unsaid."""
    toml = (ROOT / "reportgen.toml").read_text(encoding="utf-8")
    row = '\n[[paper.cover]]\nheading = "Agenda item"\nvalue = ""\nafter = "meeting"\n'
    said = _cover_said(make_workspace(tmp_path / "ws", toml=toml + row))
    assert [(code, message.split(": ", 1)[1]) for code, _column, message in said] == [
        ("cover-row-empty", "the cover sheet's 'Agenda item' would be printed empty.")]
    toml = toml.replace('submitted_by = "Jo Harding, Head of Strategy and Partnerships, Wessex OPCC"',
                        'submitted_by = ""')
    row = '\n[[paper.cover]]\nheading = "Agenda item"\nvalue = "7"\nbefore = "meeting"\n'
    said = _cover_said(make_workspace(tmp_path / "ws2", toml=toml + row))
    assert [(code, column) for code, column, _message in said] == [("cover-empty", "submitted_by")]


@pytest.mark.parametrize(("title", "field", "printed", "code"), [
    ("Delivery Update ({period:%B %Y)", "{period:%B %Y)", "Delivery Update ({period:%B %Y)", "cover-field-mistyped"),
    ("Delivery Update ({month})", "{month}", "Delivery Update ({month})", "cover-placeholder"),
    ("Delivery Update ({TBC})", "{TBC}", "Delivery Update ({TBC})", "cover-placeholder"),
    ("Delivery Update ({{period}})", "{{period}}", "Delivery Update ({October 2026})", "cover-field-mistyped"),
    ("Delivery Update ({Period})", "{Period}", "Delivery Update ({Period})", "cover-field-mistyped"),
    ("Delivery Update ({perod:%B %Y})", "{perod:%B %Y}", "Delivery Update ({perod:%B %Y})", "cover-field-mistyped"),
    ("Delivery Update ({period:%Q})", "{period:%Q}", None, "cover-field-mistyped"),
    ("Delivery Update ({period:%-d %J})", "{period:%-d %J}", None, "cover-field-mistyped"),
    ("Delivery Update (period:%B %Y})", "}", "Delivery Update (period:%B %Y})", "cover-placeholder"),
    ("Delivery Update {as agreed}", "{as agreed}", "Delivery Update {as agreed}", "cover-placeholder"),
])
def test_a_field_reportgen_cannot_fill_in_is_said(tmp_path: Path, title: str, field: str, printed: str | None,
                                                  code: str) -> None:
    """A brace left open, a name that is not period or date, or a strftime code that is none: the paper printed the
    title as typed ('Delivery Update ({period:%B %Y)') and nothing was said. A field mistyped (period or date nearly,
    with a format, left open, or in double braces as the narrative writes them) blocks the paper: it would print on
    the cover and every page's header. A word or words in braces ('{TBC}') may be meant: a warning."""
    toml = (ROOT / "reportgen.toml").read_text(encoding="utf-8")
    toml = toml.replace('title = "Safer Wessex Plan: Delivery Update ({period:%B %Y})"', f'title = "{title}"')
    root = make_workspace(tmp_path / "ws", toml=toml)
    [(said_code, column, message)] = _cover_said(root)
    assert (said_code, column) == (code, "title")
    meant = {"{Period}": " (did you mean '{period}'?)", "{perod:%B %Y}": " (did you mean '{period:%B %Y}'?)"}
    assert message.startswith(f"reportgen.toml: {field!r} is not a field reportgen fills in{meant.get(field, '')}, "
                              "so the paper prints ")
    if printed is not None:
        assert message.endswith(f"{printed!r}.")


def test_fields_reportgen_fills_in_are_not_said(tmp_path: Path) -> None:
    toml = (ROOT / "reportgen.toml").read_text(encoding="utf-8").replace(
        'title = "Safer Wessex Plan: Delivery Update ({period:%B %Y})"',
        'title = "Update {period}, {period:%-d %b %Y}, {date}, {date:%A %d %B %Y %%}, {date:%C %e %k %l %P %Ey}"')
    assert _cover_said(make_workspace(tmp_path / "ws", toml=toml)) == []


PURPOSE = 'purpose = """To update the Panel on:\n' + "\n".join(
    f"• the delivery of the actions in theme {theme} of the plan and the partners' returns for it;"
    for theme in range(1, 8)) + '"""'
EQUALITIES = 'equalities_impacts = "' + " ".join(
    ["Equality impacts are assessed for each action as it is delivered, the partners responsible consulting the"
     " groups affected and reporting to the Strategic Executive Board before work begins."] * 4) + '"'


def with_a_long_cover(root: Path) -> Path:
    """The workspace's cover sheet made too long for page 1: a seven-line purpose, a long equality impact, and
    rows of the Panel's own."""
    toml = (root / "reportgen.toml").read_text(encoding="utf-8")
    toml = re.sub(r"^purpose = .*$", lambda _: PURPOSE, toml, count=1, flags=re.MULTILINE)
    toml = re.sub(r"^equalities_impacts = .*$", lambda _: EQUALITIES, toml, count=1, flags=re.MULTILINE)
    toml = toml.replace('narrative = "narrative.md"\n',
                        'narrative = "narrative.md"\n\n' + OWN_ROWS[OWN_ROWS.index("[[paper.cover]]"):], 1)
    (root / "reportgen.toml").write_text(toml, encoding="utf-8")
    return root


def with_a_purpose_longer_than_a_page(root: Path) -> list[str]:
    """The workspace's purpose made sixty points long, more than a page: its points, in order."""
    toml = (root / "reportgen.toml").read_text(encoding="utf-8")
    points = [f"the delivery of the actions in theme {theme} of the plan, with what each partner said of it;"
              for theme in range(1, 61)]
    purpose = 'purpose = """To update the Panel on:\n' + "\n".join(points) + '"""'
    (root / "reportgen.toml").write_text(re.sub(r"^purpose = .*$", lambda _: purpose, toml, count=1,
                                                flags=re.MULTILINE), encoding="utf-8")
    return points


def tagged_cover_rows(path: Path) -> list[list[tuple[str, int]]]:
    """Each Table of the tree without a head (the cover sheet's, however many the tags make of it): its rows as
    (the label's text without its spaces, the page the row is on, from 0)."""
    texts = tagged_text(path)
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}

        return [[(re.sub(r"\s", "", element_text(_kids(row)[0], texts, pages)), marked_pages(row, pages)[0])
                 for body in table_parts(table) for row in _kids(body)]
                for table in tagged_tables(pdf) if table_parts(table)[0].S != "/THead"]


@pytest.mark.parametrize("actions", [35, 300], ids=["one document", "laid out in parts"])
def test_a_cover_sheet_that_runs_onto_page_2_is_one_table_to_a_screen_reader(tmp_path: Path, actions: int) -> None:
    """A long cover sheet goes on over page 2: the tags made it two tables, the second holding only its last
    rows, so a screen reader announced a new table part way through the cover. It is one table, every row in
    order under it, as the plan is over its pages; nothing marked is left out of the tree."""
    root = with_a_long_cover(copy_example(tmp_path / "ws") if actions < MIN_PARTS_ITEMS
                             else benchmark_workspace(tmp_path / "ws", actions))
    assert main(["build", "--workspace", str(root), "--period", "2026-10", "--out", str(tmp_path / "draft")]) == 0
    paper = tmp_path / "draft" / "paper.pdf"
    [cover] = tagged_cover_rows(paper)
    assert [label for label, _ in cover] == [re.sub(r"\s", "", label) for label in (
        "AGENDA ITEM", "MEETING", "DATE", "TITLE OF REPORT", "SUBMITTED BY", "CONTACT OFFICER", "PURPOSE OF REPORT",
        "DECISION(S) REQUIRED", "FINANCIAL IMPLICATIONS", "RISK IMPLICATIONS", "LEGAL IMPLICATIONS",
        "EQUALITIES IMPACTS", "FREEDOM OF INFORMATION EXEMPTION SECTION IF APPLICABLE", "BACKGROUND PAPERS",
        "APPENDICES")]
    assert {page for _, page in cover} == {0, 1}  # it does run onto page 2
    assert marked_content_problems(paper) == []


def test_a_cover_entry_longer_than_a_page_is_one_row_to_a_screen_reader(tmp_path: Path) -> None:
    """A purpose too long for a page is drawn over pages; WeasyPrint tagged each later page as a row of its own
    with an empty label, which a screen reader read as a row of no heading. The purpose is one row, its
    label its header on each page, its words in order."""
    root = copy_example(tmp_path / "ws")
    points = with_a_purpose_longer_than_a_page(root)
    assert main(["build", "--workspace", str(root), "--period", "2026-10", "--out", str(tmp_path / "draft")]) == 0
    paper = tmp_path / "draft" / "paper.pdf"
    [cover] = tagged_cover_rows(paper)
    labels = [label for label, _ in cover]
    assert "" not in labels and labels.count("PURPOSEOFREPORT") == 1
    texts = tagged_text(paper)
    with pikepdf.open(paper) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        [table] = [table for table in tagged_tables(pdf) if table_parts(table)[0].S != "/THead"]
        row = [row for body in table_parts(table) for row in _kids(body)][labels.index("PURPOSEOFREPORT")]
        assert len(marked_pages(row, pages)) >= 2  # drawn over pages
        words = re.sub(r"\s", "", element_text(_kids(row)[1], texts, pages))
    found = [words.index(re.sub(r"\s", "", point)) for point in points]
    assert found == sorted(found)
    assert marked_content_problems(paper) == [] and pdf_problems(paper) == []


@pytest.mark.parametrize("actions", [35, 300], ids=["one document", "laid out in parts"])
def test_a_cover_entry_longer_than_a_page_starts_where_it_falls_not_on_a_new_page(tmp_path: Path,
                                                                                  actions: int) -> None:
    """A cover row is kept on one page; one longer than a page fits on none, and WeasyPrint moved it to page 2
    all the same and broke it there, leaving page 1 with the cover's first rows and nothing below them. It
    starts on page 1 under the row before it, and the rows after it are each still on one page."""
    root = copy_example(tmp_path / "ws") if actions < MIN_PARTS_ITEMS else benchmark_workspace(tmp_path / "ws",
                                                                                                 actions)
    with_a_purpose_longer_than_a_page(root)
    assert main(["build", "--workspace", str(root), "--period", "2026-10", "--out", str(tmp_path / "draft")]) == 0
    paper = tmp_path / "draft" / "paper.pdf"
    with pdfplumber.open(paper) as pdf:
        first = pdf.pages[0].extract_text()
    assert "PURPOSE OF REPORT" in first and "theme 1 of the plan" in first
    with pikepdf.open(paper) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        [table] = [table for table in tagged_tables(pdf) if table_parts(table)[0].S != "/THead"]
        rows = [row for body in table_parts(table) for row in _kids(body)]
        spans = [len(marked_pages(row, pages)) for row in rows]
    [cover] = tagged_cover_rows(paper)
    purpose_row = [label for label, _ in cover].index("PURPOSEOFREPORT")
    assert spans[purpose_row] >= 2
    assert all(span == 1 for number, span in enumerate(spans) if number != purpose_row)
