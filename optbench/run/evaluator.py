"""The run's evaluator: store a candidate, verify it, measure it when equivalent.

Every step checks the store first, so evaluating the same candidate twice (a technique
re-run on resume, a retry) costs nothing and writes nothing new.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from optbench.core.candidate import Candidate
from optbench.core.measurement import Measurement, MetricResult, Stats
from optbench.core.problem import Problem
from optbench.core.verdict import Verdict
from optbench.measure import (
    BaselineResult,
    MeasurementError,
    machine_info,
    measure_baseline,
    measure_candidate,
)
from optbench.store import Store
from optbench.techniques.context import Feedback
from optbench.verify import VerifyConfig, verify


def slot_key(run_id: int, problem: Problem, candidate: Candidate) -> str:
    """A deterministic identity for a proposed candidate within a run: resume finds it again."""
    code = hashlib.sha256(candidate.code.encode()).hexdigest()[:16]
    return "/".join(
        [
            str(run_id),
            problem.id,
            candidate.technique,
            candidate.model or "none",
            f"r{candidate.round}",
            f"s{candidate.sample}",
            f"p{candidate.parent_id or 0}",
            code,
        ]
    )


@dataclass
class RunEvaluator:
    store: Store
    run_id: int
    profile: str
    verify_config: VerifyConfig
    problem_rows: dict[str, int] = field(default_factory=dict)
    baselines: dict[str, BaselineResult] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=machine_info)

    @property
    def machine_id(self) -> str:
        return str(self.machine["machine_id"])

    def add(self, problem: Problem, candidate: Candidate) -> int:
        row = self.problem_rows.get(problem.id)
        if row is None:
            row = self.problem_rows[problem.id] = self.store.upsert_problem(problem)
        candidate_id = self.store.add_candidate(
            run_id=self.run_id,
            problem_row=row,
            slot_key=slot_key(self.run_id, problem, candidate),
            candidate=candidate,
        )
        candidate.id = candidate_id
        return candidate_id

    def verdict(self, problem: Problem, candidate_id: int, code: str) -> Verdict:
        stored = self.store.verdict(candidate_id)
        if stored is not None:
            return stored
        verdict = verify(problem, code, self.verify_config)
        self.store.save_verdict(candidate_id, verdict)
        return verdict

    def baseline(self, problem: Problem) -> BaselineResult:
        cached = self.baselines.get(problem.id)
        if cached is not None:
            return cached
        stored = self.store.get_baseline(problem.content_hash, self.machine_id, self.profile)
        if stored is not None and stored.machine.get("baseline"):
            result = BaselineResult.from_dict(stored.machine["baseline"])
        else:
            result = measure_baseline(problem, self.profile)
            self.store.save_baseline(
                problem.content_hash,
                self.machine_id,
                self.profile,
                result.time_values,
                result.memory_values,
                {**self.machine, "baseline": result.to_dict()},
            )
        self.baselines[problem.id] = result
        return result

    def measurement(self, problem: Problem, candidate_id: int, code: str) -> Measurement:
        stored = self.store.measurement(candidate_id)
        if stored is not None:
            return stored
        baseline = self.baseline(problem)
        try:
            measurement = measure_candidate(problem, code, self.profile, baseline)
        except MeasurementError as exc:
            measurement = failed_measurement(baseline, self.profile, self.machine, str(exc))
        self.store.save_measurement(candidate_id, measurement, self.machine_id)
        return measurement

    def evaluate(self, problem: Problem, candidate: Candidate) -> Feedback:
        candidate_id = candidate.id or self.add(problem, candidate)
        verdict = self.verdict(problem, candidate_id, candidate.code)
        if not verdict.ok:
            return Feedback(candidate, verdict)
        measurement = self.measurement(problem, candidate_id, candidate.code)
        return Feedback(candidate, verdict, measurement, error=measurement.error)


def failed_measurement(
    baseline: BaselineResult, profile: str, machine: dict[str, Any], error: str
) -> Measurement:
    """An equivalent candidate that could not be timed: stored so resume does not retry it,
    and counted as no speedup by the report."""
    time = MetricResult(
        metric="time",
        baseline=Stats(list(baseline.time_values)),
        candidate=Stats([]),
        ratio=0.0,
        ci_low=0.0,
        ci_high=0.0,
        significant=False,
    )
    return Measurement(time=time, memory=None, profile=profile, machine=machine, error=error)
