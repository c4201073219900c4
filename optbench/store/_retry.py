"""Surviving a dropped database connection (a restarted server, an idle connection
closed by a proxy or by ``pg_terminate_backend``).

The pool pings a connection before handing it out (``pool_pre_ping``), which replaces
connections that died while idle. A connection that dies during a transaction rolls it
back; an idempotent store method is then simply run again on a fresh connection.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 4
BACKOFF_S = 0.1


def is_disconnect(exc: BaseException) -> bool:
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def retry_on_disconnect(method: Callable[P, T]) -> Callable[P, T]:
    """Run ``method`` again when its connection was lost; only for methods whose
    transaction may be repeated without changing the outcome."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(ATTEMPTS):
            try:
                return method(*args, **kwargs)
            except DBAPIError as exc:
                if not is_disconnect(exc) or attempt == ATTEMPTS - 1:
                    raise
                time.sleep(BACKOFF_S * 2**attempt)
        raise AssertionError("unreachable")

    return wrapper


def insert_retrying_before_commit(
    session_factory: Callable[[], Session], add: Callable[[Session], T]
) -> T:
    """Run ``add`` (which adds rows and flushes) in a new transaction and commit it. A
    connection lost before the commit is sent rolled everything back, so it is tried
    again on a fresh connection; one lost during the commit is raised, since the rows may
    or may not be stored (trying again could store them twice)."""
    for attempt in range(ATTEMPTS):
        with session_factory() as session:
            session.begin()
            try:
                result = add(session)
            except DBAPIError as exc:
                if not is_disconnect(exc) or attempt == ATTEMPTS - 1:
                    raise
                session.rollback()
                time.sleep(BACKOFF_S * 2**attempt)
                continue
            session.commit()
            return result
    raise AssertionError("unreachable")
