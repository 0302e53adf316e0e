"""Page furniture of one WeasyPrint document marked as artifacts, as PDF/UA wants it.

WeasyPrint tags the content of the page margin boxes (running title, marking, "Page X of Y") as
structure elements that hang from no element of the structure tree: a checker sees tagged content
outside the logical structure (PDF/UA-1 7.1, Matterhorn 01-005), and a screen reader may read it
anywhere or not at all. A paper laid out in parts draws its furniture apart and marks it as an artifact
(`reportgen.render.pdf.join`); a short paper or a draft comparison is one document, and goes through
`furniture_as_artifacts` instead: every marked run of a page whose structure element cannot be reached
from the tree's root becomes `/Artifact <</Type /Pagination>>`, and the page's entry in the parent tree
for it is emptied. Content that is in the tree is left exactly as it was, but that its tables' header
cells are given their /Scope (`reportgen.render.pdf.table_tags`), and a table over several pages is
made one (`reportgen.render.pdf.continued_tables`): its repeated header rows, no longer in the tree,
become pagination artifacts like the furniture. Its arrows and links are given words a screen reader can say
(`reportgen.render.pdf.spoken`).

Importing this module imports pikepdf (QPDF): the one-document writers call it after WeasyPrint.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Name

from reportgen.render.pdf.continued_tables import Folded, fold_continued_tables
from reportgen.render.pdf.figures import figure_boxes_in_points
from reportgen.render.pdf.languages import give_languages
from reportgen.render.pdf.spoken import give_words
from reportgen.render.pdf.table_tags import RowGroups, id_tree, scope_table_headers

PAGINATION = pikepdf.Dictionary(Type=Name.Pagination)


def furniture_as_artifacts(data: bytes, sentences: Sequence[tuple[str, str]] = (),
                           groups: RowGroups | None = None, passages: Sequence[tuple[str, str]] = ()) -> bytes:
    """`data` (a tagged PDF) with its content outside the structure tree marked as pagination artifacts
    and its table headers scoped; `data` itself when it has neither. `sentences`: the paper's sentences to be
    read in words (`Paper.spoken_sentences`); `groups`: the plan's group headings, for its cells to name
    (`RowGroups.of(paper)`); `passages`: its passages in another language (`Paper.other_language_passages`).
    The same bytes in give the same bytes out."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None or "/ParentTree" not in root:
            return data
        scoped = scope_table_headers(root)
        document = _document(root)
        folded = fold_continued_tables(document) if document is not None else Folded()
        if groups is not None and document is not None:
            groups.name_in(groups.plan_rows(document))
        ids = [(name, element) for name, element in scoped.ids if name not in folded.dropped_ids]
        if ids:
            root.IDTree = pdf.make_indirect(id_tree(ids))
        in_tree = _reachable(root)  # after folding: a repeated header row's content is outside it
        parents = _parent_arrays(root.ParentTree)
        changed = scoped.tables or bool(folded.removed)
        for page in pdf.pages:
            if "/StructParents" not in page.obj:
                continue
            elements = parents.get(int(page.obj.StructParents))
            if elements is None:
                continue
            outside = {mcid for mcid, element in enumerate(elements)
                       if isinstance(element, pikepdf.Dictionary) and element.objgen not in in_tree}
            if outside:
                page.obj.Contents = pdf.make_stream(marked_as_artifacts(page, outside))
                for mcid in outside:
                    elements[mcid] = None
                changed = True
        changed |= give_words(pdf, sentences)  # arrows and links read as words (`reportgen.render.pdf.spoken`)
        changed |= give_languages(pdf, passages)  # a passage in Welsh spoken in Welsh
        changed |= figure_boxes_in_points(pdf)  # a chart's layout box where it is on its page
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _document(root: pikepdf.Object) -> pikepdf.Object | None:
    """The tree's /Document element, whose children are WeasyPrint's page-by-page subtrees; None when the root
    holds several elements or none (not WeasyPrint's tree: left as it is)."""
    kids = root.get("/K")
    if isinstance(kids, pikepdf.Array):
        return kids[0] if len(kids) == 1 and isinstance(kids[0], pikepdf.Dictionary) else None
    return kids if isinstance(kids, pikepdf.Dictionary) else None


@dataclass
class Outside:
    """A tagged PDF's marked runs whose structure element hangs from no element of the tree, by page
    (page object -> MCIDs), and those elements, up to the ones in the tree they name as parent."""

    runs: dict[tuple[int, int], set[int]] = field(default_factory=dict)
    elements: set[tuple[int, int]] = field(default_factory=set)


def outside_tree(pdf: pikepdf.Pdf) -> Outside:
    """What of `pdf`'s tagged content is outside its structure tree, as WeasyPrint wrote it: the content of
    page-margin boxes, and a split plan row's "(continued)" label (`reportgen.render.pdf.tall_rows`).
    The joiner marks these runs as artifacts before it folds the part's tables, and does not copy the
    elements (nothing in the tree names them)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return Outside()
    in_tree = _reachable(root)
    parents = _parent_arrays(root.ParentTree)
    found = Outside()
    for page in pdf.pages:
        elements = parents.get(int(page.obj.get("/StructParents", -1)))
        for mcid, element in enumerate(elements if elements is not None else ()):
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in in_tree:
                found.runs.setdefault(page.obj.objgen, set()).add(mcid)
                found.elements |= _up_to_the_tree(element, in_tree)
    return found


def _up_to_the_tree(element: pikepdf.Object, in_tree: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """`element` and its parents (/P) up to the first one in the tree (object numbers)."""
    chain: set[tuple[int, int]] = set()
    node: pikepdf.Object | None = element
    while (isinstance(node, pikepdf.Dictionary) and "/S" in node and node.objgen not in in_tree
           and node.objgen not in chain):
        chain.add(node.objgen)
        node = node.get("/P")
    return chain


def _reachable(root: pikepdf.Object) -> set[tuple[int, int]]:
    """The structure elements (object numbers) under the tree's root."""
    seen: set[tuple[int, int]] = set()
    stack = [root.get("/K")]
    while stack:
        kids = stack.pop()
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                stack.append(kid.get("/K"))
    return seen


def _parent_arrays(tree: pikepdf.Object) -> dict[int, pikepdf.Object]:
    """The parent tree's number → array entries (its /Nums, in its kids too)."""
    found: dict[int, pikepdf.Object] = {}
    stack: list[pikepdf.Object] = [tree]
    while stack:
        node = stack.pop()
        nums = node.get("/Nums", pikepdf.Array())
        for index in range(0, len(nums) - 1, 2):
            if isinstance(nums[index + 1], pikepdf.Array):
                found[int(nums[index])] = nums[index + 1]
        stack.extend(node.get("/Kids", pikepdf.Array()))
    return found


def marked_as_artifacts(page: pikepdf.Page, mcids: set[int]) -> bytes:
    """The page's content with the marked runs of `mcids` made pagination artifacts, all else as it was.

    Rewritten in its bytes where that is certain: every BDC of the page in the one form WeasyPrint writes
    (`/TH <</MCID 3>> BDC`), each of `mcids` once. Parsing and writing back the whole content took ~3.5 ms a page
    (a long paper's repeated header rows are on every page of its plan); else that is done."""
    contents = page.obj.get("/Contents")
    if isinstance(contents, pikepdf.Stream):
        data = contents.read_bytes()
        swapped = _swapped_bytes(data, mcids)
        if swapped is not None:
            return swapped
    return _swapped_parsed(page, mcids)


_SPACE = rb"[ \t\r\n]*"
_MARKED = re.compile(rb"/[A-Za-z][A-Za-z0-9]*" + _SPACE + rb"<<" + _SPACE + rb"/MCID[ \t\r\n]+(\d+)" + _SPACE + rb">>"
                     + _SPACE + rb"BDC(?![A-Za-z0-9])")
_BDC = re.compile(rb"(?<![A-Za-z0-9])BDC(?![A-Za-z0-9])")
_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def _swapped_bytes(data: bytes, mcids: set[int]) -> bytes | None:
    """`_swapped_parsed` done on the bytes; None where that is not certain (a BDC in another form, an MCID of
    `mcids` not found once, an inline image whose data could hold anything)."""
    if b"ID" in data and re.search(rb"(?<![A-Za-z0-9])BI(?![A-Za-z0-9])", data):
        return None
    swapped: list[int] = []

    def swap(found: re.Match[bytes]) -> bytes:
        if int(found[1]) in mcids:
            swapped.append(int(found[1]))
            return _ARTIFACT
        return found[0]

    out, marked = _MARKED.subn(swap, data)
    if marked != len(_BDC.findall(data)) or sorted(swapped) != sorted(mcids):
        return None
    return out


def _swapped_parsed(page: pikepdf.Page, mcids: set[int]) -> bytes:
    commands: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for command in pikepdf.parse_content_stream(page):
        operands = command.operands
        if (str(command.operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary)
                and int(operands[1].get("/MCID", -1)) in mcids):
            command = pikepdf.ContentStreamInstruction([Name.Artifact, PAGINATION], pikepdf.Operator("BDC"))
        commands.append(command)
    return pikepdf.unparse_content_stream(commands)
