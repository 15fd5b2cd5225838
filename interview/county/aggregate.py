"""The county table over the whole database: the laptops' sealed summaries, opened on this
machine with the county key, counted by the local table's own code (reports/aggregate.py:
`county_table`, each child once by the 004 hierarchy, matched by case number across
interviews and workers). Nothing is counted twice, and nothing is counted here that the
local `aggregate` would not count the same way.

A summary is what the worker's laptop determined when the interview was closed (the rules,
content and day it was made with travel inside it). The county counts it as it is: the
coordinator's machine may run another version than the worker's laptop, and the coordinator
cannot replay the events (the database lets that role read summaries only). How many were
made by other rules or content is said, so a county that upgraded half its laptops knows.

Nothing synced is silently left out, and nothing stale is counted: the table also learns, per
interview, only its id and how many events the server holds (COUNTS: for the coordinator the
function of migration 0004, for the other roles their own rows under row level security). An
interview with no summary, or whose sealed summary counts fewer events than the server holds
(an older summary put back by the database's administrator, or one its last sync could not
remake), is a line of "could not be read and NOT counted", never a figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from interview.reports import aggregate as local


@dataclass
class Gathered:
    """The screenings the summaries hold, and what could not be counted (one line each)."""

    screenings: list = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    other_rules: int = 0   # counted, but made by another version of the rules or content


SUMMARIES = ("SELECT s.session_id, w.county_key, w.ephemeral, s.sealed "
             "FROM summaries s JOIN wraps w ON w.id = s.wrap")
# (session id, max(seq) + 1) of every interview the role may know of: the coordinator through
# migration 0004's function (ids and counts only), the others under row level security.
COUNTS = {"coordinator": "SELECT session_id, next_seq FROM csec_interview_counts()",
          None: ("SELECT i.session_id, coalesce((SELECT max(e.seq) FROM events e WHERE "
                 "e.session_id = i.session_id) + 1, 0) FROM interviews i")}


def screenings(library, unwrapper, rows, held: dict[str, int] | None = None) -> Gathered:
    """Each row of SUMMARIES (session id, county key id, ephemeral key, sealed summary) as the
    local table's Screening. A summary that does not open with the county key
    and the interview's id (another county key, altered, moved from another interview) is
    skipped and said, never counted. With `held` ({session id: events the server holds}), a
    summary counting fewer is skipped as stale, and every interview without a summary is
    skipped as such."""
    stamp = local.fingerprint(library)
    out = Gathered()
    append = out.screenings.append
    held = dict(held or {})
    for session_id, county_id, ephemeral, blob in rows:
        on_server = held.pop(session_id, None)
        bound = unwrapper.summary(session_id, county_id, ephemeral, blob)
        if bound is None:
            out.skipped.append(f"{session_id}: its summary does not open with this county key "
                               "(sealed to another county key, altered, or moved from another "
                               "interview)")
            continue
        counted = bound.get("events")
        if on_server is not None and (not isinstance(counted, int) or counted < on_server):
            out.skipped.append(f"{session_id}: its summary counts {counted} of the {on_server} "
                               "events on the server (an older summary put back there, or its "
                               "worker's last sync could not make a current one: that sync "
                               "says why); counted again once a sync sends a current one")
            continue
        data = bound.get("data") or {}
        # The laptop's own stamp and day: the county counts what the laptop determined.
        found = local._from_summary(library, data, data.get("rules"), data.get("day") or "",
                                    session_id)
        if found is None:
            out.skipped.append(f"{session_id}: its summary is empty or of another format "
                               "(made by another version of csec-interview)")
            continue
        if data.get("rules") != stamp:
            out.other_rules += 1
        append(found)
    for session_id in sorted(held):
        out.skipped.append(f"{session_id}: synced without a county summary (its worker's sync "
                           "says why; or it was removed on the server); counted once a sync "
                           "sends one")
    return out


def gather(conn, unwrapper, library) -> Gathered:
    """Every summary the connected role may read (row level security decides), opened here,
    checked against the events the server holds of every interview the role may know of."""
    # A server-side cursor, streamed in batches: 100,000 summaries are 400 MB, which need not
    # be in memory at once, and the server reads the next batch while this one is opened.
    with conn.transaction():
        kind = conn.execute("SELECT csec_my_kind()").fetchone()[0]
        # Counted first: what a sync adds meanwhile has a summary at least as new as its count.
        held = dict(conn.execute(COUNTS.get(kind, COUNTS[None])).fetchall())
        with conn.cursor(name="county_summaries", binary=True) as cursor:
            cursor.itersize = 2000
            cursor.execute(SUMMARIES)
            return screenings(library, unwrapper, cursor, held)


def table(gathered: Gathered, start: dt.date | None = None, end: dt.date | None = None):
    """The same table `aggregate` prints for a store (reports/aggregate.py's counting)."""
    return local.county_table(gathered.screenings, start, end)
