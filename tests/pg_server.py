"""A throwaway PostgreSQL cluster on loopback for the ``postgres``-marked tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server tools as the ``postgres`` user then."""
    if os.geteuid() == 0 and shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def available() -> bool:
    return shutil.which("initdb") is not None and shutil.which("pg_ctl") is not None


def create_database(url: str, name: str) -> str:
    """Create database ``name`` in the cluster at ``url``; return its URL."""
    import psycopg

    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


def terminate_connections(url: str) -> int:
    """Drop every client connection to the database at ``url`` except our own."""
    import psycopg

    database = url.rsplit("/", 1)[1]
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND datname = %s AND backend_type = 'client backend'",
            (database,),
        ).fetchall()
    return len(rows)


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def cluster() -> Iterator[str]:
    """Start a cluster in a fresh temporary directory and yield a SQLAlchemy URL for it.

    The directory is made directly under the system temp dir: pytest's own temp dirs
    are private to the current user, which the ``postgres`` user could not enter.
    """
    root = Path(tempfile.mkdtemp(prefix="optbench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    port = _free_port()
    subprocess.run(
        _as_postgres(["initdb", "-D", str(data), "-A", "trust", "-U", "optbench", "--no-sync"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -h 127.0.0.1 -k {root} -F"
    subprocess.run(
        _as_postgres(
            ["pg_ctl", "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://optbench@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres(["pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
