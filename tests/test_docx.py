"""write_docx: the paper read back with python-docx (tables, styles, links, header flags, properties)."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import COLUMNS, LINK, MAILTO, UNKNOWN_REF, make_paper, make_row
from reportgen.errors import ReportgenError
from reportgen.model import (
    Block,
    CoverRow,
    Inline,
    Paper,
    PaperCell,
    PaperSection,
    Progress,
    StalledAction,
    StatusMove,
)
from reportgen.render.docx.writer import write_docx, xml_safe

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "paper.docx"
HOSTILE = ("<w:p>", "{{ 7*7 }}", "{% for %}", "a & b", "<script>alert(1)</script>", "x\x0by")


def write(tmp_path: Path, paper: Paper, name: str = "paper.docx", **kwargs: str) -> docx.document.Document:
    out = tmp_path / name
    write_docx(paper, TEMPLATE, out, **kwargs)
    return docx.Document(str(out))


def plan_table(document: docx.document.Document) -> docx.table.Table:
    return document.tables[-1]


def row_texts(row: docx.table.Row) -> list[str]:
    return [cell.text for cell in row.cells]


def body_xml(document: docx.document.Document) -> str:
    return document.element.body.xml  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def paper() -> Paper:
    return make_paper(6, sections=2)


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory, paper: Paper) -> docx.document.Document:
    return write(tmp_path_factory.mktemp("docx"), paper)


def test_cover_sheet_is_a_two_column_table_of_labels_and_values(document, paper) -> None:
    cover = document.tables[0]
    assert [row_texts(row) for row in cover.rows] == [[row.label, row.value] for row in paper.cover]
    label = cover.rows[0].cells[0]
    assert label.paragraphs[0].runs[0].bold
    assert label._tc.tcPr.find(qn("w:shd")) is not None


def test_a_row_kept_whole_unless_it_is_most_of_a_page_long(tmp_path: Path) -> None:
    """Rows may not break across pages, but Word cuts off one taller than a page that may not: a row of a
    2,000-word explanation may break; the others stay whole."""
    paper = make_paper(4, sections=1)
    long = " ".join(["Partnership working continued across the county this period."] * 250)
    rows = tuple(dataclasses.replace(row, cells=tuple(PaperCell("explanation", long) if c.key == "explanation" else c
                                                      for c in row.cells)) if row.ref == 2 else row
                 for row in paper.sections[0].rows)
    section = dataclasses.replace(paper.sections[0], rows=rows)
    document = write(tmp_path, dataclasses.replace(paper, sections=(section,)))
    plan = plan_table(document)
    splits = {row.cells[0].text: row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None for row in plan.rows[1:]}
    assert splits == {"1": False, "2": True, "3": False, "4": False}


def test_a_stalled_action_kept_whole_unless_it_is_most_of_a_page_long(tmp_path: Path) -> None:
    """The stalled actions' rows broke across pages, leaving the second part with no number: they are kept whole now,
    as the plan's, but one whose action runs to most of a page may break (Word would cut it off)."""
    long = " ".join(["Partnership working continued across the county this period."] * 250)
    stalled = tuple(StalledAction(ref, long if ref == 2 else f"Action {ref}.", "On hold", "2026-08")
                    for ref in (1, 2, 3))
    progress = Progress(charts=(), previous="2026-09", moved_up=0, moved_down=0, moved_across=0, new=0,
                        stalled_after=2, stalled=stalled, summary="No action moved.", stalled_note="3 are stalled.")
    document = write(tmp_path, dataclasses.replace(make_paper(3, sections=1), progress=progress))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Unchanged since")
    splits = {row.cells[0].text: row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None for row in table.rows}
    assert splits == {"Plan priority": False, "1": False, "2": True, "3": False}


def test_tables_are_narrowed_to_a_restyled_templates_margins(tmp_path: Path) -> None:
    """A template whose portrait margins were made wider (left 40 mm): the cover table, set 174 mm wide,
    ran past the right margin; it is narrowed to the text width, its columns in proportion."""
    from docx.shared import Mm

    template = docx.Document(str(TEMPLATE))
    template.sections[0].left_margin, template.sections[0].right_margin = Mm(40), Mm(10)
    template.save(str(tmp_path / "narrow.docx"))
    out = tmp_path / "paper.docx"
    write_docx(make_paper(4, sections=1), tmp_path / "narrow.docx", out)
    document = docx.Document(str(out))
    section = document.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 635  # EMU to twips
    cover = document.tables[0]
    columns = [int(c.get(qn("w:w"))) for c in cover._tbl.iter(qn("w:gridCol"))]
    assert sum(columns) <= text_width and columns[0] / sum(columns) == pytest.approx(0.32, abs=0.01)


def test_title_and_subtitle_use_named_styles(document, paper) -> None:
    styled = {p.style.name: p.text for p in document.paragraphs if p.style.name in ("Title", "Subtitle")}
    assert styled == {"Title": paper.title, "Subtitle": paper.subtitle}


def test_narrative_blocks_use_named_styles(document) -> None:
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Annual Delivery Plan (March 2022 – February 2023)") in styles
    assert ("Heading 2", "Next steps") in styles
    assert ("List Bullet", "33 actions are 'Complete'") in styles
    assert ("List Number", "The Panel notes the report.") in styles
    assert ("Normal", "Some actions are ongoing.") in styles
    assert not any("[[" in text for _, text in styles)
    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert "progress" in bold


def test_each_numbered_list_starts_again_at_one(tmp_path) -> None:
    numbered = Block("number", (Inline("step"),))
    narrative = (numbered, numbered, Block("paragraph", (Inline("between"),)), numbered)
    document = write(tmp_path, dataclasses.replace(make_paper(1, 1), narrative=narrative))
    num_ids = [p._p.pPr.find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val"))
               for p in document.paragraphs if p.style.name == "List Number"]
    assert len(num_ids) == 3 and num_ids[0] == num_ids[1] != num_ids[2]


def test_plan_header_row_repeats_and_holds_the_paper_headings(document) -> None:
    header = plan_table(document).rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert row_texts(header) == [column.heading for column in COLUMNS]


def test_every_plan_row_is_kept_on_one_page(document) -> None:
    for row in plan_table(document).rows:
        assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_plan_rows_follow_the_paper(document, paper) -> None:
    rows = plan_table(document).rows[1:]
    expected: list[list[str]] = []
    for section in paper.sections:
        if section.heading:
            expected.append([section.heading] * len(COLUMNS))  # one merged cell, as python-docx reads it
        for row in section.rows:
            expected.append([row.status_label + ("\n" + row.note if row.note else "") if c.key == "status"
                             else row.cell(c.key).text for c in COLUMNS])
    assert [row_texts(row) for row in rows] == expected
    assert all("[[" not in text for row in rows for text in row_texts(row))


def test_section_heading_row_spans_all_columns(document, paper) -> None:
    assert paper.sections[0].heading == ""  # no heading row for actions without a section
    heading_rows = [row for row in plan_table(document).rows if len(row._tr.tc_lst) == 1]
    assert [row.cells[0].text for row in heading_rows] == [s.heading for s in paper.sections if s.heading]
    span = heading_rows[0]._tr.tc_lst[0].tcPr.find(qn("w:gridSpan"))
    assert span.get(qn("w:val")) == str(len(COLUMNS))


def test_level_two_sections_use_the_lighter_subsection_row(tmp_path) -> None:
    base = make_paper(4, 1)
    sections = (PaperSection("Victims", 1, ()), PaperSection("OPCC", 2, base.rows))
    document = write(tmp_path, dataclasses.replace(base, sections=sections))
    first, second = plan_table(document).rows[1:3]
    assert (first.cells[0].text, second.cells[0].text) == ("Victims", "OPCC")
    fills = [tr.tc_lst[0].tcPr.find(qn("w:shd")).get(qn("w:fill")) for tr in (first._tr, second._tr)]
    assert fills == ["D5DEEE", "EDF1F8"]  # the template's [[SECTION]] and lighter [[SUBSECTION]] rows


def test_status_cell_shows_words_and_a_colour_cue(document, paper) -> None:
    colours = dict(paper.status_colours)
    status_index = [c.key for c in COLUMNS].index("status")
    action_rows = [row for row in plan_table(document).rows[1:] if len(row._tr.tc_lst) == len(COLUMNS)]
    assert len(action_rows) == len(paper.rows)
    for table_row, row in zip(action_rows, paper.rows):
        cell = table_row.cells[status_index]
        assert cell.paragraphs[0].text == row.status_label
        shd = cell._tc.tcPr.find(qn("w:shd"))
        assert shd.get(qn("w:fill")) == colours[row.status_class]
    unknown = action_rows[UNKNOWN_REF - 1].cells[status_index]
    assert [p.text for p in unknown.paragraphs] == ["Ongoing-ish", "Status not recognised"]
    assert unknown.paragraphs[1].runs[0].style.name == "Status Note"


def test_rich_explanations_keep_paragraphs_bullets_and_links(document) -> None:
    explanation = plan_table(document).rows[1].cells[3]
    styles = [p.style.name for p in explanation.paragraphs]
    assert styles == ["Table Text", "List Bullet", "List Bullet", "Table Text"]
    assert explanation.paragraphs[2].text == "See the board papers for detail"


def test_links_are_real_hyperlinks_and_the_only_external_relationships(document) -> None:
    part = document.part
    links = document.element.body.findall(".//" + qn("w:hyperlink"))
    assert links
    targets = {part.rels[link.get(qn("r:id"))].target_ref for link in links}
    assert targets == {LINK, MAILTO}
    external = [rel for rel in part.rels.values() if rel.is_external]
    assert sorted(rel.target_ref for rel in external) == sorted({LINK, MAILTO})  # one per URL
    for link in links:
        style = link.find(qn("w:r")).find(qn("w:rPr")).find(qn("w:rStyle"))
        assert style.get(qn("w:val")) == document.styles["Hyperlink"].style_id


@pytest.mark.expected_logs("link not written")
def test_links_with_other_schemes_stay_plain_text(tmp_path, caplog) -> None:
    narrative = (Block("paragraph", (Inline("run me", href="javascript:alert(1)"),
                                     Inline(" file", href="file:///etc/passwd"))),)
    document = write(tmp_path, dataclasses.replace(make_paper(0, 1), narrative=narrative))
    assert "run me file" in [p.text for p in document.paragraphs]
    assert document.element.body.find(".//" + qn("w:hyperlink")) is None
    assert not [rel for rel in document.part.rels.values() if rel.is_external]
    assert len([r for r in caplog.records if "link not written" in r.getMessage()]) == 2


def test_core_properties_and_default_language(document, paper) -> None:
    props = document.core_properties
    assert (props.title, props.language, props.author, props.revision) == (
        paper.title, "en-GB", paper.author, 1)
    assert props.created.isoformat() == "2023-02-02T00:00:00+00:00"
    path = "/".join(qn(tag) for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:lang"))
    lang = document.styles.element.find(path)
    assert lang.get(qn("w:val")) == "en-GB"


def test_footer_counts_pages_with_fields(document) -> None:
    footer = document.sections[0].footer
    instructions = [node.text.strip() for node in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text.endswith("\tPage 1 of 1")  # after the meeting and its date, at the right


def _section_texts(document: docx.document.Document) -> list[str]:
    """The text of the body elements each page section of the written file holds, in order.

    A section ends at the paragraph whose properties hold a `w:sectPr` (the body's own closes the last).
    """
    texts = [""]
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:sectPr"):
            continue
        texts[-1] += "".join(element.xpath(".//w:t/text()")) + "\n"
        if element.tag == qn("w:p") and element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            texts.append("")
    return texts


def _break_on_the_narrative_marker(template: Path, out: Path) -> Path:
    """The template as a restyler may leave it: the empty paragraph that ended the portrait section
    deleted in Word, so the [[NARRATIVE]] paragraph now holds the section break."""
    document = docx.Document(str(template))
    body = document.element.body
    ending = next(p for p in body.iterchildren(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
    marker = next(p._p for p in document.paragraphs if p.text.strip() == "[[NARRATIVE]]")
    marker.get_or_add_pPr().append(ending.pPr.find(qn("w:sectPr")))
    body.remove(ending)
    document.save(str(out))
    return out


@pytest.mark.parametrize("template", ["as shipped", "section break on the narrative marker"])
def test_page_setup_portrait_cover_then_landscape_plan(tmp_path, paper, template) -> None:
    """The written paper's cover sheet and narrative are in a portrait section, the plan in a landscape one,
    also when the template's section break sits on the paragraph the narrative replaces."""
    used = TEMPLATE if template == "as shipped" else _break_on_the_narrative_marker(TEMPLATE, tmp_path / "t.docx")
    write_docx(paper, used, tmp_path / "paper.docx")
    document = docx.Document(str(tmp_path / "paper.docx"))
    cover, plan = _section_texts(document)
    first, second = document.sections
    assert first.orientation == WD_ORIENT.PORTRAIT and first.page_width < first.page_height
    assert second.orientation == WD_ORIENT.LANDSCAPE and second.page_width > second.page_height
    assert second.start_type == WD_SECTION.NEW_PAGE and second.header.is_linked_to_previous
    assert all(f"{row.label}{row.value}" in cover for row in paper.cover)
    assert all(block.text in cover for block in paper.narrative)
    assert all(column.heading in plan for column in paper.columns)
    for row in paper.rows:
        assert row.action in plan and row.action not in cover
    assert not any(block.text in plan for block in paper.narrative if block.kind != "heading")
    assert "[[NARRATIVE]]" not in cover


def test_restricted_marking_shows_in_header_and_footer(tmp_path, document, paper) -> None:
    restricted = write(tmp_path, dataclasses.replace(paper, edition="restricted", marking="RESTRICTED"))
    section = restricted.sections[0]
    assert "RESTRICTED" in [p.text for p in section.header.paragraphs]
    assert "RESTRICTED" in [p.text for p in section.footer.paragraphs]
    public = [p.text for p in document.sections[0].header.paragraphs]
    assert public == [paper.title]


def test_same_paper_gives_identical_bytes(tmp_path, paper) -> None:
    write_docx(paper, TEMPLATE, tmp_path / "a.docx")
    write_docx(paper, TEMPLATE, tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.docx") as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_write_replaces_the_file_and_leaves_no_temporary_files(tmp_path, paper) -> None:
    out = tmp_path / "paper.docx"
    out.write_bytes(b"old")
    write_docx(paper, TEMPLATE, out)
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir()] == ["paper.docx"]


def test_hostile_text_comes_out_literally_and_keeps_every_row(tmp_path) -> None:
    base = make_paper(8, 2)
    rows = []
    for row in base.rows:
        cells = tuple(dataclasses.replace(c, text=" | ".join(HOSTILE), rich=()) if c.key == "action" else c
                      for c in row.cells)
        rows.append(dataclasses.replace(row, cells=cells))
    sections = (PaperSection("", 1, tuple(rows[:4])), PaperSection("<b>{{ x }}</b> & co", 1, tuple(rows[4:])))
    cover = (CoverRow("TITLE OF REPORT", " | ".join(HOSTILE)), CoverRow("LAST", "still here"))
    paper = dataclasses.replace(base, title="Plan {{ 7*7 }} & <w:p> \x0b end", cover=cover, sections=sections)
    document = write(tmp_path, paper)
    literal = " | ".join(xml_safe(text) for text in HOSTILE)
    assert [row_texts(row) for row in document.tables[0].rows] == [
        ["TITLE OF REPORT", literal], ["LAST", "still here"]]
    assert document.paragraphs[0].text == "Plan {{ 7*7 }} & <w:p>  end"
    table = plan_table(document)
    assert len(table.rows) == 1 + 1 + len(rows)  # header, one section heading, every action
    assert table.rows[5].cells[0].text == "<b>{{ x }}</b> & co"
    assert row_texts(table.rows[-1])[:2] == [str(rows[-1].ref), literal]
    assert document.core_properties.title == "Plan {{ 7*7 }} & <w:p>  end"


def test_an_invalid_character_does_not_drop_later_content(tmp_path) -> None:
    base = make_paper(3, 1)
    first = base.rows[0]
    bad = "before\x0bafter\x00!"
    cells = tuple(dataclasses.replace(c, text=bad, rich=()) if c.key == "explanation" else c
                  for c in first.cells)
    cover = (CoverRow("PURPOSE", "a\x0bb"), *base.cover)
    sections = (PaperSection("", 1, (dataclasses.replace(first, cells=cells), *base.rows[1:])),)
    document = write(tmp_path, dataclasses.replace(base, cover=cover, sections=sections))
    assert row_texts(document.tables[0].rows[0]) == ["PURPOSE", "ab"]
    assert len(document.tables[0].rows) == len(cover)
    table = plan_table(document)
    assert table.rows[1].cells[3].text == "beforeafter!"
    assert len(table.rows) == 1 + 3 and table.rows[-1].cells[0].text == "3"


def test_tracked_changes_become_w_ins_and_w_del(tmp_path) -> None:
    narrative = (Block("paragraph", (Inline("Status: "), Inline("In progress", change="del"),
                                     Inline("Completed", change="ins"))),)
    document = write(tmp_path, dataclasses.replace(make_paper(1, 1), narrative=narrative),
                     revision_date="2023-03-01T09:00:00Z")
    body = document.element.body
    inserted = body.find(".//" + qn("w:ins"))
    deleted = body.find(".//" + qn("w:del"))
    assert inserted.get(qn("w:author")) == "reportgen" == deleted.get(qn("w:author"))
    assert inserted.get(qn("w:date")) == "2023-03-01T09:00:00Z"
    assert "".join(t.text for t in inserted.iter(qn("w:t"))) == "Completed"
    assert "".join(t.text for t in deleted.iter(qn("w:delText"))) == "In progress"
    assert deleted.find(".//" + qn("w:t")) is None
    assert inserted.get(qn("w:id")) != deleted.get(qn("w:id"))


def test_other_column_sets_resize_the_table(tmp_path) -> None:
    base = make_paper(3, 1)
    columns = (COLUMNS[0], COLUMNS[2], dataclasses.replace(COLUMNS[1], width=0.5), COLUMNS[3])
    document = write(tmp_path, dataclasses.replace(base, columns=columns))
    table = plan_table(document)
    assert row_texts(table.rows[0]) == [c.heading for c in columns]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    assert len(grid) == 4 and grid[2] > grid[3] > grid[1]
    for row in table.rows:
        widths = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in row._tr.tc_lst]
        assert widths == grid
    assert row_texts(table.rows[1])[:2] == ["1", base.rows[0].status_label]


def test_changes_since_the_last_draft_get_their_own_table(tmp_path, document) -> None:
    moves = (StatusMove(4, "Fund an advocacy service.", "Not started", "In progress"),)
    with_changes = write(tmp_path, dataclasses.replace(make_paper(4, 1), changes=moves))
    assert len(with_changes.tables) == 3 and len(document.tables) == 2
    changes = with_changes.tables[1]
    assert [row_texts(row) for row in changes.rows] == [
        ["Plan priority", "Action", "Was", "Now"], ["4", "Fund an advocacy service.", "Not started", "In progress"]]
    assert "Changes since the last draft" in [p.text for p in with_changes.paragraphs]


def test_an_empty_paper_still_makes_a_valid_document(tmp_path) -> None:
    paper = dataclasses.replace(make_paper(0, 1), cover=(), narrative=())
    document = write(tmp_path, paper)
    assert len(document.tables) == 1  # no empty cover table left behind
    assert len(plan_table(document).rows) == 1


def test_a_template_without_markers_cannot_continue(tmp_path, paper) -> None:
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    with pytest.raises(ReportgenError, match="NARRATIVE"):
        write_docx(paper, plain, tmp_path / "out.docx")
    with pytest.raises(ReportgenError, match="not found"):
        write_docx(paper, tmp_path / "missing.docx", tmp_path / "out.docx")
    (tmp_path / "text.docx").write_text("not a zip")
    with pytest.raises(ReportgenError, match="not a Word document"):
        write_docx(paper, tmp_path / "text.docx", tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()


def test_cell_text_round_trips_whatever_it_holds(tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    row = make_row(1, "")

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(max_size=40))
    def check(text: str) -> None:
        cells = tuple(PaperCell(c.key, text) if c.key == "action" else c for c in row.cells)
        paper = dataclasses.replace(make_paper(1, 1), sections=(
            PaperSection("", 1, (dataclasses.replace(row, cells=cells),)),))
        document = write(folder, paper)
        expected = xml_safe(text).replace("\r\n", "\n").replace("\r", "\n")
        assert plan_table(document).rows[1].cells[1].text == expected

    check()



def test_the_plan_tables_description_names_the_papers_own_columns(tmp_path: Path) -> None:
    """The Word plan table's description (its alt text, what a screen reader says of the table) named a fixed list
    of columns, "status, explanation, timeframe and plan page", whatever columns the paper shows; it now names the
    paper's own, and a restyled template's own description is kept."""
    from docx.oxml.ns import qn

    from conftest import make_workspace
    from reportgen.render.docx.writer import write_docx
    from reportgen.run.build import build_draft

    root = make_workspace(tmp_path / "ws", toml='[paper]\ntable_columns = ["ref", "action", "status"]\n')
    result = build_draft(root, out=tmp_path / "draft")
    plan = docx.Document(str(result.folder / "paper.docx")).tables[-1]._tbl
    said = plan.tblPr.find(qn("w:tblDescription")).get(qn("w:val"))
    headings = [column.heading for column in result.paper.columns]
    assert len(headings) == 3 and said == ("The delivery plan, one row per action, grouped by section; its columns: "
                                           + ", ".join(headings))
    assert "timeframe" not in said

    template = docx.Document(str(TEMPLATE))  # a secretariat's own words for it are theirs
    [ours] = [t for t in template.tables if t._tbl.tblPr.find(qn("w:tblDescription")) is not None
              and "plan" in t._tbl.tblPr.find(qn("w:tblDescription")).get(qn("w:val"))]
    ours._tbl.tblPr.find(qn("w:tblDescription")).set(qn("w:val"), "Our plan, as agreed with the Panel")
    template.save(str(tmp_path / "own.docx"))
    write_docx(result.paper, tmp_path / "own.docx", tmp_path / "own-paper.docx")
    plan = docx.Document(str(tmp_path / "own-paper.docx")).tables[-1]._tbl
    assert plan.tblPr.find(qn("w:tblDescription")).get(qn("w:val")) == "Our plan, as agreed with the Panel"


def _space_after(document: docx.document.Document, paragraph: docx.text.paragraph.Paragraph) -> float:
    """The paragraph's space after in points, as Word takes it: its own, else its style's and their bases', else the
    document's default."""
    style = paragraph.style
    found = paragraph.paragraph_format.space_after
    while found is None and style is not None:
        found, style = style.paragraph_format.space_after, style.base_style
    if found is not None:
        return float(found.pt)
    path = "/".join(qn(tag) for tag in ("w:docDefaults", "w:pPrDefault", "w:pPr", "w:spacing"))
    spacing = document.styles.element.find(path)
    return int(spacing.get(qn("w:after"), "0")) / 20 if spacing is not None else 0.0


def test_a_list_ends_with_a_body_paragraphs_space(tmp_path: Path, paper: Paper) -> None:
    """The last issue blocking publication sat against the cover sheet table below it (3 pt; Word and LibreOffice
    give a table no space before), and the narrative's last bullet against the paragraph after it."""
    blocked = dataclasses.replace(paper, blocking=("inputs/returns/2026-10/opcc.xlsx, row 2: not recognised.",),
                                  narrative=(Block("paragraph", (Inline("Overall:"),)),
                                             Block("bullet", (Inline("3 are Completed"),)),
                                             Block("paragraph", (Inline("During the year…"),))))
    document = write(tmp_path, blocked)
    body = list(document.element.body.iterchildren())
    before_cover = body[body.index(document.tables[0]._tbl) - 1]
    last_issue = next(p for p in document.paragraphs if p._p is before_cover)
    assert last_issue.text == blocked.blocking[0] and last_issue.style.name == "List Bullet"
    bullet = next(p for p in document.paragraphs if p.text == "3 are Completed")
    body_text = next(p for p in document.paragraphs if p.text == "Overall:")
    assert _space_after(document, last_issue) >= 6
    assert _space_after(document, bullet) >= _space_after(document, body_text) >= 6
