"""What the mail steps have done, kept beside the period's outputs so nothing is done twice.

`outputs/<period>/mail/sent.csv`: one row per message, keyed by a stable message key
(`workbook:2026-10:OPCC`), written *before* the message goes to the server ("sending") and updated
after ("sent" or "failed"). A retried flow or a second run skips every key already there; a row left
at "sending" (the run was killed mid-send) is never re-sent blindly: it is reported for an officer.
`outputs/<period>/mail/received.csv`: one row per message collected, keyed by its Message-ID.

Each file is rewritten whole through a temporary name, so a kill never leaves half a row. An officer opens
them in Excel (and is asked to mend a row of sent.csv by hand: `mail-uncertain`), so they are written with a
byte order mark, as the draft's CSVs are, and read with or without one (Excel's "CSV UTF-8" saves one).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import MISSING, asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from reportgen.errors import ReportgenError
from reportgen.files import write_atomically
from reportgen.safe_cells import CSV_ENCODING, text_for_spreadsheet

SENT_CSV = "sent.csv"
RECEIVED_CSV = "received.csv"


def mail_folder(outputs: Path, period: str) -> Path:
    return outputs / period / "mail"


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class SentRecord:
    key: str  # stable: kind, period, partner (and the day, for reminders; the Message-ID, for replies)
    state: str  # sending | sent | failed
    kind: str  # workbook | reminder | acknowledgement
    partner: str
    to: str
    subject: str
    message_id: str
    time: str
    detail: str = ""  # why it failed


@dataclass(frozen=True)
class ReceivedRecord:
    message_id: str
    outcome: str  # saved | duplicate | sent-before-used | rejected | no-return | other-lead | unknown-sender | …
    sender: str
    partner: str
    subject: str
    date: str  # the message's Date header: when its sender's computer says it was sent
    file: str  # where its return was saved, relative to the workspace
    sha256: str
    late: str  # "yes" when it arrived after the deadline
    errors: int
    warnings: int
    detail: str
    time: str
    received: str = ""  # when our mail server received it; "" when not known (then `date` said whether it was late)


R = TypeVar("R", SentRecord, ReceivedRecord)


class Ledger(Generic[R]):
    """A CSV of records keyed by their first field; `put` rewrites the file at once."""

    def __init__(self, path: Path, kind: type[R]) -> None:
        self.path = path
        self.display = str(path)
        self.kind: type[R] = kind
        self.names = [f.name for f in fields(kind)]
        self.records: dict[str, R] = {}
        if path.exists():
            self._read()

    def _read(self) -> None:
        try:
            rows = list(csv.DictReader(io.StringIO(self.path.read_text(encoding=CSV_ENCODING))))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise ReportgenError(f"{self.path} cannot be read ({exc}); it records what was already sent: "
                                 "restore it before mailing again") from exc
        needed = [f.name for f in fields(self.kind) if f.default is MISSING]  # a later column: written by later runs
        for row in rows:
            if set(needed) - set(row):
                raise ReportgenError(f"{self.path} lacks the columns {sorted(set(needed) - set(row))}; "
                                     "restore it before mailing again")
            values = {name: _unquote(row.get(name) or "") for name in self.names}
            typed: dict[str, Any] = {f.name: int(values[f.name] or 0) if f.type in ("int", int)
                                        else values[f.name] for f in fields(self.kind)}
            record = self.kind(**typed)
            self.records[values[self.names[0]]] = record

    def get(self, key: str) -> R | None:
        return self.records.get(key)

    def put(self, record: R) -> None:
        self.records[str(getattr(record, self.names[0]))] = record
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, self.text().encode(CSV_ENCODING))

    def text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.names)
        for record in self.records.values():
            writer.writerow([text_for_spreadsheet(str(value)) for value in asdict(record).values()])
        return out.getvalue()

    def values(self) -> Sequence[R]:
        return list(self.records.values())


def _unquote(text: str) -> str:
    """Undo text_for_spreadsheet's leading apostrophe on a value that starts like a formula."""
    if text.startswith("'") and len(text) > 1 and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def sent_ledger(outputs: Path, period: str) -> Ledger[SentRecord]:
    ledger = Ledger(mail_folder(outputs, period) / SENT_CSV, SentRecord)
    ledger.display = f"{outputs.name}/{period}/mail/{SENT_CSV}"  # as the officer sees it in the workspace
    return ledger


def received_ledger(outputs: Path, period: str) -> Ledger[ReceivedRecord]:
    return Ledger(mail_folder(outputs, period) / RECEIVED_CSV, ReceivedRecord)


def mark(record: SentRecord, state: str, detail: str = "") -> SentRecord:
    return replace(record, state=state, detail=detail, time=now_utc())
