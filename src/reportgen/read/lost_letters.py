"""Letters a CSV lost when it was saved in Windows-1252 (Excel's "CSV (Comma delimited)", LibreOffice's "Text CSV"
with a Western Europe character set): it has no ŵ, ŷ (nor most letters beyond Western Europe's), and either writes
'?' for each, so "Tŷ Diogel" arrives as "T? Diogel".

What it must not do: take a genuine question mark ("Is it done?", a link's "?id=3") for a lost letter, nor
guess the letter that was lost: the officer is told where, and how to save the file so none is.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence

from reportgen.issues import Issue, issue
from reportgen.read.cells import cell_text
from reportgen.wording import quoted

# '?' between two letters ("T?r"), or opening a word before a letter ("?yn"): where a letter stood
_LOST = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])|(?<![\w?])\?(?=[^\W\d_])")
_LINK = re.compile(r"://|^www\.|[=&]")  # a link's query string ("page?id=3") holds '?' between letters
_AROUND = re.compile(r"^[^\w?]+|[^\w?]+$")  # quotes, brackets and punctuation around a word ("“T?", "T?,")


def bare(word: str) -> str:
    """`word` without the quotes and punctuation around it, its '?' kept: “T? is the lead's "T?"."""
    return _AROUND.sub("", word)


def words_with_lost_letters(text: str, name: bool = False, known: frozenset[str] = frozenset()) -> list[str]:
    """The words of `text` with a '?' where a letter stood, as written; none in a link. In a `name` (a lead, a
    section) every '?' is one: a name asks nothing, and its lost letter may end a word ("T? Diogel"), as a
    question's mark does. A word of `known` (so found in a name; `bare` words) is one wherever it stands,
    whatever quotes it."""
    return [word for word in text.split() if not _LINK.search(word)
            and (_LOST.search(word) or bare(word) in known or (name and "?" in word))]


def as_windows_1252(name: str) -> str:
    """`name` as a CSV saved in Windows-1252 writes it: '?' for each letter that character set lacks ("T? Diogel"
    for "Tŷ Diogel")."""
    return name.encode("cp1252", errors="replace").decode("cp1252")


def known_words(names: Iterable[str]) -> frozenset[str]:
    """The words of `names` (the register's leads and sections, with their letters) that a Windows-1252 CSV
    writes with a '?': a return quoting "Tŷ Diogel" arrives as "T? Diogel", whose "T?" cannot otherwise be told
    from a question."""
    return frozenset(bare(as_windows_1252(word)) for name in names for word in name.split()
                     if "?" not in word and "?" in as_windows_1252(word))


def lost_letters(file: str, sheet: str, rows: Sequence[tuple[int, Sequence[object]]], columns: Mapping[int, str],
                 names: Collection[int] = (), known_names: Iterable[str] = (),
                 not_printed: Collection[int] = ()) -> list[Issue]:
    """A warning for each cell of the read `columns` (position -> heading as written) of a CSV not saved as
    Unicode whose words hold a '?' where a letter stood (`words_with_lost_letters`): the paper would print it.
    `names`: the positions of the columns of names; `known_names`: the register's leads and sections, as it
    writes them, whose words are known wherever the CSV quotes them. In a column of `not_printed` (a return's
    Action, the register's wording printed instead) it is a note for the officer, never put to the partner, and
    of a character: a non-breaking hyphen ("Llanfair‑ym‑Muallt") is lost so as well as a letter."""
    def text(cells: Sequence[object], position: int) -> str:
        raw = cells[position] if position < len(cells) else None
        return cell_text(raw) if isinstance(raw, str) else ""

    known = known_words(known_names) | frozenset(
        bare(word) for _number, cells in rows for position in names
        for word in words_with_lost_letters(text(cells, position), name=True))
    issues = []
    for number, cells in rows:
        for position, heading in columns.items():
            value = text(cells, position)
            words = words_with_lost_letters(value, position in names, known)
            if words:
                code = "csv-character-lost-not-printed" if position in not_printed else "csv-letters-lost"
                issues.append(issue(code, words=", ".join(map(quoted, dict.fromkeys(words))), file=file,
                                    sheet=sheet, row=number, column=heading, value=value))
    return issues
