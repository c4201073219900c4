"""Engines: SQLite tuned for several writer processes, anything else left as is."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

from optbench.store._errors import StoreError

ENV_VAR = "OPTBENCH_DB"
DEFAULT_FILE = "optbench.db"
BUSY_TIMEOUT_MS = 30_000
READONLY_OPTION = "optbench_readonly"
"""Execution option: a transaction that only reads starts with a plain ``BEGIN``."""


def default_url() -> str:
    """``$OPTBENCH_DB`` when set, else ``optbench.db`` in the current directory."""
    return os.environ.get(ENV_VAR) or f"sqlite:///{DEFAULT_FILE}"


def parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except Exception as exc:
        raise StoreError(f"invalid database URL {url!r}: {exc}") from exc


def display_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_path(url: URL) -> str | None:
    """The file behind an SQLite URL; None for an in-memory database."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return database


def make_engine(url: URL) -> Engine:
    """An engine for ``url``.

    SQLite connections get WAL, a long busy timeout, enforced foreign keys and
    ``BEGIN IMMEDIATE`` for every transaction that may write: under WAL a deferred
    transaction that upgrades from read to write fails with SQLITE_BUSY at once,
    without waiting for the busy timeout. Pass ``execution_options(optbench_readonly=True)``
    for read-only work so readers don't queue behind writers.
    """
    try:
        if not is_sqlite(url):
            return create_engine(url, pool_pre_ping=True)
        memory = sqlite_path(url) is None
        kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
        if memory:
            kwargs["poolclass"] = StaticPool
            kwargs["connect_args"]["check_same_thread"] = False
        engine = create_engine(url, **kwargs)
    except Exception as exc:
        raise StoreError(f"cannot use database {display_url(url)}: {exc}") from exc

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        readonly = conn.get_execution_options().get(READONLY_OPTION, False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine
