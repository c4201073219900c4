"""The per-core timing lock is exclusive across processes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from optbench.measure import CoreBusy, CoreLock

HOLDER = """
import sys, time
from optbench.measure import CoreLock
with CoreLock(int(sys.argv[1]), directory=sys.argv[2]):
    print("held", flush=True)
    time.sleep(float(sys.argv[3]))
"""


def _hold(core: int, directory: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(core), str(directory), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_exclusive_across_two_processes(tmp_path: Path) -> None:
    holder = _hold(1, tmp_path, 30)
    try:
        with pytest.raises(CoreBusy, match="core 1"):
            CoreLock(1, directory=tmp_path, timeout=0.3).acquire()
        with CoreLock(0, directory=tmp_path, timeout=0.3) as other:
            assert other.held
    finally:
        holder.kill()
        holder.wait()
    with CoreLock(1, directory=tmp_path, timeout=5) as lock:
        assert lock.held
    assert not lock.held


def test_waits_for_the_holder_to_finish(tmp_path: Path) -> None:
    holder = _hold(3, tmp_path, 0.5)
    try:
        start = time.monotonic()
        with CoreLock(3, directory=tmp_path, timeout=20) as lock:
            assert time.monotonic() - start >= 0.2
            assert lock.waited > 0
    finally:
        holder.wait()
