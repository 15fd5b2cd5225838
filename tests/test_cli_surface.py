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
