"""The state machine of a flow, built with `transitions`.

States are the flow's step ids plus `done`. Every move is a transition of this machine:
- `advance(answer=...)`: along the route `interview.content.routing.route` picks for the answer
  (one transition per route of the flow's answer graph, `routing.routes`);
- `jump(section=...)`: to the first step of a section (one transition per source step, whose
  destination is read from the trigger: one per pair of step and section cost ~1,800 transitions
  for the youth flow, built before the first screen);
- `reread()`: back to the confidentiality script;
- `go(to=...)`: to one step named when the move is made: back along the worker's own path, the
  return after a re-read, a question the worker picks. One transition per source step whose
  destination is read from the trigger (a transition for every pair of steps would be n²).
Every transition has the same one condition, `routing.may_enter`, so no youth question can be
reached before the confidentiality script is acknowledged, whatever the route. Ask first with
the model's `may_<trigger>(...)`.

The model a machine moves must have `flow` and `answers` (step id -> Answer) attributes.
One machine is built per flow and shared by the cursors of all its sessions (transitions supports
many models per machine), so starting a session costs microseconds, not milliseconds.
"""

from __future__ import annotations

from transitions import Machine, Transition

from interview.content import model as m
from interview.content import routing
from interview.content.routing import DONE

__all__ = ["DONE", "build_machine", "machine_for"]

_machines: dict[int, tuple[m.Flow, Machine]] = {}


class _Transition(Transition):
    """A transition whose destination, when `destination_from` is given, is read from the
    trigger's arguments (`to=` a step, `section=` a section) when the move is made."""

    def __init__(self, *args, destination_from=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.destination_from = destination_from

    def destination(self, event_data) -> str | None:
        return self.destination_from(event_data) if self.destination_from else self.dest

    def _change_state(self, event_data):
        if not self.destination_from:
            return super()._change_state(event_data)
        machine, dest = event_data.machine, self.destination(event_data)
        machine.get_state(self.source).exit(event_data)
        machine.set_state(dest, event_data.model)
        event_data.update(getattr(event_data.model, machine.model_attribute))
        machine.get_state(dest).enter(event_data)


class _FlowMachine(Machine):
    transition_cls = _Transition


def _gate(event) -> bool:
    """The condition of every transition: the destination exists and the gate lets it in."""
    flow: m.Flow = event.model.flow
    dest = event.transition.destination(event)
    return (dest == DONE or dest in flow.by_id) and routing.may_enter(flow, dest, event.model.answers)


def _chosen(flow: m.Flow, route: routing.Route):
    step = flow.by_id[route.source]

    def check(event) -> bool:
        return routing.route(flow, step, {step.id: event.kwargs.get("answer")}) == route
    return check


def _named_step(event) -> str | None:
    return event.kwargs.get("to")


def _section_start(flow: m.Flow):
    starts = {section.id: section.steps[0] for section in flow.sections if section.steps}

    def start(event) -> str | None:
        return starts.get(event.kwargs.get("section"))
    return start


def build_machine(flow: m.Flow) -> Machine:
    states = [s.id for s in flow.steps] + [DONE]
    machine = _FlowMachine(model=None, states=states, initial=flow.steps[0].id,
                           auto_transitions=False, send_event=True, model_attribute="state",
                           ignore_invalid_triggers=True)
    for step in flow.steps:
        for route in routing.routes(flow, step):
            machine.add_transition("advance", step.id, route.dest,
                                   conditions=[_chosen(flow, route), _gate])
    machine.add_transition("jump", "*", "=", conditions=[_gate],
                           destination_from=_section_start(flow))
    if flow.gate:
        machine.add_transition("reread", "*", flow.gate, conditions=[_gate])
    machine.add_transition("go", "*", "=", conditions=[_gate], destination_from=_named_step)
    return machine


def machine_for(flow: m.Flow) -> Machine:
    """The shared machine of a flow (built on first use)."""
    cached = _machines.get(id(flow))
    if cached is None or cached[0] is not flow:
        cached = (flow, build_machine(flow))
        _machines[id(flow)] = cached
    return cached[1]
