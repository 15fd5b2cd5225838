"""The conversation: what to say next, how to record the answer, and the transcript so far.

All flow and rule logic is the engine's: this screen only turns keys into Session calls and
shows what the session says. In a youth interview nothing on it labels the youth: content is
validated for that, anything else shown goes through `discreet`, the side panel shows codes, the
worker's reference in legal terms (F2) opens only on request, and the summary (findings in
words) opens only when the worker asks for it, after saying the youth is out of view.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Static

from interview.app import modes
from interview.app.keystrokes import Keystrokes, Stroke
from interview.app.modes import CARD, ENTER, TICK, TYPED, Mode, ModeMachine
from interview.app.widgets.footer import Footer
from interview.app.widgets.prompt import PromptCard
from interview.app.widgets.transcript import ANSWER_WORDS, Transcript, describe, of_checklist
from interview.content.translations import SAID_AUDIENCES
from interview.engine.said import NO_TEXT, STALE, Said, said
from interview.engine.session import Recorder, Session
from interview.record import language_name
from interview.errors import InputError, InterviewError
from interview.text import discreet


# The keys that answer a yes/no question.
ANSWER_KEYS = {"y": "yes", "n": "no", "d": "declined", "u": "unsure"}


class InterviewScreen(Screen):
    HELP = """\
## The interview

The card at the bottom says what to say next (**Say:**) or what to record (**For you:**), with
the guidance for it. The transcript above keeps what was said and recorded. When the card has
more than fits, its key line says so: **PageDown**/**PageUp** (or the arrow keys) scroll it.

- **Script** (read aloud): **Enter** shows the next part while some of it is below the card;
  at the end, **Enter** records that it has been read.
- **Yes/no question**: **y** yes, **n** no, **d** declined, **u** unsure. After a yes, note
  what happened in the youth's words, **Enter**, then tick what it was with the number keys
  and **Enter** again.
- **Open question**: type notes, **Enter**, then tick with **1**-**9** what the answer
  revealed, and **Enter**. Nothing is concluded from notes alone: only from what you tick.
- **Case facts** and the **checklist of what you see**: **Enter** opens them.
- **F2**: the worker's reference for this step, in the legal terms (shown until the next step;
  never by default, since the youth may see the screen).
- **F3**: the home screen. This interview stays open (listed there): start another one, or
  switch back, without the passphrase again.
- **F4**: switch the language spoken to the youth or caregiver (English, Spanish). In Spanish
  the card shows what to say in Spanish, with the English under it (**EN**) for you; a step
  with no Spanish text says so (**interpret**). Guidance, findings and reports stay English;
  the record says which language each question was asked in.

No question to the youth comes before the confidentiality script is read. The S, L and C
checklists, in the policy's own words, open once you say the youth (or caregiver) is out of
view, as the summary does.

The side panel (**ctrl+f**) shows what the answers add up to, in codes: chart row numbers of
the red flags with their columns (**S** sex trafficking, **L** labor trafficking, **C**
criminal activity), the At-Risk indicators **A-H**, and what was disclosed (S, L, C). In an
interview with the youth or a caregiver it starts hidden. The summary (**ctrl+l**) has the
findings in words: in an interview with the youth or a caregiver it first asks whether they are
out of view.
"""
    BINDINGS = [
        Binding("ctrl+b", "back", "Back", priority=True, id="back"),
        Binding("ctrl+s", "skip", "Skip", priority=True, id="skip"),
        Binding("ctrl+t", "sections", "Sections", priority=True, id="sections"),
        Binding("ctrl+o", "observations", "Seen", priority=True, id="observations"),
        Binding("ctrl+r", "reread", "Re-read script", priority=True, id="reread", show=False),
        Binding("ctrl+l", "summary", "Summary", priority=True, id="summary"),
        Binding("ctrl+f", "toggle_panel", "Side panel", priority=True, id="toggle_panel",
                show=False),
        Binding("ctrl+y", "terms", "Youth's own words", priority=True, id="terms", show=False),
        Binding("ctrl+n", "facts", "Case facts", priority=True, id="facts", show=False),
        Binding("enter", "confirm", "Record", show=False, id="confirm"),
        # y n d u: on_key answers (these say so in F1 and keep the ids)
        Binding("y", "choose('yes')", "Yes", show=False, id="yes"),
        Binding("n", "choose('no')", "No", show=False, id="no"),
        Binding("d", "choose('declined')", "Declined", show=False, id="declined"),
        Binding("u", "choose('unsure')", "Unsure", show=False, id="unsure"),
        Binding("escape", "cancel", "Cancel", show=False, id="cancel"),
        Binding("f2", "reference", "Reference", priority=True, id="reference", show=False),
        Binding("f3", "home", "Home", priority=True, id="home"),
        Binding("f4", "language", "Language", priority=True, id="language", show=False),
        Binding("pagedown", "scroll_card(1)", "Scroll the card", show=False, id="card_down"),
        Binding("pageup", "scroll_card(-1)", "Scroll the card up", show=False, id="card_up"),
    ] + [Binding(str(n % 10), f"tick({n})", show=False) for n in range(1, 11)]

    COMPACT = False  # the hotline's card: guidance after the cues, so the cues stay in view
    SHOW_TICKS = False  # the transcript lists each red flag ticked (the hotline's call)
    MODES = modes.INTERVIEW  # the input modes, their moves, and what the keys do in each

    # F2 is in the footer only where the step has a reference: the footer follows this.
    offers_reference: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, library, flow_id: str, saved=None, session: Session | None = None):
        """`saved`: a SavedSession (every event saved before it is applied), or None to keep
        the interview in memory only (then `session`, if given, is the one to go on with: one
        carried over from another flow, or started by practice mode)."""
        super().__init__()
        self.library = library
        self.saved = saved
        self.session = saved.session if saved is not None else (
            session or Session(library, flow_id))
        self.flow = self.session.flow
        self.youth_present = bool(self.flow.gate)
        self.carried_over = ""  # the title of the interview this one was switched from
        self.modes = ModeMachine(self.MODES)  # what the keys do now (modes.py)
        self.value = ""        # a closed answer waiting for its notes and cues
        self.ticked: list[str] = []
        self.reference_for = ""  # F2: the step whose reference is open (until the next step)
        self._findings_cleared = False  # see `findings_cleared`
        self._asking_out_of_view = False  # the out-of-view question is on screen
        self.start_language = "en"  # a new interview's language (the app's --lang, or F4 home)
        self.resumed_before = False  # shown before (see _on_screen_resume)
        self.asks_on_resume = False  # see on_screen_suspend
        self.strokes = Keystrokes(answers="".join(ANSWER_KEYS))  # see on_key

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="progress")
        with Horizontal(id="body"):
            with Vertical(id="conversation"):
                yield Transcript(checklists_in_words=not self.asks_out_of_view, id="transcript")
                yield PromptCard(id="prompt")
            if not self.person_in_room:  # then mounted only when the worker opens it
                from interview.app.widgets.notes_panel import NotesPanel

                yield NotesPanel(self.library, self.person_in_room, id="panel")
        # Compact, and the palette's key left out (ctrl+p, in F1): the keys fit at 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = self.flow.title
        if self.session.events:
            self.replay_transcript()
        elif self.start_language != "en" and self.speaks_languages:
            self.switch_language(self.start_language)  # the first event: said in the record
        self.refresh_all()
        if self.session.events and self.session.finished:  # reviewing a finished interview
            self.call_after_refresh(self.action_summary)
        self.call_after_refresh(self.app.first_prompt_shown)

    def replay_transcript(self) -> None:
        """A resumed (or carried-over) interview shows what was said, as it was written then."""
        transcript = self.query_one(Transcript)
        recorder = Recorder(self.library, self.flow)
        for event in self.session.events:
            recorder.apply(event, recorder.check(event))
            transcript.show(self.describe(event, recorder.record), update=False,
                            checklist=of_checklist(self.flow, event))
        count = len(self.session.events)
        if count == 1 and self.session.events[0].type == "handoff":
            return  # a new interview started from a hotline screen: nothing was resumed
        transcript.note(f"(carried over from the {self.carried_over}: {count} events)"
                        if self.carried_over else f"(resumed: {count} events saved before)")

    def describe(self, event, record):
        return describe(self.library, self.flow, event, record, self.person_in_room, self.shown,
                        ticks=self.SHOW_TICKS)

    def show_events(self, since: int) -> None:
        """Write the events recorded since `since` to the transcript."""
        transcript = self.query_one(Transcript)
        for event in self.session.events[since:]:
            transcript.show(self.describe(event, self.session.record),
                            checklist=of_checklist(self.flow, event))

    @property
    def notes(self) -> Input:
        """The card's notes field (PromptCard mounts it when a step first needs it)."""
        return self.query_one(PromptCard).notes

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """On its first showing, each widget of the screen has just been styled as it was
        mounted: Textual's restyle of the whole screen on resuming (about 5 ms of CPU before
        the first prompt, scripts/bench.py `tui_ratio`) would change nothing, so it is left
        out then. Later showings (back from the summary, a dialog, the home screen) restyle as
        Textual does. Textual runs Screen's own handler after this one."""
        if not self.resumed_before:
            self.resumed_before = True
            event.refresh_styles = False
        if self.asks_on_resume:  # left for the home screen out of view: who is here now?
            self.asks_on_resume = False
            self.show_step()

    def on_screen_suspend(self) -> None:
        """Left (for the home screen, or another interview), not covered by a dialog: the
        worker's "yes, out of view" was for where they were."""
        if self not in self.app.screen_stack:
            self.end_out_of_view()

    def end_out_of_view(self) -> None:
        """The person interviewed may see the screen again (the worker left the interview, or
        hid the screen because someone came near): coming back to a checklist asks again, and
        the card in the policy's words gives way at once to the one that says so."""
        if not self.findings_cleared:
            return
        self.findings_cleared = False
        self.asks_on_resume = True
        step = self.session.current
        if step is not None and self.flow.section_by_id[step.section].out_of_view:
            self.out_of_view_card()

    def on_unmount(self) -> None:
        (self.saved or self.session).close()

    # --- what the app and the home screen may ask of an open interview -------------------------

    @property
    def saved_id(self) -> str | None:
        """The saved interview this screen writes to (None: kept in memory only)."""
        return self.saved.id if self.saved is not None else None

    @property
    def is_practice(self) -> bool:
        return bool(getattr(self, "practice", False))

    @property
    def loses_on_close(self) -> bool:
        """Something is recorded that closing (or quitting) would lose: not saved (never, or
        no longer since a save failed and the worker went on), not practice."""
        return bool(self.session.events) and not self.saving and not self.is_practice

    @property
    def position(self) -> str:
        """Where the interview is: its section's title, or "finished"."""
        step = self.session.current
        return "finished" if step is None else self.flow.section_by_id[step.section].title

    @property
    def saving(self) -> bool:
        """Every answer is being saved (a save failure may have turned saving off)."""
        return self.saved is not None and bool(self.session.sinks)

    def release_saved(self):
        """Close the saved interview and give it up (it was copied into another flow's): this
        screen must not close it again."""
        old, self.saved = self.saved, None
        old.close()
        return old

    # --- showing ------------------------------------------------------------------------------

    def shown(self, text: str) -> str:
        """What this screen may show: in a youth interview, never a labelling word."""
        return discreet(text, self.library.youth_words) if self.youth_present else text

    def refresh_all(self) -> None:
        self.refresh_progress()
        self.refresh_panel()
        self.show_step()

    def refresh_progress(self) -> None:
        step = self.session.current
        # Every step of the flow, as `questions` lists them (case facts and "what you saw"
        # too), and of those the ones with an answer: the count can never pass its total.
        total, answered = len(self.flow.steps), self.session.recorded
        skipped = len(self.session.skipped)  # counted apart: a skip is not an answer
        also = f", {skipped} skipped" if skipped else ""
        if step is None:
            where = "Finished: ctrl+l summary, ctrl+b back"
        else:
            section = self.flow.section_by_id[step.section]
            position = section.steps.index(step.id) + 1
            where = f"{section.title}  {position}/{len(section.steps)}"
        saving = ("saved" if self.saving
                  else "NOT SAVED" if self.saved is not None else "saving is off")
        # Whether it is saved comes first: at 80 columns the rest may be cut, never that.
        # The language spoken, when not English, right after it: the worker must not miss it.
        spoken = ("" if self.session.language == "en"
                  else f" {language_name(self.session.language)} ·")
        head = f" {saving} {spoken}"
        # The longest that fits the terminal (80 columns: a long section title): the flow's
        # title goes first, "steps" next; the section, its place and the count always stay.
        for rest in (f" {self.flow.title} · {where} · {answered}/{total} steps recorded{also}",
                     f" {where} · {answered}/{total} steps recorded{also}",
                     f" {where} · {answered}/{total} recorded{also}"):
            if len(head) + len(rest) < self.size.width:  # the line's padding: one column
                break
        line = Text.assemble((f" {saving} ", "bold reverse" if saving == "NOT SAVED" else "bold"),
                             (spoken, "bold"), rest)
        self.query_one("#progress", Static).update(line)

    def on_resize(self) -> None:
        self.refresh_progress()  # what fits the new width

    def refresh_panel(self) -> None:
        # By its id: with a youth the panel is not mounted until asked for, and its module is
        # not imported before then (the first prompt is up sooner).
        panels = self.query("#panel")
        if panels and panels.first().display:  # hidden: the findings wait until it is shown
            panels.first().findings = self.session.findings

    @property
    def phase(self) -> Mode:
        """The current input mode (a Mode, equal to its name: "choose", "cues", ...)."""
        return self.modes.mode

    def show_step(self) -> None:
        step = self.session.current
        card = self.query_one(PromptCard)
        if step is None or step.id != self.reference_for:
            self.reference_for = ""
        self.offers_reference = self.reference_available(step)
        if step is None:
            self.modes.start(None)
            card.show(where="The interview is finished.",
                      text="The summary shows what the answers add up to and what must happen "
                      "next." + (" It uses the words of the policy: open it once the "
                                 f"{self.interviewed} cannot see the screen."
                                 if self.asks_out_of_view else ""),
                      keys="ctrl+l summary · ctrl+b back · ctrl+t sections · F3 home")
            card.focus()
            return
        section = self.flow.section_by_id[step.section]
        if not section.out_of_view and self.findings_cleared:  # they are back: the next asks
            self.findings_cleared = False
        if section.out_of_view and self.asks_out_of_view and not self.findings_cleared:
            self.ask_out_of_view(section)
            return
        previous = self.session.record.answers.get(step.id)
        self.ticked = list(previous.cues) if previous else []
        card.set_notes(previous.text if previous else "")
        self.value = ""
        self.modes.start(step)
        self.render_card()

    def ask_out_of_view(self, section) -> None:
        """Before the worker's checklists, in the policy's own words (a section `out_of_view`),
        the worker says the person interviewed cannot see the screen, as for the summary; or
        goes on past them (ctrl+t comes back). Until then the card says only that."""
        from interview.app.screens.message import ConfirmScreen

        who = self.interviewed
        ids = [s.id for s in self.flow.sections]
        past = next((s for s in self.flow.sections[ids.index(section.id) + 1:]
                     if not s.out_of_view), None)
        self.out_of_view_card()
        if self._asking_out_of_view:
            return

        def answered(out_of_view: bool | None) -> None:
            self._asking_out_of_view = False
            if out_of_view:
                self.findings_cleared = True
                self.show_step()
            elif past is not None:
                self.navigate(lambda: self.session.jump(past.id))

        self._asking_out_of_view = True
        self.app.push_screen(ConfirmScreen(
            f"Is the {who} out of view?",
            f"“{section.title}” and the other checklists use the words of the policy. Open "
            f"them only where the {who} cannot see the screen."
            + (f" Not now: on to {past.title!r}; ctrl+t comes back to them." if past else ""),
            yes="Yes: show them", no="Not now"), answered)

    def out_of_view_card(self) -> None:
        """What the card says in place of a checklist until the worker says they are out of
        the person's view."""
        self.modes.start(None)
        self.query_one(PromptCard).show(
            where="For you:", text="The next questions are your checklists, in the words of the "
            f"policy: open them where the {self.interviewed} cannot see the screen.",
            keys="ctrl+t sections · ctrl+b back")

    def card_note(self, step) -> str:
        """A line under the guidance: the youth's own words for people, to use back. What the
        worker typed for the person goes through `shown` like any text from elsewhere: "pimp"
        typed there is not on the card the youth may read."""
        if step.audience == "youth" and self.session.record.terms:
            return self.shown("Their words: " + " · ".join(
                f"{word} ({name})" for name, word in self.session.record.terms.items()))
        return ""

    def cue_note(self, step, cue) -> str:
        """A few words after a cue's label (the hotline says what already counts)."""
        return ""

    def key_hint(self, step) -> str:
        """The key line for the current mode."""
        return {
            Mode.CONFIRM: {"script": "Enter: read on; at the end, it has been read · ctrl+s: skip",
                        "facts": "Enter: fill in the case facts · ctrl+s: skip for now",
                        "observation": "Enter: open the checklist of what you see · ctrl+s: move on"
                        }.get(step.kind, "Enter"),
            Mode.CHOOSE: "y yes · n no · d declined · u unsure · ctrl+s skip",
            Mode.NOTES: "Type notes, then Enter" + (" and tick what you heard" if step.cues
                                                     else ""),
            Mode.CUES: ("1-9, 0 tick or untick" if len(step.cues) > 9 else "1-9 tick or untick")
                       + " · Enter record · Escape back to the notes",
        }.get(self.modes.mode, "")

    def render_card(self) -> None:
        """Draw the card for the current step in the current mode (modes.py says which)."""
        getattr(self, self.modes.handler(CARD) or "step_card")()

    def step_card(self) -> None:
        step = self.session.current
        card = self.query_one(PromptCard)
        who = {"youth": "Say:", "caregiver": "Say:", "reporter": "Ask:", "worker": "For you:"}
        section = self.flow.section_by_id[step.section].title
        terms = self.card_note(step)
        keys = self.key_hint(step)
        noting = self.modes.is_in(Mode.NOTES, Mode.CUES)
        if noting:
            card.notes.placeholder = card.notes_placeholder(step.audience)
        if noting and self.value:
            keys = f"Answer: {ANSWER_WORDS[self.value]} · " + keys
        show_cues = step.kind == "open" or (self.value == "yes" and step.cues)
        if self.reference_available(step):
            keys += " · F2 reference"
        said = self.said(step)
        where = who[step.audience]
        if said.language != "en":  # what to say (or ask) is in the interview's language
            where = f"{where[:-1]} in {language_name(said.language)}{' (draft)' * said.draft}:"
        follow_up, english_follow_up = "", ""
        if noting and said.follow_up and said.translated:
            follow_up, english_follow_up = "Follow up: " + said.follow_up, said.english_follow_up
        elif noting and step.follow_up:
            follow_up = "Follow up: " + step.follow_up + (
                f" ({self.interpret_mark(NO_TEXT)})" if said.translated else "")
        card.show(
            where=f"{where}  ({section})",
            text=said.text,
            english=said.english,
            mark=self.interpret_mark(said.interpret),
            guidance=self.shown(step.guidance),
            terms=terms,
            follow_up=follow_up,
            english_follow_up=english_follow_up,
            cues=[(self.cue_label(said, c) + self.cue_note(step, c), c.id in self.ticked)
                  for c in step.cues] if show_cues else None,
            notes=noting,
            keys=keys,
            # Ticking: the cues right under the question, the guidance (read while taking the
            # notes) after them, so at 80x24 every cue is in view.
            compact=self.COMPACT or self.modes.is_in(Mode.CUES),
            ticking=self.modes.is_in(Mode.CUES) and self.modes.moved,  # a hotline's opens so
            reference=self.reference_text(step) if self.reference_for == step.id else "",
        )
        if self.modes.is_in(Mode.NOTES):
            self.set_focus(card.notes)  # now: the next key is the note's
        else:
            card.focus()

    # --- the language spoken to the youth, caregiver or reporter --------------------------------

    @property
    def speaks_languages(self) -> bool:
        """Whether this interview may be conducted in another language (a youth, caregiver or
        reporter hears it; practice has its own scenarios' language)."""
        return not self.is_practice and any(s.audience in SAID_AUDIENCES for s in self.flow.steps)

    def said(self, step) -> Said:
        """The step as said in the interview's language now (English when it is English)."""
        return said(self.library, step, self.session.language)

    def interpret_mark(self, why: str) -> str:
        """The worker-only mark on a step with no current translation: never silently English."""
        name = language_name(self.session.language)
        return {NO_TEXT: f"no {name} text: interpret",
                STALE: f"{name} text out of date: interpret"}.get(why, "")

    def cue_label(self, said: Said, cue) -> str:
        """A cue as the card shows it: translated ones (read to the person interviewed) in the
        interview's language with the English after them, for the worker."""
        english = self.shown(cue.label)
        if cue.id in said.cues:
            return f"{self.shown(said.cues[cue.id])}  · EN: {english}"
        return english

    def action_language(self) -> None:
        """F4: switch the language spoken to the youth, caregiver or reporter (an event: the
        record and the report say which language each question was asked in)."""
        if not self.speaks_languages:
            return
        new = self.app.next_language(self.session.language)
        if new == self.session.language:
            self.notify("No translation is installed: the interview is in English.",
                        markup=False)
            return
        if self.switch_language(new):
            # The same step, in the same mode: notes being typed and ticks stay as they are.
            self.refresh_progress()
            if self.session.current is not None:
                self.render_card()

    def switch_language(self, language: str) -> bool:
        """Record the switch (an event) and say so in the transcript."""
        before = len(self.session.events)
        try:
            self.session.set_language(language)
        except InterviewError as exc:  # (a storage failure: the next answer offers the way on)
            self.notify(str(exc), severity="error", markup=False)
            return False
        self.show_events(before)
        return True

    # --- recording ----------------------------------------------------------------------------

    def record(self, do, said: str | None = None, recorded: str | None = None) -> None:
        """Run one Session call; show an error as a message, never lose the screen's state.

        The transcript says what the new events were (`describe`), unless `said` and `recorded`
        are given (practice mode writes the simulated youth's reply)."""
        from interview.storage.store import StorageError

        before = len(self.session.events)
        try:
            do()
        except InputError as exc:
            self.notify(self.in_card_words(exc), severity="error", markup=False)
            return
        except StorageError as exc:
            self.saving_failed(exc, do, said, recorded)
            return
        if said is not None:
            self.query_one(Transcript).add(said, recorded or "")
        else:
            self.show_events(before)
        if self.session.blocked:
            self.notify(self.session.blocked, severity="warning", markup=False)
        self.refresh_all()
        if self.session.finished:
            self.finished()

    def finished(self) -> None:
        """The last step was answered. The summary is not opened by itself: it has the findings
        in words, and the worker opens it (ctrl+l) when the youth cannot see the screen."""

    def in_card_words(self, exc: Exception) -> str:
        """A message of the engine's or the store's names the step by its key in an answer file
        ("answers.child_age: ...", "the answer to child_age"); here it is the answer on the
        card."""
        text = str(exc)
        step = self.session.current
        if step is not None:
            text = text.replace(f"answers.{step.id}: ", "This answer: ").replace(
                f"the answer to {step.id}", "this answer")
        return text

    def saving_failed(self, exc, do, said: str | None, recorded: str | None) -> None:
        """The answer was not saved (and so not recorded). Offer to go on in memory."""
        from interview.app.screens.message import ConfirmScreen

        def chosen(go_on: bool | None) -> None:
            if go_on:
                self.session.sinks.clear()  # from now on: memory only, as the banner says
                self.record(do, said, recorded)

        self.app.push_screen(ConfirmScreen(
            "This answer could not be saved",
            f"{self.in_card_words(exc)}. Nothing of this answer was recorded. Go on without "
            "saving (the rest of this interview is kept in memory only until you quit), or fix "
            "the problem and try the answer again?", yes="Go on unsaved", no="Try again"),
            chosen)

    def submit(self) -> None:
        step = self.session.current
        notes = self.notes.value.strip()
        if step.kind == "open":
            do = lambda: self.session.answer(text=notes, cues=self.ticked)  # noqa: E731
        else:
            do = lambda: self.session.answer(self.value, text=notes, cues=self.ticked)  # noqa: E731
        self.record(do)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.call_for(TYPED)

    def notes_done(self) -> None:
        """Notes taken: tick what they revealed, if the step has cues; else record."""
        if self.modes.fire("noted", self.session.current, self.value):
            self.render_card()
        else:
            self.submit()

    # --- actions: each key does what the current mode's table says ---------------------------

    def call_for(self, event: str, *args) -> None:
        """Run the screen method the mode table names for `event` in the current mode."""
        name = self.modes.handler(event)
        if name is not None:
            getattr(self, name)(*args)

    def action_confirm(self) -> None:
        self.call_for(ENTER)

    def confirm_step(self) -> None:
        """Enter on a step with nothing to type: the script was read, or open its form."""
        step = self.session.current
        if step.kind == "script":
            card = self.query_one(PromptCard)
            if card.more in ("below", "both"):  # read on: "read" is said of the whole script
                card.scroll_page(+1)
                return
            self.record(lambda: self.session.answer("yes"))
        elif step.kind == "facts":
            self.action_facts(move_on=True)
        elif step.kind == "observation":
            self.action_observations(move_on=True)

    def on_key(self, event: events.Key) -> None:
        """y, n, d and u answer a yes/no question here, in the order the keys come (a binding's
        action runs after the keys queued behind it). A word typed where no notes field is ("no
        she said") answered the question with its first letter and the next questions with the
        rest (the d of "said": declined): from a word's second letter, nothing is answered until
        a pause or another key, and the worker is told what its first letters did."""
        if not self.modes.is_in(Mode.CHOOSE):
            self.strokes.reset()
            return
        stroke = self.strokes.see(event)
        if stroke is Stroke.KEY and event.character in ANSWER_KEYS:
            event.stop()
            event.prevent_default()
            self.action_choose(ANSWER_KEYS[event.character])
        elif stroke in (Stroke.WORD, Stroke.TYPING):
            event.stop()
            event.prevent_default()
            if stroke is Stroke.WORD:
                self.notify(self.typed_word_hint(), severity="warning", markup=False)

    def typed_word_hint(self) -> str:
        answered = sum(key in ANSWER_KEYS for key in self.strokes.run)
        hint = "A yes/no question takes one key: y, n, d or u. What was typed was not recorded"
        if not answered:
            return hint + "."
        what = ("its first letter answered the question before" if answered == 1 else
                f"its first {answered} letters answered the {answered} questions before")
        return f"{hint}, but {what}: ctrl+b goes back."

    def action_choose(self, value: str) -> None:
        if not self.modes.is_in(Mode.CHOOSE):
            return
        self.value = value
        if value == "yes" and self.modes.fire("yes", self.session.current, value):
            self.render_card()  # a yes with more to record: its notes or its cues
        else:
            self.submit()

    def action_tick(self, number: int) -> None:
        self.call_for(TICK, number)

    def toggle_cue(self, number: int) -> None:
        step = self.session.current
        if number > len(step.cues):
            return
        cue = step.cues[number - 1].id
        self.ticked.remove(cue) if cue in self.ticked else self.ticked.append(cue)
        self.render_card()

    def action_cancel(self) -> None:
        """Escape: back along the moves made on this step (ticks to notes to the yes/no)."""
        mode = self.modes.back()
        if mode is None:
            self.escape_at_start()
            return
        self.came_back(mode)
        self.render_card()

    def came_back(self, mode: Mode) -> None:
        if mode == Mode.CHOOSE:
            self.value = ""  # the yes is taken back: choose again

    def escape_at_start(self) -> None:
        """Escape where the step began: nothing to go back to."""

    def action_skip(self) -> None:
        """ctrl+s: the step skipped (a question takes the branch of declined). Notes typed and not
        recorded would be lost without a word, and ctrl+s is Save in the case facts form: ask."""
        from interview.app.screens.message import ConfirmScreen

        step = self.session.current
        if step is None:
            return
        if not self.unrecorded_notes:
            self.record(self.session.skip)
            return

        def chosen(skip: bool | None) -> None:
            if skip and self.session.current is step:
                self.record(self.session.skip)

        self.app.push_screen(ConfirmScreen(
            "Skip this question?",
            "A skip records the question as not answered, without the notes you typed. To "
            "keep them: Keep them, then Enter records them with the answer.",
            yes="Skip, drop the notes", no="Keep them"), chosen)

    @property
    def unrecorded_notes(self) -> str:
        """Notes typed on the current step that its recorded answer does not hold."""
        step = self.session.current
        typed = self.query_one(PromptCard).typed.strip() if step is not None else ""
        recorded = self.session.record.answers.get(step.id) if typed else None
        return "" if not typed or (recorded is not None and recorded.text == typed) else typed

    def navigate(self, move) -> None:
        """A move that records no answer (back, re-read, jump): a refusal is a message."""
        before = len(self.session.events)
        try:
            move()
        except InterviewError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.show_events(before)
        self.refresh_all()

    def action_back(self) -> None:
        self.navigate(self.session.back)

    def action_reread(self) -> None:
        self.navigate(self.session.reread_script)

    def action_sections(self) -> None:
        from interview.app.screens.sections import SectionsScreen

        def jump(section_id: str | None) -> None:
            if section_id:
                self.navigate(lambda: self.session.jump(section_id))

        self.app.push_screen(SectionsScreen(self.session), jump)

    def action_observations(self, move_on: bool = False) -> None:
        from interview.app.screens.observations import ObservationsScreen

        def closed(_: object) -> None:
            if move_on and self.session.current and self.session.current.kind == "observation":
                self.record(lambda: self.session.answer("yes"))  # gone through: not skipped
            else:
                self.refresh_all()

        self.app.push_screen(ObservationsScreen(self.session, self.shown, self.youth_present),
                             closed)

    def action_facts(self, move_on: bool = False) -> None:
        from interview.app.screens.facts import FactsScreen

        def saved(facts: dict | None) -> None:
            if facts is not None:
                try:
                    self.session.set_facts(**facts)
                except InterviewError as exc:  # the form checks first; this is a second guard
                    self.notify(str(exc), severity="error", markup=False)
                    return
                self.facts_kept_by_answers(facts)
            if move_on and self.session.current and self.session.current.kind == "facts":
                self.record((lambda: self.session.answer("yes")) if facts is not None
                            else self.session.skip)
            else:
                self.refresh_all()
            if facts is not None:
                self.offer_return_interview()

        fields = next((s.fields for s in self.flow.steps if s.kind == "facts"), ())
        record = self.session.record
        reported, others = {}, []
        if record.handoff is not None:  # started from a hotline screen: its facts are marked
            from interview.handoff import reported_json
            from interview.reports.render import environment

            names = environment("text", self.library.county.templates).get_template(
                "handoff.j2").module.FACT_NAMES  # the words: templates/handoff.j2
            facts = reported_json(self.library, record)["facts"]
            reported = {x["name"]: x["status"] for x in facts}
            from interview.content.words import labelling_words

            # The form may be on screen with the youth: a value with a label (an allegation of
            # "sexual abuse") is only named in the summary.
            words = self.library.youth_words
            others = [(x["name"], names.get(x["name"], x["name"]),
                       "see the summary" if labelling_words(x["shown"], words) else x["shown"])
                      for x in facts if x["name"] in record.facts]
        self.app.push_screen(FactsScreen(
            record.context, fields, reported, self.session.confirm_fact,
            record.handoff.date.isoformat() if record.handoff is not None else "",
            others), saved)

    def facts_kept_by_answers(self, facts: dict) -> None:
        """Say so when the form changed a fact that an answer records (the answer wins)."""
        context = self.session.record.context
        for step in self.flow.fact_steps:
            names = {step.fact} | {n for c in step.cues for n, _ in c.sets}
            for name in names - {""}:
                if name in facts and (facts[name] or None) != (getattr(context, name, None) or None):
                    self.notify(f"{name.replace('_', ' ').capitalize()} is recorded by the answer "
                                f"to {step.id!r}: change that answer to change it.",
                                severity="warning", markup=False)
                    return

    def offer_return_interview(self) -> None:
        """The case facts say the youth is back from an absence: offer the flow for that
        (SB 794), carrying over everything recorded so far."""
        other = self.flow.after_absence
        absence = self.session.record.context.absence
        if (not other or absence is None or getattr(self, "_return_offered", False)
                or other not in self.library.flows):
            return
        self._return_offered = True
        from interview.app.screens.message import ConfirmScreen

        title = self.library.flows[other].title
        self.app.push_screen(ConfirmScreen(
            "The youth is back from an absence",
            f"The case facts record an absence from {absence.left} to {absence.returned}. "
            f"Go on with the {title!r} interview instead? It is this interview plus the questions "
            "about where the youth was while away (SB 794); everything recorded so far comes "
            "with it.", yes="Switch", no="Stay here"),
            lambda switch: switch and self.app.switch_interview(self, other))

    def action_terms(self) -> None:
        from interview.app.screens.terms import TermsScreen

        self.app.push_screen(TermsScreen(self.session), lambda _: self.refresh_all())

    def action_toggle_panel(self) -> None:
        from interview.app.widgets.notes_panel import NotesPanel

        panels = self.query(NotesPanel)
        if panels:
            panels.first().display = not panels.first().display
        else:
            self.query_one("#body").mount(NotesPanel(self.library, self.person_in_room, id="panel"))
        self.call_after_refresh(self.refresh_panel)

    # --- the summary: findings in words, only when asked for and out of view -----------------

    @property
    def interviewed(self) -> str:
        return self.flow.interviewed

    @property
    def person_in_room(self) -> bool:
        """Whether the person interviewed may read the screen: a youth (a flow with the
        confidentiality gate) or, outside practice, a caregiver, who may be the one exploiting
        the child. The side panel then opens only when asked, in codes, and what the worker saw
        is named by its plain hint, never the chart's label."""
        return self.youth_present or self.asks_out_of_view

    @property
    def findings_cleared(self) -> bool:
        """The worker said the person interviewed is out of view, and is still out of their
        sight: until the summary closes or the interview shows a step outside the checklists
        (out_of_view sections). Meanwhile the summary and the checklists open without asking,
        and the transcript shows the checklists' lines in words."""
        return self._findings_cleared

    @findings_cleared.setter
    def findings_cleared(self, cleared: bool) -> None:
        self._findings_cleared = cleared
        for transcript in self.query(Transcript):
            transcript.show_checklists(cleared or not self.asks_out_of_view)

    @property
    def asks_out_of_view(self) -> bool:
        """An interview with the youth or a caregiver in the room (not practice, not a call)."""
        return (self.interviewed in ("youth", "caregiver") and self.flow.setting == "interview"
                and not self.is_practice)

    def action_summary(self) -> None:
        """The summary has the findings in words. In an interview with someone in the room, the
        worker first says that person cannot see the screen, unless the worker is out of their
        sight already (in the checklists, after saying so there)."""
        from interview.app.screens.message import ConfirmScreen

        if not self.asks_out_of_view or self.findings_cleared:
            self.open_summary()
            return

        def answered(out_of_view: bool | None) -> None:
            if out_of_view:
                self.findings_cleared = True
                self.open_summary()

        who = self.interviewed
        self.app.push_screen(ConfirmScreen(
            f"Is the {who} out of view?",
            "The summary shows what the answers add up to, in the words of the policy. Open it "
            f"only where the {who} cannot see the screen.", yes="Yes: show it", no="Not now"),
            answered)

    def open_summary(self) -> None:
        from interview.app.screens.summary import SummaryScreen

        # The yes holds while the summary is open: once it closes (Escape, F3, whatever way),
        # the worker may be back in front of the person interviewed, and the next one asks.
        self.findings_cleared = False
        self.app.push_screen(SummaryScreen(self.library, self.session, self.saved),
                             lambda _: self.refresh_all())

    # --- the worker's reference, going home, scrolling the card ------------------------------

    def reference_text(self, step) -> str:
        section = self.flow.section_by_id[step.section]
        return "\n\n".join(x for x in (step.reference, section.reference) if x)

    def reference_available(self, step) -> bool:
        return step is not None and bool(self.reference_text(step))

    def action_reference(self) -> None:
        """F2: the step's reference in legal terms, until the next step (or F2 again)."""
        if not self.reference_available(self.session.current):
            self.notify("This step has no reference.", markup=False)
            return
        step = self.session.current
        self.reference_for = "" if self.reference_for == step.id else step.id
        self.render_card()

    def action_home(self) -> None:
        self.app.go_home()

    def action_scroll_card(self, direction: int) -> None:
        self.query_one(PromptCard).scroll_page(direction)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "reference":  # in the footer only where there is one
            return self.offers_reference
        if action == "home":  # practice is not kept open: leaving it would lose it
            return not self.is_practice
        if action == "language":
            return self.speaks_languages
        return True
