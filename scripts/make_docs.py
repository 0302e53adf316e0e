"""Write docs/issues.md, the catalogue of issue codes, from `reportgen.issue_codes.CODES`.

Run `python scripts/make_docs.py`; tests/test_docs.py fails when the file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportgen.issue_codes import CODES, Code, Severity

ROOT = Path(__file__).resolve().parents[1]


def issues_markdown() -> str:
    lines = [
        "# Issue codes",
        "",
        "Every problem reportgen finds in the inputs is an issue with one of these codes, the file, sheet,",
        "spreadsheet row and column heading (as the partner wrote it), the value, and what to do.",
        "`error` blocks publication (the build still writes the paper, lists the issues and exits 1);",
        "`warning` and `info` do not; issues are listed file by file, and in a file errors first, then "
        "warnings, then notes (`info`), each by row.",
        "",
        "Each code has one severity and a message template filled in from the issue's own fields: `{file}`,",
        "`{sheet}`, `{row}` (the spreadsheet row), `{column}` (the heading as the partner wrote it), `{value}`,",
        "`{ref}` (the action), and the few other fields a template names; what to do is filled in the same way",
        "where it names a field (`{example}`: a file name from the workspace's own leads). Where one meaning arises in",
        "different situations, the code has named wordings (and, where it differs, their own advice).",
        "*to the partner* is what the acknowledgement of a mailed return tells the partner (its message, where the",
        "officer's names the secretariat's own files or folders, and what to do).",
        "Generated from `src/reportgen/issue_codes.py` by `scripts/make_docs.py`; to change a message, change",
        "its template there and run the script.",
        "",
        f"Severities: {', '.join(f'`{s.value}`' for s in Severity)} ({len(CODES)} codes).",
        "",
        "| code | severity | what it means | message | what to do |",
        "|---|---|---|---|---|",
    ]
    lines += [_row(name, code) for name, code in CODES.items()]
    return "\n".join(lines) + "\n"


def _row(name: str, code: Code) -> str:
    messages = []
    advice = [_cell(code.advice_text())]
    for wording in code.names():
        label = f"*{wording}*: " if wording else ""
        messages.append(f"{label}`{_cell(code.template_for(wording))}`")
        if wording and code.advice_for(wording) != code.advice:
            advice.append(f"*{wording}*: {_cell(code.advice_text(wording))}")
    if code.partner_message:
        messages.append(f"*to the partner*: `{_cell(code.partner_message)}`")
    if code.partner_advice:
        advice.append(f"*to the partner*: {_cell(code.partner_advice)}")
    advice += [f"*to the partner, {wording}*: {_cell(text)}" for wording, text in code.partner_wordings.items()]
    return (f"| `{name}` | {code.severity.value} | {_cell(code.title)} | {'<br>'.join(messages)} "
            f"| {'<br>'.join(advice)} |")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


if __name__ == "__main__":
    target = ROOT / "docs" / "issues.md"
    target.write_text(issues_markdown(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
