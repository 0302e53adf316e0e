"""XML declarations in a partner's workbook are refused by defusedxml before anything parses them,
and the zip limits (which no library has) still hold: each is one clear issue, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import RETURN_HEADINGS, write_xlsx
from reportgen.read import xlsx_guard
from reportgen.read.returns import read_return
from reportgen.settings import Settings

ROWS = [RETURN_HEADINGS, (1, "", "Completed", "One", ""), (2, "", "In progress", "Two", "")]
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                     for n in range(1, 10))
          + b"]>")


def _with_part(path: Path, name: str, data: bytes) -> Path:
    """The workbook at `path` with its part `name` replaced by `data`."""
    with zipfile.ZipFile(path) as package:
        parts = {part: package.read(part) for part in package.namelist()}
    parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for part, content in parts.items():
            package.writestr(part, content)
    return path


def _before_root(part: bytes, prolog: bytes, inside: bytes = b"") -> bytes:
    """The part with `prolog` put before its root element (after any <?xml ?>), `inside` just in it."""
    head, close, rest = part.partition(b"?>") if part.startswith(b"<?xml") else (b"", b"", part)
    root_end = rest.index(b">") + 1
    return head + close + prolog + rest[:root_end] + inside + rest[root_end:]


def _laughing(part: bytes) -> bytes:
    """The part with a billion-laughs DTD before its root element, and the root using it."""
    return _before_root(part, LAUGHS, b"&lol9;")


def _read(path: Path):
    return read_return(path, Settings(), path.name, "OPCC")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "[Content_Types].xml",
                                  "xl/_rels/workbook.xml.rels", "docProps/core.xml"])
def test_billion_laughs_refused_before_parsing(tmp_path: Path, part: str) -> None:
    path = write_xlsx(tmp_path / "opcc.xlsx", ROWS)
    with zipfile.ZipFile(path) as package:
        original = package.read(part) if part in package.namelist() else b'<?xml version="1.0"?><sst/>'
    _with_part(path, part, _laughing(original))
    ret, issues = _read(path)
    assert ret is None and [(i.code, i.file) for i in issues] == [("unreadable-file", "opcc.xlsx")]
    assert f"part {part} declares a DOCTYPE or ENTITY" in issues[0].message
    assert "save it again as .xlsx" in issues[0].advice


@pytest.mark.parametrize(("encoding", "why"), [
    ("utf-16", "declares a DOCTYPE or ENTITY (not allowed in a workbook)"),
    ("utf-16-be", "cannot be checked (multi-byte encodings are not supported)"),  # expat reads no UTF-16-BE
])
def test_a_doctype_in_another_encoding_is_refused_too(tmp_path: Path, encoding: str, why: str) -> None:
    xml = f'<?xml version="1.0" encoding="{encoding.upper()}"?><!DOCTYPE x [<!ENTITY a "aaaa">]><sst>&a;</sst>'
    path = _with_part(write_xlsx(tmp_path / "opcc.xlsx", ROWS), "xl/sharedStrings.xml", xml.encode(encoding))
    assert xlsx_guard.refuse_reason(path) == f"part xl/sharedStrings.xml {why}"


def test_comments_before_the_root_are_fine_but_a_doctype_after_them_is_not(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "opcc.xlsx", ROWS)
    with zipfile.ZipFile(path) as package:
        sheet = package.read("xl/worksheets/sheet1.xml")
    _with_part(path, "xl/worksheets/sheet1.xml", _before_root(sheet, b"<!-- <!DOCTYPE in a comment> -->"))
    ret, issues = _read(path)
    assert ret is not None and [u.ref for u in ret.updates] == [1, 2]
    assert "unreadable-file" not in [i.code for i in issues]
    _with_part(path, "xl/worksheets/sheet1.xml", _before_root(sheet, b"<!-- a comment -->" + LAUGHS))
    assert "declares a DOCTYPE or ENTITY" in (xlsx_guard.refuse_reason(path) or "")


def test_a_prolog_too_long_for_a_workbook_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "opcc.xlsx", ROWS)
    padding = b"<!--" + b" " * xlsx_guard.PROLOG_LIMIT + b"-->"
    _with_part(path, "xl/sharedStrings.xml", b'<?xml version="1.0"?>' + padding + b"<sst/>")
    assert "declares a DOCTYPE or ENTITY" in (xlsx_guard.refuse_reason(path) or "")


def test_the_zip_limits_still_hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(tmp_path / "opcc.xlsx", ROWS)
    assert xlsx_guard.refuse_reason(path) is None
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/padding.xml", b"<a>" + b" " * (4 * 2**20) + b"</a>")
    assert "part xl/media/padding.xml expands" in (xlsx_guard.refuse_reason(path) or "")  # the ratio
    monkeypatch.setattr(xlsx_guard, "MAX_TOTAL_BYTES", 2**20)
    assert "it would expand to" in (xlsx_guard.refuse_reason(path) or "")
    monkeypatch.setattr(xlsx_guard, "MAX_ENTRIES", 3)
    assert "parts (a workbook has a few dozen)" in (xlsx_guard.refuse_reason(path) or "")
    ret, issues = _read(path)
    assert ret is None and [i.code for i in issues] == ["unreadable-file"] and "was not opened" in issues[0].message
