"""What a new user meets first on the command line: the help says what each command, argument
and flag is; `run` takes its flow from the answer file and says once what it saved; a session
is named by a unique start of its id. The cases are the fictional examples in flows/examples."""

from __future__ import annotations

import argparse
import json
import re

import pytest

from interview.cli import build_parser, main
from interview.engine.case import read_case_file
from stores import PASSPHRASE, SURVIVAL, store_dir, unlocked  # noqa: F401
from test_county_handoff import hand_off, screened
from test_county_read import county  # noqa: F401 - the shared fixture

EXAMPLES = SURVIVAL.parent


def help_of(capsys, monkeypatch, *args: str) -> str:
    """`csec-interview ARGS --help`, on a terminal wide enough that no line wraps."""
    monkeypatch.setenv("COLUMNS", "1000")
    with pytest.raises(SystemExit) as done:
        main([*args, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


# --- 1. the top-level help says what `county` has ----------------------------------------------

def test_the_top_level_help_names_every_county_action(capsys, monkeypatch):
    county = help_of(capsys, monkeypatch, "county")
    actions = re.findall(r"^    (\S+)\s", county, flags=re.M)
    assert {"init", "add-user", "sessions", "show", "aggregate", "review"} <= set(actions)
    top = help_of(capsys, monkeypatch)
    line = next(x for x in top.splitlines() if x.strip().startswith("county "))
    for action in actions:
        assert re.search(rf"\b{re.escape(action)}\b", line), (action, line)
    assert "supervisors" in line and "administrator" in line


# --- 2. every argument and flag says what it is -----------------------------------------------

def _arguments(parser, path=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _arguments(sub, (*path, name))
        elif not isinstance(action, argparse._HelpAction):
            yield " ".join(path), action


def test_every_argument_and_flag_of_every_command_has_a_help_text():
    missing = [f"{command} {'/'.join(a.option_strings) or a.dest}"
               for command, a in _arguments(build_parser()) if not (a.help or "").strip()]
    assert not missing, missing


@pytest.mark.parametrize("command", ["questions", "diagram", "run", "interview"])
def test_the_help_of_a_flow_argument_names_the_flows_the_content_has(capsys, monkeypatch,
                                                                     library, command):
    out = help_of(capsys, monkeypatch, command)
    line = next(x for x in out.splitlines() if x.strip().startswith("flow "))
    assert all(flow_id in line for flow_id in library.flows), line
    assert "{flows}" not in out


@pytest.mark.parametrize("command, words", [
    ("assess", ["FILE", "an answer file (YAML or JSON)", "flows/examples/"]),
    ("validate", ["PATH", "a content file to check", "none: all the shipped content"]),
    ("red-flags", ["--json", "JSON list"]),
    ("sessions", ["--json", "as JSON"]),
    ("aggregate", ["--json", "--csv", "the table as CSV"]),
])
def test_positionals_and_json_flags_say_what_they_are(capsys, monkeypatch, command, words):
    out = help_of(capsys, monkeypatch, command)
    for word in words:
        assert word in out, (word, out)
    # The flag's line carries its text (not a bare `--json`).
    assert not re.search(r"^\s+--json\s*$", out, flags=re.M), out


def test_a_mistyped_county_in_the_environment_does_not_hide_the_flows_from_help(
        capsys, monkeypatch, library):
    monkeypatch.setenv("CSEC_INTERVIEW_COUNTY", "nowhere")
    out = help_of(capsys, monkeypatch, "questions")
    assert all(flow_id in out for flow_id in library.flows), out


# --- 3. `run`: the flow comes from the file; one line says what was saved -----------------------

def _run(cli, folder, passfile, *args):
    return cli("run", *args, "--store", folder, "--passphrase-file", passfile)


def test_run_takes_the_flow_from_the_answer_file_and_says_once_what_it_saved(cli, store_dir):
    folder, passfile = store_dir
    code, out, err = _run(cli, folder, passfile, "--answers", SURVIVAL)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1, out
    sid, count = re.fullmatch(r"session ([0-9a-f]{16}): (\d+) events saved", lines[0]).groups()
    log = unlocked(folder).open_session(sid, writable=False)
    assert log.flow == "youth" and len(log.events) == int(count) > 1


def test_run_with_the_flow_the_file_names_is_the_same(cli, store_dir):
    folder, passfile = store_dir
    code, out, err = _run(cli, folder, passfile, "youth", "--answers", SURVIVAL)
    assert code == 0, err
    assert len(out.splitlines()) == 1 and out.startswith("session ")


def test_run_with_another_flow_than_the_file_names_is_one_message_and_saves_nothing(cli,
                                                                                    store_dir):
    folder, passfile = store_dir
    code, out, err = _run(cli, folder, passfile, "caregiver", "--answers", SURVIVAL)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "for the 'youth' flow, not 'caregiver'" in err and "leave the flow out" in err
    assert unlocked(folder).list() == []


def test_run_with_a_file_that_names_no_flow_says_how_to_name_it(cli, store_dir, tmp_path,
                                                               library):
    folder, passfile = store_dir
    answers = tmp_path / "no-flow.yaml"
    answers.write_text("answers:\n  confidentiality_script: yes\n")
    code, out, err = _run(cli, folder, passfile, "--answers", answers)
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "names no flow" in err and "add a line `flow: youth`" in err
    assert all(f in err for f in library.flows)
    assert unlocked(folder).list() == []


def test_run_for_crash_tests_still_acknowledges_each_event_as_it_is_saved(cli, store_dir):
    folder, passfile = store_dir
    code, out, err = _run(cli, folder, passfile, "youth", "--answers", SURVIVAL, "--delay-ms",
                          "0")
    assert code == 0, err
    *acks, last = out.splitlines()
    count = int(re.fullmatch(r"session [0-9a-f]{16}: (\d+) events saved", last).group(1))
    assert acks == [f"saved {n}" for n in range(1, count + 1)]


# --- 4. a unique start of a session id names the session ---------------------------------------

@pytest.fixture
def two_saved(cli, store_dir):
    """A store with two interviews saved by `run`: (folder, passphrase file, [ids])."""
    folder, passfile = store_dir
    ids = []
    for example in (SURVIVAL, EXAMPLES / "no-concern.yaml"):
        flow = read_case_file(example)["flow"]
        code, out, err = _run(cli, folder, passfile, flow, "--answers", example)
        assert code == 0, err
        ids.append(out.strip().splitlines()[-1].split()[1].rstrip(":"))
    return folder, passfile, ids


def _store(folder, passfile):
    return ["--store", str(folder), "--passphrase-file", str(passfile)]


def test_sessions_show_and_report_take_a_unique_start_of_the_id(cli, two_saved):
    folder, passfile, ids = two_saved
    for sid in ids:
        code, whole, err = cli("sessions", "show", sid, "--json", *_store(folder, passfile))
        assert code == 0, err
        code, short, err = cli("sessions", "show", sid[:4], "--json", *_store(folder, passfile))
        assert code == 0, err
        assert json.loads(short)["session"] == sid and short == whole
        code, out, err = cli("report", sid[:6], "--format", "json", *_store(folder, passfile))
        assert code == 0, err
        assert json.loads(out)["interview"]["session"] == sid


def test_sessions_delete_takes_a_unique_start_and_says_the_whole_id(cli, two_saved):
    folder, passfile, ids = two_saved
    code, out, err = cli("sessions", "delete", ids[0][:5], "--yes", *_store(folder, passfile))
    assert code == 0, err
    assert out.startswith(f"session {ids[0]} deleted")
    assert [s.id for s in unlocked(folder).list()] == [ids[1]]


def _sharing_a_start(folder, sid: str) -> str:
    """Another session folder whose id starts as `sid` does (as a second interview's may)."""
    other = sid[:4] + ("0" if sid[4] != "0" else "1") + sid[5:]
    (folder / "sessions" / other).mkdir()
    return other


@pytest.mark.parametrize("command", [["sessions", "show"], ["sessions", "delete"], ["report"]])
def test_a_start_of_several_ids_is_one_message_listing_them(cli, two_saved, command):
    folder, passfile, ids = two_saved
    other = _sharing_a_start(folder, ids[0])
    yes = ["--yes"] if command == ["sessions", "delete"] else []
    code, out, err = cli(*command, ids[0][:4], *yes, *_store(folder, passfile))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert ids[0] in err and other in err and ids[1] not in err and "give more of it" in err
    assert sorted(s.id for s in unlocked(folder).list()) == sorted(ids)  # nothing deleted


def test_a_start_of_several_ids_for_from_hotline_is_said_before_the_app_opens(cli, two_saved):
    folder, _, ids = two_saved
    other = _sharing_a_start(folder, ids[0])
    code, out, err = cli("--store", folder, "interview", "youth", "--from-hotline", ids[0][:4])
    assert code == 1 and ids[0] in err and other in err and "give more of it" in err


@pytest.mark.parametrize("given, message", [
    ("ffff", "no session 'ffff' in this store; `csec-interview sessions list` shows them"),
    ("9b8", None),  # too short, or no match: each one message
    ("XYZW", "no session 'XYZW' in this store"),
])
def test_no_match_or_too_short_a_start_is_one_message(cli, two_saved, given, message):
    folder, passfile, ids = two_saved
    if message is None:
        given = ids[0][:3]
        message = "is too short: give at least 4 characters"
    if any(sid.startswith(given) for sid in ids) and len(given) >= 4:
        pytest.skip("a random id starts so")
    code, out, err = cli("sessions", "show", given, *_store(folder, passfile))
    assert code == 1 and out == "" and message in err
    assert len(err.strip().splitlines()) == 1


def test_handoff_takes_a_unique_start_of_the_hotline_screens_id(county):
    """Through a real PostgreSQL (skipped where there is none), as test_county_handoff's."""
    county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    call = screened(county)
    code, out, err = hand_off(county, call[:5], wendy)
    assert code == 0, err
    assert f"Hotline screen {call} handed to {wendy}" in out

