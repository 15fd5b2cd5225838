"""The audit trail: who did what and when, never what was said.

One JSON line per action, numbered, each carrying the SHA-256 of the line before it, so a
removed, edited or reordered line breaks the chain and `csec-interview audit verify` names
where. Anyone can recompute a hash chain, so its head (the number and hash of the last line) is
also kept in the store's sealed state each time a line is added while the store is unlocked: a
trail cut short, rewritten from some line on and re-hashed, or deleted no longer matches it.
Lines added while the store is locked (a wrong passphrase) are anchored by the next unlock.

A line torn by a full disk or a crash (no newline at its end) was never anchored: the next
entry replaces it, and `verify` mentions it rather than calling the chain broken.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from pathlib import Path
from typing import Callable

GENESIS = "0" * 64
TAIL = 1 << 16
TORN_NOTE = ("its last line was cut short (an interrupted write, e.g. a full disk); the next "
             "entry replaces it")


def _digest(prev: str, entry: dict) -> str:
    body = json.dumps({k: v for k, v in entry.items() if k != "hash"}, sort_keys=True)
    return hashlib.sha256((prev + body).encode()).hexdigest()


def _exclusive(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _parse(raw: bytes) -> dict | None:
    try:
        entry = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return entry if isinstance(entry, dict) else None


class AuditLog:
    """`anchor(recent)`: called (under the trail's lock) after each line is written, with the
    entries at the end of the trail that could be read, the new one last."""

    def __init__(self, path: Path, anchor: Callable[[list[dict]], None] | None = None):
        self.path = Path(path)
        self.anchor = anchor

    def _recent(self, fd: int) -> list[dict]:
        """The entries at the end of the trail (up to TAIL bytes); a torn tail is cut off."""
        size = os.fstat(fd).st_size
        start = max(0, size - TAIL)
        tail = os.pread(fd, size - start, start)
        if tail and not tail.endswith(b"\n"):
            cut = tail.rfind(b"\n")
            if cut >= 0 or start == 0:
                os.ftruncate(fd, start + cut + 1)
                tail = tail[:cut + 1]
        lines = tail.splitlines()[1 if start else 0:]  # (the first may be a part of a line)
        return [e for e in map(_parse, lines) if e is not None] if lines else []

    def append(self, action: str, session: str = "", detail: str = "") -> None:
        """Add an entry (best effort: a failure to audit never loses an interview)."""
        from interview.storage.store import now

        try:
            user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name available
            user = "unknown"
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT
                         | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError:
            return
        try:
            _exclusive(fd)  # two programs appending at once must not split the chain
            recent = self._recent(fd)
            last = recent[-1] if recent else {}  # empty, or a damaged tail: `verify` says so
            n = last.get("n") if type(last.get("n")) is int else 0
            prev = str(last.get("hash", GENESIS))
            entry = {"n": n + 1, "at": now(), "user": user, "action": action, "prev": prev}
            if session:
                entry["session"] = session
            if detail:  # what, never content: e.g. the format and parts of an export
                entry["detail"] = detail
            entry["hash"] = _digest(prev, entry)
            line = (json.dumps(entry, sort_keys=True) + "\n").encode()
            if os.write(fd, line) != len(line):
                raise OSError(28, "short write")
            os.fsync(fd)
            if self.anchor is not None:
                self.anchor(recent + [entry])
        except OSError:
            pass
        finally:
            os.close(fd)  # also releases the lock

    def entries(self) -> list[dict]:
        """Every entry that can be read (for display and tests; `verify` judges the trail)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        return [e for e in map(_parse, data.split(b"\n")) if e is not None]

    def verify(self, anchor: dict | None = None) -> tuple[int, str, str]:
        """(entries checked, '' when the trail holds else where it breaks, a note or '').

        `anchor`: the head kept in the store's sealed state, {"n", "hash", "break"}; without it
        only the chain itself is checked (which anyone could have re-hashed).
        """
        recorded = anchor.get("n", 0) if anchor else 0
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            if recorded:
                return 0, (f"audit.log is missing, but {recorded} entries were recorded: the "
                           "trail was deleted"), ""
            return 0, "", ""
        except OSError as exc:
            return 0, f"audit.log cannot be read: {exc.strerror}", ""
        lines = data.split(b"\n")
        torn = lines.pop()  # after the last newline: '' unless the last write was cut short
        prev, hashes = GENESIS, []
        for number, raw in enumerate(lines, 1):
            entry = _parse(raw)
            if entry is None:
                return number - 1, f"line {number} is not a valid entry", ""
            if entry.get("prev") != prev:
                return number - 1, (f"line {number} does not follow line {number - 1}: "
                                    "a line was removed, inserted or reordered"), ""
            if entry.get("hash") != _digest(prev, entry):
                return number - 1, f"line {number} was altered", ""
            if entry.get("n") != number:
                return number - 1, (f"line {number} is numbered {entry.get('n')!r}: lines "
                                    "were removed before it"), ""
            prev = entry["hash"]
            hashes.append(prev)
        count = len(lines)
        if anchor:
            if count < recorded:
                return count, (f"the trail ends after {count} entries, but {recorded} were "
                               "recorded: its last lines were removed"), ""
            if recorded and hashes[recorded - 1] != anchor.get("hash"):
                return count, (f"entry {recorded} is not the one recorded: the trail was "
                               "rewritten"), ""
            if anchor.get("break"):
                return count, anchor["break"], ""
        notes = []
        if anchor and count > recorded:
            notes.append(f"the last {count - recorded} not yet anchored (made while the store "
                         "was locked, or its state could not be written)")
        if torn:
            notes.append(TORN_NOTE)
        return count, "", "; ".join(notes)
