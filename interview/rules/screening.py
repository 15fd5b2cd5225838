"""Who must be screened for CSE (002, MOU template II.A.1.B, the example the CSEC Action Team
gives; SB 794 in 003 "Commercial Sexual Exploitation – Sex Trafficking" and 004).

- Child welfare: "All children age 10 and above who are either/both: a. Chronically on the run;
  b. Living in the same home in which another child is identified as having been exploited."
- Public health: children "with chronic sexually transmitted infections" or "who are pregnant or
  have received multiple pregnancy tests".
- SB 794: "youth who return from a runaway episode should be assessed for CSE" (003).

A prompt, not a finding about the child: it says the county's screening should happen.
"""

from __future__ import annotations

from dataclasses import dataclass

from interview.record import Context

SOURCE = "002 § II. Identification › A.1.B (MOU example)"
RUNAWAY_SOURCE = "003 § Commercial Sexual Exploitation – Sex Trafficking (SB 794)"
MIN_AGE = 10
# Red flags of the chart that are the same facts as a screening criterion.
RED_FLAG_CRITERIA = {"chronic_runaway": "chronically_on_the_run",
                     "frequent_stis": "chronic_stis", "unplanned_pregnancies": "pregnancy"}
# The case facts this rule reads (interview/content/model.py FACT_TYPES).
FACTS = ("absence", "date_of_birth", "age", "interview_date", "screening_reasons")
WORDS = {
    "chronically_on_the_run": "chronically on the run",
    "another_child_identified": "lives in a home where another child was identified as exploited",
    "chronic_stis": "chronic sexually transmitted infections (a health-setting criterion)",
    "pregnancy": "pregnant, or has had multiple pregnancy tests (a health-setting criterion)",
    "returned_from_runaway": "back from a runaway episode (SB 794)",
}


@dataclass(frozen=True, slots=True)
class Screening:
    required: bool
    reasons: tuple[str, ...]   # model.SCREENING_REASONS that apply
    explanation: str

    def as_json(self) -> dict:
        return {"required": self.required, "reasons": list(self.reasons),
                "explanation": self.explanation, "source": SOURCE}


def who_must_be_screened(context: Context, red_flags) -> Screening:
    recorded = set(context.screening_reasons)
    recorded |= {reason for flag, reason in RED_FLAG_CRITERIA.items() if flag in red_flags}
    if context.absence is not None:
        recorded.add("returned_from_runaway")
    age = context.age_years
    reasons, notes = [], []
    for reason in ("chronically_on_the_run", "another_child_identified"):
        if reason not in recorded:
            continue
        if age is not None and age < MIN_AGE:
            notes.append(f"{WORDS[reason]}, but the child is {age}: the criterion is for "
                         f"children {MIN_AGE} and older")
        else:
            reasons.append(reason)
    reasons += [r for r in ("chronic_stis", "pregnancy", "returned_from_runaway") if r in recorded]
    if not reasons:
        return Screening(False, (), "; ".join(notes).capitalize() + "." if notes else
                         "None of the screening criteria is recorded.")
    text = "Criteria met: " + "; ".join(WORDS[r] for r in reasons)
    if age is None and set(reasons) & {"chronically_on_the_run", "another_child_identified"}:
        text += f" (the child welfare criterion is for children {MIN_AGE} and older: age not known)"
    return Screening(True, tuple(reasons), text + ".")
