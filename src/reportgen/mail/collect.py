"""Collect: each message in the inbox from a partner's address with one .xlsx/.csv attachment becomes
that partner's return for the period, checked at once and answered with what was found.

Per message, in an order that makes a re-run safe: save the file (a new name, never over another),
record the message in received.csv, send the reply (once: the sent ledger), then move the message out
of the inbox. A run stopped anywhere re-does only what is missing. Unknown senders, other attachments
and refused files are reported and never saved; a stranger is never answered.
"""

from __future__ import annotations

import datetime as dt
import email.errors
import functools
import hashlib
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

from reportgen.check.changed_since_sent import changed_since_sent
from reportgen.check.checked import (
    assign,
    given_way,
    load_register,
    read_returns,
    sent_copies,
    withdrawn_since,
)
from reportgen.check.merge import LastReported, blank_status, merge_returns, wrong_partner_returns
from reportgen.check.sent_before import read_as_corrected, sent_before_correction
from reportgen.drafts.earlier import carried_in_public, carry_source, exemptions_known, read_kept_paper
from reportgen.errors import ReportgenError
from reportgen.files import write_atomically
from reportgen.issue_codes import SAVE_AS_XLSX, SAVE_AS_XLSX_IN
from reportgen.issues import CODES, Issue, Severity, issue, render_partner_message
from reportgen.mail import compose
from reportgen.mail.attachments import ACCEPTED, Attachment, attachments_of, refusal, returns_of, shown
from reportgen.mail.authenticity import unverified
from reportgen.mail.compose import Outgoing
from reportgen.mail.ledger import Ledger, ReceivedRecord, now_utc, received_ledger, sent_ledger
from reportgen.mail.mailbox import FolderMailbox, Incoming, Mailbox
from reportgen.mail.partners import colleague_of, partners_of
from reportgen.mail.transport import Outbox, Sent, send_all
from reportgen.model import Paper, PartnerReturn, Register, UpdateState
from reportgen.periods import PERIOD_PATTERN, period_label
from reportgen.read.partners import same_name, slug, workbook_names
from reportgen.read.returns import made_for, made_for_lead, read_return, validate_return
from reportgen.read.sheets import read_sheets
from reportgen.read.workspace import OTHER_SPREADSHEETS, SAVED_AS_TEXT, Inputs, list_returns, versioned
from reportgen.run.chase import explanations_cleared, rows_added, rows_deleted, untouched_returns
from reportgen.run.prefill import Prefill, prefill_carried, prefill_values
from reportgen.run.return_workbooks import deadline_text, returns_deadline
from reportgen.settings import SETTINGS_FILE
from reportgen.wording import quoted

PROCESSED, REJECTED = "processed", "rejected"


@dataclass(frozen=True)
class Handled:
    record: ReceivedRecord
    folder: str  # processed | rejected | "" (left in the inbox)
    issues: tuple[Issue, ...] = ()
    reply: Outgoing | None = None


@dataclass
class Collection:
    """What one collect run did."""

    handled: list[Handled] = field(default_factory=list)
    replies: Sent = field(default_factory=Sent)
    across: list[Issue] = field(default_factory=list)  # about several messages together, not one

    @property
    def saved(self) -> list[str]:
        return [h.record.file for h in self.handled if h.record.outcome == "saved" and h.folder]

    @property
    def issues(self) -> list[Issue]:
        return [i for h in self.handled for i in h.issues] + self.across + self.replies.issues


class Collector:
    """The collect step for one period; `dry_run` saves into a throwaway folder and records nothing."""

    def __init__(self, inputs: Inputs, outbox: Outbox, dry_run: bool, scratch: Path | None = None) -> None:
        self.inputs = inputs
        self.settings = inputs.settings
        self.register: Register = load_register(inputs)[0]
        self.outbox = outbox
        self.dry_run = dry_run
        self.folder = scratch if scratch is not None else inputs.returns_dir
        self.received: Ledger[ReceivedRecord] = received_ledger(inputs.outputs, inputs.period)
        self.sent = sent_ledger(inputs.outputs, inputs.period)
        self.max_bytes = int(self.settings.mail.max_attachment_mb * 2**20)
        self.zone = self.settings.schedule.timezone  # the deadline day and the times told are the officer's
        self.headings: Counter[str] = Counter()
        self.collected: list[ReceivedRecord] = []  # this run's, in order
        self.left_in = "in the inbox"  # where a dry run leaves each message: `run` says for a folder of .eml files

    def run(self, mailbox: Mailbox) -> Collection:
        done = Collection()
        if isinstance(mailbox, FolderMailbox):
            self.left_in = "in the folder it was read from"
        # in the order they were sent, not as the mailbox lists them: a partner's earlier message delayed on the way
        # must not become the newer version of its return
        for incoming in in_sent_order(mailbox.messages()):
            handled = self.handle(incoming)
            if not handled.folder:
                done.handled.append(handled)
                continue
            if not self.dry_run and self._first_outcome(handled.record):
                self.received.put(handled.record)
            self.collected.append(handled.record)  # a dry run records nothing, but a later message may refer to it
            if handled.reply is not None:
                sent = send_all([handled.reply], self.outbox, None if self.dry_run else self.sent)
                done.replies.sent += sent.sent
                done.replies.skipped += sent.skipped
                done.replies.issues += sent.issues
            mailbox.move(incoming.uid, self._folder(handled.folder))
            done.handled.append(handled)
        done.across += self._several_returns(done.handled)
        return done

    def _several_returns(self, handled: list[Handled]) -> list[Issue]:
        """One more outcome for each partner whose run saved two returns or more (`mail-returns-in-one-run`): the
        last sent is used, each replacing the one before, so the officer checks it holds every update."""
        saved: dict[str, list[ReceivedRecord]] = {}
        for record in (h.record for h in handled if h.record.outcome == "saved" and h.folder):
            saved.setdefault(record.partner, []).append(record)
        told = []
        for partner, records in saved.items():
            if len(records) < 2:
                continue
            files = ", ".join(f"{r.file} (sent {arrival(r.date, self.zone)})" if r.date else f"{r.file} (undated)"
                              for r in records)
            told.append(issue("mail-returns-in-one-run", partner=partner, files=files, file=records[-1].file,
                              value=partner))
        return told

    def _first_outcome(self, record: ReceivedRecord) -> bool:
        """Whether the record is the message's first outcome to keep: none yet, or it came from no partner's address
        then and is read as a partner's now (the officer added the address and moved the message back)."""
        earlier = self.received.get(record.message_id)
        return earlier is None or (earlier.outcome in READ_AGAIN and record.outcome != "duplicate")

    def _kept(self, outcome_folder: str) -> str:
        """Where the officer finds the message, as its issue's advice says it: a dry run moves nothing."""
        if self.dry_run:
            return f"still {self.left_in}: a dry run moves nothing"
        return "in the processed folder" if outcome_folder == PROCESSED else "in the rejected folder"

    def _told(self) -> str:
        """Whether the partner was answered, as an issue's advice says it: a dry run writes its answers to the outbox
        and sends nothing."""
        return "The reply in the outbox (a dry run sends nothing) tells the partner" if self.dry_run else \
            "The partner was told"

    def _folder(self, outcome_folder: str) -> str:
        folders = self.settings.mail.folders
        return folders.processed if outcome_folder == PROCESSED else folders.rejected

    def handle(self, incoming: Incoming) -> Handled:
        """One message's outcome; a message too malformed to read is rejected, never a traceback."""
        try:
            return self._handle(incoming)
        except RecursionError:  # parts nested thousands deep: Python's email package recurses once a level
            digest = "sha256:" + hashlib.sha256(incoming.raw).hexdigest()
            return self._done(self._record(digest, "unreadable", "", "", "", "", "nested too deeply"), REJECTED,
                              issue("mail-unreadable", "too-deep", uid=quoted(incoming.uid),
                                    file=f"mail {quoted(incoming.uid)}", kept=self._kept(REJECTED)))
        except (email.errors.MessageError, ValueError, TypeError, IndexError, LookupError, AttributeError,
                UnicodeError) as exc:
            digest = "sha256:" + hashlib.sha256(incoming.raw).hexdigest()
            return self._done(self._record(digest, "unreadable", "", "", "", "", str(exc)), REJECTED,
                              issue("mail-unreadable", uid=incoming.uid, error=exc, file=f"mail {incoming.uid}",
                                    kept=self._kept(REJECTED)))

    def _handle(self, incoming: Incoming) -> Handled:
        message = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(incoming.raw))
        if not any(message.get(name) for name in MAIL_HEADERS):  # an empty file: no sender to blame it on
            digest = "sha256:" + hashlib.sha256(incoming.raw).hexdigest()
            empty = not incoming.raw.strip()
            return self._done(self._record(digest, "unreadable", "", "", "", "", "empty" if empty else "no headers"),
                              REJECTED, issue("mail-unreadable", "empty" if empty else "no-headers",
                                              uid=quoted(incoming.uid), file=f"mail {quoted(incoming.uid)}",
                                              kept=self._kept(REJECTED)))
        # shown to officers and written to CSV: no control or direction-changing characters
        sender = shown(str(message.get("From", "")), limit=998)
        subject = shown(str(message.get("Subject", "")), limit=200)
        message_id = str(message.get("Message-ID", "")).strip()
        message_id = message_id or "sha256:" + hashlib.sha256(incoming.raw).hexdigest()
        where = {"file": self._heading(parseaddr(sender)[1] or sender, subject, _date(message))}
        other = _other_period(subject, self.inputs.period)
        if other and not self._made_for_period(message):  # a reply on last month's thread with this month's workbook
            return Handled(self._record(message_id, "other-period", sender, "", subject, "", other), "", (
                issue("mail-other-period", subject=subject, period=other, **where),))
        earlier = self.received.get(message_id)
        partners = partners_of(self.settings, sender)
        partner = partners[0] if len(partners) == 1 else self._whose(message, partners)
        # a message refused for the settings, moved back to the inbox once they were put right: read afresh
        if earlier is not None and not _read_again(earlier, partner):
            return self._again(earlier, message, where)
        if partner is None and partners:  # a shared mailbox, and nothing in the message says for which partner
            return self._done(self._record(message_id, "shared-address", sender, "", subject, _date(message)),
                              REJECTED, issue("mail-shared-address", partners=" and ".join(partners),
                                              heading=where["file"], file=SETTINGS_FILE, column="[partners] emails",
                                              value=parseaddr(sender)[1] or sender))
        if partner is None:
            return self._done(self._record(message_id, "unknown-sender", sender, "", subject, _date(message)),
                              REJECTED, self._stranger(message, sender, subject, where))
        record = self._record(message_id, "rejected", sender, partner, subject, _date(message),
                              received=incoming.received or _received_header(message))
        authserv_id = self.settings.mail.authserv_id
        why = unverified(message, authserv_id) if authserv_id else ""
        if why:  # never answered: the reply would go to the partner, who may not have sent it
            return self._done(replace(record, outcome="unverified"), REJECTED, issue(
                "mail-unverified-sender", sender=sender, subject=subject, partner=partner, why=why, **where))
        if automatic(message) and not any(a.is_return and not a.forwarded for a in attachments_of(message)):
            # an out-of-office answer to our own message (which some attach, workbook and all): answering it could
            # start a mail loop
            return self._done(replace(record, outcome="automatic"), PROCESSED, issue(
                "mail-automatic", partner=partner, subject=subject, kept=self._kept(PROCESSED), **where))
        if not incoming.whole:
            text = (f"Your message ({incoming.size / 2**20:.1f} MB, as mail carries it) is bigger than we accept "
                    f"for a workbook of up to {self.settings.mail.max_attachment_mb:g} MB, so it was not opened. "
                    "Please send the workbook on its own, without pictures pasted into the message.")
            return self._done(record, REJECTED, issue("mail-refused-attachment", "message-too-big",
                                                      partner=partner, size=incoming.size,
                                                      kept=self._kept(REJECTED), told=self._told(), **where),
                              reply=self._reply(partner, message, text))
        return self._attachments(record, message, where)

    def _stranger(self, message: EmailMessage, sender: str, subject: str, where: dict[str, str]) -> Issue:
        """A message from no partner's address, said with the names of the spreadsheets it carried (never opened)
        and, for an address at one partner's domain, that partner's name: a colleague answering for it."""
        names = ", ".join(quoted(a.name) for a in returns_of(attachments_of(message)))
        if not names:
            return issue("mail-unknown-sender", sender=sender, subject=subject, **where)
        lead = colleague_of(self.settings, sender)
        if lead is None:
            return issue("mail-unknown-sender", "with-return", sender=sender, subject=subject, names=names, **where)
        return issue("mail-unknown-sender", "colleague", sender=sender, subject=subject, names=names, partner=lead,
                     **where)

    def _whose(self, message: EmailMessage, partners: tuple[str, ...]) -> str | None:
        """Of the partners sharing the sender's address, the one its message's one workbook was made for (`reportgen
        returns` names the lead in it); None when there is no such one workbook."""
        returns = returns_of(attachments_of(message))
        if len(returns) != 1 or returns[0].suffix != ".xlsx" or refusal(returns[0], self.max_bytes):
            return None
        with as_file(returns[0]) as path:
            lead = made_for_lead(read_sheets(path, returns[0].name)[0])
        return next((partner for partner in partners if lead and same_name(partner) == same_name(lead)), None)

    def _made_for_period(self, message: EmailMessage) -> bool:
        """Whether the message's one return is the workbook made for this period (`reportgen returns` records
        the period in it), whatever the subject says; read only once it is known to be safe to open."""
        returns = returns_of(attachments_of(message))
        if len(returns) != 1 or returns[0].suffix != ".xlsx" or refusal(returns[0], self.max_bytes):
            return False
        with as_file(returns[0]) as path:
            return made_for(path) == self.inputs.period

    def _heading(self, address: str, subject: str, date: str) -> str:
        """What a message's issues are listed under: who sent it, when, and its whole subject (a partner's
        replies share one subject); another message alike in the same minute is numbered, never merged."""
        when = f"sent {arrival(date, self.zone)}" if date else "undated"
        heading = f"mail from {quoted(address)}, {when}: {quoted(subject)}"
        self.headings[heading] += 1
        return heading if self.headings[heading] == 1 else f"{heading} (#{self.headings[heading]})"

    def _attachments(self, record: ReceivedRecord, message: EmailMessage, where: dict[str, str]) -> Handled:
        partner = record.partner
        found = attachments_of(message)
        returns = returns_of(found)
        if not returns:
            return self._no_return(record, message, found, where)
        notes = [issue("mail-other-attachment", "beside", partner=partner, value=a.name, **where)
                 if len(returns) == 1 else issue("mail-other-attachment", partner=partner, value=a.name, **where)
                 for a in found if not a.is_return]  # beside a return: the partner is not asked for it again
        notes += [issue("mail-other-attachment", "forwarded", partner=partner, value=a.name, subject=a.forwarded,
                        **where) for a in found if a.is_return and a not in returns and not self._sent_by_us(a)]
        if len(returns) > 1 and (split := self._own_and_other_leads(partner, returns)):
            return self._own_beside_others(record, message, *split, notes, where)
        if len(returns) > 1:
            names = ", ".join(quoted(a.name) for a in returns)
            text = (f"Your message had {len(returns)} spreadsheets ({names}), so we could not tell which is "
                    "your return. Please reply with only the completed workbook attached.")
            return self._done(record, REJECTED, issue("mail-several-returns", partner=partner, names=names,
                                                      **where), *notes,
                              reply=self._reply(partner, message, text))
        attachment = returns[0]
        why = refusal(attachment, self.max_bytes)
        if why:
            text = f"The attachment {quoted(attachment.name)} could not be accepted: {why}. Please save the workbook " \
                   "again as .xlsx and send it."
            return self._done(replace(record, detail=why), REJECTED, issue(
                "mail-refused-attachment", partner=partner, why=why, value=attachment.name, kept=self._kept(REJECTED),
                told=self._told(), **where), *notes,
                reply=self._reply(partner, message, text))
        lead = self._made_for_other_lead(partner, attachment)
        if lead:
            return self._other_leads(record, message, attachment, lead, notes, where)
        return self._save(record, message, attachment, notes, where)

    def _sent_by_us(self, attachment: Attachment) -> bool:
        """Whether the attachment is, byte for byte, a workbook we sent for the period (kept in `sent_copies`): our
        own request forwarded back beside the filled workbook holds nothing the officer need look at."""
        folder = sent_copies(self.inputs)
        if not folder.is_dir():
            return False
        return any(path.is_file() and path.stat().st_size == len(attachment.data)
                   and path.read_bytes() == attachment.data for path in folder.iterdir())

    def _own_and_other_leads(self, partner: str, returns: list[Attachment]
                             ) -> tuple[Attachment, dict[str, Attachment]] | None:
        """Of several workbooks in one message, the one made for the sender's partner and those made for other leads
        (by lead), when each is one or the other (a shared mailbox sending two partners' workbooks); else None:
        which is the return only the partner can say."""
        if any(a.suffix != ".xlsx" or refusal(a, self.max_bytes) for a in returns):
            return None
        own = [a for a in returns if self._made_for_own(partner, a)]
        others = [a for a in returns if a not in own]
        leads = {self._made_for_other_lead(partner, a): a for a in others}
        if len(own) != 1 or "" in leads or len(leads) != len(others):
            return None
        return own[0], leads

    def _made_for_own(self, partner: str, attachment: Attachment) -> bool:
        """Whether the workbook is the one `reportgen returns` made for the partner (not merely one with its rows)."""
        with as_file(attachment) as path:
            lead = made_for_lead(read_sheets(path, attachment.name)[0])
        return bool(lead) and same_name(lead) == same_name(partner)

    def _own_beside_others(self, record: ReceivedRecord, message: EmailMessage, own: Attachment,
                           others: dict[str, Attachment], notes: list[Issue], where: dict[str, str]) -> Handled:
        """The sender's own workbook saved and checked; each other lead's beside it said, and saved as no one's
        return (`_other_leads`: a partner's return is taken only from its own address)."""
        partner = record.partner
        for lead, attachment in others.items():
            path = self.inputs.display(self.inputs.returns_dir / self._free_name(lead, attachment.suffix))
            notes = [*notes, issue("mail-other-lead-workbook", "beside", partner=partner, lead=lead,
                                   value=attachment.name, path=path, kept=self._kept(PROCESSED), **where)]
        told = "; ".join(f"{quoted(a.name)} is the workbook made for {lead}" for lead, a in others.items())
        one = len(others) == 1
        whose = "another partner's workbook" if one else "other partners' workbooks"
        also = (f"You also attached {whose}: {told}. We take each partner's return only from that partner's own "
                f"address, so we have not saved {'it' if one else 'them'}: please ask {' and '.join(others)} to send "
                f"{'it' if one else 'each'} to us.")
        return self._save(record, message, own, notes, where, also)

    def _no_return(self, record: ReceivedRecord, message: EmailMessage, found: list[Attachment],
                   where: dict[str, str]) -> Handled:
        """A message with no .xlsx or .csv attached. A workbook saved in a format not read (.ods, .xls, .xlsm…) is
        its return all the same: one warning for each such file, and one reply saying what it is and how to save it
        as .xlsx, never that nothing was attached. With none, `mail-no-return`, and the reply says what came."""
        partner = record.partner
        resave = [a for a in found if a.suffix in _SAVED_OTHERWISE]
        packed = [a for a in found if a.is_outlook_package and a not in resave]
        others = [issue("mail-other-attachment", partner=partner, value=a.name, **where)
                  for a in found if a not in resave and a not in packed]
        accepted = " or ".join(ACCEPTED)
        if resave:
            told = [issue("mail-other-attachment", "other-format", partner=partner, value=a.name,
                          what=_SAVED_OTHERWISE[a.suffix], **where) for a in resave]
            text = _save_as_xlsx(resave)
        elif packed:  # Outlook in Rich Text format: the workbook is in there, but only Outlook unpacks it
            told = [issue("mail-no-return", "outlook-rich-text", partner=partner, value=packed[0].name,
                          kept=self._kept(PROCESSED), **where)]
            text = ("We received your message, but Outlook sent it in Rich Text format, which packs the attachments "
                    f"into a file called {quoted(packed[0].name)} that we cannot open, so we could not see your "
                    "workbook. Please send the workbook again in a message formatted as HTML or plain text (in "
                    "Outlook: Format Text, then HTML), or from Outlook on the web.")
        elif link := shared_link(message):  # a shared file: it needs signing in, and can change once sent
            told = [issue("mail-no-return", "link", partner=partner, value=link, accepted=accepted, **where)]
            text = ("We received your message, but it had a link to the workbook rather than the workbook itself. "
                    "We take returns only as attached files: a link to a shared file needs signing in, and what it "
                    "shows can change after the return is sent. Please download the workbook (in OneDrive or "
                    "SharePoint: Download) and reply with it attached.")
        else:
            told = [issue("mail-no-return", partner=partner, accepted=accepted, **where)]
            text = f"We received your message, but it had no return workbook ({accepted}) attached.{_what_came(found)}"
        return self._done(replace(record, outcome="no-return"), PROCESSED, *told, *others,
                          reply=self._reply(partner, message, text))

    def _made_for_other_lead(self, partner: str, attachment: Attachment) -> str:
        """The lead the attached workbook was made for (`reportgen returns` writes it in the workbook), when that
        is another of the register's leads than the sender's partner: a partner forwarding another lead's
        workbook; "" otherwise."""
        if attachment.suffix != ".xlsx":
            return ""
        with as_file(attachment) as path:
            lead = made_for_lead(read_sheets(path, attachment.name)[0])
        # a name no lead of the register has now (a lead renamed since the workbook went out) is not another's
        others = {same_name(name) for name in self.register.leads} - {same_name(partner)}
        return lead if lead and same_name(lead) in others else ""

    def _other_leads(self, record: ReceivedRecord, message: EmailMessage, attachment: Attachment, lead: str,
                     notes: list[Issue], where: dict[str, str]) -> Handled:
        """Another lead's workbook from a partner's address: saved as the sender's return, it would push the
        sender's own aside; taken as the other lead's, it would bypass the check of who sent it. It is neither:
        the sender is told whose it is, and the officer where to save it if they trust it."""
        partner = record.partner
        newest = self._newest(partner)
        used = "" if newest is None else self._sent_on(self.inputs.display(self.inputs.returns_dir / newest.name))
        text = (f"We received {attachment.name}, but it is the workbook made for {lead}'s return, not {partner}'s, so "
                f"we have not saved it. We take each partner's return only from that partner's own address: if it "
                f"holds {lead}'s updates, please ask {lead} to send it to us. If you meant to send your own return, "
                f"please reply with {partner}'s workbook ({self._stem(partner)}.xlsx) attached."
                + ("" if newest is None else
                   f" The return you sent{f' on {used}' if used else ''} is still the one used as your return for "
                   f"{period_label(self.inputs.period)}."))
        path = self.inputs.display(self.inputs.returns_dir / self._free_name(lead, attachment.suffix))
        return self._done(replace(record, outcome="other-lead", detail=f"made for {lead}"), REJECTED,
                          issue("mail-other-lead-workbook", partner=partner, lead=lead, value=attachment.name,
                                path=path, kept=self._kept(REJECTED), **where), *notes,
                          reply=self._reply(partner, message, text))

    def _save(self, record: ReceivedRecord, message: EmailMessage, attachment: Attachment, notes: list[Issue],
              where: dict[str, str], also: str = "") -> Handled:
        """Save and check the return, and answer with what was found; `also`: a paragraph more for the partner."""
        partner = record.partner
        digest = hashlib.sha256(attachment.data).hexdigest()
        newest = self._newest(partner)
        if newest is not None and hashlib.sha256(newest.read_bytes()).hexdigest() == digest:
            same_as = self.inputs.display(self.inputs.returns_dir / newest.name)  # in a dry run, the name it would get
            return self._done(replace(record, outcome="duplicate", file=same_as, sha256=digest), PROCESSED,
                              issue("mail-duplicate", partner=partner, attachment=attachment.name, same_as=same_as,
                                    told=self._told(), **where), *notes,
                              reply=self._reply(partner, message, _also(self._same_again(
                                  partner, attachment.name, newest, same_as), also)))
        in_use = None if newest is None else self.inputs.display(self.inputs.returns_dir / newest.name)
        used = None if in_use is None else self._saved_by(in_use)
        if used is not None and _sent_before(record.date, _sent_at(used)):
            return self._sent_before_used(record, message, attachment, used, digest, notes, where, also)
        replaces = None if in_use is None else self._sent_on(in_use)
        path = self._write(partner, attachment)
        display = self.inputs.display(self.inputs.returns_dir / path.name)  # in a dry run, the name it would get
        late = _late(record.received or record.date, returns_deadline(self.settings, self.inputs.period), self.zone)
        found = self._check(path, display, partner)
        if late:
            deadline = deadline_text(self.settings, self.inputs.period)
            found.append(issue("mail-late", "" if record.received else "dated", partner=partner, file=display,
                               value=record.received or record.date,
                               arrived=arrival(record.received or record.date, self.zone),
                               deadline=deadline))
        partner_issues = [for_partner(i, display, attachment.name) for i in found]
        text = compose.acknowledgement_text(attachment.name, self.inputs.period, partner_issues,
                                            _arrived(record, self.zone) if late else "", self.settings,
                                            replaces=replaces)
        saved = replace(record, outcome="saved", file=display, sha256=digest, late="yes" if late else "",
                        errors=sum(i.severity is Severity.ERROR for i in found),
                        warnings=sum(i.severity is Severity.WARNING for i in found))
        return self._done(saved, PROCESSED, *notes, *found, reply=self._reply(partner, message, _also(text, also)))

    def _sent_before_used(self, record: ReceivedRecord, message: EmailMessage, attachment: Attachment,
                          used: ReceivedRecord, digest: str, notes: list[Issue], where: dict[str, str],
                          also: str) -> Handled:
        """A return sent before the one used, which reached the mailbox after that one was collected (held up on
        the way, across runs): saved, it would be the newest file and replace the correction sent after it. It is
        not saved; the officer and the partner are told which return is used, and how to use this one instead."""
        sent, later = arrival(record.date, self.zone), arrival(_sent_at(used), self.zone)
        text = (f"We received your message sent on {sent}, with {attachment.name}, after the return you sent later, "
                f"on {later}, which is the one we use: this workbook was not used. If you meant it to be used "
                "instead, please send it to us again.")
        save_as = self.inputs.display(self.inputs.returns_dir / self._free_name(record.partner, attachment.suffix))
        return self._done(replace(record, outcome="sent-before-used", sha256=digest, detail=f"sent before {used.file}"),
                          PROCESSED, issue("mail-sent-before-used", partner=record.partner, attachment=attachment.name,
                                           sent=sent, used=used.file, later=later, kept=self._kept(PROCESSED),
                                           told=self._told(), save_as=save_as, **where),
                          *notes, reply=self._reply(record.partner, message, _also(text, also)))

    def _same_again(self, partner: str, sent_name: str, path: Path, shown: str) -> str:
        """The answer to a workbook sent again unchanged: which return of the partner's is used (the one it
        already sent, and when), and what that one still needs, so a partner who meant to send a corrected
        workbook can tell it did not."""
        found = [for_partner(i, shown, sent_name) for i in self._check(path, shown, partner)]
        return compose.acknowledgement_text(sent_name, self.inputs.period, found, "", self.settings,
                                            same_as=self._sent_on(shown))

    def _sent_on(self, shown: str) -> str:
        """When the message that brought a saved return was sent ("" when not known: a file put there by hand)."""
        earlier = self._saved_by(shown)
        return arrival(earlier.date, self.zone) if earlier and earlier.date else ""

    def _saved_by(self, shown: str) -> ReceivedRecord | None:
        """The record of the message that brought the saved return `shown` (None: a file put there by hand)."""
        return next((r for r in reversed([*self.received.values(), *self.collected]) if r.outcome == "saved"
                     and r.file == shown), None)

    def _newest(self, partner: str) -> Path | None:
        mine = [p for p in self._versions(partner)]
        return max(mine, key=lambda p: versioned(p)[1]) if mine else None

    def _stem(self, partner: str) -> str:
        """The name the partner's returns are saved under (without .xlsx or a version): its workbook's, as
        `reportgen returns` and `send-returns` name it (`workbook_names`), so two leads whose names make one
        file name keep their returns apart; a partner that leads no action: its name's `slug`."""
        name = workbook_names(self.register.leads)[0].get(partner)
        return name.rpartition(".")[0] if name else slug(partner)

    def _versions(self, partner: str) -> list[Path]:
        """The partner's returns already in the period folder (also in a dry run, which writes elsewhere)."""
        # and those saved before each letter of a name was made plain ("fundacja-łodz.xlsx")
        before = workbook_names(self.register.leads, every_letter=False)[0].get(partner, "").rpartition(".")[0]
        bases = {self._stem(partner), before or self._stem(partner)}
        folders = dict.fromkeys((self.inputs.returns_dir, self.folder))
        return [p for folder in folders if folder.is_dir() for p in folder.iterdir()
                if p.is_file() and p.suffix.lower() in ACCEPTED and versioned(p)[0].casefold() in bases]

    def _free_name(self, partner: str, suffix: str, number: int = 0) -> str:
        """<workbook>.xlsx, or the next free <workbook>.vN.xlsx (from version `number` on): `_stem`."""
        number = number or max((versioned(p)[1] for p in self._versions(partner)), default=0) + 1
        return self._stem(partner) + (f".v{number}" if number > 1 else "") + suffix

    def _write(self, partner: str, attachment: Attachment) -> Path:
        """<workbook>.xlsx, or the next free <workbook>.vN.xlsx: our name, never the sender's."""
        self.folder.mkdir(parents=True, exist_ok=True)
        number = max((versioned(p)[1] for p in self._versions(partner)), default=0) + 1
        while True:
            name = self._free_name(partner, attachment.suffix, number)
            try:
                write_atomically(self.folder / name, attachment.data, replace=False)
                return self.folder / name
            except FileExistsError:
                number += 1  # another run saved one meanwhile: the next name, never over it

    @functools.cached_property
    def carried(self) -> dict[int, LastReported]:
        """What the period's workbooks were pre-filled from (`reportgen.run.prefill`), read once, when a
        return comes: a long paper's draft.json is tens of MB."""
        return prefill_carried(self.inputs, self.register)[0]

    @functools.cached_property
    def prefill(self) -> dict[int, Prefill]:
        """What the period's workbooks were pre-filled with."""
        return prefill_values(self.carried)

    @functools.cached_property
    def previous(self) -> tuple[Paper | None, str]:
        """The kept draft the period's workbooks were pre-filled from, and its name: an action it had and the
        register no longer has was withdrawn since (`withdrawn_since`), as the build says."""
        source = carry_source(self.inputs.outputs, self.inputs.period)
        paper, _unreadable = read_kept_paper(source, "prefill")  # said by `returns` and the build
        paper = exemptions_known(paper, source, self.inputs.exemption_files, self.inputs.workspace)
        source, paper, _said = carried_in_public(self.inputs.outputs, source, paper, "prefill")  # as pre-filled
        return paper, source.relative_to(self.inputs.outputs).as_posix() if source and paper else ""

    def _check(self, path: Path, shown: str, partner: str) -> list[Issue]:
        """The build's checks of one return: its cells, whether it is the partner's own, filled in, and (for
        reportgen's own workbook) whether an explanation it was pre-filled with, or an action's row, is gone."""
        read, issues = read_return(path, self.settings, shown, partner, self.inputs.period, sent_copies(self.inputs),
                                   self.register.names)
        if read is None:
            return issues
        checked, found = validate_return(read, self.register, self.settings)
        # a section or action the register changed since the workbook was sent is not the partner's to explain
        found = changed_since_sent(checked, found, self.register, self.settings, self.inputs.period,
                                   sent_copies(self.inputs))
        [checked], corrected = self._as_built([checked])
        # a row read as pre-filled now is not told the status it was pre-filled with, as the build does not say it
        issues, found = read_as_corrected(issues, corrected), [*read_as_corrected(found, corrected), *corrected]
        found = asked_not_blocking(found, [checked], self.carried)
        found = self._answered_jointly(checked, withdrawn_since(found, self.register, *self.previous))
        return [*issues, *found, *wrong_partner_returns(self.register, [checked]),
                *untouched_returns([checked], self.prefill, added=rows_added([*issues, *found])),
                *explanations_cleared([checked], self.carried), *self._rows_deleted(checked),
                *self._rows_twice(checked)]

    def _as_built(self, returns: list[PartnerReturn]) -> tuple[list[PartnerReturn], list[Issue]]:
        """`returns` as a build of the period reads them (`sent_before_correction`): a row left as its workbook was
        pre-filled before an earlier return was corrected is returned as sent, with the corrected update, not the
        partner's update back to the old one; a `prefilled-before-correction` note for each."""
        return sent_before_correction(returns, self.carried, self.settings, self.inputs.period,
                                      sent_copies(self.inputs))

    def _rows_twice(self, checked: PartnerReturn) -> list[Issue]:
        """Two rows of this return for one action that say different things (`ambiguous-update`, `hidden-update`):
        which is right only the partner can say, and a build of the period says it of this return's rows."""
        _, issues = merge_returns(self.register, [checked], self.inputs.period, self.carried)
        return [item for item in issues if item.code in ("ambiguous-update", "hidden-update")
                and item.file == checked.path]

    def _rows_deleted(self, checked: PartnerReturn) -> list[Issue]:
        """The actions whose row is gone from the partner's own workbook (`rows_deleted`), but those another
        return already in updates (a jointly led action's other lead's), as a build of the period would say."""
        deleted = rows_deleted(self.register, [checked], (), self.carried.keys())
        if not deleted:  # most returns: the period's other returns are not read
            return []
        returns = [checked, *(other for other in self._period_returns() if other.partner != checked.partner)]
        merged, _ = merge_returns(self.register, returns, self.inputs.period, self.carried)
        updated = {item.ref for item in merged.actions if item.state is UpdateState.UPDATED}
        return [item for item in deleted if item.ref not in updated]

    def _answered_jointly(self, checked: PartnerReturn, found: list[Issue]) -> list[Issue]:
        """Without the empty status of a jointly led action's row left as its workbook was pre-filled, when the
        return of another of its leads, already in, updates it: the build uses that one (`given_way`, the build's
        rule, on the period's returns as a build would read them now). Kept while none has: the partner is told."""
        joint = {action.ref for action in self.register.actions if len(action.leads) > 1}
        if not any(item.code == "empty-status" and item.ref in joint for item in found):
            return found
        returns = [checked, *(other for other in self._period_returns() if other.partner != checked.partner)]
        merged, _ = merge_returns(self.register, returns, self.inputs.period, self.carried)
        return given_way(found, self.register, returns, merged, self.carried)

    def _period_returns(self) -> list[PartnerReturn]:
        """The returns a build of the period would read now: the period folder's, and those a dry run saved aside."""
        files = list_returns(self.inputs.returns_dir, self.inputs.workspace)[0]
        if self.folder != self.inputs.returns_dir and self.folder.is_dir():
            files += sorted(p for p in self.folder.iterdir() if p.is_file() and p.suffix.lower() in ACCEPTED)
        return self._as_built(read_returns(self.inputs, self.register,
                                           assign(self.inputs, self.register, tuple(files)))[0])[0]

    def _again(self, earlier: ReceivedRecord, message: EmailMessage, where: dict[str, str]) -> Handled:
        """A message already collected (a duplicate, or a run that stopped before moving it): move it to
        where the first one went; re-send the reply only if it never went (the sent ledger decides)."""
        folder = (PROCESSED if earlier.outcome in ("saved", "duplicate", "no-return", "automatic", "sent-before-used")
                  else REJECTED)
        reply = None
        path, name = self.inputs.workspace / earlier.file, earlier.file.rpartition("/")[2]
        if earlier.outcome == "saved" and earlier.partner and path.is_file():
            found = [for_partner(i, earlier.file, name) for i in self._check(path, earlier.file, earlier.partner)]
            text = compose.acknowledgement_text(name, self.inputs.period, found,
                                                _arrived(earlier, self.zone) if earlier.late == "yes" else "",
                                                self.settings)
            reply = self._reply(earlier.partner, message, text)
        elif earlier.outcome == "duplicate" and earlier.partner and earlier.file and path.is_file():
            reply = self._reply(earlier.partner, message, self._same_again(earlier.partner, name, path, earlier.file))
        note = issue("mail-duplicate", "message", subject=earlier.subject, sender=earlier.sender,
                     time=earlier.time, outcome=earlier.outcome, **where)
        return Handled(replace(earlier, outcome="duplicate"), folder, (note,), reply)

    def _reply(self, partner: str, message: EmailMessage, text: str) -> Outgoing:
        return compose.answer(partner, message, self.inputs.period, text, self.settings)

    def _record(self, message_id: str, outcome: str, sender: str, partner: str, subject: str, date: str,
                detail: str = "", received: str = "") -> ReceivedRecord:
        return ReceivedRecord(message_id, outcome, parseaddr(sender)[1] or sender, partner, subject, date, "", "",
                              "", 0, 0, detail, now_utc(), received)

    @staticmethod
    def _done(record: ReceivedRecord, folder: str, *issues: Issue, reply: Outgoing | None = None) -> Handled:
        return Handled(record, folder, tuple(issues), reply)


# outcomes the officer puts right in the settings (an address added to a partner's, `authserv_id` mended, the sender
# vouched for by the mail server once IT set it right) and then moves the message back to the inbox for
READ_AGAIN = ("unknown-sender", "unverified", "shared-address")


def _read_again(earlier: ReceivedRecord, partner: str | None) -> bool:
    """Whether a message already met is read afresh: a stranger's now from a partner's address, or one whose sender
    was not vouched for (checked again: the settings or the mail server's verdict may have been put right)."""
    return partner is not None and earlier.outcome in READ_AGAIN


def _also(text: str, more: str) -> str:
    return f"{text}\n\n{more}" if more else text


@contextmanager
def as_file(attachment: Attachment) -> Iterator[Path]:
    """An attachment as a file in a throwaway folder, for the readers that take a path (never saved)."""
    with tempfile.TemporaryDirectory(prefix="reportgen-mail-") as folder:
        path = Path(folder) / f"return{attachment.suffix}"
        path.write_bytes(attachment.data)
        yield path


@contextmanager
def scratch_folder(dry_run: bool) -> Iterator[Path | None]:
    """A dry run saves attachments into a throwaway folder (to check them), never into the inputs."""
    if not dry_run:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="reportgen-collect-") as folder:
        yield Path(folder)


# what every saved email has one of at least; a file with none (empty, or not an email) is said to be so, and is no
# message "from no partner's address"
MAIL_HEADERS = ("From", "Sender", "Reply-To", "To", "Subject", "Date", "Message-ID", "Received")


def automatic(message: EmailMessage) -> bool:
    """An out-of-office or other machine-sent message (RFC 3834 and the headers Exchange and others use)."""
    if str(message.get("Auto-Submitted", "no")).strip().lower() != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in ("bulk", "junk", "list", "auto_reply"):
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    subject = str(message.get("Subject", "")).strip().lower()
    return subject.startswith(("automatic reply:", "auto:", "out of office", "autoreply"))


# where partners keep shared files: a link to one in a message with no attachment is its return, shared by link
_SHARED_LINK = re.compile(r"https?://(?:[\w-]+\.)*(?:sharepoint\.com|1drv\.ms|onedrive\.live\.com|onedrive\.com|"
                          r"docs\.google\.com|drive\.google\.com|dropbox\.com|box\.com|wetransfer\.com|"
                          r"we\.tl)(?![\w-]|\.\w)(?:[/:?#][^\s\"'<>]*)?", re.IGNORECASE)


def shared_link(message: EmailMessage) -> str:
    """The first link to a shared file (OneDrive, SharePoint, Google Drive, Dropbox…) in the message's text, as
    shown (bounded, no control characters); "" without one."""
    for kind in ("plain", "html"):
        body = message.get_body((kind,))
        if body is None:
            continue
        try:
            text = cast(str, body.get_content())
        except (LookupError, UnicodeError, KeyError):
            continue
        found = _SHARED_LINK.search(text)
        if found:
            return shown(found.group(0), limit=200)
    return ""


# a workbook saved in a format not read, as the partner is told it: to be saved as .xlsx (`_save_as_xlsx`); a
# tab-separated file is a sheet too (Google Sheets downloads one), where a .txt may be a covering note
_SAVED_OTHERWISE = {".xlsm": "a macro-enabled Excel workbook", **OTHER_SPREADSHEETS, ".tsv": SAVED_AS_TEXT[".tsv"]}


def _save_as_xlsx(found: list[Attachment]) -> str:
    """The reply to a return saved in a format not read: what each file is, and how to save it as .xlsx in the
    program that made it (`SAVE_AS_XLSX_IN`: Numbers, LibreOffice or Google Sheets; else Excel and LibreOffice); a
    CSV is taken too, so the reply says so rather than ask for .xlsx alone."""
    names = ", nor ".join(f"{quoted(a.name)}, {_SAVED_OTHERWISE[a.suffix]}" for a in found)
    how = " ".join(dict.fromkeys(SAVE_AS_XLSX_IN.get(a.suffix, SAVE_AS_XLSX) for a in found))
    return (f"We cannot read {names}. Please save {'it' if len(found) == 1 else 'each'} as an Excel workbook (.xlsx) "
            f"and send it again. {how} (A CSV file saved as UTF-8 is taken too.)")


def _what_came(found: list[Attachment]) -> str:
    """What the partner attached instead of a return, and what to do: a zipped workbook is to be sent as it is.
    (A workbook in another format is answered by `_save_as_xlsx`.)"""
    if not found:
        return " Please reply with the completed workbook attached."
    names = ", ".join(quoted(a.name) for a in found)
    if any(a.suffix in (".zip", ".7z", ".rar") for a in found):
        return (f" We cannot open {names}: please reply with the completed workbook itself attached, not in a "
                "compressed folder.")
    return ((f" The attachment {names} is not a spreadsheet we can read." if len(found) == 1
             else f" The attachments {names} are not spreadsheets we can read.")
            + " Please reply with the completed workbook attached.")


def asked_not_blocking(found: list[Issue], returns: Sequence[PartnerReturn], carried: Mapping[int, LastReported]
                       ) -> list[Issue]:
    """`found` with the `empty-status` of a row left with no status as pre-filled a point to check, not a problem
    to correct: the build reads the row as no update (`blank_status`), as if it had not come back, and blocks
    nothing, but the partner is still asked for the action's status."""
    blank = blank_status(found, returns, carried)
    return [replace(item, severity=Severity.WARNING) if item in blank else item for item in found]


def for_partner(item: Issue, shown: str, sent_name: str) -> Issue:
    """An issue as the partner reads it: its own file name, no path or folder of the secretariat's (a code whose
    message names one has its partner's wording, `Code.partner_message`), and no advice meant for the secretariat."""
    code = CODES[item.code]
    advice = code.partner_advice_for(item.advice) or _officers_aside(item.advice)
    if code.partner_message:
        message = render_partner_message(item, file=sent_name)
    else:
        message = _officers_aside(item.message.replace(shown, sent_name))
    return replace(item, message=message, advice=advice)


def _officers_aside(text: str) -> str:
    """`text` without its asides for the secretariat: a bracket naming reportgen or its settings ("(or add it to
    reportgen.toml …)", "(to the user running reportgen)"), which a partner cannot act on."""
    return re.sub(r"\s*\([^()]*reportgen[^()]*\)", "", text)


def _other_period(subject: str, period: str) -> str:
    tags = re.findall(rf"\[reportgen ({PERIOD_PATTERN})\]", subject)
    return next((found for found in tags if found != period), "") if period not in tags else ""


def in_sent_order(messages: Iterable[Incoming]) -> list[Incoming]:
    """The messages in the order their senders sent them (their Date; where a message has none, when our server
    received it), the mailbox's own order kept between messages sent alike; one with neither comes last."""
    def sent(incoming: Incoming) -> tuple[bool, str]:
        headers = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(incoming.raw, headersonly=True))
        try:
            when = _date(headers) or incoming.received
        except (email.errors.MessageError, ValueError, TypeError, IndexError, LookupError, AttributeError,
                UnicodeError):  # a header too malformed to read: the message is said unreadable when handled
            when = incoming.received
        return (not when, when)
    return sorted(messages, key=sent)


def _date(message: EmailMessage) -> str:
    try:
        when = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _received_header(message: EmailMessage) -> str:
    """When the topmost Received header says the message was received (the last server it passed: ours, in a
    message saved from the mailbox); "" without one that gives a time."""
    found = message.get_all("Received") or []
    if not found:
        return ""
    try:
        when = parsedate_to_datetime(str(found[0]).rpartition(";")[2].strip())
    except (TypeError, ValueError, IndexError):
        return ""
    when = when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _arrived(record: ReceivedRecord, zone: str) -> str:
    """When a return came, as its partner is told it: when our mail server received it, or else the date it
    carries (its sender's clock)."""
    return (f"reached us on {arrival(record.received, zone)}" if record.received
            else f"is dated {arrival(record.date, zone)}")


def arrival(date: str, zone: str) -> str:
    """'27 October 2026 at 16:40 GMT' for the message's ISO date (the record keeps the ISO form, in UTC), in the
    workspace's time zone ([schedule] timezone): the officer's and the partners' clock."""
    when = dt.datetime.fromisoformat(date).astimezone(ZoneInfo(zone))
    return f"{when.day} {when:%B %Y} at {when:%H:%M} {when:%Z}"


def _sent_at(record: ReceivedRecord) -> str:
    """When the message of `record` was sent, as best known (ISO): its Date, or when our mail server received it
    where that is earlier (a sender's clock set ahead, or a Date written to jump the queue); "" when neither is
    known (received.csv edited by hand into another form is not known)."""
    known = [(instant, when) for when in (record.date, record.received) if (instant := _instant(when)) is not None]
    return min(known)[1] if known else ""


def _sent_before(date: str, other: str) -> bool:
    """Whether a message's Date (`date`, ISO, as the record keeps it) is before `other`'s; False where either is
    not known, as no order can be told."""
    earlier, later = _instant(date), _instant(other)
    return earlier is not None and later is not None and earlier < later


def _instant(when: str) -> dt.datetime | None:
    """An ISO time as the records keep it, in UTC where it names no zone; None for "" or any other form."""
    try:
        parsed = dt.datetime.fromisoformat(when)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _late(date: str, deadline: dt.date | None, zone: str) -> bool:
    """After the end of the deadline day in the workspace's time zone (a return at 00:30 on the day after, British
    Summer Time, is late though it is still the deadline day in UTC); a message with no date is not called late.
    `date`: when our mail server received it, or (not known) its Date header."""
    if deadline is None or not date:
        return False
    return dt.datetime.fromisoformat(date).astimezone(ZoneInfo(zone)).date() > deadline


def check_period_inputs(inputs: Inputs) -> None:
    if not inputs.settings.partners:
        raise ReportgenError("reportgen.toml has no [partners] with email addresses: collect cannot tell a "
                             "partner's message from a stranger's")
