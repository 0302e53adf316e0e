"""Issues: problems in the inputs, as values with coordinates a secretariat officer can act on.

Every stage returns its result plus a list of `Issue`; nothing here raises for bad data.
The catalogue `CODES` is the single list of issue codes; docs/issues.md is generated from it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # blocks publication: the paper would be wrong or incomplete
    WARNING = "warning"  # published as is, but someone should look
    INFO = "info"


# code -> (default severity, what it means, what to do)
CODES: dict[str, tuple[Severity, str, str]] = {
    "unreadable-file": (Severity.ERROR, "The file could not be opened as a spreadsheet.",
                        "Save it again as .xlsx or UTF-8 .csv and put it back in the folder."),
    "no-data-sheet": (Severity.ERROR, "No sheet in the file has the expected column headings.",
                      "Use the return template, or rename the headings to the expected ones."),
    "missing-column": (Severity.ERROR, "A required column heading was not found.",
                       "Add the column, or rename the heading (a 'did you mean' is given when one is close)."),
    "duplicate-column": (Severity.ERROR, "Two columns have headings that mean the same thing.",
                         "Delete or rename one of them."),
    "empty-file": (Severity.ERROR, "The file holds no rows of data.",
                   "Ask the partner for the completed return."),
    "bad-ref": (Severity.ERROR, "The action reference is not a whole number.",
                "Write the plan priority number only, e.g. 12."),
    "missing-ref": (Severity.ERROR, "A row has text but no action reference.",
                    "Add the plan priority number, or delete the row."),
    "duplicate-ref": (Severity.ERROR, "The same action reference appears twice in the register.",
                      "Keep one row per action in the register."),
    "no-lead": (Severity.WARNING, "An action in the register names no lead partner.",
                "Fill in its lead: until then it gets no return workbook and is not on the chase list."),
    "unknown-ref": (Severity.ERROR, "The return updates an action that is not in the register.",
                    "Check the number against the register; the update is left out of the paper."),
    "duplicate-update": (Severity.WARNING, "Two rows or returns update the same action.",
                         "The lead partner's update is used; check the other one with its author."),
    "unknown-status": (Severity.ERROR, "The status is not one of the recognised statuses.",
                       "Use Completed, In progress, Not started or On hold (or add an alias in reportgen.toml)."),
    "empty-status": (Severity.ERROR, "The action has no status this period.",
                     "Ask the lead partner for the status."),
    "no-update": (Severity.WARNING, "No return updated this action this period.",
                  "Chase the lead partner; the paper shows the action without an update."),
    "carried-forward": (Severity.INFO, "No update this period: the last draft's status is carried forward.",
                        "Chase the lead partner if an update is due."),
    "action-text-changed": (Severity.WARNING, "The return's action text differs from the register.",
                            "The register's wording is used; change the register if the wording really changed."),
    "unknown-partner": (Severity.WARNING, "The return's file name matches no lead in the register.",
                        "Name the file after the lead (e.g. hertfordshire-constabulary.xlsx), or add "
                        "a file pattern for the lead under [partners] in reportgen.toml."),
    "ambiguous-partner": (Severity.ERROR, "The return's file name fits more than one lead; it was not read.",
                          "Rename the file after one lead, or make the [partners] file patterns in "
                          "reportgen.toml not overlap."),
    "superseded-return": (Severity.INFO, "A lead sent several returns for the period; only the newest is read.",
                          "Nothing to do if the newest file is the right one; otherwise move the others "
                          "out of the folder."),
    "meeting-date": (Severity.WARNING, "The meeting date on the cover is before the period, or no listed "
                     "meeting follows it.",
                     "Add the Panel's next meeting to [paper] meetings (or date) in reportgen.toml."),
    "not-lead": (Severity.INFO, "A partner updated an action it does not lead.",
                 "Check with the lead partner that the update is agreed."),
    "several-sheets": (Severity.WARNING, "More than one sheet has the expected headings; the best match was read.",
                       "Keep the updates on one sheet, or delete the other sheets."),
    "hidden-sheet": (Severity.WARNING, "The workbook has a hidden sheet that was not read.",
                     "Unhide it if it holds updates, or delete it."),
    "hidden-row": (Severity.WARNING, "A hidden row was read.",
                   "Check the row is meant to be in the return; unhide it to see it."),
    "merged-cells": (Severity.ERROR, "Cells are merged across rows where one value per row is needed.",
                     "Unmerge the cells and fill in each row."),
    "formula-cell": (Severity.WARNING, "The cell holds a formula; its last calculated value was used.",
                     "Paste the value instead of the formula."),
    "formula-error": (Severity.ERROR, "The cell holds a formula error such as #REF!.",
                      "Replace the formula with the value."),
    "cell-too-long": (Severity.ERROR, "The text is longer than a spreadsheet cell can safely hold.",
                      "Shorten the text or link to a document; the text was not truncated, the row was left out."),
    "control-characters": (Severity.WARNING, "The text holds invisible control characters; they were removed.",
                           "No action needed unless the text looks wrong."),
    "invisible-characters": (Severity.WARNING, "The text holds zero-width or direction-changing characters.",
                             "Retype the text; the characters were removed."),
    "unsafe-path": (Severity.ERROR, "A file in the returns folder is a link or lies outside the folder.",
                    "Copy the real file into the folder."),
    "unknown-file-type": (Severity.WARNING, "A file in the returns folder is not .xlsx or .csv.",
                          "Save it as .xlsx or .csv, or move it out of the folder."),
    "file-changed": (Severity.ERROR, "An input file changed while the paper was being built.",
                     "Build again once the file is final."),
    "exempt-flag": (Severity.ERROR, "The exemption flag is not a recognised value; the action is treated as exempt.",
                    "Write Yes or No (or a value listed in reportgen.toml)."),
    "no-returns": (Severity.WARNING, "No return files were found for the period.",
                   "Put the partner returns in inputs/returns/<period>/."),
    "missing-return": (Severity.WARNING, "A lead partner sent no return this period.",
                       "Chase the partner (see the chase list)."),
    "unchanged-return": (Severity.WARNING, "The return is identical to the pre-filled workbook.",
                         "Check with the partner that nothing has changed."),
}


@dataclass(frozen=True)
class Issue:
    """One problem, with the coordinates needed to find it in the partner's file."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    file: str = ""  # path relative to the workspace, as the officer sees it
    sheet: str = ""
    row: int | None = None  # 1-based spreadsheet row
    column: str = ""  # the heading as the partner wrote it
    value: str = ""
    ref: int | None = None
    action: str = ""  # what to do

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        parts = [self.file or "-"]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def issue(code: str, message: str, **coords: object) -> Issue:
    """Make an issue with the catalogue's severity and advice unless given."""
    severity, _meaning, advice = CODES[code]
    coords["severity"] = Severity(str(coords.get("severity", severity)))
    coords.setdefault("action", advice)
    if "value" in coords:
        coords["value"] = _shorten(str(coords["value"] if coords["value"] is not None else ""))
    return Issue(code=code, message=message, **coords)  # type: ignore[arg-type]


def _shorten(value: str, limit: int = 200) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def blocking(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.blocking]


def flatten(issues: Iterable[Issue], keys: Sequence[str]) -> list[list[object]]:
    """[[row, column, code], …]: the small inline form tests compare against (as frictionless does)."""
    return [[getattr(i, key) for key in keys] for i in issues]


ISSUE_FIELDS = [f.name for f in fields(Issue)]


def issues_csv(issues: Iterable[Issue]) -> str:
    """The issues as CSV text for the person fixing the files; cells never become formulas."""
    from reportgen.safe_cells import text_for_spreadsheet

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ISSUE_FIELDS)
    for item in issues:
        row = item.to_dict()
        writer.writerow([text_for_spreadsheet("" if row[k] is None else str(row[k])) for k in ISSUE_FIELDS])
    return out.getvalue()
