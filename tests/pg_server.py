"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temporary folder, on a free loopback port.

One server per test run; each test gets a schema of its own (the URL's search_path), so tests never
see each other's rows or locks. The server binaries come from the distribution's `postgresql`
package (PATH, or /usr/lib/postgresql/<version>/bin). Without them the PostgreSQL tests fail in CI
(CI is set) and are skipped elsewhere, saying how to install them.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg

USER = "stardrill"


class ServerUnavailable(Exception):
    pass


def binaries() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True):
        return Path(candidate).parent
    raise ServerUnavailable("PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
                            "`sudo apt install postgresql` (Debian/Ubuntu) or `brew install postgresql`")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.bin = binaries()
        self.root = Path(tempfile.mkdtemp(prefix="stardrill-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as = self._runner()
        self._start()
        atexit.register(self.stop)

    def _runner(self) -> list[str]:
        """initdb refuses to run as root: run the server as the `postgres` account then (CI containers)."""
        if os.geteuid() != 0:
            return []
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            raise ServerUnavailable("running as root and there is no `postgres` account to run the server as") from None
        os.chown(self.root, account.pw_uid, account.pw_gid)
        return ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise ServerUnavailable(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")

    def _start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", USER, "-E", "UTF8", "--no-sync")
        # durability off: a test server's data is thrown away; crash tests kill Stardrill, never this server
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    def url(self, database: str = "postgres", schema: str | None = None) -> str:
        base = f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"
        return f"{base}?options={quote(f'-csearch_path={schema}')}" if schema else base

    def fresh_schema(self) -> str:
        """A new, empty schema; its URL makes a store live in it."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url(schema=name)

    def fresh_database(self) -> str:
        name = f"d_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(database=name)

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run([*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


_server: Server | None = None
_failure: str | None = None


def server() -> Server:
    """The run's server, started on first use; ServerUnavailable (with the reason) when it cannot start."""
    global _server, _failure
    if _server is None and _failure is None:
        try:
            _server = Server()
        except (ServerUnavailable, OSError, subprocess.SubprocessError) as exc:
            _failure = str(exc)
    if _server is None:
        raise ServerUnavailable(_failure)
    return _server


def postgres_url() -> str:
    """A URL to an empty schema on the run's server: skips the test without a server, fails it in CI."""
    import pytest

    try:
        return server().fresh_schema()
    except ServerUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed in CI and could not start: {exc}", pytrace=False)
        pytest.skip(f"no PostgreSQL server here: {exc}")
