"""What the public edition may say besides the paper: its issues and chase list, derived only from
what the public paper shows.

The restricted edition shows everything. In the public edition an issue about an exempt action (by
its ref, by its register row, even a row left out for a bad cell, or by a return file of a lead whose
every action is exempt) is not listed: its code, ref, row and file together would identify the action.
Such issues are counted instead, one line for each severity, and an error among them still blocks the
public edition (`counted_withheld`); so are those of actions published now that were exempt when last
reported (`was_exempt`).
Any other issue whose value or text holds an exempt action's words (its wording, or what a return or an
earlier paper reported for it) has those words withheld (`withhold_words`). One quoting a return's row
whose action cannot be read, while any action is exempt, loses its text and value but keeps its own advice,
which never quotes a row, so the officer still learns the fix (`withheld_row`); lead names appear only for
leads of published actions. It reads no files and writes none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen.check.checked import Checked, Used, later_name, suggested_lead, updates_used
from reportgen.check.exempt_words import ExemptWords, exempt_words
from reportgen.issues import CODES, Issue, Severity, issue, render_advice, render_message
from reportgen.read.partners import file_name_for
from reportgen.read.returns import partner_for
from reportgen.wording import counted

WITHHELD = "see the restricted edition"
# what to do about an issue whose text is withheld: its own advice could say things about the action
WITHHELD_ADVICE = "Build the restricted edition (--edition restricted): its issues.csv says what to do."
# after the own advice of an issue whose row is withheld (`withheld_row`)
ROW_IN_RESTRICTED = "The restricted edition (--edition restricted) shows what the row holds."
# what an issue says in place of an exempt action's words
WITHHELD_WORDS = "(the words of an action exempt from publication)"


@dataclass(frozen=True)
class PublicView:
    """Which refs, register rows, leads and return files belong only to exempt actions."""

    register_file: str
    exempt_refs: frozenset[int]
    exempt_rows: frozenset[int]  # rows of the register file
    public_leads: tuple[str, ...]  # leads of published actions, in register order
    hidden_leads: frozenset[str]  # leads whose every action is exempt
    hidden_files: frozenset[str]  # return files (as displayed) of hidden leads
    open_files: frozenset[str] = frozenset()  # return files (as displayed) of leads that lead no exempt action
    # a file name to suggest (named after a lead of a published action) for each file named after no lead
    examples: Mapping[str, str] = field(default_factory=dict)
    unused: frozenset[str] = frozenset()  # of those files, the ones none of whose updates are used
    partly_used: frozenset[str] = frozenset()  # and those only some of whose updates are used
    exempt_words: ExemptWords = field(default_factory=ExemptWords)  # what only exempt actions' fields say
    # of the files named after no lead, the name a later version of the suggested file takes when that file is
    # already in the folder (renaming to it would overwrite the lead's own return)
    later_names: Mapping[str, str] = field(default_factory=dict)

    def is_exempt_ref(self, ref: int | None) -> bool:
        return ref is not None and ref in self.exempt_refs


def public_view(checked: Checked) -> PublicView:
    register = checked.register
    exempt_refs = register.exempt_refs | {action.ref for action in register.actions if action.exempt}
    public_leads = tuple(dict.fromkeys(lead for a in register.actions if not a.exempt for lead in a.leads))
    hidden_leads = frozenset(register.leads) - set(public_leads)
    # a file named after no lead is also the return of each lead its used rows are for (`return_files`)
    files = checked.return_files
    def lead_of(path: Path) -> str | None:  # the lead read it as its return (a renamed workbook of ours too), else
        return checked.assignment.lead_of(path) or partner_for(path, register)  # the one it is named after

    hidden_files = frozenset({checked.inputs.display(path) for path in checked.inputs.returns
                              if lead_of(path) in hidden_leads}
                             | {shown for lead in hidden_leads for shown in files.get(lead, ())}
                             | _documents_of(checked, hidden_leads))
    leading_exempt = {lead for action in register.actions if action.exempt for lead in action.leads}
    open_files = frozenset(checked.inputs.display(path) for path in checked.inputs.returns
                           if (lead := lead_of(path)) is not None and lead not in leading_exempt)
    read = {partner_return.path: partner_return for partner_return in checked.returns}
    named = checked.assignment.by_lead.keys()
    examples = {}
    later_names = {}
    used: dict[str, Used] = {}
    published = {action.ref for action in register.actions} - exempt_refs  # a count of exempt rows is not told
    for path in checked.assignment.unmatched:
        shown = checked.inputs.display(path)
        lead = suggested_lead(register, read.get(shown), public_leads, named, path.name)
        examples[shown] = file_name_for(lead, checked.inputs.settings.partners, register.leads)
        later_names[shown] = later_name(path.parent, examples[shown])
        used[shown] = updates_used(read[shown], checked.merged, published) if shown in read and read[shown].updates \
            else "none"
    return PublicView(register.path, frozenset(exempt_refs), register.exempt_rows, public_leads, hidden_leads,
                      hidden_files, open_files, examples, frozenset(s for s, how in used.items() if how == "none"),
                      frozenset(s for s, how in used.items() if how == "some"), exempt_words(checked, exempt_refs),
                      later_names)


def _documents_of(checked: Checked, leads: frozenset[str]) -> set[str]:
    """The files (as displayed) in the period's returns folder that are not read as returns (a Word document, a
    PDF) and are named after one of `leads`: an issue about "Witness Protection Unit return.docx" names that
    partner as surely as its return would."""
    folder = checked.inputs.returns_dir
    if not leads or not folder.is_dir():
        return set()
    read = set(checked.inputs.returns)
    return {checked.inputs.display(path) for path in folder.iterdir()
            if path not in read and partner_for(path, checked.register, checked.inputs.settings.partners) in leads}


# issues that quote what a row of a return holds (an earlier period's, in a note, too); of a row whose action
# cannot be read, nobody can tell whether it is an exempt one's, so while any action is exempt the public
# edition quotes none from the return of a lead of an exempt action (or of no lead); a lead of none has no
# exempt action in its workbook, and its partner needs to know which row to mend
QUOTES_ROW = frozenset({"missing-ref", "note-row", "formula-cell", "formula-error", "formula-not-used",
                        "unread-column", "earlier-return-problem", "cell-comment", "struck-text", "cells-beyond"})


def quotes_unknown_row(item: Issue, view: PublicView) -> bool:
    return (item.code in QUOTES_ROW and item.ref is None and item.row is not None and bool(view.exempt_refs)
            and item.file != view.register_file and item.file not in view.open_files and not is_totals_note(item))


def is_totals_note(item: Issue) -> bool:
    """Whether the issue is a totals row's note: the row was read as a total because it holds no update, only a
    total's words, counts and formulas, so it quotes nothing of any action's, and saying what it is tells the
    partner there is nothing to mend."""
    return item.code == "note-row" and "holds" in dict(item.named_fields)


def withheld_row(item: Issue) -> Issue:
    """An issue quoting a return's row whose action cannot be read, as the public edition says it: what the
    problem is (its code's title) and its own advice, the catalogue's fixed words for the code, never the row's;
    what the row holds is left to the restricted edition."""
    title = CODES[item.code].title
    return replace(item, message=f"Row {item.row}: {title[:1].lower()}{title[1:]} What the row holds is not shown "
                                 "in the public edition: without an action reference that can be read, it may be an "
                                 "exempt action's.",
                   value="", advice=f"{item.advice} {ROW_IN_RESTRICTED}")


def public_issues(issues: Iterable[Issue], view: PublicView) -> tuple[Issue, ...]:
    """The issues as the public edition lists them: those about exempt actions counted, not listed (`is_withheld`),
    and an exempt action's words withheld from the rest."""
    listed: list[Issue] = []
    withheld: list[Issue] = []
    exempt_then: list[Issue] = []
    for item in issues:
        if is_withheld(item, view):
            withheld.append(item)
        elif was_exempt(item):
            exempt_then.append(item)
        else:
            # without the fields it was rendered from: they may name the exempt action its public words leave out
            listed.append(replace(withhold_words(_public_issue(item, view), view), named_fields=()))
    counted_then = [issue("exempt-when-reported", "counted", count=len(exempt_then), file=view.register_file)]
    return (*listed, *(counted_then if exempt_then else ()), *counted_withheld(withheld))


def was_exempt(item: Issue) -> bool:
    """Is this the issue of an action published now that was exempt when last reported? Listed, its ref would say
    which action was exempt, so it is counted. The ones of an action that may have been (its last report is in a
    draft that did not record which were, or cannot be read) are listed: each action carried from there has one,
    so they name no exempt action, and say which draft to mend."""
    return item.code == "exempt-when-reported" and item.advice == CODES["exempt-when-reported"].advice


def is_withheld(item: Issue, view: PublicView) -> bool:
    """Is this issue about an exempt action (or an exempt-only lead), so that the public edition does not list it?
    Its code, ref, row or file would say which action is exempt; the restricted edition lists it."""
    return ((item.code in ("missing-return", "copied-return", "unchanged-return") and item.value in view.hidden_leads)
            or item.file in view.hidden_files
            or view.is_exempt_ref(item.ref) or (item.file == view.register_file and item.row in view.exempt_rows))


def counted_withheld(withheld: Iterable[Issue]) -> list[Issue]:
    """One line for each severity of the issues the public edition does not list, with how many: an error among
    them blocks the public edition, as it would listed, and the restricted edition lists them."""
    counts = Counter(item.severity for item in withheld)
    errors, warnings, notes = (counts[severity] for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    found = []
    if errors:
        found.append(issue("exempt-errors", issues=counted(errors, "error"), verb="blocks" if errors == 1 else "block"))
    if warnings:
        found.append(issue("exempt-warnings", issues=counted(warnings, "warning")))
    if notes:
        found.append(issue("exempt-notes", issues=counted(notes, "note")))
    return found


def withhold_words(item: Issue, view: PublicView) -> Issue:
    """An issue with any exempt action's words in its value, message or advice put as `WITHHELD_WORDS`: a partner's
    row may quote them under a published action's ref. A message still holding them once replaced is said by its
    code's title alone."""
    words = view.exempt_words
    if not words.texts:
        return item
    value = WITHHELD_WORDS if item.value and words.quoted_by(item.value) else item.value
    quoted = (item.value,) if value != item.value else ()
    message, advice = (_withheld_in(text, (*quoted, *words.held_in(text))) for text in (item.message, item.advice))
    if words.held_in(message):
        message = f"{CODES[item.code].title} {WITHHELD_WORDS}"
    return replace(item, value=value, message=message, advice=advice)


def _withheld_in(text: str, quotes: Iterable[str]) -> str:
    for quote in quotes:
        pattern = r"\s+".join(re.escape(word) for word in quote.split())
        text = re.sub(pattern, WITHHELD_WORDS, text, flags=re.IGNORECASE)
    return text


def _public_issue(item: Issue, view: PublicView) -> Issue:
    if item.code == "action-text-of-exempt-action":  # the action it names is exempt
        return replace(item, message=render_message("action-text-of-exempt-action", "public", ref=item.ref),
                       value=WITHHELD_WORDS, advice=render_advice("action-text-of-exempt-action", "public",
                                                                  ref=item.ref))
    if quotes_unknown_row(item, view):
        return withheld_row(item)
    if item.code == "wrong-partner-return" and any(f"'{lead}'" in item.message for lead in view.hidden_leads):
        return replace(item, message=f"{item.file} updates none of the actions its partner leads, only other "
                                     f"partners': {WITHHELD}.", advice=WITHHELD_ADVICE)
    if item.code == "unknown-partner":  # the leads it names, and the file name it suggests, are published ones
        fields = {"file": item.file, "leads": ", ".join(view.public_leads),
                  "example": view.examples.get(item.file) or file_name_for(next(iter(view.public_leads), ""))}
        unused, some = item.file in view.unused, item.file in view.partly_used
        return replace(item, message=render_message("unknown-partner", "public-edition-unread" if unused
                                                    else "public-edition-some" if some else "public-edition", **fields),
                       advice=_unknown_partner_advice(**fields, later=view.later_names.get(item.file, "")))
    return item


def _unknown_partner_advice(file: str, leads: str, example: str, later: str) -> str:
    """The advice of a file named after no lead, in the public edition: to name it after its lead, unless a file
    of that name is already in the folder, which renaming it would overwrite (then how to add it beside)."""
    if later:
        return render_advice("unknown-partner", "name-taken", file=file, leads=leads, example=example, later=later)
    return render_advice("unknown-partner", "public-edition", file=file, leads=leads, example=example)
