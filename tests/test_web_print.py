"""The web edition (paper.html) printed from a browser, as a Panel member at home prints it: each printed page read
back from the PDF Chromium makes (the page as its style sheet sets it, A4 landscape)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pytest
from playwright.sync_api import Browser, Page

from conftest import SAMPLE, needs_sample
from reportgen.run.build import build_draft

MARGIN = 14 / 25.4 * 72  # the printed page's margin, 14mm in points (paper.web.css)


def opened(browser: Browser, paper: Path) -> Page:
    """The web edition in a browser window, as a reader opens it before printing."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(paper.resolve().as_uri())
    return page


def printed(page: Page) -> list[list[str]]:
    """Each printed page's lines inside its margins, top to foot (what is in the margins is the page's own)."""
    with pdfplumber.open(io.BytesIO(page.pdf(prefer_css_page_size=True))) as pdf:
        texts = [sheet.within_bbox((0, MARGIN, sheet.width, sheet.height - MARGIN)).extract_text() or ""
                 for sheet in pdf.pages]
    return [[line.strip() for line in text.splitlines() if line.strip()] for text in texts]


def sample_workspace(root: Path, group_by: str) -> Path:
    """The February 2023 paper's workspace, its plan grouped by `group_by` (a TOML list)."""
    shutil.copytree(SAMPLE, root)
    toml = root / "reportgen.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[paper]\n", f"[paper]\ngroup_by = {group_by}\n", 1),
                    encoding="utf-8")
    return root


@needs_sample
@pytest.mark.parametrize("group_by", ['["section"]', '["section", "lead"]'])
def test_printed_a_group_heading_is_never_alone_at_a_page_foot(browser: Browser, tmp_path: Path,
                                                                 group_by: str) -> None:
    """The February 2023 paper printed: page 5 ended with the band "Criminal Justice", its first action on page 6
    (grouped by section and lead, a section's and a lead's headings ended pages). A heading now goes over with
    its first action, as in the PDF."""
    result = build_draft(sample_workspace(tmp_path / "ws", group_by), out=tmp_path / "paper")
    page = opened(browser, result.folder / "paper.html")
    headings = {text.strip() for text in page.locator("table.plan tr.section th").all_inner_texts()}
    assert "Criminal Justice" in headings
    ended = [(number, lines[-1]) for number, lines in enumerate(printed(page), start=1) if lines[-1] in headings]
    assert ended == []
