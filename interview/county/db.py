"""The connection to the county database: a standard libpq connection string (`--db` or
CSEC_INTERVIEW_DB), the password from PGPASSFILE, PGPASSWORD or a `passfile=` in the string,
never from the command line; and every connection error said as one sentence.

Public (stable): CountyError, conninfo(), connect(), describe().
"""

from __future__ import annotations

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


def explain(exc: Exception, text: str) -> CountyError:
    """A psycopg connection error as one sentence naming what to do."""
    message = str(exc).strip()
    where = describe(text)
    low = message.lower()
    if "password authentication failed" in low:
        return CountyError(f"{where}: the server refused the password (a wrong password, no "
                           "such user, or a disabled one): check PGPASSFILE / PGPASSWORD")
    if "no password supplied" in low or "fe_sendauth" in low:
        return CountyError(f"{where}: the server asks for a password and none was given: put "
                           "it in PGPASSFILE (a 0600 file of host:port:database:user:password) "
                           "or PGPASSWORD")
    if "role" in low and "does not exist" in low:
        return CountyError(f"{where}: there is no such user on the county database: the "
                           "county's administrator runs `csec-interview county add-user` first")
    if "not permitted to log in" in low:
        return CountyError(f"{where}: this user is disabled on the county database (a lost "
                           "laptop, or a change of job): ask the county's administrator")
    if "database" in low and "does not exist" in low:
        return CountyError(f"{where}: there is no such database on the server: check the "
                           "name in --db / CSEC_INTERVIEW_DB")
    if "timeout" in low or "timed out" in low:
        return CountyError(f"{where}: the county database did not answer in time: check the "
                           "network connection and try again (everything stays saved on this "
                           "computer)")
    if ("connection refused" in low or "no such file or directory" in low
            or "could not translate host name" in low or "failed to resolve host" in low or "network is unreachable" in low
            or "could not connect" in low or "connection to server" in low):
        return CountyError(f"{where}: cannot reach the county database (no connection, or the "
                           "server is down): try again when connected; everything stays saved "
                           "on this computer")
    first = message.splitlines()[0] if message else type(exc).__name__
    return CountyError(f"{where}: the county database refused the connection: {first[:200]}")


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
