"""The verification worker: loads one program (the original or a candidate) inside the
sandbox and runs it on the inputs the trusted harness sends.

Usage (started by :mod:`optbench.verify.workers`, never by hand)::

    python -I -B -m optbench.runtime.worker function|program SOURCE_FILE [ENTRY_POINT]

Protocol: one JSON object per line. The harness sends ``{"op": "call", "seq": n,
"input": <codec>}``; the worker answers ``{"op": "result", "seq": n, "outcome":
<codec>}``. Before any of that it answers ``ready`` or ``load_error``; at any moment it
may send ``violation`` (see :mod:`optbench.runtime.guard`) and exit.

Before the loaded code runs, the protocol pipe is moved off fds 0/1 and fds 0, 1 and 2
point at ``/dev/null``: whatever the code prints, to ``sys.stdout`` or straight to fd 1,
cannot reach the harness. (While a program runs, fds 0 and 1 are its in-memory stdin and
stdout, see :class:`optbench.runtime.execution.ProgramIO`.) Only the standard library, :mod:`optbench.codec`
and :mod:`optbench.runtime` (with pyseccomp, for the filter) are imported here.

The worker reads the program, moves into a fresh scratch dir below ``TMPDIR`` (the
sandbox's size-limited tmpfs; the workdir itself is read-only), installs the kernel's
system-call filter (:mod:`optbench.runtime.seccomp`: no processes, programs, sockets or
metadata changes, whatever the code does to the audit hook) and then the audit hook
(:mod:`optbench.runtime.guard`, for clear refusals), and only then runs the program's code.
"""

from __future__ import annotations

import builtins
import gc
import json
import os
import sys
import tempfile
import types
from typing import Any

from optbench import codec
from optbench.runtime import guard, seccomp
from optbench.runtime.execution import MODULE_NAME, ProgramIO, load_entry
from optbench.runtime.hide import hide_harness
from optbench.runtime.outcome import (
    Outcome,
    exception_name,
    run_function,
    run_program,
    safe_str,
)

VIOLATION_EXIT = 86
WORKER_ERROR_EXIT = 70


class _Pipe:
    """The protocol pipe. The functions it uses are bound here, before any loaded code
    runs: replacing ``os.write`` or ``json.dumps`` must not silence the worker."""

    def __init__(self) -> None:
        self._write, self._dumps, self._loads = os.write, json.dumps, json.loads
        self.reader = os.fdopen(os.dup(0), "rb")
        self.out_fd = os.dup(1)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)

    def send(self, message: dict[str, Any]) -> None:
        data = memoryview(self._dumps(message, separators=(",", ":")).encode() + b"\n")
        while data:
            written = self._write(self.out_fd, data)
            data = data[written:]

    def receive(self) -> dict[str, Any] | None:
        line = self.reader.readline()
        if not line:
            return None
        message = self._loads(line)
        return message if isinstance(message, dict) else None


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _load(kind: str, path: str, source: str, entry_point: str | None) -> Any:
    code = compile(source, os.path.basename(path), "exec")
    if kind == "program":
        return code
    module = types.ModuleType(MODULE_NAME)
    module.__file__ = path
    module.__dict__["__builtins__"] = builtins
    sys.modules[MODULE_NAME] = module
    return load_entry(code, module.__dict__, entry_point or "")


def _encode_outcome(outcome: Outcome) -> Any:
    try:
        return codec.encode(outcome.to_wire())
    except BaseException as exc:  # a hostile __repr__ may raise anything, SystemExit too
        fallback = Outcome(
            status="raised",
            exc_type=exception_name(exc),
            exc_message=f"the result could not be encoded: {type(exc).__name__}",
            elapsed=outcome.elapsed,
        )
        return codec.encode(fallback.to_wire())


def main(argv: list[str]) -> int:
    kind, path = argv[0], os.path.abspath(argv[1])
    entry_point = argv[2] if len(argv) > 2 else None
    pipe = _Pipe()
    exit_now = os._exit

    def on_violation(what: str) -> None:
        try:
            pipe.send({"op": "violation", "what": what})
        finally:
            exit_now(VIOLATION_EXIT)

    try:
        source: str | None = _read(path)
        error: BaseException | None = None
    except (OSError, ValueError) as exc:
        source, error = None, exc
    scratch = _scratch()
    program_io = ProgramIO() if kind == "program" else None
    try:
        seccomp.enforce("worker")
    except seccomp.SeccompUnavailable as exc:
        pipe.send({"op": "worker_error", "detail": f"refusing to run the code: {exc}"})
        return WORKER_ERROR_EXIT
    hide_harness()
    guard.install(scratch, on_violation)
    try:
        if error is not None:
            raise error
        assert source is not None
        target = _load(kind, path, source, entry_point)
    except BaseException as exc:
        pipe.send(
            {
                "op": "load_error",
                "exc_type": exception_name(exc),
                "message": safe_str(exc),
                "line": _error_line(exc, os.path.basename(path)),
            }
        )
        return 0
    pipe.send({"op": "ready"})
    while True:
        request = pipe.receive()
        if request is None or request.get("op") != "call":
            return 0
        try:
            value = codec.decode(request["input"])
            if kind == "program":
                outcome = run_program(target, value, program_io)
            else:
                outcome = run_function(target, tuple(value))
            if outcome.exc_type == "MemoryError":
                outcome.args_after = None
                gc.collect()
            reply = {"op": "result", "seq": request.get("seq"), "outcome": _encode_outcome(outcome)}
        except BaseException as exc:  # the program broke the worker's own environment
            pipe.send({"op": "worker_error", "detail": f"{exception_name(exc)}: {safe_str(exc)}"})
            return WORKER_ERROR_EXIT
        pipe.send(reply)


def _scratch() -> str:
    """A fresh dir for the code's files, made the working
    directory: below ``TMPDIR`` (the sandbox's private, size-limited tmpfs under bubblewrap,
    the workdir elsewhere), or the workdir itself if that fails."""
    try:
        scratch = tempfile.mkdtemp(prefix="scratch-")
        os.chdir(scratch)
    except OSError:
        return os.getcwd()
    return scratch


def _error_line(exc: BaseException, filename: str) -> int | None:
    """The innermost line of the loaded file in the traceback."""
    if isinstance(exc, SyntaxError):
        return exc.lineno
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
