"""The app's start-up, as `csec-interview interview youth` runs it: what its first prompt loads,
and garbage collection paused only while it starts. scripts/bench.py measures the time
(`tui_ratio`); these keep what made it fast from quietly coming undone."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from interview.app.app import InterviewApp
from interview.app.screens.interview import InterviewScreen

ROOT = Path(__file__).resolve().parent.parent

# The real command in a fresh interpreter, stopped at its first prompt (the moment the
# benchmark stamps): which modules are loaded then, and whether collection was paused.
FIRST_PROMPT = r"""
import gc, json, sys
import interview.app.app as app
seen = {}
def shown(self):
    seen["modules"] = sorted(sys.modules)
    seen["collecting"] = gc.isenabled()
    self.exit()
app.InterviewApp.first_prompt_shown = shown
from interview.cli import main
seen["code"] = main(["interview", "youth"])
seen["collecting_after"] = gc.isenabled()
json.dump(seen, open(sys.argv[1], "w"))
"""

# Not needed to put the first question of an interview on screen, and each costs start-up
# time: the reports (Jinja2), the vault's cryptography, YAML (the content comes from its
# cache), the rules (no finding is shown before an answer), practice mode, the browser server,
# the screens not yet open, and the side panel (with a youth, mounted only when asked for).
NOT_AT_FIRST_PROMPT = (
    "jinja2", "cryptography", "yaml", "orjson", "textual_serve", "aiohttp",
    "interview.reports", "interview.rules", "interview.practice.run", "interview.county",
    "interview.app.screens.summary", "interview.app.screens.review",
    "interview.app.screens.export", "interview.app.screens.facts",
    "interview.app.screens.home", "interview.app.screens.unlock",
    "interview.app.screens.hidden", "interview.app.widgets.notes_panel",
)


def first_prompt(tmp_path: Path) -> dict:
    out = tmp_path / "seen.json"
    env = {**os.environ, "CSEC_INTERVIEW_FIRST_PROMPT_FILE": str(tmp_path / "stamp"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}  # its own content cache, not the user's
    subprocess.run([sys.executable, "-c", FIRST_PROMPT, str(out)], cwd=ROOT, env=env,
                   check=True, timeout=120, capture_output=True)
    return json.loads(out.read_text())


def test_the_first_prompt_loads_only_what_it_shows(tmp_path):
    first_prompt(tmp_path)  # the first start fills the content cache (YAML is read then)
    seen = first_prompt(tmp_path)
    assert seen["code"] == 0
    loaded = [name for name in seen["modules"]
              if any(name == m or name.startswith(m + ".") for m in NOT_AT_FIRST_PROMPT)]
    assert loaded == [], f"loaded before the first prompt: {loaded}"
    assert "interview.app.screens.interview" in seen["modules"]  # (the check can fail)


def test_collection_is_paused_while_the_app_starts_and_resumed_after(tmp_path):
    seen = first_prompt(tmp_path)
    assert seen["collecting"] is False  # paused until the first screen is drawn...
    assert seen["collecting_after"] is True  # ...and never left paused


def test_the_app_resumes_collection_once_its_first_screen_is_drawn(library):
    async def go():
        async with InterviewApp(flow_id="youth", library=library).run_test() as pilot:
            await pilot.pause()
            assert isinstance(pilot.app.screen, InterviewScreen)
            return gc.isenabled()

    gc.disable()  # as `csec-interview` pauses it while the app starts
    try:
        collecting = asyncio.run(go())
        set_aside = gc.get_freeze_count()
    finally:
        gc.unfreeze()  # this test process goes on collecting what the app set aside
        gc.enable()
    assert collecting is True
    assert set_aside > 0  # what start-up built is kept out of later collections


def test_an_app_started_with_collection_on_leaves_it_alone(library):
    async def go():
        async with InterviewApp(flow_id="youth", library=library).run_test() as pilot:
            await pilot.pause()
            return gc.isenabled(), gc.get_freeze_count()

    before = gc.get_freeze_count()
    assert asyncio.run(go()) == (True, before)  # nothing set aside: tests and embedding


def test_the_footer_shows_a_change_in_the_keys_and_keeps_its_keys_otherwise():
    """interview/app/widgets/footer.py composes its keys with the screen and again only when
    what it shows changes: a key switched off must leave it, a key switched on must come back."""
    from textual.app import App
    from textual.binding import Binding
    from textual.widgets._footer import FooterKey

    from interview.app.widgets.footer import Footer

    class Keys(App):
        BINDINGS = [Binding("f5", "one", "One"), Binding("f6", "two", "Two")]
        two = True

        def compose(self):
            yield Footer(compact=True, show_command_palette=False)

        def check_action(self, action, parameters):
            return self.two if action == "two" else True

    async def go():
        app = Keys()
        async with app.run_test() as pilot:
            await pilot.pause()
            footer = app.query_one(Footer)
            first = list(footer.query(FooterKey))
            shown = [[k.key for k in footer.query(FooterKey)]]
            app.refresh_bindings()  # nothing changed: the same keys, not composed again
            await pilot.pause()
            same = list(footer.query(FooterKey)) == first
            app.two = False
            app.refresh_bindings()
            await pilot.pause()
            shown.append([k.key for k in footer.query(FooterKey)])
            app.two = True
            app.refresh_bindings()
            await pilot.pause()
            shown.append([k.key for k in footer.query(FooterKey)])
            compact = all(k.has_class("-compact") for k in footer.query(FooterKey))
            return shown, same, compact

    shown, same, compact = asyncio.run(go())
    assert shown == [["f5", "f6"], ["f5"], ["f5", "f6"]]
    assert same
    assert compact


def test_the_interview_screen_is_styled_on_its_first_showing_as_a_full_restyle_would(library):
    """InterviewScreen skips Textual's restyle of the whole screen on its first showing (its
    widgets were just styled as they mounted): restyling it all now must change nothing, for
    each kind of interview screen."""

    def styles(screen):
        out = []
        for widget in screen.walk_children(with_self=True):
            out.append((type(widget).__name__, widget.id, widget._css_styles.css_lines))
            for name in sorted(widget._component_styles):
                out.append((name, widget.get_component_styles(name)._base_styles.css_lines))
        return out

    async def go(flow):
        async with InterviewApp(flow_id=flow, library=library).run_test() as pilot:
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, InterviewScreen) and screen.resumed_before
            first = styles(screen)
            pilot.app.update_styles(screen)  # what Textual's restyle on resuming does
            await pilot.pause()
            return first, styles(screen)

    for flow in ("youth", "caregiver", "hotline"):
        first, restyled = asyncio.run(go(flow))
        assert len(first) > 20
        assert first == restyled, flow
