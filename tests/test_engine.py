"""The state machine and sessions: navigation, the confidentiality gate, replay, and that a
walked session reaches the same findings as `assess` of the same answers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview.engine.case import build_record
from interview.content.routing import gated_steps
from interview.engine.session import Event, Session, replay_record
from interview.errors import InputError
from interview.rules import evaluate


@pytest.fixture
def session(library):
    s = Session(library, "youth")
    yield s
    s.close()


def through_the_gate(s: Session) -> None:
    """Answer what comes before the first youth question, in whatever order the flow puts it:
    the case facts skipped (the worker may), every yes/no and the script yes, notes typed."""
    gated = gated_steps(s.flow)
    for _ in range(len(s.flow.steps)):
        step = s.current
        if step.id in gated:
            return
        if step.kind == "facts":
            s.skip()
        elif step.kind == "open":
            s.answer(text="Asked who the judge is.")
        else:
            s.answer("yes")
    raise AssertionError("no youth question after the steps before the gate")


def first_youth_question(flow):
    return next(step for step in flow.steps if step.id in gated_steps(flow))


def test_a_session_starts_at_the_first_step_and_walks_in_order(session):
    assert session.current.id == session.flow.steps[0].id
    through_the_gate(session)
    assert session.current == first_youth_question(session.flow)
    assert session.current.audience == "youth"


def test_no_youth_question_can_be_reached_before_the_script_is_acknowledged(session, library):
    flow = library.flows["youth"]
    with pytest.raises(InputError, match="confidentiality script"):
        session.jump("open_ended")
    with pytest.raises(InputError, match="confidentiality script"):
        session.jump("specific")
    session.skip()
    session.answer("yes")
    session.answer("yes")
    session.skip()                      # the script was not read
    session.answer("no")
    session.answer(text="")             # next would be the first youth question
    assert session.current.id == "confidentiality_questions"
    assert "confidentiality script" in session.blocked
    assert session.current.id not in gated_steps(flow)
    session.reread_script()
    assert session.current.id == flow.gate
    session.answer("yes")               # read: back to where the worker was
    assert session.current.id == "confidentiality_questions"
    session.answer(text="")
    assert session.current.id == "open_feeling" and not session.blocked


def test_every_youth_question_is_gated(library):
    flow = library.flows["youth"]
    gate = flow.by_id[flow.gate].index
    youth_questions = {s.id for s in flow.steps if s.audience == "youth" and s.is_question}
    assert youth_questions and gated_steps(flow) == youth_questions
    assert all(flow.by_id[s].index > gate for s in youth_questions)


def test_forthcoming_youth_skip_the_specific_questions_but_the_worker_can_choose_them(session):
    through_the_gate(session)
    session.jump("offer")
    session.answer("yes")  # forthcoming
    assert session.current.section == "further_areas"
    session.jump("specific")
    assert session.current.id == "spec_paid_for_sex"


def test_not_forthcoming_goes_on_to_the_specific_questions(session):
    through_the_gate(session)
    session.jump("offer")
    session.answer("no")
    assert session.current.id == "spec_paid_for_sex"


def test_skip_records_declined_and_back_returns_to_the_previous_step(session):
    through_the_gate(session)
    first = session.current
    assert first.kind == "open" and first.cues  # the first youth question: open, with cues
    session.skip()
    assert session.record.answers[first.id].value == "declined"
    assert session.current.id == session.flow.steps[first.index + 1].id
    session.back()
    assert session.current == first
    session.answer(text="Tired.", cues=[first.cues[0].id])
    assert session.record.answers[first.id].cues == (first.cues[0].id,)


def test_back_at_the_start_says_so(session):
    with pytest.raises(InputError, match="first step"):
        session.back()


def test_a_wrong_value_is_refused_before_anything_is_recorded(session):
    stored = []
    session.sinks.append(stored.append)
    session.skip()
    with pytest.raises(InputError, match="not an answer"):
        session.answer("maybe")
    with pytest.raises(InputError, match="not a red-flag id"):
        session.observe("crown_tattoo")
    with pytest.raises(InputError, match="not a real date: there is no month 13"):
        session.set_facts(date_of_birth="2010-13-40")
    with pytest.raises(InputError, match="needs a reason"):
        session.override("at_risk:A", "reject", " ")
    assert [e.type for e in stored] == ["skip"]
    assert len(session.events) == 1


def test_every_event_reaches_the_sinks_before_it_is_applied(session):
    seen = []
    session.sinks.append(lambda event: seen.append((event.type, session.state)))
    session.skip()
    assert seen == [("skip", "case_facts")]  # stored while still on the step it changes
    assert session.state == "basic_needs_offer"


def test_replaying_the_events_resumes_exactly(session, library):
    through_the_gate(session)
    session.answer(text="Fine.", cues=["pain_or_injury"])
    session.observe("tattoos_or_branding", "crown on the neck")
    session.set_facts(date_of_birth="2010-04-02", case_status="in_foster_care")
    session.jump("specific")
    session.answer("yes")
    session.back()
    session.edit("open_feeling", text="Fine, tired.", cues=[])
    session.override("red_flag:tattoos_or_branding", "confirm", "Saw it myself.")
    saved = [Event.from_json(e.as_json()) for e in session.events]
    resumed = Session(library, "youth", events=saved)
    assert resumed.state == session.state
    assert resumed.record == session.record
    assert resumed.history == session.history
    assert resumed.findings.as_json(library) == session.findings.as_json(library)
    resumed.close()


def test_the_session_reaches_done_and_can_still_be_changed(session):
    session.jump("collateral")
    session.answer(text="", cues=["school"])
    assert session.finished and session.current is None
    with pytest.raises(InputError, match="finished"):
        session.answer("yes")
    session.back()
    assert session.current.id == "collateral_contacts"


def test_an_unknown_flow_or_section_is_named(library):
    with pytest.raises(InputError, match="flow 'youht' not found"):
        Session(library, "youht")
    s = Session(library, "caregiver")
    with pytest.raises(InputError, match="section 'nope' not found"):
        s.jump("nope")
    s.close()


# --- a walked session and `assess` agree ----------------------------------------------------

@st.composite
def answer_sets(draw, library):
    """A random but valid answer for every question of the youth flow, in flow order."""
    flow = library.flows["youth"]
    answers = {}
    for step in flow.steps:
        if step.kind == "script":
            answers[step.id] = "yes"
        elif step.kind == "closed":
            value = draw(st.sampled_from(["yes", "no", "declined", "unsure"]))
            cues = draw(st.lists(st.sampled_from([c.id for c in step.cues]), unique=True)) \
                if step.cues else []
            answers[step.id] = {"answer": value, "cues": cues} if cues else value
        elif step.kind == "open":
            cues = draw(st.lists(st.sampled_from([c.id for c in step.cues]), unique=True)) \
                if step.cues else []
            answers[step.id] = {"text": "fictional", "cues": cues}
    observations = draw(st.lists(st.sampled_from(sorted(library.red_flags)), unique=True,
                                 max_size=4))
    return {"flow": "youth", "answers": answers, "observations": observations}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_walking_a_session_gives_the_same_findings_as_assess(library, data):
    case = data.draw(answer_sets(library))
    expected = evaluate(library, build_record(library, case)).as_json(library)
    s = Session(library, "youth")
    for observation in case["observations"]:
        s.observe(observation)
    def give(step_id, raw, act):
        if isinstance(raw, dict) and "text" in raw:
            act(text=raw["text"], cues=raw["cues"])
        elif isinstance(raw, dict):
            act(raw["answer"], cues=raw["cues"])
        else:
            act(raw)

    while not s.finished:  # walk the machine, answering as the worker would
        step = s.current
        if step.id in case["answers"]:
            give(step.id, case["answers"][step.id], s.answer)
        else:
            s.skip()  # facts and observation steps
    for step_id, raw in case["answers"].items():  # what a branch skipped, the worker edits
        if step_id not in s.record.answers:
            give(step_id, raw, lambda *a, **k: s.edit(step_id, *a, **k))
    assert s.findings.as_json(library) == expected
    # Without the state machine (the county table's fast path), the same record and findings.
    for events in (s.events, [e.as_json() for e in s.events]):
        record = replay_record(library, "youth", events)
        assert record == s.record
        assert evaluate(library, record).as_json(library) == expected
    s.close()


def test_progress_counts_answered_steps_by_section(session):
    through_the_gate(session)
    progress = {section.id: (done, total) for section, done, total in session.progress()}
    assert progress["basic_needs"] == (2, 2)
    assert progress["confidentiality"] == (3, 3)
    assert progress["open_ended"] == (0, 13)
    assert progress["specific"] == (0, 14)


def test_the_only_way_to_move_is_an_event(session):
    """The machine's triggers live on a private cursor: nothing moves without being recorded."""
    for trigger in ("advance", "trigger", "reread", "to_done"):
        assert not hasattr(session, trigger)
    session.skip()
    assert [e.type for e in session.events] == ["skip"]


def test_the_youths_own_words_are_recorded_replayed_and_forgotten(session, library):
    session.use_term("the person in charge", "Daddy")
    session.use_term("where they stay", "the spot")
    session.use_term("where they stay", "")
    assert session.record.terms == {"the person in charge": "Daddy"}
    with pytest.raises(InputError, match="what the word stands for"):
        session.use_term(" ", "x")
    assert Session(library, "youth", events=session.events).record.terms == session.record.terms


def test_next_steps_are_marked_done_with_a_note_and_reopened(session, library):
    session.mark_next_step("report_hotline", note="Referral 1234 (fictional)")
    session.mark_next_step("basic_needs")
    mark = session.record.next_steps_done["report_hotline"]
    assert mark.done and mark.note == "Referral 1234 (fictional)" and mark.at
    session.mark_next_step("basic_needs", done=False)
    assert set(session.record.next_steps_done) == {"report_hotline"}
    replayed = Session(library, "youth", events=session.events)
    assert replayed.record.next_steps_done == session.record.next_steps_done
    with pytest.raises(InputError, match="'report_hotlne' is not a next step; did you mean "
                                         "'report_hotline'"):
        session.mark_next_step("report_hotlne")
    count = len(session.events)
    with pytest.raises(InputError, match="done: true|false"):
        session._record(Event("next_step", value={"id": "basic_needs", "done": "yes"}))
    assert len(session.events) == count  # refused before anything was recorded


def test_who_interviewed_whom_is_a_case_fact(session):
    session.set_facts(interviewer="R. Ortiz (fictional)", interviewee="J. (fictional)",
                      caregiver_failed_to_protect=True)
    context = session.record.context
    assert (context.interviewer, context.interviewee) == ("R. Ortiz (fictional)", "J. (fictional)")
    assert context.caregiver_failed_to_protect is True
    with pytest.raises(InputError, match="context.interviewer: at most 200 characters"):
        session.set_facts(interviewer="x" * 201)


def test_a_jump_may_name_one_step_and_stays_behind_the_gate(session):
    with pytest.raises(InputError, match="confidentiality script"):
        session.jump("spec_gang")                    # a youth question, before the script
    session.jump("rapport")                          # a step before the gate is fine
    assert session.current.id == "rapport"
    session.answer("yes")
    session.answer("yes")                            # the script: the gate is open now
    session.jump("spec_gang")
    assert session.current.id == "spec_gang"
    session.answer("no")
    assert session.current.id == "further_names"     # on from there, in flow order
    session.back()
    assert session.current.id == "spec_gang"
    replayed = Session(session.library, "youth", events=session.events)
    assert replayed.current.id == "spec_gang"
    with pytest.raises(InputError, match="section .spec_gangs. not found"):
        session.jump("spec_gangs")
    # A log that jumps to a youth question before the script (edited by hand) does not move.
    forged = Session(session.library, "youth", events=[Event("jump", value="spec_gang")])
    assert forged.current.id == "case_facts" and "confidentiality script" in forged.blocked
    forged.close()


def test_a_checklist_or_form_gone_through_is_recorded_as_done_not_skipped(session, library):
    """The observation and facts steps are answered "yes" once the worker went through them
    (their content is in the observations and the case facts); ctrl+s still skips them."""
    session.set_facts(interview_date="2025-09-03")
    session.answer("yes")                                   # the case facts form was filled in
    assert session.record.answers["case_facts"].value == "yes"
    session.jump("observed")
    session.observe("tattoos_or_branding", "crown on the neck")
    session.answer("yes")
    assert session.record.answers["observations"].value == "yes"
    assert dict((s.id, done) for s, done, _ in session.progress())["observed"] == 1
    assert session.current.id == "closing"
    again = Session(library, "youth", events=session.events)
    assert again.record.answers["observations"].value == "yes" and again.state == "closing"
    again.close()
    with pytest.raises(InputError, match="answer yes once done"):
        session.edit("observations", "no")


def test_yes_no_case_facts_are_three_state_and_not_recorded_until_answered(library):
    from interview.record import Context, parse_context

    assert Context().missing is None and Context().foreign_national is None
    assert Context().immediate_safety_concern is None
    facts = parse_context({"missing": False, "foreign_national": "no",
                           "immediate_safety_concern": "no"})
    assert (facts.missing, facts.foreign_national, facts.immediate_safety_concern) == (
        False, False, False)
    assert parse_context({}).missing is None
