"""One WeasyPrint document to PDF bytes, reproducibly: the same HTML gives the same bytes.

Shared by the paper's PDF (`reportgen.render.pdf.writer`, and each part in `reportgen.render.pdf.parts`) and the
diff's (`reportgen.diff.render`). Importing it does not import WeasyPrint; `write_whole` does.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportgen.model import Paper
from reportgen.paper_rules import document_title
from reportgen.render.pdf.html import render_html


def write_whole(paper: Paper, templates: Path) -> bytes:
    """The paper's PDF as one WeasyPrint document (PDF/UA-1, its identifier a hash of the HTML), its page
    furniture marked as artifacts (`reportgen.render.pdf.artifacts`)."""
    from weasyprint import HTML

    from reportgen.render.pdf.artifacts import furniture_as_artifacts
    from reportgen.render.pdf.fetch import TemplateFetcher
    from reportgen.render.pdf.kept_whole import kept_whole_unless_too_tall, let_break
    from reportgen.render.pdf.table_tags import RowGroups
    from reportgen.render.pdf.tall_rows import LaidOut, allow_breaks, keeping_headers, place_continued_labels

    html = render_html(paper, templates)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    options = {"pdf_variant": "pdf/ua-1", "pdf_identifier": identifier, "uncompressed_pdf": False}

    def lay_out(breakable: Collection[int], blocks: Collection[int] = ()) -> LaidOut:
        source = HTML(string=html, base_url=str(templates) + os.sep, url_fetcher=TemplateFetcher(templates))
        let_break(source.etree_element, blocks)
        allow_breaks(source.etree_element, breakable)
        document = source.render(**options)
        if breakable:
            place_continued_labels(document)
        return source, document

    with font_timestamp(paper.pdf_created):
        # a block taller than a page breaks where it falls (`kept_whole`); so does a plan row (`tall_rows`)
        first, blocks = kept_whole_unless_too_tall(lambda blocks: lay_out((), blocks))
        _, document = keeping_headers(first, lambda rows: lay_out(rows, blocks))
        mark_metadata(document.metadata, paper.marking, paper.title_marking)
        data: bytes = document.write_pdf(**options)
    return furniture_as_artifacts(data, paper.spoken_sentences, RowGroups.of(paper), paper.other_language_passages)


def mark_metadata(metadata: Any, marking: str, title_marking: str = "") -> None:
    """A marked (restricted) or blocked (draft) PDF says so in its own properties, as its pages do: its title (a
    viewer's title bar, a file list, what a screen reader announces first) led by `title_marking` (the marking,
    "DRAFT": `Paper.title_marking`), and the marking as its keyword. The title is the template's <title>,
    whatever it says; `metadata` is WeasyPrint's, written to the PDF's info and XMP alike."""
    if title_marking or marking:
        metadata.title = document_title(metadata.title or "", title_marking or marking)
    if marking:
        metadata.keywords = [marking, *(k for k in metadata.keywords if k != marking)]


@contextmanager
def font_timestamp(created: str) -> Iterator[None]:
    """Pin the `head.modified` date fontTools writes into subset fonts, for reproducible bytes.

    Without HarfBuzz-Subset (Debian package libharfbuzz-subset0) WeasyPrint subsets fonts with
    fontTools, which stamps each subset with the current time unless SOURCE_DATE_EPOCH is set
    (reproducible-builds.org). We set it to the paper's date while rendering, under a lock as the
    environment is process-wide; a value the caller already set is kept.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    day = datetime.fromisoformat(created).replace(tzinfo=UTC) if created else datetime(2000, 1, 1, tzinfo=UTC)
    with _ENVIRONMENT_LOCK:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(day.timestamp()))
        try:
            yield
        finally:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


_ENVIRONMENT_LOCK = threading.Lock()
