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


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_home(snap_compare, library, theme):
    assert snap_compare(app(library, theme=theme), terminal_size=(80, 24))


def test_youth_interview_first_question(snap_compare, library):
    assert snap_compare(app(library, "youth"), terminal_size=(80, 24),
                        press=["ctrl+s", "enter", "enter", "enter", "y", *"none", "enter"])


def test_youth_open_question_ticking_cues(snap_compare, library):
    press = ["ctrl+s", "enter", "enter", "enter", "y", "enter", *"tired", "enter", "1"]
    assert snap_compare(app(library, "youth", theme="textual-light"), terminal_size=(80, 24),
                        press=press)


def test_caregiver_with_side_panel(snap_compare, library):
    assert snap_compare(app(library, "caregiver"), terminal_size=(100, 30),
                        press=["ctrl+s", "enter", "y", "enter", "n", "n", "n", "n", "y"])


def test_summary(snap_compare, library):
    async def answer(pilot):
        pilot.app.screen.session.set_facts(**FIXED)
        await pilot.press("ctrl+s", "enter", "n", "y", "enter", "n", "n", "n", "n", "y", "ctrl+l")

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
