"""The messages reportgen sends: a partner's workbook, a reminder, and the answer to a return.

Every message has a stable key (what it is, for which period and partner) and a Message-ID derived from
it, so the ledger can tell a message already sent, and a partner's mail program sees a re-sent copy as
the same message. Plain text only: partners' mail systems strip or distrust HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from reportgen.issues import Issue, Severity
from reportgen.model import Action
from reportgen.periods import day_text, period_label
from reportgen.run.return_workbooks import deadline_text, returns_deadline
from reportgen.settings import Settings
from reportgen.wording import counted

# headers are folded at 998 characters, not 78: a folded Message-ID reads back with a leading space
HEADERS_UNFOLDED = policy.default.clone(max_line_length=998)
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PERIOD_TAG = "[reportgen {period}]"  # in every subject, so replies can be told apart by period


@dataclass(frozen=True)
class Outgoing:
    key: str
    kind: str  # workbook | reminder | acknowledgement
    partner: str
    message: EmailMessage
    workbook: tuple[str, bytes] | None = None  # the workbook attached (its name, its bytes): kept once sent
    reason: str = ""  # why a reminder goes, as the officer is told it: "no return", "… could not be read (x.ods)"


def message_id(key: str, settings: Settings) -> str:
    domain = settings.mail.from_address.rpartition("@")[2] or "reportgen.invalid"
    return f"<reportgen.{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{domain}>"


def _message(key: str, settings: Settings, to: Sequence[str], subject: str, body: str,
             signed: bool = True) -> EmailMessage:
    mail = settings.mail
    message = EmailMessage(policy=HEADERS_UNFOLDED)
    message["From"] = formataddr((mail.from_name, mail.from_address)) if mail.from_name else mail.from_address
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id(key, settings)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies should not answer it
    message.set_content(body + (_signature(settings) if signed else "\n"))
    return message


def run_report(key: str, to: Sequence[str], subject: str, lines: Sequence[str], settings: Settings) -> Outgoing:
    """How a scheduled run ended, to the secretariat's [mail] notify addresses: the officer who is not watching
    Prefect's UI learns of a draft to review, or of the returns to correct before it can be built. No period tag in
    the subject, and unsigned: it is not a message to a partner, and a reply is not a return."""
    return Outgoing(key, "run summary", "the secretariat", _message(key, settings, to, subject, "\n".join(lines),
                                                                     signed=False))


def _signature(settings: Settings) -> str:
    closing = settings.mail.signature or settings.mail.from_name
    return f"\n\nWith thanks,\n{closing}\n" if closing else "\n"


def _attach_workbook(message: EmailMessage, name: str, workbook: bytes) -> None:
    message.add_attachment(workbook, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=name)


def tag(period: str) -> str:
    return PERIOD_TAG.format(period=period)


def workbook_request(lead: str, to: Sequence[str], period: str, actions: Sequence[Action], name: str,
                     workbook: bytes, settings: Settings, prefilled: bool = True) -> Outgoing:
    key = f"workbook:{period}:{lead}"
    label = period_label(period)
    deadline = deadline_text(settings, period)
    by = f" by {deadline}" if deadline else ""
    body = (
        f"Dear {lead} colleagues,\n\n"
        f"Please find attached your return for {label}: the workbook {name} lists the "
        f"{counted(len(actions), 'action')} of the plan you lead, "
        + ("with last period's status, explanation and timeframe filled in.\n\n" if prefilled else
           "with no status, explanation or timeframe yet: this is the first period reported.\n\n")
        + "In the 'Return' sheet, for each action:\n"
        "- choose the status this period from the list (Completed, In progress, Not started or On hold);\n"
        "- say in plain words what has been done this period (write links in full, https://...);\n"
        "- give the timeframe for delivery or completion.\n"
        "The reference, section and action columns are locked; please do not add rows or sheets.\n\n"
        f"Reply to this message with the completed workbook attached{by}. We check it as soon as "
        "it arrives and reply with anything that needs correcting. If you need to correct it, simply send "
        "the workbook again: the newest one you send is used."
    )
    message = _message(key, settings, to, f"Return for {label}: please reply{by} {tag(period)}", body)
    _attach_workbook(message, name, workbook)
    return Outgoing(key, "workbook", lead, message, (name, workbook))


def reminder(lead: str, to: Sequence[str], period: str, actions: Sequence[Action], untouched: str, day: str,
             name: str, workbook: bytes, settings: Settings, made_for: str = "",
             unusable: Sequence[Issue] = ()) -> Outgoing:
    """`untouched`: the file the partner sent back unchanged (or, with `made_for`, the workbook it sent for
    that other period; with `unusable`, the file(s) that could not be read, and why, worded for the partner),
    or "" when nothing came back."""
    key = f"reminder:{period}:{lead}:{day}"  # at most one reminder a partner a day
    label = period_label(period)
    why, reason = _why_reminded(label, untouched, made_for, unusable)
    listing = "\n".join(f"- {action.ref}: {action.text}" for action in actions)
    attached = ("The workbook is attached again, if it is easier to fill it in afresh: either way, please reply to "
                "this message with your return attached as an Excel workbook (.xlsx)." if unusable else
                "The workbook is attached again: please fill it in and reply to this message with it attached.")
    body = (
        f"Dear {lead} colleagues,\n\n{why} It covers these actions:\n\n{listing}\n\n"
        + _deadline_sentence(settings, period, day)
        + attached
    )
    subject = f"Reminder: return for {label} {tag(period)}"
    message = _message(key, settings, to, subject, body)
    _attach_workbook(message, name, workbook)
    return Outgoing(key, "reminder", lead, message, (name, workbook), reason)


def _deadline_sentence(settings: Settings, period: str, day: str) -> str:
    """The deadline as the reminder's day (YYYY-MM-DD) sees it: "The deadline is 24 October 2026." before or on it;
    after it, that it was (a reminder six weeks late said "is"), and to send the return as soon as possible."""
    deadline = returns_deadline(settings, period)
    if deadline is None:
        return ""
    if day and deadline < dt.date.fromisoformat(day):
        return f"The deadline was {day_text(deadline)}: please send your return as soon as you can. "
    return f"The deadline is {day_text(deadline)}. "


def _why_reminded(label: str, untouched: str, made_for: str, unusable: Sequence[Issue]) -> tuple[str, str]:
    """Why a reminder goes: in the partner's words, the message's opening; in the officer's, a few words."""
    if made_for:
        return (f"The workbook you sent back ({untouched}) is the one for {period_label(made_for)}, so it could not "
                f"be used as your return for {label}. Please fill in the workbook for {label} instead (if you wrote "
                f"your {label} updates in the other one, copy them into it).",
                f"sent the {period_label(made_for)} workbook ({untouched}), not this period's")
    if unusable:
        return (f"We received {untouched} from you, but could not use it as your return for {label}:\n\n"
                + "\n\n".join(_describe(item) for item in unusable) + "\n\nPlease send your return again.",
                f"what it sent could not be read ({untouched})")
    if untouched:
        return (f"The workbook you sent back ({untouched}) is the one we sent you, with nothing changed. If "
                "nothing has moved on, please say so in the explanation of each action.",
                f"workbook sent back as it was pre-filled ({untouched})")
    return f"We have not yet received your return for {label}.", "no return"


def answer(lead: str, original: EmailMessage, period: str, text: str, settings: Settings) -> Outgoing:
    """A reply to a partner's message (threaded under it), keyed by that message's id."""
    original_id = str(original.get("Message-ID", "")).strip()
    key = f"reply:{period}:{original_id}"
    subject = str(original.get("Subject", "")).strip()
    subject = subject if subject.lower().startswith("re:") else f"Re: {subject}".strip()
    other_tags = r"\s*\[reportgen (?!" + re.escape(period) + r"\])[^\]]*\]"
    if tag(period) not in subject and re.search(other_tags, subject):
        # a reply on another period's thread ("Return for September 2026 …"): its words are that period's too
        subject = f"Re: Return for {period_label(period)}"
    subject = re.sub(other_tags, "", subject)
    if tag(period) not in subject:
        subject = f"{subject} {tag(period)}"
    # to the address that matched the partner, never a Reply-To: that could send its issues elsewhere
    sender = str(original.get("From", ""))
    message = _message(key, settings, [sender], subject, f"Dear {lead} colleagues,\n\n{text}")
    if original_id:
        message["In-Reply-To"] = original_id
        message["References"] = " ".join(filter(None, (str(original.get("References", "")).strip(), original_id)))
    return Outgoing(key, "acknowledgement", lead, message)


# notes a partner is told in the acknowledgement: the paper will use an update other than the one its row says
TOLD_NOTES = frozenset({"prefilled-before-correction", "prefilled-before-unrecognised"})


def acknowledgement_text(sent_name: str, period: str, issues: Sequence[Issue], late: str,
                         settings: Settings, same_as: str | None = None, replaces: str | None = None) -> str:
    """What we found in the return: every error and warning with its sheet, row and column, or 'clean'.
    `late`: when a return after the deadline came ("reached us on …", or "is dated …"), else "".
    `same_as`: the workbook is the same as the return the partner already sent (when, or "" if not known):
    nothing new was saved, and the one already received is used. `replaces`: it was saved in place of the
    return the partner sent before (when, or "" if not known), which is no longer used."""
    if same_as is None:
        lines = [f"Thank you: we received {sent_name} and saved it as your return for {period_label(period)}."]
        if replaces is not None:
            when = f" on {replaces}" if replaces else ""
            lines[0] += (f" It replaces the return you sent{when}: only the newest one you send is used, so "
                         "it must hold every update you want reported.")
    else:
        when = f" on {same_as}" if same_as else ""
        lines = [f"Thank you: we received {sent_name}. It is the same workbook as the return you sent{when}, which we "
                 f"already have and use as your return for {period_label(period)}, so nothing has changed."]
    if late:
        lines.append(f"It {late}, after the deadline ({deadline_text(settings, period)}); it is still used.")
    errors = [i for i in issues if i.severity is Severity.ERROR]
    warnings = [i for i in issues if i.severity is Severity.WARNING]
    told = [i for i in issues if i.code in TOLD_NOTES]
    if not errors and not warnings:
        lines.append("We checked it and found nothing to correct.")
        lines += _notes(told)
        return "\n\n".join(lines)
    if errors:
        lines.append(f"We checked it and found {counted(len(errors), 'problem')} to correct before it can be used in "
                     "full:\n\n" + "\n\n".join(_describe(item) for item in errors))
    if warnings:
        lines.append(f"{counted(len(warnings), 'point')} worth checking:\n\n"
                     + "\n\n".join(_describe(i) for i in warnings))
    if errors:
        lines.append("Please correct the workbook and reply to this message with it attached; the newest one you "
                     "send is used." + (" If you meant to send a corrected workbook, check that your changes were "
                                        "saved before you attached it." if same_as is not None else ""))
    else:  # points to check only: nothing the partner must correct
        lines.append("If any of these points needs a change, reply to this message with the workbook attached; "
                     "the newest one you send is used.")
    return "\n\n".join([*lines, *_notes(told)])


def _notes(told: Sequence[Issue]) -> list[str]:
    """The notes told to the partner (`TOLD_NOTES`), under a heading of their own: nothing to correct, but the
    paper will not show what the partner's row says."""
    return [f"{counted(len(told), 'note')} for your information:\n\n" + "\n\n".join(_describe(i) for i in told)
            ] if told else []


def _describe(item: Issue) -> str:
    where = ", ".join(part for part in (
        f"sheet '{item.sheet}'" if item.sheet else "",
        f"row {item.row}" if item.row is not None else "",
        f"column '{item.column}'" if item.column else "",
    ) if part)
    head = f"- {where[0].upper() + where[1:]}: " if where else "- "
    return f"{head}{item.message}\n  What to do: {item.advice}"
