"""One input through the original and the candidate, compared on the trusted side.

Everything a worker says arrives as builtin values decoded by :mod:`optbench.codec`, and
the comparison runs here, so nothing the candidate does in its own process (patching
``==``, the comparison module or the builtins, returning objects with a lying
``__eq__``) reaches the decision.
"""

from __future__ import annotations

import json
from typing import Any

from optbench import codec
from optbench.core.problem import Problem, ProblemKind
from optbench.core.verdict import Counterexample, Stage, VerdictStatus
from optbench.runtime.compare import compare_outcomes, show
from optbench.runtime.execution import OutputLimitExceeded
from optbench.runtime.outcome import Outcome, exception_name
from optbench.verify.config import VerifyConfig
from optbench.verify.workers import Reply, Worker

INPUT_SHOW_LIMIT = 2000
OUTPUT_LIMIT_EXC = exception_name(OutputLimitExceeded())


class Failure(Exception):
    """The candidate failed on one input (or the check could not be completed)."""

    def __init__(
        self,
        status: VerdictStatus,
        message: str,
        counterexample: Counterexample | None = None,
        *,
        shrinkable: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.counterexample = counterexample
        self.shrinkable = shrinkable
        """A value mismatch, worth shrinking. Timeouts, crashes and policy violations are
        not: every shrink attempt would cost a timeout or a restart."""
        self.stage = Stage.EXAMPLES


class OutsideDomain(Exception):
    """A drawn input of a synthesized strategy that the original does not accept: it is
    discarded (see :attr:`~optbench.core.problem.InputSpec.synthesized`)."""


class Oracle:
    """The original program in its worker, with a cache of its outcomes by input.

    Shared by every candidate a :class:`~optbench.verify.Verifier` checks, so the
    original runs once per distinct input.
    """

    def __init__(self, problem: Problem, config: VerifyConfig) -> None:
        self.problem = problem
        self.config = config
        self.worker = Worker("original", problem, problem.slow_source, config)
        self._cache: dict[str, Outcome] = {}

    def outcome(
        self, value: Any, shown: str, encoded: Any = None, discard_rejected: bool = False
    ) -> Outcome:
        """The original's outcome on ``value``. With ``discard_rejected`` an input the
        original does not accept raises :class:`OutsideDomain` instead of being judged."""
        if encoded is None:
            encoded = codec.encode(value)
        key = json.dumps(encoded, separators=(",", ":"))
        cached = self._cache.get(key)
        if cached is not None:
            if discard_rejected and not _accepted(cached):
                raise OutsideDomain(cached.status)
            return cached
        reply = self.worker.call(value, self.config.original_timeout_s, encoded)
        if reply.kind == "died":
            # A long-lived worker may hit its CPU-seconds limit across many inputs; a
            # fresh one tells that apart from the original crashing on this input.
            reply = self.worker.call(value, self.config.original_timeout_s, encoded)
        if reply.kind != "ok" or reply.outcome is None:
            if discard_rejected:
                raise OutsideDomain(_reply_words(reply))
            raise Failure(
                VerdictStatus.ERROR,
                f"the original failed on input {shown}: {_reply_words(reply)} "
                "(a problem with the dataset, not the candidate)",
            )
        self._cache[key] = reply.outcome
        if discard_rejected and not _accepted(reply.outcome):
            raise OutsideDomain(reply.outcome.status)
        return reply.outcome

    def close(self) -> None:
        self.worker.close()


class Checker:
    def __init__(self, problem: Problem, config: VerifyConfig, oracle: Oracle, candidate: Worker):
        self.problem = problem
        self.config = config
        self.oracle = oracle
        self.candidate = candidate
        self.check_function = problem.checker()
        """The problem's own checker (``compare.checker``), called here, outside the
        sandbox: it is dataset code, and what it judges is the candidate's decoded answer."""
        self.examples = 0
        """Inputs run through the candidate (generated ones, shrink steps and given tests)."""
        self.discard_rejected = problem.inputs_source is not None and problem.inputs().synthesized
        """Drawn inputs the original does not accept are discarded (a synthesized strategy
        can reach past the problem's constraints, which the given tests do not state)."""
        self.discarded = 0

    def check(
        self,
        value: Any,
        expected_stdout: str | None = None,
        expected_from: str = "",
        drawn: bool = False,
    ) -> None:
        """Raise :class:`Failure` unless the candidate behaves like the original on
        ``value``; a given test's ``expected_stdout`` (from the file ``expected_from``)
        replaces the original's stdout."""
        try:
            self._check(value, expected_stdout, expected_from, drawn)
        except Failure as failure:
            if failure.counterexample is not None and isinstance(value, str):
                failure.counterexample.full_input = value
            raise

    def _check(
        self, value: Any, expected_stdout: str | None, expected_from: str, drawn: bool
    ) -> None:
        shown = self.show_input(value)
        encoded = codec.encode(value)
        expected = self.oracle.outcome(
            value, shown, encoded, discard_rejected=drawn and self.discard_rejected
        )
        if expected_stdout is not None:
            expected = Outcome(
                status=expected.status,
                stdout=expected_stdout,
                exit_code=expected.exit_code,
                exc_type=expected.exc_type,
                elapsed=expected.elapsed,
            )
        timeout = self.config.example_timeout(expected.elapsed)
        self.examples += 1
        reply = self.candidate.call(value, timeout, encoded)
        if reply.kind != "ok" or reply.outcome is None:
            raise self._reply_failure(reply, shown, expected, timeout)
        actual = reply.outcome
        limit_failure = self._limit_failure(expected, actual, shown)
        if limit_failure is not None:
            raise limit_failure
        mismatch = compare_outcomes(
            expected,
            actual,
            self.problem.compare,
            self.problem.kind,
            given=value,
            checker=self.check_function,
        )
        if mismatch is not None and mismatch.kind == "error":
            raise Failure(
                VerdictStatus.ERROR,
                f"{mismatch.actual} on input {shown[:200]} (the dataset's checker fails on the "
                "original's own answer too)",
                Counterexample(shown, mismatch.expected, mismatch.actual, "checker"),
            )
        if mismatch is not None:
            raise Failure(
                VerdictStatus.NOT_EQUIVALENT,
                f"{_KIND_WORDS.get(mismatch.kind, mismatch.kind)} differs from "
                + (
                    f"the expected output of given test {expected_from or '(unnamed)'}"
                    if expected_stdout is not None
                    else "the original's"
                ),
                Counterexample(shown, mismatch.expected, mismatch.actual, mismatch.kind),
                shrinkable=True,
            )

    def _reply_failure(
        self, reply: Reply, shown: str, expected: Outcome, timeout: float
    ) -> Failure:
        expected_text = _describe(expected, self.problem.kind)
        if reply.kind == "timeout":
            return Failure(
                VerdictStatus.TIMEOUT,
                f"took longer than {timeout:.1f} s on one input "
                f"(the original took {expected.elapsed:.3f} s)",
                Counterexample(shown, expected_text, f"no result after {timeout:.1f} s", "timeout"),
            )
        if reply.kind == "violation":
            return Failure(VerdictStatus.REJECTED, f"sandbox policy: {reply.detail}")
        if reply.kind == "protocol":
            return Failure(
                VerdictStatus.REJECTED,
                f"corrupted the worker protocol or replied too much ({reply.detail})",
            )
        return Failure(
            VerdictStatus.ERROR,
            f"the process running the candidate died ({reply.detail})",
            Counterexample(shown, expected_text, f"process died: {reply.detail}", "crash"),
        )

    def _limit_failure(self, expected: Outcome, actual: Outcome, shown: str) -> Failure | None:
        for exc_type, words in (
            ("MemoryError", f"exceeded the memory limit ({self.config.limits.memory_mb} MB)"),
            (OUTPUT_LIMIT_EXC, "exceeded the output limit"),
        ):
            if actual.exc_type == exc_type and expected.exc_type != exc_type:
                return Failure(
                    VerdictStatus.REJECTED,
                    f"{words} on input {shown[:200]!r}",
                )
        return None

    def show_input(self, value: Any) -> str:
        if self.problem.kind is ProblemKind.PROGRAM:
            return show(value, INPUT_SHOW_LIMIT)
        args = value if isinstance(value, tuple) else (value,)
        text = f"{self.problem.entry_point}({', '.join(show(a, INPUT_SHOW_LIMIT) for a in args)})"
        return text if len(text) <= INPUT_SHOW_LIMIT else show(text, INPUT_SHOW_LIMIT)


_KIND_WORDS = {
    "value": "the return value",
    "exception": "the exception behaviour",
    "mutation": "the mutation of the arguments",
    "stdout": "the output",
    "exit_status": "the exit status",
}


def _accepted(outcome: Outcome) -> bool:
    """Whether the original accepted an input: it returned, or a program exited 0."""
    if outcome.status == "exit":
        return outcome.exit_code == 0
    return outcome.status == "ok"


def _describe(outcome: Outcome, kind: ProblemKind) -> str:
    if outcome.status == "raised":
        return f"raises {outcome.exc_type}"
    if kind is ProblemKind.PROGRAM:
        return show(outcome.stdout)
    return f"returns {show(outcome.value)}"


def _reply_words(reply: Reply) -> str:
    if reply.kind == "timeout":
        return f"timed out ({reply.detail})"
    if reply.kind == "died":
        return f"its process died ({reply.detail})"
    if reply.kind == "violation":
        return f"sandbox policy: {reply.detail}"
    if reply.kind == "load_error":
        return f"failed to load: {reply.detail}"
    return reply.detail
