"""Each technique as its paper describes it: what its prompts carry, how its loop ends,
and that no prompt ever shows the problem's own fast version."""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.stats import best_at_k, pass_at_k
from optbench.techniques import create_technique, list_techniques
from optbench.techniques.conditioning import conditioned_messages, score_bucket, score_buckets
from optbench.techniques.feedback_text import parse_kinds, syntax_diagnostic
from optbench.techniques.patterns import select_representatives
from tests.techniques.conftest import FAST_FIB, OFF_BY_ONE_FIB, WRONG_FIB

MEMO_FIB = """```python
from functools import lru_cache


@lru_cache(maxsize=None)
def _fib(n):
    return n if n < 2 else _fib(n - 1) + _fib(n - 2)


def fib(n):
    if n < 0:
        raise ValueError("n must be non-negative")
    return _fib(n)
```"""
DOUBLE_FIB = WRONG_FIB.replace("return n", "return 2 * n")
SYNTAX_ERROR_FIB = """```python
def fib(n):
    if n < 0:
        raise ValueError("n must be non-negative")
    return [0, 1][n] if n < 2 else fib(n - 1) +
```"""


def run(name: str, h, **args):
    return list(create_technique(name, **args).optimize(h.ctx.problem, h.ctx))


# -- the catalogue ---------------------------------------------------------------------


def test_every_technique_names_its_paper_and_model_techniques_their_differences():
    infos = {info.name: info for info in list_techniques()}
    assert "profile_guided" in infos and infos["profile_guided"].family == "agentic"
    for info in infos.values():
        assert info.paper, info.name
        if info.uses_model:
            assert info.differences, info.name


def test_techniques_list_and_show_carry_paper_and_differences():
    runner = CliRunner()
    listed = runner.invoke(cli, ["techniques", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    by_name = {t["name"]: t for t in json.loads(listed.output)}
    assert "Self-Refine" in by_name["feedback"]["paper"]
    assert any("CodeBERTScore" in d for d in by_name["rag"]["differences"])
    shown = runner.invoke(cli, ["techniques", "show", "feedback"])
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.output.split())
    assert "CoCoGen" in text and "differences from the paper:" in text and "history=1" in text
    table = runner.invoke(cli, ["techniques", "list"], terminal_width=400)
    assert table.exit_code == 0 and "follows" in table.output and "differences" in table.output
    assert "SBLLM" in table.output and "profile_guided" in table.output
    missing = runner.invoke(cli, ["techniques", "show", "fedback"])
    assert missing.exit_code == 2 and "did you mean feedback" in missing.output
    assert "Traceback" not in missing.output


# -- feedback: Self-Refine and CoCoGen --------------------------------------------------


def test_a_wrong_draft_is_repaired_until_it_is_correct(harness):
    """Two wrong drafts have the same fitness: the loop repairs on regardless, then refines
    the correct one while it improves (here it does not: the harness does not measure)."""
    h = harness(
        replies=[
            WRONG_FIB,
            DOUBLE_FIB,
            FAST_FIB,
            FAST_FIB.replace("a, b = 0, 1", "a, b = 0, 1  # same"),
        ]
    )
    candidates = run("feedback", h, rounds=5, hotspots=0)
    assert [f.equivalent for f in h.feedbacks] == [False, False, True, True]
    assert [c.round for c in candidates] == [0, 1, 2, 3]
    assert [c.parent_id for c in candidates[:3]] == [None, candidates[0].id, candidates[1].id]
    for prompt, fb in zip(h.prompts[1:3], h.feedbacks[:2], strict=True):
        assert fb.verdict.counterexample is not None
        assert fb.verdict.counterexample.for_prompt() in prompt
        assert "does not behave like the original" in prompt
    assert "behaves like the original" in h.prompts[3]
    assert any("did not improve" in line for line in h.logs)


def test_repairs_run_until_the_rounds_end_when_nothing_is_correct(harness):
    h = harness(replies=[WRONG_FIB, DOUBLE_FIB, WRONG_FIB.replace("return n", "return -n")])
    candidates = run("feedback", h, rounds=2, hotspots=0)
    assert len(candidates) == 3 and not any(f.equivalent for f in h.feedbacks)


def test_error_output_is_a_compiler_style_diagnostic(harness):
    h = harness(replies=[SYNTAX_ERROR_FIB, FAST_FIB])
    run("feedback", h, rounds=1, hotspots=0)
    repair = h.prompts[1]
    assert "error output:" in repair and "SyntaxError" in repair
    assert 'File "candidate.py", line 4' in repair and "^" in repair
    only_verdict = harness(replies=[SYNTAX_ERROR_FIB, FAST_FIB])
    run("feedback", only_verdict, rounds=1, hotspots=0, kinds="verdict")
    assert "error output:" not in only_verdict.prompts[1]
    assert "verdict: error" in only_verdict.prompts[1]


def test_syntax_diagnostic_points_at_the_line():
    report = syntax_diagnostic("x = 1\ny = (2 +\n")
    assert report is not None and "line 2" in report and "SyntaxError" in report
    assert syntax_diagnostic("x = 1\n") is None


def test_feedback_kinds_are_checked():
    assert parse_kinds("hotlines, verdict") == ("verdict", "hotlines")
    with pytest.raises(ValueError, match="unknown feedback kind"):
        create_technique("feedback", kinds="verdict,vibes")


def test_self_refine_critique_is_the_models_own_feedback(harness):
    review = "The loop is fine but line 5 recomputes nothing; use an iterative pair."
    reviews = iter([review, "Looks right. NO FURTHER CHANGES"])

    def reply(messages):
        text = messages[-1].content
        if "Review this attempt" in text:
            return next(reviews)
        return MEMO_FIB if "Review of this attempt" in text else WRONG_FIB

    h = harness(reply_fn=reply)
    candidates = run("feedback", h, rounds=5, kinds="critique", hotspots=0)
    prompts = h.prompts
    # draft, review, refine, review (says stop)
    assert len(prompts) == 4 and len(candidates) == 2
    assert "Review this attempt" in prompts[1] and "return n" in prompts[1]
    assert "verdict:" not in prompts[1] and "verdict:" not in prompts[2]
    assert review in prompts[2] and "Revise the last attempt" in prompts[2]
    assert any("asks for no changes" in line for line in h.logs)
    # the review's call is charged to the refinement it prompted
    assert len(candidates[0].call_ids) == 1 and len(candidates[1].call_ids) == 2


def test_critique_with_a_shown_wrong_verdict_does_not_stop_the_repairs(harness):
    def reply(messages):
        text = messages[-1].content
        if "Review this attempt" in text:
            return "NO FURTHER CHANGES"
        return FAST_FIB if "Attempt 1" in text else WRONG_FIB

    h = harness(reply_fn=reply)
    run("feedback", h, rounds=3, kinds="critique,verdict", hotspots=0)
    assert [f.equivalent for f in h.feedbacks][:2] == [False, True]


def test_history_none_shows_every_earlier_attempt(harness):
    replies = [WRONG_FIB, DOUBLE_FIB, FAST_FIB]
    h = harness(replies=replies)
    run("feedback", h, rounds=2, hotspots=0, history=None)
    assert "Attempt 1 at" in h.prompts[2] and "Attempt 2 at" in h.prompts[2]
    last = harness(replies=replies)
    run("feedback", last, rounds=2, hotspots=0)
    assert "Attempt 1 at" not in last.prompts[2] and "Attempt 2 at" in last.prompts[2]


def test_cocogen_retrieval_on_repair_rounds_only(harness, bundled):
    problem = bundled.get("fib-recursive")
    duplicate = dataclasses.replace(
        problem, id="fib-copy", slow_source="# copy\n" + problem.slow_source
    )
    h = harness(
        problem,
        replies=[WRONG_FIB, MEMO_FIB, MEMO_FIB.replace("maxsize=None", "maxsize=4096")],
        exemplars=[problem, duplicate, *bundled.split("train")],
    )
    technique = create_technique("feedback", rounds=2, hotspots=0, retrieve=2, retriever="bm25")
    assert technique.uses_exemplars
    assert not create_technique("feedback").uses_exemplars
    list(technique.optimize(problem, h.ctx))
    repair, improve = h.prompts[1], h.prompts[2]
    assert "Related optimizations: the 2 slow→fast pairs of the training pool" in repair
    assert "BM25" in repair and repair.count("(similarity ") == 2
    assert "Related optimizations" not in improve  # the attempt was correct: no repair
    assert problem.fast_source is not None
    for prompt in h.prompts:
        assert problem.fast_source.strip() not in prompt


# -- PIE: few_shot, rag, best_of_n -------------------------------------------------------


def test_few_shot_shows_the_same_exemplars_to_every_problem(harness, bundled):
    pool = bundled.split("train")
    shown = []
    for pid in ("count-in-range", "inversion-count"):
        h = harness(pid, reply_fn=lambda m: FAST_FIB, exemplars=pool, seed=hash(pid) % 100)
        (candidate,) = run("few_shot", h, k=2)
        shown.append(candidate.extra["exemplars"])
    assert shown[0] == shown[1] and len(shown[0]) == 2
    assert all(key.split("/")[-1] in {p.id for p in pool} for key in shown[0])


def test_rag_prompt_states_k_and_each_similarity(harness, bundled):
    h = harness("count-in-range", replies=[FAST_FIB], exemplars=bundled.split("train"))
    (candidate,) = run("rag", h, k=3, retriever="bm25")
    prompt = h.prompts[0]
    assert "They are the 3 pairs (k=3) of the training pool most similar to your code" in prompt
    assert "by BM25 score over code tokens" in prompt
    assert prompt.count("(similarity ") == 3
    scores = candidate.extra["scores"]
    assert scores == sorted(scores, reverse=True) and len(candidate.extra["exemplars"]) == 3


def test_best_of_n_samples_as_pie_best_at_k(harness):
    h = harness(replies=[WRONG_FIB, FAST_FIB, OFF_BY_ONE_FIB, MEMO_FIB])
    candidates = run("best_of_n", h, n=4)
    assert create_technique("best_of_n").args["temperature"] == 0.7
    assert h.fake.calls == 1 and len(candidates) == 4
    assert {c.extra["n"] for c in candidates} == {4}
    assert [c.sample for c in candidates] == [0, 1, 2, 3]
    # the report's estimators, from the n stored samples: 2 of 4 correct here
    correct = [0.0, 1.0, 0.0, 1.0]
    assert best_at_k(correct, 2) == pytest.approx(pass_at_k(4, 2, 2))


def test_perf_conditioned_sends_the_training_datas_template(harness):
    h = harness(replies=[FAST_FIB])
    assert len(run("perf_conditioned", h)) == 1
    expected = conditioned_messages(h.ctx.problem, 10, original_score=1)
    assert [(m.role, m.content) for m in h.fake.requests[0]] == [
        (m.role, m.content) for m in expected
    ]
    assert "<score>10/10</score>" in h.prompts[0]


def test_score_buckets_are_pie_percentile_tags():
    tags = score_buckets({"original": 1.0, "a": 2.0, "b": 2.0, "reference": 3.0})
    assert tags == {"original": 3, "a": 8, "b": 8, "reference": 10}
    assert score_buckets({"only": 1.0}) == {"only": 10}
    assert score_bucket(0.01) == 1
    with pytest.raises(ValueError):
        score_bucket(0.0)


# -- search: SBLLM ------------------------------------------------------------------------


def test_sbllm_prompt_carries_selected_versions_patterns_and_go_cot(harness, bundled):
    problem = bundled.get("fib-recursive")
    bounded = [MEMO_FIB.replace("maxsize=None", f"maxsize={size}") for size in (8, 16, 32)]
    replies = iter([WRONG_FIB, MEMO_FIB, DOUBLE_FIB, *bounded])

    h = harness(
        problem,
        reply_fn=lambda m: next(replies),
        exemplars=[problem, *bundled.split("train")],
    )
    technique = create_technique("search", iterations=1, samples=3, beam=2)
    assert technique.uses_exemplars
    made = list(technique.optimize(problem, h.ctx))
    assert [c.round for c in made] == [0, 0, 0, 1, 1, 1]
    prompt = h.prompts[1]
    assert "### Version 1: correct but unoptimized" in prompt  # the harness does not measure
    assert "### Version 2: incorrect" in prompt and "Correct: no (not_equivalent)" in prompt
    assert "Pattern 1 (close to the changes made so far)" in prompt and "Pattern 2" in prompt
    assert "Identify optimization opportunities that none of them uses yet" in prompt
    children = [c for c in made if c.round == 1]
    for child in children:
        assert child.extra["operator"] == "go-cot" and len(child.extra["patterns"]) == 2
        assert child.parent_id == child.extra["parents"][0]
        assert problem.key not in child.extra["patterns"]
    assert problem.fast_source is not None and problem.fast_source.strip() not in prompt


def test_sbllm_selection_is_by_fitness_then_diversity():
    renamed = "def g(m):\n    return m * 2\n"
    members = [
        ("def f(n):\n    return n * 2\n", True, 1.5),
        (renamed, True, 1.4),  # the same abstract form: a duplicate
        ("def f(n):\n    return n + n\n", True, 2.0),
        ("def f(n):\n    return n\n", False, 0.0),
        ("def f(n):\n    return n - 1\n", False, 0.0),
        ("import os\nos.system('x')\nprint(1, 2, 3)\n", False, 0.0),
    ]
    chosen = select_representatives(
        members, code=lambda m: m[0], correct=lambda m: m[1], speedup=lambda m: m[2], keep=5, beam=4
    )
    assert [m[2] for m in chosen[:2]] == [2.0, 1.5]
    assert renamed not in [m[0] for m in chosen]
    assert chosen[-1][0].startswith("import os")  # the least central wrong one comes last
    few = select_representatives(
        members, code=lambda m: m[0], correct=lambda m: m[1], speedup=lambda m: m[2], keep=5, beam=2
    )
    assert all(m[1] for m in few)  # enough correct ones: no incorrect one is shown


def test_sbllm_stops_when_the_selection_no_longer_changes(harness):
    h = harness(reply_fn=lambda m: MEMO_FIB)
    made = list(
        create_technique("search", iterations=4, samples=2, patterns=False).optimize(
            h.ctx.problem, h.ctx
        )
    )
    assert len(made) == 1 and h.fake.calls == 2
    assert any("changed no selected version" in line for line in h.logs)


# -- profile_guided ---------------------------------------------------------------------


def test_profile_guided_answers_the_request_with_the_originals_line_profile(harness):
    def reply(messages):
        return "PROFILE" if len(messages) == 2 else MEMO_FIB

    h = harness(reply_fn=reply)
    (candidate,) = run("profile_guided", h, trace_s=1.0, hotspots=3)
    request, proposal = h.fake.requests
    assert "reply with exactly the word PROFILE" in request[-1].content
    assert [m.role for m in proposal] == ["system", "user", "assistant", "user"]
    profile = proposal[-1].content
    assert "Line profile of the original" in profile and "return fib(n - 1) + fib(n - 2)" in profile
    assert candidate.extra["profile"] == "requested" and len(candidate.call_ids) == 2
    assert h.evaluated == []  # rounds=0: the run verifies and measures it


def test_profile_guided_declined_given_and_revised(harness):
    declined = harness(replies=[MEMO_FIB])
    (candidate,) = run("profile_guided", declined)
    assert candidate.extra["profile"] == "declined" and declined.fake.calls == 1
    given = harness(replies=[WRONG_FIB, FAST_FIB])
    candidates = run("profile_guided", given, tool_call=False, rounds=1, trace_s=1.0)
    first, second = given.fake.requests
    assert "Line profile of this code" in first[-1].content
    assert "verdict: not_equivalent" in second[-1].content and len(second) == 4
    assert [c.extra["profile"] for c in candidates] == ["given", "given"]
    assert candidates[1].parent_id == candidates[0].id


# -- no technique shows the problem's own fast version -----------------------------------

MODEL_TECHNIQUES = [
    ("zero_shot", {}),
    ("cot", {}),
    ("perf_conditioned", {}),
    ("few_shot", {"k": 4}),
    ("rag", {"k": 4, "retriever": "bm25"}),
    ("best_of_n", {"n": 2}),
    ("feedback", {"rounds": 2, "retrieve": 3, "retriever": "bm25", "hotspots": 0}),
    ("feedback", {"rounds": 1, "kinds": "critique", "hotspots": 0}),
    ("search", {"iterations": 1, "samples": 2}),
    ("evolve", {"generations": 1, "population": 2}),
    ("profile_guided", {"trace_s": 0.5, "rounds": 1}),
]


@pytest.mark.parametrize(("name", "args"), MODEL_TECHNIQUES)
def test_no_prompt_shows_the_problems_own_fast_version(harness, bundled, name, args):
    problem = bundled.get("fib-recursive")
    twin = dataclasses.replace(
        problem, id="fib-twin", slow_source=problem.slow_source.replace("fib", "fib ")
    )
    replies = iter([WRONG_FIB, "PROFILE", MEMO_FIB] * 6)
    h = harness(
        problem, reply_fn=lambda m: next(replies), exemplars=[problem, twin, *bundled.problems]
    )
    run(name, h, **args)
    assert h.prompts
    assert problem.fast_source is not None
    fast = problem.fast_source.strip()
    for prompt in h.prompts:
        assert fast not in prompt and "a, b = b, a + b" not in prompt


# -- end to end through the run ------------------------------------------------------------


@pytest.mark.slow
def test_every_technique_runs_end_to_end_with_a_fake_model(tmp_path):
    """Every technique through ``optbench run`` with a scripted model whose replies fail at
    the parser, so candidates get verdicts without measurements: seconds, not minutes."""
    script = tmp_path / "replies.json"
    script.write_text(json.dumps(["```python\ndef count_in_ranges(:\n    pass\n```"] * 300))
    techniques = ",".join(
        [
            "zero_shot", "few_shot", "cot", "perf_conditioned", "rag(retriever='bm25')",
            "best_of_n(n=2)", "feedback(rounds=1,retrieve=1,retriever='bm25')",
            "feedback(rounds=1,kinds='critique,verdict,error')", "search(iterations=1,samples=2)",
            "evolve(generations=1,population=2)", "profile_guided(tool_call=False,trace_s=0.5)",
        ]
    )  # fmt: skip
    db = tmp_path / "all.db"
    result = CliRunner().invoke(
        cli,
        [
            "run", "--technique", techniques, "--model", f"fake:{script}",
            "--problems", "count-in-range", "--profile", "smoke", "--examples", "10",
            "--db", f"sqlite:///{db}",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from optbench.store import open_store

    with open_store(f"sqlite:///{db}") as store:
        (run_row,) = store.list_runs()
        assert run_row.status == "finished"
        rows = store.candidates(run_row.id)
        labels = {r.technique.split("(")[0] for r in rows}
        assert labels == {
            "zero_shot", "few_shot", "cot", "perf_conditioned", "rag", "best_of_n",
            "feedback", "search", "evolve", "profile_guided",
        }  # fmt: skip
        assert all(r.verdict_status == "error" for r in rows)
        calls = store.model_calls(run_row.id)
        assert all(call.candidate_id is not None for call in calls)
        texts = ["\n".join(m["content"] for m in call.messages) for call in calls]
        assert any("Review this attempt" in t for t in texts)  # Self-Refine's feedback step
        assert any("error output:" in t and "SyntaxError" in t for t in texts)
        assert any("Related optimizations" in t for t in texts)  # CoCoGen retrieval
        assert any("Existing versions of this code" in t for t in texts)  # SBLLM GO-COT
        assert any("Line profile of this code" in t for t in texts)
