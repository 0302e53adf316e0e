"""A row sent back exactly as its workbook was pre-filled, where the update it was pre-filled with has been
corrected since (a partner re-sent an earlier period's return after `reportgen returns` made this period's
workbooks): the row is returned as sent, so it takes the update as last reported now, never the one it was
pre-filled with, and the officer is told the partner saw the update before the correction.

What a workbook was pre-filled with is read from the secretariat's copy of it (outputs/<period>/returns, kept by
`reportgen returns`); a row that differs from that copy is the partner's own, even when it repeats an older
status, so a partner can still type the old status back deliberately. Reads nothing but those copies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from reportgen.check.merge import LastReported, prefilled, reported_when, said, said_in
from reportgen.issues import Issue, issue
from reportgen.model import PartnerReturn, Update
from reportgen.read.returns import sent_rows
from reportgen.settings import Settings

Said = tuple[str, str, str]


def sent_before_correction(returns: Sequence[PartnerReturn], carried: Mapping[int, LastReported],
                           settings: Settings, period: str, copies: Path) -> tuple[list[PartnerReturn], list[Issue]]:
    """`returns` with each row left as its workbook was pre-filled, before a correction to what is carried forward
    (`carried`), read as the row pre-filled now (as if the workbook had been made after the correction); a
    `prefilled-before-correction` note for each (`prefilled-before-unrecognised`, and the row's `empty-status`, when
    the corrected update's status is not recognised). `copies`: the folder of the period's workbooks as made."""
    kept: list[PartnerReturn] = []
    issues: list[Issue] = []
    for partner_return in returns:
        stale = _differing(partner_return, carried)
        sent = _sent_rows(partner_return, settings, period, copies) if stale else {}
        updates = []
        for update in partner_return.updates:
            last = carried.get(update.ref)
            if update in stale and last is not None and said(update) in sent.get(update.ref, ()):
                updates.append(_as_prefilled_now(update, last))
                issues += _no_status(partner_return, update, settings) if last.wording_only else []
                issues.append(_note(update, last))
            else:
                updates.append(update)
        kept.append(replace(partner_return, updates=tuple(updates)) if updates != list(partner_return.updates)
                    else partner_return)
    return kept, issues


def read_as_corrected(issues: Sequence[Issue], corrected: Sequence[Issue]) -> list[Issue]:
    """`issues` without what a row's status cell said (no status, or one not recognised) of each row read as
    pre-filled now (`corrected`, the `prefilled-before-correction` notes): the paper shows that row's corrected
    update and counts it as returned as sent, so an error of the status it was pre-filled with would block
    publication, and ask the partner for a status, over a row that is no longer read so."""
    rows = {(item.file, item.sheet, item.row) for item in corrected}
    return [item for item in issues
            if not (item.code in _STATUS_READ and (item.file, item.sheet, item.row) in rows)]


_STATUS_READ = frozenset({"empty-status", "unknown-status"})


def _differing(partner_return: PartnerReturn, carried: Mapping[int, LastReported]) -> list[Update]:
    """The rows of reportgen's own workbook that differ from what it would be pre-filled with now: only these may
    be rows pre-filled before a correction (a partner's own sheet was never pre-filled)."""
    if not partner_return.prefilled:
        return []
    return [update for update in partner_return.updates
            if update.ref in carried and said(update) != said_in(prefilled(carried[update.ref]))]


def _sent_rows(partner_return: PartnerReturn, settings: Settings, period: str, copies: Path) -> dict[int, set[Said]]:
    """By action, what each copy of the workbook made for the return's partner for `period` was pre-filled with."""
    sent: dict[int, set[Said]] = {}
    for update in sent_rows(copies, partner_return.partner, period, settings):
        sent.setdefault(update.ref, set()).add(said(update))
    return sent


def _as_prefilled_now(update: Update, last: LastReported) -> Update:
    """The row as the workbook would be pre-filled with it now: the update as last reported."""
    status, _explanation, timeframe = prefilled(last)
    return replace(update, status=last.status, status_as_written=status, explanation=last.explanation,
                   timeframe=timeframe, status_prompt="")


def _no_status(partner_return: PartnerReturn, update: Update, settings: Settings) -> list[Issue]:
    """The `empty-status` of a row read as pre-filled now with an update whose status was not recognised: the row
    is then as a workbook pre-filled with no status and left so (`left_blank`), no update, so the partner is asked
    for the action's status as for any such row."""
    heading = partner_return.heading("status", settings.returns.columns["status"].heading)
    return [issue("empty-status", column=heading, file=update.file, sheet=update.sheet, row=update.row,
                  ref=update.ref)]


def _note(update: Update, last: LastReported) -> Issue:
    """The officer's note; a row pre-filled with no status is said so, not as an empty quote (''). A correction
    to a status not recognised is its own code: the paper counts no status for the row, so it claims none."""
    if last.wording_only:
        return issue("prefilled-before-unrecognised", "" if update.status_as_written else "blank", ref=update.ref,
                     value=update.status_as_written, status=last.status_label, when=reported_when(last),
                     source=last.source or "the last draft", file=update.file, sheet=update.sheet, row=update.row)
    return issue("prefilled-before-correction", "" if update.status_as_written else "blank", ref=update.ref,
                 value=update.status_as_written,
                 status=last.status_label or "no status", when=reported_when(last),
                 source=last.source or "the last draft", file=update.file, sheet=update.sheet, row=update.row)
