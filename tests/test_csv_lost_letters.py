"""A register or return saved from Excel as "CSV (Comma delimited)": Windows-1252, which has no ŵ or ŷ, so Excel
writes '?' for each. The officer is told which cells lost a letter, and how to save the file so none is; a
question mark that is meant is left alone. Checked and built from the command line, issues.csv read back."""

from __future__ import annotations

import csv
import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from conftest import FULL_COVER, REGISTER_HEADINGS, RETURN_HEADINGS, make_workspace, write_csv, write_xlsx
from reportgen.shells.cli import main

ACTIONS = [(1, "Victims", "T? Diogel", "Commission T? Diogel refuge places.", "9"),
           (2, "Victims", "OPCC", "Is the £5k portal live? Launch it in Welsh and English.", "10"),
           (3, "Justice", "OPCC", "?yn a ?d: court interpreters pilot.", "11"),
           (4, "Justice", "OPCC", "Publish the terms at https://example.org/plan?id=3.", "12")]


def _workspace(root: Path, encoding: str, register: list[tuple[object, ...]]) -> Path:
    """A workspace whose register, and OPCC's return, are CSV files saved in `encoding`."""
    opcc = [RETURN_HEADINGS, (2, "x", "In progress", "Live? Not yet: D?r Cymru testing it.", "2027"),
            (3, "x", "In progress", "Done?", "2027"), (4, "x", "Completed", "Published.", "2026")]
    root = make_workspace(root, register=[REGISTER_HEADINGS], returns={})
    (root / "inputs" / "register.xlsx").unlink()
    write_csv(root / "inputs" / "register.csv", [REGISTER_HEADINGS, *register], encoding=encoding)
    write_csv(root / "inputs" / "returns" / "2026-10" / "opcc.csv", opcc, encoding=encoding)
    return root


def _build(root: Path) -> tuple[str, list[dict[str, str]]]:
    """`reportgen build` as an officer runs it: what it printed, and the draft's issues.csv."""
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root),
                           "--period", "2026-10"], capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stdout + done.stderr
    draft = Path(done.stdout.strip().splitlines()[-1])
    with (draft / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        return " ".join(done.stdout.split()), list(csv.DictReader(stream))


def test_letters_excel_wrote_as_question_marks_in_a_windows_csv_are_named_cell_by_cell(tmp_path: Path) -> None:
    """A register saved as "CSV (Comma delimited)" printed its lead as "T? Diogel" and an action as "?yn a ?d",
    with "nothing blocks publication". Each cell with a '?' where a letter stood is now a warning naming the
    file, row, column and value, advising "CSV UTF-8"; a lead's lost letter ending a word ("T?") is found in the
    action's words too. A question asked ("Is the portal live?", "Done?") and a link's query are not, nor is
    anything in the same file saved as "CSV UTF-8", whose letters arrive."""
    printed, issues = _build(_workspace(tmp_path / "ws", "cp1252", ACTIONS))
    lost = [(row["file"], row["row"], row["column"], row["value"]) for row in issues
            if row["code"] == "csv-letters-lost"]
    assert lost == [
        ("inputs/register.csv", "2", "Lead", "T? Diogel"),
        ("inputs/register.csv", "2", "Action", "Commission T? Diogel refuge places."),
        ("inputs/register.csv", "4", "Action", "?yn a ?d: court interpreters pilot."),
        ("inputs/returns/2026-10/opcc.csv", "2", "Explanation / Link to meeting papers",
         "Live? Not yet: D?r Cymru testing it.")], lost
    [lead] = [row for row in issues if row["code"] == "csv-letters-lost" and row["column"] == "Lead"]
    assert lead["severity"] == "warning"
    assert lead["message"].startswith("'T? Diogel' has a question mark where a letter stood ('T?'): the file was "
                                      "not saved as UTF-8")
    assert ('Save the file again as UTF-8 (File > Save As): in Excel as "CSV UTF-8 (Comma delimited)"; in '
            'LibreOffice as "Text CSV", ticking "Edit filter settings" and choosing the character set "Unicode '
            '(UTF-8)".') in lead["advice"]
    assert "'?yn', '?d:'" in printed

    welsh = [(ref, section, lead.replace("T?", "Tŷ"), text.replace("T?", "Tŷ").replace("?yn a ?d", "Ŵyn a Ŷd"),
              page) for ref, section, lead, text, page in ACTIONS]
    _printed, issues = _build(_workspace(tmp_path / "utf8", "utf-8-sig", welsh))  # "CSV UTF-8": nothing lost
    assert not [row for row in issues if row["code"] == "csv-letters-lost"]


def test_a_partner_whose_csv_lost_letters_is_told_how_to_save_it_from_excel_or_libreoffice(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A partner using LibreOffice Calc saved its return as "Text CSV" in Western Europe: "Café Ŵyn" arrived as
    "Café ?yn". The acknowledgement blamed Excel and said only how to save from Excel; it now says how from Excel
    and from LibreOffice (the character set "Unicode (UTF-8)" under "Edit filter settings"), or to send the .xlsx."""
    from mail_helpers import ADDRESS, OPCC, PERIOD, mail_workspace, reply

    root = mail_workspace(tmp_path / "ws")
    saved = write_csv(tmp_path / "saved" / "opcc.csv", [
        RETURN_HEADINGS, (2, "x", "In progress", "Two reviews commissioned (Café ?yn).", "2027")], encoding="cp1252")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.csv", saved.read_bytes())]))
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder",
                 str(drop)]) == 0, capsys.readouterr()
    [eml] = (root / "outputs" / PERIOD / "mail" / "outbox").iterdir()
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    told = " ".join(message.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "'Two reviews commissioned (Café ?yn).' has a question mark where a letter stood" in told
    assert ('What to do: Save the file again as UTF-8 (File > Save As): in Excel as "CSV UTF-8 (Comma delimited)"; '
            'in LibreOffice as "Text CSV", ticking "Edit filter settings" and choosing the character set "Unicode '
            '(UTF-8)". Send us that file, or the .xlsx workbook itself.') in told
    assert "Excel writes" not in told


def test_a_lead_named_in_quotes_in_a_windows_csv_return_is_named_as_a_lost_letter(tmp_path: Path) -> None:
    """A partner's return saved as "CSV (Comma delimited)" explained '… – “T? Diogel” yn diolch …' (the ŷ lost):
    "Tŷ Diogel" is a lead in the register, but only names in the CSV itself counted as known words, and the quote
    before "T?" hid it anyway, so the paper printed "T? Diogel" without a word. The register's leads and sections
    are now known words wherever the return quotes them."""
    register = [REGISTER_HEADINGS, (1, "Atal Niwed", "Tŷ Diogel", "Run the refuge.", "9"),
                (2, "Atal Niwed", "OPCC", "Fund the helpline.", "10")]
    toml = FULL_COVER + '\n[partners."Tŷ Diogel"]\nfiles = ["ty-diogel*.csv"]\n'
    root = make_workspace(tmp_path / "ws", toml=toml, register=register, returns={})
    explanation = "Lloches ar agor – “T? Diogel” yn diolch i’r Panel. Done?"
    write_csv(root / "inputs" / "returns" / "2026-10" / "ty-diogel.csv",
              [RETURN_HEADINGS, (1, "Run the refuge.", "In progress", explanation, "2027")], encoding="cp1252")
    _printed, issues = _build(root)
    lost = [(row["row"], row["column"], row["value"]) for row in issues if row["code"] == "csv-letters-lost"]
    assert lost == [("2", "Explanation / Link to meeting papers", explanation)], lost
    [told] = [row["message"] for row in issues if row["code"] == "csv-letters-lost"]
    assert "where a letter stood ('“T?')" in told, told


def test_a_register_that_lost_a_leads_letters_is_not_copied_into_the_settings(tmp_path: Path) -> None:
    """The register saved as "CSV (Comma delimited)" wrote its lead "Tŷ Diogel" as "T? Diogel", and the settings'
    [partners."Tŷ Diogel"] was said to be no lead, with "Did you mean 'T? Diogel'?": reportgen.toml was advised to
    copy the damage. The warning now says the register's letters were lost and to save it as UTF-8 or .xlsx."""
    root = make_workspace(tmp_path / "ws", register=[REGISTER_HEADINGS], returns={},
                          toml=FULL_COVER + '\n[partners."Tŷ Diogel"]\nfiles = ["ty-diogel*.xlsx"]\n'
                          '\n[partners."Wessex Polce"]\nfiles = ["wessex*.xlsx"]\n')
    (root / "inputs" / "register.xlsx").unlink()
    write_csv(root / "inputs" / "register.csv", [REGISTER_HEADINGS, (1, "Victims", "Tŷ Diogel", "Run it.", "9"),
                                                  (2, "Victims", "Wessex Police", "Fund it.", "10")],
              encoding="cp1252", errors="replace")
    _printed, issues = _build(root)
    told = {row["value"]: row for row in issues if row["code"] == "partner-not-lead"}
    lost = told["Tŷ Diogel"]
    assert "Did you mean" not in lost["message"], lost["message"]
    assert "the register writes it 'T? Diogel', with a '?' where reportgen.toml has a letter" in lost["message"]
    assert lost["advice"].startswith("Save the register again as UTF-8 (File > Save As)"), lost["advice"]
    assert "Do not write the '?' into reportgen.toml." in lost["advice"]
    assert told["Wessex Polce"]["message"].endswith("Did you mean 'Wessex Police'?")  # a misspelling still is one


def test_a_lost_character_in_the_action_column_the_paper_does_not_print_is_not_put_to_the_partner(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A return saved as "CSV (Comma delimited)" lost the non-breaking hyphens of its Action cell
    ("Llanfair‑ym‑Muallt" as "Llanfair?ym?Muallt"). The partner was mailed that a letter was lost and "the paper
    prints the '?'", of a column they never typed in and whose wording the paper takes from the register, and the
    character lost was no letter. It is now a note for the officer, of a character, saying nothing is printed from
    it; the partner is told nothing of it."""
    from mail_helpers import ADDRESS, OPCC, PERIOD, mail_workspace, reply

    root = mail_workspace(tmp_path / "ws")
    action = "Publish the plan in Llanfair‑ym‑Muallt."
    write_xlsx(root / "inputs" / "register.xlsx", [REGISTER_HEADINGS, (2, "Victims", OPCC, action, "11")],
               sheet="Register")
    saved = write_csv(tmp_path / "saved" / "opcc.csv", [
        RETURN_HEADINGS, (2, action, "In progress", "Published in Welsh and English.", "2027")],
        encoding="cp1252", errors="replace")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.csv", saved.read_bytes())]))
    assert main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder",
                 str(drop)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    [eml] = (root / "outputs" / PERIOD / "mail" / "outbox").iterdir()
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    told = " ".join(message.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "Llanfair" not in told and "question mark" not in told, told
    assert "where a letter stood" not in printed, printed

    (root / "inputs" / "returns" / PERIOD / "opcc.csv").write_bytes(saved.read_bytes())
    _printed, issues = _build(root)
    [note] = [row for row in issues if "Llanfair" in row["value"]]
    assert (note["code"], note["severity"], note["column"]) == ("csv-character-lost-not-printed", "info", "Action")
    assert note["message"].startswith("'Publish the plan in Llanfair?ym?Muallt.' has a question mark where a "
                                      "character stood ('Llanfair?ym?Muallt.')"), note["message"]
    assert "the paper prints the register's wording" in note["message"]
