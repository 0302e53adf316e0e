"""A draft comparison as a Paper: the new paper whose changed words are marked, for Word's tracked changes.

`redline_paper` gives the NEW paper whose changed cells hold the word-level comparison as inlines
marked `change="del"`/`"ins"`, withdrawn actions put back where they were as deleted rows, added
actions marked as inserted rows (one back in the paper after a gap saying so in its status cell), and
an action moved to another section both (`moved_refs`), as is every action of drafts of different
plans (`unpaired_refs`);
`reportgen.render.docx.writer.write_docx` turns the marks into Word tracked changes (w:del, w:ins), so
a reviewer can accept or reject each one. Rejecting them all gives back the old table's paragraphs,
accepting them all the new table's. A changed cell is compared block by block (`redline_cell`): a
paragraph or list item both drafts have is redlined word by word, one only a draft has is inserted or
deleted whole, as its own paragraph, and a line break added or taken out between sentences (a partner's
`<br>`) is that paragraph end tracked (`reportgen.model.PARAGRAPH_MARK`), the sentences around it left in place;
bold, italic and links are kept on each word (a word whose link or formatting changed counts as deleted and
inserted). A status cell is compared as the Paper draws it
(`Paper.status_cell`: label, then notes).
The paper's issues blocking publication are those of both drafts, in order (`blocking_redline` says
which line each draft has), so the template lays out each where it goes and the writer marks it.

Decides no content: words and order come from the two papers and the `DraftDiff`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from itertools import groupby
from typing import Literal, NamedTuple

from reportgen.diff.changes import DraftDiff, diff_tokens, paired_links, renamed_sections, section_keys, tokens
from reportgen.model import (
    PARAGRAPH_MARK,
    Block,
    CoverRow,
    Inline,
    Paper,
    PaperCell,
    PaperRow,
    PaperSection,
    RichText,
)
from reportgen.paper.progress import without_progress
from reportgen.paper_rules import StatusCell
from reportgen.read.richtext import parse_explanation
from reportgen.renumbering import renumbered_since

Change = Literal["ins", "del"]
# an added action an earlier period's paper had (`ActionSummary.back`), in its status cell: as diff.html says it
BACK_NOTE = "Back in the paper: {}"
_CHANGE: dict[str, Change | None] = {"equal": None, "delete": "del", "insert": "ins"}


# ---------------------------------------------------------------- rich text, word by word


class _Piece(NamedTuple):
    """One word token with its formatting, or a break between two blocks; `starts_link` on the first word of a
    link written beside another to the same address, looking the same (`_starts_link`): two links, not one."""

    text: str
    href: str | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    is_break: bool = False
    starts_link: bool = False
    link: object = None  # which link the word is part of (`_compared_pieces`): words of links not paired never match
    lang: str | None = None  # a passage's language (the narrative's <span lang="cy">), kept in the redline


_BREAK = _Piece("\n", is_break=True)


def _pieces(blocks: RichText, links: Sequence[object] = ()) -> list[_Piece]:
    """Each block's words, a break between blocks; `links` gives each inline (in order, across the blocks) the link
    its words are part of (None outside links)."""
    pieces: list[_Piece] = []
    at_inline = 0
    for index, block in enumerate(blocks):
        if index:
            pieces.append(_BREAK)
        before: Inline | None = None
        for inline in block.inlines:
            starts = _starts_link(before, inline)
            link = links[at_inline] if at_inline < len(links) else None
            pieces.extend(_Piece(token, inline.href, inline.bold, inline.italic, inline.underline,
                                 starts_link=starts and not at, link=link, lang=inline.lang)
                          for at, token in enumerate(tokens(inline.text)))
            before = inline
            at_inline += 1
    return pieces


def _compared_pieces(old: RichText, new: RichText) -> tuple[list[_Piece], list[_Piece]]:
    """The pieces of two texts to compare word by word, each linked word knowing its link as paired with the other
    text's (`reportgen.diff.changes.paired_links`, as the printed summary pairs them): a link's words match only the
    words of its partner. Else a link pointed elsewhere ("the minutes": /a to /b) beside a new link to its old
    address ("the agenda": /a) would match that link's "the", and diff.html would show the old link reworded to
    "the agenda" while the summary says it was pointed elsewhere."""
    (old_links, old_at), (new_links, new_at) = _links_of(old), _links_of(new)
    partner = {i: j for i, j in paired_links(old_links, new_links) if i is not None}
    old_ids = [None if i is None else partner.get(i, ("old", i)) for i in old_at]
    return _pieces(old, old_ids), _pieces(new, new_at)


def _links_of(blocks: RichText) -> tuple[list[tuple[str, str | None]], list[int | None]]:
    """The links of a text (words and address: neighbouring inlines of one address in a block, as the summary reads
    them) and, for each inline in order, the index of the link it is part of (None outside links)."""
    links: list[tuple[str, str | None]] = []
    at: list[int | None] = []
    for block in blocks:
        for href, run in groupby(block.inlines, key=lambda inline: inline.href):
            inlines = list(run)
            if href:
                links.append((" ".join("".join(inline.text for inline in inlines).split()), href))
            at.extend([len(links) - 1 if href else None] * len(inlines))
    return links, at


def _starts_link(before: Inline | None, inline: Inline) -> bool:
    """Whether `inline` is a link of its own beside `before`, a link to the same address that looks the same.

    The reader keeps a link's words of one look as one inline (`reportgen.read.richtext`), so such neighbours are
    two links the partner wrote side by side (`<a href="X">one</a><a href="X">two</a>`): the paper's DOCX writes
    each as its hyperlink, and the PDF and web edition each as its <a> (`reportgen.render.pdf.html.link_runs`).
    Word by word, that boundary would be lost, and `_merge` would join them into one link."""
    return before is not None and bool(inline.href) and replace(before, text="") == replace(inline, text="")


def _inline(piece: _Piece, change: Change | None) -> tuple[Inline, bool]:
    """A piece as an inline with its change mark, and whether it starts a link of its own (for `_merge`)."""
    return (Inline(piece.text, piece.href, piece.bold, piece.italic, piece.underline, change, lang=piece.lang),
            piece.starts_link)


def text_blocks(text: str) -> RichText:
    """Plain cell text as the DOCX writer lays it out: one paragraph per line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(Block("paragraph", (Inline(line),) if line else ()) for line in lines)


def redline_blocks(old: RichText, new: RichText) -> RichText:
    """`new`, with the words only `old` has put back as change="del" and its own new words "ins".

    Blocks take their kind from the new block they start; a block break only one side has becomes a
    marked "\\n" inline (a tracked line break), so rejecting or accepting every mark gives back each text.
    """
    blocks: list[Block] = []
    inlines: list[tuple[Inline, bool]] = []
    start = index = 0  # the new block the current output block starts at; the new block we are in
    for op, pieces in diff_tokens(*_compared_pieces(old, new), lambda p: not p.is_break and p.text.isspace()):
        change = _CHANGE[op]
        for piece in pieces:
            if piece.is_break and change is None:
                blocks.append(_block_like(new, start, inlines))
                inlines, index = [], index + 1
                start = index
                continue
            if piece.is_break and change == "ins":
                index += 1
            inlines.append(_inline(piece, change))
    blocks.append(_block_like(new, start, inlines))
    return tuple(blocks)


def redline_narrative(old: RichText, new: RichText) -> RichText:
    """The narrative with change marks, block by block: a paragraph, heading or list item both drafts have
    (paired in order, by its kind and words) redlined word by word; one only a draft has inserted or
    deleted whole, as its own block (a list item added stays an item, not a line break inside the one
    before). Rejecting every mark gives back the old blocks, accepting them the new ones."""
    return tuple(block for block, _ in _redlined_by_block(old, new, least=0.5))


def redline_cell(old: RichText, new: RichText) -> RichText:
    """A table cell with change marks, block by block as `redline_narrative` does (a list item added to an
    explanation is its own inserted item), except that blocks of the same kind pair however few words
    they share: a cell reworded from end to end stays one paragraph redlined word by word.

    A line break added or taken out between sentences (a partner's `<br>`: paragraphs of one kind, more or fewer
    of them) is compared across the break (`_redlined_across`) when that keeps more words unmarked than pairing
    whole paragraphs: the words are redlined where they are, and the paragraph end only one draft has is
    tracked as such (`reportgen.model.PARAGRAPH_MARK`), not the sentences after it deleted and inserted.

    A block every word of which is marked is a block only one draft has (the writer tracks its paragraph
    mark too, `reportgen.render.docx.layout.whole_change`): a paired block whose words are all new (or
    all gone: its partner was empty) keeps an unmarked empty inline, so that its paragraph stays."""
    blocks: list[Block] = []
    for block, paired in _redlined_by_block(old, new, least=0.0, across=True):
        if paired and block.inlines and all(inline.change for inline in block.inlines):
            block = replace(block, inlines=(*block.inlines, Inline("")))
        blocks.append(block)
    return tuple(blocks)


def _redlined_by_block(old: RichText, new: RichText, least: float, across: bool = False
                       ) -> Iterator[tuple[Block, bool]]:
    """Equal blocks as they are; between them, each pair of `_paired_blocks` redlined word by word (and True), a
    block without a partner marked whole (and False); or, `across`, the blocks between compared as one text
    when that keeps more words (`_redlined_across`: a line break added or taken out)."""
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            yield from ((block, True) for block in new[j1:j2])
            continue
        paired = list(_redlined_pairs(old[i1:i2], new[j1:j2], least))
        joined = _redlined_across(old[i1:i2], new[j1:j2]) if across and op == "replace" else None
        if joined is not None and _unmarked_words(joined) > _unmarked_words(paired):
            paired = joined
        yield from paired


def _redlined_pairs(old: RichText, new: RichText, least: float) -> Iterator[tuple[Block, bool]]:
    for old_index, new_index in _paired_blocks(old, new, least):
        if old_index is not None and new_index is None:
            yield marked_blocks((old[old_index],), "del")[0], False
        elif new_index is not None and old_index is None:
            yield marked_blocks((new[new_index],), "ins")[0], False
        elif old_index is not None and new_index is not None:
            same = old[old_index] == new[new_index]
            yield (new[new_index] if same else redline_blocks((old[old_index],), (new[new_index],))[0]), True


def _redlined_across(old: RichText, new: RichText) -> list[tuple[Block, bool]] | None:
    """Blocks of one kind and level compared as one text, word by word and paragraph end by paragraph end: a
    paragraph end only one side has closes its block with a marked `PARAGRAPH_MARK`. None when the blocks are
    of several kinds or levels (a paragraph made a list item is deleted and inserted). Each block is final
    (False): one whose words are all marked but whose paragraph mark is not keeps an unmarked empty inline."""
    shapes = {(block.kind, block.level) for block in (*old, *new)}
    if len(shapes) != 1:
        return None
    [(kind, level)] = shapes
    blocks: list[tuple[Block, bool]] = []
    inlines: list[tuple[Inline, bool]] = []

    def close(mark: Change | None) -> None:
        block = Block(kind, _merge(inlines), level)
        if mark is not None:
            block = replace(block, inlines=(*block.inlines, Inline(PARAGRAPH_MARK, change=mark)))
        elif block.inlines and all(inline.change for inline in block.inlines):
            block = replace(block, inlines=(*block.inlines, Inline("")))  # its paragraph both drafts have
        blocks.append((block, False))
        inlines.clear()

    for op, pieces in diff_tokens(*_compared_pieces(old, new), lambda p: not p.is_break and p.text.isspace()):
        change = _CHANGE[op]
        for piece in pieces:
            if piece.is_break:
                close(change)
            else:
                inlines.append(_inline(piece, change))
    close(None)
    return blocks


def _unmarked_words(blocks: Iterable[tuple[Block, bool]]) -> int:
    """How many words the redlined blocks leave unmarked: what each way of comparing them is judged by."""
    return sum(1 for block, _ in blocks for inline in block.inlines if inline.change is None
               for token in tokens(inline.text) if not token.isspace())


def _paired_blocks(old: RichText, new: RichText, least: float = 0.5) -> list[tuple[int | None, int | None]]:
    """(old index, new index) of the blocks of two texts, in order; None where a block has no partner.
    Blocks pair when of the same kind and at least `least` of their words match (the pairing with the most
    matching words, order kept); `_redlined_by_block` gives it the blocks between equal ones."""
    pairs: list[tuple[int | None, int | None]] = []
    # the order-keeping pairing of most similar words (a small table: few blocks)
    score = [[_likeness(old_block, new_block) for new_block in new] for old_block in old]
    rows, cols = len(old), len(new)
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            paired = best[i + 1][j + 1] + score[i][j] if score[i][j] >= least else -1.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    i = j = 0
    while i < rows or j < cols:
        if i < rows and j < cols and score[i][j] >= least and best[i][j] == best[i + 1][j + 1] + score[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif i < rows and (j == cols or best[i][j] == best[i + 1][j]):
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    return pairs


def _likeness(old: Block, new: Block) -> float:
    """The share of the two blocks' words that match (0 to 1); -1 between blocks of different kinds (a
    paragraph made a list item is deleted and inserted: Word would not track the change of kind)."""
    if (old.kind, old.level) != (new.kind, new.level):
        return -1.0
    # words and marks only: the blanks between words would make any two texts of several words alike
    before, after = ([token for token in tokens(block.text) if not token.isspace()] for block in (old, new))
    return SequenceMatcher(None, before, after, autojunk=False).ratio()


def marked_blocks(blocks: RichText, change: Change) -> RichText:
    """Every inline of `blocks` marked as deleted or inserted: a withdrawn or added action's cell, a block
    only one draft has (an empty block gets an empty marked inline, so that its paragraph is marked too)."""
    return tuple(replace(block, inlines=tuple(replace(i, change=change) for i in block.inlines)
                         or (Inline("", change=change),)) for block in blocks)


def _block_like(new: RichText, start: int, inlines: list[tuple[Inline, bool]]) -> Block:
    kind, level = (new[start].kind, new[start].level) if start < len(new) else ("paragraph", 1)
    return Block(kind, _merge(inlines), level)


def _merge(inlines: Iterable[tuple[Inline, bool]]) -> tuple[Inline, ...]:
    """Neighbouring inlines with the same marks and link become one (fewer runs, fewer tracked edits), except one
    that starts a link of its own (`_starts_link`, given beside each inline): two links side by side stay two."""
    merged: list[Inline] = []
    for inline, starts_link in inlines:
        if merged and not starts_link and replace(merged[-1], text="") == replace(inline, text=""):
            merged[-1] = replace(merged[-1], text=merged[-1].text + inline.text)
        else:
            merged.append(inline)
    return tuple(merged)



# ---------------------------------------------------------------- the redlined paper


def cell_blocks(paper: Paper, row: PaperRow, key: str) -> RichText:
    """A cell's content as blocks, as the DOCX writer lays it out (rich when it has paragraphs)."""
    if key == "status":
        return status_blocks(paper.status_cell(row), with_notes=True)
    cell = next((cell for cell in row.cells if cell.key == key), None)
    if cell is None:
        return text_blocks("")
    return cell.rich or text_blocks(cell.text)


def status_blocks(cell: StatusCell, with_notes: bool) -> RichText:
    """The status cell's label, then (`with_notes`) its notes in italics, as the DOCX writer draws them."""
    label = text_blocks(cell.label)
    if not with_notes:
        return label
    return (*label, *(replace(b, inlines=tuple(replace(i, italic=True) for i in b.inlines))
                      for note in cell.notes for b in text_blocks(note.written)))


def whole_row(paper: Paper, row: PaperRow, change: Change, back: str = "") -> PaperRow:
    """A row of `paper` added or withdrawn: every cell marked, the status notes moved into the status cell, and
    `back` (an added action back in the paper after a gap) said there too, in italics, as the notes are (in the
    action's cell when the table has no status column)."""
    keys = [column.key for column in paper.columns]
    said_in = "status" if "status" in keys else "action"

    def blocks(key: str) -> RichText:
        content = cell_blocks(paper, row, key)
        if back and key == said_in:
            content = (*content, Block("paragraph", (Inline(BACK_NOTE.format(back), italic=True),)))
        return content

    cells = tuple(PaperCell(key, _cell_text(row, key), marked_blocks(blocks(key), change)) for key in keys)
    return replace(row, cells=cells, note="", movement="", change=change)


def redline_row(old: PaperRow, new: PaperRow, old_paper: Paper, new_paper: Paper) -> PaperRow:
    """The new row, each cell that differs from the old one holding its word-level comparison."""
    cells: list[PaperCell] = []
    notes_moved = False
    for column in new_paper.columns:
        key = column.key
        if key == "status":
            old_cell, new_cell = old_paper.status_cell(old), new_paper.status_cell(new)
            notes_moved = old_cell.notes != new_cell.notes  # changed notes are compared inside the status cell
            before, after = status_blocks(old_cell, notes_moved), status_blocks(new_cell, notes_moved)
        else:
            before, after = cell_blocks(old_paper, old, key), cell_blocks(new_paper, new, key)
        if before == after:
            cells.append(_new_cell(new, key))
        else:
            cells.append(PaperCell(key, _cell_text(new, key), redline_cell(before, after)))
    if notes_moved:
        return replace(new, cells=tuple(cells), note="", movement="")
    return replace(new, cells=tuple(cells))


def notes_compared(old_paper: Paper, old: PaperRow, new_paper: Paper, new: PaperRow) -> bool:
    """Whether `redline_row` compares the status notes inside the status cell (they changed, and the table has one)."""
    return any(column.key == "status" for column in new_paper.columns) and \
        old_paper.status_cell(old).notes != new_paper.status_cell(new).notes


def _new_cell(row: PaperRow, key: str) -> PaperCell:
    return next((cell for cell in row.cells if cell.key == key), PaperCell(key, ""))


def _cell_text(row: PaperRow, key: str) -> str:
    return row.status_label if key == "status" else _new_cell(row, key).text


def redline_paper(old: Paper, new: Paper, diff: DraftDiff) -> Paper:
    """The new paper marked up against the old: see the module docstring."""
    # progress and movements are measured across periods, not between drafts: a comparison leaves them out
    old, new = without_progress(old), without_progress(new)
    before = {row.ref: row for row in old.rows}
    after = {row.ref: row for row in new.rows}
    moved = unpaired_refs(old, new, diff)
    added = {summary.ref for summary in diff.added} | moved
    # an action renumbered since (the register's Was numbered) is its old row redlined, its number's change tracked;
    # the old row of an action merged into another is deleted, as rejecting every change gives the old paper back
    renumbered = renumbered_since(new.rows, old) if not diff.different_plans \
        else renumbered_since((), None)
    paired = {renumbered.earlier_ref(row.ref) for row in new.rows if row.ref not in added}
    removed = {summary.ref for summary in diff.withdrawn} | moved | (renumbered.now.keys() - paired)
    back = {summary.ref: summary.back for summary in diff.added}
    sections: list[PaperSection] = []
    for section in new.sections:
        rows = tuple(whole_row(new, row, "ins", back.get(row.ref, "")) if row.ref in added
                     else redline_row(before[renumbered.earlier_ref(row.ref)], row, old, new)
                     if renumbered.earlier_ref(row.ref) in before
                     else row for row in section.rows)
        sections.append(replace(section, rows=rows))
    renamed = {} if diff.different_plans else {was: key for key, was in renamed_sections(old, new).items()}
    sections = restore_withdrawn(old, sections, {ref: whole_row(replace(old, columns=new.columns), before[ref], "del")
                                                 for ref in removed if ref in before}, renamed)
    narrative = new.narrative if old.narrative == new.narrative else redline_narrative(old.narrative, new.narrative)
    # the issues of both drafts, so that the template lays out each where its line goes (marked by the writer)
    block = blocking_redline(old, new)
    blocking = tuple(line.text for line in block if line.kind == "bullet") if block else new.blocking
    # the draft marking and exempt note either draft had, so that the paper shows lines the writer can mark; an
    # exempt action's "Exempt (Part II)" line is drawn by the writer only where the notes were not moved into the
    # compared status cell (it would show twice)
    drawn = {ref for ref in (after.keys() & before.keys()) - added
             if not notes_compared(old, before[ref], new, after[ref])}
    exempt = None if new.exempt_refs is None else tuple(ref for ref in new.exempt_refs if ref in drawn)
    return replace(new, sections=tuple(sections), narrative=narrative, blocking=blocking,
                   draft_marking=new.draft_marking or old.draft_marking, exempt_note=new.exempt_note or old.exempt_note,
                   cover=redline_cover(old.cover, new.cover),
                   exempt_refs=exempt)


def redline_cover(old: Sequence[CoverRow], new: Sequence[CoverRow]) -> tuple[CoverRow, ...]:
    """The new cover sheet with each row only the old one had (left out, or re-headed) put back, with its old
    value, after the row it followed, so that the writer can mark it a deleted row."""
    rows = list(new)
    shown = {row.label for row in new}
    for at, row in enumerate(old):
        if row.label in shown:
            continue
        before = next((label for label in (r.label for r in reversed(old[:at])) if label in shown), None)
        place = next(i for i, r in enumerate(rows) if r.label == before) + 1 if before is not None else 0
        rows.insert(place, row)
        shown.add(row.label)
    return tuple(rows)


def status_fills_were(old: Paper, new: Paper, diff: DraftDiff) -> dict[int, str | None]:
    """Ref → the status cell's fill in the old paper (None for none), for each action in both papers, in
    place (`unpaired_refs` are whole rows deleted and inserted), whose status cell changed colour."""
    before = {row.ref: row for row in old.rows}
    moved = unpaired_refs(old, new, diff)
    fills: dict[int, str | None] = {}
    for row in new.rows:
        if row.ref in before and row.ref not in moved:
            was, now = old.status_cell(before[row.ref]).colour, new.status_cell(row).colour
            if (was and was.fill) != (now and now.fill):
                fills[row.ref] = was.fill if was else None
    return fills


def unpaired_refs(old: Paper, new: Paper, diff: DraftDiff) -> set[int]:
    """Refs in both papers shown as a deleted row and an inserted one: rows moved to another section, and
    every ref when the drafts are of different plans (`DraftDiff.different_plans`)."""
    if diff.different_plans:
        return {row.ref for row in old.rows} & {row.ref for row in new.rows}
    return moved_refs(old, new)


def moved_refs(old: Paper, new: Paper) -> set[int]:
    """Refs whose row moved from one section to another: tracked as deleted there and inserted here.

    A row whose old and new sections are each in one draft only stays in place: its section was renamed
    (the heading is reported in diff.html), and deleting and inserting each of its rows would bury that.
    """
    old_keys, new_keys = section_keys(old.sections), section_keys(new.sections)
    was = {row.ref: key for key, section in zip(old_keys, old.sections) for row in section.rows}
    now = {row.ref: key for key, section in zip(new_keys, new.sections) for row in section.rows}
    return {ref for ref, key in now.items()
            if ref in was and was[ref] != key and (was[ref] in new_keys or key in old_keys)}


def restore_withdrawn(old: Paper, sections: list[PaperSection], withdrawn: dict[int, PaperRow],
                      renamed: dict[tuple[str, str], tuple[str, str]] | None = None) -> list[PaperSection]:
    """Put each withdrawn row back after the row it followed in the old paper (its section's start if none);
    a row of a section since `renamed` (old key → new key) goes back into it under its new heading."""
    result = list(sections)
    keys = section_keys(result)
    old_keys = [(renamed or {}).get(key, key) for key in section_keys(old.sections)]
    # old sections the new paper lacks that must come back: those with withdrawn rows, and their parents
    needed = {key for key, section in zip(old_keys, old.sections) if any(r.ref in withdrawn for r in section.rows)}
    needed |= {(parent, "") for parent, _ in needed}
    placed_at = -1  # where the last old section went, for a section the new paper no longer has
    for old_key, old_section in zip(old_keys, old.sections):
        if old_key in keys:
            placed_at = keys.index(old_key)
        elif old_key in needed:
            placed_at += 1
            result.insert(placed_at, replace(old_section, rows=()))
            keys.insert(placed_at, old_key)
        else:
            continue
        result[placed_at] = _restore_rows(old_section, result[placed_at], withdrawn)
    return result


def _restore_rows(old: PaperSection, section: PaperSection, withdrawn: dict[int, PaperRow]) -> PaperSection:
    rows = list(section.rows)
    anchor = -1
    for old_row in old.rows:
        if old_row.ref in withdrawn:
            anchor += 1
            rows.insert(anchor, withdrawn[old_row.ref])
            continue
        anchor = next((i for i, row in enumerate(rows) if row.ref == old_row.ref), anchor)
    return replace(section, rows=tuple(rows))


_LineKind = Literal["heading", "paragraph", "bullet"]


def blocking_redline(old: Paper, new: Paper) -> RichText:
    """The "Issues to resolve" block of a comparison, line by line (heading, advice, each issue), with
    change marks: an issue only the new draft has inserted, one only the old had deleted, in the order
    of both; the whole block so when only one draft was blocked. () when both read the same (or
    neither was blocked)."""
    def lines(paper: Paper) -> list[tuple[_LineKind, str]]:
        if not paper.blocking:
            return []
        return [("heading", paper.blocking_heading), ("paragraph", paper.blocking_advice),
                *(("bullet", item) for item in paper.blocking)]

    before, after = lines(old), lines(new)
    if before == after:
        return ()

    def marked(kind: _LineKind, text: str, change: Change | None) -> Block:
        return Block(kind, (Inline(text, change=change),))

    out: list[Block] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.extend(marked(kind, text, "del") for kind, text in before[i1:i2])
        if op in ("insert", "replace"):
            out.extend(marked(kind, text, "ins") for kind, text in after[j1:j2])
        if op == "equal":
            out.extend(marked(kind, text, None) for kind, text in after[j1:j2])
    return tuple(out)


def row_field_blocks(old_row: PaperRow | None, new_row: PaperRow | None, field: str, old: str, new: str) -> RichText:
    """Old and new wording of one of an action's fields, redlined as the paper shows it: from the rows' own rich
    cells when both have one (the action as the paper parsed it from the register, with its paragraphs, list
    items, links and bold words; the explanation), compared as the plan's cells are (`redline_cell`); else as
    `field_blocks` reads the wording. The action a draft keeps (`PaperRow.action`) is its words alone."""
    cells = [_rich_cell(row, field) for row in (old_row, new_row)]
    if cells[0] is not None and cells[1] is not None:
        return redline_cell(cells[0].blocks, cells[1].blocks)
    return field_blocks(field, old, new)


def _rich_cell(row: PaperRow | None, key: str) -> PaperCell | None:
    cell = next((cell for cell in row.cells if cell.key == key), None) if row is not None else None
    return cell if cell is not None and cell.rich else None


def field_blocks(field: str, old: str, new: str) -> RichText:
    """Old and new wording of one field, redlined as the paper shows it (explanations parsed, and compared
    block by block as the plan's cells are: `redline_cell`)."""
    if field == "explanation":
        return redline_cell(parse_explanation(old), parse_explanation(new))
    return redline_blocks(text_blocks(old), text_blocks(new))

