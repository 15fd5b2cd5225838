"""Interviews conducted in Spanish (issue 17): the language is chosen per interview and may be
switched midway; the record says which language each question was asked in; the card says
what to say in Spanish with the English beside it; the reports stay English with the
transcript in both languages.

The headless tests come first (the engine and the report); then few Pilot tests, each a whole
interview at 80x24, since they are the costliest kind.
"""

from __future__ import annotations

import pytest

from interview.content.routing import gated_steps
from interview.engine.session import Event, Session, replay_record
from interview.errors import InputError


@pytest.fixture
def session(library):
    s = Session(library, "youth")
    yield s
    s.close()


def walk_to_first_question(s: Session) -> None:
    """Through what comes before the first youth question: facts skipped, the rest yes."""
    gated = gated_steps(s.flow)
    for _ in range(len(s.flow.steps)):
        if s.current.id in gated:
            return
        if s.current.kind == "facts":
            s.skip()
        elif s.current.kind == "open":
            s.answer(text="Preguntó quién es el juez.")
        else:
            s.answer("yes")
    raise AssertionError("no youth question after the steps before the gate")


# --- the engine: the language is an event, and nothing else depends on it ---------------------

def test_the_language_is_an_event_and_each_answer_keeps_the_language_it_was_asked_in(session):
    session.set_language("es")
    walk_to_first_question(session)
    first = session.current.id
    session.answer(text="En casa de mi tía.")
    session.set_language("en")  # switched midway: the next question is asked in English
    second = session.current.id
    session.skip()

    kinds = [e.type for e in session.events]
    assert kinds[0] == "language" and kinds.count("language") == 2
    assert session.record.asked_in[first] == "es"
    assert session.record.asked_in[second] == "en"
    assert session.record.asked_in[session.flow.gate] == "es"  # the script was read in Spanish
    assert session.language == "en"
    # The same language again records nothing: no event that says nothing.
    count = len(session.events)
    session.set_language("en")
    assert len(session.events) == count


def test_a_language_switch_replays_and_never_changes_the_answers_or_findings(session, library):
    walk_to_first_question(session)
    session.set_language("es")
    session.answer(text="Con mi novio, él me compra ropa.")
    english = Session(library, "youth",
                      events=[e for e in session.events if e.type != "language"])
    resumed = Session(library, "youth", events=session.events)
    try:
        assert resumed.record.asked_in == session.record.asked_in
        assert resumed.language == "es" and resumed.state == session.state
        # The determinations are the answers': the language they were given in is no part.
        assert resumed.record.answers == english.record.answers
        assert resumed.findings.as_json(library) == english.findings.as_json(library)
        record = replay_record(library, "youth", [e.as_json() for e in session.events])
        assert record.asked_in == session.record.asked_in
    finally:
        english.close()
        resumed.close()


def test_an_edit_later_does_not_change_the_language_a_question_was_asked_in(session):
    session.set_language("es")
    walk_to_first_question(session)
    step = session.current.id
    session.answer(text="Bien.")
    session.set_language("en")
    session.edit(step, text="Bien, dice que bien.")
    assert session.record.asked_in[step] == "es"


@pytest.mark.parametrize("bad", ["", "spanish", "ES", "e s", 7, None, "<b>es</b>"])
def test_a_bad_language_is_refused_with_one_message_before_anything_is_stored(session, bad):
    stored = []
    session.sinks.append(stored.append)
    with pytest.raises(InputError, match="language: .* is not a language code"):
        session.set_language(bad)
    assert stored == [] and session.events == [] and session.language == "en"
    with pytest.raises(InputError, match="not a language code"):
        Session(session.library, "youth", events=[Event("language", value=bad)])
