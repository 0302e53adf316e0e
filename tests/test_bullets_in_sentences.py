"""A "•" typed inside a sentence is the partner's own character, not a list: only a line that starts with a bullet
is a list item, in the Word paper, the PDF and the web edition alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import lxml.html
import pikepdf

from conftest import RETURN_HEADINGS, default_returns, make_workspace, plan_cell_texts

SENTENCE = "Three priorities were agreed: housing • transport • health. Work starts in January."
EXPLANATION = f"{SENTENCE}\n• Housing first\n• Transport next"


def _build(root: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return Path(done.stdout.splitlines()[-1])


def _pdf_list_items(path: Path) -> int:
    """How many list items (LI) the PDF's structure tree holds."""
    with pikepdf.open(path) as pdf:
        count, stack = 0, [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            count += node.get("/S") == "/LI"
            kids = node.get("/K")
            stack.extend(kid for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
                         if isinstance(kid, pikepdf.Dictionary) and "/S" in kid)
        return count


def test_a_bullet_inside_a_sentence_stays_in_the_sentence_in_every_edition(tmp_path: Path) -> None:
    """A partner typed "housing • transport • health" in a sentence: the paper broke it into a paragraph and two
    list items, with no warning, though only a line that starts with a bullet is one. The sentence is now printed
    as written, and the lines under it that start with "•" are still list items."""
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, *((ref, action, status, EXPLANATION if ref == 2 else text, when)
                                                 for ref, action, status, text, when in returns["opcc.xlsx"][1:])]
    folder = _build(make_workspace(tmp_path / "ws", returns=returns))

    page = lxml.html.parse(str(folder / "paper.html")).getroot()
    (cell,) = page.xpath('//tr[@id="action-2"]/td[contains(@class, "col-explanation")]')
    assert [" ".join(p.text_content().split()) for p in cell.iter("p")] == [SENTENCE]
    assert [" ".join(li.text_content().split()) for li in cell.iter("li")] == ["Housing first", "Transport next"]

    plan = docx.Document(str(folder / "paper.docx")).tables[-1]
    (row,) = [row for row in plan.rows if row.cells[0].text == "2"]
    assert [(p.style.name, p.text) for p in row.cells[3].paragraphs if p.text.strip()] == [
        ("Table Text", SENTENCE), ("List Bullet", "Housing first"), ("List Bullet", "Transport next")]

    explanation = plan_cell_texts(folder / "paper.pdf", 6)["2"][3]
    assert "".join(SENTENCE.split()) in "".join(explanation.split())
    assert _pdf_list_items(folder / "paper.pdf") == 2
