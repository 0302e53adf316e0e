"""Lay a `Paper` out as HTML (Jinja2, `templates/paper.html.j2`): the PDF's source, and the template
helpers the web edition and the diff share.

This module never decides content: wording, order, counts and labels all come from the `Paper`
that `build_paper` made. It only lays them out.

Security: every value is autoescaped, so partner text can never become markup.

It never imports WeasyPrint (~0.8 s in a fresh process): the build's own process renders the HTML of
a long paper's parts, and `reportgen validate` needs none of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import Environment
from markupsafe import escape

from reportgen.model import Block, Inline, Paper, list_starts
from reportgen.paper_rules import spoken_pieces
from reportgen.read.richtext import safe_href  # the link policy; a filter of the template
from reportgen.render.charts import chart_src
from reportgen.render.html_env import html_environment, lines, template_errors, with_changes_heading
from reportgen.render.theme_css import logo_data_uri, theme_stylesheet
from reportgen.template_files import template_file

TEMPLATE_NAME = "paper.html.j2"
STYLESHEET = "paper.css"
# what reportgen's paper.css styles that a copy made by an older reportgen may lack: (a selector's words, what)
DRAFT_SELECTOR = "draft-marking"
STYLESHEET_RULES = (
    (DRAFT_SELECTOR, "the draft marking"),
    ("section.blocking", "the issues to resolve"),
    ("figure.chart", "the progress charts"),
    ("table.numbers", "the progress tables"),
    ("table.stalled", "the stalled actions"),
)
MARGIN_BOXES = (  # CSS Paged Media: the 16 page-margin boxes a stylesheet can fill
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "right-top", "right-middle", "right-bottom",
    "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left", "bottom-left-corner",
    "left-bottom", "left-middle", "left-top",
)

_CSS_IDENT = re.compile(r"[a-z0-9][a-z0-9-]*")


# ---------------------------------------------------------------- template helpers


def stylesheet_lacks(stylesheet: Path) -> list[str]:
    """What the PDF shows that `stylesheet` has no rules for (one copied from an older reportgen), by
    `STYLESHEET_RULES`; [] for reportgen's own, or a file that cannot be read (the render says so)."""
    css = _text_of(stylesheet)
    return [] if css is None else [what for selector, what in STYLESHEET_RULES if selector not in css]


def styles_draft_marking(stylesheet: Path) -> bool:
    """Whether `stylesheet` styles the draft marking (marks every page with it: see `with_draft_marking`)."""
    css = _text_of(stylesheet)
    return css is None or DRAFT_SELECTOR in css


def _text_of(stylesheet: Path) -> str | None:
    try:
        return stylesheet.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def space_before_links(inlines: Sequence[Inline]) -> list[tuple[Inline, bool]]:
    """Each inline, and whether it goes in an inline box of its own: the space before a link, taken off
    the text before it with that text's formatting ("with the <a>Board</a>" -> "with the", " ", link).

    WeasyPrint 70 sometimes breaks a line after its first word when the next line starts with a link
    whose text does not fit (the line then holds one word). A space in a box of its own breaks as it
    should: the same lines as with the space inside the link, over twelve texts at every sixth width
    from 150 to 600 px, without underlining the space as if it began the link.
    """
    boxed: list[tuple[Inline, bool]] = []
    for item in inlines:
        before = boxed[-1][0] if boxed else None
        if item.href and before is not None and not before.href and before.text.endswith(" "):
            boxed[-1:] = [(replace(before, text=before.text.rstrip(" ")), False), (replace(before, text=" "), True)]
        boxed.append((item, False))
    return boxed


LinkRuns = list[tuple[str | None, list[tuple[Inline, bool]]]]


def link_runs(inlines: Sequence[Inline], boxes: bool = True) -> LinkRuns:
    """Inlines as a template lays them out: each run of neighbours linking to one address (that passes the link
    policy), with the address, and each other run, with None; every inline with whether it goes in a box of its
    own (`space_before_links`, when `boxes`: the PDF and diff.html; the web edition has no need).

    A link with a bold or italic word, or whose words changed in a comparison, is several inlines: drawn one <a>
    each, a screen reader announced several links (and the PDF had a Link element for each). One <a> around the
    run, the formatting and change marks inside it, is one link, as a reader follows it. A link pointed elsewhere
    (in a comparison: the old link deleted beside the new one inserted) is two runs, so two links; so are two
    links to one address side by side, written as two (`<a>the papers</a><a>, minutes</a>`): the reader keeps a
    link's words of one look as one inline (`reportgen.read.richtext`), so a neighbour that looks the same starts
    a link of its own."""
    runs: LinkRuns = []
    boxed = space_before_links(inlines) if boxes else [(inline, False) for inline in inlines]
    for inline, own_box in boxed:
        href = safe_href(inline.href)
        if runs and runs[-1][0] == href and (href is None or not _alike(runs[-1][1][-1][0], inline)):
            runs[-1][1].append((inline, own_box))
        else:
            runs.append((href, [(inline, own_box)]))
    return runs


def _alike(before: Inline, inline: Inline) -> bool:
    """Whether two neighbouring linked inlines look the same (formatting and change marks): then two links."""
    return replace(before, text="") == replace(inline, text="")


def css_ident(value: str) -> str:
    """`value` when it is safe as a CSS class suffix, else "unknown"."""
    return value if _CSS_IDENT.fullmatch(value) else "unknown"


@dataclass(frozen=True)
class BlockGroup:
    """One block, or a list (`tag` "ul" or "ol"): its items, each with the lists nested in it (`nested`, by item),
    and the number an "ol" starts at."""

    tag: str  # "ul", "ol", or "" for a single paragraph or heading
    blocks: tuple[Block, ...]
    start: int = 1
    nested: tuple[tuple[BlockGroup, ...], ...] = ()  # for each of `blocks`, the lists inside that item

    def items(self) -> list[tuple[Block, tuple[BlockGroup, ...]]]:
        """Each item with the lists nested in it, for a template's `<li>`."""
        return [(block, self.nested[index] if index < len(self.nested) else ())
                for index, block in enumerate(self.blocks)]


@dataclass
class _OpenList:
    """A list being gathered by `nest_blocks`."""

    tag: str
    depth: int  # its level as written: a list nested deeper than the paper's levels is drawn at the deepest
    start: int
    blocks: list[Block] = field(default_factory=list)
    nested: list[list[_OpenList]] = field(default_factory=list)

    def add(self, block: Block) -> None:
        self.blocks.append(block)
        self.nested.append([])

    def goes_on(self, tag: str, start: int | None, after_deeper: bool) -> bool:
        """Whether an item of this list's depth, `start` as `list_starts` gives it, is this list's next item: one
        it goes on counting (no start of its own), or, after a list nested deeper than the paper's levels (whose
        items the paper numbers at this level, so the model gives the next item its number), the number this
        list gives its next item anyway."""
        return start is None or (after_deeper and tag == self.tag and start == self.start + len(self.blocks))

    def group(self) -> BlockGroup:
        return BlockGroup(self.tag, tuple(self.blocks), self.start,
                          tuple(tuple(inner.group() for inner in lists) for lists in self.nested))


def nest_blocks(blocks: tuple[Block, ...]) -> list[BlockGroup]:
    """The blocks as the HTML lays them out: each paragraph or heading alone, each list whole, a list nested in an
    item inside that item's `<li>` (one list to a screen reader, which the items after the nested list go on
    numbering), where lists open and the number they start at as `reportgen.model.list_starts` says."""
    groups: list[BlockGroup | _OpenList] = []
    open_lists: list[_OpenList] = []  # the lists open here, the outermost first
    for block, start in zip(blocks, list_starts(blocks), strict=True):
        tag = {"bullet": "ul", "number": "ol"}.get(block.kind, "")
        if not tag:
            open_lists.clear()
            groups.append(BlockGroup("", (block,)))
            continue
        # by the depth written: a list nested past the paper's levels stays inside the item above it
        depth, after_deeper = block.level + block.deeper, False
        while open_lists and open_lists[-1].depth > depth:
            after_deeper = after_deeper or open_lists.pop().blocks[0].deeper > 0
        if open_lists and open_lists[-1].depth == depth:
            if open_lists[-1].goes_on(tag, start, after_deeper):
                open_lists[-1].add(block)
                continue
            open_lists.pop()
        opened = _OpenList(tag, depth, start or 1)
        opened.add(block)
        if open_lists:
            open_lists[-1].nested[-1].append(opened)
        else:
            groups.append(opened)
        open_lists.append(opened)
    return [group.group() if isinstance(group, _OpenList) else group for group in groups]


def group_blocks(blocks: tuple[Block, ...]) -> list[BlockGroup]:
    """Consecutive bullet (or number) blocks of one level become one list: for a paper.html.j2 or diff.html.j2
    copied before lists were nested (`nest_blocks`), which shows every item, its lists side by side."""
    groups: list[BlockGroup] = []
    for block in blocks:
        tag = {"bullet": "ul", "number": "ol"}.get(block.kind, "")
        last = groups[-1] if groups else None
        if tag and last and last.tag == tag and last.blocks[0].level == block.level:
            groups[-1] = BlockGroup(tag, (*last.blocks, block))
        else:
            groups.append(BlockGroup(tag, (block,)))
    return groups


# ---------------------------------------------------------------- stages


def _environment(templates: Path) -> Environment:
    return html_environment(templates, (("safe_href", safe_href), ("css_ident", css_ident),
                                        ("group_blocks", group_blocks), ("nest_blocks", nest_blocks),
                                        ("space_before_links", space_before_links),
                                        ("link_runs", link_runs), ("chart_src", chart_src),
                                        ("spoken_pieces", spoken_pieces), ("lines", lines)))


def check_template(templates: Path) -> None:
    """The workspace's paper.html.j2 compiled as the build compiles it, and not rendered: one that uses a filter
    this reportgen no longer has (a copy made by an older one) stops `validate` with the build's line, not the
    build on the day, while validate stays quick (no PDF is laid out)."""
    with template_errors(TEMPLATE_NAME):
        _environment(Path(templates).resolve()).get_template(TEMPLATE_NAME)


def render_html(paper: Paper, templates: Path, part: str = "all", furniture_pages: Sequence[str] = (),
                first_page: int = 1, plan_heading: bool = True, plan_ends: bool = True) -> str:
    """The paper as one HTML document (every value escaped), laid out by `paper.html.j2`.

    `part` other than "all" renders one part of a long paper (see `reportgen.render.pdf.parts`): "front"
    (title, cover, narrative, changes), "plan" (the delivery-plan rows of `paper`), or "furniture"
    (only the page headers and footers of `furniture_pages`, "front" or "plan" page by page, the
    first numbered `first_page`). The plan's heading only with `plan_heading` (a piece of the plan
    that starts at its first row); its last row marked as the plan's end (kept with the row before it) only
    with `plan_ends` (a piece that ends with the plan's last row).
    """
    with template_errors(TEMPLATE_NAME):
        template = _environment(Path(templates).resolve()).get_template(TEMPLATE_NAME)
        html = template.render(
            paper=paper,
            created=paper.pdf_created,
            part=part,
            furniture_pages=tuple(furniture_pages),
            first_page=first_page,
            plan_heading=plan_heading,
            plan_ends=plan_ends,
            margin_boxes=MARGIN_BOXES,
            theme_css=theme_stylesheet(paper.theme),
            logo_uri=logo_data_uri(paper.theme.logo if paper.theme else None),
        )
    html = with_changes_heading(html, paper.changes_heading, paper.changes_label)
    return with_drawn_gaps(with_running_foot(with_running_heads(with_draft_marking(
        html, paper, part, styles_draft_marking(template_file(templates, STYLESHEET))), paper, part), paper, part))


# a space in an inline box of its own: before a link (`space_before_links`: "See<span> </span><a>…", in the paper
# and diff.html.j2), or in diff.html.j2 between a deletion and the insertion right after it ('<span class="gap">
# </span>', "May June"); either perhaps marked or formatted as the words it came with
_LONE_SPACE = re.compile(r'(<span(?: class="gap")?>(?:<(?:del|ins|strong|em|u)>)*) ((?:</(?:del|ins|strong|em|u)>)*'
                         r'</span>)')


def with_drawn_gaps(html: str) -> str:
    """The HTML as WeasyPrint is to draw it: each space in a box of its own followed by a zero-width space.

    WeasyPrint 70 draws no text box that is blanks alone (`weasyprint.draw.text.draw_first_line`), so such a space
    took its width on the page but was missing from the PDF's text: "MayJune", "Seethe minutes" when copied,
    extracted or read aloud (in the paper, "with theStrategic Executive Board papers"). The zero-width space has
    no glyph and is not extracted, and a line may still break after it, so the box is drawn and its space is in
    the text. For WeasyPrint only: the web edition and diff.html keep the plain space (a browser keeps it in the
    text)."""
    return _LONE_SPACE.sub("\\1 \u200b\\2", html)


DRAFT_STYLE = """<style>
.draft-marking { string-set: draft content(); color: #9b0000; font-weight: bold; text-align: center; }
@page { @top-right { content: string(draft); color: #9b0000; font-weight: bold; font-size: 9pt; } }
</style>
"""


def with_draft_marking(html: str, paper: Paper, part: str, styled: bool = True) -> str:
    """A template written before it had a place for the draft marking (ours has one) still marks every
    page and lists the blocking issues first, while anything blocks publication; so does a stylesheet
    written before it had rules for the marking (not `styled`: the template's line marked page 1 only)."""
    placed = 'class="draft-marking"' in html
    if not paper.draft_marking or (placed and styled):
        return html
    head, body = html.find("</head>"), re.search(r"<body[^>]*>", html)
    if head < 0 or body is None or body.start() < head:
        return html
    if placed:
        return html[:head] + DRAFT_STYLE + html[head:]
    inserted = ""
    if part != "plan":  # a plan piece's pages get their furniture from the "furniture" part
        inserted = f'<p class="draft-marking">{escape(paper.draft_marking)}</p>\n'
    if part in ("all", "front"):
        items = "".join(f"<li>{escape(line)}</li>" for line in paper.blocking)
        inserted += f'<ul class="blocking">{items}</ul>\n'
    return html[:head] + DRAFT_STYLE + html[head:body.end()] + inserted + html[body.end():]


def with_running_heads(html: str, paper: Paper, part: str) -> str:
    """`html` with the running heads of the pages after the first (paper.css puts them in the top-left
    page-margin box): the title, and beside it the restricted marking and, while issues block
    publication, the draft line, whole on the plan's landscape pages, its first word ("DRAFT") on a
    portrait page (the plan's too, when the Word template puts it in portrait). One element, not the
    title left and the markings in a centred box: a centred box, even holding one word, leaves the title
    less than half the page's width, so a title of some sixty characters broke onto two lines beside it.
    Inserted here, out of the flow by their own style, so every template, a workspace's older one too, has
    them and never shows them on page 1."""
    head = re.search(r"<body[^>]*>", html)
    if part == "plan" or head is None or 'class="running-head"' in html:
        return html
    markings = [paper.marking] if paper.marking else []
    draft = paper.draft_marking.split() if paper.draft_marking else []
    plan_page = paper.theme.plan_page if paper.theme else None
    plan_draft = draft if plan_page is None or plan_page.orientation == "landscape" else draft[:1]  # portrait plan
    heads = "".join(running_head(name, paper.title, [*markings, " ".join(words)])
                    for name, words in (("running-head", draft[:1]), ("running-head-plan", plan_draft)))
    return html[:head.end()] + "\n" + heads + html[head.end():]


def with_running_foot(html: str, paper: Paper, part: str) -> str:
    """`html` with the footer's running element (paper.css puts it in the bottom-left page-margin box): the
    meeting and its date across the width the page number leaves, and under them, in the restricted edition,
    the marking. The marking had a centred box of its own beside the meeting, which left the meeting less
    than half the page: a long meeting name wrapped four lines deep and ran off the foot of the page, its
    date unprinted. Inserted here, as the running heads are, so a workspace's own template has it too."""
    body = re.search(r"<body[^>]*>", html)
    if part == "plan" or body is None or 'class="running-foot"' in html:
        return html
    # the date never split over two lines, nor from the meeting's last word
    date = "\u00a0· " + paper.date.replace(" ", "\u00a0") if paper.date else ""
    return html[:body.end()] + "\n" + running_foot(paper.meeting + date, paper.marking) + html[body.end():]


def running_foot(meeting: str, marking: str) -> str:
    """The running element paper.css puts in the footer (`running-foot`): the meeting line, and under it
    `marking` when there is one. Visible in a part of a long paper that hides everything but the furniture."""
    marked = f'<p class="running-foot-marking">{escape(marking)}</p>' if marking else ""
    return ('<div class="running-foot" style="position: running(running-foot); visibility: visible">'
            f'<p class="running-foot-meeting">{escape(meeting)}</p>{marked}</div>\n')


def running_head(name: str, title: str, marks: Sequence[str]) -> str:
    """The running element `name` (paper.css places `running-head` and `running-head-plan`): the title, and
    beside it each of `marks` that is not empty."""
    spans = "".join(f' <span class="running-marking">{escape(text)}</span>' for text in marks if text)
    return (f'<div class="running-head" style="position: running({name})">'
            f'<span class="running-title">{escape(title)}</span>{spans}</div>\n')

