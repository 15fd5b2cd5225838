"""The process holds answers in memory: keep them out of core dumps.

A crash (or a signal such as SIGQUIT or SIGABRT) would otherwise write the process's memory,
decrypted answers and the store key included, to a core file in the clear. `RLIMIT_CORE` 0
stops the core file; on Linux, "not dumpable" also stops it where the system pipes cores to a
handler (systemd-coredump, apport), and keeps other programs of the same user from reading the
process's memory through /proc or ptrace.
"""

from __future__ import annotations

import sys

PR_SET_DUMPABLE = 4


def no_core_dumps() -> None:
    """Best effort, once per process; every entry point calls it first."""
    try:
        import resource

        # The soft limit: a program it starts runs this again itself, and a test may still
        # let a child of its own write a core to show that this one does not.
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    except (ImportError, ValueError, OSError):  # pragma: no cover - Windows, or not allowed
        pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            pass
