"""The app with a store: passphrase, autosave, resume, review, lock after idle, save failures.
All cases are fictional."""

from __future__ import annotations

import asyncio
import errno

import pytest

from interview.app.app import InterviewApp
from interview.app.screens.hidden import HiddenScreen
from interview.app.screens.interview import InterviewScreen
from interview.app.screens.sessions import SessionsScreen
from interview.app.screens.summary import SummaryScreen
from interview.app.screens.unlock import UnlockScreen
from interview.storage.store import Store
from keys import read_script, type_text
from test_app_figures import terminal_text
from stores import FAST_N

PASS = "a long enough passphrase"


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def store_path(tmp_path):
    Store.create(tmp_path / "store", PASS, n=FAST_N)
    return tmp_path / "store"


async def unlock(pilot, passphrase=PASS):
    """Type the passphrase and wait for the key to be derived (in a worker thread): until the
    unlock screen is gone, or says why not."""
    await pilot.pause()
    assert isinstance(pilot.app.screen, UnlockScreen)
    await type_text(pilot, passphrase)
    await pilot.press("enter")
    for _ in range(100):
        await pilot.pause()
        screen = pilot.app.screen
        if not isinstance(screen, UnlockScreen) or screen.query_one("#unlock-error").display:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("unlocking did not finish")


def test_a_new_store_asks_for_the_passphrase_twice(library, tmp_path):
    async def go():
        app = InterviewApp(library=library, store=Store(tmp_path / "new"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await type_text(pilot, "short")
            await pilot.press("enter")
            await pilot.pause()
            assert "at least 8" in str(app.screen.query_one("#unlock-error").render())
            await type_text(pilot, PASS)
            await pilot.press("enter")
            await pilot.pause()   # accepted: the refusal before it is no longer shown
            assert not app.screen.query_one("#unlock-error").display
            await type_text(pilot, "something else")
            await pilot.press("enter")
            await pilot.pause()
            assert "differ" in str(app.screen.query_one("#unlock-error").render())
            await type_text(pilot, PASS)
            await pilot.press("enter")
            await type_text(pilot, PASS)
            await unlock(pilot, "")  # the store is made in a worker (scrypt): wait for it
            assert not isinstance(app.screen, UnlockScreen)
        assert Store.exists(tmp_path / "new")
        Store(tmp_path / "new").unlock(PASS)

    run(go())


def test_a_wrong_passphrase_is_one_message_and_the_right_one_opens(library, store_path):
    async def go():
        app = InterviewApp(library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot, "not the passphrase")
            assert isinstance(app.screen, UnlockScreen)
            said = str(app.screen.query_one("#unlock-error").render())
            assert "wrong passphrase" in said and "(try 1)" in said and "Caps Lock" in said
            await unlock(pilot, "not the passphrase either")  # a new line each time (audit C1)
            assert "(try 2)" in str(app.screen.query_one("#unlock-error").render())
            await pilot.press("ctrl+g")                           # quick-hide works here too
            await pilot.pause()
            assert isinstance(app.screen, HiddenScreen)
            await pilot.press("ctrl+g")
            await unlock(pilot)
            assert not isinstance(app.screen, UnlockScreen)

    run(go())


def test_every_answer_is_saved_and_resume_continues_where_it_stopped(library, store_path):
    async def first():
        app = InterviewApp(flow_id="youth", library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            screen = app.screen
            assert isinstance(screen, InterviewScreen)
            await pilot.press("ctrl+s", "enter", "enter")
            await read_script(pilot)
            await pilot.press("y", *"asked who sees it", "enter", *"tired", "enter", "1", "enter")
            await pilot.pause()
            return screen.saved.id, screen.session.state, len(screen.session.events)

    session_id, state, count = run(first())
    store = Store(store_path)
    store.unlock(PASS)
    log = store.open_session(session_id, writable=False)
    assert len(log.events) == count
    assert log.events[-1]["value"] == {"text": "tired", "cues": ["exhausted_hungry"]}
    assert "tired" not in (store_path / "sessions" / session_id / "events.log").read_bytes().decode(
        "latin-1")

    async def second():
        app = InterviewApp(library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, SessionsScreen)
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, InterviewScreen)
            assert screen.session.state == state
            assert screen.session.record.answers["open_feeling"].text == "tired"

    run(second())


def test_a_finished_interview_opens_its_summary(library, store_path):
    store = Store(store_path)
    store.unlock(PASS)
    from interview.storage.saved import SavedSession

    saved = SavedSession.create(store, library, "caregiver")
    saved.session.jump("collateral")
    saved.session.answer(text="", cues=["school"])
    assert saved.session.finished
    saved.close()

    async def go():
        app = InterviewApp(library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("r", "enter")
            await pilot.pause()
            await pilot.pause()
            # The caregiver could be beside the worker: the summary asks first.
            assert "Is the caregiver out of view?" in " ".join(
                str(w.render()) for w in app.screen.query("Static"))
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)

    run(go())


def test_the_same_interview_open_twice_is_refused_with_a_message(library, store_path):
    store = Store(store_path)
    store.unlock(PASS)
    from interview.storage.saved import SavedSession

    holder = SavedSession.create(store, library, "youth")

    async def go():
        app = InterviewApp(library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("r", "enter")
            await pilot.pause()
            assert "open in another window" in " ".join(
                str(w.render()) for w in app.screen.query("Static"))

    try:
        run(go())
    finally:
        holder.close()


def test_the_app_locks_after_inactivity_and_the_passphrase_brings_it_back(library, store_path,
                                                                          monkeypatch):
    async def go():
        app = InterviewApp(flow_id="youth", library=library, store=Store(store_path),
                           lock_minutes=15)
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            screen = app.screen
            await pilot.press("ctrl+s")                         # facts skipped
            await pilot.pause()
            behind = "basic needs and rapport"
            assert behind in terminal_text(app).lower()
            app.last_activity -= 16 * 60                       # sixteen idle minutes
            app.lock_if_idle()
            await pilot.pause()
            assert isinstance(app.screen, UnlockScreen) and app.store.store_key is None
            # A colleague at the locked screen reads nothing of the interview behind the lock.
            shown = terminal_text(app)
            assert "Locked after a period without use" in shown
            assert behind not in shown.lower() and "Youth interview" not in shown
            await unlock(pilot)
            assert app.screen is screen and app.store.store_key is not None

    run(go())


def test_after_the_idle_lock_a_checklist_asks_again_whether_the_youth_is_out_of_view(
        library, store_path):
    """The worker was away long enough for the lock: whoever is at the screen when it opens
    again, the checklist in the policy's words waits for the question."""
    from interview.app.screens.message import ConfirmScreen
    from test_app_out_of_view import flat, to_the_checklists

    async def go():
        app = InterviewApp(flow_id="youth", library=library, store=Store(store_path),
                           lock_minutes=15)
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await to_the_checklists(pilot, "youth")
            step = app.screen.session.current
            assert step.text[:30] in flat(app)
            app.last_activity -= 16 * 60
            app.lock_if_idle()
            await pilot.pause()
            await unlock(pilot)
            assert isinstance(app.screen, ConfirmScreen), type(app.screen).__name__
            assert "Is the youth out of view?" in flat(app)
            assert step.text[:30] not in flat(app)

    run(go())


def test_a_failed_save_records_nothing_then_can_go_on_in_memory(library, store_path,
                                                                monkeypatch):
    import interview.storage.store as store_module

    async def go():
        app = InterviewApp(flow_id="youth", library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            screen = app.screen
            real_fsync = store_module.os.fsync

            def full(fd):
                raise OSError(errno.ENOSPC, "No space left on device")

            monkeypatch.setattr(store_module.os, "fsync", full)
            await pilot.press("ctrl+s")                         # skip the facts: cannot save
            await pilot.pause()
            assert "disk is full" in " ".join(str(w.render()) for w in app.screen.query("Static"))
            assert screen.session.state == "case_facts"        # not applied, since not saved
            await pilot.press("y")                              # go on unsaved
            await pilot.pause()
            assert app.screen is screen and screen.session.state == "basic_needs_offer"
            assert "NOT SAVED" in str(screen.query_one("#progress").render())
            monkeypatch.setattr(store_module.os, "fsync", real_fsync)
            # Quitting now loses what was recorded since: the dialog says so (it said
            # "Everything recorded is saved", the audit's A1).
            await pilot.press("ctrl+q")
            await pilot.pause()
            said = " ".join(terminal_text(app).split())
            assert "open interview is not saved: quitting" in said, said
            assert "Everything recorded is saved" not in said

    run(go())


def test_an_unusable_store_says_why_and_the_interview_can_go_on_in_memory(library, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store folder should be")

    async def go():
        app = InterviewApp(flow_id="youth", library=library, store=Store(blocker / "store"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await type_text(pilot, PASS)
            await pilot.press("enter")
            await type_text(pilot, PASS)
            await pilot.press("enter")
            await pilot.pause()
            error = str(app.screen.query_one("#unlock-error").render())
            assert "could not create the store" in error and "ctrl+w" in error
            await pilot.press("ctrl+w")
            await pilot.pause()
            assert isinstance(app.screen, InterviewScreen) and app.store is None
            assert "saving is off" in str(app.screen.query_one("#progress").render())

    run(go())


def test_changing_the_passphrase_from_the_command_line(cli, store_path, tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.write_text(PASS + "\n")
    new.write_text("an entirely new passphrase\n")
    code, out, err = cli("passphrase", "--store", store_path, "--passphrase-file", old,
                         "--new-passphrase-file", new)
    assert code == 0 and "passphrase changed" in out, err
    code, _, err = cli("sessions", "show", "x", "--store", store_path, "--passphrase-file", old)
    assert code == 1 and "wrong passphrase" in err
    Store(store_path).unlock("an entirely new passphrase")


def test_a_failed_save_during_navigation_or_a_checklist_is_a_message_not_a_crash(
        library, store_path, monkeypatch):
    import interview.storage.store as store_module

    async def go():
        app = InterviewApp(flow_id="youth", library=library, store=Store(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            screen = app.screen
            await pilot.press("ctrl+s")
            await pilot.pause()

            def full(fd):
                raise OSError(errno.ENOSPC, "No space left on device")

            monkeypatch.setattr(store_module.os, "fsync", full)
            for keys in (["ctrl+b"], ["ctrl+r"], ["ctrl+o", "space"]):
                await pilot.press(*keys)
                await pilot.pause()
                assert app.is_running
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen and screen.session.state == "basic_needs_offer"
            assert screen.session.record.observations == {}

    run(go())


def test_the_summary_marks_next_steps_done_and_exports_the_report(library, store_path, tmp_path):
    from textual.widgets import Input, Select

    from interview.app.screens.export import ExportScreen
    from interview.app.screens.message import ConfirmScreen
    from test_app import CAREGIVER_PLAN, open_summary, walk

    target = tmp_path / "note.txt"

    async def go():
        app = InterviewApp(flow_id="caregiver", library=library, store=Store(store_path))
        async with app.run_test(size=(100, 30)) as pilot:
            await unlock(pilot)
            screen = await walk(pilot, CAREGIVER_PLAN)
            await open_summary(pilot)
            summary = app.screen
            review = summary.query_one("#review")
            ids = [review.get_option_at_index(i).id for i in range(review.option_count)]
            first = next(i for i in ids if i.startswith("next_step:"))
            review.highlighted = ids.index(first)
            await pilot.press("d")
            await type_text(pilot, "called the hotline")
            await pilot.press("enter")
            await pilot.pause()
            mark = screen.session.record.next_steps_done[first.split(":", 1)[1]]
            assert mark.note == "called the hotline"
            assert "[done] 1." in str(review.get_option_at_index(review.highlighted).prompt)
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen)
            app.screen.query_one("#format", Select).value = "text"
            app.screen.query_one("#path", Input).value = str(target)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is summary and target.is_file()
            text = target.read_text()
            assert text.startswith("CASE NOTE") and "(1) DONE: " in text
            assert "called the hotline" in text and "MDT HANDOUT" in text
            await pilot.press("e")                       # again, to the same file: asks first
            await pilot.pause()
            assert app.screen.query_one("#format", Select).value == "text"  # as last time
            assert app.screen.query_one("#path", Input).value.startswith(str(tmp_path))
            app.screen.query_one("#path", Input).value = str(target)
            for box in ("#part-case-note", "#part-cws-cms"):
                app.screen.query_one(box).value = False
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await pilot.pause()
            assert app.screen is summary
            assert target.read_text().startswith("MDT HANDOUT")
        audit = (store_path / "audit.log").read_text()
        assert audit.count('"action": "exported"') == 2 and "text mdt to a file" in audit

    run(go())


def test_notes_typed_are_never_dropped_without_a_question(library):
    """The errors audit's A2 and B2: notes typed on an open step, then ctrl+s (Save in
    the case facts form, Skip here): a question, and "Keep them" keeps the step and the notes;
    ctrl+q says the notes are not recorded yet; a skip the worker confirms drops them."""
    from interview.app.screens.message import ConfirmScreen
    from keys import past_the_script, type_text

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen, session = app.screen, app.screen.session
            await past_the_script(pilot)
            step = session.current
            assert step.kind == "open"
            await type_text(pilot, "she said fine")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "records the question as not answered" in " ".join(terminal_text(app).split())
            await pilot.press("n")                      # keep them
            await pilot.pause()
            assert app.screen is screen and session.current is step
            assert step.id not in session.record.answers
            assert screen.notes.value == "she said fine"
            await pilot.press("ctrl+q")
            await pilot.pause()
            said = " ".join(terminal_text(app).split())
            assert "The notes typed on the current step" in said, said
            await pilot.press("n")
            await pilot.pause()
            await pilot.press("enter")                  # recorded with the answer
            await pilot.pause()
            assert session.record.answers[step.id].text == "she said fine"

    run(go())
