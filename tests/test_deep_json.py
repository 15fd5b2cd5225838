"""JSON nested too deep to decode, from outside: an edited session file, a sealed record or
summary (an insider holding the interview's key), a package, a class results file. json.loads
raises RecursionError for it, which no reader caught: the saved list, the county's reads and a
worker's sync each stopped with "internal error" (audit-attack findings 1, 3 and 4). Each is now
that one item's "damaged" message. All cases are fictional."""

from __future__ import annotations

import pytest

from interview import jsonin, package
from interview.storage import log as logfmt
from interview.storage import summary
from interview.storage.errors import Tampered
from stores import SURVIVAL, store_dir, unlocked  # noqa: F401 (a fixture)

NEST = b"[" * 5000


def test_the_helper_makes_a_too_deep_value_a_value_error():
    with pytest.raises(ValueError, match="nested too deep"):
        jsonin.loads(NEST)
    assert jsonin.loads(b'{"a": [1]}') == {"a": [1]}


def saved(cli, store_dir) -> tuple:
    folder, passfile = store_dir
    for _ in range(2):
        code, out, err = cli("run", "youth", "--answers", SURVIVAL, "--store", folder,
                             "--passphrase-file", passfile)
        assert code == 0, err
    store = unlocked(folder)
    return folder, passfile, store, sorted(store.session_ids())


def test_an_edited_session_header_is_that_sessions_problem_not_a_crash(cli, store_dir):
    folder, passfile, _store, (damaged, intact) = saved(cli, store_dir)
    path = folder / "sessions" / damaged / "events.log"
    data = path.read_bytes()
    path.write_bytes(NEST + data[data.index(b"\n"):])
    code, out, err = cli("sessions", "list", "--store", folder, "--passphrase-file", passfile)
    assert code == 0 and "internal error" not in err and "Traceback" not in out + err
    assert intact in out and damaged in out and "header is damaged" in out


def test_a_sealed_record_or_summary_nested_too_deep_does_not_verify(cli, store_dir):
    folder, _passfile, store, (sid, _) = saved(cli, store_dir)
    key = store._data_key(sid)
    record = logfmt.seal_record(key, sid, 0, 0, NEST)
    with pytest.raises(Tampered, match="record 0 does not verify"):
        logfmt.open_record(key, sid, 0, record)
    nest = NEST[:3000]  # a summary holds at most ROOM bytes (4 KiB in all)
    plain = summary.LENGTH.pack(len(nest)) + nest + bytes(summary.ROOM - len(nest))
    from interview.storage import crypto

    with pytest.raises(ValueError):
        summary.unseal(key, sid, crypto.seal(key, plain, summary.aad(sid)))


def test_a_package_nested_too_deep_is_the_packages_one_message():
    with pytest.raises(LookupError, match="it is not JSON"):
        package.read_json(b"[" * 100_000, 256 * 1024, lambda what: LookupError(what))


def test_a_results_line_nested_too_deep_is_skipped_and_the_others_kept(cli, tmp_path):
    good = ('{"scenario": "boyfriend", "score": 80, "trainee": "T. (fictional)", '
            '"at": "2025-09-03T10:00:00+00:00"}')
    results = tmp_path / "class.jsonl"
    results.write_bytes(good.encode() + b"\n" + NEST + b"\n")
    code, out, err = cli("practice", "export", results, "--csv")
    assert "internal error" not in err and "Traceback" not in out + err
    assert "not a practice result; skipped" in err
    first = tmp_path / "first.jsonl"
    first.write_bytes(NEST + b"\n")
    code, out, err = cli("practice", "start", "boyfriend", "--results", first)
    assert code == 1 and "internal error" not in err and "Traceback" not in err


def test_a_county_key_file_nested_too_deep_is_not_a_county_key_file(cli, tmp_path):
    deep = tmp_path / "county.key"
    deep.write_bytes(NEST)
    passfile = tmp_path / "pw"
    passfile.write_text("a passphrase\n")
    code, out, err = cli("county", "sessions", "--db", "postgresql://nobody@127.0.0.1:9/none",
                         "--key", deep, "--passphrase-file", passfile)
    assert code == 1 and "is not a county key file" in err and "internal error" not in err


def test_a_stores_county_pin_or_handoff_key_nested_too_deep_is_said_or_replaced(cli, store_dir):
    from interview.county import handoffs, sync

    folder, _passfile = store_dir
    store = unlocked(folder)
    (folder / sync.PIN_FILE).write_bytes(NEST)
    with pytest.raises(Exception, match="cannot be read"):
        sync.read_pin(store)
    (folder / handoffs.KEY_FILE).write_bytes(NEST)
    private, public, _ = handoffs.own_key(store)  # a damaged file: a new pair, not a crash
    assert len(private) == len(public) == 32
