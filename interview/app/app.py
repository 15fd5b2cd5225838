"""The worker's interview app: a Textual front end over the headless engine.

The app never decides anything itself: every answer goes through `Session`, every finding comes
from `interview.rules`. Screens are imported when first shown, so the first screen is up fast.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from functools import partial
from typing import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

QUICK_HIDE_KEY = "ctrl+g"


def resume_gc() -> None:
    """The first screen is drawn: what start-up built (modules, the content, the stylesheet)
    lives as long as the app, so it is set aside from garbage collection (`gc.freeze`), which
    then only looks at what is made from here on, and collection resumes. (The little garbage
    start-up left, about 2,000 objects, is set aside with it: collecting it would take a full
    pass over some 55,000 objects, about 50 ms.)"""
    gc.freeze()
    gc.enable()


# The smallest window the screens are laid out for (README: 80x24 and larger) leaves room for a
# little less; below this the card, the notes field or the key line do not fit.
MIN_WIDTH, MIN_HEIGHT = 60, 16


def too_small(size) -> bool:
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


TEXTUAL_COMMANDS_LEFT_OUT = frozenset({"Screenshot", "Quit", "Keys"})


class QuietCrash:
    """A crash says one line and exits 1. Textual's own report prints every frame's local
    variables: here a store's keys and what a youth said, left in the terminal where a youth,
    a projector or a terminal log sees them. CSEC_INTERVIEW_DEBUG=1 shows Textual's report."""

    def _fatal_error(self) -> None:
        if os.environ.get("CSEC_INTERVIEW_DEBUG"):
            return super()._fatal_error()
        from rich.text import Text

        name = type(self._exception).__name__ if self._exception is not None else "Exception"
        self.bell()
        self._exit_renderables.append(Text(
            f"csec-interview: internal error ({name}). What was saved before it is kept. Please "
            "report it; CSEC_INTERVIEW_DEBUG=1 shows the details, which hold what was typed and "
            "keys: never where a youth can see them."))
        self._close_messages_no_wait()


class InterviewApp(QuietCrash, App):
    """`csec-interview`: home screen, or straight into a flow with `interview youth|caregiver`."""

    CSS_PATH = "app.tcss"
    TITLE = "Interview guide"
    BINDINGS = [
        Binding(QUICK_HIDE_KEY, "quick_hide", "Hide", priority=True, id="quick_hide"),
        # Priority, so help opens on the modal screens too (the checklist, the facts form).
        Binding("f1", "help", "Help", priority=True, id="help"),
        Binding("ctrl+q", "request_quit", "Quit", priority=True, id="quit", show=False),
    ]

    def __init__(self, flow_id: str | None = None, county: str | None = None, library=None,
                 store=None, lock_minutes: float = 15, practice: dict | None = None,
                 from_hotline: str | None = None, handoff=None, lang: str = "en"):
        """`store`: a locked Store to save into (the app asks for the passphrase first);
        None keeps interviews in memory only (tests, and a store that cannot be used).
        `practice`: start in practice mode, `{scenario, results, trainee}` (never stored).
        `lang`: the language new interviews start in (`--lang es`); F4 switches."""
        super().__init__()
        self.flow_id = flow_id
        self.lang = lang
        self.county = county
        self._library = library
        self.store = store
        self.lock_minutes = lock_minutes
        self.practice = practice
        # A youth interview started from a hotline screen: its id in the store (--from-hotline),
        # or the handoff itself (interview.handoff.Handoff, e.g. brought by the county sync).
        self.from_hotline = from_hotline
        self.handoff = handoff
        self.last_activity = time.monotonic()
        # Interviews open in this run, oldest first: kept (installed) while the worker is on the
        # home screen or in another one, so switching back needs no passphrase and loses nothing.
        self.open_screens: list[Screen] = []
        # scripts/bench.py: write the time the first prompt is on screen to this file, then exit.
        self.first_prompt_file = os.environ.get("CSEC_INTERVIEW_FIRST_PROMPT_FILE")

    @property
    def library(self):
        """The content, loaded on first use (an error in it is shown, never a traceback)."""
        if self._library is None:
            from interview.content import cache

            self._library = cache.load(self.county)
        return self._library

    def on_mount(self) -> None:
        if not gc.isenabled():  # paused while the app starts (interview/cli/interview.py)
            self.call_after_refresh(resume_gc)
        if self.store is None:
            self.begin()
            return
        from interview.app.screens.unlock import UnlockScreen

        mode = "unlock" if self.store.exists(self.store.path) else "create"
        self.push_screen(UnlockScreen(self.store, mode), lambda ok: ok and self.begin())
        if self.lock_minutes > 0:
            self.set_interval(min(30.0, self.lock_minutes * 60 / 4), self.lock_if_idle)

    def begin(self) -> None:
        if self.practice is not None:
            self.start_practice(**self.practice)
        elif self.flow_id:
            self.start_interview(self.flow_id)
        else:
            from interview.app.screens.home import HomeScreen

            self.push_screen(HomeScreen())

    # --- locking after inactivity (NIST SP 800-63B: re-authenticate after idle time) ----------

    def on_resize(self, event: events.Resize) -> None:
        """Too small a window is covered until it is larger (interview/app/screens/small.py)."""
        if not too_small(event.size):
            return  # the usual case, with nothing imported for it
        from interview.app.screens.small import TooSmallScreen

        if not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.last_activity = time.monotonic()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        from interview.app.screens.hidden import HiddenScreen
        from interview.app.screens.unlock import UnlockScreen

        store = self.store
        if store is None or store.store_key is None or isinstance(self.screen, UnlockScreen):
            return
        if time.monotonic() - self.last_activity < self.lock_minutes * 60:
            return
        store.lock()
        store.audit.append("locked")
        for screen in self.open_screens:  # the worker was away: who is there when it opens?
            screen.end_out_of_view()
        hidden = isinstance(self.screen, HiddenScreen)
        if hidden:  # the neutral screen stays on top; the lock waits beneath it
            self.pop_screen()
        self.push_screen(UnlockScreen(store, "lock"))
        if hidden:
            self.push_screen(HiddenScreen())

    def first_prompt_shown(self) -> None:
        if self.first_prompt_file:
            import time

            with open(self.first_prompt_file, "w") as fh:
                fh.write(repr(time.time()))
            self.exit()

    def languages(self) -> list[str]:
        """The languages an interview can be conducted in: English, and every language the
        county's content has translations for (flows/lang/<code>/)."""
        from interview.content.translations import languages

        return languages(self.library)

    def next_language(self, current: str) -> str:
        """The language F4 switches to from `current` (round the list)."""
        known = self.languages()
        return known[(known.index(current) + 1) % len(known)] if current in known else known[0]

    def screen_for(self, flow_id: str):
        """The screen a flow is walked on: the hotline's is built for a phone call."""
        from interview.app.screens.interview import InterviewScreen

        if self.library.flows[flow_id].setting == "hotline":
            from interview.app.screens.hotline import HotlineScreen

            return HotlineScreen
        return InterviewScreen

    def start_interview(self, flow_id: str) -> None:
        from interview.errors import InterviewError, unknown_flow

        try:
            library = self.library
            if flow_id not in library.flows:
                raise InterviewError(unknown_flow(flow_id, library.flows))
            saved = session = None
            handoff = self.handoff
            if self.from_hotline and self.store is not None:
                handoff = self.hotline_handoff(self.from_hotline)
            self.handoff = self.from_hotline = None  # once: the next interview starts blank
            if self.store is not None:
                from interview.storage.saved import SavedSession

                saved = SavedSession.create(self.store, library, flow_id)
                if handoff is not None:
                    from interview.handoff import seed

                    try:
                        seed(saved.session, handoff)
                    except BaseException:
                        saved.close()
                        self.store.delete_session(saved.id)
                        raise
            elif handoff is not None:
                from interview.engine.session import Session
                from interview.handoff import seed

                session = Session(library, flow_id)
                seed(session, handoff)
        except InterviewError as exc:
            self.show_error("Cannot start the interview", exc)
            return
        screen = self.screen_for(flow_id)
        screen = (screen(library, flow_id, saved=saved) if session is None
                  else screen(library, flow_id, session=session))
        screen.start_language = self.lang  # its first event, once it is on screen
        self.show_interview(screen)

    def hotline_handoff(self, session_id: str):
        """The handoff of a hotline screen saved in this store (`--from-hotline`)."""
        from interview.engine.session import Event, Session
        from interview.handoff import handoff_from

        log = self.store.open_session(session_id, writable=False)
        try:
            events = [Event.from_json(e) for e in log.events]
            flow = log.flow
        finally:
            log.close()
        if flow not in self.library.flows or self.library.flows[flow].setting != "hotline":
            from interview.errors import InterviewError

            raise InterviewError(f"--from-hotline: session {session_id} is a {flow!r} interview, "
                                 "not a hotline screen; give the id of the hotline screen "
                                 "(`csec-interview sessions`)")
        session = Session(self.library, flow, events=events)
        try:
            handoff = handoff_from(session, session_id)
        finally:
            session.close()
        made = self.youth_from_screen(session_id)
        if made:  # one call, one youth interview (the chain audit, 7b)
            from interview.errors import InterviewError

            raise InterviewError(f"--from-hotline: hotline screen {session_id} was already "
                                 f"started as youth interview {made} in this store: continue "
                                 "that one (r on the home screen, the saved interviews); one "
                                 "call is one youth interview")
        return handoff

    def youth_from_screen(self, screen: str) -> str:
        """The interview in this store started from hotline screen `screen` (its first event
        is the handoff naming it, here or received through the county): its id, or ""."""
        from interview.errors import InterviewError

        for info in self.store.list():
            if info.problem or info.flow not in self.library.flows \
                    or not self.library.flows[info.flow].screens_youth:
                continue
            try:
                log = self.store.open_session(info.id, writable=False)
            except InterviewError:
                continue  # open elsewhere or damaged: the list says so
            try:
                first = log.events[0] if log.events else {}
            finally:
                log.close()
            value = first.get("value") if first.get("type") == "handoff" else None
            if isinstance(value, dict) and isinstance(value.get("hotline"), dict) \
                    and value["hotline"].get("session") == screen:
                return info.id
        return ""

    # --- open interviews: home, switch, close ----------------------------------------------------

    def show_interview(self, screen: Screen) -> None:
        """Open an interview screen and keep it open until it is closed or the app quits."""
        self.install_screen(screen, f"interview-{id(screen)}")
        self.open_screens.append(screen)
        self.push_screen(screen)

    def switch_to(self, screen: Screen) -> None:
        """Back to an interview already open in this run, from the home screen."""
        from interview.app.screens.home import HomeScreen

        if screen not in self.open_screens:
            return
        if screen in self.screen_stack:  # already under the home screen (started from it)
            while self.screen is not screen:
                self.pop_screen()
            return
        if not isinstance(self.screen, HomeScreen):
            self.go_home()
        self.push_screen(screen)

    def go_home(self) -> None:
        """The home screen, with every open interview kept open (and listed there)."""
        from interview.app.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen())

    def close_interview(self, screen: Screen) -> None:
        """Close an open interview (it stays saved, and can be resumed from the list)."""
        if screen in self.screen_stack or screen not in self.open_screens:
            return
        self.open_screens.remove(screen)
        self.uninstall_screen(screen)
        screen.remove()  # unmounting closes its session and releases its lock

    def open_screen_for(self, session_id: str) -> Screen | None:
        return next((s for s in self.open_screens if s.saved_id == session_id), None)

    def start_practice(self, scenario: str | None = None, results=None, trainee: str = "") -> None:
        """Practice mode: fictional scenarios, nothing stored as a case (interview/practice)."""
        from interview import practice
        from interview.app.screens.practice_start import PracticeStartScreen
        from interview.errors import InterviewError

        try:
            config, scenarios = practice.load(self.library)
        except InterviewError as exc:
            self.show_error("Cannot start practice mode", exc)
            return
        self.push_screen(PracticeStartScreen(config, scenarios, scenario, results, trainee))

    def resume_interview(self, session_id: str) -> None:
        from interview.errors import InterviewError
        from interview.storage.saved import SavedSession

        already = self.open_screen_for(session_id)
        if already is not None:  # open in this window: go back to it, do not open it twice
            self.go_home()
            self.switch_to(already)
            return
        try:
            saved = SavedSession.resume(self.store, self.library, session_id)
        except InterviewError as exc:
            self.show_error("Cannot open this interview", exc)
            return
        flow_id = saved.session.flow.id
        self.show_interview(self.screen_for(flow_id)(self.library, flow_id, saved=saved))
        if saved.session.flow.setting == "hotline":  # a screen handed over: a change stays here
            from interview.county.handoffs import handed_over

            for to, at, _ in handed_over(self.store, session_id)[-1:]:
                self.notify(f"Handed to {to} at {at} UTC: what you change now reaches them "
                            f"only when you run `csec-interview handoff {session_id} --to {to}` "
                            "again, which sends it as the correction.", severity="warning",
                            markup=False, timeout=30)

    def switch_interview(self, screen, flow_id: str) -> None:
        """Go on with another flow (the return-from-runaway interview), carrying over every
        event recorded so far; the old saved interview is deleted once the new one is saved."""
        from interview.engine.session import Session
        from interview.errors import InterviewError

        events = list(screen.session.events)
        try:
            if screen.saving:
                from interview.storage.saved import SavedSession

                saved = SavedSession.copy(self.store, self.library, flow_id, events)
                self.store.delete_session(screen.release_saved().id)
                new = self.screen_for(flow_id)(self.library, flow_id, saved=saved)
            else:
                session = Session(self.library, flow_id, events=events)
                new = self.screen_for(flow_id)(self.library, flow_id, session=session)
        except InterviewError as exc:
            self.show_error("Cannot switch the interview", exc)
            return
        new.carried_over = screen.flow.title.lower()
        self.pop_screen()
        self.call_later(self.close_interview, screen)
        self.show_interview(new)

    def show_error(self, title: str, exc: Exception) -> None:
        from interview.app.screens.message import MessageScreen

        self.push_screen(MessageScreen(title, str(exc)))

    # --- actions available everywhere -------------------------------------------------------

    @property
    def hidden(self) -> bool:
        # Asked for every key shown in the footer: the screen's module is not imported for it
        # (no HiddenScreen can be on screen before its module is loaded by quick-hide).
        module = sys.modules.get("interview.app.screens.hidden")
        return module is not None and isinstance(self.screen, module.HiddenScreen)

    def action_quick_hide(self) -> None:
        """Replace the screen with a neutral one at once; the same key brings it back."""
        from interview.app.screens.hidden import HiddenScreen

        if isinstance(self.screen, HiddenScreen):
            self.pop_screen()
        else:
            self.push_screen(HiddenScreen())
            for screen in self.open_screens:  # someone came near: who is there when it is back?
                screen.end_out_of_view()

    def action_help(self) -> None:
        from interview.app.screens.help import HelpScreen

        if self.hidden:
            return
        if isinstance(self.screen, HelpScreen):  # F1 again closes it
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_request_quit(self) -> None:
        """Quit; with an interview open (or practice going on), ask first."""
        from interview.app.screens.interview import InterviewScreen
        from interview.app.screens.message import ConfirmScreen

        if self.hidden:
            return
        screens = list(dict.fromkeys(self.open_screens + [
            s for s in self.screen_stack if isinstance(s, InterviewScreen)]))
        if not screens:
            self.exit()
            return
        practice = any(s.is_practice for s in screens)
        unsaved = any(s.loses_on_close for s in screens)
        if unsaved:
            body = ("What was recorded in an open interview is not saved: quitting loses it. "
                    "To keep it, export the reports first (ctrl+l, then e).")
        elif practice:
            body = "The practice interview ends without its debrief (ctrl+d gives it)."
        else:
            body = (f"{len(screens)} interview{'s are' if len(screens) > 1 else ' is'} open. "
                    "Everything recorded is saved: resume it later from the saved interviews "
                    "(r on the home screen).")
        typing = [s for s in screens if s.unrecorded_notes]
        if typing:  # typed, not yet entered: quitting loses them whatever is saved
            body += (f" The notes typed on the current step of the {typing[0].flow.title} "
                     "are not recorded yet: Keep going, then Enter records them.")
        self.push_screen(ConfirmScreen("Quit?", body, yes="Quit", no="Keep going"),
                         lambda quit_: quit_ and self.exit())

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # The neutral screen must not be one key away from anything revealing.
        if action in ("command_palette", "help") and self.hidden:
            return False
        if action == "screenshot":
            return False
        return True

    # --- no screenshots: they would write what the youth said to a file, in the clear ---------

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.notify("Screenshots are off: they would save the interview unencrypted.",
                    severity="warning", markup=False)

    def deliver_screenshot(self, filename=None, path=None, time_format=None) -> str | None:
        self.action_screenshot()
        return None

    def save_screenshot(self, filename=None, path=None, time_format=None) -> str:
        self.action_screenshot()  # (also what TEXTUAL_SCREENSHOT=N would call): nothing written
        return ""

    def action_quit(self) -> None:
        """Textual's own quit (a key or a command of Textual's) asks first, as ctrl+q does."""
        self.action_request_quit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key that works on the current screen is in the command palette too. Of
        Textual's own commands, "Screenshot" is not (it writes the screen to ~/Downloads as
        plain SVG), nor those that stand in for ours: "Quit" (exits without asking while an
        interview is open; ours is "Quit (ctrl+q)") and "Keys" (F1 is the help)."""
        for command in super().get_system_commands(screen):
            if command.title not in TEXTUAL_COMMANDS_LEFT_OUT:
                yield command
        for binding in getattr(screen, "BINDINGS", []):
            # A key the screen has switched off here (F4 in practice mode) is not offered.
            if isinstance(binding, Binding) and binding.description \
                    and screen.check_action(binding.action, ()) is not False:
                yield SystemCommand(f"{binding.description} ({binding.key})",
                                    getattr(binding, "tooltip", ""),
                                    partial(screen.run_action, binding.action))
        # The help line under a command is its tooltip, if any: the description again under
        # "Quit (ctrl+q)" read as a second command, "Quit", beside it.
        for binding in self.BINDINGS:
            yield SystemCommand(f"{binding.description} ({binding.key})",
                                getattr(binding, "tooltip", ""),
                                partial(self.run_action, binding.action))
