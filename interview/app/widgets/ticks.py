"""Tick boxes that read the same in every theme, and a yes / no / not recorded choice.

Textual's Checkbox draws the same "X" ticked or not and tells them apart by colour only, which
the light theme makes hard to see: `Tick` draws "x" when ticked and a blank when not.
`YesNo` is a case fact that may be yes, no, or not recorded (a checkbox can only say yes or
"not ticked", which reports then misread as "no").
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.style import Style
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Checkbox

from interview.app.keystrokes import Keystrokes, Stroke


class Tick(Checkbox):
    """A checkbox whose mark is there only when ticked."""

    @property
    def _button(self) -> Content:
        button_style = self.get_visual_style("toggle--button")
        side_style = Style(foreground=button_style.background,
                           background=self.background_colors[1])
        return Content.assemble((self.BUTTON_LEFT, side_style),
                                ("x" if self.value else " ", button_style),
                                (self.BUTTON_RIGHT, side_style))


CHOICES: tuple[tuple[bool | None, str], ...] = ((True, "yes"), (False, "no"),
                                                 (None, "not recorded"))


KEYS = {"y": True, "n": False, "u": None}


class YesNo(Widget, can_focus=True):
    """A yes/no fact that may also be left not recorded: y, n, or Backspace/Delete; the arrow
    keys and Space move between the three; a click picks one."""

    DEFAULT_CSS = """
    YesNo { height: 1; width: 1fr; }
    YesNo:focus { background: $boost; }
    """
    BINDINGS = [
        # y, n and u: on_key (a binding's action runs after the keys queued behind it)
        Binding("backspace,delete", "choose(None)", "Not recorded", show=False),
        Binding("left", "step(-1)", show=False),
        Binding("right,space", "step(1)", show=False),
    ]

    value: reactive[bool | None] = reactive(None)

    class Changed(Message):
        def __init__(self, widget: "YesNo", value: bool | None) -> None:
            super().__init__()
            self.widget, self.value = widget, value

    TYPING_HINT = ("A yes/no fact takes one key: y, n, or Backspace for not recorded. What was "
                   "typed was not recorded.")

    def __init__(self, value: bool | None = None, **kwargs):
        super().__init__(**kwargs)
        self.set_reactive(YesNo.value, value)
        self.strokes = Keystrokes()
        self._before = value  # the value before the key that began the word

    def on_key(self, event: events.Key) -> None:
        """A word typed into the wrong field ("unknown to anyone", "yesterday") is not a
        choice: its y, n and u set the fact, last letter winning ("unknown" recorded no, and a
        missing child's law-enforcement step went). From its second letter on, the fact goes
        back to what it was, the rest of the word is ignored (until a pause or another key),
        and the worker is told."""
        stroke = self.strokes.see(event)
        if stroke in (Stroke.WORD, Stroke.TYPING):
            if stroke is Stroke.WORD:
                self.value = self._before
                self.app.notify(self.TYPING_HINT, severity="warning", markup=False)
            event.prevent_default()
            event.stop()
        elif stroke is Stroke.KEY and not event.character.isspace():
            self._before = self.value
            if event.character in KEYS:
                self.value = KEYS[event.character]
                event.prevent_default()
                event.stop()

    def on_blur(self) -> None:
        self.strokes.reset()

    def render(self) -> Text:
        out = Text()
        for n, (value, word) in enumerate(CHOICES):
            chosen = self.value is value
            out.append(" " if n else "")
            out.append(f"({'•' if chosen else ' '}) {word}",
                       style="bold reverse" if chosen and self.has_focus else
                       "bold" if chosen else "dim")
        return out

    def watch_value(self, value: bool | None) -> None:
        self.post_message(self.Changed(self, value))

    def action_choose(self, value: bool | None) -> None:
        self.value = value

    def action_step(self, direction: int) -> None:
        values = [v for v, _ in CHOICES]
        index = next(i for i, v in enumerate(values) if v is self.value)
        self.value = values[(index + direction) % len(values)]

    def on_click(self, event: events.Click) -> None:
        # "( ) yes ( ) no ( ) not recorded": pick by where the click fell.
        offset, start = event.x, 0
        for n, (value, word) in enumerate(CHOICES):
            width = len(word) + 4 + (1 if n else 0)
            if offset < start + width:
                self.value = value
                return
            start += width

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
