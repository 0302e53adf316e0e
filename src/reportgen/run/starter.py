"""`start_workspace` (`reportgen init`): a new office's workspace, ready to fill in (what it still lacks before its
returns can be checked, `reportgen validate` lists: `reportgen.run.unfinished`).

A workspace is reportgen.toml, narrative.md, inputs/register.xlsx and inputs/returns/. The settings and the
narrative are copied from the package (`reportgen/starter/`, installed with it, so a `pip install` with no clone
has them); the register is written here from the settings' own default columns, so its headings are always
those reportgen reads. A folder is already a workspace when it holds reportgen.toml or a register in inputs/; one
that holds only an inputs/ folder with no register in it (made ahead, or holding the returns) is started around it;
when that inputs/ holds a spreadsheet that may be the register under another name (inputs/Register.csv), no empty
register is written beside it, and the officer is told to rename it, as `reportgen validate` would. What must not
happen: a file replaced or changed (a folder that is already a workspace is refused before anything
is written; each file is linked into place only if its name is free).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reportgen.errors import ReportgenError, UsageError
from reportgen.files import write_atomically
from reportgen.read.workspace import RETURN_SUFFIXES, register_hint
from reportgen.render.xlsx import bold_font, print_landscape, text_cell, workbook_bytes
from reportgen.run.return_workbooks import HEADING_FILL
from reportgen.run.unfinished import RETURNS
from reportgen.settings import SETTINGS_FILE, Settings

STARTER = Path(__file__).resolve().parents[1] / "starter"  # package data: reportgen/starter/
COPIED = (SETTINGS_FILE, "narrative.md")
REGISTER = Path("inputs") / "register.xlsx"
REGISTER_SHEET = "Register"

# the register's columns, in order, with the note on each heading; the heading is the settings' own
# (`settings_columns`), but for the page, whose default ("CSCJ Plan page") is one office's: "Plan page", read so too
REGISTER_NOTES = {
    "ref": "The action's number: a whole number (1, 2, 3 …), one per action, never reused. The partners' returns "
           "and the comparison of drafts go by it.",
    "section": "The section (theme) of the plan the action is in: the paper groups its actions under these "
               "headings, in the order they first appear. Optional.",
    "lead": "The lead partner, written the same way on every row (it names the partner's return workbook). Two "
            "partners leading together: 'OPCC / Constabulary'.",
    "action": "What the plan commits to, as the paper prints it.",
    "page": "Where the action is in the published plan (a page, or pages 6-7). Optional: leave the column empty "
            "if the plan has no pages to point to.",
    "exempt": "Yes for an action exempt from publication (Part II): the public paper leaves it out, the "
              "restricted one marks it. No or blank: published.",
}
OWN_HEADINGS = {"page": "Plan page"}
WIDTHS = {"ref": 14, "section": 24, "lead": 24, "action": 70, "page": 12, "exempt": 10}

FILL_REGISTER = ("  2. fill in inputs/register.xlsx: one row per action, with its number, section, lead partner and "
                 "wording;")
NAME_REGISTER = ("  2. name the register inputs/register.xlsx (or register.csv), as said above: one row per action, "
                 "with its number, section, lead partner and wording;")
NEXT_STEPS = (
    "Next:",
    "  1. fill in reportgen.toml: the cover sheet, the Panel's meeting dates (each setting is explained there);",
    FILL_REGISTER,
    "  3. reportgen returns --period YYYY-MM: one pre-filled workbook per lead partner, to send them;",
    "  4. save each return that comes back in inputs/returns/YYYY-MM/;",
    "  5. reportgen validate: what is still to fill in or correct; then reportgen build.",
)


@dataclass(frozen=True)
class Started:
    folder: Path
    written: tuple[Path, ...]
    register_hint: str = ""  # what inputs/ holds in place of a register, when no register was written beside it

    @property
    def next_steps(self) -> tuple[str, ...]:
        """What to do next: with no register written, name the one inputs/ holds rather than fill in ours."""
        return tuple(NAME_REGISTER if self.register_hint and line == FILL_REGISTER else line for line in NEXT_STEPS)

    @property
    def register_note(self) -> str:
        """Why no register was written, and what to do ('' when one was)."""
        if not self.register_hint:
            return ""
        return f"wrote no {REGISTER.as_posix()}, as inputs/ may hold the register already: {self.register_hint}"


def start_workspace(folder: Path) -> Started:
    """Write a starter workspace into `folder` (made when missing): the settings, the narrative, an empty register
    and the returns folder. Refuses (UsageError, nothing written) a folder that is already a workspace or a file.
    No empty register is written beside a spreadsheet in inputs/ that may be the register under another name: it
    would hide that file from `validate`, which would then report an empty register, not the file to rename."""
    folder = Path(folder).resolve()
    refuse_unless_new(folder)
    hint = register_hint(folder / "inputs")
    made = not (folder / RETURNS).is_dir()  # an inputs/returns/ already there is kept, and not said to be made
    try:
        (folder / RETURNS).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportgenError(f"cannot make the folder {folder / RETURNS}: {error.strerror}") from error
    written = [write_new(folder / name, (STARTER / name).read_bytes()) for name in COPIED]
    if not hint:
        written.append(write_new(folder / REGISTER, workbook_bytes(register_workbook(Settings()))))
    return Started(folder, (*written, *([folder / RETURNS] if made else [])), hint)


def refuse_unless_new(folder: Path) -> None:
    """A file, or a folder holding reportgen.toml or a register in inputs/ (a workspace, or one begun): refused,
    nothing written. An inputs/ folder with no register in it does not make a workspace: `reportgen validate` there
    could only say that the register is missing, so init starts the workspace around it."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder: give --workspace a folder to start the workspace in")
    inputs = folder / "inputs"
    if (inputs.exists() or inputs.is_symlink()) and not inputs.is_dir():
        raise UsageError(f"{folder} holds a file named inputs, where a workspace's inputs folder goes: nothing was "
                         "written; move it away, or give --workspace a new or empty folder")
    settings = [SETTINGS_FILE] if (folder / SETTINGS_FILE).exists() or (folder / SETTINGS_FILE).is_symlink() else []
    registers = [f"inputs/{path.name}" for path in register_files(inputs)]
    if registers:
        raise UsageError(f"{folder} is already a workspace (it holds {' and '.join(settings + registers)}): nothing "
                         "was written; run reportgen validate there, or give --workspace a new or empty folder")
    if settings:
        raise UsageError(f"{folder} is already a workspace (it holds {SETTINGS_FILE}) but has no register: nothing "
                         "was written; save the action register in it as inputs/register.xlsx (or register.csv), "
                         "then run reportgen validate there")
    taken = [name for name in COPIED if (folder / name).exists() or (folder / name).is_symlink()]
    if taken:  # one of the files init writes (an office's own narrative): kept, and nothing else written beside it
        raise UsageError(f"{folder} already holds {' and '.join(taken)}: nothing was written (reportgen init never "
                         "replaces a file); move it away, or give --workspace a new or empty folder")


def register_files(inputs: Path) -> list[Path]:
    """The registers reportgen would read in `inputs` (register.xlsx, .xlsm or .csv), links and folders too: a name
    taken is a register begun."""
    return [path for path in (inputs / f"register{suffix}" for suffix in RETURN_SUFFIXES)
            if path.exists() or path.is_symlink()]


def write_new(path: Path, data: bytes) -> Path:
    """`data` written to `path`, which must not exist (never replaced, even if made meanwhile)."""
    try:
        write_atomically(path, data, replace=False)
    except FileExistsError as error:
        raise ReportgenError(f"{path} already exists: reportgen init never replaces a file") from error
    except OSError as error:
        raise ReportgenError(f"cannot write {path}: {error.strerror}") from error
    return path


def register_workbook(settings: Settings) -> Workbook:
    """The register with no actions: its headings as reportgen reads them (bold, shaded, frozen, each with a note
    saying what goes under it) and a Yes/No list on the Exempt column."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = REGISTER_SHEET
    columns = settings.register.columns
    keys = [key for key in REGISTER_NOTES if key in columns]
    sheet.append([text_cell(sheet, OWN_HEADINGS.get(key, columns[key].heading)) for key in keys])
    for key, cell in zip(keys, sheet[1], strict=True):
        cell.font = bold_font()
        cell.fill = HEADING_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(REGISTER_NOTES[key], "reportgen", width=300, height=110)
        sheet.column_dimensions[cell.column_letter].width = WIDTHS[key]
    letter = get_column_letter(keys.index("exempt") + 1)
    exempt = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True, showErrorMessage=True,
                            errorTitle="Exempt", error="Choose Yes (exempt from publication) or No.",
                            showInputMessage=True, promptTitle="Exempt", prompt="Yes: left out of the public paper.")
    exempt.add(f"{letter}2:{letter}1000")
    sheet.add_data_validation(exempt)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    print_landscape(sheet)  # printed one page wide, the headings on every page
    book.properties.creator = "reportgen"
    return book
