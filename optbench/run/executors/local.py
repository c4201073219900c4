"""One machine: a process pool verifies, measurements run one at a time in this process
(each pins its pyperf benchmark to a core held under the cross-process core lock)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import replace

from optbench.measure import BaselineResult, machine_id
from optbench.run.executors.base import (
    BaselineJob,
    BaselineOutcome,
    Executor,
    MeasureJob,
    MeasureOutcome,
    VerifyJob,
    VerifyOutcome,
    measure_groups,
    original_failed,
    run_baseline,
    run_measure_group,
    run_verify,
)


class LocalExecutor(Executor):
    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers

    def describe(self) -> str:
        return f"local ({self.workers or os.cpu_count() or 1} verification workers)"

    def machines(self) -> list[str]:
        return [machine_id()]

    def baselines(self, jobs: Sequence[BaselineJob]) -> Generator[BaselineOutcome, None, None]:
        for job in jobs:
            yield run_baseline(job)

    def verify(self, jobs: Sequence[VerifyJob]) -> Generator[VerifyOutcome, None, None]:
        if not jobs:
            return
        workers = self.workers or max(1, min(os.cpu_count() or 1, len(jobs)))
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        queue = list(jobs)
        futures: set[Future[VerifyOutcome]] = set()
        try:
            while queue or futures:
                while queue and len(futures) < workers * 2:
                    futures.add(pool.submit(run_verify, queue.pop(0)))
                done, futures = wait(futures, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def measure(self, jobs: Sequence[MeasureJob]) -> Generator[MeasureOutcome, None, None]:
        """Measure one problem's candidates at a time, in one session each (the original
        timed once per round for all of them). An original measured by one group serves
        the later groups of its problem; one that could not be measured is not tried
        again."""
        here = machine_id()
        fresh: dict[tuple[str, str], BaselineResult] = {}
        broken: dict[tuple[str, str], str] = {}
        for group in measure_groups(jobs):
            first = group[0]
            key = (first.problem.content_hash, first.profile)
            if here not in first.baselines:
                if key in broken:
                    for job in group:
                        yield original_failed(job, broken[key])
                    continue
                if key in fresh:
                    group = [
                        replace(job, baselines={**job.baselines, here: fresh[key]}) for job in group
                    ]
            for outcome in run_measure_group(group):
                if outcome.baseline_is_new:
                    fresh[key] = outcome.baseline
                if outcome.original_error is not None:
                    broken[key] = outcome.original_error
                yield outcome
