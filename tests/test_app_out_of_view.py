"""What the youth (or caregiver) could see once they are back in the room (audit-screen findings
1, 3 and 6): the worker's "yes, out of view" lasts only while the worker is out of their sight,
and the transcript above the card keeps no checklist words nor what was ticked about them.
Each test performs the audit's steps through Textual's Pilot at 80x24. All cases are fictional.
"""

from __future__ import annotations

import asyncio

import pytest

from interview.app.app import InterviewApp
from interview.app.screens.message import ConfirmScreen
from interview.app.screens.sections import SectionsScreen
from interview.app.screens.summary import SummaryScreen

from keys import offer_the_checklists, past_the_script
from test_app_figures import terminal_text


def run(coro):
    return asyncio.run(coro)


def flat(app) -> str:
    return " ".join(terminal_text(app).split())


async def to_the_checklists(pilot, flow_id: str) -> None:
    """Past the script (a youth interview), to the offer of the checklists; y to it, then y to
    "Is the ... out of view?", then y and a note to the first checklist item."""
    screen, session = pilot.app.screen, pilot.app.screen.session
    await offer_the_checklists(pilot, flow_id)
    await pilot.press("y")                           # the youth steps out
    await pilot.pause()
    assert pilot.app.screen is screen and screen.findings_cleared
    first = session.current
    assert screen.flow.section_by_id[first.section].out_of_view
    await pilot.press("y", *"seen on her phone", "enter")
    await pilot.pause()
    assert first.id in session.record.answers


async def jump_to(pilot, section_id: str) -> None:
    """ctrl+t, the section, Enter: as the worker jumps."""
    await pilot.press("ctrl+t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SectionsScreen)
    menu = pilot.app.screen.query_one("#sections")
    menu.highlighted = [s.id for s in pilot.app.screen.session.flow.sections].index(section_id)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("flow_id, who", [("youth", "youth"), ("caregiver", "caregiver")])
def test_back_at_the_closing_the_summary_asks_again_whether_they_are_out_of_view(
        library, flow_id, who):
    """The audit's steps: y to the checklists' question, a checklist answered, ctrl+t to the
    Closing (read to the person, back in the room), ctrl+l: the question, never the findings.
    And ctrl+t back to a checklist asks again too."""
    async def go():
        app = InterviewApp(flow_id=flow_id, library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await to_the_checklists(pilot, flow_id)
            await jump_to(pilot, "ending")
            assert app.screen is screen and screen.session.current.id == "closing"
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen), type(app.screen).__name__
            assert f"Is the {who} out of view?" in flat(app)
            await pilot.press("n")                   # not now: the summary stays closed
            await pilot.pause()
            assert app.screen is screen
            await jump_to(pilot, "cse_situations")  # a checklist again: asked again
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("ctrl+l")              # within the checklists: not asked again
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)

    run(go())


def test_a_closed_summary_asks_again_the_next_time(library):
    """The audit's youth-card steps: ctrl+l, y, Escape back to the youth, ctrl+l again: the
    question again, not the findings list."""
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await past_the_script(pilot)
            await pilot.press("ctrl+l", "y")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "Is the youth out of view?" in flat(app)

    run(go())


@pytest.mark.parametrize("flow_id", ["youth", "caregiver"])
def test_back_at_the_closing_the_transcript_counts_the_checklists_never_their_words(
        library, flow_id):
    """The audit's steps (finding 3): a checklist item answered out of view, then ctrl+t to the
    Closing: neither the policy's words nor the answer or its note stay above the card, a count
    does. Back in the checklists (out of view again), they are in words again."""
    async def go():
        app = InterviewApp(flow_id=flow_id, library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            transcript = screen.query_one("#transcript")
            await to_the_checklists(pilot, flow_id)
            first = next(s for s in screen.flow.steps
                         if screen.flow.section_by_id[s.section].out_of_view)
            words = " ".join(first.text.split())[:40]
            said = lambda: " ".join(" ".join(transcript.lines_said).split())  # noqa: E731
            assert words in said() and "seen on her phone" in said()  # out of view: in words
            await jump_to(pilot, "ending")
            shown = flat(app)
            assert words not in shown and "seen on her phone" not in shown
            assert words not in said() and "seen on her phone" not in said()
            assert "(your checklists: 1 recorded; shown in words once out of view)" in said()
            await jump_to(pilot, "cse_situations")  # asked, and yes: in words again
            await pilot.press("y")
            await pilot.pause()
            assert words in said() and "seen on her phone" in said()
            await pilot.press("ctrl+l")              # the summary opened and closed: counted
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert words not in said() and words not in flat(app)

    run(go())


def test_a_resumed_interview_counts_the_checklists(library, tmp_path):
    """Resumed (or carried over), the interview starts with the youth possibly in the room: the
    checklists' lines are counted until the worker says otherwise."""
    from interview.engine.session import Session
    from interview.app.screens.interview import InterviewScreen

    session = Session(library, "youth")
    session.skip()
    for _ in range(3):
        session.answer("yes")
    session.jump("cse_situations")
    first = session.current
    session.answer("yes", text="seen on her phone")
    session.answer("no")
    session.jump("ending")

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = InterviewScreen(library, "youth", session=session)
            app.push_screen(screen)
            await pilot.pause()
            said = " ".join(" ".join(screen.query_one("#transcript").lines_said).split())
            assert " ".join(first.text.split())[:40] not in said
            assert "seen on her phone" not in said
            assert "(your checklists: 2 recorded; shown in words once out of view)" in said
            assert "seen on her phone" not in flat(app)

    run(go())


@pytest.mark.parametrize("flow_id", ["youth", "caregiver"])
def test_what_was_ticked_about_them_is_counted_above_the_closing_never_named(library, flow_id):
    """The audit's steps (finding 6): "What you saw or noticed", Enter, Space on the first item,
    Escape (twice: the note, then the checklist); the next card (the Closing, read to them) has
    a count above it, not the item's hint nor the chart's label. The checklist (ctrl+o) still
    names it."""
    async def go():
        app = InterviewApp(flow_id=flow_id, library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen, session = app.screen, app.screen.session
            session.skip()
            if flow_id == "youth":
                for _ in range(3):
                    session.answer("yes")
            session.jump("observed")
            screen.refresh_all()
            await pilot.pause()
            await pilot.press("enter")              # the checklist of what you see
            await pilot.pause()
            await pilot.press("space", "escape", "escape")  # ticked, the note, the checklist
            await pilot.pause()
            assert app.screen is screen and session.current.id == "closing"
            (red_flag,) = session.record.observations
            item = screen.flow.observation_items[red_flag]
            hint, label = item.hint or "(no hint)", library.red_flags[red_flag].label
            said = " ".join(" ".join(screen.query_one("#transcript").lines_said).split())
            for words in (hint, label):
                assert words[:30] not in said and words[:30] not in flat(app)
            assert "1 ticked: ctrl+o" in said and "1 ticked: ctrl+o" in flat(app)
            await pilot.press("ctrl+o")              # the checklist keeps it
            await pilot.pause()
            assert hint[:30] in flat(app)

    run(go())


@pytest.mark.parametrize("flow_id, who", [("youth", "youth"), ("caregiver", "caregiver")])
def test_back_from_the_home_screen_the_checklist_asks_again(library, flow_id, who):
    """A yes to "out of view", a checklist answered, F3 home (the interview stays open), then
    back to it from the home screen's list: the person may be in the room again, so the card is
    the one that says the checklists are the worker's and the question is asked, never the
    checklist's words. A dialog over the interview (ctrl+o) does not end the yes."""
    async def go():
        app = InterviewApp(flow_id=flow_id, library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen, session = app.screen, app.screen.session
            await to_the_checklists(pilot, flow_id)
            step = session.current
            assert screen.flow.section_by_id[step.section].out_of_view
            await pilot.press("ctrl+o")               # a dialog over it: still out of view
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen and screen.findings_cleared
            assert step.text[:30] in flat(app)
            await pilot.press("f3")                   # home; the interview stays open
            await pilot.pause()
            assert not screen.findings_cleared
            menu = app.screen.query_one("#home-menu")
            ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
            menu.highlighted = ids.index("open:0")
            await pilot.press("enter")                # back to it
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen), type(app.screen).__name__
            assert f"Is the {who} out of view?" in flat(app)
            assert step.text[:30] not in flat(app)
            await pilot.press("y")
            await pilot.pause()
            assert app.screen is screen and session.current is step
            assert step.text[:30] in flat(app)

    run(go())


def test_hiding_the_screen_ends_the_out_of_view_yes(library):
    """ctrl+g is pressed because someone came near: back (ctrl+g again) on a checklist, the
    question is asked before its words are shown."""
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen, session = app.screen, app.screen.session
            await to_the_checklists(pilot, "youth")
            step = session.current
            assert step.text[:30] in flat(app)
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert step.text[:30] not in flat(app)
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen), type(app.screen).__name__
            assert "Is the youth out of view?" in flat(app)
            assert step.text[:30] not in flat(app)

    run(go())
