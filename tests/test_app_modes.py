"""The input modes of the interview screens (interview/app/modes.py): one table per screen."""

from __future__ import annotations

import pytest

from interview.app import modes
from interview.app.modes import Mode, ModeMachine
from interview.app.screens.hotline import HotlineScreen
from interview.app.screens.interview import InterviewScreen
from interview.app.screens.practice import PracticeScreen


@pytest.mark.parametrize("screen", [InterviewScreen, HotlineScreen, PracticeScreen])
def test_every_method_a_mode_table_names_is_a_method_of_its_screen(screen):
    for (event, mode), name in screen.MODES.calls.items():
        assert callable(getattr(screen, name, None)), (screen.__name__, event, mode, name)


def test_each_screen_has_its_own_modes_and_the_interview_has_none_of_the_others():
    assert modes.INTERVIEW.modes() == {Mode.NONE, Mode.CONFIRM, Mode.CHOOSE, Mode.NOTES,
                                       Mode.CUES}
    assert modes.HOTLINE.modes() - modes.INTERVIEW.modes() == {Mode.FLAGS}
    assert modes.PRACTICE.modes() - modes.INTERVIEW.modes() == {Mode.ASK, Mode.MATCH}


def steps(library, flow_id):
    return library.flows[flow_id].steps


def test_a_step_opens_in_the_mode_of_its_kind(library):
    for step in steps(library, "youth"):
        expected = {"open": Mode.NOTES, "closed": Mode.CHOOSE}.get(step.kind, Mode.CONFIRM)
        assert modes.INTERVIEW.opens_in(step) == expected, step.id
    hotline = steps(library, "hotline")
    for step in hotline:
        mode = modes.HOTLINE.opens_in(step)
        if step.kind == "open":
            assert mode == (Mode.CUES if step.cues else Mode.NOTES), step.id
        if step.kind == "observation":
            assert mode == Mode.FLAGS
    assert modes.INTERVIEW.opens_in(None) == Mode.NONE


def test_a_yes_with_cues_goes_to_the_notes_then_the_ticks_and_escape_retraces_it(library):
    step = next(s for s in steps(library, "youth") if s.kind == "closed" and s.cues)
    machine = ModeMachine(modes.INTERVIEW)
    assert machine.start(step) == Mode.CHOOSE
    assert not machine.fire("noted", step, "yes")           # no notes yet: not from CHOOSE
    assert machine.fire("yes", step, "yes") and machine.mode == Mode.NOTES
    assert machine.fire("noted", step, "yes") and machine.mode == Mode.CUES
    assert machine.handler("tick") == "toggle_cue" and machine.handler("typed") is None
    assert machine.back() == Mode.NOTES
    assert machine.back() == Mode.CHOOSE
    assert machine.back() is None and machine.mode == Mode.CHOOSE   # where the step began


def test_a_yes_with_nothing_to_note_is_recorded_at_once_and_a_no_never_moves(library):
    plain = next(s for s in steps(library, "youth")
                 if s.kind == "closed" and not s.cues and not s.follow_up)
    machine = ModeMachine(modes.INTERVIEW)
    machine.start(plain)
    assert not machine.may("yes", plain, "yes")
    cued = next(s for s in steps(library, "youth") if s.kind == "closed" and s.cues)
    machine.start(cued)
    assert not machine.fire("no", cued, "no") and machine.mode == Mode.CHOOSE
    # On the hotline's screen (the same kind of step), a yes goes straight to the ticks.
    hotline = ModeMachine(modes.HOTLINE)
    hotline.start(cued)
    assert hotline.fire("yes", cued, "yes") and hotline.mode == Mode.CUES  # no notes first
    assert hotline.handler("typed") == "submit"
    assert hotline.back() == Mode.CHOOSE


def test_an_open_answer_with_no_cues_is_recorded_from_its_notes(library):
    step = next(s for s in steps(library, "youth") if s.kind == "open" and not s.cues)
    machine = ModeMachine(modes.INTERVIEW)
    assert machine.start(step) == Mode.NOTES
    assert not machine.fire("noted", step)
    assert machine.handler("typed") == "notes_done" and machine.handler("enter") is None
