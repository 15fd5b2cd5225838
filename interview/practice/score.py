"""The debrief: the trainee's findings (from `evaluate` on what they recorded) against the
scenario's answer key, the technique checks, and the score.

The score (0-100) is the weighted mean of the parts that apply, weights in
flows/catalog/practice.yaml (docs/scenario-format.md):
- red flags, At-Risk indicators and next steps: F1, the harmonic mean of precision (how many of
  those marked are in the key) and recall (how many of the key were found); an empty key and
  nothing marked is 1;
- determination: 1 when At-Risk met or not, and the branch, are as in the key;
- disclosures: the share of the three forms (sex trafficking, labor trafficking, criminal
  activity) judged as in the key;
- CSEC Type: 1 when it is the key's;
- technique: the share of the applicable checks passed (only for an interview conducted in the
  app; a scored file has no technique part, and the other weights are scaled up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from interview.content import model as m
from interview.engine.record import DISCLOSURE_FINDINGS, Record
from interview.practice.config import PracticeConfig
from interview.practice.run import PracticeRun
from interview.practice.scenario import Key, Scenario
from interview.rules import evaluate
from interview.rules.evidence import gather

PASS, FAIL, NA = "passed", "failed", "not applicable"


def precision_recall(marked: frozenset | set, key: frozenset | set) -> tuple[float, float, float]:
    """(precision, recall, F1); nothing marked against an empty key is a perfect 1, 1, 1."""
    marked, key = set(marked), set(key)
    hit = len(marked & key)
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
    def of(cls, marked, key, order=None) -> "Comparison":
        marked, key = set(marked), set(key)
        sort = (lambda xs: tuple(sorted(xs, key=order))) if order else (lambda xs: tuple(sorted(xs)))
        p, r, f = precision_recall(marked, key)
        return cls(sort(marked & key), sort(key - marked), sort(marked - key), p, r, f)

    def as_json(self) -> dict:
        return {"caught": list(self.caught), "missed": list(self.missed),
                "wrongly_marked": list(self.wrong), "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass(frozen=True)
class TechniqueResult:
    id: str
    title: str
    status: str
    detail: str
    source: str


@dataclass
class Debrief:
    scenario: Scenario
    trainee: str
    score: int
    parts: dict[str, float]                   # part -> 0..1, the parts that apply
    red_flags: Comparison
    at_risk: Comparison
    at_risk_mine: tuple[bool, str | None]
    disclosures_mine: frozenset[str]
    csec_type_mine: str | None
    next_steps: Comparison
    technique: list[TechniqueResult]
    where: dict[str, list[str]] = field(default_factory=dict)   # missed red flag -> where it was
    because: dict[str, list[str]] = field(default_factory=dict)  # wrong red flag -> your marks
    finished: str = ""

    @property
    def key(self) -> Key:
        return self.scenario.key

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
            "parts": {k: round(v, 3) for k, v in self.parts.items()},
            "red_flags": self.red_flags.as_json(),
            "at_risk": {"indicators": self.at_risk.as_json(),
                        "met": self.at_risk_mine[0], "branch": self.at_risk_mine[1],
                        "key_met": key.at_risk_met, "key_branch": key.branch},
            "disclosures": {"yours": sorted(self.disclosures_mine),
                            "key": sorted(key.disclosures)},
            "csec_type": {"yours": self.csec_type_mine, "key": key.csec_type},
            "next_steps": self.next_steps.as_json(),
            "technique": [{"check": t.id, "status": t.status, "detail": t.detail}
                          for t in self.technique],
            "missed": self.missed_summary(),
        }

    def missed_summary(self) -> list[str]:
        """What was missed, in a few short items (for the class results)."""
        out = [f"red flag {rf}" for rf in self.red_flags.missed]
        out += [f"wrongly marked red flag {rf}" for rf in self.red_flags.wrong]
        out += [f"At-Risk {x}" for x in self.at_risk.missed]
        if (self.at_risk_mine[1] != self.key.branch):
            out.append(f"At-Risk determination (key: {self.key.branch or 'not met'})")
        for form in DISCLOSURE_FINDINGS:
            if (form in self.disclosures_mine) != (form in self.key.disclosures):
                out.append(f"disclosure {form}")
        if self.csec_type_mine != self.key.csec_type:
            out.append(f"CSEC Type (key: {self.key.csec_type or 'none'})")
        out += [f"technique: {t.id}" for t in self.technique if t.status == FAIL]
        return out


def _where(library: m.Library, ideal: Record, red_flags) -> dict[str, list[str]]:
    """For each red flag of the key, where the ideal interview found it (to teach a miss)."""
    out: dict[str, list[str]] = {}
    for indicates, ev in gather(library, ideal):
        for rf in indicates.red_flags:
            if rf not in red_flags:
                continue
            if ev.kind == "observation":
                text = f"you could see: {ev.note}" if ev.note else "you could see it"
            elif ev.kind == "cue":
                text = f"asked \u201c{ev.question}\u201d, tick \u201c{ev.label}\u201d"
            else:
                text = f"asked \u201c{ev.question}\u201d, answer {ev.answer}"
            out.setdefault(rf, [])
            if text not in out[rf]:
                out[rf].append(text)
    return out


def _because(library: m.Library, record: Record, red_flags) -> dict[str, list[str]]:
    from interview.rules.evidence import describe

    findings = evaluate(library, record)
    return {rf: [describe(e.as_json()) for e in findings.red_flags.get(rf, [])] for rf in red_flags}


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
        if left:
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

    typed = [a for a in asks if a.typed]
    labelled = [a for a in typed if a.labels]
    if not typed:
        result("no_labels", NA, "No question was typed in your own words.")
    elif labelled:
        words = sorted({w.lower() for a in labelled for w in a.labels})
        result("no_labels", FAIL, f"Used: {', '.join(words)}.")
    else:
        result("no_labels", PASS)
    return out


def ideal_record(library: m.Library, config: PracticeConfig, scenario: Scenario) -> Record:
    run = PracticeRun(library, config, scenario)
    try:
        run.play_ideal()
        return run.session.record
    finally:
        run.close()


def debrief(library: m.Library, config: PracticeConfig, scenario: Scenario, record: Record,
            run: PracticeRun | None = None, trainee: str = "") -> Debrief:
    """Compare what was recorded with the key; `run` adds the technique checks."""
    findings = evaluate(library, record)
    key = scenario.key
    row = lambda rf: library.red_flags[rf].row  # noqa: E731
    red_flags = Comparison.of(findings.red_flags, key.red_flags, row)
    at_risk = Comparison.of(findings.at_risk_indicators, key.at_risk)
    disclosed = frozenset(k for k, v in findings.disclosed.items() if v)
    csec = findings.csec_type.type if findings.csec_type else None
    order = list(library.next_steps)
    steps = Comparison.of({s for s, _ in findings.next_steps}, key.next_steps, order.index)
    checks = technique(run) if run is not None else []
    parts = {
        "red_flags": red_flags.f1,
        "at_risk": at_risk.f1,
        "determination": float(findings.at_risk_met == key.at_risk_met
                               and findings.at_risk_branch == key.branch),
        "disclosures": sum((f in disclosed) == (f in key.disclosures)
                           for f in DISCLOSURE_FINDINGS) / len(DISCLOSURE_FINDINGS),
        "csec_type": float(csec == key.csec_type),
        "next_steps": steps.f1,
    }
    applicable = [t for t in checks if t.status != NA]
    if applicable:
        parts["technique"] = sum(t.status == PASS for t in applicable) / len(applicable)
    weights = config.weights
    total = sum(weights[p] for p in parts)
    score = round(100 * sum(weights[p] * v for p, v in parts.items()) / total) if total else 0
    ideal = ideal_record(library, config, scenario)
    return Debrief(scenario, trainee, score, parts, red_flags, at_risk,
                   (findings.at_risk_met, findings.at_risk_branch), disclosed, csec, steps, checks,
                   _where(library, ideal, red_flags.missed),
                   _because(library, record, red_flags.wrong),
                   dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))


def render(library: m.Library, config: PracticeConfig, d: Debrief) -> str:
    """The readable debrief, from templates/practice-debrief.txt.j2."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from interview.paths import templates_dir
    from interview.rules.csec_type import LABELS
    from interview.text import plain

    env = Environment(loader=FileSystemLoader(templates_dir()), undefined=StrictUndefined,
                      autoescape=False, keep_trailing_newline=False, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["plain"] = lambda value: plain(str(value))
    env.filters["pct"] = lambda value: f"{round(100 * value)}%"
    return env.get_template("practice-debrief.txt.j2").render(
        d=d, s=d.scenario, key=d.key, family=config.families.get(d.scenario.family),
        red_flag=library.red_flags, at_risk=library.at_risk,
        next_step=lambda sid: library.next_step_json(sid)["action"],
        csec_label=lambda t: LABELS.get(t, "none") if t else "none",
        forms={"sex_trafficking": "Sex trafficking", "labor_trafficking": "Labor trafficking",
               "criminal_activity": "Involving a child in criminal activity"},
        weights=config.weights, PASS=PASS, FAIL=FAIL)


@dataclass(frozen=True)
class SelftestResult:
    scenario: str
    ok: bool
    problems: tuple[str, ...]
    score: int

    def as_json(self) -> dict:
        return {"scenario": self.scenario, "ok": self.ok, "score": self.score,
                "problems": list(self.problems)}


def selftest(library: m.Library, config: PracticeConfig, scenario: Scenario) -> SelftestResult:
    """Play the scenario with its ideal marks through the engine; the findings must be the key,
    every technique check must pass (or not apply), and the score must be 100."""
    run = PracticeRun(library, config, scenario, trainee="selftest")
    try:
        run.play_ideal()
        d = debrief(library, config, scenario, run.session.record, run)
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
    differ("At-Risk branch", findings.at_risk_branch or "none", key.branch or "none")
    differ("disclosures", d.disclosures_mine, set(key.disclosures))
    differ("CSEC Type", d.csec_type_mine or "none", key.csec_type or "none")
    differ("next steps", {s for s, _ in findings.next_steps}, set(key.next_steps))
    for t in d.technique:
        if t.status == FAIL:
            problems.append(f"technique {t.id} fails on the ideal interview: {t.detail}")
    if not problems and d.score != 100:
        problems.append(f"the ideal interview scores {d.score}, not 100")
    return SelftestResult(scenario.id, not problems, tuple(problems), d.score)


def _show(value) -> str:
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(value)) + "}" if value else "nothing"
    return str(value)
