"""A forked child that runs candidate code, and the trusted parent that times it.

The parent forks the child before any candidate code exists in either process. The
child prepares what it needs (a copy of the input, a namespace), then brackets its one
timed region with a handshake on two pipes: it writes ``R`` and waits for the parent's
``G``, runs the region, writes ``D`` and waits again. At each token the child is blocked
in a ``read``, so the parent reads the child's CPU clock from the kernel
(``clock_gettime`` on the process CPU clock of another pid: every thread, those already
ended included, in nanoseconds) and its memory (``VmRSS``/``VmHWM`` in
``/proc/PID/status``) while they stand still. The child's last message is its report,
framed as ``F``, then a JSON report and a payload of bytes, each after its 8-byte
length; the parent then takes the clock once more and kills it, so nothing the child
does afterwards (exit, freeing memory) is counted or can matter. One region per child:
a second execution in the same process could be answered from state the first left.

Nothing the child says about time or memory is believed. Candidate code can write tokens
of its own (it shares the child's descriptors): the parent accepts exactly one region,
and a token out of turn is a malformed report. What it can still do is end the region
early and go on working after it; the parent therefore bounds the CPU the child spends
after its region by what the child's own untimed work (encoding the output) can take,
calibrated by the parent, which never runs candidate code. Work hidden there beyond that
allowance is refused.

Standard library only: both sides run inside the sandbox.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

READY, DONE, FINAL, GO = b"R", b"D", b"F", b"G"
LENGTH_BYTES = 8
MAX_REPORT_BYTES = 64 * 1024 * 1024
"""The one cap on what a child may send back (its output included)."""
CPUCLOCK_SCHED = 2


class ChildFailure(Exception):
    """The child broke the protocol, misused its untimed time, or sent no report."""


class Channel:
    """The child's side: tokens around its timed regions, and its final report."""

    def __init__(self, out_fd: int, go_fd: int) -> None:
        self.out_fd = out_fd
        self.go_fd = go_fd

    def start(self) -> None:
        os.write(self.out_fd, READY)
        self._wait()

    def stop(self) -> None:
        os.write(self.out_fd, DONE)
        self._wait()

    def _wait(self) -> None:
        if os.read(self.go_fd, 1) != GO:
            os._exit(0)

    def finish(self, report: dict[str, Any], payload: bytes = b"") -> NoReturn:
        """Send the report (JSON) and a payload (bytes, see :class:`ChildRun`), then wait to
        be killed (the parent's last clock reading must not count the exit)."""
        write, exit_now = os.write, os._exit
        try:
            body = json.dumps(report, separators=(",", ":")).encode()
        except BaseException:
            body, payload = b'{"error":"its report could not be encoded"}', b""
        data = b"".join((FINAL, _length(body), body, _length(payload), payload))
        try:
            while data:
                data = data[write(self.out_fd, data) :]
            os.read(self.go_fd, 1)
        finally:
            exit_now(0)


def _length(data: bytes) -> bytes:
    return len(data).to_bytes(LENGTH_BYTES, "big")


@dataclass
class ChildRun:
    """What the parent saw of one child, all of it read from the kernel but ``report``."""

    timed_s: float = 0.0
    """On-CPU seconds of the child (all its threads) inside its timed region."""
    post_s: float = 0.0
    """On-CPU seconds from the region's end to the report."""
    finished: bool = False
    """Whether the timed region ended (the child asked to stop the clock)."""
    rss_at_start: int = 0
    """Resident bytes when the region started."""
    hwm: int = 0
    """Peak resident bytes up to the end of the region."""
    report: dict[str, Any] | None = None
    payload: bytes = b""
    """Bytes sent beside the report (the measurement worker's marshalled output)."""
    report_bytes: int = 0
    """Size of the report and the payload together."""
    status: int = 0
    """The child's wait status (it is killed after its report)."""

    @property
    def peak_bytes(self) -> int:
        """Peak resident memory the region added to what the child started with."""
        return max(self.hwm - self.rss_at_start, 0)


def fork_child(body: Callable[[Channel], NoReturn], keep: tuple[int, ...] = ()) -> Supervisor:
    """Fork a child that runs ``body`` with only its pipes and ``keep`` open (besides fds
    0-2), and return its parent's side."""
    to_parent, from_child = _pipe()
    to_child, from_parent = _pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(from_child)
            os.close(to_child)
            _close_all_but(sorted({to_parent, from_parent, *keep}))
            body(Channel(to_parent, from_parent))
        finally:
            os._exit(70)
    os.close(to_parent)
    os.close(from_parent)
    return Supervisor(pid, from_child, to_child)


def _pipe() -> tuple[int, int]:
    """(write end, read end)."""
    read_fd, write_fd = os.pipe()
    return write_fd, read_fd


def _close_all_but(keep: list[int]) -> None:
    low = 3
    for fd in keep:
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 65536)


class Supervisor:
    """The parent's side of one child."""

    def __init__(self, pid: int, from_child: int, to_child: int) -> None:
        self.pid = pid
        self.from_child = from_child
        self.to_child = to_child
        self.clock = ((~pid) << 3) | CPUCLOCK_SCHED

    def cpu(self) -> float:
        return time.clock_gettime(self.clock)

    def follow(self) -> ChildRun:
        """Serve the child's handshakes for its one timed region and read its report; the
        child is killed and reaped before this returns, whatever happens."""
        run = ChildRun()
        try:
            self._follow(run)
        finally:
            self._end(run)
        return run

    def _follow(self, run: ChildRun) -> None:
        started: float | None = None
        stopped: float | None = None
        while True:
            token = os.read(self.from_child, 1)
            if token == READY and started is None:
                started = self.cpu()
                run.rss_at_start = self._memory("VmRSS")
                os.write(self.to_child, GO)
            elif token == DONE and started is not None and stopped is None:
                stopped = self.cpu()
                run.timed_s = stopped - started
                run.finished = True
                run.hwm = self._memory("VmHWM")
                os.write(self.to_child, GO)
            elif token == FINAL:
                body = self._read_part()
                run.payload = self._read_part()
                if stopped is not None:
                    run.post_s = self.cpu() - stopped
                run.report_bytes = len(body) + len(run.payload)
                run.report = _parse(body)
                return
            elif not token:
                return
            else:
                raise ChildFailure(f"sent {token!r} out of turn (a forged handshake)")

    def _read_part(self) -> bytes:
        length = int.from_bytes(self._read_exact(LENGTH_BYTES), "big")
        if length > MAX_REPORT_BYTES:
            raise ChildFailure(f"sent a report of {length} bytes (limit {MAX_REPORT_BYTES})")
        return self._read_exact(length)

    def _read_exact(self, size: int) -> bytes:
        chunks: list[bytes] = []
        while size > 0:
            chunk = os.read(self.from_child, min(size, 1 << 20))
            if not chunk:
                raise ChildFailure("ended in the middle of its report")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _memory(self, key: str) -> int:
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith(key + ":"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError):
            return 0
        return 0

    def _end(self, run: ChildRun) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        _, run.status = os.waitpid(self.pid, 0)
        for fd in (self.from_child, self.to_child):
            with contextlib.suppress(OSError):
                os.close(fd)


def _parse(body: bytes) -> dict[str, Any]:
    try:
        report = json.loads(body)
    except (ValueError, RecursionError):
        raise ChildFailure("sent a malformed report") from None
    if not isinstance(report, dict):
        raise ChildFailure("sent a malformed report")
    return report


def how_it_ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
