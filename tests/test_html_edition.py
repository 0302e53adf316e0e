"""The web edition (paper.html) in a real browser: accessible, filterable by keyboard, inert, complete without JS."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from browser import axe_violations, listening, loading_markup, visible_refs
from canary import CANARY, canary_leaks, exempt_workspace
from conftest import REGISTER_HEADINGS, RETURN_HEADINGS, ROOT, SAMPLE, copy_example, make_workspace, needs_sample
from reportgen.run.build import OUTPUT_FILES, BuildResult, build_draft


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_draft(ROOT, out=tmp_path_factory.mktemp("example") / "draft")


@pytest.fixture(scope="module")
def with_progress(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The README's second October build: the example with Progress over time (September's draft kept)."""
    root = copy_example(tmp_path_factory.mktemp("progress") / "ws")
    build_draft(root, period="2026-09")
    result = build_draft(root)
    assert result.paper.progress is not None
    return result


# the reviewer's windows: 1280 px zoomed to 150% and to 200%, and a phone (CSS pixels, device pixel ratio)
ZOOMED_AND_PHONE = [(853, 1.5), (640, 2), (375, 2)]
PRINT_MARGIN = 14 / 25.4 * 72  # a printed page's margin, 14mm in points (paper.web.css)
FOCUS_RING = ("3px", "solid", "rgb(255, 191, 71)", "rgb(26, 26, 26) 0px 0px 0px 5px")


def open_paper(browser: Browser, path: Path, **context: Any) -> tuple[Page, list[str]]:
    """The page, and every console message and page error (a CSP refusal shows up here)."""
    page = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context}).new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.on("dialog", lambda dialog: (messages.append("dialog: " + dialog.message), dialog.dismiss()))
    page.goto(path.resolve().as_uri())
    return page, messages


def announced(page: Page) -> str:
    return page.locator("#result-count").inner_text()


def test_every_draft_has_a_self_contained_web_edition(example: BuildResult) -> None:
    html = (example.folder / "paper.html").read_text(encoding="utf-8")
    assert "paper.html" in OUTPUT_FILES
    assert "paper.html" in [f.path for f in example.manifest.outputs]
    # nothing is loaded from anywhere: no external style sheet, script or image
    assert not re.search(r"<(link|script|img)[^>]+(href|src)=\"(?!data:|#)", html)
    assert "default-src &#39;none&#39;" in html
    for row in example.paper.rows:
        assert f'id="action-{row.ref}"' in html


def test_example_passes_axe_and_runs_under_its_policy(browser: Browser, example: BuildResult) -> None:
    page, messages = open_paper(browser, example.folder / "paper.html")
    assert axe_violations(page) == []
    assert page.locator("#filters").is_visible()  # the script ran: the CSP allowed it by its hash
    assert messages == []
    assert visible_refs(page) == [row.ref for row in example.paper.rows]
    assert announced(page) == f"{example.paper.total} actions in the plan."


def test_status_filter_by_keyboard_announces_the_count(browser: Browser, example: BuildResult) -> None:
    page, _ = open_paper(browser, example.folder / "paper.html")
    page.keyboard.press("Tab")  # the skip link
    assert page.evaluate("document.activeElement.textContent") == "Skip to the delivery plan"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filter-status"
    page.keyboard.press("ArrowDown")  # the first status after "All statuses"
    first = page.evaluate("document.activeElement.value")
    expected = [row.ref for row in example.paper.rows if row.status_label == first]
    assert first == example.paper.counts[0][0] and expected
    assert visible_refs(page) == expected
    assert announced(page) == f"Showing {len(expected)} of {example.paper.total} actions (Status: {first})."
    assert page.locator("#result-count").get_attribute("aria-live") == "polite"
    # a section heading stays only above rows that are still shown
    shown_sections = page.eval_on_selector_all(
        "#plan-table tr.section", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.innerText.trim())")
    wanted = {row.section for row in example.paper.rows if row.status_label == first}
    assert set(shown_sections) == wanted


def test_search_and_filters_combine_and_clear(browser: Browser, example: BuildResult) -> None:
    page, _ = open_paper(browser, example.folder / "paper.html")
    row = example.paper.rows[3]
    word = max(re.findall(r"[A-Za-z]{6,}", row.action), key=len)
    page.locator("#filter-text").click()
    page.keyboard.type(word.upper())
    matching = [r.ref for r in example.paper.rows
                if word.casefold() in " ".join([*(c.text for c in r.cells), r.lead, r.section, r.note]).casefold()]
    expect(page.locator("#result-count")).to_have_text(
        f"Showing {len(matching)} of {example.paper.total} actions (search: {word.upper()}).")
    assert row.ref in visible_refs(page) and visible_refs(page) == matching
    page.locator("#filter-lead").select_option(row.lead)
    both = [ref for ref in matching if next(r for r in example.paper.rows if r.ref == ref).lead == row.lead]
    assert visible_refs(page) == both
    page.keyboard.type("zzqqxx-no-such-word")
    expect(page.locator("#result-count")).to_have_text(
        f"Showing 0 of {example.paper.total} actions (Lead: {row.lead}; search: {word.upper()}zzqqxx-no-such-word).")
    assert page.locator("#no-results").is_visible() and visible_refs(page) == []
    page.locator("#filter-clear").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_text(f"{example.paper.total} actions in the plan.")
    assert len(visible_refs(page)) == example.paper.total


def test_actions_before_any_section_heading_can_be_filtered_to(browser: Browser, example: BuildResult) -> None:
    unsectioned = [row.ref for row in example.paper.rows if not row.section]
    assert unsectioned and len(unsectioned) < example.paper.total  # the example has both kinds
    page, _ = open_paper(browser, example.folder / "paper.html")
    sections = list(dict.fromkeys(row.section for row in example.paper.rows if row.section))
    # the register's sections in its order, then the actions with none (as the paper heads them, after)
    assert page.locator("#filter-section option").all_inner_texts() == ["All sections", *sections, "No section"]
    page.locator("#filter-section").select_option(label="No section")
    expect(page.locator("#result-count")).to_have_text(
        f"Showing {len(unsectioned)} of {example.paper.total} actions (Section: No section).")
    assert visible_refs(page) == unsectioned
    page.locator("#filter-section").select_option(label="All sections")
    assert len(visible_refs(page)) == example.paper.total


def test_without_javascript_every_row_shows(browser: Browser, example: BuildResult) -> None:
    page, _ = open_paper(browser, example.folder / "paper.html", java_script_enabled=False)
    assert visible_refs(page) == [row.ref for row in example.paper.rows]
    assert not page.locator("#filters").is_visible()


@pytest.mark.parametrize(("width", "scale"), [(1280, 1), *ZOOMED_AND_PHONE])
def test_anchor_and_sticky_header(browser: Browser, example: BuildResult, width: int, scale: float) -> None:
    """A link to an action deep in the plan shows its row below the header row: at the window's top in a wide
    window, at the top of the plan's own region (brought whole onto the screen) in a zoomed or phone's one."""
    ref = example.paper.rows[-5].ref
    page, messages = open_paper(browser, example.folder / "paper.html", viewport={"width": width, "height": 700},
                                device_scale_factor=scale)
    page.goto(page.url + f"#action-{ref}")
    box = page.locator(f"#action-{ref}").bounding_box()
    header = page.locator("#plan-table thead th").first.bounding_box()
    region = page.locator("div.plan-scroll").bounding_box()
    assert header is not None and region is not None and box is not None
    if width == 1280:
        assert abs(header["y"]) < 2  # the header row stays at the top while scrolled
    else:
        assert region["y"] >= -1 and region["y"] + region["height"] <= 701  # the region whole, its scrollbar too
        assert abs(header["y"] - region["y"]) < 2  # the header row at its top
    assert header["y"] + header["height"] <= box["y"] < 700  # the row shows below it
    assert messages == []


def test_filters_put_back_by_the_browser_filter_the_rows(browser: Browser, example: BuildResult) -> None:
    """A reader filters to one status, follows a link away and comes Back: Chromium puts the filter's
    choice back, but every row showed under it and the count said "35 actions in the plan"; the rows
    and the count now follow the filter the page shows."""
    page, _ = open_paper(browser, example.folder / "paper.html")
    first = example.paper.counts[0][0]
    expected = [row.ref for row in example.paper.rows if row.status_label == first]
    page.locator("#filter-status").select_option(first)
    assert visible_refs(page) == expected
    page.goto("about:blank")
    page.go_back()
    assert page.locator("#filter-status").input_value() == first
    assert visible_refs(page) == expected
    assert announced(page) == f"Showing {len(expected)} of {example.paper.total} actions (Status: {first})."


def test_a_link_to_an_action_the_filters_hide_clears_them(browser: Browser, tmp_path: Path) -> None:
    """The plan filtered to one status, a reader follows the "Changes since the last draft" table's
    link to an action of another status (Enter, from the keyboard), or types #action-N in the address
    bar: nothing happened, the row being hidden. The filters are now cleared, and the row is shown below
    the sticky header, with every action and the count announced."""
    root = copy_example(tmp_path / "ws")
    toml = (root / "reportgen.toml").read_text(encoding="utf-8")
    (root / "reportgen.toml").write_text(toml.replace("[paper]\n", "[paper]\nchanges_section = true\n", 1),
                                         encoding="utf-8")
    build_draft(root, period="2026-09")
    result = build_draft(root)
    move = result.paper.changes[0]
    other = next(status for status, count in result.paper.counts if count and status != move.new)
    page, messages = open_paper(browser, result.folder / "paper.html")
    total = result.paper.total
    for follow in ("link", "address"):
        page.locator("#filter-status").select_option(other)
        assert move.ref not in visible_refs(page)
        if follow == "link":
            page.locator(f"section.changes a[href='#action-{move.ref}']").focus()
            page.keyboard.press("Enter")
        else:
            page.evaluate(f"window.location.hash = '#action-{move.ref}'")
        expect(page.locator("#result-count")).to_have_text(f"{total} actions in the plan.")
        assert page.locator("#filter-status").input_value() == ""
        assert len(visible_refs(page)) == total
        box = page.locator(f"#action-{move.ref}").bounding_box()
        header = page.locator("#plan-table thead th").first.bounding_box()
        assert box is not None and header is not None and header["y"] + header["height"] <= box["y"] < 900
        page.evaluate("window.location.hash = ''")  # so that the address typed next is a change
    assert messages == []


def test_each_section_is_a_row_group_headed_by_its_heading(browser: Browser, example: BuildResult) -> None:
    page, _ = open_paper(browser, example.folder / "paper.html")
    groups = page.eval_on_selector_all("#plan-table tbody", """bodies => bodies.map(body => {
        const heading = body.querySelector("tr.section th");
        return [heading ? heading.getAttribute("scope") + ":" + heading.textContent : "",
                body.querySelectorAll("tr.action").length]; })""")
    sections = example.paper.sections
    assert groups == [[f"rowgroup:{s.heading}" if s.heading else "", len(s.rows)] for s in sections]


# each plan cell's headers as a screen reader is told them: the text of every cell its `headers` names (the
# number's link read as its number), with the row's section, its lead and its action's number
CELL_HEADERS = """cells => cells.map(cell => {
    const named = (cell.getAttribute("headers") || "").split(" ").filter(Boolean);
    const row = cell.closest("tr");
    return {column: cell.cellIndex, section: row.getAttribute("data-section"), lead: row.getAttribute("data-lead"),
            ref: row.id.replace("action-", ""), headers: named.map(name => {
                const header = document.getElementById(name);
                return header && header.closest("table") === cell.closest("table") ? header.textContent.trim() : null;
            })};
})"""


def plan_cell_headers(page: Page) -> list[dict[str, Any]]:
    return page.eval_on_selector_all("#plan-table tr.action > *", CELL_HEADERS)


def plan_column_headings(page: Page) -> list[str]:
    """The plan's column headings as written (the page shows them in capitals)."""
    return page.eval_on_selector_all("#plan-table thead th", "cells => cells.map(cell => cell.textContent.trim())")


def test_grouped_by_section_and_lead_each_cell_is_tied_to_its_section_and_its_lead(browser: Browser,
                                                                                    tmp_path: Path) -> None:
    """`group_by = ["section", "lead"]`: each lead's actions were a row group of their own, headed by the lead,
    and the section's heading sat alone in a row group before them, so a screen reader tied action 14's status
    to "OPCC" and "Status" and never said it was under Supporting Victims. Each cell now names its section's
    heading, its lead's, its action's number and its column heading, as the PDF does: "Supporting Victims,
    OPCC, 14, Status"."""
    from reportgen.shells.cli import main

    root = copy_example(tmp_path / "ws")
    toml = root / "reportgen.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[paper]\n", '[paper]\ngroup_by = ["section", "lead"]\n', 1), encoding="utf-8")
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 0
    page, messages = open_paper(browser, tmp_path / "draft" / "paper.html")
    headings = plan_column_headings(page)
    cells = plan_cell_headers(page)
    status_heading = "Status this reporting period"  # the example register's heading
    status = next(cell for cell in cells if cell["ref"] == "14" and cell["column"] == headings.index(status_heading))
    assert status["headers"] == ["Supporting Victims", "OPCC", "14", status_heading]
    assert len(cells) == len(headings) * int(page.locator("#plan-table").get_attribute("data-total") or 0)
    for cell in cells:
        section = [cell["section"]] if cell["section"] else []  # actions with no section open the plan unheaded
        row_header = [] if cell["column"] == 0 else [cell["ref"]]  # the number's own cell
        assert cell["headers"] == [*section, cell["lead"], *row_header, headings[cell["column"]]], cell
    assert axe_violations(page) == []
    assert messages == []


def test_grouped_by_section_each_cell_is_tied_to_its_section(browser: Browser, example: BuildResult) -> None:
    """The default grouping: each cell names its section's heading, its action's number and its column heading
    (a cell's headers must name all of them once it names any)."""
    page, _ = open_paper(browser, example.folder / "paper.html")
    headings = plan_column_headings(page)
    cells = plan_cell_headers(page)
    assert {cell["ref"] for cell in cells} == {str(row.ref) for row in example.paper.rows}
    for cell in cells:
        section = [cell["section"]] if cell["section"] else []
        row_header = [] if cell["column"] == 0 else [cell["ref"]]
        assert cell["headers"] == [*section, *row_header, headings[cell["column"]]], cell


@pytest.mark.parametrize("width", [1280, 640])  # the header stuck to the window's top; to the plan's region's
def test_focus_going_back_never_hides_under_the_sticky_header(browser: Browser, example: BuildResult,
                                                              width: int) -> None:
    """Tab into the plan, then Shift+Tab back up it: each focused link is the element drawn at its own
    centre (the header row, stuck at the top, drew over the link it had scrolled just under)."""
    page, _ = open_paper(browser, example.folder / "paper.html", viewport={"width": width, "height": 900})
    page.focus("#filter-clear")
    for _ in range(30):
        page.keyboard.press("Tab")
    covered = []
    for _ in range(25):
        page.keyboard.press("Shift+Tab")
        # a link over two lines is drawn at the middle of either line (not the middle of both, between them)
        shown = page.evaluate("""() => {
            const focused = document.activeElement;
            const drawn = [...focused.getClientRects()].map(box =>
                document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2));
            return [focused.textContent.trim().slice(0, 40),
                    drawn.some(element => element === focused || focused.contains(element))]; }""")
        if not shown[1]:
            covered.append(shown[0])
    assert covered == []


@pytest.mark.parametrize("width", [320, 640])  # a phone; 1280 px zoomed to 200%
def test_on_a_narrow_screen_the_plan_scrolls_in_its_region_with_readable_columns(
        browser: Browser, example: BuildResult, width: int) -> None:
    page, messages = open_paper(browser, example.folder / "paper.html")
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the page never sideways
    region = page.locator("div.plan-scroll[role=region]")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")  # the table does, inside its region
    header = page.locator("#plan-table thead th").first
    assert header.evaluate("th => th.getBoundingClientRect().width") >= 50  # "Plan priority", not "Pl an pri ori ty"
    labels = page.eval_on_selector_all("#plan-table td.status .label", "labels => labels.map(l => l.offsetHeight)")
    one_line = page.eval_on_selector("#plan-table td.status .label",
                                     "l => parseFloat(getComputedStyle(l).lineHeight) * 1.5")
    assert max(labels) < one_line  # "Completed", "In progress" each on one line, not broken inside the word
    assert axe_violations(page) == [] and messages == []


@pytest.mark.parametrize("width", [1280, 640])
def test_print_shows_the_table_without_the_controls(browser: Browser, example: BuildResult, width: int) -> None:
    page, _ = open_paper(browser, example.folder / "paper.html", viewport={"width": width, "height": 900})
    page.emulate_media(media="print")
    assert not page.locator("#filters").is_visible()
    assert len(visible_refs(page)) == example.paper.total
    assert page.evaluate("getComputedStyle(document.querySelector('#plan-table thead th')).position") == "static"
    # printed from a narrow window too, the whole plan: not a region's height of it
    assert page.locator("div.plan-scroll").evaluate("r => [getComputedStyle(r).maxHeight, r.scrollHeight <= "
                                                     "r.clientHeight]") == ["none", True]
    printed = page.pdf()
    assert printed[:4] == b"%PDF"
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(printed)).pages]
    intro = next(number for number, text in enumerate(pages) if "actions in the plan:" in text)
    assert "actions are 'Completed'" in pages[intro]  # the counts' list is printed with its introduction


def test_printed_no_heading_ends_a_page(browser: Browser, tmp_path: Path) -> None:
    """The README's second October build (with Progress over time) printed from the browser as its
    stylesheet sets the page (A4 landscape): a heading is never alone at a page's foot, its words on
    the next page (as "Stalled actions" was). A line at a time is added above that heading, so it
    meets the foot of a page."""
    root = copy_example(tmp_path / "ws")
    build_draft(root, period="2026-09")
    result = build_draft(root)
    assert result.paper.progress is not None
    page, _ = open_paper(browser, result.folder / "paper.html")
    page.emulate_media(media="print")
    headings = {text.strip() for text in page.locator("h2:visible, h3:visible, h4:visible").all_inner_texts()}
    assert {"Progress over time", "Stalled actions", "Delivery plan"} <= headings
    ended: set[str] = set()
    for _line in range(36):  # more than a printed page holds
        with pdfplumber.open(io.BytesIO(page.pdf(prefer_css_page_size=True))) as printed:
            for sheet in printed.pages:  # above the page's foot margin (the meeting line and page number)
                text = sheet.within_bbox((0, 0, sheet.width, sheet.height - PRINT_MARGIN)).extract_text() or ""
                lines = [line.strip() for line in text.splitlines() if line.strip()]
                ended |= {lines[-1]} & headings
        page.evaluate("document.getElementById('stalled-heading')"
                      ".insertAdjacentHTML('beforebegin', '<p>One more line.</p>')")
    assert ended == set()


def test_printed_restricted_draft_is_marked_on_every_page(browser: Browser, tmp_path: Path) -> None:
    """A restricted paper's web edition printed from the browser said RESTRICTED only at the top of the
    first page, and the draft line too: every printed page now carries the marking at its top and foot,
    and the draft line at its top, while anything blocks publication; a clean public paper neither. A
    marking holding quotes and "</style>" is printed as written and ends nothing."""
    marking = 'OFFICIAL-SENSITIVE "Part II" </style><b>'
    toml = ('[paper]\nmeeting = "Police and Crime Panel"\ndate = 2026-11-05\ntitle = "Test Delivery Plan"\n'
            f"restricted_marking = '{marking}'\n")
    returns = {"opcc.xlsx": [RETURN_HEADINGS, (2, "", "Maybe", "Under way.", "2027")]}  # blocks: a draft
    result = build_draft(make_workspace(tmp_path / "ws", toml=toml, returns=returns), edition="restricted")
    assert result.paper.marking == marking and result.paper.draft_marking

    def printed_pages(folder: Path) -> list[list[str]]:
        page, messages = open_paper(browser, folder / "paper.html")
        assert messages == []
        page.emulate_media(media="print")
        with pdfplumber.open(io.BytesIO(page.pdf(prefer_css_page_size=True))) as printed:  # lines top to foot
            texts = [sheet.extract_text() or "" for sheet in printed.pages]
        return [[line.strip() for line in text.splitlines() if line.strip()] for text in texts]

    pages = printed_pages(result.folder)
    assert len(pages) >= 2
    for lines in pages:
        assert lines[0] == f"{marking} · {result.paper.draft_marking}", lines[0]
        assert lines[-1] == marking, lines[-1]

    public = build_draft(make_workspace(tmp_path / "clean"))
    assert not public.paper.draft_marking and not public.paper.marking
    pages = printed_pages(public.folder)
    assert not [lines for lines in pages if "DRAFT" in " ".join(lines) or marking in " ".join(lines)]


def test_partner_text_is_inert(browser: Browser, tmp_path: Path) -> None:
    hostile = ('<script>alert("x")</script><img src=x onerror="alert(1)"> {{ 7*7 }} '
               '[link](javascript:alert(2)) <a href="https://example.org/">ok</a>')
    register = [REGISTER_HEADINGS, (1, "Safety", "OPCC", "An action", "1")]
    returns = {"opcc.xlsx": [RETURN_HEADINGS, (1, "", "In progress", hostile, "2027")]}
    result = build_draft(make_workspace(tmp_path / "ws", register=register, returns=returns))
    page, messages = open_paper(browser, result.folder / "paper.html")
    cell = page.locator("#action-1 td.col-explanation").inner_text()
    assert '<script>alert("x")</script>' in cell and "{{ 7*7 }}" in cell
    assert page.locator("#action-1 img, #action-1 script").count() == 0
    assert page.locator("#action-1 a[href^='javascript']").count() == 0
    assert not [m for m in messages if m.startswith("dialog")]


def test_public_edition_with_exempt_actions(browser: Browser, tmp_path: Path) -> None:
    root = exempt_workspace(tmp_path / "ws")
    result = build_draft(root)
    assert canary_leaks(result.folder) == []
    page, messages = open_paper(browser, result.folder / "paper.html")
    assert CANARY not in page.content()
    assert visible_refs(page) == [1, 2]
    assert "exempt" in page.locator(".exempt-note").inner_text()
    assert axe_violations(page) == [] and messages == []


@needs_sample
def test_sample_passes_axe(browser: Browser, tmp_path: Path) -> None:
    result = build_draft(SAMPLE, out=tmp_path / "sample")
    page, messages = open_paper(browser, result.folder / "paper.html")
    assert axe_violations(page) == []
    assert messages == []
    assert len(visible_refs(page)) == result.paper.total == 147


def test_progress_on_a_phone_scrolls_its_tables_not_the_page(browser: Browser, tmp_path: Path) -> None:
    """With Progress over time (a second period), a 320-360 px screen: the numbers tables scroll inside
    their own focusable region, the page never sideways; and the page passes axe."""
    root = copy_example(tmp_path / "ws")
    build_draft(root, period="2026-09")
    result = build_draft(root)
    assert result.paper.progress is not None
    page, messages = open_paper(browser, result.folder / "paper.html")
    for width in (320, 360):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("section.progress .table-scroll table.numbers").count() == 2
    assert axe_violations(page) == [] and messages == []


def test_a_cover_value_of_several_lines_keeps_them_in_the_pdf_and_web_edition(browser: Browser,
                                                                              tmp_path: Path) -> None:
    """A new office's "Decision(s) required" is a lead-in and a numbered list over several lines in
    reportgen.toml: the Word paper showed the lines, while the PDF and the web edition ran them into one line
    ("… invited to: 1. note … 2. scrutinise …"). All three now show them as written."""
    toml = ('[paper]\nmeeting = "Police, Fire and Crime Panel"\ndate = 2026-11-05\ntitle = "Delivery Report"\n'
            'decisions_required = """The Panel is invited to:\n1. note the progress made; and\n'
            '2. scrutinise the actions that are on hold."""\n')
    result = build_draft(make_workspace(tmp_path / "ws", toml=toml))
    lines = ["The Panel is invited to:", "1. note the progress made; and",
             "2. scrutinise the actions that are on hold."]
    with pdfplumber.open(result.folder / "paper.pdf") as pdf:
        page_lines = [" ".join(line.split()) for line in pdf.pages[0].extract_text().splitlines()]
    at = next((i for i, line in enumerate(page_lines) if line.endswith(lines[0])), None)
    assert at is not None and page_lines[at + 1:at + 3] == lines[1:], page_lines
    page, _ = open_paper(browser, result.folder / "paper.html")
    shown = page.locator("table.cover tr", has_text="DECISION").locator("td").inner_text()
    assert shown.splitlines() == lines
    import docx

    cell = next(row.cells[1] for row in docx.Document(str(result.folder / "paper.docx")).tables[0].rows
                if "DECISION" in row.cells[0].text)
    assert cell.text.splitlines() == lines


def test_the_subtitle_is_under_the_cover_sheet_in_the_web_edition_as_in_the_pdf(browser: Browser,
                                                                               tmp_path: Path) -> None:
    """The published paper, the PDF and the Word paper put the subtitle ("Report for the … Panel, February 2023")
    under the cover sheet; the web edition put it under the title, above "Cover sheet". It is under the cover
    sheet there too, and before the report's words."""
    from reportgen.shells.cli import main

    toml = ('[paper]\nmeeting = "Police and Crime Panel"\ndate = 2026-11-05\ntitle = "Delivery Report"\n'
            'subtitle = "Report for the Panel, {date:%B %Y}"\n')
    root = make_workspace(tmp_path / "ws", toml=toml)
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")]) == 0
    subtitle = "Report for the Panel, November 2026"
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        first = " ".join((pdf.pages[0].extract_text() or "").split())
    assert first.index("TITLE OF REPORT") < first.index(subtitle)  # the PDF, as published
    page, _ = open_paper(browser, tmp_path / "draft" / "paper.html")
    assert page.locator("header .subtitle").count() == 0
    shown = page.get_by_text(subtitle, exact=True)
    cover = page.locator("table.cover").bounding_box()
    report = page.locator("section.narrative").bounding_box()
    where = shown.bounding_box()
    assert cover is not None and report is not None and where is not None
    assert cover["y"] + cover["height"] <= where["y"] < report["y"]
    assert shown.evaluate("e => getComputedStyle(e).fontWeight") == "700"  # set apart, as in the PDF


def test_search_sets_accents_and_case_aside_alike_on_both_sides(browser: Browser, tmp_path: Path) -> None:
    """The page's index was folded by Python's casefold() and what a reader typed by JavaScript's toLowerCase():
    'Straße' never matched 'STRASSE', nor 'Ynys Môn' 'ynys mon'. Both sides now fold alike."""
    returns = {"opcc.xlsx": [RETURN_HEADINGS, (2, "", "In progress", "Met the council at Ynys Môn.", ""),
                             (4, "", "In progress", "Visited the Hauptstraße project.", "")]}
    root = make_workspace(tmp_path / "ws", returns=returns)
    result = build_draft(root, out=tmp_path / "draft")
    page, messages = open_paper(browser, result.folder / "paper.html")
    for typed, ref in (("ynys mon", 2), ("YNYS MÔN", 2), ("HAUPTSTRASSE", 4), ("hauptstraße", 4)):
        page.locator("#filter-text").fill(typed)
        page.locator("#filter-text").press("Enter")
        assert visible_refs(page) == [ref], typed
    assert messages == []


@pytest.mark.parametrize(("width", "text_size"), [(320, 16), (360, 24), (375, 20)])
def test_the_cover_sheet_fits_a_phone_at_any_text_size(browser: Browser, example: BuildResult, width: int,
                                                        text_size: int) -> None:
    """On a phone with the browser's text size set larger (Chrome's "Very large" is 24px), the cover sheet's headings
    and values side by side ("FREEDOM OF INFORMATION", "IMPLICATIONS") made the page wider than the screen: a reader
    scrolled sideways to read every value. The cover now puts each heading above its value there, still read out as
    a table's row header and cell."""
    page = browser.new_page(viewport={"width": width, "height": 740})
    session = page.context.new_cdp_session(page)
    session.send("Page.enable")
    session.send("Page.setFontSizes", {"fontSizes": {"standard": text_size}})
    page.goto((example.folder / "paper.html").resolve().as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    cover = page.locator("table.cover")
    heading = cover.get_by_role("rowheader", name="MEETING", exact=True)
    value = cover.get_by_role("cell", name="Police and Crime Panel", exact=True)
    assert heading.count() == 1 and value.count() == 1
    above = heading.evaluate("th => th.getBoundingClientRect().bottom")
    assert value.evaluate("td => td.getBoundingClientRect().top") >= above - 1  # under its heading, not beside it
    page.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # a desktop keeps the two columns
    page.goto((example.folder / "paper.html").resolve().as_uri())
    cover = page.locator("table.cover")
    heading = cover.get_by_role("rowheader", name="MEETING", exact=True)
    value = cover.get_by_role("cell", name="Police and Crime Panel", exact=True)
    assert value.evaluate("td => td.getBoundingClientRect().left") > heading.evaluate(
        "th => th.getBoundingClientRect().right") - 1
    page.close()


def test_a_filter_that_could_narrow_nothing_is_not_offered(browser: Browser, tmp_path: Path) -> None:
    """A register with no section column, its actions all led by the OPCC: the page offered a section filter whose
    only choice was "All sections" and a lead filter of one lead, which narrow nothing. Neither is offered now; the
    status filter and the search still work."""
    from conftest import ACTIONS, write_xlsx

    register = [("Plan priority", "Lead", "Action", "CSCJ Plan page"),
                *((ref, "OPCC", text, page) for ref, _section, _lead, text, page in ACTIONS)]
    returns = {"opcc.xlsx": [RETURN_HEADINGS, *((ref, "", "Completed" if ref % 2 else "In progress", f"Update {ref}.",
                                                 "") for ref, *_rest in ACTIONS)]}
    root = make_workspace(tmp_path / "ws", returns=returns)
    write_xlsx(root / "inputs" / "register.xlsx", register, sheet="Register")
    result = build_draft(root, out=tmp_path / "draft")
    page, messages = open_paper(browser, result.folder / "paper.html")
    assert page.locator("#filter-section").count() == 0 and page.locator("#filter-lead").count() == 0
    page.locator("#filter-status").select_option(label="Completed")
    assert visible_refs(page) == [1, 3, 5]
    page.locator("#filter-text").fill("update 3")
    page.locator("#filter-text").press("Enter")
    assert visible_refs(page) == [3]
    assert announced(page) == "Showing 1 of 6 actions (Status: Completed; search: update 3)."
    assert messages == []


def test_search_finds_the_restricted_editions_exempt_actions_by_their_marking(browser: Browser,
                                                                              tmp_path: Path) -> None:
    """The restricted edition marks each exempt action "Exempt (Part II): not in the public edition", but the search
    did not read that marking: a member preparing the public session who typed "exempt" found nothing."""
    from canary import exempt_workspace

    result = build_draft(exempt_workspace(tmp_path / "ws"), edition="restricted", out=tmp_path / "draft")
    page, messages = open_paper(browser, result.folder / "paper.html")
    for typed, refs in (("exempt", [7]), ("part ii", [7]), ("not in the public edition", [7])):
        page.locator("#filter-text").fill(typed)
        page.locator("#filter-text").press("Enter")
        assert visible_refs(page) == refs, typed
    assert messages == []
    public = build_draft(tmp_path / "ws", out=tmp_path / "public")
    assert "exempt (part ii): not in the public edition" not in (public.folder / "paper.html").read_text(
        encoding="utf-8").lower()


def test_search_sets_typographic_punctuation_and_letters_without_accents_aside(browser: Browser,
                                                                               tmp_path: Path) -> None:
    """Partners' text comes from Word, which curls apostrophes and makes dashes: 'childrens' or "children's"
    typed on a keyboard never found "Children’s", nor '2025-2030' "2025–2030", nor 'soren' "Søren" (ø has no
    accent to set aside, as ô has). Both sides fold them alike; the letters typed as written still find them."""
    returns = {"opcc.xlsx": [RETURN_HEADINGS,
                             (2, "", "In progress", "Funded the Children’s Society for 2025–2030.", ""),
                             (4, "", "In progress", "Søren and Łukasz ran the “Safe Æsir” café.", "")]}
    root = make_workspace(tmp_path / "ws", returns=returns)
    result = build_draft(root, out=tmp_path / "draft")
    page, messages = open_paper(browser, result.folder / "paper.html")
    for typed, refs in (("childrens", [2]), ("children's society", [2]), ("CHILDREN’S", [2]), ("2025-2030", [2]),
                        ("2025—2030", [2]), ("soren lukasz", [4]), ("SØREN ŁUKASZ", [4]), ('"safe aesir"', [4]),
                        ("“SAFE ÆSIR”", [4]), ("cafe", [4]), ("childrens soren", [])):
        page.locator("#filter-text").fill(typed)
        page.locator("#filter-text").press("Enter")
        assert visible_refs(page) == refs, typed
    assert messages == []


def test_a_link_to_an_action_not_in_the_paper_says_so(browser: Browser, tmp_path: Path) -> None:
    """paper.html#action-N for an action the paper does not have (not published in this edition, or withdrawn)
    landed silently at the top; the page now says it is not in this paper, and never why."""
    exempt_ref = 7  # exempt_workspace's exempt action
    result = build_draft(exempt_workspace(tmp_path / "ws"), out=tmp_path / "draft")
    assert exempt_ref not in [row.ref for row in result.paper.rows]
    page, _ = open_paper(browser, result.folder / "paper.html")
    page.goto((result.folder / "paper.html").resolve().as_uri() + f"#action-{exempt_ref}")
    missing = page.locator("#missing-action")
    expect(missing).to_have_text(f"Action {exempt_ref} is not in this paper.")
    assert missing.get_attribute("role") == "status"  # said, never why (the text above is all it says)
    present = result.paper.rows[0].ref
    page.evaluate(f"window.location.hash = '#action-{present}'")
    expect(missing).to_be_hidden()
    page.evaluate("window.location.hash = '#action-999'")
    expect(missing).to_have_text("Action 999 is not in this paper.")


def test_a_link_naming_an_action_otherwise_reaches_it_and_a_stray_percent_breaks_nothing(browser: Browser,
                                                                                         example: BuildResult) -> None:
    """paper.html#action-07 said 'Action 07 is not in this paper.' though action 7 is, and stayed at the top;
    a link ending '#50%' (not valid percent-encoding) stopped the page's script: no filters, no search. The
    first goes to action 7; the second leaves the page as it opens."""
    uri = (example.folder / "paper.html").resolve().as_uri()
    page, messages = open_paper(browser, example.folder / "paper.html")
    for fragment in ("#action-07", "#Action-7"):
        page.goto("about:blank")
        page.goto(uri + fragment)  # opened with it
        expect(page.locator("#missing-action")).to_be_hidden()
        expect(page.locator("#action-7")).to_be_in_viewport()
    page.evaluate("window.location.hash = '#action-02'")  # then another, on the page
    expect(page.locator("#missing-action")).to_be_hidden()
    expect(page.locator("#action-2")).to_be_in_viewport()
    page.goto(uri + "#action-9990")
    expect(page.locator("#missing-action")).to_have_text("Action 9990 is not in this paper.")
    page.goto(uri + "#50%")
    page.reload()  # opened afresh with the stray "%" (going to another fragment of the page does not run the script)
    expect(page.locator("#filters")).to_be_visible()
    page.locator("#filter-text").fill("strategy")
    page.locator("#filter-text").press("Enter")
    assert "Showing" in announced(page)
    assert messages == []


def test_the_lead_filter_lists_partners_and_finds_their_joint_actions(browser: Browser, tmp_path: Path) -> None:
    """Action 4 is led by "OPCC / Wessex Police" (each leads actions of its own): the lead filter offered the
    joint cell as a lead of its own, and choosing OPCC hid action 4. It lists the partners, and each finds it."""
    from test_joint_leads import REGISTER, TOML

    returns = {"opcc.xlsx": [RETURN_HEADINGS, (2, "", "In progress", "Plan drafted.", ""),
                             (4, "", "In progress", "Service funded.", "")]}
    root = make_workspace(tmp_path / "ws", toml=TOML, register=REGISTER, returns=returns)
    result = build_draft(root, out=tmp_path / "draft")
    page, messages = open_paper(browser, result.folder / "paper.html")
    options = page.locator("#filter-lead option").all_inner_texts()
    assert "OPCC / Wessex Police" not in options and {"OPCC", "Wessex Police"} <= set(options)
    led = {partner: [row.ref for row in result.paper.rows if partner in row.partners] for partner in options[1:]}
    for partner in ("OPCC", "Wessex Police"):
        page.locator("#filter-lead").select_option(partner)
        assert 4 in visible_refs(page) and visible_refs(page) == led[partner], partner
    assert messages == []


def test_a_web_template_from_an_older_reportgen_offers_only_what_its_rows_carry(browser: Browser,
                                                                                tmp_path: Path) -> None:
    """A workspace keeps its own paper.web.html.j2, copied before the filters followed the plan's grouping and
    a joint lead's partners: its rows carry their section and Lead cell as written. Grouped by page, the group
    filter offered the pages and every one found no action; 'OPCC / Wessex Police' was no longer offered and no
    choice found action 4. The filters offer what the rows carry, and a warning says what the copy lacks."""
    from test_joint_leads import REGISTER, TOML

    returns = {"opcc.xlsx": [RETURN_HEADINGS, (2, "", "In progress", "Plan drafted.", ""),
                             (4, "", "In progress", "Service funded.", "")]}
    root = make_workspace(tmp_path / "ws", toml=TOML.replace("[paper]\n", '[paper]\ngroup_by = ["page"]\n'),
                          register=REGISTER, returns=returns)
    ours = (ROOT / "templates" / "paper.web.html.j2").read_text(encoding="utf-8")
    older = ours.replace("options.group_of[row.ref]", "row.section").replace('row.partners | join("\\n")', "row.lead")
    assert older.count("row.lead") == ours.count("row.lead") + 1 and "row.partners" not in older
    (root / "templates").mkdir()
    (root / "templates" / "paper.web.html.j2").write_text(older, encoding="utf-8")
    result = build_draft(root, out=tmp_path / "draft")
    [outdated] = [i for i in result.issues if i.code == "web-template-outdated"]
    assert outdated.file == "templates/paper.web.html.j2" and "partner of a joint lead" in outdated.message
    assert "cover sheet" not in outdated.message  # the copy has the cover's table roles
    page, messages = open_paper(browser, result.folder / "paper.html")
    none = result.paper.column_name("section").none  # actions 1 and 2 have no section
    for select, value_of in (("#filter-section", lambda row: row.section or none),
                             ("#filter-lead", lambda row: row.lead)):
        choices = page.locator(f"{select} option").all_inner_texts()[1:]
        assert sorted(choices) == sorted({value_of(row) for row in result.paper.rows})
        for choice in choices:
            page.locator(select).select_option(label=choice)
            assert visible_refs(page) == [row.ref for row in result.paper.rows if value_of(row) == choice], choice
        page.locator(select).select_option(index=0)
    assert "OPCC / Wessex Police" in page.locator("#filter-lead option").all_inner_texts()
    assert messages == []


def test_a_web_template_copied_before_the_cover_kept_its_table_roles_is_said(tmp_path: Path) -> None:
    """On a phone the cover's rows are laid out one under another; a workspace's paper.web.html.j2 copied before its
    rows carried their table roles lets a screen reader meet them as plain text there, and nothing said so."""
    ours = (ROOT / "templates" / "paper.web.html.j2").read_text(encoding="utf-8")
    older = ours.replace(' role="rowheader"', "").replace(' role="cell"', "").replace(' role="row"', "")
    root = make_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    (root / "templates" / "paper.web.html.j2").write_text(older, encoding="utf-8")
    result = build_draft(root, out=tmp_path / "draft")
    [outdated] = [i for i in result.issues if i.code == "web-template-outdated"]
    assert outdated.message == (
        "templates/paper.web.html.j2 writes less on its rows than reportgen's own paper.web.html.j2 (a copy made by an "
        "older reportgen?), so the web edition lacks a cover sheet read as a table on a phone (there its rows are laid "
        "out one under another).")
    (root / "templates" / "paper.web.html.j2").write_text(ours, encoding="utf-8")
    assert not [i for i in build_draft(root, out=tmp_path / "again").issues if i.code == "web-template-outdated"]


def test_the_group_filter_follows_the_column_the_plan_is_grouped_by(browser: Browser, tmp_path: Path) -> None:
    """`group_by = ["page"]`: the paper is grouped by plan page, but the group filter still offered the
    register's sections, which this paper does not show; it offers the pages, named as the paper heads them,
    and each finds the actions under its heading."""
    root = make_workspace(tmp_path / "ws", toml='[paper]\ntitle = "Plan"\ngroup_by = ["page"]\n')
    result = build_draft(root, out=tmp_path / "draft")
    groups = {section.heading: [row.ref for row in section.rows] for section in result.paper.sections}
    page, messages = open_paper(browser, result.folder / "paper.html")
    name = result.paper.column_name("page")
    assert page.locator("label[for='filter-section']").inner_text() == name.heading
    options = page.locator("#filter-section option").all_inner_texts()
    assert options == [f"All {name.plural}", *(heading for heading in groups if heading)]
    for heading, refs in groups.items():
        if heading:
            page.locator("#filter-section").select_option(label=heading)
            assert visible_refs(page) == refs, heading
    assert messages == []


def scroll_settles(region: Locator, seconds: float = 30) -> None:
    """Wait until a key's animated scroll has moved the region and come to rest (its position the same for half a
    second; two seconds if it has not moved), or `seconds` pass. Keys pressed while an earlier key's scroll was still
    running, on a loaded 2-core machine, left the region part way down. Polled from here: without the script the
    page runs none."""
    deadline = time.monotonic() + seconds
    where = "r => [r.scrollLeft, r.scrollTop]"
    first = last = region.evaluate(where)
    still = 0
    while still < (5 if last != first else 20) and time.monotonic() < deadline:
        time.sleep(0.1)
        now = region.evaluate(where)
        still = still + 1 if now == last else 0
        last = now


@pytest.mark.parametrize("script", [True, False])
@pytest.mark.parametrize(("width", "scale"), ZOOMED_AND_PHONE)
def test_zoomed_or_on_a_phone_the_header_row_stays_in_sight_while_the_plan_scrolls(
        browser: Browser, example: BuildResult, width: int, scale: float, script: bool) -> None:
    """At 150% or 200% zoom and on a phone the plan's header row was not sticky: it scrolled away with the page,
    the plan's region scrolling only sideways and as tall as the table (38,711 px for the 2023 sample), its sideways
    scrollbar at the table's foot. The region is now at most 80% of the window's height and scrolls both ways: read
    from the keyboard, with or without the script, its header row stays at its top and its scrollbar on screen."""
    page, messages = open_paper(browser, example.folder / "paper.html", viewport={"width": width, "height": 700},
                                device_scale_factor=scale, java_script_enabled=script)
    region = page.locator("div.plan-scroll[role=region]")
    assert region.get_attribute("aria-label") == "Delivery plan table"
    for _ in range(20):  # Tab to it, as a keyboard user does
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('plan-scroll')"):
            break
    else:
        raise AssertionError("the plan's region is not a tab stop")
    for key in ("PageDown", "PageDown", "PageDown", "ArrowRight", "ArrowRight", "End"):
        page.keyboard.press(key)
        scroll_settles(region)
    shown = region.evaluate("""r => { const box = r.getBoundingClientRect();
        const head = r.querySelector("thead th").getBoundingClientRect();
        return {top: box.top, bottom: box.bottom, height: box.height, left: r.scrollLeft, down: r.scrollTop,
                end: r.scrollHeight - r.clientHeight, head: head.top, headBottom: head.bottom}; }""")
    assert shown["down"] == pytest.approx(shown["end"], abs=2) and shown["left"] > 0  # scrolled to its last row
    assert shown["height"] <= 0.8 * 700 + 1 and shown["top"] >= -1 and shown["bottom"] <= 701  # its scrollbar in sight
    assert shown["head"] == pytest.approx(shown["top"], abs=1) and shown["headBottom"] < 700  # the header row at top
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the page never sideways
    assert messages == []


def region_tab_stops(page: Page) -> list[str | None]:
    return page.eval_on_selector_all("[role=region]", "regions => regions.map(r => r.getAttribute('tabindex'))")


def tab_stops_become(page: Page, stops: list[str | None], seconds: float = 10) -> list[str | None]:
    """The regions' tab stops once they are `stops` (the page's script updates them after a resize), or as they
    are after `seconds`. Polled from here: Playwright's wait_for_function polls with eval in the page, which the
    web edition's Content Security Policy refuses (it passed only when the first look already matched)."""
    deadline = time.monotonic() + seconds
    while (found := region_tab_stops(page)) != stops and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def test_a_scrolling_region_is_a_tab_stop_only_while_it_has_something_to_scroll(browser: Browser,
                                                                               with_progress: BuildResult) -> None:
    """Progress over time's two tables of numbers were tab stops in a window wide enough for them, two stops that
    did nothing, and a focused region showed the browser's thin outline, not the amber and black ring of every other
    control. A region is a stop now only while it scrolls (the plan's too), every one is ringed alike, and without
    the script each keeps its stop, so that a keyboard can always scroll it."""
    page, messages = open_paper(browser, with_progress.folder / "paper.html")
    names = page.eval_on_selector_all("[role=region]", "regions => regions.map(r => r.className)")
    assert names == ["table-scroll", "table-scroll", "plan-scroll"]
    for width, stops in ((1280, [None, None, None]), (853, [None, None, "0"]), (375, ["0", "0", "0"]),
                         (1280, [None, None, None])):
        page.set_viewport_size({"width": width, "height": 700})
        assert tab_stops_become(page, stops) == stops, width
    page.set_viewport_size({"width": 375, "height": 700})
    assert tab_stops_become(page, ["0", "0", "0"]) == ["0", "0", "0"]
    page.focus("#filter-status")
    rings = [page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineWidth, s.outlineStyle, s.outlineColor, s.boxShadow]; }""")]
    page.focus("a.skip-link")
    for _ in range(3):
        page.keyboard.press("Tab")
        while not page.evaluate("document.activeElement.getAttribute('role') === 'region'"):
            page.keyboard.press("Tab")
        rings.append(page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [s.outlineWidth, s.outlineStyle, s.outlineColor, s.boxShadow]; }"""))
    assert [tuple(ring) for ring in rings] == [FOCUS_RING] * 4
    assert messages == []
    page, _ = open_paper(browser, with_progress.folder / "paper.html", java_script_enabled=False)
    assert region_tab_stops(page) == ["0", "0", "0"]


def test_progress_headings_look_like_the_papers_other_headings(browser: Browser, tmp_path: Path) -> None:
    """"Progress over time" and "Stalled actions" were black in the PDF at the browser's own sizes (15.75pt and
    12.3pt), and "Stalled actions" black in the web edition, while the narrative's headings and "Delivery plan"
    take the template's look (13.5pt dark blue). They look like the narrative's Heading 1 and Heading 2 now."""
    narrative = "# Delivery\n\nOf the {{ total }} actions.\n\n## Next steps\n\nMore.\n"
    root = make_workspace(tmp_path / "ws", period="2026-09", narrative=narrative)
    build_draft(root, period="2026-09")
    make_workspace(root, narrative=narrative)
    result = build_draft(root)
    assert result.paper.progress is not None
    looks: dict[str, tuple[str, float, object]] = {}
    with pdfplumber.open(result.folder / "paper.pdf") as pdf:
        for sheet in pdf.pages:
            for line in sheet.extract_text_lines(return_chars=True):
                char = line["chars"][0]
                looks.setdefault(line["text"], (char["fontname"].split("+")[-1], round(char["size"], 2),
                                                char["non_stroking_color"]))
    assert looks["Progress over time"] == looks["Delivery"] == looks["Delivery plan"]
    assert looks["Stalled actions"] == looks["Next steps"]
    page, _ = open_paper(browser, result.folder / "paper.html")
    shown = dict(page.eval_on_selector_all("h2, h3", """headings => headings.map(h => [h.textContent.trim(),
        [h.tagName, getComputedStyle(h).fontSize, getComputedStyle(h).color, getComputedStyle(h).fontWeight]])"""))
    assert shown["Progress over time"] == shown["Delivery"] == shown["Delivery plan"]
    assert shown["Stalled actions"] == shown["Next steps"]
    assert shown["Stalled actions"][2] == shown["Delivery"][2]  # the paper's heading colour, as every heading


def test_hostile_text_anywhere_makes_the_web_edition_fetch_and_run_nothing(browser: Browser, tmp_path: Path) -> None:
    """Markup that would load or run something (script, iframe, an event handler, style sheets and CSS url(), a
    refresh, a base, javascript: and data: links, a Markdown picture) in a register's section, lead and action and
    a return's explanation and timeframe: opened, filtered and searched in Chromium, the page asks nothing of the
    network or of the disk beyond itself, no script of it runs, and the CSP has nothing to refuse."""
    with listening() as (server, asked):
        hostile = loading_markup(server)
        register = [REGISTER_HEADINGS, (1, f"Safety {hostile}", "OPCC", f"An action {hostile}", "1"),
                    (2, "Justice", f"Police {hostile}", "Another action", "2")]
        returns = {"opcc.xlsx": [RETURN_HEADINGS, (1, "", "In progress", hostile, f"2027 {hostile}")]}
        result = build_draft(make_workspace(tmp_path / "ws", register=register, returns=returns))
        paper = result.folder / "paper.html"
        requested: list[str] = []
        page, messages = open_paper(browser, paper)
        page.on("request", lambda request: requested.append(request.url))
        page.reload()
        for select in page.locator("select").all():
            select.select_option(index=select.locator("option").count() - 1)
        page.locator("input[type=search]").fill("<script>alert(5)</script>")
        page.locator("input[type=search]").fill("")
        page.wait_for_timeout(300)
        assert "<script>" in page.locator("#action-1").inner_text()  # shown as written
        loading = "main iframe, main img[src^='http'], main object, main embed, main svg[onload]"
        assert page.locator(loading).count() == 0
        assert page.locator("a[href^='javascript'], a[href^='data:']").count() == 0
        assert page.locator(f"a[href='{server}/link']").count() >= 1  # a partner's http link stays a link
        assert requested == [paper.resolve().as_uri()]
        assert asked == []
        assert messages == []
        assert page.url == paper.resolve().as_uri()
