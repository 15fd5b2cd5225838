"""The checklist of what the worker sees, open at any time, with a note per item.

The note being typed is shown together with the item it belongs to: the list keeps that item
highlighted and in view, and the note field sits under the list with the item's words above it,
so a note never goes to another item unseen. With a youth in the room each item is named by the
flow's plain hint, never by the chart's own label.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from interview.app.widgets.prompt import tick_mark
from interview.app.widgets.transcript import seen_words
from interview.errors import InterviewError
from interview.text import plain


LIST_KEYS = "Space tick · n note · Esc close"
# While the note is open every key is the note's: the line says so, and no longer offers `n`
NOTE_KEYS = "Typing writes the note · Enter or Esc saves it · Enter alone: no note"


class ObservationsScreen(ModalScreen[None]):
    HELP = """\
## What you see

Tick what you saw or noticed: **Space** or **Enter** ticks or unticks the highlighted item.
After a tick the note field opens under the list, with the item's words above it, and what you
type goes into the note: what exactly, and where, then **Enter** (Enter alone: no note).
**Escape** in the note saves what you typed, as Enter does; to drop it, clear the field first.
**n** writes or changes the note of a ticked item. **Escape** closes the list.
Each tick and note is recorded at once.
"""
    BINDINGS = [
        Binding("escape", "close", "Close", id="close_observations"),
        Binding("space", "toggle", "Tick / untick", id="toggle"),
        Binding("n", "note", "Note", id="observation_note"),
    ]

    def __init__(self, session, shown, youth_present: bool = False):
        super().__init__()
        self.session = session
        self.shown = shown
        self.youth_present = youth_present
        library = session.library
        items = [i.red_flag for s in session.flow.steps for i in s.items]
        self.items = items or list(library.red_flags)
        self.editing: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="observations"):
            yield Static("What you see or notice", classes="dialog-title")
            yield OptionList(*[Option(self.label(rf), id=rf) for rf in self.items],
                             id="checklist")
            with Vertical(id="note-panel"):
                yield Static(id="note-for")
                yield Input(placeholder="What exactly, where; then Enter", id="observation-note",
                            compact=True)
            yield Static(LIST_KEYS, id="observation-keys")

    def on_mount(self) -> None:
        self.query_one("#note-panel").display = False
        self.query_one(OptionList).focus()

    def words(self, red_flag: str) -> str:
        return self.shown(seen_words(self.session.library, self.session.flow, red_flag,
                                     self.youth_present))

    def label(self, red_flag: str) -> Text:
        seen = self.session.record.observations
        text = Text.assemble(tick_mark(red_flag in seen), " ", self.words(red_flag))
        if not self.youth_present:  # the flow's hint beside the chart's label
            item = self.session.flow.observation_items.get(red_flag)
            if item and item.hint:
                text.append(f"  {self.shown(item.hint)}", style="dim")
        if seen.get(red_flag):
            text.append(f"\n     note: {plain(self.shown(seen[red_flag]))}", style="italic")
        return text

    def redraw(self) -> None:
        menu = self.query_one(OptionList)
        for rf in self.items:
            menu.replace_option_prompt(rf, self.label(rf))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.toggle(event.option_id)

    def highlighted(self) -> str | None:
        menu = self.query_one(OptionList)
        return None if menu.highlighted is None else menu.get_option_at_index(menu.highlighted).id

    def action_toggle(self) -> None:
        if self.highlighted():
            self.toggle(self.highlighted())

    def toggle(self, red_flag: str) -> None:
        try:
            if red_flag in self.session.record.observations:
                self.session.unobserve(red_flag)
            else:
                self.session.observe(red_flag)
                self.open_note(red_flag)
        except InterviewError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self.redraw()

    def action_note(self) -> None:
        red_flag = self.highlighted()
        if red_flag in self.session.record.observations:
            self.open_note(red_flag)
        else:
            self.notify("Tick the item first (Space), then write its note.", markup=False)

    def open_note(self, red_flag: str) -> None:
        """The note field, under the list, saying which item it is for; the item stays
        highlighted and in view above it."""
        self.editing = red_flag
        menu = self.query_one(OptionList)
        menu.highlighted = self.items.index(red_flag)
        self.query_one("#note-for", Static).update(
            Text.assemble(("Note for: ", "bold"), self.words(red_flag)))
        self.query_one("#note-panel").display = True
        self.query_one("#observation-keys", Static).update(NOTE_KEYS)
        note = self.query_one("#observation-note", Input)
        note.value = self.session.record.observations.get(red_flag, "")
        self.set_focus(note)  # at once: the next key typed is the note's
        self.call_after_refresh(menu.scroll_to_highlight)

    def close_note(self) -> None:
        self.editing = None
        self.query_one("#note-panel").display = False
        self.query_one("#observation-keys", Static).update(LIST_KEYS)
        self.set_focus(self.query_one(OptionList))  # at once, before the note field is gone

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save_note(event.value)

    def save_note(self, typed: str) -> None:
        red_flag, note = self.editing, typed.strip()
        if red_flag and note != self.session.record.observations.get(red_flag, ""):
            try:
                self.session.observe(red_flag, note)
            except InterviewError as exc:
                self.notify(str(exc), severity="error", markup=False)
        self.close_note()
        self.redraw()

    def action_close(self) -> None:
        if self.editing:  # Escape from the note saves what was typed, as Enter does
            self.save_note(self.query_one("#observation-note", Input).value)
            return
        self.dismiss(None)
