"""`validate` holds the rules' declarations against the catalogs, and the vocabulary catalog
against the ids the code knows: each broken reference is one clear message, naming the file, the
id and the fix. Each test breaks a copy of the shipped flows (never the flows themselves)."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from interview.content import model as m
from interview.rules import declarations

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "interview" / "rules"


@pytest.fixture
def flows(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped flows, which `validate` then reads instead."""
    copy = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", copy)
    monkeypatch.setenv("CSEC_INTERVIEW_FLOWS", str(copy))
    return copy


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(cli) -> list[str]:
    """validate's messages (each a line, then its `fix:` line), and that it failed."""
    code, out, err = cli("validate")
    assert code != 0 and out == "", (out, err)
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert re.fullmatch(r"\d+ problems? found; nothing was changed\.", lines[-1])
    return [line for line in lines[:-1] if not line.startswith("    fix:")]


def test_the_shipped_content_passes_the_cross_check(cli):
    code, out, err = cli("validate")
    assert code == 0, err


def test_a_next_step_the_rules_propose_missing_from_the_catalog_is_one_message(cli, flows):
    catalog = flows / "catalog" / "next-steps.yaml"
    text = catalog.read_text(encoding="utf-8")
    start = text.index("  - id: notify_csec_coordinator")
    end = text.index("  - id:", start + 1)
    catalog.write_text(text[:start] + text[end:], encoding="utf-8")
    found = problems(cli)
    assert found == [f"{catalog}: the rules can propose next step 'notify_csec_coordinator', "
                     "which the next-step catalog does not have"]


def test_a_catalog_step_no_rule_proposes_is_one_message_on_its_line(cli, flows):
    catalog = flows / "catalog" / "next-steps.yaml"
    with catalog.open("a", encoding="utf-8") as fh:
        fh.write("\n  - id: send_a_postcard\n    action: Send a postcard.\n    who: Anyone\n"
                 "    deadline: No deadline in the source\n    source: \"003 § PROCEDURE\"\n")
    line = catalog.read_text(encoding="utf-8").splitlines().index("  - id: send_a_postcard") + 1
    code, _, err = cli("validate")
    assert code != 0
    assert f"{catalog}:{line}: next step 'send_a_postcard' is one no rule proposes" in err
    assert problems(cli) == [f"{catalog}:{line}: next step 'send_a_postcard' is one no rule "
                             "proposes, so no worker would ever see it"]
    assert "interview/rules/next_steps.py (PRODUCES)" in err


def test_a_renamed_catalog_step_says_both_sides_and_suggests_the_name(cli, flows):
    catalog = flows / "catalog" / "next-steps.yaml"
    rewrite(catalog, "- id: notify_csec_coordinator\n", "- id: notify_the_csec_coordinator\n")
    code, _, err = cli("validate")
    assert "did you mean 'notify_the_csec_coordinator'?" in err
    assert len(problems(cli)) == 2


def test_an_at_risk_indicator_in_a_group_the_rule_does_not_count_is_one_message(cli, flows):
    catalog = flows / "catalog" / "at-risk.yaml"
    rewrite(catalog, "  - id: B\n    group: A-C\n", "  - id: B\n    group: A-D\n")
    line = catalog.read_text(encoding="utf-8").splitlines().index("  - id: B") + 1
    assert problems(cli) == [f"{catalog}:{line}: indicator B: group 'A-D' is not one the "
                             "At-Risk rule counts (A-C, D-H)"]


def test_the_at_risk_groups_come_from_the_catalog(assess, flows):
    """Move F into A-C in the catalog: F alone then meets the definition (one of A-C)."""
    catalog = flows / "catalog" / "at-risk.yaml"
    rewrite(catalog, "  - id: F\n    group: D-H\n", "  - id: F\n    group: A-C\n")
    case = {"flow": "youth", "overrides": [
        {"finding": "at_risk:F", "decision": "confirm", "reason": "caseworker's knowledge"}]}
    result = assess(case)["at_risk"]
    assert (result["met"], result["branch"]) == (True, "A-C")


def test_a_red_flag_the_rules_read_missing_from_the_chart_is_one_message(cli, monkeypatch):
    from interview.rules import screening

    monkeypatch.setitem(screening.RED_FLAG_CRITERIA, "chronic_runaways", "chronically_on_the_run")
    found = problems(cli)
    assert len(found) == 1 and found[0].endswith(
        "red-flags.yaml: the rules read red flag 'chronic_runaways', which the chart does not "
        "have")
    assert "did you mean 'chronic_runaway'?" in cli("validate")[2]


def test_a_case_fact_the_rules_read_that_no_flow_can_record_is_one_message(cli, monkeypatch):
    from interview.rules import allegations

    monkeypatch.setattr(allegations, "FACTS", ("caregiver_failed_to_protect", "caregiver_faild"))
    found = problems(cli)
    assert len(found) == 1 and found[0].endswith(
        "model.py: the rules read case fact 'caregiver_faild', which no flow can record")


def test_a_vocabulary_missing_a_label_the_rules_use_is_one_message(cli, flows):
    catalog = flows / "catalog" / "vocabulary.yaml"
    rewrite(catalog, "  - {id: probation, label: Probation}\n", "")
    found = problems(cli)
    assert len(found) == 1 and found[0].startswith(f"{catalog}:")
    assert found[0].endswith("vocabulary: jurisdictions has no 'probation'")


def test_a_vocabulary_id_the_code_does_not_know_is_one_message_with_a_suggestion(cli, flows):
    catalog = flows / "catalog" / "vocabulary.yaml"
    rewrite(catalog, "{id: in_foster_care, label: In foster care,",
            "{id: in_foster_cares, label: In foster care,")
    code, _, err = cli("validate")
    found = problems(cli)
    assert any("case_statuses has an unknown id 'in_foster_cares'" in p for p in found)
    assert any("case_statuses has no 'in_foster_care'" in p for p in found)
    assert len(found) == 2 and "did you mean 'in_foster_care'?" in err


def test_a_reworded_label_reaches_the_findings(assess, flows):
    """The words are the catalog's: change one there and `assess` says the new one."""
    catalog = flows / "catalog" / "vocabulary.yaml"
    rewrite(catalog, "label: Victim Before Foster Care}", "label: Victim Before Care (test)}")
    from interview.content.vocabulary import vocabulary

    case = {"flow": "youth", "context": {"case_status": "no_open_case"},
            "answers": {"spec_paid_for_sex": "yes"}}
    try:
        found = assess(case)
        assert found["csec_type"]["label"] == "Victim Before Care (test)"
    finally:  # the next test's library is the shipped one again
        from interview.content.loader import load_library

        load_library(ROOT / "flows")
    assert vocabulary().label("csec_types", "victim_before_foster_care") == \
        "Victim Before Foster Care"


# --- the declarations tell the truth about the code ---------------------------------------------

def _module(name: str) -> ast.Module:
    return ast.parse((RULES / f"{name}.py").read_text(encoding="utf-8"))


def test_produces_lists_exactly_the_next_steps_the_rules_write():
    """Every `("step_id", reason)` pair in next_steps.py is declared, and nothing else."""
    written = {node.elts[0].value for node in ast.walk(_module("next_steps"))
               if isinstance(node, ast.Tuple) and len(node.elts) == 2
               and isinstance(node.elts[0], ast.Constant) and isinstance(node.elts[0].value, str)
               and re.fullmatch(r"[a-z][a-z0-9_]*", node.elts[0].value)}
    assert written == set(declarations()["next_steps"])


# Context properties the rules read, and the case facts behind each (interview/record.py).
DERIVED = {"today": {"interview_date"}, "age_years": {"date_of_birth", "age", "interview_date"},
           "child_welfare_services": {"receiving_child_welfare_services", "case_status"},
           "in_child_welfare": {"receiving_child_welfare_services", "case_status"}}


def test_the_facts_declared_cover_every_case_fact_the_rules_read():
    read: set[str] = set()
    for path in RULES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and (
                    (isinstance(node.value, ast.Name) and node.value.id == "context")
                    or (isinstance(node.value, ast.Attribute) and node.value.attr == "context")):
                read |= DERIVED.get(node.attr, {node.attr})
    assert read, "the rules read case facts"
    assert read <= set(declarations()["facts"]), read - set(declarations()["facts"])
    assert set(declarations()["facts"]) <= set(m.FACT_TYPES)


# --- the case-facts form follows the flow's `fields:` ----------------------------------------

def test_the_case_facts_form_shows_the_flows_fields_and_the_catalogs_words(tmp_path):
    import asyncio

    from textual.widgets import Select

    from interview.app.app import InterviewApp
    from interview.content.loader import load_library

    copy = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", copy)
    youth = copy / "youth.yaml"
    rewrite(youth, "          - absence\n          - foreign_national\n",
            "          - foreign_national\n")
    rewrite(youth, "          - caregiver_failed_to_protect\n          - exploited_during\n",
            "          - exploited_during\n")
    library, found = load_library(copy)
    assert not found, found
    try:
        async def go():
            app = InterviewApp(flow_id="youth", library=library)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.press("enter")                      # the case facts form
                await pilot.pause()
                form = app.screen
                hidden = {w: not form.query_one(f"#{w}").parent.display
                          for w in ("absence_left", "caregiver_failed_to_protect", "case_status",
                                    "foreign_national")}
                assert hidden == {"absence_left": True, "caregiver_failed_to_protect": True,
                                  "case_status": False, "foreign_national": False}
                options = [label for label, _ in form.query_one("#exploited_during",
                                                                Select)._options[1:]]
                assert options == [t.label for t in library.vocabulary.exploited_during.values()]
                facts = form.values()
                assert "absence" not in facts and "caregiver_failed_to_protect" not in facts
                assert "case_status" in facts
        asyncio.run(go())
    finally:
        load_library(ROOT / "flows")
