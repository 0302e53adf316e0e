"""A date a partner types in a return (LibreOffice Calc's DD/MM/YYYY, Excel's dd/mm/yyyy) is printed as the paper's
text writes a day, "1 April 2027", never "01 April 2027": in the Word paper, the PDF, the web edition and the next
month's pre-filled workbook alike."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import docx
import lxml.html
import openpyxl

from conftest import RETURN_HEADINGS, default_returns, make_workspace, plan_cell_texts

SHOWN = "1 April 2027"


def _cli(root: Path, *command: str) -> Path:
    """A reportgen command as an officer runs it; the folder it names on its last line."""
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *command, "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return Path(done.stdout.splitlines()[-1])


def _dated_return(root: Path) -> None:
    """OPCC's return with action 2's timeframe typed as a date, shown as LibreOffice writes DD/MM/YYYY."""
    path = root / "inputs" / "returns" / "2026-10" / "opcc.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Return"]
    (row,) = [row for row in sheet.iter_rows(min_row=2) if row[0].value == 2]
    row[4].value = dt.datetime(2027, 4, 1)
    row[4].number_format = "dd/mm/yyyy"
    book.save(path)


def test_a_date_typed_in_a_return_prints_without_a_leading_zero_in_every_edition_and_the_next_workbook(
        tmp_path: Path) -> None:
    """A timeframe typed as 01/04/2027 was printed "01 April 2027" in the PDF, DOCX and web edition, beside the
    partner's own "due to start on 1 April 2027", and was pre-filled so in the next month's workbook. It is now
    "1 April 2027" in each."""
    root = make_workspace(tmp_path / "ws", returns=default_returns())
    _dated_return(root)
    folder = _cli(root, "build")

    page = lxml.html.parse(str(folder / "paper.html")).getroot()
    (row,) = page.xpath('//tr[@id="action-2"]')
    assert SHOWN in [" ".join(cell.text_content().split()) for cell in row.iter("td")]
    assert "01 April" not in row.text_content()

    plan = docx.Document(str(folder / "paper.docx")).tables[-1]
    (docx_row,) = [row for row in plan.rows if row.cells[0].text == "2"]
    assert SHOWN in [cell.text for cell in docx_row.cells]
    assert not any("01 April" in cell.text for cell in docx_row.cells)

    assert SHOWN in plan_cell_texts(folder / "paper.pdf", 6)["2"]

    books = _cli(root, "returns", "--period", "2026-11")
    rows = list(openpyxl.load_workbook(books / "opcc.xlsx")["Return"].iter_rows(values_only=True))
    (prefilled,) = [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[0] == 2]
    assert prefilled[RETURN_HEADINGS[4]] == SHOWN, prefilled
