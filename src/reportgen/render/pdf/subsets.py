"""One embedded subset per font face in a joined PDF (`reportgen.render.pdf.join`).

Each part WeasyPrint writes embeds its own subset of every font it uses: the sample's PDF had 13
subsets of three faces, the 1,500-action benchmark's 62 subsets of two (8% of its bytes). The joiner
hands each part's fonts here, and a face's subsets become one font.

Why that needs no change to the pages: WeasyPrint shows text by glyph id (Identity-H, CIDToGIDMap
Identity) and subsets a font keeping the ids of the glyphs up to the last one the part uses (HarfBuzz's
RETAIN_GIDS, then a second pass that drops the ids after it). So the glyph ids the pages show are the
font's own in every subset of a face. Only glyphs drawn as parts of others (a composite glyph's
components: "·" is drawn from "∙") may sit after the last one used, renumbered by the subsetter, at
different ids in different subsets. So a composite's components are known by what they are (their
data, metrics and own components), not by id: in the merged font each points at the font's own glyph
with that content, or at a copy given an id after the last of them. The merged font's widths (/W) and
Unicode map (/ToUnicode) are the union of the subsets'.

Merged only when that is certain, else a subset stays as it was (the joiner gives it a tag of its own):

- the font is what WeasyPrint writes for a TrueType font: Type0 over one CIDFontType2 with a FontFile2
  program, Identity-H, CIDToGIDMap Identity, a ToUnicode of single codes, no entry this module does not
  know (so not a font with glyphs missing from it, which has an encoding of its own, nor a bitmap or
  OpenType/CFF font), and a program with no table that holds per-glyph data this module does not merge;
- subsets are of one face when their name, font descriptor (but the name, box, program and the fixed
  pitch flag WeasyPrint sets from a part's own widths), five font header fields and table names agree;
  what makes a merge safe is the check glyph by glyph: every glyph id both subsets show or draw must be
  the same glyph (data, components, metrics), with the same width and the same text.

Reproducible: the same subsets in the same order give the same font, tag and bytes.

Which glyph ids are the font's own is read from /W: WeasyPrint keeps ids up to the largest key of a
program's fonts' Unicode maps, which are the keys of their widths (HarfBuzz's second pass; its
fontTools fallback keeps the ids up to the last component, which only makes more of them the font's own).
"""

from __future__ import annotations

import hashlib
import io
import re
import string
import struct
import sys
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import _n_a_m_e  # noqa: F401  # saving a font imports it (~40 ms): not at the end
from fontTools.ttLib.tables._g_l_y_f import Glyph
from pikepdf import Name

from reportgen.render.fonts import quiet_font_dates
from reportgen.render.pdf.serial import PdfSerialiser, entry, reachable

ObjectId = tuple[int, int]


quiet_font_dates()

_TAGGED = re.compile(r"/[A-Z]{6}\+(.+)")
_BFCHAR_BLOCK = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]*)>")
_NUMBER = rb"-?(?:\d+\.?\d*|\.\d+)"
_W_RUN = re.compile(rb"(\d+)\s*\[((?:\s*" + _NUMBER + rb")*)\s*\]")
_W = re.compile(rb"\[\s*(?:\d+\s*\[(?:\s*" + _NUMBER + rb")*\s*\]\s*)*\]")
_TYPE0_KEYS = {"/Type", "/Subtype", "/BaseFont", "/Encoding", "/DescendantFonts", "/ToUnicode"}
_CID_KEYS = {"/Type", "/Subtype", "/BaseFont", "/CIDSystemInfo", "/CIDToGIDMap", "/W", "/FontDescriptor"}
_DESCRIPTOR_KEYS = {"/Type", "/FontName", "/FontFamily", "/Flags", "/FontBBox", "/ItalicAngle", "/Ascent",
                    "/Descent", "/CapHeight", "/StemV", "/StemH", "/FontFile2", "/CIDSet"}
_WRITTEN_PER_FACE = {"/FontName", "/Flags", "/FontBBox", "/FontFile2", "/CIDSet"}  # the rest is copied
_FIXED_PITCH = 1  # /Flags bit 1, which WeasyPrint adds when all of a part's glyphs have one width
# a program's tables: built from the merged glyphs, the same in every subset of a face, or dropped (GDEF
# serves the OpenType layout tables, which WeasyPrint drops from its subsets)
_GLYPH_TABLES = {"glyf", "loca", "hmtx", "cmap", "maxp"}
_FACE_TABLES = {"GlyphOrder", "head", "hhea", "OS/2", "name", "post", "gasp", "cvt ", "fpgm", "prep"}
_DROPPED_TABLES = {"GDEF"}
_KNOWN_TABLES = _GLYPH_TABLES | _FACE_TABLES | _DROPPED_TABLES
_NEEDED_TABLES = {"glyf", "loca", "hmtx", "head", "hhea", "maxp", "post"}
_MOST_GLYPHS = 0xFFFF  # a glyph id is 16 bits
# a composite glyph's component flags (OpenType 'glyf'): what follows the component's glyph id
_WORDS, _SCALE, _XY_SCALE, _TWO_BY_TWO, _MORE = 0x0001, 0x0008, 0x0040, 0x0080, 0x0020
# what a font's header tables say about all its glyphs: for the merged font, the widest of its subsets'
_LOWEST = (("head", "xMin"), ("head", "yMin"), ("hhea", "minLeftSideBearing"), ("hhea", "minRightSideBearing"))
_HIGHEST = (("head", "xMax"), ("head", "yMax"), ("hhea", "advanceWidthMax"), ("hhea", "xMaxExtent"),
            *(("maxp", name) for name in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                                          "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                                          "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                                          "maxComponentElements", "maxComponentDepth")))


class _NotMergeable(Exception):
    """A subset this module leaves as it is."""


@dataclass(frozen=True)
class _Glyph:
    """A glyph by what it is: its data (without padding) with its components' glyph ids zeroed (at
    `offsets`), those components (glyphs by what they are), and its horizontal metrics (advance, left
    side bearing)."""

    data: bytes
    offsets: tuple[int, ...]
    components: tuple[_Glyph, ...]
    metrics: tuple[int, int]


@dataclass
class _Subset:
    """One part's subset of a face, as read from its PDF objects."""

    name: str  # the font's name without its subset tag
    key: tuple[Any, ...]  # what subsets of one face have in common
    program: TTFont
    glyphs: dict[int, _Glyph]  # by the font's own glyph id: those shown, and those drawn within them
    widths: dict[int, bytes]  # glyph id -> its width in /W, as written
    text: dict[int, bytes]  # glyph id -> its text in /ToUnicode (UTF-16BE, hex)
    codes: dict[tuple[int, int, int], dict[int, int]]  # the program's character maps, to the font's glyph ids
    extents: dict[tuple[str, str], int]  # _LOWEST and _HIGHEST, as the program has them
    descriptor: list[bytes]  # the descriptor's entries the merged font keeps as they are
    flags: int  # the descriptor's /Flags without the fixed pitch WeasyPrint may have added
    system_info: bytes
    box: tuple[float, float, float, float]
    cid_set: bool
    objects: set[ObjectId]  # the descendant font, descriptor, program, ToUnicode (and CIDSet)


@dataclass
class _Face:
    """The merged subset of one face: the Type0 font every part's subset of it is renumbered to."""

    number: int
    first: _Subset  # the merged font is written from its program (all but the glyphs) and descriptor
    glyphs: dict[int, _Glyph] = field(default_factory=dict)
    parts_of_glyphs: set[_Glyph] = field(default_factory=set)  # every component, at any depth
    widths: dict[int, bytes] = field(default_factory=dict)
    text: dict[int, bytes] = field(default_factory=dict)
    codes: dict[tuple[int, int, int], dict[int, int]] = field(default_factory=dict)
    extents: dict[tuple[str, str], int] = field(default_factory=dict)
    box: list[float] = field(default_factory=list)

    def merge(self, subset: _Subset) -> bool:
        """Add `subset`; False (and no change) when a glyph id both have is not the same glyph, width and
        text (one part's text for a glyph must not become another's), or the font would be too big."""
        if (any(self.glyphs.get(gid, glyph) != glyph for gid, glyph in subset.glyphs.items())
                or any(self.widths.get(gid, width) != width for gid, width in subset.widths.items())
                or any(self.text.get(gid, text) != text for gid, text in subset.text.items())):
            return False
        parts = self.parts_of_glyphs | {part for glyph in subset.glyphs.values() for part in _parts(glyph)}
        if max([*self.glyphs, *subset.glyphs]) + 1 + len(parts) > _MOST_GLYPHS:
            return False
        self.parts_of_glyphs = parts
        self.glyphs.update(subset.glyphs)
        self.widths.update(subset.widths)
        self.text.update(subset.text)
        for table, codes in subset.codes.items():
            merged = self.codes.setdefault(table, {})
            for code, gid in codes.items():
                merged.setdefault(code, gid)
        for field_, value in subset.extents.items():
            known = self.extents.get(field_, value)
            self.extents[field_] = min(known, value) if field_ in _LOWEST else max(known, value)
        box = subset.box if not self.box else (
            min(self.box[0], subset.box[0]), min(self.box[1], subset.box[1]),
            max(self.box[2], subset.box[2]), max(self.box[3], subset.box[3]))
        self.box = list(box)
        return True


class Taken(NamedTuple):
    """A part's subset fonts merged into the paper's faces (`FontFaces.take`)."""

    fonts: dict[ObjectId, int]  # a Type0 font -> the object number its face's font is written at
    under: set[ObjectId]  # the objects under those fonts, which the join does not copy


class FontFaces:
    """The faces of the parts' subset fonts, merged as parts are joined; written once, at the end."""

    def __init__(self) -> None:
        self.faces: list[_Face] = []

    def take(self, pdf: pikepdf.Pdf, new_number: Any) -> Taken:
        """Merge `pdf`'s subset fonts into their faces (fonts that cannot be merged are left to the join
        to copy as they are, with what they use)."""
        fonts = _type0_fonts(pdf)
        widths = {font.objgen: _widths(font) for font in fonts}
        # the last glyph id each program keeps (WeasyPrint subsets a program once for all its fonts)
        last: dict[ObjectId, int] = {}
        for font in fonts:
            program = _program(font)
            if program is not None and widths[font.objgen]:
                last[program.objgen] = max(last.get(program.objgen, 0), *widths[font.objgen])
        shared: dict[ObjectId, int] = {}
        skipped: set[ObjectId] = set()
        kept: set[ObjectId] = set()  # what the fonts left as they are use (a program may serve two fonts)
        for font in fonts:
            try:
                subset = _read(font, widths[font.objgen], last)
            except _NotMergeable:
                kept |= reachable([font])
                continue
            face = next((face for face in self.faces if face.first.key == subset.key and face.merge(subset)), None)
            if face is None:
                face = _Face(0, subset)
                if not face.merge(subset):  # too big even alone
                    kept |= reachable([font])
                    continue
                face.number = new_number()
                self.faces.append(face)
            shared[font.objgen] = face.number
            skipped |= subset.objects
        return Taken(shared, skipped - kept)

    def write(self, writer: PdfSerialiser) -> None:
        """Each face's font: the Type0 font, its CIDFont, descriptor, program and Unicode map (once: the
        faces' first programs become the merged ones)."""
        for face in self.faces:
            _write_face(face, writer)


# ---------------------------------------------------------------- reading a part's subset


def _type0_fonts(pdf: pikepdf.Pdf) -> list[Any]:
    """The Type0 fonts in the resources of `pdf`'s pages and of their forms (where WeasyPrint puts them;
    a font found nowhere else is not merged: the join copies it as it is)."""
    fonts: dict[ObjectId, Any] = {}
    forms: set[ObjectId] = set()
    resources = [page.obj.get("/Resources", pikepdf.Dictionary()) for page in pdf.pages]
    while resources:
        resource = resources.pop()
        for font in resource.get("/Font", pikepdf.Dictionary()).values():
            if font.is_indirect and font.get("/Subtype") == "/Type0":
                fonts.setdefault(font.objgen, font)
        for form in resource.get("/XObject", pikepdf.Dictionary()).values():
            if isinstance(form, pikepdf.Stream) and "/Resources" in form and form.objgen not in forms:
                forms.add(form.objgen)
                resources.append(form.Resources)
    return list(fonts.values())


def _program(font: Any) -> Any:
    """The font program (FontFile2) under a Type0 font, or None."""
    try:
        program = font.DescendantFonts[0].FontDescriptor.get("/FontFile2")
    except (AttributeError, IndexError, KeyError, TypeError):
        return None
    return program if isinstance(program, pikepdf.Stream) else None


def _read(font: Any, widths: dict[int, bytes], last: dict[ObjectId, int]) -> _Subset:
    """A subset font as this module merges it (see the module's docstring), or _NotMergeable (also for
    anything it cannot read: a damaged stream, an odd value)."""
    try:
        return _read_subset(font, widths, last)
    except _NotMergeable:
        raise
    except Exception as error:  # declined, never a failed build
        raise _NotMergeable from error


def _read_subset(font: Any, widths: dict[int, bytes], last: dict[ObjectId, int]) -> _Subset:
    base = str(font.get("/BaseFont", ""))
    tagged = _TAGGED.fullmatch(base)
    descendants = font.get("/DescendantFonts")
    program_file = _program(font)
    if (tagged is None or set(font.keys()) - _TYPE0_KEYS or font.get("/Encoding") != "/Identity-H"
            or not isinstance(descendants, pikepdf.Array) or len(descendants) != 1 or program_file is None
            or not isinstance(font.get("/ToUnicode"), pikepdf.Stream) or not widths):
        raise _NotMergeable
    cid = descendants[0]
    descriptor = cid.FontDescriptor
    if (set(cid.keys()) - _CID_KEYS or cid.get("/Subtype") != "/CIDFontType2" or cid.get("/CIDToGIDMap") != "/Identity"
            or str(cid.get("/BaseFont", "")) != base or set(descriptor.keys()) - _DESCRIPTOR_KEYS
            or str(descriptor.get("/FontName", "")) != base or not isinstance(cid.get("/CIDSystemInfo"),
                                                                              pikepdf.Dictionary)):
        raise _NotMergeable
    text = cmap_text(font.ToUnicode.read_bytes())
    box = tuple(float(value) for value in descriptor.get("/FontBBox", ()))
    if text is None or len(box) != 4:
        raise _NotMergeable
    program = TTFont(io.BytesIO(program_file.read_bytes()), recalcTimestamp=False, recalcBBoxes=False)
    program.setGlyphOrder(list(_names(program["maxp"].numGlyphs)))  # before any table that names glyphs
    tables = set(program.keys())
    if not tables >= _NEEDED_TABLES or tables - _KNOWN_TABLES:
        raise _NotMergeable
    head = program["head"]
    header = (head.unitsPerEm, head.fontRevision, head.created, head.modified, head.macStyle)
    glyphs = _glyphs(program, set(widths), last[program_file.objgen])
    codes = _codes(program, last[program_file.objgen])
    extents = {(table, name): getattr(program[table], name) for table, name in (*_LOWEST, *_HIGHEST)
               if hasattr(program[table], name)}
    flags = int(descriptor.get("/Flags", 0))
    if _fixed_pitch(widths):
        flags -= _FIXED_PITCH  # WeasyPrint's, from this part's widths: the merged font's are its own
    kept = sorted((key, entry(key, value, {})) for key, value in descriptor.items() if key not in _WRITTEN_PER_FACE)
    system_info = cid.CIDSystemInfo.unparse(resolved=True)
    key = (tagged[1], tuple(kept), flags, system_info, "/CIDSet" in descriptor, header, tuple(sorted(tables)))
    objects = {cid.objgen, descriptor.objgen, program_file.objgen, font.ToUnicode.objgen}
    if "/CIDSet" in descriptor:
        objects.add(descriptor.CIDSet.objgen)
    return _Subset(tagged[1], key, program, glyphs, widths, text, codes, extents, [value for _, value in kept],
                   flags, system_info, (box[0], box[1], box[2], box[3]), "/CIDSet" in descriptor, objects)


def _fixed_pitch(widths: dict[int, bytes]) -> bool:
    """Whether WeasyPrint flags a font with these widths as fixed pitch (`_build_vector_font_dictionary`)."""
    return len(widths) > 1 and len(set(widths.values())) == 1


def _widths(font: Any) -> dict[int, bytes]:
    """/W as {glyph id: width, as written}; empty for a form other than WeasyPrint's `first [w1 w2 …]`."""
    try:
        array_ = font.DescendantFonts[0].W
    except (AttributeError, IndexError, KeyError, TypeError):
        return {}
    written = array_.unparse(resolved=True) if isinstance(array_, pikepdf.Array) else b""
    if not _W.fullmatch(written):
        return {}
    widths: dict[int, bytes] = {}
    for first, run in _W_RUN.findall(written):
        widths.update((int(first) + offset, width) for offset, width in enumerate(run.split()))
    return widths


def cmap_text(cmap: bytes) -> dict[int, bytes] | None:
    """A ToUnicode CMap's single-code mappings; None when it has ranges (WeasyPrint writes none)."""
    if b"beginbfrange" in cmap or b"begincidrange" in cmap:
        return None
    return {int(code, 16): text.lower()
            for block in _BFCHAR_BLOCK.findall(cmap) for code, text in _BFCHAR.findall(block)}


def _glyphs(program: TTFont, shown: set[int], last: int) -> dict[int, _Glyph]:
    """The glyphs with the font's own ids (up to `last`) that are shown or drawn, by id.

    Read from the raw 'loca', 'glyf' and 'hmtx' tables (fontTools' own reading of them made every glyph
    and its metrics an object: ~15 ms a subset, most of this module's time)."""
    count = program["maxp"].numGlyphs
    long_offsets = program["head"].indexToLocFormat
    loca = array("I" if long_offsets else "H", program.reader["loca"])
    if sys.byteorder == "little":
        loca.byteswap()
    starts = loca if long_offsets else array("I", (2 * start for start in loca))
    glyf = program.reader["glyf"]
    long_metrics = program["hhea"].numberOfHMetrics
    raw = program.reader["hmtx"]
    if len(starts) < count + 1 or not 0 < long_metrics <= count or len(raw) < 2 * count + 2 * long_metrics:
        raise _NotMergeable
    pairs = list(struct.iter_unpack(">Hh", raw[:4 * long_metrics]))
    bearings = [bearing for _, bearing in pairs]
    bearings += [bearing for (bearing,) in struct.iter_unpack(">h", raw[4 * long_metrics:2 * (count + long_metrics)])]
    made: dict[int, _Glyph] = {}

    def glyph(gid: int, depth: int) -> _Glyph:
        if gid in made:
            return made[gid]
        if depth > 8 or gid >= count:
            raise _NotMergeable
        data = _unpadded(bytes(glyf[starts[gid]:starts[gid + 1]]))
        offsets = _component_offsets(data)
        components = tuple(glyph(int.from_bytes(data[at:at + 2], "big"), depth + 1) for at in offsets)
        zeroed = bytearray(data)
        for at in offsets:
            zeroed[at:at + 2] = b"\0\0"
        made[gid] = _Glyph(bytes(zeroed), offsets, components, (pairs[min(gid, long_metrics - 1)][0], bearings[gid]))
        return made[gid]

    return {gid: glyph(gid, 0) for gid in range(min(last + 1, count)) if gid in shown or starts[gid + 1] > starts[gid]}


def _unpadded(data: bytes) -> bytes:
    """A glyph's data without the padding a subsetter may add (HarfBuzz pads glyphs to an even length
    when its 'loca' has short offsets), so the same glyph compares equal from any subset."""
    if not data:
        return data
    glyph = Glyph(data)
    glyph.trim()
    return bytes(glyph.data)


def _parts(glyph: _Glyph) -> Iterator[_Glyph]:
    """A glyph's components, theirs, and so on."""
    for component in glyph.components:
        yield component
        yield from _parts(component)


@cache
def _names(count: int) -> tuple[str, ...]:
    """Glyph names by id (a PDF's CID font needs none; fontTools names glyphs for its tables)."""
    return (".notdef", *(f"glyph{gid:05d}" for gid in range(1, count)))


def _component_offsets(data: bytes) -> tuple[int, ...]:
    """Where a composite glyph's data holds its components' glyph ids (none for a simple glyph)."""
    if len(data) < 10 or int.from_bytes(data[:2], "big", signed=True) >= 0:
        return ()
    offsets = []
    at = 10
    while True:
        if at + 4 > len(data):
            raise _NotMergeable
        flags = int.from_bytes(data[at:at + 2], "big")
        offsets.append(at + 2)
        at += 4 + (4 if flags & _WORDS else 2)
        at += 2 if flags & _SCALE else 4 if flags & _XY_SCALE else 8 if flags & _TWO_BY_TWO else 0
        if not flags & _MORE:
            break
    if at > len(data):
        raise _NotMergeable
    return tuple(offsets)


def _codes(program: TTFont, last: int) -> dict[tuple[int, int, int], dict[int, int]]:
    """The program's character maps, to the font's own glyph ids."""
    if "cmap" not in program:
        return {}
    ids = program.getReverseGlyphMap()
    return {(table.platformID, table.platEncID, table.format):
            {code: ids[name] for code, name in table.cmap.items() if ids[name] <= last}
            for table in program["cmap"].tables}


# ---------------------------------------------------------------- writing a face


def _write_face(face: _Face, writer: PdfSerialiser) -> None:
    program = _program_of(face)
    gids = sorted(face.widths)
    seed = f"{face.first.name}:{','.join(map(str, gids))}:".encode() + hashlib.sha256(program).digest()
    name = Name("/" + subset_tag(seed) + "+" + face.first.name).unparse()
    file_number, text_number, descriptor_number, cid_number = (writer.new_number() for _ in range(4))
    writer.stream(file_number, b"<< /Length1 %d /Filter /FlateDecode" % len(program), zlib.compress(program, 9))
    writer.stream(text_number, b"<< /Filter /FlateDecode", zlib.compress(_to_unicode(face.text), 9))
    flags = face.first.flags + (_FIXED_PITCH if _fixed_pitch(face.widths) else 0)
    descriptor = [b"/FontName " + name, b"/Flags %d" % flags,
                  b"/FontBBox [ %s ]" % b" ".join(_number(value) for value in face.box),
                  *face.first.descriptor, b"/FontFile2 %d 0 R" % file_number]
    if face.first.cid_set:
        set_number = writer.new_number()
        writer.stream(set_number, b"<< /Filter /FlateDecode", zlib.compress(_cid_set(gids), 9))
        descriptor.append(b"/CIDSet %d 0 R" % set_number)
    writer.pack(descriptor_number, b"<< " + b" ".join(descriptor) + b" >>")
    writer.pack(cid_number, b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont %s /CIDSystemInfo %s "
                b"/CIDToGIDMap /Identity /W [ %s ] /FontDescriptor %d 0 R >>"
                % (name, face.first.system_info, _w(face.widths), descriptor_number))
    writer.pack(face.number, b"<< /Type /Font /Subtype /Type0 /BaseFont %s /Encoding /Identity-H "
                b"/DescendantFonts [ %d 0 R ] /ToUnicode %d 0 R >>" % (name, cid_number, text_number))


def _program_of(face: _Face) -> bytes:
    """The merged font program: the first subset's tables, with every glyph of the face (the font's own
    ids first, then the renumbered components after the last of them)."""
    font = face.first.program
    for tag in _DROPPED_TABLES & set(font.keys()):
        del font[tag]
    for tag in ("glyf", "hmtx", "cmap", "post", "maxp", "head", "hhea"):  # read while the glyph order is
        if tag in font:  # the one they were written with (the tables the merged glyphs change)
            font[tag]
    count = max(face.glyphs) + 1
    own = {glyph: gid for gid, glyph in sorted(face.glyphs.items(), reverse=True)}  # the lowest id of a glyph
    extra: dict[_Glyph, int] = {}

    def number(component: _Glyph) -> int:
        if component in own:
            return own[component]
        if component not in extra:
            for inner in component.components:
                number(inner)
            extra[component] = count + len(extra)
        return extra[component]

    def packed(glyph: _Glyph) -> bytes:
        data = bytearray(glyph.data)
        for at, component in zip(glyph.offsets, glyph.components):
            data[at:at + 2] = number(component).to_bytes(2, "big")
        return bytes(data)

    datas = {gid: packed(glyph) for gid, glyph in sorted(face.glyphs.items())}
    glyphs = [(datas.get(gid, b""), face.glyphs[gid].metrics if gid in face.glyphs else (0, 0)) for gid in range(count)]
    extra_datas = [(packed(glyph), glyph.metrics) for glyph in extra]  # in the order their ids were given
    glyphs += extra_datas
    names = list(_names(len(glyphs)))
    font.setGlyphOrder(names)
    table = font["glyf"]
    table.setGlyphOrder(names)
    table.glyphs = {name: Glyph(data) for name, (data, _) in zip(names, glyphs)}
    font["hmtx"].metrics = {name: metrics for name, (_, metrics) in zip(names, glyphs)}
    if "cmap" in font:
        for subtable in font["cmap"].tables:
            codes = face.codes.get((subtable.platformID, subtable.platEncID, subtable.format), {})
            subtable.cmap = {code: names[gid] for code, gid in sorted(codes.items())}
    font["post"].formatType = 3.0  # no glyph names: a PDF's CID font has no use for them
    font["maxp"].numGlyphs = len(names)
    for (table_tag, name), value in face.extents.items():  # not recalculated: the glyphs stay packed
        setattr(font[table_tag], name, value)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def subset_tag(seed: bytes) -> str:
    """A font subset's tag, six capitals, from what names it (the same seed, the same tag)."""
    return "".join(string.ascii_uppercase[byte % 26] for byte in hashlib.sha256(seed).digest()[:6])


def _number(value: float) -> bytes:
    return b"%d" % value if value == int(value) else repr(value).encode()


def _w(widths: dict[int, bytes]) -> bytes:
    """/W as WeasyPrint writes it: each run of consecutive glyph ids as `first [ w1 w2 … ]`."""
    runs: list[bytes] = []
    previous = None
    for gid in sorted(widths):
        if previous is None or gid != previous + 1:
            if runs:
                runs.append(b"]")
            runs.append(b"%d [" % gid)
        runs.append(widths[gid])
        previous = gid
    if runs:
        runs.append(b"]")
    return b" ".join(runs)


def _to_unicode(text: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap of single codes, as WeasyPrint writes one (in batches of 100)."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    items = sorted(text.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(b"%d beginbfchar" % len(batch))
        lines.extend(b"<%04x> <%s>" % (gid, value) for gid, value in batch)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _cid_set(gids: list[int]) -> bytes:
    bits = bytearray((gids[-1] // 8 + 1) if gids else 0)
    for gid in gids:
        bits[gid // 8] |= 0x80 >> (gid % 8)
    return bytes(bits)
