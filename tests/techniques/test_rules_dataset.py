"""``rules`` on every bundled problem: nothing, or code the real verifier finds equivalent."""

from __future__ import annotations

import random

import pytest

from optbench.datasets import load_dataset
from optbench.techniques import Budget, Context, Feedback, create_technique
from optbench.verify import VerifyConfig, verify

PROBLEMS = load_dataset("optbench-py").problems


@pytest.mark.slow
@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.id for p in PROBLEMS])
def test_rules_yield_nothing_or_an_equivalent_candidate(problem):
    def evaluate(candidate):
        raise AssertionError("rules never evaluates")

    ctx = Context(problem, "rules", None, evaluate, Budget(), random.Random(0))
    candidates = list(create_technique("rules").optimize(problem, ctx))
    assert len(candidates) <= 1
    for candidate in candidates:
        assert candidate.extra["rewrites"]
        verdict = verify(problem, candidate.code, VerifyConfig.quick())
        assert verdict.ok, f"{candidate.extra['rewrites']}\n{verdict.for_prompt()}"
        assert isinstance(Feedback(candidate, verdict).fitness, tuple)


def test_rules_yields_nothing_when_no_rule_applies(bundled):
    problem = bundled.get("fib-recursive")
    ctx = Context(problem, "rules", None, lambda c: None, Budget(), random.Random(0))  # type: ignore[arg-type]
    logs: list[str] = []
    ctx.log = logs.append
    assert list(create_technique("rules", rules="print_buffer").optimize(problem, ctx)) == []
    assert logs == ["rules: no rewrite applies"]
    (candidate,) = create_technique("rules").optimize(problem, ctx)
    assert candidate.extra["rewrites"] == ["memoize_recursion"]
