"""A trainer's class (issue 14, items 6-8): the class summary in `practice export`, the debriefs
kept only in the trainer's results and marked PRACTICE / FICTIONAL, scenario families hidden
before the debrief, difficulty levels, and a trainer's own scenario folder. All fictional."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
from dataclasses import replace

import pytest

from conftest import ROOT
from interview import practice
from interview.practice import results
from interview.practice.run import PracticeRun
from interview.practice.scenario import DIFFICULTIES, SCENARIOS_ENV
from interview.practice.score import Determinations, debrief, render

SCENARIOS = ROOT / "flows" / "scenarios"


@pytest.fixture(scope="module")
def loaded(library):
    return practice.load(library)


def finished(library, loaded, scenario_id, trainee, mine=None, questions=None):
    """A practice: all questions asked (or the first `questions`), `mine` stated."""
    config, scenarios = loaded
    s = scenarios[scenario_id]
    run = PracticeRun(library, config, s, trainee)
    run.play_ideal()
    if questions is not None:
        run = PracticeRun(library, config, s, trainee)
        if run.flow.gate:
            run.session.skip()
            for step in ("basic_needs_offer", "rapport", "confidentiality_script"):
                run.ask(step)
                run.session.answer("yes")
        for q in [x for x in run.matchable() if x.is_question][:questions]:
            run.ask(q.id)
    mine = mine if mine is not None else Determinations.from_key(library, s.key)
    d = debrief(library, config, s, run.session.record, run, trainee, mine)
    return d, render(library, config, d)


@pytest.fixture
def class_file(library, loaded, tmp_path):
    path = tmp_path / "class.jsonl"
    rows = [("Ana", "boyfriend", None, None), ("Ben", "boyfriend", None, 3),
            ("Cam", "hotline_caller", None, None), ("Dee", "hotline_caller", "immediate_crisis", None),
            ("Eve", "control", None, 2)]
    for trainee, sid, response, questions in rows:
        mine = Determinations.from_key(library, loaded[1][sid].key)
        if response:
            mine = replace(mine, response=response)
        d, text = finished(library, loaded, sid, trainee, mine, questions)
        results.append(path, d, text)
    return path


def test_the_class_summary_names_what_the_class_missed_most_by_label(cli, class_file):
    code, out, err = cli("practice", "export", class_file, "--summary")
    assert code == 0, err
    assert out.startswith("PRACTICE / FICTIONAL: class summary, 5 results from 5 trainees")
    assert "Maya, 16: the \u201cboyfriend\u201d: 2 trainees, mean" in out
    assert "responses: Initial MDT (10 days) 1, Immediate Crisis (2 hours) 1 (key: Initial MDT" in out
    flags = out.split("Red flags the class missed most:")[1].split("\n\n")[0].splitlines()
    assert flags[1].split()[0] == "1" and flags[1].split()[1].startswith("#")  # label, count
    unasked = out.split("Key questions left unasked most:")[1].split("\n\n")[0].splitlines()
    # asked by neither Ben (boyfriend) nor Eve (control), who stopped early: 2 trainees
    assert "    2  Where do you stay or sleep if you aren’t at home/placement?" in unasked
    assert all(line.startswith("    2  ") for line in unasked[1:4])   # most missed first
    assert "_" not in out.split("Red flags the class missed most:")[1]   # labels, not ids
    code, out, _ = cli("practice", "export", class_file, "--json")
    data = json.loads(out)
    per = {s["scenario"]: s for s in data["summary"]["per_scenario"]}
    assert data["marked"] == "PRACTICE / FICTIONAL" and data["count"] == 5
    assert per["boyfriend"]["trainees"] == 2 and per["boyfriend"]["highest"] == 100
    assert per["boyfriend"]["spread"] > 0 and per["hotline_caller"]["lowest"] < 100
    assert data["summary"]["red_flags_missed_most"][0]["label"].startswith("#")


def test_csv_export_keeps_its_columns_and_marks_each_row(cli, class_file):
    code, out, _ = cli("practice", "export", class_file)
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][:4] == ["trainee", "scenario", "family", "score"]
    assert rows[0][-1] == "marked" and all(r[-1] == "PRACTICE / FICTIONAL" for r in rows[1:])
    by = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by["Dee"]["response"] == "immediate_crisis" and by["Dee"]["response_key"] == "initial_mdt"
    assert by["Ana"]["score"] == "100" and int(by["Ben"]["score"]) < 30


def test_the_debriefs_are_exported_only_from_the_results_and_marked(cli, class_file):
    code, out, err = cli("practice", "export", class_file, "--debriefs")
    assert code == 0, err
    parts = out.split("=" * 78)
    assert len(parts) == 5
    for part in parts:
        text = part.strip()
        assert text.startswith("PRACTICE / FICTIONAL: ")
        assert text.endswith("PRACTICE / FICTIONAL: every scenario, person and reply here is "
                             "fictional.")
        assert "TRANSCRIPT" in text
    assert "\x1b" not in out


def test_a_crafted_debrief_in_the_results_is_printed_as_plain_marked_text(cli, tmp_path):
    path = tmp_path / "class.jsonl"
    path.write_text(json.dumps({"trainee": "\x1b[2J=cmd", "scenario": "x", "score": 1,
                                "debrief": "hello \x1b]0;pwned\x07 world"}) + "\n")
    code, out, _ = cli("practice", "export", path, "--debriefs")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert out.startswith("PRACTICE / FICTIONAL: =cmd, x")
    code, out, _ = cli("practice", "export", path, "--summary")
    assert code == 0 and "1 result from 1 trainee" in out


def test_an_empty_or_unreadable_results_file_is_one_message(cli, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    code, out, _ = cli("practice", "export", empty, "--summary")
    assert code == 0 and "0 results from 0 trainees" in out
    code, out, _ = cli("practice", "export", empty, "--debriefs")
    assert code == 0 and "No debrief is kept" in out
    code, _, err = cli("practice", "export", tmp_path / "nope.jsonl", "--summary")
    assert code == 1 and "cannot read the class results" in err and "Traceback" not in err


# --- scenarios: families hidden, difficulty, a trainer's own folder -----------------------------

def test_the_family_is_hidden_before_the_debrief_and_named_in_it(library, loaded, cli):
    from interview.app.app import InterviewApp

    config, scenarios = loaded
    titles = {f.title for f in config.families.values()}

    async def go():
        app = InterviewApp(library=library, practice={"trainee": "Ana"})
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            menu = app.screen.query_one("#scenarios")
            shown = "\n".join(str(menu.get_option_at_index(i).prompt)
                              for i in range(menu.option_count))
            assert "Familial" not in shown and "control case" not in shown
            assert not any(t in shown for t in titles)
            assert all(s.difficulty in shown for s in scenarios.values())
            first = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
            order = [DIFFICULTIES.index(scenarios[i].difficulty) for i in first]
            assert order == sorted(order)

    asyncio.run(go())
    code, out, _ = cli("practice", "list")
    assert code == 0 and not any(t in out for t in titles) and "advanced" in out
    _, text = finished(library, loaded, "familial", "Ana")
    assert "Scenario family: Familial trafficking" in text


def test_difficulty_levels_and_the_new_scenarios(loaded):
    _, scenarios = loaded
    assert {s.difficulty for s in scenarios.values()} == set(DIFFICULTIES)
    evasive = scenarios["caregiver_evasive"]
    assert evasive.flow == "caregiver" and evasive.family == "caregiver_complicit"
    assert scenarios["runaway_return"].flow == "runaway-return"


def test_a_trainer_adds_a_scenario_from_a_folder_of_their_own(cli, tmp_path, monkeypatch):
    monkeypatch.setenv(SCENARIOS_ENV, "")
    mine = tmp_path / "mine"
    mine.mkdir()
    text = (SCENARIOS / "control.yaml").read_text()
    (mine / "sam.yaml").write_text(text.replace("id: control", "id: my_sam", 1))
    code, out, err = cli("practice", "list", "--scenarios", mine)
    assert code == 0 and "my_sam" in out, err
    monkeypatch.setenv(SCENARIOS_ENV, "")
    code, out, err = cli("practice", "selftest", "--scenarios", mine)
    assert code == 0 and "ok   my_sam" in out
    monkeypatch.setenv(SCENARIOS_ENV, "")
    code, out, err = cli("validate", mine / "sam.yaml")
    assert code == 0, err
    # one of theirs with the id of a shipped one, or broken: one message naming their file
    (mine / "dup.yaml").write_text(text)
    monkeypatch.setenv(SCENARIOS_ENV, "")
    code, _, err = cli("practice", "list", "--scenarios", mine)
    assert code == 1 and "scenario id 'control' is already used by" in err
    assert str(mine / "dup.yaml") in err
    (mine / "dup.yaml").write_text(text.replace("id: control", "id: other").replace(
        "age: 13", "age: 30"))
    monkeypatch.setenv(SCENARIOS_ENV, "")
    code, _, err = cli("practice", "selftest", "--scenarios", mine)
    assert code == 1 and f"{mine / 'dup.yaml'}:" in err and "under 18" in err
    for bad in (tmp_path / "nope", tmp_path):
        monkeypatch.setenv(SCENARIOS_ENV, "")
        code, _, err = cli("practice", "list", "--scenarios", bad)
        assert code == 1 and "--scenarios" in err and "Traceback" not in err


def test_a_trainer_folder_reaches_the_processes_serve_starts(tmp_path, monkeypatch):
    """`serve` starts one process per trainee; they inherit the folder through the environment."""
    import os

    from interview.practice.cli import use_scenario_folder

    monkeypatch.setenv(SCENARIOS_ENV, "")
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(SCENARIOS / "control.yaml", mine / "x.yaml")
    use_scenario_folder(mine)
    assert os.environ[SCENARIOS_ENV] == str(mine.resolve())


def test_a_debrief_that_could_not_be_kept_can_be_kept_later_and_only_in_the_results(
        library, loaded, tmp_path):
    from interview.app.screens.practice_debriefs import KeptDebrief

    d, text = finished(library, loaded, "control", "Ana")
    alone = KeptDebrief(d, text, None)
    assert "Not kept" in alone.keep() and not alone.kept
    folder = tmp_path / "class.jsonl"
    folder.mkdir()                                   # the results file is unusable for now
    kept = KeptDebrief(d, text, folder)
    assert "could NOT be kept" in kept.keep() and not kept.kept
    folder.rmdir()
    assert "added to the class results" in kept.keep() and kept.kept
    assert "Kept in the class results" in kept.keep()   # kept once, not twice
    rows, _ = results.read(folder)
    assert len(rows) == 1 and rows[0]["debrief"] == text and text.startswith("PRACTICE / FICTIONAL")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class.jsonl"]   # nothing else written
