"""Lay a `Paper` out as HTML (Jinja2) and write it as a tagged PDF (WeasyPrint, PDF/UA-1).

This module never decides content: wording, order, counts and labels all come from the `Paper`
that `build_paper` made. It only lays them out, with `templates/paper.html.j2` and `paper.css`.

Security: every value is autoescaped, so partner text can never become markup; and WeasyPrint
reads nothing but files inside the templates folder and base64 `data:` pictures (the template's
logo, PNG/JPEG/GIF: bytes already in the document) (`TemplateFetcher`), so no value can make it
fetch a URL, read a local file or embed an attachment.

Reproducible: the same Paper and templates give the same PDF bytes (the date is `Paper.pdf_created`,
the file identifier a hash of the HTML).

Logging: a warning for each URL WeasyPrint asks for and is refused.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, TemplateError, TemplateSyntaxError
from markupsafe import escape
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reportgen.charts import chart_src
from reportgen.errors import ReportgenError
from reportgen.files import write_atomically
from reportgen.html_env import html_environment
from reportgen.long_words import breakable_paper
from reportgen.model import Block, Inline, Paper
from reportgen.richtext import safe_href  # the link policy; a filter of the template
from reportgen.template_files import search_path
from reportgen.theme_css import LOGO_TYPES, logo_data_uri, theme_stylesheet

LOGGER = logging.getLogger(__name__)

TEMPLATE_NAME = "paper.html.j2"
MARGIN_BOXES = (  # CSS Paged Media: the 16 page-margin boxes a stylesheet can fill
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "right-top", "right-middle", "right-bottom",
    "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left", "bottom-left-corner",
    "left-bottom", "left-middle", "left-top",
)

_CSS_IDENT = re.compile(r"[a-z0-9][a-z0-9-]*")
_DATA_PICTURE = re.compile(r"(?i:data:)([a-zA-Z]+/[a-zA-Z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})")


# ---------------------------------------------------------------- fetching


class TemplateFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves files inside the templates folder and refuses the rest.

    A refused URL raises; WeasyPrint logs the error and renders on without the resource.
    """

    def __init__(self, templates: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self.root = Path(templates).resolve()
        self.roots = search_path(self.root)  # a file missing from the workspace's folder: the default one

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        picture = data_picture(url)
        if picture is not None:
            media_type, body = picture
            return URLFetcherResponse(url[:40], body=body, headers={"Content-Type": media_type})
        path = self.allowed_path(url)
        if path is None:
            LOGGER.warning("refused to fetch %r: only files inside %s are read", url[:200], self.root)
            raise ValueError(f"refused URL: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})

    def allowed_path(self, url: str) -> Path | None:
        """The file `url` names when it is a regular file inside the templates folder, else None."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost") or parts.query:
            return None
        asked = Path(url2pathname(unquote(parts.path)))
        if not asked.is_absolute() or ".." in asked.parts:
            return None
        for root in self.roots:
            try:
                inside = asked.relative_to(self.root) if asked.is_relative_to(self.root) else None
                candidate = root / inside if inside is not None else asked
                # strict: the file must exist; resolve() follows symlinks, so one pointing out is caught
                path = candidate.resolve(strict=True)
            except (OSError, RuntimeError, ValueError):
                continue
            if path.is_relative_to(root) and path.is_file():
                return path
        return None


def data_picture(url: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of a base64 `data:` URL of a PNG, JPEG or GIF picture (the template's logo) or
    an SVG (our progress charts, `reportgen.charts`); None for anything else. Partner text cannot make
    an <img>: it is escaped."""
    match = _DATA_PICTURE.fullmatch(url)
    if match is None or match[1].lower() not in (*LOGO_TYPES, "image/svg+xml"):
        return None
    try:
        return match[1].lower(), base64.b64decode(match[2], validate=True)
    except ValueError:
        return None


# ---------------------------------------------------------------- template helpers


def space_into_links(inlines: Sequence[Inline]) -> list[Inline]:
    """Move the space before a link into the link ("with the <a> Board</a>" -> "with the<a> Board</a>").

    WeasyPrint 70 sometimes breaks a line after its first word when the next line starts with a link
    whose text does not fit (the line then holds one word); with the space inside the link it breaks
    before the link, as it should. Measured over three texts at every width from 200 to 560 px.
    """
    moved = list(inlines)
    for at in range(1, len(moved)):
        before, link = moved[at - 1], moved[at]
        if link.href and not before.href and before.text.endswith(" ") and before.text.strip():
            moved[at - 1] = replace(before, text=before.text.rstrip(" "))
            moved[at] = replace(link, text=" " + link.text)
    return moved


def css_ident(value: str) -> str:
    """`value` when it is safe as a CSS class suffix, else "unknown"."""
    return value if _CSS_IDENT.fullmatch(value) else "unknown"


@dataclass(frozen=True)
class BlockGroup:
    """One block, or a run of list items of the same kind and level (`tag` "ul" or "ol")."""

    tag: str  # "ul", "ol", or "" for a single paragraph or heading
    blocks: tuple[Block, ...]


def group_blocks(blocks: tuple[Block, ...]) -> list[BlockGroup]:
    """Consecutive bullet (or number) blocks of one level become one list."""
    groups: list[BlockGroup] = []
    for block in blocks:
        tag = {"bullet": "ul", "number": "ol"}.get(block.kind, "")
        last = groups[-1] if groups else None
        if tag and last and last.tag == tag and last.blocks[0].level == block.level:
            groups[-1] = BlockGroup(tag, (*last.blocks, block))
        else:
            groups.append(BlockGroup(tag, (block,)))
    return groups


@contextmanager
def _font_timestamp(created: str) -> Iterator[None]:
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


# ---------------------------------------------------------------- stages


def _environment(templates: Path) -> Environment:
    return html_environment(templates, (("safe_href", safe_href), ("css_ident", css_ident),
                                        ("group_blocks", group_blocks), ("space_into_links", space_into_links),
                                        ("chart_src", chart_src)))


def render_html(paper: Paper, templates: Path, part: str = "all", furniture_pages: Sequence[str] = (),
                first_page: int = 1) -> str:
    """The paper as one HTML document (every value escaped), laid out by `paper.html.j2`.

    `part` other than "all" renders one part of a long paper (see `reportgen.pdf_parts`): "front"
    (title, cover, narrative, changes), "plan" (the delivery-plan rows of `paper`), or "furniture"
    (only the page headers and footers of `furniture_pages`, "front" or "plan" page by page, the
    first numbered `first_page`).
    """
    with template_errors():
        template = _environment(Path(templates).resolve()).get_template(TEMPLATE_NAME)
        html = template.render(
            paper=paper,
            created=paper.pdf_created,
            part=part,
            furniture_pages=tuple(furniture_pages),
            first_page=first_page,
            margin_boxes=MARGIN_BOXES,
            theme_css=theme_stylesheet(paper.theme),
            logo_uri=logo_data_uri(paper.theme.logo if paper.theme else None),
        )
    return with_draft_marking(html, paper, part)


DRAFT_STYLE = """<style>
.draft-marking { string-set: draft content(); color: #9b0000; font-weight: bold; text-align: center; }
@page { @top-right { content: string(draft); color: #9b0000; font-weight: bold; font-size: 9pt; } }
</style>
"""


def with_draft_marking(html: str, paper: Paper, part: str) -> str:
    """A template written before it had a place for the draft marking (ours has one) still marks every
    page and lists the blocking issues first, while anything blocks publication."""
    if not paper.draft_marking or 'class="draft-marking"' in html:
        return html
    head, body = html.find("</head>"), re.search(r"<body[^>]*>", html)
    if head < 0 or body is None or body.start() < head:
        return html
    inserted = ""
    if part != "plan":  # a plan piece's pages get their furniture from the "furniture" part
        inserted = f'<p class="draft-marking">{escape(paper.draft_marking)}</p>\n'
    if part in ("all", "front"):
        items = "".join(f"<li>{escape(line)}</li>" for line in paper.blocking)
        inserted += f'<ul class="blocking">{items}</ul>\n'
    return html[:head] + DRAFT_STYLE + html[head:body.end()] + inserted + html[body.end():]


@contextmanager
def template_errors() -> Iterator[None]:
    """A broken HTML template is one error naming its file and line, never a Jinja traceback."""
    try:
        yield
    except TemplateSyntaxError as exc:
        raise ReportgenError(f"the template {exc.filename or exc.name}, line {exc.lineno}, is broken: "
                             f"{exc.message}") from exc
    except TemplateError as exc:
        where = _template_line(exc)
        raise ReportgenError(f"the template {where} cannot be filled in: {exc}") from exc


def _template_line(exc: BaseException) -> str:
    """'file, line N' of the innermost template frame in the traceback (Jinja maps frames to lines)."""
    found = "paper.html.j2"
    trace = exc.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".html")):
            found = f"{name}, line {trace.tb_lineno}"
        trace = trace.tb_next
    return found


def write_pdf(paper: Paper, templates: Path, out: Path) -> None:
    """Write the paper as a tagged PDF (PDF/UA-1) to `out`, atomically (a temp file, then rename)."""
    from reportgen.pdf_parallel import write_in_parts  # it imports this module

    templates = Path(templates).resolve()
    out = Path(out)
    paper = breakable_paper(paper)  # unbroken runs of thousands of characters would take minutes to lay out
    data = write_in_parts(paper, templates)  # a long paper: in parts, in parallel, in bounded memory
    if data is None:
        html = render_html(paper, templates)
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        document = HTML(string=html, base_url=str(templates) + os.sep, url_fetcher=TemplateFetcher(templates))
        with _font_timestamp(paper.pdf_created):
            data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier, uncompressed_pdf=False)
    write_atomically(out, data)
