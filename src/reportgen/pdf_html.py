"""Lay a `Paper` out as HTML (Jinja2, `templates/paper.html.j2`): the PDF's source, and the template
helpers the web edition and the diff share.

This module never decides content: wording, order, counts and labels all come from the `Paper`
that `build_paper` made. It only lays them out.

Security: every value is autoescaped, so partner text can never become markup.

It never imports WeasyPrint (~0.8 s in a fresh process): the build's own process renders the HTML of
a long paper's parts, and `reportgen validate` needs none of it.

Logging: a warning for each status colour left out.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from markupsafe import escape

from reportgen import richtext
from reportgen.charts import chart_src
from reportgen.errors import ReportgenError
from reportgen.model import Block, Inline, Paper
from reportgen.template_files import search_path
from reportgen.theme_css import logo_data_uri, theme_stylesheet

LOGGER = logging.getLogger(__name__)

TEMPLATE_NAME = "paper.html.j2"
MARGIN_BOXES = (  # CSS Paged Media: the 16 page-margin boxes a stylesheet can fill
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "right-top", "right-middle", "right-bottom",
    "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left", "bottom-left-corner",
    "left-bottom", "left-middle", "left-top",
)
TEXT_COLOUR = "1a1a1a"  # body text; status backgrounds are tinted until it reads at 4.5:1 or better
MIN_CONTRAST = 4.5

_HEX_COLOUR = re.compile(r"[0-9a-fA-F]{6}")
_CSS_IDENT = re.compile(r"[a-z0-9][a-z0-9-]*")
_PERIOD = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


# ---------------------------------------------------------------- template helpers


def safe_href(href: str | None) -> str | None:
    """`href` when richtext accepts it as-is (http, https, mailto); None shows the text plain."""
    return href if href and richtext.safe_href(href) == href else None

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


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two hex colours (no #)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _tint(hex_colour: str, share: float) -> str:
    """`hex_colour` mixed with white: `share` of the colour."""
    channels = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(255 - (255 - c) * share):02x}" for c in channels)


@dataclass(frozen=True)
class StatusStyle:
    css: str  # class suffix: .status-<css>
    border: str  # the status colour, hex without #
    background: str  # a light tint of it that body text reads on at >= 4.5:1


def status_styles(paper: Paper) -> list[StatusStyle]:
    """CSS colours for each status class; bad class names or colours are left out (no colour)."""
    styles = []
    for status_class, colour in paper.status_colours:
        if not _HEX_COLOUR.fullmatch(colour) or not _CSS_IDENT.fullmatch(status_class):
            LOGGER.warning("status colour %r for %r is not a 6-digit hex colour: left out", colour, status_class)
            continue
        tints = (_tint(colour, share) for share in (0.2, 0.15, 0.1, 0.05))
        background = next((t for t in tints if contrast_ratio(TEXT_COLOUR, t) >= MIN_CONTRAST), "ffffff")
        styles.append(StatusStyle(status_class, colour.lower(), background))
    return styles


def period_date(period: str) -> str:
    """ISO date of the first day of `period` (YYYY-MM), or "" when it is not one."""
    match = _PERIOD.fullmatch(period)
    return f"{match[1]}-{match[2]}-01" if match else ""


# ---------------------------------------------------------------- stages


@functools.lru_cache(maxsize=8)
def _environment(templates: Path) -> Environment:
    """One Jinja environment per templates folder: a template is compiled once per process (a long
    paper renders it once per part), and recompiled when its file changes (Jinja checks the mtime)."""
    env = Environment(
        loader=FileSystemLoader(search_path(templates)),  # file by file: a missing one comes from ours
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_href"] = safe_href
    env.filters["css_ident"] = css_ident
    env.filters["group_blocks"] = group_blocks
    env.filters["space_into_links"] = space_into_links
    env.filters["chart_src"] = chart_src
    return env


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
            created=period_date(paper.period),
            status_styles=status_styles(paper),
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
