"""The home screen: what the worker can start."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option


class HomeScreen(Screen):
    HELP = """\
## Start

Choose what to start with the arrow keys and **Enter**, or press its letter.

- **Youth interview**: basic needs and rapport, the confidentiality script, then the questions.
- **Caregiver interview**: the framing, then the caregiver questions.
- **Hotline screen** (h): a call with a reporter; the speed of the response, jurisdiction,
  cross-reports and documentation as soon as they are known.
- **Back from running away** (b): the youth interview plus the time away (SB 794). A youth
  interview offers it too when the case facts record an absence with a return date.
- **Labor and criminal-activity checklists** (l): the worker's checklists on their own.

- **Resume or review** (r): saved interviews, to continue one or read its summary.

- **Practice mode** (p): CSEC 101 practice with a simulated youth or caregiver, and a
  debrief. Fictional; nothing of it is saved as a case.

Every answer is saved, encrypted, as it is recorded.

Anywhere: **F1** help, **ctrl+g** hides the screen at once (the same key brings it back),
**ctrl+p** the command palette, **ctrl+q** quit.
"""
    BINDINGS = [
        Binding("y", "start('youth')", "Youth", id="start_youth"),
        Binding("c", "start('caregiver')", "Caregiver", id="start_caregiver"),
        Binding("h", "start('hotline')", "Hotline", id="start_hotline"),
        Binding("b", "start('runaway-return')", "Runaway return", id="start_return"),
        Binding("l", "start('labor-criminal')", "Checklists", id="start_checklists"),
        Binding("r", "resume", "Saved", id="resume"),
        Binding("p", "practice", "Practice", id="practice"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static("Interview guide", id="home-title")
            yield Static("A guide for screening interviews, following county policy.",
                         id="home-subtitle")
            yield OptionList(
                Option("y  Youth interview", id="youth"),
                Option("c  Caregiver interview", id="caregiver"),
                Option("h  Hotline screen (a call with a reporter)", id="hotline"),
                Option("b  Back from running away (SB 794)", id="runaway-return"),
                Option("l  Labor and criminal-activity checklists", id="labor-criminal"),
                Option("r  Resume or review a saved interview" if self.app.store is not None
                       else "   Resume or review (saving is off)", id="resume",
                       disabled=self.app.store is None),
                Option("p  Practice mode (CSEC 101)", id="practice"),
                Option("F1 Help", id="help"),
                id="home-menu",
            )
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id == "help":
            self.app.action_help()
        elif event.option_id == "resume":
            self.action_resume()
        elif event.option_id == "practice":
            self.action_practice()
        elif event.option_id in ("youth", "caregiver", "hotline", "runaway-return",
                                 "labor-criminal"):
            self.action_start(event.option_id)

    def action_start(self, flow_id: str) -> None:
        self.app.start_interview(flow_id)

    def action_practice(self) -> None:
        self.app.start_practice()

    def action_resume(self) -> None:
        if self.app.store is not None:
            from interview.app.screens.sessions import SessionsScreen

            self.app.push_screen(SessionsScreen())
