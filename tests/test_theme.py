"""One look: the Word template's styles reach the PDF (read back with pdfplumber and pikepdf) and the DOCX.

A copy of the default template is restyled with python-docx as an officer would in Word (another
installed body font, heading font and colour, the plan table's header fill, a logo in the header).
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pikepdf
import pytest
from docx.oxml.ns import qn
from docx.shared import RGBColor
from PIL import Image

from conftest import ROOT, SAMPLE, make_paper, make_workspace, needs_sample
from reportgen.issues import Severity
from reportgen.look import Rule, TextStyle, Theme
from reportgen.model import Paper
from reportgen.paper.build_paper import status_colours
from reportgen.render import fonts
from reportgen.render.docx.writer import write_docx
from reportgen.render.fonts import resolve_fonts
from reportgen.render.pdf.fetch import TemplateFetcher
from reportgen.render.pdf.writer import write_pdf
from reportgen.render.theme import read_theme
from reportgen.render.theme_css import theme_stylesheet
from reportgen.run.restyle import PDF_TEMPLATES, WORD_TEMPLATE, copy_templates
from reportgen.shells.cli import main

sys.path.insert(0, str(ROOT / "scripts"))
from make_theme_pictures import (
    BODY_FONT,
    HEADER_FILL,
    HEADING_COLOUR,
    HEADING_FONT,
    LOGO_ALT,
    SECTION_FILL,
    logo_png,
    restyle,
)

TEMPLATES = ROOT / "templates"
DEFAULT_TEMPLATE = TEMPLATES / "paper.docx"


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _close(colour: object, hex_colour: str) -> bool:
    return (isinstance(colour, tuple | list) and len(colour) == 3
            and all(abs(a - b) < 0.01 for a, b in zip(colour, _rgb(hex_colour))))


def _set_in(family: str, fontname: str) -> bool:
    """Whether a PDF font name (subset prefix, hyphens: 'ABCDEF+Liberation-Serif-Bold') is of `family`."""
    return family.replace(" ", "").lower() in fontname.replace("-", "").lower()


def _themed(template: Path, paper: Paper) -> Paper:
    """`paper` with the theme of `template`, as build_paper gives it."""
    theme, _ = read_theme(template)
    theme, _ = resolve_fonts(theme, template.name)
    return replace(paper, theme=theme, status_colours=status_colours(theme))


@pytest.fixture(scope="module")
def restyled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("restyled") / "paper.docx"
    restyle(DEFAULT_TEMPLATE, out, logo_png())
    return out


# ---------------------------------------------------------------- reading the template


def test_the_default_template_is_read_by_style_name() -> None:
    theme, issues = read_theme(DEFAULT_TEMPLATE)
    assert issues == []
    assert theme.body == TextStyle(font="Arial", size=10.5)
    assert (theme.title.size, theme.title.colour, theme.title.bold) == (18, "1F3864", True)
    assert [h.size for h in theme.headings] == [13.5, 11.5, 10.5]
    assert (theme.table_header_fill, theme.table_header.colour) == ("1F3864", "FFFFFF")
    assert (theme.section_fill, theme.subsection_fill, theme.table_text.size) == ("D5DEEE", "EDF1F8", 8.5)
    assert dict(theme.status_fills)["completed"] == "C6EFCE"
    assert theme.cover_page is not None and theme.cover_page.orientation == "portrait"
    assert theme.plan_page is not None and theme.plan_page.orientation == "landscape"
    assert (theme.plan_page.top, theme.plan_page.left) == (17, 14)
    assert theme.logo is None
    # the tables' own lines, as paper.css draws them without a template
    assert (theme.plan_rule, theme.cover_rule) == (Rule("A8B3C4", 0.5, "solid"), Rule("9AA7BD", 0.75, "solid"))


def test_a_restyled_template_is_read(restyled: Path) -> None:
    theme, issues = read_theme(restyled)
    assert issues == []
    assert theme.body.font == BODY_FONT
    assert theme.headings[0].font == HEADING_FONT and theme.headings[0].colour == HEADING_COLOUR
    assert (theme.table_header_fill, theme.section_fill) == (HEADER_FILL, SECTION_FILL)
    assert theme.logo is not None and theme.logo.alt == LOGO_ALT and theme.logo.media_type == "image/png"
    assert round(theme.logo.height) == 10


def test_a_bare_word_document_gives_its_theme_fonts_and_no_plan(tmp_path: Path) -> None:
    """python-docx's own blank document: styles name theme fonts (+Body: Cambria, +Headings: Calibri in its
    theme part); no plan table."""
    blank = tmp_path / "blank.docx"
    docx.Document().save(str(blank))
    theme, issues = read_theme(blank)
    # a template needs the cover rows, and a plan table; and the tags of the words every edition shows
    tags = [f"{{{{ paper.{field} }}}}" for field in ("title", "subtitle", "marking", "exempt_note")]
    assert [(i.code, i.value) for i in issues] == [("template-no-cover", ""),
                                                   *(("template-tag-missing", tag) for tag in tags)]
    assert theme.body.font == "Cambria" and theme.headings[0].font == "Calibri"
    assert theme.plan_page is None and theme.table_header_fill is None


def test_status_fills_come_from_the_status_styles(tmp_path: Path) -> None:
    template = tmp_path / "status.docx"
    document = docx.Document(str(DEFAULT_TEMPLATE))
    shading = document.styles["Status Completed"].element.find(f"{qn('w:pPr')}/{qn('w:shd')}")
    shading.set(qn("w:fill"), "00B050")
    document.save(str(template))
    paper = _themed(template, make_paper(6, 1))
    assert dict(paper.status_colours)["completed"] == "00B050"
    write_pdf(paper, TEMPLATES, tmp_path / "paper.pdf")
    write_docx(paper, template, tmp_path / "paper.docx")
    with pdfplumber.open(tmp_path / "paper.pdf") as pdf:
        assert any(_close(line["stroking_color"], "00B050") for p in pdf.pages for line in p.lines)  # status bar
    fills = {tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill"))
             for row in docx.Document(str(tmp_path / "paper.docx")).tables[-1].rows
             for tc in row._tr.iter(qn("w:tc")) if tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") is not None}
    assert "00B050" in fills


def test_not_a_word_document_stops_with_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "paper.docx"
    bad.write_bytes(b"not a zip")
    from reportgen.errors import ReportgenError

    with pytest.raises(ReportgenError, match="is not a Word document"):
        read_theme(bad)


def _template_with_part(workspace: Path, name: str, change: Any) -> Path:
    """The workspace's templates/paper.docx: reportgen's own with the part `name` changed by `change`."""
    import zipfile

    with zipfile.ZipFile(DEFAULT_TEMPLATE) as package:
        parts = {part: package.read(part) for part in package.namelist()}
    parts[name] = change(parts.get(name, b""))
    target = workspace / "templates" / "paper.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for part, content in parts.items():
            package.writestr(part, content)
    return target


def _declaring(secret: Path) -> Any:
    entity = f'<!DOCTYPE w:document [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>'.encode()
    return lambda xml: (xml.replace(b"?>", b"?>" + entity, 1).replace(b"{{ paper.title }}", b"&leak;{{ paper.title }}"))


@pytest.mark.parametrize(("part", "says"), [
    ("word/document.xml", "part word/document.xml declares a DOCTYPE or ENTITY (not allowed in a Word document)"),
    ("word/media/filler.bin", "part word/media/filler.bin expands"),
])
def test_a_template_with_an_entity_or_a_zip_bomb_is_refused_before_it_is_opened(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], part: str, says: str) -> None:
    """A Word template holding an XML entity (here one naming a file of the machine) or a part that expands a
    thousandfold was opened as it was: the entity was dropped with the words around it, and the paper built with a
    warning about its title tag; a bomb is expanded whole into memory. Now build and validate stop with one line."""
    root = make_workspace(tmp_path / "ws")
    secret = tmp_path / "outside.txt"
    secret.write_text("canary-outside-the-workspace", encoding="utf-8")
    change = _declaring(secret) if part.endswith(".xml") else (lambda _old: bytes(64 * 2**20))
    template = _template_with_part(root, part, change)
    before = template.read_bytes()
    for command in ("build", "validate"):
        assert main([command, "--workspace", str(root)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("reportgen: error: DOCX template templates/paper.docx cannot be read: " + says), err
        assert "Traceback" not in err and "open it in Word and save it again" in err
    assert not (root / "outputs").exists() or not list((root / "outputs").rglob("paper.*"))
    assert template.read_bytes() == before


# ---------------------------------------------------------------- the PDF and the DOCX follow it


@pytest.mark.parametrize("actions", [24, 110])  # one document, and a long paper laid out in parts
def test_pdf_and_docx_of_a_restyled_template(restyled: Path, tmp_path: Path, actions: int) -> None:
    paper = _themed(restyled, make_paper(actions, 3))
    write_pdf(paper, TEMPLATES, tmp_path / "paper.pdf")
    write_docx(paper, restyled, tmp_path / "paper.docx")

    with pdfplumber.open(tmp_path / "paper.pdf") as pdf:
        first = pdf.pages[0]
        title = [c for c in first.chars if c["size"] > 15]
        assert title and all(_set_in(HEADING_FONT, c["fontname"]) and _close(c["non_stroking_color"], HEADING_COLOUR)
                             for c in title)
        body = [c for c in first.chars if abs(c["size"] - 10.5) < 0.1]
        assert body and all(_set_in(BODY_FONT, c["fontname"]) for c in body)
        plan = pdf.pages[-1]
        assert any(_close(r["non_stroking_color"], HEADER_FILL) for r in plan.rects if r["height"] > 5), "header fill"
        assert any(_close(r["non_stroking_color"], SECTION_FILL) for p in pdf.pages for r in p.rects)
        for number, page in enumerate(pdf.pages, 1):
            assert len(page.images) == 1, f"logo on page {number}"
            assert page.images[0]["top"] < 20 * 72 / 25.4, "in the page header"
    with pikepdf.open(tmp_path / "paper.pdf") as pdf:
        figures = [e for e in _elements(pdf.Root.StructTreeRoot) if e.get("/S") == "/Figure"]
        assert [str(f.Alt) for f in figures] == [LOGO_ALT]  # tagged once; later pages: page furniture

    document = docx.Document(str(tmp_path / "paper.docx"))
    assert document.styles["Normal"].font.name == BODY_FONT
    assert str(document.styles["Heading 1"].font.color.rgb) == HEADING_COLOUR
    plan_table = document.tables[-1]
    header_cells = plan_table.rows[0]._tr.iter(qn("w:tc"))
    fills = {tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) for tc in header_cells}
    assert fills == {HEADER_FILL}
    header = document.sections[0].header._element
    assert [d.get("descr") for d in header.iter(qn("wp:docPr"))] == [LOGO_ALT]


def _elements(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    found = []
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
            found.append(kid)
            found.extend(_elements(kid))
    return found


def test_the_default_template_draws_the_stylesheet_defaults(tmp_path: Path) -> None:
    """The default template's look is exactly paper.css's own: a paper without a theme lays out the same."""
    plain = make_paper(24, 3)
    write_pdf(plain, TEMPLATES, tmp_path / "plain.pdf")
    write_pdf(_themed(DEFAULT_TEMPLATE, plain), TEMPLATES, tmp_path / "themed.pdf")
    with pdfplumber.open(tmp_path / "plain.pdf") as one, pdfplumber.open(tmp_path / "themed.pdf") as two:
        assert len(one.pages) == len(two.pages)
        for a, b in zip(one.pages, two.pages):
            assert [(c["text"], round(c["x0"], 1), round(c["top"], 1), c["size"]) for c in a.chars] == \
                   [(c["text"], round(c["x0"], 1), round(c["top"], 1), c["size"]) for c in b.chars]
            assert [r["non_stroking_color"] for r in a.rects] == [r["non_stroking_color"] for r in b.rects]


def test_a_workspace_stylesheet_still_overrides_the_template(restyled: Path, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder, ignore=shutil.ignore_patterns("*.py", "diff.*"))
    with (folder / "paper.css").open("a", encoding="utf-8") as css:
        css.write("\ntable.plan thead th { background: #00ff00; }\n")
    write_pdf(_themed(restyled, make_paper(6, 2)), folder, tmp_path / "paper.pdf")
    with pdfplumber.open(tmp_path / "paper.pdf") as pdf:
        plan_pages = [page for page in pdf.pages if page.width > page.height]
        fills = [r["non_stroking_color"] for p in plan_pages for r in p.rects if r["height"] > 5]  # not rules
    assert any(_close(fill, "00FF00") for fill in fills)
    assert not any(_close(fill, HEADER_FILL) for fill in fills)


# ---------------------------------------------------------------- fonts


def test_a_missing_font_is_replaced_by_the_closest_and_reported_once(tmp_path: Path) -> None:
    missing = "Gill Sans Nova Condensed"
    theme = Theme(body=TextStyle(font=missing, size=10.5), headings=(TextStyle(font=missing),) * 3)
    resolved, issues = resolve_fonts(theme, "templates/paper.docx")
    substitute = resolved.pdf_font(missing)
    assert substitute and substitute != missing
    assert [(i.code, i.severity, i.value) for i in issues] == [("font-missing", Severity.WARNING, missing)]
    assert missing in issues[0].message and substitute in issues[0].message
    write_pdf(replace(make_paper(3, 1), theme=resolved), TEMPLATES, tmp_path / "paper.pdf")
    with pdfplumber.open(tmp_path / "paper.pdf") as pdf:
        body = [c for c in pdf.pages[0].chars if abs(c["size"] - 10.5) < 0.1]
    assert body and all(_set_in(substitute, c["fontname"]) for c in body)


def test_metric_compatible_and_installed_fonts() -> None:
    _, issues = resolve_fonts(Theme(body=TextStyle(font="Arial"), title=TextStyle(font="Calibri")), "t")
    assert [(i.severity, i.value) for i in issues] == [(Severity.INFO, "Arial"), (Severity.INFO, "Calibri")]
    assert "Liberation Sans" in issues[0].message and "Carlito" in issues[1].message
    assert resolve_fonts(Theme(body=TextStyle(font="Liberation Serif")), "t")[1] == []
    # a name is never an fc-match option or a pattern with properties
    for odd in ("--help", "Liberation Serif:bold", "Liberation-Serif"):
        assert fonts.installed_family(odd) not in ("Liberation Serif", None)


def test_without_fontconfig_the_build_says_fonts_were_not_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    theme = Theme(body=TextStyle(font="Arial"))
    resolved, issues = resolve_fonts(theme, "t")
    assert resolved == theme
    assert [(i.code, i.severity) for i in issues] == [("fonts-unchecked", Severity.WARNING)]


# ---------------------------------------------------------------- logo problems, hostile values


def test_logo_without_alt_text_or_in_a_format_a_pdf_cannot_show(tmp_path: Path) -> None:
    no_alt = tmp_path / "no-alt.docx"
    restyle(DEFAULT_TEMPLATE, no_alt, logo_png(), alt="")
    theme, issues = read_theme(no_alt)
    assert [i.code for i in issues] == ["logo-no-alt"] and theme.logo is not None and theme.logo.alt == "Logo"

    tiff = io.BytesIO()
    Image.new("RGB", (40, 20), "purple").save(tiff, format="TIFF")
    odd = tmp_path / "tiff.docx"
    restyle(DEFAULT_TEMPLATE, odd, tiff.getvalue())
    theme, issues = read_theme(odd)
    assert [i.code for i in issues] == ["logo-unsupported"] and theme.logo is None


def test_template_values_cannot_break_out_of_the_stylesheet() -> None:
    hostile = 'Evil"; } body { display: none } </style><script>'
    css = theme_stylesheet(Theme(body=TextStyle(font=hostile, colour="red;}"), section_fill="zzzzzz"))
    assert css.count("{") == 1 and css.count("}") == 1 and "<" not in css and ";" not in css.split(":", 2)[2][:-3]
    assert "--body-colour" not in css and "--section-fill" not in css


@pytest.mark.expected_logs("refused to fetch")
def test_the_fetcher_serves_data_pictures_only() -> None:
    fetcher = TemplateFetcher(TEMPLATES)
    png = "data:image/png;base64,iVBORw0KGgo="
    assert fetcher.fetch(png).read() == b"\x89PNG\r\n\x1a\n"
    assert fetcher.fetch("data:image/svg+xml;base64,PHN2Zz4=").read() == b"<svg>"  # our progress charts
    for refused in ("data:text/html;base64,PGI+", "data:image/png,raw",
                    "file:///etc/hostname"):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)


# ---------------------------------------------------------------- as a user: the command, then Word, then build


def test_template_command_prints_whole_paths_for_a_relative_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen template --workspace ws` printed "ws/templates", where `build` prints its draft folder whole."""
    workspace = make_workspace(tmp_path / "ws")
    monkeypatch.chdir(tmp_path)
    assert main(["template", "--workspace", "ws"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"wrote {workspace / 'templates' / 'paper.docx'}",
                                                     str(workspace / "templates")]


def test_template_command_then_restyle_then_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = make_workspace(tmp_path / "ws")
    assert main(["template", "--workspace", str(workspace), "--all"]) == 0
    folder = workspace / "templates"
    assert capsys.readouterr().out.splitlines()[-1] == str(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["copied-templates.json", "paper.css", "paper.docx",
                                                         "paper.html.j2"]  # the record of what each was copied from
    restyle(folder / "paper.docx", folder / "paper.docx", logo_png())
    restyled_bytes = (folder / "paper.docx").read_bytes()
    assert main(["template", "--workspace", str(workspace)]) == 0  # never replaces the restyled file
    assert "kept" in capsys.readouterr().out
    assert (folder / "paper.docx").read_bytes() == restyled_bytes

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        assert all(page.images for page in pdf.pages)
        title = [c for c in pdf.pages[0].chars if c["size"] > 15]
        assert title and all(_close(c["non_stroking_color"], HEADING_COLOUR) for c in title)
    header = docx.Document(str(tmp_path / "draft" / "paper.docx")).sections[0].header._element
    assert [d.get("descr") for d in header.iter(qn("wp:docPr"))] == [LOGO_ALT]


def test_a_build_reports_a_missing_font_once_after_the_inputs_issues(tmp_path: Path) -> None:
    from reportgen.run.build import build_draft

    workspace = make_workspace(tmp_path / "ws")
    copy_templates(workspace, (*WORD_TEMPLATE, *PDF_TEMPLATES))
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    for name in ("Normal", "Title", "Heading 1"):
        document.styles[name].font.name = "Gill Sans Nova Condensed"
    document.save(str(template))
    result = build_draft(workspace, out=tmp_path / "draft")
    found = [i for i in result.issues if i.code == "font-missing"]
    assert [(i.severity, i.file, i.value) for i in found] == [
        (Severity.WARNING, "templates/paper.docx", "Gill Sans Nova Condensed")]
    assert result.issues[-1] == found[0]
    assert "font-missing" in (tmp_path / "draft" / "issues.csv").read_text(encoding="utf-8-sig")


def test_template_command_says_what_it_cannot_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "--workspace", str(tmp_path / "missing")]) == 2
    (tmp_path / "templates").write_text("a file")
    assert main(["template", "--workspace", str(tmp_path)]) == 2
    assert "is a file, not a folder" in " ".join(capsys.readouterr().err.split())


@needs_sample
def test_the_sample_paper_is_unchanged_by_the_default_theme(tmp_path: Path) -> None:
    """Same text and page count with the default template's theme as with the stylesheet alone."""
    from reportgen.drafts.folders import load_draft
    from reportgen.run.build import build_draft

    workspace = tmp_path / "sample"
    shutil.copytree(SAMPLE, workspace, ignore=shutil.ignore_patterns("outputs"))
    result = build_draft(workspace, out=tmp_path / "draft")
    assert result.paper.theme is not None
    plain, _ = load_draft(result.folder)  # draft.json keeps content only: no theme
    assert plain.theme is None
    write_pdf(plain, TEMPLATES, tmp_path / "plain.pdf")
    with pdfplumber.open(result.folder / "paper.pdf") as themed, pdfplumber.open(tmp_path / "plain.pdf") as bare:
        assert len(themed.pages) == len(bare.pages)
        assert [p.extract_text() for p in themed.pages] == [p.extract_text() for p in bare.pages]


def test_a_template_without_the_cover_rows_says_the_word_paper_has_no_cover(tmp_path: Path) -> None:
    """An officer who deleted the cover table from their restyled template (or typed a cover in by hand) is told
    that the Word paper does not show reportgen.toml's cover sheet, as the PDF and web edition do."""
    workspace = make_workspace(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    cover = next(t for t in document.tables if "row.label" in "".join(c.text for c in t._cells))
    cover._element.getparent().remove(cover._element)
    document.save(str(template))

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    issues = (tmp_path / "draft" / "issues.csv").read_text(encoding="utf-8-sig")
    assert "template-no-cover" in issues and "templates/paper.docx has no cover sheet rows" in issues
    assert "'for row in paper.cover'" in issues
    built = docx.Document(str(tmp_path / "draft" / "paper.docx"))
    assert not any("Submitted by".lower() in t._cells[0].text.lower() for t in built.tables)
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        assert "SUBMITTED BY" in (pdf.pages[0].extract_text() or "").upper()

    copy_templates(workspace := make_workspace(tmp_path / "ws2"), WORD_TEMPLATE)  # the default: no such issue
    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft2")]) == 0
    assert "template-no-cover" not in (tmp_path / "draft2" / "issues.csv").read_text(encoding="utf-8-sig")


def test_shading_taken_off_the_section_row_and_no_subsection_row_leave_the_pdf_rows_white(tmp_path: Path) -> None:
    """An officer takes the shading off the plan's [[SECTION]] row ("No Color") and deletes the optional
    [[SUBSECTION]] row, with the plan grouped by section and lead: the Word paper drew those rows white, the PDF
    silently kept the stylesheet's blue fills, read as 'the template does not say'."""
    toml = ('[paper]\nmeeting = "Police and Crime Panel"\ndate = 2026-11-05\ntitle = "Test Delivery Plan"\n'
            'group_by = ["section", "lead"]\n')
    workspace = make_workspace(tmp_path / "ws", toml=toml)
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    plan = document.tables[-1]
    rows = {row.cells[0].text: row._tr for row in plan.rows}
    for tc in rows["[[SECTION]]"].iter(qn("w:tc")):
        shading = tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
        shading.getparent().remove(shading)
    rows["[[SUBSECTION]]"].getparent().remove(rows["[[SUBSECTION]]"])
    document.save(str(template))

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    built = docx.Document(str(tmp_path / "draft" / "paper.docx")).tables[-1]
    group_rows = [row._tr for row in built.rows if len(row._tr.findall(qn("w:tc"))) == 1]
    assert group_rows and not [shd.get(qn("w:fill")) for tr in group_rows for shd in tr.iter(qn("w:shd"))
                               if shd.get(qn("w:fill")) not in (None, "auto", "FFFFFF")]
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        fills = {tuple(round(v, 2) for v in r["non_stroking_color"]) for p in pdf.pages for r in p.rects
                 if isinstance(r["non_stroking_color"], tuple | list) and len(r["non_stroking_color"]) == 3}
        text = " ".join(p.extract_text() or "" for p in pdf.pages)
    assert "Wessex Police" in text or "OPCC" in text  # the lead rows are there
    for default in ("D5DEEE", "EDF1F8"):  # the stylesheet's section and subsection fills
        assert tuple(round(v, 2) for v in _rgb(default)) not in fills
    assert tuple(round(v, 2) for v in _rgb("1F3864")) in fills  # the header keeps the template's fill


def test_white_cover_labels_on_a_dark_fill_stay_white_in_the_pdf(tmp_path: Path) -> None:
    """An officer shades the cover sheet's label column dark purple and makes its text white, as in Word: the
    PDF took the fill and kept its own dark navy text, so the labels (MEETING, DATE…) could not be read."""
    assert read_theme(DEFAULT_TEMPLATE)[0].cover_label_colour is None  # ours: the stylesheet's navy
    workspace = make_workspace(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    label = next(c for t in document.tables for c in t._cells if c.text == "{{ row.label }}")
    label._tc.tcPr.find(qn("w:shd")).set(qn("w:fill"), "5B2C83")
    for run in label.paragraphs[0].runs:
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    document.save(str(template))

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["non_stroking_color"])
        fills = [r["non_stroking_color"] for r in pdf.pages[0].rects]
    meeting = [w for w in words if w["text"] in ("MEETING", "DATE", "SUBMITTED")]
    assert len(meeting) == 3 and all(_close(w["non_stroking_color"], "FFFFFF") for w in meeting), meeting
    assert any(_close(fill, "5B2C83") for fill in fills)


def test_validate_says_what_the_build_would_of_a_template_it_cannot_fill(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An officer retypes the title tag in the Word template (Word splits it into runs, part of it bold) and
    mistypes it, then runs validate before the deadline: it said nothing blocks publication (exit 0), and the
    build on the day stopped at the template. Validate now fills the workspace's template as the build does,
    writing nothing, and stops with the build's line."""
    workspace = make_workspace(tmp_path / "ws")
    assert main(["template", "--workspace", str(workspace)]) == 0
    template = workspace / "templates" / "paper.docx"
    restyle(template, template)  # fonts and fills: still fills
    assert main(["validate", "--workspace", str(workspace)]) == 0
    document = docx.Document(str(template))
    title = next(p for p in document.paragraphs if p.text == "{{ paper.title }}")
    for run in title.runs:
        run._r.getparent().remove(run._r)
    title.add_run("{{ paper.")
    title.add_run("titel").bold = True
    title.add_run(" }}")
    document.save(str(template))
    before = sorted(str(p.relative_to(workspace)) for p in workspace.rglob("*"))
    capsys.readouterr()

    assert main(["validate", "--workspace", str(workspace)]) == 1
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and "templates/paper.docx" in said[0] and "'titel'" in said[0], said
    assert sorted(str(p.relative_to(workspace)) for p in workspace.rglob("*")) == before  # wrote nothing
    assert main(["build", "--workspace", str(workspace)]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == said[0]


@pytest.mark.parametrize(("marker", "advice"), [
    ("[[NARRATIVE]]", "type [[NARRATIVE]] there on a line of its own"),
    ("[[SECTION]]", "put back a row holding [[SECTION]] above the [[CELL]] row"),
])
def test_a_marker_deleted_from_the_template_is_named_with_the_file_and_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], marker: str, advice: str) -> None:
    """An officer deletes the [[NARRATIVE]] line or the plan's [[SECTION]] row while restyling: the build said
    only 'the DOCX template has no …', naming neither the file nor what to put back."""
    workspace = make_workspace(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    if marker == "[[NARRATIVE]]":
        gone = next(p._p for p in document.paragraphs if p.text == marker)
    else:
        gone = next(row._tr for row in document.tables[-1].rows if row.cells[0].text == marker)
    gone.getparent().remove(gone)
    document.save(str(template))
    capsys.readouterr()

    for command in ("validate", "build"):
        assert main([command, "--workspace", str(workspace)]) == 1
        said = capsys.readouterr().err.strip().splitlines()[-1]
        assert f"DOCX template {template} has no" in said and advice in said, said
    assert not (workspace / "outputs").exists() or not any((workspace / "outputs").rglob("paper.docx"))


def test_a_plan_heading_reworded_in_the_template_says_where_to_name_it(tmp_path: Path) -> None:
    """An officer retypes the plan table's first heading 'Plan priority' as 'Ref' in the Word template: both
    outputs kept 'Plan priority' (the paper heads its columns from the register and reportgen.toml), without a
    word. The build now says so and where to name it; done as it says, both outputs print 'Ref'."""
    workspace = make_workspace(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    first = document.tables[-1].rows[0].cells[0].paragraphs[0]
    assert first.text == "Plan priority"
    for run in first.runs[1:]:
        run._r.getparent().remove(run._r)
    first.runs[0].text = "Ref"
    document.save(str(template))

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    with (tmp_path / "draft" / "issues.csv").open(newline="", encoding="utf-8-sig") as file:
        rows = [row for row in csv.DictReader(file) if row["code"] == "template-heading-ignored"]
    assert [(row["severity"], row["file"], row["value"]) for row in rows] == [
        ("warning", "templates/paper.docx", "Ref")]
    assert "the paper heads it 'Plan priority'" in rows[0]["message"]
    advice = '[register.columns] ref = { heading = "Ref", aliases = ["Plan priority"] }'
    assert advice in rows[0]["advice"]
    built = docx.Document(str(tmp_path / "draft" / "paper.docx")).tables[-1]
    assert built.rows[0].cells[0].text == "Plan priority"

    settings = workspace / "reportgen.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\n" + advice.replace("] ", "]\n", 1) + "\n",
                        encoding="utf-8")
    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft2")]) == 0
    assert "template-heading-ignored" not in (tmp_path / "draft2" / "issues.csv").read_text(encoding="utf-8-sig")
    assert docx.Document(str(tmp_path / "draft2" / "paper.docx")).tables[-1].rows[0].cells[0].text == "Ref"
    with pdfplumber.open(tmp_path / "draft2" / "paper.pdf") as pdf:
        assert any("Ref" in (page.extract_text() or "").split() for page in pdf.pages)


def _explanation_width(draft: Path) -> tuple[float, float]:
    """The explanation column's share of the plan table: in the Word paper's grid, and in the PDF (from its
    header's words: 'Explanation' to 'Timeframe', over the table's width)."""
    grid = docx.Document(str(draft / "paper.docx")).tables[-1]._tbl.find(qn("w:tblGrid"))
    widths = [int(col.get(qn("w:w"))) for col in grid.findall(qn("w:gridCol"))]
    with pdfplumber.open(draft / "paper.pdf") as pdf:
        page = next(p for p in pdf.pages if "Explanation" in (p.extract_text() or ""))
        words = {w["text"]: w["x0"] for w in page.extract_words()}
        table = max((r for r in page.rects if r["height"] > 5), key=lambda r: r["width"])["width"]
    return widths[3] / sum(widths), (words["Timeframe"] - words["Explanation"]) / table


def test_column_widths_dragged_in_the_template_are_kept_in_both_outputs(tmp_path: Path) -> None:
    """An officer drags the plan table's borders in the Word template, the explanation column wider and the action
    and timeframe narrower: both outputs kept reportgen's own widths, silently. They now follow the template's
    (each still wide enough for its longest word)."""
    workspace = make_workspace(tmp_path / "ws")
    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "ours")]) == 0
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    table = document.tables[-1]._tbl
    cols = table.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
    widths = [int(col.get(qn("w:w"))) for col in cols]
    widths = [widths[0], widths[1] - 1200, widths[2], widths[3] + 2400, widths[4] - 1200, widths[5]]
    for col, width in zip(cols, widths, strict=True):
        col.set(qn("w:w"), str(width))
    for tr in table.findall(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        if len(cells) == len(widths):
            for tc, width in zip(cells, widths, strict=True):
                tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").set(qn("w:w"), str(width))
    document.save(str(template))
    dragged = widths[3] / sum(widths)

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "dragged")]) == 0
    word_ours, pdf_ours = _explanation_width(tmp_path / "ours")
    word, pdf = _explanation_width(tmp_path / "dragged")
    assert word_ours < 0.4 and pdf_ours < 0.4
    # as dragged, less what the narrowed timeframe column needs for its longest word
    assert dragged - 0.05 < word <= dragged and abs(pdf - word) < 0.01, (word, pdf, dragged)


@pytest.mark.parametrize("name", ["Paper.docx", "paper.dotx", "paper (restyled).docx"])
def test_a_restyled_template_saved_under_another_name_is_said_not_to_be_read(tmp_path: Path, name: str) -> None:
    """An officer saves the restyled template as 'Paper.docx' (Windows does not mind the case), as a Word
    Template (.dotx) or as a copy: the paper was laid out from reportgen's own template, without a word."""
    workspace = make_workspace(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    folder = workspace / "templates"
    restyle(folder / "paper.docx", folder / name)
    (folder / "paper.docx").unlink()
    (folder / "~$per.docx").write_bytes(b"Word's lock file")  # Word has the file open: not a template

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    with (tmp_path / "draft" / "issues.csv").open(newline="", encoding="utf-8-sig") as file:
        rows = [row for row in csv.DictReader(file) if row["code"] == "template-not-read"]
    assert [(row["severity"], row["file"]) for row in rows] == [("warning", f"templates/{name}")]
    assert "laid out from reportgen's own template" in rows[0]["message"] and "paper.docx" in rows[0]["advice"]
    assert docx.Document(str(tmp_path / "draft" / "paper.docx")).styles["Normal"].font.name != BODY_FONT

    (folder / name).rename(folder / "paper.docx")  # as the advice says
    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft2")]) == 0
    assert "template-not-read" not in (tmp_path / "draft2" / "issues.csv").read_text(encoding="utf-8-sig")
    assert docx.Document(str(tmp_path / "draft2" / "paper.docx")).styles["Normal"].font.name == BODY_FONT


def test_a_status_style_whose_shading_was_taken_off_leaves_that_status_unfilled(tmp_path: Path) -> None:
    """An officer takes the shading off the Status Completed style (printing in black and white): both outputs
    still filled completed actions green, our colour, as if the template said nothing."""
    from reportgen.paper_rules import status_styles

    workspace = make_workspace(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    style = document.styles["Status Completed"].element
    shading = style.find(f"{qn('w:pPr')}/{qn('w:shd')}")
    shading.getparent().remove(shading)
    document.save(str(template))

    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    plan = docx.Document(str(tmp_path / "draft" / "paper.docx")).tables[-1]
    completed = [cell._tc for row in plan.rows for cell in row.cells if cell.text.startswith("Completed")]
    assert completed
    fills = {shd.get(qn("w:fill")) for tc in completed for shd in tc.iter(qn("w:shd"))}
    assert fills <= {"FFFFFF", "ffffff", "auto"}, fills
    green = next(s for s in status_styles((("completed", "C6EFCE"),)))
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        colours = [r["non_stroking_color"] for p in pdf.pages for r in p.rects]
    assert colours and not any(_close(c, green.fill) or _close(c, green.tint) for c in colours)


def _table_borders(table: docx.table.Table, val: str, size: int, colour: str) -> None:
    """Table Design > Borders in Word: the table's own lines (w:tblBorders), every side alike."""
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    for border in borders:
        border.set(qn("w:val"), val)
        border.set(qn("w:sz"), str(size))
        border.set(qn("w:color"), colour)


@pytest.mark.parametrize("actions", [24, 110])  # one document, and a long paper laid out in parts
def test_the_pdf_draws_the_table_lines_of_the_word_template(tmp_path: Path, actions: int) -> None:
    """An officer gives the plan table dark red 1 pt lines in Word (Table Design > Borders) and takes the cover
    sheet's lines off: the Word paper showed them, the PDF kept the stylesheet's thin blue-grey lines."""
    template = tmp_path / "paper.docx"
    document = docx.Document(str(DEFAULT_TEMPLATE))
    cover = next(t for t in document.tables if "row.label" in "".join(c.text for c in t._cells))
    _table_borders(document.tables[-1], "single", 8, "8B0000")
    _table_borders(cover, "nil", 0, "auto")
    document.save(str(template))
    theme, _ = read_theme(template)
    assert (theme.plan_rule, theme.cover_rule) == (Rule("8B0000", 1.0, "solid"), Rule("000000", 0.25, "none"))

    paper = _themed(template, make_paper(actions, 3))
    write_pdf(paper, TEMPLATES, tmp_path / "paper.pdf")
    write_docx(paper, template, tmp_path / "paper.docx")
    with pdfplumber.open(tmp_path / "paper.pdf") as pdf:
        cover_lines = [line for line in pdf.pages[0].lines if line["top"] < 120 * 72 / 25.4]
        plan_lines = [line for page in pdf.pages[1:] for line in page.lines if _close(line["stroking_color"], "8B0000")]
        blue_grey = [line for page in pdf.pages for line in page.lines
                     if _close(line["stroking_color"], "A8B3C4") or _close(line["stroking_color"], "9AA7BD")]
        plan_pages = [page.page_number for page in pdf.pages
                      if "Ref" in (page.extract_text() or "").split()]
    assert not [line for line in cover_lines if line["linewidth"] > 0], "the cover has no lines"
    assert plan_lines and {round(line["linewidth"], 2) for line in plan_lines} == {1.0}
    assert {line["page_number"] for line in plan_lines} >= set(plan_pages)  # on every page of the plan
    assert not blue_grey, "none of the stylesheet's own lines"
    built = docx.Document(str(tmp_path / "paper.docx")).tables[-1]._tbl.tblPr.find(qn("w:tblBorders"))
    assert {(b.get(qn("w:sz")), b.get(qn("w:color"))) for b in built} == {("8", "8B0000")}  # Word's paper alike


def test_a_line_the_table_sets_wins_over_its_styles_side_by_side(tmp_path: Path) -> None:
    """The plan table sets only its top line (thick red) and its style, Table Grid, the lines between rows: Word
    draws Table Grid's lines between the rows, and so does the PDF (not the red top line)."""
    template = tmp_path / "paper.docx"
    document = docx.Document(str(DEFAULT_TEMPLATE))
    borders = document.tables[-1]._tbl.tblPr.find(qn("w:tblBorders"))
    for border in list(borders):
        if border.tag != qn("w:top"):
            borders.remove(border)
    _table_borders(document.tables[-1], "single", 18, "FF0000")
    document.save(str(template))
    assert read_theme(template)[0].plan_rule == Rule("000000", 0.5, "solid")  # Table Grid's: single, 4, auto


@needs_sample
def test_a_template_in_calibri_builds_without_font_library_noise(tmp_path: Path) -> None:
    """An officer sets the template's Normal style to Calibri, Word's own body font: the PDF uses Carlito, drawn to
    its widths, and `reportgen build` printed fontTools' "'created' timestamp seems very low" fifteen times, which
    reads as something gone wrong. The build now prints nothing on stderr; the substitution is one note."""
    import subprocess

    workspace = tmp_path / "sample"
    shutil.copytree(SAMPLE, workspace, ignore=shutil.ignore_patterns("outputs"))
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    document.styles["Normal"].font.name = "Calibri"
    document.save(str(template))
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(workspace),
                           "--out", str(tmp_path / "draft")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # the sample's own two blocking issues
    assert done.stderr == ""
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        assert any(_set_in("Carlito", c["fontname"]) for c in pdf.pages[0].chars)


def _delete_last_column(plan: Any) -> None:
    """The template's plan table (its <w:tbl>) less its last column, as Word's Table Layout > Delete Columns leaves
    it: each row one cell fewer, the merged section rows one column narrower, the grid one column fewer."""
    for tr in plan.findall(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        if len(cells) > 1:
            tr.remove(cells[-1])
        else:
            cells[0].tcPr.find(qn("w:gridSpan")).set(qn("w:val"), "5")
    grid = plan.find(qn("w:tblGrid"))
    grid.remove(grid.findall(qn("w:gridCol"))[-1])


def test_a_column_deleted_from_the_template_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An officer deletes the plan table's last column (CSCJ Plan page) from the Word template, as Word does
    (Table Layout > Delete Columns), meaning to leave it out: both outputs still printed it, the Word paper's table
    stopping short of the margin, and nothing was said. The build names the column and the line to change; with that
    line changed, nothing is said."""
    workspace = make_workspace(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    plan = document.tables[-1]._tbl
    _delete_last_column(plan)
    document.save(str(template))

    assert main(["validate", "--workspace", str(workspace)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert ("templates/paper.docx's plan table has no column for 'CSCJ Plan page': the paper still prints that "
            "column") in printed
    assert "take 'page' out of [paper] table_columns in reportgen.toml" in printed
    (workspace / "reportgen.toml").write_text((workspace / "reportgen.toml").read_text(encoding="utf-8").replace(
        "[paper]\n", '[paper]\ntable_columns = ["ref", "action", "status", "explanation", "timeframe"]\n'),
        encoding="utf-8")
    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    assert "template-column-deleted" not in (tmp_path / "draft" / "issues.csv").read_text(encoding="utf-8-sig")
    built = docx.Document(str(tmp_path / "draft" / "paper.docx")).tables[-1]
    assert "CSCJ Plan page" not in [cell.text for cell in built.rows[0].cells]


def test_a_column_deleted_and_another_reworded_in_the_template_is_said(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """An officer deletes the page column from the template's plan table and rewords the timeframe's heading in the
    same edit: which column went cannot be told from the headings, and nothing was said. The build says the table has
    a column fewer than the paper prints."""
    workspace = make_workspace(tmp_path / "ws")
    copy_templates(workspace, WORD_TEMPLATE)
    template = workspace / "templates" / "paper.docx"
    document = docx.Document(str(template))
    plan = document.tables[-1]
    header = plan.rows[0].cells
    header[4].paragraphs[0].runs[0].text = "When"
    for run in header[4].paragraphs[0].runs[1:]:
        run.text = ""
    _delete_last_column(plan._tbl)
    document.save(str(template))

    assert main(["validate", "--workspace", str(workspace)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert ("templates/paper.docx's plan table has 5 columns where the paper prints 6: a column was deleted from it, "
            "and which cannot be told") in printed
    (workspace / "reportgen.toml").write_text((workspace / "reportgen.toml").read_text(encoding="utf-8").replace(
        "[paper]\n", '[paper]\ntable_columns = ["ref", "action", "status", "explanation", "timeframe"]\n'),
        encoding="utf-8")
    assert main(["validate", "--workspace", str(workspace)]) == 0
    assert "plan table has" not in capsys.readouterr().out
