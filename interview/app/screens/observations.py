"""The checklist of what the worker sees, open at any time, with a note per item."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from interview.errors import InterviewError
from interview.text import plain


class ObservationsScreen(ModalScreen[None]):
    HELP = """\
## What you see

Tick what you saw or noticed: **Space** or **Enter** ticks or unticks the highlighted item;
after ticking, type a note (what exactly, where) and **Enter**. **Escape** closes the list.
Each tick is recorded at once.
"""
    BINDINGS = [
        Binding("escape", "close", "Close", id="close_observations"),
        Binding("space", "toggle", "Tick / untick", id="toggle"),
    ]

    def __init__(self, session, shown):
        super().__init__()
        self.session = session
        self.shown = shown
        library = session.library
        items = [(i.red_flag, i.hint) for s in session.flow.steps for i in s.items]
        self.items = items or [(rf, "") for rf in library.red_flags]
        self.editing: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("What you see or notice", classes="dialog-title")
            yield OptionList(*[Option(self.label(rf, hint), id=rf) for rf, hint in self.items],
                             id="checklist")
            yield Input(placeholder="Note for the ticked item, then Enter", id="observation-note")

    def on_mount(self) -> None:
        self.query_one("#observation-note").display = False
        self.query_one(OptionList).focus()

    def label(self, red_flag: str, hint: str) -> Text:
        seen = self.session.record.observations
        mark = "[x]" if red_flag in seen else "[ ]"
        text = Text(f"{mark} {self.shown(self.session.library.red_flags[red_flag].label)}")
        if hint:
            text.append(f"  {self.shown(hint)}", style="dim")
        if seen.get(red_flag):
            text.append(f"\n     note: {plain(seen[red_flag])}", style="italic")
        return text

    def redraw(self) -> None:
        menu = self.query_one(OptionList)
        for rf, hint in self.items:
            menu.replace_option_prompt(rf, self.label(rf, hint))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.toggle(event.option_id)

    def action_toggle(self) -> None:
        menu = self.query_one(OptionList)
        if menu.highlighted is not None:
            self.toggle(menu.get_option_at_index(menu.highlighted).id)

    def toggle(self, red_flag: str) -> None:
        try:
            if red_flag in self.session.record.observations:
                self.session.unobserve(red_flag)
            else:
                self.session.observe(red_flag)
                self.editing = red_flag
                note = self.query_one("#observation-note", Input)
                note.value, note.display = "", True
                note.focus()
        except InterviewError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self.redraw()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.editing and event.value.strip():
            try:
                self.session.observe(self.editing, event.value.strip())
            except InterviewError as exc:
                self.notify(str(exc), severity="error", markup=False)
        self.editing = None
        event.input.display = False
        self.redraw()
        self.query_one(OptionList).focus()

    def action_close(self) -> None:
        if self.editing:  # Escape from the note: keep the tick, drop the note
            self.editing = None
            self.query_one("#observation-note").display = False
            self.query_one(OptionList).focus()
            return
        self.dismiss(None)
