"""Who is mailed: the [partners] table checked against the register, and addresses looked up both ways.

It reads settings and the register; it sends nothing and reads no files.
"""

from __future__ import annotations

import difflib
from email.utils import parseaddr

from reportgen.issues import Issue, issue
from reportgen.model import Register
from reportgen.settings import SETTINGS_FILE, Settings


def check_partners(settings: Settings, register: Register) -> list[Issue]:
    """Each [partners."Name"] must be a lead in the register (else its mail and files go nowhere)."""
    issues = []
    for name in settings.partners:
        if name in register.leads:
            continue
        close = difflib.get_close_matches(name, register.leads, n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        issues.append(issue("partner-not-lead", f'{SETTINGS_FILE}: [partners."{name}"] is not a lead in the '
                            f"register ({', '.join(register.leads)}).{hint}", file=SETTINGS_FILE,
                            column=f'[partners."{name}"]', value=name))
    return issues


def addresses(settings: Settings, lead: str) -> tuple[str, ...]:
    """The lead's addresses as written in [partners]; () when it has none."""
    partner = settings.partners.get(lead)
    return partner.emails if partner else ()


def partner_of(settings: Settings, sender: str) -> str | None:
    """The lead whose [partners] addresses hold the sender (case-insensitive); None for a stranger."""
    address = parseaddr(sender)[1].strip().casefold()
    if not address:
        return None
    for lead, partner in settings.partners.items():
        if address in (known.casefold() for known in partner.emails):
            return lead
    return None


def no_address(lead: str, doing: str) -> Issue:
    return issue("no-partner-address", f"{lead} has no email address in {SETTINGS_FILE}; {doing}.",
                 file=SETTINGS_FILE, column=f'[partners."{lead}"] emails', value=lead)
