"""Schema migrations with Alembic, run from code, and the checks that come first.

Before anything is written, the database is classified: empty (create our schema),
ours (upgrade it), or something we must not touch (corrupt, another application's
tables, a schema revision from a newer optbench). SQLite files are inspected through
a read-only connection first, because merely opening them with our engine switches
them to WAL, which rewrites the header.

To draft a new revision after changing ``_models.py``::

    from alembic import command
    command.revision(alembic_config("sqlite:///scratch.db"), "what changed", autogenerate=True)
"""

from __future__ import annotations

import functools
import sqlite3
from enum import StrEnum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from optbench import __version__
from optbench.store._engine import READONLY_OPTION
from optbench.store._errors import StoreError
from optbench.store._models import VERSION_TABLE

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"


class DbState(StrEnum):
    EMPTY = "empty"
    CURRENT = "current"
    BEHIND = "behind"


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code; no ``alembic.ini`` is needed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _script().get_current_head()
    assert head is not None, "optbench ships without migrations"
    return head


def known_revisions() -> frozenset[str]:
    return frozenset(s.revision for s in _script().walk_revisions())


def classify(tables: set[str], revisions: list[str], where: str) -> DbState:
    """Decide what to do with a database holding ``tables`` at ``revisions``."""
    if VERSION_TABLE not in tables:
        own = sorted(t for t in tables if not t.startswith("sqlite_"))
        if not own:
            return DbState.EMPTY
        listed = ", ".join(own[:5]) + (", ..." if len(own) > 5 else "")
        raise StoreError(
            f"{where} is not an optbench database (it holds other tables: {listed}); "
            "refusing to add ours"
        )
    unknown = [r for r in revisions if r not in known_revisions()]
    if unknown:
        raise StoreError(
            f"{where} was written by a newer optbench (schema revision {unknown[0]}, "
            f"unknown to optbench {__version__}); upgrade optbench to use it"
        )
    if not revisions:
        return DbState.BEHIND
    return DbState.CURRENT if revisions == [head_revision()] else DbState.BEHIND


def precheck_sqlite_file(path: str) -> DbState | None:
    """Classify an SQLite file without writing to it; None when it does not exist yet."""
    file = Path(path)
    if not file.exists():
        parent = file.absolute().parent
        if not parent.is_dir():
            raise StoreError(f"cannot create database {path}: directory {parent} does not exist")
        return None
    if not file.is_file():
        raise StoreError(f"database {path} is not a regular file")
    try:
        with file.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read database {path}: {exc.strerror or exc}") from exc
    if not header:
        return DbState.EMPTY
    if header != SQLITE_HEADER:
        raise StoreError(f"{path} is not an SQLite database (unrecognised header); left untouched")
    try:
        con = sqlite3.connect(_readonly_uri(file), uri=True)
        try:
            tables = {
                row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revisions = []
            if VERSION_TABLE in tables:
                revisions = [
                    row[0] for row in con.execute(f"SELECT version_num FROM {VERSION_TABLE}")
                ]
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{path} is not a usable SQLite database ({exc}); left untouched") from exc
    return classify(tables, revisions, path)


def _readonly_uri(file: Path) -> str:
    """A URI that reads ``file`` without creating anything beside it.

    A read-only connection to a WAL database creates ``-wal``/``-shm`` files it cannot
    remove afterwards; ``immutable=1`` avoids that but ignores a ``-wal`` file's content,
    so it is used only when there is no ``-wal`` file to read.
    """
    uri = file.absolute().as_uri()
    if Path(f"{file}-wal").exists():
        return f"{uri}?mode=ro"
    return f"{uri}?immutable=1"


def _state(conn: Connection, where: str) -> DbState:
    tables = set(inspect(conn).get_table_names())
    revisions: list[str] = []
    if VERSION_TABLE in tables:
        revisions = list(conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())
    return classify(tables, revisions, where)


def upgrade(engine: Engine, where: str) -> None:
    """Bring the schema to head, checking first (again, inside the write transaction, so
    that two processes opening one new file do not both create it)."""
    with engine.connect() as conn, conn.execution_options(**{READONLY_OPTION: True}).begin():
        if _state(conn, where) is DbState.CURRENT:
            return
    with engine.connect() as conn, conn.begin():
        if _state(conn, where) is DbState.CURRENT:
            return
        command.upgrade(alembic_config(connection=conn), "head")
