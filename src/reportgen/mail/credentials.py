"""Mail credentials: a user and either a password (LOGIN) or an OAuth2 access token (XOAUTH2).

They are read at the edge (the CLI from the environment, a flow from the environment or a Prefect
Secret block) and passed down; they are never in reportgen.toml, never logged, never in a repr.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from reportgen.errors import ReportgenError

USER_VARIABLE = "REPORTGEN_MAIL_USER"
PASSWORD_VARIABLE = "REPORTGEN_MAIL_PASSWORD"
TOKEN_VARIABLE = "REPORTGEN_MAIL_OAUTH_TOKEN"
SECRET_VARIABLES = (PASSWORD_VARIABLE, TOKEN_VARIABLE)
# a flow's run reads the environment of the process that runs it, not of the person who started the run
WHERE_TO_SET = ("in the environment of the command, or, for a flow, of the Prefect worker or `reportgen serve` "
                "that runs it")


@dataclass(frozen=True)
class Credentials:
    user: str
    secret: str = field(repr=False)  # the password, or the OAuth2 access token
    auth: Literal["login", "xoauth2"] = "login"

    def xoauth2(self) -> bytes:
        """The XOAUTH2 initial client response before base64: the user, then the bearer token."""
        return f"user={self.user}\x01auth=Bearer {self.secret}\x01\x01".encode()

    def xoauth2_base64(self) -> str:
        return base64.b64encode(self.xoauth2()).decode("ascii")


def credentials_from_env(environ: Mapping[str, str], auth: Literal["login", "xoauth2"] = "login",
                         secret: str = "") -> Credentials | None:
    """The user from REPORTGEN_MAIL_USER; the password (auth "login") or token (auth "xoauth2") from its
    variable, else `secret` (a Prefect Secret block's value). None when neither a user nor a password or
    token is set (no login: a relay that takes mail without one). A password or token without the user is
    refused: left unused, the mail went without a login, and the server's "530 Authentication required"
    was all the officer saw."""
    user = environ.get(USER_VARIABLE, "").strip()
    if not user:
        given = [name for name in (PASSWORD_VARIABLE, TOKEN_VARIABLE) if environ.get(name, "")]
        if given:
            raise ReportgenError(f"{given[0]} is set but {USER_VARIABLE} is not: set it to the mailbox's login "
                                 f"(its user name or address) {WHERE_TO_SET}")
        return None
    variable = TOKEN_VARIABLE if auth == "xoauth2" else PASSWORD_VARIABLE
    value = environ.get(variable, "") or secret
    if not value:
        raise ReportgenError(f"{USER_VARIABLE} is set but {variable} is not (needed for [mail] auth = \"{auth}\"); "
                             "set it, or name a Prefect Secret block in [mail] secret_block for the flows")
    return Credentials(user=user, secret=value, auth=auth)


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def refuse_cleartext(kind: str, host: str, tls: str) -> None:
    """A password or token is never sent unencrypted to another machine (tls = "none" is for a relay on
    this machine only)."""
    if tls == "none" and host.strip().lower() not in LOOPBACK:
        raise ReportgenError(f"[mail] {kind}.tls is \"none\" for {host}: the login would cross the network "
                             "unencrypted; use \"starttls\" or \"tls\" (\"none\" is only for a server on this machine)")
