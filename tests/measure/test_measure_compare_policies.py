"""The benchmark workload is judged under the problem's compare policy: a different valid
answer passes the problem's checker, an argument left unsorted passes where mutation is
allowed, and the checker runs in the harness, never beside the candidate."""

from __future__ import annotations

import json

import pytest

from optbench.core.problem import ComparePolicy, Problem, ProblemKind
from optbench.core.verdict import VerdictStatus
from optbench.measure import (
    BaselineResult,
    CandidateMeasurement,
    MeasurementError,
    measure_baseline,
    measure_candidates,
)
from optbench.measure.harness import _check_output
from optbench.measure.machine import machine_info
from optbench.measure.runs import Probe

TWO_SUM = """
def two_sum(nums, target):
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            if nums[i] + nums[j] == target:
                return (i, j)
    return None
"""

INPUTS = """
def workload(seed=0):
    n = 600 + seed % 7
    return (list(range(n)), 2 * n - 3)
"""

CHECKER = """
def check(given, expected, actual):
    nums, target = given
    i, j = actual  # raises on an answer that is not a pair
    return i != j and nums[i] + nums[j] == target
"""

OTHER_VALID_PAIR = """
def two_sum(nums, target):
    seen = {}
    for j, x in enumerate(nums):
        if target - x in seen:
            return (j, seen[target - x])
        seen[x] = j
    return None
"""

INVALID_PAIR = "def two_sum(nums, target):\n    return (0, 1)\n"
NOT_A_PAIR = "def two_sum(nums, target):\n    return 7\n"


@pytest.mark.slow
def test_the_workload_is_judged_by_the_problems_checker() -> None:
    problem = Problem(
        id="two-sum",
        dataset="test",
        title="two sum",
        kind=ProblemKind.FUNCTION,
        slow_source=TWO_SUM,
        entry_point="two_sum",
        compare=ComparePolicy(checker="check"),
        inputs_source=INPUTS,
        checker_source=CHECKER,
        content_hash="test-measure-two-sum-checker",
    )
    baseline = measure_baseline(problem, "smoke", memory=False)
    other, invalid, unreadable = measure_candidates(
        problem, [OTHER_VALID_PAIR, INVALID_PAIR, NOT_A_PAIR], "smoke", baseline, memory=False
    )
    assert isinstance(other, CandidateMeasurement), other
    assert other.time.ratio > 1.0
    assert isinstance(invalid, MeasurementError)
    assert invalid.verdict is VerdictStatus.NOT_EQUIVALENT
    assert "rejected by check()" in invalid.reason
    assert isinstance(unreadable, MeasurementError)
    assert unreadable.verdict is VerdictStatus.NOT_EQUIVALENT
    assert "check() cannot read it" in unreadable.reason
    assert "raised TypeError" in unreadable.reason


SORT_IN_PLACE = """
def median_low(xs):
    xs.sort()
    return xs[(len(xs) - 1) // 2]
"""

SORT_A_COPY = "def median_low(xs):\n    return sorted(xs)[(len(xs) - 1) // 2]\n"

MEDIAN_INPUTS = """
def workload():
    return ([(i * 7919) % 20011 for i in range(20000)],)
"""


@pytest.mark.slow
@pytest.mark.parametrize(("mutation", "passes"), [(False, True), (True, False)])
def test_the_workload_ignores_argument_mutation_only_where_allowed(
    mutation: bool, passes: bool
) -> None:
    problem = Problem(
        id="median-low",
        dataset="test",
        title="median low",
        kind=ProblemKind.FUNCTION,
        slow_source=SORT_IN_PLACE,
        entry_point="median_low",
        compare=ComparePolicy(mutation=mutation),
        inputs_source=MEDIAN_INPUTS,
        content_hash=f"test-measure-median-low-{mutation}",
    )
    baseline = measure_baseline(problem, "smoke", memory=False)
    [result] = measure_candidates(problem, [SORT_A_COPY], "smoke", baseline, memory=False)
    if passes:
        assert isinstance(result, CandidateMeasurement), result
    else:
        assert isinstance(result, MeasurementError)
        assert result.verdict is VerdictStatus.NOT_EQUIVALENT


def test_an_output_too_large_to_compare_is_not_measured_rather_than_called_wrong() -> None:
    """Where digests cannot decide (mutation allowed), a missing outcome (over the
    worker's size limit) leaves the candidate unmeasured, with no verdict on it."""
    problem = Problem(
        id="median-low",
        dataset="test",
        title="median low",
        kind=ProblemKind.FUNCTION,
        slow_source=SORT_IN_PLACE,
        entry_point="median_low",
        compare=ComparePolicy(mutation=False),
        inputs_source=MEDIAN_INPUTS,
        content_hash="test-measure-median-low-large",
    )
    wire = {"status": "ok", "value": 1, "args_after": [[1, 2, 3]]}
    baseline = BaselineResult([0.1], [], "a" * 64, machine_info(), output=json.dumps(wire))
    unsorted = {**wire, "args_after": [[3, 1, 2]]}
    _check_output(problem, baseline, Probe("b" * 64, json.dumps(unsorted), 0.1, None, None))
    with pytest.raises(MeasurementError, match="too large to compare") as info:
        _check_output(problem, baseline, Probe("b" * 64, None, 0.1, None, None))
    assert info.value.verdict is None
    exact = Problem(**{**problem.__dict__, "compare": ComparePolicy()})
    with pytest.raises(MeasurementError, match="output digest") as info:
        _check_output(exact, baseline, Probe("b" * 64, None, 0.1, None, None))
    assert info.value.verdict is VerdictStatus.NOT_EQUIVALENT
