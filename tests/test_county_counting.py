"""The county table counts each child once: one case number typed differently by two workers is
one child (004 Appendix B: "eliminate reporting duplication of cases"), in the local `aggregate`
and `county aggregate` alike, and the table says what it counts. All cases are fictional."""

from __future__ import annotations

import datetime as dt
import json
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interview.reports.aggregate import Screening, county_table
from interview.storage.store import Store
from stores import FAST_N, PASSPHRASE

D = dt.date(2025, 3, 1)
SEPARATORS = [" ", "-", "_", ".", "/", "\t", "\u2013", "\u00a0", "#", ":"]
CASE_ALPHABET = string.ascii_letters + string.digits
DISCLOSED = {"confidentiality_script": "yes", "spec_paid_for_sex": "yes"}
MOVES = {**DISCLOSED, "open_staying": {"text": "x", "cues": ["no_stable_place"]}}  # a red flag
BASE = {"interview_date": "2025-09-03", "date_of_birth": "2010-06-14",
        "case_status": "in_foster_care"}


def children(*case_ids: str) -> int:
    return county_table([Screening(f"case:{c}", D, "at_risk") for c in case_ids]).children


@st.composite
def variant(draw, case_id: str) -> str:
    """The same case number as another worker may type it: any letter's case changed, any
    separator or spacing around and between the characters."""
    sep = st.text(st.sampled_from(SEPARATORS), max_size=2)
    out = draw(sep)
    for ch in case_id:
        out += (ch.swapcase() if draw(st.booleans()) else ch) + draw(sep)
    return out


@given(st.text(CASE_ALPHABET, min_size=1, max_size=12).flatmap(
    lambda c: st.tuples(st.just(c), variant(c), variant(c))))
def test_any_case_spacing_or_separator_variant_of_a_case_number_is_the_same_child(ids):
    assert children(*ids) == 1


@given(st.text(CASE_ALPHABET, min_size=1, max_size=12), st.data())
def test_case_numbers_differing_in_a_letter_or_digit_are_never_the_same_child(case_id, data):
    at = data.draw(st.integers(0, len(case_id) - 1))
    other = data.draw(st.sampled_from(CASE_ALPHABET).filter(
        lambda c: c.casefold() != case_id[at].casefold()))
    changed = case_id[:at] + other + case_id[at + 1:]
    assert children(data.draw(variant(case_id)), data.draw(variant(changed))) == 2
    # a letter or digit more or fewer is another case number too
    assert children(case_id, case_id + data.draw(st.sampled_from(CASE_ALPHABET))) == 2


def interview(cli, tmp_path, store, case_id: str, answers: dict, n: int) -> None:
    path = tmp_path / f"case{n}.json"
    path.write_text(json.dumps({"flow": "youth", "context": {**BASE, "case_id": case_id},
                                "answers": answers}))
    code, _, err = cli("run", "youth", "--answers", path, "--store", store,
                       "--passphrase-file", tmp_path / "pw")
    assert code == 0, err


def test_the_local_aggregate_counts_one_child_whatever_the_case_numbers_case_or_separators(
        cli, tmp_path):
    """The audit's reproduction (A3): EXAMPLE-0001 typed three ways was three victims."""
    store = tmp_path / "store"
    Store.create(store, PASSPHRASE, n=FAST_N)
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    for n, case_id in enumerate(("EXAMPLE-0001", "example-0001 ", "EXAMPLE 0001")):
        interview(cli, tmp_path, store, case_id, DISCLOSED, n)
    interview(cli, tmp_path, store, "EXAMPLE-0002", DISCLOSED, 3)  # another child
    code, out, err = cli("aggregate", "--json", "--store", store,
                         "--passphrase-file", tmp_path / "pw")
    assert code == 0, err
    table = json.loads(out)
    assert (table["children"], table["sessions"]) == (2, 4)
    assert table["children_by_csec_type"]["victim_during_foster_care"] == 2


def test_county_aggregate_counts_one_child_across_workers_whatever_the_typing(postgres, tmp_path,
                                                                             monkeypatch):
    from test_county_read import County

    county = County(postgres, tmp_path, monkeypatch)
    for person, team, kind in (("alice", "north", "worker"), ("bob", "south", "worker"),
                               ("cora", "county", "coordinator")):
        county.add(person, team, kind)
    county.interview("alice", "EXAMPLE-0001", DISCLOSED)
    county.interview("bob", "example-0001 ", DISCLOSED)
    county.interview("bob", "EXAMPLE 0001", DISCLOSED)
    county.sync("alice")
    county.sync("bob")
    code, out, err = county.county("cora", "aggregate", "--json")
    assert code == 0, err
    table = json.loads(out)
    assert (table["children"], table["sessions"]) == (1, 3)
    assert table["children_by_csec_type"]["victim_during_foster_care"] == 1


def test_the_table_says_which_lines_are_summed_over_interviews_and_what_has_no_case_number(
        cli, tmp_path):
    """The audit's B3: one child seen twice had their red flags counted twice under a heading
    that read per child, and interviews with no case number were children without a word."""
    store = tmp_path / "store"
    Store.create(store, PASSPHRASE, n=FAST_N)
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    interview(cli, tmp_path, store, "EXAMPLE-0001", MOVES, 0)
    interview(cli, tmp_path, store, "EXAMPLE-0001", MOVES, 1)
    interview(cli, tmp_path, store, "", MOVES, 2)
    args = ("--store", store, "--passphrase-file", tmp_path / "pw")
    code, out, err = cli("aggregate", *args)
    assert code == 0, err
    assert "2 of 2 children, 3 interviews" in out  # every figure keeps its meaning
    assert "1 interview had no case number: it is counted as its own child" in out
    assert "Red flags by column, summed over the 3 interviews: " in out
    code, out, _ = cli("aggregate", "--json", *args)
    table = json.loads(out)
    assert (table["children"], table["sessions"],
            table["sessions_without_case_number"]) == (2, 3, 1)
    assert table["red_flags_by_column"]["labor"] == 3  # summed: one per interview, 2 children
    code, out, _ = cli("aggregate", "--csv", *args)
    assert "total,sessions_without_case_number,1" in out.splitlines()
    interview(cli, tmp_path, store, "", DISCLOSED, 3)
    _, out, _ = cli("aggregate", *args)
    assert "2 interviews had no case number: each is counted as its own child" in out


# --- teams: a supervisor reads their team by its exact name ------------------------------------


def test_add_user_stores_the_stripped_team_says_it_and_warns_of_a_near_team(cli, postgres,
                                                                          tmp_path,
                                                                          monkeypatch):
    """Audit B5: `--team 'North '` was stored as 'North' beside 'north' and echoed as 'North '
    with no word: a worker no supervisor of north would ever see."""
    from postgres import County as Database

    county = Database(postgres, tmp_path)
    monkeypatch.setenv("CSEC_INTERVIEW_USER_PASSWORD", "a first password here")
    county.user("supervisor", "north")
    county.user("worker", "south")

    def add(team: str) -> tuple[int, str, str]:
        return cli("county", "add-user", postgres.name("x"), "--team", team, "--kind",
                   "worker", "--db", county.url)

    code, out, err = add("north")  # a team that exists: nothing more to say
    assert code == 0 and "worker of team 'north'" in out and "new" not in out and not err
    code, out, err = add("North ")
    assert code == 0, err
    assert "worker of team 'North' (" in out  # what was stored, stripped
    assert "Team 'North' is new: no one was in it before. Teams so far: north, south." in out
    (warning,) = err.strip().splitlines()
    assert warning.startswith("WARNING: team 'North' is not team 'north'")
    assert "UPDATE workers SET team = 'north' WHERE role = " in warning
    with county.admin() as conn:
        teams = {t for (t,) in conn.execute("SELECT team FROM workers")}
    assert teams == {"north", "North", "south"}
    code, out, err = add("north")  # joined again: the administrator's choice, no warning
    assert code == 0 and not err and "new" not in out
    code, out, err = add("east")  # new, and near nothing
    assert code == 0 and "Team 'east' is new" in out and not err


# --- the small messages (audit B8) ------------------------------------------------------------


def test_a_name_postgresql_keeps_is_one_clear_message_not_an_internal_error(cli, postgres,
                                                                         tmp_path,
                                                                         monkeypatch):
    from postgres import County as Database

    county = Database(postgres, tmp_path)
    monkeypatch.setenv("CSEC_INTERVIEW_USER_PASSWORD", "a first password here")
    for name in ("public", "none", "current_user"):
        code, out, err = cli("county", "add-user", name, "--team", "north", "--kind", "worker",
                             "--db", county.url)
        assert code == 1 and not out, out
        assert err.strip() == (f"csec-interview: {name!r} cannot be a user name: PostgreSQL "
                               "keeps it for itself; choose another, e.g. jdoe or maria_lopez")


def test_init_run_again_as_the_docs_say_changes_nothing_and_says_so(cli, postgres, tmp_path):
    """deployment.md's own `init --key-out county.key` run a second time exited 1 ('exists
    already') while the docs say running it again changes nothing."""
    url = postgres.url(postgres.database())
    (tmp_path / "kp").write_text("county key passphrase\n")
    key_file = tmp_path / "county.key"
    args = ("county", "init", "--db", url, "--key-out", key_file, "--passphrase-file",
            tmp_path / "kp")
    code, first, err = cli(*args)
    assert code == 0, err
    before = key_file.read_bytes()
    code, out, err = cli(*args)
    assert code == 0, err
    assert "already up to date" in out and "(unchanged; --rotate makes a new one)" in out
    assert (f"The county already has this key, so nothing was written to {key_file}: "
            "--key-out is for the first init and for --rotate.") in out
    assert key_file.read_bytes() == before
    code, _, err = cli(*args, "--rotate")  # a new key is never written over the old file
    assert code == 1 and "never written over" in err and key_file.read_bytes() == before


def test_a_server_that_is_down_tells_the_coordinator_nothing_about_their_computer(
        cli, postgres, tmp_path, monkeypatch):
    """`county aggregate` said 'everything stays saved on this computer' to a coordinator who
    has nothing on it; the laptop's `sync` still says it."""
    from test_county_read import County

    county = County(postgres, tmp_path, monkeypatch)
    county.add("alice", "north", "worker")
    down = "postgresql://alice@/csec?host=" + str(tmp_path / "no-server-here")
    code, out, err = cli("county", "aggregate", "--db", down, "--key", county.key_file,
                         "--passphrase-file", county.key_pass)
    assert code == 1 and "cannot reach the county database" in err, err
    assert "try again when connected" in err and "this computer" not in err
    code, out, err = cli("sync", "--db", down, "--store", county.store("alice"),
                         "--passphrase-file", county.store_pass)
    assert code == 1 and "try again when connected; everything stays saved on this computer" \
        in err, err


def test_ctrl_c_mid_sync_says_what_was_sent_is_kept(county_with_work, monkeypatch):
    """Ctrl+C after the first batch was committed: the sync says that what was sent is kept
    and the next one finishes, and it is so."""
    from interview.county import sync

    county, ids = county_with_work
    real = sync._fault

    def interrupt(point: str, batch: int) -> None:  # ctrl+c, just after batch 1's commit
        if (point, batch) == ("after-commit", 1):
            raise KeyboardInterrupt
        real(point, batch)

    monkeypatch.setattr(sync, "_fault", interrupt)
    monkeypatch.setenv("CSEC_INTERVIEW_SYNC_BATCH", "1")
    code, out, err = county.cli("sync", "--db", county.url_of("alice"), "--store",
                                county.store("alice"), "--passphrase-file", county.store_pass)
    assert code == 130
    assert err.strip() == ("csec-interview: sync interrupted: what reached the county database "
                           "before it is kept, and nothing is sent twice; run `csec-interview "
                           "sync` again to finish")
    with county.admin() as conn:
        kept = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert kept >= 1
    monkeypatch.setattr(sync, "_fault", real)
    county.sync("alice")
    with county.admin() as conn:
        assert {sid for (sid,) in conn.execute("SELECT session_id FROM interviews")} == set(ids)
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] > kept


@pytest.fixture
def county_with_work(postgres, tmp_path, monkeypatch):
    from test_county_read import County

    county = County(postgres, tmp_path, monkeypatch)
    county.add("alice", "north", "worker")
    ids = [county.interview("alice", f"FICT-{n}", DISCLOSED) for n in range(3)]
    return county, ids
