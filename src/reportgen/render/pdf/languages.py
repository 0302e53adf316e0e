"""A passage of the paper in another language than the paper's (the narrative's `<span lang="cy">`) gets /Lang on
its structure elements, so a screen reader speaks it in that language; WeasyPrint writes a language for the
document only (the catalog's /Lang), and leaves the `lang` of an element out of its tags.

WeasyPrint tags the passage's `<span>` as a Span element a line (a passage broken over lines or pages is several),
each holding the Span elements of its marked runs. The passages are found in the paper's order by their drawn text
(`reportgen.render.pdf.spoken.PageTexts`): each element Span whose text goes on the passage being looked for takes
its language, until the passage's text is used up; a Span that does not (a link's words, an arrow) is passed over.
Nothing drawn changes. Called on a one-document PDF (`reportgen.render.pdf.artifacts`) and on the first part of a long
paper, which holds the narrative, before it is joined (`reportgen.render.pdf.join`).

Logging: a warning for each passage not found, so never read in the paper's language unsaid (a workspace's own
paper.html.j2 copied before languages were marked draws no element for it to go on).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

import pikepdf

from reportgen.render.pdf.spoken import PageTexts, unspaced
from reportgen.render.pdf.table_tags import element_kids
from reportgen.wording import quoted

log = logging.getLogger(__name__)

_HYPHENS = ("-", "\u2010")  # a hyphen WeasyPrint adds where it breaks a word at a line's end


def give_languages(pdf: pikepdf.Pdf, passages: Sequence[tuple[str, str]]) -> bool:
    """Set /Lang on the Span elements that draw each of `passages` ((language, text), in the paper's order: the
    paper's `other_language_passages`); whether anything changed. A passage not found is a warning."""
    root = pdf.Root.get("/StructTreeRoot")
    if not passages:
        return False
    pages = {page.obj.objgen: page for page in pdf.pages}
    texts = PageTexts(pdf)
    wanted = [(language, unspaced(text), text) for language, text in passages if unspaced(text)]
    changed = False
    for element in _element_spans(root) if root is not None else ():
        if not wanted:
            break
        language, left, written = wanted[0]
        drawn = unspaced(_text(element, texts, pages))
        taken = _taken(drawn, left)
        if not taken:
            continue
        if element.get("/Lang") != language:
            element.Lang = pikepdf.String(language)
            changed = True
        left = left[taken:]
        wanted[0:1] = [(language, left, written)] if left else []
    for language, _left, written in wanted:
        log.warning("the PDF's tags do not mark the narrative's passage %s (<span lang=\"%s\">) as in that language: a "
                    "screen reader reads it in the paper's. The usual cause is a workspace's own "
                    "templates/paper.html.j2, copied before reportgen marked languages, that writes no <span lang> "
                    "around it: compare it with reportgen's own", quoted(written), language)
    return changed


def _taken(drawn: str, left: str) -> int:
    """How much of the passage's text `left` the element's text `drawn` is, from its start (0: it is not)."""
    if drawn and left.startswith(drawn):
        return len(drawn)
    trimmed = drawn[:-1] if drawn.endswith(_HYPHENS) else ""
    return len(trimmed) if trimmed and left.startswith(trimmed) else 0


def _element_spans(node: Any) -> Iterator[Any]:
    """Each Span element that holds elements (a `<span>`'s, not a marked run's own), in the tree's order."""
    for kid in element_kids(node):
        if kid.get("/S") == "/Span" and any(isinstance(inner, pikepdf.Dictionary) and "/S" in inner
                                            for inner in element_kids(kid)):
            yield kid
        yield from _element_spans(kid)


def _text(element: Any, texts: PageTexts, pages: dict[Any, Any]) -> str:
    """The text `element`'s marked runs draw, its kids' in order ("" for a run that cannot be read)."""
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    page = pages.get(element.Pg.objgen) if "/Pg" in element else None
    drawn = texts.of(page.obj) if page is not None else {}
    parts = []
    for kid in items:
        if isinstance(kid, int):
            parts.append(drawn.get(kid, ""))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            parts.append(_text(kid, texts, pages))
        elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
            parts.append(drawn.get(int(kid.MCID), ""))
    return "".join(parts)
