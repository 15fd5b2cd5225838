"""A private cache of the loaded content, so the app's first screen does not wait for YAML.

Loading and validating every flow takes tens of milliseconds plus the YAML and validator
imports; the app's start-up budget is tight (`tui_ratio` in scripts/bench.py). The validated
Library is cached in the user's own cache folder (mode 0700), keyed by the program version, the
county, and the path, size and modification time of every content file, so any edit to a flow
is seen at once. The key is what the loader read: every file of the content folder and the
county file (known before loading), and what the county file led it to read wherever it points
(its confidentiality script, every file and folder of its translations: `_read_for`, taken from
the loaded county, so no YAML is parsed here to guess it). The whole key is kept with the
Library and compared when it is loaded; the file is named by checksums of its place and of the
key (a digest would import hashlib: 3 ms of the first screen). The cache holds content only,
never interview data. Anything wrong with it (missing, stale, unreadable, another version)
falls back to loading the YAML. It is read and written only in a folder that is the user's own
and private, and written with a new file (never through a name someone else planted)."""

from __future__ import annotations

import os
import pickle
import stat
import time
import zlib
from pathlib import Path

from interview import __version__, lazy_dataclass
from interview.content import model as m
from interview.paths import flows_dir


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "csec-interview"


def _key(root: Path, county: str | None) -> tuple[str, str]:
    """(place, key): which content (the program's version, the folder, the county), and the
    key: the place, then every file the content is made from that is known before loading, so
    an edit is seen at once (what the county file points at is checked by `_read_for`)."""
    county_file = None
    if county and (county.endswith((".yaml", ".yml")) or "/" in county):
        county_file = Path(county).resolve()
        county = str(county_file)  # the same name from another folder is another county
    place = f"{__version__}\0{root.resolve()}\0{county}\n"
    key = [place]
    files = sorted(root.rglob("*.yaml"))  # a new file (a flow, a part) changes the list
    if county_file is not None:
        files.append(county_file)
    # The pickled model's classes change with the code: a cache from other code is not used.
    files += sorted(Path(m.__file__).parent.glob("*.py"))
    files.append(Path(lazy_dataclass.__file__))  # how they pickle
    key += _stats(files)
    return place, "".join(key)


def _stats(files) -> list[str]:
    """A line per file or folder: its path, size and modification time (or that it is gone)."""
    lines = []
    for path in files:
        try:
            found = path.stat()
        except OSError:
            lines.append(f"{path}\0gone\n")
            continue
        lines.append(f"{path}\0{found.st_size}\0{found.st_mtime_ns}\n")
    return lines


def _read_for(root: Path, county: m.County) -> list[Path]:
    """What loading read because the county file pointed at it, wherever it points, outside the
    content folder (whose files are in the key already): the county file, its confidentiality
    script, and its translations folder with every file and folder in it (a file added or
    removed there changes the list)."""
    files = [Path(p) for p in (county.path, county.confidentiality_script) if p is not None]
    if county.translations is not None:
        folder = Path(county.translations)
        files.append(folder)
        files += sorted(folder.rglob("*"))
    inside = str(root.resolve()) + os.sep
    return [p for p in files if not str(p.resolve()).startswith(inside)]


def _checksum(text: str) -> str:
    return f"{zlib.crc32(text.encode()):08x}"


def load(county: str | None = None) -> m.Library:
    """The validated Library: from the cache when it is current, else from YAML (then cached).

    Raises ContentError, naming file and line, when the content has problems.
    """
    root = flows_dir()
    place, key = _key(root, county)
    path = cache_dir() / f"library-{_checksum(place)}-{_checksum(key)}.pickle"
    try:
        if not _private(path.parent):
            raise PermissionError("the cache folder is not private: not trusted")
        with path.open("rb") as fh:
            cached_key, library = pickle.load(fh)
        if cached_key.startswith(key) and isinstance(library, m.Library) and \
                cached_key == key + "".join(_stats(_read_for(root, library.county))):
            return library
    except Exception:  # noqa: BLE001 - any unusable cache means: load the YAML
        pass
    from interview.content.loader import load_library
    from interview.errors import ContentError

    started = time.time_ns()
    library, problems = load_library(root, county)
    if problems or library is None:
        raise ContentError(problems)
    read = _stats(_read_for(root, library.county))
    # What the county file pointed at was looked at after it was read: if it may have changed
    # while it was being read, the cache could keep the old text under the new time. Not cached.
    if not any(int(line.rsplit("\0", 1)[1]) > started - SETTLE_NS for line in read
               if not line.endswith("\0gone\n")):
        _store(path, (key + "".join(read), library))
    return library


# A file changed this recently may have changed while it was read (and file times are coarse
# on some disks): the content is loaded from it, not cached.
SETTLE_NS = 2_000_000_000


def _private(folder: Path) -> bool:
    """The cache folder is a folder of this user's that no one else may write to (or read)."""
    try:
        found = folder.stat()
    except OSError:
        return False
    return stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid() and \
        not found.st_mode & 0o077


def _store(path: Path, content: tuple) -> None:
    """Write the cache only where `load` would read it (a private folder of this user's), into
    a new file of its own: O_EXCL and O_NOFOLLOW, so a link planted at the name is not
    followed and nothing but a new file is ever written."""
    tmp = path.with_suffix(f".{os.getpid()}-{os.urandom(6).hex()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(path.parent):
            return  # another user's folder, or one others can write to: not used at all
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError:  # a read-only disk, a name already taken: only costs start-up time
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(content, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _prune(path)
    except OSError:  # a full disk only costs start-up time
        try:
            tmp.unlink(missing_ok=True)  # no half-written file left behind
        except OSError:
            pass


# Caches kept at once: one per place (a county, a checkout) used lately, so two counties or
# two installs on one computer do not throw each other's cache away at every start.
KEPT = 8


def _prune(current: Path) -> None:
    """Drop the place's older caches (stale: their files changed), then the least recently
    written beyond KEPT."""
    place = current.name.split("-")[1]
    others = []
    for old in current.parent.glob("library-*.pickle"):
        if old == current:
            continue
        if old.name.split("-")[1:2] == [place]:
            old.unlink(missing_ok=True)
        else:
            try:
                others.append((old.stat().st_mtime_ns, old))
            except OSError:
                continue
    for _, old in sorted(others, reverse=True)[KEPT - 1:]:
        old.unlink(missing_ok=True)
