"""Findings and documents: `assess`, `report` and the county table (`aggregate`)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from interview import jsonout
from interview.cli.common import EXIT_ERROR, EXIT_OK, input_file, library
from interview.cli.store import open_store
from interview.errors import InterviewError


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
        log = store.open_session(store.resolve_id(args.session), writable=False)
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


def cmd_aggregate(args) -> int:
    """Count the saved interviews' children by CSEC Type, each once, de-identified."""
    from interview.reports.aggregate import county_table, from_store

    start, end = date_range(args)
    lib = library(args)
    screenings, skipped = from_store(lib, open_store(args))
    return print_table(lib, args, county_table(screenings, start, end), skipped)


def date_range(args):
    """(--from, --to) as dates, each checked; --to before --from is refused."""
    from interview.record import parse_date

    start = parse_date(args.start, "--from") if args.start else None
    end = parse_date(args.end, "--to") if args.end else None
    if start and end and end < start:
        raise InterviewError(f"--to {end} is before --from {start}")
    return start, end


def not_counted(skipped: list[str], what: str) -> str:
    """The line a county table carries when interviews were left out of it."""
    if len(skipped) == 1:
        return (f"1 {what.removesuffix('s')} could not be read and is NOT counted in this "
                "table (it is named on standard error, with why)")
    return (f"{len(skipped)} {what} could not be read and are NOT counted in this table "
            "(each is named on standard error, with why)")


def print_table(lib, args, table, skipped, what: str = "saved interviews") -> int:
    """The county table as `aggregate` prints it (text, --json or --csv); `county aggregate`
    prints the county database's the same way. Interviews left out (`skipped`) are said in
    the table itself, not only on standard error (a script keeps stdout, a person reads a
    file), and the exit code is 1: an undercount must not look like success."""
    import csv

    for line in skipped:
        print(f"csec-interview: skipped {line}", file=sys.stderr)
    warning = not_counted(skipped, what) if skipped else ""
    if args.json:
        print(json.dumps({**table.as_json(), "skipped": len(skipped),
                          **({"warning": warning} if warning else {})}, indent=1))
    elif args.csv:  # (table, row, count) rows: the left-out ones are a row of the totals
        writer = csv.writer(sys.stdout)
        writer.writerow(["table", "row", "count"])
        writer.writerows(table.csv_rows())
        writer.writerow(["total", "not_counted_unreadable", len(skipped)])
    else:
        if warning:
            print(f"WARNING: {warning}.")
        print(f"Children identified, each counted once (004, Appendix B): "
              f"{sum(table.by_type.values())} of {table.children} children, "
              f"{table.sessions} interviews")
        words = lib.vocabulary  # the table keeps ids (JSON, CSV); people read the catalog's words
        types = words.labels("csec_types")
        for kind, count in table.by_type.items():
            print(f"  {types.get(kind, kind):<50} {count}")
        if table.no_case_number:  # each its own child: the children above may be fewer
            print(f"{_interviews(table.no_case_number)} had no case number: "
                  + ("it is" if table.no_case_number == 1 else "each is")
                  + " counted as its own child")
        columns = words.labels("columns")  # summed over interviews, not per child: say so
        print(f"Red flags by column, summed over the {_interviews(table.sessions)}: "
              + ", ".join(f"{columns.get(k, k)} {v}" for k, v in
                          table.red_flags_by_column.items()))
        h = table.hotline
        print(f"Hotline screens (not counted as children): {h['screens']}; suspected: "
              + ", ".join(f"{label.lower()} {h['suspected_' + form]}"
                          for form, label in words.labels("forms").items())
              + "; " + ", ".join(f"{words.label('response_tiers', t)} {h[t]}"
                                 for t in ("immediate_crisis", "initial_mdt")))
    if warning:
        print(f"csec-interview: {warning}", file=sys.stderr)
    return EXIT_ERROR if skipped else EXIT_OK


def _interviews(n: int) -> str:
    return "1 interview" if n == 1 else f"{n} interviews"


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
            jsonout.print_json({"file": str(path), "flow": record.flow.id, **findings},
                               pretty=len(results) == 1)
        else:
            if i:
                print()
            print(summary(lib, path, record, findings))
    return EXIT_OK


def summary(lib, path, record, findings: dict) -> str:
    """The readable summary, rendered from templates/assess-summary.txt.j2."""
    from interview.reports.render import assess_summary

    return assess_summary(lib, path, record, findings)

