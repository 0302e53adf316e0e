"""Kept drafts: `outputs/<period>/draft-NN/` folders holding a paper's files, draft.json and manifest.json; and the
workspace's `registers/`, a copy of each register a draft was built from, named by its hash.

A build writes into a hidden temporary folder (`start_draft`) and publishes it with one atomic
rename under a per-period lock (`publish_draft`), so a killed build never leaves a partial draft
that looks like a draft, and two builds never take the same number. A published draft is never
written to again. This module does no rendering and reads no settings: it only keeps files.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reportgen.drafts.records import (
    Manifest,
    file_record,
    file_sha256,
    manifest_from_json,
    manifest_to_json,
    now_iso,
    paper_from_json,
    paper_to_json,
)
from reportgen.errors import ReportgenError, UsageError
from reportgen.files import holds_anything, publish_folder, write_atomically
from reportgen.model import Paper
from reportgen.periods import is_period
from reportgen.stops import stops_held
from reportgen.wording import quoted

DRAFT_JSON = "draft.json"
MANIFEST_JSON = "manifest.json"
LOCK_FILE = ".lock"
# where each register a draft was built from is kept, named by its hash: building its period again keeps its plan.
# Beside the inputs, not among the outputs: nothing in outputs/ of the public edition holds an exempt action, and
# the register does
REGISTERS = "registers"

_DRAFT_RE = re.compile(r"^draft-(\d{2,})$")
# `.draft-tmp-<host>-<pid>-<hex>`; an older reportgen's `.draft-tmp-<pid>-<hex>` names no host
_TMP_RE = re.compile(r"^\.draft-tmp-(?:(?P<host>[A-Za-z0-9_.-]+)-)?(?P<pid>\d+)-[0-9a-f]+$")
# a temporary folder of another machine (or of no named one) untouched this long is taken to be left by a build
# that died: a build writes into its folder all the time, and the slowest take minutes
STALE_AFTER = 3600.0


# ---------------------------------------------------------------- draft folders


def draft_name(number: int) -> str:
    return f"draft-{number:02d}"


def kept_name(folder: Path) -> str:
    """A kept draft as the drafts name one another (a revised paper's `revises`, published.json's `draft`): its
    period's folder and its own, "2026-09/draft-02"."""
    return f"{folder.parent.name}/{folder.name}"


def draft_number(folder: Path) -> int | None:
    """NN of a `draft-NN` folder, or None for any other name."""
    match = _DRAFT_RE.match(folder.name)
    return int(match.group(1)) if match else None


def period_folder(outputs: Path, period: str) -> Path:
    if not is_period(period):
        raise ReportgenError(f"period {quoted(period)} is not YYYY-MM")
    return outputs / period


def draft_folders(outputs: Path, period: str | None = None) -> list[Path]:
    """Published drafts, oldest first: by period, then by number (draft-100 after draft-99).

    A draft's period is the one its manifest records: a `draft-NN` folder in another period's folder (a build's
    `--out` once named it so) is left out, so that it is never carried from, compared with, or read for the
    history as a draft of the period its folder names (`misplaced_drafts` lists them). One whose manifest cannot
    be read is kept in, under its folder's period, so that its damage is reported; one with no manifest at all is
    left out (`unfinished_drafts` lists them).
    """
    return [path for path, recorded in _numbered_folders(outputs, period) if recorded in (None, path.parent.name)]


def unfinished_drafts(outputs: Path) -> list[Path]:
    """Each `outputs/<period>/draft-NN` folder with no manifest.json, oldest first: not a draft reportgen kept (a
    build moves a draft into place whole, its manifest written last), but a copy or sync stopped partway, so
    `draft_folders` leaves it out rather than read it as the period's newest draft."""
    return [path for path in _draft_named(outputs) if not _has_manifest(path)]


def _has_manifest(folder: Path) -> bool:
    return os.path.lexists(folder / MANIFEST_JSON)  # one there but damaged is a kept draft, and its damage is said


def misplaced_drafts(outputs: Path) -> list[tuple[Path, str]]:
    """Each `draft-NN` folder whose manifest records a period other than its folder's, with that period."""
    return [(path, recorded) for path, recorded in _numbered_folders(outputs)
            if recorded is not None and recorded != path.parent.name]


def _numbered_folders(outputs: Path, period: str | None = None) -> list[tuple[Path, str | None]]:
    """Each `outputs/<period>/draft-NN` folder, oldest first, with the period its manifest records (None when
    that cannot be read)."""
    return [(path, recorded_period(path)) for path in _draft_named(outputs, period) if _has_manifest(path)]


def _draft_named(outputs: Path, period: str | None = None) -> list[Path]:
    """Each `outputs/<period>/draft-NN` folder, oldest first: by period, then by number."""
    if not outputs.is_dir():
        return []
    periods = [period_folder(outputs, period)] if period else [
        p for p in outputs.iterdir() if is_period(p.name)
    ]
    found: list[tuple[str, int, Path]] = []
    for folder in periods:
        if not folder.is_dir():
            continue
        for child in folder.iterdir():
            number = draft_number(child)
            if number is not None and child.is_dir():
                found.append((folder.name, number, child))
    return [path for _period, _number, path in sorted(found)]


def recorded_period(folder: Path) -> str | None:
    """The period a kept draft's manifest records; None when it cannot be read."""
    try:
        return load_manifest(folder).period
    except ReportgenError:
        return None


def check_out_period(out: Path, period: str, outputs: Path) -> None:
    """Refuse (wrong usage) an `--out` named like the kept draft of another period inside the workspace's `outputs`
    (`outputs/2026-09/draft-01` for October's paper): the next build of that period would take the folder's name for
    its own draft's. Elsewhere no build reads a draft by its folder's name, so the name is the officer's to choose."""
    named = draft_folder_period(out, outputs)
    if named is not None and named != period:
        raise UsageError(f"--out {out} looks like a draft folder of {named}, but this paper is for {period}: later "
                         f"builds would take it for a draft of {named}. Leave out --out to keep it as the next draft "
                         f"of {period} (in outputs/{period}/), or choose a folder not named draft-NN")


def check_out_not_draft(out: Path, outputs: Path, what: str) -> None:
    """Refuse (wrong usage) an `--out` for files that are not a draft (`what`: "the history") named like a kept draft
    inside the workspace's `outputs` (`outputs/2026-12/draft-09`): with no manifest.json it would be an unfinished
    draft to every later build, history and comparison, said on each of them; `check_out_period` is the same rule."""
    named = draft_folder_period(out, outputs)
    if named is not None:
        raise UsageError(f"--out {out} looks like a draft folder of {named}, but {what} is not a draft: every later "
                         f"build, history and comparison would take it for an unfinished draft of {named}. Leave out "
                         "--out, or choose a folder not named draft-NN")


def draft_folder_period(out: Path, outputs: Path) -> str | None:
    """The period whose draft `out` would be taken for: `outputs/<period>/draft-NN` in the workspace's `outputs`
    (through links too: where the drafts are listed from); None for any other folder."""
    target = out.absolute()
    named = target.parent.name
    if draft_number(target) is None or not is_period(named):
        return None
    return named if target.parent.parent.resolve() == outputs.resolve() else None


def check_out_outputs(out: Path, period: str, outputs: Path) -> None:
    """Refuse (wrong usage) an `--out` that is the workspace's `outputs` folder or a period's folder in it
    (`outputs/2026-11`): the draft's manifest.json would make the folder a kept draft, and the next builds would
    keep their drafts inside it (`outputs/2026-11/draft-01` within October's paper)."""
    target, kept = out.absolute().resolve(), outputs.absolute().resolve()  # through links too
    if target == kept:
        where = "the workspace's outputs folder"
    elif target.parent == kept and is_period(target.name):
        where = f"the folder of {target.name}'s drafts in the workspace's outputs"
    else:
        return
    raise UsageError(f"--out {out} is {where}, where builds keep their drafts: a draft written there would make "
                     f"it a kept draft, and later builds would put their drafts inside it. Leave out --out to keep "
                     f"it as the next draft of {period} (in outputs/{period}/), or choose a folder of its own "
                     f"(outputs/{period}-restricted)")


def latest_draft(outputs: Path, period: str | None = None) -> Path | None:
    folders = draft_folders(outputs, period)
    return folders[-1] if folders else None


def previous_draft(outputs: Path, before: Path) -> Path | None:
    """The published draft just before `before`, looking back across periods too.

    For a draft published with `--out` elsewhere (or in a folder named like another period's draft), the newest
    numbered draft of the period its manifest records, or earlier.
    """
    number = draft_number(before)
    period = _period_of(before)
    if number is not None and period == before.parent.name:
        key: tuple[str, float] = (period, number)
    else:  # published with `--out`: after its period's numbered drafts, whatever its folder is named
        key = (period, float("inf"))
    earlier = [f for f in draft_folders(outputs) if (f.parent.name, draft_number(f) or 0) < key]
    earlier = [f for f in earlier if not (f.exists() and before.exists() and f.samefile(before))]
    return earlier[-1] if earlier else None


def _period_of(folder: Path) -> str:
    return recorded_period(folder) or folder.parent.name


def load_draft(folder: Path) -> tuple[Paper, Manifest]:
    """The paper and manifest of a kept draft; one clear error when the folder holds none."""
    try:
        paper_bytes = (folder / DRAFT_JSON).read_bytes()
    except OSError as exc:
        raise ReportgenError(f"{folder}: not a draft folder (no readable {DRAFT_JSON}: {_reason(exc)})") from exc
    try:
        paper_text = paper_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReportgenError(f"{folder / DRAFT_JSON}: not UTF-8 text, as a build writes it ({_reason(exc)})") from exc
    try:
        manifest_text = (folder / MANIFEST_JSON).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportgenError(f"{folder}: draft has no readable {MANIFEST_JSON} ({_reason(exc)})") from exc
    try:
        manifest = manifest_from_json(manifest_text)
    except ReportgenError as exc:
        raise ReportgenError(f"{folder / MANIFEST_JSON}: {exc}") from exc
    try:
        paper = paper_from_json(paper_text)
    except ReportgenError as exc:
        raise ReportgenError(f"{folder / DRAFT_JSON}: {exc}") from exc
    recorded = next((f.sha256 for f in manifest.outputs if f.path == DRAFT_JSON), None)
    if recorded is not None and recorded != hashlib.sha256(paper_bytes).hexdigest():
        raise ReportgenError(f"{folder / DRAFT_JSON} is not the file the build kept (its SHA-256 differs from "
                             f"the one {MANIFEST_JSON} records): the draft was changed after it was built; "
                             "build the paper again rather than edit a kept draft")
    return paper, manifest


def load_manifest(folder: Path) -> Manifest:
    """The manifest of a kept draft alone (its paper is not read: at 15,000 actions that takes seconds)."""
    try:
        text = (folder / MANIFEST_JSON).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportgenError(f"{folder}: draft has no readable {MANIFEST_JSON} ({_reason(exc)})") from exc
    try:
        return manifest_from_json(text)
    except ReportgenError as exc:
        raise ReportgenError(f"{folder}: {exc}") from exc


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def write_draft_record(folder: Path, paper: Paper, manifest: Manifest) -> Manifest:
    """Write draft.json, then manifest.json listing every other file of the folder with its hash."""
    write_paper_record(folder, paper)
    return write_manifest(folder, manifest)


def write_paper_record(folder: Path, paper: Paper) -> None:
    """draft.json: the paper, for the next build's comparison and carry-forward, `diff` and `history`."""
    write_atomically(folder / DRAFT_JSON, paper_to_json(paper))


def write_manifest(folder: Path, manifest: Manifest) -> Manifest:
    """manifest.json, listing every other file of the folder (draft.json first written) with its hash."""
    if not (folder / DRAFT_JSON).is_file():
        raise ReportgenError(f"{folder / DRAFT_JSON} was not written: a draft folder needs it before its manifest")
    outputs = tuple(
        file_record(path, folder)
        for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST_JSON
    )
    written = dataclasses.replace(manifest, outputs=outputs, created=manifest.created or now_iso())
    _write_text(folder / MANIFEST_JSON, manifest_to_json(written))
    return written


def keep_register(workspace: Path, register: Path) -> Path:
    """Keep a copy of the register a draft is built from in the workspace's `registers/`, named by its hash (which the
    draft's manifest records), once: the plan of a period is what its draft shows, and building the period again
    later (a corrected return) can read the same plan, though today's register has moved on."""
    data = register.read_bytes()
    kept = kept_register_path(workspace, hashlib.sha256(data).hexdigest(), register.suffix)
    if not kept.is_file():
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(kept, data)
    return kept


def kept_register_path(workspace: Path, sha256: str, suffix: str) -> Path:
    return workspace / REGISTERS / f"register-{sha256[:16]}{suffix.lower()}"


def kept_register(workspace: Path, folder: Path) -> Path | None:
    """The copy of the register the kept draft in `folder` was built from (by the hashes its manifest records);
    None when there is none (a draft kept before registers were), or the manifest cannot be read."""
    try:
        recorded = load_manifest(folder).inputs
    except ReportgenError:
        return None
    found = (kept_register_path(workspace, record.sha256, Path(record.path).suffix) for record in recorded
             if Path(record.path).stem.startswith("register"))
    return next((path for path in found if path.is_file() and file_sha256(path).startswith(path.stem[9:])), None)


def _write_text(path: Path, text: str) -> None:
    """Write via a temporary name and rename, so a reader never sees half a file."""
    write_atomically(path, text.encode("utf-8"))


# ---------------------------------------------------------------- publishing


def start_draft(outputs: Path, period: str, beside: Path | None = None) -> Path:
    """A new hidden temporary folder to build a draft in: `outputs/<period>/.draft-tmp-<host>-<pid>-<hex>/`.

    With `beside` (the `--out` folder), the temporary folder is made next to it instead, so publishing
    is one rename on the same filesystem and nothing is written into the workspace's outputs. The host is in
    the name because a process id means something only on the machine that gave it: a workspace on a network
    drive is built from several.
    """
    parent = beside.absolute().parent if beside is not None else period_folder(outputs, period)
    parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(parent)
    tmp = parent / f".draft-tmp-{this_host()}-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    return tmp


def this_host() -> str:
    """This machine's name as a temporary folder's name holds it (letters, digits, '.', '_' and '-' only)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname()) or "_"


def discard_draft(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)


def clean_stale_temps(outputs: Path, period: str) -> list[Path]:
    """Remove temporary folders left by builds that have gone; returns what was removed."""
    return _clean_stale(period_folder(outputs, period))


def _clean_stale(parent: Path) -> list[Path]:
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    for child in sorted(parent.iterdir()):
        match = _TMP_RE.match(child.name)
        # a temporary folder whose manifest names its draft was published there: never remove it
        if match and child.is_dir() and _stale(child, match["host"], int(match["pid"])) and not _named(child):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


def _stale(folder: Path, host: str | None, pid: int) -> bool:
    """Whether a build's temporary folder was left by a build that has gone: this machine's, when its process is
    not running; another machine's (or an older reportgen's, which named no host), when nothing in it has changed
    for STALE_AFTER seconds, as its process id cannot be looked up here."""
    if host == this_host():
        return not _alive(pid)
    return untouched_for_long(folder)


def untouched_for_long(folder: Path) -> bool:
    """Whether nothing in `folder` has changed for STALE_AFTER seconds: a run writing into it would have."""
    return time.time() - _last_change(folder) > STALE_AFTER


def _last_change(folder: Path) -> float:
    """When anything in `folder` was last written (a build writes its files in turn, into subfolders too)."""
    times = []
    for path in (folder, *folder.rglob("*")):
        try:
            times.append(path.stat().st_mtime)
        except OSError:
            continue  # removed meanwhile
    return max(times, default=time.time())


def _named(folder: Path) -> bool:
    try:
        return bool(load_manifest(folder).draft)
    except ReportgenError:
        return False


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


@contextmanager
def _locked(parent: Path) -> Iterator[None]:
    fd = os.open(parent / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def publish_draft(tmp: Path, outputs: Path, period: str, out: Path | None = None,
                  on_kept: Callable[[Path], None] | None = None) -> Path:
    """Move a finished temporary folder into place as the next `draft-NN` (or exactly `out`).

    Never overwrites: `out` must be absent or an empty folder (the rename itself fails on a non-empty
    one, so two builds racing for one `out` cannot both land). The manifest's `draft` field is set to
    the final folder name before the move. `on_kept` is told the draft's folder with the move, a stop
    (Ctrl-C, SIGTERM) held till both are done: an interrupted command never says a kept draft was not kept.
    """
    if out is not None:
        check_out(out)
        out.absolute().parent.mkdir(parents=True, exist_ok=True)
        _name_draft(tmp, out.name)
        _keep(tmp, out, on_kept)
        return out.absolute()  # printed as a build's last line: the same form whichever way it was asked for
    parent = period_folder(outputs, period)
    parent.mkdir(parents=True, exist_ok=True)
    with _locked(parent):
        number = max((draft_number(f) or 0 for f in draft_folders(outputs, period)), default=0) + 1
        while (parent / draft_name(number)).exists():
            number += 1
        target = parent / draft_name(number)
        _name_draft(tmp, target.name)
        _keep(tmp, target, on_kept)
    return target


def _keep(tmp: Path, target: Path, on_kept: Callable[[Path], None] | None) -> None:
    with stops_held():
        publish_folder(tmp, target, "the draft")
        if on_kept is not None:
            on_kept(target.absolute())


def check_out_place(out: Path, workspace: Path | None, new: bool = True) -> None:
    """Refuse (wrong usage) an `--out` below a file, or inside the inputs (of `workspace`, when known) or a
    kept draft. With `new`
    (a draft's folder) also one named like a build's temporary folder (which a later build would clean
    away) or one that holds anything (a kept draft is never overwritten); without, `out` may be an
    existing folder of files written beside earlier ones (return workbooks, histories)."""
    target = out.absolute()
    for ancestor in (target, *target.parents):
        if ancestor.exists() and not ancestor.is_dir():
            raise UsageError(f"--out {out}: {ancestor} is a file, not a folder")
    real = target.resolve()
    if workspace is not None and real.is_relative_to((workspace / "inputs").resolve()):
        raise UsageError(f"--out {out} is inside the workspace's inputs folder, which reportgen only reads: "
                         "choose a folder outside it")
    kept = next((folder for folder in (*(() if new else (real,)), *real.parents)
                 if (folder / MANIFEST_JSON).is_file()), None)
    if kept is not None:
        raise UsageError(f"--out {out} is inside the kept draft {kept}: never writing into a draft")
    if new and target.name.startswith("."):
        raise UsageError(f"--out {out}: a hidden folder name (starting '.') is kept for unfinished drafts")
    if new and holds_anything(out):
        raise UsageError(f"--out {out} already exists and is not empty: never overwriting a draft")


def check_out(out: Path) -> None:
    """Refuse an `--out` folder that holds anything: a kept draft is never overwritten."""
    if holds_anything(out):
        raise _refuse(out)


def _refuse(target: Path) -> ReportgenError:
    return ReportgenError(f"{target} already exists and is not empty: never overwriting a draft")


def _name_draft(tmp: Path, name: str) -> None:
    path = tmp / MANIFEST_JSON
    if path.exists():
        manifest = manifest_from_json(path.read_text(encoding="utf-8"))
        _write_text(path, manifest_to_json(dataclasses.replace(manifest, draft=name)))


def within_workspace(folder: Path, workspace: Path) -> str:
    """`folder` as a path within the workspace (outputs/2026-10/draft-02), whatever folder the command ran in: as
    every note names a kept draft, not by this machine's path to it."""
    try:
        return folder.resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return folder.as_posix()
