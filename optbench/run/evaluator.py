"""The run's evaluator: store a candidate, verify it, measure it when equivalent.

Every step checks the store first, so evaluating the same candidate twice (a technique
re-run on resume, a retry) costs nothing and writes nothing new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from optbench.core.candidate import Candidate
from optbench.core.measurement import Measurement
from optbench.core.problem import Problem
from optbench.core.verdict import Verdict
from optbench.measure import (
    BaselineResult,
    MeasurementError,
    machine_info,
    measure_baseline,
)
from optbench.models.extract import extract_code
from optbench.run.executors.base import MeasureJob, run_measure, unmeasured_original
from optbench.store import Store
from optbench.techniques.context import Feedback
from optbench.verify import VerifyConfig, verify


def slot_key(run_id: int, problem: Problem, candidate: Candidate) -> str:
    """A deterministic identity for a proposed candidate within a run: resume finds it again."""
    identity = candidate.code if candidate.code else str(candidate.extra.get("message", ""))
    code = hashlib.sha256(identity.encode()).hexdigest()[:16]
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
    seed: int = 0
    """The run's seed (final verifications draw from seeds derived from it)."""

    @property
    def machine_id(self) -> str:
        return str(self.machine["machine_id"])

    def add(self, problem: Problem, candidate: Candidate) -> int:
        """Store ``candidate`` (once per slot) and link the model calls that produced it."""
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
        if candidate.call_ids:
            self.store.link_model_calls(candidate.call_ids, candidate_id)
        return candidate_id

    def claim_calls(
        self, problem: Problem, technique: str, model: str, call_ids: Sequence[int]
    ) -> None:
        """Link the calls a technique made for ``problem`` that no stored candidate claimed,
        so the technique's cost is complete: a call whose reply is the code of one of the
        technique's candidates (a search child repeating a known candidate) goes to that
        candidate, any other to the technique's first candidate for the problem (the
        runner stores at least a ``no_candidate`` row)."""
        unclaimed = [c for c in self.store.model_calls_by_id(call_ids) if c.candidate_id is None]
        if not unclaimed:
            return
        mine = [
            c
            for c in self.store.candidates(
                self.run_id, problem_row=self.problem_rows.get(problem.id), technique=technique
            )
            if c.model == model and c.problem_id == problem.id
        ]
        if not mine:
            return
        by_code: dict[str, int] = {}
        for c in mine:
            if c.code.strip():
                by_code.setdefault(c.code, c.id)
        targets: dict[int, list[int]] = {}
        for call in unclaimed:
            code = extract_code(call.completion, problem.entry_point) if call.completion else None
            target = by_code.get(code, mine[0].id) if code else mine[0].id
            targets.setdefault(target, []).append(call.id)
        for candidate_id, ids in targets.items():
            self.store.link_model_calls(ids, candidate_id)

    def verdict(self, problem: Problem, candidate_id: int, code: str) -> Verdict:
        stored = self.store.verdict(candidate_id)
        if stored is not None:
            return stored
        verdict = verify(problem, code, self.verify_config)
        # the technique sees this verdict: an equivalent one is verified again on fresh
        # inputs by the run's verify phase before it counts
        verdict.provisional = True
        self.store.save_verdict(candidate_id, verdict)
        return verdict

    def baseline(self, problem: Problem) -> BaselineResult:
        cached = self.baselines.get(problem.id)
        if cached is not None:
            return cached
        result = stored_baseline(self.store, problem, self.machine_id, self.profile)
        if result is None:
            result = measure_baseline(problem, self.profile)
            result = save_baseline(self.store, problem, self.machine_id, self.profile, result)
        self.baselines[problem.id] = result
        return result

    def measurement(self, problem: Problem, candidate_id: int, code: str) -> Measurement:
        """The candidate's measurement (stored, or measured now). A failure on the workload
        that is the candidate's doing replaces its verdict (see :func:`workload_verdict`)."""
        stored = self.store.measurement(candidate_id)
        if stored is not None:
            return stored
        measurement: Measurement
        try:
            baseline = self.baseline(problem)
        except MeasurementError as exc:
            measurement = unmeasured_original(self.profile, self.machine, str(exc))
            self.store.save_measurement(candidate_id, measurement, self.machine_id)
            return measurement
        job = MeasureJob(candidate_id, problem, code, self.profile, {self.machine_id: baseline})
        outcome = run_measure(job)
        if outcome.verdict is not None:
            self.store.save_verdict(candidate_id, Verdict.from_dict(outcome.verdict))
        self.store.save_measurement(candidate_id, outcome.measurement, self.machine_id)
        return outcome.measurement

    def evaluate(self, problem: Problem, candidate: Candidate) -> Feedback:
        candidate_id = candidate.id or self.add(problem, candidate)
        verdict = self.verdict(problem, candidate_id, candidate.code)
        if not verdict.ok:
            return Feedback(candidate, verdict)
        measurement = self.measurement(problem, candidate_id, candidate.code)
        if measurement.error:
            verdict = self.store.verdict(candidate_id) or verdict
            if not verdict.ok:
                return Feedback(candidate, verdict, error=measurement.error)
        return Feedback(candidate, verdict, measurement, error=measurement.error)


def stored_baseline(
    store: Store, problem: Problem, machine_id: str, profile: str
) -> BaselineResult | None:
    """The original's measurement on ``machine_id`` kept in the store, if any."""
    stored = store.get_baseline(problem.content_hash, machine_id, profile)
    if stored is None or not stored.machine.get("baseline"):
        return None
    return BaselineResult.from_dict(stored.machine["baseline"])


def save_baseline(
    store: Store, problem: Problem, machine_id: str, profile: str, result: BaselineResult
) -> BaselineResult:
    """Store ``result`` unless a baseline for this machine is there already; return the
    stored one, which every candidate on the machine must be compared with."""
    store.save_baseline(
        problem.content_hash,
        machine_id,
        profile,
        result.time_values,
        result.memory_values,
        {**result.machine, "baseline": result.to_dict()},
    )
    return stored_baseline(store, problem, machine_id, profile) or result
