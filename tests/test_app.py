"""The app, driven by keys through Textual's Pilot: whole interviews, the gate, quick-hide,
typed text shown as text. All cases are fictional."""

from __future__ import annotations

import asyncio

import pytest

from interview.app.app import InterviewApp
from interview.app.screens.hidden import HiddenScreen
from interview.app.screens.interview import InterviewScreen
from interview.app.screens.message import ConfirmScreen
from interview.app.screens.summary import SummaryScreen
from interview.content.words import labelling_words
from keys import read_script, type_text


def run(coro):
    return asyncio.run(coro)


def _visible_text(app) -> str:
    """The text of every displayed Static and log line on the current screen."""
    from textual.widgets import Static

    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


async def answer_current(pilot, plan: dict) -> None:
    """Answer the interview's current step by keys, as a worker would."""
    screen = pilot.app.screen
    step = screen.session.current
    value, notes, cues = plan.get(step.id, (None, "", []))
    if step.kind == "facts":
        await pilot.press("ctrl+s")
    elif step.kind == "script":
        await read_script(pilot)
    elif step.kind == "observation":
        await pilot.press("enter")
        await pilot.pause()
        for _ in plan.get("_observed", []):
            await pilot.press("space")
            await pilot.press("enter")      # an empty note
            await pilot.press("down")
        await pilot.press("escape")
    elif step.kind == "closed":
        await pilot.press((value or "no")[0])
        if value == "yes" and (step.cues or step.follow_up):
            await type_text(pilot, notes)
            await pilot.press("enter")
            if step.cues:
                await pilot.press(*[str(n) for n in cues])
                await pilot.press("enter")
    elif step.kind == "open":
        await type_text(pilot, notes or "fine")
        await pilot.press("enter")
        if step.cues:
            await pilot.press(*[str(n) for n in cues])
            await pilot.press("enter")
    await pilot.pause()


async def open_summary(pilot) -> None:
    """ctrl+l, as a worker would; the first time with someone in the room it asks whether they
    are out of view, and the worker says yes."""
    from interview.app.screens.message import ConfirmScreen

    await pilot.press("ctrl+l")
    await pilot.pause()
    if isinstance(pilot.app.screen, ConfirmScreen):
        assert "out of view" in _visible_text(pilot.app)
        await pilot.press("y")
        await pilot.pause()
    assert isinstance(pilot.app.screen, SummaryScreen)


async def walk(pilot, plan: dict, limit: int = 200) -> InterviewScreen:
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen)
    for _ in range(limit):
        if screen.session.finished:
            return screen
        before = len(screen.session.events)
        await answer_current(pilot, plan)
        assert len(screen.session.events) > before, f"stuck at {screen.session.current.id}"
    raise AssertionError("the interview did not finish")


YOUTH_PLAN = {
    "specific_offer": ("no", "", []),
    "open_staying": (None, "couch at friends", [1]),         # no stable place: D
    "open_school": (None, "not much", [1]),                  # rarely goes: F
    "spec_work_to_stay": ("yes", "to sleep somewhere", [1]),  # sex for a place to stay
    "_observed": ["first item"],
}


@pytest.mark.slow
def test_a_whole_youth_interview_by_keys_reaches_a_correct_summary(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await walk(pilot, YOUTH_PLAN)
            await pilot.pause()
            assert app.screen is screen  # the summary does not open by itself
            await open_summary(pilot)
            record = screen.session.record
            assert record.answers["confidentiality_script"].value == "yes"
            assert record.answers["open_staying"].text == "couch at friends"
            assert record.answers["spec_work_to_stay"].cues == ("sex_for_place",)
            assert record.answers["spec_paid_for_sex"].value == "no"
            findings = screen.session.findings
            assert findings.disclosed["sex_trafficking"]
            assert findings.at_risk_met and findings.at_risk_branch == "D-H"
            assert "sexualized_clothing" in record.observations
            text = str(app.screen.query_one("#report-body").render())
            assert "Sex trafficking: DISCLOSED" in text
            assert "Met: at least two of D-H (D, F)." in text
            assert "Next steps" in text and "Report the suspected exploitation" in text

    run(go())


CAREGIVER_PLAN = {
    "cg_runs_away": ("yes", "", []),
    "cg_controlled": ("yes", "", []),
}


def test_a_whole_caregiver_interview_by_keys_reaches_a_correct_summary(library):
    async def go():
        app = InterviewApp(flow_id="caregiver", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await walk(pilot, CAREGIVER_PLAN)
            await pilot.pause()
            assert app.screen is screen
            await open_summary(pilot)
            findings = screen.session.findings
            assert sorted(findings.at_risk_indicators) == ["A", "D"]
            assert findings.at_risk_met and findings.at_risk_branch == "A-C"
            assert not any(findings.disclosed.values())
            assert findings.csec_type is not None and findings.csec_type.type == "at_risk"
            # The caregiver is in the room: the side panel is not open until the worker asks.
            assert not screen.query("#panel")

    run(go())


def test_enter_reads_on_through_the_script_before_it_counts_as_read(library):
    """At 80x24 the confidentiality script is longer than the card: Enter shows the next part,
    and records the script as read only once its end has been on the card."""
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await pilot.press("ctrl+s", "enter", "enter")
            await pilot.pause()
            script = screen.session.current
            assert script.id == "confidentiality_script"
            card, scroll = screen.query_one("#prompt"), screen.query_one("#prompt-scroll")
            assert card.more == "below" and "read on" in card.text
            await pilot.press("enter")
            await pilot.pause()
            assert screen.session.current is script and scroll.scroll_y > 0
            assert "confidentiality_script" not in screen.session.record.answers
            return 1 + await read_script(pilot), screen.session.record.answers

    presses, answers = run(go())
    assert presses == 3 and answers["confidentiality_script"].value == "yes"


def test_no_youth_question_is_reachable_before_the_script_is_acknowledged(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await pilot.press("ctrl+s", "enter", "enter")       # facts, basic needs, rapport
            assert screen.session.current.id == "confidentiality_script"
            await pilot.press("ctrl+t")                          # the sections list
            await pilot.pause()
            menu = app.screen.query_one("#sections")
            locked = [menu.get_option_at_index(i) for i in range(menu.option_count)]
            assert all(o.disabled for o in locked if o.id in ("open_ended", "specific"))
            await pilot.press("escape")
            await pilot.press("ctrl+s", "n")                     # skip the script, "not understood"
            await type_text(pilot, "no questions")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.session.current.id == "confidentiality_questions"
            assert "confidentiality script" in screen.session.blocked
            assert screen.session.current.audience != "youth"
            await pilot.press("ctrl+r")                          # re-read it: back where we were
            await pilot.pause()
            await read_script(pilot)
            assert screen.session.current.id == "confidentiality_questions"
            await pilot.press("enter")
            await pilot.pause()
            assert screen.session.current.id == "open_feeling"

    run(go())


SCREENS = {"home": "HomeScreen", "interview": "InterviewScreen", "facts": "FactsScreen",
           "observations": "ObservationsScreen", "sections": "SectionsScreen",
           "summary": "SummaryScreen", "help": "HelpScreen", "terms": "TermsScreen",
           "confirm_quit": "ConfirmScreen", "reason": "ReasonScreen", "export": "ExportScreen",
           "practice_start": "PracticeStartScreen", "practice": "PracticeScreen",
           "practice_questions": "PracticeQuestionsScreen", "debrief": "DebriefScreen",
           "determinations": "DeterminationsScreen",
           "hotline": "HotlineScreen", "hotline_flags": "HotlineScreen",
           "return_offer": "ConfirmScreen", "out_of_view": "ConfirmScreen",
           "home_with_open": "HomeScreen", "help_on_checklist": "HelpScreen"}
PRACTICE_ROUTES = ("practice_start", "practice", "practice_questions", "determinations",
                   "debrief")
FLOWS = {"home": None, "hotline": "hotline", "hotline_flags": "hotline"}


@pytest.mark.parametrize("route", ["home", "interview", "facts", "observations", "sections",
                                   "summary", "help", "terms", "confirm_quit", "reason",
                                   "export", *PRACTICE_ROUTES, "hotline", "hotline_flags",
                                   "return_offer", "out_of_view", "home_with_open",
                                   "help_on_checklist"])
def test_quick_hide_works_on_every_screen_and_comes_back(library, route):
    keys = {"home": [], "interview": [], "facts": ["enter"], "observations": ["ctrl+o"],
            "sections": ["ctrl+t"], "summary": ["ctrl+l", "y"], "help": ["f1"],
            "terms": ["ctrl+y"], "confirm_quit": ["ctrl+s", "ctrl+q"],
            "reason": ["ctrl+o", "space", "escape", "escape", "ctrl+l", "y", "x"],
            "export": ["ctrl+l", "y", "e"], "out_of_view": ["ctrl+l"], "home": [],
            "home_with_open": ["f3"], "help_on_checklist": ["ctrl+o", "f1"],
            "practice_start": [], "practice": ["enter"], "practice_questions": ["enter", "ctrl+e"],
            "determinations": ["enter", "ctrl+d", "y"],
            "debrief": ["enter", "ctrl+d", "y", "ctrl+s", "ctrl+s"],
            "hotline": [], "hotline_flags": ["enter", "enter", "enter", "t", "a"],
            "return_offer": ["enter"]}

    async def go():
        if route in PRACTICE_ROUTES:
            app = InterviewApp(library=library, practice={"trainee": "Ana"})
        else:
            app = InterviewApp(flow_id=FLOWS.get(route, "youth"), library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*keys[route])
            await pilot.pause()
            if route == "return_offer":  # the case facts record a return from an absence
                app.screen.query_one("#absence_left").value = "2025-10-06"
                app.screen.query_one("#absence_returned").value = "2025-10-19"
                await pilot.press("ctrl+s")
                await pilot.pause()
            before = app.screen
            assert type(before).__name__ == SCREENS[route]
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert isinstance(app.screen, HiddenScreen)
            hidden_text = _visible_text(app)
            assert "youth" not in hidden_text.lower() and "interview" not in hidden_text.lower()
            await pilot.press("f1", "ctrl+p")                    # nothing revealing from here
            await pilot.pause()
            assert isinstance(app.screen, HiddenScreen)
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert app.screen is before

    run(go())


HOSTILE = "[bold]x[/bold] [@click=app.quit]q[/] \x1b[31mred\x1b[0m"


def test_typed_text_is_shown_as_text(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            await pilot.press("ctrl+s", "enter", "enter")
            await read_script(pilot)
            await pilot.press("y")
            await type_text(pilot, HOSTILE.replace("\x1b", ""))         # typed into the notes
            await pilot.press("enter")
            await pilot.pause()
            transcript = screen.query_one("#transcript")
            shown = "\n".join(transcript.lines_said)
            assert "[bold]x[/bold]" in shown and "[@click=app.quit]q[/]" in shown
            assert app.is_running  # the click markup was not interpreted
            screen.session.edit("confidentiality_questions", text="a\x1b[2Jb\x07")
            screen.query_one("#transcript").add("said", screen.session.record.answers[
                "confidentiality_questions"].text)
            shown = "\n".join(transcript.lines_said)
            assert "\x1b" not in shown and "\x07" not in shown and "ab" in shown

    run(go())


@pytest.mark.slow
def test_nothing_on_the_youth_conversation_screen_labels_the_youth(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            words = library.youth_words
            seen = []
            for _ in range(60):
                if screen.session.finished or app.screen is not screen:
                    break
                seen.append(_visible_text(app))
                await answer_current(pilot, {**YOUTH_PLAN, "spec_paid_for_sex": ("yes", "", [])})
            seen.append(_visible_text(app) if app.screen is screen else "")
            assert len(seen) > 40
            for text in seen:
                assert not labelling_words(text, words), labelling_words(text, words)
            assert not screen.query("#panel")  # not even mounted by default with a youth

    run(go())


def test_an_unknown_flow_is_a_message_not_a_crash(library):
    async def go():
        app = InterviewApp(flow_id="hotline-x", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "flow 'hotline-x' not found" in _visible_text(app)

    run(go())


def test_the_summary_lets_the_worker_reject_a_finding_with_a_reason(library):
    async def go():
        app = InterviewApp(flow_id="caregiver", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await walk(pilot, {"cg_runs_away": ("yes", "", [])})
            await open_summary(pilot)
            review = app.screen.query_one("#review")
            ids = [review.get_option_at_index(i).id for i in range(review.option_count)]
            review.highlighted = ids.index("at_risk:D")
            await pilot.press("x")
            await pilot.pause()
            await type_text(pilot, "Stays with grandmother")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.session.record.overrides["at_risk:D"].decision == "reject"
            assert "D" not in screen.session.findings.at_risk_indicators
            review = app.screen.query_one("#review")
            assert str(review.get_option("at_risk:D").prompt).startswith("[rejected]")
            assert "Not met" in str(app.screen.query_one("#report-body").render())

    run(go())


def test_quitting_mid_interview_asks_first(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+s", "ctrl+q")
            await pilot.pause()
            assert "not saved" in _visible_text(app)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, InterviewScreen) and app.is_running

    run(go())


def test_every_key_of_the_screen_is_in_the_command_palette_and_f1_explains_it(library):
    async def go():
        app = InterviewApp(flow_id=None, library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("y")                               # home: start a youth interview
            await pilot.pause()
            assert isinstance(app.screen, InterviewScreen)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            for wanted in ("Back (ctrl+b)", "Skip (ctrl+s)", "Sections (ctrl+t)",
                           "Re-read script (ctrl+r)", "Seen (ctrl+o)", "Summary (ctrl+l)",
                           "Youth's own words (ctrl+y)", "Hide (ctrl+g)", "Help (f1)"):
                assert wanted in titles
            await pilot.press("f1")
            await pilot.pause()
            help_text = str(app.screen.query_one("Markdown").source)
            assert "## The interview" in help_text and "`ctrl+s` | Skip" in help_text
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, InterviewScreen)

    run(go())


async def to_the_questions(pilot) -> None:
    """From the case facts (skipped) through basic needs, rapport, the script and "said back"."""
    await pilot.press("ctrl+s", "enter", "enter")
    await read_script(pilot)
    await pilot.press("y", "enter")


def test_the_youths_own_words_show_in_later_prompts(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            await to_the_questions(pilot)
            await pilot.press("ctrl+y")
            await pilot.pause()
            await type_text(pilot, "the person in charge")
            await pilot.press("enter")
            await type_text(pilot, "Daddy")
            await pilot.press("enter", "escape")
            await pilot.pause()
            assert screen.session.record.terms == {"the person in charge": "Daddy"}
            assert "Their words: Daddy (the person in charge)" in screen.query_one("#prompt").text

    run(go())


def test_quit_from_the_command_palette_asks_while_an_interview_is_open(library):
    """Walk 1.8: Textual's own palette "Quit" exited at once, past the "Quit? 1 interview is
    open" question ctrl+q asks; the palette offers only ours, and Textual's quit asks too."""
    async def go():
        app = InterviewApp(flow_id=None, library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("y")
            await pilot.pause()
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Quit (ctrl+q)" in titles
            assert "Quit" not in titles and "Keys" not in titles      # F1 is the help
            # no command's help line repeats its title, which read as a second command
            assert not [c for c in app.get_system_commands(app.screen)
                        if c.help and c.title.startswith(c.help + " (")]
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"quit")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await pilot.pause(0.3)
            assert app.is_running and isinstance(app.screen, ConfirmScreen)
            assert "1 interview is open" in app.screen.body
            await pilot.press("escape")
            await pilot.pause()
            app.action_quit()                                       # Textual's quit, by any road
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, ConfirmScreen)

    run(go())


def test_a_label_typed_for_the_person_is_not_on_the_youths_card(library):
    """Screen audit, 5: "Their words: Daddy (pimp who sells them)" was on every youth card: the
    worker's name for the person, typed live, was checked by nothing. It is masked as any text
    from elsewhere is; the youth's own word stays."""
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            await to_the_questions(pilot)
            screen.session.use_term("pimp who sells them", "Daddy")
            screen.refresh_all()
            await pilot.pause()
            return screen.query_one("#prompt").text

    text = run(go())
    assert "Their words: Daddy (" in text and "pimp" not in text


def test_the_home_screens_key_line_fits_80_columns(library):
    """Screen audit, 11: at 80 columns the home screen's key line ended at "r" (Saved, Practice
    and Help cut off); the list above names each interview with its letter."""
    import html
    import re

    async def go():
        app = InterviewApp(library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            return app.export_screenshot()

    lines = [html.unescape(t).replace("\xa0", " ")
             for t in re.findall(r">([^<]*)</text>", run(go()))]
    drawn = " ".join(lines)
    assert "Saved" in drawn and "Practice" in drawn and "Help" in drawn
    assert "y  Youth interview" in drawn


def test_the_side_panel_says_at_risk_and_what_was_told_before_the_chart_rows(library):
    """Screen audit, 9: at 80x24 a long list of chart rows hid the A-H and S/L/C lines below
    the panel's fold, which no key scrolls; they come first."""
    from interview.app.widgets.notes_panel import panel_text
    from interview.engine.case import load_case
    from interview.rules import evaluate

    from conftest import ROOT

    record = load_case(library, ROOT / "flows" / "examples" / "survival-sex.yaml")
    text = panel_text(evaluate(library, record).as_json(library), codes_only=True).plain
    assert text.index("A-H:") < text.index("S/L/C:") < text.index("Chart rows")


def test_the_side_panel_in_words_names_a_question_not_its_id(library):
    """Screen audit, 12: the panel's reason for a chart row read "cse_property_tattoos: yes"."""
    from interview.app.widgets.notes_panel import panel_text
    from interview.engine.session import Session

    s = Session(library, "labor-criminal")
    s.set_facts(date_of_birth="2010-06-14")
    while s.current is not None and s.current.id != "cse_property_tattoos":
        s.skip()
    s.answer("yes")
    text = panel_text(s.findings.as_json(library), codes_only=False).plain
    assert "cse_property_tattoos" not in text
    assert f"{library.flows['labor-criminal'].by_id['cse_property_tattoos'].text}: yes" in text
