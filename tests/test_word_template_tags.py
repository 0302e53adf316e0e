"""The Word template's tags as an officer restyling it in Word meets them: one the paper needs deleted, a style
renamed, a block tag's end deleted. The build and validate are run as the officer runs them, and the Word paper
and the PDF read back."""

from __future__ import annotations

import copy
import csv
import subprocess
import sys
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from conftest import copy_example, make_workspace
from reportgen.run.restyle import WORD_TEMPLATE, copy_templates
from reportgen.shells.cli import main

EXEMPT_NOTE = "Not shown in this paper: 1 action, exempt from publication"
SUBTITLE = "Report for the Wessex Police and Crime Panel, November 2026"  # the example's reportgen.toml


def example_with_template(root: Path) -> tuple[Path, Path]:
    """The example workspace with reportgen's Word template in its templates folder, to restyle."""
    workspace = copy_example(root)
    copy_templates(workspace, WORD_TEMPLATE)
    return workspace, workspace / "templates" / "paper.docx"


def delete_paragraph(template: Path, text: str) -> None:
    """Delete the template's body paragraph holding `text`, as the officer selects the line and deletes it."""
    document = docx.Document(str(template))
    paragraph = next(p for p in document.paragraphs if text in p.text)
    paragraph._p.getparent().remove(paragraph._p)
    document.save(str(template))


def template_issues(draft: Path) -> list[tuple[str, str, str]]:
    with (draft / "issues.csv").open(newline="", encoding="utf-8-sig") as file:
        return [(row["severity"], row["file"], row["value"]) for row in csv.DictReader(file)
                if row["code"] == "template-tag-missing"]


def test_an_exempt_note_deleted_from_the_template_is_put_back_and_said(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An officer restyling the template deletes the line `{{ paper.exempt_note }}` under the plan table: the
    public Word paper silently stopped saying that an exempt action was left out (the PDF still said it), and
    neither the build nor validate said a word. The note is now put back under the plan table, and both say the
    template lacks the tag."""
    workspace, template = example_with_template(tmp_path / "ws")
    delete_paragraph(template, "{{ paper.exempt_note }}")
    capsys.readouterr()

    assert main(["validate", "--workspace", str(workspace), "--all"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "templates/paper.docx has no {{ paper.exempt_note }}" in said
    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    assert template_issues(tmp_path / "draft") == [("warning", "templates/paper.docx", "{{ paper.exempt_note }}")]
    body = docx.Document(str(tmp_path / "draft" / "paper.docx")).element.body
    plan = body.findall(qn("w:tbl"))[-1]
    after = plan.getnext()
    assert EXEMPT_NOTE in "".join(t.text or "" for t in after.iter(qn("w:t")))
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        assert EXEMPT_NOTE in " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def test_a_title_deleted_from_the_template_is_put_back_in_the_title_style_and_said(tmp_path: Path) -> None:
    """An officer deletes the `{{ paper.title }}` line at the top of the template (and the subtitle's, their
    reportgen.toml having no subtitle): the Word paper had no title, and nothing said so. It now opens with the
    paper's title in the Title style, and the build says why; the subtitle, which the paper does not have, is
    not missed."""
    workspace = make_workspace(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    delete_paragraph(template, "{{ paper.title }}")
    delete_paragraph(template, "{{ paper.subtitle }}")

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    assert template_issues(tmp_path / "draft") == [("warning", "templates/paper.docx", "{{ paper.title }}")]
    first = docx.Document(str(tmp_path / "draft" / "paper.docx")).paragraphs[0]
    assert (first.style.name, first.text) == ("Title", "Test Delivery Plan")


def marked_parts(document: docx.document.Document) -> list[docx.section._Header | docx.section._Footer]:
    """The template's page header and each of its page footers (the landscape plan's footer is its own), each
    holding the marking's block, as an officer finds them in Word."""
    return [document.sections[0].header,
            *(section.footer for section in document.sections if not section.footer.is_linked_to_previous)]


def test_a_protective_marking_deleted_from_the_page_header_and_footer_is_put_back_on_every_page(
        tmp_path: Path) -> None:
    """An officer takes `{{ paper.marking }}` out of the template's page header and footer (to type their own
    'OFFICIAL'): the restricted edition's Word paper was unmarked on every page. Its header now carries the
    marking, and the build says the template lacks it."""
    workspace, template = example_with_template(tmp_path / "ws")
    document = docx.Document(str(template))
    for part in marked_parts(document):  # its {%p if %} … {%p endif %} block
        texts = [p.text for p in part.paragraphs]
        start = texts.index("{%p if paper.marking %}")
        assert texts[start + 1:start + 3] == ["{{ paper.marking }}", "{%p endif %}"]
        for paragraph in part.paragraphs[start:start + 3]:
            paragraph._p.getparent().remove(paragraph._p)
    document.save(str(template))

    out = tmp_path / "draft"
    assert main(["build", "--workspace", str(workspace), "--edition", "restricted", "--out", str(out)]) == 0
    assert ("warning", "templates/paper.docx", "{{ paper.marking }}") in template_issues(out)
    built = docx.Document(str(out / "paper.docx"))
    assert all("RESTRICTED" in [p.text for p in section.header.paragraphs] for section in built.sections)


def _without_marking(part: docx.section._Header | docx.section._Footer) -> None:
    """Take the `{%p if paper.marking %}` … `{%p endif %}` block out of a page header or footer, as the officer does."""
    texts = [p.text for p in part.paragraphs]
    start = texts.index("{%p if paper.marking %}")
    for paragraph in part.paragraphs[start:start + 3]:
        paragraph._p.getparent().remove(paragraph._p)


def test_a_marking_left_only_in_a_first_page_footer_is_said_to_be_missing_from_the_footer_the_other_pages_show(
        tmp_path: Path) -> None:
    """An officer gives the cover page a footer of its own (Different First Page), keeps the marking there, and
    takes it out of the default header and footer: every page after the first was unmarked, and the build said
    nothing, as a footer of the template still held the tag. It now names the footer those pages show, and the
    Word paper marks them."""
    workspace, template = example_with_template(tmp_path / "ws")
    document = docx.Document(str(template))
    cover = document.sections[0]
    cover.different_first_page_header_footer = True
    first_footer = cover.first_page_footer
    first_footer.is_linked_to_previous = False
    for paragraph in first_footer.paragraphs:
        paragraph._p.getparent().remove(paragraph._p)
    for paragraph in cover.footer.paragraphs:  # the default footer's lines, marking and all
        first_footer._element.append(copy.deepcopy(paragraph._p))
    _without_marking(cover.header)
    _without_marking(cover.footer)
    document.save(str(template))

    out = tmp_path / "draft"
    assert main(["build", "--workspace", str(workspace), "--edition", "restricted", "--out", str(out)]) == 0
    assert template_said(out)["{{ paper.marking }}"].startswith(
        "templates/paper.docx has no {{ paper.marking }} in its page header or footer on every page (the pages of "
        "'Footer -Section 1-' have it in neither that footer nor their header), which shows the restricted "
        "edition's protective marking on every page")
    built = docx.Document(str(out / "paper.docx"))
    first = built.sections[0].first_page_footer
    assert [p.text for p in first.paragraphs].count("RESTRICTED") == 1
    assert all([p.text for p in section.header.paragraphs].count("RESTRICTED") == 1 for section in built.sections)


def test_a_marking_taken_out_of_the_landscape_pages_footer_and_the_header_is_said_of_that_footer(
        tmp_path: Path) -> None:
    """The landscape plan pages show a footer of their own (section 2's) under the one header: with the marking
    taken out of both, those pages were unmarked while the portrait pages' footer kept the tag, and nothing was
    said. The warning names section 2's footer, and the Word paper's plan pages carry the marking again."""
    workspace, template = example_with_template(tmp_path / "ws")
    document = docx.Document(str(template))
    _without_marking(document.sections[0].header)
    _without_marking(document.sections[1].footer)
    document.save(str(template))

    out = tmp_path / "draft"
    assert main(["build", "--workspace", str(workspace), "--edition", "restricted", "--out", str(out)]) == 0
    said = template_said(out)["{{ paper.marking }}"]
    assert "(the pages of 'Footer -Section 2-' have it in neither that footer nor their header)" in said
    assert "Section 1" not in said
    built = docx.Document(str(out / "paper.docx"))
    assert [p.text for p in built.sections[-1].header.paragraphs].count("RESTRICTED") == 1


def test_a_first_page_left_without_header_or_footer_is_said_and_given_a_marked_header(tmp_path: Path) -> None:
    """An officer ticks Different First Page and leaves the cover page's header and footer empty: the cover page of
    the restricted paper was unmarked, as no page header or footer it shows holds the tag. The build names its
    footer, and the Word paper gives that page a header of its own holding the marking."""
    workspace, template = example_with_template(tmp_path / "ws")
    document = docx.Document(str(template))
    document.sections[0].different_first_page_header_footer = True
    document.save(str(template))

    out = tmp_path / "draft"
    assert main(["build", "--workspace", str(workspace), "--edition", "restricted", "--out", str(out)]) == 0
    assert ("(the pages of 'First Page Footer -Section 1-' have it in neither that footer nor their header)"
            in template_said(out)["{{ paper.marking }}"])
    cover = docx.Document(str(out / "paper.docx")).sections[0]
    assert cover.first_page_header.paragraphs[0].text == "RESTRICTED"
    assert [p.text for p in cover.header.paragraphs].count("RESTRICTED") == 1  # the other pages' is as it was


def template_said(draft: Path) -> dict[str, str]:
    """What the build said of each needed tag the template lacks: its message and advice, by tag."""
    with (draft / "issues.csv").open(newline="", encoding="utf-8-sig") as file:
        return {row["value"]: " ".join(f"{row['message']} {row['advice']}".split())
                for row in csv.DictReader(file) if row["code"] == "template-tag-missing"}


def body_blocks(paper: Path) -> list[tuple[str, str, str]]:
    """The Word paper's body as it reads from the top: (paragraph or table, style, text) of each block."""
    blocks = []
    for block in docx.Document(str(paper)).element.body.iterchildren(qn("w:p"), qn("w:tbl")):
        style = block.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        blocks.append(("table" if block.tag == qn("w:tbl") else "paragraph",
                       style.get(qn("w:val")) if style is not None else "",
                       "".join(t.text or "" for t in block.iter(qn("w:t")))))
    return blocks


def test_a_subtitle_deleted_from_the_template_is_put_back_under_the_cover_sheet_as_reportgen_s_template_has_it(
        tmp_path: Path) -> None:
    """An officer deletes the `{{ paper.subtitle }}` line under the template's cover sheet table: the Word paper
    put the subtitle back between the title and the cover sheet, where neither the PDF nor reportgen's own
    template has it, and the advice said reportgen's template has it under the title. It is now put back right
    under the cover sheet table, and the advice says that is where reportgen's template has it."""
    workspace, template = example_with_template(tmp_path / "ws")
    delete_paragraph(template, "{{ paper.subtitle }}")

    out = tmp_path / "draft"
    assert main(["build", "--workspace", str(workspace), "--out", str(out)]) == 0
    said = template_said(out)["{{ paper.subtitle }}"]
    assert "puts it back under the cover sheet table" in said
    assert "reportgen's own template has it under the cover sheet table, before [[NARRATIVE]]" in said
    assert "under the title" not in said.replace("under the title when there is none", "")
    blocks = body_blocks(out / "paper.docx")
    cover = next(index for index, block in enumerate(blocks) if block[0] == "table")
    assert blocks[cover - 1][1:] == ("Title", "Safer Wessex Plan: Delivery Update (October 2026)")
    assert blocks[cover + 1][1:] == ("Subtitle", SUBTITLE)
    assert [text for _, _, text in blocks].count(SUBTITLE) == 1
    with pdfplumber.open(out / "paper.pdf") as pdf:  # where the PDF has it too
        first = " ".join((pdf.pages[0].extract_text() or "").split())
    assert first.index("DECISION(S) REQUIRED") < first.index(SUBTITLE)


def test_a_marking_moved_from_the_page_header_into_the_body_is_said_to_be_missing_from_the_page_header(
        tmp_path: Path) -> None:
    """An officer moves `{{ paper.marking }}` out of the template's page header and footer onto the first page:
    the build said 'templates/paper.docx has no {{ paper.marking }}', which the officer could see it has. It now
    says the page header and footer lack it, where its words must be to mark every page, and the Word paper's
    header carries the marking once."""
    workspace, template = example_with_template(tmp_path / "ws")
    document = docx.Document(str(template))
    for part in marked_parts(document):
        texts = [p.text for p in part.paragraphs]
        start = texts.index("{%p if paper.marking %}")
        for paragraph in part.paragraphs[start:start + 3]:
            paragraph._p.getparent().remove(paragraph._p)
    document.paragraphs[0].insert_paragraph_before("{{ paper.marking }}")
    document.save(str(template))

    out = tmp_path / "draft"
    assert main(["build", "--workspace", str(workspace), "--edition", "restricted", "--out", str(out)]) == 0
    assert template_said(out)["{{ paper.marking }}"].startswith(
        "templates/paper.docx has no {{ paper.marking }} in its page header or footer (only in its body), which "
        "shows the restricted edition's protective marking on every page")
    built = docx.Document(str(out / "paper.docx"))
    assert all([p.text for p in section.header.paragraphs].count("RESTRICTED") == 1 for section in built.sections)


def test_a_title_deleted_from_the_body_but_kept_as_the_running_title_is_said_to_be_missing_from_the_body(
        tmp_path: Path) -> None:
    """An officer deletes the `{{ paper.title }}` line at the top of the template, leaving the running title in
    the page header: the build said 'templates/paper.docx has no {{ paper.title }}', though the page header has
    one. It now says the body lacks it, the page header having only the running title, and the Word paper opens
    with the title once."""
    workspace, template = example_with_template(tmp_path / "ws")
    delete_paragraph(template, "{{ paper.title }}")

    out = tmp_path / "draft"
    assert main(["build", "--workspace", str(workspace), "--out", str(out)]) == 0
    assert template_said(out)["{{ paper.title }}"].startswith(
        "templates/paper.docx has no {{ paper.title }} in its body (only the page header's running title), which "
        "shows the paper's title")
    title = "Safer Wessex Plan: Delivery Update (October 2026)"
    blocks = body_blocks(out / "paper.docx")
    assert blocks[0][1:] == ("Title", title) and [text for _, _, text in blocks].count(title) == 1


def test_a_renamed_title_style_prints_no_python_warning_and_still_styles_the_title(tmp_path: Path) -> None:
    """An officer renames the Title style 'Report Title' in Word: build and validate printed python-docx's
    'UserWarning: style lookup by style_id is deprecated' on the console. The style is found by its id, quietly,
    and the title keeps it."""
    workspace, template = example_with_template(tmp_path / "ws")
    document = docx.Document(str(template))
    document.styles["Title"].name = "Report Title"
    document.save(str(template))

    for command in (["validate", "--workspace", str(workspace)],
                    ["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]):
        done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *command],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Warning" not in done.stderr and "deprecated" not in done.stderr, done.stderr
    first = docx.Document(str(tmp_path / "draft" / "paper.docx")).paragraphs[0]
    assert (first.style.name, first.text) == ("Report Title", "Safer Wessex Plan: Delivery Update (October 2026)")
    assert template_issues(tmp_path / "draft") == []  # no tag was deleted


def _without_cover_endfor(template: Path) -> None:
    document = docx.Document(str(template))
    row = next(row for row in document.tables[0].rows if row.cells[0].text == "{%tr endfor %}")
    row._tr.getparent().remove(row._tr)
    document.save(str(template))


def _without_marking_endif(template: Path) -> None:
    header = (document := docx.Document(str(template))).sections[0].header.paragraphs
    texts = [p.text for p in header]
    end = header[texts.index("{{ paper.marking }}") + 1]
    assert end.text == "{%p endif %}"
    end._p.getparent().remove(end._p)
    document.save(str(template))


@pytest.mark.parametrize(("break_it", "said"), [
    (_without_cover_endfor, "is broken: the `{%tr for row in paper.cover %}` in the cover sheet table in the body is "
                            "never closed: its `{%tr endfor %}` is missing. Type `{%tr endfor %}` back where the "
                            "block ends, in a table row of its own"),
    (_without_marking_endif, "is broken: the `{%p if paper.marking %}` in the page header is never closed: its "
                             "`{%p endif %}` is missing. Type `{%p endif %}` back where the block ends, on a line of "
                             "its own"),
], ids=["cover-endfor", "header-endif"])
def test_a_block_left_open_in_the_template_is_named_where_word_shows_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], break_it, said: str) -> None:  # type: ignore[no-untyped-def]
    """An officer deletes the cover table's `{%tr endfor %}` row, or the page header's `{%p endif %}` after the
    marking: the error named the text of another line ('{{ paper.exempt_note }}', '{{ paper.title }}') and a line
    of the body's XML, though the fault was in the cover table, or in the page header. It now names the part and
    the tag left open, and what to type back."""
    workspace, template = example_with_template(tmp_path / "ws")
    break_it(template)
    capsys.readouterr()

    for command in ("validate", "build"):
        assert main([command, "--workspace", str(workspace)]) == 1
        err = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
        assert f"DOCX template {template} {said}" in err, err
        assert "document.xml" not in err and "paper.title" not in err and "exempt_note" not in err


@pytest.mark.expected_logs("template-own-text")
def test_a_template_copied_before_its_footer_named_the_meeting_is_not_said_to_have_text_of_its_own(
        tmp_path: Path) -> None:
    """An officer restyled reportgen's template when its footer said only "Page X of Y": that line is no longer
    reportgen's template's own, and the build would say the officer typed it, to move into the narrative. It is
    still known as reportgen's; a line the officer did type there is still said."""
    workspace, template = example_with_template(tmp_path / "ws")
    document = docx.Document(str(template))
    for footer in marked_parts(document)[1:]:
        line = footer.paragraphs[0]
        for run in line.runs:  # the footer as it was: the page number alone
            if "paper.meeting" in run.text or run._r.find(qn("w:tab")) is not None:
                run.text = run.text.replace("\t", "") if "Page" in run.text else ""
    document.sections[0].footer.add_paragraph("Contact: the Panel's secretariat")
    document.save(str(template))
    assert docx.Document(str(template)).sections[0].footer.paragraphs[0].text == "Page 1 of 1"

    out = tmp_path / "draft"
    assert main(["build", "--workspace", str(workspace), "--out", str(out)]) == 0
    with (out / "issues.csv").open(newline="", encoding="utf-8-sig") as file:
        own = [row["value"] for row in csv.DictReader(file) if row["code"] == "template-own-text"]
    assert own == ["'Contact: the Panel's secretariat'"]
