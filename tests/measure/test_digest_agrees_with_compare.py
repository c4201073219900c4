"""The measurement worker's output digest is a shortcut for the one comparison policy
(:mod:`optbench.runtime.compare`), never a second one: two outcomes with the same digest
under a mode are equal under that mode's comparison."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from optbench.core.problem import CompareMode, ComparePolicy, ProblemKind
from optbench.measure.harness import _outcome
from optbench.runtime.compare import compare_outcomes
from optbench.runtime.measure_worker import function_wire, output_digest, program_wire

WORDS = st.text(alphabet="ab1. \n\t", max_size=12)
ITEMS = st.one_of(st.integers(-3, 3), st.booleans(), st.floats(-2, 2), st.text("ab", max_size=2))
VALUES = st.lists(st.one_of(ITEMS, st.lists(ITEMS, max_size=2)), max_size=4)
MODES: tuple[CompareMode, ...] = ("exact", "float", "unordered", "stdout_ws")


def _same_under_policy(a: dict[str, Any], b: dict[str, Any], kind: ProblemKind, mode: str) -> bool:
    policy = ComparePolicy(mode=mode)  # type: ignore[arg-type]
    expected, actual = _outcome(json.dumps(a)), _outcome(json.dumps(b))
    return compare_outcomes(expected, actual, policy, kind) is None


@settings(max_examples=300, database=None, derandomize=True)
@given(st.sampled_from(MODES), WORDS, WORDS, st.integers(0, 2), st.integers(0, 2))
def test_equal_program_digests_mean_equal_outputs(
    mode: str, out_a: str, out_b: str, code_a: int, code_b: int
) -> None:
    a, b = program_wire(out_a, code_a), program_wire(out_b, code_b)
    if output_digest(a, mode) == output_digest(b, mode):
        assert _same_under_policy(a, b, ProblemKind.PROGRAM, mode)


@settings(max_examples=300, database=None, derandomize=True)
@given(st.sampled_from(MODES), VALUES, VALUES)
def test_equal_function_digests_mean_equal_values(mode: str, x: list[Any], y: list[Any]) -> None:
    a, b = function_wire(x, ()), function_wire(y, ())
    if output_digest(a, mode) == output_digest(b, mode):
        assert _same_under_policy(a, b, ProblemKind.FUNCTION, mode)
    # a list and a permutation of it are one digest under ``unordered``
    c = function_wire(list(reversed(x)), ())
    assert output_digest(a, "unordered") == output_digest(c, "unordered")
    assert _same_under_policy(a, c, ProblemKind.FUNCTION, "unordered")
