"""reportgen's copies of openpyxl's rules for coordinates, serial dates and date formats
(`reportgen.read.xlsx_values`) give what openpyxl's own give: every column, every built-in format,
and generated coordinates, serials and format codes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

from reportgen.read import xlsx_values as xv


def _result(function, *args):  # type: ignore[no-untyped-def]
    """The value, or "failed" (openpyxl raises its own exception types where ours raise ValueError)."""
    try:
        return function(*args)
    except Exception:
        return "failed"


def test_every_column_both_ways() -> None:
    for number in range(1, 18_279):  # A to ZZZ, all openpyxl has
        letters = get_column_letter(number)
        assert xv.column_letters(number) == letters
        assert xv.column_number(letters) == number
        assert xv.column_number(letters.lower()) == number
    for bad in (0, -1, 18_279):
        with pytest.raises(ValueError):
            xv.column_letters(bad)
        with pytest.raises(ValueError):
            get_column_letter(bad)
    for bad in ("", "AAAA", "A1", "É", "Ａ", " A", "$A"):
        with pytest.raises(ValueError):
            xv.column_number(bad)
        with pytest.raises(ValueError):
            column_index_from_string(bad)


@given(st.text(alphabet="AbZz$019 :é", max_size=8))
def test_coordinates_as_openpyxl_reads_them(text: str) -> None:
    assert _result(xv.split_coordinate, text) == _result(coordinate_from_string, text)


def test_ranges() -> None:
    assert xv.range_bounds("B5:C7") == ((5, 2), (7, 3))
    assert xv.range_bounds("$AA$10") == ((10, 27), (10, 27))
    for bad in ("B5:ZZZZ9", "B0", "5B", "", "B5:"):
        with pytest.raises(ValueError):
            xv.range_bounds(bad)


@given(st.one_of(st.floats(min_value=-1e6, max_value=3e6, allow_nan=False),
                 st.integers(min_value=-100_000, max_value=3_000_000),
                 st.sampled_from([0, 0.5, 0.999999999, 1, 59, 59.999, 60, 61, 2_958_465, 2_958_466, 1e308,
                                  float("inf"), float("-inf"), float("nan")])),
       st.sampled_from([WINDOWS_EPOCH, MAC_EPOCH]))
def test_serial_dates_as_openpyxl_reads_them(value: float, epoch: dt.datetime) -> None:
    assert _result(xv.from_serial, value, epoch) == _result(from_excel, value, epoch)


def test_epochs_are_openpyxl_s() -> None:
    assert (xv.WINDOWS_EPOCH, xv.MAC_EPOCH) == (WINDOWS_EPOCH, MAC_EPOCH)


def test_every_builtin_format() -> None:
    for format_id in range(0, 164):
        expected = is_date_format(BUILTIN_FORMATS.get(format_id, "General"))
        assert xv.builtin_shows_date(format_id) == expected, format_id


REAL_FORMATS = ["General", "0", "0.00", "@", "dd/mm/yyyy", "d mmmm yyyy", "[$-809]dd mmmm yyyy", "[h]:mm:ss",
                '"Q"0', '"day "0', "#,##0;[Red]-#,##0", "[Red]0", "[$£-809]#,##0.00", "yyyy-mm-dd;@",
                '0_d', "\\d0", "mmm-yy", "hh:mm AM/PM", "0.00E+00", "[mm]:ss", '[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy']


@pytest.mark.parametrize("code", REAL_FORMATS)
def test_real_custom_formats(code: str) -> None:
    assert xv.shows_date(code) == is_date_format(code)


@given(st.text(alphabet='dmyhsDMYHS0#.,;"[]$-_\\@ :/E+Red', max_size=16))
def test_custom_formats_as_openpyxl_reads_them(code: str) -> None:
    assert xv.shows_date(code) == is_date_format(code)


@pytest.mark.parametrize(("code", "shows", "text"), [
    ("mmm-yy", {"month", "year"}, "March 2024"),
    ("mmmm yyyy", {"month", "year"}, "March 2024"),
    ("dd/mm/yyyy", {"day", "month", "year"}, "31 March 2024"),
    ("d-mmm", {"day", "month"}, "31 March"),
    ("yyyy", {"year"}, "2024"),
    ('"Q1 "yyyy', {"year"}, "2024"),
    ("dddd", {"day"}, "31 March 2024"),  # a weekday alone: the whole date, not a bare day
    ("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", {"day", "month", "year"}, "31 March 2024"),
    ("dd/mm/yyyy hh:mm", {"day", "month", "year", "time"}, "31 March 2024 14:05"),
    ("h:mm", {"time"}, "14:05"),
    ("hh:mm AM/PM", {"time"}, "14:05"),
    ("[h]:mm:ss", {"time"}, "14:05"),
    ("yyyy-mm-dd", {"day", "month", "year"}, "31 March 2024"),
    ("mm:ss", {"time"}, "14:05"),  # minutes, as the m before an s always is
])
def test_a_date_shows_what_its_format_shows(code: str, shows: set[str], text: str) -> None:
    assert xv.date_shows(code) == shows
    assert xv.DateCell(dt.datetime(2024, 3, 31, 14, 5), frozenset(shows)).text() == text


def test_a_date_typed_without_a_time_shows_none() -> None:
    shows = xv.date_shows("yyyy-mm-dd h:mm:ss")  # what openpyxl gives a datetime
    assert xv.DateCell(dt.datetime(2024, 3, 31), shows).text() == "31 March 2024"
    assert xv.DateCell(dt.datetime(2024, 3, 31, 9, 30, 15), shows).text() == "31 March 2024 09:30:15"
    assert xv.DateCell(dt.time(9, 30), shows).text() == "09:30"


def test_every_builtin_date_format_shows_some_part() -> None:
    for format_id in range(0, 164):
        assert bool(xv.builtin_date_shows(format_id)) == xv.builtin_shows_date(format_id), format_id
    assert xv.builtin_date_shows(17) == {"month", "year"}  # mmm-yy: what Excel makes of "Mar-24"


@pytest.mark.parametrize(("code", "number", "shown"), [
    ('"£"#,##0', 1500, "£1,500"),
    ("#,##0", 1234567.891, "1,234,568"),
    ("0.00", 2.5, "2.50"),
    ("#,##0.0#", 1.5, "1.5"),
    ("#,##0.0#", 1.555, "1.56"),  # half away from zero, as Excel rounds
    ("£#,##0.00;[Red]-£#,##0.00", -1500, "-£1,500.00"),  # the negative section writes its own sign
    ("£#,##0", -1500, "-£1,500"),  # one section: the sign before everything
    ("#,##0;(#,##0)", -1500, "(1,500)"),
    ("[$€-x-euro2] #,##0.00", 1500, "€ 1,500.00"),
    ("[$-809]#,##0", 1500, "1,500"),  # a locale alone shows nothing
    ('#,##0,"k"', 1500000, "1,500k"),  # a comma after the digits: thousands
    ('0.0 "hours"', 3, "3.0 hours"),
    ("000", 7, "007"),
    ("#.00", 0.5, ".50"),
    ('0;(0);"none"', 0, "none"),
    ('"Approx "General', 0.1 + 0.2, "Approx 0.3"),
    ('_-"£"* #,##0.00_-;-"£"* #,##0.00_-;_-"£"* "-"??_-;_-@_-', 1500, "£1,500.00"),  # Excel's UK accounting
    ('_-"£"* #,##0.00_-;-"£"* #,##0.00_-;_-"£"* "-"??_-;_-@_-', -12.5, "-£12.50"),
    ('_-"£"* #,##0.00_-;-"£"* #,##0.00_-;_-"£"* "-"??_-;_-@_-', 0, "£-"),
])
def test_a_number_format_writes_a_number_as_excel_shows_it(code: str, number: float, shown: str) -> None:
    from reportgen.read.xlsx_values import number_format

    found = number_format(code)
    assert found is not None and found.text(number) == shown


@pytest.mark.parametrize("code", ["General", "0.00E+00", "# ?/?", "[>100]0;0", "000-0000", "@", "0%", "d-mmm-yy",
                                  "[h]:mm"])
def test_a_number_format_it_cannot_write_leaves_the_number_as_stored(code: str) -> None:
    """Scientific notation, fractions, conditions, digits among words, text: the number is read as stored (and
    dates and percentages are read by their own rules)."""
    from reportgen.read.xlsx_values import number_format

    assert number_format(code) is None


def test_the_built_in_number_formats_write_a_number_as_excel_shows_it() -> None:
    from reportgen.read.xlsx_values import builtin_number_format

    shown = {format_id: found.text(-1234.5) for format_id in range(164)
             if (found := builtin_number_format(format_id)) is not None}
    assert shown == {1: "-1235", 2: "-1234.50", 3: "-1,235", 4: "-1,234.50", 37: "(1,235)", 38: "(1,235)",
                     39: "(1,234.50)", 40: "(1,234.50)", 41: "(1,235)", 43: "(1,234.50)"}
    for format_id in (1, 41, 43):  # written as openpyxl (and Excel) write them: no code in the file, only the id
        assert xv.number_format(BUILTIN_FORMATS[format_id]) == builtin_number_format(format_id)


@pytest.mark.parametrize(("code", "what"), [
    ("0.00E+00", "scientific notation"), ("# ?/?", "a fraction"), ("[>100]0;0", "a condition"),
    ("000-0000", "words or signs between its digits"), ('"£"#,##0', None), ("General", None), ("@", None),
    ("0%", None), ("d-mmm-yy", None), ("0;-0;;@", None), ("[>0.5]0%;0.0%", "a condition"), ("0.0%;(0.0%)", None)])
def test_a_number_format_left_as_stored_says_why(code: str, what: str | None) -> None:
    """A format that shows a number otherwise than it is read is named with why (the reader warns of it); General, text
    (which shows a number as General), and the formats read by a rule of their own are not."""
    found = xv.unread_format(code)
    assert (found.what if found else None) == what
    assert found is None or found.code == code


def test_every_built_in_format_is_read_or_said() -> None:
    """Each built-in format that shows a number otherwise than as stored is read by a rule, or said: a regional
    currency ($ in the US, £ in the UK, not said in the file) by its number."""
    from reportgen.read.xlsx_values import builtin_number_format, builtin_unread_format

    said = {format_id: found.what for format_id in range(164) if (found := builtin_unread_format(format_id))}
    assert sorted(said) == [5, 6, 7, 8, 11, 12, 13, 42, 44, 48]
    assert said[12] == "a fraction" and said[48] == "scientific notation" and "region" in said[5]
    for format_id in range(50):
        read = (xv.builtin_shows_date(format_id), xv.builtin_percent_places(format_id) is not None,
                builtin_number_format(format_id) is not None, format_id in said)
        assert sum(read) <= 1, format_id
        assert any(read) or format_id in (0, 49) or format_id in range(23, 37), format_id
