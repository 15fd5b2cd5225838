"""Practice mode: scenarios agree with the engine (selftest), the validator names file and line,
the matcher on paraphrases, scoring bounds, technique checks, class results, and a whole
practice interview in the app. All scenarios are fictional."""

from __future__ import annotations

import asyncio
import csv
import errno
import io
import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from interview import practice
from interview.engine.case import build_record
from interview.practice import results
from interview.practice.matcher import Matcher
from interview.practice.run import PracticeRun
from interview.practice.score import FAIL, debrief, precision_recall, selftest

SCENARIOS = ROOT / "flows" / "scenarios"
FAMILIES_OF_SECTION_9 = {"at_risk_only", "survival_sex", "third_party_boyfriend", "familial",
                         "labor_debt", "criminal_gang", "runaway_return", "foreign_national",
                         "control"}


@pytest.fixture(scope="module")
def loaded(library):
    return practice.load(library)


def ideal_case(library, config, scenario) -> dict:
    """The scenario's ideal marks as an `assess` file."""
    run = PracticeRun(library, config, scenario)
    run.play_ideal()
    record = run.session.record
    answers = {}
    for sid, a in record.answers.items():
        step = record.flow.by_id[sid]
        answers[sid] = {"text": a.text, "cues": list(a.cues)} if step.kind == "open" else (
            {"answer": a.value, "text": a.text, "cues": list(a.cues)} if step.kind == "closed"
            else a.value)
    run.close()
    return {"flow": scenario.flow, "answers": answers, "observations": dict(record.observations)}


# --- the scenarios and the engine agree ---------------------------------------------------------

def test_selftest_passes_for_every_scenario(cli):
    code, out, err = cli("practice", "selftest", "--json")
    assert code == 0, out + err
    rows = json.loads(out)
    assert len(rows) >= 10 and all(r["ok"] and r["score"] == 100 for r in rows), rows


def test_one_scenario_per_family_of_domain_section_9_plus_a_caregiver(loaded):
    _, scenarios = loaded
    families = {s.family for s in scenarios.values()}
    assert FAMILIES_OF_SECTION_9 <= families and "caregiver" in families
    assert any(s.flow == "caregiver" and s.audience == "caregiver" for s in scenarios.values())
    for path in SCENARIOS.glob("*.yaml"):
        assert "FICTIONAL" in path.read_text().splitlines()[0], path


def test_a_key_that_drifts_from_the_engine_fails_selftest(library, loaded):
    from dataclasses import replace

    config, scenarios = loaded
    s = scenarios["boyfriend"]
    drifted = replace(s, key=replace(s.key, red_flags=s.key.red_flags - {"tattoos_or_branding"}))
    result = selftest(library, config, drifted)
    assert not result.ok and "red flags" in result.problems[0]


def test_every_teaching_point_and_family_cites_a_heading_of_its_document(loaded, seeds):
    import re

    def norm(text):
        return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()

    docs = {p.name[:3]: norm(p.read_text()) for p in seeds.glob("00*.txt")}
    config, scenarios = loaded
    sources = [f.source for f in config.families.values()]
    sources += [c.source for c in config.checks.values()]
    sources += [p.source for s in scenarios.values() for p in s.teaching_points]
    missing = [src for src in sources
               if norm(src.partition(" § ")[2].split(" › ")[0]) not in docs[src[:3]]]
    assert not missing, missing


# --- the validator --------------------------------------------------------------------------

BROKEN = [
    ('  checklists_offer: {answer: "no"}', "", "no ideal answer for the worker's decision "
     "'checklists_offer'", "add `checklists_offer: {answer: yes}`"),
    ("  basic_needs_offer: ", "  basic_need_offer: ", ":22: replies: no step 'basic_need_offer'",
     "did you mean 'basic_needs_offer'?"),
    ("cues: [with_non_guardians]", "cues: [with_non_guardian]", "is not a cue of 'open_staying'",
     "did you mean 'with_non_guardians'?"),
    ("Dre drives me everywhere", "Dre says I'm his victim", "the reply uses 'victim'",
     "a youth's own words do not label them"),
    ("red_flag: phone_dependence", "red_flag: phone_dependance", "not on the 'youth' flow's checklist",
     "did you mean 'phone_dependence'?"),
    ("  at_risk: {indicators: [A, B, G], branch: A-C}", "  at_risk: {indicators: [A, B, G], branch: D-H}",
     "give the branch A-C, not D-H", "one of A-C, or two of D-H"),
    ("csec_type: victim_during_foster_care", "csec_type: victim_in_care", "is not a CSEC Type", "did you mean"),
    ("document_csec_type]", "document_type]", "unknown next step 'document_type'", "did you mean"),
    ("fictional: true", "fictional: false", "must say it is fictional", "fictional: true"),
    ("family: third_party_boyfriend", "family: boyfriends", "is not a scenario family", "use one of"),
    ("  age: 16", "  age: 19", "must be a whole number under 18", "minors"),
    ("    case_status: in_foster_care", "    case_status: foster", "persona.case_facts", "case facts"),
    ('  spec_keep_share_money:\n    say: "Dre holds it. All of it."\n    answer: "yes"',
     '  spec_keep_share_money:\n    say: "Dre holds it. All of it."', "needs `answer:`", "answer: no"),
    ('source: "003 § Tattoos"', 'source: "Tattoos"', "does not name a seed document", "DOC § Section"),
]


@pytest.mark.parametrize("old,new,message,fix", BROKEN, ids=[b[2][:30] for b in BROKEN])
def test_a_broken_scenario_is_named_with_file_line_and_fix(cli, tmp_path, old, new, message, fix):
    text = (SCENARIOS / "boyfriend.yaml").read_text()
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1))
    code, out, err = cli("validate", path)
    assert code == 1 and message in err and fix in err, err
    assert f"{path}:" in err and "Traceback" not in err


def test_validate_checks_the_shipped_scenarios(cli):
    code, out, err = cli("validate")
    assert code == 0, err


# --- the question matcher -------------------------------------------------------------------

def matcher_accuracy(library, loaded, key):
    config, scenarios = loaded
    flow = "caregiver" if key == "caregiver" else "youth"
    scenario = next(s for s in scenarios.values() if s.flow == flow)
    matcher = Matcher(library, PracticeRun(library, config, scenario).matchable(),
                      config.synonyms)
    items = yaml.safe_load((ROOT / "tests" / "paraphrases.yaml").read_text())[key]
    top1 = top3 = 0
    for text, want in items:
        ids = [m.step for m in matcher.rank(text, 3)]
        top1 += ids[:1] == [want]
        top3 += want in ids
    return top1 / len(items), top3 / len(items), len(items)


@pytest.mark.parametrize("key", ["youth", "caregiver"])
def test_the_matcher_finds_the_question_a_paraphrase_means(library, loaded, key):
    top1, top3, n = matcher_accuracy(library, loaded, key)
    print(f"matcher {key}: top-1 {top1:.0%}, top-3 {top3:.0%} of {n}")
    assert top1 >= 0.95 and top3 == 1.0


def test_the_matcher_on_paraphrases_it_was_not_tuned_on(library, loaded):
    top1, top3, n = matcher_accuracy(library, loaded, "held_out_youth")
    print(f"matcher held out: top-1 {top1:.0%}, top-3 {top3:.0%} of {n}")
    assert top1 >= 0.6 and top3 >= 0.75   # measured 70% and 80%: a floor against regressions


def test_the_matcher_is_deterministic_and_finds_nothing_in_nonsense(library, loaded):
    config, scenarios = loaded
    steps = PracticeRun(library, config, scenarios["boyfriend"]).matchable()
    m = Matcher(library, steps, config.synonyms)
    assert m.rank("Who do you hang out with?") == m.rank("Who do you hang out with?")
    assert m.best("zxq blorp") is None and m.rank("") == []


# --- scoring ----------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(0, 40)), st.sets(st.integers(0, 40)))
def test_precision_and_recall_are_bounded_and_perfect_only_on_the_key(marked, key):
    p, r, f = precision_recall(marked, key)
    assert 0 <= p <= 1 and 0 <= r <= 1 and 0 <= f <= 1
    assert (p, r, f) == (1, 1, 1) if marked == key else f < 1
    if key and not marked:
        assert r == 0


@pytest.mark.parametrize("scenario_id", ["boyfriend", "at_risk_only", "labor_debt", "control",
                                         "caregiver_mother"])
def test_marking_the_key_gives_full_marks_and_marking_nothing_zero_recall(cli, tmp_path, library,
                                                                          loaded, scenario_id):
    config, scenarios = loaded
    s = scenarios[scenario_id]
    good = tmp_path / "good.json"
    good.write_text(json.dumps(ideal_case(library, config, s)))
    code, out, err = cli("practice", "score", scenario_id, good, "--json")
    assert code == 0, err
    assert json.loads(out)["score"] == 100
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"flow": s.flow, "answers": {}}))
    code, out, err = cli("practice", "score", scenario_id, empty, "--json")
    scored = json.loads(out)
    assert code == 0 and scored["red_flags"]["caught"] == []
    if s.key.red_flags:
        assert scored["red_flags"]["recall"] == 0 and scored["score"] < 60
    else:  # the control case: nothing to catch, nothing over-flagged
        assert scored["score"] == 100


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_any_marks_score_between_0_and_100_and_extra_flags_cost_precision(library, loaded, data):
    config, scenarios = loaded
    s = scenarios[data.draw(st.sampled_from(sorted(scenarios)))]
    flow = library.flows[s.flow]
    items = sorted(flow.observation_items)
    observed = data.draw(st.sets(st.sampled_from(items), max_size=8))
    record = build_record(library, {"flow": s.flow, "context": {
        k: str(v) if not isinstance(v, (bool, dict)) else v for k, v in s.facts.items()},
        "observations": sorted(observed)})
    d = debrief(library, config, s, record)
    assert 0 <= d.score <= 100
    assert "technique" not in d.parts
    wrong = set(d.red_flags.wrong)
    assert wrong == (set(observed) - s.key.red_flags) & wrong
    if wrong:
        assert d.red_flags.precision < 1


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
    code, _, err = cli("practice", "score", "boyfriend")
    assert code == 1 and "usage: csec-interview practice score SCENARIO FILE" in err


# --- the simulated youth and the technique checks ----------------------------------------------

def test_a_youth_who_denies_discloses_on_a_second_asking_and_technique_is_checked(library, loaded):
    config, scenarios = loaded
    run = PracticeRun(library, config, scenarios["boyfriend"], "Ana")
    s = run.session
    first = run.ask("spec_paid_for_sex", "were you trafficked?")   # before the script
    assert first.refused and "confidentiality script" in first.refused
    s.skip()
    for step in ("basic_needs_offer", "rapport", "confidentiality_script"):
        run.ask(step)
        s.answer("yes")
    s.answer("yes")
    s.answer(text="")
    no = run.ask("spec_paid_for_sex")
    assert no.reply.answer == "no"
    s.answer("no")
    again = run.ask("spec_paid_for_sex")
    assert again.reply.answer == "yes" and "pay" in again.reply.say
    labelled = run.ask("open_spend_time", "Is your boyfriend trafficking you?")
    assert labelled.labels and labelled.reply.say.startswith("I'm not whatever")
    assert run.rapport < 3
    checks = {t.id: t.status for t in debrief(library, config, run.scenario, s.record, run).technique}
    assert checks == {"script_first": FAIL, "open_before_specific": FAIL,
                      "prior_after_denial": FAIL, "no_labels": FAIL}
    assert not s.sinks   # practice is never stored


def test_a_disclosure_can_wait_for_rapport(library, loaded):
    config, scenarios = loaded
    run = PracticeRun(library, config, scenarios["survival_sex"])
    run.session.skip()
    for step in ("basic_needs_offer", "rapport", "confidentiality_script"):
        run.ask(step)
        run.session.answer("yes")
    run.session.answer("yes")
    run.session.answer(text="")
    assert "get by" in run.ask("open_support").reply.say          # too early
    for step in ("open_feeling", "open_staying", "open_clothing_food", "open_spend_time",
                 "open_stay_sleep"):
        run.ask(step)
    assert "hook up" in run.ask("open_support").reply.say          # rapport 8 reached


# --- class results ----------------------------------------------------------------------------

def finished_debrief(library, loaded, trainee="Ana"):
    config, scenarios = loaded
    run = PracticeRun(library, config, scenarios["boyfriend"], trainee)
    run.play_ideal()
    return debrief(library, config, run.scenario, run.session.record, run, trainee)


def test_class_results_export_as_csv_and_json_without_formulas(cli, library, loaded, tmp_path):
    path = tmp_path / "class.jsonl"
    for name in ("Ana", "=HYPERLINK(\"http://x\")", "+1 555", "@me", "-x", "Zoë, \"Z\""):
        results.append(path, finished_debrief(library, loaded, name))
    path.open("a").write("not json\n")
    code, out, err = cli("practice", "export", path)
    assert code == 0 and "not a practice result; skipped" in err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:4] == ["trainee", "scenario", "family", "score"]
    names = [r[0] for r in rows[1:]]
    assert names == ["Ana", "'=HYPERLINK(\"http://x\")", "'+1 555", "'@me", "'-x", "Zoë, \"Z\""]
    assert all(r[3] == "100" for r in rows[1:])
    code, out, _ = cli("practice", "export", path, "--json")
    data = json.loads(out)
    assert data["count"] == 6 and data["results"][1]["trainee"] == "=HYPERLINK(\"http://x\")"
    assert set(data["results"][0]) >= {"trainee", "scenario", "score", "missed", "red_flags"}
    assert "answers" not in data["results"][0] and "events" not in data["results"][0]
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_results_file_that_cannot_be_written_is_one_message(library, loaded, tmp_path,
                                                              monkeypatch, cli):
    d = finished_debrief(library, loaded)
    with pytest.raises(practice.results.InterviewError, match="is a folder|it is a folder"):
        results.append(tmp_path, d)

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(results.os, "write", full)
    with pytest.raises(practice.results.InterviewError, match="the disk is full"):
        results.append(tmp_path / "class.jsonl", d)
    monkeypatch.undo()
    code, _, err = cli("practice", "start", "boyfriend", "--results", tmp_path / "no" / "c.jsonl")
    assert code == 1 and "does not exist" in err
    code, _, err = cli("practice", "export", tmp_path / "missing.jsonl")
    assert code == 1 and "cannot read the class results" in err


def test_practice_list_json(cli):
    code, out, _ = cli("practice", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and {"id", "title", "family", "flow", "audience"} <= set(rows[0])


# --- the app ------------------------------------------------------------------------------------

def test_a_whole_practice_interview_and_debrief_in_the_app(library, tmp_path):
    """Name, scenario, a typed paraphrase matched and accepted, the flow's words, recording,
    the debrief and the class result."""
    from interview.app.app import InterviewApp
    from interview.app.screens.debrief import DebriefScreen
    from interview.app.screens.practice import PracticeScreen
    from interview.app.screens.practice_start import PracticeStartScreen

    path = tmp_path / "class.jsonl"

    async def go():
        app = InterviewApp(library=library, practice={"scenario": "at_risk_only",
                                                      "results": path, "trainee": ""})
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, PracticeStartScreen)
            await pilot.press(*"Ana", "enter", "enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PracticeScreen)
            await pilot.press("ctrl+s", "enter", "enter", "enter", "y", "enter")  # up to the script
            await pilot.pause()
            assert screen.session.current.id == "open_feeling" and screen.phase == "ask"
            await pilot.press(*"where are you living now", "enter")
            await pilot.pause()
            assert screen.phase == "match" and screen.candidates[0].step == "open_staying"
            await pilot.press("enter")                       # accept the match: Jordan replies
            await pilot.pause()
            assert screen.session.current.id == "open_staying"
            assert "fifth house" in screen.query_one("#prompt").text
            await pilot.press(*"fifth placement", "enter", "1", "enter")   # no stable place: D
            await pilot.pause()
            await pilot.press("ctrl+e")                      # pick the school question
            await pilot.pause()
            menu = app.screen.query_one("#questions")
            ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
            menu.highlighted = ids.index("open_school")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.session.current.id == "open_school"
            await pilot.press(*"does not go", "enter", "1", "enter")       # rarely goes: F
            await pilot.pause()
            transcript = "\n".join(screen.query_one("#transcript").lines_said)
            assert "Jordan: I don't go a lot" in transcript
            assert "[matched: Where have you been staying?]" in transcript
            await pilot.press("ctrl+d")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
            body = str(app.screen.query_one("#debrief-body").render())
            assert "AT-RISK" in body and "yours: met (D-H)" in body
            assert "TEACHING POINTS" in body and "added to the class results" in str(
                app.screen.query_one("#debrief-kept").render())
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, PracticeStartScreen)

    asyncio.run(go())
    rows, _ = results.read(path)
    assert len(rows) == 1 and rows[0]["trainee"] == "Ana" and rows[0]["scenario"] == "at_risk_only"


def test_a_family_listed_twice_in_the_practice_configuration_is_refused(cli, tmp_path, monkeypatch):
    import shutil

    flows = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", flows)
    config = flows / "catalog" / "practice.yaml"
    text = config.read_text()
    config.write_text(text.replace("families:\n", "families:\n  - id: control\n    title: \"Again\"\n"
                                   "    source: \"004 § Challenges\"\n", 1))
    monkeypatch.setenv("CSEC_INTERVIEW_FLOWS", str(flows))
    code, _, err = cli("validate")
    assert code == 1 and "family 'control' is listed twice" in err, err
