"""Practice mode's own content: families, technique checks, weights (flows/catalog/practice.yaml),
the matcher's synonyms, wordings and probe words (flows/catalog/synonyms.yaml) and the words that
label a youth in a typed question (flows/catalog/practice-words.yaml, added to
flows/catalog/youth-words.yaml), loaded with file:line problems."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from interview.content.loader import Collector
from interview.content.words import labelling_words
from interview.content.yamlsafe import line_of, load_yaml
from interview.errors import ContentError, Problem, flows_hint, suggest
from interview.paths import flows_dir
from interview.practice.matcher import Words, find_labels, fold

CHECKS = ("script_first", "open_before_specific", "prior_after_denial", "no_labels")
# The parts of the score (docs/scenario-format.md): what the trainee states (at_risk,
# disclosures, response, csec_type, next_steps), what they recorded of the replies and what they
# saw (recording), and how they asked (technique). The share of key questions asked multiplies
# the whole.
PARTS = ("at_risk", "disclosures", "response", "csec_type", "next_steps", "recording",
         "technique")
# Lines the simulated person says that no scenario gives (youth-facing: no labelling word).
LINES = ("probe", "labelled")
# The languages a practice may be conducted in besides English: their matcher content
# (flows/catalog/synonyms-<lang>.yaml), their labelling words (practice-words-<lang>.yaml) and
# their lines (`lines: {<lang>: {probe, labelled}}` in practice.yaml).
LANGUAGES = ("es",)
FLOW_KEYS = {"script_first": False, "open_ended": False, "specific": False,
             "prior_incidents": False, "rapport": False}


@dataclass(frozen=True)
class Family:
    id: str
    title: str
    source: str


@dataclass(frozen=True)
class FlowTechnique:
    """Where, in one flow, the technique checks look."""

    script_first: str = ""
    open_ended: tuple[str, ...] = ()     # section ids
    specific: tuple[str, ...] = ()       # section ids
    prior_incidents: str = ""
    rapport: tuple[str, ...] = ()        # section ids


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    passed: str
    failed: str
    source: str


@dataclass(frozen=True)
class PracticeConfig:
    families: dict[str, Family]
    flows: dict[str, FlowTechnique]
    checks: dict[str, Check]
    weights: dict[str, float]
    labelled_rapport_loss: int
    words: Words = field(default_factory=Words)   # the matcher's content and the labels
    lines: dict[str, str] = field(default_factory=dict)   # probe, labelled
    path: Path | None = None
    # Each other language's matcher content and labels, and its probe and labelled lines.
    languages: dict[str, Words] = field(default_factory=dict)
    lines_in: dict[str, dict[str, str]] = field(default_factory=dict)

    def said(self, key: str, language: str = "en") -> str:
        """A line of the simulated person's (probe, labelled) in the scenario's language."""
        return self.lines_in.get(language, {}).get(key) or self.lines.get(key, "")


def load_config(root: Path | None = None, library=None) -> PracticeConfig:
    """Load and check practice.yaml and synonyms.yaml; raise ContentError with every problem.

    With a `library`, the flows, sections and steps named are checked to exist.
    """
    root = root or flows_dir()
    path = root / "catalog" / "practice.yaml"
    c = Collector(path)
    problems: list[Problem] = []
    try:
        data = load_yaml(path, "practice configuration")
    except ContentError as exc:
        raise ContentError(exc.problems) from None
    families: dict[str, Family] = {}
    flows: dict[str, FlowTechnique] = {}
    checks: dict[str, Check] = {}
    weights: dict[str, float] = {}
    loss = 3
    keys = {"source": True, "families": True, "flows": True, "checks": True, "weights": True,
            "labelled_rapport_loss": False, "lines": True}
    lines: dict[str, str] = {}
    lines_in: dict[str, dict[str, str]] = {}
    if c.keys(data, keys, "practice configuration"):
        c.source(data, "practice configuration")
        for item in c.items(data, "families", "practice configuration"):
            if c.keys(item, {"id": True, "title": True, "source": True}, "family"):
                fid = c.ident(item, "id", "family")
                if fid in families:
                    c.add(line_of(item), f"family {fid!r} is listed twice",
                          "keep one entry per family id")
                families[fid] = Family(fid, c.text(item, "title", f"family {fid!r}"),
                                       c.source(item, f"family {fid!r}"))
        raw_flows = data.get("flows") or {}
        if not isinstance(raw_flows, dict):
            c.add(data.key_lines.get("flows"), "flows must be a mapping of flow id to settings")
        else:
            for flow_id, spec in raw_flows.items():
                if not c.keys(spec, FLOW_KEYS, f"practice settings of flow {flow_id!r}"):
                    continue
                flows[str(flow_id)] = _technique(c, library, str(flow_id), spec)
        raw_checks = data.get("checks") or {}
        if c.keys(raw_checks, {k: True for k in CHECKS}, "checks"):
            for cid in CHECKS:
                item = raw_checks.get(cid)
                if item is not None and c.keys(item, {"title": True, "passed": True,
                                                      "failed": True, "source": True},
                                               f"check {cid!r}"):
                    checks[cid] = Check(cid, c.text(item, "title", cid), c.text(item, "passed", cid),
                                        c.text(item, "failed", cid), c.source(item, f"check {cid!r}"))
        raw_weights = data.get("weights") or {}
        if c.keys(raw_weights, {p: True for p in PARTS}, "weights"):
            for part in PARTS:
                value = raw_weights.get(part)
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    c.add(getattr(raw_weights, "key_lines", {}).get(part, line_of(raw_weights)),
                          f"weight {part!r}: {value!r} is not a number of 0 or more",
                          "write a number, e.g. `15`")
                else:
                    weights[part] = float(value)
            if weights and not sum(weights.values()):
                c.add(line_of(raw_weights), "the weights add up to 0", "give some part a weight")
        raw_lines = data.get("lines") or {}
        if c.keys(raw_lines, {**{k: True for k in LINES}, **{k: False for k in LANGUAGES}},
                  "lines"):
            lines = _lines(c, raw_lines, "lines", library.youth_words if library else ())
            for lang in LANGUAGES:
                if raw_lines.get(lang) is not None and c.keys(
                        raw_lines[lang], {k: True for k in LINES}, f"lines.{lang}"):
                    lines_in[lang] = _lines(c, raw_lines[lang], f"lines.{lang}", ())
        raw_loss = data.get("labelled_rapport_loss", 3)
        if isinstance(raw_loss, bool) or not isinstance(raw_loss, int) or raw_loss < 0:
            c.add(data.key_lines.get("labelled_rapport_loss"),
                  "labelled_rapport_loss must be a whole number of 0 or more", "e.g. `3`")
        else:
            loss = raw_loss
    problems.extend(c.problems)
    words, found = load_words(root / "catalog" / "synonyms.yaml", library)
    problems.extend(found)
    labels, _, found = load_practice_words(root / "catalog" / "practice-words.yaml")
    problems.extend(found)
    languages: dict[str, Words] = {}
    for lang in LANGUAGES:
        other, found = load_words(root / "catalog" / f"synonyms-{lang}.yaml", library)
        problems.extend(found)
        their, spared, found = load_practice_words(
            root / "catalog" / f"practice-words-{lang}.yaml")
        problems.extend(found)
        translations = getattr(library, "translations", None)
        said = tuple(translations.words.get(lang, ())) if translations else ()
        languages[lang] = replace(other, labels=longest_first(said + their),
                                  not_labels=longest_first(spared))
    for lang, said in lines_in.items():   # the lines said in a language, checked in it
        for key, text in said.items():
            found = find_labels(text, languages[lang].labels, languages[lang].not_labels, True)
            if found:
                problems.append(Problem(str(path), _line_of_said(data, lang, key),
                                        f"lines.{lang}.{key} uses {', '.join(map(repr, found))}: "
                                        "said to a youth (DOMAIN.md section 10)",
                                        "use plain words"))
    if problems:
        raise ContentError(problems)
    youth = tuple(library.youth_words) if library is not None else ()
    words = replace(words, labels=tuple(dict.fromkeys(youth + labels)))
    return PracticeConfig(families, flows, checks, weights, loss, words, lines, path,
                          languages, lines_in)


def longest_first(words) -> tuple[str, ...]:
    """Folded, once each, longest first: "trata de personas" is found whole, not as "trata"."""
    return tuple(sorted(dict.fromkeys(fold(w) for w in words), key=len, reverse=True))


def _line_of_said(data, lang: str, key: str) -> int | None:
    raw = (data.get("lines") or {}).get(lang)
    return getattr(raw, "key_lines", {}).get(key, line_of(raw))


def _lines(c: Collector, raw, where: str, youth_words) -> dict[str, str]:
    """The probe and labelled lines, each checked for a labelling word."""
    out = {}
    for key in LINES:
        text = " ".join(c.text(raw, key, f"{where}.{key}", required=True).split())
        found = labelling_words(text, tuple(youth_words))
        if found:
            c.add(raw.key_lines.get(key), f"{where}.{key} uses "
                  f"{', '.join(map(repr, found))}: said to a youth (DOMAIN.md section 10)",
                  "use plain words")
        out[key] = text
    return out


def _technique(c: Collector, library, flow_id: str, spec: dict) -> FlowTechnique:
    lines = getattr(spec, "key_lines", {})
    flow = library.flows.get(flow_id) if library is not None else None
    if library is not None and flow is None:
        c.add(line_of(spec), f"practice settings for flow {flow_id!r}, which does not exist",
              flows_hint(flow_id, library.flows))

    def step(key: str) -> str:
        value = spec.get(key) or ""
        if value and flow is not None and value not in flow.by_id:
            c.add(lines.get(key), f"{flow_id}.{key}: no step {value!r} in the flow",
                  "name a step id of the flow")
        return str(value)

    def sections(key: str) -> tuple[str, ...]:
        value = spec.get(key) or []
        if not isinstance(value, list):
            c.add(lines.get(key), f"{flow_id}.{key} must be a list of section ids",
                  f"write `{key}: [section_id]`")
            return ()
        for sid in value:
            if flow is not None and sid not in flow.section_by_id:
                c.add(lines.get(key), f"{flow_id}.{key}: no section {sid!r} in the flow",
                      f"sections: {', '.join(s.id for s in flow.sections)}")
        return tuple(str(s) for s in value)

    return FlowTechnique(step("script_first"), sections("open_ended"), sections("specific"),
                         step("prior_incidents"), sections("rapport"))


def load_words(path: Path, library=None) -> tuple[Words, list[Problem]]:
    """The matcher's synonyms, other wordings of the questions, and follow-up probe words."""
    c = Collector(path)
    try:
        data = load_yaml(path, "synonym list")
    except ContentError as exc:
        return Words(), exc.problems
    out: dict[str, str] = {}
    phrasings: dict[str, tuple[str, ...]] = {}
    probes: dict[str, frozenset[str]] = {}
    ignore: tuple[str, ...] = ()
    keys = {"source": True, "groups": True, "ignore": False, "phrasings": False,
            "follow_up": False}
    if c.keys(data, keys, "synonym list"):
        c.source(data, "synonym list")
        groups = c.items(data, "groups", "synonym list")
        lines = getattr(groups, "item_lines", [])
        for i, group in enumerate(groups):
            line = lines[i] if i < len(lines) else None
            if not isinstance(group, list) or not group or not all(
                    isinstance(w, str) and w.strip() for w in group):
                c.add(line, "a synonym group must be a list of words or phrases",
                      "write it as `- [word, other word, a phrase]`")
                continue
            head = " ".join(group[0].lower().split())
            for word in group:
                word = " ".join(word.lower().split())
                if word in out and out[word] != head:
                    c.add(line, f"{word!r} is in two groups ({out[word]!r} and {head!r})",
                          "keep each word in one group")
                out[word] = head
        phrasings = _phrasings(c, data.get("phrasings"), library)
        raw_ignore = data.get("ignore") or []
        if not isinstance(raw_ignore, list) or not all(isinstance(w, str) and w.strip()
                                                       for w in raw_ignore):
            c.add(data.key_lines.get("ignore"), "ignore must be a list of words or phrases",
                  "write `ignore: [these days, lately]`")
        else:
            ignore = tuple(" ".join(w.lower().split()) for w in raw_ignore)
        probes = _probes(c, data.get("follow_up"))
    return Words(out, phrasings, probes.get("probes", frozenset()),
                 probes.get("with_pointer", frozenset()), probes.get("pointers", frozenset()),
                 probes.get("question_words", frozenset()), ignore=ignore), c.problems


def _phrasings(c: Collector, raw, library) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    lines = getattr(raw, "key_lines", {})
    if not isinstance(raw, dict):
        c.add(line_of(raw), "phrasings must map a step id to a list of other wordings",
              "write `open_staying: [\"where do you live\", ...]`")
        return {}
    steps = set().union(*(f.by_id for f in library.flows.values())) if library else None
    out = {}
    for sid, wordings in raw.items():
        if steps is not None and sid not in steps:
            c.add(lines.get(sid), f"phrasings: no question {sid!r} in any flow",
                  suggest(sid, steps) or "use a step id of a flow")
        if not isinstance(wordings, list) or not all(isinstance(w, str) and w.strip()
                                                     for w in wordings):
            c.add(lines.get(sid), f"phrasings.{sid} must be a list of wordings",
                  "write `- \"how are you doing\"` lines")
            continue
        out[str(sid)] = tuple(" ".join(w.split()) for w in wordings)
    return out


def _probes(c: Collector, raw) -> dict[str, frozenset[str]]:
    if raw is None:
        return {}
    spec = {"probes": True, "with_pointer": True, "pointers": True, "question_words": True}
    if not c.keys(raw, spec, "follow_up"):
        return {}
    out = {}
    for key in spec:
        items = raw.get(key)
        if not isinstance(items, list) or not all(isinstance(w, str) and w.strip() and
                                                   " " not in w.strip() for w in items):
            c.add(getattr(raw, "key_lines", {}).get(key, line_of(raw)),
                  f"follow_up.{key} must be a list of single words", "write `[more, happen]`")
            continue
        out[key] = frozenset(w.strip().lower() for w in items)
    return out


def load_practice_words(path: Path) -> tuple[tuple[str, ...], tuple[str, ...], list[Problem]]:
    """The words that label a youth when a trainee types them, beyond youth-words.yaml, and the
    everyday phrases (`except:`) in which one of them means something else."""
    c = Collector(path)
    try:
        data = load_yaml(path, "practice word list")
    except ContentError as exc:
        return (), (), exc.problems
    lists: dict[str, list[str]] = {"words": [], "except": []}
    if c.keys(data, {"source": True, "words": True, "except": False}, "practice word list"):
        c.source(data, "practice word list")
        for key, out in lists.items():
            if key not in data:
                continue
            for w in c.items(data, key, "practice word list"):
                if not isinstance(w, str) or not w.strip():
                    c.add(line_of(data.get(key)), f"{key}: {w!r} is not a word or phrase",
                          "write each word as text, e.g. `- pimp`")
                    continue
                out.append(" ".join(w.lower().split()))
    return tuple(lists["words"]), tuple(lists["except"]), c.problems
