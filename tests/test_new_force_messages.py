"""What an officer at a new force is told when starting out: a reportgen.toml naming a status where it is not
read, or an alias for no status; a new workspace's register without a plan page column; returns named in Welsh.
Each is run from the command line, as the officer runs it, and what it printed is read back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from conftest import FULL_COVER, REGISTER_HEADINGS, RETURN_HEADINGS, make_workspace, write_xlsx


def _run(*args: str) -> tuple[int, str]:
    """A reportgen command as typed: its exit code, and what it printed (both streams), lines unwrapped."""
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *args], capture_output=True, text=True,
                          timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, " ".join((done.stdout + done.stderr).split())


def test_an_alias_for_a_word_that_is_no_status_names_the_alias_the_statuses_and_the_line_to_write(
        tmp_path: Path) -> None:
    """`"Red" = "Delayed"` under [statuses] printed pydantic's own words, "aliases must map to one of [...]; not
    {'Red': 'Delayed'}". It now names the alias and its word as written in reportgen.toml, the statuses an alias
    may name, and what to write; a status mistyped ("complete") is given as the line to write."""
    root = make_workspace(tmp_path / "ws", toml=FULL_COVER + '\n[statuses]\naliases = { "Red" = "Delayed" }\n')
    code, printed = _run("validate", "--workspace", str(root))
    assert code != 0
    assert ('reportgen.toml: statuses.aliases: "Red" = "Delayed": "Delayed" is not a status; an alias names the '
            "status partners mean by the word, one of Completed, In progress, Not started or On hold. Write it as "
            '"Red" = "<one of them>", or take "Red" out of [statuses] aliases') in printed, printed
    assert "must map" not in printed and "{'Red'" not in printed
    (root / "reportgen.toml").write_text(FULL_COVER + '\n[statuses]\naliases = { "Done" = "complete" }\n',
                                         encoding="utf-8")
    _code, printed = _run("validate", "--workspace", str(root))
    assert 'Write it as "Done" = "Completed"' in printed, printed


def test_a_status_column_named_under_register_columns_is_pointed_to_returns_columns(tmp_path: Path) -> None:
    """`status = { aliases = ["RAG"] }` under [register.columns] was told only "unknown column key ['status']";
    it now says statuses come from the partners' returns, with the line for [returns.columns]. Moved there, the
    returns headed RAG are read."""
    returns = {"opcc.xlsx": [("Plan priority", "Action", "RAG", "Explanation", "Timeframe"),
                             (2, "x", "Completed", "Done.", "2026"), (4, "x", "In progress", "Tendered.", "2027"),
                             (6, "x", "On hold", "Paused.", "2027")]}
    root = make_workspace(tmp_path / "ws", returns=returns,
                          toml=FULL_COVER + '\n[register.columns]\nstatus = { aliases = ["RAG"] }\n')
    code, printed = _run("validate", "--workspace", str(root))
    assert code != 0
    assert ("register.columns: unknown column key ['status']; known: ['action', 'exempt', 'lead', 'page', 'ref', "
            "'section', 'was']. Statuses, explanations and timeframes come from the partners' returns, "
            "not the register: name the returns' heading under [returns.columns], "
            "e.g. status = { aliases = [\"RAG\"] }") in printed
    (root / "reportgen.toml").write_text(FULL_COVER + '\n[returns.columns]\nstatus = { aliases = ["RAG"] }\n',
                                         encoding="utf-8")
    _code, printed = _run("validate", "--workspace", str(root))
    assert "unknown column key" not in printed and "no column 'Status this reporting period'" not in printed


def test_a_new_workspaces_register_without_a_page_column_is_told_by_the_heading_init_gave_it(
        tmp_path: Path) -> None:
    """`reportgen init` heads its register's page column "Plan page"; an officer's own register without one was
    told "The register has no column 'CSCJ Plan page'", a heading the officer never saw. The note now names
    every heading read as the plan page, the starter register's among them."""
    root = tmp_path / "ws"
    assert _run("init", "--workspace", str(root))[0] == 0
    starter = openpyxl.load_workbook(root / "inputs" / "register.xlsx").active
    assert starter is not None and "Plan page" in [cell.value for cell in starter[1]]
    write_xlsx(root / "inputs" / "register.xlsx", [("Ref", "Section", "Lead", "Action"),
                                                   (1, "Victims", "OPCC", "Fund an advocacy service.")],
               sheet="Register")
    _code, printed = _run("validate", "--workspace", str(root), "--all")
    assert ("The register has no plan page column (none headed 'CSCJ Plan page', 'Plan page' or 'Page'), so the "
            "paper's table has no such column.") in printed, printed


def test_returns_named_with_a_welsh_month_are_read_as_their_partners(tmp_path: Path) -> None:
    """A Welsh force's partners name their returns in Welsh: "Tŷ Diogel – Rhagfyr.xlsx" was "matches no lead
    partner", though "Tŷ Diogel – December.xlsx" was read as Tŷ Diogel's. Welsh month names are passed over as
    English ones are, and a returns folder named "Rhagfyr 2026" is said to be period 2026-12."""
    register = [REGISTER_HEADINGS, (1, "Victims", "Tŷ Diogel", "Commission refuge places.", "9"),
                (2, "Victims", "OPCC", "Launch the portal.", "10")]
    returns = {"Tŷ Diogel – Rhagfyr.xlsx": [RETURN_HEADINGS, (1, "x", "In progress", "Twelve places open.", "2027")],
               "OPCC Mawrth.xlsx": [RETURN_HEADINGS, (2, "x", "Completed", "Live.", "2026")]}
    root = make_workspace(tmp_path / "ws", period="2026-12", register=register, returns=returns)
    _code, printed = _run("validate", "--workspace", str(root), "--period", "2026-12", "--all")
    assert "matches no lead" not in printed, printed
    assert "Completed 1, In progress 1" in printed, printed
    (root / "inputs" / "returns" / "Rhagfyr 2026").mkdir()
    _code, printed = _run("validate", "--workspace", str(root), "--period", "2026-12")
    assert "2026-12" in printed.split("Rhagfyr 2026", 1)[1][:300], printed
