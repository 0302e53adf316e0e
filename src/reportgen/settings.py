"""Workspace settings: `reportgen.toml` loaded once, at the edge, into one typed, frozen object.

Defaults live here and nowhere else. Unknown keys are an error that names them. No stage reads
environment variables; whatever a stage needs is passed down in `Settings`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import ssl
import string
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
        # matching ignores punctuation, so an alias of symbols only ("-") would match every symbol
        blank = [alias for alias in value if not any(ch.isalnum() for ch in alias)]
        if blank:
            raise ValueError(f"aliases {blank} have no letters or digits: matching ignores punctuation and spaces, "
                             "so they would match any status written with symbols only")
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

    @field_validator("exempt_note")
    @classmethod
    def _count_only(cls, value: str) -> str:
        """Only {count} (optionally {count:,}): anything else is a KeyError or a 50-million-wide pad."""
        try:
            fields = [(name, spec, conv) for _text, name, spec, conv in string.Formatter().parse(value)
                      if name is not None]
        except ValueError as exc:
            raise ValueError(f"exempt_note is not a valid note ({exc}); write {{count}} where the number goes, "
                             "and {{{{ or }}}} for a brace") from exc
        wrong = [name for name, spec, conv in fields if name != "count" or spec not in ("", ",", "d", ",d") or conv]
        if wrong:
            raise ValueError(f"exempt_note may hold only {{count}}, not {wrong}")
        return value

    @field_validator("restricted_marking")
    @classmethod
    def _marked(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("restricted_marking cannot be empty: the restricted edition must be marked")
        return value


# one address, as partners' mail servers write it: local@domain.tld, no display name, no spaces
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class PartnerSettings(_Strict):
    """A lead partner, keyed by its name as in the register: how its files are named, where it is mailed."""

    files: tuple[str, ...] = ()  # file-name patterns (glob, case-insensitive), e.g. "constabulary*.xlsx"
    emails: tuple[str, ...] = ()  # addresses its workbook is sent to and its returns come from

    @field_validator("emails")
    @classmethod
    def _well_formed(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        wrong = [address for address in value if not EMAIL_ADDRESS.fullmatch(address.strip())]
        if wrong:
            raise ValueError(f"not an email address: {', '.join(repr(a) for a in wrong)} "
                             "(write the bare address, e.g. returns@partner.example.org)")
        return tuple(address.strip() for address in value)


TlsMode = Literal["none", "starttls", "tls"]


class ServerSettings(_Strict):
    """A mail server; the port defaults to the usual one for the TLS mode."""

    host: str = ""
    port: int | None = Field(default=None, ge=1, le=65535)
    tls: TlsMode = "tls"


class FolderSettings(_Strict):
    inbox: str = "INBOX"  # where partners' replies arrive
    processed: str = "reportgen/processed"  # a message is moved here once its return is saved and answered
    rejected: str = "reportgen/rejected"  # unknown senders, refused attachments: kept for an officer


class MailSettings(_Strict):
    """[mail]: how returns go out and come back. No credentials here: they come from the environment
    (REPORTGEN_MAIL_USER with REPORTGEN_MAIL_PASSWORD or REPORTGEN_MAIL_OAUTH_TOKEN) or, in a flow,
    from the Prefect Secret block named by `secret_block`."""

    from_address: str = ""  # e.g. "returns@wessex-pcc.example.org"; replies come back here
    from_name: str = ""  # e.g. "Wessex OPCC Strategy Team"
    smtp: ServerSettings = Field(default_factory=lambda: ServerSettings(tls="starttls"))
    imap: ServerSettings = Field(default_factory=ServerSettings)
    folders: FolderSettings = Field(default_factory=FolderSettings)
    auth: Literal["login", "xoauth2"] = "login"  # xoauth2: an OAuth2 access token (Microsoft 365, Google)
    secret_block: str = ""  # Prefect Secret block holding the password or OAuth2 token (flows only)
    ca_file: str = ""  # PEM bundle to trust instead of the system's (an in-house server's CA), workspace-relative
    max_attachment_mb: float = Field(default=10.0, gt=0)  # a bigger attachment is refused, never saved
    collect_before_build: bool = False  # the monthly flow collects the mailbox first
    chase_after_build: bool = False  # and chases who has not returned after the build
    signature: str = ""  # closes every message; defaults to from_name

    @field_validator("from_address")
    @classmethod
    def _from_well_formed(cls, value: str) -> str:
        if value and not EMAIL_ADDRESS.fullmatch(value.strip()):
            raise ValueError(f"not an email address: {value!r}")
        return value.strip()

    def tls_context(self, workspace: Path) -> ssl.SSLContext:
        """Certificates are always verified: against `ca_file` when given, else the system's store."""
        if not self.ca_file:
            return ssl.create_default_context()
        path = workspace / self.ca_file
        try:
            return ssl.create_default_context(cafile=str(path))
        except (OSError, ssl.SSLError) as exc:
            raise ReportgenError(f"[mail] ca_file {path} cannot be read as PEM certificates: {exc}") from exc

    def port(self, server: Literal["smtp", "imap"]) -> int:
        chosen = self.smtp if server == "smtp" else self.imap
        if chosen.port is not None:
            return chosen.port
        defaults = {"smtp": {"none": 25, "starttls": 587, "tls": 465}, "imap": {"none": 143, "starttls": 143,
                                                                               "tls": 993}}
        return defaults[server][chosen.tls]


class HistorySettings(_Strict):
    """[history]: progress across periods, read from the newest kept draft of each earlier period."""

    progress: bool = True  # a "Progress over time" section whenever an earlier period has a draft
    stalled_after: int = Field(default=3, ge=1)  # periods with the same status and update: "stalled"
    periods: int = Field(default=12, ge=2)  # the most recent periods shown in the chart


class ScheduleSettings(_Strict):
    cron: str = "0 7 1 * *"  # 07:00 on the 1st of each month
    timezone: str = "Europe/London"

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from cronsim import CronSim, CronSimError

        fields = value.split()
        if len(fields) != 5 or any(f.upper() in ("R", "H") for f in fields):
            raise ValueError(f"cron {value!r} must have five fields (minute hour day month weekday), "
                             "e.g. '0 7 1 * *'")
        try:
            CronSim(value, dt.datetime(2026, 1, 1))
        except CronSimError as exc:
            raise ValueError(f"cron {value!r} is not valid: {exc}") from exc
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"timezone {value!r} is not a known time zone (e.g. 'Europe/London')") from exc
        return value


# `register` shadows ABCMeta.register on the class only; instances read the field as usual.
warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)


class Settings(_Strict):
    paper: PaperSettings = Field(default_factory=PaperSettings)
    register: RegisterSettings = Field(default_factory=RegisterSettings)
    returns: ReturnSettings = Field(default_factory=ReturnSettings)
    statuses: StatusSettings = Field(default_factory=StatusSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    partners: dict[str, PartnerSettings] = Field(default_factory=dict)  # [partners."Lead name"]
    mail: MailSettings = Field(default_factory=MailSettings)

    @field_validator("partners")
    @classmethod
    def _one_partner_per_address(cls, value: dict[str, PartnerSettings]) -> dict[str, PartnerSettings]:
        owners: dict[str, str] = {}
        for lead, partner in value.items():
            for address in partner.emails:
                other = owners.setdefault(address.casefold(), lead)
                if other != lead:
                    raise ValueError(f"{address} is given for both {other!r} and {lead!r}; a return from it "
                                     "could not be told apart")
        return value

    def digest(self) -> str:
        """SHA-256 of the settings as canonical JSON: the same settings always give the same digest.

        [mail] is left out: how returns are mailed does not change what a paper says."""
        canonical = json.dumps(self.model_dump(mode="json", exclude={"mail"}), sort_keys=True, ensure_ascii=False)
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
    unprintable = _unprintable(data)
    if unprintable:
        raise ReportgenError(f"{source}: " + "; ".join(unprintable))
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {_plain(err)}" for err in exc.errors()
        )
        raise ReportgenError(f"{source}: {problems}") from exc
    settings.check_keys()
    return settings


MAX_SETTING_CHARS = 10_000  # a cover value is a paragraph; longer is a paste gone wrong
# C0 and C1 controls (tab and line breaks aside), non-characters, zero-width and text-direction controls
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff"
                          "\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def _unprintable(value: object, where: str = "") -> list[str]:
    """Where a setting holds invisible control characters, or is too long: they would reach the paper raw."""
    if isinstance(value, str):
        found = _UNPRINTABLE.search(value)
        if found:
            return [f"{where or 'a key'}: holds the invisible character U+{ord(found[0]):04X}; remove it"]
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
        return "unknown key"
    msg = str(info.get("msg", "invalid"))
    return msg.removeprefix("Value error, ")


Edition = Literal["public", "restricted"]
