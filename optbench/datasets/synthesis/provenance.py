"""How a problem is checked, in words, and a few of its generated inputs (for
``optbench datasets show`` and the bench)."""

from __future__ import annotations

from optbench.core.problem import Problem
from optbench.datasets.synthesis.codegen import MARKER
from optbench.datasets.synthesis.sampling import hypothesis_samples
from optbench.datasets.synthesis.synthesize import GIVEN_ONLY_NOTE

GIVEN_ONLY_PREFIX = GIVEN_ONLY_NOTE.split("{")[0]


def is_synthesized(problem: Problem) -> bool:
    return problem.inputs_source is not None and MARKER in problem.inputs_source


def checked_by(problem: Problem) -> str:
    """``hand-written strategy``, ``synthesized from K given test(s)`` or ``given tests
    only`` with the reason its notes give."""
    if problem.inputs_source is None or problem.inputs().strategy is None:
        reasons = [
            n[len(GIVEN_ONLY_PREFIX) :] for n in problem.notes if n.startswith(GIVEN_ONLY_PREFIX)
        ]
        why = reasons[0] if reasons else "no input strategy (inputs.py has none)"
        if problem.inputs_source is None and not reasons:
            why = "no inputs.py (imported without synthesis)"
        given = len(problem.tests) or len(problem.edge_cases())  # stdin tests or calls
        return f"given tests only ({given}): {why}"
    if is_synthesized(problem):
        given = len(problem.edge_cases())
        return f"synthesized strategy from {given} given test(s), plus the given tests"
    return "hand-written strategy, plus the edge cases" + (
        " and given tests" if problem.tests else ""
    )


def sample_inputs(problem: Problem, count: int = 3, draws: int = 20) -> list[str]:
    """``count`` generated inputs, from small to large (empty without a strategy)."""
    if problem.inputs_source is None:
        return []
    factory = problem.inputs().strategy
    if factory is None:
        return []
    drawn = [str(value) for value in hypothesis_samples(factory(), draws)]
    drawn.sort(key=len)
    if len(drawn) <= count:
        return drawn
    step = (len(drawn) - 1) / (count - 1) if count > 1 else 0
    return [drawn[round(i * step)] for i in range(count)]
