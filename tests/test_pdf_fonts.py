"""One embedded subset per font face in a joined PDF (render/pdf/subsets.py): the parts' subsets of a
face become one font, and every page still shows the same text, drawn the same; a subset that differs,
or that is not one this module knows, is kept as it was."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
import pytest
from fontTools.ttLib import TTFont

from conftest import pdf_problems
from reportgen.render.pdf import parts as pdf_parts
from reportgen.render.pdf.join import Furniture, PartPages, join_parts

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MIDDLE_DOT = 121  # "·" in Liberation Sans: a composite glyph, drawn from "∙" (glyph 2130)


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
    first, second = _part("Alpha · 1"), _part("Beta · quiz – “2”")
    # the subsetter puts the dot's component after the last glyph each part uses: not at the same id
    assert len(_component_ids(first) | _component_ids(second)) == 2
    joined = _join([first, second], tmp_path)

    assert _faces(joined) == {"Liberation-Sans": 1, "Liberation-Sans-Bold": 1}
    assert _texts(joined) == [*_texts_of(first, tmp_path), *_texts_of(second, tmp_path)]
    assert _looks(joined) == [*_looks(first), *_looks(second)]
    assert pdf_problems(joined) == []


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
