"""The encrypted session store: durable, private, and honest about what went wrong.

Layout (every folder 0700, every file 0600; docs/security.md says what each part defends):

    STORE/store.json              KDF parameters and salt, the wrapped store key (and, only
                                  while a passphrase change is being finished, the old one)
    STORE/state                   sealed by the store key: deleted sessions, the audit head
    STORE/audit.log               who did what and when, hash-chained, no answer content
    STORE/lock                    held (flock) while the state or the store key changes
    STORE/marks/ID                the session's high-water mark (marks.py)
    STORE/sessions/ID/key         the session's data key, wrapped by the store key
    STORE/sessions/ID/events.log  a header with the flow sealed, then one padded record per
                                  event (log.py)
    STORE/sessions/ID/lock        held (flock) while a session is open for writing
    STORE/sessions/ID/summary     what the county table keeps of it, sealed, one size for all,
                                  valid only while the log is unchanged (summary.py)

An event is acknowledged only after its record is written in one write() and fsync()ed, the
file is checked to be still in its folder, and the session's mark is updated and fsynced, so a
crash loses at most an event that was never acknowledged. A torn last record (the crash came
mid-write) is dropped on the next open; a record that does not verify, a log shorter than its
mark, or an older copy of it is reported, and the other sessions still open. Nothing is in the
clear but the format, the session id, and sizes that depend on no answer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import sys
from pathlib import Path

from interview.lazy_dataclass import dataclass
from interview.storage import crypto, log as logfmt, marks, summary
from interview.storage.errors import (EventTooLarge, SessionBusy, StorageError, Tampered,
                                      WrongPassphrase, check_new_passphrase)
from interview.storage.files import (DELETE, explain, fsync_dir, hold_lock, private_dir,
                                     release, write_atomic)
from interview.storage.log import FORMAT, TORN

__all__ = ["Store", "SessionLog", "SessionInfo", "StorageError", "WrongPassphrase", "Tampered",
           "SessionBusy", "EventTooLarge", "explain", "write_atomic", "default_store_dir",
           "now", "TORN", "FORMAT"]

MAX_SCRYPT_N = 1 << 20  # 1 GiB at r=8: a larger N in store.json is damage, not a choice
KEY_ID_BYTES = 8


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


def _check_n(n: int) -> None:
    if type(n) is not int or not 2 <= n <= MAX_SCRYPT_N or n & (n - 1):
        raise StorageError(f"the key derivation's N must be a power of two up to {MAX_SCRYPT_N}")


def _store_key_aad(key_id: str) -> bytes:
    return b"store-key\0" + key_id.encode()


def _session_key_aad(session_id: str) -> bytes:
    return b"session-key\0" + session_id.encode()


def _state_aad(key_id: str) -> bytes:
    return b"state\0" + key_id.encode()


MIN_PREFIX = 4  # the fewest characters of a session id taken for the whole id


def match_prefix(given: str, ids, listed_by: str, error=StorageError) -> str:
    """The one id of `ids` that starts with `given`, when `given` is at least MIN_PREFIX
    characters long; `given` itself when none does (the lookup that follows names it missing).
    Too short or the start of several: one message, which says where the ids are listed."""
    matches = sorted({i for i in ids if i.startswith(given)})
    if matches and len(given) < MIN_PREFIX:
        raise error(f"session id {given!r} is too short: give at least {MIN_PREFIX} "
                    f"characters of it ({listed_by})")
    if len(matches) > 1:
        raise error(f"session id {given!r} is the start of {len(matches)} sessions' ids: "
                    f"{', '.join(matches)}; give more of it")
    return matches[0] if matches else given


def _valid_id(session_id: str) -> bool:
    return (isinstance(session_id, str) and 0 < len(session_id) <= 64
            and not session_id.strip("0123456789abcdef"))


@dataclass(frozen=True)
class SessionInfo:
    """What the list shows: the kind of interview and how far it went, no names, no answers."""

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


class SessionLog:
    """An open session's events log: append one event durably, or read them all back."""

    def __init__(self, store: "Store", session_id: str, data_key: bytes, writable: bool):
        self.store = store
        self.id = session_id
        self.folder = store.sessions_dir / session_id
        self.path = self.folder / "events.log"
        self.mark_path = store.marks_dir / session_id
        self.key = data_key
        self.fd: int | None = None
        self.lock_fd: int | None = None
        self.mark_fd: int | None = None
        self.broken = ""
        if writable:  # lock before reading: what is read must be what the next record follows
            self._lock()
        try:
            self._read()
            if writable:
                self._open_for_writing()
        except BaseException:
            self.close()
            raise

    def _lock(self) -> None:
        try:
            self.lock_fd = hold_lock(self.folder / "lock", blocking=False)
        except BlockingIOError:
            raise SessionBusy(f"session {self.id} is open in another window or program; "
                              "close it there first") from None
        except OSError as exc:
            raise explain(exc, f"open session {self.id} for writing") from None

    def _read(self) -> None:
        # The mark before the log: a writer in another window adds a record, then marks it, so
        # read in this order the log never holds fewer records than the mark counts.
        mark = marks.read(self.mark_path, self.key, self.id)
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            raise Tampered(f"session {self.id}: its events log is missing (sessions/{self.id}/"
                           "events.log was removed)") from None
        except OSError as exc:
            raise explain(exc, f"read session {self.id}") from None
        sealed_meta, start = logfmt.parse_header(data, self.id, self.path)
        self.flow, self.created = logfmt.open_meta(self.key, self.id, sealed_meta)
        records, end, note = logfmt.split_records(data, start, self.path)
        acknowledged = mark[0] if mark else 0
        events, answered = [], 0
        for position, record in enumerate(records):
            try:
                answered, event = logfmt.open_record(self.key, self.id, position, record)
            except Tampered:
                if position == len(records) - 1 and position >= acknowledged:
                    # Written but never acknowledged, and not whole (a write the system tore
                    # out of order): an interruption, like a short tail.
                    end -= len(record)
                    records, note = records[:-1], TORN
                    break
                raise
            events.append(event)
        count = len(records)
        if mark is None:
            if count:
                raise Tampered(f"session {self.id}: its high-water mark (marks/{self.id}) is "
                               "missing, so events cut off its end could not be noticed; "
                               "restore the store folder from a backup")
        elif count < acknowledged:
            raise Tampered(f"session {self.id}: it ends after {count} events, but {acknowledged} "
                           "were saved: events were cut off its end, or an older copy of its "
                           "folder was put back")
        elif acknowledged and marks.digest(records[acknowledged - 1]) != mark[1]:
            raise Tampered(f"session {self.id}: its events are not the ones saved: an older or "
                           "different copy of its folder was put back")
        self.events, self.answered, self.count = events, answered, count
        # The header's sealed meta and the verified records as stored, as read at opening (the
        # county sync sends them unchanged, without reading the file again).
        self.sealed_meta, self.records = sealed_meta, records
        self.end, self.recovered = end, note
        self.last = records[-1] if records else b""
        self.acknowledged = acknowledged if mark else None

    def _open_for_writing(self) -> None:
        try:
            self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            if os.fstat(self.fd).st_size != self.end:  # drop the torn tail
                os.ftruncate(self.fd, self.end)
                os.fsync(self.fd)
            if self.acknowledged is None:  # killed while it was being created
                marks.create(self.mark_path, self.key, self.id)
                fsync_dir(self.store.marks_dir)
            self.mark_fd = os.open(self.mark_path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
            if self.count != (self.acknowledged or 0):  # written before a crash, not yet marked
                marks.update(self.mark_fd, self.key, self.id, self.count, marks.digest(self.last))
        except OSError as exc:
            raise explain(exc, f"open session {self.id} for writing") from None

    def _still_there(self) -> bool:
        """Is the file written to still the session's log, in the store's folder?"""
        try:
            here = os.fstat(self.fd)
            there = os.stat(self.path)
            mark = os.fstat(self.mark_fd)
        except OSError:
            return False
        return (here.st_nlink > 0 and mark.st_nlink > 0
                and (here.st_ino, here.st_dev) == (there.st_ino, there.st_dev))

    def append(self, event: dict, answered: int = 0) -> None:
        """Write one event and fsync it; only when this returns is the event acknowledged."""
        self.extend([(event, answered)])

    def extend(self, items: list[tuple[dict, int]]) -> None:
        """Write several (event, answers so far) in one write and one fsync, acknowledged
        together when this returns (copying an interview, building a test store); each is
        checked before anything is written."""
        if self.fd is None:
            raise StorageError(self.broken or f"session {self.id} is open read-only")
        if not items:
            return
        payloads = [logfmt.encode(event) for event, _ in items]  # refused before any write
        records = [logfmt.seal_record(self.key, self.id, self.count + i, answered, payload)
                   for i, ((_, answered), payload) in enumerate(zip(items, payloads))]
        record = records[-1]
        data = b"".join(records)
        try:
            written = os.write(self.fd, data)
            if written != len(data):  # the rest, only to learn why (a full disk, a file-size
                os.write(self.fd, data[written:])  # limit); the log is cut back below anyway
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(self.fd)
            if not self._still_there():
                raise StorageError(
                    f"could not save the last answer: the interview's files were removed or "
                    f"moved while it was open ({self.folder}), so it is not saved (and if the "
                    "folder was deleted, neither is what came before). Put the folder back and "
                    "try again, or go on without saving")
            marks.update(self.mark_fd, self.key, self.id, self.count + len(records),
                         marks.digest(record))
        except (OSError, StorageError) as exc:
            try:  # leave the log ending on a whole, acknowledged record (made durable by the
                os.ftruncate(self.fd, self.end)  # next fsync; until then a record whole on
            except OSError:                      # disk but unmarked is kept, never misread)
                self._give_up()
            if isinstance(exc, StorageError):
                raise
            raise explain(exc, "save the last answer") from None
        self.count += len(records)
        self.end += len(data)
        self.last = record
        self.answered = items[-1][1]
        self.events.extend(event for event, _ in items)

    @property
    def created_date(self) -> dt.date | None:
        """The day the interview was started (None for a header without a date)."""
        return dt.date.fromisoformat(self.created[:10]) if self.created[:1].isdigit() else None

    def write_summary(self, data: dict) -> bool:
        """Seal `data` beside the log as its summary (summary.py), bound to the events read or
        written so far; False when it cannot be written (a read-only store): nothing is lost,
        the events are replayed instead."""
        bound = {"events": self.count, "last": self._last_digest().hex(), "size": self.end,
                 "data": data}
        sealed = summary.seal(self.key, self.id, bound)
        try:
            write_atomic(self.folder / "summary", sealed)
        except OSError:
            return False
        return True

    def _last_digest(self) -> bytes:
        return marks.digest(self.last) if self.last else marks.NOTHING

    def _give_up(self) -> None:
        """The log may not end where this object thinks: write nothing more through it."""
        self.broken = (f"session {self.id} could not be saved to any more; close it and open "
                       "it again once the problem is fixed")
        for name in ("fd", "mark_fd"):
            fd = getattr(self, name)
            setattr(self, name, None)
            release(fd)

    def close(self) -> None:
        for fd in (self.fd, self.mark_fd, self.lock_fd):
            release(fd)
        self.fd = self.mark_fd = self.lock_fd = None


class Store:
    """One store: locked until `unlock`, then sessions can be listed, read and written."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.sessions_dir = self.path / "sessions"
        self.marks_dir = self.path / "marks"
        self.store_key: bytes | None = None
        self.key_id = ""
        self._keys: dict[str, bytes] = {}
        from interview.storage.audit import AuditLog

        self.audit = AuditLog(self.path / "audit.log", anchor=self._anchor_audit)

    # --- opening ------------------------------------------------------------------------------

    @staticmethod
    def exists(path: Path) -> bool:
        """Whether `path` holds a store. A folder that cannot be looked into (someone else's,
        a disk that fails) is one message naming it and the fix, not a raw PermissionError
        (which the app reported as an internal error)."""
        import stat

        try:
            return stat.S_ISREG((Path(path) / "store.json").stat().st_mode)
        except (FileNotFoundError, NotADirectoryError):
            return False
        except OSError as exc:
            raise explain(exc, f"open the store in {path}") from None

    @staticmethod
    def check_new(path: Path) -> None:
        """Refuse to create a store over saved interviews whose store.json is missing, or in
        place of a file (said before a new passphrase is asked for, not after)."""
        import stat

        path = Path(path)
        try:
            mode = path.stat().st_mode
        except OSError:
            mode = None  # not there yet (created with the store), or said when creating it
        if mode is not None and not stat.S_ISDIR(mode):
            what = "a file" if stat.S_ISREG(mode) else "not a folder"
            if path == default_store_dir():
                raise StorageError(f"the store's folder {path} is {what}, not a folder: move "
                                   "it away, or give a folder for the store with --store")
            raise StorageError(f"--store {path} is {what}"
                               + (", not a folder" if stat.S_ISREG(mode) else "")
                               + ": give a folder for the store")
        found = []
        for folder in (path / "sessions", path / "marks"):
            try:
                found += [p.name for p in folder.iterdir()]
            except OSError:
                pass
        try:
            audited = (path / "audit.log").stat().st_size > 0
        except OSError:
            audited = False
        if found or audited:
            raise StorageError(
                f"{path} holds saved interviews (or their trail) but its store.json is missing: "
                "it was moved, deleted, or not restored with the rest. A new store is not "
                "created over them: put store.json back from a backup, or choose another "
                "folder with --store")

    @classmethod
    def create(cls, path: Path, passphrase: str, n: int = crypto.SCRYPT_N) -> "Store":
        check_new_passphrase(passphrase)
        _check_n(n)
        store = cls(path)
        if cls.exists(path):
            raise StorageError(f"{path} already holds a store; open it instead")
        cls.check_new(path)
        try:
            for folder in (store.path, store.sessions_dir, store.marks_dir):
                private_dir(folder)
            import secrets  # (here, not at the top: see storage/files.py _temp_name)

            store_key, key_id, salt = crypto.new_key(), secrets.token_hex(KEY_ID_BYTES), \
                crypto.new_salt()
            kek = crypto.derive(passphrase, salt, n=n)
            store._use_keys(key_id, {key_id: store_key})
            store._write_state({"deleted": {}, "audit": {"n": 0, "hash": ""}}, check=False)
            write_atomic(store.path / "store.json", json.dumps({
                "format": FORMAT,
                "kdf": {"name": "scrypt", "n": n, "r": crypto.SCRYPT_R, "p": crypto.SCRYPT_P,
                        "salt": crypto.b64(salt)},
                "key_id": key_id,
                "store_key": crypto.b64(crypto.seal(kek, store_key, _store_key_aad(key_id))),
                "created": now(),
            }, indent=1).encode())
        except OSError as exc:
            store.lock()
            raise explain(exc, f"create the store in {path}") from None
        store.audit.append("store_created")
        return store

    def _config(self) -> dict:
        where = self.path / "store.json"
        try:
            config = json.loads(where.read_text())
            if isinstance(config, dict) and config.get("format") == 1:
                raise StorageError(logfmt.OLD_FORMAT.format(path=self.path, found=1))
            kdf = config["kdf"]
            n, r, p = kdf["n"], kdf["r"], kdf["p"]
            if not all(type(v) is int for v in (n, r, p)) or not (
                    2 <= n <= MAX_SCRYPT_N and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
                raise ValueError("impossible KDF parameters")
            if config["format"] != FORMAT or not isinstance(config["key_id"], str):
                raise ValueError("not this format")
            retiring = config.get("retiring") or []
            return {**config, "kdf": {**kdf, "salt": crypto.unb64(kdf["salt"])},
                    "store_key": crypto.unb64(config["store_key"]),
                    "retiring": [(str(r["key_id"]), crypto.unb64(r["key"])) for r in retiring]}
        except FileNotFoundError:
            raise StorageError(f"no store in {self.path}; one is created the first time you "
                               "start an interview (or `run`)") from None
        except StorageError:
            raise
        except OSError as exc:
            raise explain(exc, f"read {where}") from None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            raise Tampered(f"{where} is damaged; restore it from a backup") from None

    def _use_keys(self, key_id: str, keys: dict[str, bytes]) -> None:
        self.key_id, self._keys, self.store_key = key_id, keys, keys[key_id]

    def unlock(self, passphrase: str) -> None:
        """Derive the key and unwrap the store key; a wrong passphrase changes nothing."""
        config = self._config()
        kdf = config["kdf"]
        kek = crypto.derive(passphrase, kdf["salt"], n=kdf["n"], r=kdf["r"], p=kdf["p"])
        try:
            keys = {config["key_id"]: crypto.open_sealed(kek, config["store_key"],
                                                         _store_key_aad(config["key_id"]))}
        except crypto.DecryptionFailed:
            raise WrongPassphrase("wrong passphrase: nothing was opened or changed") from None
        try:
            for key_id, wrapped in config["retiring"]:
                keys[key_id] = crypto.open_sealed(kek, wrapped, _store_key_aad(key_id))
        except crypto.DecryptionFailed:
            raise Tampered(f"{self.path / 'store.json'} is damaged; restore it from a "
                           "backup") from None
        self._use_keys(config["key_id"], keys)
        try:
            self._read_state()
        except BaseException:
            self.lock()
            raise
        if config["retiring"]:  # a passphrase change was interrupted: finish it
            try:
                with self._store_lock():
                    self._finish_rotation()
            except StorageError:
                pass  # e.g. a read-only store: both keys stay usable until it can be finished

    def lock(self) -> None:
        self.store_key, self.key_id, self._keys = None, "", {}

    def _require_unlocked(self) -> bytes:
        if self.store_key is None:
            raise StorageError("the store is locked: unlock it with the passphrase first")
        return self.store_key

    @contextlib.contextmanager
    def _store_lock(self):
        try:
            fd = hold_lock(self.path / "lock")
        except OSError as exc:
            raise explain(exc, f"lock {self.path}") from None
        try:
            yield
        finally:
            release(fd)

    def _check_key_current(self) -> None:
        """Before sealing anything with the store key: is it still the store's key?"""
        if self._config()["key_id"] != self.key_id:
            raise StorageError("the passphrase was changed in another window or program: "
                               "lock and unlock again (nothing was saved)")

    # --- the authenticated state ----------------------------------------------------------------

    def _read_state(self) -> dict:
        where = self.path / "state"
        try:
            wrapper = json.loads(where.read_text())
            key = self._keys[wrapper["key_id"]]
            state = json.loads(crypto.open_sealed(key, crypto.unb64(wrapper["sealed"]),
                                                  _state_aad(wrapper["key_id"])))
            if not isinstance(state.get("deleted"), dict) or not isinstance(
                    state.get("audit"), dict):
                raise ValueError("not a state")
            return state
        except FileNotFoundError:
            raise Tampered(f"{where} is missing: it records the deleted interviews and the "
                           "audit trail's head; restore the store folder from a backup") from None
        except OSError as exc:
            raise explain(exc, f"read {where}") from None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError,
                crypto.DecryptionFailed):
            raise Tampered(f"{where} does not verify: it was altered, damaged, or put back from "
                           "a copy made under another passphrase; restore the store folder "
                           "from a backup") from None

    def _write_state(self, state: dict, check: bool = True) -> None:
        """Seal and write the state (the caller holds the store lock)."""
        if check:
            self._check_key_current()
        sealed = crypto.seal(self.store_key, json.dumps(state, sort_keys=True).encode(),
                             _state_aad(self.key_id))
        write_atomic(self.path / "state", json.dumps(
            {"format": FORMAT, "key_id": self.key_id, "sealed": crypto.b64(sealed)}).encode())

    def _anchor_audit(self, recent: list[dict]) -> None:
        """Move the audit trail's sealed head to its new last entry, once the trail is seen to
        still pass through the head recorded before; if not, record that it was cut short or
        rewritten, for good (best effort, like the trail itself)."""
        if self.store_key is None:
            return
        new = recent[-1]
        try:
            with self._store_lock():
                state = self._read_state()
                head = state["audit"]
                anchored = head.get("n", 0)
                found = ""
                if new["n"] <= anchored:
                    found = (f"the trail restarted at entry {new['n']} after {anchored} entries "
                             "were recorded: audit.log was cut short, replaced or deleted")
                elif anchored and not _passes_through(recent, head, self.audit):
                    found = (f"entry {anchored} is not the one recorded, or the entries after it "
                             "do not follow it: the trail was rewritten")
                if found and not head.get("break"):
                    head["break"] = f"{found} (noticed {now()[:10]})"
                head.update(n=max(new["n"], anchored), hash=new["hash"] if new["n"] > anchored
                            else head.get("hash", ""))
                self._write_state(state)
        except (StorageError, OSError):
            pass

    def verify_audit(self) -> tuple[int, str, str]:
        """(entries, '' or where the trail breaks, a note): the chain and its sealed head."""
        self._require_unlocked()
        return self.audit.verify(self._read_state()["audit"])

    # --- changing the passphrase ----------------------------------------------------------------

    def change_passphrase(self, old: str, new: str, n: int | None = None) -> None:
        """A new store key under the new passphrase; every data key is re-wrapped under it and
        the state re-sealed, so the old passphrase (or an old store.json) opens nothing new."""
        check_new_passphrase(new)
        self.unlock(old)
        config = json.loads((self.path / "store.json").read_text())
        n = n or config["kdf"]["n"]
        _check_n(n)
        old_id, old_key = self.key_id, self.store_key
        import secrets

        new_id, new_key, salt = secrets.token_hex(KEY_ID_BYTES), crypto.new_key(), \
            crypto.new_salt()
        kek = crypto.derive(new, salt, n=n)
        with self._store_lock():
            self._check_key_current()
            config["kdf"] = {**config["kdf"], "n": n, "salt": crypto.b64(salt)}
            config["key_id"] = new_id
            config["store_key"] = crypto.b64(crypto.seal(kek, new_key, _store_key_aad(new_id)))
            config["retiring"] = [{"key_id": old_id, "key": crypto.b64(
                crypto.seal(kek, old_key, _store_key_aad(old_id)))}]
            try:  # from here on the old passphrase opens nothing; the new one opens both keys
                write_atomic(self.path / "store.json", json.dumps(config, indent=1).encode())
            except OSError as exc:
                raise explain(exc, "save the new passphrase (the old one still works)") from None
            self._use_keys(new_id, {new_id: new_key, old_id: old_key})
            try:
                self._finish_rotation()
            except StorageError as exc:
                raise StorageError(f"{exc.args[0]}. The new passphrase is in force; the change "
                                   "is finished the next time the store is unlocked") from None
        self.audit.append("passphrase_changed")

    def _finish_rotation(self) -> None:
        """Re-wrap every data key under the current store key, re-seal the state, forget the
        old key. Each step can be interrupted and done again (the caller holds the store lock)."""
        state = self._read_state()
        try:
            for folder in self._folders():
                key_file = folder / "key"
                if folder.name in state["deleted"]:  # left over from a delete: finish it
                    _destroy(key_file)
                    continue
                try:
                    key_id, wrapped = _read_key_file(key_file)
                except FileNotFoundError:
                    continue
                except ValueError:
                    continue  # damaged: reported when the session is opened
                if key_id == self.key_id or key_id not in self._keys:
                    continue
                try:
                    data_key = crypto.open_sealed(self._keys[key_id], wrapped,
                                                  _session_key_aad(folder.name))
                except crypto.DecryptionFailed:
                    continue
                _write_key_file(key_file, self.key_id, self.store_key, folder.name, data_key)
            self._write_state(state, check=False)
            config = json.loads((self.path / "store.json").read_text())
            config.pop("retiring", None)
            write_atomic(self.path / "store.json", json.dumps(config, indent=1).encode())
        except OSError as exc:
            raise explain(exc, "finish changing the passphrase") from None
        self._use_keys(self.key_id, {self.key_id: self.store_key})

    # --- sessions -----------------------------------------------------------------------------

    def _folders(self) -> list[Path]:
        try:
            with os.scandir(self.sessions_dir) as entries:  # the kind of entry without a stat
                return [self.sessions_dir / e.name for e in entries
                        if _valid_id(e.name) and e.is_dir()]
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise explain(exc, f"read {self.sessions_dir}") from None

    def _deleted(self) -> dict:
        return self._read_state()["deleted"] if self.store_key is not None else {}

    def session_ids(self) -> list[str]:
        """The id of every session with an events log (not deleted), in no particular order."""
        deleted = self._deleted()
        return [f.name for f in self._folders()  # (plain paths: once per interview)
                if f.name not in deleted and os.path.isfile(f"{f}{os.sep}events.log")]

    def list(self) -> list[SessionInfo]:
        """Every session, newest change first; a damaged one is listed with its problem, and
        so is one whose folder is gone or whose deletion was not finished."""
        self._require_unlocked()
        deleted = self._deleted()
        out, seen = [], set()
        for folder in self._folders():
            session_id = folder.name
            log_path = folder / "events.log"
            if not log_path.is_file():
                continue
            seen.add(session_id)
            try:
                updated = dt.datetime.fromtimestamp(log_path.stat().st_mtime, dt.timezone.utc)
                updated_text = updated.isoformat(timespec="seconds")
            except OSError:
                updated_text = "?"
            if session_id in deleted:
                out.append(SessionInfo(session_id, "?", "?", updated_text, 0, 0, (
                    f"deleted on {str(deleted[session_id])[:10]}; its files are left over (a "
                    "delete that was interrupted, or a copy put back from a backup) and are not "
                    "opened: delete it again to remove them")))
                continue
            try:
                log = SessionLog(self, session_id, self._data_key(session_id), writable=False)
                out.append(SessionInfo(session_id, log.flow, log.created, updated_text,
                                       log.count, log.answered, log.recovered))
            except StorageError as exc:
                out.append(SessionInfo(session_id, "?", "?", updated_text, 0, 0, str(exc)))
        try:
            orphans = [p.name for p in self.marks_dir.iterdir()
                       if _valid_id(p.name) and p.name not in seen and p.name not in deleted]
        except OSError:
            orphans = []
        for session_id in orphans:
            out.append(SessionInfo(session_id, "?", "?", "?", 0, 0, (
                f"its folder (sessions/{session_id}) or its events log was removed; only its "
                "high-water mark remains: restore the folder from a backup, or delete it")))
        return sorted(out, key=lambda s: s.updated, reverse=True)

    def resolve_id(self, given: str) -> str:
        """The session id `given` stands for: itself, or the one session (folder or mark) whose
        id starts with it (match_prefix). Reads folder names only: works before the store is
        unlocked."""
        if (not _valid_id(given) or (self.sessions_dir / given).is_dir()
                or (self.marks_dir / given).exists()):
            return given
        try:
            marks = [p.name for p in self.marks_dir.iterdir()]
        except OSError:
            marks = []
        names = [f.name for f in self._folders()] + marks
        return match_prefix(given, [n for n in names if _valid_id(n)],
                            "`csec-interview sessions list` shows them", StorageError)

    def _check_id(self, session_id: str) -> None:
        if not _valid_id(session_id) or not (self.sessions_dir / session_id).is_dir():
            deleted = self._deleted().get(session_id) if _valid_id(session_id) else None
            raise StorageError(f"no session {session_id!r} in this store" + (
                f": it was deleted on {str(deleted)[:10]}" if deleted else
                "; `csec-interview sessions list` shows them"))

    def _data_key(self, session_id: str) -> bytes:
        self._require_unlocked()
        self._check_id(session_id)
        try:
            key_id, wrapped = _read_key_file(self.sessions_dir / session_id / "key")
        except FileNotFoundError:
            raise StorageError(f"session {session_id} was deleted: its key is gone") from None
        except OSError as exc:
            raise explain(exc, f"read the key of session {session_id}") from None
        except ValueError:
            raise Tampered(f"session {session_id}: its key does not verify; the file was "
                           "altered or damaged") from None
        if key_id not in self._keys:
            raise Tampered(f"session {session_id}: its key was wrapped by a store key this store "
                           "does not have (a copy put back from before a passphrase change, or "
                           "from another store)")
        try:
            return crypto.open_sealed(self._keys[key_id], wrapped, _session_key_aad(session_id))
        except crypto.DecryptionFailed:
            raise Tampered(f"session {session_id}: its key does not verify; the file was "
                           "altered or damaged") from None

    def read_summary(self, session_id: str) -> dict | None:
        """The data of an interview's sealed summary (SessionLog.write_summary) while it is
        still the summary of its events; None when there is none, when it does not verify
        (altered, damaged, moved from another interview), or when the log changed since it was
        written (the high-water mark names another last event, or the log's size differs):
        the caller then replays the events. For an id from `session_ids` (not deleted)."""
        # Plain paths and reads: this runs once per interview over the whole store.
        folder = f"{self.sessions_dir}{os.sep}{session_id}"
        try:
            key_id, sep, wrapped = _read_small(f"{folder}{os.sep}key").decode(
                "ascii").strip().partition(":")
            key = crypto.open_sealed(self._keys[key_id], crypto.unb64(wrapped),
                                     _session_key_aad(session_id))
            bound = summary.unseal(key, session_id, _read_small(f"{folder}{os.sep}summary"))
            mark = marks.parse(_read_small(f"{self.marks_dir}{os.sep}{session_id}"), key,
                               session_id)
            if mark is None or mark != (bound["events"], bytes.fromhex(bound["last"])):
                return None
            if os.stat(f"{folder}{os.sep}events.log").st_size != bound["size"]:
                return None
            return bound["data"]
        except (StorageError, OSError, ValueError, KeyError, TypeError, AttributeError,
                crypto.DecryptionFailed):
            return None

    def create_session(self, flow_id: str) -> SessionLog:
        store_key = self._require_unlocked()
        import secrets

        session_id = secrets.token_hex(8)
        folder = self.sessions_dir / session_id
        data_key = crypto.new_key()
        made = False
        try:
            head = logfmt.header(data_key, session_id, flow_id, now())
            with self._store_lock():  # not while the passphrase (the store key) changes
                self._check_key_current()
                private_dir(folder)
                made = True
                _write_key_file(folder / "key", self.key_id, store_key, session_id, data_key)
            write_atomic(folder / "events.log", head)
            private_dir(self.marks_dir)
            marks.create(self.marks_dir / session_id, data_key, session_id)
            fsync_dir(self.sessions_dir)
            fsync_dir(self.marks_dir)
        except OSError as exc:
            if made:  # never acknowledged: leave no empty session to be listed (or deleted)
                _remove_unfinished(folder, self.marks_dir / session_id)
            raise explain(exc, "create a new session") from None
        self.audit.append("created", session_id)
        return SessionLog(self, session_id, data_key, writable=True)

    def open_session(self, session_id: str, writable: bool = True) -> SessionLog:
        self._require_unlocked()
        self._check_id(session_id)
        deleted = self._deleted()
        if session_id in deleted:
            raise StorageError(f"session {session_id} was deleted on "
                               f"{str(deleted[session_id])[:10]}; the copy of it here (left "
                               "over, or put back from a backup) is not opened")
        log = SessionLog(self, session_id, self._data_key(session_id), writable=writable)
        if writable:
            self.audit.append("resumed", session_id)
        return log

    def delete_session(self, session_id: str) -> None:
        """Record the deletion in the sealed state first (so a copy put back from a backup is
        not opened again), then destroy the key: without it the events cannot be read."""
        self._require_unlocked()  # a damaged session can be deleted too, but only when unlocked
        folder = self.sessions_dir / session_id
        mark = self.marks_dir / session_id
        if not _valid_id(session_id) or not (folder.is_dir() or mark.exists()):
            self._check_id(session_id)
        holder = None
        if folder.is_dir():
            try:
                holder = hold_lock(folder / "lock", blocking=False)
            except BlockingIOError:  # not while another window is writing it
                raise SessionBusy(f"session {session_id} is open in another window or program; "
                                  "close it there first") from None
            except OSError as exc:
                raise explain(exc, f"delete session {session_id}", DELETE) from None
        try:
            with self._store_lock():
                state = self._read_state()
                if session_id not in state["deleted"]:
                    state["deleted"][session_id] = now()
                    self._write_state(state)
            _destroy(folder / "key")
            if folder.is_dir():
                fsync_dir(folder)
            with contextlib.suppress(FileNotFoundError):
                mark.unlink()
            if folder.is_dir():
                for child in folder.iterdir():
                    child.unlink()
                folder.rmdir()
            fsync_dir(self.marks_dir)
            fsync_dir(self.sessions_dir)
        except OSError as exc:
            raise explain(exc, f"delete session {session_id}", DELETE) from None
        finally:
            release(holder)
        self.audit.append("deleted", session_id)


def _passes_through(recent: list[dict], head: dict, audit) -> bool:
    """Does the trail still hold the anchored entry, followed link by link up to its end?"""
    by_n = {e.get("n"): e for e in recent}
    anchored = head.get("n", 0)
    if anchored not in by_n:  # further back than the tail read: check the whole trail
        return not audit.verify({"n": anchored, "hash": head.get("hash")})[1]
    if by_n[anchored].get("hash") != head.get("hash"):
        return False
    last = recent[-1]["n"]
    return all(k in by_n and by_n[k].get("prev") == by_n[k - 1].get("hash")
               for k in range(anchored + 1, last + 1))


def _read_small(path: str, limit: int = 1 << 16) -> bytes:
    """A small file's bytes (up to `limit`), with the fewest calls: read once per interview
    when the county table goes through the whole store."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        return os.read(fd, limit)
    finally:
        os.close(fd)


def _read_key_file(path: Path) -> tuple[str, bytes]:
    """(store key id, wrapped data key); ValueError when it is not one."""
    text = path.read_text(encoding="ascii", errors="replace").strip()
    key_id, sep, wrapped = text.partition(":")
    if not sep:
        raise ValueError("no key id")
    return key_id, crypto.unb64(wrapped)


def _write_key_file(path: Path, key_id: str, store_key: bytes, session_id: str,
                    data_key: bytes) -> None:
    wrapped = crypto.seal(store_key, data_key, _session_key_aad(session_id))
    write_atomic(path, f"{key_id}:{crypto.b64(wrapped)}".encode("ascii"))


def _remove_unfinished(folder: Path, mark: Path) -> None:
    """What a session whose creation failed left (its key, a header, a mark), as far as it can
    be removed: nothing of it was ever acknowledged, and it holds no answer."""
    for path in (mark, *(folder / name for name in ("events.log", "key", "lock"))):
        with contextlib.suppress(OSError):
            path.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


def _destroy(key_file: Path) -> None:
    """Overwrite, then remove, a wrapped key (no error when it is already gone)."""
    try:
        size = key_file.stat().st_size
        with key_file.open("r+b") as fh:
            fh.write(os.urandom(size))
            fh.flush()
            os.fsync(fh.fileno())
        key_file.unlink()
    except FileNotFoundError:
        pass
