"""Where each template file comes from: the workspace's `templates/` folder, file by file, else ours.

An officer may restyle only paper.docx, or only paper.css: every file missing from the workspace's
folder is taken from the project's defaults, so a partial folder never breaks a build or drops styles.
It reads no file; it only chooses paths.
"""

from __future__ import annotations

from pathlib import Path


def _shipped_templates() -> Path:
    """reportgen's own templates: installed inside the package (reportgen/templates, see pyproject.toml),
    or, in a source checkout (an editable install), templates/ at the top of the repo."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if (installed / "paper.docx").is_file() else here.parents[1] / "templates"


# the project's own templates, used for whatever a workspace does not provide
DEFAULT_TEMPLATES = _shipped_templates()
TEMPLATE_FILES = ("paper.docx", "paper.html.j2", "paper.css", "diff.html.j2", "diff.css")


def templates_folder(workspace: Path) -> Path:
    """The workspace's templates folder when it has one, else the defaults."""
    own = workspace / "templates"
    return own if own.is_dir() else DEFAULT_TEMPLATES


def template_file(folder: Path, name: str) -> Path:
    """`folder/name` when it is there, else the default file of that name."""
    own = Path(folder) / name
    return own if own.is_file() else DEFAULT_TEMPLATES / name


def search_path(folder: Path) -> list[Path]:
    """Folders to look in, in order: the given one, then the defaults (once)."""
    folder = Path(folder).resolve()
    default = DEFAULT_TEMPLATES.resolve()
    return [folder] if folder == default else [folder, default]
