"""The parts a long paper's PDF is laid out in, and the work of laying out one part.

One WeasyPrint document keeps every page in memory until it is written (~0.36 MiB a plan row) and
costs ~0.1 s a page. A long paper is therefore laid out as parts, and `reportgen.render.pdf.join` joins them:

- the *front*: title block, cover, narrative and changes (the pages before the delivery plan);
- *pieces* of the delivery plan, each a document of some table rows that starts on a fresh landscape
  page with the repeated table header;
- the *furniture*: the page headers and footers alone, on empty pages of the same sizes, drawn over
  the joined pages: what is the same on every page of a kind (running title, marking, logo) once per
  kind of page, early (`furniture_kinds`), and the boxes that number pages ("Page X of Y" needs the
  final page count) page by page, last (`page_numbers`).

Why the joined pages are exactly those of a single document: a plan page's layout depends only on
the row it starts with (the page size, margins and repeated header are the same on every plan page,
and every horizontal rule in the table has the same width, so no row sits differently under the
header), so a piece that starts with a row that begins a page in the whole document lays out that
page and the ones after it as the whole document does. A piece's last page may end early only
because the piece ends: it is dropped, and the next piece starts with that page's first row. Only
the piece that ends with the plan's last row marks it as the plan's end (`plan_ends`), which paper.css keeps
with the row before it: a piece cut short ends as its rows fall, on the page that is dropped. The
front ends where the plan's named page begins, which is always a page break.

So the pieces form a chain (each starts where the one before ended), but a piece can be written
while the next is being laid out, and the next can be *prepared* before its first row is known: its
rows from a little before its earliest possible start are rendered, parsed and styled (the CSS
cascade), and once the start is known the rows before it are dropped from the parsed tree before the
boxes are built (`Prepared.lay_out`). Nothing before the boxes depends on which rows follow (no
paper.css selector counts table rows), so that lays out the same pages, byte for byte, as the rows
from the start alone; it takes ~15% off each link of the chain. See `reportgen.render.pdf.parallel`.

Must not: decide content (the template and paper.css do).
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from weasyprint import DEFAULT_OPTIONS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document, DocumentMetadata, Page
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.html import get_html_metadata
from weasyprint.layout import layout_document
from weasyprint.pdf import VARIANTS
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from reportgen import memory
from reportgen.errors import ReportgenError
from reportgen.model import Paper
from reportgen.render.pdf.document import font_timestamp, mark_metadata, write_whole
from reportgen.render.pdf.fetch import TemplateFetcher
from reportgen.render.pdf.html import MARGIN_BOXES, check_template, render_html
from reportgen.render.pdf.kept_whole import kept_whole_unless_too_tall, let_break
from reportgen.render.pdf.tall_rows import (
    allow_breaks,
    body_rows,
    keeping_headers,
    place_continued_labels,
    plan_tables,
)
from reportgen.render.pdf.tasks import (
    KIND_PAGES,
    Bookmark,
    FrontTask,
    FurnitureTask,
    Kinds,
    KindsTask,
    Laid,
    Message,
    PieceTask,
    PrepareTask,
    Ready,
    Task,
    WholeTask,
    Written,
    plan_items,
    plan_slice,
)

RENDER_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
_PAGES_COUNTER = re.compile(rb"counter\(\s*pages\s*\)")


@dataclass(frozen=True)
class PageStart:
    """The first table row on a plan page, and whether it began on the page before (a split row)."""

    item: int
    continued: bool = False


# ---------------------------------------------------------------- laying out one part


def lay_out(html: str, templates: Path, total_pages: int | None = None,
            breakable: Collection[int] = (), blocks: Collection[int] = ()) -> tuple[HTML, Any]:
    """The WeasyPrint source and laid-out Document of `html` (reading files only from `templates`).

    With `total_pages`, the stylesheets' `counter(pages)` says that number, not this document's count;
    `breakable` plan rows may break across pages, and say on the pages they continue onto which row they
    continue (`reportgen.render.pdf.tall_rows`); `blocks` kept whole by the stylesheets may break too
    (`reportgen.render.pdf.kept_whole`).
    """
    fetcher = TemplateFetcher(templates) if total_pages is None else TotalFetcher(templates, total_pages)
    source = HTML(string=html, base_url=str(templates) + os.sep, url_fetcher=fetcher)
    let_break(source.etree_element, blocks)
    allow_breaks(source.etree_element, breakable)
    document = source.render(**RENDER_OPTIONS)
    if breakable:
        place_continued_labels(document)
    return source, document


class Prepared:
    """Plan items [start, end) rendered, parsed and styled, not yet laid out (see the module's docstring).

    Uses WeasyPrint's own steps (`Document._render` split in two; weasyprint is pinned in
    constraints.txt), and the tests check the pages against laying out the rows alone.
    """

    def __init__(self, paper: Paper, templates: Path, start: int, end: int) -> None:
        self.start, self.end = start, end
        items = plan_items(paper)
        html = render_html(plan_slice(paper, items, start, end), templates, part="plan",
                           plan_heading=start == 0, plan_ends=end >= len(items))
        self.source = HTML(string=html, base_url=str(templates) + os.sep, url_fetcher=TemplateFetcher(templates))
        self.options = _options()
        self.font_config, self.counter_style = FontConfiguration(), CounterStyle()
        self.context = Document._build_layout_context(self.source, self.font_config, self.counter_style, {},
                                                      self.options)
        self.body = next((table.find("tbody") for table in plan_tables(self.source.etree_element)), None)

    def covers(self, start: int, end: int) -> bool:
        """Whether these are the rows of items [start, end) (a template without a plan tbody: never)."""
        return self.body is not None and self.start <= start < self.end and end == self.end

    def lay_out(self, start: int) -> tuple[HTML, Any]:
        """The pages of items [start, end): the rows before `start` are dropped, then laid out (once)."""
        assert self.body is not None, "covers() says when a prepared piece can be laid out"
        for row in list(self.body)[: start - self.start]:
            self.body.remove(row)
        if start:  # the plan's heading is on its first page only
            for heading in self.source.etree_element.iter("h2"):
                if "plan-heading" in (heading.get("class") or "").split():
                    heading.getparent().remove(heading)
                    break
        html, context = self.source, self.context
        root = build_formatting_structure(html.etree_element, context.style_for, context.get_image_from_uri,
                                          html.base_url, context.target_collector, self.counter_style,
                                          context.footnotes)
        pages = [Page(page) for page in layout_document(html, root, context)]
        document = Document(pages, DocumentMetadata(**get_html_metadata(html)), html.url_fetcher,
                            self.font_config, {}, self.options["output_intent"])
        document._html = html
        return html, document


def _options() -> dict[str, Any]:
    """`HTML.render(**RENDER_OPTIONS)`'s options, with the PDF variant's defaults filled in as it does."""
    options = {**DEFAULT_OPTIONS, **RENDER_OPTIONS}
    _, properties = VARIANTS[options["pdf_variant"]]
    for key, value in tuple(options.items()):
        if value is None and key in properties:
            options[key] = properties[key]
    return options


class TotalFetcher(TemplateFetcher):
    """Serves the templates' stylesheets with `counter(pages)` replaced by the paper's page count."""

    def __init__(self, templates: Path, total: int) -> None:
        super().__init__(templates)
        self.total = total

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        response = super().fetch(url, headers)
        if not url.lower().endswith(".css"):
            return response
        body = _PAGES_COUNTER.sub(f'"{self.total}"'.encode(), response.read())
        return URLFetcherResponse(response.url, body=body, headers={"Content-Type": "text/css"})


def page_starts(source: HTML, document: Any) -> list[PageStart]:
    """The first body row of the plan table on each page of `document` (item 0 = the first row in it)."""
    index = {id(tr): number for number, tr in enumerate(body_rows(source.etree_element))}
    starts: list[PageStart] = []
    previous_last = -1
    for page in document.pages:
        rows = [index[id(box.element)] for box in _rows(page._page_box) if id(box.element) in index]
        if not rows:
            starts.append(PageStart(-1))
            continue
        starts.append(PageStart(rows[0], continued=rows[0] == previous_last))
        previous_last = rows[-1]
    return starts


def _rows(box: Any) -> Iterator[Any]:
    """Table rows in body row groups under `box`, in order (headers repeat on every page: skipped)."""
    if isinstance(box, boxes.TableRowGroupBox):
        if not (box.is_header or box.is_footer):
            yield from (row for row in box.children if isinstance(row, boxes.TableRowBox))
        return
    for child in getattr(box, "children", ()):
        if isinstance(child, (boxes.ParentBox,)) and not isinstance(child, (boxes.LineBox, boxes.MarginBox)):
            yield from _rows(child)


# ---------------------------------------------------------------- tasks


def run_task(paper: Paper, templates: Path, task: Task,
             prepared: dict[int, Prepared] | None = None) -> Iterator[Message]:
    """Do one task; a piece says where the next one starts (Laid) before it is written (Written).

    `prepared` is the worker's store of prepared pieces: a PrepareTask adds to it (and says Ready),
    a PieceTask takes its piece from it when the piece's rows are there.
    """
    with _collector_paused(collect_after=not isinstance(task, PrepareTask)):
        yield from _run_task(paper, templates, task, prepared)


@contextmanager
def _collector_paused(collect_after: bool) -> Iterator[None]:
    """Python's cyclic garbage collector off while a part is laid out and written, then one collection,
    and the freed memory given back (`reportgen.memory`).

    Laying out makes ~70,000 objects a piece; with the collector on, its passes over them take ~6% of
    the layout (measured on the 1,500-action benchmark), against ~40 ms for one pass afterwards.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
        if collect_after:
            if was_on:
                gc.collect()
            memory.give_back()


def _run_task(paper: Paper, templates: Path, task: Task, prepared: dict[int, Prepared] | None) -> Iterator[Message]:
    if isinstance(task, WholeTask):
        data = write_whole(paper, templates)
        yield Written("whole", 0, data, 0)
    elif isinstance(task, PrepareTask):
        if prepared is not None:
            prepared[task.piece] = Prepared(paper, templates, task.start, task.end)
        yield Ready(task.piece)
    elif isinstance(task, FrontTask):
        html = render_html(paper, templates, part="front")
        (_, document), _ = kept_whole_unless_too_tall(lambda blocks: lay_out(html, templates, blocks=blocks))
        yield Written("front", 0, write_document(document, paper), len(document.pages), bookmarks(document))
    elif isinstance(task, PieceTask):
        ahead = prepared.pop(task.piece, None) if prepared is not None else None
        yield from _run_piece(paper, templates, task, ahead)
    elif isinstance(task, KindsTask):
        yield furniture_kinds(paper, templates)
    else:
        yield page_numbers(paper, templates, task)


# ---------------------------------------------------------------- page furniture


def furniture_kinds(paper: Paper, templates: Path) -> Kinds:
    """The page furniture of each kind of page (KIND_PAGES), without the margin boxes that number pages.

    What a stylesheet puts in the page margins is the same on every page of a kind but the page
    number, so it is laid out once per kind, here, and only the numbering boxes page by page
    (`page_numbers`): ~1/3 less time than laying out every box of every page, and the part that
    needs the page count is small. Which boxes number pages is read from the laid-out boxes (their
    `content` uses `counter(page)` or `counter(pages)`), not assumed.
    """
    html = render_html(paper, templates, part="furniture", furniture_pages=KIND_PAGES)
    _, document = lay_out(html, templates)
    if len(document.pages) != len(KIND_PAGES):
        raise ReportgenError(f"the template's page furniture makes {len(document.pages)} pages for "
                             f"{len(KIND_PAGES)}: each furniture page must be one page")
    numbered = {_box_name(box) for page in document.pages for box in _margin_boxes(page) if _numbers_pages(box)}
    for page in document.pages:
        page._page_box.children = [box for box in page._page_box.children
                                   if not (isinstance(box, boxes.MarginBox) and _box_name(box) in numbered)]
    return Kinds(write_document(document, paper), tuple(sorted(numbered)))


def page_numbers(paper: Paper, templates: Path, task: FurnitureTask) -> Written:
    """The margin boxes that number pages (`task.numbered`), alone, on pages first_page.. of the paper.

    Not the first page: an extra first page takes the title block (for the running strings) and the
    :first page rules, and is not kept.
    """
    kinds = task.kinds if task.first_page == 1 else ("front", *task.kinds)
    html = render_html(paper, templates, part="furniture", furniture_pages=kinds,
                       first_page=task.first_page - (len(kinds) - len(task.kinds)))
    _, document = lay_out(_only_margin_boxes(html, task.numbered), templates, total_pages=task.total)
    pages = document.pages[len(kinds) - len(task.kinds):]
    return Written("furniture", task.index, write_document(document.copy(pages), paper), len(pages))


def _margin_boxes(page: Page) -> Iterator[Any]:
    return (box for box in page._page_box.children if isinstance(box, boxes.MarginBox))


def _box_name(box: Any) -> str:
    """A margin box's name as a stylesheet writes it after the "@": "bottom-right"."""
    return str(box.at_keyword).lstrip("@")


def _numbers_pages(box: Any) -> bool:
    """Whether a margin box's content uses the page number or the page count."""
    content = box.style["content"]
    return isinstance(content, (tuple, list)) and any(
        kind in ("counter()", "counters()") and value and value[0] in ("page", "pages")
        for kind, value in content)


def _only_margin_boxes(html: str, kept: Sequence[str]) -> str:
    """`html` with every other page-margin box emptied (in the document itself: a workspace's template
    need not know about it)."""
    rules = "".join(f"  @{box} {{ content: none !important; }}\n" for box in MARGIN_BOXES if box not in kept)
    head = html.find("</head>")
    return html if head < 0 else html[:head] + f"<style>\n@page {{\n{rules}}}\n</style>\n" + html[head:]


def _run_piece(paper: Paper, templates: Path, task: PieceTask, ahead: Prepared | None) -> Iterator[Laid | Written]:
    items = plan_items(paper)
    end = task.end
    laid_out = 0
    used = False
    while True:
        stop = min(end, len(items))

        def rows_laid_out(breakable: Collection[int], until: int = stop) -> tuple[HTML, Any]:
            html = render_html(plan_slice(paper, items, task.start, until), templates, part="plan",
                               plan_heading=task.start == 0, plan_ends=until >= len(items))
            return lay_out(html, templates, breakable=breakable)

        if ahead is not None and ahead.covers(task.start, stop):
            first = ahead.lay_out(task.start)
            used = True
        else:
            first = rows_laid_out(())
        ahead = None
        source, document = keeping_headers(first, rows_laid_out)  # `reportgen.render.pdf.tall_rows`
        if document is not first[1]:
            laid_out += len(first[1].pages)  # the first try's pages
        starts = page_starts(source, document)
        laid_out += len(starts)
        keep = len(starts) if stop >= len(items) else _last_whole_start(starts)
        if keep:
            break
        end = stop + max(stop - task.start, 1)  # all on one page: there is no page to drop, take more rows
    following = None if keep == len(starts) else task.start + starts[keep].item
    yield Laid(task.piece, tuple(task.start + start.item for start in starts[:keep]), following, laid_out, used)
    pages = document.copy(document.pages[:keep])
    yield Written("piece", task.piece, write_document(pages, paper), len(pages.pages), bookmarks(pages),
                  labelled=document is not first[1])


def _last_whole_start(starts: Sequence[PageStart]) -> int:
    """The last page but the first that starts with a whole row (where the next piece starts), or 0."""
    for index in range(len(starts) - 1, 0, -1):
        if not starts[index].continued and starts[index].item >= 0:
            return index
    return 0


WARM_UP_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Warm-up</title>
<link rel="stylesheet" href="paper.css"></head><body><h1>Warm-up</h1><h2>Section</h2>
<p>Words in <strong>bold</strong>, <em>italic</em> and <a href="https://example.org/">a link</a>.</p>
<table class="plan"><thead><tr><th>Ref</th><th>Action</th></tr></thead>
<tbody><tr class="action"><td>1</td><td><p>An action, 1 – 2 “quoted”.</p></td></tr></tbody></table></body></html>"""


def warm_up(templates: Path) -> None:
    """Lay out and write a small page with the templates' stylesheet, and throw it away.

    A process's first render pays for set-up a later one does not (fontconfig and Pango font maps,
    the user-agent stylesheet, the fonts the stylesheet names, the PDF writer's code paths); a PDF
    worker does it while the build reads its inputs. Nothing is kept that changes later output: the
    tests compare a worker's PDF with one made in a fresh process, byte for byte.

    It also compiles the paper's template (paper.html.j2), last (a template that does not compile raises here, and
    again with the paper): the workers forked from this one share it, where each compiled its own (~60 ms of CPU a
    worker), the first as it rendered the plan's first piece, at the head of the chain of layouts.
    """
    _, document = lay_out(WARM_UP_HTML, templates)
    with font_timestamp(""):
        document.write_pdf(**RENDER_OPTIONS)
    check_template(templates)


def bookmarks(document: Any) -> tuple[Bookmark, ...]:
    """The bookmarks of a laid-out part, page by page, in PDF points (as WeasyPrint writes them:
    `Document.make_bookmark_tree(0.75, transform_pages=True)`)."""
    scale = 0.75  # CSS px to PDF points
    return tuple(Bookmark(number, level, label, x * scale, (page.height - y) * scale, state != "closed")
                 for number, page in enumerate(document.pages)
                 for level, label, (x, y), state in page.bookmarks)


def write_document(document: Any, paper: Paper) -> bytes:
    """A laid-out part as PDF bytes, with font subsets dated from the paper (reproducible), its properties marked
    as the paper is (the joined PDF keeps the front's)."""
    mark_metadata(document.metadata, paper.marking, paper.title_marking)
    with font_timestamp(paper.pdf_created):
        data: bytes = document.write_pdf(**RENDER_OPTIONS)
    return data
