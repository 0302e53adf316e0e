"""A workspace's templates/ folder may hold any of the template files: the rest come from ours."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pypdf
import pytest

from conftest import ROOT, make_workspace
from reportgen.diff.render import compare_drafts
from reportgen.errors import ReportgenError
from reportgen.run.build import build_draft, validate_draft
from reportgen.shells.cli import main

DEFAULTS = ROOT / "templates"


def page_shapes(path: Path) -> list[bool]:
    """Landscape or not, page by page: the plan pages are landscape only when paper.css was applied."""
    return [float(p.mediabox.width) > float(p.mediabox.height) for p in pypdf.PdfReader(path).pages]


def workspace_with(tmp_path: Path, *names: str) -> Path:
    root = make_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    for name in names:
        shutil.copy(DEFAULTS / name, root / "templates" / name)
    return root


@pytest.mark.parametrize("names", [("paper.docx",), ("paper.html.j2",), ("paper.css",), ()])
def test_each_missing_template_comes_from_the_defaults(tmp_path: Path, names: tuple[str, ...]) -> None:
    root = workspace_with(tmp_path, *names)
    result = build_draft(root)
    shapes = page_shapes(result.folder / "paper.pdf")
    assert shapes[0] is False and shapes[-1] is True  # styled: portrait cover, landscape plan
    assert docx.Document(str(result.folder / "paper.docx")).tables[-1].rows[0].cells[0].text == "Plan priority"


def test_the_workspace_css_is_used_when_it_is_there(tmp_path: Path) -> None:
    root = workspace_with(tmp_path, "paper.css")
    css = root / "templates" / "paper.css"
    ours = css.read_text(encoding="utf-8")
    assert "size: var(--plan-page-size, A4 landscape);" in ours  # the Word template's page, else landscape
    css.write_text(ours.replace("size: var(--plan-page-size, A4 landscape);", "size: A4 portrait;"), encoding="utf-8")
    assert not any(page_shapes(build_draft(root).folder / "paper.pdf"))


def test_a_broken_html_template_is_one_error_naming_file_and_line(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = workspace_with(tmp_path)
    broken = root / "templates" / "paper.html.j2"
    broken.write_text("<!DOCTYPE html>\n<html>\n{% if paper.title %}\n<p>{{ paper.title }</p>\n</html>\n",
                      encoding="utf-8")
    with pytest.raises(ReportgenError, match=r"paper\.html\.j2, line 4"):
        build_draft(root)
    assert main(["build", "--workspace", str(root)]) == 1
    err = capsys.readouterr().err.replace("\n", "")  # the console wraps long paths
    assert "paper.html.j2" in err and "line 4" in err and "Traceback" not in err
    assert not list((root / "outputs").glob("*/draft-*"))


def test_a_template_that_cannot_be_filled_in_names_its_line(tmp_path: Path) -> None:
    root = workspace_with(tmp_path)
    (root / "templates" / "paper.html.j2").write_text("<html>\n<body>\n{{ paper.no_such_field }}\n</body>\n",
                                                     encoding="utf-8")
    with pytest.raises(ReportgenError, match=r"paper\.html\.j2, line 3"):
        build_draft(root)


def test_validate_does_not_need_the_templates(tmp_path: Path) -> None:
    root = workspace_with(tmp_path, "paper.docx")
    assert not validate_draft(root).blocking


def test_diff_html_carries_its_styles(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    first = build_draft(root)
    (root / "narrative.md").write_text("# Delivery\n\nA changed narrative.\n", encoding="utf-8")
    second = build_draft(root)
    result = compare_drafts(first.folder, second.folder)
    html = (result.folder / "diff.html").read_text(encoding="utf-8")
    assert "<link" not in html and "<style>" in html
    for name in ("paper.css", "diff.css"):  # every rule of both stylesheets is inside
        first_rule = next(line for line in (DEFAULTS / name).read_text(encoding="utf-8").splitlines()
                          if line.strip().endswith("{") and not line.startswith("@"))
        assert first_rule in html
    assert not any(p.suffix == ".css" for p in result.folder.iterdir())


def test_a_broken_word_template_is_one_error_naming_file_and_text(tmp_path: Path) -> None:
    root = workspace_with(tmp_path, "paper.docx")
    template = root / "templates" / "paper.docx"
    document = docx.Document(str(template))
    document.paragraphs[0].runs[0].text = "{{ paper.title | no_such_filter }}"
    document.save(str(template))
    with pytest.raises(ReportgenError, match=r"templates/paper\.docx is broken at the text "
                                             r"'\{\{ paper\.title \| no_such_filter \}\}.*No filter named"):
        build_draft(root)


@pytest.mark.parametrize("name", ["paper.html.j2", "paper.web.html.j2"])
def test_an_html_template_older_than_reportgen_is_one_error_saying_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """A workspace's own copy of the PDF's or the web edition's template using a filter this reportgen
    no longer has (a copy made by an older one): the PDF's said only that it 'is broken', the web
    edition's stopped the build with a Jinja traceback. Both are one line that names the file and line
    and says what to do; no draft is kept."""
    root = workspace_with(tmp_path, name)
    template = root / "templates" / name
    template.write_text("{{ paper.title | space_into_links }}\n" + template.read_text(encoding="utf-8"),
                        encoding="utf-8")
    assert main(["build", "--workspace", str(root)]) == 1
    err = " ".join(capsys.readouterr().err.split())  # rich wraps long lines
    assert "Traceback" not in err
    assert (f"reportgen: error: the template {template}, line 1, is broken: No filter named 'space_into_links'. "
            "It is a copy made by an older reportgen, written for what this one no longer has: run "
            f"`reportgen template --workspace {root} --new`") in err
    assert not (root / "outputs" / "2026-10").exists() or not any((root / "outputs" / "2026-10").glob("draft-*"))


def test_a_paper_css_older_than_reportgen_still_marks_every_page_and_says_what_it_lacks(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A workspace keeps the paper.css `reportgen template --all` wrote before the draft marking, the issues
    box and progress over time had rules. A blocked draft's PDF said DRAFT on page 1 only (the template's
    line, unstyled), and nothing said the stylesheet was behind. Every page is now marked, and a warning
    names the stylesheet and what it has no rules for."""
    import csv
    import re

    from conftest import blocked_workspace

    root = blocked_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    ours = (DEFAULTS / "paper.css").read_text(encoding="utf-8")
    newer = r"draft-marking|section\.blocking|figure\.chart|table\.numbers|table\.stalled"
    older = re.sub(rf"[^{{}}]*({newer})[^{{}}]*\{{[^{{}}]*\}}", "", ours)  # their rules, as if never written
    assert "draft-marking" not in older
    (root / "templates" / "paper.css").write_text(older, encoding="utf-8")
    assert main(["build", "--workspace", str(root)]) == 1
    folder = Path(capsys.readouterr().out.splitlines()[-1])
    pages = [page.extract_text() for page in pypdf.PdfReader(folder / "paper.pdf").pages]
    assert len(pages) > 1
    assert [number for number, text in enumerate(pages, 1) if "DRAFT" not in text] == []
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as file:
        found = [row for row in csv.DictReader(file) if row["code"] == "stylesheet-outdated"]
    assert [(row["severity"], row["file"], row["value"]) for row in found] == [
        ("warning", "templates/paper.css", "the draft marking, the issues to resolve, the progress "
         "charts, the progress tables and the stalled actions")]
    assert found[0]["advice"] == (f"Copy the rules it lacks from reportgen's paper.css ({DEFAULTS / 'paper.css'}), "
                                  "or move it out of the templates folder to use reportgen's own.")


def test_reportgen_s_own_stylesheet_lacks_nothing(tmp_path: Path) -> None:
    root = workspace_with(tmp_path, "paper.css")
    assert "stylesheet-outdated" not in {i.code for i in validate_draft(root).issues}


OLDER = Path(__file__).parent / "fixtures" / "older-templates"  # as an earlier release of reportgen shipped them


def test_validate_stops_on_a_pdf_template_copied_from_an_older_reportgen_as_the_build_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An officer upgrading keeps the paper.html.j2 an older reportgen gave them, which uses a filter this one no
    longer has: validate said all was well and the build then stopped. Now validate stops with the build's line,
    which says the copy is older than reportgen and how to bring it up to date."""
    root = workspace_with(tmp_path)
    template = root / "templates" / "paper.html.j2"
    shutil.copy(OLDER / "paper.html.j2", template)
    assert main(["validate", "--workspace", str(root)]) == 1
    validated = " ".join(capsys.readouterr().err.split())
    assert main(["build", "--workspace", str(root)]) == 1
    built = " ".join(capsys.readouterr().err.split())
    assert validated == built
    assert (f"reportgen: error: the template {template}, line 4, is broken: No filter named 'space_into_links'. "
            "It is a copy made by an older reportgen, written for what this one no longer has: run "
            f"`reportgen template --workspace {root} --new`: it writes reportgen's own beside it as "
            "paper.html.j2.new; carry any changes of yours into that and put it in place of paper.html.j2") in validated
    assert main(["template", "--workspace", str(root), "--new"]) == 0
    assert (root / "templates" / "paper.html.j2.new").read_bytes() == (DEFAULTS / "paper.html.j2").read_bytes()
