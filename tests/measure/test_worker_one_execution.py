"""The measurement worker times one execution per value and refuses any other count.

With several executions (pyperf loops) in one process, a later execution could answer
from state an earlier one left (``os.environ``, an interpreter setting): the worker
refuses ``--loops`` other than 1, and pyperf's default of calibrating a loop count, before
any candidate code runs. The worker runs as the harness starts it: in a sandbox, as a
real subprocess (:func:`optbench.measure.runs.interpreter`).
"""

from __future__ import annotations

import pytest

from optbench.datasets import resolve_problem
from optbench.measure import runs
from optbench.sandbox import Sandbox

PYPERF_ARGS = ["--processes=1", "--values=1", "--warmups=0", "--timeout=60", "--quiet"]


def run_worker(sandbox: Sandbox, *options: str) -> tuple[int, str]:
    """The worker's exit status and its stderr, on a job it could time."""
    problem = resolve_problem("optbench-py/count-primes")
    runs.write_job(sandbox, problem, problem.slow_source, (2000,))
    argv = runs.interpreter(
        runs.WORKER, "--job", "job.json", "--digests", "digests.txt", "-o", "timing.json",
        *PYPERF_ARGS, *options,
    )  # fmt: skip
    result = sandbox.run(argv, timeout=60)
    return result.returncode, result.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "options",
    [
        ["--loops=2"],
        ["--loops=64"],
        [],  # pyperf's default: calibrate a loop count
        ["--worker", "--loops=4"],
    ],
    ids=["loops-2", "loops-64", "calibrated", "worker-loops-4"],
)
def test_the_worker_refuses_more_than_one_execution_per_value(options: list[str]) -> None:
    with Sandbox() as sandbox:
        status, stderr = run_worker(sandbox, *options)
        timed = (sandbox.workdir / "timing.json").exists()
        digests = (sandbox.workdir / "digests.txt").exists()
    lines = stderr.strip().splitlines()
    assert status == 2, stderr
    assert len(lines) == 1, stderr
    assert "one execution per timed value" in lines[0]
    assert "no state survives" in lines[0]
    assert not timed and not digests  # nothing ran


def test_the_worker_times_one_execution_per_value() -> None:
    """The same job with ``--loops=1`` is timed: the refusal is about the count only."""
    with Sandbox() as sandbox:
        status, stderr = run_worker(sandbox, "--loops=1")
        digests = sandbox.read("digests.txt").decode().split()
        timed = (sandbox.workdir / "timing.json").exists()
    assert status == 0, stderr
    assert timed
    assert len(digests) == 1  # one value, one execution, one digest
