"""Practice mode's start: the trainee's name and the scenario (all fictional)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from interview.app.widgets.footer import Footer
from interview.record import language_name
from interview.text import plain

CHOOSE = "Now choose the scenario: arrow keys, then Enter."


class PracticeStartScreen(Screen):
    HELP = """\
## Practice mode (CSEC 101)

Type your name (it goes into the class results, if the trainer keeps them), then choose a
scenario with the arrow keys and **Enter**. Every scenario is fictional: nothing you record in
practice mode is saved as a case.

In the practice interview you ask the questions, read the simulated replies, record the
answers and tick what you heard and saw, as in a real interview; at the end you state your
determinations and the debrief shows what you caught and missed. **ctrl+r** reopens the
debriefs you finished in this session.
"""
    BINDINGS = [
        Binding("escape", "back", "Back", id="practice_back"),
        Binding("ctrl+r", "debriefs", "Your debriefs", priority=True, id="practice_debriefs"),
        Binding("tab", "app.focus_next", "Next field", show=False, id="practice_next_field"),
    ]

    def __init__(self, config, scenarios: dict, scenario: str | None = None, results=None,
                 trainee: str = ""):
        super().__init__()
        self.config = config
        self.scenarios = scenarios
        self.chosen = scenario
        self.results = results
        self.trainee = trainee
        self.debriefs: list = []   # this session's finished practices (practice_debriefs.py)

    def compose(self) -> ComposeResult:
        kept = (f"Class results are kept (in {Path(self.results).name})." if self.results
                else "Class results are not kept (the trainer starts a class with --results FILE).")
        with Vertical(id="practice-start"):
            yield Static("Practice mode (CSEC 101)", id="home-title")
            yield Static("Fictional scenarios. Nothing you record here is saved as a case. "
                         + kept, id="practice-note", markup=False)
            yield Input(value=self.trainee, placeholder="Your name, then Enter",
                        id="trainee", max_length=80)
            yield Static(CHOOSE if self.trainee else "Type your name, then Enter.",
                         id="practice-hint")
            options = [Option(self.label(s), id=s.id) for s in ordered(self.scenarios)
                       if self.chosen in (None, s.id)]
            yield OptionList(*options, id="scenarios")
        yield Footer()

    def label(self, scenario) -> Text:
        """Its title, difficulty and who is interviewed: never its family ("Familial
        trafficking", "A control case"), which the debrief names (issue 14, item 8)."""
        text = Text(plain(scenario.title), style="bold")
        spoken = ("" if scenario.language == "en"
                  else f" · in {language_name(scenario.language)}")
        text.append(f"\n  {scenario.difficulty} · {scenario.audience} interview{spoken}",
                    style="dim")
        return text

    def on_mount(self) -> None:
        if self.trainee:
            self.query_one("#scenarios").focus()
        else:
            self.query_one("#trainee").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """The name is in: the trainee chooses the scenario next (and the screen says so)."""
        event.stop()
        self.set_focus(self.query_one("#scenarios"))
        self.query_one("#practice-hint", Static).update(CHOOSE)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from interview.app.screens.practice import PracticeScreen

        trainee = " ".join(self.query_one("#trainee", Input).value.split())
        if self.results and not trainee:
            self.notify("Type your name first: the class results need it.", severity="warning")
            self.query_one("#trainee").focus()
            return
        scenario = self.scenarios[event.option_id]
        self.app.push_screen(PracticeScreen(self.app.library, self.config, scenario, trainee,
                                            self.results, self.debriefs))

    def action_debriefs(self) -> None:
        from interview.app.screens.debrief import DebriefScreen
        from interview.app.screens.practice_debriefs import PracticeDebriefsScreen

        def reopen(kept) -> None:
            if kept is not None:
                self.app.push_screen(DebriefScreen(kept.text, kept.message))

        self.app.push_screen(PracticeDebriefsScreen(self.debriefs), reopen)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:   # opened from the home screen
            self.app.pop_screen()


def ordered(scenarios: dict) -> list:
    """Easiest first, then by title (the family stays hidden until the debrief)."""
    from interview.practice.scenario import DIFFICULTIES

    return sorted(scenarios.values(), key=lambda s: (DIFFICULTIES.index(s.difficulty), s.title))
