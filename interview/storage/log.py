"""One session's events log on disk: a header line, then one padded, sealed record per event.

    {"format": 2, "session": ID, "meta": SEALED}\\n      the flow and creation time, sealed and
                                                       padded to META_BYTES: the same length
                                                       for every session
    length (4) | nonce (12) | ciphertext | tag (16)    one per event; the whole record is one
                                                       of BUCKETS bytes long

Inside a record: answered (2) | length of the event's JSON (4) | the JSON | zeros to the
bucket. The clear length says only which bucket; the position (not stored: the record's place
in the file) is in the associated data, so a record moved, removed, repeated or copied from
another session does not verify. Nothing else is in the clear.
"""

from __future__ import annotations

import json
import struct

from interview import jsonin
from interview.storage import crypto
from interview.storage.errors import EventTooLarge, StorageError, Tampered

FORMAT = 2
LENGTH = struct.Struct(">I")
PLAIN_HEAD = struct.Struct(">HI")   # answered so far, length of the event's JSON
POSITION = struct.Struct(">I")
# What a record takes on disk. The smallest holds any yes/no/unsure/declined answer with a note
# of a few hundred characters, so the answers the youth gives leave no trace in the sizes;
# a longer note shows only which power of two its length falls under.
BUCKETS = tuple(512 << i for i in range(8))            # 512 B ... 64 KiB
OVERHEAD = LENGTH.size + crypto.NONCE_BYTES + crypto.TAG_BYTES + PLAIN_HEAD.size
MAX_EVENT = BUCKETS[-1] - OVERHEAD                      # bytes of one event's JSON
META_BYTES = 256
META_LENGTH = struct.Struct(">H")
TORN = "an incomplete last record (from an interruption) was dropped"
OLD_FORMAT = ("{path} holds saved interviews in format {found}, from a pre-release version of "
              "csec-interview; this version reads format 2 only (padded records, the flow "
              "sealed, a high-water mark per interview). Open it with the version that made it "
              "to finish or export its interviews, then move the folder aside: this version "
              "then starts a new store there.")


def encode(event: dict) -> bytes:
    """The event as stored, refused when no record can hold it (nothing is written then)."""
    payload = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(payload) > MAX_EVENT:
        kind = event.get("type", "event")
        what = (f"the answer to {event.get('step')}" if kind in ("answer", "edit")
                else f"the note on {event.get('value')}" if kind == "observe"
                else f"this {kind}")
        raise EventTooLarge(
            f"{what} is too long to save: {len(payload):,} bytes once encoded, and one answer "
            f"or note holds at most {MAX_EVENT:,} (about {MAX_EVENT // 4:,} characters in any "
            "language): shorten it, or split it over several notes")
    return payload


def event_aad(session_id: str, position: int) -> bytes:
    return b"event\0" + session_id.encode() + b"\0" + POSITION.pack(position)


def meta_aad(session_id: str) -> bytes:
    return b"meta\0" + session_id.encode() + b"\0" + str(FORMAT).encode()


def seal_record(key: bytes, session_id: str, position: int, answered: int,
                payload: bytes) -> bytes:
    need = len(payload) + OVERHEAD
    bucket = next(b for b in BUCKETS if b >= need)  # `encode` made sure one fits
    plain = PLAIN_HEAD.pack(min(answered, 0xFFFF), len(payload)) + payload + bytes(bucket - need)
    sealed = crypto.seal(key, plain, event_aad(session_id, position))
    return LENGTH.pack(len(sealed)) + sealed


def open_record(key: bytes, session_id: str, position: int, record: bytes) -> tuple[int, dict]:
    """(answered, event) of a whole record; Tampered when it does not verify."""
    try:
        plain = crypto.open_sealed(key, record[LENGTH.size:], event_aad(session_id, position))
        answered, length = PLAIN_HEAD.unpack_from(plain)
        payload = plain[PLAIN_HEAD.size:PLAIN_HEAD.size + length]
        if len(payload) != length:
            raise ValueError("short payload")
        event = jsonin.loads(payload)
        if not isinstance(event, dict):
            raise ValueError("not an event")
    except (crypto.DecryptionFailed, ValueError, struct.error):
        raise Tampered(f"session {session_id}: record {position} does not verify; the file "
                       "was altered or damaged (the other sessions are not affected)",
                       part=f"record {position}") from None
    return answered, event


def header(key: bytes, session_id: str, flow: str, created: str) -> bytes:
    meta = json.dumps({"flow": flow, "created": created}).encode("utf-8")
    if len(meta) + META_LENGTH.size > META_BYTES:
        raise StorageError(f"flow id {flow!r} is too long to be saved")
    plain = META_LENGTH.pack(len(meta)) + meta + bytes(META_BYTES - META_LENGTH.size - len(meta))
    sealed = crypto.seal(key, plain, meta_aad(session_id))
    return json.dumps({"format": FORMAT, "session": session_id,
                       "meta": crypto.b64(sealed)}).encode("ascii") + b"\n"


def parse_header(data: bytes, session_id: str, path) -> tuple[bytes, int]:
    """(the sealed meta, offset of the first record) of a log's bytes."""
    newline = data.find(b"\n")
    if newline < 0:
        raise Tampered(f"{path}: the session file has no header; it is damaged")
    try:
        head = jsonin.loads(data[:newline])
    except ValueError:
        raise Tampered(f"{path}: the session file's header is damaged") from None
    if not isinstance(head, dict):
        raise Tampered(f"{path}: the session file's header is damaged")
    if head.get("format") != FORMAT:
        if head.get("format") == 1:
            raise StorageError(OLD_FORMAT.format(path=path, found=1))
        raise Tampered(f"{path}: the session file's header is damaged")
    if head.get("session") != session_id:
        raise Tampered(f"{path}: the session file belongs to another session; it was moved "
                       "or altered")
    try:
        meta = crypto.unb64(head["meta"])
    except (KeyError, ValueError, AttributeError, TypeError):
        raise Tampered(f"{path}: the session file's header is damaged") from None
    return meta, newline + 1


def open_meta(key: bytes, session_id: str, sealed: bytes) -> tuple[str, str]:
    """(flow, created) from the header's sealed meta."""
    try:
        plain = crypto.open_sealed(key, sealed, meta_aad(session_id))
        (length,) = META_LENGTH.unpack_from(plain)
        meta = jsonin.loads(plain[META_LENGTH.size:META_LENGTH.size + length])
        return str(meta["flow"]), str(meta["created"])
    except (crypto.DecryptionFailed, ValueError, KeyError, TypeError, struct.error):
        raise Tampered(f"session {session_id}: its header does not verify; the file was "
                       "altered or damaged (the other sessions are not affected)",
                       part="its header") from None


def split_records(data: bytes, start: int, path) -> tuple[list[bytes], int, str]:
    """(whole records, offset after the last whole one, TORN when a torn tail was left out)."""
    records, offset = [], start
    while offset < len(data):
        if len(data) - offset < LENGTH.size:
            return records, offset, TORN
        (length,) = LENGTH.unpack_from(data, offset)
        size = LENGTH.size + length
        if size not in BUCKETS:
            raise Tampered(f"{path}: record {len(records)} (at byte {offset}) has an impossible "
                           "length; the file was altered or damaged")
        if offset + size > len(data):
            return records, offset, TORN
        records.append(data[offset:offset + size])
        offset += size
    return records, offset, ""
