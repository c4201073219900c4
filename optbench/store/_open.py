"""Opening a store: URL, pre-flight checks, engine, migrations."""

from __future__ import annotations

from pathlib import Path

from optbench.store._engine import (
    default_url,
    display_url,
    is_sqlite,
    make_engine,
    parse_url,
    sqlite_path,
)
from optbench.store._errors import StoreError
from optbench.store._migrate import precheck_sqlite_file, upgrade
from optbench.store._retry import retry_on_disconnect
from optbench.store._store import Store


def missing_sqlite_file(url: str | None = None) -> str | None:
    """The path of the SQLite database ``url`` names when it does not exist (opening it
    would create it): commands that only read must say so instead."""
    parsed = parse_url(url or default_url())
    path = sqlite_path(parsed) if is_sqlite(parsed) else None
    return path if path is not None and not Path(path).exists() else None


def open_store(url: str | None = None) -> Store:
    """Open (creating or upgrading as needed) the store at ``url``.

    ``url`` defaults to :func:`default_url`. Raises :class:`StoreError`, with the file
    left byte-for-byte as it was, when the database is unreachable, corrupt, belongs to
    another application, or was written by a newer optbench.
    """
    parsed = parse_url(url or default_url())
    where = display_url(parsed)
    path = sqlite_path(parsed) if is_sqlite(parsed) else None
    if path is not None:
        precheck_sqlite_file(path)
        where = path
    engine = make_engine(parsed)
    try:
        retry_on_disconnect(upgrade)(engine, where)
    except StoreError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {where}: {_one_line(exc)}") from exc
    return Store(engine, display_url(parsed))


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
