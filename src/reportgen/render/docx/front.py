"""The front of a Word paper: the narrative, progress over time, and (in a comparison) the tracked
wording of the title, subtitle and cover sheet, each put where the template's markers, styles and cover
table say."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import deepcopy

from docx.oxml.ns import qn
from lxml import etree

from reportgen.model import Block, Inline, Paper, Progress, RichText, in_cell
from reportgen.paper_rules import CHANGES_COLUMNS
from reportgen.render.docx.layout import Layout, page_headers, whole_change
from reportgen.render.docx.progress import add_progress, keeping_with_next
from reportgen.render.docx.xml import (
    TRPR_ORDER,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_T,
    W_TC,
    W_TR,
    W_TRPR,
    Element,
    TemplateMarkerMissing,
    set_ordered,
    text_of,
    xml_safe,
)
from reportgen.render.theme import find_plan_rows

W_BR, W_TAB = qn("w:br"), qn("w:tab")
W_INS, W_DEL, W_DELTEXT = qn("w:ins"), qn("w:del"), qn("w:delText")

NARRATIVE_MARKER = "[[NARRATIVE]]"


def _narrative_marker(layout: Layout) -> Element:
    marker = next((p for p in layout.document.element.body.iter(W_P) if text_of(p).strip() == NARRATIVE_MARKER),
                  None)
    if marker is None:
        raise TemplateMarkerMissing(f"has no paragraph holding exactly {NARRATIVE_MARKER}, where the narrative goes: "
                                    f"type {NARRATIVE_MARKER} there on a line of its own, nothing else on the line")
    return marker


def fill_progress(layout: Layout, progress: Progress, exempt: Callable[[int], bool] = lambda _ref: False,
                  ref_heading: str = "Ref") -> None:
    """Progress over time, placed right after the narrative (see reportgen.render.docx.progress); `exempt`: whether
    an action is the restricted edition's exempt one, marked where a stalled one is listed; `ref_heading`: the
    plan's number column's heading, which the stalled actions' takes."""
    marker = _narrative_marker(layout)
    add_progress(layout.document, marker, progress, lambda block: layout.block(block, None, None),
                 lambda name: layout.style_id(name) is not None, exempt, ref_heading)


CHANGES_CAPTION = "Changes since the last draft"  # the template's table of changes, by its caption (alt text title)


def fill_changes_note(layout: Layout, paper: Paper) -> None:
    """"Changes since the last draft" with nothing to list: its heading and the line saying so (`Paper.changes_note`),
    placed right after the narrative, where the template's table would be (call before `fill_progress`, which goes
    between them). Written here, not by the template: one restyled before the note existed shows it too. With
    changes listed, the note (which draft they are since) goes before the template's table, kept with it."""
    if not paper.changes_note:
        return
    if paper.changes:  # the template's heading and table are there: the note, which draft, goes between them
        table = next((table for table in layout.document.element.body.iter(qn("w:tbl"))
                      if any(caption.get(qn("w:val")) == CHANGES_CAPTION
                             for caption in table.iter(qn("w:tblCaption")))), None)
        if table is not None:
            retitle_heading(table, paper.changes_heading)
            retitle_columns(table, paper)
            note = layout.block(Block("paragraph", (Inline(paper.changes_note),)), None, None)
            table.addprevious(keeping_with_next(note))
        return
    marker = _narrative_marker(layout)
    note = layout.block(Block("paragraph", (Inline(paper.changes_note),)), None, None)
    marker.addnext(note)
    note.addprevious(layout.block(Block("heading", (Inline(paper.changes_heading),), level=1), None, None))


def retitle_heading(table: Element, heading: str) -> None:
    """The template's heading of the changes table, the paragraph before it reading "Changes since the last draft",
    given `heading` in its place (a revised paper's), its first run keeping the look: done here, not by the template,
    so that a workspace's own template, made before revised papers, heads a revised paper's changes rightly too."""
    if heading == CHANGES_CAPTION:
        return
    before = table.getprevious()
    while before is not None and before.tag == W_P and not text_of(before).strip():
        before = before.getprevious()
    if before is None or before.tag != W_P or text_of(before).strip() != CHANGES_CAPTION:
        return
    _set_text(before, heading)


def retitle_columns(table: Element, paper: Paper) -> None:
    """The template's header cells of the changes table that read as ours ("Was", "Now") given the paper's own
    headings in their place (a revised paper's "Published", "Corrected"), each cell's first run keeping the look;
    a cell the officer reworded in the template is left as written."""
    header = table.find(W_TR)
    if header is None:
        return
    cells = header.findall(W_TC)
    if len(cells) != len(CHANGES_COLUMNS):
        return
    for cell, ours, wanted in zip(cells, CHANGES_COLUMNS, paper.changes_columns, strict=True):
        if ours.key != "ref" and wanted.heading != ours.heading and text_of(cell).strip() == ours.heading:
            _set_text(cell, wanted.heading)


def _set_text(element: Element, text: str) -> None:
    """`element`'s words replaced by `text` in its first run, whose look they keep; its other runs taken out."""
    runs = [run for run in element.iter(W_R) if run.find(W_T) is not None]
    for run in runs[1:]:
        run.getparent().remove(run)
    texts = runs[0].findall(W_T)
    for extra in texts[1:]:
        runs[0].remove(extra)
    texts[0].text = xml_safe(text)


def note_comparison(layout: Layout, notes: Sequence[str]) -> None:
    """In a comparison (diff.docx), what a reader of the tracked changes must know first, each note a Word comment on
    the paper's first line (its title): that the comparison runs backwards (`reportgen.diff.changes.order_note`), so
    that accepting every change is not taken for bringing the paper up to date; why progress over time is left out
    (`progress_note`), so that the part is not taken as dropped. Comments, not paragraphs: rejecting every tracked
    change still gives back the old paper, accepting them the new one's words."""
    anchor = next((p for p in layout.document.paragraphs if p.text.strip() and p.runs), None)
    if anchor is None:
        return
    runs = anchor.runs  # the title's own runs: a second comment spans the same words, not the first's mark
    for note in notes:
        comment = layout.document.add_comment(runs, text=xml_safe(note), author=layout.author, initials="RG")
        comment._comment_elm.set(qn("w:date"), layout.date)  # the draft's time, not now: same drafts, same bytes


def fill_narrative(layout: Layout, narrative: RichText) -> None:
    marker = _narrative_marker(layout)
    marker_props = marker.find(W_PPR)
    p_pr = deepcopy(marker_props) if marker_props is not None else None
    if p_pr is not None and p_pr.find(qn("w:sectPr")) is not None:
        p_pr.remove(p_pr.find(qn("w:sectPr")))
    for paragraph in layout.tracked_blocks(narrative, p_pr, None):  # in a comparison: blocks one draft has marked
        marker.addprevious(paragraph)
    if marker_props is not None and marker_props.find(qn("w:sectPr")) is not None:
        for child in [c for c in marker if c.tag != W_PPR]:
            marker.remove(child)  # it ends a page section: keep the paragraph, drop the marker text
    else:
        marker.getparent().remove(marker)


def mark_cover(layout: Layout, paper: Paper, redline: Mapping[str, RichText],
               whole: Mapping[str, str] | None = None) -> list[str]:
    """Put the tracked wording of each cover row in `redline` in place of its value; the labels marked.
    A row `whole` names (label → "ins" or "del": a row only one draft has) is marked inserted or deleted,
    its label with it, so that rejecting (accepting) every change gives the old (new) cover sheet.

    The cover row is the table row whose first cell reads the label and whose last cell reads the
    paper's value (spacing aside), as the template's `{%tr for row in paper.cover %}` lays it out;
    its first paragraph and run lend their formatting. A restyled template that lays the cover out
    otherwise keeps the new value, untracked (diff.html and diff.json still list the change).
    """
    values = {row.label: " ".join(xml_safe(row.value).split()) for row in paper.cover}
    marked: list[str] = []
    for tr in layout.document.element.body.iter(W_TR):
        cells = tr.findall(W_TC)
        label = text_of(cells[0]).strip() if len(cells) >= 2 else ""
        if label not in redline or label in marked or label not in values:
            continue
        target = cells[-1]
        if " ".join(_shown_text(target).split()) != values[label]:
            continue
        paragraphs = target.findall(W_P)
        run = paragraphs[0].find(f".//{W_R}") if paragraphs else None
        p_pr = paragraphs[0].find(W_PPR) if paragraphs else None
        r_pr = run.find(W_RPR) if run is not None else None
        for paragraph in paragraphs:
            target.remove(paragraph)
        for paragraph in layout.blocks(tuple(in_cell(block) for block in redline[label]), p_pr, r_pr):
            target.append(paragraph)
        marked.append(label)
    _mark_whole_rows(layout, whole or {})
    return marked


def _mark_whole_rows(layout: Layout, whole: Mapping[str, str]) -> None:
    """Each cover row `whole` names marked inserted or deleted (w:trPr), with every run not yet marked."""
    done: set[str] = set()
    for tr in layout.document.element.body.iter(W_TR):
        cells = tr.findall(W_TC)
        label = text_of(cells[0]).strip() if len(cells) >= 2 else ""
        if label not in whole or label in done:
            continue
        change = whole[label]
        tr_pr = tr.find(W_TRPR)
        if tr_pr is None:
            tr_pr = etree.Element(W_TRPR)
            tr.insert(0, tr_pr)
        set_ordered(tr_pr, layout.change_mark(change), TRPR_ORDER)
        for run in list(tr.iter(W_R)):
            if run.getparent().tag in (W_INS, W_DEL):
                continue
            mark = layout.change_mark(change)
            run.addprevious(mark)
            mark.append(run)
            if change == "del":
                for text in run.findall(W_T):
                    text.tag = W_DELTEXT
        done.add(label)


def _shown_text(element: Element) -> str:
    """The text of `element` as a reader sees it: a line break, tab or new paragraph is a space (a cover
    value of two lines is one paragraph with a w:br, and its words must not run together)."""
    pieces = []
    for node in element.iter(W_T, W_BR, W_TAB, W_P):
        pieces.append(node.text or "" if node.tag == W_T else " ")
    return "".join(pieces)


HEADING_STYLES = {"Title": "title", "Subtitle": "subtitle"}  # a paragraph style -> the Paper field it shows


def mark_headings(layout: Layout, paper: Paper, redline: Mapping[str, RichText]) -> None:
    """Put the tracked wording of the paper's title and subtitle (`redline` keys "Title", "Subtitle")
    in place of the body paragraph of that style that shows it, and the title's in place of each page
    header paragraph that shows it (the running title).

    Only a paragraph of the body itself (not in a table) whose text is the paper's value, spacing
    aside: a narrative heading that repeats the title is the narrative's, redlined with it. A template
    restyled without these styles, or whose headers show the title beside other words, keeps the new
    wording there, untracked (diff.html and diff.json list it).
    """
    for style, field in HEADING_STYLES.items():
        style_id = layout.style_id(style)
        value = _spaced(getattr(paper, field))
        if style not in redline or style_id is None or not value:
            continue
        for paragraph in layout.document.element.body.iterchildren(W_P):
            p_pr = paragraph.find(W_PPR)
            p_style = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
            if p_style is not None and p_style.get(qn("w:val")) == style_id and _spaced(text_of(paragraph)) == value:
                _put_tracked(layout, paragraph, redline[style])
                break
    title = _spaced(paper.title)
    if "Title" in redline and title:
        for header in page_headers(layout.document):
            for paragraph in [p for p in header.iter(W_P) if _spaced(text_of(p)) == title]:
                _put_tracked(layout, paragraph, redline["Title"])


def mark_draft_marking(layout: Layout, paper: Paper, wording: RichText) -> None:
    """Put the tracked wording of the draft marking (`wording`: the old draft's against the new one's, the
    whole line inserted or deleted when only one draft was blocked) in place of each page header
    paragraph that shows `paper.draft_marking` (either draft's: `reportgen.diff.redline.redline_paper`)."""
    for header in page_headers(layout.document):
        _mark_shown(layout, header.iter(W_P), paper.draft_marking, wording, whole=True)


def mark_footer_meeting(layout: Layout, paper: Paper, was: tuple[str, str]) -> None:
    """Track the meeting and its date in each page footer run that shows them (`was`: the old draft's meeting and
    date), the old value deleted and the new inserted where it changed: a meeting moved shows on every page, and
    rejecting the changes gives back the old draft's footer with its cover. The page number is left as it is."""
    shown = _unbroken(footer_meeting(paper.meeting, paper.date))
    for footer in page_headers(layout.document, "footer"):
        for run in [r for r in footer.iter(W_R) if _unbroken("".join(t.text or "" for t in r.iter(W_T))) == shown]:
            pieces = _footer_pieces("".join(t.text or "" for t in run.iter(W_T)), paper, was)
            holder = etree.Element(W_P)
            for inline in pieces:
                layout.run(holder, inline, run.find(W_RPR))
            for child in list(holder):
                run.addprevious(child)
            run.getparent().remove(run)


def _footer_pieces(text: str, paper: Paper, was: tuple[str, str]) -> list[Inline]:
    """The footer's `text` (the new meeting and date, as laid out: spaces kept from breaking) as tracked pieces."""
    old_meeting, old_date = was
    if not (paper.date and old_date):  # a date only one draft has: the whole line replaced
        return [Inline(footer_meeting(old_meeting, old_date), change="del"), Inline(text, change="ins")]
    head, date = text[:-len(paper.date)], text[-len(paper.date):]
    meeting, between = head[:len(paper.meeting)], head[len(paper.meeting):]
    return [*_changed(old_meeting, meeting), Inline(between), *_changed(old_date.replace(" ", "\u00a0"), date)]


def _changed(old: str, new: str) -> list[Inline]:
    """`new` as it stands, or `old` deleted and `new` inserted (an empty one is written as nothing)."""
    return [Inline(new)] if _unbroken(old) == _unbroken(new) else [Inline(old, change="del"), Inline(new, change="ins")]


def footer_meeting(meeting: str, date: str) -> str:
    """The meeting and its date as the template's page footer shows them (spaces aside)."""
    return f"{meeting} · {date}" if date else meeting


def _unbroken(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def place_exempt_legend(layout: Layout, paper: Paper, wording: RichText = ()) -> None:
    """The restricted edition's legend of its exempt actions (`Paper.exempt_legend`), as a paragraph right before
    the delivery-plan table, whatever the template (one restyled before it had one, too); `wording`: a comparison's
    tracked wording of it (either draft's). Call it before the plan rows are laid out."""
    blocks = wording or ((Block("paragraph", (Inline(paper.exempt_legend),)),) if paper.exempt_legend else ())
    found = find_plan_rows(layout.document.element.body)
    if not blocks or found is None:
        return
    table = found[0]
    p_pr = etree.Element(W_PPR)
    etree.SubElement(p_pr, qn("w:spacing")).set(qn("w:after"), "120")  # off the table's header row
    for paragraph in layout.tracked_blocks(blocks, p_pr, None):
        table.addprevious(paragraph)


def mark_exempt_note(layout: Layout, paper: Paper, wording: RichText) -> None:
    """Put the tracked wording of the note under the plan ("Not shown in this paper: 2 actions, …") in place
    of the body paragraph that shows `paper.exempt_note` (either draft's). A note only one draft has is tracked
    with its paragraph mark, as a paper with no note ends with its plan (`structure.drop_empty_end`): rejecting
    (accepting) every change gives the old (new) paper's end."""
    _mark_shown(layout, layout.document.element.body.iterchildren(W_P), paper.exempt_note, wording, whole=True)


def _mark_shown(layout: Layout, paragraphs: Iterable[Element], shown: str, wording: RichText, whole: bool) -> None:
    """Each of `paragraphs` that reads `shown` (spacing aside) replaced by `wording` (`_put_tracked`)."""
    text = _spaced(shown)
    if text:
        for paragraph in [p for p in paragraphs if _spaced(text_of(p)) == text]:
            _put_tracked(layout, paragraph, wording, whole)


def _spaced(text: str) -> str:
    return " ".join(xml_safe(text).split())


def _put_tracked(layout: Layout, paragraph: Element, wording: RichText, whole: bool = True) -> None:
    """`paragraph` replaced by `wording` with its change marks, in its paragraph and first run's formatting;
    when `whole` and every word is inserted (deleted), its paragraph mark is too."""
    p_pr, r_pr = _formatting(paragraph)
    change = whole_change(*wording) if whole else None  # a subtitle the old paper lacked, an issue gone
    for tracked in layout.blocks(wording, p_pr, r_pr):
        if change is not None:  # its paragraph is inserted (deleted) too
            layout.mark_paragraph(tracked, change)
        paragraph.addprevious(tracked)
    paragraph.getparent().remove(paragraph)


def _formatting(paragraph: Element) -> tuple[Element | None, Element | None]:
    """A paragraph's properties and its first run's."""
    run = paragraph.find(f".//{W_R}")
    return paragraph.find(W_PPR), run.find(W_RPR) if run is not None else None


def mark_blocking(layout: Layout, lines: RichText, marking: str = "", marking_wording: RichText = ()) -> bool:
    """The "Issues to resolve" block tracked line by line (`reportgen.diff.redline.blocking_redline`: the
    paper's `blocking` then holds the issues of both drafts): each line's paragraph replaced by its marked
    wording, its paragraph mark inserted or deleted with it.

    The lines are consecutive paragraphs of the body reading them in order, as the template's
    `{%p if paper.blocking %}` block lays them out (or `mark_draft`, with "• " before each issue). A Word
    template from before the block had its own heading heads it with the draft marking (`marking`, either
    draft's): that paragraph is tracked as `marking_wording` (the old draft's marking against the new one's).
    Returns False, changing nothing, when the document lays the lines out otherwise (a restyled template):
    the caller says so; diff.html and diff.json still say how the drafts' blocking issues differ."""
    texts = [_spaced(line.text) for line in lines]
    headed_by_marking = [bool(marking) and line.kind == "heading" for line in lines]

    def reads(paragraph: Element, index: int) -> bool:
        shown = _spaced(text_of(paragraph))
        return shown in (texts[index], f"• {texts[index]}") or (headed_by_marking[index] and shown == _spaced(marking))

    paragraphs = list(layout.document.element.body.iterchildren(W_P))
    start = next((i for i in range(len(paragraphs) - len(texts) + 1)
                  if all(reads(p, index) for index, p in enumerate(paragraphs[i:i + len(texts)]))), None)
    if start is None:
        return False
    for index, (line, paragraph) in enumerate(zip(lines, paragraphs[start:start + len(texts)])):
        if headed_by_marking[index] and _spaced(text_of(paragraph)) != texts[index]:
            if marking_wording:  # the template's heading is the draft marking: tracked as the marking changed
                _put_tracked(layout, paragraph, marking_wording)
        elif any(inline.change for inline in line.inlines):
            _put_tracked(layout, paragraph, (line,))
    return True
