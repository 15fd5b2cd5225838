"""The one routing function and the one gate, on a small flow of the test's own (not the shipped
flows, whose order may change): the machine, the validator and the diagram share the routes, and
no move of any kind (answering, back, jumping to a section or a step, the return after a re-read)
reaches a youth question before the confidentiality script is acknowledged."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview.content.loader import Refs, load_flow
from interview.content.routing import DONE, Route, gated_steps, may_enter, route, routes
from interview.engine.session import Session
from interview.errors import InputError
from interview.reports.diagram import mermaid

FLOW = """\
id: tiny
title: "Tiny interview (fictional, for tests)"
gate: script
source: "003 § Recommended Interviewing Techniques with Youth"
sections:
  - id: before
    title: "Before we talk"
    steps:
      - id: needs
        kind: closed
        audience: worker
        text: "Offered food, water and a rest?"
        source: "003 § Recommended Interviewing Techniques with Youth"
      - id: script
        kind: script
        audience: youth
        script: confidentiality
        source: "000 § Identification of CSE"
  - id: talk
    title: "Talking"
    steps:
      - id: first
        kind: closed
        audience: youth
        text: "Do you have a safe place to sleep tonight?"
        branch: {no: later}
        source: "003 § Recommended Interviewing Techniques with Youth"
      - id: second
        kind: closed
        audience: youth
        text: "Is anyone holding on to your phone for you?"
        source: "003 § Recommended Interviewing Techniques with Youth"
  - id: later
    title: "Later"
    steps:
      - id: third
        kind: closed
        audience: youth
        text: "Do you go to school?"
        source: "003 § Recommended Interviewing Techniques with Youth"
"""


@pytest.fixture(scope="module")
def tiny(library, tmp_path_factory):
    path = tmp_path_factory.mktemp("routing") / "tiny.yaml"
    path.write_text(FLOW, encoding="utf-8")
    flow, problems = load_flow(path, Refs(library.red_flags, library.scripts, library.youth_words))
    assert not problems, "\n".join(map(str, problems))
    return dataclasses.replace(library, flows={"tiny": flow})


def test_the_route_is_the_branch_for_the_answer_or_the_next_step_in_order(tiny):
    flow = tiny.flows["tiny"]
    first = flow.by_id["first"]
    assert route(flow, first, {"first": "no"}) == Route("first", "third", "no")
    assert route(flow, first, {"first": "yes"}) == Route("first", "second")
    assert route(flow, first, {}) == Route("first", "second")
    assert route(flow, flow.by_id["third"], {"third": "yes"}) == Route("third", DONE)
    assert routes(flow, first) == [Route("first", "third", "no"), Route("first", "second")]


def test_the_machine_the_validator_and_the_diagram_share_the_routes(tiny):
    flow = tiny.flows["tiny"]
    drawn = mermaid(flow)
    for step in flow.steps:
        for r in routes(flow, step):
            assert f"    {r.source} --> {r.dest}" in drawn
    s = Session(tiny, "tiny")
    try:
        s.answer("yes")
        s.answer("yes")
        s.answer("no")  # the branch the route names
        assert s.state == route(flow, flow.by_id["first"], {"first": "no"}).dest == "third"
    finally:
        s.close()


def test_the_gate_covers_every_youth_question_after_the_script(tiny):
    flow = tiny.flows["tiny"]
    assert gated_steps(flow) == {"first", "second", "third"}
    assert not may_enter(flow, "first", {})
    assert not may_enter(flow, "first", {"script": "no"})
    assert may_enter(flow, "first", {"script": "yes"})
    assert may_enter(flow, "needs", {})


def test_every_kind_of_move_into_a_youth_question_waits_for_the_acknowledgement(tiny):
    s = Session(tiny, "tiny")
    try:
        s.answer("yes")
        s.skip()                 # the script was not read: answering it would lead to 'first'
        assert s.current.id == "script" and "confidentiality script" in s.blocked
        for target in ("first", "later", "talk"):
            with pytest.raises(InputError, match="confidentiality script"):
                s.jump(target)
        assert s.current.id == "script"
        s.jump("needs")          # not a youth question: the gate does not stand in the way
        s.reread_script()
        s.answer("yes")          # read and acknowledged: back to where the worker was
        assert s.current.id == "needs" and not s.blocked
        s.jump("second")
        s.back()
        assert s.current.id == "needs"
        s.jump("first")
        s.answer("no")
        assert s.current.id == "third"
        s.back()
        assert s.current.id == "first"
    finally:
        s.close()


MOVES = st.lists(st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(["yes", "no", "declined", "unsure"])),
    st.tuples(st.just("skip"), st.none()),
    st.tuples(st.just("back"), st.none()),
    st.tuples(st.just("reread"), st.none()),
    st.tuples(st.just("jump"), st.sampled_from(["before", "talk", "later", "needs", "script",
                                                 "first", "second", "third"])),
), max_size=25)


@given(moves=MOVES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_sequence_of_moves_reaches_a_youth_question_before_the_acknowledgement(tiny, moves):
    flow = tiny.flows["tiny"]
    s = Session(tiny, "tiny")
    try:
        for kind, value in moves:
            try:
                {"answer": lambda: s.answer(value), "skip": s.skip, "back": s.back,
                 "reread": s.reread_script, "jump": lambda: s.jump(value)}[kind]()
            except InputError:
                pass
            if s.state in gated_steps(flow):
                assert s.gate_acknowledged, f"reached {s.state} by {kind}"
        replayed = Session(tiny, "tiny", events=s.events)
        assert (replayed.state, replayed.history) == (s.state, s.history)
        replayed.close()
    finally:
        s.close()
