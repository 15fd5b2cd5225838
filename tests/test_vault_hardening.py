"""Issue 12's medium and low findings, each performed as an attack: markup and escape
sequences in the saved-interviews list, a read-only store, the audit trail cut, rewritten,
deleted, torn or garbled, core dumps, a missing store.json, county templates reaching Python,
links planted at an export's temporary name, a FIFO, a negative delay, a CR in a CSV cell,
bidi overrides in reports, and a store from the pre-release format. All cases are fictional.
"""

from __future__ import annotations

import asyncio
import csv
import errno
import io
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from interview.storage import files as files_mod
from interview.storage.audit import AuditLog
from interview.storage.saved import SavedSession
from interview.storage.store import StorageError, Store
from keys import type_text
from stores import (EXAMPLES, FAST_N, PASSPHRASE, SURVIVAL, child_env, cli_proc,  # noqa: F401
                    store_dir, unlock_in_app, unlocked)



def one_session(store, library, events: int = 2) -> str:
    saved = SavedSession.create(store, library, "youth")
    for _ in range(events):
        saved.session.skip()
    saved.close()
    return saved.id


# --- the saved-interviews list: text, never markup or escape sequences -----------------------

HOSTILE = "x[/]y[bold]\x1b[2J\x1b]0;pwned\x07"


def test_a_hostile_path_in_a_problem_is_shown_as_text_in_the_app_and_the_cli(tmp_path, library,
                                                                            cli):
    from interview.app.app import InterviewApp
    from interview.app.screens.message import MessageScreen
    from interview.app.screens.sessions import SessionsScreen

    folder = tmp_path / HOSTILE / "store"
    Store.create(folder, PASSPHRASE, n=FAST_N)
    store = unlocked(folder)
    damaged, fine = one_session(store, library), one_session(store, library)
    log = folder / "sessions" / damaged / "events.log"
    log.write_bytes(b"{not json" + log.read_bytes()[log.read_bytes().index(b"\n"):])
    problem = next(s for s in store.list() if s.id == damaged).problem
    assert "[/]" in problem and "\x1b" in problem  # the path is in it

    async def go():
        app = InterviewApp(library=library, store=Store(folder))
        async with app.run_test(size=(100, 30)) as pilot:
            await unlock_in_app(pilot)
            await pilot.press("r")  # this crashed on a markup error
            await pilot.pause()
            assert isinstance(app.screen, SessionsScreen)
            menu = app.screen.query_one("OptionList")
            labels = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
            assert any("x[/]y[bold]" in label and "\x1b" not in label for label in labels)
            menu.highlighted = [menu.get_option_at_index(i).id
                                for i in range(menu.option_count)].index(damaged)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, MessageScreen) and app.is_running

    asyncio.run(go())
    passfile = tmp_path / "pass"
    passfile.write_text(PASSPHRASE)
    code, out, err = cli("sessions", "list", "--store", folder, "--passphrase-file", passfile)
    assert code == 0 and damaged in out and fine in out
    assert "\x1b" not in out + err and "\x07" not in out + err
    code, out, err = cli("sessions", "list", "--store", tmp_path / HOSTILE / "none")
    assert code == 1 and "no store at" in err and "\x1b" not in out + err


# --- a read-only store -------------------------------------------------------------------------

def test_a_read_only_store_opens_lists_and_says_why_an_interview_cannot_be_changed(
        store_dir, library, monkeypatch):
    """What a read-only disk does (EROFS on every write), simulated so it runs as root too."""
    from interview.app.app import InterviewApp
    from interview.app.screens.message import MessageScreen

    folder, _ = store_dir
    sid = one_session(unlocked(folder), library)
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(folder) in str(path):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(files_mod.os, "open", read_only)

    async def go():
        app = InterviewApp(library=library, store=Store(folder))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock_in_app(pilot)  # the audit cannot be written: no matter
            await pilot.press("r")
            await pilot.pause()
            await pilot.press("enter")  # this crashed on the session's lock file
            await pilot.pause()
            assert isinstance(app.screen, MessageScreen) and app.is_running
            text = " ".join(str(w.render()) for w in app.screen.query("Static"))
            assert f"could not open session {sid} for writing: the disk is read-only" in text

    asyncio.run(go())


# --- the audit trail ---------------------------------------------------------------------------

@pytest.fixture
def trail(store_dir, library, cli):
    """A store with an audited history: (folder, passfile, audit.log lines)."""
    folder, passfile = store_dir
    store = unlocked(folder)
    for _ in range(3):
        one_session(store, library, 1)
    store.audit.append("exported", "", "text mdt to a file")
    return folder, passfile, (folder / "audit.log").read_bytes().splitlines(keepends=True)


def verify(cli, folder, passfile):
    return cli("audit", "verify", "--store", folder, "--passphrase-file", passfile)


def rehash(lines: list[bytes], start: int = 0) -> list[bytes]:
    """Recompute every hash from `start` on, as anyone who can read the file can."""
    from interview.storage.audit import GENESIS, _digest

    out, prev = [], GENESIS
    for i, raw in enumerate(lines):
        entry = json.loads(raw)
        if i >= start:
            entry["prev"] = prev
            entry["hash"] = _digest(prev, entry)
        out.append((json.dumps(entry, sort_keys=True) + "\n").encode())
        prev = entry["hash"]
    return out


@pytest.mark.parametrize("attack, expected", [
    ("remove the last lines", "the trail ends after 3 entries, but 5 were recorded"),
    ("rewrite an entry and re-hash the whole chain", "entry 5 is not the one recorded"),
    ("delete audit.log", "audit.log is missing, but 5 entries were recorded"),
    ("garble a line with bytes that are not UTF-8", "line 3 is not a valid entry"),
])
def test_the_audit_trail_cut_rewritten_deleted_or_garbled_fails_verify(trail, cli, attack,
                                                                       expected):
    folder, passfile, lines = trail
    path = folder / "audit.log"
    assert verify(cli, folder, passfile)[0] == 0
    if attack == "remove the last lines":
        path.write_bytes(b"".join(lines[:3]))
    elif attack == "rewrite an entry and re-hash the whole chain":
        entry = json.loads(lines[2])
        entry["action"] = "reviewed"
        path.write_bytes(b"".join(rehash(lines[:2] + [json.dumps(entry).encode() + b"\n"]
                                         + lines[3:], 2)))
    elif attack == "delete audit.log":
        path.unlink()
    else:
        path.write_bytes(b"".join(lines[:2]) + b"\xff\xfe\x80 not utf-8\n" + b"".join(lines[3:]))
    code, out, err = verify(cli, folder, passfile)
    assert code == 1 and out == "" and expected in err, err
    assert "internal error" not in err and len(err.strip().splitlines()) == 1


def test_a_rewritten_trail_stays_reported_after_the_next_unlock_writes_to_it(trail, cli):
    """Unlocking adds an entry and moves the sealed head on: only once the trail is seen to
    still pass through the head recorded before; otherwise the break is recorded for good."""
    folder, passfile, lines = trail
    entry = json.loads(lines[1])
    entry["user"] = "someone else"
    (folder / "audit.log").write_bytes(b"".join(rehash(
        [lines[0], json.dumps(entry).encode() + b"\n"] + lines[2:], 1)))
    assert cli("sessions", "list", "--store", folder, "--passphrase-file", passfile)[0] == 0
    code, _, err = verify(cli, folder, passfile)
    assert code == 1 and "the trail was rewritten" in err
    (folder / "audit.log").write_bytes(b"".join(rehash(  # even re-hashed once more to the end
        AuditLog(folder / "audit.log").path.read_bytes().splitlines(keepends=True))))
    code, _, err = verify(cli, folder, passfile)
    assert code == 1 and "the trail was rewritten" in err


def test_a_torn_last_line_is_mentioned_then_replaced_not_a_broken_chain_for_ever(trail, cli,
                                                                                 library,
                                                                                 monkeypatch):
    folder, passfile, lines = trail
    store = unlocked(folder)
    real_write = os.write

    def full_disk(fd, data):  # the disk fills up in the middle of the line
        real_write(fd, bytes(data)[:40])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("interview.storage.audit.os.write", full_disk)
    store.audit.append("reviewed", "0123456789abcdef")
    monkeypatch.undo()
    code, out, err = verify(cli, folder, passfile)
    assert code == 0 and "its last line was cut short" in out, err
    store.audit.append("reviewed", "0123456789abcdef")  # room again: the torn line is replaced
    code, out, err = verify(cli, folder, passfile)
    assert code == 0 and "cut short" not in out and "ok: 6 audit entries" in out, err


def test_audit_verify_needs_the_passphrase_and_adds_nothing(trail, cli, tmp_path):
    folder, passfile, lines = trail
    code, _, err = cli("audit", "verify", "--store", folder)
    assert code == 1 and "--passphrase-file" in err
    assert verify(cli, folder, passfile)[0] == 0
    assert (folder / "audit.log").read_bytes() == b"".join(lines)


# --- core dumps ------------------------------------------------------------------------------

def _core_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name == "core" or p.name.startswith("core.")]


def _allow_cores():
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_crash_writes_no_core_file_with_answers_in_it(tmp_path, store_dir):
    folder, passfile = store_dir
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "interview", "run", "youth", "--answers",
                             str(SURVIVAL), "--store", str(folder), "--passphrase-file",
                             str(passfile), "--delay-ms", "3000"], cwd=cwd, env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            preexec_fn=_allow_cores)
    try:
        assert proc.stdout.readline() == b"saved 1\n"  # answers are in its memory now
        limits = Path(f"/proc/{proc.pid}/limits").read_text()
        core_line = next(line for line in limits.splitlines() if "core file size" in line)
        assert core_line.split()[-3] == "0", core_line  # (the soft limit: what applies)
        proc.send_signal(signal.SIGSEGV)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.stdout.close()
    # ...and it is not dumpable: no core piped to a handler, no /proc/PID/mem for others.
    probe = subprocess.run([sys.executable, "-c", "import ctypes, contextlib, io\n"
                            "from interview.cli import main\n"
                            "with contextlib.redirect_stdout(io.StringIO()): main(['red-flags'])\n"
                            "print(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))"],  # PR_GET_DUMPABLE
                           cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip() == "0", probe.stderr

    # The same crash of a plain Python process, as a control, after ours: once its core is
    # there, one from ours (which crashed first) would be too; no fixed wait. Where the
    # control writes no core either (cores piped elsewhere, or a sandbox without them) the
    # check proved only the limit.
    control = tmp_path / "control"
    control.mkdir()
    plain = subprocess.Popen([sys.executable, "-c", "import time; print('up', flush=True); "
                              "time.sleep(30)"], cwd=control, stdout=subprocess.PIPE,
                             preexec_fn=_allow_cores)
    plain.stdout.readline()
    plain.send_signal(signal.SIGSEGV)
    plain.wait(timeout=30)
    plain.stdout.close()
    for _ in range(50):  # a core piped to a handler may land a moment after the exit
        cores = _core_files(control)
        if cores:
            break
        time.sleep(0.1)
    assert _core_files(cwd) == []
    for core in cores:
        core.unlink()
    if not cores:
        pytest.skip("this system writes no core file to the working folder: only the limit "
                    "was checked")


# --- a missing store.json ----------------------------------------------------------------------

def test_a_missing_store_json_never_makes_a_new_store_over_the_interviews(store_dir, library,
                                                                         tmp_path, cli):
    from interview.app.app import InterviewApp
    from interview.app.screens.unlock import UnlockScreen

    folder, passfile = store_dir
    sid = one_session(unlocked(folder), library)
    (folder / "store.json").unlink()  # moved, deleted, or not restored with the rest
    before = sorted(p.name for p in folder.rglob("*"))
    code, out, err = cli("run", "youth", "--answers", SURVIVAL, "--store", folder,
                         "--passphrase-file", passfile)
    assert code == 1 and "saved" not in out
    assert "its store.json is missing" in err and "put store.json back" in err
    code, _, err = cli("sessions", "list", "--store", folder)
    assert code == 1 and "store.json is missing" in err
    with pytest.raises(StorageError, match="store.json is missing"):
        Store.create(folder, "another passphrase", n=FAST_N)

    async def go():
        app = InterviewApp(library=library, store=Store(folder))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, UnlockScreen)
            error = str(app.screen.query_one("#unlock-error").render())
            assert "store.json is missing" in error and "ctrl+w" in error  # said at once
            await type_text(pilot, "another passphrase")
            await pilot.press("enter")
            await type_text(pilot, "another passphrase")
            await pilot.press("enter")
            await pilot.pause()
            assert "store.json is missing" in str(app.screen.query_one("#unlock-error").render())

    asyncio.run(go())
    assert sorted(p.name for p in folder.rglob("*")) == before and sid in before


# --- county templates: the sandbox -----------------------------------------------------------

@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ r.__class__.__init__.__globals__ }}",
    "{{ fmt.__dict__ }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
])
def test_a_county_template_cannot_reach_python(cli, tmp_path, template, monkeypatch):
    monkeypatch.chdir(tmp_path)
    own = tmp_path / "county-templates" / "reports"
    own.mkdir(parents=True)
    (own / "mdt.j2").write_text(template + "\n")
    county = tmp_path / "county.yaml"
    county.write_text((ROOT / "flows/counties/default.yaml").read_text()
                      + "templates: county-templates\n")
    code, out, err = cli("--county", county, "report", EXAMPLES / "labor-debt.yaml",
                         "--part", "mdt")
    assert code == 1 and "the report template cannot be used" in err, (out, err)
    assert "internal error" not in err and not (tmp_path / "PWNED").exists()


# --- write_atomic: a planted link or file, a crash mid-export ------------------------------------

def test_a_link_planted_at_the_temporary_name_is_never_followed(tmp_path, monkeypatch, cli):
    from interview.reports import export

    target = tmp_path / "note.txt"
    victim = tmp_path / "victim"
    victim.write_text("the attacker's target\n")
    # The name the export used to write to first, and the next names it will try.
    planted = [tmp_path / f".note.txt.{os.getpid()}.tmp"]
    names = iter(["aaaa", "bbbb", "cccc"])
    monkeypatch.setattr("secrets.token_hex", lambda n: next(names))  # (files imports it late)
    planted += [tmp_path / ".note.txt.aaaa.csec-partial"]
    for link in planted:
        link.symlink_to(victim)
    (tmp_path / ".note.txt.bbbb.csec-partial").write_text("planted, 0644")
    os.chmod(tmp_path / ".note.txt.bbbb.csec-partial", 0o644)
    monkeypatch.setattr(files_mod, "_unnamed_works", False)  # the named way, where it shows
    export.write(target, "CASE NOTE (fictional)\n")
    assert victim.read_text() == "the attacker's target\n"
    assert target.read_text() == "CASE NOTE (fictional)\n" and not target.is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert (tmp_path / ".note.txt.bbbb.csec-partial").read_text() == "planted, 0644"


def test_a_link_planted_at_a_lock_file_is_refused_never_followed_nor_ignored(store_dir, library,
                                                                           tmp_path):
    folder, _ = store_dir
    store = unlocked(folder)
    sid = one_session(store, library)
    victim = tmp_path / "victim"
    victim.write_text("untouched\n")
    lock = folder / "sessions" / sid / "lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(victim)
    with pytest.raises(StorageError, match=f"could not open session {sid} for writing: a "
                                           "symbolic link is in the way"):
        SavedSession.resume(store, library, sid)
    assert victim.read_text() == "untouched\n"


def test_the_export_is_0600_whatever_the_umask(tmp_path):
    from interview.reports import export

    old = os.umask(0)
    try:
        path = export.write(tmp_path / "note.txt", "fictional\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


CRASHING_EXPORT = """
import os, signal, sys
from interview.storage import files
files._unnamed_works = sys.argv[2] == "as the system allows"
real = os.write
def die(fd, data):
    real(fd, bytes(data)[:len(data) // 2])
    os.kill(os.getpid(), signal.SIGKILL)
os.write = die
from interview.reports import export
export.write(sys.argv[1], "SECRET NOTE (fictional) " * 2000)
"""


@pytest.mark.parametrize("how", ["as the system allows", "through a named file"])
def test_a_crash_mid_export_leaves_no_plaintext_behind_for_long(tmp_path, how):
    """Where the system gives unnamed files, a crash leaves nothing; elsewhere a hidden
    temporary file, which the next export into the folder removes."""
    from interview.reports import export

    folder = tmp_path / "Downloads"
    folder.mkdir()
    done = subprocess.run([sys.executable, "-c", CRASHING_EXPORT, str(folder / "note.txt"), how],
                          cwd=ROOT, env=child_env(), timeout=60)
    assert done.returncode == -signal.SIGKILL
    left = list(folder.iterdir())
    assert len(left) <= 1 and all(p.name.endswith(".csec-partial") for p in left), left
    if how == "through a named file":
        assert left  # (the case the sweep is for)
    for p in left:
        old = time.time() - 3600  # an hour later
        os.utime(p, (old, old))
    export.write(folder / "other.txt", "fictional\n")
    left = [p for p in folder.iterdir() if p.name != "other.txt"]
    assert left == [], left


# --- a FIFO, a negative delay --------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["assess", "{fifo}"], ["report", "{fifo}"], ["validate", "{fifo}"],
    ["run", "youth", "--answers", "{fifo}", "--passphrase-file", "{pass}"],
    ["--county", "{fifo}", "questions", "youth"], ["practice", "export", "{fifo}"],
    ["sessions", "list", "--passphrase-file", "{fifo}"],
])
def test_a_fifo_given_as_a_file_is_a_message_not_a_hang(tmp_path, store_dir, command):
    folder, passfile = store_dir
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    args = [a.format(fifo=fifo, **{"pass": passfile}) for a in command] + ["--store", folder] \
        if command[0] in ("run", "sessions") else [a.format(fifo=fifo) for a in command]
    start = time.monotonic()
    done = cli_proc(*args, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert ("is not a regular file" in done.stderr or "nothing came through it" in done.stderr)
    assert time.monotonic() - start < 30


@pytest.mark.parametrize("delay", ["-1", "99999999999999999999", "soon"])
def test_run_with_an_impossible_delay_saves_nothing(tmp_path, delay, cli):
    passfile = tmp_path / "passphrase"
    passfile.write_text(PASSPHRASE)
    with pytest.raises(SystemExit) as caught:
        cli("run", "youth", "--answers", SURVIVAL, "--store", tmp_path / "store",
            "--passphrase-file", passfile, "--delay-ms", delay)
    assert caught.value.code == 2
    assert not (tmp_path / "store").exists()


# --- a CR in a CSV cell; bidi overrides and C1 controls in reports --------------------------------

def test_a_carriage_return_in_a_trainees_name_does_not_start_a_csv_row(tmp_path, cli):
    path = tmp_path / "class.jsonl"
    rows = [{"trainee": "Ana\r=1+1,Evil", "scenario": "boyfriend", "score": 90},
            {"trainee": "Bo\r\nb", "scenario": "boyfriend", "score": 80}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    os.chmod(path, 0o600)
    code, out, err = cli("practice", "export", path)
    assert code == 0, err
    assert "\r" not in out
    table = list(csv.reader(io.StringIO(out, newline="")))
    assert len(table) == 3 and all(len(r) == len(table[0]) for r in table)
    assert table[1][0] == "Ana=1+1,Evil" and table[2][0] == "Bo\nb"


BIDI_AND_C1 = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x85\x9b\x90"


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_bidi_overrides_and_c1_controls_never_reach_a_report(tmp_path, cli, fmt):
    data = {"flow": "youth", "context": {"date_of_birth": "2010-01-01",
                                         "interview_date": "2025-01-10",
                                         "case_id": "CASE\u202e1-TSET"},
            "answers": {"confidentiality_script": "yes",
                        "open_staying": {"text": "at \u202egnissim\u202c a friend's\x85\x9b2J"}}}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    code, out, err = cli("report", path, "--format", fmt, "--include-words")
    assert code == 0, err
    assert not set(out) & set(BIDI_AND_C1)
    if fmt == "json":  # the data itself is kept, as escapes
        assert "at \u202egnissim\u202c a friend's\x85\x9b2J" in out.encode().decode(
            "unicode_escape", errors="ignore") or "\\u202e" in out
        assert json.loads(out)["case"]["case_id"] == "CASE\u202e1-TSET"
    else:
        assert "gnissim" in out


# --- a store from the pre-release format ---------------------------------------------------------

def test_a_store_of_the_pre_release_format_gets_one_clear_message(tmp_path, cli, library):
    from interview.app.app import InterviewApp

    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "store.json").write_text(json.dumps({
        "format": 1, "kdf": {"name": "scrypt", "n": 16384, "r": 8, "p": 1, "salt": "AAAA"},
        "store_key": "AAAA", "created": "2025-01-01T00:00:00+00:00"}))
    passfile = tmp_path / "pass"
    passfile.write_text(PASSPHRASE)
    for args in (["sessions", "list"], ["run", "youth", "--answers", SURVIVAL],
                 ["audit", "verify"]):
        code, out, err = cli(*args, "--store", folder, "--passphrase-file", passfile)
        assert code == 1 and "format 1, from a pre-release version" in err, err
        assert len(err.strip().splitlines()) == 1 and "internal error" not in err

    async def go():
        app = InterviewApp(library=library, store=Store(folder))
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock_in_app(pilot)
            error = str(app.screen.query_one("#unlock-error").render())
            assert "pre-release version" in error and "ctrl+w" in error

    asyncio.run(go())
    assert sorted(p.name for p in folder.iterdir()) == ["store.json"]  # nothing written over it
