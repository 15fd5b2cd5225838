"""The hotline screen: a call with a reporter, by keys, in a terminal of 80x24.

The same engine as every interview (a Session over the `hotline` flow), laid out for speed:
one or two keys a step, the red flags ticked by typing a few letters, and the response panel
(speed, jurisdiction, cross-reports, documentation) updated with every answer. No youth is
present, so nothing is masked.
"""

from __future__ import annotations

from contextlib import suppress

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import OptionDoesNotExist

from interview.app import modes
from interview.app.modes import Mode
from interview.app.screens.interview import InterviewScreen
from interview.app.screens.observations import ObservationsScreen
from interview.app.widgets.flag_picker import FlagPicker, flags_for
from interview.app.widgets.footer import Footer
from interview.app.widgets.prompt import PromptCard
from interview.app.widgets.response_panel import ResponsePanel
from interview.app.widgets.transcript import Transcript


class HotlineScreen(InterviewScreen):
    HELP = """\
## The hotline screen

For a call with a reporter. The card says what to ask (**Ask:**) or decide (**For you:**); the
panel on the right shows, as soon as the answers settle them, what is suspected, the **speed**
of the response (Immediate Crisis or Initial MDT, with the time the county's MOU sets),
**jurisdiction**, the **cross-reports** and what to **document**.

- **Tick what applies**: **1**-**9** (and **0** for a tenth) tick or untick, **Enter** records
  and moves on. **Tab** goes to the notes (names, places, numbers); **Enter** there records.
- **Yes/no**: **y** yes, **n** no, **u** unsure, **d** declined.
- **A number or age**: type it, **Enter**.
- **Red flags**: type a few letters of what the reporter describes (e.g. `run` for running
  away, `tat` for tattoos); **Enter** ticks the highlighted flag, **1**-**9** tick the n-th
  (a search only adds: a flag already ticked stays ticked), **↑**/**↓** move, **Space** with
  no search ticks or unticks the highlighted flag, **Escape** (or **ctrl+u**) clears the
  search, **Enter** on an empty search moves on. **Tab** (or **ctrl+o**) opens the list with a
  note per flag. The panel's "Red flags 2: S2 L1 C2 of 2" counts two flags, then how many of
  them are in each column of the chart (S, L, C): one flag can be in several.

**ctrl+b** back · **ctrl+s** skip · **ctrl+t** sections · **ctrl+n** case facts (date of
birth, case number) · **ctrl+l** the full summary · **F3** the home screen (the call stays
open there; switch back to it without the passphrase) · **F4** the language of the call
(English, Spanish): the card shows what to ask in Spanish with the English under it (**EN**);
the checklists, the panel and the reports stay English.
"""
    BINDINGS = [b for b in InterviewScreen.BINDINGS
                if b.id not in ("reread", "terms", "toggle_panel")]
    COMPACT = True
    SHOW_TICKS = True  # each red flag ticked or unticked is a line of the call's transcript
    MODES = modes.HOTLINE  # one or two keys a step: a yes goes straight to the ticks

    def compose(self) -> ComposeResult:
        yield Static(id="progress")
        with Horizontal(id="body"):
            with Vertical(id="conversation"):
                yield Transcript(id="transcript")
                yield FlagPicker(flags_for(self.library, self.observation_step()),
                                 lambda: self.session.record.observations, id="flags")
                yield PromptCard(id="prompt")
            yield ResponsePanel(self.library, id="response")
        yield Footer(compact=True, show_command_palette=False)

    NOTES = "Notes (Tab): names, AKAs, places, numbers"

    def observation_step(self):
        return next((s for s in self.flow.steps if s.kind == "observation"), self.flow.steps[0])

    # --- the engine's findings, on the panel --------------------------------------------------

    def refresh_panel(self) -> None:
        self.query_one(ResponsePanel).findings = self.session.findings

    def finished(self) -> None:
        """The call's screen is complete: stay here, with the response in view."""

    def show_step(self) -> None:
        if self.session.current is not None:
            super().show_step()
            return
        self.modes.start(None)
        self.make_room(False)
        self.offers_reference = False
        self.query_one(FlagPicker).display = False
        findings = self.session.findings.as_json(self.library)
        response, where = findings["response"], findings["jurisdiction"]
        speed = (f"{response['label']}: {response['deadline']}." if response["speed"]
                 else "No MDT tier: CSE is not suspected.")
        card = self.query_one(PromptCard)
        card.show(where="The hotline screen is complete.",
                  text=f"{speed} Jurisdiction: {where['label'].lower()}.",
                  guidance="The panel lists the cross-reports and what to document; the summary "
                  "has each with its reason, who does it, the deadline and the source.",
                  keys="ctrl+l summary · ctrl+b back · ctrl+t sections", compact=True)
        card.focus()

    # --- the card: one or two keys a step (the modes are modes.HOTLINE) ----------------------

    def cue_note(self, step, cue) -> str:
        """A suspicion the answers already establish (a disclosure the reporter relayed counts,
        as the step's guidance says) is marked on its cue, so the screener need not tick it."""
        forms = cue.indicates.suspected
        if not forms:
            return ""
        findings = self.session.findings
        for form in forms:
            others = [e for e in findings.suspicion_evidence.get(form, []) if e.step != step.id]
            if findings.suspected.get(form) and others:
                return " (counted already)"
        return ""

    def key_hint(self, step) -> str:
        # Ticking, one line even beside "↓ more below: PgDn" (the guidance is under the cues):
        # the notes field under the card names its own key, Tab.
        return {
            Mode.CUES: ("1-9, 0 tick" if len(step.cues) > 9 else "1-9 tick") + " · Enter record",
            Mode.NOTES: "Type, then Enter (Enter alone: not known)",
            Mode.CHOOSE: "y yes · n no · u unsure · d declined",
        }.get(self.modes.mode) or super().key_hint(step)

    def make_room(self, ticking: bool) -> None:
        """Ticking, the card takes the whole column: the transcript above it (what was said
        before this step, also in the summary) gives way until the step is recorded, so at 80x24
        every cue of every step is in view without PgDn (the At-Risk signs H and "another child
        in the home", and the family's emotional abuse and severe neglect, were below it)."""
        self.query_one(Transcript).display = not ticking
        card = self.query_one(PromptCard)
        scroll = card.query_one("#prompt-scroll")
        if ticking:
            card.styles.height = "1fr"
            card.styles.border_top = ("none", "transparent")
            scroll.styles.height = "1fr"
            scroll.styles.max_height = "100%"
        else:
            for rule in ("height", "border_top"):
                card.styles.clear_rule(rule)
            for rule in ("height", "max_height"):
                scroll.styles.clear_rule(rule)

    def flags_card(self) -> None:
        """The red flags: the picker explains its keys; the card only asks."""
        self.make_room(False)
        picker = self.query_one(FlagPicker)
        picker.display = True
        step = self.session.current
        section = self.flow.section_by_id[step.section].title
        self.query_one(PromptCard).show(
            where=f"Ask:  ({section})", text=self.library.step_text(step),
            keys="Letters find · Enter on an empty search: done", compact=True)
        picker.refresh(layout=True)
        self.set_focus(picker)

    def step_card(self) -> None:
        self.query_one(FlagPicker).display = False
        self.make_room(self.modes.is_in(Mode.CUES))
        super().step_card()
        step = self.session.current
        noting = self.modes.is_in(Mode.NOTES)
        notes = self.notes
        notes.display = self.modes.is_in(Mode.NOTES, Mode.CUES)
        notes.placeholder = ("Type the answer, then Enter" if step is not None and step.fact
                             and noting else self.NOTES)
        if noting:
            self.set_focus(notes)

    def escape_at_start(self) -> None:
        """Escape in the notes of a step that opened on its ticks: back to the ticks."""
        if self.modes.is_in(Mode.CUES) and self.focused is self.notes:
            self.query_one(PromptCard).focus()

    # --- the red flags --------------------------------------------------------------------

    def on_flag_picker_toggled(self, message: FlagPicker.Toggled) -> None:
        red_flag = message.red_flag
        if red_flag in self.session.record.observations:
            self.record(lambda: self.session.unobserve(red_flag))
        else:
            self.record(lambda: self.session.observe(red_flag))

    def on_flag_picker_done(self, message: FlagPicker.Done) -> None:
        step = self.session.current
        if step is None or step.kind != "observation":
            return
        self.record(lambda: self.session.answer("yes"))  # the reporter's flags: done

    def on_flag_picker_notes(self, message: FlagPicker.Notes) -> None:
        """Tab on the red flags: the list with a note per flag, on the flag highlighted (after
        a tick, the flag just ticked: **n** writes its note)."""
        picker = self.query_one(FlagPicker)
        matches = picker.matches
        self.action_observations()
        listing = self.app.screen
        if not matches or not isinstance(listing, ObservationsScreen):
            return
        current = matches[picker.highlight].id

        def on_it() -> None:
            options = listing.query_one(OptionList)
            with suppress(OptionDoesNotExist):
                options.highlighted = options.get_option_index(current)

        listing.call_after_refresh(on_it)

    def action_observations(self, move_on: bool = False) -> None:
        super().action_observations(move_on=False)
