"""Small workspaces and spreadsheets made by code for the tests (no binary fixtures)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import openpyxl

REGISTER_HEADINGS = ("Plan priority", "Section", "Lead", "Action", "CSCJ Plan page")
RETURN_HEADINGS = ("Plan priority", "Action", "Status this reporting period",
                   "Explanation / Link to meeting papers", "Timeframe for delivery / Completion")

Row = Sequence[object]


def write_xlsx(path: Path, rows: Sequence[Row], sheet: str = "Return",
               before: Sequence[tuple[str, Sequence[Row]]] = ()) -> Path:
    """An .xlsx with `rows` on sheet `sheet`, after any sheets in `before` (name, rows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, other_rows in before:
        other = book.create_sheet(name)
        for row in other_rows:
            other.append(list(row))
    data = book.create_sheet(sheet)
    for row in rows:
        data.append(list(row))
    book.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Row], encoding: str = "utf-8", delimiter: str = ",",
              prefix: str = "") -> Path:
    import csv
    import io

    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes((prefix + buffer.getvalue()).encode(encoding))
    return path


ACTIONS: tuple[tuple[int, str, str, str, str], ...] = (
    (1, "", "Wessex Police", "Develop a prevention strategy.", "9-10"),
    (2, "", "OPCC", "Publish the commissioning plan.", "11"),
    (3, "Victims", "Wessex Police", "Review victim referrals.", "12"),
    (4, "Victims", "OPCC", "Fund an advocacy service.", "13- 14"),
    (5, "Justice", "Criminal Justice Board", "Measure file quality.", "15"),
    (6, "Justice", "OPCC", "Lobby for court capacity.", "16 - 17"),
)


def make_workspace(root: Path, period: str = "2026-10", toml: str = "", narrative: str | None = None,
                   returns: dict[str, Sequence[Row]] | None = None,
                   register: Sequence[Row] | None = None) -> Path:
    """A workspace: register of ACTIONS, one return per lead (all updated) unless `returns` is given."""
    register_rows = [REGISTER_HEADINGS, *ACTIONS] if register is None else register
    write_xlsx(root / "inputs" / "register.xlsx", register_rows, sheet="Register")
    if returns is None:
        returns = default_returns()
    for name, rows in returns.items():
        path = root / "inputs" / "returns" / period / name
        if name.endswith(".csv"):
            write_csv(path, rows)
        else:
            write_xlsx(path, rows)
    (root / "inputs" / "returns" / period).mkdir(parents=True, exist_ok=True)
    (root / "reportgen.toml").write_text(toml or textwrap.dedent("""\
        [paper]
        meeting = "Police and Crime Panel"
        date = 2026-11-05
        title = "Test Delivery Plan"
        submitted_by = "Chief Executive, OPCC"
        """), encoding="utf-8")
    (root / "narrative.md").write_text(narrative if narrative is not None else (
        "# Delivery\n\nOf the {{ total }} actions, {{ counts['Completed'] }} are complete.\n"), encoding="utf-8")
    return root


def default_returns() -> dict[str, list[Row]]:
    statuses = {1: "Completed", 2: "In progress", 3: "Not started", 4: "In progress", 5: "On hold",
                6: "Completed"}
    by_lead: dict[str, list[Row]] = {}
    for ref, _section, lead, text, _page in ACTIONS:
        file = lead.lower().replace(" ", "-") + ".xlsx"
        by_lead.setdefault(file, [RETURN_HEADINGS]).append(
            (ref, text, statuses[ref], f"Update on action {ref}.", "Spring 2027"))
    return by_lead
