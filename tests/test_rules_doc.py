"""docs/rules.md is the one place to review the rules: it must list every mapping to an At-Risk
letter the flows make (and no mapping they no longer make), every next step of the catalog, and
only tests that exist. A rule changed without its page fails here."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

DOC = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def flow_mappings(library) -> set[tuple[str, str, str]]:
    """(letter, file, "step · cue" or "step answer yes") for every mapping to A-H."""
    out = set()
    for flow_id, flow in library.flows.items():
        for step in flow.steps:
            name = Path(step.origin).name if step.origin else f"{flow_id}.yaml"
            where = ("flows/parts/" if step.origin and "/parts/" in step.origin else "flows/") + name
            for answer, ind in (("yes", step.indicates_on_yes), ("no", step.indicates_on_no)):
                out |= {(x, where, f"`{step.id}` answer **{answer}**") for x in ind.at_risk}
            for cue in step.cues:
                out |= {(x, where, f"`{step.id}` · `{cue.id}`") for x in cue.indicates.at_risk}
            for item in step.items:
                out |= {(x, where, f"item `{item.red_flag}`") for x in item.indicates.at_risk}
    return out


def doc_mappings() -> set[tuple[str, str, str]]:
    out, letter = set(), None
    for line in DOC.splitlines():
        heading = re.match(r"^#### ([A-H])$", line)
        if heading:
            letter = heading.group(1)
        elif letter and line.startswith("| flows/"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            out.add((letter, cells[0], cells[1]))
        elif line.startswith("#") and not heading:
            letter = None
    return out


def test_every_mapping_to_an_at_risk_letter_is_in_the_rules_page(library):
    in_flows, in_doc = flow_mappings(library), doc_mappings()
    assert not in_flows - in_doc, f"not in docs/rules.md: {sorted(in_flows - in_doc)}"
    assert not in_doc - in_flows, f"in docs/rules.md but not in the flows: {sorted(in_doc - in_flows)}"


def test_every_next_step_has_its_rule_on_the_page(library):
    missing = [sid for sid in library.next_steps if f"`{sid}`" not in DOC]
    assert not missing, missing


def test_every_test_the_page_names_exists():
    names = set(re.findall(r"`(test_\w+\.py)(?:::(test_\w+))?`", DOC))
    names |= {(None, t) for t in re.findall(r"`(test_\w+)`", DOC)}
    sources = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py")}
    everything = "\n".join(sources.values())
    for file, test in names:
        if file:
            assert file in sources, file
            if test:
                assert f"def {test}(" in sources[file], f"{file}::{test}"
        elif test:
            assert f"def {test}(" in everything, test
