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
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import escape

from reportgen.paper_rules import document_title
from reportgen.template_files import search_path

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


_TITLE = re.compile(r"(<title[^>]*>)(.*?)(</title>)", re.DOTALL | re.IGNORECASE)


def with_marked_title(html: str, marking: str) -> str:
    """The page's <title> (a browser's tab, a saved page's name, a printed page's header) led by the edition's
    `marking`, whatever template wrote it (a workspace's own may be older than the marking)."""
    if not marking:
        return html
    return _TITLE.sub(lambda found: found[1] + str(escape(document_title(unescape(found[2]).strip(), marking)))
                      + found[3], html, count=1)
