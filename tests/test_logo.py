"""The logo an officer puts in the Word template's page header, as Word puts it there: on the header's first line
(the `{%p if paper.draft_marking %}` line, where Word's cursor lands), or in a tag's table row, or marked as
decorative. Read back from both papers: the Word paper's header XML with python-docx, the PDF's pictures with
pdfplumber and its structure tree with pikepdf.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import replace
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from conftest import ROOT, copy_example, make_paper, make_workspace
from reportgen.render.docx.writer import write_docx
from reportgen.render.pdf.writer import write_pdf
from reportgen.render.theme import read_theme
from reportgen.shells.cli import main

sys.path.insert(0, str(ROOT / "scripts"))
from make_theme_pictures import LOGO_ALT, logo_png

TEMPLATES = ROOT / "templates"
# Word 365's "Mark as decorative", as it writes it in the picture's docPr
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
DECORATIVE = (f'<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
              f'<a:ext uri="{{C183D7F6-B498-43B3-948B-1728B52AA6E4}}">'
              f'<adec:decorative xmlns:adec="{DECORATIVE_NS}" val="1"/></a:ext></a:extLst>')


def _put_picture(paragraph: docx.text.paragraph.Paragraph, alt: str = LOGO_ALT, decorative: bool = False) -> None:
    """A picture inserted at the end of `paragraph`, as Word's Insert > Pictures does where the cursor is, with
    its alt text (Edit Alt Text), or marked decorative (Word then clears the alt text)."""
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(logo_png()), height=Mm(10))
    doc_pr = run._r.find(f".//{qn('wp:docPr')}")
    if decorative:
        doc_pr.append(etree.fromstring(DECORATIVE))
    else:
        doc_pr.set("descr", alt)


def _template(workspace: Path) -> Path:
    assert main(["template", "--workspace", str(workspace)]) == 0
    return workspace / "templates" / "paper.docx"


def _issues(draft: Path, *prefixes: str) -> list[tuple[str, str, str, str]]:
    with (draft / "issues.csv").open(newline="", encoding="utf-8-sig") as file:
        return [(row["code"], row["severity"], row["value"], row["message"]) for row in csv.DictReader(file)
                if row["code"].startswith(prefixes)]


def _descriptions(element: etree._Element) -> list[str | None]:
    return [doc_pr.get("descr") for doc_pr in element.iter(qn("wp:docPr"))]


def _figures(pdf: Path) -> list[str]:
    """The /Alt of each Figure of the PDF's structure tree, in its order."""
    found = []
    with pikepdf.open(pdf) as document:
        stack = [document.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            for kid in reversed(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if kid.S == "/Figure":
                        found.append(str(kid.get("/Alt", "")))
                    stack.append(kid)
    return found


# ---------------------------------------------------------------- a logo on the header's first line


def test_a_logo_put_on_the_first_line_of_the_page_header_shows_on_every_page_of_the_word_paper(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Opening the header in Word puts the cursor on its first line, the `{%p if paper.draft_marking %}` tag's:
    a logo inserted there vanished from the Word paper without a word (docxtpl takes the tag's whole line away),
    while the PDF showed it. It is now a line of its own where it was, before the draft marking's block."""
    workspace = make_workspace(tmp_path / "ws")
    template = _template(workspace)
    document = docx.Document(str(template))
    first_line = document.sections[0].header.paragraphs[0]
    assert first_line.text == "{%p if paper.draft_marking %}"  # where Word's cursor lands
    _put_picture(first_line)
    document.save(str(template))

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    paper = docx.Document(str(tmp_path / "draft" / "paper.docx"))
    header = paper.sections[0].header
    assert _descriptions(header._element) == [LOGO_ALT]
    assert header.paragraphs[0]._p.find(f".//{qn('w:drawing')}") is not None  # where it was: the top line
    blip = header._element.find(f".//{{{'http://schemas.openxmlformats.org/drawingml/2006/main'}}}blip")
    assert header.part.related_parts[blip.get(qn("r:embed"))].blob == logo_png()
    assert all(_descriptions(section.header._element) == [LOGO_ALT] for section in paper.sections)  # the plan's too
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        assert all(len(page.images) == 1 for page in pdf.pages)
    assert _figures(tmp_path / "draft" / "paper.pdf") == [LOGO_ALT]
    assert _issues(tmp_path / "draft", "logo-", "template-") == []


def test_a_picture_on_a_tag_line_of_the_footer_the_first_page_header_or_the_body_stays_in_the_word_paper(
        tmp_path: Path) -> None:
    """The same loss wherever docxtpl takes a `{%p … %}` line away: the footer's `{%p if paper.marking %}` line,
    a first-page header's, and the body's lines of the blocking issues' block (within another block too, whose
    picture goes before the outermost one, so that it shows whether or not anything blocks)."""
    template = tmp_path / "paper.docx"
    document = docx.Document(str(TEMPLATES / "paper.docx"))
    section = document.sections[0]
    marking = next(p for p in section.footer.paragraphs if p.text == "{%p if paper.marking %}")
    _put_picture(marking, "footer badge")
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.paragraphs[0].text = "{%p if paper.marking %}"
    _put_picture(first.paragraphs[0], "first-page logo")
    first.add_paragraph("{{ paper.marking }}")
    first.add_paragraph("{%p endif %}")
    loop = next(p for p in document.paragraphs if p.text == "{%p for line in paper.blocking %}")
    _put_picture(loop, "inside the blocking block")
    _put_picture(next(p for p in document.paragraphs if p.text == "{%p endif %}"), "after the blocking block")
    document.save(str(template))

    write_docx(replace(make_paper(6, 1), blocking=()), template, tmp_path / "out.docx")
    paper = docx.Document(str(tmp_path / "out.docx"))
    section = paper.sections[0]
    assert _descriptions(section.footer._element) == ["footer badge"]
    assert _descriptions(section.first_page_header._element) == ["first-page logo"]
    body = [(p.text, _descriptions(p._p)) for p in paper.paragraphs if _descriptions(p._p)]
    assert body == [("", ["inside the blocking block"]), ("", ["after the blocking block"])]


def test_a_picture_in_the_row_of_a_table_tag_is_said_to_be_left_out_of_the_word_paper(tmp_path: Path) -> None:
    """A picture in the `{%tr for row in paper.cover %}` row goes with the row, which docxtpl takes away: which
    row it belongs in cannot be told, so the build says so, naming the table and the tag."""
    workspace = make_workspace(tmp_path / "ws")
    template = _template(workspace)
    document = docx.Document(str(template))
    row = next(row for table in document.tables for row in table.rows
               if "{%tr for row in paper.cover %}" in row.cells[0].text)
    _put_picture(row.cells[0].paragraphs[0], "crest")
    document.save(str(template))

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    [(code, severity, value, message)] = _issues(tmp_path / "draft", "template-picture")
    assert (code, severity, value) == ("template-picture-in-tag-row", "warning", "{%tr for row in paper.cover %}")
    assert message == ("templates/paper.docx has a picture in the cover sheet table in its body, in the row of its "
                       "tag {%tr for row in paper.cover %}: the Word paper leaves that row out when it fills the "
                       "table in, so the picture is not in the Word paper.")
    assert _descriptions(docx.Document(str(tmp_path / "draft" / "paper.docx")).element.body) == []


# ---------------------------------------------------------------- a logo marked decorative


def test_a_logo_marked_decorative_is_page_furniture_in_the_pdf_and_stays_decorative_in_the_word_paper(
        tmp_path: Path) -> None:
    """A logo ticked "Mark as decorative" in Word was warned of as having no alt text, and the PDF tagged it as
    a Figure "Logo", which a screen reader says. It is now an artifact on every page of the PDF, unread, with no
    warning, and the Word paper keeps Word's decorative mark."""
    workspace = make_workspace(tmp_path / "ws")
    template = _template(workspace)
    document = docx.Document(str(template))
    _put_picture(document.sections[0].header.add_paragraph(), decorative=True)
    document.save(str(template))

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    assert _issues(tmp_path / "draft", "logo-", "template-") == []
    assert _figures(tmp_path / "draft" / "paper.pdf") == []
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        assert [[image["tag"] for image in page.images] for page in pdf.pages] == [["Artifact"]] * len(pdf.pages)
    header = docx.Document(str(tmp_path / "draft" / "paper.docx")).sections[0].header._element
    flags = header.findall(f".//{qn('wp:docPr')}//{{{DECORATIVE_NS}}}decorative")
    assert [flag.get("val") for flag in flags] == ["1"]


def test_a_decorative_logo_is_page_furniture_in_a_long_paper_laid_out_in_parts(tmp_path: Path) -> None:
    template = tmp_path / "paper.docx"
    document = docx.Document(str(TEMPLATES / "paper.docx"))
    _put_picture(document.sections[0].header.add_paragraph(), decorative=True)
    document.save(str(template))
    theme, issues = read_theme(template)
    assert issues == [] and theme.logo is not None and (theme.logo.decorative, theme.logo.alt) == (True, "")

    write_pdf(replace(make_paper(110, 3), theme=theme), TEMPLATES, tmp_path / "paper.pdf")
    assert _figures(tmp_path / "paper.pdf") == []
    with pdfplumber.open(tmp_path / "paper.pdf") as pdf:
        assert [[image["tag"] for image in page.images] for page in pdf.pages] == [["Artifact"]] * len(pdf.pages)


def test_every_picture_of_the_word_paper_has_an_id_of_its_own_the_header_logo_beside_the_charts(
        tmp_path: Path) -> None:
    """Word requires each drawing's id to be the document's only one. python-docx numbered the progress charts
    after the body's ids alone, so the first chart took id 1 beside the header logo's 1, which Word may offer to
    repair. Every drawing across the body, headers and footers has its own id."""
    import re
    import zipfile

    workspace = copy_example(tmp_path / "ws")
    template = _template(workspace)
    document = docx.Document(str(template))
    _put_picture(document.sections[0].header.paragraphs[0])
    document.save(str(template))
    assert main(["build", "--workspace", str(workspace), "--period", "2026-09"]) in (0, 1)
    assert main(["build", "--workspace", str(workspace), "--period", "2026-10", "--out",
                 str(tmp_path / "draft")]) in (0, 1)
    with zipfile.ZipFile(tmp_path / "draft" / "paper.docx") as package:
        ids = {name: re.findall(rb"<wp:docPr [^>]*?\bid=\"(\d+)\"", package.read(name))
               for name in package.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)}
    every = [number for found in ids.values() for number in found]
    assert len([n for n in ids["word/document.xml"]]) >= 2  # the charts
    assert any(found for name, found in ids.items() if name.startswith("word/header"))  # the logo
    assert len(every) == len(set(every)), ids
