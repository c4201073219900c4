"""Compare policies beyond equality: argument mutation allowed, and a problem's own checker
for problems with several valid answers (judged on the trusted side, in verification)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from optbench.core.problem import ComparePolicy, Problem, ProblemKind
from optbench.core.verdict import VerdictStatus
from optbench.datasets import load_problem
from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.quickcheck import quick_check
from optbench.runtime.compare import compare_outcomes
from optbench.runtime.outcome import Outcome
from optbench.verify import VerifyConfig, verify, verify_many

FAST = VerifyConfig(max_examples=25, budget_s=60)

SORT_IN_PLACE = '''
def median_low(xs):
    """The lower median; sorts the caller's list on the way (as ENAMEL's references do)."""
    xs.sort()
    return xs[(len(xs) - 1) // 2]
'''

SORT_A_COPY = """
def median_low(xs):
    return sorted(xs)[(len(xs) - 1) // 2]
"""

MEDIAN_INPUTS = """
from hypothesis import strategies as st

def strategy():
    return st.tuples(st.lists(st.integers(-20, 20), min_size=2, max_size=12, unique=True))

def workload():
    return ([(i * 7919) % 3001 for i in range(3000)],)

EDGE_CASES = [([3, 1, 2],)]
"""

TWO_SUM_FIRST_PAIR = """
def two_sum(nums, target):
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            if nums[i] + nums[j] == target:
                return (i, j)
    return None
"""

TWO_SUM_LAST_SEEN = """
def two_sum(nums, target):
    seen = {}
    for j, x in enumerate(nums):
        if target - x in seen:
            return (j, seen[target - x])  # another valid answer: the pair the other way round
        seen[x] = j
    return None
"""

TWO_SUM_WRONG = """
def two_sum(nums, target):
    return (0, 1) if len(nums) > 1 else None
"""

TWO_SUM_INPUTS = """
from hypothesis import strategies as st

def strategy():
    return st.tuples(st.lists(st.integers(-9, 9), min_size=2, max_size=10), st.integers(-6, 6))

def workload():
    return (list(range(2500)), 4997)

EDGE_CASES = [([1, 2, 3], 4), ([5, 5], 10)]
"""

TWO_SUM_CHECKER = """
def check(given, expected, actual):
    nums, target = given
    if expected is None:
        return actual is None
    if not isinstance(actual, tuple) or len(actual) != 2:
        return False
    i, j = actual
    return i != j and 0 <= i < len(nums) and 0 <= j < len(nums) and nums[i] + nums[j] == target
"""

UNPACKING_CHECKER = """
def check(given, expected, actual):
    i, j = actual  # raises on an answer that is not a pair
    return given[0][i] + given[0][j] == given[1]
"""


def median_problem(mutation: bool) -> Problem:
    return Problem(
        id="median-low",
        dataset="test",
        title="median low",
        kind=ProblemKind.FUNCTION,
        slow_source=SORT_IN_PLACE,
        entry_point="median_low",
        compare=ComparePolicy(mutation=mutation),
        inputs_source=MEDIAN_INPUTS,
        content_hash="test-median-low",
    )


def two_sum_problem(checker_source: str = TWO_SUM_CHECKER, name: str = "check") -> Problem:
    return Problem(
        id="two-sum",
        dataset="test",
        title="two sum",
        kind=ProblemKind.FUNCTION,
        slow_source=TWO_SUM_FIRST_PAIR,
        entry_point="two_sum",
        compare=ComparePolicy(checker=name),
        inputs_source=TWO_SUM_INPUTS,
        checker_source=checker_source,
        content_hash=f"test-two-sum-{hash(checker_source)}",
    )


def test_a_non_mutating_candidate_is_equivalent_when_mutation_is_allowed() -> None:
    verdicts = verify_many(median_problem(mutation=False), [SORT_A_COPY], FAST)
    assert verdicts[0].status is VerdictStatus.EQUIVALENT, verdicts[0].for_prompt()


def test_a_non_mutating_candidate_differs_under_the_default_policy() -> None:
    verdict = verify(median_problem(mutation=True), SORT_A_COPY, FAST)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    assert verdict.counterexample.kind == "mutation"


def test_a_mutating_candidate_of_a_non_mutating_original_is_equivalent_when_allowed() -> None:
    problem = Problem(
        id="median-low-copy",
        dataset="test",
        title="median low",
        kind=ProblemKind.FUNCTION,
        slow_source=SORT_A_COPY,
        entry_point="median_low",
        compare=ComparePolicy(mutation=False),
        inputs_source=MEDIAN_INPUTS,
        content_hash="test-median-low-copy",
    )
    verdict = verify(problem, SORT_IN_PLACE, FAST)
    assert verdict.status is VerdictStatus.EQUIVALENT, verdict.for_prompt()


def test_the_checker_accepts_another_valid_pair_and_rejects_an_invalid_one() -> None:
    right, wrong = verify_many(two_sum_problem(), [TWO_SUM_LAST_SEEN, TWO_SUM_WRONG], FAST)
    assert right.status is VerdictStatus.EQUIVALENT, right.for_prompt()
    assert wrong.status is VerdictStatus.NOT_EQUIVALENT
    assert wrong.counterexample is not None
    assert "rejected by check()" in wrong.counterexample.actual


def test_without_the_checker_another_valid_pair_is_not_equivalent() -> None:
    problem = Problem(
        id="two-sum-exact",
        dataset="test",
        title="two sum",
        kind=ProblemKind.FUNCTION,
        slow_source=TWO_SUM_FIRST_PAIR,
        entry_point="two_sum",
        inputs_source=TWO_SUM_INPUTS,
        content_hash="test-two-sum-exact",
    )
    assert verify(problem, TWO_SUM_LAST_SEEN, FAST).status is VerdictStatus.NOT_EQUIVALENT


def test_an_answer_the_checker_cannot_read_is_not_equivalent() -> None:
    not_a_pair = "def two_sum(nums, target):\n    return 7\n"
    verdict = verify(two_sum_problem(UNPACKING_CHECKER), not_a_pair, FAST)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.message
    assert verdict.counterexample is not None
    assert "check() cannot read it" in verdict.counterexample.actual
    assert "raised TypeError" in verdict.counterexample.actual


def test_a_checker_that_fails_on_the_originals_answer_too_is_an_error_naming_it() -> None:
    broken = "def check(given, expected, actual):\n    return given.missing\n"
    verdict = verify(two_sum_problem(broken), TWO_SUM_LAST_SEEN, FAST)
    assert verdict.status is VerdictStatus.ERROR
    assert "checker check() raised AttributeError" in verdict.message
    assert verdict.counterexample is not None and verdict.counterexample.kind == "checker"


def _returned(value: Any, args_after: Any = None) -> Outcome:
    return Outcome(status="ok", value=value, args_after=args_after)


def test_compare_outcomes_with_a_checker() -> None:
    policy = ComparePolicy(checker="check")
    given = ([1, 2, 3, 1], 4)

    def check(inp: Any, expected: Any, actual: Any) -> bool:
        nums, target = inp
        valid = nums[actual[0]] + nums[actual[1]] == target
        nums.clear()  # a careless checker: it gets copies
        return valid

    kind = ProblemKind.FUNCTION
    assert (
        compare_outcomes(
            _returned((0, 2)), _returned((2, 0)), policy, kind, given=given, checker=check
        )
        is None
    )
    assert given == ([1, 2, 3, 1], 4)
    found = compare_outcomes(
        _returned((0, 2)), _returned((0, 1)), policy, kind, given=given, checker=check
    )
    assert found is not None and found.kind == "value"
    with pytest.raises(ValueError, match="checker 'check'"):
        compare_outcomes(_returned(1), _returned(1), policy, kind, given=given)
    silent = compare_outcomes(
        _returned(1), _returned(1), policy, kind, given=given, checker=lambda *_: None
    )
    assert silent is not None and silent.kind == "error" and "not True or False" in silent.actual


def test_compare_outcomes_of_programs_with_a_checker() -> None:
    policy = ComparePolicy(mode="stdout_ws", checker="close")

    def close(stdin: str, expected: str, actual: str) -> bool:
        return abs(float(expected) - float(actual)) < 1e-3

    program = ProblemKind.PROGRAM
    expected = Outcome(status="exit", stdout="1.41421\n", exit_code=0)
    near = Outcome(status="exit", stdout="1.4142\n", exit_code=0)
    far = Outcome(status="exit", stdout="1.5\n", exit_code=0)
    assert compare_outcomes(expected, near, policy, program, given="2\n", checker=close) is None
    found = compare_outcomes(expected, far, policy, program, given="2\n", checker=close)
    assert found is not None and found.kind == "stdout"
    unreadable = compare_outcomes(
        expected, Outcome(status="exit", stdout="no\n", exit_code=0), policy, program,
        given="2\n", checker=close,
    )  # fmt: skip
    assert (
        unreadable is not None
        and unreadable.kind == "stdout"
        and "close() cannot read it" in unreadable.actual
        and "raised ValueError" in unreadable.actual
    )

    def strict(stdin: str, expected: str, actual: str) -> bool:
        return int(expected) == int(actual)  # cannot read the original's answer either

    broken = compare_outcomes(expected, near, policy, program, given="2\n", checker=strict)
    assert (
        broken is not None
        and broken.kind == "error"
        and "close() raised ValueError: invalid literal for int()" in broken.actual
    )


def _folder(tmp_path: Path, compare: str, checker: str | None) -> Path:
    folder = tmp_path / "two-sum"
    folder.mkdir()
    (folder / "problem.toml").write_text(
        'id = "two-sum"\ntitle = "two sum"\nkind = "function"\nentry_point = "two_sum"\n'
        f"\n[compare]\n{compare}\n"
    )
    (folder / "slow.py").write_text(TWO_SUM_FIRST_PAIR)
    (folder / "inputs.py").write_text(TWO_SUM_INPUTS)
    if checker is not None:
        (folder / "checker.py").write_text(checker)
    return folder


def test_the_loader_reads_mutation_and_the_checker(tmp_path: Path) -> None:
    problem = load_problem(
        _folder(tmp_path, 'mutation = false\nchecker = "check"', TWO_SUM_CHECKER), "test"
    )
    assert problem.compare == ComparePolicy(mutation=False, checker="check")
    check = problem.checker()
    assert check is not None and check(([1, 3], 4), (0, 1), (1, 0)) is True


@pytest.mark.parametrize(
    ("compare", "checker", "words"),
    [
        ('checker = "check"', None, "checker.py: missing file"),
        ('checker = "judge"', TWO_SUM_CHECKER, "defines no function 'judge'"),
        ('checker = "check"', "def check(a, b):\n    return True\n", "must take three arguments"),
        ('checker = "check"', "raise RuntimeError('boom')\n", "fails to execute: RuntimeError"),
        ('mutation = "no"', None, "must be true or false"),
        ("checker = 3", None, "must name a function in checker.py"),
    ],
)
def test_a_bad_checker_or_mutation_setting_is_one_clear_error(
    tmp_path: Path, compare: str, checker: str | None, words: str
) -> None:
    with pytest.raises(ProblemLoadError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_problem(_folder(tmp_path, compare, checker), "test")


def test_a_checker_file_is_part_of_the_problem_content(tmp_path: Path) -> None:
    first = load_problem(_folder(tmp_path, 'checker = "check"', TWO_SUM_CHECKER), "test")
    (tmp_path / "two-sum" / "checker.py").write_text(
        textwrap.dedent(TWO_SUM_CHECKER) + "\n# edited\n"
    )
    assert load_problem(tmp_path / "two-sum", "test").content_hash != first.content_hash


def test_quickcheck_judges_with_the_checker_too() -> None:
    problem = two_sum_problem()
    assert quick_check(problem, 40, candidate=TWO_SUM_LAST_SEEN, timing=False).failures == []
    failures = quick_check(problem, 40, candidate=TWO_SUM_WRONG, timing=False).failures
    assert failures and all("rejected by check()" in f for f in failures)
