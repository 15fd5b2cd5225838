"""F1: help for the screen the worker is on, with its keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown


class HelpScreen(ModalScreen[None]):
    HELP = "Help. **Escape** or **F1** closes it."
    BINDINGS = [Binding("escape,f1", "dismiss", "Close help", id="close_help")]

    def __init__(self, about: Screen):
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        text = getattr(self.about, "HELP", "") or "No help for this screen."
        keys = [f"| `{b.key}` | {b.description} |" for b in getattr(self.about, "BINDINGS", [])
                if isinstance(b, Binding) and b.description]
        keys += [f"| `{b.key}` | {b.description} |" for b in self.app.BINDINGS]
        table = "\n\n### Keys\n\n| key | what it does |\n|---|---|\n" + "\n".join(keys)
        with VerticalScroll(classes="dialog help"):
            yield Markdown(text + table)
