"""`make bench` must keep running: its script, on a tiny generated workspace and the sample, without
LibreOffice, writing its JSON elsewhere (not timed: the figures are the benchmark's, not the tests')."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # ~35 s of fresh builds


def test_the_benchmark_runs_and_reports_fresh_builds(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "10", "--no-libreoffice",
                           "--no-doc", "--results", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "latest.json").read_text())
    (size,) = report["sizes"]
    assert size["size"] == 10 and size["build"]["wall"] > 0 and size["build"]["pdf_pages"] > 0
    assert size["build"]["pdf_kib"] > 0 and "| PDF KiB |" in done.stdout
    assert set(size["stages"]["times"]) >= {"read", "paper", "docx", "pdf", "tables", "draft"}
    assert "| 10 |" in done.stdout and "`reportgen validate` on the sample" in done.stdout
    if (ROOT.parent / "shared" / "sample-2023").is_dir():
        assert report["sample"]["build"]["pdf_pages"] > 30
        assert report["startup"]["times"]
