"""The conversation screen in front of a youth, and getting around the app at 80x24 (issue 13):
each behaviour through Textual's Pilot, as a worker would meet it. All cases are fictional."""

from __future__ import annotations

import asyncio
import time

import pytest

from interview.app.app import InterviewApp
from interview.app.screens.home import HomeScreen
from interview.app.screens.interview import InterviewScreen
from interview.app.screens.message import ConfirmScreen
from interview.app.screens.sessions import SessionsScreen
from interview.app.screens.summary import SummaryScreen
from interview.app.screens.unlock import UnlockScreen
from interview.content.words import labelling_words
from interview.storage.store import Store

from keys import offer_the_checklists, past_the_script, type_text
from stores import FAST_N
from test_app_figures import terminal_text
from test_app_storage import PASS, unlock


def run(coro):
    return asyncio.run(coro)


async def settle(pilot, until, tries: int = 50):
    """Pause until `until()` holds (a worker thread finishing), or fail."""
    for _ in range(tries):
        await pilot.pause()
        if until():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the screen did not get there")


def to_specific(session) -> None:
    """A youth interview past the script, at the specific questions (fictional)."""
    session.skip()
    for _ in range(4):
        session.answer("yes")
    session.answer(text="none")
    session.jump("specific")


def to_a_disclosure(screen) -> None:
    """A youth interview where the youth has told of being paid for sex (fictional)."""
    to_specific(screen.session)
    screen.session.answer("yes", text="he sets it up")      # paid for sex
    screen.refresh_all()


# --- the youth never reads a label ------------------------------------------------------------

def test_the_summary_asks_whether_the_youth_is_out_of_view_and_not_now_keeps_it_closed(
        library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            to_a_disclosure(screen)
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            shown = terminal_text(app)
            assert "Is the youth out of view?" in shown
            assert not labelling_words(shown, library.youth_words)
            await pilot.press("n")                                   # not now
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("ctrl+l", "y")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            assert "DISCLOSED" in str(app.screen.query_one("#report-body").render())
            await pilot.press("escape", "ctrl+l")   # back with the youth: asked again
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)

    run(go())


def test_with_a_youth_or_a_caregiver_the_side_panel_shows_codes_only(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            to_specific(screen.session)
            screen.session.answer("yes")                             # paid for sex: S
            screen.session.observe("glamorizes_pimping", "talks up the life")
            screen.session.observe("exploitation_slang")
            screen.refresh_all()
            await pilot.press("ctrl+f")
            await pilot.pause()
            panel = str(screen.query_one("#panel-body").render())
            assert "#9 " in panel and "#11 " in panel and "S/L/C: S" in panel
            for label in (library.red_flags["glamorizes_pimping"].label,
                          library.red_flags["exploitation_slang"].label, "talks up the life"):
                assert label not in panel
            assert not labelling_words(terminal_text(app), library.youth_words)
        # A caregiver in the room (who may be the one exploiting the child) reads nothing of
        # what the worker noted either: the panel opens on ctrl+f, in codes, and the transcript
        # names what was seen by its plain hint.
        app = InterviewApp(flow_id="caregiver", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            screen.session.observe("glamorizes_pimping")
            screen.session.observe("someone_speaks_for_them")
            screen.refresh_all()
            await pilot.pause()
            assert not screen.query("#panel")
            await pilot.press("ctrl+f")
            await pilot.pause()
            panel = str(screen.query_one("#panel-body").render())
            assert "#9 " in panel and "#12 " in panel
            shown = terminal_text(app)
            for red_flag in ("glamorizes_pimping", "someone_speaks_for_them"):
                assert library.red_flags[red_flag].label not in shown

    run(go())


def test_findings_handed_to_the_side_panel_before_it_has_composed_are_drawn(library):
    """ctrl+f mounts the panel and hands it the findings after a refresh, which on a slow
    machine can come before the panel has composed: it must draw them, not crash."""
    from interview.app.widgets.notes_panel import NotesPanel

    async def go():
        app = InterviewApp(flow_id="caregiver", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            app.screen.session.observe("glamorizes_pimping")
            panel = NotesPanel(library, False, id="late")
            app.screen.query_one("#body").mount(panel)
            panel.findings = app.screen.session.findings  # before its compose has run
            await pilot.pause()
            assert "Glamorizing pimping" in str(panel.query_one("#panel-body").render())

    run(go())


def test_the_reference_in_legal_terms_shows_on_f2_only_until_the_next_step(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            await pilot.press("ctrl+s")                              # to the basic needs offer
            await pilot.pause()
            step = screen.session.current
            assert step.reference and "F2 reference" in screen.query_one("#prompt").text
            assert step.reference.split(":")[1][:20] not in screen.query_one("#prompt").text
            await pilot.press("f2")
            await pilot.pause()
            assert "Reference (F2 hides it)" in screen.query_one("#prompt").text
            assert "coercive control" in screen.query_one("#prompt").text
            await pilot.press("enter")                               # the next step: gone
            await pilot.pause()
            assert "Reference (F2" not in screen.query_one("#prompt").text

    run(go())


def test_the_checklist_names_items_by_their_hints_and_the_note_shows_with_its_item(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await pilot.press("ctrl+o")
            await pilot.pause()
            items = [i.red_flag for i in screen.flow.by_id["observations"].items]
            index = items.index("glamorizes_pimping")
            await pilot.press(*["down"] * index, "space", *"admires D")
            await pilot.pause()
            shown = terminal_text(app)
            hint = screen.flow.observation_items["glamorizes_pimping"].hint
            assert "Note for: " + hint[:30] in " ".join(shown.split())
            assert "admires D" in shown
            assert library.red_flags["glamorizes_pimping"].label not in shown
            assert not labelling_words(shown, library.youth_words)
            menu = app.screen.query_one("#checklist")
            assert menu.get_option_at_index(menu.highlighted).id == "glamorizes_pimping"
            await pilot.press("f1")                                  # help, on the checklist too
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
            await pilot.press("f1")                                  # F1 again closes it
            await pilot.pause()
            await pilot.press("enter", "escape")
            await pilot.pause()
            assert screen.session.record.observations == {"glamorizes_pimping": "admires D"}

    run(go())


def test_the_checklists_in_the_policys_words_wait_until_the_youth_is_out_of_view(library):
    """The S, L and C checklists are 003's own words ("The creation of pictures ... obscene
    acts"): with the youth in the room the card says only that they are next, and asks, as the
    summary does. Not now goes on to what you saw; ctrl+t back to them asks again; yes shows
    them, and the summary does not ask a second time."""
    from interview.app.screens.message import ConfirmScreen

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen, session = app.screen, app.screen.session
            text = next(s.text for s in screen.flow.steps   # the first checklist item
                        if screen.flow.section_by_id[s.section].out_of_view)
            await offer_the_checklists(pilot)
            shown = terminal_text(app)
            assert "out of view" in shown and text[:40] not in shown
            await pilot.press("n")                          # not now: on to what you saw
            await pilot.pause()
            assert app.screen is screen and session.current.id == "observations"
            session.jump("cse_situations")                  # back to them (ctrl+t): asked again
            screen.refresh_all()
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await pilot.pause()
            assert app.screen is screen and screen.findings_cleared
            assert session.current.id in screen.flow.section_by_id["cse_situations"].steps
            await pilot.press("ctrl+l")                     # the summary: not asked again
            await pilot.pause()
            return type(app.screen).__name__

    assert run(go()) == "SummaryScreen"


# --- fits and flows at 80x24 -------------------------------------------------------------------

@pytest.mark.parametrize("flow, size, panel", [("youth", (80, 24), False),
                                               ("runaway-return", (80, 24), False),
                                               ("caregiver", (100, 30), False),
                                               ("caregiver", (80, 24), False)])
@pytest.mark.slow
def test_every_cue_is_in_view_or_the_card_says_how_to_scroll(library, flow, size, panel):
    """In the ticking phase of every step with cues, each cue's words are on screen, or the
    card's key line says that more is below (and PageDown brings it)."""
    async def go():
        app = InterviewApp(flow_id=flow, library=library)
        async with app.run_test(size=size) as pilot:
            screen = app.screen
            session = screen.session
            session.skip()
            for _ in range(6):
                if session.gate_open() or not session.current.kind == "script":
                    break
                session.answer("yes")
            cued = [s for s in screen.flow.steps if s.cues and s.is_question]
            assert cued
            for step in cued:
                session.jump(step.id)
                screen.findings_cleared = True  # out of view: the checklists show at once
                screen.refresh_all()       # the step from its start (no Escape back needed)
                if step.kind == "closed":
                    await pilot.press("y")
                await pilot.press("enter")                      # notes done: tick the cues
                await pilot.pause()
                assert screen.phase == "cues", step.id
                assert (screen.query_one("#panel").display if screen.query("#panel")
                        else False) == panel
                missing = [c.label for c in step.cues
                           if " ".join(c.label.split()[:4]) not in " ".join(
                               terminal_text(app).split())]
                if missing:
                    assert "more below: PgDn" in screen.query_one("#prompt").text, \
                        (step.id, missing)
                    await pilot.press("pagedown")
                    await pilot.pause()

    run(go())


def test_safety_can_be_recorded_as_no_and_the_summary_stops_asking(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await pilot.press("enter")                               # the facts form
            await pilot.pause()
            form = app.screen
            assert form.query_one("#immediate_safety_concern").value is None  # not recorded
            form.query_one("#immediate_safety_concern").focus()
            await pilot.press("n")
            form.query_one("#missing").focus()
            await pilot.press("y", "backspace")                      # yes, then not recorded
            await pilot.press("ctrl+s")
            await pilot.pause()
            context = screen.session.record.context
            assert context.immediate_safety_concern is False and context.missing is None
            assert screen.session.record.answers["case_facts"].value == "yes"
            to_specific_from_here = screen.session
            for _ in range(4):
                to_specific_from_here.answer("yes")
            to_specific_from_here.answer(text="none")
            to_specific_from_here.jump("specific")
            to_specific_from_here.answer("yes")                      # CSE suspected
            findings = screen.session.findings.as_json(library)
            assert findings["response"]["speed"] == "initial_mdt"
            assert findings["response"]["safety_concern"] is False   # answered: no more asking

    run(go())


def test_a_tick_box_looks_different_ticked_and_not(library, monkeypatch):
    from interview.app.screens.export import ExportScreen
    from interview.app.widgets.ticks import Tick

    monkeypatch.setattr(ExportScreen, "remembered", {})  # the default: every document ticked

    async def go():
        app = InterviewApp(flow_id="caregiver", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            app.push_screen(ExportScreen(library, app.screen.session))
            await pilot.pause()
            ticked = app.screen.query_one("#part-case-note", Tick)
            words = app.screen.query_one("#include-words", Tick)
            assert ticked.value and not words.value
            assert "x" in str(ticked._button) and "x" not in str(words._button)

    run(go())


def test_confirming_or_rejecting_names_the_finding_in_words(library):
    async def go():
        app = InterviewApp(flow_id="caregiver", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            app.screen.session.observe("tattoos_or_branding")
            await pilot.press("ctrl+l", "y")
            await pilot.pause()
            review = app.screen.query_one("#review")
            review.highlighted = 0
            await pilot.press("x")
            await pilot.pause()
            shown = terminal_text(app)
            assert "Reject “Red flag 21: Tattoos or branding”: why?" in shown
            assert "red_flag:" not in shown

    run(go())


def test_the_worker_confirms_what_is_theirs_to_decide_in_the_summary(library):
    """A red flag that is a reason to ask about A, and work for someone else with no means of
    control, are proposed as nothing; the summary lists them as the worker's to decide, and c
    (with a reason) confirms them: A is then an indicator, and the suspicion is reported."""
    async def go():
        app = InterviewApp(flow_id="caregiver", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            session = app.screen.session
            session.observe("someone_speaks_for_them")
            session.set_facts(foreign_national=True)
            session.edit("labor_contributes_income", "yes")
            await pilot.press("ctrl+l", "y")
            await pilot.pause()
            review = app.screen.query_one("#review")
            labels = [str(review.get_option_at_index(i).prompt)
                      for i in range(review.option_count)]
            for key, label in (("at_risk:A", "[yours to decide] A. "),
                               ("suspected:labor_trafficking",
                                "[yours to decide] Suspected: labor trafficking")):
                index = next(i for i in range(review.option_count)
                             if review.get_option_at_index(i).id == key)
                assert labels[index].startswith(label), labels[index]
                review.highlighted = index
                await pilot.press("c")
                await pilot.pause()
                await pilot.press(*"Fictional: seen.", "enter")
                await pilot.pause()
                review = app.screen.query_one("#review")
            return session.findings

    findings = run(go())
    assert findings.at_risk_confirmed == ["A"] and findings.suspected["labor_trafficking"]
    assert "otip_24h" in [sid for sid, _ in findings.next_steps]


# --- home, switching, quitting, resuming, the saved list, unlocking ------------------------------

@pytest.fixture
def store_path(tmp_path):
    Store.create(tmp_path / "store", PASS, n=FAST_N)
    return tmp_path / "store"


def test_home_keeps_interviews_open_to_switch_between_without_the_passphrase(library,
                                                                            store_path):
    async def go():
        app = InterviewApp(library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("y")                                   # a youth interview
            await pilot.pause()
            youth = app.screen
            await pilot.press("ctrl+s", "enter", "enter")
            await pilot.press("f3")                                  # home; it stays open
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert "Youth interview" in terminal_text(app) and "Open now" in terminal_text(app)
            await pilot.press("h")                                   # then a hotline call
            await pilot.pause()
            hotline = app.screen
            await pilot.press("f3")
            await pilot.pause()
            menu = app.screen.query_one("#home-menu")
            ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
            assert ids[1:3] == ["open:0", "open:1"]
            menu.highlighted = 1
            await pilot.press("enter")                               # back to the youth
            await pilot.pause()
            assert app.screen is youth and youth.session.current.id == "confidentiality_script"
            assert not any(isinstance(s, UnlockScreen) for s in app.screen_stack)
            # Resuming it from the saved list goes back to the open one, not a second copy.
            await pilot.press("f3", "r")
            await pilot.pause()
            assert isinstance(app.screen, SessionsScreen)
            saved = app.screen.query_one("#saved")
            ids = [saved.get_option_at_index(i).id for i in range(saved.option_count)]
            saved.highlighted = ids.index(youth.saved.id)
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is youth
            # Closing one from home: it stays saved; the hotline is still open.
            await pilot.press("f3")
            await pilot.pause()
            app.screen.query_one("#home-menu").highlighted = 2
            await pilot.press("x")
            await pilot.pause()
            assert app.open_screens == [youth] and hotline.saved is not None
            await pilot.press("ctrl+q")                              # asks, though all is saved
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "Everything recorded is saved" in terminal_text(app)
            await pilot.press("n")
            await pilot.pause()
            assert app.is_running
        store = Store(store_path)
        store.unlock(PASS)  # the kind of interview is sealed: only an unlocked store lists it
        listed = {s.flow for s in store.list()}
        assert listed == {"youth", "hotline"}

    run(go())


def test_ctrl_q_quits_at_once_with_no_interview_open(library):
    async def go():
        app = InterviewApp(library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert not app.is_running

    run(go())


def test_a_resumed_interview_shows_what_was_said(library, store_path):
    store = Store(store_path)
    store.unlock(PASS)
    from interview.storage.saved import SavedSession

    saved = SavedSession.create(store, library, "youth")
    to_specific(saved.session)
    saved.session.answer("yes", text="he sets up the dates")
    saved.session.observe("tattoos_or_branding", "crown")
    saved.close()

    async def go():
        app = InterviewApp(library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("r", "enter")
            await pilot.pause()
            lines = "\n".join(app.screen.query_one("#transcript").lines_said)
            assert "How are you? Would you like something to drink?" in lines
            assert "yes; he sets up the dates" in lines and "(to: Specific questions)" in lines
            assert "(resumed: " in lines
            assert not labelling_words(terminal_text(app), library.youth_words)

    run(go())


HOSTILE = "[b]X[/b] \x1b[31m"


def test_the_saved_list_shows_case_number_and_initials_after_unlocking_never_in_the_clear(
        library, store_path):
    store = Store(store_path)
    store.unlock(PASS)
    from interview.storage.saved import SavedSession

    for case_id, name in (("FICT-1001", "Maria Cruz"), (f"FICT-{HOSTILE}", "Ana Lee")):
        saved = SavedSession.create(store, library, "youth")
        saved.session.set_facts(case_id=case_id, interviewee=name)
        saved.close()
    on_disk = b"".join(p.read_bytes() for p in store_path.rglob("*") if p.is_file())
    assert b"FICT-1001" not in on_disk and b"Maria" not in on_disk and b"M.C." not in on_disk

    async def go():
        app = InterviewApp(library=library, store=Store(store_path))
        async with app.run_test(size=(100, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("r")
            screen = app.screen

            def labelled():
                menu = screen.query_one("#saved")
                return all("case FICT" in str(menu.get_option_at_index(i).prompt)
                           for i in range(menu.option_count))

            await settle(pilot, labelled)
            shown = terminal_text(app)
            assert "case FICT-1001 · M.C." in shown and "Maria" not in shown
            assert "case FICT-[b]X[/b]" in shown and "A.L." in shown      # as text, no markup

    run(go())


def test_unlocking_runs_off_the_event_loop_and_says_so(library, store_path, monkeypatch):
    real = Store.unlock

    def slow(self, passphrase):
        time.sleep(0.4)
        return real(self, passphrase)

    monkeypatch.setattr(Store, "unlock", slow)

    async def go():
        app = InterviewApp(library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await type_text(pilot, PASS)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, UnlockScreen)
            assert "Unlocking…" in terminal_text(app)                # drawn while scrypt runs
            await pilot.press("ctrl+g")                              # and the keys still answer
            await pilot.pause()
            assert type(app.screen).__name__ == "HiddenScreen"
            await pilot.press("ctrl+g")
            await settle(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert app.store.store_key is not None

    run(go())


def test_a_wrong_passphrase_in_the_worker_is_still_one_message(library, store_path):
    async def go():
        app = InterviewApp(library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await type_text(pilot, "not it at all")
            await pilot.press("enter")
            await settle(pilot, lambda: app.screen.query_one("#unlock-error").display)
            assert "wrong passphrase" in str(app.screen.query_one("#unlock-error").render())
            assert not app.screen.query_one("#passphrase").disabled

    run(go())


def test_the_header_keeps_saved_or_not_saved_in_view_at_80_columns(library, store_path):
    async def go():
        app = InterviewApp(flow_id="runaway-return", library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("ctrl+s", "enter", "enter")
            await pilot.pause()
            first_line = terminal_text(app).splitlines()[0]
            assert first_line.lstrip().startswith("saved ")
            app.screen.session.sinks.clear()                         # as after a failed save
            app.screen.refresh_progress()
            await pilot.pause()
            assert terminal_text(app).splitlines()[0].lstrip().startswith("NOT SAVED")

    run(go())


def checklist_keys(app) -> str:
    return str(app.screen.query_one("#observation-keys").render())


def test_the_key_that_opens_a_note_is_never_typed_into_it(library):
    """Walk 1.3: a tick opens the note at once, so the key line no longer offers `n` there (an `n`
    pressed then was typed into the note); `n` on a ticked item opens its note, and is not in it."""
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await pilot.press("ctrl+o")
            await pilot.pause()
            assert "n note" in checklist_keys(app)
            await pilot.press("down", "space")                       # the tick opens the note
            await pilot.pause()
            item = app.screen.highlighted()
            assert app.focused.id == "observation-note"
            assert "n note" not in checklist_keys(app)
            assert "Typing writes the note" in checklist_keys(app)
            await pilot.press("enter")                               # Enter alone: no note
            await pilot.pause()
            assert "n note" in checklist_keys(app)
            await pilot.press("n")                                   # the note, opened by `n`
            await pilot.pause()
            assert app.focused.id == "observation-note" and app.focused.value == ""
            await type_text(pilot, "two phones on the table")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.session.record.observations == {item: "two phones on the table"}

    run(go())


def test_escape_in_a_note_saves_what_was_typed(library):
    """Walk 1.4: Escape in a note being typed kept the tick and dropped the words without a word;
    it saves them, as Enter does, and the key line says so. Clearing the field drops a note."""
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await pilot.press("ctrl+o", "down", "space")
            await pilot.pause()
            item = app.screen.highlighted()
            assert "Enter or Esc saves it" in checklist_keys(app)
            await type_text(pilot, "short skirt in cold")
            await pilot.press("escape")
            await pilot.pause()
            assert screen.session.record.observations == {item: "short skirt in cold"}
            assert type(app.screen).__name__ == "ObservationsScreen"  # the list stays open
            assert "short skirt in cold" in terminal_text(app)
            await pilot.press("n")
            await pilot.pause()
            assert app.focused.value == "short skirt in cold"
            await pilot.press("ctrl+u", "escape")                   # cleared, then Escape
            await pilot.pause()
            assert screen.session.record.observations == {item: ""}
            await pilot.press("escape")                              # Escape on the list closes it
            await pilot.pause()
            assert app.screen is screen

    run(go())


def test_page_down_in_the_summary_scrolls_the_summary_not_the_findings_list(library):
    """Walk 1.9: F1 says PageUp and PageDown scroll the summary; they moved the small list of
    findings and next steps at the top (it has the focus) and the summary stayed put."""
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            to_a_disclosure(screen)
            await pilot.press("ctrl+l", "y")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            review, report = app.screen.query_one("#review"), app.screen.query_one("#report")
            assert app.focused is review and review.option_count > 3
            assert report.max_scroll_y > 0                         # more summary than screen
            highlighted, listed = review.highlighted, review.scroll_y
            await pilot.press("pagedown")
            await pilot.pause(0.3)
            assert report.scroll_y > 0
            assert (review.highlighted, review.scroll_y) == (highlighted, listed)
            await pilot.press("pageup")
            await pilot.pause(0.3)
            assert report.scroll_y == 0 and review.highlighted == highlighted

    run(go())


def test_the_tenth_cue_shows_the_key_that_ticks_it_and_worker_notes_say_notes(library):
    """Walk, section 3: on collateral contacts (ten cues) the tenth showed "10" and is ticked
    with 0, so typing 1 then 0 ticked the first as well; each cue now shows its key. And a step
    for the worker alone asked for "what was said, in their words": its notes say "Notes"."""
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            to_specific(screen.session)
            screen.session.jump("open_staying")                     # an open question
            screen.refresh_all()
            await pilot.pause()
            assert screen.session.current.audience == "youth"
            notes = screen.query_one("#notes")
            assert notes.placeholder == "Notes: what was said, in their words"
            screen.session.jump("collateral")
            screen.refresh_all()
            await pilot.pause()
            step = screen.session.current
            assert step.id == "collateral_contacts" and step.audience == "worker"
            assert len(step.cues) == 10
            assert notes.placeholder == "Notes"
            await type_text(pilot, "school counselor, 11/20")
            await pilot.press("enter")
            await pilot.pause()
            card = " ".join(str(screen.query_one("#prompt-body").render()).split())
            tenth = step.cues[9].label
            assert f"[ ] 0 {tenth}" in card and f"10 {tenth}" not in card
            assert f"[ ] 1 {step.cues[0].label}" in card
            assert "1-9, 0 tick" in str(screen.query_one("#prompt-keys").render())
            await pilot.press("0")
            await pilot.pause()
            assert screen.ticked == [step.cues[9].id]
            assert "[x] 0 " + tenth in " ".join(
                str(screen.query_one("#prompt-body").render()).split())

    run(go())


@pytest.mark.parametrize("field, typed", [("missing", "unknown to anyone"),
                                          ("foreign_national", "yesterday")])
def test_a_word_typed_on_a_yes_no_fact_records_nothing(library, field, typed, monkeypatch):
    """The errors audit's A3: the case facts form, Tab to a yes/no fact, a word typed there by
    mistake. Its y, n and u set the fact, last letter winning: "unknown to anyone" on Missing
    recorded no (and the law-enforcement and NCMEC step went), "yesterday" on Foreign national
    recorded yes. The fact stays not recorded and the worker is told; y alone still says yes."""
    from interview.app.screens.facts import FactsScreen
    from interview.app import keystrokes
    from interview.app.widgets.ticks import YesNo

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert isinstance(app.screen, FactsScreen)
            choice = app.screen.query_one(f"#{field}", YesNo)
            choice.focus()
            await pilot.pause()
            await type_text(pilot, typed)
            await pilot.pause()
            assert choice.value is None
            assert any("takes one key" in n.message for n in app._notifications)
            # the worker reads the message, then presses y: after a pause (here, any gap)
            monkeypatch.setattr(keystrokes, "TYPING_GAP_S", 0.0)
            await pilot.press("y")
            await pilot.pause()
            assert app.focused is choice and choice.value is True

    run(go())


@pytest.mark.parametrize("typed, answered", [("no she said", {"spec_paid_for_sex": "no"}),
                                              ("the youth said yes", {})])
def test_a_word_typed_on_a_yes_no_question_answers_no_more_than_its_first_letter(
        library, typed, answered, monkeypatch):
    """The errors audit's finding 14: a worker types the youth's words thinking the notes field
    has the focus, on a yes/no question (which takes one key). Each y, n, d and u in the words
    answered a question: "no she said" recorded no and then, with the d of "said", declined on
    the next question; "the youth said yes" answered two questions. From a word's second letter
    nothing is answered, and the worker is told what the first letter did; a key after a pause
    still answers."""
    from interview.app import keystrokes

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            to_specific(screen.session)
            screen.refresh_all()
            await pilot.pause()
            assert screen.session.current.id == "spec_paid_for_sex"
            await type_text(pilot, typed)
            await pilot.pause()
            got = {step: answer.value for step, answer in screen.session.record.answers.items()
                   if step.startswith("spec_")}
            assert got == answered
            hints = [n.message for n in app._notifications if "takes one key" in n.message]
            assert len(hints) == 1
            assert ("ctrl+b goes back" in hints[0]) == bool(answered)
            # the worker reads the message and presses n: after a pause (here, any gap)
            monkeypatch.setattr(keystrokes, "TYPING_GAP_S", 0.0)
            current = screen.session.current.id
            await pilot.press("n")
            await pilot.pause()
            assert screen.session.record.answers[current].value == "no"

    run(go())


def test_escape_in_the_case_facts_form_never_loses_what_was_typed_without_asking(library):
    """The errors audit's B1: a case number typed, a bad date, ctrl+s (the message), Escape
    (to be rid of the message): every field was empty at the next ctrl+n. Escape now closes the
    message first, then asks before leaving what was typed; an unchanged form closes at once."""
    from interview.app.screens.facts import FactsScreen
    from interview.app.screens.message import ConfirmScreen

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await pilot.press("ctrl+n")
            await pilot.pause()
            form = app.screen
            await type_text(pilot, "C-1234")
            form.query_one("#interview_date").value = "yesterday"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert form.query_one("#facts-error").display
            await pilot.press("escape")              # the message goes, the form stays
            await pilot.pause()
            assert app.screen is form and not form.query_one("#facts-error").display
            await pilot.press("escape")              # then it asks
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")                   # keep editing: all still there
            await pilot.pause()
            assert app.screen is form and form.query_one("#case_id").value == "C-1234"
            await pilot.press("escape", "y")         # leave without saving: said, then done
            await pilot.pause()
            assert app.screen is screen and not screen.session.record.facts.get("case_id")
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert isinstance(app.screen, FactsScreen)
            await pilot.press("escape")              # nothing changed: it closes at once
            await pilot.pause()
            assert app.screen is screen

    run(go())


def test_a_window_too_small_is_covered_and_nothing_typed_goes_out_of_sight(library):
    """The errors audit's B13: resized to 40x12 mid-interview, the notes field and the key line
    were below the window, and "couch" went into the notes unseen. The window is covered with
    one line that says so, keys are not taken by the interview, and it goes at 80x24."""
    from interview.app.screens.small import TooSmallScreen

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await past_the_script(pilot)
            await pilot.resize_terminal(40, 12)
            await pilot.pause()
            assert isinstance(app.screen, TooSmallScreen)
            assert "too small" in terminal_text(app)
            await type_text(pilot, "couch")
            await pilot.pause()
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            assert app.screen is screen
            assert screen.query_one("#prompt").typed == ""

    run(go())


def test_a_tick_changed_in_the_case_facts_form_is_not_lost_without_asking(library):
    """The form's one tick box ("another child in the home") counts as something chosen, as
    its fields do: Escape asks before leaving it."""
    from interview.app.screens.message import ConfirmScreen
    from interview.app.widgets.ticks import Tick

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+n")
            await pilot.pause()
            tick = app.screen.query_one(Tick)
            tick.value = not tick.value
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)

    run(go())
