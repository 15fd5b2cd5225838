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
