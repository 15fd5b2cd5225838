"""Determinations read against the source documents, through `csec-interview assess --json`:
each case of issue 11, what the rules must conclude and what they must not. docs/rules.md
names the rule and the source each test checks. All cases are fictional."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview.engine.case import build_record
from interview.rules import evaluate
from interview.rules.at_risk import determine

READ = {"basic_needs_offer": "yes", "rapport": "yes", "confidentiality_script": "yes",
        "confidentiality_understood": "yes"}
SPECIFIC = {"specific_offer": "no"}
IN_CARE = {"case_status": "in_foster_care", "date_of_birth": "2010-03-01"}


def youth(answers=None, context=None, observations=(), overrides=(), flow="youth"):
    return {"flow": flow, "context": {"interview_date": "2025-09-03", **(context or {})},
            "answers": {**(READ if flow in ("youth", "runaway-return") else {}),
                        **(answers or {})},
            "observations": list(observations), "overrides": list(overrides)}


def hotline(answers=None, context=None, observations=()):
    return youth(answers, context, observations, flow="hotline")


def ticks(*cues, text=""):
    return {"text": text, "cues": list(cues)}


def yes(*cues, text=""):
    return {"answer": "yes", "text": text, "cues": list(cues)}


def ids(findings):
    return [s["id"] for s in findings["next_steps"]]


def step(findings, step_id):
    return next(s for s in findings["next_steps"] if s["id"] == step_id)


NO_DETERMINATION = {"report_hotline", "law_enforcement_24h", "ncmec_24h", "advocacy_referral",
                    "preventive_services", "document_csec_type", "case_plan_services"}


# --- 1. a red flag alone never meets the At-Risk definition ---------------------------------

@pytest.mark.parametrize("flow, observations", [
    ("youth", ["someone_speaks_for_them"]),
    ("youth", ["transportation_controlled"]),
    ("youth", ["someone_speaks_for_them", "transportation_controlled"]),
    ("caregiver", ["someone_speaks_for_them"]),
])
def test_a_red_flag_alone_is_not_at_risk(assess, flow, observations):
    # A mother who answers for a shy 12-year-old; a foster mother who drove the youth and waits.
    f = assess(youth(context={"date_of_birth": "2013-05-01"}, observations=observations,
                     flow=flow))
    assert not f["at_risk"]["met"] and f["at_risk"]["indicators"] == []
    assert not NO_DETERMINATION & set(ids(f)) and f["csec_type"] is None
    assert f["at_risk"]["ask_more"][0]["indicator"] == "A"  # a reason to ask, said as such


def test_the_foster_mothers_ride_is_not_control(assess):
    f = assess(youth({"open_transport": ticks("someone_controls_rides", "cannot_come_and_go",
                                              text="My foster mom drives me everywhere.")},
                     context=IN_CARE, observations=["transportation_controlled"]))
    assert {r["id"] for r in f["red_flags"]} == {"transportation_controlled", "cannot_move_freely"}
    assert not f["at_risk"]["met"] and f["csec_type"] is None
    assert "advocacy_referral" not in ids(f) and "continue_engagement" in ids(f)


@pytest.mark.parametrize("answers, source", [
    ({"open_spend_time": ticks("directed_by_someone")}, "gives orders"),
    ({"further_contact_details": ticks("phone_controlled")}, "keeps their phone"),
    ({"further_drugs_alcohol": ticks("supplied_by_controller")}, "drugs to control"),
    ({"further_tattoos": ticks("branding")}, "branding"),
])
def test_what_shows_control_by_a_person_proposes_a_and_the_worker_confirms_it(assess, answers,
                                                                               source):
    f = assess(youth(answers, context=IN_CARE))
    assert f["at_risk"]["indicators"] == ["A"], source
    assert f["at_risk"]["determination"] == "proposed" and f["csec_type"]["status"] == "proposed"
    confirm = [{"finding": "at_risk:A", "decision": "confirm", "reason": "Fictional: seen."}]
    assert assess(youth(answers, context=IN_CARE,
                        overrides=confirm))["at_risk"]["determination"] == "confirmed"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_observation_or_reported_red_flag_is_ever_an_at_risk_indicator(library, data):
    flags = data.draw(st.lists(st.sampled_from(sorted(library.red_flags)), unique=True))
    flow = data.draw(st.sampled_from(["youth", "caregiver", "hotline", "runaway-return"]))
    observable = library.flows[flow].observation_items if flow != "hotline" else library.red_flags
    case = youth(observations=[f for f in flags if f in observable], flow=flow)
    f = evaluate(library, build_record(library, case))
    assert f.at_risk_indicators == {} and not f.at_risk_met


@given(st.sets(st.sampled_from("ABCDEFGH")))
def test_the_at_risk_rule_is_one_of_a_to_c_or_two_of_d_to_h(library, letters):
    met, branch = determine(letters, library.at_risk)
    assert met == (bool(letters & set("ABC")) or len(letters & set("DEFGH")) >= 2)
    assert (branch is None) == (not met)


# --- 2. D-H say exactly what the source says -----------------------------------------------

@pytest.mark.parametrize("case, letters, not_flags", [
    # a 16-year-old boyfriend of a 15-year-old is not G
    (youth({"open_spend_time": ticks("older_peer_partner")}), [], ["older_adult_relationships"]),
    # an adult partner is
    (youth({"open_spend_time": ticks("older_partner")}), ["G"], []),
    # "associates with older people" alone is not G
    (youth({"cg_older_people": yes("older_friends")}, flow="caregiver"), [], ["older_adult_relationships"]),
    (youth({"cg_older_people": "yes"}, flow="caregiver"), [], ["older_adult_relationships"]),
    (youth({"cg_older_people": yes("adult_partner")}, flow="caregiver"), ["G"], []),
    # any attendance concern is not F; frequent truancy is
    (youth({"cg_school_concerns": "yes", "cg_truant": "yes"}, flow="caregiver"), [], []),
    (youth({"cg_truant": yes("unexplained_absences")}, flow="caregiver"), [], []),
    (youth({"cg_truant": yes("frequently_truant")}, flow="caregiver"), ["F"], []),
    # one night away is D (a history of running away), never "Chronic runaway behavior"
    (youth({"cg_runs_away": "yes"}, flow="caregiver"), ["D"], ["chronic_runaway"]),
    (youth({"cg_comes_home": "no"}, flow="caregiver"), [], ["chronic_runaway"]),
    (youth({"open_stay_sleep": ticks("runs_away")}), ["D"], ["chronic_runaway"]),
    # one STI treatment is not "Frequent or multiple" STIs
    (youth({"cg_std_treatment": "yes"}, flow="caregiver"), [], ["frequent_stis"]),
])
def test_d_to_h_and_the_chart_say_no_more_than_the_source(assess, case, letters, not_flags):
    f = assess(case)
    assert f["at_risk"]["indicators"] == letters
    assert not set(not_flags) & {r["id"] for r in f["red_flags"]}


def test_a_police_stop_is_not_e_an_arrest_or_probation_is(assess, library):
    cue = library.flows["youth"].by_id["open_weekdays"].cue("police_contact")
    assert "stopped" not in cue.label and "arrested" in cue.label
    f = assess(youth({"open_weekdays": ticks("police_contact")}))
    assert f["at_risk"]["indicators"] == ["E"]


def test_chronic_and_frequent_need_more_than_once(assess):
    f = assess(youth({"cg_runs_away": yes("again_and_again"),
                      "cg_std_treatment": yes("more_than_once")}, flow="caregiver"))
    assert {"chronic_runaway", "frequent_stis"} <= {r["id"] for r in f["red_flags"]}


# --- 3. the pictures question ---------------------------------------------------------------

def test_the_modelling_photos_are_not_a_disclosure(assess):
    photos = "My mom posts my modeling photos."
    for answer in ("yes", yes(text=photos), yes("other_pictures", text=photos)):
        f = assess(youth({**SPECIFIC, "spec_pictures_advertised": answer}, context=IN_CARE))
        assert not f["disclosures"]["sex_trafficking"] and f["red_flags"] == []
        assert f["csec_type"] is None and not NO_DETERMINATION & set(ids(f))


def test_sexual_pictures_or_a_sexual_purpose_are_a_disclosure(assess):
    f = assess(youth({**SPECIFIC, "spec_pictures_advertised": yes("sexual_pictures")},
                     context=IN_CARE))
    assert f["disclosures"]["sex_trafficking"]
    assert "explicit_images_online" in {r["id"] for r in f["red_flags"]}
    assert "law_enforcement_24h" in ids(f)


# --- 4 and 5. the CSEC Type follows when the child was exploited -----------------------------

def test_victim_before_care_with_an_earlier_start_date(assess):
    f = assess(youth({**SPECIFIC, "spec_paid_for_sex": "yes"},
                     context={**IN_CARE, "exploited_during": "before_foster_care",
                              "exploited_from": "2024-02-10"}))
    assert f["csec_type"] == {**f["csec_type"], "type": "victim_before_foster_care",
                              "status": "determined", "start_date": "2024-02-10"}
    assert "may be before entry" in f["csec_type"]["reason"]


def test_the_case_status_only_proposes_the_type(assess):
    f = assess(youth({**SPECIFIC, "spec_paid_for_sex": "yes"}, context=IN_CARE))
    assert f["csec_type"]["type"] == "victim_during_foster_care"
    assert f["csec_type"]["status"] == "proposed"
    # No start date is made up: the interview day is when it was identified, not when the
    # child became a victim (001, Types 2-4 and 6); the reason says what to record.
    assert f["csec_type"]["start_date"] is None
    assert "record it in the case facts (the form's \"Since (date)\"; `exploited_from` in a " \
        "file)" in f["csec_type"]["reason"]


def test_an_unknown_status_is_said_never_turned_into_victim_before_care(assess):
    f = assess(youth({**SPECIFIC, "spec_paid_for_sex": "yes"}))
    assert f["csec_type"]["type"] == "undetermined" and f["csec_type"]["start_date"] is None
    assert "record when the child was exploited" in f["csec_type"]["reason"]
    assert "document_csec_type" in ids(f)


def test_an_absence_for_a_child_not_in_foster_care_is_not_type_5(assess):
    absence = {"absence": {"left": "2025-08-01", "returned": "2025-08-09"}}
    at_home = {"case_status": "open_case_not_in_foster_care", "date_of_birth": "2010-03-01",
               **absence}
    f = assess(youth({**SPECIFIC, "spec_paid_for_sex": "yes"}, context=at_home))
    assert f["csec_type"]["type"] == "victim_open_case_not_in_foster_care"
    said = assess(youth({**SPECIFIC, "spec_paid_for_sex": "yes"},
                        context={**at_home, "exploited_during": "absent_from_placement"}))
    assert said["csec_type"]["type"] == "undetermined"
    assert "applies only to a child in foster care" in said["csec_type"]["reason"]


@pytest.mark.parametrize("bad, message", [
    ({"exploited_from": "2031-01-01"}, "context.exploited_from: 2031-01-01 is after the interview date"),
    ({"exploited_from": "2009-01-01"}, "context.exploited_from: 2009-01-01 is before the date of birth"),
    ({"exploited_during": "at_school"}, "context.exploited_during: 'at_school' is not a value"),
])
def test_a_bad_determination_is_one_clear_message(cli, tmp_path, bad, message):
    import json

    path = tmp_path / "case.json"
    path.write_text(json.dumps(youth(context={**IN_CARE, **bad})))
    code, out, err = cli("assess", path)
    assert code == 1 and out == "" and message in err and "Traceback" not in err


# --- 6. OTIP: any concern of sex or labor trafficking, criminal activity included ---------------

def test_a_foreign_national_at_risk_only_gets_no_otip_request(assess):
    f = assess(youth({"open_spend_time": ticks("directed_by_someone")},
                     context={"foreign_national": True, "case_status": "no_open_case"}))
    assert f["at_risk"]["met"] and "otip_24h" not in ids(f)


def test_a_foreign_national_made_to_sell_drugs_gets_the_otip_request(assess):
    f = assess(youth({**SPECIFIC, "spec_illegal_work_money": yes("illegal")},
                     context={"foreign_national": True, "case_status": "no_open_case"}))
    assert f["disclosures"]["criminal_activity"] and not f["disclosures"]["labor_trafficking"]
    assert step(f, "otip_24h")["deadline"] == "Within 24 hours"


def test_part_of_labor_trafficking_is_the_workers_to_suspect_and_otip_follows_the_suspicion(
        assess):
    """A brother who hit her is force with no work: not a concern of labor trafficking the
    product may raise by itself. The worker is asked, and a suspicion they confirm brings OTIP."""
    foreign = {"foreign_national": True, "case_status": "open_case_not_in_foster_care",
               "date_of_birth": "2011-05-01"}
    hit = {"open_afraid": ticks("hurt_or_held", text="My brother hit me last week.")}
    f = assess(youth(hit, context=foreign))
    assert not any(f["suspected"][form] for form in ("sex_trafficking", "labor_trafficking",
                                                     "criminal_activity"))
    assert "otip_24h" not in ids(f) and "report_hotline" not in ids(f)
    assert f["suspected"]["to_decide"] == ["labor_trafficking"]
    assert any("OTIP" in note and "If you suspect it" in note for note in f["disclosures"]["notes"])
    suspect = [{"finding": "suspected:labor_trafficking", "decision": "confirm",
                "reason": "Fictional: she works at her uncle's stall and he hits her."}]
    f = assess(youth(hit, context=foreign, overrides=suspect))
    assert f["suspected"]["labor_trafficking"] and f["suspected"]["to_decide"] == []
    assert {"otip_24h", "report_hotline"} <= set(ids(f))
    # work where someone else keeps the pay, with no means: the same, and no note for a citizen
    pay = {**SPECIFIC, "spec_worked_money_kept": "yes"}
    assert "otip_24h" not in ids(assess(youth(pay, context=foreign)))
    citizen = assess(youth(pay, context=IN_CARE))
    assert citizen["suspected"]["to_decide"] == ["labor_trafficking"]
    assert not any("OTIP" in note for note in citizen["disclosures"]["notes"])


def test_work_and_a_means_in_separate_answers_are_proposed_with_a_note(assess):
    """Her mother keeps the babysitting money; separately, she was afraid to leave a violent
    ex. Labor trafficking is work obtained *through* force, fraud or coercion (003): told apart,
    the product proposes it with a note that they must be one situation."""
    apart = {**SPECIFIC, "spec_worked_money_kept": "yes", "spec_afraid_to_leave": "yes"}
    f = assess(youth(apart, context=IN_CARE))
    assert f["disclosures"]["labor_trafficking"]
    assert any("separate answers" in note for note in f["disclosures"]["notes"])
    reject = [{"finding": "disclosure:labor_trafficking", "decision": "reject",
               "reason": "Fictional: the fear was of an ex-boyfriend, not about the work."}]
    f = assess(youth(apart, context=IN_CARE, overrides=reject))
    assert not f["disclosures"]["labor_trafficking"] and "law_enforcement_labor_criminal" \
        not in ids(f)
    assert not any("separate answers" in note for note in f["disclosures"]["notes"])
    together = assess(youth({**SPECIFIC, "spec_tricked_forced": yes("lied_to")}, context=IN_CARE))
    assert together["disclosures"]["labor_trafficking"]
    assert not any("separate answers" in note for note in together["disclosures"]["notes"])


def test_a_debt_to_the_employer_alone_is_a_red_flag_and_work_not_coercion(assess):
    """The store owner lent him $200 and takes $20 a check: "Owes a debt to employer" is a red
    flag (003); debt bondage is a debt the work never pays off."""
    loan = {"open_support": ticks("works_off_debt", text="I pay back the $200, $20 a check.")}
    f = assess(youth(loan, context=IN_CARE))
    assert [r["id"] for r in f["red_flags"]] == ["owes_debt_to_employer"]
    assert not f["disclosures"]["labor_trafficking"] and "report_hotline" not in ids(f)
    assert f["suspected"]["to_decide"] == ["labor_trafficking"]
    bondage = {"open_support": ticks("works_off_debt", "debt_never_paid_off")}
    assert assess(youth(bondage, context=IN_CARE))["disclosures"]["labor_trafficking"]


def test_a_tattoo_that_suggests_property_is_a_reason_to_ask_not_a(assess):
    """A matching rose with her sister: 003 lists property tattoos beside the chart (red flag
    21). A is proposed only when someone else chose it or had it put on her."""
    checklist = {**SPECIFIC, "checklists_offer": "yes", "cse_property_tattoos": "yes"}
    f = assess(youth(checklist, context=IN_CARE))
    assert [r["id"] for r in f["red_flags"]] == ["tattoos_or_branding"]
    assert not f["at_risk"]["met"] and f["at_risk"]["indicators"] == [] and f["csec_type"] is None
    ask = next(a for a in f["at_risk"]["ask_more"] if a["indicator"] == "A")
    assert "tattoos_or_branding" in ask["red_flags"] and "tattoo" in ask["ask"]
    chosen = assess(youth({**checklist, "further_tattoos": ticks("branding")}, context=IN_CARE))
    assert chosen["at_risk"]["indicators"] == ["A"]


def test_a_youth_back_from_running_away_has_d_when_the_worker_says_they_left(assess):
    """Five days with her 22-year-old boyfriend: G, and D once the worker records that she left
    on her own (an absence from placement may also be an abduction)."""
    away = {"away_with_whom": ticks("older_partner", text="My boyfriend, he's 22.")}
    context = {**IN_CARE, "absence": {"left": "2025-08-20", "returned": "2025-08-25"}}
    f = assess(youth(away, context=context, flow="runaway-return"))
    assert f["at_risk"]["indicators"] == ["G"] and not f["at_risk"]["met"]
    f = assess(youth({**away, "away_ran_away": "yes"}, context=context, flow="runaway-return"))
    assert f["at_risk"]["indicators"] == ["D", "G"] and f["at_risk"]["met"]
    taken = assess(youth({**away, "away_ran_away": "no"}, context=context, flow="runaway-return"))
    assert not taken["at_risk"]["met"]


def test_a_caregiver_who_steals_is_not_c_the_child_stealing_for_them_is(assess):
    """003's criminal-activity items are to consider: a father who steals, with the child not in
    it, is not C; the child stealing or selling for someone else who gets the money is."""
    def caregiver(answers):
        return youth({"caregiver_framing": "yes", "checklists_offer": "yes", **answers},
                     context=IN_CARE, flow="caregiver")

    for item in ("crim_stealing", "crim_drug_sales"):
        f = assess(caregiver({item: "yes"}))
        assert not f["disclosures"]["criminal_activity"], item
        assert [r["id"] for r in f["red_flags"]] == ["gang_drug_crime_ties"], item
        f = assess(caregiver({item: yes("money_to_other")}))
        assert f["disclosures"]["criminal_activity"], item
        assert "crime_for_third_party" in {r["id"] for r in f["red_flags"]}, item


# --- 7. legal bases per form --------------------------------------------------------------------

def test_labor_only_gets_law_enforcement_without_a_clock_and_no_cse_steps(assess):
    f = assess(youth({**SPECIFIC, "spec_tricked_forced": yes("lied_to")}, context=IN_CARE))
    assert f["disclosures"]["labor_trafficking"]
    le = step(f, "law_enforcement_labor_criminal")
    assert "11166" not in le["action"] and le["deadline"] == "No deadline in the source"
    assert le["action"].startswith("If the child is a victim")  # 003's condition, not a finding
    assert step(f, "medical_exam")["deadline"].startswith("No deadline")
    assert not {"law_enforcement_24h", "medical_evaluation_72h", "initial_mdt",
                "immediate_crisis_mdt", "ongoing_mdt", "social_media_search",
                "safety_plan"} & set(ids(f))  # the MDT's safety plan: no MDT response here


def test_at_risk_only_is_never_said_to_be_exploitation(assess):
    """Audit of the documents, M5: an At-Risk-only youth's note said "confirm when the child
    was exploited"; At-Risk is a risk status, the caseworker's determination (001)."""
    f = assess(youth({**SPECIFIC, "spec_paid_for_sex": "no",
                      "open_staying": ticks("no_stable_place"),
                      "open_school": ticks("rarely_goes")}, context=IN_CARE))
    assert f["csec_type"]["type"] == "at_risk"
    reason = step(f, "document_csec_type")["reason"]
    assert "exploited" not in reason and "caseworker's determination" in reason
    assert "where there is one" in step(f, "document_csec_type")["action"]


def test_a_labor_or_criminal_disclosure_does_not_end_the_risk_of_cse(assess):
    """Practice audit, H1: a youth At-Risk of CSE (E and F) who discloses selling drugs for
    someone else still calls for preventive services and continued engagement (000: risk factors
    may require preventive services); a labor disclosure with no risk of CSE does not."""
    f = assess(youth({**SPECIFIC, "spec_illegal_work_money": yes("illegal"),
                      "further_police_probation": ticks("police_probation_contact"),
                      "open_school": ticks("rarely_goes")}, context=IN_CARE))
    assert f["disclosures"]["criminal_activity"] and f["at_risk"]["met"], f["at_risk"]
    assert {"preventive_services", "continue_engagement"} <= set(ids(f))
    labor = assess(youth({**SPECIFIC, "spec_tricked_forced": yes("lied_to")}, context=IN_CARE))
    assert not {"preventive_services", "continue_engagement"} & set(ids(labor))


def test_the_initial_mdt_never_says_there_is_no_safety_risk_when_nobody_asked(assess):
    """Audit of the documents, H3: the Initial MDT step said "(no immediate safety risk is
    present)" when the safety question was not answered; the tier follows the safety assessment
    (002 IV.C-D), so the step says it is not recorded and what follows if there is one."""
    unknown = assess(youth({**SPECIFIC, "spec_paid_for_sex": "yes"}, context=IN_CARE))
    mdt = step(unknown, "initial_mdt")
    assert "no immediate safety risk" not in mdt["action"] + mdt["reason"]
    assert "not recorded yet" in mdt["reason"] and "Immediate Crisis" in mdt["reason"]
    assert "safety_plan" in ids(unknown)  # the MDT's, with the MDT response
    safe = assess(youth({**SPECIFIC, "spec_paid_for_sex": "yes"},
                        context={**IN_CARE, "immediate_safety_concern": False}))
    assert step(safe, "initial_mdt")["reason"] == "CSE suspected; no immediate safety risk."


def test_a_caregiver_interview_proposes_no_step_for_a_youth_who_was_not_there(assess):
    """"Offer food ... now" and "keep engaging the youth; youth often deny" are for a contact
    with the youth (003, interviewing techniques with youth); after a caregiver interview with a
    red flag, the youth is screened instead."""
    f = assess(youth({"caregiver_framing": "yes", "cg_runs_away": "yes"},
                     context={"date_of_birth": "2012-05-01"}, flow="caregiver",
                     observations=["chronic_runaway"]))
    assert f["red_flags"] and f["at_risk"]["indicators"] == ["D"]
    assert not {"basic_needs", "continue_engagement"} & set(ids(f))
    assert "screen_for_cse" in ids(f)
    seen = assess(youth({"open_stay_sleep": ticks("runs_away_often")}, context=IN_CARE))
    assert ids(seen)[0] == "basic_needs" and "continue_engagement" in ids(seen)


def test_the_court_and_the_unit_follow_the_procedures_that_name_them(assess):
    """003's procedures for CSE and criminal activity end with the court and the unit; its
    procedure for labor trafficking has neither. The medical exam and advocacy are in all three,
    and cite each."""
    labor = assess(youth({**SPECIFIC, "spec_tricked_forced": yes("lied_to")}, context=IN_CARE))
    assert not {"consider_specialized_court", "consider_csec_unit"} & set(ids(labor))
    assert "Exploiting a Child's Labor, 5" in step(labor, "medical_exam")["source"]
    # 003 refers labor trafficking's victims to advocacy services, not to CSEC advocacy
    # (audit of the documents, L3): the county names each provider
    assert "Exploiting a Child's Labor, 6" in step(labor, "labor_advocacy_referral")["source"]
    assert "advocacy_referral" not in ids(labor)
    assert "CSEC" not in step(labor, "labor_advocacy_referral")["action"]
    crime = assess(youth({**SPECIFIC, "spec_illegal_work_money": yes("illegal")}, context=IN_CARE))
    assert "Criminal Activities, 5" in step(crime, "consider_specialized_court")["source"]
    assert step(crime, "consider_csec_unit")["reason"] == "Suspected criminal activity."
    sex = assess(youth({**SPECIFIC, "spec_paid_for_sex": "yes"}, context=IN_CARE))
    assert {"consider_specialized_court", "consider_csec_unit"} <= set(ids(sex))


def test_the_72_hour_medical_evaluation_belongs_to_the_immediate_crisis(assess):
    crisis = assess(youth({**SPECIFIC, "spec_paid_for_sex": "yes"},
                          context={**IN_CARE, "immediate_safety_concern": True}))
    assert step(crisis, "medical_evaluation_72h")["deadline"] == "Within 72 hours of identification"
    initial = assess(youth({**SPECIFIC, "spec_paid_for_sex": "yes"}, context=IN_CARE))
    assert "medical_evaluation_72h" not in ids(initial) and "medical_exam" in ids(initial)


def test_pc_11166_j_2_only_for_a_child_receiving_child_welfare_services(assess):
    sex = {**SPECIFIC, "spec_paid_for_sex": "yes"}
    served = assess(youth(sex, context=IN_CARE))
    assert "law_enforcement_24h" in ids(served) and "law_enforcement_cse" not in ids(served)
    no_case = assess(youth(sex, context={"case_status": "no_open_case"}))
    assert "law_enforcement_24h" not in ids(no_case)
    assert step(no_case, "law_enforcement_cse")["deadline"] == "Immediately"
    # No open case is not "no services": an emergency response investigation is one (000,
    # WIC 16501), so (j)(2) is named as the case it may be (audit of the documents, M4).
    assert "PC 11166(j)(2)" in step(no_case, "law_enforcement_cse")["reason"]
    told = assess(youth(sex, context={"case_status": "no_open_case",
                                      "receiving_child_welfare_services": False}))
    assert "11166" not in step(told, "law_enforcement_cse")["reason"]
    unknown = assess(youth(sex))
    assert "PC 11166(j)(2)" in step(unknown, "law_enforcement_cse")["reason"]


# --- 8. PC 11166(j)(3) and NCMEC ------------------------------------------------------------------

def test_a_missing_child_with_no_case_gets_neither_j3_nor_ncmec(assess):
    f = assess(hotline({"child_status": ticks("no_case_no_agency", "missing"),
                        "reported_account": ticks("sex_for_value")}))
    assert f["suspected"]["sex_trafficking"]
    assert not {"ncmec_24h", "law_enforcement_missing_24h"} & set(ids(f))
    assert "law_enforcement_cross_report" in ids(f)  # the hotline still cross-reports


def test_a_missing_child_in_care_suspected_of_labor_only_gets_neither(assess):
    f = assess(hotline({"child_status": ticks("in_foster_care", "missing"),
                        "suspected_forms": ticks("labor")}))
    assert not {"ncmec_24h", "law_enforcement_missing_24h"} & set(ids(f))


def test_ncmec_is_cited_to_004_appendix_a(assess):
    f = assess(hotline({"child_status": ticks("in_foster_care", "missing"),
                        "suspected_forms": ticks("cse")}))
    assert step(f, "ncmec_24h")["source"].startswith("004 § Appendix A")
    assert step(f, "law_enforcement_missing_24h")["source"].startswith("000 §")


# --- 9. the emergency-room nurse ------------------------------------------------------------------

def test_the_emergency_room_nurse_calls_for_the_immediate_crisis(assess):
    er = {"caller": ticks("emergency_room"), "suspected_forms": ticks("cse")}
    for safety in ("no", None):
        f = assess(hotline({**er, **({"safety": safety} if safety else {})}))
        assert f["response"]["speed"] == "immediate_crisis"
        assert "emergency room" in step(f, "immediate_crisis_mdt")["reason"]
    # the same caller with nothing suspected: no MDT tier
    assert assess(hotline({"caller": ticks("emergency_room")}))["response"]["speed"] is None


# --- the identified victim back from running away -----------------------------------------------

def test_an_identified_victim_back_from_running_away(assess):
    f = assess(youth({"away_food_sleep": ticks("traded_sex"),
                      "exploited_when": ticks("while_away")}, flow="runaway-return",
                     context={**IN_CARE, "absence": {"left": "2025-08-20",
                                                     "returned": "2025-08-30"}}))
    assert f["csec_type"] == {**f["csec_type"], "type": "victim_while_absent_from_placement",
                              "status": "determined", "start_date": "2025-08-20",
                              "end_date": "2025-08-30"}
    assert {"law_enforcement_24h", "ongoing_mdt", "immediate_needs", "case_plan_services",
            "document_csec_type"} <= set(ids(f))
    assert f["screening"]["reasons"] == ["returned_from_runaway"]


# --- required by the sources: the Ongoing MDT, screening, checklists, collateral contacts ----------

def test_the_ongoing_mdt_for_an_identified_victim_and_in_orange_county_for_youth_at_risk(cli,
                                                                                       tmp_path):
    import json

    at_risk = youth({"open_spend_time": ticks("directed_by_someone")}, context=IN_CARE)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(at_risk))
    steps = {}
    for county in ("default", "orange"):
        code, out, err = cli("--county", county, "assess", path, "--json")
        assert code == 0, err
        steps[county] = {s["id"]: s for s in json.loads(out)["next_steps"]}
    assert "ongoing_mdt" not in steps["default"]
    assert "three of the four" in steps["orange"]["ongoing_mdt"]["action"]


def test_orange_county_is_not_told_of_a_csec_unit_it_does_not_have(cli, tmp_path):
    """Audit of the documents, M7: with --county orange, "assessed for transfer to the CFS CSEC
    coordinator"; in 000 the coordinator is only notified, and the DII SSSS decides whether the
    case goes to a designated DII SSW (the "CSEC Unit" is Los Angeles', 003)."""
    import json

    path = tmp_path / "case.json"
    path.write_text(json.dumps(youth({**SPECIFIC, "spec_paid_for_sex": "yes"}, context=IN_CARE)))
    code, out, err = cli("--county", "orange", "assess", path, "--json")
    assert code == 0, err
    unit = {s["id"]: s for s in json.loads(out)["next_steps"]}["consider_csec_unit"]["action"]
    assert "DII SSSS decides" in unit and "CFS CSEC coordinator" not in unit


def test_who_must_be_screened_is_a_prompt_at_the_hotline(assess):
    f = assess(hotline({"child_age": "12", "at_risk_signs": ticks("another_child_identified")}))
    assert f["screening"]["required"] and "screen_for_cse" in ids(f)
    young = assess(hotline({"child_age": "9", "at_risk_signs": ticks("another_child_identified")}))
    assert not young["screening"]["required"] and "screen_for_cse" not in ids(young)


def test_the_cse_situations_of_003s_procedure_are_s(assess):
    f = assess(youth({"cse_caretaker_uses_child": yes("performance_or_model")},
                     flow="labor-criminal"))
    assert f["disclosures"]["sex_trafficking"]
    extra = assess(youth({"cse_expensive_goods": "yes", "cse_school_absences": "yes"},
                         flow="labor-criminal"))
    assert not extra["at_risk"]["met"] and extra["red_flags"] == []
    assert [r["label"] for r in extra["risk_factors"]] == [
        "Unexplained or suspicious access to expensive clothing and goods, manicures and "
        "hairstyling (003 indicator)", "Unexplained absences from school (003 indicator)"]


def test_collateral_contacts_are_listed_in_the_case_note(cli, tmp_path):
    import json

    path = tmp_path / "case.json"
    path.write_text(json.dumps(youth({"collateral_contacts": ticks(
        "school", "law_enforcement", text="Fictional: called the school counselor.")})))
    code, out, err = cli("report", path, "--part", "case-note")
    assert code == 0, err
    section = out.split("Collateral contacts (003)")[1]
    assert "- Law enforcement (specialized Vice unit" in section and "- School" in section
    assert "called the school counselor" in section


def test_the_findings_say_this_is_not_a_validated_instrument(assess, cli, tmp_path):
    import json

    f = assess(youth())
    assert "not a validated screening instrument" in f["standing"]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(youth()))
    assert "not a validated screening instrument" in cli("report", path)[1]


def test_the_default_script_is_a_draft_that_passes_reports_to_the_police(library):
    script = library.scripts["confidentiality"]
    assert script.draft
    text = script.text.lower()
    assert "passes what it is told on to the police" in text
    assert "court case" not in text and "cannot be used" not in text


def test_a_county_script_may_state_the_prohibited_uses(tmp_path, cli):
    from test_content import COUNTY, SCRIPT, part

    (tmp_path / "testshire.yaml").write_text(COUNTY)
    (tmp_path / "our-script.yaml").write_text(SCRIPT + "".join(part(c, f"About {c}.") for c in (
        "sharing", "must_report", "purpose", "results_access", "choices", "prohibited_uses")))
    code, _, err = cli("--county", tmp_path / "testshire.yaml", "validate")
    assert code == 0, err


# --- in the app: the worker records when the child was exploited ----------------------------------

def test_the_worker_records_when_the_child_was_exploited_in_the_case_facts_form(library):
    import asyncio

    from textual.widgets import Select

    from interview.app.app import InterviewApp

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            interview = app.screen
            await pilot.press("enter")                             # the case facts form
            await pilot.pause()
            form = app.screen
            form.query_one("#date_of_birth").value = "2010-03-01"
            form.query_one("#interview_date").value = "2025-09-03"
            form.query_one("#case_status", Select).value = "in_foster_care"
            form.query_one("#exploited_during", Select).value = "before_foster_care"
            form.query_one("#exploited_from").value = "2035-01-01"   # a typo: the future
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form                               # refused, with the reason
            assert "Since (date): 2035-01-01 is after the interview date" in str(
                form.query_one("#facts-error").render())
            form.query_one("#exploited_from").value = "2024-02-10"
            form.query_one("#another_child_identified").value = True   # who must be screened
            await pilot.press("ctrl+s")
            await pilot.pause()
            context = interview.session.record.context
            assert (context.exploited_during, str(context.exploited_from)) == (
                "before_foster_care", "2024-02-10")
            assert context.screening_reasons == ("another_child_identified",)
            assert interview.session.findings.screening.required
            for _ in range(3):                                      # basic needs, rapport, script
                interview.session.answer("yes")
            interview.session.jump("specific")
            interview.session.answer("yes")                         # paid for sex
            csec = interview.session.findings.csec_type
            assert (csec.type, csec.status, str(csec.start_date)) == (
                "victim_before_foster_care", "determined", "2024-02-10")

    asyncio.run(go())


def test_a_victim_whose_type_is_not_determined_is_counted_as_such_not_as_at_risk():
    import datetime as dt

    from interview.reports.aggregate import Screening, county_table

    day = dt.date(2025, 9, 3)
    table = county_table([Screening("case:1", day, "at_risk"),       # at risk, then a disclosure
                          Screening("case:1", day, "undetermined"),  # with no status recorded
                          Screening("case:2", day, "at_risk")]).as_json()
    assert table["children_by_csec_type"]["at_risk"] == 1
    assert table["victims_type_not_determined"] == 1 and table["children"] == 2
