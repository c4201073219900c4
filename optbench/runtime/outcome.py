from __future__ import annotations

import contextlib
import copy
import fcntl
import gc
import io
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import CodeType
from typing import Any

MAX_OUTPUT_BYTES = 16 * 1024 * 1024
"""The one cap on what a program may write to stdout, verified or measured (a quarter of
the sandbox's file-size limit, which its captured output counts against)."""
MAX_STDOUT = MAX_OUTPUT_BYTES
MAX_YIELDED = 1_000_000
"""A returned iterator may yield this many items; more is an error."""


class IteratorTooLong(Exception):
    """A returned iterator yielded more than :data:`MAX_YIELDED` items."""


def consume(value: Any) -> Any:
    """The list of what ``value`` yields when it is a one-shot iterator (a generator,
    ``map``, ``zip``, ``itertools`` object...), else ``value`` itself.

    A caller of a function that returns an iterator consumes it, so the work the iterator
    does lazily belongs to the call (it is timed, and what it raises is what the call
    raises), and two iterators can only be compared by what they yield. A function that
    returns a list where the original returned a generator of the same items is therefore
    equivalent to it.
    """
    if not isinstance(value, Iterator):
        return value
    items = []
    for item in value:
        items.append(item)
        if len(items) > MAX_YIELDED:
            raise IteratorTooLong(f"the returned iterator yields more than {MAX_YIELDED} items")
    return items


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
    """Call ``fn`` on a deep copy of ``args``; capture the result (an iterator consumed,
    see :func:`consume`) and the mutated args.

    Any exception escaping the call is reported as ``raised``, including ``SystemExit``
    and ``KeyboardInterrupt``: a function that calls ``sys.exit()`` has not returned.
    """
    call_args = copy.deepcopy(args)
    start = time.perf_counter()
    try:
        value = consume(fn(*call_args))
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
    """Execute a compiled script as ``__main__`` with the given stdin; capture stdout.

    In-process version: ``sys.stdin``/``sys.stdout`` are replaced, the process's fds are
    not (see :func:`run_program_on_fds`)."""
    out_bytes = _CappedBytesIO()
    fake_stdin = io.TextIOWrapper(io.BytesIO(stdin_text.encode()), encoding="utf-8")
    fake_stdout = io.TextIOWrapper(out_bytes, encoding="utf-8", write_through=True)
    outcome = _execute(code, fake_stdin, fake_stdout)
    outcome.stdout = out_bytes.getvalue()[:MAX_STDOUT].decode("utf-8", errors="replace")
    return outcome


def run_program_on_fds(code: CodeType, stdin_text: str, scratch_dir: str) -> Outcome:
    """Like :func:`run_program`, but fds 0 and 1 are real files for the duration of the
    run, so ``open(0).read()``, ``os.read(0, n)`` and ``os.write(1, ...)`` see the same
    streams as ``sys.stdin``/``sys.stdout``. For the sandboxed worker, whose fds 0 and 1
    are not its protocol pipe: afterwards they point at ``/dev/null`` again.

    Output is capped by lowering the soft ``RLIMIT_FSIZE`` during the run (Python ignores
    SIGXFSZ, so an oversized write fails with ``OSError``)."""
    in_path = os.path.join(scratch_dir, ".program-stdin")
    out_path = os.path.join(scratch_dir, ".program-stdout")
    with open(in_path, "wb") as handle:
        handle.write(stdin_text.encode())
    in_fd = _open_high(in_path, os.O_RDONLY)
    out_fd = _open_high(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(in_fd, 0)
    os.dup2(out_fd, 1)
    os.close(in_fd)
    os.close(out_fd)
    stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
    stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8")
    fsize = resource.getrlimit(resource.RLIMIT_FSIZE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_STDOUT + 1, fsize[1]))
    try:
        outcome = _execute(code, stdin, stdout)
        gc.collect()  # file objects the program opened on fds 0/1 (open(0)) close now
    finally:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_FSIZE, fsize)
        devnull = _open_high(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.close(devnull)
    with open(out_path, "rb") as handle:
        data = handle.read(MAX_STDOUT + 1)
    if len(data) > MAX_STDOUT:
        outcome.status, outcome.exit_code = "raised", 1
        outcome.exc_type = exception_name(OutputLimitExceeded())
        outcome.exc_message = f"more than {MAX_STDOUT} bytes written to stdout"
    outcome.stdout = data[:MAX_STDOUT].decode("utf-8", errors="replace")
    return outcome


def _open_high(path: str, flags: int) -> int:
    """``os.open`` returning an fd above 2: the program may have closed fd 0 or 1 (e.g. by
    dropping an ``open(0)`` file object), and the lowest free fd must not be reused here."""
    fd = os.open(path, flags, 0o600)
    if fd > 2:
        return fd
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    os.close(fd)
    return high


def _execute(code: CodeType, stdin: io.TextIOBase, stdout: io.TextIOBase) -> Outcome:
    saved = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = stdin, stdout
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
        with contextlib.suppress(BaseException):
            stdout.flush()
        sys.stdin, sys.stdout = saved
    return Outcome(
        status=status,
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
    """``str(exc)``, or a placeholder when the exception's own ``__str__`` fails (with
    anything, ``SystemExit`` included: it is the candidate's code, not the worker's)."""
    try:
        text = str(exc)
        return text[:500] if type(text) is str else "<unprintable>"
    except BaseException:
        return "<unprintable>"
