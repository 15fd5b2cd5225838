"""The input modes of the interview screens, and the moves between them, in one place.

What a key does depends on the mode the current step is in: a yes/no question takes y n d u, a
note takes typing, ticking takes the number keys. Each screen (the interview, the hotline's,
practice's) has one table here saying
- which mode a step opens in (`opening`, by the step's kind),
- which moves a step may make from there (`moves`: mode and trigger to mode, with a guard),
- what Enter, the number keys and a submitted note do in each mode, and which card shows it
  (`calls`: the screen's method for each event and mode).
Escape goes back along the moves made on the current step, so it needs no table of its own.

The screens ask their `ModeMachine` (`may`, `fire`, `back`, `mode`) instead of comparing strings,
and the hotline and practice screens are configured by their table, not by overriding the
interview screen's key handlers. Plain data and no Textual: tests read it without an app.
"""

from __future__ import annotations

from dataclasses import field
from enum import StrEnum
from typing import Callable

from interview.lazy_dataclass import dataclass


class Mode(StrEnum):
    """What the keys do now (the value is what the screens once kept as a string)."""

    NONE = ""            # no step: the interview is finished
    CONFIRM = "confirm"  # a script to read, the case facts, the checklist: Enter
    CHOOSE = "choose"    # a yes/no question: y, n, d, u
    NOTES = "notes"      # notes in the person's own words, typed, then Enter
    CUES = "cues"        # what the answer revealed: the number keys tick, Enter records
    FLAGS = "flags"      # the hotline's red flags: typed letters search the picker
    ASK = "ask"          # practice: Enter asks the question, or the trainee types their own
    MATCH = "match"      # practice: the closest questions to what the trainee typed


# The events a table maps to a screen's methods: Enter, a number key, a note submitted, and
# drawing the card.
ENTER, TICK, TYPED, CARD = "enter", "tick", "typed", "card"

Guard = Callable[[object, str], bool]  # (the step, the closed answer chosen so far) -> allowed


def always(step, value: str) -> bool:
    return True


def cues_or_follow_up(step, value: str) -> bool:
    """A yes with something to note: what happened in their words, then what it was."""
    return bool(step.cues or step.follow_up)


def has_cues(step, value: str) -> bool:
    return bool(step.cues)


def cues_to_tick(step, value: str) -> bool:
    """Notes taken: tick what they revealed, for an open answer or a yes with cues."""
    return bool(step.cues) and (step.kind == "open" or value == "yes")


@dataclass(frozen=True)
class ModeTable:
    """One screen's modes: where a step opens, the moves it may make, what the keys call."""

    opening: dict[str, Mode]                                # by step kind ("open+cues" first)
    moves: dict[tuple[Mode, str], tuple[Mode, Guard]]       # (from, trigger) -> (to, guard)
    calls: dict[tuple[str, Mode], str] = field(default_factory=dict)  # (event, mode) -> method
    default: Mode = Mode.CONFIRM                            # a kind not in `opening`

    def opens_in(self, step) -> Mode:
        if step is None:
            return Mode.NONE
        if step.cues and f"{step.kind}+cues" in self.opening:
            return self.opening[f"{step.kind}+cues"]
        return self.opening.get(step.kind, self.default)

    def modes(self) -> set[Mode]:
        """Every mode a step can be in on this screen (for tests and the help)."""
        found = set(self.opening.values()) | {self.default, Mode.NONE}
        for (source, _), (dest, _) in self.moves.items():
            found |= {source, dest}
        return found | {mode for _, mode in self.calls}

    def extend(self, opening=None, moves=None, calls=None) -> ModeTable:
        return ModeTable({**self.opening, **(opening or {})}, {**self.moves, **(moves or {})},
                         {**self.calls, **(calls or {})}, self.default)


class ModeMachine:
    """The current step's mode and the moves it made (Escape retraces them)."""

    def __init__(self, table: ModeTable):
        self.table = table
        self.trail: list[Mode] = [Mode.NONE]

    @property
    def mode(self) -> Mode:
        return self.trail[-1]

    def is_in(self, *modes: Mode) -> bool:
        return self.mode in modes

    @property
    def moved(self) -> bool:
        """Whether the step has left the mode it opened in (its question has been answered)."""
        return len(self.trail) > 1

    def start(self, step) -> Mode:
        """A new step (or the same one shown afresh): the mode its kind opens in."""
        return self.enter(self.table.opens_in(step))

    def enter(self, mode: Mode) -> Mode:
        """Begin the step in `mode` (practice asks the question before the step's own mode)."""
        self.trail = [mode]
        return mode

    def may(self, trigger: str, step, value: str = "") -> bool:
        move = self.table.moves.get((self.mode, trigger))
        return step is not None and move is not None and move[1](step, value)

    def fire(self, trigger: str, step, value: str = "") -> bool:
        """Make the move if the table allows it here; say whether it was made."""
        if not self.may(trigger, step, value):
            return False
        self.trail.append(self.table.moves[(self.mode, trigger)][0])
        return True

    def back(self) -> Mode | None:
        """Escape: back to the mode before the last move on this step, or None at its start."""
        if len(self.trail) < 2:
            return None
        self.trail.pop()
        return self.mode

    def handler(self, event: str) -> str | None:
        """The screen method an event calls in the current mode (None: it does nothing)."""
        return self.table.calls.get((event, self.mode))


# --- the three screens ---------------------------------------------------------------------------

# On every screen: Enter at the end opens the summary, Enter on a script or form goes through
# it, Enter on the ticks records, and the number keys tick.
COMMON_CALLS = {
    (ENTER, Mode.NONE): "action_summary",
    (ENTER, Mode.CONFIRM): "confirm_step",
    (ENTER, Mode.CUES): "submit",
    (TICK, Mode.CUES): "toggle_cue",
}

INTERVIEW = ModeTable(
    opening={"open": Mode.NOTES, "closed": Mode.CHOOSE},   # scripts, facts, checklist: CONFIRM
    moves={
        (Mode.CHOOSE, "yes"): (Mode.NOTES, cues_or_follow_up),  # note what happened, then tick
        (Mode.NOTES, "noted"): (Mode.CUES, cues_to_tick),
    },
    calls={**COMMON_CALLS, (TYPED, Mode.NOTES): "notes_done"},
)

# A call with a reporter: one or two keys a step. An open question with cues opens on the
# ticks (the notes are a Tab away, and Enter there records); a yes goes straight to the ticks;
# the checklist is the red-flag picker.
HOTLINE = ModeTable(
    opening={"open": Mode.NOTES, "open+cues": Mode.CUES, "closed": Mode.CHOOSE,
             "observation": Mode.FLAGS},
    moves={(Mode.CHOOSE, "yes"): (Mode.CUES, has_cues)},
    calls={
        **COMMON_CALLS,
        (TYPED, Mode.NOTES): "submit",
        (TYPED, Mode.CUES): "submit",
        (CARD, Mode.FLAGS): "flags_card",   # the picker explains its keys; the card only asks
    },
)

# Practice: before a question the simulated youth answers, the trainee asks it (in the flow's
# words, or typed in their own and matched); then the step's own mode, as in an interview.
PRACTICE = INTERVIEW.extend(
    moves={(Mode.ASK, "typed"): (Mode.MATCH, always)},
    calls={
        (ENTER, Mode.ASK): "ask_current",
        (TYPED, Mode.ASK): "ask_typed",
        (CARD, Mode.ASK): "ask_card",
        (ENTER, Mode.MATCH): "ask_best",
        (TICK, Mode.MATCH): "ask_candidate",
        (CARD, Mode.MATCH): "match_card",
    },
)
