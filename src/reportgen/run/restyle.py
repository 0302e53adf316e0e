"""`copy_templates`: reportgen's default templates written into a workspace, to restyle from.

The secretariat restyles `templates/paper.docx` in Word; the PDF takes the same look from it
(`reportgen.render.theme`). CSS people may also take `paper.html.j2` and `paper.css`. An existing file is
never replaced: a restyled template is never lost to a second run.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.errors import ReportgenError, UsageError
from reportgen.files import write_atomically
from reportgen.read.workspace import not_a_workspace
from reportgen.template_files import DEFAULT_TEMPLATES

WORD_TEMPLATE = ("paper.docx",)
PDF_TEMPLATES = ("paper.html.j2", "paper.css")


def copy_templates(workspace: Path, names: tuple[str, ...] = WORD_TEMPLATE) -> tuple[list[Path], list[Path]]:
    """Copy the default templates `names` into `workspace/templates/`: (written, kept because already there)."""
    workspace = Path(workspace)
    if not workspace.is_dir():
        raise UsageError(not_a_workspace(workspace))
    folder = workspace / "templates"
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder: move it away to write the templates")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise ReportgenError(f"cannot make the folder {folder}: {error.strerror}") from error
    written: list[Path] = []
    kept: list[Path] = []
    for name in names:
        target = folder / name
        if target.exists():
            kept.append(target)
            continue
        try:
            write_atomically(target, (DEFAULT_TEMPLATES / name).read_bytes(), replace=False)
        except FileExistsError:  # written by someone else meanwhile: theirs stays
            kept.append(target)
            continue
        except OSError as error:
            raise ReportgenError(f"cannot write {target}: {error.strerror}") from error
        written.append(target)
    return written, kept
