"""Whole-flow checks and the entry points behind `csec-interview validate`.

A flow that passes here can be walked by the engine from its first step to its end, never shows
a youth question before the confidentiality script, never puts a label in a youth's ears, and
shows a youth or caregiver in the room no label, indicator or chart row by default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from interview.content import model as m
from interview.content.loader import Collector, Refs, guarded, article, county_path, \
    load_at_risk, load_county, load_library, load_next_steps, load_part, load_red_flags, \
    load_script, load_vocabulary, load_youth_words
from interview.content.routing import routes
from interview.content.words import fold, labelling_words
from interview.content.yamlsafe import load_yaml
from interview.errors import ContentError, Problem
from interview.paths import flows_dir


def _at(step: m.Step) -> tuple[int, str]:
    """The line to report a problem with a step on, and how to name the step there.

    A step that came from an included file is reported on the include's line of this flow
    (the include is what put it here), naming the file and line it was written on.
    """
    if step.include_line:
        return step.include_line, (f"included step {step.id!r} "
                                   f"({Path(step.origin).name}:{step.line})")
    return step.line, f"step {step.id!r}"


def in_the_room(flow: m.Flow) -> bool:
    """Whether the person interviewed may read the screen: a youth (a flow with the
    confidentiality gate), or a caregiver in an interview (the app asks whether they are out of
    view before the checklists and the summary, and hides the side panel from them)."""
    return bool(flow.gate) or (flow.setting == "interview"
                               and flow.interviewed in ("youth", "caregiver"))


# Beside the youth word list: what tells a caregiver in the room, who may be the one exploiting
# the child, what the worker is looking for (finding 4 of the screen audit: "Indicator H",
# "Chronic runaway behavior"), as they tell a youth. With the chart's row labels, these go in
# `reference:` (F2), or in a section opened out of view.
TIP_OFF_WORDS = ("indicator", "chronic", "chronically")


def screen_words(refs: Refs) -> tuple[tuple[str, ...], ChartRows]:
    """The words (the youth's, and those that tip off the person interviewed: one list, so each
    text is searched once) and the chart's rows: made once per load, for every flow."""
    found = refs.derived.get("screen_words")
    if found is None:
        found = refs.derived["screen_words"] = (refs.youth_words + TIP_OFF_WORDS,
                                                ChartRows(refs.red_flags.values()))
    return found


def person_labels(refs: Refs) -> tuple[str, ...]:
    """The youth's list without the definition terms a caregiver may hear (words.WordList)."""
    found = refs.derived.get("person_labels")
    if found is None:
        terms = getattr(refs.youth_words, "definitions", {})
        found = refs.derived["person_labels"] = tuple(w for w in refs.youth_words
                                                      if w not in terms)
    return found


class ChartRows:
    """The chart's rows, each label folded, to name the ones a text quotes. A text shown by
    several flows (a step of the youth interview's, in the return interview) is searched once."""

    def __init__(self, red_flags) -> None:
        self.rows = tuple((_flat(rf.label), rf) for rf in red_flags)
        self.seen: dict[str, tuple[str, ...]] = {}

    def quoted(self, text: str) -> list[str]:
        """The rows `text` quotes, as a problem names them, in the chart's order."""
        if not text:
            return []
        found = self.seen.get(text)
        if found is None:
            flat = _flat(text)
            found = self.seen[text] = tuple(f"the chart's row {rf.row} (“{rf.label}”)"
                                            for label, rf in self.rows if label in flat)
        return list(found)


def _flat(text: str) -> str:
    """Folded, on one line, with one kind of apostrophe: "Doesn’t" and "doesn't" are one."""
    return " ".join(fold(text).replace("’", "'").split())


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
                reached |= {r.dest for r in routes(flow, step)}
        # One problem for each run of steps a branch skips (a section skipped: one, not 14).
        runs: list[list[m.Step]] = []
        for step in flow.steps:
            if step.id in reached:
                continue
            if runs and runs[-1][-1].index == step.index - 1 \
                    and runs[-1][-1].include_line == step.include_line:
                runs[-1].append(step)
            else:
                runs.append([step])
        for run in runs:
            line, name = _at(run[0])
            if len(run) == 1:
                c.add(line, f"{name} cannot be reached: every answer before it branches past "
                      "it", "change the branch that skips it, or remove the step")
            else:
                c.add(line, f"{len(run)} steps cannot be reached, from {name} to "
                      f"{run[-1].id!r}: every answer before them branches past them",
                      "change the branch that skips them, or remove the steps")
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
                for route in routes(flow, step):
                    if route.answer is not None and flow.by_id[route.dest].index > gate.index:
                        c.add(line, f"{name}: branch {route.answer} jumps past the "
                              f"confidentiality script {flow.gate!r}",
                              "branch to the script or to a step before it")
    elif youth_questions:
        c.add(key_lines.get("id"), "flow asks the youth questions but has no `gate`",
              "add `gate: <id of the confidentiality script step>`")
    # Nothing said to a youth labels them; with the person interviewed in the room (a youth,
    # or a caregiver, who may be the one exploiting the child), nothing the conversation screen
    # shows by default does either: they may read it over the worker's shoulder.
    present = in_the_room(flow)
    tip_off = screen_words(refs) if present else ()
    for step in flow.steps:
        said = [("text", step.text), ("follow_up", step.follow_up)] if step.audience == "youth" else []
        shown = [("guidance", step.guidance)] + [(f"cue {c.id}", c.label) for c in step.cues] \
            + [(f"item {i.red_flag}", i.hint) for i in step.items] if present else []
        if present and step.audience != "youth":
            # A caregiver's own questions are the policy's words, verbatim: only the program's
            # follow-up is held, as everything the worker reads for themselves.
            shown += [("follow_up", step.follow_up)] if step.audience == flow.interviewed \
                != "worker" else [("text", step.text), ("follow_up", step.follow_up)]
        hidden = flow.section_by_id[step.section].out_of_view  # shown once out of view
        for key, text in said + shown:
            on_card = tip_off and (key, text) in shown and not hidden
            found = [repr(w) for w in labelling_words(text, tip_off[0] if on_card else words)]
            if on_card:
                found += tip_off[1].quoted(text)
            if found:
                line, name = _at(step)
                who = "the caregiver" if flow.interviewed == "caregiver" else "a youth"
                where = "youth-facing" if (key, text) in said else f"on-screen ({who} may see it)"
                c.add(line, f"{name}: {where} {key} uses {', '.join(found)} "
                      "(DOMAIN.md section 10)",
                      "use the youth's own words or plain descriptions of what happened; in "
                      "guidance, S, L and C stand for the three forms; the legal terms, the "
                      "chart's rows and the indicators go in the step's `reference:` (F2)")
    # What is read to a caregiver (the framing, the closing) may explain the definition terms
    # (003: "Explain the definition of CSE and/or child labor trafficking"), never label the
    # child or the people in their life ("do not refer to the child as a 'prostitute'").
    for step in flow.steps:
        if step.audience == "caregiver" and step.kind == "script":
            found = labelling_words(step.text, person_labels(refs))
            if found:
                line, name = _at(step)
                c.add(line, f"{name}: said to the caregiver, text uses "
                      f"{', '.join(map(repr, dict.fromkeys(found)))} (DOMAIN.md section 10; 003 "
                      "asks that the child not be called a 'prostitute')",
                      "explain the definition terms only ("
                      f"{', '.join(getattr(refs.youth_words, 'definitions', {})) or 'none'}); "
                      "say what happens in plain words, never a label of the child or the "
                      "people in their life")
    if flow.gate:  # the checklist shows each item's hint, not the chart's label, to a youth
        for step in flow.steps:
            for item in step.items:
                if not item.hint.strip():
                    line, name = _at(step)
                    c.add(line, f"{name}: item {item.red_flag} has no hint; with a youth in the "
                          "room the checklist shows the hint, not the chart's label",
                          "add `hint:` in plain words a youth would not read as a label")
    if present:
        for section in flow.sections:
            on_card = tip_off and not section.out_of_view
            text = f"{section.title} {section.guidance}"
            found = [repr(w) for w in labelling_words(text, tip_off[0] if on_card else words)]
            if on_card:
                found += tip_off[1].quoted(text)
            if found:
                where = (f"included section {section.id!r} ({Path(section.origin).name})"
                         if section.include_line else f"section {section.id!r}")
                c.add(section.include_line or key_lines.get("sections"), f"{where}: on-screen "
                      f"title or guidance uses {', '.join(found)} "
                      "(DOMAIN.md section 10)", "the person interviewed may see the screen: use "
                      "plain words, and the section's `reference:` (F2) for the legal terms")
    return c.problems


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
        if "language" in data and ("steps" in data or "parts" in data):
            return "translation"
        for key, kind in (("sections", "flow"), ("red_flags", "red-flags"), ("parts", "script"),
                          ("next_steps", "next-steps"), ("indicators", "at-risk"),
                          ("hotline_name", "county"), ("words", "words"),
                          ("csec_types", "vocabulary")):
            if key in data:
                return kind
    return "flow"


def _load_script_checked(root: Path, path: Path, problems: list[Problem]):
    """A script file on its own, checked against the shipped list of words never said to a youth."""
    words = guarded(problems, load_youth_words, root / "catalog" / "youth-words.yaml") or ()
    return guarded(problems, load_script, path, words)


def _refs_for_parts(root: Path, problems: list[Problem]) -> Refs:
    """What a part given alone may point at: the shipped catalogs and scripts."""
    red_flags = guarded(problems, load_red_flags, root / "catalog" / "red-flags.yaml")
    words = guarded(problems, load_youth_words, root / "catalog" / "youth-words.yaml") or ()
    scripts = {}
    for path in sorted((root / "scripts").glob("*.yaml")):
        script = guarded(problems, load_script, path, words)
        if script:
            scripts[script.id] = script
    return Refs(red_flags, scripts, words)


def _load_county_checked(root: Path, path: Path, problems: list[Problem]):
    county = guarded(problems, load_county, path)
    if county and county.confidentiality_script:
        _load_script_checked(root, county.confidentiality_script, problems)
    return county


# What checks the files that are not content but are read against it: answer files (the engine)
# and practice scenarios (practice), which content may not import. Given the library, the content
# root, the answer files and the scenarios (None: every shipped one), it returns their problems.
Dependents = Callable[[m.Library, Path, list[Path], list[Path] | None], list[Problem]]


def validate_paths(paths: list[Path], county: str | None = None,
                   dependents: Dependents | None = None, allow_missing_translations: bool = False,
                   warnings: list[Problem] | None = None) -> tuple[int, list[Problem]]:
    """Validate the given files, or with none every shipped file (flows, catalogs, scripts, all
    counties, translations, and with `dependents` examples and scenarios). Returns (files
    checked, problems). A step said to a youth, caregiver or reporter with no translation in a
    language is a problem, or with `allow_missing_translations` a warning added to `warnings`."""
    root = flows_dir()
    warnings = warnings if warnings is not None else []

    def translation_gaps(missing: list[Problem], stale: list[Problem],
                         county_scripts: list[Problem] = ()) -> list[Problem]:
        warnings.extend(county_scripts)
        if allow_missing_translations:
            warnings.extend(missing)
            return stale
        return missing + stale

    if not paths:
        library, problems = load_library(root, county)
        if library is not None:
            from interview.content.translations import gaps

            problems.extend(translation_gaps(*gaps(library)))
        counties = sorted((root / "counties").glob("*.yaml"))
        for path in counties:
            if path != county_path(root, county):
                _load_county_checked(root, path, problems)
        if dependents and library is not None:
            problems.extend(dependents(library, root, sorted((root / "examples").glob("*.yaml")),
                                       None))
        count = len(list(root.glob("*.yaml"))) + len(list(root.glob("*/*.yaml"))) \
            + len(list((root / "lang").rglob("*.yaml")))
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
            county_file = _load_county_checked(root, path, problems)
            if county_file is not None and county_file.templates and dependents:
                # its templates, as `--county FILE validate` checks them (dependents renders)
                with_county, found = load_library(root, str(path))
                if with_county is not None and not found:
                    problems.extend(dependents(with_county, root, [], []))
        elif kind in singles:
            guarded(problems, singles[kind], path)
    flows = [p for p, k in kinds.items() if k == "flow"]
    library, found = load_library(root, county, extra_flows=flows or None)
    problems.extend(found)
    if flows and library is not None:  # answer files refer to the shipped flows
        library, _ = load_library(root, county)
    if library is not None:
        from interview.content.translations import check_file

        for path in (p for p, k in kinds.items() if k == "translation"):
            found, missing = check_file(library, path)
            problems.extend(found + translation_gaps(missing, []))
    if dependents and library is not None:
        problems.extend(dependents(library, root, [p for p, k in kinds.items() if k == "case"],
                                   [p for p, k in kinds.items() if k == "scenario"]))
    return len(paths), list(dict.fromkeys(problems))  # a shipped translation: reported once
