"""Practice mode for CSEC 101: a simulated youth (or caregiver) to interview, and a debrief.

Practice drives the same `Session` and the same rules (`interview.rules.evaluate`) as a real
interview and decides nothing about findings itself: it supplies the simulated replies, matches
a trainee's own wording to the flow's questions, and compares the findings of what the trainee
recorded with the scenario's answer key. Nothing of practice mode goes to the encrypted store:
its sessions have no sinks, and only class results (trainee name, scenario, score, misses) are
kept, in a file the trainer chooses.

- `scenario`: the scenario files (flows/scenarios/*.yaml), loaded and validated;
- `config`: families, technique checks, score weights and the matcher's synonyms;
- `run`: one practice interview (the simulated replies, rapport, what was asked);
- `matcher`: a trainee's own question to the closest question of the flow;
- `score`: the debrief and its score; `selftest` of every scenario;
- `results`: class results (JSON Lines), exported as CSV or JSON.
"""

from __future__ import annotations

# `practice serve`: a CSEC 101 class; each practice process takes about 50 MB. Here, not in
# practice/cli.py, so the command line's parser does not import the practice CLI at start-up.
MAX_TRAINEES = 30


def load(library, root=None):
    """(config, scenarios) for a library, or ContentError naming every problem's file and line."""
    from interview.errors import ContentError
    from interview.practice.config import load_config
    from interview.practice.scenario import load_scenarios

    config = load_config(root, library)
    scenarios, problems = load_scenarios(library, config, root=root)
    if problems:
        raise ContentError(problems)
    return config, scenarios
