"""The register's exemption flag under a heading reportgen does not know: read as the flag, and held.

A register whose Exempt column is headed otherwise ("Exempt (Part II)", "Confidential (Part II)",
"Restricted") would publish every exempt action in the public edition with only a warning. The column whose
heading reads as an exemption flag is read as the flag, so the actions it marks stay out of the public
edition, and an error blocks publication until the heading is named. What a flag's cell means is not
decided here (`register._exempt`), and a register with a column read as the flag is left alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from reportgen.issues import Issue, issue
from reportgen.read.sheets import Table, toml_string
from reportgen.settings_columns import Column, heading_key
from reportgen.wording import quoted

# words an office heads its exemption flag with; none of them says "published" (a "Publish?" column read as the
# flag would put its Yes rows out and its No rows in the public edition)
EXEMPT_WORDS = re.compile(r"\b(?:exempt\w*|part (?:ii|2|two)|confidential\w*|restricted|schedule 12 ?a"
                          r"|not for publication)\b")
CLOSE = 0.8  # a heading a letter or two out ("Exmpt"); "Section" is not close to "Exemption"


def looks_exempt(heading: str, column: Column) -> bool:
    """Whether a heading reads as an exemption flag: it has an exemption's words in it, or is a letter or two
    out from the flag's heading or one of its aliases."""
    words = " ".join(re.sub(r"[\W_]+", " ", heading.casefold()).split())
    if EXEMPT_WORDS.search(words):
        return True
    names = [heading_key(name) for name in column.names]
    return bool(difflib.get_close_matches(heading_key(heading), names, n=1, cutoff=CLOSE))


def flag_lookalikes(table: Table, column: Column) -> list[int]:
    """The 0-based positions of the register's unread columns whose heading reads as an exemption flag, when
    no column is read as the flag; none otherwise."""
    if "exempt" in table.index:
        return []
    read = set(table.index.values())
    return [position for position, heading in enumerate(table.headings)
            if heading and position not in read and looks_exempt(heading, column)]


def read_flag_lookalike(table: Table, column: Column) -> tuple[Table, list[Issue]]:
    """`table` with its first column that reads as an exemption flag read as the flag (fail closed: the actions it
    marks, and those whose cell cannot be read, stay out of the public edition), and an error for each such
    column: the guess is never published. A second such column is not read: the error says so."""
    found = flag_lookalikes(table, column)
    if not found:
        return table, []
    first = found[0]
    read = table.headings[first]
    where = {"file": table.file, "sheet": table.sheet, "row": table.header_row, "value": column.heading}
    aliases = ", ".join(quoted(name) for name in column.aliases) or "none"
    issues = [issue("exempt-column-unnamed", column=read, example=toml_string(read), aliases=aliases, **where)]
    issues += [issue("exempt-column-unnamed", "also", column=table.headings[position], read=read,
                     example=toml_string(table.headings[position]), **where) for position in found[1:]]
    return replace(table, index={**table.index, "exempt": first}, written={**table.written, "exempt": read}), issues
