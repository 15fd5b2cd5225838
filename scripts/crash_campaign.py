#!/usr/bin/env python3
"""Kill `csec-interview run` with SIGKILL at random moments; count acknowledged events lost.

Each attempt starts `run youth` (the survival-sex example, 12 events, a pause after each) into
one of a few stores and kills it: at a random time from start-up on, while its session is being
created, or a random moment after its k-th "saved" line, which lands anywhere in the next save:
before its record is written, mid-write, between the record's fsync and the high-water mark's,
or after. A "saved N" line is the acknowledgement. Then every session must open without a
complaint but a torn tail, hold at least what was acknowledged, and be a prefix of an
uninterrupted run.

Then it kills `passphrase` (a new store key, every data key re-wrapped) and `sessions delete`
at random moments: afterwards exactly one passphrase opens the store, every interview opens with
all its events, and an interview being deleted is either whole or deleted (and deleting it
again finishes), never half of each.

  python scripts/crash_campaign.py --kills 1000 [--others 200] [--workers 2] [--seed N]

prints `crash_kill_points`, `crash_events_lost` (must be 0) and the details.
tests/test_storage.py runs a smaller campaign on every test run.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "flows" / "examples" / "survival-sex.yaml"
PASSPHRASE = "a crash campaign passphrase"
TORN = "an incomplete last record (from an interruption) was dropped"


def without_at(events: list[dict]) -> list[dict]:
    return [{k: v for k, v in e.items() if k != "at"} for e in events]


def campaign(kills: int, workers: int, work: Path, seed: int | None = None,
             delay_ms: int = 5, spawn=None, n: int = 2**14) -> dict:
    """Run the campaign in `work`; return its figures, problems and what the checks need.

    `spawn(argv)` starts the program killed, `csec-interview ARGV` with its stdout a pipe, and
    returns a subprocess.Popen or the like; by default a new interpreter each time (the tests
    pass forks of one that has imported everything: tests/forkrun.py). `n`: the stores' scrypt
    N, which every `run` pays to unlock (the tests pass a cheaper one)."""
    from interview.storage.store import Store

    seed = seed if seed is not None else int.from_bytes(os.urandom(4), "big")
    rng, rng_lock = random.Random(seed), threading.Lock()
    passfile = work / "passphrase"
    passfile.write_text(PASSPHRASE + "\n")
    stores = [work / f"store{i}" for i in range(workers)]
    for folder in stores:
        Store.create(folder, PASSPHRASE, n=n)
    env = {k: v for k, v in os.environ.items() if k != "CSEC_INTERVIEW_DEBUG"}

    def command(folder: Path) -> list[str]:
        return [sys.executable, "-m", "interview", "run", "youth", "--answers", str(EXAMPLE),
                "--store", str(folder), "--passphrase-file", str(passfile),
                "--delay-ms", str(delay_ms)]

    def start(folder: Path):
        if spawn is not None:
            return spawn(command(folder)[3:])
        return subprocess.Popen(command(folder), cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)

    # The events of a complete, uninterrupted run.
    done = subprocess.run(command(stores[0]), cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    saved_lines = [line for line in done.stdout.splitlines() if line.startswith("saved ")]
    reference_id = done.stdout.strip().splitlines()[-1].split()[1].rstrip(":")
    opener = Store(stores[0])
    opener.unlock(PASSPHRASE)
    reference = without_at(opener.open_session(reference_id, writable=False).events)
    total = len(reference)
    if len(saved_lines) != total:
        raise RuntimeError(f"{len(saved_lines)} saved lines for {total} events")

    results: list[dict] = []
    tally = {"kills": 0, "attempts": 0, "modes": {}}
    started = time.monotonic()
    errors: list[BaseException] = []

    def plan() -> tuple[str, float, int]:
        with rng_lock:
            roll = rng.random()
            if roll < 0.10:   # anywhere from start-up on
                return "time", rng.uniform(0, 0.3), 0
            if roll < 0.25:   # while the session's folder, key, log and mark are being created
                return "create", rng.uniform(0, 0.004), 0
            return "saved", rng.uniform(0, delay_ms / 1000 + 0.003), rng.randint(1, total)

    def attempts(folder: Path) -> None:
        sessions = folder / "sessions"
        while True:
            with rng_lock:
                if tally["kills"] >= kills or tally["attempts"] >= 3 * kills:
                    return
                tally["attempts"] += 1
            mode, delay, k = plan()
            before = set(os.listdir(sessions))
            proc = start(folder)
            watchdog = threading.Timer(120, proc.kill)
            watchdog.start()
            acked = 0
            try:
                if mode == "time":
                    time.sleep(delay)
                elif mode == "create":
                    while proc.poll() is None and not set(os.listdir(sessions)) - before:
                        time.sleep(0.0005)
                    time.sleep(delay)
                else:
                    while acked < k:
                        line = proc.stdout.readline()
                        if not line:
                            break
                        if line.startswith(b"saved "):
                            acked = int(line.split()[1])
                    time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                code = proc.wait()
                # Lines printed before the kill but not yet read were acknowledged too.
                for line in proc.stdout.read().splitlines():
                    if line.startswith(b"saved "):
                        acked = int(line.split()[1])
            finally:
                watchdog.cancel()
                proc.stdout.close()
            new = sorted(set(os.listdir(sessions)) - before)
            with rng_lock:
                results.append({"store": folder, "new": new, "acked": acked, "code": code,
                                "mode": mode})
                if code == -signal.SIGKILL:
                    tally["kills"] += 1
                    tally["modes"][mode] = tally["modes"].get(mode, 0) + 1

    def worker(folder: Path) -> None:
        try:
            attempts(folder)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(folder,)) for folder in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    killing = time.monotonic() - started
    if errors:
        raise errors[0]

    # Every session: openable, its events decrypt, at least what was acknowledged, and a prefix
    # of the uninterrupted run.
    lost, problems, torn, partial, completed, crashed = 0, [], [], 0, 0, []
    opened = {}
    for folder in stores:
        opened[folder] = Store(folder)
        opened[folder].unlock(PASSPHRASE)
    listed = {folder: {s.id: s for s in opened[folder].list()} for folder in stores}
    for r in results:
        folder, store = r["store"], opened[r["store"]]
        if r["code"] not in (0, -signal.SIGKILL):
            problems.append(f"an attempt exited {r['code']}")
        if len(r["new"]) > 1:
            problems.append(f"one attempt made {len(r['new'])} sessions")
        if r["code"] == 0:
            completed += 1
        if not r["new"] or not (folder / "sessions" / r["new"][0] / "events.log").is_file():
            # Killed before the session existed (or while its folder was being made): such a
            # session is not listed and nothing had been acknowledged.
            if r["acked"] or (r["new"] and r["new"][0] in listed[folder]):
                problems.append(f"{r}: acknowledged events, or listed, without an events log")
            partial += 1
            continue
        sid = r["new"][0]
        info = listed[folder].get(sid)
        if info is None or info.problem not in ("", TORN):
            problems.append(f"{sid}: listed as {info}")
            continue
        log = store.open_session(sid, writable=False)
        events = without_at(log.events)
        if len(events) < r["acked"]:
            lost += r["acked"] - len(events)
            problems.append(f"{sid}: {r['acked']} acknowledged, {len(events)} on disk")
        if events != reference[:len(events)]:
            problems.append(f"{sid}: its events are not a prefix of the uninterrupted run")
        if info.events != len(events):
            problems.append(f"{sid}: listed with {info.events} events, {len(events)} open")
        if log.recovered:
            torn.append((folder, sid))
        if r["code"] == -signal.SIGKILL:
            crashed.append((folder, sid, len(events)))
    return {"kills": tally["kills"], "attempts": len(results), "lost": lost,
            "problems": problems, "torn": torn, "partial": partial, "completed": completed,
            "crashed": crashed, "modes": tally["modes"], "seed": seed, "seconds": killing,
            "reference": reference, "total": total, "stores": stores}


def others(kills: int, work: Path, seed: int) -> dict:
    """Kill `passphrase` and `sessions delete` at random moments; check what they leave."""
    from interview.storage.store import Store, StorageError, WrongPassphrase

    rng = random.Random(seed)
    folder = work / "others"
    phrases = [work / "phrase-a", work / "phrase-b"]
    phrases[0].write_text(PASSPHRASE + "\n")
    phrases[1].write_text("another crash campaign passphrase\n")
    store = Store.create(folder, PASSPHRASE, n=2**14)
    counts = {}
    for n in range(150):
        log = store.create_session("youth")
        for k in range(n % 5):
            log.append({"type": "observe", "value": "same_clothes_daily", "note": str(k)})
        counts[log.id] = log.count
        log.close()
    env = {k: v for k, v in os.environ.items() if k != "CSEC_INTERVIEW_DEBUG"}
    current, problems, tally = 0, [], {"passphrase": 0, "delete": 0, "deleted": 0}

    took = {"passphrase": 0.3, "delete": 0.15}  # seconds a whole run takes, learnt as we go

    def kill_at(mode: str, argv: list[str]) -> int:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "interview", *argv], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=rng.uniform(0.2, 1.1) * took[mode])
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        if code == 0:
            took[mode] = 0.8 * took[mode] + 0.2 * (time.monotonic() - start)
        return code

    attempt = 0
    while tally["passphrase"] + tally["delete"] < kills and attempt < 4 * kills:
        attempt += 1
        mode = "passphrase" if attempt % 2 == 0 or not counts else "delete"
        common = ["--store", str(folder), "--passphrase-file", str(phrases[current])]
        if mode == "passphrase":
            code = kill_at(mode, ["passphrase", *common, "--new-passphrase-file",
                                  str(phrases[1 - current])])
        else:
            victim = rng.choice(sorted(counts))
            code = kill_at(mode, ["sessions", "delete", victim, "--yes", *common])
        tally[mode] += code == -signal.SIGKILL
        opened = None
        for which in (current, 1 - current):
            try:
                opened = Store(folder)
                opened.unlock(phrases[which].read_text().strip())
                current = which
                break
            except WrongPassphrase:
                opened = None
        if opened is None:
            problems.append(f"attempt {attempt} ({mode}): neither passphrase opens the store")
            break
        listed = {s.id: s for s in opened.list()}
        for sid, count in list(counts.items()):
            try:
                events = len(opened.open_session(sid, writable=False).events)
            except StorageError as exc:
                if mode == "delete" and sid == victim and (
                        "was deleted" in str(exc) or "no session" in str(exc)):
                    if sid in listed:  # left over: deleting again finishes it
                        opened.delete_session(sid)
                    del counts[sid]
                    tally["deleted"] += 1
                    continue
                problems.append(f"attempt {attempt} ({mode}): {exc}")
                continue
            if events != count:
                problems.append(f"attempt {attempt} ({mode}): {sid} has {events} of {count}")
            if listed.get(sid) is None or listed[sid].problem:
                problems.append(f"attempt {attempt} ({mode}): {sid} listed as {listed.get(sid)}")
        if not counts:
            break
    return {"kills": tally["passphrase"] + tally["delete"], "modes": tally, "problems": problems}


def summary(result: dict) -> str:
    return (f"crash points: {result['kills']}, events lost: {result['lost']} (attempts "
            f"{result['attempts']}, completed before the kill {result['completed']}, killed "
            f"before a session existed {result['partial']}, torn tails {len(result['torn'])}, "
            f"modes {result['modes']}, seed {result['seed']}, {result['seconds']:.1f}s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--others", type=int, default=200, metavar="N",
                        help="kill points in `passphrase` and `sessions delete`")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="csec-crash-") as tmp:
        result = campaign(args.kills, args.workers, Path(tmp), args.seed)
        other = others(args.others, Path(tmp), result["seed"]) if args.others else \
            {"kills": 0, "modes": {}, "problems": []}
    for problem in (result["problems"] + other["problems"])[:20]:
        print(problem)
    print(summary(result))
    print(f"crash_kill_points: {result['kills']}")
    print(f"crash_events_lost: {result['lost']}")
    print(f"crash_other_kill_points: {other['kills']} {other['modes']}")
    print(f"crash_problems: {len(result['problems']) + len(other['problems'])}")
    return 1 if result["lost"] or result["problems"] or other["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
