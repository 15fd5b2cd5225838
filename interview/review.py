"""A supervisor's review of an interview's determinations (issue 16 item 4).

What a supervisor approves is what the worker determined, each on its own, because each is
documented and acted on separately: the CSEC Type (the CSEC Data Grid row, 001), each At-Risk
indicator (001: the At-Risk determination is the caseworker's, indicator by indicator), each
form of exploitation disclosed or suspected (each is its own allegation in CWS/CMS, 003: two or
more are separate allegations), and the next steps as one plan (the supervisor signs off the
plan; a return says in its comment which step is missing or wrong). `determinations(findings)`
lists them, with ids stable across runs and machines.

A `Review` is one decision per determination, `approve` or `return` with a comment (a return
needs one), the reviewer's role, the time (UTC) and the fingerprint of the findings it was made
against: when the interview has changed since, the review is shown as made against an earlier
version. JSON round trip with a version and strict validation. A review reaches the worker's
interview as an event (`Session.receive_review`), so it is kept, encrypted, with the interview
and replayed with it.

Headless: no Textual, no storage, no database (the county package carries the JSON).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from interview.errors import InputError
from interview.package import read_json

KIND = "csec-interview review"
# Version 2 keeps, with each decision, the value the supervisor saw (what was approved, not
# what the findings say today), and the reviewer's county database role; version 1 reviews
# (neither) still open, and show today's value as before.
VERSION = 2
READS = (1, 2)
DECISIONS = ("approve", "return")
ROLES = ("supervisor",)
MAX_COMMENT = 2000
MAX_VALUE = 500
_REVIEWER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")  # a county database role (schema.ROLE_NAME)
MAX_PACKAGE = 512 * 1024
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


class ReviewError(InputError):
    """A review that cannot be used; one message says what and how to fix it."""


@dataclass(frozen=True, slots=True)
class Determination:
    """One thing a supervisor approves or returns: `id` is stable (e.g. "at_risk:D",
    "disclosure:sex_trafficking", "csec_type", "next_steps"); `title` and `value` are what it
    says now, in the catalogs' words."""

    id: str
    kind: str     # "csec_type", "at_risk", "disclosure", "suspected", "next_steps"
    title: str
    value: str
    evidence: tuple[str, ...] = ()


def _title(ident: str) -> str:
    """The title of a determination no longer in the findings, from its id alone."""
    kind, _, what = ident.partition(":")
    return {"csec_type": "CSEC Type", "next_steps": "Next steps",
            "at_risk": f"At-Risk indicator {what}", "disclosure": f"Disclosed: {what}",
            "suspected": f"Suspected: {what}"}.get(kind, ident).replace("_", " ")


def fingerprint(findings: dict) -> str:
    """The SHA-256 of what a supervisor decides on (`Findings.as_json`'s determinations) as
    canonical JSON: a review made against other determinations has another fingerprint. Not
    the wording (a county's new next-step text changes no decision), and not a proposed CSEC
    Type's start date, which is the day the findings are read until the worker gives one (a
    review of such an interview would otherwise be "earlier" the next morning)."""
    ct = findings.get("csec_type") or {}
    at_risk = findings.get("at_risk") or {}
    decided = {
        "csec_type": {"type": ct.get("type"), "status": ct.get("status"),
                      "start_date": ct.get("start_date") if ct.get("status") == "determined"
                      else None} if ct else None,
        "at_risk": {"met": at_risk.get("met"), "indicators": at_risk.get("indicators", []),
                    "confirmed": at_risk.get("confirmed", [])},
        "disclosed": sorted(k for k, v in (findings.get("disclosures") or {}).items()
                            if v is True),
        "suspected": sorted(k for k, v in (findings.get("suspected") or {}).items()
                            if v is True),
        "next_steps": [s.get("id") for s in findings.get("next_steps") or []],
    }
    text = json.dumps(decided, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def determinations(findings: dict, library=None, setting: str = "interview"
                   ) -> list[Determination]:
    """What the findings determine that a supervisor reviews, in the order a supervisor reads
    them. `findings`: `Findings.as_json(library)`; `library` gives the catalog's labels (without
    it, the ids); `setting` the flow's (at the hotline the chart is what was reported)."""
    from interview.rules.evidence import describe

    vocab = library.vocabulary if library is not None else None

    def lines(evidence) -> tuple[str, ...]:
        return tuple(describe(e, setting) for e in evidence)

    def form_label(form: str) -> str:
        return vocab.label("forms", form) if vocab else form.replace("_", " ")

    out: list[Determination] = []
    ct = findings.get("csec_type")
    if ct:
        value = ct.get("label") or ct.get("type", "")
        if ct.get("start_date"):
            value += f", from {ct['start_date']}"
        if ct.get("status") == "proposed":
            value += " (proposed)"
        out.append(Determination("csec_type", "csec_type", _title("csec_type"), value,
                                 (ct.get("reason") or "",)))
    ar = findings.get("at_risk") or {}
    for letter in ar.get("indicators", ()):
        label = library.at_risk[letter].label if library is not None else letter
        confirmed = letter in ar.get("confirmed", ())
        out.append(Determination(f"at_risk:{letter}", "at_risk",
                                 _title(f"at_risk:{letter}"), label + (
                                     " (confirmed by the worker)" if confirmed else ""),
                                 lines(ar.get("evidence", {}).get(letter, ()))))
    disclosures = findings.get("disclosures") or {}
    suspected = findings.get("suspected") or {}
    forms = [k for k in (vocab.labels("forms") if vocab else
                         ("sex_trafficking", "labor_trafficking", "criminal_activity"))]
    for form in forms:
        # At the hotline a reporter relays, and nothing is disclosed to the screener.
        if disclosures.get(form) is True and setting != "hotline":
            out.append(Determination(f"disclosure:{form}", "disclosure", "Disclosed",
                                     form_label(form),
                                     lines(disclosures.get("evidence", {}).get(form, ()))))
        elif suspected.get(form) is True:
            out.append(Determination(f"suspected:{form}", "suspected", "Suspected",
                                     form_label(form),
                                     lines(suspected.get("evidence", {}).get(form, ()))))
    steps = findings.get("next_steps") or []
    if steps:
        out.append(Determination("next_steps", "next_steps", _title("next_steps"),
                                 f"{len(steps)} proposed",
                                 tuple(s.get("action", s.get("id", "")) for s in steps)))
    return out


@dataclass(frozen=True, slots=True)
class Decision:
    determination: str
    decision: str         # "approve" or "return"
    comment: str = ""
    value: str | None = None  # what the determination said when it was decided (version 2)

    def as_json(self) -> dict:
        return {"determination": self.determination, "decision": self.decision,
                "comment": self.comment, **({} if self.value is None else {"value": self.value})}


@dataclass(frozen=True)
class Review:
    session: str
    role: str
    at: str               # UTC, ISO 8601 (seconds)
    fingerprint: str      # of the findings reviewed
    decisions: tuple[Decision, ...]
    reviewer: str | None = None  # the supervisor's county database role (version 2)

    @classmethod
    def make(cls, session: str, findings: dict, decisions, role: str = "supervisor",
             at: dt.datetime | None = None, *, library=None, setting: str = "interview",
             reviewer: str | None = None) -> "Review":
        """A review of `findings` now: `decisions` as Decision or (id, decision, comment).
        Each keeps the value it decided (`determinations(findings, library, setting)`'s, in
        the catalog's words), so the worker later reads what was approved, not what the
        findings say by then."""
        at = (at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
        values = {d.id: d.value for d in determinations(findings, library, setting)}
        made = tuple(d if isinstance(d, Decision) else Decision(*d) for d in decisions)
        made = tuple(d if d.value is not None or d.determination not in values else
                     Decision(d.determination, d.decision, d.comment, values[d.determination])
                     for d in made)
        if reviewer is not None and not _REVIEWER.match(reviewer):
            reviewer = None  # a role named outside `county add-user`: the review goes unnamed
        review = cls(session, role, at.isoformat(timespec="seconds"), fingerprint(findings), made,
                     reviewer)
        return _load(review.as_json())  # the same checks as a review read back

    @property
    def version(self) -> int:
        """2 when it carries what version 1 could not (values, reviewer), else 1: a version 1
        review received before keeps its own form, and so its place in the interview."""
        return 2 if self.reviewer is not None or any(d.value is not None
                                                       for d in self.decisions) else 1

    def as_json(self) -> dict:
        return {"kind": KIND, "version": self.version, "session": self.session,
                "role": self.role, "at": self.at, "fingerprint": self.fingerprint,
                "decisions": [d.as_json() for d in self.decisions],
                **({"reviewer": self.reviewer} if self.version == 2 else {})}

    def dumps(self) -> str:
        return json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: Any) -> "Review":
        return _load(data)

    @classmethod
    def loads(cls, text: str | bytes) -> "Review":
        return _load(read_json(text, MAX_PACKAGE, _fail))

    @property
    def returned(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.decision == "return")

    def current(self, findings: dict) -> bool:
        """Whether it was made against these findings (not an earlier version of them)."""
        return self.fingerprint == fingerprint(findings)


def _fail(what: str) -> ReviewError:
    return ReviewError(f"review: {what}; it was damaged or edited on the way, ask the supervisor "
                       "to send it again")


def _load(data: Any) -> Review:
    if not isinstance(data, dict):
        raise _fail("it is not a mapping")
    if data.get("kind") != KIND and "kind" in data:
        raise ReviewError("review: this is not a review of an interview; give the file the "
                          "supervisor sent")
    version = data.get("version")
    if "version" in data and (type(version) is not int or version not in READS):
        raise ReviewError(f"review: version {str(version)[:10]!r} is not one this "
                          f"version of csec-interview reads ({VERSION}); update csec-interview")
    keys = {"kind", "version", "session", "role", "at", "fingerprint", "decisions"}
    if version == 2:
        keys.add("reviewer")
    if set(data) != keys:
        missing, extra = keys - set(data), set(data) - keys
        raise _fail(f"it has no {sorted(missing)[0]!r}" if missing
                    else f"it has an unknown key {sorted(map(str, extra))[0][:40]!r}")
    reviewer = data.get("reviewer")
    if reviewer is not None and (not isinstance(reviewer, str) or not _REVIEWER.match(reviewer)):
        raise _fail("reviewer is not a county database user name")
    session = data["session"]
    if not isinstance(session, str) or not _ID.match(session):
        raise _fail("session is not a session id")
    if data["role"] not in ROLES:
        raise _fail(f"role {str(data['role'])[:40]!r} is not one that reviews "
                    f"({', '.join(ROLES)})")
    at = data["at"]
    try:
        when = dt.datetime.fromisoformat(at) if isinstance(at, str) and len(at) <= 40 else None
    except ValueError:
        when = None
    if when is None or when.utcoffset() != dt.timedelta(0):
        raise _fail("at is not a UTC time (YYYY-MM-DDTHH:MM:SS+00:00)")
    if when > dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=10):
        raise _fail(f"at {at} is in the future")
    if not isinstance(data["fingerprint"], str) or not _FINGERPRINT.match(data["fingerprint"]):
        raise _fail("fingerprint is not the findings' SHA-256")
    raw = data["decisions"]
    if not isinstance(raw, list) or not raw:
        raise _fail("decisions is not a list of decisions")
    decisions: list[Decision] = []
    for n, d in enumerate(raw):
        where = f"decisions[{n}]"
        fields = {"determination", "decision", "comment"} | ({"value"} if version == 2 else set())
        if not isinstance(d, dict) or set(d) != fields:
            raise _fail(f"{where} is not {{{', '.join(sorted(fields))}}}")
        ident, decision, comment = d["determination"], d["decision"], d["comment"]
        value = d.get("value")
        if version == 2 and (not isinstance(value, str) or len(value) > MAX_VALUE):
            raise _fail(f"{where}.value is not text of at most {MAX_VALUE} characters")
        if not isinstance(ident, str) or not _ID.match(ident):
            raise _fail(f"{where}.determination is not a determination id")
        if any(x.determination == ident for x in decisions):
            raise _fail(f"{where}: {ident} is decided twice")
        if decision not in DECISIONS:
            raise _fail(f"{where}.decision is not approve or return")
        if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
            raise _fail(f"{where}.comment is not text of at most {MAX_COMMENT} characters")
        if decision == "return" and not comment.strip():
            raise ReviewError(f"review: returning {ident} needs a comment saying what to "
                              "change")
        decisions.append(Decision(ident, decision, comment, value))
    return Review(session, data["role"], at, data["fingerprint"], tuple(decisions), reviewer)


def _now(reviewed: str, today: str) -> str:
    """What a determination says today, when it is not what was reviewed, without the words
    the two end with alike: "2 proposed" reviewed, "8 proposed" today -> "8"."""
    if today == reviewed:
        return ""
    a, b = reviewed.split(" "), today.split(" ")
    while len(a) > 1 and len(b) > 1 and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    return " ".join(b)


def review_view(review: Review, findings: dict, library=None) -> dict:
    """A review as the templates show it (templates/review.j2): when, by whom, whether it was
    made against these findings, and each decision with what it decided: the value the
    supervisor saw (a version 1 review, which has none, shows today's) and, when the findings
    say something else today, what they say (`now`)."""
    now = {d.id: d for d in determinations(findings, library)}

    def decision(d: Decision) -> dict:
        today = now[d.determination].value if d.determination in now else ""
        value = today if d.value is None else d.value
        return {"id": d.determination, "decision": d.decision, "comment": d.comment,
                "title": now[d.determination].title if d.determination in now else
                _title(d.determination), "value": value,
                "now": _now(value, today) if d.determination in now else "",
                "present": d.determination in now}

    return {"at": review.at, "role": review.role, "reviewer": review.reviewer,
            "current": review.current(findings), "returned": len(review.returned),
            "decisions": [decision(d) for d in review.decisions]}


def reviews_view(reviews, findings: dict, library=None) -> list[dict]:
    """Every review of an interview (oldest first, as received), each as `review_view` gives
    it, and which one stands when there are several: the newest (by its time; of two at the
    same second, the one received last) is `standing`, each earlier one `replaced_by` its time.
    A supervisor may review again (a return, then an approval): the worker must not read them
    side by side without knowing which one holds."""
    views = [review_view(r, findings, library) for r in reviews]
    if len(views) > 1:
        newest = max(range(len(views)), key=lambda n: (views[n]["at"], n))
        for n, view in enumerate(views):
            view["standing"] = n == newest
            view["replaced_by"] = None if n == newest else views[newest]["at"]
    return views


def unfinished(session) -> str:
    """What a supervisor is told of an interview not finished (an engine Session), as the
    worker's case note says it; "" when it is finished. A review of one is allowed (a
    supervisor may return it early), never without knowing that little was recorded."""
    if session.finished:
        return ""
    return (f"The interview was not finished: {session.recorded} of "
            f"{len(session.flow.steps)} steps recorded")
