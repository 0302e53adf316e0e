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
    "narrative-error": (Severity.ERROR, "The narrative could not be read or filled in; the paper has no narrative.",
                        "Fix the narrative at the line given (a value name, a bracket, a loop), then build again."),
    "same-file-name": (Severity.WARNING, "Two lead names make the same workbook file name.",
                       "Rename one lead in the register, or match its returns with [partners] files in "
                       "reportgen.toml."),
    "long-word": (Severity.WARNING, "A cell holds a very long run of characters without a space.",
                  "Check the cell: a pasted link or code is fine; otherwise add spaces where words end."),
    "cells-beyond": (Severity.WARNING, "A sheet has cells further right than any return's columns; they were not read.",
                     "Check those cells: delete them, or move what they hold into the return's columns."),
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
    "partner-not-lead": (Severity.WARNING, "A [partners] entry in reportgen.toml is not a lead in the register.",
                         "Write the lead's name exactly as in the register, or remove the entry."),
    "no-partner-address": (Severity.WARNING, "A lead partner has no email address in [partners].",
                           "Add its addresses (emails = [...]) to reportgen.toml, or send its workbook by hand."),
    "mail-unknown-sender": (Severity.WARNING, "A message came from an address that is no partner's; nothing "
                            "was saved.", "If it is a partner's, add the address to its [partners] emails and "
                            "move the message back to the inbox."),
    "mail-no-return": (Severity.WARNING, "A partner's message had no .xlsx or .csv attachment.",
                       "The partner was asked to reply with the workbook attached."),
    "mail-other-attachment": (Severity.WARNING, "An attachment is not an .xlsx or .csv file; it was not saved.",
                              "The partner was asked to send the return as .xlsx or .csv."),
    "mail-several-returns": (Severity.WARNING, "A message had more than one spreadsheet; none was saved.",
                             "The partner was asked to send one workbook per message."),
    "mail-refused-attachment": (Severity.ERROR, "An attachment was too big, damaged or unsafe; it was not saved.",
                                "The partner was told why; the message is in the rejected folder."),
    "mail-duplicate": (Severity.INFO, "The message or its file was already collected; nothing new was saved.",
                       "No action needed."),
    "mail-automatic": (Severity.INFO, "A partner's message was an automatic reply (out of office); it was not "
                       "answered.", "No action needed; it is in the processed folder."),
    "mail-other-period": (Severity.INFO, "The message is about another period; it was left in the inbox.",
                          "Collect that period to read it."),
    "mail-unreadable": (Severity.ERROR, "A message could not be read as email; nothing was saved.",
                        "Open it in the rejected folder and ask its sender to send it again."),
    "mail-late": (Severity.INFO, "The return arrived after the deadline.", "No action needed: it is used."),
    "mail-send-failed": (Severity.ERROR, "The mail server refused a message; it was not sent.",
                         "Check the address and run the command again: only unsent messages are sent."),
    "mail-uncertain": (Severity.WARNING, "A message was being sent when an earlier run stopped; it may have gone.",
                       "Check the sent mail; to send it again, delete its row from sent.csv."),
    "font-substituted": (Severity.WARNING, "A font the Word template names is not installed here; the PDF uses "
                         "the closest installed one (a note only when the substitute has the same metrics).",
                         "Install the font on the machine that builds the papers, or choose an installed one "
                         "in the template."),
    "logo-no-alt": (Severity.WARNING, "The logo in the Word template's header has no alt text.",
                    "In Word, right-click the logo, choose Edit Alt Text and describe it (e.g. 'Wessex OPCC logo')."),
    "logo-unsupported": (Severity.WARNING, "The logo in the Word template's header is in a format a PDF cannot "
                         "show (e.g. EMF); it appears in the Word paper only.",
                         "Insert the logo as a PNG or JPEG picture instead."),
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
