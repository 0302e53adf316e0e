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


SERVED_CODE = "REPORTGEN_SERVED_CODE"  # what `code_fingerprint` was when `reportgen serve` started; its runs inherit it


def code_fingerprint() -> str:
    """The reportgen installed now, as a short hash of its version and its modules' names, sizes and times: it changes
    when reportgen is upgraded, reinstalled or pulled (an editable install), whatever the version says."""
    import hashlib

    import reportgen

    package = Path(reportgen.__file__).parent
    digest = hashlib.sha256(reportgen.__version__.encode())
    for module in sorted(package.rglob("*.py")):
        facts = module.stat()
        digest.update(f"{module.relative_to(package)}\0{facts.st_size}\0{facts.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def code_changed_since_serve() -> bool:
    """In a run `reportgen serve` started: whether the reportgen installed now is not the one serve started with."""
    served = os.environ.get(SERVED_CODE)
    return bool(served) and served != code_fingerprint()
