"""A supervisor's review round trip through a real PostgreSQL: `county review` seals it under
the interview's data key, the database lets only the team's supervisor write it and only the
owner and the team's supervisors read it, and the worker's next `sync` adds it to the
interview on the laptop (in the transcript and the audit trail), once. All cases fictional."""

from __future__ import annotations

import json

import pytest

from interview.county import db
from interview.review import determinations
from test_county_read import teams, county  # noqa: F401 - the shared fixtures

COMMENT = "Ask again about where she stays on weekends (FICT note)"


def decisions_for(county, session_id) -> list[str]:
    """--decision arguments approving every determination but returning the At-Risk ones."""
    code, out, err = county.county("sam", "show", session_id, "--json")
    assert code == 0, err
    args = []
    for d in determinations(json.loads(out)):
        if d.id == "csec_type":
            args += ["--decision", f"{d.id}=return", "--comment", COMMENT]
        else:
            args += ["--decision", f"{d.id}=approve"]
    return args


def test_the_review_round_trip_from_the_supervisor_to_the_workers_laptop(teams, cli):
    county, ids = teams
    args = decisions_for(county, ids["alice_1"])
    # the first characters of the id will do, as in `county sessions`' other commands
    code, out, err = county.county("sam", "review", ids["alice_1"][:6], *args)
    assert code == 0, err
    assert f"Review of session {ids['alice_1']} sent" in out and "1 returned" in out and county.users["alice"] in out
    # The database holds it sealed: no comment, no decision in the clear.
    with county.admin() as conn:
        (sealed,) = conn.execute("SELECT sealed FROM reviews").fetchone()
        assert b"weekends" not in bytes(sealed) and b"return" not in bytes(sealed)
    dump = county.dump()  # the county's backup holds no comment, decision or case number
    assert b"weekends" not in dump and b"FICT-" not in dump and b"csec_type" not in dump
    code, out, _ = county.sync("alice")
    assert "1 review received" in out and "1 event" in out  # its event goes up at once
    # On the laptop: an event of the interview, shown with it, and in the audit trail.
    store = county.store("alice")
    _, shown, _ = cli("sessions", "show", ids["alice_1"], "--store", store,
                      "--passphrase-file", county.store_pass)
    assert COMMENT in shown
    _, report, _ = cli("report", ids["alice_1"], "--format", "json", "--store", store,
                       "--passphrase-file", county.store_pass)
    (review,) = json.loads(report)["reviews"]
    returned = [d for d in review["decisions"] if d["decision"] == "return"]
    assert [(d["id"], d["comment"]) for d in returned] == [("csec_type", COMMENT)]
    trail = (store / "audit.log").read_text()
    assert "review_received" in trail and "weekends" not in trail
    # Idempotent: the next sync receives nothing again, and has nothing to send.
    code, out, _ = county.sync("alice")
    assert "review received" not in out and "up to date" in out
    _, report, _ = cli("report", ids["alice_1"], "--format", "json", "--store", store,
                       "--passphrase-file", county.store_pass)
    assert len(json.loads(report)["reviews"]) == 1
    # The supervisor sees the worker's interview with the review in it.
    _, shown, _ = county.county("sam", "show", ids["alice_1"])
    assert COMMENT in shown


def test_only_the_teams_supervisor_writes_a_review_and_only_the_owner_and_team_read_it(teams):
    county, ids = teams
    county.add("sue", "south", "supervisor")
    args = decisions_for(county, ids["alice_1"])
    # Another team's supervisor cannot even open it, nor write a row for it in SQL.
    code, _, err = county.county("sue", "review", ids["alice_1"], *args)
    assert code == 1 and "that you may read" in err
    with db.connect(county.url_of("sue")) as conn:
        with pytest.raises(Exception, match="row-level security"):
            conn.execute("INSERT INTO reviews (id, session_id, sealed) VALUES (%s, %s, %s)",
                          ("0" * 32, ids["alice_1"], b"forged"))
    # A worker writes none, even on their own interview.
    with db.connect(county.url_of("alice")) as conn:
        with pytest.raises(Exception, match="permission denied"):
            conn.execute("INSERT INTO reviews (id, session_id, sealed) VALUES (%s, %s, %s)",
                          ("1" * 32, ids["alice_1"], b"forged"))
    assert county.county("sam", "review", ids["alice_1"], *args)[0] == 0
    for person, expected in (("alice", 1), ("sam", 1), ("bob", 0), ("sue", 0), ("cora", None)):
        with db.connect(county.url_of(person)) as conn:
            try:
                count = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
            except Exception as exc:  # the coordinator has no right to the table at all
                assert "permission denied" in str(exc)
                count = None
        assert count == expected, person


def test_a_review_moved_to_another_interview_or_altered_is_refused_not_added(teams, cli):
    county, ids = teams
    args = decisions_for(county, ids["alice_1"])
    assert county.county("sam", "review", ids["alice_1"], *args)[0] == 0
    with county.admin() as conn:  # the administrator moves it to alice's other interview
        conn.execute("UPDATE reviews SET session_id = %s", (ids["alice_2"],))
    code, out, _ = county.sync("alice")
    assert "review received" not in out and "does not open" in out
    _, report, _ = cli("report", ids["alice_2"], "--format", "json", "--store",
                       county.store("alice"), "--passphrase-file", county.store_pass)
    assert "reviews" not in json.loads(report)


def test_review_inputs_get_one_clear_message(teams):
    county, ids = teams
    code, _, err = county.county("sam", "review", ids["alice_1"], "--decision", "csec_type=ok")
    assert code == 1 and "DETERMINATION=approve or DETERMINATION=return" in err
    code, _, err = county.county("sam", "review", ids["alice_1"], "--decision", "csec_type=return")
    assert code == 1 and "needs a --comment" in err
    code, _, err = county.county("sam", "review", ids["alice_1"], "--decision", "nope=approve")
    assert code == 1 and "no such determination; it has: " in err and "csec_type" in err
    code, _, err = county.county("sam", "review", ids["alice_1"], "--decision",
                                 "csec_type=approve")
    assert code == 1 and "decide every determination" in err
    code, _, err = county.county("sam", "review", ids["alice_1"], "--comment", "x")
    assert code == 2 and "--comment goes after the --decision" in err
    code, _, err = county.county("sam", "review", ids["alice_1"])  # no terminal here
    assert code == 1 and "no --decision given and no terminal" in err
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0


def test_a_dump_does_not_tell_how_long_the_comments_are_nor_whether_one_was_returned(teams):
    """Audit C1: `length(sealed)` was 629 bytes for an all-approve review, 670 with one short
    comment and 1,027 with two longer ones: a dump told whether the supervisor returned
    something. Now every review is padded to the same bucket."""
    county, ids = teams
    code, out, err = county.county("sam", "show", ids["alice_1"], "--json")
    dets = [d.id for d in determinations(json.loads(out))]
    approve = [a for d in dets for a in ("--decision", f"{d}=approve")]
    code, _, err = county.county("sam", "review", ids["alice_1"], *approve)
    assert code == 0, err
    long = ("Ask again about the weekends and who drives her there (FICT). " * 25)[:600]
    returned = ["--decision", f"{dets[0]}=return", "--comment", long, *approve[2:]]
    code, _, err = county.county("sam", "review", ids["alice_1"], *returned)
    assert code == 0, err
    with county.admin() as conn:
        sizes = [n for (n,) in conn.execute("SELECT length(sealed) FROM reviews")]
    assert len(sizes) == 2 and sizes[0] == sizes[1], sizes
    from interview.county.reviews import BUCKETS

    assert sizes[0] == BUCKETS[0]
    code, out, _ = county.sync("alice")  # both still open on the worker's laptop
    assert "2 reviews received" in out


def test_a_second_review_says_it_replaces_the_first_and_the_worker_sees_which_stands(teams, cli):
    """Audit chain, finding 6: a return, then `county review ... =approve` said "1 approved"
    without a word of the waiting return; the worker got both side by side."""
    county, ids = teams
    args = decisions_for(county, ids["alice_1"])  # returns the CSEC Type
    code, out, err = county.county("sam", "review", ids["alice_1"], *args)
    assert code == 0, err
    assert "replaces" not in out
    approve = [a.replace("=return", "=approve") for a in args if a not in (COMMENT, "--comment")]
    code, out, err = county.county("sam", "review", ids["alice_1"], *approve)
    assert code == 0, err
    sam = county.users["sam"]
    assert "This one replaces the review of " in out and f"by {sam}: 1 returned" in out
    assert "marked current" in out
    code, out, _ = county.sync("alice")
    assert "2 reviews received" in out
    _, shown, _ = cli("sessions", "show", ids["alice_1"], "--store", county.store("alice"),
                      "--passphrase-file", county.store_pass)
    first, second = [line for line in shown.splitlines() if line.startswith("Review by")]
    assert "1 returned (replaced by the review of " in first
    assert "all approved (current)" in second
    # Each names the supervisor who made it (audit chain, finding 9), as a handoff its sender.
    assert first.startswith(f"Review by the supervisor {sam}, ") and second.startswith(
        f"Review by the supervisor {sam}, ")


def test_an_unfinished_interview_is_said_unfinished_in_show_and_review(teams):
    """Audit chain, finding 8: a supervisor read and approved an interview with nothing
    recorded (0 of 87 steps), and nothing said it was not finished."""
    county, ids = teams
    empty = county.interview("alice", "FICT-3", {})
    county.sync("alice")
    code, out, err = county.county("sam", "show", empty[:8])
    assert code == 0, err
    title, said = out.splitlines()[:2]
    assert title.startswith(f"session {empty}")
    assert said.startswith("The interview was not finished: 0 of ") and said.endswith(
        " steps recorded.")
    code, out, err = county.county("sam", "review", empty, "--decision", "next_steps=approve")
    assert code == 0, err  # allowed (a supervisor may return it early), but said
    assert "1 approved" in out and "The interview was not finished: 0 of " in out
    assert "this review is of what had been recorded" in out


def test_a_review_whose_sealed_reviewer_is_not_the_rows_is_not_received(teams):
    """The second review, B2: the worker read the reviewer's name from inside the sealed
    review, which its sender writes: one supervisor could sign as another. The database's row
    (its policy: the connected role) is the authority; a review whose two names differ is not
    received, and the worker is told."""
    county, ids = teams
    args = decisions_for(county, ids["alice_1"])
    assert county.county("sam", "review", ids["alice_1"], *args)[0] == 0
    with county.admin() as conn:  # the two names made to differ
        conn.execute("UPDATE reviews SET reviewer = 'someone_else'")
    code, out, err = county.sync("alice")
    said = out + err
    assert "review received" not in said and "someone_else sent it: not received" in said, said
