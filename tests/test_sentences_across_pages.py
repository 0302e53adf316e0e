"""A partner's explanation exported as HTML with a `<p>` wherever its text crossed a page (the February 2023
returns hold several: "…Manager (FTM) has <p>been appointed."): each edition of the paper shows the sentence
whole, in one paragraph, as the partner wrote it, not broken into two paragraphs mid-sentence. The same export
leaves a list open (`<ul> • a • b Those…`, no `</ul>`): the words after it may be read into its last item, which
cannot be undone without guessing, so the officer is told."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pikepdf
import pytest

from conftest import RETURN_HEADINGS, SAMPLE, default_returns, make_workspace, needs_sample, tagged_text

SPLIT = ("<p>The Board met in May and agreed the plan for the</p> <p>next year. Funding follows.</p> "
         "<p>Since then a manager has <p>been appointed.</p> <p>Next steps</p><p>The team reports in June.</p> "
         "<p>Funded by the grant<br>until 2025</p>")
SHOWN = ["The Board met in May and agreed the plan for the next year. Funding follows.",
         "Since then a manager has been appointed.", "Next steps", "The team reports in June.",
         "Funded by the grant", "until 2025"]


def _build(root: Path, expected_code: int) -> Path:
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == expected_code and "Traceback" not in done.stderr, done.stdout + done.stderr
    return Path(done.stdout.splitlines()[-1])


def _squeezed(text: str) -> str:
    """Text without its white space: a PDF drops the space where a line wraps."""
    return re.sub(r"\s+", "", text)


def html_paragraphs(folder: Path, ref: int) -> list[str]:
    page = lxml.html.parse(str(folder / "paper.html")).getroot()
    (cell,) = page.xpath(f'//tr[@id="action-{ref}"]/td[contains(@class, "col-explanation")]')
    return [" ".join(p.text_content().split()) for p in cell.iter("p", "li")]


def docx_paragraphs(folder: Path, ref: int) -> list[str]:
    plan = docx.Document(str(folder / "paper.docx")).tables[-1]
    (row,) = [row for row in plan.rows if row.cells[0].text == str(ref)]
    return [" ".join(line.split()) for p in row.cells[3].paragraphs for line in p.text.split("\n") if line.strip()]


def pdf_paragraphs(folder: Path) -> list[str]:
    """The text of every P element of the PDF's structure tree, white space taken out."""
    return [text for _kind, text in pdf_blocks(folder)]


def pdf_blocks(folder: Path) -> list[tuple[str, str]]:
    """Each P (a paragraph) and LBody (a list item's words) of the PDF's structure tree: its type and its text,
    white space taken out."""
    path = folder / "paper.pdf"
    runs = tagged_text(path)
    found: list[tuple[str, str]] = []
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}

        def text(element: pikepdf.Object, page: int | None) -> str:
            if "/Pg" in element:
                page = pages[element.Pg.objgen]
            kids = element.get("/K")
            parts = []
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int) and page is not None:
                    parts.append(runs.get((page, kid), ""))
                elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
                    parts.append(runs.get((pages[kid.Pg.objgen] if "/Pg" in kid else page, int(kid.MCID)), ""))
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    parts.append(text(kid, page))
            return "".join(parts)

        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if node.get("/S") in ("/P", "/LBody"):
                found.append((str(node.S), _squeezed(text(node, None))))
            kids = node.get("/K")
            stack.extend(kid for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
                         if isinstance(kid, pikepdf.Dictionary) and "/S" in kid)
    return found


def test_a_small_workspace_shows_each_sentence_whole_in_every_edition(tmp_path: Path) -> None:
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, *((ref, action, status, SPLIT if ref == 2 else text, when)
                                                 for ref, action, status, text, when in returns["opcc.xlsx"][1:])]
    folder = _build(make_workspace(tmp_path / "ws", returns=returns), 0)
    assert html_paragraphs(folder, 2) == SHOWN
    assert docx_paragraphs(folder, 2) == SHOWN
    paragraphs = pdf_paragraphs(folder)
    for shown in SHOWN:
        assert _squeezed(shown) in paragraphs
    assert _squeezed("agreed the plan for the") not in paragraphs and _squeezed("next year.") not in paragraphs
    # said, not done silently: a note for each join, with the words either side, in the draft's issues.csv
    with (folder / "issues.csv").open(newline="", encoding="utf-8-sig") as handle:
        joined = [row for row in csv.DictReader(handle) if row["code"] == "paragraphs-joined"]
    assert [(row["severity"], row["ref"], row["file"], row["row"], row["value"]) for row in joined] == [
        ("info", "2", "inputs/returns/2026-10/opcc.xlsx", "2", "…the plan for the / next year. Funding follows.…"),
        ("info", "2", "inputs/returns/2026-10/opcc.xlsx", "2", "…then a manager has / been appointed.…")]
    assert joined[0]["column"] == RETURN_HEADINGS[3]


LEFT_OPEN = {  # action: its explanation, and whether the officer is told its list may have swallowed what followed
    2: ('<p>Testing now includes:</p> <ul style="list-style-type: none"> • Domestic abuse offenders • Acquisitive '
        "crime arrests in the night-time economy Those new to treatment are given support.", True),
    4: ("<p>The plan asks the Boards:</p> <ul> To train frontline staff. <ul> To run a campaign.", False),
    6: ("<ul><li>Domestic abuse offenders</li><li>Acquisitive crime</li></ul> Those new to treatment are "
        "supported.", False),
}


def test_a_list_left_open_is_shown_as_written_and_the_officer_is_told(tmp_path: Path) -> None:
    """Action 49 of the February 2023 returns: `<ul> • … cocaine • … class A drugs • … the night-time economy Those
    naïve to treatment are given support, education and treatment as part of their conditions.` and no `</ul>`.
    The published paper has the last sentence as a paragraph after the list; ours showed it inside the last bullet
    and said nothing. Where the list ended cannot be read from the cell, so the bullet is kept as written and a
    warning names the action, its return's row and column, and the item; a list whose items all end alike (action
    56: each a sentence) or one that is closed is not flagged."""
    returns = default_returns()
    for rows in returns.values():
        rows[1:] = [(ref, action, status, LEFT_OPEN[ref][0] if ref in LEFT_OPEN else text, when)
                    for ref, action, status, text, when in rows[1:]]
    root = make_workspace(tmp_path / "ws", returns=returns)
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    folder = Path(done.stdout.splitlines()[-1])
    with (folder / "issues.csv").open(newline="", encoding="utf-8-sig") as handle:
        told = [row for row in csv.DictReader(handle) if row["code"] == "list-not-closed"]
    assert [(row["severity"], row["ref"], row["file"], row["sheet"], row["row"], row["column"], row["value"])
            for row in told] == [
        ("warning", "2", "inputs/returns/2026-10/opcc.xlsx", "Return", "2", RETURN_HEADINGS[3],
         "Acquisitive crime arrests in the night-time economy Those new to treatment are given support.")]
    assert "Action 2: the explanation's list is never closed" in done.stdout  # a warning: shown without --all
    # shown as written, in every edition: nothing moved out of the bullet by a guess
    shown = ["Testing now includes:", "Domestic abuse offenders",
             "Acquisitive crime arrests in the night-time economy Those new to treatment are given support."]
    assert html_paragraphs(folder, 2) == shown and docx_paragraphs(folder, 2) == shown


ON_A_LINE_AFTER = {  # action: its list never closed, and the words after its last bullet on a line of their own
    2: ('<p>Testing now includes:</p> <ul style="list-style-type: none"> • Domestic abuse offenders • Acquisitive '
        "crime arrests in the night-time economy\nThose new to treatment are given support."),
    4: ("<p>Testing now includes:</p> <ul> • Domestic abuse offenders • Acquisitive crime arrests\n\n"
        "Those new to treatment are given support."),
    6: ("<p>Testing now includes:</p><ul><li>Domestic abuse offenders<li>Acquisitive crime arrests\n\n"
        "Those new to treatment are given <b>support</b>."),
}


def _built_saying_no_list_left_open(tmp_path: Path, explanations: dict[int, str]
                                    ) -> tuple[lxml.html.HtmlElement, Any, list[tuple[str, str]]]:
    """The example returns with these actions' explanations, built: its web page, the Word paper's plan table and
    the PDF's tagged blocks; no `list-not-closed` said."""
    returns = default_returns()
    for rows in returns.values():
        rows[1:] = [(ref, action, status, explanations.get(ref, text), when)
                    for ref, action, status, text, when in rows[1:]]
    folder = _build(make_workspace(tmp_path / "ws", returns=returns), 0)
    with (folder / "issues.csv").open(newline="", encoding="utf-8-sig") as handle:
        assert [row for row in csv.DictReader(handle) if row["code"] == "list-not-closed"] == []
    page = lxml.html.parse(str(folder / "paper.html")).getroot()
    return page, docx.Document(str(folder / "paper.docx")).tables[-1], pdf_blocks(folder)


def test_words_put_on_a_line_of_their_own_after_a_list_left_open_are_a_paragraph_after_it(tmp_path: Path) -> None:
    """The warning on action 49 of the February 2023 returns advised putting the words after the bullets on a line
    of their own; done so (a new line after a `•` bullet, an empty line too, or one after an `<li>` left open), the
    words were still a bullet of the list, and the same warning came again. Now they are a paragraph after the list
    in the web edition, the Word paper and the PDF, and nothing is said."""
    page, plan, pdf = _built_saying_no_list_left_open(tmp_path, ON_A_LINE_AFTER)
    for ref in ON_A_LINE_AFTER:
        (cell,) = page.xpath(f'//tr[@id="action-{ref}"]/td[contains(@class, "col-explanation")]')
        shown = [(element.tag, " ".join(element.text_content().split())) for element in cell.iter("p", "li")]
        assert shown[1:] == [("li", "Domestic abuse offenders"), ("li", shown[2][1]),
                             ("p", "Those new to treatment are given support.")], (ref, shown)
        assert cell.xpath('.//p[contains(., "Those new")]/ancestor::ul') == []
        (row,) = [row for row in plan.rows if row.cells[0].text == str(ref)]
        last = row.cells[3].paragraphs[-1]
        assert (last.text, last.style.name.startswith("List")) == ("Those new to treatment are given support.", False)
        assert row.cells[3].paragraphs[-2].style.name.startswith("List")
        assert ("/P", _squeezed("Those new to treatment are given support.")) in pdf
        assert not any(kind == "/LBody" and "Thosenew" in text for kind, text in pdf)


WITH_A_BULLET = "Partners: housing • transport • health."
A_BULLET_IN_THE_LINE_AFTER = {  # action: its list never closed, then a line of words with a "•" inside it
    2: '<p>Testing now includes:</p> <ul> • Domestic abuse offenders • Acquisitive crime arrests\n' + WITH_A_BULLET,
    4: "<p>Testing now includes:</p><ul><li>Domestic abuse offenders<li>Acquisitive crime arrests\n\n"
       + WITH_A_BULLET,
    6: "<p>Testing now includes:</p><ul><li>Domestic abuse offenders</li><li>Acquisitive crime arrests</li>\n"
       + WITH_A_BULLET,
}


def test_a_bullet_inside_the_line_after_a_list_left_open_starts_no_item(tmp_path: Path) -> None:
    """Words put on a line of their own after a list never closed, as the `list-not-closed` advice says, were
    still read into the list when a "•" stood inside them ("housing • transport"): the line became one more bullet,
    or three (after `</li>`, split at each "•"), and the warning came again. A "•" inside a line of words is the
    partner's own character: the line is a paragraph after the list, its "•" as typed, in every edition."""
    page, plan, pdf = _built_saying_no_list_left_open(tmp_path, A_BULLET_IN_THE_LINE_AFTER)
    after = [text for kind, text in pdf if kind == "/P" and text == _squeezed(WITH_A_BULLET)]
    assert len(after) == len(A_BULLET_IN_THE_LINE_AFTER)
    assert not any(kind == "/LBody" and "housing" in text for kind, text in pdf)
    for ref in A_BULLET_IN_THE_LINE_AFTER:
        (cell,) = page.xpath(f'//tr[@id="action-{ref}"]/td[contains(@class, "col-explanation")]')
        shown = [(element.tag, " ".join(element.text_content().split())) for element in cell.iter("p", "li")]
        assert shown[1:] == [("li", "Domestic abuse offenders"), ("li", "Acquisitive crime arrests"),
                             ("p", WITH_A_BULLET)], (ref, shown)
        (row,) = [row for row in plan.rows if row.cells[0].text == str(ref)]
        last = row.cells[3].paragraphs[-1]
        assert (last.text, last.style.name.startswith("List")) == (WITH_A_BULLET, False)
        assert [p.text for p in row.cells[3].paragraphs if p.style.name.startswith("List")] == [
            "Domestic abuse offenders", "Acquisitive crime arrests"]


@needs_sample
def test_the_2023_sample_tells_of_the_one_list_that_swallowed_a_sentence(sample_built: Path) -> None:
    with (sample_built / "issues.csv").open(newline="", encoding="utf-8-sig") as handle:
        told = [row for row in csv.DictReader(handle) if row["code"] == "list-not-closed"]
    assert [(row["ref"], row["file"], row["row"]) for row in told] == [
        ("49", "inputs/returns/2023-02/county-community-safety-unit.xlsx", "5")]
    assert told[0]["value"].endswith("night-time economy Those naïve to treatment are given support, education "
                                     "and treatment as part of their conditions.")


@needs_sample
@pytest.mark.parametrize("ref, words", [
    (86, ("A Fraud Triage Manager (FTM) has been appointed.",)),
    (32, ("to be the responsible owner of processes, documentation, governance etc. There is currently",)),
    (54, ("including getting messages out to drug users",)),
    (89, ("to ensure all officers have a clear understanding of the expectations",)),
    (91, ("collected by the Complaints Resolution Team (CRT) to ensure",)),
    (98, ("HR and workforce development scrutinise cases to ensure compliance",)),
    (141, ("a clearer picture of our current emissions, which will provide us",)),
])
def test_the_2023_sample_keeps_its_sentences_whole(sample_built: Path, ref: int, words: tuple[str, ...]) -> None:
    """The published February 2023 paper runs each of these sentences on (over a page break); ours showed each
    as two paragraphs."""
    html, word = html_paragraphs(sample_built, ref), docx_paragraphs(sample_built, ref)
    assert html == word
    for sentence in words:
        assert any(sentence in paragraph for paragraph in html), html
        assert any(_squeezed(sentence) in paragraph for paragraph in pdf_paragraphs_of(sample_built))


@pytest.fixture(scope="module")
def sample_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`reportgen build` of a copy of the sample: exit 1, for its two statuses the officer has to settle."""
    root = shutil.copytree(SAMPLE, tmp_path_factory.mktemp("sample") / "sample-2023")
    return _build(root, 1)


_PDF_PARAGRAPHS: dict[Path, list[str]] = {}


def pdf_paragraphs_of(folder: Path) -> list[str]:
    """`pdf_paragraphs`, read once per folder (the sample's PDF has 35 pages)."""
    if folder not in _PDF_PARAGRAPHS:
        _PDF_PARAGRAPHS[folder] = pdf_paragraphs(folder)
    return _PDF_PARAGRAPHS[folder]
