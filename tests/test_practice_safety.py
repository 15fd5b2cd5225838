"""Practice mode writes no file and opens no store, whatever a trainee presses: the attack of
issue 12 (ctrl+l, e: the export dialog wrote any path, replacing store.json), every key of every
screen a practice reaches, the command palette (Textual's screenshot), and quick-hide."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from interview.app.practice_app import SAFE_SCREENS, PracticeApp, screen_name
from keys import type_text


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home, a working folder and a store location of the test's own, with a real-looking
    store.json to be protected; returns a function listing every file under them."""
    for name in ("home", "work", "store"):
        (tmp_path / name).mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CSEC_INTERVIEW_STORE", str(tmp_path / "store" / "interviews"))
    monkeypatch.chdir(tmp_path / "work")
    (tmp_path / "store" / "store.json").write_text('{"the": "real store"}')

    def files() -> dict[str, bytes]:
        return {str(p.relative_to(tmp_path)): p.read_bytes() for p in tmp_path.rglob("*")
                if p.is_file()}

    return files


def practice(library, results=None, scenario="at_risk_only"):
    return PracticeApp(library=library, scenario=scenario, results=results)


async def start(app, pilot) -> None:
    """Name, then the scenario: the practice interview is on screen."""
    await pilot.pause()
    await type_text(pilot, "Ana")
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert screen_name(app.screen) == "interview.app.screens.practice.PracticeScreen"


def test_the_export_attack_opens_no_dialog_and_replaces_nothing(library, home):
    """Issue 12 Critical 1, as it was done: ctrl+l (the summary), e (export), a path, Enter."""
    target = Path(os.environ["CSEC_INTERVIEW_STORE"]).parent / "store.json"
    before = home()

    async def go():
        app = practice(library)
        async with app.run_test(size=(100, 30)) as pilot:
            await start(app, pilot)
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert screen_name(app.screen).endswith("PracticeSummaryScreen")
            assert "e export" not in str(app.screen.query_one(".dialog-title").render())
            await pilot.press("e")
            await pilot.pause()
            await pilot.press(*str(target), "enter", "y", "enter")
            await pilot.pause()
            assert all(screen_name(s) in SAFE_SCREENS for s in app.screen_stack[1:])
            assert not any("Export" in type(s).__name__ for s in app.screen_stack)
            assert app.screen.check_action("export", ()) is False
            # Even pushed by code, the export dialog is refused, with a message.
            from interview.app.screens.export import ExportScreen

            assert app.push_screen(ExportScreen(library, app.screen.session)) is None
            await pilot.pause()
            assert not any(isinstance(s, ExportScreen) for s in app.screen_stack)
            assert any("Not in practice mode" in n.message for n in app._notifications)

    asyncio.run(go())
    assert home() == before
    assert target.read_text() == '{"the": "real store"}'


def test_practice_from_the_home_screen_has_no_export_either(library, home):
    from interview.app.app import InterviewApp
    from interview.app.screens.export import ExportScreen

    before = home()

    async def go():
        app = InterviewApp(library=library, store=None, lock_minutes=0)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("p")
            await pilot.pause()
            await type_text(pilot, "Ana")
            await pilot.press("enter", "enter")
            await pilot.pause()
            await pilot.press("ctrl+l")
            await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            assert not any(isinstance(s, ExportScreen) for s in app.screen_stack)
            assert screen_name(app.screen).endswith("PracticeSummaryScreen")

    asyncio.run(go())
    assert home() == before


@pytest.mark.slow
def test_every_key_of_every_screen_a_practice_reaches_writes_nothing(library, home, tmp_path):
    """From the practice interview, every key it binds; on each screen that opens, every key
    that screen binds (and the letters a dialog might take); after each press only listed
    screens are shown, and no file but the trainer's results file was written."""
    results = tmp_path / "work" / "class.jsonl"
    before = home()
    visited: set[str] = set()

    def keys_now(app) -> list[str]:
        return sorted({k for k, b in app.active_bindings.items() if b.enabled
                       and k not in ("ctrl+q", "ctrl+c") and not k.isdigit()})

    async def go():
        app = practice(library, results)
        async with app.run_test(size=(100, 30)) as pilot:

            async def press(key: str) -> None:
                await pilot.press(key)
                await pilot.pause()
                visited.add(screen_name(app.screen))
                assert all(screen_name(s) in SAFE_SCREENS for s in app.screen_stack[1:]), \
                    app.screen_stack
                written = {k for k in home() if k not in before} - {"work/class.jsonl"}
                assert not written, written

            await start(app, pilot)
            interview = app.screen
            for key in keys_now(app) + ["1", "e", "s"]:
                await press(key)
                if app.screen is not interview:
                    opened = app.screen
                    for inner in keys_now(app) + ["e", "s", "y", "enter"]:
                        if app.screen is not opened:
                            break
                        await press(inner)
                if interview not in app.screen_stack:       # ended with the debrief: again
                    while len(app.screen_stack) > 2:
                        app.pop_screen()
                    await start(app, pilot)
                    interview = app.screen
                while app.screen is not interview:
                    app.pop_screen()
                    await pilot.pause()
            await press("ctrl+d")
            await press("y")           # the trainee states their determinations
            assert screen_name(app.screen).endswith("DeterminationsScreen")
            await press("ctrl+s")
            while not screen_name(app.screen).endswith("DebriefScreen"):
                await press("ctrl+s")  # (a determination left blank is asked about once)
            # the debrief: the one file written is the results file
            assert results.exists()
            for key in keys_now(app) + ["e", "s"]:
                await press(key)

    asyncio.run(go())
    assert not Path(os.environ["CSEC_INTERVIEW_STORE"]).exists()
    changed = {k for k, v in home().items() if before.get(k, v) != v}
    assert not changed, changed
    # The walk did reach the screens that matter.
    wanted = {"PracticeSummaryScreen", "CommandPalette", "HiddenScreen", "DebriefScreen",
              "PracticeQuestionsScreen", "SectionsScreen", "HelpScreen"}
    assert wanted <= {name.rsplit(".", 1)[1] for name in visited}, visited


def test_the_command_palette_offers_no_screenshot_and_nothing_that_writes(library, home):
    before = home()

    async def go():
        app = practice(library)
        async with app.run_test(size=(100, 30)) as pilot:
            await start(app, pilot)
            for keys in ((), ("ctrl+l",)):
                await pilot.press(*keys)
                await pilot.pause()
                titles = [c.title for c in app.get_system_commands(app.screen)]
                assert titles and not [t for t in titles if any(
                    word in t.lower() for word in ("screenshot", "export", "save", "download"))]
                assert {"Theme", "Quit (ctrl+q)"} <= set(titles)  # the quit that asks
                # A key that does nothing here is not offered: the scenario sets the language.
                assert not [t for t in titles if t.startswith("Language")], titles
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"screenshot", "enter")
            await pilot.pause(0.3)
            assert app.check_action("screenshot", ()) is False
            app.action_screenshot()
            assert app.deliver_screenshot() is None
            with pytest.raises(PermissionError):
                app.save_screenshot("x.svg", ".")

    asyncio.run(go())
    assert home() == before
    assert not list(Path(os.environ["HOME"]).rglob("*.svg"))


def test_quick_hide_works_in_practice_and_hides_the_palette_too(library, home):
    async def go():
        app = practice(library)
        async with app.run_test(size=(100, 30)) as pilot:
            await start(app, pilot)
            practice_screen = app.screen
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert screen_name(app.screen).endswith("HiddenScreen")
            await pilot.press("ctrl+p", "f1", "ctrl+l")
            await pilot.pause()
            assert screen_name(app.screen).endswith("HiddenScreen")
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert app.screen is practice_screen

    asyncio.run(go())


def test_the_practice_app_never_takes_a_store(library):
    app = practice(library)
    assert app.store is None
    with pytest.raises(ValueError, match="never uses the encrypted store"):
        app.store = object()
