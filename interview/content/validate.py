"""Whole-flow checks and the entry points behind `csec-interview validate`.

A flow that passes here can be walked by the engine from its first step to its end, never shows
a youth question before the confidentiality script, and never puts a label in a youth's ears.
"""

from __future__ import annotations

from pathlib import Path

from interview.content import model as m
from interview.content.loader import Collector, Refs, article, load_at_risk, \
    load_county, load_flow, load_next_steps, load_part, load_red_flags, load_script, \
    load_vocabulary, load_youth_words
from interview.content.words import labelling_words
from interview.content.yamlsafe import load_yaml
from interview.errors import ContentError, Problem, flows_hint, suggest
from interview.paths import flows_dir


def successors(flow: m.Flow, step: m.Step) -> set[str]:
    """Where the flow can go from a step by answering it (not by the worker's jumps)."""
    nxt = flow.steps[step.index + 1].id if step.index + 1 < len(flow.steps) else None
    branch = dict(step.branch)
    out = {t for t in (flow.resolve_target(v) for v in branch.values()) if t}
    if nxt and (step.kind != "closed" or any(a not in branch for a in m.ANSWERS)):
        out.add(nxt)
    return out


def _at(step: m.Step) -> tuple[int, str]:
    """The line to report a problem with a step on, and how to name the step there.

    A step that came from an included file is reported on the include's line of this flow
    (the include is what put it here), naming the file and line it was written on.
    """
    if step.include_line:
        return step.include_line, (f"included step {step.id!r} "
                                   f"({Path(step.origin).name}:{step.line})")
    return step.line, f"step {step.id!r}"


def check_flow(flow: m.Flow, refs: Refs, path: str, key_lines: dict) -> list[Problem]:
    c = Collector(path)
    words = refs.youth_words
    # Branches and variants point at real steps, forward only (so every walk ends).
    for step in flow.steps:
        line, name = _at(step)
        for answer, target in step.branch:
            resolved = flow.resolve_target(target)
            if resolved is None:
                c.add(line, f"{name}: branch {answer} goes to {target!r}, "
                      "which is neither a step nor a section of this flow",
                      "include that section too, or name an existing step or section id"
                      if step.include_line else "name an existing step or section id")
            elif flow.step(resolved).index <= step.index:
                c.add(line, f"{name}: branch {answer} goes back to {target!r}",
                      "branches may only go forward; the worker goes back with the back key")
        if step.variant_of:
            other = flow.by_id.get(step.variant_of)
            if other is None or other.index >= step.index:
                c.add(line, f"{name}: variant_of {step.variant_of!r} is not an "
                      "earlier step of this flow", "name the earlier step it nearly repeats")
    # Every step can be reached by answering from the first one.
    if flow.steps:
        reached = {flow.steps[0].id}
        for step in flow.steps:  # forward-only edges: one pass in order suffices
            if step.id in reached:
                reached |= successors(flow, step)
        for step in flow.steps:
            if step.id not in reached:
                line, name = _at(step)
                c.add(line, f"{name} cannot be reached: every answer before it "
                      "branches past it", "change the branch that skips it, or remove the step")
    # The confidentiality gate comes before every youth question.
    youth_questions = [s for s in flow.steps if s.audience == "youth" and s.is_question]
    if flow.gate:
        gate = flow.by_id.get(flow.gate)
        if gate is None:
            c.add(key_lines.get("gate"), f"gate {flow.gate!r} is not a step of this flow",
                  "name the confidentiality script step")
        elif gate.kind != "script":
            c.add(key_lines.get("gate"), f"gate {flow.gate!r} is {article(gate.kind)} step, not a script",
                  "the gate must be the script read to the youth")
        else:
            for step in youth_questions:
                if step.index < gate.index:
                    line, name = _at(step)
                    c.add(line, f"youth question {name.removeprefix('step ')} comes before the "
                          f"confidentiality script {flow.gate!r}", "move it after the script")
            for step in flow.steps[:gate.index]:
                line, name = _at(step)
                for answer, target in step.branch:
                    resolved = flow.resolve_target(target)
                    if resolved and flow.by_id[resolved].index > gate.index:
                        c.add(line, f"{name}: branch {answer} jumps past the "
                              f"confidentiality script {flow.gate!r}",
                              "branch to the script or to a step before it")
    elif youth_questions:
        c.add(key_lines.get("id"), "flow asks the youth questions but has no `gate`",
              "add `gate: <id of the confidentiality script step>`")
    # Nothing said to a youth labels them; in an interview with a youth (a flow with a gate),
    # nothing shown on the conversation screen does either, since the youth may see it.
    for step in flow.steps:
        said = [("text", step.text), ("follow_up", step.follow_up)] if step.audience == "youth" else []
        shown = [("guidance", step.guidance)] + [(f"cue {c.id}", c.label) for c in step.cues] \
            + [(f"item {i.red_flag}", i.hint) for i in step.items] if flow.gate else []
        if flow.gate and step.audience != "youth":
            shown += [("text", step.text), ("follow_up", step.follow_up)]
        for key, text in said + shown:
            found = labelling_words(text, words)
            if found:
                line, name = _at(step)
                where = "youth-facing" if (key, text) in said else "on-screen (a youth may see it)"
                c.add(line, f"{name}: {where} {key} uses "
                      f"{', '.join(repr(w) for w in found)} (DOMAIN.md section 10)",
                      "use the youth's own words or plain descriptions of what happened; in "
                      "guidance, S, L and C stand for the three forms")
    if flow.gate:  # the checklist shows each item's hint, not the chart's label, to a youth
        for step in flow.steps:
            for item in step.items:
                if not item.hint.strip():
                    line, name = _at(step)
                    c.add(line, f"{name}: item {item.red_flag} has no hint; with a youth in the "
                          "room the checklist shows the hint, not the chart's label",
                          "add `hint:` in plain words a youth would not read as a label")
        for section in flow.sections:
            found = labelling_words(f"{section.title} {section.guidance}", words)
            if found:
                where = (f"included section {section.id!r} ({Path(section.origin).name})"
                         if section.include_line else f"section {section.id!r}")
                c.add(section.include_line or key_lines.get("sections"), f"{where}: on-screen "
                      f"title or guidance uses {', '.join(repr(w) for w in found)} "
                      "(DOMAIN.md section 10)", "a youth may see the screen: use plain words")
    return c.problems


def _guard(problems: list[Problem], loader, *args):
    try:
        return loader(*args)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None


def county_path(root: Path, county: str | None) -> Path:
    if county and (county.endswith((".yaml", ".yml")) or "/" in county):
        return Path(county)
    return root / "counties" / f"{county or 'default'}.yaml"


def load_library(root: Path | None = None, county: str | None = None,
                 extra_flows: list[Path] | None = None) -> tuple[m.Library | None, list[Problem]]:
    """Load catalogs, scripts, the county and every flow; return the library and all problems."""
    root = root or flows_dir()
    problems: list[Problem] = []
    red_flags = _guard(problems, load_red_flags, root / "catalog" / "red-flags.yaml") or {}
    at_risk = _guard(problems, load_at_risk, root / "catalog" / "at-risk.yaml") or {}
    next_steps = _guard(problems, load_next_steps, root / "catalog" / "next-steps.yaml") or {}
    words = _guard(problems, load_youth_words, root / "catalog" / "youth-words.yaml") or ()
    vocabulary = _guard(problems, load_vocabulary, root / "catalog" / "vocabulary.yaml")
    for indicator in at_risk.values():  # the catalogs point at each other: check both ways
        for rf in indicator.prompted_by:
            if red_flags and rf not in red_flags:
                problems.append(Problem(str(root / "catalog" / "at-risk.yaml"), None,
                                        f"indicator {indicator.id}: prompted_by names an unknown "
                                        f"red flag {rf!r}", suggest(rf, red_flags) or
                                        "see flows/catalog/red-flags.yaml"))
    problems += _crosscheck(root, red_flags, at_risk, next_steps)
    where = county_path(root, county)
    if not where.is_file():
        known = ", ".join(sorted(p.stem for p in (root / "counties").glob("*.yaml")))
        problems.append(Problem(str(where), None, f"county {county!r} not found",
                                f"use one of {known}, or the path of a county YAML file"))
        return None, problems
    the_county = _guard(problems, load_county, where)
    scripts: dict[str, m.Script] = {}
    for path in sorted((root / "scripts").glob("*.yaml")):
        script = _guard(problems, load_script, path, words)
        if script:
            scripts[script.id] = script
    if the_county and the_county.confidentiality_script:
        script = _guard(problems, load_script, the_county.confidentiality_script, words)
        if script:
            scripts["confidentiality"] = script
    refs = Refs(red_flags, scripts, words)
    flows: dict[str, m.Flow] = {}
    paths = extra_flows if extra_flows is not None else sorted(root.glob("*.yaml"))
    for path in paths:
        flow, found = load_flow(path, refs)
        problems.extend(found)
        if flow is not None:
            if flow.id in flows:
                problems.append(Problem(str(path), None, f"flow id {flow.id!r} is already used "
                                        f"by {flows[flow.id].path}", "give each flow its own id"))
            flows[flow.id] = flow
    for path in sorted((root / "parts").glob("*.yaml")):  # checked even where nothing includes them
        problems.extend(load_part(path, refs))
    known = set(flows)
    if extra_flows is not None:  # a flow given alone may still name a shipped flow
        known |= {d.get("id") for d in (_peek(p) for p in root.glob("*.yaml")) if d}
    for flow in flows.values():
        if flow.after_absence and flow.after_absence not in known:
            problems.append(Problem(
                str(flow.path), flow.key_lines.get("after_absence"),
                f"after_absence {flow.after_absence!r} is not a flow",
                flows_hint(flow.after_absence, known)))
    problems = list(dict.fromkeys(problems))  # a file included by several flows: each once
    if problems or the_county is None:
        return None, problems
    return m.Library(flows, red_flags, at_risk, next_steps, scripts, the_county, words,
                     vocabulary), problems


def _crosscheck(root: Path, red_flags, at_risk, next_steps) -> list[Problem]:
    """The rules' declarations against the catalogs (interview/content/crosscheck.py)."""
    from interview.content.crosscheck import crosscheck
    from interview.rules import declarations

    return crosscheck(declarations(), root / "catalog", red_flags, at_risk, next_steps)


def _peek(path: Path) -> dict | None:
    try:
        data = load_yaml(path)
    except ContentError:
        return None
    return data if isinstance(data, dict) else None


def kind_of_file(path: Path) -> str:
    """Tell a flow from a catalog, script or county file by its top-level keys."""
    try:
        data = load_yaml(path)
    except ContentError:
        return "flow"
    if isinstance(data, dict):
        if "replies" in data and "persona" in data:
            return "scenario"
        if "answers" in data or ("flow" in data and "sections" not in data):
            return "case"
        if "part" in data and "id" not in data:
            return "part"
        for key, kind in (("sections", "flow"), ("red_flags", "red-flags"), ("parts", "script"),
                          ("next_steps", "next-steps"), ("indicators", "at-risk"),
                          ("hotline_name", "county"), ("words", "words"),
                          ("csec_types", "vocabulary")):
            if key in data:
                return kind
    return "flow"


def _load_script_checked(root: Path, path: Path, problems: list[Problem]):
    """A script file on its own, checked against the shipped list of words never said to a youth."""
    words = _guard(problems, load_youth_words, root / "catalog" / "youth-words.yaml") or ()
    return _guard(problems, load_script, path, words)


def _refs_for_parts(root: Path, problems: list[Problem]) -> Refs:
    """What a part given alone may point at: the shipped catalogs and scripts."""
    red_flags = _guard(problems, load_red_flags, root / "catalog" / "red-flags.yaml") or {}
    words = _guard(problems, load_youth_words, root / "catalog" / "youth-words.yaml") or ()
    scripts = {}
    for path in sorted((root / "scripts").glob("*.yaml")):
        script = _guard(problems, load_script, path, words)
        if script:
            scripts[script.id] = script
    return Refs(red_flags, scripts, words)


def _load_county_checked(root: Path, path: Path, problems: list[Problem]):
    county = _guard(problems, load_county, path)
    if county and county.confidentiality_script:
        _load_script_checked(root, county.confidentiality_script, problems)
    return county


def _check_cases(library: m.Library | None, paths: list[Path], problems: list[Problem]) -> None:
    """Example and answer files must assess cleanly against the flows they name."""
    from interview.engine.case import load_case
    from interview.errors import InputError

    for path in paths:
        if library is None:
            return
        try:
            load_case(library, path)
        except InputError as exc:
            problems.append(Problem(str(path), None, str(exc).removeprefix(f"{path}: ")))


def validate_paths(paths: list[Path], county: str | None = None) -> tuple[int, list[Problem]]:
    """Validate the given files, or with none every shipped file (flows, catalogs, scripts, all
    counties, examples). Returns (files checked, problems)."""
    root = flows_dir()
    if not paths:
        library, problems = load_library(root, county)
        counties = sorted((root / "counties").glob("*.yaml"))
        for path in counties:
            if path != county_path(root, county):
                _load_county_checked(root, path, problems)
        examples = sorted((root / "examples").glob("*.yaml"))
        _check_cases(library, examples, problems)
        _check_practice(library, root, None, problems)
        count = len(list(root.glob("*.yaml"))) + len(list(root.glob("*/*.yaml")))
        return count, problems
    problems: list[Problem] = []
    kinds = {path: kind_of_file(path) for path in paths}
    singles = {"red-flags": load_red_flags, "next-steps": load_next_steps,
               "at-risk": load_at_risk, "words": load_youth_words,
               "vocabulary": load_vocabulary}
    parts = [p for p, k in kinds.items() if k == "part"]
    if parts:
        refs = _refs_for_parts(root, problems)
        for path in parts:
            problems.extend(load_part(path, refs))
    for path, kind in kinds.items():
        if kind == "script":
            _load_script_checked(root, path, problems)
        elif kind == "county":
            _load_county_checked(root, path, problems)
        elif kind in singles:
            _guard(problems, singles[kind], path)
    flows = [p for p, k in kinds.items() if k == "flow"]
    library, found = load_library(root, county, extra_flows=flows or None)
    problems.extend(found)
    if flows and library is not None:  # answer files refer to the shipped flows
        library, _ = load_library(root, county)
    _check_cases(library, [p for p, k in kinds.items() if k == "case"], problems)
    scenarios = [p for p, k in kinds.items() if k == "scenario"]
    if scenarios:
        _check_practice(library, root, scenarios, problems)
    return len(paths), problems


def _check_practice(library: m.Library | None, root: Path, paths: list[Path] | None,
                    problems: list[Problem]) -> None:
    """Practice mode's configuration and scenarios (every reference checked against the flows)."""
    if library is None:
        return
    from interview.practice.config import load_config
    from interview.practice.scenario import load_scenarios

    config = _guard(problems, load_config, root, library)
    if config is not None:
        problems.extend(load_scenarios(library, config, paths, root)[1])
