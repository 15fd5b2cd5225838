"""Files the store (and an export) writes: whole or not at all, private, never through a link.

Nothing here knows about keys or sessions; `store.py` and `reports/export.py` build on it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from pathlib import Path

from interview.storage.errors import StorageError

STALE_TEMP_SECONDS = 60


class Remedy:
    """What to do about a disk that is full, read-only or not ours, for one kind of write: the
    store's, an export's, a delete's, a command's output. `explain` says the one that fits."""

    def __init__(self, read_only: str, denied: str, full: str = "free some space",
                 too_large: str = ""):
        self.read_only, self.denied, self.full = read_only, denied, full
        self.too_large = too_large or f"raise the limit, or {read_only}"


STORE = Remedy(read_only="choose another folder with --store",
               denied="check who owns the folder, or choose another with --store")
EXPORT = Remedy(read_only="choose another file with -o (or another folder in the export dialog)",
                denied="check who owns the folder, or choose another file with -o (or another "
                       "folder in the export dialog)",
                full="free some space, or choose another file with -o (or another folder in "
                     "the export dialog)")
DELETE = Remedy(read_only="make the disk writable, then delete again",
                denied="check who owns the store's folder, then delete again",
                full="free some space, then delete again",
                too_large="raise the limit, then delete again")
OUTPUT = Remedy(read_only="write the output elsewhere (another redirect, or -o where the "
                          "command has it)",
                denied="write the output elsewhere (another redirect, or -o where the command "
                       "has it)",
                full="free some space, or write the output elsewhere (another redirect, or -o "
                     "where the command has it)")


def explain(exc: OSError, what: str, remedy: Remedy = STORE) -> StorageError:
    """An OSError as a sentence that names the thing and what to do (`remedy`: the fix that fits
    what was being done; the store's by default)."""
    reasons = {
        errno.ENOSPC: f"the disk is full: {remedy.full}",
        errno.EDQUOT: f"the disk quota is used up: {remedy.full}",
        errno.EROFS: f"the disk is read-only: {remedy.read_only}",
        errno.EACCES: f"permission denied: {remedy.denied}",
        errno.EPERM: f"permission denied: {remedy.denied}",
        errno.EFBIG: "the file would be larger than this system allows (a file-size limit, "
                     f"such as `ulimit -f`, or the disk's own): {remedy.too_large}",
        errno.EIO: "the disk reported an input/output error: check the disk",
        errno.ENOENT: "a folder it needs is gone (removed or moved): check the folder",
        errno.ELOOP: "a symbolic link is in the way: remove it",
    }
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return StorageError(f"could not {what}: {reason}")


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, "short write")
        view = view[written:]


TEMP_SUFFIX = ".csec-partial"


def _temp_name(path: Path) -> Path:
    import secrets  # here: hashlib, which it imports, costs the app's first screen 3 ms

    return path.with_name(f".{path.name}.{secrets.token_hex(8)}{TEMP_SUFFIX}")


def sweep(folder: Path) -> None:
    """Remove the temporary files an interrupted write left in `folder` (an export's hold
    plaintext). Only old ones: a younger one may be another program's write in progress."""
    try:
        leftovers = list(folder.glob(f".*{TEMP_SUFFIX}"))
    except OSError:
        return
    for old in leftovers:
        try:
            if time.time() - old.lstat().st_mtime > STALE_TEMP_SECONDS:
                old.unlink()
        except OSError:
            pass


_unnamed_works = True  # until the system says otherwise (no O_TMPFILE, or no linking it)


def _write_unnamed(path: Path, data: bytes) -> Path | None:
    """Write `data` to an unnamed file beside `path` (Linux O_TMPFILE) and only then give it a
    temporary name: a crash while writing leaves nothing. None where that cannot be done."""
    global _unnamed_works
    flag = getattr(os, "O_TMPFILE", 0)
    if not (_unnamed_works and flag and os.path.isdir("/proc/self/fd")):
        return None
    try:
        fd = os.open(path.parent, flag | os.O_WRONLY, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOTSUP):
            _unnamed_works = False
            return None
        raise
    try:
        os.fchmod(fd, 0o600)
        write_all(fd, data)
        os.fsync(fd)
        for _ in range(10):
            tmp = _temp_name(path)
            try:  # linkat never follows a link planted at its target
                os.link(f"/proc/self/fd/{fd}", tmp, follow_symlinks=True)
                return tmp
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno in (errno.EXDEV, errno.ENOENT, errno.EPERM, errno.EACCES,
                                 errno.EOPNOTSUPP, errno.ENOTSUP):
                    _unnamed_works = False  # e.g. a sandbox that cannot link /proc/self/fd
                    return None
                raise
        raise OSError(errno.EEXIST, "no free temporary name", str(path))
    finally:
        os.close(fd)


def _write_named(path: Path, data: bytes) -> Path:
    """Write `data` to a new file of an unguessable name beside `path`: O_EXCL|O_NOFOLLOW, so
    never into a planted file or through a planted link."""
    for _ in range(10):
        tmp = _temp_name(path)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                         0o600)
            break
        except FileExistsError:
            continue
    else:
        raise OSError(errno.EEXIST, "no free temporary name", str(path))
    try:
        os.fchmod(fd, 0o600)
        write_all(fd, data)
        os.fsync(fd)
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.close(fd)
    return tmp


def write_atomic(path: Path, data: bytes, tidy: bool = False) -> None:
    """Write a file so that it is either the old or the new one, never half of each.

    The data goes to a new temporary file, mode 0600 whatever the umask, fsynced, then renamed
    over `path`. Where the system allows, that file has no name until it is whole, so a crash
    leaves nothing; elsewhere a crash can leave it, hidden (`.NAME.*.csec-partial`), until the
    next write into the same folder with `tidy` (every export) removes it.
    """
    path = Path(path)
    if tidy:
        sweep(path.parent)
    tmp = _write_unnamed(path, data) or _write_named(path, data)
    try:
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def hold_lock(path: Path, blocking: bool = True) -> int | None:
    """Take an exclusive flock on `path` (created 0600 if it can be); None where there are no
    advisory locks, or on a read-only disk where the file was never made (nothing will be
    written there). Raises BlockingIOError when `blocking` is False and another holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks
        return None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise  # e.g. a link planted at its name (ELOOP): never go on unlocked
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except OSError:
        os.close(fd)
        raise
    return fd


def release(fd: int | None) -> None:
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass
