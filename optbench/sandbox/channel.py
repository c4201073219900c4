"""Line-delimited JSON messages to and from a sandboxed worker, with per-message timeouts.

The trusted side never unpickles anything from the child: replies are JSON decoded by
:mod:`optbench.codec` into builtin types only.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import time
from typing import Any

from optbench import codec
from optbench.sandbox.sandbox import SandboxProcess

MAX_MESSAGE_BYTES = 64 * 1024 * 1024


class ChildDied(Exception):
    """The worker exited (or closed its pipe) before replying."""


class ProtocolError(Exception):
    """The worker replied with something that is not a well-formed message."""


class LineChannel:
    def __init__(self, process: SandboxProcess) -> None:
        self.process = process
        self._buffer = bytearray()
        self._fd = process.stdout.fileno()
        os.set_blocking(self._fd, False)

    def send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message, separators=(",", ":")).encode() + b"\n"
        try:
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise ChildDied(f"worker stopped reading: {exc}") from exc

    def recv(self, timeout: float) -> dict[str, Any] | None:
        """The next message, or ``None`` when ``timeout`` seconds pass without one."""
        deadline = time.monotonic() + timeout
        selector = selectors.DefaultSelector()
        selector.register(self._fd, selectors.EVENT_READ)
        try:
            while True:
                newline = self._buffer.find(b"\n")
                if newline >= 0:
                    line = bytes(self._buffer[:newline])
                    del self._buffer[: newline + 1]
                    return _parse(line)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                if not selector.select(timeout=remaining):
                    continue
                try:
                    chunk = os.read(self._fd, 1 << 20)
                except BlockingIOError:
                    continue
                if not chunk:
                    with contextlib.suppress(Exception):
                        self.process.popen.wait(timeout=2)
                    raise ChildDied(f"worker exited ({_exit(self.process)})")
                self._buffer += chunk
                if len(self._buffer) > MAX_MESSAGE_BYTES:
                    raise ProtocolError("worker reply exceeds the size limit")
        finally:
            selector.close()


def _parse(line: bytes) -> dict[str, Any]:
    try:
        message = codec.loads_bounded(line)
    except ValueError as exc:
        raise ProtocolError(f"malformed reply from worker: {line[:120]!r}") from exc
    if not isinstance(message, dict):
        raise ProtocolError("worker reply is not an object")
    return message


def _exit(process: SandboxProcess) -> str:
    code = process.popen.returncode
    if code is None:
        return "still running"
    return f"killed by signal {-code}" if code < 0 else f"status {code}"
