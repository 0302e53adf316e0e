"""Writing outputs whole or not at all, with bytes that depend only on the content."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from reportgen.files import stable_zip, write_atomically


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "paper.docx"
    out.write_bytes(b"previous")

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError, match="No space"):
        write_atomically(out, b"new paper")
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["paper.docx"]


def test_no_replace_refuses_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "opcc.xlsx"
    out.write_bytes(b"partner's")
    with pytest.raises(FileExistsError):
        write_atomically(out, b"ours", replace=False)
    assert out.read_bytes() == b"partner's" and len(list(tmp_path.iterdir())) == 1


def test_stable_zip_dates_entries_and_core_modified(tmp_path: Path) -> None:
    def package(stamp: tuple[int, ...], modified: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(zipfile.ZipInfo("word/document.xml", stamp), "<w/>")  # type: ignore[arg-type]
            archive.writestr(zipfile.ZipInfo("docProps/core.xml", stamp),  # type: ignore[arg-type]
                             f'<dcterms:modified x="1">{modified}</dcterms:modified>')
        return buffer.getvalue()

    first = stable_zip(package((2026, 1, 1, 10, 0, 0), "2026-01-01T10:00:00Z"), modified="2000-01-01T00:00:00Z")
    second = stable_zip(package((2026, 5, 5, 11, 0, 2), "2026-05-05T11:00:02Z"), modified="2000-01-01T00:00:00Z")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert b"2000-01-01T00:00:00Z" in archive.read("docProps/core.xml")
