"""Differential testing with Hypothesis, driven from the trusted process.

Hypothesis generates inputs here; each one goes to the original's and the candidate's
workers through :class:`~optbench.verify.checker.Checker`.

* A value mismatch is raised as an ordinary failure, so Hypothesis shrinks it; the last
  failure raised is the minimal one (Hypothesis replays it last).
* A timeout, crash or policy violation is recorded and the run is stopped at once by a
  ``BaseException`` that Hypothesis does not catch: shrinking through repeated timeouts
  would cost seconds per step and say nothing new.
* While a mismatch is being shrunk, a shrink step that times out or crashes counts as
  "not this failure" (after a few of those the shrink stops where it is).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, reject, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import HypothesisException, Unsatisfiable

from optbench.core.verdict import VerdictStatus
from optbench.verify.checker import Checker, Failure, OutsideDomain

MAX_FATAL_WHILE_SHRINKING = 3


class _Stop(BaseException):
    """Ends the Hypothesis run without shrinking (not an ``Exception``: Hypothesis lets it
    through)."""


@dataclass
class DifferentialResult:
    failure: Failure | None = None
    budget_exhausted: bool = False
    generated: int = 0
    """Inputs Hypothesis drew (including shrink steps)."""
    discarded: int = 0
    """Drawn inputs outside the original's domain (synthesized strategies only)."""


@contextmanager
def _constants_of(source: str) -> Iterator[None]:
    """Hypothesis now and then draws a constant found in the source of the *local* modules
    loaded in the process, so what it draws, derandomized or not, would depend on what the
    process happened to import before: the same candidate could pass in one process and
    fail in another. While this is active the constants are those of ``source`` (the
    original program: its bounds and special values are the interesting inputs), whatever
    is loaded. Uses Hypothesis internals; without them, nothing changes."""
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import _constants_from_source

        constants = _constants_from_source(source, limit=True)
        saved = providers._get_local_constants
    except (ImportError, AttributeError, SyntaxError, ValueError):
        yield
        return
    providers._get_local_constants = lambda: constants
    providers.CONSTANTS_CACHE.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = saved
        providers.CONSTANTS_CACHE.cache.clear()


def run_differential(
    checker: Checker,
    strategy: Any,
    max_examples: int,
    deadline: float,
    shrink: bool = True,
    seed: int | None = None,
    constants_from: str = "",
) -> DifferentialResult:
    """Look for a counterexample on ``max_examples`` drawn inputs: the derandomized draw
    when ``seed`` is None, else the draw of that seed; the constants Hypothesis mixes in
    come from ``constants_from`` (see :func:`_constants_of`), so the draw is the same in
    every process."""
    result = DifferentialResult()
    fatal_while_shrinking = 0

    phases = [Phase.explicit, Phase.reuse, Phase.generate]
    if shrink:
        phases.append(Phase.shrink)

    @settings(
        max_examples=max_examples,
        derandomize=seed is None,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=phases,
        report_multiple_bugs=False,
        verbosity=Verbosity.quiet,
        print_blob=False,
    )
    @given(strategy)
    def differential(value: Any) -> None:
        nonlocal fatal_while_shrinking
        if time.monotonic() > deadline:
            result.budget_exhausted = True
            raise _Stop
        result.generated += 1
        try:
            checker.check(value, drawn=True)
        except OutsideDomain:
            result.discarded += 1
            reject()
        except Failure as failure:
            if failure.shrinkable:
                result.failure = failure
                raise
            if result.failure is None or not result.failure.shrinkable:
                result.failure = failure
                raise _Stop from None
            fatal_while_shrinking += 1
            if fatal_while_shrinking > MAX_FATAL_WHILE_SHRINKING:
                raise _Stop from None
        except Exception as exc:
            result.failure = Failure(
                VerdictStatus.ERROR,
                f"the verifier failed on a generated input: {type(exc).__name__}: {exc}"[:500],
            )
            raise _Stop from None

    if seed is not None:
        differential = hypothesis_seed(seed)(differential)
    try:
        with _constants_of(constants_from):
            differential()
    except _Stop:
        pass
    except Failure:
        pass  # result.failure holds the minimal example
    except Unsatisfiable:
        pass  # every drawn input was outside the domain: result.discarded says how many
    except (HypothesisException, ExceptionGroup) as exc:
        if result.failure is None:
            result.failure = Failure(
                VerdictStatus.ERROR,
                f"the input strategy failed: {type(exc).__name__}: {exc}"[:500],
            )
    except Exception as exc:
        if result.failure is None:
            result.failure = Failure(
                VerdictStatus.ERROR,
                f"the input strategy failed: {type(exc).__name__}: {exc}"[:500],
            )
    return result
