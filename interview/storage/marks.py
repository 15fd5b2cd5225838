"""Each session's high-water mark: how many events were acknowledged, and the digest of the
last, kept outside the session's folder (STORE/marks/ID) and sealed with its data key.

A copy of the folder from a backup, or a log with events cut off its end, no longer matches
it. It is written after each record is on disk and before the event is acknowledged, so the
log holds at least as many records as the mark says (one more when the program was stopped
between the two; more while another window is writing, which is why a reader reads the mark
first). Two slots, in separate disk blocks, are written in turn; the newer valid one counts,
so a write torn by a power cut leaves the other.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from interview.storage import crypto
from interview.storage.errors import Tampered
from interview.storage.files import write_atomic

MARK = struct.Struct(">I32s")  # events acknowledged, SHA-256 of the last record
SLOTS = (0, 4096)
SLOT_BYTES = crypto.NONCE_BYTES + MARK.size + crypto.TAG_BYTES
NOTHING = bytes(32)


def digest(record: bytes) -> bytes:
    import hashlib  # here: it costs the app's first screen 3 ms (OpenSSL's digests)

    return hashlib.sha256(record).digest()


def _aad(session_id: str, slot: int) -> bytes:
    return b"mark\0" + session_id.encode() + b"\0" + bytes([slot])


def _slot(key: bytes, session_id: str, count: int, last: bytes) -> bytes:
    return crypto.seal(key, MARK.pack(count, last), _aad(session_id, count % 2))


def create(path: Path, key: bytes, session_id: str) -> None:
    """A new session's mark: nothing acknowledged yet, in both slots."""
    first = _slot(key, session_id, 0, NOTHING)
    second = crypto.seal(key, MARK.pack(0, NOTHING), _aad(session_id, 1))
    write_atomic(path, first + bytes(SLOTS[1] - len(first)) + second)


def read(path: Path, key: bytes, session_id: str) -> tuple[int, bytes] | None:
    """(events acknowledged, digest of the last record), or None when there is no mark."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        data = b""
    return parse(data, key, session_id)


def parse(data: bytes, key: bytes, session_id: str) -> tuple[int, bytes]:
    """(events acknowledged, digest of the last record) of a mark file's bytes; Tampered when
    neither slot verifies."""
    best = None
    for slot, offset in enumerate(SLOTS):
        try:
            plain = crypto.open_sealed(key, data[offset:offset + SLOT_BYTES],
                                       _aad(session_id, slot))
        except crypto.DecryptionFailed:
            continue
        count, last = MARK.unpack(plain)
        if count % 2 == slot and (best is None or count > best[0]):
            best = (count, last)
    if best is None:
        raise Tampered(f"session {session_id}: its high-water mark (marks/{session_id}) does "
                       "not verify; it was altered or damaged")
    return best


def update(fd: int, key: bytes, session_id: str, count: int, last: bytes) -> None:
    """Record `count` events acknowledged, the last with digest `last` (durably)."""
    data = _slot(key, session_id, count, last)
    if os.pwrite(fd, data, SLOTS[count % 2]) != len(data):
        raise OSError(28, "short write")  # ENOSPC
    getattr(os, "fdatasync", os.fsync)(fd)  # in place, the same size: the data is what counts
