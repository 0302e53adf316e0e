"""The PDF writer, tested by reading the written PDF back (pypdf for text, pikepdf for structure)."""

from __future__ import annotations

import io
import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import pdfplumber
import pikepdf
import pypdf
import pytest
import weasyprint
from weasyprint import HTML

from conftest import (
    RETURN_HEADINGS,
    benchmark_workspace,
    default_returns,
    element_text,
    make_paper,
    make_row,
    make_workspace,
    marked_content_problems,
    plan_row_labels,
    table_parts,
    tagged_tables,
    tagged_text,
    untagged_furniture,
)
from reportgen.model import (
    Block,
    CoverRow,
    Inline,
    Paper,
    PaperCell,
    PaperColumn,
    PaperRow,
    PaperSection,
    StatusMove,
)
from reportgen.paper_rules import contrast_ratio
from reportgen.render.pdf import fetch as pdf_fetch
from reportgen.render.pdf import html as pdf_html
from reportgen.render.pdf import parallel as pdf_parallel
from reportgen.render.pdf import writer as pdf_writer
from reportgen.render.pdf.tasks import plan_items
from reportgen.shells.cli import main

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

HOSTILE_ATTACHMENT = '<link rel="attachment" href="file:///etc/hostname">'
HOSTILE_IMAGE = '<img src="http://127.0.0.1:9/">'
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_JINJA = "{{ 7*7 }}"
COLUMNS = (
    PaperColumn("ref", "Plan priority", 0.07),
    PaperColumn("action", "Action", 0.27),
    PaperColumn("status", "Status this reporting period", 0.12),
    PaperColumn("explanation", "Explanation / Link to meeting papers", 0.34),
    PaperColumn("timeframe", "Timeframe for delivery / Completion", 0.12),
    PaperColumn("page", "CSCJ Plan page", 0.08),
)
STATUSES = (
    ("Completed", "completed"),
    ("In progress", "in-progress"),
    ("Not started", "not-started"),
    ("On hold", "on-hold"),
)
COLOURS = (
    ("completed", "2e7d32"),
    ("in-progress", "f9a825"),
    ("not-started", "c62828"),
    ("on-hold", "6a1b9a"),
    ("unknown", "757575"),
)


def _text(text: str, **style: object) -> Inline:
    return Inline(text, **style)  # type: ignore[arg-type]


def _row(ref: int, section: str) -> PaperRow:
    status, status_class = STATUSES[ref % 4]
    action = f"Action {ref}: ask the Chief Constable to develop a prevention plan for area {ref}."
    explanation = (
        f"Explanation {ref}. The board met and agreed the plan; progress is reported monthly "
        "to the Strategic Executive Board and the Decision-Making Meeting."
    )
    rich: tuple[Block, ...] = ()
    note = ""
    if ref == 2:
        explanation = f"Partner wrote {HOSTILE_ATTACHMENT} and {HOSTILE_IMAGE} then {HOSTILE_SCRIPT} {HOSTILE_JINJA}"
    if ref == 3:
        explanation = "See the board papers and the plan page. Do not follow the bad link."
        rich = (
            Block(
                "paragraph",
                (
                    _text("See the "),
                    _text("board papers", href="https://example.org/board"),
                    _text(" and the "),
                    _text("plan page", href="mailto:opcc@example.org"),
                    _text("."),
                ),
            ),
            Block("bullet", (_text("Do not follow the "), _text("bad link", href="javascript:alert(1)"))),
        )
    if ref == 5:
        status, status_class, note = "No update", "unknown", "No update received this period"
    cells = (
        PaperCell("ref", str(ref)),
        PaperCell("action", action),
        PaperCell("status", status),
        PaperCell("explanation", explanation, rich),
        PaperCell("timeframe", "Ongoing" if ref % 2 else "March 2024"),
        PaperCell("page", f"{ref % 30 + 1}-{ref % 30 + 2}"),
    )
    return replace(
        make_row(ref, section),
        cells=cells,
        status=status if status_class != "unknown" else None,
        status_label=status,
        status_class=status_class,
        note=note,
        lead="",
        action=action,
        explanation=explanation,
        timeframe="",
        page="",
    )


def _paper(n_rows: int = 40, marking: str = "RESTRICTED") -> Paper:
    """Sections of 1-3 rows (every third at level 2), hostile partner text in row 2, links in row 3.

    With 40 rows, some section headings fall at the foot of a page unless rows avoid breaks after them.
    """
    names = ("Prevention First", "Criminal Justice", "Victims and witnesses")
    sections: list[PaperSection] = []
    first = 1
    while first <= n_rows:
        index = len(sections)
        name = f"Theme {index} {names[index % 3]}"
        last = min(n_rows, first + index % 3)
        rows = tuple(_row(ref, name) for ref in range(first, last + 1))
        sections.append(PaperSection(name, 2 if index % 3 == 2 else 1, rows))
        first = last + 1
    narrative = (
        Block("heading", (_text("Annual Delivery Plan"),), 1),
        Block(
            "paragraph",
            (
                _text("This plan reports on "),
                _text(f"{n_rows} actions", bold=True),
                _text(" at the "),
                _text("Decision-Making Meetings", href="https://example.org/dmm"),
                _text("."),
            ),
        ),
        Block("bullet", (_text("33 actions are 'Complete'"),)),
        Block("bullet", (_text("87 actions are "), _text("'In Progress'", italic=True))),
        Block("heading", (_text("Funding"),), 2),
        Block("number", (_text("Home Office funding of £548,176"),)),
        Block("number", (_text("Victims Services grant", underline=True),)),
        Block("paragraph", (_text("Partner prose: "), _text(HOSTILE_SCRIPT))),
    )
    return replace(
        make_paper(0, 1),
        title="Annual Delivery Plan (March 2022 – February 2023)",
        subtitle="Report for the Hertfordshire Police and Crime Panel, February 2023",
        meeting="Police and Crime Panel",
        date="02 February 2023",
        period="2023-02",
        language="en-GB",
        author="Dr Amie Birkhamshaw",
        edition="restricted" if marking else "public",
        marking=marking,
        cover=(
            CoverRow("MEETING", "Police and Crime Panel"),
            CoverRow("DATE", "02 February 2023"),
            CoverRow("SUBMITTED BY", "Dr Amie Birkhamshaw, Assistant Chief Executive, OPCC"),
            CoverRow("DECISION(S) REQUIRED", "To note the content of the report."),
        ),
        narrative=narrative,
        columns=COLUMNS,
        sections=tuple(sections),
        counts=(("Completed", 10), ("In progress", 10), ("Not started", 10), ("On hold", 10)),
        total=n_rows,
        changes=(StatusMove(7, "Action 7", "Not started", "In progress"),),
        status_colours=COLOURS,
    )


@dataclass(frozen=True)
class Rendered:
    paper: Paper
    path: Path
    pages: list[str]  # text of each page
    fetched: list[str]
    logged: list[str]  # WeasyPrint's warnings and errors, but the one about HarfBuzz-Subset


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "HarfBuzz-Subset" not in record.getMessage():  # this machine lacks libharfbuzz-subset0
            self.messages.append(record.getMessage())


def _render(paper: Paper, out: Path) -> Rendered:
    fetched: list[str] = []
    original = pdf_fetch.TemplateFetcher.fetch

    def recording_fetch(self: pdf_fetch.TemplateFetcher, url: str, headers: object = None) -> object:
        fetched.append(url)
        return original(self, url, headers)  # type: ignore[arg-type]

    records = _Records()
    weasyprint_logger = logging.getLogger("weasyprint")
    weasyprint_logger.addHandler(records)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pdf_fetch.TemplateFetcher, "fetch", recording_fetch)
            # a long paper's parts are laid out in this process, so that what they fetch and log is seen here
            patch.setattr(pdf_parallel, "usable_cores", lambda: 1)
            pdf_writer.write_pdf(paper, TEMPLATES, out)
    finally:
        weasyprint_logger.removeHandler(records)
    # pypdf reads text in content-stream order: WeasyPrint draws cell by cell, so a cell's text stays together
    pages = [page.extract_text() for page in pypdf.PdfReader(out).pages]
    return Rendered(paper, out, pages, fetched, records.messages)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def big(folder: Path) -> Rendered:
    return _render(_paper(40), folder / "paper.pdf")


@pytest.fixture(scope="module")
def small(folder: Path) -> Rendered:
    return _render(_paper(6, marking=""), folder / "small.pdf")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- content


def test_renders_without_warnings(big: Rendered, small: Rendered) -> None:
    # WeasyPrint warns of CSS it ignores, missing lang, images without alt text, refused URLs
    assert big.logged == [] and small.logged == []


def test_text_holds_cover_sections_and_every_row(big: Rendered) -> None:
    text = _squash("\n".join(big.pages))
    for cover_row in big.paper.cover:
        assert _squash(cover_row.label) in text
        assert _squash(cover_row.value) in text
    for section in big.paper.sections:
        assert _squash(section.heading) in text
    for row in big.paper.rows:
        assert _squash(f"{row.ref}{row.action}{row.status_label}") in text
        explanation = row.cell("explanation")
        for paragraph in [block.text for block in explanation.rich] or [explanation.text]:
            assert _squash(paragraph) in text
    assert _squash("No update received this period") in text


def test_every_page_says_page_n_of_m(big: Rendered) -> None:
    total = len(big.pages)
    assert total >= 3
    for number, page in enumerate(big.pages, start=1):
        assert f"Page {number} of {total}" in page


def test_header_row_repeats_on_every_plan_page(big: Rendered) -> None:
    header = _squash("".join(column.heading for column in big.paper.columns))
    first = next(i for i, page in enumerate(big.pages) if "Action 1:" in page)
    plan_pages = big.pages[first:]
    assert len(plan_pages) >= 2
    for page in plan_pages:
        assert header in _squash(page)


def test_no_section_heading_is_left_at_the_foot_of_a_page(big: Rendered) -> None:
    with pdfplumber.open(big.path) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            headings = [word["top"] for word in words if word["text"] == "Theme"]
            rows = [word["top"] for word in words if word["text"] == "Action" and word["top"] > 100]
            if headings:
                assert any(top > max(headings) for top in rows), f"page {page.page_number}"


def test_marking_on_every_page_of_the_restricted_edition_only(big: Rendered, small: Rendered) -> None:
    assert all("RESTRICTED" in page for page in big.pages)
    assert not any("RESTRICTED" in page for page in small.pages)


def test_running_title_in_the_page_header(big: Rendered) -> None:
    for page in big.pages[1:]:
        assert "Annual Delivery Plan (March 2022 – February 2023)" in page


def test_a_long_running_title_stays_on_one_line_when_nothing_is_marked(tmp_path: Path) -> None:
    """The example paper titled "Police and Crime Plan 2021-2025: Delivery Plan Update (October 2026)":
    its portrait pages' header wrapped the title onto two lines at half the page's width (an empty centre
    box for the marking split the header in three). With nothing to mark, the title takes the width."""
    from conftest import copy_example
    from reportgen.run.build import build_draft

    root = copy_example(tmp_path / "ws")
    settings = root / "reportgen.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^title = .*$", 'title = "Police and Crime Plan 2021-2025: Delivery Plan Update '
                                                    '({period:%B %Y})"', text, count=1), encoding="utf-8")
    folder = build_draft(root, period="2026-10", out=tmp_path / "out").folder
    title = "Police and Crime Plan 2021-2025: Delivery Plan Update (October 2026)"
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        portrait = [page for page in pdf.pages[1:] if page.width < page.height]
        assert portrait
        for page in pdf.pages[1:]:
            header = [word for word in page.extract_words() if word["bottom"] < 60]
            assert " ".join(word["text"] for word in header) == title, page.page_number
            assert len({round(word["top"]) for word in header}) == 1, page.page_number


# ---------------------------------------------------------------- structure and metadata


def test_tagged_pdf_ua_with_language_and_title(big: Rendered) -> None:
    with pikepdf.open(big.path) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo["/Title"]) == big.paper.document_title  # marked: "RESTRICTED – …"
        assert str(pdf.docinfo["/Author"]) == big.paper.author
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20230201")
        meta = pdf.open_metadata()
        assert meta["dc:title"] == big.paper.document_title
        assert meta["pdfuaid:part"] == "1"


def _structure_tags(pdf: pikepdf.Pdf) -> set[str]:
    seen: set[str] = set()
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                seen.add(str(node.S))
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kid for kid in kids if isinstance(kid, pikepdf.Dictionary))
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
    return seen


def test_page_furniture_is_an_artifact_in_one_document_and_in_parts(big: Rendered, small: Rendered) -> None:
    assert len(plan_items(small.paper)) < pdf_parallel.MIN_PARTS_ITEMS <= len(plan_items(big.paper))
    for rendered in (small, big):  # one WeasyPrint document, then parts
        assert untagged_furniture(rendered.path) == []
        assert f"Page 2 of {len(rendered.pages)}" in rendered.pages[1]  # still drawn


def table_row_widths(path: Path) -> list[list[int]]:
    """Each tagged table's rows as their widths in cells (a cell's ColSpan counted), in the tree's order."""
    tables: list[list[int]] = []
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if node.get("/S") != "/Table":
                stack.extend(reversed(_kids(node)))
                continue
            rows = [row for part in table_parts(node) for row in ([part] if part.S == "/TR" else _kids(part))]
            tables.append([sum(_span(cell) for cell in _kids(row) if cell.S in ("/TH", "/TD")) for row in rows])
    return tables


def _kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    kids = node.get("/K")
    return [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
            if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _span(cell: pikepdf.Object) -> int:
    attributes = cell.get("/A")
    return int(attributes.get("/ColSpan", 1)) if isinstance(attributes, pikepdf.Dictionary) else 1


def test_every_plan_row_is_tagged_with_a_cell_per_column_empty_ones_too(folder: Path) -> None:
    paper = _paper(6, marking="")
    emptied = {"explanation", "page"}  # action 4 has neither: two empty cells
    sections = tuple(replace(section, rows=tuple(
        replace(row, explanation="", cells=tuple(replace(cell, text="", rich=()) if cell.key in emptied else cell
                                                 for cell in row.cells)) if row.ref == 4 else row
        for row in section.rows)) for section in paper.sections)
    rendered = _render(replace(paper, sections=sections), folder / "empty-cells.pdf")
    columns = len(paper.columns)
    plan = [widths for widths in table_row_widths(rendered.path) if widths and widths[0] == columns]
    assert plan and all(width == columns for widths in plan for width in widths)  # section rows span them all


def test_structure_has_headings_lists_and_table_headers(big: Rendered) -> None:
    with pikepdf.open(big.path) as pdf:
        tags = _structure_tags(pdf)
    assert {"/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link"} <= tags


def test_a_plan_over_several_pages_is_one_table_with_its_header_once(big: Rendered, folder: Path) -> None:
    """WeasyPrint tags a table page by page: a screen reader announced a table per page and read the
    column headings on each. The plan is one Table: one head, then every row in the paper's order, the
    sections' group rows among them; the header rows repeated on later pages are still drawn, as
    artifacts; no marked run is left out of the tree. Alike in one document and in parts."""
    short = _render(_paper(30, marking=""), folder / "short-plan.pdf")
    assert len(plan_items(short.paper)) < pdf_parallel.MIN_PARTS_ITEMS <= len(plan_items(big.paper))
    for rendered in (short, big):  # one WeasyPrint document, then parts
        paper = rendered.paper
        expected = [label for section in paper.sections for label in
                    [*([section.heading] if section.heading else []), *(str(row.ref) for row in section.rows)]]
        plans, labels, pages = plan_row_labels(rendered.path, len(paper.columns))
        assert plans == 1 and labels == expected
        starts = [row_pages[0] for row_pages in pages]
        assert starts == sorted(starts) and len(set(starts)) > 2, rendered.path  # over several pages
        heading = _squash(paper.columns[3].heading)
        assert sum(heading in _squash(page) for page in rendered.pages) >= len(set(starts))  # drawn on each page
        assert marked_content_problems(rendered.path) == []
        with pikepdf.open(rendered.path) as pdf:  # a Table (and THead) per table of the HTML, not per page
            assert _structure_counts(pdf)["/THead"] == pdf_html.render_html(paper, TEMPLATES).count("<thead")
        headers, data = table_cells(rendered.path)
        heads = Counter(header.table for header in headers if header.in_head)
        plan = next(table for table, count in heads.items() if count == len(paper.columns))
        head = {header.id for header in headers if header.in_head and header.table == plan}
        cells = [names for table, _, names in data if table == plan]
        assert len(cells) == sum(len(section.rows) for section in paper.sections) * (len(paper.columns) - 1)
        assert all(len(head.intersection(names)) == 1 for names in cells)  # its column's header, in the one head


def _structure_counts(pdf: pikepdf.Pdf) -> dict[str, int]:
    counts: dict[str, int] = {}
    stack = _kids(pdf.Root.StructTreeRoot)
    while stack:
        node = stack.pop()
        counts[str(node.S)] = counts.get(str(node.S), 0) + 1
        stack.extend(_kids(node))
    return counts


@dataclass(frozen=True)
class HeaderCell:
    table: int  # the Table element's place in the tree
    row: int  # its row in that table
    in_head: bool
    scope: str
    id: bytes


def table_cells(path: Path) -> tuple[list[HeaderCell], list[tuple[int, int, list[bytes]]]]:
    """Every TH of the PDF's tables, and every TD as (table, row, the IDs its /Headers names)."""
    headers: list[HeaderCell] = []
    data: list[tuple[int, int, list[bytes]]] = []
    with pikepdf.open(path) as pdf:
        for number, table in enumerate(tagged_tables(pdf)):
            rows = [(row, part.S == "/THead") for part in _kids(table)
                    for row in ([part] if part.S == "/TR" else _kids(part))]
            for row_number, (row, in_head) in enumerate(rows):
                for cell in _kids(row):
                    attributes = cell.get("/A")
                    attributes = attributes if isinstance(attributes, pikepdf.Dictionary) else pikepdf.Dictionary()
                    if cell.S == "/TH":
                        headers.append(HeaderCell(number, row_number, in_head, str(attributes.get("/Scope", "")),
                                                  bytes(cell.get("/ID", b""))))
                    elif cell.S == "/TD":
                        data.append((number, row_number, [bytes(name) for name in attributes.get("/Headers", [])]))
    return headers, data


def _two_level(n_actions: int) -> tuple[Paper, dict[str, list[str]]]:
    """A paper whose plan is grouped in two levels (themes, then priorities; the last theme's actions with no
    priority), and the headings each action is under, by its number."""
    paper = make_paper(n_actions, sections=6)
    first, *groups = paper.sections
    themes = {1: "Theme one: safer streets", 3: "Theme two: victims & witnesses"}
    sections = [first]
    for index, section in enumerate(groups, start=1):
        if index in themes:
            sections.append(PaperSection(themes[index], 1, ()))
        sections.append(replace(section, level=2 if index < 5 else 1))
    under: dict[str, list[str]] = {}
    chain: list[str] = []
    for section in sections:
        if section.heading:
            chain = [*chain[:section.level - 1], section.heading]
        under.update((str(row.ref), list(chain)) for row in section.rows)
    return replace(paper, sections=tuple(sections)), under


@pytest.mark.parametrize("actions", [30, 120], ids=["one document", "laid out in parts"])
def test_each_action_cell_names_the_section_and_subsection_it_is_under(tmp_path: Path, actions: int) -> None:
    """A screen reader reading an action's status said "14, Status" and never which section the action is in:
    WeasyPrint names only a cell's row and column headers. Each data cell of the plan names, first in its
    /Headers, the heading of its theme and of its priority (the group heading rows above it, across pages and
    across a long paper's parts), then its action's number and its column as before."""
    paper, under = _two_level(actions)
    assert (len(plan_items(paper)) >= pdf_parallel.MIN_PARTS_ITEMS) == (actions > 100)
    rendered = _render(paper, tmp_path / "paper.pdf")
    texts = tagged_text(rendered.path)
    with pikepdf.open(rendered.path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        named = {bytes(cell.ID): _squash(element_text(cell, texts, pages))
                 for table in tagged_tables(pdf) for part in _kids(table) for row in _kids(part)
                 for cell in _kids(row) if cell.S == "/TH"}
        plan = next(table for table in tagged_tables(pdf)
                    if len(_kids(_kids(table_parts(table)[0])[0])) == len(paper.columns))
        seen = 0
        for row in _kids(table_parts(plan)[1]):
            header, *cells = _kids(row)
            if not cells:  # a group heading row
                continue
            ref = named[bytes(header.ID)]
            for column, cell in enumerate(cells, start=1):
                names = [named[bytes(name)] for name in cell.A.Headers]
                assert names == [*map(_squash, under[ref]), ref, _squash(paper.columns[column].heading)], (ref, names)
            seen += 1
    assert seen == actions and len({tuple(chain) for chain in under.values()}) == 6
    assert marked_content_problems(rendered.path) == []


def test_table_headers_have_their_scope_and_ids_of_their_own(tmp_path: Path) -> None:
    """A screen reader (and a PDF/UA checker) finds each table's column and row headers: every TH says
    its /Scope, and a long paper laid out in parts gives no two headers one ID, so a data cell's /Headers
    name the headers of its own table, not those of a table pages earlier."""
    workspace = benchmark_workspace(tmp_path / "generated", 300)
    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    headers, data = table_cells(tmp_path / "draft" / "paper.pdf")
    assert len(headers) > 300 and len(data) > 1200  # the plan's head once, not once a page
    assert all(header.scope == "/Column" for header in headers if header.in_head)
    body = [header for header in headers if not header.in_head]
    assert {header.scope for header in body} == {"/Row", "/Column"}  # action numbers and cover labels; sections
    ids = [header.id for header in headers]
    assert all(ids) and len(ids) == len(set(ids))
    where = {header.id: header for header in headers}
    for table, row, names in data:
        assert names
        for name in names:
            header = where[name]
            assert header.table == table
            assert header.scope == ("/Row" if header.row == row else "/Column")
    assert _id_tree(tmp_path / "draft" / "paper.pdf") == set(ids)
    # a short paper is one WeasyPrint document: its headers have their scope too
    short = tmp_path / "short.pdf"
    pdf_writer.write_pdf(_paper(6, marking=""), TEMPLATES, short)
    headers, _ = table_cells(short)
    assert {header.scope for header in headers} == {"/Row", "/Column"}
    assert _id_tree(short) == {header.id for header in headers} != set()


def _id_tree(path: Path) -> set[bytes]:
    """The IDs of the structure tree's /IDTree (required where elements have IDs), each checked to lead
    to the element that carries it."""
    with pikepdf.open(path) as pdf:
        names = pdf.Root.StructTreeRoot.IDTree.Names
        pairs = [(bytes(names[i]), names[i + 1]) for i in range(0, len(names), 2)]
        assert [name for name, _ in pairs] == sorted(name for name, _ in pairs)
        assert all(bytes(element.ID) == name for name, element in pairs)
        return {name for name, _ in pairs}


def _link_uris(path: Path) -> list[str]:
    uris = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    uris.append(str(action.URI))
    return uris


def test_links_only_http_https_mailto(big: Rendered) -> None:
    uris = _link_uris(big.path)
    assert all(uri.split(":", 1)[0] in {"http", "https", "mailto"} for uri in uris)
    assert {"https://example.org/dmm", "https://example.org/board", "mailto:opcc@example.org"} <= set(uris)
    assert not any("javascript" in uri for uri in uris)
    assert "badlink" in _squash(" ".join(big.pages))  # the refused link stays as plain text


# ---------------------------------------------------------------- security


def test_hostile_text_is_literal_and_nothing_is_embedded_or_fetched(big: Rendered) -> None:
    text = _squash("\n".join(big.pages))
    for hostile in (HOSTILE_ATTACHMENT, HOSTILE_IMAGE, HOSTILE_SCRIPT, HOSTILE_JINJA):
        assert _squash(hostile) in text
    with pikepdf.open(big.path) as pdf:
        assert len(pdf.attachments) == 0
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
    assert big.fetched and set(big.fetched) == {(TEMPLATES / "paper.css").resolve().as_uri()}


def test_html_escapes_everything() -> None:
    html = pdf_html.render_html(_paper(6), TEMPLATES)
    assert "<script>" not in html and "<img" not in html and 'rel="attachment"' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert "javascript:" not in html
    assert '<span> \u200b</span><a href="https://example.org/board">board papers</a>' in html  # a box of its own, drawn
    assert "<strong>6 actions</strong>" in html and "<em>&#39;In Progress&#39;</em>" in html
    assert "<u>Victims Services grant</u>" in html


def test_rich_text_lists_and_headings() -> None:
    html = pdf_html.render_html(_paper(6), TEMPLATES)
    assert html.count("<h1>") == 1
    assert "<h2>Annual Delivery Plan</h2>" in html and "<h3>Funding</h3>" in html
    assert re.search(r'<ul class="level-1"><li>33 actions[^<]*</li><li>87 actions', html)
    assert re.search(r'<ol class="level-1"><li>Home Office[^<]*</li><li><u>', html)
    assert '<th scope="row">MEETING</th>' in html
    assert '<th scope="col" class="col-action">Action</th>' in html
    assert '<tr class="section level-2"><th colspan="6" scope="colgroup">Theme 2 Victims' in html


def test_ins_and_del_changes() -> None:
    block = Block("paragraph", (_text("old", change="del"), _text("new", change="ins", bold=True)))
    html = pdf_html.render_html(replace(_paper(3), narrative=(block,)), TEMPLATES)
    assert "<p><del>old</del><ins><strong>new</strong></ins></p>" in html


@pytest.fixture
def templates_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in ("paper.html.j2", "paper.css"):
        (folder / name).write_bytes((TEMPLATES / name).read_bytes())
    return folder


@pytest.mark.expected_logs("refused to fetch")
def test_fetcher_reads_only_files_inside_templates(templates_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (templates_copy / "link.css").symlink_to(secret)
    fetcher = pdf_fetch.TemplateFetcher(templates_copy)
    css = fetcher.fetch((templates_copy / "paper.css").as_uri())
    assert css.content_type == "text/css" and b"@page" in css.read()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/",
        "https://example.org/x.css",
        "data:text/css,body{}",
        secret.as_uri(),
        (templates_copy / "link.css").as_uri(),
        (templates_copy / ".." / "secret.txt").as_uri(),
        "file://otherhost" + (templates_copy / "paper.css").as_posix(),
        (templates_copy / "missing.css").as_uri(),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


@pytest.mark.expected_logs("refused to fetch", "refused URL")  # ours, then WeasyPrint's
def test_refused_urls_are_logged_and_the_render_goes_on(
    templates_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    css = templates_copy / "paper.css"
    css.write_text(
        '@import url("file:///etc/hostname");\n'
        + css.read_text()
        + '\nbody { background: url("http://127.0.0.1:9/x.png"); }\n'
    )
    out = tmp_path / "paper.pdf"
    paper = _paper(3, marking="")
    with caplog.at_level(logging.WARNING, logger="reportgen.render.pdf.fetch"):
        pdf_writer.write_pdf(paper, templates_copy, out)
    refused = [r.getMessage() for r in caplog.records if r.name == "reportgen.render.pdf.fetch"]
    assert any("file:///etc/hostname" in message for message in refused)
    assert any("http://127.0.0.1:9/x.png" in message for message in refused)
    text = _squash(" ".join(page.extract_text() for page in pypdf.PdfReader(out).pages))
    assert all(_squash(f"{row.ref}{row.action}") in text for row in paper.rows)  # the whole paper, styled
    assert sorted(path.name for path in tmp_path.iterdir()) == ["paper.pdf", "templates"]  # no temp file left


# ---------------------------------------------------------------- reproducible, atomic


def test_same_paper_gives_identical_bytes(small: Rendered, folder: Path) -> None:
    again = folder / "again.pdf"
    pdf_writer.write_pdf(small.paper, TEMPLATES, again)
    assert again.read_bytes() == small.path.read_bytes()
    assert "SOURCE_DATE_EPOCH" not in os.environ  # pinned for the render only


def test_a_failed_render_leaves_the_old_paper_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "paper.pdf"
    out.write_bytes(b"the previous paper")

    def failing_write(self: object, target: BinaryIO | None = None, **options: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(weasyprint.document.Document, "write_pdf", failing_write)  # a laid-out paper's writing
    with pytest.raises(RuntimeError, match="disk full"):
        pdf_writer.write_pdf(_paper(3), TEMPLATES, out)
    assert out.read_bytes() == b"the previous paper"
    assert [path.name for path in tmp_path.iterdir()] == ["paper.pdf"]


_STATUS_RULE = re.compile(
    r"td\.status\.status-([a-z0-9-]+) \{ border-left-color: #([0-9a-f]{6}); background-color: #([0-9a-f]{6}); \}")


def _share_of(colour: str, tint: str) -> float | None:
    """The share of `colour` in `tint` when `tint` is `colour` mixed with white (to the nearest unit), else None."""
    pairs = [(int(colour[i : i + 2], 16), int(tint[i : i + 2], 16)) for i in (0, 2, 4)]
    darkest, darkest_tint = min(pairs)
    if darkest == 255:
        return None
    share = (255 - darkest_tint) / (255 - darkest)
    return share if all(abs(255 - (255 - c) * share - t) <= 1 for c, t in pairs) else None


@pytest.mark.expected_logs("is not a 6-digit hex colour")
def test_status_colours_keep_text_readable() -> None:
    """Each status cell shows a tint of its colour (never plain white) that body text reads on at 4.5:1."""
    colours = (*COLOURS, ("x", "000000"), ("dark-blue", "0b0c0c"), ("bad", "red"))
    html = pdf_html.render_html(replace(_paper(3), status_colours=colours), TEMPLATES)
    rules = {css: (border, background) for css, border, background in _STATUS_RULE.findall(html)}
    assert set(rules) == {css for css, _ in COLOURS} | {"x", "dark-blue"}  # "red" is no hex colour: no rule
    text = re.search(r"html \{[^}]*color: var\(--body-colour, #([0-9a-f]{6})\)", (TEMPLATES / "paper.css").read_text())
    assert text is not None
    for css, (border, background) in rules.items():
        assert border == dict(colours)[css].lower()
        assert contrast_ratio(text[1], background) >= 4.5, (css, background)
        share = _share_of(border, background)
        assert share is not None and share >= 0.04, (css, background)  # a tint of its colour, not white


# paragraphs where WeasyPrint 70 left the first word alone on a line, and the cell widths (px) it did so at
_BREAKS_BEFORE_LINKS = (
    ((Inline("The first two actions were published with the "),
      Inline("Board papers of the Strategic Executive Board", href="https://e.org/b"), Inline(". Next.")), 278),
    ((Inline("The Delivery Plan links to the papers of the PCC's "),
      Inline("Decision-Making Meetings", href="https://e.org/d"), Inline(" and shows progress against each action.")),
     311),
    ((Inline("This paper updates the Panel on the 36 actions in the Police and Crime Commissioner's "),
      Inline("Safer Wessex Plan 2025–2030", href="https://e.org/plan"),
      Inline(", using the lead partners' returns for the reporting period 2026-10.")), 546),
)


def test_a_line_never_ends_after_one_word_before_a_link() -> None:
    """WeasyPrint 70 broke 'The | first two … with the | <a>…' at some widths (seen in the demo).

    Each paragraph as the paper template writes it, laid out at every width near the one where it broke
    (a page per width), read back line by line: only a paragraph's last line may hold one word.
    """
    narrative = tuple(Block("paragraph", inlines) for inlines, _ in _BREAKS_BEFORE_LINKS)
    html = pdf_html.render_html(replace(make_paper(0, 1), narrative=narrative), TEMPLATES)
    paragraphs = [p for p in re.findall(r"<p>.*?</p>", html) if "<a href" in p]
    assert len(paragraphs) == len(_BREAKS_BEFORE_LINKS)
    pages = [(paragraph, width) for paragraph, (_, bad) in zip(paragraphs, _BREAKS_BEFORE_LINKS, strict=True)
             for width in range(bad - 6, bad + 7)]
    body = "".join(f'<div style="width: {width}px; break-after: page">{p}</div>' for p, width in pages)
    style = ('@page { size: A4; margin: 10mm }'
             ' html { font-family: "Liberation Sans"; font-size: 10.5pt; line-height: 1.35 }')
    data = HTML(string=f"<html><head><style>{style}</style></head><body>{body}</body></html>").write_pdf()
    alone = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page, (_, width) in zip(pdf.pages, pages, strict=True):
            lines: dict[int, list[str]] = {}
            for word in page.extract_words():
                lines.setdefault(round(word["top"]), []).append(word["text"])
            words = [lines[top] for top in sorted(lines)]
            assert len(words) >= 2
            alone += [f"{line[0]!r} alone at {width}px" for line in words[:-1] if len(line) == 1]
    assert alone == []


def test_the_space_before_a_link_is_in_the_pdfs_text(tmp_path: Path) -> None:
    """The space before a link sits in a box of its own (above), and WeasyPrint draws no box of blanks alone: the
    space took its width on the page but was missing from the text a screen reader, a search or a copy gets,
    "with theStrategic Executive Board papers". Built as an officer builds, the words read apart; the page looks
    the same (the zero-width space after it has no glyph)."""
    returns = default_returns()
    explanation = ('Reported with the <a href="https://www.example.gov.uk/seb">Strategic Executive Board papers</a>'
                   ' and <strong>see</strong> <a href="https://www.example.gov.uk/minutes">the minutes</a>.')
    returns["opcc.xlsx"] = [RETURN_HEADINGS, *((ref, action, status, explanation if ref == 2 else text, when)
                                                 for ref, action, status, text, when in returns["opcc.xlsx"][1:])]
    workspace = make_workspace(tmp_path / "ws", returns=returns)
    assert main(["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]) == 0
    with pdfplumber.open(tmp_path / "draft" / "paper.pdf") as pdf:
        words = " ".join(word["text"] for page in pdf.pages for word in page.extract_words())
    assert "Reported with the Strategic Executive Board papers and see the" in words, words
    assert "\u200b" not in words  # drawn, never extracted


def test_a_links_underline_and_target_start_at_its_first_letter_not_the_space_before_it() -> None:
    """The space before a link is laid out in a box of its own (for the line breaks above), outside the
    link: the underline and the clickable area begin at the link's first letter."""
    narrative = tuple(Block("paragraph", inlines) for inlines, _ in _BREAKS_BEFORE_LINKS)
    html = pdf_html.render_html(replace(make_paper(0, 1), narrative=narrative), TEMPLATES)
    paragraphs = [p for p in re.findall(r"<p>.*?</p>", html) if "<a href" in p]
    body = "".join(f'<div style="width: {width}px">{p}</div>'
                   for p, (_, width) in zip(paragraphs, _BREAKS_BEFORE_LINKS, strict=True))
    style = ('@page { size: A4; margin: 10mm } html { font-family: "Liberation Sans"; font-size: 10.5pt }'
             ' a { text-decoration: underline }')
    data = HTML(string=f"<html><head><style>{style}</style></head><body>{body}</body></html>").write_pdf()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        starts = sorted((link["top"], link["x0"]) for link in page.hyperlinks)
        underlines = sorted((line["top"], line["x0"]) for line in page.lines)
        assert len(starts) == len(underlines) >= len(_BREAKS_BEFORE_LINKS)
        for (top, x0), (_, underline_x0) in zip(starts, underlines, strict=True):
            inside = [c for c in page.chars if c["text"].strip() and x0 - 1 <= c["x0"] and abs(c["top"] - top) < 8]
            first_letter = min(c["x0"] for c in inside)
            assert abs(first_letter - x0) < 0.1 and abs(underline_x0 - x0) < 0.1, (first_letter, x0, underline_x0)
