"""The state machine of a flow, built with `transitions`.

States are the flow's step ids plus `done`. Triggers:
- `advance(answer=...)`: to the next step, or where the answer's branch points;
- `jump(section=...)`: to the first step of a section;
- `reread()`: back to the confidentiality script.
Every transition into a youth question is guarded by `gate_open`, so no youth question can be
reached before the confidentiality script is acknowledged, whatever the route. Going back is
not a static transition (it returns to wherever the worker came from) and is done by the session
with `set_state` along its own history; so is going to one step the worker picks (a transition
from every step to every step would be n² of them), behind the same gate check.

One machine is built per flow and shared by the cursors of all its sessions (transitions supports many
models per machine), so starting a session costs microseconds, not milliseconds.
"""

from __future__ import annotations

from transitions import Machine

from interview.content import model as m

DONE = "done"

_machines: dict[int, tuple[m.Flow, Machine]] = {}


def gated_steps(flow: m.Flow) -> frozenset[str]:
    """The steps that may only be reached once the gate script has been acknowledged."""
    if not flow.gate or flow.gate not in flow.by_id:
        return frozenset()
    gate_index = flow.by_id[flow.gate].index
    return frozenset(s.id for s in flow.steps
                     if s.audience == "youth" and s.is_question and s.index > gate_index)


def _answer_is(value: str):
    def check(event) -> bool:
        return event.kwargs.get("answer") == value
    check.__name__ = f"answer_is_{value}"
    return check


def _section_is(section_id: str):
    def check(event) -> bool:
        return event.kwargs.get("section") == section_id
    check.__name__ = f"section_is_{section_id}"
    return check


def build_machine(flow: m.Flow) -> Machine:
    gated = gated_steps(flow)
    states = [s.id for s in flow.steps] + [DONE]
    machine = Machine(model=None, states=states, initial=flow.steps[0].id,
                      auto_transitions=False, send_event=True, model_attribute="state",
                      ignore_invalid_triggers=True)

    def guard(dest: str) -> list:
        return ["gate_open"] if dest in gated else []

    for step in flow.steps:
        nxt = flow.steps[step.index + 1].id if step.index + 1 < len(flow.steps) else DONE
        for answer, target in step.branch:
            dest = flow.resolve_target(target) or nxt
            machine.add_transition("advance", step.id, dest,
                                   conditions=[_answer_is(answer)] + guard(dest))
        machine.add_transition("advance", step.id, nxt, conditions=guard(nxt))
    for section in flow.sections:
        if section.steps:
            first = section.steps[0]
            machine.add_transition("jump", "*", first,
                                   conditions=[_section_is(section.id)] + guard(first))
    if flow.gate:
        machine.add_transition("reread", "*", flow.gate)
    return machine


def machine_for(flow: m.Flow) -> Machine:
    """The shared machine of a flow (built on first use)."""
    cached = _machines.get(id(flow))
    if cached is None or cached[0] is not flow:
        cached = (flow, build_machine(flow))
        _machines[id(flow)] = cached
    return cached[1]

