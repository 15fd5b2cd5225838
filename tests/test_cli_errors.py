"""The command line's errors, as a user meets them (audit-err: A4, B3, B4, B5, B8, B9, B10,
B12, C3): each test performs the mistake or the failure and reads what the user is told. All
cases are fictional."""

from __future__ import annotations

import csv
import io
import json

import pytest

from stores import SURVIVAL, cli_proc, new_session, store_dir, unlocked  # noqa: F401 (store_dir: a fixture)


# --- A4: an interview left out of the county table is said in the table, and the exit is 1 ----

def renamed_step_session(folder, library) -> str:
    """A saved youth interview that answers a step the content no longer has: what renaming a
    step id in flows/ does to every interview saved before (the store itself never checks)."""
    saved = new_session(unlocked(folder), library, 3)
    saved.log.append({"type": "answer", "step": "open_schooling_renamed", "value": None,
                      "note": "", "at": "2026-01-05T10:00:00+00:00"})
    saved.log.close()
    return saved.id


def test_aggregate_says_in_the_table_itself_what_it_left_out_and_exits_1(cli, store_dir,
                                                                         library):
    folder, passfile = store_dir
    code, _, err = cli("run", "--answers", SURVIVAL, "--store", folder,
                       "--passphrase-file", passfile)
    assert code == 0, err
    broken = renamed_step_session(folder, library)
    store = ("--store", folder, "--passphrase-file", passfile)

    code, out, err = cli("aggregate", *store)
    assert code == 1
    assert "1 saved interview could not be read and is NOT counted" in out  # stdout: the table
    assert out.index("NOT counted") < out.index("Children identified")  # read before the counts
    assert "1 of 1 children, 1 interviews" in out  # the readable one is still counted
    assert f"skipped {broken}" in err

    code, out, _ = cli("aggregate", "--json", *store)
    table = json.loads(out)
    assert code == 1 and table["skipped"] == 1 and table["sessions"] == 1
    assert "1 saved interview could not be read and is NOT counted" in table["warning"]

    code, out, _ = cli("aggregate", "--csv", *store)
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 1 and rows[0] == ["table", "row", "count"]
    assert ["total", "not_counted_unreadable", "1"] in rows and ["total", "sessions", "1"] in rows


def test_aggregate_of_a_readable_store_exits_0_with_nothing_left_out(cli, store_dir):
    folder, passfile = store_dir
    cli("run", "--answers", SURVIVAL, "--store", folder, "--passphrase-file", passfile)
    code, out, err = cli("aggregate", "--csv", "--store", folder, "--passphrase-file", passfile)
    assert code == 0, err
    assert "total,not_counted_unreadable,0" in out and "NOT counted" not in out + err
    code, out, _ = cli("aggregate", "--json", "--store", folder, "--passphrase-file", passfile)
    assert code == 0 and "warning" not in json.loads(out)


def test_a_saved_interview_naming_a_renamed_step_says_the_id_must_be_restored(cli, store_dir,
                                                                             library):
    folder, passfile = store_dir
    broken = renamed_step_session(folder, library)
    for command in (["sessions", "show", broken[:6]], ["report", broken[:6]]):
        code, out, err = cli(*command, "--store", folder, "--passphrase-file", passfile)
        assert code == 1 and out == ""
        assert (f"saved interview {broken} answers step 'open_schooling_renamed', which the "
                "'youth' flow no longer has: a step id must never be renamed") in err
        assert "docs/flow-format.md" in err
        assert "answers.open_schooling_renamed" not in err  # not the answer-file wording
        assert err.count("\n") == 1


# --- B5: a closed standard input (`<&-`) is no terminal, never an internal error --------------

def closed_stdin(*args):
    """The CLI in a child process started as `csec-interview ARGS <&-` (Python's sys.stdin is
    then None)."""
    import os

    return cli_proc(*args, stdin=None, preexec_fn=lambda: os.close(0))


@pytest.mark.parametrize("command", [
    ["sessions", "list"],  # unlocking an existing store
    ["run", "--answers", SURVIVAL],  # creating one: a new passphrase
])
def test_a_closed_stdin_asks_for_a_passphrase_file_not_an_internal_error(store_dir, tmp_path,
                                                                         command):
    folder, _ = store_dir
    where = folder if command[0] == "sessions" else tmp_path / "new-store"
    proc = closed_stdin(*command, "--store", where)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == ("csec-interview: no passphrase: give --passphrase-file F (a "
                           "passphrase is never taken from the command line)\n")
    assert not (tmp_path / "new-store").exists()


def test_practice_match_with_a_closed_stdin_says_to_give_the_text():
    proc = closed_stdin("practice", "match", "boyfriend")
    assert proc.returncode == 1 and "internal error" not in proc.stderr
    assert "standard input is closed: give the typed text after the scenario" in proc.stderr


def test_county_commands_with_a_closed_stdin_say_what_to_give(cli, monkeypatch, tmp_path):
    monkeypatch.setattr("sys.stdin", None)  # as `<&-` leaves it
    monkeypatch.delenv("CSEC_INTERVIEW_USER_PASSWORD", raising=False)
    code, _, err = cli("county", "add-user", "fictional_worker", "--team", "north", "--kind",
                       "worker", "--db", "postgresql://nowhere.invalid/x")
    assert code == 1 and "no password for the new user: give --password-file F" in err
    code, _, err = cli("county", "review", "abcd", "--db", "postgresql://nowhere.invalid/x",
                       "--key", tmp_path / "key", "--passphrase-file", tmp_path / "pp")
    assert code == 1 and "no --decision given and no terminal for the review screen" in err


# --- B4: a store folder the user cannot read ---------------------------------------------------

def without_file_overrides() -> list[str] | None:
    """The prefix that runs a child process as a user the file permissions apply to: nothing
    for a normal user; for root, setpriv dropping the capabilities that override them (as the
    audit did); None when root cannot drop them here."""
    import os
    import shutil
    import subprocess

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


@pytest.fixture
def someone_elses_store(store_dir):
    """A store in a folder of another user's (mode 0700), and the prefix to run the CLI as one
    who cannot read it."""
    import os

    prefix = without_file_overrides()
    if prefix is None:
        pytest.skip("running as root, and setpriv cannot drop the file-permission overrides")
    folder, passfile = store_dir
    if os.geteuid() == 0:
        for root, dirs, files in os.walk(folder):
            for name in [root, *(os.path.join(root, f) for f in dirs + files)]:
                os.chown(name, 65534, 65534)
        folder.chmod(0o700)
    else:
        folder.chmod(0)
    yield folder, passfile, prefix
    folder.chmod(0o700)


def as_user(prefix, *args):
    import subprocess
    import sys

    from conftest import ROOT
    from stores import child_env

    return subprocess.run([*prefix, sys.executable, "-m", "interview", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=child_env(), stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("command", [["sessions", "list"], ["run", "--answers", SURVIVAL],
                                     ["aggregate"], ["audit", "verify"], []])
def test_a_store_folder_one_cannot_read_is_one_message_naming_it_and_the_fix(
        someone_elses_store, command):
    folder, passfile, prefix = someone_elses_store
    extra = ["--passphrase-file", passfile] if command else []  # [] : the app
    proc = as_user(prefix, "--store", folder, *command, *extra)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith(f"csec-interview: could not open the store in {folder}: "
                                  "permission denied: check who owns the folder")
    assert "--store" in proc.stderr and proc.stderr.count("\n") == 1
    assert "internal error" not in proc.stderr and "Errno" not in proc.stderr


# --- B10: --store naming a file ------------------------------------------------------------------

@pytest.mark.parametrize("command", [["run", "--answers", SURVIVAL], ["sessions", "list"],
                                     ["passphrase"], ["report", "abcd"],
                                     # the app takes it after its command too (the chain
                                     # audit: "unrecognized arguments: --store")
                                     ["interview", "hotline"]])
def test_a_store_that_is_a_file_is_said_before_any_passphrase_is_asked(cli, tmp_path, command):
    a_file = tmp_path / "answers.yaml"
    a_file.write_text(SURVIVAL.read_text())
    code, out, err = cli(*command, "--store", a_file)  # no passphrase file: none can be read
    assert code == 1 and out == ""
    assert err == (f"csec-interview: --store {a_file} is a file, not a folder: give a folder "
                   "for the store\n")
    assert a_file.read_text() == SURVIVAL.read_text()


def test_the_app_with_a_store_that_is_a_file_says_so_before_the_passphrase_screen(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("fictional\n")
    proc = cli_proc("--store", a_file)  # before the terminal check: no screen is needed
    assert proc.returncode == 1
    assert proc.stderr == (f"csec-interview: --store {a_file} is a file, not a folder: give "
                           "a folder for the store\n")


# --- B9: standard output full or closed ----------------------------------------------------------

@pytest.mark.parametrize("command", [["questions", "youth"], ["red-flags", "--json"],
                                     ["report", SURVIVAL]])
def test_a_full_standard_output_is_said_with_a_fix(command):
    import os
    import subprocess
    import sys

    from conftest import ROOT
    from stores import child_env

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "interview", *map(str, command)], cwd=ROOT,
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
                              env=child_env())
    assert proc.returncode == 1
    assert proc.stderr == ("csec-interview: could not write the output: the disk is full: free "
                           "some space, or write the output elsewhere (another redirect, or -o "
                           "where the command has it)\n")


def test_a_closed_standard_output_is_refused_before_anything_is_done(tmp_path):
    import os

    proc = cli_proc("report", SURVIVAL, preexec_fn=lambda: os.close(1))
    assert proc.returncode == 1
    assert "standard output is closed (started with >&-)" in proc.stderr
    out = tmp_path / "note.txt"  # -o needs no standard output
    proc = cli_proc("report", SURVIVAL, "-o", out, preexec_fn=lambda: os.close(1))
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out}" in proc.stderr and out.read_text().strip()


# --- B8: the fix fits what was being written: an export, a delete ---------------------------------

def failing(code: int):
    import os

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail


@pytest.mark.parametrize("code, says", [
    (30, "the disk is read-only: choose another file with -o (or another folder in the export "
         "dialog)"),  # EROFS
    (28, "the disk is full: free some space, or choose another file with -o"),  # ENOSPC
])
def test_an_export_that_cannot_be_written_says_to_choose_another_file(cli, monkeypatch, tmp_path,
                                                                     code, says):
    monkeypatch.setattr("interview.storage.files.write_atomic", failing(code))
    out = tmp_path / "note.txt"
    code_, stdout, err = cli("report", SURVIVAL, "-o", out)
    assert code_ == 1 and stdout == "" and not out.exists()
    assert err.startswith(f"csec-interview: could not write {out}: {says}")
    assert "--store" not in err


def test_an_export_into_someone_elses_folder_says_to_choose_another_file(tmp_path):
    import os

    prefix = without_file_overrides()
    if prefix is None:
        pytest.skip("running as root, and setpriv cannot drop the file-permission overrides")
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    if os.geteuid() == 0:
        os.chown(theirs, 65534, 65534)
    else:
        theirs.chmod(0o555)
    proc = as_user(prefix, "report", SURVIVAL, "-o", theirs / "note.txt")
    assert proc.returncode == 1
    assert proc.stderr == (f"csec-interview: could not write {theirs / 'note.txt'}: permission "
                           "denied: check who owns the folder, or choose another file with -o "
                           "(or another folder in the export dialog)\n")


def test_a_delete_on_a_read_only_disk_says_to_make_it_writable(cli, store_dir, library,
                                                               monkeypatch):
    folder, passfile = store_dir
    saved = new_session(unlocked(folder), library, 2)
    saved.close()
    monkeypatch.setattr("interview.storage.store.write_atomic", failing(30))  # EROFS
    code, _, err = cli("sessions", "delete", saved.id, "--yes", "--store", folder,
                       "--passphrase-file", passfile)
    assert code == 1
    assert err == (f"csec-interview: could not delete session {saved.id}: the disk is read-only: "
                   "make the disk writable, then delete again\n")
    monkeypatch.undo()
    assert [s.id for s in unlocked(folder).list()] == [saved.id]  # nothing was lost


# --- B12: settings given wrongly are refused, not ignored --------------------------------------

@pytest.mark.parametrize("command", [["questions", "youth"], ["assess", SURVIVAL],
                                     ["red-flags"], ["sessions", "list"]])
def test_the_global_lang_is_checked_for_every_command(cli, tmp_path, command):
    code, out, err = cli("--lang", "xx", *command, *(["--store", tmp_path / "s"]
                                                     if command[0] == "sessions" else []))
    assert code == 1 and out == ""
    assert err.startswith("csec-interview: --lang 'xx': no translation in that language; use "
                          "one of en, es")


def test_the_global_lang_before_questions_is_the_language_it_shows(cli):
    code, out, _ = cli("--lang", "ES", "questions", "youth")
    assert code == 0
    _, spanish, _ = cli("questions", "youth", "--lang", "es")
    _, english, _ = cli("questions", "youth")
    assert out == spanish != english


@pytest.mark.parametrize("value", ["-1", "-15", "nan", "inf", "-inf", "abc"])
def test_a_lock_minutes_that_would_turn_the_lock_off_silently_is_refused(cli, value):
    with pytest.raises(SystemExit) as stop:
        cli(f"--lock-minutes={value}", "questions", "youth")
    assert stop.value.code == 2


@pytest.mark.parametrize("value", ["-1", "nan"])
def test_a_lock_minutes_refusal_says_0_turns_it_off(value):
    proc = cli_proc(f"--lock-minutes={value}", "red-flags")
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"'{value}' is not a number of minutes" in proc.stderr
    assert "give N >= 0; 0 turns the lock off" in proc.stderr


def test_a_lock_minutes_from_the_environment_is_checked_too(monkeypatch, capsys):
    from interview.cli import main

    monkeypatch.setenv("CSEC_INTERVIEW_LOCK_MINUTES", "-5")
    with pytest.raises(SystemExit) as stop:
        main(["red-flags"])
    assert stop.value.code == 2
    assert "'-5' is not a number of minutes (also read from CSEC_INTERVIEW_LOCK_MINUTES)" \
        in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "15", "0.5"])
def test_a_lock_minutes_of_0_or_more_is_taken(cli, value):
    code, _, err = cli("--lock-minutes", value, "red-flags")
    assert code == 0, err


def test_sessions_list_with_an_id_lists_that_interview_alone(cli, store_dir, library):
    folder, passfile = store_dir
    one, other = (new_session(unlocked(folder), library, n) for n in (2, 3))
    one.close()
    other.close()
    store = ("--store", folder, "--passphrase-file", passfile)
    code, out, _ = cli("sessions", "list", one.id[:5], "--json", *store)
    assert code == 0 and [s["id"] for s in json.loads(out)] == [one.id]
    code, out, _ = cli("sessions", "list", other.id, *store)
    assert code == 0 and other.id in out and one.id not in out
    code, out, err = cli("sessions", "list", "ffff0000", *store)
    assert code == 1 and out == ""
    assert "no saved interview 'ffff0000'" in err and "sessions list` shows them all" in err


# --- B3: a delete is confirmed: at a terminal by typing the id's start, off one with --yes ------

def in_a_pty(args, respond) -> tuple[int, str]:
    """The CLI in a child process whose standard input and output are a terminal (a pty);
    `respond(proc, master, seen)` is called as output arrives, until it returns True (it has
    typed or signalled what it meant to). (exit code, all it wrote)."""
    import os
    import select
    import subprocess
    import sys
    import time

    from conftest import ROOT
    from stores import child_env

    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "interview", *map(str, args)], cwd=ROOT,
                            stdin=slave, stdout=slave, stderr=slave, env=child_env())
    os.close(slave)
    seen, done, deadline = b"", False, time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if not select.select([master], [], [], 0.2)[0]:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            done = done or respond(proc, master, seen)
    finally:
        os.close(master)
    return proc.wait(timeout=60), seen.decode("utf-8", "replace").replace("\r\n", "\n")


def at_a_terminal(args, typed: str) -> tuple[int, str]:
    """At a terminal: waits for the delete's confirmation prompt, types `typed` and Enter."""
    import os

    def respond(proc, master, seen) -> bool:
        if b"anything else keeps it): " not in seen:
            return False
        os.write(master, typed.encode() + b"\n")
        return True

    return in_a_pty(args, respond)


def two_sessions(folder, library):
    first, second = (new_session(unlocked(folder), library, n) for n in (2, 3))
    first.close()
    second.close()
    return first.id, second.id


def test_a_delete_at_a_terminal_shows_the_interview_and_needs_its_id_typed(store_dir, library):
    folder, passfile = store_dir
    keep, other = two_sessions(folder, library)
    code, said = at_a_terminal(["sessions", "delete", keep[:5], "--store", folder,
                                "--passphrase-file", passfile], keep[:4])  # too little
    assert code == 1
    assert f"session   {keep}" in said and "flow      youth" in said
    assert "answered  " in said and "case      " in said and "started   " in said
    assert f"session {keep} was not deleted" in said
    code, said = at_a_terminal(["sessions", "delete", keep[:5], "--store", folder,
                                "--passphrase-file", passfile], "")  # Enter alone keeps it
    assert code == 1 and "was not deleted" in said
    assert {s.id for s in unlocked(folder).list()} == {keep, other}

    code, said = at_a_terminal(["sessions", "delete", keep[:5], "--store", folder,
                                "--passphrase-file", passfile], keep[:8])
    assert code == 0, said
    assert f"session {keep} deleted" in said
    assert [s.id for s in unlocked(folder).list()] == [other]


def test_a_delete_off_a_terminal_needs_yes_and_asks_nothing_first(cli, store_dir, library):
    folder, passfile = store_dir
    keep, _ = two_sessions(folder, library)
    code, out, err = cli("sessions", "delete", keep, "--store", folder)  # no passphrase asked
    assert code == 1 and out == ""
    assert "nothing deleted" in err and "give --yes to confirm" in err
    assert keep in {s.id for s in unlocked(folder).list()}
    code, out, err = cli("sessions", "delete", keep, "--yes", "--store", folder,
                         "--passphrase-file", passfile)
    assert code == 0 and f"session {keep} deleted" in out, err
    assert keep not in {s.id for s in unlocked(folder).list()}


# --- C3: a file-size limit (EFBIG), and a run that stops part way ---------------------------------

def run_under_a_size_limit(folder, passfile, limit: int):
    """`run` in a child process whose files may not grow past `limit` bytes (`ulimit -f`: a
    real EFBIG, as the audit's prlimit gave; Python ignores SIGXFSZ, so the write fails)."""
    import resource

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return cli_proc("run", "--answers", SURVIVAL, "--store", folder, "--passphrase-file",
                    passfile, preexec_fn=limited)


def test_a_run_that_cannot_save_every_answer_names_the_session_that_keeps_the_rest(store_dir):
    folder, passfile = store_dir
    # 6000 bytes: the log's header and the first answers fit; the whole interview does not.
    proc = run_under_a_size_limit(folder, passfile, 6000)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert ("could not save the last answer: the file would be larger than this system allows "
            "(a file-size limit, such as `ulimit -f`, or the disk's own): raise the limit"
            in proc.stderr)
    (info,) = unlocked(folder).list()
    assert f"Session {info.id} keeps the {info.events} events saved before it" in proc.stderr
    assert f"sessions delete {info.id[:8]}" in proc.stderr and info.events > 1


def test_a_session_whose_creation_failed_leaves_nothing_listed(cli, store_dir):
    folder, passfile = store_dir
    # 3000 bytes: the key and the log's header are written, the session's mark is not.
    proc = run_under_a_size_limit(folder, passfile, 3000)
    assert proc.returncode == 1
    assert proc.stderr.startswith("csec-interview: could not create a new session: the file "
                                  "would be larger than this system allows")
    assert unlocked(folder).list() == []
    assert list((folder / "sessions").iterdir()) == [] and list((folder / "marks").iterdir()) == []


def test_ctrl_c_at_the_passphrase_prompt_says_it_was_interrupted_on_a_line_of_its_own(
        store_dir):
    """The errors audit's C2: ctrl+c at "Passphrase: " exited 130 with nothing said, and the
    shell's prompt landed on the prompt's line."""
    import signal

    folder, _ = store_dir

    def respond(proc, master, seen) -> bool:
        if b"assphrase" not in seen:
            return False
        proc.send_signal(signal.SIGINT)  # as the terminal's ctrl+c does
        return True

    code, said = in_a_pty(["sessions", "list", "--store", folder], respond)
    assert code == 130
    assert "\ncsec-interview: interrupted" in said, said
    assert "Traceback" not in said
