#!/usr/bin/env python3
"""Fuzz the command line: every input gets one clear message, never an "internal error".

Three families of input, each mutated from the shipped files or built from the CLI's grammar:

  answers  the examples in flows/examples, mutated as trees (a list or mapping where an id is
           expected, 5,000-digit numbers, nesting thousands deep, NaN, control characters,
           strings of a megabyte, wrong dates) and as bytes (truncated, flipped, not UTF-8),
           given to `assess`, `report` and `run` (into a throwaway store)
  flows    every shipped flow, part, catalog, county, script and scenario, mutated the same
           way, given to `validate` (and a county also to `--county FILE questions`)
  args     argument lists from the CLI's own commands and options with hostile values
           (negative, huge, empty, a FIFO, a folder, /dev/zero, escape sequences)

Each input runs in this process (the CLI's `main`), with an alarm for a hang. An input passes
when it exits 0, 1 or 2 with no "internal error", no traceback and no hang. The figure is the
number of inputs and of failures, with each failure's cause (the exception, or "hang"):

  python scripts/fuzz_campaign.py --inputs 10000 [--seed N] [--jobs 2]

tests/test_fuzz.py runs a few dozen of each family on every test run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOWS = ROOT / "flows"
PASSPHRASE = "a fuzzing passphrase"
HANG_SECONDS = 20
FAMILIES = ("answers", "flows", "args")

# Placeholders replaced after serialising: values JSON and YAML writers cannot make themselves.
BIG = "BIGNUMBERPLACEHOLDER"
DEEP = "DEEPNESTPLACEHOLDER"


# --- values that have broken parsers before ---------------------------------------------------

def nasty(rng: random.Random):
    choices = [
        lambda: [], lambda: {}, lambda: ["youth", ["nested"]], lambda: {"id": "youth"},
        lambda: [{"a": 1}], lambda: None, lambda: True, lambda: False, lambda: 0, lambda: -1,
        lambda: 2**63, lambda: -(2**64), lambda: 1.5, lambda: float("nan"),
        lambda: float("inf"), lambda: "", lambda: " ", lambda: "yes", lambda: "no",
        lambda: "declined", lambda: "\x1b[31mred\x1b[0m", lambda: "\u202etxt.exe",
        lambda: "a\rb", lambda: "\x85\x9b2J", lambda: "\x00", lambda: "é" * 3,
        lambda: "x" * rng.choice([300, 70_000, 1_100_000]), lambda: "2025-02-30",
        lambda: "9999-12-31", lambda: "0001-01-01", lambda: "2025-13-01", lambda: "not a date",
        lambda: "{{ 7*7 }}", lambda: "[b]bold[/b]", lambda: "../../etc/passwd",
        lambda: BIG, lambda: DEEP, lambda: "in_foster_care", lambda: "red_flag:trades_sex",
        lambda: "at_risk:a", lambda: "confirm", lambda: {"answer": "yes", "cues": [[]]},
        lambda: {"text": ["a"], "cues": "x"}, lambda: ["a"] * 3, lambda: {1: 2},
        lambda: {"answer": {"x": 1}}, lambda: [None], lambda: 10**18,
    ]
    return rng.choice(choices)()


def paths_in(tree, prefix=()):
    """Every path to a node of a parsed YAML/JSON tree."""
    yield prefix
    if isinstance(tree, dict):
        for k, v in list(tree.items()):
            yield from paths_in(v, prefix + (k,))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield from paths_in(v, prefix + (i,))


def _get(tree, path):
    for p in path:
        tree = tree[p]
    return tree


def mutate_tree(rng: random.Random, tree):
    """One to three changes: replace a node, drop a key or item, add a key, rename a key."""
    import copy

    tree = copy.deepcopy(tree)
    for _ in range(rng.randint(1, 3)):
        paths = list(paths_in(tree))
        path = rng.choice(paths)
        if not path:
            if rng.random() < 0.3:
                return nasty(rng)
            continue
        parent, key = _get(tree, path[:-1]), path[-1]
        roll = rng.random()
        if roll < 0.6:
            parent[key] = nasty(rng)
        elif roll < 0.75:
            del parent[key]
        elif roll < 0.85 and isinstance(parent, dict):
            parent[rng.choice(["extra", "flow", "answers", "id", str(key) + "x", 5])] = nasty(rng)
        elif isinstance(parent, dict) and isinstance(key, str):
            parent[rng.choice([key.upper(), key + "_", 7, ""])] = parent.pop(key)
        elif isinstance(parent, list):
            parent.insert(key, nasty(rng))
    return tree


def serialise(rng: random.Random, tree, suffix: str) -> bytes:
    deep = rng.choice([40, 600, 5_000, 120_000])
    if suffix == ".json":
        text = json.dumps(tree, default=str, allow_nan=True)
        text = text.replace(json.dumps(BIG), "9" * 5000)
        text = text.replace(json.dumps(DEEP), "[" * deep + "]" * deep)
    else:
        import yaml

        text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=10_000)
        text = text.replace(BIG, "9" * 5000).replace(DEEP, "[" * deep + "]" * deep)
    return text.encode("utf-8", "surrogatepass")


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        pos = rng.randrange(len(data) + 1)
        if roll < 0.25 and data:
            data = data[:pos]
        elif roll < 0.5 and data:
            data[min(pos, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif roll < 0.7:
            data[pos:pos] = rng.choice([b"\xff\xfe", b"\x00", b"\xc3", b"\t", b"\r", b"- ",
                                        b": ", b"[", b"{", b"&a ", b"*a", b"!!python/object "])
        elif data:
            end = min(len(data), pos + rng.randint(1, 200))
            data[pos:pos] = data[pos:end] * rng.randint(2, 5)
    return bytes(data)


def load_tree(path: Path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- the three families ---------------------------------------------------------------------

class Inputs:
    """Builds inputs in a work folder: a throwaway store, a passphrase file, odd files."""

    def __init__(self, work: Path):
        from interview.storage.store import Store

        self.work = work
        self.store = work / "store"
        Store.create(self.store, PASSPHRASE, n=2**10)
        self.passfile = work / "passphrase"
        self.passfile.write_text(PASSPHRASE + "\n")
        self.fifo = work / "a-fifo"
        os.mkfifo(self.fifo)
        self.folder = work / "a-folder"
        self.folder.mkdir()
        self.examples = sorted((FLOWS / "examples").glob("*.yaml"))
        self.content = sorted(p for p in FLOWS.rglob("*.yaml") if "examples" not in p.parts)
        self.trees = {}
        self.count = 0

    def tree(self, path: Path):
        if path not in self.trees:
            self.trees[path] = load_tree(path)
        return self.trees[path]

    def file(self, rng, source: Path, suffix: str | None = None) -> Path:
        suffix = suffix or rng.choice([".yaml", ".json"])
        if rng.random() < 0.75:
            data = serialise(rng, mutate_tree(rng, self.tree(source)), suffix)
        else:
            data = mutate_bytes(rng, source.read_bytes())
        self.count += 1
        out = self.work / f"input-{self.count}{suffix}"
        out.write_bytes(data)
        return out

    def answers(self, rng) -> list[str]:
        path = self.file(rng, rng.choice(self.examples))
        command = rng.choice(["assess", "assess-json", "report", "run"])
        if command == "assess":
            return ["assess", str(path)]
        if command == "assess-json":
            return ["assess", str(path), "--json"]
        if command == "report":
            return ["report", str(path), "--format", rng.choice(["text", "md", "html", "json"])]
        flow = rng.choice(["youth", "caregiver", "hotline", "runaway-return", "labor-criminal"])
        return ["run", flow, "--answers", str(path), "--store", str(self.store),
                "--passphrase-file", str(self.passfile)]

    def flows(self, rng) -> list[str]:
        source = rng.choice(self.content)
        path = self.file(rng, source, ".yaml")
        if "counties" in source.parts and rng.random() < 0.5:
            return ["--county", str(path), "questions", "youth"]
        return ["validate", str(path)]

    def args(self, rng) -> list[str]:
        value = lambda: rng.choice([  # noqa: E731
            "-1", "0", "1", "99999999999999999999", "", "-", "youth", "\x1b[2J", "yuth",
            "2025-02-30", "2025-01-01", "a" * 5000, str(self.fifo), str(self.folder),
            "/dev/zero", "/dev/null", str(self.work / "missing.yaml"), "1e309", "nan",
            str(self.examples[0]), "--json", "0123456789abcdef", "../../x", "\u202e"])
        commands = {
            "validate": lambda: [value() for _ in range(rng.randint(0, 2))],
            "questions": lambda: [value()] + rng.choice([[], ["--json"]]),
            "red-flags": lambda: rng.choice([[], ["--json"], [value()]]),
            "assess": lambda: [value() for _ in range(rng.randint(0, 3))],
            "diagram": lambda: [value()],
            "run": lambda: [rng.choice(["youth", value()]), "--answers",
                            rng.choice([str(self.examples[-1]), value()]),
                            "--delay-ms", value(), "--store", str(self.store),
                            "--passphrase-file", rng.choice([str(self.passfile), value()])],
            "sessions": lambda: [rng.choice(["list", "show", "delete", value()]), value(),
                                 *rng.choice([[], ["--yes"]]),  # (delete: off a terminal)
                                 "--store", rng.choice([str(self.store), value()]),
                                 "--passphrase-file", rng.choice([str(self.passfile), value()])],
            "aggregate": lambda: ["--from", value(), "--to", value(), "--store", str(self.store),
                                  "--passphrase-file", str(self.passfile)],
            "report": lambda: [value(), "--format", rng.choice(["text", "md", value()]),
                               "--part", rng.choice(["mdt", value()]), "--store",
                               str(self.store), "--passphrase-file", str(self.passfile)],
            "audit": lambda: ["verify", "--store", rng.choice([str(self.store), value()]),
                              "--passphrase-file", str(self.passfile)],
            "practice": lambda: [rng.choice(["list", "score", "selftest", "export"]),
                                 value(), value()],
        }
        command = rng.choice(sorted(commands))
        argv = [command, *commands[command]()]
        if rng.random() < 0.2:
            argv = ["--county", value(), *argv]
        if rng.random() < 0.1:
            argv = ["--lock-minutes", value(), *argv]
        return argv


# --- running one input ----------------------------------------------------------------------

class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def run_one(argv: list[str]) -> tuple[int | None, str, str]:
    """(exit code or None for a hang, stdout, stderr) of the CLI on one argument list."""
    from interview.cli import main

    import traceback

    out, err = io.StringIO(), io.StringIO()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    os.environ["CSEC_INTERVIEW_DEBUG"] = "1"  # main re-raises a bug: its place is the cause
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
    except Hang:
        code = None
    except Exception as exc:  # noqa: BLE001 - what main would call an internal error
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if "/interview/" in f.filename]
        where = (f"{Path(frames[-1].filename).relative_to(ROOT)}:{frames[-1].lineno}"
                 if frames else "?")
        code, err = 1, io.StringIO(f"internal error ({type(exc).__name__} at {where}: "
                                   f"{str(exc)[:200]}). Nothing was changed")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        os.environ.pop("CSEC_INTERVIEW_DEBUG", None)
    return code, out.getvalue(), err.getvalue()


def verdict(code, err: str) -> str:
    """'' when the input was answered properly, else the cause."""
    if code is None:
        return "hang"
    if "internal error" in err:
        start = err.index("internal error (") + len("internal error (")
        return err[start:].split(": ")[0]
    if "Traceback" in err:
        return "traceback"
    if code not in (0, 1, 2):
        return f"exit code {code}"
    if code == 1 and not err.strip():
        return "an error with no message"
    return ""


def campaign(inputs: int, seed: int, work: Path, families=FAMILIES, progress=None) -> dict:
    """Run `inputs` inputs (spread over the families); return the figures and the failures."""
    os.environ["CSEC_INTERVIEW_STORE"] = str(work / "default-store")  # never the user's store
    os.environ.pop("CSEC_INTERVIEW_DEBUG", None)
    rng = random.Random(seed)
    maker = Inputs(work)
    tally, failures, causes = Counter(), [], Counter()
    start = time.monotonic()
    for n in range(inputs):
        family = families[n % len(families)]
        argv = getattr(maker, family)(rng)
        code, _, err = run_one(argv)
        tally[family] += 1
        cause = verdict(code, err)
        if cause:
            causes[cause] += 1
            failures.append({"family": family, "argv": argv, "cause": cause,
                             "stderr": err[-400:]})
        for path in maker.work.glob("input-*"):  # keep the folder small
            path.unlink()
        if progress and (n + 1) % progress == 0:
            print(f"  {n + 1} inputs, {len(failures)} internal errors "
                  f"({time.monotonic() - start:.0f}s)", file=sys.stderr, flush=True)
    return {"inputs": inputs, "by_family": dict(tally), "internal_errors": len(failures),
            "causes": dict(causes), "failures": failures, "seconds": time.monotonic() - start,
            "seed": seed}


def _worker(args) -> dict:
    inputs, seed, families = args
    with tempfile.TemporaryDirectory(prefix="csec-fuzz-") as tmp:
        return campaign(inputs, seed, Path(tmp), families)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--family", choices=FAMILIES, action="append")
    parser.add_argument("--show", type=int, default=5, help="failures to print per cause")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    families = tuple(args.family or FAMILIES)
    share = [args.inputs // args.jobs + (i < args.inputs % args.jobs) for i in range(args.jobs)]
    if args.jobs > 1:
        from multiprocessing import Pool

        with Pool(args.jobs) as pool:
            results = pool.map(_worker, [(n, seed + i, families) for i, n in enumerate(share)])
    else:
        with tempfile.TemporaryDirectory(prefix="csec-fuzz-") as tmp:
            results = [campaign(args.inputs, seed, Path(tmp), families, progress=500)]
    total = sum(r["inputs"] for r in results)
    failures = [f for r in results for f in r["failures"]]
    causes = Counter()
    for r in results:
        causes.update(r["causes"])
    by_family = Counter()
    for r in results:
        by_family.update(r["by_family"])
    shown = Counter()
    for f in failures:
        if shown[f["cause"]] < args.show:
            shown[f["cause"]] += 1
            print(f"{f['cause']}: {f['family']}: {' '.join(a[:80] for a in f['argv'])}\n"
                  f"    {f['stderr'].strip()[-300:]}")
    print(f"fuzz_inputs: {total}")
    print(f"fuzz_by_family: {dict(by_family)}")
    print(f"fuzz_internal_errors: {len(failures)}")
    print(f"fuzz_causes: {dict(causes)}")
    print(f"fuzz_seed: {seed}")
    print(f"fuzz_seconds: {max(r['seconds'] for r in results):.0f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
