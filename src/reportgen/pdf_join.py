"""Join the PDFs of a paper's parts (see `reportgen.pdf_parts`) into one tagged PDF, part by part.

A PDF library (pikepdf/QPDF) holds every object of a result in memory until it saves it: ~0.4 MiB a page
with WeasyPrint's structure tree, over 1.5 GiB for 3,800 pages. This joiner writes each part's objects
as the part comes (renumbered, the small ones packed into compressed object streams) and keeps only
what the end needs: the page dictionaries, the top of the structure tree, the parent tree's keys.

What a join must keep right, and how:

- pages: each part's pages, in order, under one page tree;
- tags (PDF/UA): WeasyPrint builds the structure tree page by page (one subtree per page under its
  /Document element), so the joined tree is every part's subtrees under one /Document element, and
  the parent tree (marked content and link annotations to their structure elements) is renumbered;
- links: their annotations travel with their pages and keep their /StructParent (renumbered);
- bookmarks, language, title, XMP metadata, viewer preferences: from the first part (the front, the
  only part with headings); a later part with bookmarks is refused;
- fonts: each part embeds its own subsets, tagged from the font alone; a PDF must not give two subsets
  one tag, so the subsets of later parts get tags of their own;
- page furniture (running title, marking, "Page X of Y"): each furniture page becomes a form drawn
  over its page, marked as an artifact (page furniture is not part of the document's structure).

Reproducible: the same parts give the same bytes (the file identifier is a hash of the parts).
"""

from __future__ import annotations

import hashlib
import io
import re
import string
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf import Name

from reportgen.errors import ReportgenError

OBJECTS_PER_STREAM = 200
FURNITURE = b"/ReportgenFurniture"
# in unparsed objects (QPDF escapes every parenthesis in a string): a string, or a reference N G R
_TOKENS = re.compile(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>|(?<![\w.+/-])(\d+) (\d+) R(?![\w])", re.S)
_LENGTH = re.compile(rb"/Length (?:\d+ \d+ R|\d+)")
_STRUCTURE = {"/Catalog", "/Pages", "/StructTreeRoot", "/ObjStm", "/XRef"}
# objects the joiner writes itself, numbered first
CATALOG, PAGES, STRUCT_ROOT, DOCUMENT, PARENT_TREE, INFO, SAVE_STATE, DRAW_FURNITURE = range(1, 9)

Numbers = dict[tuple[int, int], int]


@dataclass(frozen=True)
class PartPages:
    """A part's PDF; all its pages go into the paper, in order."""

    pdf: bytes


@dataclass
class _Page:
    number: int  # other objects (structure elements, links, bookmarks) refer to it by this number
    entries: list[bytes]  # the page dictionary's entries, renumbered, but for those the join sets
    contents: bytes  # a reference, or an array of them
    resources: list[bytes]  # its resources' entries but /XObject (the part's pages share them)
    xobjects: list[bytes]  # the entries of its resources' /XObject
    key: int  # its /StructParents in the joined parent tree


def join_parts(parts: Sequence[PartPages], furniture: Sequence[bytes]) -> bytes:
    """One PDF of the parts' pages with the furniture pages drawn over them, page for page."""
    joiner = Joiner()
    for part in parts:
        joiner.add(part)
    return joiner.finish(furniture)


class Joiner:
    """Joins parts one at a time, in order, as they are laid out; `finish` adds the furniture."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.xref: dict[int, tuple[int, int, int]] = {}  # object number -> cross-reference entry
        self.packed: list[tuple[int, bytes]] = []  # small objects waiting for an object stream
        self.next_number = DRAW_FURNITURE + 1
        self.pages: list[_Page] = []
        self.kids: list[int] = []  # the structure elements under /Document
        self.nums: list[bytes] = []  # the parent tree's entries
        self.next_key = 0
        self.catalog: list[bytes] = []
        self.info = b"<< >>"
        self.parts = 0
        self.digest = hashlib.sha256()

    # -- one part

    def add(self, part: PartPages) -> None:
        self.digest.update(hashlib.sha256(part.pdf).digest())
        source = pikepdf.open(io.BytesIO(part.pdf))
        if self.parts and "/Outlines" in source.Root:
            raise ReportgenError("only the first part of a paper may have bookmarks")
        if self.parts:
            _retag_fonts(source, f"part{self.parts}")
        tree = source.Root.StructTreeRoot
        document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
        parents = _number_tree(tree.ParentTree)
        skip = {document.objgen, tree.ParentTree.objgen, *_kids(tree.ParentTree)}
        if "/Info" in source.trailer:
            skip.add(source.trailer.Info.objgen)
        if self.parts and "/Metadata" in source.Root:
            skip.add(source.Root.Metadata.objgen)
        numbers = self._numbers(source.objects, skip)
        pages = [page.obj for page in source.pages]
        keys = {page.objgen: self.next_key + index for index, page in enumerate(pages)}
        self.next_key += len(pages)
        annotation_keys: list[tuple[int, Any]] = []
        for page in pages:
            for annotation in page.get("/Annots", []):
                if "/StructParent" in annotation:
                    element = parents[int(annotation.StructParent)]
                    annotation.StructParent = self.next_key
                    annotation_keys.append((self.next_key, element))
                    self.next_key += 1
        tops = set()
        for kid in document.K:
            tops.add(kid.objgen)
            self.kids.append(numbers[kid.objgen])
            if "/P" in kid:
                del kid["/P"]  # the joined /Document is its parent: put back when it is written
        page_objects = set(keys)
        for obj in source.objects:
            if obj.objgen in numbers and obj.objgen not in page_objects:
                self._put(numbers[obj.objgen], obj, numbers, top=obj.objgen in tops)
        for page in pages:
            marked = self._new_number()
            self._pack(marked, _renumber(parents.get(int(page.StructParents), pikepdf.Array()).unparse(), numbers))
            self.nums.append(b"%d %d 0 R" % (keys[page.objgen], marked))
            self.pages.append(_page(page, numbers, keys[page.objgen]))
        self.nums.extend(b"%d %s" % (key, _renumber(element.unparse(), numbers)) for key, element in annotation_keys)
        if self.parts == 0:
            self.catalog = [_entry(key, value, numbers) for key, value in source.Root.items()
                            if key not in ("/Type", "/Pages", "/StructTreeRoot")]
            if "/Info" in source.trailer:
                self.info = _renumber(source.trailer.Info.unparse(resolved=True), numbers)
        self.parts += 1
        self._flush()

    # -- the end

    def finish(self, furniture: Sequence[bytes]) -> bytes:
        if not self.parts:
            raise ReportgenError("no parts to join")
        forms = [form for number, data in enumerate(furniture) for form in self._furniture(data, number)]
        if len(forms) != len(self.pages):
            raise ReportgenError(f"{len(forms)} furniture pages for {len(self.pages)} pages")
        self._stream(SAVE_STATE, b"<<", b"q\n")
        self._stream(DRAW_FURNITURE, b"<<", b"Q\n" + FURNITURE + b" Do\n")
        kids = []
        for page, form in zip(self.pages, forms):
            number = page.number
            kids.append(b"%d 0 R" % number)
            if any(entry.startswith(FURNITURE + b" ") for entry in page.xobjects):
                raise ReportgenError("a page already uses the furniture's resource name")
            xobjects = b"<< " + b" ".join([*page.xobjects, FURNITURE + b" %d 0 R" % form]) + b" >>"
            resources = b"<< " + b" ".join([*page.resources, b"/XObject " + xobjects]) + b" >>"
            contents = page.contents[1:-1] if page.contents.startswith(b"[") else page.contents
            self._pack(number, b"<< " + b" ".join([
                *page.entries, b"/Parent %d 0 R" % PAGES, b"/StructParents %d" % page.key,
                b"/Resources " + resources,
                b"/Contents [ %d 0 R %s %d 0 R ]" % (SAVE_STATE, contents.strip(), DRAW_FURNITURE)]) + b" >>")
        self._pack(PAGES, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(kids), b" ".join(kids)))
        self._pack(DOCUMENT, b"<< /Type /StructElem /S /Document /P %d 0 R /K [ %s ] >>"
                   % (STRUCT_ROOT, b" ".join(b"%d 0 R" % kid for kid in self.kids)))
        self._pack(PARENT_TREE, b"<< /Nums [ " + b" ".join(self.nums) + b" ] >>")
        self._pack(STRUCT_ROOT, b"<< /Type /StructTreeRoot /K [ %d 0 R ] /ParentTree %d 0 R /ParentTreeNextKey %d >>"
                   % (DOCUMENT, PARENT_TREE, self.next_key))
        self._pack(CATALOG, b"<< " + b" ".join([b"/Type /Catalog", b"/Pages %d 0 R" % PAGES,
                                               b"/StructTreeRoot %d 0 R" % STRUCT_ROOT, *self.catalog]) + b" >>")
        self._pack(INFO, self.info)
        self._flush()
        self._write_xref()
        return self.out.getvalue()

    def _furniture(self, data: bytes, index: int) -> list[int]:
        """Write a furniture PDF's resources and, for each page, a form of its content as an artifact."""
        self.digest.update(hashlib.sha256(data).digest())
        source = pikepdf.open(io.BytesIO(data))
        _retag_fonts(source, f"furniture{index}")
        pages = [page.obj for page in source.pages]
        # only what the pages' resources use: the pages become forms, their structure tree is dropped
        needed = _reachable(page.Resources for page in pages)
        numbers: Numbers = {}
        for obj in source.objects:
            if obj.objgen in needed:
                numbers[obj.objgen] = self._new_number()
        for obj in source.objects:
            if obj.objgen in numbers:
                self._put(numbers[obj.objgen], obj, numbers, top=False)
        forms = []
        for page in source.pages:
            number = self._new_number()
            content = zlib.compress(_as_artifact(page), 6)
            box = page.obj.MediaBox.unparse()
            resources = _renumber(page.obj.Resources.unparse(), numbers)
            self._stream(number, b"<< /Type /XObject /Subtype /Form /BBox %s /Resources %s /Filter /FlateDecode"
                         % (box, resources), content)
            forms.append(number)
        self._flush()
        return forms

    # -- writing

    def _numbers(self, objects: Iterable[Any], skip: set[tuple[int, int]]) -> Numbers:
        numbers: Numbers = {}
        for obj in objects:
            kind = str(obj.get("/Type")) if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) else ""
            if obj.objgen not in skip and kind not in _STRUCTURE:
                numbers[obj.objgen] = self._new_number()
        return numbers

    def _new_number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def _put(self, number: int, obj: Any, numbers: Numbers, top: bool) -> None:
        if isinstance(obj, pikepdf.Stream):
            raw = obj.read_raw_bytes()
            head = _LENGTH.sub(b"", obj.stream_dict.unparse(resolved=True), count=1)
            self._stream(number, _renumber(head.rstrip()[:-2], numbers), raw)
            return
        body = _renumber(obj.unparse(resolved=True), numbers)
        if top:
            body = b"<< /P %d 0 R " % DOCUMENT + body[2:]
        self._pack(number, body)

    def _stream(self, number: int, head: bytes, data: bytes) -> None:
        """`head`: a dictionary's opening and entries, without its closing >> and /Length."""
        self.xref[number] = (1, self.out.tell(), 0)
        self.out.write(b"%d 0 obj\n%s /Length %d >>\nstream\n" % (number, head, len(data)))
        self.out.write(data)
        self.out.write(b"\nendstream\nendobj\n")

    def _pack(self, number: int, body: bytes) -> None:
        self.packed.append((number, body))
        if len(self.packed) >= OBJECTS_PER_STREAM:
            self._flush()

    def _flush(self) -> None:
        """Write the waiting small objects, in object streams of at most OBJECTS_PER_STREAM."""
        while self.packed:
            batch, self.packed = self.packed[:OBJECTS_PER_STREAM], self.packed[OBJECTS_PER_STREAM:]
            number = self._new_number()
            offsets, position = [], 0
            for index, (member, body) in enumerate(batch):
                offsets.append(b"%d %d" % (member, position))
                position += len(body) + 1
                self.xref[member] = (2, number, index)
            header = b" ".join(offsets) + b"\n"
            data = zlib.compress(header + b"".join(body + b"\n" for _, body in batch), 6)
            self._stream(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(batch), len(header)),
                         data)

    def _write_xref(self) -> None:
        number = self._new_number()
        self.xref[number] = (1, self.out.tell(), 0)
        rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
        for n in range(1, number + 1):
            kind, field, index = self.xref.get(n, (0, 0, 0))
            rows.append(bytes([kind]) + field.to_bytes(4, "big") + index.to_bytes(2, "big"))
        identifier = self.digest.hexdigest()[:32].encode()
        data = zlib.compress(b"".join(rows), 6)
        self.out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R /Info %d 0 R "
                       b"/ID [ <%s> <%s> ] /Filter /FlateDecode /Length %d >>\nstream\n"
                       % (number, number + 1, CATALOG, INFO, identifier, identifier, len(data)))
        self.out.write(data)
        self.out.write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % self.xref[number][1])


def _page(page: Any, numbers: Numbers, key: int) -> _Page:
    resources = page.Resources
    xobjects = resources.get("/XObject", pikepdf.Dictionary())
    return _Page(
        number=numbers[page.objgen],
        entries=[_entry(name, value, numbers) for name, value in page.items()
                 if name not in ("/Parent", "/StructParents", "/Resources", "/Contents")],
        contents=_renumber(page.Contents.unparse(), numbers),
        resources=[_entry(name, value, numbers) for name, value in resources.items() if name != "/XObject"],
        xobjects=[_entry(name, value, numbers) for name, value in xobjects.items()],
        key=key,
    )


def _entry(name: str, value: Any, numbers: Numbers) -> bytes:
    """`/Name value` of a dictionary entry, renumbered (an indirect value stays a reference)."""
    data = pikepdf.Array([value]).unparse()[1:-1].strip()  # pikepdf gives numbers and booleans as Python's
    return Name(name).unparse() + b" " + _renumber(data, numbers)


def _renumber(data: bytes, numbers: Numbers) -> bytes:
    """`data` (unparsed PDF objects) with each reference `N G R` to a source object renumbered."""

    def swap(match: re.Match[bytes]) -> bytes:
        if match[1] is None:
            return match[0]  # a string: left alone
        source = (int(match[1]), int(match[2]))
        if source not in numbers:
            raise ReportgenError(f"a part refers to object {source}, which the join does not write")
        return b"%d 0 R" % numbers[source]

    return _TOKENS.sub(swap, data)


def _reachable(roots: Iterable[Any]) -> set[tuple[int, int]]:
    """The indirect objects `roots` lead to, through any references."""
    found: set[tuple[int, int]] = set()
    todo = list(roots)
    while todo:
        obj = todo.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in found:
                continue
            found.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            todo.extend(obj.stream_dict.values())
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Array)):
            todo.extend(obj.values() if isinstance(obj, pikepdf.Dictionary) else obj)
    return found


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
        for field in ("/BaseFont", "/FontName"):
            name = str(obj.get(field, ""))
            if len(name) > 8 and name[7] == "+":
                obj[field] = Name("/" + _tag(name[1:7], salt) + name[7:])


def _tag(old: str, salt: str) -> str:
    digest = hashlib.sha256(f"{old}:{salt}".encode()).digest()
    return "".join(string.ascii_uppercase[byte % 26] for byte in digest[:6])


def _as_artifact(page: pikepdf.Page) -> bytes:
    """A furniture page's content with every tagged run marked as an artifact instead."""
    commands: list[Any] = []
    for command in pikepdf.parse_content_stream(page):
        if str(command.operator) == "BDC":  # e.g. /P <</MCID 3>> BDC: a structure element's content
            commands.append(pikepdf.ContentStreamInstruction([Name.Artifact], pikepdf.Operator("BMC")))
        else:
            commands.append(command)
    return pikepdf.unparse_content_stream(commands)
