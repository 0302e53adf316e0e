"""`reportgen init`: an office starting a workspace of its own, from nothing to a built paper."""

from __future__ import annotations

import fnmatch
import hashlib
import re
import tomllib
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

from conftest import ROOT
from reportgen.run.starter import STARTER
from reportgen.settings import load_settings
from reportgen.shells.cli import main
from reportgen.terms import CANONICAL_STATUSES

PERIOD = "2025-10"  # a month gone by whatever today is: no "period not started"

COVER = {
    "meetings = []": "meetings = [2025-11-13, 2026-01-22]",
    'title = ""': 'title = "Northshire Police and Crime Plan: Delivery Update ({period:%B %Y})"',
    'submitted_by = ""': 'submitted_by = "Sam Okafor, Head of Policy, Northshire OPCC"',
    'purpose = ""': 'purpose = "To update the Panel on the Police and Crime Plan."',
    'decisions_required = ""': 'decisions_required = "The Panel is asked to note the report."',
}
ACTIONS = [  # number, section, lead, action, page, exempt
    (1, "Safer streets", "Northshire Police", "Publish a neighbourhood policing strategy.", "4", "No"),
    (2, "Safer streets", "OPCC", "Fund three new community safety partnerships.", "5", None),
    (3, "Victims first", "OPCC", "Commission an independent victims' advocacy service.", "8", "No"),
    (4, "Victims first", "Northshire Police", "Train every call handler in trauma-informed practice.", "9", None),
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), " ".join(captured.err.split())



def fill_register(root: Path) -> None:
    """The starter register filled in as an officer does: ACTIONS typed under its headings."""
    register = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(register)
    sheet = book.active
    assert sheet is not None
    for row in ACTIONS:
        sheet.append(row)
    book.save(register)

def test_an_office_starts_a_workspace_and_builds_its_first_paper(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole first journey: init, the cover sheet and the register filled in, the partners' workbooks
    written, one filled in by each partner and saved as its return, validate, build: the paper carries the
    office's cover sheet on its first page."""
    root = tmp_path / "northshire"
    code, out, err = run(capsys, "init", "--workspace", str(root))
    assert (code, err) == (0, "")
    assert out[-1] == str(root.resolve())
    assert any("reportgen returns --period YYYY-MM" in line for line in out)

    settings = root / "reportgen.toml"
    text = settings.read_text(encoding="utf-8")
    for starter, filled in COVER.items():  # each setting as the starter file writes it, at the start of its line
        assert text.count(f"\n{starter}") == 1, starter
        text = text.replace(f"\n{starter}", f"\n{filled}")
    settings.write_text(text, encoding="utf-8")

    fill_register(root)

    code, out, err = run(capsys, "returns", "--workspace", str(root), "--period", PERIOD)
    assert (code, err) == (0, "")
    sent = sorted(Path(out[-1]).glob("*.xlsx"))
    assert [path.name for path in sent] == ["northshire-police.xlsx", "opcc.xlsx"]

    received = root / "inputs" / "returns" / PERIOD
    received.mkdir()
    for number, path in enumerate(sent):
        book = openpyxl.load_workbook(path)
        data = book["Return"]
        headings = [cell.value for cell in data[1]]
        status, explanation = headings.index("Status this reporting period"), headings.index(
            "Explanation / Link to meeting papers")
        for row in data.iter_rows(min_row=2):
            row[status].value = CANONICAL_STATUSES[number]
            row[explanation].value = f"Update on action {row[0].value} this month."
        book.save(received / path.name)

    code, out, err = run(capsys, "validate", "--workspace", str(root))
    assert (code, err) == (0, ""), out
    assert "4 actions" in out[0]

    code, out, err = run(capsys, "build", "--workspace", str(root))
    assert (code, err) == (0, ""), out
    folder = Path(out[-1])
    assert folder == root.resolve() / "outputs" / PERIOD / "draft-01"
    first_page = " ".join(pypdf.PdfReader(folder / "paper.pdf").pages[0].extract_text().split())
    for words in ("Northshire Police and Crime Plan: Delivery Update (October 2025)",
                  "Sam Okafor, Head of Policy, Northshire OPCC", "13 November 2025",
                  "To update the Panel on the Police and Crime Plan."):
        assert words in first_page
    paper = docx.Document(str(folder / "paper.docx"))
    cover = {row.cells[0].text.strip(): row.cells[-1].text.strip() for row in paper.tables[0].rows}
    assert cover["SUBMITTED BY"] == "Sam Okafor, Head of Policy, Northshire OPCC"
    plan = "\n".join(cell.text for row in paper.tables[-1].rows for cell in row.cells)
    assert all(action in plan for _, _, _, action, _, _ in ACTIONS)
    assert "Safer streets" in plan and "Victims first" in plan


def test_validate_straight_after_init_lists_what_is_still_to_fill_in(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before any action or return, validate says, as issues with where to fill them in, that the register holds
    no actions, that there are no returns yet, and which cover rows are empty: the build's own checks."""
    root = tmp_path / "new"
    assert main(["init", "--workspace", str(root)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "validate", "--workspace", str(root))
    told = " ".join(" ".join(out).split())
    assert code == 1 and err == ""
    assert "Traceback" not in told
    assert "The register inputs/register.xlsx holds no actions." in told
    assert "inputs/returns holds no period folder (YYYY-MM) yet" in told
    assert "the cover sheet's 'DATE', 'TITLE OF REPORT', 'SUBMITTED BY' would be printed empty" in told
    assert "the cover sheet's 'PURPOSE OF REPORT', 'DECISION(S) REQUIRED'" in told  # rows a published paper fills
    assert out[-1] == "2 errors, 2 warnings: blocks publication."

    # the register filled in, still no returns: the settings and the missing period are what is left
    register = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(register)
    book.active.append(ACTIONS[0])  # type: ignore[union-attr]
    book.save(register)
    code, out, _ = run(capsys, "validate", "--workspace", str(root))
    told = " ".join(" ".join(out).split())
    assert code == 1 and "holds no actions" not in told and "no period folder" in told
    assert not (root / "outputs").exists()  # validate writes nothing


def test_the_starter_files_are_what_reportgen_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The settings load as written; the register's headings are read as the register's columns, frozen, each
    with a note, and the Exempt column offers Yes or No."""
    root = tmp_path / "new"
    assert main(["init", "--workspace", str(root)]) == 0
    settings = load_settings(root)
    assert settings.paper.title == "" and settings.paper.meetings == ()
    sheet = openpyxl.load_workbook(root / "inputs" / "register.xlsx").active
    assert sheet is not None
    headings = [cell.value for cell in sheet[1]]
    assert headings == ["Plan priority", "Section", "Lead", "Action", "Plan page", "Exempt"]
    assert sheet.max_row == 1 and sheet.freeze_panes == "A2" and sheet.page_setup.fitToWidth == 1
    assert all(cell.font.bold and cell.comment is not None and cell.comment.text for cell in sheet[1])
    [dropdown] = sheet.data_validations.dataValidation
    assert dropdown.formula1 == '"Yes,No"' and str(dropdown.sqref).startswith("F2:")
    assert (root / "inputs" / "returns").is_dir()
    narrative = (root / "narrative.md").read_text(encoding="utf-8")
    assert re.search(r"\{\{ total \}\}", narrative) and "{#" in narrative


@pytest.mark.parametrize("there", ["reportgen.toml", "inputs/register.xlsx"])
def test_init_refuses_a_workspace_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], there: str) -> None:
    """A folder holding reportgen.toml or a register in inputs/ is refused in one line (exit 2): no file is
    replaced, changed or added."""
    root = tmp_path / "ws"
    root.mkdir()
    if there == "inputs/register.xlsx":
        (root / "inputs").mkdir()
        (root / "inputs" / "register.xlsx").write_bytes(b"the office's own register")
    else:
        (root / there).write_text("[paper]\ntitle = \"Ours\"\n", encoding="utf-8")
    (root / "narrative.md").write_text("Our own words.\n", encoding="utf-8")
    before = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in root.rglob("*") if path.is_file()}
    folders = sorted(root.rglob("*"))
    code, out, err = run(capsys, "init", "--workspace", str(root))
    assert code == 2 and out == []
    assert err.startswith(f"reportgen: error: {root} is already a workspace (it holds {there})")
    assert sorted(root.rglob("*")) == folders
    assert {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in before} == before


@pytest.mark.parametrize("inside", [[], ["returns/2025-10/opcc.xlsx"], ["mail/2025-10/1.eml"]],
                         ids=["empty", "a return saved", "saved mail"])
def test_init_starts_a_workspace_around_an_inputs_folder_with_no_register_and_validate_then_works(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], inside: list[str]) -> None:
    """`mkdir -p e/inputs; reportgen init --workspace e` was refused as "already a workspace (it holds inputs)
    … run reportgen validate there", and validate there said only "no register in e/inputs": a dead end. An
    inputs/ folder with no register (and no reportgen.toml beside it) is no workspace: init writes the starter
    files around it, keeping every file already there, and validate lists what is still to fill in."""
    root = tmp_path / "e"
    for name in inside:
        (root / "inputs" / name).parent.mkdir(parents=True)
        (root / "inputs" / name).write_bytes(b"the office's own file")
    (root / "inputs").mkdir(parents=True, exist_ok=True)
    code, out, err = run(capsys, "init", "--workspace", str(root))
    assert (code, err, out[-1]) == (0, "", str(root.resolve()))
    returns = root / "inputs" / "returns"
    made = [] if inside[:1] == ["returns/2025-10/opcc.xlsx"] else [f"made {returns}"]  # one there is not "made"
    assert out[:out.index("Next:")] == [f"wrote {root / 'reportgen.toml'}", f"wrote {root / 'narrative.md'}",
                                        f"wrote {root / 'inputs' / 'register.xlsx'}", *made]
    assert all((root / "inputs" / name).read_bytes() == b"the office's own file" for name in inside)
    assert openpyxl.load_workbook(root / "inputs" / "register.xlsx").active.max_row == 1  # type: ignore[union-attr]

    code, out, err = run(capsys, "validate", "--workspace", str(root))
    told = " ".join(" ".join(out).split()) + err  # with a period's return there, the register stops the checks
    assert code == 1 and "no register" not in told
    assert "The register inputs/register.xlsx holds no actions." in told

    code, _, err = run(capsys, "init", "--workspace", str(root))  # now it is one: refused, as any workspace
    assert code == 2 and f"{root} is already a workspace (it holds reportgen.toml and inputs/register.xlsx)" in err


@pytest.mark.parametrize(("name", "todo"), [("Register.csv", "rename it register.csv"),
                                          ("register.CSV", "rename it register.csv"),
                                          ("Action register 2026.xlsx", "rename it register.xlsx"),
                                          ("register.xls", "save it as register.xlsx")])
def test_init_around_a_register_under_another_name_keeps_it_in_sight_and_says_to_rename_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, todo: str) -> None:
    """init around inputs/Register.csv wrote an empty inputs/register.xlsx beside it and said nothing; validate then
    said only that the register held no actions, never that the office's own file was there to rename. No register
    is written beside a spreadsheet in inputs/: init says which file it found and to rename it, as validate does,
    and writes the rest of the workspace."""
    root = tmp_path / "office"
    (root / "inputs").mkdir(parents=True)
    ours = b"Plan priority,Lead,Action\n1,OPCC,Publish the plan.\n"
    (root / "inputs" / name).write_bytes(ours)
    code, out, err = run(capsys, "init", "--workspace", str(root))
    assert (code, err, out[-1]) == (0, "", str(root.resolve()))
    if name.endswith(".xls"):
        found = (f"{name} is an old .xls workbook, which reportgen does not read; open it in Excel or LibreOffice "
                 f"and {todo}")
    else:
        found = f"it holds {name}; if that is the register, {todo}"
    assert out[:out.index("Next:")] == [f"wrote {root / 'reportgen.toml'}", f"wrote {root / 'narrative.md'}",
                                        f"made {root / 'inputs' / 'returns'}",
                                        f"wrote no inputs/register.xlsx, as inputs/ may hold the register already: "
                                        f"{found}"]
    assert any(line.startswith("  2. name the register inputs/register.xlsx (or register.csv)") for line in out)
    assert sorted(path.name for path in (root / "inputs").iterdir()) == sorted([name, "returns"])
    assert (root / "inputs" / name).read_bytes() == ours

    code, out, err = run(capsys, "validate", "--workspace", str(root))
    assert code == 1 and err.endswith(f"(expected register.xlsx or register.csv): {found}")


def test_init_in_a_folder_with_settings_and_no_register_says_what_is_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder with the office's reportgen.toml and no register is refused, nothing written, saying that the
    register is what it lacks and where to save it, not only to run validate (which would say the same, later)."""
    root = tmp_path / "ws"
    (root / "inputs").mkdir(parents=True)
    (root / "reportgen.toml").write_text("[paper]\ntitle = \"Ours\"\n", encoding="utf-8")
    code, out, err = run(capsys, "init", "--workspace", str(root))
    assert (code, out) == (2, [])
    assert err == (f"reportgen: error: {root} is already a workspace (it holds reportgen.toml) but has no register: "
                   "nothing was written; save the action register in it as inputs/register.xlsx (or register.csv), "
                   "then run reportgen validate there")
    assert sorted(path.name for path in root.rglob("*")) == ["inputs", "reportgen.toml"]


def test_init_fills_an_empty_folder_and_keeps_a_file_there(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An existing folder without reportgen.toml or inputs/ (a shared drive's new folder, with a note in it) is
    started; its own file stays as it was. A folder already holding a file init would write (a narrative of the
    office's own), or a file given as the folder, is refused with nothing written."""
    root = tmp_path / "narrated"
    root.mkdir()
    (root / "narrative.md").write_text("Our own narrative.\n", encoding="utf-8")
    code, out, err = run(capsys, "init", "--workspace", str(root))
    assert code == 2 and "already holds narrative.md: nothing was written" in err
    assert [path.name for path in root.iterdir()] == ["narrative.md"]
    assert (root / "narrative.md").read_text(encoding="utf-8") == "Our own narrative.\n"

    other = tmp_path / "other"
    other.mkdir()
    (other / "README.txt").write_text("Panel papers from 2026\n", encoding="utf-8")
    code, out, err = run(capsys, "init", "--workspace", str(other))
    assert (code, err, out[-1]) == (0, "", str(other.resolve()))
    assert (other / "README.txt").read_text(encoding="utf-8") == "Panel papers from 2026\n"
    assert sorted(path.name for path in other.iterdir()) == ["README.txt", "inputs", "narrative.md", "reportgen.toml"]

    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "init", "--workspace", str(a_file))
    assert code == 2 and "is a file, not a folder" in err and a_file.read_text(encoding="utf-8") == "x"

    inputs_a_file = tmp_path / "inputs-a-file"
    inputs_a_file.mkdir()
    (inputs_a_file / "inputs").write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "init", "--workspace", str(inputs_a_file))
    assert code == 2 and "holds a file named inputs" in err and [p.name for p in inputs_a_file.iterdir()] == ["inputs"]


def test_the_starter_files_are_installed_with_the_package() -> None:
    """`pip install .` (no clone) installs every file init copies: reportgen/starter is a package of pyproject.toml,
    and its package data matches each of them (scripts/check-install.sh runs init from such an install)."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "reportgen.starter" in setuptools["packages"]
    patterns = setuptools["package-data"]["reportgen.starter"]
    files = [path.name for path in STARTER.iterdir() if path.is_file()]
    assert sorted(files) == ["narrative.md", "reportgen.toml"]
    assert all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in files)


def test_the_starter_settings_say_how_a_returns_deadline_is_set_as_reportgen_reads_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The starter reportgen.toml said days_before_meeting "needs meetings above", though the paper's one date
    does as well, and the starter narrative said not_recognised counts a status not recognised, though it counts an
    empty one too (as the README says). Done as the starter's comments now say, each works: the deadline counted
    back from `date =` alone, and none set is said by `reportgen returns`."""
    root = tmp_path / "new"
    assert main(["init", "--workspace", str(root)]) == 0
    settings = root / "reportgen.toml"
    starter = settings.read_text(encoding="utf-8")
    assert "(needs meetings, or date, above)" in starter and "needs meetings above" not in starter
    assert "# days_before_meeting = 12\n" in starter and "(or one date: date = 2026-11-05)" in starter
    narrative = " ".join((root / "narrative.md").read_text(encoding="utf-8").split())
    assert "{{ not_recognised }} a status that is empty or not recognised;" in narrative
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "`not_recognised` (a status that is empty or not recognised)" in readme

    fill_register(root)
    capsys.readouterr()
    code, out, _err = run(capsys, "returns", "--workspace", str(root), "--period", PERIOD, "--out",
                          str(tmp_path / "none"))
    assert code == 0 and "reportgen.toml sets no returns deadline" in " ".join(out)

    settings.write_text(starter.replace("meetings = []\n", "date = 2025-11-13\n")
                        .replace("# days_before_meeting = 12\n", "days_before_meeting = 12\n"), encoding="utf-8")
    code, out, _err = run(capsys, "returns", "--workspace", str(root), "--period", PERIOD, "--out",
                          str(tmp_path / "dated"))
    assert code == 0 and "no returns deadline" not in " ".join(out)  # counted back from the one date
    instructions = openpyxl.load_workbook(tmp_path / "dated" / "opcc.xlsx")["Instructions"]
    assert ("Deadline", "1 November 2025") in list(instructions.iter_rows(values_only=True))


def _register_of(root: Path, heading: str, refs: list[str]) -> None:
    """The workspace's register with the office's own reference heading and one row per ref, as an officer pastes it."""
    register = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(register)
    sheet = book.active
    assert sheet is not None
    sheet.cell(1, 1).value = heading
    leads = ("Northshire Police", "OPCC")
    for number, ref in enumerate(refs):
        sheet.append([ref, "Safer streets", leads[number % 2], f"Action {number + 1} of the plan.", "4", "No"])
    book.save(register)


@pytest.mark.parametrize(("heading", "refs", "example"), [
    ("Plan priority", [f"{n // 10 + 1}.{n % 10 + 1}" for n in range(220)], "'1.1'"),
    ("Ref", [f"A-{101 + n}" if n % 2 else f"P{n // 10 + 1}.{n % 10 + 1}a" for n in range(220)], "'P1.1a'"),
], ids=["1.1", "A-101 and P1.2a"])
def test_a_register_keyed_by_the_plans_own_numbers_is_told_so_once_before_and_after_the_first_returns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], heading: str, refs: list[str], example: str) -> None:
    """A new office's register of 220 rows numbered as its plan numbers them (1.1, 1.2, … or A-101, P1.2a): before
    the first returns folder, validate printed 452 lines, one error a row, under "The register holds no actions. Fill
    in the register", and refs such as A-101 were told to "write the plan priority number only" under a heading
    named 'Ref'. Now one error says none of its 220 rows could be read, under the heading as written, with an example
    and how to keep that numbering in a column of its own; validate says the same once the returns folder is there."""
    root = tmp_path / "new"
    assert main(["init", "--workspace", str(root)]) == 0
    _register_of(root, heading, refs)
    capsys.readouterr()
    code, out, err = run(capsys, "validate", "--workspace", str(root))
    told = " ".join(" ".join(out).split())
    assert code == 1 and err == ""
    assert len(out) < 25, out
    assert "holds no actions" not in told and "Fill in the register" not in told
    assert "is not a whole number; row left out" not in told
    expected = (f"error sheet 'Register', row 2, column '{heading}': None of the register's 220 rows (rows 2 to 221) "
                f"could be read as an action: the action reference in '{heading}' of each ({example}, ")
    assert expected in told, told
    assert (f"→ reportgen numbers each action with a whole number (1, 2, 3 …) in '{heading}'" in told
            and f"To keep the plan's own numbering ({example} and so on) in the paper, put it in a column of its own "
            "and name it in reportgen.toml: [[register.extra]]" in told)
    assert "plan priority number" not in told

    (root / "inputs" / "returns" / PERIOD).mkdir()
    code, out, err = run(capsys, "validate", "--workspace", str(root))
    assert code == 1 and out == [] and err.count("reportgen: error:") == 1, err
    assert (f"cannot read the register inputs/register.xlsx: None of the register's 220 rows (rows 2 to 221) could "
            f"be read as an action: the action reference in '{heading}' of each ({example}, ") in err
    assert "[[register.extra]]" in err and "holds no actions" not in err


def test_the_starter_settings_name_the_papers_language_and_a_welsh_paper_declares_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`[paper] language` sets the language the PDF, web edition and Word paper declare, but neither the README
    nor the reportgen.toml `init` writes named it, so a Welsh office's paper declared itself British English. The
    starter names it, with "cy" for a Welsh paper; set so, every format of the paper declares Welsh."""
    root = tmp_path / "powys"
    assert main(["init", "--workspace", str(root)]) == 0
    settings = root / "reportgen.toml"
    text = settings.read_text(encoding="utf-8")
    assert '\nlanguage = "en-GB"\n' in text and '"cy" for a Welsh paper' in text
    for starter, filled in COVER.items():
        text = text.replace(f"\n{starter}", f"\n{filled}")
    settings.write_text(text.replace('\nlanguage = "en-GB"\n', '\nlanguage = "cy"\n'), encoding="utf-8")
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert 'language = "en-GB" # the default' in readme and '"cy" for a Welsh paper' in readme
    fill_register(root)
    (root / "inputs" / "returns" / PERIOD).mkdir(parents=True)  # no return yet: the paper is built all the same
    capsys.readouterr()
    main(["build", "--workspace", str(root), "--period", PERIOD])
    printed = capsys.readouterr()
    folder = Path(printed.out.strip().splitlines()[-1])
    assert pypdf.PdfReader(folder / "paper.pdf").trailer["/Root"]["/Lang"] == "cy"
    assert docx.Document(str(folder / "paper.docx")).core_properties.language == "cy"
    assert '<html lang="cy">' in (folder / "paper.html").read_text(encoding="utf-8")
