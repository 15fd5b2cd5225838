"""The command line: the parser, `main`, and which module runs each command.

The commands live by group in this package: `interview` (the app, `run`, `practice`), `store`
(`sessions`, `passphrase`, `audit`), `report` (`assess`, `report`, `aggregate`), `content`
(`validate`, `questions`, `red-flags`, `diagram`), `county` (`sync`, `county ...`); `common`
holds what they share.
Outside scripts rely on these commands and their JSON; keep them stable. Heavy imports happen
inside each command so `--help` and small commands start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from interview import __version__
from interview.cli.common import EXIT_ERROR, EXIT_OK, EXIT_USAGE, check_county
from interview.errors import InterviewError

# Each command, and where it lives: `module:function` in this package. The module is imported
# only when its command runs, so `--help` and small commands start fast.
COMMANDS = {
    None: "interview:cmd_app", "interview": "interview:cmd_app", "run": "interview:cmd_run",
    "practice": "interview:cmd_practice",
    "sessions": "store:cmd_sessions", "audit": "store:cmd_audit",
    "passphrase": "store:cmd_passphrase",
    "aggregate": "report:cmd_aggregate", "report": "report:cmd_report",
    "assess": "report:cmd_assess",
    "diagram": "content:cmd_diagram", "validate": "content:cmd_validate",
    "questions": "content:cmd_questions", "red-flags": "content:cmd_red_flags",
    "sync": "county:cmd_sync", "county": "county:cmd_county",
    "handoff": "county_read:cmd_handoff",
}


# In a help text, where the flows there are go: filled in from the content when the help is
# shown (and only then: reading the content is not a cost of every command's start-up).
FLOWS = "{flows}"


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not a usage dump
        from interview.text import plain

        self.exit(EXIT_USAGE, f"{self.prog}: {plain(message)}\nTry `{self.prog} --help`.\n")

    def format_help(self) -> str:
        _name_the_flows(self)
        return super().format_help()


def _name_the_flows(parser: argparse.ArgumentParser) -> None:
    """Put the content's flow ids where a help text says FLOWS."""
    actions = list(parser._actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            actions += action._choices_actions
    marked = [a for a in actions if a.help and FLOWS in a.help]
    if not marked:
        return
    from interview.content import cache

    names = "the content could not be read: `csec-interview validate` says why"
    for county in dict.fromkeys((os.environ.get("CSEC_INTERVIEW_COUNTY"), None)):
        try:  # the county's content, or else the shipped one (a mistyped county is said
            names = ", ".join(cache.load(county).flows)  # when the command runs)
            break
        except Exception:  # help is still shown when the content has a problem
            continue
    for action in marked:
        action.help = action.help.replace(FLOWS, names)


def milliseconds(text: str) -> int:
    """--delay-ms: a whole number of milliseconds, 0 to an hour."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
    if not 0 <= value <= 3_600_000:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 3600000 (an hour)")
    return value


def lock_minutes(text: str) -> float:
    """--lock-minutes (or CSEC_INTERVIEW_LOCK_MINUTES): 0 or more minutes. A negative or
    not-a-number value turned the idle lock off without a word (a typo such as -15)."""
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(
            f"{text[:40]!r} is not a number of minutes (also read from "
            "CSEC_INTERVIEW_LOCK_MINUTES): give N >= 0; 0 turns the lock off")
    return value


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, just the global options and that one command (`main`'s quick
    path: building every command's options is a noticeable part of the app's start-up)."""
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
                        help="the store folder, for the app and every command (default: your "
                             "data folder, or CSEC_INTERVIEW_STORE)")
    parser.add_argument("--lock-minutes", type=lock_minutes, metavar="N",
                        default=os.environ.get("CSEC_INTERVIEW_LOCK_MINUTES", "15"),
                        help="lock the app after N minutes without use (default 15, or "
                             "CSEC_INTERVIEW_LOCK_MINUTES; 0: never)")
    parser.add_argument("--lang", dest="app_lang", default="en", metavar="CODE",
                        help="the language the app's interviews start in: what is said to the "
                             "youth, caregiver or reporter (en, es); worker guidance and reports "
                             "stay English, and F4 switches mid-interview (default en)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for names, add in COMMAND_PARSERS:
        if only is None or only in names:
            add(sub)
    return parser


def _store_options(p, passphrase: bool = True) -> None:
    p.add_argument("--store", type=Path, help="the store folder (default: your data folder, "
                   "or CSEC_INTERVIEW_STORE)")
    if passphrase:
        p.add_argument("--passphrase-file", type=Path, metavar="F",
                       help="read the passphrase from this file (for scripts); otherwise "
                            "it is asked for. Never give it on the command line.")


def _interview_parser(sub) -> None:
    p = sub.add_parser("interview", help=f"start a flow in the app ({FLOWS})")
    p.add_argument("flow", help=f"the flow: {FLOWS}")
    # after the command too, as every other command takes it (the chain audit: "unrecognized
    # arguments: --store" for `interview hotline --store D`)
    p.add_argument("--store", type=Path, metavar="DIR", help="the store folder (default: your "
                   "data folder, or CSEC_INTERVIEW_STORE)")
    p.add_argument("--from-hotline", metavar="SESSION", dest="from_hotline",
                   help="start a youth interview from a hotline screen saved in the same store: "
                   "its case facts and red flags come in, marked as reported")


def _validate_parser(sub) -> None:
    p = sub.add_parser("validate", help="check flow files (all shipped content by default)")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="a content file to check: a flow, part, script, catalog, county, "
                   "translation, scenario or answer file, as under flows/ (a county's own, or "
                   "one being written); none: all the shipped content")
    p.add_argument("--allow-missing-translations", action="store_true",
                   help="report a step with no translation as a warning, not a problem (for a "
                   "county still translating a language it adds)")


def _questions_parser(sub) -> None:
    p = sub.add_parser("questions", help="list a flow's steps in order")
    p.add_argument("flow", help=f"the flow: {FLOWS}")
    p.add_argument("--json", action="store_true",
                   help="the steps as a JSON list (id, kind, audience, text, cues, what each "
                   "answer indicates, source)")
    # SUPPRESS: a top-level `--lang` (the app's) is not overwritten by this one's default.
    p.add_argument("--lang", default=argparse.SUPPRESS, metavar="LANG",
                   help="the language of what is said to the youth, caregiver or reporter "
                   "(en, es); worker steps stay English")


def _red_flags_parser(sub) -> None:
    p = sub.add_parser("red-flags", help="the 39-row Red Flags chart")
    p.add_argument("--json", action="store_true",
                   help="the rows as a JSON list (id, row, label, columns, source)")


def _run_parser(sub) -> None:
    p = sub.add_parser("run", help="walk a flow with an answer file, saving every event")
    p.add_argument("flow", nargs="?", help=f"the flow ({FLOWS}); default: the one the answer "
                   "file names (given, it must be that one)")
    p.add_argument("--answers", type=Path, required=True, metavar="FILE",
                   help="an answer file (YAML or JSON), as flows/examples/ shows")
    p.add_argument("--delay-ms", type=milliseconds, metavar="N",
                   help="pause N milliseconds after each saved event, and print `saved K` as "
                   "each is saved (for crash tests)")
    _store_options(p)


def _sessions_parser(sub) -> None:
    p = sub.add_parser("sessions", help="list, show or delete saved interviews")
    p.add_argument("action", choices=["list", "show", "delete"],
                   help="list the saved interviews, show one's findings, or delete one")
    p.add_argument("session", nargs="?", help="the session id, or its first 4 or more "
                   "characters (show, delete; with list: only its row)")
    p.add_argument("--json", action="store_true",
                   help="list: the interviews as JSON; show: its findings as JSON")
    p.add_argument("--yes", action="store_true",
                   help="delete: without asking (required off a terminal; at a terminal the "
                   "interview is shown and the first 8 characters of its id are asked for)")
    _store_options(p)


def _aggregate_parser(sub) -> None:
    p = sub.add_parser("aggregate", help="the county table: children by CSEC Type, each once")
    p.add_argument("--from", dest="start", metavar="DATE", help="first interview date, YYYY-MM-DD")
    p.add_argument("--to", dest="end", metavar="DATE", help="last interview date, YYYY-MM-DD")
    table_formats(p)
    _store_options(p)


def table_formats(p) -> None:
    """--json or --csv for the county table (`aggregate`, `county aggregate`)."""
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="the table as JSON")
    form.add_argument("--csv", action="store_true",
                      help="the table as CSV: one row per count (table, row, count)")


def _report_parser(sub) -> None:
    p = sub.add_parser("report", help="the case note, CWS/CMS block and MDT handout of an "
                       "interview (a saved session id, or an answer file)")
    p.add_argument("session", metavar="SESSION", help="a saved session id (`sessions list`; its "
                   "first 4 or more characters will do), or "
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
    _store_options(p)


def _diagram_parser(sub) -> None:
    p = sub.add_parser("diagram", help="a Mermaid state diagram of a flow")
    p.add_argument("flow", help=f"the flow: {FLOWS}")


def _passphrase_parser(sub) -> None:
    p = sub.add_parser("passphrase", help="change the store's passphrase (and its store key)")
    _store_options(p)
    p.add_argument("--new-passphrase-file", type=Path, metavar="F",
                   help="read the new passphrase from this file; otherwise it is asked for")


def _audit_parser(sub) -> None:
    p = sub.add_parser("audit", help="check the audit trail against its sealed head")
    p.add_argument("action", choices=["verify"], help="verify: check every entry's link and "
                   "the sealed head")
    _store_options(p)


def _practice_parser(sub) -> None:
    p = sub.add_parser("practice", help="practice mode (CSEC 101): start, serve, list, score, "
                       "selftest, export, match", description="Practice interviews with a "
                       "simulated youth or caregiver (fictional scenarios; nothing is saved as "
                       "a case).")
    p.add_argument("action", choices=["start", "serve", "list", "score", "selftest", "export",
                                      "match"],
                   help="start (a practice interview here), serve (for a class, in browsers), "
                   "list (the scenarios), score (a trainee's answer file), selftest, export (a "
                   "class's results), match (how typed text is understood)")
    p.add_argument("args", nargs="*", metavar="ARG", help="start, serve: [SCENARIO]; "
                   "score: SCENARIO FILE; export: RESULTS; match: SCENARIO [TEXT...] (no TEXT: "
                   "one typed line per line of standard input)")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true",
                      help="list, score, selftest, match, export: the result as JSON")
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


def _assess_parser(sub) -> None:
    p = sub.add_parser("assess", help="findings for answer files (YAML or JSON)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE",
                   help="an answer file (YAML or JSON), as flows/examples/ shows; several: "
                   "each is checked before any is shown")
    p.add_argument("--json", action="store_true",
                   help="one JSON object per file (JSON Lines when several)")


def _county_parsers(sub) -> None:  # sync, county (interview/cli/county.py)
    from interview.cli.county import add_parsers

    add_parsers(sub, _store_options)


def _handoff_parser(sub) -> None:  # handoff (county-read)
    from interview.cli.county_read import add_handoff_parser

    add_handoff_parser(sub, _store_options)


# Each command's options, in the order `--help` lists them: (the commands it adds, how).
COMMAND_PARSERS = (
    (("interview",), _interview_parser),
    (("validate",), _validate_parser),
    (("questions",), _questions_parser),
    (("red-flags",), _red_flags_parser),
    (("run",), _run_parser),
    (("sessions",), _sessions_parser),
    (("aggregate",), _aggregate_parser),
    (("report",), _report_parser),
    (("diagram",), _diagram_parser),
    (("passphrase",), _passphrase_parser),
    (("audit",), _audit_parser),
    (("practice",), _practice_parser),
    (("assess",), _assess_parser),
    (("sync", "county"), _county_parsers),
    (("handoff",), _handoff_parser),
)


GLOBAL_VALUES = frozenset({"--county", "--store", "--lock-minutes", "--lang"})  # take a value


def command_named(argv: list[str]) -> str | None:
    """The command `argv` runs ("" for none: the app's home screen), found without building
    the parser; None when that takes the whole parser (help, the version, an abbreviated or
    unknown word), which then reads `argv` exactly as before."""
    args = iter(argv)
    for arg in args:
        if arg in GLOBAL_VALUES:
            next(args, None)
        elif arg.startswith("-"):
            if arg.partition("=")[0] not in GLOBAL_VALUES:
                return None
        else:
            return arg if arg in COMMANDS else None
    return ""


def main(argv: list[str] | None = None) -> int:
    from interview.storage.harden import no_core_dumps

    no_core_dumps()  # answers in memory must not end up in a core file
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(command_named(argv))
    args = parser.parse_args(argv)
    run = command(args.command)
    try:
        check_county(args.county)  # before a passphrase is asked for or a screen opens
        check_lang(args)
        one_store(args)
        stdout_open(args)
        code = run(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk under a redirect is said here, not lost at exit
        return code
    except InterviewError as exc:
        print(f"csec-interview: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # ctrl+c (at a passphrase prompt, say): the shell's prompt on a
        print("\ncsec-interview: interrupted", file=sys.stderr)  # line of its own
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`); nothing left to say
        return EXIT_OK
    except OSError as exc:
        print(f"csec-interview: {os_error(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one message, and the way to see more
        if os.environ.get("CSEC_INTERVIEW_DEBUG"):
            raise
        from interview.text import plain

        print(f"csec-interview: internal error ({type(exc).__name__}: {plain(str(exc))[:300]}). "
              "What was saved before it is kept. Please report it; set CSEC_INTERVIEW_DEBUG=1 "
              "to see the details.", file=sys.stderr)
        return EXIT_ERROR


def check_lang(args) -> None:
    """The global `--lang`, checked for every command as `--county` is: `--lang xx questions
    youth` printed English with exit 0. (The app checks it again where it starts.)"""
    lang = (getattr(args, "app_lang", None) or "en").strip().lower()
    if lang == "en":
        return
    from interview.cli.common import language, library

    args.app_lang = language(library(args), lang)


def stdout_open(args) -> None:
    """Started with standard output closed (`>&-`), every print is dropped without a word:
    a report or a county table would be lost with a success code. Said before anything is
    done (the app and practice say they need a terminal; `-o FILE` needs no stdout)."""
    if sys.stdout is not None or args.command in (None, "interview") \
            or getattr(args, "output", None) is not None:
        return
    raise InterviewError("standard output is closed (started with >&-): what this command "
                         "prints would be lost; send it somewhere (> FILE, or -o FILE where the "
                         "command has it)")


def os_error(exc: OSError) -> str:
    """An OSError no command turned into its own sentence. Without a file name it came from
    writing standard output (`> /dev/full`, a full disk under a redirect): said as that, with
    a fix, never ': No space left on device'."""
    from interview.storage.files import OUTPUT, explain
    from interview.text import plain

    if exc.filename is None:
        return str(explain(exc, "write the output", OUTPUT))
    return f"{plain(str(exc.filename))}: {exc.strerror or exc}"


def one_store(args) -> None:
    """`--store DIR` before the command is the command's own `--store` too: `csec-interview
    --store D run ...` saved into the default store while D stayed empty. Given twice, the two
    must agree."""
    before, after = getattr(args, "app_store", None), getattr(args, "store", None)
    if before is None or not hasattr(args, "store"):
        return
    if after is not None and Path(after) != Path(before):
        from interview.text import plain

        raise InterviewError(f"--store is given twice, {plain(str(before))} before the command "
                             f"and {plain(str(after))} after it: give it once")
    args.store = before


def command(name: str | None):
    """The function that runs a command (its module imported now)."""
    module, _, function = COMMANDS[name].partition(":")
    return getattr(importlib.import_module(f"interview.cli.{module}"), function)
