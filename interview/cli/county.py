"""The county database from the command line: `sync` (a worker's laptop pushes its interviews,
sealed) and `county init|add-user|disable-user|rewrap` (the county's administrator). The database
code is in interview/county/ and imported only when one of these runs.

`add_parsers` builds their parsers; each `county` action is one function `_county_<action>`
and one entry of COUNTY_ACTIONS, so actions can be added beside these without touching them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from interview.cli.common import EXIT_OK, at_terminal
from interview.errors import InterviewError

PASSWORD_ENV = "CSEC_INTERVIEW_USER_PASSWORD"


def db_option(p) -> None:
    p.add_argument("--db", metavar="CONNECTION",
                   help="the county database: a PostgreSQL connection string (postgresql://"
                        "user@host/db or key=value) without the password, which comes from "
                        "PGPASSFILE or PGPASSWORD (default: CSEC_INTERVIEW_DB)")


def add_parsers(sub, store_options) -> None:
    p = sub.add_parser("sync", help="send this laptop's interviews (sealed) to the county "
                       "database", description="Send every interview saved on this computer "
                       "to the county database: the events as they are stored here (sealed), "
                       "each interview's key wrapped to the county's review key, and the "
                       "county table's summary. Safe to run again at any time: nothing is "
                       "sent twice, nothing is lost when it is interrupted.")
    db_option(p)
    store_options(p)
    p.add_argument("--accept-county-key", metavar="FINGERPRINT",
                   help="accept this new county key (after checking its fingerprint with the "
                        "county's administrator): needed when the county key changed since "
                        "the last sync")
    p.add_argument("--json", action="store_true", help="what was sent, as JSON")

    p = sub.add_parser("county", help="the county database: init, add-user, disable-user, "
                       "rewrap (its administrator); sessions, show, aggregate, review "
                       "(supervisors and coordinators)")
    actions = p.add_subparsers(dest="county_action", metavar="ACTION", required=True,
                               parser_class=type(p))
    for name, (helptext, build, _) in COUNTY_ACTIONS.items():
        q = actions.add_parser(name, help=helptext)
        db_option(q)
        build(q)


def cmd_county(args) -> int:
    from interview.county import db

    # An administrator's or a reader's command: nothing of theirs waits on this computer to be
    # sent, so a connection failure does not say that everything stays saved here.
    token = db.KEPT_HERE.set("")
    try:
        return COUNTY_ACTIONS[args.county_action][2](args)
    finally:
        db.KEPT_HERE.reset(token)


# --- county init ----------------------------------------------------------------------------


def _init_parser(p) -> None:
    p.add_argument("--key-out", type=Path, metavar="FILE",
                   help="where to write the county's private review key (a new file, 0600, "
                        "sealed by the passphrase); needed the first time and with --rotate")
    p.add_argument("--passphrase-file", type=Path, metavar="F",
                   help="the county key's passphrase from this file; otherwise it is asked "
                        "for (never on the command line)")
    p.add_argument("--rotate", action="store_true",
                   help="make a new county key and retire the current one (laptops ask their "
                        "worker to accept it)")
    p.add_argument("--json", action="store_true",
                   help="the result as JSON: the database, its schema version, the county "
                        "key and its fingerprint")


def _county_init(args) -> int:
    from interview.cli.store import read_passphrase
    from interview.county import db, keys, schema

    text = db.conninfo(args.db)
    with db.connect(text) as conn:
        schema.require_superuser(conn, "county init")
        applied = schema.apply(conn)
        current = schema.current_county_key(conn)
        out = {"database": db.describe(text), "schema_version": schema.LATEST,
               "migrations_applied": applied}
        if current and not args.rotate:  # run again, as the docs' own command: no change
            out["county_key"] = {"id": current[0], "fingerprint": keys.fingerprint(current[1]),
                                 "new": False}
        else:
            if not args.key_out:
                raise InterviewError("give --key-out FILE: where to write the county's new "
                                     "private key (the schema is ready; no key was made)")
            if args.key_out.exists() or args.key_out.is_symlink():
                raise InterviewError(f"{args.key_out} exists already: the county key is never "
                                     "written over; choose another --key-out (the schema is "
                                     "ready; no key was made)")
            key = keys.new_county_key()
            keys.write_private(args.key_out, key, read_passphrase(args, confirm=True))
            key_id, fp = schema.add_county_key(conn, key.public)
            out["county_key"] = {"id": key_id, "fingerprint": fp, "new": True,
                                 "file": str(args.key_out)}
    if args.json:
        print(json.dumps(out, indent=1))
        return EXIT_OK
    from interview.text import plain

    done = (f"applied migration{'s' * (len(applied) > 1)} {', '.join(map(str, applied))}"
            if applied else "already up to date")
    print(plain(f"County database {out['database']}: schema version {schema.LATEST} ({done})."))
    ck = out["county_key"]
    if ck["new"]:
        print(plain(f"New county review key {ck['id']}, written to {ck['file']} (0600, sealed "
                    "by its passphrase). Keep it (and a copy) offline with the people who "
                    "review: without it no interview can be read; anyone with it and the "
                    "passphrase can read them all."))
    else:
        print(f"County review key {ck['id']} (unchanged; --rotate makes a new one).")
        if args.key_out:
            print(plain(f"The county already has this key, so nothing was written to "
                        f"{args.key_out}: --key-out is for the first init and for --rotate."))
    print(f"Fingerprint, for workers to check on their first sync:\n  "
          f"{keys.spaced(ck['fingerprint'])}")
    return EXIT_OK


# --- county add-user / disable-user ---------------------------------------------------------


def _add_user_parser(p) -> None:
    p.add_argument("name", help="the person's database user name (lower case, e.g. jdoe)")
    p.add_argument("--team", required=True, help="their team (a supervisor reviews their "
                   "team's interviews)")
    p.add_argument("--kind", required=True, choices=["worker", "supervisor", "coordinator"],
                   help="worker (syncs their own interviews), supervisor (reads and reviews "
                   "their team's) or coordinator (the county table's summaries, never an "
                   "interview)")
    p.add_argument("--password-file", type=Path, metavar="F",
                   help=f"their first password from this file (or {PASSWORD_ENV}); otherwise "
                        "it is asked for. Never on the command line.")


def _new_password(args) -> str:
    from interview.cli.store import _read_small

    if args.password_file:
        try:
            raw = _read_small(args.password_file)
        except IsADirectoryError:
            raise InterviewError(f"{args.password_file}: is a folder, not a password file") \
                from None
        except OSError as exc:
            raise InterviewError(f"{args.password_file}: cannot read the password file: "
                                 f"{exc.strerror}") from None
        lines = raw.decode("utf-8", "replace").splitlines()
        if not lines or not lines[0]:
            raise InterviewError(f"{args.password_file}: the password file is empty")
        return lines[0]
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not at_terminal(sys.stdin):
        raise InterviewError(f"no password for the new user: give --password-file F or set "
                             f"{PASSWORD_ENV} (never on the command line)")
    import getpass

    first = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("The same password again: ") != first:
        raise InterviewError("the two passwords differ; no user was made")
    return first


def _county_add_user(args) -> int:
    from interview.county import db, schema

    schema.check_role_name(args.name)
    password = _new_password(args)
    text = db.conninfo(args.db)
    with db.connect(text) as conn:
        made = schema.add_user(conn, args.name, args.team, args.kind, password)
    from interview.text import plain

    team = made["team"]  # as stored: what a supervisor's team must match exactly
    print(plain(f"{args.name} can now connect as a {args.kind} of team {team!r} "
                f"(database role {args.name}, in csec_{args.kind})."))
    if made["new_team"] and made["teams"]:
        print(plain(f"Team {team!r} is new: no one was in it before. Teams so far: "
                    f"{', '.join(made['teams'])}."))
    for near in made["near"]:  # 'North ' beside 'north': a worker no supervisor would see
        literal = "'" + near.replace("'", "''") + "'"
        print(plain(f"WARNING: team {team!r} is not team {near!r} (a supervisor reads only "
                    f"the interviews of their team, by its exact name). If {args.name} belongs "
                    f"to {near!r}, move them before they sync: UPDATE workers SET team = "
                    f"{literal} WHERE role = '{args.name}';"), file=sys.stderr)
    return EXIT_OK


def _disable_user_parser(p) -> None:
    p.add_argument("name", help="the database user name to disable")


def _county_disable_user(args) -> int:
    from interview.county import db, schema

    with db.connect(db.conninfo(args.db)) as conn:
        schema.disable_user(conn, args.name)
    print(f"{args.name} can no longer connect; what they synced stays in the database, sealed.")
    return EXIT_OK


def _rewrap_parser(p) -> None:
    p.add_argument("--key", type=Path, required=True, metavar="FILE",
                   help="the OLD county key file (the one retired by `init --rotate`)")
    p.add_argument("--passphrase-file", type=Path, metavar="F",
                   help="its passphrase from this file; otherwise it is asked for")
    p.add_argument("--json", action="store_true", help="what was re-wrapped, as JSON")


def _county_rewrap(args) -> int:
    from interview.cli.store import read_passphrase
    from interview.county import db, keys, schema

    text = db.conninfo(args.db)
    old = keys.load_county_private(args.key, read_passphrase(args))
    with db.connect(text) as conn:
        done = schema.rewrap(conn, old)
    if args.json:
        print(json.dumps({"old_key_id": old.id, **done}, indent=1))
        return EXIT_OK
    print(f"Re-wrapped to county key {done['key_id']}: {done['interviews']} interview keys and "
          f"{done['summaries']} summaries that key {old.id} opened"
          + (f"; {done['not_opened']} did not open and were left as they were"
             if done["not_opened"] else "") + ". Keep the old key file until you have checked "
          "that the new one opens them.")
    return EXIT_OK


COUNTY_ACTIONS = {
    "init": ("create or update the schema and roles, and the county review key",
             _init_parser, _county_init),
    "add-user": ("add a worker, supervisor or coordinator", _add_user_parser, _county_add_user),
    "disable-user": ("stop a user from connecting (a lost laptop)", _disable_user_parser,
                     _county_disable_user),
    "rewrap": ("after `init --rotate`: wrap every interview to the new county key (needs the "
               "old key file)", _rewrap_parser, _county_rewrap),
}
from interview.cli.county_read import add_commands  # noqa: E402 - sessions, show, aggregate,
add_commands(COUNTY_ACTIONS)                         # review: county-read's actions


# --- sync -----------------------------------------------------------------------------------


def cmd_sync(args) -> int:
    try:
        return _sync(args)
    except KeyboardInterrupt:  # ctrl+c: each transaction sent is whole, and kept
        print("\ncsec-interview: sync interrupted: what reached the county database before "
              "it is kept, and nothing is sent twice; run `csec-interview sync` again to "
              "finish", file=sys.stderr)
        return 130


def _sync(args) -> int:
    from interview.cli.common import library
    from interview.cli.store import open_store
    from interview.county import db
    from interview.county.sync import sync

    text = db.conninfo(args.db)  # before the passphrase: a bad --db is said first
    batch = os.environ.get("CSEC_INTERVIEW_SYNC_BATCH", "2000")
    if not batch.isdigit() or int(batch) < 1:
        raise InterviewError(f"CSEC_INTERVIEW_SYNC_BATCH={batch[:20]!r}: give the number of "
                             "events to send per transaction (e.g. 2000)")
    store = open_store(args)
    with db.connect(text) as conn:
        with db.said_plainly(text, "sync"):
            from interview.county.handoffs import receive_all  # county-read: reviews, handoffs
            got = receive_all(store, conn, lambda: library(args))  # first: their events go up
            report = sync(store, conn, lambda: library(args), accept=args.accept_county_key,
                          batch_events=int(batch))
    out = {"database": db.describe(text), **report.as_json(), **got.as_json()}
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        print(report.words(out["database"]) + got.words())
    for line in report.skipped:
        print(f"csec-interview: not sent: {line}", file=sys.stderr)
    for line in report.unsummarised:  # sent, but the county table cannot count it
        print(f"csec-interview: not counted in the county table: {line}", file=sys.stderr)
    return EXIT_OK if not (report.skipped or report.unsummarised) else 1
