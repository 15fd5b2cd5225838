"""From the hotline to the field: what a hotline screen hands to the worker assigned to the
referral (issue 16 item 5).

A `Handoff` is the minimum necessary: the hotline session's id and date, the case facts the
screen recorded (about the child, not the caller or the screener), the red flags the caller
reported, and the referral itself: the forms of exploitation the caller reported (S, L, C) and
the At-Risk signs the caller described, each with the hotline step and cue it came from and the
caller's words there, the investigative areas the screener recorded (003, "Investigative Areas
to Address": the cues ticked and the notes at those steps, as the caller reported them), and the
hotline's routing (its response tier and deadline, and when the
call was). No determination of the worker's travels: what the caller reported is the referral,
not a finding, and the screener's suspicion stays the hotline's; the worker makes their own
findings. The routing is a fact about the referral the worker's documents must not contradict.

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
# Version 1: facts, red flags, the referral. Version 2 (review2 C2): a package with investigative
# areas, and every correction: a laptop that reads only 1 says "update csec-interview" rather
# than "damaged or edited" (areas), or taking a correction for a copy. What this version reads:
READS = (1, 2)
# The case facts that travel: the child's, as the screen recorded them. Not the screener or the
# caller (interviewer, interviewee), not the call's date (the package has it), not the worker's
# own determination of when the child was exploited.
FACTS = tuple(f for f in m.CONTEXT_FIELDS
              if f not in ("interviewer", "interviewee", "interview_date", "exploited_during",
                           "exploited_from"))
MAX_WORDS = 2000          # the caller's words at one step (or a note) that travel
MAX_DEADLINE = 200        # the routing's deadline, as the hotline's catalog words it
# A package bigger than this is not one the screen made: `send` refuses one whose seed event
# would not fit one stored event (storage.log.MAX_EVENT, 65,498 bytes of compact JSON), and the
# package's own JSON (spaced) is at most about twice that.
MAX_PACKAGE = 128 * 1024
# What replaces the end of words longer than MAX_WORDS: the worker sees they were cut, and where
# the whole account is. Never taken for the caller's own words.
CUT = " [... cut here by csec-interview: the whole account is in hotline screen {session}]"
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")
_FROM = ("answer", "cue", "chart", "screener")
_REPORTED_FROM = ("answer", "cue")  # a reported form or At-Risk sign: the caller's, at a step
TIERS = ("immediate_crisis", "initial_mdt")  # interview.rules.response's speeds
# The hotline flow's section of 003's "Investigative Areas to Address": its steps' ticked cues and
# notes travel as reported by the caller (the exploiter, the child, the family; never the caller).
AREAS = "investigate"


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


@dataclass(frozen=True, slots=True)
class Routing:
    """The hotline's routing of the referral (002 MOU IV.D: the hotline determines "the speed
    of the response, either Immediate Crisis or Initial MDT"): the tier, its deadline in the
    hotline's words, and when the call was (`at`, ISO with its offset; "" when the screen
    recorded only the day)."""

    tier: str             # "immediate_crisis" or "initial_mdt"
    deadline: str
    at: str = ""

    def as_json(self) -> dict:
        return {"tier": self.tier, "deadline": self.deadline, **({"at": self.at} if self.at
                                                                else {})}


@dataclass(frozen=True)
class Handoff:
    session: str                       # the hotline session's id
    date: dt.date                      # the day of the call
    facts: dict[str, Any]              # case facts as JSON values (dates ISO), checked
    red_flags: tuple[ReportedFlag, ...]
    # Who handed it over, as the county database (not the package) says: {"role", "team"}.
    # Set by the receiving sync (`with_sender`); a package as the screen makes it has none.
    sender: dict[str, str] | None = None
    # The referral: the forms the caller reported (id: a form of model.FORMS) and the At-Risk
    # signs the caller described (id: the letter), each with the step, cue and caller's words;
    # and the hotline's routing. A package made before they travelled has none of them.
    forms: tuple[ReportedFlag, ...] = ()
    at_risk: tuple[ReportedFlag, ...] = ()
    routing: Routing | None = None
    # The investigative areas the screener recorded, as the caller reported them: a cue ticked at
    # one of the AREAS steps ("cue", step, cue) and the note there ("answer", step, words). A
    # package made before they travelled has none.
    areas: tuple[ReportedEvidence, ...] = ()
    # As written (READS): 2 when it has areas or corrects an earlier package (`as_correction`).
    version: int = 1

    def body(self) -> dict:
        out = {"kind": KIND, "version": self.version,
               "hotline": {"session": self.session, "date": self.date.isoformat()},
               "facts": dict(self.facts),
               "red_flags": [f.as_json() for f in self.red_flags]}
        # Only when there is something: a referral with none of it makes the package (and the
        # digest) a package made before they travelled did.
        if self.forms or self.at_risk:
            out["reported"] = {"forms": [f.as_json() for f in self.forms],
                               "at_risk": [f.as_json() for f in self.at_risk]}
        if self.areas:
            out["areas"] = [e.as_json() for e in self.areas]
        if self.routing is not None:
            out["routing"] = self.routing.as_json()
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

    def as_correction(self) -> "Handoff":
        """This package as the correction of an earlier one of its screen (version 2: a laptop
        that reads version 1 only would take it for a copy of the first, received before)."""
        return replace(self, version=max(self.version, 2))

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
    flags = [ReportedFlag(flag_id, _evidence(evidence, record, cut))
             for flag_id, evidence in findings.red_flags.items()]
    flags.sort(key=lambda f: session.library.red_flags[f.id].row)
    # The referral: what the caller reported (the caller's account at a step, never the
    # screener's own confirmation or reasons), and how the hotline routed it.
    # A form the screener confirmed with nothing the caller said behind it stays the hotline's:
    # it would travel as "reported by the caller" (the review: A1).
    forms = tuple(ReportedFlag(form, caller) for form in m.FORMS if findings.disclosed.get(form)
                  and (caller := _evidence(findings.disclosure_evidence.get(form, ()), record,
                                           cut, _REPORTED_FROM)))
    signs = [ReportedFlag(letter, caller)
             for letter, evidence in sorted(findings.at_risk_indicators.items())
             if (caller := _evidence(evidence, record, cut, _REPORTED_FROM))]
    routing = None
    if findings.response is not None and findings.response.speed in TIERS:
        routing = Routing(findings.response.speed,
                          findings.response.as_json(session.library)["deadline"] or "",
                          _call_time(session.events, day))
    areas = _areas(flow, record, cut)
    package = Handoff(session_id, day, facts, tuple(flags), forms=forms, at_risk=tuple(signs),
                      routing=routing, areas=areas, version=2 if areas else 1)
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
    cut = CUT.format(session=handoff.session)
    return list(dict.fromkeys(
        [e.step or f"red flag {f.id}" for f in handoff.red_flags + handoff.forms + handoff.at_risk
         for e in f.evidence if e.words.endswith(cut)] +
        [e.step for e in handoff.areas if e.words.endswith(cut)]))


def too_large(handoff: Handoff, library: m.Library, limit: int) -> str:
    """"" when the youth interview the package seeds can store it (one event of at most
    `limit` bytes of compact JSON, with room for the sender the database adds); else the one
    message for the screener, naming the longest words to shorten."""
    received = handoff.with_sender("x" * 63, "x" * 100)  # the longest role and team
    event = {"type": "handoff", "at": "2000-01-01T00:00:00+00:00", "value": received.as_json()}
    size = len(json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size <= limit:
        return ""
    where = {}  # each step's (or chart row's note's) words, the longest first, each once
    for f in handoff.red_flags:
        for e in f.evidence:
            name = (f"chart row {library.red_flags[f.id].row}, "
                    f"{'step ' + e.step if e.step else 'its note'}")
            where.setdefault(e.step or name, (len(e.words), name))
    for e in [e for f in handoff.forms + handoff.at_risk for e in f.evidence] + \
            [e for e in handoff.areas if e.words]:
        where.setdefault(e.step, (len(e.words), f"step {e.step}"))
    longest = "; ".join(f"{name}: {n:,} characters"
                        for n, name in sorted(where.values(), key=lambda x: -x[0])[:3] if n)
    return (f"handoff: session {handoff.session} makes a package of {size:,} bytes, and the "
            f"receiving worker's computer stores at most {limit:,} in one handoff: shorten the "
            f"longest words behind its red flags and the caller's account "
            f"({longest or 'none'}), then hand it over again")


def area_steps(flow: m.Flow | None) -> dict[str, m.Step]:
    """The hotline flow's investigative-area steps (the AREAS section), by id."""
    section = flow.section_by_id.get(AREAS) if flow is not None else None
    return {step_id: flow.by_id[step_id] for step_id in section.steps} if section else {}


def _areas(flow, record, cut: str) -> tuple[ReportedEvidence, ...]:
    """The investigative areas the screen recorded: each ticked cue in the step's order, then the
    note (cut to MAX_WORDS as the caller's account is)."""
    out: list[ReportedEvidence] = []
    for step_id, step in area_steps(flow).items():
        answer = record.answers.get(step_id)
        if answer is None:
            continue
        out += [ReportedEvidence("cue", step_id, c.id) for c in step.cues if c.id in answer.cues]
        words = _cut(answer.text.strip(), cut)
        if words:
            out.append(ReportedEvidence("answer", step_id, words=words))
    return tuple(out)


def _cut(words: str, cut: str) -> str:
    """The caller's words as the reader takes them: at most MAX_WORDS, marked where cut."""
    return words if len(words) <= MAX_WORDS else words[:MAX_WORDS - len(cut)].rstrip() + cut


def _evidence(evidence, record, cut: str, kinds=_FROM) -> tuple[ReportedEvidence, ...]:
    """Where the hotline recorded one finding (of `kinds`), once each, the caller's words cut to
    MAX_WORDS as the reader takes them (marked as cut)."""
    seen: list[ReportedEvidence] = []
    for e in evidence:
        item = _reported_evidence(e, record)
        if item.source not in kinds:
            continue
        item = replace(item, words=_cut(item.words, cut))
        if item not in seen:
            seen.append(item)
    return tuple(seen)


def _call_time(events, day: dt.date) -> str:
    """When the call was: the screen's first event, when it is on the call's day (a screen
    recorded later, with the call's date given, has only the day)."""
    for event in events:
        try:
            at = dt.datetime.fromisoformat(event.at)
        except (ValueError, TypeError):
            continue
        return event.at if at.tzinfo is not None and at.astimezone().date() == day else ""
    return ""


def _first_day(events) -> dt.date:
    """The day of the screen's first event on this computer's clock (events are stamped in
    UTC: an evening call in California is the next day in UTC, which then read as a date in
    the future and the screen could not be handed over: the review, B1)."""
    for event in events:
        try:
            return dt.datetime.fromisoformat(event.at).astimezone().date()
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


def _version(value: Any) -> None:
    if type(value) is not int or value not in READS:
        raise HandoffError(f"handoff package: version {str(value)[:10]!r} is not one this "
                           f"version of csec-interview reads ({', '.join(map(str, READS))}); "
                           "update csec-interview on this machine or on the screener's")


def _text(value: Any, where: str, limit: int = MAX_WORDS) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise _fail(f"{where} is not text of at most {limit} characters")
    return value


def _load(data: Any, library: m.Library) -> Handoff:
    # The kind and version before the keys: a later version's new key says "update
    # csec-interview", not "damaged or edited" (as a version-1 reader said of "areas").
    if isinstance(data, dict) and data.get("kind") == KIND and "version" in data:
        _version(data["version"])
    _keys(data, "the package", {"kind", "version", "hotline", "facts", "red_flags", "digest"},
          {"sender", "reported", "routing", "areas"})
    if data["kind"] != KIND:
        raise HandoffError(f"handoff package: this is not a hotline handoff (kind "
                           f"{str(data['kind'])[:40]!r}); give the file the hotline handed over")
    _version(data["version"])
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
    flags = _findings(raw_flags, "red_flags", library.red_flags, _FROM, "a red flag of the chart")
    forms: tuple[ReportedFlag, ...] = ()
    signs: tuple[ReportedFlag, ...] = ()
    if "reported" in data:
        reported = _keys(data["reported"], "reported", {"forms", "at_risk"})
        forms = _findings(reported["forms"], "reported.forms", m.FORMS, _REPORTED_FROM,
                          "a form of exploitation")
        signs = _findings(reported["at_risk"], "reported.at_risk", library.at_risk,
                          _REPORTED_FROM, "an At-Risk indicator")
    routing = _routing(data["routing"], day) if "routing" in data else None
    areas = _read_areas(data["areas"], library) if "areas" in data else ()
    return Handoff(session, day, dict(facts), flags, _sender(data.get("sender")), forms, signs,
                   routing, areas, data["version"])


def _findings(raw_list: Any, where: str, known, kinds: tuple,
              what: str) -> tuple[ReportedFlag, ...]:
    """A list of reported findings (red flags, forms, At-Risk signs), each an id of `known`
    once, with where it was recorded (of `kinds`)."""
    if not isinstance(raw_list, list):
        raise _fail(f"{where} is not a list")
    out: list[ReportedFlag] = []
    for n, raw in enumerate(raw_list):
        raw = _keys(raw, f"{where}[{n}]", {"id", "evidence"})
        if not isinstance(raw["id"], str) or raw["id"] not in known:
            raise _fail(f"{where}[{n}]: {str(raw['id'])[:40]!r} is not {what}")
        if any(f.id == raw["id"] for f in out):
            raise _fail(f"{where}[{n}]: {raw['id']!r} is listed twice")
        if not isinstance(raw["evidence"], list) or not raw["evidence"]:
            raise _fail(f"{where}[{n}].evidence is not a list of where it was recorded")
        evidence = [_read_evidence(ev, f"{where}[{n}].evidence[{k}]", kinds)
                    for k, ev in enumerate(raw["evidence"])]
        out.append(ReportedFlag(raw["id"], tuple(evidence)))
    return tuple(out)


def _read_evidence(ev: Any, at: str, kinds: tuple) -> ReportedEvidence:
    ev = _keys(ev, at, {"from"}, {"step", "cue", "words"})
    if ev["from"] not in kinds:
        raise _fail(f"{at}.from is not one of {', '.join(kinds)}")
    step, cue = _text(ev.get("step", ""), at, 80), _text(ev.get("cue", ""), at, 80)
    if (step and not _ID.match(step)) or (cue and not _ID.match(cue)) \
            or bool(step) != (ev["from"] in ("answer", "cue")) \
            or bool(cue) != (ev["from"] == "cue"):
        raise _fail(f"{at} does not name a hotline step (and cue) as its kind needs")
    return ReportedEvidence(ev["from"], step, cue, _text(ev.get("words", ""), f"{at}.words"))


def _read_areas(raw_list: Any, library: m.Library) -> tuple[ReportedEvidence, ...]:
    """The investigative areas: each a cue of one of the hotline's AREAS steps, or the note
    there (with words), once."""
    if not isinstance(raw_list, list) or not raw_list:
        raise _fail("areas is not a list of the investigative areas recorded")
    steps = area_steps(next((f for f in library.flows.values() if f.setting == "hotline"), None))
    out: list[ReportedEvidence] = []
    for n, raw in enumerate(raw_list):
        e = _read_evidence(raw, f"areas[{n}]", _REPORTED_FROM)
        step = steps.get(e.step)
        if step is None or (e.cue and step.cue(e.cue) is None):
            raise _fail(f"areas[{n}]: {e.step[:40]!r} {e.cue[:40]!r} is not an investigative "
                        "area of the hotline screen")
        if (e.source == "cue") == bool(e.words):
            raise _fail(f"areas[{n}]: a ticked area has no words, a note has words")
        if e in out:
            raise _fail(f"areas[{n}] is listed twice")
        out.append(e)
    return tuple(out)


def _routing(value: Any, day: dt.date) -> Routing:
    value = _keys(value, "routing", {"tier", "deadline"}, {"at"})
    if value["tier"] not in TIERS:
        raise _fail(f"routing.tier is not one of {', '.join(TIERS)}")
    deadline = _text(value["deadline"], "routing.deadline", MAX_DEADLINE)
    at = _text(value.get("at", ""), "routing.at", 40)
    if at:
        try:
            when = dt.datetime.fromisoformat(at)
        except ValueError:
            raise _fail("routing.at is not a date and time (ISO 8601)") from None
        if when.tzinfo is None or day not in (when.date(), when.astimezone().date()):
            raise _fail("routing.at is not a time, with its offset, on the day of the call")
    return Routing(value["tier"], deadline, at)


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


def correct(session, handoff: Handoff) -> str:
    """Record a corrected package of the screen `session` (a youth interview) was started from:
    the hotline changed the screen after handing it over (a call-back). Its referral replaces
    the earlier one (the engine's `_check_correction`); what changed, in words."""
    record = session.record
    earlier = record.handoff
    theirs = {name: (how, _fact_json(getattr(record.context, name)))
              for name, how in held(record).items()}
    session.receive_handoff(handoff)
    return changes(earlier, handoff, session.library, theirs)


def held(record) -> dict[str, str]:
    """The case facts of a youth interview started from a hotline screen that a correction of
    the screen leaves as they are, the worker's own: {name: "confirmed" (a reported fact the
    worker confirmed), "corrected" (one they changed), or "recorded" (one the screen did not
    report that they recorded)}."""
    if record.handoff is None:
        return {}
    out = {name: how for name, how in fact_status(record).items()
           if how in ("confirmed", "corrected")}
    for name in record.facts:
        if name in FACTS and name not in record.handoff.facts:
            out[name] = "recorded"
    return out


def same_package(one: Handoff, other: Handoff) -> bool:
    """The same package, whoever handed it over, and whether or not as a correction (a
    screen's first package sent again after an earlier entry of unknown package is one)."""
    return replace(one, sender=None, version=1).as_json() == \
        replace(other, sender=None, version=1).as_json()


def changes(earlier: Handoff, later: Handoff, library: m.Library,
            theirs: dict[str, tuple[str, Any]] | None = None) -> str:
    """What a corrected package changed, in words: the routing first, then the reported facts,
    the allegation and signs, the red flags. `theirs`: {fact: (how, value)} for the facts that
    stayed the worker's (`held`, with the worker's value as JSON): where the hotline now reports
    another value, both are said, for the worker to decide."""
    theirs = theirs or {}
    vocab = library.vocabulary

    def tier(h: Handoff) -> str:
        return (f"{vocab.label('response_tiers', h.routing.tier)} ({h.routing.deadline})"
                if h.routing else "none")

    out = []
    if earlier.routing != later.routing and tier(earlier) != tier(later):
        out.append(f"routing now {tier(later)}, was {tier(earlier)}")
    for name in dict.fromkeys([*earlier.facts, *later.facts]):
        was, now = earlier.facts.get(name), later.facts.get(name)
        if was != now and name in theirs and theirs[name][1] != now:
            how, mine = theirs[name]
            label = name.replace('_', ' ')
            out.append((f"the hotline now reports {label}: {_shown(vocab, name, now)}"
                        if now is not None else f"the hotline no longer reports {label}")
                       + f"; you {'confirmed' if how == 'confirmed' else 'recorded'} "
                       + (_shown(vocab, name, mine) if mine is not None else "none"))
        elif was != now:
            said = [_shown(vocab, name, v) if v is not None else "not reported" for v in (now, was)]
            out.append(f"{name.replace('_', ' ')} now {said[0]}, was {said[1]}")
    added, gone = [], []
    for before, after, words in (
            (earlier.forms, later.forms, lambda ids: [vocab.label("forms", i) for i in ids]),
            (earlier.at_risk, later.at_risk, lambda ids: [f"At-Risk {', '.join(ids)}"]),
            (earlier.red_flags, later.red_flags, lambda ids: [
                f"red flag{'s' * (len(ids) > 1)} "
                + ", ".join(str(library.red_flags[i].row) for i in ids)])):
        ids = [f.id for f in before], [f.id for f in after]
        for into, which in ((added, [i for i in ids[1] if i not in ids[0]]),
                            (gone, [i for i in ids[0] if i not in ids[1]])):
            if which:
                into += words(which)  # one kind at a time: "At-Risk D, G", "red flags 12, 19"
    if added:
        out.append(f"now reported: {'; '.join(added)}")
    if gone:
        out.append(f"no longer reported: {'; '.join(gone)}")
    return "; ".join(out) or "the caller's words or where they were recorded"


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
    routing = handoff.routing
    areas: dict[str, dict] = {}  # step: its question, the cues' labels, the note
    for e in handoff.areas:
        area = areas.setdefault(e.step, {"step": e.step, "labels": [], "words": "",
                                         "question": evidence(e)["question"]})
        if e.cue:
            area["labels"].append(evidence(e)["label"])
        else:
            area["words"] = e.words
    return {
        "by": "hotline", "session": handoff.session, "date": handoff.date.isoformat(),
        "sender": dict(handoff.sender) if handoff.sender else None,
        # The referral, as the caller reported it and the hotline routed it: not the worker's
        # findings (they count towards none), and never shown to the youth.
        "forms": [{"id": f.id, "title": vocab.label("forms", f.id),
                   "letter": vocab.labels("forms", "letter").get(f.id, ""),
                   "evidence": [evidence(e) for e in f.evidence]} for f in handoff.forms],
        "at_risk": [{"letter": f.id, "label": library.at_risk[f.id].label,
                     "evidence": [evidence(e) for e in f.evidence]} for f in handoff.at_risk],
        "routing": {"tier": routing.tier,
                    "label": vocab.label("response_tiers", routing.tier),
                    "deadline": routing.deadline,
                    "on": _when(handoff.date, routing.at)} if routing else None,
        # The investigative areas (003), as the caller reported them: not the worker's findings.
        "areas": list(areas.values()),
        "red_flags": [{"id": f.id, "row": library.red_flags[f.id].row,
                       "label": library.red_flags[f.id].label,
                       "columns": list(library.red_flags[f.id].columns),
                       "seen": f.id in record.observations,
                       "evidence": [evidence(e) for e in f.evidence]}
                      for f in handoff.red_flags],
        "facts": [{"name": name, "value": value, "status": status[name],
                   "shown": _shown(vocab, name, value)}
                  for name, value in handoff.facts.items()],
        # Each reported fact's status by name, for the documents that print the facts
        # (templates/reports/shared.j2 yes_no).
        "fact_status": status,
    }


def _when(day: dt.date, at: str) -> str:
    """The call's day, and its time on the reader's clock when the screen has it."""
    if not at:
        return day.isoformat()
    when = dt.datetime.fromisoformat(at).astimezone()  # the reader's clock, as deadlines are
    zone = when.tzname() or f"UTC{when:%z}"
    return f"{day.isoformat()} at {when:%H:%M} {zone}"


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
