"""What may be saved from a partner's message: one .xlsx or .csv attachment, within size, and for a
workbook, one that `xlsx_guard` would let openpyxl open (no zip bomb, no DOCTYPE/ENTITY, not damaged).

The attachment's name is only ever shown (cleaned of control characters), never used as a path.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage, Message
from pathlib import Path, PurePosixPath
from typing import cast

from reportgen.read.xlsx_guard import refuse_reason

ACCEPTED = (".xlsx", ".csv")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Attachment:
    name: str  # as the sender named it, cleaned for showing
    suffix: str  # lower case, from the name's last part: ".xlsx", ".csv", ".zip", ""
    data: bytes
    # the subject of the message attached to the partner's (forwarded as an attachment) that holds it, as shown;
    # "" for a file attached to the partner's message itself
    forwarded: str = ""
    content_type: str = ""

    @property
    def is_return(self) -> bool:
        return self.suffix in ACCEPTED

    @property
    def is_outlook_package(self) -> bool:
        """Outlook's winmail.dat (TNEF): what it sends, in Rich Text format, in place of the files attached."""
        return self.content_type in _TNEF_TYPES or self.name.casefold() == "winmail.dat"


_TNEF_TYPES = ("application/ms-tnef", "application/vnd.ms-tnef")


def returns_of(found: list[Attachment]) -> list[Attachment]:
    """The attachments that may be the message's return: those attached to the message itself; only when it has
    none, those of a message it forwards as an attachment (a partner forwarding its own earlier reply). Beside a
    return of its own, a workbook in a forwarded message is the one it was sent (our own request, attached back)."""
    own = [a for a in found if a.is_return and not a.forwarded]
    return own or [a for a in found if a.is_return]


def shown(name: str, limit: int = 120) -> str:
    """A sender's text made safe to show: no control or direction-changing characters, bounded."""
    cleaned = _CONTROL.sub("?", name).strip() or "(no name)"
    return cleaned if len(cleaned) <= limit else cleaned[:limit - 1] + "…"


def attachments_of(message: EmailMessage) -> list[Attachment]:
    """Every leaf part with a file name or marked as an attachment (inline images included), but the
    pictures of the message's own text: an image of a multipart/related with a Content-ID (a signature's
    logo, as Outlook sends it on every message)."""
    found = []
    for part, forwarded in _leaves(message):
        name = part.get_filename()
        if name is None and part.get_content_disposition() != "attachment":
            continue
        name = str(name or "")
        # the last path component, whichever separator the sender's system used
        suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        found.append(Attachment(shown(name), suffix, data, forwarded, part.get_content_type()))
    return found


def _leaves(part: Message, related: bool = False, forwarded: str = "") -> Iterator[tuple[Message, str]]:
    """Each leaf part, with the subject of the forwarded message (message/rfc822) it is in, if any."""
    if part.get_content_type() == "message/rfc822" and part.is_multipart():
        for sub in cast(list[Message], part.get_payload()):
            subject = str(sub.get("Subject", "")).strip()
            yield from _leaves(sub, False, shown(subject, limit=200) if subject else "(no subject)")
    elif part.is_multipart():
        inner = part.get_content_type() == "multipart/related"
        for sub in cast(list[Message], part.get_payload()):
            yield from _leaves(sub, inner, forwarded)
    elif not (related and part.get_content_maintype() == "image" and part.get("Content-ID")
              and part.get_content_disposition() != "attachment"):
        yield part, forwarded


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
