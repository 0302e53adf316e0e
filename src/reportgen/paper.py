"""`build_paper`: the merged register and settings to the one `Paper` every renderer draws.

All ordering, counting, labels and text cleaning happen here, so the DOCX, the PDF and draft.json
cannot disagree. Renderers never decide content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from reportgen.errors import ReportgenError
from reportgen.issues import Issue
from reportgen.model import (
    CoverRow,
    MergedAction,
    MergedRegister,
    Paper,
    PaperCell,
    PaperColumn,
    PaperRow,
    PaperSection,
    RichText,
    StatusMove,
    UpdateState,
    plain_text,
)
from reportgen.progress import with_progress
from reportgen.richtext import parse_explanation, render_markdown
from reportgen.settings import CANONICAL_STATUSES, Edition, Settings
from reportgen.statuses import STATUS_CLASSES, STATUS_COLOURS

# relative column widths; a column not listed gets DEFAULT_WIDTH
WIDTHS = {"ref": 0.06, "action": 0.22, "status": 0.11, "explanation": 0.39, "timeframe": 0.12, "page": 0.07,
          "lead": 0.1, "section": 0.1}
DEFAULT_WIDTH = 0.08
RICH_COLUMNS = ("explanation",)

NO_UPDATE = "No update received this period"


def cover_rows(settings: Settings, date: str) -> tuple[CoverRow, ...]:
    """The cover sheet in the order of a published Panel paper."""
    p = settings.paper
    return tuple(CoverRow(label, value) for label, value in (
        ("MEETING", p.meeting),
        ("DATE", date),
        ("TITLE OF REPORT", p.title),
        ("SUBMITTED BY", p.submitted_by),
        ("PURPOSE OF REPORT", p.purpose),
        ("DECISION(S) REQUIRED", p.decisions_required),
        ("FINANCIAL IMPLICATIONS", p.financial_implications),
        ("RISK IMPLICATIONS", p.risk_implications),
        ("LEGAL IMPLICATIONS", p.legal_implications),
        ("EQUALITIES IMPACTS", p.equalities_impacts),
        ("FREEDOM OF INFORMATION EXEMPTION SECTION IF APPLICABLE", p.foi_exemption),
    ))


def display_date(date: dt.date | None) -> str:
    return date.strftime("%d %B %Y") if date else ""


def period_label(period: str) -> str:
    """'2023-02' -> 'February 2023'."""
    return dt.date.fromisoformat(period + "-01").strftime("%B %Y")


def build_paper(
    merged: MergedRegister,
    settings: Settings,
    narrative_source: str | None,
    edition: Edition = "public",
    issues: Sequence[Issue] = (),
    previous: Paper | None = None,
    earlier: Sequence[Paper] = (),
) -> Paper:
    """The paper of `merged`. `previous`: the last draft ("changes since the last draft"); `earlier`:
    the newest kept draft of each earlier period, oldest first (progress over time)."""
    included = tuple(a for a in merged.actions if edition == "restricted" or not a.action.exempt)
    exempt_count = len(merged.actions) - len(included)
    counts = {status: 0 for status in CANONICAL_STATUSES}
    for item in included:
        if item.status is not None:
            counts[item.status] += 1
    columns = paper_columns(settings)
    sections = group_rows(included, settings, columns)
    date = display_date(settings.paper.date)
    context = {
        "total": len(included),
        "counts": counts,
        "period": period_label(merged.period),
        "period_code": merged.period,
        "paper": settings.paper.model_dump(mode="json"),
        "exempt": exempt_count,
        "no_update": sum(1 for a in included if a.state is not UpdateState.UPDATED),
        "unrecognised": sum(1 for a in included if a.status is None),
    }
    rows = tuple(row for section in sections for row in section.rows)
    moves, new_refs = changes_since(previous, rows) if settings.paper.changes_section else ((), ())
    paper = Paper(
        title=settings.paper.title,
        subtitle=settings.paper.subtitle,
        meeting=settings.paper.meeting,
        date=date,
        period=merged.period,
        language=settings.paper.language,
        author=settings.paper.author or settings.paper.submitted_by,
        edition=edition,
        marking=settings.paper.restricted_marking if edition == "restricted" else "",
        cover=cover_rows(settings, date),
        narrative=render_narrative(narrative_source, context),
        columns=columns,
        sections=sections,
        counts=tuple(counts.items()),
        total=len(included),
        exempt_count=exempt_count,
        exempt_note=settings.paper.exempt_note.format(count=exempt_count)
        if exempt_count and edition == "public" else "",
        unrecognised=int(context["unrecognised"]),  # type: ignore[call-overload]
        carried_forward=sum(1 for a in included if a.state is UpdateState.CARRIED_FORWARD),
        changes=moves,
        new_actions=new_refs,
        blocking_issues=sum(1 for i in issues if i.blocking),
        status_colours=tuple(STATUS_COLOURS.items()),
    )
    return with_progress(paper, earlier, settings.history)


def render_narrative(source: str | None, context: dict[str, object]) -> RichText:
    """Markdown + Jinja from the workspace; the template sees only the values given (sandboxed)."""
    if not source:
        return ()
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    try:
        markdown = env.from_string(source).render(**context)
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise ReportgenError(f"the narrative could not be filled in{where}: {exc}") from exc
    return render_markdown(markdown)


def paper_columns(settings: Settings) -> tuple[PaperColumn, ...]:
    keys = settings.paper.table_columns
    raw = [WIDTHS.get(key, DEFAULT_WIDTH) for key in keys]
    total = sum(raw)
    return tuple(PaperColumn(key, settings.column_heading(key), round(width / total, 4))
                 for key, width in zip(keys, raw, strict=True))


def group_rows(actions: Sequence[MergedAction], settings: Settings, columns: Sequence[PaperColumn]
               ) -> tuple[PaperSection, ...]:
    """Sections in register order; actions with no section first, without a heading."""
    keys = settings.paper.group_by
    if not keys:
        return (PaperSection("", 1, tuple(paper_row(a, columns) for a in actions)),)
    groups: dict[str, dict[str, list[MergedAction]]] = {}
    for item in actions:
        first = _group_value(item, keys[0])
        second = _group_value(item, keys[1]) if len(keys) > 1 else ""
        groups.setdefault(first, {}).setdefault(second, []).append(item)
    ordered = sorted(groups.items(), key=lambda kv: kv[0] != "")  # stable: no-section group first
    sections: list[PaperSection] = []
    for first, inner in ordered:
        if len(keys) == 1:
            sections.append(PaperSection(first, 1, tuple(paper_row(a, columns) for a in inner[""])))
            continue
        sections.append(PaperSection(first, 1, ()))
        for second, items in sorted(inner.items(), key=lambda kv: kv[0] != ""):
            sections.append(PaperSection(second, 2, tuple(paper_row(a, columns) for a in items)))
    return tuple(s for s in sections if s.rows or s.heading)


def _group_value(item: MergedAction, key: str) -> str:
    action = item.action
    value = {"section": action.section, "lead": action.lead, "page": action.page}.get(key)
    return value if value is not None else action.extra_value(key)


def status_display(item: MergedAction) -> tuple[str, str, str]:
    """(label, css class, note) for the status cell: always words, the colour only a cue."""
    if item.status is not None:
        note = ""
        if item.state is UpdateState.CARRIED_FORWARD:
            note = f"{NO_UPDATE}: status as last reported"
        return item.status, STATUS_CLASSES[item.status], note
    if item.state is UpdateState.NO_UPDATE:
        return "No update", "unknown", NO_UPDATE
    if item.status_as_written:
        return item.status_as_written, "unknown", "Status not recognised"
    return "No status given", "unknown", ""


def paper_row(item: MergedAction, columns: Sequence[PaperColumn]) -> PaperRow:
    label, css, note = status_display(item)
    action = item.action
    values = {"ref": str(action.ref), "action": action.text, "status": label, "explanation": item.explanation,
              "timeframe": item.timeframe, "page": action.page, "lead": action.lead, "section": action.section}
    cells = []
    for column in columns:
        text = values[column.key] if column.key in values else action.extra_value(column.key)
        if column.key in RICH_COLUMNS:
            rich = parse_explanation(text)
            cells.append(PaperCell(column.key, plain_text(rich), rich))
        else:
            cells.append(PaperCell(column.key, text))
    return PaperRow(
        ref=action.ref, cells=tuple(cells), status=item.status, status_label=label, status_class=css, note=note,
        state=item.state.value, section=action.section, lead=action.lead, action=action.text,
        explanation=item.explanation, timeframe=item.timeframe, page=action.page,
    )


def changes_since(previous: Paper | None, rows: Sequence[PaperRow]
                  ) -> tuple[tuple[StatusMove, ...], tuple[int, ...]]:
    if previous is None:
        return (), ()
    before = {row.ref: row for row in previous.rows}
    moves = tuple(StatusMove(row.ref, row.action, before[row.ref].status_label, row.status_label)
                  for row in rows if row.ref in before and before[row.ref].status != row.status)
    new = tuple(row.ref for row in rows if row.ref not in before)
    return moves, new
