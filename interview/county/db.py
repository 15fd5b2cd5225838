"""The connection to the county database: a standard libpq connection string (`--db` or
CSEC_INTERVIEW_DB), the password from PGPASSFILE, PGPASSWORD or a `passfile=` in the string,
never from the command line; and every connection error said as one sentence.

Public (stable): CountyError, conninfo(), connect(), describe(), said_plainly().
"""

from __future__ import annotations

import contextlib
import contextvars
import os

from interview.errors import InterviewError

ENV = "CSEC_INTERVIEW_DB"


class CountyError(InterviewError):
    """Anything about the county database a person must know, said plainly."""


def conninfo(given: str | None, environ=os.environ) -> str:
    """The connection string to use: `given` (from --db) or CSEC_INTERVIEW_DB. A password
    written in the --db string is refused: the command line is visible to everyone on the
    computer (`ps`)."""
    from psycopg import conninfo as ci

    text = given if given else environ.get(ENV, "")
    if not text.strip():
        raise CountyError("no county database: give --db CONNECTION (e.g. --db "
                          "'postgresql://jdoe@county-db.example.org/csec') or set "
                          f"{ENV}; the password goes in PGPASSFILE or PGPASSWORD")
    try:
        params = ci.conninfo_to_dict(text)
    except Exception:  # noqa: BLE001 - psycopg.ProgrammingError: libpq's parse failed
        raise CountyError("the county database's connection string cannot be read: give a "
                          "postgresql:// URL or key=value pairs (libpq's format)") from None
    if given and params.get("password"):
        raise CountyError("--db holds a password, which everyone on this computer can see "
                          "(`ps`): remove it from --db and put it in PGPASSFILE (a 0600 file "
                          "of host:port:database:user:password) or PGPASSWORD")
    return text


def describe(text: str) -> str:
    """user@host/dbname of a connection string, for messages (never its password)."""
    from psycopg import conninfo as ci

    try:
        p = ci.conninfo_to_dict(text)
    except Exception:  # noqa: BLE001
        return "the county database"
    host = p.get("host") or "localhost"
    import getpass

    user = p.get("user") or os.environ.get("PGUSER") or getpass.getuser()
    return f"{user}@{host}/{p.get('dbname') or os.environ.get('PGDATABASE') or user}"


OFFLINE = "no connection, or the server is down): try again when connected"
# Said after OFFLINE by a laptop's command (sync, handoff), whose store keeps everything; the
# `county` commands set it to "" (the coordinator has nothing waiting on their computer).
KEPT_HERE = contextvars.ContextVar("kept_here", default="; everything stays saved on this "
                                                        "computer")
# (words in libpq's message, all of them; what to tell the person), the first that fits
REASONS = (
    (("password authentication failed",), "the server refused the password (a wrong password, "
     "no such user, or a disabled one): check PGPASSFILE / PGPASSWORD"),
    (("no password supplied",), "the server asks for a password and none was given: put it in "
     "PGPASSFILE (a 0600 file of host:port:database:user:password) or PGPASSWORD"),
    (("role", "does not exist"), "there is no such user on the county database: the county's "
     "administrator runs `csec-interview county add-user` first"),
    (("not permitted to log in",), "this user is disabled on the county database (a lost "
     "laptop, or a change of job): ask the county's administrator"),
    (("database", "does not exist"), "there is no such database on the server: check the name "
     "in --db / CSEC_INTERVIEW_DB"),
    (("timeout",), f"the county database did not answer in time ({OFFLINE}"),
    (("timed out",), f"the county database did not answer in time ({OFFLINE}"),
    *((words, f"cannot reach the county database ({OFFLINE}") for words in (
        ("connection refused",), ("no such file or directory",), ("could not translate host",),
        ("failed to resolve host",), ("network is unreachable",), ("could not connect",),
        ("connection to server",))),
)


def explain(exc: Exception, text: str) -> CountyError:
    """A psycopg connection error as one sentence naming what to do."""
    message = str(exc).strip()
    low = message.lower()
    for words, reason in REASONS:
        if all(w in low for w in words):
            kept = KEPT_HERE.get() if reason.endswith(OFFLINE) else ""
            return CountyError(f"{describe(text)}: {reason}{kept}")
    first = message.splitlines()[0] if message else type(exc).__name__
    return CountyError(f"{describe(text)}: the county database refused the connection: "
                       f"{first[:200]}")


@contextlib.contextmanager
def said_plainly(text: str, what: str):
    """A database error while doing `what` (after connecting) as one sentence: what was
    committed before it is kept, and doing it again finishes it."""
    import psycopg

    try:
        yield
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise CountyError(f"{describe(text)}: the connection to the county database was lost "
                          f"during the {what} ({first[:160]}): what was sent before it is "
                          f"kept; run the {what} again to finish") from None
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise CountyError(f"{describe(text)}: the county database refused the {what}: "
                          f"{first[:200]} (nothing of the refused part was kept; tell the "
                          "county's administrator)") from None


def connect(text: str, autocommit: bool = True):
    """An open psycopg connection, or one CountyError saying why not."""
    import psycopg

    kwargs = {}
    from psycopg import conninfo as ci

    if "connect_timeout" not in ci.conninfo_to_dict(text):
        kwargs["connect_timeout"] = 15
    try:
        return psycopg.connect(text, autocommit=autocommit, **kwargs)
    except psycopg.Error as exc:
        raise explain(exc, text) from None
