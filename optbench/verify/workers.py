"""The trusted side of a verification worker: start it in its own sandbox, send it inputs,
turn whatever comes back (or does not) into a :class:`Reply`.

Each start gets a fresh :class:`~optbench.sandbox.Sandbox` (its own temp dir and user
id): a restarted worker never reads a file the previous one could have tampered with,
and the original and the candidate never share a directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import time
from dataclasses import dataclass
from typing import Any, Literal

from optbench import codec
from optbench.core.problem import Problem
from optbench.runtime.outcome import Outcome
from optbench.sandbox import ChildDied, LineChannel, ProtocolError, Sandbox, SandboxProcess
from optbench.verify.config import VerifyConfig

ReplyKind = Literal["ok", "load_error", "timeout", "died", "violation", "protocol"]

WORKER_MODULE = "optbench.runtime.worker"
SIGNAL_HINTS = {
    "SIGXCPU": "CPU time limit",
    "SIGXFSZ": "file size limit",
    "SIGKILL": "killed",
    "SIGSEGV": "segmentation fault",
    "SIGABRT": "aborted",
}


@dataclass
class Reply:
    kind: ReplyKind
    outcome: Outcome | None = None
    detail: str = ""
    """For failures: what happened, in words (how the worker died, what it attempted)."""
    wall_s: float = 0.0


class Worker:
    """One sandboxed worker process running one program (original or candidate)."""

    def __init__(self, role: str, problem: Problem, source: str, config: VerifyConfig) -> None:
        self.role = role
        self.problem = problem
        self.source = source
        self.config = config
        self.sandbox: Sandbox | None = None
        self.process: SandboxProcess | None = None
        self.channel: LineChannel | None = None
        self.seq = 0
        self.starts = 0

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.alive()

    def start(self) -> Reply:
        """(Re)start the worker and wait until the program is loaded."""
        self.stop()
        self.starts += 1
        self.sandbox = Sandbox(limits=self.config.limits)
        filename = f"{self.role}.py"
        self.sandbox.write(filename, self.source)
        argv = [WORKER_MODULE, self.problem.kind.value, filename]
        if self.problem.entry_point:
            argv.append(self.problem.entry_point)
        self.process = self.sandbox.popen(self.sandbox.python("-m", *argv))
        self.channel = LineChannel(self.process)
        began = time.monotonic()
        reply = self._receive(self.config.load_timeout_s, expect="ready", seq=None)
        reply.wall_s = time.monotonic() - began
        return reply

    def call(self, value: Any, timeout: float, encoded: Any = None) -> Reply:
        """Run the program on one input (``encoded``: its codec form, when the caller has
        it already); restarts a dead worker first."""
        if not self.alive or self.channel is None:
            started = self.start()
            if started.kind != "ok":
                if started.kind == "load_error":
                    started = Reply("died", detail=f"failed to load on restart: {started.detail}")
                return started
        assert self.channel is not None
        self.seq += 1
        began = time.monotonic()
        try:
            if encoded is None:
                encoded = codec.encode(value)
            sent = self._send({"op": "call", "seq": self.seq, "input": encoded}, timeout)
        except ChildDied:
            return self._died()
        if not sent:
            self.stop()
            return Reply("timeout", detail=f"did not take its input within {timeout:.1f} s")
        remaining = max(0.05, timeout - (time.monotonic() - began))
        reply = self._receive(remaining, expect="result", seq=self.seq)
        reply.wall_s = time.monotonic() - began
        return reply

    def _send(self, message: dict[str, Any], timeout: float) -> bool:
        """Write one request without ever blocking past ``timeout``: a worker whose code
        holds the interpreter (a runaway thread) stops reading, and a large input would
        otherwise block the harness on a full pipe."""
        assert self.process is not None
        data = memoryview(json.dumps(message, separators=(",", ":")).encode() + b"\n")
        fd = self.process.stdin.fileno()
        os.set_blocking(fd, False)
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_WRITE)
            while data:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                if not selector.select(remaining):
                    continue
                try:
                    written = os.write(fd, data)
                except BlockingIOError:
                    continue
                except OSError as exc:
                    raise ChildDied(f"worker stopped reading: {exc}") from exc
                data = data[written:]
        return True

    def _receive(self, timeout: float, expect: str, seq: int | None) -> Reply:
        assert self.channel is not None
        try:
            message = self.channel.recv(timeout)
        except ChildDied:
            return self._died()
        except ProtocolError as exc:
            self.stop()
            return Reply("protocol", detail=str(exc))
        if message is None:
            self.stop()
            return Reply("timeout", detail=f"no answer within {timeout:.1f} s")
        op = message.get("op")
        if op == "violation":
            self.stop()
            return Reply("violation", detail=str(message.get("what", "policy violation"))[:500])
        if op == "worker_error":
            self.stop()
            detail = str(message.get("detail", ""))[:300]
            return Reply("died", detail=f"the worker broke while running it: {detail}")
        if expect == "ready" and op == "load_error":
            self.stop()
            line = message.get("line")
            where = f" (line {line})" if isinstance(line, int) else ""
            detail = f"{message.get('exc_type')}: {message.get('message')}"[:500] + where
            return Reply("load_error", detail=detail)
        if op != expect or (seq is not None and message.get("seq") != seq):
            self.stop()
            return Reply("protocol", detail=f"unexpected message {str(message)[:120]}")
        if expect == "ready":
            return Reply("ok")
        try:
            wire = codec.decode(message["outcome"])
            outcome = Outcome.from_wire(wire)
        except Exception as exc:
            self.stop()
            return Reply("protocol", detail=f"malformed outcome: {type(exc).__name__}: {exc}"[:300])
        return Reply("ok", outcome=outcome)

    def _died(self) -> Reply:
        code = None
        if self.process is not None:
            with contextlib.suppress(Exception):
                self.process.popen.wait(timeout=5)
            code = self.process.popen.returncode
        startup = self._startup_error()
        self.stop()
        detail = describe_exit(code) + (f"; stderr: {startup}" if startup else "")
        return Reply("died", detail=detail)

    def _startup_error(self) -> str:
        """What the worker printed before it silenced its stderr (interpreter start-up
        failures only: fd 2 points at /dev/null before any program is loaded)."""
        if self.process is None or self.process.popen.stderr is None:
            return ""
        stream = self.process.popen.stderr
        try:
            os.set_blocking(stream.fileno(), False)
            data = stream.read(4000) or b""
        except (OSError, ValueError):
            return ""
        return data.decode("utf-8", errors="replace").strip()[-1000:]

    def stop(self) -> None:
        """Kill the worker's process tree and remove its sandbox."""
        if self.sandbox is not None:
            self.sandbox.close()
        self.sandbox = None
        self.process = None
        self.channel = None

    close = stop


def describe_exit(code: int | None) -> str:
    """How a worker ended, in words. Under bubblewrap's pid namespace a death by signal N
    arrives as exit status 128 + N."""
    if code is None:
        return "stopped answering"
    number = -code if code < 0 else code - 128 if 128 < code < 128 + 65 else None
    if number is not None:
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        hint = SIGNAL_HINTS.get(name)
        return f"killed by {name}" + (f" ({hint})" if hint and hint != "killed" else "")
    return f"exited with status {code}"
