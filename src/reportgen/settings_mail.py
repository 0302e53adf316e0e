"""Settings of the mail: [partners] (file patterns and addresses of each lead) and [mail] (servers,
folders, limits). No credentials: they come from the environment or a Prefect Secret block.

Part of `reportgen.settings`, which re-exports these names.
"""

from __future__ import annotations

import re
import ssl
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from reportgen.errors import ReportgenError
from reportgen.settings_columns import Strict
from reportgen.wording import quoted

# one address, as partners' mail servers write it: local@domain.tld, no display name, no spaces
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class PartnerSettings(Strict):
    """A lead partner, keyed by its name as in the register: how its files are named, where it is mailed."""

    files: tuple[str, ...] = ()  # file-name patterns (glob, case-insensitive), e.g. "constabulary*.xlsx"
    emails: tuple[str, ...] = ()  # addresses its workbook is sent to and its returns come from

    @field_validator("emails")
    @classmethod
    def _well_formed(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        wrong = [address for address in value if not EMAIL_ADDRESS.fullmatch(address.strip())]
        if wrong:
            raise ValueError(f"not an email address: {', '.join(quoted(a) for a in wrong)} "
                             "(write the bare address, e.g. returns@partner.example.org)")
        return tuple(address.strip() for address in value)


TlsMode = Literal["none", "starttls", "tls"]


class ServerSettings(Strict):
    """A mail server; the port defaults to the usual one for the TLS mode."""

    host: str = ""
    port: int | None = Field(default=None, ge=1, le=65535)
    tls: TlsMode = "tls"


class FolderSettings(Strict):
    inbox: str = "INBOX"  # where partners' replies arrive
    processed: str = "reportgen/processed"  # a message is moved here once its return is saved and answered
    rejected: str = "reportgen/rejected"  # unknown senders, refused attachments: kept for an officer


class MailSettings(Strict):
    """[mail]: how returns go out and come back. No credentials here: they come from the environment
    (REPORTGEN_MAIL_USER with REPORTGEN_MAIL_PASSWORD or REPORTGEN_MAIL_OAUTH_TOKEN) or, in a flow,
    from the Prefect Secret block named by `secret_block`."""

    from_address: str = ""  # e.g. "returns@wessex-pcc.example.org"; replies come back here
    from_name: str = ""  # e.g. "Wessex OPCC Strategy Team"
    smtp: ServerSettings = Field(default_factory=lambda: ServerSettings(tls="starttls"))
    imap: ServerSettings = Field(default_factory=ServerSettings)
    folders: FolderSettings = Field(default_factory=FolderSettings)
    auth: Literal["login", "xoauth2"] = "login"  # xoauth2: an OAuth2 access token (Microsoft 365, Google)
    secret_block: str = ""  # Prefect Secret block holding the password or OAuth2 token (flows only)
    ca_file: str = ""  # PEM bundle to trust instead of the system's (an in-house server's CA), workspace-relative
    max_attachment_mb: float = Field(default=10.0, gt=0)  # a bigger attachment is refused, never saved
    # your mail server's name in the Authentication-Results it writes (e.g. "mx.wessex-pcc.example.org"):
    # set, collect takes a return only from a message it says passed DMARC (reportgen.mail.authenticity)
    authserv_id: str = ""
    collect_before_build: bool = False  # the monthly flow collects the mailbox first
    chase_after_build: bool = False  # and chases who has not returned after the build
    signature: str = ""  # closes every message; defaults to from_name
    # addresses told how each monthly run ended (the draft built, blocked, or nothing built and why), through smtp
    notify: tuple[str, ...] = ()

    @field_validator("from_address")
    @classmethod
    def _from_well_formed(cls, value: str) -> str:
        if value and not EMAIL_ADDRESS.fullmatch(value.strip()):
            raise ValueError(f"not an email address: {quoted(value)}")
        return value.strip()

    @field_validator("notify")
    @classmethod
    def _notify_well_formed(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        wrong = [address for address in value if not EMAIL_ADDRESS.fullmatch(address.strip())]
        if wrong:
            raise ValueError(f"not an email address: {', '.join(quoted(a) for a in wrong)} "
                             "(write the bare address, e.g. secretariat@wessex-pcc.example.org)")
        return tuple(address.strip() for address in value)

    def tls_context(self, workspace: Path) -> ssl.SSLContext:
        """Certificates are always verified: against `ca_file` when given, else the system's store."""
        if not self.ca_file:
            return ssl.create_default_context()
        path = workspace / self.ca_file
        try:
            return ssl.create_default_context(cafile=str(path))
        except (OSError, ssl.SSLError) as exc:
            raise ReportgenError(f"[mail] ca_file {path} cannot be read as PEM certificates: {exc}") from exc

    def port(self, server: Literal["smtp", "imap"]) -> int:
        chosen = self.smtp if server == "smtp" else self.imap
        if chosen.port is not None:
            return chosen.port
        defaults = {"smtp": {"none": 25, "starttls": 587, "tls": 465}, "imap": {"none": 143, "starttls": 143,
                                                                               "tls": 993}}
        return defaults[server][chosen.tls]
