"""The original program as the judge of synthesized inputs: run sandboxed, through the
verifier's own worker, on inputs the synthesis proposes.

An input the original does not accept — it raises, exits non-zero, runs out of time or
answers differently when run again — is outside the problem's domain: it is discarded,
never offered as a counterexample."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from optbench.codec import TooLarge
from optbench.core.problem import ComparePolicy, Problem, ProblemKind
from optbench.runtime.compare import compare_outcomes
from optbench.runtime.outcome import Outcome
from optbench.sandbox.limits import Limits
from optbench.verify.config import VerifyConfig
from optbench.verify.workers import Worker

RUN_TIMEOUT_S = 10.0
"""How long the original may take on one proposed input."""


@dataclass
class Run:
    accepted: bool
    reason: str = ""
    """Why not: ``raised IndexError``, ``exit status 1``, ``timeout``, ``died``,
    ``nondeterministic``."""
    elapsed: float = 0.0
    """Seconds the program ran (in its worker, interpreter start-up excluded)."""
    stdout: str = ""
    outcome: Outcome | None = None


class Original:
    """The original running in a sandboxed worker; a context manager. With an
    ``entry_point`` it is a function called with argument tuples, else a program fed
    stdin text."""

    def __init__(
        self, source: str, *, name: str = "original", entry_point: str | None = None
    ) -> None:
        kind = ProblemKind.FUNCTION if entry_point else ProblemKind.PROGRAM
        problem = Problem(
            id=name,
            dataset="synthesis",
            title=name,
            kind=kind,
            slow_source=source,
            entry_point=entry_point,
        )
        self.kind = kind
        config = VerifyConfig(limits=Limits(cpu_s=600, memory_mb=2048, wall_s=3600.0))
        self.worker = Worker("original", problem, source, config)

    def __enter__(self) -> Original:
        return self

    def __exit__(self, *exc: object) -> None:
        self.worker.close()

    def run(self, text: Any, timeout: float = RUN_TIMEOUT_S) -> Run:
        """Run on one input: stdin text for a program, an argument tuple for a function."""
        try:
            reply = self.worker.call(text, timeout)
            if reply.kind == "died":
                # a worker may die of its own accumulated CPU time; a fresh one tells that
                # apart from the original dying on this input
                reply = self.worker.call(text, timeout)
        except TooLarge:
            return Run(False, "too large to send")
        if reply.kind != "ok" or reply.outcome is None:
            return Run(False, "timeout" if reply.kind == "timeout" else reply.kind)
        outcome = reply.outcome
        if outcome.status == "raised":
            return Run(False, f"raised {outcome.exc_type}", outcome.elapsed, outcome.stdout)
        if outcome.exit_code != 0:
            return Run(False, f"exit status {outcome.exit_code}", outcome.elapsed, outcome.stdout)
        return Run(True, "", outcome.elapsed, outcome.stdout, outcome)

    def run_twice(self, text: Any, timeout: float = RUN_TIMEOUT_S) -> Run:
        """:meth:`run`, then again: an input with two different answers is discarded."""
        first = self.run(text, timeout)
        if not first.accepted:
            return first
        second = self.run(text, timeout)
        if second.accepted and not self._same(first, second):
            return Run(False, "nondeterministic", first.elapsed, first.stdout)
        return first if second.accepted else second

    def _same(self, first: Run, second: Run) -> bool:
        if self.kind is ProblemKind.PROGRAM:
            return second.stdout.split() == first.stdout.split()
        if first.outcome is None or second.outcome is None:
            return False
        return compare_outcomes(first.outcome, second.outcome, ComparePolicy(), self.kind) is None
