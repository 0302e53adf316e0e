"""The register's exemption flag under another heading, or gone: the public edition fails closed, or says why not.

A register whose Exempt column was headed "Exempt (Part II)" (reportgen's own words for it elsewhere),
"Confidential (Part II)" or "Restricted" was built with a warning or a note only: every exempt action was
printed in full in the public paper, exit 0, "nothing blocks publication".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

import pdfplumber
import pytest

from conftest import ACTIONS, REGISTER_HEADINGS, Row, make_workspace
from reportgen.shells.cli import main

SECRET = "Review victim referrals."  # action 3's text, exempt in these registers
EXEMPT_REF = 3


def register_rows(heading: str | None, exempt_ref: int | None = EXEMPT_REF, more: Sequence[str] = ()
                  ) -> list[Row]:
    """The register of ACTIONS with the exemption flag under `heading` (no such column for None), action
    `exempt_ref` flagged Yes, and `more` empty columns after it."""
    headings = (*REGISTER_HEADINGS, *([heading] if heading else []), *more)
    rows: list[Row] = [headings]
    for action in ACTIONS:
        flag = ("Yes" if action[0] == exempt_ref else "No",) if heading else ()
        rows.append((*action, *flag, *("" for _ in more)))
    return rows


def build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, Path]:
    """`reportgen build` as an officer runs it: its exit code, what it printed and the draft folder (its last line)."""
    code = main(["build", "--workspace", str(root), *args])
    out = capsys.readouterr().out
    return code, out, Path(out.strip().splitlines()[-1])


def pdf_text(folder: Path) -> str:
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def issue_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("heading", [
    "Exempt (Part II)", "FOI Exempt", "Exempt (Y/N)", "Exempt Y/N", "FOI exemption", "Part II / Exempt",
    "Exempt from publication", "Confidential (Part II)", "Restricted", "Schedule 12A", "Not for publication",
    "Exmpt"])
def test_a_reworded_exempt_heading_blocks_the_public_edition_and_its_paper_prints_no_exempt_action(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], heading: str) -> None:
    root = make_workspace(tmp_path / "ws", register=register_rows(heading))
    code, out, folder = build(root, capsys)
    assert code == 1
    assert "blocks publication" in out and f'exempt = {{ aliases = ["{heading}"] }}' in out
    text = pdf_text(folder)
    assert SECRET not in text and "Publish the commissioning plan." in text
    [found] = [row for row in issue_rows(folder) if row["code"] == "exempt-column-unnamed"]
    assert (found["severity"], found["file"], found["sheet"], found["row"], found["column"]) == (
        "error", "inputs/register.xlsx", "Register", "1", heading)
    assert not [row for row in issue_rows(folder) if row["code"] in ("optional-column-misnamed",
                                                                       "register-column-unread")]


def test_validate_says_the_reworded_heading_blocks_publication_and_the_line_to_name_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws", register=register_rows("Confidential (Part II)"))
    assert main(["validate", "--workspace", str(root)]) == 1
    out = capsys.readouterr().out
    assert "error" in out and "Column 'Confidential (Part II)' of the register reads as its exemption flag" in out
    assert "[register.columns]: exempt = { aliases = [\"Confidential (Part II)\"] }" in out
    assert not (root / "outputs").exists()


def test_the_line_the_error_gives_unblocks_the_build_and_the_exempt_action_stays_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The officer pastes the line the error's advice gives into reportgen.toml: the flag is read as ever, and a
    further column naming confidentiality beside it blocks nothing."""
    root = make_workspace(tmp_path / "ws", register=register_rows("Exempt (Part II)", more=["Confidential notes"]))
    found = [row for row in issue_rows(build(root, capsys)[2]) if row["code"] == "exempt-column-unnamed"]
    assert [row["column"] for row in found] == ["Exempt (Part II)", "Confidential notes"]  # read, and not read
    advice = found[0]["advice"]
    line = re.search(r"\[register\.columns\]: (exempt = \{ aliases = \[.*?\] \})", advice)
    assert line is not None
    with (root / "reportgen.toml").open("a", encoding="utf-8") as toml:
        toml.write(f"\n[register.columns]\n{line[1]}\n")
    code, out, folder = build(root, capsys)
    assert code == 0 and "nothing blocks publication" in out
    assert SECRET not in pdf_text(folder) and "Publish the commissioning plan." in pdf_text(folder)
    assert "exempt-column" not in (folder / "issues.csv").read_text(encoding="utf-8-sig")


def test_two_columns_that_read_as_the_flag_are_both_errors_and_the_first_is_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws", register=register_rows("Restricted", more=["Exemption reason"]))
    code, _out, folder = build(root, capsys)
    assert code == 1 and SECRET not in pdf_text(folder)
    found = [(row["column"], row["message"]) for row in issue_rows(folder) if row["code"] == "exempt-column-unnamed"]
    assert [column for column, _message in found] == ["Restricted", "Exemption reason"]
    assert "but only 'Restricted' is read as the flag" in found[1][1]


def built_after_the_column_went(root: Path, capsys: pytest.CaptureFixture[str], exempt_ref: int | None,
                                edition: str = "public") -> tuple[int, str, Path]:
    """September built (in `edition`) from a register flagging `exempt_ref` exempt; October's build, whose
    register has no Exempt column."""
    make_workspace(root, period="2026-09", register=register_rows("Exempt", exempt_ref=exempt_ref))
    assert build(root, capsys, "--period", "2026-09", "--edition", edition)[0] == 0
    make_workspace(root, period="2026-10", register=register_rows(None))
    return build(root, capsys, "--period", "2026-10")


@pytest.mark.parametrize("edition", ["public", "restricted"])
def test_a_register_that_lost_its_exempt_column_is_warned_only_when_the_previous_periods_draft_had_exempt_actions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], edition: str) -> None:
    """September's register flagged action 3 exempt; October's has no Exempt column: the public edition
    publishes action 3 (no column says it is exempt), and says that the previous draft had one exempt. A
    register that never flagged an action is not warned."""
    code, out, folder = built_after_the_column_went(tmp_path / "quiet", capsys, None, edition)
    assert code == 0 and "exempt" not in out.casefold()
    assert "exempt-column" not in (folder / "issues.csv").read_text(encoding="utf-8-sig")
    code, out, folder = built_after_the_column_went(tmp_path / "ws", capsys, EXEMPT_REF, edition)
    assert code == 0 and "nothing blocks publication" in out and "had 1 action exempt" in out
    [found] = [row for row in issue_rows(folder) if row["code"] == "exempt-column-gone"]
    assert (found["severity"], found["file"], found["sheet"]) == ("warning", "inputs/register.xlsx", "Register")
    assert "the previous period's draft, 2026-09/draft-01" in found["message"]
    assert "the public edition publishes those actions in full" in found["advice"]
    assert SECRET in pdf_text(folder)  # what the warning is about: nothing marks it exempt now
