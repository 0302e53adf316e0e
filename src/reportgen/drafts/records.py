"""What a kept draft records: the `Manifest` of its run, and the canonical JSON of its paper.

draft.json and manifest.json are written as canonical JSON (one-space indent, UTF-8), so the same
paper always gives the same bytes: the manifest with its keys sorted; the paper, which can be tens of
megabytes, by pydantic's serialiser, its keys in the model's order (at 15,000 actions 0.4 s and the
bytes alone, against 3.8 s and ~300 MiB through `json`, whose indenting encoder is pure Python).
They are read back through pydantic `TypeAdapter`s over the frozen model dataclasses, strictly (a
"12" is not the number 12, an unknown field is not ignored), and any fault is one `ReportgenError`
naming the field, never a traceback. Reads and writes no file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import json
import platform
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import ConfigDict, TypeAdapter, ValidationError

from reportgen import __version__
from reportgen.errors import ReportgenError
from reportgen.model import Paper

SCHEMA: Literal[1] = 1

# distribution names whose versions every manifest records, in this order
VERSIONED = ("reportgen", "python-docx", "docxtpl", "weasyprint", "jinja2", "pandas", "prefect", "openpyxl")


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
    # a public draft's inputs it may not name (the returns of leads whose every action is exempt): each only as
    # `withheld_digest`, so a later build still knows it read them as they are (`return-after-draft`)
    withheld: tuple[str, ...] = ()

    def reproducible(self) -> Manifest:
        """The manifest without the facts of one run (time, durations): equal for identical builds."""
        return dataclasses.replace(self, created="", timings=())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def withheld_digest(record: InputFile) -> str:
    """One input as a public manifest records what it withholds: a digest of its name and content together, which
    tells a later build whether the file is as it was read, and a reader of the manifest neither its name nor its
    partner."""
    return hashlib.sha256(f"{record.path}\n{record.sha256}".encode()).hexdigest()


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
        if name == "reportgen":  # its own: the installed metadata may be an older install's (`reportgen._version`)
            versions.append((name, __version__))
            continue
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

# strict: JSON's types only (an array for a tuple, an integer for a float); nothing unknown is ignored
_STRICT = ConfigDict(strict=True, extra="forbid")


@dataclass(frozen=True)
class _PaperRecord:
    __pydantic_config__: ClassVar[ConfigDict] = _STRICT  # nested dataclasses validate under it too
    schema: Literal[1]
    paper: Paper


@dataclass(frozen=True)
class _ManifestRecord:
    __pydantic_config__: ClassVar[ConfigDict] = _STRICT
    schema: Literal[1]
    manifest: Manifest


_PAPER = TypeAdapter(_PaperRecord)
_MANIFEST = TypeAdapter(_ManifestRecord)
# the look is not content: never in draft.json (and compared by no draft diff)
_NOT_KEPT: dict[str, Any] = {"paper": {"theme"}}


def paper_to_json(paper: Paper) -> bytes:
    """Canonical JSON of the paper, UTF-8: the same paper always gives the same bytes."""
    return _PAPER.dump_json(_PaperRecord(SCHEMA, paper), indent=1, exclude=_NOT_KEPT) + b"\n"


def paper_from_json(text: str | bytes) -> Paper:
    paper = _load(_PAPER, text, "paper").paper
    if paper.theme is not None:
        raise ReportgenError("paper JSON does not fit the model: paper.theme: a draft keeps no theme")
    return paper


def manifest_to_json(manifest: Manifest) -> str:
    return _dump(_MANIFEST.dump_python(_ManifestRecord(SCHEMA, manifest), mode="json"))


def manifest_from_json(text: str) -> Manifest:
    return _load(_MANIFEST, text, "manifest").manifest


def _dump(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


_R = TypeVar("_R")


def _load(adapter: TypeAdapter[_R], text: str | bytes, key: str) -> _R:
    """The record in `text`, or one ReportgenError saying what is wrong, first things first."""
    try:
        return adapter.validate_json(text)
    except ValidationError as exc:
        raise ReportgenError(_why(exc, key)) from exc


def _why(exc: ValidationError, key: str) -> str:
    errors = exc.errors(include_url=False)
    first = errors[0]
    if first["type"] == "json_invalid":
        return f"not valid JSON: {first['msg'].removeprefix('Invalid JSON: ')}"
    if first["loc"] == () or any(e["loc"] == (key,) and e["type"] == "missing" for e in errors):
        return f"not a reportgen {key} (no {key!r} key)"
    schema = next((e for e in errors if e["loc"] == ("schema",)), None)
    if schema is not None:
        found = None if schema["type"] == "missing" else schema["input"]
        return f"{key} schema {found!r} is not {SCHEMA}: written by another reportgen"
    found = "" if first["type"] == "missing" else f", found {_short(first['input'])}"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{key} JSON does not fit the model: {_where(first['loc'])}: {first['msg']}{found}{more}"


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _where(loc: tuple[int | str, ...]) -> str:
    """('paper', 'sections', 0, 'ref') -> 'paper.sections[0].ref'."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
