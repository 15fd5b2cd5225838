"""The return-from-runaway interview and the shared checklists: included, never copied, and
the CSEC Type of a disclosure about the absence. All cases are fictional."""

from __future__ import annotations

from pathlib import Path

import pytest

ABSENT = {"date_of_birth": "2009-11-02", "interview_date": "2025-10-21",
          "case_status": "in_foster_care", "absence": {"left": "2025-10-06", "returned": "2025-10-19"}}
TRADED = {"away_food_sleep": {"text": "He paid for the room.", "cues": ["traded_sex"]}}


def returned(answers, context=ABSENT):
    return {"flow": "runaway-return", "context": context,
            "answers": {"confidentiality_script": "yes", **answers}}


def ids(findings):
    return [s["id"] for s in findings["next_steps"]]


def when(cue):
    return {"exploited_when": {"text": "", "cues": [cue]}}


def test_a_disclosure_about_the_absence_is_victim_while_absent_with_the_absences_dates(assess):
    f = assess(returned({**TRADED, **when("while_away")}))
    assert f["csec_type"] == {**f["csec_type"], "type": "victim_while_absent_from_placement",
                              "status": "determined",
                              "start_date": "2025-10-06", "end_date": "2025-10-19"}
    assert "The worker determined the child was exploited while absent" in f["csec_type"]["reason"]
    assert "report_hotline" in ids(f) and "document_csec_type" in ids(f)


def test_when_the_worker_finds_it_did_not_happen_while_absent_the_type_follows_when(assess):
    f = assess(returned({**TRADED, **when("in_care_other_time")}))
    assert f["csec_type"]["type"] == "victim_during_foster_care"
    assert f["csec_type"]["end_date"] is None and f["csec_type"]["status"] == "determined"
    before = assess(returned({**TRADED, **when("before_care")},
                             context={**ABSENT, "exploited_from": "2024-05-01"}))
    assert before["csec_type"] == {**before["csec_type"], "type": "victim_before_foster_care",
                                   "start_date": "2024-05-01", "status": "determined"}


def test_while_absent_without_the_absence_dates_says_what_to_record(assess):
    context = {k: v for k, v in ABSENT.items() if k != "absence"}
    f = assess(returned({**TRADED, **when("while_away")}, context=context))
    assert f["csec_type"]["type"] == "undetermined" and f["csec_type"]["start_date"] is None
    assert "record the first day absent and the day returned" in f["csec_type"]["reason"]


def test_not_asked_never_defaults_to_victim_while_absent(assess):
    f = assess(returned(TRADED))
    assert f["csec_type"]["type"] == "victim_during_foster_care"
    assert f["csec_type"]["status"] == "proposed"
    assert "if it happened during the absence, say so" in f["csec_type"]["reason"]


def test_victim_while_absent_applies_only_to_a_child_in_foster_care(assess):
    f = assess(returned({**TRADED, **when("while_away")},
                        context={**ABSENT, "case_status": "open_case_not_in_foster_care"}))
    assert f["csec_type"]["type"] == "undetermined"
    assert "applies only to a child in foster care" in f["csec_type"]["reason"]


def test_a_reasonable_suspicion_about_the_absence_is_reported_to_the_hotline(assess):
    f = assess(returned({"absence_suspicion": "yes"}))
    assert not any(f["disclosures"][k] for k in ("sex_trafficking", "labor_trafficking",
                                                 "criminal_activity"))
    assert f["suspected"]["sex_trafficking"]
    report = next(s for s in f["next_steps"] if s["id"] == "report_hotline")
    assert report["reason"].startswith("Reasonable suspicion: sex trafficking")
    assert f["csec_type"] is None  # a suspicion is not an identification
    assert "initial_mdt" in ids(f)


def test_what_happened_while_away_feeds_the_disclosures_and_red_flags(assess):
    f = assess(returned({
        "away_where": {"text": "Motels.", "cues": ["unusual_place", "travel"]},
        "away_with_whom": {"text": "His friends.", "cues": ["directed_by_someone"]},
        "away_anything_happened": {"answer": "yes", "cues": ["made_to_work"]}}))
    assert {r["id"] for r in f["red_flags"]} == {"unusual_living_work_space", "unexplained_travel"}
    assert f["at_risk"]["indicators"] == ["A"] and f["disclosures"]["labor_trafficking"]


# --- nothing copied: includes ---------------------------------------------------------------

def test_the_return_interview_is_the_youth_interview_plus_the_absence_not_a_copy(library):
    youth, back = library.flows["youth"], library.flows["runaway-return"]
    assert [s.id for s in youth.steps] == [s.id for s in back.steps
                                           if s.section not in ("while_away", "about_the_absence")]
    for step in youth.steps:  # the same step, written once in youth.yaml
        twin = back.by_id[step.id]
        assert (twin.text, twin.cues, twin.source) == (step.text, step.cues, step.source)
        assert twin.origin in ("", str(youth.path)) or twin.origin.endswith(
            ("labor-criminal.yaml", "cse-situations.yaml", "collateral.yaml"))
    own = [s for s in back.steps if not s.include_line]
    assert {s.section for s in own} == {"while_away", "about_the_absence"}
    text = Path(back.path).read_text(encoding="utf-8")
    assert "How are you feeling?" not in text and "open_feeling" not in text
    # The absence questions come after the open-ended ones, before the offer of specific ones.
    order = [s.id for s in back.sections]
    assert order.index("open_ended") < order.index("while_away") < order.index("offer")
    assert order.index("specific") < order.index("about_the_absence") < order.index("observed")


@pytest.mark.parametrize("flow_id", ["youth", "caregiver", "labor-criminal", "runaway-return"])
def test_the_checklists_are_written_once_and_shared(library, flow_id):
    from conftest import ROOT

    part = ROOT / "flows" / "parts" / "labor-criminal.yaml"
    flow = library.flows[flow_id]
    shared = [s for s in flow.steps if s.origin == str(part) or Path(s.origin).name == part.name]
    names = {s.id for s in shared}
    assert {"labor_contributes_income", "work_debt", "domestic_unfair", "crim_posting_others"} <= names
    assert all(s.audience == "worker" for s in shared)
    # The flow files include the part; none repeats an item's words.
    assert "beg for money" not in Path(flow.path).read_text(encoding="utf-8")


def test_the_checklists_are_the_sources_items(library, seeds):
    """The labor and criminal-activity items are 003's procedure lists, verbatim: on screen, or,
    where the source's words would label the youth who may see the screen ("criminal
    activities"), in the step's reference (F2), quoted."""
    import re

    from test_content import norm

    text = norm((seeds / "003_abb68552f189792e.txt").read_text())
    flow = library.flows["labor-criminal"]
    verbatim = [s for s in flow.steps if s.section in ("labor_situations", "criminal_activity")
                and s.id != "crim_posting_others"]
    assert len(verbatim) == 6 + 9
    quoted = 0
    for step in verbatim:
        words = step.text
        if step.reference.startswith("003's words"):
            words = re.search(r"“(.+)”", step.reference).group(1)
            quoted += 1
        assert norm(words) in text, step.id
    assert quoted == 2


def test_the_youth_flow_offers_the_return_interview(library):
    assert library.flows["youth"].after_absence == "runaway-return"
    assert library.flows["runaway-return"].gate == "confidentiality_script"
