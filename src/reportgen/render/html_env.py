"""The Jinja environment of every HTML renderer: the paper's PDF, the web edition, the draft comparison.

One rule for all three: templates are looked up file by file in the workspace's folder, then ours
(`template_files.search_path`); every value is autoescaped; an undefined name is an error, never
an empty string. An environment is made once per templates folder and filter set, so a template is
compiled once per process (a long paper renders it once per part) and again only when its file
changes (Jinja checks the mtime).

Not this environment: the officer's narrative runs in its own bounded sandbox (`reportgen.check.narrative`,
untrusted text that must not escape or run without limit), and the Word template is filled by
docxtpl with its own escaping of Word XML (`reportgen.render.docx.writer`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from markupsafe import Markup, escape

from reportgen.errors import ReportgenError
from reportgen.paper_rules import document_title
from reportgen.template_files import DEFAULT_TEMPLATES, search_path

Filters = tuple[tuple[str, Callable[..., Any]], ...]  # (name, function): hashable, so environments are cached


@functools.lru_cache(maxsize=16)
def html_environment(templates: Path, filters: Filters = ()) -> Environment:
    """The environment for `templates` (a resolved folder) with the renderer's own `filters`."""
    env = Environment(
        loader=FileSystemLoader(search_path(templates)),  # file by file: a missing one comes from ours
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(dict(filters))
    return env


def lines(text: str) -> Markup:
    """Escaped text whose line breaks are <br>: a line break within a list item (a partner's `<br>` there), and a
    tracked break in a draft comparison, stay where they are (a rich cell is not `white-space: pre-line`)."""
    return Markup("<br>").join(escape(part) for part in text.split("\n"))


_TITLE = re.compile(r"(<title[^>]*>)(.*?)(</title>)", re.DOTALL | re.IGNORECASE)


def with_marked_title(html: str, marking: str) -> str:
    """The page's <title> (a browser's tab, a saved page's name, a printed page's header) led by the edition's
    `marking`, whatever template wrote it (a workspace's own may be older than the marking)."""
    if not marking:
        return html
    return _TITLE.sub(lambda found: found[1] + str(escape(document_title(unescape(found[2]).strip(), marking)))
                      + found[3], html, count=1)


_CHANGES_HEADING = re.compile(r"(<h2\b[^>]*>)\s*Changes since the last draft\s*(</h2>)")
# the changes table's name: its aria-label, and the hidden caption a screen reader reads first in the PDF's tags
_CHANGES_LABEL = re.compile(r'(aria-label="|<caption class="visually-hidden">)Status changes since the last draft'
                            r'("|</caption>)')


def with_changes_heading(html: str, changes_heading: str, changes_label: str) -> str:
    """The heading of the changes listed (and its screen reader's name) as the paper gives it (a revised paper's
    "Corrections to the published paper"), where a workspace's own template, copied before the paper gave it, writes
    "Changes since the last draft" as words of its own."""
    if changes_heading == "Changes since the last draft":
        return html
    html = _CHANGES_HEADING.sub(lambda found: found[1] + str(escape(changes_heading)) + found[2], html, count=1)
    return _CHANGES_LABEL.sub(lambda found: found[1] + str(escape(changes_label)) + found[2], html, count=2)


# how a browser draws the marking in a printed page's margin (its own pages: WeasyPrint's come from paper.css)
MARGIN_BOX_STYLE = "font: bold 10pt \"Liberation Sans\", Arial, sans-serif; letter-spacing: 0.06em; color: #9b0000;"


def page_markings(top: str, foot: str) -> str:
    """`top` and `foot` in the top and bottom centre margin boxes of every page a browser prints ("" for
    neither); the web edition's and diff.html's."""
    boxes = [f"@{place}-center {{ content: {css_string(text)}; {MARGIN_BOX_STYLE} }}"
             for place, text in (("top", top), ("bottom", foot)) if text]
    if not boxes:
        return ""
    return "@media print {\n  @page {\n    " + "\n    ".join(boxes) + "\n  }\n}\n"


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: anything but letters, digits, spaces and plain punctuation escaped
    (a quote, a backslash, a line break, "</style>" can neither end the string nor the style element)."""
    return '"' + "".join(ch if ch.isascii() and (ch.isalnum() or ch in " .,:;!?()-_'") else f"\\{ord(ch):x} "
                         for ch in text) + '"'


@contextmanager
def template_errors(name: str) -> Iterator[None]:
    """A broken HTML template (`name`, or one it includes) is one error naming its file and line, never a
    Jinja traceback; for a workspace's own template, what to do when it was made by an older reportgen."""
    try:
        yield
    except TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise ReportgenError(f"the template {where}, line {exc.lineno}, is broken: "
                             f"{(exc.message or '').rstrip('.')}{_advice(where, name, exc.message or '')}") from exc
    except TemplateError as exc:
        where, file = _template_line(exc, name)
        raise ReportgenError(f"the template {where} cannot be filled in: {str(exc).rstrip('.')}"
                             f"{_advice(file, name)}") from exc


def _template_line(exc: BaseException, name: str) -> tuple[str, str]:
    """('file, line N', file) of the innermost template frame in the traceback (Jinja maps frames to lines)."""
    found = file = name
    trace = exc.__traceback__
    while trace is not None:
        frame_file = trace.tb_frame.f_code.co_filename
        if frame_file.endswith((".j2", ".html")):
            found, file = f"{frame_file}, line {trace.tb_lineno}", frame_file
        trace = trace.tb_next
    return found, file


def _advice(file: str, name: str, message: str = "") -> str:
    """A workspace's template may be older than reportgen (it uses what reportgen no longer gives it): how to bring
    it up to date as the README says, `reportgen template --new` writing ours beside it to merge."""
    if not Path(file).is_absolute() or Path(file).resolve().is_relative_to(DEFAULT_TEMPLATES.resolve()):
        return ""
    copy = Path(file)
    how = (f"run `reportgen template --workspace {copy.parent.parent} --new`: it writes reportgen's own beside it as "
           f"{copy.name}.new; carry any changes of yours into that and put it in place of {copy.name} (or move "
           f"{copy.name} out of the workspace's templates folder to use reportgen's own)")
    if _GONE.match(message):  # a filter or test ours had once: the copy is older than this reportgen
        return f". It is a copy made by an older reportgen, written for what this one no longer has: {how}"
    return f". If it is a copy made by an older reportgen, {how}"


# what Jinja says when a template uses a filter or test its environment lacks
_GONE = re.compile(r"No (filter|test) named ")
