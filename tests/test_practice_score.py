"""The score measures the trainee (issue 14, item 2): what they asked (key questions, in the
right order), what they recorded, and the determinations they state themselves, against the
key; never the engine's findings from their ticks. All scenarios are fictional."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview import practice
from interview.record import DISCLOSURE_FINDINGS
from interview.practice.run import PracticeRun
from interview.practice.scenario import BRANCHES, RESPONSES
from interview.practice.score import (DEADLINES, FAIL, PASS, Determinations, deadline_of,
                                      debrief, precision_recall, render)
from interview.content.model import CSEC_TYPES


@pytest.fixture(scope="module")
def loaded(library):
    return practice.load(library)


def ideal(library, config, scenario) -> PracticeRun:
    run = PracticeRun(library, config, scenario, "Ana")
    run.play_ideal()
    return run


def perfect(library, scenario) -> Determinations:
    return Determinations.from_key(library, scenario.key)


def through_the_script(run: PracticeRun) -> None:
    """Read what comes before the questions (as a trainee does), if the flow has a script."""
    if not run.flow.gate:
        return
    run.session.skip()
    for step in ("basic_needs_offer", "rapport", "confidentiality_script"):
        run.ask(step)
        run.session.answer("yes")
    run.session.answer("yes")     # the youth said it back
    run.session.answer(text="")   # their questions


def as_file(library, config, scenario, mine: Determinations | None = None) -> dict:
    """The ideal interview as a `practice score` file."""
    run = ideal(library, config, scenario)
    answers = {}
    for sid, a in run.session.record.answers.items():
        step = run.flow.by_id[sid]
        answers[sid] = {"text": a.text, "cues": list(a.cues)} if step.kind == "open" else (
            {"answer": a.value, "text": a.text, "cues": list(a.cues)} if step.kind == "closed"
            else a.value)
    out = {"flow": scenario.flow, "answers": answers,
           "observations": dict(run.session.record.observations), "asked": run.asked}
    if mine is not None:
        out["determinations"] = mine.as_json()
    run.close()
    return out


# --- nothing asked scores nothing; everything right scores 100 ---------------------------------

def test_every_scenario_scores_100_when_perfect_and_0_when_nothing_is_asked(cli, loaded):
    code, out, err = cli("practice", "selftest", "--json")
    rows = json.loads(out)
    assert code == 0, err
    assert all(r["score"] == 100 and r["empty_score"] == 0 for r in rows), rows


@pytest.mark.parametrize("scenario_id", ["control", "at_risk_only", "hotline_caller",
                                         "boyfriend", "caregiver_mother"])
def test_ending_at_once_or_after_one_question_scores_near_zero(library, loaded, scenario_id):
    """Even with every determination stated as in the key: a conclusion needs an interview."""
    config, scenarios = loaded
    s = scenarios[scenario_id]
    run = PracticeRun(library, config, s)
    assert debrief(library, config, s, run.session.record, run, mine=perfect(library, s)).score == 0
    through_the_script(run)
    first = next(q for q in run.matchable() if q.is_question)
    run.ask(first.id)
    d = debrief(library, config, s, run.session.record, run, mine=perfect(library, s))
    assert d.score <= 15, (d.score, d.coverage, d.parts)
    assert d.not_asked and first.id not in d.not_asked


def test_choosing_the_crisis_response_instead_of_the_initial_mdt_costs_points(library, loaded):
    config, scenarios = loaded
    s = scenarios["hotline_caller"]
    assert s.key.response == "initial_mdt"
    run = ideal(library, config, s)
    right = debrief(library, config, s, run.session.record, run, mine=perfect(library, s))
    crisis = perfect(library, s)
    steps = dict(crisis.next_steps)
    steps.pop("initial_mdt", None)
    steps["immediate_crisis_mdt"] = "2_hours"
    wrong = debrief(library, config, s, run.session.record, run,
                    mine=replace(crisis, response="immediate_crisis", next_steps=steps))
    assert right.score == 100 and right.score - wrong.score >= 15
    assert "response (key: initial_mdt)" in wrong.missed_summary()


def test_determinations_not_stated_score_nothing(library, loaded):
    config, scenarios = loaded
    for s in scenarios.values():
        run = ideal(library, config, s)
        d = debrief(library, config, s, run.session.record, run)
        assert d.coverage == 1 and d.score <= 35, (s.id, d.score)
        for part in ("at_risk", "disclosures", "response", "csec_type", "next_steps"):
            assert d.parts[part] == 0, (s.id, part)
        assert "You stated no determination" in render(library, config, d)


def test_the_engines_findings_from_the_ticks_are_feedback_not_the_score(library, loaded):
    """Untick the disclosure: the engine no longer finds it (feedback says so), but the
    trainee's own determination is still theirs; only recording loses what was not ticked."""
    config, scenarios = loaded
    s = scenarios["boyfriend"]
    run = ideal(library, config, s)
    full = debrief(library, config, s, run.session.record, run, mine=perfect(library, s))
    run2 = PracticeRun(library, config, s)
    run2.play_ideal()
    from interview.rules import evaluate

    for ev in evaluate(library, run2.session.record).disclosure_evidence["sex_trafficking"]:
        run2.session.jump(ev.step)   # answered as if the disclosure had not been heard
        if run2.flow.by_id[ev.step].kind == "closed":
            run2.session.answer("no")
        else:
            run2.session.answer(text="")
    d = debrief(library, config, s, run2.session.record, run2, mine=perfect(library, s))
    assert "sex_trafficking" in full.feedback["disclosures"]
    assert "sex_trafficking" not in d.feedback["disclosures"]
    assert d.parts["disclosures"] == 1 and d.parts["csec_type"] == 1
    assert d.parts["recording"] < 1 and d.score < 100
    wrong = debrief(library, config, s, run.session.record, run,
                    mine=replace(perfect(library, s), disclosures=frozenset()))
    assert wrong.feedback == full.feedback and wrong.parts["disclosures"] < 1


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_statement_scores_0_to_100_and_100_only_when_right(library, loaded, data):
    config, scenarios = loaded
    s = scenarios[data.draw(st.sampled_from(sorted(scenarios)))]
    mine = Determinations(
        data.draw(st.sampled_from(BRANCHES)),
        frozenset(data.draw(st.sets(st.sampled_from("ABCDEFGH")))),
        frozenset(data.draw(st.sets(st.sampled_from(DISCLOSURE_FINDINGS)))),
        data.draw(st.sampled_from(RESPONSES)),
        data.draw(st.sampled_from([*CSEC_TYPES, "none"])),
        None,
        {sid: data.draw(st.sampled_from(["", *DEADLINES]))
         for sid in data.draw(st.sets(st.sampled_from(sorted(library.next_steps)), max_size=8))})
    run = ideal(library, config, s)
    d = debrief(library, config, s, run.session.record, run, mine=mine)
    assert 0 <= d.score <= 100
    key = perfect(library, s)
    same = (mine.branch == key.branch and mine.at_risk == key.at_risk
            and mine.disclosures == key.disclosures and mine.response == key.response
            and mine.csec_type == key.csec_type and mine.next_steps == key.next_steps
            and not s.key.exploited_during)
    assert (d.score == 100) == same


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(0, 40)), st.sets(st.integers(0, 40)))
def test_precision_and_recall_are_bounded_and_perfect_only_on_the_key(marked, key):
    p, r, f = precision_recall(marked, key)
    assert 0 <= p <= 1 and 0 <= r <= 1 and 0 <= f <= 1
    assert (p, r, f) == (1, 1, 1) if marked == key else f < 1
    if key and not marked:
        assert r == 0


def test_the_control_case_needs_its_open_questions_asked(library, loaded):
    config, scenarios = loaded
    s = scenarios["control"]
    run = PracticeRun(library, config, s)
    through_the_script(run)
    for q in s.key.questions[:6]:
        run.ask(q)
    d = debrief(library, config, s, run.session.record, run, mine=perfect(library, s))
    assert d.coverage == pytest.approx(6 / len(s.key.questions))
    assert d.score == round(100 * d.coverage * d.quality) and d.score < 60


# --- next steps and their deadlines ------------------------------------------------------------

def test_each_next_steps_deadline_has_the_clock_its_catalog_text_says(library):
    clocks = {sid: deadline_of(spec.deadline) for sid, spec in library.next_steps.items()}
    assert clocks["law_enforcement_24h"] == "24_hours" and clocks["otip_24h"] == "24_hours"
    assert clocks["immediate_crisis_mdt"] == "2_hours" and clocks["initial_mdt"] == "10_days"
    assert clocks["medical_evaluation_72h"] == "72_hours" and clocks["basic_needs"] == "now"
    assert clocks["advocacy_referral"] is None and clocks["social_media_search"] is None
    for sid, clock in clocks.items():   # every clock the catalog states is one a trainee can pick
        spec = library.next_steps[sid]
        if any(ch.isdigit() for ch in spec.deadline):
            assert clock in DEADLINES, (sid, spec.deadline)


def test_a_next_step_with_the_wrong_deadline_counts_half(library, loaded):
    config, scenarios = loaded
    s = scenarios["boyfriend"]
    run = ideal(library, config, s)
    mine = perfect(library, s)
    late = dict(mine.next_steps, law_enforcement_24h="10_days")
    d = debrief(library, config, s, run.session.record, run, mine=replace(mine, next_steps=late))
    n = len(s.key.next_steps)
    assert d.parts["next_steps"] == pytest.approx((n - 0.5) / n)
    assert d.deadlines["law_enforcement_24h"] == ("10_days", "24_hours")
    assert "DEADLINE" in render(library, config, d) and "Within 24 hours" in render(library, config, d)


def test_a_victim_type_needs_when_the_child_was_exploited(library, loaded):
    config, scenarios = loaded
    s = scenarios["runaway_return"]
    assert s.flow == "runaway-return" and "exploited_during" not in s.facts
    run = ideal(library, config, s)
    good = perfect(library, s)
    assert good.exploited_during == "absent_from_placement"
    d = debrief(library, config, s, run.session.record, run,
                mine=replace(good, exploited_during="in_foster_care"))
    assert d.parts["csec_type"] == 0.5


# --- score files --------------------------------------------------------------------------------

@pytest.mark.parametrize("scenario_id", ["boyfriend", "at_risk_only", "labor_debt", "control",
                                         "caregiver_mother", "hotline_caller"])
def test_a_score_file_perfect_scores_100_and_without_determinations_far_less(
        cli, tmp_path, library, loaded, scenario_id):
    config, scenarios = loaded
    s = scenarios[scenario_id]
    good = tmp_path / "good.json"
    good.write_text(json.dumps(as_file(library, config, s, perfect(library, s))))
    code, out, err = cli("practice", "score", scenario_id, good, "--json")
    assert code == 0, err
    assert json.loads(out)["score"] == 100
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(as_file(library, config, s)))
    code, out, err = cli("practice", "score", scenario_id, bare, "--json")
    assert code == 0 and json.loads(out)["score"] <= 35
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"flow": s.flow, "answers": {},
                                 "determinations": perfect(library, s).as_json()}))
    code, out, err = cli("practice", "score", scenario_id, empty, "--json")
    assert code == 0 and json.loads(out)["score"] == 0


def test_a_score_file_errors_are_one_message(cli, tmp_path):
    code, _, err = cli("practice", "score", "boyfrend", tmp_path / "x.yaml")
    assert code == 1 and "did you mean 'boyfriend'?" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("flow: caregiver\nanswers: {}\n")
    code, _, err = cli("practice", "score", "boyfriend", bad)
    assert code == 1 and "scenario 'boyfriend' is a 'youth' interview" in err
    bad.write_text("flow: youth\nanswers: {spec_paid_for_sexx: yes}\n")
    code, _, err = cli("practice", "score", "boyfriend", bad)
    assert code == 1 and "did you mean 'spec_paid_for_sex'?" in err and "Traceback" not in err
    for text, message in [
        ("determinations: {respons: initial_mdt}", "did you mean 'response'?"),
        ("determinations: {response: crisis}", "not one of immediate_crisis"),
        ("determinations: {next_steps: {law_enforcement_24: 24_hours}}", "unknown next step"),
        ("determinations: {next_steps: {law_enforcement_24h: tomorrow}}", "deadline 'tomorrow'"),
        ("determinations: [yes]", "give a mapping"),
        ("asked: [open_staying, nope]", "no question 'nope'"),
    ]:
        bad.write_text(f"flow: youth\nanswers: {{}}\n{text}\n")
        code, _, err = cli("practice", "score", "boyfriend", bad)
        assert code == 1 and message in err and str(bad) in err and "Traceback" not in err, err
    code, _, err = cli("practice", "score", "boyfriend")
    assert code == 1 and "usage: csec-interview practice score SCENARIO FILE" in err


# --- technique: the order questions are asked in -----------------------------------------------

def test_the_order_of_the_questions_is_checked(library, loaded):
    config, scenarios = loaded
    run = PracticeRun(library, config, scenarios["boyfriend"], "Ana")
    first = run.ask("spec_paid_for_sex", "has anyone paid you for sex?")   # before the script
    assert first.refused and "confidentiality script" in first.refused
    through_the_script(run)
    run.ask("spec_paid_for_sex")                  # specific before the open-ended ones
    run.session.answer("no")                      # a denial, and no prior incidents asked
    checks = {t.id: t.status for t in debrief(library, config, run.scenario, run.session.record,
                                               run).technique}
    assert checks == {"script_first": FAIL, "open_before_specific": FAIL,
                      "prior_after_denial": FAIL, "no_labels": PASS}
    assert not run.session.sinks   # practice is never stored


def test_a_specific_question_that_follows_what_the_youth_told_is_following_their_lead(
        library, loaded):
    """Practice audit, M1: 003 says to follow the youth's lead, and to ask specific questions
    when the youth is not forthcoming; a follow-up to an open-ended answer that told something
    is not a short cut past the open-ended questions. One that told nothing still is."""
    config, scenarios = loaded
    scenario = scenarios["gang"]
    telling, silent = "open_weekdays", "open_feeling"  # "Run stuff for the homies"; "Good."
    assert scenario.replies[telling][0].cues and not scenario.replies[silent][0].cues

    def order(open_step: str) -> str:
        run = PracticeRun(library, config, scenario, "Ana")
        through_the_script(run)
        run.ask(open_step)
        run.ask("spec_illegal_work_money")
        return {t.id: t.status for t in debrief(library, config, run.scenario,
                                                 run.session.record, run).technique
                }["open_before_specific"]

    assert order(telling) == PASS
    assert order(silent) == FAIL
