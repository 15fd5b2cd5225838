"""An interview session: an append-only list of events, and the state derived by replaying them.

Every change (an answer, an edit, a skip, an observation, a case fact, an override, a move) is an
Event. The session checks it, hands it to its sinks (storage writes it durably there) and only
then applies it, so what is on disk is never behind what the worker saw. Replaying the same
events gives the same position, record and findings: that is how a saved session resumes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import Any, Callable

from interview.content import model as m
from interview.content import routing
from interview.engine import machine as fsm
from interview.engine.said import check_kept, said
from interview.lazy_dataclass import dataclass
from interview.record import Answer, Record, check_answer, check_fact_answer, \
    check_language, check_next_step_mark, check_observation, check_override, check_plausible, \
    context_of
from interview.errors import InputError, unknown_flow

EVENT_TYPES = ("answer", "edit", "skip", "observe", "unobserve", "facts", "override", "term",
               "next_step", "back", "jump", "reread", "language", "handoff", "confirm", "review")
DECLINED = Answer(value="declined")


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    step: str = ""
    value: Any = None
    note: str = ""
    at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc)
                    .isoformat(timespec="seconds"))
    # An answer or skip of a step asked in another language than English: the words the worker
    # was shown to say (engine/said.py `Said.kept`).
    said: dict | None = None

    def as_json(self) -> dict:
        out = {"type": self.type, "at": self.at}
        if self.step:
            out["step"] = self.step
        if self.value is not None:
            out["value"] = self.value
        if self.note:
            out["note"] = self.note
        if self.said is not None:
            out["said"] = self.said
        return out

    @classmethod
    def from_json(cls, data: dict) -> "Event":
        if not isinstance(data, dict) or data.get("type") not in EVENT_TYPES:
            raise InputError(f"event {data!r}: unknown event type")
        return cls(data["type"], data.get("step", ""), data.get("value"), data.get("note", ""),
                   data.get("at", ""), data.get("said"))


class _Cursor:
    """The model the shared state machine moves: only the position, so the machine's trigger
    methods never appear on Session, where calling one would move without recording an event.
    The machine's one condition (the gate) reads the flow and the answers from here."""

    def __init__(self, session: "Session"):
        self.session = session
        self.flow = session.flow

    @property
    def answers(self) -> dict:
        return self.session.record.answers


class Recorder:
    """Checks events and keeps the Record they add up to; the position is not its business.

    Session uses it for every event; `replay_record` uses it alone, without the state machine,
    where only the record matters (the county table over thousands of saved interviews).
    """

    def __init__(self, library: m.Library, flow: m.Flow):
        self.library = library
        self.flow = flow
        self.record = Record(flow)

    def check(self, event: Event) -> Any:
        """Refuse a bad event before anything is stored, with a message naming the field.

        Returns what the event means (an Answer, a Context, an Override), so `apply` need not
        work it out again.
        """
        if event.said is not None:
            check_kept(event.said, event.type)
        if event.type in ("answer", "edit"):
            answer = check_answer(self.flow, event.step, event.value)
            step = self.flow.by_id[event.step]
            if step.records_facts:
                check_fact_answer(self.flow, step, answer, self.record.facts, self.record.answers)
            return answer
        if event.type == "skip" and event.step not in self.flow.by_id:
            raise InputError(f"skip: no step {event.step!r} in the {self.flow.id!r} flow")
        if event.type == "observe":
            return check_observation(self.library.red_flags, event.value)
        if event.type == "facts":
            if event.value is not None and not isinstance(event.value, dict):
                raise InputError("facts: give the case facts as a mapping")
            facts = {k: v for k, v in {**self.record.facts, **(event.value or {})}.items()
                     if v is not None}
            if self.record.handoff is not None and (event.value or {}).get("date_of_birth") \
                    and "age" not in (event.value or {}):
                facts.pop("age", None)  # the worker's date of birth, not the reported age
            return facts, context_of(self.flow, facts, self.record.answers)
        if event.type == "override":
            return check_override(self.library, event.value)
        if event.type == "term":
            value = event.value if isinstance(event.value, dict) else {}
            name, word = str(value.get("name") or "").strip(), str(value.get("word") or "").strip()
            if not name:
                raise InputError("term: say what the word stands for, e.g. "
                                 "'the person they stay with'")
            return name, word
        if event.type == "next_step":
            return check_next_step_mark(self.library, event.value, event.at)
        if event.type == "language":
            return check_language(event.value)
        if event.type == "handoff":
            return self._check_handoff(event)
        if event.type == "confirm":
            return self._check_confirm(event)
        if event.type == "review":
            from interview.review import Review  # only interviews a supervisor has reviewed

            return Review.from_json(event.value)
        if event.type == "jump" and event.value not in self.flow.section_by_id \
                and event.value not in self.flow.by_id:
            raise InputError(f"jump: no section or step {event.value!r}")
        return None

    def _check_handoff(self, event: Event) -> Any:
        from interview.handoff import Handoff  # only interviews started from a hotline screen

        if self.record.handoff is not None:
            return self._check_correction(Handoff.from_json(event.value, self.library))
        if self.record.answers or self.record.facts:
            raise InputError("handoff: a hotline screen is handed over when the interview "
                             "starts, before anything else is recorded; start a new interview")
        if not self.flow.screens_youth:
            raise InputError(f"handoff: the {self.flow.id!r} flow does not take a hotline "
                             "screen; start a youth interview from it")
        handoff = Handoff.from_json(event.value, self.library)
        facts = {k: v for k, v in handoff.facts.items()}
        return handoff, facts, context_of(self.flow, facts, self.record.answers)

    def _check_correction(self, handoff) -> Any:
        """A later package of the screen this interview was started from: the hotline corrected
        the screen after handing it over. Its referral (routing, reported forms, signs, red
        flags) replaces the earlier one; each reported fact the worker had left as reported
        takes the corrected value (and is reported again when that differs). A fact that is the
        worker's own (interview.handoff.held: confirmed, changed, or recorded when the screen
        did not report it) stays theirs: what the worker saw is never replaced by what a
        caller said (review2 A2); `changes` names the difference for the worker to decide."""
        from interview.handoff import held, same_package

        earlier = self.record.handoff
        if handoff.session != earlier.session:
            raise InputError(f"handoff: this interview was started from hotline screen "
                             f"{earlier.session}; a package of screen {handoff.session} does not "
                             "correct it: start a new youth interview from that one")
        if same_package(handoff, earlier):
            raise InputError(f"handoff: this interview already holds this package of hotline "
                             f"screen {handoff.session}; only a changed screen corrects it")
        theirs = held(self.record)
        facts = dict(self.record.facts)
        confirmed = set(self.record.confirmed)
        for name in dict.fromkeys([*earlier.facts, *handoff.facts]):
            if name in theirs:
                continue  # the worker's own value stands
            if earlier.facts.get(name) != handoff.facts.get(name):
                confirmed.discard(name)  # the hotline says something else now: reported again
            if name in handoff.facts:
                facts[name] = handoff.facts[name]
            else:
                facts.pop(name, None)
        return handoff, facts, context_of(self.flow, facts, self.record.answers), \
            frozenset(confirmed)

    def _check_confirm(self, event: Event) -> str:
        handoff, name = self.record.handoff, event.value
        if handoff is None or name not in handoff.facts:
            raise InputError(f"confirm: {str(name)[:40]!r} is not a case fact the hotline "
                             "reported in this interview")
        return name

    def apply(self, event: Event, parsed: Any) -> None:
        record, kind = self.record, event.type
        if kind in ("answer", "edit", "skip"):
            # The language it was said in: an answer or a skip is the step asked (again) now;
            # an edit changes what was recorded, not how the question was asked.
            if kind != "edit" or event.step not in record.asked_in:
                record.asked_in[event.step] = record.language
                if event.said is not None:
                    record.said_then[event.step] = event.said
                else:
                    record.said_then.pop(event.step, None)
        if kind in ("answer", "edit"):
            record.answers[event.step] = parsed
            if self.flow.by_id[event.step].records_facts:
                record.context = context_of(self.flow, record.facts, record.answers)
        elif kind == "skip":
            step = self.flow.by_id[event.step]
            if step.is_question:
                record.answers[event.step] = DECLINED
                if step.records_facts:
                    record.context = context_of(self.flow, record.facts, record.answers)
        elif kind == "observe":
            record.observations[event.value] = event.note
        elif kind == "unobserve":
            record.observations.pop(event.value, None)
        elif kind == "term":
            name, word = parsed
            if word:
                record.terms[name] = word
            else:
                record.terms.pop(name, None)
        elif kind == "facts":
            record.facts, record.context = parsed
        elif kind == "handoff":
            record.handoff, record.facts, record.context = parsed[:3]
            if len(parsed) > 3:  # a correction of the screen (_check_correction)
                record.confirmed = parsed[3]
                record.corrections += 1
        elif kind == "confirm":
            record.confirmed = record.confirmed | {parsed}
        elif kind == "review":
            record.reviews = record.reviews + (parsed,)
        elif kind == "override":
            record.overrides[parsed.finding] = parsed
        elif kind == "language":
            record.language = parsed
        elif kind == "next_step":
            if parsed.done:
                record.next_steps_done[parsed.id] = parsed
            else:
                record.next_steps_done.pop(parsed.id, None)


def replay_record(library: m.Library, flow_id: str, events) -> Record:
    """The Record a list of events (dicts or Events) adds up to, without moving through the flow.

    Every event is checked as Session checks it; only the position (back, jump, where an answer
    leads) is left out, since the record does not depend on it.
    """
    if flow_id not in library.flows:
        raise InputError(unknown_flow(flow_id, library.flows))
    recorder = Recorder(library, library.flows[flow_id])
    for event in events:
        if isinstance(event, dict):
            event = Event.from_json(event)
        recorder.apply(event, recorder.check(event))
    return recorder.record


class Session:
    """One interview in progress. Drive it with the methods below; read `current`, `findings`."""

    def __init__(self, library: m.Library, flow_id: str, events: list[Event] = (),
                 sinks: list[Callable[[Event], None]] = ()):
        if flow_id not in library.flows:
            raise InputError(unknown_flow(flow_id, library.flows))
        self.library = library
        self.flow = library.flows[flow_id]
        self._recorder = Recorder(library, self.flow)
        self.record = self._recorder.record
        self.events: list[Event] = []
        self.sinks = list(sinks)
        self.history: list[str] = []
        self.skipped: set[str] = set()  # the steps whose last answer is a skip, not an answer
        self.return_to: str | None = None
        self.blocked: str = ""
        self._findings = None
        self._machine = fsm.machine_for(self.flow)
        self._cursor = _Cursor(self)
        self._machine.add_model(self._cursor)
        for event in events:
            parsed = self._recorder.check(event)
            self.events.append(event)
            self._apply(event, parsed)

    def close(self) -> None:
        """Detach from the shared machine (a finished or abandoned session); twice is fine."""
        if self._cursor in self._machine.models:
            self._machine.remove_model(self._cursor)

    # --- reading ------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """The current step id, or "done"."""
        return self._cursor.state

    @property
    def current(self) -> m.Step | None:
        return None if self.state == fsm.DONE else self.flow.by_id[self.state]

    @property
    def finished(self) -> bool:
        return self.state == fsm.DONE

    @property
    def gate_acknowledged(self) -> bool:
        return routing.gate_acknowledged(self.flow, self.record.answers)

    def gate_open(self) -> bool:
        return not self.flow.gate or self.gate_acknowledged

    @property
    def findings(self):
        """The rules' findings for what has been recorded (a `Findings`), cached per event."""
        if self._findings is None:
            from interview.rules import evaluate  # not needed to show the first prompt

            self._findings = evaluate(self.library, self.record)
        return self._findings

    @property
    def language(self) -> str:
        """The language the worker is speaking to the youth, caregiver or reporter now ("en"
        unless a `language` event said otherwise)."""
        return self.record.language

    @property
    def answered(self) -> int:
        """How many steps have an answer (a skipped question counts: declined). The one count
        the progress line and the list of saved interviews show."""
        return len(self.record.answers)

    @property
    def recorded(self) -> int:
        """How many steps have an answer that is not a skip (the progress line's count, and a
        supervisor's "N of M steps recorded"): a skip is counted apart (`skipped`)."""
        return self.answered - len(self.skipped)

    def answered_after(self, event: Event) -> int:
        """`answered` once `event` is applied (the store saves an event before it is applied)."""
        step = self.flow.by_id.get(event.step)
        adds = event.step not in self.record.answers and (
            event.type in ("answer", "edit")
            or (event.type == "skip" and step is not None and step.is_question))
        return self.answered + adds

    def progress(self) -> list[tuple[m.Section, int, int]]:
        """(section, steps answered, steps) for each section, in order."""
        done = self.record.answers
        return [(s, sum(1 for sid in s.steps if sid in done), len(s.steps))
                for s in self.flow.sections]

    # --- acting -------------------------------------------------------------------------------

    def answer(self, value: Any = None, *, text: str = "", cues=()) -> None:
        """Answer the current step and move on (closed/script: a value; open: text and cues)."""
        step = self._require_current()
        if step.kind == "open":
            raw: Any = {"text": text, "cues": list(cues)}
        elif text or cues:
            raw = {"answer": value, "text": text, "cues": list(cues)}
        else:
            raw = value
        self._record(Event("answer", step.id, raw, said=self._said_now(step)))

    def edit(self, step_id: str, value: Any = None, *, text: str = "", cues=()) -> None:
        """Change the answer of any step without moving."""
        step = self.flow.by_id.get(step_id)
        raw: Any = {"text": text, "cues": list(cues)} if step and step.kind == "open" else (
            {"answer": value, "text": text, "cues": list(cues)} if (text or cues) else value)
        self._record(Event("edit", step_id, raw))

    def skip(self) -> None:
        """Skip the current step; a skipped question is recorded as declined."""
        step = self._require_current()
        self._record(Event("skip", step.id, said=self._said_now(step)))

    def _said_now(self, step) -> dict | None:
        """What the worker is shown to say for `step` in a language other than English, kept in
        its event: the record then says what was asked even after the translation changes."""
        if self.record.language == "en":
            return None
        return said(self.library, step, self.record.language).kept()

    def back(self) -> None:
        if not self.history:
            raise InputError("already at the first step")
        self._record(Event("back"))

    def jump(self, target: str) -> None:
        """Go to a section (its first step) or to one step, e.g. a question the worker picks."""
        if target not in self.flow.section_by_id and target not in self.flow.by_id:
            raise InputError(f"section {target!r} not found (nor a step of that id); sections: "
                             f"{', '.join(s.id for s in self.flow.sections)}")
        if not self.may_jump(target):
            raise InputError("the confidentiality script has not been read and acknowledged; "
                             "read it before any question to the youth")
        self._record(Event("jump", value=target))

    def may_jump(self, target: str) -> bool:
        """Whether `jump(target)` would move now (the machine's gate, asked without moving)."""
        if target in self.flow.section_by_id:
            return self._cursor.may_jump(section=target)
        return target in self.flow.by_id and self._cursor.may_go(to=target)

    def reread_script(self) -> None:
        if not self.flow.gate:
            raise InputError(f"the {self.flow.id!r} flow has no confidentiality script")
        self._record(Event("reread"))

    def use_term(self, name: str, word: str) -> None:
        """Record the youth's own word for a person or place (empty word: forget it)."""
        self._record(Event("term", value={"name": name, "word": word}))

    def set_language(self, language: str) -> None:
        """Speak to the youth, caregiver or reporter in `language` from now on (at the start, or
        midway): an event, so the record says which language each question was asked in. Nothing
        else changes: answers, findings and reports are the same in every language."""
        if language != self.language:
            self._record(Event("language", value=language))

    def observe(self, red_flag: str, note: str = "") -> None:
        self._record(Event("observe", value=red_flag, note=note))

    def unobserve(self, red_flag: str) -> None:
        self._record(Event("unobserve", value=red_flag))

    def set_facts(self, **facts: Any) -> None:
        """New case facts, checked as any event is and for plausibility (record.check_plausible:
        given now, never re-checked when saved events are replayed)."""
        event = Event("facts", value=facts)
        check_plausible(self._recorder.check(event)[1])
        self._record(event)

    def receive_handoff(self, handoff) -> None:
        """Start this interview from a hotline screen (interview.handoff.seed): its case facts
        fill the facts, marked as reported; its red flags are shown as reported, not seen."""
        self._record(Event("handoff", value=handoff.as_json()))

    def confirm_fact(self, name: str) -> None:
        """The worker confirms a case fact the hotline reported (it is no longer "reported")."""
        self._record(Event("confirm", value=name))

    def receive_review(self, review) -> None:
        """Keep a supervisor's review (interview.review.Review) with the interview."""
        self._record(Event("review", value=review.as_json()))

    def override(self, finding: str, decision: str, reason: str) -> None:
        self._record(Event("override", value={"finding": finding, "decision": decision,
                                              "reason": reason}))

    def mark_next_step(self, step_id: str, done: bool = True, note: str = "") -> None:
        """Record that a next step was done (or is open again), with an optional note."""
        self._record(Event("next_step", value={"id": step_id, "done": done, "note": note}))

    # --- the one path every change takes ------------------------------------------------------

    def _require_current(self) -> m.Step:
        step = self.current
        if step is None:
            raise InputError("the interview is finished; go back or jump to a section to change it")
        return step

    def _record(self, event: Event) -> None:
        parsed = self._recorder.check(event)
        for sink in self.sinks:
            sink(event)
        self.events.append(event)
        self._apply(event, parsed)

    def _apply(self, event: Event, parsed: Any) -> None:
        self._findings = None
        self.blocked = ""
        self._recorder.apply(event, parsed)
        kind = event.type
        if kind in ("answer", "edit"):
            self.skipped.discard(event.step)
        if kind == "answer":
            self._advance(event.step, parsed.value)
        elif kind == "skip":
            step = self.flow.by_id.get(event.step)
            # only a question's answer is a skip (a script or the facts gone through and then
            # skipped on a return visit keep what they recorded: the review, B4)
            if event.step in self.record.answers and step is not None and step.is_question:
                self.skipped.add(event.step)
            self._advance(event.step, "declined")
        elif kind == "back" and self.history:
            if self._cursor.go(to=self.history[-1]):
                self.history.pop()
            else:
                self._blocked_by_gate()
        elif kind == "jump" and event.value in self.flow.section_by_id:
            self._move(lambda: self._cursor.jump(section=event.value))
        elif kind == "jump":
            self._move(lambda: self._cursor.go(to=event.value))
        elif kind == "reread":
            if self.state != self.flow.gate:
                self.return_to = self.return_to or self.state
            self._move(self._cursor.reread)

    def _advance(self, step_id: str, value: str) -> None:
        if step_id != self.state:
            return  # answering a step other than the current one never moves the interview
        if step_id == self.flow.gate and self.return_to and value == "yes":
            back_to, self.return_to = self.return_to, None
            self._move(lambda: self._cursor.go(to=back_to))
            return
        self._move(lambda: self._cursor.advance(answer=value))

    def _move(self, fire: Callable[[], bool]) -> None:
        """Fire a transition of the machine; on success the step left is kept for going back."""
        before = self.state
        if fire():
            self.history.append(before)
        else:
            self._blocked_by_gate()

    def _blocked_by_gate(self) -> None:
        if self.flow.gate and not self.gate_acknowledged:
            self.blocked = ("The confidentiality script has not been read and acknowledged: "
                            "read it before any question to the youth.")
