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
from interview.practice.run import PracticeRun
from interview.practice.score import Determinations, debrief, selftest
from keys import type_text

SCENARIOS = ROOT / "flows" / "scenarios"
FAMILIES_OF_SECTION_9 = {"at_risk_only", "survival_sex", "third_party_boyfriend", "familial",
                         "labor_debt", "criminal_gang", "runaway_return", "foreign_national",
                         "control"}


@pytest.fixture(scope="module")
def loaded(library):
    return practice.load(library)


def ideal_case(library, config, scenario) -> dict:
    """The scenario's ideal marks as a `practice score` file (an `assess` file, with what the
    trainee states and the questions asked)."""
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
    mine = Determinations.from_key(library, scenario.key).as_json()
    return {"flow": scenario.flow, "answers": answers, "observations": dict(record.observations),
            "determinations": mine, "asked": run.asked}


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
    ("  basic_needs_offer: ", "  basic_need_offer: ", ":23: replies: no step 'basic_need_offer'",
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
    # issue 14: what the trainee states is keyed, and the believable youth's conditions
    ("  response: initial_mdt", "  response: crisis", "key.response: 'crisis' is not a response "
     "tier", "immediate_crisis, initial_mdt, none"),
    ("  exploited_during: in_foster_care\n", "", "a victim type (victim_during_foster_care) needs "
     "`exploited_during:`", "add `exploited_during: in_foster_care`"),
    ("  exploited_during: in_foster_care", "  exploited_during: before_foster_care",
     "gives the type victim_before_foster_care, not victim_during_foster_care", "fix the type"),
    ("flow: youth", "flow: labor-criminal", "flow 'labor-criminal' has no practice settings",
     "add `labor-criminal:` under `flows:`"),
    ("difficulty: intermediate", "difficulty: hard", "difficulty 'hard' is not a level",
     "introductory, intermediate, advanced"),
    ("    more: \"We all stay together sometimes. Dre looks after us.\"",
     "    more: \"Dre says I'm not a victim.\"", "the reply uses 'victim'", "slang or plain words"),
    ("    - when: {told: [further_prior_incidents]}", "    - when: {told: [further_prior_incident]}",
     "when.told must list steps of the flow", "when: {told: [spec_keep_share_money]}"),
    ("  next_steps: [basic_needs,", "  questions: [open_feelings]\n  next_steps: [basic_needs,",
     "key.questions: 'open_feelings' is not a question", "did you mean 'open_feeling'?"),
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


# --- class results ----------------------------------------------------------------------------

def finished_debrief(library, loaded, trainee="Ana"):
    config, scenarios = loaded
    run = PracticeRun(library, config, scenarios["boyfriend"], trainee)
    run.play_ideal()
    return debrief(library, config, run.scenario, run.session.record, run, trainee,
                   Determinations.from_key(library, run.scenario.key))


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
    assert set(data["results"][0]) >= {"trainee", "scenario", "score", "missed", "red_flags_missed"}
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
    from interview.app.screens.practice_determinations import DeterminationsScreen
    from interview.app.screens.practice_start import PracticeStartScreen
    from textual.widgets import RadioButton, RadioSet, Select, SelectionList

    path = tmp_path / "class.jsonl"

    async def go():
        app = InterviewApp(library=library, practice={"scenario": "at_risk_only",
                                                      "results": path, "trainee": ""})
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, PracticeStartScreen)
            await type_text(pilot, "Ana")
            await pilot.press("enter", "enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PracticeScreen)
            await pilot.press("ctrl+s", "enter", "enter", "enter", "y", "enter")  # up to the script
            await pilot.pause()
            assert screen.session.current.id == "open_feeling" and screen.phase == "ask"
            await type_text(pilot, "where are you living now")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.phase == "match" and screen.candidates[0].step == "open_staying"
            await pilot.press("enter")                       # accept the match: Jordan replies
            await pilot.pause()
            assert screen.session.current.id == "open_staying"
            assert "fifth house" in screen.query_one("#prompt").text
            await type_text(pilot, "fifth placement")
            await pilot.press("enter", "1", "enter")   # no stable place: D
            await pilot.pause()
            await pilot.press("ctrl+e")                      # pick the school question
            await pilot.pause()
            menu = app.screen.query_one("#questions")
            ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
            menu.highlighted = ids.index("open_school")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.session.current.id == "open_school"
            await type_text(pilot, "does not go")
            await pilot.press("enter", "1", "enter")       # rarely goes: F
            await pilot.pause()
            transcript = "\n".join(screen.query_one("#transcript").lines_said)
            assert "Jordan: I don't go a lot" in transcript
            assert "[matched: Where have you been staying?]" in transcript
            await pilot.press("ctrl+d")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, DeterminationsScreen)   # the trainee states them
            await pilot.press("down", "enter")                   # At-Risk: met by two of D-H
            await pilot.pause()
            form = app.screen
            form.query_one("#det-indicators", SelectionList).select("D")
            form.query_one("#det-indicators", SelectionList).select("F")
            form.query_one("#det-response", RadioSet).query(RadioButton)[2].value = True   # none
            form.query_one("#det-csec_type", RadioSet).query(RadioButton)[1].value = True  # At-Risk
            steps = form.query_one("#det-next_steps", SelectionList)
            for sid in ("basic_needs", "advocacy_referral", "case_plan_services"):
                steps.select(sid)
            await pilot.pause()
            deadline = form.query_one("#deadline-basic_needs", Select)   # its clock: now
            deadline.value = "now"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
            body = str(app.screen.query_one("#debrief-body").render())
            assert body.startswith("PRACTICE / FICTIONAL")
            assert "yours: Met: two of D-H (D, F)" in body and "NOT ASKED" in body
            assert "Response      yours: No MDT response" in body
            assert "TEACHING POINTS" in body and "TRANSCRIPT" in body
            assert "You: where are you living now  [matched: Where have you been staying?]" in body
            assert "added to the class results" in str(
                app.screen.query_one("#debrief-kept").render())
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, PracticeStartScreen)
            await pilot.press("ctrl+r")                           # reopen it after closing it
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
            assert str(app.screen.query_one("#debrief-body").render()) == body

    asyncio.run(go())
    rows, _ = results.read(path)
    assert len(rows) == 1 and rows[0]["trainee"] == "Ana" and rows[0]["scenario"] == "at_risk_only"
    assert rows[0]["yours"]["branch"] == "D-H" and rows[0]["debrief"].startswith("PRACTICE")


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


def test_in_the_app_a_label_is_caught_a_probe_follows_up_and_a_later_match_says_what_it_skips(
        library):
    from interview.app.app import InterviewApp
    from interview.app.screens.practice import PracticeScreen

    async def go():
        app = InterviewApp(library=library, practice={"scenario": "boyfriend", "trainee": "Ana"})
        async with app.run_test(size=(100, 36)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PracticeScreen)
            await pilot.press("ctrl+s", "enter", "enter", "enter", "y", "enter")  # up to the script
            await pilot.pause()
            rapport = screen.run.rapport
            await type_text(pilot, "is dre your pimp?")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.phase == "ask" and screen.session.current.id == "open_feeling"
            assert screen.run.rapport == rapport - 4 and screen.run.labelled
            assert "open_spend_time" not in screen.run.asked
            said = "\n".join(screen.query_one("#transcript").lines_said)
            assert "[labels: pimp; not asked]" in said and "I'm not whatever you think" in said
            await type_text(pilot, "who do you hang out with")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.phase == "match" and screen.candidates[0].step == "open_spend_time"
            guidance = str(screen.query_one("#prompt").guidance if hasattr(
                screen.query_one("#prompt"), "guidance") else "")
            assert [s.id for s in screen.skips][:3] == ["open_feeling", "open_staying",
                                                        "open_clothing_food"], guidance
            await pilot.press("enter")
            await pilot.pause()
            await type_text(pilot, "boyfriend")
            await pilot.press("enter", "enter")        # record it
            await pilot.pause()
            await type_text(pilot, "tell me more about that")
            await pilot.press("enter")
            await pilot.pause()
            said = "\n".join(screen.query_one("#transcript").lines_said)
            assert "[follows up: Who do you spend time with?]" in said
            assert "Dre looks after us" in said and screen.run.probes[-1].step == "open_spend_time"

    asyncio.run(go())
