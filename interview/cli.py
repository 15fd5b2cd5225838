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
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\nTry `{self.prog} --help`.\n")


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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser("interview", help="start an interview in the app (youth or caregiver)")
    p.add_argument("flow", help="youth or caregiver")

    p = sub.add_parser("validate", help="check flow files (all shipped content by default)")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")

    p = sub.add_parser("questions", help="list a flow's steps in order")
    p.add_argument("flow")
    p.add_argument("--json", action="store_true", help="JSON list of steps")

    p = sub.add_parser("red-flags", help="the 39-row Red Flags chart")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("assess", help="findings for answer files (YAML or JSON)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true",
                   help="one JSON object per file (JSON Lines when several)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = {None: cmd_app, "interview": cmd_app, "validate": cmd_validate, "questions": cmd_questions,
               "red-flags": cmd_red_flags, "assess": cmd_assess}[args.command]
    try:
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
        print(f"csec-interview: internal error ({type(exc).__name__}: {exc}). Nothing was "
              "changed. Please report it; set CSEC_INTERVIEW_DEBUG=1 to see the details.",
              file=sys.stderr)
        return EXIT_ERROR


def library(args):
    from interview.content.validate import load_library
    from interview.errors import ContentError

    lib, problems = load_library(county=args.county)
    if problems or lib is None:
        raise ContentError(problems) if problems else InterviewError("content could not be loaded")
    return lib


def _flow(lib, flow_id: str):
    from interview.errors import suggest

    if flow_id not in lib.flows:
        hint = suggest(flow_id, lib.flows)
        raise InterviewError(f"flow {flow_id!r} not found; "
                             + (hint or f"flows: {', '.join(sorted(lib.flows))}"))
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
    InterviewApp(flow_id=flow, county=args.county, library=lib).run(headless=measuring)
    return EXIT_OK


def cmd_validate(args) -> int:
    from interview.content.validate import validate_paths

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
        "cues": [{"id": c.id, "label": c.label, "indicates": c.indicates.as_json()}
                 for c in step.cues],
        "indicates_on_yes": step.indicates_on_yes.as_json(),
        "source": step.source,
    }
    if step.indicates_on_no:
        out["indicates_on_no"] = step.indicates_on_no.as_json()
    for key in ("guidance", "follow_up", "variant_of", "risk_factor"):
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
    mark = {"sex_trafficking": "S", "labor": "L", "criminal_activity": "C"}
    print("Red Flags chart (003). Columns: S sex trafficking (CSEC), L exploiting a child's "
          "labor, C involving a child in criminal activity.\n")
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
        record = load_case(lib, path)
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
    from interview.rules.evidence import describe
    from interview.text import plain

    env = Environment(loader=FileSystemLoader(templates_dir()), undefined=StrictUndefined,
                      autoescape=False, keep_trailing_newline=False)
    env.filters["plain"] = lambda value: plain(str(value))
    env.filters["because"] = lambda ev: plain(describe(ev))
    return env.get_template("assess-summary.txt.j2").render(
        path=str(path), flow=record.flow, f=findings,
        at_risk_labels={k: v.label for k, v in lib.at_risk.items()})

