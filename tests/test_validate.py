"""`csec-interview validate` against a corpus of broken flows: each defect is found, on its line.

Every file in tests/broken_flows/ is a tiny flow (or script) with one defect. For each, the
expected problems are listed below as (line, message fragment, fix fragment); the test asserts
that exactly those problems are reported, as `FILE:LINE: message` followed by `    fix: ...`,
that the exit code is 1 and that nothing crashes. Hostile or odd files that are better made on
the fly (over 1 MiB, 10,000 levels deep, not UTF-8, ...) are generated in tmp_path.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview.cli import main

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken_flows"
VALID = ROOT / "tests" / "valid_flows"
SRC = '"003 § Recommended Interviewing Techniques with Youth"'

DID_YOU_MEAN = "did you mean"
SYNTAX_FIX = "check the indentation and quoting"

# file -> [(line or None, message fragment, fix fragment)]; None: the problem has no line.
CASES: dict[str, list[tuple[int | None, str, str]]] = {
    # --- YAML itself -----------------------------------------------------------------------
    "yaml_syntax_error.yaml": [(28, "YAML syntax: did not find expected ',' or '}'", SYNTAX_FIX)],
    "tab_indentation.yaml": [(20, "YAML syntax: found a tab character that violates indentation",
                              SYNTAX_FIX)],
    "bad_indentation.yaml": [(20, "YAML syntax: did not find expected '-' indicator", SYNTAX_FIX)],
    "duplicate_yaml_key.yaml": [(22, "duplicate key 'text' (first on line 21)", "remove one")],
    "anchors_aliases.yaml": [(22, "anchors and aliases (& and *) are not allowed",
                              "write the value out in full")],
    "alias_bomb.yaml": [(5, "anchors and aliases (& and *) are not allowed",
                         "write the value out in full")],
    "merge_key.yaml": [(20, "merge keys (<<) are not allowed", "write the keys out in full")],
    "invalid_date_value.yaml": [(3, "'2024-02-30' is not a real date", "YYYY-MM-DD")],
    "python_tag.yaml": [(3, "cannot read the value '' as !!python/name:os.system", "quote it")],
    "empty.yaml": [(None, "flow must be a mapping of keys to values", "`key: value` lines")],
    "yaml_list.yaml": [(2, "flow must be a mapping of keys to values", "`key: value` lines")],
    # --- keys and types --------------------------------------------------------------------
    "unknown_step_key.yaml": [
        (21, "unknown key 'txet' in step 'where_staying' (open)", "did you mean 'text'?"),
        (18, "step 'where_staying' has no 'text'", "add `text:`"),
    ],
    "unknown_flow_key.yaml": [(4, "unknown key 'descripton' in flow",
                               "did you mean 'description'?")],
    "missing_kind.yaml": [(18, "step 'where_staying': kind None is not one of script, open, "
                               "closed, observation, facts", "set `kind:`")],
    "missing_audience.yaml": [
        (23, "step 'food_for_sex': audience None is not one of youth, caregiver, reporter, worker",
         "set `audience:`"),
    ],
    "wrong_kind.yaml": [(24, "step 'food_for_sex': kind 'closd' is not one of",
                         "did you mean 'closed'?")],
    "wrong_audience.yaml": [(20, "step 'where_staying': audience 'child' is not one of youth, "
                                 "caregiver, reporter, worker", "set `audience:`")],
    "fields_not_a_list.yaml": [(14, "step 'case_facts': fields must be a list",
                                "write `fields:` as a list")],
    "items_not_a_list.yaml": [
        (36, "step 'observations': items must be a list", "write `items:` as a list"),
        (32, "step 'observations': an observation step needs `items`", "list the red flags"),
    ],
    "script_not_text.yaml": [(13, "step 'confidentiality_script': script ['confidentiality'] "
                                  "not found", "known scripts: confidentiality")],
    # --- ids -------------------------------------------------------------------------------
    "duplicate_step_id.yaml": [(23, "duplicate step id 'where_staying' (first on line 18)",
                                "give each step its own id")],
    "duplicate_section_id.yaml": [(15, "duplicate section id 'confidentiality' (first on line 7)",
                                   "give each section its own id")],
    "out_of_view_not_a_flag.yaml": [(17, "section 'questions': out_of_view 'yes please' is not "
                                         "true or false", "write out_of_view: true")],
    "duplicate_cue_id.yaml": [(26, "step 'where_staying': duplicate cue id 'no_stable_place'",
                               "give each cue of a step its own id")],
    # --- references ------------------------------------------------------------------------
    "branch_missing_target.yaml": [(23, "step 'food_for_sex': branch no goes to 'nowhere', which "
                                        "is neither a step nor a section of this flow",
                                    "name an existing step or section id")],
    "branch_past_gate.yaml": [(10, "step 'ready': branch yes jumps past the confidentiality "
                                   "script 'confidentiality_script'", "branch to the script")],
    "branch_backwards.yaml": [(23, "step 'food_for_sex': branch yes goes back to 'where_staying'",
                               "branches may only go forward")],
    "branch_to_itself.yaml": [(23, "step 'food_for_sex': branch unsure goes back to "
                                   "'food_for_sex'", "branches may only go forward")],
    "variant_of_missing.yaml": [(23, "step 'food_for_sex': variant_of 'where_stayng' is not an "
                                     "earlier step of this flow", "name the earlier step")],
    "unreachable_step.yaml": [(29, "step 'food_for_sex' cannot be reached: every answer before "
                                   "it branches past it", "change the branch that skips it")],
    "unknown_red_flag.yaml": [(27, "food_for_sex.indicates_on_yes: unknown red flags entry "
                                   "'survival_sexx'", "did you mean 'survival_sex'?")],
    "unknown_red_flag_in_cue.yaml": [(29, "cue where_staying.no_stable_place: unknown red flags "
                                          "entry 'frequent_move'",
                                      "did you mean 'frequent_moves'?")],
    "red_flag_not_text.yaml": [(27, "food_for_sex.indicates_on_yes: unknown red flags entry "
                                    "['survival_sex']", DID_YOU_MEAN)],
    "unknown_at_risk_letter.yaml": [(27, "food_for_sex.indicates_on_yes: unknown at risk entry 'Z'",
                                     "docs/flow-format.md")],
    "unknown_disclosure.yaml": [(27, "food_for_sex.indicates_on_yes: unknown disclosures entry "
                                     "'commercial_sex'", "did you mean 'commercial_sex_act'?")],
    "unknown_observation_red_flag.yaml": [(39, "step 'observations': unknown red flag "
                                               "'tatoos_or_branding'",
                                           "did you mean 'tattoos_or_branding'?")],
    "observation_without_items.yaml": [(32, "step 'observations': an observation step needs "
                                            "`items`", "list the red flags")],
    "unknown_case_fact.yaml": [(16, "step 'case_facts': unknown case fact 'interview_day'",
                                "did you mean 'interview_date'?")],
    "unknown_placeholder.yaml": [(21, "step 'where_staying': unknown placeholder {county} in text",
                                  "{county_name}")],
    # --- the confidentiality gate ----------------------------------------------------------
    "gate_missing_step.yaml": [(4, "gate 'confidentiality_scrpt' is not a step of this flow",
                                "name the confidentiality script step")],
    "gate_not_script.yaml": [(4, "gate 'where_staying' is an open step, not a script",
                              "the gate must be the script read to the youth")],
    "youth_question_before_gate.yaml": [
        (10, "youth question 'where_staying' comes before the confidentiality script "
             "'confidentiality_script'", "move it after the script"),
        (15, "youth question 'food_for_sex' comes before the confidentiality script "
             "'confidentiality_script'", "move it after the script"),
    ],
    "no_gate.yaml": [(2, "flow asks the youth questions but has no `gate`", "add `gate:")],
    # --- sources ---------------------------------------------------------------------------
    "missing_source.yaml": [
        (18, "step 'where_staying' has no source", "naming the seed document"),
    ],
    "source_names_no_seed.yaml": [(22, "step 'where_staying': source 'the policy' does not name "
                                       "a seed document", "DOC one of 000, 001, 002, 003, 004")],
    # --- words said to a youth -------------------------------------------------------------
    "youth_text_victim.yaml": [(23, "step 'food_for_sex': youth-facing text uses 'victim' "
                                    "(DOMAIN.md section 10)", "the youth's own words")],
    "youth_text_trafficking.yaml": [(18, "step 'where_staying': youth-facing text uses "
                                         "'trafficking'", "the youth's own words")],
    "youth_text_plural.yaml": [(18, "step 'where_staying': youth-facing text uses 'victims'",
                                "the youth's own words")],
    "youth_follow_up_label.yaml": [(23, "step 'food_for_sex': youth-facing follow_up uses "
                                        "'exploited'", "the youth's own words")],
    "guidance_label_about_youth.yaml": [(19, "step 'where_staying': on-screen (a youth may see "
                                             "it) guidance uses 'exploiter'", "own words"),
                                        (19, "on-screen (a youth may see it) cue trades_for_bed "
                                             "uses 'Survival sex'", "own words"),
                                        (19, "on-screen (a youth may see it) cue runs uses "
                                             "'runaway'", "own words")],
    "observation_item_without_hint.yaml": [(19, "step 'observations': item glamorizes_pimping "
                                                "has no hint", "add `hint:` in plain words")],
    # --- includes: sections from other flows and parts (tests/broken_flows/parts/) ---------
    "include_missing_file.yaml": [(23, "include 'parts/no-such-part.yaml': file not found beside "
                                       "include_missing_file.yaml nor in the shipped flows",
                                   "did you mean 'parts/tiny-part.yaml'?")],
    "include_unknown_section.yaml": [(24, "include 'parts/tiny-part.yaml' has no section 'workk'",
                                      "did you mean 'work'?")],
    "include_cycle.yaml": [(23, "include 'include_cycle.yaml' makes a cycle: include_cycle.yaml "
                                "-> include_cycle.yaml", "a flow cannot include itself")],
    "include_duplicate_step.yaml": [(28, "include 'parts/tiny-part.yaml' brings step "
                                         "'works_for_other', which this flow already has (line 23)",
                                     "give each step its own id")],
    "include_not_a_flow.yaml": [(23, "include '../../flows/catalog/red-flags.yaml' is not a flow "
                                     "or a part", "include a flow file, or a part")],
    "include_unknown_key.yaml": [(24, "unknown key 'section' in include",
                                  "did you mean 'sections'?")],
    "include_label_in_gated_flow.yaml": [(23, "included step 'worker_assessment' "
                                              "(worker-words.yaml:10): on-screen (a youth may see "
                                              "it) guidance uses 'victim', 'trafficking'",
                                          "the youth's own words")],
    "include_branch_target_missing.yaml": [(23, "included step 'skip_offer' (tiny-part.yaml:18): "
                                                "branch no goes to 'observed', which is neither a "
                                                "step nor a section of this flow",
                                            "include that section too")],
    # --- answers that record case facts; suspicions; the setting ---------------------------
    "fact_wrong_kind.yaml": [(26, "step 'child_missing': missing is not a typed-in fact, so an "
                                  "open step cannot record it",
                              "`fact: missing` on a closed step, or `sets:` on a cue")],
    "cue_sets_unknown_value.yaml": [(30, "cue child_status.foster: 'in_care' is not a value of "
                                         "case_status", "did you mean 'in_foster_care'?")],
    "unknown_suspected_form.yaml": [(27, "suspicion.indicates_on_yes: unknown suspected entry "
                                         "'sex'", "use one of sex_trafficking, labor_trafficking")],
    "unknown_setting.yaml": [(5, "flow: setting 'hotlne' is not one of interview, hotline",
                              "did you mean 'hotline'?")],
    # --- confidentiality script files (validated when given as a path) ---------------------
    "script_missing_must_report.yaml": [(2, "the confidentiality script does not cover: "
                                            "must_report", "add a part for each")],
    "script_labelling_word.yaml": [(12, "script 'confidentiality', part 'must_report' uses "
                                        "'victim', which must not be said to a youth",
                                    "say what happened in plain words")],
}

PROBLEM_RE = re.compile(r"^(?P<path>\S+?\.ya?ml)(?::(?P<line>\d+))?: (?P<message>.*)$")
COUNT_RE = re.compile(r"^(\d+) problems? found; nothing was changed\.$")


def parse(err: str) -> tuple[list[dict], int | None]:
    """Split validate's stderr into problems {path, line, message, fix} and the count line."""
    problems: list[dict] = []
    count = None
    for raw in err.splitlines():
        if raw.startswith("    fix: "):
            assert problems and problems[-1]["fix"] is None, f"stray fix line: {raw!r}\n{err}"
            problems[-1]["fix"] = raw[len("    fix: "):]
        elif m := COUNT_RE.match(raw):
            count = int(m.group(1))
        elif m := PROBLEM_RE.match(raw):
            line = int(m.group("line")) if m.group("line") else None
            problems.append({"path": m.group("path"), "line": line,
                             "message": m.group("message"), "fix": None})
        else:
            pytest.fail(f"unexpected stderr line {raw!r} in:\n{err}")
    return problems, count


def find(problems: list[dict], name: str, line: int | None, message: str) -> dict | None:
    for p in problems:
        if Path(p["path"]).name == name and p["line"] == line and message in p["message"]:
            return p
    return None


def assert_reported(err: str, name: str, expected: list[tuple[int | None, str, str]]) -> None:
    problems, _ = parse(err)
    for line, message, fix in expected:
        if line is None:
            assert f"{name}: " in err
        else:
            assert f"{name}:{line}:" in err, f"no problem on {name}:{line}:\n{err}"
        found = find(problems, name, line, message)
        assert found, f"expected {name}:{line}: ...{message}...\n got:\n{err}"
        assert found["fix"] and fix in found["fix"], f"expected fix ...{fix}... for {found}"


TIME_LIMIT = 5  # seconds for one in-process run; the slowest file here takes about half a second


class TooSlow(Exception):
    pass


def _too_slow(signum, frame):
    raise TooSlow(f"validate took over {TIME_LIMIT} s (an alias expanded? a loop?)")


@pytest.fixture
def validate(capsys):
    """Run `validate` in-process: (exit code, stdout, stderr); never a traceback, never a hang."""

    def run(*paths) -> tuple[int, str, str]:
        alarm = hasattr(signal, "SIGPROF")
        if alarm:  # a regression (say, aliases expanded) fails in seconds, not after gigabytes;
            # seconds of this process's CPU, not of the clock: a busy machine is not a hang
            previous = signal.signal(signal.SIGPROF, _too_slow)
            signal.setitimer(signal.ITIMER_PROF, TIME_LIMIT)
        try:
            code = main(["validate", *(str(p) for p in paths)])
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.signal(signal.SIGPROF, previous)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return run


def tiny_flow(fid: str, title: str = '"Tiny interview"',
              question: str = "Where have you been staying?", audience: str = "youth",
              gated: bool = True) -> str:
    """A small valid flow like the corpus files (the gate script, then questions)."""
    return (
        f"id: {fid}\n"
        f"title: {title}\n"
        + ("gate: confidentiality_script\n" if gated else "") +
        f"source: {SRC}\n"
        "sections:\n"
        "  - id: confidentiality\n"
        '    title: "Before we talk"\n'
        "    steps:\n"
        "      - id: confidentiality_script\n"
        "        kind: script\n"
        "        audience: youth\n"
        "        script: confidentiality\n"
        '        source: "000 § Identification of CSE"\n'
        "  - id: questions\n"
        '    title: "Questions"\n'
        "    steps:\n"
        "      - id: where_staying\n"
        "        kind: open\n"
        f"        audience: {audience}\n"
        f'        text: "{question}"\n'
        f"        source: {SRC}\n"
    )


# --- the corpus ----------------------------------------------------------------------------

def test_every_corpus_file_has_its_expected_problems_listed():
    on_disk = {p.name for p in BROKEN.glob("*.yaml")}
    assert on_disk == set(CASES), (f"without a case: {sorted(on_disk - set(CASES))}; "
                                   f"missing file: {sorted(set(CASES) - on_disk)}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_is_reported_on_its_line(validate, name):
    expected = CASES[name]
    code, out, err = validate(BROKEN / name)
    assert code == 1
    assert out == ""
    problems, count = parse(err)
    assert_reported(err, name, expected)
    # exactly the expected problems: no noise, every one in this file and with a fix
    assert count == len(problems) == len(expected), err
    assert all(Path(p["path"]).name == name for p in problems), err
    assert all(p["fix"] for p in problems), err


def test_several_broken_files_at_once_report_problems_from_each(validate):
    names = ["unknown_step_key.yaml", "branch_backwards.yaml", "youth_text_victim.yaml",
             "duplicate_yaml_key.yaml", "unknown_red_flag.yaml", "script_labelling_word.yaml"]
    code, out, err = validate(*(BROKEN / n for n in names))
    assert code == 1
    problems, count = parse(err)
    for name in names:
        assert_reported(err, name, CASES[name])
    assert count == len(problems) == sum(len(CASES[n]) for n in names)


def test_the_alias_bomb_is_refused_quickly_and_says_why(validate):
    start = time.perf_counter()
    code, _, err = validate(BROKEN / "alias_bomb.yaml")
    assert time.perf_counter() - start < 2.0
    assert code == 1
    assert "aliases" in err


# --- what must pass ------------------------------------------------------------------------

def test_the_shipped_content_validates(validate):
    code, out, err = validate()
    assert code == 0, err
    assert out.startswith("ok: ") and "no problems" in out
    assert err == ""


def test_the_corpus_parts_are_valid_on_their_own_and_a_part_is_not_a_flow(validate, tmp_path):
    # The helper parts the include cases use are fine by themselves (their defects come from
    # how a flow includes them) ...
    code, out, err = validate(*sorted((BROKEN / "parts").glob("*.yaml")))
    assert (code, err) == (0, ""), err
    # ... and a part is checked as a part: its own keys, ids and references.
    bad = tmp_path / "bad-part.yaml"
    bad.write_text((BROKEN / "parts" / "tiny-part.yaml").read_text()
                   .replace("disclosures: [labor]", "disclosures: [labour]"), encoding="utf-8")
    code, _, err = validate(bad)
    assert code == 1 and "bad-part.yaml:13: works_for_other.indicates_on_yes: unknown " \
        "disclosures entry 'labour'" in err and "did you mean 'labor'?" in err


def test_the_shipped_script_validates_when_given_as_a_path(validate):
    code, out, err = validate(ROOT / "flows" / "scripts" / "confidentiality.yaml")
    assert (code, err) == (0, "")
    assert out.startswith("ok: 1 file checked")


def test_worker_text_and_guidance_may_use_the_legal_terms(validate):
    path = VALID / "worker_words_ok.yaml"
    text = path.read_text(encoding="utf-8")
    assert "victim of trafficking" in text and "audience: worker" in text  # still tests this
    code, out, err = validate(path)
    assert (code, err) == (0, ""), err
    assert out.startswith("ok: 1 file checked")


def test_the_reference_may_use_the_legal_terms_since_it_is_shown_only_on_request(validate):
    path = VALID / "reference_in_legal_terms.yaml"
    assert "victim" in path.read_text(encoding="utf-8")
    code, out, err = validate(path)
    assert (code, err) == (0, ""), err


@pytest.mark.parametrize("flow", ["youth.yaml", "runaway-return.yaml", "labor-criminal.yaml"])
def test_a_flow_copied_out_of_flows_finds_its_includes_in_the_shipped_flows(validate, tmp_path,
                                                                            flow):
    """A county adapting a shipped flow copies it elsewhere: `include: youth.yaml` and
    `include: parts/labor-criminal.yaml` are then found among the shipped flows."""
    text = (ROOT / "flows" / flow).read_text(encoding="utf-8")
    copy = tmp_path / f"county-{flow}"
    copy.write_text(re.sub(r"^id: .*$", "id: county-copy", text, count=1, flags=re.MULTILINE),
                    encoding="utf-8")
    code, out, err = validate(copy)
    assert (code, err) == (0, ""), err
    if "include: parts/labor-criminal.yaml" not in text:
        return
    # A file beside the copy still comes first: a broken local part is reported as such.
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "labor-criminal.yaml").write_text("part: broken\n", encoding="utf-8")
    code, _, err = validate(copy)
    assert code == 1 and "labor-criminal.yaml" in err


def _caregiver_copy(tmp_path, old: str, new: str, name: str = "county-caregiver.yaml",
                   flow: str = "caregiver") -> Path:
    """A shipped flow (the caregiver's unless named) copied out of flows/ (as a county would)
    with one change."""
    text = (ROOT / "flows" / f"{flow}.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = re.sub(r"^id: .*$", f"id: county-{flow}", text.replace(old, new), count=1,
                  flags=re.MULTILINE)
    copy = tmp_path / name
    copy.write_text(text, encoding="utf-8")
    return copy


SUBSTANCES_GUIDANCE = "Ask what, how often and who provides them."


def test_the_caregiver_sees_the_screen_so_its_guidance_may_not_name_exploiters(validate,
                                                                              tmp_path):
    """The caregiver sits beside the worker and may be the one exploiting the child (audit
    finding 4): a guidance shown on the card by default that says what exploiters do is
    refused, although the flow has no `gate`; the shipped flow, whose questions are the
    policy's verbatim ("familial history of CSEC or trafficking"), passes."""
    shipped = ROOT / "flows" / "caregiver.yaml"
    assert "CSEC or trafficking" in shipped.read_text(encoding="utf-8")
    code, out, err = validate(shipped)
    assert (code, err) == (0, ""), err
    copy = _caregiver_copy(tmp_path, SUBSTANCES_GUIDANCE,
                           "Exploiters often use dependency to control youth.")
    code, out, err = validate(copy)
    assert code == 1
    assert ("step 'cg_substances': on-screen (the caregiver may see it) guidance uses "
            "'Exploiters'") in err, err
    assert "reference:" in err  # the fix says where the policy's terms go


@pytest.mark.parametrize("old,new,found", [
    # what tells the caregiver what the worker is looking for: indicators, the chart's rows
    (SUBSTANCES_GUIDANCE, "Indicator H counts only some drugs.", "'Indicator'"),
    (SUBSTANCES_GUIDANCE, "Only repeated running away is chronic.", "'chronic'"),
    (SUBSTANCES_GUIDANCE, "This is the row “History of, or currently has, substance use\n"
     "          disorder”.", "the chart's row 27 (“History of, or currently has, substance use "
     "disorder”)"),
    # and the youth word list: a label of the child in a cue label the card shows
    ('label: "Misses school often without an excuse"\n            indicates: {at_risk: [F]}\n'
     "          - id: unexplained_absences\n            label: \"Absences from school the "
     "caregiver cannot explain\"\n            context: \"Unexplained absences from school (003 "
     "indicator)\"\n        source: \"003 § Interviewing Questions for Caregivers\"\n"
     "      - id: cg_secretive",
     'label: "Misses school often (frequently truant)"\n            indicates: {at_risk: [F]}\n'
     "          - id: unexplained_absences\n            label: \"Absences from school the "
     "caregiver cannot explain\"\n            context: \"Unexplained absences from school (003 "
     "indicator)\"\n        source: \"003 § Interviewing Questions for Caregivers\"\n"
     "      - id: cg_secretive", "cue frequently_truant uses 'truant'"),
])
def test_the_caregivers_card_names_no_indicator_chart_row_or_label(validate, tmp_path, old,
                                                                   new, found):
    code, out, err = validate(_caregiver_copy(tmp_path, old, new))
    assert code == 1 and found in err, err
    assert "the caregiver may see it" in err


def test_every_row_of_the_chart_is_refused_on_the_caregivers_card(validate, tmp_path):
    """Each label of the Red Flags chart, quoted in a caregiver guidance (with its line broken
    where YAML folds it, and a straight apostrophe for the chart's curly one), in files of their
    own checked by one run, each refusal named by file."""
    labels = re.findall(r'label: "(.+)"\}$', (ROOT / "flows" / "catalog" / "red-flags.yaml")
                        .read_text(encoding="utf-8"), re.MULTILINE)
    assert len(labels) == 39
    copies = {}
    for row, label in enumerate(labels, 1):
        quoted = label.replace("\u2019", "'").replace(" ", "\n          ", 1).replace('"', "'")
        copy = _caregiver_copy(tmp_path, SUBSTANCES_GUIDANCE, f"Row: {quoted}.",
                               name=f"row{row}.yaml")
        copy.write_text(copy.read_text(encoding="utf-8").replace(
            "id: county-caregiver", f"id: county-caregiver-{row}"), encoding="utf-8")
        copies[copy.name] = label
    code, out, err = validate(*(tmp_path / name for name in copies))
    assert code == 1
    for name in copies:
        row = int(name.removeprefix("row").removesuffix(".yaml"))
        line = next((l for l in err.splitlines() if f"/{name}:384: " in l), "")
        assert "step 'cg_substances': on-screen (the caregiver may see it) guidance uses " in line
        assert f"the chart's row {row} (“{copies[name]}”)" in line, err


YOUTH_DRUGS_GUIDANCE = "youth's drug use and dependency to control them (003)."
CLOTHING_HINT = 'hint: "Dressed much older than their age, or in revealing clothes"'


@pytest.mark.parametrize("old,new,found", [
    (YOUTH_DRUGS_GUIDANCE, YOUTH_DRUGS_GUIDANCE + " Indicator H counts only some drugs.",
     "step 'further_drugs_alcohol': on-screen (a youth may see it) guidance uses 'Indicator'"),
    (YOUTH_DRUGS_GUIDANCE, YOUTH_DRUGS_GUIDANCE + " Only repeated running away is chronic.",
     "guidance uses 'chronic'"),
    # the checklist of what the worker saw, open (ctrl+o) while the youth is in the room
    (CLOTHING_HINT, 'hint: "Provocative, sexualized clothing"',
     "step 'observations': on-screen (a youth may see it) item sexualized_clothing uses the "
     "chart's row 3 (“Provocative, sexualized clothing”)"),
])
def test_the_youth_sees_the_screen_so_its_card_names_no_indicator_or_chart_row(
        validate, tmp_path, old, new, found):
    """The youth may read the card over the worker's shoulder, as a caregiver may: "Indicator
    H" and the chart's rows belong in `reference:` (F2) or in a section opened out of view. The
    shipped youth flow passes (it did not before: its guidance said "Indicator H" twice, and
    its checklist of what the worker saw quoted two of the chart's rows)."""
    code, out, err = validate(ROOT / "flows" / "youth.yaml")
    assert (code, err) == (0, ""), err
    code, out, err = validate(_caregiver_copy(tmp_path, old, new, "county-youth.yaml", "youth"))
    assert code == 1 and found in err, err


def test_the_caregiver_flow_may_name_them_in_the_reference_shown_only_on_f2(validate, tmp_path):
    copy = _caregiver_copy(tmp_path, "Debt bondage is coercion.",
                           "Debt bondage is coercion. Exploiters often use debts; indicator, "
                           "chronic, red flag, CSE: Chronic runaway behavior from home/placement.")
    code, out, err = validate(copy)
    assert (code, err) == (0, ""), err


def test_a_word_that_merely_contains_a_label_is_fine_for_a_youth(validate, tmp_path):
    path = tmp_path / "grapes.yaml"
    path.write_text(tiny_flow("grapes", question="Would you like some grapes or some water?"),
                    encoding="utf-8")
    code, out, err = validate(path)
    assert (code, err) == (0, ""), err


def _youth_words() -> list[str]:
    text = (ROOT / "flows" / "catalog" / "youth-words.yaml").read_text(encoding="utf-8")
    return re.findall(r"^  - (.+)$", text, re.MULTILINE)


@pytest.mark.parametrize("word", _youth_words())
def test_every_listed_word_is_refused_in_a_youth_question_and_allowed_for_the_worker(
        validate, tmp_path, word):
    """The word and its plural, each in files of its own; the files one run of `validate`
    checks together (the shipped content is loaded once a run), each refusal named by file."""
    youth, shown, worker = {}, {}, {}
    for said, suffix in ((word, ""), (word + "s", "s")):
        youth[said] = tmp_path / f"youth_word{suffix}.yaml"
        youth[said].write_text(tiny_flow(f"youth_word{suffix}",
                                         question=f"Has anyone talked to you about {said}?"),
                               encoding="utf-8")
        worker[said] = tmp_path / f"worker_word{suffix}.yaml"
        worker[said].write_text(tiny_flow(f"worker_word{suffix}", audience="worker", gated=False,
                                          question=f"Did the youth talk about {said}?"),
                                encoding="utf-8")
        shown[said] = tmp_path / f"shown_word{suffix}.yaml"
        shown[said].write_text(tiny_flow(f"shown_word{suffix}", audience="worker",
                                         question=f"Did the youth talk about {said}?"),
                               encoding="utf-8")
    code, _, err = validate(*youth.values(), *shown.values())
    assert code == 1, f"{word!r} was accepted in a youth question"
    for said in youth:
        expected = (f"{youth[said].name}:17: step 'where_staying': youth-facing text uses "
                    f"{said!r}")
        assert expected in err, f"{said!r} was accepted in a youth question:\n{err}"
        # ...nor on the screen of an interview with the youth, who may see it.
        expected = (f"{shown[said].name}:17: step 'where_staying': on-screen (a youth may see "
                    f"it) text uses {said!r}")
        assert expected in err, f"{said!r} was accepted on a youth's screen:\n{err}"
    # With no youth present (no gate: a caregiver or hotline flow), the worker may use it.
    code, _, err = validate(*worker.values())
    assert (code, err) == (0, ""), f"{word!r} or its plural refused for the worker:\n{err}"


@pytest.mark.parametrize("disguised,seen", [
    ("vісtim", "victim"),            # a Cyrillic і and с
    ("VΙCTΙM", "victim"),            # Greek capital iotas
    ("vic\u200btim", "victim"),      # a zero-width space inside the word
    ("ｖｉｃｔｉｍ", "victim"),        # full-width letters
    ("trаffiсkеd", "trafficked"),    # Cyrillic а, с, е
    ("pimp\u00ads", "pimps"),        # a soft hyphen
])
def test_a_label_disguised_by_look_alike_or_invisible_letters_is_refused(validate, tmp_path,
                                                                         disguised, seen):
    """Someone with the files cannot slip a label past `validate` with letters that look the
    same on a screen: the message names the word as a reader sees it."""
    path = tmp_path / "disguised.yaml"
    path.write_text(tiny_flow("disguised", question=f"Has anyone talked to you about {disguised}?"),
                    encoding="utf-8")
    code, _, err = validate(path)
    assert code == 1 and f"youth-facing text uses {seen!r}" in err, err


def _spanish_words() -> list[str]:
    text = (ROOT / "flows" / "catalog" / "youth-words-es.yaml").read_text(encoding="utf-8")
    return re.findall(r"^  - (.+)$", text, re.MULTILINE)


# Both lists: the Spanish one has entries of several words whose every word takes the plural
# ("trabajadoras sexuales"), and entries that start with a letter no ASCII text has.
LISTED = tuple(_youth_words()) + tuple(_spanish_words())
PIECES = st.one_of(
    st.sampled_from(LISTED).flatmap(lambda w: st.sampled_from([
        w, w.upper(), w.title(), w + "s", w + "es", w + "ed", "un" + w,
        w.replace(" ", "s "), w.replace(" ", "es ") + "es", w.replace(" ", "a "),
        # the letters re's IGNORECASE takes for ASCII ones, and a look-alike
        w.replace("i", "ı", 1), w.replace("i", "İ", 1), w.replace("s", "ſ", 1),
        w.replace("k", "\u212a", 1), w.replace("e", "е", 1)])),
    st.sampled_from(["the", "at", "sex", "sexual", "risky", "sexually", "red", "abuse", "use",
                     "a", "survival", "you", "Commercial", "debt", "flagged", "ı", "İ", "ſ",
                     "\u212a", "é", "\u200b", "і", "_", "1"]))
SEPARATORS = st.sampled_from([" ", "  ", "-", ".", "\n", "", ", ", "'", "_", "\u00a0"])


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.tuples(PIECES, SEPARATORS), max_size=8))
def test_the_quick_look_up_finds_what_the_whole_pattern_finds(parts):
    """labelling_words skips the whole pattern for a text none of whose words is listed: it
    must find exactly what the pattern finds, in the same order, for any text."""
    from interview.content import words as w

    text = "".join(piece + sep for piece, sep in parts)
    w._found.cache_clear()
    got = w.labelling_words(text, LISTED)
    seen, listed = (text, LISTED) if text.isascii() else (w.fold(text), w.folded_words(LISTED))
    assert got == [m.group(0) for m in w.words_pattern(listed).finditer(seen)], text


# --- hostile and odd files, made on the fly ------------------------------------------------

def test_a_file_over_1_mib_is_refused_before_it_is_read(validate, tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(tiny_flow("huge") + "# padding\n" * 120_000, encoding="utf-8")
    assert path.stat().st_size > 1024 * 1024
    start = time.perf_counter()
    code, _, err = validate(path)
    assert time.perf_counter() - start < 2.0
    assert code == 1
    problems, count = parse(err)
    assert count == 1 and problems[0]["line"] is None
    assert "huge.yaml: flow file is" in err and "the limit is 1 MiB" in err
    assert "split it into smaller files" in problems[0]["fix"]


def test_deep_nesting_is_refused_cleanly(validate, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
    start = time.perf_counter()
    code, _, err = validate(path)
    assert time.perf_counter() - start < 5.0
    assert code == 1
    problems, count = parse(err)
    assert count == 1
    assert "deep.yaml" in problems[0]["path"] and "nested too deeply" in problems[0]["message"]
    assert problems[0]["fix"] == "flatten the structure"


def test_very_deep_nesting_does_not_crash_the_process(tmp_path):
    # libyaml's composer recurses in C: ~30,000 levels used to kill the process (SIGSEGV).
    # Run in a subprocess so a regression fails this test instead of the whole session.
    path = tmp_path / "deeper.yaml"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run_cli("validate", path)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "deeper.yaml:1: YAML is nested too deeply" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_utf8_is_refused_with_its_line(validate, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(tiny_flow("latin1", title='"Entrevista rápida"').encode("latin-1"))
    code, _, err = validate(path)
    assert code == 1
    problems, count = parse(err)
    assert count == 1
    assert "latin1.yaml:2: flow file is not UTF-8 text (byte " in err
    assert problems[0]["fix"] == "save the file as UTF-8"


def test_a_control_character_is_refused_with_its_line(validate, tmp_path):
    path = tmp_path / "bell.yaml"
    path.write_text(tiny_flow("bell", title='"Tiny\x07 interview"'), encoding="utf-8")
    code, _, err = validate(path)
    assert code == 1
    problems, count = parse(err)
    assert count == 1
    assert "bell.yaml:2: YAML syntax: the control character U+0007 is not allowed" in err
    assert problems[0]["fix"]


def test_a_missing_path_is_reported(validate, tmp_path):
    path = tmp_path / "no_such_flow.yaml"
    code, _, err = validate(path)
    assert code == 1
    problems, count = parse(err)
    assert count == 1
    assert f"{path}: flow file not found" in err
    assert problems[0]["fix"] == "check the path"


def test_a_folder_given_as_a_path_is_reported(validate, tmp_path):
    folder = tmp_path / "flows.yaml"
    folder.mkdir()
    code, _, err = validate(folder)
    assert code == 1
    assert f"{folder}: is a folder, not a flow file" in err


# --- the real entry point ------------------------------------------------------------------

def run_cli(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CSEC_INTERVIEW_COUNTY", None)
    return subprocess.run([sys.executable, "-m", "interview", *(str(a) for a in args)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_python_m_interview_validate_is_the_same_command():
    ok = run_cli("validate")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok: ")
    bad = run_cli("validate", "tests/broken_flows/unknown_red_flag.yaml",
                  "tests/broken_flows/no_gate.yaml")
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert ("tests/broken_flows/unknown_red_flag.yaml:27: food_for_sex.indicates_on_yes: unknown "
            "red flags entry 'survival_sexx'\n    fix: did you mean 'survival_sex'?") in bad.stderr
    assert "tests/broken_flows/no_gate.yaml:2: flow asks the youth questions but has no `gate`" \
        in bad.stderr
    assert bad.stderr.rstrip().endswith("2 problems found; nothing was changed.")


@settings(max_examples=300, deadline=None)
@given(value=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    | st.dates(),
    # a key "<<" is refused even quoted (a merge key never means anything in our content)
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(max_size=8).filter(lambda key: key != "<<"), inner, max_size=4),
    max_leaves=12))
def test_our_yaml_reading_gives_what_pyyaml_s_safe_loader_gives(value):
    """parse_yaml reads text scalars straight off the node (most of what content holds):
    whatever the value, it must be what PyYAML's own safe loading makes of the same file."""
    import yaml

    from interview.content.yamlsafe import parse_yaml

    text = yaml.safe_dump({"value": value}, allow_unicode=True)
    assert parse_yaml(text, "x.yaml") == yaml.safe_load(text)


def _broken_copy(tmp_path, monkeypatch, file: str, old: str, new: str) -> Path:
    """The shipped content copied, with one mistake in `file`, as `validate`'s content."""
    import shutil

    copy = tmp_path / "flows"
    shutil.copytree(Path(__file__).resolve().parent.parent / "flows", copy)
    path = copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("CSEC_INTERVIEW_FLOWS", str(copy))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return copy


@pytest.mark.parametrize("file, old, new, expected", [
    # a tab in the youth interview: not also "runaway-return has no gate", nor "es/youth.yaml
    # translates no flow" (runaway-return includes youth.yaml, lang/es translates it)
    ("youth.yaml", "\n        kind: closed\n        audience: worker\n",
     "\n        kind: closed\n\taudience: worker\n", "youth.yaml"),
    # one duplicate row id in the chart: not also "unknown red flag" for every cue of every flow
    ("catalog/red-flags.yaml", "{row: 2, id: work_explanation_scripted",
     "{row: 2, id: area_associated_with_cse", "duplicate red flag id"),
    # a branch that skips a whole section: one problem for its steps, not one for each (twice)
    ("youth.yaml", '        branch: {"yes": further_areas}',
     '        branch: {"yes": further_areas, "no": further_areas, "declined": further_areas, '
     '"unsure": further_areas}', "14 steps cannot be reached"),
])
def test_one_mistake_in_the_content_is_one_message_not_many(validate, tmp_path, monkeypatch,
                                                            file, old, new, expected):
    """The errors audit's B11: one mistake made many messages, most of them false, and a
    county admin reading 206 of them cannot find the one that matters."""
    _broken_copy(tmp_path, monkeypatch, file, old, new)
    code, _out, err = validate()
    problems, count = parse(err)
    assert code == 1 and expected in err, err
    # the unreachable steps are reported by youth.yaml and by runaway-return, which includes them
    assert count == (2 if "reached" in expected else 1), err
