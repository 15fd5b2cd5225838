"""The sealed per-interview summary that lets `aggregate` skip replaying events (issue 15):
it must say nothing in the clear, and a summary that is altered, moved, put back from a backup
or stale (the interview changed after it was written) must never be counted: the county table
then comes from replaying the events, exactly as it would without any summary."""

from __future__ import annotations

import json
import shutil

import pytest

from interview.engine.session import replay_record
from interview.reports.aggregate import county_table, from_store, screening
from interview.rules import evaluate
from interview.storage.saved import SavedSession
from interview.storage.store import Store
from interview.storage.summary import SUMMARY_BYTES
from stores import FAST_N

PASSPHRASE = "a passphrase for summaries"
BASE = {"interview_date": "2025-09-03", "date_of_birth": "2010-06-14",
        "case_status": "in_foster_care"}
DISCLOSED = {"confidentiality_script": "yes", "spec_paid_for_sex": "yes"}
NOTHING = {"confidentiality_script": "yes", "spec_paid_for_sex": "no"}


@pytest.fixture
def store(tmp_path):
    Store.create(tmp_path / "store", PASSPHRASE, n=FAST_N)
    opened = Store(tmp_path / "store")
    opened.unlock(PASSPHRASE)
    return opened


def run(cli, tmp_path, store, case_id, answers, context=BASE) -> str:
    """Save one fictional interview with `run` (which closes it, writing its summary)."""
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    path = tmp_path / f"{case_id}.json"
    path.write_text(json.dumps({"flow": "youth", "context": {**context, "case_id": case_id},
                                "answers": answers}))
    before = set(store.session_ids())
    code, _, err = cli("run", "youth", "--answers", path, "--store", store.path,
                       "--passphrase-file", tmp_path / "pw")
    assert code == 0, err
    (new,) = set(store.session_ids()) - before
    return new


def replayed(library, store) -> dict:
    """The table as replaying every event makes it: what any summary must agree with."""
    found = []
    for session_id in store.session_ids():
        log = store.open_session(session_id, writable=False)
        record = replay_record(library, log.flow, log.events)
        found.append(screening(library, record, evaluate(library, record), None, session_id))
    return county_table(found).as_json()


def table(library, store) -> dict:
    screenings, skipped = from_store(library, store)
    assert not skipped
    return county_table(screenings).as_json()


def summary_file(store, session_id):
    return store.sessions_dir / session_id / "summary"


def add_disclosure_without_closing(library, store, session_id) -> None:
    """More answers saved, then the program stops before it closes the interview (as a crash
    or a kill would): the summary on disk is now that of fewer events."""
    saved = SavedSession.resume(store, library, session_id)
    saved.session.jump("spec_paid_for_sex")
    saved.session.answer("yes")
    saved.log.close()  # not saved.close(): no new summary


def test_every_summary_is_one_size_and_says_nothing_in_the_clear(cli, tmp_path, store, library):
    quiet = run(cli, tmp_path, store, "EXAMPLE-SUMMARY-QUIET", NOTHING)
    loud = run(cli, tmp_path, store, "EXAMPLE-SUMMARY-" + "X" * 150, {
        **DISCLOSED, "open_staying": {"text": "x", "cues": ["no_stable_place"]},
        "open_school": {"text": "x", "cues": ["rarely_goes"]}})
    for session_id in (quiet, loud):
        data = summary_file(store, session_id).read_bytes()
        assert len(data) == SUMMARY_BYTES
        for clear in (b"EXAMPLE", b"victim", b"at_risk", b"basic_needs", b"2025-09-03"):
            assert clear not in data
    assert store.read_summary(quiet) and store.read_summary(loud)
    assert table(library, store) == replayed(library, store)
    # Data too large to fit still leaves a file of the same size (its absence would tell),
    # holding nothing to count: that interview is replayed.
    log = store.open_session(quiet, writable=False)
    assert log.write_summary({"child": "case:" + "X" * SUMMARY_BYTES})
    assert len(summary_file(store, quiet).read_bytes()) == SUMMARY_BYTES
    assert store.read_summary(quiet) == {}
    assert table(library, store) == replayed(library, store)
    assert store.read_summary(quiet)  # replayed, and summarized again


def test_a_summary_moved_to_another_interview_or_altered_is_not_counted(cli, tmp_path, store,
                                                                         library):
    disclosed = run(cli, tmp_path, store, "EXAMPLE-A", DISCLOSED)
    quiet = run(cli, tmp_path, store, "EXAMPLE-B", NOTHING)
    truth = replayed(library, store)
    assert truth["identified"] == 1
    # The attack: the summary of the interview with a disclosure copied over the other's, so
    # that both would count as victims.
    shutil.copyfile(summary_file(store, disclosed), summary_file(store, quiet))
    assert store.read_summary(quiet) is None
    assert table(library, store) == truth
    assert store.read_summary(quiet)  # written again from the replay, for next time
    # A byte flipped anywhere in a summary: it does not verify.
    data = bytearray(summary_file(store, disclosed).read_bytes())
    data[SUMMARY_BYTES // 2] ^= 1
    summary_file(store, disclosed).write_bytes(bytes(data))
    assert store.read_summary(disclosed) is None
    assert table(library, store) == truth


def test_a_stale_summary_is_not_counted_after_the_interview_changed(cli, tmp_path, store,
                                                                    library):
    session_id = run(cli, tmp_path, store, "EXAMPLE-C", NOTHING)
    assert table(library, store)["identified"] == 0
    old = summary_file(store, session_id).read_bytes()
    add_disclosure_without_closing(library, store, session_id)
    assert store.read_summary(session_id) is None  # its last event is not the mark's
    truth = replayed(library, store)
    assert truth["identified"] == 1 and table(library, store) == truth
    # The older summary put back (from a backup) over the current one: still stale.
    summary_file(store, session_id).write_bytes(old)
    assert store.read_summary(session_id) is None
    assert table(library, store) == truth


def test_a_folder_put_back_from_a_backup_with_its_summary_is_reported_not_counted(
        cli, tmp_path, store, library):
    session_id = run(cli, tmp_path, store, "EXAMPLE-D", NOTHING)
    folder = store.sessions_dir / session_id
    shutil.copytree(folder, tmp_path / "backup")
    add_disclosure_without_closing(library, store, session_id)
    shutil.rmtree(folder)
    shutil.copytree(tmp_path / "backup", folder)  # log and summary agree, the mark does not
    assert store.read_summary(session_id) is None
    screenings, skipped = from_store(library, store)
    assert not screenings and len(skipped) == 1 and "older copy" in skipped[0]


def test_a_summary_made_with_other_rules_or_content_is_not_used(cli, tmp_path, store, library):
    from interview.content.loader import load_library

    run(cli, tmp_path, store, "EXAMPLE-E", DISCLOSED)
    orange, problems = load_library(county="orange")
    assert not problems
    # Orange County's content differs (its own next steps' wording and MDT rules): the
    # summary written with the shipped default is not theirs.
    assert table(orange, store) == replayed(orange, store)
    assert table(library, store) == replayed(library, store)


def test_a_summary_of_an_interview_without_a_date_is_used_only_on_the_day_it_was_made(
        cli, tmp_path, store, library):
    import datetime as dt

    from interview.reports.aggregate import _from_summary, fingerprint

    context = {k: v for k, v in BASE.items() if k != "interview_date"}
    session_id = run(cli, tmp_path, store, "EXAMPLE-F", DISCLOSED, context)
    data = store.read_summary(session_id)
    today = dt.date.today()
    tomorrow = dt.date.fromordinal(today.toordinal() + 1).isoformat()
    # The child's age, and so the findings, are worked out on the day: another day, replay.
    assert _from_summary(library, data, fingerprint(library), today.isoformat(), session_id)
    assert _from_summary(library, data, fingerprint(library), tomorrow, session_id) is None
