"""The debrief: what the trainee asked, recorded and concluded, against the scenario's key.

The score measures the trainee, not the engine (issue 14):

- **coverage**: the share of the scenario's key questions the trainee asked (the questions whose
  ideal reply tells something the key rests on, and the scenario's `key.questions`). It
  multiplies the whole score, so an interview where nothing was asked scores 0, whatever
  follows;
- **the determinations the trainee states** at the end (`Determinations`): At-Risk and its
  branch and indicators, what was disclosed, the response tier, the CSEC Type and when the child
  was exploited, the next steps with their deadlines, each against the key;
- **recording**: what they ticked and answered at the questions they asked, against what the
  simulated person actually said there, and what they ticked of what they could see;
- **technique**: the script before any question, open-ended before specific, prior incidents
  after a denial, no labelling word (a conducted interview only).

Score = round(100 x coverage x the weighted mean of the parts that apply), weights in
flows/catalog/practice.yaml. The engine's findings from the trainee's ticks are shown as
feedback ("what the tool proposes from your ticks"), never scored: they would test nothing the
ticks did not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from interview.content import model as m
from interview.content import vocabulary as words
from interview.record import DISCLOSURE_FINDINGS, Record
from interview.errors import InputError, suggest
from interview.practice.config import PracticeConfig
from interview.practice.run import Labelled, Line, PracticeRun
from interview.practice.scenario import BRANCHES, NONE, RESPONSES, Key, Scenario
from interview.rules import evaluate
from interview.rules.csec_type import TYPE_BY_WHEN
from interview.rules.evidence import gather

PASS, FAIL, NA = "passed", "failed", "not applicable"
BRANCH_LABELS = {"A-C": "Met: one of A-C", "D-H": "Met: two of D-H",
                 "A-C+D-H": "Met: one of A-C and two of D-H", NONE: "Not met"}
# The clocks a next step can have, as its catalog deadline states them, shortest first.
DEADLINES = {"now": "Now / immediately", "2_hours": "Within 2 hours",
             "24_hours": "Within 24 hours", "72_hours": "Within 72 hours",
             "10_days": "Within 10 days"}
_CLOCK = re.compile(r"\b(\d+)\s*(hour|day)s?\b", re.IGNORECASE)
_NOW = re.compile(r"^\s*(now|immediately)\b", re.IGNORECASE)


def deadlines(library: m.Library | None = None) -> dict[str, str]:
    """The clocks a next step can have: now, and each clock the library's catalog deadlines
    state, the county's response times included (a county with 4 hours is scored on 4 hours),
    shortest first; without a library, the MOU template's (DEADLINES)."""
    if library is None:
        return DEADLINES

    def make(lib) -> dict[str, str]:
        found: dict[str, tuple[int, str]] = {}
        for spec in lib.next_steps.values():
            for n, unit in _CLOCK.findall(spec.deadline):
                unit = unit.lower()
                found[f"{n}_{unit}s"] = (int(n) * (24 if unit == "day" else 1),
                                         f"Within {n} {unit}{'' if n == '1' else 's'}")
        return {"now": DEADLINES["now"],
                **{k: label for k, (_, label) in sorted(found.items(), key=lambda kv: kv[1])}}

    return m.derived(library, "_practice_deadlines", make)


def deadline_of(text: str, known: dict[str, str] | None = None) -> str | None:
    """The clock of a catalog deadline ("Immediately, or within 24 hours" -> 24_hours), or None
    when it gives none ("During the investigation"); `known`: the clocks (deadlines(library))."""
    found = _CLOCK.search(text or "")
    if found:
        clock = f"{found.group(1)}_{found.group(2).lower()}s"
        return clock if clock in (known or DEADLINES) else None
    return "now" if _NOW.match(text or "") else None


def precision_recall(marked, key, credit: float | None = None) -> tuple[float, float, float]:
    """(precision, recall, F1); nothing marked against an empty key is a perfect 1, 1, 1.
    `credit` replaces the count of hits (a hit with a wrong deadline counts half)."""
    marked, key = set(marked), set(key)
    hit = len(marked & key) if credit is None else credit
    precision = hit / len(marked) if marked else 1.0
    recall = hit / len(key) if key else 1.0
    f1 = 0.0 if not precision + recall else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


@dataclass(frozen=True)
class Comparison:
    caught: tuple[str, ...]
    missed: tuple[str, ...]
    wrong: tuple[str, ...]
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, marked, key, order=None, credit: float | None = None) -> "Comparison":
        marked, key = set(marked), set(key)
        sort = (lambda xs: tuple(sorted(xs, key=order))) if order else (lambda xs: tuple(sorted(xs)))
        p, r, f = precision_recall(marked, key, credit)
        return cls(sort(marked & key), sort(key - marked), sort(marked - key), p, r, f)

    def as_json(self) -> dict:
        return {"caught": list(self.caught), "missed": list(self.missed),
                "wrongly_marked": list(self.wrong), "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


# --- what the trainee states -------------------------------------------------------------------

@dataclass(frozen=True)
class Determinations:
    """What the trainee concludes at the end: their own determinations, scored against the key.
    A value of None was not stated (it scores nothing); "none" is a statement (not met, nothing
    disclosed, no MDT tier, no CSEC Type)."""

    branch: str | None = None                      # A-C, D-H, A-C+D-H, none
    at_risk: frozenset[str] = frozenset()          # the indicators A-H
    disclosures: frozenset[str] | None = None      # the forms disclosed; frozenset() = none
    response: str | None = None                    # immediate_crisis, initial_mdt, none
    csec_type: str | None = None                   # a type of model.CSEC_TYPES, or none
    exploited_during: str | None = None            # for a victim type
    next_steps: dict[str, str] | None = None       # next step -> deadline ("" when no clock)

    @property
    def stated(self) -> bool:
        return any(v is not None for v in (self.branch, self.disclosures, self.response,
                                            self.csec_type, self.next_steps))

    @classmethod
    def from_key(cls, library: m.Library, key: Key) -> "Determinations":
        """What a trainee who got everything right states."""
        return cls(key.branch or NONE, key.at_risk, key.disclosures, key.response or NONE,
                   key.csec_type or NONE, key.exploited_during,
                   {s: deadline_of(library.next_steps[s].deadline, deadlines(library)) or ""
                    for s in key.next_steps})

    @classmethod
    def parse(cls, library: m.Library, data) -> "Determinations":
        """A score file's `determinations:`; a bad value is one InputError naming it."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise InputError("determinations: give a mapping (at_risk, branch, disclosures, "
                             "response, csec_type, exploited_during, next_steps)")
        known = {"branch", "at_risk", "disclosures", "response", "csec_type", "exploited_during",
                 "next_steps"}
        for k in data:
            if k not in known:
                raise InputError(f"determinations.{k}: not a determination; "
                                 + (suggest(k, known) or f"give {', '.join(sorted(known))}"))

        def one(name, allowed):
            value = data.get(name)
            if value is None:
                return None
            if value not in allowed:
                raise InputError(f"determinations.{name}: {value!r} is not one of "
                                 f"{', '.join(allowed)}; " + (suggest(value, allowed) or ""))
            return str(value)

        def many(name, allowed) -> frozenset[str] | None:
            value = data.get(name)
            if value is None:
                return None
            if not isinstance(value, list) or any(v not in allowed for v in value):
                raise InputError(f"determinations.{name}: a list of {', '.join(allowed)}")
            return frozenset(map(str, value))

        steps = data.get("next_steps")
        if steps is not None:
            if isinstance(steps, list):
                steps = {s: "" for s in steps}
            if not isinstance(steps, dict):
                raise InputError("determinations.next_steps: a mapping of next step to deadline "
                                 f"({', '.join(deadlines(library))}) or a list of next steps")
            for sid, clock in steps.items():
                if sid not in library.next_steps:
                    raise InputError(f"determinations.next_steps: unknown next step {sid!r}; "
                                     + (suggest(sid, library.next_steps) or ""))
                if clock not in ("", None, *deadlines(library)):
                    raise InputError(f"determinations.next_steps.{sid}: deadline {clock!r} is "
                                     f"not one of {', '.join(deadlines(library))}")
            steps = {str(s): str(c or "") for s, c in steps.items()}
        return cls(one("branch", BRANCHES), many("at_risk", m.AT_RISK_LETTERS) or frozenset(),
                   many("disclosures", DISCLOSURE_FINDINGS), one("response", RESPONSES),
                   one("csec_type", (*m.CSEC_TYPES, NONE)),
                   one("exploited_during", tuple(TYPE_BY_WHEN)), steps)

    def as_json(self) -> dict:
        return {"branch": self.branch, "at_risk": sorted(self.at_risk),
                "disclosures": None if self.disclosures is None else sorted(self.disclosures),
                "response": self.response, "csec_type": self.csec_type,
                "exploited_during": self.exploited_during,
                "next_steps": self.next_steps}


# --- the debrief -------------------------------------------------------------------------------

@dataclass(frozen=True)
class TechniqueResult:
    id: str
    title: str
    status: str
    detail: str
    source: str


@dataclass(frozen=True)
class Withheld:
    step: str
    question: str
    said: str                   # what they said instead
    would: str                  # what they would have said
    needed: int                 # the rapport it needed
    had: int                    # the rapport then


@dataclass
class Debrief:
    scenario: Scenario
    trainee: str
    score: int
    coverage: float
    quality: float
    key_questions: tuple[str, ...]
    asked: tuple[str, ...]
    parts: dict[str, float]                   # part -> 0..1, the parts that apply
    mine: Determinations
    at_risk: Comparison
    next_steps: Comparison
    deadlines: dict[str, tuple[str, str]]     # caught step with a clock -> (yours, the key's)
    recording: Comparison
    technique: list[TechniqueResult]
    feedback: dict                            # the engine's findings from the ticks (not scored)
    labelled: tuple[Labelled, ...] = ()
    withheld: tuple[Withheld, ...] = ()
    transcript: tuple[Line, ...] = ()
    where: dict[str, list[str]] = field(default_factory=dict)   # missed red flag -> how to find it
    finished: str = ""

    @property
    def key(self) -> Key:
        return self.scenario.key

    @property
    def not_asked(self) -> list[str]:
        return [q for q in self.key_questions if q not in self.asked]

    def right(self, part: str) -> bool:
        return self.parts.get(part) == 1.0

    def as_json(self) -> dict:
        key = self.key
        return {
            "trainee": self.trainee,
            "scenario": self.scenario.id,
            "scenario_title": self.scenario.title,
            "family": self.scenario.family,
            "flow": self.scenario.flow,
            "finished": self.finished,
            "score": self.score,
            "coverage": {"share": round(self.coverage, 3), "key_questions": list(self.key_questions),
                         "not_asked": self.not_asked},
            "parts": {k: round(v, 3) for k, v in self.parts.items()},
            "yours": self.mine.as_json(),
            "key": {"branch": key.branch or NONE, "at_risk": sorted(key.at_risk),
                    "disclosures": sorted(key.disclosures), "response": key.response or NONE,
                    "csec_type": key.csec_type or NONE,
                    "exploited_during": key.exploited_during,
                    "next_steps": sorted(key.next_steps)},
            "at_risk": self.at_risk.as_json(),
            "next_steps": self.next_steps.as_json(),
            "recording": self.recording.as_json(),
            "technique": [{"check": t.id, "status": t.status, "detail": t.detail}
                          for t in self.technique],
            "labelled": [{"typed": x.typed, "labels": list(x.labels)} for x in self.labelled],
            "feedback": self.feedback,
            "missed": self.missed_summary(),
        }

    def missed_summary(self) -> list[str]:
        """What was missed, in a few short items (for the class results)."""
        out = [f"question {q}" for q in self.not_asked]
        if not self.right("at_risk"):
            out.append(f"At-Risk (key: {self.key.branch or NONE})")
        if not self.right("disclosures"):
            out.append("disclosures")
        if not self.right("response"):
            out.append(f"response (key: {self.key.response or NONE})")
        if not self.right("csec_type"):
            out.append(f"CSEC Type (key: {self.key.csec_type or NONE})")
        out += [f"next step {s}" for s in self.next_steps.missed]
        out += [f"deadline {s}" for s, (mine, theirs) in self.deadlines.items() if mine != theirs]
        out += [f"technique: {t.id}" for t in self.technique if t.status == FAIL]
        return out


def key_questions(run: PracticeRun) -> tuple[str, ...]:
    """The questions the scenario needs asked: those whose reply in the ideal interview tells
    something (a yes, or something to tick), and the key's own `questions`, in flow order."""
    needed = {a.step for a in run.asks if a.reply is not None and a.reply.tells
              and run.flow.by_id[a.step].is_question} | set(run.scenario.key.questions)
    return tuple(s.id for s in run.flow.steps if s.id in needed)


def marks(record: Record, steps, observations: bool = True) -> set[str]:
    """What was recorded as telling something: yes answers, ticked cues, ticked observations."""
    out = set()
    for sid in steps:
        answer = record.answers.get(sid)
        if answer is None:
            continue
        if answer.value == "yes" and record.flow.by_id[sid].kind == "closed":
            out.add(f"{sid}=yes")
        out.update(f"{sid}:{cue}" for cue in answer.cues)
    if observations:
        out.update(f"seen:{rf}" for rf in record.observations)
    return out


def expected_marks(scenario: Scenario, flow: m.Flow, steps, given: dict) -> set[str]:
    """What recording should hold at these steps: the marks of the reply actually given (the
    ideal reply when the interview was not conducted here), and every observation meant."""
    out = set()
    for sid in steps:
        reply = given.get(sid)
        if reply is None:
            replies = scenario.replies.get(sid, ())
            reply = replies[-1] if replies and flow.by_id[sid].audience == "worker" else None
            reply = reply or _ideal_reply(scenario, sid)
        if reply is None:
            continue
        if reply.answer == "yes" and flow.by_id[sid].kind == "closed":
            out.add(f"{sid}=yes")
        out.update(f"{sid}:{cue}" for cue in reply.cues)
    out.update(f"seen:{o.red_flag}" for o in scenario.observations if o.red_flag)
    return out


def _ideal_reply(scenario: Scenario, sid: str):
    replies = scenario.replies.get(sid, ())
    return next((r for r in replies if r.tells), replies[-1] if replies else None)


def technique(run: PracticeRun) -> list[TechniqueResult]:
    """The technique checks, from the session's events and the log of what was asked."""
    cfg, tech, flow = run.config, run.technique, run.flow
    asks = run.asks
    question_asks = [a for a in asks if flow.by_id[a.step].is_question]
    out: list[TechniqueResult] = []

    def result(cid: str, status: str, detail: str = "") -> None:
        check = cfg.checks[cid]
        text = {PASS: check.passed, FAIL: check.failed}.get(status, "")
        out.append(TechniqueResult(cid, check.title, status,
                                   " ".join(x for x in (text, detail) if x), check.source))

    # The script first: read before any question was asked (a refused asking counts against).
    if not tech.script_first or not question_asks:
        result("script_first", NA, "No question was asked.")
    else:
        first_q = min(a.at for a in question_asks)
        read = [a for a in asks if a.step == tech.script_first and not a.refused]
        refused = [a for a in question_asks if a.refused]
        if refused or not read or read[0].at > first_q:
            when = flow.by_id[(refused or question_asks)[0].step].text
            result("script_first", FAIL, f"First question before it: \u201c{when}\u201d.")
        else:
            result("script_first", PASS)

    # Open-ended questions before the specific ones.
    open_ids = {s for sec in tech.open_ended for s in flow.section_by_id[sec].steps
                if flow.by_id[s].is_question}
    specific_ids = {s for sec in tech.specific for s in flow.section_by_id[sec].steps
                    if flow.by_id[s].is_question}
    asked_ok = [a for a in question_asks if not a.refused]
    first_specific = next((a for a in asked_ok if a.step in specific_ids), None)
    if not open_ids or not specific_ids or first_specific is None:
        result("open_before_specific", NA, "No specific question was asked.")
    else:
        before = {a.step for a in asked_ok if a.at <= first_specific.at and a.step in open_ids}
        left = [flow.by_id[s].text for s in flow.section_by_id[tech.open_ended[0]].steps
                if s in open_ids - before]
        # Following the youth's lead (003): a specific question after an open-ended answer that
        # told something is a follow-up, not a short cut past the open-ended questions.
        followed = any(a.reply is not None and a.reply.cues for a in asked_ok
                       if a.at < first_specific.at and a.step in open_ids)
        if left and not followed:
            result("open_before_specific", FAIL,
                   f"Still unasked then: {len(left)} of {len(open_ids)}, e.g. \u201c{left[0]}\u201d.")
        else:
            result("open_before_specific", PASS)

    # Prior incidents after a denial.
    denials = [i for i, e in enumerate(run.session.events)
               if e.type in ("answer", "edit") and e.step in flow.by_id
               and e.step != tech.prior_incidents
               and flow.by_id[e.step].audience == run.scenario.audience
               and flow.by_id[e.step].kind == "closed"
               and (e.value if isinstance(e.value, str) else (e.value or {}).get("answer"))
               in ("no", False)]
    if not tech.prior_incidents or not denials:
        result("prior_after_denial", NA, "Nothing was denied.")
    else:
        prior = [a for a in asked_ok if a.step == tech.prior_incidents and a.at > denials[0]]
        result("prior_after_denial", PASS if prior else FAIL)

    typed = [a for a in asks if a.typed] + list(run.labelled) + list(run.probes)
    if not typed:
        result("no_labels", NA, "No question was typed in your own words.")
    elif run.labelled:
        words = sorted({w.lower() for x in run.labelled for w in x.labels})
        result("no_labels", FAIL, f"Used: {', '.join(words)}.")
    else:
        result("no_labels", PASS)
    return out


def ideal_run(library: m.Library, config: PracticeConfig, scenario: Scenario) -> PracticeRun:
    """The scenario played with every question asked once and the ideal marks (closed)."""
    run = PracticeRun(library, config, scenario)
    try:
        run.play_ideal()
    finally:
        run.close()
    return run


def _where(library: m.Library, ideal: Record, red_flags, asked) -> dict[str, list[str]]:
    """For each red flag of the key the trainee's ticks missed, where the ideal interview found
    it: "you asked ..." only when that question was asked, "ask ..." otherwise."""
    out: dict[str, list[str]] = {}
    for indicates, ev in gather(library, ideal):
        for rf in indicates.red_flags:
            if rf not in red_flags:
                continue
            if ev.kind == "observation":
                text = f"you could see: {ev.note}" if ev.note else "you could see it"
            else:
                verb = "you asked" if ev.step in asked else "ask"
                tick = (f"tick \u201c{ev.label}\u201d" if ev.kind == "cue"
                        else f"answer {ev.answer}")
                text = f"{verb} \u201c{ev.question}\u201d, {tick}"
            out.setdefault(rf, [])
            if text not in out[rf]:
                out[rf].append(text)
    return out


def _feedback(library: m.Library, record: Record) -> dict:
    """The engine's findings from what the trainee recorded: shown, never scored."""
    f = evaluate(library, record)
    return {"red_flags": sorted(f.red_flags, key=lambda rf: library.red_flags[rf].row),
            "at_risk": sorted(f.at_risk_indicators), "branch": f.at_risk_branch or NONE,
            "disclosures": sorted(k for k, v in f.disclosed.items() if v),
            "response": (f.response.speed if f.response else None) or NONE,
            "csec_type": f.csec_type.type if f.csec_type else NONE,
            "next_steps": [s for s, _ in f.next_steps]}


def debrief(library: m.Library, config: PracticeConfig, scenario: Scenario, record: Record,
            run: PracticeRun | None = None, trainee: str = "",
            mine: Determinations | None = None, asked: list[str] | None = None) -> Debrief:
    """The trainee's interview (`run`, or a recorded file's `record` and `asked`) and what they
    state (`mine`), against the key."""
    mine = mine or Determinations()
    key = scenario.key
    ideal = ideal_run(library, config, scenario)
    needed = key_questions(ideal)
    flow = library.flows[scenario.flow]
    if run is not None:
        asked = run.asked
    elif asked is None:   # a recorded file: the questions it answered are the ones asked
        asked = [s.id for s in flow.steps if s.id in record.answers and s.is_question
                 and s.audience == scenario.audience]
    asked_set = set(asked)
    coverage = (len(asked_set & set(needed)) / len(needed)) if needed else 1.0

    # What the trainee states.
    parts: dict[str, float] = {}
    at_risk = Comparison.of(mine.at_risk, key.at_risk)
    branch_right = mine.branch == (key.branch or NONE)
    parts["at_risk"] = (0.5 * branch_right + 0.5 * at_risk.f1) if mine.branch else 0.0
    parts["disclosures"] = (sum((f in mine.disclosures) == (f in key.disclosures)
                                for f in DISCLOSURE_FINDINGS) / len(DISCLOSURE_FINDINGS)
                            if mine.disclosures is not None else 0.0)
    parts["response"] = float(mine.response == (key.response or NONE))
    if key.exploited_during:
        parts["csec_type"] = (0.5 * (mine.csec_type == key.csec_type)
                              + 0.5 * (mine.exploited_during == key.exploited_during))
    else:
        parts["csec_type"] = float(mine.csec_type == (key.csec_type or NONE))
    stated = mine.next_steps or {}
    order = list(library.next_steps)
    timed = {}
    clocks = deadlines(library)
    credit = 0.0
    for sid in set(stated) & key.next_steps:
        clock = deadline_of(library.next_steps[sid].deadline, clocks)
        if clock:
            timed[sid] = (stated[sid], clock)
        credit += 1.0 if not clock or stated[sid] == clock else 0.5
    steps = Comparison.of(stated, key.next_steps, order.index, credit)
    parts["next_steps"] = steps.f1 if mine.next_steps is not None else 0.0

    # What they recorded, at the questions they asked (and the worker's own steps).
    scope = [s.id for s in flow.steps if s.id in asked_set or s.audience == "worker"]
    given = run.given if run is not None else {}
    expected = expected_marks(scenario, flow, scope, given)
    recorded = marks(record, scope)
    recording = Comparison.of(recorded, expected)
    parts["recording"] = recording.f1

    checks = technique(run) if run is not None else []
    applicable = [t for t in checks if t.status != NA]
    if applicable:
        parts["technique"] = sum(t.status == PASS for t in applicable) / len(applicable)

    weights = config.weights
    total = sum(weights[p] for p in parts)
    quality = sum(weights[p] * v for p, v in parts.items()) / total if total else 0.0
    score = round(100 * coverage * quality)

    withheld = []
    if run is not None:
        for a in run.asks:
            if a.withheld is not None and a.reply is not None:
                withheld.append(Withheld(a.step, library.step_text(flow.by_id[a.step]),
                                         a.reply.say, a.withheld.say, a.withheld.rapport,
                                         a.rapport))
    feedback = _feedback(library, record)
    missed_flags = set(key.red_flags) - set(feedback["red_flags"])
    return Debrief(scenario, trainee, score, coverage, quality, needed, tuple(asked), parts, mine,
                   at_risk, steps, timed, recording, checks, feedback,
                   tuple(run.labelled) if run else (), tuple(withheld),
                   tuple(run.transcript) if run else (),
                   _where(library, ideal.session.record, missed_flags, asked_set),
                   dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))


def render(library: m.Library, config: PracticeConfig, d: Debrief) -> str:
    """The readable debrief, from templates/practice-debrief.txt.j2 (marked PRACTICE /
    FICTIONAL at the top and the bottom)."""
    from interview.reports.render import render_text

    flow = library.flows[d.scenario.flow]

    def question(sid: str) -> str:
        return library.step_text(flow.by_id[sid]).split("\n")[0]

    def mark(token: str) -> str:
        """A recording mark in words: what to tick, at which question."""
        if token.startswith("seen:"):
            rf = token[5:]
            return f"what you could see: {library.red_flags[rf].label}"
        sid, _, rest = token.partition(":") if ":" in token else token.partition("=")
        step = flow.by_id[sid]
        if token.endswith("=yes") and "=" in token:
            return f"\u201c{question(sid)}\u201d: yes"
        label = next((c.label for c in step.cues if c.id == rest), rest)
        return f"\u201c{question(sid)}\u201d: tick \u201c{label}\u201d"

    return render_text(
        "practice-debrief.txt.j2", library.county.templates,
        d=d, s=d.scenario, key=d.key, mine=d.mine, family=config.families.get(d.scenario.family),
        red_flag=library.red_flags, at_risk=library.at_risk, question=question, mark=mark,
        next_step=lambda sid: library.next_step_json(sid)["action"],
        csec_label=lambda t: words.labels("csec_types").get(t, "none") if t and t != NONE
        else "none",
        when_label=lambda w: words.labels("exploited_during", "says").get(w, "not stated") if w
        else "not stated",
        forms=words.labels("forms"), responses=words.labels("response_tiers", "long"),
        branches=BRANCH_LABELS, deadlines=deadlines(library), weights=config.weights, PASS=PASS,
        FAIL=FAIL, NONE=NONE)


# --- selftest ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SelftestResult:
    scenario: str
    ok: bool
    problems: tuple[str, ...]
    score: int
    empty: int = 0

    def as_json(self) -> dict:
        return {"scenario": self.scenario, "ok": self.ok, "score": self.score,
                "empty_score": self.empty, "problems": list(self.problems)}


def selftest(library: m.Library, config: PracticeConfig, scenario: Scenario) -> SelftestResult:
    """Play the scenario with its ideal marks through the engine: the findings must be the key
    (red flags, At-Risk, disclosures, response, CSEC Type, next steps), every technique check
    must pass (or not apply), the ideal interview with the key's determinations must score 100,
    and an interview where nothing is asked (determinations stated or not) must score 0."""
    run = PracticeRun(library, config, scenario, trainee="selftest")
    try:
        run.play_ideal()
        d = debrief(library, config, scenario, run.session.record, run,
                    mine=Determinations.from_key(library, scenario.key))
    finally:
        run.close()
    key = scenario.key
    problems = []

    def differ(what: str, mine, theirs) -> None:
        if mine != theirs:
            problems.append(f"{what}: the engine finds {_show(mine)}, the key says {_show(theirs)}")

    findings = evaluate(library, run.session.record)
    differ("red flags", set(findings.red_flags), set(key.red_flags))
    differ("At-Risk indicators", set(findings.at_risk_indicators), set(key.at_risk))
    differ("At-Risk branch", findings.at_risk_branch or NONE, key.branch or NONE)
    differ("disclosures", {k for k, v in findings.disclosed.items() if v}, set(key.disclosures))
    differ("response", (findings.response.speed if findings.response else None) or NONE,
           key.response or NONE)
    differ("CSEC Type", findings.csec_type.type if findings.csec_type else NONE,
           key.csec_type or NONE)
    differ("next steps", {s for s, _ in findings.next_steps}, set(key.next_steps))
    for t in d.technique:
        if t.status == FAIL:
            problems.append(f"technique {t.id} fails on the ideal interview: {t.detail}")
    if not d.key_questions:
        problems.append("no key question: list in key.questions what the trainee must ask "
                        "(e.g. the open-ended questions)")
    if not problems and d.score != 100:
        problems.append(f"the ideal interview scores {d.score}, not 100 "
                        f"(parts: {', '.join(f'{k} {v:.2f}' for k, v in d.parts.items())})")
    empty = PracticeRun(library, config, scenario, trainee="selftest")
    try:
        nothing = debrief(library, config, scenario, empty.session.record, empty,
                          mine=Determinations.from_key(library, scenario.key))
    finally:
        empty.close()
    if nothing.score != 0:
        problems.append(f"an interview where nothing is asked scores {nothing.score}, not 0")
    return SelftestResult(scenario.id, not problems, tuple(problems), d.score, nothing.score)


def _show(value) -> str:
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(value)) + "}" if value else "nothing"
    return str(value)
