"""Pure rules: from what was recorded to findings, each with the evidence and source behind it.

`evaluate(library, record)` is the one entry point; the CLI, the app, practice mode and reports
all call it and never decide anything themselves.
"""

from interview.rules.findings import Findings, evaluate

__all__ = ["Findings", "evaluate"]
