"""A private cache of the loaded content, so the app's first screen does not wait for YAML.

Loading and validating every flow takes tens of milliseconds plus the YAML and validator
imports; the app's start-up budget is tight (`tui_ratio` in scripts/bench.py). The validated
Library is cached in the user's own cache folder (mode 0700), keyed by the program version, the
county, and the path, size and modification time of every content file, so any edit to a flow
is seen at once. The whole key is kept with the Library and compared when it is loaded; the
file is named by checksums of its place and of the key (a digest would import hashlib: 3 ms of
the first screen). The cache holds content only, never interview data. Anything wrong with it
(missing, stale, unreadable, another version) falls back to loading the YAML.
"""

from __future__ import annotations

import os
import pickle
import re
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
    key: the place, then every file the content is made from, so an edit is seen at once."""
    place = f"{__version__}\0{root.resolve()}\0{county}\n"
    key = [place]
    files = sorted(root.rglob("*.yaml"))
    if county and (county.endswith((".yaml", ".yml")) or "/" in county):
        county_file = Path(county)
        files.append(county_file)
        files += sorted(county_file.resolve().parent.glob("*.yaml"))  # its script, if any
        files += _county_translations(county_file)
    # The pickled model's classes change with the code: a cache from other code is not used.
    files += sorted(Path(m.__file__).parent.glob("*.py"))
    files.append(Path(lazy_dataclass.__file__))  # how they pickle
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        key.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
    return place, "".join(key)


def _checksum(text: str) -> str:
    return f"{zlib.crc32(text.encode()):08x}"


def _county_translations(county_file: Path) -> list[Path]:
    """The files of the county's own translations folder (`translations: DIR`), found without
    parsing YAML (which this module avoids importing): a line `translations: DIR`."""
    try:
        text = county_file.read_text(encoding="utf-8", errors="replace")[:65536]
    except OSError:
        return []
    found = re.search(r"^translations:[ \t]*[\"']?([^\"'#\n]+?)[\"']?[ \t]*(?:#.*)?$", text, re.M)
    if not found:
        return []
    folder = county_file.resolve().parent / found.group(1)
    return sorted(folder.rglob("*.yaml")) if folder.is_dir() else []


def load(county: str | None = None) -> m.Library:
    """The validated Library: from the cache when it is current, else from YAML (then cached).

    Raises ContentError, naming file and line, when the content has problems.
    """
    root = flows_dir()
    place, key = _key(root, county)
    path = cache_dir() / f"library-{_checksum(place)}-{_checksum(key)}.pickle"
    try:
        folder = path.parent.stat()
        if folder.st_uid != os.getuid() or folder.st_mode & 0o077:
            raise PermissionError("the cache folder is not private: not trusted")
        with path.open("rb") as fh:
            cached_key, library = pickle.load(fh)
        if cached_key == key and isinstance(library, m.Library):
            return library
    except Exception:  # noqa: BLE001 - any unusable cache means: load the YAML
        pass
    from interview.content.loader import load_library
    from interview.errors import ContentError

    library, problems = load_library(root, county)
    if problems or library is None:
        raise ContentError(problems)
    _store(path, key, library)
    return library


def _store(path: Path, key: str, library: m.Library) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, library), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _prune(path)
    except OSError:  # a read-only or full disk only costs start-up time
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
