"""The files as a committee services officer publishes them on the council's website: what their own properties
say (title, subject, author, keywords), and that nothing of the people who edited the Word template goes with
them. Each test builds through the command line and reads the files back."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import docx
import lxml.html
import openpyxl
import pikepdf
import pytest
from docx.oxml.ns import qn
from lxml import etree

from conftest import copy_example
from reportgen.run.restyle import WORD_TEMPLATE, copy_templates
from reportgen.shells.cli import main

EDITOR = "Jane Editorname"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/'
          'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
          f'docPropsVTypes"><property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Owner">'
          f'<vt:lpwstr>{EDITOR}</vt:lpwstr></property></Properties>')


def _reviewed_in_word(template: Path) -> None:
    """The template as an officer leaves it after restyling in Word with Track Changes on: the title's line a
    tracked insertion, a line deleted as a tracked change, a comment on the title, Track Changes still on, and the
    officer's name as the template's manager, in its core properties and in a custom property."""
    document = docx.Document(str(template))
    title = next(p for p in document.paragraphs if "{{ paper.title }}" in p.text)
    document.add_comment(title.runs, text="Is this the right colour?", author=EDITOR, initials="JE")
    inserted = etree.SubElement(title._p, qn("w:ins"), {qn("w:id"): "901", qn("w:author"): EDITOR,
                                                        qn("w:date"): "2026-01-05T09:00:00Z"})
    for run in title._p.findall(qn("w:r")):
        inserted.append(run)  # the title's own run, now inside the insertion
    deleted = etree.SubElement(title._p, qn("w:del"), {qn("w:id"): "902", qn("w:author"): EDITOR,
                                                       qn("w:date"): "2026-01-05T09:00:00Z"})
    etree.SubElement(etree.SubElement(deleted, qn("w:r")), qn("w:delText")).text = "Old heading by the editor"
    etree.SubElement(document.settings.element, qn("w:trackRevisions"))
    document.core_properties.author = document.core_properties.last_modified_by = EDITOR
    document.core_properties.category = document.core_properties.content_status = f"Checked by {EDITOR}"
    document.save(str(template))
    with zipfile.ZipFile(template) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    manager = f"<Manager>{EDITOR}</Manager>".encode()
    parts["docProps/app.xml"] = parts["docProps/app.xml"].replace(b"<Manager/>", manager)
    parts["docProps/custom.xml"] = CUSTOM.encode()
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.custom-properties+xml"/></Types>')
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert EDITOR.encode() in b"".join(parts.values()) and b"<w:comment " in parts["word/comments.xml"]


@pytest.mark.expected_logs("template-review-marks")
def test_a_template_left_with_comments_and_tracked_changes_gives_a_paper_with_no_editor_in_it(tmp_path: Path) -> None:
    """An officer restyles the Word template with Track Changes on and leaves a comment: every paper laid out from
    it carried the comment, the tracked changes under the officer's name, Track Changes switched on (so the next
    person's edits were tracked too), the officer's name as the manager and a custom property, onto the council's
    website. The paper is now laid out with the changes accepted, no comment, Track Changes off and no custom or
    template-only properties, and the build says what the template holds and how to clear it."""
    workspace = copy_example(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    _reviewed_in_word(template)
    as_left = template.read_bytes()
    out = tmp_path / "draft"

    assert main(["build", "--workspace", str(workspace), "--out", str(out)]) == 0

    with zipfile.ZipFile(out / "paper.docx") as package:
        parts = {name: package.read(name) for name in package.namelist()}
    leaked = [name for name, data in parts.items() if EDITOR.encode() in data]
    assert leaked == [], leaked
    assert not [name for name in parts if "comment" in name or "people" in name or "custom.xml" in name]
    body = etree.fromstring(parts["word/document.xml"])
    for tag in ("ins", "del", "commentRangeStart", "commentReference"):
        assert body.find(f".//{{{W_NS}}}{tag}") is None, tag
    assert b"trackRevisions" not in parts["word/settings.xml"]
    assert b"Old heading by the editor" not in parts["word/document.xml"]
    paper = docx.Document(str(out / "paper.docx"))
    assert paper.paragraphs[0].text == paper.core_properties.title  # the title, its insertion accepted
    assert (paper.core_properties.category, paper.core_properties.content_status) == ("", "")
    with (out / "issues.csv").open(newline="", encoding="utf-8-sig") as file:
        said = [row for row in csv.DictReader(file) if row["code"] == "template-review-marks"]
    assert [(row["severity"], row["file"], row["value"]) for row in said] == [
        ("warning", "templates/paper.docx", "1 comment, 2 tracked changes and Track Changes switched on")]
    assert template.read_bytes() == as_left  # the officer's template is left as it was


WORD_APP = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.'
            b'org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/docPropsVTypes"><Template>Wessex Committee Paper.dotx</Template><TotalTime>94</TotalTime>'
            b'<Pages>2</Pages><Words>310</Words><Characters>1771</Characters><Application>Microsoft Office Word'
            b'</Application><DocSecurity>0</DocSecurity><Lines>14</Lines><Paragraphs>4</Paragraphs><ScaleCrop>false'
            b'</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Title</vt:lpstr>'
            b'</vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts>'
            b'<vt:vector size="1" baseType="lpstr"><vt:lpstr>Panel paper template - restyle draft 3</vt:lpstr>'
            b'</vt:vector></TitlesOfParts><Company>Wessex OPCC</Company><LinksUpToDate>false</LinksUpToDate>'
            b'<CharactersWithSpaces>2078</CharactersWithSpaces><SharedDoc>false</SharedDoc><HyperlinksChanged>false'
            b'</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>')


def test_the_papers_file_properties_describe_the_paper_not_the_template_it_was_laid_out_from(tmp_path: Path) -> None:
    """A file list or Explorer's details pane read the Word paper's extended properties: they were the template's
    (python-docx's own: "Pages 1", "Words 0", saved by "Microsoft Macintosh Word"; or, restyled in Word, its page and
    word counts, its template's name and its own title "Panel paper template - restyle draft 3"). They now hold none
    of that, and name reportgen as the program that made the paper; the template file is left as it was."""
    workspace = copy_example(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    with zipfile.ZipFile(template) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["docProps/app.xml"] = WORD_APP  # as Word saves it after restyling
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    as_left = template.read_bytes()
    plain = tmp_path / "plain"
    assert main(["build", "--workspace", str(copy_example(tmp_path / "plain-ws")), "--out", str(plain)]) == 0
    restyled = tmp_path / "restyled"
    assert main(["build", "--workspace", str(workspace), "--out", str(restyled)]) == 0
    for folder in (plain, restyled):
        with zipfile.ZipFile(folder / "paper.docx") as package:
            app = etree.fromstring(package.read("docProps/app.xml"))
        said = {etree.QName(element).localname: (element.text or "") for element in app}
        assert said["Application"] == "reportgen", said
        stale = {"Template", "TotalTime", "Pages", "Words", "Characters", "Lines", "Paragraphs",
                 "CharactersWithSpaces", "AppVersion", "HeadingPairs", "TitlesOfParts"} & set(said)
        assert not stale, stale
        assert docx.Document(str(folder / "paper.docx")).paragraphs[0].text  # still a document Word opens
    assert said["Company"] == "Wessex OPCC"  # the organisation's, not a person's: kept
    assert template.read_bytes() == as_left


@pytest.mark.parametrize(("subtitle", "described"), [
    ("", "Police and Crime Panel, 05 November 2026"),
    ('subtitle = "Report for the Panel, {date:%B %Y}"\n', "Report for the Panel, November 2026"),
], ids=["no-subtitle", "subtitle"])
def test_each_file_describes_the_paper_for_a_website_search_even_without_a_subtitle(
        tmp_path: Path, subtitle: str, described: str) -> None:
    """A committee system and the council's search list a paper by its title and description (the PDF's and the
    DOCX's subject, the web page's meta description). A paper whose reportgen.toml has no subtitle, as the
    February 2023 one, had none of them: listed with nothing to say which meeting it is for. Each file now
    describes it by its subtitle, or without one by the meeting and its date."""
    workspace = copy_example(tmp_path / "ws")
    settings = workspace / "reportgen.toml"
    lines = settings.read_text(encoding="utf-8").splitlines(keepends=True)
    settings.write_text("".join(subtitle if line.startswith("subtitle =") else line for line in lines),
                        encoding="utf-8")
    out = tmp_path / "draft"

    assert main(["build", "--workspace", str(workspace), "--out", str(out)]) == 0

    with pikepdf.open(out / "paper.pdf") as pdf:
        assert str(pdf.docinfo["/Subject"]) == described
        with pdf.open_metadata() as xmp:
            assert xmp["dc:description"] == described
    assert docx.Document(str(out / "paper.docx")).core_properties.subject == described
    page = lxml.html.fromstring((out / "paper.html").read_bytes())
    assert page.xpath("//meta[@name='description']/@content") == [described]


def _own_properties(draft: Path) -> dict[str, tuple[str, str]]:
    """Each file's (title, keywords) as a file list, a document system or a viewer shows them unopened."""
    with pikepdf.open(draft / "paper.pdf") as pdf:
        pdf_title, pdf_keywords = (str(pdf.docinfo.get(key, "")) for key in ("/Title", "/Keywords"))
    word = docx.Document(str(draft / "paper.docx")).core_properties
    page = lxml.html.fromstring((draft / "paper.html").read_bytes())
    book = openpyxl.load_workbook(draft / "register.xlsx", read_only=True).properties
    return {"paper.pdf": (pdf_title, pdf_keywords), "paper.docx": (word.title, word.keywords),
            "paper.html": (page.findtext(".//title"), ""), "register.xlsx": (book.title or "", book.keywords or "")}


def test_a_restricted_edition_s_files_say_so_in_their_own_properties_and_the_public_ones_do_not(
        tmp_path: Path) -> None:
    """A restricted paper's files sit in a draft folder named like any other, under the same names as the public
    paper's, so a file list or a document system tells them apart by their own properties alone. The DOCX, PDF and
    web page were marked, but the restricted edition's register.xlsx said nothing in its properties (no title, and
    openpyxl as its author): attached alone, it could be taken for the public one. Each is now marked by title and
    keyword, and the public edition's files are not."""
    workspace = copy_example(tmp_path / "ws")
    restricted, public = tmp_path / "restricted", tmp_path / "public"
    assert main(["build", "--workspace", str(workspace), "--edition", "restricted", "--out", str(restricted)]) == 0
    assert main(["build", "--workspace", str(workspace), "--out", str(public)]) == 0

    for name, (title, keywords) in _own_properties(restricted).items():
        assert title.startswith("RESTRICTED – Safer Wessex Plan"), (name, title)
        assert keywords in ("RESTRICTED", ""), (name, keywords)
        assert keywords or name == "paper.html", name
    for name, (title, keywords) in _own_properties(public).items():
        assert title.startswith("Safer Wessex Plan") and "RESTRICTED" not in keywords, (name, title, keywords)
    book = openpyxl.load_workbook(public / "register.xlsx", read_only=True).properties
    assert (book.title, book.creator) == ("Safer Wessex Plan: Delivery Update (October 2026) – register", "reportgen")
