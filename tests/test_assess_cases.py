"""End-to-end cases through `csec-interview assess --json`. All cases are fictional."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

READ = {"basic_needs_offer": "yes", "rapport": "yes", "confidentiality_script": "yes",
        "confidentiality_understood": "yes"}
NOT_FORTHCOMING = {"specific_offer": "no"}
NEUTRAL_NO = {sid: "no" for sid in (
    "spec_paid_for_sex", "spec_illegal_work_money", "spec_scared_unsafe_work",
    "spec_tricked_forced", "spec_no_contact", "spec_worked_money_kept",
    "spec_scared_unsafe_place", "spec_afraid_to_leave", "spec_asked_to_lie", "spec_drugs_gifts",
    "spec_keep_share_money", "spec_work_to_stay", "spec_pictures_advertised", "spec_gang",
    "further_prior_incidents")}


def case(answers=None, context=None, observations=(), overrides=(), flow="youth"):
    return {"flow": flow, "context": {"interview_date": "2025-09-03", **(context or {})},
            "answers": {**READ, **(answers or {})}, "observations": list(observations),
            "overrides": list(overrides)}


def opened(step: str, *cues: str, text: str = "fictional note") -> dict:
    return {step: {"text": text, "cues": list(cues)}}


def ids(findings, key="next_steps"):
    return [x["id"] for x in findings[key]]


def test_at_risk_by_one_of_a_to_c(assess):
    f = assess(case(opened("open_spend_time", "directed_by_someone")))
    assert f["at_risk"]["met"] and f["at_risk"]["branch"] == "A-C"
    assert f["at_risk"]["indicators"] == ["A"] and f["at_risk"]["determination"] == "proposed"
    assert f["at_risk"]["evidence"]["A"][0]["question"] == "Who do you spend time with?"
    assert not any(f["disclosures"][k] for k in ("sex_trafficking", "labor_trafficking", "criminal_activity"))
    assert f["csec_type"]["type"] == "at_risk" and f["csec_type"]["start_date"] == "2025-09-03"
    assert "preventive_services" in ids(f) and "report_hotline" not in ids(f)


def test_at_risk_by_two_of_d_to_h(assess):
    f = assess(case({**opened("open_staying", "no_stable_place"),
                     **opened("further_police_probation", "police_probation_contact")}))
    assert f["at_risk"]["met"] and f["at_risk"]["branch"] == "D-H"
    assert f["at_risk"]["indicators"] == ["D", "E"]
    assert ids(f) == ["basic_needs", "advocacy_referral", "case_plan_services",
                      "preventive_services", "document_csec_type", "continue_engagement"]


def test_one_of_d_to_h_only_is_not_at_risk(assess):
    f = assess(case(opened("open_school", "rarely_goes")))
    assert f["at_risk"] == {**f["at_risk"], "met": False, "branch": None, "indicators": ["F"]}
    assert "one of A-C or two of D-H" in f["at_risk"]["explanation"]
    assert f["csec_type"] is None
    assert ids(f) == ["basic_needs"]


def test_survival_sex_is_sex_trafficking_without_any_third_party(assess):
    f = assess(case({**NOT_FORTHCOMING, "spec_work_to_stay": {"answer": "yes", "cues": ["sex_for_place"]}},
                    context={"case_status": "in_foster_care", "date_of_birth": "2010-06-14"}))
    assert f["disclosures"]["sex_trafficking"] and not f["disclosures"]["labor_trafficking"]
    assert [r["id"] for r in f["red_flags"]] == ["survival_sex"]
    assert f["csec_type"]["type"] == "victim_during_foster_care"
    for step in ("report_hotline", "law_enforcement_24h", "initial_mdt", "ongoing_mdt",
                 "medical_exam", "advocacy_referral", "social_media_search", "immediate_needs",
                 "case_plan_services", "document_csec_type"):
        assert step in ids(f)


def test_a_bare_yes_to_a_two_sided_question_waits_for_the_workers_classification(assess):
    f = assess(case({**NOT_FORTHCOMING, "spec_work_to_stay": "yes"}))
    assert not f["disclosures"]["sex_trafficking"] and not f["disclosures"]["labor_trafficking"]


def test_paid_for_sex_without_an_immediate_safety_concern_gets_an_initial_mdt(assess):
    f = assess(case({**NOT_FORTHCOMING, "spec_paid_for_sex": "yes"},
                    context={"case_status": "open_case_not_in_foster_care"}))
    assert f["disclosures"]["sex_trafficking"]
    assert "initial_mdt" in ids(f) and "immediate_crisis_mdt" not in ids(f)
    mdt = next(s for s in f["next_steps"] if s["id"] == "initial_mdt")
    assert mdt["deadline"] == "Within 10 days" and mdt["source"].startswith("002 §")
    assert f["csec_type"]["type"] == "victim_open_case_not_in_foster_care"


def test_paid_for_sex_with_an_immediate_safety_concern_gets_the_immediate_crisis_team(assess):
    f = assess(case({**NOT_FORTHCOMING, "spec_paid_for_sex": "yes"},
                    context={"immediate_safety_concern": True, "case_status": "no_open_case"}))
    assert "immediate_crisis_mdt" in ids(f) and "initial_mdt" not in ids(f)
    crisis = next(s for s in f["next_steps"] if s["id"] == "immediate_crisis_mdt")
    assert "2 hours" in crisis["deadline"] and "72 hours" in crisis["deadline"]
    assert f["csec_type"]["type"] == "victim_before_foster_care"


def test_labor_trafficking_with_a_debt(assess):
    """Debt bondage: the debt keeps the youth working and the work never pays it off (003)."""
    f = assess(case({**opened("open_support", "works_off_debt", "debt_never_paid_off",
                              text="I work at the restaurant to pay back what I owe for the trip. "
                                   "It never gets smaller."),
                     **NOT_FORTHCOMING, "spec_worked_money_kept": "yes"}))
    d = f["disclosures"]
    assert d["labor_trafficking"] and not d["sex_trafficking"] and not d["criminal_activity"]
    assert {e.get("cue", e.get("answer")) for e in d["evidence"]["labor_trafficking"]} >= {
        "works_off_debt", "debt_never_paid_off", "yes"}
    assert not any("separate answers" in n for n in d["notes"])  # one cue tells both
    assert {"owes_debt_to_employer", "money_controlled_by_other"} <= {r["id"] for r in f["red_flags"]}
    assert "report_hotline" in ids(f) and "initial_mdt" not in ids(f)
    assert f["csec_type"] is None  # CSEC Types document sexual exploitation only


def test_work_without_force_fraud_or_coercion_is_not_labor_trafficking(assess):
    f = assess(case({**NOT_FORTHCOMING, "spec_worked_money_kept": "yes"}))
    assert not f["disclosures"]["labor_trafficking"]
    assert any("force, fraud or coercion" in n for n in f["disclosures"]["notes"])


def test_criminal_activity_for_a_gang(assess):
    f = assess(case({**NOT_FORTHCOMING,
                     "spec_gang": {"answer": "yes", "text": "I hold stuff for them.",
                                   "cues": ["illegal_for_them"]}}))
    assert f["disclosures"]["criminal_activity"] and not f["disclosures"]["sex_trafficking"]
    flag = next(r for r in f["red_flags"] if r["id"] == "gang_drug_crime_ties")
    assert set(flag["columns"]) == {"sex_trafficking", "criminal_activity"}
    # 003: contact law enforcement if the child was involved in criminal activities, with no
    # PC 11166(j)(2) and no clock; the CSE-only steps do not apply.
    assert "law_enforcement_labor_criminal" in ids(f)
    assert not {"law_enforcement_24h", "social_media_search", "initial_mdt"} & set(ids(f))


def test_a_foreign_national_minor_gets_the_otip_report_within_24_hours(assess):
    f = assess(case({**NOT_FORTHCOMING, "spec_tricked_forced": {"answer": "yes", "cues": ["lied_to"]}},
                    context={"foreign_national": True}))
    assert f["disclosures"]["labor_trafficking"]
    otip = next(s for s in f["next_steps"] if s["id"] == "otip_24h")
    assert otip["deadline"] == "Within 24 hours" and "Immigrant" in otip["source"]


def test_a_foreign_national_minor_with_no_concern_gets_no_otip_report(assess):
    f = assess(case({**NOT_FORTHCOMING, **NEUTRAL_NO}, context={"foreign_national": True}))
    assert "otip_24h" not in ids(f)


def test_a_missing_youth_at_risk_is_reported_to_law_enforcement_and_ncmec(assess):
    f = assess(case(opened("open_spend_time", "directed_by_someone"),
                    context={"missing": True, "case_status": "in_foster_care"}))
    assert f["at_risk"]["met"]
    assert {"law_enforcement_missing_24h", "ncmec_24h"} <= set(ids(f))


def test_a_control_case_raises_nothing(assess):
    answers = {**NOT_FORTHCOMING, **NEUTRAL_NO}
    for step in ("open_feeling", "open_staying", "open_school", "open_support", "open_afraid"):
        answers.update(opened(step, text="Fine. With my mom. Going every day. Allowance. No."))
    f = assess(case(answers, context={"case_status": "no_open_case"}))
    assert f["red_flags"] == []
    assert not f["at_risk"]["met"] and f["at_risk"]["indicators"] == []
    assert not any(f["disclosures"][k] for k in ("sex_trafficking", "labor_trafficking", "criminal_activity"))
    assert f["csec_type"] is None
    assert ids(f) == ["basic_needs"]


def test_exploitation_while_absent_from_placement_dates_the_absence(assess):
    f = assess(case({**NOT_FORTHCOMING, "spec_paid_for_sex": "yes"},
                    context={"case_status": "in_foster_care", "date_of_birth": "2009-02-01",
                             "exploited_during": "absent_from_placement",
                             "absence": {"left": "2025-08-10", "returned": "2025-08-30"}}))
    assert f["csec_type"] == {**f["csec_type"], "type": "victim_while_absent_from_placement",
                              "status": "determined",
                              "start_date": "2025-08-10", "end_date": "2025-08-30"}


def test_an_absence_alone_does_not_make_it_victim_while_absent(assess):
    f = assess(case({**NOT_FORTHCOMING, "spec_paid_for_sex": "yes"},
                    context={"case_status": "in_foster_care", "date_of_birth": "2009-02-01",
                             "absence": {"left": "2025-08-10", "returned": "2025-08-30"}}))
    assert f["csec_type"]["type"] == "victim_during_foster_care"
    assert f["csec_type"]["status"] == "proposed"
    assert "if it happened during the absence" in f["csec_type"]["reason"]


def test_victim_supersedes_at_risk(assess):
    f = assess(case({**opened("open_spend_time", "directed_by_someone"),
                     **NOT_FORTHCOMING, "spec_paid_for_sex": "yes"},
                    context={"case_status": "no_open_case"}))
    assert f["at_risk"]["met"]
    assert f["csec_type"]["type"].startswith("victim_")
    assert "preventive_services" not in ids(f)


def test_a_worker_can_reject_a_proposed_indicator_and_the_findings_follow(assess):
    base = case(opened("open_spend_time", "directed_by_someone"))
    assert assess(base)["at_risk"]["met"]
    rejected = {**base, "overrides": [{"finding": "at_risk:A", "decision": "reject",
                                       "reason": "Her older sister tells her to do homework."}]}
    f = assess(rejected)
    assert not f["at_risk"]["met"] and f["csec_type"] is None
    assert f["overrides"] == [{"finding": "at_risk:A", "decision": "reject",
                               "reason": "Her older sister tells her to do homework."}]


def test_a_worker_confirms_an_indicator_and_the_determination_is_theirs(assess):
    base = case(opened("open_spend_time", "directed_by_someone"))
    confirmed = {**base, "overrides": [{"finding": "at_risk:A", "decision": "confirm",
                                        "reason": "He keeps her phone and tells her who to see."}]}
    f = assess(confirmed)
    assert f["at_risk"]["determination"] == "confirmed" and f["at_risk"]["confirmed"] == ["A"]


def test_a_worker_can_confirm_a_disclosure_the_answers_did_not_show(assess):
    f = assess(case(overrides=[{"finding": "disclosure:sex_trafficking", "decision": "confirm",
                                "reason": "Disclosed to the foster parent; corroborated."}]))
    assert f["disclosures"]["sex_trafficking"]
    assert f["disclosures"]["evidence"]["sex_trafficking"][0]["from"] == "override"


def test_observations_are_red_flags_with_their_notes(assess):
    f = assess(case(observations=["tattoos_or_branding", "someone_speaks_for_them"]))
    assert {r["id"] for r in f["red_flags"]} == {"tattoos_or_branding", "someone_speaks_for_them"}
    # Someone else speaking for the youth is a red flag and a reason to ask, never A by itself.
    assert f["at_risk"]["indicators"] == [] and not f["at_risk"]["met"]
    assert f["at_risk"]["ask_more"][0]["indicator"] == "A"
    # so is a tattoo: ask who chose it (A only if someone else did)
    assert f["at_risk"]["ask_more"][0]["red_flags"] == ["someone_speaks_for_them",
                                                        "tattoos_or_branding"]


def test_caregiver_no_to_coming_home_at_night_is_a_reason_to_ask_not_a_finding(assess):
    f = assess({"flow": "caregiver", "answers": {"cg_comes_home": "no"}})
    assert f["at_risk"]["indicators"] == [] and f["red_flags"] == []
    f = assess({"flow": "caregiver", "answers": {"cg_comes_home": "no", "cg_runs_away": "yes"}})
    assert f["at_risk"]["indicators"] == ["D"]
    assert "chronic_runaway" not in {r["id"] for r in f["red_flags"]}  # once is not chronic
    f = assess({"flow": "caregiver", "answers": {
        "cg_runs_away": {"answer": "yes", "cues": ["again_and_again"]}}})
    assert "chronic_runaway" in {r["id"] for r in f["red_flags"]}


EXAMPLES = sorted((ROOT / "flows" / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_shipped_examples_assess_and_say_they_are_fictional(cli, example):
    assert "FICTIONAL" in example.read_text().splitlines()[0]
    code, out, err = cli("assess", example)
    assert code == 0, err
    assert "At-Risk of CSE" in out and "Next steps" in out


def test_the_shipped_examples_say_what_they_show(cli):
    results = {p.stem: json.loads(cli("assess", p, "--json")[1]) for p in EXAMPLES}
    assert results["survival-sex"]["disclosures"]["sex_trafficking"]
    labor = results["labor-debt"]
    assert labor["disclosures"]["labor_trafficking"] and not labor["disclosures"]["sex_trafficking"]
    assert "otip_24h" in ids(labor)
    quiet = results["no-concern"]
    assert quiet["red_flags"] == [] and not quiet["at_risk"]["met"] and ids(quiet) == ["basic_needs"]
