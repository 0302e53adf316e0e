"""Who is mailed: a lead's addresses, and the lead an address belongs to, from [partners].

(`reportgen.read.register.check_partners` checks the [partners] names against the register.) It reads
settings only; it sends nothing and reads no files.
"""

from __future__ import annotations

from email.utils import parseaddr

from reportgen.issues import Issue, issue
from reportgen.settings import SETTINGS_FILE, Settings


def addresses(settings: Settings, lead: str) -> tuple[str, ...]:
    """The lead's addresses as written in [partners]; () when it has none."""
    partner = settings.partners.get(lead)
    return partner.emails if partner else ()


def partner_of(settings: Settings, sender: str) -> str | None:
    """The one lead whose [partners] addresses hold the sender (case-insensitive); None for a stranger, and for an
    address given to several leads (a shared mailbox: `partners_of`)."""
    leads = partners_of(settings, sender)
    return leads[0] if len(leads) == 1 else None


def partners_of(settings: Settings, sender: str) -> tuple[str, ...]:
    """Every lead whose [partners] addresses hold the sender (case-insensitive): one, or several for a shared
    mailbox answering for more than one partner; () for a stranger."""
    address = parseaddr(sender)[1].strip().casefold()
    if not address:
        return ()
    return tuple(lead for lead, partner in settings.partners.items()
                 if address in (known.casefold() for known in partner.emails))


def colleague_of(settings: Settings, sender: str) -> str | None:
    """The one lead with an address at the sender's domain (a colleague writing from its own address); None when no
    lead or several have one. Only ever said to the officer: it never makes the sender a partner."""
    domain = parseaddr(sender)[1].strip().casefold().rpartition("@")[2]
    if not domain:
        return None
    leads = [lead for lead, partner in settings.partners.items()
             if any(known.casefold().rpartition("@")[2] == domain for known in partner.emails)]
    return leads[0] if len(leads) == 1 else None


def no_address(lead: str, doing: str) -> Issue:
    return issue("no-partner-address", doing=doing, file=SETTINGS_FILE, column=f'[partners."{lead}"] emails',
                 value=lead)
