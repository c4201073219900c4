"""The runner's measure phase with a scripted executor: a baseline measured by a job loses
to the one stored first, and that job is measured again against the stored one."""

from __future__ import annotations

import io
from collections.abc import Generator, Sequence
from pathlib import Path

from rich.console import Console

from optbench.core import Candidate, Measurement, MetricResult, Stage, Stats, Verdict, VerdictStatus
from optbench.datasets import load_dataset
from optbench.measure import BaselineResult
from optbench.run.evaluator import RunEvaluator, save_baseline
from optbench.run.executors import Executor, MeasureJob, MeasureOutcome
from optbench.run.runner import Runner, RunSummary
from optbench.store import open_store
from optbench.verify import VerifyConfig


def _baseline(value: float) -> BaselineResult:
    return BaselineResult(
        time_values=[value], memory_values=[], output_digest="d", machine={"machine_id": "m1"}
    )


def _measurement(baseline: BaselineResult) -> Measurement:
    time = MetricResult("time", Stats(baseline.time_values), Stats([1.0]), 1.0, 1.0, 1.0, False)
    return Measurement(time=time, memory=None, profile="quick", machine={"machine_id": "m1"})


class Scripted(Executor):
    name = "scripted"

    def __init__(self) -> None:
        self.calls: list[list[dict[str, BaselineResult]]] = []

    def machines(self) -> list[str]:
        return ["m1"]

    def baselines(self, jobs: Sequence[object]) -> Generator[object, None, None]:
        yield from ()

    def verify(self, jobs: Sequence[object]) -> Generator[object, None, None]:
        yield from ()

    def measure(self, jobs: Sequence[MeasureJob]) -> Generator[MeasureOutcome, None, None]:
        self.calls.append([dict(job.baselines) for job in jobs])
        for job in jobs:
            used = job.baselines.get("m1")
            fresh = used is None
            if used is None:
                used = _baseline(2.0)
            yield MeasureOutcome(job.candidate_id, "m1", _measurement(used), used, fresh, 0.1)


def test_a_job_whose_new_baseline_lost_is_measured_again(tmp_path: Path) -> None:
    problem = sorted(load_dataset("optbench-py").problems, key=lambda p: p.id)[0]
    with open_store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        run_id = store.create_run(
            name=None, dataset="d", dataset_version="1", dataset_hash="h", config={},
            environment={},
        )  # fmt: skip
        row = store.upsert_problem(problem)
        cid = store.add_candidate(
            run_id=run_id, problem_row=row, slot_key="s", candidate=Candidate("c")
        )
        store.save_verdict(cid, Verdict(VerdictStatus.EQUIVALENT, Stage.DIFFERENTIAL))
        executor = Scripted()
        evaluator = RunEvaluator(store, run_id, "quick", VerifyConfig())
        runner = Runner(store, console=Console(file=io.StringIO()))

        original = executor.measure

        def measure_racing(jobs: Sequence[MeasureJob]) -> Generator[MeasureOutcome, None, None]:
            if not executor.calls:
                save_baseline(store, problem, "m1", "quick", _baseline(1.0))
            return original(jobs)

        executor.measure = measure_racing  # type: ignore[method-assign]
        with runner._progress() as progress:
            runner._phase_measure(
                progress, executor, evaluator, {problem.id: problem}, RunSummary(run_id)
            )
        assert [list(b) for b in executor.calls[0]] == [[]]
        assert executor.calls[1][0]["m1"].time_values == [1.0]
        stored = store.measurement(cid)
        assert stored is not None and stored.time.baseline.values == [1.0]
