"""The content says what the sources say: verbatim questions, the whole chart, real citations."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import DOMAIN

QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(QUOTES)).strip()


def source_list(seeds, start: str, end: str) -> list[str]:
    """The bullet items of 003 between two headings, as printed in the source."""
    text = (seeds / "003_abb68552f189792e.txt").read_text()
    body = text[text.index(start):text.index(end, text.index(start) + len(start))]
    return [norm(line.lstrip("· ")) for line in body.splitlines()[1:]
            if line.strip().startswith("·")]


def texts(library, flow_id: str, section: str) -> list[str]:
    flow = library.flows[flow_id]
    return [norm(flow.by_id[s].text) for s in flow.section_by_id[section].steps
            if flow.by_id[s].audience != "worker"]


def test_the_13_open_ended_questions_are_verbatim_and_in_order(library, seeds):
    expected = source_list(seeds, "The use of open-ended questions", "If the youth is not forthcoming")
    assert len(expected) == 13
    assert texts(library, "youth", "open_ended") == expected


def test_the_csec_types_are_named_as_cws_cms_names_them(library, seeds):
    """The names a worker picks in the CSEC Data Grid, verbatim from 001 (its table breaks
    names over lines): "Absence", "Rcv ILP Svcs" (audit of the documents, L1)."""
    table = norm((seeds / "001_40f7815cd0531418.txt").read_text()).lower()
    for kind in library.vocabulary.kinds["csec_types"].values():
        if kind.id != "undetermined":
            assert norm(kind.label).lower() in table, kind.label


def test_the_14_specific_questions_are_verbatim_and_in_order(library, seeds):
    expected = source_list(seeds, "If the youth is not forthcoming", "Interviewing Questions for Caregivers")
    assert len(expected) == 14
    assert texts(library, "youth", "specific") == expected


def test_the_21_caregiver_questions_are_verbatim_and_in_order(library, seeds):
    expected = source_list(seeds, "Interviewing Questions for Caregivers", "Collateral Contacts")
    assert len(expected) == 21
    assert texts(library, "caregiver", "questions") == expected


def test_specific_questions_come_after_open_ended_and_are_offered_by_the_worker(library):
    flow = library.flows["youth"]
    last_open = max(flow.by_id[s].index for s in flow.section_by_id["open_ended"].steps)
    first_specific = min(flow.by_id[s].index for s in flow.section_by_id["specific"].steps)
    offer = flow.by_id["specific_offer"]
    assert last_open < offer.index < first_specific
    assert offer.audience == "worker"
    # "forthcoming" skips the specific questions; any other answer goes on to them.
    assert flow.resolve_target(dict(offer.branch)["yes"]) not in flow.section_by_id["specific"].steps


def test_the_near_duplicate_specific_question_keeps_both_wordings(library):
    flow = library.flows["youth"]
    variants = [s for s in flow.steps if s.variant_of]
    assert any("worked, or done other things, in a place" in s.text for s in variants)
    assert all(flow.by_id[s.variant_of].index < s.index for s in variants)


def test_every_open_ended_youth_question_has_cues_that_indicate_something(library):
    for sid in library.flows["youth"].section_by_id["open_ended"].steps:
        step = library.flows["youth"].by_id[sid]
        assert step.cues, sid
        assert any(c.indicates for c in step.cues), sid


def test_basic_needs_and_rapport_come_before_the_confidentiality_script(library):
    flow = library.flows["youth"]
    gate = flow.by_id[flow.gate]
    basic = flow.section_by_id["basic_needs"].steps
    assert all(flow.by_id[s].index < gate.index for s in basic)
    assert all(flow.by_id[s].kind == "script" for s in basic)  # never a question before the gate


def domain_chart() -> list[tuple[int, str, set[str]]]:
    text = DOMAIN.read_text()
    section = text[text.index("## 4. The Red Flags chart"):text.index("## 5.")]
    rows = []
    for line in section.splitlines():
        m = re.match(r"^\| (\d+) \|( X |   | )\|( X |   | )\|( X |   | )\| (.+) \|$", line)
        if m:
            cols = {c for c, mark in zip(("sex_trafficking", "labor", "criminal_activity"),
                                         m.group(2, 3, 4)) if "X" in mark}
            rows.append((int(m.group(1)), m.group(5), cols))
    return rows


def test_the_red_flag_chart_has_all_39_rows_with_their_columns(library, seeds, cli):
    import json

    code, out, _ = cli("red-flags", "--json")
    chart = {row["row"]: row for row in json.loads(out)}
    expected = domain_chart()
    assert len(expected) == 39 and sorted(chart) == list(range(1, 40))
    source = norm((seeds / "003_abb68552f189792e.txt").read_text())
    for number, label, columns in expected:
        row = chart[number]
        assert norm(row["label"]) == norm(label).replace("staling", "stealing"), number
        assert set(row["columns"]) == columns, number
        # The label is the source's own (row 29's "staling" is the source's typo for "stealing").
        assert norm(row["label"]).replace("stealing", "staling") in source, number
        assert row["source"].startswith("003 § Red Flags")


def all_sources(library):
    for flow in library.flows.values():
        yield flow.path.name, flow.source
        for step in flow.steps:
            yield f"{flow.id}.{step.id}", step.source
    for script in library.scripts.values():
        yield script.id, script.source
        for part in script.parts:
            yield f"{script.id}.{part.covers}", part.source
    for spec in library.next_steps.values():
        yield f"next step {spec.id}", spec.source
    for flag in library.red_flags.values():
        yield f"red flag {flag.id}", flag.source
    from interview.rules import allegations

    for name in ("CATEGORIES_SOURCE", "FORMS_SOURCE", "DISPOSITION_SOURCE"):
        yield f"allegations.{name}", getattr(allegations, name)


def test_every_citation_names_a_heading_that_is_in_the_cited_document(library, seeds):
    docs = {p.name[:3]: norm(p.read_text()).lower() for p in seeds.glob("00*.txt")}
    missing = []
    for where, source in all_sources(library):
        doc, _, rest = source.partition(" § ")
        heading = norm(rest.split(" › ")[0]).lower()
        if heading not in docs[doc]:
            missing.append(f"{where}: {source}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("county", ["default", "los-angeles", "orange"])
def test_each_shipped_county_loads_and_fills_the_next_steps(county, cli, tmp_path):
    import json

    case = tmp_path / "c.json"
    case.write_text(json.dumps({"flow": "youth", "answers": {
        "confidentiality_script": "yes", "spec_paid_for_sex": "yes"}}))
    code, out, err = cli("--county", county, "assess", case, "--json")
    assert code == 0, err
    actions = " ".join(step["action"] for step in json.loads(out)["next_steps"])
    assert "{" not in actions
    if county == "los-angeles":
        assert "Child Protection Hotline" in actions and "DREAM Court" in actions
    if county == "orange":
        assert "Child Abuse Registry" in actions


def test_the_caregiver_framing_names_the_chosen_county(cli):
    code, out, _ = cli("--county", "orange", "questions", "caregiver", "--json")
    import json

    framing = next(s for s in json.loads(out) if s["id"] == "caregiver_framing")
    assert "Orange County" in framing["text"] and "{county_name}" not in framing["text"]


COUNTY = """id: testshire
name: Testshire County
hotline_name: Testshire Hotline
hotline_phone: "(555) 010-0000"
specialized_court: Testshire Youth Court
advocacy_provider: Testshire Advocates
csec_unit: Testshire CSEC Unit
source: "002 § II. Identification"
confidentiality_script: our-script.yaml
"""

SCRIPT = """id: confidentiality
title: Our county's script
source: "000 § Identification of CSE"
parts:
"""


def part(covers: str, text: str) -> str:
    return f'  - {{covers: {covers}, text: "{text}", source: "000 § Identification of CSE"}}\n'


def test_a_county_replaces_the_confidentiality_script_without_code(tmp_path, cli):
    import json

    (tmp_path / "testshire.yaml").write_text(COUNTY)
    (tmp_path / "our-script.yaml").write_text(SCRIPT + "".join(
        part(c, f"Testshire words about {c}.") for c in
        ("sharing", "must_report", "purpose", "results_access", "choices")))
    code, out, err = cli("--county", tmp_path / "testshire.yaml", "questions", "youth", "--json")
    assert code == 0, err
    script = next(s for s in json.loads(out) if s["id"] == "confidentiality_script")
    assert script["text"].startswith("Testshire words about sharing.")


def test_a_county_script_must_still_cover_every_point_and_use_no_labels(tmp_path, cli):
    (tmp_path / "testshire.yaml").write_text(COUNTY)
    (tmp_path / "our-script.yaml").write_text(SCRIPT + part("sharing", "We share with the team.")
                                              + part("choices", "Victims can skip questions."))
    code, _, err = cli("--county", tmp_path / "testshire.yaml", "validate")
    assert code == 1
    assert "does not cover: must_report, purpose, results_access" in err
    assert "'Victims'" in err


def test_a_next_step_with_an_unknown_placeholder_is_refused(tmp_path, cli):
    from conftest import ROOT

    text = (ROOT / "flows" / "catalog" / "next-steps.yaml").read_text()
    broken = tmp_path / "next-steps.yaml"
    broken.write_text(text.replace("{advocacy_provider}", "{advocate}"))
    code, _, err = cli("validate", broken)
    assert code == 1 and "unknown placeholder {advocate}" in err and "{advocacy_provider}" in err


def test_the_content_cache_is_private_current_and_never_trusted_blindly(tmp_path, monkeypatch):
    import os
    import pickle

    from interview.content import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = cache.load("orange")
    files = list((tmp_path / "csec-interview").glob("library-*.pickle"))
    assert len(files) == 1
    assert (tmp_path / "csec-interview").stat().st_mode & 0o777 == 0o700
    assert files[0].stat().st_mode & 0o777 == 0o600
    assert cache.load("orange").county.name == first.county.name == "Orange County"
    # A different county is a different key; a garbage cache file falls back to the YAML.
    files[0].write_bytes(b"not a pickle")
    assert cache.load("orange").county.name == "Orange County"
    # A cache folder others can write to is not trusted: its file is never unpickled.
    evil = tmp_path / "csec-interview" / files[0].name
    evil.write_bytes(pickle.dumps("not a library"))
    os.chmod(tmp_path / "csec-interview", 0o777)
    assert cache.load("orange").county.name == "Orange County"


def test_commands_read_the_content_cache_and_see_an_edit_at_once(tmp_path, monkeypatch, cli):
    """`assess`, `questions` and the rest read the cached content as the app does; an edited
    flow is read again at once, and a broken one is refused, not served from the cache."""
    import shutil

    from interview.content import cache

    copy = tmp_path / "flows"
    shutil.copytree(Path(__file__).resolve().parent.parent / "flows", copy)
    monkeypatch.setenv("CSEC_INTERVIEW_FLOWS", str(copy))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code, out, _ = cli("questions", "caregiver")
    assert code == 0
    assert len(list((tmp_path / "cache" / "csec-interview").glob("library-*.pickle"))) == 1
    flow = copy / "caregiver.yaml"
    first = next(line for line in flow.read_text(encoding="utf-8").splitlines()
                 if line.strip().startswith("text: ") and line.strip()[6:].strip("\"'") in out)
    text = first.strip()[6:].strip("\"'")
    flow.write_text(flow.read_text(encoding="utf-8").replace(text, "An edited question?", 1),
                    encoding="utf-8")
    code, out, _ = cli("questions", "caregiver")
    assert code == 0 and "An edited question?" in out and text not in out
    flow.write_text(flow.read_text(encoding="utf-8") + "\n  - {{ not yaml\n", encoding="utf-8")
    code, out, err = cli("questions", "caregiver")
    assert code != 0 and "caregiver.yaml" in err and "Traceback" not in err


def test_the_app_refuses_broken_content_before_it_asks_for_the_passphrase(tmp_path,
                                                                           monkeypatch, cli):
    """The errors audit's B7: with a red flag mistyped in a flow, `csec-interview` asked for the
    passphrase, listed the interviews and refused only the one chosen. It is one message naming
    the file, and exit 1, before anything else (here, before "needs a terminal")."""
    import shutil

    copy = tmp_path / "flows"
    shutil.copytree(Path(__file__).resolve().parent.parent / "flows", copy)
    monkeypatch.setenv("CSEC_INTERVIEW_FLOWS", str(copy))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code, _, err = cli("--store", str(tmp_path / "store"))
    assert code == 1 and "needs a terminal" in err     # the content is fine: on to the next
    flow = copy / "caregiver.yaml"
    text = flow.read_text(encoding="utf-8")
    assert "red_flags: [older_adult_relationships]" in text
    flow.write_text(text.replace("red_flags: [older_adult_relationships]",
                                 "red_flags: [older_adult_relationship]", 1), encoding="utf-8")
    code, out, err = cli("--store", str(tmp_path / "store"))
    assert code == 1 and "caregiver.yaml" in err and "older_adult_relationship" in err, err
    assert "needs a terminal" not in err and "Traceback" not in err
    assert not (tmp_path / "store").exists()


def test_the_content_cache_keeps_one_file_per_county_and_checkout(tmp_path, monkeypatch):
    """Two counties (or two installs) on one computer do not evict each other at every start;
    a place's stale cache goes, and no more than cache.KEPT are kept."""
    from interview.content import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "csec-interview"
    cache.load("orange")
    (orange,) = folder.glob("library-*.pickle")
    cache.load(None)
    (default,) = set(folder.glob("library-*.pickle")) - {orange}
    place = orange.name.split("-")[1]
    # another version of the same place's content: the old one goes when the new is written
    stale = orange.rename(folder / f"library-{place}-{'0' * 32}.pickle")
    assert cache.load("orange").county.name == "Orange County"
    assert set(folder.glob("library-*.pickle")) == {orange, default}
    for n in range(cache.KEPT + 3):  # caches of other places, older than these two
        other = folder / f"library-{n:016x}-{'1' * 32}.pickle"
        other.write_bytes(b"")
        os.utime(other, ns=(n, n))
    orange.unlink()
    cache.load("orange")
    kept = set(folder.glob("library-*.pickle"))
    assert len(kept) == cache.KEPT and {orange, default} <= kept and not stale.exists()


def test_a_full_disk_while_caching_costs_time_only(tmp_path, monkeypatch, cli):
    """The cache cannot be written (the disk is full half-way): the command answers from the
    YAML, and no half-written cache file is left to be read later."""
    import errno

    from interview.content import cache

    def half_then_full(obj, fh, protocol=None):
        fh.write(b"\x80\x05half a pickle")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(cache.pickle, "dump", half_then_full)
    code, out, err = cli("questions", "caregiver")
    assert code == 0 and err == "" and "Caregiver" in out
    assert list((tmp_path / "csec-interview").iterdir()) == []
