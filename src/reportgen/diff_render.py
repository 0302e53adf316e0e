"""Lay a draft comparison out: a Word paper with tracked changes, an HTML/PDF summary, a JSON record.

    load_draft × 2 ─diff_drafts─▶ DraftDiff ─┬─redline_paper─▶ Paper with change marks ─write_docx─▶ diff.docx
                                             ├─render_diff_html─▶ diff.html ─write_diff_pdf─▶ diff.pdf
                                             └─diff_to_json─▶ diff.json

`redline_paper` gives the NEW paper whose changed cells hold the word-level comparison as inlines
marked `change="del"`/`"ins"`, withdrawn actions put back where they were as deleted rows and added
actions marked as inserted rows; `write_docx` turns the marks into Word tracked changes (w:del,
w:ins), so a reviewer can accept or reject each one. Rejecting them all gives back the old table's
text, accepting them all the new table's. A changed cell is compared as text: paragraph breaks both
drafts share stay paragraphs, one only a draft has becomes a tracked line break; bold, italic and
links are kept on each word (a word whose link or formatting changed counts as deleted and
inserted). The cover sheet's changed values are tracked too, word by word, where the template lays
the cover out as label | value rows (`_Layout.mark_cover`). Not tracked in the DOCX (reported in
diff.html and diff.json instead): a section heading only one draft has (shown, unmarked: Word cannot
track a heading row apart from its actions' rows), and a cover row only one draft has.

Logging: none; a problem that stops the comparison is a `ReportgenError`.

Must not: write into a kept draft folder (drafts are immutable records listed by their manifest), or
overwrite anything; every output is written to a temporary folder and renamed into place. Decides no
content: words and order come from the two papers and the `DraftDiff`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, NamedTuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from weasyprint import HTML

from reportgen.diff import FIELD_NAMES, DraftDiff, diff_drafts, diff_to_json, diff_tokens, tokens
from reportgen.docx_writer import write_docx
from reportgen.drafts import draft_number, load_draft
from reportgen.errors import ReportgenError, UsageError
from reportgen.model import Block, Inline, Paper, PaperCell, PaperColumn, PaperRow, PaperSection, RichText
from reportgen.pdf_document import font_timestamp  # shared with the paper's PDF: pins font-subset dates
from reportgen.pdf_fetch import TemplateFetcher
from reportgen.pdf_html import css_ident, group_blocks, period_date, safe_href
from reportgen.progress import without_progress
from reportgen.richtext import parse_explanation
from reportgen.template_files import DEFAULT_TEMPLATES, search_path, template_file
from reportgen.workspace import PERIOD

DIFF_TEMPLATE = "diff.html.j2"
STYLESHEETS = ("paper.css", "diff.css")  # inlined into diff.html, in this order
OUTPUT_FILES = ("diff.docx", "diff.html", "diff.pdf", "diff.json")
REVISION_AUTHOR = "reportgen"

Change = Literal["ins", "del"]
_CHANGE: dict[str, Change | None] = {"equal": None, "delete": "del", "insert": "ins"}


# ---------------------------------------------------------------- rich text, word by word


class _Piece(NamedTuple):
    """One word token with its formatting, or a break between two blocks."""

    text: str
    href: str | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    is_break: bool = False


_BREAK = _Piece("\n", is_break=True)


def _pieces(blocks: RichText) -> list[_Piece]:
    pieces: list[_Piece] = []
    for index, block in enumerate(blocks):
        if index:
            pieces.append(_BREAK)
        for inline in block.inlines:
            pieces.extend(_Piece(token, inline.href, inline.bold, inline.italic, inline.underline)
                          for token in tokens(inline.text))
    return pieces


def text_blocks(text: str) -> RichText:
    """Plain cell text as the DOCX writer lays it out: one paragraph per line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(Block("paragraph", (Inline(line),) if line else ()) for line in lines)


def redline_blocks(old: RichText, new: RichText) -> RichText:
    """`new`, with the words only `old` has put back as change="del" and its own new words "ins".

    Blocks take their kind from the new block they start; a block break only one side has becomes a
    marked "\\n" inline (a tracked line break), so rejecting or accepting every mark gives back each text.
    """
    blocks: list[Block] = []
    inlines: list[Inline] = []
    start = index = 0  # the new block the current output block starts at; the new block we are in
    for op, pieces in diff_tokens(_pieces(old), _pieces(new), lambda p: not p.is_break and p.text.isspace()):
        change = _CHANGE[op]
        for piece in pieces:
            if piece.is_break and change is None:
                blocks.append(_block_like(new, start, inlines))
                inlines, index = [], index + 1
                start = index
                continue
            if piece.is_break and change == "ins":
                index += 1
            inlines.append(Inline(piece.text, piece.href, piece.bold, piece.italic, piece.underline, change))
    blocks.append(_block_like(new, start, inlines))
    return tuple(blocks)


def marked_blocks(blocks: RichText, change: Change) -> RichText:
    """Every inline of `blocks` marked as deleted or inserted: a withdrawn or added action's cell."""
    return tuple(replace(block, inlines=tuple(replace(i, change=change) for i in block.inlines))
                 for block in blocks)


def _block_like(new: RichText, start: int, inlines: list[Inline]) -> Block:
    kind, level = (new[start].kind, new[start].level) if start < len(new) else ("paragraph", 1)
    return Block(kind, _merge(inlines), level)


def _merge(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    """Neighbouring inlines with the same marks and link become one (fewer runs, fewer tracked edits)."""
    merged: list[Inline] = []
    for inline in inlines:
        if merged and replace(merged[-1], text="") == replace(inline, text=""):
            merged[-1] = replace(merged[-1], text=merged[-1].text + inline.text)
        else:
            merged.append(inline)
    return tuple(merged)


# ---------------------------------------------------------------- the redlined paper


def cell_blocks(row: PaperRow, key: str) -> RichText:
    """A cell's content as blocks, as the DOCX writer lays it out (rich when it has paragraphs)."""
    if key == "status":
        return status_blocks(row, with_note=True)
    cell = next((cell for cell in row.cells if cell.key == key), None)
    if cell is None:
        return text_blocks("")
    return cell.rich or text_blocks(cell.text)


def status_blocks(row: PaperRow, with_note: bool) -> RichText:
    label = text_blocks(row.status_label)
    if not (with_note and row.note):
        return label
    return (*label, *(replace(b, inlines=tuple(replace(i, italic=True) for i in b.inlines))
                      for b in text_blocks(row.note)))


def whole_row(row: PaperRow, columns: Sequence[PaperColumn], change: Change) -> PaperRow:
    """A row added or withdrawn: every cell marked, the status note moved into the status cell."""
    cells = tuple(PaperCell(c.key, _cell_text(row, c.key), marked_blocks(cell_blocks(row, c.key), change))
                  for c in columns)
    return replace(row, cells=cells, note="", change=change)


def redline_row(old: PaperRow, new: PaperRow, columns: Sequence[PaperColumn]) -> PaperRow:
    """The new row, each cell that differs from the old one holding its word-level comparison."""
    cells: list[PaperCell] = []
    note = new.note
    for column in columns:
        key = column.key
        if key == "status":
            with_note = old.note != new.note  # a changed note is compared inside the status cell
            before, after = status_blocks(old, with_note), status_blocks(new, with_note)
            note = "" if with_note else new.note
        else:
            before, after = cell_blocks(old, key), cell_blocks(new, key)
        if before == after:
            cells.append(_new_cell(new, key))
        else:
            cells.append(PaperCell(key, _cell_text(new, key), redline_blocks(before, after)))
    return replace(new, cells=tuple(cells), note=note)


def _new_cell(row: PaperRow, key: str) -> PaperCell:
    return next((cell for cell in row.cells if cell.key == key), PaperCell(key, ""))


def _cell_text(row: PaperRow, key: str) -> str:
    return row.status_label if key == "status" else _new_cell(row, key).text


def redline_paper(old: Paper, new: Paper, diff: DraftDiff) -> Paper:
    """The new paper marked up against the old: see the module docstring."""
    # progress and movements are measured across periods, not between drafts: a comparison leaves them out
    old, new = without_progress(old), without_progress(new)
    before = {row.ref: row for row in old.rows}
    added = {summary.ref for summary in diff.added}
    withdrawn = {summary.ref for summary in diff.withdrawn}
    sections: list[PaperSection] = []
    for section in new.sections:
        rows = tuple(whole_row(row, new.columns, "ins") if row.ref in added
                     else redline_row(before[row.ref], row, new.columns) if row.ref in before
                     else row for row in section.rows)
        sections.append(replace(section, rows=rows))
    sections = restore_withdrawn(old, sections, {ref: whole_row(before[ref], new.columns, "del")
                                                 for ref in withdrawn if ref in before})
    narrative = new.narrative if old.narrative == new.narrative else redline_blocks(old.narrative, new.narrative)
    return replace(new, sections=tuple(sections), narrative=narrative)


def _section_keys(sections: Sequence[PaperSection]) -> list[tuple[str, str]]:
    """(level-1 heading, level-2 heading) of each section: a level-2 heading may repeat under others."""
    keys: list[tuple[str, str]] = []
    parent = ""
    for section in sections:
        if section.level <= 1:
            parent = section.heading
            keys.append((parent, ""))
        else:
            keys.append((parent, section.heading))
    return keys


def restore_withdrawn(old: Paper, sections: list[PaperSection], withdrawn: dict[int, PaperRow]
                      ) -> list[PaperSection]:
    """Put each withdrawn row back after the row it followed in the old paper (its section's start if none)."""
    result = list(sections)
    keys = _section_keys(result)
    old_keys = _section_keys(old.sections)
    # old sections the new paper lacks that must come back: those with withdrawn rows, and their parents
    needed = {key for key, section in zip(old_keys, old.sections) if any(r.ref in withdrawn for r in section.rows)}
    needed |= {(parent, "") for parent, _ in needed}
    placed_at = -1  # where the last old section went, for a section the new paper no longer has
    for old_key, old_section in zip(old_keys, old.sections):
        if old_key in keys:
            placed_at = keys.index(old_key)
        elif old_key in needed:
            placed_at += 1
            result.insert(placed_at, replace(old_section, rows=()))
            keys.insert(placed_at, old_key)
        else:
            continue
        result[placed_at] = _restore_rows(old_section, result[placed_at], withdrawn)
    return result


def _restore_rows(old: PaperSection, section: PaperSection, withdrawn: dict[int, PaperRow]) -> PaperSection:
    rows = list(section.rows)
    anchor = -1
    for old_row in old.rows:
        if old_row.ref in withdrawn:
            anchor += 1
            rows.insert(anchor, withdrawn[old_row.ref])
            continue
        anchor = next((i for i, row in enumerate(rows) if row.ref == old_row.ref), anchor)
    return replace(section, rows=tuple(rows))


def write_diff_docx(old: Paper, new: Paper, diff: DraftDiff, template: Path, out: Path,
                    revision_author: str = REVISION_AUTHOR, revision_date: str | None = None) -> None:
    """The new paper with Word tracked changes against the old one (see `redline_paper`), cover sheet too."""
    cover = {change.field: field_blocks(change.field, change.old, change.new) for change in diff.cover}
    write_docx(redline_paper(old, new, diff), template, out, revision_author, revision_date, cover_redline=cover)


# ---------------------------------------------------------------- the HTML / PDF summary


@dataclass(frozen=True)
class FieldView:
    name: str
    blocks: RichText


@dataclass(frozen=True)
class ActionView:
    ref: int
    action: str
    section: str
    fields: tuple[FieldView, ...]


def field_blocks(field: str, old: str, new: str) -> RichText:
    """Old and new wording of one field, redlined as the paper shows it (explanations parsed)."""
    parse = parse_explanation if field == "explanation" else text_blocks
    return redline_blocks(parse(old), parse(new))


def action_views(diff: DraftDiff, paper: Paper) -> list[ActionView]:
    headings = {column.key: column.heading for column in paper.columns}
    return [ActionView(change.ref, change.action, change.section, tuple(
        FieldView(headings.get(c.field) or FIELD_NAMES.get(c.field, c.field), field_blocks(c.field, c.old, c.new))
        for c in change.changes)) for change in diff.changed]


def _lines(text: str) -> Markup:
    """Escaped text whose line breaks are <br>: a tracked break in a redline stays visible."""
    return Markup("<br>").join(escape(part) for part in text.split("\n"))


def _environment(templates: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(search_path(templates)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(safe_href=safe_href, css_ident=css_ident, group_blocks=group_blocks, lines=_lines)
    return env


def render_diff_html(diff: DraftDiff, old_paper: Paper, new_paper: Paper, templates: Path) -> str:
    """The summary a Panel member reads: counts then and now, status moves, then each reworded action."""
    template = _environment(Path(templates).resolve()).get_template(DIFF_TEMPLATE)
    cover = [FieldView(c.field, field_blocks(c.field, c.old, c.new)) for c in diff.cover]
    narrative = redline_blocks(old_paper.narrative, new_paper.narrative) if diff.narrative else ()
    return template.render(diff=diff, paper=new_paper, actions=action_views(diff, new_paper), cover=cover,
                           narrative=narrative, created=period_date(new_paper.period),
                           styles=inline_styles(templates, STYLESHEETS))


def inline_styles(templates: Path, names: Sequence[str]) -> Markup:
    """The stylesheets' text for a <style> element, so diff.html is one file that opens anywhere.

    Each comes from `templates`, else the defaults; "</" cannot end the element early.
    """
    texts = [template_file(templates, name).read_text(encoding="utf-8") for name in names]
    return Markup("\n".join(text.replace("</", "<\\/") for text in texts))


def write_diff_pdf(html: str, templates: Path, out: Path, created: str = "") -> None:
    """The summary HTML as a tagged PDF (PDF/UA-1), reading only files inside `templates`; atomic."""
    templates, out = Path(templates).resolve(), Path(out)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = HTML(string=html, base_url=str(templates) + os.sep, url_fetcher=TemplateFetcher(templates))
    handle, temp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as target, font_timestamp(created):
            document.write_pdf(target, pdf_variant="pdf/ua-1", pdf_identifier=identifier, uncompressed_pdf=False)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- compare two kept drafts


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
                   allow_restricted: bool = False) -> DiffResult:
    """Compare two kept drafts and write diff.docx, diff.html, diff.pdf and diff.json into one new folder.

    `out` defaults to `default_out(old, new)`; it must not exist or be empty, and must not be inside
    either draft. `templates` is a folder holding paper.docx and diff.html.j2 (default: the new
    draft's workspace templates, else the project's). Drafts of different editions are compared only
    with `allow_restricted`, and a comparison with a restricted side is marked as restricted throughout.
    Returns where everything went.
    """
    old, new = Path(old).resolve(), Path(new).resolve()  # "." and ".." have no folder name of their own
    old_paper, old_manifest = load_draft(old)
    new_paper, new_manifest = load_draft(new)
    old_paper, new_paper = check_editions(old_paper, new_paper, allow_restricted)
    diff = diff_drafts(old_paper, new_paper)
    diff = replace(diff, old=replace(diff.old, draft=f"{old_manifest.period}/{old_manifest.draft or old.name}"),
                   new=replace(diff.new, draft=f"{new_manifest.period}/{new_manifest.draft or new.name}"))
    target = Path(out) if out is not None else default_out(old, new)
    _check_target(target, (old, new))
    docx_template, html_templates = find_templates(new, templates)
    folder = _start(target)
    try:
        write_diff_docx(old_paper, new_paper, diff, docx_template, folder / "diff.docx",
                        revision_date=revision_date(new_manifest.created))
        html = render_diff_html(diff, old_paper, new_paper, html_templates)
        _write_text(folder / "diff.html", html)
        write_diff_pdf(html, html_templates, folder / "diff.pdf", period_date(new_paper.period))
        _write_text(folder / "diff.json", diff_to_json(diff))
        _publish(folder, target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return DiffResult(target, diff, old, new)


def check_editions(old: Paper, new: Paper, allow_restricted: bool) -> tuple[Paper, Paper]:
    """Refuse to put a restricted draft beside a public one unless asked; mark both papers when one is
    restricted, so every page of the comparison carries the marking."""
    if old.edition != new.edition and not allow_restricted:
        raise UsageError(f"the old draft is the {old.edition} edition and the new one the {new.edition} edition: "
                         "a comparison would show exempt actions beside the public paper. Compare drafts of "
                         "the same edition, or add --allow-restricted for a comparison marked as restricted")
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
    return draft_number(folder) is not None and PERIOD.fullmatch(folder.parent.name) is not None


def find_templates(new: Path, templates: Path | None) -> tuple[Path, Path]:
    """(the DOCX template, the folder of diff.html.j2 and its CSS): the workspace's own when it has them."""
    if templates is not None:
        return Path(templates) / "paper.docx", Path(templates)
    own = new.resolve().parent.parent.parent / "templates" if _kept(new) else DEFAULT_TEMPLATES
    own = own if own.is_dir() else DEFAULT_TEMPLATES
    return template_file(own, "paper.docx"), own  # each missing file comes from the defaults


def revision_date(created: str) -> str | None:
    """The draft's creation time as the w:date of its tracked changes (UTC), or None when unknown."""
    with contextlib.suppress(ValueError):
        stamp = dt.datetime.fromisoformat(created)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.UTC)
        return stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def _check_target(target: Path, drafts: Sequence[Path]) -> None:
    for draft in drafts:
        if target.resolve().is_relative_to(draft.resolve()):
            raise ReportgenError(f"{target} is inside the draft {draft}: a kept draft is never written to")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ReportgenError(f"{target} already exists and is not empty: not overwriting it")


def _start(target: Path) -> Path:
    target.absolute().parent.mkdir(parents=True, exist_ok=True)
    folder = target.absolute().parent / f".compare-tmp-{os.getpid()}-{secrets.token_hex(4)}"
    folder.mkdir()
    return folder


def _publish(folder: Path, target: Path) -> None:
    try:
        os.rename(folder, target)  # atomic; replaces only an empty folder
    except OSError as exc:
        raise ReportgenError(f"cannot write the comparison to {target}: {exc.strerror}") from exc


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
