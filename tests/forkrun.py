"""`csec-interview ARGS` in a process that starts in milliseconds: a fork of a server process
that has already imported the program, for tests that start it hundreds of times (the SIGKILL
campaign). The forked process runs the same `main(ARGS)` as `python -m interview ARGS`, with its
own stdout (a pipe to the caller), stdin and stderr on /dev/null, and is killed as that one is;
only the interpreter's start-up, the imports and the parsing of the shipped content (all before
the store is touched, which is what the crash tests attack) are done once, in the server.

    with ForkServer() as spawn:
        proc = spawn(["run", "youth", ...])   # .pid .stdout .poll() .wait() .send_signal() .kill()

How: the server (this file run as a script, single-threaded) receives each command with two file
descriptors (the stdout pipe's write end, a socket back to the caller), forks a waiter, which
forks the program. The waiter sends the program's pid, then its exit code (negative: killed by
that signal) once it ends, and reaps it only when the caller has closed its socket, so a signal
the caller sends never reaches a reused pid. The server reaps the waiters.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What `run` imports: loaded once in the server, so a forked program does no import work.
PRELOAD = ["interview.cli", "interview.cli.common", "interview.cli.interview",
           "interview.cli.store", "interview.content.loader", "interview.content.yamlsafe",
           "interview.engine.case", "interview.engine.session", "interview.storage.log",
           "interview.storage.saved", "interview.storage.store", "interview.errors",
           "interview.text"]


class ForkServer:
    """Starts forks of one server process; callable as `spawn(argv)` from any thread."""

    def __init__(self, env: dict | None = None):
        if env is None:
            env = {k: v for k, v in os.environ.items() if k != "CSEC_INTERVIEW_DEBUG"}
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._server = subprocess.Popen(
            [sys.executable, __file__, str(theirs.fileno())], pass_fds=[theirs.fileno()],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        theirs.close()
        self._control, self._lock = ours, threading.Lock()
        if self._control.recv(16) != b"ready":  # imports done: forks from now on start at once
            self.close()
            raise RuntimeError("the fork server did not start (see its error above)")

    def __call__(self, argv: list[str]) -> Forked:
        out_r, out_w = os.pipe()
        reply, theirs = socket.socketpair()
        try:
            with self._lock:
                socket.send_fds(self._control, [json.dumps([str(a) for a in argv]).encode()],
                                [out_w, theirs.fileno()])
        finally:
            os.close(out_w)
            theirs.close()
        return Forked(reply, os.fdopen(out_r, "rb"))

    def close(self) -> None:
        self._control.close()  # the server's next read sees the end and it exits
        self._server.wait(timeout=30)

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Forked:
    """The part of subprocess.Popen the campaign uses, for one forked program."""

    def __init__(self, reply: socket.socket, stdout):
        self._reply, self._data, self.stdout = reply, b"", stdout
        self.returncode: int | None = None
        self.pid = int(self._line(block=True))

    def _line(self, block: bool, timeout: float | None = None) -> bytes | None:
        while b"\n" not in self._data:
            if not block and not select.select([self._reply], [], [], 0)[0]:
                return None
            if timeout is not None and not select.select([self._reply], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"forked csec-interview {self.pid}", timeout)
            chunk = self._reply.recv(64)
            if not chunk:
                raise RuntimeError("the fork server's waiter ended without an exit code")
            self._data += chunk
        line, self._data = self._data.split(b"\n", 1)
        return line

    def _ended(self, line: bytes | None) -> int | None:
        if line is not None:
            self.returncode = int(line)
            self._reply.close()  # the waiter now reaps the program
        return self.returncode

    def poll(self) -> int | None:
        return self.returncode if self.returncode is not None else \
            self._ended(self._line(block=False))

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode if self.returncode is not None else \
            self._ended(self._line(block=True, timeout=timeout))

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:  # not reaped before we close: the pid is still the program's
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


# --- the server -----------------------------------------------------------------------------

def _serve(control: socket.socket) -> None:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    _load_the_content_once()
    control.sendall(b"ready")
    waiters = set()
    while True:
        message, fds, _, _ = socket.recv_fds(control, 1 << 16, 2)
        for pid in list(waiters):  # reaped, not ignored: their CPU counts in `time pytest`
            if os.waitpid(pid, os.WNOHANG)[0]:
                waiters.discard(pid)
        if not message:
            break
        pid = os.fork()
        if pid == 0:
            control.close()
            _wait_for(json.loads(message), *fds)
        waiters.add(pid)
        for fd in fds:
            os.close(fd)
    # A waiter still running (its caller failed before closing its socket) is left to init.


def _load_the_content_once() -> None:
    """The shipped content, loaded (from its YAML, as `run` does) and checked here once: each
    program is handed it as its own copy (a fork's memory), not parsed again. Content named by
    `--county` is loaded as usual."""
    from interview.content import loader

    load_library = loader.load_library
    shipped = load_library()

    def once(*args, **kwargs):
        if not args and all(value is None for value in kwargs.values()):
            return shipped
        return load_library(*args, **kwargs)

    loader.load_library = once


def _wait_for(argv: list[str], out_fd: int, reply_fd: int) -> None:
    reply = socket.socket(fileno=reply_fd)
    pid = os.fork()
    if pid == 0:
        reply.close()
        _program(argv, out_fd)
    os.close(out_fd)
    reply.sendall(b"%d\n" % pid)
    ended = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)  # ended, not yet reaped
    killed = ended.si_code in (os.CLD_KILLED, os.CLD_DUMPED)
    reply.sendall(b"%d\n" % (-ended.si_status if killed else ended.si_status))
    try:
        while reply.recv(64):  # until the caller has closed its end
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    os._exit(0)


def _program(argv: list[str], out_fd: int) -> None:
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(out_fd, 1)
    os.dup2(null, 2)
    os.close(null)
    os.close(out_fd)
    code = 1
    try:
        from interview.cli import main

        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        try:
            sys.stdout.flush()
        finally:
            os._exit(code or 0)


if __name__ == "__main__":
    _serve(socket.socket(fileno=int(sys.argv[1])))
