"""A return's Section or Action cell left as its workbook showed it, where the register has changed it since the
workbooks were made (a section renamed, an action's text edited): the partner changed nothing, so the return's
row is not said to differ from the register (`section-changed`, `action-text-changed`…), and the partner is not
asked whether the action should move; the paper uses the register's section and text, as for any row. The officer
gets one note per return naming the actions concerned.

What a workbook showed is read from the secretariat's copies of it (outputs/<period>/returns, kept by `reportgen
returns` and `send-returns`: `sent_copies_of`); a cell that differs from every copy is the partner's own and keeps
its issue, and so does every cell of a return with no copy (a sheet the partner made). Reads nothing but those
copies, and only for a return that has such an issue.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from reportgen.issues import Issue, issue
from reportgen.model import PartnerReturn, Register, Update
from reportgen.read.returns import sent_rows
from reportgen.settings import Settings
from reportgen.wording import listed

# the issues of a row's register cells, by the cell they are about: said of a cell the workbook was sent with, they
# ask the partner about a change the register made
CELL_OF = {"section-changed": "section", "action-text-changed": "action", "action-text-of-other-action": "action",
           "action-text-of-exempt-action": "action"}

SentCells = dict[tuple[str, int], set[str]]  # by cell ("section" or "action") and action: what each copy showed
Rows = Mapping[tuple[int | None, int | None], Update]  # a return's rows, by spreadsheet row and action, as issues say


def changed_since_sent(partner_return: PartnerReturn, found: Sequence[Issue], register: Register, settings: Settings,
                       period: str, copies: Path) -> list[Issue]:
    """`found` (the return's issues from `validate_return`) without those of a Section or Action cell left as its
    workbook showed it (`CELL_OF`), and with a `register-changed-since-sent` note for the return in their place.
    `copies`: the folder of the period's workbooks as made. A partner's own sheet was never sent: kept as found."""
    flagged = [item for item in found if item.code in CELL_OF and item.file == partner_return.path]
    if not flagged or not partner_return.prefilled:
        return list(found)
    sent = _sent_cells(partner_return, settings, period, copies)
    rows: Rows = {(update.row, update.ref): update for update in partner_return.updates}
    as_sent = [item for item in flagged if _left_as_sent(item, rows, sent)]
    if not as_sent:
        return list(found)
    dropped = {id(item) for item in as_sent}
    exempt = register.exempt_refs | {action.ref for action in register.actions if action.exempt}
    return [*(item for item in found if id(item) not in dropped), *_notes(partner_return, as_sent, exempt)]


def _sent_cells(partner_return: PartnerReturn, settings: Settings, period: str, copies: Path) -> SentCells:
    """What the Section and Action cells of each action's row said in each copy of the workbook made for the
    return's partner for `period`."""
    sent: SentCells = {}
    for update in sent_rows(copies, partner_return.partner, period, settings):
        sent.setdefault(("section", update.ref), set()).add(update.section_text)
        sent.setdefault(("action", update.ref), set()).add(update.action_text)
    return sent


def _left_as_sent(item: Issue, rows: Rows, sent: SentCells) -> bool:
    """Whether the cell an issue is about holds what a copy of the workbook showed in its action's row."""
    update = rows.get((item.row, item.ref))
    if update is None:
        return False
    cell = CELL_OF[item.code]
    written = update.section_text if cell == "section" else update.action_text
    return written in sent.get((cell, update.ref), set())


def _notes(partner_return: PartnerReturn, as_sent: Sequence[Issue], exempt: Collection[int]) -> list[Issue]:
    """One note for the return, naming the actions whose section, then whose text, the register changed; those of
    actions exempt from publication in a second, under one of their refs, so that the public edition withholds it
    as it does every issue of an exempt action (a ref named in a published note would say which is exempt)."""
    published = [item for item in as_sent if item.ref not in exempt]
    withheld = [item for item in as_sent if item.ref in exempt]
    notes = [_note(partner_return, published)] if published else []
    if withheld:
        notes.append(_note(partner_return, withheld, min(item.ref for item in withheld if item.ref is not None)))
    return notes


def _note(partner_return: PartnerReturn, as_sent: Sequence[Issue], ref: int | None = None) -> Issue:
    """A note naming the actions whose section, then whose text, the register changed."""
    sections = sorted({item.ref for item in as_sent if CELL_OF[item.code] == "section" and item.ref is not None})
    texts = sorted({item.ref for item in as_sent if CELL_OF[item.code] == "action" and item.ref is not None})
    changed = listed([part for part in (_of("section", sections), _of("text", texts)) if part])
    refs = sorted({*sections, *texts})
    return issue("register-changed-since-sent", changed=changed, file=partner_return.path, ref=ref,
                 value=", ".join(str(number) for number in refs))


def _of(what: str, refs: Sequence[int]) -> str:
    """'the section of action 13', 'the text of actions 13, 14 and 17'; '' for no action."""
    if not refs:
        return ""
    return f"the {what} of {'action' if len(refs) == 1 else 'actions'} {listed([str(ref) for ref in refs])}"
