"""The home screen: what the worker can start, and the interviews open in this run."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from interview.app.labels import case_label
from interview.app.widgets.footer import Footer
from interview.record import language_name
from interview.text import plain

START = [("youth", "y  Youth interview"), ("caregiver", "c  Caregiver interview"),
         ("hotline", "h  Hotline screen (a call with a reporter)"),
         ("runaway-return", "b  Back from running away (SB 794)"),
         ("labor-criminal", "l  Checklists: work, and things done for others")]


class HomeScreen(Screen):
    HELP = """\
## Start

Choose what to start with the arrow keys and **Enter**, or press its letter.

- **Youth interview**: basic needs and rapport, the confidentiality script, then the questions.
- **Caregiver interview**: the framing, then the caregiver questions.
- **Hotline screen** (h): a call with a reporter; the speed of the response, jurisdiction,
  cross-reports and documentation as soon as they are known.
- **Back from running away** (b): the youth interview plus the time away (SB 794). A youth
  interview offers it too when the case facts record an absence with a return date.
- **Checklists: work, and things done for others** (l): the labor and criminal-activity
  checklists on their own.

- **Open now**: the interviews open in this run (**F3** in an interview comes here and keeps it
  open). **Enter** goes back to one; **x** closes it (it stays saved).
- **Resume or review** (r): saved interviews, to continue one or read its summary.
- **F4**: the language the next interview starts in (what is said to the youth, caregiver
  or reporter: English or Spanish). In an interview, F4 switches it at any point; guidance,
  findings and reports stay in English.

- **Practice mode** (p): CSEC 101 practice with a simulated youth or caregiver, and a
  debrief. Fictional; nothing of it is saved as a case.

Every answer is saved, encrypted, as it is recorded.

The county (its hotline, court, advocacy provider and confidentiality script) is chosen when
the app starts: `csec-interview --county los-angeles` (or `orange`, or the path of a county
file), or the `CSEC_INTERVIEW_COUNTY` environment variable. The home screen says which is in use.

Nothing on this screen labels a youth: it may be seen by one, between interviews.

Anywhere: **F1** help, **ctrl+g** hides the screen at once (the same key brings it back),
**ctrl+p** the command palette, **ctrl+q** quit (it asks first while an interview is open).
"""
    BINDINGS = [
        # The list above names each with its letter: in the footer they cut off the rest at 80
        # columns (Saved, Practice, Help).
        Binding("y", "start('youth')", "Youth", id="start_youth", show=False),
        Binding("c", "start('caregiver')", "Caregiver", id="start_caregiver", show=False),
        Binding("h", "start('hotline')", "Hotline", id="start_hotline", show=False),
        Binding("b", "start('runaway-return')", "Back from away", id="start_return",
                show=False),
        Binding("l", "start('labor-criminal')", "Checklists", id="start_checklists",
                show=False),
        Binding("r", "resume", "Saved", id="resume"),
        Binding("p", "practice", "Practice", id="practice"),
        Binding("x", "close_open", "Close open", id="close_open", show=False),
        Binding("f4", "language", "Language", id="home_language", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static("Interview guide", id="home-title")
            yield Static(self.subtitle(), id="home-subtitle")
            yield OptionList(id="home-menu")
        yield Footer()

    def subtitle(self) -> Text:
        """Which county's names, numbers and script are in use (configuration, not code)."""
        from interview.errors import InterviewError

        text = "A guide for screening interviews, following county policy."
        try:
            county = self.app.library.county
        except InterviewError:
            return Text(text, justify="center")
        where = (f"County: {county.name}" if county.id != "default" else
                 "County: not chosen (F1 says how)")
        spoken = f"Interviews start in {language_name(self.app.lang)} (F4 changes it)"
        return Text(f"{text}\n{where}\n{spoken}", justify="center")

    def on_mount(self) -> None:
        self.rebuild()

    def on_screen_resume(self) -> None:
        self.rebuild()

    def open_options(self) -> list[Option]:
        options = []
        for n, screen in enumerate(self.app.open_screens):
            label = case_label(screen.session.record.context)
            text = Text(f"→  {screen.flow.title}", style="bold")
            text.append(plain(f" · {label}" if label else ""))
            text.append(plain(f" · {screen.position}"), style="dim")
            if screen.saved_id is None:
                text.append(" · not saved", style="bold")
            options.append(Option(text, id=f"open:{n}"))
        return options

    def rebuild(self) -> None:
        menu = self.query_one(OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        opened = self.open_options()
        if opened:
            menu.add_option(Option(Text("Open now (Enter: go back to it · x: close it)",
                                        style="italic"), id="open-title", disabled=True))
            menu.add_options(opened)
            menu.add_option(None)
        menu.add_options([Option(label, id=flow) for flow, label in START])
        menu.add_options([
            Option("r  Resume or review a saved interview" if self.app.store is not None
                   else "   Resume or review (saving is off)", id="resume",
                   disabled=self.app.store is None),
            Option("p  Practice mode (training)", id="practice"),
            Option("F1 Help", id="help"),
        ])
        if highlighted is not None and highlighted < menu.option_count:
            menu.highlighted = highlighted
        else:
            menu.highlighted = 1 if opened else 0
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option_id or ""
        if option_id == "help":
            self.app.action_help()
        elif option_id == "resume":
            self.action_resume()
        elif option_id == "practice":
            self.action_practice()
        elif option_id.startswith("open:"):
            screen = self.opened(option_id)
            if screen is not None:
                self.app.switch_to(screen)
        elif option_id in dict(START):
            self.action_start(option_id)

    def opened(self, option_id: str):
        index = int(option_id.split(":", 1)[1])
        screens = self.app.open_screens
        return screens[index] if index < len(screens) else None

    def action_start(self, flow_id: str) -> None:
        self.app.start_interview(flow_id)

    def action_language(self) -> None:
        """F4: the language the next interview starts in (said to the youth, caregiver or
        reporter)."""
        from interview.errors import InterviewError

        try:
            self.app.lang = self.app.next_language(self.app.lang)
        except InterviewError as exc:  # content that does not load: said when starting too
            self.notify(str(exc), severity="error", markup=False)
            return
        self.query_one("#home-subtitle", Static).update(self.subtitle())

    def action_practice(self) -> None:
        self.app.start_practice()

    def action_resume(self) -> None:
        if self.app.store is not None:
            from interview.app.screens.sessions import SessionsScreen

            self.app.push_screen(SessionsScreen())

    def action_close_open(self) -> None:
        """Close the highlighted open interview: saved ones stay in the saved list; one kept
        in memory only is lost, so that asks first."""
        from interview.app.screens.message import ConfirmScreen

        menu = self.query_one(OptionList)
        if menu.highlighted is None:
            return
        option_id = menu.get_option_at_index(menu.highlighted).id or ""
        if not option_id.startswith("open:"):
            self.notify("Highlight an open interview (at the top) to close it.", markup=False)
            return
        screen = self.opened(option_id)
        if screen is None:
            return

        def close(yes: bool | None = True) -> None:
            if yes:
                self.app.close_interview(screen)
                self.rebuild()

        if screen.loses_on_close:
            self.app.push_screen(ConfirmScreen(
                "Close this interview?", "It is not saved: closing it loses what was recorded.",
                yes="Close", no="Keep it"), close)
        else:
            close()
