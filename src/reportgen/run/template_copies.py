"""Which of reportgen's templates each workspace template was copied from, and whether ours has changed since.

A workspace's templates/ keeps its copy of a template for ever, while reportgen's own change between versions (an
accessibility fix, a new column, a heading): without a record the copy goes stale silently. `reportgen template`
writes beside the copies a record, templates/copied-templates.json, with a fingerprint (SHA-256) of each of ours as
it copied it; `validate` and `build` compare it with ours as it is now and say which copy is behind and what to do.
A copy with no record (copied by hand, or by an older reportgen) is told by its bytes alone: ours as it is now is
recorded as such by the first build (its note given once); ours as an earlier release shipped it (`earlier_templates`,
from the repository's history) is recorded as that release's, and so told to be out of date; anything else is recorded
as of unknown origin, and said to be until ours is written beside it to merge. The copies themselves are never read
for anything but their fingerprint and never written: the record is a file of its own, so a copy still renders
exactly as ours did.
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
from reportgen.earlier_templates import EARLIER_TEMPLATES
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
    how: str  # "copied", "first checked" (a copy with no record: ours), EARLIER, UNKNOWN or "written beside as .new"


EARLIER = "recognised as an earlier release's"  # a copy with no record that is ours as an earlier release shipped it
UNKNOWN = "of unknown origin"  # a copy with no record that is neither ours now nor as any release shipped it


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_of(data: bytes, how: str) -> CopyRecord:
    """A record of ours as `data`, the bytes just copied (not read again: ours could change meanwhile)."""
    return CopyRecord(hashlib.sha256(data).hexdigest(), __version__, datetime.date.today().isoformat(), how)


def origin_of(copy: Path) -> CopyRecord:
    """What a copy with no record was taken from, told by its bytes: ours as it is now ("first checked"), ours as an
    earlier release shipped it (that release's fingerprint, date and version), or nothing known (no fingerprint:
    then it is never taken for ours as it is now, which would hide every change made to ours since)."""
    data = copy.read_bytes()
    if data == (template_files.DEFAULT_TEMPLATES / copy.name).read_bytes():
        return record_of(data, "first checked")
    return earlier_release(copy.name, data) or CopyRecord("", __version__, datetime.date.today().isoformat(), UNKNOWN)


def earlier_release(name: str, data: bytes) -> CopyRecord | None:
    """The record of ours as an earlier release shipped `name` byte for byte as `data`, if one did."""
    sha256 = hashlib.sha256(data).hexdigest()
    found = EARLIER_TEMPLATES.get(name, {}).get(sha256)
    return CopyRecord(sha256, found[1], found[0], EARLIER) if found else None


def is_earlier_release(copy: Path) -> bool:
    """The copy is ours as an earlier release shipped it, not ours as it is now: nothing in it is the officer's."""
    data = copy.read_bytes()
    return (data != (template_files.DEFAULT_TEMPLATES / copy.name).read_bytes()
            and earlier_release(copy.name, data) is not None)


def record_for(folder: Path, name: str, records: Mapping[str, CopyRecord]) -> CopyRecord:
    """The copy's record; for one with none, what its bytes tell (`origin_of`). A record a first check wrote of ours
    as it is now for a copy that is an earlier release's (as reportgen did before it compared the bytes) is
    replaced by that release's, so that the copy is told to be out of date."""
    record = records.get(name)
    if record is None:
        return origin_of(folder / name)
    if record.how == "first checked" and fingerprint(folder / name) != record.sha256:
        return earlier_release(name, (folder / name).read_bytes()) or record
    return record


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
    """For each copy in the workspace's templates `folder`: a warning when ours has changed since it was copied, or
    when what it was copied from cannot be told; a note when it has no record but is ours as it is now; nothing for
    a copy whose original is unchanged, however restyled."""
    records = read_records(folder)
    found = []
    for name in copies_in(folder):
        copy = folder / name
        where = {"file": shown(copy), "value": name, "workspace": str(workspace)}
        new = shown(copy.with_name(name + NEW_SUFFIX))
        record = record_for(folder, name, records)
        if name not in records and record.how == "first checked":
            found.append(issue("template-copy-unrecorded", file=where["file"], value=name))
        elif record.how == UNKNOWN:
            found.append(issue("template-copy-unknown", new=new, **where))
        elif is_behind(name, record):
            when = {"copied": record.date, "version": record.reportgen}
            untouched = fingerprint(copy) == record.sha256  # nothing of theirs to merge: ours can simply replace it
            found.append(issue("template-copy-outdated", "untouched", **when, **where) if untouched
                         else issue("template-copy-outdated", new=new, how=record.how, **when, **where))
    return found


def record_unrecorded(folder: Path) -> list[str]:
    """After a build: what each copy with no record was taken from, as its bytes tell (`origin_of`), so that its note
    is given once and later changes to ours are told; a copy that is not ours as it is now is recorded as an earlier
    release's or of unknown origin, never as ours. A folder that cannot be written keeps its note; nothing else is
    lost."""
    records = read_records(folder)
    names = [name for name in copies_in(folder) if name not in records]
    try:
        write_records(folder, {name: origin_of(folder / name) for name in names})
    except OSError as error:
        log.info("could not record the templates of %s: %s", folder, error.strerror)
        return []
    return names


def write_new_versions(folder: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Ours, as it is now, beside each copy that is behind it (or whose origin is unknown) as `<name>.new`, for the
    officer to merge; the copies themselves are not touched. The record then points at ours as written, so the
    warning stops while the .new file waits beside the copy. (written, kept: a .new already there, perhaps being
    merged, and differing: copies recorded as taken from ours as it is now that differ from it, restyled or being
    merged, so that "nothing written" is never taken to mean every copy is ours)."""
    records = read_records(folder)
    written: list[Path] = []
    kept: list[Path] = []
    differing: list[Path] = []
    updates = {}
    for name in copies_in(folder):
        record = record_for(folder, name, records)
        if not is_behind(name, record):
            if name not in records:  # ours as it is now, byte for byte: recorded, nothing to merge
                updates[name] = record
            elif fingerprint(folder / name) != record.sha256:
                differing.append(folder / name)
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
    return written, kept, differing
