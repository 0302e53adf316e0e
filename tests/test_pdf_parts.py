"""A long paper's PDF laid out in parts (pdf_parts, pdf_parallel) and joined (pdf_join) must be the PDF
one WeasyPrint document gives: the same words at the same places on the same pages, the same
structure tree, links and bookmarks; and the same bytes every time."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import os
import random
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest

from conftest import (
    REGISTER_HEADINGS,
    RETURN_HEADINGS,
    keep_draft,
    make_paper,
    make_workspace,
    marked_content_problems,
    pdf_problems,
    plan_row_labels,
    tagged_text,
    write_xlsx,
)
from reportgen.errors import ReportgenError
from reportgen.long_words import breakable_paper
from reportgen.model import Block, Inline, Paper, PaperCell, PaperRow, PaperSection, StatusMove
from reportgen.paper_rules import ARROW_WORDS
from reportgen.render.pdf import html as pdf_html
from reportgen.render.pdf import parallel as pdf_parallel
from reportgen.render.pdf import parts as pdf_parts
from reportgen.render.pdf import worker as pdf_worker
from reportgen.render.pdf import writer as pdf_writer
from reportgen.render.pdf.artifacts import furniture_as_artifacts
from reportgen.render.pdf.tall_rows import keeping_headers
from reportgen.run.build import build_draft

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
pytestmark = pytest.mark.slow  # lays out a 40-page paper several times (~1 min)


def _long_paper() -> Paper:
    """~130 plan rows of uneven height, a level-2 section, a row taller than a page, a marking,
    changes since the last draft and an exempt note."""
    paper = make_paper(126, 5)
    sections = []
    for number, section in enumerate(paper.sections):
        rows = tuple(_uneven(row) for row in section.rows)
        sections.append(dataclasses.replace(section, rows=rows, level=2 if number == 3 else 1))
    return dataclasses.replace(
        paper, sections=tuple(sections), marking="OFFICIAL-SENSITIVE", edition="restricted",
        changes=(StatusMove(7, "Action 7", "Not started", "In progress"),),
        exempt_note="2 actions are exempt from publication and are not shown.")


def _uneven(row: PaperRow) -> PaperRow:
    explanation = next(cell for cell in row.cells if cell.key == "explanation")
    repeat = 60 if row.ref == 40 else row.ref % 5  # action 40 is longer than a page
    extra = tuple(Block("paragraph", (Inline(f"Further detail {n} on action {row.ref}: the board asked for a "
                                             "second report, with figures for each district."),))
                  for n in range(repeat))
    rich = (*explanation.rich, *extra)
    cells = tuple(dataclasses.replace(cell, rich=rich, text="\n".join(b.text for b in rich))
                  if cell.key == "explanation" else cell for cell in row.cells)
    return dataclasses.replace(row, cells=cells)


def _one_document(paper: Paper, out: Path) -> Path:
    """The paper as one WeasyPrint document, with rows taller than a page laid out as `write_whole` does."""
    html = pdf_html.render_html(paper, TEMPLATES.resolve())
    _, document = keeping_headers(pdf_parts.lay_out(html, TEMPLATES.resolve()),
                                  lambda tall: pdf_parts.lay_out(html, TEMPLATES.resolve(), breakable=tall))
    # as `write_whole` does
    out.write_bytes(furniture_as_artifacts(pdf_parts.write_document(document, paper), paper.spoken_sentences))
    return out


@pytest.fixture(scope="module")
def long_paper() -> Paper:
    return _long_paper()


@pytest.fixture(scope="module")
def whole(long_paper: Paper, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _one_document(long_paper, tmp_path_factory.mktemp("whole") / "paper.pdf")


class _Messages(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def parts_log(long_paper: Paper, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """In pieces of ~20 rows (so several joins, and a piece that meets the long row)."""
    messages = _Messages()
    logger = logging.getLogger("reportgen.render.pdf.parallel")
    logger.addHandler(messages)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pdf_parallel, "PIECE_ITEMS", 20)
            patch.setattr(pdf_parallel, "usable_cores", lambda: 2)  # workers, and pieces prepared ahead
            out = tmp_path_factory.mktemp("parts") / "paper.pdf"
            pdf_writer.write_pdf(long_paper, TEMPLATES, out)
    finally:
        logger.removeHandler(messages)
        logger.setLevel(level)
    return out, messages.messages


@pytest.fixture(scope="module")
def parts(parts_log: tuple[Path, list[str]]) -> Path:
    return parts_log[0]


# ---------------------------------------------------------------- what is compared


def _words(path: Path) -> list[list[tuple[float, float, str]]]:
    with pdfplumber.open(path) as pdf:
        return [sorted((round(w["x0"], 1), round(w["top"], 1), w["text"]) for w in page.extract_words())
                for page in pdf.pages]


def _structure(path: Path) -> list[tuple[int, str, int | None]]:
    """The structure tree from its root: (depth, type, page) per element, MCID and link object."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        found: list[tuple[int, str, int | None]] = []

        def walk(node: pikepdf.Object, depth: int) -> None:
            page = node.get("/Pg")
            found.append((depth, str(node.get("/S")), pages.get(page.objgen) if page is not None else None))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    walk(kid, depth + 1)
                else:
                    found.append((depth + 1, "OBJR" if isinstance(kid, pikepdf.Dictionary) else "MCID", None))

        root = pdf.Root.StructTreeRoot
        for kid in root.K if isinstance(root.K, pikepdf.Array) else [root.K]:
            walk(kid, 0)
        return found


def _links(path: Path) -> list[tuple[int, str, list[float]]]:
    with pikepdf.open(path) as pdf:
        return [(number, str(annot.A.URI), [round(float(x), 1) for x in annot.Rect])
                for number, page in enumerate(pdf.pages) for annot in page.obj.get("/Annots", [])]


def _bookmarks(path: Path) -> list[tuple[int, str, int, list[float]]]:
    """(depth, title, page, where it points) of each bookmark, in order."""
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        pages = [page.objgen for page in pdf.pages]

        def walk(items: list[pikepdf.OutlineItem], depth: int) -> Iterator[tuple[int, str, int, list[float]]]:
            for item in items:
                where = [round(float(value), 2) for value in item.destination[2:4]]
                yield depth, item.title, pages.index(item.destination[0].objgen), where
                yield from walk(item.children, depth + 1)

        return list(walk(outline.root, 1))


# ---------------------------------------------------------------- the same PDF


def test_the_long_paper_is_laid_out_in_parts(long_paper: Paper, parts_log: tuple[Path, list[str]]) -> None:
    assert len(pdf_parts.plan_items(long_paper)) >= pdf_parallel.MIN_PARTS_ITEMS
    logged = [message for message in parts_log[1] if message.startswith("PDF in parts: 2 workers")]
    assert len(logged) == 1
    found = re.search(r"(\d+) pieces \((\d+) prepared ahead\)", logged[0])
    assert found is not None
    pieces, ahead = map(int, found.groups())
    # which pieces are prepared ahead depends on which worker is free when (the front and the furniture
    # compete for them), so only that preparing happens is asserted; the same bytes either way are
    # asserted by the tests comparing the parts with the whole document
    assert pieces >= 5 and 1 <= ahead < pieces  # the first piece is never prepared


def test_same_words_in_the_same_places_on_the_same_pages(whole: Path, parts: Path) -> None:
    assert _words(parts) == _words(whole)


def test_same_structure_tree_links_and_bookmarks(whole: Path, parts: Path, long_paper: Paper) -> None:
    assert _structure(parts) == _structure(whole)
    assert _links(parts) == _links(whole)
    assert _bookmarks(parts) == _bookmarks(whole)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Link", "/L", "/LI"} <= {kind for _, kind, _ in _structure(parts)}
    # the plan and each of its sections have a bookmark (under the paper's title), though the pieces
    # that hold them are laid out apart from the front
    marks = _bookmarks(parts)
    plan = next(index for index, (_depth, title, _page, _where) in enumerate(marks) if title == "Delivery plan")
    sections = [(2 + section.level, section.heading) for section in long_paper.sections if section.heading]
    assert marks[plan][0] == 2 and [(depth, title) for depth, title, _, _ in marks[plan + 1:]] == sections
    assert {depth for depth, _ in sections} == {3, 4}  # sections, and sections within them
    assert len({page for _, _, page, _ in marks[plan + 1:]}) > 2  # in several pieces


def test_the_plan_is_one_table_in_parts_as_in_one_document(whole: Path, parts: Path, long_paper: Paper) -> None:
    """Its parts' tables, and each part's tables page by page, are one Table: one head, every row in order;
    every marked run in the tree or an artifact (the repeated header rows). Action 40, taller than a page,
    is one row over the pages it is on, its number its row header on each (WeasyPrint tags a row per page,
    the later ones with an empty number cell: their "40 (continued)" is an artifact)."""
    expected = [label for section in long_paper.sections for label in
                [*([section.heading] if section.heading else []), *(str(row.ref) for row in section.rows)]]
    for path in (whole, parts):
        plans, labels, pages = plan_row_labels(path, len(long_paper.columns))
        assert plans == 1 and labels == expected and len({row[0] for row in pages}) > 30
        tall = pages[labels.index("40")]
        assert len(tall) > 2 and tall == list(range(tall[0], tall[-1] + 1))
        assert all(len(row) <= 2 for label, row in zip(labels, pages, strict=True) if label != "40")
        assert marked_content_problems(path) == []
        assert Counter(kind for _, kind, _ in _structure(path))["/THead"] == pdf_html.render_html(
            long_paper, TEMPLATES.resolve()).count("<thead")


def test_the_joined_pdf_is_marked_in_its_properties_as_one_document_is(parts: Path, whole: Path,
                                                                          long_paper: Paper) -> None:
    """The marking is in the title and keywords (info and XMP) of a long paper's joined PDF too."""
    for path in (parts, whole):
        with pikepdf.open(path) as pdf:
            info, xmp = pdf.docinfo, pdf.open_metadata()
            shown = (str(info["/Title"]), str(info["/Keywords"]), str(xmp["dc:title"]), str(xmp["pdf:Keywords"]))
        title = f"OFFICIAL-SENSITIVE – {long_paper.title}"
        assert shown == (title, "OFFICIAL-SENSITIVE", title, "OFFICIAL-SENSITIVE"), path


def test_every_page_has_its_number_title_and_marking(parts: Path, long_paper: Paper) -> None:
    pages = [page.extract_text() for page in pypdf.PdfReader(parts).pages]
    assert len(pages) > 30
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "OFFICIAL-SENSITIVE" in text
        assert number == 1 or long_paper.title in text  # the running title (page 1 shows the title itself)


def test_metadata_and_marked_content_stay_well_formed(parts: Path, long_paper: Paper) -> None:
    with pikepdf.open(parts) as pdf:
        assert str(pdf.Root.Lang) == "en-GB" and bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.docinfo["/Title"]) == long_paper.document_title  # marked: "OFFICIAL-SENSITIVE – …"
        assert pdf.open_metadata()["pdfuaid:part"] == "1"
        tree = pdf.Root.StructTreeRoot
        nums = tree.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert int(tree.ParentTreeNextKey) == len(parents)
        for page in pdf.pages:
            for element in parents[int(page.obj.StructParents)]:  # None: a repeated header row, an artifact
                assert element is None or element.Pg.objgen == page.obj.objgen  # a marked run's element is on its page
            for annotation in page.obj.get("/Annots", []):
                assert parents[int(annotation.StructParent)].S == "/Link"
        tags = [str(font.BaseFont)[1:7] for font in _fonts(pdf)]
        assert len(tags) == len(set(tags))  # each subset has a tag of its own


def test_one_embedded_font_per_face(parts: Path, whole: Path) -> None:
    """The parts' subsets of a face are one font in the joined PDF (render/pdf/subsets.py), as in one document."""
    with pikepdf.open(parts) as joined, pikepdf.open(whole) as one:
        faces = Counter(str(font.BaseFont).split("+")[-1] for font in _fonts(joined))
        assert faces == Counter(str(font.BaseFont).split("+")[-1] for font in _fonts(one))
    assert set(faces.values()) == {1}


def test_the_joined_pdf_passes_qpdfs_check(parts: Path) -> None:
    """The joiner writes its own objects, object streams and cross-reference: QPDF finds nothing wrong."""
    assert pdf_problems(parts) == []


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    fonts: dict[tuple[int, int], pikepdf.Object] = {}
    for page in pdf.pages:
        for _, xobject in page.obj.Resources.get("/XObject", {}).items():
            for _, font in xobject.get("/Resources", {}).get("/Font", {}).items():
                fonts[font.objgen] = font
        for _, font in page.obj.Resources.get("/Font", {}).items():
            fonts[font.objgen] = font
    return list(fonts.values())


def test_page_furniture_is_an_artifact(parts: Path) -> None:
    with pikepdf.open(parts) as pdf:
        for page in pdf.pages:
            xobjects = page.obj.Resources.XObject
            for name in ("/ReportgenFurniture", "/ReportgenPageNumber"):
                operators = [str(op) for _, op in pikepdf.parse_content_stream(xobjects[name])]
                assert "BDC" not in operators and "BMC" in operators


def test_page_furniture_is_drawn_once_per_kind_of_page_and_numbered_page_by_page(parts: Path) -> None:
    """The running title, marking and logo: one form per kind of page (the first, left and right front
    pages, left and right plan pages), shared by the pages of that kind; "Page X of Y": one per page."""
    with pikepdf.open(parts) as pdf:
        kinds = [page.obj.Resources.XObject["/ReportgenFurniture"].objgen for page in pdf.pages]
        numbers = [page.obj.Resources.XObject["/ReportgenPageNumber"].objgen for page in pdf.pages]
        landscape = [page.mediabox[2] > page.mediabox[3] for page in pdf.pages]
        assert len(pdf.pages) > 30 and len(set(numbers)) == len(pdf.pages)
        assert 3 <= len(set(kinds)) <= 5
        for number, (kind, wide) in enumerate(zip(kinds, landscape), start=1):
            same = [other for other, (k, w) in enumerate(zip(kinds, landscape), start=1) if k == kind]
            assert all(landscape[other - 1] == wide and (number == 1) == (other == 1) and other % 2 == number % 2
                       for other in same)
        text = pikepdf.parse_content_stream(pdf.pages[5].obj.Resources.XObject["/ReportgenPageNumber"])
        assert any(str(op) == "Tj" or str(op) == "TJ" for _, op in text)


@pytest.mark.parametrize("numbering", ["numbered at the foot's centre", "no page numbers"])
def test_a_stylesheet_numbering_pages_elsewhere_or_not_at_all(long_paper: Paper, tmp_path: Path,
                                                              numbering: str) -> None:
    """Which margin boxes number the pages is read from the laid-out boxes, not assumed: a workspace's
    stylesheet may number pages in another box, or not at all."""
    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("paper.html.j2", "paper.css"):
        (templates / name).write_bytes((TEMPLATES / name).read_bytes())
    footer = ('@bottom-center { content: "p. " counter(page); }' if numbering.startswith("numbered")
              else "@bottom-center { content: string(marking); }")
    with (templates / "paper.css").open("a") as css:
        css.write(f"\n@page {{ @bottom-right {{ content: none; }} {footer} }}\n")
    out = tmp_path / "paper.pdf"
    pdf_writer.write_pdf(long_paper, templates, out)
    pages = [page.extract_text() for page in pypdf.PdfReader(out).pages]
    assert len(pages) > 30
    for number, text in enumerate(pages, start=1):
        assert not re.search(r"Page \d+ of \d+", text)
        assert (re.search(rf"^p\. {number}$", text, re.MULTILINE) is not None) == numbering.startswith("numbered")
        assert "OFFICIAL-SENSITIVE" in text
    with pikepdf.open(out) as pdf:
        named = {str(name) for page in pdf.pages for name in page.obj.Resources.XObject}
    assert ("/ReportgenPageNumber" in named) == numbering.startswith("numbered")
    assert not pdf_problems(out)


def test_same_bytes_every_time_and_with_any_number_of_workers(long_paper: Paper, parts: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_parallel, "PIECE_ITEMS", 20)
    pdf_writer.write_pdf(long_paper, TEMPLATES, tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes() == parts.read_bytes()
    monkeypatch.setattr(pdf_parallel, "usable_cores", lambda: 1)  # all in this process, one task after another
    pdf_writer.write_pdf(long_paper, TEMPLATES, tmp_path / "here.pdf")
    assert (tmp_path / "here.pdf").read_bytes() == parts.read_bytes()


# ---------------------------------------------------------------- the parts themselves


def test_a_piece_without_its_section_heading_goes_on_without_one(long_paper: Paper) -> None:
    items = pdf_parts.plan_items(long_paper)
    heading = next(index for index, item in enumerate(items) if item.row is None)
    sliced = pdf_parts.plan_slice(long_paper, items, heading + 1, heading + 4)
    assert [section.heading for section in sliced.sections] == [""]
    assert len(sliced.rows) == 3 and sliced.exempt_note == ""
    whole = pdf_parts.plan_slice(long_paper, items, 0, len(items))
    assert whole.sections == long_paper.sections and whole.exempt_note == long_paper.exempt_note


@pytest.mark.parametrize("start", ["mid-section", "section heading"])
def test_a_prepared_piece_lays_out_as_its_rows_alone(long_paper: Paper, start: str) -> None:
    """Rows rendered and styled from earlier, then dropped before the boxes are built, give the very
    pages (and bytes) that rendering only the rows from the start gives."""
    items = pdf_parts.plan_items(long_paper)
    heading = next(index for index, item in enumerate(items) if item.row is None and index > 20)
    first = heading + 2 if start == "mid-section" else heading
    end = first + 25
    prepared = pdf_parts.Prepared(long_paper, TEMPLATES.resolve(), first - 9, end)
    assert prepared.covers(first, end) and not prepared.covers(first - 10, end) and not prepared.covers(first, end + 1)
    source, document = prepared.lay_out(first)
    templates = TEMPLATES.resolve()
    alone = pdf_html.render_html(pdf_parts.plan_slice(long_paper, items, first, end), templates, part="plan",
                                 plan_heading=False, plan_ends=False)  # as a piece from `first` is rendered
    source_alone, document_alone = pdf_parts.lay_out(alone, templates)
    assert pdf_parts.page_starts(source, document) == pdf_parts.page_starts(source_alone, document_alone)
    assert len(document.pages) >= 3
    assert pdf_parts.write_document(document, long_paper) == pdf_parts.write_document(document_alone, long_paper)


def test_short_papers_and_templates_without_parts_are_one_document(tmp_path: Path) -> None:
    assert pdf_parallel.write_in_parts(make_paper(20, 2), TEMPLATES) is None
    custom = tmp_path / "templates"
    custom.mkdir()
    (custom / "paper.css").write_bytes((TEMPLATES / "paper.css").read_bytes())
    template = (TEMPLATES / "paper.html.j2").read_text()
    (custom / "paper.html.j2").write_text(re.sub(r"<!-- reportgen:part [^>]*-->", "", template))
    assert pdf_parallel.write_in_parts(_long_paper(), custom) is None


def test_a_last_piece_written_after_the_furniture_is_still_joined(long_paper: Paper, parts: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The furniture can be written before the last piece (a long last piece, a quick furniture): the
    paper waits for every part, whatever order the workers finish in."""
    run_piece = pdf_parts._run_piece

    def slow_last_write(*args: object) -> Iterator[pdf_parts.Message]:
        last = False
        for message in run_piece(*args):  # type: ignore[arg-type]
            last = last or (isinstance(message, pdf_parts.Laid) and message.next_start is None)
            if last and isinstance(message, pdf_parts.Written):
                time.sleep(3)  # the furniture (two small documents) is written meanwhile
            yield message

    monkeypatch.setattr(pdf_parts, "_run_piece", slow_last_write)  # the workers are forked: they see it
    monkeypatch.setattr(pdf_parallel, "PIECE_ITEMS", 20)
    monkeypatch.setattr(pdf_parallel, "usable_cores", lambda: 2)
    pdf_writer.write_pdf(long_paper, TEMPLATES, tmp_path / "paper.pdf")
    assert (tmp_path / "paper.pdf").read_bytes() == parts.read_bytes()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_same_bytes_whatever_order_the_workers_finish_in(long_paper: Paper, parts: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    run_task = pdf_worker.run_task

    def jittered(*args: object) -> Iterator[pdf_parts.Message]:
        rng = random.Random(f"{seed}-{os.getpid()}-{args[2]}")  # each worker and task its own delays
        for message in run_task(*args):  # type: ignore[arg-type]
            time.sleep(rng.uniform(0, 0.4))
            yield message

    monkeypatch.setattr(pdf_worker, "run_task", jittered)
    monkeypatch.setattr(pdf_parallel, "PIECE_ITEMS", 20)
    monkeypatch.setattr(pdf_parallel, "usable_cores", lambda: 3)  # three workers on however many cores
    pdf_writer.write_pdf(long_paper, TEMPLATES, tmp_path / "paper.pdf")
    assert (tmp_path / "paper.pdf").read_bytes() == parts.read_bytes()


def test_a_failing_part_stops_the_workers_and_is_raised(long_paper: Paper, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(paper: Paper, templates: Path, task: pdf_parts.Task,
                prepared: object = None) -> Iterator[pdf_parts.Laid]:
        raise RuntimeError(f"cannot lay out {type(task).__name__}")
        yield  # a generator, like run_task

    monkeypatch.setattr(pdf_worker, "run_task", failing)
    monkeypatch.setattr(pdf_parallel, "usable_cores", lambda: 2)
    with pytest.raises(RuntimeError, match="cannot lay out"):
        pdf_writer.write_pdf(long_paper, TEMPLATES, tmp_path / "paper.pdf")
    assert not (tmp_path / "paper.pdf").exists()
    assert multiprocessing.active_children() == []


def _unreadable() -> object:
    raise RuntimeError("this paper cannot be read back")


class _Unreadable:
    def __reduce__(self) -> tuple[object, tuple[()]]:
        return _unreadable, ()


def test_a_paper_the_first_early_worker_cannot_read_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first early worker takes the paper before it forks the others: its failure to, here."""
    monkeypatch.setattr(pdf_parallel, "usable_cores", lambda: 2)
    workers = pdf_parallel.start_workers(TEMPLATES)
    assert workers is not None
    with workers, pytest.raises(RuntimeError, match="cannot be read back"):
        workers._send_paper(_Unreadable())  # type: ignore[arg-type]
        workers._receive(next(iter(workers.processes)))
    assert multiprocessing.active_children() == []


def test_workers_closed_by_their_build_while_writing_say_it_stopped_and_are_not_retried(
        long_paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run cancelled from the UI or `prefect flow-run cancel`: Prefect stops the flow's main thread, whose
    build closes its PDF workers while the render-pdf task (another thread) writes with them. The pipes
    failed as an I/O error ("handle is closed"), which the flow retries: the cancelled run laid its PDF out
    again (~20 s on two cores) and logged "Retry 1/2" before it ended Cancelled."""
    from prefect.states import Failed

    from reportgen.shells.prefect_flows import retry_on_io_error

    monkeypatch.setattr(pdf_parallel, "usable_cores", lambda: 2)
    workers = pdf_parallel.start_workers(TEMPLATES)
    assert workers is not None
    raised: list[BaseException] = []
    laying_out, stopping = threading.Event(), threading.Event()
    receive = pdf_parallel.PdfWorkers._receive

    def first_part_then_wait(self: pdf_parallel.PdfWorkers, connection: Connection) -> object:
        message = receive(self, connection)
        laying_out.set()  # a part is back: the paper is being laid out, with more to come
        stopping.wait(60)  # (a fast machine would otherwise finish the paper before it is stopped)
        return message

    monkeypatch.setattr(pdf_parallel.PdfWorkers, "_receive", first_part_then_wait)

    def write() -> None:
        try:
            workers.write(long_paper)
        except BaseException as exc:  # what the task would see
            raised.append(exc)

    writing = threading.Thread(target=write)
    writing.start()
    assert laying_out.wait(60)
    stopping.set()
    workers.close()
    writing.join(60)
    assert not writing.is_alive()
    [error] = raised
    assert isinstance(error, ReportgenError) and str(error) == "the PDF was not written: the build was stopped"
    assert retry_on_io_error(None, None, Failed(data=error)) is False  # type: ignore[arg-type]
    assert multiprocessing.active_children() == []


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def test_workers_stopped_by_sigterm_while_writing_say_so(long_paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment run cancelled: Prefect sends SIGTERM to the run's whole process group, and the PDF workers
    may end before the build hears of it. The render-pdf task logged "a PDF worker process ended
    unexpectedly" as an ERROR, which reads as a fault; it says they were stopped, and is not retried."""
    from prefect.states import Failed

    from reportgen.shells.prefect_flows import retry_on_io_error

    monkeypatch.setattr(pdf_parallel, "usable_cores", lambda: 2)
    workers = pdf_parallel.start_workers(TEMPLATES)
    assert workers is not None
    receive = pdf_parallel.PdfWorkers._receive
    stopped = threading.Event()

    def stop_after_first_part(self: pdf_parallel.PdfWorkers, connection: Connection) -> object:
        message = receive(self, connection)
        if not stopped.is_set():
            stopped.set()
            [first] = [process for process in self.processes.values() if process is not None]
            for pid in [*_children(first.pid), first.pid]:  # the group's SIGTERM, to the workers alone
                os.kill(pid, signal.SIGTERM)
        return message

    monkeypatch.setattr(pdf_parallel.PdfWorkers, "_receive", stop_after_first_part)
    with workers, pytest.raises(ReportgenError) as raised:
        workers.write(long_paper)
    assert str(raised.value) == ("the PDF was not written: its PDF worker processes were stopped (SIGTERM): the run "
                                 "was cancelled or stopped")
    assert retry_on_io_error(None, None, Failed(data=raised.value)) is False  # type: ignore[arg-type]
    assert multiprocessing.active_children() == []


def test_workers_closed_before_the_paper_is_sent_say_the_build_stopped(long_paper: Paper,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A run cancelled while its inputs were still being read: the task's write found no worker to send the
    paper to, and failed with a bare StopIteration."""
    monkeypatch.setattr(pdf_parallel, "usable_cores", lambda: 2)
    workers = pdf_parallel.start_workers(TEMPLATES)
    assert workers is not None
    workers.close()
    with pytest.raises(ReportgenError, match=r"^the PDF was not written: the build was stopped$"):
        workers.write(long_paper)
    assert multiprocessing.active_children() == []


def test_a_row_longer_than_a_page_is_split_as_in_one_document(long_paper: Paper, whole: Path, parts: Path) -> None:
    pages = [page.extract_text() for page in pypdf.PdfReader(parts).pages]
    holding = [number for number, text in enumerate(pages) if "Further detail" in text and "action 40" in text]
    assert len(holding) >= 3  # the long row runs over pages, as it does in one document
    assert _words(parts)[holding[0]] == _words(whole)[holding[0]]
    # it starts where it falls, after other rows, and every page it runs onto keeps the table's header row
    # (WeasyPrint dropped the header on a page it could not fit an unbreakable row on)
    first = pages[holding[0]]
    assert first.index("reporting period") < first.index("Action 39") < first.index("Further detail 0 on action 40")
    for path in (whole, parts):
        texts = [page.extract_text() for page in pypdf.PdfReader(path).pages]
        plan = [n for n, text in enumerate(texts) if "on action" in text]
        assert holding[1] in plan and all("reporting period" in texts[n] for n in plan), path.parent.name
        # each page it runs onto says which action it continues, as furniture (an artifact), not a second action
        assert [n for n, text in enumerate(texts) if "(continued)" in text] == holding[1:], path.parent.name
        assert all(len(re.findall(r"\b40\s+\(continued\)", texts[n])) == 1 for n in holding[1:])
        assert "(continued)" not in first
        assert not any("continued" in text for text in tagged_text(path).values())


def test_cells_with_text_only_and_empty_sections_render(tmp_path: Path) -> None:
    paper = make_paper(100, 3)
    plain = tuple(dataclasses.replace(section, rows=tuple(
        dataclasses.replace(row, cells=tuple(PaperCell(c.key, c.text) for c in row.cells)) for row in section.rows))
        for section in paper.sections)
    paper = dataclasses.replace(paper, sections=(*plain, PaperSection("Empty", 1, ())))
    pdf_writer.write_pdf(paper, TEMPLATES, tmp_path / "paper.pdf")
    assert _words(tmp_path / "paper.pdf") == _words(_one_document(paper, tmp_path / "whole.pdf"))


def test_every_page_looks_the_same(whole: Path, parts: Path) -> None:
    import pypdfium2

    ones, joined = pypdfium2.PdfDocument(whole), pypdfium2.PdfDocument(parts)
    assert len(ones) == len(joined)
    for number in range(len(ones)):
        one = ones[number].render(scale=0.5).to_pil().convert("L").tobytes()
        other = joined[number].render(scale=0.5).to_pil().convert("L").tobytes()
        assert one == other, f"page {number + 1}"


# ---------------------------------------------------------------- what a screen reader hears, in parts


SAFER = "https://example.org/safer-wessex"
LONG_LINK = ("the Safer Wessex Partnership's joint delivery plan for victims, witnesses and the families of those "
             "harmed by crime, 2026 to 2029")
LONG_URL = "https://example.org/panel/papers/2026/october/annex-b-delivery-plan-for-victims-witnesses-and-families"


def _moving_status(ref: int, n: int) -> str:
    """Action `ref`'s status in period `n` (0, 1): some move up, down and across; the rest stay as they were."""
    moves = {1: ("Not started", "In progress"), 2: ("Completed", "In progress"), 3: ("On hold", "Not started")}
    return moves[ref % 9][n] if ref % 9 in moves else ("In progress", "Completed", "Not started")[ref % 3]


def _moving_explanation(ref: int) -> str:
    """A link named in words for some actions, one named at such length it breaks over lines, bare URLs (one
    so long it breaks too), a partner's own arrow."""
    if ref == 17:
        return f'Agreed in <a href="https://example.org/joint-plan">{LONG_LINK}</a>, with the Board.'
    if ref == 27:
        return f"The annex is at {LONG_URL} for the Board."
    if ref == 30:
        return "Phase 1 → phase 2 by the spring."  # a partner's own arrow: not a movement, said as it is
    if ref % 10 == 4:
        return f'See the <a href="{SAFER}">Safer Wessex Plan</a> for action {ref}.'
    return f"See https://example.org/plan/{ref} for the papers." if ref % 10 == 8 else f"Update on {ref}."


def _links_of(ref: int) -> list[tuple[str, str]]:
    """(URL, text) of the links of `_moving_explanation(ref)`."""
    named = re.findall(r'<a href="([^"]+)">([^<]+)</a>', _moving_explanation(ref))
    return named or [(url, url) for url in re.findall(r"https://\S+", _moving_explanation(ref))]


def _moving_workspace(root: Path, actions: int = 64) -> Path:
    """`actions` actions over four sections and two leads, their returns for 2026-09 and then 2026-10, in
    which some statuses move (`_moving_status`): its 2026-09 draft is kept."""
    sections = ("", "Victims", "Justice", "Prevention")
    register = [REGISTER_HEADINGS, *((ref, sections[ref * 4 // (actions + 1)], ("OPCC", "Wessex Police")[ref % 2],
                                      f"Action {ref} of the plan.", str(ref)) for ref in range(1, actions + 1))]

    def returns(n: int) -> dict[str, list[tuple[object, ...]]]:
        by_lead: dict[str, list[tuple[object, ...]]] = {"opcc.xlsx": [RETURN_HEADINGS],
                                                         "wessex-police.xlsx": [RETURN_HEADINGS]}
        for ref, _section, lead, action, _page in register[1:]:  # type: ignore[misc]
            by_lead[("opcc.xlsx", "wessex-police.xlsx")[lead != "OPCC"]].append(
                (ref, action, _moving_status(ref, n), _moving_explanation(ref), "2027"))
        return by_lead

    make_workspace(root, period="2026-09", returns=returns(0), register=register)
    keep_draft(root, "2026-09")
    for name, rows in returns(1).items():
        write_xlsx(root / "inputs" / "returns" / "2026-10" / name, rows)
    return root


def _spoken(path: Path) -> list[tuple[int, str, str]]:
    """(page from 0, the text its marked runs draw, /ActualText) of each structure element with an /ActualText,
    in the tree's order."""
    texts = tagged_text(path)
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        found: list[tuple[int, str, str]] = []

        def drawn(element: pikepdf.Object) -> str:
            kids = element.get("/K")
            return "".join(texts.get((pages[element.Pg.objgen], kid), "") if isinstance(kid, int) else drawn(kid)
                           for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
                           if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and "/S" in kid))

        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if "/ActualText" in node:
                found.append((pages[node.Pg.objgen], drawn(node), str(node.ActualText)))
            kids = node.get("/K")
            stack.extend(reversed([kid for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
                                   if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]))
        return found


def _described_links(path: Path) -> list[tuple[int, str, str, str]]:
    """(page from 0, URL, /Contents, the text drawn inside its /Rect) of each link annotation, in page order."""
    with pikepdf.open(path) as pdf:
        annotations = [(number, str(annot.A.URI), str(annot.get("/Contents", "")), [float(x) for x in annot.Rect])
                       for number, page in enumerate(pdf.pages) for annot in page.obj.get("/Annots", [])]
    with pdfplumber.open(path) as plumbed:
        heights = [float(page.height) for page in plumbed.pages]
        chars = [page.chars for page in plumbed.pages]
    described = []
    for number, url, contents, (x0, y0, x1, y1) in annotations:
        top, bottom = heights[number] - max(y0, y1), heights[number] - min(y0, y1)
        inside = "".join(char["text"] for char in chars[number]
                         if min(x0, x1) < (char["x0"] + char["x1"]) / 2 < max(x0, x1)
                         and top < (char["top"] + char["bottom"]) / 2 < bottom)
        described.append((number, url, contents, inside))
    return described


def _whole_links(links: list[tuple[int, str, str, str]]) -> list[tuple[str, str, list[str]]]:
    """(URL, /Contents, the text under each of its annotations) of each link: a link broken over lines is
    annotations one after another to the same place with the same description, until its text is all drawn."""
    whole: list[tuple[str, str, list[str]]] = []
    for _page, url, contents, inside in links:
        if whole and whole[-1][:2] == (url, contents) and "".join(whole[-1][2]).replace(" ", "") != contents.replace(
                " ", ""):
            whole[-1][2].append(inside)
        else:
            whole.append((url, contents, [inside]))
    return whole


def test_a_long_paper_with_movements_and_named_links_is_heard_as_one_document_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A paper long enough to be laid out in parts and joined, with statuses moved since the last period and
    links named in words (one broken over two lines): each arrow's element has its words as /ActualText, the
    summary's legend is read in words, and each link annotation is described by the text drawn under it; all
    as the same paper laid out as one document."""
    monkeypatch.setattr(pdf_parallel, "PIECE_ITEMS", 20)  # several pieces, so several joins
    result = build_draft(_moving_workspace(tmp_path / "ws"), period="2026-10")
    paper = breakable_paper(result.paper)
    assert paper.progress is not None and pdf_parallel.in_parts(paper, TEMPLATES)
    moved = [row.movement[0] for row in paper.rows if row.movement[:1] in ARROW_WORDS]
    assert set(moved) == set(ARROW_WORDS)  # up, down and across
    joined, whole = result.folder / "paper.pdf", _one_document(paper, tmp_path / "whole.pdf")
    summary = "".join(ARROW_WORDS.get(char, char) for char in paper.progress.summary)
    assert "moved forward (Moved up)" in summary

    for path in (joined, whole):
        spoken = _spoken(path)
        arrows = [(drawn, said) for _page, drawn, said in spoken if drawn in ARROW_WORDS]
        assert arrows == [(arrow, ARROW_WORDS[arrow]) for arrow in moved], path.name
        legend = [said for _page, drawn, said in spoken if drawn not in ARROW_WORDS]
        assert legend == [" ".join(summary.split())], path.name
        links = _described_links(path)
        # each link described by its text, read whole: a name's words a space apart, an address as it is
        assert [(url, contents) for url, contents, _under in _whole_links(links)] == [
            (url, text) for ref in (row.ref for row in paper.rows) for url, text in _links_of(ref)], path.name
        # and the text drawn under each link's annotations, its lines a space apart, is that text
        assert all(" ".join(under) == contents or "".join(under) == contents == url
                   for url, contents, under in _whole_links(links)), path.name
        broken = {url: len(under) for url, _contents, under in _whole_links(links) if len(under) > 1}
        assert broken == {"https://example.org/joint-plan": 2, LONG_URL: 2}, path.name
    assert _spoken(joined) == _spoken(whole)
    assert _described_links(joined) == _described_links(whole)
