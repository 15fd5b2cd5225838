"""Put the rules together: red flags, At-Risk, disclosures, CSEC Type and next steps.

Every finding carries the evidence behind it. A worker's override is applied to the finding it
names (reject removes it, confirm keeps or adds it) before anything that depends on it, so the
findings always follow the worker's determination.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from interview.content import model as m
from interview.record import Record
from interview.rules import at_risk as at_risk_rule
from interview.rules import csec_type as csec_rule
from interview.rules import disclosures as disclosure_rule
from interview.rules import next_steps as next_step_rule
from interview.rules import response as response_rule
from interview.rules import screening as screening_rule
from interview.rules import evidence as evidence_rule
from interview.rules.evidence import Evidence


# What the findings are, said wherever they are shown (summary, reports, assess): a guide, not
# a validated instrument (002, Core Competencies, Competency 1.B: a validated screening tool such
# as the CSE-IT is needed to identify victims more accurately; 004: 23 counties use the CSE-IT).
STANDING = ("A structured interview guide built on county policy, not a validated screening "
            "instrument (such as the CSE-IT): the findings are proposals from what the worker "
            "recorded, and every determination is the worker's (002, Core Competencies, "
            "Competency 1.B; 004).")


@dataclass
class Findings:
    red_flags: dict[str, list[Evidence]]
    at_risk_indicators: dict[str, list[Evidence]]
    at_risk_met: bool
    at_risk_branch: str | None
    disclosed: dict[str, bool]
    disclosure_evidence: dict[str, list[Evidence]]
    disclosure_notes: list[str]
    csec_type: csec_rule.CsecType | None
    next_steps: list[tuple[str, str]]
    risk_factors: list[Evidence] = field(default_factory=list)
    overrides: list[dict] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    # Disclosed, or a reasonable suspicion recorded (each with its evidence); the speed of the
    # response and jurisdiction (002 MOU IV).
    suspected: dict[str, bool] = field(default_factory=dict)
    suspicion_evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    response: response_rule.Response | None = None
    jurisdiction: response_rule.Jurisdiction | None = None
    # Red flags that are reasons to ask about an At-Risk indicator not found (never the
    # indicator itself), and who must be screened.
    at_risk_prompts: list[dict] = field(default_factory=list)
    screening: screening_rule.Screening | None = None
    # A hotline screen this interview was started from: its red flags and facts as reported,
    # not seen (interview/handoff.py); they count towards no finding here.
    reported: dict | None = None
    # Forms part of which was told, neither disclosed nor suspected: whether the worker
    # suspects them is the worker's to say (a suspicion to confirm, never proposed).
    to_decide: list[str] = field(default_factory=list)

    @property
    def at_risk_confirmed(self) -> list[str]:
        """The indicators the worker confirmed (the At-Risk determination is theirs, 001)."""
        return sorted(k for k, evs in self.at_risk_indicators.items()
                      if any(e.kind == "override" for e in evs))

    def as_json(self, library: m.Library) -> dict:
        memo: dict[int, dict] = {}
        # An answer's or a cue's evidence is the flow's own words: its JSON is made once, with
        # it, by the flow's table (shared_json), and shared by every findings' JSON (read, never
        # changed, by whoever shows it). Any other is made here, once: one piece often backs
        # several findings.
        def ev(e: Evidence) -> dict:
            out = memo.get(id(e))
            if out is None:
                out = memo[id(e)] = e.as_json()
            return out

        rows, flags = red_flags_json(library)
        red_flags = self.red_flags
        confirmed = self.at_risk_confirmed
        return {
            "red_flags": [{**flags[rf],
                           "evidence": [e.shared_json or ev(e) for e in red_flags[rf]]}
                          for rf in sorted(red_flags, key=rows.__getitem__)],
            "at_risk": {
                "met": self.at_risk_met,
                "indicators": sorted(self.at_risk_indicators),
                "branch": self.at_risk_branch,
                "determination": at_risk_rule.determination(
                    self.at_risk_met, self.at_risk_indicators, confirmed),
                "confirmed": confirmed,
                "explanation": at_risk_rule.explain(self.at_risk_indicators, self.at_risk_branch,
                                                    library.at_risk, at_risk_groups(library)),
                "ask_more": self.at_risk_prompts,
                "evidence": {k: [e.shared_json or ev(e) for e in v]
                             for k, v in sorted(self.at_risk_indicators.items())},
            },
            "disclosures": {
                **self.disclosed,
                "evidence": {k: [e.shared_json or ev(e) for e in v]
                             for k, v in self.disclosure_evidence.items() if v},
                "notes": self.disclosure_notes,
            },
            "csec_type": self.csec_type.as_json() if self.csec_type else None,
            "next_steps": [{**library.next_step_json(sid), "reason": reason}
                           for sid, reason in self.next_steps],
            "risk_factors": [e.as_json() for e in self.risk_factors],
            "overrides": self.overrides,
            "suspected": {
                **self.suspected,
                "evidence": {k: [e.shared_json or ev(e) for e in v]
                             for k, v in self.suspicion_evidence.items() if v},
                "to_decide": self.to_decide,
            },
            "response": self.response.as_json(library) if self.response else None,
            "jurisdiction": self.jurisdiction.as_json() if self.jurisdiction else None,
            "screening": self.screening.as_json() if self.screening else None,
            "standing": STANDING,
            **({"reported": self.reported} if self.reported else {}),
        }


def at_risk_groups(library: m.Library) -> dict[str, frozenset[str]]:
    """The At-Risk catalog's groups (at_risk.groups), made once per library and kept on it."""
    return m.derived(library, "_at_risk_groups", lambda lib: at_risk_rule.groups(lib.at_risk))


def red_flags_json(library: m.Library) -> tuple[dict[str, int], dict[str, dict]]:
    """Each red flag's row, and its JSON but the evidence, made once per library (its
    catalog and county) and kept on it; read, never changed."""
    return m.derived(library, "_red_flags_json", lambda lib: (
        {rf: flag.row for rf, flag in lib.red_flags.items()},
        {rf: {"id": rf, "row": flag.row, "label": flag.label, "columns": list(flag.columns)}
         for rf, flag in lib.red_flags.items()}))


def _apply(found: dict[str, list[Evidence]], kind: str, record: Record,
           rejected: dict[str, str]) -> None:
    """Apply the worker's overrides of one kind of finding in place."""
    prefix = kind + ":"
    for key, override in record.overrides.items():
        if not key.startswith(prefix):
            continue
        ident = key[len(prefix):]
        if override.decision == "reject":
            if ident in found:
                found.pop(ident)
            rejected[key] = override.reason
        else:
            found.setdefault(ident, []).append(Evidence("override", note=override.reason))


def _decide(flags: dict[str, bool], evidence: dict[str, list[Evidence]], kind: str,
            record: Record, rejected: dict[str, str]) -> None:
    """Apply the worker's overrides of a yes/no finding per form (disclosure:, suspected:)."""
    prefix = kind + ":"
    for key, override in record.overrides.items():
        if key.startswith(prefix):
            form = key[len(prefix):]
            if override.decision == "reject":
                flags[form] = False
                evidence[form] = []
                rejected[key] = override.reason
            else:
                flags[form] = True
                evidence[form].append(Evidence("override", note=override.reason))


def _context_steps(flow: m.Flow) -> tuple[tuple[tuple[str, Evidence], ...], tuple[m.Step, ...]]:
    """The steps with a risk factor (each with the evidence a yes to it is), and those with a
    cue recording context, in flow order (found once per flow and kept on it: most steps have
    neither)."""
    return m.derived(flow, "_context_steps", lambda flow: (
        tuple((s.id, Evidence("answer", s.id, s.text, "yes", label=s.risk_factor))
              for s in flow.steps if s.risk_factor),
        tuple(s for s in flow.steps if any(c.context for c in s.cues))))


def evaluate(library: m.Library, record: Record) -> Findings:
    red_flags: dict[str, list[Evidence]] = {}
    at_risk: dict[str, list[Evidence]] = {}
    elements: dict[str, list[Evidence]] = {}
    explicit: dict[str, list[Evidence]] = {form: [] for form in m.FORMS}
    # each piece of evidence into the lists of the findings it counts towards (its hits:
    # evidence.SUSPECTED, RED_FLAG, AT_RISK, ELEMENT index these)
    buckets = {evidence_rule.SUSPECTED: explicit, evidence_rule.RED_FLAG: red_flags,
               evidence_rule.AT_RISK: at_risk, evidence_rule.ELEMENT: elements}
    for _, evidence, hits in evidence_rule.indications(library, record):
        for bucket, key in hits:
            into = buckets[bucket]
            listed = into.get(key)
            if listed is None:
                into[key] = [evidence]
            else:
                listed.append(evidence)
    rejected: dict[str, str] = {}
    _apply(red_flags, "red_flag", record, rejected)
    _apply(at_risk, "at_risk", record, rejected)
    met, branch = at_risk_rule.determine(at_risk, library.at_risk, at_risk_groups(library))

    disclosed, notes = disclosure_rule.classify(set(elements))
    evidence_by_kind: dict[str, list[Evidence]] = {}
    for kind, is_disclosed in disclosed.items():
        if not is_disclosed:
            evidence_by_kind[kind] = []
            continue
        found = [e for el in disclosure_rule.elements_for(kind) for e in elements.get(el, ())]
        # one cue or answer may carry several elements (labor and coercion): list it once
        evidence_by_kind[kind] = list({id(e): e for e in found}.values())
    if disclosed["labor_trafficking"] and "disclosure:labor_trafficking" not in \
            record.overrides and not disclosure_rule.one_situation(elements):
        notes.append(disclosure_rule.SEPARATE_ANSWERS)
    _decide(disclosed, evidence_by_kind, "disclosure", record, rejected)

    # Suspected: what was disclosed, or a reasonable suspicion the screener or worker recorded.
    suspected = {form: disclosed[form] or bool(explicit[form]) for form in m.FORMS}
    suspicion_evidence = {form: evidence_by_kind[form] + explicit[form] if suspected[form] else []
                          for form in m.FORMS}
    _decide(suspected, suspicion_evidence, "suspected", record, rejected)
    # Part of labor trafficking told, nothing suspected: the worker decides whether they
    # suspect it (a reasonable suspicion is reported; OTIP for a foreign national).
    to_decide = ["labor_trafficking"] if not suspected["labor_trafficking"] and \
        "suspected:labor_trafficking" not in record.overrides and \
        disclosure_rule.partial_labor(elements) else []
    if to_decide and record.context.foreign_national:
        notes.append(next_step_rule.OTIP_UPON_SUSPICION)

    # The CSEC Type is the caseworker's documentation after identification, not the hotline's.
    csec = (None if record.flow.setting == "hotline"
            else csec_rule.determine(record.context, disclosed["sex_trafficking"], met))
    response = response_rule.speed(record.context, suspected["sex_trafficking"])
    reported = None
    if record.handoff is not None:
        from interview.handoff import reported_json  # only an interview started from a handoff

        reported = reported_json(library, record)
        response = response_rule.routed(response, reported["routing"],
                                        rejected.get("suspected:sex_trafficking", ""))
    jurisdiction = response_rule.jurisdiction(record.context)
    screening = screening_rule.who_must_be_screened(record.context, red_flags)
    steps = next_step_rule.applicable(next_step_rule.Situation(
        record.context, record.flow.setting, disclosed, suspected, met, bool(red_flags),
        csec.status if csec else None, response, jurisdiction, screening,
        library.county.ongoing_mdt_for_at_risk, record.flow.screens_youth))
    factor_steps, context_steps = _context_steps(record.flow)
    risk_factors = [factor for step_id, factor in factor_steps
                    if getattr(record.answers.get(step_id), "value", "") == "yes"]
    risk_factors += [Evidence("cue", step.id, step.text or step.id, answer.value, cue.id,
                              cue.context)
                     for step in context_steps if (answer := record.answers.get(step.id))
                     and (step.kind == "open" or answer.value == "yes")
                     for cue in step.cues if cue.context and cue.id in answer.cues]
    overrides = [{"finding": o.finding, "decision": o.decision, "reason": o.reason}
                 for o in record.overrides.values()]
    prompts = at_risk_rule.ask_more(library.at_risk, at_risk, red_flags)
    return Findings(red_flags, at_risk, met, branch, disclosed, evidence_by_kind, notes, csec,
                    steps, risk_factors, overrides, rejected, suspected, suspicion_evidence,
                    response, jurisdiction, prompts, screening, reported, to_decide)
