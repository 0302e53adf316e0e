"""Kept drafts: `outputs/<period>/draft-NN/` folders, their canonical JSON, and their manifests.

A build writes into a hidden temporary folder (`start_draft`) and publishes it with one atomic
rename under a per-period lock (`publish_draft`), so a killed build never leaves a partial draft
that looks like a draft, and two builds never take the same number. A published draft is never
written to again. This module does no rendering and reads no settings: it only keeps files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import fcntl
import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shutil
import types
import typing
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import ReportgenError, UsageError
from reportgen.files import publish_folder, write_atomically
from reportgen.model import Paper

SCHEMA = 1
DRAFT_JSON = "draft.json"
MANIFEST_JSON = "manifest.json"
LOCK_FILE = ".lock"

_PERIOD_RE = re.compile(r"^\d{4}-\d{2}$")
_DRAFT_RE = re.compile(r"^draft-(\d{2,})$")
_TMP_RE = re.compile(r"^\.draft-tmp-(\d+)-[0-9a-f]+$")

# distribution names whose versions every manifest records, in this order
VERSIONED = ("reportgen", "python-docx", "docxtpl", "weasyprint", "jinja2", "pandas", "prefect", "openpyxl")


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class InputFile:
    path: str  # relative to the workspace (inputs) or the draft folder (outputs), posix
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    period: str
    edition: str
    draft: str  # the draft folder's name; set by publish_draft
    inputs: tuple[InputFile, ...]
    settings_digest: str
    versions: tuple[tuple[str, str], ...]
    counts: tuple[tuple[str, int], ...]
    issue_counts: tuple[tuple[str, int], ...]  # severity -> number
    timings: tuple[tuple[str, float], ...]  # stage -> seconds
    outputs: tuple[InputFile, ...] = ()  # filled by write_draft_record
    created: str = ""  # ISO timestamp; filled by write_draft_record when empty

    def reproducible(self) -> Manifest:
        """The manifest without the facts of one run (time, durations): equal for identical builds."""
        return dataclasses.replace(self, created="", timings=())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_record(path: Path, workspace: Path) -> InputFile:
    """Size and SHA-256 of a file, named relative to the workspace (absolute when outside it)."""
    return InputFile(path=_relative(path, workspace), size=path.stat().st_size, sha256=file_sha256(path))


def _relative(path: Path, base: Path) -> str:
    pairs = ((path, base), (path.absolute(), base.absolute()), (path.resolve(), base.resolve()))
    for candidate, root in pairs:
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            continue
    return path.absolute().as_posix()


def package_versions() -> tuple[tuple[str, str], ...]:
    """(name, version) of Python and the packages that shape the output."""
    versions = [("python", platform.python_version())]
    for name in VERSIONED:
        try:
            versions.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((name, "not installed"))
    return tuple(versions)


def count_by_severity(severities: Iterable[object]) -> tuple[tuple[str, int], ...]:
    """Issue counts by severity, e.g. `count_by_severity(i.severity for i in issues)`, sorted by name."""
    counter = Counter(str(getattr(s, "value", s)) for s in severities)
    return tuple(sorted(counter.items()))


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------- canonical JSON


def paper_to_json(paper: Paper) -> str:
    """Canonical JSON of the paper: the same paper always gives the same text."""
    return _dump({"schema": SCHEMA, "paper": _to_data(paper)})


def paper_from_json(text: str) -> Paper:
    return _load(text, "paper", Paper)


def manifest_to_json(manifest: Manifest) -> str:
    return _dump({"schema": SCHEMA, "manifest": _to_data(manifest)})


def manifest_from_json(text: str) -> Manifest:
    return _load(text, "manifest", Manifest)


def _dump(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


_T = typing.TypeVar("_T")


def _load(text: str, key: str, cls: type[_T]) -> _T:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportgenError(f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or key not in data:
        raise ReportgenError(f"not a reportgen {key} (no {key!r} key)")
    if data.get("schema") != SCHEMA:
        found = data.get("schema")
        raise ReportgenError(f"{key} schema {found!r} is not {SCHEMA}: written by another reportgen")
    try:
        return typing.cast(_T, _from_data(cls, data[key], key))
    except (TypeError, ValueError) as exc:
        raise ReportgenError(f"{key} JSON does not fit the model: {exc}") from exc


def _to_data(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_data(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.metadata.get("draft", True)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_to_data(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _to_data(item) for key, item in value.items()}
    return value


@functools.cache
def _hints(cls: type) -> dict[str, typing.Any]:
    return typing.get_type_hints(cls)


def _from_data(tp: typing.Any, data: object, where: str) -> object:
    """Rebuild a value of type `tp` from JSON data, driven by type hints; `where` names it in errors."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is typing.Any:
        return data
    if tp is type(None) or tp is None:
        if data is not None:
            raise TypeError(f"{where}: expected null, got {data!r}")
        return None
    if origin is typing.Union or origin is types.UnionType:
        if data is None and type(None) in args:
            return None
        problems = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _from_data(arg, data, where)
            except (TypeError, ValueError) as exc:
                problems.append(str(exc))
        raise TypeError("; ".join(problems) or f"{where}: no type fits {data!r}")
    if origin is typing.Literal:
        if data not in args or type(data) not in {type(a) for a in args}:
            raise ValueError(f"{where}: {data!r} is not one of {list(args)}")
        return data
    if origin is tuple or origin is list:
        if not isinstance(data, list):
            raise TypeError(f"{where}: expected a list, got {type(data).__name__}")
        if origin is list or (len(args) == 2 and args[1] is Ellipsis):
            items = tuple(_from_data(args[0] if args else typing.Any, item, f"{where}[{n}]")
                          for n, item in enumerate(data))
            return list(items) if origin is list else items
        if len(args) != len(data):
            raise ValueError(f"{where}: expected {len(args)} items, got {len(data)}")
        return tuple(_from_data(arg, item, f"{where}[{n}]") for n, (arg, item) in enumerate(zip(args, data)))
    if origin is dict:
        if not isinstance(data, dict):
            raise TypeError(f"{where}: expected an object, got {type(data).__name__}")
        key_type, value_type = args or (typing.Any, typing.Any)
        return {
            _from_data(key_type, k, where): _from_data(value_type, v, f"{where}.{k}") for k, v in data.items()
        }
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_from_data(tp, data, where)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(data)
        except ValueError as exc:
            raise ValueError(f"{where}: {data!r} is not a {tp.__name__}") from exc
    if tp is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise TypeError(f"{where}: expected a number, got {data!r}")
        return float(data)
    if tp in (int, str, bool):
        if type(data) is not tp:
            raise TypeError(f"{where}: expected {tp.__name__}, got {data!r}")
        return data
    raise TypeError(f"{where}: cannot read type {tp!r} from JSON")


def _dataclass_from_data(cls: type, data: object, where: str) -> object:
    if not isinstance(data, dict):
        raise TypeError(f"{where}: expected an object for {cls.__name__}, got {type(data).__name__}")
    hints = _hints(cls)
    init_fields = {f.name: f for f in dataclasses.fields(cls) if f.init and f.metadata.get("draft", True)}
    unknown = sorted(set(data) - set(init_fields))
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {unknown} for {cls.__name__}")
    kwargs = {}
    for name, spec in init_fields.items():
        if name in data:
            kwargs[name] = _from_data(hints[name], data[name], f"{where}.{name}")
        elif spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            raise ValueError(f"{where}: missing field {name!r} of {cls.__name__}")
    return cls(**kwargs)


# ---------------------------------------------------------------- draft folders


def draft_name(number: int) -> str:
    return f"draft-{number:02d}"


def draft_number(folder: Path) -> int | None:
    """NN of a `draft-NN` folder, or None for any other name."""
    match = _DRAFT_RE.match(folder.name)
    return int(match.group(1)) if match else None


def period_folder(outputs: Path, period: str) -> Path:
    if not _PERIOD_RE.match(period):
        raise ReportgenError(f"period {period!r} is not YYYY-MM")
    return outputs / period


def draft_folders(outputs: Path, period: str | None = None) -> list[Path]:
    """Published drafts, oldest first: by period, then by number (draft-100 after draft-99)."""
    if not outputs.is_dir():
        return []
    periods = [period_folder(outputs, period)] if period else [
        p for p in outputs.iterdir() if _PERIOD_RE.match(p.name)
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


def latest_draft(outputs: Path, period: str | None = None) -> Path | None:
    folders = draft_folders(outputs, period)
    return folders[-1] if folders else None


def previous_draft(outputs: Path, before: Path) -> Path | None:
    """The published draft just before `before`, looking back across periods too.

    For a draft published with `--out` elsewhere, the newest numbered draft of its period or earlier.
    """
    number = draft_number(before)
    if number is not None and _PERIOD_RE.match(before.parent.name):
        key: tuple[str, float] = (before.parent.name, number)
    else:
        key = (_period_of(before), float("inf"))
    earlier = [f for f in draft_folders(outputs) if (f.parent.name, draft_number(f) or 0) < key]
    earlier = [f for f in earlier if not (f.exists() and before.exists() and f.samefile(before))]
    return earlier[-1] if earlier else None


def _period_of(folder: Path) -> str:
    try:
        return manifest_from_json((folder / MANIFEST_JSON).read_text(encoding="utf-8")).period
    except (OSError, ReportgenError):
        return folder.parent.name


def load_draft(folder: Path) -> tuple[Paper, Manifest]:
    """The paper and manifest of a kept draft; one clear error when the folder holds none."""
    try:
        paper_text = (folder / DRAFT_JSON).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = _reason(exc)
        raise ReportgenError(f"{folder}: not a draft folder (no readable {DRAFT_JSON}: {reason})") from exc
    try:
        manifest_text = (folder / MANIFEST_JSON).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportgenError(f"{folder}: draft has no readable {MANIFEST_JSON} ({_reason(exc)})") from exc
    try:
        return paper_from_json(paper_text), manifest_from_json(manifest_text)
    except ReportgenError as exc:
        raise ReportgenError(f"{folder}: {exc}") from exc


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
    _write_text(folder / DRAFT_JSON, paper_to_json(paper))
    outputs = tuple(
        file_record(path, folder)
        for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST_JSON
    )
    written = dataclasses.replace(manifest, outputs=outputs, created=manifest.created or now_iso())
    _write_text(folder / MANIFEST_JSON, manifest_to_json(written))
    return written


def _write_text(path: Path, text: str) -> None:
    """Write via a temporary name and rename, so a reader never sees half a file."""
    write_atomically(path, text.encode("utf-8"))


# ---------------------------------------------------------------- publishing


def start_draft(outputs: Path, period: str, beside: Path | None = None) -> Path:
    """A new hidden temporary folder to build a draft in: `outputs/<period>/.draft-tmp-<pid>-<hex>/`.

    With `beside` (the `--out` folder), the temporary folder is made next to it instead, so publishing
    is one rename on the same filesystem and nothing is written into the workspace's outputs.
    """
    parent = beside.absolute().parent if beside is not None else period_folder(outputs, period)
    parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(parent)
    tmp = parent / f".draft-tmp-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    return tmp


def discard_draft(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)


def clean_stale_temps(outputs: Path, period: str) -> list[Path]:
    """Remove temporary folders left by builds whose process has gone; returns what was removed."""
    return _clean_stale(period_folder(outputs, period))


def _clean_stale(parent: Path) -> list[Path]:
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    for child in sorted(parent.iterdir()):
        match = _TMP_RE.match(child.name)
        # a temporary folder whose manifest names its draft was published there: never remove it
        if match and child.is_dir() and not _alive(int(match.group(1))) and not _named(child):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


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


def publish_draft(tmp: Path, outputs: Path, period: str, out: Path | None = None) -> Path:
    """Move a finished temporary folder into place as the next `draft-NN` (or exactly `out`).

    Never overwrites: `out` must be absent or an empty folder (the rename itself fails on a non-empty
    one, so two builds racing for one `out` cannot both land). The manifest's `draft` field is set to
    the final folder name before the move.
    """
    if out is not None:
        check_out(out)
        out.absolute().parent.mkdir(parents=True, exist_ok=True)
        _name_draft(tmp, out.name)
        publish_folder(tmp, out, "the draft")
        return out
    parent = period_folder(outputs, period)
    parent.mkdir(parents=True, exist_ok=True)
    with _locked(parent):
        number = max((draft_number(f) or 0 for f in draft_folders(outputs, period)), default=0) + 1
        while (parent / draft_name(number)).exists():
            number += 1
        target = parent / draft_name(number)
        _name_draft(tmp, target.name)
        publish_folder(tmp, target, "the draft")
    return target


def check_out_place(out: Path, workspace: Path) -> None:
    """Refuse an `--out` that cannot be a new folder of its own: below a file, inside the inputs or a
    kept draft, or named like a build's temporary folder (which a later build would clean away)."""
    target = out.absolute()
    for ancestor in (target, *target.parents):
        if ancestor.exists() and not ancestor.is_dir():
            raise UsageError(f"--out {out}: {ancestor} is a file, not a folder")
    real = target.resolve()
    if real.is_relative_to((workspace / "inputs").resolve()):
        raise UsageError(f"--out {out} is inside the workspace's inputs folder: write drafts elsewhere")
    kept = next((folder for folder in real.parents if (folder / MANIFEST_JSON).is_file()), None)
    if kept is not None:
        raise UsageError(f"--out {out} is inside the kept draft {kept}: never writing into a draft")
    if target.name.startswith("."):
        raise UsageError(f"--out {out}: a hidden folder name (starting '.') is kept for unfinished drafts")
    check_out(out)


def check_out(out: Path) -> None:
    """Refuse an `--out` folder that holds anything: a kept draft is never overwritten."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise _refuse(out)


def _refuse(target: Path) -> ReportgenError:
    return ReportgenError(f"{target} already exists and is not empty: never overwriting a draft")


def _name_draft(tmp: Path, name: str) -> None:
    path = tmp / MANIFEST_JSON
    if path.exists():
        manifest = manifest_from_json(path.read_text(encoding="utf-8"))
        _write_text(path, manifest_to_json(dataclasses.replace(manifest, draft=name)))
