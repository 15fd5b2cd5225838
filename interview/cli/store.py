"""The saved interviews and their vault: `sessions`, `passphrase`, `audit`, and the passphrase
and store helpers the other commands use."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from interview.cli.common import EXIT_ERROR, EXIT_OK, at_terminal, library
from interview.errors import InterviewError


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
    if not at_terminal(sys.stdin):
        raise InterviewError("no passphrase: give --passphrase-file F (a passphrase is never "
                             "taken from the command line)")
    import getpass

    passphrase = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("The same passphrase again: ") != passphrase:
        raise InterviewError("the two passphrases differ; nothing was created")
    return passphrase


def no_store(path: Path) -> InterviewError:
    """The one message, for every command that opens a store, when `path` holds none: a
    mistyped --store must not look like a store whose interviews are gone. Interviews there
    without their store.json are refused first, with their own message."""
    from interview.storage.store import Store, default_store_dir
    from interview.text import plain

    Store.check_new(path)
    default = default_store_dir()
    shown = plain(str(path))
    if Path(path) == default:
        return InterviewError(f"no store yet at {shown} (the default store): it is created "
                              "when the app or `run` saves its first interview")
    return InterviewError(f"no store at {shown}: check the --store path (without it: the "
                          f"default store, {plain(str(default))}); a store is created where the "
                          "app or `run` saves its first interview")


def check_store_folder(path: Path) -> None:
    """The app's store folder, checked before its first screen (and so before a passphrase is
    asked): one that cannot be read, or one that cannot become a store, is the same one line
    the commands say, not an internal error or a failure after the passphrase is chosen."""
    from interview.storage.store import Store

    if not Store.exists(path):
        Store.check_new(path)


def first_run(path: Path) -> bool:
    """No store at `path` and nothing that looks like the remains of one (no_store's own check
    refuses those): the default store before the first interview is saved."""
    from interview.storage.store import Store

    if Store.exists(path):
        return False
    Store.check_new(path)
    return True


def open_store(args, create: bool = False, audit: bool = True):
    """The store, unlocked; created (asking for a new passphrase) only when `create`;
    the unlock audited unless `audit` is False (`audit verify` changes nothing)."""
    from interview.storage.store import Store, WrongPassphrase, default_store_dir

    path = args.store or default_store_dir()
    if not Store.exists(path):
        if not create:
            raise no_store(path)
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


def cmd_sessions(args) -> int:
    from interview.storage.store import default_store_dir

    from interview.text import plain

    path = args.store or default_store_dir()
    if args.action == "list":
        if args.store is None and not args.session and first_run(path):  # nothing saved yet
            print("[]" if args.json else f"No saved interviews yet: the default store "
                  f"({plain(str(path))}) is created when the app or `run` saves the first.")
            return EXIT_OK
        store = open_store(args)
        sessions = store.list()  # the flow and counts are sealed: unlock first
        if args.session:  # `list ID`: that interview's row (what `show` does not say)
            wanted = store.resolve_id(args.session)
            sessions = [s for s in sessions if s.id == wanted]
            if not sessions:
                raise InterviewError(f"no saved interview {plain(args.session)!r} in "
                                     f"{plain(str(path))}: `csec-interview sessions list` "
                                     "shows them all")
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
    if args.action == "delete" and not args.yes and not at_terminal(sys.stdin):
        raise InterviewError("sessions delete: nothing deleted. A delete cannot be undone: "
                             "off a terminal, give --yes to confirm it (at a terminal it is "
                             "asked)")
    store = open_store(args)
    args.session = store.resolve_id(args.session)  # a unique start of it will do
    if args.action == "delete":
        from interview.county.sync import county_copy_note

        if not args.yes:
            confirm_delete(args, store, args.session)
        store.delete_session(args.session)
        print(f"session {args.session} deleted: its key is destroyed and its data unreadable "
              "on this computer")
        if note := county_copy_note(store):
            print(note)
        return EXIT_OK
    from interview.storage.saved import replay

    lib = library(args)
    log = store.open_session(args.session, writable=False)
    session = replay(lib, log)
    store.audit.append("reviewed", log.id)
    if args.json:
        print(json.dumps({"session": log.id, "flow": log.flow, "events": log.events,
                          **shown(lib, session, log.id)}, ensure_ascii=False, indent=1))
    else:
        print(shown(lib, session, log.id, f"session {log.id}"))
    return EXIT_OK


CONFIRM_CHARS = 8  # of the id, typed to confirm a delete at a terminal


def confirm_delete(args, store, session_id: str) -> None:
    """At a terminal: what is about to be deleted (flow, date, case number, answered count),
    and the first CONFIRM_CHARS characters of its id typed to confirm. Anything else, or the
    end of input, deletes nothing. (Off a terminal `--yes` is required instead.)"""
    from interview.text import plain

    info = next((s for s in store.list() if s.id == session_id), None)
    if info is None:  # not there: delete_session names it
        return
    case = "?"
    if not info.problem:
        from interview.storage.saved import record_of

        try:
            record = record_of(library(args), store.open_session(session_id, writable=False))
            case = record.context.case_id or "none recorded"
        except InterviewError:
            case = "? (the interview cannot be read)"
    print(plain(f"Delete this saved interview? It cannot be undone.\n"
                f"  session   {session_id}\n  flow      {info.flow}\n"
                f"  started   {info.created}\n  case      {case}\n"
                f"  answered  {info.answered}"
                + (f"\n  PROBLEM   {info.problem}" if info.problem else "")), file=sys.stderr)
    sys.stderr.write(f"Type the first {CONFIRM_CHARS} characters of its id to delete it "
                     "(anything else keeps it): ")
    sys.stderr.flush()
    typed = sys.stdin.readline().strip()
    if not typed or typed != session_id[:CONFIRM_CHARS]:
        raise InterviewError(f"session {session_id} was not deleted"
                             + (f": {plain(typed)[:40]!r} is not the first {CONFIRM_CHARS} "
                                "characters of its id" if typed else ""))


def shown(lib, session, session_id: str, title: str | None = None):
    """What `sessions show` (and `county show`) print of an interview: its findings (JSON, or
    with `title` the readable summary), and which next steps the worker marked done, when and
    with what note: the report's own list (`report --format json`), so a supervisor reading
    `show` sees what the report says."""
    from interview.cli.report import summary
    from interview.reports import export

    findings = session.findings.as_json(lib)
    steps = export.from_session(lib, session, session_id=session_id)["next_steps"]
    if title is None:
        return {**findings, "next_steps": steps}
    text = summary(lib, title, session.record, findings)
    if not session.finished:  # under the title, before any finding (as the case note says it)
        from interview.review import unfinished

        head, _, rest = text.partition("\n")
        text = f"{head}\n{unfinished(session)}.\n{rest}"
    done = steps_done(steps, {s["id"] for s in findings["next_steps"]})
    return text.rstrip("\n") + "\n\n" + done if done else text


def steps_done(steps: list[dict], proposed: set[str]) -> str:
    """The next steps marked done, numbered as the summary's list numbers them (a step no
    longer proposed by the findings comes after it), or nothing when none is."""
    from interview.reports.render import when
    from interview.text import plain

    done = [(n, s) for n, s in enumerate(steps, 1) if s.get("status") == "done"]
    if not done:
        return ""
    lines = [f"Next steps marked done ({len(done)} of {len(steps)})"]
    for n, s in done:
        lines.append(plain(f"  {n}. DONE {when(s.get('done_at'))}: {s['action']}"
                           + (f" (note: {s['note']})" if s.get("note") else "")
                           + ("" if s["id"] in proposed else
                              " (no longer proposed by the findings)")))
    return "\n".join(lines)


def cmd_passphrase(args) -> int:
    """A new passphrase and a new store key; every interview's data key is re-wrapped under it
    (its events are not re-encrypted)."""
    from argparse import Namespace

    from interview.storage.store import Store, WrongPassphrase, default_store_dir

    path = args.store or default_store_dir()
    if not Store.exists(path):
        raise no_store(path)
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
        raise no_store(path)
    count, problem, note = open_store(args, audit=False).verify_audit()
    if problem:
        print(f"csec-interview: {path / 'audit.log'}: the audit trail is broken after {count} "
              f"good entries: {problem}", file=sys.stderr)
        return EXIT_ERROR
    print(f"ok: {count} audit entries, the chain is intact and matches its sealed head"
          + (f" ({note})" if note else ""))
    return EXIT_OK

