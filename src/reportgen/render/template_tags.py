"""`broken_tag`: for a Word template whose tags Jinja cannot read, which block tag is left open or closes nothing,
and where, as an officer sees it in Word.

Word is where the template is mended, so everything here is said in Word's terms: the page header, the
page footer or the body, a table, and the tag as it is typed there; never a line of the package's XML.

What it must not do: write anything, or read the look (reportgen.render.theme does).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

Element = Any  # lxml elements (python-docx oxml classes)

W_P, W_T, W_TBL = qn("w:p"), qn("w:t"), qn("w:tbl")


# a block tag as docxtpl reads it: `{%p if … %}`, `{%tr for … %}`, `{% endif %}` (`p`, `tr`, `tc`, `r`: its level)
_BLOCK_TAG = re.compile(r"\{%-?((?:p|tr|tc|r)(?=\s))?\s*(\w+)[^%]*?-?%\}")
_OPENERS = frozenset({"for", "if", "macro", "call", "filter", "with", "block", "autoescape", "raw"})


@dataclass(frozen=True)
class _Tag:
    text: str  # as typed in Word
    level: str  # docxtpl's "p", "tr", "tc", "r", or ""
    name: str  # "for", "endfor", "if", …
    place: str  # where, as Word shows it: "in the body, in the cover sheet table"

    @property
    def closing(self) -> str:
        """The tag that closes this one, as typed in our template: `{%tr endfor %}`."""
        return f"{{%{self.level} end{self.name} %}}" if self.level else f"{{% end{self.name} %}}"


def broken_tag(part: str, element: Element) -> str:
    """Which block tag of `element` (the root of a template part, named `part`: "body", "page header") is left
    open or closes nothing, and what to type back, said as Word shows it; "" when every block is closed (the
    fault is elsewhere)."""
    stack: list[_Tag] = []
    for tag in _block_tags(part, element):
        if tag.name in _OPENERS:
            stack.append(tag)
        elif tag.name.startswith("end"):
            if stack and stack[-1].name == tag.name.removeprefix("end"):
                stack.pop()
            elif stack:
                return f"{_unclosed(stack[-1])}, before the `{tag.text}` {tag.place}. {_type_back(stack[-1])}"
            else:
                return (f"the `{tag.text}` {tag.place} closes nothing: the tag that opened its block is missing. Type "
                        f"it back where the block begins, or delete the `{tag.text}`")
    return f"{_unclosed(stack[-1])}. {_type_back(stack[-1])}" if stack else ""


def _unclosed(tag: _Tag) -> str:
    return f"the `{tag.text}` {tag.place} is never closed: its `{tag.closing}` is missing"


def _type_back(tag: _Tag) -> str:
    """What to do in Word: docxtpl's `{%tr …%}` tags stand in a table row of their own, `{%p …%}` in a paragraph."""
    alone = {"tr": ", in a table row of its own", "tc": ", in a table cell of its own",
             "p": ", on a line of its own"}.get(tag.level, "")
    return f"Type `{tag.closing}` back where the block ends{alone}, as reportgen's own template has it"


def _block_tags(part: str, element: Element) -> Iterator[_Tag]:
    for paragraph in element.iter(W_P):
        text = "".join(t.text or "" for t in paragraph.iter(W_T))
        for found in _BLOCK_TAG.finditer(text):
            table = _table_of(paragraph)
            yield _Tag(" ".join(found.group(0).split()), found.group(1) or "", found.group(2),
                       f"in {table} in the {part}" if table else f"in the {part}")


def _table_of(paragraph: Element) -> str:
    """Which table of the template `paragraph` is in, as an officer knows it; "" when in none."""
    table = next(paragraph.iterancestors(W_TBL), None)
    if table is None:
        return ""
    text = "".join(t.text or "" for t in table.iter(W_T))
    if "paper.cover" in text:
        return "the cover sheet table"
    if "paper.changes" in text:
        return "the table of changes since the last draft"
    return "a table"
