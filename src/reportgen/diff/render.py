"""Compare two kept drafts: diff.docx, diff.html, diff.pdf and diff.json, published as one new folder.

    load_draft × 2 ─diff_drafts─▶ DraftDiff ─┬─write_diff_docx─▶ diff.docx   (reportgen.diff.redline, docx_writer)
                                             ├─render_diff_html─▶ diff.html ─write_diff_pdf─▶ diff.pdf
                                             └─diff_to_json─▶ diff.json         (reportgen.diff.summary, diff)

The cover sheet's changed values are tracked too, word by word, where the template lays the cover out as
label | value rows (`reportgen.render.docx.front.mark_cover`); so are the title and subtitle in their
Title and Subtitle paragraphs and the running title in the page headers (`front.mark_headings`), the
"Issues to resolve" block that opens a blocked draft, issue by issue (`front.mark_blocking`), the
draft marking in the page headers (`front.mark_draft_marking`) and the note of exempt actions under the
plan (`front.mark_exempt_note`), a renamed column's or section's heading (`plan.plan_rows`), and a cover
row only one draft has, as a row inserted or deleted (`front.mark_cover`). Not tracked in the DOCX
(reported in diff.html and diff.json instead): a section heading only one draft has (shown, unmarked: Word
cannot track a heading row apart from its actions' rows).

Logging: none; a problem that stops the comparison is a `ReportgenError`.

Must not: write into a kept draft folder (drafts are immutable records listed by their manifest), or
overwrite anything: every output is written atomically into a hidden temporary folder beside the target,
which is then published whole (`reportgen.files.publish_folder`), as a build publishes a draft. Nor leave
anything half-made: stopped or failing, it removes its temporary folder and the folders it made above it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.diff.changes import DraftDiff, diff_drafts, diff_to_json
from reportgen.diff.summary import render_diff_html, write_diff_docx, write_diff_pdf
from reportgen.drafts.folders import (
    DRAFT_JSON,
    check_out_place,
    draft_number,
    load_draft,
    load_manifest,
)
from reportgen.errors import ReportgenError, UsageError
from reportgen.files import holds_anything, publish_folder, write_atomically
from reportgen.model import Paper
from reportgen.periods import is_period
from reportgen.settings import SETTINGS_FILE, load_settings
from reportgen.stops import stops_held
from reportgen.template_files import DEFAULT_TEMPLATES, template_file

OUTPUT_FILES = ("diff.docx", "diff.html", "diff.pdf", "diff.json")


@dataclass(frozen=True)
class DiffResult:
    folder: Path
    diff: DraftDiff
    old: Path
    new: Path

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(self.folder / name for name in OUTPUT_FILES)


def compare_drafts(old: Path, new: Path, out: Path | None = None, templates: Path | None = None,
                   allow_restricted: bool = False, on_written: Callable[[Path], None] | None = None) -> DiffResult:
    """Compare two kept drafts and write diff.docx, diff.html, diff.pdf and diff.json into one new folder.

    `out` defaults to `default_out(old, new)`; it must not exist or be empty, and must not be inside
    either draft. `templates` is a folder holding paper.docx and diff.html.j2 (default: the new
    draft's workspace templates, else the project's). Drafts of different editions are compared only
    with `allow_restricted`, and a comparison with a restricted side is marked as restricted throughout.
    `on_written` is told the folder as it is published, a stop (Ctrl-C, SIGTERM) held till both are done, as a
    build's `on_kept` is; stopped or failing before that, the comparison leaves nothing, not even the folders
    made to hold it. Returns where everything went.
    """
    target = check_comparison(old, new, out, allow_restricted)  # a folder mistyped is named as it was given
    given = Path(old), Path(new)
    old, new = Path(old).resolve(), Path(new).resolve()  # "." and ".." have no folder name of their own
    old_paper, old_manifest = load_draft(old)
    new_paper, new_manifest = load_draft(new)
    editions = old_paper.edition, new_paper.edition  # as kept: a restricted comparison marks both papers
    old_paper, new_paper = marked_alike(old_paper, new_paper)
    diff = diff_drafts(old_paper, new_paper)
    zone = workspace_zone(new)
    diff = replace(diff, old=replace(diff.old, draft=draft_label(old, given[0], old_manifest.period),
                                     edition=editions[0], built=built_label(old_manifest.created, zone)),
                   new=replace(diff.new, draft=draft_label(new, given[1], new_manifest.period),
                               edition=editions[1], built=built_label(new_manifest.created, zone)))
    docx_template, html_templates = find_templates(new, templates)
    folder = _temporary(target)
    made = _missing_parents(target)
    try:
        target.absolute().parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir()
        write_diff_docx(old_paper, new_paper, diff, docx_template, folder / "diff.docx",
                        revision_date=revision_date(new_manifest.created))
        html = render_diff_html(diff, old_paper, new_paper, html_templates)
        write_atomically(folder / "diff.html", html.encode("utf-8"))
        write_diff_pdf(html, html_templates, folder / "diff.pdf", new_paper.pdf_created, new_paper.marking)
        write_atomically(folder / "diff.json", diff_to_json(diff).encode("utf-8"))
        with stops_held():  # published and its caller told so, or neither: a stop then says what is there
            publish_folder(folder, target, "the comparison")
            if on_written is not None:
                on_written(target.absolute())
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        _remove_empty(made)
        raise
    return DiffResult(target, diff, old, new)


def draft_label(folder: Path, given: Path, period: str) -> str:
    """How a comparison names a draft (`period`: the one it records): `2026-10/draft-02` for a draft kept as a build
    numbers it, in its period's folder; any other (built with `--out`) by its real folder, within its workspace
    (`outputs/restricted-september`) or as given, never as a numbered draft of its period it is not."""
    if draft_number(folder) is not None and folder.parent.name == period:
        return f"{period}/{folder.name}"
    workspace = next((parent for parent in folder.parents if (parent / SETTINGS_FILE).is_file()), None)
    if workspace is not None:
        return folder.relative_to(workspace).as_posix()
    return given.as_posix() if given.name not in ("", ".", "..") else folder.as_posix()


def check_comparison(old: Path, new: Path, out: Path | None = None, allow_restricted: bool = False) -> Path:
    """What a comparison refuses before it reads either paper (so a flow can refuse it in one line,
    before any task): a folder that does not exist (`_no_such_draft`) or is not a draft, one draft given twice,
    drafts of different editions without `allow_restricted` (a restricted draft beside a public one), a target
    it may not write (`_check_target`). Returns the folder the comparison goes to."""
    for given in (Path(old), Path(new)):  # wrong usage; a draft whose record is damaged is another matter
        if not given.exists():
            raise UsageError(_no_such_draft(given))
        if not (given.resolve() / DRAFT_JSON).is_file():
            raise UsageError(f"{given.resolve()}: not a draft folder (no {DRAFT_JSON}): give two folders a build made")
    old, new = Path(old).resolve(), Path(new).resolve()
    if old == new:
        raise UsageError(f"{old} is given as both drafts: give the earlier draft first, then the later one "
                         "(e.g. outputs/2026-10/draft-01 outputs/2026-10/draft-02)")
    editions = load_manifest(old).edition, load_manifest(new).edition
    if editions[0] != editions[1] and not allow_restricted:
        raise UsageError(f"the old draft is the {editions[0]} edition and the new one the {editions[1]} edition: "
                         "a comparison would show exempt actions beside the public paper. Compare drafts of "
                         "the same edition, or add --allow-restricted for a comparison marked as restricted")
    target = Path(out) if out is not None else default_out(old, new)
    _check_target(target, old, new, chosen=out is not None)
    return target


def _no_such_draft(given: Path) -> str:
    """A draft folder mistyped (draft-09 of a period with two): that it does not exist, and the drafts its period
    folder does hold, so the reviewer can pick the one they meant; said as given, as they typed it."""
    parent = given.parent
    if not parent.is_dir():
        return f"{given} does not exist, nor does {parent}: give two draft folders a build made"
    drafts = sorted((child for child in parent.iterdir() if draft_number(child) is not None
                     and (child / DRAFT_JSON).is_file()), key=lambda child: draft_number(child) or 0)
    period = parent.resolve().name
    if not drafts:
        return f"{given} does not exist; {parent} holds no drafts"
    if len(drafts) == 1:
        return f"{given} does not exist; the only draft of {period} is {drafts[0].name}"
    return f"{given} does not exist; the drafts of {period} are {', '.join(child.name for child in drafts)}"


def marked_alike(old: Paper, new: Paper) -> tuple[Paper, Paper]:
    """Both papers marked when one is restricted, so every page of the comparison carries the marking."""
    marking = old.marking or new.marking
    if not marking:
        return old, new
    return (replace(old, marking=marking, edition="restricted"), replace(new, marking=marking, edition="restricted"))


def default_out(old: Path, new: Path) -> Path:
    """`outputs/<new period>/compare/<old>-to-<new>/` for drafts kept in the outputs layout, else a
    sibling of the new draft, `<new>-compare-<old>`: never inside a draft folder."""
    if not _kept(new):
        return new.parent / f"{new.name}-compare-{old.name}"
    same_period = _kept(old) and old.parent.resolve() == new.parent.resolve()
    old_name = old.name if same_period or not _kept(old) else f"{old.parent.name}-{old.name}"
    new_name = new.name if same_period else f"{new.parent.name}-{new.name}"
    return new.parent / "compare" / f"{old_name}-to-{new_name}"


def _kept(folder: Path) -> bool:
    """A draft in the outputs/<period>/draft-NN layout."""
    return draft_number(folder) is not None and is_period(folder.parent.name)


def find_templates(new: Path, templates: Path | None) -> tuple[Path, Path]:
    """(the DOCX template, the folder of diff.html.j2 and its CSS): the workspace's own when it has them."""
    if templates is not None:
        return Path(templates) / "paper.docx", Path(templates)
    own = new.resolve().parent.parent.parent / "templates" if _kept(new) else DEFAULT_TEMPLATES
    own = own if own.is_dir() else DEFAULT_TEMPLATES
    return template_file(own, "paper.docx"), own  # each missing file comes from the defaults


def created_utc(created: str) -> dt.datetime | None:
    """A draft record's creation time (ISO; one without a zone is UTC) in UTC; None when unknown."""
    with contextlib.suppress(ValueError):
        stamp = dt.datetime.fromisoformat(created)
        return (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    return None


def revision_date(created: str) -> str | None:
    """The draft's creation time as the w:date of its tracked changes (UTC), or None when unknown."""
    stamp = created_utc(created)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ") if stamp else None


def built_label(created: str, zone: zoneinfo.ZoneInfo | None = None) -> str:
    """A draft record's creation time as a reader reads it, on the clock of `zone`: "5 July 2026, 17:04 BST";
    in UTC when no zone is known ("5 July 2026, 16:04 UTC"); "" when unknown."""
    stamp = created_utc(created)
    if stamp is None:
        return ""
    local = stamp.astimezone(zone) if zone is not None else stamp
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname() if zone is not None else 'UTC'}"


def workspace_zone(draft: Path) -> zoneinfo.ZoneInfo | None:
    """The time zone of the workspace a kept draft is in (`[schedule] timezone` in its reportgen.toml, Europe/London
    when unset), so a reviewer reads when each draft was built on the secretariat's clock; None for a draft outside
    a workspace, or one whose settings cannot be read (the build time is then given in UTC, and says so)."""
    if not _kept(draft.resolve()):
        return None
    with contextlib.suppress(ReportgenError):
        return zoneinfo.ZoneInfo(load_settings(draft.resolve().parent.parent.parent).schedule.timezone)
    return None


def _check_target(target: Path, old: Path, new: Path, chosen: bool = True) -> None:
    """Where a comparison may go: a new or empty folder, never inside a kept draft or the workspace's
    inputs, never under a hidden name (unfinished drafts), never a folder a build would take for a draft
    (`draft-NN` in a period folder); the checks of a build's `--out` (`drafts.check_out_place`)."""
    for draft in (old, new):
        if target.resolve().is_relative_to(draft.resolve()):
            raise UsageError(f"{target} is inside the draft {draft}: a kept draft is never written to")
    if holds_anything(target):
        if not chosen:  # the comparison made again (after a new build, or a template changed)
            raise UsageError(f"{target} already holds a comparison of these two drafts: not overwriting it; give "
                             "another folder with --out, or move that one away, to compare them again")
        raise UsageError(f"{target} already exists and is not empty: not overwriting it; choose another --out")
    check_out_place(target, new.parent.parent.parent if _kept(new) else None)
    if _kept(target.resolve()):
        raise UsageError(f"--out {target} is named like a draft folder (draft-NN in a period folder): later "
                         "builds would take it for a damaged draft; choose another name")


def _temporary(target: Path) -> Path:
    """The hidden folder a comparison is written in, beside `target` (named only: made in `compare_drafts`'s
    `try`, so a stop the moment it is made still removes it)."""
    return target.absolute().parent / f".compare-tmp-{os.getpid()}-{secrets.token_hex(4)}"


def _missing_parents(target: Path) -> list[Path]:
    """The folders above `target` that are not there yet (`outputs/<period>/compare/` the first time), the
    deepest first: made for the comparison, and taken away again if it is stopped or fails."""
    return [parent for parent in target.absolute().parents if not parent.exists()]


def _remove_empty(folders: list[Path]) -> None:
    """Remove each of `folders` (deepest first) that is still empty: one another comparison wrote into
    meanwhile stays, and so does every folder above it."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return

