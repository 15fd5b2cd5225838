"""The youth's own words for people and places, recorded once and shown in later prompts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from interview.errors import InterviewError
from interview.text import plain


class TermsScreen(ModalScreen[None]):
    HELP = """\
## The youth's own words

Use the youth's words for people and places (a youth may say "boyfriend" or "daddy"; a
domestic worker may say "aunt"). Type what it stands for and their word, **Enter** after each.
Leave their word empty to forget one. **Escape** closes.
"""
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="close_terms")]

    def __init__(self, session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("The youth's own words", classes="dialog-title")
            yield Static(id="terms-list")
            yield Input(placeholder="Stands for (e.g. the person they stay with)", id="term-name")
            yield Input(placeholder="Their word (e.g. boyfriend)", id="term-word")

    def on_mount(self) -> None:
        self.redraw()
        self.query_one("#term-name").focus()

    def redraw(self) -> None:
        terms = self.session.record.terms
        text = Text("\n".join(f"{plain(word)}  ({plain(name)})" for name, word in terms.items())
                    or "None recorded yet.")
        self.query_one("#terms-list", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "term-name":
            self.query_one("#term-word").focus()
            return
        name = self.query_one("#term-name", Input)
        try:
            self.session.use_term(name.value, event.value)
        except InterviewError as exc:
            self.notify(str(exc), severity="error", markup=False)
            name.focus()
            return
        name.value = event.input.value = ""
        name.focus()
        self.redraw()
