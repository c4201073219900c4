"""``optbench datasets validate``: every problem's reference checked with the sandboxed
verifier and the pyperf measurer, the same machinery a run uses."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from optbench.core.problem import Problem
from optbench.datasets.loader import Dataset


@dataclass
class ValidationResult:
    problem: str
    kind: str
    strategy: str = "-"
    equivalence: str = "-"
    speedup: str = "-"
    failure: str = ""

    @property
    def ok(self) -> bool:
        return not self.failure


def _check_strategy(problem: Problem) -> str:
    spec = problem.inputs()
    if spec.strategy is None:
        return "none (given tests)"
    from hypothesis import HealthCheck, given, settings

    drawn: list[object] = []

    @settings(
        max_examples=5, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(spec.strategy())
    def draw(value: object) -> None:
        drawn.append(value)

    draw()
    return f"draws ({len(drawn)})"


def _validate_one(problem: Problem, examples: int) -> ValidationResult:
    from optbench.verify import VerifyConfig, verify

    result = ValidationResult(problem.id, problem.kind.value)
    try:
        result.strategy = _check_strategy(problem)
    except Exception as exc:
        result.failure = f"strategy: {type(exc).__name__}: {exc}"
        return result
    if problem.fast_source is None:
        result.failure = "no reference fast.py"
        return result
    verdict = verify(problem, problem.fast_source, VerifyConfig(max_examples=examples))
    result.equivalence = f"{verdict.status.value} ({verdict.examples_tried} inputs)"
    if not verdict.ok:
        detail = verdict.counterexample.for_prompt() if verdict.counterexample else verdict.message
        result.failure = f"reference not equivalent: {detail}"
    elif verdict.strategy_used and "budget" in verdict.message:
        # fewer inputs than asked because the time ran out (a small input space that
        # Hypothesis exhausts is fine: every input was checked)
        result.failure = f"only {verdict.examples_tried} inputs checked in the time budget (want {examples})"
    return result


def validate_dataset(
    dataset: Dataset,
    *,
    examples: int = 200,
    profile: str = "quick",
    timing: bool = True,
    only: set[str] | None = None,
    workers: int | None = None,
    console: Console | None = None,
) -> list[ValidationResult]:
    from optbench.measure import MeasurementError, measure

    problems = [p for p in dataset.problems if only is None or p.id in only]
    results: list[ValidationResult] = [
        ValidationResult(str(err.path.parent.name), "?", failure=f"load: {err}")
        for err in dataset.skipped
    ]
    progress = Progress(
        TextColumn("[bold]{task.description:<8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )
    with progress:
        task = progress.add_task("verify", total=len(problems))
        pool_size = workers or max(1, min(os.cpu_count() or 1, len(problems)))
        with ProcessPoolExecutor(
            pool_size, mp_context=multiprocessing.get_context("spawn")
        ) as pool:
            checked = []
            for checked_result in pool.map(_validate_one, problems, [examples] * len(problems)):
                checked.append(checked_result)
                progress.advance(task)
        if timing:
            timing_task = progress.add_task("measure", total=len(problems))
            for problem, result in zip(problems, checked, strict=True):
                if result.ok and problem.fast_source is not None:
                    try:
                        m = measure(problem, problem.fast_source, profile)
                    except MeasurementError as exc:
                        result.failure = f"measurement: {exc}"
                    else:
                        t = m.time
                        result.speedup = f"{t.ratio:.2f}x [{t.ci_low:.2f}, {t.ci_high:.2f}]"
                        if not (t.significant and t.ratio >= 1.0):
                            result.failure = "reference is not significantly faster on the workload"
                progress.advance(timing_task)
    return results + checked
