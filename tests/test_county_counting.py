"""The county table counts each child once: one case number typed differently by two workers is
one child (004 Appendix B: "eliminate reporting duplication of cases"), in the local `aggregate`
and `county aggregate` alike, and the table says what it counts. All cases are fictional."""

from __future__ import annotations

import datetime as dt
import json
import string

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
    code, out, err = add("east")  # new, and near nothing
    assert code == 0 and "Team 'east' is new" in out and not err
