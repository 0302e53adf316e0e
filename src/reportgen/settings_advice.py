"""What to write instead, for a reportgen.toml line an officer wrote as on a letter: a date as "10/12/2026" or
"Thursday 10 December 2026", a text holding its own double quotes.

The TOML reader and the settings' types say only what they expected; this module reads the officer's own words
back and suggests the line to write. It suggests a date only where the words can be read as one date, and says
plainly when a date it shows is only an example. It reads only the text it is given: no file, and no stage.
"""

from __future__ import annotations

import ast
import calendar
import datetime as dt
import re
from collections.abc import Collection

from reportgen.wording import quoted

Table = tuple[tuple[str, ...], int]  # a table's name, and the line of its heading for an entry of an array of tables
EXAMPLE = "e.g. 2026-11-05 for 5 November 2026"  # a date shown where the officer's words give none
_DATE_FORMS = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y",
               "%Y-%m-%d", "%Y/%m/%d")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)  # "12th" -> "12"
_MONTH_WORD = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
_DATE_LIKE = re.compile(r"\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}")  # 10/12/2026, 2026-13-01, 10.12.26
_KEY_LINE = re.compile(r"""^\s*(?P<key>[A-Za-z0-9_.-]+|"[^"]*")\s*=\s*(?P<value>.*)$""")
_AT = re.compile(r"\(at line (?P<line>\d+), column (?P<column>\d+)\)$")
# [paper], [[paper.cover]], [partners."Wessex [North]"]: a quoted part may hold brackets
_HEADING = re.compile(r"""^\s*(?P<open>\[\[?)\s*(?P<name>(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\]"'#])+?)\s*\]\]?"""
                      r"\s*(?:#.*)?$")
_NAME_PART = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^."'\s]+))\s*""")  # one part of a dotted name
_DECLARED = re.compile(r"Cannot declare (?P<names>\(.*\)) twice \(at line")  # the name as Python writes a tuple


def parsed_date(found: object) -> dt.date | None:
    """The one date text written as people write dates can be read as ('02/02/2023', '12th December 2026',
    'Thursday 10 December 2026', 'Dec 10, 2026'), else None: also when a weekday named is not that date's."""
    if isinstance(found, dt.datetime):  # a date and time where a date goes: its day
        return found.date()
    if isinstance(found, dt.date):
        return found
    if not isinstance(found, str):
        return None
    words = _ORDINAL.sub(r"\1", found.replace(",", " ")).split()
    words = [word for word in words if word.lower() != "of"]  # "12th of December 2026"
    weekday = _weekday(words[0]) if words else None
    written = " ".join(words[1:] if weekday is not None else words)
    for form in _DATE_FORMS:
        try:
            day = dt.datetime.strptime(written, form).date()
        except ValueError:
            continue
        return day if weekday is None or day.weekday() == weekday else None  # "Friday 10 December 2026": which?
    return None


def _weekday(word: str) -> int | None:
    """Monday 0 … Sunday 6 for a weekday's name or its short form ('Thursday', 'Thu', 'Thurs.'), else None."""
    word = word.rstrip(".").lower()
    for number, name in enumerate(calendar.day_name):
        if len(word) >= 3 and name.lower().startswith(word):
            return number
    return None


def not_a_date(found: object) -> str:
    """What to write for a date TOML did not read as one: '"02/02/2023" is not a date; write it unquoted, year
    first, as TOML writes a date: 2023-02-02'; an example said to be one where the words give no date."""
    day = parsed_date(found)
    shown = quoted(found) if isinstance(found, str) else str(found)
    written = f": {day.isoformat()}" if day else f", {EXAMPLE}"
    return f"{shown} is not a date; write it unquoted, year first, as TOML writes a date{written}"


def toml_advice(text: str, message: str, date_keys: Collection[str], text_keys: Collection[str]) -> str:
    """The likely fix for the line the TOML reader stopped at, naming its key: a table or a setting written twice
    (a block pasted at the end of the file under a heading it already has), a date written as on a letter (where
    a key of `date_keys` takes a date; a key of `text_keys` takes it in quotes), or a text holding double quotes of
    its own; '' when the line looks like none of these."""
    at = _AT.search(message)
    lines = text.splitlines()
    if at is None or not 1 <= int(at["line"]) <= len(lines):
        return ""
    try:
        repeated = _written_twice(lines, int(at["line"]), message)
    except (ValueError, TypeError, IndexError):  # a file no advice can read: the reader's words alone
        repeated = ""
    if repeated:
        return repeated
    line, column = lines[int(at["line"]) - 1], int(at["column"])
    found = _KEY_LINE.match(line)
    if found is None:
        return ""
    key, start = found["key"], found.start("value")
    name = key.rsplit(".", 1)[-1]  # paper.date = …: the key, written under its table's name
    kind = "date" if name in date_keys else "text" if name in text_keys else ""
    return _quotes_inside(line, key, start, column) or (_unquoted_date(found["value"], key, kind) if kind else "")


def _written_twice(lines: list[str], at: int, message: str) -> str:
    """A table heading or a setting the file already has, at line `at`: where it was first written, and what to do.
    The TOML reader says only "Cannot declare ('paper',) twice" or "Cannot overwrite a value"."""
    tables: list[tuple[int, tuple[str, ...], str]] = []  # (line, table's name, its heading as written) of each [x]
    keys: dict[tuple[Table, tuple[str, ...]], int] = {}  # (table, key) -> line first written
    table: Table = ((), 0)
    written_as = ""  # the current table's heading as written, its brackets left out
    for number, line in enumerate(lines[:at - 1], start=1):
        heading = _HEADING.match(line)
        if heading:
            entry = heading["open"] == "[["  # an entry of an array of tables: keys of its own, whatever came before
            table, written_as = (_parts(heading["name"]), number if entry else 0), heading["name"]
            if not entry:
                tables.append((number, table[0], f"[{heading['name']}]"))
            continue
        found = _KEY_LINE.match(line)
        if found:
            keys.setdefault((table, _parts(found["key"])), number)
    declared = _DECLARED.search(message)
    if declared:
        try:
            name = tuple(str(part) for part in ast.literal_eval(declared["names"]))
        except (ValueError, SyntaxError, TypeError):
            return ""
        first, written = next(((number, written) for number, parts, written in tables if parts == name), (None, ""))
        if first is not None:
            return (f"{written} is already a table at line {first}: a table is written once, so move the settings "
                    f"under line {at} up under the {written} at line {first}, and delete the heading at line {at}")
        dotted = ".".join(name)
        set_at = keys.get(((name[:-1], 0), name[-1:]))
        if set_at is not None:
            under = f" under [{'.'.join(name[:-1])}]" if len(name) > 1 else ""
            return (f"{dotted} is already set at line {set_at} ({name[-1]} = …{under}): write its settings in one "
                    f"place, there or under the heading at line {at}, and delete the other")
        return f"{dotted} is already set above line {at}; write its settings in one place, and delete the other"
    found = _KEY_LINE.match(lines[at - 1])
    key = _parts(found["key"]) if found else ()
    if "Cannot overwrite a value" not in message or (table, key) not in keys:
        return ""
    parts, entry = table
    where = f" in the [[{written_as}]] at line {entry}" if entry else f" in [{written_as}]" if parts else ""
    return (f"{'.'.join(key)} is set twice{where}, at lines {keys[(table, key)]} and {at}: keep the line you mean "
            "and delete the other")


def _parts(name: str) -> tuple[str, ...]:
    """A table's or key's name as written (`partners."St. Albans CSP"`, `paper . title`) as the TOML reader names
    it, part by part: ('partners', 'St. Albans CSP'), ('paper', 'title')."""
    return tuple(next((part for part in found if part), "") for found in _NAME_PART.findall(name))


def _unquoted_date(value: str, key: str, kind: str) -> str:
    """'date = 10/12/2026': TOML reads a date only as 2026-12-10; a text setting takes it in quotes."""
    if value.startswith(("\"", "'")):
        return ""
    value = re.sub(r"\s+#.*$", "", value).strip()
    listed = value.startswith("[")
    written = _dates_written(value.strip("[] ").split(",") if listed else [value])
    if not any(_date_like(item) and item != day for item, day in written):
        return ""
    if kind == "text":
        return f"The text of {key} = {value} goes in quotes: {key} = \"{value}\""
    if any(not day for _item, day in written):
        return (f"The date in {key} = {value} is not one TOML reads; write it unquoted, year first, as TOML writes a "
                f"date, {EXAMPLE}")
    days = ", ".join(day for _item, day in written)
    return (f"The date in {key} = {value} is written as on a letter; write it unquoted, year first, as TOML writes "
            f"a date: {key} = {f'[{days}]' if listed else days}")


def _dates_written(items: list[str]) -> list[tuple[str, str]]:
    """Each item as written, with the date it reads as (year first), or '' where it reads as none: "Dec 10, 2026"
    is one item, though its comma splits it."""
    items = [item.strip() for item in items if item.strip()]
    written: list[tuple[str, str]] = []
    while items:
        item = items.pop(0)
        if parsed_date(item) is None and items and parsed_date(f"{item}, {items[0]}"):
            item = f"{item}, {items.pop(0)}"
        day = parsed_date(item)
        written.append((item, day.isoformat() if day else ""))
    return written


def _date_like(item: str) -> bool:
    """Whether unquoted words look like a date: '10/12/2026', '2026-13-01', '12th December 2026'."""
    if item.startswith(("\"", "'")):
        return False
    return parsed_date(item) is not None or bool(
        _DATE_LIKE.fullmatch(item) or (_MONTH_WORD.search(item) and re.search(r"\d", item)))


def _quotes_inside(line: str, key: str, start: int, column: int) -> str:
    """'purpose = "To note the "Safer Wessex" plan"': the second quote ends the text, and the reader stops
    after it."""
    value = line[start:]
    closed = column - 2 - start  # the quote just before where the reader stopped, counted in `value`
    last = value.rfind("\"")
    if value.startswith("\"\"\"") or not value.startswith("\"") or not 0 < closed < last:
        return ""
    if value[closed] != "\"":
        return ""
    inner = value[1:last]
    quoted = f"{key} = '{inner}'" if "'" not in inner else f"{key} = \"{inner.replace(chr(34), chr(92) + chr(34))}\""
    return (f"The text of {key} holds double quotes of its own, and the second one ends it: put single quotes "
            f"around the whole text, or write each quote inside it as \\\": {quoted}")
