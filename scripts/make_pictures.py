"""Build the example workspace's paper into a temporary folder and save its first pages as PNGs
for the README (docs/demo-page-N.png). Needs pdftoppm (poppler-utils, installed by `make system`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from reportgen.run.build import BuildResult, build_draft

ROOT = Path(__file__).resolve().parents[1]


def build_example(scratch: Path) -> BuildResult:
    """The example workspace copied into `scratch`, its September then its October paper built (so the
    October paper has a period to show progress from); the October build's result."""
    workspace = scratch / "ws"
    workspace.mkdir()
    for name in ("reportgen.toml", "narrative.md"):
        shutil.copy(ROOT / name, workspace / name)
    shutil.copytree(ROOT / "inputs", workspace / "inputs")
    build_draft(workspace, "2026-09")
    return build_draft(workspace)


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        result = build_example(Path(scratch))
        prefix = Path(scratch) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "3", str(result.folder / "paper.pdf"),
                        str(prefix)], check=True)
        for number, page in enumerate(sorted(Path(scratch).glob("page-*.png")), start=1):
            shutil.copy(page, ROOT / "docs" / f"demo-page-{number}.png")
            sys.stdout.write(f"docs/demo-page-{number}.png\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
