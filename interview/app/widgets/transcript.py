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


SAID_LENGTH = 160


class Transcript(VerticalScroll):
    can_focus = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lines_said: list[str] = []  # what was written, for tests and later export
        self._text = Text()

    def compose(self) -> ComposeResult:
        yield Static(id="transcript-body")

    def on_mount(self) -> None:
        self.anchor()  # stay at the newest message as the transcript grows

    def _write(self, text: str, style: str = "") -> None:
        self.lines_said.append(text)
        self._text.append(text + "\n", style=style)
        self.query_one("#transcript-body", Static).update(self._text)

    def add(self, said: str, recorded: str) -> None:
        said = " ".join(plain(said).split())
        if len(said) > SAID_LENGTH:  # a long script is shown whole on the card, not here
            said = said[:SAID_LENGTH].rsplit(" ", 1)[0] + " …"
        self._write(said, "dim")
        self._write("    " + plain(recorded) + "\n")

    def note(self, text: str) -> None:
        self._write(plain(text), "dim italic")
