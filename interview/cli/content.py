"""The content: `validate`, `questions`, `red-flags` and `diagram`."""

from __future__ import annotations

import json
import sys

from interview.cli.common import EXIT_ERROR, EXIT_OK, _flow, input_file, language, library
from interview.errors import InterviewError


def cmd_diagram(args) -> int:
    from interview.reports.diagram import mermaid

    print(mermaid(_flow(library(args), args.flow)))
    return EXIT_OK


def cmd_validate(args) -> int:
    from interview.content.validate import validate_paths

    for path in args.paths:  # (a folder the validator reports with the other problems)
        if not path.is_dir():
            input_file(path, "flow file")
    warnings: list = []
    count, problems = validate_paths(list(args.paths), county=args.county,
                                     dependents=_check_dependents,
                                     allow_missing_translations=args.allow_missing_translations,
                                     warnings=warnings)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if warnings:
        print(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}: text said in "
              "English where it has no translation yet", file=sys.stderr)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} found; nothing was changed.", file=sys.stderr)
        return EXIT_ERROR
    print(f"ok: {count} file{'s' if count != 1 else ''} checked, no problems")
    return EXIT_OK


def _check_dependents(library, root, cases, scenarios) -> list:
    """Answer files must assess cleanly against the flows they name, and practice's configuration
    and scenarios must point at what exists (scenarios None: every shipped one)."""
    from interview.content.loader import guarded
    from interview.engine.case import load_case
    from interview.errors import InputError, Problem
    from interview.practice.config import load_config
    from interview.practice.scenario import load_scenarios

    problems = []
    for path in cases:
        try:
            load_case(library, path)
        except InputError as exc:
            problems.append(Problem(str(path), None, str(exc).removeprefix(f"{path}: ")))
    if library.county.templates and not problems:
        from interview.reports.render import county_template_problems

        problems.extend(county_template_problems(
            library, cases or sorted((root / "examples").glob("*.yaml"))))
    if scenarios is None or scenarios:
        config = guarded(problems, load_config, root, library)
        if config is not None:
            problems.extend(load_scenarios(library, config, scenarios, root)[1])
    return problems


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


def said_json(lib, step, lang: str) -> dict:
    """A step as `questions --lang` shows it: what is said to the youth, caregiver or reporter in
    `lang` (text, follow_up, cue labels), with `language` saying which language each step is in.
    A worker's step keeps its English; so does a said step with no translation (`language: en`,
    which `validate` reports)."""
    from interview.content.translations import SOURCE_LANGUAGE, said_text

    out = step_json(lib, step)
    said = said_text(step, lang, lib) if lang != SOURCE_LANGUAGE else None
    out["language"] = said.language if said else SOURCE_LANGUAGE
    if said is None:
        return out
    out["text"] = said.text
    if said.follow_up:
        out["follow_up"] = said.follow_up
    for cue in out["cues"]:
        cue["label"] = said.cues.get(cue["id"], cue["label"])
    out["english"] = {"text": lib.step_text(step), **({"follow_up": step.follow_up}
                                                       if step.follow_up else {})}
    out["draft"] = said.draft
    if said.stale:
        out["stale"] = True
    return out


def cmd_questions(args) -> int:
    lib = library(args)
    flow = _flow(lib, args.flow)
    # `questions --lang es`, or the global `--lang es questions ...`: the same wish
    lang = language(lib, getattr(args, "lang", None) or getattr(args, "app_lang", None))
    if args.json:
        print(json.dumps([said_json(lib, s, lang) for s in flow.steps], ensure_ascii=False,
                         indent=1))
        return EXIT_OK
    print(f"{flow.title} ({flow.id}): {len(flow.steps)} steps")
    for section in flow.sections:
        print(f"\n{section.title}")
        for sid in section.steps:
            step = flow.by_id[sid]
            text = said_json(lib, step, lang)["text"].strip().splitlines()[0]
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

