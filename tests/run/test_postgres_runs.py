"""Runs stored in a real PostgreSQL server: the CLI round trip, a run whose connections are
dropped under it, and a run killed with SIGKILL then resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pg_server
import pytest
from run_outcomes import EXPECTED, RUN_ARGS, outcomes

from optbench.store import open_store

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

OPTBENCH = [sys.executable, "-m", "optbench.cli"]


def _optbench(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*OPTBENCH, *args, "--db", db], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.timeout(180)
def test_run_and_report_survive_dropped_connections(pg_db_url: str) -> None:
    stop = threading.Event()
    dropped: list[int] = []

    def drop_connections() -> None:
        while not stop.wait(1.0):
            dropped.append(pg_server.terminate_connections(pg_db_url))

    killer = threading.Thread(target=drop_connections, daemon=True)
    killer.start()
    try:
        _optbench(*RUN_ARGS, db=pg_db_url)
    finally:
        stop.set()
        killer.join()
    assert sum(dropped) >= 3, f"too few connections were dropped to prove anything: {dropped}"

    report = _optbench("report", "1", "--format", "csv", db=pg_db_url).stdout
    assert "identity" in report and "reference" in report
    with open_store(pg_db_url) as store:
        result = outcomes(store, 1)
        assert store.get_run(1).status == "finished"
    assert result.verdicts == EXPECTED
    assert result.measured == 4 and result.duplicate_slots == 0


@pytest.mark.timeout(180)
def test_resume_after_sigkill(pg_db_url: str) -> None:
    process = subprocess.Popen(
        [*OPTBENCH, *RUN_ARGS, "--db", pg_db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    measuring = False
    with open_store(pg_db_url) as store:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.3)
            runs = store.list_runs()
            if not runs:
                continue
            candidates = store.candidates(runs[0].id)
            verified = sum(c.verdict_status is not None for c in candidates)
            if verified == 4 and any(store.measurement(c.id) for c in candidates):
                measuring = True
                break
        assert measuring, "the run never reached the measure phase"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert store.get_run(1).status == "running"

    _optbench("run", "--resume", "1", db=pg_db_url)
    with open_store(pg_db_url) as store:
        result = outcomes(store, 1)
        assert store.get_run(1).status == "finished"
    assert result.verdicts == EXPECTED
    assert result.measured == 4 and result.duplicate_slots == 0
