"""Practice: the trainee states their determinations before the debrief (issue 14, item 2).

The score compares these with the scenario's key: At-Risk and its branch, the indicators, what
was disclosed, the response tier, the CSEC Type and when the child was exploited, the next steps
and their deadlines. Nothing is filled in for the trainee: the tool's own proposals from their
ticks are shown only in the debrief, as feedback.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import RadioButton, RadioSet, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from interview.app.widgets.footer import Footer
from interview.record import DISCLOSURE_FINDINGS
from interview.practice.scenario import NONE
from interview.content.vocabulary import labels
from interview.practice.score import BRANCH_LABELS, Determinations, deadline_of, deadlines
from interview.rules.csec_type import TYPE_BY_WHEN
from interview.text import plain

# Ids start with det- (app.tcss styles the hotline's #response). A next step's title may carry its clock ("Law enforcement, 24 h"): the list shows it without.
_CLOCK_SUFFIX = re.compile(r",?\s*(now|\d+\s*h)\s*$", re.IGNORECASE)
NOT_APPLICABLE = "n/a"


def step_label(library, sid: str) -> Text:
    """A next step as the list shows it: its title without the clock, and what it is."""
    spec = library.next_steps[sid]
    action = library.next_step_json(sid)["action"]
    title = _CLOCK_SUFFIX.sub("", spec.title)
    short = action if len(action) <= 90 else action[:88].rsplit(" ", 1)[0] + "…"
    text = Text(plain(title), style="bold")
    text.append(f": {plain(short)}")
    return text


class DeterminationsScreen(Screen[Determinations | None]):
    HELP = """\
## Your determinations

State what you conclude from the interview, as you would record it: the debrief scores these
against the scenario's key (the tool's own proposals from your ticks are shown there as
feedback, not scored). **Tab** moves between the parts; arrow keys and **Space** or **Enter**
choose. For each next step you choose that has a clock, pick its deadline below the list.
**ctrl+s** shows the debrief; **Escape** goes back to the interview.
"""
    BINDINGS = [
        Binding("ctrl+s", "done", "Debrief", priority=True, id="determinations_done"),
        Binding("escape", "back", "Back to the interview", id="determinations_back"),
    ]
    DEFAULT_CSS = """
    DeterminationsScreen VerticalScroll { padding: 0 1; }
    DeterminationsScreen .det-title { text-style: bold; margin-top: 1; }
    DeterminationsScreen .det-note { color: $text-muted; }
    DeterminationsScreen RadioSet { width: 100%; }
    DeterminationsScreen SelectionList { height: auto; max-height: 16; }
    DeterminationsScreen #deadlines Select { width: 100%; }
    """

    def __init__(self, library, scenario):
        super().__init__()
        self.library = library
        self.scenario = scenario
        self.steps = list(library.next_steps)

    def compose(self) -> ComposeResult:
        lib = self.library
        with VerticalScroll(id="determinations"):
            yield Static(f"PRACTICE (fictional) · {plain(self.scenario.title)}: your "
                         "determinations", classes="det-title", markup=False)
            yield Static("What you state here is what the debrief scores. ctrl+s: debrief.",
                         classes="det-note", markup=False)
            yield Static("At-Risk: one of A-C, or two of D-H", classes="det-title")
            with RadioSet(id="det-branch"):
                for value, label in BRANCH_LABELS.items():
                    yield RadioButton(label, name=value)
            yield Static("The At-Risk indicators you found", classes="det-title")
            yield SelectionList[str](*(Selection(Text(f"{x}. {plain(ind.label)}"), x)
                                       for x, ind in lib.at_risk.items()), id="det-indicators")
            yield Static("What was disclosed (none ticked: nothing)", classes="det-title")
            forms = labels("forms")
            yield SelectionList[str](*(Selection(forms[f], f) for f in DISCLOSURE_FINDINGS),
                                     id="det-disclosures")
            yield Static("The response tier", classes="det-title")
            with RadioSet(id="det-response"):
                for value, label in labels("response_tiers", "long").items():
                    yield RadioButton(label, name=value)
            yield Static("The CSEC Type", classes="det-title")
            with RadioSet(id="det-csec_type"):
                yield RadioButton("None", name=NONE)
                for value, label in labels("csec_types").items():
                    if value != "undetermined":
                        yield RadioButton(label, name=value)
            yield Static("For a victim type: when was the child exploited?", classes="det-title")
            with RadioSet(id="det-exploited_during"):
                yield RadioButton("Not a victim type", name=NOT_APPLICABLE)
                for value in TYPE_BY_WHEN:
                    yield RadioButton(labels("exploited_during", "says")[value].capitalize(),
                                      name=value)
            yield Static("The next steps", classes="det-title")
            yield SelectionList[str](*(Selection(step_label(lib, sid), sid) for sid in self.steps),
                                     id="det-next_steps")
            yield Static("Deadlines of the steps you chose", classes="det-title")
            yield Static("(none of the steps you chose has a clock)", id="no-deadlines",
                         classes="det-note")
            options = [(label, value) for value, label in deadlines(lib).items()]
            with Vertical(id="deadlines"):
                for sid in self.steps:
                    if deadline_of(lib.next_steps[sid].deadline, deadlines(lib)):
                        with Vertical(id=f"deadline-box-{sid}", classes="deadline-box"):
                            yield Static(step_label(lib, sid))
                            yield Select(options, prompt="By when?", id=f"deadline-{sid}")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#det-branch", RadioSet).focus()
        self.refresh_deadlines()

    # --- the deadlines follow the chosen steps ------------------------------------------------

    def clocked(self) -> list[str]:
        chosen = self.query_one("#det-next_steps", SelectionList).selected
        return [s for s in self.steps if s in chosen
                and deadline_of(self.library.next_steps[s].deadline, deadlines(self.library))]

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        if event.selection_list.id == "det-next_steps":
            self.refresh_deadlines()

    def refresh_deadlines(self) -> None:
        """Show the deadline of each chosen step that has a clock, and only those."""
        wanted = set(self.clocked())
        for box in self.query(".deadline-box"):
            box.display = box.id.removeprefix("deadline-box-") in wanted
        self.query_one("#no-deadlines").display = not wanted

    # --- done -----------------------------------------------------------------------------------

    def chosen(self, radio_id: str) -> str | None:
        button = self.query_one(f"#det-{radio_id}", RadioSet).pressed_button
        return button.name if button is not None else None

    def determinations(self) -> Determinations:
        steps = self.query_one("#det-next_steps", SelectionList).selected
        clocks = deadlines(self.library)
        stated = {}
        for sid in steps:
            found = self.query(f"#deadline-{sid}")
            value = found.first(Select).value if found else Select.BLANK
            stated[sid] = value if value in clocks else ""   # no clock, or none chosen
        when = self.chosen("exploited_during")
        return Determinations(
            self.chosen("branch"),
            frozenset(self.query_one("#det-indicators", SelectionList).selected),
            frozenset(self.query_one("#det-disclosures", SelectionList).selected),
            self.chosen("response"), self.chosen("csec_type"),
            None if when in (None, NOT_APPLICABLE) else when,
            stated)

    def action_done(self) -> None:
        mine = self.determinations()
        missing = [name for name, value in (("At-Risk", mine.branch), ("response", mine.response),
                                            ("CSEC Type", mine.csec_type)) if value is None]
        if missing and not getattr(self, "_warned", False):  # said once; ctrl+s again goes on
            self._warned = True
            self.notify("Not stated yet: " + ", ".join(missing) + ". Each scores nothing unless "
                        "you state it; ctrl+s again to go on anyway.", severity="warning",
                        markup=False)
            return
        self.dismiss(mine)

    def action_back(self) -> None:
        self.dismiss(None)
