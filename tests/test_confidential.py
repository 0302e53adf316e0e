"""Exempt (Part II) actions: a canary in every exempt field appears nowhere in the public edition."""

from __future__ import annotations

import base64
import re
import zipfile
from pathlib import Path

import pikepdf
import pypdf
import pytest

from factories import REGISTER_HEADINGS, RETURN_HEADINGS, default_returns, make_workspace
from reportgen.build import build_draft
from reportgen.diff_render import compare_drafts

CANARY = "CANARY7f3a"


def _workspace(root: Path, period: str = "2026-10", flag: str = "Yes") -> Path:
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
                (2, "", "OPCC", "Published action", "2", ""),
                (7, f"{CANARY} section", "OPCC", f"{CANARY} secret action", f"{CANARY} page", flag)]
    returns = default_returns()
    returns = {"wessex-police.xlsx": [RETURN_HEADINGS, (1, "", "Completed", "Open update", "2027")],
               "opcc.xlsx": [RETURN_HEADINGS, (2, "", "In progress", "Published update", "2027"),
                             (7, f"{CANARY} wording", "Not started yet", f"{CANARY} explanation",
                              f"{CANARY} timeframe")]}
    return make_workspace(root, period=period, register=register, returns=returns)


def _leaks(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if CANARY.encode() in data:
            found.append(path.name)
        if path.suffix == ".html":  # pictures are inlined as base64 data: URLs
            pictures = re.findall(rb"data:[a-z/+.-]+;base64,([A-Za-z0-9+/=]+)", data)
            if any(CANARY.encode() in base64.b64decode(picture) for picture in pictures):
                found.append(f"{path.name}:picture")
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as package:
                found += [f"{path.name}:{n}" for n in package.namelist() if CANARY.encode() in package.read(n)]
        if path.suffix == ".pdf":
            text = "".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)
            if CANARY in text:
                found.append(f"{path.name}:text")
            with pikepdf.open(path) as pdf:
                if pdf.attachments or CANARY in str(pdf.open_metadata()) or CANARY in str(pdf.docinfo):
                    found.append(f"{path.name}:metadata/attachments")
                for obj in pdf.objects:
                    if isinstance(obj, pikepdf.Stream) and CANARY.encode() in obj.read_bytes():
                        found.append(f"{path.name}:stream")
                        break
    return found


def test_canary_appears_nowhere_in_the_public_edition(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    first = build_draft(root)
    assert [row.ref for row in first.paper.rows] == [1, 2]
    assert first.paper.exempt_count == 1 and "1 action(s) are exempt" in first.paper.exempt_note
    second = build_draft(root)
    compared = compare_drafts(first.folder, second.folder)
    assert _leaks(root / "outputs") == []
    assert compared.folder.is_dir()
    assert any(i.ref == 7 for i in first.issues)  # reported, without its text
    assert all(CANARY not in i.message and CANARY not in i.value for i in first.issues)


def test_canary_test_would_catch_a_leak(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted")
    assert 7 in [row.ref for row in restricted.paper.rows]
    assert restricted.paper.marking == "RESTRICTED"
    assert "paper.docx:word/document.xml" in _leaks(restricted.folder)
    assert "paper.pdf:text" in _leaks(restricted.folder)
    assert "paper.html" in _leaks(restricted.folder)


def test_restricted_edition_marks_every_page(tmp_path: Path) -> None:
    result = build_draft(_workspace(tmp_path / "ws"), edition="restricted")
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(result.folder / "paper.pdf").pages]
    assert pages and all("RESTRICTED" in text for text in pages)
    import docx

    document = docx.Document(str(result.folder / "paper.docx"))
    assert all("RESTRICTED" in "".join(p.text for p in s.header.paragraphs) for s in document.sections)


@pytest.mark.parametrize("flag", ["maybe", "TBC"])
def test_unrecognised_flag_fails_closed(tmp_path: Path, flag: str) -> None:
    result = build_draft(_workspace(tmp_path / "ws", flag=flag))
    assert 7 not in [row.ref for row in result.paper.rows]
    assert [(i.code, i.row, i.blocking) for i in result.issues if i.code == "exempt-flag"] == [("exempt-flag", 4, True)]
    assert _leaks(result.folder) == []
