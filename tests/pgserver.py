"""A throwaway PostgreSQL server for the store's tests, from Debian's package (`scripts/setup.sh --dev`
installs it): initdb into a temporary folder, started on a free loopback port, stopped after the session.
As root the server runs as the ``postgres`` user (initdb refuses root)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

URL_ENV = "KONGCHUO_TEST_POSTGRES"  # a server of one's own: postgresql+psycopg://user@host:port/db


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str | None]:
    """The URL of a running PostgreSQL database, or None when PostgreSQL is not installed."""
    if os.environ.get(URL_ENV):
        yield os.environ[URL_ENV]
        return
    bindir = _bin()
    if bindir is None:
        yield None
        return
    # not under pytest's folder: it is private to root, and the server runs as postgres
    folder = Path(tempfile.mkdtemp(prefix="kongchuo-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60",
        "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "kongchuo_test")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/kongchuo_test"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server_url: str, name: str) -> str:
    """The URL of a new, empty database `name` on the server of `server_url` (dropped first if a
    previous run left it): each test gets a store of its own, as each SQLite test gets its own file."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)
