"""The one exception type of reportgen: raised only when a run cannot continue.

Bad data is never an exception: it is an `Issue` value (see `reportgen.issues`).
"""


class ReportgenError(Exception):
    """A run cannot continue (no register, unreadable settings, nowhere to write)."""
