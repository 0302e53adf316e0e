"""A draft comparison laid out for reading: diff.docx (tracked changes), diff.html and its tagged PDF.

    DraftDiff ─┬─redline_paper─▶ Paper with change marks ─write_docx─▶ diff.docx   (write_diff_docx)
               └─render_diff_html─▶ diff.html ─write_diff_pdf─▶ diff.pdf

The summary a Panel member reads: counts then and now, status moves, added and withdrawn actions, each
reworded action (a changed link followed by its address where its words do not say it: `with_link_addresses`;
a line break added or taken out as a pilcrow: `with_breaks_shown`), cover sheet and narrative
changes, laid out by `templates/diff.html.j2` with the paper's stylesheet and ours inlined. Decides no
content; links pass the link policy (`reportgen.read.richtext.safe_href`); the PDF reads only files inside
the templates folder.

Logging: a warning when the workspace's diff.html.j2 leaves out a note the comparison has (`with_notes`,
which adds it); a problem that stops the comparison is a `ReportgenError`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from html import unescape
from itertools import groupby
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape
from weasyprint import HTML

from reportgen.diff.changes import (
    BREAK_SHOWN,
    FIELD_NAMES,
    DraftDiff,
    blocking_note,
    column_note,
    cover_note,
    exemption_note,
    order_note,
    paired_links,
    progress_note,
    renamed_sections,
    renumbered_note,
    section_note,
    shows_address,
    unrelated_note,
)
from reportgen.diff.personal import personal_data_note
from reportgen.diff.redline import (
    blocking_redline,
    field_blocks,
    redline_narrative,
    redline_paper,
    row_field_blocks,
    status_fills_were,
)
from reportgen.files import write_atomically
from reportgen.model import Block, Inline, Paper, RichText, tracked_mark
from reportgen.read.richtext import safe_href
from reportgen.render.docx.front import HEADING_STYLES
from reportgen.render.docx.writer import write_docx
from reportgen.render.html_env import html_environment, lines, page_markings, template_errors, with_marked_title
from reportgen.render.pdf.artifacts import furniture_as_artifacts
from reportgen.render.pdf.document import font_timestamp, mark_metadata  # shared with the paper's PDF
from reportgen.render.pdf.fetch import TemplateFetcher
from reportgen.render.pdf.html import (
    css_ident,
    group_blocks,
    link_runs,
    nest_blocks,
    running_foot,
    running_head,
    space_before_links,
    with_drawn_gaps,
)
from reportgen.render.pdf.kept_whole import kept_whole_unless_too_tall, let_break
from reportgen.template_files import DEFAULT_TEMPLATES, template_file

DIFF_TEMPLATE = "diff.html.j2"
STYLESHEETS = ("paper.css", "diff.css")  # inlined into diff.html, in this order
REVISION_AUTHOR = "reportgen"

log = logging.getLogger(__name__)


def write_diff_docx(old: Paper, new: Paper, diff: DraftDiff, template: Path, out: Path,
                    revision_author: str = REVISION_AUTHOR, revision_date: str | None = None) -> None:
    """The new paper with Word tracked changes against the old one (see `redline_paper`), its title,
    subtitle, cover sheet, "Issues to resolve" block, draft marking, exempt note and the plan's renamed
    column and section headings too; what a reader must know first as comments on the title (`docx_notes`)."""
    cover = {change.field: field_blocks(change.field, change.old, change.new) for change in diff.cover}
    headings = {style: field_blocks(style, getattr(old, field), getattr(new, field))
                for style, field in HEADING_STYLES.items() if getattr(old, field) != getattr(new, field)}
    marking, note = ((field_blocks(field, getattr(old, field), getattr(new, field))
                      if getattr(old, field) != getattr(new, field) else ())
                     for field in ("draft_marking", "exempt_note"))
    # given always: the redlined paper lists only the exempt actions whose status cell the writer marks
    legend = field_blocks("exempt_legend", old.exempt_legend, new.exempt_legend) \
        if old.exempt_legend or new.exempt_legend else ()
    columns = {change.field: field_blocks(change.field, change.old, change.new)
               for change in diff.columns if change.old and change.new}  # a column both tables have
    sections = {key: field_blocks("section", was[1] or was[0], key[1] or key[0])
                for key, was in renamed_sections(old, new).items()} if diff.sections else {}
    whole_rows = {change.new or change.old: "ins" if change.new else "del" for change in diff.cover_rows}
    write_docx(redline_paper(old, new, diff), template, out, revision_author, revision_date, cover_redline=cover,
               cover_rows_redline=whole_rows, heading_redline=headings, column_redline=columns,
               section_redline=sections, fills_were=status_fills_were(old, new, diff),
               blocking_redline=blocking_redline(old, new), marking_redline=marking, exempt_note_redline=note,
               exempt_legend_redline=legend, comparison_notes=docx_notes(diff),
               document_title=new.document_title,  # the redlined paper keeps the old marking to strike it
               footer_was=(old.meeting, old.date))


# what running backwards does to a reader of tracked changes, who is not shown which draft is which
ACCEPTING_GIVES_EARLIER = "Accepting every tracked change here gives the earlier draft's paper, not the later one's."


def docx_notes(diff: DraftDiff) -> tuple[str, ...]:
    """The notes diff.docx carries as comments on its title, most urgent first: that the comparison runs backwards
    (the terminal, diff.html and diff.pdf say so; a reviewer working in Word sees none of them), then why progress
    over time is not compared."""
    backwards = order_note(diff)
    notes = (f"{backwards} {ACCEPTING_GIVES_EARLIER}" if backwards else "", progress_note(diff))
    return tuple(note for note in notes if note)


@dataclass(frozen=True)
class FieldView:
    name: str
    blocks: RichText


@dataclass(frozen=True)
class ActionView:
    ref: int
    action: str
    section: str
    fields: tuple[FieldView, ...]


def action_views(diff: DraftDiff, old_paper: Paper, paper: Paper) -> list[ActionView]:
    """Each reworded action's changed fields, redlined as the paper shows them (`row_field_blocks`: an action
    the register words in HTML is compared as the paper parses it, not as its tags)."""
    headings = {column.key: column.heading for column in paper.columns}
    before, after = ({row.ref: row for row in side.rows} for side in (old_paper, paper))
    return [ActionView(change.ref, change.action, change.section, tuple(
        FieldView(headings.get(c.field) or FIELD_NAMES.get(c.field, c.field), with_breaks_shown(with_link_addresses(
            row_field_blocks(before.get(change.ref), after.get(change.ref), c.field, c.old, c.new))))
        for c in change.changes)) for change in diff.told]


def with_link_addresses(blocks: RichText) -> RichText:
    """Redlined text whose changed links say where they go: each deleted or inserted link that the printed summary
    says went elsewhere (`reportgen.diff.changes.paired_links`: a link with no partner in the other draft, or whose
    partner has another address) followed by its address in brackets, marked as the link is. A link pointed
    elsewhere under the same words is deleted and inserted whole, and on a printed page its words alone would read
    the same on both sides, as if nothing had changed; a link made of words the old text had unlinked would read as
    those words replaced by themselves. A link whose words are its address (a bare address the reader linked:
    https://…, www.…, an e-mail address) already shows it, and one whose words changed but not its address (paired
    with a link to the same address) goes where it went."""
    said = _links_said(blocks)

    def inlines(at_block: int, block: Block) -> Iterator[Inline]:
        at = 0
        for run in _link_runs(block.inlines):
            yield from run
            first = run[0]
            words = "".join(inline.text for inline in run)
            if first.change and first.href and not shows_address(words, first.href) and (at_block, at) in said:
                yield Inline(f" ({first.href.removeprefix('mailto:')})", change=first.change)
            at += len(run)

    return tuple(replace(block, inlines=tuple(inlines(at, block))) for at, block in enumerate(blocks))


def _links_said(blocks: RichText) -> set[tuple[int, int]]:
    """Where (block index, inline index) each inline of a link is that changed address between the drafts, as
    `link_changes` pairs them (no partner, or a partner to another address): read from the redlined blocks, the old
    text being their words not inserted, the new one those not deleted."""
    sides = []
    for left_out in ("ins", "del"):
        links: list[tuple[str, str | None]] = []
        members: list[list[tuple[int, int]]] = []
        for at_block, block in enumerate(blocks):
            kept = [(at, inline) for at, inline in enumerate(block.inlines) if inline.change != left_out]
            for href, run in groupby(kept, key=lambda item: item[1].href):
                if href:
                    items = list(run)
                    links.append((" ".join("".join(inline.text for _, inline in items).split()), href))
                    members.append([(at_block, at) for at, _ in items])
        sides.append((links, members))
    (old_links, old_members), (new_links, new_members) = sides
    said: set[tuple[int, int]] = set()
    for i, j in paired_links(old_links, new_links):
        if i is not None and j is not None and old_links[i][1] == new_links[j][1]:
            continue
        said.update((*(old_members[i] if i is not None else ()), *(new_members[j] if j is not None else ())))
    return said


def _link_runs(inlines: Sequence[Inline]) -> list[tuple[Inline, ...]]:
    """Inlines in runs of neighbours with one address and one change: a link's words may be several inlines
    (a bold word in it)."""
    return [tuple(run) for _key, run in groupby(inlines, key=lambda inline: (inline.href, inline.change))]


def with_breaks_shown(blocks: RichText) -> RichText:
    """Redlined text whose paragraph ends only one draft has (`reportgen.model.PARAGRAPH_MARK`: a line break
    added or taken out) show as a pilcrow, struck through or underlined: the reader sees that the break changed,
    not the sentences after it. So does a line break within a list item only one draft has (a marked "\n"), before
    the line break itself."""
    def shown(block: Block) -> Block:
        block = replace(block, inlines=tuple(
            replace(inline, text=inline.text.replace("\n", BREAK_SHOWN + "\n")) if inline.change else inline
            for inline in block.inlines))
        bare, mark = tracked_mark(block)
        return block if mark is None else replace(bare, inlines=(*bare.inlines, Inline(BREAK_SHOWN, change=mark)))

    return tuple(shown(block) for block in blocks)


def _environment(templates: Path) -> Environment:
    return html_environment(templates, (("safe_href", safe_href), ("css_ident", css_ident),
                                        ("group_blocks", group_blocks), ("nest_blocks", nest_blocks),
                                        ("space_before_links", space_before_links),
                                        ("lines", lines), ("link_runs", link_runs)))


def renamed_or_renumbered(diff: DraftDiff) -> str:
    """The sections renamed, then the actions renumbered, in the one note a workspace's own diff.html.j2 (copied
    before actions could be renumbered) already shows."""
    return " ".join(note for note in (section_note(diff), renumbered_note(diff)) if note)


def render_diff_html(diff: DraftDiff, old_paper: Paper, new_paper: Paper, templates: Path) -> str:
    """The summary a Panel member reads: counts then and now, status moves, then each reworded action."""
    cover = [FieldView(c.field, field_blocks(c.field, c.old, c.new)) for c in diff.cover]
    narrative = (with_link_addresses(redline_narrative(old_paper.narrative, new_paper.narrative))
                 if diff.narrative or diff.narrative_set_out else ())
    notes = {"order_note": order_note(diff), "periods_note": progress_note(diff),
             "unrelated_note": unrelated_note(diff) if diff.unrelated else "", "blocking_note": blocking_note(diff),
             "column_note": column_note(diff), "section_note": renamed_or_renumbered(diff),
             "cover_note": cover_note(diff), "exemption_note": exemption_note(diff),
             "personal_data_note": personal_data_note(diff.personal_data)}
    with template_errors(DIFF_TEMPLATE):  # the workspace's own diff.html.j2 may be broken
        template = _environment(Path(templates).resolve()).get_template(DIFF_TEMPLATE)
        html = template.render(diff=diff, paper=new_paper, actions=action_views(diff, old_paper, new_paper),
                               cover=cover, narrative=narrative, created=new_paper.pdf_created, **notes,
                               styles=inline_styles(templates, STYLESHEETS))
    # notes first: the marking in <title> would read as the template's own
    html = with_notes(html, new_paper.marking, notes, template_file(templates, DIFF_TEMPLATE))
    return with_policy(with_marked_title(with_printed_marking(html, new_paper.marking), new_paper.marking))


# diff.html runs nothing and loads nothing but a picture written into it (a workspace template's logo as a data:
# address): its styles are inline, and partner text is only ever text and links
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
# where the policy goes: after <head> (and its charset), else after <html>, else after the doctype, else first
_PLACES = tuple(re.compile(place, re.IGNORECASE) for place in (
    r"<head(?:\s[^>]*)?>(?:\s*<meta charset=[^>]*>)?", r"<html(?:\s[^>]*)?>", r"<!doctype[^>]*>"))
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)  # one never closed runs to the end, as a browser reads it


def with_policy(html: str) -> str:
    """diff.html with a Content-Security-Policy first in its head, whatever template wrote it: a reviewer opens
    it from a shared drive, and should anything in a draft's text ever get past its escaping into markup, the
    browser runs no script and fetches nothing (an image or style sheet from elsewhere would tell its owner who
    opened the comparison, and when). Inline styles stay allowed: the page's own are all it has. A template with
    no <head> gets it where the browser makes one: after <html>, else after the doctype, else first."""
    # looked for outside comments ("<!-- based on <head> -->"), which a browser does not read as markup
    searched = _COMMENT.sub(lambda comment: " " * len(comment[0]), html)
    found = next((match for place in _PLACES if (match := place.search(searched))), None)
    at = found.end() if found is not None else 0
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    return html[:at] + ("\n" if at else "") + meta + ("" if at else "\n") + html[at:]


def printed_marking(marking: str) -> str:
    """The <style> element that marks the top and foot of every page a browser prints of diff.html with
    `marking` ("" for none): browsers draw no `string(marking)` (paper.css's margin boxes), so without it a
    printed comparison said RESTRICTED on its first page only."""
    css = page_markings(marking, marking)
    return f'<style class="printed-marking">\n{css}</style>\n' if css else ""


def with_printed_marking(html: str, marking: str) -> str:
    """diff.html marked on every page a browser prints (`printed_marking`), whatever template wrote it."""
    head, style = html.find("</head>"), printed_marking(marking)
    return html if head < 0 or not style else html[:head] + style + html[head:]


_PRINTED_MARKING = re.compile(r'<style class="printed-marking">[^<]*</style>\n?')  # css_string escapes any "<"


def without_printed_marking(html: str) -> str:
    """The HTML as WeasyPrint lays it out: without the browser's marking (`printed_marking`), as paper.css marks
    each page itself (the running head beside the title, the foot) and would otherwise say it twice."""
    return _PRINTED_MARKING.sub("", html, count=1)


NOTE_NAMES = {"marking": "the restricted marking", "order_note": "the warning that the old draft is the later",
              "periods_note": "the note that progress over time is not compared",
              "unrelated_note": "the warning that the drafts share few actions",
              "blocking_note": "whether issues blocked publication then and now",
              "column_note": "the delivery plan's column headings renamed, added or left out",
              "section_note": "the sections renamed", "cover_note": "the cover sheet's rows added or left out",
              "exemption_note": "the actions made exempt or no longer exempt",
              "personal_data_note": "the warning of personal data the newer draft adds"}
MARKING_STYLE = """<style>
.added-marking { string-set: marking content(); color: #9b0000; font-weight: bold; text-align: center; }
</style>
"""


def with_notes(html: str, marking: str, notes: dict[str, str], template: Path) -> str:
    """A diff.html.j2 that shows no restricted marking or leaves out a note this comparison has (one made by
    an older reportgen, before it had the note; ours shows each): they are added at the top, and a
    warning names the template and what it lacked, never left out in silence."""
    lacking = {name: text for name, text in {"marking": marking, **notes}.items()
               if text and str(escape(text)) not in html}
    body = re.search(r"<body[^>]*>", html)
    if not lacking or body is None:
        return html
    log.warning("%s has no place for %s (made by an older reportgen?): added at the top of diff.html and diff.pdf. "
                "Move it out of templates/ to use reportgen's own, or copy what it lacks from %s",
                template, " or ".join(NOTE_NAMES[name] for name in lacking), DEFAULT_TEMPLATES / DIFF_TEMPLATE)
    at = body.end()  # after the title block, else the title, else at the top
    for end in ("</header>", "</h1>"):
        if (found := html.find(end, body.end())) >= 0:
            at = found + len(end)
            break
    paragraphs = "".join(f'\n<p class="{name.replace("_", "-")}"><strong>{escape(text)}</strong></p>'
                         for name, text in lacking.items() if name != "marking")
    html = html[:at] + paragraphs + html[at:]
    if "marking" in lacking:
        head = html.find("</head>")
        html = (html[:head] + MARKING_STYLE + html[head:body.end()] +
                f'\n<p class="added-marking">{escape(marking)}</p>' + html[body.end():])
    return html


def inline_styles(templates: Path, names: Sequence[str]) -> Markup:
    """The stylesheets' text for a <style> element, so diff.html is one file that opens anywhere.

    Each comes from `templates`, else the defaults; "</" cannot end the element early.
    """
    texts = [template_file(templates, name).read_text(encoding="utf-8") for name in names]
    return Markup("\n".join(text.replace("</", "<\\/") for text in texts))


def with_running_head(html: str, marking: str) -> str:
    """The comparison's heading (its <h1>) and `marking` as the running head of the pages after the first
    (paper.css's `running-head`), and its meeting line and `marking` as every page's footer (`running-foot`),
    whatever template wrote the HTML; the HTML as read on screen has neither."""
    body, heading = re.search(r"<body[^>]*>", html), re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    meeting = re.search(r'<p class="meeting"[^>]*>(.*?)</p>', html, re.DOTALL)
    furniture = ""
    if heading is not None and 'class="running-head"' not in html:
        furniture += running_head("running-head", _text(heading[1]), [marking])
    if meeting is not None and 'class="running-foot"' not in html:
        furniture += running_foot(_text(meeting[1]), marking)
    return html if body is None or not furniture else html[:body.end()] + "\n" + furniture + html[body.end():]


def _text(markup: str) -> str:
    """The words of an HTML fragment, as read."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", markup)).split())


def write_diff_pdf(html: str, templates: Path, out: Path, created: str = "", marking: str = "") -> None:
    """The summary HTML as a tagged PDF (PDF/UA-1), reading only files inside `templates`, its properties
    marked with `marking` (a comparison of restricted drafts); atomic. Each space between a deletion and the
    insertion after it, or before a link, is in the PDF's text (`with_drawn_gaps`)."""
    templates, out = Path(templates).resolve(), Path(out)
    html = with_drawn_gaps(with_running_head(without_printed_marking(html), marking))
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    options: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_identifier": identifier, "uncompressed_pdf": False}

    def lay_out(blocks: Collection[int]) -> tuple[HTML, Any]:
        source = HTML(string=html, base_url=str(templates) + os.sep, url_fetcher=TemplateFetcher(templates))
        let_break(source.etree_element, blocks)
        return source, source.render(**options)

    with font_timestamp(created):
        (source, document), _ = kept_whole_unless_too_tall(lay_out)  # an action's changes taller than a page break
        mark_metadata(document.metadata, marking)
        data = document.write_pdf(**options)
    write_atomically(out, furniture_as_artifacts(data, passages=language_passages(source)))


def language_passages(source: HTML) -> tuple[tuple[str, str], ...]:
    """(language, text) of each element the summary marks in another language (a narrative's <span lang="cy">), in
    its order: the PDF's tags get them as /Lang (`reportgen.render.pdf.languages`), as WeasyPrint writes none."""
    root = source.etree_element
    return tuple((str(element.get("lang")), "".join(element.itertext())) for element in root.iter()
                 if element is not root and element.get("lang"))
