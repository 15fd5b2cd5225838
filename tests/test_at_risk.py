"""The At-Risk rule over every combination of A-H, through the pure rule and through `assess`."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview.rules import at_risk

LETTERS = "ABCDEFGH"
ALL_COMBINATIONS = [frozenset(c) for n in range(9) for c in itertools.combinations(LETTERS, n)]


def expected(letters: frozenset) -> tuple[bool, str | None]:
    """The definition read straight from 001: one of A-C, or at least two of D-H."""
    one_of_abc = any(x in letters for x in "ABC")
    two_of_dh = sum(x in letters for x in "DEFGH") >= 2
    branch = {(True, True): "A-C+D-H", (True, False): "A-C", (False, True): "D-H",
              (False, False): None}[(one_of_abc, two_of_dh)]
    return one_of_abc or two_of_dh, branch


def test_there_are_256_combinations():
    assert len(set(ALL_COMBINATIONS)) == 256


@pytest.mark.parametrize("letters", ALL_COMBINATIONS, ids=lambda c: "".join(sorted(c)) or "none")
def test_rule_on_every_combination(letters, library):
    assert at_risk.determine(letters, library.at_risk) == expected(letters)


def worker_confirmed(letters) -> dict:
    """An answer set where the worker's own determination supplies exactly these indicators."""
    return {"flow": "youth", "overrides": [
        {"finding": f"at_risk:{x}", "decision": "confirm", "reason": "caseworker's knowledge"}
        for x in sorted(letters)]}


def test_every_combination_through_assess(cli, tmp_path):
    import json

    paths = []
    for i, letters in enumerate(ALL_COMBINATIONS):
        path = tmp_path / f"{i:03}.json"
        path.write_text(json.dumps(worker_confirmed(letters)))
        paths.append(path)
    code, out, err = cli("assess", "--json", *paths)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 256
    for letters, line in zip(ALL_COMBINATIONS, lines):
        result = json.loads(line)["at_risk"]
        assert (result["met"], result["branch"]) == expected(letters)
        assert result["indicators"] == sorted(letters)
        for letter in letters:  # each indicator says why: here, the worker's reason
            assert result["evidence"][letter][0]["note"] == "caseworker's knowledge"
        kind = json.loads(line)["csec_type"]
        assert (kind is not None and kind["type"] == "at_risk") == expected(letters)[0]


@given(st.sets(st.sampled_from(LETTERS)), st.sets(st.sampled_from(LETTERS)))
@settings(max_examples=200)
def test_adding_indicators_never_undoes_at_risk(library, base, more):
    """Monotone: more indicators can only keep or create a met determination."""
    if at_risk.determine(base, library.at_risk)[0]:
        assert at_risk.determine(base | more, library.at_risk)[0]


@given(st.sets(st.sampled_from("DEFGH"), max_size=1))
def test_one_of_d_to_h_alone_is_never_enough(library, letters):
    met, branch = at_risk.determine(letters, library.at_risk)
    assert not met and branch is None
    assert "Not met" in at_risk.explain(letters, branch, library.at_risk)
