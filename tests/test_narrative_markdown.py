"""The narrative's Markdown as the secretariat writes it: lists pasted from Word, bare addresses, a table and an
image appended to the example's narrative, built from the command line, and read back from paper.docx, paper.pdf,
paper.html and issues.csv. What the paper can show is shown as partner text shows it; what it cannot is said at
the narrative's own line, never dropped unsaid."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import lxml.html
import pdfplumber
import pytest

from conftest import built_with, copy_example
from reportgen.glyphs import missing_glyphs
from reportgen.shells.cli import main

APPENDED = """
| Status | Count |
|---|---|
| Completed | {{ counts["Completed"] }} |
| On hold | 2 |

Key points from the returns:
• Victims' Voice panel met in October
• Diversion service commissioned

![Chart of progress](chart.png)

Past papers are at https://www.wessex-pcc.example.gov.uk/panel.

The plan itself is [the delivery plan](papers/delivery-plan.pdf).

Pasted from the board's minutes:
\uf0b7\tsymbol font bullet
•\tTwo point
Next steps:
1)\tItem one
2)\tItem two
a.\tLettered item
After the numbered list.
"""
PANEL = "https://www.wessex-pcc.example.gov.uk/panel"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The example workspace with APPENDED at the end of its narrative, built once: (draft folder, narrative)."""
    root = copy_example(tmp_path_factory.mktemp("narrative") / "ws")
    narrative = (root / "narrative.md").read_text(encoding="utf-8").rstrip("\n") + "\n" + APPENDED
    (root / "narrative.md").write_text(narrative, encoding="utf-8")
    assert main(["build", "--workspace", str(root)]) == 0
    [folder] = (root / "outputs" / "2026-10").glob("draft-*")
    return folder, narrative


def docx_paragraphs(folder: Path) -> list[tuple[str, str]]:
    document = docx.Document(str(folder / "paper.docx"))
    return [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]


def pdf_lines(folder: Path) -> list[str]:
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]


def html_page(folder: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(folder / "paper.html")).getroot()


def issues_of(folder: Path, code: str) -> list[dict[str, str]]:
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        return [row for row in csv.DictReader(stream) if row["code"] == code]


def line_of(narrative: str, written: str) -> int:
    return narrative.splitlines().index(written) + 1


def test_bullets_pasted_from_word_are_a_list_in_the_word_paper_the_pdf_and_the_web_edition(
        built: tuple[Path, str]) -> None:
    folder, _narrative = built
    items = ["Victims' Voice panel met in October", "Diversion service commissioned"]
    paragraphs = docx_paragraphs(folder)
    at = paragraphs.index(("Normal", "Key points from the returns:"))
    assert paragraphs[at + 1 : at + 3] == [("List Bullet", item) for item in items]
    lines = pdf_lines(folder)
    at = lines.index("Key points from the returns:")
    assert lines[at + 1 : at + 3] == [f"• {item}" for item in items]
    [listed] = [ul for ul in html_page(folder).iter("ul") if "Diversion service" in ul.text_content()]
    assert [li.text_content().strip() for li in listed.iter("li")] == items


def test_a_bare_address_in_the_narrative_is_a_link_in_every_output(built: tuple[Path, str]) -> None:
    folder, _narrative = built
    document = docx.Document(str(folder / "paper.docx"))
    [paragraph] = [p for p in document.paragraphs if p.text.startswith("Past papers are at")]
    assert [(link.text, link.address) for link in paragraph.hyperlinks] == [(PANEL, PANEL)]
    assert paragraph.text == f"Past papers are at {PANEL}."
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        [page] = [page for page in pdf.pages if "Past papers are at" in (page.extract_text() or "")]
        assert PANEL in [link["uri"] for link in page.hyperlinks]
    [paragraph_html] = [p for p in html_page(folder).iter("p") if p.text_content().startswith("Past papers")]
    assert [(a.text_content(), a.get("href")) for a in paragraph_html.iter("a")] == [(PANEL, PANEL)]


def test_a_markdown_table_is_printed_a_row_a_line_and_said_at_its_line_of_the_narrative(
        built: tuple[Path, str]) -> None:
    """The paper has no tables of its own to lay one out in: each row is a line, its cells split by ' | ', and a
    warning gives the line of narrative.md as written (its `{% if %}` lines taken out above it by Jinja)."""
    folder, narrative = built
    rows = ["Status | Count", "Completed | 8", "On hold | 2"]
    paragraphs = [text for _style, text in docx_paragraphs(folder)]
    at = paragraphs.index(rows[0])
    assert paragraphs[at : at + 3] == rows
    lines = pdf_lines(folder)
    assert lines[lines.index(rows[0]) :][:3] == rows
    shown = [p.text_content() for p in html_page(folder).iter("p")]
    assert shown[shown.index(rows[0]) :][:3] == rows
    [told] = issues_of(folder, "narrative-table-not-shown")
    assert (told["severity"], told["file"], told["value"]) == ("warning", "narrative.md", "| Status | Count |")
    assert int(told["row"]) == line_of(narrative, "| Status | Count |")
    assert "cannot lay out" in told["message"] and "as a list" in told["advice"]


def test_an_image_in_the_narrative_is_said_at_its_line_with_the_words_printed_in_its_place(
        built: tuple[Path, str]) -> None:
    folder, narrative = built
    [told] = issues_of(folder, "narrative-image-not-shown")
    written = "![Chart of progress](chart.png)"
    assert (told["severity"], told["file"], told["value"]) == ("warning", "narrative.md", written)
    assert int(told["row"]) == line_of(narrative, written)
    assert told["message"] == ("The narrative narrative.md holds the image 'chart.png', which the paper cannot show: "
                               "it prints the image's description, 'Chart of progress', in its place.")
    assert ("Normal", "Chart of progress") in docx_paragraphs(folder)
    assert "Chart of progress" in pdf_lines(folder)


def test_a_link_the_paper_never_makes_is_said_at_its_line_and_its_words_are_printed(built: tuple[Path, str]) -> None:
    """A link to a file beside the narrative (not a web address readers can open) keeps its words, unlinked, in
    every output, and is said as a partner's explanation's link would be."""
    folder, narrative = built
    written = "The plan itself is [the delivery plan](papers/delivery-plan.pdf)."
    [told] = [row for row in issues_of(folder, "link-not-kept") if row["file"] == "narrative.md"]
    assert (told["severity"], told["value"], int(told["row"])) == ("warning", written, line_of(narrative, written))
    assert "'the delivery plan' to 'papers/delivery-plan.pdf'" in told["message"]
    [paragraph] = [p for p in docx.Document(str(folder / "paper.docx")).paragraphs if p.text.startswith("The plan")]
    assert (paragraph.text, paragraph.hyperlinks) == ("The plan itself is the delivery plan.", [])
    assert "The plan itself is the delivery plan." in pdf_lines(folder)
    [shown] = [p for p in html_page(folder).iter("p") if p.text_content().startswith("The plan itself")]
    assert list(shown.iter("a")) == []


def test_word_symbol_bullets_in_the_narrative_are_not_said_to_print_as_empty_boxes(built: tuple[Path, str]) -> None:
    """Word's Symbol-font bullet (U+F0B7, which no font here has) becomes the list's own bullet, so no box is
    printed and no warning says one is: only characters the paper prints are looked up."""
    folder, _narrative = built
    if not missing_glyphs("\uf0b7"):
        pytest.skip("a font on this machine has U+F0B7")
    assert [row["value"] for row in issues_of(folder, "no-font-for") if row["file"] == "narrative.md"] == []
    assert ("List Bullet", "symbol font bullet") in docx_paragraphs(folder)
    assert "• symbol font bullet" in pdf_lines(folder)


def test_a_line_after_a_list_pasted_from_word_is_a_paragraph_not_more_of_the_last_item(
        built: tuple[Path, str]) -> None:
    """Word pastes one paragraph a line: "Next steps:" after the bullets, and "After the numbered list." after
    the numbered ones, are paragraphs of their own in every output, and each pasted line stays its own item."""
    folder, _narrative = built
    paragraphs = docx_paragraphs(folder)
    at = paragraphs.index(("Normal", "Pasted from the board's minutes:"))
    assert paragraphs[at + 1 : at + 7] == [
        ("List Bullet", "symbol font bullet"), ("List Bullet", "Two point"), ("Normal", "Next steps:"),
        ("List Number", "Item one"), ("List Number", "Item two\na. Lettered item"),
        ("Normal", "After the numbered list.")]
    lines = pdf_lines(folder)
    at = lines.index("Pasted from the board's minutes:")
    assert lines[at + 1 : at + 8] == ["• symbol font bullet", "• Two point", "Next steps:", "1. Item one",
                                      "2. Item two", "a. Lettered item", "After the numbered list."]
    page = html_page(folder)
    [bullets] = [ul for ul in page.iter("ul") if "Two point" in ul.text_content()]
    assert [li.text_content().strip() for li in bullets.iter("li")] == ["symbol font bullet", "Two point"]
    [numbered] = [ol for ol in page.iter("ol") if "Item one" in ol.text_content()]
    items = list(numbered.iter("li"))
    assert [[text.strip() for text in li.itertext() if text.strip()] for li in items] == [
        ["Item one"], ["Item two", "a. Lettered item"]]
    assert len(list(items[1].iter("br"))) == 1  # the lettered line on a line of its own in item two
    shown = [p.text_content().strip() for p in page.iter("p")]
    assert "Next steps:" in shown and "After the numbered list." in shown


def every_edition_text(folder: Path) -> list[str]:
    """The words of the Word paper, the PDF and the web edition's narrative, each as one string."""
    document = docx.Document(str(folder / "paper.docx"))
    [narrative] = html_page(folder).find_class("narrative")
    return ["\n".join(p.text for p in document.paragraphs), "\n".join(pdf_lines(folder)), narrative.text_content()]


def test_an_html_comment_in_the_narrative_is_never_printed_and_its_line_is_noted(tmp_path: Path) -> None:
    """A comment is a note to the writers, meant hidden: no edition prints it, the words around it are printed, and
    issues.csv notes the line it was left out at."""
    written = "<!-- Jo: check these figures with the Chief Constable's office -->"
    folder, narrative = built_with(tmp_path / "ws", f"\n{written}\n\nMost actions are in progress<!-- really? -->.\n")
    for text in every_edition_text(folder):
        assert "Chief Constable's office" not in text and "really?" not in text and "<!--" not in text
        assert "Most actions are in progress." in text
    told = issues_of(folder, "narrative-comment-left-out")
    assert [(row["severity"], int(row["row"]), row["value"]) for row in told] == [
        ("info", line_of(narrative, written), written),
        ("info", line_of(narrative, "Most actions are in progress<!-- really? -->."),
         "Most actions are in progress<!-- really? -->.")]


@pytest.mark.expected_logs(r"opens a comment \(<!--\) at this line and never closes it")
def test_a_comment_never_closed_prints_nothing_after_it_and_blocks_the_paper_at_its_line(tmp_path: Path) -> None:
    """`<!-- note to self` with no `-->` was printed in every edition, the note and its `<!--` with it. Where the
    note ends cannot be known: as a browser does, nothing after it is printed in any edition, and it is an error at
    the line that opens it (the paper is incomplete), so the draft cannot go out until the officer closes it."""
    root = copy_example(tmp_path / "ws")
    written = "<!-- note to self: ask finance whether the £548,176 is final"
    narrative = ((root / "narrative.md").read_text(encoding="utf-8").rstrip("\n")
                 + f"\n\nMost actions are in progress.\n\n{written}\n\nThanks go to every partner who returned.\n")
    (root / "narrative.md").write_text(narrative, encoding="utf-8")
    assert main(["build", "--workspace", str(root)]) == 1  # done, with an issue that blocks publication
    [folder] = (root / "outputs" / "2026-10").glob("draft-*")
    for text in every_edition_text(folder):
        assert "Most actions are in progress." in text
        # the "Issues to resolve" box quotes the message, which names <!--, never the note's words
        assert "note to self" not in text and "<!-- note" not in text and "ask finance" not in text
        assert "Thanks go to every partner" not in text
    told = issues_of(folder, "narrative-comment-not-closed")
    assert [(row["severity"], int(row["row"]), row["value"]) for row in told] == [
        ("error", line_of(narrative, written), written)]
    assert issues_of(folder, "narrative-comment-left-out") == []


def test_a_paragraph_indented_by_a_tab_or_four_spaces_is_an_ordinary_paragraph_in_every_edition(
        tmp_path: Path) -> None:
    """Word's first-line indent, pasted, is no code block: the paragraph's bold and link are the paper's own, its
    bare address a link, and its lines one paragraph."""
    indented = ("\n\tThe board agreed **three** priorities in [the plan](https://www.example.org/plan), at\n"
                "\thttps://www.example.org/board.\n\n    Four spaces in, *a second* paragraph.\n")
    folder, _narrative = built_with(tmp_path / "ws", indented)
    said = "The board agreed three priorities in the plan, at https://www.example.org/board."
    document = docx.Document(str(folder / "paper.docx"))
    [paragraph] = [p for p in document.paragraphs if p.text.startswith("The board agreed")]
    assert paragraph.text == said
    assert [run.text for run in paragraph.runs if run.bold] == ["three"]
    assert [link.address for link in paragraph.hyperlinks] == ["https://www.example.org/plan",
                                                               "https://www.example.org/board"]
    assert "Four spaces in, a second paragraph." in [p.text for p in document.paragraphs]
    text = " ".join(pdf_lines(folder))
    assert said in text and "**" not in text and "](" not in text
    [shown] = [p for p in html_page(folder).iter("p") if p.text_content().startswith("The board agreed")]
    assert " ".join(shown.text_content().split()) == said
    assert [b.text for b in shown.iter("strong", "b")] == ["three"]
    assert [a.get("href") for a in shown.iter("a")] == ["https://www.example.org/plan", "https://www.example.org/board"]


OTHER_MARKDOWN = """
> The Chief Constable said the plan is on track.

---

The review is due in March[^1], ~~January~~ as first planned.

[^1]: Agreed at the October board.
"""


@pytest.mark.expected_logs(r"a quotation \(a line starting >\)", r"a horizontal rule", r"a footnote \(\[\^1\]\)",
                           r"a footnote \(\[\^1\]:\)", r"struck-through words \(~~January~~\)")
def test_a_quotation_a_rule_a_footnote_and_struck_words_are_each_said_at_their_line(tmp_path: Path) -> None:
    """The paper has no quotations, rules, footnotes or struck-through words: each is printed as the paper can (a
    quotation's words as a paragraph, a footnote and struck words as typed, a rule not at all), the same in every
    edition, and said at its line of narrative.md, never left out unsaid."""
    folder, narrative = built_with(tmp_path / "ws", OTHER_MARKDOWN)
    for text in every_edition_text(folder):
        assert "The Chief Constable said the plan is on track." in text
        assert "> The Chief" not in text and "---" not in text
        assert "The review is due in March[^1], ~~January~~ as first planned." in " ".join(text.split())
        assert "[^1]: Agreed at the October board." in text
    told = issues_of(folder, "narrative-markdown-not-shown")
    # issues.csv starts a cell that Excel would read as a formula ("---") with an apostrophe
    assert [(row["severity"], int(row["row"]), row["value"].removeprefix("'")) for row in told] == [
        ("warning", line_of(narrative, written), written) for written in [
            "> The Chief Constable said the plan is on track.", "---",
            "The review is due in March[^1], ~~January~~ as first planned.",
            "The review is due in March[^1], ~~January~~ as first planned.",
            "[^1]: Agreed at the October board."]]
    assert [row["message"].split("has ")[1].split(",")[0] for row in told] == [
        "a quotation (a line starting >)", "a horizontal rule (---)", "struck-through words (~~January~~)",
        "a footnote ([^1])", "a footnote ([^1]:)"]


def test_a_sentence_written_straight_after_a_list_is_said_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An officer writing a sentence under the counts' list, with no blank line before it, ran it into the last
    bullet ("… 'On hold' The counts are as the partners returned them."), unsaid: Markdown reads a line straight
    after an item as that item's. The line is now a warning at its line of narrative.md, what it holds and what to
    do."""
    root = copy_example(tmp_path / "ws")
    narrative = (root / "narrative.md").read_text(encoding="utf-8")
    joined = narrative.replace("{%- endif %}\n{% if carried_forward %}",
                               "{%- endif %}\nThe counts are as the partners returned them.\n{% if carried_forward %}")
    assert joined != narrative
    (root / "narrative.md").write_text(joined, encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    [told] = issues_of(folder, "narrative-joined-to-item")
    written = "The counts are as the partners returned them."
    assert (told["severity"], told["file"], told["value"]) == ("warning", "narrative.md", written.strip())
    assert int(told["row"]) == line_of(joined, written)
    assert "put a blank line before it" in told["advice"]
    # what the warning says the paper does: the sentence is printed in the last bullet
    [item] = [text for _style, text in docx_paragraphs(folder) if written in text]
    assert item.startswith(tuple(f"{n} action" for n in range(10))) and "'On hold'" in item


@pytest.mark.parametrize(("markdown", "joined"), [
    ("- 26 actions have 'Not Started'\nDuring 2022/23, the OPCC was funded.\n", 2),
    ("1. Review the referrals.\nThe board agreed this in May.\n", 2),
    ("- Funded by the\nHome Office this year.\n", 0),  # an item's text wrapped: no sentence ends the line before
    ("- Review complete.\n  More detail on the review.\n", 0),  # indented as the item's text: meant as the item's
    ("- Review complete.\n\nThe board agreed.\n", 0),  # a paragraph of its own
    ("- Review complete.\n- The board agreed.\n", 0),  # the next item
    ("Intro paragraph.\nSecond line of it.\n", 0),  # no list
    ("- The partners are:\nWessex Police, the OPCC and the council.\n", 0),  # wrapped after a colon
    ("- Funded by the Home Office (OPCC)\nGrant conditions apply.\n", 0),  # a bracket ends no sentence
    ("- Funded (see the grant letter.)\nThe board agreed.\n", 2),  # a sentence closed inside its bracket does
    ("- Review complete.  \nThe board agreed.\n", 0),  # a line break written in the item: the item's next line
    ("- Review complete.\\\nThe board agreed.\n", 0),
])
def test_only_a_sentence_run_on_from_an_item_is_said(markdown: str, joined: int) -> None:
    from reportgen.read.richtext import read_markdown

    found = [each.line for each in read_markdown(markdown)[1] if each.what == "joined-to-item"]
    assert found == ([joined] if joined else [])
