"""The CSEC Type for the CSEC Data Grid and its date rules (001, "CSEC Data Grid",
"Start and End Dates", Attachment B).

Victim supersedes At-Risk: the two are mutually exclusive, so once a commercial sex act is
disclosed the type is a Victim type and an At-Risk row would end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from interview.content.vocabulary import label, vocabulary
from interview.record import Context
from interview.errors import InputError

# The type for each answer to "when was the child exploited?" (001, CSEC Types 2-6).
TYPE_BY_WHEN = {
    "before_foster_care": "victim_before_foster_care",
    "in_foster_care": "victim_during_foster_care",
    "open_case_not_in_foster_care": "victim_open_case_not_in_foster_care",
    "absent_from_placement": "victim_while_absent_from_placement",
    "closed_case_receiving_ilp": "victim_closed_case_receiving_ilp",
}
# What today's case status proposes when the worker has not said when: only a proposal, since
# the type follows when the child was exploited, not the status on the day of the interview.
WHEN_BY_STATUS = {
    "no_open_case": "before_foster_care",
    "in_foster_care": "in_foster_care",
    "open_case_not_in_foster_care": "open_case_not_in_foster_care",
    "closed_case_receiving_ilp": "closed_case_receiving_ilp",
}


def _type(kind: str) -> str:
    """A CSEC Type's label, from the vocabulary (flows/catalog/vocabulary.yaml)."""
    return label("csec_types", kind)


def _when(when: str) -> str:
    """When the child was exploited, inside a sentence ("while in foster care")."""
    return vocabulary().kinds["exploited_during"][when].says


def _status(status: str) -> str:
    """A case status, inside a sentence ("there is no open case")."""
    return vocabulary().kinds["case_statuses"][status].says


# The case facts this rule reads (interview/content/model.py FACT_TYPES).
FACTS = ("exploited_during", "exploited_from", "case_status", "absence", "date_of_birth",
         "interview_date")
# How the type was reached: the worker said when ("determined"), today's case status suggests
# it ("proposed"), or nothing recorded settles it ("undetermined": the worker must say when).
STATUSES = ("determined", "proposed", "undetermined")
START_BASES = {"exploited_from": "the date the child became a victim, from the case facts",
               "date_identified": "the date identified by the caseworker: the interview date",
               "absence": "the first day absent, from the case facts"}


@dataclass(frozen=True, slots=True)
class CsecType:
    type: str
    start_date: dt.date | None
    end_date: dt.date | None
    reason: str
    status: str = "determined"
    start_basis: str = "date_identified"

    @property
    def documentable(self) -> bool:
        """Whether it can go in the CSEC Data Grid (a type and a start date: for a Victim type
        the date the child became a victim, which only the case facts give)."""
        return self.type != "undetermined" and self.start_date is not None

    def as_json(self) -> dict:
        return {"type": self.type, "label": _type(self.type), "status": self.status,
                "start_date": self.start_date.isoformat() if self.start_date else None,
                "start_basis": START_BASES[self.start_basis] if self.start_date else None,
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
        out.append(f"{_type(kind)} needs an end date (the day the youth returned)")
    return out


def _victim(context: Context) -> CsecType:
    """The Victim type: from when the worker says the child was exploited, else proposed from
    the case status; never guessed from an unknown status or from an absence alone."""
    when, status = context.exploited_during, "determined"
    if when is None:
        when, status = WHEN_BY_STATUS.get(context.case_status or ""), "proposed"
    if when is None:
        return CsecType("undetermined", None, None, (
            "A commercial sex act was disclosed, but neither when it happened nor the case status "
            "is recorded: record when the child was exploited (before foster care, in foster "
            "care, in an open case not in foster care, while absent from placement, or in a "
            "closed case receiving ILP services) in the case facts to document the CSEC Type "
            "(001, CSEC Data Grid)."), "undetermined")
    if when == "absent_from_placement":
        return _while_absent(context)
    kind = TYPE_BY_WHEN[when]
    if status == "determined":
        reason = f"The worker determined the child was exploited {_when(when)}."
    else:
        reason = (f"Proposed from the case status ({_status(context.case_status)}): the type "
                  "follows when the child was exploited, not today's status. Confirm when it "
                  f"happened in the case facts (e.g. {_when('before_foster_care')}: "
                  f"{_type('victim_before_foster_care')}).")
        if context.absence is not None:
            reason += (" An absence from placement is recorded: if it happened during the "
                       f"absence, say so ({_type('victim_while_absent_from_placement')}).")
    if context.exploited_from is not None:
        start, basis = context.exploited_from, "exploited_from"
        reason += f" Start = the date the child became a victim ({start})"
        if kind == "victim_before_foster_care":
            reason += ", which may be before entry into the child welfare system"
        reason += " (001)."
    else:  # the interview date is when it was identified, not when it began
        start, basis = None, "exploited_from"
        reason += (" Start = the date the child became a victim (001), not recorded: record it "
                   "in the case facts (the form's \"Since (date)\"; `exploited_from` in a file) "
                   "to enter the row.")
    return CsecType(kind, start, None, reason, status, basis)


def _while_absent(context: Context) -> CsecType:
    """Type 5 (001): only for a child in foster care, exploited during the absence; start = the
    first day absent, end = the day returned."""
    kind = "victim_while_absent_from_placement"
    if context.case_status not in (None, "in_foster_care"):
        return CsecType("undetermined", None, None, (
            "The worker recorded that it happened while absent from placement, but "
            f"{_type(kind)} applies only to a child in foster care, not the expanded "
            f"populations (001), and {_status(context.case_status)}. Record when the child "
            "was exploited in the terms of the case status."), "undetermined")
    if context.absence is None:
        return CsecType("undetermined", None, None, (
            "The worker recorded that it happened while absent from placement: record the first "
            f"day absent and the day returned in the case facts (start and end of {_type(kind)}, "
            "001)."), "undetermined")
    reason = ("The worker determined the child was exploited while absent from placement: start "
              "= first day absent, end = day returned (001).")
    if context.case_status is None:
        reason += " Applies only to a child in foster care: record the case status."
    return CsecType(kind, context.absence.left, context.absence.returned, reason,
                    "determined" if context.case_status else "proposed", "absence")


def determine(context: Context, victim: bool, at_risk_met: bool) -> CsecType | None:
    if victim:
        found = _victim(context)
        if at_risk_met and found.type != "undetermined":
            found = CsecType(found.type, found.start_date, found.end_date, found.reason + (
                " The At-Risk definition is also met: victim supersedes it, so an open At-Risk "
                "row must be given an end date."), found.status, found.start_basis)
    elif at_risk_met:
        found = CsecType("at_risk", context.today, None, (
            "At-Risk definition met (proposed: it is the caseworker's determination, 001); start "
            "= the date identified by the caseworker."), "proposed", "date_identified")
    else:
        return None
    if found.documentable:
        problems = date_problems(found.type, found.start_date, found.end_date,
                                 context.date_of_birth, dt.date.today())
        if problems:
            raise InputError(f"CSEC Type {_type(found.type)}: " + "; ".join(problems)
                             + " (001, Start and End Dates); check the dates in the context")
    return found


# --- the CSEC Data Grid: the rows a child has, and the changes an interview calls for ---------

REPEATABLE = frozenset({"victim_while_absent_from_placement", "victim_closed_case_receiving_ilp"})


@dataclass(frozen=True, slots=True)
class GridRow:
    """One row of a child's CSEC Data Grid, and where it comes from."""

    type: str
    start: dt.date | None  # None only in a change that is not entered (no type or date yet)
    end: dt.date | None = None
    origin: str = ""

    @property
    def active(self) -> bool:
        return self.end is None

    @property
    def victim(self) -> bool:
        return self.type != "at_risk"

    def describe(self) -> str:
        return (f"{_type(self.type)} from {self.start}"
                + (f" to {self.end}" if self.end else " (open)"))

    def as_json(self) -> dict:
        return {"type": self.type, "label": _type(self.type),
                "start_date": self.start.isoformat() if self.start else None,
                "end_date": self.end.isoformat() if self.end else None, "origin": self.origin}


@dataclass(frozen=True, slots=True)
class GridChange:
    # "add", "end" (give an existing row its end date), "keep", "none" (not entered: the rules
    # of 001 forbid it) or "later" (not entered yet: a type or a date to record first)
    action: str
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
    if not proposed.documentable:
        open_at_risk = [r for r in existing if r.active and not r.victim]
        return [GridChange("later", GridRow(proposed.type, proposed.start_date, None,
                                            origin), "Not entered yet: " + proposed.reason + "".join(
            f" The At-Risk row from {r.start} then ends on the date the youth became a victim "
            "(001, CSEC Type 1)." for r in open_at_risk))]
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
    out = [f"{_type(r.type)} row from {r.start}: {problem}"
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
