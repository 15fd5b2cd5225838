"""The side panel: what the answers add up to so far.

With the person interviewed in the room (a youth, or a caregiver: hidden by default there,
ctrl+f) it shows codes only, nothing they could read as a label or as what the worker noted
about them: chart row numbers with the columns they belong to (S, L, C), the letters A-H and
S/L/C for what was disclosed, and how many answers are behind each; the legend is in the help
(F1) and the summary. With no one in the room (practice, a call) it gives the chart's labels
and what each rests on.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from interview.content.vocabulary import labels
from interview.text import plain



def _because(ev: dict) -> str:
    if ev["from"] == "observation":
        return "seen" + (f": {ev['note']}" if ev.get("note") else "")
    if ev["from"] == "override":
        return f"you: {ev.get('note', '')}"
    if ev["from"] == "cue":
        return ev.get("label", "")
    return f"{ev.get('question') or ev.get('step', '')}: {ev.get('answer', '')}"  # words, not ids


def panel_text(findings: dict, codes_only: bool) -> Text:
    out = Text()
    out.append("Notes so far\n", style="bold")
    # What adds up first (At-Risk, what was disclosed), then the chart rows: at 80x24 a long
    # list of rows hid these two lines below the panel's fold, where no key reaches.
    ar = findings["at_risk"]
    met = {"A-C": "met: one of A-C", "D-H": "met: two of D-H",
           "A-C+D-H": "met: A-C and D-H"}.get(ar["branch"] or "", "not met")
    out.append(f"\nA-H: {', '.join(ar['indicators']) or 'none'} ({met})\n", style="bold")
    for letter, evs in ar["evidence"].items():
        if codes_only:
            out.append(f" {letter} ×{len(evs)}\n", style="dim")
            continue
        for ev in evs[:2]:
            out.append(f" {letter} · {plain(_because(ev))}\n", style="dim")
    said = [code for kind, code in labels("forms", "letter").items() if findings["disclosures"][kind]]
    out.append(f"\nS/L/C: {' '.join(said) or 'none'}\n", style="bold")
    rows = findings["red_flags"]
    out.append(f"\nChart rows ({len(rows)})\n", style="bold")
    for rf in rows:
        columns = "".join(code for col, code in labels("columns", "letter").items() if col in rf["columns"])
        if codes_only:
            out.append(f" #{rf['row']:<3}{columns:<4}×{len(rf['evidence'])}\n")
            continue
        out.append(f" #{rf['row']} {plain(rf['label'])}\n")
        for ev in rf["evidence"][:2]:
            out.append(f"   · {plain(_because(ev))}\n", style="dim")
    steps = findings["next_steps"]
    if len(steps) > 1:
        out.append(f"\nNext steps: {len(steps)} (summary: ctrl+l)\n")
    return out


class NotesPanel(VerticalScroll):
    """Handed the rules' `Findings` (a reactive), it redraws itself when they change."""

    can_focus = False
    findings = reactive(None, init=False)  # interview.rules.findings.Findings

    def __init__(self, library, codes_only: bool, **kwargs):
        super().__init__(**kwargs)
        self.library = library
        self.codes_only = codes_only

    def compose(self):
        # Findings handed over before the panel had composed (it is mounted when first asked
        # for, and a refresh can come first) are drawn here; later ones by watch_findings.
        yield Static(self.text(), id="panel-body")

    def text(self):
        findings = self.findings
        return "" if findings is None else panel_text(findings.as_json(self.library),
                                                      self.codes_only)

    def watch_findings(self, findings) -> None:
        bodies = self.query("#panel-body")
        if bodies:
            bodies.first().update(self.text())
