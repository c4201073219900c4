"""few_shot and rag prompts never show an evaluated problem, nor a copy or near-duplicate
of one: the run's retrieval pool is guarded, and so is each technique's own choice."""

from __future__ import annotations

import dataclasses

import pytest

from optbench.datasets.overlap import OverlapGuard
from optbench.run.pool import default_retrieve_from, retrieval_pool
from optbench.techniques import create_technique
from optbench.techniques.registry import parse_technique_spec

NO_CODE = "no code in this reply"
TECHNIQUES = ["few_shot(k=40)", "few_shot(k=2)", "rag(k=4)", "rag(k=2, retriever='bm25')"]

RENAMED_FIB = """def fibonacci(k):
    if k < 0:
        raise ValueError("k must not be negative")
    if k < 2:
        return k
    return fibonacci(k - 1) + fibonacci(k - 2)
"""
RENAMED_FIB_FAST = """def fibonacci(k):
    if k < 0:
        raise ValueError("k must not be negative")
    previous, current = 0, 1
    for _ in range(k):
        previous, current = current, previous + current
    return previous
"""


def _prompt(harness, problem, exemplars, spec: str) -> str:
    h = harness(problem, replies=[NO_CODE], exemplars=exemplars)
    name, args = parse_technique_spec(spec)
    assert list(create_technique(name, **args).optimize(problem, h.ctx)) == []
    (prompt,) = h.prompts
    return prompt


@pytest.mark.parametrize("spec", TECHNIQUES)
def test_default_pool_prompts_show_no_eval_problem(harness, bundled, spec):
    """The default pool of a run on the eval split is the train split minus whatever
    overlaps the evaluated problems; no prompt on an eval problem shows an eval problem's
    reference, and every reference shown is a train problem not near any eval problem."""
    evaluated = bundled.split("eval")
    pool = retrieval_pool(default_retrieve_from("optbench-py", bundled), evaluated)
    assert pool.spec == "optbench-py:train" and pool.problems
    guard = OverlapGuard()
    guard.add_problems(evaluated)
    shown_any = False
    for problem in evaluated:
        prompt = _prompt(harness, problem, pool.problems, spec)
        for other in bundled.problems:
            if other.fast_source and other.fast_source.strip() in prompt:
                shown_any = True
                assert bundled.split_of(other.id) == "train", (problem.id, other.id)
                assert guard.overlap(other) is None, (problem.id, other.id)
    assert shown_any


def test_pool_named_as_the_eval_split_drops_the_evaluated_and_their_near_duplicates(
    harness, bundled
):
    """Naming the evaluated split itself as the pool is safe: the evaluated problems and
    their near-duplicates (the same counting double loop) are dropped, and never shown."""
    evaluated = [bundled.get("count-in-range"), bundled.get("inversion-count")]
    pool = retrieval_pool("optbench-py:eval", evaluated)
    assert sorted(pool.dropped["id"]) == ["count-in-range", "inversion-count"]
    near = {"hit-counter-window", "count-smaller-after", "pair-sum-count"}
    assert near <= set(pool.dropped["near-duplicate"])
    assert pool.record()["dropped"]["near-duplicate"] == len(pool.dropped["near-duplicate"])
    hidden = [bundled.get(pid) for pid in sorted(near | {"count-in-range", "inversion-count"})]
    for problem in evaluated:
        for spec in TECHNIQUES:
            prompt = _prompt(harness, problem, pool.problems, spec)
            assert "Slow version:" in prompt
            for other in hidden:
                assert (other.fast_source or "").strip() not in prompt, (spec, other.id)


@pytest.mark.parametrize("spec", TECHNIQUES)
def test_techniques_never_show_a_renamed_copy_of_the_problem(harness, bundled, spec):
    """Whatever pool a technique is handed, it drops a near-duplicate of the problem under
    test (here fib-recursive with every name changed, under another id)."""
    problem = bundled.get("fib-recursive")
    copy = dataclasses.replace(
        problem,
        id="fibonacci-again",
        dataset="elsewhere",
        slow_source=RENAMED_FIB,
        fast_source=RENAMED_FIB_FAST,
    )
    other = bundled.get("matrix-multiply")
    prompt = _prompt(harness, problem, [copy, other], spec)
    assert "previous, current" not in prompt and "fibonacci(k - 1)" not in prompt
    assert (other.fast_source or "").strip() in prompt
