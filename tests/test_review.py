"""A supervisor's review (issue 16 item 4), through the engine API: what can be reviewed (ids
stable across runs), a review's JSON round trip and its strict loading (each attack refused with
one message), the review kept with the worker's interview, shown in the summary and the case
note as text (escaped in HTML), and shown as made against an earlier version once the interview
changed. All cases are fictional."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest

from examples import session_of
from interview.engine.session import Event, Session
from interview.errors import InputError
from interview.reports.document import build
from interview.reports.render import assess_summary, render
from interview.review import Review, ReviewError, determinations, fingerprint
from keys import type_text

AT = dt.datetime(2025, 9, 4, 16, 30, tzinfo=dt.timezone.utc)


@pytest.fixture
def survival(library):
    return session_of(library, "survival-sex")


def test_what_a_supervisor_reviews_is_each_determination_with_stable_ids(library, survival):
    f = survival.findings.as_json(library)
    found = determinations(f, library)
    assert [d.id for d in found] == [
        "csec_type", "at_risk:D", "at_risk:F", "disclosure:sex_trafficking", "next_steps"]
    assert found[0].value.startswith("Victim During Foster Care")
    assert found[3].evidence and all("->" in line for line in found[3].evidence)
    # The same interview, replayed elsewhere, lists the same ids and the same fingerprint.
    again = Session(library, "youth", events=list(survival.events))
    f2 = again.findings.as_json(library)
    assert [d.id for d in determinations(f2, library)] == [d.id for d in found]
    assert fingerprint(f2) == fingerprint(f)


def test_the_fingerprint_follows_the_decisions_not_the_wording_or_the_day(library, survival):
    """A review stays current when only wording changes, or when a proposed CSEC Type's start
    date (the day the findings are read) moves on; it is earlier once a decision changes."""
    import copy

    f = survival.findings.as_json(library)
    reworded = copy.deepcopy(f)
    for step in reworded["next_steps"]:
        step["action"] = "reworded by the county"
    assert fingerprint(reworded) == fingerprint(f)
    proposed = copy.deepcopy(f)
    proposed["csec_type"]["status"] = "proposed"
    next_day = copy.deepcopy(proposed)
    next_day["csec_type"]["start_date"] = "2099-01-02"
    assert fingerprint(next_day) == fingerprint(proposed)
    determined = copy.deepcopy(f)
    determined["csec_type"]["status"] = "determined"
    assert fingerprint(determined) != fingerprint(proposed)
    moved = copy.deepcopy(determined)
    moved["csec_type"]["start_date"] = "2099-01-02"
    assert fingerprint(moved) != fingerprint(determined)   # the worker's date is a decision
    fewer = copy.deepcopy(f)
    fewer["at_risk"]["indicators"] = fewer["at_risk"]["indicators"][:-1]
    assert fingerprint(fewer) != fingerprint(f)
    no_disclosure = copy.deepcopy(f)
    no_disclosure["disclosures"]["sex_trafficking"] = False
    assert fingerprint(no_disclosure) != fingerprint(f)
    one_step_less = copy.deepcopy(f)
    one_step_less["next_steps"].pop()
    assert fingerprint(one_step_less) != fingerprint(f)


def test_nothing_is_reviewed_where_nothing_was_determined(library):
    control = session_of(library, "no-concern")
    ids = [d.id for d in determinations(control.findings.as_json(library), library)]
    assert ids == ["next_steps"]  # basic needs and the like: the plan, still approved


def test_a_hotline_screen_is_reviewed_by_what_it_suspects(library):
    screen = session_of(library, "hotline-labor-foreign-national")
    ids = [d.id for d in determinations(screen.findings.as_json(library), library,
                                        setting="hotline")]
    assert "suspected:labor_trafficking" in ids and "csec_type" not in ids


def review_of(library, session, *decisions, at=AT) -> Review:
    return Review.make("session-1", session.findings.as_json(library), decisions, at=at,
                       library=library)


def test_a_review_round_trips_and_is_kept_with_the_interview(library, survival):
    review = review_of(library, survival, ("csec_type", "approve", ""),
                       ("at_risk:F", "return", "School says she attends; check F."))
    assert review.at == "2025-09-04T16:30:00+00:00" and review.role == "supervisor"
    assert Review.loads(review.dumps()) == review == Review.from_json(review.as_json())
    survival.receive_review(review)
    again = Session(library, "youth", events=list(survival.events))
    assert again.record.reviews == (review,)
    summary = assess_summary(library, "s", again.record, again.findings.as_json(library))
    assert "Review by the supervisor" in summary and ": 1 returned" in summary
    assert "RETURNED: At-Risk indicator F - " in summary
    assert "Comment: School says she attends; check F." in summary
    assert "earlier version" not in summary


def test_a_review_of_an_interview_that_changed_since_says_so(library, survival):
    survival.receive_review(review_of(library, survival, ("at_risk:F", "approve", "")))
    survival.edit("open_school", text="Goes most days.", cues=[])
    summary = assess_summary(library, "s", survival.record, survival.findings.as_json(library))
    assert "made against an earlier version of these findings" in summary
    # What was approved is still said, though the findings no longer have it.
    assert (f"Approved: At-Risk indicator F - {library.at_risk['F'].label} (no longer in the "
            "findings)") in summary


def test_what_a_supervisor_typed_is_text_in_every_report(library, survival):
    typed = "<script>alert(1)</script> [bold]x[/bold] \x1b[31mred **b**"
    survival.receive_review(review_of(library, survival, ("next_steps", "return", typed)))
    report = build(library, survival.record, survival.findings, events=survival.events)
    html = render(report, "html", parts=("case-note",))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = render(report, "text", parts=("case-note",))
    assert "\x1b" not in text and "[bold]x[/bold]" in text
    md = render(report, "md", parts=("case-note",))
    assert "<script>" not in md and "\\*\\*b\\*\\*" in md


def test_returning_a_determination_needs_a_comment(library, survival):
    with pytest.raises(ReviewError, match="returning next_steps needs a comment"):
        review_of(library, survival, ("next_steps", "return", "  "))


def _edited(review: Review, change) -> str:
    data = json.loads(review.dumps())
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize("change, says", [
    (lambda d: d["decisions"][0].update(decision="approved"), "not approve or return"),
    (lambda d: d.update(role="worker"), "role 'worker' is not one that reviews"),
    (lambda d: d.update(at="2025-09-04T09:30:00-07:00"), "not a UTC time"),
    (lambda d: d.update(at="2999-01-01T00:00:00+00:00"), "in the future"),
    (lambda d: d.update(fingerprint="0" * 12), "not the findings' SHA-256"),
    (lambda d: d["decisions"].append(dict(d["decisions"][0])), "decided twice"),
    (lambda d: d["decisions"][0].update(comment=["x"]), "comment is not text"),
    (lambda d: d["decisions"][0].update(comment="x" * 2001), "at most 2000"),
    (lambda d: d.update(decisions=[]), "not a list of decisions"),
    (lambda d: d.update(session="../x"), "not a session id"),
    (lambda d: d.update(version=9), "version '9'"),
    (lambda d: d.update(kind="handoff"), "not a review of an interview"),
    (lambda d: d.pop("fingerprint"), "no 'fingerprint'"),
])
def test_a_malformed_or_edited_review_is_refused_with_one_message(library, survival, change,
                                                                  says):
    text = _edited(review_of(library, survival, ("csec_type", "approve", "")), change)
    with pytest.raises(ReviewError) as caught:
        Review.loads(text)
    assert says in str(caught.value) and str(caught.value).startswith("review: ")
    with pytest.raises(InputError):  # nor can it reach an interview as a stored event
        Session(library, "youth", events=[Event("review", value=json.loads(text))])


@pytest.mark.parametrize("text", ["", "not json", "[1]", "x" * 600_000])
def test_something_that_is_not_a_review_is_refused(text):
    with pytest.raises(ReviewError, match="^review: "):
        Review.loads(text)


# --- the review screen (Textual Pilot), on a Session alone ------------------------------------

def review_app(library, session):
    from interview.app.screens.review import ReviewApp

    return ReviewApp(session, session.findings, session_id="session-7")


def test_the_review_screen_approves_and_returns_each_determination(library, survival):
    app = review_app(library, survival)
    typed = "[bold]Add the safety plan[/bold] <b>now</b>"
    asyncio.run(approve_all_but_return_the_plan(app, typed))
    review = app.return_value
    assert review.session == "session-7" and review.role == "supervisor"
    assert [(d.determination, d.decision, d.comment) for d in review.decisions] == [
        ("csec_type", "approve", ""), ("at_risk:D", "approve", ""), ("at_risk:F", "approve", ""),
        ("disclosure:sex_trafficking", "approve", ""), ("next_steps", "return", typed)]
    assert review.current(survival.findings.as_json(library))
    survival.receive_review(review)  # what the worker's interview keeps at the next sync
    assert survival.record.reviews[-1].returned[0].comment == typed


async def approve_all_but_return_the_plan(app, typed: str) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", "enter", "ctrl+s")  # one decided, four left: nothing is sent
        await pilot.pause()
        assert app.return_value is None and app.is_running
        for _ in range(3):
            await pilot.press("a", "enter")
        await pilot.press("r", "enter")  # a return without a comment is not taken
        await type_text(pilot, typed)
        await pilot.press("enter")
        menu = app.screen.query_one("#review")
        returned = str(menu.get_option_at_index(4).prompt)
        assert returned.startswith("[RETURNED] Next steps") and typed in returned  # as typed
        await pilot.press("ctrl+s")
        await pilot.pause()


def test_leaving_the_review_screen_sends_nothing(library, survival):
    app = review_app(library, survival)

    async def leave() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "enter", "escape")
            await pilot.pause()

    asyncio.run(leave())
    assert app.return_value is None


def test_the_review_screen_at_80x24(snap_compare, library):
    session = session_of(library, "survival-sex")
    session.override("at_risk:F", "confirm", "School confirms a month away.")
    assert snap_compare(review_app(library, session), terminal_size=(80, 24),
                        press=["a", "enter", "r", *"See F", "enter"])


def test_in_the_workers_summary_the_supervisors_words_are_text(library, survival):
    from interview.app.screens.summary import report

    typed = '[bold]x[/bold] <s style="reverse">y</s> \x1b[2J'
    survival.receive_review(review_of(library, survival, ("next_steps", "return", typed)))
    shown = report(survival.findings.as_json(library), library, survival.record)
    assert '[bold]x[/bold] <s style="reverse">y</s>' in shown.plain and "\x1b" not in shown.plain
    assert not any("reverse" in str(span.style) for span in shown.spans)


# --- what was approved, not what the findings say today (audit chain, finding 5) -----------

def test_a_review_shows_the_value_the_supervisor_approved_and_what_it_is_now(library, survival):
    """The supervisor approved the plan with its 2 next steps; the worker then confirmed an
    indicator and the plan grew. The worker's summary said "Approved: Next steps - 8 proposed",
    as if the supervisor had approved 8."""
    import copy

    f = survival.findings.as_json(library)
    review = Review.make("session-1", f, [(d.id, "approve", "") for d in determinations(
        f, library)], at=AT, library=library)
    steps = len(f["next_steps"])
    assert dict((d.determination, d.value) for d in review.decisions)["next_steps"] == (
        f"{steps} proposed")
    assert Review.loads(review.dumps()) == review  # the value is sealed with the review
    later = copy.deepcopy(f)
    later["next_steps"] = later["next_steps"] + [dict(later["next_steps"][0], id="extra")]
    survival.receive_review(review)
    summary = assess_summary(library, "s", survival.record, later)
    assert f"Approved: Next steps - {steps} proposed (now {steps + 1})" in summary
    assert "made against an earlier version" in summary
    # Unchanged since: the value alone, no "now".
    same = assess_summary(library, "s", survival.record, f)
    assert f"Approved: Next steps - {steps} proposed\n" in same and "(now" not in same


def test_a_review_sent_before_values_were_kept_still_opens_with_todays_value(library, survival):
    f = survival.findings.as_json(library)
    old = {"kind": "csec-interview review", "version": 1, "session": "session-1",
           "role": "supervisor", "at": "2025-09-04T16:30:00+00:00", "fingerprint": fingerprint(f),
           "decisions": [{"determination": "next_steps", "decision": "approve", "comment": ""}]}
    review = Review.from_json(old)
    assert review.as_json() == old  # kept in its own form in the interview's events
    survival.receive_review(review)
    again = Session(library, "youth", events=list(survival.events))
    summary = assess_summary(library, "s", again.record, f)
    assert f"Approved: Next steps - {len(f['next_steps'])} proposed" in summary


@pytest.mark.parametrize("change, says", [
    (lambda d: d["decisions"][0].update(value=["x"]), "value is not text"),
    (lambda d: d["decisions"][0].update(value="x" * 501), "at most 500"),
    (lambda d: d["decisions"][0].pop("value"), "is not {comment, decision, determination, "),
    (lambda d: d.update(reviewer="Robert'); DROP"), "reviewer is not a county database user"),
    (lambda d: d.pop("reviewer"), "no 'reviewer'"),
])
def test_an_edited_version_2_review_is_refused(library, survival, change, says):
    f = survival.findings.as_json(library)
    review = Review.make("session-1", f, [("csec_type", "approve", "")], at=AT, library=library,
                         reviewer="sup_ada")
    assert review.as_json()["version"] == 2
    with pytest.raises(ReviewError) as caught:
        Review.loads(_edited(review, change))
    assert says in str(caught.value)


# --- several reviews of one interview: which one stands (audit chain, finding 6) -----------

def test_of_several_reviews_the_newest_is_current_and_the_earlier_replaced(library, survival):
    """A return, then an approval a minute later: the worker read "1 returned" and "all
    approved" side by side with nothing saying which stood."""
    survival.receive_review(review_of(library, survival, ("next_steps", "return", "Add LE."),
                                      at=AT))
    survival.receive_review(review_of(library, survival, ("next_steps", "approve", ""),
                                      at=AT + dt.timedelta(minutes=1)))
    f = survival.findings.as_json(library)
    summary = assess_summary(library, "s", survival.record, f)
    first, second = [line for line in summary.splitlines() if line.startswith("Review by")]
    assert "1 returned (replaced by the review of " in first and "(current)" not in first
    assert "all approved (current)" in second and "replaced" not in second
    report = build(library, survival.record, survival.findings, events=survival.events)
    note = render(report, "text", parts=("case-note",))
    assert "1 returned (replaced by the review of " in note and "all approved (current)" in note


def test_one_review_is_not_marked_current_or_replaced(library, survival):
    survival.receive_review(review_of(library, survival, ("next_steps", "approve", "")))
    summary = assess_summary(library, "s", survival.record, survival.findings.as_json(library))
    assert "(current)" not in summary and "replaced" not in summary


def test_the_review_screen_says_when_its_review_replaces_one_sent_before(library, survival):
    from interview.app.screens.review import ReviewApp

    said = "the review of 2025-09-04 16:30 UTC by sam: 1 returned"
    app = ReviewApp(survival, survival.findings, session_id="session-7", replaces=said)

    async def look() -> str:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            return str(app.screen.query_one("#review-replaces").render())

    shown = asyncio.run(look())
    assert said in shown and "replaces it" in shown


# --- an interview not finished (audit chain, finding 8) ------------------------------------

def _review_screen_says(library, session) -> str:
    app = review_app(library, session)

    async def look() -> str:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            found = app.screen.query("#review-unfinished")
            return str(found.first().render()) if found else ""

    return asyncio.run(look())


def test_the_review_screen_says_when_the_interview_was_not_finished(library, survival):
    steps = len(survival.flow.steps)
    said = _review_screen_says(library, survival)
    assert said.startswith(f"The interview was not finished: {survival.answered} of {steps} "
                           "steps recorded")
    survival.jump("collateral")  # the last step: the interview is finished
    survival.answer(text="", cues=["school"])
    assert survival.finished and _review_screen_says(library, survival) == ""


# --- what a supervisor reads: labels, not ids; which supervisor (audit chain, finding 9) ----

def test_a_reason_to_ask_more_names_the_red_flag_by_its_label_not_its_id(library):
    """`county show` and `sessions show` printed "ask more (A): tattoos_or_branding"."""
    session = session_of(library, "no-concern")
    session.observe("tattoos_or_branding", "A crown on the neck (fictional).")
    f = session.findings.as_json(library)
    asks = [a for a in f["at_risk"]["ask_more"] if "tattoos_or_branding" in a["red_flags"]]
    assert asks, "the red flag is a reason to ask more about an indicator"
    summary = assess_summary(library, "s", session.record, f)
    lines = [line for line in summary.splitlines() if line.strip().startswith("ask more (")]
    label = library.red_flags["tattoos_or_branding"].label
    assert any(f"ask more ({asks[0]['indicator']}): " in line and label in line
               for line in lines), lines
    assert not any("_" in line.split(":")[1].split(".")[0] for line in lines), lines


def test_a_review_names_the_supervisor_who_made_it_when_it_carries_the_name(library, survival):
    f = survival.findings.as_json(library)
    survival.receive_review(Review.make("session-1", f, [("next_steps", "approve", "")], at=AT,
                                        library=library, reviewer="sup_ada"))
    old = Review.make("session-1", f, [("next_steps", "approve", "")], at=AT).as_json()
    old.update(version=1)
    old.pop("reviewer", None)
    for d in old["decisions"]:
        d.pop("value", None)
    survival.receive_review(Review.from_json(old))  # sent before reviews named anyone
    summary = assess_summary(library, "s", survival.record, f)
    named, unnamed = [line for line in summary.splitlines() if line.startswith("Review by")]
    assert named.startswith("Review by the supervisor sup_ada, ")
    assert unnamed.startswith("Review by the supervisor, ")
