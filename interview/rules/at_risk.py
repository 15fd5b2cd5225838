"""The At-Risk rule (001, CSEC Type 1; 003 "Youth At-Risk"): one of A-C, or two of D-H.

It is the caseworker's determination ("based upon the knowledge of the caseworker", 001): the
rules propose indicators from what the worker recorded, and the worker confirms or rejects each.
A red flag of the chart is never an indicator by itself; some are reasons to ask more (the
catalog's `prompted_by`).
"""

from __future__ import annotations

FIRST_GROUP = frozenset("ABC")
SECOND_GROUP = frozenset("DEFGH")


def determine(indicators) -> tuple[bool, str | None]:
    """Whether the definition is met by these letters, and by which branch of the rule.

    The branch is "A-C" (at least one of A-C), "D-H" (at least two of D-H), "A-C+D-H" when both
    hold, or None when the definition is not met.
    """
    letters = set(indicators)
    first = bool(letters & FIRST_GROUP)
    second = len(letters & SECOND_GROUP) >= 2
    branch = "A-C+D-H" if first and second else "A-C" if first else "D-H" if second else None
    return branch is not None, branch


def explain(indicators, branch: str | None) -> str:
    letters = sorted(set(indicators))
    if branch == "A-C+D-H":
        return (f"Met: {', '.join(sorted(set(letters) & FIRST_GROUP))} of A-C, and "
                f"{', '.join(sorted(set(letters) & SECOND_GROUP))} of D-H.")
    if branch == "A-C":
        return f"Met: at least one of A-C ({', '.join(sorted(set(letters) & FIRST_GROUP))})."
    if branch == "D-H":
        return f"Met: at least two of D-H ({', '.join(sorted(set(letters) & SECOND_GROUP))})."
    if letters:
        return (f"Not met: {', '.join(letters)} alone; the definition needs one of A-C "
                "or two of D-H.")
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
