"""The encrypted session store: durable, private, and honest about what went wrong.

Layout (every folder 0700, every file 0600):

    STORE/store.json              KDF parameters and salt, the wrapped store key
    STORE/audit.log               who did what and when, hash-chained, no answer content
    STORE/sessions/ID/key         the session's data key, wrapped by the store key
    STORE/sessions/ID/events.log  a plaintext header line (format, id, flow, created), then
                                  one record per event:
                                  length (4) | seq (4) | answered (2) | nonce | ciphertext+tag
    STORE/sessions/ID/lock        held (flock) while a session is open for writing

An event is acknowledged only after its record is written in one write() and fsync()ed, so a
crash loses at most an event that was never acknowledged. A torn last record (the crash came
mid-write) is recognised by its length and dropped on the next open; a complete record that
does not decrypt, or a gap in the sequence, is tampering and is reported, and the other
sessions still open. Nothing that identifies a child or records an answer is written in the
clear: the header holds the flow's id and the creation time only.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import secrets
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from interview.errors import InterviewError
from interview.storage import crypto

FORMAT = 1
RECORD_HEAD = struct.Struct(">IIH")  # length of the rest, seq, answered
LENGTH = struct.Struct(">I")
MAX_RECORD = 1 << 20
MAX_SCRYPT_N = 1 << 20  # 1 GiB at r=8: a larger N in store.json is damage, not a choice


class StorageError(InterviewError):
    """Anything about the store a person must know, said plainly."""


class WrongPassphrase(StorageError):
    pass


class Tampered(StorageError):
    pass


class SessionBusy(StorageError):
    pass


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def default_store_dir() -> Path:
    """The user's data folder, by platform convention (CSEC_INTERVIEW_STORE overrides it)."""
    override = os.environ.get("CSEC_INTERVIEW_STORE")
    if override:
        return Path(override)
    home = Path(os.path.expanduser("~"))
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "csec-interview"
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", home)) / "csec-interview"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "csec-interview"


def explain(exc: OSError, what: str) -> StorageError:
    """An OSError as a sentence that names the thing and what to do."""
    reasons = {
        errno.ENOSPC: "the disk is full: free some space",
        errno.EDQUOT: "the disk quota is used up: free some space",
        errno.EROFS: "the disk is read-only: choose another folder with --store",
        errno.EACCES: "permission denied: check who owns the folder, or choose another with --store",
        errno.EPERM: "permission denied: check who owns the folder, or choose another with --store",
        errno.EIO: "the disk reported an input/output error: check the disk",
    }
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return StorageError(f"could not {what}: {reason}")


def _fsync_dir(path: Path) -> None:
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write a small file so that it is either the old or the new one, never half of each."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            if os.write(fd, data) != len(data):
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _check_n(n: int) -> None:
    if type(n) is not int or not 2 <= n <= MAX_SCRYPT_N or n & (n - 1):
        raise StorageError(f"the key derivation's N must be a power of two up to {MAX_SCRYPT_N}")


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)


@dataclass(frozen=True)
class SessionInfo:
    """What the list shows before unlocking: no names, no answer text."""

    id: str
    flow: str
    created: str
    updated: str
    events: int
    answered: int
    problem: str = ""

    def as_json(self) -> dict:
        out = {"id": self.id, "flow": self.flow, "created": self.created,
               "updated": self.updated, "events": self.events, "answered": self.answered}
        if self.problem:
            out["problem"] = self.problem
        return out


@dataclass(frozen=True)
class Record:
    seq: int
    answered: int
    sealed: bytes


def read_log(path: Path) -> tuple[dict, list[Record], int, str]:
    """Parse an events log: (header, records, offset of the end of the last whole record,
    a note about a torn tail or '')."""
    with path.open("rb") as fh:
        data = fh.read()
    newline = data.find(b"\n")
    if newline < 0:
        raise Tampered(f"{path}: the session file has no header; it is damaged")
    try:
        header = json.loads(data[:newline])
    except ValueError:
        raise Tampered(f"{path}: the session file's header is damaged") from None
    if not isinstance(header, dict):
        raise Tampered(f"{path}: the session file's header is damaged")
    records, offset, note = [], newline + 1, ""
    while offset < len(data):
        if len(data) - offset < LENGTH.size:
            note = "an incomplete last record (from an interruption) was dropped"
            break
        (length,) = LENGTH.unpack_from(data, offset)
        if length > MAX_RECORD or length < RECORD_HEAD.size - LENGTH.size:
            raise Tampered(f"{path}: a record at byte {offset} has an impossible length; "
                           "the file was altered or damaged")
        end = offset + LENGTH.size + length
        if end > len(data):
            note = "an incomplete last record (from an interruption) was dropped"
            break
        _, seq, answered = RECORD_HEAD.unpack_from(data, offset)
        if seq != len(records):
            raise Tampered(f"{path}: record {len(records)} is numbered {seq}; records were "
                           "removed, repeated or reordered")
        records.append(Record(seq, answered, data[offset + RECORD_HEAD.size:end]))
        offset = end
    return header, records, offset, note


def _hold_lock(folder: Path, session_id: str) -> int | None:
    """Take the session's lock (flock), or say that another window or program has it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks
        return None
    fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise SessionBusy(f"session {session_id} is open in another window or program; "
                          "close it there first") from None
    return fd


def event_aad(session_id: str, seq: int, answered: int) -> bytes:
    return b"event\0" + session_id.encode() + RECORD_HEAD.pack(0, seq, answered)[4:]


class SessionLog:
    """An open session's events log: append one event durably, or read them all back."""

    def __init__(self, store: "Store", session_id: str, data_key: bytes, writable: bool):
        self.store = store
        self.id = session_id
        self.folder = store.sessions_dir / session_id
        self.path = self.folder / "events.log"
        self.key = data_key
        self.fd: int | None = None
        self.lock_fd: int | None = None
        if writable:  # lock before reading: what is read must be what the next record follows
            self._lock()
        try:
            header, records, end, self.recovered = read_log(self.path)
            self.flow = header.get("flow", "")
            self.created = header.get("created", "")
            self.events = [self._decrypt(r) for r in records]
        except BaseException:
            self.close()
            raise
        self.count = len(records)
        if writable:
            try:
                self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
                if self.recovered:  # drop the torn tail so the next record follows a whole one
                    os.truncate(self.path, end)
                    os.fsync(self.fd)
            except OSError as exc:
                self.close()
                raise explain(exc, f"open session {session_id} for writing") from None

    def _decrypt(self, record: Record) -> dict:
        try:
            plain = crypto.open_sealed(self.key, record.sealed,
                                       event_aad(self.id, record.seq, record.answered))
        except crypto.DecryptionFailed:
            raise Tampered(f"session {self.id}: record {record.seq} does not verify; the file "
                           "was altered or damaged (the other sessions are not affected)") from None
        return json.loads(plain)

    def _lock(self) -> None:
        self.lock_fd = _hold_lock(self.folder, self.id)

    def append(self, event: dict, answered: int = 0) -> None:
        """Write one event and fsync it; only when this returns is the event acknowledged."""
        if self.fd is None:
            raise StorageError(f"session {self.id} is open read-only")
        seq = self.count
        sealed = crypto.seal(self.key, json.dumps(event, ensure_ascii=False).encode("utf-8"),
                             event_aad(self.id, seq, answered))
        record = RECORD_HEAD.pack(RECORD_HEAD.size - LENGTH.size + len(sealed), seq,
                                  min(answered, 0xFFFF)) + sealed
        size = os.fstat(self.fd).st_size
        try:
            written = os.write(self.fd, record)
            if written != len(record):
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(self.fd)
        except OSError as exc:
            try:  # leave the log ending on a whole record
                os.ftruncate(self.fd, size)
            except OSError:
                pass
            raise explain(exc, "save the last answer") from None
        self.count += 1
        self.events.append(event)

    def close(self) -> None:
        for fd in (self.fd, self.lock_fd):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.fd = self.lock_fd = None


class Store:
    """One store: locked (list only) until `unlock`, then sessions can be read and written."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.sessions_dir = self.path / "sessions"
        self.store_key: bytes | None = None
        from interview.storage.audit import AuditLog

        self.audit = AuditLog(self.path / "audit.log")

    # --- opening ------------------------------------------------------------------------------

    @staticmethod
    def exists(path: Path) -> bool:
        return (Path(path) / "store.json").is_file()

    @classmethod
    def create(cls, path: Path, passphrase: str, n: int = crypto.SCRYPT_N) -> "Store":
        if not passphrase or len(passphrase) < 8:
            raise StorageError("choose a passphrase of at least 8 characters")
        _check_n(n)
        store = cls(path)
        if cls.exists(path):
            raise StorageError(f"{path} already holds a store; open it instead")
        try:
            _private_dir(store.path)
            _private_dir(store.sessions_dir)
            store_key, salt = crypto.new_key(), crypto.new_salt()
            kek = crypto.derive(passphrase, salt, n=n)
            write_atomic(store.path / "store.json", json.dumps({
                "format": FORMAT,
                "kdf": {"name": "scrypt", "n": n, "r": crypto.SCRYPT_R, "p": crypto.SCRYPT_P,
                        "salt": crypto.b64(salt)},
                "store_key": crypto.b64(crypto.seal(kek, store_key, b"store-key")),
                "created": now(),
            }, indent=1).encode())
        except OSError as exc:
            raise explain(exc, f"create the store in {path}") from None
        store.store_key = store_key
        store.audit.append("store_created")
        return store

    def _config(self) -> dict:
        try:
            config = json.loads((self.path / "store.json").read_text())
            kdf = config["kdf"]
            n, r, p = kdf["n"], kdf["r"], kdf["p"]
            if not all(type(v) is int for v in (n, r, p)) or not (
                    2 <= n <= MAX_SCRYPT_N and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
                raise ValueError("impossible KDF parameters")
            return {**config, "kdf": {**kdf, "salt": crypto.unb64(kdf["salt"])},
                    "store_key": crypto.unb64(config["store_key"])}
        except FileNotFoundError:
            raise StorageError(f"no store in {self.path}; one is created the first time you "
                               "start an interview (or `run`)") from None
        except OSError as exc:
            raise explain(exc, f"read {self.path / 'store.json'}") from None
        except (ValueError, KeyError, TypeError, AttributeError):
            raise Tampered(f"{self.path / 'store.json'} is damaged; restore it from a backup") from None

    def unlock(self, passphrase: str) -> None:
        """Derive the key and unwrap the store key; a wrong passphrase changes nothing."""
        config = self._config()
        kdf = config["kdf"]
        kek = crypto.derive(passphrase, kdf["salt"], n=kdf["n"], r=kdf["r"], p=kdf["p"])
        try:
            self.store_key = crypto.open_sealed(kek, config["store_key"], b"store-key")
        except crypto.DecryptionFailed:
            raise WrongPassphrase("wrong passphrase: nothing was opened or changed") from None

    def lock(self) -> None:
        self.store_key = None

    def change_passphrase(self, old: str, new: str, n: int | None = None) -> None:
        """Re-wrap the store key under a new passphrase; sessions are not re-encrypted."""
        if not new or len(new) < 8:
            raise StorageError("choose a passphrase of at least 8 characters")
        self.unlock(old)
        config = json.loads((self.path / "store.json").read_text())
        salt = crypto.new_salt()
        n = n or config["kdf"]["n"]
        _check_n(n)
        kek = crypto.derive(new, salt, n=n)
        config["kdf"] = {**config["kdf"], "n": n, "salt": crypto.b64(salt)}
        config["store_key"] = crypto.b64(crypto.seal(kek, self.store_key, b"store-key"))
        try:
            write_atomic(self.path / "store.json", json.dumps(config, indent=1).encode())
        except OSError as exc:
            raise explain(exc, "save the new passphrase (the old one still works)") from None
        self.audit.append("passphrase_changed")

    def _require_unlocked(self) -> bytes:
        if self.store_key is None:
            raise StorageError("the store is locked: unlock it with the passphrase first")
        return self.store_key

    # --- sessions -----------------------------------------------------------------------------

    def session_ids(self) -> list[str]:
        """The id of every session with an events log, in no particular order."""
        if not self.sessions_dir.is_dir():
            return []
        return [f.name for f in self.sessions_dir.iterdir() if (f / "events.log").is_file()]

    def list(self) -> list[SessionInfo]:
        """Every session, newest change first; a damaged one is listed with its problem."""
        out = []
        for session_id in self.session_ids():
            folder = self.sessions_dir / session_id
            log = folder / "events.log"
            try:
                header, records, _, note = read_log(log)
                updated = dt.datetime.fromtimestamp(log.stat().st_mtime, dt.timezone.utc)
                out.append(SessionInfo(
                    folder.name, header.get("flow", "?"), header.get("created", "?"),
                    updated.isoformat(timespec="seconds"), len(records),
                    records[-1].answered if records else 0, note))
            except StorageError as exc:
                out.append(SessionInfo(folder.name, "?", "?", "?", 0, 0, str(exc)))
            except OSError as exc:
                out.append(SessionInfo(folder.name, "?", "?", "?", 0, 0, explain(exc, "read it").args[0]))
        return sorted(out, key=lambda s: s.updated, reverse=True)

    def _data_key(self, session_id: str) -> bytes:
        store_key = self._require_unlocked()
        folder = self.sessions_dir / session_id
        if not session_id or "/" in session_id or not folder.is_dir():
            raise StorageError(f"no session {session_id!r} in this store; "
                               "`csec-interview sessions list` shows them")
        try:
            wrapped = crypto.unb64((folder / "key").read_text().strip())
            return crypto.open_sealed(store_key, wrapped, b"session-key\0" + session_id.encode())
        except FileNotFoundError:
            raise StorageError(f"session {session_id} was deleted: its key is gone") from None
        except (ValueError, crypto.DecryptionFailed):
            raise Tampered(f"session {session_id}: its key does not verify; the file was "
                           "altered or damaged") from None

    def create_session(self, flow_id: str) -> SessionLog:
        store_key = self._require_unlocked()
        session_id = secrets.token_hex(8)
        folder = self.sessions_dir / session_id
        data_key = crypto.new_key()
        try:
            _private_dir(folder)
            wrapped = crypto.seal(store_key, data_key, b"session-key\0" + session_id.encode())
            write_atomic(folder / "key", crypto.b64(wrapped).encode())
            header = {"format": FORMAT, "session": session_id, "flow": flow_id, "created": now()}
            write_atomic(folder / "events.log", json.dumps(header).encode() + b"\n")
            _fsync_dir(self.sessions_dir)
        except OSError as exc:
            raise explain(exc, "create a new session") from None
        self.audit.append("created", session_id)
        return SessionLog(self, session_id, data_key, writable=True)

    def open_session(self, session_id: str, writable: bool = True) -> SessionLog:
        log = SessionLog(self, session_id, self._data_key(session_id), writable=writable)
        if writable:
            self.audit.append("resumed", session_id)
        return log

    def delete_session(self, session_id: str) -> None:
        """Destroy the session's key first: without it the events cannot be read by anyone."""
        self._require_unlocked()  # a damaged session can be deleted too, but only when unlocked
        folder = self.sessions_dir / session_id
        if not session_id or "/" in session_id or not folder.is_dir():
            raise StorageError(f"no session {session_id!r} in this store; "
                               "`csec-interview sessions list` shows them")
        holder = _hold_lock(folder, session_id)  # not while another window is writing it
        key = folder / "key"
        try:
            size = key.stat().st_size
            with key.open("r+b") as fh:  # overwrite, then remove
                fh.write(os.urandom(size))
                fh.flush()
                os.fsync(fh.fileno())
            key.unlink()
            _fsync_dir(folder)
            for child in folder.iterdir():
                child.unlink()
            folder.rmdir()
            _fsync_dir(self.sessions_dir)
        except OSError as exc:
            raise explain(exc, f"delete session {session_id}") from None
        finally:
            if holder is not None:
                os.close(holder)
        self.audit.append("deleted", session_id)
