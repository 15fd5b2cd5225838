"""The reports: the case note, the CWS/CMS block and the MDT handout in text, Markdown, HTML and
JSON; golden files, hostile text, the CSEC Data Grid date rules, the `report` command, county
templates and the printable page in headless Chromium. All cases are fictional.

Golden files live in tests/golden/reports/. After an intended change of wording, regenerate
them with `CSEC_UPDATE_GOLDEN=1 pytest tests/test_report_documents.py` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import pytest

from browser import printed, screenshot
from conftest import ROOT
from interview.engine.session import Event, Session
from interview.reports import document, export, render
from interview.rules.csec_type import CsecType, GridRow, apply_changes, grid_problems, plan_grid
from stores import FAST_N

GOLDEN = ROOT / "tests" / "golden" / "reports"
# Reports give local time with its zone: the golden files are made in California's (POSIX rule,
# so no time-zone database is needed).
PACIFIC = "PST8PDT,M3.2.0,M11.1.0"


@pytest.fixture(autouse=True)
def pacific_time(monkeypatch):
    import time

    monkeypatch.setenv("TZ", PACIFIC)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
GENERATED = dt.datetime(2025, 9, 4, 12, 0, tzinfo=dt.timezone.utc)
EXAMPLES = ROOT / "flows" / "examples"
D = dt.date


def stamped(events: list[Event], start: dt.datetime) -> list[Event]:
    """The same events at fixed times, a minute apart, so the output does not depend on today."""
    return [Event(e.type, e.step, e.value, e.note,
                  (start + dt.timedelta(minutes=n)).isoformat(timespec="seconds"))
            for n, e in enumerate(events)]


def boyfriend_session(library) -> Session:
    """A youth in foster care with a 24-year-old 'boyfriend' who takes her money; earlier she was
    documented At-Risk. Fictional."""
    s = Session(library, "youth")
    s.set_facts(date_of_birth="2009-02-11", interview_date="2025-09-03",
                case_status="in_foster_care", case_id="FICTIONAL-0042",
                exploited_from="2025-08-15",
                interviewer="A. Worker (fictional)", interviewee="M. (fictional)")
    s.skip()                                  # case facts step: filled in above
    s.answer("yes")                           # basic needs offered
    s.answer("yes")                           # rapport
    s.answer("yes")                           # confidentiality script read
    s.answer("yes")                           # said back
    s.answer(text="Asked if her mom would be told.")
    s.answer(text="Tired.")
    s.answer(text="With my boyfriend Dre, he's 24.", cues=["with_non_guardians"])
    s.skip()                                  # open_clothing_food
    s.answer(text="Dre gets me stuff.", cues=["older_partner"])
    s.use_term("the older boyfriend", "Dre")
    s.jump("specific")
    s.answer("yes", text="Dre sets up dates, I give him the money.", cues=[])
    s.answer("no")                            # illegal work
    s.edit("spec_keep_share_money", "yes", text="He keeps it all.")
    s.observe("tattoos_or_branding", "A crown with 'Dre' on her neck.")
    s.observe("multiple_phones_or_money", "Two phones.")
    s.override("red_flag:older_adult_relationships", "confirm", "He is 24; she is 16.")
    s.mark_next_step("basic_needs", note="Water and a sandwich.")
    s.mark_next_step("report_hotline", note="Hotline referral FICTIONAL-R-1.")
    events = stamped(s.events, dt.datetime(2025, 9, 3, 14, 0, tzinfo=dt.timezone.utc))
    s.close()
    return Session(library, "youth", events=events)


def cases(library) -> dict[str, dict]:
    out = {}
    for name in ("survival-sex", "labor-debt", "no-concern", "hotline-immediate-crisis"):
        out[name] = export.from_file(library, EXAMPLES / f"{name}.yaml", generated=GENERATED)
        out[name]["interview"]["file"] = f"flows/examples/{name}.yaml"  # not this machine's path
    s = boyfriend_session(library)
    history = [GridRow("at_risk", D(2025, 5, 20), None, "interview FICTIONAL of 2025-05-20")]
    out["boyfriend"] = document.build(
        library, s.record, s.findings, events=s.events, session_id="0123456789abcdef",
        finished=s.finished, grid_history=history, include_words=True, generated=GENERATED)
    s.close()
    return out


@pytest.fixture(scope="module")
def reports(library):
    return cases(library)


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
@pytest.mark.parametrize("name", ["survival-sex", "labor-debt", "no-concern", "boyfriend",
                                  "hotline-immediate-crisis"])
def test_each_format_matches_its_golden_file(reports, name, fmt):
    text = render.render(reports[name], fmt)
    path = GOLDEN / f"{name}{render.SUFFIX[fmt]}"
    if os.environ.get("CSEC_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}; run with CSEC_UPDATE_GOLDEN=1 and read it"
    assert text == path.read_text(encoding="utf-8")


def test_the_case_note_says_what_happened_in_order_with_the_workers_review(reports):
    r = reports["boyfriend"]
    asked = [a["step"] for a in r["answers"]]
    # In the order asked: the specific questions came after the jump, the edit keeps its place.
    assert asked.index("open_spend_time") < asked.index("spec_paid_for_sex")
    assert asked.index("spec_illegal_work_money") < asked.index("spec_keep_share_money")
    assert {a["step"]: a["answer"] for a in r["answers"]}["open_clothing_food"] == "declined"
    assert r["confidentiality"] == {"read": True, "read_at": "2025-09-03T14:04:00+00:00",
                                    "times_read": 1, "understood": "yes",
                                    "questions": "Asked if her mom would be told.",
                                    "draft": True}  # the default script, not the county's
    sex = next(d for d in r["disclosures"] if d["form"] == "sex_trafficking")
    assert sex["disclosed"] and {"question": sex["words"][0]["question"],
                                 "text": "Dre sets up dates, I give him the money."} in sex["words"]
    assert [o["decision"] for o in r["overrides"]] == ["confirm"]
    status = {s["id"]: s["status"] for s in r["next_steps"]}
    assert status["basic_needs"] == "done" and status["law_enforcement_24h"] == "open"
    text = render.render(r, "text")
    assert "(2) DONE: Report the suspected exploitation" in text
    assert "Done 2025-09-03 07:" in text and "Hotline referral FICTIONAL-R-1." in text
    assert "Confirmed Red flag 28: Romantic/inappropriate relationships with older adults" in text


def test_the_findings_come_before_the_record_of_the_interview(reports):
    """A reader meets what it adds up to first, not after pages of transcript."""
    for name in ("boyfriend", "survival-sex", "hotline-immediate-crisis"):
        text = render.render(reports[name], "text", ["case-note"])
        told = "\nReported by the caller" if name.startswith("hotline") else "\nDisclosures\n"
        findings = [text.index(h) for h in ("Suspected, the speed of the response", told,
                                            "CSEC Type (CSEC Data Grid)", "\nNext steps\n")]
        record = text.index("What was asked and answered")
        assert max(findings) < text.index("The record of the interview") < record, name


def test_times_are_local_with_the_zone(reports):
    """Stored in UTC; shown as the reader's local time, saying which zone (here California)."""
    text = render.render(reports["boyfriend"], "text")
    assert "Recorded: 2025-09-03 07:00 PDT to 2025-09-03 07:20 PDT" in text
    assert "Generated 2025-09-04 05:00 PDT" in text and "UTC" not in text
    assert reports["boyfriend"]["generated"] == "2025-09-04T12:00:00+00:00"  # the data: UTC


def test_the_report_names_the_configured_county_or_says_none_was_chosen(library, reports):
    from interview.content.loader import load_library

    assert "County: not chosen" in render.render(reports["no-concern"], "text", ["case-note"])
    la, _ = load_library(county="los-angeles")
    r = export.from_file(la, EXAMPLES / "no-concern.yaml", generated=GENERATED)
    text = render.render(r, "text", ["case-note"])
    assert "County: Los Angeles County" in text and "your county" not in text


def test_yes_no_facts_nobody_answered_are_not_recorded_never_no(library):
    s = Session(library, "youth")
    s.set_facts(interview_date="2025-09-03", missing=False, immediate_safety_concern=False)
    r = export.from_session(library, s, generated=GENERATED)
    s.close()
    text = render.render(r, "text")
    assert "Missing or abducted now: no" in text
    assert "Immediate safety concern: no" in text
    assert "Foreign national: not recorded" in text and "Foreign national: no\n" not in text
    assert (r["case"]["missing"], r["case"]["foreign_national"]) == (False, None)


def test_the_mdt_handout_lists_each_red_flag_once_with_its_columns(reports):
    """A row of all three columns is one line with S, L, C, not a line under each column
    (which read as a labor and a criminal concern where there was none)."""
    r = reports["boyfriend"]
    text = render.render(r, "text", ["mdt"])
    for flag in r["red_flags"]["flags"]:
        assert text.count(flag["label"]) == 1, flag["label"]
    assert "Row 38 (S, L, C). Has someone else controlling their money" in text
    assert "Labor trafficking: not disclosed" in text
    assert "Red flags, Exploiting a child's labor" not in text


def test_declined_and_unsure_are_kept_as_such(library):
    s = Session(library, "caregiver")
    s.skip()
    s.answer("yes")                          # framing read
    s.answer("declined")
    s.answer("unsure")
    skipped = s.current
    s.skip()                                 # ctrl+s: not answered, not declined by anyone
    r = export.from_session(library, s, generated=GENERATED)
    s.close()
    values = [a["answer"] for a in r["answers"]]
    assert values[-3:] == ["declined", "unsure", "declined"]  # the skip takes that branch
    assert [a.get("skipped", False) for a in r["answers"]][-3:] == [False, False, True]
    text = render.render(r, "text")
    assert "Answer: declined to answer" in text and "Answer: unsure" in text
    after = text[text.index(library.step_text(skipped).strip()[:40]):]
    assert after.split("\n", 2)[1].strip() == "- Answer: not answered (skipped)", after[:200]
    assert "not finished" in text


def test_a_question_asked_with_nothing_found_and_an_unsure_fact_say_so(library):
    """Hotline audit, 4: a reporter's "unsure" on the safety question printed as "Immediate
    safety concern: not recorded", as if nobody asked; a question asked where nothing was
    noted or ticked printed as the bare question, like one never reached; a skipped one says
    it was skipped."""
    s = Session(library, "hotline")
    s.answer(text="Teacher", cues=[])         # the caller
    asked = s.current
    s.answer(text="")                         # the child's age: not known
    s.jump("safety")
    s.answer("unsure")
    r = export.from_session(library, s, generated=GENERATED)
    text = render.render(r, "text")
    assert "Immediate safety concern: unsure (asked: the answer was unsure)" in text
    assert "Immediate safety concern: not recorded" not in text
    after = text[text.index(library.step_text(asked).strip()[:30]):]
    assert after.split("\n", 2)[1].strip() == "- Asked: no notes, nothing marked.", after[:200]
    s.back()
    s.skip()                                  # the worker skipped it instead
    r = export.from_session(library, s, generated=GENERATED)
    s.close()
    text = render.render(r, "text")
    assert "Immediate safety concern: not recorded (the question was skipped)" in text


def test_a_hotline_report_says_what_is_suspected_how_fast_and_who(reports):
    r = reports["hotline-immediate-crisis"]
    assert r["interview"]["interviewed"] == "reporter" and r["csec_type"] is None
    assert r["response"]["speed"] == "immediate_crisis" and r["response"]["status"] == "open"
    assert r["jurisdiction"]["agency"] == "child_welfare"
    text = render.render(r, "text")
    assert "What the reporter saw or heard" in text and "because: reported" in text
    assert "Not set at the hotline" in text
    assert "Immediate Crisis: Engage within 2 hours; support through 72 hours (open)" in text
    assert [a["subcategory"] for a in r["cws_cms"]["allegations"]][0] == \
        "Commercial Sexual Exploitation"


def test_the_cws_cms_block_names_the_allegations_and_ends_the_at_risk_row(reports):
    cws = reports["boyfriend"]["cws_cms"]
    assert [(a["category"], a["subcategory"], a["status"]) for a in cws["allegations"]] == [
        ("Exploitation", "Commercial Sexual Exploitation", "enter"),
        ("General Neglect", "Fail/Unable to Protect from CSE", "consider")]
    actions = [(c["action"], c["row"]["type"], c["row"]["end_date"]) for c in cws["grid"]["changes"]]
    # ended on the day she became a victim (the case facts), not the day it was identified
    assert actions == [("end", "at_risk", "2025-08-15"),
                       ("add", "victim_during_foster_care", None)]
    added = cws["grid"]["changes"][1]["row"]
    assert added["start_date"] == "2025-08-15"
    assert cws["grid"]["problems"] == []
    labor = reports["labor-debt"]["cws_cms"]
    assert [a["subcategory"] for a in labor["allegations"]] == ["Exploiting a Child's Labor"]
    assert labor["grid"]["changes"] == []          # labor only: no CSEC Type
    assert reports["no-concern"]["cws_cms"]["allegations"] == []


def test_at_the_hotline_a_form_is_reported_by_the_caller_never_the_childs_disclosure(library):
    """Audit of the documents, M2: a school employee who saw it was printed as the child's
    "DISCLOSED" in the case note and "disclosed" in the MDT handout. The hotline takes
    allegations (002 IV.C); the child told the screener nothing."""
    r = export.from_file(library, EXAMPLES / "hotline-labor-foreign-national.yaml",
                         generated=GENERATED)
    text = render.render(r, "text")
    assert "Labor trafficking: REPORTED" in text and "Labor trafficking: reported" in text
    assert "Reported by the caller" in text
    assert "disclosed" not in text.lower().replace("not the child's disclosure", "")
    youth = render.render(export.from_file(library, EXAMPLES / "labor-debt.yaml",
                                           generated=GENERATED), "text")
    assert "Labor trafficking: DISCLOSED" in youth and "Reported by the caller" not in youth


def test_a_case_fact_nobody_recorded_is_never_printed_as_no(reports):
    """Audit of the documents, M4: "Receiving child welfare services: no" was printed for every
    youth with no open case, though nobody recorded it (and an emergency response investigation
    is a child welfare service, 000). What the case status implies is said to come from it."""
    no_case = render.render(reports["labor-debt"], "text", ["case-note"])
    assert "Receiving child welfare services: not recorded" in no_case
    in_care = render.render(reports["survival-sex"], "text", ["case-note"])
    assert "Receiving child welfare services: yes (an open case, from the case status)" in in_care


def test_the_mdt_handout_leaves_out_names_and_free_text_unless_included(reports):
    r = dict(reports["boyfriend"], mdt={"include_words": False})
    mdt = render.render(r, "text", parts=["mdt"])
    for private in ("M. (fictional)", "2009-02-11", "Dre sets up dates", "Two phones",
                    "He is 24; she is 16", "A crown"):
        assert private not in mdt
    assert "FICTIONAL-0042" in mdt and "Age: 16" in mdt
    assert "Initial MDT: Within 10 days (open)" in mdt
    assert "Immediate safety not assessed yet" in mdt  # the tier follows the safety question
    assert "own words are not included" in mdt
    included = render.render(reports["boyfriend"], "text", parts=["mdt"])
    assert "Dre sets up dates, I give him the money." in included


HOSTILE = ("<script>document.title='pwned'</script> {{ 7*7 }} {% raw %} [bold red]loud[/] "
           "[@click=app.quit]q[/] **strong** # heading | cell | \x1b[31mred\x1b[0m "
           "\x1b]8;;http://example.invalid\x07link\x1b]8;;\x07 \x07bell\x08")


def hostile_report(library) -> dict:
    s = Session(library, "youth")
    s.set_facts(interviewee=HOSTILE[:190], case_id="FICTIONAL-X")
    s.skip()
    s.answer("yes")
    s.answer("yes")
    s.answer("yes")
    s.answer("yes")
    s.answer(text=HOSTILE)
    s.jump("specific")
    s.answer("yes", text=HOSTILE)
    s.observe("tattoos_or_branding", HOSTILE)
    s.override("at_risk:A", "confirm", HOSTILE)
    s.mark_next_step("basic_needs", note=HOSTILE)
    r = export.from_session(library, s, include_words=True, generated=GENERATED)
    s.close()
    return r


def test_typed_text_comes_out_literal_and_escaped_in_every_format(library):
    r = hostile_report(library)
    text = render.render(r, "text")
    assert "\x1b" not in text and "\x07" not in text and "\x08" not in text
    assert "{{ 7*7 }}" in text and "49" not in text and "[bold red]loud[/]" in text
    assert "<script>document.title='pwned'</script>" in text   # plain text: shown as typed
    html = render.render(r, "html")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "\x1b" not in html and "[bold red]loud[/]" in html
    assert "default-src 'none'" in html          # and no script could run even if one got in
    md = render.render(r, "md")
    assert "<script" not in md and "&lt;script>" in md and "\x1b" not in md
    assert "\\*\\*strong\\*\\*" in md and "\\# heading \\| cell \\|" in md
    assert "{{ 7\\*7 }}" in md
    data = json.loads(render.render(r, "json"))
    notes = [a["notes"] for a in data["answers"] if a["notes"]]
    assert HOSTILE in notes                       # the data keeps exactly what was typed


def test_the_date_rules_of_the_csec_data_grid():
    dob, today = D(2009, 2, 11), D(2025, 9, 3)
    victim = CsecType("victim_during_foster_care", D(2025, 9, 3), None, "disclosed")
    at_risk = CsecType("at_risk", D(2025, 9, 3), None, "met")
    open_at_risk = GridRow("at_risk", D(2025, 5, 20))
    # A victim row ends an open At-Risk row on the day the youth became a victim.
    changes = plan_grid([open_at_risk], victim)
    assert [(c.action, c.row.type, c.row.end) for c in changes] == [
        ("end", "at_risk", D(2025, 9, 3)), ("add", "victim_during_foster_care", None)]
    assert grid_problems(apply_changes([open_at_risk], changes), dob, today) == []
    # The date the youth became a victim not recorded: no row, no date made up (the interview
    # day is when it was identified, 001); the worker is told what to record, and what it ends.
    (later,) = plan_grid([open_at_risk], CsecType("victim_during_foster_care", None, None,
                                                  "record it", "proposed", "exploited_from"))
    assert (later.action, later.row.start) == ("later", None)
    assert "from 2025-05-20 then ends on the date the youth became a victim" in later.explanation
    # Left open beside the Victim row: the rule is named and explained.
    problems = grid_problems([open_at_risk, GridRow("victim_during_foster_care", D(2025, 9, 3))],
                             dob, today)
    assert len(problems) == 1 and "The At-Risk row from 2025-05-20 is still open while" in \
        problems[0] and "cannot be at risk and a victim at the same time" in problems[0]
    # No At-Risk row while a Victim row is open; no second At-Risk row.
    assert plan_grid([GridRow("victim_before_foster_care", D(2024, 1, 1))], at_risk)[0].action \
        == "none"
    assert plan_grid([open_at_risk], at_risk)[0].action == "keep"
    # Absence rows repeat; the others are documented once while open.
    absent = CsecType("victim_while_absent_from_placement", D(2025, 8, 1), D(2025, 8, 9), "x")
    assert plan_grid([GridRow(absent.type, D(2025, 6, 1), D(2025, 6, 5))], absent)[-1].action \
        == "add"
    assert plan_grid([GridRow(victim.type, D(2025, 1, 1))], victim)[-1].action == "keep"
    # Each date rule of 001, "Start and End Dates".
    for row, expected in [
        (GridRow("at_risk", D(2008, 1, 1)), "before the date of birth 2009-02-11"),
        (GridRow("at_risk", D(2026, 1, 1)), "the start date 2026-01-01 is in the future"),
        (GridRow("at_risk", D(2025, 5, 1), D(2025, 4, 1)), "the end date 2025-04-01 is before"),
        (GridRow("at_risk", D(2025, 5, 1), D(2025, 12, 1)), "the end date 2025-12-01 is in the future"),
        (GridRow("victim_while_absent_from_placement", D(2025, 5, 1)), "needs an end date"),
    ]:
        problems = grid_problems([row], dob, today)
        assert len(problems) == 1 and expected in problems[0], (row, problems)


def test_a_county_replaces_a_template_without_code(library, tmp_path, cli):
    own = tmp_path / "county-templates" / "reports"
    own.mkdir(parents=True)
    (own / "mdt.j2").write_text('{% call fmt.doc("Team sheet", "mdt") %}\n'
                                '{{ fmt.field("Case", r.case.case_id) }}\n{% endcall %}\n')
    county = tmp_path / "county.yaml"
    county.write_text((ROOT / "flows/counties/default.yaml").read_text()
                      + "templates: county-templates\n")
    code, out, err = cli("--county", county, "report", EXAMPLES / "labor-debt.yaml", "--part", "mdt")
    assert code == 0, err
    assert out == "TEAM SHEET\n==========\nCase: EXAMPLE-0002\n"
    (own / "mdt.j2").write_text("{% call fmt.doc( %}")
    code, _, err = cli("--county", county, "report", EXAMPLES / "labor-debt.yaml")
    assert code == 1 and "mdt.j2:1: the report template cannot be used" in err
    county.write_text((ROOT / "flows/counties/default.yaml").read_text() + "templates: nowhere\n")
    code, _, err = cli("--county", county, "report", EXAMPLES / "labor-debt.yaml")
    assert code == 1 and "templates folder 'nowhere' not found" in err


def test_the_report_command_from_a_saved_interview(cli, tmp_path):
    from interview.storage.store import Store

    Store.create(tmp_path / "store", "a passphrase here", n=FAST_N)
    pw = tmp_path / "pw"
    pw.write_text("a passphrase here\n")
    store = ["--store", tmp_path / "store", "--passphrase-file", pw]
    base = {"date_of_birth": "2010-06-14", "case_status": "in_foster_care", "case_id": "CASE-9"}
    earlier = {"flow": "youth", "context": {**base, "interview_date": "2025-06-01"},
               "answers": {"open_staying": {"text": "x", "cues": ["no_stable_place"]},
                           "open_school": {"text": "x", "cues": ["rarely_goes"]}}}
    later = {"flow": "youth", "context": {**base, "interview_date": "2025-09-03",
                                          "exploited_from": "2025-08-20"},
             "answers": {"confidentiality_script": "yes", "spec_paid_for_sex": "yes"}}
    ids = []
    for n, case in enumerate((earlier, later)):
        path = tmp_path / f"case{n}.json"
        path.write_text(json.dumps(case))
        code, out, err = cli("run", "youth", "--answers", path, *store)
        assert code == 0, err
        ids.append(out.strip().splitlines()[-1].split()[1].rstrip(":"))
    code, out, err = cli("report", ids[1], "--format", "json", *store)
    assert code == 0, err
    grid = json.loads(out)["cws_cms"]["grid"]
    assert [r["type"] for r in grid["existing"]] == ["at_risk"]       # from the earlier interview
    assert [(c["action"], c["row"]["end_date"]) for c in grid["changes"]] == [
        ("end", "2025-08-20"), ("add", None)]
    target = tmp_path / "out" / "note.html"
    code, _, err = cli("report", ids[1], "--format", "html", "--output", target, *store)
    assert code == 1 and "no such folder" in err
    target.parent.mkdir()
    code, _, err = cli("report", ids[1], "--format", "html", "--output", target, *store)
    assert code == 0 and "not encrypted" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and "<!DOCTYPE html>" in target.read_text()
    code, _, err = cli("report", ids[1], "--output", target, *store)
    assert code == 1 and "already exists" in err and "--force" in err
    code, _, err = cli("report", ids[1], "--output", target, "--force", "--part", "mdt", *store)
    assert code == 0 and target.read_text().startswith("MDT HANDOUT")
    audit = (tmp_path / "store" / "audit.log").read_text()
    assert audit.count('"action": "exported"') == 3            # refused writes are not exports
    assert "json case-note+cws-cms+mdt to the terminal" in audit
    assert "html case-note+cws-cms+mdt to a file" in audit
    assert "CASE-9" not in audit
    code, _, err = cli("report", "0000", *store)
    assert code == 1 and "no session '0000'" in err
    code, _, err = cli("report", tmp_path / "missing.yaml")
    assert code == 1 and "not found" in err


def test_the_printable_page_in_headless_chromium(library, tmp_path, artifact):
    page = tmp_path / "report.html"
    page.write_text(render.render(hostile_report(library), "html"), encoding="utf-8")
    png, dom = screenshot(page.as_uri(), tmp_path / "profile", size=(900, 1400))
    assert "<title>Interview report: Youth interview (case FICTIONAL-X)</title>" in dom
    assert "pwned" not in dom.split("</title>")[0]          # the hostile script never ran
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert dom.count('<section class="doc"') == 3
    shot = tmp_path / "report.png"
    shot.write_bytes(png)
    artifact(shot, "screenshot of the printable report page (headless Chromium)")
    assert len(png) > 20_000                                # a page was drawn, not a blank


def test_the_printed_page_numbers_its_pages(library, tmp_path, artifact):
    """Chromium keeps the @page rule's page-number box ("Page 1 of 4") when printing."""
    page = tmp_path / "report.html"
    page.write_text(render.render(cases(library)["boyfriend"], "html"), encoding="utf-8")
    rule, pdf = printed(page.as_uri(), tmp_path / "profile",
                        "[...document.styleSheets[0].cssRules].filter(r => r instanceof "
                        "CSSPageRule).map(r => r.cssText).join(' ')")
    assert 'counter(page)' in rule and 'counter(pages)' in rule and "bottom-right" in rule
    out = tmp_path / "report.pdf"
    out.write_bytes(pdf)
    artifact(out, "the report printed to PDF by headless Chromium (page numbers at the foot)")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") > 1


def test_at_the_hotline_a_confirmed_form_is_the_callers_report_in_the_summary_and_the_note(
        cli, tmp_path, library):
    """Screen audit, 2: confirming "Disclosed: sex trafficking" in the hotline's summary wrote
    "Confirmed Disclosure: sex trafficking" into the case note, under "not the child's
    disclosure": a teacher had seen an ad. It is the caller's report, in the list and the note."""
    import asyncio

    import yaml as pyyaml

    from interview.app.app import InterviewApp

    data = pyyaml.safe_load((EXAMPLES / "hotline-labor-foreign-national.yaml").read_text())
    data["overrides"] = [{"finding": "disclosure:labor_trafficking", "decision": "confirm",
                          "reason": "the caller is a teacher who saw it (fictional)"}]
    path = tmp_path / "call.yaml"
    path.write_text(pyyaml.safe_dump(data))
    code, out, err = cli("report", path, "--part", "case-note")
    assert code == 0, err
    assert "Confirmed Caller's report: labor trafficking" in out and "Disclosure:" not in out

    async def go():
        app = InterviewApp(flow_id="hotline", library=library)
        async with app.run_test(size=(100, 30)) as pilot:
            app.screen.session.answer(text="x", cues=["school", "saw_or_heard"])
            app.screen.session.jump("reported_account")
            app.screen.session.answer(text="x", cues=["threatened_or_debt"])
            await pilot.press("ctrl+l")
            await pilot.pause()
            return [label for _, label in app.screen.review_items(
                app.screen.session.findings.as_json(library))]

    labels = asyncio.run(go())
    assert "[proposed] Caller's report: labor trafficking" in labels
    assert not any("Disclos" in label for label in labels)


def test_a_workers_own_question_skipped_is_not_answered_never_declined_by_the_youth(cli,
                                                                                    tmp_path):
    """Screen audit, 7: ctrl+s on one of the worker's own checklist questions wrote "declined
    to answer" into the case note, of a question the youth was never asked. A youth's question
    skipped is still what the youth declined."""
    import json

    path = tmp_path / "case.json"
    path.write_text(json.dumps({"flow": "runaway-return", "answers": {
        "away_ran_away": "declined", "confidentiality_script": "yes",
        "away_anything_happened": "declined"}}))
    code, out, err = cli("report", path, "--part", "case-note")
    assert code == 0, err
    worker = out[out.index("Did the youth leave on their own"):]
    assert worker.split("\n", 2)[1].strip() == "- Answer: not answered (skipped)", worker[:300]
    assert "declined to answer" in out  # the youth's own question, skipped
