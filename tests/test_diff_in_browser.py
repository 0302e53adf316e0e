"""diff.html, the draft comparison, in a real browser: printed from it, and read in a phone's window."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from playwright.sync_api import Browser, Page

from browser import AXE_SOURCE, axe_violations, listening, loading_markup
from conftest import ACTIONS, REGISTER_HEADINGS, copy_example, default_returns, make_workspace
from reportgen.run.build import build_draft
from reportgen.shells.cli import main

# every word of the page's text whose parts the browser laid out on more than one line ("Chang|e")
SPLIT_WORDS = """() => {
  const split = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.data.matchAll(/[\\p{L}\\p{N}]+/gu)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) split.push(word[0]);
    }
  }
  return split;
}"""




def open_page(browser: Browser, path: Path, width: int = 1280) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(path.resolve().as_uri())
    return page


def page_lines(pdf: bytes | Path) -> list[list[str]]:
    """Each page's lines of text, top to foot."""
    with pdfplumber.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as printed:
        texts = [sheet.extract_text() or "" for sheet in printed.pages]
    return [[line.strip() for line in text.splitlines() if line.strip()] for text in texts]


def compared(root: Path, *args: str) -> Path:
    """The comparison folder `reportgen diff` makes of the period's first two drafts."""
    drafts = root / "outputs" / "2026-10"
    assert main(["diff", str(drafts / "draft-01"), str(drafts / "draft-02"), *args]) == 0
    return drafts / "compare" / "draft-01-to-draft-02"


def two_drafts(root: Path) -> Path:
    """A workspace whose two drafts of 2026-10 differ in every way the comparison shows: two status moves, an
    explanation reworded and an action added (its words wider than a phone's window)."""
    make_workspace(root)
    build_draft(root)
    changes = {3: {2: "Completed", 3: "Referrals are reviewed weekly by the victims board and partners."},
               4: {2: "Not started"}}
    returns = {name: [tuple(changes.get(row[0], {}).get(i, value) for i, value in enumerate(row))  # type: ignore[call-overload]
                      for row in rows] for name, rows in default_returns().items()}
    added = (7, "Justice", "OPCC", "Open a hub in Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch.", "18")
    returns["opcc.xlsx"].append((7, added[3], "In progress", "Recruitment opened.", "2027"))
    build_draft(make_workspace(root, returns=returns, register=[REGISTER_HEADINGS, *ACTIONS, added]))
    return root


def test_a_restricted_comparison_printed_from_the_browser_is_marked_on_every_page(browser: Browser,
                                                                                   tmp_path: Path) -> None:
    """The README's example compared with its restricted edition and printed from the browser said RESTRICTED
    on its first page only (its style sheet's `string(marking)`, which browsers do not draw): every printed
    page now says it at its top and foot (under the page number). diff.pdf is marked as before, once in each page's
    header and foot."""
    root = copy_example(tmp_path / "ws")
    assert main(["build", "--workspace", str(root)]) == 0
    assert main(["build", "--workspace", str(root), "--edition", "restricted"]) == 0
    folder = compared(root, "--allow-restricted")

    page = open_page(browser, folder / "diff.html")
    page.emulate_media(media="print")
    printed = page_lines(page.pdf(prefer_css_page_size=True))
    assert len(printed) >= 2
    for lines in printed:
        assert lines[0] == "RESTRICTED", lines[0]
        # the foot: the page number, and the marking centred under it, as diff.pdf has them
        assert lines[-1] == "RESTRICTED" and lines[-2].startswith("Page "), lines[-3:]

    pages = page_lines(folder / "diff.pdf")
    assert len(pages) >= 2
    for number, lines in enumerate(pages, start=1):
        header, foot = (lines[1], lines[-1]) if number == 1 else (lines[0], lines[-1])  # page 1: the title block's
        assert header.count("RESTRICTED") == 1 and foot.count("RESTRICTED") == 1, (header, foot)
        assert " ".join(lines).count("RESTRICTED") == (3 if number == 1 else 2), lines


def test_a_comparison_read_on_a_phone_keeps_every_word_whole(browser: Browser, tmp_path: Path) -> None:
    """diff.html in a phone's window (375 px) split its tables' words: "Chang|e", "R|e|f" (the number column's
    heading then, the plan's "Plan priority" now), "Comple|ted". Each column is now at least as wide as its longest
    word, and the page does not scroll sideways: a table whose words need more than the window's width (a Welsh
    place name) scrolls in its own region."""
    folder = compared(two_drafts(tmp_path / "ws"))

    page = open_page(browser, folder / "diff.html", width=375)
    cells = {" ".join(text.split()) for text in page.locator("table th, table td").all_inner_texts()}
    assert {"Plan priority", "Change", "Completed", "Explanation / Link to meeting papers", "Section",
            "Status"} <= cells, cells
    assert page.evaluate(SPLIT_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    scrolling = page.eval_on_selector_all(".table-scroll", "regions => regions.filter(r => r.scrollWidth > "
                                          "r.clientWidth).map(r => r.getAttribute('aria-label'))")
    assert scrolling == ["Actions added"], scrolling
    assert axe_violations(page) == []


# what each text of the page is inside: the landmark (its element), or "" for none; and each text's size
LANDMARKS = """() => {
  const landmark = "header, main, nav, aside, footer, [role=region], [role=banner], [role=main]";
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    const inside = node.parentElement.closest(landmark);
    found.push(inside ? inside.tagName.toLowerCase() : "");
  }
  return found;
}"""
TEXT_SIZES = """() => [...document.querySelectorAll("h1, h2, p, th, td")].map(
  element => parseFloat(getComputedStyle(element).fontSize))"""


def test_a_comparison_has_a_main_landmark_and_follows_the_readers_text_size(browser: Browser,
                                                                             tmp_path: Path) -> None:
    """diff.html had no main landmark, and its first lines and section headings were outside any landmark, so a
    screen reader could not jump to the comparison; its text was set in points, so a reader who had set a larger
    text size in the browser got the printed sizes all the same. The comparison is now the page's <main>, under
    the title's header, and on screen its text is sized from the reader's: twice the browser's default text size,
    twice the text. Printed and in diff.pdf it keeps its sizes in points."""
    folder = compared(two_drafts(tmp_path / "ws"))
    page = open_page(browser, folder / "diff.html")
    assert page.locator("main").count() == 1 and page.locator("body > header").count() == 1
    assert page.locator("main .compared, main .counts > h2, main .moves > h2, main .reworded").count() == 4
    assert set(page.evaluate(LANDMARKS)) == {"header", "main", "div"}  # the tables' scrolling regions are divs
    page.evaluate(AXE_SOURCE)
    rules = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: "rule", values: [
        "landmark-one-main", "region", "landmark-no-duplicate-main", "landmark-main-is-top-level"]}})).violations
        .map(violation => violation.id)""")
    assert rules == []
    assert axe_violations(page) == []
    default = page.evaluate(TEXT_SIZES)

    larger = page.context.new_page()
    larger.context.new_cdp_session(larger).send("Page.setFontSizes", {"fontSizes": {"standard": 32}})
    larger.goto((folder / "diff.html").resolve().as_uri())
    assert larger.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    assert larger.evaluate(TEXT_SIZES) == pytest.approx([size * 2 for size in default], abs=0.01)

    with pdfplumber.open(folder / "diff.pdf") as pdf:
        sizes = {line["text"]: round(line["chars"][0]["size"], 1) for line in pdf.pages[0].extract_text_lines()}
    assert sizes["Counts then and now"] == 13.5 and sizes["Status Then Now Change"] == 9.0, sizes


def test_hostile_text_in_a_comparison_fetches_and_runs_nothing(browser: Browser, tmp_path: Path) -> None:
    """A security review of diff.html, which a reviewer opens from the comparison folder: an action reworded in the
    register and an explanation rewritten into markup that would load or run something. In Chromium the page
    requests only itself, a web server on this machine is asked nothing, and no script runs; the markup is shown
    as the partner wrote it."""
    with listening() as (server, asked):
        root = make_workspace(tmp_path / "ws")
        build_draft(root)
        hostile = loading_markup(server)
        register = [REGISTER_HEADINGS, *[(*row[:3], f"{row[3]} {hostile}", *row[4:]) if row[0] == 2 else row
                                         for row in ACTIONS]]
        returns = {name: [(*row[:3], hostile, *row[4:]) if row[0] == 3 else row for row in rows]
                   for name, rows in default_returns().items()}
        build_draft(make_workspace(root, register=register, returns=returns))
        diff = compared(root) / "diff.html"
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        requested: list[str] = []
        messages: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.on("console", lambda message: messages.append(message.text))
        page.on("dialog", lambda dialog: (messages.append("dialog: " + dialog.message), dialog.dismiss()))
        page.goto(diff.resolve().as_uri())
        page.wait_for_timeout(300)
        assert page.locator("body").inner_text().count('<script>alert("inline")</script>') >= 2  # both, as written
        assert page.locator("script, iframe, object, embed, img[src^='http'], body link, body meta").count() == 0
        assert page.locator("a[href^='javascript'], a[href^='data:']").count() == 0
        assert requested == [diff.resolve().as_uri()]
        assert asked == [] and messages == []


def test_markup_that_got_past_the_escaping_would_still_fetch_and_run_nothing(browser: Browser,
                                                                              tmp_path: Path) -> None:
    """Escaping is diff.html's only defence: markup that got past it (a workspace's own diff.html.j2 printing a
    draft's text with `|safe`, say) would run and fetch as the reviewer opened it from the shared drive. The page
    now carries a Content-Security-Policy: the same markup, written into the page itself, runs no script and asks
    a web server on this machine for nothing. The page's own styles still apply."""
    folder = compared(two_drafts(tmp_path / "ws"))
    written = (folder / "diff.html").read_text(encoding="utf-8")
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
            "img-src data:; base-uri 'none'; form-action 'none'\">") in written.split("</head>")[0]
    page = open_page(browser, folder / "diff.html")
    assert page.evaluate("getComputedStyle(document.querySelector('table')).borderCollapse") == "collapse"
    with listening() as (server, asked):
        # all but a refresh, which no policy governs: a browser follows it wherever it is written
        hostile = re.sub(r'<meta http-equiv="refresh"[^>]*>', "", loading_markup(server))
        opened = tmp_path / "opened" / "diff.html"
        opened.parent.mkdir()
        opened.write_text(written.replace("<main", hostile + "<main", 1), encoding="utf-8")
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        messages: list[str] = []
        page.on("dialog", lambda dialog: (messages.append("dialog: " + dialog.message), dialog.dismiss()))
        page.goto(opened.resolve().as_uri())
        page.wait_for_timeout(300)
        assert page.locator("script").count() >= 2  # in the page, as written: none ran
        assert asked == [] and messages == []
        assert page.evaluate("getComputedStyle(document.querySelector('table')).borderCollapse") == "collapse"


@pytest.mark.parametrize("page", ["<!DOCTYPE html>\n<html lang=\"en\">\n<body>\n{hostile}<p>x</p>",
                                  "{hostile}<p>x</p>",
                                  "<!DOCTYPE html>\n<!-- from <head> -->\n<html><head><title>t</title></head>"
                                  "<body>{hostile}",
                                  "<!--[if lt IE 9]><html class=\"ie\"><![endif]-->\n{hostile}"])
def test_a_template_with_no_head_gets_the_policy_where_the_browser_makes_one(browser: Browser, tmp_path: Path,
                                                                             page: str) -> None:
    """A workspace's own diff.html.j2 with no <head> (a browser makes one) would have been left with no policy, and
    one naming <head> in a comment would have had it put in the comment."""
    from reportgen.diff.summary import with_policy

    with listening() as (server, asked):
        hostile = re.sub(r'<meta http-equiv="refresh"[^>]*>', "", loading_markup(server))
        opened = tmp_path / "diff.html"
        opened.write_text(with_policy(page.format(hostile=hostile)), encoding="utf-8")
        view = browser.new_context().new_page()
        messages: list[str] = []
        view.on("dialog", lambda dialog: (messages.append("dialog: " + dialog.message), dialog.dismiss()))
        view.goto(opened.resolve().as_uri())
        view.wait_for_timeout(300)
        assert view.locator("head meta[http-equiv='Content-Security-Policy']").count() == 1
        assert asked == [] and messages == []
