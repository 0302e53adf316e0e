"""Cover values that follow the period; the next meeting from a list; action text cleaned of HTML."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import pypdf
import pytest

from conftest import ACTIONS, REGISTER_HEADINGS, SAMPLE, default_returns, make_workspace, needs_sample
from reportgen.paper.cover import fill_in, meeting_date
from reportgen.run.build import build_draft, validate_draft
from reportgen.settings import PaperSettings

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
