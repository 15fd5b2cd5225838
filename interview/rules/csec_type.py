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
STATUS_WORDS = {
    "in_foster_care": "the youth is in foster care",
    "open_case_not_in_foster_care": "the family has an open case and the youth is not in foster care",
    "closed_case_receiving_ilp": "the case is closed and the youth receives ILP services",
    "no_open_case": "no open case (before foster care)",
    None: "case status not given (taken as no open case: before foster care)",
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
            reason = ("Commercial sex act disclosed; "
                      + STATUS_WORDS[context.case_status] + "; start = the date identified.")
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


# --- the CSEC Data Grid: the rows a child has, and the changes an interview calls for ---------

REPEATABLE = frozenset({"victim_while_absent_from_placement", "victim_closed_case_receiving_ilp"})


@dataclass(frozen=True, slots=True)
class GridRow:
    """One row of a child's CSEC Data Grid, and where it comes from."""

    type: str
    start: dt.date
    end: dt.date | None = None
    origin: str = ""

    @property
    def active(self) -> bool:
        return self.end is None

    @property
    def victim(self) -> bool:
        return self.type != "at_risk"

    def describe(self) -> str:
        return (f"{LABELS[self.type]} from {self.start}"
                + (f" to {self.end}" if self.end else " (open)"))

    def as_json(self) -> dict:
        return {"type": self.type, "label": LABELS[self.type], "start_date": self.start.isoformat(),
                "end_date": self.end.isoformat() if self.end else None, "origin": self.origin}


@dataclass(frozen=True, slots=True)
class GridChange:
    action: str  # "add", "end" (give an existing row its end date), "keep" or "none"
    row: GridRow
    explanation: str

    def as_json(self) -> dict:
        return {"action": self.action, "row": self.row.as_json(), "explanation": self.explanation}


def plan_grid(existing: list[GridRow], proposed: CsecType | None,
              origin: str = "this interview") -> list[GridChange]:
    """What to enter in the grid for a proposed CSEC Type, given the rows the child has.

    At risk and victim are mutually exclusive (001, CSEC Type 1 and "Start and End Dates"): a
    Victim row ends an open At-Risk row on the date the youth became a victim, and no At-Risk row
    is opened while a Victim row is open. Types 5 and 6 may repeat; the others stay open once.
    """
    if proposed is None:
        return []
    new = GridRow(proposed.type, proposed.start_date, proposed.end_date, origin)
    open_victims = [r for r in existing if r.active and r.victim]
    open_at_risk = [r for r in existing if r.active and not r.victim]
    if not new.victim:
        if open_victims:
            return [GridChange("none", new, (
                f"Not entered: the row {open_victims[0].describe()} is open, and a youth cannot "
                "be at risk and a victim at the same time (001, Start and End Dates). Enter "
                "At-Risk only once that row has an end date."))]
        if open_at_risk:
            return [GridChange("keep", open_at_risk[0], "Already documented: the At-Risk row "
                               f"from {open_at_risk[0].start} stays open.")]
        return [GridChange("add", new, "At-Risk definition met; start = the date identified.")]
    changes = [GridChange("end", GridRow(r.type, r.start, max(r.start, new.start), r.origin), (
        f"End the At-Risk row from {r.start}: the youth became a victim on {new.start}, and a "
        "youth cannot be at risk and a victim at the same time (001, CSEC Type 1)."))
        for r in open_at_risk]
    same = [r for r in open_victims if r.type == new.type]
    if same and new.type not in REPEATABLE:
        changes.append(GridChange("keep", same[0], f"Already documented: {same[0].describe()}."))
    else:
        changes.append(GridChange("add", new, proposed.reason))
    return changes


def apply_changes(rows: list[GridRow], changes: list[GridChange]) -> list[GridRow]:
    """The grid after the changes: ended rows replaced, added rows appended."""
    out = list(rows)
    for change in changes:
        if change.action == "end":
            out = [change.row if (r.type, r.start, r.origin, r.end) ==
                   (change.row.type, change.row.start, change.row.origin, None) else r for r in out]
        elif change.action == "add":
            out.append(change.row)
    return out


def grid_problems(rows: list[GridRow], dob: dt.date | None, today: dt.date) -> list[str]:
    """Every rule of 001 ("Start and End Dates", Attachment B) the grid breaks, explained."""
    out = [f"{LABELS[r.type]} row from {r.start}: {problem}"
           for r in rows for problem in date_problems(r.type, r.start, r.end, dob, today)]
    at_risk = [r for r in rows if r.active and not r.victim]
    victims = [r for r in rows if r.active and r.victim]
    for a in at_risk:
        for v in victims:
            out.append(f"The At-Risk row from {a.start} is still open while the row "
                       f"{v.describe()} is open: a youth cannot be at risk and a victim at the "
                       "same time. Give the At-Risk row an end date (the date the youth became "
                       "a victim) before saving the Victim row (001, Start and End Dates).")
    return out
