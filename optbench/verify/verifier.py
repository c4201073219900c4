"""The verification cascade: static checks, given examples, then differential testing.

It stops at the first failure. The process calling :func:`verify` (the trusted side)
drives Hypothesis and compares outcomes; it never imports or executes candidate code,
which only runs in a sandboxed worker (:mod:`optbench.runtime.worker`). The original
runs in a second worker, in its own sandbox.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from optbench.core.problem import Problem, ProblemKind
from optbench.core.verdict import Stage, Verdict, VerdictStatus
from optbench.sandbox import detect_isolation
from optbench.verify.checker import Checker, Failure, Oracle
from optbench.verify.config import VerifyConfig
from optbench.verify.differential import run_differential
from optbench.verify.static import static_problem
from optbench.verify.workers import Worker


def verify(problem: Problem, code: str, config: VerifyConfig | None = None) -> Verdict:
    """Check ``code`` against ``problem``'s original. Safe to call from a process pool
    (everything it takes and returns is picklable; workers die with the call)."""
    with Verifier(problem, config) as verifier:
        return verifier.verify(code)


def verify_many(
    problem: Problem, codes: Iterable[str], config: VerifyConfig | None = None
) -> list[Verdict]:
    """Verify several candidates of one problem, sharing the original's worker and its
    outcomes (derandomized Hypothesis draws the same inputs for every candidate)."""
    with Verifier(problem, config) as verifier:
        return [verifier.verify(code) for code in codes]


class Verifier:
    """Verifies candidates of one problem; keeps the original's worker between them."""

    def __init__(self, problem: Problem, config: VerifyConfig | None = None) -> None:
        self.problem = problem
        self.config = config or VerifyConfig()
        self.oracle = Oracle(problem, self.config)
        self.isolation = detect_isolation().describe()

    def __enter__(self) -> Verifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.oracle.close()

    def verify(self, code: str) -> Verdict:
        started = time.monotonic()
        strategy_used = self.problem.inputs_source is not None
        checker: Checker | None = None

        def verdict(
            status: VerdictStatus, stage: Stage, message: str = "", failure: Failure | None = None
        ) -> Verdict:
            return Verdict(
                status=status,
                stage=stage,
                examples_tried=checker.examples if checker is not None else 0,
                message=failure.message if failure is not None else message,
                counterexample=failure.counterexample if failure is not None else None,
                strategy_used=strategy_used,
                elapsed_s=round(time.monotonic() - started, 4),
                isolation=self.isolation,
            )

        problem_text = static_problem(self.problem, code)
        if problem_text is not None:
            return verdict(VerdictStatus.ERROR, Stage.STATIC, problem_text)
        candidate = Worker("candidate", self.problem, code, self.config)
        try:
            loaded = candidate.start()
            if loaded.kind != "ok":
                status, text = _load_failure(loaded.kind, loaded.detail)
                return verdict(status, Stage.STATIC, text)
            checker = Checker(self.problem, self.config, self.oracle, candidate)
            try:
                self._given_examples(checker)
            except Failure as failure:
                return verdict(failure.status, Stage.EXAMPLES, failure=failure)
            given = checker.examples
            strategy = self._strategy()
            if strategy is None:
                strategy_used = False
                return verdict(
                    VerdictStatus.EQUIVALENT,
                    Stage.EXAMPLES,
                    f"no input strategy: checked on {given} given test(s) only",
                )
            deadline = started + self.config.budget_s
            result = run_differential(
                checker,
                strategy,
                self.config.max_examples,
                deadline,
                self.config.shrink,
                self.config.seed,
                constants_from=self.problem.slow_source,
            )
            if result.failure is not None:
                return verdict(result.failure.status, Stage.DIFFERENTIAL, failure=result.failure)
            generated = checker.examples - given
            if result.budget_exhausted:
                # a candidate slow enough to run the clock out must not pass on the few
                # inputs it let the search try
                return verdict(
                    VerdictStatus.TIMEOUT,
                    Stage.DIFFERENTIAL,
                    f"verification ran out of its {self.config.budget_s:.0f} s budget after "
                    f"{generated} of {self.config.max_examples} generated input(s) without a "
                    "counterexample: too slow to check",
                )
            message = f"no counterexample in {generated} generated input(s) and {given} given"
            if result.discarded:
                message += (
                    f"; {result.discarded} drawn input(s) discarded: the original does not "
                    "accept them (outside the problem's domain)"
                )
            return verdict(VerdictStatus.EQUIVALENT, Stage.DIFFERENTIAL, message)
        finally:
            candidate.close()

    def _given_examples(self, checker: Checker) -> None:
        """The problem's EDGE_CASES, then its given tests (programs)."""
        if self.problem.inputs_source is not None:
            for case in self.problem.edge_cases():
                checker.check(case)
        if self.problem.kind is ProblemKind.PROGRAM:
            for test in self.problem.tests:
                source = test.name.replace("input.", "output.", 1) + ".txt" if test.name else ""
                checker.check(
                    test.stdin, expected_stdout=test.expected_stdout, expected_from=source
                )

    def _strategy(self) -> Any:
        if self.problem.inputs_source is None:
            return None
        factory = self.problem.inputs().strategy
        return factory() if factory is not None else None


def _load_failure(kind: str, detail: str) -> tuple[VerdictStatus, str]:
    if kind == "load_error":
        return VerdictStatus.ERROR, f"failed to load: {detail}"
    if kind == "timeout":
        return VerdictStatus.TIMEOUT, f"loading took too long ({detail})"
    if kind == "violation":
        return VerdictStatus.REJECTED, f"sandbox policy, while loading: {detail}"
    if kind == "protocol":
        return VerdictStatus.REJECTED, f"corrupted the worker protocol while loading ({detail})"
    return VerdictStatus.ERROR, f"the process loading the candidate died ({detail})"
