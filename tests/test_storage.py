"""The encrypted session store: no acknowledged event is ever lost, nothing readable is left on
disk, damage and tampering are reported plainly (never a traceback), and the CLI commands that
use the store (`run`, `sessions`, `audit`) keep their promises.

Stores are created with a cheap KDF (FAST_N, tests/stores.py) for speed; one test checks the
real parameters.
`pytest -s` shows the crash test's figures.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from interview.content import model as m
from interview.engine.case import build_record, read_case_file
from interview.record import DISCLOSURE_FINDINGS
from interview.engine.session import Session
from interview.errors import InputError
from interview.storage import crypto, log as logfmt
from interview.storage import store as store_mod
from interview.storage.audit import AuditLog
from interview.storage.log import BUCKETS, LENGTH
from interview.storage.saved import SavedSession
from interview.storage.store import (SessionBusy, StorageError, Store, Tampered,
                                     WrongPassphrase)
from stores import (FAST_N, PASSPHRASE, SURVIVAL, cli_proc, new_session, step_on,  # noqa: F401
                    store_dir, unlocked)

EXAMPLES = sorted((ROOT / "flows" / "examples").glob("*.yaml"))
TORN = "an incomplete last record (from an interruption) was dropped"


# --- helpers ----------------------------------------------------------------------------------

def cli_run(cli, folder: Path, passfile: Path, answers: Path = SURVIVAL) -> str:
    """`run` in-process, in the answer file's own flow; returns the new session's id."""
    flow = read_case_file(answers)["flow"]
    code, out, err = cli("run", flow, "--answers", answers, "--store", folder,
                         "--passphrase-file", passfile)
    assert code == 0, err
    last = out.strip().splitlines()[-1]
    assert last.startswith("session ") and last.endswith(" events saved"), out
    return last.split()[1].rstrip(":")


def torn_tail(log, event: dict | None = None, keep: float = 0.5) -> int:
    """What a crash mid-write leaves: part of the next record, never acknowledged (its mark not
    updated). Appends it to an open log's file; returns the bytes appended."""
    payload = logfmt.encode(event or {"type": "observe", "value": "same_clothes_daily"})
    record = logfmt.seal_record(log.key, log.id, log.count, 0, payload)
    part = record[:max(1, min(len(record) - 1, int(len(record) * keep)))]
    with open(log.path, "ab") as fh:
        fh.write(part)
    return len(part)


def without_at(events: list[dict]) -> list[dict]:
    return [{k: v for k, v in e.items() if k != "at"} for e in events]


def spans(path: Path) -> tuple[bytes, int, list[tuple[int, int]]]:
    """(file bytes, end of the header line, [(start, end) of each whole record])."""
    data = path.read_bytes()
    pos = header_end = data.index(b"\n") + 1
    out = []
    while pos + LENGTH.size <= len(data):
        (length,) = LENGTH.unpack_from(data, pos)
        if pos + LENGTH.size + length > len(data):
            break
        out.append((pos, pos + LENGTH.size + length))
        pos += LENGTH.size + length
    return data, header_end, out


def read_records(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return logfmt.split_records(data, data.index(b"\n") + 1, path)[0]


def events_log(folder: Path, sid: str) -> Path:
    return folder / "sessions" / sid / "events.log"


def file_hashes(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in skip}


def record_state(session: Session) -> tuple:
    r = session.record
    return (dict(r.answers), dict(r.observations), dict(r.overrides), dict(r.terms), r.context,
            session.state, list(session.history), session.return_to)


# --- 1. crash safety: SIGKILL `run` at random moments --------------------------------------------

CRASH_KILLS = 220
CRASH_WORKERS = 2


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_an_acknowledged_event(tmp_path, library):
    """scripts/crash_campaign.py, smaller: the script runs 1,000 kill points and more. Each `run`
    killed is a fork of a process that has imported the program (tests/forkrun.py): the same
    attack on the store, without paying for an interpreter's start-up 220 times."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from crash_campaign import PASSPHRASE as CAMPAIGN_PASSPHRASE, campaign, summary
    from forkrun import ForkServer

    with ForkServer() as spawn:
        result = campaign(CRASH_KILLS, CRASH_WORKERS, tmp_path, spawn=spawn, n=FAST_N)
    print("\n" + summary(result))
    assert result["kills"] >= CRASH_KILLS, summary(result)
    assert result["lost"] == 0 and not result["problems"], \
        "\n".join(result["problems"][:20]) + "\n" + summary(result)
    reference, total = result["reference"], result["total"]
    opened = {}
    for folder in result["stores"]:
        opened[folder] = Store(folder)
        opened[folder].unlock(CAMPAIGN_PASSPHRASE)

    # A killed writer's lock is released with it: its session resumes, and takes new events.
    # A torn tail (from a kill mid-write, or made here as a kill mid-write makes one) is dropped.
    torn, crashed = result["torn"], result["crashed"]
    mid = [c for c in crashed if 2 <= c[2] < total]
    assert mid, "no kill landed in the middle of a session"
    if not torn:
        folder, sid, _ = mid[0]
        torn_tail(opened[folder].open_session(sid, writable=False))
        torn.append((folder, sid))
    for folder, sid in dict.fromkeys(torn[:3] + [(f, s) for f, s, _ in mid[1:3]]):
        store = opened[folder]
        path = events_log(folder, sid)
        before = without_at(store.open_session(sid, writable=False).events)
        _, _, records = spans(path)
        whole = records[-1][1] if records else path.read_bytes().index(b"\n") + 1
        saved = SavedSession.resume(store, library, sid)
        assert path.stat().st_size == whole  # the torn tail is gone from the file
        assert without_at(saved.log.events) == before == reference[:len(before)]
        saved.session.observe("same_clothes_daily", "after the crash")
        saved.close()
        log = store.open_session(sid, writable=False)
        assert not log.recovered
        assert without_at(log.events) == before + [
            {"type": "observe", "value": "same_clothes_daily", "note": "after the crash"}]
        assert next(s for s in store.list() if s.id == sid).problem == ""


# --- 2. nothing readable on disk ----------------------------------------------------------------

def _needles(data: dict) -> list[str]:
    """Everything in an answer file that says something about the child or the interview."""
    out = []
    for answer in (data.get("answers") or {}).values():
        if isinstance(answer, str) and answer not in m.ANSWERS:
            out.append(answer)
        elif isinstance(answer, dict):
            out += [answer["text"]] if answer.get("text") else []
            out += list(answer.get("cues") or [])
    observations = data.get("observations") or []
    if isinstance(observations, dict):
        out += [k for k in observations] + [v for v in observations.values() if v]
    else:
        out += list(observations)
    context = data.get("context") or {}
    for key in ("case_id", "date_of_birth", "interview_date"):
        if context.get(key) is not None:
            out.append(str(context[key]))
    # An age ("15") is in every hash and ciphertext by chance: too short to search for.
    return [n for n in out if len(n) >= 4]


def test_nothing_readable_is_left_on_disk_and_everything_is_private(cli, store_dir, library):
    folder, passfile = store_dir
    needles = [PASSPHRASE] + [f for f in library.flows if len(f) >= 5]  # the flow is sealed too
    for example in EXAMPLES:
        needles += _needles(read_case_file(example))
        cli_run(cli, folder, passfile, example)
    for expected in ("hook up", "Falls asleep", "EXAMPLE-0001", "EXAMPLE-0002", "2010-06-14",
                     "2009-03-02", "I like science"):
        assert any(expected in n for n in needles), expected  # the needles are the real ones
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len([p for p in files if p.name == "events.log"]) == len(EXAMPLES)
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            for form in {needle, needle.lower(), json.dumps(needle)[1:-1]}:
                assert form.encode("utf-8") not in data, f"{needle!r} is readable in {path}"
    headers = set()
    for log in folder.glob("sessions/*/events.log"):
        line = log.read_bytes().split(b"\n", 1)[0]
        assert set(json.loads(line)) == {"format", "session", "meta"}
        headers.add(len(line))
    assert len(headers) == 1  # every flow's header is as long as any other's
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"


# --- 3. wrong passphrase ------------------------------------------------------------------------

def test_a_wrong_passphrase_opens_nothing_and_changes_nothing(cli, store_dir, tmp_path):
    folder, passfile = store_dir
    sid = cli_run(cli, folder, passfile)
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase\n")
    before = file_hashes(folder, skip=("audit.log",))
    audit_before = AuditLog(folder / "audit.log").entries()
    done = cli_proc("sessions", "show", sid, "--store", folder, "--passphrase-file", wrong)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "wrong passphrase" in lines[0], done.stderr
    assert file_hashes(folder, skip=("audit.log",)) == before
    audit_after = AuditLog(folder / "audit.log").entries()
    assert audit_after[:len(audit_before)] == audit_before
    assert [e["action"] for e in audit_after[len(audit_before):]] == ["wrong_passphrase"]
    count, problem, note = unlocked(folder).verify_audit()  # made while locked: not anchored
    assert (count, problem) == (len(audit_after), "") and "last 1 not yet anchored" in note

    store = Store(folder)
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        store.unlock("not the passphrase")
    assert store.store_key is None
    with pytest.raises(StorageError, match="locked"):
        store.open_session(sid)


def test_the_default_kdf_parameters_are_recorded_and_unlock(tmp_path):
    folder = tmp_path / "store"
    Store.create(folder, PASSPHRASE)
    kdf = json.loads((folder / "store.json").read_text())["kdf"]
    assert (kdf["name"], kdf["n"], kdf["r"], kdf["p"]) == ("scrypt", 131072, 8, 1)
    assert len(crypto.unb64(kdf["salt"])) == crypto.SALT_BYTES
    store = Store(folder)
    store.unlock(PASSPHRASE)
    assert store.store_key is not None and len(store.store_key) == crypto.KEY_BYTES
    with pytest.raises(WrongPassphrase):
        Store(folder).unlock(PASSPHRASE + "!")


def test_a_short_passphrase_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(StorageError, match="at least 8 characters"):
        Store.create(tmp_path / "store", "short", n=FAST_N)
    assert not (tmp_path / "store").exists()


def test_run_uses_the_kdf_parameters_the_store_records(cli, store_dir):
    folder, passfile = store_dir
    before = (folder / "store.json").read_bytes()
    cli_run(cli, folder, passfile)
    assert (folder / "store.json").read_bytes() == before
    assert json.loads(before)["kdf"]["n"] == FAST_N


# --- 4. tampering -------------------------------------------------------------------------------

@pytest.fixture
def two_sessions(store_dir, library):
    """A store with two sessions of 6 events each: (folder, passfile, store, [id, id])."""
    folder, passfile = store_dir
    store = unlocked(folder)
    ids = []
    for _ in range(2):
        saved = new_session(store, library, 6)
        ids.append(saved.id)
        saved.close()
    return folder, passfile, store, ids


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_flipped_ciphertext_byte_names_the_session_and_record_and_spares_the_others(
        two_sessions, cli, library):
    folder, passfile, store, (a, b) = two_sessions
    path = events_log(folder, a)
    _, _, records = spans(path)
    start, end = records[3]
    flip(path, start + LENGTH.size + crypto.NONCE_BYTES + 5)
    with pytest.raises(Tampered) as caught:
        store.open_session(a, writable=False)
    assert f"session {a}" in str(caught.value) and "record 3 does not verify" in str(caught.value)
    with pytest.raises(Tampered):
        SavedSession.resume(store, None, a)  # refused before the library is even looked at
    assert len(store.open_session(b, writable=False).events) == 6
    SavedSession.resume(store, library, b).close()

    code, out, _ = cli("sessions", "list", "--store", folder, "--passphrase-file", passfile)
    assert code == 0 and a in out and b in out
    code, out, _ = cli("sessions", "list", "--json", "--store", folder,
                       "--passphrase-file", passfile)
    assert {s["id"] for s in json.loads(out)} == {a, b}

    done = cli_proc("sessions", "show", a, "--store", folder, "--passphrase-file", passfile)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "internal error" not in done.stderr
    assert f"session {a}: record 3 does not verify" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    done = cli_proc("sessions", "show", b, "--store", folder, "--passphrase-file", passfile)
    assert done.returncode == 0, done.stderr


def _swap(data: bytes, records, i: int, j: int) -> bytes:
    (s1, e1), (s2, e2) = records[i], records[j]
    assert e1 <= s2
    return data[:s1] + data[s2:e2] + data[e1:s2] + data[s1:e1] + data[e2:]


TAMPERINGS = {
    "swap two records": (lambda d, h, r: _swap(d, r, 1, 2), "record 1 does not verify"),
    "delete a middle record": (lambda d, h, r: d[:r[2][0]] + d[r[2][1]:],
                               "record 2 does not verify"),
    "repeat a record": (lambda d, h, r: d[:r[3][1]] + d[r[3][0]:r[3][1]] + d[r[3][1]:],
                        "record 4 does not verify"),
    "change a nonce": (lambda d, h, r: d[:r[0][0] + 6] + bytes([d[r[0][0] + 6] ^ 0x80])
                       + d[r[0][0] + 7:], "record 0 does not verify"),
    "change the padding": (lambda d, h, r: d[:r[1][1] - 20] + bytes([d[r[1][1] - 20] ^ 1])
                           + d[r[1][1] - 19:], "record 1 does not verify"),
    "an impossible length": (lambda d, h, r: d[:r[5][0]] + b"\xff\xff\xff\xff" + d[r[5][0] + 4:],
                             "impossible length"),
    "a length of another bucket": (lambda d, h, r: d[:r[5][0]] + LENGTH.pack(BUCKETS[1] - 4)
                                   + d[r[5][0] + 4:] + bytes(BUCKETS[1] - BUCKETS[0]),
                                   "record 5 does not verify"),
    "cut the last whole record off": (lambda d, h, r: d[:r[5][0]],
                                      "it ends after 5 events, but 6 were saved"),
    "cut every record off": (lambda d, h, r: d[:h], "it ends after 0 events, but 6 were saved"),
}


@pytest.mark.parametrize("how", TAMPERINGS)
def test_altered_records_are_reported_as_tampering(two_sessions, cli, how):
    folder, passfile, store, (a, b) = two_sessions
    alter, message = TAMPERINGS[how]
    path = events_log(folder, a)
    data, header_end, records = spans(path)
    path.write_bytes(alter(data, header_end, records))
    with pytest.raises(Tampered, match=message) as caught:
        store.open_session(a, writable=False)
    assert a in str(caught.value)
    with pytest.raises(Tampered):
        store.open_session(a)  # for writing: refused too, and the lock is not kept
    assert len(store.open_session(b, writable=False).events) == 6
    code, _, err = cli("sessions", "show", a, "--store", folder, "--passphrase-file", passfile)
    assert code == 1 and message in err and "internal error" not in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = cli("sessions", "list", "--json", "--store", folder,
                       "--passphrase-file", passfile)
    listed = {s["id"]: s for s in json.loads(out)}
    assert code == 0 and set(listed) == {a, b} and "problem" not in listed[b]
    assert message in listed[a]["problem"]


def test_a_damaged_session_key_is_reported_and_the_others_still_open(two_sessions, cli):
    folder, passfile, store, (a, b) = two_sessions
    key = folder / "sessions" / a / "key"
    text = key.read_text()
    at = text.index(":") + 20  # in the wrapped key, after the store key's id
    key.write_text(("B" if text[at] != "B" else "C").join([text[:at], text[at + 1:]]))
    with pytest.raises(Tampered, match=f"session {a}: its key does not verify"):
        store.open_session(a, writable=False)
    key.write_text("not base64 at all!")
    with pytest.raises(Tampered, match=f"session {a}: its key does not verify"):
        store.open_session(a, writable=False)
    assert len(store.open_session(b, writable=False).events) == 6
    code, _, err = cli("sessions", "show", a, "--store", folder, "--passphrase-file", passfile)
    assert code == 1 and "its key does not verify" in err and "internal error" not in err


def test_a_key_or_log_moved_to_another_session_does_not_open_there(two_sessions):
    folder, _, store, (a, b) = two_sessions
    key_b = (folder / "sessions" / b / "key").read_bytes()
    shutil.copy(folder / "sessions" / a / "key", folder / "sessions" / b / "key")
    with pytest.raises(Tampered, match=f"session {b}: its key does not verify"):
        store.open_session(b, writable=False)  # a wrapped key is bound to its session's id
    (folder / "sessions" / b / "key").write_bytes(key_b)
    log_b = events_log(folder, b).read_bytes()
    shutil.copy(events_log(folder, a), events_log(folder, b))
    with pytest.raises(Tampered, match="belongs to another session"):
        store.open_session(b, writable=False)
    data = events_log(folder, b).read_bytes()  # ...and with its header saying it is b's
    events_log(folder, b).write_bytes(data.replace(a.encode(), b.encode(), 1))
    with pytest.raises(Tampered, match=f"session {b}: its header does not verify"):
        store.open_session(b, writable=False)
    events_log(folder, b).write_bytes(log_b)
    shutil.copy(folder / "marks" / a, folder / "marks" / b)  # a mark is bound to its session
    with pytest.raises(Tampered, match=f"session {b}: .*high-water mark.* does not verify"):
        store.open_session(b, writable=False)
    assert len(store.open_session(a, writable=False).events) == 6


def test_a_damaged_header_line_is_reported_and_the_list_goes_on(two_sessions, cli):
    folder, passfile, store, (a, b) = two_sessions
    path = events_log(folder, a)
    data = path.read_bytes()
    for header in (b"{not json", b"[1, 2]", b'"a string"'):
        path.write_bytes(header + data[data.index(b"\n"):])
        with pytest.raises(Tampered, match="header is damaged"):
            store.open_session(a, writable=False)
        code, out, err = cli("sessions", "list", "--json", "--store", folder,
                             "--passphrase-file", passfile)
        assert code == 0, err
        listed = {s["id"]: s for s in json.loads(out)}
        assert "header is damaged" in listed[a]["problem"] and "problem" not in listed[b]


STORE_JSON_DAMAGE = {
    "not JSON": lambda c: "{" + json.dumps(c)[:40],
    "no kdf": lambda c: json.dumps({k: v for k, v in c.items() if k != "kdf"}),
    "no N": lambda c: json.dumps({**c, "kdf": {k: v for k, v in c["kdf"].items() if k != "n"}}),
    "N not a power of two": lambda c: json.dumps({**c, "kdf": {**c["kdf"], "n": 3}}),
    "N absurdly large": lambda c: json.dumps({**c, "kdf": {**c["kdf"], "n": 2**40}}),
    "N as text": lambda c: json.dumps({**c, "kdf": {**c["kdf"], "n": "16384"}}),
    "r zero": lambda c: json.dumps({**c, "kdf": {**c["kdf"], "r": 0}}),
    "salt not base64": lambda c: json.dumps({**c, "kdf": {**c["kdf"], "salt": "!!"}}),
    "store key a number": lambda c: json.dumps({**c, "store_key": 5}),
    "a list": lambda c: json.dumps([c]),
}


@pytest.mark.parametrize("how", STORE_JSON_DAMAGE)
def test_a_damaged_store_json_is_a_clear_error(two_sessions, cli, how):
    folder, passfile, _, (a, _) = two_sessions
    config = json.loads((folder / "store.json").read_text())
    (folder / "store.json").write_text(STORE_JSON_DAMAGE[how](config))
    with pytest.raises(Tampered, match="store.json is damaged; restore it from a backup"):
        Store(folder).unlock(PASSPHRASE)
    code, out, err = cli("sessions", "show", a, "--store", folder, "--passphrase-file", passfile)
    assert code == 1 and out == ""
    assert "store.json is damaged" in err and "internal error" not in err


def test_an_altered_store_key_or_salt_cannot_be_told_from_a_wrong_passphrase(two_sessions):
    """Documented limitation: the KEK is all that checks store.json's key, salt and N."""
    folder, passfile, _, (a, _) = two_sessions
    config = json.loads((folder / "store.json").read_text())
    wrapped = bytearray(crypto.unb64(config["store_key"]))
    wrapped[20] ^= 1
    (folder / "store.json").write_text(
        json.dumps({**config, "store_key": crypto.b64(bytes(wrapped))}))
    with pytest.raises(WrongPassphrase):
        Store(folder).unlock(PASSPHRASE)
    (folder / "store.json").write_text(json.dumps({**config, "kdf": {**config["kdf"], "n": 2**15}}))
    with pytest.raises(WrongPassphrase):
        Store(folder).unlock(PASSPHRASE)
    done = cli_proc("sessions", "show", a, "--store", folder, "--passphrase-file", passfile)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "wrong passphrase" in done.stderr


def test_a_damaged_store_json_through_the_cli_gives_no_traceback(two_sessions):
    folder, passfile, _, (a, _) = two_sessions
    config = json.loads((folder / "store.json").read_text())
    (folder / "store.json").write_text(json.dumps({**config, "kdf": {**config["kdf"], "n": 3}}))
    for args in (("sessions", "show", a), ("sessions", "delete", a, "--yes")):
        done = cli_proc(*args, "--store", folder, "--passphrase-file", passfile)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert "store.json is damaged" in done.stderr and "internal error" not in done.stderr
    assert (folder / "sessions" / a / "key").is_file()  # nothing was deleted


# --- 5. truncation ------------------------------------------------------------------------------

def test_a_torn_last_record_is_dropped_quietly_wherever_the_crash_tore_it(store_dir, library):
    """A crash mid-write leaves part of a record that was never acknowledged (its mark was not
    updated): dropped on the next open, without complaint, at every byte it can end on."""
    folder, _ = store_dir
    store = unlocked(folder)
    saved = new_session(store, library, 7)
    sid, full = saved.id, list(saved.log.events)
    saved.close()
    path = events_log(folder, sid)
    original = path.read_bytes()
    log = store.open_session(sid, writable=False)
    record = logfmt.seal_record(log.key, sid, 7, 0, logfmt.encode(
        {"type": "observe", "value": "same_clothes_daily"}))
    for cut in range(1, len(record)):  # every byte offset inside the unacknowledged record
        path.write_bytes(original + record[:cut])
        log = store.open_session(sid, writable=False)
        assert log.recovered == TORN, cut
        assert log.events == full, cut
        assert next(s for s in store.list() if s.id == sid).problem == TORN
    # Whole but not yet acknowledged (killed between the record's fsync and the mark's): kept.
    path.write_bytes(original + record)
    log = store.open_session(sid, writable=False)
    assert not log.recovered and len(log.events) == 8
    # Whole, unacknowledged, but not what was written (the system wrote it out of order): torn.
    path.write_bytes(original + record[:-1] + bytes([record[-1] ^ 1]))
    log = store.open_session(sid, writable=False)
    assert log.recovered == TORN and log.events == full

    # Opened for writing, the torn tail is cut off the file and the next record follows.
    mark = folder / "marks" / sid
    mark_before = mark.read_bytes()
    for cut in sorted(random.Random(7).sample(range(1, len(record)), 30)):
        path.write_bytes(original + record[:cut])
        mark.write_bytes(mark_before)  # (each round starts from the same crash)
        resumed = SavedSession.resume(store, library, sid)
        assert resumed.log.recovered == TORN
        assert path.read_bytes() == original
        assert resumed.log.events == full
        resumed.session.observe("long_work_hours")
        resumed.close()
        log = store.open_session(sid, writable=False)
        assert not log.recovered and log.events[:-1] == full
        assert without_at(log.events[-1:]) == [{"type": "observe", "value": "long_work_hours"}]


def test_acknowledged_events_cut_off_the_end_are_reported_not_dropped(store_dir, library, cli):
    """Only a torn, unacknowledged tail goes quietly: any whole event cut off is reported."""
    folder, passfile = store_dir
    store = unlocked(folder)
    saved = new_session(store, library, 7)
    sid = saved.id
    saved.close()
    path = events_log(folder, sid)
    original, header_end, records = spans(path)
    for keep in range(7):  # cut on a record boundary, and inside the record after it
        for end in (records[keep][0], records[keep][0] + 100):
            path.write_bytes(original[:end])
            with pytest.raises(Tampered, match=f"it ends after {keep} events, but 7 were saved"):
                store.open_session(sid, writable=False)
            with pytest.raises(Tampered):
                SavedSession.resume(store, library, sid)  # and resuming does not cut the file
            assert path.read_bytes() == original[:end]
    code, out, err = cli("sessions", "list", "--json", "--store", folder,
                         "--passphrase-file", passfile)
    assert code == 0 and "but 7 were saved" in json.loads(out)[0]["problem"]
    path.write_bytes(original)
    assert len(store.open_session(sid, writable=False).events) == 7


def test_truncation_into_the_header_or_to_nothing_is_a_clear_error(store_dir, library, cli):
    folder, passfile = store_dir
    store = unlocked(folder)
    saved = new_session(store, library, 3)
    sid = saved.id
    saved.close()
    path = events_log(folder, sid)
    original = path.read_bytes()
    newline = original.index(b"\n")
    for cut in (0, 1, newline // 2, newline):
        path.write_bytes(original[:cut])
        with pytest.raises(Tampered, match="no header"):
            store.open_session(sid, writable=False)
        with pytest.raises(Tampered):
            store.open_session(sid)
        assert "no header" in next(s for s in store.list() if s.id == sid).problem
    code, _, err = cli("sessions", "show", sid, "--store", folder, "--passphrase-file", passfile)
    assert code == 1 and "no header" in err and "internal error" not in err
    path.write_bytes(original[:newline + 1])  # the header alone: its 3 events are gone
    with pytest.raises(Tampered, match="it ends after 0 events, but 3 were saved"):
        store.open_session(sid, writable=False)
    path.unlink()  # the log removed: its mark remains and says so
    code, out, _ = cli("sessions", "list", "--json", "--store", folder,
                       "--passphrase-file", passfile)
    assert code == 0 and [s["id"] for s in json.loads(out)] == [sid]
    assert "its events log was removed" in json.loads(out)[0]["problem"]


# --- 6. property: crash anywhere in a random interview, resume to the acknowledged state ----------

@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("property") / "store"
    Store.create(folder, PASSPHRASE, n=FAST_N)
    return unlocked(folder)


def _text():
    return st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)


def _answer_args(data, step: m.Step) -> tuple[tuple, dict]:
    cue_ids = [c.id for c in step.cues]
    cues = data.draw(st.lists(st.sampled_from(cue_ids), unique=True, max_size=3)) if cue_ids else []
    if step.records_facts:  # answers that record case facts: valid ones (bad ones are refused)
        taken: dict[str, object] = {}
        for cue in list(cues):
            sets = {k: v for k, v in step.cue(cue).sets if not m.is_list_fact(k)}
            if any(taken.get(k, v) != v for k, v in sets.items()):
                cues.remove(cue)
            taken.update(sets)
    if step.kind == "script":
        return ("yes",), {}
    if step.kind == "open" and step.fact == "age":
        return (), {"text": data.draw(st.sampled_from(["", "9", "15", "17"])), "cues": cues}
    if step.kind == "open":
        return (), {"text": data.draw(_text()), "cues": cues}
    value = data.draw(st.sampled_from(m.ANSWERS))
    if data.draw(st.booleans()):
        return (value,), {"text": data.draw(_text()), "cues": cues}
    return (value,), {}


def _one_operation(data, session: Session, library) -> None:
    flow = session.flow
    current = session.current
    choices = ["observe", "unobserve", "override", "edit", "term", "facts", "jump"]
    if current is not None:
        choices += ["answer", "answer", "answer", "skip", "skip"]
    if session.history:
        choices += ["back"]
    if flow.gate:
        choices += ["reread"]
    kind = data.draw(st.sampled_from(choices), label="operation")
    if kind == "answer":
        if current.kind in ("script", "closed", "open"):
            args, kwargs = _answer_args(data, current)
            session.answer(*args, **kwargs)
        else:
            session.skip()
    elif kind == "skip":
        session.skip()
    elif kind == "back":
        session.back()
    elif kind == "observe":
        session.observe(data.draw(st.sampled_from(sorted(library.red_flags))), data.draw(_text()))
    elif kind == "unobserve":
        pool = sorted(session.record.observations) or sorted(library.red_flags)
        session.unobserve(data.draw(st.sampled_from(pool)))
    elif kind == "override":
        finding = data.draw(st.one_of(
            st.sampled_from(sorted(library.red_flags)).map(lambda r: f"red_flag:{r}"),
            st.sampled_from(m.AT_RISK_LETTERS).map(lambda r: f"at_risk:{r}"),
            st.sampled_from(DISCLOSURE_FINDINGS).map(lambda r: f"disclosure:{r}")))
        reason = data.draw(_text().filter(lambda t: t.strip()))
        session.override(finding, data.draw(st.sampled_from(("confirm", "reject"))), reason)
    elif kind == "edit":
        step = data.draw(st.sampled_from(
            [s for s in flow.steps if s.kind in ("script", "closed", "open")]))
        args, kwargs = _answer_args(data, step)
        if step.kind == "script":
            session.edit(step.id, "yes")
        else:
            session.edit(step.id, *args, **kwargs)
    elif kind == "term":
        session.use_term(data.draw(_text().filter(lambda t: t.strip())), data.draw(_text()))
    elif kind == "facts":
        session.set_facts(**data.draw(st.fixed_dictionaries({}, optional={
            "case_status": st.sampled_from(m.CASE_STATUSES),
            "missing": st.booleans(),
            "case_id": st.text("ABC-0123456789", min_size=1, max_size=10)})))
    elif kind == "jump":
        before = len(session.events)
        try:
            session.jump(data.draw(st.sampled_from([s.id for s in flow.sections])))
        except InputError:  # refused (the gate): nothing may have been saved
            assert len(session.events) == before
    elif kind == "reread":
        session.reread_script()


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_property_a_crash_anywhere_resumes_to_the_acknowledged_state(shared_store, library, data):
    store = shared_store
    flow_id = data.draw(st.sampled_from(sorted(library.flows)), label="flow")
    saved = SavedSession.create(store, library, flow_id)
    sid, path = saved.id, events_log(store.path, saved.id)
    for _ in range(data.draw(st.integers(0, 30), label="operations")):
        _one_operation(data, saved.session, library)
    acknowledged = list(saved.session.events)
    assert saved.log.count == len(acknowledged)
    crash = data.draw(st.sampled_from(["drop", "torn", "written"]), label="crash")
    # The process dies during the next save: mid-write of its record (torn), or after the
    # record is on disk but before its mark is (written): in neither case was it acknowledged.
    class Crash(BaseException):
        pass

    real_write = os.write

    def write_part(fd, record):
        real_write(fd, bytes(record)[:data.draw(st.integers(1, len(record) - 1), label="torn at")])
        raise Crash()

    def die(*args):
        raise Crash()

    written = 0
    if crash != "drop":
        patch = ((store_mod.os, "write", write_part) if crash == "torn"
                 else (store_mod.marks, "update", die))
        original = getattr(*patch[:2])
        setattr(*patch)
        try:
            before = saved.log.count
            _one_operation(data, saved.session, library)
            _one_operation(data, saved.session, library)
            assert saved.log.count == before  # (an operation that saves nothing does not crash)
        except Crash:
            written = int(crash == "written")
        finally:
            setattr(patch[0], patch[1], original)
        assert list(saved.session.events) == acknowledged  # not applied: not acknowledged
    torn = crash == "torn" and path.stat().st_size > saved.log.end
    # The process dies: its descriptors (and so its lock) go with it; nothing is closed politely.
    for fd in (saved.log.fd, saved.log.mark_fd, saved.log.lock_fd):
        os.close(fd)
    saved.session.close()  # only detaches the in-memory cursor from the shared state machine
    del saved

    resumed = SavedSession.resume(store, library, sid)
    if written:  # the event on disk but never acknowledged is kept: nothing is lost either way
        assert len(resumed.session.events) == len(acknowledged) + 1
        acknowledged = acknowledged + resumed.session.events[-1:]
    try:
        expected = Session(library, flow_id, events=acknowledged)
        assert record_state(resumed.session) == record_state(expected)
        assert [e.as_json() for e in resumed.session.events] == [e.as_json() for e in acknowledged]
        assert resumed.log.recovered == (TORN if torn else "")
        # ...and it goes on: one more event is saved and replays.
        _one_operation(data, resumed.session, library)
        _one_operation(data, resumed.session, library)
        after = list(resumed.session.events)
        final = record_state(resumed.session)
        expected.close()
    finally:
        resumed.close()
    log = store.open_session(sid, writable=False)
    assert not log.recovered and log.events == [e.as_json() for e in after]
    replayed = Session(library, flow_id, events=after)
    assert record_state(replayed) == final
    replayed.close()


# --- 7. failures of the disk: fsync, rename, permissions, short writes --------------------------

def _fail(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail


@pytest.mark.parametrize("code, says", [(errno.ENOSPC, "the disk is full"),
                                        (errno.EIO, "input/output error"),
                                        (errno.EDQUOT, "quota")])
def test_an_fsync_failure_is_not_acknowledged_and_not_applied(store_dir, library, monkeypatch,
                                                             code, says):
    folder, _ = store_dir
    store = unlocked(folder)
    saved = new_session(store, library, 4)
    path = events_log(folder, saved.id)
    size, state = path.stat().st_size, record_state(saved.session)
    events = len(saved.session.events)
    monkeypatch.setattr(store_mod.os, "fsync", _fail(code))
    with pytest.raises(StorageError, match=f"could not save the last answer: .*{says}"):
        step_on(saved.session)
    monkeypatch.undo()
    assert path.stat().st_size == size  # still ends on a whole record
    assert record_state(saved.session) == state and len(saved.session.events) == events
    assert saved.log.count == events
    step_on(saved.session)  # the disk has room again: the same answer saves
    saved.close()
    log = store.open_session(saved.id, writable=False)
    assert not log.recovered and len(log.events) == events + 1


def test_a_short_write_is_cut_back_and_reported(store_dir, library, monkeypatch):
    folder, _ = store_dir
    store = unlocked(folder)
    saved = new_session(store, library, 3)
    path = events_log(folder, saved.id)
    size, state = path.stat().st_size, record_state(saved.session)
    real_write = os.write

    def half(fd, data):
        return real_write(fd, bytes(data)[:len(data) // 2])

    monkeypatch.setattr(store_mod.os, "write", half)
    with pytest.raises(StorageError, match="the disk is full"):
        saved.session.observe("same_clothes_daily", "a note")
    monkeypatch.undo()
    assert path.stat().st_size == size
    assert record_state(saved.session) == state
    saved.close()
    log = store.open_session(saved.id, writable=False)
    assert not log.recovered and len(log.events) == 3


def test_a_failed_rename_leaves_no_half_written_store(tmp_path, monkeypatch):
    folder = tmp_path / "store"
    monkeypatch.setattr(store_mod.os, "replace", _fail(errno.ENOSPC))
    with pytest.raises(StorageError, match=r"could not create the store in .*: the disk is full"):
        Store.create(folder, PASSPHRASE, n=FAST_N)
    monkeypatch.undo()
    assert not (folder / "store.json").exists() and not Store.exists(folder)
    Store.create(folder, PASSPHRASE, n=FAST_N)  # and it can be tried again
    unlocked(folder)

    # A failed fsync of store.json's temporary file: the same.
    other = tmp_path / "other"
    monkeypatch.setattr(store_mod.os, "fsync", _fail(errno.EIO))
    with pytest.raises(StorageError, match="input/output error"):
        Store.create(other, PASSPHRASE, n=FAST_N)
    monkeypatch.undo()
    assert not Store.exists(other)


@pytest.mark.parametrize("failing_call", [1, 2])
def test_a_failed_rename_while_creating_a_session(store_dir, library, monkeypatch, failing_call):
    folder, _ = store_dir
    store = unlocked(folder)
    kept = new_session(store, library, 2)
    kept.close()
    audit = len(store.audit.entries())
    real_replace, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == failing_call:  # 1: the key file, 2: the events log
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(store_mod.os, "replace", replace)
    with pytest.raises(StorageError, match="could not create a new session: the disk is full"):
        SavedSession.create(store, library, "youth")
    monkeypatch.undo()
    assert [s.id for s in store.list()] == [kept.id]  # no half-made session is listed
    for log in folder.glob("sessions/*/events.log"):
        read_records(log)  # every events log there is whole
    assert len(store.audit.entries()) == audit  # nor was it audited as created
    assert len(store.open_session(kept.id, writable=False).events) == 2
    new_session(store, library, 1).close()
    assert len(store.list()) == 2


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores folder permissions")
def test_a_read_only_sessions_folder_is_a_clear_error(store_dir, library):
    folder, _ = store_dir
    store = unlocked(folder)
    os.chmod(folder / "sessions", 0o500)
    try:
        with pytest.raises(StorageError, match="could not create a new session: permission denied"):
            SavedSession.create(store, library, "youth")
    finally:
        os.chmod(folder / "sessions", 0o700)


@pytest.mark.parametrize("code, says", [(errno.EACCES, "permission denied"),
                                        (errno.EROFS, "the disk is read-only")])
def test_a_folder_that_cannot_be_written_is_a_clear_error(store_dir, library, monkeypatch,
                                                          code, says, tmp_path):
    """What a read-only folder does, simulated (so that it is tested as root too)."""
    folder, _ = store_dir
    store = unlocked(folder)
    monkeypatch.setattr(store_mod.os, "mkdir", _fail(code))
    with pytest.raises(StorageError, match=f"could not create a new session: {says}"):
        SavedSession.create(store, library, "youth")
    with pytest.raises(StorageError, match=f"could not create the store in .*: {says}"):
        Store.create(tmp_path / "elsewhere", PASSPHRASE, n=FAST_N)
    monkeypatch.undo()
    assert store.list() == []


def test_a_session_file_that_cannot_be_opened_for_writing_is_a_clear_error(store_dir, library,
                                                                            monkeypatch):
    folder, _ = store_dir
    store = unlocked(folder)
    saved = new_session(store, library, 2)
    saved.close()
    real_open = os.open

    def deny_events_log(path, flags, *args):
        if str(path).endswith("events.log") and flags & os.O_WRONLY:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(store_mod.os, "open", deny_events_log)
    with pytest.raises(StorageError, match=f"could not open session {saved.id} for writing: "
                                           "permission denied"):
        SavedSession.resume(store, library, saved.id)
    monkeypatch.undo()
    SavedSession.resume(store, library, saved.id).close()  # the lock was let go


# --- 8. one writer at a time --------------------------------------------------------------------

def test_a_session_open_for_writing_cannot_be_opened_again(store_dir, library):
    folder, _ = store_dir
    store = unlocked(folder)
    first = new_session(store, library, 3)
    with pytest.raises(SessionBusy,
                       match=f"session {first.id} is open in another window or program"):
        SavedSession.resume(store, library, first.id)
    with pytest.raises(SessionBusy):
        unlocked(folder).open_session(first.id)  # another Store object: the same
    assert len(store.open_session(first.id, writable=False).events) == 3  # reading is allowed
    first.close()
    again = SavedSession.resume(store, library, first.id)
    assert len(again.session.events) == 3
    again.close()


def test_a_session_open_in_another_process_is_busy_until_it_closes(store_dir, library):
    folder, _ = store_dir
    store = unlocked(folder)
    saved = new_session(store, library, 2)
    saved.close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom interview.storage.store import Store\n"
         "s = Store(sys.argv[1]); s.unlock(sys.argv[2]); log = s.open_session(sys.argv[3])\n"
         "print('ready', flush=True); sys.stdin.readline(); log.close()\n"
         "print('closed', flush=True)\n"
         "sys.stdin.readline()",
         str(folder), PASSPHRASE, saved.id],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(SessionBusy, match="open in another window or program"):
            SavedSession.resume(store, library, saved.id)
        holder.stdin.write("close\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"  # closed, the process still alive
        resumed = SavedSession.resume(store, library, saved.id)
        resumed.session.observe("same_clothes_daily")
        resumed.close()
    finally:
        holder.kill()
        holder.wait()
    assert len(store.open_session(saved.id, writable=False).events) == 3


def test_a_writer_closing_just_as_another_opens_loses_nothing(store_dir, library, monkeypatch):
    """The log is read under the lock: a record added between reading and locking would
    otherwise be overwritten in numbering (a duplicate seq) or cut off as a 'torn tail'."""
    folder, _ = store_dir
    store = unlocked(folder)
    saved = new_session(store, library, 2)
    saved.close()
    holder = store.open_session(saved.id)
    acknowledged = 2
    real_read = store_mod.SessionLog._read

    def read_then_other_writer_finishes(self):
        nonlocal acknowledged
        real_read(self)
        if holder.fd is not None:  # the other window saves one more event and closes
            holder.append({"type": "observe", "value": "same_clothes_daily"}, 0)
            acknowledged += 1
            holder.close()

    monkeypatch.setattr(store_mod.SessionLog, "_read", read_then_other_writer_finishes)
    try:
        second = store.open_session(saved.id)
    except SessionBusy:  # the lock is taken before reading, so the race cannot happen
        holder.close()
        second = store.open_session(saved.id)
    monkeypatch.undo()
    second.append({"type": "observe", "value": "long_work_hours"}, 0)
    acknowledged += 1
    second.close()
    log = store.open_session(saved.id, writable=False)
    assert len(log.events) == acknowledged and not log.recovered
    assert log.events[-1]["value"] == "long_work_hours"


def test_reading_an_interview_while_another_window_writes_it_never_reports_damage(store_dir,
                                                                                 library):
    """Another window lists, reviews or counts an interview the worker is saving to: each read
    sees a whole prefix, never 'events cut off' (the mark is read before the log)."""
    import threading

    folder, _ = store_dir
    writer = unlocked(folder).create_session("youth")
    reader = unlocked(folder)
    done, seen = threading.Event(), []

    def write() -> None:
        try:
            for n in range(400):
                writer.append({"type": "observe", "value": "same_clothes_daily", "note": str(n)})
        finally:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    while not done.is_set():
        log = reader.open_session(writer.id, writable=False)
        assert [e["note"] for e in log.events] == [str(n) for n in range(len(log.events))]
        seen.append(len(log.events))
        assert next(s for s in reader.list() if s.id == writer.id).problem in ("", TORN)
    thread.join()
    writer.close()
    assert seen == sorted(seen) and len(reader.open_session(writer.id, False).events) == 400


# --- 9. delete ----------------------------------------------------------------------------------

def test_delete_destroys_the_key_so_a_copy_of_the_log_is_unreadable(cli, store_dir, tmp_path):
    folder, passfile = store_dir
    sid = cli_run(cli, folder, passfile)
    other = cli_run(cli, folder, passfile, EXAMPLES[0])
    session = folder / "sessions" / sid
    copy = tmp_path / "events.log.copy"
    shutil.copy(session / "events.log", copy)
    wrapped = (session / "key").read_bytes()
    store = unlocked(folder)
    data_key = store._data_key(sid)

    common = ("--store", folder, "--passphrase-file", passfile)
    code, out, err = cli("sessions", "delete", sid, "--yes", *common)
    assert code == 0, err
    assert f"session {sid} deleted" in out
    assert not session.exists()
    code, out, _ = cli("sessions", "list", "--json", *common)
    assert [s["id"] for s in json.loads(out)] == [other]
    code, _, err = cli("sessions", "show", sid, "--store", folder, "--passphrase-file", passfile)
    assert code == 1 and f"no session {sid!r} in this store" in err
    code, _, err = cli("sessions", "delete", sid, "--yes", "--store", folder,
                      "--passphrase-file", passfile)
    assert code == 1 and f"no session {sid!r} in this store: it was deleted on 20" in err

    # The wrapped key is nowhere in the store any more...
    for path in folder.rglob("*"):
        assert path.is_dir() or wrapped not in path.read_bytes(), path
    assert not list(folder.glob(f"sessions/{sid}*"))
    # ...and the store key alone cannot read the copy: every record is sealed with the data key.
    records = read_records(copy)
    assert len(records) == 12
    for position, record in enumerate(records):
        with pytest.raises(Tampered):
            logfmt.open_record(store.store_key, sid, position, record)
    assert logfmt.open_record(data_key, sid, 0, records[0])[1]["type"] == "facts"  # (the key
    # was the one that mattered)
    # Put back without its key, the log is reported as deleted, not as readable.
    session.mkdir(mode=0o700)
    shutil.copy(copy, session / "events.log")
    with pytest.raises(StorageError, match=f"session {sid} was deleted on"):
        store.open_session(sid, writable=False)
    # The other session is untouched.
    assert len(store.open_session(other, writable=False).events) > 0


def test_delete_needs_the_passphrase(cli, store_dir, tmp_path):
    folder, passfile = store_dir
    sid = cli_run(cli, folder, passfile)
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase\n")
    code, _, err = cli("sessions", "delete", sid, "--yes", "--store", folder,
                      "--passphrase-file", wrong)
    assert code == 1 and "wrong passphrase" in err
    assert (folder / "sessions" / sid / "key").is_file()
    with pytest.raises(StorageError, match="locked"):
        Store(folder).delete_session(sid)


# --- 10. passphrase change ----------------------------------------------------------------------

def test_changing_the_passphrase_makes_a_new_store_key_and_rewraps_every_data_key(cli, store_dir):
    folder, passfile = store_dir
    ids = [cli_run(cli, folder, passfile, example) for example in EXAMPLES]
    sessions_before = file_hashes(folder / "sessions")
    keys_before = {p: h for p, h in sessions_before.items() if p.endswith("/key")}
    config_before = json.loads((folder / "store.json").read_text())
    store = Store(folder)
    with pytest.raises(WrongPassphrase):
        store.change_passphrase("not the passphrase", "a new passphrase")
    assert json.loads((folder / "store.json").read_text()) == config_before
    with pytest.raises(StorageError, match="at least 8 characters"):
        store.change_passphrase(PASSPHRASE, "short")
    store.change_passphrase(PASSPHRASE, "a new passphrase")

    with pytest.raises(WrongPassphrase):
        Store(folder).unlock(PASSPHRASE)
    fresh = Store(folder)
    fresh.unlock("a new passphrase")
    for sid in ids:
        assert fresh.open_session(sid, writable=False).events
    after = file_hashes(folder / "sessions")
    logs = {p: h for p, h in after.items() if p.endswith("events.log")}
    assert logs == {p: h for p, h in sessions_before.items() if p.endswith("events.log")}
    assert all(after[p] != h for p, h in keys_before.items())  # each data key re-wrapped
    assert {(folder / "sessions" / sid / "key").read_text().split(":")[0] for sid in ids} == {
        fresh.key_id} != {config_before["key_id"]}
    config = json.loads((folder / "store.json").read_text())
    assert "retiring" not in config and config["key_id"] != config_before["key_id"]
    assert config["kdf"]["n"] == FAST_N and config["kdf"]["salt"] != config_before["kdf"]["salt"]
    assert config["store_key"] != config_before["store_key"]
    assert stat.S_IMODE((folder / "store.json").stat().st_mode) == 0o600
    assert store.audit.entries()[-1]["action"] == "passphrase_changed"
    assert fresh.verify_audit()[1] == ""


# --- 11. the audit trail ------------------------------------------------------------------------

def test_the_audit_trail_records_actions_not_answers_and_detects_edits(cli, store_dir, tmp_path):
    folder, passfile = store_dir  # (the fixture's Store.create wrote `store_created`)
    sid = cli_run(cli, folder, passfile)
    common = ("--store", folder, "--passphrase-file", passfile)
    assert cli("sessions", "show", sid, *common)[0] == 0
    assert cli("sessions", "delete", sid, "--yes", *common)[0] == 0
    code, out, err = cli("audit", "verify", *common)
    assert code == 0, err
    assert out.strip() == "ok: 7 audit entries, the chain is intact and matches its sealed head"
    entries = AuditLog(folder / "audit.log").entries()
    assert [e["action"] for e in entries] == ["store_created", "unlocked", "created", "unlocked",
                                              "reviewed", "unlocked", "deleted"]
    assert [e.get("session") for e in entries if e.get("session")] == [sid] * 3
    assert [e["n"] for e in entries] == list(range(1, 8))
    for entry in entries:
        assert set(entry) <= {"n", "at", "user", "action", "prev", "hash", "session"}
    text = (folder / "audit.log").read_text()
    for needle in _needles(read_case_file(SURVIVAL)) + [PASSPHRASE]:
        assert needle not in text

    original = (folder / "audit.log").read_text().splitlines(keepends=True)

    def broken(lines, expected):
        (folder / "audit.log").write_text("".join(lines))
        code, out, err = cli("audit", "verify", *common)
        assert code == 1 and out == "", out
        assert expected in err and "internal error" not in err, err
        return err

    edited = json.loads(original[4])
    edited["action"] = "exported"
    broken(original[:4] + [json.dumps(edited, sort_keys=True) + "\n"] + original[5:],
           "after 4 good entries: line 5 was altered")
    edited = original[4].replace('"user": "', '"user": "x', 1)
    assert edited != original[4]
    broken(original[:4] + [edited] + original[5:], "line 5 was altered")
    broken(original[:4] + ["{not json\n"] + original[5:], "line 5 is not a valid entry")
    broken(original[:2] + original[3:], "after 2 good entries: line 3 does not follow line 2")
    broken(original[:2] + [original[3], original[2]] + original[4:],
           "line 3 does not follow line 2")
    (folder / "audit.log").write_text("".join(original))
    assert cli("audit", "verify", *common)[0] == 0  # (verifying adds nothing to the trail)


def test_audit_verify_where_there_is_no_store_says_so(cli, tmp_path):
    code, out, err = cli("audit", "verify", "--store", tmp_path)
    assert code == 1 and out == "" and f"no store at {tmp_path}" in err


# --- 12. show --json agrees with assess --json ----------------------------------------------------

@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_sessions_show_json_gives_the_same_findings_as_assess(cli, store_dir, example, library):
    folder, passfile = store_dir
    sid = cli_run(cli, folder, passfile, example)
    code, out, err = cli("sessions", "show", sid, "--json", "--store", folder,
                         "--passphrase-file", passfile)
    assert code == 0, err
    shown = json.loads(out)
    code, out, err = cli("assess", example, "--json")
    assert code == 0, err
    assessed = json.loads(out)
    assert shown["session"] == sid and shown["flow"] == read_case_file(example)["flow"]
    assert isinstance(shown["events"], list) and shown["events"]
    assert all(e["type"] in ("facts", "answer", "edit", "observe", "override", "skip")
               for e in shown["events"])
    assert {"red_flags", "at_risk", "disclosures", "csec_type", "next_steps"} <= set(shown)
    for key in ("red_flags", "at_risk", "disclosures", "csec_type", "suspected", "response",
                "jurisdiction"):
        assert shown[key] == assessed[key], key
    # The answered count shown before unlocking is the answers recorded (not one short).
    record = build_record(library, read_case_file(example))
    info = next(s for s in unlocked(folder).list() if s.id == sid)
    assert info.answered == len(record.answers) and info.events == len(shown["events"])
    # And the plain summary names the session.
    code, out, _ = cli("sessions", "show", sid, "--store", folder, "--passphrase-file", passfile)
    assert code == 0 and sid in out


# --- 13. no passphrase and no terminal -----------------------------------------------------------

def test_run_without_a_passphrase_file_or_terminal_creates_nothing(tmp_path):
    folder = tmp_path / "store"
    done = cli_proc("run", "youth", "--answers", SURVIVAL, "--store", folder,
                    stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    assert "--passphrase-file" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "saved" not in done.stdout
    assert not folder.exists()


def test_an_empty_or_missing_passphrase_file_is_a_clear_error(cli, tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("")
    folder = tmp_path / "store"
    code, _, err = cli("run", "youth", "--answers", SURVIVAL, "--store", folder,
                       "--passphrase-file", empty)
    assert code == 1 and "the passphrase file is empty" in err
    code, _, err = cli("run", "youth", "--answers", SURVIVAL, "--store", folder,
                       "--passphrase-file", tmp_path / "missing")
    assert code == 1 and "cannot read the passphrase file" in err
    assert not folder.exists()


def test_sessions_show_without_a_store_says_so(cli, tmp_path):
    passfile = tmp_path / "passphrase"
    passfile.write_text(PASSPHRASE)
    none = tmp_path / "none"
    # Before: `sessions list` printed "No saved interviews in ..." and exited 0, so a mistyped
    # --store looked like a store whose interviews were gone. Every command says the same.
    for command in (["sessions", "list"], ["sessions", "list", "--json"],
                    ["sessions", "show", "abc"], ["sessions", "delete", "abc", "--yes"],
                    ["audit", "verify"], ["passphrase"], ["aggregate"], ["report", "abc"]):
        code, out, err = cli(*command, "--store", none, "--passphrase-file", passfile)
        assert code == 1 and out == "", command
        assert err.startswith(f"csec-interview: no store at {none}: check the --store path")
        assert err.count("\n") == 1 and "Traceback" not in err
    assert not none.exists()


def test_before_the_first_interview_the_default_store_lists_as_empty(cli, tmp_path,
                                                                     monkeypatch):
    """A new user's first `sessions list`: nothing saved yet is an empty list (exit 0), not an
    error; the other commands, which need an interview, still say there is no store."""
    default = tmp_path / "data" / "csec-interview"
    monkeypatch.setenv("CSEC_INTERVIEW_STORE", str(default))
    code, out, err = cli("sessions", "list")
    assert (code, err) == (0, "") and out.startswith("No saved interviews yet")
    assert str(default) in out and out.count("\n") == 1
    code, out, err = cli("sessions", "list", "--json")
    assert (code, json.loads(out), err) == (0, [], "")
    code, out, err = cli("sessions", "show", "abcd")
    assert code == 1 and out == "" and "no store yet" in err
    assert not default.exists()  # listing creates nothing
    # The remains of a store (interviews, no store.json) are not "nothing saved yet".
    (default / "sessions" / "abcd1234").mkdir(parents=True)
    code, out, err = cli("sessions", "list")
    assert code == 1 and out == "" and "store.json is missing" in err


def test_an_empty_store_still_lists_as_empty(cli, store_dir):
    folder, passfile = store_dir  # the good one beside a path with no store
    code, out, err = cli("sessions", "list", "--store", folder, "--passphrase-file", passfile)
    assert code == 0 and out == f"No saved interviews in {folder}.\n", err


def test_a_session_open_elsewhere_cannot_be_deleted_until_it_is_closed(tmp_path, library):
    from interview.storage.saved import SavedSession
    from interview.storage.store import SessionBusy, Store

    store = Store.create(tmp_path / "busy", "a passphrase here", n=FAST_N)
    writer = SavedSession.create(store, library, "youth")
    writer.session.skip()
    with pytest.raises(SessionBusy, match="open in another window"):
        store.delete_session(writer.id)
    assert len(store.open_session(writer.id, writable=False).events) == 1
    writer.close()
    store.delete_session(writer.id)
    assert store.list() == []


# --- sessions show: which next steps are done (walk 2.7) -----------------------------------------

def test_sessions_show_says_which_next_steps_are_done_as_the_report_does(cli, store_dir, library):
    folder, passfile = store_dir
    sid = cli_run(cli, folder, passfile)
    common = ("--store", folder, "--passphrase-file", passfile)
    code, out, _ = cli("sessions", "show", sid, "--json", *common)
    before = json.loads(out)["next_steps"]
    assert code == 0 and len(before) >= 2 and {s["status"] for s in before} == {"open"}
    code, out, _ = cli("sessions", "show", sid, *common)
    assert code == 0 and "marked done" not in out  # nothing done: nothing said
    first, second = before[0], before[1]
    saved = SavedSession.resume(unlocked(folder), library, sid)
    saved.session.mark_next_step(second["id"], note="referral 4471 \x1b[31m")
    saved.close()
    code, out, _ = cli("sessions", "show", sid, "--json", *common)
    shown = {s["id"]: s for s in json.loads(out)["next_steps"]}
    assert shown[second["id"]]["status"] == "done" and shown[first["id"]]["status"] == "open"
    assert shown[second["id"]]["note"] == "referral 4471 \x1b[31m" and shown[second["id"]]["done_at"]
    code, report, _ = cli("report", sid, "--format", "json", *common)
    assert [(s["id"], s["status"]) for s in json.loads(report)["next_steps"]] == \
        [(s["id"], s["status"]) for s in json.loads(out)["next_steps"]]  # the report's own list
    code, out, _ = cli("sessions", "show", sid, *common)
    assert code == 0 and f"Next steps marked done (1 of {len(before)})" in out
    done = next(line for line in out.splitlines() if line.startswith("  2. DONE "))
    assert second["action"] in done and "(note: referral 4471 )" in done
    assert "\x1b" not in out and "  1. DONE" not in out


def test_the_store_given_before_the_command_is_the_commands_store(cli, tmp_path, monkeypatch):
    """Screen audit, 8: `csec-interview --store D run ...` saved the interview into the default
    store, and `--store D sessions list` listed the default store: D was dropped without a
    word. Before the command or after it, it is the same store; given twice, they must agree."""
    default = tmp_path / "default"
    monkeypatch.setenv("CSEC_INTERVIEW_STORE", str(default))
    chosen = tmp_path / "chosen"
    passfile = tmp_path / "pw"
    passfile.write_text(PASSPHRASE + "\n")
    code, out, err = cli("--store", chosen, "run", "--answers", SURVIVAL,
                         "--passphrase-file", passfile)
    assert code == 0, err
    sid = out.strip().splitlines()[-1].split()[1].rstrip(":")
    assert (chosen / "sessions" / sid).is_dir() and not default.exists()
    code, out, err = cli("--store", chosen, "sessions", "list", "--passphrase-file", passfile)
    assert code == 0 and sid in out, err
    code, out, err = cli("--store", chosen, "sessions", "list", "--store", tmp_path / "other",
                         "--passphrase-file", passfile)
    assert code == 1 and "--store is given twice" in err and out == ""
