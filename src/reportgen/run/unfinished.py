"""What a workspace still being set up lacks before its returns can be checked: `reportgen validate` lists it, as
issues, where a build would stop at the first thing missing (no period folder yet, a register with no actions).

Only the build's own checks (the settings' and cover sheet's, the register's) and `no-period-folder`; it reads
the settings and the register, writes nothing, and imports no spreadsheet writer (`validate` starts quickly).
"""

from __future__ import annotations

from pathlib import Path

from reportgen.issues import Issue, issue
from reportgen.paper.cover import cover_issues, meeting_issues, removed_character_issues, settings_issues
from reportgen.periods import month_before
from reportgen.read.register import read_register
from reportgen.read.workspace import not_periods, open_workspace, periods, refuse_linked_returns, shown_path

RETURNS = Path("inputs") / "returns"


def unfinished_issues(workspace: Path, period: str | None = None) -> list[Issue]:
    """What a workspace still being set up (no period folder under inputs/returns yet, and no `period` asked for)
    lacks, as the build's own issues (the settings' and cover sheet's, the register's) and `no-period-folder`;
    [] for a workspace with a period to check, where `reportgen validate` runs every check of a build instead
    (and a period asked for that has no folder is refused there, as before)."""
    if period:
        return []
    workspace, settings, register_path = open_workspace(workspace)
    refuse_linked_returns(workspace)  # not "no period folder yet": one is there, through a link not followed
    if periods(workspace) or not_periods(workspace):  # a folder not named as a period: the check's error names it
        return []
    checked = month_before(settings.schedule.today())  # the month a first paper is most likely for
    _register, register_found = read_register(register_path, settings, shown_path(register_path, workspace))
    return [*settings_issues(workspace), *removed_character_issues(settings), *meeting_issues(settings.paper, checked),
            *cover_issues(settings.paper, checked), *register_found,
            issue("no-period-folder", file=RETURNS.as_posix())]
