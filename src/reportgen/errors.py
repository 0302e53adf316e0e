"""The one exception type of reportgen: raised only when a run cannot continue.

Bad data is never an exception: it is an `Issue` value (see `reportgen.issues`).
"""

import os


class ReportgenError(Exception):
    """A run cannot continue (no register, unreadable settings, nowhere to write)."""


class UsageError(ReportgenError):
    """The run was asked for something that cannot be (a period like 2023-13, a missing workspace).

    The CLI and the flow scripts exit 2 for it at once; flows fail without retrying."""


def describe_os_error(exc: OSError) -> str:
    """One line for a failure of the machine rather than of the inputs: disk full, read-only, no access."""
    import errno

    where = f" {os.fsdecode(exc.filename)}" if isinstance(exc.filename, str | bytes) else ""
    if exc.errno in (errno.EACCES, errno.EPERM) and _exists_unreadable(exc.filename):
        return (f"cannot read{where}: {exc.strerror or exc} (the user running reportgen has no permission to read it; "
                "let that user read the workspace's files); no draft or file was published")
    hints = {
        errno.ENOSPC: "the disk is full; free some space and run again",
        errno.EDQUOT: "the disk quota is used up; free some space and run again",
        errno.EROFS: "that folder is on a read-only disk; choose another with --out",
        errno.EACCES: "no permission to write there; choose another folder with --out",
        errno.EPERM: "no permission to write there; choose another folder with --out",
    }
    hint = hints.get(exc.errno or 0, "")
    what = exc.strerror or str(exc)
    return f"cannot write{where}: {what}" + (f" ({hint})" if hint else "") + "; no draft or file was published"


def _exists_unreadable(name: object) -> bool:
    """Whether `name` is a file or folder there that this process may not read (a read failed, not a write)."""
    if not isinstance(name, str | bytes | os.PathLike):
        return False
    if os.path.exists(name):
        return not os.access(name, os.R_OK)
    parent = os.path.dirname(os.fsdecode(name)) or "."
    return os.path.isdir(parent) and not os.access(parent, os.X_OK)  # a file in a folder it may not enter
