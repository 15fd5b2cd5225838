"""Pure rules: from what was recorded to findings, each with the evidence and source behind it.

`evaluate(library, record)` is the one entry point; the CLI, the app, practice mode and reports
all call it and never decide anything themselves.
"""

from interview.rules.findings import Findings, evaluate

__all__ = ["Findings", "declarations", "evaluate"]


def declarations() -> dict:
    """What the rules produce and read, for `validate` to hold against the catalogs
    (interview/content/crosscheck.py): each module declares its own, beside its logic."""
    from interview.rules import allegations, at_risk, csec_type, next_steps, response, screening

    return {
        "next_steps": next_steps.PRODUCES,
        "red_flags": frozenset(screening.RED_FLAG_CRITERIA),
        "at_risk_groups": dict(at_risk.NEEDED),
        "facts": frozenset(next_steps.FACTS + screening.FACTS + response.FACTS
                           + allegations.FACTS + csec_type.FACTS),
    }
