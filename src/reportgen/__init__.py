"""reportgen: Police and Crime Panel papers from an action register and partner returns.

The library is the product; the CLI (`reportgen.shells.cli`) and the Prefect flows (`flows/`) are thin
shells over `reportgen.run.build.build_draft` and friends.
"""

from __future__ import annotations

__version__: str  # read on first use (`__getattr__`), not as the package is imported


def __getattr__(name: str) -> str:
    """`reportgen.__version__`, read the first time it is asked for. Importing the package runs nothing else: the
    command line's stop handlers (`reportgen.__main__`) are installed once it is imported, and a Ctrl-C while it
    read pyproject.toml (~10 ms, more on a busy machine) printed a traceback."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    version = globals()["__version__"] = _version()
    return version


def _version() -> str:
    """reportgen's version, written in one place, pyproject.toml: read from it in a source checkout (run from the
    clone, or installed from it as editable, whose metadata is only as new as the last install), else from the
    installed package's metadata; "unknown" when neither is there, never a number that may be another release's."""
    import tomllib
    from pathlib import Path

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

