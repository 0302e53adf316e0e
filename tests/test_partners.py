"""Return files matched to lead partners: [partners] patterns, else a tolerant name match; one file per lead."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import REGISTER_HEADINGS, RETURN_HEADINGS, copy_example, default_returns, make_workspace, write_xlsx
from reportgen.read.partners import assign_returns, match_partner
from reportgen.run.build import build_draft, validate_draft
from reportgen.run.chase import chase_list
from reportgen.settings import PartnerSettings

LEADS = ("Wessex Police", "OPCC", "Criminal Justice Board", "Wessex County Council", "Health & Wellbeing Board")


@pytest.mark.parametrize(("name", "lead"), [
    ("criminal-justice-board.xlsx", "Criminal Justice Board"),
    ("Criminal Justice Board return (1).xlsx", "Criminal Justice Board"),
    ("CRIMINAL_JUSTICE_BOARD - Copy.xlsx", "Criminal Justice Board"),
    ("Criminal Justice Board Return Oct 2026.xlsx", "Criminal Justice Board"),
    ("criminal justice board 2026-10 v2.csv", "Criminal Justice Board"),
    ("OPCC update 23.10.2026 FINAL.xlsx", "OPCC"),
    ("wessex-police.xlsx", "Wessex Police"),
    ("Wessex County Council (2).xlsx", "Wessex County Council"),
    ("health-wellbeing-board.xlsx", "Health & Wellbeing Board"),
    ("Health and Wellbeing Board return.xlsx", "Health & Wellbeing Board"),
    ("criminal justice board return (late).xlsx", "Criminal Justice Board"),
    ("Wessex Police - late return 2026-11-05.xlsx", "Wessex Police"),
    ("Revised OPCC submission.xlsx", "OPCC"),
    ("Copy of Wessex Police_Return_Mar27 FINAL.xlsx", "Wessex Police"),  # a month and year run together
    ("OPCC return 27oct.xlsx", "OPCC"),
    ("criminal justice board october2026.xlsx", "Criminal Justice Board"),
    ("Wessex County Council's return v2.xlsx", "Wessex County Council"),  # a possessive
    ("Wessex County Council’s return.xlsx", "Wessex County Council"),  # with a curly apostrophe
    ("Wessex County Councils return.xlsx", "Wessex County Council"),  # a plural
    ("Wessex County Councils' return.xlsx", "Wessex County Council"),
    ("wessex.xlsx", None),
    ("police.xlsx", None),
    ("board-minutes.xlsx", None),
])
def test_tolerant_name_matching(name: str, lead: str | None) -> None:
    assert match_partner(name, LEADS).lead == lead


def test_patterns_from_settings_win_and_overlaps_are_ambiguous() -> None:
    partners = {"Wessex Police": PartnerSettings(files=("constabulary*.xlsx", "WP-*.xlsx"))}
    assert match_partner("Constabulary return.XLSX", LEADS, partners).lead == "Wessex Police"
    assert match_partner("wp-october.xlsx", LEADS, partners).lead == "Wessex Police"
    # with patterns, the lead's own name alone is not enough: the patterns say how its files are named
    assert match_partner("Wessex Police return.xlsx", LEADS, partners).lead is None
    # but the name `reportgen returns` gives its workbook is always its own, as is a CSV saved from it
    assert match_partner("wessex-police.xlsx", LEADS, partners).lead == "Wessex Police"
    assert match_partner("Wessex-Police.v2.csv", LEADS, partners).lead == "Wessex Police"
    # even where another lead's patterns would take it
    grabbing = {"OPCC": PartnerSettings(files=("*police*",))}
    assert match_partner("wessex-police (1).xlsx", LEADS, grabbing).lead == "Wessex Police"
    assert match_partner("police-return.xlsx", LEADS, grabbing).lead == "OPCC"
    overlapping = {**partners, "OPCC": PartnerSettings(files=("*return*.xlsx",))}
    found = match_partner("Constabulary return.xlsx", LEADS, overlapping)
    assert found.ambiguous and found.leads == ("Wessex Police", "OPCC")


def test_newest_version_wins_and_older_ones_are_noted(tmp_path: Path) -> None:
    older = write_xlsx(tmp_path / "criminal-justice-board.xlsx", [("x",)])
    newer = write_xlsx(tmp_path / "Criminal Justice Board return (1).xlsx", [("x",)])
    other = write_xlsx(tmp_path / "CJB and police.xlsx", [("x",)])
    os.utime(older, (1_000_000, 1_000_000))
    os.utime(newer, (2_000_000, 2_000_000))
    assignment = assign_returns([older, newer, other], LEADS, {})
    assert assignment.by_lead == {"Criminal Justice Board": newer}
    assert assignment.unmatched == (other,)
    assert [(i.code, i.severity.value, i.file) for i in assignment.issues] == [
        ("superseded-return", "info", "criminal-justice-board.xlsx")]


def test_an_older_file_named_a_later_version_is_a_warning_not_a_hidden_note(tmp_path: Path) -> None:
    """An officer saves a partner's two replies from the mail in the wrong order: 'v3' first, then 'v2'.
    The newest saved (v2) was read, said only in a note the console hides; the names say v3 is the later.
    Now a warning says which was read and why."""
    v3 = write_xlsx(tmp_path / "OPCC return v3.xlsx", [("x",)])
    v2 = write_xlsx(tmp_path / "OPCC return FINAL v2.xlsx", [("x",)])
    os.utime(v3, (1_000_000, 1_000_000))
    os.utime(v2, (2_000_000, 2_000_000))
    assignment = assign_returns([v2, v3], LEADS, {})
    assert assignment.by_lead == {"OPCC": v2}
    [found] = assignment.issues
    assert (found.code, found.severity.value, found.file) == ("several-return-files", "warning", v3.name)
    assert found.message == ("OPCC return v3.xlsx: OPCC's file is marked a later version (version 3) than "
                             "OPCC return FINAL v2.xlsx (version 2), but OPCC return FINAL v2.xlsx was saved "
                             "later, so it is the one read.")
    # collect's own names (opcc.xlsx, then opcc.v2.xlsx) in the order they came: a note, as before
    first, second = write_xlsx(tmp_path / "c" / "opcc.xlsx", [("x",)]), write_xlsx(tmp_path / "c" / "opcc.v2.xlsx",
                                                                                   [("x",)])
    os.utime(first, (1_000_000, 1_000_000))
    os.utime(second, (2_000_000, 2_000_000))
    assert [(i.code, i.severity.value) for i in assign_returns([first, second], LEADS, {}).issues] == [
        ("superseded-return", "info")]


def test_a_file_saved_with_a_copy_mark_is_read_and_not_chased(tmp_path: Path) -> None:
    returns = default_returns()
    cjb = returns.pop("criminal-justice-board.xlsx")
    root = make_workspace(tmp_path / "ws", returns=returns)
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "Criminal Justice Board return (1).xlsx", cjb)
    checks = validate_draft(root)
    codes = [i.code for i in checks.issues]
    assert "missing-return" not in codes and "unknown-partner" not in codes
    row = next(r for r in chase_list(checks.checked) if r.partner == "Criminal Justice Board")
    assert row.returned and row.file.endswith("Criminal Justice Board return (1).xlsx") and row.no_update == ()


def test_an_ambiguous_file_is_a_located_issue_never_a_silent_chase(tmp_path: Path) -> None:
    toml = ('[paper]\ntitle = "Plan"\n[partners."Wessex Police"]\nfiles = ["*police*"]\n'
            '[partners."OPCC"]\nfiles = ["*opcc*"]\n')
    returns = default_returns()
    both = returns.pop("opcc.xlsx")
    root = make_workspace(tmp_path / "ws", returns=returns, toml=toml)
    (root / "inputs" / "returns" / "2026-10" / "wessex-police.xlsx").rename(
        root / "inputs" / "returns" / "2026-10" / "police-return.xlsx")
    write_xlsx(root / "inputs" / "returns" / "2026-10" / "opcc-and-police.xlsx", both)
    result = build_draft(root)
    ambiguous = [i for i in result.issues if i.code == "ambiguous-partner"]
    assert [(i.file, i.severity.value) for i in ambiguous] == [("inputs/returns/2026-10/opcc-and-police.xlsx",
                                                                "error")]
    assert "Wessex Police, OPCC" in ambiguous[0].message
    assert [i.value for i in result.issues if i.code == "missing-return"] == ["OPCC"]


def test_every_pre_filled_workbook_name_matches_its_own_lead() -> None:
    from reportgen.read.partners import slug

    leads = (*LEADS, "Cyngor Sir Ynys Môn", "Société de Police", "Полиция Москвы")  # accents dropped, scripts kept
    for lead in leads:
        assert match_partner(f"{slug(lead)}.xlsx", leads).lead == lead
        assert match_partner(f"{slug(lead)}.v2.xlsx", leads).lead == lead  # a later return collected by email
        assert match_partner(f"{lead} return (1).xlsx", leads).lead == lead


def test_a_lead_written_two_ways_in_the_register_is_told_at_its_row(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A new office's register writes one lead two ways ('wessex police' on one row, 'OPCC' and 'O.P.C.C.'):
    read as two leads. The officer is told which register rows differ. A return under the name reportgen gives
    a lead's workbook (opcc.xlsx) is that lead's; one under another name that fits both is not read, and its
    issue says to mend the register, or how to name the file if they are two partners."""
    import csv

    from conftest import ACTIONS, REGISTER_HEADINGS
    from reportgen.shells.cli import main

    register = [REGISTER_HEADINGS, *ACTIONS]
    register[3] = (3, "Victims", "wessex police", "Review victim referrals.", "12")  # row 4
    register[5] = (5, "Justice", "Criminal Justice Board", "Measure file quality.", "15")
    register[6] = (6, "Justice", "O.P.C.C.", "Lobby for court capacity.", "16 - 17")  # row 7
    root = make_workspace(tmp_path / "ws", register=register)
    folder = root / "inputs" / "returns" / "2026-10"
    (folder / "wessex-police.xlsx").rename(folder / "Wessex Police return.xlsx")
    assert main(["build", "--workspace", str(root)]) == 1
    printed = capsys.readouterr().out
    [draft] = (root / "outputs" / "2026-10").glob("draft-*")
    with (draft / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    spelling = [(r["file"], r["row"], r["column"], r["value"], r["ref"], r["severity"]) for r in rows
                if r["code"] == "lead-spelling"]
    assert spelling == [("inputs/register.xlsx", "4", "Lead", "wessex police", "3", "warning"),
                        ("inputs/register.xlsx", "7", "Lead", "O.P.C.C.", "6", "warning")]
    police = next(r for r in rows if r["code"] == "lead-spelling")
    assert "is written 'Wessex Police' on row 2" in police["message"]
    assert "(e.g. 'Wessex Police')" in police["advice"]
    [ambiguous] = [r for r in rows if r["code"] == "ambiguous-partner"]
    assert ambiguous["file"] == "inputs/returns/2026-10/Wessex Police return.xlsx"
    assert "one lead written in different ways in the register" in ambiguous["message"]
    assert "need not be renamed" in ambiguous["advice"]
    assert ("wessex-police.xlsx for Wessex Police, wessex-police-2.xlsx for wessex police"
            in " ".join(ambiguous["advice"].split()))
    # opcc.xlsx is the name of OPCC's workbook: read as OPCC's return; the other spelling's action is used too
    # the file fitting both spellings (case and spacing aside) is their lead's return, not read yet: neither is said
    # to have sent none
    assert [r["value"] for r in rows if r["code"] == "missing-return"] == ["O.P.C.C."]
    assert [(r["file"], r["ref"]) for r in rows if r["code"] == "not-lead"] == [
        ("inputs/returns/2026-10/opcc.xlsx", "6")]
    assert "Lead 'O.P.C.C.' (row 7) is written 'OPCC' on row 3" in " ".join(printed.split())


def test_a_lead_of_exempt_actions_only_is_not_named_by_its_other_spelling(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """'Hidden Team' leads only an exempt action, 'hidden team' a published one: the public edition's issue
    about the two spellings is withheld (it would name the exempt-only lead); the restricted one says it."""
    from conftest import ACTIONS, REGISTER_HEADINGS
    from reportgen.shells.cli import main

    register: list[tuple[object, ...]] = [(*REGISTER_HEADINGS, "Exempt")]
    for ref, section, lead, text, page in ACTIONS:
        lead = {2: "Hidden Team", 4: "hidden team"}.get(ref, lead)
        register.append((ref, section, lead, text, page, "Yes" if ref == 2 else "No"))
    root = make_workspace(tmp_path / "ws", register=register)
    main(["build", "--workspace", str(root)])
    main(["build", "--workspace", str(root), "--edition", "restricted"])
    printed = capsys.readouterr().out
    public, restricted = sorted((root / "outputs" / "2026-10").glob("draft-*"))
    assert "Hidden Team" not in (public / "issues.csv").read_text(encoding="utf-8-sig")
    assert "Hidden Team" not in printed.split("2026-10 (restricted edition)")[0]
    assert "Lead 'hidden team' (row 5) is written 'Hidden Team' on row 3" in (
        restricted / "issues.csv").read_text(encoding="utf-8-sig")


def _reportgen(*args: str) -> str:
    """A `reportgen` command as the officer runs it, in its own process: what it printed, on one line."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *args], capture_output=True, text=True,
                          timeout=300, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return " ".join(done.stdout.split())


def _draft(root: Path, *args: str) -> tuple[list[dict[str, str]], dict[str, dict[str, str]], str]:
    """A build of the workspace: its issues.csv, its chase.csv by partner, and the text of its paper.docx."""
    import csv

    import docx

    draft = Path(_reportgen("build", "--workspace", str(root), *args).rsplit(" ", 1)[-1])
    with (draft / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        issues = list(csv.DictReader(stream))
    with (draft / "chase.csv").open(encoding="utf-8-sig", newline="") as stream:
        chase = {row["Partner"]: row for row in csv.DictReader(stream)}
    paper = docx.Document(str(draft / "paper.docx"))
    cells = [cell.text for table in paper.tables for row in table.rows for cell in row.cells]
    return issues, chase, " ".join(" ".join([*(p.text for p in paper.paragraphs), *cells]).split())


def test_the_workbooks_of_two_leads_whose_names_make_one_file_name_are_read_back_as_theirs(tmp_path: Path) -> None:
    """"Fire & Rescue" and "Fire Rescue" both make fire-rescue: `reportgen returns` names their workbooks
    fire-rescue.xlsx and fire-rescue-2.xlsx, but the build read the first as fitting both leads (not read,
    an error) and the second as fitting none (`unknown-partner`, suggesting fire-rescue.xlsx). The names we
    give are now the names we match: each filled-in workbook is its own lead's return, in the paper and the
    chase list; renamed by its partner, its Instructions' "Partner" line says whose it is; a partner's own
    file named after both is not read, and its issue says which names tell them apart."""
    from conftest import ACTIONS, REGISTER_HEADINGS

    register = [REGISTER_HEADINGS, *ACTIONS, (7, "Justice", "Fire & Rescue", "Fit smoke alarms.", "18"),
                (8, "Justice", "Fire Rescue", "Train water safety.", "19"),
                (9, "Justice", "Fire Rescue", "Inspect high-rise blocks.", "20")]
    root = make_workspace(tmp_path / "ws", register=register, returns={})
    printed = _reportgen("returns", "--workspace", str(root), "--period", "2026-10")
    made = Path(printed.rsplit(" ", 1)[-1])
    assert "'Fire Rescue''s workbook is fire-rescue-2.xlsx" in printed
    folder = root / "inputs" / "returns" / "2026-10"
    for name, statuses in {"fire-rescue.xlsx": {7: "Completed"}, "fire-rescue-2.xlsx": {8: "On hold", 9: "Completed"},
                           "wessex-police.xlsx": {1: "Completed", 3: "Completed"}}.items():
        book = openpyxl.load_workbook(made / name)
        for row in book["Return"].iter_rows(min_row=2):
            row[3].value, row[4].value = statuses[row[0].value], f"Done by the lead of {name} (action {row[0].value})."
        book.save(folder / name)

    issues, chase, paper = _draft(root)
    codes = {row["code"] for row in issues}
    assert not codes & {"ambiguous-partner", "unknown-partner", "not-lead"}, codes
    assert [row["value"] for row in issues if row["code"] == "missing-return"] == ["OPCC", "Criminal Justice Board"]
    assert (chase["Fire & Rescue"]["File"], chase["Fire & Rescue"]["Updated"]) == (
        "inputs/returns/2026-10/fire-rescue.xlsx", "1")
    assert (chase["Fire Rescue"]["File"], chase["Fire Rescue"]["Updated"]) == (
        "inputs/returns/2026-10/fire-rescue-2.xlsx", "2")
    assert chase["Fire Rescue"]["No update (refs)"] == "" and chase["OPCC"]["Returned"] == "No"
    for ref, name in ((7, "fire-rescue.xlsx"), (8, "fire-rescue-2.xlsx"), (9, "fire-rescue-2.xlsx")):
        assert f"Done by the lead of {name} (action {ref})." in paper

    # Fire & Rescue saved its workbook under a name of its own, which fits both leads
    (folder / "fire-rescue.xlsx").rename(folder / "Fire and Rescue return (1).xlsx")
    issues, chase, paper = _draft(root)
    assert not {row["code"] for row in issues} & {"ambiguous-partner", "unknown-partner"}
    assert chase["Fire & Rescue"]["File"] == "inputs/returns/2026-10/Fire and Rescue return (1).xlsx"
    assert "Done by the lead of fire-rescue.xlsx (action 7)." in paper

    # a file of the partner's own under that name: whose it is cannot be known, and the officer is told how
    write_xlsx(folder / "Fire and Rescue return (1).xlsx", [RETURN_HEADINGS, (7, "", "Completed", "By hand.", "")])
    issues, chase, paper = _draft(root)
    [ambiguous] = [row for row in issues if row["code"] == "ambiguous-partner"]
    assert (ambiguous["file"], ambiguous["severity"]) == ("inputs/returns/2026-10/Fire and Rescue return (1).xlsx",
                                                          "error")
    assert "fits several leads (Fire & Rescue, Fire Rescue)" in ambiguous["message"]
    assert ("rename the file as reportgen names each one's return workbook (fire-rescue.xlsx for Fire & Rescue, "
            "fire-rescue-2.xlsx for Fire Rescue), or match each one's files with [partners] files patterns"
            in ambiguous["advice"])
    assert chase["Fire & Rescue"]["Returned"] == "No" and "By hand." not in paper
    # whose it is is not guessed, but the chase list says a file came that fits its name, rather than "no return"
    printed = _reportgen("validate", "--workspace", str(root))
    assert ("Fire & Rescue: no return read (inputs/returns/2026-10/Fire and Rescue return (1).xlsx fits its name and "
            "another lead's, and was not read)") in printed


def test_a_workbook_renamed_to_fit_no_lead_is_its_own_leads_return(tmp_path: Path) -> None:
    """OPCC saved its workbook as "Our return for November.xlsx", a name that fits no lead: the build warned that
    the name matched no lead partner and told the officer to rename it, and a public edition judged by the name
    alone whose rows it could quote. Its Instructions sheet says whose it is, as it does for a name fitting two
    leads: it is OPCC's return (a note says so, and what to name it), in the paper and the chase list; saved into
    another month's folder, it is named as OPCC's misfiled return, not left for OPCC to be chased."""
    root = make_workspace(tmp_path / "ws", returns={})
    made = Path(_reportgen("returns", "--workspace", str(root), "--period", "2026-10").rsplit(" ", 1)[-1])
    folder = root / "inputs" / "returns" / "2026-10"
    book = openpyxl.load_workbook(made / "opcc.xlsx")
    for row in book["Return"].iter_rows(min_row=2):
        row[3].value, row[4].value = "Completed", f"Done by OPCC (action {row[0].value})."
    renamed = "Our return for November.xlsx"
    assert match_partner(renamed, LEADS).leads == ()
    book.save(folder / renamed)

    issues, chase, paper = _draft(root)
    codes = {row["code"] for row in issues}
    assert not codes & {"unknown-partner", "not-lead"}, codes
    [told] = [row for row in issues if row["code"] == "renamed-return"]
    assert (told["severity"], told["file"], told["value"]) == ("info", f"inputs/returns/2026-10/{renamed}", "OPCC")
    assert told["message"] == (f"inputs/returns/2026-10/{renamed} is named after no lead, but it is the workbook made "
                               "for OPCC (its Instructions sheet says so): it is read as OPCC's return.")
    assert told["advice"] == "Nothing to do. To keep the folder tidy, name it opcc.xlsx."
    assert (chase["OPCC"]["File"], chase["OPCC"]["Returned"], chase["OPCC"]["Updated"]) == (
        f"inputs/returns/2026-10/{renamed}", "Yes", "3")
    assert "OPCC" not in [row["value"] for row in issues if row["code"] == "missing-return"]
    assert all(f"Done by OPCC (action {ref})." in paper for ref in (2, 4, 6))

    # saved into November's folder by mistake: October's build names it as OPCC's, to be moved
    november = root / "inputs" / "returns" / "2026-11"
    november.mkdir()
    (folder / renamed).rename(november / renamed)
    issues, chase, paper = _draft(root, "--period", "2026-10")
    [misfiled] = [row for row in issues if row["code"] == "return-in-other-folder"]
    assert (misfiled["severity"], misfiled["file"], misfiled["value"]) == (
        "error", f"inputs/returns/2026-11/{renamed}", "OPCC")
    assert "OPCC" not in [row["value"] for row in issues if row["code"] == "missing-return"]


def _misspell_a_lead(root: Path) -> int:
    """Row 4's lead written 'wessex police ' (lower case, a trailing space) where every other row of the example's
    register writes 'Wessex Police': the action reference of that row."""
    register = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(register)
    sheet = book.active
    assert sheet is not None and sheet.cell(4, 3).value == "Wessex Police"
    sheet.cell(4, 3).value = "wessex police "
    book.save(register)
    return int(sheet.cell(4, 1).value)  # type: ignore[arg-type]


def _chase_rows(root: Path, printed: str) -> dict[str, dict[str, str]]:
    """The built draft's chase.csv, by partner."""
    import csv

    folder = Path(printed.strip().splitlines()[-1])
    with (folder / "chase.csv").open(encoding="utf-8-sig", newline="") as stream:
        return {row["Partner"]: row for row in csv.DictReader(stream)}


def test_a_partner_whose_lead_the_register_misspells_once_is_never_said_to_have_sent_no_return(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One register row writes 'wessex police ' for 'Wessex Police', whose return, 'Wessex Police.xlsx', is in the
    folder. Its name fits both spellings, so it is not read (the register's to correct); yet validate and build said
    "Wessex Police sent no return" and listed it to chase for "no return; 9 of 9 actions not updated". Now it is
    returned, not read until the register writes the lead one way, under both spellings, and nobody is chased for
    it. Named as its workbook (wessex-police.xlsx), it is read as 'Wessex Police''s return, and the other spelling is
    said to have none of its own, that one being read: not "no return", and not to chase."""
    from conftest import copy_example
    from reportgen.shells.cli import main

    root = copy_example(tmp_path / "ws")
    _misspell_a_lead(root)
    folder = root / "inputs" / "returns" / "2026-10"
    (folder / "wessex-police.xlsx").rename(folder / "Wessex Police.xlsx")
    assert main(["validate", "--workspace", str(root)]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert "Wessex Police sent no return" not in printed and "wessex police sent no return" not in printed
    chase, register = printed.split("To chase: ")[1].split("Not to chase, the register to correct: ")
    for lead in ("Wessex Police", "wessex police"):  # listed apart from those to chase
        assert (f"{lead}: returned (inputs/returns/2026-10/Wessex Police.xlsx), not read until the register writes "
                "its lead one way: not to chase") in register
        assert f"{lead}:" not in chase
    assert "no return" not in register and "no return" not in chase.replace("Wessex County Council: no return", "")

    assert main(["build", "--workspace", str(root)]) == 1
    rows = _chase_rows(root, capsys.readouterr().out)
    assert {lead: (rows[lead]["Returned"], rows[lead]["File"]) for lead in ("Wessex Police", "wessex police")} == {
        lead: ("Yes, but not read until the register writes its lead one way",
               "inputs/returns/2026-10/Wessex Police.xlsx") for lead in ("Wessex Police", "wessex police")}

    (folder / "Wessex Police.xlsx").rename(folder / "wessex-police.xlsx")  # the name of 'Wessex Police''s workbook
    assert main(["validate", "--workspace", str(root)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert ("warning wessex police sent no return of its own for 2026-10, but the register writes the same lead "
            "'Wessex Police' elsewhere, and its return (inputs/returns/2026-10/wessex-police.xlsx) is read as Wessex "
            "Police's only.") in printed
    assert ("Not to chase, the register to correct: wessex police: no return under this spelling; the register "
            "writes it 'Wessex Police' elsewhere, whose return (inputs/returns/2026-10/wessex-police.xlsx) is read: "
            "write the lead one way, not to chase") in printed
    assert "wessex police: no return;" not in printed

    checks = validate_draft(root)
    [row] = [row for row in chase_list(checks.checked) if row.partner == "wessex police"]
    assert (row.returned, row.other_spelling, row.other_spelling_file) == (
        False, "Wessex Police", "inputs/returns/2026-10/wessex-police.xlsx")


def _county_council_return(path: Path, saved: str, status_34: str = "In progress") -> Path:
    """Wessex County Council's October return in the example workspace, written over its September workbook: October's
    news in every row, action 34's status `status_34`; saved on `saved` (YYYY-MM-DD), as the officer saved it."""
    book = openpyxl.load_workbook(path.parents[1] / "2026-09" / "wessex-county-council.xlsx")
    for row in book["Return"].iter_rows(min_row=2):
        row[3].value = f"October: work on action {row[0].value} continues."
        if row[0].value == 34:
            row[2].value = status_34
    book.save(path)
    when = datetime.fromisoformat(saved).timestamp()
    os.utime(path, (when, when))
    return path


def _statuses(draft: Path) -> dict[int, str]:
    """Each action's status as the kept draft's draft.json holds it."""
    paper = json.loads((draft / "draft.json").read_text(encoding="utf-8"))["paper"]
    return {row["ref"]: next(cell["text"] for cell in row["cells"] if cell["key"] == "status")
            for section in paper["sections"] for row in section["rows"]}


@pytest.mark.parametrize("name", ["Wessex County Council's return v2.xlsx", "Wessex County Council’s return v2.xlsx",
                                  "Wessex County Councils return v2.xlsx"])
def test_a_corrected_return_named_with_a_possessive_or_plural_is_the_newer_return_of_its_lead(tmp_path: Path,
                                                                                               name: str) -> None:
    """The County Council sent its return as wessex-county-council.xlsx, then a corrected copy (action 34
    completed) saved as "Wessex County Council's return v2.xlsx". The apostrophe's s (or a plural s) kept that name
    from fitting the lead: the build said it matched no lead and that its updates were used, then that each of them
    was not, the older return's being used, and the paper showed action 34 in progress. A possessive or plural is
    now looked past as punctuation is: the corrected copy is the Council's newest return, and the one read."""
    root = copy_example(tmp_path / "ws")
    folder = root / "inputs" / "returns" / "2026-10"
    _county_council_return(folder / "wessex-county-council.xlsx", "2026-10-20")
    _county_council_return(folder / name, "2026-10-22", status_34="Completed")

    printed = _reportgen("build", "--workspace", str(root), "--period", "2026-10")
    assert "matches no lead" not in printed and "this one is not" not in printed
    assert _statuses(Path(printed.rsplit(" ", 1)[-1]))[34] == "Completed"
    printed = _reportgen("validate", "--workspace", str(root), "--period", "2026-10", "--all")
    assert (f"inputs/returns/2026-10/wessex-county-council.xlsx: Wessex County Council has a newer return in this "
            f"period (inputs/returns/2026-10/{name}); only that one is read.") in printed


def test_a_plural_looked_past_never_gives_one_partners_return_to_another(tmp_path: Path) -> None:
    """Two partners whose names differ by more than a plural, Wessex County Council and Wessex County Councils
    Forum: each one's return, saved with or without the s, is its own, and the other's actions keep their own
    updates. Of two partners named only a plural apart, a name as written is the one it fits."""
    from conftest import ACTIONS, REGISTER_HEADINGS

    register = [REGISTER_HEADINGS, *ACTIONS, (7, "Places", "Wessex County Council", "Light the market towns.", "18"),
                (8, "Places", "Wessex County Councils Forum", "Meet the parish councils.", "19")]
    returns = default_returns()
    returns["Wessex County Councils return.xlsx"] = [RETURN_HEADINGS, (7, "", "Completed", "Lit by the Council.", "")]
    returns["Wessex County Council Forum return.xlsx"] = [RETURN_HEADINGS, (8, "", "On hold", "Met by the Forum.", "")]
    root = make_workspace(tmp_path / "ws", register=register, returns=returns)

    printed = _reportgen("build", "--workspace", str(root))
    for unwanted in ("matches no lead", "fits several leads", "sent no return", "is updated here, but"):
        assert unwanted not in printed
    statuses = _statuses(Path(printed.rsplit(" ", 1)[-1]))
    assert (statuses[7], statuses[8]) == ("Completed", "On hold")

    two = ["Wessex County Council", "Wessex County Councils"]
    assert match_partner("Wessex County Council's return.xlsx", two).lead == "Wessex County Council"
    assert match_partner("Wessex County Councils' return.xlsx", two).lead == "Wessex County Councils"
    assert match_partner("Wessex County Councils return.xlsx", two).lead == "Wessex County Councils"
    # a possessive whose apostrophe became a dash, as a slug writes it, is still looked past
    assert match_partner("children-s-services return.xlsx", ["Children's Services"]).lead == "Children's Services"


def test_the_leads_return_sent_again_under_another_name_loses_nothing(tmp_path: Path) -> None:
    """The County Council's return came twice, saved as wessex-county-council.xlsx and as "WCC return Oct.xlsx",
    word for word the same. Validate said the second's updates were used, then, for each row, that the lead's was
    used and this one not, to be checked with its author: four questions about nothing. It now says, as for two
    files named after no lead, that each is updated again word for word, used once; and that none of the second
    file's updates is used. Then that was still a warning a row: now, every row the same, one warning says the file
    is a copy of the County Council's return, and to take it out of the folder. Rows that differ are still warned
    of, and the file's first line says some are used."""
    root = copy_example(tmp_path / "ws")
    folder = root / "inputs" / "returns" / "2026-10"
    _county_council_return(folder / "wessex-county-council.xlsx", "2026-10-20")
    _county_council_return(folder / "WCC return Oct.xlsx", "2026-10-21")
    shown = "inputs/returns/2026-10/WCC return Oct.xlsx"

    copied = (f"{shown}: the file name matches no lead in the register, and every row of it says word for word what "
              "Wessex County Council's return (inputs/returns/2026-10/wessex-county-council.xlsx) says: it is a copy "
              "of that return, and the paper uses Wessex County Council's own.")
    for edition in ("public", "restricted"):
        printed = _reportgen("validate", "--workspace", str(root), "--period", "2026-10", "--edition", edition)
        assert "this one is not" not in printed and "check the other one with its author" not in printed
        assert "word for word, in" not in printed and "Its updates are used" not in printed
        assert copied in printed and "take the copy out of the returns folder" in printed

    # one row differs, and another updates an action no other return does
    book = openpyxl.load_workbook(folder / "WCC return Oct.xlsx")
    sheet = book["Return"]
    sheet["C5"] = "Completed"
    sheet.append([8, "", "In progress", "Reported by the Council.", ""])
    book.save(folder / "WCC return Oct.xlsx")
    printed = _reportgen("validate", "--workspace", str(root), "--period", "2026-10")
    assert ("Action 34 is also updated in inputs/returns/2026-10/wessex-county-council.xlsx row 5; the lead's update "
            "is used and this one is not.") in printed
    assert printed.count("the update is used once.") == 3
    assert ("Some of its updates are used, each counted as returned by the lead of its action; the others are not: "
            "see its other issues.") in printed


def test_a_lead_written_once_with_a_straight_apostrophe_for_a_curly_one_is_not_chased_for_a_return_it_sent(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Welsh register writes 'Swyddfa’r Comisiynydd' (Word's curly apostrophe) on two rows and 'Swyddfa'r
    Comisiynydd' (typed straight) on a third. The lead-spelling warning called them one lead, yet the build listed
    the straight one "To chase: no return" and chase.csv said "No", though its partner's return was read under the
    curly spelling; a case or spacing variant was already "Not to chase, the register to correct". An apostrophe
    written another way is now that too: said under the register's other spelling, and a return whose name fits
    both is the lead's, not read until the register writes it one way, never chased."""
    from reportgen.shells.cli import main

    curly, straight = "Swyddfa’r Comisiynydd", "Swyddfa'r Comisiynydd"
    register = [REGISTER_HEADINGS, (1, "Victims", curly, "Commission a service.", "9"),
                (2, "Victims", curly, "Set up a youth board.", "10"),
                (3, "Justice", straight, "Publish the plan.", "11"),
                (4, "Justice", "OPCC", "Fund an advocate.", "12")]
    updates = [(row[0], row[3], "In progress", "Under way.", "2027") for row in register[1:4]]
    returns = {"swyddfa-r-comisiynydd.xlsx": [RETURN_HEADINGS, *updates],
               "opcc.xlsx": [RETURN_HEADINGS, (4, "Fund an advocate.", "Completed", "Funded.", "2026")]}
    root = make_workspace(tmp_path / "ws", register=register, returns=returns)

    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) == 0
    built = capsys.readouterr().out
    printed = " ".join(built.split())
    assert "To chase:" not in printed, printed
    assert (f"Not to chase, the register to correct: {straight}: no return under this spelling; the register writes "
            f"it '{curly}' elsewhere, whose return (inputs/returns/2026-10/swyddfa-r-comisiynydd.xlsx) is read: write "
            "the lead one way, not to chase") in printed
    rows = _chase_rows(root, built)
    assert rows[straight]["Returned"] == (f"Under the register's other spelling, {curly}: "
                                          "inputs/returns/2026-10/swyddfa-r-comisiynydd.xlsx")

    folder = root / "inputs" / "returns" / "2026-10"
    (folder / "swyddfa-r-comisiynydd.xlsx").rename(folder / f"{curly}.xlsx")  # a name fitting both spellings
    assert main(["build", "--workspace", str(root), "--period", "2026-10"]) == 1
    built = capsys.readouterr().out
    printed = " ".join(built.split())
    assert "To chase:" not in printed, printed
    for lead in (curly, straight):
        assert (f"{lead}: returned (inputs/returns/2026-10/{curly}.xlsx), not read until the register writes its "
                "lead one way: not to chase") in printed.split("Not to chase, the register to correct: ")[1]
    rows = _chase_rows(root, built)
    assert {lead: rows[lead]["Returned"] for lead in (curly, straight)} == dict.fromkeys(
        (curly, straight), "Yes, but not read until the register writes its lead one way")


def test_a_return_named_with_welsh_words_for_return_or_update_is_its_leads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """"Ffurflen Cyngor Sir Powys - Hydref 2026.csv" matched no lead partner, though "return" and the Welsh month are
    looked past: the Welsh words for return, update and reply ("ffurflen", "diweddariad", "ymateb") now are too, so
    the council's return is read as its own and it is not chased."""
    from conftest import REGISTER_HEADINGS, write_csv
    from reportgen.shells.cli import main

    leads = ("Cyngor Sir Powys", "Heddlu Dyfed-Powys", "Tŷ Diogel")
    root = make_workspace(tmp_path / "ws", returns={},
                          register=[REGISTER_HEADINGS, *[(ref, "", lead, f"Action {ref}.", "9")
                                                         for ref, lead in enumerate(leads, 1)]])
    folder = root / "inputs" / "returns" / "2026-10"
    for ref, name in enumerate(("Ffurflen Cyngor Sir Powys - Hydref 2026.csv", "Diweddariad Heddlu Dyfed-Powys.csv",
                                "Ymateb Tŷ Diogel.csv"), 1):
        write_csv(folder / name, [RETURN_HEADINGS, (ref, f"Action {ref}.", "Completed", "Done.", "2026")])
    main(["build", "--workspace", str(root)])
    printed = capsys.readouterr().out
    rows = _chase_rows(root, printed)
    with (Path(printed.strip().splitlines()[-1]) / "issues.csv").open(encoding="utf-8-sig") as stream:
        issues = stream.read()
    assert "unknown-partner" not in issues and "matches no lead" not in issues, issues
    assert {lead: (rows[lead]["Returned"], rows[lead]["File"]) for lead in leads} == {
        "Cyngor Sir Powys": ("Yes", "inputs/returns/2026-10/Ffurflen Cyngor Sir Powys - Hydref 2026.csv"),
        "Heddlu Dyfed-Powys": ("Yes", "inputs/returns/2026-10/Diweddariad Heddlu Dyfed-Powys.csv"),
        "Tŷ Diogel": ("Yes", "inputs/returns/2026-10/Ymateb Tŷ Diogel.csv")}, rows
