"""Join the PDFs of a paper's parts (see `reportgen.render.pdf.parts`) into one tagged PDF, part by part.

A PDF library (pikepdf/QPDF) holds every object of a result in memory until it saves it: ~0.4 MiB a page
with WeasyPrint's structure tree, over 1.5 GiB for 3,800 pages. This joiner writes each part's objects
as the part comes (renumbered, the small ones packed into compressed object streams) and keeps only
what the end needs: the page dictionaries, the top of the structure tree, the parent tree's keys.

What a join must keep right, and how:

- pages: each part's pages, in order, under one page tree;
- tags (PDF/UA): WeasyPrint builds the structure tree page by page (one subtree per page under its
  /Document element), so the joined tree is every part's subtrees under one /Document element, and
  the parent tree (marked content and link annotations to their structure elements) is renumbered;
  table header cells get their /Scope, and their IDs (which WeasyPrint makes from object numbers the
  parts share) a part's prefix (`reportgen.render.pdf.table_tags`);
- a table over several pages (the plan) is one Table, its repeated header rows artifacts
  (`reportgen.render.pdf.continued_tables`): folded within each part, and across parts by holding back
  the elements a part's last table hangs from (its grouping elements and its body), written once the
  next part does not continue it;
- content a part tags outside its structure tree (a split plan row's "(continued)" label,
  `reportgen.render.pdf.tall_rows`): marked as a pagination artifact, its elements not copied;
- links: their annotations travel with their pages and keep their /StructParent (renumbered), and a
  description, their text (`reportgen.render.pdf.spoken`, which gives the arrows their words too);
- bookmarks: made again from every part's (`PartPages.bookmarks`, as WeasyPrint gathered them, with
  their CSS levels), nested as WeasyPrint nests a whole document's: a part's own outline cannot say
  where its top items belong (a plan section's under the plan's heading, in an earlier part);
- language, title, XMP metadata, viewer preferences: from the first part (the front);
- fonts: each part embeds its own subsets of the fonts it uses; a face's subsets become one font
  (`reportgen.render.pdf.subsets`), written at the end, and every part's pages use it. A subset that
  cannot be merged is kept, and (a PDF must not give two subsets one tag, and WeasyPrint tags a subset
  from the font alone) gets a tag of its own in every part but the first;
- page furniture (running title, marking, "Page X of Y"): marked as an artifact (page furniture is
  not part of the document's structure) and drawn over each page as two forms: its kind of page's
  (one form shared by every page of that kind) and its page number's.

Reproducible: the same parts give the same bytes (the file identifier is a hash of the parts).

This module merges pages and structure trees; `reportgen.render.pdf.serial` writes the objects out.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Name

from reportgen.errors import ReportgenError
from reportgen.render.pdf.artifacts import Outside, marked_as_artifacts, outside_tree
from reportgen.render.pdf.continued_tables import (
    Continuable,
    Folded,
    continuable,
    continue_rows,
    continues,
    ending_chain,
    fold_continued_tables,
    starting_chain,
)
from reportgen.render.pdf.figures import figure_boxes_in_points
from reportgen.render.pdf.languages import give_languages
from reportgen.render.pdf.link_lines import loose_links
from reportgen.render.pdf.serial import Numbers, PdfSerialiser, entry, reachable, renumber
from reportgen.render.pdf.spoken import give_words
from reportgen.render.pdf.subsets import FontFaces, subset_tag
from reportgen.render.pdf.table_tags import RowGroups, scope_table_headers
from reportgen.render.pdf.tasks import Bookmark

FURNITURE = b"/ReportgenFurniture"  # a page's kind of furniture: running title, marking, logo
PAGE_NUMBER = b"/ReportgenPageNumber"  # a page's own: "Page X of Y"
_STRUCTURE = {"/Catalog", "/Pages", "/StructTreeRoot", "/ObjStm", "/XRef"}
# objects the joiner writes itself, numbered first
CATALOG, PAGES, STRUCT_ROOT, DOCUMENT, PARENT_TREE, INFO, SAVE_STATE, DRAW_FURNITURE = range(1, 9)


@dataclass(frozen=True)
class PartPages:
    """A part's PDF; all its pages go into the paper, in order, and its bookmarks into the outline. `labelled`:
    it has content tagged outside its structure tree (`Written.labelled`), looked for only then (a walk of
    the whole tree, ~2.5 ms a page)."""

    pdf: bytes
    bookmarks: tuple[Bookmark, ...] = ()
    labelled: bool = False


@dataclass
class _Page:
    number: int  # other objects (structure elements, links, bookmarks) refer to it by this number
    entries: list[bytes]  # the page dictionary's entries, renumbered, but for those the join sets
    contents: bytes  # a reference, or an array of them
    resources: list[bytes]  # its resources' entries but /XObject (the part's pages share them)
    xobjects: list[bytes]  # the entries of its resources' /XObject
    key: int  # its /StructParents in the joined parent tree


@dataclass(frozen=True)
class _Part:
    """A part opened for joining: its pages, and its structure tree's /Document and parent tree."""

    source: pikepdf.Pdf
    pages: list[Any]
    document: Any
    parents: dict[int, Any]  # the parent tree: /StructParent(s) key -> structure element(s)
    numbers: Numbers
    fonts: set[tuple[int, int]]  # its subset fonts merged into the paper's (`FontFaces`): not copied
    unwritten: set[tuple[int, int]]  # its elements folded into a held one, or held themselves
    continued: bool  # its first element continued the table held from the part before


@dataclass
class _Held:
    """A structure element written only once no later part adds children to it."""

    number: int
    entries: bytes  # its dictionary's entries but /K and /Pg, renumbered
    page: bytes  # its /Pg entry, dropped if a later part adds children (`continued_tables.spread`)
    kids: list[bytes]  # its children, renumbered


@dataclass
class _Continued:
    """How a part went on with the table held from the part before: its elements that are the held ones
    (source id -> held number), the children it adds to each held element, and whether that table still
    ends the part."""

    aliases: dict[tuple[int, int], int] = field(default_factory=dict)
    added: list[tuple[_Held, list[Any]]] = field(default_factory=list)
    still_open: bool = False


@dataclass
class _OpenTable:
    """The table that ended the last part, which the next part's first page may continue: what it must
    match, and its grouping elements (from the top), itself and its last body, held back."""

    continuable: Continuable
    held: list[_Held]


@dataclass(frozen=True)
class Furniture:
    """What is drawn over the pages: `kinds`, a PDF of each kind of page's furniture (one page each);
    `kind_pages`, page by page, the page of `kinds` drawn over it; `numbers`, PDFs of the page numbers
    alone, one page for each page of the paper in order (none when no page is numbered)."""

    kinds: bytes
    kind_pages: tuple[int, ...]
    numbers: tuple[bytes, ...] = ()


def join_parts(parts: Sequence[PartPages], furniture: Furniture,
               sentences: Sequence[tuple[str, str]] = (), groups: RowGroups | None = None,
               passages: Sequence[tuple[str, str]] = ()) -> bytes:
    """One PDF of the parts' pages with the furniture pages drawn over them, page for page; `sentences`: the
    paper's sentences to be read in words (`Paper.spoken_sentences`); `groups`: the plan's group headings, for
    its cells to name (`RowGroups.of(paper)`)."""
    joiner = Joiner(sentences, groups, passages)
    for part in parts:
        joiner.add(part)
    return joiner.finish(furniture)


class Joiner:
    """Joins parts one at a time, in order, as they are laid out; `finish` adds the furniture.

    It keeps what the end needs (page dictionaries, the top of the structure tree, the parent tree's
    entries) and hands every other object to the serialiser as soon as the part is read.
    """

    def __init__(self, sentences: Sequence[tuple[str, str]] = (), groups: RowGroups | None = None,
                 passages: Sequence[tuple[str, str]] = ()) -> None:
        self.sentences = tuple(sentences)  # the paper's to be read in words (`Paper.spoken_sentences`)
        self.passages = tuple(passages)  # its passages in another language (`Paper.other_language_passages`)
        self.groups = groups  # the plan's group headings, named by its cells part after part
        self.writer = PdfSerialiser(first_number=DRAW_FURNITURE + 1)
        self.pages: list[_Page] = []
        self.kids: list[int] = []  # the structure elements under /Document
        self.nums: list[bytes] = []  # the parent tree's entries
        self.next_key = 0
        self.catalog: list[bytes] = []
        self.info = b"<< >>"
        self.parts = 0
        self.digest = hashlib.sha256()
        self.fonts = FontFaces()
        self.bookmarks: list[tuple[int, Bookmark]] = []  # (page index in the paper, bookmark)
        self.ids: list[tuple[bytes, int]] = []  # table headers' IDs and their elements: the tree's /IDTree
        self.open_table: _OpenTable | None = None

    # -- one part

    def add(self, part: PartPages) -> None:
        self.digest.update(hashlib.sha256(part.pdf).digest())
        self.digest.update(repr(part.bookmarks).encode())
        self.bookmarks.extend((len(self.pages) + bookmark.page, bookmark) for bookmark in part.bookmarks)
        opened = self._open(part)
        keys = {page.objgen: self.next_key + index for index, page in enumerate(opened.pages)}
        self.next_key += len(opened.pages)
        links = self._rekey_links(opened)
        tops = self._adopt_top_elements(opened)
        held = self._hold_last_table(opened, tops)
        for obj in opened.source.objects:
            if (obj.objgen in opened.numbers and obj.objgen not in keys and obj.objgen not in opened.fonts
                    and obj.objgen not in opened.unwritten and obj.objgen not in held):
                self.writer.copy(opened.numbers[obj.objgen], obj, opened.numbers,
                                 parent=DOCUMENT if obj.objgen in tops else None)
        for page in opened.pages:
            marked = self.writer.new_number()
            elements = opened.parents.get(int(page.StructParents), pikepdf.Array())
            self.writer.pack(marked, renumber(elements.unparse(), opened.numbers))
            self.nums.append(b"%d %d 0 R" % (keys[page.objgen], marked))
            self.pages.append(_page(page, opened.numbers, keys[page.objgen]))
        self.nums.extend(b"%d %s" % (key, renumber(element.unparse(), opened.numbers)) for key, element in links)
        if self.parts == 0:
            self._take_document_entries(opened)
        self.parts += 1
        self.writer.flush()

    def _open(self, part: PartPages) -> _Part:
        """The part's PDF, its fonts retagged, its tables folded, and numbers for every object the join copies."""
        source = pikepdf.open(io.BytesIO(part.pdf))
        give_words(source, self.sentences)  # arrows, sentences and links read as words, while its fonts are its own
        if not self.parts:  # a passage in Welsh spoken in Welsh (the narrative: the first part)
            give_languages(source, self.passages)
        figure_boxes_in_points(source)  # a chart's layout box where it is on its page
        fonts = self.fonts.take(source, self.writer.new_number)
        if self.parts:
            _retag_fonts(source, f"part{self.parts}")
        tree = source.Root.StructTreeRoot
        document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
        # before folding: a split row's "(continued)" labels (`tall_rows`)
        outside = outside_tree(source) if part.labelled else Outside()
        scoped = scope_table_headers(document, f"part{self.parts}-" if self.parts else "")  # IDs unique in the paper
        folded = fold_continued_tables(document)
        continued = self._continue_table(document, folded)
        if self.groups is not None:  # the rows the part adds to the held table first, then its own tables'
            going_on = continued.added[0][1] if continued.added and self._continues_plan() else []
            self.groups.name_in([*going_on, *self.groups.plan_rows(document)])
        parents = _number_tree(tree.ParentTree)
        for page, mcids in outside.runs.items():
            folded.artifacts.setdefault(page, set()).update(mcids)
        _mark_artifacts(source, folded.artifacts, parents)
        # the join writes its own /Document, parent tree and info; only the first part's metadata is kept
        skip = {document.objgen, tree.ParentTree.objgen, *_kids(tree.ParentTree), *fonts.fonts, *fonts.under,
                *_outline_items(source), *folded.removed, *continued.aliases, *outside.elements,
                *loose_links(source)}
        if "/Info" in source.trailer:
            skip.add(source.trailer.Info.objgen)
        if self.parts and "/Metadata" in source.Root:
            skip.add(source.Root.Metadata.objgen)
        numbers = self._numbers(source.objects, skip) | fonts.fonts | continued.aliases
        for held, kids in continued.added:
            held.kids.extend(b"%d 0 R" % numbers[kid.objgen] for kid in kids)
        self.ids.extend((name, numbers[element.objgen]) for name, element in scoped.ids
                        if name not in folded.dropped_ids)
        pages = [page.obj for page in source.pages]
        return _Part(source, pages, document, parents, numbers, set(fonts.fonts), set(continued.aliases),
                     continued.still_open)

    def _continue_table(self, document: Any, folded: Folded) -> _Continued:
        """When the part's first element continues the table held from the part before, fold it in: its
        grouping elements and bodies become the held ones (`aliases`), their children added to them."""
        open_table, tops = self.open_table, document.get("/K")
        if open_table is None or not isinstance(tops, pikepdf.Array) or not len(tops):
            return _Continued()
        chain = starting_chain(tops[0])
        if chain is None or not continues(open_table.continuable, chain, same_document=False):
            return _Continued()
        table, groups = chain[-1], chain[:-1]
        *held_groups, _, held_body = open_table.held
        rows = continue_rows(table, open_table.continuable.header_ids, folded)
        aliases = {group.objgen: held.number for group, held in zip(groups, held_groups)}
        aliases.update((body.objgen, held_body.number) for body in table.K if str(body.S) == "/TBody")
        added = [(held_body, rows), *((held, list(group.K)[1:]) for group, held in zip(groups, held_groups))]
        document.K = pikepdf.Array(list(tops)[1:])
        still_open = len(tops) == 1 and all(len(group.K) == 1 for group in groups)  # it still ends the part
        return _Continued(aliases, added, still_open)

    def _continues_plan(self) -> bool:
        """Whether the table held from the part before, which this part went on with, is the plan."""
        shape = self.open_table.continuable.shape if self.open_table is not None else ()
        return self.groups is not None and bool(shape) and len(shape[0]) == self.groups.columns

    def _hold_last_table(self, part: _Part, tops: set[tuple[int, int]]) -> set[tuple[int, int]]:
        """Hold back the part's last table, what it hangs from and its last body, for the next
        part to continue; the table held before is written, unless this part went on with it to its end."""
        if part.continued:
            return set()
        self._write_open_table()
        kids = part.document.get("/K")
        chain = ending_chain(kids[-1]) if isinstance(kids, pikepdf.Array) and len(kids) else None
        if chain is None:
            return set()
        holding = [*chain, chain[-1].K[-1]]
        held = []
        for element in holding:
            entries = [entry(key, value, part.numbers) for key, value in element.items() if key not in ("/K", "/Pg")]
            if element.objgen in tops:
                entries.insert(0, b"/P %d 0 R" % DOCUMENT)
            page = entry("/Pg", element.Pg, part.numbers) if "/Pg" in element else b""
            held.append(_Held(part.numbers[element.objgen], b" ".join(entries), page,
                              [renumber(element.K.unparse(), part.numbers)[1:-1].strip()]))
        self.open_table = _OpenTable(continuable(chain), held)
        return {element.objgen for element in holding}

    def _write_open_table(self) -> None:
        if self.open_table is not None:
            continued = len(self.open_table.held[-1].kids) > 1  # rows added to its body
            for held in self.open_table.held:
                entries = held.entries if continued or not held.page else held.entries + b" " + held.page
                self.writer.pack(held.number, b"<< %s /K [ %s ] >>" % (entries, b" ".join(held.kids)))
            self.open_table = None

    def _rekey_links(self, part: _Part) -> list[tuple[int, Any]]:
        """Give each link annotation a /StructParent key of the joined parent tree: (key, its element)."""
        links: list[tuple[int, Any]] = []
        for page in part.pages:
            for annotation in page.get("/Annots", []):
                if "/StructParent" in annotation:
                    element = part.parents[int(annotation.StructParent)]
                    annotation.StructParent = self.next_key
                    links.append((self.next_key, element))
                    self.next_key += 1
        return links

    def _adopt_top_elements(self, part: _Part) -> set[tuple[int, int]]:
        """The part's elements under its /Document go under the joined one: their source ids."""
        tops = set()
        for kid in part.document.K:
            tops.add(kid.objgen)
            self.kids.append(part.numbers[kid.objgen])
            if "/P" in kid:
                del kid["/P"]  # the joined /Document is its parent: put back when it is written
        return tops

    def _take_document_entries(self, part: _Part) -> None:
        """The catalog's entries (language, metadata, viewer preferences…) and the info of the first part."""
        self.catalog = [entry(key, value, part.numbers) for key, value in part.source.Root.items()
                        if key not in ("/Type", "/Pages", "/StructTreeRoot", "/Outlines")]
        if "/Info" in part.source.trailer:
            self.info = renumber(part.source.trailer.Info.unparse(resolved=True), part.numbers)

    def _numbers(self, objects: Iterable[Any], skip: set[tuple[int, int]]) -> Numbers:
        numbers: Numbers = {}
        for obj in objects:
            kind = str(obj.get("/Type")) if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) else ""
            if obj.objgen not in skip and kind not in _STRUCTURE:
                numbers[obj.objgen] = self.writer.new_number()
        return numbers

    # -- the end

    def finish(self, furniture: Furniture) -> bytes:
        if not self.parts:
            raise ReportgenError("no parts to join")
        if len(furniture.kind_pages) != len(self.pages):
            raise ReportgenError(f"furniture for {len(furniture.kind_pages)} pages, not {len(self.pages)}")
        kind_forms = self._furniture(furniture.kinds, "kinds", set(furniture.kind_pages))
        forms: list[tuple[tuple[bytes, int], ...]] = [((FURNITURE, kind_forms[kind]),) for kind in furniture.kind_pages]
        if furniture.numbers:
            numbers = [form for index, data in enumerate(furniture.numbers)
                       for form in self._furniture(data, f"numbers{index}").values()]
            if len(numbers) != len(self.pages):
                raise ReportgenError(f"{len(numbers)} page numbers for {len(self.pages)} pages")
            forms = [(*drawn, (PAGE_NUMBER, number)) for drawn, number in zip(forms, numbers)]
        self.writer.stream(SAVE_STATE, b"<<", b"q\n")
        self.writer.stream(DRAW_FURNITURE, b"<<", b"Q\n" + b"".join(name + b" Do\n" for name, _ in forms[0]))
        self._write_pages(forms)
        self._write_open_table()
        self._write_structure()
        outlines = self._write_outlines()
        self.fonts.write(self.writer)
        self.writer.pack(CATALOG, b"<< " + b" ".join([b"/Type /Catalog", b"/Pages %d 0 R" % PAGES,
                                                     b"/StructTreeRoot %d 0 R" % STRUCT_ROOT, *self.catalog,
                                                     *outlines]) + b" >>")
        self.writer.pack(INFO, self.info)
        return self.writer.finish(CATALOG, INFO, self.digest.hexdigest()[:32].encode())

    def _write_pages(self, forms: Sequence[Sequence[tuple[bytes, int]]]) -> None:
        """Each page with its furniture forms drawn over its content, and the page tree."""
        kids = []
        for page, drawn in zip(self.pages, forms):
            number = page.number
            kids.append(b"%d 0 R" % number)
            if any(item.startswith((FURNITURE + b" ", PAGE_NUMBER + b" ")) for item in page.xobjects):
                raise ReportgenError("a page already uses the furniture's resource name")
            over = [name + b" %d 0 R" % form for name, form in drawn]
            xobjects = b"<< " + b" ".join([*page.xobjects, *over]) + b" >>"
            resources = b"<< " + b" ".join([*page.resources, b"/XObject " + xobjects]) + b" >>"
            contents = page.contents[1:-1] if page.contents.startswith(b"[") else page.contents
            self.writer.pack(number, b"<< " + b" ".join([
                *page.entries, b"/Parent %d 0 R" % PAGES, b"/StructParents %d" % page.key,
                b"/Resources " + resources,
                b"/Contents [ %d 0 R %s %d 0 R ]" % (SAVE_STATE, contents.strip(), DRAW_FURNITURE)]) + b" >>")
        self.writer.pack(PAGES, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(kids), b" ".join(kids)))

    def _write_structure(self) -> None:
        """The joined /Document element over every part's elements, the parent tree and the tree's root."""
        self.writer.pack(DOCUMENT, b"<< /Type /StructElem /S /Document /P %d 0 R /K [ %s ] >>"
                         % (STRUCT_ROOT, b" ".join(b"%d 0 R" % kid for kid in self.kids)))
        self.writer.pack(PARENT_TREE, b"<< /Nums [ " + b" ".join(self.nums) + b" ] >>")
        ids = b""
        if self.ids:  # one node: each ID (a hex string), in order, to its element
            ids = b" /IDTree %d 0 R" % (tree := self.writer.new_number())
            self.writer.pack(tree, b"<< /Names [ " + b" ".join(b"<%s> %d 0 R" % (name.hex().encode(), number)
                                                               for name, number in sorted(self.ids)) + b" ] >>")
        self.writer.pack(STRUCT_ROOT, b"<< /Type /StructTreeRoot /K [ %d 0 R ] /ParentTree %d 0 R "
                         b"/ParentTreeNextKey %d%s >>" % (DOCUMENT, PARENT_TREE, self.next_key, ids))

    def _write_outlines(self) -> list[bytes]:
        """The paper's outline from every part's bookmarks: the catalog's /Outlines entry, if any."""
        tree = bookmark_tree(self.bookmarks)
        if not tree:
            return []
        root = self.writer.new_number()
        count = self._write_outline_items(tree, root)
        self.writer.pack(root, b"<< /Count %d /First %d 0 R /Last %d 0 R >>" % (count, tree[0].number, tree[-1].number))
        return [b"/Outlines %d 0 R" % root]

    def _write_outline_items(self, items: list[_Outline], parent: int) -> int:
        """Write `items` (numbered first, for their neighbours' links) and their children; return how
        many items a viewer shows under `parent` when it opens (as WeasyPrint counts them)."""
        for item in items:
            item.number = self.writer.new_number()
        count = len(items)
        for index, item in enumerate(items):
            children = self._write_outline_items(item.children, item.number) if item.children else 0
            if item.bookmark.open:
                count += children
            links = [b"/Parent %d 0 R" % parent]
            if index:
                links.append(b"/Prev %d 0 R" % items[index - 1].number)
            if index + 1 < len(items):
                links.append(b"/Next %d 0 R" % items[index + 1].number)
            if item.children:
                links.append(b"/First %d 0 R /Last %d 0 R" % (item.children[0].number, item.children[-1].number))
            bookmark = item.bookmark
            destination = b"[ %d 0 R /XYZ %s %s 0 ]" % (self.pages[item.page].number, _real(bookmark.x),
                                                         _real(bookmark.y))
            self.writer.pack(item.number, b"<< /Title %s /Dest %s /Count %d %s >>" % (
                pikepdf.String(bookmark.label).unparse(), destination, children if bookmark.open else -children,
                b" ".join(links)))
        return count

    def _furniture(self, data: bytes, name: str, used: set[int] | None = None) -> dict[int, int]:
        """Write a furniture PDF's resources and, for each page (each of `used`), a form of its content
        as an artifact: {page index: form's object number}."""
        self.digest.update(hashlib.sha256(data).digest())
        source = pikepdf.open(io.BytesIO(data))
        fonts = self.fonts.take(source, self.writer.new_number)
        _retag_fonts(source, f"furniture-{name}")
        kept = [(index, page) for index, page in enumerate(source.pages) if used is None or index in used]
        pages = [page.obj for _, page in kept]
        # only what the pages' resources use: the pages become forms, their structure tree is dropped
        needed = reachable(page.Resources for page in pages) - fonts.fonts.keys() - fonts.under
        numbers: Numbers = dict(fonts.fonts)
        for obj in source.objects:
            if obj.objgen in needed:
                numbers[obj.objgen] = self.writer.new_number()
        for obj in source.objects:
            if obj.objgen in needed:
                self.writer.copy(numbers[obj.objgen], obj, numbers)
        forms = {}
        for index, page in kept:
            number = self.writer.new_number()
            content = zlib.compress(_as_artifact(page), 6)
            box = page.obj.MediaBox.unparse()
            resources = renumber(page.obj.Resources.unparse(), numbers)
            self.writer.stream(number, b"<< /Type /XObject /Subtype /Form /BBox %s /Resources %s "
                               b"/Filter /FlateDecode" % (box, resources), content)
            forms[index] = number
        self.writer.flush()
        return forms


@dataclass
class _Outline:
    page: int  # in the paper, from 0
    bookmark: Bookmark
    children: list[_Outline]
    number: int = 0  # its object, once numbered


def bookmark_tree(bookmarks: Sequence[tuple[int, Bookmark]]) -> list[_Outline]:
    """Bookmarks (page, bookmark) in document order, nested by their levels as WeasyPrint nests them
    (`weasyprint.anchors.make_page_bookmark_tree`): a level skipped (an h2, then an h4) adds no depth."""
    root: list[_Outline] = []
    skipped: list[int] = []  # at each depth, how many levels were skipped to reach it
    last_by_depth = [root]
    previous = 0
    for page, bookmark in bookmarks:
        level = bookmark.level
        if level > previous:
            skipped.append(level - previous - 1)
        else:
            reached = level
            while reached < previous:
                reached += 1 + skipped.pop()
            if reached > previous:
                skipped.append(reached - previous - 1)
        previous = level
        depth = level - sum(skipped)
        item = _Outline(page, bookmark, [])
        last_by_depth[depth - 1].append(item)
        del last_by_depth[depth:]
        last_by_depth.append(item.children)
    return root


def _real(value: float) -> bytes:
    """A number as a PDF real: at most four decimals, no exponent."""
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".") or b"0"


def _outline_items(source: pikepdf.Pdf) -> set[tuple[int, int]]:
    """The part's own outline (its root and every item): the joiner writes the paper's instead."""
    found: set[tuple[int, int]] = set()
    if "/Outlines" not in source.Root:
        return found
    waiting = [source.Root.Outlines]
    while waiting:
        item = waiting.pop()
        if item.objgen in found:
            continue
        found.add(item.objgen)
        waiting.extend(item[key] for key in ("/First", "/Next") if key in item)
    return found


def _page(page: Any, numbers: Numbers, key: int) -> _Page:
    resources = page.Resources
    xobjects = resources.get("/XObject", pikepdf.Dictionary())
    return _Page(
        number=numbers[page.objgen],
        entries=[entry(name, value, numbers) for name, value in page.items()
                 if name not in ("/Parent", "/StructParents", "/Resources", "/Contents")],
        contents=renumber(page.Contents.unparse(), numbers),
        resources=[entry(name, value, numbers) for name, value in resources.items() if name != "/XObject"],
        xobjects=[entry(name, value, numbers) for name, value in xobjects.items()],
        key=key,
    )


def _kids(node: Any) -> list[tuple[int, int]]:
    found = []
    for kid in node.get("/Kids", []):
        found.append(kid.objgen)
        found.extend(_kids(kid))
    return found


def _number_tree(node: Any) -> dict[int, Any]:
    """A number tree's entries (flat /Nums, or /Kids of those) as a dict."""
    entries: dict[int, Any] = {}
    nums = node.get("/Nums")
    if nums is not None:
        for at in range(0, len(nums), 2):
            entries[int(nums[at])] = nums[at + 1]
    for kid in node.get("/Kids", []):
        entries.update(_number_tree(kid))
    return entries


# ---------------------------------------------------------------- fonts and furniture


def _retag_fonts(pdf: pikepdf.Pdf, salt: str) -> None:
    """Give each embedded subset font a tag no other part uses (same font and salt, same tag)."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        for key in ("/BaseFont", "/FontName"):
            name = str(obj.get(key, ""))
            if len(name) > 8 and name[7] == "+":
                obj[key] = Name("/" + subset_tag(f"{name[1:7]}:{salt}".encode()) + name[7:])


def _mark_artifacts(source: pikepdf.Pdf, artifacts: dict[tuple[int, int], set[int]], parents: dict[int, Any]) -> None:
    """Make the marked runs `artifacts` names (page -> MCIDs) pagination artifacts, in each page's content
    stream (rewritten in place: the same object) and its parent tree entry."""
    for page in source.pages:
        mcids = artifacts.get(page.obj.objgen)
        if not mcids:
            continue
        contents = page.obj.Contents
        if not isinstance(contents, pikepdf.Stream):
            raise ReportgenError("a part's page has its content in several streams")
        contents.write(zlib.compress(marked_as_artifacts(page, mcids), 6), filter=Name.FlateDecode)
        elements = parents[int(page.obj.StructParents)]
        for mcid in mcids:
            elements[mcid] = None


def _as_artifact(page: pikepdf.Page) -> bytes:
    """A furniture page's content with every tagged run marked as an artifact instead."""
    commands: list[Any] = []
    for command in pikepdf.parse_content_stream(page):
        if str(command.operator) == "BDC":  # e.g. /P <</MCID 3>> BDC: a structure element's content
            commands.append(pikepdf.ContentStreamInstruction([Name.Artifact], pikepdf.Operator("BMC")))
        else:
            commands.append(command)
    return pikepdf.unparse_content_stream(commands)
