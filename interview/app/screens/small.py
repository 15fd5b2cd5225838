"""A window too small to show the card: covered, so nothing is typed into a field out of sight
(the errors audit's B13: at 40x12 the notes field and the key line were below the window, and
what the worker typed went there unseen)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from interview.app.app import MIN_HEIGHT, MIN_WIDTH, too_small


class TooSmallScreen(Screen):
    """Says only that the window is too small; takes every key, and goes once it is larger."""

    HELP = ""
    BINDINGS = []

    def compose(self) -> ComposeResult:
        yield Static(f"This window is too small. Make it at least {MIN_WIDTH} columns by "
                     f"{MIN_HEIGHT} lines (80 by 24 is best) to go on.", id="too-small")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()

    def on_resize(self, event: events.Resize) -> None:
        self.leave_if_fits()

    def on_screen_resume(self) -> None:
        self.leave_if_fits()

    def leave_if_fits(self) -> None:
        if self.app.screen is self and not too_small(self.app.size):
            self.app.pop_screen()
