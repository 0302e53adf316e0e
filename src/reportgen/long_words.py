"""Unbroken runs of text (32,766 characters of `a.a.a…`, a pasted hash) made WeasyPrint take minutes:
with no break opportunity it measures the run again for every line it tries. The PDF renderer gets a
copy of the paper with a zero-width space every BREAK_EVERY characters of any run of MAX_RUN or more
non-space characters; the DOCX, draft.json and diffs keep the text exactly. Readers report such runs
(`long-word`) so the officer knows the PDF breaks them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from reportgen.model import Paper, PaperRow, RichText

MAX_RUN = 120  # longer than any real word or ordinary link
BREAK_EVERY = 60
ZWSP = "\u200b"

_LONG_RUN = re.compile(rf"\S{{{MAX_RUN},}}")


def longest_run(text: str) -> int:
    """Length of the longest run of non-space characters of at least MAX_RUN, else 0."""
    return max((len(match[0]) for match in _LONG_RUN.finditer(text)), default=0)


LINK_RUN = re.compile(r"(?:https?://|www\.|mailto:)\S+", re.IGNORECASE)
MAX_LINK = 2_048  # the longest address browsers and SharePoint take: a longer "link" is worth a look


def longest_unlinked_run(text: str) -> int:
    """`longest_run`, leaving out pasted web addresses (SharePoint's are often 150-250 characters): the paper
    shows them as links, and a long one is expected, not a cell to check. 0 when there is none."""
    return max((len(match[0]) for match in _LONG_RUN.finditer(text)
                if not (LINK_RUN.fullmatch(match[0].strip("()[]<>.,;:'\"")) and len(match[0]) <= MAX_LINK)),
               default=0)


def break_long_runs(text: str) -> str:
    if len(text) < MAX_RUN:
        return text
    return _LONG_RUN.sub(
        lambda m: ZWSP.join(m[0][at : at + BREAK_EVERY] for at in range(0, len(m[0]), BREAK_EVERY)), text
    )


def breakable_paper(paper: Paper) -> Paper:
    """The paper with break opportunities in long runs (the same paper when it has none)."""
    if not _has_long_run(paper):
        return paper
    return replace(
        paper,
        cover=tuple(replace(row, value=break_long_runs(row.value)) for row in paper.cover),
        narrative=_rich(paper.narrative),
        sections=tuple(replace(s, heading=break_long_runs(s.heading), rows=tuple(_row(r) for r in s.rows))
                       for s in paper.sections),
    )


def _has_long_run(paper: Paper) -> bool:
    texts = [*(row.value for row in paper.cover), *(block.text for block in paper.narrative),
             *(section.heading for section in paper.sections),
             *(cell.text for section in paper.sections for row in section.rows for cell in row.cells)]
    return any(len(text) >= MAX_RUN and _LONG_RUN.search(text) for text in texts)


def _rich(blocks: RichText) -> RichText:
    return tuple(replace(block, inlines=tuple(replace(i, text=break_long_runs(i.text)) for i in block.inlines))
                 for block in blocks)


def _row(row: PaperRow) -> PaperRow:
    return replace(row, cells=tuple(replace(cell, text=break_long_runs(cell.text), rich=_rich(cell.rich))
                                    for cell in row.cells))


