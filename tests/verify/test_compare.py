"""Comparison policies: exact, float, unordered, stdout_ws."""

from __future__ import annotations

import pytest

from optbench.core.problem import ComparePolicy, ProblemKind
from optbench.runtime.compare import compare_outcomes, show, values_equal
from optbench.runtime.outcome import Outcome

EXACT = ComparePolicy("exact")
FLOAT = ComparePolicy("float", rel_tol=1e-6, abs_tol=1e-9)
UNORDERED = ComparePolicy("unordered")
NAN = float("nan")


@pytest.mark.parametrize(
    ("a", "b", "policy", "same"),
    [
        (1, 1, EXACT, True),
        (1, 1.0, EXACT, False),
        (1, 1.0, FLOAT, False),
        (True, 1, EXACT, False),
        ([1, 2], (1, 2), EXACT, False),
        ([1, 2], (1, 2), UNORDERED, False),
        (0.1 + 0.2, 0.3, EXACT, False),
        (0.1 + 0.2, 0.3, FLOAT, True),
        ([0.1 + 0.2, {"k": (1.0000001,)}], [0.3, {"k": (1.0,)}], FLOAT, True),
        (1.0, 1.1, FLOAT, False),
        (NAN, NAN, EXACT, True),
        (NAN, NAN, FLOAT, True),
        ([NAN], [NAN], EXACT, True),
        (NAN, 0.0, FLOAT, False),
        (-0.0, 0.0, EXACT, True),
        (float("inf"), float("inf"), FLOAT, True),
        (float("inf"), 1e308, FLOAT, False),
        ([3, 1, 2], [1, 2, 3], EXACT, False),
        ([3, 1, 2], [1, 2, 3], UNORDERED, True),
        ([1, 1, 2], [1, 2, 2], UNORDERED, False),
        ([[1], [2]], [[2], [1]], UNORDERED, True),
        ([[2, 1]], [[1, 2]], UNORDERED, False),
        ([{"a": 1}, {"b": 2}], [{"b": 2}, {"a": 1}], UNORDERED, True),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, EXACT, True),
        ({"a": 1}, {"a": 1, "b": 2}, EXACT, False),
        ({1, 2}, {2, 1}, EXACT, True),
        (complex(1, 1), complex(1, 1.0000000001), FLOAT, True),
        ("a", "a ", EXACT, False),
    ],
)
def test_values_equal(a: object, b: object, policy: ComparePolicy, same: bool) -> None:
    assert values_equal(a, b, policy) is same
    assert values_equal(b, a, policy) is same


def fn(
    value: object = None, args: object = (), status: str = "ok", exc: str | None = None
) -> Outcome:
    return Outcome(status=status, value=value, args_after=list(args), exc_type=exc)


def test_function_outcomes() -> None:
    kind = ProblemKind.FUNCTION
    assert compare_outcomes(fn(3, [[1]]), fn(3, [[1]]), EXACT, kind) is None
    value = compare_outcomes(fn(3), fn(4), EXACT, kind)
    assert value is not None and value.kind == "value"
    mutation = compare_outcomes(fn(3, [[1, 2]]), fn(3, [[2, 1]]), EXACT, kind)
    assert mutation is not None and mutation.kind == "mutation"
    assert "arguments after the call" in mutation.expected
    raised = fn(status="raised", exc="ValueError")
    assert compare_outcomes(raised, fn(status="raised", exc="ValueError"), EXACT, kind) is None
    other = compare_outcomes(raised, fn(status="raised", exc="KeyError"), EXACT, kind)
    assert other is not None and other.kind == "exception"
    returned = compare_outcomes(raised, fn(None), EXACT, kind)
    assert returned is not None and returned.kind == "exception"


def test_unordered_applies_to_the_value_not_to_mutation() -> None:
    kind = ProblemKind.FUNCTION
    assert compare_outcomes(fn([2, 1]), fn([1, 2]), UNORDERED, kind) is None
    mutation = compare_outcomes(fn(0, [[2, 1]]), fn(0, [[1, 2]]), UNORDERED, kind)
    assert mutation is not None and mutation.kind == "mutation"


def prog(stdout: str, code: int = 0) -> Outcome:
    return Outcome(status="exit", stdout=stdout, exit_code=code)


@pytest.mark.parametrize(
    ("a", "b", "policy", "same"),
    [
        ("1 2\n", "1 2\n", EXACT, True),
        ("1 2\n", "1 2", EXACT, False),
        ("1 2\n", "1  2", ComparePolicy("stdout_ws"), True),
        ("1\n2\n", "1 2", ComparePolicy("stdout_ws"), True),
        ("1 2\n", "2 1\n", ComparePolicy("stdout_ws"), False),
        ("0.30000000000000004\n", "0.3\n", FLOAT, True),
        ("0.3 x\n", "0.3 y\n", FLOAT, False),
        ("nan\n", "nan\n", FLOAT, True),
        ("1.0\n", "1.5\n", FLOAT, False),
        ("1 2\n", "1 2 3\n", FLOAT, False),
    ],
)
def test_program_stdout(a: str, b: str, policy: ComparePolicy, same: bool) -> None:
    result = compare_outcomes(prog(a), prog(b), policy, ProblemKind.PROGRAM)
    assert (result is None) is same
    if not same:
        assert result is not None and result.kind == "stdout"


def test_program_exit_status() -> None:
    result = compare_outcomes(prog("x", 0), prog("x", 1), EXACT, ProblemKind.PROGRAM)
    assert result is not None and result.kind == "exit_status"


def test_show_is_short_and_never_raises() -> None:
    assert show(list(range(10_000))).endswith("chars]")
    assert "bits" in show(10**10_000)
    assert show("a\nb") == "a\nb"
