"""The documentation cannot drift from the code: commands, flows and issue codes."""

from __future__ import annotations

import sys

from conftest import ROOT
from reportgen.cli import make_parser
from reportgen.issues import CODES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_in_the_readme() -> None:
    parser = make_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, sub in commands.items():
        assert f"reportgen {name}" in README, name
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in README, f"{name} {option}"


def test_every_flow_script_is_in_the_readme() -> None:
    for script in sorted((ROOT / "flows").glob("*.py")):
        assert f"flows/{script.name}" in README, script.name


def test_issue_catalogue_is_up_to_date() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_docs import issues_markdown

    assert (ROOT / "docs" / "issues.md").read_text(encoding="utf-8") == issues_markdown(), \
        "run python scripts/make_docs.py"
    for code in CODES:
        assert f"`{code}`" in (ROOT / "docs" / "issues.md").read_text(encoding="utf-8")


def test_readme_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    assert "make demo" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
