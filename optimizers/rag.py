"""``rag``: retrieval-augmented prompting with the ``k`` most similar slow→fast pairs.

PIE's dynamic retrieval (Shypula et al., 2024) and FasterPy (2025): the examples shown are
the knowledge-base pairs whose slow code is most similar to the problem's, so they carry
optimizations that apply to it. The knowledge base is the context's retriever when the runner
provides one (a dataset's pairs, a store's verified speedups), else one built over
``ctx.exemplars`` (the run's retrieval pool, already clear of every evaluated problem and its
near-duplicates). Whatever the retriever, pairs equal to the problem or near-duplicates of it
are never returned (:meth:`PairRetriever.allowed`), and copies are dropped here too. Arguments:

* ``k`` — number of retrieved examples.
* ``retriever`` — ``context`` (the runner's, falling back to BM25 over the exemplars),
  ``bm25`` or ``embedding`` (all-MiniLM-L6-v2) over ``ctx.exemplars``.
* ``temperature``, ``samples``, ``max_new_tokens`` — sampling.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, technique
from optbench.techniques.prompting import describe_problem, render, render_examples
from optbench.techniques.registry import Technique
from optbench.techniques.retrieval import (
    PairRetriever,
    make_retriever,
    pairs_from_problems,
    source_hash,
)
from optimizers._prompting import ask

RETRIEVER_CHOICES = ("context", "bm25", "embedding")
_BUILT: dict[tuple[str, tuple[str, ...]], PairRetriever] = {}


def exemplar_retriever(kind: str, exemplars: Sequence[Problem]) -> PairRetriever:
    """A retriever over the exemplars' pairs, built once per (kind, exemplar set)."""
    key = (kind, tuple(sorted(f"{p.key}:{p.content_hash}" for p in exemplars)))
    if key not in _BUILT:
        _BUILT[key] = make_retriever(kind, pairs_from_problems(exemplars))
    return _BUILT[key]


@technique(
    "rag",
    family="retrieval",
    summary="Dynamic retrieval of the k most similar slow→fast pairs (BM25 or MiniLM embeddings).",
    citation="Shypula et al. 2024 (PIE dynamic retrieval); FasterPy 2025",
)
class Rag(Technique):
    uses_exemplars = True

    def __init__(
        self,
        k: int = 2,
        retriever: str = "context",
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

    def retrieve(self, problem: Problem, ctx: Context) -> list[tuple[str, str]]:
        if self.retriever == "context" and ctx.retriever is not None:
            retriever = ctx.retriever
        else:
            kind = "bm25" if self.retriever == "context" else self.retriever
            retriever = exemplar_retriever(kind, ctx.exemplars)
        own = source_hash(problem.slow_source)
        pairs = retriever.retrieve(problem, self.k + 2)
        kept = [
            (slow, fast)
            for slow, fast in pairs
            if source_hash(slow) != own and source_hash(fast) != own
        ]
        return kept[: self.k]

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        pairs = self.retrieve(problem, ctx)
        if not pairs:
            ctx.log("rag: the knowledge base returned no example")
        prompt = render("rag", examples=render_examples(pairs), problem=describe_problem(problem))
        yield from ask(
            ctx,
            problem,
            prompt,
            temperature=self.temperature,
            max_new_tokens=self.max_new_tokens,
            n=self.samples,
            extra={"retrieved": len(pairs)},
        )
