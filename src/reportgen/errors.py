"""The one exception type of reportgen: raised only when a run cannot continue.

Bad data is never an exception: it is an `Issue` value (see `reportgen.issues`).
"""


class ReportgenError(Exception):
    """A run cannot continue (no register, unreadable settings, nowhere to write)."""


class UsageError(ReportgenError):
    """The run was asked for something that cannot be (a period like 2023-13, a missing workspace).

    The CLI and the flow scripts exit 2 for it at once; flows fail without retrying."""
