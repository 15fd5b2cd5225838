"""The county table: how many children were identified, each counted once (004, Appendix B).

A child with several CSEC Types across their interviews is counted under the first in this
order (004, Appendix B): Victim During Care, Victim in Open Case, Victim while Absent from
Placement, Victim in Closed Case Receiving ILP, Victim Before Care, At Risk. Children are
matched across sessions by the case or client id in the case facts, compared by `case_key`
(its letters and digits, case ignored: "EXAMPLE-0001", "example-0001 " and "EXAMPLE 0001" are
one child), so that one child is not counted again because two workers typed their case
number differently (004: "eliminate reporting duplication of cases"); a session without one
is its own child. The table is de-identified: counts only, no names, dates of birth or free text.

Hotline screens are calls about a child, not interviews that identify one: they are counted on
their own (screens, what was suspected, how fast the response), never as children.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from interview.content.model import COLUMNS, FORMS, derived

HIERARCHY = (
    "victim_during_foster_care",
    "victim_open_case_not_in_foster_care",
    "victim_while_absent_from_placement",
    "victim_closed_case_receiving_ilp",
    "victim_before_foster_care",
    "at_risk",
)


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


@dataclass
class CountyTable:
    children: int = 0
    sessions: int = 0
    # Interviews with no case number: each is counted as its own child (it cannot be matched).
    no_case_number: int = 0
    by_type: dict[str, int] = field(default_factory=lambda: {t: 0 for t in HIERARCHY})
    # Summed over the interviews, not per child: a child seen twice is counted in both.
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
                "sessions_without_case_number": self.no_case_number,
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
        rows += [("total", "children", self.children), ("total", "sessions", self.sessions),
                 ("total", "sessions_without_case_number", self.no_case_number)]
        return rows


def case_key(case_id: str) -> str:
    """What a case number is matched on: its letters and digits, compatibility-normalised
    (NFKC: a full-width digit is the digit) and case-folded; spaces, dashes, dots, slashes and
    any other separator are not part of it. Two case numbers that differ in a letter or a digit
    never share a key. The one rule of matching, for the local `aggregate` and `county
    aggregate` alike (both count with `county_table`)."""
    return "".join(c for c in unicodedata.normalize("NFKC", case_id).casefold() if c.isalnum())


def child_key(child: str) -> str:
    """The key a Screening's child is counted once by: `case:` and the case_key of its case
    number; an interview without one is its own child, by its session id (and a case number
    with no letter or digit is matched as typed)."""
    kind, _, value = child.partition(":")
    if kind == "case" and case_key(value):
        return f"case:{case_key(value)}"
    return child


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
    """Every saved interview as a Screening, and a line for each one that could not be read.

    An interview's sealed summary (storage/summary.py) stands for it while it is current: the
    same events, this program's rules and content, and, when the case facts give no interview
    date, the same day. Otherwise its events are replayed and evaluated, and the summary is
    written again for next time (when the store can be written)."""
    from interview.errors import InterviewError
    from interview.rules import evaluate
    from interview.storage.saved import record_of

    stamp = fingerprint(library)
    today = dt.date.today().isoformat()
    out: list[Screening] = []
    skipped: list[str] = []
    for session_id in store.session_ids():
        found = _from_summary(library, store.read_summary(session_id), stamp, today, session_id)
        if found is not None:
            out.append(found)
            continue
        try:
            log = store.open_session(session_id, writable=False)
            record = record_of(library, log)
            findings = evaluate(library, record)
        except InterviewError as exc:  # damaged, or e.g. a CSEC Type whose dates break 001
            skipped.append(f"{session_id}: {exc}")
            continue
        out.append(screening(library, record, findings, log.created_date, session_id))
        save_summary(library, log, record, findings, out[-1])
    return out, skipped


# --- the sealed per-interview summary ---------------------------------------------------------

SUMMARY_VERSION = 1  # what a summary holds; a summary of another version is not used


def fingerprint(library) -> str:
    """What a summary was computed with: this program's rules, engine and content code, and
    the loaded flows, catalogs and county, every value of them (a summary made with other
    rules or content is not used). Computed once per library."""
    return derived(library, "_summary_fingerprint", _fingerprint)


def _fingerprint(library) -> str:
    import hashlib
    from pathlib import Path

    import interview

    digest = hashlib.sha256(f"{SUMMARY_VERSION}\0{interview.__version__}\0".encode())
    package = Path(interview.__file__).parent
    for path in sorted([*package.glob("rules/*.py"), *package.glob("engine/*.py"),
                        *package.glob("content/*.py"), package / "reports" / "aggregate.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(repr(_canonical(library)).encode())
    return digest.hexdigest()[:32]


def _canonical(value):
    """A value with every set sorted and every dataclass as its compared fields, so the same
    content gives the same text in every process."""
    import dataclasses
    from pathlib import PurePath

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((f.name, _canonical(getattr(value, f.name)))
                                           for f in dataclasses.fields(value) if f.compare))
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _canonical(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(_canonical(v)) for v in value))
    if isinstance(value, PurePath):
        return str(value)
    return value


def save_summary(library, log, record, findings=None, found: Screening | None = None) -> bool:
    """Seal what the table keeps of this interview beside its log (best effort: without it the
    next `aggregate` replays the events). Called when an interview is closed and after a
    replay."""
    from interview.rules import evaluate

    if found is None:
        from interview.errors import InterviewError

        try:
            findings = findings or evaluate(library, record)
        except InterviewError:
            return False  # replayed, and reported, every time
        found = screening(library, record, findings, log.created_date, log.id)
    undated = record.context.interview_date is None  # then the findings depend on the day
    return log.write_summary({
        "version": SUMMARY_VERSION, "rules": fingerprint(library),
        "day": dt.date.today().isoformat() if undated else "",
        "child": found.child, "date": found.date.isoformat(), "csec_type": found.csec_type,
        "red_flags": list(findings.red_flags), "next_steps": list(found.next_steps),
        "setting": found.setting, "suspected": list(found.suspected),
        "response": found.response})


def _from_summary(library, data, stamp: str, today: str, session_id: str) -> Screening | None:
    """The Screening a current summary holds; None when there is none or it is not current."""
    if not data or data.get("version") != SUMMARY_VERSION or data.get("rules") != stamp:
        return None
    if data.get("day") and data["day"] != today:
        return None
    try:
        return Screening(
            child=str(data["child"]), date=dt.date.fromisoformat(data["date"]),
            csec_type=data["csec_type"],
            red_flag_columns=tuple(library.red_flags[rf].columns for rf in data["red_flags"]),
            next_steps=tuple(data["next_steps"]), setting=data["setting"],
            suspected=tuple(data["suspected"]), response=data["response"])
    except (KeyError, TypeError, ValueError):
        return None


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
        child = child_key(s.child)
        if child.startswith("session:"):
            table.no_case_number += 1
        types = types_by_child.setdefault(child, set())
        if s.csec_type:
            types.add(s.csec_type)
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
