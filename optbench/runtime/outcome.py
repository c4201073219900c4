from __future__ import annotations

import contextlib
import copy
import io
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import CodeType
from typing import Any

MAX_STDOUT = 1_000_000


@dataclass
class Outcome:
    """What one call did.

    ``status`` is ``ok`` (returned), ``raised`` (an exception escaped) or ``exit``
    (a program ended through ``SystemExit``). Programs always report ``stdout`` and
    ``exit_code``; functions report ``value`` and ``args_after`` (the arguments after
    the call, to compare mutation).
    """

    status: str
    value: Any = None
    args_after: Any = None
    exc_type: str | None = None
    exc_message: str = ""
    stdout: str = ""
    exit_code: int = 0
    elapsed: float = 0.0

    def to_wire(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "value": self.value,
            "args_after": self.args_after,
            "exc_type": self.exc_type,
            "exc_message": self.exc_message[:500],
            "stdout": self.stdout,
            "exit_code": self.exit_code,
            "elapsed": self.elapsed,
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Outcome:
        return cls(
            status=str(data["status"]),
            value=data.get("value"),
            args_after=data.get("args_after"),
            exc_type=data.get("exc_type"),
            exc_message=str(data.get("exc_message", "")),
            stdout=str(data.get("stdout", "")),
            exit_code=int(data.get("exit_code", 0)),
            elapsed=float(data.get("elapsed", 0.0)),
        )


def exception_name(exc: BaseException) -> str:
    kind = type(exc)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def run_function(fn: Callable[..., Any], args: tuple[Any, ...]) -> Outcome:
    """Call ``fn`` on a deep copy of ``args``; capture the result and the mutated args.

    Any exception escaping the call is reported as ``raised``, including ``SystemExit``
    and ``KeyboardInterrupt``: a function that calls ``sys.exit()`` has not returned.
    """
    call_args = copy.deepcopy(args)
    start = time.perf_counter()
    try:
        value = fn(*call_args)
    except BaseException as exc:
        elapsed = time.perf_counter() - start
        return Outcome(
            status="raised",
            args_after=list(call_args),
            exc_type=exception_name(exc),
            exc_message=_safe_str(exc),
            elapsed=elapsed,
        )
    elapsed = time.perf_counter() - start
    return Outcome(status="ok", value=value, args_after=list(call_args), elapsed=elapsed)


class OutputLimitExceeded(OSError):
    """A program wrote more than :data:`MAX_STDOUT` bytes to stdout."""


class _CappedBytesIO(io.BytesIO):
    """Captured stdout that refuses to grow past :data:`MAX_STDOUT` bytes."""

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > MAX_STDOUT:
            room = max(0, MAX_STDOUT - self.tell())
            super().write(bytes(data)[:room])
            raise OutputLimitExceeded(f"more than {MAX_STDOUT} bytes written to stdout")
        return super().write(data)


def run_program(code: CodeType, stdin_text: str) -> Outcome:
    """Execute a compiled script as ``__main__`` with the given stdin; capture stdout."""
    stdin_bytes = io.BytesIO(stdin_text.encode())
    out_bytes = _CappedBytesIO()
    fake_stdin = io.TextIOWrapper(stdin_bytes, encoding="utf-8")
    fake_stdout = io.TextIOWrapper(out_bytes, encoding="utf-8", write_through=True)
    saved = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = fake_stdin, fake_stdout
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
    status, exit_code, exc_type, exc_message = "exit", 0, None, ""
    start = time.perf_counter()
    try:
        exec(code, namespace)
    except SystemExit as exc:
        exit_code = _exit_code(exc.code)
    except BaseException as exc:
        status, exit_code = "raised", 1
        exc_type, exc_message = exception_name(exc), _safe_str(exc)
    finally:
        elapsed = time.perf_counter() - start
        with contextlib.suppress(Exception):
            fake_stdout.flush()
        sys.stdin, sys.stdout = saved
    stdout = out_bytes.getvalue()[:MAX_STDOUT].decode("utf-8", errors="replace")
    return Outcome(
        status=status,
        stdout=stdout,
        exit_code=exit_code,
        exc_type=exc_type,
        exc_message=exc_message,
        elapsed=elapsed,
    )


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)[:500]
    except Exception:
        return "<unprintable>"
