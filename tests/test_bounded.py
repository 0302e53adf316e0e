"""Bounded work for any input (issue 14): small files that declare huge things, pathological text,
files that are not regular files or lie outside the workspace. Each case failed (hung, ran for
minutes or read what it should not) before its protection; times and memory are logged, not asserted.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest

from conftest import RETURN_HEADINGS, make_workspace, write_xlsx
from reportgen.read import xlsx_reader
from reportgen.read.returns import read_return
from reportgen.read.sheets import read_sheets
from reportgen.read.workspace import find_inputs, periods
from reportgen.read.xlsx_values import DateCell
from reportgen.settings import Settings

log = logging.getLogger(__name__)


@contextmanager
def measured(what: str) -> Iterator[None]:
    """Log the wall time and the growth of the process's peak memory (measured, never asserted)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    log.warning("%s: %.2f s, peak memory grew %.0f MiB", what, seconds, grown)


def _rewrite(source: Path, target: Path, edit: Callable[[str, bytes], tuple[str, bytes]]) -> Path:
    """A copy of an .xlsx package with each part passed through `edit(name, data) -> (name, data)`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            name, data = edit(info.filename, old.read(info))
            new.writestr(name, data)
    return target


def _return(path: Path) -> Path:
    return write_xlsx(path, [RETURN_HEADINGS, (1, "", "Completed", "Done", "2027")])


def test_one_cell_at_the_last_coordinate_is_read_at_once(tmp_path: Path) -> None:
    source = _return(tmp_path / "plain.xlsx")

    def far(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far'
                                b"</t></is></c></row></sheetData>")
            data = data.replace(b'<dimension ref="A1:E2"/>', b'<dimension ref="A1:XFD1048576"/>')
        return name, data

    path = _rewrite(source, tmp_path / "far.xlsx", far)
    assert path.stat().st_size < 8192
    with measured("one cell at XFD1048576"):
        read, issues = read_return(path, Settings(), "far.xlsx", "OPCC")
    assert read is not None and [u.ref for u in read.updates] == [1]
    assert [(i.code, i.value) for i in issues] == [("cells-beyond", "far")]  # what it holds; its address is said
    assert "(first XFD1048576)" in issues[0].message


def test_a_far_row_within_the_columns_is_read_sparsely(tmp_path: Path) -> None:
    def far(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="C1048576" t="inlineStr"><is><t>late'
                                b"</t></is></c></row></sheetData>")
        return name, data

    path = _rewrite(_return(tmp_path / "plain.xlsx"), tmp_path / "far.xlsx", far)
    with measured("one cell at C1048576"):
        sheets, issues = read_sheets(path, "far.xlsx")
    assert issues == [] and [n for n, _cells in sheets[0].rows] == [1, 2, 1048576]
    assert sheets[0].rows[-1][1] == (None, None, "late")


@pytest.mark.parametrize(("count", "why"), [(2_000_000, "the limit is 16 MiB"), (70_000, "64,000 cell formats")])
def test_millions_of_cell_formats_are_refused(tmp_path: Path, count: int, why: str) -> None:
    import random

    numbers = random.Random(14)
    many = "".join(f'<xf numFmtId="{numbers.randrange(10**6)}"/>' for _ in range(count)).encode()

    def styles(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/styles.xml":
            data = data.split(b"<cellXfs")[0] + b"<cellXfs>" + many + b"</cellXfs></styleSheet>"
        return name, data

    path = _rewrite(_return(tmp_path / "plain.xlsx"), tmp_path / "styles.xlsx", styles)
    with measured(f"styles.xml with {count:,} cell formats ({path.stat().st_size / 2**20:.1f} MiB file)"):
        read, issues = read_return(path, Settings(), "styles.xlsx", "OPCC")
    assert read is None
    assert [i.code for i in issues] == ["unreadable-file"] and why in issues[0].message


def _with_shared_strings(name: str, data: bytes, strings: bytes, part: str = "sharedStrings.xml"
                         ) -> tuple[str, bytes]:
    """Add a shared-strings part (openpyxl writes inline strings) and make cell A2 use its first string."""
    if name == "xl/_rels/workbook.xml.rels":
        data = data.replace(b"</Relationships>", b'<Relationship Id="rId9" Target="' + part.encode() + b'" Type="'
                            b'http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
                            b"</Relationships>")
    if name == "xl/workbook.xml":
        return name, data  # the package gets its part through `extra`
    return name, data


def _rewrite_with(source: Path, target: Path, edit: Callable[[str, bytes], tuple[str, bytes]],
                  extra: dict[str, bytes]) -> Path:
    _rewrite(source, target, edit)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as package:
        for name, data in extra.items():
            package.writestr(name, data)
    return target


SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def test_shared_strings_past_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the limit (128 MiB) is read from the part's declared size, which zip cannot lie about without
    # failing its CRC: a smaller limit here tests the same check without writing 128 MiB
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS_BYTES", 1024)
    strings = SST + b"<si><t>" + os.urandom(1024).hex().encode() + b"</t></si></sst>"
    path = _rewrite_with(_return(tmp_path / "plain.xlsx"), tmp_path / "strings.xlsx",
                         lambda n, d: _with_shared_strings(n, d, strings), {"xl/sharedStrings.xml": strings})
    read, issues = read_return(path, Settings(), "strings.xlsx", "OPCC")
    assert read is None and "shared strings" in issues[0].message and "limit" in issues[0].message


ENTITY = b'<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'


def test_doctype_in_an_upper_case_shared_strings_part_is_refused(tmp_path: Path) -> None:
    strings = ENTITY + SST + b"<si><t>&secret;</t></si></sst>"
    path = _rewrite_with(_return(tmp_path / "plain.xlsx"), tmp_path / "entity.xlsx",
                         lambda n, d: _with_shared_strings(n, d, strings, "SharedStrings.XML"),
                         {"xl/SharedStrings.XML": strings})
    read, issues = read_return(path, Settings(), "entity.xlsx", "OPCC")
    assert read is None and "DOCTYPE" in issues[0].message


def test_doctype_in_an_upper_case_sheet_part_is_refused(tmp_path: Path) -> None:
    def entity(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            return "xl/worksheets/sheet1.XML", ENTITY + data
        return name, data.replace(b"sheet1.xml", b"sheet1.XML")

    path = _rewrite(_return(tmp_path / "plain.xlsx"), tmp_path / "entity.xlsx", entity)
    read, issues = read_return(path, Settings(), "entity.xlsx", "OPCC")
    assert read is None and "DOCTYPE" in issues[0].message


def test_reader_gives_the_values_openpyxl_gives(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["text", 12, 12.5, True, dt.datetime(2026, 10, 3), "=1+1", None, "ü ☃"])
    sheet.append([None, None, 3])
    sheet["B2"].number_format = "0.00"
    book.save(tmp_path / "types.xlsx")
    ours = read_sheets(tmp_path / "types.xlsx", "types.xlsx")[0][0].rows
    theirs = openpyxl.load_workbook(tmp_path / "types.xlsx", read_only=True, data_only=True).active
    assert theirs is not None
    expected = [tuple(row) for row in theirs.iter_rows(values_only=True)]
    values = [tuple(cell.value if isinstance(cell, DateCell) else cell for cell in cells) for _n, cells in ours]
    assert values == [row[: len(cells)] for row, (_n, cells) in zip(expected, ours)]
    assert values[0][:5] == ("text", 12, 12.5, True, dt.datetime(2026, 10, 3))
    assert isinstance(ours[0][1][4], DateCell)  # with what its format shows (openpyxl's yyyy-mm-dd h:mm:ss)
    assert ours[0][1][4].shows == {"day", "month", "year", "time"}


def test_a_fifo_among_the_returns_never_blocks(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    os.mkfifo(root / "inputs" / "returns" / "2026-10" / "x.csv")
    try:
        done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "validate", "--workspace", str(root)],
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("validate blocked on a FIFO")
    assert "x.csv is not a regular file" in done.stdout and "Traceback" not in done.stderr


def test_a_period_folder_linked_out_of_the_workspace_is_not_read(tmp_path: Path) -> None:
    from reportgen.errors import ReportgenError

    root = make_workspace(tmp_path / "ws")
    elsewhere = make_workspace(tmp_path / "elsewhere", period="2026-11")
    (root / "inputs" / "returns" / "2026-11").symlink_to(elsewhere / "inputs" / "returns" / "2026-11")
    assert periods(root) == ["2026-10"]
    inputs, _issues = find_inputs(root)
    assert inputs.period == "2026-10"
    with pytest.raises(ReportgenError, match="inputs/returns/2026-11 is a link"):
        find_inputs(root, "2026-11")


def test_a_register_linked_out_of_the_workspace_is_refused(tmp_path: Path) -> None:
    from reportgen.errors import ReportgenError

    root = make_workspace(tmp_path / "ws")
    outside = tmp_path / "register.xlsx"
    (root / "inputs" / "register.xlsx").rename(outside)
    (root / "inputs" / "register.xlsx").symlink_to(outside)
    with pytest.raises(ReportgenError, match="inside the workspace"):
        find_inputs(root)




def test_long_unbroken_runs_lay_out_in_bounded_time(tmp_path: Path) -> None:
    import docx
    import pypdf

    from conftest import default_returns
    from reportgen.run.build import build_draft

    dots, solid = ("a." * 16383)[:32766], "b" * 32766
    returns = default_returns()
    for rows in returns.values():
        rows[1:] = [(*row[:3], {1: dots, 2: solid}.get(int(row[0]), row[3]), *row[4:])  # type: ignore[call-overload]
                    for row in rows[1:]]
    root = make_workspace(tmp_path / "ws", returns=returns)
    with measured("build with two 32,766-character unbroken cells (116 s before)"):
        result = build_draft(root)
    assert sorted((i.code, i.ref) for i in result.issues if i.code == "long-word") == [
        ("long-word", 1), ("long-word", 2)]
    text = "".join(page.extract_text() or "" for page in pypdf.PdfReader(result.folder / "paper.pdf").pages)
    runs = [len(run) for run in re.findall(r"b+", text)]
    assert sum(runs) >= 32766 and max(runs) <= 60  # broken at least every 60 characters in the PDF
    cells = [c.text for t in docx.Document(str(result.folder / "paper.docx")).tables for r in t.rows for c in r.cells]
    assert solid in cells and dots in cells  # the Word paper keeps the text exactly
