from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = SHARED / "sample-2023"
REFERENCE = SHARED / "reference" / "panel-paper-2023-02.txt"

# Prefect state for the whole test session stays out of ~/.prefect
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect" / "tests"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)  # Prefect makes only the last level

needs_sample = pytest.mark.skipif(not SAMPLE.is_dir(), reason="../shared/sample-2023 is not beside the repo")
