"""The cover sheet's values for a period: the meeting it goes to, and text that names the period.

Part of the paper model (`build_paper` calls it), so every renderer shows the same words. A value
such as "Delivery Update ({period:%B %Y})" follows the period; `[paper] meetings` in reportgen.toml
lists the Panel's dates, and the paper goes to the first meeting after its period.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

from reportgen.check.personal_data import cover_personal_data
from reportgen.glyphs import code_points, missing_glyphs
from reportgen.issues import Issue, issue
from reportgen.model import CoverRow
from reportgen.periods import (
    display_date,
    fill_in,
    first_meeting_after,
    period_end,
    period_label,
    period_start,
)
from reportgen.settings import COVER_ROWS, SETTINGS_FILE, PaperSettings, Settings
from reportgen.settings_columns import heading_key
from reportgen.wording import counted, quoted


def meeting_date(paper: PaperSettings, period: str) -> dt.date | None:
    """The first listed meeting after the period ends; without a list (or none after), `date`."""
    return first_meeting_after(period, paper.meetings, paper.date)


def meeting_issues(paper: PaperSettings, period: str) -> list[Issue]:
    """A meeting list with no date after the period, or a meeting before the period: warnings."""
    issues = []
    date = meeting_date(paper, period)
    if paper.meetings and not any(day > period_end(period) for day in paper.meetings):
        shown = display_date(paper.date) or "no date"
        issues.append(issue("meeting-date", period=period_label(period), shown_date=shown, file=SETTINGS_FILE,
                            column="meetings"))
    if date is not None and date < period_start(period):
        issues.append(issue("meeting-date", "before-period", shown_date=display_date(date),
                            period=period_label(period), file=SETTINGS_FILE,
                            column="meetings" if paper.meetings else "date", value=date.isoformat()))
    if paper.date is not None and date is not None and date != paper.date:  # meetings came first: date is unused
        issues.append(issue("meeting-date", "date-unused", date=display_date(paper.date), shown_date=display_date(date),
                            period=period_label(period), file=SETTINGS_FILE, column="date",
                            value=paper.date.isoformat()))
    return issues


IDENTITY = ("meeting", "date", "title", "submitted_by")  # the rows that say what the paper is, and whose it is
FILLED_IN = ("meeting", "title", "subtitle", "submitted_by", "purpose", "decisions_required", "financial_implications",
             "risk_implications", "legal_implications", "equalities_impacts", "foi_exemption",
             "restricted_foi_exemption")  # [paper] texts that may name the period or the meeting date
_BRACED = re.compile(r"\{[^{}]*\}?|\}")  # a field as typed, or a brace left alone
_STRFTIME = re.compile(r"%[-_0^#]?[EO]?[aAbBcCdDefFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%+]")  # strftime's codes (C, glibc)


def settings_issues(workspace: Path) -> list[Issue]:
    """A workspace with no reportgen.toml is built with reportgen's defaults: said, as nobody chose them."""
    if (workspace / SETTINGS_FILE).is_file():
        return []
    return [issue("no-settings", file=SETTINGS_FILE)]


def removed_character_issues(settings: Settings) -> list[Issue]:
    """The zero-width and text-direction characters taken out of reportgen.toml's texts as it was read: a warning
    each, saying where, as the narrative's and the partners' are taken out (they show nothing)."""
    return [issue("invisible-characters", "around", points=found.points, around=found.around, file=SETTINGS_FILE,
                  column=found.where) for found in settings.removed_characters]


# [paper] keys whose default the cover sheet prints, and what to write for each: a default is a guess, so said
UNSET = {"meeting": 'meeting = "Police and Crime Panel", or the Panel\'s own name',
         "foi_exemption": 'foi_exemption = "Not Exempt", or the exemption that applies, e.g. "Exempt: Schedule 12A '
                          'to the Local Government Act 1972, paragraph 7"'}


def cover_issues(paper: PaperSettings, period: str, edition: str = "public") -> list[Issue]:
    """A cover sheet the paper would print unfinished, or with words nobody chose: warnings. A row that says what
    the paper is (meeting, date, title, submitted by) empty, or no title set (the paper is then titled 'Delivery
    Plan'), is one; every other row left empty is another (a published Panel paper fills every row); a meeting or
    Freedom of Information exemption not set, so printed as reportgen's default, one each. A field that is not
    {period…} or {date…}, or a strftime code that is none, is printed as typed: a warning naming it."""
    issues = []
    headings = {key: paper.cover_headings.get(key, label) for key, label in COVER_ROWS.items()}
    shown = built_in_values(paper, period, edition)
    # a date the meeting list cannot give is said by `meeting_issues`
    empty = [key for key, value in shown.items() if not value.strip() and not (key == "date" and paper.meetings)]
    said = [headings[key] for key in empty if key in IDENTITY]
    if said:
        issues.append(issue("cover-empty", rows=_listed(said), file=SETTINGS_FILE, column=", ".join(
            key for key in empty if key in IDENTITY)))
    if "title" not in paper.model_fields_set:
        issues.append(issue("cover-empty", "title", title=paper.title, file=SETTINGS_FILE, column="title"))
    issues += [issue("cover-empty", "unset", rows=quoted(headings[key]), example=example, file=SETTINGS_FILE,
                     column=key, value=shown[key])
               for key, example in UNSET.items() if _defaulted(paper, key, edition) and shown.get(key, "").strip()]
    others = [headings[key] for key in empty if key not in IDENTITY]
    others += [row.heading for row in paper.cover if not row.value.strip()]
    if others:
        issues.append(issue("cover-row-empty", rows=_listed(others), file=SETTINGS_FILE))
    for key, text in [*((key, str(getattr(paper, key))) for key in FILLED_IN),
                      *((f"cover {quoted(row.heading)}", row.value) for row in paper.cover)]:
        doubled = _DOUBLED.search(text)  # {{period}}, as the narrative writes its values
        printed = fill_in(text, period, meeting_date(paper, period))
        for wrong in [doubled[0]] if doubled else _unfilled(text):
            meant = _meant_field(wrong)
            if meant:
                issues.append(issue("cover-field-mistyped", "meant", field=wrong, meant=meant, printed=printed,
                                    file=SETTINGS_FILE, column=key, value=text))
            else:
                code = "cover-field-mistyped" if doubled or _meant_as_field(wrong) else "cover-placeholder"
                issues.append(issue(code, field=wrong, printed=printed, file=SETTINGS_FILE, column=key, value=text))
    rows = [(key, headings[key], value) for key, value in shown.items() if key not in ("date", "foi_exemption")]
    rows += [(row.heading, row.heading, fill_in(row.value, period, meeting_date(paper, period))) for row in paper.cover]
    issues += cover_personal_data(rows, SETTINGS_FILE, author="submitted_by")
    return [*issues, *footer_issues(paper, period, edition)]


# about what the PDF's footer holds of the meeting and its date: two lines of 8pt beside the page number on a
# portrait page, above the restricted marking; four without it (paper.css; its bottom margin cannot grow)
FOOTER_CHARACTERS = {"restricted": 200, "public": 400}


def footer_issues(paper: PaperSettings, period: str, edition: str = "public") -> list[Issue]:
    """A meeting name longer than the PDF's footer holds: a warning, as the footer cannot grow and would cut off
    its end, the date or the marking at the foot of the page."""
    date = meeting_date(paper, period)
    footer = " · ".join(text for text in (fill_in(paper.meeting, period, date), display_date(date)) if text)
    most = FOOTER_CHARACTERS.get(edition, FOOTER_CHARACTERS["restricted"])
    if len(footer) <= most:
        return []
    return [issue("meeting-too-long", file=SETTINGS_FILE, column="meeting", value=paper.meeting, length=len(footer),
                  most=most, edition=edition)]


def _defaulted(paper: PaperSettings, key: str, edition: str) -> bool:
    """Whether the cover prints reportgen's default for `key`, reportgen.toml not setting it: not where the
    restricted edition's cover gives restricted_foi_exemption instead."""
    if key == "foi_exemption" and foi_exemption(paper, edition)[1] != key:
        return False
    return key not in paper.model_fields_set


def _listed(headings: list[str]) -> str:
    return ", ".join(quoted(heading) for heading in headings)


def _unfilled(text: str) -> list[str]:
    """Each {…} of `text` that is not a field reportgen fills in ({period}, {date:%d %B %Y}), or whose strftime
    codes are not all codes: every one, as the officer mends them all at once."""
    found = []
    for match in _BRACED.finditer(text):
        field = match[0]
        name, _, form = field.strip("{}").partition(":")
        not_a_field = not (field.startswith("{") and field.endswith("}")) or name.strip() not in ("period", "date")
        if not_a_field or (form and _STRFTIME.sub("", form).count("%")):
            found.append(field)
    return found


def _meant_field(field: str) -> str:
    """The field a mistyped one was meant as, its name mended and its format kept: '{perod:%B %Y}' and
    '{Period:%B %Y}' -> '{period:%B %Y}'; "" when it names neither period nor date nearly, or is no field."""
    found = _ONE_NAME.fullmatch(field)
    if found is None or not found[3]:
        return ""
    name = found[1].lower()
    close = difflib.get_close_matches(name, ("period", "date"), 1, 0.6)
    if not close or (found[1] == close[0]):
        return ""
    return "{" + close[0] + (found[2] or "").rstrip() + "}"


_ONE_NAME = re.compile(r"\{\s*([A-Za-z_]\w*)\s*(:[^{}]*)?(\}?)")
_DOUBLED = re.compile(r"\{\{\s*[A-Za-z_]\w*\s*(?::[^{}]*)?\}\}")


def _meant_as_field(field: str) -> bool:
    """Whether braces reportgen does not fill in were meant as a field: period or date (or nearly: '{perod}'), one
    with a format ('{period:%Q}', '{month:%B}') or left open ('{period:%B %Y)'); not a word or words in braces
    ('{TBC}', '{like this}'), which may be meant."""
    found = _ONE_NAME.fullmatch(field)
    if found is None:
        return False
    name, form, closed = found.groups()
    return bool(form) or not closed or bool(difflib.get_close_matches(name.lower(), ("period", "date"), 1, 0.6))


PRINTED = ("meeting", "title", "subtitle", "submitted_by", "purpose", "decisions_required", "financial_implications",
           "risk_implications", "legal_implications", "equalities_impacts", "foi_exemption", "restricted_foi_exemption",
           "exempt_note", "restricted_marking", "draft_marking")  # [paper] texts the PDF prints


def font_issues(paper: PaperSettings) -> list[Issue]:
    """A [paper] text the PDF prints with characters no installed font has (`reportgen.glyphs`)."""
    texts = {key: str(getattr(paper, key)) for key in PRINTED}
    texts |= {f"cover_headings.{key}": heading for key, heading in paper.cover_headings.items()}
    for row in paper.cover:
        texts |= {f"cover {quoted(row.heading)}": f"{row.heading} {row.value}"}
    return [issue("no-font-for", "settings", characters=missing, points=code_points(missing), file=SETTINGS_FILE,
                  column=key, value=text[:80]) for key, text in texts.items() if (missing := missing_glyphs(text))]


def foi_exemption(paper: PaperSettings, edition: str) -> tuple[str, str]:
    """The cover's Freedom of Information exemption, and the [paper] key it comes from: the restricted
    edition (the Part II paper) gives `restricted_foi_exemption` when it is set."""
    if edition == "restricted" and paper.restricted_foi_exemption.strip():
        return paper.restricted_foi_exemption, "restricted_foi_exemption"
    return paper.foi_exemption, "foi_exemption"


def says_not_exempt(text: str) -> bool:
    """'Not Exempt', 'None', 'N/A', 'No' or nothing: a cover that claims no exemption."""
    return re.sub(r"[^a-z]", "", text.lower()) in {"", "notexempt", "none", "no", "na", "notapplicable", "nil"}


def exemption_issues(paper: PaperSettings, edition: str, exempt: int) -> list[Issue]:
    """A restricted edition holding exempt actions whose cover says it is not exempt."""
    text, key = foi_exemption(paper, edition)
    if edition != "restricted" or not exempt:
        return []
    if "foi_exemption" in paper.cover_leave_out and not any(
            "exempt" in heading_key(row.heading) and not says_not_exempt(row.value) for row in paper.cover):
        return [issue("restricted-cover-not-exempt", "left-out", exempt_actions=counted(exempt, "exempt action"),
                      file=SETTINGS_FILE, column="cover_leave_out", value="foi_exemption")]
    if "foi_exemption" in paper.cover_leave_out or not says_not_exempt(text):
        return []
    return [issue("restricted-cover-not-exempt", exempt_actions=counted(exempt, "exempt action"), file=SETTINGS_FILE,
                  column=key, value=text)]


def cover_rows(paper: PaperSettings, period: str, edition: str = "public") -> tuple[CoverRow, ...]:
    """The cover sheet in the order of a published Panel paper, with the period's values filled in: the
    built-in rows (less those left out, re-headed as reportgen.toml says), then the Panel's own rows, each
    last, or after or before the row it names."""
    date = meeting_date(paper, period)
    values = built_in_values(paper, period, edition)
    rows: list[tuple[str, CoverRow]] = [  # (what placed it: a row's key, or the heading it goes after)
        (key, CoverRow(paper.cover_headings.get(key, label), values[key]))
        for key, label in COVER_ROWS.items() if key in values]
    for extra in paper.cover:
        row = CoverRow(extra.heading, fill_in(extra.value, period, date))
        if extra.before is not None:  # right before it, after the rows already placed before it
            rows.insert(_anchor(rows, extra.before), (f"before:{extra.before}", row))
        else:
            rows.insert(_place(rows, extra.after), (f"after:{extra.after}", row))
    return tuple(row for _placed, row in rows)


def built_in_values(paper: PaperSettings, period: str, edition: str = "public") -> dict[str, str]:
    """The built-in cover rows the cover sheet shows (not left out), by key, with the period's values filled in."""
    date = meeting_date(paper, period)
    values = {**{key: getattr(paper, key) for key in COVER_ROWS}, "date": display_date(date),
              "foi_exemption": foi_exemption(paper, edition)[0]}
    return {key: fill_in(values[key], period, date) for key in COVER_ROWS if key not in paper.cover_leave_out}


def _anchor(rows: list[tuple[str, CoverRow]], named: str) -> int:
    """The place of the row `named` names: its key, or its heading as any case and spacing."""
    return next(at for at, (placed, row) in enumerate(rows)
                if placed == named or heading_key(row.label) == heading_key(named))


def _place(rows: list[tuple[str, CoverRow]], after: str | None) -> int:
    """Where a row of the Panel's own goes: after the row `after` names (its key, or its heading as any
    case and spacing) and the rows already placed after it, in the order given; else last."""
    if after is None:
        return len(rows)
    at = _anchor(rows, after) + 1
    while at < len(rows) and rows[at][0] == f"after:{after}":
        at += 1
    return at
