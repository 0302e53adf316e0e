"""Writing our own output files safely: whole or not at all, and the same bytes for the same content.

Every file reportgen writes goes through `write_atomically` (temporary name in the same folder, fsync,
rename), so a crash or a kill never leaves half a paper; a folder of outputs (a draft, a comparison) is
built under a hidden name and moved into place whole by `publish_folder`. A hidden folder may be marked as being
written (`claim_writing`), so that one a killed run left can be told from one a live run is writing
(`take_abandoned`). Zip packages (DOCX, XLSX) are re-dated by
`stable_zip`, since their entry timestamps are the only bytes that differ from run to run.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import os
import re
import secrets
import shutil
import socket
import zipfile
from pathlib import Path

from reportgen.errors import ReportgenError

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
# in a hidden folder being written: locked by the writing process for its whole life (`claim_writing`)
WRITER_LOCK = ".writer.lock"
# files Windows leaves in any folder it has shown (as macOS its .DS_Store): nobody's to read or fix, so passed over
# among the returns, and a folder holding only these is an empty one to write a draft or comparison in
SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store"})


def is_system_file(name: str) -> bool:
    """Whether a file of that name is one Windows or macOS left (`SYSTEM_FILES`), in any capitals."""
    return name.casefold() in SYSTEM_FILES


def holds_anything(path: Path) -> bool:
    """A file, or a folder with anything in it but system files: never a place to write a new draft or comparison."""
    return path.exists() and (not path.is_dir() or any(not is_system_file(child.name) for child in path.iterdir()))


def write_atomically(out: Path, data: bytes, replace: bool = True) -> None:
    """Write `data` to `out` via a temporary file; with replace=False an existing `out` is an error."""
    handle, temporary = _create_partial(out)
    try:
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as exc:  # a write names no file ("No space left on device"): say which one it was
            # (closing the file flushes what did not fit again, and its error would otherwise be the one raised)
            raise OSError(exc.errno, exc.strerror, str(out)) from exc
        if replace:
            os.replace(temporary, out)
        else:
            os.link(temporary, out)  # atomic, and raises FileExistsError rather than replace a file
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _create_partial(out: Path) -> tuple[int, str]:
    """A new empty file beside `out`, under a hidden temporary name, open for writing. Created as any program
    creates a file (0666 less the user's umask, and the folder's default ACL), so outputs are as shared as the
    user asks: readable by all with the usual umask 022, by no one else with 077 (a restricted edition, kept mail)."""
    for _ in range(100):
        temporary = str(out.parent / f".{out.name}.{secrets.token_hex(4)}.partial")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(out))


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def stable_zip(data: bytes, modified: str | None = None) -> bytes:
    """The same zip package with every entry dated ZIP_DATE, in the same order.

    With `modified` (ISO time), docProps/core.xml's modified date is set to it: openpyxl stamps the
    time of saving there whatever the workbook's properties say.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    if modified is not None:
        stamp = modified.encode("ascii")
        entries = [(name, _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content) if name == "docProps/core.xml"
                    else content) for name, content in entries]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # same bytes whichever OS wrote it
            target.writestr(info, content)
    return buffer.getvalue()


def publish_folder(tmp: Path, target: Path, what: str) -> None:
    """Move the finished folder `tmp` to `target` in one rename, so readers see all of it or nothing.

    Never over anything: the rename fails on a non-empty `target` (so two runs racing for one place
    cannot both land). On another filesystem the folder is copied next to `target`, then renamed there.
    `what` names the folder in errors ("the draft", "the comparison"). The rename is made durable.
    """
    _take_system_files(target, tmp)
    try:
        os.rename(tmp, target)
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            raise ReportgenError(f"{target} already exists and is not empty: never overwriting {what}") from exc
        if exc.errno != errno.EXDEV:
            raise ReportgenError(f"cannot publish {what} to {target}: {exc.strerror}") from exc
        staging = target.parent / f"{tmp.name}{secrets.token_hex(4)}"  # still a hidden temporary name
        shutil.copytree(tmp, staging)
        _take_system_files(target, staging)
        try:
            os.rename(staging, target)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise ReportgenError(f"cannot publish {what} to {target}: {error.strerror}") from error
        shutil.rmtree(tmp, ignore_errors=True)
    sync_folder(target.absolute().parent)


def _take_system_files(target: Path, folder: Path) -> None:
    """Move the files of `target` into `folder` when they are all system files (`SYSTEM_FILES`), so that the rename
    of `folder` onto `target`, empty to us, succeeds and keeps them (a folder's desktop.ini holds its icon and view).
    Anything else in `target` is left, and the rename refuses it."""
    try:
        children = list(target.iterdir())
    except OSError:
        return
    if not all(is_system_file(child.name) and child.is_file() and not child.is_symlink() for child in children):
        return
    for child in children:
        with contextlib.suppress(OSError):  # on another filesystem: the copy beside `target` takes them
            os.rename(child, folder / child.name)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (best effort: not every filesystem supports it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def claim_writing(folder: Path) -> int | None:
    """Mark the hidden folder `folder` as written by this process, for as long as it lives: an exclusive lock on a
    file in it (`WRITER_LOCK`, naming this machine), which the kernel lets go when the process ends however it ends
    (SIGKILL, a crash, a machine switched off), so another run can tell a folder a dead run left from one a live
    run is writing now. Returns the lock file, open: close it once the folder is gone. None where the filesystem
    takes no locks: the folder is then judged by its age alone, as an older reportgen's is."""
    made = folder / f"{WRITER_LOCK}.{secrets.token_hex(4)}"
    try:
        held = os.open(made, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError:
        return None  # a folder that takes no file: the writing that follows says what is wrong, naming its file
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(held, socket.gethostname().encode())
        # named only once locked: another run never finds the lock file free while its writer is taking it
        os.rename(made, folder / WRITER_LOCK)
    except OSError:
        os.close(held)
        made.unlink(missing_ok=True)
        return None
    return held


def claimed_here(folder: Path) -> bool:
    """Whether `folder` holds a writer's lock file (`claim_writing`) taken on this machine: only then does its lock
    tell whether its writer lives (on a network drive, a lock taken on another machine may not be seen here)."""
    try:
        return (folder / WRITER_LOCK).read_bytes() == socket.gethostname().encode()
    except OSError:
        return False


def take_abandoned(folder: Path) -> int | None:
    """The lock file of `folder`, open and locked by this process, when the process that claimed it has ended (its
    lock free): remove the folder, then close it. None while a process holds the lock, once the lock file is gone
    (the folder finished, or was cleared by another run first), or when it cannot be locked."""
    try:
        held = os.open(folder / WRITER_LOCK, os.O_RDWR)
    except OSError:
        return None
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(held).st_nlink:  # not removed, with its folder, by a run that took it first
            return held
    except OSError:
        pass
    os.close(held)
    return None
