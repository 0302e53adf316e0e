"""Letters a CSV lost when it was saved in Windows-1252 (Excel's "CSV (Comma delimited)", LibreOffice's "Text CSV"
with a Western Europe character set): it has no ŵ, ŷ (nor most letters beyond Western Europe's), and either writes
'?' for each, so "Tŷ Diogel" arrives as "T? Diogel".

What it must not do: take a genuine question mark ("Is it done?", a link's "?id=3") for a lost letter, nor
guess the letter that was lost: the officer is told where, and how to save the file so none is.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from reportgen.issues import Issue, issue
from reportgen.read.cells import cell_text
from reportgen.wording import quoted

# '?' between two letters ("T?r"), or opening a word before a letter ("?yn"): where a letter stood
_LOST = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])|(?<![\w?])\?(?=[^\W\d_])")
_LINK = re.compile(r"://|^www\.|[=&]")  # a link's query string ("page?id=3") holds '?' between letters


def words_with_lost_letters(text: str, name: bool = False, known: frozenset[str] = frozenset()) -> list[str]:
    """The words of `text` with a '?' where a letter stood, as written; none in a link. In a `name` (a lead, a
    section) every '?' is one: a name asks nothing, and its lost letter may end a word ("T? Diogel"), as a
    question's mark does. A word of `known` (so found in a name) is one wherever it stands."""
    return [word for word in text.split() if not _LINK.search(word)
            and (_LOST.search(word) or word in known or (name and "?" in word))]


def lost_letters(file: str, sheet: str, rows: Sequence[tuple[int, Sequence[object]]], columns: Mapping[int, str],
                 names: Collection[int] = ()) -> list[Issue]:
    """A warning for each cell of the read `columns` (position -> heading as written) of a CSV not saved as
    Unicode whose words hold a '?' where a letter stood (`words_with_lost_letters`): the paper would print it.
    `names`: the positions of the columns of names."""
    def text(cells: Sequence[object], position: int) -> str:
        raw = cells[position] if position < len(cells) else None
        return cell_text(raw) if isinstance(raw, str) else ""

    known = frozenset(word for _number, cells in rows for position in names
                      for word in words_with_lost_letters(text(cells, position), name=True))
    issues = []
    for number, cells in rows:
        for position, heading in columns.items():
            value = text(cells, position)
            words = words_with_lost_letters(value, position in names, known)
            if words:
                issues.append(issue("csv-letters-lost", words=", ".join(map(quoted, dict.fromkeys(words))), file=file,
                                    sheet=sheet, row=number, column=heading, value=value))
    return issues
