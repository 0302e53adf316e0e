"""Writing outputs whole or not at all, with bytes that depend only on the content."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import copy_example
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


def _run_as_user_with_umask(umask: int, *arguments: str) -> subprocess.CompletedProcess[str]:
    """`reportgen …` as a user whose shell set `umask` (as a locked-down machine's login profile does)."""
    return subprocess.run([str(Path(sys.executable).parent / "reportgen"), *arguments], capture_output=True, text=True,
                          timeout=300, preexec_fn=lambda: os.umask(umask), check=False)


def _modes(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_mode & 0o777 for path in sorted(folder.rglob("*"))
            if path.is_file()}


@pytest.mark.parametrize(("umask", "file_mode"), [(0o077, 0o600), (0o027, 0o640), (0o022, 0o644)])
def test_drafts_and_kept_mail_are_as_private_as_the_users_umask(tmp_path: Path, umask: int, file_mode: int) -> None:
    """A restricted paper and the partners' mail were written readable by every user of the machine (0644), whatever
    the umask the council set to keep them private; now every file is created as the umask says, as folders were."""
    root = copy_example(tmp_path / "ws")
    built = _run_as_user_with_umask(umask, "build", "--workspace", str(root), "--edition", "restricted")
    assert built.returncode == 0, built.stderr
    draft = Path(built.stdout.strip().splitlines()[-1])
    mailed = _run_as_user_with_umask(umask, "send-returns", "--workspace", str(root), "--period", "2026-10",
                                     "--dry-run")
    assert mailed.returncode == 0, mailed.stderr
    outbox = root / "outputs" / "2026-10" / "mail" / "outbox"
    written = {**_modes(draft), **{f"outbox/{name}": mode for name, mode in _modes(outbox).items()}}
    assert {"paper.docx", "paper.pdf", "paper.html", "draft.json", "issues.csv"} <= set(written)
    assert any(name.endswith(".eml") for name in written)
    assert {name: mode for name, mode in written.items() if mode != file_mode} == {}
    assert draft.stat().st_mode & 0o777 == 0o777 & ~umask
    assert not [path for path in draft.parent.iterdir() if path.name.startswith(".") and "partial" in path.name]
