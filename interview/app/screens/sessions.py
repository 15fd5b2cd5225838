"""Saved interviews: resume one, review a finished one, or delete one.

The list is drawn at once from what the store keeps in the clear (the kind of interview, when,
how many answers). Then, since the store is unlocked, a worker thread decrypts each interview's
case facts to add what the worker recorded to tell two apart: the case number and the
interviewee's initials. Nothing of that is ever written in the clear; it is shown as text.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from interview.app.labels import case_label, local_time
from interview.app.widgets.footer import Footer
from interview.errors import InterviewError
from interview.text import plain


class SessionsScreen(Screen):
    HELP = """\
## Saved interviews

The list shows the kind of interview, when it last changed (local time) and how many questions
were answered, then, read from the encrypted interview, the case number and the interviewee's
initials if you recorded them in the case facts; never a name or an answer. **Enter** resumes
the highlighted one where it stopped (a finished one opens its summary). **Delete** destroys it
on this computer for good: its key is destroyed, so nobody can read it here again (a copy
already sent to the county with `sync` stays there). **Escape** goes back.
"""
    BINDINGS = [
        Binding("delete,x", "delete", "Delete", id="delete_session"),
        Binding("escape", "app.pop_screen", "Back", id="back_home"),
    ]

    def __init__(self):
        super().__init__()
        self.sessions = []
        self.labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="sessions-list"):
            yield Static("Saved interviews", classes="dialog-title")
            yield OptionList(id="saved")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()

    def option_text(self, s) -> Text:
        when = local_time(s.updated) if s.updated[:1].isdigit() else s.updated
        text = Text(f"{s.flow:<15} {when} · {s.answered} answered")
        label = self.labels.get(s.id)
        if label:
            text.append(f" · {plain(label)}", style="bold")
        if s.problem:
            text.append(f"  ({plain(s.problem)})", style="italic")
        return text

    def refresh_list(self) -> None:
        menu = self.query_one(OptionList)
        menu.clear_options()
        try:
            self.sessions = self.app.store.list()
        except InterviewError as exc:  # the store's state cannot be read: say why
            self.sessions = []
            menu.add_option(Option(Text(plain(str(exc))), id="none", disabled=True))
        for s in self.sessions:
            menu.add_option(Option(self.option_text(s), id=s.id))  # text, never markup
        if not menu.option_count:
            menu.add_option(Option("No saved interviews yet.", id="none", disabled=True))
        else:
            menu.highlighted = 0
            self.read_labels([s.id for s in self.sessions if not s.problem
                              and s.id not in self.labels])
        menu.focus()

    @work(thread=True, exclusive=True, group="session-labels")
    def read_labels(self, session_ids: list[str]) -> None:
        """Decrypt each interview's case facts, off the event loop (many interviews take a
        while), and show the case number and initials as they come."""
        from interview.engine.session import replay_record

        store, library = self.app.store, self.app.library
        for session_id in session_ids:
            try:
                log = store.open_session(session_id, writable=False)
                record = replay_record(library, log.flow, log.events)
                label = case_label(record.context)
                if record.reviews and record.reviews[-1].returned:  # interview/review.py
                    label = " · ".join(filter(None, (
                        label, f"RETURNED ({len(record.reviews[-1].returned)})")))
            except InterviewError:
                continue  # a damaged one is listed with its problem already
            if label:
                self.app.call_from_thread(self.show_label, session_id, label)

    def show_label(self, session_id: str, label: str) -> None:
        self.labels[session_id] = label
        menu = self.query_one(OptionList)
        for s in self.sessions:
            if s.id == session_id:
                menu.replace_option_prompt(session_id, self.option_text(s))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id != "none":
            self.app.resume_interview(event.option_id)

    def action_delete(self) -> None:
        from interview.app.screens.message import ConfirmScreen

        menu = self.query_one(OptionList)
        if menu.highlighted is None:
            return
        session_id = menu.get_option_at_index(menu.highlighted).id
        if session_id == "none":
            return
        if self.app.open_screen_for(session_id) is not None:
            self.notify("This interview is open (listed on the home screen): close it there "
                        "first.", severity="warning", markup=False)
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.store.delete_session(session_id)
            except InterviewError as exc:
                self.notify(str(exc), severity="error", markup=False)
            self.refresh_list()

        from interview.county.sync import county_copy_note

        note = county_copy_note(self.app.store)
        self.app.push_screen(ConfirmScreen(
            "Delete this interview for good?",
            "Its key on this computer is destroyed: nobody, you included, can read it here "
            "again." + (f" {note}" if note else ""),
            yes="Delete", no="Keep it"), confirmed)
