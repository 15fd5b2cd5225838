"""The simulated youth is believable (issue 14, items 3 and 5): rapport matters, they remember
what they said, asking twice in a row does not unlock a disclosure, a labelling question is not
asked and costs trust in a way the debrief explains, a probe follows up the last question, and a
typed question for a later step says what it skips. All scenarios are fictional."""

from __future__ import annotations

import pytest

from interview import practice
from interview.practice.run import PracticeRun
from interview.practice.score import Determinations, debrief, render

DISCLOSING_FAMILIES = {"survival_sex", "third_party_boyfriend", "familial", "labor_debt",
                       "criminal_gang", "runaway_return", "foreign_national"}


@pytest.fixture(scope="module")
def loaded(library):
    return practice.load(library)


def started(library, config, scenario, open_questions: int = 0) -> PracticeRun:
    """Through the script, then the first open-ended questions (each builds rapport)."""
    run = PracticeRun(library, config, scenario, "Ana")
    run.session.skip()
    for step in ("basic_needs_offer", "rapport", "confidentiality_script"):
        run.ask(step)
        run.session.answer("yes")
    run.session.answer("yes")
    run.session.answer(text="")
    for sid in run.flow.section_by_id["open_ended"].steps[:open_questions]:
        run.ask(sid)
    return run


def test_every_scenario_with_a_disclosure_makes_one_wait_for_rapport(loaded):
    """Today only 2 replies in 11 scenarios waited for rapport; now every youth who discloses
    holds something back until trust is built."""
    _, scenarios = loaded
    for s in scenarios.values():
        if s.family not in DISCLOSING_FAMILIES:
            continue
        waiting = [sid for sid, replies in s.replies.items()
                   if any(r.rapport and r.tells for r in replies)]
        assert waiting, s.id


def test_a_youth_sold_by_her_guardian_does_not_disclose_to_the_first_specific_question(
        library, loaded):
    config, scenarios = loaded
    s = scenarios["familial"]
    early = started(library, config, s)
    ask = early.ask("spec_paid_for_sex")
    assert ask.reply.answer == "no" and ask.withheld is not None
    late = started(library, config, s, open_questions=13)
    assert late.ask("spec_paid_for_sex").reply.answer == "yes"


def test_asking_the_same_question_twice_in_a_row_gets_the_same_answer(library, loaded):
    config, scenarios = loaded
    run = started(library, config, scenarios["boyfriend"], open_questions=13)
    first = run.ask("spec_paid_for_sex")
    again = run.ask("spec_paid_for_sex")
    assert first.reply.answer == again.reply.answer == "no"
    run.ask("spec_no_contact")                       # another question in between
    later = run.ask("spec_paid_for_sex")             # asked again later, trust built: she tells
    assert later.reply.answer == "yes"


def test_a_youth_remembers_what_she_told(library, loaded):
    """Not "I don't have money" after saying the aunt takes it."""
    config, scenarios = loaded
    run = started(library, config, scenarios["familial"], open_questions=13)
    assert run.ask("spec_paid_for_sex").reply.answer == "yes"
    assert "aunt takes it" in run.ask("spec_keep_share_money").reply.say
    again = run.ask("open_support").reply.say
    assert "I don't have money" not in again and "aunt" in again


def test_what_was_told_is_not_taken_back_when_trust_falls(library, loaded):
    config, scenarios = loaded
    run = started(library, config, scenarios["boyfriend"], open_questions=13)
    told = run.ask("spec_no_contact").reply
    assert told.answer == "yes"
    run.label("is he your pimp?", ("pimp",))
    run.label("are you a victim?", ("victim",))
    run.ask("open_feeling")
    assert run.ask("spec_no_contact").reply == told


def test_a_labelling_question_is_not_asked_and_the_debrief_explains_it(library, loaded):
    config, scenarios = loaded
    s = scenarios["boyfriend"]
    run = started(library, config, s, open_questions=5)
    before = run.rapport
    caught = run.label("Is Dre your pimp?", ("pimp",))
    assert caught.reaction == s.labelled.say and run.rapport == before - s.labelled_loss
    assert "spec_paid_for_sex" not in run.asked and all(a.typed != caught.typed for a in run.asks)
    withheld = run.ask("spec_no_contact")          # trust fell: she holds it back now
    assert withheld.reply.answer == "no" and withheld.withheld is not None
    d = debrief(library, config, s, run.session.record, run, "Ana",
                Determinations.from_key(library, s.key))
    text = render(library, config, d)
    assert "LABELS: 1 typed question labelled Maya; it was not asked" in text
    assert f"(rapport {before} -> {before - s.labelled_loss})" in text
    assert "HELD BACK" in text and "He takes my phone at night" in text
    assert {t.id: t.status for t in d.technique}["no_labels"] == "failed"
    assert "[ok] No labels" not in text


def test_a_probe_follows_up_the_last_question(library, loaded):
    config, scenarios = loaded
    run = started(library, config, scenarios["boyfriend"])
    first = run.probe("tell me more about that")
    assert first.step == "confidentiality_script"
    run.ask("open_spend_time")
    probe = run.probe("tell me more about that")
    assert probe.step == "open_spend_time" and "Dre looks after us" in probe.reply
    again = run.probe("can you say more?")
    assert again.reply == config.lines["probe"]
    assert "open_spend_time" in run.asked and len(run.probes) == 3
    assert run.asked.count("open_spend_time") == 1   # a probe is not a new question


def test_a_question_for_a_later_step_says_what_it_skips(library, loaded):
    config, scenarios = loaded
    run = started(library, config, scenarios["boyfriend"], open_questions=2)
    skipped = [s.id for s in run.skipped_by("open_support")]
    assert skipped[:2] == ["open_clothing_food", "open_spend_time"] and "open_feeling" not in skipped
    assert run.skipped_by(run.session.current.id) == []


def test_the_debrief_says_asked_only_for_what_was_asked(library, loaded):
    config, scenarios = loaded
    s = scenarios["boyfriend"]
    run = started(library, config, s)
    run.ask("open_staying")
    run.session.answer(text="weekends at his place")   # heard, not ticked
    text = render(library, config, debrief(library, config, s, run.session.record, run))
    assert "you asked \u201cWhere have you been staying?\u201d" in text
    assert "you asked \u201cDo you have any tattoos?" not in text
    assert "ask \u201cDo you have any tattoos?" in text
    assert "NOT ASKED  Do you have any tattoos?" in text
    assert "TRANSCRIPT" in text and "Maya: Here. Weekends at my boyfriend's place." in text


def test_labels_cost_what_waits_for_trust_not_every_answer(library, loaded):
    """No silent wall of "I don't know": after labelling questions, a reply that waits for no
    rapport is still given; what waits for trust is held back, and the debrief says so."""
    config, scenarios = loaded
    s = scenarios["boyfriend"]
    run = started(library, config, s)
    run.label("is he your pimp?", ("pimp",))
    run.label("are you being trafficked?", ("trafficked",))
    assert run.rapport < 0
    assert "Dre" in run.ask("open_spend_time").reply.say
    held = run.ask("spec_no_contact")
    assert held.reply.answer == "no" and held.withheld is not None and held.withheld.rapport == 8


def test_the_return_from_runaway_interview_checks_technique_and_builds_rapport(library, loaded):
    """The runaway scenario runs on its own flow: the script, the open-ended questions (and
    those about the time away) before the specific ones, and rapport, as in the youth flow."""
    config, scenarios = loaded
    s = scenarios["runaway_return"]
    assert config.flows["runaway-return"].script_first == "confidentiality_script"
    early = started(library, config, s)
    assert early.ask("away_food_sleep").withheld is not None       # not yet
    late = started(library, config, s, open_questions=13)
    assert late.ask("away_food_sleep").reply.cues == ("traded_sex",)
    run = PracticeRun(library, config, s)
    run.play_ideal()
    checks = {t.id: t.status for t in debrief(library, config, s, run.session.record, run,
                                               mine=Determinations.from_key(library, s.key)
                                               ).technique}
    assert checks["script_first"] == checks["open_before_specific"] == "passed"
