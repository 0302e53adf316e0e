"""Write docs/issues.md, the catalogue of issue codes, from `reportgen.issues.CODES`.

Run `python scripts/make_docs.py`; tests/test_docs.py fails when the file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportgen.issues import CODES

ROOT = Path(__file__).resolve().parents[1]


def issues_markdown() -> str:
    lines = [
        "# Issue codes",
        "",
        "Every problem reportgen finds in the inputs is an issue with one of these codes, the file, sheet,",
        "spreadsheet row and column heading (as the partner wrote it), the value, and what to do.",
        "`error` blocks publication (the build still writes the paper, lists the issues and exits 1);",
        "`warning` and `info` do not. Generated from `src/reportgen/issues.py` by `scripts/make_docs.py`.",
        "",
        "| code | severity | what it means | what to do |",
        "|---|---|---|---|",
    ]
    for code, (severity, meaning, advice) in CODES.items():
        lines.append(f"| `{code}` | {severity.value} | {meaning} | {advice} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = ROOT / "docs" / "issues.md"
    target.write_text(issues_markdown(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
