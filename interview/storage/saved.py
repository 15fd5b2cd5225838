"""A Session backed by the store: each event is saved (and fsynced) before it is applied."""

from __future__ import annotations

from interview.engine.session import Event, Session
from interview.errors import InterviewError, flows_hint, unknown_flow
from interview.storage.store import SessionLog, Store


def replay(library, log: SessionLog, sinks=()) -> Session:
    """The Session a stored log adds up to (read-only unless `sinks` save new events)."""
    if log.flow not in library.flows:
        raise InterviewError(f"session {log.id} is a {log.flow!r} interview, and this program "
                             f"has no such flow; {flows_hint(log.flow, library.flows)}")
    try:
        return Session(library, log.flow, events=[Event.from_json(e) for e in log.events],
                       sinks=sinks)
    except InterviewError as exc:
        raise saved_problem(library, log, exc) from None


def record_of(library, log: SessionLog):
    """The Record a stored log adds up to (`replay_record`: no state machine), or the saved
    interview's own message (saved_problem) when it cannot be read."""
    from interview.engine.session import replay_record

    try:
        return replay_record(library, log.flow, log.events)
    except InterviewError as exc:
        raise saved_problem(library, log, exc) from None


STEP_EVENTS = ("answer", "edit", "skip")


def saved_problem(library, log: SessionLog, exc: InterviewError) -> InterviewError:
    """Why a saved interview cannot be read, said for a saved interview. When its events name a
    step the flow no longer has, the content renamed (or removed) a step id: the answer-file
    wording ("answers.X: no such question ...; did you mean Y?") asks for an edit nobody can
    make to a saved interview. The fix is in the content. Only looked for once replaying
    failed: the common case costs nothing."""
    from interview.text import plain

    flow = library.flows.get(log.flow)
    if flow is None:
        return exc
    gone = list(dict.fromkeys(
        e["step"] for e in log.events if isinstance(e, dict) and e.get("type") in STEP_EVENTS
        and isinstance(e.get("step"), str) and e["step"] and e["step"] not in flow.by_id))
    if not gone:
        return exc
    named = ", ".join(repr(plain(s)) for s in gone[:5]) + (" ..." if len(gone) > 5 else "")
    return InterviewError(
        f"saved interview {log.id} answers {'step' if len(gone) == 1 else 'steps'} {named}, "
        f"which the {flow.id!r} flow no longer has: a step id must never be renamed or removed "
        "once interviews are saved (docs/flow-format.md, Steps); restore the id in the "
        "content (a changed question is a new step beside the old one)")


def replay_records(library, store, skipped: list[str]):
    """(session id, created, Record) for every saved interview that can be read; a line in
    `skipped` for each that cannot. Only the record: no state machine (`replay_record`)."""
    for session_id in store.session_ids():
        try:
            log = store.open_session(session_id, writable=False)
            record = record_of(library, log)
        except InterviewError as exc:
            skipped.append(f"{session_id}: {exc}")
            continue
        yield session_id, log.created_date, record


class SavedSession:
    """Opens or creates a stored session and keeps it saved; `session` is the engine's Session."""

    def __init__(self, store: Store, library, log: SessionLog):
        self.store, self.log = store, log
        try:
            self.session = replay(library, log, sinks=[self._save])
        except BaseException:
            log.close()  # release the session's lock: the failure is reported, not held
            raise

    @classmethod
    def create(cls, store: Store, library, flow_id: str) -> "SavedSession":
        if flow_id not in library.flows:
            raise InterviewError(unknown_flow(flow_id, library.flows))
        return cls(store, library, store.create_session(flow_id))

    @classmethod
    def copy(cls, store: Store, library, flow_id: str, events) -> "SavedSession":
        """A new saved interview of `flow_id` holding these events (checked as they replay)."""
        if flow_id not in library.flows:
            raise InterviewError(unknown_flow(flow_id, library.flows))
        Session(library, flow_id, events=list(events)).close()  # every event fits the new flow
        log = store.create_session(flow_id)
        try:
            answered: set[str] = set()
            for event in events:
                if event.type in ("answer", "edit", "skip") and event.step:
                    answered.add(event.step)
                log.append(event.as_json(), answered=len(answered))
            return cls(store, library, log)
        except BaseException:
            log.close()
            store.delete_session(log.id)
            raise

    @classmethod
    def resume(cls, store: Store, library, session_id: str) -> "SavedSession":
        return cls(store, library, store.open_session(session_id))

    @property
    def id(self) -> str:
        return self.log.id

    def _save(self, event: Event) -> None:
        # Saved before it is applied: count the answers as they will be once it is.
        answered = self.session.answered_after(event) if hasattr(self, "session") else 0
        self.log.append(event.as_json(), answered=answered)

    def close(self) -> None:
        self.session.close()
        try:
            if self.log.fd is not None and self.log.count:  # saved to until now: summarize it
                from interview.reports.aggregate import save_summary  # what the table keeps

                save_summary(self.session.library, self.log, self.session.record)
        finally:
            self.log.close()
