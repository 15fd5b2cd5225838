"""The county's reads: the interviews the connected person may read (row level security in the
database decides, not this program), fetched as the laptops synced them and decrypted on this
machine with the county's private key. Every read is recorded in `county_reads` (who, when,
which interview, how; never content) before anything is shown, and in the reader's own store's
audit trail when they have one.

Public: Interview, fetch(), resolve(), listing(), audit(), audit_local().
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from interview.county.db import CountyError
from interview.errors import InterviewError
from interview.storage import log as logfmt
from interview.storage.errors import Tampered

# With each interview its county summary (and the wrap it is sealed under): the summary counts
# the events the laptop had when it was sent, sealed and bound to the interview, so a reader
# knows how many to expect (the plain `summaries.events` column is the server's word only).
INTERVIEWS = ("SELECT i.session_id, i.owner, i.team, i.meta, w.county_key, w.ephemeral, "
              "i.wrapped_key, i.created, s.sealed, sw.county_key, sw.ephemeral "
              "FROM interviews i JOIN wraps w ON w.id = i.wrap "
              "LEFT JOIN summaries s ON s.session_id = i.session_id "
              "LEFT JOIN wraps sw ON sw.id = s.wrap")
EVENTS = ("SELECT session_id, seq, record FROM events WHERE session_id = ANY(%s) "
          "ORDER BY session_id, seq")


@dataclass
class Interview:
    """One synced interview, opened: who did it, its flow and start, and its events (or the
    problem that kept it from opening)."""

    id: str
    owner: str
    team: str
    synced: dt.datetime | None
    key: bytes | None = None
    flow: str = "?"
    created: str = "?"
    events: list[dict] = field(default_factory=list)
    problem: str = ""

    def record(self, library):
        """The Record its events add up to (InterviewError when they do not replay: said as
        for a saved interview, so a renamed step id is not taken for the worker's typo)."""
        from interview.engine.session import replay_record
        from interview.storage.saved import saved_problem

        try:
            return replay_record(library, self.flow, self.events)
        except InterviewError as exc:
            raise saved_problem(library, self, exc) from None

    def session(self, library):
        """The engine's Session of its events (InterviewError as `record` says it)."""
        from interview.engine.session import Event, Session
        from interview.storage.saved import saved_problem

        try:
            return Session(library, self.flow, events=[Event.from_json(e) for e in self.events])
        except InterviewError as exc:
            raise saved_problem(library, self, exc) from None


def fetch(conn, unwrapper, session_ids=None, library=None) -> list[Interview]:
    """The interviews the connected role may read (all, or those named), oldest first, each
    opened with the county key; one that does not open, or is not whole, carries its problem.
    With `library`, one whose count nothing vouches for (no summary) that does not replay
    either says why it does not replay (a renamed step id: what the worker's sync said)."""
    query, params = INTERVIEWS, ()
    if session_ids is not None:
        query, params = query + " WHERE i.session_id = ANY(%s)", (list(session_ids),)
    from psycopg import errors

    cursor = conn.cursor(binary=True)
    try:
        rows = cursor.execute(query + " ORDER BY i.created, i.session_id", params).fetchall()
    except errors.InsufficientPrivilege:
        raise refused(conn, "interviews") from None
    found: dict[str, Interview] = {}
    expected: dict[str, int | str] = {}
    for (sid, owner, team, meta, county_id, ephemeral, wrapped, synced, sealed, summary_key,
         summary_ephemeral) in rows:
        item = Interview(sid, owner, team, synced)
        found[sid] = item
        expected[sid] = _sealed_count(unwrapper, sid, sealed, summary_key, summary_ephemeral)
        item.key = unwrapper.data_key(sid, county_id, ephemeral, wrapped)
        if item.key is None:
            item.problem = ("its data key does not open with this county key (wrapped to "
                            "another county key, or altered)")
            continue
        try:
            item.flow, item.created = logfmt.open_meta(item.key, sid, bytes(meta or b""))
        except Tampered as exc:
            item.problem = on_server(exc)
    readable = [sid for sid, item in found.items() if not item.problem]
    if readable:
        cursor.execute(EVENTS, (readable,))
        for sid, seq, record in cursor:
            item = found[sid]
            if item.problem:
                continue
            if seq != len(item.events):  # a gap: nothing after it can be placed
                item.problem = (f"event {len(item.events)} is missing on the server (removed "
                                "there, or not restored from a backup): the worker's next sync "
                                "sends it again")
                continue
            try:
                item.events.append(logfmt.open_record(item.key, sid, seq, bytes(record))[1])
            except Tampered as exc:
                item.problem = on_server(exc)
    for sid, item in found.items():
        if item.problem:
            continue
        if isinstance(expected[sid], str):  # why the count cannot be known
            item.problem = expected[sid]
            if library is not None:
                try:
                    item.record(library)
                except InterviewError as exc:
                    item.problem = str(exc)
        elif len(item.events) < expected[sid]:
            item.problem = (f"{len(item.events)} of {expected[sid]} events are on the server "
                            "(the last ones are missing: removed there, or not restored from a "
                            "backup): its findings would be incomplete, so it is not read; the "
                            "worker's next sync sends them again")
    return list(found.values())


def _sealed_count(unwrapper, sid, sealed, county_id, ephemeral) -> int | str:
    """How many events the interview's sealed county summary says its laptop sent, or why that
    cannot be known (then nothing of the interview is read: a partial interview must never
    pass for a whole one)."""
    if sealed is None:
        return ("it has no county summary on the server (its sync was interrupted, or could "
                "not make one: the worker's sync says why; or it was removed there), so "
                "whether all its events are there cannot be checked")
    bound = (unwrapper.summary(sid, county_id, ephemeral, bytes(sealed))
             if county_id is not None else None)
    count = bound.get("events") if isinstance(bound, dict) else None
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        return ("its county summary does not open with this county key (sealed to another "
                "county key, altered, or moved from another interview), so whether all its "
                "events are on the server cannot be checked")
    return count


def resolve(conn, given: list[str]) -> list[str]:
    """The session ids `given` stands for, each itself or the one interview the connected
    person may read whose id starts with it (as `sessions` takes a unique start of an id): row
    level security decides which ids are seen, so an id the reader may not read is no match."""
    from psycopg import errors

    from interview.storage.store import match_prefix

    out = []
    for prefix in given:
        try:
            ids = [row[0] for row in conn.execute(
                "SELECT session_id FROM interviews WHERE starts_with(session_id, %s)",
                (prefix,)).fetchall()]
        except errors.InsufficientPrivilege:
            raise refused(conn, "interviews") from None
        out.append(prefix if prefix in ids else match_prefix(
            prefix, ids, "`csec-interview county sessions` lists them", CountyError))
    return out


def refused(conn, what: str) -> CountyError:
    """The database refused a read to this person's role altogether: one sentence."""
    user, kind = conn.execute("SELECT current_user, csec_my_kind()").fetchone()
    also = (" (the county coordinator reads the county table only: `csec-interview county "
            "aggregate`)" if kind == "coordinator" else "")
    return CountyError(f"the county database does not let {user} read {what}{also}")


def listing(library, interviews) -> list[dict]:
    """What `county sessions` shows of each: who, which team, the flow, when, and the case
    number and initials the worker recorded (never a name, never an answer)."""
    from interview.app.labels import initials

    out = []
    for item in interviews:
        row = {"session": item.id, "worker": item.owner, "team": item.team, "flow": item.flow,
               "created": item.created, "events": len(item.events), "case": None,
               "initials": None}
        if item.problem:
            row["problem"] = item.problem
        else:
            try:
                context = item.record(library).context
                row["case"] = context.case_id
                row["initials"] = initials(context.interviewee) or None
            except InterviewError as exc:
                row["problem"] = str(exc)
        out.append(row)
    return out


def require_found(interviews, session_ids) -> None:
    """Each id asked for is among the interviews read, or one message: the database does not
    say whether an interview the reader may not read exists, and neither does this."""
    found = {i.id for i in interviews}
    missing = [s for s in session_ids if s not in found]
    if missing:
        raise CountyError(f"no interview {missing[0]!r} that you may read in the county "
                          "database (`csec-interview county sessions` lists those you may)")


def audit(conn, action: str, session_ids=(), count: int | None = None) -> None:
    """Record a read in the database's audit table, as the connected person (one row per
    interview, or one row for a read of the whole database)."""
    rows = [(action, sid, None) for sid in session_ids] or [(action, None, count)]
    with conn.cursor() as cursor:
        cursor.executemany("INSERT INTO county_reads (action, session_id, count) "
                           "VALUES (%s, %s, %s)", rows)


def audit_local(store_dir, action: str, session_ids=(), detail: str = "") -> None:
    """The same read in the reader's own store's audit trail, when they have a store here
    (best effort, as every audit line: it never stops the read)."""
    from interview.storage.store import Store, default_store_dir

    path = store_dir or default_store_dir()
    if not Store.exists(path):
        return
    store = Store(path)
    for sid in session_ids or [""]:
        store.audit.append(action, sid, detail)


def on_server(exc: Tampered) -> str:
    """A row that does not verify, said as the county reader's (the interview is named already,
    and it is a row on the server, not a file on this computer)."""
    return (f"{exc.part or 'a row'} does not verify: its row on the server was altered or "
            "damaged (the other interviews are not affected)")
