"""The question matcher (issue 14, item 4): top-1 on the tuning set and on the held-out set it
was never tuned on, off-topic lines left unmatched, follow-up probes understood, labels caught,
and `csec-interview practice match`. All lines are fictional, written for the tests."""

from __future__ import annotations

import io
import json

import pytest
import yaml

from conftest import ROOT
from interview import practice
from interview.practice import measure
from interview.practice.matcher import one_edit_apart, stem
from interview.practice.measure import FLOWS

TUNED = ROOT / "tests" / "paraphrases.yaml"
HELD_OUT = ROOT / "tests" / "paraphrases-held-out.yaml"


@pytest.fixture(scope="module")
def matchers(library):
    config, _ = practice.load(library)
    return measure.matchers(library, config)


def top1(matchers, path) -> tuple[float, int, tuple]:
    """Top-1 rate, the number of lines, and the lines it got wrong (read on the tuning set
    only)."""
    figures = measure.measure(matchers, yaml.safe_load(path.read_text()))
    return figures.top1, figures.questions, figures.wrong


def test_the_sets_name_real_questions(library):
    for path in (TUNED, HELD_OUT):
        data = yaml.safe_load(path.read_text())
        for key, (flow, _) in FLOWS.items():
            for typed, want in data[key]:
                for step in want if isinstance(want, list) else [want]:
                    assert step in library.flows[flow].by_id, (path.name, typed, step)


def test_top1_on_the_tuning_set(matchers):
    rate, n, wrong = top1(matchers, TUNED)
    print(f"matcher tuned: top-1 {rate:.1%} of {n}")
    assert n >= 400 and rate >= 0.95, wrong


def test_top1_on_the_held_out_set(matchers):
    """The honest figure: these lines were committed before any tuning and never tuned on.
    (Failures are not printed on purpose: reading them would be tuning on them.)"""
    rate, n, _ = top1(matchers, HELD_OUT)
    print(f"matcher held out: top-1 {rate:.1%} of {n}")
    assert n >= 40
    assert rate >= 0.90


# On the held-out set only counts are compared (an assertion would otherwise print the lines
# that fail, and reading them would be tuning on them).

@pytest.mark.parametrize("path", [TUNED, HELD_OUT], ids=["tuned", "held-out"])
def test_off_topic_lines_match_at_most_one_in_ten(matchers, path):
    lines = yaml.safe_load(path.read_text())["off_topic"]
    n, matched = len(lines), sum(bool(matchers["youth"].read(t).step) for t in lines)
    print(f"off-topic matched ({path.name}): {matched} of {n}")
    assert n >= 30 and matched <= n / 10


def test_follow_up_probes_are_understood(matchers):
    lines = yaml.safe_load(TUNED.read_text())["follow_up"]
    missed = [t for t in lines if not matchers["youth"].read(t).follow_up]
    assert not missed, missed
    held = yaml.safe_load(HELD_OUT.read_text())["follow_up"]
    n, understood = len(held), sum(matchers["youth"].read(t).follow_up for t in held)
    print(f"follow-ups understood (held out): {understood} of {n}")
    assert understood >= 0.8 * n     # measured 10 of 12


def test_no_question_of_the_sets_is_taken_for_a_probe(matchers):
    data = yaml.safe_load(TUNED.read_text())
    probes = [t for key in FLOWS for t, _ in data[key] if matchers[key].read(t).follow_up]
    assert not probes, probes
    data = yaml.safe_load(HELD_OUT.read_text())
    count = sum(matchers[key].read(t).follow_up for key in FLOWS for t, _ in data[key])
    assert count <= 1


@pytest.mark.parametrize("typed", [
    "were you trafficked?", "are you a victim?", "is he your pimp?", "Is your boyfriend a pimp",
    "are you a sex worker", "do you work as a hooker?", "how long have you been a prostitute",
    "Is that your john?", "were you turning tricks", "has anyone exploited you",
    "Are you a runaway?", "Did your trafficker take your phone?", "Are you a gang member?",
    "are you a vісtim?", "is he your pіmp?", "were you traf\u200bficked?",  # look-alike letters
])
def test_a_labelling_line_is_caught_whether_or_not_it_matches(matchers, typed):
    reading = matchers["youth"].read(typed)
    assert reading.labelling and reading.labels


@pytest.mark.parametrize("typed", [
    "Have you ever had a date or appointment with a John/client/trick?",  # the flow's own words
    "Has anyone tricked you into working?", "Who do you hang out with?", "Are you safe at home?",
    # 003's own question: whether friends or family are in a gang labels no one (practice
    # audit, H3: it cost the youth's trust and the scenario's disclosure)
    "Are any of your friends gang members?", "Is anyone in your family a gang member?",
])
def test_plain_words_are_not_labels(matchers, typed):
    assert not matchers["youth"].read(typed).labelling


def test_the_matcher_is_deterministic_and_finds_nothing_in_nonsense(matchers):
    m = matchers["youth"]
    assert m.rank("Who do you hang out with?") == m.rank("Who do you hang out with?")
    assert m.read("zxq blorp").step is None and m.rank("") == []
    assert m.read("").step is None and not m.read("").follow_up


def test_a_misspelt_word_is_read_as_the_word_it_nearly_is(matchers):
    assert one_edit_apart("tatoos", "tattoos") and one_edit_apart("scohol", "school")
    assert not one_edit_apart("shoes", "school")
    assert matchers["youth"].read("do you have any tatoos").step == "further_tattoos"
    assert stem("staying") == stem("stays") == stem("stayed") == "stay"


# --- csec-interview practice match -------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Have you ever left home without telling anyone?",
                                   "have you run away", "Have you ever gone missing?"])
def test_a_question_about_running_away_is_never_taken_for_school(matchers, typed):
    """"missing" stood for running away, and "how often do you miss school" is one of school's
    phrasings: every question about leaving home was read as the school question."""
    reading = matchers["youth"].read(typed)
    assert reading.step == "open_stay_sleep", reading.ranked
    assert "open_school" not in [m.step for m in reading.ranked]


def test_match_reads_lines_from_standard_input_and_prints_one_json_per_line(cli, monkeypatch):
    lines = ["where are you staying", "tell me more about that", "were you trafficked?",
             "nice shoes", "", "ok"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, err = cli("practice", "match", "boyfriend")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == len(lines)
    assert all(set(r) == {"typed", "step", "score", "labelling", "follow_up"} for r in rows)
    assert rows[0]["step"] == "open_staying" and rows[0]["score"] > 0.3
    assert rows[1]["follow_up"] and rows[1]["step"] is None
    assert rows[2]["labelling"]
    assert rows[3]["step"] is None and rows[5]["step"] is None
    assert rows[4] == {"typed": "", "step": None, "score": 0.0, "labelling": False,
                       "follow_up": False}


def test_match_with_text_says_the_question_it_asks(cli):
    code, out, err = cli("practice", "match", "boyfriend", "has", "anyone", "paid", "you",
                         "for", "sex")
    assert code == 0, err
    assert "spec_paid_for_sex" in out and "Has anyone ever paid" in out
    code, out, _ = cli("practice", "match", "boyfriend", "is he your pimp?", "--json")
    row = json.loads(out)
    assert row["labelling"] is True and set(row) == {"typed", "step", "score", "labelling",
                                                     "follow_up"}
    code, out, _ = cli("practice", "match", "boyfriend", "nice", "shoes")
    assert code == 0 and "no question of the interview" in out


def test_a_typed_line_cannot_smuggle_terminal_controls_into_the_json(cli, monkeypatch):
    """A trainee's line is echoed back in `typed`: a C1 CSI or a bidi override in it is written
    as an escape, never raw to the terminal, and reads back as typed."""
    typed = "where are you staying \u009b2J \u202eevil"
    monkeypatch.setattr("sys.stdin", io.StringIO(typed + "\n"))
    code, out, err = cli("practice", "match", "boyfriend")
    assert code == 0, err
    assert "\u009b" not in out and "\u202e" not in out and "\\u009b2J" in out
    assert json.loads(out)["typed"] == typed


def test_match_errors_are_one_message(cli, monkeypatch):
    code, _, err = cli("practice", "match")
    assert code == 1 and "usage: csec-interview practice match SCENARIO [TEXT...]" in err
    code, _, err = cli("practice", "match", "boyfrend", "hello")
    assert code == 1 and "did you mean 'boyfriend'?" in err and "Traceback" not in err
    monkeypatch.setattr("sys.stdin", io.BytesIO(b"\xff\xfe where\n"))
    code, out, err = cli("practice", "match", "boyfriend")
    assert "Traceback" not in err


def test_the_benchmark_prints_the_practice_figures():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "scripts/bench.py", "--practice"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    figures = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert float(figures["practice_matcher_top1_held_out"].split()[0]) >= 0.90
    assert float(figures["practice_matcher_top1_tuned"].split()[0]) >= 0.95
    assert int(figures["practice_off_topic_matched"].split()[0]) <= 3
    empty = [k for k in figures if k.startswith("practice_score_empty_")]
    assert len(empty) >= 12 and all(figures[k] == "0" for k in empty)
    assert all(figures[k.replace("empty", "perfect")] == "100" for k in empty)
