"""An in-process check of a problem for dataset authors.

Runs slow and fast in *this* process (dataset code is trusted), so it is quick but not
sandboxed; ``optbench datasets validate`` uses the sandboxed verifier and the pyperf
measurer instead. Useful while writing a problem: ``python -m optbench.datasets.quickcheck
datasets/optbench-py/<problem-id>``.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from optbench.core.problem import Problem, ProblemKind
from optbench.datasets.errors import ProblemLoadError
from optbench.runtime.compare import compare_outcomes, show
from optbench.runtime.execution import ProgramIO
from optbench.runtime.outcome import Outcome, run_function, run_program

WORKLOAD_MS = (50, 500)
"""The slow version's time on the workload a problem should aim for."""
WORKLOAD_ACCEPTED_S = (0.03, 1.0)
"""What quickcheck accepts (wider than the aim: timings in-process are rough)."""


@dataclass
class QuickReport:
    problem: str
    failures: list[str] = field(default_factory=list)
    slow_s: float = 0.0
    fast_s: float = 0.0
    examples: int = 0

    @property
    def speedup(self) -> float:
        return self.slow_s / self.fast_s if self.fast_s else float("nan")


def _loader(problem: Problem, source: str, label: str) -> Any:
    if problem.kind is ProblemKind.PROGRAM:
        code = compile(source, f"{label}.py", "exec")
        program_io = ProgramIO()
        return lambda stdin: run_program(code, stdin, program_io)
    namespace: dict[str, Any] = {"__name__": f"quickcheck_{label}"}
    exec(compile(source, f"{label}.py", "exec"), namespace)
    fn = namespace[problem.entry_point or ""]
    return lambda args: run_function(fn, args)


def quick_check(
    problem: Problem, examples: int = 200, candidate: str | None = None, timing: bool = True
) -> QuickReport:
    """Compare ``candidate`` (default: the reference fast source) with the slow source."""
    report = QuickReport(problem.key)
    other = candidate if candidate is not None else problem.fast_source
    if other is None:
        report.failures.append("no fast source")
        return report
    run_slow = _loader(problem, problem.slow_source, "slow")
    run_fast = _loader(problem, other, "fast")

    check_function = problem.checker()

    def check(inp: Any, where: str) -> None:
        expected: Outcome = run_slow(inp)
        actual: Outcome = run_fast(inp)
        mismatch = compare_outcomes(
            expected, actual, problem.compare, problem.kind, given=inp, checker=check_function
        )
        if mismatch:
            what = "the checker failed" if mismatch.kind == "error" else f"{mismatch.kind} differs"
            raise AssertionError(
                f"{where}: {what} on input {show(inp)}\n"
                f"  expected {mismatch.expected}\n  actual   {mismatch.actual}"
            )

    inputs = problem.inputs()
    for index, case in enumerate(inputs.edge_cases):
        try:
            check(case, f"EDGE_CASES[{index}]")
        except AssertionError as exc:
            report.failures.append(str(exc))
    for test in problem.tests:
        try:
            check(test.stdin, f"test {test.name}")
        except AssertionError as exc:
            report.failures.append(str(exc))
    if inputs.strategy is not None and examples > 0:

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(inputs.strategy())
        def differential(inp: Any) -> None:
            report.examples += 1
            check(inp, "generated")

        try:
            differential()
        except AssertionError as exc:
            report.failures.append(str(exc))
        except Exception as exc:
            report.failures.append(f"strategy/differential failed: {type(exc).__name__}: {exc}")
    if timing:
        try:
            workload = inputs.workload()
            report.slow_s = _best_of(run_slow, workload, "slow")
            report.fast_s = _best_of(run_fast, workload, "fast")
        except Exception as exc:
            report.failures.append(f"workload: {exc}")
            return report
        low, high = WORKLOAD_ACCEPTED_S
        if not low <= report.slow_s <= high:
            report.failures.append(
                f"slow workload takes {report.slow_s * 1000:.0f} ms "
                f"(aim for {WORKLOAD_MS[0]}-{WORKLOAD_MS[1]} ms)"
            )
        if report.speedup < 1.3:
            report.failures.append(f"reference only {report.speedup:.2f}x faster (want >= 1.3x)")
    return report


def _best_of(run: Any, workload: Any, label: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        outcome = run(workload)
        elapsed = time.perf_counter() - start
        if outcome.status == "raised":
            raise RuntimeError(f"{label} version raises {outcome.exc_type}: {outcome.exc_message}")
        best = min(best, elapsed)
    return best


def main(argv: list[str]) -> int:
    from optbench.datasets.loader import load_problem

    status = 0
    for arg in argv:
        path = Path(arg)
        try:
            problem = load_problem(path, dataset=path.resolve().parent.name)
        except ProblemLoadError as exc:
            print(f"FAIL {arg}: {exc}")
            status = 1
            continue
        report = quick_check(problem)
        ok = not report.failures
        status |= 0 if ok else 1
        print(
            f"{'OK  ' if ok else 'FAIL'} {report.problem}: slow {report.slow_s * 1000:.0f} ms, "
            f"fast {report.fast_s * 1000:.1f} ms, {report.speedup:.1f}x, {report.examples} generated"
        )
        for failure in report.failures:
            print("     " + failure.replace("\n", "\n     "))
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
