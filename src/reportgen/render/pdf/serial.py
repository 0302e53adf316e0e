"""Write a PDF object by object into memory, for the part joiner (`reportgen.render.pdf.join`).

The serialiser knows PDF syntax only: object numbers, streams, small objects packed into compressed
object streams, and the cross-reference stream at the end. It copies a source object (from pikepdf)
with its references renumbered, but decides nothing about pages or tags: that is the joiner's part.

Why by hand rather than with pikepdf: pikepdf/QPDF keeps every object of a result in memory until it
saves, and a 3,800-page paper then needs over 1.5 GiB; here each object is written as it comes.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable
from typing import Any

import pikepdf
from pikepdf import Name

from reportgen.errors import ReportgenError

OBJECTS_PER_STREAM = 200
_ROW = 7  # bytes of a cross-reference row: /W [ 1 4 2 ]
# in unparsed objects (QPDF escapes every parenthesis in a string): a string, or a reference N G R
_TOKENS = re.compile(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>|(?<![\w.+/-])(\d+) (\d+) R(?![\w])", re.S)
_LENGTH = re.compile(rb"/Length (?:\d+ \d+ R|\d+)")

Numbers = dict[tuple[int, int], int]  # a source object's (number, generation) -> its number in the output


class PdfSerialiser:
    """A PDF being written: objects go out as they are given; `finish` writes the cross-reference."""

    def __init__(self, first_number: int) -> None:
        """Object numbers below `first_number` are kept for objects the caller writes at the end."""
        self.out = io.BytesIO()
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        # the cross-reference stream's rows, object by object (`_entry`): 7 bytes an object, where a dict
        # of tuples took ~150 (a 4,000-page paper has ~600,000 objects); object 0 heads the free list
        self.rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
        self.packed: list[tuple[int, bytes]] = []  # small objects waiting for an object stream
        self.next_number = first_number

    def new_number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def copy(self, number: int, obj: Any, numbers: Numbers, parent: int | None = None) -> None:
        """Write source object `obj` as object `number`, its references renumbered by `numbers`;
        with `parent`, a dictionary gets `/P parent` first (a structure element given a new parent)."""
        if isinstance(obj, pikepdf.Stream):
            raw = obj.read_raw_bytes()
            head = _LENGTH.sub(b"", obj.stream_dict.unparse(resolved=True), count=1)
            self.stream(number, renumber(head.rstrip()[:-2], numbers), raw)
            return
        body = renumber(obj.unparse(resolved=True), numbers)
        if parent is not None:
            body = b"<< /P %d 0 R " % parent + body[2:]
        self.pack(number, body)

    def stream(self, number: int, head: bytes, data: bytes) -> None:
        """`head`: a dictionary's opening and entries, without its closing >> and /Length."""
        self._entry(number, 1, self.out.tell(), 0)
        self.out.write(b"%d 0 obj\n%s /Length %d >>\nstream\n" % (number, head, len(data)))
        self.out.write(data)
        self.out.write(b"\nendstream\nendobj\n")

    def pack(self, number: int, body: bytes) -> None:
        """Object `number` (not a stream) goes into the next object stream."""
        self.packed.append((number, body))
        if len(self.packed) >= OBJECTS_PER_STREAM:
            self.flush()

    def flush(self) -> None:
        """Write the waiting small objects, in object streams of at most OBJECTS_PER_STREAM."""
        while self.packed:
            batch, self.packed = self.packed[:OBJECTS_PER_STREAM], self.packed[OBJECTS_PER_STREAM:]
            number = self.new_number()
            offsets, position = [], 0
            for index, (member, body) in enumerate(batch):
                offsets.append(b"%d %d" % (member, position))
                position += len(body) + 1
                self._entry(member, 2, number, index)
            header = b" ".join(offsets) + b"\n"
            data = zlib.compress(header + b"".join(body + b"\n" for _, body in batch), 6)
            self.stream(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(batch), len(header)),
                        data)

    def finish(self, root: int, info: int, identifier: bytes) -> bytes:
        """The whole file: what is waiting, then the cross-reference stream naming `root` and `info`."""
        self.flush()
        number = self.new_number()
        start = self.out.tell()
        self._entry(number, 1, start, 0)
        data = zlib.compress(self.rows, 6)
        self.out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R /Info %d 0 R "
                       b"/ID [ <%s> <%s> ] /Filter /FlateDecode /Length %d >>\nstream\n"
                       % (number, number + 1, root, info, identifier, identifier, len(data)))
        self.out.write(data)
        self.out.write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)
        return self.out.getvalue()

    def _entry(self, number: int, kind: int, field: int, index: int) -> None:
        """Object `number`'s row: in use at offset `field` (kind 1), or `index`-th in object stream `field`
        (kind 2). Numbers never given a row are free (all zeros)."""
        end = (number + 1) * _ROW
        if len(self.rows) < end:
            self.rows.extend(bytes(end - len(self.rows)))
        self.rows[end - _ROW:end] = bytes([kind]) + field.to_bytes(4, "big") + index.to_bytes(2, "big")


def entry(name: str, value: Any, numbers: Numbers) -> bytes:
    """`/Name value` of a dictionary entry, renumbered (an indirect value stays a reference)."""
    data = pikepdf.Array([value]).unparse()[1:-1].strip()  # pikepdf gives numbers and booleans as Python's
    return Name(name).unparse() + b" " + renumber(data, numbers)


def renumber(data: bytes, numbers: Numbers) -> bytes:
    """`data` (unparsed PDF objects) with each reference `N G R` to a source object renumbered."""

    def swap(match: re.Match[bytes]) -> bytes:
        if match[1] is None:
            return match[0]  # a string: left alone
        source = (int(match[1]), int(match[2]))
        if source not in numbers:
            raise ReportgenError(f"a part refers to object {source}, which the join does not write")
        return b"%d 0 R" % numbers[source]

    return _TOKENS.sub(swap, data)


def reachable(roots: Iterable[Any]) -> set[tuple[int, int]]:
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
