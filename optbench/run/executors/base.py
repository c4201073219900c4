"""What an executor runs: picklable jobs, their outcomes, and the functions that turn one
into the other wherever they run (in-process, in a pool worker or in a Ray task).

The runner (the driver) plans the jobs from the store and writes every outcome back, so
an executor never touches the database; a job run twice yields the same rows.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

from optbench.core.measurement import Measurement, MetricResult, Stats
from optbench.core.problem import Problem
from optbench.core.verdict import Stage, Verdict, VerdictStatus
from optbench.measure import (
    BaselineResult,
    MeasurementError,
    machine_id,
    machine_info,
    measure_baseline,
    measure_candidates,
    workload_verdict,
)
from optbench.verify import VerifyConfig, verify


@dataclass(frozen=True)
class VerifyJob:
    candidate_id: int
    problem: Problem
    code: str
    config: VerifyConfig


@dataclass(frozen=True)
class VerifyOutcome:
    candidate_id: int
    verdict: dict[str, Any]
    """``Verdict.to_dict()``: plain data whatever the counterexample holds."""
    elapsed_s: float


@dataclass(frozen=True)
class BaselineJob:
    problem: Problem
    profile: str
    machine_id: str
    """The machine to measure on: the executor places the job on one of its nodes."""


@dataclass(frozen=True)
class BaselineOutcome:
    problem: Problem
    machine_id: str
    baseline: BaselineResult | None
    """None when the original could not be measured (``error`` says why)."""
    elapsed_s: float
    error: str | None = None


@dataclass(frozen=True)
class MeasureJob:
    candidate_id: int
    problem: Problem
    code: str
    profile: str
    baselines: dict[str, BaselineResult] = field(default_factory=dict)
    """The problem's stored baselines by machine id: the job uses its own machine's,
    and measures one there when there is none."""
    memory: bool = True
    """Measure peak memory too; a confirmation measurement times only."""


@dataclass(frozen=True)
class MeasureOutcome:
    candidate_id: int
    machine_id: str
    measurement: Measurement
    baseline: BaselineResult
    """The baseline the candidate was compared with."""
    baseline_is_new: bool
    """Measured by this job: the driver stores it, or re-runs the job when another
    baseline for the same machine was stored first."""
    elapsed_s: float
    original_error: str | None = None
    """Why the original could not be measured here (the measurement failed for that)."""
    verdict: dict[str, Any] | None = None
    """``Verdict.to_dict()`` when the candidate failed on the workload (a wrong output,
    crash, timeout or policy violation): it replaces the candidate's verdict."""


class Executor(ABC):
    """Runs the baseline, verify and measure phases' jobs and yields their outcomes as
    they complete (in any order). Timing never shares a core with other timing."""

    name: str = ""

    def __enter__(self) -> Executor:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        """Acquire what the executor needs (a cluster connection)."""
        return None

    def close(self) -> None:
        """Release it; outstanding work is cancelled."""
        return None

    def describe(self) -> str:
        return self.name

    @abstractmethod
    def machines(self) -> list[str]:
        """Machine ids of the nodes that measure: one baseline per problem on each."""

    @abstractmethod
    def baselines(self, jobs: Sequence[BaselineJob]) -> Generator[BaselineOutcome, None, None]: ...

    @abstractmethod
    def verify(self, jobs: Sequence[VerifyJob]) -> Generator[VerifyOutcome, None, None]: ...

    @abstractmethod
    def measure(self, jobs: Sequence[MeasureJob]) -> Generator[MeasureOutcome, None, None]: ...


def run_verify(job: VerifyJob) -> VerifyOutcome:
    """Verify one candidate; a failure of the verifier itself becomes an error verdict."""
    started = time.monotonic()
    try:
        verdict = verify(job.problem, job.code, job.config)
    except Exception as exc:
        verdict = Verdict(
            VerdictStatus.ERROR,
            Stage.STATIC,
            message=f"verifier failed: {type(exc).__name__}: {exc}",
        )
    return VerifyOutcome(job.candidate_id, verdict.to_dict(), time.monotonic() - started)


def lost_verdict(job: VerifyJob, error: str) -> VerifyOutcome:
    """The verdict of a job whose worker kept dying: recorded once, like any error."""
    verdict = Verdict(VerdictStatus.ERROR, Stage.STATIC, message=f"verification lost: {error}")
    return VerifyOutcome(job.candidate_id, verdict.to_dict(), 0.0)


def run_baseline(job: BaselineJob) -> BaselineOutcome:
    """Measure the original on this machine; an original that cannot be measured (it
    raises or runs over its limits on the workload) gives an outcome with ``error``."""
    here = machine_id()
    if here != job.machine_id:
        raise RuntimeError(f"baseline for machine {job.machine_id} placed on machine {here}")
    started = time.monotonic()
    try:
        baseline = measure_baseline(job.problem, job.profile)
    except MeasurementError as exc:
        return BaselineOutcome(job.problem, here, None, time.monotonic() - started, str(exc))
    return BaselineOutcome(job.problem, here, baseline, time.monotonic() - started)


def run_measure(job: MeasureJob) -> MeasureOutcome:
    """Measure one candidate against this machine's baseline (measured here first when
    there is none). A candidate that cannot be measured, or whose original cannot be,
    gets a failed measurement saying why."""
    [outcome] = run_measure_group([job])
    return outcome


MAX_GROUP = 8
"""Candidates of one problem measured in one session at most (see :func:`run_measure_group`)."""


def measure_groups(jobs: Sequence[MeasureJob]) -> list[list[MeasureJob]]:
    """The jobs in groups that can share one timing of the original: the same problem,
    profile, baselines and memory setting, at most :data:`MAX_GROUP` each, in the order the
    groups first appear."""
    groups: dict[tuple[str, str, bool, tuple[str, ...]], list[list[MeasureJob]]] = {}
    for job in jobs:
        key = (job.problem.content_hash, job.profile, job.memory, tuple(sorted(job.baselines)))
        chunks = groups.setdefault(key, [[]])
        if len(chunks[-1]) == MAX_GROUP:
            chunks.append([])
        chunks[-1].append(job)
    return [chunk for chunks in groups.values() for chunk in chunks]


def run_measure_group(jobs: Sequence[MeasureJob]) -> list[MeasureOutcome]:
    """Measure candidates of one problem (a group from :func:`measure_groups`) in one
    session: the original is timed once per round for all of them. Outcomes come in the
    jobs' order; a failure on the workload that is a candidate's doing carries the verdict
    it gives (see :func:`workload_verdict`)."""
    started = time.monotonic()
    first = jobs[0]
    here = machine_id()
    baseline = first.baselines.get(here)
    is_new = baseline is None
    if baseline is None:
        try:
            baseline = measure_baseline(first.problem, first.profile)
        except MeasurementError as exc:
            return [original_failed(job, str(exc), time.monotonic() - started) for job in jobs]
    results: list[Any]
    try:
        results = measure_candidates(
            first.problem, [job.code for job in jobs], first.profile, baseline, memory=first.memory
        )
    except MeasurementError as exc:
        results = [exc] * len(jobs)
    except Exception as exc:  # one problem's measurement never ends a run
        results = [MeasurementError(_harness(exc))] * len(jobs)
    elapsed = (time.monotonic() - started) / len(jobs)
    outcomes = []
    for job, result in zip(jobs, results, strict=True):
        verdict: Verdict | None = None
        if isinstance(result, MeasurementError):
            measurement = failed_measurement(baseline, job.profile, machine_info(), str(result))
            verdict = workload_verdict(job.problem, result)
        else:
            measurement = result
        outcomes.append(
            MeasureOutcome(
                job.candidate_id,
                here,
                measurement,
                baseline,
                is_new,
                elapsed,
                verdict=verdict.to_dict() if verdict is not None else None,
            )
        )
    return outcomes


def _harness(exc: Exception) -> str:
    return f"the measurement failed: {type(exc).__name__}: {str(exc)[:300]}"


def original_failed(job: MeasureJob, error: str, elapsed_s: float = 0.0) -> MeasureOutcome:
    """The failed measurement of a candidate whose original cannot be measured."""
    measurement = unmeasured_original(job.profile, machine_info(), error)
    return MeasureOutcome(
        job.candidate_id, machine_id(), measurement, no_baseline(), False, elapsed_s, error
    )


def unmeasured_original(profile: str, machine: dict[str, Any], error: str) -> Measurement:
    """A candidate's failed measurement when its original could not be measured."""
    message = f"the original could not be measured: {error}"
    return failed_measurement(no_baseline(), profile, machine, message)


def no_baseline() -> BaselineResult:
    """Stands for the original's measurement where there is none."""
    return BaselineResult(time_values=[], memory_values=[], output_digest="", machine={})


def lost_measurement(job: MeasureJob, error: str) -> MeasureOutcome:
    """The measurement of a job whose worker kept dying, recorded once as a failure."""
    baseline = next(iter(job.baselines.values()), None) or no_baseline()
    machine = dict(baseline.machine) or machine_info()
    measurement = failed_measurement(baseline, job.profile, machine, f"measurement lost: {error}")
    return MeasureOutcome(
        job.candidate_id, str(machine.get("machine_id", "")), measurement, baseline, False, 0.0
    )


def failed_measurement(
    baseline: BaselineResult, profile: str, machine: dict[str, Any], error: str
) -> Measurement:
    """An equivalent candidate that could not be timed: stored so resume does not retry it,
    and counted as no speedup by the report."""
    time_result = MetricResult(
        metric="time",
        baseline=Stats(list(baseline.time_values)),
        candidate=Stats([]),
        ratio=0.0,
        ci_low=0.0,
        ci_high=0.0,
        significant=False,
    )
    return Measurement(time=time_result, memory=None, profile=profile, machine=machine, error=error)


def same_baseline(a: BaselineResult, b: BaselineResult) -> bool:
    return a.time_values == b.time_values and a.output_digest == b.output_digest
