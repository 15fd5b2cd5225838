"""A Mermaid state diagram of a flow, drawn from its routes (`interview.content.routing`, the
same routes the engine's state machine is built from), so a county or a trainer can review a flow
without reading YAML."""

from __future__ import annotations

from interview.content import model as m
from interview.content.routing import DONE, gated_steps, routes


def mermaid(flow: m.Flow) -> str:
    gated = gated_steps(flow)
    lines = ["stateDiagram-v2", f"    %% {flow.title} ({flow.id}): answer paths; the worker can "
             "also go back, skip, jump to a section and re-read the script"]
    for section in flow.sections:
        lines.append(f"    state \"{section.title}\" as section_{section.id} {{")
        for step_id in section.steps:
            step = flow.by_id[step_id]
            lines.append(f"        {step_id}: {step_id} [{step.kind}, {step.audience}]")
        lines.append("    }")
    lines.append(f"    [*] --> {flow.steps[0].id}")
    for step in flow.steps:
        for route in routes(flow, step):
            label = route.condition
            if route.dest in gated:
                label = (label + " " if label else "") + "(after the script)"
            lines.append(f"    {step.id} --> {route.dest}" + (f": {label}" if label else ""))
    lines.append(f"    {DONE} --> [*]")
    return "\n".join(lines)
