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


def screenings(library, unwrapper, rows) -> Gathered:
    """Each row of SUMMARIES (session id, county key id, ephemeral key, sealed summary) as the
    local table's Screening. A summary that does not open with the county key
    and the interview's id (another county key, altered, moved from another interview) is
    skipped and said, never counted."""
    stamp = local.fingerprint(library)
    out = Gathered()
    append = out.screenings.append
    for session_id, county_id, ephemeral, blob in rows:
        bound = unwrapper.summary(session_id, county_id, ephemeral, blob)
        if bound is None:
            out.skipped.append(f"{session_id}: its summary does not open with this county key "
                               "(sealed to another county key, altered, or moved from another "
                               "interview)")
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
    return out


def gather(conn, unwrapper, library) -> Gathered:
    """Every summary the connected role may read (row level security decides), opened here."""
    # A server-side cursor, streamed in batches: 100,000 summaries are 400 MB, which need not
    # be in memory at once, and the server reads the next batch while this one is opened.
    with conn.transaction():
        with conn.cursor(name="county_summaries", binary=True) as cursor:
            cursor.itersize = 2000
            cursor.execute(SUMMARIES)
            return screenings(library, unwrapper, cursor)


def table(gathered: Gathered, start: dt.date | None = None, end: dt.date | None = None):
    """The same table `aggregate` prints for a store (reports/aggregate.py's counting)."""
    return local.county_table(gathered.screenings, start, end)
