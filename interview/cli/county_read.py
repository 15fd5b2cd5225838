"""The county's reads and reviews: `county sessions`, `county show`, `county aggregate` and
`county review`, each against the county database with the county key, decrypting on this
machine; and the hotline's `handoff`. `add_commands` adds them to `county`'s sub-commands
(interview/cli/county.py calls it).

Every read is audited in the database (county_reads) before anything is printed, and in the
reader's own store's audit trail when there is one (--store, or the default store).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from interview import jsonout
from interview.cli.common import EXIT_ERROR, EXIT_OK, at_terminal, library
from interview.errors import InterviewError


def _reader_options(p, json_help: str | None = None) -> None:
    """What every read takes besides --db (which `county` gives every action)."""
    p.add_argument("--key", type=Path, metavar="FILE", required=True,
                   help="the county key file (`county init --key-out` wrote it)")
    p.add_argument("--passphrase-file", type=Path, metavar="F",
                   help="read the county key's passphrase from this file (for scripts); "
                        "otherwise it is asked for (never on the command line)")
    p.add_argument("--store", type=Path, metavar="DIR",
                   help="your own store, whose audit trail also records the read (default: "
                        "your data folder, when there is a store there)")
    if json_help:
        p.add_argument("--json", action="store_true", help=json_help)


def _sessions_parser(p) -> None:
    _reader_options(p, "the list as JSON")


def _show_parser(p) -> None:
    p.add_argument("sessions", nargs="+", metavar="ID",
                   help="a session id, or its first 4 or more characters (`county sessions`)")
    _reader_options(p, "the findings as JSON (one object for one ID, a list for several)")


def _aggregate_parser(p) -> None:
    p.add_argument("--from", dest="start", metavar="DATE", help="first interview date, YYYY-MM-DD")
    p.add_argument("--to", dest="end", metavar="DATE", help="last interview date, YYYY-MM-DD")
    _reader_options(p)
    from interview.cli import table_formats

    table_formats(p)


class _Decision(argparse.Action):
    """--decision DET=VERDICT appends a decision; --comment TEXT goes with the last one."""

    def __call__(self, parser, namespace, value, option_string=None):
        pairs = getattr(namespace, "decisions", None) or []
        if self.dest == "decisions":
            pairs.append([value, ""])
        elif not pairs:
            parser.error("--comment goes after the --decision it explains")
        elif pairs[-1][1]:
            parser.error(f"--decision {pairs[-1][0]}: one --comment each")
        else:
            pairs[-1][1] = value
        namespace.decisions = pairs


def _review_parser(p) -> None:
    p.add_argument("session", metavar="ID",
                   help="a session id, or its first 4 or more characters (`county sessions`)")
    p.add_argument("--decision", dest="decisions", action=_Decision, metavar="DET=VERDICT",
                   help="approve or return one determination without the screen, e.g. "
                        "csec_type=approve or at_risk:D=return (repeat for each; every one "
                        "must be decided)")
    p.add_argument("--comment", dest="comment", action=_Decision, metavar="TEXT",
                   help="the comment on the --decision before it (needed to return one)")
    _reader_options(p, "accepted for scripts; what a review sends is said in one line of text "
                       "either way")


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
        "review": ("approve or return each determination of a synced interview (a supervisor "
                   "of the worker's team)", _review_parser, cmd_review),
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
        interviews = read.fetch(r.conn, r.unwrapper, library=lib)
        read.audit(r.conn, "listed", [i.id for i in interviews], count=0)
    read.audit_local(args.store, "county_listed", detail=f"{len(interviews)} interviews")
    rows = read.listing(lib, interviews)
    if args.json:
        jsonout.print_json(rows)
        return _unread(rows, '"problem"')
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
    return _unread(rows, "PROBLEM above")


def _unread(rows, where: str) -> int:
    """A listing with rows that could not be read exits 1, as `show` and `aggregate` do (a
    script checking a key rotation must not see success), and says how many in one line."""
    bad = sum(1 for row in rows if row.get("problem"))
    if not bad:
        return EXIT_OK
    print(f"csec-interview: {bad} of the {len(rows)} interviews listed could not be read (each "
          f"says why: {where})", file=sys.stderr)
    return EXIT_ERROR


def cmd_show(args) -> int:
    from interview.cli.store import shown
    from interview.county import read

    lib = library(args)
    with Reading(args) as r:
        args.sessions = read.resolve(r.conn, args.sessions)  # a unique start of an id will do
        items = read.fetch(r.conn, r.unwrapper, args.sessions, lib)
        read.require_found(items, args.sessions)
        read.audit(r.conn, "read", [i.id for i in items])
    read.audit_local(args.store, "county_read", [i.id for i in items])
    out = []
    for item in items:
        if item.problem:
            continue
        try:
            session = item.session(lib)
        except InterviewError as exc:
            item.problem = str(exc)
            continue
        if args.json:  # as `sessions show` shows it (next steps done included)
            out.append({"session": item.id, "worker": item.owner, "team": item.team,
                        "flow": item.flow, "events": item.events, **shown(lib, session, item.id)})
        else:
            out.append(shown(lib, session, item.id, f"session {item.id} (worker {item.owner}, "
                                                    f"team {item.team})"))
    if args.json:
        jsonout.print_json(out[0] if len(args.sessions) == 1 and out else out)
    elif out:  # nothing at all when none could be read: the reasons are on standard error
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
    code = print_table(lib, args, aggregate.table(gathered, start, end), gathered.skipped,
                       "synced interviews")
    if gathered.other_rules:
        print(f"csec-interview: {gathered.other_rules} of the interviews counted were "
              "summarised by another version of csec-interview's rules or content (counted "
              "as the worker's laptop determined them)", file=sys.stderr)
    return code


def cmd_review(args) -> int:
    """Open a synced interview, decide each determination (the review screen, or --decision
    for scripts), and send the review sealed with the interview's key."""
    from interview.county import read, reviews
    from interview.review import Review, determinations, unfinished
    from interview.text import plain

    lib = library(args)
    pairs = getattr(args, "decisions", None) or []
    if not pairs and not at_terminal(sys.stdin, sys.stdout):
        raise InterviewError("no --decision given and no terminal for the review screen: give "
                             "--decision DET=approve|return for every determination (`county "
                             "show ID` lists them)")
    with Reading(args) as r:
        (item,) = _one(read, r, args.session, lib)
        session = item.session(lib)
        findings = session.findings.as_json(lib)
        reviewer = r.conn.execute("SELECT current_user").fetchone()[0]
        before = reviews.sent_before(r.conn, item.key, item.id)  # this one will replace it
        if pairs:
            dets = determinations(findings, lib, session.flow.setting)
            review = Review.make(item.id, findings, reviews.parse_decisions(pairs, dets),
                                 library=lib, setting=session.flow.setting, reviewer=reviewer)
        else:
            from interview.app.screens.review import ReviewApp

            app = ReviewApp(session, findings, session_id=item.id, reviewer=reviewer,
                            replaces=before)
            review = app.run()
            if app.return_code:  # a crash has said its one line
                return EXIT_ERROR
            if review is None:
                print("No review was sent.")
                return EXIT_OK
        reviews.send(r.conn, item.key, item.id, review)
    read.audit_local(args.store, "county_reviewed", [item.id])
    returned = len(review.returned)
    print(plain(f"Review of session {item.id} sent: {len(review.decisions) - returned} "
                f"approved, {returned} returned. {item.owner} receives it at their next sync."))
    if before:
        print(plain(f"This one replaces {before}; {item.owner} sees both, this one marked "
                    "current and the earlier one replaced."))
    if not session.finished:
        print(f"{unfinished(session)}: this review is of what had been recorded.")
    return EXIT_OK


def _one(read, r, session_id: str, lib):
    """The one interview asked for, opened, its read audited; one message when it cannot be."""
    (session_id,) = read.resolve(r.conn, [session_id])  # a unique start of an id will do
    items = read.fetch(r.conn, r.unwrapper, [session_id], lib)
    read.require_found(items, [session_id])
    read.audit(r.conn, "read", [session_id])
    if items[0].problem:
        raise InterviewError(f"session {session_id}: {items[0].problem}")
    return items


# --- handoff (a top-level command: the hotline screener's) --------------------------------------


def add_handoff_parser(sub, store_options) -> None:
    p = sub.add_parser("handoff", help="hand a hotline screen to the worker assigned to the "
                       "referral, through the county database (sealed to their key)",
                       description="Seal a hotline screen's case facts and reported red flags "
                       "to the worker assigned to the referral; their next sync starts a youth "
                       "interview from it, marked as reported by the hotline.")
    p.add_argument("session", metavar="SESSION", help="the hotline screen's session id "
                   "(`sessions list`; its first 4 or more characters will do)")
    p.add_argument("--to", required=True, metavar="ROLE",
                   help="the receiving worker's county database user name")
    p.add_argument("--reassign", action="store_true",
                   help="hand over a screen already handed to another worker (the referral "
                        "was reassigned)")
    p.add_argument("--db", metavar="CONNECTION",
                   help="the county database: a PostgreSQL connection string without the "
                        "password, which comes from PGPASSFILE or PGPASSWORD (default: "
                        "CSEC_INTERVIEW_DB)")
    store_options(p)


def cmd_handoff(args) -> int:
    from interview.cli.store import open_store
    from interview.county import db, handoffs, schema
    from interview.handoff import MAX_WORDS, cut_words, handoff_from
    from interview.storage.saved import replay
    from interview.text import plain

    text = db.conninfo(args.db)  # a bad --db is said before the passphrase is asked for
    lib = library(args)
    store = open_store(args)
    log = store.open_session(store.resolve_id(args.session), writable=False)
    package = handoff_from(replay(lib, log), log.id)
    elsewhere = handoffs.handed_elsewhere(store, log.id, args.to)
    if elsewhere and not args.reassign:  # one call, one youth interview (the chain audit, 7c)
        raise handoffs.CountyError(elsewhere)
    # This store's earlier handoffs of the screen to this worker: a changed package corrects
    # the youth interview the first one started (interview/county/handoffs.py), and is sent as
    # a correction (version 2); a re-run of the last one sends that one again (refused).
    earlier = [(at, sent) for to, at, sent in handoffs.handed_over(store, log.id)
               if to == args.to]
    if earlier and package.as_json()["digest"][:16] != earlier[-1][1]:
        package = package.as_correction()
    digest = package.as_json()["digest"][:16]
    with db.connect(text) as conn:
        schema.check_version(conn)
        handoffs.send(conn, args.to, package, lib, [sent for _, sent in earlier],
                      next((f"{at} UTC" for at, sent in reversed(earlier) if sent == digest), ""))
    store.audit.append("handed_off", log.id, f"to {args.to}, package {digest}")
    flags = len(package.red_flags)
    if earlier and not earlier[-1][1]:  # an entry made before packages were named in it
        print(plain(f"Hotline screen {log.id} handed to {args.to} again (it may be unchanged: "
                    f"this computer did not record which package it sent them at "
                    f"{earlier[-1][0]} UTC), sealed to their key: their next sync records a "
                    "change on the youth interview the screen started and says what changed, "
                    "or says it was received before."))
    elif earlier and digest != earlier[-1][1]:  # changed since the last one (A, B, A: changed)
        print(plain(f"Hotline screen {log.id} changed since it was handed to {args.to} at "
                    f"{earlier[-1][0]} UTC: the correction is sent, sealed to their key: their "
                    "next sync records it on the youth interview the screen started (its "
                    "routing, facts and allegation now as the screen has them, a fact the "
                    "worker confirmed or recorded staying theirs), and says what changed."))
    else:
        print(plain(f"Hotline screen {log.id} handed to {args.to}, sealed to their key: their "
                    f"next sync starts a youth interview from it, with its case facts and "
                    f"{flags} reported red flag{'s' * (flags != 1)} marked as reported by the "
                    "hotline."))
    cut = cut_words(package)
    if cut:
        print(plain(f"The caller's words at {', '.join(dict.fromkeys(cut))} were longer than "
                    f"{MAX_WORDS:,} characters: they were handed over cut there, marked as cut "
                    "and naming this screen, where the whole account stays."))
    return EXIT_OK
