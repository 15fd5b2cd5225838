"""Practice mode's own app: the interview app with nothing that writes a file or opens the store.

`csec-interview practice start` runs it in a terminal and `practice serve` runs one per browser,
so anyone in a class (or anything that reaches the class server) drives it. What it may do is
therefore an allowlist, not the interview app minus a few things:

- it has no store, and refuses to be given one (the real encrypted store is never opened or
  created);
- it shows only the screens listed in `SAFE_SCREENS` (fictional practice, help, quick-hide,
  small dialogs): no export dialog, no saved interviews, no unlock screen, and no real interview
  screen a practice could be switched into; a screen that is not listed is refused with a
  message;
- it writes, delivers and saves nothing: no screenshot, no file delivery to the browser; the
  only file a practice process writes is the trainer's `--results` file, given on the command
  line (`PracticeScreen.end`);
- its command palette offers the current screen's keys and, of Textual's own commands, only
  those that change no file: the theme, the keys panel, maximize/minimize, quit (which ends
  this trainee's process, never the class server).
"""

from __future__ import annotations

from functools import partial
from typing import Iterable

from textual.app import SystemCommand
from textual.screen import Screen

from interview.app.app import InterviewApp

# Exact classes (module.name): a subclass of a listed screen must be listed itself.
SAFE_SCREENS = frozenset({
    "interview.app.screens.practice_start.PracticeStartScreen",
    "interview.app.screens.practice.PracticeScreen",
    "interview.app.screens.practice_summary.PracticeSummaryScreen",
    "interview.app.screens.practice_questions.PracticeQuestionsScreen",
    "interview.app.screens.debrief.DebriefScreen",
    "interview.app.screens.practice_determinations.DeterminationsScreen",
    "interview.app.screens.practice_debriefs.PracticeDebriefsScreen",
    "interview.app.screens.message.MessageScreen",
    "interview.app.screens.message.ConfirmScreen",
    "interview.app.screens.help.HelpScreen",
    "interview.app.screens.hidden.HiddenScreen",
    "interview.app.screens.sections.SectionsScreen",
    "interview.app.screens.observations.ObservationsScreen",
    "interview.app.screens.facts.FactsScreen",
    "interview.app.screens.terms.TermsScreen",
    "interview.app.screens.reason.ReasonScreen",
    "textual.command.CommandPalette",
})
# Actions refused whatever screen asks for them (keys, the palette, `run_action`).
REFUSED_ACTIONS = frozenset({"screenshot", "export", "push_screen", "switch_screen",
                             "switch_mode", "suspend_process"})
# Textual's own palette commands that change no file and leave the server alone.
SAFE_TEXTUAL_COMMANDS = frozenset({"Theme", "Maximize", "Minimize"})
REFUSED = "Not in practice mode: practice writes no files and opens no saved interviews."


def screen_name(screen: Screen) -> str:
    return f"{type(screen).__module__}.{type(screen).__qualname__}"


class PracticeApp(InterviewApp):
    """`csec-interview practice start|serve`: practice mode and nothing else."""

    def __init__(self, county: str | None = None, library=None, scenario: str | None = None,
                 results=None, trainee: str = ""):
        super().__init__(county=county, library=library, store=None, lock_minutes=0,
                         practice={"scenario": scenario, "results": results,
                                   "trainee": trainee})
        self.first_prompt_file = None  # scripts/bench.py's time stamp: no file from practice

    @property
    def store(self):
        return None

    @store.setter
    def store(self, value) -> None:
        if value is not None:
            raise ValueError("practice mode never uses the encrypted store")

    # --- screens ------------------------------------------------------------------------------

    def allowed(self, screen) -> bool:
        return isinstance(screen, Screen) and screen_name(screen) in SAFE_SCREENS

    def refuse(self) -> None:
        self.notify(REFUSED, severity="warning", markup=False)

    def push_screen(self, screen, *args, **kwargs):
        if not self.allowed(screen):
            self.refuse()
            return None
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen):
        if not self.allowed(screen):
            self.refuse()
            return None
        return super().switch_screen(screen)

    # --- actions and the command palette ------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in REFUSED_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            callback = command.callback
            if isinstance(callback, partial) and getattr(callback.func, "__name__", "") == \
                    "run_action":  # a key of the screen or the app, offered in the palette too
                action = str(callback.args[0]).rpartition(".")[2].split("(")[0]
                if action not in REFUSED_ACTIONS:
                    yield command
            elif command.title in SAFE_TEXTUAL_COMMANDS:
                yield command

    # --- nothing is written or delivered ------------------------------------------------------

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.refuse()

    def save_screenshot(self, *args, **kwargs) -> str:
        raise PermissionError(REFUSED)

    def deliver_screenshot(self, *args, **kwargs) -> None:
        self.refuse()
        return None

    def deliver_text(self, *args, **kwargs) -> None:
        self.refuse()
        return None

    def deliver_binary(self, *args, **kwargs) -> None:
        self.refuse()
        return None
