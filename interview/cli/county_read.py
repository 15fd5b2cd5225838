"""The county's reads and reviews: `county sessions`, `county show`, `county aggregate` and
`county review`, each against the county database with the county key, decrypting on this
machine; and the hotline's `handoff`. `add_commands` adds them to `county`'s sub-commands
(interview/cli/county.py calls it).

Every read is audited in the database (county_reads) before anything is printed, and in the
reader's own store's audit trail when there is one (--store, or the default store).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from interview.cli.common import EXIT_ERROR, EXIT_OK, library
from interview.errors import InterviewError


def _reader_options(p, json_flag: bool = True) -> None:
    """What every read takes besides --db (which `county` gives every action)."""
    p.add_argument("--key", type=Path, metavar="FILE", required=True,
                   help="the county key file (`county init --key-out` wrote it)")
    p.add_argument("--passphrase-file", type=Path, metavar="F",
                   help="read the county key's passphrase from this file (for scripts); "
                        "otherwise it is asked for (never on the command line)")
    p.add_argument("--store", type=Path, metavar="DIR",
                   help="your own store, whose audit trail also records the read (default: "
                        "your data folder, when there is a store there)")
    if json_flag:
        p.add_argument("--json", action="store_true")


def _sessions_parser(p) -> None:
    _reader_options(p)


def _show_parser(p) -> None:
    p.add_argument("sessions", nargs="+", metavar="ID", help="a session id (`county sessions`)")
    _reader_options(p)


def _aggregate_parser(p) -> None:
    p.add_argument("--from", dest="start", metavar="DATE", help="first interview date, YYYY-MM-DD")
    p.add_argument("--to", dest="end", metavar="DATE", help="last interview date, YYYY-MM-DD")
    _reader_options(p, json_flag=False)
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true")
    form.add_argument("--csv", action="store_true")


def add_commands(actions: dict) -> None:
    """Add `county sessions|show|aggregate|review` to `county`'s actions (interview/cli/
    county.py's COUNTY_ACTIONS: name -> (help, build the parser, run))."""
    actions.update({
        "sessions": ("the interviews you may read in the county database (the database "
                     "decides), decrypted here", _sessions_parser, cmd_sessions),
        "show": ("the findings of synced interviews, with their evidence and the worker's "
                 "overrides", _show_parser, cmd_show),
        "aggregate": ("the county table over the whole database: children by CSEC Type, "
                      "each once", _aggregate_parser, cmd_aggregate),
    })


class Reading:
    """The county key opened and the database connected (closed by `close`)."""

    def __init__(self, args):
        from interview.cli.store import read_passphrase
        from interview.county import db, keys, schema

        if not args.key:
            raise InterviewError("give --key FILE: the county key file")
        self.key = keys.load_county_private(args.key, read_passphrase(args))
        self.unwrapper = keys.Unwrapper(self.key)
        self.conn = db.connect(db.conninfo(args.db))
        try:
            schema.check_version(self.conn)
        except BaseException:
            self.conn.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.conn.close()


def _problems(items) -> int:
    for item in items:
        if item.problem:
            print(f"csec-interview: session {item.id}: {item.problem}", file=sys.stderr)
    return EXIT_ERROR if any(i.problem for i in items) else EXIT_OK


def cmd_sessions(args) -> int:
    from interview.county import read
    from interview.text import plain

    lib = library(args)
    with Reading(args) as r:
        interviews = read.fetch(r.conn, r.unwrapper)
        read.audit(r.conn, "listed", [i.id for i in interviews], count=0)
    read.audit_local(args.store, "county_listed", detail=f"{len(interviews)} interviews")
    rows = read.listing(lib, interviews)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not rows:
        print("No interviews you may read in the county database.")
        return EXIT_OK
    print(f"{'session':<17} {'worker':<14} {'team':<14} {'flow':<15} {'started':<26} case")
    for row in rows:
        label = " · ".join(x for x in (row["case"] and f"case {row['case']}", row["initials"])
                           if x)
        print(plain(f"{row['session']:<17} {row['worker']:<14} {row['team']:<14} "
                    f"{row['flow']:<15} {row['created']:<26} {label}"
                    + (f"  PROBLEM: {row['problem']}" if row.get("problem") else "")))
    return EXIT_OK


def cmd_show(args) -> int:
    from interview.cli.report import summary
    from interview.county import read
    from interview.engine.session import Event, Session

    lib = library(args)
    with Reading(args) as r:
        items = read.fetch(r.conn, r.unwrapper, args.sessions)
        read.require_found(items, args.sessions)
        read.audit(r.conn, "read", [i.id for i in items])
    read.audit_local(args.store, "county_read", [i.id for i in items])
    out = []
    for item in items:
        if item.problem:
            continue
        try:
            session = Session(lib, item.flow, events=[Event.from_json(e) for e in item.events])
        except InterviewError as exc:
            item.problem = str(exc)
            continue
        findings = session.findings.as_json(lib)
        if args.json:
            out.append({"session": item.id, "worker": item.owner, "team": item.team,
                        "flow": item.flow, "events": item.events, **findings})
        else:
            out.append(summary(lib, f"session {item.id} (worker {item.owner}, team "
                                    f"{item.team})", session.record, findings))
    if args.json:
        print(json.dumps(out[0] if len(args.sessions) == 1 and out else out,
                         ensure_ascii=False, indent=1))
    else:
        print("\n\n".join(out))
    return _problems(items)


def cmd_aggregate(args) -> int:
    from interview.cli.report import date_range, print_table
    from interview.county import aggregate, read

    start, end = date_range(args)
    lib = library(args)
    with Reading(args) as r:
        gathered = aggregate.gather(r.conn, r.unwrapper, lib)
        read.audit(r.conn, "aggregated", count=len(gathered.screenings))
    read.audit_local(args.store, "county_aggregated",
                     detail=f"{len(gathered.screenings)} summaries")
    print_table(lib, args, aggregate.table(gathered, start, end), gathered.skipped)
    if gathered.other_rules:
        print(f"csec-interview: {gathered.other_rules} of the interviews counted were "
              "summarised by another version of csec-interview's rules or content (counted "
              "as the worker's laptop determined them)", file=sys.stderr)
    if gathered.stale:
        print(f"csec-interview: {gathered.stale} interviews changed after their summary was "
              "synced (counted as summarised; the worker's next sync brings the new one)",
              file=sys.stderr)
    return EXIT_OK
