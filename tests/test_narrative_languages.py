"""A Welsh passage in an English paper, marked in narrative.md as `<span lang="cy">…</span>`, is in Welsh in every
output: w:lang on its runs in the DOCX, /Lang on its structure elements in the PDF, lang on its element in the web
edition; the rest of the paper stays in the paper's language, and the tags are never printed."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import docx
import lxml.html
import pikepdf
import pytest
from docx.oxml.ns import qn
from playwright.sync_api import Browser

from conftest import element_text, make_workspace, tagged_text
from reportgen.shells.cli import main

# long enough to be drawn over two lines of the PDF: the passage's parts on each line are each in Welsh
WELSH = ("Croeso i bawb i gyfarfod y Panel Heddlu a Throseddu; diolch i'r partneriaid am eu gwaith caled drwy'r "
         "flwyddyn ac am bob adroddiad a anfonwyd atom mewn pryd.")
NARRATIVE = ("# Delivery\n\nOf the {{ total }} actions, {{ counts['Completed'] }} are complete.\n\n"
             f"The Commissioner opened the meeting: <span lang=\u201ccy\u201d>{WELSH}</span> Members thanked her.\n")


def _unspaced(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("welsh") / "ws", narrative=NARRATIVE)
    out = root / "draft"
    assert main(["build", "--workspace", str(root), "--out", str(out)]) == 0
    return out


def test_the_word_paper_marks_the_passage_s_runs_welsh(folder: Path) -> None:
    document = docx.Document(str(folder / "paper.docx"))
    body = document.element.body
    welsh = [run for run in body.iter(qn("w:r")) if run.find(f"{qn('w:rPr')}/{qn('w:lang')}") is not None]
    assert {run.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) for run in welsh} == {"cy"}
    assert "".join(t.text for run in welsh for t in run.iter(qn("w:t"))) == WELSH
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "The Commissioner opened the meeting: " + WELSH + " Members thanked her." in text
    assert "span" not in text
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert defaults.get(qn("w:val")) == "en-GB"  # the rest of the paper stays English


def test_the_pdf_gives_each_part_of_the_passage_welsh_as_its_lang(folder: Path) -> None:
    path = folder / "paper.pdf"
    texts = tagged_text(path)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        marked = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/Lang" in obj
                  and obj.get("/Type") == "/StructElem"]
        assert {str(obj.Lang) for obj in marked} == {"cy"}
        assert len(marked) >= 2  # drawn over two lines: a Span a line, each in Welsh
        assert _unspaced("".join(element_text(obj, texts, pages) for obj in marked)) == _unspaced(WELSH)
    assert "span" not in "".join(texts.values())


def test_the_web_edition_puts_the_passage_in_an_element_in_welsh(browser: Browser, folder: Path) -> None:
    page = browser.new_context().new_page()
    page.goto((folder / "paper.html").resolve().as_uri())
    assert page.locator("html").get_attribute("lang") == "en-GB"
    welsh = page.locator("[lang='cy']")
    assert welsh.count() == 1
    assert welsh.inner_text() == WELSH
    assert "<span" not in page.locator("main").inner_text()


def test_a_passage_never_ended_is_said_at_its_line_and_runs_to_its_paragraph_s_end(tmp_path: Path) -> None:
    """An officer who forgot the </span> is told at the narrative's line; the next paragraph is English again."""
    narrative = "# Delivery\n\nOf {{ total }}.\n\nShe said <span lang=\"cy\">Croeso i bawb, and went on.\n\nNext.\n"
    root = make_workspace(tmp_path / "ws", narrative=narrative)
    assert main(["build", "--workspace", str(root), "--out", str(root / "draft")]) == 0
    with (root / "draft" / "issues.csv").open(encoding="utf-8-sig", newline="") as file:
        said = [row for row in csv.DictReader(file) if row["code"] == "narrative-language-not-closed"]
    assert [(row["file"], row["row"], row["severity"]) for row in said] == [("narrative.md", "5", "warning")]
    assert '<span lang="cy">' in said[0]["message"] and "</span>" in said[0]["advice"]
    document = docx.Document(str(root / "draft" / "paper.docx"))
    languages = {t.text: run.find(f"{qn('w:rPr')}/{qn('w:lang')}") for run in document.element.body.iter(qn("w:r"))
                 for t in run.iter(qn("w:t"))}
    assert languages["Croeso i bawb, and went on."].get(qn("w:val")) == "cy"
    assert languages["Next."] is None


def test_a_passage_the_pdf_cannot_mark_is_said_not_left_in_english_unsaid(tmp_path: Path) -> None:
    """A workspace's own paper.html.j2, copied before languages were marked, writes no <span lang> round the passage:
    the PDF's tags had nothing to put Welsh on, and the paper was published reading Welsh in English, unsaid."""
    root = make_workspace(tmp_path / "ws", narrative=NARRATIVE)
    ours = (Path(__file__).resolve().parents[1] / "templates" / "paper.html.j2").read_text(encoding="utf-8")
    older = "\n".join(line for line in ours.splitlines() if "item.lang" not in line)
    assert older != ours
    (root / "templates").mkdir()
    (root / "templates" / "paper.html.j2").write_text(older, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root),
                           "--out", str(root / "draft")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    [said] = [line for line in done.stderr.splitlines() if "reportgen.render.pdf.languages" in line]
    assert said.startswith("WARNING") and f"'{WELSH}'" in said and '<span lang="cy">' in said
    assert "templates/paper.html.j2" in said
    with pikepdf.open(root / "draft" / "paper.pdf") as pdf:  # as the warning says: nothing in the tags is Welsh
        assert not [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/Lang" in obj
                    and obj.get("/Type") == "/StructElem"]


def test_a_comparison_keeps_the_passage_in_welsh_in_diff_html_pdf_and_docx(tmp_path: Path) -> None:
    """A reviewer's comparison of two drafts whose Welsh passage was reworded: diff.html marked none of it Welsh, and
    diff.pdf and diff.docx read it in English."""
    root = make_workspace(tmp_path / "ws", narrative=NARRATIVE)
    assert main(["build", "--workspace", str(root)]) == 0
    (root / "narrative.md").write_text(NARRATIVE.replace("mewn pryd", "yn gynnar"), encoding="utf-8")
    assert main(["build", "--workspace", str(root)]) == 0
    drafts = root / "outputs" / "2026-10"
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "diff", str(drafts / "draft-01"),
                           str(drafts / "draft-02"), "--out", str(root / "diff")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "WARNING" not in done.stderr, done.stdout + done.stderr
    page = lxml.html.parse(str(root / "diff" / "diff.html")).getroot()
    assert page.get("lang") == "en-GB"
    welsh = _unspaced("".join(element.text_content() for element in page.iter() if element.get("lang") == "cy"))
    assert welsh == _unspaced(WELSH.replace("mewn pryd", "mewn pryd yn gynnar"))  # the words struck and inserted
    with pikepdf.open(root / "diff" / "diff.pdf") as pdf:
        marked = {str(obj.Lang) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/Lang" in obj
                  and obj.get("/Type") == "/StructElem"}
    assert marked == {"cy"}
    document = docx.Document(str(root / "diff" / "diff.docx"))
    languages = {run.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) for run in document.element.body.iter(
        qn("w:r")) if run.find(f"{qn('w:rPr')}/{qn('w:lang')}") is not None}
    assert languages == {"cy"}
