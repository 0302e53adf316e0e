"""Text typed in either of Unicode's two forms: "â" as one character (as a keyboard types it) or as "a" and a
combining circumflex (as a Mac or a web page may paste it). The two look the same, so they are one text: one
lead, one section, one partner in reportgen.toml, one file name. Built from the command line, as the officer does,
and read back from the paper, the web edition and the chase list."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import docx
import pdfplumber
import pytest
from lxml import html

from conftest import FULL_COVER, REGISTER_HEADINGS, RETURN_HEADINGS, make_workspace
from reportgen.shells.cli import main

SECTION = "Cyfiawnder â Thegwch / Justice"
LEAD = "Tŷ Diogel"


def decomposed(text: str) -> str:
    """`text` as a Mac pastes it: each accented letter a plain letter and a combining accent."""
    return unicodedata.normalize("NFD", text)


def welsh_workspace(root: Path) -> Path:
    """One section and one lead, each typed composed on one row and decomposed on another; the lead's settings
    and its return's file name decomposed, as a Mac writes them; a narrative pasted decomposed."""
    register = [REGISTER_HEADINGS,
                (1, SECTION, LEAD, "Commission refuge places.", "9"),
                (2, decomposed(SECTION), decomposed(LEAD), "Open a helpline.", "10"),
                (3, "Atal Niwed / Preventing Harm", "OPCC", "Publish the plan.", "11")]
    returns = {decomposed(f"{LEAD} – Hydref.xlsx"): [RETURN_HEADINGS, (1, "x", "In progress", "Places open.", "2027"),
                                                    (2, "x", "Completed", "Line open.", "2026")],
               "opcc.xlsx": [RETURN_HEADINGS, (3, "x", "Completed", "Published.", "2026")]}
    toml = FULL_COVER + f'\n[partners."{decomposed(LEAD)}"]\nfiles = ["{LEAD.casefold()}*.xlsx"]\n'
    return make_workspace(root, register=register, returns=returns, toml=toml,
                          narrative=decomposed("# Trosolwg\n\nMae’r Panel yn nodi’r adroddiad â diolch.\n"))


def test_a_section_and_a_lead_pasted_in_the_other_unicode_form_are_one_section_and_one_lead(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Welsh force's register named one row's section and lead as pasted from a Mac: the PDF printed the section
    heading twice, the web edition offered the section and the lead twice in its filters, and the lead's return,
    fitting "both" leads, was an error and not read, the lead listed twice to chase. Text is now read in one
    form: the build passes, and the section, the lead, its settings and its return are each one."""
    root = welsh_workspace(tmp_path / "ws")
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) == 0
    printed = capsys.readouterr().out
    assert "To chase" not in printed, printed
    folder = root / "outputs" / "2026-10" / "draft-01"

    with (folder / "issues.csv").open(encoding="utf-8-sig") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    assert not codes & {"ambiguous-partner", "lead-spelling", "section-spelling", "partner-not-lead",
                        "unknown-partner", "missing-return"}, codes
    with (folder / "chase.csv").open(encoding="utf-8-sig") as handle:
        chase = [(row["Partner"], row["Returned"], row["Updated"]) for row in csv.DictReader(handle)]
    assert chase == [(LEAD, "Yes", "2"), ("OPCC", "Yes", "1")]

    with pdfplumber.open(folder / "paper.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert text.count(SECTION) == 1, text

    page = html.parse(str(folder / "paper.html"))
    assert page.xpath('//select[@id="filter-section"]/option/text()') == [
        "All sections", SECTION, "Atal Niwed / Preventing Harm"]
    assert page.xpath('//select[@id="filter-lead"]/option/text()') == ["All leads", LEAD, "OPCC"]

    paragraphs = [paragraph.text for paragraph in docx.Document(str(folder / "paper.docx")).paragraphs]
    assert "Mae’r Panel yn nodi’r adroddiad â diolch." in paragraphs
