"""The county table: how many children were identified, each counted once (004, Appendix B).

A child with several CSEC Types across their interviews is counted under the first in this
order (004, Appendix B): Victim During Care, Victim in Open Case, Victim while Absent from
Placement, Victim in Closed Case Receiving ILP, Victim Before Care, At Risk. Children are
matched across sessions by the case or client id in the case facts; a session without one is
its own child. The table is de-identified: counts only, no names, dates of birth or free text.

Hotline screens are calls about a child, not interviews that identify one: they are counted on
their own (screens, what was suspected, how fast the response), never as children.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

HIERARCHY = (
    "victim_during_foster_care",
    "victim_open_case_not_in_foster_care",
    "victim_while_absent_from_placement",
    "victim_closed_case_receiving_ilp",
    "victim_before_foster_care",
    "at_risk",
)
COLUMNS = ("sex_trafficking", "labor", "criminal_activity")


@dataclass(frozen=True)
class Screening:
    """What the table needs from one interview, and nothing more."""

    child: str
    date: dt.date
    csec_type: str | None
    red_flag_columns: tuple[tuple[str, ...], ...] = ()
    next_steps: tuple[str, ...] = ()
    setting: str = "interview"
    suspected: tuple[str, ...] = ()          # the forms suspected (hotline screens)
    response: str | None = None              # immediate_crisis or initial_mdt (hotline screens)


FORMS = ("sex_trafficking", "labor_trafficking", "criminal_activity")


@dataclass
class CountyTable:
    children: int = 0
    sessions: int = 0
    by_type: dict[str, int] = field(default_factory=lambda: {t: 0 for t in HIERARCHY})
    red_flags_by_column: dict[str, int] = field(default_factory=lambda: {c: 0 for c in COLUMNS})
    next_steps: dict[str, int] = field(default_factory=dict)
    # Children with a disclosure whose Victim type is not determined yet (when it happened and
    # the case status unknown): not counted under a type, but not lost from the table either.
    type_not_determined: int = 0
    hotline: dict[str, int] = field(default_factory=lambda: {
        "screens": 0, **{f"suspected_{f}": 0 for f in FORMS},
        "immediate_crisis": 0, "initial_mdt": 0})

    def as_json(self) -> dict:
        return {"children": self.children, "sessions": self.sessions,
                "children_by_csec_type": self.by_type,
                "identified": sum(self.by_type.values()),
                "victims_type_not_determined": self.type_not_determined,
                "red_flags_by_column": self.red_flags_by_column,
                "next_steps": dict(sorted(self.next_steps.items())),
                "hotline": self.hotline}

    def csv_rows(self) -> list[tuple[str, str, int]]:
        rows = [("children_by_csec_type", k, v) for k, v in self.by_type.items()]
        rows += [("children_by_csec_type", "type_not_determined", self.type_not_determined)]
        rows += [("red_flags_by_column", k, v) for k, v in self.red_flags_by_column.items()]
        rows += [("next_steps", k, v) for k, v in sorted(self.next_steps.items())]
        rows += [("hotline", k, v) for k, v in self.hotline.items()]
        rows += [("total", "children", self.children), ("total", "sessions", self.sessions)]
        return rows


def screening(library, record, findings, created: dt.date | None, session_id: str) -> Screening:
    """What the table keeps of one interview: who (by case id), when, and counts; no content."""
    context = record.context
    return Screening(
        child=f"case:{context.case_id}" if context.case_id else f"session:{session_id}",
        date=context.interview_date or created or dt.date.today(),
        csec_type=findings.csec_type.type if findings.csec_type else None,
        red_flag_columns=tuple(library.red_flags[rf].columns for rf in findings.red_flags),
        next_steps=tuple(sid for sid, _ in findings.next_steps),
        setting=record.flow.setting,
        suspected=tuple(f for f in FORMS if findings.suspected.get(f)),
        response=findings.response.speed if findings.response else None)


def from_store(library, store) -> tuple[list[Screening], list[str]]:
    """Every saved interview as a Screening, and a line for each one that could not be read."""
    from interview.errors import InterviewError
    from interview.rules import evaluate
    from interview.storage.saved import replay_records

    out: list[Screening] = []
    skipped: list[str] = []
    for session_id, created, record in replay_records(library, store, skipped):
        try:
            findings = evaluate(library, record)
        except InterviewError as exc:  # e.g. a CSEC Type whose dates break a rule of 001
            skipped.append(f"{session_id}: {exc}")
            continue
        out.append(screening(library, record, findings, created, session_id))
    return out, skipped


def count_once(types) -> str | None:
    """The type a child is counted under: the first of HIERARCHY they have, or None."""
    present = set(types)
    return next((t for t in HIERARCHY if t in present), None)


def county_table(screenings, start: dt.date | None = None,
                 end: dt.date | None = None) -> CountyTable:
    table = CountyTable()
    types_by_child: dict[str, set] = {}
    steps: Counter = Counter()
    for s in screenings:
        if (start and s.date < start) or (end and s.date > end):
            continue
        if s.setting == "hotline":
            table.hotline["screens"] += 1
            for form in s.suspected:
                table.hotline[f"suspected_{form}"] += 1
            if s.response in ("immediate_crisis", "initial_mdt"):
                table.hotline[s.response] += 1
            continue
        table.sessions += 1
        types_by_child.setdefault(s.child, set())
        if s.csec_type:
            types_by_child[s.child].add(s.csec_type)
        for columns in s.red_flag_columns:
            for column in columns:
                table.red_flags_by_column[column] += 1
        steps.update(s.next_steps)
    table.children = len(types_by_child)
    for types in types_by_child.values():
        counted = count_once(types)
        if "undetermined" in types and counted in (None, "at_risk"):
            table.type_not_determined += 1  # a victim, whose type is not known yet
        elif counted:
            table.by_type[counted] += 1
    table.next_steps = dict(steps)
    return table
