"""The record that a kept draft is the paper published (sent to the Panel, put on the website): `published.json` in
its folder, beside its files, written once by `reportgen publish` and never replaced.

A revised paper (`build --revises`) corrects the paper published, and `reportgen history` says what that paper said
of each status corrected since; neither can tell it from a check's draft by its files alone. The record names the
draft, its period and edition, when it was marked, and the SHA-256 of each file the draft's manifest kept, so the
files sent are shown to be the ones kept. The draft's own files are never written: this module only keeps the
record.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from reportgen.drafts import folders as drafts
from reportgen.drafts.records import now_iso
from reportgen.errors import ReportgenError
from reportgen.files import write_atomically

PUBLISHED_JSON = "published.json"
ABOUT = ("Written by `reportgen publish`: this draft is the paper published (sent to the Panel). A revised paper "
         "(`reportgen build --revises`) corrects it, and `reportgen history` names it where a status was corrected "
         "since. Never replaced; delete it only if the draft was marked by mistake.")


@dataclass(frozen=True)
class PublishedMark:
    draft: str  # as the drafts are named: "2026-09/draft-02"
    period: str
    edition: str
    marked: str  # ISO timestamp
    files: tuple[tuple[str, str], ...] = ()  # (file name, SHA-256) of the draft's outputs, as its manifest kept them


def mark_of(folder: Path) -> PublishedMark | None:
    """The draft's record of being published; None when it has none, or one that cannot be read (a draft is
    published only by a record saying so)."""
    try:
        data = json.loads((folder / PUBLISHED_JSON).read_text(encoding="utf-8"))
        return PublishedMark(str(data["draft"]), str(data["period"]), str(data["edition"]), str(data["marked"]),
                             tuple((str(name), str(sha)) for name, sha in data.get("files", {}).items()))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write_mark(folder: Path) -> PublishedMark:
    """Record the kept draft `folder` as published; a `FileExistsError` when it already is (never replaced)."""
    manifest = drafts.load_manifest(folder)
    mark = PublishedMark(drafts.kept_name(folder), manifest.period, manifest.edition, now_iso(),
                         tuple((record.path.rsplit("/", 1)[-1], record.sha256) for record in manifest.outputs))
    data = {"about": ABOUT, **asdict(mark), "files": dict(mark.files)}
    write_atomically(folder / PUBLISHED_JSON, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
                     replace=False)
    return mark


def published_drafts(outputs: Path, period: str, edition: str) -> list[Path]:
    """The kept drafts of `period` in `edition` recorded as published, oldest first."""
    found = []
    for folder in drafts.draft_folders(outputs, period):
        mark = mark_of(folder)
        if mark is None:
            continue
        try:
            if drafts.load_manifest(folder).edition == edition:
                found.append(folder)
        except ReportgenError:  # its paper cannot be read: nothing can be revised or compared against it
            continue
    return found
