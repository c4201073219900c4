"""``optbench datasets validate``: every problem's reference checked with the sandboxed
verifier and the pyperf measurer, the same machinery a run uses."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from optbench.core.problem import Problem, ProblemKind
from optbench.datasets.loader import Dataset, entry_point_node

SELF_CHECK_EXAMPLES = 50
"""Generated inputs for checking the original against itself (see :func:`_self_check`)."""


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
    for value in drawn:
        problem_shape = _shape_error(problem, value)
        if problem_shape:
            raise ValueError(problem_shape)
    return f"draws ({len(drawn)})"


def _shape_error(problem: Problem, value: object) -> str | None:
    """Why a drawn input cannot be what the problem takes, or ``None``. A function's input
    is the tuple of its positional arguments: a strategy drawing the argument itself (a
    list, say) would be spread into many arguments, the original and the candidate would
    both raise TypeError on every input, and every candidate would look equivalent."""
    if problem.kind is ProblemKind.PROGRAM:
        if not isinstance(value, str):
            return f"draws {type(value).__name__}, not stdin text (str): {value!r:.80}"
        return None
    if not isinstance(value, tuple):
        return (
            f"draws {type(value).__name__}, not a tuple of positional arguments: {value!r:.80} "
            "(wrap it: st.tuples(...))"
        )
    low, high = _arity(problem)
    if not low <= len(value) <= high:
        want = str(low) if low == high else f"{low}-{high}" if high < 10**6 else f">= {low}"
        return (
            f"draws {len(value)} argument(s) for {problem.entry_point}, which takes {want}: "
            f"{value!r:.80}"
        )
    return None


def _arity(problem: Problem) -> tuple[int, int]:
    """How many positional arguments the slow version's entry point accepts."""
    import ast

    node = entry_point_node(ast.parse(problem.slow_source), problem.entry_point)
    if node is None:
        return 0, 10**9
    args = node.args
    positional = len(args.posonlyargs) + len(args.args)
    required = positional - len(args.defaults)
    return required, 10**9 if args.vararg else positional


def _validate_one(problem: Problem, examples: int) -> ValidationResult:
    from optbench.verify import VerifyConfig, verify

    result = ValidationResult(problem.id, problem.kind.value)
    try:
        result.strategy = _check_strategy(problem)
    except Exception as exc:
        result.failure = f"strategy: {type(exc).__name__}: {exc}"
        return result
    self_failure = _self_check(problem, min(examples, SELF_CHECK_EXAMPLES))
    if self_failure:
        result.failure = self_failure
        return result
    if problem.fast_source is None:
        result.equivalence = "no reference (original checked against itself)"
        return result
    verdict = verify(problem, problem.fast_source, VerifyConfig(max_examples=examples))
    result.equivalence = f"{verdict.status.value} ({verdict.examples_tried} inputs)"
    if not verdict.ok:
        detail = verdict.counterexample.for_prompt() if verdict.counterexample else verdict.message
        result.failure = f"reference not equivalent: {detail}"
    elif verdict.strategy_used and "budget" in verdict.message:
        # fewer inputs than asked because the time ran out (a small input space that
        # Hypothesis exhausts is fine: every input was checked)
        result.failure = (
            f"only {verdict.examples_tried} inputs checked in the time budget (want {examples})"
        )
    return result


def _self_check(problem: Problem, examples: int) -> str | None:
    """Verify the original against itself, where that can fail: without a reference (the
    only check there is), and with given tests that have expected outputs (candidates are
    compared with those, so an original that disagrees with them makes every candidate,
    the identity included, not equivalent). It also catches an original whose results do
    not repeat from one process to the next."""
    from optbench.verify import VerifyConfig, verify

    has_expected = any(t.expected_stdout is not None for t in problem.tests)
    if problem.fast_source is not None and not has_expected:
        return None
    verdict = verify(problem, problem.slow_source, VerifyConfig(max_examples=examples))
    if verdict.ok:
        return None
    detail = verdict.counterexample.for_prompt() if verdict.counterexample else verdict.message
    if has_expected and verdict.counterexample is not None:
        return (
            f"the original disagrees with a given test's expected output "
            f"({verdict.status.value}): {detail}"
        )
    return (
        f"the original is not equivalent to itself ({verdict.status.value}; output that "
        f"changes between processes, such as an object's default repr?): {detail}"
    )


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
