"""Which failures are worth retrying, and the retry loop with exponential backoff."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from optbench.models.errors import ModelError

T = TypeVar("T")

_TRANSIENT_NAMES = frozenset(
    {
        # openai
        "APIConnectionError",
        "APITimeoutError",
        "RateLimitError",
        "InternalServerError",
        # httpx
        "ConnectError",
        "ConnectTimeout",
        "ReadTimeout",
        "ReadError",
        "WriteError",
        "PoolTimeout",
        "RemoteProtocolError",
    }
)


def _status_code(exc: BaseException) -> int | None:
    code = getattr(exc, "status_code", None)
    if code is None:
        code = getattr(getattr(exc, "response", None), "status_code", None)
    return code if isinstance(code, int) else None


def is_transient(exc: BaseException) -> bool:
    """Connection failures, timeouts, 408/429 and 5xx answers: a later try may succeed.

    Client libraries are recognised by exception class name so that none has to be imported;
    the cause chain is followed because wrappers often re-raise.
    """
    seen: BaseException | None = exc
    for _ in range(4):
        if seen is None:
            return False
        if isinstance(seen, ConnectionError | TimeoutError):
            return True
        if any(cls.__name__ in _TRANSIENT_NAMES for cls in type(seen).__mro__):
            return True
        code = _status_code(seen)
        if code is not None and (code in (408, 429) or code >= 500):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def call_with_retries(
    fn: Callable[[], T],
    *,
    retries: int,
    backoff_s: float,
    sleep: Callable[[float], None],
) -> T:
    """Call ``fn``; on a transient error wait ``backoff_s * 2**attempt`` and try again,
    at most ``retries`` more times. ``ModelError`` (misuse, exhausted script, replay miss,
    budget) is never retried."""
    attempt = 0
    while True:
        try:
            return fn()
        except ModelError:
            raise
        except Exception as exc:
            if attempt >= retries or not is_transient(exc):
                raise
            sleep(backoff_s * 2**attempt)
            attempt += 1
