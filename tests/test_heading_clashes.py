"""A plan whose sections are headed "Priority" and whose actions are numbered under "Action No.": the headings an
officer's own register uses, met in the register and in the partners' returns, from the first run on. Driven
from the command line; the build's issues.csv and what `validate` prints are read back."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pytest

from conftest import FULL_COVER, make_workspace, write_xlsx
from reportgen.shells.cli import main

PERIOD = "2026-10"
SECTIONS = ("Priority 1: Victims and witnesses", "Priority 2: Safer communities", "Priority 3: A fair justice system")
LEADS = ("OPCC", "Dyfed-Powys Police")
REGISTER = [("Action No.", "Priority", "Objective", "Lead Agency"),
            *[(ref, SECTIONS[(ref - 1) // 3], f"Deliver objective {ref}.", LEADS[ref % 2]) for ref in range(1, 10)]]
RETURN_HEADINGS = ("Action No.", "Priority", "Objective", "RAG", "Progress update", "Target date")
REGISTER_TOML = """
[register.columns]
ref = { aliases = ["Action No."] }
action = { aliases = ["Objective"] }
lead = { aliases = ["Lead Agency"] }
section = { aliases = ["Priority"] }
"""


def _returns(headings: Sequence[str] = RETURN_HEADINGS) -> dict[str, list[Sequence[object]]]:
    """Each lead's own return, under `headings` (a column of each of RETURN_HEADINGS' that it keeps)."""
    returns: dict[str, list[Sequence[object]]] = {}
    for ref, section, action, lead in REGISTER[1:]:
        cells = dict(zip(RETURN_HEADINGS, (ref, section, action, "Green", f"Update {ref}.", "March 2027"),
                         strict=True))
        returns.setdefault(lead.lower().replace(" ", "-") + ".xlsx", [headings]).append(
            [cells[heading] for heading in headings])
    return returns


def _workspace(root: Path, toml: str, returns: dict[str, list[Sequence[object]]] | None = None,
               register: Sequence[Sequence[object]] = REGISTER) -> Path:
    toml = FULL_COVER + '\n[statuses]\naliases = { "Green" = "In progress" }\n' + toml
    return make_workspace(root, period=PERIOD, toml=toml, register=register, returns=returns or {})


def _built_issues(root: Path) -> list[dict[str, str]]:
    """`reportgen build` of `root`, and its draft's issues.csv, row by row."""
    main(["build", "--workspace", str(root), "--period", PERIOD, "--all"])
    with (root / "outputs" / PERIOD / "draft-01" / "issues.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _validated(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What `reportgen validate --all` printed (a workspace not ready says so on stderr), lines unwrapped."""
    main(["validate", "--workspace", str(root), "--period", PERIOD, "--all"])
    printed = capsys.readouterr()
    return " ".join((printed.out + printed.err).split())


def test_a_returns_column_headed_as_the_registers_sections_is_read_as_the_section_not_a_second_number(
        tmp_path: Path) -> None:
    root = _workspace(tmp_path, REGISTER_TOML + '[returns.columns]\nref = { aliases = ["Action No."] }\n'
                      'status = { aliases = ["RAG"] }\n', _returns())
    issues = _built_issues(root)
    assert [row["code"] for row in issues if row["severity"] == "error"] == []
    assert not [row for row in issues if row["column"] == "Priority"]  # the section copied in, as it is


def test_words_beside_the_number_column_are_never_advised_into_it_but_the_setting_that_stops_them(
        tmp_path: Path) -> None:
    register = [("Action No.", "Section", "Objective", "Lead Agency"), *REGISTER[1:]]
    toml = REGISTER_TOML.replace('section = { aliases = ["Priority"] }\n', "")
    root = _workspace(tmp_path, toml + '[returns.columns]\nref = { aliases = ["Action No."] }\n'
                      'status = { aliases = ["RAG"] }\n', _returns(), register)
    issues = _built_issues(root)
    clash = [row for row in issues if row["code"] == "duplicate-column"]
    assert sorted((row["column"], row["file"]) for row in clash) == [
        ("Priority", "inputs/returns/2026-10/dyfed-powys-police.xlsx"),
        ("Priority", "inputs/returns/2026-10/opcc.xlsx")]
    assert all("Move what the paper should say" not in row["advice"] for row in clash)
    assert 'ref = { aliases = ["Action No."], not_aliases = ["Priority"] }' in clash[0]["advice"]
    assert "under [returns.columns]" in clash[0]["advice"]


def test_a_first_run_with_sections_under_priority_advises_ref_for_the_numbers_and_section_for_priority(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "gwent"
    assert main(["init", "--workspace", str(root)]) == 0
    write_xlsx(root / "inputs" / "register.xlsx", REGISTER, sheet="Action Register")
    capsys.readouterr()
    main(["validate", "--workspace", str(root), "--all"])
    printed = " ".join(capsys.readouterr().out.split())
    assert ('Column \'Plan priority\' was not found in the register inputs/register.xlsx, so no action was read. '
            '→ If the register heads it otherwise, name that heading in reportgen.toml under [register.columns]: '
            'ref = { aliases = ["Action No."] }') in printed
    assert 'action = { aliases = ["Action No."] }' not in printed
    assert "close to 'Section'" not in printed
    assert ("Column 'Priority' of the register is not read, and the register has no section column: it holds 3 "
            "values, each over a run of rows") in printed
    assert 'section = { aliases = ["Priority"] }' in printed


def test_returns_alike_lacking_the_number_column_name_its_heading_and_say_reportgen_toml_is_to_correct(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    headings = ("Action No.", "Objective", "RAG", "Progress update", "Target date")
    root = _workspace(tmp_path, REGISTER_TOML + '[returns.columns]\nstatus = { aliases = ["RAG"] }\n',
                      _returns(headings))
    printed = _validated(root, capsys)
    assert ("Column 'Plan priority' was not found in inputs/returns/2026-10/opcc.xlsx, so none of its rows were "
            "read. Did you mean 'Action No.'?") in printed
    assert ('ref = { aliases = ["Action No."] }. The file\'s headings that are not read: \'Action No.\', '
            "'Objective'.") in printed
    assert "it is reportgen.toml to correct, not the partners to chase" in printed
    assert "To chase:" not in printed
    assert "could not be read" not in printed
    assert "Not to chase, reportgen.toml to correct:" in printed
    assert ("OPCC: returned (inputs/returns/2026-10/opcc.xlsx), not read until reportgen.toml names its column"
            in printed)
    main(["build", "--workspace", str(root), "--period", PERIOD])
    with (root / "outputs" / PERIOD / "draft-01" / "chase.csv").open(encoding="utf-8-sig", newline="") as f:
        returned = {row["Partner"]: row["Returned"] for row in csv.DictReader(f)}
    assert returned["OPCC"] == "Yes, but not read until reportgen.toml names the column every return lacks"
