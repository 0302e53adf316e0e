"""reportgen: Police and Crime Panel papers from an action register and partner returns.

The library is the product; the CLI (`reportgen.shells.cli`) and the Prefect flows (`flows/`) are thin
shells over `reportgen.run.build.build_draft` and friends.
"""

from __future__ import annotations

import tomllib
from pathlib import Path


def _version() -> str:
    """reportgen's version, written in one place, pyproject.toml: read from it in a source checkout (run from the
    clone, or installed from it as editable, whose metadata is only as new as the last install), else from the
    installed package's metadata; "unknown" when neither is there, never a number that may be another release's."""
    source = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        project = tomllib.loads(source.read_text(encoding="utf-8")).get("project", {})
    except (OSError, ValueError):
        project = {}
    if project.get("name") == "reportgen" and isinstance(project.get("version"), str):
        return str(project["version"])
    import importlib.metadata  # only for an installed package (~10 ms at every start otherwise)

    try:
        return importlib.metadata.version("reportgen")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


__version__ = _version()
