"""What WeasyPrint may read: files inside the templates folder and base64 `data:` pictures (the
template's logo, PNG/JPEG/GIF, and our SVG charts: bytes already in the document), nothing else
(`TemplateFetcher`).

Apart from `reportgen.render.pdf.writer` so that laying a paper out as HTML never imports WeasyPrint: a
build's own process only renders HTML and joins PDFs, its PDF workers import WeasyPrint (see
`reportgen.render.pdf.parallel`).

Logging: a warning for each URL WeasyPrint asks for and is refused.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from reportgen.render.theme_css import LOGO_TYPES
from reportgen.template_files import search_path
from reportgen.wording import quoted

LOGGER = logging.getLogger(__name__)

_DATA_PICTURE = re.compile(r"(?i:data:)([a-zA-Z]+/[a-zA-Z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})")


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
            LOGGER.warning("refused to fetch %s: only files inside %s are read", quoted(url[:200]), self.root)
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
    an SVG (our progress charts, `reportgen.render.charts`); None for anything else. Partner text cannot make
    an <img>: it is escaped."""
    match = _DATA_PICTURE.fullmatch(url)
    if match is None or match[1].lower() not in (*LOGO_TYPES, "image/svg+xml"):
        return None
    try:
        return match[1].lower(), base64.b64decode(match[2], validate=True)
    except ValueError:
        return None
