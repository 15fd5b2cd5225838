"""The audit trail: who did what and when, never what was said.

One JSON line per action, each carrying the SHA-256 of the line before it, so a removed,
edited or reordered line breaks the chain and `csec-interview audit verify` names where.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from pathlib import Path

GENESIS = "0" * 64
ACTIONS = ("store_created", "unlocked", "wrong_passphrase", "locked", "passphrase_changed",
           "created", "resumed", "reviewed", "exported", "deleted")


def _digest(prev: str, entry: dict) -> str:
    body = json.dumps({k: v for k, v in entry.items() if k != "hash"}, sort_keys=True)
    return hashlib.sha256((prev + body).encode()).hexdigest()


def _exclusive(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def _last_hash(self) -> str:
        try:
            with self.path.open("rb") as fh:
                fh.seek(0, os.SEEK_END)
                size = fh.tell()
                fh.seek(max(0, size - 4096))
                lines = fh.read().splitlines()
            return json.loads(lines[-1])["hash"] if lines else GENESIS
        except FileNotFoundError:
            return GENESIS
        except (ValueError, KeyError, IndexError):
            return GENESIS  # a damaged tail: `audit verify` will say so

    def append(self, action: str, session: str = "", detail: str = "") -> None:
        """Add an entry (best effort: a failure to audit never loses an interview)."""
        from interview.storage.store import now

        try:
            user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name available
            user = "unknown"
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError:
            return
        try:
            _exclusive(fd)  # two programs appending at once must not split the chain
            entry = {"at": now(), "user": user, "action": action, "prev": self._last_hash()}
            if session:
                entry["session"] = session
            if detail:  # what, never content: e.g. the format and parts of an export
                entry["detail"] = detail
            entry["hash"] = _digest(entry["prev"], entry)
            os.write(fd, (json.dumps(entry, sort_keys=True) + "\n").encode())
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)  # also releases the lock

    def entries(self) -> list[dict]:
        try:
            return [json.loads(line) for line in self.path.read_text().splitlines() if line]
        except FileNotFoundError:
            return []

    def verify(self) -> tuple[int, str]:
        """(entries checked, '' when the chain holds, else where it breaks)."""
        try:
            lines = self.path.read_text().splitlines()
        except FileNotFoundError:
            return 0, ""
        prev = GENESIS
        for number, line in enumerate(lines, 1):
            try:
                entry = json.loads(line)
            except ValueError:
                return number - 1, f"line {number} is not a valid entry"
            if entry.get("prev") != prev:
                return number - 1, (f"line {number} does not follow line {number - 1}: "
                                    "a line was removed, inserted or reordered")
            if entry.get("hash") != _digest(prev, entry):
                return number - 1, f"line {number} was altered"
            prev = entry["hash"]
        return len(lines), ""
