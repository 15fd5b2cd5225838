"""Practice mode in Spanish (issue 17, item 4): the matcher understands questions typed in
Spanish (top-1 on the tuning set and on the held-out set it was never tuned on, off-topic lines
left unmatched, follow-up probes), Spanish labelling words are caught whatever their accents,
the Spanish scenarios score 0 empty and 100 perfect, and the class server serves one that starts
in Spanish. All lines and scenarios are fictional, written for the tests."""

from __future__ import annotations

import asyncio
import json
import sys
import unicodedata

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from interview import practice
from interview.practice import measure
from interview.practice.measure import FLOWS
from interview.practice.run import PracticeRun
from interview.practice.score import Determinations, debrief, render

TUNED = ROOT / "tests" / "paraphrases-es.yaml"
HELD_OUT = ROOT / "tests" / "paraphrases-es-held-out.yaml"
SPANISH = ("labor_debt_es", "boyfriend_es", "caregiver_mother_es")


@pytest.fixture(scope="module")
def loaded(library):
    return practice.load(library)


@pytest.fixture(scope="module")
def matchers(library, loaded):
    return measure.matchers(library, loaded[0], "es")


def figures(matchers, path) -> measure.Figures:
    return measure.measure(matchers, yaml.safe_load(path.read_text()))


# --- the matcher's figures ---------------------------------------------------------------------

def test_the_spanish_sets_name_real_questions(library):
    for path in (TUNED, HELD_OUT):
        data = yaml.safe_load(path.read_text())
        for key, (flow, _) in FLOWS.items():
            for typed, want in data.get(key, []):
                for step in want if isinstance(want, list) else [want]:
                    assert step in library.flows[flow].by_id, (path.name, typed, step)


def test_top1_on_the_spanish_tuning_set(matchers):
    f = figures(matchers, TUNED)
    print(f"matcher (es) tuned: top-1 {f.top1:.1%} of {f.questions}")
    assert f.questions >= 150 and f.top1 >= 0.95, f.wrong


def test_top1_on_the_spanish_held_out_set(matchers):
    """The honest figure: these lines were committed before any Spanish tuning and never tuned
    on. (Failures are not printed on purpose: reading them would be tuning on them.)"""
    f = figures(matchers, HELD_OUT)
    print(f"matcher (es) held out: top-1 {f.top1:.1%} of {f.questions}")
    assert f.questions >= 100
    assert f.top1 >= 0.85


@pytest.mark.parametrize("path", [TUNED, HELD_OUT], ids=["tuned", "held-out"])
def test_spanish_off_topic_lines_match_nearly_nothing(matchers, path):
    f = figures(matchers, path)
    print(f"off-topic (es) matched ({path.name}): {f.off_topic_matched} of {f.off_topic}")
    assert f.off_topic >= 30 and f.off_topic_matched <= f.off_topic / 20


def test_spanish_follow_up_probes_are_understood(matchers):
    f = figures(matchers, HELD_OUT)
    print(f"follow-ups (es) understood (held out): {f.follow_ups_understood} of {f.follow_ups}")
    assert f.follow_ups >= 8 and f.follow_ups_understood >= 0.75 * f.follow_ups


def test_the_english_figures_hold_beside_the_spanish(library, loaded):
    """An English scenario reads a Spanish line too, and the English sets score as before."""
    english = measure.matchers(library, loaded[0])
    tuned = measure.measure(english, yaml.safe_load((ROOT / "tests" / "paraphrases.yaml")
                                                    .read_text()))
    assert tuned.top1 >= 0.975 and tuned.off_topic_matched == 0
    assert english["youth"].read("¿dónde duermes cuando no estás en tu casa?").step == \
        "open_stay_sleep"
    assert english["youth"].read("where do you sleep when you are not home").step == \
        "open_stay_sleep"


@pytest.mark.parametrize("typed,step,not_step", [
    ("¿Cómo le haces para sacar lana?", "open_support", "further_drugs_alcohol"),
    ("¿Cómo hacés vos para ganar pisto?", "open_support", "further_drugs_alcohol"),
    ("¿Te quedas con lo que ganas?", "spec_keep_share_money", "spec_gang"),
    ("¿Quién se queda con tu cheque?", "spec_worked_money_kept", "spec_work_to_stay"),
    ("¿Cuánto te pagan en la chamba?", "spec_worked_money_kept", "spec_paid_for_sex"),
    ("¿Alguna vez saliste con un cliente?", "spec_paid_for_sex", "spec_worked_money_kept"),
    ("¿Le haces a la mota?", "further_drugs_alcohol", None),
    ("¿Tomas cerveza o pisto?", "further_drugs_alcohol", None),
])
def test_everyday_spanish_the_audit_found_misread_is_read_as_meant(matchers, typed, step,
                                                                   not_step):
    """The Spanish audit, finding 5: "¿cuánto te pagan en la chamba?" was offered with the
    paid-for-sex question first, which a trainee may accept with Enter."""
    reading = matchers["youth"].read(typed)
    assert reading.step == step, (typed, reading.step)
    assert not_step is None or not_step not in [m.step for m in reading.ranked[:1]]


# --- labels in Spanish -------------------------------------------------------------------------

@pytest.mark.parametrize("typed,label", [
    ("¿Eres víctima de algo?", "víctima"),
    ("eres victima?", "victima"),
    ("¿Te explotaron en el trabajo?", "explotaron"),
    ("¿es tu padrote?", "padrote"),
    ("¿Trabajas de PROSTITUTA?", "PROSTITUTA"),
    ("¿Sufriste abuso sexual?", "abuso sexual"),
    ("¿Sabes qué es la trata de personas?", "trata de personas"),
    ("¿Te metieron en el tráfico?", "tráfico"),
    ("¿Hay mucho tráfico de personas donde vives?", "tráfico de personas"),
    ("¿Estás en el tráfico de drogas?", "tráfico"),
    ("¿eres vісtima?", "vісtima"),   # a Cyrillic і and с: shown as typed
    ("¿Eres pandillero?", "Eres pandillero"),
    # the Spanish audit, findings 2 and 6: the verbs, the trafficker, the plurals of an entry
    # of several words (the adjective takes the plural too)
    ("¿El Flaco te explota?", "explota"),
    ("¿Te explotan sexualmente?", "explotan"),
    ("¿Tu tratante te deja salir?", "tratante"),
    ("¿Y las otras morras son trabajadoras sexuales?", "trabajadoras sexuales"),
    ("¿Te prostituyen?", "prostituyen"),
    ("¿Sufriste abusos sexuales?", "abusos sexuales"),
    ("¿Hubo agresiones sexuales?", "agresiones sexuales"),
    ("¿Te violó?", "violó"),
])
def test_a_spanish_labelling_word_is_caught_with_or_without_accents(matchers, typed, label):
    reading = matchers["youth"].read(typed)
    assert reading.labelling and label in reading.labels


@pytest.mark.parametrize("typed", ["¿Cómo te trata tu jefe?", "¿tu novio te trata bien?",
                                   "¿de qué se trata tu trabajo?", "¿cómo la trata su novio?"])
def test_tratar_how_someone_treats_them_is_no_label(matchers, typed):
    assert not matchers["youth"].read(typed).labelling


@pytest.mark.parametrize("typed", ["¿Alguno de tus amigos es pandillero?",
                                   "¿Alguien de tu familia es pandillero?"])
def test_asking_about_friends_in_a_gang_is_no_label(matchers, typed):
    """003's own question, in Spanish: it labels no one (practice audit, H3)."""
    assert not matchers["youth"].read(typed).labelling


@pytest.mark.parametrize("typed", ["¿Llegaste tarde porque había mucho tráfico?",
                                   "hay mucho tráfico en la mañana?", "¿Tuviste un accidente de "
                                   "tráfico?", "¿te quedaste atorada en el tráfico?"])
def test_traffic_on_the_road_is_no_label(matchers, typed):
    assert not matchers["youth"].read(typed).labelling, typed


def test_one_spanish_list_holds_the_labels_that_validate_and_practice_both_refuse(library,
                                                                                  matchers):
    """The Spanish audit, finding 2: practice refused "tratante" that `validate` let into a
    translation, the same fact being kept in two lists. Every word of the list `validate` holds
    translations to is refused in practice too, and practice's own list repeats none of them."""
    from interview.content.words import fold

    said = library.translations.words["es"]
    own = yaml.safe_load((ROOT / "flows" / "catalog" / "practice-words-es.yaml").read_text())
    assert not {fold(w) for w in own["words"]} & {fold(w) for w in said}
    for word in ("tratante", "sexoservidora", "abusaron sexualmente", "te explotan"):
        assert any(fold(word).endswith(fold(w)) for w in said), word
    for word in said:
        assert matchers["youth"].read(f"¿{word}?").labelling, word


SPANISH_LABELS = ["víctima", "explotación", "prostitución", "padrote", "violación", "esclava"]


def variants(word: str):
    """The word as typed: any letter's accent dropped or kept, any letter upper or lower case."""
    letters = []
    for ch in word:
        bare = unicodedata.normalize("NFD", ch)[0]
        options = {ch, bare, ch.upper(), bare.upper()}
        letters.append(st.sampled_from(sorted(options)))
    return st.tuples(*letters).map("".join)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), word=st.sampled_from(SPANISH_LABELS),
       before=st.sampled_from(["¿eres ", "oye, ¿tú eres ", "dime si eres ", ""]),
       after=st.sampled_from(["?", "", " o no", "s?"]))
def test_any_accent_or_case_of_a_spanish_label_is_caught(matchers, data, word, before, after):
    typed = before + data.draw(variants(word)) + after
    assert matchers["youth"].read(typed).labelling, typed


def test_a_spanish_label_costs_trust_and_the_debrief_explains_it(library, loaded):
    config, scenarios = loaded
    s = scenarios["boyfriend_es"]
    run = PracticeRun(library, config, s, "Ana")
    run.rapport = 6
    reading = run.reader().read("¿El Flaco es tu padrote?")
    assert reading.labelling and "padrote" in reading.labels
    caught = run.label(reading.typed, reading.labels)
    assert caught.reaction == s.labelled.say and run.rapport == 6 - s.labelled_loss
    d = debrief(library, config, s, run.session.record, run, "Ana",
                Determinations.from_key(library, s.key))
    text = render(library, config, d)
    assert "LABELS: 1 typed question labelled Itzel; it was not asked" in text
    assert "¿El Flaco es tu padrote?" in text          # quoted as typed, in an English debrief
    assert {t.id: t.status for t in d.technique}["no_labels"] == "failed"
    run.close()


def test_a_spanish_youth_answers_a_probe_in_spanish(library, loaded):
    config, scenarios = loaded
    run = PracticeRun(library, config, scenarios["labor_debt_es"], "Ana")
    assert run.session.language == "es"           # the record says the interview was in Spanish
    assert run.reader().read("platícame más").follow_up
    probe = run.probe("platícame más")            # nothing asked yet: the scenario's language
    assert probe.reply == config.said("probe", "es") != config.lines["probe"]
    run.close()


# --- the Spanish scenarios ---------------------------------------------------------------------

@pytest.mark.parametrize("scenario_id", SPANISH)
def test_a_spanish_scenario_scores_0_empty_and_100_perfect(library, loaded, scenario_id):
    config, scenarios = loaded
    s = scenarios[scenario_id]
    assert s.language == "es"
    mine = Determinations.from_key(library, s.key)
    empty = PracticeRun(library, config, s)
    full = PracticeRun(library, config, s)
    full.play_ideal()
    assert debrief(library, config, s, empty.session.record, empty, mine=mine).score == 0
    d = debrief(library, config, s, full.session.record, full, mine=mine)
    assert d.score == 100
    said = {line.text for line in full.transcript if line.speaker == "you"}
    spanish = {full.said(step) for step in full.askable()} - {
        library.step_text(step) for step in full.askable()}
    assert len(said & spanish) >= 10              # the flow's questions asked in Spanish
    empty.close()
    full.close()


def test_a_scenario_in_a_language_practice_cannot_read_is_refused(library, loaded, tmp_path):
    config, _ = loaded
    src = (ROOT / "flows" / "scenarios" / "boyfriend-es.yaml").read_text()
    path = tmp_path / "fr.yaml"
    path.write_text(src.replace("language: es", "language: fr").replace("id: boyfriend_es",
                                                                         "id: boyfriend_fr"))
    from interview.practice.scenario import load_scenario
    scenario, problems = load_scenario(path, library, config)
    assert scenario is None
    assert any("language 'fr'" in p.message and p.line for p in problems), problems


def test_a_spanish_reply_with_a_spanish_label_is_refused(library, loaded, tmp_path):
    config, _ = loaded
    src = (ROOT / "flows" / "scenarios" / "labor-debt-es.yaml").read_text()
    path = tmp_path / "bad.yaml"
    path.write_text(src.replace("Trabajar. Todas las tardes", "Soy su esclavo. Todas las tardes")
                    .replace("id: labor_debt_es", "id: labor_debt_bad"))
    from interview.practice.scenario import load_scenario
    scenario, problems = load_scenario(path, library, config)
    assert scenario is None and any("esclavo" in p.message for p in problems), problems


# --- the classroom -----------------------------------------------------------------------------

def test_the_practice_screen_speaks_the_scenario_s_language_with_the_english_after(library):
    """The Spanish audit, finding 8: in a Spanish scenario the transcript of a read script, the
    match card's other close questions and the [matched: ...] tag were English. Each is the
    Spanish as said, with the English after it for the trainee."""
    from interview.app.app import InterviewApp
    from interview.app.screens.practice import PracticeScreen
    from keys import type_text

    rapport = library.flows["youth"].step("rapport")
    spend = library.flows["youth"].step("open_spend_time")
    es = {s.id: practice_said(library, s) for s in (rapport, spend)}

    async def go():
        app = InterviewApp(library=library, practice={"scenario": "boyfriend_es",
                                                      "trainee": "Ana"})
        async with app.run_test(size=(100, 36)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PracticeScreen) and screen.session.language == "es"
            await pilot.press("ctrl+s", "enter", "enter", "enter", "y", "enter")
            await pilot.pause()
            said = [flat(line) for line in screen.query_one("#transcript").lines_said]
            assert f"{es['rapport'].text} · EN: {library.step_text(rapport)}" in said
            await type_text(pilot, "con quien te juntas")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.phase == "match" and screen.candidates[0].step == "open_spend_time"
            others = [label for label, _ in screen.query_one("#prompt")._card["cues"]]
            assert others[0].startswith(f"{es['open_spend_time'].text}  · EN: "
                                        f"{library.step_text(spend)}"), others
            await pilot.press("enter")
            await pilot.pause()
            said = flat(" ".join(screen.query_one("#transcript").lines_said))
            assert (f"You: con quien te juntas [matched: {es['open_spend_time'].text} · EN: "
                    f"{library.step_text(spend)}]") in said, said

    asyncio.run(go())


def flat(text: str) -> str:
    return " ".join(text.split())


def practice_said(library, step):
    from interview.engine.said import said

    return said(library, step, "es")


def test_the_class_server_serves_a_spanish_scenario_that_starts_in_spanish():
    """A trainee's browser (a websocket) gets the practice app; the scenario starts in Spanish:
    the case file says so and the first question asked of Mateo is in Spanish."""
    from test_practice_serve import all_gone, drawn, join, serve

    command = [sys.executable, "-m", "interview", "practice", "start", "labor_debt_es"]

    async def test(server, base, http):
        await join(server, base, http)
        async with http.ws_connect(f"{base}/ws?width=100&height=40", origin=base) as ws:
            await drawn(ws, "Practice mode (CSEC 101)")
            await ws.send_json(["stdin", "Ana\r"])
            # The hint changes when the name is in and the list has the focus: only then does
            # Enter start the scenario (sent sooner, the name's field took it).
            text = await drawn(ws, "Now choose the scenario")
            assert "en español" in text  # the Spanish scenario is the one offered
            await ws.send_json(["stdin", "\r"])               # start the scenario
            await drawn(ws, "Mateo speaks Spanish")
            await ws.send_json(["stdin", "\x13"])             # ctrl+s: skip the case facts
            await drawn(ws, "Antes de hablar")
        await all_gone(server)

    serve(test, command=command)


def test_practice_match_reads_spanish_lines_one_per_line(cli, monkeypatch):
    import io

    lines = "¿Dónde duermes?\ncuéntame más\n¿eres víctima?\nqué bonitos tenis\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode("utf-8")),
                                                       encoding="utf-8"))
    code, out, err = cli("practice", "match", "labor_debt_es")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["typed"] for r in rows] == lines.splitlines()
    assert rows[0]["step"] in ("open_staying", "open_stay_sleep")
    assert rows[1]["follow_up"] and rows[2]["labelling"]
    assert rows[3]["step"] is None and not rows[3]["labelling"]


@settings(max_examples=150, deadline=None)
@given(typed=st.text(max_size=60))
def test_any_typed_line_is_read_and_its_labels_are_shown_as_typed(matchers, typed):
    """Whatever a trainee types (accents, combining marks, escapes, emoji), the Spanish reading
    answers, and the labels it reports are the typed text (or, for a letter whose lower case is
    longer, the text as folded), never something else."""
    from interview.practice.matcher import fold

    reading = matchers["youth"].read(typed)
    assert reading.step is None or reading.step in matchers["youth"].matchers["es"].docs
    for label in reading.labels:
        assert label.lower() in " ".join(typed.split()).lower() or label in fold(typed)
