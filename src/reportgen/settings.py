"""Workspace settings: `reportgen.toml` loaded once, at the edge, into one typed, frozen object.

Defaults live here and nowhere else (the columns and statuses in `settings_columns`, the partners and
mail in `settings_mail`; every public name is importable from here). Unknown keys are an error that
names them. No stage reads environment variables; whatever a stage needs is passed down in `Settings`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import string
import tomllib
import typing
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator

from reportgen.errors import ReportgenError, describe_os_error
from reportgen.settings_advice import not_a_date, parsed_date, toml_advice
from reportgen.settings_columns import (
    Column,
    ExtraColumn,
    RegisterSettings,
    ReturnSettings,
    StatusSettings,
    Strict,
    heading_key,
    without_register_names,
)
from reportgen.settings_mail import (
    EMAIL_ADDRESS,
    FolderSettings,
    MailSettings,
    PartnerSettings,
    ServerSettings,
    TlsMode,
)
from reportgen.terms import CANONICAL_STATUSES, Edition
from reportgen.wording import INVISIBLE, composed, quoted, words_around

__all__ = [
    "CANONICAL_STATUSES", "COVER_ROWS", "DEFAULT_TABLE_COLUMNS", "EMAIL_ADDRESS", "SETTINGS_FILE", "Column",
    "CoverRowSettings", "Edition", "ExtraColumn", "FolderSettings", "HistorySettings", "MailSettings",
    "PaperSettings", "PartnerSettings", "RegisterSettings", "ReturnSettings", "ScheduleSettings", "ServerSettings",
    "Settings", "StatusSettings", "TlsMode", "load_settings", "settings_from_dict",
]

SETTINGS_FILE = "reportgen.toml"

DEFAULT_TABLE_COLUMNS = ("ref", "action", "status", "explanation", "timeframe", "page")

# the cover sheet's built-in rows, in the order of a published Panel paper: [paper] key -> its heading
COVER_ROWS = {
    "meeting": "MEETING",
    "date": "DATE",
    "title": "TITLE OF REPORT",
    "submitted_by": "SUBMITTED BY",
    "purpose": "PURPOSE OF REPORT",
    "decisions_required": "DECISION(S) REQUIRED",
    "financial_implications": "FINANCIAL IMPLICATIONS",
    "risk_implications": "RISK IMPLICATIONS",
    "legal_implications": "LEGAL IMPLICATIONS",
    "equalities_impacts": "EQUALITIES IMPACTS",
    "foi_exemption": "FREEDOM OF INFORMATION EXEMPTION SECTION IF APPLICABLE",
}


class CoverRowSettings(Strict):
    """[[paper.cover]]: a cover sheet row of the Panel's own ("Contact officer"), printed as headed."""

    heading: str
    value: str = ""  # may name the period or meeting date, as the built-in rows' values may
    after: str | None = None  # a built-in row's key ("submitted_by") or an earlier row's heading; else last
    before: str | None = None  # or before it ("meeting": an agenda item number first); not both


class PaperSettings(Strict):
    """The cover sheet and the paper. Text values may name the period or meeting date, formatted with
    strftime codes: "Delivery Update ({period:%B %Y})", "Panel, {date:%B %Y}" ({period} alone reads
    "October 2026", {date} alone "05 November 2026")."""

    meeting: str = "Police and Crime Panel"
    date: dt.date | None = None
    meetings: tuple[dt.date, ...] = ()  # the Panel's meeting dates: the paper takes the next after the period
    title: str = "Delivery Plan"
    submitted_by: str = ""
    purpose: str = ""
    decisions_required: str = ""
    financial_implications: str = ""
    risk_implications: str = ""
    legal_implications: str = ""
    equalities_impacts: str = ""
    foi_exemption: str = "Not Exempt"
    # the restricted edition's (Part II paper's) cover, e.g. "Exempt: Schedule 12A, paragraph 7"; "" keeps
    # foi_exemption (a restricted edition holding exempt actions under a "Not Exempt" cover is a warning)
    restricted_foi_exemption: str = ""
    narrative: str = "narrative.md"
    subtitle: str = ""  # e.g. "Report for the Hertfordshire Police and Crime Panel, February 2023"
    author: str = ""  # document properties; defaults to submitted_by
    language: str = "en-GB"
    table_columns: tuple[str, ...] = DEFAULT_TABLE_COLUMNS
    group_by: tuple[str, ...] = ("section",)  # register keys; e.g. ["section", "lead"]
    changes_section: bool = False  # a "Changes since the last draft" section in the paper
    # after the public edition's plan, when it leaves exempt actions out; {actions} reads "1 action" or
    # "3 actions", {count} the number alone ("3", or {count:,} "1,204")
    exempt_note: str = (
        "Not shown in this paper: {actions}, exempt from publication under Schedule 12A of the Local Government "
        "Act 1972 and reported to the Panel in Part II."
    )
    restricted_marking: str = "RESTRICTED"
    # on every page while an issue blocks publication; {issues} reads "2 issues", {count} "2"
    draft_marking: str = "DRAFT – not for publication: {issues} to resolve"
    cover_leave_out: tuple[str, ...] = ()  # built-in cover rows this Panel's cover sheet has not
    cover_headings: dict[str, str] = Field(default_factory=dict)  # built-in cover rows in the Panel's words
    cover: tuple[CoverRowSettings, ...] = ()  # rows of the Panel's own, after the built-in ones

    @model_validator(mode="after")
    def _cover_rows_known(self) -> PaperSettings:
        """Every cover key is a built-in row; every row has a heading no other row has; `after` finds its row."""
        known = ", ".join(COVER_ROWS)
        unknown = [key for key in (*self.cover_leave_out, *self.cover_headings) if key not in COVER_ROWS]
        if unknown:
            raise ValueError(f"cover_leave_out and cover_headings name the built-in cover rows by key; "
                             f"{', '.join(map(quoted, unknown))} is not one (they are {known})")
        both = [key for key in self.cover_headings if key in self.cover_leave_out]
        if both:
            raise ValueError(f"{', '.join(map(quoted, both))} is both left out (cover_leave_out) and given a heading "
                             "(cover_headings): keep one")
        blank = [key for key, heading in self.cover_headings.items() if not heading.strip()]
        if blank:
            raise ValueError(f"cover_headings gives {', '.join(map(quoted, blank))} an empty heading; to leave a row "
                             "out of the cover sheet, list its key in cover_leave_out")
        headings = {heading_key(self.cover_headings.get(key, label)): self.cover_headings.get(key, label)
                    for key, label in COVER_ROWS.items() if key not in self.cover_leave_out}
        for number, row in enumerate(self.cover, 1):
            where = f"[[paper.cover]] number {number}"
            if not heading_key(row.heading):
                raise ValueError(f"{where} (value {quoted(row.value[:40])}) has no heading: give it the words the "
                                 "cover sheet prints beside its value, e.g. heading = \"Contact officer\"")
            if heading_key(row.heading) in headings:
                raise ValueError(f"{where} is headed {quoted(row.heading)}, as the cover sheet's row "
                                 f"{quoted(headings[heading_key(row.heading)])} is already: give each row its own "
                                 "heading (to re-head a built-in row, use [paper.cover_headings])")
            if row.after is not None and row.before is not None:
                raise ValueError(f"{where} ({quoted(row.heading)}) is placed both after {quoted(row.after)} and before "
                                 f"{quoted(row.before)}: give one")
            for side, anchor in (("after", row.after), ("before", row.before)):
                if anchor is not None:
                    self._check_after(anchor, where, headings, side)
            headings[heading_key(row.heading)] = row.heading
        return self

    def _check_after(self, after: str, where: str, headings: Mapping[str, str], side: str = "after") -> None:
        if after in self.cover_leave_out:
            raise ValueError(f"{where} goes {side} {quoted(after)}, which cover_leave_out leaves out of the cover "
                             "sheet: name a row that is shown")
        if after not in COVER_ROWS and heading_key(after) not in headings:
            raise ValueError(f"{where} goes {side} {quoted(after)}, which is no row above it: give a built-in row's "
                             f"key ({', '.join(key for key in COVER_ROWS if key not in self.cover_leave_out)}) or "
                             "the heading of a [[paper.cover]] row listed before it")

    @field_validator("group_by")
    @classmethod
    def _at_most_two(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(value) > 2:
            raise ValueError("group_by takes at most two keys (e.g. theme, then lead)")
        return value

    @field_validator("exempt_note")
    @classmethod
    def _actions_or_count(cls, value: str) -> str:
        """Only {actions} and {count} (optionally {count:,}): anything else is a KeyError or a
        50-million-wide pad."""
        try:
            fields = [(name, spec, conv) for _text, name, spec, conv in string.Formatter().parse(value)
                      if name is not None]
        except ValueError as exc:
            raise ValueError(f"exempt_note is not a valid note ({exc}); write {{actions}} where \"3 actions\" "
                             "goes, and {{ or }} for a brace") from exc
        allowed = {"actions": ("",), "count": ("", ",", "d", ",d")}
        wrong = [name for name, spec, conv in fields if spec not in allowed.get(name, ()) or conv]
        if wrong:
            raise ValueError(f"exempt_note may hold only {{actions}} (\"1 action\", \"3 actions\") or {{count}} "
                             f"(the number), not {wrong}")
        return value

    @field_validator("restricted_marking")
    @classmethod
    def _marked(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("restricted_marking cannot be empty: the restricted edition must be marked")
        return value


class HistorySettings(Strict):
    """[history]: progress across periods, read from the newest kept draft of each earlier period."""

    progress: bool = True  # a "Progress over time" section whenever an earlier period has a draft
    stalled_after: int = Field(default=3, ge=1)  # periods with the same status and update: "stalled"
    periods: int = Field(default=12, ge=2)  # the most recent periods shown in the chart


class ScheduleSettings(Strict):
    cron: str = "0 7 1 * *"  # 07:00 on the 1st of each month
    timezone: str = "Europe/London"

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from cronsim import CronSim, CronSimError

        fields = value.split()
        if len(fields) != 5 or any(f.upper() in ("R", "H") for f in fields):
            raise ValueError(f"cron {quoted(value)} must have five fields (minute hour day month weekday), "
                             "e.g. '0 7 1 * *'")
        try:
            CronSim(value, dt.datetime(2026, 1, 1))
        except CronSimError as exc:
            raise ValueError(f"cron {quoted(value)} is not valid: {exc}") from exc
        # forms this check knows but Prefect's scheduler refuses: serve and deploy would stop at them
        day, weekday = fields[2].upper(), fields[4].upper()
        unscheduled = [item for item in day.split(",") if "W" in item or ("L" in item and "/" in item)]
        unscheduled += [item for item in weekday.split(",") if "L" in item]
        if unscheduled:
            raise ValueError(f"cron {quoted(value)}: Prefect's scheduler does not run "
                             f"{', '.join(map(quoted, unscheduled))} (it runs 'L', the last day of the month, in "
                             "the day field, and '5#1', the first Friday, in the weekday field): choose another day")
        return value

    def today(self) -> dt.date:
        """The day it is where the workspace is (its schedule's time zone), not on the machine's clock: the
        day a reminder is counted on and a deadline is judged by, as the scheduled runs are timed."""
        import zoneinfo

        return dt.datetime.now(zoneinfo.ZoneInfo(self.timezone)).date()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"timezone {quoted(value)} is not a known time zone (e.g. 'Europe/London')") from exc
        return value


# `register` shadows ABCMeta.register on the class only; instances read the field as usual.
warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)


class Settings(Strict):
    paper: PaperSettings = Field(default_factory=PaperSettings)
    register: RegisterSettings = Field(default_factory=RegisterSettings)
    returns: ReturnSettings = Field(default_factory=ReturnSettings)
    statuses: StatusSettings = Field(default_factory=StatusSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    partners: dict[str, PartnerSettings] = Field(default_factory=dict)  # [partners."Lead name"]
    mail: MailSettings = Field(default_factory=MailSettings)
    _removed: tuple[RemovedCharacters, ...] = PrivateAttr(default=())

    @property
    def removed_characters(self) -> tuple[RemovedCharacters, ...]:
        """The zero-width and text-direction characters taken out of the settings' texts as they were read."""
        return self._removed

    @model_validator(mode="after")
    def _register_names_kept(self) -> Settings:
        """A heading reportgen.toml gives one of the register's columns is not our built-in alias of another
        of the return's (`without_register_names`)."""
        self.returns.columns.update(without_register_names(self.returns.columns, self.register.columns))
        return self

    def digest(self) -> str:
        """SHA-256 of the settings as canonical JSON: the same settings always give the same digest.

        [mail] is left out: how returns are mailed does not change what a paper says."""
        canonical = json.dumps(self.model_dump(mode="json", exclude={"mail"}), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def column_heading(self, key: str, written: Mapping[str, str] | None = None) -> str:
        """The printed heading of a paper column key: the one reportgen.toml names; else, for a column read
        from the register, the register's own heading as `written` (key -> heading) has it; else ours."""
        columns = [found[key] for found in (self.returns.columns, self.register.columns) if key in found]
        columns += [extra for extra in self.register.extra if extra.key == key]
        if not columns:
            raise KeyError(key)
        named = next((column.heading for column in columns if column.heading_named), None)
        return named or (written or {}).get(key) or columns[0].heading

    def check_keys(self) -> None:
        known = {*self.register.columns, *self.returns.columns, *(e.key for e in self.register.extra)}
        unknown = [k for k in (*self.paper.table_columns, *self.paper.group_by) if k not in known]
        if unknown:
            keys = "an unknown column key" if len(unknown) == 1 else "unknown column keys"
            raise ReportgenError(f"{SETTINGS_FILE}: [paper] names {keys} {unknown}; known: {sorted(known)}")


def load_settings(workspace: Path) -> Settings:
    """Read `reportgen.toml` from the workspace (defaults when absent); one clear error if it is wrong."""
    path = workspace / SETTINGS_FILE
    data: dict[str, object] = {}
    text = ""
    try:
        if path.exists():  # raises PermissionError for a folder the account may not enter
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # the line as the officer wrote it, and what to write instead
        advice = toml_advice(text, str(exc), _date_keys(), _text_keys())
        raise ReportgenError(f"{path}: not valid TOML: {exc}" + (f". {advice}" if advice else "")) from exc
    except UnicodeDecodeError as exc:
        raise ReportgenError(f"{path}: not valid TOML: {exc}") from exc
    except PermissionError as exc:
        raise ReportgenError(describe_os_error(exc)) from exc
    return settings_from_dict(data, source=str(path))


def _date_keys() -> set[str]:
    """The keys whose values are dates, alone or listed: 'date', 'meetings', 'deadline'."""
    return {name for model in (PaperSettings, ReturnSettings) for name, field in model.model_fields.items()
            if dt.date in (field.annotation, *typing.get_args(field.annotation))
            or any(dt.date in typing.get_args(arg) for arg in typing.get_args(field.annotation))}


def _text_keys() -> set[str]:
    """The keys of the cover sheet whose value is one text: 'purpose', a [[paper.cover]] row's 'value'."""
    return {name for model in (PaperSettings, CoverRowSettings) for name, field in model.model_fields.items()
            if field.annotation in (str, str | None)}


def settings_from_dict(data: dict[str, object], source: str = SETTINGS_FILE) -> Settings:
    removed: list[RemovedCharacters] = []
    data = {composed(key): _tidied(item, composed(key), removed) for key, item in data.items()}
    unprintable = _unprintable(data)
    if unprintable:
        raise ReportgenError(f"{source}: " + "; ".join(unprintable))
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_location(tuple(err['loc']))}: {_plain(err)}" for err in exc.errors())
        tables = dict.fromkeys(_table_keys(tuple(err["loc"])) for err in exc.errors()
                               if err["type"] == "extra_forbidden")  # what each table takes, once
        raise ReportgenError(f"{source}: {problems}" + "".join(f". {keys}" for keys in tables if keys)) from exc
    settings.check_keys()
    settings._removed = tuple(removed)
    return settings


@dataclass(frozen=True)
class RemovedCharacters:
    """Zero-width or text-direction characters taken out of a setting's text, as the narrative's and the
    partners' are: they show nothing, so the build goes on and says where they were."""

    where: str  # "paper.purpose"
    points: str  # "U+200B"
    around: str  # "between 'To update the' and 'Police and'"


def _tidied(value: object, where: str, removed: list[RemovedCharacters]) -> object:
    """`value` with every text and key in one Unicode form (`composed`), as the register's cells are read
    (`[partners."Tŷ Diogel"]` typed on a Mac is the lead the register names, and its file patterns match), and
    every text free of INVISIBLE characters, each text they were taken from noted in `removed`."""
    if isinstance(value, str):
        value = composed(value)
        found = INVISIBLE.search(value)
        if found is None:
            return value
        points = ", ".join(dict.fromkeys(f"U+{ord(match[0]):04X}" for match in INVISIBLE.finditer(value)))
        removed.append(RemovedCharacters(where, points, words_around(value, found.start(), found.end())))
        return INVISIBLE.sub("", value)
    if isinstance(value, dict):
        return {_tidied(key, f"{where}.{composed(key)}", removed) if isinstance(key, str) else key:
                _tidied(item, f"{where}.{composed(key) if isinstance(key, str) else key}", removed)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_tidied(item, f"{where}[{at}]", removed) for at, item in enumerate(value)]
    return value


MAX_SETTING_CHARS = 10_000  # a cover value is a paragraph; longer is a paste gone wrong


# C0 and C1 controls (tab and line breaks aside) and non-characters: never typed, so a sign of a file gone wrong
# (zero-width and text-direction characters, pasted with text, are removed: `_tidied`)
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def _unprintable(value: object, where: str = "") -> list[str]:
    """Where a setting holds invisible control characters, or is too long: they would reach the paper raw."""
    if isinstance(value, str):
        found = _UNPRINTABLE.search(value)
        if found:
            return [f"{where or 'a key'}: holds the invisible character U+{ord(found[0]):04X} "
                    f"{words_around(value, found.start())}; remove it"]
        if len(value) > MAX_SETTING_CHARS:
            return [f"{where}: {len(value):,} characters (the limit is {MAX_SETTING_CHARS:,})"]
        return []
    if isinstance(value, dict):
        return [problem for key, item in value.items()
                for problem in (*_unprintable(str(key), f"{where}.{key}".strip(".") + " (the key)"),
                                *_unprintable(item, f"{where}.{key}".strip(".")))]
    if isinstance(value, list | tuple):
        return [problem for at, item in enumerate(value) for problem in _unprintable(item, f"{where}[{at}]")]
    return []


def _plain(err: object) -> str:
    info = err if isinstance(err, dict) else {}
    if info.get("type") == "extra_forbidden":
        loc = tuple(info.get("loc", ()))
        known = _table_of(loc)
        close = difflib.get_close_matches(str(loc[-1]), list(known.model_fields), n=1, cutoff=0.6) if known else []
        return "unknown key" + (f" (did you mean {quoted(close[0])}?)" if close else "")
    found = info.get("input")
    if info.get("type") == "string_type" and isinstance(found, int | float | dt.date | dt.time):
        shown = str(found).lower() if isinstance(found, bool) else str(found)  # TOML writes true, not True
        return f"{shown} is not text; write text in quotes, e.g. \"{shown}\""
    if info.get("type") == "string_type":
        return "is not text: write one text in quotes (a value of several lines in triple quotes, \"\"\"…\"\"\")"
    kind = str(info.get("type", ""))
    loc = tuple(info.get("loc", ()))
    if kind.startswith(("date_", "datetime_")):
        return not_a_date(found)
    if kind in ("tuple_type", "list_type") and isinstance(found, str | int | float | dt.date):
        return _not_a_list(str(loc[-1]) if loc else "key", found)
    if kind == "missing":
        return "missing: each such table needs it"
    msg = str(info.get("msg", "invalid"))
    return msg.removeprefix("Value error, ")


def _not_a_list(key: str, found: object) -> str:
    """What to write for one value where a list goes: 'meetings = [2026-11-05]', 'aliases = ["RAG"]'."""
    day = parsed_date(found)
    item = day.isoformat() if day else (f'"{found}"' if isinstance(found, str) else
                                        str(found).lower() if isinstance(found, bool) else str(found))
    return f"is one value where a list goes; write it in square brackets, as {key} = [{item}] (several: [a, b])"


def _location(loc: tuple[object, ...]) -> str:
    """Where a problem is, as reportgen.toml is written: ('paper', 'cover', 1, 'value') -> 'paper.cover
    (the 2nd).value'; counted from one, as a person counts the [[paper.cover]] tables."""
    parts = [f" (the {_ordinal(part + 1)})" if isinstance(part, int) else f".{part}" for part in loc]
    return "".join(parts).lstrip(".")


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _table_keys(loc: tuple[object, ...]) -> str:
    """What the table of an unknown key takes: '[paper] takes meeting, date, …' ('' when not found)."""
    model = _table_of(loc)
    if model is None:
        return ""
    table = ".".join(part if re.fullmatch(r"[A-Za-z_-]+", part) else f'"{part}"' for part in map(str, loc[:-1])
                     if not part.isdigit())  # [[register.extra]]: not its place in the list
    listed = any(str(part).isdigit() for part in loc[:-1])  # one of a list of tables, written [[...]]
    if not table:
        return f"{SETTINGS_FILE}'s tables are {', '.join(f'[{name}]' for name in model.model_fields)}"
    return f"[[{table}]] takes {', '.join(model.model_fields)}" if listed else \
        f"[{table}] takes {', '.join(model.model_fields)}"


def _table_of(loc: tuple[object, ...]) -> type[Strict] | None:
    """The settings table holding the key at `loc` (('paper', 'recommendations') -> PaperSettings), else None."""
    model: type[Strict] = Settings
    parts = [str(part) for part in loc]
    at = 0
    while at < len(parts) - 1:
        field = model.model_fields.get(parts[at])
        if field is None:
            return None
        # [partners."Lead name"], [[register.extra]]: the name or the place in the list comes next
        keyed = typing.get_origin(field.annotation) in (dict, list, tuple)
        args = typing.get_args(field.annotation)
        found = _model_in(args[-1 if typing.get_origin(field.annotation) is dict else 0] if keyed
                          else field.annotation)
        if found is None:
            return None
        model, at = found, at + (2 if keyed else 1)
    return model


def _model_in(annotation: object) -> type[Strict] | None:
    """The settings table a field holds (itself, or in `X | None`), else None."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Strict):
            return candidate
    return None
