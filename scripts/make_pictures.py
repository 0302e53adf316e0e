"""Build the example workspace's paper into a temporary folder and save two of its pages as PNGs for the
README: docs/demo-cover.png (the cover sheet and narrative, page 1) and docs/demo-plan.png (the first
page of the delivery plan, found by its heading). Needs pdftoppm (poppler-utils, installed by
`make system`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

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


def page_starting(pdf: Path, heading: str) -> int:
    """The number of the first page whose text starts with `heading` (a section's first page)."""
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        if (page.extract_text() or "").lstrip().startswith(heading):
            return number
    raise SystemExit(f"{pdf}: no page starts with {heading!r}")


def save_page(pdf: Path, number: int, scratch: Path, name: str) -> None:
    prefix = scratch / name
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", "-f", str(number), "-l", str(number), str(pdf),
                    str(prefix)], check=True)
    shutil.copy(prefix.with_suffix(".png"), ROOT / "docs" / f"{name}.png")
    sys.stdout.write(f"docs/{name}.png (page {number})\n")


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        result = build_example(Path(scratch))
        pdf = result.folder / "paper.pdf"
        save_page(pdf, 1, Path(scratch), "demo-cover")
        save_page(pdf, page_starting(pdf, "Delivery plan"), Path(scratch), "demo-plan")
    return 0


if __name__ == "__main__":
    sys.exit(main())
