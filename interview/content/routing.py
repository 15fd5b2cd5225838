"""Where a flow goes next, and the confidentiality gate: the one place both are decided.

`route` is the routing function: given a flow, a step and the answers, the step the interview
moves to and the condition that chose it. `routes` lists every route out of a step (the flow's
answer graph). The engine's state machine is built from `routes` and fires the one `route`
picks; `validate` walks `routes` to find steps no answer reaches; the diagram draws them.

`may_enter` is the gate: no youth question after the confidentiality script can be entered
until the script has been read and acknowledged. Every move the engine makes (answering,
going back, jumping to a section or a step, returning after a re-read) is guarded by it.

It lives with the content, not the engine, because it is a fact about a flow, and the validator
(which must not import the engine) needs it too.
"""

from __future__ import annotations

from typing import Mapping

from interview.content import model as m
from interview.lazy_dataclass import dataclass

DONE = "done"

_gated: dict[int, tuple[m.Flow, frozenset[str]]] = {}


@dataclass(frozen=True, slots=True)
class Route:
    """One way out of a step: to `dest` (a step id, or DONE after the last step), taken when the
    step was answered `answer` (its branch), or with `answer` None whatever no branch claims."""
    source: str
    dest: str
    answer: str | None = None

    @property
    def condition(self) -> str:
        """The condition that chooses this route, in words ("" for the next step in order)."""
        return "" if self.answer is None else self.answer


def in_order(flow: m.Flow, step: m.Step) -> str:
    """The step written after this one, or DONE after the last."""
    return flow.steps[step.index + 1].id if step.index + 1 < len(flow.steps) else DONE


def _answer_value(answer) -> str | None:
    """An answer's value, whether given as an Answer, a plain value, or not at all."""
    return getattr(answer, "value", answer)


def route(flow: m.Flow, step: m.Step, answers: Mapping[str, object]) -> Route:
    """Where answering `step` leads, given the answers (step id -> Answer or value).

    The step's branch for its answer wins; a branch whose target names nothing (reported by
    `validate`) and an answer no branch claims both go to the next step in order.
    """
    value = _answer_value(answers.get(step.id))
    for answer, target in step.branch:
        if answer == value:
            return Route(step.id, flow.resolve_target(target) or in_order(flow, step), answer)
    return Route(step.id, in_order(flow, step))


def routes(flow: m.Flow, step: m.Step) -> list[Route]:
    """Every route out of a step, branches first: the edges of the flow's answer graph.

    The route in order is left out only where no answer can take it (a closed step whose branch
    names every possible answer)."""
    out = [route(flow, step, {step.id: answer}) for answer, _ in step.branch]
    claimed = {answer for answer, _ in step.branch}
    if step.kind != "closed" or any(a not in claimed for a in m.ANSWERS):
        out.append(Route(step.id, in_order(flow, step)))
    return out


def gated_steps(flow: m.Flow) -> frozenset[str]:
    """The steps that may only be entered once the confidentiality script is acknowledged:
    every youth question after the script."""
    cached = _gated.get(id(flow))
    if cached is None or cached[0] is not flow:
        steps: frozenset[str] = frozenset()
        if flow.gate and flow.gate in flow.by_id:
            gate_index = flow.by_id[flow.gate].index
            steps = frozenset(s.id for s in flow.steps
                              if s.audience == "youth" and s.is_question and s.index > gate_index)
        cached = _gated[id(flow)] = (flow, steps)
    return cached[1]


def gate_acknowledged(flow: m.Flow, answers: Mapping[str, object]) -> bool:
    """Whether the confidentiality script was read and the youth's acknowledgement recorded."""
    return bool(flow.gate) and _answer_value(answers.get(flow.gate)) == "yes"


def may_enter(flow: m.Flow, dest: str, answers: Mapping[str, object]) -> bool:
    """THE gate: whether the interview may move to `dest` given the answers so far."""
    return dest not in gated_steps(flow) or gate_acknowledged(flow, answers)
