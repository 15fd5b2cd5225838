"""Snapshots of the main screens at 80x24 (the smallest supported terminal), dark and light.

Update after an intended change with `pytest tests/test_snapshots.py --snapshot-update`, then
look at the SVGs in tests/__snapshots__ before committing them.
"""

from __future__ import annotations

import pytest

from interview.app.app import InterviewApp

FIXED = {"interview_date": "2025-09-03", "date_of_birth": "2010-06-14"}  # fictional


def app(library, flow=None, theme="textual-dark"):
    instance = InterviewApp(flow_id=flow, library=library)
    instance.theme = theme
    return instance


# Enter reads on while part of a script is below the card, then records it: the youth's
# confidentiality script takes three at 80x24, the caregiver's framing two (tests/keys.py).
READ_THE_SCRIPT = ["enter"] * 3
READ_THE_FRAMING = ["enter"] * 2


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_home(snap_compare, library, theme):
    assert snap_compare(app(library, theme=theme), terminal_size=(80, 24))


def test_youth_interview_first_question(snap_compare, library):
    assert snap_compare(app(library, "youth"), terminal_size=(80, 24),
                        press=["ctrl+s", "enter", "enter", *READ_THE_SCRIPT, "y", *"none", "enter"])


def test_youth_open_question_ticking_cues(snap_compare, library):
    press = ["ctrl+s", "enter", "enter", *READ_THE_SCRIPT, "y", "enter", *"tired", "enter", "1"]
    assert snap_compare(app(library, "youth", theme="textual-light"), terminal_size=(80, 24),
                        press=press)


def test_caregiver_with_side_panel(snap_compare, library):
    """The caregiver is in the room: the worker opens the panel (ctrl+f), in codes."""
    assert snap_compare(app(library, "caregiver"), terminal_size=(100, 30),
                        press=["ctrl+s", *READ_THE_FRAMING, "y", "enter", "n", "n", "n", "n", "y",
                               "ctrl+f"])


def test_summary(snap_compare, library):
    async def answer(pilot):
        pilot.app.screen.session.set_facts(**FIXED)
        await pilot.press("ctrl+s", *READ_THE_FRAMING, "n", "y", "enter", "n", "n", "n", "n", "y",
                          "ctrl+l", "y")

    assert snap_compare(app(library, "caregiver"), terminal_size=(80, 24), run_before=answer)


def test_hidden(snap_compare, library):
    assert snap_compare(app(library, "youth"), terminal_size=(80, 24), press=["ctrl+g"])


def test_hotline_red_flags_mid_call(snap_compare, library):
    press = ["4", "8", "enter", "1", "5", "enter", "1", "8", "enter", "r", "u", "enter", "t", "a"]
    assert snap_compare(app(library, "hotline"), terminal_size=(80, 24), press=press)


def test_hotline_complete(snap_compare, library):
    press = ["4", "8", "enter", "1", "5", "enter", "1", "8", "enter", "r", "u", "enter", "o", "l",
             "enter", "enter", "1", "enter", "4", "enter", "enter", "enter", "1", "enter", "y"]
    assert snap_compare(app(library, "hotline", theme="textual-light"), terminal_size=(80, 24),
                        press=press)


async def to_the_closing(pilot):
    """A youth interview with a few answers, up to the closing script (fictional)."""
    session = pilot.app.screen.session
    session.set_facts(**FIXED)
    session.skip()                                    # case facts: given above
    for _ in range(4):
        session.answer("yes")                         # basic needs, rapport, script, said back
    session.answer(text="asked who will know")
    session.answer(text="tired")
    session.answer(text="at friends' places", cues=["no_stable_place"])
    session.jump("specific")
    session.answer("yes", text="he sets up dates")    # paid for sex: S
    session.observe("tattoos_or_branding", "crown on the neck")
    session.jump("ending")
    pilot.app.screen.refresh_all()
    await pilot.pause()


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_youth_closing_then_finished_without_the_summary(snap_compare, library, theme):
    """Enter after the closing script (and the worker's collateral contacts, none yet): the
    interview is finished, and the summary (findings in words) has not opened by itself."""
    assert snap_compare(app(library, "youth", theme=theme), terminal_size=(80, 24),
                        run_before=to_the_closing, press=["enter", "enter", "enter"])


def test_youth_checklist_with_a_note_being_typed(snap_compare, library):
    """The note is typed under the list, with the item it is for named above it and still
    highlighted in view; items are named by the flow's hints, not the chart's labels."""
    press = ["ctrl+o", *["down"] * 5, "space", *"crown on the n"]
    assert snap_compare(app(library, "youth"), terminal_size=(80, 24), press=press)


def test_youth_side_panel_in_codes(snap_compare, library):
    """With a youth in the room the side panel (ctrl+f) shows codes only."""
    assert snap_compare(app(library, "youth", theme="textual-light"), terminal_size=(80, 24),
                        run_before=to_the_closing, press=["ctrl+f"])
