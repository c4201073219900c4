"""zero_shot, few_shot, cot, perf_conditioned, rag and best_of_n against the real verifier."""

from __future__ import annotations

import dataclasses

import pytest

from optbench.models import BudgetExceeded
from optbench.techniques import create_technique, list_techniques
from optbench.techniques.retrieval import BM25Retriever, KnowledgePair
from tests.techniques.conftest import FAST_FIB, WRONG_FIB


def run(name: str, h, **args):
    return list(create_technique(name, **args).optimize(h.ctx.problem, h.ctx))


def test_catalogue_lists_every_family(bundled):
    names = {t.name for t in list_techniques()}
    assert {
        "zero_shot", "few_shot", "cot", "perf_conditioned", "rag", "feedback", "search",
        "evolve", "profile_guided", "best_of_n", "rules",
    } <= names  # fmt: skip


def test_zero_shot_prompt_and_candidate(harness):
    h = harness(replies=[FAST_FIB])
    (candidate,) = run("zero_shot", h)
    assert "def fib(n):" in candidate.code and "a, b = b, a + b" in candidate.code
    prompt = h.prompts[0]
    assert h.ctx.problem.slow_source.strip() in prompt
    assert "`fib`" in prompt and "Results are compared exactly" in prompt
    assert h.fake.requests[0][0].role == "system"


def test_program_prompt_states_the_stdin_contract(harness, bundled):
    program = next(p for p in bundled.problems if p.kind.value == "program")
    h = harness(program, replies=["```python\nprint(1)\n```"])
    run("zero_shot", h)
    assert "reads its input from stdin" in h.prompts[0]


def test_reply_without_code_yields_nothing_and_logs(harness):
    h = harness(replies=["I am sorry, I cannot help with that."])
    assert run("zero_shot", h) == []
    assert any(line.startswith("no_code:") for line in h.logs)
    assert h.fake.calls == 1


def test_few_shot_never_shows_the_problem_or_a_duplicate(harness, bundled):
    problem = bundled.get("fib-recursive")
    duplicate = dataclasses.replace(
        problem, id="fib-copy", slow_source="# a copy\n" + problem.slow_source + "\n\n"
    )
    exemplars = [problem, duplicate, *bundled.problems]
    for seed in range(6):
        h = harness(problem, reply_fn=lambda m: FAST_FIB, exemplars=exemplars, seed=seed)
        (candidate,) = run("few_shot", h, k=4)
        shown = candidate.extra["exemplars"]
        assert len(shown) == 4
        assert problem.key not in shown and duplicate.key not in shown
        prompt = h.prompts[0]
        assert prompt.count("return fib(n - 1) + fib(n - 2)") == 1


def test_few_shot_choice_is_seeded(harness):
    picks = []
    for _ in range(2):
        h = harness(reply_fn=lambda m: FAST_FIB, seed=7)
        picks.append(run("few_shot", h, k=3)[0].extra["exemplars"])
    assert picks[0] == picks[1]


def test_cot_keeps_the_reasoning(harness):
    reply = "Analysis:\nThe recursion is exponential; iterate instead.\n\n" + FAST_FIB
    h = harness(replies=[reply])
    (candidate,) = run("cot", h)
    assert "exponential" in (candidate.reasoning or "")
    assert "Bottlenecks" in h.prompts[0]
    assert "```" not in (candidate.reasoning or "")


def test_perf_conditioned_tags_the_target_score(harness):
    h = harness(replies=[FAST_FIB])
    (candidate,) = run("perf_conditioned", h)
    assert "<score>10/10</score>" in h.prompts[0] and "<score>1/10</score>" in h.prompts[0]
    assert candidate.extra["target_score"] == "10/10"


def test_rag_never_retrieves_the_problem_or_a_duplicate(harness, bundled):
    problem = bundled.get("fib-recursive")
    pairs = [
        KnowledgePair(problem.slow_source, problem.fast_source or "", key="elsewhere/fib"),
        KnowledgePair(
            "# same\n" + problem.slow_source.replace("\n", "\n\n"), "pass", key="other/x"
        ),
        *[KnowledgePair(p.slow_source, p.fast_source or "", p.key) for p in bundled.problems],
    ]
    retriever = BM25Retriever.from_pairs(pairs)
    h = harness(problem, replies=[FAST_FIB], retriever=retriever)
    (candidate,) = run("rag", h, k=3)
    assert candidate.extra["retrieved"] == 3
    assert h.prompts[0].count("return fib(n - 1) + fib(n - 2)") == 1


def test_rag_falls_back_to_bm25_over_the_exemplars(harness, bundled):
    h = harness("fib-recursive", replies=[FAST_FIB])
    (candidate,) = run("rag", h, k=2, retriever="bm25")
    assert candidate.extra["retrieved"] == 2
    assert "Slow version:" in h.prompts[0]


def test_best_of_n_yields_every_sample_for_the_run_to_evaluate(harness):
    """best_of_n needs no verdict to draw its samples: it yields them unevaluated, so the
    run verifies them in parallel and measures them together, on the final verification's
    fresh inputs (no sample was tuned to in-loop verdicts)."""
    h = harness(replies=[WRONG_FIB, FAST_FIB, "no code here"])
    candidates = run("best_of_n", h)
    assert [c.sample for c in candidates] == [0, 1]
    assert h.evaluated == []
    assert any(line.startswith("no_code:") for line in h.logs)


def test_budget_exhaustion_propagates_after_earlier_candidates(harness):
    h = harness(replies=[WRONG_FIB, FAST_FIB], max_calls=1)
    produced = []
    with pytest.raises(BudgetExceeded):
        for candidate in create_technique("feedback", hotspots=0).optimize(h.ctx.problem, h.ctx):
            produced.append(candidate)
    assert len(produced) == 1 and produced[0].id == 1


def test_unknown_arguments_are_rejected():
    with pytest.raises(TypeError):
        create_technique("zero_shot", nope=1)
    with pytest.raises(ValueError):
        create_technique("rag", retriever="grep")
