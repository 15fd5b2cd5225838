"""The current step: what to say, the guidance for it, and how to answer.

One Static for the whole card (a styled Text), the notes field, and the key line: few widgets,
so the first screen is up fast and redrawing a step is cheap. When the card's text is longer
than the room it has (a long script, five cues at 80x24), the key line says so and how to
scroll: nothing is cut off silently. The notes field is mounted when a step first needs it:
interviews open on steps without notes (the case facts, a script), and an Input is the costliest
of the card's widgets to style and draw (scripts/bench.py `tui_ratio`).
"""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Input, Static

from interview.text import plain

TICKED, UNTICKED = "[x]", "[ ]"


def tick_mark(ticked: bool) -> Text:
    """A tick box that reads the same in both themes: "[x]" in reverse video, or "[ ]"."""
    return Text(TICKED, style="bold reverse") if ticked else Text(UNTICKED)


class CardScroll(VerticalScroll):
    """The scrolling part of the card; it tells the card whether more is hidden below."""

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.tell_card()

    def on_resize(self) -> None:
        self.tell_card()

    def tell_card(self) -> None:
        if isinstance(self.parent, PromptCard):
            self.call_after_refresh(self.parent.update_more)


class CardBody(Static):
    """The card's text; when a step's text changes its height, what is out of view changes."""

    def on_resize(self) -> None:
        if isinstance(self.parent, CardScroll):
            self.parent.tell_card()


class PromptCard(Vertical):
    """Shows one step: the text scrolls (arrow keys, PageUp/PageDown) while the notes and keys
    stay in view.

    The scrolling part takes the focus, so single-key answers reach the screen's bindings.
    """

    more: reactive[str] = reactive("")  # "below", "above", "both" or "": what is out of view

    NOTES = "Notes: what was said, in their words"  # the notes field's placeholder
    WORKER_NOTES = "Notes"  # on a step for the worker alone, where nobody says anything

    @classmethod
    def notes_placeholder(cls, audience: str) -> str:
        """The notes field's placeholder on a step put to `audience`."""
        return cls.WORKER_NOTES if audience == "worker" else cls.NOTES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._keys = ""
        self._notes: Input | None = None
        self._card: dict = {}    # what `show` was given last, so a resize can redraw the cues
        self._drawn_width = 0    # the width the cues were wrapped at

    def compose(self) -> ComposeResult:
        with CardScroll(id="prompt-scroll"):
            yield CardBody(id="prompt-body")
        yield Static(id="prompt-keys")

    @property
    def notes(self) -> Input:
        """The notes field (#notes), between the text and the key line; mounted on first use."""
        if self._notes is None:
            self._notes = Input(placeholder=self.NOTES, id="notes", compact=True)
            self.mount(self._notes, before="#prompt-keys")
        return self._notes

    @property
    def typed(self) -> str:
        """What the notes field holds now (without mounting it)."""
        return self._notes.value if self._notes is not None else ""

    def set_notes(self, text: str) -> None:
        """Put `text` in the notes field (an empty field that is not there yet stays away)."""
        if text or self._notes is not None:
            self.notes.value = text

    def focus(self, scroll_visible: bool = True):
        """Focus the card now, not after the queued keys (Widget.focus is deferred): a key typed
        right after Enter goes where the next step wants it."""
        self.screen.set_focus(self.query_one("#prompt-scroll"), scroll_visible)
        return self

    def show(self, *, where: str, text: str, guidance: str = "", terms: str = "",
             follow_up: str = "", cues: list[tuple[str, bool]] | None = None,
             notes: bool = False, keys: str = "", compact: bool = False,
             reference: str = "", english: str = "", english_follow_up: str = "",
             mark: str = "", ticking: bool = False) -> None:
        """Fill the card; every value is shown literally (content and typed text alike).
        `compact`: the guidance goes last, so on a small screen the cues stay in view.
        `ticking`: the cues are being ticked, the question said: the English under a
        translation is left out, for the same reason.
        `reference`: the worker's reference, shown only when asked for (F2).
        In another language: `text` and `follow_up` are what to say, `english` and
        `english_follow_up` the English they translate (for the worker, under it, labelled
        EN), and `mark` a worker-only note on the first line (no translation: interpret)."""
        self._card = dict(where=where, text=text, guidance=guidance, terms=terms,
                          follow_up=follow_up, cues=cues, compact=compact, reference=reference,
                          english=english, english_follow_up=english_follow_up, mark=mark,
                          ticking=ticking)
        self.draw_body()
        self._keys = plain(keys)
        if notes or self._notes is not None:
            self.notes.display = notes
        self.query_one("#prompt-scroll", VerticalScroll).scroll_home(animate=False)
        self.update_keys()
        self.call_after_refresh(self.update_more)

    def cue_width(self) -> int:
        """The width a cue's label wraps at, so its continuation lines up under its words
        (before the first layout, when the card has no size yet, a guess: on_resize redraws)."""
        return max(20, (self.query_one("#prompt-scroll").size.width or 80) - 8)

    def draw_body(self) -> None:
        """Draw the card's text from what `show` was given last."""
        self._drawn_width = self.cue_width()
        self.query_one("#prompt-body", Static).update(self.body(self._drawn_width, **self._card))

    def body(self, width: int, *, where: str, text: str, guidance: str, terms: str,
             follow_up: str, cues: list[tuple[str, bool]] | None, compact: bool, reference: str,
             english: str, english_follow_up: str, mark: str, ticking: bool) -> Text:
        """The card's text, its cues wrapped at `width`."""
        body = Text()
        body.append(plain(where) + "\n", style="italic")
        if mark:  # its own line, whole: the worker must not miss it
            body.append(plain(mark), style="bold reverse")
            body.append("\n")
        body.append(plain(text), style="bold")
        # Ticking, the question has been said: its English is in the transcript, and the cues,
        # not the English, must fit at 80x24 (the audit: in Spanish the threat and force cues
        # were below the card). On a compact card (the hotline's, which opens on its cues
        # before the question is said) the English comes after the cues, for the same reason.
        english_after = compact and not ticking
        if english and not ticking and not english_after:
            body.append_text(self.english(english))
        if guidance and not compact:
            body.append("\n\n" + plain(guidance), style="italic")
        if terms:
            body.append("\n" + plain(terms), style="bold cyan")
        if follow_up:
            body.append("\n\n" + plain(follow_up))
        if english_follow_up and not ticking and not english_after:
            body.append_text(self.english(english_follow_up))
        if cues:
            body.append("\n")
            # A cue that wraps keeps its continuation under its words, not under the box.
            # Each cue shows the key that ticks it: the tenth is 0 (it showed 10, and typing 1
            # then 0 ticked the first cue as well as the tenth).
            for n, (label, ticked) in enumerate(cues, 1):
                body.append("\n")
                body.append_text(tick_mark(ticked))
                body.append(f" {n % 10} ", style="bold" if ticked else "")
                lines = textwrap.wrap(plain(label), width) or [""]
                body.append("\n      ".join(lines), style="bold" if ticked else "")
        if english_after and (english or english_follow_up):
            body.append("\n")
            for line in (english, english_follow_up):
                if line:
                    body.append_text(self.english(line))
        if guidance and compact:
            body.append("\n\n" + plain(guidance), style="italic")
        if reference:
            body.append("\n\nReference (F2 hides it)\n", style="bold underline")
            body.append(plain(reference))
        return body

    @staticmethod
    def english(text: str) -> Text:
        """The English under a translation, for the worker: not bold, labelled EN."""
        return Text.assemble("\n", ("EN", "reverse"), " ", (plain(text), "italic"))

    def on_resize(self) -> None:
        if self._card.get("cues") and self.cue_width() != self._drawn_width:
            self.draw_body()  # the cues were wrapped for another width (or before the layout)
        self.call_after_refresh(self.update_more)

    def update_more(self) -> None:
        """Say when part of the card is out of view (and how to see it)."""
        scroll = self.query_one("#prompt-scroll", VerticalScroll)
        below = scroll.scroll_y < scroll.max_scroll_y - 0.5
        above = scroll.scroll_y > 0.5
        self.more = "both" if below and above else "below" if below else \
            "above" if above else ""

    def watch_more(self) -> None:
        self.update_keys()

    def update_keys(self) -> None:
        line = Text(self._keys)
        hint = {"below": "↓ more below: PgDn", "above": "↑ more above: PgUp",
                "both": "↑↓ more: PgUp/PgDn"}.get(self.more)
        if hint:
            line = Text.assemble((hint, "bold reverse"), " ", line)
        self.query_one("#prompt-keys", Static).update(line)

    def scroll_page(self, direction: int) -> None:
        scroll = self.query_one("#prompt-scroll", VerticalScroll)
        scroll.scroll_page_down() if direction > 0 else scroll.scroll_page_up()

    @property
    def text(self) -> str:
        """The card as plain text (what a youth looking at the screen could read)."""
        return "\n".join(str(self.query_one(f"#{w}", Static).render())
                         for w in ("prompt-body", "prompt-keys"))
