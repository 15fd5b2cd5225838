"""The short cuts that make `assess` fast (issue 15) agree with the full checks they stand in for.

Each short cut is checked against the slow path it replaces, over generated inputs, through the
same public functions `assess` and the engine call.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview import jsonout
from interview.content import model as m
from interview.errors import InputError
from interview.record import bare_answers, check_answer, check_answer_in_full, quick_answer

FLOWS = ("youth", "caregiver", "hotline", "labor-criminal", "runaway-return")
SETTINGS = settings(max_examples=1000, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def step_and_raw(draw, library):
    """A step of a shipped flow and a raw answer to it as an answer file may hold it: a
    well-formed answer of its kind, often with one mistake made in it (a wrong value or type,
    an unknown key or cue, an unhashable cue, repeated cues, a boolean for yes/no)."""
    flow = library.flows[draw(st.sampled_from(FLOWS))]
    step = draw(st.sampled_from(flow.steps))
    cue_ids = [c.id for c in step.cues]
    cues = draw(st.lists(st.sampled_from(cue_ids), max_size=4)) if cue_ids else []
    value = draw(st.sampled_from(m.ANSWERS + (True, False)))
    text = draw(st.sampled_from(["", "a note", None]))
    raw = draw(st.sampled_from([
        value, text, {"answer": value, "cues": cues}, {"answer": value, "text": text},
        {"answer": value, "text": text, "cues": cues}, {"text": text, "cues": cues},
        {"text": text}, {"cues": cues}, {}]))
    mistake = draw(st.sampled_from(["none", "none", "value", "text", "cue", "cues", "key",
                                    "shape"]))
    bad = draw(st.sampled_from([None, 0, 1, 2.5, "maybe", "YES", "", [], ["yes"], {}, "x"]))
    if mistake == "shape":
        raw = bad
    elif isinstance(raw, dict):
        raw = dict(raw)
        if mistake == "value":
            raw["answer"] = bad
        elif mistake == "text":
            raw["text"] = bad
        elif mistake == "cue":
            raw["cues"] = list(raw.get("cues") or cues) + [
                draw(st.sampled_from(["not_a_cue", 3, ("a",), ["a"], None]))]
        elif mistake == "cues":
            raw["cues"] = bad
        elif mistake == "key":
            raw[draw(st.sampled_from(["note", "Answer", 1]))] = "x"
    return flow, step, raw


@SETTINGS
@given(data=st.data())
def test_the_quick_answer_is_the_answer_the_full_check_gives(library, data):
    flow, step, raw = data.draw(step_and_raw(library))
    quick = quick_answer(step, raw, bare_answers(flow))
    try:
        full = check_answer_in_full(step, raw)
    except InputError as exc:
        assert quick is None, f"{raw!r} passed the short cut, but the full check says: {exc}"
        with pytest.raises(InputError, match=str(exc).split(":")[0]):
            check_answer(flow, step.id, raw)
        return
    if quick is not None:
        assert quick == full and type(quick) is type(full)
    assert check_answer(flow, step.id, raw) == full


def test_the_common_answers_take_the_short_cut(library):
    """Every well-formed answer to every step of every flow is answered by quick_answer (a
    short cut nothing takes would be no short cut)."""
    for flow in library.flows.values():
        bare = bare_answers(flow)
        for step in flow.steps:
            cues = [c.id for c in step.cues][:2]
            if step.kind == "closed":
                shapes = list(m.ANSWERS) + [{"answer": "yes", "cues": cues},
                                            {"answer": True, "text": "note", "cues": cues}]
            elif step.kind == "open":
                shapes = [{"text": "note", "cues": cues}, {"text": "note"}, {"cues": cues}]
            else:
                shapes = ["yes"]
            for raw in shapes:
                assert quick_answer(step, raw, bare) == check_answer_in_full(step, raw), \
                    (flow.id, step.id, raw)


def test_bare_answers_are_exactly_what_each_kind_of_step_takes(library):
    for flow in library.flows.values():
        bare = bare_answers(flow)
        assert set(bare) == set(flow.by_id)
        for step in flow.steps:
            expected = {"closed": set(m.ANSWERS), "open": set()}.get(step.kind, {"yes"})
            assert set(bare[step.id]) == expected, (flow.id, step.id)
            for value, answer in bare[step.id].items():
                assert answer == check_answer_in_full(step, value)


# DEL and the C1 controls, the line and paragraph separators, the bidi embeddings, overrides
# and isolates.
UNSAFE = "".join(map(chr, [*range(0x7f, 0xa0), 0x2028, 0x2029, *range(0x202a, 0x202f),
                           *range(0x2066, 0x206a)]))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=st.one_of(st.sampled_from(UNSAFE + "\u00a7\u2014\u2019\u00e9"),
                                           st.characters(blacklist_categories=("Cs",))),
                         max_size=30), max_size=4),
       st.booleans())
def test_json_never_carries_a_raw_control_or_bidi_character(texts, pretty):
    """The check on the non-ASCII bytes alone finds every unsafe character the whole output
    holds, next to any other character: each is written as a \\u escape, the rest as is."""
    out = jsonout.dumps({"typed": texts, "nested": [{"t": t} for t in texts]}, pretty)
    decoded = out.decode()
    assert not any(ch in decoded for ch in UNSAFE)
    assert json.loads(out) == {"typed": texts, "nested": [{"t": t} for t in texts]}
    for ch in set("".join(texts)) - set(UNSAFE) - set('"\\') - {chr(c) for c in range(32)}:
        assert ch in decoded
