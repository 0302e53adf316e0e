"""A period ("2023-02", one month) as dates and words: what the cover, the narrative, the return
workbooks and the partner emails all call it. Shared by every stage; it reads nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt


def period_start(period: str) -> dt.date:
    return dt.date.fromisoformat(period + "-01")


def period_end(period: str) -> dt.date:
    start = period_start(period)
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def period_label(period: str) -> str:
    """'2023-02' -> 'February 2023'."""
    return period_start(period).strftime("%B %Y")
