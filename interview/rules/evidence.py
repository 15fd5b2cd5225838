"""Gather what each answer, ticked cue and observation indicates, keeping where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from interview.content import model as m
from interview.record import Record


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason behind a finding: an answer, a ticked cue, an observation or an override."""

    kind: str  # "answer", "cue", "observation", "override"
    step: str = ""
    question: str = ""
    answer: str = ""
    cue: str = ""
    label: str = ""
    note: str = ""
    # as_json() of the evidence the flow's table makes once (an answer's, a ticked cue's),
    # shared by every findings' JSON, read and never changed; None for the rest.
    shared_json: dict | None = field(default=None, init=False, repr=False, compare=False)

    def as_json(self) -> dict:
        out = {"from": self.kind}
        if self.step:
            out["step"] = self.step
            out["question"] = self.question
        if self.answer:
            out["answer"] = self.answer
        if self.cue:
            out["cue"] = self.cue
        if self.label:
            out["label"] = self.label
        if self.note:
            out["note"] = self.note
        return out


def describe(ev: dict, setting: str = "interview") -> str:
    """One line for a piece of evidence (as in `as_json`), for summaries and reports. At the
    hotline, the chart's ticks are what the reporter described, not what the screener saw."""
    if ev["from"] == "observation":
        return ("reported" if setting == "hotline" else "observed") + (
            f" ({ev['note']})" if ev.get("note") else "")
    if ev["from"] == "override":
        return f"worker: {ev.get('note', '')}"
    if ev["from"] == "cue":
        return f"{ev.get('question', '')} -> {ev.get('label', '')}"
    return f"{ev.get('question', '')} -> {ev.get('answer', '')}"


# Which findings an indication counts towards, as (bucket, id) pairs in the order evaluate has
# always added them: the forms suspected, the red flags, the At-Risk letters, then the
# disclosure elements.
SUSPECTED, RED_FLAG, AT_RISK, ELEMENT = range(4)


def hits(indicates: m.Indicates) -> tuple[tuple[int, str], ...]:
    return (tuple((SUSPECTED, form) for form in indicates.suspected)
            + tuple((RED_FLAG, rf) for rf in indicates.red_flags)
            + tuple((AT_RISK, letter) for letter in indicates.at_risk)
            + tuple((ELEMENT, element) for element in indicates.disclosures))


def _shared(evidence: Evidence) -> Evidence:
    object.__setattr__(evidence, "shared_json", evidence.as_json())  # made once, with it
    return evidence


def _entry(indicates: m.Indicates, evidence: Evidence) -> tuple:
    return indicates, _shared(evidence), hits(indicates)


def _indexed(flow: m.Flow) -> tuple:
    """The flow's steps that can indicate anything, each with its evidence made once (the same
    Evidence, frozen, stands in every record) as (indication, evidence, hits) entries: built on
    first use, from the flow's own steps, and kept on the flow."""
    return m.derived(flow, "_evidence_index", _index)


def _index(flow: m.Flow) -> tuple:
    index = []
    for step in flow.steps:
        cues: dict[str, m.Cue] = {}
        for cue in step.cues:  # the first of an id, as Step.cue finds it
            cues.setdefault(cue.id, cue)
        cues = {k: c for k, c in cues.items() if c.indicates}
        if not (step.indicates_on_yes or step.indicates_on_no or cues):
            continue
        question = step.text or step.id
        by_value = {}
        if step.indicates_on_yes:
            by_value["yes"] = _entry(step.indicates_on_yes,
                                     Evidence("answer", step.id, question, "yes"))
        if step.indicates_on_no:
            by_value["no"] = _entry(step.indicates_on_no,
                                    Evidence("answer", step.id, question, "no"))
        index.append((step.id, step.kind == "open", by_value, cues, question, {}))
        # (made: for each answer value, the entry of each indicating cue ticked with it)
    return tuple(index)


def _observed(flow: m.Flow, red_flag: str) -> tuple[m.Indicates, tuple]:
    """What an observed red flag indicates (itself, and what the flow's checklist item adds),
    with its hits: made once per flow and red flag, kept on the flow."""
    table = flow.__dict__.setdefault("_observed", {})
    found = table.get(red_flag)
    if found is None:
        item = flow.observation_items.get(red_flag)
        extra = item.indicates if item else m.NOTHING
        indicates = m.Indicates(red_flags=(red_flag,) + extra.red_flags, at_risk=extra.at_risk,
                                disclosures=extra.disclosures, suspected=extra.suspected)
        found = table[red_flag] = (indicates, hits(indicates))
    return found


def indications(library: m.Library, record: Record) -> list[tuple]:
    """Every (indication, evidence, hits) in the record: answers in flow order, then
    observations."""
    out: list[tuple] = []
    answers = record.answers
    # interview order, whatever order the answers were given in
    for step_id, is_open, by_value, cues, question, made in _indexed(record.flow):
        answer = answers.get(step_id)
        if answer is None:
            continue
        value = answer.value
        if by_value:
            entry = by_value.get(value)
            if entry is not None:
                out.append(entry)
        # Cues on a closed step classify a "yes"; on an open step they are what the answer revealed.
        if answer.cues and (is_open or value == "yes"):
            ticked = made.get(value)
            if ticked is None:
                ticked = made[value] = {}
            for cue_id in answer.cues:
                entry = ticked.get(cue_id)
                if entry is None:
                    cue = cues.get(cue_id)
                    if cue is None:
                        continue
                    entry = ticked[cue_id] = _entry(cue.indicates, Evidence(
                        "cue", step_id, question, value, cue.id, cue.label))
                out.append(entry)
    for red_flag, note in record.observations.items():
        indicates, their_hits = _observed(record.flow, red_flag)
        out.append((indicates, Evidence("observation", label=library.red_flags[red_flag].label,
                                        note=note), their_hits))
    return out


def gather(library: m.Library, record: Record) -> list[tuple[m.Indicates, Evidence]]:
    """Every (indication, evidence) pair in the record: answers in flow order, then observations."""
    return [(indicates, evidence) for indicates, evidence, _ in indications(library, record)]
