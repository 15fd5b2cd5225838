"""Gather what each answer, ticked cue and observation indicates, keeping where it came from."""

from __future__ import annotations

from dataclasses import dataclass

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


def _indexed(flow: m.Flow) -> tuple:
    """The flow's steps that can indicate anything, each with its evidence made once (the same
    Evidence, frozen, stands in every record): built on first use and kept on the flow."""
    index = flow.__dict__.get("_evidence_index")
    if index is None:
        index = []
        for step in flow.steps:
            cues: dict[str, m.Cue] = {}
            for cue in step.cues:  # the first of an id, as Step.cue finds it
                cues.setdefault(cue.id, cue)
            cues = {k: c for k, c in cues.items() if c.indicates}
            if not (step.indicates_on_yes or step.indicates_on_no or cues):
                continue
            question = step.text or step.id
            yes = (step.indicates_on_yes, Evidence("answer", step.id, question, "yes")) \
                if step.indicates_on_yes else None
            no = (step.indicates_on_no, Evidence("answer", step.id, question, "no")) \
                if step.indicates_on_no else None
            index.append((step.id, step.kind == "open", yes, no, cues, question, {}))
        flow.__dict__["_evidence_index"] = index = tuple(index)
    return index


def gather(library: m.Library, record: Record) -> list[tuple[m.Indicates, Evidence]]:
    """Every (indication, evidence) pair in the record: answers in flow order, then observations."""
    flow = record.flow
    out: list[tuple[m.Indicates, Evidence]] = []
    answers = record.answers
    # interview order, whatever order the answers were given in
    for step_id, is_open, yes, no, cues, question, made in _indexed(flow):
        answer = answers.get(step_id)
        if answer is None:
            continue
        value = answer.value
        if value == "yes" and yes:
            out.append(yes)
        elif value == "no" and no:
            out.append(no)
        # Cues on a closed step classify a "yes"; on an open step they are what the answer revealed.
        if answer.cues and (is_open or value == "yes"):
            for cue_id in answer.cues:
                pair = made.get((cue_id, value))
                if pair is None:
                    cue = cues.get(cue_id)
                    if cue is None:
                        continue
                    pair = made[(cue_id, value)] = (cue.indicates, Evidence(
                        "cue", step_id, question, value, cue.id, cue.label))
                out.append(pair)
    for red_flag, note in record.observations.items():
        flag = library.red_flags[red_flag]
        item = flow.observation_items.get(red_flag)
        extra = item.indicates if item else m.NOTHING
        indicates = m.Indicates(red_flags=(red_flag,) + extra.red_flags, at_risk=extra.at_risk,
                                disclosures=extra.disclosures, suspected=extra.suspected)
        out.append((indicates, Evidence("observation", label=flag.label, note=note)))
    return out
