"""`csec-interview sync` against a real PostgreSQL (tests/postgres.py): every event once, as the
laptop stored it; resumable after a kill at any point; two at once; the county key pinned; the
county key (and only it) opens what was sent; errors said plainly. All cases are fictional."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT
from interview.county import keys
from interview.county.db import CountyError
from interview.storage import log as logfmt
from postgres import County
from stores import FAST_N, PASSPHRASE, child_env, new_session, unlocked
from interview.storage.store import Store

# Distinctive, fictional: none of these may reach the database in the clear.
SECRETS = {"name": "Zinnia Quellbrook", "case": "CASE-QX-90210-ZULU",
           "note": "the glasshouse on Vellichor Street", "worker": "Ottoline Brambleton"}


@pytest.fixture
def county(postgres, tmp_path, monkeypatch):
    from interview.storage import crypto

    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)  # the county key files `county init` writes
    return County(postgres, tmp_path)


def laptop(tmp_path, name: str):
    """A worker's store (cheap KDF) and its passphrase file."""
    folder = tmp_path / f"store-{name}"
    Store.create(folder, PASSPHRASE, n=FAST_N)
    passfile = tmp_path / f"pass-{name}"
    passfile.write_text(PASSPHRASE + "\n")
    return folder, passfile


def fictional_interview(cli, tmp_path, folder, passfile) -> str:
    """The survival-sex example, with a name, case number and words of its own; its id."""
    case = yaml.safe_load((ROOT / "flows" / "examples" / "survival-sex.yaml").read_text())
    case["context"].update(case_id=SECRETS["case"], interviewee=SECRETS["name"],
                           interviewer=SECRETS["worker"])
    case["answers"]["open_staying"]["text"] = f"Mostly at {SECRETS['note']}."
    answers = tmp_path / "case.yaml"
    answers.write_text(yaml.safe_dump(case))
    code, out, err = cli("run", "youth", "--answers", answers, "--store", folder,
                         "--passphrase-file", passfile)
    assert code == 0, err
    return out.split("session ", 1)[1].split(":", 1)[0]


def sync(cli, monkeypatch, county, who, folder, passfile, *extra):
    monkeypatch.setenv("PGPASSWORD", county.passwords[who])
    return cli("sync", "--db", county.url_for(who), "--store", folder, "--passphrase-file",
               passfile, *extra)


def local_records(folder) -> dict[tuple[str, int], bytes]:
    store = unlocked(folder)
    out = {}
    for sid in store.session_ids():
        data = (folder / "sessions" / sid / "events.log").read_bytes()
        _, start = logfmt.parse_header(data, sid, sid)
        for seq, record in enumerate(logfmt.split_records(data, start, sid)[0]):
            out[(sid, seq)] = record
    return out


def server_records(county) -> dict[tuple[str, int], bytes]:
    with county.admin() as conn:
        return {(sid, seq): bytes(rec) for sid, seq, rec in
                conn.execute("SELECT session_id, seq, record FROM events")}


def test_sync_sends_each_event_once_as_stored_and_the_county_key_opens_it(
        cli, monkeypatch, county, tmp_path, library):
    alice = county.user("worker", "north")
    folder, passfile = laptop(tmp_path, "a")
    first = fictional_interview(cli, tmp_path, folder, passfile)
    store = unlocked(folder)
    second = new_session(store, library, 3)
    second.close()

    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile, "--json")
    assert code == 0, err
    sent = json.loads(out)
    local = local_records(folder)
    assert sent["events"] == len(local) and sent["new_sessions"] == sent["sessions"] == 2
    assert sent["summaries"] == 2 and sent["bytes"] == sum(map(len, local.values()))
    assert sent["county_key"]["fingerprint"] == county.key.fingerprint
    assert server_records(county) == local  # byte for byte, as the laptop stored them

    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile)
    assert code == 0, err
    assert "Nothing to send" in out and "2 interviews" in out

    saved = store.open_session(second.id)  # the interview goes on after a sync
    saved.append({"type": "observe", "value": "same_clothes_daily"}, 0)
    saved.close()
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile, "--json")
    again = json.loads(out)
    assert (again["events"], again["sessions"], again["new_sessions"]) == (1, 1, 0)
    assert again["summaries"] == 1 and again["up_to_date"] == 1
    assert server_records(county) == local_records(folder)

    # The county side: the key file opens each data key (one ECDH per wrap), the data keys the
    # events, and the summaries the county table's data.
    key = keys.load_county_private(county.key_file, County.PASSPHRASE)
    with county.admin() as conn:
        rows = conn.execute("SELECT i.session_id, w.county_key, w.ephemeral, i.wrapped_key "
                            "FROM interviews i JOIN wraps w ON w.id = i.wrap").fetchall()
        summaries = conn.execute("SELECT s.session_id, w.county_key, w.ephemeral, s.sealed, "
                                 "s.events FROM summaries s JOIN wraps w ON w.id = s.wrap"
                                 ).fetchall()
    data_keys = keys.unwrap_data_keys(key, rows)
    assert set(data_keys) == {first, second.id}
    opened = [logfmt.open_record(data_keys[sid], sid, seq, rec)[1]
              for (sid, seq), rec in sorted(server_records(county).items()) if sid == first]
    assert opened == store.open_session(first, writable=False).events
    unwrapper = keys.Unwrapper(key)
    for sid, county_id, eph, sealed, events in summaries:
        bound = unwrapper.summary(sid, county_id, eph, sealed)
        assert bound["data"] == store.read_summary(sid) and bound["events"] == events
    assert unwrapper.summary(first, rows[0][1], rows[0][2], b"x" * 4096) is None
    # bound to their interview: a wrapped key or a record moved to another does not open
    other = next(r for r in rows if r[0] != first)
    assert keys.unwrap_data_keys(key, [(first, *other[1:])]) == {}
    record = server_records(county)[(second.id, 0)]
    with pytest.raises(Exception):
        logfmt.open_record(data_keys[first], first, 0, record)
    # ...and another county key opens nothing
    assert keys.unwrap_data_keys(keys.new_county_key(), rows) == {}

    # the worker's own trail records each sync, without content
    trail = [e for e in store.audit.entries() if e["action"] == "synced"]
    assert len(trail) == 3 and not any(s in json.dumps(trail) for s in SECRETS.values())

    # Deleting it here is not synced (a county record; nobody deletes a synced event), and
    # the delete says so rather than promise that nobody can read it again.
    code, out, err = cli("sessions", "delete", first, "--yes", "--store", folder,
                         "--passphrase-file", passfile)
    assert code == 0, err
    assert "unreadable on this computer" in out and "stays on the county server" in out
    assert {sid for sid, _ in server_records(county)} == {first, second.id}
    never, never_pass = laptop(tmp_path, "never-synced")
    alone = new_session(unlocked(never), library, 1)
    alone.close()
    code, out, err = cli("sessions", "delete", alone.id, "--yes", "--store", never,
                         "--passphrase-file", never_pass)
    assert code == 0 and "unreadable on this computer" in out and "county" not in out, err


def test_a_dump_of_the_database_holds_no_answer_name_or_case_number(
        cli, monkeypatch, county, tmp_path):
    alice = county.user("worker", "north")
    folder, passfile = laptop(tmp_path, "a")
    fictional_interview(cli, tmp_path, folder, passfile)
    assert sync(cli, monkeypatch, county, alice, folder, passfile)[0] == 0
    dump = county.dump()
    assert b"COPY public.events" in dump and len(server_records(county)) > 10
    for text in [*SECRETS.values(), "couch", "hook up", "sex_for_place", "survival", "youth"]:
        for form in (text.encode(), text.encode().hex().encode(), text.upper().encode()):
            assert form not in dump, text


def sync_proc(county, who, folder, passfile, *extra, env=None):
    return subprocess.Popen(
        [sys.executable, "-m", "interview", "sync", "--db", county.url_for(who), "--store",
         str(folder), "--passphrase-file", str(passfile), "--json", *extra], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**child_env(), "PGPASSWORD": county.passwords[who], **(env or {})})


@pytest.mark.parametrize("kills", [["before-commit:1", "after-commit:2", "before-commit:3",
                                    "after-commit:1"]])
def test_a_sync_killed_at_any_point_and_run_again_sends_every_event_once(
        county, tmp_path, library, kills):
    alice = county.user()
    folder, passfile = laptop(tmp_path, "a")
    store = unlocked(folder)
    for events in (9, 0, 14, 5):
        new_session(store, library, events).close()
    local = local_records(folder)
    small = {"CSEC_INTERVIEW_SYNC_BATCH": "4"}
    for kill in kills:
        proc = sync_proc(county, alice, folder, passfile, env={
            **small, "CSEC_INTERVIEW_SYNC_FAULT": kill})
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == -9, (kill, out, err)
        on_server = server_records(county)
        assert all(local[k] == v for k, v in on_server.items())  # never a wrong record
        # whole batches only: each interview's events on the server are a prefix of its own
        for sid in {k[0] for k in on_server}:
            seqs = sorted(seq for s, seq in on_server if s == sid)
            assert seqs == list(range(len(seqs)))
    proc = sync_proc(county, alice, folder, passfile, env=small)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert server_records(county) == local
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM summaries").fetchone()[0] == 4
        assert conn.execute("SELECT count(*) FROM interviews").fetchone()[0] == 4


def test_two_workers_and_two_windows_syncing_at_once(county, tmp_path, library):
    alice, bruno = county.user("worker", "north"), county.user("worker", "south")
    stores = {}
    for who in (alice, bruno):
        folder, passfile = laptop(tmp_path, who)
        store = unlocked(folder)
        for events in (6, 11, 3):
            new_session(store, library, events).close()
        stores[who] = (folder, passfile)
    small = {"CSEC_INTERVIEW_SYNC_BATCH": "5"}
    procs = [sync_proc(county, who, *stores[who], env=small) for who in (alice, bruno, alice)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(code == 0 for _, _, code in results), results
    # the two windows of alice's laptop between them sent each of her events once
    sent = [json.loads(out)["events"] for out, _, _ in results]
    assert sent[0] + sent[2] == len(local_records(stores[alice][0]))
    expected = {**local_records(stores[alice][0]), **local_records(stores[bruno][0])}
    assert server_records(county) == expected
    with county.admin() as conn:
        owners = dict(conn.execute("SELECT owner, count(*) FROM interviews GROUP BY owner"))
    assert owners == {alice: 3, bruno: 3}


def test_a_county_key_swapped_in_the_database_is_refused_until_the_worker_accepts_it(
        cli, monkeypatch, county, tmp_path, library):
    alice = county.user()
    folder, passfile = laptop(tmp_path, "a")
    store = unlocked(folder)
    new_session(store, library, 2).close()
    assert sync(cli, monkeypatch, county, alice, folder, passfile)[0] == 0
    assert json.loads((folder / "county.json").read_text())["fingerprint"] == \
        county.key.fingerprint
    # the database administrator puts a key of their own in the county's place
    from interview.county import schema

    rogue = keys.new_county_key()
    with county.admin() as conn:
        schema.add_county_key(conn, rogue.public)
    new_session(store, library, 4).close()
    before = server_records(county)
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile)
    assert code == 1 and "county key changed" in err and "Nothing was sent" in err
    assert keys.spaced(rogue.fingerprint) in err and len(err.strip().splitlines()) == 1
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile,
                          "--accept-county-key", county.key.fingerprint)
    assert code == 1 and "not the one given" in err
    assert server_records(county) == before
    # once the worker has checked the new fingerprint (a real rotation), it is used
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile, "--json",
                          "--accept-county-key", keys.spaced(rogue.fingerprint).upper())
    assert code == 0, err and json.loads(out)["county_key"]["id"] == rogue.id
    with county.admin() as conn:
        used = {r[0] for r in conn.execute("SELECT w.county_key FROM interviews i JOIN wraps w "
                                           "ON w.id = i.wrap")}
    assert used == {county.key.id, rogue.id}


def test_the_pinned_county_key_is_not_dropped_by_removing_or_editing_county_json(
        cli, monkeypatch, county, tmp_path, library):
    """Audit finding 5: the database administrator puts their own key in the county's place,
    then deletes county.json on the laptop (or IT puts back a copy of the store made before its
    first sync): the next sync pinned the administrator's key and wrapped a new interview to
    it. The pin is in the store's audit trail (its head sealed), so it is refused until the
    worker accepts a fingerprint; an edited county.json changes nothing either."""
    import shutil

    from interview.county import schema

    alice = county.user()
    folder, passfile = laptop(tmp_path, "a")
    store = unlocked(folder)
    new_session(store, library, 2).close()
    before_first = tmp_path / "copy-before-first-sync"
    shutil.copytree(folder, before_first)
    assert sync(cli, monkeypatch, county, alice, folder, passfile)[0] == 0
    rogue = keys.new_county_key()
    with county.admin() as conn:
        schema.add_county_key(conn, rogue.public)
    new_session(store, library, 3).close()
    sent = server_records(county)

    (folder / "county.json").unlink()
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile)
    assert code == 1 and "county key changed" in err and keys.spaced(rogue.fingerprint) in err
    # county.json written with the administrator's key: the trail's pin still decides
    (folder / "county.json").write_text(json.dumps({"key_id": rogue.id,
                                                    "fingerprint": rogue.fingerprint}))
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile)
    assert code == 1 and "county key changed" in err
    assert len(err.strip().splitlines()) == 1
    # the copy from before the first sync: its trail never synced, but the county holds
    # alice's interviews
    code, out, err = sync(cli, monkeypatch, county, alice, before_first, passfile)
    assert code == 1 and "remembers no county key" in err and "already holds interviews" in err
    assert keys.spaced(rogue.fingerprint) in err and "--accept-county-key" in err
    assert server_records(county) == sent  # nothing reached the rogue key
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM wraps WHERE county_key = %s",
                            (rogue.id,)).fetchone()[0] == 0
    # A trail cut short vouches for nothing: with no pin and no trail, refused as well.
    (folder / "county.json").unlink()
    (folder / "audit.log").unlink()
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile)
    assert code == 1 and ("remembers no county key" in err or "county key changed" in err), err
    # Accepted explicitly (a real rotation, checked with the administrator): used and pinned.
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile,
                          "--accept-county-key", rogue.fingerprint)
    assert code == 0, err
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile)
    assert code == 0, err


def test_errors_are_one_clear_sentence(cli, monkeypatch, county, tmp_path, library, postgres):
    alice = county.user()
    folder, passfile = laptop(tmp_path, "a")
    new_session(unlocked(folder), library, 1).close()
    monkeypatch.delenv("CSEC_INTERVIEW_DB", raising=False)

    def fails(*args, env=None):
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        code, out, err = cli("sync", "--store", folder, "--passphrase-file", passfile, *args)
        assert code == 1 and len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err
        return err

    assert "no county database" in fails()
    assert "holds a password" in fails("--db", "postgresql://x:hunter22@db.example.org/csec")
    assert "refused the password" in fails("--db", county.url_for(alice),
                                           env={"PGPASSWORD": "not it"})
    assert "cannot reach" in fails("--db", f"host={tmp_path} dbname=x user={alice}")
    # a login role the administrator made by hand, without a workers row
    with county.admin() as conn:
        conn.execute("CREATE ROLE stray_user LOGIN PASSWORD 'stray password 1' IN ROLE "
                     "csec_worker")
    try:
        assert "not set up as a county user" in fails(
            "--db", county.url_for("stray_user"), env={"PGPASSWORD": "stray password 1"})
    finally:
        with county.admin() as conn:
            conn.execute("DROP ROLE stray_user")
    coordinator = county.user("coordinator")
    assert "coordinator" in fails("--db", county.url_for(coordinator),
                                  env={"PGPASSWORD": county.passwords[coordinator]})
    env = {"PGPASSWORD": county.passwords[alice]}
    with county.admin() as conn:
        conn.execute("INSERT INTO schema_version (version, name) VALUES (99, '0099_future.sql')")
    assert "newer (version 99)" in fails("--db", county.url_for(alice), env=env)
    with county.admin() as conn:
        conn.execute("DELETE FROM schema_version WHERE version = 99")
    from interview.county import schema

    monkeypatch.setattr(schema, "LATEST", schema.LATEST + 1)  # a program newer than the server
    assert "older (version" in fails("--db", county.url_for(alice), env=env)
    monkeypatch.setattr(schema, "LATEST", schema.LATEST - 1)
    with county.admin() as conn:  # a database set up wrongly (a grant missing)
        conn.execute("REVOKE INSERT ON events FROM csec_worker")
    assert "refused the sync: permission denied for table events" in fails(
        "--db", county.url_for(alice), env=env)
    with county.admin() as conn:
        conn.execute("GRANT INSERT ON events TO csec_worker")
    # libpq's own passfile= (no password in the string itself) is fine
    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:*:*:{alice}:{county.passwords[alice]}\n")
    pgpass.chmod(0o600)
    code, out, err = cli("sync", "--store", folder, "--passphrase-file", passfile, "--db",
                         f"{county.url_for(alice)} passfile={pgpass}")
    assert code == 0 and "Sent to" in out, err
    assert "up to date" in cli("sync", "--store", folder, "--passphrase-file", passfile,
                               "--db", f"{county.url_for(alice)} passfile={pgpass}")[1]
    new_session(unlocked(folder), library, 1).close()
    # the database from the environment (CSEC_INTERVIEW_DB), the password from PGPASSFILE
    monkeypatch.setenv("CSEC_INTERVIEW_DB", county.url_for(alice))
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    code, out, err = cli("sync", "--store", folder, "--passphrase-file", passfile)
    assert code == 0 and "Sent to" in out and "1 event " in out, err


def test_after_a_rotation_rewrap_moves_every_interview_to_the_new_county_key(
        cli, monkeypatch, county, tmp_path, library):
    alice, bruno = county.user("worker", "north"), county.user("worker", "south")
    for who in (alice, bruno):
        folder, passfile = laptop(tmp_path, who)
        new_session(unlocked(folder), library, 3).close()
        assert sync(cli, monkeypatch, county, who, folder, passfile)[0] == 0
    passfile = tmp_path / "county-pass"
    passfile.write_text(County.PASSPHRASE + "\n")
    code, out, err = cli("county", "rewrap", "--db", county.url, "--key", county.key_file,
                         "--passphrase-file", passfile)
    assert code == 1 and "is the one given" in err  # nothing to move it to yet
    new_file = tmp_path / "new.key"
    code, out, err = cli("county", "init", "--rotate", "--db", county.url, "--key-out", new_file,
                         "--passphrase-file", passfile)
    assert code == 0, err
    code, out, err = cli("county", "rewrap", "--db", county.url, "--key", county.key_file,
                         "--passphrase-file", passfile, "--json")
    assert code == 0, err
    done = json.loads(out)
    assert (done["interviews"], done["summaries"], done["not_opened"]) == (2, 2, 0)
    new = keys.load_county_private(new_file, County.PASSPHRASE)
    with pytest.raises(CountyError, match="does not open"):
        keys.load_county_private(new_file, "another passphrase")
    new_file.write_text(new_file.read_text().replace(f'"n": {FAST_N}', f'"n": {FAST_N + 1}'))
    with pytest.raises(CountyError, match="is not a county key file"):
        keys.load_county_private(new_file, County.PASSPHRASE)
    with county.admin() as conn:
        rows = conn.execute("SELECT i.session_id, w.county_key, w.ephemeral, i.wrapped_key "
                            "FROM interviews i JOIN wraps w ON w.id = i.wrap").fetchall()
        owners = set(conn.execute("SELECT w.owner, i.owner FROM interviews i JOIN wraps w ON "
                                  "w.id = i.wrap").fetchall())
    assert len(keys.unwrap_data_keys(new, rows)) == 2
    assert keys.unwrap_data_keys(county.key, rows) == {}  # the old key opens nothing now
    assert owners == {(alice, alice), (bruno, bruno)}  # each still under its owner's wrap
    with county.connect_as(alice) as conn:  # ...and still visible to its owner only
        assert conn.execute("SELECT count(*) FROM interviews").fetchone()[0] == 1


def test_a_damaged_interview_is_named_and_the_others_still_go(cli, monkeypatch, county,
                                                              tmp_path, library):
    alice = county.user()
    folder, passfile = laptop(tmp_path, "a")
    store = unlocked(folder)
    good, bad = new_session(store, library, 2), new_session(store, library, 2)
    good.close(), bad.close()
    log = folder / "sessions" / bad.id / "events.log"
    data = bytearray(log.read_bytes())
    data[-20] ^= 1  # one bit of its last record
    log.write_bytes(bytes(data))
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile, "--json")
    assert code == 1 and json.loads(out)["sessions"] == 1
    assert f"not sent: {bad.id}: session {bad.id}: record 1 does not verify" in err
    assert {sid for sid, _ in server_records(county)} == {good.id}


def test_an_interview_sent_without_a_county_summary_is_named_with_why_and_exits_1(
        cli, monkeypatch, county, tmp_path, library):
    """A renamed step id (or anything that keeps the laptop from summarising an interview):
    its events still go, but the worker is told which interview the county table cannot count
    and why, and the sync exits 1, every time until it is fixed (audit A2)."""
    from test_cli_errors import renamed_step_session

    alice = county.user()
    folder, passfile = laptop(tmp_path, "a")
    good = new_session(unlocked(folder), library, 3)
    good.close()
    broken = renamed_step_session(folder, library)
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile)
    assert code == 1 and "2 interviews (2 new), 1 county summary" in out
    assert "1 interview on the county database has no current county summary" in out
    assert (f"not counted in the county table: {broken}: no county summary of it is on the "
            f"server: saved interview {broken} answers step 'open_schooling_renamed'") in err
    assert "a step id must never be renamed" in err and "Traceback" not in err
    assert {sid for sid, _ in server_records(county)} == {good.id, broken}  # its events went
    code, out, err = sync(cli, monkeypatch, county, alice, folder, passfile, "--json")
    assert code == 1 and json.loads(out)["unsummarised"] == [
        err.split("not counted in the county table: ", 1)[1].strip()]


def test_the_benchmark_measures_sync_throughput(postgres):
    result = subprocess.run([sys.executable, "scripts/bench.py", "--repeat", "3", "--only",
                             "sync_events_per_s"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    name, value = result.stdout.strip().split(": ")
    assert name == "sync_events_per_s" and float(value) > 0
