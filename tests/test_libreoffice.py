"""paper.docx renders in LibreOffice as in Word: the delivery-plan pages landscape, header cells whole; a
return workbook saved again by LibreOffice still says which period it was made for.

Converted with LibreOffice's own `soffice --headless --convert-to pdf` (installed by
scripts/install-system-deps.sh), then the pages are measured with pypdf and the header words read
with pdfplumber.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from docx.oxml.ns import qn
from PIL import Image

from conftest import (
    ROOT,
    SAMPLE,
    benchmark_workspace,
    blocked_workspace,
    copy_example,
    default_returns,
    make_workspace,
    needs_sample,
    write_xlsx,
)
from reportgen.model import UpdateState
from reportgen.read.returns import made_for
from reportgen.render.theme import read_theme
from reportgen.render.xlsx import write_register_xlsx
from reportgen.run.build import check_draft, render_docx, validate_draft
from reportgen.run.restyle import copy_templates
from reportgen.run.returns import write_return_workbooks

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed "
                                       "(scripts/install-system-deps.sh installs it)")
HEADER = "Explanation / Link to meeting papers"  # the repeated header row: on every plan page
HEADER_WORDS = ("Plan", "priority", "Action", "Status", "reporting", "period", "Explanation", "Timeframe",
                "delivery", "Completion", "CSCJ", "page")


def docx_only(workspace: Path, out: Path) -> Path:
    """paper.docx as the build writes it (the same checks and paper), without the PDF."""
    checks = check_draft(workspace)
    out.mkdir(parents=True, exist_ok=True)
    return render_docx(checks.paper, checks.plan, out)


def convert(document: Path, out: Path, to: str = "pdf") -> Path:
    """LibreOffice's own PDF of `document` (or, `to="xlsx"`, the workbook as LibreOffice saves it), with a
    profile of its own (tests may run side by side)."""
    assert SOFFICE is not None
    profile = out / "profile"
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
               "--outdir", str(out), str(document)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=900)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # soffice.bin with it: its own process group
        raise
    converted = out / f"{document.stem}.{to}"
    assert converted.is_file(), output.decode(errors="replace")
    return converted


def check_landscape_plan(pdf: Path) -> int:
    """Every page holding the plan table is landscape, every page before it portrait; returns the count."""
    reader = pypdf.PdfReader(pdf)
    texts = [page.extract_text() or "" for page in reader.pages]
    landscape = [float(page.mediabox.width) > float(page.mediabox.height) for page in reader.pages]
    plan = [index for index, text in enumerate(texts) if HEADER in " ".join(text.split())]
    assert plan, "no page holds the delivery-plan table"
    assert all(landscape[index] for index in plan), [i + 1 for i in plan if not landscape[i]]
    assert all(landscape[plan[0]:]), "a page after the table starts is portrait"
    assert not any(landscape[: plan[0]]), "the cover sheet and narrative are portrait"
    with pdfplumber.open(pdf) as document:
        for index in plan[:3]:  # the header row on the first pages: each heading word whole
            page = document.pages[index]
            words = {w["text"] for w in page.extract_words() if w["top"] < page.height * 0.3}
            missing = [word for word in HEADER_WORDS if word not in words]
            assert not missing, f"page {index + 1}: header words broken or missing: {missing}"
    return len(plan)


@needs_libreoffice
def test_example_docx_is_landscape_in_libreoffice(tmp_path: Path) -> None:
    document = docx_only(copy_example(tmp_path / "ws"), tmp_path / "out")
    assert check_landscape_plan(convert(document, tmp_path / "lo")) >= 3


@needs_libreoffice
@needs_sample
def test_sample_docx_is_landscape_in_libreoffice(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    document = docx_only(root, tmp_path / "out")
    assert check_landscape_plan(convert(document, tmp_path / "lo")) >= 20


@pytest.mark.slow
@needs_libreoffice
def test_a_1500_action_docx_is_landscape_in_libreoffice(tmp_path: Path) -> None:
    workspace = benchmark_workspace(tmp_path / "ws", 1500)
    document = docx_only(workspace, tmp_path / "out")
    assert check_landscape_plan(convert(document, tmp_path / "lo")) >= 200


def overprinted_words(pdf: Path) -> list[tuple[int, str, str]]:
    """Words drawn over another word of the same page: (page, word, word), as LibreOffice printed them."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            words = page.extract_words()
            for index, word in enumerate(words):
                for other in words[index + 1:]:
                    width = min(word["x1"], other["x1"]) - max(word["x0"], other["x0"])
                    height = min(word["bottom"], other["bottom"]) - max(word["top"], other["top"])
                    if width > 1 and height > 1:
                        found.append((number, word["text"], other["text"]))
    return found


@needs_libreoffice
@needs_sample
def test_return_workbooks_print_in_libreoffice_without_rows_drawn_over_each_other(tmp_path: Path) -> None:
    """LibreOffice does not size rows of wrapped text when it opens a workbook (Excel does): each row
    carries a height for its text, or every line of a long explanation was drawn over the rows below."""
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    written, _ = write_return_workbooks(root, "2023-03")
    for workbook in written:
        pdf = convert(workbook, tmp_path / workbook.stem)
        assert overprinted_words(pdf) == [], workbook.name
        assert pypdf.PdfReader(pdf).pages[-1].extract_text().startswith("Partner return")  # the Instructions sheet
    register = tmp_path / "register.xlsx"  # the build's merged register: the same rows of wrapped text
    write_register_xlsx(check_draft(root).paper, register)
    assert overprinted_words(convert(register, tmp_path / "register")) == []


@needs_libreoffice
def test_a_template_saved_by_libreoffice_keeps_its_heading_styles(tmp_path: Path) -> None:
    """LibreOffice saves "Heading 1" as written (Word as "heading 1"): the restyled headings were not found,
    and the PDF silently went back to the default look."""
    import docx

    restyled = tmp_path / "restyled.docx"
    document = docx.Document(str(ROOT / "templates" / "paper.docx"))
    document.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0xC0, 0x00, 0x00)
    document.save(str(restyled))
    assert SOFFICE is not None
    out = tmp_path / "lo"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(out), str(restyled)], check=True, timeout=600,
                   capture_output=True)
    saved = out / "restyled.docx"
    assert 'w:val="Heading 1"' in zipfile.ZipFile(saved).read("word/styles.xml").decode()  # as LibreOffice names it
    theme, _issues = read_theme(saved)
    assert theme.headings[0].colour == "C00000" and theme.headings[1].size == 11.5


@needs_libreoffice
def test_a_template_saved_by_libreoffice_keeps_the_cover_sheet_portrait(tmp_path: Path) -> None:
    """An officer writes our template with `reportgen template`, restyles it in LibreOffice and saves it as
    .docx: LibreOffice keeps the section break that ends the portrait pages at the end of the
    `{%p endif %}` paragraph before the plan, which docxtpl removes, so the paper's cover sheet and
    narrative came out landscape like the plan (the PDF, which reads the page setup itself, did not)."""
    import docx
    from docx.enum.section import WD_ORIENT

    root = make_workspace(tmp_path / "ws")
    written, _kept = copy_templates(root)
    assert SOFFICE is not None
    out = tmp_path / "lo"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(out), str(written[0])], check=True, timeout=600,
                   capture_output=True)
    shutil.copy(out / "paper.docx", written[0])
    document = docx_only(root, tmp_path / "out")
    orientations = [section.orientation for section in docx.Document(str(document)).sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert check_landscape_plan(convert(document, tmp_path / "pdf")) >= 1


@needs_libreoffice
def test_a_return_workbook_saved_again_by_libreoffice_still_says_its_period(tmp_path: Path) -> None:
    """A partner opens October's workbook in LibreOffice, saves it and sends it back: it still says it was made
    for October, so filed under November it is not read as November's return; under October it is read."""
    root = make_workspace(tmp_path / "ws", period="2026-09")
    written, _ = write_return_workbooks(root, "2026-10", tmp_path / "october")
    saved = convert(written[0], tmp_path / "lo", to="xlsx")
    assert saved.read_bytes() != written[0].read_bytes() and made_for(saved) == "2026-10"
    filed = {}
    for period in ("2026-10", "2026-11"):
        (root / "inputs" / "returns" / period).mkdir(exist_ok=True)
        shutil.copy(saved, root / "inputs" / "returns" / period / "wessex-police.xlsx")
        filed[period] = validate_draft(root, period)
    wrong = [i for i in filed["2026-11"].issues if i.code == "return-wrong-period"]
    assert [(i.file, i.value) for i in wrong] == [("inputs/returns/2026-11/wessex-police.xlsx", "2026-10")]
    assert "made for October 2026, not the one for November 2026" in wrong[0].message
    police = {1, 3}
    assert not {a.ref for a in filed["2026-11"].checked.merged.actions if a.state is UpdateState.UPDATED} & police
    october = filed["2026-10"]
    assert "return-wrong-period" not in {i.code for i in october.issues}
    assert police <= {a.ref for a in october.checked.merged.actions if a.state is UpdateState.UPDATED}


RESOLVE_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Resolve(inPath As String, outPath As String, how As String)
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = "Hidden" : hidden(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), "_blank", 0, hidden())
  dispatcher = createUnoService("com.sun.star.frame.DispatchHelper")
  Dim none(0) As New com.sun.star.beans.PropertyValue
  frame = doc.getCurrentController().getFrame()
  dispatcher.executeDispatch(frame, ".uno:" &amp; how &amp; "AllTrackedChanges", "", 0, none())
  Dim filter(0) As New com.sun.star.beans.PropertyValue
  filter(0).Name = "FilterName" : filter(0).Value = "MS Word 2007 XML"
  doc.storeToURL(ConvertToURL(outPath), filter())
  doc.close(True)
End Sub
</script:module>
"""


def resolved_by_libreoffice(document: Path, how: str, out: Path) -> Path:
    """`document` with every tracked change accepted (`how="Accept"`) or rejected ("Reject") by LibreOffice
    itself (a Basic macro in a profile of the test's own), saved as .docx."""
    assert SOFFICE is not None
    profile = out / "resolve-profile"
    if not profile.exists():
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--terminate_after_init"],
                       capture_output=True, timeout=300, check=False)
        (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(RESOLVE_MACRO, encoding="utf-8")
    target = out / f"{how.lower()}ed.docx"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    f'macro:///Standard.Module1.Resolve("{document}","{target}","{how}")'],
                   capture_output=True, timeout=300, check=False)
    assert target.is_file()
    return target


def explanation_cells(document: Path) -> dict[int, list[tuple[str, str]]]:
    """Each action's explanation cell as (paragraph style, text) pairs."""
    import docx

    table = docx.Document(str(document)).tables[-1]
    return {int(cells[0].text): [(paragraph.style.name, paragraph.text) for paragraph in cells[3].paragraphs]
            for row in table.rows if (cells := row.cells)[0].text.strip().isdigit()}


@needs_libreoffice
def test_accepting_or_rejecting_every_change_of_a_comparison_in_libreoffice_gives_each_draft(tmp_path: Path
                                                                                              ) -> None:
    """A partner adds a bullet at the end of an explanation, turns another into a list and shortens a third.
    diff.docx tracked an item at a cell's end by its own paragraph mark, which a word processor never removes
    (a cell's last): rejecting every change in LibreOffice left an empty bullet in the cell. Resolved by
    LibreOffice itself, in both directions, every explanation cell is now the draft's, styles and all."""
    import openpyxl

    from reportgen.run.build import build_draft
    from reportgen.shells.cli import main

    root = copy_example(tmp_path / "ws")
    first = build_draft(root, period="2026-10").folder
    filed = root / "inputs" / "returns" / "2026-10" / "wessex-police.xlsx"
    book = openpyxl.load_workbook(filed)
    sheet = book["Return"]
    header = next(row for row in sheet.iter_rows() if any("Explanation" in str(cell.value) for cell in row))
    column = next(cell.column - 1 for cell in header if "Explanation" in str(cell.value))
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        ref = str(row[0].value).strip()
        if ref == "1":
            row[column].value = f"{row[column].value}\n• An added point."
        elif ref == "3":
            row[column].value = "Only this line remains."
        elif ref == "19":
            row[column].value = "Phase 2 has begun:\n• first item\n• second item"
    book.save(filed)
    second = build_draft(root, period="2026-10").folder
    for old, new, name in ((first, second, "forward"), (second, first, "back")):
        out = tmp_path / name
        assert main(["diff", str(old), str(new), "--out", str(out)]) == 0
        for how, expected in (("Accept", new), ("Reject", old)):
            got = explanation_cells(resolved_by_libreoffice(out / "diff.docx", how, out))
            assert got == explanation_cells(expected / "paper.docx"), (name, how)
    bullets = explanation_cells(second / "paper.docx")[19]
    assert [style for style, _text in bullets] == ["Table Text", "List Bullet", "List Bullet"]


def _saved_by_libreoffice(document: Path, out: Path) -> Path:
    """`document` opened and saved again as .docx by LibreOffice (its runs, fields and headers rewritten)."""
    assert SOFFICE is not None
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{out / 'profile'}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(out), str(document)], check=True, timeout=600,
                   capture_output=True)
    return out / document.name


@needs_libreoffice
def test_text_or_a_picture_put_on_the_template_page_is_said_to_show_in_the_word_paper_only(tmp_path: Path) -> None:
    """An officer adds a contact line under the cover sheet, 'OFFICIAL' in the footer and a logo at the top of
    the cover page (not in its header) of the template, and saves it in LibreOffice: the Word paper had them,
    the PDF silently not (it is written from reportgen.toml and the narrative). The build now says so, naming
    them; the page number fields and our own words are not the officer's."""
    import docx

    root = make_workspace(tmp_path / "ws")
    written, _kept = copy_templates(root)
    template = written[0]
    shutil.copy(_saved_by_libreoffice(template, tmp_path / "plain"), template)  # saved as it is: nothing of its own
    validated = validate_draft(root)
    assert not [i for i in validated.issues if i.code == "template-own-text"]

    document = docx.Document(str(template))
    cover = next(t for t in document.tables if "row.label" in "".join(c.text for c in t._cells))
    contact = document.add_paragraph("Contact: Jo Harding, ")
    contact.add_run("01234 567890").bold = True
    cover._element.addnext(contact._p)
    document.sections[0].footer.add_paragraph("OFFICIAL")
    picture = io.BytesIO()
    Image.new("RGB", (120, 40), "purple").save(picture, format="PNG")
    document.paragraphs[0].insert_paragraph_before().add_run().add_picture(picture, height=docx.shared.Mm(10))
    document.element.body.find(f".//{qn('wp:docPr')}").set("descr", "Wessex OPCC logo")  # on the page, not the header
    document.save(str(template))
    shutil.copy(_saved_by_libreoffice(template, tmp_path / "own"), template)

    from reportgen.shells.cli import main

    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 0
    with (tmp_path / "draft" / "issues.csv").open(newline="", encoding="utf-8-sig") as file:
        rows = [row for row in csv.DictReader(file) if row["code"] == "template-own-text"]
    assert [(row["severity"], row["file"], row["value"]) for row in rows] == [
        ("warning", "templates/paper.docx",
         "'Contact: Jo Harding, 01234 567890', 'OFFICIAL', a picture ('Wessex OPCC logo')")]
    assert "only the Word paper shows" in rows[0]["message"] and "[[paper.cover]]" in rows[0]["advice"]
    paper = docx.Document(str(tmp_path / "draft" / "paper.docx"))
    assert "Contact: Jo Harding, 01234 567890" in [p.text for p in paper.paragraphs]
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        assert "Jo Harding, 01234" not in (pdf.pages[0].extract_text() or "")


@needs_libreoffice
def test_a_logo_put_in_the_plan_pages_header_of_a_template_saved_by_libreoffice_reaches_the_pdf(
        tmp_path: Path) -> None:
    """LibreOffice saves the plan's landscape pages with a header of their own; an officer who put the logo in
    that header (where the plan pages show it) got it in the Word paper and in no page of the PDF, without a
    word: only the first section's header was read. A logo in one of the two headers only is now said."""
    import docx

    root = make_workspace(tmp_path / "ws")
    template = copy_templates(root)[0][0]
    shutil.copy(_saved_by_libreoffice(template, tmp_path / "saved"), template)
    document = docx.Document(str(template))
    assert not document.sections[-1].header.is_linked_to_previous  # as LibreOffice saves it
    picture = io.BytesIO()
    Image.new("RGB", (120, 40), "purple").save(picture, format="PNG")
    document.sections[-1].header.add_paragraph().add_run().add_picture(picture, height=docx.shared.Mm(10))
    document.sections[-1].header._element.find(f".//{qn('wp:docPr')}").set("descr", "Wessex OPCC logo")
    document.save(str(template))

    from reportgen.shells.cli import main

    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 0
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        assert all(len(page.images) == 1 for page in pdf.pages)
    paper = docx.Document(str(tmp_path / "draft" / "paper.docx"))
    assert [d.get("descr") for d in paper.sections[-1].header._element.iter(qn("wp:docPr"))] == ["Wessex OPCC logo"]
    # the cover pages' header has none: the Word paper shows the logo on the plan's pages only, and is said to
    with (tmp_path / "draft" / "issues.csv").open(newline="", encoding="utf-8-sig") as file:
        rows = [(row["code"], row["severity"], row["file"]) for row in csv.DictReader(file)
                if row["code"].startswith(("logo-", "template-"))]
    assert rows == [("logo-not-every-page", "warning", "templates/paper.docx")]

    document = docx.Document(str(template))  # as the warning says: the logo in the other pages' header too
    picture.seek(0)
    document.sections[0].header.add_paragraph().add_run().add_picture(picture, height=docx.shared.Mm(10))
    document.sections[0].header._element.find(f".//{qn('wp:docPr')}").set("descr", "Wessex OPCC logo")
    document.save(str(template))
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft2")]) == 0
    issues = (tmp_path / "draft2" / "issues.csv").read_text(encoding="utf-8-sig")
    assert "logo-" not in issues and "template-" not in issues
    with pdfplumber.open(tmp_path / "draft2" / "paper.pdf") as pdf:
        assert all(len(page.images) == 1 for page in pdf.pages)


def struck_marking_pages(pdf: Path, marking: str) -> list[bool]:
    """For each page that shows `marking`'s first word ("DRAFT"), whether a line is drawn through it (how
    LibreOffice strikes a tracked deletion): a horizontal line or thin box across the word's middle."""
    first = marking.split()[0]
    struck = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            words = [word for word in page.extract_words() if word["text"] == first]
            if not words:
                continue
            word = words[0]
            middle = (word["top"] + word["bottom"]) / 2
            shapes = [*page.lines, *page.rects, *page.edges]
            struck.append(any(shape["x0"] <= word["x1"] and shape["x1"] >= word["x0"]
                              and shape["top"] - 1 <= middle + 2 and shape["bottom"] + 1 >= middle - 2
                              and shape["bottom"] - shape["top"] < 3 for shape in shapes))
    return struck


@needs_libreoffice
def test_a_comparison_with_a_draft_no_longer_blocked_strikes_its_marking_on_every_page_in_libreoffice(
        tmp_path: Path) -> None:
    """The issues that blocked a draft are fixed and it is built again. diff.docx deleted the page header's
    "DRAFT – not for publication" as a tracked change, but the landscape plan pages inherited the cover's
    header, and LibreOffice showed the marking there as plain red text: the paper looked still blocked. Each
    section now has its header of its own, so every page shows the marking struck through; and the file's
    title property is the new draft's, no longer led by "DRAFT"."""
    import docx

    from reportgen.run.build import build_draft
    from reportgen.shells.cli import main

    root = blocked_workspace(tmp_path / "ws")
    blocked = build_draft(root).folder
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "opcc.xlsx", default_returns()["opcc.xlsx"])
    clean = build_draft(root).folder
    assert main(["diff", str(blocked), str(clean), "--out", str(tmp_path / "cmp")]) == 0
    comparison = docx.Document(str(tmp_path / "cmp" / "diff.docx"))
    marking = "DRAFT – not for publication: 2 issues to resolve"
    assert len(comparison.sections) >= 2
    for section in comparison.sections:
        assert not section.header.is_linked_to_previous
        deleted = "".join(text.text or "" for text in section.header._element.iter(qn("w:delText")))
        assert deleted == marking, section.orientation
    assert comparison.core_properties.title == docx.Document(str(clean / "paper.docx")).core_properties.title
    assert not comparison.core_properties.title.startswith("DRAFT")
    pdf = convert(tmp_path / "cmp" / "diff.docx", tmp_path / "pdf")
    assert len(pypdf.PdfReader(pdf).pages) >= 2
    struck = struck_marking_pages(pdf, marking)
    assert len(struck) == len(pypdf.PdfReader(pdf).pages) and all(struck), struck
