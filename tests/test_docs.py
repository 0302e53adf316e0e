"""The documentation cannot drift from the code: commands, flows and issue codes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, copy_example, make_workspace
from reportgen.issues import CODES
from reportgen.run.build import build_draft
from reportgen.shells.cli import main, make_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_in_the_readme() -> None:
    for name, command in make_parser().commands.items():
        assert f"reportgen {name}" in README, name
        for param in command.params:
            for option in param.opts:
                if option.startswith("--"):
                    assert option in README, f"{name} {option}"


def test_each_commands_row_of_the_readme_lists_exactly_its_options() -> None:
    """The command table's first cell is the synopsis a newcomer copies: `reportgen build [--workspace DIR]
    …` lacked --all, which every build's summary points to ("see issues.csv, or --all")."""
    rows = dict(re.findall(r"^\| `reportgen ([a-z-]+)( [^`]*)?` \|", README, re.M))
    for name, command in make_parser().commands.items():
        assert name in rows, f"no row for reportgen {name} in the README's command table"
        written = set(re.findall(r"--[a-z-]+", rows[name]))
        options = {option for param in command.params for option in param.opts if option.startswith("--")}
        assert written == options - {"--help"}, f"reportgen {name}: README {sorted(written)}, --help {sorted(options)}"


def test_history_help_names_the_folder_and_files_each_edition_writes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen history --help` said the default folder is outputs/history and the files history.xlsx and
    history.csv; the restricted edition writes history-restricted.* into outputs/history-restricted."""
    root = make_workspace(tmp_path / "ws")
    build_draft(root, edition="restricted")
    assert main(["history", "--workspace", str(root), "--edition", "restricted"]) == 0
    folder = Path(capsys.readouterr().out.splitlines()[-1]).relative_to(root)
    written = sorted(path.name for path in (root / folder).iterdir())
    assert main(["history", "--help"]) == 0
    told = " ".join(capsys.readouterr().out.split())
    assert folder.as_posix() in told and "outputs/history," in told
    assert written == ["history-restricted-carried-forward.csv", "history-restricted-corrected.csv",
                       "history-restricted.csv", "history-restricted.xlsx"]
    assert "history-restricted.xlsx and .csv" in told and "history-carried-forward.csv" in told
    assert "history-corrected.csv" in told.replace("history- ", "history-")  # the help wraps at its hyphen


def test_diff_help_names_the_folder_it_writes_for_drafts_built_with_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen diff --help` gave only outputs/<period>/compare/<old>-to-<new> as the default folder; two
    drafts built with --out (the README's outputs/restricted-september) are compared beside the new one."""
    root = make_workspace(tmp_path / "ws")
    old = build_draft(root, out=root / "outputs" / "first").folder
    new = build_draft(root, out=root / "outputs" / "second").folder
    assert main(["diff", str(old), str(new)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == str(root / "outputs" / "second-compare-first")
    assert main(["diff", "--help"]) == 0
    assert "<new>-compare-<old> beside a new draft built with --out" in " ".join(capsys.readouterr().out.split())


def test_help_says_what_a_newcomer_scripting_or_serving_needs(capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen build --help` and `validate --help` gave no exit codes (the flow scripts' help did), which
    whoever runs them from cron needs; `serve --help` said nothing of running until Ctrl-C or of the Prefect
    server it starts when PREFECT_API_URL is not set."""
    for name in ("build", "validate"):
        assert main([name, "--help"]) == 0
        assert "Exit 0 done, 1 blocking issues found, 2 wrong usage." in " ".join(capsys.readouterr().out.split())
    assert main(["serve", "--help"]) == 0
    told = " ".join(capsys.readouterr().out.split())
    assert "until Ctrl-C" in told and "Without PREFECT_API_URL it starts a Prefect server" in told


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as dashes."""
    return {re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
            for title in re.findall(r"^#+ (.*)$", markdown, re.M)}


def test_every_link_and_file_the_docs_name_is_in_a_fresh_clone() -> None:
    """A newcomer reads the README and docs/ in a clone of the repo: every link resolves (file and anchor), and
    no page sends them to a file beside the repo (docs/prefect.md pointed at ../shared/PITFALLS.md) but the
    sample workspace, which the README says is optional."""
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path) if path else page
            assert linked.exists(), f"{page.name}: {target}"
            if anchor:
                assert anchor in heading_anchors(linked.read_text(encoding="utf-8")), f"{page.name}: {target}"
        # ../my-office: the folder the README's `reportgen init` makes, beside the clone
        outside = set(re.findall(r"\.\./[\w./-]+", page.read_text(encoding="utf-8"))) - {"../shared/sample-2023",
                                                                                       "../my-office"}
        assert not outside, f"{page.name} names {sorted(outside)}, which a clone of the repo does not have"


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


def test_the_readme_calls_each_issue_it_names_what_the_catalogue_does() -> None:
    """The README said a font swapped for one of other widths is reported as `font-substituted`; the build reports
    it as `font-missing`, a warning, as docs/issues.md says. Each "a note (`code`)" or "a warning (`code`)" in the
    README names a code of that severity, and the font of other widths is named by its own code."""
    named = re.findall(r"\ban?\s+(note|warning|error)\s+\(`([a-z0-9-]+)`\)", README)
    assert ("note", "font-substituted") in named and ("warning", "font-missing") in named
    severity = {"note": "info", "warning": "warning", "error": "error"}
    assert [(said, code) for said, code in named if CODES[code].severity.value != severity[said]] == []


def test_readme_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    assert "make demo" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """The `reportgen …` lines of the README's sh code blocks, as a person pastes them (comments dropped)."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if re.match(r"(\.venv/bin/)?reportgen\b", command):
                commands.append(command)
    return commands


def test_readme_commands_work_as_written(tmp_path: Path) -> None:
    """Each `reportgen` command of the README, pasted in the example workspace as `make demo` leaves it
    (its venv, draft-01, ../shared beside it). `reportgen serve` runs until stopped and `reportgen deploy`
    needs the Prefect server the README starts before it: test_scale_out runs both."""
    repo = copy_example(tmp_path / "repo")
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)
    if SAMPLE.is_dir():
        (tmp_path / "shared").mkdir()
        (tmp_path / "shared" / "sample-2023").symlink_to(SAMPLE)
    build_draft(repo)  # the demo's draft-01
    commands = readme_commands()
    assert len(commands) >= 6 and all(c.startswith(".venv/bin/reportgen ") for c in commands), commands
    for command in commands:
        if " serve" in command or " deploy " in command or ("sample-2023" in command and not SAMPLE.is_dir()):
            continue
        done = subprocess.run(["bash", "-c", command], cwd=repo, capture_output=True, text=True, timeout=300)
        expected = 1 if "sample-2023" in command else 0  # the sample's returns have two blocking issues
        assert done.returncode == expected, f"{command}\n{done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr, command
    assert (repo / "outputs" / "2026-10" / "compare" / "draft-01-to-draft-02" / "diff.docx").is_file()
    assert (repo / "outputs" / "restricted-september" / "paper.pdf").is_file()
    assert len(list((repo / "outputs" / "2026-11" / "returns").glob("*.xlsx"))) == 5
    assert (tmp_path / "my-office" / "inputs" / "register.xlsx").is_file()  # `reportgen init`, beside the clone


def test_the_prefect_blocks_are_safe_to_paste_twice() -> None:
    """The scale-out blocks of the README and docs/prefect.md are pasted again by whoever runs them a second
    time: `prefect work-pool create` without --overwrite failed then (exit 1, the pool exists), and a
    `prefect deployment run … --watch` not chained to its deploy waited for ever when the deploy refused."""
    for name, text in (("README.md", README), ("docs/prefect.md", (ROOT / "docs" / "prefect.md").read_text("utf-8"))):
        for block in re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S):
            lines = [line.split("  #")[0].strip() for line in block.splitlines()]
            for number, line in enumerate(lines):
                if "work-pool create" in line:
                    assert "--overwrite" in line, f"{name}: {line}"
                if "prefect deployment run" in line:
                    assert "--watch-timeout" in line, f"{name}: {line}"
                    before = lines[number - 1] if number else ""
                    assert "reportgen deploy" in before and before.endswith("&&"), f"{name}: {line} after {before!r}"


def test_the_readme_says_in_what_order_validate_and_build_end(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The README said validate's last line is "the verdict, as always", but with partners to chase validate
    and build print them after the verdict, and build the draft folder last. Run in the example workspace (two
    partners to chase), each ends as the README now says it does."""
    root = copy_example(tmp_path / "ws")
    ends = {}
    for command in ("validate", "build"):
        assert main([command, "--workspace", str(root)]) == 0
        out = capsys.readouterr().out.splitlines()
        verdict = next(i for i, line in enumerate(out) if line.endswith(": nothing blocks publication."))
        ends[command] = out[verdict + 1:]
    *chase, folder = ends["build"]
    assert ends["validate"] == chase and chase[0] == "To chase:" and len(chase) == 3
    assert all(line.startswith("  Wessex ") for line in chase[1:])
    assert folder == str(root / "outputs" / "2026-10" / "draft-01")
    told = " ".join(README.split())
    assert "Its last line is the verdict, as always" not in told
    assert ("`validate` and `build` print the verdict after the issues, then, under `To chase:`, a line for each "
            "partner still to chase (and, under `Not to chase, the register to correct:`, a partner listed only "
            "because the register writes its lead two ways); `build` prints the draft folder after them, as its last "
            "line") in told
