"""Read an `assess` input file into a Record: `{flow, context, answers, observations, overrides}`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from interview.content import model as m
from interview.errors import suggest
from interview.content.yamlsafe import parse_yaml, read_text_limited
from interview.engine.record import Record, check_answer, check_observation, check_override, \
    parse_context
from interview.errors import ContentError, InputError

CASE_KEYS = ("flow", "context", "answers", "observations", "overrides", "note")


def read_case_file(path: Path) -> Any:
    """Parse a YAML or JSON answer file (safe loading, 1 MiB limit)."""
    try:
        text = read_text_limited(path, "answer file")
        if path.suffix.lower() == ".json":
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{exc.lineno}: JSON syntax: {exc.msg}") from None
        return parse_yaml(text, str(path))
    except ContentError as exc:
        raise InputError(str(exc.problems[0]).replace("\n    fix:", ";")) from None


def build_record(library: m.Library, data: Any) -> Record:
    """Check every field of an answer set and build the Record the rules read."""
    if not isinstance(data, dict):
        raise InputError("the file must be a mapping with `flow`, `context`, `answers`, "
                         "`observations` and `overrides`")
    for key in data:
        if key not in CASE_KEYS:
            raise InputError(f"unknown key {key!r}; "
                             + (suggest(key, CASE_KEYS) or f"use {', '.join(CASE_KEYS)}"))
    flow_id = data.get("flow")
    if flow_id not in library.flows:
        hint = suggest(flow_id, library.flows)
        raise InputError(f"flow: {flow_id!r} is not a flow; "
                         + (hint or f"flows: {', '.join(sorted(library.flows))}"))
    record = Record(library.flows[flow_id], context=parse_context(data.get("context")))
    answers = data.get("answers") or {}
    if not isinstance(answers, dict):
        raise InputError("answers: must be a mapping of question id to answer")
    for step_id, raw in answers.items():
        record.answers[str(step_id)] = check_answer(record.flow, str(step_id), raw)
    observations = data.get("observations") or []
    if isinstance(observations, dict):
        items = [(k, str(v or "")) for k, v in observations.items()]
    elif isinstance(observations, list):
        items = [(k, "") for k in observations]
    else:
        raise InputError("observations: must be a list of red-flag ids (or id: note)")
    for red_flag, note in items:
        record.observations[check_observation(library.red_flags, red_flag)] = note
    overrides = data.get("overrides") or []
    if not isinstance(overrides, list):
        raise InputError("overrides: must be a list")
    for raw in overrides:
        override = check_override(library, raw)
        record.overrides[override.finding] = override
    return record


def load_case(library: m.Library, path: Path) -> Record:
    try:
        return build_record(library, read_case_file(path))
    except InputError as exc:
        message = str(exc)
        raise InputError(message if message.startswith(str(path)) else f"{path}: {message}") from None
