"""One practice interview: the engine's Session (memory only), the simulated person's replies,
their rapport, and a log of what the trainee asked, in what words, and when.

The Session is the same one a real interview uses, with no sinks: nothing is stored. Moving to
a question the trainee picks goes through `Session.jump`, so the engine's confidentiality gate
holds here too; a refused attempt is logged for the debrief.

The simulated person is believable in three ways (issue 14):
- **rapport**: questions of the sections that build it add a point the first time; a reply may
  wait for a level of rapport (`when: {rapport: N}`), and what was held back for want of it is
  kept for the debrief;
- **memory**: once they have told something at a question, asking it again gets the same, and a
  reply may depend on what they told elsewhere (`when: {told: [...]}`); asking the same question
  twice in a row gets the same answer again (a reply for a later asking needs another question
  in between);
- **labels**: a typed line with a word that labels them is not a question asked: they react
  (`labelled:`), rapport falls, and the debrief says what it cost.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from interview.content import model as m
from interview.content.yamlsafe import jsonable
from interview.engine.session import Session
from interview.errors import InputError
from interview.practice.config import FlowTechnique, PracticeConfig
from interview.practice.scenario import Reply, Scenario


@dataclass(frozen=True)
class Ask:
    """One asking of a question (or reading of a script) by the trainee."""

    step: str
    at: int                         # how many session events came before it (orders the logs)
    typed: str = ""                 # the trainee's own words; "" when the flow's words were used
    match: float | None = None      # the matcher's score for the typed words
    refused: str = ""               # the engine refused it (before the script): why
    reply: Reply | None = None
    rapport: int = 0                # rapport when it was asked
    withheld: Reply | None = None   # what they would have told at more rapport


@dataclass(frozen=True)
class Labelled:
    """A typed line with a word that labels the youth: caught, never a question asked."""

    typed: str
    labels: tuple[str, ...]
    at: int
    reaction: str
    rapport_before: int
    rapport_after: int


@dataclass(frozen=True)
class Probe:
    """A follow-up probe ("tell me more about that") of the last question asked."""

    typed: str
    step: str | None                # the question it followed up (None: nothing asked yet)
    at: int
    reply: str


@dataclass(frozen=True)
class Line:
    """One line of the transcript."""

    speaker: str                    # "you" or the persona's name
    text: str
    note: str = ""                  # what the practice made of it ([matched: ...], [label: ...])


def speaks(step: m.Step, audience: str) -> bool:
    """Is this step said to the simulated person (a question or a script)?"""
    return step.audience == audience and step.kind in ("script", "open", "closed")


def matchable(flow: m.Flow, audience: str, technique: FlowTechnique) -> list[m.Step]:
    """What a typed question may match: the questions, and the openers that build rapport
    (not the script read before the questions, nor the closing)."""
    return [s for s in flow.steps if speaks(s, audience) and (s.is_question or (
        s.section in technique.rapport and s.id != technique.script_first))]


class PracticeRun:
    def __init__(self, library: m.Library, config: PracticeConfig, scenario: Scenario,
                 trainee: str = ""):
        self.library = library
        self.config = config
        self.scenario = scenario
        self.trainee = trainee
        self.session = Session(library, scenario.flow)  # no sinks: never stored
        if scenario.facts:
            self.session.set_facts(**jsonable(scenario.facts))
        if scenario.language != "en":   # spoken to the person in their language: an event
            self.session.set_language(scenario.language)
        self.flow = self.session.flow
        self.technique = config.flows.get(scenario.flow, FlowTechnique())
        self.asks: list[Ask] = []
        self.labelled: list[Labelled] = []
        self.probes: list[Probe] = []
        self.transcript: list[Line] = []
        self.times_asked: Counter[str] = Counter()
        self.given: dict[str, Reply] = {}      # the last reply given at each step
        self.told: set[str] = set()            # steps whose reply told something
        self.rapport = 0
        self.started = dt.datetime.now(dt.timezone.utc)

    # --- what can be asked --------------------------------------------------------------------

    def speaks(self, step: m.Step) -> bool:
        return speaks(step, self.scenario.audience)

    def askable(self) -> list[m.Step]:
        return [s for s in self.flow.steps if self.speaks(s)]

    def matchable(self) -> list[m.Step]:
        return matchable(self.flow, self.scenario.audience, self.technique)

    def said(self, step: m.Step) -> str:
        """The question in the words of the flow, in the scenario's language where it has a
        current translation (else the English, for the trainee to interpret)."""
        from interview.engine.said import said

        return said(self.library, step, self.session.language).text

    def reader(self):
        """The matcher of what the trainee types: in English or Spanish, each line read in the
        language it is typed in (a line that could be either, in the scenario's)."""
        from interview.practice.spanish import reader

        return reader(self.library, self.matchable(), self.config, self.scenario.language)

    @property
    def asked(self) -> list[str]:
        """The questions asked (not refused), in the order first asked."""
        return list(dict.fromkeys(a.step for a in self.asks if not a.refused))

    def skipped_by(self, step_id: str) -> list[m.Step]:
        """The questions before `step_id` in the flow's order not asked yet: what asking it now
        skips (a match to a later question says so)."""
        asked = set(self.asked)
        current = self.session.current
        start = current.index if current is not None else 0
        target = self.flow.by_id[step_id].index
        return [s for s in self.askable()[:] if start <= s.index < target and s.is_question
                and s.id not in asked]

    # --- replies ------------------------------------------------------------------------------

    def reply_for(self, step_id: str, asked: int | None = None) -> Reply:
        """The reply this step gets now (first matching variant), or the scenario's default."""
        asked = asked if asked is not None else self.times_asked[step_id] + 1
        told = frozenset(self.told)
        for reply in self.scenario.replies.get(step_id, ()):
            if reply.applies(self.rapport, asked, told):
                return reply
        step = self.flow.by_id[step_id]
        if step.kind == "script" or step.audience == "worker":
            return Reply()
        default = self.scenario.default
        return Reply(default.say, default.answer if step.kind == "closed" else "",
                     more=default.more)

    def _withheld(self, step_id: str, reply: Reply, asked: int) -> Reply | None:
        """A reply that would tell something, held back only for want of rapport."""
        if reply.tells:
            return None
        told = frozenset(self.told)
        for variant in self.scenario.replies.get(step_id, ()):
            if variant is reply:
                return None
            if variant.tells and variant.rapport > self.rapport and variant.applies(
                    variant.rapport, asked, told):
                return variant
        return None

    def _last_asked(self) -> str | None:
        return next((a.step for a in reversed(self.asks) if not a.refused), None)

    # --- asking -------------------------------------------------------------------------------

    def ask(self, step_id: str, typed: str = "", match: float | None = None) -> Ask:
        """Ask a question (or read a script): move there through the engine, then reply."""
        step = self.flow.by_id[step_id]
        typed = " ".join(typed.split())
        if self.session.state != step_id:
            try:
                self.session.jump(step_id)
            except InputError as exc:
                ask = Ask(step_id, len(self.session.events), typed, match, str(exc),
                          rapport=self.rapport)
                self.asks.append(ask)
                return ask
        asked = self.times_asked[step_id] + 1
        if self._last_asked() == step_id and step_id in self.given:
            reply = self.given[step_id]          # asked again at once: the same answer
        else:
            reply = self.reply_for(step_id, asked)
            before = self.given.get(step_id)
            if before is not None and before.tells and not reply.tells:
                reply = before                   # what they told, they do not take back
        withheld = self._withheld(step_id, reply, asked)
        rapport_then = self.rapport
        if step.section in self.technique.rapport and not self.times_asked[step_id]:
            self.rapport += 1
        self.times_asked[step_id] += 1
        self.given[step_id] = reply
        if reply.tells:
            self.told.add(step_id)
        ask = Ask(step_id, len(self.session.events), typed, match, "", reply, rapport_then,
                  withheld)
        self.asks.append(ask)
        if typed:
            words = typed
        elif step.script:   # a script is long: the transcript names it
            words = f"(read: {self.library.scripts[step.script].title})"
        else:
            words = " ".join(self.said(step).split())
        self.transcript.append(Line("you", words, f"matched: {self.library.step_text(step)}"
                                    if typed else ""))
        if reply.say:
            self.transcript.append(Line(self.scenario.persona.name, reply.say))
        return ask

    def label(self, typed: str, labels: tuple[str, ...]) -> Labelled:
        """A typed line that labels the youth: they react, rapport falls, nothing is asked."""
        loss = self.scenario.labelled_loss
        loss = self.config.labelled_rapport_loss if loss is None else loss
        reaction = (self.scenario.labelled.say if self.scenario.labelled is not None
                    else self.config.said("labelled", self.scenario.language))
        before = self.rapport
        self.rapport -= loss
        caught = Labelled(" ".join(typed.split()), tuple(labels), len(self.session.events),
                          reaction, before, self.rapport)
        self.labelled.append(caught)
        self.transcript.append(Line("you", caught.typed, "labels: " + ", ".join(labels)))
        self.transcript.append(Line(self.scenario.persona.name, reaction))
        return caught

    def probe(self, typed: str) -> Probe:
        """A follow-up probe of the last question asked: its reply's `more`, once."""
        step = self._last_asked()
        reply = self.given.get(step) if step else None
        more = reply.more if reply is not None else ""
        already = any(p.step == step and p.reply == more for p in self.probes)
        said = more if more and not already else self.config.said("probe", self.scenario.language)
        probe = Probe(" ".join(typed.split()), step, len(self.session.events), said)
        self.probes.append(probe)
        self.transcript.append(Line("you", probe.typed, "follow-up"))
        self.transcript.append(Line(self.scenario.persona.name, said))
        return probe

    # --- the ideal interview (selftest) -------------------------------------------------------

    def play_ideal(self) -> None:
        """Conduct the whole interview in the flow's order, recording each reply's ideal marks.

        Every step is asked once; the worker's own questions take the scenario's answers; every
        observation meant as a red flag is ticked; the worker's determination of when the child
        was exploited (the key's `exploited_during`) is recorded when the flow did not.
        """
        session = self.session
        for _ in range(10 * len(self.flow.steps)):
            step = session.current
            if step is None:
                break
            if step.kind == "facts":
                session.skip()                     # the case facts were filled in at the start
            elif step.kind == "observation":
                for seen in self.scenario.observations:
                    if seen.red_flag:
                        session.observe(seen.red_flag, seen.see)
                session.skip()
            elif step.kind == "script":
                if self.speaks(step):
                    self.ask(step.id)
                session.answer("yes")
            else:
                reply = self.ask(step.id).reply if self.speaks(step) else self.reply_for(step.id)
                if step.kind == "open":
                    session.answer(text=reply.say, cues=reply.cues)
                else:
                    session.answer(reply.answer or "no", text=reply.say, cues=reply.cues)
        else:
            raise InputError(f"scenario {self.scenario.id!r}: the ideal interview did not finish")
        when = self.scenario.key.exploited_during
        if when and session.record.context.exploited_during != when:
            session.set_facts(exploited_during=when)

    def close(self) -> None:
        self.session.close()
