"""Prefect's environment, set at the edge before Prefect is first imported (it reads it only then).

State goes to `PREFECT_HOME` (default: `.prefect/` in the project folder, see docs/prefect.md), not
`~/.prefect`; analytics are off, since these machines have no internet. Values already set win.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def configure(home: Path | None = None) -> None:
    os.environ.setdefault("PREFECT_HOME", str(home or PROJECT / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
