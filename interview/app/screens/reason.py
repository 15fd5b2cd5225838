"""Ask for the worker's reason when they confirm or reject a proposed finding."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ReasonScreen(ModalScreen[str | None]):
    HELP = "Type the reason (it is recorded with your decision) and **Enter**; **Escape** cancels."
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel_reason")]

    def __init__(self, question: str, optional: bool = False):
        """`optional`: an empty answer is fine (it returns ""); Escape still cancels (None)."""
        super().__init__()
        self.question = question
        self.optional = optional

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            yield Input(placeholder="A note" if self.optional else "Your reason", id="reason")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() or self.optional:
            self.dismiss(event.value.strip())
        else:
            self.notify("A reason is needed: it is recorded with your decision.")
