"""Read an `assess` input file into a Record: `{flow, context, answers, observations, overrides}`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from interview.content import model as m
from interview.errors import flows_hint, is_one_of, suggest
from interview.content.yamlsafe import parse_yaml, read_text_limited
from interview.record import Record, answer_facts, check_answer, check_fact_answer, \
    check_observation, check_override, check_plausible, context_of, not_a_date, parse_context
from interview.errors import ContentError, InputError

CASE_KEYS = ("flow", "context", "answers", "observations", "overrides", "note")


def read_case_file(path: Path) -> Any:
    """Parse a YAML or JSON answer file (safe loading, 1 MiB limit)."""
    text = ""  # (a file that cannot be read has no line to name)
    try:
        text = read_text_limited(path, "answer file")
        if path.suffix.lower() == ".json":
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{exc.lineno}: JSON syntax: {exc.msg}") from None
            except RecursionError:
                raise InputError(f"{path}: lists or mappings are nested too deeply to be an "
                                 "answer file") from None
            except ValueError:  # over Python's 4,300 digits
                raise InputError(f"{path}: a number is too long to be an answer") from None
        return parse_yaml(text, str(path))
    except ContentError as exc:
        problem = exc.problems[0]
        field = _bad_date(text, problem.line) if problem.line else None
        if field:  # the one date message (record.not_a_date), naming the field as JSON's does
            raise InputError(f"{path}:{problem.line}: {not_a_date(field[1], field[0])}") from None
        raise InputError(str(problem).replace("\n    fix:", ";")) from None


def _bad_date(text: str, line: int) -> tuple[str, str] | None:
    """(the field, as `context.date_of_birth`; what was written) when the YAML problem on
    `line` is a date that does not exist (2026-02-30): YAML reads it as a date, not as text, so
    the YAML reader can say only that it is not one, not in which field."""
    import yaml

    timestamp = "tag:yaml.org,2002:timestamp"
    seen: set[int] = set()  # an alias shares its node: each is walked once (no alias bomb)

    def find(node, where: str):
        if id(node) in seen:
            return None
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found = find(value, f"{where}.{key.value}" if where else str(key.value))
                if found:
                    return found
        elif isinstance(node, yaml.SequenceNode):
            for n, item in enumerate(node.value):
                found = find(item, f"{where}[{n}]")
                if found:
                    return found
        elif (isinstance(node, yaml.ScalarNode) and node.tag == timestamp
              and node.start_mark.line + 1 == line):
            return where, node.value
        return None

    try:  # composing builds nodes only (no object is made): safe; parse_yaml has read it already
        return find(yaml.compose(text, Loader=yaml.SafeLoader), "")
    except (yaml.YAMLError, RecursionError):
        return None


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
    if not is_one_of(flow_id, library.flows):
        raise InputError(f"flow: {flow_id!r} is not a flow; {flows_hint(flow_id, library.flows)}")
    given = data.get("context")
    record = Record(library.flows[flow_id], context=parse_context(given))
    record.facts = {k: v for k, v in (given or {}).items() if v is not None}
    answers = data.get("answers") or {}
    if not isinstance(answers, dict):
        raise InputError("answers: must be a mapping of question id to answer")
    flow = record.flow
    fact_steps = m.derived(flow, "_fact_step_ids",  # most steps record no case fact
                           lambda flow: frozenset(s.id for s in flow.fact_steps))
    for step_id, raw in answers.items():
        step_id = str(step_id)
        answer = check_answer(flow, step_id, raw)
        if step_id in fact_steps:
            check_fact_answer(flow, flow.by_id[step_id], answer, record.facts, record.answers)
        record.answers[step_id] = answer
    if record.flow.fact_steps:
        _same_facts_both_ways(record)
        record.context = context_of(record.flow, record.facts, record.answers)
    check_plausible(record.context)
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


def _same_facts_both_ways(record: Record) -> None:
    """A fact given in `context` and recorded by an answer must say the same thing."""
    recorded = answer_facts(record.flow, record.answers)
    shared = [name for name in recorded if name in record.facts and not m.is_list_fact(name)]
    if not shared:
        return
    from_context = record.context
    from_answers = parse_context({name: recorded[name] for name in shared})
    for name in shared:
        if getattr(from_context, name) != getattr(from_answers, name):
            step = next(s.id for s in record.flow.fact_steps
                        if s.fact == name or any(n == name for c in s.cues for n, _ in c.sets))
            raise InputError(f"context.{name}: {record.facts[name]!r}, but the answer to {step} "
                             f"records {recorded[name]!r}; give it once")


def load_case(library: m.Library, path: Path) -> Record:
    try:
        return build_record(library, read_case_file(path))
    except InputError as exc:
        message = str(exc)
        raise InputError(message if message.startswith(str(path)) else f"{path}: {message}") from None
