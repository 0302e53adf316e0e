"""The paper's last page holds more than a lone row or line: the plan's last row, and the note under it, go over
with the row before.

A plan whose last row did not fit at the foot of a page ended on a page of its own holding that one row under
the repeated header (the February 2023 sample: action 147, three lines, alone on page 35)."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from conftest import REGISTER_HEADINGS, RETURN_HEADINGS, ROOT, SAMPLE, make_paper, make_workspace, needs_sample
from reportgen.render.pdf.writer import write_pdf
from reportgen.shells.cli import main

UPDATE = ("The steering group met in September and agreed the terms of reference and the outcome measures. "
          "A review of the first six months found that referrals rose by a fifth while waiting times fell.")


def _even_workspace(root: Path, actions: int) -> Path:
    """`actions` rows of one height in one section: ten to a plan page after the first's nine, so with 10 or 50
    the last row is the first of a new page."""
    register = [REGISTER_HEADINGS, *((ref, "Prevention", "OPCC", f"Develop plan item {ref}.", "9")
                                    for ref in range(1, actions + 1))]
    update = [RETURN_HEADINGS, *((ref, f"Develop plan item {ref}.", "In progress", UPDATE, "Spring 2027")
                                 for ref in range(1, actions + 1))]
    return make_workspace(root, register=register, returns={"opcc.xlsx": update})


def _last_page_rows(pdf_path: Path) -> list[str]:
    """The action numbers in the plan's first column on the PDF's last page, top to bottom."""
    with pdfplumber.open(pdf_path) as pdf:
        words = pdf.pages[-1].extract_words()
    action = next((word for word in words if word["text"] == "Action"), None)  # the repeated header's 2nd column
    if action is None:  # no plan on the page
        return []
    return [word["text"] for word in sorted(words, key=lambda word: word["top"])
            if re.fullmatch(r"\d+", word["text"]) and word["x1"] < action["x0"]]


@pytest.mark.parametrize(("actions", "how"), [(10, "one document"), (50, "laid out in parts")])
def test_the_plans_last_row_is_never_alone_on_the_last_page(tmp_path: Path, actions: int, how: str) -> None:
    root = _even_workspace(tmp_path / "ws", actions)
    assert main(["build", "--workspace", str(root), "--out", str(tmp_path / "out")]) == 0
    assert _last_page_rows(tmp_path / "out" / "paper.pdf") == [str(actions - 1), str(actions)], how


@needs_sample
def test_the_samples_last_page_holds_its_last_two_actions(tmp_path: Path) -> None:
    root = shutil.copytree(SAMPLE, tmp_path / "s23")
    main(["build", "--workspace", str(root), "--out", str(tmp_path / "out")])  # 1: two issues block publication
    with pdfplumber.open(tmp_path / "out" / "paper.pdf") as pdf:
        assert len(pdf.pages) == 35  # the page count is as before: action 146 moved over, no page added
    assert _last_page_rows(tmp_path / "out" / "paper.pdf") == ["146", "147"]


def test_the_note_of_exempt_actions_under_the_plan_is_never_alone_on_the_last_page(tmp_path: Path) -> None:
    """The restricted edition's note under the plan, one line, took the last page to itself when the plan filled
    the page before (14 actions of this paper); the plan's last two rows now go over with it."""
    note = "2 actions are exempt from publication and are not shown."
    paper = replace(make_paper(14, 2), edition="restricted", marking="RESTRICTED", exempt_note=note)
    write_pdf(paper, ROOT / "templates", tmp_path / "paper.pdf")
    assert _last_page_rows(tmp_path / "paper.pdf") == ["13", "14", "2"]  # then the note's count, at the left
    with pdfplumber.open(tmp_path / "paper.pdf") as pdf:
        assert note in (pdf.pages[-1].extract_text() or "") and len(pdf.pages) == 4
