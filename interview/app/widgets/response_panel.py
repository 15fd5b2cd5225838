"""The hotline's side panel: the speed of the response, jurisdiction, the cross-reports and the
documentation, shown as soon as the answers so far settle them (the same findings `assess`
prints). No youth is present at the hotline, so it uses the legal terms.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from interview.content.vocabulary import labels

GROUPS = (("cross_report", "Cross-reports"), ("documentation", "Document"),
          ("response", "Also"))


def response_text(findings: dict, steps: bool = True) -> Text:
    """The response block: what is suspected, how fast, whose jurisdiction, and (with
    `steps`) the next steps' short names by kind."""
    out = Text()
    suspected = [name for key, name in labels("forms", "short").items()
                 if findings["suspected"][key]]
    out.append("Suspected  ", style="bold")
    out.append(", ".join(suspected) if suspected else "nothing yet", style="" if suspected
               else "dim")
    response = findings["response"]
    out.append("\nSpeed      ", style="bold")
    routed = response.get("hotline")  # started from a hotline screen that routed the referral
    if response["speed"] is None and routed and response.get("overruled"):
        out.append(f"no MDT tier: you found CSE not suspected (the hotline routed "
                   f"{routed['label']})", style="dim")
    elif response["speed"] is None and routed:
        out.append(f"{routed['label']}, as the hotline routed it on {routed['on']}", style="bold")
        out.append(f"\n {routed['deadline']}" if routed.get("deadline") else "", style="")
        out.append("\n (your own findings set no tier yet)", style="italic")
    elif response["speed"] is None:
        out.append("no MDT tier (CSE not suspected)" if suspected else "not known yet",
                   style="dim")
    else:
        out.append(response["label"].upper(), style="bold reverse" if
                   response["speed"] == "immediate_crisis" else "bold")
        out.append(f"\n {response['deadline']}", style="")
        if response["safety_concern"] is None:
            out.append("\n (ask about safety: it may be "
                       f"{labels('response_tiers')['immediate_crisis']})"
                       if response["speed"] == "initial_mdt" else "", style="italic")
    jurisdiction = findings["jurisdiction"]
    out.append("\nJurisdict. ", style="bold")
    out.append(jurisdiction["label"], style="dim" if jurisdiction["agency"] == "unknown" else "")
    if not steps:
        return out
    steps = findings["next_steps"]
    shown = {response.get("next_step")}
    for category, title in GROUPS:
        group = [s for s in steps if s.get("category") == category and s["id"] not in shown]
        if group:
            out.append(f"\n{title}", style="bold underline")
            for step in group:
                out.append(f"\n • {step.get('title') or step['id']}")
    others = [s for s in steps if s.get("category") not in {c for c, _ in GROUPS}]
    if others:
        out.append("\nNext steps", style="bold underline")
        for step in others:
            out.append(f"\n • {step.get('title') or step['id']}")
    return out


class ResponsePanel(VerticalScroll):
    """Handed the rules' `Findings` (a reactive), it redraws itself when they change."""

    can_focus = False
    findings = reactive(None, init=False)  # interview.rules.findings.Findings

    def __init__(self, library, **kwargs):
        super().__init__(**kwargs)
        self.library = library

    def compose(self):
        yield Static(id="response-body")

    def watch_findings(self, found) -> None:
        if found is None:
            return
        findings = found.as_json(self.library)
        out = Text("Response\n", style="bold")
        out.append_text(response_text(findings))
        rows = findings["red_flags"]
        counts = {mark: sum(1 for rf in rows if col in rf["columns"])
                  for col, mark in labels("columns", "letter").items()}
        # A flag can be in several columns: "Red flags 1: S1 L1 C1" read as three flags. The
        # columns' counts are of the flags counted first ("of 1"), on one line of the panel.
        out.append(f"\n\nRed flags {len(rows)}" + (
            ": " + " ".join(f"{k}{v}" for k, v in counts.items()) + f" of {len(rows)}"
            if rows else ""), style="bold")
        at_risk = findings["at_risk"]
        out.append(f"\nAt-Risk: {'met (' + at_risk['branch'] + ')' if at_risk['met'] else 'not met'}"
                   f"{' · ' + ', '.join(at_risk['indicators']) if at_risk['indicators'] else ''}")
        self.query_one("#response-body", Static).update(out)
