"""The headless CLI: its JSON contract, and one clear message for every bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

GOOD = {"flow": "youth", "context": {"date_of_birth": "2010-01-01", "interview_date": "2025-01-10"},
        "answers": {"confidentiality_script": "yes", "spec_paid_for_sex": "yes"}}


def write(tmp_path, data, name="case.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_questions_json_lists_every_step_in_flow_order_with_the_documented_keys(cli, library):
    code, out, _ = cli("questions", "youth", "--json")
    steps = json.loads(out)
    assert code == 0
    assert [s["id"] for s in steps] == [s.id for s in library.flows["youth"].steps]
    for s in steps:
        assert {"id", "kind", "audience", "section", "text", "cues", "indicates_on_yes",
                "source"} <= set(s)
        assert s["kind"] in ("script", "open", "closed", "observation", "facts")
        assert set(s["indicates_on_yes"]) == {"red_flags", "at_risk", "disclosures"}
        for cue in s["cues"]:
            assert set(cue) == {"id", "label", "indicates"}
    script = next(s for s in steps if s["id"] == "confidentiality_script")
    assert "hotline" in script["text"]  # the script's text is filled in from its file


def test_questions_text_output_names_the_kind(cli):
    code, out, _ = cli("questions", "caregiver")
    assert code == 0 and "[script] caregiver_framing" in out and "[closed]" in out


def test_red_flags_json(cli):
    code, out, _ = cli("red-flags", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 39
    assert set(rows[0]) == {"id", "row", "label", "columns", "source"}


def test_assess_several_files_prints_json_lines(cli, tmp_path):
    a = write(tmp_path, GOOD, "a.json")
    b = write(tmp_path, {"flow": "caregiver", "answers": {"cg_runs_away": "yes"}}, "b.json")
    code, out, _ = cli("assess", a, b, "--json")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert [json.loads(line)["flow"] for line in lines] == ["youth", "caregiver"]
    first = json.loads(lines[0])
    assert set(first) >= {"red_flags", "at_risk", "disclosures", "csec_type", "next_steps"}
    assert set(first["at_risk"]) >= {"met", "indicators", "branch", "evidence"}
    assert set(first["disclosures"]) >= {"sex_trafficking", "labor_trafficking",
                                         "criminal_activity", "evidence"}
    assert set(first["csec_type"]) >= {"type", "start_date", "end_date"}
    for step in first["next_steps"]:
        assert set(step) >= {"id", "action", "who", "deadline", "source"}


def test_assess_accepts_yaml_with_bare_yes_and_no(cli, tmp_path):
    path = write(tmp_path, "flow: youth\nanswers:\n  confidentiality_script: yes\n"
                 "  spec_paid_for_sex: no\n  spec_gang: yes\n", "case.yaml")
    code, out, err = cli("assess", path, "--json")
    assert code == 0, err
    assert json.loads(out)["red_flags"][0]["id"] == "gang_drug_crime_ties"


BAD_INPUTS = [
    ({**GOOD, "flow": "yuth"}, "flow: 'yuth' is not a flow; did you mean 'youth'?"),
    ({**GOOD, "answers": {"spec_paid_for_sexx": "yes"}},
     "answers.spec_paid_for_sexx: no such question in the 'youth' flow; did you mean 'spec_paid_for_sex'?"),
    ({**GOOD, "answers": {"spec_paid_for_sex": "maybe"}},
     "answers.spec_paid_for_sex: 'maybe' is not an answer to this closed step; use yes or no or declined or unsure"),
    ({**GOOD, "answers": {"open_staying": {"text": "x", "cues": ["couch"]}}},
     "answers.open_staying.cues: 'couch' is not a cue of this question"),
    ({**GOOD, "answers": {"confidentiality_script": "no"}},
     "answers.confidentiality_script: 'no' is not an answer to this script step; use yes once it has been read"),
    ({**GOOD, "observations": ["crown_tattoo"]},
     "observations: 'crown_tattoo' is not a red-flag id"),
    ({**GOOD, "context": {"date_of_birth": "2010-02-30"}},
     "context.date_of_birth: '2010-02-30' is not a real date: February 2010 has no day 30 "
     "(it has 28); check the day"),
    ({**GOOD, "context": {"date_of_birth": "2010-13-01"}},
     "context.date_of_birth: '2010-13-01' is not a real date: there is no month 13"),
    ({**GOOD, "context": {"date_of_birth": "1990-01-01", "interview_date": "2025-10-21"}},
     "context.date_of_birth: 1990-01-01 makes the child 35 on the interview date 2025-10-21, "
     "older than a child or non-minor dependent (0 to 21); check the year"),
    ({**GOOD, "context": {"date_of_birth": "2003-10-21", "interview_date": "2025-10-21"}},
     "context.date_of_birth: 2003-10-21 makes the child 22"),
    ({**GOOD, "context": {"interview_date": "2025-10-21",
                          "absence": {"left": "2025-10-01", "returned": "2025-11-19"}}},
     "context.absence.returned: 2025-11-19 is after the interview date 2025-10-21"),
    ({**GOOD, "context": {"date_of_birth": "01/02/2010"}}, "context.date_of_birth: '01/02/2010' is not a date"),
    ({**GOOD, "context": {"date_of_birth": "2020-01-01", "interview_date": "2019-01-01"}},
     "context.date_of_birth: 2020-01-01 is after the interview date 2019-01-01: the child is "
     "not yet born on it; check the year"),
    ({**GOOD, "context": {"interview_date": "2999-01-01"}},
     "context.interview_date: 2999-01-01 is in the future"),
    ({**GOOD, "context": {"absence": {"left": "2024-05-10", "returned": "2024-05-01"}}},
     "context.absence.returned: 2024-05-01 is before the day the child left, 2024-05-10"),
    ({**GOOD, "context": {"case_status": "foster"}}, "context.case_status: 'foster' is not a case status"),
    ({**GOOD, "context": {"birthday": "2010-01-01"}}, "context: unknown case fact 'birthday'"),
    ({**GOOD, "answer": {}}, "unknown key 'answer'; did you mean 'answers'?"),
    ({**GOOD, "overrides": [{"finding": "at_risk:Z", "decision": "reject", "reason": "x"}]},
     "overrides.finding: 'Z' is not a known at risk"),
    ({**GOOD, "overrides": [{"finding": "at_risk:A", "decision": "reject"}]},
     "overrides: at_risk:A needs a reason"),
    ({**GOOD, "overrides": [{"finding": "at_risk:A", "decision": "delete", "reason": "x"}]},
     "overrides.decision: 'delete' must be confirm or reject"),
    ([1, 2], "the file must be a mapping"),
]


@pytest.mark.parametrize("data,message", BAD_INPUTS, ids=[m[:40] for _, m in BAD_INPUTS])
def test_bad_input_gets_one_clear_message(cli, tmp_path, data, message):
    path = write(tmp_path, data)
    code, out, err = cli("assess", path, "--json")
    assert code == 1 and out == ""
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err  # names the file


def test_bad_files(cli, tmp_path):
    code, _, err = cli("assess", tmp_path / "missing.yaml")
    assert code == 1 and "answer file not found" in err
    code, _, err = cli("assess", write(tmp_path, '{"flow": "youth",', "broken.json"))
    assert code == 1 and "JSON syntax" in err
    code, _, err = cli("assess", write(tmp_path, "flow: [youth\n", "broken.yaml"))
    assert code == 1 and "YAML syntax" in err and "broken.yaml:2" in err
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (1024 * 1024) + b"\n")
    code, _, err = cli("assess", big)
    assert code == 1 and "1 MiB" in err


def test_one_bad_file_among_several_prints_no_partial_results(cli, tmp_path):
    good = write(tmp_path, GOOD, "good.json")
    bad = write(tmp_path, {**GOOD, "flow": "nope"}, "bad.json")
    code, out, err = cli("assess", good, bad, "--json")
    assert code == 1 and out == "" and "bad.json" in err


def test_unknown_flow_and_usage_errors(cli):
    code, _, err = cli("questions", "hotlin")
    assert code == 1 and "flow 'hotlin' not found" in err
    with pytest.raises(SystemExit) as exc:
        cli("assess")
    assert exc.value.code == 2


def test_typed_text_cannot_smuggle_escape_sequences_into_the_summary(cli, tmp_path):
    path = write(tmp_path, {**GOOD, "overrides": [
        {"finding": "at_risk:A", "decision": "confirm",
         "reason": "He answered for her \x1b[2J\x1b]0;owned\x07 [bold]x[/bold]"}]})
    code, out, _ = cli("assess", path)
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "He answered for her" in out and "[bold]x[/bold]" in out  # shown literally


def test_typed_text_cannot_smuggle_terminal_controls_into_the_json(cli, tmp_path):
    """JSON escapes C0 controls itself; a C1 CSI (U+009B) or a bidi override typed in a reason
    would reach a terminal raw, so they are written as escapes too. The data is unchanged."""
    reason = "He answered for her \u009b2J \u202eevil\u202c \u2028 [bold]x[/bold] \u00a7 \u2019"
    path = write(tmp_path, {**GOOD, "overrides": [
        {"finding": "at_risk:A", "decision": "confirm", "reason": reason}]})
    code, out, _ = cli("assess", path, "--json")
    assert code == 0
    assert not any(ch in out for ch in "\u009b\u202e\u202c\u2028\x1b")
    assert "\\u009b2J" in out and "\\u202eevil" in out
    assert "\u00a7 \u2019" in out  # ordinary non-ASCII stays readable
    assert json.loads(out)["overrides"][0]["reason"] == reason


def test_the_real_entry_point_runs(tmp_path):
    path = write(tmp_path, GOOD)
    result = subprocess.run([sys.executable, "-m", "interview", "assess", str(path), "--json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["disclosures"]["sex_trafficking"] is True


def test_an_unknown_county_lists_the_known_ones(cli):
    code, _, err = cli("--county", "mars", "red-flags")
    assert code == 1
    assert "county 'mars' not found" in err and "los-angeles, orange" in err


@pytest.mark.parametrize("command", [["--store", "S"], ["--store", "S", "interview", "youth"],
                                     ["sessions", "list", "--store", "S"]])
def test_a_mistyped_county_is_refused_when_the_command_line_is_read(cli, tmp_path, command):
    # Before: the app asked for the passphrase and only failed when an interview started.
    store = str(tmp_path / "s")
    code, out, err = cli("--county", "orang", *[store if a == "S" else a for a in command])
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "county 'orang' not found" in err and "did you mean 'orange'?" in err
    assert "default, los-angeles, orange" in err and "terminal" not in err


def test_a_county_file_that_is_not_there_is_named(cli, tmp_path):
    code, _, err = cli("--county", tmp_path / "mine.yaml", "red-flags")
    assert code == 1 and f"--county {tmp_path / 'mine.yaml'}: county file not found" in err
    code, out, _ = cli("--county", "orange", "red-flags")  # the good one beside it
    assert code == 0 and "Red Flags chart" in out


@pytest.mark.slow
def test_the_benchmark_runs_and_prints_its_figures():
    # Quick mode; every figure but sync's, which starts a PostgreSQL of its own and has its own
    # test (test_county_sync.py).
    only = ("flows_load_ms,step_*,assess_per_s,tui_*,save_*,unlock_ms,aggregate_*,practice_*,"
            "matcher_es_*")
    result = subprocess.run([sys.executable, "scripts/bench.py", "--repeat", "1",
                             "--aggregate-sessions", "40", "--only", only], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    own = ("practice_", "matcher_es_")     # practice's figures: their own test files
    practice = [line for line in lines if line.startswith(own)]
    assert any(line.startswith("matcher_es_top1_heldout: ") for line in practice)
    lines = [line for line in lines if not line.startswith(own)]  # ditto
    assert not any(line.startswith("sync_") for line in lines)
    names = [line.split(":")[0] for line in lines]
    assert names == ["flows_load_ms", "step_p50_us", "step_p99_us", "assess_per_s",
                     "tui_first_screen_ms", "tui_baseline_ms", "tui_ratio",
                     "save_event_p50_ms", "save_event_p99_ms", "unlock_ms", "aggregate_40_s"]
    assert all(float(line.split(":")[1]) > 0 for line in lines)
    assert practice and result.stdout.rstrip().endswith(practice[-1])


def test_an_internal_error_is_one_message_not_a_traceback(cli, monkeypatch):
    import interview.cli.content as cli_module

    def broken(args):
        raise KeyError("boom")

    monkeypatch.setattr(cli_module, "cmd_red_flags", broken)
    monkeypatch.delenv("CSEC_INTERVIEW_DEBUG", raising=False)
    code, _, err = cli("red-flags")
    assert code == 1 and "internal error (KeyError" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    [], ["--store", "/tmp/s", "--lang", "es"], ["interview", "youth"],
    ["--lang=es", "--county", "orange", "interview", "caregiver", "--from-hotline", "abc"],
    ["--lock-minutes", "0", "--store=/tmp/s", "interview", "hotline"],
    ["validate", "flows/youth.yaml", "--allow-missing-translations"],
    ["questions", "youth", "--lang", "es", "--json"], ["red-flags", "--json"],
    ["run", "youth", "--answers", "a.yaml", "--delay-ms", "5", "--store", "s"],
    ["sessions", "show", "abc", "--json"], ["aggregate", "--from", "2026-01-01", "--csv"],
    ["report", "abc", "--format", "html", "--part", "mdt", "-o", "r.html"],
    ["diagram", "youth"], ["passphrase", "--store", "s"], ["audit", "verify"],
    ["practice", "serve", "--port", "9000", "--max-trainees", "3"], ["assess", "a.yaml"],
    ["sync", "--db", "postgresql://u@h/db"], ["county", "sessions", "--db", "x", "--key", "k"],
    ["handoff", "abc", "--to", "jdoe"],
])
def test_the_quick_parser_for_one_command_reads_argv_as_the_whole_parser_does(argv):
    """main builds only the command it runs (start-up time); it must read the same."""
    from interview.cli import build_parser, command_named

    only = command_named(argv)
    assert only is not None
    assert vars(build_parser(only).parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_every_command_the_parser_offers_has_a_runner_and_the_other_way_round():
    from interview.cli import COMMANDS, build_parser

    offered = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert set(offered) == set(COMMANDS) - {None}


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["--sto", "x", "interview"],
                                  ["intervew", "youth"], ["-h", "interview"]])
def test_help_an_abbreviation_or_an_unknown_command_takes_the_whole_parser(argv):
    from interview.cli import command_named

    assert command_named(argv) is None


def test_practice_export_of_a_missing_file_says_the_file_is_missing(cli, tmp_path):
    # Before: "its folder does not exist", when the folder was there and the file was not.
    code, out, err = cli("practice", "export", tmp_path / "nosuch.jsonl")
    assert code == 1 and out == ""
    assert f"{tmp_path / 'nosuch.jsonl'}: no such file" in err and "folder" not in err
    code, _, err = cli("practice", "export", tmp_path / "nodir" / "nosuch.jsonl")
    assert code == 1 and f"the folder {tmp_path / 'nodir'} does not exist" in err
    (tmp_path / "class.jsonl").write_text("")  # the good one beside them: an empty class
    code, out, _ = cli("practice", "export", tmp_path / "class.jsonl")
    assert code == 0 and out.startswith("trainee,scenario")
