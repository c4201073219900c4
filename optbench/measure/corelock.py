"""One timing per core at a time, across every process on the machine.

A lock is an ``fcntl.flock`` on ``<lock dir>/core-<N>.lock``. The kernel drops it when
the holder dies, so a killed run never leaves a core locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from pathlib import Path
from types import TracebackType

from optbench.errors import OptbenchError
from optbench.measure.machine import usable_cores

LOCK_DIR_ENV = "OPTBENCH_LOCK_DIR"
BENCH_CORE_ENV = "OPTBENCH_BENCH_CORE"


class CoreBusy(OptbenchError, TimeoutError):
    """The core stayed locked by another timing for longer than the wait allowed."""


def lock_dir() -> Path:
    env = os.environ.get(LOCK_DIR_ENV)
    path = Path(env) if env else Path(tempfile.gettempdir()) / "optbench-core-locks"
    path.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        path.chmod(0o1777)
    return path


def default_core() -> int:
    """The core timings run on: $OPTBENCH_BENCH_CORE, else the last usable core, which
    leaves core 0 to the harness and to verification."""
    env = os.environ.get(BENCH_CORE_ENV)
    if env:
        return int(env)
    return usable_cores()[-1]


def other_core(core: int) -> int | None:
    """A usable core other than ``core`` (for untimed work), or None on one core."""
    rest = [c for c in usable_cores() if c != core]
    return rest[0] if rest else None


class CoreLock:
    """Exclusive use of one core for timing::

    with CoreLock(1):
        ...  # run the pyperf benchmark pinned to core 1
    """

    def __init__(
        self,
        core: int,
        *,
        directory: Path | str | None = None,
        timeout: float | None = None,
        poll: float = 0.05,
    ) -> None:
        self.core = core
        self.path = Path(directory or lock_dir()) / f"core-{core}.lock"
        self.timeout = timeout
        self.poll = poll
        self.waited = 0.0
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        start = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if self.timeout is not None and time.monotonic() - start >= self.timeout:
                    os.close(fd)
                    raise CoreBusy(
                        f"core {self.core} stayed busy with another timing for "
                        f"{self.timeout:.0f} s ({self.path})"
                    ) from None
                time.sleep(self.poll)
        self.waited = time.monotonic() - start
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> CoreLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
