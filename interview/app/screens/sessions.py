"""Saved interviews: resume one, review a finished one, or delete one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from interview.errors import InterviewError


class SessionsScreen(Screen):
    HELP = """\
## Saved interviews

The list shows the kind of interview, when it started and last changed, and how many questions
were answered; no names and no answers. **Enter** resumes the highlighted one where it stopped
(a finished one opens its summary). **Delete** destroys it for good: its key is destroyed, so
nobody can read it again. **Escape** goes back.
"""
    BINDINGS = [
        Binding("delete,x", "delete", "Delete", id="delete_session"),
        Binding("escape", "app.pop_screen", "Back", id="back_home"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="sessions-list"):
            yield Static("Saved interviews", classes="dialog-title")
            yield OptionList(id="saved")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        from rich.text import Text

        from interview.text import plain

        menu = self.query_one(OptionList)
        menu.clear_options()
        try:
            sessions = self.app.store.list()
        except InterviewError as exc:  # the store's state cannot be read: say why
            sessions = []
            menu.add_option(Option(Text(plain(str(exc))), id="none", disabled=True))
        for s in sessions:
            when = s.updated.replace("T", " ")[:16]
            label = f"{s.flow:<15} last change {when} UTC · {s.answered} answered"
            label += f"  ({s.problem})" if s.problem else ""
            menu.add_option(Option(Text(plain(label)), id=s.id))  # text, never markup
        if not menu.option_count:
            menu.add_option(Option("No saved interviews yet.", id="none", disabled=True))
        else:
            menu.highlighted = 0
        menu.focus()

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

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.store.delete_session(session_id)
            except InterviewError as exc:
                self.notify(str(exc), severity="error", markup=False)
            self.refresh_list()

        self.app.push_screen(ConfirmScreen(
            "Delete this interview for good?",
            "Its key is destroyed: nobody, you included, can read it again.",
            yes="Delete", no="Keep it"), confirmed)
