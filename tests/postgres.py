"""A throwaway PostgreSQL for the county tests and the sync benchmark: Debian's binaries
(`initdb`, `pg_ctl`) on PATH or the newest in /usr/lib/postgresql/*/bin, one cluster per
process (initdb costs about 2 s: once per pytest-xdist worker, not per test), listening only on a
Unix socket in its own temporary folder (no TCP port, so workers never collide), fsync off.

Each test gets its own database (`Cluster.database()`); roles are cluster-wide, so tests name
their login roles uniquely (`Cluster.name()`). PostgreSQL refuses to run as root: as root the
cluster belongs to the `postgres` system user (runuser), its folder chowned to it.

The superuser `postgres` connects over the socket without a password (trust); every other role
with its SCRAM password, as a county's server would ask them.

When no PostgreSQL is installed the tests are skipped with the reason, unless
CSEC_INTERVIEW_REQUIRE_POSTGRES=1 (.ci/run sets it): then they fail.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from stores import FAST_N

TOOLS = ("initdb", "pg_ctl", "postgres")
SUPERUSER = "postgres"


class NoPostgres(Exception):
    """No PostgreSQL server binaries on this machine (the reason is the message)."""


def find_bin() -> Path:
    """The folder holding initdb, pg_ctl and postgres: the newest Debian one, else PATH."""
    def version(folder: str) -> tuple:  # /usr/lib/postgresql/15/bin -> (15,)
        return tuple(int(p) if p.isdigit() else 0 for p in Path(folder).parent.name.split("."))

    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        if all(os.access(Path(folder) / t, os.X_OK) for t in TOOLS):
            return Path(folder)
    found = [shutil.which(t) for t in TOOLS]
    if all(found):
        return Path(os.path.realpath(found[0])).parent
    raise NoPostgres("no PostgreSQL server installed (initdb, pg_ctl and postgres were not "
                     "found on PATH or in /usr/lib/postgresql/*/bin); install Debian's "
                     "`postgresql` package to run the county tests")


class Cluster:
    """One running PostgreSQL cluster in a temporary folder; `stop()` removes it."""

    def __init__(self):
        self.bin = find_bin()
        self.root = Path(tempfile.mkdtemp(prefix="csec-pg-"))
        self.data = self.root / "data"
        self.socket = self.root  # the socket file is ROOT/.s.PGSQL.5432
        self.as_owner: list[str] = []
        if os.geteuid() == 0:  # postgres will not run as root: hand the folder to `postgres`
            import pwd

            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.root, ignore_errors=True)
                raise NoPostgres("running as root and there is no `postgres` system user to "
                                 "run the server as") from None
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            os.chmod(self.root, 0o700)
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.started = False
        try:
            self._run("initdb", "-D", self.data, "-U", SUPERUSER, "--auth-local=trust",
                      "--auth-host=reject", "-E", "UTF8", "--locale=C", "--no-sync")
            hba = self.data / "pg_hba.conf"
            # trust for the superuser (the tests' own connection), SCRAM for every other role
            self._write(hba, f"local all {SUPERUSER} trust\nlocal all all scram-sha-256\n")
            self._run("pg_ctl", "-D", self.data, "-w", "-t", "60", "-l", self.root / "log",
                      "-o", f"-c listen_addresses='' -c unix_socket_directories='{self.socket}'"
                      " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                      " -c max_connections=60 -c shared_buffers=32MB", "start")
            self.started = True
        except BaseException:
            self.stop()
            raise

    def _write(self, path: Path, text: str) -> None:
        path.write_text(text)
        if self.as_owner:
            import pwd

            owner = pwd.getpwnam("postgres")
            os.chown(path, owner.pw_uid, owner.pw_gid)

    def _run(self, tool: str, *args) -> None:
        done = subprocess.run([*self.as_owner, str(self.bin / tool), *map(str, args)],
                              capture_output=True, text=True, timeout=120)
        if done.returncode:
            log = ""
            try:
                log = (self.root / "log").read_text()[-2000:]
            except OSError:
                pass
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr[-2000:]}{log}")

    # --- what the tests use -------------------------------------------------------------------

    def url(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        """A libpq connection string (key=value) for the socket; no password in it."""
        return f"host={self.socket} dbname={dbname} user={user}"

    def connect(self, dbname: str = "postgres", **kwargs):
        import psycopg

        return psycopg.connect(self.url(dbname), autocommit=True, **kwargs)

    @staticmethod
    def name(prefix: str = "t") -> str:
        """A name unique in the cluster (roles and databases are cluster-wide)."""
        return f"{prefix}_{secrets.token_hex(4)}"

    def database(self) -> str:
        """A new, empty database; its name."""
        name = self.name("db")
        with self.connect() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        return name

    def stop(self) -> None:
        try:
            if self.started:
                self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        except (RuntimeError, OSError, subprocess.SubprocessError):
            pass
        finally:
            self.started = False
            shutil.rmtree(self.root, ignore_errors=True)


def required() -> bool:
    return os.environ.get("CSEC_INTERVIEW_REQUIRE_POSTGRES") == "1"


def start_or_skip() -> Cluster:
    """A running cluster; the test is skipped (or, when PostgreSQL is required, fails) when
    none can be started here."""
    import pytest

    try:
        return Cluster()
    except NoPostgres as exc:
        if required():
            pytest.fail(f"CSEC_INTERVIEW_REQUIRE_POSTGRES=1 but {exc}", pytrace=False)
        pytest.skip(str(exc))


class County:
    """A county database in a fresh database of `cluster`: the schema, a county key (its file
    written with a cheap KDF) and users made on demand, each with their own password."""

    PASSPHRASE = "county key passphrase"

    def __init__(self, cluster: Cluster, folder: Path):
        from interview.county import keys, schema

        self.cluster = cluster
        self.db = cluster.database()
        self.url = cluster.url(self.db)
        self.key = keys.new_county_key()
        self.key_file = Path(folder) / "county.key"
        keys.write_private(self.key_file, self.key, self.PASSPHRASE, n=FAST_N)
        with self.admin() as conn:
            schema.init(conn, self.key.public)
        self.passwords: dict[str, str] = {}

    def admin(self):
        return self.cluster.connect(self.db)

    def user(self, kind: str = "worker", team: str = "north") -> str:
        """A new person of this kind and team: their login role's name."""
        from interview.county import schema

        name = self.cluster.name(kind[:3])
        self.passwords[name] = f"password of {name}"
        with self.admin() as conn:
            schema.add_user(conn, name, team, kind, self.passwords[name])
        return name

    def url_for(self, name: str) -> str:
        return self.cluster.url(self.db, name)

    def connect_as(self, name: str):
        """A connection as that person, with their password (as their laptop would)."""
        import psycopg

        return psycopg.connect(self.url_for(name), password=self.passwords[name],
                               autocommit=True)

    def env_for(self, name: str) -> dict:
        return {**os.environ, "PGPASSWORD": self.passwords[name]}

    def dump(self) -> bytes:
        """pg_dump of the whole database, as the county's backup would hold it."""
        done = subprocess.run([str(self.cluster.bin / "pg_dump"), "-h", str(self.cluster.socket),
                               "-U", SUPERUSER, self.db], capture_output=True, timeout=120)
        if done.returncode:
            raise RuntimeError(done.stderr.decode(errors="replace"))
        return done.stdout


def demo() -> None:
    """`python tests/postgres.py`: a throwaway county database and a laptop's store with one
    fictional interview, to try `sync` on, until Ctrl-C."""
    import signal
    import sys

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from interview.cli import main

    folder = Path(tempfile.mkdtemp(prefix="csec-county-demo-"))
    try:
        cluster = Cluster()
    except NoPostgres as exc:
        sys.exit(f"postgres.py: {exc}")
    try:
        county = County(cluster, folder)
        who = county.user("worker", "demo")
        passfile, laptop = folder / "laptop-passphrase", folder / "laptop-store"
        passfile.write_text("a fictional laptop's passphrase\n")
        import contextlib
        import io

        # ("saved 1", "saved 2", ...) kept out of sight; a closed stdout would stop `run` with
        # "standard output is closed", and the demo laptop would have no interview
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["run", "youth", "--answers",
                         str(root / "flows/examples/survival-sex.yaml"),
                         "--store", str(laptop), "--passphrase-file", str(passfile)])
        if code:
            sys.exit(f"postgres.py: the demo laptop's interview could not be made (exit {code})")
        print(f"A throwaway county database is running (FICTIONAL; Ctrl-C stops it and "
              f"removes it all).\nIts county key: {county.key_file} (passphrase: "
              f"{County.PASSPHRASE!r}).\nIn a second terminal, sync the laptop as the worker "
              f"{who}:\n\n  CSEC_INTERVIEW_DB='{county.url_for(who)}' "
              f"PGPASSWORD='{county.passwords[who]}' .venv/bin/csec-interview sync --store "
              f"{laptop} --passphrase-file {passfile}\n", flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    import signal

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
    demo()
