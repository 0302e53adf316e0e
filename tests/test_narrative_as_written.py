"""The narrative and cover values as an officer writes them: a brace lost, a Word file named as the narrative,
characters pasted from Word, a count of one. Each case built a paper that printed the mistake, or said it in
Jinja's words, before its fix; here each is built from the command line and the paper or its issues read back."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import pdfplumber
import pytest

from conftest import FULL_COVER, ROOT, default_returns, make_workspace, write_xlsx
from reportgen.shells.cli import main


def build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, Path]:
    """`reportgen build` as an officer runs it: its exit code, what it printed and the draft folder (its last line)."""
    code = main(["build", "--workspace", str(root)])
    captured = capsys.readouterr()
    return code, " ".join((captured.out + captured.err).split()), Path(captured.out.strip().splitlines()[-1])


def pdf_text(folder: Path) -> str:
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def narrative_issues(folder: Path) -> list[dict[str, str]]:
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if "narrative" in row["code"]]


def test_a_value_with_one_of_its_braces_lost_blocks_the_paper_and_says_the_value_meant(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws", narrative="# Update\n\nOf the { total }} actions, {{ total }} in all.\n")
    code, said, folder = build(root, capsys)
    assert code == 1
    assert "line 3: '{ total }}' is in single braces" in said
    assert "Write {{ total }}" in said
    assert [row["code"] for row in narrative_issues(folder)] == ["narrative-placeholder"]


@pytest.mark.parametrize("name", ["narrative.docx", "narrative.md"])
def test_a_word_file_named_as_the_narrative_is_said_to_be_one_with_how_to_save_it_as_text(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """The .docx was decoded as text and said to mix two encodings, to be saved again from Excel as 'CSV UTF-8'; a
    .docx renamed narrative.md is the same Word file."""
    root = make_workspace(tmp_path / "ws", toml=FULL_COVER + f'narrative = "{name}"\n')
    written = docx.Document()
    written.add_paragraph("Of the actions, most are complete.")
    written.save(str(root / name))
    code, said, folder = build(root, capsys)
    assert code == 1
    assert f"The narrative {name} is a Word file, not a plain-text Markdown file; it was not read." in said
    assert "in Word, File > Save As, choose 'Plain Text (.txt)' and the encoding 'Unicode (UTF-8)'" in said
    assert "Excel" not in said and "CSV" not in said
    assert "Of the actions" not in pdf_text(folder)


def starter_narrative(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The narrative `reportgen init` starts a workspace with."""
    assert main(["init", "--workspace", str(tmp_path / "started")]) == 0
    capsys.readouterr()
    return (tmp_path / "started" / "narrative.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("shipped", ["example", "starter"])
def test_the_shipped_narratives_read_right_when_one_action_had_no_update(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], shipped: str) -> None:
    """The example's and the starter's narrative printed "1 of these actions had no update this period and show
    the status last reported"."""
    narrative = (ROOT / "narrative.md").read_text(encoding="utf-8") if shipped == "example" else (
        starter_narrative(tmp_path, capsys))
    root = make_workspace(tmp_path / "ws", period="2026-10", narrative=narrative)
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) == 0
    capsys.readouterr()
    for name, rows in default_returns().items():  # November: the Criminal Justice Board's one action not updated
        if name != "criminal-justice-board.xlsx":
            write_xlsx(root / "inputs" / "returns" / "2026-11" / name, rows)
    main(["build", "--workspace", str(root), "--period", "2026-11"])
    text = " ".join(pdf_text(Path(capsys.readouterr().out.strip().splitlines()[-1])).split())
    assert "Of these, 1 action had no update this period: the paper shows the status last reported." in text
    assert "1 of these actions" not in text
    assert "Of the 6 actions in the plan" in text


def test_plural_writes_a_word_s_plural_right_and_asks_for_both_forms_of_a_phrase(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`plural("priority")` printed "2 prioritys", `plural("action was")` "2 action wass", a comma left out
    "8 action isactions ares", and the filter with no word Python's "_plural() missing 1 required positional
    argument: 'one'"."""
    root = make_workspace(tmp_path / "ws", narrative='# Update\n\n{{ 2 | plural("priority") }}, '
                          '{{ 2 | plural("address") }}, {{ 1 | plural("priority") }}, '
                          '{{ 3 | plural("exempt action") }}.\n')
    code, _said, folder = build(root, capsys)
    assert code == 0
    assert "2 priorities, 2 addresses, 1 priority, 3 exempt actions." in pdf_text(folder)
    mistakes = {
        '{{ 2 | plural("action was") }}': 'plural("action was") has one form of a phrase, whose plural cannot be '
                                          'guessed: give both, a comma between them, as plural("action is", '
                                          '"actions are")',
        '{{ 8 | plural("action is" "actions are") }}': 'plural("action isactions are") has one form of a phrase',
        "{{ total | plural }}": 'plural needs the word it counts, in quotes: write {{ total | plural("action") }}',
    }
    for written, why in mistakes.items():
        root = make_workspace(tmp_path / str(len(written)), narrative=f"# Update\n\nOf these, {written}.\n")
        code, said, folder = build(root, capsys)
        assert code == 1
        assert f"line 3: The narrative narrative.md could not be filled in: {why}" in said
        assert "missing 1 required positional argument" not in said and "wass" not in pdf_text(folder)


@pytest.mark.parametrize(("written", "why"), [
    ('{{ counts[“Completed”] }}', "the curly quote “ at column 18 is inside a placeholder, where only straight quotes "
                                  "work (as Word pastes them, quotes are curly): use straight quotes (\" or ') there"),
    ("{{ total\u200b }}", "the invisible character U+200B at column 16 is inside a placeholder (pasted with it): "
                          "delete and retype the placeholder"),
    ("{{ total actions.", "a placeholder is not closed before 'actions': close it with }} right after the value"),
])
def test_a_placeholder_pasted_from_word_is_said_in_plain_words_at_its_line_and_column(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, why: str) -> None:
    """Jinja's own words were printed: "unexpected char '“' at 17" (an offset in the file, not a column),
    "unexpected char '\\u200b' at 18", "expected token 'end of print statement', got 'actions'"."""
    root = make_workspace(tmp_path / "ws", narrative=f"# Update\n\nOf the {written} in all.\n")
    code, said, _folder = build(root, capsys)
    assert code == 1
    assert f"line 3: The narrative narrative.md could not be filled in: {why}." in said
    assert "unexpected char" not in said and "expected token" not in said


def test_a_zero_width_space_in_a_cover_value_is_taken_out_and_said_where_as_in_the_narrative(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A zero-width space pasted into [paper] purpose stopped the whole build ("paper.purpose: holds the invisible
    character U+200B; remove it", exit 1), not saying where in the text it was, while the same character in
    narrative.md was taken out without a word. Both are now taken out, each said with the words around it."""
    toml = FULL_COVER.replace('purpose = "', 'purpose = "To update the Panel \u200bon the plan.') + (
        'narrative = "narrative.md"\n')
    root = make_workspace(tmp_path / "ws", toml=toml, narrative="# Update\n\nOf the\u200b {{ total }} actions.\n")
    code, said, folder = build(root, capsys)
    assert code == 0
    assert ("setting 'paper.purpose': Zero-width or text-direction characters were removed (U+200B), between "
            "'To update the Panel' and 'on the plan.") in said
    assert ("line 3: Zero-width or text-direction characters were removed (U+200B), between 'Of the' and "
            "'{{ total }} actions.'") in said
    words = "\n".join(cell.text for table in docx.Document(str(folder / "paper.docx")).tables
                      for row in table.rows for cell in row.cells)
    assert "To update the Panel on the plan." in words and "\u200b" not in words
    assert "Of the 6 actions." in pdf_text(folder)


def test_an_image_in_a_loop_is_said_once_at_the_line_it_is_written_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An image on a `{% for %}` loop's line was said once for each item after the first too, at the
    `{% endfor %}` line."""
    narrative = ('# Update\n\n{% for name in ["Police", "Council", "Board"] %}\n'
                 "- {{ name }} ![icon](https://example.org/icon.png)\n{% endfor %}\n\nThe end.\n")
    root = make_workspace(tmp_path / "ws", narrative=narrative)
    code, said, folder = build(root, capsys)
    assert code == 0
    assert [(row["code"], row["row"]) for row in narrative_issues(folder)] == [("narrative-image-not-shown", "4")]
    assert said.count("holds the image 'https://example.org/icon.png'") == 1
    assert "Police icon" in pdf_text(folder)


def test_cover_fields_take_spaces_say_the_field_meant_and_name_every_brace_left_as_typed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'{ period:%B %Y }' (spaced as the narrative's values are) was refused, '{perod:%B %Y}' had no "did you
    mean" where the narrative gives one, and of '{total}' and '{count}' in one value only '{total}' was named."""
    toml = (FULL_COVER.replace('title = "', 'title = "Delivery Update ({ period:%B %Y }) ')
            .replace('purpose = "', 'purpose = "For {perod:%B %Y}. ')
            + 'decisions_required = "To note the {total} actions, {count} of them completed."\n')
    root = make_workspace(tmp_path / "ws", toml=toml.replace('decisions_required = "To note the report."\n', ""))
    code, said, folder = build(root, capsys)
    assert code == 1
    assert ("setting 'purpose': reportgen.toml: '{perod:%B %Y}' is not a field reportgen fills in (did you mean "
            "'{period:%B %Y}'?)") in said
    assert "Write {period:%B %Y}." in said
    assert "'{ period:%B %Y }'" not in said
    assert "'{total}' is not a field" in said and "'{count}' is not a field" in said
    assert "Delivery Update (October 2026)" in " ".join(pdf_text(folder).split())
