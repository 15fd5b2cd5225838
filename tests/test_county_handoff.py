"""From the hotline to the field through a real PostgreSQL: a screener's laptop seals a hotline
screen to the receiving worker's public key (published by the worker's first sync); only that
worker reads the row, and their next sync starts a youth interview in their own store seeded
with the reported facts and red flags, marked as reported. All cases are fictional."""

from __future__ import annotations

import json

from conftest import ROOT
from interview.county import db
from interview.storage.store import Store
from stores import PASSPHRASE
from test_county_read import county  # noqa: F401 - the shared fixture

CALL = ROOT / "flows" / "examples" / "hotline-immediate-crisis.yaml"


def screened(county) -> str:
    """hank (hotline) screens the example call on laptop A; its session id."""
    (session_id,) = calls(county, 1)
    return session_id


def calls(county, n: int) -> list[str]:
    """hank screens the example call n more times (n calls); their session ids."""
    store = county.store("hank")
    opened = Store(store)
    opened.unlock(PASSPHRASE)
    before = set(opened.session_ids())
    for _ in range(n):
        code, _, err = county.cli("run", "hotline", "--answers", CALL, "--store", store,
                                  "--passphrase-file", county.store_pass)
        assert code == 0, err
    new = set(opened.session_ids()) - before
    assert len(new) == n
    return sorted(new)


def hand_off(county, session_id, to_role):
    return county.cli("handoff", session_id, "--to", to_role, "--db", county.url_of("hank"),
                      "--store", county.store("hank"), "--passphrase-file", county.store_pass)


def test_a_hotline_screen_reaches_the_assigned_workers_laptop_as_a_reported_youth_interview(
        county, cli):
    county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.add("bob", "north", "worker")
    county.add("sam", "north", "supervisor")
    county.sync("wendy")  # her first sync: her handoff key's public half reaches the database
    call = screened(county)
    code, out, err = hand_off(county, call, wendy)
    assert code == 0, err
    assert f"handed to {wendy}" in out and "5 reported red flags" in out
    # Sealed to wendy alone: the administrator sees no fact; the sender, another worker and
    # the supervisor see no row at all (the database refuses).
    dump = county.dump()  # the county's backup holds nothing the caller reported
    assert b"boyfriend" not in dump and b"moniker" not in dump and b"in_foster_care" not in dump
    for person in ("hank", "bob", "sam"):
        with db.connect(county.url_of(person)) as conn:
            assert conn.execute("SELECT count(*) FROM handoffs").fetchone()[0] == 0, person
    code, out, _ = county.sync("wendy")
    hank = county.users["hank"]
    assert f"A hotline screen was handed to you by {hank} (team hotline): new youth " \
        "interview" in out
    store = county.store("wendy")
    opened = Store(store)
    opened.unlock(PASSPHRASE)
    (youth,) = opened.session_ids()
    _, listed, _ = cli("sessions", "list", "--json", "--store", store, "--passphrase-file",
                       county.store_pass)
    assert json.loads(listed)[0]["flow"] == "youth"
    _, shown, _ = cli("sessions", "show", youth, "--store", store, "--passphrase-file",
                      county.store_pass)
    assert "reported by the hotline" in shown and "not seen" in shown
    _, report, _ = cli("report", youth, "--format", "json", "--store", store,
                       "--passphrase-file", county.store_pass)
    reported = json.loads(report)["reported"]
    assert (reported["by"], reported["session"], len(reported["red_flags"])) == ("hotline", call, 5)
    assert reported["sender"] == {"role": hank, "team": "hotline"}
    assert f"handed over by {hank} (team hotline)" in shown
    assert {f["status"] for f in reported["facts"]} == {"reported"}
    assert "handoff_received" in (store / "audit.log").read_text()
    # Received once: the next sync makes no second interview.
    code, out, _ = county.sync("wendy")
    assert "handed to you" not in out
    opened = Store(store)
    opened.unlock(PASSPHRASE)
    assert opened.session_ids() == [youth]


def test_a_handoff_is_refused_with_one_message_when_it_cannot_be_sealed(county):
    county.add("hank", "hotline", "worker")
    nora = county.add("nora", "north", "worker")  # has never synced: no key yet
    call = screened(county)
    code, _, err = hand_off(county, call, nora)
    assert code == 1 and "have not synced yet" in err
    code, _, err = hand_off(county, call, "nobody_here")
    assert code == 1 and "no county user of that name" in err
    # Only a hotline screen is handed over.
    county.interview("hank", "FICT-9", {"confidentiality_script": "yes"})
    opened = Store(county.store("hank"))
    opened.unlock(PASSPHRASE)
    (youth,) = set(opened.session_ids()) - {call}
    county.sync("nora")
    code, _, err = hand_off(county, youth, nora)
    assert code == 1 and "only a hotline screen is handed" in err
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM handoffs").fetchone()[0] == 0


def test_a_handoff_sealed_to_another_key_is_said_and_kept_for_the_next_sync(county):
    county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    call = screened(county)
    assert hand_off(county, call, wendy)[0] == 0
    (county.store("wendy") / "handoff-key.json").unlink()  # her key is lost: a new pair
    code, out, _ = county.sync("wendy")
    assert "does not open with your key" in out and "hand it over again" in out
    # Handed over again, to her new key: it arrives.
    assert hand_off(county, call, wendy)[0] == 0
    code, out, _ = county.sync("wendy")
    assert "new youth interview" in out


def test_a_handoff_key_swapped_in_the_database_is_noticed_and_put_back(county):
    """The database administrator puts their own key in a worker's row, so that the next
    handoff to that worker is sealed to them: the worker's next sync says so and puts the
    worker's own key back, before any handoff is pulled."""
    from interview.county import handoffs

    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    with county.admin() as conn:
        (own,) = conn.execute("SELECT public_key FROM workers WHERE role = %s",
                              (wendy,)).fetchone()
        forged, _ = handoffs.seal_to(bytes(own), wendy, "0" * 32, "x")  # any other public key
        conn.execute("UPDATE workers SET public_key = %s WHERE role = %s", (forged, wendy))
    code, out, _ = county.sync("wendy")
    assert "WARNING: the county database held another handoff key for you" in out
    with county.admin() as conn:
        assert bytes(conn.execute("SELECT public_key FROM workers WHERE role = %s",
                                  (wendy,)).fetchone()[0]) == bytes(own)
    code, out, _ = county.sync("wendy")  # in place again: nothing to say
    assert "WARNING" not in out


def test_a_forged_package_sealed_to_the_worker_is_refused_and_starts_no_interview(county):
    """Anyone may seal to a public key: hank writes his own package in SQL, sealed properly to
    wendy, but not a handoff a screen made. Her sync says so and creates nothing."""
    import json as js
    import secrets

    from interview.county import handoffs

    hank = county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    with county.admin() as conn:
        (public,) = conn.execute("SELECT public_key FROM workers WHERE role = %s",
                                 (wendy,)).fetchone()
    handoff_id = secrets.token_hex(16)
    forged = js.dumps({"kind": "csec-interview handoff", "version": 1, "facts": {}})
    ephemeral, sealed = handoffs.seal_to(bytes(public), wendy, handoff_id, forged)
    with db.connect(county.url_of("hank")) as conn:
        conn.execute("INSERT INTO handoffs (id, recipient, ephemeral, sealed) VALUES "
                     "(%s, %s, %s, %s)", (handoff_id, wendy, ephemeral, sealed))
    code, out, _ = county.sync("wendy")
    assert code == 0 and "Not received now" in out and "handoff package" in out
    opened = Store(county.store("wendy"))
    opened.unlock(PASSPHRASE)
    assert opened.session_ids() == []
    with county.admin() as conn:
        assert conn.execute("SELECT sender, received FROM handoffs").fetchone() == (hank, None)


# --- a hostile county user (another team's worker, not the hotline) -----------------------------

FORGED = {"kind": "csec-interview handoff", "version": 1,
          "hotline": {"session": "3f2a9c0d11", "date": "2025-09-03"},
          "facts": {"date_of_birth": "2012-01-01", "immediate_safety_concern": True,
                    "case_status": "in_foster_care", "case_id": "FICT-99"},
          "red_flags": [{"id": "survival_sex", "evidence": [
              {"from": "chart", "words": "caller: she trades sex for a place to sleep"}]}]}


def well_formed(body: dict) -> str:
    """A package as a screen writes it, digest and all (the digest is unkeyed: anyone can)."""
    import hashlib

    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return json.dumps({**body, "digest": hashlib.sha256(text.encode()).hexdigest()})


def forge(county, sender: str, recipient: str, text: str, times: int = 1) -> int:
    """`sender` seals `text` to `recipient`'s public key (any county user may ask for it) and
    inserts it as themselves, `times` times; how many rows the database took."""
    import secrets

    from interview.county import handoffs

    taken = 0
    with db.connect(county.url_of(sender)) as conn:
        (public,) = conn.execute("SELECT csec_public_key(%s)", (recipient,)).fetchone()
        for _ in range(times):
            handoff_id = secrets.token_hex(16)
            ephemeral, sealed = handoffs.seal_to(bytes(public), recipient, handoff_id, text)
            try:
                conn.execute("INSERT INTO handoffs (id, recipient, ephemeral, sealed) VALUES "
                             "(%s, %s, %s, %s)", (handoff_id, recipient, ephemeral, sealed))
            except Exception:  # noqa: BLE001 - the database refused it: counted as not taken
                continue
            taken += 1
    return taken


def test_a_package_that_does_not_load_never_stops_the_sync_nor_what_it_sends(county):
    """Audit finding 3: brackets nested 100,000 deep (a RecursionError in the JSON decoder),
    and a well-formed package the reader refuses, both sealed to wendy by another team's
    worker: her sync still sends her own new interview, says one line for each, rc 0."""
    county.add("mallory", "south", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    assert forge(county, "mallory", wendy, "[" * 100_000) == 1
    invalid = dict(FORGED, red_flags=[{"id": "not_a_red_flag", "evidence": [{"from": "chart"}]}])
    assert forge(county, "mallory", wendy, well_formed(invalid)) == 1
    mine = county.interview("wendy", "FICT-1", {"confidentiality_script": "yes"})
    for _ in range(2):  # left for the next sync, which is not stopped either
        code, out, err = county.cli("sync", "--db", county.url_of("wendy"), "--store",
                                    county.store("wendy"), "--passphrase-file",
                                    county.store_pass)
        assert code == 0 and "internal error" not in err, err
        problems = [line for line in out.splitlines() if line.startswith("Not received now")]
        assert len(problems) == 2, out
        assert any("it is not JSON" in p for p in problems), problems  # (jsonin)
        assert any("'not_a_red_flag' is not a red flag" in p for p in problems), problems
        assert "Traceback" not in out + err
    with county.admin() as conn:
        assert conn.execute("SELECT session_id FROM interviews").fetchall() == [(mine,)]
        assert conn.execute("SELECT count(*) FROM handoffs WHERE received IS NULL"
                            ).fetchone()[0] == 2
    opened = Store(county.store("wendy"))
    opened.unlock(PASSPHRASE)
    assert opened.session_ids() == [mine]


def test_a_well_formed_forged_package_names_its_sender_and_a_flood_is_bounded(county, cli):
    """Audit finding 2: mallory, a worker of another team (not the hotline), writes a
    well-formed package (the digest is unkeyed), seals it to wendy and inserts it. What wendy
    sees names mallory and her team, as the database recorded them, whatever the package says;
    and the database keeps at most csec_max_pending_handoffs() from one sender for her."""
    mallory = county.add("mallory", "south", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    claims = dict(FORGED, sender={"role": "hotline_hank", "team": "hotline"})  # lies: replaced
    assert forge(county, "mallory", wendy, well_formed(claims)) == 1
    code, out, _ = county.sync("wendy")
    assert f"handed to you by {mallory} (team south): new youth interview" in out
    store = county.store("wendy")
    opened = Store(store)
    opened.unlock(PASSPHRASE)
    (youth,) = opened.session_ids()
    _, shown, _ = cli("sessions", "show", youth, "--store", store, "--passphrase-file",
                      county.store_pass)
    assert f"Reported by the hotline on 2025-09-03, handed over by {mallory} (team south)" \
        in shown and "hotline_hank" not in shown
    _, report, _ = cli("report", youth, "--format", "json", "--store", store,
                       "--passphrase-file", county.store_pass)
    assert json.loads(report)["reported"]["sender"] == {"role": mallory, "team": "south"}
    _, text, _ = cli("report", youth, "--store", store, "--passphrase-file", county.store_pass)
    assert f"handed over by {mallory} (team south)" in text
    assert f"from {mallory}" in (store / "audit.log").read_text()
    # The flood: 40 more (of 40 screens). The database takes as many as its bound and refuses
    # the rest.
    with county.admin() as conn:
        bound = conn.execute("SELECT csec_max_pending_handoffs()").fetchone()[0]
    assert 0 < bound < 40
    assert sum(forge(county, "mallory", wendy, well_formed(
        dict(FORGED, hotline={"session": f"3f2a9c{n:04x}", "date": "2025-09-03"})))
        for n in range(40)) == bound
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM handoffs WHERE received IS NULL AND "
                            "sender = %s", (mallory,)).fetchone()[0] == bound
    # Another sender is not held back by mallory's flood; the screener's own command says
    # why it is refused, in one line.
    county.add("hank", "hotline", "worker")
    screens = calls(county, bound + 2)
    code, out, err = hand_off(county, screens[0], wendy)
    assert code == 0, err
    for call in screens[1:bound]:
        assert hand_off(county, call, wendy)[0] == 0
    code, out, err = hand_off(county, screens[bound], wendy)
    assert code == 1 and f"{bound} hotline screens you handed to them wait unreceived" in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = county.sync("wendy")
    opened = Store(store)
    opened.unlock(PASSPHRASE)
    assert len(opened.session_ids()) == 1 + 2 * bound
    # Received: room again.
    assert hand_off(county, screens[bound + 1], wendy)[0] == 0


def test_a_package_of_a_date_of_birth_no_child_has_is_refused_on_receipt(county):
    """Audit finding 2, also: facts in a package get the plausibility check every other input
    point gives them (record.check_plausible)."""
    mallory = county.add("mallory", "south", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    old = dict(FORGED, facts={**FORGED["facts"], "date_of_birth": "1950-01-01"})
    assert forge(county, "mallory", wendy, well_formed(old)) == 1
    code, out, _ = county.sync("wendy")
    (line,) = [line for line in out.splitlines() if line.startswith("Not received now")]
    assert f"from {mallory} (team south)" in line
    assert "context.date_of_birth: 1950-01-01 makes the child" in line \
        and "older than a child or non-minor dependent (0 to 21)" in line
    opened = Store(county.store("wendy"))
    opened.unlock(PASSPHRASE)
    assert opened.session_ids() == []


def test_what_the_screen_takes_the_worker_receives_or_the_screener_is_told(county, cli):
    """Audit finding 6: a 2,500-character account at a step whose cue marks a red flag was
    sealed ("handed to wendy") but every sync of wendy's refused it; a screen of long chart
    notes sealed a package whose youth interview could not be stored. Now the long account
    arrives cut, marked, naming the screen; the oversized screen is refused at hank's end in
    one line, and nothing is sealed."""
    import yaml

    county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    call = yaml.safe_load(CALL.read_text())
    account = ("She said she was kept in a motel and moved every few days. " * 45)[:2450] \
        + " The last thing she said was about a house on Quillfeather Lane."  # fictional
    call["answers"]["inv_child"] = {"text": account, "cues": ["tattoos"]}
    long_call = county.tmp / "long-call.yaml"
    long_call.write_text(yaml.safe_dump(call))
    store = county.store("hank")
    code, _, err = cli("run", "hotline", "--answers", long_call, "--store", store,
                       "--passphrase-file", county.store_pass)
    assert code == 0, err
    opened = Store(store)
    opened.unlock(PASSPHRASE)
    (sid,) = opened.session_ids()
    code, out, err = hand_off(county, sid, wendy)
    assert code == 0, err
    assert f"handed to {wendy}" in out and "The caller's words at inv_child were longer" in out
    code, out, _ = county.sync("wendy")
    assert "new youth interview" in out and "Not received" not in out
    mine = Store(county.store("wendy"))
    mine.unlock(PASSPHRASE)
    (youth,) = mine.session_ids()
    _, shown, _ = cli("sessions", "show", youth, "--store", county.store("wendy"),
                      "--passphrase-file", county.store_pass)
    assert account[:200] in shown and "Quillfeather" not in shown
    assert f"cut here by csec-interview: the whole account is in hotline screen {sid}" in shown
    # Every chart row noted at length: `run` takes it, the worker's computer could not store
    # the interview it starts; hank is told what to shorten, and nothing is sealed.
    big = {"flow": "hotline", "context": call["context"],
           "answers": {"caller": call["answers"]["caller"]},
           "observations": {flag: ("The caller described this at length. " * 60)[:1900]
                            for flag in _chart_flags()}}
    big_call = county.tmp / "big-call.yaml"
    big_call.write_text(yaml.safe_dump(big))
    code, _, err = cli("run", "hotline", "--answers", big_call, "--store", store,
                       "--passphrase-file", county.store_pass)
    assert code == 0, err
    opened = Store(store)
    opened.unlock(PASSPHRASE)
    (big_sid,) = set(opened.session_ids()) - {sid}
    code, out, err = hand_off(county, big_sid, wendy)
    assert code == 1 and not out, out
    assert "makes a package of" in err and "shorten the longest words behind its red flags" in err
    assert len(err.strip().splitlines()) == 1
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM handoffs").fetchone()[0] == 1


def _chart_flags() -> list[str]:
    from interview.content import cache

    return list(cache.load(None).red_flags)


def test_one_screen_handed_to_one_worker_twice_is_refused_and_makes_one_interview(county, cli):
    """Audit B1: a screener who runs `handoff` again after a dropped connection (here 3
    times) gave the worker one youth interview of the call per run. Now the second is refused
    while the first waits, and after it was received; and a copy that reaches the worker
    another way (sealed with another id, as an earlier version did) makes no second
    interview."""
    import secrets

    from interview.county import handoffs
    from interview.county.reviews import BUCKETS
    from interview.handoff import handoff_from
    from interview.storage.saved import replay

    county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    call = screened(county)
    assert hand_off(county, call, wendy)[0] == 0
    for _ in range(2):  # pending
        code, out, err = hand_off(county, call, wendy)
        assert code == 1 and not out
        assert f"hotline screen {call} was already handed to {wendy} at " in err
        assert "is not sent again" in err and len(err.strip().splitlines()) == 1
    code, out, _ = county.sync("wendy")
    assert out.count("new youth interview") == 1
    code, _, err = hand_off(county, call, wendy)  # received
    assert code == 1 and f"was already handed to {wendy}" in err
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM handoffs").fetchone()[0] == 1
        # padded to a size bucket, as reviews are (audit C1): its length tells little
        (size,) = conn.execute("SELECT length(sealed) FROM handoffs").fetchone()
    assert size in BUCKETS
    # The same screen sealed under another id (an earlier version's random id), twice.
    opened = Store(county.store("hank"))
    opened.unlock(PASSPHRASE)
    text = handoff_from(replay(county_library(), opened.open_session(call, writable=False)),
                        call).dumps()
    with db.connect(county.url_of("hank")) as conn:
        (public,) = conn.execute("SELECT csec_public_key(%s)", (wendy,)).fetchone()
        for _ in range(2):
            other = secrets.token_hex(16)
            ephemeral, sealed = handoffs.seal_to(bytes(public), wendy, other, text)
            conn.execute("INSERT INTO handoffs (id, recipient, ephemeral, sealed) VALUES "
                         "(%s, %s, %s, %s)", (other, wendy, ephemeral, sealed))
    code, out, _ = county.sync("wendy")
    mine = Store(county.store("wendy"))
    mine.unlock(PASSPHRASE)
    (youth,) = mine.session_ids()
    assert "new youth interview" not in out
    assert out.count(f"was received before (youth interview {youth}): no second interview") == 2
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM handoffs WHERE received IS NULL"
                            ).fetchone()[0] == 0
    # Another screen of the same call is another call: it is handed over.
    assert hand_off(county, screened(county), wendy)[0] == 0


def county_library():
    from interview.content import cache

    return cache.load(None)


def test_a_handoff_to_the_coordinator_says_they_receive_none(county):
    """Audit B8: `--to coord` told the screener to ask the coordinator to sync, which a
    coordinator cannot do."""
    county.add("hank", "hotline", "worker")
    cora = county.add("cora", "county", "coordinator")
    code, out, err = hand_off(county, screened(county), cora)
    assert code == 1 and not out
    assert f"--to {cora}: {cora} is the county coordinator, who receives no handoffs" in err
    assert "sync" not in err and len(err.strip().splitlines()) == 1


# --- a correction: the screen changed after it was handed over (audit-chain 1, review A4) ----

def test_a_screen_corrected_after_the_handoff_reaches_the_same_youth_interview(county, cli,
                                                                                tmp_path):
    """Handed over as Initial MDT (safety "no"); the reporter calls back and the screener
    records safety "yes". `handoff` again sends it as a correction (a byte-identical re-send
    is still refused), and the worker's sync records it on the youth interview the first
    package started: it reads Immediate Crisis and its routed step, no second interview."""
    from interview.storage.saved import SavedSession

    county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    answers = tmp_path / "call.yaml"
    answers.write_text(CALL.read_text().replace("  safety: yes", "  safety: no"))
    store = county.store("hank")
    code, _, err = county.cli("run", "hotline", "--answers", answers, "--store", store,
                              "--passphrase-file", county.store_pass)
    assert code == 0, err
    opened = Store(store)
    opened.unlock(PASSPHRASE)
    (call,) = opened.session_ids()
    assert hand_off(county, call, wendy)[0] == 0
    code, out, _ = county.sync("wendy")
    mine = Store(county.store("wendy"))
    mine.unlock(PASSPHRASE)
    (youth,) = mine.session_ids()

    def show() -> str:
        return cli("sessions", "show", youth, "--store", county.store("wendy"),
                   "--passphrase-file", county.store_pass)[1]

    assert "Initial MDT" in show() and "Immediate Crisis" not in show()
    # The call-back: the screener records the safety concern (as the app's edit does).
    screen = SavedSession.resume(opened, county_library(), call)
    screen.session.edit("safety", "yes")
    screen.close()
    code, out, err = hand_off(county, call, wendy)
    assert code == 0, err
    assert f"Hotline screen {call} changed since it was handed to {wendy} at " in out
    assert "the correction is sent" in out
    code, out, err = hand_off(county, call, wendy)  # the same package again: refused
    assert code == 1 and f"was already handed to {wendy} at " in err and "not sent again" in err
    code, out, _ = county.sync("wendy")
    assert mine.session_ids() == [youth] and "new youth interview" not in out
    assert f"The hotline corrected screen {call} (handed to you again by " in out
    assert "routing now Immediate Crisis (Engage within 2 hours" in out
    assert "immediate safety concern now yes, was no" in out
    assert f"Recorded on youth interview {youth}" in out
    shown = show()
    assert "Immediate Crisis" in shown and "Within 10 days" not in shown
    assert "Initial MDT" not in shown
    _, report, _ = cli("report", youth, "--format", "json", "--store", county.store("wendy"),
                       "--passphrase-file", county.store_pass)
    data = json.loads(report)
    assert data["reported"]["routing"]["tier"] == "immediate_crisis"
    steps = [step["id"] for step in data["next_steps"]]
    assert "immediate_crisis_mdt" in steps and "initial_mdt" not in steps
    with county.admin() as conn:
        assert conn.execute("SELECT count(*) FROM handoffs WHERE received IS NULL"
                            ).fetchone()[0] == 0


def test_a_correction_waits_while_the_workers_interview_is_open_elsewhere(county, cli):
    """The worker has the youth interview open in the app: the correction is not lost, it is
    received at the next sync (as a review is)."""
    from interview.storage.saved import SavedSession

    wendy, call, mine = received(county)
    (youth,) = mine.session_ids()
    opened = Store(county.store("hank"))
    opened.unlock(PASSPHRASE)
    screen = SavedSession.resume(opened, county_library(), call)
    screen.session.edit("safety", "no")
    screen.close()
    assert hand_off(county, call, wendy)[0] == 0
    busy = SavedSession.resume(mine, county_library(), youth)  # open "in another window"
    try:
        code, out, _ = county.sync("wendy")
        assert f"youth interview {youth} is open in another window: the correction is " \
            "received at the next sync" in out
    finally:
        busy.close()
    code, out, _ = county.sync("wendy")
    assert f"The hotline corrected screen {call}" in out
    assert "routing now Initial MDT (Within 10 days), was Immediate Crisis" in out
    assert mine.session_ids() == [youth]


def test_a_correction_sent_before_the_worker_synced_makes_one_corrected_interview(county):
    """Both packages wait (the first never received): the worker's sync makes one youth
    interview of the first and records the correction on it, in the order they were sent."""
    from interview.storage.saved import SavedSession

    county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    call = screened(county)
    assert hand_off(county, call, wendy)[0] == 0
    opened = Store(county.store("hank"))
    opened.unlock(PASSPHRASE)
    screen = SavedSession.resume(opened, county_library(), call)
    screen.session.edit("safety", "no")
    screen.close()
    code, out, err = hand_off(county, call, wendy)
    assert code == 0 and "the correction is sent" in out, err
    code, out, _ = county.sync("wendy")
    mine = Store(county.store("wendy"))
    mine.unlock(PASSPHRASE)
    (youth,) = mine.session_ids()
    assert out.count("new youth interview") == 1
    assert f"The hotline corrected screen {call}" in out and "routing now Initial MDT" in out
    from interview.storage.saved import replay

    session = replay(county_library(), mine.open_session(youth, writable=False))
    assert session.record.handoff.routing.tier == "initial_mdt"
    assert session.record.context.immediate_safety_concern is False


def call_back(county, call: str, safety: str) -> None:
    """The reporter calls back: hank records the safety concern on the screen (as the app's
    edit does)."""
    from interview.storage.saved import SavedSession

    opened = Store(county.store("hank"))
    opened.unlock(PASSPHRASE)
    screen = SavedSession.resume(opened, county_library(), call)
    screen.session.edit("safety", safety)
    screen.close()


def received(county) -> tuple[str, str, Store]:
    """hank hands the example call to wendy, whose sync makes a youth interview of it: her user
    name, the screen's id and her (unlocked) store."""
    county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    call = screened(county)
    assert hand_off(county, call, wendy)[0] == 0
    county.sync("wendy")
    mine = Store(county.store("wendy"))
    mine.unlock(PASSPHRASE)
    return wendy, call, mine


def reassign(county, call: str, to: str):
    return county.cli("handoff", call, "--to", to, "--reassign", "--db", county.url_of("hank"),
                      "--store", county.store("hank"), "--passphrase-file", county.store_pass)


def test_a_correction_from_a_worker_who_did_not_hand_the_screen_over_is_not_applied(county):
    """Review2 B1: mallory (another team) builds a package of her own screen under the id of
    hank's screen and sends it to wendy. It is not applied: wendy's interview keeps hank's
    routing, her sync says so in one line, and the row is received (it does not come back)."""
    from interview.county import handoffs
    from interview.engine.session import Session
    from interview.handoff import handoff_from
    from interview.storage.saved import replay

    wendy, call, mine = received(county)
    mallory = county.add("mallory", "south", "worker")
    lib = county_library()
    own = Session(lib, "hotline")          # mallory's own screen, under hank's screen id
    own.edit("child_age", text="15")
    own.edit("suspected_forms", cues=["cse"])
    own.edit("safety", "no")
    with db.connect(db.conninfo(county.url_of("mallory"))) as conn:
        handoffs.send(conn, wendy, handoff_from(own, call), lib)
    code, out, _ = county.sync("wendy")
    assert "The hotline corrected" not in out
    line = (f"A correction of screen {call} from {mallory} (team south), who did not hand it "
            "over: not applied; ask the hotline.")
    assert line in out.splitlines() and out.count(call) == 1, out
    (youth,) = mine.session_ids()
    session = replay(lib, mine.open_session(youth, writable=False))
    assert session.record.handoff.routing.tier == "immediate_crisis"
    assert session.record.handoff.sender["role"] == county.users["hank"]
    assert session.record.context.missing is True
    code, out, _ = county.sync("wendy")   # received: it does not come back
    assert call not in out


def test_a_screen_corrected_back_to_what_was_first_handed_over_reaches_the_worker(county):
    """Review2 A3: handed as Immediate Crisis, corrected to Initial MDT, then the second
    call-back puts safety back to "yes". The third package is the first one's content again; it
    is sent (and a re-run of it is still refused), and the worker's interview reads Immediate
    Crisis again. A fourth (Initial MDT again) goes through too."""
    from interview.storage.saved import replay

    wendy, call, mine = received(county)
    for value, tier in (("no", "initial_mdt"), ("yes", "immediate_crisis"),
                        ("no", "initial_mdt")):
        call_back(county, call, value)
        code, out, err = hand_off(county, call, wendy)
        assert code == 0 and "the correction is sent" in out, err
        code, out, err = hand_off(county, call, wendy)  # a re-run: the same package, refused
        assert code == 1 and "not sent again" in err
        code, out, _ = county.sync("wendy")
        assert f"The hotline corrected screen {call}" in out, out
        (youth,) = mine.session_ids()
        session = replay(county_library(), mine.open_session(youth, writable=False))
        assert session.record.handoff.routing.tier == tier
        assert session.record.handoff.version == 2  # a correction (review2 C2)


def test_after_a_reassign_a_correction_goes_to_the_new_worker_without_a_false_refusal(county):
    """Review2 C1: handed to wendy, then `--reassign` to will. The call-back's correction to
    will (who holds the interview) was refused as "already handed to wendy ... add --reassign".
    It is sent, and his sync records it; handing it back to wendy still asks for --reassign."""
    county.add("hank", "hotline", "worker")
    wendy, will = county.add("wendy", "north", "worker"), county.add("will", "north", "worker")
    for worker in ("wendy", "will"):
        county.sync(worker)
    call = screened(county)
    assert hand_off(county, call, wendy)[0] == 0
    code, out, err = reassign(county, call, will)
    assert code == 0, err
    county.sync("will")
    call_back(county, call, "no")
    code, out, err = hand_off(county, call, will)
    assert code == 0 and "the correction is sent" in out, err
    code, out, _ = county.sync("will")
    assert f"The hotline corrected screen {call}" in out and "new youth interview" not in out
    code, out, err = hand_off(county, call, wendy)
    assert code == 1 and f"already handed to {will} at " in err and "add --reassign" in err
    assert f"{wendy} at" not in err
    # wendy had it before: her sync records a correction, not a second interview (the
    # correction helper left the message saying it would make one)
    assert "records this as a correction" in err and "second youth interview" not in err


def test_a_re_send_after_an_old_audit_entry_and_a_refused_re_run_say_what_is_known(county):
    """Review2 C3: an audit entry written before packages were named in it ("to W") made an
    unchanged re-send say "changed ... the correction is sent"; it says "handed again (it may
    be unchanged)", and the worker's sync says received before. D3: a refused re-run of a
    correction named the time of every send ("at T1, T2"); it names this package's, once."""
    import re

    county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    call = screened(county)
    opened = Store(county.store("hank"))
    opened.unlock(PASSPHRASE)
    opened.audit.append("handed_off", call, f"to {wendy}")  # as an earlier version wrote it
    code, out, err = hand_off(county, call, wendy)
    assert code == 0, err
    assert f"handed to {wendy} again (it may be unchanged: " in out
    assert "the correction is sent" not in out
    code, out, _ = county.sync("wendy")
    assert "new youth interview" in out  # the first package this database holds for her
    assert hand_off(county, call, wendy)[0] == 1  # and the same package again: refused
    call_back(county, call, "no")
    code, out, err = hand_off(county, call, wendy)
    assert code == 0 and "the correction is sent" in out, err
    code, out, err = hand_off(county, call, wendy)
    assert code == 1 and "not sent again" in err
    assert len(re.findall(r"\d\d:\d\d", err)) == 1, err
    code, out, _ = county.sync("wendy")
    assert f"The hotline corrected screen {call}" in out


def test_a_youth_interview_started_before_the_handoff_arrived_is_named_at_the_sync(county):
    """The chain audit, 7a: the worker started a youth interview herself (the child walked in)
    before the hotline's screen reached her; her sync made a second youth interview of the same
    child without a word. The sync names the interview she already has, started since the
    call, so she can go on in one and say so in the other."""
    county.add("hank", "hotline", "worker")
    wendy = county.add("wendy", "north", "worker")
    county.sync("wendy")
    store = county.store("wendy")
    code, _, err = county.cli("run", "youth", "--answers", CALL.parent / "survival-sex.yaml",
                              "--store", store, "--passphrase-file", county.store_pass)
    assert code == 0, err
    opened = Store(store)
    opened.unlock(PASSPHRASE)
    (own,) = opened.session_ids()
    assert hand_off(county, screened(county), wendy)[0] == 0
    code, out, _ = county.sync("wendy")
    assert "new youth interview" in out
    assert f"You already have youth interview {own[:8]} started since that call" in out, out
