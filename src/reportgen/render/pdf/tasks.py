"""The parts a long paper's PDF is made of, as values: plan rows, tasks for the PDF workers, their messages.

Apart from `reportgen.render.pdf.parts` (which does the work, with WeasyPrint) so that the process that
hands out the tasks and joins the parts (`reportgen.render.pdf.parallel`) never imports WeasyPrint.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportgen.model import Paper, PaperSection


@dataclass(frozen=True)
class PlanItem:
    """One row of the delivery-plan table: a section heading (`row` None) or an action."""

    section: int
    row: int | None


def plan_items(paper: Paper) -> tuple[PlanItem, ...]:
    items: list[PlanItem] = []
    for index, section in enumerate(paper.sections):
        if section.heading:
            items.append(PlanItem(index, None))
        items.extend(PlanItem(index, row) for row in range(len(section.rows)))
    return tuple(items)


def plan_slice(paper: Paper, items: Sequence[PlanItem], start: int, stop: int) -> Paper:
    """`paper` with only the table rows items[start:stop]; the exempt note only with the last row.

    A section cut at `start` goes on without its heading row, as it does on a continued page.
    """
    groups: list[tuple[int, bool, list[Any]]] = []  # section index, heading shown, rows
    for item in items[start:stop]:
        if not groups or groups[-1][0] != item.section:
            groups.append((item.section, False, []))
        if item.row is None:
            groups[-1] = (item.section, True, groups[-1][2])
        else:
            groups[-1][2].append(paper.sections[item.section].rows[item.row])
    sections = tuple(
        PaperSection(paper.sections[index].heading if heading else "", paper.sections[index].level, tuple(rows))
        for index, heading, rows in groups
    )
    note = paper.exempt_note if stop >= len(items) else ""
    return dataclasses.replace(paper, sections=sections, exempt_note=note)


@dataclass(frozen=True)
class WholeTask:
    """The paper as one document (a short paper)."""


@dataclass(frozen=True)
class FrontTask:
    pass


@dataclass(frozen=True)
class PieceTask:
    """Lay out plan items [start, end) (more if they fit on one page: a piece must have a page to drop)."""

    piece: int
    start: int
    end: int


@dataclass(frozen=True)
class PrepareTask:
    """Prepare piece `piece` (items [start, end)) in this worker, to lay it out when its start is known."""

    piece: int
    start: int
    end: int


# The pages the page furniture's kinds are laid out on (`KindsTask`): the first page, then a left and a
# right page of each kind (a stylesheet may style :left and :right pages apart).
KIND_PAGES = ("front", "front", "front", "plan", "plan")


def kind_page(number: int, kind: str) -> int:
    """The index in KIND_PAGES of the page whose furniture page `number` (1-based) of `kind` has."""
    if number == 1:
        return 0
    return (1 if kind == "front" else 3) + number % 2  # even (left) pages first, as on KIND_PAGES


@dataclass(frozen=True)
class KindsTask:
    """The page furniture that is the same on every page of a kind (running title, marking, logo), laid
    out once per kind on the pages of KIND_PAGES, without the boxes that number the pages."""


@dataclass(frozen=True)
class FurnitureTask:
    """The boxes that number pages first_page.. (1-based; `numbered`, from `Kinds`), one page per entry
    of `kinds`."""

    index: int
    first_page: int
    kinds: tuple[str, ...]  # "front" or "plan", page by page
    total: int
    numbered: tuple[str, ...] = ()  # margin boxes, e.g. "bottom-right"


Task = FrontTask | PieceTask | PrepareTask | KindsTask | FurnitureTask | WholeTask


@dataclass(frozen=True)
class Laid:
    """A piece, laid out: where each kept page starts (plan item index), and where the next piece starts."""

    piece: int
    starts: tuple[int, ...]
    next_start: int | None  # None: the piece reached the end of the plan
    laid_out: int = 0  # pages laid out, with the dropped last page (and any longer tries)
    prepared: bool = False  # laid out from the rows prepared ahead (PrepareTask)


@dataclass(frozen=True)
class Ready:
    """A piece is prepared, in the worker that says so."""

    piece: int


@dataclass(frozen=True)
class Bookmark:
    """A bookmark of a part, as WeasyPrint gathers it from the boxes: on the part's page `page` (from 0),
    its CSS `bookmark-level`, label, and where it points (PDF points from the page's bottom left)."""

    page: int
    level: int
    label: str
    x: float
    y: float
    open: bool = True


@dataclass(frozen=True)
class Written:
    """A part's PDF. `kind` is "front", "piece", "furniture" (page numbers) or "whole"; all its pages go
    into the paper. The joiner makes the paper's bookmarks from the parts' `bookmarks` (a part's own
    outline cannot say where its top bookmarks belong in the paper's). `labelled`: a piece laid out with
    rows taller than a page, whose "(continued)" labels are tagged outside its structure tree
    (`reportgen.render.pdf.tall_rows`), for the joiner to mark as artifacts."""

    kind: str
    index: int
    pdf: bytes
    pages: int
    bookmarks: tuple[Bookmark, ...] = ()
    labelled: bool = False


@dataclass(frozen=True)
class Kinds:
    """The furniture of each kind of page (KIND_PAGES), and the margin boxes left to `FurnitureTask`."""

    pdf: bytes
    numbered: tuple[str, ...]


Message = Laid | Ready | Written | Kinds
