"""`csec-interview practice ...`: start or serve the practice app, list scenarios, score a file
of a trainee's marks, check every scenario against the engine, export class results."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from interview.errors import InputError, InterviewError

EXIT_OK, EXIT_ERROR = 0, 1
MAX_TRAINEES = 30  # `serve`: a CSEC 101 class; each practice process takes about 50 MB
USAGE = {"start": "[SCENARIO]", "serve": "[SCENARIO]", "list": "", "score": "SCENARIO FILE",
         "selftest": "", "export": "RESULTS"}


def run(args, library_of) -> int:
    counts = {"start": (0, 1), "serve": (0, 1), "list": (0, 0), "score": (2, 2),
              "selftest": (0, 0), "export": (1, 1)}
    low, high = counts[args.action]
    if not low <= len(args.args) <= high:
        raise InterviewError(f"usage: csec-interview practice {args.action} "
                             f"{USAGE[args.action]}".rstrip())
    if args.action == "export":
        return export(args)
    if args.action == "serve":
        return serve(args, library_of)
    from interview import practice

    lib = library_of(args)
    config, scenarios = practice.load(lib)
    return {"start": start, "list": list_, "score": score, "selftest": selftest}[args.action](
        args, lib, config, scenarios)


def check_results_path(path: Path | None) -> None:
    """A results file must be writable before the class begins, not at the first debrief."""
    if path is None:
        return
    if path.is_dir():
        raise InterviewError(f"--results {path}: is a folder; give a file, e.g. {path}/class.jsonl")
    if not path.parent.is_dir():
        raise InterviewError(f"--results {path}: the folder {path.parent} does not exist")
    if path.exists() and not os.access(path, os.W_OK) or not path.exists() and not os.access(
            path.parent, os.W_OK):
        raise InterviewError(f"--results {path}: cannot write there (permission denied)")
    if path.exists() and not is_results_file(path):
        raise InterviewError(f"--results {path}: this file is not a class results file (its first "
                             "line is not a practice result), and practice mode adds to no other "
                             "file; give a new file name, e.g. class.jsonl")


def is_results_file(path: Path) -> bool:
    """An empty file, or one whose first line is a practice result (as `practice export` reads)."""
    try:
        with path.open("rb") as fh:
            first = fh.readline(64 * 1024).strip()
    except OSError as exc:
        raise InterviewError(f"--results {path}: cannot read it ({exc.strerror})") from None
    if not first:
        return True
    try:
        row = json.loads(first.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(row, dict) and "scenario" in row and "score" in row


def start(args, lib, config, scenarios) -> int:
    from interview.practice.scenario import find

    scenario = find(scenarios, args.args[0]) if args.args else None
    check_results_path(args.results)
    web = bool(os.environ.get("TEXTUAL_DRIVER"))  # served to a browser by textual-serve
    if not sys.stdout.isatty() and not web:
        raise InterviewError("practice mode needs a terminal (or a browser: `csec-interview "
                             "practice serve`); for scripts use `practice score` or `selftest`")
    from interview.app.practice_app import PracticeApp

    PracticeApp(county=args.county, library=lib, scenario=scenario.id if scenario else None,
                results=args.results, trainee=args.trainee or "").run()
    return EXIT_OK


def serve(args, library_of) -> int:
    """Serve the practice app to browsers: one process per trainee, behind the class code
    (interview/practice/serve.py). Everything a trainee could hit later is checked now."""
    from interview import practice
    from interview.practice.scenario import find

    if not 0 < args.port < 65536:
        raise InterviewError(f"--port {args.port}: give a port from 1 to 65535, e.g. 8000")
    if not 0 < args.max_trainees <= 500:
        raise InterviewError(f"--max-trainees {args.max_trainees}: give a number from 1 to 500")
    if args.trainee:
        raise InterviewError("--trainee is for `practice start`: in a class each trainee types "
                             "their name in the browser")
    check_results_path(args.results)
    _, scenarios = practice.load(library_of(args))
    if args.args:
        find(scenarios, args.args[0])
    try:
        from interview.practice.serve import ClassServer
    except ImportError:
        raise InterviewError("serving needs the textual-serve package: `.venv/bin/pip install "
                             "-c constraints.txt -e .`") from None
    command = [sys.executable, "-m", "interview"]
    if args.county:
        command += ["--county", args.county]
    command += ["practice", "start", *args.args]
    if args.results:
        command += ["--results", str(args.results.resolve())]
    ClassServer(command, host=args.host, port=args.port, max_trainees=args.max_trainees).run()
    return EXIT_OK


def list_(args, lib, config, scenarios) -> int:
    rows = [{"id": s.id, "title": s.title, "family": s.family,
             "family_title": config.families[s.family].title, "flow": s.flow,
             "audience": s.audience, "name": s.persona.name, "age": s.persona.age}
            for s in scenarios.values()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"{len(rows)} practice scenarios (all fictional):")
    for r in rows:
        print(f"  {r['id']:<18} {r['flow']:<10} {r['title']}  [{r['family_title']}]")
    return EXIT_OK


def score(args, lib, config, scenarios) -> int:
    from interview.engine.case import build_record, read_case_file
    from interview.practice.run import _jsonable
    from interview.practice.scenario import find
    from interview.practice.score import debrief, render

    scenario = find(scenarios, args.args[0])
    path = Path(args.args[1])
    data = read_case_file(path)
    if isinstance(data, dict):
        flow = data.get("flow", scenario.flow)
        if flow != scenario.flow:
            raise InterviewError(f"{path}: its flow is {flow!r}; scenario {scenario.id!r} is a "
                                 f"{scenario.flow!r} interview")
        data = {**data, "flow": scenario.flow,
                "context": {**_jsonable(scenario.facts), **(data.get("context") or {})}}
    try:
        record = build_record(lib, data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    d = debrief(lib, config, scenario, record, trainee=path.stem)
    if args.json:
        print(json.dumps(d.as_json(), ensure_ascii=False, indent=1))
    else:
        print(render(lib, config, d))
    return EXIT_OK


def selftest(args, lib, config, scenarios) -> int:
    from interview.practice.score import selftest as check

    results = [check(lib, config, s) for s in scenarios.values()]
    if args.json:
        print(json.dumps([r.as_json() for r in results], indent=1))
    else:
        for r in results:
            print(f"{'ok  ' if r.ok else 'FAIL'} {r.scenario}")
            for problem in r.problems:
                print(f"       {problem}")
        bad = sum(not r.ok for r in results)
        print(f"{len(results) - bad} of {len(results)} scenarios: the engine's findings equal "
              "the answer key" if not bad else f"{bad} of {len(results)} scenarios disagree with "
              "the engine")
    return EXIT_OK if all(r.ok for r in results) else EXIT_ERROR


def export(args) -> int:
    from interview.practice import results

    rows, skipped = results.read(Path(args.args[0]))
    for line in skipped:
        print(f"csec-interview: {line}", file=sys.stderr)
    sys.stdout.write(results.to_json(rows) + "\n" if args.json else results.to_csv(rows))
    return EXIT_OK
