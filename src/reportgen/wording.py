"""How a count reads in a sentence: "1 action", "3 actions", "1,204 cells", never "action(s)"; and how a
heading, value or file name is quoted in one: 'Status\\Update', as its writer typed it.

For every text a person reads (the console, the flows' summaries, the mail, issue messages, the paper).
It must not import the rest of reportgen.
"""

from __future__ import annotations

import re
import unicodedata

# zero-width and text-direction characters, which show nothing and are removed wherever text is read; the joiners
# (ZWNJ U+200C, ZWJ U+200D) only where they join nothing: between two other characters they build emoji (👮‍♀️) and
# words in Persian or Hindi
INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]"
                       "|(?<![^\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\x7f])")


def counted(n: int, one: str, many: str | None = None) -> str:
    """`n` and the noun that agrees with it: counted(1, "action") -> "1 action", counted(1204, "cell") ->
    "1,204 cells"; `many` when the plural is not `one` + "s" (counted(2, "entry", "entries"))."""
    if n == 1:
        return f"{n:,} {one}"
    return f"{n:,} {many if many is not None else one + 's'}"


def composed(text: str) -> str:
    """`text` in Unicode's composed form (NFC): "â" pasted from a Mac or a web page as "a" and a combining
    circumflex is the one character typed elsewhere, so two texts that look the same are the same text (one
    lead, one section) wherever they are compared or printed. Text already composed is returned as it is."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def row_spans(rows: list[int]) -> str:
    """Rows as a person lists them: "row 5", "rows 5 and 6", "rows 5 to 8", "rows 3, 5 and 9 to 12" (`rows`
    ascending)."""
    spans: list[list[int]] = []
    for row in rows:
        if spans and row == spans[-1][-1] + 1:
            spans[-1].append(row)
        else:
            spans.append([row])
    parts = [part for span in spans
             for part in ([f"{span[0]} to {span[-1]}"] if len(span) > 2 else [str(row) for row in span])]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"row {listed}" if len(rows) == 1 else f"rows {listed}"


def listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c': a list as a sentence gives it."""
    return " and ".join(filter(None, [", ".join(items[:-1]), items[-1]])) if items else ""


def plural(noun: str) -> str:
    """The plural of a noun (a column's heading in a sentence): "theme" -> "themes", "plan priority" ->
    "plan priorities", "business area" -> "business areas", "address" -> "addresses", "CSP" -> "CSPs"."""
    last = noun.split()[-1] if noun.split() else noun
    if last.isupper():  # an acronym
        return noun + "s"
    if noun.endswith(("ch", "sh", "s", "x", "z")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


def quoted(text: str) -> str:
    """A heading, value or file name in single quotes as its writer typed it: 'Status\\Update' keeps one
    backslash and "Partner's notes" reads 'Partner's notes', where Python's repr doubles the one and switches
    to double quotes for the other, which the officer then looks for in vain. Any space (a no-break space
    pasted from the web, a line break typed with Alt+Enter) reads as a space, as Excel shows it; a character
    that shows nothing at all (a zero-width space) is written as its code, '\\u200b', so it can be found."""
    return "'" + "".join(_as_seen(char) for char in text) + "'"


def _as_seen(char: str) -> str:
    if char.isspace() or unicodedata.category(char) == "Zs":
        return " "
    return char if char.isprintable() else repr(char)[1:-1]


def words_around(text: str, start: int, end: int | None = None, width: int = 24) -> str:
    """Where in `text` the characters from `start` to `end` (one when not given) are, said by the words either
    side, as an officer finds them with Find: "between 'update the' and 'Police and'"."""
    end = start + 1 if end is None else end
    before = " ".join(text[max(start - width, 0):start].split()[-4:])
    after = " ".join(text[end:end + width].split()[:4])
    if before and after:
        return f"between {quoted(before)} and {quoted(after)}"
    if before or after:
        return f"after {quoted(before)}" if before else f"before {quoted(after)}"
    return "with nothing else in it"
