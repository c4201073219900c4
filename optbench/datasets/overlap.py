"""Overlap between problems: the same problem, a copy of its code, or a near-duplicate.

What a technique retrieves examples from and what a model is trained on must be disjoint
from the problems under evaluation: showing a model the reference fast version of the
problem it is asked to optimize (or of a near-copy of it) measures recall, not
optimization. :class:`OverlapGuard` holds the evaluated problems and says why another
problem overlaps them:

* ``id`` — the same problem id (the same problem in another dataset or version);
* ``copy`` — a slow or fast source equal to one of theirs once comments, docstrings and
  layout are normalised away (:func:`code_hash`);
* ``near-duplicate`` — a slow source, or a fast source, whose :func:`similarity` with the
  same source of an evaluated problem is at least :data:`NEAR_DUPLICATE`.

:func:`similarity` is the Jaccard index of the sets of :data:`SHINGLE`-token shingles of
the two sources' normalised token streams (:func:`code_shape`): comments and layout are
dropped, string literals become one placeholder, and every identifier that is not a
keyword, a builtin or an attribute name becomes one placeholder, so a copy with its
variables renamed scores 1.0. On the bundled dataset a renamed copy with one statement
added and another rewritten scores at least 0.76, while pairs of distinct problems score
at most 0.67 (``inversion-count`` and ``pair-sum-count``, whose slow versions are the same
double loop) and 99% of them below 0.37; :data:`NEAR_DUPLICATE` = 0.5 sits between.

Textual similarity does not see two problems that solve the same task written differently
(a running median as a function and as a stdin program): a dataset's splits keep such
families on one side by hand (``[splits]`` in ``dataset.toml``).
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import io
import keyword
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from optbench.core.problem import Problem

SHINGLE = 4
"""Tokens per shingle."""
NEAR_DUPLICATE = 0.5
"""Similarity at or above which two sources are near-duplicates."""

_BUILTINS = frozenset(dir(builtins))
_SKIPPED = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER})
_STRUCTURE = {tokenize.NEWLINE: ";", tokenize.INDENT: "{", tokenize.DEDENT: "}"}
_FALLBACK = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+|\S")


def normalise_code(code: str) -> str:
    """The code parsed and unparsed without docstrings (comments and layout go with the
    round trip); code that does not parse: its whitespace-collapsed text."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError):
        return re.sub(r"\s+", " ", code).strip()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and len(body) > 1
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            del body[0]
    try:
        return ast.unparse(tree)
    except RecursionError:
        return re.sub(r"\s+", " ", code).strip()


@lru_cache(maxsize=8192)
def code_hash(code: str) -> str:
    """SHA-256 of :func:`normalise_code`: equal for code that differs only in comments,
    docstrings and layout."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def code_shape(source: str) -> tuple[str, ...]:
    """The normalised token stream :func:`similarity` compares (see the module docstring)."""
    out: list[str] = []
    previous = ""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in _SKIPPED:
                continue
            if token.type in _STRUCTURE:
                text = _STRUCTURE[token.type]
            elif token.type == tokenize.STRING:
                text = "S"
            elif token.type == tokenize.NAME:
                name = token.string
                keep = keyword.iskeyword(name) or name in _BUILTINS or previous == "."
                text = name if keep else "_"
            else:
                text = token.string
            out.append(text)
            previous = token.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        # not Python (or cut off): a plain split keeps the comparison meaningful
        return tuple(
            "_" if t[0].isalpha() and t not in _BUILTINS and not keyword.iskeyword(t) else t
            for t in _FALLBACK.findall(source)
        )
    return tuple(out)


@lru_cache(maxsize=4096)
def shingles(source: str) -> frozenset[tuple[str, ...]]:
    """The set of :data:`SHINGLE`-token windows of :func:`code_shape` (one window when the
    code is shorter)."""
    tokens = code_shape(source)
    if len(tokens) <= SHINGLE:
        return frozenset({tokens})
    return frozenset(tokens[i : i + SHINGLE] for i in range(len(tokens) - SHINGLE + 1))


def jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 1.0


def similarity(a: str, b: str) -> float:
    """Near-duplicate similarity of two sources, 0.0 (nothing shared) to 1.0 (the same code
    up to comments, layout, string literals and names)."""
    return jaccard(shingles(a), shingles(b))


@dataclass(frozen=True)
class Overlap:
    """Why a problem overlaps an evaluated one."""

    reason: str
    """``id``, ``copy`` or ``near-duplicate``."""
    evaluated: str
    """The evaluated problem's id."""
    score: float = 1.0

    def __str__(self) -> str:
        if self.reason == "near-duplicate":
            return f"near-duplicate of {self.evaluated} (similarity {self.score:.2f})"
        return f"{'same id as' if self.reason == 'id' else 'copy of'} {self.evaluated}"


@dataclass
class _Evaluated:
    id: str
    slow: frozenset[tuple[str, ...]] | None
    fast: frozenset[tuple[str, ...]] | None


@dataclass
class OverlapGuard:
    """The problems under evaluation; :meth:`overlap` says whether another problem is one of
    them, a copy of one, or a near-duplicate of one."""

    threshold: float = NEAR_DUPLICATE
    ids: set[str] = field(default_factory=set)
    hashes: dict[str, str] = field(default_factory=dict)
    """Normalised hash of every slow and fast source → the evaluated problem's id."""
    evaluated: list[_Evaluated] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ids or self.hashes)

    def __len__(self) -> int:
        return len(self.ids)

    def add(
        self, problem_id: str | None, slow_source: str | None, fast_source: str | None = None
    ) -> None:
        """An evaluated problem, by whichever of its id and sources are known."""
        label = problem_id or f"<source {len(self.evaluated) + 1}>"
        if problem_id:
            self.ids.add(problem_id)
        for source in (slow_source, fast_source):
            if source:
                self.hashes.setdefault(code_hash(source), label)
        if slow_source or fast_source:
            self.evaluated.append(
                _Evaluated(
                    label,
                    shingles(slow_source) if slow_source else None,
                    shingles(fast_source) if fast_source else None,
                )
            )

    def add_problems(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem.id, problem.slow_source, problem.fast_source)

    def overlap(self, problem: Problem) -> Overlap | None:
        return self.overlap_sources(problem.id, problem.slow_source, problem.fast_source)

    def overlap_sources(
        self, problem_id: str | None, slow_source: str, fast_source: str | None = None
    ) -> Overlap | None:
        """The first reason found (id, then copy, then the most similar near-duplicate)."""
        if problem_id and problem_id in self.ids:
            return Overlap("id", problem_id)
        for source in (slow_source, fast_source):
            if source and (match := self.hashes.get(code_hash(source))) is not None:
                return Overlap("copy", match)
        best = self.closest(slow_source, fast_source)
        if best is not None and best.score >= self.threshold:
            return best
        return None

    def closest(self, slow_source: str, fast_source: str | None = None) -> Overlap | None:
        """The evaluated problem most similar to these sources (slow against slow, fast
        against fast), as a ``near-duplicate`` overlap whatever its score."""
        slow = shingles(slow_source)
        fast = shingles(fast_source) if fast_source else None
        best: Overlap | None = None
        for other in self.evaluated:
            scores = [jaccard(slow, other.slow)] if other.slow is not None else []
            if fast is not None and other.fast is not None:
                scores.append(jaccard(fast, other.fast))
            if scores and (best is None or max(scores) > best.score):
                best = Overlap("near-duplicate", other.id, max(scores))
        return best


@dataclass
class GuardedPool:
    """A pool of problems with everything overlapping the evaluated problems removed."""

    kept: list[Problem]
    dropped: dict[str, list[str]] = field(default_factory=dict)
    """Reason (``id``, ``copy``, ``near-duplicate``) → the dropped problems' ids."""

    @property
    def dropped_count(self) -> int:
        return sum(len(ids) for ids in self.dropped.values())

    def summary(self) -> dict[str, int]:
        return {reason: len(ids) for reason, ids in sorted(self.dropped.items())}


def guard_pool(pool: Iterable[Problem], guard: OverlapGuard) -> GuardedPool:
    """The pool's problems that do not overlap the guard's evaluated problems."""
    result = GuardedPool(kept=[])
    for problem in pool:
        found = guard.overlap(problem)
        if found is None:
            result.kept.append(problem)
        else:
            result.dropped.setdefault(found.reason, []).append(problem.id)
    return result
