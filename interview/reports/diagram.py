"""A Mermaid state diagram of a flow, read off its `transitions` machine, so a county or a
trainer can review a flow without reading YAML."""

from __future__ import annotations

from interview.content import model as m
from interview.engine.machine import DONE, build_machine, gated_steps


def mermaid(flow: m.Flow) -> str:
    machine = build_machine(flow)
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
    for source, transitions in machine.events["advance"].transitions.items():
        for t in transitions:
            labels = [c.func.__name__.removeprefix("answer_is_") for c in t.conditions
                      if callable(c.func) and c.func.__name__.startswith("answer_is_")]
            label = ", ".join(labels)
            if t.dest in gated:
                label = (label + " " if label else "") + "(after the script)"
            lines.append(f"    {source} --> {t.dest}" + (f": {label}" if label else ""))
    lines.append(f"    {DONE} --> [*]")
    return "\n".join(lines)
