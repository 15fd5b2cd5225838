"""A session that recorded one of the shipped example answer files (flows/examples/), through the
engine API: facts, then each answer in flow order, then the observations. Fictional cases."""

from __future__ import annotations

from pathlib import Path

from interview.content.yamlsafe import jsonable
from interview.engine.case import build_record, read_case_file
from interview.engine.session import Session

EXAMPLES = Path(__file__).resolve().parent.parent / "flows" / "examples"


def session_of(library, example: str, **facts) -> Session:
    data = read_case_file(EXAMPLES / f"{example}.yaml")
    record = build_record(library, data)
    session = Session(library, record.flow.id)
    session.set_facts(**jsonable(data.get("context") or {}), **facts)
    for step_id, a in record.answers.items():
        value = () if record.flow.by_id[step_id].kind == "open" else (a.value,)
        session.edit(step_id, *value, text=a.text, cues=list(a.cues))
    for red_flag, note in record.observations.items():
        session.observe(red_flag, note)
    return session
