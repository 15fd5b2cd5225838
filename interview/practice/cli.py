"""`csec-interview practice ...`: start or serve the practice app, list scenarios, score a file
of a trainee's marks, check every scenario against the engine, export class results."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from interview import jsonin, jsonout
from interview.cli.common import at_terminal
from interview.errors import InputError, InterviewError, suggest

EXIT_OK, EXIT_ERROR = 0, 1
from interview.practice import MAX_TRAINEES  # noqa: F401 (the serve default, re-exported)
USAGE = {"start": "[SCENARIO]", "serve": "[SCENARIO]", "list": "", "score": "SCENARIO FILE",
         "selftest": "", "export": "RESULTS"}


def run(args, library_of) -> int:
    use_scenario_folder(getattr(args, "scenarios", None))
    if args.action == "match":
        return match(args, library_of)
    counts = {"start": (0, 1), "serve": (0, 1), "list": (0, 0), "score": (2, 2),
              "selftest": (0, 0), "export": (1, 1)}
    low, high = counts[args.action]
    if not low <= len(args.args) <= high:
        raise InterviewError(f"usage: csec-interview practice {args.action} "
                             f"{USAGE[args.action]}".rstrip())
    if args.action == "export":
        return export(args, library_of)
    if args.action == "serve":
        return serve(args, library_of)
    from interview import practice

    lib = library_of(args)
    config, scenarios = practice.load(lib)
    return {"start": start, "list": list_, "score": score, "selftest": selftest}[args.action](
        args, lib, config, scenarios)


def use_scenario_folder(folder: Path | None) -> None:
    """`--scenarios DIR`: a trainer's own scenario files beside the shipped ones, for this
    process and the ones it starts (`serve` starts one per trainee)."""
    if folder is None:
        return
    from interview.practice.scenario import SCENARIOS_ENV

    if not folder.is_dir():
        raise InterviewError(f"--scenarios {folder}: not a folder; give the folder that holds "
                             "your scenario files (*.yaml)")
    if not any(folder.glob("*.yaml")):
        raise InterviewError(f"--scenarios {folder}: no scenario file (*.yaml) in it; the "
                             "format is in docs/scenario-format.md")
    earlier = os.environ.get(SCENARIOS_ENV, "")
    os.environ[SCENARIOS_ENV] = os.pathsep.join(x for x in (str(folder.resolve()), earlier) if x)


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
        row = jsonin.loads(first.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(row, dict) and "scenario" in row and "score" in row


def start(args, lib, config, scenarios) -> int:
    from interview.practice.scenario import find

    scenario = find(scenarios, args.args[0]) if args.args else None
    check_results_path(args.results)
    web = bool(os.environ.get("TEXTUAL_DRIVER"))  # served to a browser by textual-serve
    if not at_terminal(sys.stdout) and not web:
        raise InterviewError("practice mode needs a terminal (or a browser: `csec-interview "
                             "practice serve`); for scripts use `practice score` or `selftest`")
    from interview.app.practice_app import PracticeApp

    app = PracticeApp(county=args.county, library=lib,
                      scenario=scenario.id if scenario else None, results=args.results,
                      trainee=args.trainee or "")
    app.run()
    return EXIT_ERROR if app.return_code else EXIT_OK  # a crash has said its one line


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
    """The scenarios, easiest first. The text a trainee may see does not name the family (it
    would give the answer away); --json, for the trainer's scripts, does."""
    from interview.app.screens.practice_start import ordered

    rows = [{"id": s.id, "title": s.title, "difficulty": s.difficulty, "family": s.family,
             "family_title": config.families[s.family].title, "flow": s.flow,
             "audience": s.audience, "name": s.persona.name, "age": s.persona.age,
             "language": s.language, "file": str(s.path)}
            for s in ordered(scenarios)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"{len(rows)} practice scenarios (all fictional):")
    wide = max((len(r["id"]) for r in rows), default=0)
    for r in rows:
        spoken = "" if r["language"] == "en" else f" [{r['language']}]"
        print(f"  {r['id']:<{wide}} {r['flow']:<15} {r['difficulty']:<13} {r['title']}{spoken}")
    return EXIT_OK


def score(args, lib, config, scenarios) -> int:
    from interview.engine.case import build_record, read_case_file
    from interview.content.yamlsafe import jsonable
    from interview.practice.scenario import find
    from interview.practice.score import Determinations, debrief, render

    scenario = find(scenarios, args.args[0])
    path = Path(args.args[1])
    data = read_case_file(path)
    mine, asked = Determinations(), None
    if isinstance(data, dict):
        flow = data.get("flow", scenario.flow)
        if flow != scenario.flow:
            raise InterviewError(f"{path}: its flow is {flow!r}; scenario {scenario.id!r} is a "
                                 f"{scenario.flow!r} interview")
        try:   # what the trainee states, and the questions in the order asked: practice's own
            mine = Determinations.parse(lib, data.get("determinations"))
            asked = _asked(scenario, lib, data.get("asked"))
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
        data = {k: v for k, v in data.items() if k not in ("determinations", "asked")}
        data = {**data, "flow": scenario.flow,
                "context": {**jsonable(scenario.facts), **(data.get("context") or {})}}
    try:
        record = build_record(lib, data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    d = debrief(lib, config, scenario, record, trainee=path.stem, mine=mine, asked=asked)
    if args.json:
        jsonout.print_json(d.as_json())
    else:
        print(render(lib, config, d))
    return EXIT_OK


def _asked(scenario, lib, value) -> list[str] | None:
    """A score file's `asked:`, the questions in the order asked (None: those answered)."""
    if value is None:
        return None
    flow = lib.flows[scenario.flow]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("asked: a list of the question ids asked, in order")
    for sid in value:
        if sid not in flow.by_id:
            raise InputError(f"asked: no question {sid!r} in the {flow.id!r} flow; "
                             + (suggest(sid, flow.by_id) or ""))
    return list(value)


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


def export(args, library_of=None) -> int:
    """The class results as CSV or JSON (with the class summary), the summary alone as text
    (--summary), or every kept debrief (--debriefs); all marked PRACTICE / FICTIONAL."""
    from interview.practice import results

    path = Path(args.args[0])
    if not path.exists() and not path.is_symlink():  # the file, not its folder, is what is missing
        where = (f"the folder {path.parent} does not exist" if not path.parent.is_dir() else
                 "no such file")
        raise InterviewError(f"cannot read the class results: {path}: {where}; give the file "
                             "that `practice start --results` or `practice serve --results` "
                             "wrote")
    rows, skipped = results.read(path)
    for line in skipped:
        print(f"csec-interview: {line}", file=sys.stderr)
    if getattr(args, "debriefs", False):
        sys.stdout.write(results.debriefs_text(rows))
        return EXIT_OK
    library = None
    if library_of is not None and (args.json or getattr(args, "summary", False)):
        try:
            library = library_of(args)
        except InterviewError:
            library = None   # the summary then names things by id
    if getattr(args, "summary", False) and not args.json:
        sys.stdout.write(results.summary_text(results.summary(rows, library)))
    elif args.json:
        sys.stdout.write(results.to_json(rows, results.summary(rows, library)) + "\n")
    else:
        sys.stdout.write(results.to_csv(rows))
    return EXIT_OK


# --- match: what the practice makes of a typed line (issue 14) ---------------------------------

MATCH_USAGE = "usage: csec-interview practice match SCENARIO [TEXT...] [--json]"


def match(args, library_of) -> int:
    """One typed line (TEXT, its words joined) or one per line of standard input: the question
    of the scenario's interview it asks, its score, and whether it labels or follows up."""
    from interview import practice
    from interview.practice.run import PracticeRun
    from interview.practice.scenario import find

    if not args.args:
        raise InterviewError(MATCH_USAGE)
    lib = library_of(args)
    config, scenarios = practice.load(lib)
    scenario = find(scenarios, args.args[0])
    run_ = PracticeRun(lib, config, scenario)
    try:
        matcher = run_.reader()
        flow = run_.flow
    finally:
        run_.close()
    if len(args.args) > 1:
        reading = matcher.read(" ".join(args.args[1:]))
        if args.json:
            jsonout.print_json(reading.as_json(), pretty=False)
        else:
            print(describe_reading(lib, flow, reading))
        return EXIT_OK
    if sys.stdin is None:  # started with `<&-`: no lines to read
        raise InterviewError("practice match: no TEXT given and standard input is closed: give "
                             "the typed text after the scenario, or one line per line of "
                             "standard input (`... < lines.txt`)")
    stream = getattr(sys.stdin, "buffer", sys.stdin)
    for raw in stream:
        line = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        reading = matcher.read(line.rstrip("\r\n"))
        jsonout.print_json(reading.as_json(), pretty=False)  # a line each, as it is read
    return EXIT_OK


def describe_reading(lib, flow, reading) -> str:
    from interview.text import plain

    lines = [f"typed: {plain(reading.typed)}"]
    if reading.labelling:
        lines.append("LABELS the youth: " + ", ".join(plain(w) for w in reading.labels)
                     + " (caught in practice: the youth reacts, and it is not asked)")
    if reading.follow_up:
        lines.append("a follow-up probe: it follows up the last question asked")
    elif reading.step:
        step = flow.by_id[reading.step]
        lines.append(f"asks: {reading.step} ({reading.score:.0%} alike): "
                     f"{plain(lib.step_text(step))}")
        for other in reading.ranked[1:]:
            lines.append(f"  or: {other.step} ({other.score:.0%}): "
                         f"{plain(lib.step_text(flow.by_id[other.step]))[:100]}")
    else:
        lines.append("no question of the interview is close to it"
                     + (f" (closest {reading.score:.0%})" if reading.score else ""))
    return "\n".join(lines)
