"""build_paper: the one model every renderer draws (order, counts, labels, cover sheet, narrative)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
import pypdf

from conftest import ACTIONS, REFERENCE, REGISTER_HEADINGS, SAMPLE, make_workspace, needs_sample
from reference import reference_rows, words
from reportgen.check.checked import check_inputs
from reportgen.check.narrative import fill_narrative
from reportgen.paper.build_paper import build_paper, render_narrative
from reportgen.read.workspace import find_inputs
from reportgen.run.build import build_draft


def _paper(root: Path, edition: str = "public"):
    inputs, found = find_inputs(root)
    checked = check_inputs(inputs, found=found)
    narrative = inputs.narrative.read_text() if inputs.narrative else None
    return build_paper(checked.merged, inputs.settings, narrative, edition, checked.issues)  # type: ignore[arg-type]


def test_sections_in_register_order_with_unsectioned_first(tmp_path: Path) -> None:
    paper = _paper(make_workspace(tmp_path))
    assert [(s.heading, [r.ref for r in s.rows]) for s in paper.sections] == [
        ("", [1, 2]), ("Victims", [3, 4]), ("Justice", [5, 6])]
    assert [c.heading for c in paper.columns] == [
        "Plan priority", "Action", "Status this reporting period", "Explanation / Link to meeting papers",
        "Timeframe for delivery / Completion", "CSCJ Plan page"]
    assert abs(sum(c.width for c in paper.columns) - 1) < 0.01


def test_actions_with_no_section_keep_their_place_in_the_register_under_a_heading_of_their_own(
        tmp_path: Path) -> None:
    """The officer gives actions 1 and 2 a section; 3 and 4 have none: every output listed 3 and 4 first,
    then 1 and 2 under the new heading. Now the plan follows the register, in the PDF, the Word paper, the
    web edition and register.xlsx, and 3 and 4 are headed "No section" (else they would read as the
    section before's); actions with no section that open the plan still have no heading."""
    sections = {1: "Prevention", 2: "Prevention", 3: "", 4: "", 5: "Justice", 6: "Justice"}
    register = [REGISTER_HEADINGS, *((ref, sections[ref], *rest) for ref, _section, *rest in ACTIONS)]
    folder = build_draft(make_workspace(tmp_path / "ws", register=register)).folder
    plan = [("Prevention", ["1", "2"]), ("No section", ["3", "4"]), ("Justice", ["5", "6"])]

    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(folder / "paper.pdf").pages)
    plan_text = text[text.rindex("Delivery plan"):]
    found = [line if line in {"Prevention", "No section", "Justice"} else line.split()[0]
             for line in map(str.strip, plan_text.splitlines())
             if line in {"Prevention", "No section", "Justice"} or re.match(r"[1-6] ", line)]
    assert found == [item for heading, refs in plan for item in (heading, *refs)], found

    table = docx.Document(str(folder / "paper.docx")).tables[-1]
    assert [row.cells[0].text for row in table.rows[1:]] == [item for heading, refs in plan
                                                              for item in (heading, *refs)]
    html = (folder / "paper.html").read_text(encoding="utf-8")
    assert re.findall(r'scope="rowgroup"[^>]*>([^<]+)<|id="action-(\d)"', html) == [
        pair for heading, refs in plan for pair in ((heading, ""), *(("", ref) for ref in refs))]
    sheet = openpyxl.load_workbook(folder / "register.xlsx")["Register"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [1, 2, 3, 4, 5, 6]

    sections = {1: "", 2: "", 3: "Victims", 4: "Victims", 5: "Justice", 6: ""}  # the opening ones: no heading
    register = [REGISTER_HEADINGS, *((ref, sections[ref], *rest) for ref, _section, *rest in ACTIONS)]
    paper = build_draft(make_workspace(tmp_path / "ws2", register=register)).paper
    assert [(s.heading, [r.ref for r in s.rows]) for s in paper.sections] == [  # 6 was printed with 1 and 2
        ("", [1, 2]), ("Victims", [3, 4]), ("Justice", [5]), ("No section", [6])]


def test_cover_sheet_in_the_order_of_a_published_paper(tmp_path: Path) -> None:
    paper = _paper(make_workspace(tmp_path))
    assert [(c.label, c.value) for c in paper.cover][:4] == [
        ("MEETING", "Police and Crime Panel"), ("DATE", "05 November 2026"),
        ("TITLE OF REPORT", "Test Delivery Plan"), ("SUBMITTED BY", "Chief Executive, OPCC")]
    assert [c.label for c in paper.cover][4:] == [
        "PURPOSE OF REPORT", "DECISION(S) REQUIRED", "FINANCIAL IMPLICATIONS", "RISK IMPLICATIONS",
        "LEGAL IMPLICATIONS", "EQUALITIES IMPACTS", "FREEDOM OF INFORMATION EXEMPTION SECTION IF APPLICABLE"]


def test_narrative_sees_counts_total_and_period(tmp_path: Path) -> None:
    narrative = ("# Update for {{ period }}\n\n{{ total }} actions:\n\n- {{ counts['Completed'] }} complete\n"
                 "- {{ counts['On hold'] }} on hold\n\nSee [the plan](https://example.org/plan).\n")
    paper = _paper(make_workspace(tmp_path, narrative=narrative))
    assert [(b.kind, b.text) for b in paper.narrative] == [
        ("heading", "Update for October 2026"), ("paragraph", "6 actions:"), ("bullet", "2 complete"),
        ("bullet", "1 on hold"), ("paragraph", "See the plan.")]
    assert paper.narrative[-1].inlines[1].href == "https://example.org/plan"


def test_narrative_mistake_is_one_clear_issue() -> None:
    markdown, issues = fill_narrative("{{ nope }}", {"total": 1})
    assert markdown is None and render_narrative("{{ nope }}", {"total": 1}) == ()
    assert [(i.code, i.row) for i in issues] == [("narrative-error", 1)]
    assert issues[0].message.endswith("could not be filled in: there is no value 'nope'; the values are total.")
    assert issues[0].where == "narrative.md, line 1"


def test_narrative_cannot_reach_python_internals() -> None:
    markdown, issues = fill_narrative("{{ total.__class__.__mro__[1].__subclasses__() }}", {"total": 1})
    assert markdown is None and [i.code for i in issues] == ["narrative-error"]


def test_two_level_grouping_theme_then_lead(tmp_path: Path) -> None:
    toml = '[paper]\ntitle = "T"\ngroup_by = ["section", "lead"]\n'
    paper = _paper(make_workspace(tmp_path, toml=toml))
    assert [(s.level, s.heading, [r.ref for r in s.rows]) for s in paper.sections] == [
        (2, "Wessex Police", [1]), (2, "OPCC", [2]),
        (1, "Victims", []), (2, "Wessex Police", [3]), (2, "OPCC", [4]),
        (1, "Justice", []), (2, "Criminal Justice Board", [5]), (2, "OPCC", [6])]


def test_exempt_actions_left_out_of_the_public_edition(tmp_path: Path) -> None:
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
                (2, "", "OPCC", "Secret action", "2", "Yes"), (3, "", "OPCC", "Unclear action", "3", "maybe")]
    root = make_workspace(tmp_path, register=register)
    public = _paper(root)
    assert [r.ref for r in public.rows] == [1]
    assert (public.total, public.exempt_count) == (1, 2)
    assert "Not shown in this paper: 2 actions, exempt" in public.exempt_note
    restricted = _paper(root, "restricted")
    assert [r.ref for r in restricted.rows] == [1, 2, 3] and restricted.marking == "RESTRICTED"


@needs_sample
def test_sample_paper_matches_the_published_one() -> None:
    paper = _paper(SAMPLE)
    published = reference_rows(REFERENCE)
    assert paper.total == 147 and len(paper.rows) == 147
    assert [s.heading for s in paper.sections] == ["", "Criminal Justice"]
    for row in paper.rows:
        ref = published[row.ref]
        assert row.status_label == (ref.status or "No update"), row.ref  # 46: a row with nothing written
        assert row.cell("timeframe").text == ref.timeframe, row.ref
        assert row.cell("page").text == ref.page.replace(" ", ""), row.ref
        assert words(row.cell("explanation").text) == words(ref.explanation), row.ref
        assert words(row.action) == words(ref.action), row.ref
    text = " ".join(b.text for b in paper.narrative)
    assert "33 actions are 'Complete'" in text and "86 actions are 'In Progress'" in text
    assert "26 actions have 'Not Started'" in text
