"""A real browser for the web edition's tests: Debian's Chromium driven by Playwright, and axe-core.

Chromium is the system package (`scripts/install-system-deps.sh`); Playwright never downloads a
browser of its own. axe-core is the copy shipped inside the `axe-playwright-python` package.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, launched once per test module (conftest.py makes it every test's fixture)."""
    assert CHROMIUM.is_file(), "Chromium is missing: run scripts/install-system-deps.sh (make test does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


def axe_violations(page: Any) -> list[tuple[str, int, str]]:
    """(rule, number of nodes, first node) for every WCAG 2.2 A/AA violation axe finds on the page.

    axe is injected through the DevTools protocol, which the page's Content-Security-Policy does not
    govern, so the page is checked exactly as a reader gets it.
    """
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [(v["id"], len(v["nodes"]), str(v["nodes"][0]["target"])) for v in result["violations"]]


def visible_refs(page: Any) -> list[int]:
    """Refs of the plan rows a reader can see."""
    refs = page.eval_on_selector_all(
        "#plan-table tr.action", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.id)")
    return [int(ref.removeprefix("action-")) for ref in refs]


@contextmanager
def listening() -> Iterator[tuple[str, list[str]]]:
    """A web server on a free port of this machine, and every path asked of it."""
    asked: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<script>alert('fetched')</script>")

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def loading_markup(server: str) -> str:
    """Text holding every way markup could load or run something: from `server`, inline, javascript: and data:."""
    return (f'<script src="{server}/s.js"></script><script>alert("inline")</script>'
            f'<iframe src="{server}/frame"></iframe><img src="{server}/img" onerror="alert(1)">'
            f'<svg onload="alert(2)"></svg><link rel="stylesheet" href="{server}/l.css">'
            f'</style><style>@import url("{server}/i.css"); body {{ background: url("{server}/bg") }}</style>'
            f'<p style="background-image: url({server}/inline)">x</p>'
            f'<meta http-equiv="refresh" content="0; url={server}/refresh"><base href="{server}/">'
            f'<object data="{server}/o"></object><embed src="{server}/e"><video poster="{server}/v"></video>'
            f'![picture]({server}/md.png) [js](javascript:alert(3))'
            ' [data](data:text/html,<script>alert(4)</script>)'
            f' <a href="{server}/link">a link to follow</a> file:///etc/passwd')
