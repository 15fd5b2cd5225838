"""Practice: the debrief, what was caught and missed against the answer key, and the score."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from interview.app.widgets.footer import Footer


class DebriefScreen(Screen):
    HELP = """\
## Debrief

Your findings against the scenario's answer key: red flags caught, missed (with where they
were) and wrongly marked; the At-Risk determination and its branch; the disclosures; the CSEC
Type; the next steps; your interviewing technique; the score and the teaching points, each
with its source. **PageUp**/**PageDown** or the arrow keys scroll; **Escape** finishes.
"""
    BINDINGS = [
        Binding("escape", "done", "Done", id="debrief_done"),
        Binding("pagedown", "scroll(1)", "Scroll", show=False, id="debrief_down"),
        Binding("pageup", "scroll(-1)", "Scroll up", show=False, id="debrief_up"),
    ]

    def __init__(self, text: str, kept: str):
        super().__init__()
        self.text, self.kept = text, kept

    def compose(self) -> ComposeResult:
        with Vertical(id="debrief"):
            yield Static(self.kept, id="debrief-kept", markup=False)
            with VerticalScroll(id="debrief-scroll"):
                yield Static(self.text, id="debrief-body", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#debrief-scroll").focus()

    def action_scroll(self, direction: int) -> None:
        view = self.query_one("#debrief-scroll", VerticalScroll)
        view.scroll_page_down() if direction > 0 else view.scroll_page_up()

    def action_done(self) -> None:
        self.dismiss(None)
