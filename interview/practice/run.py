"""One practice interview: the engine's Session (memory only), the simulated person's replies,
their rapport, and a log of what the trainee asked, in what words, and when.

The Session is the same one a real interview uses, with no sinks: nothing is stored. Moving to
a question the trainee picks goes through `Session.jump`, so the engine's confidentiality gate
holds here too; a refused attempt is logged for the debrief.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from interview.content import model as m
from interview.content.words import labelling_words
from interview.engine.session import Session
from interview.errors import InputError
from interview.practice.config import FlowTechnique, PracticeConfig
from interview.practice.scenario import Reply, Scenario


@dataclass(frozen=True)
class Ask:
    """One asking of a question (or reading of a script) by the trainee."""

    step: str
    at: int                         # how many session events came before it (orders the two logs)
    typed: str = ""                 # the trainee's own words; "" when the flow's words were used
    match: float | None = None      # the matcher's score for the typed words
    labels: tuple[str, ...] = ()    # words of DOMAIN.md section 10 in the typed words
    refused: str = ""               # the engine refused it (before the script): why
    reply: Reply | None = None
    rapport: int = 0                # rapport when it was asked


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value.isoformat() if isinstance(value, dt.date) else value


class PracticeRun:
    def __init__(self, library: m.Library, config: PracticeConfig, scenario: Scenario,
                 trainee: str = ""):
        self.library = library
        self.config = config
        self.scenario = scenario
        self.trainee = trainee
        self.session = Session(library, scenario.flow)  # no sinks: never stored
        if scenario.facts:
            self.session.set_facts(**_jsonable(scenario.facts))
        self.flow = self.session.flow
        self.technique = config.flows.get(scenario.flow, FlowTechnique())
        self.asks: list[Ask] = []
        self.times_asked: Counter[str] = Counter()
        self.rapport = 0
        self.started = dt.datetime.now(dt.timezone.utc)

    # --- what can be asked --------------------------------------------------------------------

    def speaks(self, step: m.Step) -> bool:
        """Is this step said to the simulated person (a question or a script)?"""
        return step.audience == self.scenario.audience and step.kind in ("script", "open", "closed")

    def askable(self) -> list[m.Step]:
        return [s for s in self.flow.steps if self.speaks(s)]

    def matchable(self) -> list[m.Step]:
        """What a typed question may match: the questions, and the openers that build rapport
        (not the script read before the questions, nor the closing)."""
        return [s for s in self.askable() if s.is_question or (
            s.section in self.technique.rapport and s.id != self.technique.script_first)]

    # --- asking -------------------------------------------------------------------------------

    def reply_for(self, step_id: str, asked: int | None = None) -> Reply:
        """The reply this step gets now (first matching variant), or the scenario's default."""
        asked = asked if asked is not None else self.times_asked[step_id] + 1
        for reply in self.scenario.replies.get(step_id, ()):
            if reply.applies(self.rapport, asked):
                return reply
        step = self.flow.by_id[step_id]
        if step.kind == "script" or step.audience == "worker":
            return Reply()
        default = self.scenario.default
        return Reply(default.say, default.answer if step.kind == "closed" else "")

    def ask(self, step_id: str, typed: str = "", match: float | None = None) -> Ask:
        """Ask a question (or read a script): move there through the engine, then reply."""
        step = self.flow.by_id[step_id]
        typed = typed.strip()
        labels = tuple(labelling_words(typed, self.library.youth_words)) if typed else ()
        if self.session.state != step_id:
            try:
                self.session.jump(step_id)
            except InputError as exc:
                ask = Ask(step_id, len(self.session.events), typed, match, labels, str(exc),
                          rapport=self.rapport)
                self.asks.append(ask)
                return ask
        reply = self.reply_for(step_id)
        rapport_then = self.rapport
        if labels:
            loss = self.scenario.labelled_loss
            self.rapport -= loss if loss is not None else self.config.labelled_rapport_loss
            if self.scenario.labelled is not None:
                reply = Reply(self.scenario.labelled.say, "declined" if step.kind == "closed"
                              else "")
        elif step.section in self.technique.rapport and not self.times_asked[step_id]:
            self.rapport += 1
        self.times_asked[step_id] += 1
        ask = Ask(step_id, len(self.session.events), typed, match, labels, "", reply, rapport_then)
        self.asks.append(ask)
        return ask

    # --- the ideal interview (selftest) -------------------------------------------------------

    def play_ideal(self) -> None:
        """Conduct the whole interview in the flow's order, recording each reply's ideal marks.

        Every step is asked once; the worker's own questions take the scenario's answers; every
        observation meant as a red flag is ticked.
        """
        session = self.session
        for _ in range(10 * len(self.flow.steps)):
            step = session.current
            if step is None:
                return
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
        raise InputError(f"scenario {self.scenario.id!r}: the ideal interview did not finish")

    def close(self) -> None:
        self.session.close()
