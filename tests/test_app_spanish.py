"""Interviews conducted in Spanish (issue 17): the language is chosen per interview and may be
switched midway; the record says which language each question was asked in; the card says
what to say in Spanish with the English beside it; the reports stay English with the
transcript in both languages.

The headless tests come first (the engine and the report); then few Pilot tests, each a whole
interview at 80x24, since they are the costliest kind.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from interview.content.routing import gated_steps
from interview.engine.case import build_record
from interview.engine.session import Event, Session, replay_record
from interview.errors import InputError
from interview.rules import evaluate
from keys import read_script, type_text
from test_translations import COUNTY  # Testshire, a fictional county with its own translations
from test_crosscheck import flows, rewrite  # noqa: F401  (a copy of the shipped flows)


@pytest.fixture
def session(library):
    s = Session(library, "youth")
    yield s
    s.close()


def walk_to_first_question(s: Session) -> None:
    """Through what comes before the first youth question: facts skipped, the rest yes."""
    gated = gated_steps(s.flow)
    for _ in range(len(s.flow.steps)):
        if s.current.id in gated:
            return
        if s.current.kind == "facts":
            s.skip()
        elif s.current.kind == "open":
            s.answer(text="Preguntó quién es el juez.")
        else:
            s.answer("yes")
    raise AssertionError("no youth question after the steps before the gate")


def feeling_asked_in_spanish(lib) -> list[Event]:
    """The events of a youth interview in Spanish up to the first question (open_feeling),
    answered "bien"."""
    s = Session(lib, "youth")
    try:
        s.set_language("es")
        walk_to_first_question(s)
        assert s.current.id == "open_feeling"
        s.answer(text="bien")
        return list(s.events)
    finally:
        s.close()


# --- the engine: the language is an event, and nothing else depends on it ---------------------

def test_the_language_is_an_event_and_each_answer_keeps_the_language_it_was_asked_in(session):
    session.set_language("es")
    walk_to_first_question(session)
    first = session.current.id
    session.answer(text="En casa de mi tía.")
    session.set_language("en")  # switched midway: the next question is asked in English
    second = session.current.id
    session.skip()

    kinds = [e.type for e in session.events]
    assert kinds[0] == "language" and kinds.count("language") == 2
    assert session.record.asked_in[first] == "es"
    assert session.record.asked_in[second] == "en"
    assert session.record.asked_in[session.flow.gate] == "es"  # the script was read in Spanish
    assert session.language == "en"
    # The same language again records nothing: no event that says nothing.
    count = len(session.events)
    session.set_language("en")
    assert len(session.events) == count


def test_a_language_switch_replays_and_never_changes_the_answers_or_findings(session, library):
    walk_to_first_question(session)
    session.set_language("es")
    session.answer(text="Con mi novio, él me compra ropa.")
    english = Session(library, "youth",
                      events=[e for e in session.events if e.type != "language"])
    resumed = Session(library, "youth", events=session.events)
    try:
        assert resumed.record.asked_in == session.record.asked_in
        assert resumed.language == "es" and resumed.state == session.state
        # The determinations are the answers': the language they were given in is no part.
        assert resumed.record.answers == english.record.answers
        assert resumed.findings.as_json(library) == english.findings.as_json(library)
        record = replay_record(library, "youth", [e.as_json() for e in session.events])
        assert record.asked_in == session.record.asked_in
    finally:
        english.close()
        resumed.close()


def test_an_edit_later_does_not_change_the_language_a_question_was_asked_in(session):
    session.set_language("es")
    walk_to_first_question(session)
    step = session.current.id
    session.answer(text="Bien.")
    session.set_language("en")
    session.edit(step, text="Bien, dice que bien.")
    assert session.record.asked_in[step] == "es"


@pytest.mark.parametrize("bad", ["", "spanish", "ES", "e s", 7, None, "<b>es</b>"])
def test_a_bad_language_is_refused_with_one_message_before_anything_is_stored(session, bad):
    stored = []
    session.sinks.append(stored.append)
    with pytest.raises(InputError, match="language: .* is not a language code"):
        session.set_language(bad)
    assert stored == [] and session.events == [] and session.language == "en"
    with pytest.raises(InputError, match="not a language code"):
        Session(session.library, "youth", events=[Event("language", value=bad)])


def test_an_unknown_language_is_one_message_naming_the_ones_there_are(cli):
    code, out, err = cli("--lang", "esp", "interview", "youth")
    assert code != 0 and out == ""
    assert err.strip().count("\n") == 0 and "Traceback" not in err
    assert "--lang 'esp'" in err and "'es'" in err  # the near miss, named


# --- the report: English, with the transcript in both languages --------------------------------

def test_the_report_stays_english_with_the_spanish_said_beside_each_question(session, library):
    from interview.engine.said import said
    from interview.reports import document, render

    session.set_language("es")
    walk_to_first_question(session)
    spanish = session.current
    session.answer(text="En casa de mi tía <b>[bold]Dre[/bold]</b>")
    session.set_language("en")
    english = session.current
    session.answer(text="she stays with friends")
    report = document.build(library, session.record, session.findings, events=session.events)
    asked = {a["step"]: a for a in report["answers"]}
    assert asked[spanish.id]["question"] == library.step_text(spanish).strip()  # the English
    assert asked[spanish.id]["language"] == "es"
    assert "language" not in asked[english.id]  # asked in English: as reports always were
    assert report["confidentiality"]["language"] == "es"

    said_es = said(library, spanish, "es")
    text = render.render(report, "text", parts=("case-note",))
    html = render.render(report, "html", parts=("case-note",))
    assert said_es.translated  # the Spanish as said, under the English question
    assert asked[spanish.id]["said"] == said_es.text.strip()
    question = text.index(library.step_text(spanish).strip()[:40])
    assert text.index("Asked in Spanish: " + said_es.text.strip()[:30]) > question
    assert "interpreted" not in text
    # The header says the interview was (partly) in Spanish (the Spanish audit's 9): the quotes
    # of the youth's words below are in the language they were said in.
    spoken = [s for s in session.record.asked_in
              if session.record.asked_in[s] == "es" and s in session.record.answers]
    assert report["interview"]["languages"] == [
        {"language": "es", "language_name": "Spanish", "questions": len(spoken)}]
    header = text[:text.index("Case facts")]
    assert f"Language: Spanish for {len(spoken)} of the steps below" in " ".join(header.split())
    # The youth's words as typed, in any language: literal in text, escaped in HTML.
    assert "En casa de mi tía <b>[bold]Dre[/bold]</b>" in text
    assert "&lt;b&gt;[bold]Dre[/bold]&lt;/b&gt;" in html and "<b>[bold]" not in html
    # Findings, CWS/CMS and next steps are the English interview's.
    plain = Session(library, "youth", events=[e for e in session.events if e.type != "language"])
    try:
        english_report = document.build(library, plain.record, plain.findings,
                                        events=plain.events)
        for key in ("red_flags", "at_risk", "disclosures", "suspected", "csec_type", "cws_cms",
                    "next_steps", "response"):
            assert report[key] == english_report[key], key
    finally:
        plain.close()


# --- no current Spanish text: the worker interprets, and every screen and report says so ------

# The county's youth.yaml replaces the shipped one whole: one entry, written for an English that
# has since changed (its fingerprint is not the English's), and nothing for the rest.
STALE_YOUTH = """language: es
status: reviewed
steps:
  open_feeling:
    english: "000000000000"
    text: "¿Cómo te sientes? (una versión vieja)"
"""


@pytest.fixture(scope="module")
def county_library(tmp_path_factory):
    from interview.content.loader import load_library

    root = tmp_path_factory.mktemp("county")
    (root / "testshire.yaml").write_text(COUNTY, encoding="utf-8")
    (root / "our-words" / "es").mkdir(parents=True)
    (root / "our-words" / "es" / "youth.yaml").write_text(STALE_YOUTH, encoding="utf-8")
    lib, problems = load_library(county=str(root / "testshire.yaml"))
    assert not problems, problems
    return lib


def test_a_step_without_current_spanish_is_said_in_english_and_the_report_says_interpreted(
        county_library):
    from interview.engine.said import NO_TEXT, STALE, said
    from interview.reports import document, render

    youth = county_library.flows["youth"]
    stale, missing = youth.by_id["open_feeling"], youth.by_id["open_afraid"]
    assert said(county_library, stale, "es").interpret == STALE
    assert said(county_library, missing, "es").interpret == NO_TEXT
    assert said(county_library, stale, "es").text == county_library.step_text(stale)

    session = Session(county_library, "youth", events=feeling_asked_in_spanish(county_library))
    try:
        report = document.build(county_library, session.record, session.findings,
                                events=session.events)
    finally:
        session.close()
    asked = next(a for a in report["answers"] if a["step"] == "open_feeling")
    assert asked["interpreted"] and asked["said"] is None  # never the out-of-date Spanish
    text = render.render(report, "text", parts=("case-note",))
    assert ("Asked in Spanish, interpreted by the worker from the English (no Spanish text)"
            in text) and "una versión vieja" not in text


def test_the_record_keeps_the_words_said_so_a_later_translation_changes_no_report(
        library, county_library):
    """A county's certified translator replaces the draft after interviews were held: the
    record, the report and the transcript still say what the worker was shown to say then."""
    from interview.app.widgets.transcript import said_as
    from interview.engine.said import said
    from interview.reports import document

    def asked(lib, events):
        """The report's line for open_feeling, and the transcript's, from saved events."""
        record = replay_record(lib, "youth", events)
        report = document.build(lib, record, _findings(lib, events), events=events)
        return (next(a for a in report["answers"] if a["step"] == "open_feeling"),
                said_as(lib, lib.flows["youth"].by_id["open_feeling"], record))

    def held(lib):
        return [e.as_json() for e in feeling_asked_in_spanish(lib)]

    then = said(library, library.flows["youth"].by_id["open_feeling"], "es").text
    # Held with the shipped Spanish, read where that translation has since been replaced.
    events = held(library)
    kept = next(e for e in events if e.get("step") == "open_feeling")["said"]
    assert kept == {"language": "es", "text": then, "draft": True}
    report, line = asked(county_library, events)
    assert report["said"] == then.strip() and not report["interpreted"]
    assert line == f"[es] {then}"
    # Held where the worker had to interpret, read where a translation now exists.
    events = held(county_library)
    report, line = asked(library, events)
    assert report["interpreted"] and report["said"] is None
    assert line.startswith("[es, interpreted] ") and then not in line
    # An interview saved before events kept the words: today's translation, as before.
    for e in events:
        e.pop("said", None)
    report, _ = asked(library, events)
    assert report["said"] == then.strip()


def _findings(lib, events):
    s = Session(lib, "youth", events=[Event.from_json(e) for e in events])
    try:
        return s.findings
    finally:
        s.close()


@pytest.mark.parametrize("said, message", [
    ("bien", "answer.said: only an answer or a skip keeps what was said, as a mapping"),
    ({"language": "es"}, "answer.said: give the language and the text said"),
    ({"language": "es", "text": 3}, "answer.said.text: must be text"),
    ({"language": "es", "text": "x" * 20_001}, "answer.said.text: must be text of at most"),
    ({"language": "es", "text": "hola", "markup": "[b]"}, "answer.said: unknown key 'markup'"),
])
def test_what_an_event_says_was_said_is_checked_like_any_field(library, said, message):
    events = [Event("language", value="es").as_json(),
              {**Event("answer", "open_feeling", {"text": "bien", "cues": []}).as_json(),
               "said": said}]
    with pytest.raises(InputError, match=re.escape(message)):
        replay_record(library, "youth", events)
    with pytest.raises(InputError, match=re.escape("back.said: only an answer or a skip")):
        replay_record(library, "youth", [{**Event("back").as_json(), "said": {"text": "x"}}])


def test_the_card_marks_a_step_without_current_spanish_for_the_worker_to_interpret(
        county_library):
    from interview.app.app import InterviewApp

    async def go():
        app = InterviewApp(flow_id="youth", library=county_library, lang="es")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await pilot.press("ctrl+s", "enter", "enter")
            await read_script(pilot)
            await pilot.press("y", "enter")
            assert screen.session.current.id == "open_feeling"
            stale = " ".join(screen.query_one("#prompt").text.split())
            await type_text(pilot, "bien")
            await pilot.press("enter", "enter")
            missing = " ".join(screen.query_one("#prompt").text.split())
            return stale, missing

    stale, missing = asyncio.run(go())
    assert "Spanish text out of date: interpret" in stale and "How are you feeling?" in stale
    assert "una versión vieja" not in stale and "EN " not in stale
    assert "no Spanish text: interpret" in missing and "EN " not in missing


# --- the app, at 80x24: a whole interview in Spanish, the screen checked at every key -----------

# What the youth and the caregiver say, typed as said (fictional): step id -> (answer, notes,
# cue ids). Steps not listed: an open step gets no notes, a closed step "no", facts skipped.
YOUTH = {
    "confidentiality_understood": ("yes", "", []),
    "open_staying": (None, "en casa de amigos, a veces con [b]Dre[/b]",
                     ["no_stable_place", "with_non_guardians"]),
    "open_spend_time": (None, "Dre, tiene 24 años", ["older_partner"]),
    "open_school": (None, "casi nunca voy", ["rarely_goes"]),
    "specific_offer": ("no", "", []),
    "spec_paid_for_sex": ("yes", "Dre arregla citas y se queda con el dinero", []),
}
CAREGIVER = {
    "cg_unexplained_goods": ("yes", "tiene ropa nueva y no sé de dónde", []),
    "cg_runs_away": ("yes", "se fue tres veces este año", []),
    "checklists_offer": ("no", "", []),
}
SWITCH_AT = "open_school"  # the youth interview goes to English for this question, then back


def spanish_keys(pilot, library, youth_present: bool = True):
    """The screen label check of test_app_figures (every key, the whole terminal and the whole
    card), with the Spanish list beside the English one; a caregiver's framing explains the
    terms (DOMAIN.md 3), so there the check is off, as it is for any adult out of view."""
    from test_app_figures import Keys

    keys = Keys(pilot, library.youth_words + library.translations.words.get("es", ()))
    keys.youth_may_see = youth_present
    keys.library, keys.cards = library, {"spanish": 0, "interpret": 0}
    return keys


async def card_of(keys, screen) -> str:
    """The card's text now, checked: in Spanish, a step said to the person shows what to say
    in Spanish and the English under it, or the English with the mark to interpret."""
    from interview.engine.said import said

    step = screen.session.current
    text = screen.query_one("#prompt").text
    flat = " ".join(text.split())
    s = said(keys.library, step, screen.session.language)
    if s.language == "es" and s.translated:
        verb = "Ask" if step.audience == "reporter" else "Say"
        # an uncertified translation says so on the card (the Spanish audit, finding 10)
        assert flat.startswith(f"{verb} in Spanish{' (draft)' * s.draft}:") and "EN " in flat
        assert " ".join(s.text.split())[:60] in flat
        keys.cards["spanish"] += 1
    elif s.language == "es":
        assert "no Spanish text: interpret" in flat or "out of date: interpret" in flat
        keys.cards["interpret"] += 1
    else:
        assert "EN " not in flat and "interpret" not in flat
    return flat


async def conduct(keys, screen, case: dict, at_step=None) -> None:
    """Every step of the interview by keys, until it is finished."""
    for _ in range(300):
        step = screen.session.current
        if step is None:
            return
        before = len(screen.session.events)
        if at_step is not None:
            await at_step(step)
        await card_of(keys, screen)
        value, notes, cues = case.get(step.id, (None if step.kind == "open" else "no", "", []))
        if step.kind == "facts":
            await keys.press("ctrl+s")
        elif step.kind == "script":
            for _ in range(20):  # Enter reads on while part of it is below, then records it
                await keys.press("enter")
                if screen.session.current is not step:
                    break
        elif step.kind == "observation":
            await keys.press("enter", "escape")
        else:
            if step.kind == "closed":
                await keys.press(value[0])
            if step.kind == "open" or (value == "yes" and (step.cues or step.follow_up)):
                await keys.type(notes)
                await keys.press("enter")
                if step.cues:
                    ids = [c.id for c in step.cues]
                    await keys.press(*[str(ids.index(c) + 1) for c in cues], "enter")
        assert len(screen.session.events) > before, f"stuck at {step.id}"
    raise AssertionError("the interview did not finish")


@pytest.mark.slow
def test_a_whole_youth_interview_in_spanish_at_80x24_switching_once_midway(library):
    from interview.app.app import InterviewApp
    from interview.reports import document, render

    async def go():
        app = InterviewApp(library=library, lang="es")
        async with app.run_test(size=(80, 24)) as pilot:
            keys = spanish_keys(pilot, library)
            await keys.check()
            await keys.press("y")  # the youth interview, from the home screen
            screen = app.screen

            async def switch(step):
                if step.id != SWITCH_AT:
                    return
                await keys.press("f4")  # to English for this one question
                assert screen.session.language == "en"
                flat = await card_of(keys, screen)
                assert flat.startswith("Say:") and "Spanish" not in str(
                    screen.query_one("#progress").render())
                await keys.type(YOUTH[step.id][1])
                await keys.press("enter", "1", "enter")  # noted and ticked in English
                await keys.press("f4")  # back to Spanish for what follows
                assert screen.session.language == "es"

            await conduct(keys, screen, YOUTH, switch)
            return screen, keys, " ".join(screen.query_one("#transcript").lines_said)

    screen, keys, transcript = asyncio.run(go())
    session, record = screen.session, screen.session.record
    # Started in Spanish (the first event), switched to English and back: three events.
    assert [e.value for e in session.events if e.type == "language"] == ["es", "en", "es"]
    assert session.events[0].type == "language"
    assert record.asked_in[SWITCH_AT] == "en"
    assert record.asked_in["open_staying"] == record.asked_in["spec_paid_for_sex"] == "es"
    # The words as typed; what was disclosed is what it would be in English.
    assert record.answers["open_staying"].text == "en casa de amigos, a veces con [b]Dre[/b]"
    assert session.findings.disclosed["sex_trafficking"]
    # The Spanish text was on the card, with the English, for every step said in Spanish.
    in_spanish = [sid for sid, lang in record.asked_in.items()
                  if lang == "es" and screen.flow.by_id[sid].audience == "youth"]
    assert keys.cards["interpret"] == 0 and keys.cards["spanish"] >= len(in_spanish) > 30
    assert keys.screens_checked > 100  # the label check ran at every key
    assert "[b]Dre[/b]" in transcript and "(speaking English from here)" in transcript
    # The report: English, with the Spanish said beside the questions asked in Spanish.
    report = document.build(library, record, session.findings, events=session.events)
    text = render.render(report, "text", parts=("case-note",))
    assert "Asked in Spanish: " in text and "en casa de amigos, a veces con [b]Dre[/b]" in text
    switched = next(a for a in report["answers"] if a["step"] == SWITCH_AT)
    assert "language" not in switched


def test_a_whole_caregiver_interview_in_spanish_at_80x24(library):
    from interview.app.app import InterviewApp

    async def go():
        app = InterviewApp(flow_id="caregiver", library=library, lang="es")
        async with app.run_test(size=(80, 24)) as pilot:
            keys = spanish_keys(pilot, library, youth_present=False)
            await keys.check()
            screen = app.screen
            assert "Spanish" in str(screen.query_one("#progress").render())
            titles = [c.title for c in app.get_system_commands(screen)]
            assert "Language (f4)" in titles  # offered where it works (not in practice)
            await conduct(keys, screen, CAREGIVER)
            return screen, keys

    screen, keys = asyncio.run(go())
    record = screen.session.record
    said_to_caregiver = [s for s in screen.flow.steps
                         if s.audience == "caregiver" and s.id in record.answers]
    assert said_to_caregiver and all(record.asked_in[s.id] == "es" for s in said_to_caregiver)
    assert record.answers["cg_runs_away"].text == "se fue tres veces este año"
    # Every step said to the caregiver showed the Spanish with the English (the shipped drafts
    # cover them all; a step without one is the test above).
    assert keys.cards["interpret"] == 0 and keys.cards["spanish"] >= len(said_to_caregiver)


def test_a_hotline_call_in_spanish_takes_the_same_keys_and_finds_the_same(library):
    """A call with a Spanish-speaking reporter: every question put to the reporter is on the
    card in Spanish (Ask in Spanish, the English under it), the screener's own steps and the
    checklists stay English, and the same keys record the same call as in English."""
    from interview.app.app import InterviewApp
    from interview.reports import document, render
    from test_app_hotline import CALL, SAME_CALL, fits

    async def go():
        app = InterviewApp(flow_id="hotline", library=library, lang="es")
        async with app.run_test(size=(80, 24)) as pilot:
            keys = spanish_keys(pilot, library, youth_present=False)
            screen = app.screen
            assert "Spanish" in str(screen.query_one("#progress").render())
            for step_id, presses in CALL:
                assert screen.session.current.id == step_id
                flat = await card_of(keys, screen)
                if step_id == "suspected_forms":  # the screener's own question
                    assert flat.startswith("For you:") and "EN " not in flat
                fits(app, step_id)
                await keys.press(*presses)
            return screen, keys

    screen, keys = asyncio.run(go())
    session, record = screen.session, screen.session.record
    asked = [s.id for s in screen.flow.steps if s.audience == "reporter" and s.kind != "observation"]
    assert len(asked) == 9 and all(record.asked_in[sid] == "es" for sid in asked)
    assert keys.cards["interpret"] == 0 and keys.cards["spanish"] == len(asked)
    assert session.finished
    expected = evaluate(library, build_record(library, SAME_CALL)).as_json(library)
    assert session.findings.as_json(library) == expected
    report = document.build(library, record, session.findings, events=session.events)
    text = render.render(report, "text", parts=("case-note",))
    assert "Asked in Spanish: ¿Qué edad tiene el niño o la niña?" in " ".join(text.split())


def test_snapshot_the_spanish_card_at_80x24(snap_compare, library):
    """The first thing said, in Spanish: the Spanish in bold, the English under it (EN), the
    worker's guidance in English; the language in the top line."""
    from interview.app.app import InterviewApp

    assert snap_compare(InterviewApp(flow_id="youth", library=library, lang="es"),
                        terminal_size=(80, 24), press=["ctrl+s"])


@pytest.mark.parametrize("flow_id", ["youth", "caregiver", "runaway-return"])
@pytest.mark.slow
def test_every_cue_is_in_view_at_80x24_while_ticking_in_spanish(library, flow_id):
    """The audit's steps, for every step with cues and a Spanish card: the answer (y to a closed
    step), a note, Enter; the cues to tick must all be on the 80x24 screen. In Spanish the
    question, its follow-up and the English of each (EN) came first, and the threat and force
    cues of spec_scared_unsafe_work, or cg_older_people's "older friends only" (the one that
    keeps an ordinary friendship from counting), were below the card. (English, whose card has
    no EN lines, fitted before.)"""
    from interview.app.app import InterviewApp
    from interview.engine.said import said
    from test_app_figures import terminal_text

    youth = library.flows["youth"].by_id  # the return interview's own steps; youth's are above
    steps = [step for step in library.flows[flow_id].steps
             if step.cues and step.kind in ("open", "closed")
             and said(library, step, "es").translated
             and (flow_id == "youth" or step.id not in youth)]
    assert steps
    hidden = []

    async def go():
        app = InterviewApp(flow_id=flow_id, library=library, lang="es")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            session = screen.session
            if session.flow.gate:  # past the script, as any question is asked
                session.skip()
                while session.current.id != session.flow.gate:
                    session.answer("yes")
                session.answer("yes")
            for step in steps:
                session.jump(step.id)
                screen.findings_cleared = True  # out of view: the checklists show at once
                screen.refresh_all()
                if step.kind == "closed":
                    await pilot.press("y")
                await type_text(pilot, "a note")
                await pilot.press("enter")
                await pilot.pause()
                shown = " ".join(terminal_text(app).split())
                cues = screen.query_one("#prompt")._card["cues"] or []
                assert len(cues) == len(step.cues), step.id
                for n, (label, _) in enumerate(cues, 1):
                    if f"{n % 10} {' '.join(label.split())[:24]}" not in shown:
                        hidden.append((step.id, n))

    asyncio.run(go())
    assert not hidden, hidden


@pytest.mark.parametrize("status,top", [("draft", "Say in Spanish (draft):"),
                                        ("reviewed", "Say in Spanish:")])
def test_the_card_says_when_the_spanish_is_an_uncertified_draft(flows, status, top):
    """The Spanish audit, finding 10: `status: draft` reached the report, not the card. Until
    the county's certified translator has reviewed it, the card says the Spanish is a draft."""
    from interview.app.app import InterviewApp
    from interview.content.loader import load_library

    rewrite(flows / "lang/es/youth.yaml", "\nstatus: draft\n", f"\nstatus: {status}\n")
    library, problems = load_library(flows)
    assert not problems

    async def go():
        app = InterviewApp(flow_id="youth", library=library, lang="es")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+s")
            await pilot.pause()
            text = " ".join(app.screen.query_one("#prompt").text.split())
            assert text.startswith(f"{top} (Basic needs and rapport)"), text

    asyncio.run(go())
