"""Hold the rules' declarations against the catalogs, both ways.

The rules declare what they produce and read, beside their logic (`interview.rules.declarations`:
next_steps.PRODUCES, screening.RED_FLAG_CRITERIA, at_risk.NEEDED, each module's FACTS). Here,
without importing the rules (content stays below them), each declaration is checked:

- every next step a rule can propose is in the next-step catalog, and every catalog step is one
  some rule proposes (else it is dead wording a worker never sees);
- every red flag a rule reads is in the chart;
- the At-Risk catalog's `group:` values are exactly the groups the rule counts, each with letters;
- every case fact a rule reads is a case fact the flows can record (model.FACT_TYPES).

One message per broken reference, naming the file, the id and the fix.
"""

from __future__ import annotations

from pathlib import Path

from interview.content import model as m
from interview.errors import Problem, suggest

RULES = {"next_steps": "interview/rules/next_steps.py (PRODUCES)",
         "red_flags": "interview/rules/screening.py (RED_FLAG_CRITERIA)",
         "at_risk_groups": "interview/rules/at_risk.py (NEEDED)",
         "facts": "the rules' FACTS (interview/rules/*.py)"}


def _line(path: Path, ident: str) -> int | None:
    """The line of `id: IDENT` in a catalog file, or None."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    needles = (f"id: {ident}", f"id: '{ident}'", f'id: "{ident}"')
    for number, text in enumerate(lines, 1):
        stripped = text.strip().lstrip("-{ ").rstrip()
        if any(stripped.startswith(n) and stripped[len(n):len(n) + 1] in ("", ",", " ", "}")
               for n in needles):
            return number
    return None


def crosscheck(declared: dict, catalog: Path, red_flags: dict[str, m.RedFlag],
               at_risk: dict[str, m.AtRiskIndicator],
               next_steps: dict[str, m.NextStepSpec]) -> list[Problem]:
    """Every broken reference between the rules' declarations and the catalogs in `catalog`."""
    problems: list[Problem] = []
    steps_file = catalog / "next-steps.yaml"
    if next_steps:
        for sid in sorted(declared["next_steps"] - set(next_steps)):
            problems.append(Problem(
                str(steps_file), None, f"the rules can propose next step {sid!r}, which the "
                "next-step catalog does not have",
                (suggest(sid, next_steps) + "; " if suggest(sid, next_steps) else "")
                + f"add `- id: {sid}` with its action, who, deadline and source, or remove it "
                f"from {RULES['next_steps']}"))
        for sid in sorted(set(next_steps) - declared["next_steps"]):
            problems.append(Problem(
                str(steps_file), _line(steps_file, sid), f"next step {sid!r} is one no rule "
                "proposes, so no worker would ever see it",
                f"remove it, or write the rule that proposes it in {RULES['next_steps']}"))
    flags_file = catalog / "red-flags.yaml"
    if red_flags:
        for rf in sorted(declared["red_flags"] - set(red_flags)):
            problems.append(Problem(
                str(flags_file), None, f"the rules read red flag {rf!r}, which the chart does "
                "not have", (suggest(rf, red_flags) or "add the row to the chart")
                + f", or change {RULES['red_flags']}"))
    risk_file = catalog / "at-risk.yaml"
    groups = declared["at_risk_groups"]
    for letter, indicator in sorted(at_risk.items()):
        if indicator.group not in groups:
            problems.append(Problem(
                str(risk_file), _line(risk_file, letter), f"indicator {letter}: group "
                f"{indicator.group!r} is not one the At-Risk rule counts "
                f"({', '.join(groups)})", suggest(indicator.group, groups)
                or f"write `group: {next(iter(groups))}` or another of {', '.join(groups)}"))
    if at_risk:
        for group in groups:
            if not any(i.group == group for i in at_risk.values()):
                problems.append(Problem(
                    str(risk_file), None, f"no indicator is in group {group!r}, which the "
                    f"At-Risk rule counts", f"give the indicators of {group} `group: {group}`"))
    for fact in sorted(declared["facts"] - set(m.FACT_TYPES)):
        problems.append(Problem(
            str(Path(m.__file__)), None, f"the rules read case fact {fact!r}, which no flow "
            "can record", (suggest(fact, m.FACT_TYPES) or "add it to FACT_TYPES")
            + f", or change {RULES['facts']}"))
    return problems
