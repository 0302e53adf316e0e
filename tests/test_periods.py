"""One period rule (reportgen.periods): a month 13 is refused wherever a period is read."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_workspace
from reportgen.drafts import folders as drafts
from reportgen.errors import ReportgenError, UsageError
from reportgen.mail.collect import _other_period
from reportgen.paper_rules import period_date
from reportgen.periods import check_period, is_period
from reportgen.read.workspace import find_inputs, periods


@pytest.mark.parametrize(("typed", "says"), [
    ("2023-13", "'2023-13' has no month 13: the month is 01 to 12"),
    ("2023-00", "'2023-00' has no month 00"),
    ("2023-2", "'2023-2' is not of the form YYYY-MM (e.g. 2026-10)"),
    ("2023/02", "'2023/02' is not of the form YYYY-MM"),
    ("0999-01", "'0999-01' is not of the form YYYY-MM (a year from 1900)"),
])
def test_check_period_says_what_is_wrong(typed: str, says: str) -> None:
    with pytest.raises(UsageError, match=f"^period {re.escape(says)}"):
        check_period(typed)
    assert not is_period(typed)


def test_a_period_is_kept_as_typed_less_spaces() -> None:
    assert check_period(" 2023-02 ") == "2023-02" and is_period("2023-12") and not is_period(" 2023-02")


@given(st.from_regex(r"[0-9]{4}-[0-9]{2}", fullmatch=True))
def test_is_period_agrees_with_the_calendar(text: str) -> None:
    try:
        month = dt.datetime.strptime(text, "%Y-%m")
    except ValueError:
        month = None
    assert is_period(text) == (month is not None and month.year >= 1900)


def test_2023_13_is_refused_everywhere(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", period="2023-12")
    (root / "inputs" / "returns" / "2023-13").mkdir()
    with pytest.raises(UsageError, match="has no month 13"):  # the command line and the flows
        find_inputs(root, "2023-13")
    assert periods(root) == ["2023-12"]  # a folder named like it is not a period folder
    outputs = root / "outputs"
    with pytest.raises(ReportgenError, match="is not YYYY-MM"):  # kept drafts
        drafts.start_draft(outputs, "2023-13")
    (outputs / "2023-13" / "draft-01").mkdir(parents=True)
    assert drafts.draft_folders(outputs) == []
    assert period_date("2023-13") == "" and period_date("2023-12") == "2023-12-01"  # the PDF's dates
    assert _other_period("Re: [reportgen 2023-13] return", "2023-12") == ""  # a mail subject's tag
    assert _other_period("Re: [reportgen 2023-11] return", "2023-12") == "2023-11"
