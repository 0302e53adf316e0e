"""`write_html`: the paper's web edition, `paper.html`, one self-contained accessible file.

It lays out the same `Paper` as the DOCX and the PDF (cover sheet, narrative, the full plan table)
and adds what only a screen can do: stable anchors (`#action-42`), filters by status, section and
lead and a text search that announce their result count. The style sheet and script are read from
the templates folder (a workspace's own, else ours) and inlined; a Content-Security-Policy allows
exactly those two by hash and images only as `data:` URLs, so the file fetches nothing and no
partner text can run. Without JavaScript every row shows. This module decides no content.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup, escape

from reportgen.files import write_atomically
from reportgen.model import Paper, PaperRow, PaperSection
from reportgen.paper.column_widths import WEB_NARROW, narrow_web_widths
from reportgen.paper_rules import spoken_pieces
from reportgen.read.richtext import safe_href
from reportgen.render.charts import chart_src
from reportgen.render.html_env import (
    css_string,
    html_environment,
    lines,
    page_markings,
    template_errors,
    with_changes_heading,
    with_marked_title,
)
from reportgen.render.pdf.html import css_ident, link_runs, nest_blocks

TEMPLATE_NAME = "paper.web.html.j2"
STYLE_NAME = "paper.web.css"
SCRIPT_NAME = "paper.web.js"
PAGE_PADDING = 40  # CSS pixels: the body's padding either side of the plan, 1.25rem (paper.web.css)
REM = 16  # CSS pixels in a rem at the browsers' default text size, at which the plan's widths are measured
# the plan in a window narrower than it: a region of at most 80% of the window's height, scrolling both ways, its
# header row sticking to the region's top (as paper.web.css has it below 58.5rem: change both together)
PLAN_SCROLLS = ".plan-scroll { overflow: auto; max-height: 80vh; max-height: 80svh; scroll-padding-top: 6rem; }"


@dataclass(frozen=True)
class FilterOptions:
    statuses: tuple[str, ...]
    sections: tuple[str, ...]  # the groups the plan is in (its sections, or another grouping's values)
    leads: tuple[str, ...]
    unsectioned: bool = False  # some rows have no group, others have one: "No section"
    group_key: str = "section"  # the column the group filter is named after; "lead": the lead filter does it
    group_of: Mapping[int, str] = field(default_factory=dict)  # ref -> its group ("" for none)


# what reportgen's web template writes on its rows that a copy made by an older reportgen does not (it writes the
# row's section and its Lead cell as written, and the cover's rows without their table roles): (the template's
# words, what is lost)
ROW_GROUPS = "options.group_of"
ROW_PARTNERS = "row.partners"
COVER_ROLES = 'role="rowheader"'
PRINTED_ADDRESSES = "shows_address"
ROW_DATA = {
    ROW_GROUPS: "a group filter following the plan's grouping (it offers the register's sections)",
    ROW_PARTNERS: "a lead filter listing each partner of a joint lead (it offers the Lead cells as written)",
    COVER_ROLES: "a cover sheet read as a table on a phone (there its rows are laid out one under another)",
    PRINTED_ADDRESSES: "a link's address printed after its words (a printed page gives none)",
}


def row_data(source: str) -> frozenset[str]:
    """Which of `ROW_DATA` a web template of this source writes on its rows (all, for reportgen's own)."""
    return frozenset(words for words in ROW_DATA if words in source)


def web_template_lacks(template: Path) -> list[str]:
    """What the web edition's filters cannot offer with this template (one copied from an older reportgen);
    [] for reportgen's own, or a file that cannot be read (the render says so)."""
    try:
        written = row_data(template.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []
    return [what for words, what in ROW_DATA.items() if words not in written]


def filter_options(paper: Paper, written: frozenset[str] = frozenset(ROW_DATA)) -> FilterOptions:
    """The choices each filter offers, in the paper's order: only values some row has. For a template whose
    rows do not carry what `ROW_DATA` names (`written`), the values they do carry: their sections, their Lead
    cells as written (a choice no row carries would find nothing)."""
    rows = paper.rows
    canonical = [status for status, _count in paper.counts]
    labels = list(dict.fromkeys(row.status_label for row in rows))
    statuses = [s for s in canonical if s in labels] + [s for s in labels if s not in canonical]
    key, group_of = top_groups(paper) if ROW_GROUPS in written else ("section", {row.ref: row.section for row in rows})
    partners = {row.ref: row.partners if ROW_PARTNERS in written else (row.lead,) if row.lead else () for row in rows}
    return FilterOptions(
        statuses=tuple(statuses),
        sections=tuple(dict.fromkeys(group_of[row.ref] for row in rows if group_of[row.ref])),
        leads=tuple(dict.fromkeys(partner for row in rows for partner in partners[row.ref])),  # a joint lead's each
        unsectioned=any(not group_of[row.ref] for row in rows) and any(group_of[row.ref] for row in rows),
        group_key=key,
        group_of=group_of,
    )


def top_groups(paper: Paper) -> tuple[str, dict[int, str]]:
    """The column the plan's groups are of, and each row's group ("" for none): its section, or, when the
    plan is grouped by another column (`Paper.grouped_by`), the heading of the group the paper puts it under."""
    key = paper.grouped_by[0] if paper.grouped_by else "section"
    if key == "section":
        return key, {row.ref: row.section for row in paper.rows}
    none, group = paper.column_name(key).none, ""
    group_of: dict[int, str] = {}
    for section in paper.sections:
        if section.level == 1:
            group = "" if section.heading == none else section.heading
        group_of.update((row.ref, group) for row in section.rows)
    return key, group_of


@dataclass(frozen=True)
class PlanGroup:
    """One of the plan's groups as the web edition writes it: its own `<tbody>`, its heading cell's id ("" when
    it has no heading row), and the ids of every group heading its rows are under, the outermost first (a
    subsection's rows are under their section's heading as well as their own)."""

    section: PaperSection
    heading_id: str
    under: tuple[str, ...]

    def headers(self, row: PaperRow, key: str, row_header: bool) -> str:
        """A cell's `headers` attribute: its group headings, its action's number (`row_header`: the plan shows
        the number column) and its column heading. A cell's `headers` must name every header of the cell, so
        the column's and the row's too; the number's own cell names no row header."""
        names = [*self.under, *((f"plan-ref-{row.ref}",) if row_header and key != "ref" else ()),
                 f"plan-col-{css_ident(key)}"]
        return " ".join(names)


def plan_groups(paper: Paper) -> tuple[PlanGroup, ...]:
    """The plan's groups with the headings each one's rows are under. Each group is a row group of its own
    (`scope="rowgroup"`), so a reader that goes by scope ties a subsection's actions to the subsection only:
    the `headers` ids tie them to their section too, as the PDF's /Headers do (`RowGroups`)."""
    groups: list[PlanGroup] = []
    in_force: dict[int, str] = {}  # level -> the id of the heading now in force; a group closes those below it
    for number, section in enumerate(paper.sections, start=1):
        heading_id = f"plan-group-{number}" if section.heading else ""
        in_force = {level: name for level, name in in_force.items() if level < section.level}
        if heading_id:
            in_force[section.level] = heading_id
        groups.append(PlanGroup(section, heading_id, tuple(in_force[level] for level in sorted(in_force))))
    return tuple(groups)


def shows_address(href: str, words: str) -> bool:
    """Whether a printed page adds a link's address after its words: only where the words are other than the
    address ("the Panel's papers", not "https://…/scrutiny", which printed twice). The template marks such a
    link, as CSS cannot compare a link's words with its href; a scheme or a closing "/" left out is the same."""
    return _bare_address(words) != _bare_address(href)


def _bare_address(text: str) -> str:
    """An address as a reader compares it: without its scheme, its closing "/" and its case."""
    return re.sub(r"^(https?://|mailto:)", "", text.strip(), flags=re.IGNORECASE).rstrip("/").casefold()


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline style or script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _environment(templates: Path) -> Environment:
    return html_environment(templates, (("safe_href", safe_href), ("css_ident", css_ident),
                                        ("nest_blocks", nest_blocks), ("link_runs", link_runs),
                                        ("chart_src", chart_src), ("shows_address", shows_address),
                                        ("spoken_pieces", spoken_pieces), ("lines", lines)))


def check_template(templates: Path) -> None:
    """The workspace's paper.web.html.j2 compiled as the build compiles it, and not rendered (see
    `reportgen.render.pdf.html.check_template`)."""
    with template_errors(TEMPLATE_NAME):
        _environment(Path(templates).resolve()).get_template(TEMPLATE_NAME)


def _source(env: Environment, name: str) -> str:
    loader = env.loader
    assert loader is not None
    return loader.get_source(env, name)[0]


def search_text(row: PaperRow, exempt: bool = False) -> str:
    """What the text search matches a row on: every cell's words, the lead and section, folded (`fold`); the
    restricted edition's exempt action its marking too, so that "exempt" or "Part II" finds them."""
    return fold(" ".join([*(cell.text for cell in row.cells), row.lead, row.section, row.note,
                          *((Paper.exempt_row_note,) if exempt else ())]))


# what NFKD leaves that a reader types otherwise: letters with no decomposition ("Søren" as "soren"), typographic
# dashes and quotes as typed; apostrophes are dropped ("childrens", "children's" and "Children’s" alike).
# The same table is in paper.web.js `FOLDED`: change both together.
FOLDED = {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
          "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
          "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
          "'": "", "’": "", "‘": "", "‚": "", "ʼ": "", "′": "", "`": ""}
_FOLD_TABLE = str.maketrans(FOLDED)


def fold(text: str) -> str:
    """Text with accents, case and typographic punctuation set aside (`FOLDED`): as the page's script folds
    what a reader types (paper.web.js `fold`: NFKD, lower case, marks removed, `FOLDED`), so "Ynys Mon" finds
    "Ynys Môn", "STRASSE" "Straße" and "childrens" "Children’s"."""
    lowered = unicodedata.normalize("NFKD", text).lower()
    return "".join(char for char in lowered if not unicodedata.category(char).startswith("M")).translate(_FOLD_TABLE)


def narrow_window_widths(paper: Paper) -> str:
    """The plan's column widths in a window too narrow for the paper's own to hold every word whole: fitted
    at the plan's narrowest (`narrow_web_widths`), "" when they are the same; and, when the columns' longest
    words need a plan wider than 56rem, that plan scrolling in its own region in a window narrower than it (as
    paper.web.css has it below 56rem: `PLAN_SCROLLS`). The windows are told in rem, so that they grow with the text of a
    reader whose browser sets a larger text size (the widths are measured at the default, 16px)."""
    narrow = narrow_web_widths(paper)
    css = ""
    if narrow.widths != tuple(column.width for column in paper.columns):
        rules = " ".join(f"table.plan col.col-{css_ident(column.key)} {{ width: {width * 100:.3f}%; }}"
                         for column, width in zip(paper.columns, narrow.widths, strict=True))
        css += f"@media screen and (max-width: {_rem_below(narrow.own_fit + PAGE_PADDING)}) {{ {rules} }}\n"
    if narrow.least > WEB_NARROW.width:
        least = f"{math.ceil(narrow.least / REM * 1000) / 1000:g}rem"
        css += (f"@media screen and (max-width: {_rem_below(narrow.least + PAGE_PADDING)}) {{ "
                f"{PLAN_SCROLLS} table.plan {{ min-width: {least}; }} }}\n")
    return css


def _rem_below(pixels: float) -> str:
    """A window's width a little narrower than `pixels` (CSS pixels at the default text size), in rem."""
    return f"{math.floor((pixels - 0.5) / REM * 1000) / 1000:g}rem"


def render_web(paper: Paper, templates: Path) -> str:
    """The web edition as one HTML string; every value from the paper is escaped by the template."""
    env = _environment(Path(templates).resolve())
    status_rules = (f"table.plan td.status.status-{s.css} {{ border-left-color: #{s.fill}; "
                    f"background-color: #{s.tint}; }}\n" for s in paper.status_styles)
    width_rules = (f"table.plan col.col-{css_ident(c.key)} {{ width: {c.width * 100:.3f}%; }}\n" for c in paper.columns)
    style = (_source(env, STYLE_NAME) + "".join(status_rules) + "".join(width_rules) + narrow_window_widths(paper)
             + printed_markings(paper) + printed_footer(paper))
    script = _source(env, SCRIPT_NAME)
    policy = (f"default-src 'none'; style-src {csp_hash(style)}; script-src {csp_hash(script)}; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    with template_errors(TEMPLATE_NAME):  # the workspace's own may be broken, or older than reportgen
        html = env.get_template(TEMPLATE_NAME).render(
            paper=paper, options=filter_options(paper, row_data(_source(env, TEMPLATE_NAME))),
            style=Markup(style), script=Markup(script), policy=policy, plan_groups=plan_groups(paper),
            row_header=any(column.key == "ref" for column in paper.columns),
            search_text=lambda row: search_text(row, row.ref in (paper.exempt_refs or ())),
        )
    html = with_changes_heading(html, paper.changes_heading, paper.changes_label)
    return with_marked_title(with_draft_marking(html, paper), paper.title_marking)


def printed_markings(paper: Paper) -> str:
    """The marking (RESTRICTED) at the top and foot of every printed page, and the draft line at the top:
    page margin boxes, which Chromium draws from version 131 (the title block says them on page 1 only).
    The words are written into the rule: browsers do not copy an element's text into a margin box."""
    return page_markings(" \u00b7 ".join(text for text in (paper.marking, paper.draft_marking) if text), paper.marking)


# the footer's words as the PDF prints them (paper.css): small and grey, at the top of the page's foot margin, so
# the restricted marking (centred, `printed_markings`) sits under them, as in the PDF
FOOTER_BOX_STYLE = ("font: 8pt \"Liberation Sans\", Arial, sans-serif; color: #4a4a4a; vertical-align: top; "
                    "padding-top: 3mm;")


def printed_footer(paper: Paper) -> str:
    """The meeting and its date at the left of every printed page's foot, and "Page N of M" at its right, as in
    the PDF: page margin boxes (Chromium draws them, and counts the pages, from version 131), so a printed page
    is numbered whatever the browser's own header and footer are set to (Playwright's and a headless print's
    are off)."""
    meeting = paper.meeting + (" \u00b7 " + paper.date if paper.date else "")
    return ("@media print {\n  @page {\n"
            f"    @bottom-left {{ content: {css_string(meeting)}; {FOOTER_BOX_STYLE} }}\n"
            f"    @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); {FOOTER_BOX_STYLE} "
            "text-align: right; white-space: nowrap; }\n  }\n}\n")


def with_draft_marking(html: str, paper: Paper) -> str:
    """A workspace's web template written before it had a place for the draft marking (ours has one)
    still shows it, and the issues that block publication, first, while anything blocks publication.
    Elements only: the page's policy allows no style but its own."""
    if not paper.draft_marking or 'class="draft-marking"' in html:
        return html
    body = re.search(r"<body[^>]*>", html)
    if body is None:
        return html
    items = "".join(f"<li>{escape(line)}</li>" for line in paper.blocking)
    inserted = (f'\n<p class="draft-marking"><strong>{escape(paper.draft_marking)}</strong></p>\n'
                f'<section class="blocking" aria-label="{escape(paper.blocking_heading)}">'
                f"<h2>{escape(paper.blocking_heading)}</h2><p>{escape(paper.blocking_advice)}</p>"
                f"<ul>{items}</ul></section>\n")
    return html[:body.end()] + inserted + html[body.end():]


def write_html(paper: Paper, templates: Path, out: Path) -> None:
    """Write `paper.html` atomically (a temporary file, then rename)."""
    write_atomically(Path(out), render_web(paper, templates).encode("utf-8"))
