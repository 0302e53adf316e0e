"""`copy_templates`: reportgen's default templates written into a workspace, to restyle from.

The secretariat restyles `templates/paper.docx` in Word; the PDF takes the same look from it
(`reportgen.render.theme`). CSS people may also take `paper.html.j2` and `paper.css`. An existing file is
never replaced: a restyled template is never lost to a second run. Each copy is recorded with a fingerprint of ours
(`reportgen.run.template_copies`), so that validate and build can say when ours has changed since.
"""

from __future__ import annotations

from pathlib import Path

from reportgen import template_files
from reportgen.errors import ReportgenError, UsageError
from reportgen.files import write_atomically
from reportgen.read.workspace import not_a_workspace
from reportgen.run.template_copies import RECORD_NAME, CopyRecord, record_of, write_new_versions, write_records

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
    records: dict[str, CopyRecord] = {}
    for name in names:
        target = folder / name
        if target.exists():
            kept.append(target)
            continue
        data = (template_files.DEFAULT_TEMPLATES / name).read_bytes()
        try:
            write_atomically(target, data, replace=False)
        except FileExistsError:  # written by someone else meanwhile: theirs stays
            kept.append(target)
            continue
        except OSError as error:
            raise ReportgenError(f"cannot write {target}: {error.strerror}") from error
        written.append(target)
        records[name] = record_of(data, "copied")
    try:
        write_records(folder, records)
    except OSError as error:
        raise ReportgenError(f"cannot write {folder / RECORD_NAME}: {error.strerror}") from error
    return written, kept


def write_new_templates(workspace: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """`template --new`: ours as it is now beside each workspace copy it has changed since, as `<name>.new`
    (`template_copies.write_new_versions`); the copies are never touched. (written, kept: a .new already there,
    differing: copies taken from ours as it is now that differ from it)."""
    workspace = Path(workspace)
    if not workspace.is_dir():
        raise UsageError(not_a_workspace(workspace))
    folder = workspace / "templates"
    if not folder.is_dir():
        return [], [], []
    try:
        return write_new_versions(folder)
    except OSError as error:
        raise ReportgenError(f"cannot write in {folder}: {error.strerror}") from error
