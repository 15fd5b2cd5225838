"""Shared fixtures: the shipped library, the source documents, and a CLI runner."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from interview.cli import main
from interview.content.loader import load_library

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
DOMAIN = ROOT.parent / "shared" / "DOMAIN.md"


# --- garbage collection: a sixth of the suite's CPU, a quarter of an app test's --------------------
# Textual makes and drops thousands of small objects a key, so at Python's default threshold (a
# young collection every 700 allocations, each also re-walking what survived) collecting was
# 17-25% of a test process's CPU (measured with gc.callbacks). Fewer, larger young collections,
# and the modules and collected tests (which live to the end) frozen out of every later walk.
# Nothing is collected less: only less often. No test relies on when an object is collected.

def pytest_configure(config):
    gc.set_threshold(10_000, 20, 20)
    # Many tests start the program in a fresh interpreter (the CLI, practice processes, a
    # sync to kill, the crash campaign's server). Where PYTHONDONTWRITEBYTECODE is set (this
    # machine, and its CI) none of them writes bytecode, so each compiled the package again
    # from source: it is compiled once, by the first process, before the workers start.
    if not hasattr(config, "workerinput"):
        import compileall

        compileall.compile_dir(str(ROOT / "interview"), quiet=1)
        _rewrite_the_tests_once(config)
    _load_the_shipped_content_once()


def _rewrite_the_tests_once(config) -> None:
    """pytest rewrites the asserts of each test module it imports and keeps the result in
    __pycache__, but not where bytecode is not written: then each worker rewrote all fifty
    modules again, 1.2 s of CPU each. Before the workers start, the first process writes the
    rewritten modules as pytest itself does (its own functions), and the workers read them.
    Only with workers (-n 0 rewrites each module once anyway). A module that cannot be rewritten
    here (a syntax error), or a pytest whose insides changed: the workers do it, and report any
    error, as before."""
    import sys

    if not sys.dont_write_bytecode or not config.getoption("numprocesses", None) \
            or config.getoption("assertmode") != "rewrite":
        return
    try:
        from _pytest.assertion import rewrite

        state = config.stash[rewrite.assertstate_key]
    except (ImportError, AttributeError, KeyError):
        return
    for path in _test_modules(config) + [Path(__file__)]:
        try:
            pyc = rewrite.get_cache_dir(path) / (path.name[:-3] + rewrite.PYC_TAIL)
            if rewrite._read_pyc(path, pyc) is None and rewrite.try_makedirs(pyc.parent):
                source_stat, code = rewrite._rewrite_test(path, config)
                rewrite._write_pyc(state, code, source_stat, pyc)
        except Exception:  # noqa: BLE001 - the worker rewrites it and reports what is wrong
            continue


def _test_modules(config) -> list[Path]:
    """The test modules the workers will import: those named on the command line, or all."""
    here = Path(__file__).parent.resolve()
    found: set[Path] = set()
    for arg in config.args or [str(here)]:
        path = Path(config.invocation_params.dir, arg.split("::")[0]).resolve()
        if path.is_dir() and (path == here or here.is_relative_to(path)):
            found.update(here.glob("test_*.py"))
        elif path.parent == here and path.name.startswith("test_") and path.suffix == ".py":
            found.add(path)
    return sorted(found)


def pytest_collection_finish(session):
    gc.freeze()


# --- the shipped content: read from YAML once per test process -----------------------------------
# Commands run in-process read the content cache, as the program does; but `validate` reads the
# YAML every time, as do the tests' own loads and every load whose cache is cold (a test's own
# XDG_CACHE_HOME): ~45 ms of CPU each, about 25 s of the suite's CPU in all. The shipped flows
# are the same every time (no test edits them: tests edit copies), so their first load without
# problems is kept, and every later load of them gets its own copy, unpickled as the content
# cache gives it (Library.__setstate__ makes its vocabulary and translations current, as loading
# does). The key is the content cache's (every content file's size and mtime, the model's code)
# and what the rules declare, which loading holds the catalogs against (tests alter the
# declarations in code to see `validate` catch a mismatch). A copy of the flows, a county file,
# flows given alone (`validate FILE`), an edited file, altered declarations or a load with
# problems: read from YAML as before. Each test process still reads the shipped YAML once.

def _load_the_shipped_content_once() -> None:
    import pickle

    from interview.content import cache, loader, validate
    from interview.rules import declarations

    load_library, shipped, kept = loader.load_library, (ROOT / "flows").resolve(), {}

    def load_once(root=None, county=None, extra_flows=None):
        where = Path(root) if root is not None else loader.flows_dir()
        if extra_flows is not None or where.resolve() != shipped or (
                county is not None and ("/" in county or county.endswith((".yaml", ".yml")))):
            return load_library(root, county, extra_flows)
        key = (cache._key(where, county), repr(sorted(
            (name, sorted(value.items() if isinstance(value, dict) else value))
            for name, value in declarations().items())))
        if key not in kept:
            library, problems = load_library(root, county, extra_flows)
            if problems or library is None:
                return library, problems
            kept[key] = pickle.dumps(library, protocol=pickle.HIGHEST_PROTOCOL)
        return pickle.loads(kept[key]), []

    loader.load_library = validate.load_library = load_once


# --- the long tests start first, one per worker ---------------------------------------------------
# pytest-xdist's worksteal cuts the collected list into one contiguous share per worker, and an
# idle worker steals from the end of another's share: a long test near the end of a share starts
# late and the whole run waits for it alone. So the tests marked `slow` go to the fronts of the
# shares, dealt in turn; every other test keeps its order.

def pytest_collection_modifyitems(config, items):
    workers = int(getattr(config, "workerinput", {}).get("workercount", 0))
    slow = [item for item in items if item.get_closest_marker("slow")]
    if workers < 2 or not slow:
        return
    rest = iter([item for item in items if not item.get_closest_marker("slow")])
    shares, left = [[] for _ in range(workers)], len(items)
    for n, item in enumerate(slow):
        shares[n % workers].append(item)
    for k, share in enumerate(shares):  # the sizes worksteal cuts: what is left, shared out
        size = max(left // (workers - k), len(share))
        share.extend(next(rest) for _ in range(size - len(share)))
        left -= size
    items[:] = [item for share in shares for item in share] + list(rest)


@pytest.fixture(scope="session")
def library():
    lib, problems = load_library()
    assert not problems, "\n".join(map(str, problems))
    return lib


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("the source documents (../shared/seeds) are not beside this checkout")
    return SEEDS


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""

    def run(*args: str):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def assess(cli, tmp_path):
    """Assess one answer set (a dict) through the CLI and return the parsed JSON findings."""

    def run(case: dict, *extra: str):
        path = tmp_path / "case.json"
        path.write_text(json.dumps(case, default=str))
        code, out, err = cli("assess", path, "--json", *extra)
        assert code == 0, err
        return json.loads(out)

    return run


# --- artifacts: files a test made for people to look at (screenshots), listed at the end ----------

_ARTIFACTS: list[tuple[str, str]] = []


@pytest.fixture
def artifact(record_property):
    """Record a file worth looking at (e.g. a screenshot); the run's summary lists it. It goes
    through the test's report, so a test run by a pytest-xdist worker is listed too."""

    def keep(path, what: str) -> None:
        record_property("artifact", (what, str(path)))

    return keep


def pytest_runtest_logreport(report):
    if report.when == "teardown":  # the last phase: every property recorded by then
        _ARTIFACTS.extend(tuple(value) for name, value in report.user_properties
                          if name == "artifact")


def pytest_terminal_summary(terminalreporter):
    if _ARTIFACTS:
        terminalreporter.section("artifacts")
        for what, path in _ARTIFACTS:
            terminalreporter.write_line(f"{what}: {path}")


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster, one per test process (tests/postgres.py)."""
    from postgres import start_or_skip

    cluster = start_or_skip()
    yield cluster
    cluster.stop()
