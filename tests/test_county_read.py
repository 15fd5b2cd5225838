"""The county's reads against a real PostgreSQL (tests/postgres.py): `county sessions`, `county
show` and `county aggregate`, decrypted on the reader's machine with the county key, with the
database's row level security deciding who reads what, every read audited, and the county
table the local `aggregate`'s own counting over every worker's interviews. All cases are
fictional.

`County` (a database with a county key, its users, and a laptop store per worker) is shared
with test_county_review.py and test_county_handoff.py."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from interview.cli import main
from interview.county import db
from interview.storage.store import Store
from postgres import County as Database
from stores import FAST_N, PASSPHRASE

BASE = {"interview_date": "2025-09-03", "date_of_birth": "2010-06-14",
        "case_status": "in_foster_care"}
DISCLOSED = {"confidentiality_script": "yes", "spec_paid_for_sex": "yes"}
NOTHING = {"confidentiality_script": "yes", "spec_paid_for_sex": "no"}


def run_cli(*args) -> tuple[int, str, str]:
    """The CLI in this process: (exit code, standard output, standard error); a usage error
    is its exit code 2, as in a shell."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


class County(Database):
    """tests/postgres.py's county database, with people by first name and a laptop store per
    worker, driven through the CLI as each would (their own role, their password from
    PGPASSFILE, the county key's passphrase from a file)."""

    def __init__(self, cluster, tmp_path, monkeypatch):
        super().__init__(cluster, tmp_path)
        self.tmp, self.cli = tmp_path, run_cli
        self.users: dict[str, str] = {}
        self.key_pass = tmp_path / "county-passphrase"
        self.key_pass.write_text(self.PASSPHRASE + "\n")
        self.passfile = tmp_path / "pgpass"
        self.passfile.write_text("")
        self.passfile.chmod(0o600)
        monkeypatch.setenv("PGPASSFILE", str(self.passfile))
        for name in ("CSEC_INTERVIEW_DB", "PGPASSWORD"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("CSEC_INTERVIEW_STORE", str(tmp_path / "no-default-store"))
        self.store_pass = tmp_path / "store-passphrase"
        self.store_pass.write_text(PASSPHRASE + "\n")

    def add(self, person: str, team: str, kind: str = "worker") -> str:
        """A county user; their role's name (unique in the cluster)."""
        role = self.user(kind, team)
        with self.passfile.open("a") as fh:
            fh.write(f"*:*:*:{role}:{self.passwords[role]}\n")
        self.users[person] = role
        return role

    def url_of(self, person: str) -> str:
        return self.url_for(self.users[person])

    def store(self, person: str):
        folder = self.tmp / f"store-{person}"
        if not Store.exists(folder):
            Store.create(folder, PASSPHRASE, n=FAST_N)
        return folder

    def interview(self, person: str, case_id: str, answers: dict, context=BASE,
                  flow: str = "youth", interviewee: str | None = None) -> str:
        """A fictional interview saved on `person`'s laptop with `run`; its session id."""
        folder = self.store(person)
        store = Store(folder)
        store.unlock(PASSPHRASE)
        before = set(store.session_ids())
        facts = {**context, "case_id": case_id}
        if interviewee:
            facts["interviewee"] = interviewee
        path = self.tmp / f"{person}-{case_id}-{len(before)}.json"
        path.write_text(json.dumps({"flow": flow, "context": facts, "answers": answers}))
        code, _, err = self.cli("run", flow, "--answers", path, "--store", folder,
                                "--passphrase-file", self.store_pass)
        assert code == 0, err
        (new,) = set(store.session_ids()) - before
        return new

    def sync(self, person: str, *extra) -> tuple[int, str, str]:
        code, out, err = self.cli("sync", "--db", self.url_of(person), "--store",
                                  self.store(person), "--passphrase-file", self.store_pass,
                                  *extra)
        assert code == 0, err
        return code, out, err

    def county(self, person: str, action: str, *args) -> tuple[int, str, str]:
        """`csec-interview county ACTION` as `person`, with the county key."""
        return self.cli("county", action, *args, "--db", self.url_of(person), "--key",
                        self.key_file, "--passphrase-file", self.key_pass)


@pytest.fixture
def county(postgres, tmp_path, monkeypatch):
    return County(postgres, tmp_path, monkeypatch)


def made_teams(county):
    """Two teams: alice (north) and bob (south) interviewed the same child (case FICT-1),
    alice another child too; sam supervises north; cora is the county coordinator."""
    for person, team, kind in (("alice", "north", "worker"), ("bob", "south", "worker"),
                               ("sam", "north", "supervisor"),
                               ("cora", "county", "coordinator")):
        county.add(person, team, kind)
    ids = {"alice_1": county.interview("alice", "FICT-1", DISCLOSED, interviewee="Maria Cruz"),
           "alice_2": county.interview("alice", "FICT-2", NOTHING),
           "bob_1": county.interview("bob", "FICT-1", NOTHING, interviewee="Maria Cruz")}
    county.sync("alice")
    county.sync("bob")
    return county, ids


@pytest.fixture
def teams(county):
    """made_teams, for a test that changes the database (a review, a handoff)."""
    return made_teams(county)


@pytest.fixture(scope="module")
def read_teams(postgres, tmp_path_factory):
    """made_teams once for the tests here, which only read (each read adds audit rows)."""
    with pytest.MonkeyPatch.context() as patch:
        yield made_teams(County(postgres, tmp_path_factory.mktemp("county"), patch))


def test_a_supervisor_lists_their_teams_interviews_decrypted_and_nothing_of_another_team(
        read_teams):
    county, ids = read_teams
    code, out, err = county.county("sam", "sessions", "--json")
    assert code == 0, err
    rows = {r["session"]: r for r in json.loads(out)}
    assert set(rows) == {ids["alice_1"], ids["alice_2"]}  # bob's team is not sam's
    first = rows[ids["alice_1"]]
    assert (first["worker"], first["team"], first["flow"]) == (county.users["alice"], "north",
                                                               "youth")
    assert (first["case"], first["initials"]) == ("FICT-1", "M.C.")
    assert rows[ids["alice_2"]]["case"] == "FICT-2" and rows[ids["alice_2"]]["initials"] is None
    code, text, _ = county.county("sam", "sessions")
    assert "case FICT-1 · M.C." in text and "Maria" not in text


def test_the_database_not_the_program_decides_who_reads_what(read_teams):
    county, ids = read_teams
    # The coordinator holds the county key too, but the database gives them no interview.
    for action in (["sessions"], ["show", ids["alice_1"]]):
        code, out, err = county.county("cora", *action)
        assert code == 1 and out == ""
        assert "does not let" in err and "read interviews" in err and "county table" in err
    # A worker with the key reads their own, never another's, even by asking in SQL.
    code, out, _ = county.county("bob", "sessions", "--json")
    assert [r["session"] for r in json.loads(out)] == [ids["bob_1"]]
    with db.connect(county.url_of("bob")) as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE session_id = %s",
                            (ids["alice_1"],)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM interviews").fetchone()[0] == 1


def test_show_gives_the_findings_with_their_evidence_as_the_local_show_does(read_teams, cli):
    county, ids = read_teams
    code, out, err = county.county("sam", "show", ids["alice_1"], "--json")
    assert code == 0, err
    shown = json.loads(out)
    local_code, local_out, _ = cli("sessions", "show", ids["alice_1"], "--json", "--store",
                                   county.store("alice"), "--passphrase-file",
                                   county.store_pass)
    local = json.loads(local_out)
    assert shown["worker"] == county.users["alice"] and shown["team"] == "north"
    assert {k: v for k, v in shown.items() if k not in ("worker", "team")} == local
    assert shown["csec_type"]  # a disclosure: a Victim type, with the answers behind it
    code, text, _ = county.county("sam", "show", ids["alice_1"])
    _, local_text, _ = cli("sessions", "show", ids["alice_1"], "--store",
                           county.store("alice"), "--passphrase-file", county.store_pass)
    assert text.split("\n", 1)[1] == local_text.split("\n", 1)[1]  # all but the heading
    code, _, err = county.county("sam", "show", ids["bob_1"])
    assert code == 1 and "that you may read" in err


def test_show_takes_the_first_characters_of_an_id_among_those_the_reader_may_read(read_teams):
    county, ids = read_teams
    code, prefixed, err = county.county("sam", "show", ids["alice_1"][:6], "--json")
    assert code == 0, err
    assert json.loads(prefixed)["session"] == ids["alice_1"]
    # Another team's interview is no match: its start is "no interview", as its whole id is,
    # so a prefix tells a reader nothing of what they may not read.
    code, out, err = county.county("sam", "show", ids["bob_1"][:6])
    assert (code, out) == (1, "") and f"no interview {ids['bob_1'][:6]!r}" in err
    code, _, err = county.county("sam", "show", ids["alice_1"][:2])
    assert code == 1 and "too short: give at least 4 characters" in err
    assert "county sessions" in err and "Traceback" not in err


def test_every_read_is_audited_in_the_database_and_the_readers_store_without_content(read_teams):
    county, ids = read_teams
    own = county.store("sam")
    county.county("sam", "show", ids["alice_1"], "--store", own)
    county.county("sam", "sessions", "--store", own)
    county.county("cora", "aggregate", "--json")
    with county.admin() as conn:
        rows = conn.execute("SELECT who, action, session_id, count FROM county_reads "
                            "ORDER BY id").fetchall()
        dump = repr(conn.execute("SELECT * FROM county_reads").fetchall())
    sam, cora = county.users["sam"], county.users["cora"]
    assert (sam, "read", ids["alice_1"], None) in rows
    assert {r[2] for r in rows if r[:2] == (sam, "listed")} == {ids["alice_1"], ids["alice_2"]}
    assert (cora, "aggregated", None, 3) in rows
    assert "FICT" not in dump and "Maria" not in dump
    trail = (own / "audit.log").read_text()
    assert f'"session": "{ids["alice_1"]}"' in trail and "county_read" in trail
    assert "FICT" not in trail
    # Nobody rewrites the audit: not even the reader's own rows.
    with db.connect(county.url_of("sam")) as conn:
        with pytest.raises(Exception, match="permission denied"):
            conn.execute("DELETE FROM county_reads")


def test_the_county_table_counts_each_child_once_across_workers_as_aggregate_does(read_teams,
                                                                                   cli):
    county, ids = read_teams
    code, out, err = county.county("cora", "aggregate", "--json")
    assert code == 0, err
    table = json.loads(out)
    # FICT-1 was seen by alice (disclosed) and bob (nothing): one child, counted by the
    # hierarchy under the Victim type; FICT-2 is the second child.
    assert (table["children"], table["sessions"], table["skipped"]) == (2, 3, 0)
    # The same output as the local `aggregate` over a store that holds all three interviews.
    merged = county.store("merged")
    for person, case, answers in (("alice", "FICT-1", DISCLOSED), ("alice", "FICT-2", NOTHING),
                                  ("bob", "FICT-1", NOTHING)):
        county.interview("merged", case, answers)
    for form in ("--json", "--csv", None):
        extra = [form] if form else []
        _, local_out, _ = cli("aggregate", *extra, "--store", merged, "--passphrase-file",
                              county.store_pass)
        _, county_out, _ = county.county("cora", "aggregate", *extra)
        assert county_out == local_out
    # A supervisor's table is their team's only (the database decides).
    _, out, _ = county.county("sam", "aggregate", "--json")
    assert json.loads(out)["sessions"] == 2


def test_bad_inputs_get_one_clear_message(read_teams, tmp_path):
    county, ids = read_teams
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase\n")
    code, _, err = county.cli("county", "sessions", "--db", county.url_of("sam"), "--key",
                              county.key_file, "--passphrase-file", wrong)
    assert code == 1 and "does not open the county key" in err and "Traceback" not in err
    code, _, err = county.cli("county", "sessions", "--db", county.url_of("sam"), "--key",
                              tmp_path / "missing.key", "--passphrase-file", county.key_pass)
    assert code == 1 and "missing.key: no such file" in err
    code, _, err = county.county("sam", "aggregate", "--from", "2025-13-01")
    assert code == 1 and "--from" in err
    code, _, err = county.county("sam", "show", "not-an-id")
    assert code == 1 and "no interview 'not-an-id'" in err


def test_a_summary_from_a_laptop_on_other_rules_is_counted_as_it_determined_and_said(county):
    """A laptop not yet upgraded summarised with other rules: the coordinator cannot replay its
    events, so the table counts what that laptop determined, and says how many such."""
    from interview.storage.store import Store

    county.add("alice", "north")
    county.add("cora", "county", "coordinator")
    old = county.interview("alice", "FICT-7", DISCLOSED)
    county.interview("alice", "FICT-8", NOTHING)
    store = Store(county.store("alice"))
    store.unlock(PASSPHRASE)
    log = store.open_session(old, writable=False)
    data = store.read_summary(old)
    assert log.write_summary({**data, "rules": "0" * 32})  # as an older version made it
    county.sync("alice")
    code, out, err = county.county("cora", "aggregate", "--json")
    table = json.loads(out)
    assert code == 0 and (table["children"], table["identified"], table["skipped"]) == (2, 1, 0)
    assert "1 of the interviews counted were summarised by another version" in err


def test_a_summary_that_does_not_open_is_said_in_the_county_table_and_exits_1(county):
    """A summary the county key cannot open (altered, or sealed to another key) is left out:
    the table itself says so, as the local `aggregate` does, and the exit code is 1."""
    county.add("alice", "north")
    county.add("cora", "county", "coordinator")
    county.interview("alice", "FICT-7", DISCLOSED)
    bad = county.interview("alice", "FICT-8", NOTHING)
    county.sync("alice")
    with county.admin() as conn:  # the database's owner alters one sealed summary
        conn.execute("UPDATE summaries SET sealed = '\\x00'::bytea || sealed "
                     "WHERE session_id = %s", (bad,))
    code, out, err = county.county("cora", "aggregate", "--json")
    table = json.loads(out)
    assert code == 1 and table["skipped"] == 1 and table["sessions"] == 1
    assert table["warning"].startswith("1 synced interview could not be read and is NOT "
                                       "counted")
    assert f"skipped {bad}: its summary does not open with this county key" in err
    code, out, _ = county.county("cora", "aggregate")
    assert code == 1 and out.startswith("WARNING: 1 synced interview could not be read")


def test_an_interview_whose_last_events_are_missing_on_the_server_is_not_read_as_whole(teams):
    """The database's administrator deleted the last events (or a backup restored only part):
    the sealed summary says how many the laptop sent, so the reader says what is missing and
    never shows, lists or reviews the part as if it were the interview (audit A1)."""
    county, ids = teams
    sid = ids["alice_1"]
    with county.admin() as conn:
        total = conn.execute("SELECT count(*) FROM events WHERE session_id = %s",
                             (sid,)).fetchone()[0]
        conn.execute("DELETE FROM events WHERE session_id = %s AND seq >= %s", (sid, total - 2))
    said = f"{total - 2} of {total} events are on the server"
    code, out, err = county.county("sam", "show", sid)
    assert code == 1 and out == "" and said in err and "Traceback" not in err
    code, out, err = county.county("sam", "show", sid, ids["alice_2"], "--json")
    assert code == 1 and [s["session"] for s in json.loads(out)] == [ids["alice_2"]]
    assert said in err
    code, out, _ = county.county("sam", "sessions")
    (line,) = [line for line in out.splitlines() if line.startswith(sid)]
    assert f"PROBLEM: {said}" in line
    code, out, err = county.county("sam", "review", sid, "--decision", "csec_type=approve")
    assert code == 1 and said in err and "sent" not in out
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    # The worker's next sync sends them again: then it reads whole.
    county.sync("alice")
    code, out, err = county.county("sam", "show", sid)
    assert code == 0 and "Red flags" in out, err


def test_an_interview_without_its_summary_on_the_server_cannot_pass_for_whole(teams):
    """Removing the summary (with the last events) does not hide what is missing: without the
    sealed count nothing says the events are all there, and the reader says so."""
    county, ids = teams
    sid = ids["alice_1"]
    with county.admin() as conn:
        conn.execute("DELETE FROM summaries WHERE session_id = %s", (sid,))
        conn.execute("DELETE FROM events WHERE session_id = %s AND seq = (SELECT max(seq) FROM "
                     "events WHERE session_id = %s)", (sid, sid))
    code, out, err = county.county("sam", "show", sid)
    assert code == 1 and out == "" and "has no county summary on the server" in err
    code, out, err = county.county("sam", "show", ids["alice_2"])
    assert code == 0, err


def test_sessions_exits_1_when_an_interview_listed_could_not_be_read(teams):
    """A script checking a key rotation (or a damaged row) must not see success: `sessions`
    exits 1 when a row is a problem, as `show` and `aggregate` do (audit B6)."""
    county, ids = teams
    code, out, err = county.county("sam", "sessions", "--json")
    assert code == 0 and err == "" and not any("problem" in r for r in json.loads(out))
    with county.admin() as conn:  # the database's owner alters one wrapped data key
        conn.execute("UPDATE interviews SET wrapped_key = '\\x00'::bytea || wrapped_key "
                     "WHERE session_id = %s", (ids["alice_2"],))
    code, out, err = county.county("sam", "sessions")
    assert code == 1 and "PROBLEM: its data key does not open" in out
    assert "1 of the 2 interviews listed could not be read" in err and "Traceback" not in err
    code, out, err = county.county("sam", "sessions", "--json")
    rows = {r["session"]: r for r in json.loads(out)}
    assert code == 1 and "data key does not open" in rows[ids["alice_2"]]["problem"]
    assert "problem" not in rows[ids["alice_1"]]


def test_the_county_table_never_silently_leaves_out_an_interview_without_a_summary(teams):
    """A synced interview with no summary (removed by the database's administrator, or a sync
    that could not make one) is a line of "NOT counted" in the table, exit 1 (audit A2)."""
    county, ids = teams
    with county.admin() as conn:
        conn.execute("DELETE FROM summaries WHERE session_id = %s", (ids["alice_2"],))
    for reader, total in (("cora", 3), ("sam", 2)):  # the coordinator, and a supervisor
        code, out, err = county.county(reader, "aggregate", "--json")
        table = json.loads(out)
        assert code == 1 and (table["sessions"], table["skipped"]) == (total - 1, 1)
        assert table["warning"].startswith("1 synced interview could not be read and is NOT")
        assert f"skipped {ids['alice_2']}: synced without a county summary" in err
    code, out, _ = county.county("cora", "aggregate")
    assert code == 1 and out.startswith("WARNING: 1 synced interview could not be read")


def test_an_older_summary_put_back_on_the_server_is_not_counted(teams):
    """The database's administrator puts back an interview's summary from before its last
    events: the sealed count is lower than what the server holds, so the table says it is
    stale and does not count it (audit A4)."""
    from test_county_review import decisions_for

    county, ids = teams
    sid = ids["alice_1"]
    with county.admin() as conn:
        old = conn.execute("SELECT events, wrap, sealed FROM summaries WHERE session_id = %s",
                           (sid,)).fetchone()
    code, _, err = county.county("sam", "review", sid, *decisions_for(county, sid))
    assert code == 0, err
    county.sync("alice")  # the review is an event of the interview: a new summary goes up
    code, out, err = county.county("cora", "aggregate", "--json")
    assert code == 0 and json.loads(out)["skipped"] == 0, err
    with county.admin() as conn:
        conn.execute("UPDATE summaries SET events = %s, wrap = %s, sealed = %s "
                     "WHERE session_id = %s", (*old, sid))
    code, out, err = county.county("cora", "aggregate", "--json")
    table = json.loads(out)
    assert code == 1 and (table["sessions"], table["skipped"]) == (2, 1)
    assert (f"skipped {sid}: its summary counts {old[0]} of the {old[0] + 1} events on the "
            "server") in err


def test_an_event_missing_in_the_middle_is_sent_again_by_the_next_sync(teams, cli):
    """An event deleted in the middle on the server (a partial restore, the administrator):
    the reader says so, and the worker's next sync sees the hole (the count, not only the
    highest seq) and sends it again, so the interview reads whole (audit B4)."""
    county, ids = teams
    sid = ids["alice_1"]
    with county.admin() as conn:
        assert conn.execute("DELETE FROM events WHERE session_id = %s AND seq = 1 AND seq < "
                            "(SELECT max(seq) FROM events WHERE session_id = %s)",
                            (sid, sid)).rowcount == 1
    code, out, err = county.county("sam", "show", sid)
    assert code == 1 and "event 1 is missing on the server" in err
    assert "the worker's next sync sends it again" in err
    code, out, err = county.sync("alice")
    assert "Sent to" in out and "1 event " in out and "of 1 interview (0 new)" in out, out
    code, out, err = county.county("sam", "show", sid, "--json")
    assert code == 0, err
    _, local, _ = cli("sessions", "show", sid, "--json", "--store", county.store("alice"),
                      "--passphrase-file", county.store_pass)
    shown = json.loads(out)
    assert {k: v for k, v in shown.items() if k not in ("worker", "team")} == json.loads(local)
    code, out, _ = county.sync("alice")
    assert "Nothing to send" in out  # and nothing more once it is whole



def test_a_renamed_step_is_said_as_for_a_saved_interview_not_as_the_workers_typo(teams,
                                                                                  library):
    """An interview answering a step id the content no longer has (renamed in flows/): the
    supervisor is told what the worker's own computer says ("a step id must never be
    renamed ..."), not the answer-file wording with a wrong suggestion (audit B7). Both for an
    interview first synced after the rename (no summary could be made) and for one synced
    before it (its summary on the server sealed while the step existed)."""
    from test_cli_errors import renamed_step_session

    county, ids = teams
    after, before = renamed_step_session(county.store("alice"), library), ids["alice_1"]
    store = Store(county.store("alice"))
    store.unlock(PASSPHRASE)
    log = store.open_session(before)
    log.append({"type": "answer", "step": "open_staying_renamed", "value": None, "note": "",
                "at": "2026-01-05T10:00:00+00:00"}, answered=1)
    log.close()
    code, _, err = county.cli("sync", "--db", county.url_of("alice"), "--store",
                              county.store("alice"), "--passphrase-file", county.store_pass)
    assert code == 1 and f"not counted in the county table: {after}" in err
    assert f"not counted in the county table: {before}: its county summary there counts" in err
    for sid, step in ((after, "open_schooling_renamed"), (before, "open_staying_renamed")):
        said = (f"saved interview {sid} answers step '{step}', which the 'youth' flow no "
                "longer has: a step id must never be renamed")
        code, out, err = county.county("sam", "show", sid)
        assert code == 1 and said in err and "no such question" not in err, err
        code, out, err = county.county("sam", "sessions")
        (line,) = [line for line in out.splitlines() if line.startswith(sid)]
        assert code == 1 and said in line and "did you mean" not in line
        code, out, err = county.county("sam", "review", sid, "--decision", "csec_type=approve")
        assert code == 1 and said in err


def test_a_row_altered_on_the_server_is_said_once_as_a_row_not_a_file(teams):
    """County audit B8: a flipped byte in an event row read "session X: session X: record 5
    does not verify; the file was altered or damaged": the id twice, and a file the reader
    does not have. It names the interview once and says it is its row on the server."""
    county, ids = teams
    sid = ids["alice_1"]
    with county.admin() as conn:
        conn.execute("UPDATE events SET record = set_byte(record, 40, get_byte(record, 40) # 1) "
                     "WHERE session_id = %s AND seq = 1", (sid,))
    code, out, err = county.county("sam", "show", sid)
    assert code == 1 and "Traceback" not in err
    assert err.count(sid) == 1, err
    assert "record 1 does not verify: its row on the server was altered or damaged" in err, err
    assert "the file" not in err
