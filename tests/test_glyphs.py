"""Characters no installed font has: reported where they were read, before the build, and exactly the
ones WeasyPrint then draws as empty boxes (.notdef)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from weasyprint import HTML

from conftest import RETURN_HEADINGS, default_returns, make_workspace
from reportgen import glyphs
from reportgen.shells.cli import main

# Latin and its punctuation, Greek, Cyrillic, Arabic, arrows, ticks, emoji, CJK, Devanagari, hieroglyphs,
# and Wingdings' tick as Word pastes it (private use)
CANDIDATES = "é–“£€ΩЖا→✓★😀👍犯罪दव𓀀\uf0fc"
pytestmark = pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list is installed by make")


def weasyprint_boxes(caplog: pytest.LogCaptureFixture, text: str) -> set[str]:
    """The characters WeasyPrint says it drew as .notdef, laying out `text` in the paper's font."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        HTML(string=f'<p style="font-family: \'Liberation Sans\'">{text}</p>').write_pdf()
    return {record.getMessage().split('"')[1] for record in caplog.records if ".notdef" in record.getMessage()}


@pytest.mark.expected_logs(r"\.notdef glyph rendered")
def test_the_characters_reported_are_those_the_pdf_draws_as_boxes(caplog: pytest.LogCaptureFixture) -> None:
    missing = glyphs.missing_glyphs(CANDIDATES)
    assert set(missing) == weasyprint_boxes(caplog, CANDIDATES)
    assert not set(missing) & set("é–“£€→")  # what every paper holds is never looked up
    assert glyphs.code_points("犯罪") == "U+72AF, U+7F6A"


def test_without_fc_list_nothing_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    glyphs._installed_coverage.cache_clear()
    monkeypatch.setattr(glyphs.shutil, "which", lambda _name: None)
    try:
        assert glyphs.missing_glyphs(CANDIDATES) == ""
    finally:
        glyphs._installed_coverage.cache_clear()


def _returns_with_missing_glyphs() -> tuple[str, dict[str, list[Sequence[object]]]]:
    """The candidates no installed font has, and returns whose row 2 holds them (skips when there are none)."""
    missing = glyphs.missing_glyphs(CANDIDATES)
    if not missing:
        pytest.skip("every candidate character has a font on this machine")
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "Completed", f"Shared with partners {missing}.", ""),
                            (4, "", "Completed", "Done.", ""), (6, "", "Completed", "Done.", "")]
    return missing, returns


def test_validate_names_the_cell_the_narrative_line_and_the_setting(tmp_path, capsys: pytest.CaptureFixture[str]
                                                                    ) -> None:
    missing, returns = _returns_with_missing_glyphs()
    root = make_workspace(tmp_path / "ws", returns=returns, narrative=f"# Summary\n\nA note {missing[0]}.\n",
                          toml=f'[paper]\ntitle = "Delivery Plan {missing[-1]}"\n')
    assert main(["validate", "--workspace", str(root), "--all"]) == 0  # a warning: the paper can still go out
    out = " ".join(capsys.readouterr().out.split())
    assert f"sheet 'Return': Row 2, column 'Explanation / Link to meeting papers' holds {missing} " \
           f"({glyphs.code_points(missing)}), which no font installed here has" in out
    assert f"line 3: The narrative narrative.md holds {missing[0]}" in out
    assert f"[paper] title holds {missing[-1]} ({glyphs.code_points(missing[-1])})" in out
    assert "fonts-noto-cjk" in out


def test_the_command_reports_each_missing_character_once_not_weasyprints_log_lines(tmp_path: Path) -> None:
    """`reportgen build` as an officer runs it: the located no-font-for warning, and none of WeasyPrint's
    own ".notdef glyph rendered" lines (one a character, from the PDF workers) before the summary."""
    _missing, returns = _returns_with_missing_glyphs()
    root = make_workspace(tmp_path / "ws", returns=returns)
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "which no font installed here has" in done.stdout
    assert ".notdef" not in done.stderr + done.stdout


# a bulleted list copied from Word and pasted into the cell as text: Symbol's bullet, then Courier New's
# "o" and Wingdings' square for the second and third levels, each with a tab
PASTED_FROM_WORD = ("Agreed at the March board:\n\uf0b7\tTriage meetings every month\n"
                    "o\tchaired by the CPS\n\uf0a7\tminutes shared\n\uf0b7\tFile quality up to 81%")


def test_a_list_pasted_from_word_is_a_list_not_empty_boxes(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    """Word's bullets are private-use characters that no font but Symbol and Wingdings draws: each item is
    a list item in every output, and only a private-use character that is not a bullet is reported."""
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "Completed", PASTED_FROM_WORD, ""),
                            (4, "", "Completed", "Done \uf0fc", ""), (6, "", "Completed", "Done.", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    assert main(["validate", "--workspace", str(root)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "sheet 'Return': Row 3, column 'Explanation / Link to meeting papers' holds \uf0fc (U+F0FC), which no " \
           "font installed here has" in out
    assert "U+F0B7" not in out and "U+F0A7" not in out

    returns["opcc.xlsx"][2] = (4, "", "Completed", "Done.", "")
    root = make_workspace(tmp_path / "built", returns=returns)
    assert main(["build", "--workspace", str(root)]) == 0
    assert "no font installed here has" not in capsys.readouterr().out
    draft = root / "outputs" / "2026-10" / "draft-01"
    cell = next(cell for table in Document(str(draft / "paper.docx")).tables for row in table.rows
                for cell in row.cells if "Triage meetings" in cell.text)
    assert [(p.style.name if p.style else "", p.text) for p in cell.paragraphs] == [
        ("Table Text", "Agreed at the March board:"), ("List Bullet", "Triage meetings every month"),
        ("List Bullet 2", "chaired by the CPS"), ("List Bullet 2", "minutes shared"),
        ("List Bullet", "File quality up to 81%")]
    drawn = "".join("".join(page.extract_text().split()) for page in PdfReader(draft / "paper.pdf").pages)
    assert "Triagemeetingseverymonth" in drawn and not {"\uf0b7", "\uf0a7"} & set(drawn)
    web = (draft / "paper.html").read_text(encoding="utf-8")
    assert '<ul class="level-2"><li>chaired by the CPS</li><li>minutes shared</li></ul>' in web


def test_the_bullets_of_words_bullet_library_and_its_line_breaks_are_a_list_and_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Word's arrow and tick bullets (Wingdings, U+F0D8 and U+F0FC) were drawn as empty boxes, and pasted where the
    font was lost they arrive as "§", "Ø" and "ü" before a tab, which the paper printed as stray letters ("§ Square
    one;"); a Shift+Enter line break (Excel keeps it as _x000B_) was removed and the words ran together. Each is a
    list item (a list of squares alone is not indented under nothing) and a line break; a word starting with Ø or
    ü stays a word."""
    lists = {2: "Progress:\n§\tSquare one;\n§\tSquare two.", 4: "Progress:\nØ\tArrow one;\n\uf0d8\tArrow two.",
             6: "Progress:\nü\tTick one;\n\uf0fc\tTick two.\nØdegaard and über stay words."}
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, *((ref, "", "Completed", text, "") for ref, text in lists.items())]
    returns["wessex-police.xlsx"] = [RETURN_HEADINGS, (3, "", "Completed", "Done.", ""),
                                     (1, "", "Completed", "First line from Word_x000B_second line", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    assert main(["build", "--workspace", str(root), "--all"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "no font installed here has" not in out and "control characters" not in out, out
    draft = root / "outputs" / "2026-10" / "draft-01"
    cells = {row.cells[0].text: [(p.style.name if p.style else "", p.text) for p in row.cells[3].paragraphs]
             for table in Document(str(draft / "paper.docx")).tables for row in table.rows if len(row.cells) > 3}
    assert cells["2"] == [("Table Text", "Progress:"), ("List Bullet", "Square one;"), ("List Bullet", "Square two.")]
    assert cells["4"] == [("Table Text", "Progress:"), ("List Bullet", "Arrow one;"), ("List Bullet", "Arrow two.")]
    assert cells["6"] == [("Table Text", "Progress:"), ("List Bullet", "Tick one;"), ("List Bullet", "Tick two."),
                          ("Table Text", "Ødegaard and über stay words.")]
    assert [text for _, text in cells["1"]] == ["First line from Word", "second line"]
    drawn = "".join("".join(page.extract_text().split()) for page in PdfReader(draft / "paper.pdf").pages)
    assert "Squareone;" in drawn and not {"§", "\uf0d8", "\uf0fc"} & set(drawn)


def test_a_symbol_in_a_status_is_said_only_where_the_paper_prints_it(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A partner writes 'Completed ✅' under a heading typed on two lines: the status is read as Completed and the
    paper prints 'Completed', yet the build warned that the PDF shows an empty box, naming the column
    'Status this\\nreporting period'. Only a status that cannot be read is printed as written, and warned of; the
    heading is named as it reads."""
    missing = glyphs.missing_glyphs(CANDIDATES)
    if not missing:
        pytest.skip("every candidate character has a font on this machine")
    heading = "Status this\nreporting period"
    returns = default_returns()
    returns["opcc.xlsx"] = [(RETURN_HEADINGS[0], RETURN_HEADINGS[1], heading, *RETURN_HEADINGS[3:]),
                            (2, "", f"Completed {missing[0]}", "Done.", ""),
                            (4, "", f"Finished {missing[0]}", "Done.", ""), (6, "", "Completed", "Done.", "")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    assert main(["validate", "--workspace", str(root), "--all"]) == 1  # action 4's status cannot be read
    out = " ".join(capsys.readouterr().out.split())
    assert out.count("which no font installed here has") == 1
    assert (f"sheet 'Return': Row 3, column 'Status this reporting period' holds {missing[0]} "
            f"({glyphs.code_points(missing[0])})") in out
    assert "\\n" not in out
