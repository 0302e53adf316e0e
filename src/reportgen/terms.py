"""The fixed words every stage shares: the canonical statuses (with their CSS classes and default
colours), the note under a status not recognised, and the editions of a paper.

Plain values with no imports, so the command line can offer them (`--edition public|restricted`)
without loading the settings model. `reportgen.settings` re-exports both.
"""

from __future__ import annotations

from typing import Literal, get_args

# every status a paper counts, in the order the paper lists them; partners' wording maps onto these
CANONICAL_STATUSES: tuple[str, ...] = ("Completed", "In progress", "Not started", "On hold")

# the canonical statuses as partners also write them; read as that status; more come from reportgen.toml
# [statuses] aliases (`reportgen.read.statuses`)
BUILTIN_ALIASES: dict[str, str] = {
    "Complete": "Completed",
    "Completed": "Completed",
    "In progress": "In progress",
    "Inprogress": "In progress",
    "Not started": "Not started",
    "Not yet started": "Not started",
    "Not started yet": "Not started",
    "On hold": "On hold",
}

# the class each status is drawn with (status-<class> in the HTML and PDF, the charts' series)
STATUS_CLASSES: dict[str, str] = {
    "Completed": "completed",
    "In progress": "in-progress",
    "Not started": "not-started",
    "On hold": "on-hold",
}

# cell shading behind the status text (text stays black: contrast above 7:1 on each)
STATUS_COLOURS: dict[str, str] = {
    "completed": "C6EFCE",
    "in-progress": "FFEB9C",
    "not-started": "F2F2F2",
    "on-hold": "DDEBF7",
    "unknown": "FFC7CE",
}

# a chart's series, and its table's column, of the actions updated with a status empty or not recognised
NO_RECOGNISED_STATUS = "No recognised status"
# a chart's series, and its table's column, of the actions with no update (and none to carry): not the partner's
# mistake, as "not recognised" would say, but nothing reported yet
NO_UPDATE_YET = "No update yet"
# the note under a status the paper shows as the partner wrote it, not recognised (a kept draft is read back by it)
STATUS_NOT_RECOGNISED = "Status not recognised"
# the status cell's words where no status was given: none at all, or no update (only wording carried)
NO_STATUS_GIVEN = "No status given"
NO_UPDATE_LABEL = "No update"
# said for the period a carried status was reported in where no kept draft shows it (one an older reportgen kept)
REPORTED_UNKNOWN = "month not recorded"
# the restricted edition's status cell of an exempt action: which rows the public edition leaves out
EXEMPT_ROW_NOTE = "Exempt (Part II): not in the public edition"
# what an action no longer in the register is now, where the paper lists it ("Changes since the last draft")
NO_LONGER_IN_PLAN = "No longer in the plan"


Edition = Literal["public", "restricted"]  # public leaves exempt actions out; restricted includes them
EDITIONS: tuple[Edition, ...] = get_args(Edition)
