"""From the hotline to the field: what a hotline screen hands to the worker assigned to the
referral (issue 16 item 5).

A `Handoff` is the minimum necessary: the hotline session's id and date, the case facts the
screen recorded (about the child, not the caller or the screener), and the red flags the
caller reported, each with the hotline step it came from and the caller's words there. Nothing
else: no determination (a suspicion, a response tier) travels, since the worker makes their own.

It is data: `as_json()` / `Handoff.from_json()` (strict: a malformed or edited package is
refused with one message), and `seed(session, handoff)` records it as the first event of the
youth interview. There the reported facts fill the facts form, marked as reported until the
worker confirms (`confirm`) or corrects each, and drive the next steps as the hotline's own facts
do; the reported red flags are shown as reported by the hotline, never as the worker's own
observation, and count towards no finding (a red flag alone is never a determination anyway).

Headless: no Textual, no storage, no database (the county package carries the JSON).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, replace
from typing import Any

from interview.content import model as m
from interview.errors import InputError
from interview.package import read_json
from interview.record import Absence, check_plausible, parse_context

KIND = "csec-interview handoff"
VERSION = 1
# The case facts that travel: the child's, as the screen recorded them. Not the screener or the
# caller (interviewer, interviewee), not the call's date (the package has it), not the worker's
# own determination of when the child was exploited.
FACTS = tuple(f for f in m.CONTEXT_FIELDS
              if f not in ("interviewer", "interviewee", "interview_date", "exploited_during",
                           "exploited_from"))
MAX_WORDS = 2000          # the caller's words at one step (or a note) that travel
# A package bigger than this is not one the screen made: `send` refuses one whose seed event
# would not fit one stored event (storage.log.MAX_EVENT, 65,498 bytes of compact JSON), and the
# package's own JSON (spaced) is at most about twice that.
MAX_PACKAGE = 128 * 1024
# What replaces the end of words longer than MAX_WORDS: the worker sees they were cut, and where
# the whole account is. Never taken for the caller's own words.
CUT = " [... cut here by csec-interview: the whole account is in hotline screen {session}]"
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")
_FROM = ("answer", "cue", "chart", "screener")


class HandoffError(InputError):
    """A handoff package that cannot be used; one message says what and how to fix it.
    `what`: the problem alone, without the advice to the receiving worker."""

    what: str = ""


@dataclass(frozen=True, slots=True)
class ReportedEvidence:
    """Where the hotline recorded a red flag: a step's answer or cue, the chart, or the
    screener's own confirmation; `words` are the caller's words there (or the screener's
    reason), as typed."""

    source: str           # "answer", "cue", "chart", "screener"
    step: str = ""        # the hotline step id (answer, cue)
    cue: str = ""         # the cue ticked (cue)
    words: str = ""

    def as_json(self) -> dict:
        out: dict[str, str] = {"from": self.source}
        for key in ("step", "cue", "words"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


@dataclass(frozen=True, slots=True)
class ReportedFlag:
    id: str
    evidence: tuple[ReportedEvidence, ...]

    def as_json(self) -> dict:
        return {"id": self.id, "evidence": [e.as_json() for e in self.evidence]}


@dataclass(frozen=True)
class Handoff:
    session: str                       # the hotline session's id
    date: dt.date                      # the day of the call
    facts: dict[str, Any]              # case facts as JSON values (dates ISO), checked
    red_flags: tuple[ReportedFlag, ...]
    # Who handed it over, as the county database (not the package) says: {"role", "team"}.
    # Set by the receiving sync (`with_sender`); a package as the screen makes it has none.
    sender: dict[str, str] | None = None

    def body(self) -> dict:
        out = {"kind": KIND, "version": VERSION,
               "hotline": {"session": self.session, "date": self.date.isoformat()},
               "facts": dict(self.facts),
               "red_flags": [f.as_json() for f in self.red_flags]}
        if self.sender is not None:
            out["sender"] = dict(self.sender)
        return out

    def with_sender(self, role: str, team: str | None) -> "Handoff":
        """This package as received from `role` (of `team`, when the database recorded it):
        whatever the package itself said about its sender is replaced."""
        sender = {"role": str(role)}
        if team:
            sender["team"] = str(team)
        return replace(self, sender=sender)

    def as_json(self) -> dict:
        body = self.body()
        return {**body, "digest": _digest(body)}

    def dumps(self) -> str:
        return json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: Any, library: m.Library) -> "Handoff":
        return _load(data, library)

    @classmethod
    def loads(cls, text: str | bytes, library: m.Library) -> "Handoff":
        """A package received from another machine: read strictly, and its facts checked for
        plausibility as any facts given are (record.check_plausible: a date of birth making the
        child over 21 is refused here; a seed event saved before this check replays as it was,
        through `from_json`)."""
        handoff = _load(read_json(text, MAX_PACKAGE, _fail), library)
        try:
            check_plausible(handoff.context)
        except InputError as exc:
            raise _fail(f"facts: {exc}") from None
        return handoff

    @property
    def context(self):
        """The reported facts as case facts (a `Context`)."""
        return parse_context(self.facts, today=self.date)


def _digest(body: dict) -> str:
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fact_json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Absence):
        return {"left": value.left.isoformat(), "returned": value.returned.isoformat()}
    if isinstance(value, tuple):
        return list(value)
    return value


# --- making a package from a hotline screen -------------------------------------------------

def handoff_from(session, session_id: str) -> Handoff:
    """The handoff of a hotline session (finished or in progress): its case facts and the red
    flags the caller reported, with where each was recorded. `session` is an engine Session of a
    hotline flow; `session_id` its id in the store."""
    flow = session.flow
    if flow.setting != "hotline":
        raise InputError(f"handoff: session {session_id} is a {flow.id!r} interview; only a "
                         "hotline screen is handed to the worker assigned to the referral")
    if not isinstance(session_id, str) or not _ID.match(session_id):
        raise InputError(f"handoff: {session_id!r} is not a session id")
    record = session.record
    context = record.context
    day = context.interview_date or _first_day(session.events)
    facts = {name: _fact_json(getattr(context, name)) for name in FACTS
             if getattr(context, name) not in (None, ())}
    findings = session.findings
    cut = CUT.format(session=session_id)
    flags = []
    for flag_id, evidence in findings.red_flags.items():
        seen: list[ReportedEvidence] = []
        for e in evidence:
            item = _reported_evidence(e, record)
            if len(item.words) > MAX_WORDS:  # as the reader takes them, marked as cut
                item = replace(item, words=item.words[:MAX_WORDS - len(cut)].rstrip() + cut)
            if item not in seen:
                seen.append(item)
        flags.append(ReportedFlag(flag_id, tuple(seen)))
    flags.sort(key=lambda f: session.library.red_flags[f.id].row)
    package = Handoff(session_id, day, facts, tuple(flags))
    try:  # what the writer makes, the reader reads: the receiving computer's own checks
        Handoff.loads(package.dumps(), session.library)
    except HandoffError as exc:
        raise InputError(f"handoff: session {session_id} cannot be handed over as it is: the "
                         f"receiving worker's computer would refuse it ({exc.what or exc}); "
                         "correct the screen, then hand it over again") from None
    return package


def cut_words(handoff: Handoff) -> list[str]:
    """Where the caller's words were cut to MAX_WORDS (the chart row or step), for the
    screener's message."""
    return [e.step or f"red flag {f.id}" for f in handoff.red_flags for e in f.evidence
            if e.words.endswith(CUT.format(session=handoff.session))]


def too_large(handoff: Handoff, library: m.Library, limit: int) -> str:
    """"" when the youth interview the package seeds can store it (one event of at most
    `limit` bytes of compact JSON, with room for the sender the database adds); else the one
    message for the screener, naming the longest words to shorten."""
    received = handoff.with_sender("x" * 63, "x" * 100)  # the longest role and team
    event = {"type": "handoff", "at": "2000-01-01T00:00:00+00:00", "value": received.as_json()}
    size = len(json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size <= limit:
        return ""
    words = sorted(((len(e.words), f, e) for f in handoff.red_flags for e in f.evidence),
                   key=lambda x: -x[0])[:3]
    longest = "; ".join(
        f"chart row {library.red_flags[f.id].row}, {'step ' + e.step if e.step else 'its note'}"
        f": {n:,} characters"
        for n, f, e in words if n)
    return (f"handoff: session {handoff.session} makes a package of {size:,} bytes, and the "
            f"receiving worker's computer stores at most {limit:,} in one handoff: shorten the "
            f"longest words behind its red flags ({longest or 'none'}), then hand it over again")


def _first_day(events) -> dt.date:
    for event in events:
        try:
            return dt.date.fromisoformat(event.at[:10])
        except (ValueError, TypeError):
            continue
    return dt.date.today()


def _reported_evidence(e, record) -> ReportedEvidence:
    if e.kind == "observation":
        return ReportedEvidence("chart", words=e.note)
    if e.kind == "override":
        return ReportedEvidence("screener", words=e.note)
    answer = record.answers.get(e.step)
    words = answer.text.strip() if answer is not None else ""
    return ReportedEvidence(e.kind, e.step, e.cue if e.kind == "cue" else "", words)


# --- reading a package, strictly ------------------------------------------------------------

def _fail(what: str) -> HandoffError:
    exc = HandoffError(f"handoff package: {what}; it was damaged or edited on the way, ask the "
                       "screener to hand it over again")
    exc.what = what
    return exc


def _keys(data: Any, where: str, required: set, optional: set = frozenset()) -> dict:
    if not isinstance(data, dict):
        raise _fail(f"{where} is not a mapping")
    missing, extra = required - set(data), set(data) - required - set(optional)
    if missing:
        raise _fail(f"{where} has no {sorted(missing)[0]!r}")
    if extra:
        raise _fail(f"{where} has an unknown key {sorted(map(str, extra))[0]!r}")
    return data


def _text(value: Any, where: str, limit: int = MAX_WORDS) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise _fail(f"{where} is not text of at most {limit} characters")
    return value


def _load(data: Any, library: m.Library) -> Handoff:
    _keys(data, "the package", {"kind", "version", "hotline", "facts", "red_flags", "digest"},
          {"sender"})
    if data["kind"] != KIND:
        raise HandoffError(f"handoff package: this is not a hotline handoff (kind "
                           f"{str(data['kind'])[:40]!r}); give the file the hotline handed over")
    if data["version"] != VERSION:
        raise HandoffError(f"handoff package: version {str(data['version'])[:10]!r} is not one "
                           f"this version of csec-interview reads ({VERSION}); update "
                           "csec-interview on this machine or on the screener's")
    body = {k: v for k, v in data.items() if k != "digest"}
    if data["digest"] != _digest(body):
        raise _fail("its content does not match its digest")
    hotline = _keys(data["hotline"], "hotline", {"session", "date"})
    session = _text(hotline["session"], "hotline.session", 80)
    if not _ID.match(session):
        raise _fail("hotline.session is not a session id")
    try:
        day = dt.date.fromisoformat(_text(hotline["date"], "hotline.date", 10))
    except ValueError:
        raise _fail("hotline.date is not a date (YYYY-MM-DD)") from None
    if day > dt.date.today():
        raise _fail(f"hotline.date {day} is in the future")
    facts = data["facts"]
    if not isinstance(facts, dict):
        raise _fail("facts is not a mapping")
    unknown = [k for k in facts if k not in FACTS]
    if unknown:
        raise _fail(f"facts has {str(unknown[0])[:40]!r}, not a case fact a hotline hands over")
    try:
        parse_context(facts, today=day)
    except InputError as exc:
        raise _fail(f"facts: {exc}") from None
    raw_flags = data["red_flags"]
    if not isinstance(raw_flags, list):
        raise _fail("red_flags is not a list")
    flags: list[ReportedFlag] = []
    for n, raw in enumerate(raw_flags):
        raw = _keys(raw, f"red_flags[{n}]", {"id", "evidence"})
        if raw["id"] not in library.red_flags or not isinstance(raw["id"], str):
            raise _fail(f"red_flags[{n}]: {str(raw['id'])[:40]!r} is not a red flag of the chart")
        if any(f.id == raw["id"] for f in flags):
            raise _fail(f"red_flags[{n}]: {raw['id']!r} is listed twice")
        if not isinstance(raw["evidence"], list) or not raw["evidence"]:
            raise _fail(f"red_flags[{n}].evidence is not a list of where it was recorded")
        evidence = []
        for k, ev in enumerate(raw["evidence"]):
            where = f"red_flags[{n}].evidence[{k}]"
            ev = _keys(ev, where, {"from"}, {"step", "cue", "words"})
            if ev["from"] not in _FROM:
                raise _fail(f"{where}.from is not one of {', '.join(_FROM)}")
            step, cue = _text(ev.get("step", ""), where, 80), _text(ev.get("cue", ""), where, 80)
            if (step and not _ID.match(step)) or (cue and not _ID.match(cue)) \
                    or bool(step) != (ev["from"] in ("answer", "cue")) \
                    or bool(cue) != (ev["from"] == "cue"):
                raise _fail(f"{where} does not name a hotline step (and cue) as its kind needs")
            evidence.append(ReportedEvidence(ev["from"], step, cue,
                                             _text(ev.get("words", ""), f"{where}.words")))
        flags.append(ReportedFlag(raw["id"], tuple(evidence)))
    return Handoff(session, day, dict(facts), tuple(flags), _sender(data.get("sender")))


def _sender(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    value = _keys(value, "sender", {"role"}, {"team"})
    return {k: _text(value[k], f"sender.{k}", 100) for k in ("role", "team") if k in value}


# --- into the youth interview ---------------------------------------------------------------

def seed(session, handoff: Handoff) -> None:
    """Start `session` (a new youth interview) from a hotline handoff: its first event carries
    the package, so the store keeps it with the interview and a replay restores it."""
    session.receive_handoff(handoff)


def fact_status(record) -> dict[str, str]:
    """For each reported fact: "reported" (as the hotline said, not yet confirmed),
    "confirmed" by the worker, or "corrected" (the interview now records something else)."""
    handoff = record.handoff
    if handoff is None:
        return {}
    said = handoff.context
    out = {}
    for name in handoff.facts:
        now = getattr(record.context, name)
        if now != getattr(said, name):
            out[name] = "corrected"
        else:
            out[name] = "confirmed" if name in record.confirmed else "reported"
    return out


def reported_json(library: m.Library, record) -> dict | None:
    """What the findings say about a handoff: the hotline's session and date, the reported red
    flags with their evidence (described in the hotline flow's words), and each reported fact
    with its status. None for an interview not started from a handoff."""
    handoff = record.handoff
    if handoff is None:
        return None
    hotline = next((f for f in library.flows.values() if f.setting == "hotline"), None)
    steps = hotline.by_id if hotline else {}

    def evidence(e: ReportedEvidence) -> dict:
        step = steps.get(e.step)
        cue = step.cue(e.cue) if step and e.cue else None
        return {**e.as_json(), "question": (step.text or step.id) if step else e.step,
                "label": cue.label if cue else e.cue}

    status = fact_status(record)
    vocab = library.vocabulary
    return {
        "by": "hotline", "session": handoff.session, "date": handoff.date.isoformat(),
        "sender": dict(handoff.sender) if handoff.sender else None,
        "red_flags": [{"id": f.id, "row": library.red_flags[f.id].row,
                       "label": library.red_flags[f.id].label,
                       "columns": list(library.red_flags[f.id].columns),
                       "seen": f.id in record.observations,
                       "evidence": [evidence(e) for e in f.evidence]}
                      for f in handoff.red_flags],
        "facts": [{"name": name, "value": value, "status": status[name],
                   "shown": _shown(vocab, name, value)}
                  for name, value in handoff.facts.items()],
    }


def _shown(vocab, name: str, value: Any) -> str:
    """A reported fact's value in words (the catalog's labels for choices)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return f"{value.get('left')} to {value.get('returned')}"
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    if name == "case_status" and value in vocab.case_statuses:
        return vocab.case_statuses[value].label
    return str(value).replace("_", " ") if name in m.CHOICE_FACTS else str(value)
