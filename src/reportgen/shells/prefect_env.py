"""Prefect's environment, set at the edge before Prefect is first imported (it reads it only then).

State goes to `PREFECT_HOME`, by default `.prefect/` in the folder reportgen is run from (for a
clone, the repo; for an installed package, wherever the secretariat runs it), never `~/.prefect`
shared with other Prefect projects; analytics are off, since these machines have no internet.
Values already set in the environment win. See the README ("The monthly schedule and scaling out").
"""

from __future__ import annotations

import os
from pathlib import Path


def configure(home: Path | None = None) -> None:
    os.environ.setdefault("PREFECT_HOME", str((home or Path.cwd() / ".prefect").absolute()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
