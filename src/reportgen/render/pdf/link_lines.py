"""A link broken over lines (or pages) of a tagged PDF made one Link element, as a screen reader should meet it.

WeasyPrint (70) tags each line of a link as a Link element of its own, beside the one before: an address broken
after "https://" was read as two links, "link https://" then "link www.example.gov.uk/papers.pdf", and was two
stops for the Tab key. PDF lets one Link element hold several annotations (PDF/UA-1 7.18.5, ISO 32000 14.7.4.4):
each later line's marked runs, elements and annotation move into the first line's element, the runs of another
page as marked-content references naming their page, and the parent tree is pointed at it. Nothing drawn changes;
each annotation stays where it was, described by the whole link's text (`reportgen.render.pdf.spoken`).

Called by `reportgen.render.pdf.spoken.give_words` with the lines it found to be one link: on a one-document PDF
(whose writing leaves out the elements taken out) and on each part of a long paper before it is joined (the join
leaves them out: `loose_links`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pikepdf
from pikepdf import Name

ObjGen = tuple[int, int]


def one_link_element(link: Sequence[tuple[Any, Any]]) -> dict[ObjGen, Any]:
    """Move the content of each later line's Link element of `link` ((annotation, element) a line, in reading
    order) into the first's, and take the later ones out of the tree: {a taken element's id: the first element},
    for `point_parent_tree`. A line whose element is not as WeasyPrint writes it stops the joining there."""
    first = link[0][1] if link else None
    taken: dict[ObjGen, Any] = {}
    if first is None or not isinstance(first.get("/K"), pikepdf.Array) \
            or not isinstance(first.get("/Pg"), pikepdf.Dictionary):
        return taken
    for _annotation, element in link[1:]:
        kids, page, parent = element.get("/K"), element.get("/Pg"), element.get("/P")
        if not isinstance(kids, pikepdf.Array) or not isinstance(page, pikepdf.Dictionary) \
                or not isinstance(parent, pikepdf.Dictionary) or not isinstance(parent.get("/K"), pikepdf.Array):
            break
        for kid in list(kids):
            first.K.append(_moved(kid, page, first))
        parent.K = pikepdf.Array([kid for kid in parent.K if not (
            isinstance(kid, pikepdf.Dictionary) and kid.objgen == element.objgen)])
        del element["/P"]  # out of the tree: `loose_links` finds it
        taken[element.objgen] = first
    return taken


def loose_links(pdf: pikepdf.Pdf) -> set[ObjGen]:
    """The Link elements `one_link_element` took out of the tree (no parent), which a join must not copy."""
    return {obj.objgen for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
            and obj.get("/Type") == Name.StructElem and obj.get("/S") == Name.Link and "/P" not in obj}


def _moved(kid: Any, page: Any, into: Any) -> Any:
    """A kid of a later line as a kid of the first line's element `into`: a run on another page names its page."""
    if isinstance(kid, int):
        return kid if page.objgen == into.Pg.objgen else pikepdf.Dictionary(Type=Name.MCR, Pg=page, MCID=kid)
    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") in (Name.OBJR, Name.MCR) and "/Pg" not in kid:
        kid.Pg = page  # a reference without a page is on its element's page: no longer so
    elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
        kid.P = into
    return kid


def point_parent_tree(tree: Any, taken: dict[ObjGen, Any]) -> None:
    """Every entry of the parent tree naming a taken element names the element that took its content."""
    if not taken:
        return
    stack = [tree]
    while stack:
        node = stack.pop()
        nums = node.get("/Nums", pikepdf.Array())
        for at in range(1, len(nums), 2):
            entry = nums[at]
            if isinstance(entry, pikepdf.Dictionary) and entry.objgen in taken:
                nums[at] = taken[entry.objgen]
            elif isinstance(entry, pikepdf.Array):
                for index, element in enumerate(entry):
                    if isinstance(element, pikepdf.Dictionary) and element.objgen in taken:
                        entry[index] = taken[element.objgen]
        stack.extend(node.get("/Kids", pikepdf.Array()))
