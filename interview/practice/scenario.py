"""Scenario files (flows/scenarios/*.yaml): a persona, the simulated replies, what the trainee
can see, and the answer key. Loaded and validated like flows: every reference is checked (flow,
step, cue, red flag, At-Risk letter, CSEC Type, next step) and every problem names its file and
line with a fix. The format is described in docs/scenario-format.md.

Scenarios come from flows/scenarios/ and from a trainer's own folders (`--scenarios DIR`, or
CSEC_PRACTICE_SCENARIOS: folders separated by the path separator), checked the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interview.content import model as m
from interview.content.loader import Collector
from interview.content.yamlsafe import item_line, line_of, load_yaml
from interview.record import DISCLOSURE_FINDINGS, parse_context
from interview.errors import ContentError, InputError, Problem, flows_hint, is_one_of, suggest
from interview.paths import flows_dir
from interview.practice.config import longest_first
from interview.practice.matcher import find_labels
from interview.rules import at_risk as at_risk_rule
from interview.rules.csec_type import TYPE_BY_WHEN
from interview.content.vocabulary import label

NONE = "none"
BRANCHES = ("A-C", "D-H", "A-C+D-H", NONE)
TOP_KEYS = {"id": True, "title": True, "family": True, "flow": True, "audience": True,
            "fictional": True, "difficulty": True, "persona": True, "replies": True,
            "default": True, "labelled": False, "observations": False, "key": True,
            "teaching_points": True, "language": False}
REPLY_KEYS = {"say", "answer", "cues", "when", "more"}
# How hard a scenario is for a trainee, easiest first (shown before the scenario is chosen).
DIFFICULTIES = ("introductory", "intermediate", "advanced")
# The response tiers a trainee states (002 MOU IV), as the engine names them; none: no MDT tier.
RESPONSES = ("immediate_crisis", "initial_mdt", NONE)
SCENARIOS_ENV = "CSEC_PRACTICE_SCENARIOS"


@dataclass(frozen=True, slots=True)
class Reply:
    """What the simulated person says to one asking, and the ideal marks for it."""

    say: str = ""
    answer: str = ""               # closed steps: what this reply means (yes, no, ...)
    cues: tuple[str, ...] = ()     # the cues a trainee should tick for it
    rapport: int = 0               # given only at this much rapport or more
    asked: int = 1                 # given only from this asking of the question on
    told: tuple[str, ...] = ()     # given once the person has told what they said at these steps
    more: str = ""                 # said to a follow-up probe ("tell me more about that")
    line: int = 0

    def applies(self, rapport: int, asked: int, told: frozenset[str] = frozenset()) -> bool:
        """A reply that waits for no rapport is given however low rapport fell (a labelling
        question costs what waits for trust, not every answer: no wall of "I don't know")."""
        return ((not self.rapport or rapport >= self.rapport) and asked >= self.asked
                and set(self.told) <= told)

    @property
    def tells(self) -> bool:
        """Does this reply tell something the key rests on (a yes, or something to tick)?"""
        return self.answer == "yes" or bool(self.cues)


@dataclass(frozen=True, slots=True)
class Observable:
    """Something the trainee can see; `red_flag` is what it should be ticked as (none: nothing)."""

    see: str
    red_flag: str = ""
    line: int = 0


@dataclass(frozen=True)
class Key:
    red_flags: frozenset[str]
    at_risk: frozenset[str]
    branch: str | None
    disclosures: frozenset[str]          # of sex_trafficking, labor_trafficking, criminal_activity
    csec_type: str | None
    next_steps: frozenset[str]
    response: str | None = None          # immediate_crisis, initial_mdt, or None (no MDT tier)
    exploited_during: str | None = None  # when the child was exploited (a victim type's basis)
    questions: tuple[str, ...] = ()      # key questions beyond those whose reply tells something

    @property
    def at_risk_met(self) -> bool:
        return self.branch is not None


@dataclass(frozen=True, slots=True)
class TeachingPoint:
    text: str
    source: str


@dataclass(frozen=True)
class Persona:
    name: str
    age: int
    situation: str


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    family: str
    flow: str
    audience: str
    difficulty: str
    persona: Persona
    facts: dict
    replies: dict[str, tuple[Reply, ...]]
    default: Reply
    labelled: Reply | None
    labelled_loss: int | None
    observations: tuple[Observable, ...]
    key: Key
    teaching_points: tuple[TeachingPoint, ...]
    path: Path | None = None
    language: str = "en"        # what the person speaks: the practice starts in it (es: Spanish)


def scenarios_dir(root: Path | None = None) -> Path:
    return (root or flows_dir()) / "scenarios"


def trainer_dirs() -> list[Path]:
    """A trainer's own scenario folders (CSEC_PRACTICE_SCENARIOS, set by `--scenarios`)."""
    return [Path(d) for d in os.environ.get(SCENARIOS_ENV, "").split(os.pathsep) if d]


def scenario_paths(root: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """The shipped scenario files, then each trainer's folder's (a missing folder is a problem)."""
    paths = sorted(scenarios_dir(root).glob("*.yaml"))
    problems = []
    for folder in trainer_dirs():
        if not folder.is_dir():
            problems.append(Problem(str(folder), None, "this scenario folder does not exist",
                                    "give --scenarios a folder of scenario files (*.yaml)"))
            continue
        paths += sorted(p for p in folder.glob("*.yaml") if p.is_file())
    return paths, problems


def load_scenarios(library: m.Library, config, paths: list[Path] | None = None,
                   root: Path | None = None) -> tuple[dict[str, Scenario], list[Problem]]:
    """Every shipped scenario (or the given files): the good ones, and every problem found."""
    problems: list[Problem] = []
    if paths is None:
        paths, problems = scenario_paths(root)
    scenarios: dict[str, Scenario] = {}
    for path in paths:
        scenario, found = load_scenario(path, library, config)
        problems.extend(found)
        if scenario is None:
            continue
        if scenario.id in scenarios:
            problems.append(Problem(str(path), None, f"scenario id {scenario.id!r} is already "
                                    f"used by {scenarios[scenario.id].path}",
                                    "give each scenario its own id"))
            continue
        scenarios[scenario.id] = scenario
    return scenarios, problems


def load_scenario(path: Path, library: m.Library, config) -> tuple[Scenario | None, list[Problem]]:
    c = Collector(path)
    try:
        data = load_yaml(path, "scenario file")
    except ContentError as exc:
        return None, exc.problems
    scenario = _build(c, path, data, library, config)
    return (scenario if not c.problems else None), c.problems


def _lines(data: Any) -> dict:
    return getattr(data, "key_lines", {})


def _build(c: Collector, path: Path, data: Any, library: m.Library, config) -> Scenario | None:
    if not c.keys(data, TOP_KEYS, "scenario"):
        return None
    lines = _lines(data)
    sid = c.ident(data, "id", "scenario")
    title = c.text(data, "title", "scenario", required=True)
    if data.get("fictional") is not True:
        c.add(lines.get("fictional", line_of(data)), "a scenario must say it is fictional",
              "write `fictional: true`; use no real person or case")
    family = data.get("family")
    if not is_one_of(family, config.families):
        c.add(lines.get("family"), f"family {family!r} is not a scenario family",
              suggest(family, config.families) or
              f"use one of {', '.join(config.families)} (flows/catalog/practice.yaml)")
    flow_id = data.get("flow")
    flow = library.flows.get(flow_id) if isinstance(flow_id, str) else None
    if flow is None:
        c.add(lines.get("flow"), f"flow {flow_id!r} not found",
              flows_hint(flow_id, library.flows))
    audience = data.get("audience")
    spoken = {s.audience for s in flow.steps if s.audience != "worker"} if flow else set()
    if audience not in ("youth", "caregiver", "reporter") or (flow and not is_one_of(audience, spoken)):
        c.add(lines.get("audience"), f"audience {audience!r}: the trainee must talk to someone "
              f"the {flow_id!r} flow asks questions of",
              f"use {' or '.join(sorted(spoken)) or 'youth, caregiver or reporter'}")
    difficulty = data.get("difficulty")
    if difficulty not in DIFFICULTIES:
        c.add(lines.get("difficulty"), f"difficulty {difficulty!r} is not a level",
              suggest(difficulty, DIFFICULTIES) or f"use one of {', '.join(DIFFICULTIES)}")
    persona, facts = _persona(c, data.get("persona"))
    language = data.get("language", "en")
    if not is_one_of(language, ("en", *config.languages)):
        c.add(lines.get("language"), f"language {language!r}: practice has no matcher for it",
              f"use {' or '.join(('en', *config.languages))} (a language needs "
              "flows/catalog/synonyms-<language>.yaml)")
        language = "en"
    said = said_words(library, config, str(language))
    if flow is None:
        return None
    if flow.id not in config.flows:
        c.add(lines.get("flow"), f"flow {flow.id!r} has no practice settings (its script, "
              "open-ended and specific sections, what builds rapport)",
              f"add `{flow.id}:` under `flows:` in flows/catalog/practice.yaml, or use "
              f"{', '.join(sorted(config.flows))}")
    replies = _replies(c, data.get("replies"), flow, said)
    default = _default(c, data.get("default"), said)
    labelled, loss = _labelled(c, data.get("labelled"), said)
    observations = _observations(c, data.get("observations"), flow, library)
    key = _key(c, data.get("key"), library, flow)
    points = _points(c, data.get("teaching_points"))
    for step_id in undecided(flow, replies):
        c.add(_lines(data.get("replies")).get(step_id, lines.get("replies")),
              f"replies: no ideal answer for the worker's decision {step_id!r}",
              f"add `{step_id}: {{answer: yes}}` (or no, declined, unsure)")
    if c.problems or persona is None or key is None:
        return None
    return Scenario(sid, title, str(family), flow.id, str(audience), str(difficulty), persona,
                    facts, replies, default, labelled, loss, observations, key, points, path,
                    str(language))


def _persona(c: Collector, data: Any) -> tuple[Persona | None, dict]:
    if not c.keys(data, {"name": True, "age": True, "situation": True, "case_facts": False},
                  "persona"):
        return None, {}
    lines = _lines(data)
    age = data.get("age")
    if isinstance(age, bool) or not isinstance(age, int) or not 0 < age < 18:
        c.add(lines.get("age"), f"persona age {age!r} must be a whole number under 18",
              "the scenarios are about minors, e.g. `age: 15`")
        age = 0
    facts = data.get("case_facts") or {}
    try:
        parse_context(facts)
    except InputError as exc:
        c.add(lines.get("case_facts", line_of(data)), f"persona.case_facts: {exc}",
              "case facts take the keys of an `assess` file's context")
        facts = {}
    return Persona(c.text(data, "name", "persona", required=True), int(age),
                   c.text(data, "situation", "persona", required=True)), dict(facts)


def said_words(library: m.Library, config, language: str) -> tuple:
    """What a scenario's replies are checked against: the words never said to a youth, and in
    a Spanish scenario the Spanish list too (found without accents; "me trata mal", how someone
    treats them, is no label: practice-words-es.yaml `except:`)."""
    if language == "en":
        return tuple(library.youth_words), (), False
    theirs = tuple(library.translations.words.get(language, ())) if library.translations else ()
    other = config.languages[language]
    return longest_first((*library.youth_words, *theirs, *other.labels)), other.not_labels, True


def _said(c: Collector, text: str, line: int, where: str, said: tuple) -> None:
    found = find_labels(text, *said)
    if found:
        c.add(line, f"{where}: the reply uses {', '.join(repr(w) for w in found)} (DOMAIN.md "
              "section 10)", "a youth's own words do not label them: use their slang or plain "
              "words (\"the life\", \"daddy\", \"he makes me\")")


def _reply(c: Collector, raw: Any, step: m.Step | None, where: str, said: tuple,
           default_line: int, step_ids=frozenset()) -> Reply | None:
    if isinstance(raw, str):
        raw_map: dict = {"say": raw}
        line = default_line
    elif isinstance(raw, dict):
        if not c.keys(raw, REPLY_KEYS, where):
            return None
        raw_map, line = raw, line_of(raw, default_line)
    else:
        c.add(default_line, f"{where}: a reply is text or `{{say: ..., answer: ..., cues: [...]}}`",
              "write `say: \"...\"`")
        return None
    lines = _lines(raw_map)

    def spoken(key: str) -> str:
        """`say` or `more`: text said to the trainee, with no labelling word."""
        text = raw_map.get(key) or ""
        if not isinstance(text, str):
            c.add(lines.get(key, line), f"{where}: {key} must be text", "quote it")
            return ""
        text = " ".join(text.split())
        if text:
            _said(c, text, lines.get(key, line), where, said)
        return text

    say, more = spoken("say"), spoken("more")
    answer = raw_map.get("answer")
    if isinstance(answer, bool):  # YAML reads a bare yes/no as a boolean
        answer = "yes" if answer else "no"
    cues = raw_map.get("cues") or []
    when = raw_map.get("when") or {}
    rapport, asked, told = 0, 1, []
    if when:
        if c.keys(when, {"rapport", "asked", "told"}, f"{where}.when"):
            rapport, asked = when.get("rapport", 0), when.get("asked", 1)
            told = when.get("told") or []
            if not isinstance(told, list) or step is not None and any(
                    not is_one_of(s, step_ids) for s in told):
                c.add(_lines(when).get("told", line), f"{where}: when.told must list steps of "
                      f"the flow whose reply the person has given", "e.g. `when: {told: "
                      "[spec_keep_share_money]}`")
                told = []
            if isinstance(rapport, bool) or not isinstance(rapport, int) or rapport < 0:
                c.add(_lines(when).get("rapport", line), f"{where}: when.rapport must be a whole "
                      "number of 0 or more", "e.g. `when: {rapport: 5}`")
                rapport = 0
            if isinstance(asked, bool) or not isinstance(asked, int) or asked < 1:
                c.add(_lines(when).get("asked", line), f"{where}: when.asked must be 2 or more "
                      "(the second asking, the third, ...)", "e.g. `when: {asked: 2}`")
                asked = 1
    if step is not None:
        if step.audience == "worker" and say:
            c.add(lines.get("say", line), f"{where}: {step.id!r} is the worker's own question: "
                  "nobody says a reply to it", "keep only `answer` and `cues`; put what the "
                  "youth said in the reply to the step before")
        if step.kind == "closed":
            if answer not in m.ANSWERS:
                c.add(lines.get("answer", line), f"{where}: a reply to a yes/no question needs "
                      f"`answer:` ({', '.join(m.ANSWERS)}), not {answer!r}",
                      "add what the reply means, e.g. `answer: no`")
        elif answer is not None:
            c.add(lines.get("answer", line), f"{where}: only a yes/no question's reply takes "
                  f"`answer` ({step.id!r} is {step.kind})", "remove `answer:`")
        if step.kind in ("facts", "observation"):
            c.add(line, f"{where}: {step.id!r} is {'an' if step.kind == 'observation' else 'a'} "
                  f"{step.kind} step", "put case facts under persona.case_facts and what the "
                  "trainee can see under observations")
        if step.kind == "script" and cues:
            c.add(lines.get("cues", line), f"{where}: a script has no cues", "remove `cues:`")
        if not isinstance(cues, list):
            c.add(lines.get("cues", line), f"{where}: cues must be a list", "write `cues: [id]`")
            cues = []
        for cue in cues:
            if not is_one_of(cue, step.cue_ids):
                c.add(lines.get("cues", line), f"{where}: {cue!r} is not a cue of {step.id!r}",
                      suggest(cue, step.cue_ids) or
                      f"its cues: {', '.join(x.id for x in step.cues) or 'none'}")
        if cues and step.kind == "closed" and answer != "yes":
            c.add(lines.get("cues", line), f"{where}: cues classify a yes; this reply is "
                  f"{answer!r}", "remove the cues, or make the answer yes")
    return Reply(say, str(answer or ""), tuple(str(x) for x in cues), int(rapport), int(asked),
                 tuple(str(s) for s in told), more, line)


def undecided(flow: m.Flow, replies: dict[str, tuple[Reply, ...]]) -> list[str]:
    """The worker's decisions (closed worker questions that choose where the interview goes)
    that the ideal walk reaches without an answer in the scenario.

    The walk follows the flow as the ideal interview would: each branch by the scenario's
    answer, "no" where it gives none (as `PracticeRun.play_ideal` does). The worker's other
    questions take "no" unless the scenario says otherwise.
    """
    missing, index = [], 0
    while index < len(flow.steps):
        step = flow.steps[index]
        given = replies.get(step.id)
        answer = given[0].answer if given else ""
        if step.audience == "worker" and step.kind == "closed" and step.branch and not given:
            missing.append(step.id)
        target = dict(step.branch).get(answer or "no")
        resolved = flow.resolve_target(target) if target else None
        index = flow.by_id[resolved].index if resolved else index + 1
    return missing


def _replies(c: Collector, data: Any, flow: m.Flow, said: tuple
             ) -> dict[str, tuple[Reply, ...]]:
    if not isinstance(data, dict):
        c.add(line_of(data), "replies must be a mapping of step id to reply",
              "write `step_id: \"what they say\"` lines")
        return {}
    out: dict[str, tuple[Reply, ...]] = {}
    lines = _lines(data)
    for step_id, raw in data.items():
        line = lines.get(step_id, line_of(data))
        step = flow.by_id.get(step_id)
        if step is None:
            c.add(line, f"replies: no step {step_id!r} in the {flow.id!r} flow",
                  suggest(step_id, flow.by_id) or f"list them with `csec-interview questions {flow.id}`")
            continue
        variants = raw if isinstance(raw, list) else [raw]
        if not variants:
            c.add(line, f"replies.{step_id}: empty", "give at least one reply")
            continue
        built = [_reply(c, v, step, f"replies.{step_id}", said, line, flow.by_id)
                 for v in variants]
        built = [r for r in built if r is not None]
        if built and (built[-1].rapport or built[-1].asked > 1 or built[-1].told):
            c.add(built[-1].line or line, f"replies.{step_id}: the last reply has a `when`",
                  "the last reply is the one given when no other applies: remove its `when`")
        out[str(step_id)] = tuple(built)
    return out


def _default(c: Collector, data: Any, said: tuple) -> Reply:
    reply = _reply(c, data, None, "default", said, line_of(data))
    if reply is not None:
        if not reply.say:
            c.add(line_of(data), "default: say what the person says to any other question",
                  "e.g. `default: {say: \"I don't know.\", answer: no}`")
        if reply.answer not in m.ANSWERS:
            c.add(line_of(data), "default: needs `answer:` for the yes/no questions it covers",
                  "e.g. `answer: no`")
        if reply.cues or reply.rapport or reply.asked > 1 or reply.told:
            c.add(line_of(data), "default: takes only `say` and `answer`", "remove the rest")
    return reply or Reply("...", "no")


def _labelled(c: Collector, data: Any, said: tuple) -> tuple[Reply | None, int | None]:
    if data is None:
        return None, None
    if not c.keys(data, {"say": True, "rapport": False}, "labelled"):
        return None, None
    loss = data.get("rapport")
    if loss is not None and (isinstance(loss, bool) or not isinstance(loss, int) or loss < 0):
        c.add(_lines(data).get("rapport"), "labelled.rapport: the rapport lost, a whole number "
              "of 0 or more", "e.g. `rapport: 4`")
        loss = None
    say = data.get("say")
    if not isinstance(say, str) or not say.strip():
        c.add(line_of(data), "labelled.say must be text", "quote it")
        return None, loss
    _said(c, say, _lines(data).get("say", line_of(data)), "labelled", said)
    return Reply(" ".join(say.split()), line=line_of(data)), loss


def _observations(c: Collector, data: Any, flow: m.Flow, library: m.Library
                  ) -> tuple[Observable, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        c.add(line_of(data), "observations must be a list", "write `- {see: ..., red_flag: ...}`")
        return ()
    tickable = set(flow.observation_items) or set(library.red_flags)
    out = []
    for item in data:
        if not c.keys(item, {"see": True, "red_flag": False}, "observation"):
            continue
        rf = item.get("red_flag") or ""
        if rf and not is_one_of(rf, tickable):
            c.add(_lines(item).get("red_flag", line_of(item)),
                  f"observation: {rf!r} is not on the {flow.id!r} flow's checklist",
                  suggest(rf, tickable) or "use a red flag of the flow's observation step, "
                  "or leave red_flag out for a detail that is not a red flag")
        out.append(Observable(c.text(item, "see", "observation", required=True), str(rf),
                              line_of(item)))
    return tuple(out)


def _ids(c: Collector, data: dict, key: str, known, what: str) -> frozenset[str]:
    values = data.get(key) or []
    line = _lines(data).get(key, line_of(data))
    if not isinstance(values, list):
        c.add(line, f"key.{key} must be a list", f"write `{key}: [ ... ]`")
        return frozenset()
    for i, v in enumerate(values):
        if not is_one_of(v, known):
            c.add(item_line(values, i, line),
                  f"key.{key}: unknown {what} {v!r}",
                  suggest(v, known) or f"known: {', '.join(sorted(map(str, known)))}")
    return frozenset(str(v) for v in values)


def _key(c: Collector, data: Any, library: m.Library, flow: m.Flow) -> Key | None:
    keys = {"red_flags": True, "at_risk": True, "disclosures": True, "response": True,
            "csec_type": True, "exploited_during": False, "next_steps": True, "questions": False}
    if not c.keys(data, keys, "key"):
        return None
    lines = _lines(data)
    red_flags = _ids(c, data, "red_flags", library.red_flags, "red flag")
    disclosures = _ids(c, data, "disclosures", DISCLOSURE_FINDINGS, "disclosure form")
    next_steps = _ids(c, data, "next_steps", library.next_steps, "next step")
    raw = data.get("at_risk")
    letters: frozenset[str] = frozenset()
    branch: str | None = None
    if c.keys(raw, {"indicators": True, "branch": True}, "key.at_risk"):
        letters = _ids(c, raw, "indicators", m.AT_RISK_LETTERS, "At-Risk letter")
        raw_branch = raw.get("branch")
        raw_branch = NONE if raw_branch is None else raw_branch
        if raw_branch not in BRANCHES:
            c.add(_lines(raw).get("branch"), f"key.at_risk.branch: {raw_branch!r} is not a branch",
                  f"use one of {', '.join(BRANCHES)}")
        else:
            branch = None if raw_branch == NONE else raw_branch
            _, expected = at_risk_rule.determine(letters, library.at_risk)
            if expected != branch:
                c.add(_lines(raw).get("branch"), f"key.at_risk: the indicators "
                      f"{', '.join(sorted(letters)) or 'none'} give the branch "
                      f"{expected or NONE}, not {raw_branch}",
                      "the rule is one of A-C, or two of D-H: fix the letters or the branch")
    csec = data.get("csec_type")
    csec = NONE if csec is None else csec
    if csec != NONE and not is_one_of(csec, m.CSEC_TYPES):
        c.add(lines.get("csec_type"), f"key.csec_type: {csec!r} is not a CSEC Type",
              suggest(csec, m.CSEC_TYPES) or f"use one of {', '.join(m.CSEC_TYPES)} or none")
    response = data.get("response")
    response = NONE if response is None else response
    if response not in RESPONSES:
        c.add(lines.get("response"), f"key.response: {response!r} is not a response tier",
              suggest(response, RESPONSES) or f"use one of {', '.join(RESPONSES)} "
              f"({', '.join(label('response_tiers', r) for r in RESPONSES[:2])}, or none)")
    when = data.get("exploited_during")
    victim = csec in TYPE_BY_WHEN.values()
    if when is not None and not is_one_of(when, TYPE_BY_WHEN):
        c.add(lines.get("exploited_during"), f"key.exploited_during: {when!r} is not a time the "
              "child was exploited", suggest(when, TYPE_BY_WHEN) or
              f"use one of {', '.join(TYPE_BY_WHEN)}")
    elif victim and when is None:
        c.add(lines.get("csec_type"), f"key: a victim type ({csec}) needs `exploited_during:`, "
              "when the child was exploited (the trainee states it too)",
              f"add `exploited_during: {next(k for k, v in TYPE_BY_WHEN.items() if v == csec)}`")
    elif when is not None and not victim:
        c.add(lines.get("exploited_during"), "key.exploited_during is for a victim type only",
              "remove it, or give a victim csec_type")
    elif when is not None and TYPE_BY_WHEN[when] != csec:
        c.add(lines.get("exploited_during"), f"key: exploited {when} gives the type "
              f"{TYPE_BY_WHEN[when]}, not {csec}", "fix the type or when it happened")
    questions = data.get("questions") or []
    askable = {s.id for s in flow.steps if s.audience != "worker" and s.is_question}
    if not isinstance(questions, list):
        c.add(lines.get("questions"), "key.questions must be a list of question ids",
              "write `questions: [open_feeling, ...]`")
        questions = []
    for i, q in enumerate(questions):
        if not is_one_of(q, askable):
            c.add(item_line(questions, i, lines.get("questions")),
                  f"key.questions: {q!r} is not a question of the {flow.id!r} flow",
                  suggest(q, askable) or f"list them with `csec-interview questions {flow.id}`")
    return Key(red_flags, letters, branch, disclosures, None if csec == NONE else str(csec),
               next_steps, None if response == NONE else str(response),
               when if victim and is_one_of(when, TYPE_BY_WHEN) else None,
               tuple(str(q) for q in questions))


def _points(c: Collector, data: Any) -> tuple[TeachingPoint, ...]:
    if not isinstance(data, list) or not data:
        c.add(line_of(data), "teaching_points: give at least one, with its source",
              "write `- {text: ..., source: \"003 § Section heading\"}`")
        return ()
    out = []
    for item in data:
        if c.keys(item, {"text": True, "source": True}, "teaching point"):
            out.append(TeachingPoint(" ".join(c.text(item, "text", "teaching point").split()),
                                     c.source(item, "teaching point")))
    return tuple(out)


def find(scenarios: dict[str, Scenario], name: str) -> Scenario:
    """A scenario by id, or one clear message with a did-you-mean."""
    if name in scenarios:
        return scenarios[name]
    hint = suggest(name, scenarios)
    raise InputError(f"no scenario {name!r}; " + (hint or "scenarios: " + ", ".join(scenarios)
                                                   + " (`csec-interview practice list`)"))
