"""The reporting period, YYYY-MM: the one rule for what a period is, and a period as dates and words.

Used wherever a period is read: the command line and flows (`check_period`), period folders under
inputs/returns and outputs, kept drafts, mail subjects and the PDF's dates (`is_period`); and what the
cover, the narrative, the return workbooks and the partner emails call it (`period_label`), and the
cover values that follow it (`fill_in`, `first_meeting_after`). A month is
01 to 12 and a year is from 1900 (the first year a calendar month can be printed for in every output).
Shared by every stage: it reads nothing and imports nothing of reportgen's but its exception.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence

from reportgen.errors import UsageError
from reportgen.wording import quoted

DATE_FORM = "%d %B %Y"  # the cover's meeting date, as the published paper's cover writes it ("02 February 2023")

PERIOD_PATTERN = r"(?:19|[2-9][0-9])[0-9]{2}-(?:0[1-9]|1[0-2])"  # for a larger pattern (a mail subject's tag)
PERIOD = re.compile(PERIOD_PATTERN)
_FORM = re.compile(r"[0-9]{4}-[0-9]{2}")


def is_period(text: str) -> bool:
    """Is `text` exactly a period (no spaces): "2023-02" yes; "2023-13", "2023-2", "0999-01" no."""
    return PERIOD.fullmatch(text) is not None


def period_problem(text: str) -> str:
    """Why `text` is not a period, in words for the person who typed it; "" when it is one."""
    if not _FORM.fullmatch(text):
        return "is not of the form YYYY-MM (e.g. 2026-10)"
    if not "01" <= text[5:] <= "12":
        return f"has no month {text[5:]}: the month is 01 to 12"
    if not is_period(text):
        return "is not of the form YYYY-MM (a year from 1900)"
    return ""


def check_period(period: str) -> str:
    """`period` (spaces around it removed) when it is a period; else a UsageError saying what is wrong."""
    text = period.strip()
    problem = period_problem(text)
    if problem:
        raise UsageError(f"period {quoted(period)} {problem}")
    return text


def period_start(period: str) -> dt.date:
    return dt.date.fromisoformat(period + "-01")


def period_end(period: str) -> dt.date:
    start = period_start(period)
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def month_before(day: dt.date) -> str:
    """The period of the month before `day`'s ("2026-10" for any day of November 2026): the month just ended,
    the one a paper is usually built for."""
    return f"{day.replace(day=1) - dt.timedelta(days=1):%Y-%m}"


def period_label(period: str) -> str:
    """'2023-02' -> 'February 2023'."""
    return period_start(period).strftime("%B %Y")


# {period}, {period:%B %Y}, {date}, {date:%d %B %Y}; spaces inside the braces as the narrative's `{{ period }}` has them
_FIELD = re.compile(r"\{[ \t]*(period|date)[ \t]*(?::([^{}]*?))?[ \t]*\}")


def day_text(day: dt.date) -> str:
    """'1 April 2027': a day as the paper's text writes one (a partner's "due to start on 1 April 2027"), and as
    the return workbooks and the mail name one; a date typed in a cell is printed so, never '01 April 2027'."""
    return f"{day.day} {day:%B %Y}"


def display_date(date: dt.date | None) -> str:
    return date.strftime(DATE_FORM) if date else ""


def first_meeting_after(period: str, meetings: Sequence[dt.date], date: dt.date | None) -> dt.date | None:
    """The first of `meetings` after the period ends; without one, `date` (reportgen.toml [paper])."""
    after = sorted(day for day in meetings if day > period_end(period))
    return after[0] if after else date


def fill_in(text: str, period: str, date: dt.date | None) -> str:
    """`text` with {period…} and {date…} replaced; a format that cannot apply leaves the field as written;
    any other braces are left as written."""
    def value(match: re.Match[str]) -> str:
        name, form = match[1], match[2]
        day = period_start(period) if name == "period" else date
        if day is None:
            return ""
        if not form:
            return period_label(period) if name == "period" else display_date(day)
        try:
            return day.strftime(form)
        except ValueError:
            return match[0]
    return _FIELD.sub(value, text)
