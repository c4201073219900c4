"""Functions that return iterators: consumed, compared and timed by what they yield."""

from __future__ import annotations

import pytest

from optbench.core.problem import Problem, ProblemKind
from optbench.core.verdict import VerdictStatus
from optbench.runtime.execution import IteratorTooLong, consume
from optbench.runtime.outcome import run_function
from optbench.verify import VerifyConfig, verify

SLOW = """
def running_max(xs):
    best = None
    for x in xs:
        best = x if best is None or x > best else best
        yield best
"""

INPUTS = """
from hypothesis import strategies as st

def strategy():
    return st.tuples(st.lists(st.integers(-20, 20), max_size=15))

def workload():
    return (list(range(20000, 0, -1)),)

EDGE_CASES = [([],), ([3, 1, 2],)]
"""

FAST = VerifyConfig(max_examples=60, budget_s=60)


def _problem() -> Problem:
    return Problem(
        id="running-max",
        dataset="test",
        title="running max",
        kind=ProblemKind.FUNCTION,
        slow_source=SLOW,
        entry_point="running_max",
        inputs_source=INPUTS,
        content_hash="test-running-max",
    )


def test_consume_lists_iterators_only() -> None:
    assert consume(iter([1, 2])) == [1, 2]
    assert consume(map(str, [1])) == ["1"]
    assert consume((1, 2)) == (1, 2)
    assert consume(range(3)) == range(3)
    assert consume({"a": 1}.keys()) == {"a": 1}.keys()


def test_errors_while_iterating_belong_to_the_call() -> None:
    def broken() -> object:
        yield 1
        raise KeyError("late")

    outcome = run_function(broken, ())
    assert outcome.status == "raised" and outcome.exc_type == "KeyError"


def test_endless_iterators_are_an_error() -> None:
    import itertools

    with pytest.raises(IteratorTooLong):
        consume(itertools.count())


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (SLOW, VerdictStatus.EQUIVALENT),
        (
            "import itertools\n\ndef running_max(xs):\n    return list(itertools.accumulate(xs, max))\n",
            VerdictStatus.EQUIVALENT,
        ),
        (
            "import itertools\n\ndef running_max(xs):\n    return itertools.accumulate(xs, min)\n",
            VerdictStatus.NOT_EQUIVALENT,
        ),
    ],
    ids=["itself", "list", "wrong-iterator"],
)
def test_a_generator_function_is_compared_by_what_it_yields(
    code: str, status: VerdictStatus
) -> None:
    verdict = verify(_problem(), code, FAST)
    assert verdict.status == status, verdict.message


@pytest.mark.slow
def test_the_lazy_work_of_a_generator_is_timed() -> None:
    """Both sides do their work when consumed (20,000 items): if only the call were
    timed, each value would be about a microsecond and the ratio meaningless."""
    from optbench.measure import measure

    lazy = "import itertools\n\ndef running_max(xs):\n    return itertools.accumulate(xs, max)\n"
    m = measure(_problem(), lazy, "quick", memory=False)
    assert m.time.baseline.median > 2e-4
    assert m.time.candidate.median > 2e-4
