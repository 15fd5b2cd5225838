"""The quick-hide screen: neutral, with nothing that hints at what is behind it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static


class HiddenScreen(Screen):
    HELP = ""
    BINDINGS = []

    def compose(self) -> ComposeResult:
        yield Static("Notes", id="hidden-title")
        yield Static("", id="hidden-body")
