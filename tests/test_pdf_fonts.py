"""One embedded subset per font face in a joined PDF (render/pdf/subsets.py): the parts' subsets of a
face become one font, and every page still shows the same text, drawn the same; a subset that differs,
or that is not one this module knows, is kept as it was."""

from __future__ import annotations

import io
import re
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from conftest import pdf_problems
from reportgen.render.pdf import parts as pdf_parts
from reportgen.render.pdf import subsets
from reportgen.render.pdf.join import Furniture, PartPages, join_parts

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MIDDLE_DOT = 121  # "·" in Liberation Sans: a composite glyph, drawn from "∙" (glyph 2130)
BULLET_OPERATOR = 2130  # "∙"; "≤" is glyph 2140, so a part showing it keeps 2130 at its own id


def _part(text: str) -> bytes:
    """A one-page part: `text` in regular and in bold, in the paper's font (no headings: only the first
    part of a paper may have bookmarks; no page furniture: the join draws that)."""
    html = ('<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Fonts</title>'
            '<style>body { font-family: "Liberation Sans"; }</style></head>'
            f'<body><p>{text}</p><p><strong>{text}</strong></p></body></html>')
    _, document = pdf_parts.lay_out(html, TEMPLATES)
    data: bytes = document.write_pdf(**pdf_parts.RENDER_OPTIONS)
    return data


def _blank() -> bytes:
    _, document = pdf_parts.lay_out('<!DOCTYPE html><html lang="en-GB"><head><title>-</title></head>'
                                    '<body></body></html>', TEMPLATES)
    data: bytes = document.write_pdf(**pdf_parts.RENDER_OPTIONS)
    return data


def _join(parts: list[bytes], tmp_path: Path) -> Path:
    out = tmp_path / "joined.pdf"
    out.write_bytes(join_parts([PartPages(part) for part in parts], Furniture(_blank(), (0,) * len(parts))))
    return out


def _faces(path: Path) -> Counter[str]:
    """How many embedded fonts each face has (its name without the subset tag)."""
    with pikepdf.open(path) as pdf:
        names = {font.objgen: str(font.BaseFont).split("+")[-1]
                 for page in pdf.pages for _, font in page.obj.Resources.get("/Font", {}).items()}
    return Counter(names.values())


def _texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() for page in pdf.pages]


def _looks(data: bytes | Path) -> list[bytes]:
    document = pypdfium2.PdfDocument(data if isinstance(data, Path) else io.BytesIO(data))
    return [document[number].render(scale=1).to_pil().convert("L").tobytes() for number in range(len(document))]


def _component_ids(part: bytes) -> set[int]:
    """The glyph ids the middle dot's components have in each of the part's regular-face subsets."""
    ids = set()
    with pikepdf.open(io.BytesIO(part)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/FontFile2") is not None and str(
                    obj.FontName).endswith("+Liberation-Sans"):
                font = TTFont(io.BytesIO(obj.FontFile2.read_bytes()))
                glyph = font["glyf"][font.getGlyphName(MIDDLE_DOT)]
                ids |= {font.getGlyphID(component.glyphName) for component in glyph.components}
    return ids


def test_the_subsets_of_a_face_become_one_font(tmp_path: Path) -> None:
    parts = [_part("Alpha · 1"), _part("Beta · quiz – “2”"), _part("Gamma · ≤ 3")]
    # the subsetter puts the dot's component after the last glyph a part uses (not at the same id in
    # the first two), or keeps it at its own id when the part shows a glyph after it (the third)
    ids = [_component_ids(part) for part in parts]
    assert len(ids[0] | ids[1]) == 2 and ids[2] == {BULLET_OPERATOR}
    joined = _join(parts, tmp_path)

    assert _faces(joined) == {"Liberation-Sans": 1, "Liberation-Sans-Bold": 1}
    assert _texts(joined) == [text for part in parts for text in _texts_of(part, tmp_path)]
    assert _looks(joined) == [look for part in parts for look in _looks(part)]
    assert pdf_problems(joined) == []
    # the merged Unicode map is exactly the parts' maps together (nothing for glyph 0, nothing else)
    assert _unicode_maps(joined) == _merged(_unicode_maps, parts, tmp_path)


def _unicode_maps(path: Path) -> dict[str, dict[str, str]]:
    """Each face's ToUnicode entries (glyph id -> text, hex) in a PDF."""
    maps: dict[str, dict[str, str]] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0":
                cmap = obj.ToUnicode.read_bytes().decode()
                blocks = re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S)
                entries = maps.setdefault(str(obj.BaseFont).split("+")[-1], {})
                entries.update(pair for block in blocks for pair in re.findall(r"<(\w+)> <(\w*)>", block))
    return maps


def _merged(read: Callable[[Path], dict[str, dict[str, str]]], parts: list[bytes],
            tmp_path: Path) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for number, part in enumerate(parts):
        path = tmp_path / f"part-{number}.pdf"
        path.write_bytes(part)
        for face, entries in read(path).items():
            merged.setdefault(face, {}).update(entries)
    return merged


def _texts_of(part: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "part.pdf"
    path.write_bytes(part)
    return _texts(path)


def test_a_subset_that_differs_keeps_a_font_of_its_own(tmp_path: Path) -> None:
    first, second = _part("Alpha 1"), _part("Alpha 2")
    with pikepdf.open(io.BytesIO(second)) as pdf:  # the same glyph id, another width: not the same font
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/CIDFontType2" and str(
                    obj.BaseFont).endswith("+Liberation-Sans"):
                obj.W[1][0] = obj.W[1][0] + 1
        out = io.BytesIO()
        pdf.save(out)
        second = out.getvalue()
    joined = _join([first, second], tmp_path)

    assert _faces(joined) == {"Liberation-Sans": 2, "Liberation-Sans-Bold": 1}
    with pikepdf.open(joined) as pdf:
        tags = {str(font.BaseFont) for page in pdf.pages for _, font in page.obj.Resources.Font.items()}
    assert len(tags) == 3  # each font its own tag
    assert _texts(joined) == [*_texts_of(first, tmp_path), *_texts_of(second, tmp_path)]
    assert _looks(joined) == [*_looks(first), *_looks(second)]


@pytest.mark.expected_logs(r"\.notdef glyph rendered .* \(U\+E000\)")
def test_a_font_with_glyphs_missing_is_kept_as_it_was(tmp_path: Path) -> None:
    """A character no font has (a private-use one) gives its subset an encoding of its own: not merged."""
    first, second = _part("Alpha 1"), _part("Alpha \ue000 2")
    joined = _join([first, second], tmp_path)

    assert _faces(joined)["Liberation-Sans"] == 2
    assert _texts(joined)[0] == _texts_of(first, tmp_path)[0]
    assert _looks(joined) == [*_looks(first), *_looks(second)]
    assert pdf_problems(joined) == []


def test_parts_of_one_glyph_merge(tmp_path: Path) -> None:
    """A part may show a single glyph (a stylesheet numbering pages with the number alone)."""
    parts = [_part("1"), _part("1"), _part("2")]
    joined = _join(parts, tmp_path)
    assert _faces(joined) == {"Liberation-Sans": 1, "Liberation-Sans-Bold": 1}
    assert _looks(joined) == [look for part in parts for look in _looks(part)]


def test_a_face_too_big_for_glyph_ids_is_left_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A merged font may not need more than 65,535 glyph ids (here, for the test, 10): the subsets stay."""
    monkeypatch.setattr(subsets, "_MOST_GLYPHS", 10)
    parts = [_part("Alpha 1"), _part("Beta 2")]
    joined = _join(parts, tmp_path)
    assert _faces(joined) == {"Liberation-Sans": 2, "Liberation-Sans-Bold": 2}
    assert _looks(joined) == [look for part in parts for look in _looks(part)]
    assert pdf_problems(joined) == []


def test_the_merged_font_is_the_same_every_time(tmp_path: Path) -> None:
    parts = [_part("Alpha · 1"), _part("Beta · quiz 2"), _part("Gamma 3")]
    assert _join(parts, tmp_path).read_bytes() == _join(parts, tmp_path).read_bytes()


def test_a_program_that_also_serves_a_font_left_as_it_was_is_kept_for_it(tmp_path: Path) -> None:
    """WeasyPrint embeds a font program once for all the fonts of that file in a part; when one of them
    cannot be merged (here given an encoding of its own), the program stays for it."""
    first = _part("Alpha 1")
    with pikepdf.open(io.BytesIO(_part("Alpha 2"))) as pdf:
        page = pdf.pages[0].obj
        name, font = next((name, font) for name, font in page.Resources.Font.items()
                          if str(font.BaseFont).endswith("+Liberation-Sans"))
        cid = font.DescendantFonts[0]
        descriptor = pdf.make_indirect(pikepdf.Dictionary({**cid.FontDescriptor}))
        other_cid = pdf.make_indirect(pikepdf.Dictionary({**cid, "/FontDescriptor": descriptor}))
        encoding = pdf.make_stream(b"", Type=pikepdf.Name.CMap)
        other = pdf.make_indirect(pikepdf.Dictionary({**font, "/DescendantFonts": pikepdf.Array([other_cid]),
                                                      "/Encoding": encoding}))
        page.Resources.Font[name + "b"] = other  # the program (FontFile2) is now under both fonts
        assert other.DescendantFonts[0].FontDescriptor.FontFile2.objgen == cid.FontDescriptor.FontFile2.objgen
        out = io.BytesIO()
        pdf.save(out)
        second = out.getvalue()
    joined = _join([first, second], tmp_path)

    assert pdf_problems(joined) == []
    with pikepdf.open(joined) as pdf:
        fonts = pdf.pages[1].obj.Resources.Font
        assert fonts[name].DescendantFonts[0].FontDescriptor.FontFile2.objgen != (
            fonts[name + "b"].DescendantFonts[0].FontDescriptor.FontFile2.objgen)  # merged; and kept
    assert _looks(joined) == [*_looks(first), *_looks(second)]


def _edited(part: bytes, edit: Callable[[pikepdf.Pdf, pikepdf.Dictionary], None]) -> bytes:
    """`part` with `edit` applied to its regular Liberation Sans Type0 font."""
    with pikepdf.open(io.BytesIO(part)) as pdf:
        font = next(font for _, font in pdf.pages[0].obj.Resources.Font.items()
                    if str(font.BaseFont).endswith("+Liberation-Sans"))
        edit(pdf, font)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_one_glyph_shown_for_other_text_keeps_a_font_of_its_own(tmp_path: Path) -> None:
    """A glyph's text in one part must not become its text in another (e.g. WeasyPrint gives the first
    glyph of a cluster an empty text): the subset that differs is not merged."""
    first = _part("Alpha 1")

    def other_text(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        cmap = font.ToUnicode.read_bytes()
        font.ToUnicode = pdf.make_stream(re.sub(rb"(<[0-9a-f]{4}> )<0041>", rb"\1<0042>", cmap))  # A -> B

    second = _edited(_part("Alpha 2"), other_text)
    joined = _join([first, second], tmp_path)

    assert _faces(joined) == {"Liberation-Sans": 2, "Liberation-Sans-Bold": 1}
    assert _texts(joined) == [*_texts_of(first, tmp_path), *_texts_of(second, tmp_path)]
    assert _texts(joined)[1].startswith("Blpha 2")


def test_fixed_pitch_is_the_merged_fonts_own(tmp_path: Path) -> None:
    """WeasyPrint flags a part's font as fixed pitch when all the glyphs it uses have one width ("12",
    "il"); merged, their widths differ, and the font is flagged as one document of both flags it."""
    parts = [_part("12"), _part("il")]
    joined = _join(parts, tmp_path)
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(_part("12il"))

    def fixed(path: Path) -> dict[str, int]:
        with pikepdf.open(path) as pdf:
            return {str(font.BaseFont).split("+")[-1]: int(font.DescendantFonts[0].FontDescriptor.Flags) & 1
                    for page in pdf.pages for _, font in page.obj.Resources.Font.items()}

    first = tmp_path / "first.pdf"
    first.write_bytes(parts[0])
    assert fixed(first) == {"Liberation-Sans": 1, "Liberation-Sans-Bold": 1}
    assert _faces(joined) == {"Liberation-Sans": 1, "Liberation-Sans-Bold": 1}
    assert fixed(joined) == fixed(whole) == {"Liberation-Sans": 0, "Liberation-Sans-Bold": 0}


def test_a_program_with_every_id_up_to_its_last_component_merges(tmp_path: Path) -> None:
    """WeasyPrint's fontTools fallback (no HarfBuzz subsetter) keeps every glyph id up to the dot's
    component (2130), beyond the last one shown: the merged font still has the right glyphs."""
    source = subprocess.run(["fc-match", "--format=%{file}", "Liberation Sans"], capture_output=True, text=True,
                            check=True).stdout

    def fonttools_subset(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        descriptor = font.DescendantFonts[0].FontDescriptor
        widths = font.DescendantFonts[0].W
        gids = [int(widths[at]) + offset for at in range(0, len(widths), 2) for offset in range(len(widths[at + 1]))]
        options = subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
                                 hinting=False, desubroutinize=True)
        options.drop_tables += ["GSUB", "GPOS", "SVG", "kern", "FFTM"]
        program = TTFont(source, recalcTimestamp=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=gids)
        subsetter.subset(program)
        out = io.BytesIO()
        program.save(out)
        descriptor.FontFile2 = pdf.make_stream(out.getvalue(), Length1=len(out.getvalue()))

    first = _edited(_part("Beta · 2"), fonttools_subset)  # first: the merged font is written from its program
    second = _edited(_part("Alpha 1"), fonttools_subset)
    with pikepdf.open(io.BytesIO(first)) as pdf:
        programs = [font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
                    for _, font in pdf.pages[0].obj.Resources.Font.items() if str(font.BaseFont).endswith("-Sans")]
    assert TTFont(io.BytesIO(programs[0]))["maxp"].numGlyphs == BULLET_OPERATOR + 1  # past the last shown
    joined = _join([first, second], tmp_path)

    assert _faces(joined) == {"Liberation-Sans": 1, "Liberation-Sans-Bold": 1}
    assert _looks(joined) == [*_looks(first), *_looks(second)]
    assert pdf_problems(joined) == []


def test_a_damaged_font_program_is_left_as_it_was(tmp_path: Path) -> None:
    def damaged(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        font.DescendantFonts[0].FontDescriptor.FontFile2 = pdf.make_stream(b"not a font program")

    first, second = _part("Alpha 1"), _edited(_part("Alpha 2"), damaged)
    joined = _join([first, second], tmp_path)

    assert _faces(joined) == {"Liberation-Sans": 2, "Liberation-Sans-Bold": 1}
    with pikepdf.open(joined) as pdf:
        programs = {font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
                    for page in pdf.pages for _, font in page.obj.Resources.Font.items()}
    assert b"not a font program" in programs  # copied as it was
    assert _looks(joined)[0] == _looks(first)[0]
