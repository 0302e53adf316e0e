"""What may be saved from a partner's message: one .xlsx or .csv attachment, within size, and for a
workbook, one that `xlsx_guard` would let openpyxl open (no zip bomb, no DOCTYPE/ENTITY, not damaged).

The attachment's name is only ever shown (cleaned of control characters), never used as a path.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path, PurePosixPath

from reportgen.read.xlsx_guard import refuse_reason

ACCEPTED = (".xlsx", ".csv")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Attachment:
    name: str  # as the sender named it, cleaned for showing
    suffix: str  # lower case, from the name's last part: ".xlsx", ".csv", ".zip", ""
    data: bytes

    @property
    def is_return(self) -> bool:
        return self.suffix in ACCEPTED


def shown(name: str, limit: int = 120) -> str:
    """A sender's text made safe to show: no control or direction-changing characters, bounded."""
    cleaned = _CONTROL.sub("?", name).strip() or "(no name)"
    return cleaned if len(cleaned) <= limit else cleaned[:limit - 1] + "…"


def attachments_of(message: EmailMessage) -> list[Attachment]:
    """Every leaf part with a file name or marked as an attachment (inline images included)."""
    found = []
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if name is None and part.get_content_disposition() != "attachment":
            continue
        name = str(name or "")
        # the last path component, whichever separator the sender's system used
        suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        found.append(Attachment(shown(name), suffix, data))
    return found


def refusal(attachment: Attachment, max_bytes: int) -> str | None:
    """Why the attachment must not be saved, or None."""
    if len(attachment.data) > max_bytes:
        return f"it is {len(attachment.data) / 2**20:.1f} MB (the limit is {max_bytes / 2**20:.0f} MB)"
    if not attachment.data:
        return "it is empty"
    if attachment.suffix == ".xlsx":
        with tempfile.TemporaryDirectory(prefix="reportgen-mail-") as folder:
            path = Path(folder) / "attachment.xlsx"
            path.write_bytes(attachment.data)
            reason = refuse_reason(path)
        if reason:
            return f"it cannot be opened safely as a workbook: {reason}"
    return None
