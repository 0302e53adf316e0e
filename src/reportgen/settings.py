"""Workspace settings: `reportgen.toml` loaded once, at the edge, into one typed, frozen object.

Defaults live here and nowhere else. Unknown keys are an error that names them. No stage reads
environment variables; whatever a stage needs is passed down in `Settings`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
import warnings
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reportgen.errors import ReportgenError

SETTINGS_FILE = "reportgen.toml"

CANONICAL_STATUSES: tuple[str, ...] = ("Completed", "In progress", "Not started", "On hold")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Strict):
    """A column we read: the heading we print, and other headings partners use for it."""

    heading: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.heading, *self.aliases)


class ExtraColumn(Column):
    """A further register column carried into the paper (e.g. "Annual Report page")."""

    key: str
    required: bool = False


def _register_columns() -> dict[str, Column]:
    return {
        "ref": Column(heading="Plan priority", aliases=("Priority", "Ref", "Action ref", "Action number", "No")),
        "section": Column(heading="Section", aliases=("Theme", "Plan section"), required=False),
        "lead": Column(heading="Lead", aliases=("Lead partner", "Lead agency", "Owner")),
        "action": Column(heading="Action", aliases=("Action text", "Commitment")),
        "page": Column(heading="CSCJ Plan page", aliases=("Plan page", "Page"), required=False),
        "exempt": Column(heading="Exempt", aliases=("Exemption", "Part II", "Confidential"), required=False),
    }


def _return_columns() -> dict[str, Column]:
    return {
        "ref": Column(heading="Plan priority", aliases=("Priority", "Ref", "Action ref", "Action number", "No")),
        "action": Column(heading="Action", aliases=("Action text",), required=False),
        "status": Column(heading="Status this reporting period", aliases=("Status", "RAG status", "Progress")),
        "explanation": Column(
            heading="Explanation / Link to meeting papers",
            aliases=("Explanation", "Update", "Commentary", "Progress update", "Comments"),
        ),
        "timeframe": Column(
            heading="Timeframe for delivery / Completion",
            aliases=("Timeframe", "Timeframe for delivery", "Completion date", "Target date"),
            required=False,
        ),
    }


class RegisterSettings(_Strict):
    columns: dict[str, Column] = Field(default_factory=_register_columns)
    extra: tuple[ExtraColumn, ...] = ()
    exempt_values: tuple[str, ...] = ("yes", "y", "true", "exempt", "part ii", "part 2", "1")
    not_exempt_values: tuple[str, ...] = ("no", "n", "false", "not exempt", "0", "")

    @field_validator("columns", mode="before")
    @classmethod
    def _merge_columns(cls, value: object) -> object:
        return _merge_defaults(_register_columns(), value)


class ReturnSettings(_Strict):
    columns: dict[str, Column] = Field(default_factory=_return_columns)
    deadline: dt.date | None = None  # shown on the pre-filled workbooks' instructions sheet

    @field_validator("columns", mode="before")
    @classmethod
    def _merge_columns(cls, value: object) -> object:
        return _merge_defaults(_return_columns(), value)


def _merge_defaults(defaults: dict[str, Column], given: object) -> object:
    if not isinstance(given, dict):
        return given
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ValueError(f"unknown column key(s) {unknown}; known: {sorted(defaults)}")
    merged: dict[str, object] = {key: col.model_dump() for key, col in defaults.items()}
    for key, value in given.items():
        if isinstance(value, str):
            value = {"heading": value}
        if isinstance(value, dict):
            merged[key] = {**merged[key], **value}  # type: ignore[dict-item]
        else:
            merged[key] = value
    return merged


class StatusSettings(_Strict):
    # alias as partners write it -> canonical status; matching ignores case, spacing and punctuation
    aliases: dict[str, str] = Field(default_factory=dict)

    @field_validator("aliases")
    @classmethod
    def _canonical_targets(cls, value: dict[str, str]) -> dict[str, str]:
        wrong = {alias: target for alias, target in value.items() if target not in CANONICAL_STATUSES}
        if wrong:
            raise ValueError(f"aliases must map to one of {list(CANONICAL_STATUSES)}; not {wrong}")
        return value


DEFAULT_TABLE_COLUMNS = ("ref", "action", "status", "explanation", "timeframe", "page")


class PaperSettings(_Strict):
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
    narrative: str = "narrative.md"
    subtitle: str = ""  # e.g. "Report for the Hertfordshire Police and Crime Panel, February 2023"
    author: str = ""  # document properties; defaults to submitted_by
    language: str = "en-GB"
    table_columns: tuple[str, ...] = DEFAULT_TABLE_COLUMNS
    group_by: tuple[str, ...] = ("section",)  # register keys; e.g. ["section", "lead"]
    changes_section: bool = False  # a "Changes since the last draft" section in the paper
    exempt_note: str = (
        "{count} action(s) are exempt from publication under Schedule 12A of the Local Government Act 1972 "
        "and are reported to the Panel in Part II."
    )
    restricted_marking: str = "RESTRICTED"
    # on every page while an issue blocks publication; {issues} reads "2 issues", {count} "2"
    draft_marking: str = "DRAFT – not for publication: {issues} to resolve"

    @field_validator("group_by")
    @classmethod
    def _at_most_two(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(value) > 2:
            raise ValueError("group_by takes at most two keys (e.g. theme, then lead)")
        return value


class PartnerSettings(_Strict):
    """A lead partner, keyed by its name as in the register: how its files are named, where it is mailed."""

    files: tuple[str, ...] = ()  # file-name patterns (glob, case-insensitive), e.g. "constabulary*.xlsx"
    emails: tuple[str, ...] = ()  # addresses its workbook is sent to and its returns come from


class ScheduleSettings(_Strict):
    cron: str = "0 7 1 * *"  # 07:00 on the 1st of each month
    timezone: str = "Europe/London"


# `register` shadows ABCMeta.register on the class only; instances read the field as usual.
warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)


class Settings(_Strict):
    paper: PaperSettings = Field(default_factory=PaperSettings)
    register: RegisterSettings = Field(default_factory=RegisterSettings)
    returns: ReturnSettings = Field(default_factory=ReturnSettings)
    statuses: StatusSettings = Field(default_factory=StatusSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    partners: dict[str, PartnerSettings] = Field(default_factory=dict)  # [partners."Lead name"]

    def digest(self) -> str:
        """SHA-256 of the settings as canonical JSON: the same settings always give the same digest."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def column_heading(self, key: str) -> str:
        """The printed heading of a paper column key."""
        for columns in (self.returns.columns, self.register.columns):
            if key in columns:
                return columns[key].heading
        for extra in self.register.extra:
            if extra.key == key:
                return extra.heading
        raise KeyError(key)

    def check_keys(self) -> None:
        known = {*self.register.columns, *self.returns.columns, *(e.key for e in self.register.extra)}
        unknown = [k for k in (*self.paper.table_columns, *self.paper.group_by) if k not in known]
        if unknown:
            raise ReportgenError(
                f"{SETTINGS_FILE}: [paper] names unknown column key(s) {unknown}; known: {sorted(known)}"
            )


def load_settings(workspace: Path) -> Settings:
    """Read `reportgen.toml` from the workspace (defaults when absent); one clear error if it is wrong."""
    path = workspace / SETTINGS_FILE
    data: dict[str, object] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ReportgenError(f"{path}: not valid TOML: {exc}") from exc
    return settings_from_dict(data, source=str(path))


def settings_from_dict(data: dict[str, object], source: str = SETTINGS_FILE) -> Settings:
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {_plain(err)}" for err in exc.errors()
        )
        raise ReportgenError(f"{source}: {problems}") from exc
    settings.check_keys()
    return settings


def _plain(err: object) -> str:
    info = err if isinstance(err, dict) else {}
    if info.get("type") == "extra_forbidden":
        return "unknown key"
    msg = str(info.get("msg", "invalid"))
    return msg.removeprefix("Value error, ")


Edition = Literal["public", "restricted"]
