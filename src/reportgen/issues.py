"""Issues: problems in the inputs, as values with coordinates a secretariat officer can act on.

Every stage returns its result plus a list of `Issue`; nothing here raises for bad data.
The catalogue `CODES` (in issue_codes.py) is the single list of issue codes, each with its severity and
message template; `issue(code, **fields)` renders the message. docs/issues.md is generated from it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import PurePosixPath
from string import Formatter

from reportgen.issue_codes import CODES, Code, Severity
from reportgen.wording import quoted

__all__ = ["CODES", "COORDINATES", "Code", "Issue", "Severity", "blocking", "flatten", "issue", "issues_csv",
           "render_advice", "render_message", "render_partner_message"]

# files whose problems are found by row; in any other (the narrative) a problem's row is a line
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".ods")


@dataclass(frozen=True)
class Issue:
    """One problem, with the coordinates needed to find it in the partner's file."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    file: str = ""  # path relative to the workspace, as the officer sees it
    sheet: str = ""
    row: int | None = None  # 1-based spreadsheet row, or line of a text file (the narrative)
    column: str = ""  # the heading as the partner wrote it
    value: str = ""
    ref: int | None = None
    advice: str = ""  # what to do about it
    # the fields its message was rendered from that are no coordinate, as (name, value) pairs: another wording of
    # it (the partner's) is rendered from them, never read back out of the message. Not compared: the message and
    # advice already say them, so an issue equals one made without them (by hand, or before they were kept)
    named_fields: tuple[tuple[str, object], ...] = field(default=(), compare=False)
    # which of its code's wordings it was made with ("" the code's own; "same": a duplicate saying word for word
    # what the used row says): issues of one code but another wording need another thing done. Not compared either
    wording: str = field(default="", compare=False)

    def named_field(self, name: str) -> object:
        """The value of a field its message was rendered from (`named_fields`); KeyError when it had none."""
        return dict(self.named_fields)[name]

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        """Where it is, for a line that has no heading of its file: the file, then `place`; the file is left out
        when the message starts with it ('x.xlsx is empty (0 bytes)')."""
        file = self.file  # none (a count of issues withheld, a setting): the message alone, not "-: …"
        return ", ".join(part for part in (file if file and not _starts(self.message, file) else "", self.place)
                         if part)

    @property
    def located(self) -> str:
        """The message after where it is: 'inputs/returns/x.xlsx, sheet 'Return', row 3: Action 4: …'."""
        return f"{self.where}: {self.message}" if self.where else self.message

    @property
    def place(self) -> str:
        """"sheet 'Return', row 3, column 'Status'", less what the message starts with: "Row 3, column 'Status'
        holds …" is not told its row and column twice."""
        rest = self.message
        parts = []
        for part in (f"sheet {quoted(self.sheet)}" if self.sheet else "",
                     self.row_label if self.row is not None else "", self.column_label if self.column else ""):
            if part and _starts(rest, part):
                rest = rest[len(part):].lstrip(", ")
            elif part:
                parts.append(part)
        return ", ".join(parts)

    @property
    def column_label(self) -> str:
        """"column 'Status'" in a spreadsheet, "setting 'meetings'" in reportgen.toml; a heading typed on two lines
        or with a no-break space is quoted as it reads ('Status this reporting period')."""
        is_settings = PurePosixPath(self.file).suffix.lower() == ".toml"
        return f"{'setting' if is_settings else 'column'} {quoted(' '.join(self.column.split()))}"

    @property
    def row_label(self) -> str:
        """'row 12' in a spreadsheet, 'line 12' in a text file such as the narrative: as the officer looks for it."""
        is_text = bool(self.file) and PurePosixPath(self.file).suffix.lower() not in SPREADSHEET_SUFFIXES
        return f"{'line' if is_text else 'row'} {self.row}"

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        del data["named_fields"], data["wording"]  # not columns: the message says them
        data["severity"] = self.severity.value
        return data


def _starts(message: str, part: str) -> bool:
    """Whether `message` starts with `part` of a location ('Row 3, column …' with 'row 3', not 'Row 31')."""
    return re.match(rf"{re.escape(part)}(?!\w)", message, re.IGNORECASE) is not None


# the fields of an Issue that say where the problem is; a template may use them and any extra named fields
COORDINATES = ("file", "sheet", "row", "column", "value", "ref")


def issue(code: str, wording: str = "", /, **fields: object) -> Issue:
    """An issue of a catalogued code: its message rendered from its fields (coordinates and the extra
    names its template uses, which it keeps as `named_fields`), with the code's severity and advice. `wording`
    names one of the code's other wordings (another situation of the same meaning):
    issue("unsafe-path", "folder-outside", file=…)."""
    entry = CODES[code]
    coords = {key: value for key, value in fields.items() if key in COORDINATES}
    heading = fields.get("column")
    if isinstance(heading, str) and ("\n" in heading or "\r" in heading):  # a heading typed on two lines (Alt+Enter)
        fields = {**fields, "column": " ".join(heading.split())}  # is said as read, not as 'Status this\nperiod'
    message = render_message(code, wording, **fields)
    if "value" in coords:
        coords["value"] = _shorten(str(coords["value"] if coords["value"] is not None else ""))
    named = tuple((name, value) for name, value in fields.items() if name not in COORDINATES)
    return Issue(code=code, message=message, severity=entry.severity, advice=render_advice(code, wording, **fields),
                 named_fields=named, wording=wording, **coords)  # type: ignore[arg-type]


def render_message(code: str, wording: str = "", /, **fields: object) -> str:
    """The message of a code's template (or named wording) filled in from the fields; a field neither
    it nor its advice names (other than a coordinate) is a mistake, and so is a missing one (KeyError)."""
    entry = CODES[code]
    extra = set(fields) - set(COORDINATES) - entry.fields_for(wording)
    if extra:
        raise TypeError(f"issue {code!r}: fields {sorted(extra)} are neither coordinates nor in its template")
    return _format(entry.template_for(wording), fields)


def render_advice(code: str, wording: str = "", /, **fields: object) -> str:
    """What to do about an issue of a code (or named wording), filled in from the same fields."""
    return _format(CODES[code].advice_for(wording), fields)


def render_partner_message(item: Issue, /, **coordinates: object) -> str:
    """The partner's wording of an issue (its code's `partner_message`), rendered from the fields the issue was
    made with: its coordinates, any given here in their place (the file's name as the partner sent it), and its
    named fields (the corrected status), so it holds whatever text a value holds."""
    own = {name: getattr(item, name) for name in COORDINATES}
    return _format(CODES[item.code].partner_message, {**own, **dict(item.named_fields), **coordinates})


def _format(template: str, fields: dict[str, object]) -> str:
    return _QUOTING.format(template, **fields) if "!r}" in template else template.format(**fields)


class _Quoting(Formatter):
    """str.format, but a text quoted with !r is quoted as its writer typed it (`quoted`): a heading with a
    backslash or an apostrophe, or typed with a no-break space, is found in the workbook as the message shows it,
    not as Python's repr escapes it ('Status\\\\Update', "Partner's notes", 'Status this\\xa0period')."""

    def convert_field(self, value: object, conversion: str | None) -> object:
        if conversion == "r" and isinstance(value, str):
            return quoted(value)
        return super().convert_field(value, conversion)


_QUOTING = _Quoting()


def _shorten(value: str, limit: int = 200) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def listing_order(item: Issue) -> tuple[str, int, int]:
    """The one order issues are listed in (console, issues.csv, the paper's "Issues to resolve"): file by
    file, and in a file errors, then warnings, then notes, each by row."""
    return item.file, item.severity.rank, item.row or 0


def blocking(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.blocking]


def flatten(issues: Iterable[Issue], keys: Sequence[str]) -> list[list[object]]:
    """[[row, column, code], …]: the small inline form tests compare against (as frictionless does)."""
    return [[getattr(i, key) for key in keys] for i in issues]


ISSUE_FIELDS = [f.name for f in dataclass_fields(Issue)  # the columns of issues.csv
                if f.name not in ("named_fields", "wording")]


def issues_csv(issues: Iterable[Issue], marking: str = "") -> str:
    """The issues as CSV text for the person fixing the files, in `listing_order`; cells never become
    formulas. With a `marking` (the restricted edition's) a last column, `marking`, says it on every row: the
    file forwarded alone says what it is, and a reader of the columns by name or place reads them as ever."""
    from reportgen.safe_cells import text_for_spreadsheet

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*ISSUE_FIELDS, *(["marking"] if marking else [])])
    for item in sorted(issues, key=listing_order):
        row = item.to_dict()
        cells = [text_for_spreadsheet("" if row[k] is None else str(row[k])) for k in ISSUE_FIELDS]
        writer.writerow([*cells, *([text_for_spreadsheet(marking)] if marking else [])])
    return out.getvalue()
