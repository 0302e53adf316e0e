"""Merge partner updates onto the register: one status, explanation and timeframe per action.

The register is the source of truth for action text, section and lead. When two updates name the
same action, the lead partner's wins and the other is reported. An action led jointly (`Action.joint`) is
updated by either lead's return; when both return it, a row that only repeats what was last reported (as
its workbook was pre-filled) gives way to the other's, and two different updates are reported. An action
with no update keeps the values last reported (carried forward, marked as such: from the last draft of an
earlier period, or the returns of a later period no draft was built from) or is shown as having no update.
When the status last reported was empty or not recognised, only the partner's wording (explanation,
timeframe) is carried: the action has no update and no status this period, as its pre-filled workbook row
has none.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportgen.issues import Issue, issue
from reportgen.model import (
    Action,
    MergedAction,
    MergedRegister,
    PartnerReturn,
    Register,
    Update,
    UpdateState,
)
from reportgen.periods import period_label
from reportgen.read.richtext import shown_update, typed_again
from reportgen.wording import counted, quoted

Prefill = tuple[str, str, str]  # status, explanation, timeframe as a return workbook's row is pre-filled
BLANK: Prefill = ("", "", "")


@dataclass(frozen=True)
class LastReported:
    """An action's values as last reported, to carry forward when no return updates it this period."""

    status: str | None  # canonical; None: the status reported was empty or not recognised (only the wording is carried)
    status_label: str  # the status as reported: canonical, or as written when not recognised ("" when not known)
    explanation: str
    timeframe: str
    source: str = ""  # where it was reported: "2026-09/draft-01", "the 2026-09 returns"
    reported: str = ""  # the period (YYYY-MM) it was reported in; "" when not known
    # the return's file, sheet and row it was reported in; "" and 0 when not known
    file: str = ""
    sheet: str = ""
    row: int = 0

    @property
    def wording_only(self) -> bool:
        """Only the explanation and timeframe are carried: no status was recognised when it was reported."""
        return self.status is None


def last_reported_in_merge(merged: MergedRegister, name: str = "") -> dict[int, LastReported]:
    """From an earlier period's returns (merged as usual): every action updated with a recognised status,
    or with an explanation or timeframe under a status that was empty or not recognised (`wording_only`)."""
    return {item.ref: LastReported(item.status, item.status or item.status_as_written, item.explanation,
                                   item.timeframe, name, merged.period, item.reported_file, item.reported_sheet,
                                   item.reported_row)
            for item in merged.actions
            if item.state is UpdateState.UPDATED and (item.status is not None or item.explanation or item.timeframe)}


def merge_returns(
    register: Register,
    returns: Sequence[PartnerReturn],
    period: str,
    previous: Mapping[int, LastReported] | None = None,
    previous_name: str = "",
    refused: Mapping[int, Issue] | None = None,
) -> tuple[MergedRegister, list[Issue]]:
    """`previous`: the values last reported, by ref (read from a kept draft or earlier returns by the
    caller, so merging needs no paper model); `previous_name` says where from. `refused`: by action, a row
    left out for its reference that looks like the action's update ('Action 12'), named if nothing updates it."""
    carried = dict(previous or {})
    updates: dict[int, list[Update]] = defaultdict(list)
    for partner_return in returns:
        for update in partner_return.updates:
            if not left_blank(partner_return, update, carried):
                updates[update.ref].append(update)
    merged: list[MergedAction] = []
    issues: list[Issue] = [*wrong_partner_returns(register, returns)]
    leads = set(register.leads)
    for action in register.actions:
        chosen, found = _choose(action, updates.get(action.ref, []), leads, carried.get(action.ref))
        issues += found
        if chosen is not None and not says_nothing(chosen):
            merged.append(MergedAction(action, chosen.status, chosen.status_as_written, chosen.explanation,
                                       chosen.timeframe, UpdateState.UPDATED, chosen.file, reported=period,
                                       reported_file=chosen.file, reported_sheet=chosen.sheet,
                                       reported_row=chosen.row))
        elif action.ref in carried and carried[action.ref].wording_only:
            last = carried[action.ref]
            merged.append(MergedAction(action, None, "", last.explanation, last.timeframe, UpdateState.NO_UPDATE,
                                       carried_from=last.source or previous_name, reported=last.reported,
                                       **reported_where(last)))
            issues.append(issue("no-update", "wording", lead=action.lead or "no lead", when=reported_when(last),
                                ref=action.ref, file=register.path, row=action.row))
        elif action.ref in carried:
            last = carried[action.ref]
            source = last.source or previous_name
            merged.append(MergedAction(action, last.status, last.status_label, last.explanation, last.timeframe,
                                       UpdateState.CARRIED_FORWARD, carried_from=source, reported=last.reported,
                                       **reported_where(last)))
            issues.append(issue("carried-forward", lead=action.lead or "no lead", status=last.status,
                                source=source or "the last draft", ref=action.ref, file=register.path,
                                row=action.row))
        else:
            merged.append(MergedAction(action, None, "", state=UpdateState.NO_UPDATE))
            row = (refused or {}).get(action.ref)
            if row is None:
                issues.append(issue("no-update", lead=action.lead or "no lead", ref=action.ref, file=register.path,
                                    row=action.row))
            else:
                issues.append(issue("no-update", "refused", lead=action.lead or "no lead", refused_file=row.file,
                                    refused_row=row.row, written=(row.value or "").strip(), ref=action.ref,
                                    file=register.path, row=action.row))
    return MergedRegister(period, tuple(merged)), issues


def left_blank(partner_return: PartnerReturn, update: Update, carried: Mapping[int, LastReported]) -> bool:
    """Whether `update` is a row of reportgen's own workbook left with no status exactly as it was pre-filled (an
    action never reported, or last reported with no status recognised): the partner reported nothing for it, as
    if the row had not come back, so it is no update (`no-update`), not an update with no status."""
    return (partner_return.prefilled and not update.status_as_written
            and repeats_last(update, carried.get(update.ref)))


def says_nothing(update: Update) -> bool:
    """Whether a return's row has nothing written for its action: no status, explanation or timeframe. Chosen for
    its action, it is no update (carried forward, or "No update"), as if the row had not come back, so the paper, the
    chase list and register.xlsx all say so; never an update with no status. Its `empty-status` error still asks
    for the status."""
    return said(update) == said_in(BLANK)


def without_blank_status(issues: Sequence[Issue], returns: Sequence[PartnerReturn],
                         carried: Mapping[int, LastReported]) -> list[Issue]:
    """`issues` without the `empty-status` error of each row `left_blank`: it is no update, as from a partner who
    sent nothing, so it blocks nothing (the action's `no-update` warning says it)."""
    blank = set(blank_status(issues, returns, carried))
    return [item for item in issues if item not in blank]


def blank_status(issues: Sequence[Issue], returns: Sequence[PartnerReturn], carried: Mapping[int, LastReported]
                 ) -> list[Issue]:
    """The `empty-status` errors of `issues` on rows `left_blank`."""
    rows = {(update.file, update.sheet, update.row) for partner_return in returns
            for update in partner_return.updates if left_blank(partner_return, update, carried)}
    return [item for item in issues if item.code == "empty-status" and (item.file, item.sheet, item.row) in rows]


def reported_where(last: LastReported) -> dict[str, Any]:
    """Where a carried update was reported, as `MergedAction` records it: the return's file, sheet and row."""
    return {"reported_file": last.file, "reported_sheet": last.sheet, "reported_row": last.row}


def reported_when(last: LastReported) -> str:
    """'in February 2023' ('last' when the period is not known), as a sentence says when it was reported."""
    return f"in {period_label(last.reported)}" if last.reported else "last"


def wrong_partner_returns(register: Register, returns: Sequence[PartnerReturn]) -> list[Issue]:
    """A lead's return with updates, none of them for an action it leads: most likely another
    partner's workbook sent back under its name (its updates are still merged by the lead rule)."""
    leads_of = {action.ref: action.leads for action in register.actions}
    leads = Counter(lead for action in register.actions for lead in action.leads)
    issues = []
    for partner_return in returns:
        partner, rows = partner_return.partner, partner_return.updates
        if not leads.get(partner) or not rows or any(partner in leads_of.get(u.ref, ()) for u in rows):
            continue
        others = sorted({lead for u in rows for lead in leads_of.get(u.ref, ())})
        issues.append(issue("wrong-partner-return", partner=partner, led=counted(leads[partner], "action"),
                            updates=counted(len(rows), "update"),
                            others=", ".join(quoted(o) for o in others) or "no partner (not in the register)",
                            file=partner_return.path, sheet=partner_return.sheet))
    return issues


def _choose(action: Action, candidates: list[Update], leads: Collection[str], last: LastReported | None = None
            ) -> tuple[Update | None, list[Issue]]:
    """The lead's update wins; any other is reported. Two from the lead, or none from it, is ambiguous.
    The only update, from a file named after no lead (`leads`), is the lead's return under another name:
    that file is reported (`unknown-partner`), not each of its rows. An action led jointly: `_choose_joint`."""
    if not candidates:
        return None, []
    from_lead = [u for u in candidates if u.partner in action.leads]
    # a joint action: a file named after no lead may be either lead's return under another name
    possible = [u for u in candidates if u.partner in action.leads or u.partner not in leads]
    if len(action.leads) > 1 and len(possible) > 1:
        return _choose_joint(action, candidates, possible, last)
    if len(candidates) == 1:
        only = candidates[0]
        if from_lead or not action.lead or only.partner not in leads:
            return only, []
        return only, [issue("not-lead", lead=action.lead, partner=only.partner, **_where(only))]
    pool = from_lead or candidates
    # a row hidden in Excel gives way to a row of the same return the partner sees: most likely last period's, kept
    # out of sight; otherwise the first is used
    first = pool[0]
    chosen = next((u for u in pool if not u.hidden and u.file == first.file), first) if first.hidden else first
    # the same row twice (copied, pasted again, or the lead's return saved again under a name fitting no lead) is
    # one update: only different ones leave a choice to make
    ambiguous = len(from_lead) != 1 and len({said(u) for u in pool}) > 1
    issues = []
    for other in candidates:
        if other is chosen:
            continue
        # a row of the chosen one's side, or of a file named after no lead; never another lead's row saying the same
        twin = other.partner not in leads or (other in from_lead) == (chosen in from_lead)
        if said(other) == said(chosen) and twin:
            issues.append(issue("duplicate-update", "same", used_file=chosen.file, used_row=chosen.row,
                                **_where(other)))
        elif ambiguous and other.hidden and not chosen.hidden and other.file == chosen.file:
            issues.append(issue("hidden-update", used_row=chosen.row, differ=_difference(chosen, other),
                                **_where(other)))
        elif ambiguous:
            issues.append(issue("ambiguous-update", used_file=chosen.file, used_row=chosen.row,
                                differ=_difference(chosen, other), **_where(other)))
        elif last is not None and chosen in from_lead and repeats_last(chosen, last) and not repeats_last(other, last):
            # the lead sent its row back as it was pre-filled: "the lead's update is used" read as if it had news
            issues.append(issue("duplicate-update", "lead-unchanged", used_file=chosen.file, used_row=chosen.row,
                                lead=action.lead, **_where(other)))
        else:
            issues.append(issue("duplicate-update", used_file=chosen.file, used_row=chosen.row, **_where(other)))
    return chosen, issues


def _difference(used: Update, other: Update) -> str:
    """How two updates of one action differ, as a sentence names it: "status 'Completed' there, 'In progress'
    here", else the explanation or the timeframe."""
    if used.status_as_written != other.status_as_written:
        there, here = (quoted(u.status_as_written) if u.status_as_written else "empty" for u in (used, other))
        return f"status {there} there, {here} here"
    return "a different explanation" if used.explanation != other.explanation else "a different timeframe"


def _choose_joint(action: Action, candidates: list[Update], from_lead: list[Update], last: LastReported | None
                  ) -> tuple[Update, list[Issue]]:
    """Several of a joint action's leads returned it (`from_lead`: their files, and files named after no lead,
    which may be either's under another name): a row that repeats what was last reported (`repeats_last`)
    gives way to one that does not; the same update twice is one; different updates are ambiguous, the first
    used. An update from another lead is reported as usual."""
    new = [u for u in from_lead if not repeats_last(u, last)] or from_lead
    chosen = new[0]
    issues = []
    for other in candidates:
        if other is chosen or (other in from_lead and (other not in new or said(other) == said(chosen))):
            continue
        if other in from_lead:
            issues.append(issue("ambiguous-update", "joint", leads=" and ".join(quoted(lead) for lead in action.leads),
                                used_file=chosen.file, used_row=chosen.row, **_where(other)))
        elif last is not None and chosen in from_lead and repeats_last(chosen, last) and not repeats_last(other, last):
            # the lead sent its row back as it was pre-filled: "the lead's update is used" read as if it had news
            issues.append(issue("duplicate-update", "lead-unchanged", used_file=chosen.file, used_row=chosen.row,
                                lead=action.lead, **_where(other)))
        else:
            issues.append(issue("duplicate-update", used_file=chosen.file, used_row=chosen.row, **_where(other)))
    return chosen, issues


def prefilled(last: LastReported | None) -> Prefill:
    """A return workbook's row for an action last reported so (`reportgen.run.prefill`): the status blank where
    none was recognised, an explanation of HTML fragments written as a partner types it (`typed_again`); blank
    when nothing was reported."""
    if last is None:
        return BLANK
    return "" if last.wording_only else last.status_label, typed_again(last.explanation), last.timeframe


def repeats_last(update: Update, last: LastReported | None) -> bool:
    """Whether a return's row says only what was last reported, as its workbook was pre-filled (`prefilled`):
    nothing new."""
    return said(update) == said_in(prefilled(last))


def said(update: Update | MergedAction) -> tuple[str, str, str]:
    """What a return's row (or the update merged from it) says: status as written, the explanation as the paper
    shows it (`shown_update`: the same words typed as HTML or as plain text are one update, as the stalled-actions
    check reads them), timeframe."""
    return update.status_as_written, shown_update(update.explanation), update.timeframe


def said_in(prefill: Prefill) -> tuple[str, str, str]:
    """What a pre-filled row says, compared as `said` compares a return's row."""
    status, explanation, timeframe = prefill
    return status, shown_update(explanation), timeframe


def _where(update: Update) -> dict[str, object]:
    return {"file": update.file, "sheet": update.sheet, "row": update.row, "ref": update.ref,
            "value": update.status_as_written}
