"""Interviews: the app (`interview`, no command), `run` (walk a flow with an answer file, saving
every event) and `practice`."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from interview.cli.common import (EXIT_ERROR, EXIT_OK, _flow, at_terminal, input_file, language,
                                  library)
from interview.cli.store import open_store
from interview.errors import InterviewError


def cmd_app(args) -> int:
    """The interview app: the home screen, or straight into a flow."""
    # Start-up makes many objects that live as long as the app (Textual's modules, the content,
    # the stylesheet): a garbage collection pass over them finds nothing to free, and several
    # passes ran before the first screen (~20 ms, scripts/bench.py `tui_ratio`). Collection is
    # paused until the first screen is drawn (the app resumes it: app.py `resume_gc`).
    gc.disable()
    try:
        return _run_app(args)
    finally:
        gc.enable()  # also when the app stopped before its first screen


def _store_dir(args):
    """`--store` before the command or after it (main's one_store makes them one)."""
    return getattr(args, "store", None) or args.app_store


def _run_app(args) -> int:
    measuring = bool(os.environ.get("CSEC_INTERVIEW_FIRST_PROMPT_FILE"))  # scripts/bench.py
    flow = getattr(args, "flow", None)
    # Broken content is refused here, in one message, before the passphrase is asked: the app
    # asked it, then listed the interviews and refused only the one chosen (the errors audit).
    lib = library(args)  # (read once: main's check_lang may have read it already)
    lang = (getattr(args, "app_lang", "en") or "en").strip().lower()
    if lang != "en":  # a language the content lacks is a one-line error, before anything else
        lang = language(lib, lang)
    if not measuring:  # a store folder that cannot be used: one line now, not in the app
        from interview.cli.store import check_store_folder
        from interview.storage.store import default_store_dir

        check_store_folder(_store_dir(args) or default_store_dir())
    from_hotline = getattr(args, "from_hotline", None)
    if from_hotline is not None and not measuring:  # a unique start of the id will do
        from interview.storage.store import Store, default_store_dir

        from_hotline = Store(_store_dir(args) or default_store_dir()).resolve_id(from_hotline)
    if not at_terminal(sys.stdout) and not measuring:
        raise InterviewError("the interview app needs a terminal; for scripts use "
                             "`assess`, `questions` or `validate` (see --help)")
    from interview.app.app import InterviewApp

    if flow is not None:  # an unknown flow is a one-line error, before the screen opens
        _flow(lib, flow)
        if from_hotline is not None and not lib.flows[flow].screens_youth:
            raise InterviewError(f"--from-hotline: a hotline screen starts a youth interview, "
                                 f"not a {flow!r} one; use `interview youth --from-hotline "
                                 f"{from_hotline}`")
    from interview.storage.store import Store, default_store_dir

    store = None if measuring else Store(_store_dir(args) or default_store_dir())
    app = InterviewApp(flow_id=flow, county=args.county, library=lib, store=store,
                       lock_minutes=args.lock_minutes, lang=lang, from_hotline=from_hotline)
    app.run(headless=measuring)
    return EXIT_ERROR if app.return_code else EXIT_OK  # a crash has said its one line


def cmd_run(args) -> int:
    """Walk the flow an answer file names with it, in flow order, saving each event before the
    next; one line at the end says how many were saved, and the session id."""
    import time

    from interview.engine.case import build_record, read_case_file
    from interview.engine.session import Session
    from interview.storage.log import encode
    from interview.storage.saved import SavedSession
    from interview.text import plain

    lib = library(args)
    if args.flow is not None:
        _flow(lib, args.flow)
    data = read_case_file(input_file(args.answers))
    shown = plain(str(args.answers))
    if isinstance(data, dict) and data.get("flow") is None:
        raise InterviewError(f"{shown}: the file names no flow; add a line `flow: "
                             f"{args.flow or 'youth'}` (flows: {', '.join(lib.flows)})")
    record = build_record(lib, data)  # every value checked before anything is saved
    flow = record.flow  # the flow the file names
    if args.flow is not None and args.flow != flow.id:
        raise InterviewError(f"{shown}: the file is for the {flow.id!r} flow, not "
                             f"{plain(args.flow)!r}; leave the flow out (`run --answers "
                             f"{shown}`) or give {flow.id!r}")
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
        if args.delay_ms is not None:  # crash tests: each event acknowledged as it is saved
            print(f"saved {count}", flush=True)
            if args.delay_ms:
                time.sleep(args.delay_ms / 1000)

    try:
        _walk(saved.session, flow, record, data, saved_one)
    except InterviewError as exc:  # e.g. the disk filled: say which interview holds what
        raise InterviewError(f"{exc}. {kept(saved.id, count)}") from None
    except KeyboardInterrupt:
        print(f"\ninterrupted: {kept(saved.id, count)}", file=sys.stderr)
        return 130
    finally:
        saved.close()
    print(f"session {saved.id}: {count} events saved", flush=True)
    return EXIT_OK


def kept(session_id: str, count: int) -> str:
    """Where a `run` stopped part way leaves what it saved, and what to do with it."""
    return (f"Session {session_id} keeps the {count} event{'s' if count != 1 else ''} saved "
            f"before it (`csec-interview sessions show {session_id[:8]}`); finish it in the "
            f"app, or `csec-interview sessions delete {session_id[:8]}` and run again")


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


def cmd_practice(args) -> int:
    from interview.practice.cli import run

    files = {"score": (1, "file of marks"), "export": (0, "class results file")}
    if args.action in files and len(args.args) > files[args.action][0]:
        input_file(Path(args.args[files[args.action][0]]), files[args.action][1])

    return run(args, library)

