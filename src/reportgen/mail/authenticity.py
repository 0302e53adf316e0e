"""Whether a message really comes from the address in its From line, as the organisation's own mail
server found (RFC 8601 Authentication-Results).

Anyone can write a partner's address in a From line. A receiving mail server checks the sender
(SPF: the sending server's address; DKIM: a signature by the sender's domain; DMARC: the two tied to
the From line's domain) and writes what it found in an Authentication-Results header naming itself
(its *authserv-id*). Only the headers naming our own server count: one a sender wrote into its message
before sending (any id, any result) proves nothing. With `[mail] authserv_id` set, collect takes a
return only from a message whose From domain passed DMARC there, or, where the server reports no
DMARC result, passed DKIM or SPF for the From domain itself (strict alignment: without the public
suffix list, a parent domain cannot be told from a registry's, so none is taken for the sender's).

It reads headers only; it sends nothing, and never raises on a malformed header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

_COMMENT = re.compile(r"\([^()]*\)")  # RFC 8601 comments: "(sender IP is 192.0.2.1)"
_PROPERTY = re.compile(r"([A-Za-z0-9_.-]+)\s*=\s*(\"[^\"]*\"|[^\s;]+)")


@dataclass(frozen=True)
class Result:
    method: str  # dmarc, dkim, spf…
    result: str  # pass, fail, none, softfail…
    properties: dict[str, str]  # e.g. header.from, header.d, smtp.mailfrom


def results(message: EmailMessage, authserv_id: str) -> list[Result]:
    """The method results that the server `authserv_id` wrote into the message's headers."""
    found: list[Result] = []
    for header in message.get_all("Authentication-Results") or []:
        text = " ".join(_COMMENT.sub(" ", str(header)).split())
        server, *parts = text.split(";")
        if not server.split() or server.split()[0].casefold() != authserv_id.casefold():
            continue
        for part in parts:
            pairs = _PROPERTY.findall(part)
            if not pairs:
                continue
            (method, result), *properties = pairs
            found.append(Result(method.casefold().split("/")[0], result.strip('"').casefold(),
                                {key.casefold(): value.strip('"').casefold() for key, value in properties}))
    return found


def unverified(message: EmailMessage, authserv_id: str) -> str:
    """'' when our server says the From address is the sender's own; else why not, in a few words."""
    sender = parseaddr(str(message.get("From", "")))[1]
    domain = sender.rpartition("@")[2].casefold()
    found = results(message, authserv_id)
    if not found:
        return f"the message carries no Authentication-Results from {authserv_id}"
    dmarc = [result for result in found if result.method == "dmarc"]
    if dmarc:
        passed = [r for r in dmarc if r.result == "pass" and r.properties.get("header.from", domain) == domain]
        return "" if passed else f"it failed DMARC for {domain} ({', '.join(r.result for r in dmarc)})"
    for result in found:
        signer = result.properties.get("header.d", "") if result.method == "dkim" else ""
        envelope = result.properties.get("smtp.mailfrom", "").rpartition("@")[2] if result.method == "spf" else ""
        if result.result == "pass" and domain in (signer, envelope):
            return ""
    return f"no DMARC result, and no DKIM or SPF pass for {domain}"
