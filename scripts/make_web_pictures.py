"""Pictures of the web edition and the progress chart for the README, taken from the example workspace.

Builds the example's two periods into a temporary folder, then takes Chromium headless screenshots of
paper.html (Playwright with Debian's chromium, as the tests use it) and saves the PDF's progress page:

    docs/web-edition.png    the delivery plan filtered by status and a search, with the announced count
    docs/web-progress.png   the web edition's "Progress over time" section: chart and numbers
    docs/pdf-progress.png   the PDF page with the same chart

Needs chromium and pdftoppm (both installed by `make system`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from make_pictures import build_example  # scripts/ is on the path when run as a script
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def screenshots(html: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 760})
        page.goto(html.as_uri())
        page.select_option("#filter-status", "In progress")
        count = page.locator("#result-count")
        status_only = count.inner_text()
        page.locator("#filter-text").type("Constable")
        # the search applies once typing pauses: wait until the count is no longer the status filter's alone
        changed = "shown => document.querySelector('#result-count').textContent !== shown"
        page.wait_for_function(changed, arg=status_only)
        page.locator("#plan-heading").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -8)")
        page.screenshot(path=str(ROOT / "docs" / "web-edition.png"))
        page.set_viewport_size({"width": 1000, "height": 760})
        page.locator("section.progress figure").first.screenshot(path=str(ROOT / "docs" / "web-progress.png"))
        browser.close()


def pdf_progress_page(pdf: Path, scratch: Path) -> None:
    pages = [page.extract_text() or "" for page in PdfReader(pdf).pages]
    number = next(n for n, text in enumerate(pages, start=1) if "Progress over time" in text)
    prefix = scratch / "progress"
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(number), "-l", str(number), str(pdf), str(prefix)],
                   check=True)
    shutil.copy(next(scratch.glob("progress*.png")), ROOT / "docs" / "pdf-progress.png")


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        result = build_example(Path(scratch))
        screenshots(result.folder / "paper.html")
        pdf_progress_page(result.folder / "paper.pdf", Path(scratch))
    for name in ("web-edition.png", "web-progress.png", "pdf-progress.png"):
        sys.stdout.write(f"docs/{name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
