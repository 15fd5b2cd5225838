"""One renderer of findings (issue 15, item 5): the `assess` summary, the practice debrief, the
app's summary and the reports render through one sandboxed Jinja2 environment that searches the
county's template folder first. Typed text comes out literal on each path, and a county's copy
of a shared partial (templates/findings.j2) changes all of them alike. All cases are fictional.
"""

from __future__ import annotations

import asyncio
import json

import pytest
import yaml

from conftest import ROOT
from interview import practice
from interview.practice.run import PracticeRun
from interview.practice.score import debrief, render

EXAMPLES = ROOT / "flows" / "examples"
# Rich markup (a style, a link, an action), ANSI colour, an OSC 8 hyperlink, Jinja2 syntax, HTML
# and a right-to-left override, as a worker or trainee might paste them into a note.
HOSTILE = ("[bold]loud[/bold] [link=https://example.invalid]click[/link] [@click=app.quit]q[/] "
           "\x1b[31mred\x1b[0m \x1b]8;;http://example.invalid\x07osc\x1b]8;;\x07 {{ 7*7 }} "
           "{% raw %} <b>tag</b> &amp; \u202eevil")
# What a reader must see: the same characters, without the escape sequences and the override.
LITERAL = ("[bold]loud[/bold] [link=https://example.invalid]click[/link] [@click=app.quit]q[/] "
           "red osc {{ 7*7 }} {% raw %} <b>tag</b> &amp; evil")


def assert_literal(text: str, times: int = 1) -> None:
    assert text.count(LITERAL) >= times, text
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "{{ 7*7 }}" in text and " 49 " not in text


def hostile_case(tmp_path):
    """The survival-sex example with a hostile observation note and override reason."""
    case = yaml.safe_load((EXAMPLES / "survival-sex.yaml").read_text())
    case["observations"] = {"same_clothes_daily": HOSTILE}
    case["overrides"] = [{"finding": "at_risk:A", "decision": "confirm", "reason": HOSTILE}]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(case, default=str))
    return path


def test_typed_text_comes_out_literal_in_the_assess_summary(cli, tmp_path):
    code, out, err = cli("assess", hostile_case(tmp_path))
    assert code == 0, err
    assert_literal(out, times=3)
    assert f"observed ({LITERAL})" in out            # the note behind a red flag
    assert f"because: worker: {LITERAL}" in out       # the reason behind a confirmed indicator
    assert f"confirm at_risk:A: {LITERAL}" in out     # the worker's overrides


def test_typed_text_comes_out_literal_in_the_debrief(library):
    config, scenarios = practice.load(library)
    s = scenarios["boyfriend"]
    run = PracticeRun(library, config, s, HOSTILE)
    try:
        run.ask("open_staying", typed=HOSTILE)            # a question in the trainee's words
        run.label(HOSTILE + " pimp", ("pimp",))           # a labelling one, quoted in the debrief
        text = render(library, config, debrief(library, config, s, run.session.record, run,
                                               HOSTILE))
    finally:
        run.close()
    assert_literal(text, times=3)
    assert f"Debrief: {s.title} ({LITERAL})" in text
    assert f'You typed: "{LITERAL} pimp"' in text
    assert f"You: {LITERAL}" in text


def test_typed_text_comes_out_literal_in_the_apps_summary(library):
    from interview.app.app import InterviewApp
    from interview.app.screens.summary import SummaryScreen

    from test_app_figures import terminal_text

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(240, 60)) as pilot:
            session = app.screen.session
            session.observe("same_clothes_daily", HOSTILE)
            session.override("at_risk:A", "confirm", HOSTILE)
            app.screen.refresh_all()
            await pilot.press("ctrl+l", "y")                # the youth is out of view
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            body = app.screen.query_one("#report-body").render()
            assert_literal(str(body), times=2)
            assert not any("link" in str(span.style) or "@click" in str(span.style)
                           for span in getattr(body, "spans", ()))
            shown = terminal_text(app)
            assert f"observed ({LITERAL})" in shown and f"worker: {LITERAL}" in shown

    asyncio.run(go())


# --- a county's templates reach every renderer -------------------------------------------------

COUNTY_WORDS = ('{% macro indicator(letter, label) %}{{ "Indicator " ~ letter ~ " (county '
                'words): " ~ label }}{% endmacro %}\n'
                '{% macro because(line) %}{{ "on the strength of: " ~ line }}{% endmacro %}\n')


def county_with(tmp_path, files: dict[str, str]):
    own = tmp_path / "county-templates"
    for name, text in files.items():
        (own / name).parent.mkdir(parents=True, exist_ok=True)
        (own / name).write_text(text)
    own.mkdir(parents=True, exist_ok=True)
    county = tmp_path / "county.yaml"
    county.write_text((ROOT / "flows/counties/default.yaml").read_text()
                      + "templates: county-templates\n")
    return county


def test_a_countys_shared_partial_changes_the_summary_the_debrief_and_the_report_alike(
        cli, tmp_path, library):
    county = county_with(tmp_path, {"findings.j2": COUNTY_WORDS})
    example = EXAMPLES / "survival-sex.yaml"
    letter = "D"
    label = library.at_risk[letter].label
    shipped = f"{letter}. {label}"
    ours = f"Indicator {letter} (county words): {label}"

    code, out, err = cli("assess", example)
    assert code == 0 and f"  {shipped}\n" in out and "because: " in out, err
    code, out, err = cli("--county", county, "assess", example)
    assert code == 0, err
    assert f"  {ours}\n" in out and "on the strength of: " in out and "because: " not in out

    for fmt in ("text", "md", "html"):
        code, out, err = cli("--county", county, "report", example, "--part", "case-note",
                             "--format", fmt)
        assert code == 0, err
        assert ours in out and "on the strength of: " in out and "because: " not in out, fmt

    config, scenarios = practice.load(library)
    s = scenarios["at_risk_only"]
    assert letter in s.key.at_risk
    nothing = tmp_path / "nothing.json"          # nothing asked: the key's indicators are missed
    nothing.write_text(json.dumps({"flow": s.flow, "answers": {}}))
    code, out, err = cli("practice", "score", s.id, nothing)
    assert code == 0 and f"MISSED {shipped}" in out, err
    code, out, err = cli("--county", county, "practice", "score", s.id, nothing)
    assert code == 0 and f"MISSED {ours}" in out, err


def test_the_apps_summary_follows_the_countys_shared_partial(tmp_path):
    from interview.app.app import InterviewApp
    from interview.content.loader import load_library

    county = county_with(tmp_path, {"findings.j2": COUNTY_WORDS})
    library, problems = load_library(county=str(county))
    assert not problems

    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(160, 50)) as pilot:
            app.screen.session.override("at_risk:A", "confirm", "fictional reason")
            await pilot.press("ctrl+l", "y")
            await pilot.pause()
            body = str(app.screen.query_one("#report-body").render())
            assert f"Indicator A (county words): {library.at_risk['A'].label}" in body
            assert "on the strength of: worker: fictional reason" in body

    asyncio.run(go())


def test_a_county_template_cannot_reach_python_from_any_renderer(cli, tmp_path):
    """The county's files run in the immutable sandbox on every path, and a broken or hostile
    one is one message naming its file and line."""
    county = county_with(tmp_path, {"findings.j2": COUNTY_WORDS.replace(
        '"Indicator " ~ letter', 'letter.__class__.__mro__[1].__subclasses__() ~ letter')})
    example = EXAMPLES / "survival-sex.yaml"
    for args in (("assess", example), ("report", example)):
        code, out, err = cli("--county", county, *args)
        assert code == 1 and "Traceback" not in err, err
        assert "findings.j2:1:" in err and "cannot be used" in err and "unsafe" in err, err
        assert "subclasses" not in out
    county = county_with(tmp_path / "broken", {"assess-summary.txt.j2": "{% for x in %}"})
    code, _, err = cli("--county", county, "assess", example)
    assert code == 1 and "assess-summary.txt.j2:1: the template cannot be used" in err, err


@pytest.mark.parametrize("files, found", [
    # a syntax error: the file and its line
    ({"reports/case-note.j2": "{% if r.case %}\nCase {{ r.case.case_id }\n{% endif %}\n"},
     "reports/case-note.j2:2"),
    # a name the report does not have: found by rendering the shipped examples
    ({"reports/case-note.j2": "Case worker phone: {{ r.case.caseworker_phone }}\n"},
     "has no attribute 'caseworker_phone'"),
    # the app's summary, which a worker meets in the middle of an interview
    ({"app-summary.j2": "{{ f.no_such_part }}\n"}, "app-summary.j2"),
])
def test_validate_renders_a_countys_templates_before_a_worker_meets_them(cli, tmp_path, files,
                                                                         found):
    """The errors audit's B6: a county's template with a syntax error, or a name no report has,
    passed `validate` ("ok: 1 file checked"); the worker met it at the summary, mid-interview,
    or at the export. Both ways of validating a county refuse it, naming the template."""
    county = county_with(tmp_path, files)
    for args in (("validate", county), ("--county", county, "validate")):
        code, out, err = cli(*args)
        assert code == 1 and found in err, (args, err)
        assert "Traceback" not in err


def test_validate_passes_a_countys_whole_copy_of_a_template_with_its_own_words(cli, tmp_path):
    shipped = (ROOT / "templates" / "findings.j2").read_text(encoding="utf-8")
    assert "because: " in shipped
    county = county_with(tmp_path, {"findings.j2": shipped.replace("because: ",
                                                                   "on the strength of: ")})
    for args in (("validate", county), ("--county", county, "validate")):
        code, out, err = cli(*args)
        assert code == 0, (args, err)
