"""Numbered lists and headings of the narrative as the secretariat writes them, built from the command line and
read back from paper.pdf, the web edition, paper.docx (its numbering, and its words as LibreOffice prints them)
and issues.csv. A list is numbered as written, a list nested in an item belongs to that item, and a heading that
skips a level, or goes deeper than `###`, is said at its line."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import docx
import lxml.html
import pdfplumber
import pikepdf
import pytest
from docx.oxml.ns import qn
from playwright.sync_api import Browser

from conftest import _tree_kids, built_with, copy_example, element_text, tagged_text
from test_libreoffice import convert, needs_libreoffice

LISTS = """
The board's steps, as its minutes number them:

3. Third step
4. Fourth step

Points:

1. First
2. Second point
   - nested bullet one
3. Third point

Spanish:

1. Uno
    1. uno a
2. Dos
3. Tres
"""
HEADINGS = """
### Next steps

More to follow.

#### Risks

None known.
"""
NUMBERED = {"Third step": 3, "Fourth step": 4, "First": 1, "Second point": 2, "Third point": 3,
            "Uno": 1, "Dos": 2, "Tres": 3}


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_with(tmp_path_factory.mktemp("lists") / "ws", LISTS)[0]


def pdf_lines(pdf_file: Path) -> list[str]:
    with pdfplumber.open(pdf_file) as pdf:
        return [" ".join(line.split()) for page in pdf.pages for line in (page.extract_text() or "").splitlines()]


def web_page(folder: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(folder / "paper.html")).getroot()


def numbered_list(page: lxml.html.HtmlElement, words: str) -> lxml.html.HtmlElement:
    [found] = [ol for ol in page.iter("ol") if ol.getparent().tag != "li" and words in ol.text_content()]
    return found


def own_words(item: lxml.html.HtmlElement) -> str:
    """An <li>'s words without those of the lists nested in it."""
    return "".join([item.text or "", *(child.text_content() + (child.tail or "") for child in item
                                       if child.tag not in ("ul", "ol"))]).strip()


def test_a_numbered_list_is_numbered_as_written_in_the_pdf(lists: Path) -> None:
    """A list the narrative starts at 3 prints 3 and 4, and a list with a list nested in an item goes on counting
    after it: "3. Third point", "2. Dos", not a new list from 1."""
    lines = pdf_lines(lists / "paper.pdf")
    for words, number in NUMBERED.items():
        assert f"{number}. {words}" in lines, words
    at = lines.index("2. Second point")
    assert lines[at : at + 3] == ["2. Second point", "◦ nested bullet one", "3. Third point"]
    at = lines.index("1. Uno")
    assert lines[at : at + 4] == ["1. Uno", "1. uno a", "2. Dos", "3. Tres"]


def test_a_numbered_list_keeps_its_start_in_a_pdf_with_a_long_unbroken_run(tmp_path: Path) -> None:
    """A paper with a run too long for a line (a pasted address) is printed from a copy with break points in it:
    that copy keeps where each list starts."""
    folder, _narrative = built_with(tmp_path / "ws", "See " + "x" * 130 + ".\n\n3. Third step\n4. Fourth step\n")
    lines = pdf_lines(folder / "paper.pdf")
    assert [line for line in lines if line.endswith(" step")] == ["3. Third step", "4. Fourth step"]


def pdf_lists(pdf_file: Path) -> list[tuple[bool, int, str, list[str]]]:
    """Each list of the PDF's structure tree, nested or not: (whether it is in another list, its LI count, its
    text without white space, the text of each list right in it)."""
    texts = tagged_text(pdf_file)
    with pikepdf.open(pdf_file) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        found, stack = [], [(pdf.Root.StructTreeRoot, False)]
        while stack:
            node, in_a_list = stack.pop()
            kids = _tree_kids(node)
            if node.get("/S") == "/L":
                inner = [element_text(kid, texts, pages) for kid in kids if kid.get("/S") == "/L"]
                found.append((in_a_list, sum(kid.get("/S") == "/LI" for kid in kids),
                              "".join(element_text(node, texts, pages).split()), inner))
            stack.extend((kid, in_a_list or node.get("/S") == "/L") for kid in reversed(kids))
        return found


def outer_lists(pdf_file: Path) -> list[tuple[int, list[str]]]:
    """Each list of the PDF's structure tree that is in no other list: (its LI count, the text of each list
    nested in it)."""
    return [(count, inner) for nested, count, _text, inner in pdf_lists(pdf_file) if not nested]


def every_list(pdf_file: Path) -> list[tuple[int, str]]:
    """Each list of the PDF's structure tree, nested or not: (its LI count, its text without white space)."""
    return [(count, text) for _nested, count, text, _inner in pdf_lists(pdf_file)]


def test_a_list_nested_in_an_item_is_one_list_in_the_pdf_tags(lists: Path) -> None:
    """A screen reader of the PDF meets the points as one list of three, the bullet nested in it, not a list of
    two, a list of one and a list of one side by side."""
    lists_found = outer_lists(lists / "paper.pdf")
    assert (3, ["◦ nested bullet one"]) in lists_found
    assert (3, ["1. uno a"]) in lists_found


def test_a_list_nested_in_an_item_is_inside_that_item_in_the_web_edition(lists: Path) -> None:
    """One list to a screen reader, the nested one inside its item's <li>; an <ol> starts where the narrative
    starts it."""
    page = web_page(lists)
    steps = numbered_list(page, "Third step")
    assert (steps.get("start"), [own_words(li) for li in steps.findall("li")]) == ("3", ["Third step", "Fourth step"])
    points = numbered_list(page, "Third point")
    assert points.get("start") is None
    items = points.findall("li")
    assert [own_words(li) for li in items] == ["First", "Second point", "Third point"]
    [nested] = items[1].findall("ul")
    assert [li.text_content() for li in nested.findall("li")] == ["nested bullet one"]
    spanish = numbered_list(page, "Tres")
    items = spanish.findall("li")
    assert [own_words(li) for li in items] == ["Uno", "Dos", "Tres"]
    assert [li.text_content() for li in items[0].find("ol").findall("li")] == ["uno a"]


def word_numbers(folder: Path) -> dict[str, tuple[str, str]]:
    """For each numbered paragraph of paper.docx: (its w:num, the number that w:num starts its list at)."""
    document = docx.Document(str(folder / "paper.docx"))
    numbering = document.part.numbering_part.element
    starts = {}
    for num in numbering.findall(qn("w:num")):
        start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        starts[num.get(qn("w:numId"))] = start.get(qn("w:val")) if start is not None else "1"
    found = {}
    for paragraph in document.paragraphs:
        num_id = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is not None:
            found[paragraph.text] = (num_id.get(qn("w:val")), starts[num_id.get(qn("w:val"))])
    return found


def test_a_numbered_list_in_the_word_paper_starts_where_written_and_goes_on_after_a_nested_list(lists: Path) -> None:
    numbers = word_numbers(lists)
    assert numbers["Third step"][1] == "3" and numbers["Fourth step"] == numbers["Third step"]
    assert numbers["First"][1] == "1" and numbers["Second point"] == numbers["Third point"] == numbers["First"]
    assert numbers["Uno"] == numbers["Dos"] == numbers["Tres"] != numbers["uno a"]
    assert numbers["uno a"][1] == "1"
    assert len({numbers[words][0] for words in ("Third step", "First", "Uno")}) == 3  # three lists


@needs_libreoffice
def test_word_users_see_the_numbers_as_written(lists: Path, tmp_path: Path) -> None:
    """paper.docx as LibreOffice prints it: the numbers a Word user sees."""
    lines = pdf_lines(convert(lists / "paper.docx", tmp_path))
    for words, number in NUMBERED.items():
        assert f"{number}. {words}" in lines, words
    assert "1. uno a" in lines


@pytest.mark.expected_logs(r"#### heading", r"### heading under a # heading")
def test_a_heading_that_skips_a_level_or_goes_too_deep_is_said_at_its_line(tmp_path: Path) -> None:
    """`###` under the narrative's `#` leaves the PDF's and the web page's outline a level short, and `####` is
    printed as `###`: `validate` and `build` say each at its line of narrative.md, with what it holds."""
    folder, narrative = built_with(tmp_path / "ws", HEADINGS)
    written = narrative.splitlines()
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        told = {row["code"]: row for row in csv.DictReader(stream) if row["file"] == "narrative.md"}
    skipped, deep = told["narrative-heading-skipped"], told["narrative-heading-too-deep"]
    assert (skipped["severity"], skipped["value"]) == ("warning", "### Next steps")
    assert int(skipped["row"]) == written.index("### Next steps") + 1
    assert "### heading under a # heading, a level skipped" in skipped["message"]
    assert "make this one a ## heading" in skipped["advice"]
    assert (deep["severity"], deep["value"], int(deep["row"])) == ("warning", "#### Risks",
                                                                   written.index("#### Risks") + 1)
    assert "printed as a ### heading" in deep["message"]
    page = web_page(folder)
    assert [h.tag for h in page.iter("h4") if h.text_content() in ("Next steps", "Risks")] == ["h4", "h4"]
    checked = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "validate", "--workspace",
                              str(tmp_path / "ws")], capture_output=True, text=True, check=False)
    line = written.index("#### Risks") + 1
    assert f"line {line}: The narrative narrative.md has a #### heading" in checked.stdout


@pytest.mark.expected_logs(r"opens its headings with a ## heading")
def test_a_narrative_whose_first_heading_is_not_a_single_hash_is_said(tmp_path: Path) -> None:
    """The paper's title is the level above `#`: a narrative opening its headings with `##` skips one."""
    root = copy_example(tmp_path / "ws")
    narrative = (root / "narrative.md").read_text(encoding="utf-8").replace("# Safer Wessex", "## Safer Wessex", 1)
    (root / "narrative.md").write_text(narrative, encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "validate", "--workspace", str(root)],
                             capture_output=True, text=True, check=False)
    assert "line 1: The narrative narrative.md opens its headings with a ## heading" in checked.stdout


CONTINUED = """
1. First recommendation

   Explanation paragraph of the first recommendation.

2. Second recommendation

- Bullet one\x20\x20
  its next line
- Bullet two
"""


def test_a_second_paragraph_or_line_break_in_a_list_item_stays_in_that_item_and_keeps_the_numbers(
        tmp_path: Path) -> None:
    """A paragraph indented under an item, or a line after a two-space line break, is more of that item, on a line
    of its own: not an item of its own, numbered 2, with the item after it numbered 3."""
    folder, _narrative = built_with(tmp_path / "ws", CONTINUED)
    explained = "Explanation paragraph of the first recommendation."
    lines = pdf_lines(folder / "paper.pdf")
    at = lines.index("1. First recommendation")
    assert lines[at : at + 3] == ["1. First recommendation", explained, "2. Second recommendation"]
    at = lines.index("• Bullet one")
    assert lines[at : at + 3] == ["• Bullet one", "its next line", "• Bullet two"]
    numbers = word_numbers(folder)
    assert numbers[f"First recommendation\n{explained}"] == numbers["Second recommendation"]
    document = docx.Document(str(folder / "paper.docx"))
    bullets = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "List Bullet"]
    assert bullets[-2:] == ["Bullet one\nits next line", "Bullet two"]
    page = web_page(folder)
    items = numbered_list(page, "Second recommendation").findall("li")
    assert [list(li.itertext()) for li in items] == [["First recommendation", explained], ["Second recommendation"]]
    [bulleted] = [ul for ul in page.iter("ul") if "Bullet two" in ul.text_content()]
    assert [list(li.itertext()) for li in bulleted.findall("li")] == [["Bullet one", "its next line"], ["Bullet two"]]


DEEP = """
Deep:

1. A
   1. A.1
      1. A.1.1
      2. A.1.2
         1. A.1.2.1
         2. A.1.2.2
      3. A.1.3
   2. A.2
2. B
"""


@pytest.mark.expected_logs(r"a list nested 4 levels deep")
def test_a_third_list_level_is_kept_and_a_fourth_is_said_at_its_line_numbered_sensibly(tmp_path: Path) -> None:
    """A list three levels deep is laid out three levels deep, each numbered on its own; a fourth level, deeper
    than the paper goes, is drawn at the third under its item, and said at its line, and the third-level list
    around it goes on with its own numbers."""
    folder, narrative = built_with(tmp_path / "ws", DEEP)
    lines = pdf_lines(folder / "paper.pdf")
    at = lines.index("1. A")
    assert lines[at : at + 9] == ["1. A", "1. A.1", "1. A.1.1", "2. A.1.2", "1. A.1.2.1", "2. A.1.2.2", "3. A.1.3",
                                  "2. A.2", "2. B"]
    document = docx.Document(str(folder / "paper.docx"))
    styles = {p.text: p.style.name for p in document.paragraphs if p.style is not None}
    assert [styles[words] for words in ("A", "A.1", "A.1.1", "A.1.2.1", "A.1.3")] == [
        "List Number", "List Number 2", "List Number 3", "List Number 3", "List Number 3"]
    numbers = word_numbers(folder)
    assert numbers["A.1.1"] == numbers["A.1.2"] != numbers["A.1"]
    assert numbers["A.1.2.1"] == numbers["A.1.2.2"] != numbers["A.1.2"]
    assert numbers["A.1.3"][1] == "3" and numbers["A.2"] == numbers["A.1"]
    outer = numbered_list(web_page(folder), "A.1.1")
    [second] = outer.findall("li")[0].findall("ol")
    [third] = second.findall("li")[0].findall("ol")  # one list, the fourth level inside its item, as in the PDF
    assert (third.get("start"), [own_words(li) for li in third.findall("li")]) == (None, ["A.1.1", "A.1.2", "A.1.3"])
    [fourth] = third.findall("li")[1].findall("ol")
    assert (fourth.get("start"), [own_words(li) for li in fourth.findall("li")]) == (None, ["A.1.2.1", "A.1.2.2"])
    assert [own_words(li) for li in second.findall("li")] == ["A.1", "A.2"]
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        [told] = [row for row in csv.DictReader(stream) if row["code"] == "narrative-list-too-deep"]
    assert (told["severity"], told["value"]) == ("warning", "1. A.1.2.1")
    assert int(told["row"]) == narrative.splitlines().index("         1. A.1.2.1") + 1


@pytest.mark.expected_logs(r"a list nested 4 levels deep")
def test_a_fourth_list_level_stays_inside_its_item_and_is_drawn_at_the_third_in_every_edition(
        tmp_path: Path, browser: Browser) -> None:
    """A list nested past the paper's three levels was a list of its own beside the third-level list in the web
    edition and the PDF's tags (the third-level list cut in two around it): a screen reader met three lists. It is
    now inside the item it is nested in, the third-level list one list of three, and the browser draws its items
    at the third level, as the PDF and the Word paper do."""
    folder, _narrative = built_with(tmp_path / "ws", DEEP)
    assert (3, "1.A.1.12.A.1.21.A.1.2.12.A.1.2.23.A.1.3") in every_list(folder / "paper.pdf")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto((folder / "paper.html").resolve().as_uri())
    lefts = dict(page.evaluate("""() => [...document.querySelectorAll(".narrative li")].map(
        li => [li.firstChild.textContent.trim(), li.getBoundingClientRect().left])"""))
    assert lefts["A.1.2.1"] == lefts["A.1.1"] == lefts["A.1.3"] > lefts["A.1"]
    document = docx.Document(str(folder / "paper.docx"))
    styles = {p.text: p.style.name for p in document.paragraphs if p.style is not None}
    assert styles["A.1.2.1"] == styles["A.1.1"] == "List Number 3"


def test_a_third_level_heading_is_in_the_heading_colour_in_the_web_edition_as_in_the_pdf(
        tmp_path: Path, browser: Browser) -> None:
    """`###` is Word's Heading 3, which the PDF and the Word paper draw bold in the heading colour: the web
    edition's h4 is drawn so too, set apart from the body text, not in its colour and size."""
    folder, _narrative = built_with(tmp_path / "ws", "\n## Next steps\n\n### Risks\n\nNone known.\n")
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        [colour] = {tuple(round(part * 255) for part in word["non_stroking_color"]) for page in pdf.pages
                    for word in page.extract_words(extra_attrs=["non_stroking_color"]) if word["text"] == "Risks"}
    page = browser.new_context().new_page()
    page.goto((folder / "paper.html").resolve().as_uri())
    heading = page.locator(".narrative h4", has_text="Risks")
    body = page.locator(".narrative p", has_text="None known.")
    style = "e => [getComputedStyle(e).color, getComputedStyle(e).fontWeight, parseFloat(getComputedStyle(e).fontSize)]"
    heading_colour, weight, size = heading.evaluate(style)
    body_colour, _weight, body_size = body.evaluate(style)
    assert heading_colour == "rgb({}, {}, {})".format(*colour) != body_colour
    assert weight == "700" and size > body_size
    page.context.close()
