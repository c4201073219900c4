"""A synthesized strategy can reach past constraints the given tests do not state: an input
the original does not accept is discarded there, never a counterexample. A hand-written
strategy's inputs are all in the domain, so there an exception is behaviour to match."""

from __future__ import annotations

import pytest

from optbench.core.problem import Problem, ProblemKind
from optbench.core.verdict import VerdictStatus
from optbench.verify import VerifyConfig, verify

ORIGINAL = """
n = int(input())
if n < 0:
    raise SystemExit("n must be at least 0")
print(sum(range(n + 1)))
"""

CANDIDATE = """
n = int(input())
print(n * (n + 1) // 2)
"""

WRONG = """
n = int(input())
print(n * (n + 1) // 2 + (n > 50))
"""

INPUTS = """
from hypothesis import strategies as st
{marker}
def strategy():
    return st.integers(-100, 100).map(lambda n: f"{{n}}\\n")

def workload(seed=0):
    return "1000\\n"
"""

CONFIG = VerifyConfig(max_examples=60, seed=1)


def problem(synthesized: bool) -> Problem:
    marker = "SYNTHESIZED_FROM = 2\n" if synthesized else ""
    return Problem(
        id="triangle",
        dataset="test",
        title="triangle number",
        kind=ProblemKind.PROGRAM,
        slow_source=ORIGINAL,
        inputs_source=INPUTS.format(marker=marker),
        content_hash=f"test-triangle-{synthesized}",
    )


def test_inputs_the_original_rejects_are_discarded_from_a_synthesized_strategy() -> None:
    verdict = verify(problem(synthesized=True), CANDIDATE, CONFIG)
    assert verdict.status is VerdictStatus.EQUIVALENT, verdict.message
    assert "discarded" in verdict.message and "outside the problem's domain" in verdict.message


def test_a_hand_written_strategy_judges_the_originals_exit_status() -> None:
    verdict = verify(problem(synthesized=False), CANDIDATE, CONFIG)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.message


@pytest.mark.parametrize("synthesized", [True, False])
def test_a_wrong_candidate_is_still_found_inside_the_domain(synthesized: bool) -> None:
    verdict = verify(problem(synthesized=synthesized), WRONG, CONFIG)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.message


LONG_INPUTS = """
from hypothesis import strategies as st

def strategy():
    return st.just(3000).map(lambda n: f"{n}\\n" + " ".join(["7"] * n) + "\\n")

def workload(seed=0):
    return "3\\n1 2 3\\n"
"""
SUM = "input()\nprint(sum(map(int, input().split())))\n"
SUM_WRONG_WHEN_LONG = "n = int(input())\nprint(sum(map(int, input().split())) + (n > 2000))\n"


def test_a_clipped_counterexample_keeps_its_whole_input_but_never_stores_it() -> None:
    """A long counterexample is shown clipped; the whole stdin stays on the verdict in this
    process (classifying a disagreement reruns it) and is left out of what is stored."""
    long = Problem(
        id="long-sum",
        dataset="test",
        title="sum of many numbers",
        kind=ProblemKind.PROGRAM,
        slow_source=SUM,
        inputs_source=LONG_INPUTS,
        content_hash="test-long-sum",
    )
    verdict = verify(long, SUM_WRONG_WHEN_LONG, VerifyConfig(max_examples=5, seed=1))
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    example = verdict.counterexample
    assert example is not None and example.input.endswith(" chars]")
    assert example.full_input == "3000\n" + " ".join(["7"] * 3000) + "\n"
    stored = verdict.to_dict()["counterexample"]
    assert "full_input" not in stored and stored["input"] == example.input
