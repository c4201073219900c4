"""SBLLM's code abstraction, representative sample selection and adaptive optimization-pattern
retrieval (Gao et al., "Search-Based LLMs for Code Optimization", ICSE 2025).

* :func:`abstract_code` — identifiers that are not builtins become ``VAR``, string constants
  ``STR`` and numbers ``NUM``, so two candidates that differ only in names and literals are
  one (SBLLM's deduplication and the space its retrieval works in).
* :func:`select_representatives` — correct candidates by speedup, without abstract duplicates;
  when they are fewer than the beam, incorrect ones follow, the most central first (smallest
  total distance to the other incorrect ones): fitness and diversity.
* :class:`PatternRetriever` — over the training pool's slow→fast pairs: BM25 similarity of the
  abstracted slow code to the problem, plus, per selected candidate, BM25 similarity of the
  pool pairs' edits (removed and added lines) to the candidate's edit of the original; scores
  above the median make the *similar* pattern, below it the *dissimilar* one. A pattern is the
  pair's diff (``-``/``+`` lines).

Only code is parsed here (``ast``); nothing runs.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from optbench.core.problem import Problem
from optbench.techniques.retrieval import PairRetriever, pairs_from_problems

_BUILTINS = frozenset(dir(builtins))
T = TypeVar("T")


class _Abstractor(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id not in _BUILTINS:
            node.id = "VAR"
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg = "VAR"
        node.annotation = None
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        self.generic_visit(node)
        node.name = "VAR"
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            return ast.copy_location(ast.Constant("STR"), node)
        if isinstance(node.value, int | float | complex) and not isinstance(node.value, bool):
            return ast.copy_location(ast.Name("NUM"), node)
        return node


def abstract_code(source: str) -> str:
    """``source`` with names, strings and numbers abstracted; the source itself (whitespace
    collapsed) when it does not parse."""
    try:
        tree = ast.parse(source)
        return ast.unparse(_Abstractor().visit(tree))
    except (SyntaxError, ValueError, RecursionError):
        return "\n".join(" ".join(line.split()) for line in source.splitlines() if line.strip())


def abstract_tokens(source: str) -> list[str]:
    return abstract_code(source).split()


def edit_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed from ``before`` and added in ``after`` (a line diff)."""
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    removed, added = [], []
    for line in diff:
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def pattern_text(slow: str, fast: str) -> str:
    """A pair's optimization as the ``-``/``+`` lines of its diff."""
    diff = difflib.ndiff(slow.strip("\n").splitlines(), fast.strip("\n").splitlines())
    return "\n".join(line.rstrip() for line in diff if line.startswith(("- ", "+ ")))


def distance(a: str, b: str) -> float:
    """1 - the similarity ratio of two abstracted token sequences (0 for equal code)."""
    return 1.0 - difflib.SequenceMatcher(None, abstract_tokens(a), abstract_tokens(b)).ratio()


def select_representatives(
    members: Sequence[T],
    *,
    code: Callable[[T], str],
    correct: Callable[[T], bool],
    speedup: Callable[[T], float],
    keep: int,
    beam: int,
) -> list[T]:
    """SBLLM's selection: correct members by speedup (best first), one per abstract form;
    then, when fewer than ``beam``, incorrect ones, the most central first. At most ``keep``."""
    right = sorted((m for m in members if correct(m)), key=lambda m: -speedup(m))
    wrong = [m for m in members if not correct(m)]
    chosen: list[T] = []
    seen: set[str] = set()
    for member in right:
        form = abstract_code(code(member))
        if form not in seen:
            seen.add(form)
            chosen.append(member)
    if len(chosen) < beam and wrong:
        totals = [sum(distance(code(m), code(o)) for o in wrong if o is not m) for m in wrong]
        order = sorted(range(len(wrong)), key=lambda i: (totals[i], i))
        chosen.extend(wrong[i] for i in order)
    return chosen[:keep]


class _Okapi:
    """BM25 (k1=1.5, b=0.4 as SBLLM's code) over token lists."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.4) -> None:
        self.k1, self.b = k1, b
        self.docs = [Counter(d) for d in docs]
        self.lengths = [len(d) for d in docs]
        self.avg = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        df: Counter[str] = Counter()
        for doc in self.docs:
            df.update(doc.keys())
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: Sequence[str]) -> list[float]:
        terms = Counter(query)
        out = []
        for doc, length in zip(self.docs, self.lengths, strict=True):
            norm = self.k1 * (1 - self.b + self.b * length / (self.avg or 1.0))
            out.append(
                sum(
                    q * self.idf[t] * doc[t] * (self.k1 + 1) / (doc[t] + norm)
                    for t, q in terms.items()
                    if doc.get(t)
                )
            )
        return out


def _normalise(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    return [(v - low) / (high - low) if high > low else 0.0 for v in values]


@dataclass(frozen=True)
class Pattern:
    key: str
    kind: str
    """``similar`` or ``dissimilar`` to the edits the selected candidates made."""
    text: str


class PatternRetriever:
    """Adaptive optimization-pattern retrieval over a training pool (see the module doc)."""

    def __init__(self, pool: Sequence[Problem]) -> None:
        self.pairs = pairs_from_problems(pool)
        self._guard = PairRetriever(self.pairs)
        abstracted = [(abstract_code(p.slow), abstract_code(p.fast)) for p in self.pairs]
        self._code = _Okapi([slow.split() for slow, _ in abstracted])
        edits = [edit_lines(slow, fast) for slow, fast in abstracted]
        self._removed = _Okapi([" ".join(r).split() for r, _ in edits])
        self._added = _Okapi([" ".join(a).split() for _, a in edits])

    def retrieve(self, problem: Problem, selected: Sequence[str]) -> list[Pattern]:
        """The similar and the dissimilar pattern for ``problem`` given the selected
        candidates' code; never a pair of the problem itself or a near-duplicate of it."""
        allowed = self._guard.allowed(problem)
        if not allowed:
            return []
        original = abstract_code(problem.slow_source)
        base = _normalise(self._code.scores(original.split()))
        similar, dissimilar = list(base), list(base)
        for code in selected:
            removed, added = edit_lines(original, abstract_code(code))
            edit = [
                r + a
                for r, a in zip(
                    self._removed.scores(" ".join(removed).split()),
                    self._added.scores(" ".join(added).split()),
                    strict=True,
                )
            ]
            if max(edit) - min(edit) <= 0:
                continue
            edit = _normalise(edit)
            median = sorted(edit)[len(edit) // 2]
            for i, value in enumerate(edit):
                similar[i] += (value if value >= median else 0.0) / len(selected)
                dissimilar[i] += (max(edit) - value if value <= median else 0.0) / len(selected)
        first = max(allowed, key=lambda i: (similar[i], -i))
        rest = [i for i in allowed if i != first] or [first]
        second = max(rest, key=lambda i: (dissimilar[i], -i))
        out = [Pattern(self.pairs[first].key, "similar", pattern_text(*self._pair(first)))]
        if second != first:
            out.append(
                Pattern(self.pairs[second].key, "dissimilar", pattern_text(*self._pair(second)))
            )
        return out

    def _pair(self, i: int) -> tuple[str, str]:
        return self.pairs[i].slow, self.pairs[i].fast
