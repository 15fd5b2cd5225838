"""What the store's tests share: a store with a cheap KDF (FAST_N), unlocking it, the CLI in a
child process, and an interview moved on a few plain steps. All cases are fictional."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from interview.engine.session import Session
from interview.storage.saved import SavedSession
from interview.storage.store import Store
from keys import type_text

PASSPHRASE = "a passphrase"
# The stores, and the county key files, the tests make: scrypt with N=2^10 (1 MiB, about 2 ms)
# rather than the real 2^17 (128 MiB, about 0.45 s). The tests unlock some 700 times a run and
# the crash campaign's `run`s 220 more: at 2^14 (about 55 ms each) that was a tenth of the
# suite's CPU. N changes the cost of a guess, not what is stored or checked; the tests of the
# real parameters (test_storage, test_county_access) use the real ones.
FAST_N = 2**10
EXAMPLES = ROOT / "flows" / "examples"
SURVIVAL = EXAMPLES / "survival-sex.yaml"


@pytest.fixture
def store_dir(tmp_path):
    """An empty store (cheap KDF) and its passphrase file: (folder, passphrase file)."""
    folder = tmp_path / "store"
    Store.create(folder, PASSPHRASE, n=FAST_N)
    passfile = tmp_path / "passphrase"
    passfile.write_text(PASSPHRASE + "\n")
    return folder, passfile


def unlocked(folder: Path, passphrase: str = PASSPHRASE) -> Store:
    store = Store(folder)
    store.unlock(passphrase)
    return store


def child_env() -> dict:
    return {k: v for k, v in os.environ.items() if k != "CSEC_INTERVIEW_DEBUG"}


def cli_proc(*args, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """The CLI in a child process (its own signals, limits and file descriptors)."""
    return subprocess.run([sys.executable, "-m", "interview", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env=child_env(),
                          **kwargs)


def step_on(session: Session) -> None:
    """One valid move at the current step: answer it plainly, or skip it."""
    step = session.current
    if step.kind == "script" or step.kind == "closed":
        session.answer("yes")
    elif step.kind == "open":
        session.answer(text=f"notes for {step.id}")
    else:
        session.skip()


def new_session(store: Store, library, events: int, flow: str = "youth") -> SavedSession:
    saved = SavedSession.create(store, library, flow)
    for _ in range(events):
        step_on(saved.session)
    return saved


async def unlock_in_app(pilot, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase on the app's unlock screen and wait until unlocking (a worker) ends."""
    await pilot.pause()
    await type_text(pilot, passphrase)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
