"""The At-Risk rule (001, CSEC Type 1; 003 "Youth At-Risk"): one of A-C, or two of D-H.

It is the caseworker's determination ("based upon the knowledge of the caseworker", 001): the
rules propose indicators from what the worker recorded, and the worker confirms or rejects each.
A red flag of the chart is never an indicator by itself; some are reasons to ask more (the
catalog's `prompted_by`).
"""

from __future__ import annotations

# The rule: how many indicators of each group meet the definition. Which letters are in each
# group is the catalog's (`group:` in flows/catalog/at-risk.yaml); `validate` checks that the
# catalog's groups are exactly these (interview/content/crosscheck.py).
NEEDED = {"A-C": 1, "D-H": 2}
_NUMBER = {1: "one", 2: "two"}


def groups(catalog) -> dict[str, frozenset[str]]:
    """The letters of each group, from the At-Risk catalog (letter -> indicator)."""
    return {group: frozenset(letter for letter, ind in catalog.items() if ind.group == group)
            for group in NEEDED}


def determine(indicators, catalog, grouped: dict[str, frozenset[str]] | None = None
              ) -> tuple[bool, str | None]:
    """Whether the definition is met by these letters, and by which branch of the rule.

    The branch is "A-C" (at least one of A-C), "D-H" (at least two of D-H), "A-C+D-H" when both
    hold, or None when the definition is not met. `grouped`: groups(catalog), when the caller
    keeps it.
    """
    letters = set(indicators)
    met = [group for group, letters_of in (grouped or groups(catalog)).items()
           if len(letters & letters_of) >= NEEDED[group]]
    branch = "+".join(met) or None
    return branch is not None, branch


def explain(indicators, branch: str | None, catalog,
            grouped: dict[str, frozenset[str]] | None = None) -> str:
    letters = sorted(set(indicators))
    of = {group: ", ".join(sorted(set(letters) & members))
          for group, members in (grouped or groups(catalog)).items()}
    if branch and "+" in branch:
        return "Met: " + ", and ".join(f"{of[g]} of {g}" for g in branch.split("+")) + "."
    if branch:
        return f"Met: at least {_NUMBER[NEEDED[branch]]} of {branch} ({of[branch]})."
    if letters:
        return (f"Not met: {', '.join(letters)} alone; the definition needs "
                + " or ".join(f"{_NUMBER[n]} of {g}" for g, n in NEEDED.items()) + ".")
    return "Not met: no At-Risk indicator was found."


def determination(met: bool, indicators, confirmed) -> str | None:
    """"confirmed" when the worker confirmed every indicator found, "proposed" otherwise, None
    when the definition is not met."""
    if not met:
        return None
    return "confirmed" if set(indicators) <= set(confirmed) else "proposed"


def ask_more(catalog, indicators, red_flags) -> list[dict]:
    """For each indicator not found, the red flags found that are reasons to ask about it."""
    out = []
    for letter, indicator in sorted(catalog.items()):
        if letter in indicators:
            continue
        flags = [rf for rf in indicator.prompted_by if rf in red_flags]
        if flags:
            out.append({"indicator": letter, "red_flags": flags, "ask": indicator.ask,
                        "note": f"Red flags, not indicator {letter} by themselves (001; 002, "
                                "Core Competencies, Competency 1: a combination of factors, "
                                "not one, signals risk)."})
    return out
