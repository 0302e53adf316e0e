"""Settings of what is read: the register's and returns' columns (the heading we print and the other
headings partners use) and the status aliases of `reportgen.toml`.

Part of `reportgen.settings`, which re-exports these names; `Strict` is the frozen, unknown-key-refusing
base of every settings model.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection, Mapping

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from reportgen.terms import BUILTIN_ALIASES, CANONICAL_STATUSES
from reportgen.wording import quoted


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def heading_key(text: object) -> str:
    """'Explanation / Link to meeting papers' -> 'explanationlinktomeetingpapers': how headings are matched."""
    return re.sub(r"[\W_]+", "", str(text or "").casefold())


class Column(Strict):
    """A column we read: the heading we print, and other headings partners use for it."""

    heading: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    # set when reportgen.toml names the heading: only then does the paper print it over the register's own
    _heading_named: bool = PrivateAttr(default=False)
    # the heading keys reportgen.toml gives this column (its heading and aliases), ours aside
    _given: frozenset[str] = PrivateAttr(default=frozenset())

    @property
    def names(self) -> tuple[str, ...]:
        return (self.heading, *self.aliases)

    @property
    def heading_named(self) -> bool:
        """Did the workspace name this heading (`heading = …`), rather than keep ours?"""
        return self._heading_named

    @property
    def given(self) -> frozenset[str]:
        """The heading keys reportgen.toml names for this column (`heading`, `aliases`): the workspace's own."""
        return self._given


class ExtraColumn(Column):
    """A further register column carried into the paper (e.g. "Annual Report page")."""

    key: str
    required: bool = False

    @property
    def heading_named(self) -> bool:
        return True  # an extra is always headed in reportgen.toml


# our pre-filled return workbooks' Section column: not a return column, read by nobody, and expected
RETURN_SECTION_HEADING = "Section"

# headings that mean the register's sections whatever else the register holds, read so and said so (the note
# names the heading); not "Priority" (the action number's, or High and Low), "Objective" (an action's aim) nor
# "Area" (a place): a column so headed is read as sections only when reportgen.toml names it
SECTION_ALIASES = ("Theme", "Plan section", "Priority area", "Pillar", "Strand")


def _register_columns() -> dict[str, Column]:
    return {
        "ref": Column(heading="Plan priority", aliases=("Priority", "Ref", "Action ref", "Action number", "No")),
        "section": Column(heading="Section", aliases=SECTION_ALIASES, required=False),
        "lead": Column(heading="Lead", aliases=("Lead partner", "Lead agency", "Owner")),
        "action": Column(heading="Action", aliases=("Action text", "Commitment")),
        "page": Column(heading="CSCJ Plan page", aliases=("Plan page", "Page"), required=False),
        "exempt": Column(heading="Exempt", aliases=("Exemption", "Part II", "Confidential"), required=False),
        # the number (or numbers, "11, 12") an action had before the plan was renumbered: what pairs it with its
        # earlier drafts and its partners' old workbook rows; never guessed from wording
        "was": Column(heading="Was numbered", aliases=("Previously numbered", "Previous number", "Old number"),
                      required=False),
    }


def _return_columns() -> dict[str, Column]:
    return {
        "ref": Column(heading="Plan priority", aliases=("Priority", "Ref", "Action ref", "Action number", "No")),
        "action": Column(heading="Action", aliases=("Action text",), required=False),
        "status": Column(heading="Status this reporting period",
                         aliases=("Status", "RAG status", "Progress", "Status this period", "Current status",
                                  "RAG rating")),
        "explanation": Column(
            heading="Explanation / Link to meeting papers",
            aliases=("Explanation", "Update", "Commentary", "Progress update", "Comments", "Update / Explanation",
                     "Explanation / Update", "Progress / Update", "Latest update", "Update this period", "Narrative"),
        ),
        "timeframe": Column(
            heading="Timeframe for delivery / Completion",
            aliases=("Timeframe", "Timeframe for delivery", "Completion date", "Target date"),
            required=False,
        ),
    }


class RegisterSettings(Strict):
    # before `columns`, whose validator reads it: a heading named for an extra is not a built-in alias of ours
    extra: tuple[ExtraColumn, ...] = ()
    columns: dict[str, Column] = Field(default_factory=dict, validate_default=True)
    exempt_values: tuple[str, ...] = ("yes", "y", "true", "exempt", "part ii", "part 2", "1")
    not_exempt_values: tuple[str, ...] = ("no", "n", "false", "not exempt", "0", "")

    @field_validator("exempt_values", "not_exempt_values")
    @classmethod
    def _as_matched(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        """The flags as a register cell is matched (`reportgen.read.register`): case and outer spaces aside, so
        "Restricted" written as the register writes it matches its cells."""
        return tuple(value.strip().casefold() for value in values)

    @field_validator("columns", mode="wrap")
    @classmethod
    def _merge_columns(cls, value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> object:
        extras: tuple[ExtraColumn, ...] = info.data.get("extra", ())
        taken = {heading_key(name) for extra in extras for name in extra.names}
        return _named_headings(value, handler(_merge_defaults(_register_columns(), value, taken)))


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

    @field_validator("columns", mode="wrap")
    @classmethod
    def _merge_columns(cls, value: object, handler: ValidatorFunctionWrapHandler) -> object:
        return _named_headings(value, handler(_merge_defaults(_return_columns(), value)))


def _named_headings(given: object, columns: dict[str, Column]) -> dict[str, Column]:
    """`columns`, each whose heading the workspace named (`heading = …`, or a column given as a string)
    marked so (`Column.heading_named`)."""
    for key, value in given.items() if isinstance(given, dict) else ():
        if isinstance(value, str) or (isinstance(value, dict) and "heading" in value):
            columns[key]._heading_named = True
        if isinstance(value, dict):
            names = [value.get("heading"), *(_names(value.get("aliases", ())) or ())]
            columns[key]._given = frozenset(heading_key(name) for name in names if isinstance(name, str))
        elif isinstance(value, str):
            columns[key]._given = frozenset({heading_key(value)})
    return columns


def without_register_names(returns: dict[str, Column], register: dict[str, Column]) -> dict[str, Column]:
    """The return's columns, each without our built-in aliases that reportgen.toml gives another of the
    register's columns: a plan whose sections are headed "Priority" (`section = { aliases = ["Priority"] }`)
    has partners copy that column into their returns, where it is the section, never a second action number."""
    ours = _return_columns()
    kept: dict[str, Column] = {}
    for key, column in returns.items():
        taken = {name for other, found in register.items() if other != key for name in found.given}
        builtin = {heading_key(name) for name in ours[key].aliases} if key in ours else set()
        aliases = tuple(name for name in column.aliases if heading_key(name) in column.given
                        or heading_key(name) not in taken or heading_key(name) not in builtin)
        kept[key] = column if aliases == column.aliases else column.model_copy(update={"aliases": aliases})
    return kept


def builtin_alias(key: str, heading: str, register: bool) -> bool:
    """Whether `heading` matches column `key` only as one of our built-in aliases, which `not_aliases` can stop."""
    ours = (_register_columns() if register else _return_columns()).get(key)
    return ours is not None and heading_key(heading) in {heading_key(name) for name in ours.aliases}


def _merge_defaults(defaults: dict[str, Column], given: object, taken: Collection[str] = ()) -> object:
    """A workspace's columns over ours: a heading replaces ours; its aliases come before our own, which
    still match (an officer adding "RAG" keeps "Status"), but for those it names in `not_aliases`, and those
    it names for another column (its "Progress" for the explanation is no longer our status's) or for a
    further column (`taken`, heading keys: a [[register.extra]] headed "Priority" is not our ref's)."""
    if not isinstance(given, dict):
        return given
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        keys = "unknown column key" if len(unknown) == 1 else "unknown column keys"
        raise ValueError(f"{keys} {unknown}; known: {sorted(defaults)}" + _other_table(unknown, defaults))
    merged: dict[str, object] = {key: col.model_dump() for key, col in defaults.items()}
    columns: dict[str, object] = {key: {"heading": value} if isinstance(value, str) else value
                                  for key, value in given.items()}
    claimed: dict[str, str] = dict.fromkeys(taken, "")  # heading key -> the column a workspace gave that name
    for key, value in columns.items():
        if isinstance(value, dict):
            for name in (value.get("heading"), *(_names(value.get("aliases", ())) or ())):
                if isinstance(name, str):
                    claimed.setdefault(heading_key(name), key)
    for key, value in columns.items():
        if not isinstance(value, dict):
            merged[key] = value  # for pydantic to refuse
            continue
        column: dict[str, object] = dict(value)
        dropped = _not_aliases(key, defaults[key], column.pop("not_aliases", ()))
        own = _names(column.get("aliases", ()))
        if own is not None:
            ours = [name for name in defaults[key].aliases if heading_key(name) not in dropped
                    and claimed.get(heading_key(name), key) == key]
            column["aliases"] = _unique([column.get("heading", defaults[key].heading), *own, *ours])[1:]
        merged[key] = {**defaults[key].model_dump(), **column}
    for key in set(defaults) - set(columns):  # a name the workspace gave one column is not ours for another
        merged[key] = {**defaults[key].model_dump(), "aliases": [name for name in defaults[key].aliases
                                                                  if heading_key(name) not in claimed]}
    return merged


def _other_table(unknown: Collection[str], defaults: Mapping[str, Column]) -> str:
    """Where the other table's keys go: a status named under [register.columns] is read from the partners'
    returns, so its heading belongs under [returns.columns]; a lead's or a section's named under
    [returns.columns] is the register's."""
    if "status" in defaults:  # the returns' own columns
        moved = [key for key in unknown if key in _register_columns()]
        said = (". Sections, leads, plan pages and exemptions come from the register, not the returns: name the "
                "register's heading under [register.columns]")
    else:
        moved = [key for key in unknown if key in _return_columns()]
        said = (". Statuses, explanations and timeframes come from the partners' returns, not the register: name "
                "the returns' heading under [returns.columns]")
    if not moved:
        return ""
    example = '"RAG"' if moved[0] == "status" else '"<its heading>"'
    return f"{said}, e.g. {moved[0]} = {{ aliases = [{example}] }}"


def _names(value: object) -> list[object] | None:
    """A list of headings as given (a list or tuple); None for anything else, which pydantic refuses."""
    return list(value) if isinstance(value, (list, tuple)) else None


def _unique(names: list[object]) -> list[object]:
    """`names` in order, each heading once (as matched: ignoring case, spacing and punctuation)."""
    seen: set[str] = set()
    kept = []
    for name in names:
        found = heading_key(name) if isinstance(name, str) else repr(name)
        if found not in seen:
            seen.add(found)
            kept.append(name)
    return kept


def _not_aliases(key: str, column: Column, given: object) -> set[str]:
    """The heading keys of our aliases a workspace stops matching (`not_aliases`); any other is refused."""
    names = _names(given)
    if names is None or not all(isinstance(name, str) for name in names):
        raise ValueError(f"{key}: not_aliases must be a list of headings")
    ours = {heading_key(name) for name in column.aliases}
    wrong = [name for name in names if heading_key(name) not in ours]
    if wrong:
        raise ValueError(f"{key}: not_aliases {wrong} are not among its built-in aliases {list(column.aliases)}")
    return {heading_key(name) for name in names}


class StatusSettings(Strict):
    # alias as partners write it -> canonical status; matching ignores case, spacing and punctuation
    aliases: dict[str, str] = Field(default_factory=dict)

    @field_validator("aliases")
    @classmethod
    def _canonical_targets(cls, value: dict[str, str]) -> dict[str, str]:
        """Each alias's status as the paper writes it: "in progress" is "In progress", as a status cell matches."""
        canonical = {heading_key(status): status for status in CANONICAL_STATUSES}
        wrong = {alias: target for alias, target in value.items() if heading_key(target) not in canonical}
        if wrong:
            raise ValueError("; ".join(_not_a_status(alias, target) for alias, target in wrong.items()))
        value = {alias: canonical[heading_key(target)] for alias, target in value.items()}
        # matching ignores punctuation, so an alias of symbols only ("-") would match every symbol
        blank = [alias for alias in value if not any(ch.isalnum() for ch in alias)]
        if blank:
            raise ValueError(f"aliases {blank} have no letters or digits: matching ignores punctuation and spaces, "
                             "so they would match any status written with symbols only")
        _no_alias_changes_a_status(value)
        return value


def _no_alias_changes_a_status(aliases: dict[str, str]) -> None:
    """Refuse an alias that is a status as partners write it ('In progress' = 'Completed' would count every
    action in progress as completed, without a word), and two aliases that match the same words but mean
    different statuses (the last one written would win, so the counts hung on the order of the lines)."""
    written = {heading_key(alias): status for alias, status in BUILTIN_ALIASES.items()}
    seen: dict[str, tuple[str, str]] = {}
    for alias, status in aliases.items():
        key = heading_key(alias)
        if written.get(key, status) != status:
            raise ValueError(f"alias {quoted(alias)} is how partners write the status {quoted(written[key])}: it "
                             f"cannot mean {quoted(status)} (every {quoted(written[key])} would be counted as "
                             f"{quoted(status)}); remove it")
        if key in seen and seen[key][1] != status:
            raise ValueError(f"aliases {quoted(seen[key][0])} and {quoted(alias)} are the same words (matching "
                             f"ignores case, spacing and punctuation) but mean {quoted(seen[key][1])} and "
                             f"{quoted(status)}: keep one")
        seen[key] = (alias, status)


def _not_a_status(alias: str, target: str) -> str:
    """What to write for an alias whose status is none of ours ("Red" = "Delayed"): the alias, the word it
    names, the statuses it may name, and the line to write when the word is one of them mistyped."""
    statuses = ", ".join(CANONICAL_STATUSES[:-1]) + f" or {CANONICAL_STATUSES[-1]}"
    close = difflib.get_close_matches(target.casefold(), [status.casefold() for status in CANONICAL_STATUSES],
                                      n=1, cutoff=0.6)
    meant = next((status for status in CANONICAL_STATUSES if close and status.casefold() == close[0]), None)
    line = f'"{alias}" = "{meant}"' if meant else f'"{alias}" = "<one of them>"'
    return (f'"{alias}" = "{target}": "{target}" is not a status; an alias names the status partners mean by '
            f"the word, one of {statuses}. Write it as {line}, or take \"{alias}\" out of [statuses] aliases "
            f"(a status written '{alias}' is then not recognised, nor counted)")

