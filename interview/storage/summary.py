"""An interview's sealed summary (STORE/sessions/ID/summary): what a report keeps of it, so the
county table need not decrypt and replay every event of every interview.

    nonce (12) | ciphertext of SUMMARY_BYTES - 28 bytes | tag (16)     the same size for all

Inside: length of the JSON (4) | {"events": N, "last": SHA-256 of the last record, "size":
bytes of the log, "data": ...} | zeros. It is sealed with the interview's data key and its id
and purpose in the associated data, so it opens nowhere else and cannot be altered; its size
says nothing. It is a cache, never the record: it counts only while the interview's
high-water mark still names the same last event and the log is still the same size; an
altered, moved, missing or stale summary means replaying the events, as before it existed.
"""

from __future__ import annotations

import json
import struct

from interview import jsonin
from interview.storage import crypto
from interview.storage.log import FORMAT

SUMMARY_BYTES = 4096  # the largest possible summary of the shipped catalogs is about 2,700
LENGTH = struct.Struct(">I")
ROOM = SUMMARY_BYTES - crypto.NONCE_BYTES - crypto.TAG_BYTES - LENGTH.size  # bytes of JSON


def aad(session_id: str) -> bytes:
    return b"summary\0" + session_id.encode() + b"\0" + str(FORMAT).encode()


def seal(key: bytes, session_id: str, bound: dict) -> bytes:
    """The summary file's bytes. Data too large to fit is left out (an empty summary, which
    means: replay), rather than leaving no file, whose absence would tell a size."""
    payload = json.dumps(bound, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(payload) > ROOM:
        payload = json.dumps({**bound, "data": {}}, separators=(",", ":")).encode("utf-8")
    plain = LENGTH.pack(len(payload)) + payload + bytes(ROOM - len(payload))
    return crypto.seal(key, plain, aad(session_id))


def unseal(key: bytes, session_id: str, sealed: bytes) -> dict:
    """The bound summary; ValueError when it does not verify or is not one."""
    if len(sealed) != SUMMARY_BYTES:
        raise ValueError("not a summary")
    try:
        plain = crypto.open_sealed(key, sealed, aad(session_id))
    except crypto.DecryptionFailed:
        raise ValueError("does not verify") from None
    (length,) = LENGTH.unpack_from(plain)
    bound = jsonin.loads(plain[LENGTH.size:LENGTH.size + length])
    if not isinstance(bound, dict) or not isinstance(bound.get("data"), dict):
        raise ValueError("not a summary")
    return bound
