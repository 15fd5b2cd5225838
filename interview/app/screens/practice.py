"""Practice: the interview screen, with a simulated youth (or caregiver) who answers.

The same screen as a real interview (recording, cues, checklist, sections, summary), driving the
same Session through a PracticeRun that never stores anything. Before each question the trainee
asks it: the flow's words (Enter), their own words (typed, matched to the closest question,
with the match shown to accept or change), or another question (ctrl+e). The simulated reply
comes back in the transcript and on the card; the trainee then records it as in a real
interview. ctrl+d ends the practice with the debrief.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding

from interview.app import modes
from interview.app.modes import Mode
from interview.app.screens.interview import InterviewScreen
from interview.app.widgets.prompt import PromptCard
from interview.app.widgets.transcript import Transcript
from interview.errors import InputError
from interview.record import language_name
from interview.practice.run import PracticeRun

class PracticeScreen(InterviewScreen):
    HELP = """\
## Practice interview

A fictional scenario: nothing you record is saved as a case. The briefing and what you can see
are at the top of the transcript (**ctrl+k** shows them again).

- **Ask**: the card shows the next question of the interview. **Enter** asks it in those
  words; or type the question in your own words and **Enter**: the closest question of the
  interview is shown, **Enter** asks it, **1**-**3** picks another match, **Escape** retypes.
  **ctrl+e** picks any other question from the list.
- **Record** the reply as in a real interview: **y n d u** for yes/no questions, notes and
  **1**-**9** to tick what you heard, **Enter** to record. **ctrl+o** is the checklist of what
  you see.
- **ctrl+l** the summary, as a real interview reaches it; **ctrl+d** ends the practice and shows
  the debrief (what you caught and missed, your technique, a score).

A typed question with a word that labels the youth (victim, trafficked, pimp, ...) is not
asked: the youth reacts, trust falls, and the debrief explains it. A probe such as "tell me
more about that" or "who was it?" follows up the last question. At the end you state your
determinations (At-Risk, disclosures, response, CSEC Type, next steps): the debrief scores them.
"""
    BINDINGS = InterviewScreen.BINDINGS + [
        Binding("ctrl+e", "questions", "Questions", priority=True, id="practice_questions"),
        Binding("ctrl+k", "briefing", "Case file", priority=True, id="practice_briefing"),
        Binding("ctrl+d", "debrief", "Debrief", priority=True, id="practice_debrief"),
    ]
    practice = True
    MODES = modes.PRACTICE  # the interview's modes, with asking (and matching) before each

    def __init__(self, library, config, scenario, trainee: str = "", results=None,
                 debriefs: list | None = None):
        self.run = PracticeRun(library, config, scenario, trainee)
        super().__init__(library, scenario.flow, session=self.run.session)
        self.config = config
        self.scenario = scenario
        self.results = results
        self.matcher = self.run.reader()
        self.debriefs = debriefs if debriefs is not None else []   # this session's, to reopen
        self.skips: list = []
        self.asked_here = ""          # the step whose asking this visit has happened
        self.last_reply = ""
        self.typed = ""
        self.candidates = []
        self.ended = False

    # --- showing ------------------------------------------------------------------------------

    def on_mount(self, event: events.Mount) -> None:
        # Not InterviewScreen's: the case facts set from the scenario are no "resumed" session.
        # (Textual calls a base class's handler too unless the default is prevented.)
        event.prevent_default()
        self.sub_title = self.flow.title
        self.query_one(Transcript).note(self.briefing())
        self.refresh_all()

    def briefing(self) -> str:
        s = self.scenario
        seen = "\n".join(f"  - {o.see}" for o in s.observations) or "  (nothing special)"
        what = "What the caller describes" if self.flow.setting == "hotline" else "What you see"
        spoken = "" if s.language == "en" else (
            f"{s.persona.name} speaks {language_name(s.language)}: the questions are shown in "
            f"{language_name(s.language)} with the English under them; type yours in "
            f"{language_name(s.language)} or English.\n")
        return (f"PRACTICE (fictional): {s.title}\n{s.persona.situation}\n{spoken}"
                f"{what}:\n{seen}\n")

    def refresh_progress(self) -> None:
        step = self.session.current
        where = "finished: ctrl+l summary, ctrl+d debrief" if step is None else \
            self.flow.section_by_id[step.section].title
        spoken = ("" if self.session.language == "en"
                  else f" · {language_name(self.session.language)}")
        self.query_one("#progress").update(
            f"PRACTICE (fictional, not saved) · {self.scenario.persona.name}{spoken} · {where}"
            f" · rapport {self.run.rapport}")

    def card_note(self, step) -> str:
        note = super().card_note(step)
        if self.last_reply and step.id == self.asked_here:
            note = f"{self.scenario.persona.name}: “{self.last_reply}”" + (
                "\n" + note if note else "")
        if step.kind == "observation":
            note = "What you see: " + " · ".join(o.see for o in self.scenario.observations)
        return note

    def show_step(self) -> None:
        step = self.session.current
        notes = self.notes
        if (step is not None and self.run.speaks(step) and step.kind != "script"
                and self.asked_here != step.id):
            self.modes.enter(Mode.ASK)
            self.value, self.ticked = "", []
            self.offers_reference = self.reference_available(step)
            notes.value = ""
            self.render_card()
            return
        super().show_step()

    def ask_card(self) -> None:
        step = self.session.current
        notes = self.notes
        notes.placeholder = "Or type your own question, then Enter"
        said = self.said(step)   # in the scenario's language, the English beside it
        self.query_one(PromptCard).show(
            where=f"Ask {self.scenario.persona.name}:  "
                  f"({self.flow.section_by_id[step.section].title})",
            text=said.text, english=said.english, mark=self.interpret_mark(said.interpret),
            guidance=self.shown(step.guidance),
            notes=True, keys="Enter: ask this question · or type your own · "
            "ctrl+e: pick another question · ctrl+d: debrief")
        notes.focus()

    def spoken(self, step, limit: int | None = None) -> str:
        """A question as the practice is spoken: in the scenario's language, with the English
        after it for the trainee when it is a translation (the Spanish audit, finding 8: the
        match card's alternatives, the [matched: ...] tag and a read script were English in a
        Spanish scenario). Each part cut to `limit` characters."""
        said = self.said(step)
        text = said.text[:limit]
        return f"{text}  · EN: {said.english[:limit]}" if said.english else text

    def match_card(self) -> None:
        card = self.query_one(PromptCard)
        best = self.said(self.flow.by_id[self.candidates[0].step])
        others = [(f"{self.spoken(self.flow.by_id[m.step], 120)}  "
                   f"({round(100 * m.score)}%)", False) for m in self.candidates]
        card.show(where=f"You typed: “{self.typed}”",
                  text=f"Closest question: {best.text[:300]}", english=best.english[:300],
                  guidance="The interview's question the matcher found closest to your words "
                           f"({round(100 * self.candidates[0].score)}% alike). The other close "
                           "ones are below." + skipped_note(self.library, self.skips),
                  cues=others, notes=False,
                  keys="Enter: ask it · 1-3: ask another of these · Escape: type again")
        card.focus()

    # --- what a practice does not offer ------------------------------------------------------

    def action_summary(self) -> None:
        """The summary as a real interview reaches it, without its export dialog."""
        from interview.app.screens.practice_summary import PracticeSummaryScreen

        self.app.push_screen(PracticeSummaryScreen(self.library, self.session),
                             lambda _: self.refresh_all())

    def offer_return_interview(self) -> None:
        """A scenario is one flow: case facts typed in practice never switch it to a real
        interview screen (which would have the summary's export)."""

    # --- asking -------------------------------------------------------------------------------

    def ask(self, step_id: str, typed: str = "", score: float | None = None) -> bool:
        """Ask a question through the practice run; the reply goes to the transcript."""
        transcript = self.query_one(Transcript)
        step = self.flow.by_id[step_id]
        ask = self.run.ask(step_id, typed, score)
        words = typed or self.run.said(step)
        if ask.refused:
            transcript.note(f"(You tried to ask “{words[:120]}”: {ask.refused})")
            self.notify(ask.refused, severity="warning", markup=False)
            self.refresh_all()
            return False
        said = f"You: {words}"
        if typed:
            said += f"  [matched: {self.spoken(step, 100)}]"
        transcript.add(said, f"{self.scenario.persona.name}: "
                       + (ask.reply.say if ask.reply and ask.reply.say else "(says nothing)"))
        self.last_reply = ask.reply.say if ask.reply else ""
        self.asked_here = step_id
        self.refresh_all()
        return True

    def ask_typed(self) -> None:
        """A question typed in the trainee's own words: matched to the interview's."""
        step = self.session.current
        typed = " ".join(self.notes.value.split())
        if not typed:
            self.ask(step.id)
            return
        reading = self.matcher.read(typed)
        if reading.labelling:                   # caught, whether or not it asks a question
            self.labelled(reading)
            return
        if reading.follow_up:
            self.follow_up(reading)
            return
        if reading.step is None:
            self.notify("No question of this interview is close to that: rephrase it, or pick "
                        "one with ctrl+e.", severity="warning", markup=False)
            return
        self.typed, self.candidates = typed, list(reading.ranked)
        self.modes.fire("typed", step)
        self.skips = self.run.skipped_by(reading.step)
        self.render_card()

    def ask_current(self) -> None:
        self.ask(self.session.current.id)

    def ask_best(self) -> None:
        best = self.candidates[0]
        self.ask(best.step, self.typed, best.score)

    def ask_candidate(self, number: int) -> None:
        if number <= len(self.candidates):
            choice = self.candidates[number - 1]
            self.ask(choice.step, self.typed, choice.score)

    def confirm_step(self) -> None:
        """A script the simulated person answers: read, and their reply recorded with it."""
        step = self.session.current
        if step.kind != "script" or not self.run.speaks(step):
            super().confirm_step()
            return
        ask = self.run.ask(step.id)
        reply = ask.reply.say if ask.reply and ask.reply.say else ""
        recorded = "read" + (f". {self.scenario.persona.name}: {reply}" if reply else "")
        self.record(lambda: self.session.answer("yes"), self.spoken(step), recorded)

    def labelled(self, reading) -> None:
        """A labelling line: not asked; the youth reacts and trust falls (issue 14, item 3)."""
        caught = self.run.label(reading.typed, reading.labels)
        name = self.scenario.persona.name
        self.query_one(Transcript).add(
            f"You: {reading.typed}  [labels: {', '.join(reading.labels)}; not asked]",
            f"{name}: {caught.reaction}")
        self.last_reply = caught.reaction
        self.notes.value = ""
        self.notify(f"“{', '.join(reading.labels)}” labels {name}: it was not asked, and "
                    f"{name}'s trust fell (rapport {caught.rapport_before} → "
                    f"{caught.rapport_after}). Ask in plain words.", severity="warning",
                    markup=False)
        self.refresh_all()

    def follow_up(self, reading) -> None:
        """A probe of the last question ("tell me more about that")."""
        probe = self.run.probe(reading.typed)
        name = self.scenario.persona.name
        about = (f"  [follows up: {self.spoken(self.flow.by_id[probe.step], 80)}]"
                 if probe.step else "  [nothing asked yet to follow up]")
        self.query_one(Transcript).add(f"You: {reading.typed}{about}", f"{name}: {probe.reply}")
        self.last_reply = probe.reply
        self.notes.value = ""
        self.refresh_all()

    def came_back(self, mode: Mode) -> None:
        super().came_back(mode)
        if mode == Mode.ASK:  # from the matches: the typed question, to retype
            self.notes.value = self.typed

    def action_questions(self) -> None:
        from interview.app.screens.practice_questions import PracticeQuestionsScreen

        self.app.push_screen(PracticeQuestionsScreen(self.run),
                             lambda step_id: step_id and self.ask(step_id))

    def action_briefing(self) -> None:
        from interview.app.screens.message import MessageScreen

        self.app.push_screen(MessageScreen("Case file (fictional)", self.briefing()))

    # --- the end ------------------------------------------------------------------------------

    def action_debrief(self) -> None:
        from interview.app.screens.message import ConfirmScreen

        if self.session.finished:
            self.end()
            return
        self.app.push_screen(ConfirmScreen(
            "End the practice interview?", "The debrief compares what you recorded so far with "
            "the answer key. You cannot go back to this interview afterwards.",
            yes="End and debrief", no="Keep going"), lambda yes: yes and self.end())

    def end(self) -> None:
        """The trainee states their determinations, then the debrief (issue 14, item 2)."""
        from interview.app.screens.practice_determinations import DeterminationsScreen

        if self.ended:
            return
        self.app.push_screen(DeterminationsScreen(self.library, self.scenario), self.finish)

    def finish(self, mine) -> None:
        from interview.app.screens.debrief import DebriefScreen
        from interview.app.screens.practice_debriefs import KeptDebrief
        from interview.practice.score import debrief, render

        if mine is None or self.ended:      # back to the interview
            return
        self.ended = True
        if mine.exploited_during and self.session.record.context.exploited_during is None:
            try:   # the worker's call, for the tool's feedback in the debrief
                self.session.set_facts(exploited_during=mine.exploited_during)
            except InputError:
                pass
        d = debrief(self.library, self.config, self.scenario, self.session.record, self.run,
                    self.run.trainee, mine)
        kept = KeptDebrief(d, render(self.library, self.config, d), self.results)
        message = kept.keep()
        if self.results and not kept.kept:
            self.notify(message, severity="error", markup=False)
        self.debriefs.append(kept)
        self.app.push_screen(DebriefScreen(kept.text, message), lambda _: self.app.pop_screen())


def skipped_note(library, skipped) -> str:
    """What asking a later question now skips (issue 14, item 4)."""
    if not skipped:
        return ""
    names = "; ".join(f"“{library.step_text(s).splitlines()[0][:60]}”" for s in skipped[:3])
    more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
    return (f"\nAsking it now skips {len(skipped)} question{'s' if len(skipped) > 1 else ''} "
            f"not asked yet: {names}{more}.")
