"""`reportgen build` end to end: the real artefacts read back (DOCX, PDF, xlsx, CSV, JSON)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pikepdf
import pypdf
import pytest
from docx.oxml.ns import qn

from conftest import (
    ACTIONS,
    REFERENCE,
    REGISTER_HEADINGS,
    SAMPLE,
    copy_example,
    default_returns,
    make_workspace,
    needs_sample,
)
from reference import reference_rows, words
from reportgen.run.build import build_draft, validate_draft
from reportgen.shells.cli import main


def plan_rows(document: docx.document.Document) -> dict[int, list[str]]:
    table = document.tables[-1]
    rows = {}
    for row in table.rows[1:]:
        texts = [c.text for c in row.cells]
        if texts[0].isdigit():
            rows[int(texts[0])] = texts
    return rows


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


@pytest.fixture(scope="module")
def sample_draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "draft"
    result = build_draft(SAMPLE, out=out)
    assert result.folder == out
    return out


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example") / "ws")


@needs_sample
def test_sample_docx_holds_all_147_actions_as_published(sample_draft: Path) -> None:
    document = docx.Document(str(sample_draft / "paper.docx"))
    rows = plan_rows(document)
    published = reference_rows(REFERENCE)
    assert sorted(rows) == list(range(1, 148))
    for ref, (_ref, action, status, explanation, timeframe, page) in rows.items():
        expected = published[ref]
        assert status.split("\n")[0] == (expected.status or "No update"), ref  # 46: a row with nothing written
        assert timeframe == expected.timeframe, ref
        assert page == expected.page.replace(" ", ""), ref
        assert words(explanation) == words(expected.explanation), ref
        assert words(action) == words(expected.action), ref
    header = document.tables[-1].rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in header.cells][:3] == ["Plan priority", "Action", "Status this reporting period"]
    cover = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cover["DATE"] == "02 February 2023" and cover["FREEDOM OF INFORMATION EXEMPTION SECTION IF APPLICABLE"] == \
        "Not Exempt"
    assert document.core_properties.title == "DRAFT – Annual Delivery Plan (March 2022 – February 2023)"  # blocked
    assert document.core_properties.language == "en-GB"
    body = "\n".join(p.text for p in document.paragraphs)
    assert "33 actions are 'Complete'" in body and "86 actions are 'In Progress'" in body


@needs_sample
def test_sample_pdf_is_tagged_numbered_and_complete(sample_draft: Path) -> None:
    pages = pdf_pages(sample_draft / "paper.pdf")
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    flat = re.sub(r"\s+", " ", " ".join(pages))
    for ref, row in reference_rows(REFERENCE).items():
        assert row.timeframe in flat, ref
    assert "Not started yet – phase 2" in flat and "No update received this period" in flat
    with pikepdf.open(sample_draft / "paper.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo["/Title"]) == "DRAFT – Annual Delivery Plan (March 2022 – February 2023)"  # blocked


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_sample
def test_sample_draft_folder_records(sample_draft: Path) -> None:
    assert sorted(p.name for p in sample_draft.iterdir()) == [
        "chase.csv", "draft.json", "issues.csv", "manifest.json", "paper.docx", "paper.html", "paper.pdf",
        "register.xlsx"]
    record = json.loads((sample_draft / "manifest.json").read_text())
    assert sorted(record) == ["manifest", "schema"] and record["schema"] == 1
    manifest = record["manifest"]
    assert [item["path"] for item in manifest["inputs"]] == [
        "reportgen.toml", "inputs/register.xlsx",
        *(f"inputs/returns/2023-02/{name}.xlsx" for name in (
            "county-community-safety-unit", "criminal-justice-board", "hertfordshire-constabulary", "opcc")),
        "narrative.md"]
    for item in manifest["inputs"]:
        source = SAMPLE / item["path"]
        assert (item["size"], item["sha256"]) == (source.stat().st_size, _sha256(source))
    outputs = {item["path"]: item["sha256"] for item in manifest["outputs"]}
    assert sorted(outputs) == sorted(p.name for p in sample_draft.iterdir() if p.name != "manifest.json")
    assert all(_sha256(sample_draft / name) == digest for name, digest in outputs.items())
    assert manifest["counts"] == [["Completed", 33], ["In progress", 86], ["Not started", 26], ["On hold", 0]]
    with (sample_draft / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        issues = list(csv.DictReader(stream))
    # a machine without Arial adds a note that the PDF uses Liberation Sans (same widths), last
    font = [row for row in issues if row["code"] == "font-substituted"]
    assert [row["severity"] for row in font] in ([], ["info"])
    fields = ("code", "severity", "file", "sheet", "row", "column", "value", "ref")
    # the two statuses an officer has to settle, a warning for the list that may have swallowed the sentence after
    # it, and a note for each sentence the returns' HTML broke in two
    returns, explanation = "inputs/returns/2023-02/", "Explanation / Link to meeting papers"
    assert [tuple(row[field] for field in fields) for row in issues if row not in font] == [
        ("no-update", "warning", "inputs/register.xlsx", "", "47", "", "", "46"),  # its row has nothing written
        ("list-not-closed", "warning", f"{returns}county-community-safety-unit.xlsx", "Return", "5", explanation,
         "Drug testing those arrested for acquisitive crimes which includes the night-time economy Those naïve to "
         "treatment are given support, education and treatment as part of their conditions.", "49"),
        ("paragraphs-joined", "info", f"{returns}county-community-safety-unit.xlsx", "Return", "6", explanation,
         "…with partners including getting / messages out to drug…", "54"),
        ("empty-status", "error", f"{returns}criminal-justice-board.xlsx", "Return", "13",
         "Status this reporting period", "", "46"),
        *(("paragraphs-joined", "info", f"{returns}hertfordshire-constabulary.xlsx", "Return", row, explanation, value,
           ref) for row, value, ref in (
            ("17", "…Triage Manager (FTM) has / been appointed. This aids…", "86"),
            ("19", "…officers have a clear / understanding of the expectations…", "89"),
            ("20", "…the Complaints Resolution Team / (CRT) to ensure that…", "91"),
            ("24", "…and workforce development scrutinise / cases to ensure compliance…", "98"))),
        ("unknown-status", "error", f"{returns}opcc.xlsx", "Return", "8",
         "Status this reporting period", "Not started yet – phase 2", "24"),
        ("paragraphs-joined", "info", f"{returns}opcc.xlsx", "Return", "12", explanation,
         "…responsible owner of processes, / documentation, governance etc. There…", "32"),
        ("paragraphs-joined", "info", f"{returns}opcc.xlsx", "Return", "70", explanation,
         "…of our current emissions, / which will provide us…", "141"),
    ]
    assert all(row["message"] and row["advice"] for row in issues)
    severities = [row["severity"] for row in issues]
    assert manifest["issue_counts"] == [[name, severities.count(name)] for name in sorted(set(severities))]
    book = openpyxl.load_workbook(sample_draft / "register.xlsx")
    sheet = book["Register"]
    assert sheet.max_row == 148 and sheet["A2"].value == 1 and sheet["E25"].value == "Not started yet – phase 2"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b and not sheet["A2"].font.b  # headings stay in view
    assert sheet["G2"].alignment.wrap_text and sheet["G2"].alignment.vertical == "top"
    assert sheet.column_dimensions["G"].width == 70


def test_example_builds_with_links_and_no_blocking_issues(example: Path) -> None:
    result = build_draft(example)
    assert result.folder == example / "outputs" / "2026-10" / "draft-01"
    assert not result.blocking
    document = docx.Document(str(result.folder / "paper.docx"))
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    assert "https://www.wessex-pcc.example.gov.uk/seb" in targets
    assert all(t.startswith(("https://", "http://", "mailto:")) for t in targets)
    links = document.element.body.findall(".//" + qn("w:hyperlink"))
    assert links and all(link.get(qn("r:id")) in document.part.rels for link in links)
    for row in document.tables[-1].rows[1:]:
        assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_consecutive_builds_make_draft_01_then_02_and_never_overwrite(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    first = build_draft(root)
    before = {p.name: p.read_bytes() for p in first.folder.iterdir()}
    second = build_draft(root)
    assert (first.folder.name, second.folder.name) == ("draft-01", "draft-02")
    assert {p.name: p.read_bytes() for p in first.folder.iterdir()} == before
    # same inputs and settings: the same paper, byte for byte
    for name in ("paper.docx", "paper.pdf", "draft.json", "register.xlsx", "issues.csv"):
        assert (first.folder / name).read_bytes() == (second.folder / name).read_bytes(), name


def test_build_command_prints_the_folder_last_and_exit_codes(example: Path, capsys, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "mine"
    assert main(["build", "--workspace", str(example), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(out)
    assert main(["build", "--workspace", str(example), "--out", str(out)]) == 2  # exists: never overwritten
    assert "never overwriting" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)  # a relative --out: the folder printed absolute, as every other build prints it
    assert main(["build", "--workspace", str(example), "--out", "relative"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(tmp_path / "relative")
    with pytest.raises(SystemExit) as usage:
        main(["build", "--edition", "secret"])
    assert usage.value.code == 2


def test_wrong_usage_is_one_sentence_pointing_at_the_help_of_the_command_used(tmp_path: Path) -> None:
    """A mistyped command printed "Did you mean 'build'?." (two stops), and an option given no value (`build
    --workspace`) pointed at `reportgen --help`, which does not describe it, where every other error of a command
    points at that command's own help. Each is one sentence, exit 2, pointing at the help that describes it."""
    said = {}
    for argv in (["biuld"], ["build", "--workspace"], ["collect", "--period"], ["build", "--bogus"]):
        done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *argv], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120, check=False)
        assert (done.returncode, done.stdout) == (2, ""), done.stderr
        said[" ".join(argv)] = done.stderr
    assert said == {
        "biuld": "reportgen: error: No such command 'biuld'. Did you mean 'build'? See `reportgen --help`.\n",
        "build --workspace": "reportgen: error: Option '--workspace' requires an argument. "
                             "See `reportgen build --help`.\n",
        "collect --period": "reportgen: error: Option '--period' requires an argument. "
                            "See `reportgen collect --help`.\n",
        "build --bogus": "reportgen: error: No such option '--bogus'. Did you mean '--out'? "
                         "See `reportgen build --help`.\n",
    }


def test_changes_since_the_last_draft_section_when_switched_on(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    toml = (root / "reportgen.toml").read_text().replace("[paper]\n", "[paper]\nchanges_section = true\n", 1)
    (root / "reportgen.toml").write_text(toml)
    september = build_draft(root, "2026-09")
    assert september.paper.changes == ()
    october = build_draft(root)
    before = {row.ref: row.status_label for row in september.paper.rows}
    moved = {row.ref for row in october.paper.rows if row.ref in before and before[row.ref] != row.status_label}
    assert moved and {move.ref for move in october.paper.changes} == moved
    document = docx.Document(str(october.folder / "paper.docx"))
    changes = next(t for t in document.tables if t.rows[0].cells[-1].text == "Now")
    assert {int(r.cells[0].text) for r in changes.rows[1:]} == moved
    text = " ".join(pdf_pages(october.folder / "paper.pdf"))
    assert "Changes since the last draft" in text


@pytest.mark.parametrize("columns", [None, '["ref", "status", "timeframe"]'])
def test_register_xlsx_keeps_list_markers_and_numbers_its_refs(tmp_path: Path, columns: str | None) -> None:
    """register.xlsx: a list item keeps its bullet or number (indented a level down); the ref is a
    number, also when the paper's table shows neither the action nor the explanation; it prints
    landscape, one page wide, its headings on every page."""
    register = [REGISTER_HEADINGS, *ACTIONS[:-1],
                (6, "Justice", "OPCC", "<p>Lobby for:</p><ul><li>court capacity</li><li>listings</li></ul>", "16")]
    returns = default_returns()
    returns["opcc.xlsx"] = [row if row[0] != 6 else (6, row[1], "In progress", (
        "<p>Two steps:</p><ol><li>Write</li><li>Meet<ul><li>in May</li></ul></li></ol><p>Then <b>report</b>.</p>"),
        "2027") for row in returns["opcc.xlsx"]]
    toml = "" if columns is None else (
        '[paper]\nmeeting = "Police and Crime Panel"\ndate = 2026-11-05\ntitle = "Plan"\n'
        f"table_columns = {columns}\n")
    result = build_draft(make_workspace(tmp_path / "ws", register=register, returns=returns, toml=toml))
    sheet = openpyxl.load_workbook(result.folder / "register.xlsx")["Register"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert sorted(rows) == [1, 2, 3, 4, 5, 6] and sheet["A2"].data_type == "n"
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight,
            sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.print_title_rows) == ("landscape", 1, 0, True, "$1:$1")
    # the partner's HTML is read as the paper reads it, whether or not the paper's table shows it
    assert rows[6][6].value == "Two steps:\n1. Write\n2. Meet\n  • in May\nThen report."
    if columns is not None:  # the paper keeps the action's words alone when its table does not show it
        assert rows[6][3].value == "Lobby for:\ncourt capacity\nlistings"
        return
    assert rows[6][3].value == "Lobby for:\n• court capacity\n• listings"
    assert rows[1][6].value == "Update on action 1." and rows[1][6].data_type == "s"


def test_issues_are_listed_file_by_file_errors_first_in_the_csv_the_console_and_the_paper(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """issues.csv and the paper's "Issues to resolve" list the issues as the console does: file by file,
    and in a file errors, then warnings, then notes, by row (they were in the order they were found)."""
    returns = default_returns()
    opcc = [list(row) for row in returns["opcc.xlsx"]]
    opcc[3][2] = "Maybe"  # row 4: an error after rows that are fine
    opcc.append([99, "", "Completed", "Not ours.", ""])  # row 5: another error (unknown ref)
    returns["opcc.xlsx"] = [tuple(row) for row in opcc]
    police = [list(row) for row in returns["wessex-police.xlsx"]]
    police[1][2] = ""  # row 2: empty status, an error in another file
    returns["wessex-police.xlsx"] = [tuple(row) for row in police[:2]]  # action 3 not updated: the register's
    root = make_workspace(tmp_path / "ws", returns=returns)
    assert main(["build", "--workspace", str(root)]) == 1
    printed = capsys.readouterr().out
    [folder] = (root / "outputs" / "2026-10").glob("draft-*")
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    rank = {"error": 0, "warning": 1, "info": 2}
    keys = [(row["file"], rank[row["severity"]], int(row["row"] or 0)) for row in rows]
    assert keys == sorted(keys) and rows[0]["file"] == "inputs/register.xlsx"  # found last, listed first
    errors = [(row["file"].rsplit("/", 1)[-1], row["row"]) for row in rows if row["severity"] == "error"]
    assert errors == [("opcc.xlsx", "4"), ("opcc.xlsx", "5"), ("wessex-police.xlsx", "2")]
    # the console shows the same files in the same order
    shown = [line.strip() for line in printed.splitlines() if line.strip().startswith("inputs/")]
    assert shown == list(dict.fromkeys(row["file"] for row in rows if row["severity"] != "info"))
    # and so does the paper's list of what blocks publication
    text = " ".join(pypdf.PdfReader(folder / "paper.pdf").pages[0].extract_text().split())
    positions = [text.index(f"{name}, sheet 'Return', row {row}") for name, row in errors]
    assert positions == sorted(positions)


def test_only_notes_say_so_and_are_counted() -> None:
    """A run whose only issues are notes said "No issues found." above "1 note … not shown"."""
    from rich.console import Console

    from reportgen.issues import issue
    from reportgen.shells.console import print_issues

    console = Console(record=True, width=200)
    note = issue("carried-forward", lead="OPCC", status="In progress", source="draft-01", ref=2,
                 file="inputs/register.xlsx", row=3)
    print_issues(console, [note])
    expected = "No errors or warnings. 1 note for information not shown (see issues.csv, or --all)."
    assert " ".join(console.export_text().split()) == expected
    print_issues(console, [])
    assert console.export_text().strip() == "No issues found."
    print_issues(console, [note], in_csv=False)  # validate: no issues.csv to see
    assert " ".join(console.export_text().split()) == (
        "No errors or warnings. 1 note for information not shown (--all shows them).")


def test_a_paper_with_not_one_return_read_blocks_publication_and_says_where_the_returns_are(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Returns put in the wrong month's folder (or none yet): the paper of "No update" throughout, or of
    last month's statuses carried forward, is marked DRAFT and the exit code says so; the issue names the
    folder looked in, the folders that hold returns, and what to do. The earlier draft is left as it was."""
    root = make_workspace(tmp_path / "ws", period="2026-09")
    assert main(["build", "--workspace", str(root)]) == 0
    [september] = (root / "outputs" / "2026-09").glob("draft-*")
    kept = {path.name: path.read_bytes() for path in september.iterdir()}
    (root / "inputs" / "returns" / "2026-10").mkdir()  # October's returns not there: its folder empty
    capsys.readouterr()
    assert main(["validate", "--workspace", str(root)]) == 1
    assert main(["build", "--workspace", str(root)]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    message = ("No return was read for 2026-10: the folder inputs/returns/2026-10 holds no return files, but "
               "inputs/returns/2026-09 (3 files) do. Every action is shown with no update this period (its last "
               "reported status carried forward, where there is one).")
    assert message in printed and "reportgen build --period 2026-09" in printed
    [october] = (root / "outputs" / "2026-10").glob("draft-*")
    with (october / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        [row] = [row for row in csv.DictReader(stream) if row["code"] == "no-returns"]
    assert (row["severity"], row["file"], row["message"]) == ("error", "inputs/returns/2026-10", message)
    first = " ".join(pdf_pages(october / "paper.pdf")[0].split())
    assert "DRAFT – not for publication: 1 issue to resolve" in first and message in first
    assert {path.name: path.read_bytes() for path in september.iterdir()} == kept

    # the folder holds a file, but none could be read as October's return
    (root / "inputs" / "returns" / "2026-10" / "opcc.xls").write_bytes(b"old")
    assert main(["build", "--workspace", str(root)]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert ("No return was read for 2026-10: none of the files in inputs/returns/2026-10 (1 file) could be used "
            "(see each file's issues), and inputs/returns/2026-09 (3 files) hold returns.") in printed


@pytest.mark.parametrize(("names", "told"), [
    (["register.xls"], "register.xls is an old .xls workbook, which reportgen does not read; open it in Excel or "
                       "LibreOffice and save it as register.xlsx"),
    (["Master Action Register.xlsx"], "it holds Master Action Register.xlsx; if that is the register, rename it "
                                      "register.xlsx"),
    (["register.txt", "notes.txt"], "register.txt is a text file (Excel's Text or Unicode Text format), which "
                                    "reportgen does not read; open it in Excel or LibreOffice and save it as "
                                    "register.xlsx"),
    (["Register 2025.ods"], "it holds Register 2025.ods; if that is the register, save it as register.xlsx"),
    (["Lookups.csv", "Plan.xlsx"], "it holds Lookups.csv, Plan.xlsx; if one of them is the register, name it "
                                   "register.xlsx (or register.csv)"),
])
def test_a_register_saved_under_another_name_or_format_is_named_with_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], names: list[str], told: str) -> None:
    """A new office puts its register in inputs/ as it names it, or as .xls: the one line says which file is
    there and what to do, not only that there is no register; nothing is written."""
    root = make_workspace(tmp_path / "ws")
    register = root / "inputs" / "register.xlsx"
    for name in names:
        (root / "inputs" / name).write_bytes(register.read_bytes())
    register.unlink()
    for command in (["validate"], ["build"], ["returns", "--period", "2026-10"]):
        assert main([*command, "--workspace", str(root)]) == 1
        error = capsys.readouterr().err
        assert error.startswith(f"reportgen: error: no register in {root / 'inputs'} (expected register.xlsx or "
                                "register.csv)")
        assert told in " ".join(error.split())
    assert not (root / "outputs").exists()


def test_a_new_workspace_with_no_returns_folder_is_told_where_to_put_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new office's first build, before any returns are filed: the error said "give --period", which only
    led to a second refusal (that period has no returns folder). It now says where the returns go, and
    following it builds the paper."""
    root = make_workspace(tmp_path / "ws")
    returns = root / "inputs" / "returns"
    (returns / "2026-10").rename(tmp_path / "received")
    returns.rmdir()
    assert main(["build", "--workspace", str(root)]) == 1
    error = " ".join(capsys.readouterr().err.split())
    assert (f"no period folders (YYYY-MM) in {returns}: put the returns in a folder named for the month they "
            "report, inputs/returns/YYYY-MM, and run again.") in error
    assert "--period" not in error
    assert not (root / "outputs").exists()

    returns.mkdir()
    (tmp_path / "received").rename(returns / "2026-10")
    assert main(["build", "--workspace", str(root)]) == 0
    assert (root / "outputs" / "2026-10" / "draft-01" / "paper.pdf").is_file()


def test_returns_in_a_folder_not_named_as_a_period_are_named_never_passed_over(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new office files a month's returns in inputs/returns/November 2026: the build without --period said
    only that there are no period folders, and once another period's folder was there it built that period
    without a word of the folder it passed over. Both now name the folder and the period folder to use."""
    root = make_workspace(tmp_path / "ws")
    returns = root / "inputs" / "returns"
    (returns / "2026-10").rename(returns / "November 2026")
    assert main(["build", "--workspace", str(root)]) == 1
    error = " ".join(capsys.readouterr().err.split())
    assert ("inputs/returns holds November 2026, not named as a period: a period's returns are read from its "
            "folder, e.g. inputs/returns/2026-11.") in error
    assert main(["build", "--workspace", str(root), "--period", "2026-11"]) == 2
    assert "inputs/returns holds November 2026, not named as a period" in " ".join(capsys.readouterr().err.split())
    assert not (root / "outputs").exists()

    (returns / "2026-10").mkdir()  # last month's folder, empty: the newest period, built with the warning
    assert main(["build", "--workspace", str(root)]) == 1
    [folder] = (root / "outputs" / "2026-10").glob("draft-*")
    with (folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = [row for row in csv.DictReader(stream) if row["file"] == "inputs/returns/November 2026"]
    assert [(r["code"], r["severity"]) for r in rows] == [("unknown-file-type", "warning")]
    assert rows[0]["message"] == ("inputs/returns/November 2026 is not a period folder (YYYY-MM), so nothing in it "
                                  "is read.")
    assert "e.g. inputs/returns/2026-11" in rows[0]["advice"]
    # a partner's return saved straight into inputs/returns is said to be a file there, with the folder it goes in
    shutil.copy(root / "inputs" / "returns" / "November 2026" / "opcc.xlsx", returns / "opcc November 2026.xlsx")
    said = [i for i in validate_draft(root).issues if i.file == "inputs/returns/opcc November 2026.xlsx"]
    assert [i.message for i in said] == ["inputs/returns/opcc November 2026.xlsx lies in inputs/returns itself, not "
                                         "in a period's folder, so it was not read."]
    assert said[0].advice == "Move it into the folder of the period it is for, e.g. inputs/returns/2026-11/."



def test_a_folder_that_is_no_workspace_is_wrong_usage_naming_the_workspace_inside_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--workspace /tmp` or the folder above the workspace said "no register in /tmp/inputs" and exited 1, as a
    workspace's own problem; the README's exit 2 is for no such workspace. Nothing is written."""
    root = make_workspace(tmp_path / "above" / "wessex")
    for command in (["validate"], ["build"]):
        assert main([*command, "--workspace", str(tmp_path / "above")]) == 2
        error = capsys.readouterr().err
        assert error.strip() == (f"reportgen: error: {tmp_path / 'above'} is not a workspace: it holds neither "
                                 f"inputs/ nor reportgen.toml; {root} holds inputs/: is that the workspace? "
                                 f"(--workspace {root})")
    assert not (tmp_path / "above" / "outputs").exists() and not (root / "outputs").exists()
