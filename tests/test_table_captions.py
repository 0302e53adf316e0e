"""Each table of numbers under a progress chart is named for a screen reader: a Caption in the PDF's tags (first in its
Table) and a caption in the web edition, both "<the chart's title>: the numbers"; the PDF's other tables (cover sheet,
stalled actions, changes since the last draft, delivery plan) by a Caption too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from playwright.sync_api import Browser

from conftest import element_text, make_workspace, marked_content_problems, tagged_tables, tagged_text, write_xlsx
from reportgen.drafts.folders import load_draft
from reportgen.shells.cli import main
from test_progress import PERIODS, PLAN, TOML, _returns


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three months built from the command line: the last paper has progress over time, a chart a table."""
    root = tmp_path_factory.mktemp("captions") / "ws"
    for n, period in enumerate(PERIODS):
        if n == 0:
            make_workspace(root, period=period, returns=_returns(0), toml=TOML.format(n=2))
        for name, rows in _returns(n).items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        assert main(["build", "--workspace", str(root), "--period", period]) == 0
    [folder] = (root / "outputs" / PERIODS[-1]).glob("draft-*")
    return folder


def _expected(folder: Path) -> list[str]:
    paper, _ = load_draft(folder)
    assert paper.progress is not None
    names = [f"{chart.title}: the numbers" for chart in paper.progress.charts if chart.rows]
    assert len(names) >= 2
    return names


def table_captions(path: Path) -> list[str | None]:
    """Each tagged table's caption as a screen reader reads it, None for a table with none; a caption is always
    the table's first kid."""
    texts = tagged_text(path)
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        captions: list[str | None] = []
        for table in tagged_tables(pdf):
            kids = [kid for kid in table.K if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
            named = [kid for kid in kids if kid.S == "/Caption"]
            if named:
                assert kids[0].S == "/Caption"  # a table's caption is its first (or last) kid
            captions.append(" ".join(element_text(named[0], texts, pages).split()) if named else None)
    return captions


def test_each_pdf_table_of_numbers_has_its_caption_first_in_its_tags(folder: Path) -> None:
    path = folder / "paper.pdf"
    captions = [caption for caption in table_captions(path) if caption is not None]
    assert [caption for caption in captions if caption.endswith(": the numbers")] == _expected(folder)
    with pdfplumber.open(path) as plumbed:  # its words drawn off the page: never read into a header cell
        headers = [table[0] for page in plumbed.pages for table in page.extract_tables() if len(table) > 1]
    assert [row[0] for row in headers if row[0] in ("Period", "Section")] == ["Period", "Section"]
    assert not [cell for row in headers for cell in row if cell and "the numbers" in cell]


def test_each_web_table_of_numbers_is_named_by_its_caption(browser: Browser, folder: Path) -> None:
    page = browser.new_context().new_page()
    page.goto((folder / "paper.html").resolve().as_uri())
    tables = page.locator("table.numbers")
    captions = [tables.nth(at).locator("caption").inner_text() for at in range(tables.count())]
    assert captions == _expected(folder)
    for name in captions:
        assert page.get_by_role("table", name=name).count() == 1


def test_every_pdf_table_is_named_by_a_caption_first_in_its_tags(folder: Path) -> None:
    """The cover sheet, the stalled actions, the changes since the last draft and the delivery plan had no Caption
    in the PDF's tags, where the tables of numbers had: a screen reader announced each as a table of no name. The
    plan is still one table, named once."""
    root = folder.parents[2]
    settings = root / "reportgen.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("[paper]\n", "[paper]\nchanges_section = true\n"),
                        encoding="utf-8")
    plan = {**PLAN, 1: ("Not started", "In progress", "On hold")}  # a second draft: one status changed since
    for name, rows in _returns(2, plan).items():
        write_xlsx(root / "inputs" / "returns" / PERIODS[-1] / name, rows)
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    second = Path(done.stdout.splitlines()[-1])
    paper, _ = load_draft(second)
    assert paper.changes and paper.progress is not None and paper.progress.stalled
    path = second / "paper.pdf"
    captions = table_captions(path)
    assert captions == ["Cover sheet", *_expected(second), "Stalled actions", "Status changes since the last draft",
                        f"{paper.title}: delivery plan, one row per action"]
    assert marked_content_problems(path) == []
