"""Practice mode's own content: families, technique checks, weights (flows/catalog/practice.yaml)
and the matcher's synonyms (flows/catalog/synonyms.yaml), loaded with file:line problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from interview.content.loader import Collector
from interview.content.yamlsafe import line_of, load_yaml
from interview.errors import ContentError, Problem
from interview.paths import flows_dir

CHECKS = ("script_first", "open_before_specific", "prior_after_denial", "no_labels")
PARTS = ("red_flags", "at_risk", "determination", "disclosures", "csec_type", "next_steps",
         "technique")
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
    synonyms: dict[str, str] = field(default_factory=dict)   # word or phrase -> its group's first
    path: Path | None = None


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
            "labelled_rapport_loss": False}
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
        raw_loss = data.get("labelled_rapport_loss", 3)
        if isinstance(raw_loss, bool) or not isinstance(raw_loss, int) or raw_loss < 0:
            c.add(data.key_lines.get("labelled_rapport_loss"),
                  "labelled_rapport_loss must be a whole number of 0 or more", "e.g. `3`")
        else:
            loss = raw_loss
    problems.extend(c.problems)
    synonyms, found = load_synonyms(root / "catalog" / "synonyms.yaml")
    problems.extend(found)
    if problems:
        raise ContentError(problems)
    return PracticeConfig(families, flows, checks, weights, loss, synonyms, path)


def _technique(c: Collector, library, flow_id: str, spec: dict) -> FlowTechnique:
    lines = getattr(spec, "key_lines", {})
    flow = library.flows.get(flow_id) if library is not None else None
    if library is not None and flow is None:
        c.add(line_of(spec), f"practice settings for flow {flow_id!r}, which does not exist",
              f"flows: {', '.join(sorted(library.flows))}")

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


def load_synonyms(path: Path) -> tuple[dict[str, str], list[Problem]]:
    c = Collector(path)
    try:
        data = load_yaml(path, "synonym list")
    except ContentError as exc:
        return {}, exc.problems
    out: dict[str, str] = {}
    if c.keys(data, {"source": True, "groups": True}, "synonym list"):
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
    return out, c.problems
