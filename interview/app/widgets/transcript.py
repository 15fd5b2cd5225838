"""The conversation so far: what the worker said and what was recorded.

One growing rich Text in one Static, not a widget per message, so the screen stays light. It is
built from Text objects only, so nothing typed is read as markup or escapes.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from interview.text import plain


class Transcript(VerticalScroll):
    can_focus = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lines_said: list[str] = []  # what was written, for tests and later export
        self._text = Text()

    def compose(self) -> ComposeResult:
        yield Static(id="transcript-body")

    def _write(self, text: str, style: str = "") -> None:
        self.lines_said.append(text)
        self._text.append(text + "\n", style=style)
        self.query_one("#transcript-body", Static).update(self._text)
        self.call_after_refresh(self.scroll_end, animate=False)

    def add(self, said: str, recorded: str) -> None:
        self._write(plain(said), "dim")
        self._write("    " + plain(recorded) + "\n")

    def note(self, text: str) -> None:
        self._write(plain(text), "dim italic")
