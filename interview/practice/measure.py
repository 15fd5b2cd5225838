"""How well the question matcher understands trainees, on sets of typed lines (the tuning set
tests/paraphrases.yaml and the held-out set tests/paraphrases-held-out.yaml, and in Spanish
tests/paraphrases-es.yaml and tests/paraphrases-es-held-out.yaml): used by the tests and by
scripts/bench.py, which report the same figures.

A set maps each flow's key (youth, caregiver, hotline, runaway_return) to `[typed, step]` items
(`[typed, [step, step]]` where the flow asks nearly the same question twice), and has lists of
`off_topic` lines (to match no question) and `follow_up` probes.
"""

from __future__ import annotations

from dataclasses import dataclass

from interview.practice.config import FlowTechnique
from interview.practice.matcher import Reader
from interview.practice.run import matchable
from interview.practice.spanish import reader

# Each set's key: the flow its lines are typed in, and who answers.
FLOWS = {"youth": ("youth", "youth"), "caregiver": ("caregiver", "caregiver"),
         "hotline": ("hotline", "reporter"), "runaway_return": ("runaway-return", "youth")}


@dataclass(frozen=True)
class Figures:
    top1: float                 # share of typed questions matched to their question
    questions: int
    off_topic_matched: int      # off-topic lines matched to a question
    off_topic: int
    follow_ups_understood: int
    follow_ups: int
    wrong: tuple = ()           # (typed, wanted, got): read them on the tuning set only


def matchers(library, config, language: str = "en") -> dict[str, Reader]:
    """Each flow's practice matcher, as a scenario conducted in `language` has it (a line is
    read in the language it is typed in; one that could be either, in this one)."""
    return {key: reader(library, matchable(library.flows[flow], audience,
                                           config.flows.get(flow, FlowTechnique())),
                        config, language)
            for key, (flow, audience) in FLOWS.items()}


def measure(by_key: dict[str, Reader], data: dict) -> Figures:
    right, n, wrong = 0, 0, []
    for key in FLOWS:
        for typed, want in data.get(key, []):
            wants = want if isinstance(want, list) else [want]
            got = by_key[key].read(typed).step
            n += 1
            right += got in wants
            if got not in wants:
                wrong.append((typed, tuple(wants), got))
    youth = by_key["youth"]
    off = data.get("off_topic", [])
    probes = data.get("follow_up", [])
    return Figures(right / n if n else 0.0, n, sum(bool(youth.read(t).step) for t in off),
                   len(off), sum(youth.read(t).follow_up for t in probes), len(probes),
                   tuple(wrong))
