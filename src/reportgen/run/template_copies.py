"""Which of reportgen's templates each workspace template was copied from, and whether ours has changed since.

A workspace's templates/ keeps its copy of a template for ever, while reportgen's own change between versions (an
accessibility fix, a new column, a heading): without a record the copy goes stale silently. `reportgen template`
writes beside the copies a record, templates/copied-templates.json, with a fingerprint (SHA-256) of each of ours as
it copied it; `validate` and `build` compare it with ours as it is now and say which copy is behind and what to do.
A copy with no record (copied by hand, or by an older reportgen) is reported once: the first build records ours as
it is then, so later changes are told. The copies themselves are never read for anything but their fingerprint
and never written: the record is a file of its own, so a copy still renders exactly as ours did.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from reportgen import __version__, template_files
from reportgen.files import write_atomically
from reportgen.issues import Issue, issue

log = logging.getLogger(__name__)

RECORD_NAME = "copied-templates.json"
# every template a workspace may hold in place of ours (`template_files.template_file`, the web edition's own)
CHECKED_TEMPLATES = ("paper.docx", "paper.html.j2", "paper.css", "paper.web.html.j2", "paper.web.css",
                     "paper.web.js", "diff.html.j2", "diff.css")
NEW_SUFFIX = ".new"
ABOUT = ("Written by reportgen: the fingerprint (SHA-256) of reportgen's own template each file here was copied "
         "from, so that validate and build can say when reportgen's has changed since. Leave it beside the "
         "templates; remove a file's entry to be told again that its copy cannot be checked.")


@dataclass(frozen=True)
class CopyRecord:
    """Ours as a copy was taken from (or, for a copy made by hand, as it was when first checked)."""

    sha256: str
    reportgen: str  # the version that wrote it
    date: str  # YYYY-MM-DD
    how: str  # "copied", "first checked" (a copy with no record) or "written beside as .new"


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_of(data: bytes, how: str) -> CopyRecord:
    """A record of ours as `data`, the bytes just copied (not read again: ours could change meanwhile)."""
    return CopyRecord(hashlib.sha256(data).hexdigest(), __version__, datetime.date.today().isoformat(), how)


def ours_now(name: str, how: str) -> CopyRecord:
    """A record of reportgen's own `name` as installed now."""
    return record_of((template_files.DEFAULT_TEMPLATES / name).read_bytes(), how)


def read_records(folder: Path) -> dict[str, CopyRecord]:
    """The record of `folder`; none when it is missing or damaged (each copy is then reported as unchecked, which
    is true, rather than stopping a build over a bookkeeping file)."""
    try:
        entries = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))["copies"]
        return {name: CopyRecord(**entry) for name, entry in entries.items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        log.info("%s is not readable as a record of copied templates (%s): it is ignored", folder / RECORD_NAME,
                 error)
        return {}


def write_records(folder: Path, updates: Mapping[str, CopyRecord]) -> None:
    """`updates` added to the folder's record (each name's line replaced), the rest kept."""
    if not updates:
        return
    merged = {**read_records(folder), **updates}
    text = json.dumps({"about": ABOUT, "copies": {name: asdict(merged[name]) for name in sorted(merged)}},
                      indent=2, ensure_ascii=False) + "\n"
    write_atomically(folder / RECORD_NAME, text.encode("utf-8"))


def copies_in(folder: Path) -> list[str]:
    """The names of our templates that `folder` holds a copy of: none when it is ours (a source checkout's own
    example workspace reads them from there, and nothing may be written among them)."""
    if folder.resolve() == template_files.DEFAULT_TEMPLATES.resolve():
        return []
    return [name for name in CHECKED_TEMPLATES if (folder / name).is_file()]


def is_behind(name: str, record: CopyRecord) -> bool:
    """Ours has changed since the copy was taken."""
    return record.sha256 != fingerprint(template_files.DEFAULT_TEMPLATES / name)


def copy_issues(folder: Path, shown: Callable[[Path], str], workspace: Path) -> list[Issue]:
    """For each copy in the workspace's templates `folder`: a warning when ours has changed since it was copied, a
    note when there is no record to tell; nothing for a copy whose original is unchanged, however restyled."""
    records = read_records(folder)
    found = []
    for name in copies_in(folder):
        copy = folder / name
        where = {"file": shown(copy), "value": name, "workspace": str(workspace)}
        new = shown(copy.with_name(name + NEW_SUFFIX))
        record = records.get(name)
        if record is None:
            found.append(issue("template-copy-unrecorded", new=new, **where))
        elif is_behind(name, record):
            when = {"copied": record.date, "version": record.reportgen}
            untouched = fingerprint(copy) == record.sha256  # nothing of theirs to merge: ours can simply replace it
            found.append(issue("template-copy-outdated", "untouched", **when, **where) if untouched
                         else issue("template-copy-outdated", new=new, how=record.how, **when, **where))
    return found


def record_unrecorded(folder: Path) -> list[str]:
    """After a build: ours as it is now recorded for each copy with no record, so that its note is given once
    and later changes to ours are told. A folder that cannot be written keeps its note; nothing else is lost."""
    records = read_records(folder)
    names = [name for name in copies_in(folder) if name not in records]
    try:
        write_records(folder, {name: ours_now(name, "first checked") for name in names})
    except OSError as error:
        log.info("could not record the templates of %s: %s", folder, error.strerror)
        return []
    return names


def write_new_versions(folder: Path) -> tuple[list[Path], list[Path]]:
    """Ours, as it is now, beside each copy that is behind it (or has no record) as `<name>.new`, for the officer to
    merge; the copies themselves are not touched. The record then points at ours as written, so the warning stops
    while the .new file waits beside the copy. (written, kept: a .new already there, perhaps being merged)."""
    records = read_records(folder)
    written: list[Path] = []
    kept: list[Path] = []
    updates = {}
    for name in copies_in(folder):
        record = records.get(name)
        if record is not None and not is_behind(name, record):
            continue
        target = folder / (name + NEW_SUFFIX)
        data = (template_files.DEFAULT_TEMPLATES / name).read_bytes()
        try:
            write_atomically(target, data, replace=False)
        except FileExistsError:
            kept.append(target)
            continue
        written.append(target)
        updates[name] = record_of(data, "written beside as .new")
    write_records(folder, updates)
    return written, kept
