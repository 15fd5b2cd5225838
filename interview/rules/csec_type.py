"""The CSEC Type for the CSEC Data Grid and its date rules (001, "CSEC Data Grid",
"Start and End Dates", Attachment B).

Victim supersedes At-Risk: the two are mutually exclusive, so once a commercial sex act is
disclosed the type is a Victim type and an At-Risk row would end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from interview.engine.record import Context
from interview.errors import InputError

VICTIM_BY_STATUS = {
    "in_foster_care": "victim_during_foster_care",
    "open_case_not_in_foster_care": "victim_open_case_not_in_foster_care",
    "closed_case_receiving_ilp": "victim_closed_case_receiving_ilp",
    "no_open_case": "victim_before_foster_care",
    None: "victim_before_foster_care",
}
LABELS = {
    "at_risk": "At-Risk",
    "victim_before_foster_care": "Victim Before Foster Care",
    "victim_during_foster_care": "Victim During Foster Care",
    "victim_open_case_not_in_foster_care": "Victim in Open Case not in Foster Care",
    "victim_while_absent_from_placement": "Victim While Absent From Placement",
    "victim_closed_case_receiving_ilp": "Victim with Closed Case, Receiving ILP Services",
}


@dataclass(frozen=True, slots=True)
class CsecType:
    type: str
    start_date: dt.date
    end_date: dt.date | None
    reason: str

    def as_json(self) -> dict:
        return {"type": self.type, "label": LABELS[self.type],
                "start_date": self.start_date.isoformat(),
                "end_date": self.end_date.isoformat() if self.end_date else None,
                "reason": self.reason}


def date_problems(kind: str, start: dt.date | None, end: dt.date | None,
                  dob: dt.date | None, today: dt.date) -> list[str]:
    """Every date rule of 001 that a CSEC Data Grid row breaks (empty when the row is valid)."""
    out = []
    if start is None:
        return ["the start date is required"]
    if dob and start < dob:
        out.append(f"the start date {start} is before the date of birth {dob}")
    if start > today:
        out.append(f"the start date {start} is in the future")
    if end is not None:
        if end < start:
            out.append(f"the end date {end} is before the start date {start}")
        if end > today:
            out.append(f"the end date {end} is in the future")
    elif kind == "victim_while_absent_from_placement":
        out.append("Victim While Absent From Placement needs an end date (the day the youth returned)")
    return out


def determine(context: Context, victim: bool, at_risk_met: bool) -> CsecType | None:
    today = context.today
    if victim:
        # `exploited_while_absent` is the worker's answer to whether it happened during the
        # absence (the runaway-return flow asks it); not asked: as before, with a caution.
        during = context.exploited_while_absent
        if context.absence is not None and during is not False:
            kind = "victim_while_absent_from_placement"
            start, end = context.absence.left, context.absence.returned
            reason = ("Exploitation disclosed on return from an absence from placement: start = "
                      "first day absent, end = day returned " + (
                          "(the worker confirmed it happened while absent)." if during else
                          "(confirm it happened while absent)."))
        else:
            kind = VICTIM_BY_STATUS[context.case_status]
            start, end = today, None
            reason = (f"Commercial sex act disclosed; case status "
                      f"{context.case_status or 'not given (taken as no open case)'}; start = "
                      "the date identified.")
            if during is False and context.absence is not None:
                reason += " The worker found it did not happen during the absence."
            elif during and context.absence is None:
                reason += (" The worker says it happened during an absence from placement: "
                           "record the first day absent and the day returned in the case facts "
                           "to document Victim While Absent From Placement.")
        if at_risk_met:
            reason += (" The At-Risk definition is also met: victim supersedes it, so an open "
                       "At-Risk row must be given an end date.")
    elif at_risk_met:
        kind, start, end = "at_risk", today, None
        reason = "At-Risk definition met; start = the date identified by the caseworker."
    else:
        return None
    problems = date_problems(kind, start, end, context.date_of_birth, dt.date.today())
    if problems:
        raise InputError(f"CSEC Type {LABELS[kind]}: " + "; ".join(problems)
                         + " (001, Start and End Dates); check the dates in the context")
    return CsecType(kind, start, end, reason)
