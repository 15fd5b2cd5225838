"""The short cuts that make `assess` fast (issue 15) agree with the full checks they stand in for.

Each short cut is checked against the slow path it replaces, over generated inputs, through the
same public functions `assess` and the engine call.
"""

from __future__ import annotations

import json
from dataclasses import fields

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview import jsonout
from interview.content import model as m
from interview.errors import InputError
from interview.engine.case import build_record
from interview.record import Answer, Context, Record, bare_answers, check_answer, \
    check_answer_in_full, parse_context, quick_answer
from interview.rules import evidence
from interview.rules.evidence import Evidence

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


@st.composite
def records(draw, library):
    """A record of a shipped flow with random valid answers, cues and observations."""
    flow = library.flows[draw(st.sampled_from(FLOWS))]
    answers = {}
    for step in flow.steps:
        if not draw(st.booleans()):
            continue
        cues = draw(st.lists(st.sampled_from([c.id for c in step.cues]), max_size=3)) \
            if step.cues and not step.records_facts else []
        if step.kind == "closed":
            answers[step.id] = {"answer": draw(st.sampled_from(m.ANSWERS)), "cues": cues}
        elif step.kind == "open" and not step.fact:
            answers[step.id] = {"text": "fictional", "cues": cues}
        elif step.kind in ("script", "observation", "facts"):
            answers[step.id] = "yes"
    observed = draw(st.lists(st.sampled_from(sorted(library.red_flags)), max_size=3,
                             unique=True))
    return build_record(library, {"flow": flow.id, "answers": answers,
                                  "observations": {rf: "seen" for rf in observed}})


def _expected_evidence(library, record):
    """What each answer, ticked cue and observation indicates, read straight off the steps."""
    out = []
    for step in record.flow.steps:
        answer = record.answers.get(step.id)
        if answer is None:
            continue
        question = step.text or step.id
        if answer.value == "yes" and step.indicates_on_yes:
            out.append((step.indicates_on_yes, Evidence("answer", step.id, question, "yes")))
        elif answer.value == "no" and step.indicates_on_no:
            out.append((step.indicates_on_no, Evidence("answer", step.id, question, "no")))
        if step.kind == "open" or answer.value == "yes":
            for cue in map(step.cue, answer.cues):
                if cue.indicates:
                    out.append((cue.indicates, Evidence("cue", step.id, question, answer.value,
                                                        cue.id, cue.label)))
    for rf, note in record.observations.items():
        item = record.flow.observation_items.get(rf)
        extra = item.indicates if item else m.NOTHING
        out.append((m.Indicates((rf,) + extra.red_flags, extra.at_risk, extra.disclosures,
                                extra.suspected),
                    Evidence("observation", label=library.red_flags[rf].label, note=note)))
    return out


# Each example is a whole interview (every step answered one way or another, its cues ticked at
# random): 200 of them put every step and cue of the shipped flows through the table many times.
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_flow_table_says_what_the_steps_and_cues_indicate(library, data):
    """The per-flow table evidence.indications reads is the steps' and cues' own
    indications: the same evidence, its JSON, and the findings it counts towards."""
    record = data.draw(records(library))
    table = evidence.indications(library, record)
    assert [(i, e) for i, e, _ in table] == _expected_evidence(library, record)
    for indicates, found, hits in table:
        assert found.shared_json in (None, found.as_json())
        assert [(bucket, key) for bucket, key in hits] == (
            [(evidence.SUSPECTED, f) for f in indicates.suspected]
            + [(evidence.RED_FLAG, rf) for rf in indicates.red_flags]
            + [(evidence.AT_RISK, letter) for letter in indicates.at_risk]
            + [(evidence.ELEMENT, el) for el in indicates.disclosures])


def test_the_flow_table_follows_a_county_flows_own_indications(library):
    """What the shipped flows never do, a county's flow may: indicate on a "no", several
    letters and forms at once, the same cue id twice. The table follows the steps all the same."""
    both = m.Indicates(red_flags=("tattoos_or_branding", "long_work_hours"), at_risk=("D", "A"),
                       disclosures=("labor", "coercion"), suspected=("labor_trafficking",))
    steps = (
        m.Step("asked_no", "closed", "youth", "s", 0, "Asked?", "src", indicates_on_no=both),
        m.Step("asked_yes", "closed", "youth", "s", 1, "", "src", indicates_on_yes=both,
               cues=(m.Cue("c", "first", both), m.Cue("c", "second", m.NOTHING),
                     m.Cue("d", "plain", m.NOTHING))),
        m.Step("told", "open", "youth", "s", 2, "Tell me", "src",
               cues=(m.Cue("c", "told", m.Indicates(at_risk=("B", "C"))),)),
    )
    flow = m.Flow("county", "County", "src", (m.Section("s", "S", tuple(s.id for s in steps)),),
                  steps)
    record = Record(flow, answers={"told": Answer(text="x", cues=("c",)),
                                   "asked_yes": Answer("yes", cues=("d", "c")),
                                   "asked_no": Answer("no")},
                    observations={"long_work_hours": ""})
    table = evidence.indications(library, record)
    assert [(i, e) for i, e, _ in table] == _expected_evidence(library, record)
    assert [e.step or e.kind for _, e, _ in table] == ["asked_no", "asked_yes", "asked_yes",
                                                        "told", "observation"]
    assert table[0][2] == ((evidence.SUSPECTED, "labor_trafficking"),
                           (evidence.RED_FLAG, "tattoos_or_branding"),
                           (evidence.RED_FLAG, "long_work_hours"), (evidence.AT_RISK, "D"),
                           (evidence.AT_RISK, "A"), (evidence.ELEMENT, "labor"),
                           (evidence.ELEMENT, "coercion"))


CONTEXTS = st.fixed_dictionaries({}, optional={
    "date_of_birth": st.sampled_from(["2010-01-01", "2012-07-31"]),
    "interview_date": st.sampled_from(["2025-09-03", "2024-02-29"]),
    "case_status": st.sampled_from(m.CASE_STATUSES), "missing": st.booleans(),
    "foreign_national": st.booleans(), "case_id": st.just("EXAMPLE-1"),
    "agency": st.sampled_from(m.AGENCIES), "age": st.integers(12, 13),
    "other_allegations": st.lists(st.sampled_from(m.OTHER_ALLEGATIONS), max_size=2),
    "absence": st.just({"left": "2024-03-01", "returned": "2024-03-09"})})


@settings(max_examples=200, deadline=None)
@given(CONTEXTS)
def test_a_parsed_context_is_the_context_its_values_make(data):
    """parse_context builds its Context without the dataclass's __init__: it must be the very
    Context that __init__ makes of the same values, every field set, in order."""
    try:
        context = parse_context(data)
    except InputError:
        return  # (an age beside a date of birth that says otherwise)
    made = Context(**{f.name: getattr(context, f.name) for f in fields(Context)})
    assert context == made and hash(context) == hash(made) and repr(context) == repr(made)
    assert list(vars(context).items()) == list(vars(made).items())


def test_the_json_shared_between_findings_is_never_changed_by_those_who_show_it():
    """Each answer's and cue's evidence JSON is made once per flow and shared by every findings'
    JSON: a report, summary or review that changed one in place would put it, wrong, into every
    later interview's findings. Every renderer reads the examples' findings; a fresh library then
    gives the same JSON as the one they were shown from."""
    import yaml

    from conftest import ROOT
    from interview.content.loader import load_library
    from interview.engine.case import build_record
    from interview.reports import document, render
    from interview.review import determinations
    from interview.rules import evaluate

    def findings_json(lib, case):
        return jsonout.dumps(evaluate(lib, build_record(lib, case)).as_json(lib))

    shown, _ = load_library()
    cases = [yaml.safe_load(path.read_text()) for path in
             sorted((ROOT / "flows" / "examples").glob("*.yaml"))]
    before = [findings_json(shown, case) for case in cases]
    for case in cases:
        record = build_record(shown, case)
        findings = evaluate(shown, record)
        report = document.build(shown, record, findings)
        for fmt in ("text", "md", "html", "json"):
            render.render(report, fmt)
        document.findings_view(shown, record, findings.as_json(shown))
        determinations(findings.as_json(shown))
    fresh, _ = load_library()
    assert [findings_json(shown, case) for case in cases] == before \
        == [findings_json(fresh, case) for case in cases]
