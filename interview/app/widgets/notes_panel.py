"""The side panel: what the answers add up to so far, in codes a youth would not read as labels.

Hidden by default in a youth interview (the youth may see the screen). It uses chart row
numbers, the letters A-H and S/L/C; the legend is in the help (F1) and on the summary.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from interview.text import discreet, plain

FORMS = {"sex_trafficking": "S", "labor_trafficking": "L", "criminal_activity": "C"}


def _because(ev: dict) -> str:
    if ev["from"] == "observation":
        return "seen" + (f": {ev['note']}" if ev.get("note") else "")
    if ev["from"] == "override":
        return f"you: {ev.get('note', '')}"
    if ev["from"] == "cue":
        return ev.get("label", "")
    return f"{ev.get('step', '')}: {ev.get('answer', '')}"


class NotesPanel(VerticalScroll):
    can_focus = False

    def compose(self):
        yield Static(id="panel-body")

    def refresh_from(self, findings: dict, words: tuple[str, ...]) -> None:
        out = Text()
        out.append("Notes so far\n", style="bold")
        rows = findings["red_flags"]
        out.append(f"\nChart rows ({len(rows)})\n", style="bold")
        for rf in rows:
            out.append(f" #{rf['row']} {discreet(rf['label'], words)}\n")
            for ev in rf["evidence"][:2]:
                out.append(f"   · {discreet(plain(_because(ev)), words)}\n", style="dim")
        ar = findings["at_risk"]
        met = {"A-C": "met: one of A-C", "D-H": "met: two of D-H",
               "A-C+D-H": "met: A-C and D-H"}.get(ar["branch"] or "", "not met")
        out.append(f"\nA-H: {', '.join(ar['indicators']) or 'none'} ({met})\n", style="bold")
        for letter, evs in ar["evidence"].items():
            for ev in evs[:2]:
                out.append(f" {letter} · {discreet(plain(_because(ev)), words)}\n", style="dim")
        said = [code for kind, code in FORMS.items() if findings["disclosures"][kind]]
        out.append(f"\nS/L/C: {' '.join(said) or 'none'}\n", style="bold")
        steps = findings["next_steps"]
        if len(steps) > 1:
            out.append(f"\nNext steps: {len(steps)} (summary: ctrl+l)\n")
        self.query_one("#panel-body", Static).update(out)
