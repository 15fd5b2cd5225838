"""Dates a person types (walk 2.5 and "Date messages"): one message for a date that does not
exist, naming the field, wherever it is written; a date of birth that makes the child older
than 21 or not yet born, and a return after the interview, are refused where facts are given
(`assess`, `run`, the app's form, Session.set_facts); an interview saved before still opens."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview.app.app import InterviewApp
from interview.errors import InputError
from interview.engine.session import Event, Session, replay_record
from interview.record import MAX_AGE, age_on, read_context

TODAY = dt.date(2025, 10, 21)


@settings(max_examples=300, deadline=None)
@given(dob=st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31)),
       seen=st.dates(dt.date(2000, 1, 1), TODAY))
def test_a_date_of_birth_is_accepted_exactly_when_the_child_is_0_to_21(dob, seen):
    facts = {"date_of_birth": dob.isoformat(), "interview_date": seen.isoformat()}
    if dob <= seen and age_on(dob, seen) <= MAX_AGE:
        assert read_context(facts, today=TODAY).age_years == age_on(dob, seen)
        return
    with pytest.raises(InputError) as refused:
        read_context(facts, today=TODAY)
    message = str(refused.value)
    assert message.startswith("context.date_of_birth: ")
    assert ("is in the future" if dob > TODAY else "check the year") in message
    if dob <= seen:  # the age it gives is named
        assert f"makes the child {age_on(dob, seen)} on the interview date {seen}" in message


@settings(max_examples=200, deadline=None)
@given(left=st.dates(dt.date(2024, 1, 1), TODAY), days=st.integers(0, 60),
       seen=st.dates(dt.date(2024, 1, 1), TODAY))
def test_a_return_is_accepted_only_between_leaving_and_the_interview(left, days, seen):
    returned = min(left + dt.timedelta(days=days), TODAY)
    facts = {"date_of_birth": "2010-01-01", "interview_date": seen.isoformat(),
             "absence": {"left": left.isoformat(), "returned": returned.isoformat()}}
    if returned <= seen:
        assert read_context(facts, today=TODAY).absence.returned == returned
    else:
        with pytest.raises(InputError, match=f"context.absence.returned: {returned} is after "
                                             f"the interview date {seen}"):
            read_context(facts, today=TODAY)


def test_an_interview_saved_with_an_implausible_date_still_opens(library):
    """The check is for facts given now: events saved before it (a slip of the year kept in a
    store) replay as they were, never an interview that cannot be opened."""
    facts = {"date_of_birth": "1990-01-01", "interview_date": "2025-10-21"}
    with pytest.raises(InputError, match="makes the child 35"):
        Session(library, "youth").set_facts(**facts)
    saved = [Event("facts", value=facts).as_json()]
    assert replay_record(library, "youth", saved).context.date_of_birth == dt.date(1990, 1, 1)
    session = Session(library, "youth", events=[Event.from_json(e) for e in saved])
    assert session.record.context.age_years == 35
    session.close()


@pytest.mark.parametrize("written,message", [
    ("2010-02-30", "'2010-02-30' is not a real date: February 2010 has no day 30 (it has 28); "
                   "check the day"),
    ("2012-02-30", "February 2012 has no day 30 (it has 29)"),
    ("2010-04-31", "April 2010 has no day 31 (it has 30)"),
    ("2010-00-10", "'2010-00-10' is not a real date: there is no month 00"),
    ("14/06/2010", "'14/06/2010' is not a date; write it as YYYY-MM-DD, e.g. 2011-04-23"),
])
def test_one_date_message_names_the_field_in_assess_yaml_json_and_aggregate(
        cli, tmp_path, written, message):
    yaml_file = tmp_path / "case.yaml"
    yaml_file.write_text(f"flow: youth\ncontext:\n  interview_date: 2025-01-10\n"
                         f"  date_of_birth: {written}\n")
    json_file = tmp_path / "case.json"
    json_file.write_text('{"flow": "youth", "context": {"date_of_birth": "%s"}}' % written)
    for path in (yaml_file, json_file):
        code, out, err = cli("assess", path)
        assert code == 1 and out == "" and err.count("\n") == 1
        assert err.startswith(f"csec-interview: {path}") and err.endswith("\n")
        assert f": context.date_of_birth: {message}" in err or \
            f": context.date_of_birth: '{written}' is not" in err and message in err, err
    if "-" in written:  # YAML read it as a date (not text): its line is named too
        assert f"{yaml_file}:4: context.date_of_birth: " in cli("assess", yaml_file)[2]
    code, _, err = cli("aggregate", "--from", written, "--store", tmp_path / "none")
    assert code == 1 and err.startswith(f"csec-interview: --from: ") and message in err
    # The good one beside it: the same file with a real date.
    yaml_file.write_text(yaml_file.read_text().replace(written, "2010-02-28"))
    code, out, err = cli("assess", yaml_file)
    assert code == 0 and "Youth interview" in out, err


def test_the_date_of_birth_of_the_walk_is_refused_by_assess_and_report(cli, tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("flow: youth\ncontext:\n  date_of_birth: 1990-01-01\n"
                    "  interview_date: 2025-10-21\nanswers:\n  confidentiality_script: yes\n")
    for command in (["assess", path], ["report", path]):
        code, out, err = cli(*command)
        assert code == 1 and out == ""
        assert ("context.date_of_birth: 1990-01-01 makes the child 35 on the interview date "
                "2025-10-21, older than a child or non-minor dependent (0 to 21); check the "
                "year") in err
    path.write_text(path.read_text().replace("1990-01-01", "2010-01-01"))  # the slip corrected
    code, out, err = cli("report", path)
    assert code == 0 and "(age 15)" in out, err


def _error(app) -> str:
    error = app.screen.query_one("#facts-error")
    return str(error.render()) if error.display else ""


def test_the_case_facts_form_names_the_missing_day_and_clears_once_it_is_corrected(library):
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("enter")  # the case facts form
            await pilot.pause()
            form = app.screen
            assert type(form).__name__ == "FactsScreen"
            form.query_one("#interview_date").value = "2025-10-21"
            form.query_one("#date_of_birth").focus()
            await pilot.press(*"2010-02-30", "ctrl+s")
            await pilot.pause()
            assert app.screen is form
            assert _error(app) == ("Date of birth: '2010-02-30' is not a real date: February "
                                   "2010 has no day 30 (it has 28); check the day")
            await pilot.press("backspace", "backspace", "2")  # 2010-02-2: not a date yet
            await pilot.pause()
            assert "'2010-02-2' is not a date; write it as YYYY-MM-DD" in _error(app)
            await pilot.press("8")  # 2010-02-28: corrected, and the message goes at once
            await pilot.pause()
            assert _error(app) == "" and app.screen is form
            form.query_one("#date_of_birth").value = "1990-01-01"  # the slip of the year
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form and _error(app).startswith(
                "Date of birth: 1990-01-01 makes the child 35 on the interview date 2025-10-21")
            form.query_one("#date_of_birth").value = "2010-01-01"
            await pilot.pause()
            assert _error(app) == ""
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is not form  # saved
            assert app.screen.session.record.context.age_years == 15

    asyncio.run(go())


def test_a_refused_save_shows_its_message_in_view_at_80x24(library):
    """Screen audit, 10: at 80x24 the form's message was below its fold, so ctrl+s seemed to do
    nothing; the message is scrolled into view."""
    async def go():
        app = InterviewApp(flow_id="youth", library=library)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            app.screen.query_one("#date_of_birth").focus()
            await pilot.press(*"2010-02-30", "ctrl+s")
            await pilot.pause()
            await pilot.pause()
            return app.export_screenshot()  # what is drawn: a message below the fold is not

    import html
    import re

    svg = asyncio.run(go())
    drawn = " ".join(html.unescape(t) for t in re.findall(r">([^<]*)</text>", svg))
    drawn = drawn.replace("\xa0", " ")
    assert "Date of birth: '2010-02-30' is not a real date" in drawn
