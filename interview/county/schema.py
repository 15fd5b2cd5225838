"""The county database's schema: numbered migrations applied in order, the people (login roles
in one of the three group roles, with a `workers` row each), and the county review key's public
half. Run by the county's database administrator (a superuser); see __init__.py for the tables,
the roles and the row level security.

Public (stable): MIGRATIONS, LATEST, migrations(), apply(), version(), check_version(),
init(), add_user(), disable_user(), current_county_key(), add_county_key(), rewrap(),
KINDS, GROUPS.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from importlib import resources

from interview.county.db import CountyError

KINDS = ("worker", "supervisor", "coordinator")
GROUPS = {kind: f"csec_{kind}" for kind in KINDS}
LOCK_ID = 0x63736563  # "csec": one migration at a time (pg_advisory_xact_lock)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Names PostgreSQL keeps for itself (CREATE ROLE refuses them, "reserved"): said before a
# password is asked for, as any other name that cannot be a user's.
RESERVED = frozenset({"public", "none", "current_user", "session_user", "current_role"})

BOOTSTRAP = """CREATE TABLE IF NOT EXISTS schema_version (
  version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())"""


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every migration shipped, in order."""
    folder = resources.files("interview.county") / "migrations"
    out = []
    for entry in folder.iterdir():
        match = re.match(r"^(\d{4})_[a-z0-9_]+\.sql$", entry.name)
        if match:
            out.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    out.sort()
    numbers = [n for n, _, _ in out]
    if numbers != list(range(1, len(numbers) + 1)):
        raise CountyError(f"the county migrations are not numbered 0001, 0002, ... without a "
                          f"gap: {numbers}")
    return out


MIGRATIONS = migrations()
LATEST = MIGRATIONS[-1][0]


def version(conn) -> int | None:
    """The schema version the database is at (None: no county schema there)."""
    found = conn.execute("SELECT to_regclass('public.schema_version') IS NOT NULL").fetchone()[0]
    if not found:
        return None
    return conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]


def check_version(conn) -> int:
    """The database's schema version, when this program can work with it; else one message."""
    found = version(conn)
    if found is None:
        raise CountyError("the database has no county schema yet: the county's administrator "
                          "runs `csec-interview county init` on it first")
    if found < LATEST:
        raise CountyError(f"the county database's schema is older (version {found}) than this "
                          f"program's (version {LATEST}): the county's administrator runs "
                          "`csec-interview county init` again to bring it up to date")
    if found > LATEST:
        raise CountyError(f"the county database's schema is newer (version {found}) than this "
                          f"program knows (version {LATEST}): update csec-interview on this "
                          "computer")
    return found


def apply(conn) -> list[int]:
    """Apply the migrations the database lacks, in order, in one transaction (one process at a
    time); the numbers applied (none when it is up to date: running it again changes nothing)."""
    done = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
        conn.execute(BOOTSTRAP)
        current = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version"
                               ).fetchone()[0]
        if current > LATEST:
            raise CountyError(f"the county database's schema is newer (version {current}) than "
                              f"this program knows (version {LATEST}): update csec-interview")
        for number, name, sql in MIGRATIONS:
            if number > current:
                conn.execute(sql)
                conn.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                             (number, name))
                done.append(number)
    return done


def require_superuser(conn, what: str) -> None:
    row = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    if not row or not row[0]:
        user = conn.execute("SELECT current_user").fetchone()[0]
        raise CountyError(f"{what} is for the county's database administrator: connect as a "
                          f"superuser (you are connected as {user!r})")


def add_county_key(conn, public: bytes) -> tuple[str, str]:
    """Record a county public key (id, fingerprint); the ones before it are retired."""
    from interview.county.keys import fingerprint, key_id

    fp = fingerprint(public)
    with conn.transaction():
        conn.execute("UPDATE county_keys SET retired = now() WHERE retired IS NULL")
        conn.execute("INSERT INTO county_keys (id, public_key, fingerprint) VALUES (%s, %s, %s)",
                     (key_id(public), public, fp))
    return key_id(public), fp


def current_county_key(conn) -> tuple[str, bytes] | None:
    """(id, public key) of the key laptops wrap to now: the newest not retired."""
    return conn.execute("SELECT id, public_key FROM county_keys WHERE retired IS NULL "
                        "ORDER BY created DESC, id LIMIT 1").fetchone()


def init(conn, public: bytes | None) -> dict:
    """Create (or bring up to date) the schema and roles; record `public` as the county key
    when given. What was done, for the report."""
    require_superuser(conn, "county init")
    applied = apply(conn)
    out = {"applied": applied, "version": LATEST}
    if public is not None:
        out["key_id"], out["fingerprint"] = add_county_key(conn, bytes(public))
    return out


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """PostgreSQL's SCRAM-SHA-256 verifier for `password` (RFC 5802/7677), computed here so the
    password itself never reaches the server (nor its logs)."""
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client = hmac.new(salted, b"Client Key", "sha256").digest()
    stored = hashlib.sha256(client).digest()
    server = hmac.new(salted, b"Server Key", "sha256").digest()
    from base64 import b64encode as b64

    return (f"SCRAM-SHA-256${iterations}:{b64(salt).decode()}$"
            f"{b64(stored).decode()}:{b64(server).decode()}")


def reserved(name: str) -> CountyError:
    return CountyError(f"{name!r} cannot be a user name: PostgreSQL keeps it for itself; "
                       "choose another, e.g. jdoe or maria_lopez")


def check_role_name(name: str) -> str:
    if isinstance(name, str) and name in RESERVED:
        raise reserved(name)
    if not isinstance(name, str) or not ROLE_NAME.match(name) or name.startswith(("pg_", "csec_")):
        raise CountyError(f"{name[:70]!r} cannot be a user name: use lower-case letters, digits "
                          "and _ (starting with a letter, at most 63, not pg_... or csec_...), "
                          "e.g. jdoe or maria_lopez")
    return name


def team_key(team: str) -> str:
    """What two team names are compared by when one may be a typo of the other: letters and
    digits, case-folded ('North ', 'north' and 'NORTH' are near; 'north' and 'south' not)."""
    return "".join(c for c in team.casefold() if c.isalnum())


def add_user(conn, name: str, team: str, kind: str, password: str) -> dict:
    """A login role for one person, in the group role of their kind, with their workers row.
    What was stored, for the message: {"team": the team as stored (stripped), "new_team":
    no one was in it before, "teams": the teams there were, "near": when it is new, those of
    them that differ from it only in case, spacing or punctuation}. A supervisor reads their team's interviews
    by the exact name, so a team that is new deserves a look."""
    from psycopg import errors, sql

    require_superuser(conn, "county add-user")
    check_role_name(name)
    if kind not in KINDS:
        raise CountyError(f"--kind {kind!r}: choose worker, supervisor or coordinator")
    team = (team or "").strip()
    if not team or len(team) > 100 or not team.isprintable():
        raise CountyError("--team: give the team's name (printable, at most 100 characters)")
    if len(password) < 12:
        raise CountyError("the password is too short: give one of at least 12 characters")
    check_version(conn)
    teams = [t for (t,) in conn.execute("SELECT DISTINCT team FROM workers ORDER BY team")]
    try:
        with conn.transaction():
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(name), sql.Literal(scram_verifier(password)),
                sql.Identifier(GROUPS[kind])))
            conn.execute("INSERT INTO workers (role, team, kind) VALUES (%s, %s, %s)",
                         (name, team, kind))
    except errors.DuplicateObject:
        raise CountyError(f"a database role {name!r} exists already: choose another name, or "
                          "use it as it is") from None
    except errors.ReservedName:  # a name this server keeps that RESERVED does not list
        raise reserved(name) from None
    new = team not in teams  # a team joined again is what the administrator chose before
    return {"team": team, "new_team": new, "teams": teams,
            "near": [t for t in teams if new and team_key(t) == team_key(team)]}


def disable_user(conn, name: str) -> None:
    """A lost laptop, someone who left: the role can no longer log in, and the policies no
    longer give it a team (what it synced stays, sealed)."""
    from psycopg import sql

    require_superuser(conn, "county disable-user")
    check_role_name(name)
    with conn.transaction():
        found = conn.execute("UPDATE workers SET disabled = now() WHERE role = %s "
                             "RETURNING role", (name,)).fetchone()
        if not found:
            raise CountyError(f"no county user {name!r} (`county add-user` makes them)")
        conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(name)))
        # end any session it has open now
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE usename = %s", (name,))


def rewrap(conn, old) -> dict:
    """After a rotation: every interview key and summary wrapped to the county key `old` (a
    keys.CountyKey, opened) is wrapped again to the current county key, in one transaction;
    afterwards the old key opens nothing on the server. One new wrap per owner. Counts of what
    was re-wrapped, and of what did not open (left as it was)."""
    from interview.county.keys import Unwrapper, Wrapper

    require_superuser(conn, "county rewrap")
    check_version(conn)
    current = current_county_key(conn)
    if current is None or current[0] == old.id:
        raise CountyError("the current county key is the one given: make a new one first "
                          "(`county init --rotate --key-out NEW`), then re-wrap with the old")
    unwrapper = Unwrapper(old)
    wrappers: dict[tuple[str, str], Wrapper] = {}
    out = {"interviews": 0, "summaries": 0, "not_opened": 0, "key_id": current[0]}

    def wrapper_for(owner: str, team: str) -> Wrapper:
        if (owner, team) not in wrappers:
            w = wrappers[(owner, team)] = Wrapper(current[0], bytes(current[1]))
            conn.execute("INSERT INTO wraps (id, owner, team, county_key, ephemeral) VALUES "
                         "(%s, %s, %s, %s, %s)", (w.id, owner, team, w.county_id, w.ephemeral))
        return wrappers[(owner, team)]

    # (table, its sealed column, opened with the old key, sealed for the new)
    kinds = (("interviews", "wrapped_key", unwrapper.data_key, Wrapper.wrap),
             ("summaries", "sealed", unwrapper.summary, Wrapper.seal_summary))
    with conn.transaction():
        for table, column, opener, sealer in kinds:
            rows = conn.execute(
                f"SELECT t.session_id, t.owner, t.team, w.ephemeral, t.{column} FROM {table} t "
                "JOIN wraps w ON w.id = t.wrap WHERE w.county_key = %s FOR UPDATE OF t",
                (old.id,)).fetchall()
            for session_id, owner, team, ephemeral, sealed in rows:
                opened = opener(session_id, old.id, ephemeral, sealed)
                if opened is None:
                    out["not_opened"] += 1
                    continue
                w = wrapper_for(owner, team)
                conn.execute(f"UPDATE {table} SET wrap = %s, {column} = %s "
                             "WHERE session_id = %s",
                             (w.id, sealer(w, session_id, opened), session_id))
                out[table] += 1
    return out
