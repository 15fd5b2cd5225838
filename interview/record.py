"""What has been recorded in an interview: answers, observations, case facts and overrides.

This is the state the rules read. Sessions derive it by replaying events; `assess` builds it
from an answer file. Both go through the same checks here, so a wrong value gets the same clear
message wherever it comes from.

It is data both the engine (which records it) and the rules (which read it) use, so it belongs to
neither: it imports only the content model, so the rules need nothing from the engine (the
engine's sessions ask the rules for their findings; the dependency goes one way).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field, fields
from typing import Any

from interview.content import model as m
from interview.errors import is_one_of, suggest
from interview.errors import InputError
from interview.lazy_dataclass import dataclass

FINDING_RE = re.compile(r"^(red_flag|at_risk|disclosure|suspected):([A-Za-z0-9_]+)$")
DISCLOSURE_FINDINGS = m.FORMS  # a disclosure is of one of the forms
DECISIONS = ("confirm", "reject")
# The case statuses of an open case: family maintenance, reunification or permanent placement,
# each a child welfare service (000, Definitions: WIC 16501).
OPEN_CASE = frozenset({"in_foster_care", "open_case_not_in_foster_care"})


@dataclass(frozen=True, slots=True)
class Answer:
    """One step's answer: a value for closed and script steps, notes and ticked cues otherwise."""

    value: str = ""
    text: str = ""
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Override:
    finding: str
    decision: str
    reason: str


@dataclass(frozen=True, slots=True)
class NextStepMark:
    """A next step the worker marked done, when, and how (a note such as a referral number)."""

    id: str
    done: bool
    at: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Absence:
    left: dt.date
    returned: dt.date


@dataclass(frozen=True)
class Context:
    date_of_birth: dt.date | None = None
    interview_date: dt.date | None = None
    case_status: str | None = None
    receiving_child_welfare_services: bool | None = None
    # Yes/no facts are three-state: True, False, or None when nobody recorded them (the rules
    # treat None as not established; reports say "not recorded").
    missing: bool | None = None
    absence: Absence | None = None
    foreign_national: bool | None = None
    immediate_safety_concern: bool | None = None
    case_id: str | None = None
    interviewer: str | None = None
    interviewee: str | None = None
    caregiver_failed_to_protect: bool | None = None
    age: int | None = None                  # in whole years, when the date of birth is not known
    agency: str | None = None               # model.AGENCIES: whose jurisdiction the youth is in
    perpetrator: str | None = None          # model.PERPETRATORS: parent, relative, non-relative
    from_another_county: bool | None = None  # a "parachute" case
    other_allegations: tuple[str, ...] = ()  # model.OTHER_ALLEGATIONS reported with it
    # The worker's determination of when the child was exploited (model.EXPLOITED_DURING) and
    # the date the child became a victim, when known: they decide the CSEC Type and its start.
    exploited_during: str | None = None
    exploited_from: dt.date | None = None
    # The reporter is a medical professional treating the child in an emergency room (002 MOU
    # IV.C.1.B(iv): with sex trafficking suspected or confirmed, an Immediate Crisis MDT).
    emergency_room_report: bool | None = None
    screening_reasons: tuple[str, ...] = ()  # model.SCREENING_REASONS recorded

    @property
    def today(self) -> dt.date:
        return self.interview_date or dt.date.today()

    @property
    def child_welfare_services(self) -> bool | None:
        """Whether the child receives child welfare services (000, WIC 16501): the recorded
        fact, else yes for an open case (in foster care or not); None otherwise, for the rules
        to say so: with no open case an emergency response investigation is one, and ILP after
        a case closed is not in the list."""
        if self.receiving_child_welfare_services is not None:
            return self.receiving_child_welfare_services
        if self.case_status in OPEN_CASE:
            return True
        return None

    @property
    def age_years(self) -> int | None:
        """The child's age on the interview date: from the date of birth, else the age given."""
        if self.date_of_birth:
            return age_on(self.date_of_birth, self.today)
        return self.age


@dataclass
class Record:
    """Everything recorded so far in one interview, in the flow's terms."""

    flow: m.Flow
    context: Context = field(default_factory=Context)
    answers: dict[str, Answer] = field(default_factory=dict)
    observations: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, Override] = field(default_factory=dict)
    # The youth's own words for people and places ("boyfriend", "aunt"), to use back in prompts
    # (003, "Follow the youth's lead"). Keyed by what the worker calls it.
    terms: dict[str, str] = field(default_factory=dict)
    # Next steps the worker has marked done, by next-step id; the rest are open.
    next_steps_done: dict[str, NextStepMark] = field(default_factory=dict)
    # The case facts as given in the facts form (or an answer file's `context`); `context` is
    # these with the facts that answers record laid over them (answer_facts).
    facts: dict[str, Any] = field(default_factory=dict)
    # The language the worker speaks to the youth, caregiver or reporter now (a `language` event
    # changes it), and the language each step was asked in (its answer or skip), by step id. The
    # answers themselves, and so the findings, do not depend on it.
    language: str = "en"
    asked_in: dict[str, str] = field(default_factory=dict)
    # The words the worker was shown to say for a step asked in another language, as its answer
    # or skip event kept them (interview/engine/said.py), so a translation replaced later does
    # not change what the record says was asked. By step id; none for English.
    said_then: dict[str, dict] = field(default_factory=dict)
    # What a hotline screen handed over (an interview.handoff.Handoff), when the interview was
    # started from one, and the reported facts the worker has confirmed (interview/handoff.py).
    handoff: Any = None
    confirmed: frozenset[str] = frozenset()
    # How many times the hotline corrected the screen after handing it over (later packages).
    corrections: int = 0
    # Supervisors' reviews of this interview (interview.review.Review), oldest first.
    reviews: tuple = ()


# --- checking values ------------------------------------------------------------------------

def parse_date(value: Any, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(not_a_date(value, name))


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def not_a_date(value: Any, name: str) -> str:
    """The one message for a date that cannot be read, wherever it was written (an answer
    file, the app's case facts, `aggregate --from`): it names the field, and when the form is
    right but the day or month does not exist, it says so rather than asking for the form."""
    import calendar

    text = str(value).strip()
    shown = repr(text if len(text) <= 40 else text[:40] + "...")
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if found:
        year, month, day = (int(g) for g in found.groups())
        if not 1 <= month <= 12:
            return (f"{name}: {shown} is not a real date: there is no month {month:02d}; write "
                    "it as YYYY-MM-DD (year, month, day), e.g. 2011-04-23")
        if year and not 1 <= day <= calendar.monthrange(year, month)[1]:
            return (f"{name}: {shown} is not a real date: {_MONTHS[month - 1]} {year} has no "
                    f"day {day} (it has {calendar.monthrange(year, month)[1]}); check the day")
    return f"{name}: {shown} is not a date; write it as YYYY-MM-DD, e.g. 2011-04-23"


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("yes", "true"):
        return True
    if value in ("no", "false"):
        return False
    raise InputError(f"{name}: {value!r} is not yes/no; write true or false")


def read_context(data: Any, today: dt.date | None = None) -> Context:
    """The case facts a person gives now (a file, the facts form): parse_context, and
    check_plausible."""
    context = parse_context(data, today)
    check_plausible(context)
    return context


def check_plausible(context: Context) -> None:
    """Refuse facts that are well formed but cannot be a child's: a date of birth that makes the
    child older than 21 on the interview date (the hotline's age range, parse_age), a return
    from an absence after the interview. Checked where facts are given, not where saved
    events are replayed: an interview saved before this check opens as it was."""
    dob, seen = context.date_of_birth, context.today
    if dob and age_on(dob, seen) > MAX_AGE:
        raise InputError(f"context.date_of_birth: {dob} makes the child {age_on(dob, seen)} on "
                         f"the interview date {seen}, older than a child or non-minor dependent "
                         f"(0 to {MAX_AGE}); check the year")
    absence = context.absence
    if absence is not None and absence.returned > seen:
        raise InputError(f"context.absence.returned: {absence.returned} is after the interview "
                         f"date {seen}; give the day the child came back, on or before the "
                         "interview (check both dates)")


def parse_context(data: Any, today: dt.date | None = None) -> Context:
    """Check case facts; bad dates (malformed, in the future, before birth) are errors."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("context: must be a mapping of case facts, e.g. `date_of_birth: 2010-05-01`")
    for key in data:
        if key not in m.CONTEXT_FIELDS:
            hint = suggest(key, m.CONTEXT_FIELDS)
            raise InputError(f"context: unknown case fact {key!r}; "
                             + (hint or f"known facts: {', '.join(m.CONTEXT_FIELDS)}"))
    today = today or dt.date.today()
    values: dict[str, Any] = {}
    for key in ("date_of_birth", "interview_date"):
        if data.get(key) is not None:
            values[key] = parse_date(data[key], f"context.{key}")
            if values[key] > today:
                raise InputError(f"context.{key}: {values[key]} is in the future; "
                                 "give a date on or before today")
    dob, seen = values.get("date_of_birth"), values.get("interview_date") or today
    if dob and dob > seen:
        raise InputError(f"context.date_of_birth: {dob} is after the interview date {seen}: "
                         "the child is not yet born on it; check the year (and the interview "
                         "date)")
    status = data.get("case_status")
    if status is not None and status not in m.CASE_STATUSES:
        raise InputError(f"context.case_status: {status!r} is not a case status; "
                         + (suggest(status, m.CASE_STATUSES) or
                            f"use one of {', '.join(m.CASE_STATUSES)}"))
    values["case_status"] = status
    for key in ("receiving_child_welfare_services", "missing", "foreign_national",
                "immediate_safety_concern", "caregiver_failed_to_protect"):
        if data.get(key) is not None:
            values[key] = _bool(data[key], f"context.{key}")
    for key in ("case_id", "interviewer", "interviewee"):
        if data.get(key) is not None:
            values[key] = _short_text(data[key], f"context.{key}")
    for key in ("from_another_county", "emergency_room_report"):
        if data.get(key) is not None:
            values[key] = _bool(data[key], f"context.{key}")
    for key in ("agency", "perpetrator", "exploited_during"):
        if data.get(key) is not None:
            values[key] = _choice(data[key], key)
    for key in ("other_allegations", "screening_reasons"):
        if data.get(key) is not None:
            raw = data[key]
            raw = list(raw) if isinstance(raw, (list, tuple)) else [raw]
            values[key] = tuple(dict.fromkeys(_choice(v, key) for v in raw))
    if data.get("exploited_from") is not None:
        start = parse_date(data["exploited_from"], "context.exploited_from")
        if start > seen:
            raise InputError(f"context.exploited_from: {start} is after the interview date "
                             f"{seen}; give the date the child became a victim, on or before it")
        if dob and start < dob:
            raise InputError(f"context.exploited_from: {start} is before the date of birth {dob}; "
                             "check both dates")
        values["exploited_from"] = start
    if data.get("age") is not None:
        values["age"] = parse_age(data["age"], "context.age")
        if dob:
            problem = age_mismatch(values["age"], dob, seen)
            if problem:
                raise InputError(f"context.age: {problem}")
    absence = data.get("absence")
    if absence is not None:
        if not isinstance(absence, dict) or set(absence) != {"left", "returned"}:
            raise InputError("context.absence: give both dates, e.g. "
                             "`absence: {left: 2024-03-01, returned: 2024-03-09}`")
        left = parse_date(absence["left"], "context.absence.left")
        returned = parse_date(absence["returned"], "context.absence.returned")
        if returned < left:
            raise InputError(f"context.absence.returned: {returned} is before the day the child "
                             f"left, {left}; check both dates")
        if returned > today or left > today:
            raise InputError("context.absence: a date is in the future; give dates on or before today")
        if dob and left < dob:
            raise InputError(f"context.absence.left: {left} is before the date of birth {dob}")
        values["absence"] = Absence(left, returned)
    return _context(values)


def _context(values: dict[str, Any], _new=object.__new__) -> Context:
    """Context(**values) for values parse_context has checked, without the frozen dataclass's
    object.__setattr__ for each of its 21 fields (most of the cost of parsing a context)."""
    context = _new(Context)
    context.__dict__.update(_CONTEXT_DEFAULTS)
    context.__dict__.update(values)
    return context


_CONTEXT_DEFAULTS = {f.name: f.default for f in fields(Context)}
_PLAIN = {value: Answer(value=value) for value in m.ANSWERS}


# --- answers that record case facts ---------------------------------------------------------

def answer_facts(flow: m.Flow, answers: dict[str, Answer]) -> dict[str, Any]:
    """The case facts the current answers record, in flow order (a later step wins; list
    facts gather). A closed step's `fact` is its yes/no; an open step's is its notes; a cue's
    `sets` count when it is ticked (on a closed step, with a yes)."""
    out: dict[str, Any] = {}
    for step in flow.fact_steps:
        answer = answers.get(step.id)
        if answer is None:
            continue
        if step.fact and step.kind == "closed" and answer.value in ("yes", "no"):
            out[step.fact] = answer.value == "yes"
        elif step.fact and step.kind == "open" and answer.text.strip():
            out[step.fact] = answer.text.strip()
        if answer.cues and (step.kind == "open" or answer.value == "yes"):
            for cue_id in answer.cues:
                cue = step.cue(cue_id)
                for name, value in (cue.sets if cue else ()):
                    if m.is_list_fact(name):
                        out[name] = tuple(dict.fromkeys(tuple(out.get(name, ())) + tuple(value)))
                    else:
                        out[name] = value
    return out


def merge_facts(base: dict[str, Any], recorded: dict[str, Any]) -> dict[str, Any]:
    """The facts form's facts with those recorded by answers laid over them."""
    out = {k: v for k, v in base.items() if v is not None}
    for name, value in recorded.items():
        if m.is_list_fact(name):
            given = out.get(name) or ()
            given = (given,) if isinstance(given, str) else tuple(given)
            out[name] = tuple(dict.fromkeys(given + tuple(value)))
        else:
            out[name] = value
    return out


def context_of(flow: m.Flow, base: dict[str, Any], answers: dict[str, Answer],
               where: str = "") -> "Context":
    """The case facts of a record; a bad recorded value is an InputError naming `where`."""
    try:
        return parse_context(merge_facts(base, answer_facts(flow, answers)))
    except InputError as exc:
        if not where:
            raise
        raise InputError(f"{where}: {str(exc).split(': ', 1)[-1]}") from None


def check_fact_answer(flow: m.Flow, step: m.Step, answer: Answer, base: dict[str, Any],
                      answers: dict[str, Answer]) -> None:
    """Refuse an answer whose recorded facts are wrong (a bad age, two cues setting the same
    fact two ways, an age that contradicts the date of birth), before it is stored."""
    where = f"answers.{step.id}"
    if step.fact and step.kind == "open" and answer.text.strip():
        value = answer.text.strip()
        if m.FACT_TYPES[step.fact] == "age":
            parse_age(value, where)
        elif m.FACT_TYPES[step.fact] == "date":
            parse_date(value, where)
    if answer.cues and (step.kind == "open" or answer.value == "yes"):
        set_by: dict[str, tuple[str, Any]] = {}
        for cue_id in answer.cues:
            cue = step.cue(cue_id)
            for name, value in (cue.sets if cue else ()):
                if m.is_list_fact(name):
                    continue
                if name in set_by and set_by[name][1] != value:
                    raise InputError(f"{where}.cues: {set_by[name][0]!r} and {cue_id!r} record "
                                     f"{name} two ways; tick one of them")
                set_by[name] = (cue_id, value)
    context_of(flow, base, {**answers, step.id: answer}, where)


def bare_answers(flow: m.Flow) -> dict[str, dict[str, Answer]]:
    """Each step's bare answers (a closed step's four, "yes" to a script, an observation or a
    facts step) as the Answers they are: most answers are one of these, so checking them is a
    look-up. Made once per flow, from its steps, and kept on it; never changed."""
    return m.derived(flow, "_bare_answers", _bare_answers)


def _bare_answers(flow: m.Flow) -> dict[str, dict[str, Answer]]:
    yes = {"yes": _PLAIN["yes"]}
    return {step.id: dict(_PLAIN) if step.kind == "closed" else {} if step.kind == "open" else yes
            for step in flow.steps}


_CLOSED_KEYS = frozenset({"answer", "text", "cues"})
_OPEN_KEYS = frozenset({"text", "cues"})


def quick_answer(step: m.Step, raw: Any, bare: dict[str, dict[str, Answer]],
                 _new=object.__new__, _value=Answer.value.__set__, _text=Answer.text.__set__,
                 _cues=Answer.cues.__set__) -> Answer | None:
    """The Answer of the common shapes, when every part of it is fine: a bare answer (a look-up
    in `bare`, the flow's bare_answers), `{answer, text, cues}` to a closed step and
    `{text, cues}` to an open one. None for anything else, which check_answer then checks in
    full (and names what is wrong). Written for speed: `assess` checks ~85 answers a set."""
    if type(raw) is str:
        return bare[step.id].get(raw)
    if type(raw) is not dict:
        return None
    kind = step.kind
    if kind == "open":
        if not raw.keys() <= _OPEN_KEYS:
            return None
        text = raw.get("text")
        if text is None:
            text = ""
        elif type(text) is not str:
            return None
        value = ""
    elif kind == "closed":
        if not raw.keys() <= _CLOSED_KEYS:
            return None
        value = raw.get("answer")
        if value is True or value is False:  # YAML reads a bare yes/no as a boolean
            value = "yes" if value else "no"
        elif type(value) is not str or value not in _PLAIN:
            return None
        text = raw.get("text") or ""
        if type(text) is not str:
            return None
    else:
        return None
    cues = raw.get("cues")
    if not cues:
        cues = ()
    elif type(cues) is not list:
        return None
    else:
        try:
            if not step.cue_ids.issuperset(cues):
                return None
        except TypeError:  # an unhashable cue
            return None
        cues = tuple(cues)
        if len(cues) > 1 and len(set(cues)) < len(cues):
            cues = tuple(dict.fromkeys(cues))  # each once, in the order first ticked
    # Answer(value, text, cues) without the frozen dataclass's object.__setattr__ per field
    answer = _new(Answer)
    _value(answer, value)
    _text(answer, text)
    _cues(answer, cues)
    return answer


def check_answer(flow: m.Flow, step_id: str, raw: Any) -> Answer:
    """Turn one raw answer into an Answer, or say exactly what is wrong with it."""
    step = flow.by_id.get(step_id)
    if step is None:
        hint = suggest(step_id, flow.by_id)
        raise InputError(f"answers.{step_id}: no such question in the {flow.id!r} flow"
                         + (f"; {hint}" if hint else "; list them with "
                            f"`csec-interview questions {flow.id}`"))
    answer = quick_answer(step, raw, bare_answers(flow))
    if answer is not None:
        return answer  # the common case: every part of it fine
    return check_answer_in_full(step, raw)


def check_answer_in_full(step: m.Step, raw: Any) -> Answer:
    """check_answer's every case, step by step (quick_answer is the short cut for the common
    ones, and must agree with this: tests/test_assess_speedups.py)."""
    where = f"answers.{step.id}"
    if step.kind in ("closed", "script"):
        if isinstance(raw, dict) and step.kind == "closed":
            value = raw.get("answer")
            extra = set(raw) - {"answer", "text", "cues"}
            if extra:
                raise InputError(f"{where}: unknown key {sorted(extra, key=str)[0]!r}; "
                                 "use `answer`, `text` and `cues`")
            text, cues = raw.get("text") or "", raw.get("cues") or []
        else:
            value, text, cues = raw, "", []
        if isinstance(value, bool):  # YAML reads a bare yes/no as a boolean
            value = "yes" if value else "no"
        allowed = m.ANSWERS if step.kind == "closed" else ("yes",)
        if value not in allowed:
            raise InputError(
                f"{where}: {value!r} is not an answer to this {step.kind} step; use "
                + (" or ".join(allowed) if step.kind == "closed" else "yes once it has been read"))
        return Answer(value=value, text=_text(text, where), cues=_cues(step, cues, where))
    if step.kind == "open":
        if isinstance(raw, str):
            return Answer(text=raw)
        if not isinstance(raw, dict):
            raise InputError(f"{where}: an open question takes `{{text: ..., cues: [...]}}`")
        extra = set(raw) - {"text", "cues"}
        if extra:
            raise InputError(f"{where}: unknown key {sorted(extra, key=str)[0]!r}; use `text` and `cues`")
        return Answer(text=_text(raw.get("text"), where),
                      cues=_cues(step, raw.get("cues") or [], where))
    if step.kind in ("observation", "facts") and raw in ("yes", True):
        return _PLAIN["yes"]  # the checklist or the form was gone through (its content is elsewhere)
    raise InputError(f"{where}: is {'an' if step.kind == 'observation' else 'a'} {step.kind} step; record "
                     + ("observations under `observations`" if step.kind == "observation"
                        else "case facts under `context`") + ", or answer yes once done")


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}.text: must be text")
    return value


def _cues(step: m.Step, cues: Any, where: str) -> tuple[str, ...]:
    if not cues:
        return ()
    if not isinstance(cues, list):
        raise InputError(f"{where}.cues: must be a list of cue ids")
    for cue in cues:
        if not is_one_of(cue, step.cue_ids):
            known = [c.id for c in step.cues]
            hint = suggest(cue, known)
            raise InputError(f"{where}.cues: {cue!r} is not a cue of this question; "
                             + (hint or f"its cues are: {', '.join(known) or 'none'}"))
    return tuple(dict.fromkeys(cues))


def _choice(value: Any, name: str) -> str:
    choices = m.fact_choices(name)
    if value not in choices:
        raise InputError(f"context.{name}: {value!r} is not a value of {name}; "
                         + (suggest(value, choices) or f"use one of {', '.join(choices)}"))
    return value


MAX_AGE = 21  # a child, or a non-minor dependent up to 21 (the hotline's range)


def parse_age(value: Any, name: str) -> int:
    """An age in whole years, 0 to 21 (a child, or a non-minor dependent up to 21)."""
    text = str(value).strip() if not isinstance(value, bool) else ""
    if isinstance(value, int) and not isinstance(value, bool):
        age = value
    elif text.isdigit():
        age = int(text)
    else:
        raise InputError(f"{name}: {value!r} is not an age; write it in whole years, e.g. 15")
    if not 0 <= age <= MAX_AGE:
        raise InputError(f"{name}: {age} is not the age of a child or non-minor dependent; "
                         f"give an age from 0 to {MAX_AGE}")
    return age


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def age_mismatch(age: int, dob: dt.date, day: dt.date) -> str:
    """A message when an age and a date of birth disagree (empty when they agree)."""
    actual = age_on(dob, day)
    if actual == age:
        return ""
    return (f"{age} does not match the date of birth {dob} (the child is {actual} on {day}); "
            "check both")


def _short_text(value: Any, name: str) -> str:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InputError(f"{name}: {value!r} must be text")
    text = str(value).strip()
    if len(text) > 200:
        raise InputError(f"{name}: at most 200 characters (this is {len(text)})")
    return text


def check_next_step_mark(library: m.Library, raw: Any, at: str = "") -> NextStepMark:
    if not isinstance(raw, dict) or not isinstance(raw.get("done"), bool):
        raise InputError("next_step: give `{id: ..., done: true|false, note: ...}`")
    step_id = raw.get("id")
    if step_id not in library.next_steps:
        hint = suggest(step_id, library.next_steps)
        raise InputError(f"next_step: {step_id!r} is not a next step; "
                         + (hint or f"next steps: {', '.join(library.next_steps)}"))
    note = raw.get("note") or ""
    if not isinstance(note, str):
        raise InputError("next_step.note: must be text")
    return NextStepMark(step_id, raw["done"], at, note.strip())


# What the worker reads for a language code (worker-facing, so in English); a code not named
# here is shown as the code itself.
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def check_language(value: Any) -> str:
    """A language code as the translations are named (flows/lang/<code>/): "en", "es".

    Only its form is checked, not whether the county has that language now: a saved interview
    conducted in Spanish replays even where the Spanish files have since been taken away."""
    if not isinstance(value, str) or not m.LANGUAGE_CODE.match(value):
        raise InputError(f"language: {value!r} is not a language code; use a two-letter code "
                         "such as en or es")
    return value


def check_observation(red_flags: dict, red_flag: Any) -> str:
    if not is_one_of(red_flag, red_flags):
        hint = suggest(red_flag, red_flags)
        raise InputError(f"observations: {red_flag!r} is not a red-flag id; "
                         + (hint or "list them with `csec-interview red-flags`"))
    return red_flag


def check_override(library: m.Library, raw: Any) -> Override:
    if not isinstance(raw, dict):
        raise InputError("overrides: each is `{finding: at_risk:D, decision: reject, reason: ...}`")
    extra = set(raw) - {"finding", "decision", "reason"}
    if extra:
        raise InputError(f"overrides: unknown key {sorted(extra, key=str)[0]!r}; use finding, decision, reason")
    finding = str(raw.get("finding") or "")
    match = FINDING_RE.match(finding)
    if not match:
        raise InputError(f"overrides.finding: {finding!r} must be red_flag:ID, at_risk:LETTER, "
                         "disclosure:KIND or suspected:FORM (e.g. at_risk:D)")
    kind, ident = match.groups()
    known = {"red_flag": library.red_flags, "at_risk": m.AT_RISK_LETTERS,
             "disclosure": DISCLOSURE_FINDINGS, "suspected": m.FORMS}[kind]
    if ident not in known:
        hint = suggest(ident, known)
        raise InputError(f"overrides.finding: {ident!r} is not a known {kind.replace('_', ' ')}; "
                         + (hint or f"use one of {', '.join(sorted(known))}"))
    decision = raw.get("decision")
    if decision not in DECISIONS:
        raise InputError(f"overrides.decision: {decision!r} must be confirm or reject")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise InputError(f"overrides: {finding} needs a reason; the worker's reason is recorded")
    return Override(finding, decision, reason.strip())
