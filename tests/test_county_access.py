"""Who sees what, enforced by PostgreSQL itself: each test connects as a person's role with
psycopg, as someone bypassing the app would, and tries. Also `county init`, `add-user` and
`disable-user` through the CLI. All cases are fictional."""

from __future__ import annotations

import json
import os
import stat

import psycopg
import pytest

from interview.county import keys, schema
from interview.county.db import CountyError
from postgres import County
from stores import FAST_N, new_session, unlocked
from test_county_sync import laptop, sync


@pytest.fixture
def county(postgres, tmp_path, monkeypatch):
    from interview.storage import crypto

    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_N)  # the county key files `county init` writes
    return County(postgres, tmp_path)


@pytest.fixture
def synced(cli, monkeypatch, county, tmp_path, library):
    """Two teams, a worker each with two synced interviews, a supervisor each, a coordinator."""
    people = {"north_worker": county.user("worker", "north"),
              "south_worker": county.user("worker", "south"),
              "north_sup": county.user("supervisor", "north"),
              "south_sup": county.user("supervisor", "south"),
              "coordinator": county.user("coordinator", "county")}
    for who in ("north_worker", "south_worker"):
        folder, passfile = laptop(tmp_path, who)
        store = unlocked(folder)
        for events in (3, 5):
            new_session(store, library, events).close()
        code, out, err = sync(cli, monkeypatch, county, people[who], folder, passfile)
        assert code == 0, err
    return people


def sessions_of(county, owner) -> list[str]:
    with county.admin() as conn:
        return [r[0] for r in conn.execute("SELECT session_id FROM interviews WHERE owner = %s "
                                           "ORDER BY session_id", (owner,))]


def count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def refused(conn, sql: str, params=()) -> str:
    """The database's refusal of a statement (it must refuse)."""
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(sql, params)
    return str(caught.value)


def test_a_worker_reads_and_writes_only_their_own_rows(county, synced):
    north, south = synced["north_worker"], synced["south_worker"]
    theirs = sessions_of(county, south)
    with county.connect_as(north) as conn:
        mine = [r[0] for r in conn.execute("SELECT session_id FROM interviews ORDER BY 1")]
        assert mine == sessions_of(county, north)
        assert conn.execute("SELECT count(*) FROM events WHERE session_id = ANY(%s)",
                            (theirs,)).fetchone()[0] == 0
        assert conn.execute("SELECT DISTINCT owner FROM events").fetchall() == [(north,)]
        assert conn.execute("SELECT DISTINCT owner FROM summaries").fetchall() == [(north,)]
        assert conn.execute("SELECT DISTINCT owner FROM wraps").fetchall() == [(north,)]
        assert conn.execute("SELECT role FROM workers").fetchall() == [(north,)]
        # forging: events into another's interview (ahead of their next sync), as them, or
        # an interview in their name or in another team
        assert "row-level security" in refused(
            conn, "INSERT INTO events (session_id, seq, record) VALUES (%s, 999, 'x')",
            (theirs[0],))
        assert "row-level security" in refused(
            conn, "INSERT INTO events (session_id, seq, owner, record) VALUES (%s, 999, %s, "
            "'x')", (theirs[0], south))
        wrap = conn.execute("SELECT id FROM wraps LIMIT 1").fetchone()[0]
        assert "row-level security" in refused(
            conn, "INSERT INTO interviews (session_id, owner, wrap, wrapped_key) VALUES "
            "('abc', %s, %s, 'k')", (south, wrap))
        assert "row-level security" in refused(
            conn, "INSERT INTO interviews (session_id, team, wrap, wrapped_key) VALUES "
            "('abc', 'south', %s, 'k')", (wrap,))
        # append-only: not even their own events can be changed or removed
        assert "permission denied" in refused(conn, "UPDATE events SET record = 'x'")
        assert "permission denied" in refused(conn, "DELETE FROM events")
        assert "permission denied" in refused(conn, "DELETE FROM interviews")
        assert "permission denied" in refused(conn, "UPDATE workers SET team = 'south'")
        assert "permission denied" in refused(conn, "INSERT INTO county_keys (id, public_key, "
                                              "fingerprint) VALUES ('x', 'x', 'x')")
        # their summary can be replaced, another's not (nothing is updated)
        assert conn.execute("UPDATE summaries SET events = events WHERE session_id = ANY(%s)",
                            (theirs,)).rowcount == 0
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE seq = 999").fetchone()[0] == 0


def test_a_supervisor_reads_their_team_only_and_the_coordinator_only_summaries(county, synced):
    north = sessions_of(county, synced["north_worker"])
    with county.admin() as conn:
        north_events = conn.execute("SELECT count(*) FROM events WHERE owner = %s",
                                    (synced["north_worker"],)).fetchone()[0]
        everyone = count(conn, "summaries")
    with county.connect_as(synced["north_sup"]) as conn:
        assert [r[0] for r in conn.execute("SELECT session_id FROM interviews ORDER BY 1")] == north
        assert count(conn, "events") == north_events > 0
        assert conn.execute("SELECT DISTINCT team FROM summaries").fetchall() == [("north",)]
        assert {r[0] for r in conn.execute("SELECT role FROM workers")} == {
            synced["north_worker"], synced["north_sup"]}
        assert "permission denied" in refused(conn, "UPDATE events SET record = 'x'")
    with county.connect_as(synced["south_sup"]) as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE session_id = ANY(%s)",
                            (north,)).fetchone()[0] == 0
    with county.connect_as(synced["coordinator"]) as conn:
        assert count(conn, "summaries") == everyone == 4
        assert count(conn, "wraps") == 2  # to open the summaries: public keys only
        for table in ("events", "interviews"):
            assert "permission denied" in refused(conn, f"SELECT count(*) FROM {table}")
        assert "permission denied" in refused(conn, "SELECT wrapped_key FROM interviews")
        assert "permission denied" in refused(conn, "INSERT INTO summaries (session_id, events,"
                                              " wrap, sealed) VALUES ('a', 0, 'b', 'c')")
    # SET ROLE to the group does not widen anything
    with county.connect_as(synced["north_worker"]) as conn:
        conn.execute("SET ROLE csec_worker")
        assert count(conn, "events") == 0


def test_the_coordinator_learns_each_interviews_id_and_event_count_and_nothing_more(county,
                                                                                    synced):
    """Migration 0004: the county table must know every synced interview (one without a
    summary is never silently left out), and the coordinator, who may not read interviews or
    events, gets their ids and counts only; nobody else may call it."""
    with county.admin() as conn:
        expected = set(conn.execute("SELECT session_id, max(seq) + 1 FROM events "
                                    "GROUP BY session_id").fetchall())
    with county.connect_as(synced["coordinator"]) as conn:
        got = conn.execute("SELECT * FROM csec_interview_counts()")
        assert [c.name for c in got.description] == ["session_id", "next_seq"]
        assert set(got.fetchall()) == expected and len(expected) == 4
    for who in ("north_worker", "north_sup"):
        with county.connect_as(synced[who]) as conn:
            assert "permission denied" in refused(conn, "SELECT * FROM csec_interview_counts()")
    # A role granted the coordinators' group but not a county coordinator gets nothing.
    outsider = county.user("worker", "north")
    with county.admin() as conn:
        conn.execute(f"GRANT csec_coordinator TO {outsider}")
    with county.connect_as(outsider) as conn:
        assert conn.execute("SELECT count(*) FROM csec_interview_counts()").fetchone()[0] == 0


def test_a_disabled_user_cannot_connect_and_what_they_sent_stays(cli, county, synced,
                                                                 monkeypatch):
    north = synced["north_worker"]
    with county.connect_as(north) as conn:
        held = count(conn, "events")
    code, out, err = cli("county", "disable-user", north, "--db", county.url)
    assert code == 0, err
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        county.connect_as(north)
    monkeypatch.setenv("PGPASSWORD", county.passwords[north])
    code, out, err = cli("county", "init", "--db", county.url_for(north))
    assert code == 1 and "disabled" in err
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE owner = %s",
                            (north,)).fetchone()[0] == held
    code, out, err = cli("county", "disable-user", "nobody_here", "--db", county.url)
    assert code == 1 and "no county user 'nobody_here'" in err


def test_county_init_and_add_user_through_the_command_line(cli, postgres, tmp_path,
                                                           monkeypatch):
    db = postgres.database()
    url = postgres.url(db)
    passfile = tmp_path / "county-pass"
    passfile.write_text("county key passphrase\n")
    key_file = tmp_path / "keys" / "county.key"
    key_file.parent.mkdir()
    code, out, err = cli("county", "init", "--db", url, "--passphrase-file", passfile)
    assert code == 1 and "--key-out" in err  # the schema is made, no key without a file
    code, out, err = cli("county", "init", "--db", url, "--key-out", key_file,
                         "--passphrase-file", passfile)
    assert code == 0, err
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    key = keys.load_county_private(key_file, "county key passphrase")
    assert keys.spaced(key.fingerprint) in out
    before = key_file.read_bytes()
    code, out, err = cli("county", "init", "--db", url, "--key-out", key_file,
                         "--passphrase-file", passfile, "--rotate")
    assert code == 1 and "never written over" in err and key_file.read_bytes() == before
    code, out, err = cli("county", "init", "--db", url)  # again: nothing changes
    assert code == 0 and "already up to date" in out and key.id in out
    with postgres.connect(db) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == \
            schema.LATEST
        assert schema.current_county_key(conn)[0] == key.id
        forced = conn.execute("SELECT relname FROM pg_class WHERE relnamespace = "
                              "'public'::regnamespace AND relkind = 'r' AND NOT (relrowsecurity "
                              "AND relforcerowsecurity)").fetchall()
        assert forced == []  # row level security, forced, on every table
    assert json.loads(key_file.read_text())["kdf"]["n"] == 2**17  # the store's own cost

    name = postgres.name("jdoe")
    pwfile = tmp_path / "pw"
    pwfile.write_text("a first password for jdoe\n")
    code, out, err = cli("county", "add-user", name, "--team", "north", "--kind", "worker",
                         "--db", url, "--password-file", pwfile)
    assert code == 0 and "worker of team 'north'" in out, err
    with psycopg.connect(postgres.url(db, name), password="a first password for jdoe") as conn:
        assert conn.execute("SELECT csec_my_team(), csec_my_kind()").fetchone() == (
            "north", "worker")
    with postgres.connect(db) as conn:  # the server never saw the password, only its verifier
        verifier = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                (name,)).fetchone()[0]
    assert verifier.startswith("SCRAM-SHA-256$") and "first password" not in verifier
    monkeypatch.setenv("CSEC_INTERVIEW_USER_PASSWORD", "another password here")
    other = postgres.name("msmith")
    code, out, err = cli("county", "add-user", other, "--team", "south", "--kind",
                         "supervisor", "--db", url)
    assert code == 0, err
    for args, message in [
            ((name, "--team", "north", "--kind", "worker"), "exists already"),
            (("Robert'); DROP", "--team", "n", "--kind", "worker"), "cannot be a user name"),
            (("csec_worker", "--team", "n", "--kind", "worker"), "cannot be a user name"),
            ((postgres.name("x"), "--team", " ", "--kind", "worker"), "--team")]:
        code, out, err = cli("county", "add-user", *args, "--db", url)
        assert code == 1 and message in err and len(err.strip().splitlines()) == 1, err
    monkeypatch.setenv("CSEC_INTERVIEW_USER_PASSWORD", "short")
    code, out, err = cli("county", "add-user", postgres.name("y"), "--team", "n", "--kind",
                         "worker", "--db", url)
    assert code == 1 and "too short" in err


def test_only_the_county_package_imports_the_database_driver():
    """psycopg is imported by interview/county/* alone, and only when a county command runs:
    the app's start-up and every other command never load it."""
    import subprocess
    import sys

    from test_boundaries import MODULES, imports, within

    assert [name for name, path in MODULES.items() if not within(name, ["interview.county"])
            and within_any(imports(path), "psycopg")] == []
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys; from interview.cli import build_parser; "
         "import interview.cli.county, interview.app; build_parser(); "
         "print(sorted(m for m in sys.modules if m.startswith(('psycopg', 'interview.county'))))"],
        capture_output=True, text=True, timeout=60)
    assert loaded.stdout.strip() == "[]", loaded.stderr


def within_any(names, prefix: str) -> bool:
    return any(n == prefix or n.startswith(prefix + ".") for n in names)


def test_without_postgresql_the_county_tests_skip_or_when_required_fail(monkeypatch):
    import postgres as pg

    monkeypatch.setattr(pg.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(pg.shutil, "which", lambda name: None)
    monkeypatch.delenv("CSEC_INTERVIEW_REQUIRE_POSTGRES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL server installed"):
        pg.start_or_skip()
    monkeypatch.setenv("CSEC_INTERVIEW_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_POSTGRES=1 but no PostgreSQL"):
        pg.start_or_skip()
