"""A whole youth interview, from the home screen to the export, by keys through Textual's Pilot,
as a worker would do it for one fictional case: the keystrokes the README quotes, and, at every
key, the screen a youth could see checked for labelling words until the worker says the youth
is out of view. At 80x24 in the dark theme and at 120x40 in the light one.

The case (fictional): Jordan, 15, in foster care, stays at friends' places and with an older
"boyfriend", Dre, who sets up dates and keeps the money; a crown tattoo Dre chose.
"""

from __future__ import annotations

import asyncio
import io

import pytest

from interview.app.app import InterviewApp
from interview.app.screens.interview import InterviewScreen
from interview.app.screens.message import ConfirmScreen
from interview.app.screens.summary import SummaryScreen
from interview.content.words import labelling_words
from keys import type_text

# step id -> (answer, notes, cue ids); open steps: answer None. Steps not listed: an open step
# gets no notes and no ticks, a closed step "no".
CASE: dict[str, tuple[str | None, str, list[str]]] = {
    "confidentiality_understood": ("yes", "", []),
    "confidentiality_questions": (None, "asked if her foster mom will know", []),
    "open_feeling": (None, "tired", []),
    "open_staying": (None, "at friends' places, sometimes with Dre",
                     ["no_stable_place", "with_non_guardians"]),
    "open_clothing_food": (None, "Dre buys her stuff", ["older_partner_provides"]),
    "open_spend_time": (None, "Dre, he's 24, and his friends", ["older_partner"]),
    "open_stay_sleep": (None, "Dre's place or motels", ["runs_away", "unusual_place"]),
    "open_school": (None, "goes maybe once a week", ["rarely_goes"]),
    "open_weekdays": (None, "hangs out with Dre", []),
    "open_support": (None, "Dre gives her money", []),
    "open_transport": (None, "Dre drives her everywhere", ["someone_controls_rides"]),
    "open_worried_safety": (None, "her foster mom", []),
    "open_family_know": (None, "nothing", []),
    "open_afraid": (None, "no", []),
    "open_worrying": (None, "nothing", []),
    "specific_offer": ("no", "", []),
    "spec_paid_for_sex": ("yes", "Dre sets up dates and keeps the money", []),
    "spec_keep_share_money": ("yes", "Dre keeps it all", []),
    "spec_work_to_stay": ("yes", "had to do things to stay at Dre's", ["sex_for_place"]),
    "further_names": (None, "Dre", ["boyfriend_gives_orders"]),
    "further_family_involved": (None, "no", []),
    "further_exploiter_children": (None, "a baby, she thinks", []),
    "further_others_need_help": (None, "another girl, Kay", []),
    "further_tattoos": (None, "crown on her neck, Dre chose it", ["branding"]),
    "further_health": (None, "none", []),
    "further_drugs_alcohol": (None, "weed sometimes", []),
    "further_police_probation": (None, "none", []),
    "further_service_providers": (None, "school counselor", []),
    "further_contact_details": (None, "gave her number", []),
    "further_goals": (None, "finish school", []),
    "further_prior_incidents": ("no", "", []),
    "checklists_offer": ("no", "", []),
}
SEEN = {"tattoos_or_branding": "crown on the neck", "multiple_phones_or_money": "two phones"}


def terminal_text(app) -> str:
    """Exactly what the terminal shows now (the screen and, under a dialog, the screen behind
    it): what anyone near the screen could read."""
    from rich.console import Console

    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(),
                      record=True, color_system=None, legacy_windows=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text()


class Keys:
    """Presses keys through the pilot, counting the keys and the typed characters apart, and
    checks the screen after each (until the worker says the youth is out of view)."""

    def __init__(self, pilot, words):
        self.pilot, self.words = pilot, words
        self.keys = self.typed = 0
        self.youth_may_see = True
        self.screens_checked = 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.keys += 1
            await self.pilot.press(key)
            await self.check()

    async def type(self, text: str) -> None:
        self.typed += len(text)
        await type_text(self.pilot, text)
        await self.check()

    async def check(self) -> None:
        await self.pilot.pause()
        if not self.youth_may_see:
            return
        app = self.pilot.app
        shown = terminal_text(app)
        found = labelling_words(shown, self.words)
        assert not found, f"{found} on the screen:\n{shown}"
        card = app.screen.query("#prompt")  # the whole card, scrolled-away part included
        if card:
            assert not labelling_words(card.first().text, self.words), card.first().text
        self.screens_checked += 1


async def fill_facts(keys: Keys) -> None:
    """The case facts form, by keys: case number, initials, the worker, date of birth, in
    foster care, and three yes/no facts answered "no" (not left unrecorded)."""
    await keys.press("enter")
    for text in ("FICT-0415", "J.R.", "A. Worker", "2010-03-02"):
        await keys.type(text)
        await keys.press("tab")
    await keys.press("tab", "enter", "down", "down", "enter")   # case status: in foster care
    for _ in ("missing", "foreign_national", "immediate_safety_concern"):
        await keys.press("tab", "n")
    await keys.press("ctrl+s")


async def tick(keys: Keys, step, cue_ids) -> None:
    ids = [c.id for c in step.cues]
    for cue in cue_ids:
        await keys.press(str(ids.index(cue) + 1))


async def conduct(keys: Keys) -> InterviewScreen:
    """From the home screen to the end of the youth interview."""
    app = keys.pilot.app
    await keys.press("y")
    screen = app.screen
    assert isinstance(screen, InterviewScreen)
    for _ in range(200):
        step = screen.session.current
        if step is None:
            return screen
        before = len(screen.session.events)
        value, notes, cues = CASE.get(step.id, (None if step.kind == "open" else "no", "", []))
        if step.kind == "facts":
            await fill_facts(keys)
        elif step.kind == "script":
            for _ in range(20):  # Enter reads on while part of it is below, then records it
                await keys.press("enter")
                if screen.session.current is not step:
                    break
        elif step.kind == "observation":
            await keys.press("enter")
            items = [i.red_flag for i in step.items]
            at = 0
            for red_flag, note in sorted(SEEN.items(), key=lambda kv: items.index(kv[0])):
                index = items.index(red_flag)
                await keys.press(*["down"] * (index - at))
                at = index
                await keys.press("space")
                await keys.type(note)
                await keys.press("enter")
            await keys.press("escape")
        elif step.kind == "closed":
            await keys.press(value[0])
            if value == "yes" and (step.cues or step.follow_up):
                await keys.type(notes)
                await keys.press("enter")
                if step.cues:
                    await tick(keys, step, cues)
                    await keys.press("enter")
        elif step.kind == "open":
            await keys.type(notes)
            await keys.press("enter")
            if step.cues:
                await tick(keys, step, cues)
                await keys.press("enter")
        assert len(screen.session.events) > before, f"stuck at {step.id}"
    raise AssertionError("the interview did not finish")


async def summary_and_export(keys: Keys) -> None:
    app = keys.pilot.app
    await keys.press("ctrl+l")
    assert isinstance(app.screen, ConfirmScreen), "the summary must ask first"
    keys.youth_may_see = False   # the worker says the youth is out of view
    await keys.press("y")
    assert isinstance(app.screen, SummaryScreen)
    await keys.press("e", "ctrl+s")
    assert isinstance(app.screen, SummaryScreen)


def run_interview(library, size, theme, home) -> tuple[Keys, InterviewScreen]:
    async def go():
        app = InterviewApp(library=library)
        app.theme = theme
        async with app.run_test(size=size) as pilot:
            keys = Keys(pilot, library.youth_words)
            await keys.check()
            screen = await conduct(keys)
            assert app.screen is screen  # the closing: no summary until the worker asks
            await summary_and_export(keys)
            exported = list(home.glob("*.html"))
            assert len(exported) == 1 and "CASE NOTE" not in exported[0].read_text()[:50]
            return keys, screen

    return asyncio.run(go())


# The theme changes colours, not words; the size changes what wraps and what fits. Each size is
# run once and each theme once.
@pytest.mark.parametrize("size, theme", [((80, 24), "textual-dark"), ((120, 40), "textual-light")])
@pytest.mark.slow
def test_a_whole_youth_interview_from_home_to_export_never_shows_a_label(
        library, tmp_path, monkeypatch, capsys, size, theme):
    monkeypatch.setenv("HOME", str(tmp_path))    # the export's default folder
    from interview.app.screens.export import ExportScreen

    monkeypatch.setattr(ExportScreen, "remembered", {})
    keys, screen = run_interview(library, size, theme, tmp_path)
    findings = screen.session.findings
    record = screen.session.record
    # What was recorded is what the worker keyed in.
    assert record.context.case_id == "FICT-0415" and record.context.interviewee == "J.R."
    assert record.context.immediate_safety_concern is False and record.context.missing is False
    assert record.context.case_status == "in_foster_care"
    assert record.answers["spec_work_to_stay"].cues == ("sex_for_place",)
    assert record.answers["observations"].value == "yes"           # gone through, not skipped
    assert record.observations == SEEN
    assert findings.disclosed["sex_trafficking"]
    assert keys.screens_checked > 100
    if size == (80, 24) and theme == "textual-dark":
        with capsys.disabled():
            print(f"\nyouth interview, home to export, 80x24: {keys.keys} keys and "
                  f"{keys.typed} typed characters")
        assert keys.keys <= 160
