"""The headless command line: validate, questions, red-flags, assess.

Outside scripts rely on these commands and their JSON; keep them stable. Heavy imports happen
inside each command so `--help` and small commands start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from interview import __version__
from interview.errors import InterviewError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not a usage dump
        from interview.text import plain

        self.exit(EXIT_USAGE, f"{self.prog}: {plain(message)}\nTry `{self.prog} --help`.\n")


def milliseconds(text: str) -> int:
    """--delay-ms: a whole number of milliseconds, 0 to an hour."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
    if not 0 <= value <= 3_600_000:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 3600000 (an hour)")
    return value


def input_file(path: Path, what: str = "answer file") -> Path:
    """A file to read, refused before opening when it is not a regular file: a FIFO or a
    device would block or never end."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return path  # the reader names the missing file
    except OSError as exc:
        raise InterviewError(f"{path}: cannot read the {what}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise InterviewError(f"{path}: is a folder; give the {what} itself")
    if not stat.S_ISREG(mode):
        raise InterviewError(f"{path}: is not a regular file (a pipe or a device); give the "
                             f"{what} as a file saved on disk")
    return path


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="csec-interview",
        description="Guided screening interviews for commercial sexual exploitation of children "
                    "and child labor trafficking (California county policy).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--county", default=os.environ.get("CSEC_INTERVIEW_COUNTY"),
                        help="county configuration: a name in flows/counties (default, "
                             "los-angeles, orange) or a path to a county YAML file "
                             "(env CSEC_INTERVIEW_COUNTY)")
    parser.add_argument("--store", dest="app_store", type=Path, metavar="DIR",
                        help="where the app saves interviews (default: your data folder, or "
                             "CSEC_INTERVIEW_STORE)")
    parser.add_argument("--lock-minutes", type=float, metavar="N",
                        default=float(os.environ.get("CSEC_INTERVIEW_LOCK_MINUTES", 15)),
                        help="lock the app after N minutes without use (default 15; 0: never)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser("interview", help="start a flow in the app (youth, caregiver, hotline, "
                       "runaway-return, labor-criminal)")
    p.add_argument("flow", help="a flow id: youth, caregiver, hotline, runaway-return, "
                   "labor-criminal")

    p = sub.add_parser("validate", help="check flow files (all shipped content by default)")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")

    p = sub.add_parser("questions", help="list a flow's steps in order")
    p.add_argument("flow")
    p.add_argument("--json", action="store_true", help="JSON list of steps")

    p = sub.add_parser("red-flags", help="the 39-row Red Flags chart")
    p.add_argument("--json", action="store_true")

    def store_options(p, passphrase: bool = True):
        p.add_argument("--store", type=Path, help="the store folder (default: your data folder, "
                       "or CSEC_INTERVIEW_STORE)")
        if passphrase:
            p.add_argument("--passphrase-file", type=Path, metavar="F",
                           help="read the passphrase from this file (for scripts); otherwise "
                                "it is asked for. Never give it on the command line.")

    p = sub.add_parser("run", help="walk a flow with an answer file, saving every event")
    p.add_argument("flow")
    p.add_argument("--answers", type=Path, required=True, metavar="FILE",
                   help="an `assess` input file (YAML or JSON)")
    p.add_argument("--delay-ms", type=milliseconds, default=0, metavar="N",
                   help="pause N milliseconds after each saved event (for crash tests)")
    store_options(p)

    p = sub.add_parser("sessions", help="list, show or delete saved interviews")
    p.add_argument("action", choices=["list", "show", "delete"])
    p.add_argument("session", nargs="?", help="the session id (show, delete)")
    p.add_argument("--json", action="store_true")
    store_options(p)

    p = sub.add_parser("aggregate", help="the county table: children by CSEC Type, each once")
    p.add_argument("--from", dest="start", metavar="DATE", help="first interview date, YYYY-MM-DD")
    p.add_argument("--to", dest="end", metavar="DATE", help="last interview date, YYYY-MM-DD")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true")
    form.add_argument("--csv", action="store_true")
    store_options(p)

    p = sub.add_parser("report", help="the case note, CWS/CMS block and MDT handout of an "
                       "interview (a saved session id, or an answer file)")
    p.add_argument("session", metavar="SESSION", help="a saved session id (`sessions list`), or "
                   "the path of an `assess` answer file")
    p.add_argument("--format", choices=["text", "md", "html", "json"], default="text",
                   help="text (to paste into a case management system), md, html (a printable "
                   "page) or json (the report's data); default text")
    p.add_argument("--part", action="append", choices=["case-note", "cws-cms", "mdt"],
                   metavar="PART", help="only this document: case-note, cws-cms or mdt "
                   "(repeatable; default all three)")
    p.add_argument("--include-words", action="store_true",
                   help="quote the youth's own words in the MDT handout too")
    p.add_argument("--output", "-o", type=Path, metavar="PATH",
                   help="write to this file (private, 0600) instead of standard output")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    store_options(p)

    p = sub.add_parser("diagram", help="a Mermaid state diagram of a flow")
    p.add_argument("flow")

    p = sub.add_parser("passphrase", help="change the store's passphrase (and its store key)")
    store_options(p)
    p.add_argument("--new-passphrase-file", type=Path, metavar="F",
                   help="read the new passphrase from this file; otherwise it is asked for")

    p = sub.add_parser("audit", help="check the audit trail against its sealed head")
    p.add_argument("action", choices=["verify"])
    store_options(p)

    p = sub.add_parser("practice", help="practice mode (CSEC 101): start, serve, list, score, "
                       "selftest, export, match", description="Practice interviews with a "
                       "simulated youth or caregiver (fictional scenarios; nothing is saved as "
                       "a case).")
    p.add_argument("action", choices=["start", "serve", "list", "score", "selftest", "export",
                                      "match"])
    p.add_argument("args", nargs="*", metavar="ARG", help="start, serve: [SCENARIO]; "
                   "score: SCENARIO FILE; export: RESULTS; match: SCENARIO [TEXT...] (no TEXT: "
                   "one typed line per line of standard input)")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true")
    form.add_argument("--csv", action="store_true", help="export: CSV (default for export)")
    p.add_argument("--results", type=Path, metavar="FILE",
                   help="start, serve: append each trainee's result to this class file")
    p.add_argument("--trainee", metavar="NAME", help="start: the trainee's name")
    p.add_argument("--scenarios", type=Path, metavar="DIR",
                   help="also the scenario files (*.yaml) in this folder of your own")
    p.add_argument("--summary", action="store_true",
                   help="export: the class summary, readable (with --json it is in the JSON)")
    p.add_argument("--debriefs", action="store_true",
                   help="export: every kept debrief, as text (PRACTICE / FICTIONAL)")
    p.add_argument("--host", default="localhost", help="serve: address (0.0.0.0: the whole LAN)")
    p.add_argument("--port", type=int, default=8000, help="serve: port (default 8000)")
    from interview.practice import MAX_TRAINEES

    p.add_argument("--max-trainees", type=int, default=MAX_TRAINEES, metavar="N",
                   help="serve: at most N trainees at once, one process each "
                   f"(default {MAX_TRAINEES})")

    p = sub.add_parser("assess", help="findings for answer files (YAML or JSON)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true",
                   help="one JSON object per file (JSON Lines when several)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from interview.storage.harden import no_core_dumps

    no_core_dumps()  # answers in memory must not end up in a core file
    parser = build_parser()
    args = parser.parse_args(argv)
    command = {None: cmd_app, "interview": cmd_app, "run": cmd_run, "sessions": cmd_sessions,
               "audit": cmd_audit, "passphrase": cmd_passphrase, "aggregate": cmd_aggregate,
               "report": cmd_report, "diagram": cmd_diagram, "validate": cmd_validate,
               "questions": cmd_questions, "red-flags": cmd_red_flags, "assess": cmd_assess,
               "practice": cmd_practice}[args.command]
    try:
        county = args.county or ""
        if county.endswith((".yaml", ".yml")) or "/" in county:
            input_file(Path(county), "county file")
        return command(args)
    except InterviewError as exc:
        print(f"csec-interview: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`); nothing left to say
        return EXIT_OK
    except OSError as exc:
        print(f"csec-interview: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one message, and the way to see more
        if os.environ.get("CSEC_INTERVIEW_DEBUG"):
            raise
        from interview.text import plain

        print(f"csec-interview: internal error ({type(exc).__name__}: {plain(str(exc))[:300]}). "
              "What was saved before it is kept. Please report it; set CSEC_INTERVIEW_DEBUG=1 "
              "to see the details.", file=sys.stderr)
        return EXIT_ERROR


def library(args):
    from interview.content.validate import load_library
    from interview.errors import ContentError

    lib, problems = load_library(county=args.county)
    if problems or lib is None:
        raise ContentError(problems) if problems else InterviewError("content could not be loaded")
    return lib


def _flow(lib, flow_id: str):
    from interview.errors import unknown_flow

    if flow_id not in lib.flows:
        raise InterviewError(unknown_flow(flow_id, lib.flows))
    return lib.flows[flow_id]


def cmd_app(args) -> int:
    """The interview app: the home screen, or straight into a flow."""
    measuring = bool(os.environ.get("CSEC_INTERVIEW_FIRST_PROMPT_FILE"))  # scripts/bench.py
    if not sys.stdout.isatty() and not measuring:
        raise InterviewError("the interview app needs a terminal; for scripts use "
                             "`assess`, `questions` or `validate` (see --help)")
    from interview.app.app import InterviewApp

    from interview.content import cache

    flow, lib = getattr(args, "flow", None), None
    if flow is not None:  # an unknown flow is a one-line error, before the screen opens
        lib = cache.load(args.county)
        _flow(lib, flow)
    from interview.storage.store import Store, default_store_dir

    store = None if measuring else Store(args.app_store or default_store_dir())
    InterviewApp(flow_id=flow, county=args.county, library=lib, store=store,
                 lock_minutes=args.lock_minutes).run(headless=measuring)
    return EXIT_OK


def _read_small(path: Path, limit: int = 1024, wait: float = 5.0) -> bytes:
    """At most `limit` bytes of a file; a pipe is fine (`--passphrase-file <(pass show x)`),
    but one nobody writes to is given up on after `wait` seconds rather than waited on."""
    import select
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory")
        if not stat.S_ISREG(mode) and not select.select([fd], [], [], wait)[0]:
            raise InterviewError(f"{path}: nothing came through it within {wait:.0f} seconds")
        os.set_blocking(fd, True)
        return os.read(fd, limit)
    finally:
        os.close(fd)


def read_passphrase(args, confirm: bool = False) -> str:
    """From --passphrase-file, or asked for at the terminal; never from the command line."""
    if getattr(args, "passphrase_file", None):
        path = args.passphrase_file
        try:
            text = _read_small(path).split(b"\n", 1)[0].decode("utf-8")  # the first line
        except IsADirectoryError:
            raise InterviewError(f"{path}: is a folder, not a passphrase file") from None
        except OSError as exc:
            raise InterviewError(f"{path}: cannot read the passphrase file: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise InterviewError(f"{path}: the passphrase file is not UTF-8 text") from None
        passphrase = text.splitlines()[0] if text.splitlines() else ""
        if not passphrase:
            raise InterviewError(f"{path}: the passphrase file is empty")
        return passphrase
    if not sys.stdin.isatty():
        raise InterviewError("no passphrase: give --passphrase-file F (a passphrase is never "
                             "taken from the command line)")
    import getpass

    passphrase = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("The same passphrase again: ") != passphrase:
        raise InterviewError("the two passphrases differ; nothing was created")
    return passphrase


def open_store(args, create: bool = False, audit: bool = True):
    """The store, unlocked; created (asking for a new passphrase) only when `create`;
    the unlock audited unless `audit` is False (`audit verify` changes nothing)."""
    from interview.storage.store import Store, WrongPassphrase, default_store_dir

    path = args.store or default_store_dir()
    if not Store.exists(path):
        if not create:
            raise InterviewError(f"no saved interviews in {path} (no store there yet)")
        Store.check_new(path)  # before asking for a passphrase: never over existing interviews
        return Store.create(path, read_passphrase(args, confirm=True))
    store = Store(path)
    try:
        store.unlock(read_passphrase(args))
    except WrongPassphrase:
        store.audit.append("wrong_passphrase")
        raise
    if audit:
        store.audit.append("unlocked")
    return store


def cmd_run(args) -> int:
    """Walk a flow with an answer file, in flow order, saving each event before the next."""
    import time

    from interview.engine.case import build_record, read_case_file
    from interview.engine.session import Session
    from interview.storage.log import encode
    from interview.storage.saved import SavedSession

    lib = library(args)
    flow = _flow(lib, args.flow)
    data = read_case_file(input_file(args.answers))
    record = build_record(lib, data)  # every value checked before anything is saved
    if record.flow.id != flow.id:
        raise InterviewError(f"{args.answers}: its flow is {record.flow.id!r}, not {flow.id!r}")
    rehearsal = Session(lib, flow.id, sinks=[lambda event: encode(event.as_json())])
    try:  # ...and every event, its size included, before the first is saved
        _walk(rehearsal, flow, record, data, lambda: None)
    finally:
        rehearsal.close()
    store = open_store(args, create=True)
    saved = SavedSession.create(store, lib, flow.id)
    count = 0

    def saved_one() -> None:
        nonlocal count
        count += 1
        print(f"saved {count}", flush=True)
        if args.delay_ms:
            time.sleep(args.delay_ms / 1000)

    try:
        _walk(saved.session, flow, record, data, saved_one)
    finally:
        saved.close()
    print(f"session {saved.id}: {count} events saved", flush=True)
    return EXIT_OK


def _walk(session, flow, record, data: dict, saved_one) -> None:
    """The events of an answer file, in flow order; `saved_one` after each."""
    if data.get("context"):
        from interview.content.yamlsafe import jsonable

        session.set_facts(**jsonable(data["context"]))
        saved_one()
    for step in flow.steps:
        answer = record.answers.get(step.id)
        if answer is not None:
            kwargs = {"text": answer.text, "cues": list(answer.cues)}
            args_ = () if step.kind == "open" else (answer.value,)
            if session.state == step.id:
                session.answer(*args_, **kwargs)
            else:
                session.edit(step.id, *args_, **kwargs)
            saved_one()
        if step.kind == "observation":
            for red_flag, note in record.observations.items():
                session.observe(red_flag, note)
                saved_one()
    if not any(s.kind == "observation" for s in flow.steps):
        for red_flag, note in record.observations.items():
            session.observe(red_flag, note)
            saved_one()
    for override in record.overrides.values():
        session.override(override.finding, override.decision, override.reason)
        saved_one()


def cmd_sessions(args) -> int:
    from interview.storage.store import Store, default_store_dir

    from interview.text import plain

    path = args.store or default_store_dir()
    if args.action == "list":
        if Store.exists(path):
            sessions = open_store(args).list()  # the flow and counts are sealed: unlock first
        else:
            Store.check_new(path)  # interviews there without their store.json: say so
            sessions = []
        if args.json:
            print(json.dumps([s.as_json() for s in sessions], indent=1))
        elif not sessions:
            print(f"No saved interviews in {plain(str(path))}.")
        else:
            print(f"{'session':<17} {'flow':<15} {'started':<26} {'last change':<26} answered")
            for s in sessions:
                print(plain(f"{s.id:<17} {s.flow:<15} {s.created:<26} {s.updated:<26} "
                            f"{s.answered}" + (f"  PROBLEM: {s.problem}" if s.problem else "")))
        return EXIT_OK
    if not args.session:
        raise InterviewError(f"sessions {args.action}: give the session id "
                             "(`csec-interview sessions list` shows them)")
    store = open_store(args)
    if args.action == "delete":
        store.delete_session(args.session)
        print(f"session {args.session} deleted: its key is destroyed and its data unreadable")
        return EXIT_OK
    from interview.storage.saved import replay

    lib = library(args)
    log = store.open_session(args.session, writable=False)
    session = replay(lib, log)
    store.audit.append("reviewed", log.id)
    findings = session.findings.as_json(lib)
    if args.json:
        print(json.dumps({"session": log.id, "flow": log.flow, "events": log.events,
                          **findings}, ensure_ascii=False, indent=1))
    else:
        print(summary(lib, f"session {log.id}", session.record, findings))
    return EXIT_OK


def cmd_report(args) -> int:
    """One interview's documents in one step: from the store, or from an answer file."""
    from interview.reports import export, render

    lib = library(args)
    parts = args.part or render.PARTS
    as_file = Path(args.session)
    if as_file.suffix.lower() in (".yaml", ".yml", ".json") or (
            os.path.lexists(as_file) and not as_file.is_dir()):
        report, store, session_id = export.from_file(lib, input_file(as_file),
                                                     include_words=args.include_words), None, ""
    else:
        from interview.storage.saved import replay

        store = open_store(args)
        log = store.open_session(args.session, writable=False)
        session = replay(lib, log)
        report = export.from_session(lib, session, session_id=log.id, store=store,
                                     include_words=args.include_words)
        session.close()
        session_id = log.id
    text = render.render(report, args.format, parts, lib.county.templates)
    if args.output is None:
        sys.stdout.write(text)
    else:
        path = export.write(args.output, text, overwrite=args.force)
        print(f"wrote {path} ({args.format}); it is not encrypted: keep it safe",
              file=sys.stderr)
    if store is not None:
        store.audit.append("exported", session_id,
                           f"{args.format} {'+'.join(parts)}"
                           + (" to a file" if args.output else " to the terminal"))
    return EXIT_OK


def cmd_practice(args) -> int:
    from interview.practice.cli import run

    files = {"score": (1, "file of marks"), "export": (0, "class results file")}
    if args.action in files and len(args.args) > files[args.action][0]:
        input_file(Path(args.args[files[args.action][0]]), files[args.action][1])

    return run(args, library)


def cmd_diagram(args) -> int:
    from interview.reports.diagram import mermaid

    print(mermaid(_flow(library(args), args.flow)))
    return EXIT_OK


def cmd_aggregate(args) -> int:
    """Count the saved interviews' children by CSEC Type, each once, de-identified."""
    import csv

    from interview.engine.record import parse_date
    from interview.reports.aggregate import county_table, from_store

    start = parse_date(args.start, "--from") if args.start else None
    end = parse_date(args.end, "--to") if args.end else None
    if start and end and end < start:
        raise InterviewError(f"--to {end} is before --from {start}")
    lib = library(args)
    screenings, skipped = from_store(lib, open_store(args))
    table = county_table(screenings, start, end)
    for line in skipped:
        print(f"csec-interview: skipped {line}", file=sys.stderr)
    if args.json:
        print(json.dumps({**table.as_json(), "skipped": len(skipped)}, indent=1))
    elif args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["table", "row", "count"])
        writer.writerows(table.csv_rows())
    else:
        print(f"Children identified, each counted once (004, Appendix B): "
              f"{sum(table.by_type.values())} of {table.children} children, "
              f"{table.sessions} interviews")
        for kind, count in table.by_type.items():
            print(f"  {kind:<40} {count}")
        print("Red flags by column: " + ", ".join(f"{k} {v}" for k, v in
                                                  table.red_flags_by_column.items()))
        h = table.hotline
        print(f"Hotline screens (not counted as children): {h['screens']}; suspected: "
              f"sex trafficking {h['suspected_sex_trafficking']}, labor trafficking "
              f"{h['suspected_labor_trafficking']}, criminal activity "
              f"{h['suspected_criminal_activity']}; " + ", ".join(
                  f"{lib.vocabulary.label('response_tiers', t)} {h[t]}"
                  for t in ("immediate_crisis", "initial_mdt")))
    return EXIT_OK


def cmd_passphrase(args) -> int:
    """A new passphrase and a new store key; every interview's data key is re-wrapped under it
    (its events are not re-encrypted)."""
    from argparse import Namespace

    from interview.storage.store import Store, WrongPassphrase, default_store_dir

    path = args.store or default_store_dir()
    if not Store.exists(path):
        raise InterviewError(f"no store in {path}")
    old = read_passphrase(args)
    new = read_passphrase(Namespace(passphrase_file=args.new_passphrase_file), confirm=True)
    store = Store(path)
    try:
        store.change_passphrase(old, new)
    except WrongPassphrase:
        store.audit.append("wrong_passphrase")
        raise
    print("passphrase changed: a new store key now wraps every interview's key; the old "
          "passphrase no longer opens the store (a backup made before the change still opens "
          "with it what was in that backup: see docs/security.md)")
    return EXIT_OK


def cmd_audit(args) -> int:
    """The chain of audit.log, and its head against the one sealed in the store's state."""
    from interview.storage.store import Store, default_store_dir

    path = args.store or default_store_dir()
    if not Store.exists(path):
        Store.check_new(path)  # a trail without its store.json: say so
        print("ok: 0 audit entries, no store here yet")
        return EXIT_OK
    count, problem, note = open_store(args, audit=False).verify_audit()
    if problem:
        print(f"csec-interview: {path / 'audit.log'}: the audit trail is broken after {count} "
              f"good entries: {problem}", file=sys.stderr)
        return EXIT_ERROR
    print(f"ok: {count} audit entries, the chain is intact and matches its sealed head"
          + (f" ({note})" if note else ""))
    return EXIT_OK


def cmd_validate(args) -> int:
    from interview.content.validate import validate_paths

    for path in args.paths:  # (a folder the validator reports with the other problems)
        if not path.is_dir():
            input_file(path, "flow file")
    count, problems = validate_paths(list(args.paths), county=args.county)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} found; nothing was changed.", file=sys.stderr)
        return EXIT_ERROR
    print(f"ok: {count} file{'s' if count != 1 else ''} checked, no problems")
    return EXIT_OK


def step_json(lib, step) -> dict:
    out = {
        "id": step.id, "kind": step.kind, "audience": step.audience, "section": step.section,
        "text": lib.step_text(step),
        "cues": [{"id": c.id, "label": c.label, "indicates": c.indicates.as_json(),
                  **({"sets": {k: list(v) if isinstance(v, tuple) else v for k, v in c.sets}}
                     if c.sets else {})}
                 for c in step.cues],
        "indicates_on_yes": step.indicates_on_yes.as_json(),
        "source": step.source,
    }
    if step.indicates_on_no:
        out["indicates_on_no"] = step.indicates_on_no.as_json()
    for key in ("guidance", "follow_up", "variant_of", "risk_factor", "fact"):
        if getattr(step, key):
            out[key] = getattr(step, key)
    if step.branch:
        out["branch"] = dict(step.branch)
    if step.items:
        out["items"] = [{"red_flag": i.red_flag, "hint": i.hint,
                         "indicates": i.indicates.as_json()} for i in step.items]
    if step.fields:
        out["fields"] = list(step.fields)
    return out


def cmd_questions(args) -> int:
    lib = library(args)
    flow = _flow(lib, args.flow)
    if args.json:
        print(json.dumps([step_json(lib, s) for s in flow.steps], ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"{flow.title} ({flow.id}): {len(flow.steps)} steps")
    for section in flow.sections:
        print(f"\n{section.title}")
        for sid in section.steps:
            step = flow.by_id[sid]
            text = lib.step_text(step).strip().splitlines()[0]
            print(f"  [{step.kind}] {step.id} ({step.audience}): {text}")
    return EXIT_OK


def cmd_red_flags(args) -> int:
    lib = library(args)
    rows = sorted(lib.red_flags.values(), key=lambda r: r.row)
    if args.json:
        print(json.dumps([{"id": r.id, "row": r.row, "label": r.label,
                           "columns": list(r.columns), "source": r.source} for r in rows],
                         ensure_ascii=False, indent=1))
        return EXIT_OK
    mark = lib.vocabulary.labels("columns", "letter")
    print("Red Flags chart (003). Columns: " + ", ".join(f"{t.letter} {t.label}" for t in
                                                        lib.vocabulary.columns.values()) + ".\n")
    for r in rows:
        cols = "".join(mark[c] if c in r.columns else "." for c in mark)
        print(f"{r.row:>2} {cols} {r.id:<30} {r.label}")
    return EXIT_OK


def cmd_assess(args) -> int:
    from interview.engine.case import load_case
    from interview.rules import evaluate

    lib = library(args)
    results = []
    for path in args.files:  # check every file before printing anything
        record = load_case(lib, input_file(path))
        results.append((path, record, evaluate(lib, record).as_json(lib)))
    for i, (path, record, findings) in enumerate(results):
        if args.json:
            print(json.dumps({"file": str(path), "flow": record.flow.id, **findings},
                             ensure_ascii=False, indent=None if len(results) > 1 else 1))
        else:
            if i:
                print()
            print(summary(lib, path, record, findings))
    return EXIT_OK


def summary(lib, path, record, findings: dict) -> str:
    """The readable summary, rendered from templates/assess-summary.txt.j2."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from interview.paths import templates_dir
    from interview.reports.render import clean
    from interview.rules.evidence import describe

    env = Environment(loader=FileSystemLoader(templates_dir()), undefined=StrictUndefined,
                      autoescape=False, keep_trailing_newline=False)
    env.filters["plain"] = clean
    env.filters["because"] = lambda ev: clean(describe(ev, record.flow.setting))
    disclosed_steps = {kind: {ev.get("step") for ev in evs}  # shown under Disclosures already
                       for kind, evs in findings["disclosures"]["evidence"].items()}
    return env.get_template("assess-summary.txt.j2").render(
        path=str(path), flow=record.flow, f=findings, disclosed_steps=disclosed_steps,
        at_risk_labels={k: v.label for k, v in lib.at_risk.items()})

