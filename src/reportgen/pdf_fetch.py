"""What WeasyPrint may read: files inside the templates folder, nothing else (`TemplateFetcher`).

Apart from `reportgen.pdf_writer` so that laying a paper out as HTML never imports WeasyPrint: a
build's own process only renders HTML and joins PDFs, its PDF workers import WeasyPrint (see
`reportgen.pdf_parallel`).

Logging: a warning for each URL WeasyPrint asks for and is refused.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

LOGGER = logging.getLogger(__name__)


class TemplateFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves files inside the templates folder and refuses the rest.

    A refused URL raises; WeasyPrint logs the error and renders on without the resource.
    """

    def __init__(self, templates: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self.root = Path(templates).resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
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
        try:
            # strict: the file must exist; resolve() follows symlinks, so one pointing out is caught
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path
