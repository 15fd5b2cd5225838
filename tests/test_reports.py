"""The county table (each child once, by the hierarchy of 004 Appendix B) and flow diagrams.
All data is fictional."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interview.reports.aggregate import HIERARCHY, Screening, count_once, county_table
from interview.reports.diagram import mermaid
from stores import FAST_N

D = dt.date(2025, 3, 1)


def test_a_child_with_several_types_is_counted_once_under_the_first_in_the_hierarchy():
    screenings = [
        Screening("case:A", D, "at_risk"),
        Screening("case:A", D, "victim_before_foster_care"),     # A: before care wins over at risk
        Screening("case:B", D, "victim_while_absent_from_placement"),
        Screening("case:B", D, "victim_during_foster_care"),     # B: during care is first
        Screening("case:C", D, "at_risk"),
        Screening("case:D", D, None),                            # screened, nothing found
        Screening("session:x", D, "victim_closed_case_receiving_ilp"),
    ]
    table = county_table(screenings)
    assert table.children == 5 and table.sessions == 7
    assert table.by_type == {
        "victim_during_foster_care": 1, "victim_open_case_not_in_foster_care": 0,
        "victim_while_absent_from_placement": 0, "victim_closed_case_receiving_ilp": 1,
        "victim_before_foster_care": 1, "at_risk": 1}
    assert table.as_json()["identified"] == 4


@given(st.lists(st.sampled_from(HIERARCHY), min_size=1))
def test_count_once_picks_the_earliest_in_the_hierarchy(types):
    assert count_once(types) == min(types, key=HIERARCHY.index)


def test_dates_filter_the_interviews_and_counts_stay_deidentified():
    screenings = [Screening("case:A", dt.date(2025, 1, 5), "at_risk", (("sex_trafficking",),),
                            ("basic_needs",)),
                  Screening("case:B", dt.date(2025, 2, 5), "victim_before_foster_care",
                            (("sex_trafficking", "labor"),), ("basic_needs", "report_hotline"))]
    table = county_table(screenings, start=dt.date(2025, 2, 1), end=dt.date(2025, 2, 28))
    assert table.sessions == 1 and table.children == 1
    assert table.by_type["victim_before_foster_care"] == 1 and table.by_type["at_risk"] == 0
    assert table.red_flags_by_column == {"sex_trafficking": 1, "labor": 1, "criminal_activity": 0}
    assert table.next_steps == {"basic_needs": 1, "report_hotline": 1}
    assert "case:" not in json.dumps(table.as_json())


def test_aggregate_over_a_store_matches_the_hierarchy(cli, tmp_path):
    from interview.storage.store import Store

    Store.create(tmp_path / "store", "a passphrase here", n=FAST_N)
    (tmp_path / "pw").write_text("a passphrase here\n")
    base = {"interview_date": "2025-09-03", "date_of_birth": "2010-06-14"}
    cases = [  # the same child screened twice: at risk, then a disclosure in care
        ("CASE-1", {"case_status": "in_foster_care"}, {"open_staying": {"text": "x", "cues": ["no_stable_place"]},
                                                       "open_school": {"text": "x", "cues": ["rarely_goes"]}}),
        ("CASE-1", {"case_status": "in_foster_care"}, {"confidentiality_script": "yes",
                                                       "spec_paid_for_sex": "yes"}),
        ("CASE-2", {"case_status": "no_open_case"}, {"confidentiality_script": "yes",
                                                     "spec_paid_for_sex": "yes"}),
        ("CASE-3", {}, {"confidentiality_script": "yes", "spec_paid_for_sex": "no"}),
    ]
    for n, (case_id, context, answers) in enumerate(cases):
        path = tmp_path / f"case{n}.json"
        path.write_text(json.dumps({"flow": "youth", "context": {**base, **context, "case_id": case_id},
                                    "answers": answers}))
        code, _, err = cli("run", "youth", "--answers", path, "--store", tmp_path / "store",
                           "--passphrase-file", tmp_path / "pw")
        assert code == 0, err
    code, out, err = cli("aggregate", "--json", "--store", tmp_path / "store",
                         "--passphrase-file", tmp_path / "pw")
    assert code == 0, err
    table = json.loads(out)
    assert table["sessions"] == 4 and table["children"] == 3 and table["skipped"] == 0
    assert table["children_by_csec_type"]["victim_during_foster_care"] == 1   # CASE-1, once
    assert table["children_by_csec_type"]["victim_before_foster_care"] == 1   # CASE-2
    assert table["children_by_csec_type"]["at_risk"] == 0
    assert "CASE-" not in out and "2010-06-14" not in out
    code, out, err = cli("aggregate", "--store", tmp_path / "store",
                         "--passphrase-file", tmp_path / "pw")
    assert code == 0, err  # read by people: the catalog's words, never ids
    assert "Victim During Foster Care" in out and "Victim Before Foster Care" in out
    assert "Red flags by column, summed over the 4 interviews: Sex trafficking (CSEC)" in out
    assert "victim_during_foster_care" not in out and "sex_trafficking" not in out
    assert "CASE-" not in out and "2010-06-14" not in out
    code, out, _ = cli("aggregate", "--csv", "--from", "2026-01-01", "--store",
                       tmp_path / "store", "--passphrase-file", tmp_path / "pw")
    assert code == 0 and "total,sessions,0" in out
    code, _, err = cli("aggregate", "--from", "2025-02-30", "--store", tmp_path / "store",
                       "--passphrase-file", tmp_path / "pw")
    assert code == 1 and "--from: '2025-02-30' is not a real date: February 2025 has no day 30" in err


@pytest.mark.parametrize("flow", ["youth", "caregiver"])
def test_the_diagram_shows_every_step_and_the_branches(library, cli, flow):
    code, out, _ = cli("diagram", flow)
    assert code == 0 and out.startswith("stateDiagram-v2")
    for step in library.flows[flow].steps:
        assert f"{step.id}: {step.id} [{step.kind}, {step.audience}]" in out
    assert out.strip().endswith("done --> [*]")
    if flow == "youth":
        assert "specific_offer --> spec_paid_for_sex" in out
        assert "specific_offer --> further_names: yes" in out
        assert "(after the script)" in out
    assert mermaid(library.flows[flow]) == out.rstrip("\n")


def test_hotline_screens_are_counted_on_their_own_never_as_children():
    screenings = [
        Screening("case:A", D, "at_risk"),
        Screening("session:h1", D, None, setting="hotline", suspected=("sex_trafficking",),
                  response="immediate_crisis"),
        Screening("session:h2", D, None, setting="hotline",
                  suspected=("labor_trafficking", "criminal_activity")),
    ]
    table = county_table(screenings).as_json()
    assert table["children"] == 1 and table["sessions"] == 1
    assert table["hotline"] == {"screens": 2, "suspected_sex_trafficking": 1,
                                "suspected_labor_trafficking": 1,
                                "suspected_criminal_activity": 1,
                                "immediate_crisis": 1, "initial_mdt": 0}
