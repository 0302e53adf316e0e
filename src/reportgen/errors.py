"""The one exception type of reportgen: raised only when a run cannot continue.

Bad data is never an exception: it is an `Issue` value (see `reportgen.issues`).
"""

import os


class ReportgenError(Exception):
    """A run cannot continue (no register, unreadable settings, nowhere to write)."""


class UsageError(ReportgenError):
    """The run was asked for something that cannot be (a period like 2023-13, a missing workspace).

    The CLI and the flow scripts exit 2 for it at once; flows fail without retrying."""


NOTHING_PUBLISHED = "no draft or file was published"


def describe_os_error(exc: OSError, out: bool = True, done: str = NOTHING_PUBLISHED) -> str:
    """One line for a failure of the machine rather than of the inputs: disk full, read-only, no access. `out`: the
    command has --out, so another folder can be chosen (advice only a command that has it can follow); `done`: what
    the command had done before it failed, or had not ("no draft or file was published")."""
    import errno

    where = f" {os.fsdecode(exc.filename)}" if isinstance(exc.filename, str | bytes) else ""
    if exc.errno in (errno.EACCES, errno.EPERM) and _exists_unreadable(exc.filename):
        return (f"cannot read{where}: {exc.strerror or exc} (the user running reportgen has no permission to read it; "
                f"let that user read the workspace's files); {done}")
    elsewhere = "choose another with --out" if out else "make it writable"
    denied = ("no permission to write there; choose another folder with --out" if out
              else "no permission to write there; let the user running reportgen write to that folder")
    if _read_only_file(exc.filename):  # the folder may be writable: the file itself is not
        denied = "the file is read-only; let the user running reportgen write it, or delete it"
    hints = {
        errno.ENOSPC: "the disk is full; free some space and run again",
        errno.EDQUOT: "the disk quota is used up; free some space and run again",
        errno.EROFS: f"that folder is on a read-only disk; {elsewhere}",
        errno.EACCES: denied,
        errno.EPERM: denied,
    }
    hint = hints.get(exc.errno or 0, "")
    what = exc.strerror or str(exc)
    return f"cannot write{where}: {what}" + (f" ({hint})" if hint else "") + f"; {done}"


def _read_only_file(name: object) -> bool:
    """Whether `name` is a file there that this process may not write (a read-only lock file in a writable folder)."""
    return isinstance(name, str | bytes | os.PathLike) and os.path.isfile(name) and not os.access(name, os.W_OK)


def _exists_unreadable(name: object) -> bool:
    """Whether `name` is a file or folder there that this process may not read (a read failed, not a write)."""
    if not isinstance(name, str | bytes | os.PathLike):
        return False
    if os.path.exists(name):
        return not os.access(name, os.R_OK)
    parent = os.path.dirname(os.fsdecode(name)) or "."
    return os.path.isdir(parent) and not os.access(parent, os.X_OK)  # a file in a folder it may not enter
