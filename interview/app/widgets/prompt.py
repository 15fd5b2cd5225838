"""The current step: what to say, the guidance for it, and how to answer.

One Static for the whole card (a styled Text), the notes field, and the key line: few widgets,
so the first screen is up fast and redrawing a step is cheap.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from interview.text import plain


class PromptCard(Vertical):
    """Shows one step: the text scrolls (arrow keys) while the notes and keys stay in view.

    The scrolling part takes the focus, so single-key answers reach the screen's bindings.
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="prompt-scroll"):
            yield Static(id="prompt-body")
        yield Input(placeholder="Notes: what was said, in their words", id="notes", compact=True)
        yield Static(id="prompt-keys")

    def focus(self, scroll_visible: bool = True):
        return self.query_one("#prompt-scroll").focus(scroll_visible)

    def show(self, *, where: str, text: str, guidance: str = "", terms: str = "",
             follow_up: str = "", cues: list[tuple[str, bool]] | None = None,
             notes: bool = False, keys: str = "", compact: bool = False) -> None:
        """Fill the card; every value is shown literally (content and typed text alike).
        `compact`: the guidance goes last, so on a small screen the cues stay in view."""
        body = Text()
        body.append(plain(where) + "\n", style="dim")
        body.append(plain(text), style="bold")
        if guidance and not compact:
            body.append("\n\n" + plain(guidance), style="italic dim")
        if terms:
            body.append("\n" + plain(terms), style="bold cyan")
        if follow_up:
            body.append("\n\n" + plain(follow_up))
        if cues:
            body.append("\n")
            for n, (label, ticked) in enumerate(cues, 1):
                body.append(f"\n{'[x]' if ticked else '[ ]'} {n} ", style="bold" if ticked else "")
                body.append(plain(label), style="" if ticked else "dim")
        if guidance and compact:
            body.append("\n\n" + plain(guidance), style="italic dim")
        self.query_one("#prompt-body", Static).update(body)
        self.query_one("#prompt-keys", Static).update(Text(plain(keys), style="dim"))
        self.query_one("#notes", Input).display = notes
        self.query_one("#prompt-scroll", VerticalScroll).scroll_home(animate=False)

    @property
    def text(self) -> str:
        """The card as plain text (what a youth looking at the screen could read)."""
        return "\n".join(str(self.query_one(f"#{w}", Static).render())
                         for w in ("prompt-body", "prompt-keys"))
