"""The paper's "Changes since the last draft" and "Stalled actions" tables, as a reader meets them in each format:
on a phone (the web edition), in Word and in the PDF, built from the CLI as an officer builds them."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from docx.oxml.ns import qn
from playwright.sync_api import Browser

from browser import axe_violations
from conftest import copy_example
from reportgen.shells.cli import main

NO_CHANGE = "No action's status has changed since draft 2026-10/draft-01, and none has been withdrawn from the plan."


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with the changes section on and every action unchanged for one period called stalled; September
    built, then October with two of its actions moved (2 completed, 6 on hold), then October again unchanged."""
    root = copy_example(tmp_path_factory.mktemp("changes") / "ws")
    settings = root / "reportgen.toml"
    toml = settings.read_text(encoding="utf-8").replace("[paper]\n", "[paper]\nchanges_section = true\n", 1)
    settings.write_text(toml + "\n[history]\nstalled_after = 1\n", encoding="utf-8")
    assert main(["build", "--workspace", str(root), "--period", "2026-09"]) == 0
    october = root / "inputs" / "returns" / "2026-10" / "opcc.xlsx"
    book = openpyxl.load_workbook(october)
    book["Return"]["C2"], book["Return"]["C3"] = "Completed", "On hold"
    book.save(october)
    for _ in range(2):
        assert main(["build", "--workspace", str(root), "--period", "2026-10"]) == 0
    return root


def draft(workspace: Path, number: int) -> Path:
    return workspace / "outputs" / "2026-10" / f"draft-{number:02d}"


def pdf_text(path: Path) -> str:
    """The words drawn on the pages, as a reader sees them: not a table's caption, drawn off the page for the tags."""
    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((page.within_bbox(page.bbox).extract_text() or "").split()) for page in pdf.pages)


def pdf_header(path: Path, last: str) -> list[str]:
    """The words of the PDF table header whose last column is headed `last` (a heading over two lines too)."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = page.within_bbox(page.bbox).extract_words()  # not a caption drawn off the page for the tags
            found = next((w for w in words if w["text"] == last), None)
            if found is not None:
                band = [w for w in words if abs(w["top"] - found["top"]) < 15]
                return [w["text"] for w in sorted(band, key=lambda w: (w["x0"], w["top"]))]
    return []


def test_on_a_phone_the_changes_and_stalled_tables_never_widen_the_page(browser: Browser, workspace: Path) -> None:
    """At 320 px the page was 342 px wide, the changes table's "Now" column cut at "Complete…", and the stalled
    table 377 px wide at 320 to 375 px: a reader scrolled the whole page sideways (WCAG 1.4.10). Each table now
    wraps its words and scrolls, if it must, inside its own labelled region, a tab stop while it has more to show."""
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto((draft(workspace, 1) / "paper.html").resolve().as_uri())
    for width in (320, 360, 375):
        page.set_viewport_size({"width": width, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        for table in ("changes", "stalled"):
            region = page.locator(f"div.table-scroll[role=region]:has(> table.{table})")
            assert region.count() == 1, table
            assert region.evaluate("r => r.getBoundingClientRect().right") <= width
            scrolls = region.evaluate("r => r.scrollWidth > r.clientWidth")
            assert region.get_attribute("tabindex") == ("0" if scrolls else None), (table, width)
    now = page.locator("table.changes tbody tr").first.locator("td").last
    assert now.inner_text() == "Completed"
    assert page.get_by_role("region", name="Status changes since the last draft", exact=True).count() == 1
    assert page.get_by_role("region", name="Stalled actions", exact=True).count() == 1
    assert axe_violations(page) == []
    page.close()


def test_word_keeps_each_stalled_action_on_one_page(workspace: Path) -> None:
    """The stalled table's rows could break across pages (in LibreOffice action 18's ran from page 3 to 4, its
    second part with no number beside it); each row is now kept whole, as the plan's are."""
    tables = docx.Document(str(draft(workspace, 1) / "paper.docx")).tables
    stalled = next(t for t in tables if t.rows[0].cells[-1].text == "Unchanged since")
    assert len(stalled.rows) > 10
    assert all(row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in stalled.rows)


def test_changes_and_stalled_tables_head_their_numbers_as_the_plan_does(browser: Browser, workspace: Path) -> None:
    """The plan heads its number column as the register does ("Plan priority"); the changes and stalled tables
    said "Ref", as if it were another number. Every format now heads them as the plan."""
    folder = draft(workspace, 1)
    tables = docx.Document(str(folder / "paper.docx")).tables
    headers = [[cell.text for cell in table.rows[0].cells] for table in tables]
    assert ["Plan priority", "Action", "Was", "Now"] in headers
    assert ["Plan priority", "Action", "Status", "Unchanged since"] in headers
    assert headers[-1][0] == "Plan priority"  # the plan's own
    assert pdf_header(folder / "paper.pdf", "Now") == ["Plan", "priority", "Action", "Was", "Now"]
    assert pdf_header(folder / "paper.pdf", "Unchanged") == ["Plan", "priority", "Action", "Status", "Unchanged",
                                                             "since"]
    page = browser.new_page()
    page.goto((folder / "paper.html").resolve().as_uri())
    for table in ("changes", "stalled", "plan"):
        assert page.locator(f"table.{table} thead th").first.inner_text() == "Plan priority", table
    page.close()


def test_with_no_change_since_the_last_draft_every_format_says_so(browser: Browser, workspace: Path) -> None:
    """October built again with nothing changed: the section was left out without a word, as if switched off. Each
    format now keeps its heading and says that no action changed since the draft it was compared with."""
    folder = draft(workspace, 2)
    paragraphs = [p.text for p in docx.Document(str(folder / "paper.docx")).paragraphs]
    at = paragraphs.index("Changes since the last draft")
    assert paragraphs[at + 1] == NO_CHANGE
    assert f"Changes since the last draft {NO_CHANGE}" in pdf_text(folder / "paper.pdf")
    page = browser.new_page()
    page.goto((folder / "paper.html").resolve().as_uri())
    section = page.get_by_role("region", name="Changes since the last draft", exact=True)
    assert section.locator("p").inner_text() == NO_CHANGE
    assert section.locator("table").count() == 0
    page.close()


def test_the_changes_listed_say_which_draft_they_are_since_in_every_format(browser: Browser, workspace: Path) -> None:
    """October's first draft lists the actions moved since September's paper, under "Changes since the last
    draft", which a reviewer read as an earlier draft of October's. Each format says which draft it compares with,
    before the table (kept with it in Word)."""
    folder = draft(workspace, 1)
    note = ("Compared with draft 2026-09/draft-01: each action whose status has changed since, or that has left the "
            "plan.")
    document = docx.Document(str(folder / "paper.docx"))
    body = list(document.element.body)
    changes = next(t for t in document.tables if [c.text for c in t.rows[0].cells][-2:] == ["Was", "Now"])
    before = body[body.index(changes._tbl) - 1]
    assert "".join(t.text or "" for t in before.iter(qn("w:t"))) == note
    assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    assert f"Changes since the last draft {note} Plan priority" in pdf_text(folder / "paper.pdf")
    page = browser.new_page()
    page.goto((folder / "paper.html").resolve().as_uri())
    section = page.get_by_role("region", name="Changes since the last draft", exact=True)
    assert section.locator("p.changes-note").inner_text() == note
    assert section.locator("table").count() == 1
    page.close()


def test_in_word_the_stalled_tables_opening_sentence_keeps_with_the_table(workspace: Path) -> None:
    """The heading "Stalled actions" and the sentence under it were left at a page's foot, the table, whose rows may
    not break, beginning on the next page: the heading keeps with the sentence (its style), and now the sentence
    with the table."""
    document = docx.Document(str(draft(workspace, 1) / "paper.docx"))
    body = list(document.element.body)
    stalled = next(t for t in document.tables if t.rows[0].cells[-1].text == "Unchanged since")
    before = body[body.index(stalled._tbl) - 1]
    assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def test_a_meeting_moved_between_two_drafts_of_a_period_is_said_in_every_format(
        browser: Browser, tmp_path: Path) -> None:
    """The Panel meeting October's paper goes to was postponed a fortnight after draft 1: draft 2's cover showed the
    new date, but its "Changes since the last draft" said only that no status had changed, as if nothing had.
    Each format now says the meeting moved, from which date to which."""
    root = copy_example(tmp_path / "ws")
    settings = root / "reportgen.toml"
    toml = settings.read_text(encoding="utf-8").replace("[paper]\n", "[paper]\nchanges_section = true\n", 1)
    settings.write_text(toml, encoding="utf-8")
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) == 0
    settings.write_text(toml.replace("2026-11-05", "2026-11-19"), encoding="utf-8")
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) == 0
    first, second = (root / "outputs" / "2026-10" / f"draft-0{n}" for n in (1, 2))
    moved = "The meeting has moved since draft 2026-10/draft-01: from 05 November 2026 to 19 November 2026."
    note = ("No action's status has changed since draft 2026-10/draft-01, and none has been withdrawn from the plan. "
            + moved)
    paragraphs = [p.text for p in docx.Document(str(second / "paper.docx")).paragraphs]
    assert paragraphs[paragraphs.index("Changes since the last draft") + 1] == note
    assert f"Changes since the last draft {note}" in pdf_text(second / "paper.pdf")
    page = browser.new_page()
    page.goto((second / "paper.html").resolve().as_uri())
    section = page.get_by_role("region", name="Changes since the last draft", exact=True)
    assert section.locator("p").inner_text() == note
    page.close()
    assert "meeting has moved" not in pdf_text(first / "paper.pdf")  # September's paper went to another meeting
