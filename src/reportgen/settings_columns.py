"""Settings of what is read: the register's and returns' columns (the heading we print and the other
headings partners use) and the status aliases of `reportgen.toml`.

Part of `reportgen.settings`, which re-exports these names; `Strict` is the frozen, unknown-key-refusing
base of every settings model.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from reportgen.terms import CANONICAL_STATUSES


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(Strict):
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


# our pre-filled return workbooks' Section column: not a return column, read by nobody, and expected
RETURN_SECTION_HEADING = "Section"


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


class RegisterSettings(Strict):
    columns: dict[str, Column] = Field(default_factory=_register_columns)
    extra: tuple[ExtraColumn, ...] = ()
    exempt_values: tuple[str, ...] = ("yes", "y", "true", "exempt", "part ii", "part 2", "1")
    not_exempt_values: tuple[str, ...] = ("no", "n", "false", "not exempt", "0", "")

    @field_validator("columns", mode="before")
    @classmethod
    def _merge_columns(cls, value: object) -> object:
        return _merge_defaults(_register_columns(), value)


class ReturnSettings(Strict):
    """`[returns]`: the columns of a partner's return, and when returns are due (one of `deadline`, a
    date for one round, or `days_before_meeting`, which follows each period's meeting in `[paper]`)."""

    columns: dict[str, Column] = Field(default_factory=_return_columns)
    deadline: dt.date | None = None  # shown on the pre-filled workbooks' instructions sheet and in the mail
    days_before_meeting: int | None = Field(default=None, ge=0, le=366)

    @model_validator(mode="after")
    def _one_deadline(self) -> ReturnSettings:
        if self.deadline is not None and self.days_before_meeting is not None:
            raise ValueError("set deadline (one date) or days_before_meeting (each period's), not both")
        return self

    @field_validator("columns", mode="before")
    @classmethod
    def _merge_columns(cls, value: object) -> object:
        return _merge_defaults(_return_columns(), value)


def _merge_defaults(defaults: dict[str, Column], given: object) -> object:
    if not isinstance(given, dict):
        return given
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        keys = "unknown column key" if len(unknown) == 1 else "unknown column keys"
        raise ValueError(f"{keys} {unknown}; known: {sorted(defaults)}")
    merged: dict[str, object] = {key: col.model_dump() for key, col in defaults.items()}
    for key, value in given.items():
        if isinstance(value, str):
            value = {"heading": value}
        if isinstance(value, dict):
            merged[key] = {**merged[key], **value}  # type: ignore[dict-item]
        else:
            merged[key] = value
    return merged


class StatusSettings(Strict):
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
