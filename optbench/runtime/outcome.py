"""What one run of the code on one input did, as the verification worker reports it.

:func:`run_function` and :func:`run_program` run the code through :mod:`.execution`,
the one implementation every sandboxed process uses, and turn what happened (a value, an
exception, an exit status, the captured output) into an :class:`Outcome`.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import CodeType
from typing import Any

from optbench.runtime.execution import (
    MAX_OUTPUT_BYTES,
    OutputLimitExceeded,
    ProgramIO,
    call,
    cap_output,
    exec_program,
    fresh_namespace,
    restore_output_limit,
)


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
    """Call ``fn`` on a deep copy of ``args`` (see :func:`.execution.call`); capture the
    result and the mutated args.

    Any exception escaping the call is reported as ``raised``, including ``SystemExit``
    and ``KeyboardInterrupt``: a function that calls ``sys.exit()`` has not returned.
    """
    call_args = copy.deepcopy(args)
    start = time.perf_counter()
    try:
        value = call(fn, call_args)
    except BaseException as exc:
        elapsed = time.perf_counter() - start
        return Outcome(
            status="raised",
            args_after=list(call_args),
            exc_type=exception_name(exc),
            exc_message=safe_str(exc),
            elapsed=elapsed,
        )
    elapsed = time.perf_counter() - start
    return Outcome(status="ok", value=value, args_after=list(call_args), elapsed=elapsed)


def run_program(code: CodeType, stdin_text: str, program_io: ProgramIO | None = None) -> Outcome:
    """Execute a compiled script as ``__main__`` with the given stdin on fds 0 and 1 (see
    :class:`.execution.ProgramIO`; a process running many inputs passes its own); capture
    stdout. The process's fds 0 and 1 are as before afterwards.

    Output past :data:`MAX_OUTPUT_BYTES` makes the outcome ``raised``
    :class:`OutputLimitExceeded`, with the first :data:`MAX_OUTPUT_BYTES` as its stdout."""
    if program_io is None:
        program_io = ProgramIO()
        try:
            return run_program(code, stdin_text, program_io)
        finally:
            program_io.close()
    program_io.feed(stdin_text.encode())
    status, code_exit, exc_type, exc_message = "exit", 0, None, ""
    with program_io.attached():
        streams = program_io.streams()
        namespace = fresh_namespace("__main__")
        limit = cap_output()
        start = time.perf_counter()
        try:
            code_exit = exec_program(code, program_io, streams, namespace)
        except BaseException as exc:
            status, code_exit = "raised", 1
            exc_type, exc_message = exception_name(exc), safe_str(exc)
        finally:
            elapsed = time.perf_counter() - start
            restore_output_limit(limit)
    stdout, over = program_io.output()
    if over:
        status, code_exit = "raised", 1
        exc_type = exception_name(OutputLimitExceeded())
        exc_message = f"more than {MAX_OUTPUT_BYTES} bytes written to stdout"
    return Outcome(
        status=status,
        stdout=stdout,
        exit_code=code_exit,
        exc_type=exc_type,
        exc_message=exc_message,
        elapsed=elapsed,
    )


def safe_str(exc: BaseException) -> str:
    """``str(exc)``, or a placeholder when the exception's own ``__str__`` fails (with
    anything, ``SystemExit`` included: it is the candidate's code, not the worker's)."""
    try:
        text = str(exc)
        return text[:500] if type(text) is str else "<unprintable>"
    except BaseException:
        return "<unprintable>"
