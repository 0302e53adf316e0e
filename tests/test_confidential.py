"""Exempt (Part II) actions: a canary in every exempt field appears nowhere in the public edition."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pypdf
import pytest
from openpyxl.packaging.custom import StringProperty

from canary import CANARY, canary_leaks, exempt_workspace
from conftest import (
    ACTIONS,
    REGISTER_HEADINGS,
    RETURN_HEADINGS,
    copy_example,
    default_returns,
    make_workspace,
    rewrite_kept_record,
    write_csv,
)
from reportgen.diff.render import compare_drafts
from reportgen.issue_codes import CODES
from reportgen.read.returns import PERIOD_PROPERTY
from reportgen.run.build import build_draft, validate_draft
from reportgen.run.returns import write_return_workbooks
from reportgen.terms import Edition

RETURN_ROW_ADVICE = CODES["missing-ref"].advice_text("return")  # a return's row, not the register's


def test_canary_appears_nowhere_in_the_public_edition(tmp_path: Path) -> None:
    root = exempt_workspace(tmp_path / "ws")
    first = build_draft(root)
    assert [row.ref for row in first.paper.rows] == [1, 2]
    assert first.paper.exempt_count == 1 and "Not shown in this paper: 1 action, exempt" in first.paper.exempt_note
    second = build_draft(root)
    compared = compare_drafts(first.folder, second.folder)
    assert canary_leaks(root / "outputs") == []
    assert compared.folder.is_dir()
    # counted, not listed: its ref would say which action is exempt; the restricted edition lists it
    assert not any(i.ref == 7 for i in first.issues)
    counted = [i for i in first.issues if i.code in ("exempt-errors", "exempt-warnings", "exempt-notes")]
    assert counted and all("The restricted edition lists them." in i.message for i in counted)
    assert all(CANARY not in i.message and CANARY not in i.value for i in first.issues)


def test_canary_test_would_catch_a_leak(tmp_path: Path) -> None:
    root = exempt_workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted")
    assert 7 in [row.ref for row in restricted.paper.rows]
    assert restricted.paper.marking == "RESTRICTED"
    assert "paper.docx:word/document.xml" in canary_leaks(restricted.folder)
    assert "paper.pdf:text" in canary_leaks(restricted.folder)
    assert "paper.html" in canary_leaks(restricted.folder)


def test_restricted_edition_marks_every_page(tmp_path: Path) -> None:
    result = build_draft(exempt_workspace(tmp_path / "ws"), edition="restricted")
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(result.folder / "paper.pdf").pages]
    assert pages and all("RESTRICTED" in text for text in pages)
    import docx

    document = docx.Document(str(result.folder / "paper.docx"))
    assert all("RESTRICTED" in "".join(p.text for p in s.header.paragraphs) for s in document.sections)


def test_restricted_register_workbook_is_marked_on_its_sheet_and_every_printed_page(tmp_path: Path) -> None:
    """register.xlsx of the restricted edition holds the exempt actions: marked as its paper is."""
    root = exempt_workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted")
    [sheet] = openpyxl.load_workbook(restricted.folder / "register.xlsx").worksheets
    assert 7 in [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert sheet.title == "Register RESTRICTED"
    assert (sheet.oddHeader.center.text, sheet.oddFooter.center.text) == ("RESTRICTED", "RESTRICTED")
    [public] = openpyxl.load_workbook(build_draft(root).folder / "register.xlsx").worksheets
    assert (public.title, public.oddHeader.center.text, public.oddFooter.center.text) == ("Register", None, None)


def _properties(folder: Path) -> dict[str, tuple[str, str]]:
    """Each file's own title and keywords, as a file list, a viewer's title bar or a document system reads them."""
    import docx
    import lxml.html
    import pikepdf

    [word] = [path for path in folder.glob("*.docx")]
    core = docx.Document(str(word)).core_properties
    found = {"docx": (core.title, core.keywords)}
    for name in ("paper.pdf", "diff.pdf"):
        if (folder / name).is_file():
            with pikepdf.open(folder / name) as pdf:
                info, xmp = pdf.docinfo, pdf.open_metadata()
                assert str(xmp.get("dc:title")) == str(info["/Title"])  # the XMP says the same
                assert str(xmp.get("pdf:Keywords", "")) == str(info.get("/Keywords", ""))
                found[name] = (str(info["/Title"]), str(info.get("/Keywords", "")))
    for name in ("paper.html", "diff.html"):
        if (folder / name).is_file():
            found[name] = (lxml.html.fromstring((folder / name).read_bytes()).findtext(".//title"), "")
    return found


def test_a_restricted_file_forwarded_alone_says_what_it_is_in_its_own_properties(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The restricted edition's DOCX and PDF (and its web page's title) are marked in their document properties,
    not only on their pages: a file listed, searched or opened to its title bar says RESTRICTED; the public
    edition's are as they were."""
    from reportgen.shells.cli import main

    root = exempt_workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted")
    marked = f"RESTRICTED – {restricted.paper.title}"
    assert _properties(restricted.folder) == {"docx": (marked, "RESTRICTED"), "paper.pdf": (marked, "RESTRICTED"),
                                              "paper.html": (marked, "")}
    public = build_draft(root)
    assert public.paper.title == restricted.paper.title
    assert _properties(public.folder) == {"docx": (public.paper.title, ""), "paper.pdf": (public.paper.title, ""),
                                          "paper.html": (public.paper.title, "")}
    assert main(["diff", str(public.folder), str(restricted.folder), "--allow-restricted"]) == 0
    compared = Path(capsys.readouterr().out.strip().splitlines()[-1])
    changes = f"{marked}: changes between drafts"
    assert _properties(compared) == {"docx": (marked, "RESTRICTED"), "diff.pdf": (changes, "RESTRICTED"),
                                     "diff.html": (changes, "")}


def test_a_restricted_drafts_issue_and_chase_lists_are_marked_on_every_row(tmp_path: Path) -> None:
    """issues.csv and chase.csv of the restricted edition name exempt actions and their leads: forwarded alone,
    each says what it is, in a last column that leaves the documented ones where they were; the public ones
    are as they were."""
    root = exempt_workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted")
    public = build_draft(root)
    for name, heading in (("issues.csv", "marking"), ("chase.csv", "Marking")):
        marked = list(csv.reader(io.StringIO((restricted.folder / name).read_text(encoding="utf-8-sig"))))
        plain = list(csv.reader(io.StringIO((public.folder / name).read_text(encoding="utf-8-sig"))))
        assert marked[0] == [*plain[0], heading] and len(marked) > 1
        assert all(row[-1] == "RESTRICTED" and len(row) == len(marked[0]) for row in marked[1:]), name
        assert heading not in plain[0] and all(len(row) == len(plain[0]) for row in plain)
    table = list(csv.DictReader(io.StringIO((restricted.folder / "issues.csv").read_text(encoding="utf-8-sig"))))
    assert any(row["ref"] == "7" and row["marking"] == "RESTRICTED" for row in table)


@pytest.mark.parametrize("flag", ["maybe", "TBC"])
def test_unrecognised_flag_fails_closed(tmp_path: Path, flag: str) -> None:
    result = build_draft(exempt_workspace(tmp_path / "ws", flag=flag))
    assert 7 not in [row.ref for row in result.paper.rows]
    # counted, not listed (its row would say which action), and still blocking
    assert [(i.code, i.row, i.blocking) for i in result.issues if i.code in ("exempt-flag", "exempt-errors")] == [
        ("exempt-errors", None, True)]
    assert canary_leaks(result.folder) == []


# ---------------------------------------------------------------- issue 14: every public output, every field

LONG = CANARY + " " + "x" * 33_000  # over Excel's cell limit: the row is reported, its text must not be


def _hostile_workspace(root: Path) -> Path:
    """An exempt-only lead, exempt text in every field (over-long and malformed cells too), odd flags."""
    secret_lead = f"{CANARY} Fire Service"
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
                (2, "", "OPCC", "Published action", "2", ""),
                (7, f"{CANARY} section", "OPCC", f"{CANARY} secret action", f"{CANARY} page", "Yes"),
                (8, "", secret_lead, f"{CANARY} only action of an exempt-only lead", "8", "Yes"),
                (9, "", "OPCC", f"{CANARY} oddly flagged", "9", f"{CANARY}-flag"),
                (10, "", "OPCC", LONG, "10", "Yes"),
                (11, "", "OPCC", f"{CANARY}_x0007_ control", "11", "yes "),
                (12, "", secret_lead, f"{CANARY} second", "12", "Part II")]
    returns = {"wessex-police.xlsx": [RETURN_HEADINGS, (1, "", "Completed", "Open update", "2027")],
               "opcc.csv": [RETURN_HEADINGS, (2, "", "In progress", "Published update", "2027"),
                             (7, f"{CANARY} wording", f"{CANARY} status", f"{CANARY} explanation",
                              f"{CANARY} timeframe"),
                             (9, "", "Completed", LONG, "2027"),
                             (11, "", "Completed", f"{CANARY}_x0007_ explanation", "2027"),
                             # no reference: which action it is about cannot be told, so it may be an exempt one
                             (None, f"{CANARY} wording of a row without a ref", "Completed", "", "")],
               "stranger.xlsx": [RETURN_HEADINGS, (1, "", "Completed", "From nobody", "2027")]}
    make_workspace(root, register=register, returns=returns)
    (root / "inputs" / "register.xlsx").unlink()  # CSV: Excel (and openpyxl) would cut the long cell short
    write_csv(root / "inputs" / "register.csv", register)
    return root


def test_public_outputs_hold_nothing_of_exempt_actions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reportgen.shells.cli import main

    root = _hostile_workspace(tmp_path / "ws")
    first = build_draft(root)
    assert [row.ref for row in first.paper.rows] == [1, 2]
    assert main(["build", "--workspace", str(root)]) == 1  # the odd flag blocks, as before
    printed = capsys.readouterr()
    second = Path(printed.out.strip().splitlines()[-1])
    assert compare_drafts(first.folder, second).folder.is_dir()
    assert main(["diff", str(first.folder), str(second), "--out", str(root / "outputs" / "cli-diff")]) == 0
    printed_diff = capsys.readouterr()
    assert canary_leaks(root / "outputs") == []
    for text in (printed.out, printed.err, printed_diff.out, printed_diff.err):
        assert CANARY not in text
    result_text = repr(first.issues) + repr(first.chase)  # what the Prefect artifacts are made from
    assert CANARY not in result_text
    # the odd flag is counted with the other errors about exempt actions, not listed at its row, and blocks
    assert "exempt-flag" not in {i.code for i in first.issues}
    assert [(i.file, i.row, i.value) for i in first.issues if i.code == "exempt-errors"] == [("", None, "")]
    chase = (first.folder / "chase.csv").read_text(encoding="utf-8-sig")
    # headings, Wessex Police (naming stranger.xlsx, which holds a row of its action), OPCC: no row for the
    # exempt-only lead
    assert chase.count("\n") == 3 and "stranger.xlsx" in chase.splitlines()[1]
    assert "7" not in chase.splitlines()[2].split(",")[5]


def test_restricted_edition_keeps_what_public_hides(tmp_path: Path) -> None:
    root = _hostile_workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted")
    chase = (restricted.folder / "chase.csv").read_text(encoding="utf-8-sig")
    assert f"{CANARY} Fire Service" in chase
    assert any(i.code == "exempt-flag" and CANARY in i.value for i in restricted.issues)
    assert any(i.code == "missing-ref" and CANARY in i.message for i in restricted.issues)


def test_what_a_return_row_holds_is_quoted_only_where_its_action_is_public(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A formula, a hidden column nobody reads, words struck through and a row without a reference are each
    quoted in their issue: in the public edition only for a published action's row (for a row without one,
    nobody can tell)."""
    import zipfile

    from openpyxl.styles import Font

    from reportgen.shells.cli import main

    root = exempt_workspace(tmp_path / "ws")
    path = root / "inputs" / "returns" / "2026-10" / "opcc.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet["F1"], sheet["F3"] = "Internal notes", f"{CANARY} note"  # row 3: exempt action 7
    sheet["F2"] = None
    sheet["D3"] = f'="{CANARY} formula"'
    sheet.append([None, f"{CANARY} wording", "Completed", f'="{CANARY} formula of a row without a ref"',
                  f"{CANARY} struck through"])
    sheet["E3"] = f"{CANARY} struck through in an exempt row"
    sheet["E3"].font = sheet.cell(sheet.max_row, 5).font = Font(strike=True)
    sheet.column_dimensions["F"].hidden = True
    book.save(path)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    # the last calculated value, as Excel keeps it
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<c r="D3"><f>', b'<c r="D3" t="str"><f>').replace(b"</f><v></v>", f"</f><v>{CANARY} value</v>".encode(), 1)
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    for edition in ("public", "restricted"):
        assert main(["validate", "--workspace", str(root), "--all", "--edition", edition]) == 1
        printed = capsys.readouterr().out
        issues = validate_draft(root, edition=edition).issues
        codes = [i.code for i in issues if i.file.endswith("opcc.xlsx")]
        # the public edition counts the issues of exempt action 7's row, and lists the row without a ref's
        assert ({"formula-error", "missing-ref", "struck-text"} if edition == "public" else
                {"formula-cell", "formula-error", "unread-column", "missing-ref", "struck-text"}) <= set(codes)
        if edition == "public":
            assert CANARY not in printed and all(CANARY not in i.message + i.value for i in issues)
        else:
            quoted = [i.code for i in issues if CANARY in i.message + i.value]
            assert {"formula-cell", "formula-error", "unread-column", "missing-ref", "struck-text"} <= set(quoted)


def test_diff_across_editions_is_refused_unless_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reportgen.errors import UsageError
    from reportgen.shells.cli import main

    root = _hostile_workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted")
    public = build_draft(root)
    for old, new in ((restricted.folder, public.folder), (public.folder, restricted.folder)):
        with pytest.raises(UsageError, match="edition"):
            compare_drafts(old, new)
        assert main(["diff", str(old), str(new)]) == 2
    printed = capsys.readouterr()
    assert CANARY not in printed.out + printed.err
    assert not (root / "outputs" / "2026-10" / "compare").exists()
    assert canary_leaks(root / "outputs" / "2026-10" / public.folder.name) == []
    assert main(["diff", str(public.folder), str(restricted.folder), "--allow-restricted"]) == 0
    printed = capsys.readouterr()
    assert printed.out.startswith("RESTRICTED")
    folder = Path(printed.out.strip().splitlines()[-1])
    assert "RESTRICTED" in (folder / "diff.html").read_text(encoding="utf-8")
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(folder / "diff.pdf").pages]
    assert all("RESTRICTED" in text for text in pages)
    import docx

    document = docx.Document(str(folder / "diff.docx"))
    assert all("RESTRICTED" in "".join(p.text for p in s.header.paragraphs) for s in document.sections)
    compared = json.loads((folder / "diff.json").read_text(encoding="utf-8"))["diff"]
    # each side's edition as kept (a mixed comparison must not read as two restricted drafts), both marked
    assert [(compared[side]["edition"], compared[side]["marking"]) for side in ("old", "new")] == [
        ("public", "RESTRICTED"), ("restricted", "RESTRICTED")], {k: compared[k] for k in ("old", "new")}


def test_each_editions_first_draft_says_so_and_later_ones_are_compared_with_their_own_edition(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The two editions share one draft numbering: public draft-01, restricted draft-02, public draft-03. Restricted
    draft-02's "Changes since the last draft" said "This is the first draft", beside a kept draft-01; now it says
    it is the restricted edition's first, and public draft-03 names public draft-01 as the one it is compared with."""
    import docx

    root = exempt_workspace(tmp_path / "ws")
    settings = root / "reportgen.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("[paper]\n", "[paper]\nchanges_section = true\n",
                                                                     1), encoding="utf-8")
    folders = [_built(root, capsys, edition, exits=(0, 1)) for edition in ("public", "restricted", "public")]
    assert [folder.name for folder in folders] == ["draft-01", "draft-02", "draft-03"]

    def said(folder: Path) -> list[str]:  # the Word paper's lines about what it is compared with
        return [p.text for p in docx.Document(str(folder / "paper.docx")).paragraphs
                if "first draft" in p.text or "since draft" in p.text]

    assert said(folders[0]) == ["This is the first draft of the public edition: there is no earlier one to compare "
                                "it with."]
    assert said(folders[1]) == ["This is the first draft of the restricted edition: there is no earlier one to "
                                "compare it with."]
    assert said(folders[2]) == ["No action's status has changed since draft 2026-10/draft-01, and none has been "
                                "withdrawn from the plan."]


def test_a_wrong_partner_return_never_names_an_exempt_only_lead_in_public(tmp_path: Path) -> None:
    """Wessex Police sends back a workbook holding only the exempt-only lead's action: the issue says
    so (it blocks), and the public edition names that lead nowhere."""
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
                (7, "", f"{CANARY} Unit", "Secret action", "2", "Yes")]
    returns = {"wessex-police.xlsx": [RETURN_HEADINGS, (7, "", "Completed", "Done", "2027")]}
    root = make_workspace(tmp_path / "ws", register=register, returns=returns)
    result = build_draft(root)
    [wrong] = [i for i in result.issues if i.code == "wrong-partner-return"]
    assert wrong.blocking and "see the restricted edition" in wrong.message
    assert canary_leaks(result.folder) == []
    restricted = build_draft(root, edition="restricted")
    assert any(CANARY in i.message for i in restricted.issues if i.code == "wrong-partner-return")


def test_a_file_named_after_no_lead_holding_an_exempt_only_leads_rows_names_that_lead_nowhere_in_public(
        tmp_path: Path) -> None:
    """The exempt-only lead's blank workbook comes back untouched as unit.xlsx (a name that is no lead's):
    the restricted edition says whose it is and suggests the lead's own file name; the public edition names
    the lead nowhere, even lower-cased."""
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
                (7, "", f"{CANARY} Unit", "Secret action", "2", "Yes")]
    returns = {"wessex-police.xlsx": [RETURN_HEADINGS, (1, "", "Completed", "Done", "2027")],
               "unit.xlsx": [RETURN_HEADINGS, (7, "", "", "", "")]}
    root = make_workspace(tmp_path / "ws", register=register, returns=returns)
    unit = root / "inputs" / "returns" / "2026-10" / "unit.xlsx"  # as `reportgen returns` marks the period's
    book = openpyxl.load_workbook(unit)
    book.custom_doc_props.append(StringProperty(name=PERIOD_PROPERTY, value="2026-10"))
    book.save(unit)
    restricted = build_draft(root, edition="restricted")
    [unknown] = [i for i in restricted.issues if i.code == "unknown-partner"]
    assert f"(e.g. {CANARY.lower()}-unit.xlsx)" in unknown.advice
    assert [i.value for i in restricted.issues if i.code == "unchanged-return"] == [f"{CANARY} Unit"]
    public = build_draft(root)
    assert CANARY.lower() not in (repr(public.issues) + repr(public.chase)).lower()
    for name in ("issues.csv", "chase.csv"):
        assert CANARY.lower() not in (public.folder / name).read_text(encoding="utf-8-sig").lower()


def test_the_exempt_only_leads_workbook_renamed_to_fit_no_lead_is_its_own_and_named_nowhere_in_public(
        tmp_path: Path) -> None:
    """The exempt-only lead's own workbook, filled in and saved as "Our return.xlsx": its Instructions sheet says
    whose it is, so the restricted edition reads it as that lead's (`renamed-return`, naming it), and the public
    edition, which now knows the file is that lead's, names the lead nowhere."""
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
                (7, "", f"{CANARY} Unit", "Secret action", "2", "Yes")]
    returns = {"wessex-police.xlsx": [RETURN_HEADINGS, (1, "", "Completed", "Done", "2027")]}
    root = make_workspace(tmp_path / "ws", register=register, returns=returns)
    written, _ = write_return_workbooks(root, "2026-10", tmp_path / "made")
    [made] = [path for path in written if path.name != "wessex-police.xlsx"]
    book = openpyxl.load_workbook(made)
    book["Return"]["D2"].value, book["Return"]["E2"].value = "Completed", f"{CANARY} Part II update"
    book.save(root / "inputs" / "returns" / "2026-10" / "Our return.xlsx")
    restricted = build_draft(root, edition="restricted")
    [renamed] = [i for i in restricted.issues if i.code == "renamed-return"]
    assert renamed.value == f"{CANARY} Unit" and not [i for i in restricted.issues if i.code == "unknown-partner"]
    assert next(row for row in restricted.paper.rows if row.ref == 7).explanation == f"{CANARY} Part II update"
    public = build_draft(root)
    assert CANARY.lower() not in (repr(public.issues) + repr(public.chase)).lower()
    assert canary_leaks(public.folder) == []


def _built(root: Path, capsys: pytest.CaptureFixture[str], edition: str, period: str = "2026-10",
           exits: tuple[int, ...] = (0,)) -> Path:
    """`reportgen build` as the officer runs it: the draft folder it prints last."""
    from reportgen.shells.cli import main

    assert main(["build", "--workspace", str(root), "--period", period, "--edition", edition]) in exits
    return Path(capsys.readouterr().out.strip().splitlines()[-1])


def test_a_public_drafts_manifest_names_no_return_of_a_lead_whose_every_action_is_exempt(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Witness Protection Unit leads only exempt action 7 and sends its return. The public draft's manifest.json
    listed that file among its inputs, telling a requester the unit reported on work the paper withholds; now it
    names only what the public edition may show, and the restricted draft's names every input. November's build,
    carrying from the public draft, still knows the unit's October return was read as it is."""
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
                (7, "", "Witness Protection Unit", "Secret action", "2", "Yes")]
    returns = {"wessex-police.xlsx": [RETURN_HEADINGS, (1, "", "Completed", "Done", "2027")],
               "witness-protection-unit.xlsx": [RETURN_HEADINGS, (7, "", "In progress", "Moving", "2027")]}
    root = make_workspace(tmp_path / "ws", register=register, returns=returns)
    restricted = _built(root, capsys, "restricted")
    public = _built(root, capsys, "public")  # the newest draft of October: November carries from it

    def inputs(folder: Path) -> list[str]:
        return [record["path"] for record in json.loads((folder / "manifest.json").read_text())["manifest"]["inputs"]]

    unit = "inputs/returns/2026-10/witness-protection-unit.xlsx"
    assert unit in inputs(restricted)
    assert inputs(public) == ["reportgen.toml", "inputs/register.xlsx", "inputs/returns/2026-10/wessex-police.xlsx",
                              "narrative.md"]
    assert "witness" not in (public / "manifest.json").read_text(encoding="utf-8").casefold()
    make_workspace(root, period="2026-11", register=register, returns=returns)
    november = _built(root, capsys, "public", "2026-11")
    with (november / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert "return-after-draft" not in {row["code"] for row in csv.DictReader(stream)}


def test_a_copy_of_an_exempt_only_leads_return_is_said_to_be_one_only_in_the_restricted_edition(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The exempt-only unit's return is saved again as "Jo Bloggs.xlsx": the restricted edition says whose return
    it copies; the public one names the unit nowhere, in its issues or its chase list."""
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
                (7, "", f"{CANARY} Unit", "Secret action", "2", "Yes")]
    unit = [RETURN_HEADINGS, (7, "", "In progress", "Moving", "2027")]
    returns = {"wessex-police.xlsx": [RETURN_HEADINGS, (1, "", "Completed", "Done", "2027")],
               f"{CANARY.lower()}-unit.xlsx": unit, "Jo Bloggs.xlsx": unit}
    root = make_workspace(tmp_path / "ws", register=register, returns=returns)
    restricted = _built(root, capsys, "restricted")
    with (restricted / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert [(row["code"], row["value"]) for row in csv.DictReader(stream)
                if row["file"].endswith("Jo Bloggs.xlsx")] == [("copied-return", f"{CANARY} Unit")]
    public = _built(root, capsys, "public")
    for name in ("issues.csv", "chase.csv"):
        assert CANARY.lower() not in (public / name).read_text(encoding="utf-8-sig").lower()


# ---------------------------------------------------------------- carried forward past a public draft


def _exempt_four(root: Path, period: str, returns: dict[str, list[tuple[object, ...]]] | None = None) -> Path:
    """The conftest workspace with action 4 (OPCC) exempt."""
    register = [(*REGISTER_HEADINGS, "Exempt"),
                *((*action, "Yes" if action[0] == 4 else "") for action in ACTIONS)]
    return make_workspace(root, period=period, register=register, returns=returns)


@pytest.mark.parametrize("restricted_kept", [False, True])
def test_an_exempt_action_is_carried_past_a_public_draft(tmp_path: Path, restricted_kept: bool) -> None:
    """A public draft leaves exempt actions out: a later restricted build carries theirs from a restricted
    draft of that period when one was kept, else from that period's returns, as any other action."""
    root = _exempt_four(tmp_path / "ws", "2026-10")
    if restricted_kept:
        build_draft(root, edition="restricted")
    public = build_draft(root)  # the newest draft of 2026-10: the carry source
    assert 4 not in [row.ref for row in public.paper.rows]
    returns = default_returns()
    del returns["opcc.xlsx"]  # OPCC sends nothing in November
    _exempt_four(root, "2026-11", returns)
    november = build_draft(root, edition="restricted")
    row = next(row for row in november.paper.rows if row.ref == 4)
    assert (row.status_label, row.explanation, row.state) == ("In progress", "Update on action 4.", "carried-forward")
    assert not row.movement.startswith("New")
    source = "draft 2026-10/draft-01" if restricted_kept else "the 2026-10 returns"
    assert source in november.paper.carried_from
    written, _ = write_return_workbooks(root, "2026-12")
    opcc = next(path for path in written if path.name == "opcc.xlsx")
    rows = list(openpyxl.load_workbook(opcc)["Return"].iter_rows(values_only=True))
    assert next(r for r in rows if r[0] == 4)[3:5] == ("In progress", "Update on action 4.")
    public_november = build_draft(root)
    assert canary_leaks(root / "outputs") == [] and 4 not in [r.ref for r in public_november.paper.rows]


def _four_exempt_in_october(root: Path, exempt: str) -> Path:
    """Action 4 (OPCC) flagged `exempt` in the register, its October update holding the canary."""
    register = [(*REGISTER_HEADINGS, "Exempt"), *((*action, exempt if action[0] == 4 else "") for action in ACTIONS)]
    returns = default_returns()
    returns["opcc.xlsx"] = [row if row[0] != 4 else (4, row[1], "On hold", f"{CANARY} Part II explanation", "2027")
                            for row in returns["opcc.xlsx"]]
    return make_workspace(root, period="2026-10", register=register, returns=returns)


@pytest.mark.parametrize("october", [("restricted",), ("restricted", "public"), ("public",), ("public", "restricted")])
def test_what_an_action_reported_while_exempt_is_not_carried_into_the_public_edition(
        tmp_path: Path, october: tuple[Edition, ...]) -> None:
    """Action 4 is exempt in October and published from November, when its lead sends nothing: the public
    November paper shows it with no update (what the lead wrote for Part II stays out) and says why; the
    restricted one carries October's update as usual."""
    root = _four_exempt_in_october(tmp_path / "ws", "Yes")
    for edition in october:  # the last one built is the newest draft of October: the carry source
        build_draft(root, edition=edition)
    returns = default_returns()
    del returns["opcc.xlsx"]
    make_workspace(root, period="2026-11", returns=returns,  # action 4 no longer exempt
                   register=[(*REGISTER_HEADINGS, "Exempt"), *((*a, "No") for a in ACTIONS)])
    checked = validate_draft(root)
    public = build_draft(root)
    row = next(row for row in public.paper.rows if row.ref == 4)
    assert (row.status, row.explanation, row.timeframe, row.state) == (None, "", "", "no-update")
    assert canary_leaks(public.folder) == []
    # counted, not named: its ref would say which action was exempt
    [told] = [i for i in public.issues if i.code == "exempt-when-reported"]
    assert (told.ref, told.row, told.severity.value) == (None, None, "warning") and CANARY not in told.message
    assert "when last reported: 1." in told.message and "not carried into the public edition" in told.message
    assert [i.code for i in checked.issues if i.ref == 4] == [i.code for i in public.issues if i.ref == 4]
    restricted = build_draft(root, edition="restricted")
    row = next(row for row in restricted.paper.rows if row.ref == 4)
    assert (row.status, row.explanation, row.state) == ("On hold", f"{CANARY} Part II explanation", "carried-forward")
    assert not [i for i in restricted.issues if i.code == "exempt-when-reported"]


def _as_kept_before_exempt_refs(folder: Path) -> None:
    """The draft as reportgen kept it before restricted drafts recorded their exempt actions (no exempt_refs)."""
    rewrite_kept_record(folder, lambda record: record["paper"].pop("exempt_refs"))


def test_a_restricted_draft_kept_before_exempt_actions_were_recorded_still_keeps_them_out_of_the_public_edition(
        tmp_path: Path) -> None:
    """October's restricted draft, kept by an earlier reportgen, does not say which actions were exempt; action 4
    was, and is published from November, when OPCC sends nothing: the register changed since, so nothing that
    draft holds is carried into the public November paper (any action may have been exempt), each said; the
    restricted edition carries it all as before."""
    root = _four_exempt_in_october(tmp_path / "ws", "Yes")
    _as_kept_before_exempt_refs(build_draft(root, edition="restricted").folder)
    returns = default_returns()
    del returns["opcc.xlsx"]
    make_workspace(root, period="2026-11", returns=returns,  # action 4 no longer exempt
                   register=[(*REGISTER_HEADINGS, "Exempt"), *((*a, "No") for a in ACTIONS)])
    public = build_draft(root)
    assert canary_leaks(public.folder) == []
    rows = {row.ref: row for row in public.paper.rows if row.ref in (2, 4, 6)}  # OPCC's
    assert {ref: (row.status, row.explanation, row.state) for ref, row in rows.items()} == {
        ref: (None, "", "no-update") for ref in (2, 4, 6)}
    told = [i for i in public.issues if i.code == "exempt-when-reported"]
    assert [(i.ref, i.severity.value) for i in told] == [(2, "warning"), (4, "warning"), (6, "warning")]
    assert "a restricted draft kept before reportgen recorded which actions were exempt" in told[0].message
    assert "2026-10/draft-01" in told[0].message and CANARY not in repr(told)
    restricted = build_draft(root, edition="restricted")
    row = next(row for row in restricted.paper.rows if row.ref == 4)
    assert (row.status, row.explanation, row.state) == ("On hold", f"{CANARY} Part II explanation", "carried-forward")


def test_a_restricted_draft_kept_before_exempt_actions_were_recorded_is_carried_from_while_the_register_is_the_same(
        tmp_path: Path) -> None:
    """With the register and settings it was built from, what that old restricted draft held exempt is exempt
    now, so nothing published now was exempt in it: the public edition carries from it as usual."""
    from conftest import write_xlsx

    root = _four_exempt_in_october(tmp_path / "ws", "Yes")
    _as_kept_before_exempt_refs(build_draft(root, edition="restricted").folder)
    for name, rows in default_returns().items():
        if name != "opcc.xlsx":
            write_xlsx(root / "inputs" / "returns" / "2026-11" / name, rows)
    public = build_draft(root)
    assert 4 not in [row.ref for row in public.paper.rows] and canary_leaks(public.folder) == []
    row = next(row for row in public.paper.rows if row.ref == 6)
    assert (row.status, row.explanation, row.state) == ("Completed", "Update on action 6.", "carried-forward")
    assert not [i for i in public.issues if i.code == "exempt-when-reported"]


@pytest.mark.parametrize("october", [("restricted",), ("public", "restricted")])
def test_a_damaged_draft_of_a_month_with_exempt_actions_keeps_that_month_out_of_the_public_edition(
        tmp_path: Path, october: tuple[Edition, ...]) -> None:
    """October's newest draft, the restricted one, is damaged: which actions were exempt in October is not known,
    so the public November paper carries nothing reported in October (action 4's Part II update stays out, as it
    would with the draft readable), and says why, naming the draft; the restricted edition carries it as usual."""
    root = _four_exempt_in_october(tmp_path / "ws", "Yes")
    for edition in october:
        damaged = build_draft(root, edition=edition).folder
    (damaged / "draft.json").write_text("{", encoding="utf-8")
    returns = default_returns()
    del returns["opcc.xlsx"]
    make_workspace(root, period="2026-11", returns=returns,  # action 4 no longer exempt
                   register=[(*REGISTER_HEADINGS, "Exempt"), *((*a, "No") for a in ACTIONS)])
    checked = validate_draft(root)
    public = build_draft(root)
    assert canary_leaks(public.folder) == []
    rows = {row.ref: row for row in public.paper.rows if row.ref in (2, 4, 6)}  # OPCC's
    assert {ref: (row.status, row.explanation, row.state) for ref, row in rows.items()} == {
        ref: (None, "", "no-update") for ref in (2, 4, 6)}
    told = [i for i in public.issues if i.code == "exempt-when-reported"]
    assert [(i.ref, i.severity.value) for i in told] == [(2, "warning"), (4, "warning"), (6, "warning")]
    name = damaged.relative_to(root / "outputs").as_posix()
    assert f"the draft kept for that period, {name}, cannot be read" in told[1].message
    assert "the 2026-10 returns" in told[1].message and name in told[1].advice and CANARY not in repr(told)
    assert [i.code for i in checked.issues if i.ref == 4] == [i.code for i in public.issues if i.ref == 4]
    # the damaged draft's own warning no longer says to move it out of outputs: that would forget its exemptions
    [unreadable] = [i for i in public.issues if i.code == "unreadable-draft"]
    assert "Do not just move the damaged folder out of outputs" in unreadable.advice
    restricted = build_draft(root, edition="restricted")
    row = next(row for row in restricted.paper.rows if row.ref == 4)
    assert (row.status, row.explanation, row.state) == ("On hold", f"{CANARY} Part II explanation", "carried-forward")
    assert not [i for i in restricted.issues if i.code == "exempt-when-reported"]


def test_a_damaged_draft_built_from_the_register_as_it_is_still_lets_its_month_be_carried(tmp_path: Path) -> None:
    """October's restricted draft is damaged, but its manifest shows it was built from the register and settings
    as they are now: what was exempt then is exempt now, so the public November paper carries October's returns
    for the published actions as usual (action 4, still exempt, stays out)."""
    root = _four_exempt_in_october(tmp_path / "ws", "Yes")
    from conftest import write_xlsx

    (build_draft(root, edition="restricted").folder / "draft.json").write_text("{", encoding="utf-8")
    for name, rows in default_returns().items():
        if name != "opcc.xlsx":
            write_xlsx(root / "inputs" / "returns" / "2026-11" / name, rows)
    public = build_draft(root)
    assert 4 not in [row.ref for row in public.paper.rows] and canary_leaks(public.folder) == []
    row = next(row for row in public.paper.rows if row.ref == 6)
    assert (row.status, row.explanation, row.state) == ("Completed", "Update on action 6.", "carried-forward")
    assert not [i for i in public.issues if i.code == "exempt-when-reported"]


@pytest.mark.parametrize("october", ["restricted", "public", "damaged"])
def test_what_an_action_reported_while_exempt_is_not_prefilled_into_a_return_the_public_edition_publishes(
        tmp_path: Path, october: str) -> None:
    """Action 4 is exempt in October and published from November. OPCC's November workbook leaves its row blank
    (said, without its text): pre-filled with the Part II update and sent back with only the other rows
    updated, it would be November's update, published. Action 6, published in October, is pre-filled as ever."""
    root = _four_exempt_in_october(tmp_path / "ws", "Yes")
    kept = build_draft(root, edition="public" if october == "public" else "restricted").folder
    if october == "damaged":
        (kept / "draft.json").write_text("{", encoding="utf-8")
    returns = default_returns()
    del returns["opcc.xlsx"]
    make_workspace(root, period="2026-11", returns=returns,  # action 4 no longer exempt
                   register=[(*REGISTER_HEADINGS, "Exempt"), *((*a, "No") for a in ACTIONS)])
    written, issues = write_return_workbooks(root, "2026-11")
    opcc = next(path for path in written if path.name == "opcc.xlsx")
    book = openpyxl.load_workbook(opcc)
    rows = {row[0].value: row for row in book["Return"].iter_rows(min_row=2)}
    assert [cell.value for cell in rows[4][3:6]] == [None, None, None]
    assert [cell.value for cell in rows[6][3:6]] == ([None, None, None] if october == "damaged"
                                                     else ["Completed", "Update on action 6.", "Spring 2027"])
    told = [i for i in issues if i.code == "not-prefilled" and i.ref == 4]
    assert len(told) == 1 and CANARY not in repr(issues)
    assert ("cannot be read" if october == "damaged" else "it was exempt from publication") in told[0].message
    rows[2][4].value = "November update on action 2."  # the partner updates the other rows and sends it back
    book.save(root / "inputs" / "returns" / "2026-11" / "opcc.xlsx")
    public = build_draft(root)
    assert canary_leaks(public.folder) == []


@pytest.mark.parametrize("register_changed", [True, False])
def test_workbooks_after_a_restricted_draft_kept_before_exempt_actions_were_recorded(
        tmp_path: Path, register_changed: bool) -> None:
    """The November workbooks read an old October restricted draft as a build does: with the register changed
    since, any action in it may have been exempt, so OPCC's rows are blank, each said as a maybe; with the
    register as it was, they are pre-filled as ever (action 4, still exempt, for its lead)."""
    from conftest import write_xlsx

    root = _four_exempt_in_october(tmp_path / "ws", "Yes")
    _as_kept_before_exempt_refs(build_draft(root, edition="restricted").folder)
    if register_changed:
        make_workspace(root, period="2026-11",
                       register=[(*REGISTER_HEADINGS, "Exempt"), *((*a, "No") for a in ACTIONS)])
    else:
        name = "wessex-police.xlsx"
        write_xlsx(root / "inputs" / "returns" / "2026-11" / name, default_returns()[name])
    written, issues = write_return_workbooks(root, "2026-11")
    opcc = next(path for path in written if path.name == "opcc.xlsx")
    rows = {row[0]: row[3:6] for row in openpyxl.load_workbook(opcc)["Return"].iter_rows(min_row=2, values_only=True)}
    told = [i for i in issues if i.code == "not-prefilled"]
    if register_changed:
        assert rows[4] == rows[6] == (None, None, None) and CANARY not in repr(issues)
        assert {i.ref for i in told} >= {2, 4, 6}
        assert all("it may have been exempt then" in i.message for i in told)
    else:
        assert rows[6] == ("Completed", "Update on action 6.", "Spring 2027") and not told


def test_an_action_published_then_and_now_is_carried_into_the_public_edition(tmp_path: Path) -> None:
    """Only what was reported while exempt is held back: an action published in October is carried as ever."""
    root = _four_exempt_in_october(tmp_path / "ws", "No")
    build_draft(root, edition="restricted")
    returns = default_returns()
    del returns["opcc.xlsx"]
    make_workspace(root, period="2026-11", returns=returns,
                   register=[(*REGISTER_HEADINGS, "Exempt"), *((*a, "No") for a in ACTIONS)])
    public = build_draft(root)
    row = next(row for row in public.paper.rows if row.ref == 4)
    assert (row.status, row.state) == ("On hold", "carried-forward")
    assert not [i for i in public.issues if i.code == "exempt-when-reported"]


def _foi_row(folder: Path) -> str:
    """The cover's Freedom of Information row, as the DOCX gives it (checked against the PDF and web edition)."""
    import docx
    import lxml.html

    label = "FREEDOM OF INFORMATION EXEMPTION SECTION IF APPLICABLE"
    cover = {row.cells[0].text: row.cells[1].text for row in docx.Document(str(folder / "paper.docx")).tables[0].rows}
    first = pypdf.PdfReader(folder / "paper.pdf").pages[0].extract_text() or ""
    web = lxml.html.fromstring((folder / "paper.html").read_bytes()).text_content()
    assert cover[label] in " ".join(first.split()) and cover[label] in web
    return cover[label]


def test_a_restricted_cover_gives_its_own_foi_exemption_and_never_says_not_exempt_unwarned(tmp_path: Path) -> None:
    """The restricted edition is the Part II paper: its cover gives [paper] restricted_foi_exemption; a
    restricted edition holding exempt actions under a 'Not Exempt' cover is a warning naming the key."""
    root = exempt_workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted")
    [warned] = [i for i in restricted.issues if i.code == "restricted-cover-not-exempt"]
    assert (warned.severity.value, warned.file, warned.column, warned.value) == (
        "warning", "reportgen.toml", "foi_exemption", "Not Exempt")
    assert "holds 1 exempt action, but" in warned.message and "restricted_foi_exemption" in warned.advice
    assert _foi_row(restricted.folder) == "Not Exempt"  # shown as set, not guessed
    public = build_draft(root)
    assert _foi_row(public.folder) == "Not Exempt"
    assert not [i for i in public.issues if i.code == "restricted-cover-not-exempt"]  # it has no exempt actions

    settings = root / "reportgen.toml"
    toml = settings.read_text(encoding="utf-8")
    settings.write_text(toml + 'restricted_foi_exemption = "Exempt: Schedule 12A, paragraph 7"\n', encoding="utf-8")
    restricted = build_draft(root, edition="restricted")
    assert not [i for i in restricted.issues if i.code == "restricted-cover-not-exempt"]
    assert _foi_row(restricted.folder) == "Exempt: Schedule 12A, paragraph 7"
    assert _foi_row(build_draft(root).folder) == "Not Exempt"  # the public edition keeps foi_exemption

    settings.write_text(toml + 'restricted_foi_exemption = "N/A"\n', encoding="utf-8")
    [warned] = [i for i in build_draft(root, edition="restricted").issues if i.code == "restricted-cover-not-exempt"]
    assert (warned.column, warned.value) == ("restricted_foi_exemption", "N/A")


def test_a_restricted_edition_with_no_exempt_action_is_not_warned(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    result = build_draft(root, edition="restricted")
    assert not [i for i in result.issues if i.code == "restricted-cover-not-exempt"]


def test_a_row_without_a_reference_is_quoted_in_public_for_a_partner_leading_no_exempt_action(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police leads no exempt action, so its workbook holds none: which of its rows has no reference
    is said in the public edition too (it said only "may be about an exempt action" for every partner)."""
    from reportgen.shells.cli import main

    root = exempt_workspace(tmp_path / "ws")
    for name, text in (("wessex-police.xlsx", "Police row without a ref"), ("opcc.xlsx", f"{CANARY} no ref")):
        path = root / "inputs" / "returns" / "2026-10" / name
        book = openpyxl.load_workbook(path)
        book.worksheets[0].append([None, text, "Completed", "", ""])
        book.save(path)
    main(["validate", "--workspace", str(root)])
    printed = capsys.readouterr().out
    missing = {i.file.rsplit("/", 1)[-1]: i.message for i in validate_draft(root).issues if i.code == "missing-ref"}
    assert "It holds 'Police row without a ref' in column 'Action'" in missing["wessex-police.xlsx"]
    assert "it may be an exempt action's" in missing["opcc.xlsx"]  # OPCC leads exempt action 7
    assert "Police row without a ref" in printed and CANARY not in printed


def test_a_formula_never_calculated_on_a_withheld_row_is_not_called_an_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A formula saved by a program that does not calculate (it has no value yet), on a row of Wessex Police's return
    (it leads exempt action 20) with no reference: the public edition, which does not quote the row, said "the cell
    holds a formula error such as #REF!", sending the partner to look for an error that is not there. What it says
    now covers a formula never calculated as well as one giving an error, still quoting nothing of the row."""
    from reportgen.shells.cli import main

    root = copy_example(tmp_path / "ws")
    path = root / "inputs" / "returns" / "2026-10" / "wessex-police.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet.append([None, None, "Completed", f'=VLOOKUP("{CANARY}",Old!A:C,3,FALSE)', ""])
    book.save(path)
    main(["validate", "--workspace", str(root)])
    printed = " ".join(capsys.readouterr().out.split())
    assert CANARY not in printed
    assert "formula error such as" not in printed, printed
    assert (f"Row {sheet.max_row}: the cell holds a formula with no value to read: one never calculated, or one giving "
            "an error such as #REF! (or the error pasted as a value). What the row holds is not shown") in printed, \
        printed
    [restricted] = [i for i in validate_draft(root, edition="restricted").issues if i.code == "formula-error"]
    assert "which has never been calculated" in restricted.message


def test_a_row_without_a_reference_withheld_in_public_still_says_how_to_fix_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wessex Police leads the example's exempt action 20: a row of its return with no reference (an action with a
    status, a note below the table) may be that action's, so the public edition does not say what it holds, but
    its advice is the fix the restricted edition gives, and says where to see the row."""
    from reportgen.shells.cli import main

    root = copy_example(tmp_path / "ws")
    path = root / "inputs" / "returns" / "2026-10" / "wessex-police.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet.append([None, f"{CANARY} action without a ref", "Completed", f"{CANARY} done", ""])
    sheet.append([f"Notes: {CANARY} figures to follow"])
    book.save(path)
    rows = (sheet.max_row - 1, sheet.max_row)
    main(["validate", "--workspace", str(root)])
    printed = " ".join(capsys.readouterr().out.split())
    assert CANARY not in printed
    assert (f"sheet 'Return', column 'Plan priority': Row {rows[0]}: a row has text but no action reference. What "
            "the row holds is not shown in the public edition: without an action reference that can be read, it may "
            f"be an exempt action's. → {RETURN_ROW_ADVICE} The restricted edition (--edition restricted) shows what "
            "the row holds.") in printed
    assert (f"Row {rows[1]}: a row holds text where the action reference goes, and nothing else: a note, not read. "
            "What the row holds is not shown") in printed
    assert ("→ Nothing to do if it is a note. If it is an action, write its plan priority number in that column and "
            "its update beside it. The restricted edition (--edition restricted) shows what the row holds.") in printed

    public = build_draft(root)
    table = list(csv.DictReader(io.StringIO((public.folder / "issues.csv").read_text(encoding="utf-8-sig"))))
    found = [(r["code"], r["row"], r["value"], r["advice"]) for r in table if r["file"].endswith("wessex-police.xlsx")
             and r["code"] in ("missing-ref", "note-row")]
    assert found == [
        ("missing-ref", str(rows[0]), "", f"{RETURN_ROW_ADVICE} The restricted edition (--edition restricted) shows "
         "what the row holds."),
        ("note-row", str(rows[1]), "", "Nothing to do if it is a note. If it is an action, write its plan priority "
         "number in that column and its update beside it. The restricted edition (--edition restricted) shows what "
         "the row holds.")]
    assert canary_leaks(public.folder) == []
    restricted = {i.code: i for i in validate_draft(root, edition="restricted").issues
                  if i.code in ("missing-ref", "note-row")}
    assert restricted["missing-ref"].advice == RETURN_ROW_ADVICE
    assert f"It holds '{CANARY} action without a ref' in column 'Action'" in restricted["missing-ref"].message


def test_the_restricted_edition_marks_each_exempt_action_in_words_in_every_format(tmp_path: Path) -> None:
    """A Panel member reading the restricted (Part II) paper could not tell which actions are the exempt ones,
    which must not be discussed in the public session: each exempt action's status cell now says so, in
    words, in the PDF, the Word paper, the web edition and register.xlsx; the public edition has none."""
    import docx
    from lxml import html as lxml_html

    from reportgen.terms import EXEMPT_ROW_NOTE

    root = exempt_workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted", out=tmp_path / "restricted").folder
    public = build_draft(root, out=tmp_path / "public").folder
    plan = docx.Document(str(restricted / "paper.docx")).tables[-1]
    status = {row.cells[0].text: row.cells[2].text for row in plan.rows[1:] if row.cells[0].text.isdigit()}
    assert status["7"].splitlines()[1] == EXEMPT_ROW_NOTE and EXEMPT_ROW_NOTE not in status["1"] + status["2"]
    pdf = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(restricted / "paper.pdf").pages)
    assert pdf.count(EXEMPT_ROW_NOTE) == 2  # the status cell, and the legend before the plan
    page = lxml_html.fromstring((restricted / "paper.html").read_bytes())
    cell = page.get_element_by_id("action-7").xpath("string(td[contains(@class, 'status')])")
    assert EXEMPT_ROW_NOTE in cell and EXEMPT_ROW_NOTE not in page.get_element_by_id("action-2").text_content()
    sheet = openpyxl.load_workbook(restricted / "register.xlsx").worksheets[0]
    notes = {row[0]: row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert notes[7].startswith(EXEMPT_ROW_NOTE) and EXEMPT_ROW_NOTE not in str(notes[1]) + str(notes[2])
    assert EXEMPT_ROW_NOTE not in (public / "paper.html").read_text(encoding="utf-8")
    assert "not in the public edition" not in " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(public / "paper.pdf").pages)


def _exemptions_swapped(root: Path) -> tuple[Path, Path]:
    """Two restricted drafts of `exempt_workspace`: action 2 made exempt and action 7 published again between them."""
    from conftest import write_xlsx

    exempt_workspace(root)
    old = build_draft(root, edition="restricted").folder
    write_xlsx(root / "inputs" / "register.xlsx", [
        (*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
        (2, "", "OPCC", "Published action", "2", "Yes"),
        (7, f"{CANARY} section", "OPCC", f"{CANARY} secret action", f"{CANARY} page", "No")], sheet="Register")
    return old, build_draft(root, edition="restricted").folder


def test_a_comparison_of_two_restricted_drafts_says_which_actions_became_or_ceased_to_be_exempt(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Action 7 published again and action 2 made exempt between two restricted drafts: the comparison said
    "No changes", so a reviewer could not tell that the public edition would now show one and leave out the
    other. It says so in every part: printed, diff.json, diff.html and diff.pdf."""
    from reportgen.shells.cli import main

    old, new = _exemptions_swapped(tmp_path / "ws")
    assert main(["diff", str(old), str(new)]) == 0
    printed = capsys.readouterr().out
    assert "No changes" not in printed
    assert ("1 action made exempt (Part II): the public edition now leaves it out:\n  2 Published action (In progress)"
            in printed)
    assert (f"1 action no longer exempt: the public edition now shows it:\n  7 {CANARY} secret action (Not started)"
            in printed)
    folder = Path(printed.strip().splitlines()[-1])
    compared = json.loads((folder / "diff.json").read_text(encoding="utf-8"))
    assert not compared["empty"]
    assert [a["ref"] for a in compared["diff"]["made_exempt"]] == [2]
    assert [a["ref"] for a in compared["diff"]["no_longer_exempt"]] == [7]
    said = ("Action 2 was made exempt (Part II) since the old draft: the public edition now leaves it out. "
            "Action 7 is no longer exempt: the public edition now shows it.")
    assert said in " ".join((folder / "diff.html").read_text(encoding="utf-8").split())
    assert said in " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(folder / "diff.pdf").pages)


def test_diff_docx_tracks_an_action_made_exempt_once_in_its_status_cell(tmp_path: Path) -> None:
    """diff.docx of two restricted drafts, action 2 made exempt and action 7 no longer: the status cell of
    action 2 showed "Exempt (Part II)…" twice (once as a tracked insertion, once as if it had always been
    there), so accepting every change left it twice and rejecting them all left it in. Each cell now holds it
    once, tracked: inserted for action 2, deleted for action 7; action 1 has none."""
    import docx
    from lxml import etree

    from reportgen.terms import EXEMPT_ROW_NOTE

    old, new = _exemptions_swapped(tmp_path / "ws")
    folder = compare_drafts(old, new).folder
    plan = docx.Document(str(folder / "diff.docx")).tables[-1]
    cells = {row.cells[0].text: row.cells[2]._tc for row in plan.rows[1:] if row.cells[0].text.isdigit()}
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def marked(cell: etree._Element, tag: str) -> int:  # the note's words inside a tracked insertion / deletion
        return sum(" ".join(EXEMPT_ROW_NOTE.split()) in " ".join("".join(change.itertext()).split())
                   for change in cell.iter(f"{w}{tag}"))

    def shown(cell: etree._Element) -> int:
        return etree.tostring(cell, encoding="unicode").count("Exempt (Part II)")

    assert (marked(cells["2"], "ins"), marked(cells["2"], "del"), shown(cells["2"])) == (1, 0, 1)
    assert (marked(cells["7"], "ins"), marked(cells["7"], "del"), shown(cells["7"])) == (0, 1, 1)
    assert "Exempt (Part II)" not in etree.tostring(cells["1"], encoding="unicode")


def test_exemption_flags_in_the_registers_own_words_are_read_case_aside(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A register flags its actions "Restricted" and "Public", listed so in reportgen.toml as the register writes
    them: every action was treated as exempt (the listed words were not matched case aside, as the cells are),
    the public paper held none and each row was an exempt-flag error. Only action 4 is exempt now."""
    from conftest import write_xlsx
    from reportgen.shells.cli import main

    root = make_workspace(tmp_path / "ws")
    rows = [(*REGISTER_HEADINGS, "Exempt"),
            *((*action, "Restricted" if action[0] == 4 else "Public") for action in ACTIONS)]
    write_xlsx(root / "inputs" / "register.xlsx", rows, sheet="Register")
    with (root / "reportgen.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[register]\nexempt_values = ["Restricted"]\nnot_exempt_values = ["Public", ""]\n')
    assert main(["build", "--workspace", str(root)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    refs = [row[0] for row in openpyxl.load_workbook(folder / "register.xlsx").active.iter_rows(
        min_row=2, values_only=True)]
    assert refs == [ref for ref, *_rest in ACTIONS if ref != 4]
    assert "exempt-flag" not in (folder / "issues.csv").read_text(encoding="utf-8-sig")


def test_the_restricted_edition_says_before_its_plan_how_many_actions_are_exempt_and_how_they_are_marked(
        tmp_path: Path) -> None:
    """The restricted paper marked each exempt action in its status cell but nowhere said how many there are,
    which, or what the marking means for the meeting: a legend now opens the plan, in words, in the PDF (tagged
    text), the Word paper and the web edition; the public edition has none."""
    import docx
    import pdfplumber
    from docx.oxml.ns import qn
    from lxml import html as lxml_html

    legend = ("Part II: this restricted edition includes 1 action exempt from publication (action 7). It is marked "
              "\u201cExempt (Part II): not in the public edition\u201d in the column \u201cStatus this reporting "
              "period\u201d. The public edition leaves it out; it is not for discussion in the public part of the "
              "meeting.")
    root = exempt_workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted", out=tmp_path / "restricted").folder
    public = build_draft(root, out=tmp_path / "public").folder

    with pdfplumber.open(restricted / "paper.pdf") as pdf:
        words = [(page, " ".join(page.extract_text().split())) for page in pdf.pages]
        page, text = next((page, text) for page, text in words if legend in text)
        assert text.index("Delivery plan") < text.index(legend) < text.index("Plan priority")
        start = "".join(c["text"] for c in page.chars).index("Part II: this restricted")
        assert all(c.get("mcid") is not None for c in page.chars[start:start + 40])  # tagged, not an artefact
    before = docx.Document(str(restricted / "paper.docx")).tables[-1]._tbl.getprevious()  # the plan's
    assert " ".join("".join(t.text for t in before.iter(qn("w:t"))).split()) == legend
    page = lxml_html.fromstring((restricted / "paper.html").read_bytes())
    [shown] = page.xpath("//h2[@id='plan-heading']/following-sibling::p[1][@class='exempt-legend']")
    assert " ".join(shown.text_content().split()) == legend

    assert "Part II: this restricted edition" not in " ".join(
        p.extract_text() for p in pypdf.PdfReader(public / "paper.pdf").pages)
    assert "Part II: this restricted edition" not in " ".join(p.text for p in docx.Document(
        str(public / "paper.docx")).paragraphs)
    assert "Part II: this restricted edition" not in (public / "paper.html").read_text(encoding="utf-8")


def test_diff_docx_tracks_the_legend_of_exempt_actions(tmp_path: Path) -> None:
    """Two restricted drafts, action 2 made exempt between them: diff.docx's legend before the plan is tracked, so
    rejecting every change gives back the old draft's (1 action) and accepting them the new one's (2 actions)."""
    import docx
    from docx.oxml.ns import qn

    from conftest import write_xlsx

    root = exempt_workspace(tmp_path / "ws")
    old = build_draft(root, edition="restricted").folder
    write_xlsx(root / "inputs" / "register.xlsx", [
        (*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
        (2, "", "OPCC", "Published action", "2", "Yes"),
        (7, f"{CANARY} section", "OPCC", f"{CANARY} secret action", f"{CANARY} page", "Yes")], sheet="Register")
    new = build_draft(root, edition="restricted").folder
    legend = docx.Document(str(compare_drafts(old, new).folder / "diff.docx")).tables[-1]._tbl.getprevious()

    def reading(dropped: str) -> str:  # the legend with one kind of change rejected
        kept = (t for t in legend.iter(qn("w:t"), qn("w:delText"))
                if not any(a.tag == qn(f"w:{dropped}") for a in t.iterancestors()))
        return " ".join("".join(t.text or "" for t in kept).split())

    assert reading("ins").startswith("Part II: this restricted edition includes 1 action exempt from publication "
                                     "(action 7). It is marked")
    assert reading("del").startswith("Part II: this restricted edition includes 2 actions exempt from publication "
                                     "(actions 2 and 7). Each is marked")


def test_a_narrative_can_say_how_many_exempt_actions_each_edition_holds_or_leaves_out(tmp_path: Path) -> None:
    """`exempt` counts the actions the public edition leaves out, so in the restricted edition, which holds them, it
    was 0 and a narrative had no way to say how many exempt actions that paper includes: `exempt_shown` and
    `edition` say it, each edition's narrative reading right."""
    import docx

    root = exempt_workspace(tmp_path / "ws")
    (root / "narrative.md").write_text(
        "{% if edition == 'restricted' %}This restricted paper includes {{ exempt_shown | plural('exempt action') }}."
        "{% else %}{{ exempt | plural('action is', 'actions are') }} exempt and not shown; "
        "{{ exempt_shown }} shown.{% endif %}\n", encoding="utf-8")
    restricted = build_draft(root, edition="restricted").folder
    public = build_draft(root).folder
    said = {folder: " ".join(p.text for p in docx.Document(str(folder / "paper.docx")).paragraphs)
            for folder in (restricted, public)}
    assert "This restricted paper includes 1 exempt action." in said[restricted]
    assert "1 action is exempt and not shown; 0 shown." in said[public]
    assert "This restricted paper includes 1 exempt action." in " ".join(
        page.extract_text() or "" for page in pypdf.PdfReader(restricted / "paper.pdf").pages)


def test_a_flag_of_1_or_0_under_the_number_format_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The secretariat flags exempt actions 1 and others 0 in a register column given Excel's Number format (two
    decimals, so they show 1.00 and 0.00). Every flag was an error quoting reportgen's own internals
    ("NumberCell(value=0, shown='0.00')") and every action was treated as exempt: the public paper held none. A flag is
    now read by the number stored, and one not recognised is quoted as the register shows it."""
    from reportgen.shells.cli import main

    flags = {4: 1, 5: 2}
    root = make_workspace(tmp_path / "ws", register=[(*REGISTER_HEADINGS, "Exempt"),
                                                     *((*action, flags.get(action[0], 0)) for action in ACTIONS)])
    book = openpyxl.load_workbook(root / "inputs" / "register.xlsx")
    for (cell,) in book.worksheets[0].iter_rows(min_row=2, min_col=6, max_col=6):
        cell.number_format = "0.00"
    book.save(root / "inputs" / "register.xlsx")
    assert main(["build", "--workspace", str(root)]) == 1
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    import docx

    refs = [row.cells[0].text for row in docx.Document(str(folder / "paper.docx")).tables[-1].rows[1:]]
    assert "4" not in refs and "5" not in refs and {"1", "2", "3", "6"} <= set(refs)
    assert main(["build", "--workspace", str(root), "--edition", "restricted"]) == 1
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    issues = list(csv.DictReader(io.StringIO((folder / "issues.csv").read_text(encoding="utf-8-sig"))))
    assert [(row["row"], row["value"], row["message"]) for row in issues if row["code"] == "exempt-flag"] == [
        ("6", "2.00", "Row 6: exemption flag '2.00' is not Yes or No; the action is treated as exempt.")]


def test_a_totals_row_in_the_return_of_a_lead_of_an_exempt_action_is_said_to_be_a_total_in_public(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OPCC leads exempt action 7 and counted its updates under them, "Total" beside 10: the public edition said
    the row "holds text where the action reference goes … it may be an exempt action's", sending the partner to
    mend a row that is a total, while Wessex Police's same row was said to be one. Both are said to be totals."""
    from reportgen.shells.cli import main

    root = exempt_workspace(tmp_path / "ws")
    for name in ("wessex-police.xlsx", "opcc.xlsx"):
        path = root / "inputs" / "returns" / "2026-10" / name
        book = openpyxl.load_workbook(path)
        book.worksheets[0].append([None, "Total", 10, None, None])
        book.save(path)
    main(["build", "--workspace", str(root), "--out", str(tmp_path / "draft")])
    printed = capsys.readouterr().out
    with (tmp_path / "draft" / "issues.csv").open(encoding="utf-8-sig", newline="") as f:
        notes = {row["file"].rsplit("/", 1)[-1]: row["message"] for row in csv.DictReader(f)
                 if row["code"] == "note-row"}
    assert set(notes) == {"wessex-police.xlsx", "opcc.xlsx"}
    for message in notes.values():
        assert message.endswith("is a total ('Total' in column 'Action' and '10' in column 'Status this reporting "
                                "period'), with no status or explanation: it was read as a note, not as an update, "
                                "and is not in the paper.")
    assert "may be an exempt action's" not in printed and CANARY not in printed
