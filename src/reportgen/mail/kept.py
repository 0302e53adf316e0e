"""Each workbook a mail step attaches (a partner's workbook, a reminder's) is kept in outputs/<period>/returns
once the message has gone: what a return saved as CSV is judged against.

A kill can come between the send and the copy, so the workbook is first staged where copies are never looked
for, `outputs/<period>/mail/sending/<message>/<name>.xlsx`, before the sent ledger says "sending"; once it says
"sent", the workbook is kept (`reportgen.run.return_workbooks.keep_sent`) and the staged one removed. A later
run (`finish`) keeps what a killed run left staged for a message the ledger says was sent, removes what was
staged for one that failed or is not in the ledger (it did not go), and leaves the one of a message still
"sending" (it may have gone: `mail-uncertain`) until the officer writes in sent.csv whether it did. So a kept
copy never claims a workbook went out when it did not, and no workbook that went is left without one.

Keeping a copy never stops a run: the message has gone. When the returns folder cannot be written (a file where
the folder should be, no permission), the officer is told where the workbook is (`sent-copy-not-kept`) and it
stays staged, kept by the first run after the folder is mended.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.files import write_atomically
from reportgen.issues import Issue, issue
from reportgen.mail.compose import Outgoing
from reportgen.mail.ledger import Ledger, SentRecord, mail_folder
from reportgen.run.return_workbooks import keep_sent

SENDING = "sending"  # outputs/<period>/mail/sending: workbooks of messages not yet known to have gone


def staged_folder(outputs: Path, period: str) -> Path:
    return mail_folder(outputs, period) / SENDING


def message_folder(key: str) -> str:
    """The staged workbook's folder for a message key: readable, and one per key (two partners whose names
    differ only in punctuation get two)."""
    readable = "".join(ch if ch.isalnum() else "-" for ch in key).strip("-")[:80]
    return f"{readable}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}"


@dataclass
class Keeper:
    """Stages, keeps and drops the workbooks of one run's messages; `issues`: what keeping them met."""

    staging: Path  # outputs/<period>/mail/sending
    folder: Path  # outputs/<period>/returns
    shown: str  # `folder` as the officer finds it in the workspace
    staging_shown: str  # `staging` as the officer finds it in the workspace
    issues: list[Issue] = field(default_factory=list)

    def stage(self, outgoing: Outgoing) -> None:
        """Before the message goes (and before the ledger says it is going): its workbook, where it claims nothing."""
        if outgoing.workbook is None:
            return
        name, data = outgoing.workbook
        place = self.staging / message_folder(outgoing.key)
        _remove(place)  # left by a run killed before the message was in the ledger: it never went
        place.mkdir(parents=True)
        write_atomically(place / name, data)

    def sent(self, outgoing: Outgoing, record: SentRecord) -> None:
        """The ledger says the message went: its workbook is kept, and the staged one removed."""
        if outgoing.workbook is not None:
            self._keep(outgoing.key, record)

    def failed(self, outgoing: Outgoing) -> None:
        """The message did not go: nothing is kept."""
        _remove(self.staging / message_folder(outgoing.key))

    def finish(self, ledger: Ledger[SentRecord]) -> None:
        """What an earlier run left staged: kept when the ledger says its message was sent (the run was killed
        before keeping it, or the officer wrote "sent" for a message it was unsure of), removed when it says the
        message failed or does not know it, left while it says "sending"."""
        if not self.staging.is_dir():
            return
        records = {message_folder(record.key): record for record in ledger.values()}
        for place in sorted(self.staging.iterdir()):
            record = records.get(place.name)
            if record is not None and record.state == "sent":
                self._keep(record.key, record)
            elif record is None or record.state != "sending":
                _remove(place)

    def _keep(self, key: str, record: SentRecord) -> None:
        """Keep what is staged for the message `key`, then remove it; what cannot be kept stays staged, said."""
        place = self.staging / message_folder(key)
        left = False
        for staged in sorted(place.glob("*.xlsx")) if place.is_dir() else ():
            try:
                self.issues += keep_sent(self.folder, self.shown, staged.name, staged.read_bytes(), record.partner,
                                         _when(record.time))
            except OSError as exc:
                left = True
                self.issues.append(issue("sent-copy-not-kept", file=f"{self.staging_shown}/{place.name}/{staged.name}",
                                         value=record.partner, folder=self.shown, reason=_reason(exc)))
        if not left:
            _remove(place)


def _reason(exc: OSError) -> str:
    """Why the filesystem refused, without the path (the officer's message names it as the workspace shows it)."""
    return exc.strerror or str(exc) or type(exc).__name__


def _when(time: str) -> dt.datetime:
    """When the ledger says a message was sent (now, when it cannot be read: an officer's hand edit)."""
    try:
        when = dt.datetime.fromisoformat(time)
    except ValueError:
        return dt.datetime.now(dt.UTC)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _remove(place: Path) -> None:
    """A message's staged folder removed, and the staging folder with it once nothing else is staged there."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(place)
    with contextlib.suppress(OSError):  # not empty: another message's workbook is still staged
        place.parent.rmdir()
