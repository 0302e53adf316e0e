"""A workspace on disk: where the register, the returns of a period, the narrative and templates are.

It only finds files; it reads none of them (except listing folders) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.errors import ReportgenError, UsageError
from reportgen.files import is_system_file
from reportgen.issues import Issue, issue
from reportgen.periods import check_period, is_period
from reportgen.read.partners import month_number
from reportgen.template_files import templates_folder

if TYPE_CHECKING:
    from reportgen.settings import Settings

RETURN_SUFFIXES = (".xlsx", ".xlsm", ".csv")
# spreadsheets in a format not read: still their partner's return, whose error it is that it cannot be read
OTHER_SPREADSHEETS = {".xls": "an old .xls workbook", ".ods": "an OpenDocument (LibreOffice) spreadsheet",
                      ".fods": "an OpenDocument spreadsheet", ".numbers": "an Apple Numbers spreadsheet",
                      ".xlsb": "an Excel binary workbook", ".xltx": "an Excel template", ".xltm": "an Excel template"}
# a sheet saved with Excel's Save As as text: a partner's return all the same (a mailed one is another matter:
# `reportgen.mail.collect` answers a .txt attachment as not a spreadsheet, so these are kept apart)
SAVED_AS_TEXT = {".txt": "a text file (Excel's Text or Unicode Text format)", ".tsv": "a tab-separated text file",
                 ".prn": "a formatted text (.prn) file"}
NOT_READ = {**OTHER_SPREADSHEETS, **SAVED_AS_TEXT}
# documents partners send with (or instead of) a return: never a spreadsheet to re-save
DOCUMENTS = {".pdf": "a PDF", ".doc": "a Word document", ".docx": "a Word document", ".odt": "a text document",
             ".rtf": "a text document", ".msg": "an Outlook message", ".eml": "an email message",
             ".png": "a picture", ".jpg": "a picture", ".jpeg": "a picture"}
# what a save or a sync in progress writes before it puts the finished file in place ("opcc.xlsx.tmp"): no return
TEMPORARY = frozenset({".tmp", ".temp", ".part", ".partial", ".crdownload"})


@dataclass(frozen=True)
class Inputs:
    workspace: Path
    settings: Settings
    period: str
    register: Path
    returns: tuple[Path, ...]
    narrative: Path | None
    templates: Path
    outputs: Path

    def display(self, path: Path) -> str:
        """A path as the officer sees it: relative to the workspace when inside it."""
        return shown_path(path, self.workspace)

    @property
    def returns_dir(self) -> Path:
        return self.workspace / "inputs" / "returns" / self.period

    @property
    def exemption_files(self) -> tuple[Path, Path]:
        """The files that say which actions are exempt: reportgen.toml (`[exempt]`) and the register."""
        from reportgen.settings import SETTINGS_FILE  # loaded with `settings`

        return self.workspace / SETTINGS_FILE, self.register


def open_workspace(workspace: Path) -> tuple[Path, Settings, Path]:
    """The workspace folder (resolved), its settings and its register: what every period of it needs.
    A folder that is not there, wrong settings or no register: one clear error."""
    workspace = workspace.resolve()
    if not workspace.is_dir() or not any((workspace / name).exists() for name in ("inputs", "reportgen.toml")):
        raise UsageError(not_a_workspace(workspace))
    from reportgen.settings import load_settings  # pydantic: after `reportgen build` has started its PDF workers

    return workspace, load_settings(workspace), _register_file(workspace)


def not_a_workspace(workspace: Path) -> str:
    """Why `workspace` is not one, and where it may be: a file, or a folder not there (a typo, or a folder
    inside the workspace given in its place: the workspace is the folder holding inputs/)."""
    workspace = workspace.resolve()
    if workspace.is_dir():  # a folder, but no workspace: neither inputs/ nor reportgen.toml in it
        inside_it = sorted(child.parent for child in workspace.glob("*/inputs") if child.is_dir())
        hint = f"; {inside_it[0]} holds inputs/: is that the workspace? (--workspace {inside_it[0]})" if inside_it \
            else " (a workspace is the folder holding inputs/ and reportgen.toml)"
        return f"{workspace} is not a workspace: it holds neither inputs/ nor reportgen.toml{hint}"
    if workspace.exists():
        return f"workspace {workspace} is not a folder (a workspace is the folder holding inputs/ and reportgen.toml)"
    parent = next((folder for folder in workspace.parents if folder.is_dir()), None)
    if parent is not None and (parent / "inputs").is_dir():
        return (f"workspace {workspace} does not exist; {parent} holds inputs/: is that the workspace? "
                f"(--workspace {parent})")
    return f"workspace {workspace} does not exist (a workspace is the folder holding inputs/ and reportgen.toml)"


def find_inputs(workspace: Path, period: str | None = None, need_returns: bool = True
                ) -> tuple[Inputs, list[Issue]]:
    """The workspace's files for `period` (default: the newest returns folder).

    With `need_returns` (a build, a check) the period must have a returns folder: a typo in the period
    is a UsageError naming the folders there are, never a clean paper of nothing. Pre-filled workbooks
    are written for a period before its folder exists, so they pass `need_returns=False`.
    """
    workspace, settings, register = open_workspace(workspace)
    given_period = check_period(period) if period else None
    period = given_period or newest_period(workspace)
    returns_dir = workspace / "inputs" / "returns" / period
    refuse_linked_returns(workspace, period)
    if need_returns and not returns_dir.is_dir():
        there = periods(workspace)
        listing = f"the period folders there are: {', '.join(there)}" if there else "there are no period folders yet"
        raise UsageError(f"no returns folder for {period} (inputs/returns/{period}); {listing}. "
                         "Check the period, or create the folder and put the returns in it."
                         f"{not_periods_note(workspace)}")
    files, issues = list_returns(returns_dir, workspace)
    if need_returns:
        issues += not_started(period, settings.schedule.today(), chosen=period != given_period)
    issues += [issue("unknown-file-type", "loose-file" if (workspace / "inputs" / "returns" / name).is_file()
                     else "not-a-period", example=example, file=f"inputs/returns/{name}")
               for name, example in not_periods(workspace)]
    narrative, narrative_issues = _narrative_file(workspace, settings)
    issues += narrative_issues + register_neighbours(register, workspace)
    inputs = Inputs(workspace, settings, period, register, tuple(files), narrative, templates_folder(workspace),
                    workspace / "outputs")
    return inputs, issues


def not_started(period: str, today: dt.date, chosen: bool) -> list[Issue]:
    """A period whose month is still to come (a folder made early, or a return saved in next month's folder by
    mistake): said, as a build of it is almost never meant. `chosen`: picked as the newest folder, not given."""
    year, month = (int(part) for part in period.split("-"))
    if dt.date(year, month, 1) <= today:
        return []
    how = ", the newest period folder under inputs/returns, read as no --period was given" if chosen else ""
    return [issue("period-not-started", period=period, today=today.isoformat(), chosen=how)]


def _narrative_file(workspace: Path, settings: Settings) -> tuple[Path | None, list[Issue]]:
    """The narrative, only as a regular file inside the workspace. One named in reportgen.toml that is
    not there is an issue (a mistyped name would otherwise give a paper with no narrative)."""
    name = settings.paper.narrative
    if not name:
        return None, []
    path = workspace / name
    if path.is_symlink() or path.exists():
        if not inside(path, workspace) or not is_regular_file(path):
            return None, [issue("narrative-error", "outside", file=name)]
        return path, []
    if "narrative" in settings.paper.model_fields_set:
        return None, [issue("narrative-error", "not-found", file=name)]
    return None, []


def _register_file(workspace: Path) -> Path:
    found = [workspace / "inputs" / f"register{suffix}" for suffix in RETURN_SUFFIXES]
    found = [path for path in found if path.is_file() or path.is_symlink()]
    for path in found:
        if not (is_regular_file(path) and inside(path, workspace)):
            raise ReportgenError(f"the register {path} is a link or not a regular file: reportgen reads only "
                                 "files inside the workspace; copy the register there")
    if not found:
        raise ReportgenError(_no_register(workspace / "inputs"))
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise ReportgenError(f"more than one register in {workspace / 'inputs'} ({names}); keep one")
    return found[0]


# the names a sync or Windows gives a second copy of a file: 'register (1)', 'register (conflicted copy 2026-10-02)',
# 'register (DESKTOP-4F2K's conflicted copy)', 'register - Copy', 'Copy of register'
_REGISTER_COPY = re.compile(r"(?:copy of )?register(?: ?\((?:\d+|[^)]*conflict[^)]*)\)| - copy(?: \(\d+\))?)",
                            re.IGNORECASE)


def register_neighbours(register: Path, workspace: Path) -> list[Issue]:
    """What beside the register says it may not be the register meant: Excel's or LibreOffice's lock file (the
    register open, with changes not yet saved), a copy a sync made of it or its name in other capitals, neither
    of which is read. Said, since an officer who edited the copy would otherwise see the paper ignore the edit."""
    try:
        entries = sorted(path for path in register.parent.iterdir() if path != register)
    except OSError:
        return []
    names = {register.name.casefold(): register.name}
    issues: list[Issue] = []
    for path in entries:
        shown = shown_path(path, workspace)
        if path.name.startswith(("~$", ".~lock.")):
            issues += [found for found in lock_file(path.name, names, shown)  # not a lock of another workbook
                       if str(dict(found.named_fields)["workbook"]).casefold() == register.name.casefold()]
            continue
        copy = path.stem.casefold() == "register" or _REGISTER_COPY.fullmatch(path.stem)
        if copy and path.suffix.casefold() in RETURN_SUFFIXES and is_regular_file(path):
            later = path.stat().st_mtime > register.stat().st_mtime
            saved = f"saved {'after' if later else 'before'} {register.name}"
            issues.append(issue("register-copy-unread", "case" if path.stem.casefold() == "register" else "",
                                file=shown, register=register.name, saved=saved))
    return issues


def _no_register(folder: Path) -> str:
    """Why no register was found, and what to do (`register_hint`)."""
    missing = f"no register in {folder} (expected register.xlsx or register.csv)"
    hint = register_hint(folder)
    return f"{missing}: {hint}" if hint else missing


def register_hint(folder: Path) -> str:
    """What the inputs `folder` holds that may be the register, and what to do with it ('' for nothing): a register
    saved as .xls, or under the office's own name ('Master Action Register.xlsx'). Said by `validate` for a
    workspace with no register, and by `init`, which writes no empty register beside such a file."""
    try:
        files = sorted(path for path in folder.iterdir() if path.is_file() and not path.name.startswith("~$"))
    except OSError:
        return ""
    sheets = [path for path in files if path.suffix.casefold() in (*RETURN_SUFFIXES, *OTHER_SPREADSHEETS)]
    for path in files:
        if path.stem.casefold() == "register" and path.suffix.casefold() in NOT_READ:
            return (f"{path.name} is {NOT_READ[path.suffix.casefold()]}, which reportgen does "
                    "not read; open it in Excel or LibreOffice and save it as register.xlsx")
    if len(sheets) == 1:
        [path] = sheets
        suffix = path.suffix.casefold()
        todo = ("save it as register.xlsx" if suffix in OTHER_SPREADSHEETS
                else f"rename it register{'.csv' if suffix == '.csv' else '.xlsx'}")
        return f"it holds {path.name}; if that is the register, {todo}"
    if sheets:
        names = ", ".join(path.name for path in sheets[:5]) + (", …" if len(sheets) > 5 else "")
        return f"it holds {names}; if one of them is the register, name it register.xlsx (or register.csv)"
    return ""


def earlier_periods(workspace: Path, period: str) -> list[str]:
    """Period folders before `period`, newest first."""
    return [found for found in reversed(periods(workspace)) if found < period]


def periods(workspace: Path) -> list[str]:
    """Period folders inside the workspace (a link to a folder elsewhere is not one)."""
    root = workspace / "inputs" / "returns"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir()
                  if is_period(p.name) and p.is_dir() and inside(p, workspace))


def refuse_linked_returns(workspace: Path, period: str | None = None) -> None:
    """Stop when inputs/returns (or the folder of `period` in it) is a link: nothing is read through one, so the
    run could only blame every partner for a return it never looked at (a chase reminding them all, a paper of
    "no update"). One error naming the link and what to do, rather than an empty folder."""
    folder = workspace / "inputs" / "returns"
    for path in (folder.parent, folder, *([folder / period] if period else [])):
        if path.is_symlink():
            shown = shown_path(path, workspace)
            raise ReportgenError(
                f"{shown} is a link (to {path.resolve()}): reportgen reads returns only from folders inside the "
                "workspace, never through a link, so none was read and no partner was judged to have sent none. "
                f"Move the real folder into the workspace as {shown}, in place of the link, then run again.")


def inside(path: Path, workspace: Path) -> bool:
    """Is `path` a real entry inside the workspace: no link on the way out of it?"""
    return not path.is_symlink() and path.resolve().is_relative_to(workspace.resolve())


def is_regular_file(path: Path) -> bool:
    """A plain file: never a pipe, socket or device, whose reading could block or never end."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def newest_period(workspace: Path) -> str:
    refuse_linked_returns(workspace)
    found = periods(workspace)
    if not found:
        raise ReportgenError(f"no period folders (YYYY-MM) in {workspace / 'inputs' / 'returns'}: put the returns "
                             "in a folder named for the month they report, inputs/returns/YYYY-MM, and run again."
                             f"{not_periods_note(workspace)}")
    return found[-1]


def not_periods(workspace: Path) -> list[tuple[str, str]]:
    """What inputs/returns holds that no period is read from (a folder named 'November 2026', a return put
    beside the period folders), each with the period its name suggests ('2026-11'), else an example."""
    root = workspace / "inputs" / "returns"
    try:
        entries = sorted(path for path in root.iterdir() if not passed_over(path.name))
    except OSError:
        return []
    return [(path.name, _period_named(path.name)) for path in entries
            if not (is_period(path.name) and path.is_dir())]


def passed_over(name: str) -> bool:
    """Whether a file or folder of that name in the returns folders is nobody's to read or fix: a lock file ('~$…'),
    a hidden one ('.DS_Store', '.~lock.…#') or one Windows leaves in a folder it has shown (`SYSTEM_FILES`)."""
    return name.startswith(("~$", ".")) or is_system_file(name)


def _period_named(name: str) -> str:
    """'November 2026', '2026 11' -> '2026-11'; 'YYYY-MM' when the name says no month and year ('Nov-26')."""
    words = re.findall(r"[a-z]+|\d+", name.casefold())
    month = next((number for word in words if (number := month_number(word))), None)
    years = [int(word) for word in words if len(word) == 4 and word.startswith("20")]
    if month is None and len(years) == 1:
        month = next((int(word) for word in words if len(word) <= 2 and 1 <= int(word) <= 12), None)
    return f"{years[0]}-{month:02d}" if month and len(years) == 1 else "YYYY-MM"




def not_periods_note(workspace: Path) -> str:
    """The sentence the period errors end with when inputs/returns holds other folders or files."""
    found = not_periods(workspace)
    if not found:
        return ""
    names = ", ".join(name for name, _example in found[:5]) + (", …" if len(found) > 5 else "")
    return (f" inputs/returns holds {names}, not named as a period: a period's returns are read from its "
            f"folder, e.g. inputs/returns/{found[0][1]}.")


def list_returns(folder: Path, workspace: Path) -> tuple[list[Path], list[Issue]]:
    """The return files of a period, sorted; links, odd names and other file types are reported."""
    if folder.is_dir() and not inside(folder, workspace):
        return [], [issue("unsafe-path", "folder-outside", file=shown_path(folder, workspace))]
    if not folder.is_dir():
        return [], []  # a build needs its folder (find_inputs); the workbooks of a period go out before it
    files: list[Path] = []
    issues: list[Issue] = []
    entries = sorted(folder.iterdir())
    names = {path.name.casefold(): path.name for path in entries}
    for path in entries:
        shown = shown_path(path, workspace)
        if passed_over(path.name):
            issues += lock_file(path.name, names, shown)
            continue
        if path.is_symlink() or not path.resolve().is_relative_to(folder.resolve()):
            issues.append(issue("unsafe-path", file=shown))
        elif path.is_dir():
            issues.append(issue("unknown-file-type", "folder", file=shown))
        elif not is_regular_file(path):
            issues.append(issue("unknown-file-type", "not-regular", file=shown))
        elif path.suffix.lower() in RETURN_SUFFIXES or path.suffix.lower() in NOT_READ:
            files.append(path)  # a spreadsheet not read is still its partner's return: its error is theirs
        elif path.suffix.lower() in TEMPORARY:
            issues.append(issue("unknown-file-type", "temporary", file=shown))
        elif path.suffix.lower() in DOCUMENTS:
            issues.append(issue("unknown-file-type", "document", file=shown, what=DOCUMENTS[path.suffix.lower()]))
        else:
            issues.append(issue("unknown-file-type", file=shown))
    return files, issues  # none: the build says so once it knows no return was read (`no-returns`)


def returns_elsewhere(workspace: Path, period: str) -> list[tuple[str, int]]:
    """The other period folders that hold return files, newest first, each with how many (a period's
    returns put in another month's folder, or a build of the wrong --period)."""
    found = []
    for other in reversed(periods(workspace)):
        if other != period:
            files, _issues = list_returns(workspace / "inputs" / "returns" / other, workspace)
            if files:
                found.append((other, len(files)))
    return found


_LIBREOFFICE_LOCK = re.compile(r"\.~lock\.(?P<name>.+)#")


def lock_file(name: str, names: dict[str, str], shown: str) -> list[Issue]:
    """The lock file Excel ('~$opcc.xlsx') or LibreOffice ('.~lock.opcc.xlsx#') keeps beside a workbook
    while it is open: that workbook (in `names`, the folder's, by their casefold) may hold changes not yet
    saved, or be missing from the folder. [] for any other name."""
    found = _LIBREOFFICE_LOCK.fullmatch(name)
    if found:
        program, named = "LibreOffice", found["name"]
    elif name.startswith("~$") and len(name) > 2:
        program, named = "Excel", name[2:]
        if named.casefold() not in names:  # named as Word names it for a long name (some Office versions do
            # for workbooks too): its first two letters replaced by ~$
            named = next((other for key, other in names.items() if key[2:] == named.casefold()
                          and not key.startswith("~$")), named)
    else:
        return []
    suffix = Path(named).suffix.lower()
    if suffix not in RETURN_SUFFIXES and suffix not in OTHER_SPREADSHEETS:
        return []  # a Word document's lock file, say: not about a return
    there = named.casefold() in names
    return [issue("workbook-open", "" if there else "no-workbook", program=program,
                  workbook=names.get(named.casefold(), named), file=shown)]


VERSION = re.compile(r"(?P<base>.+)\.v(?P<number>[1-9][0-9]{0,5})", re.IGNORECASE)


def versioned(path: Path) -> tuple[str, int]:
    """(base name, version): opcc.v3.xlsx -> ("opcc", 3); opcc.xlsx -> ("opcc", 1).

    A later return collected by email is saved beside the earlier one as <name>.v2.xlsx, .v3…; the
    build reads the newest of a partner's files (`reportgen.read.partners.assign_returns`)."""
    match = VERSION.fullmatch(path.stem)
    return (match["base"], int(match["number"])) if match else (path.stem, 1)


def shown_path(path: Path, workspace: Path) -> str:
    """A path as the officer sees it in an issue: relative to `workspace` when inside it."""
    try:
        return path.relative_to(workspace).as_posix()
    except ValueError:
        return str(path)
