"""Excel's cell coordinates, serial dates, date formats (as openpyxl reads them), number formats (as Excel shows).

The .xlsx reader (`reportgen.read.xlsx_reader`) needs only these few rules of openpyxl's, but any
import from openpyxl runs its package's `__init__`, which loads its whole workbook machinery: ~0.17 s
of CPU in a fresh process, a sixth of `reportgen validate` on the sample. So they are here, and
`tests/test_xlsx_values.py` checks them against openpyxl's own (every column, every built-in format,
generated coordinates, serials and format codes).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

WINDOWS_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of the 1900 date system (Excel's default)
MAC_EPOCH = dt.datetime(1904, 1, 1)  # day 0 of the 1904 date system (<workbookPr date1904="1">)
LAST_COLUMN = 18_278  # ZZZ: three letters, as openpyxl allows (Excel itself stops at XFD, 16,384)

_COORDINATE = re.compile(r"^[$]?([A-Za-z]{1,3})[$]?(\d+)$")
# Built-in number formats (ECMA-376 18.8.30) that show a date or a time: 14-22 and 45-47. The
# locale-dependent ids (27-36, 50-58) are read as General, as openpyxl does.
_BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
# What does not decide whether a format shows a date: quoted text, and [..] other than [h] [mm] [ss]
_NOT_DATE_PARTS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")  # not escaped (\d) nor a space the width of one (_d)
_ESCAPED = re.compile(r"[_\\].|AM/PM|A/P", re.IGNORECASE)  # \d, _d (not date letters), and the 12-hour clock
_DATE_RUN = re.compile(r"([dmyhs])\1*", re.IGNORECASE)  # a run of one letter: d, dd, mmm, yyyy
# what each built-in date format (ECMA-376 18.8.30) is written as
_BUILTIN_DATE_CODES = {14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
                       19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 45: "mm:ss",
                       46: "[h]:mm:ss", 47: "mmss.0"}


def split_coordinate(coordinate: str) -> tuple[str, int]:
    """'B12' -> ('B', 12); '$B$12' as well. ValueError for anything else, or row 0."""
    match = _COORDINATE.match(coordinate)
    if not match or not int(match.group(2)):
        raise ValueError(f"not a cell coordinate: {coordinate!r}")
    return match.group(1), int(match.group(2))


def range_bounds(cells: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """'B5:C7' -> ((5, 2), (7, 3)); 'B5' -> ((5, 2), (5, 2)): (row, column) of its first and last cells."""
    points = []
    for part in (cells.split(":")[0], cells.split(":")[-1]):
        letters, row = split_coordinate(part)
        points.append((row, column_number(letters)))
    return points[0], points[1]


@lru_cache(maxsize=1024)
def column_number(letters: str) -> int:
    """'A' -> 1, 'AB' -> 28, lower case as well; ValueError for anything but A to ZZZ."""
    if not 1 <= len(letters) <= 3 or not (letters.isascii() and letters.isalpha()):
        raise ValueError(f"{letters!r} is not a column: columns are A to ZZZ")
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


@lru_cache(maxsize=1024)
def column_letters(number: int) -> str:
    """1 -> 'A', 28 -> 'AB'; ValueError outside 1 to LAST_COLUMN."""
    if not 1 <= number <= LAST_COLUMN:
        raise ValueError(f"no column {number}: columns are 1 to {LAST_COLUMN:,}")
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def from_serial(value: float, epoch: dt.datetime = WINDOWS_EPOCH) -> dt.datetime | dt.time:
    """A date cell's number as a datetime (to the millisecond), or a time of day for 0 <= value < 1.

    In the 1900 system Excel counts 29 February 1900, which did not exist: serials below 60 are a day
    later than their count from the epoch. OverflowError or ValueError for serials no calendar holds.
    """
    day, fraction = divmod(value, 1)
    part = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and part.days == 0:
        return (dt.datetime.min + part).time()
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + part


def shows_date(format_code: str) -> bool:
    """Whether a custom number format shows a date or a time (only its first, positive, section counts)."""
    section = _NOT_DATE_PARTS.sub("", format_code.split(";")[0])
    return _DATE_LETTER.search(section) is not None


def builtin_shows_date(format_id: int) -> bool:
    """Whether a built-in number format (by its id) shows a date or a time."""
    return format_id in _BUILTIN_DATE_FORMATS


@dataclass(frozen=True)
class DateCell:
    """A cell shown as a date or a time: its value, and which parts its number format shows.

    A partner who types "Mar-24" into Excel gets the date 1 March 2024 shown as `mmm-yy`; the paper
    must say "March 2024", not a day nobody typed (`text`).
    """

    value: dt.datetime | dt.time
    shows: frozenset[str]  # of "day", "month", "year", "time"
    serial: float | None = None  # the number stored (Excel's day count), when the cell stores one

    def text(self) -> str:
        """The parts the format shows, written as the paper's text writes dates: '1 March 2024', 'March 2024',
        '2024', '14:30'. A format that shows a day but no month shows the whole date; a date's time is
        left out at midnight (Excel's date-and-time formats show 00:00 on dates typed without one)."""
        value, shows = self.value, self.shows
        if isinstance(value, dt.time):
            return _time_text(value)
        if "day" in shows and "month" not in shows:
            shows = shows | {"month", "year"}
        # the day without a leading zero, as the paper's text writes one ('1 April 2027': `day_text`)
        parts = [str(value.day) if part == "day" else value.strftime(form)
                 for part, form in (("day", ""), ("month", "%B"), ("year", "%Y")) if part in shows]
        if not parts or ("time" in shows and value.time() != dt.time()):
            parts.append(_time_text(value.time()))
        return " ".join(parts)


def _time_text(value: dt.time) -> str:
    return value.strftime("%H:%M:%S" if value.second or value.microsecond else "%H:%M")


def date_shows(format_code: str) -> frozenset[str]:
    """Which parts of a date a number format shows (its first section): 'mmm-yy' -> month and year.

    An `m` next to an hour before it or a second after it is minutes, as Excel reads it."""
    section = _ESCAPED.sub("", _NOT_DATE_PARTS.sub("", format_code.split(";")[0]))
    runs = [letter.lower() for letter in _DATE_RUN.findall(section)]
    shows = set()
    for index, letter in enumerate(runs):
        if letter == "m":
            minutes = (index and runs[index - 1] == "h") or runs[index + 1: index + 2] == ["s"]
            shows.add("time" if minutes else "month")
        else:
            shows.add({"d": "day", "y": "year", "h": "time", "s": "time"}[letter])
    return frozenset(shows)


_PERCENT_SIGN = re.compile(r"(?<![_\\])%")  # not escaped (\%) nor a space the width of one (_%)
_DECIMALS = re.compile(r"\.([0#?]+)")
_BUILTIN_PERCENT_PLACES = {9: 0, 10: 2}  # "0%", "0.00%"


def percent_places(format_code: str) -> int | None:
    """The decimal places a percentage format shows ('0%' -> 0, '0.0%' -> 1); None when it shows no percentage
    (its first section, as for dates)."""
    section = _NOT_DATE_PARTS.sub("", format_code.split(";")[0])
    if not _PERCENT_SIGN.search(section):
        return None
    decimals = _DECIMALS.search(section)
    return len(decimals.group(1)) if decimals else 0


def builtin_percent_places(format_id: int) -> int | None:
    """`percent_places` of a built-in format, by its id."""
    return _BUILTIN_PERCENT_PLACES.get(format_id)


@dataclass(frozen=True)
class Percent:
    """A number format that shows a percentage: Excel stores 50% as 0.5, and shows it with `places` decimals."""

    places: int

    def text(self, number: float) -> str | None:
        """0.5 -> '50%', rounded as Excel shows it (half away from zero); None for a number it cannot write."""
        try:
            shown = (Decimal(repr(number)) * 100).quantize(Decimal(1).scaleb(-self.places), ROUND_HALF_UP)
        except (InvalidOperation, ValueError):
            return None
        return f"{shown}%" if shown.is_finite() else None


def builtin_date_shows(format_id: int) -> frozenset[str]:
    """`date_shows` of a built-in date format, by its id."""
    return date_shows(_BUILTIN_DATE_CODES.get(format_id, ""))


@dataclass(frozen=True)
class NumberCell:
    """A number shown through its number format, as the partner sees it: 1500 under `"£"#,##0` is '£1,500'.
    `value` is the number stored, which an action's reference is read from."""

    value: int | float
    shown: str

    def text(self) -> str:
        return self.shown


# a number format's parts (ECMA-376 18.8.31): quoted text, an escaped character, a space the width of a character
# (_x), a fill (*x), a [bracket] (colour, condition, [$£-809] currency), General, and every other character one by one
_FORMAT_TOKEN = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|General|.', re.IGNORECASE | re.DOTALL)
_DIGIT = frozenset("0#?")
# built-in number formats (ECMA-376 18.8.30) that are not dates or percentages and show a number otherwise than as
# stored: 1 ("0", Excel's Number with no decimals) rounds 2.5 to 3; 41 and 43 are the accounting formats without a
# currency symbol. 11, 12, 13 and 48 (scientific and fractions) are left as stored
_BUILTIN_NUMBER_CODES = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
                         39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
                         41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
                         43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)'}


@dataclass(frozen=True)
class NumberFormat:
    """A custom or built-in number format that shows a number with grouped thousands, fixed decimals, a currency or
    other words around it (`"£"#,##0.00`, `0.0 "hours"`, `#,##0;(#,##0)`): `text` writes a number as Excel shows it.
    Only the formats written with those parts are read so; scientific notation, fractions, conditions ([>100]) and
    digits interleaved with words are left as stored (`number_format` gives None)."""

    sections: tuple[tuple[str, ...], ...]  # each section's tokens: positive; negative; zero

    def text(self, number: float) -> str | None:
        """The number as this format shows it; None when it cannot be written."""
        try:
            value = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
        except (InvalidOperation, ValueError):
            return None
        if not value.is_finite():
            return None
        sections = self.sections
        if value < 0 and len(sections) >= 2:
            return _render(sections[1], -value, sign="")
        if value == 0 and len(sections) >= 3:
            return _render(sections[2], value, sign="")
        return _render(sections[0], abs(value), sign="-" if value < 0 else "")


def number_format(format_code: str) -> NumberFormat | None:
    """The format a custom number format code shows a number with, when it shows it otherwise than as stored and in a
    way this reads (`NumberFormat`); None for General, dates, percentages and formats left as stored."""
    if format_code.strip().lower() in ("", "general") or shows_date(format_code) or percent_places(format_code) \
            is not None:
        return None
    sections = _sections(format_code)
    if any(_unreadable(tokens) for tokens in sections):
        return None
    return NumberFormat(sections)


def builtin_number_format(format_id: int) -> NumberFormat | None:
    """`number_format` of a built-in format, by its id."""
    code = _BUILTIN_NUMBER_CODES.get(format_id)
    return number_format(code) if code else None


@dataclass(frozen=True)
class UnreadFormat:
    """A number format that shows a number in a way `NumberFormat` does not write (scientific notation, a fraction, a
    condition): the number is read as stored, and the reader says so: the paper may not show what the partner sees."""

    code: str  # as the file gives it, or as Excel shows a built-in one (a regional currency's by its number)
    what: str  # why it is not written: "a fraction"


_REGION_CURRENCY = "a currency whose symbol is the computer's region's, which the file does not say"
# built-in number formats (ECMA-376 18.8.30) left as stored, by their code: scientific notation, fractions; and ("")
# currencies whose symbol is the computer's (Excel's region: $ in the US, £ in the UK), named by their number
_BUILTIN_UNREAD = {5: "", 6: "", 7: "", 8: "", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 42: "", 44: "",
                   48: "##0.0E+0"}


def unread_format(format_code: str) -> UnreadFormat | None:
    """Why a custom number format that shows a number otherwise than as stored is not read (`number_format` gives None
    for it); None for General, text (@, which shows a number as General), dates, percentages and formats it reads."""
    if format_code.strip().lower() in ("", "general") or shows_date(format_code) \
            or (percent_places(format_code) is not None and not _conditional(format_code)):
        return None
    # a text section (@) shows a number typed into it as General, as it is read
    reasons = [reason for tokens in _sections(format_code) if (reason := _unreadable(tokens)) and reason != "text"]
    return UnreadFormat(format_code, reasons[0]) if reasons else None


def _conditional(format_code: str) -> bool:
    """Does the format choose its section by a condition ([>0.5]0%;0.0%)? A percentage's is then not read."""
    return any(token.startswith("[") and token[1:2] in "<>=" for token in _FORMAT_TOKEN.findall(format_code))


def builtin_unread_format(format_id: int) -> UnreadFormat | None:
    """`unread_format` of a built-in format, by its id."""
    code = _BUILTIN_UNREAD.get(format_id)
    if code is None:
        return None
    if not code:
        return UnreadFormat(f"Currency, built-in format {format_id}", _REGION_CURRENCY)
    return unread_format(code)


def _sections(format_code: str) -> tuple[tuple[str, ...], ...]:
    """A format's number sections (positive; negative; zero) as tokens, split at the semicolons outside quoted text,
    escapes and brackets; a fourth, for text, is left out."""
    sections: list[tuple[str, ...]] = []
    current: list[str] = []
    for token in _FORMAT_TOKEN.findall(format_code):
        if token == ";":
            sections.append(tuple(current))
            current = []
        else:
            current.append(token)
    return (*sections, tuple(current))[:3]


def _unreadable(tokens: tuple[str, ...]) -> str:
    """What in a section `_render` does not write as Excel does ("a fraction"); "" when it writes all of it."""
    digits = [index for index, token in enumerate(tokens) if token in _DIGIT or token == "General"]
    if sum(token == "General" for token in tokens) > 1 or (
            any(token == "General" for token in tokens) and len(digits) > 1):
        return "General with other digits"
    for token in tokens:
        lower = token.lower()
        if token.startswith("[") and not (lower.startswith("[$") or lower[1:-1].isalpha()
                                           or lower.startswith("[color")):
            return "a condition" if token[1:2] in "<>=" else f"the part {token}"  # [>100], or elapsed time
        if token == "@":
            return "text"
        if token == "/":
            return "a fraction"
        if lower == "e":
            return "scientific notation"
    if digits:  # the number's placeholders, with only "," and "." among them: no words between its digits
        between = tokens[digits[0]:digits[-1] + 1]
        if any(token not in _DIGIT and token not in (",", ".", "General") for token in between):
            return "words or signs between its digits"
    return ""


def _render(tokens: tuple[str, ...], value: Decimal, sign: str) -> str:
    digits = [index for index, token in enumerate(tokens) if token in _DIGIT or token == "General"]
    if not digits:  # words alone ("-" for zero in an accounting format)
        return "".join(_literal(token) for token in tokens).strip()
    first, last = digits[0], digits[-1]
    pattern = tokens[first:last + 1]
    scale = 0
    after = last + 1
    while after < len(tokens) and tokens[after] == ",":  # commas after the digits: thousands (#,##0,"k")
        scale += 1
        after += 1
    number = _number_text(pattern, value.scaleb(-3 * scale))
    return (sign + "".join(_literal(token) for token in tokens[:first]) + number
            + "".join(_literal(token) for token in tokens[after:])).strip()


def _number_text(pattern: tuple[str, ...], value: Decimal) -> str:
    if pattern == ("General",):
        return f"{value.normalize():f}" if value == value.to_integral_value() else f"{float(value):.10g}"
    point = pattern.index(".") if "." in pattern else len(pattern)
    whole, fraction = pattern[:point], [token for token in pattern[point + 1:] if token in _DIGIT]
    rounded = value.quantize(Decimal(1).scaleb(-len(fraction)), ROUND_HALF_UP)
    integer, _, decimals = f"{rounded:f}".partition(".")
    placeholders = [token for token in whole if token in _DIGIT]
    if integer == "0" and "0" not in placeholders:
        integer = ""  # '#.00' shows 0.5 as '.50'
    integer = integer.rjust(placeholders.count("0"), "0")
    if "," in whole and integer:
        integer = f"{int(integer):,}".rjust(len(integer), "0") if integer.isdigit() else integer
    decimals = decimals.ljust(len(fraction), "0")
    shown = list(decimals)
    for index in range(len(fraction) - 1, -1, -1):  # trailing zeros under '#' go, under '?' are spaces
        if shown[index] != "0" or fraction[index] == "0":
            break
        shown[index] = "" if fraction[index] == "#" else " "
    tail = "".join(shown).rstrip()
    return integer + ("." + tail if "." in pattern else "")


def _literal(token: str) -> str:
    """What a format's part other than a digit shows: quoted text as written, an escaped character, a space for
    `_x`, nothing for a fill or a colour, a currency's symbol for [$£-809]."""
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    if token.startswith("_"):
        return " "
    if token.startswith("*"):
        return ""
    if token.startswith("[$"):
        return token[2:-1].split("-")[0]
    if token.startswith("["):
        return ""
    return token
