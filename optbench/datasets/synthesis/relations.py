"""Relations between the numbers of an input: constraints a statement states and a
grammar of independent ranges cannot (``M <= N^2``, ``K <= b_1 + ... + b_N``,
``Y + 2Z <= X``, every gap of a sorted list ``<= L``).

A relation is inferred in the manner of Daikon's invariants, with the original (and,
where there is one, the reference) as the judge of whether it matters:

1. candidates ``t <= e`` and ``t >= e`` are formed for each top-level int ``t`` that
   counts nothing, against other top-level ints, their squares, pair counts, products
   and small linear combinations, and aggregates of top-level lists (sum, max, largest
   gap of a sorted list) and of the columns of top-level blocks (sum);
2. only those every given test satisfies are kept;
3. inputs are sampled without relations, and each is *in trouble* when the original
   rejects it or the reference answers otherwise (two accepted solutions that disagree
   say the input breaks a constraint, the filter CodeContests applies to generated
   tests);
4. the candidate whose violations hold the most troubled inputs is adopted when a
   one-sided hypergeometric test says troubles concentrate on its violations
   (:data:`EVIDENCE`); the inputs it rules out are dropped and the step repeats.

An adopted relation is written into ``inputs.py`` as a repair applied after the whole
input is drawn (``K = min(K, sum(seen_b))``): ``t`` counts nothing, so changing it
changes no structure. A relation that holds in the given tests by chance and explains no
trouble is never adopted, so an input is narrowed only where the problem's own solutions
show it must be.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from optbench.datasets.synthesis.grammar import (
    Block,
    IntToken,
    Line,
    Segment,
    referenced,
)
from optbench.datasets.synthesis.infer import split_lines

EVIDENCE = 0.01
"""Largest p-value (one-sided hypergeometric: troubles among a candidate's violations,
given all troubles among all samples) at which a relation is adopted."""
MIN_EXPLAINED = 2
"""Troubled inputs a relation must rule out to be adopted."""
MAX_RELATIONS = 3
SAMPLES = 40
"""Hypothesis draws, and as many seeded ones, judged when looking for relations."""


@dataclass(frozen=True)
class Relation:
    """``var op expr``: ``op`` is ``<=`` or ``>=``, ``expr`` Python over earlier names."""

    var: str
    op: str
    expr: str

    def code(self) -> str:
        return f"{self.var} {self.op} {self.expr}"

    def repair(self) -> str:
        """The statement that makes a drawn input satisfy the relation."""
        fix = "min" if self.op == "<=" else "max"
        return f"{self.var} = {fix}({self.var}, {self.expr})"


def max_gap(values: Iterable[int]) -> int:
    """The largest difference between neighbours (0 for fewer than two values)."""
    items = list(values)
    return max((b - a for a, b in itertools.pairwise(items)), default=0)


HELPERS: dict[str, Any] = {"max_gap": max_gap}


# -- reading an input against a grammar -------------------------------------------------


def list_name(index: int) -> str:
    """The variable holding the list that ends top-level segment ``index``."""
    return f"values_{index}"


def column_name(name: str) -> str:
    """The variable collecting a top-level block's int ``name`` over its repetitions."""
    return f"seen_{name}"


class _Misfit(Exception):
    pass


def bind(grammar: list[Segment], text: str) -> dict[str, Any] | None:
    """The top-level ints of ``text`` read by ``grammar``, its top-level int lists (as
    :func:`list_name`) and its top-level blocks' int columns (as :func:`column_name`);
    None when the text does not fit."""
    rows = split_lines(text)
    env: dict[str, Any] = {}
    try:
        position = 0
        for index, segment in enumerate(grammar):
            if isinstance(segment, Line):
                position = _line(segment, rows, position, env, index)
            else:
                columns = {
                    s.name: env.setdefault(column_name(s.name), [])
                    for line in segment.body
                    if isinstance(line, Line)
                    for s in line.scalars
                    if isinstance(s.token, IntToken)
                }
                position = _block(segment, rows, position, dict(env), columns)
        return env
    except (_Misfit, IndexError, ValueError):
        return None


def _line(line: Line, rows: list[list[str]], at: int, env: dict[str, Any], index: int) -> int:
    row = rows[at]
    width = len(line.scalars)
    if len(row) < width or (line.tail is None and len(row) != width):
        raise _Misfit
    for scalar, token in zip(line.scalars, row, strict=False):
        if isinstance(scalar.token, IntToken):
            env[scalar.name] = int(token)
    if line.tail is not None:
        tail = row[width:]
        if line.tail.count is not None and len(tail) != line.tail.count.of(env):
            raise _Misfit
        if isinstance(line.tail.token, IntToken):
            env[list_name(index)] = [int(t) for t in tail]
    return at + 1


def _block(
    block: Block,
    rows: list[list[str]],
    at: int,
    env: dict[str, Any],
    columns: dict[str, list[int]],
) -> int:
    reps = block.count.of(env) if block.count is not None else None
    done = 0
    while True:
        if reps is not None and done >= max(0, reps):
            return at
        if reps is None and at < len(rows) and " ".join(rows[at]) == block.sentinel:
            return at + 1
        local = dict(env)
        for part in block.body:
            if isinstance(part, Line):
                at = _line(part, rows, at, local, -1)
                for name, seen in columns.items():
                    if name in local and any(s.name == name for s in part.scalars):
                        seen.append(local[name])
            else:
                at = _block(part, rows, at, local, {})
        done += 1


# -- candidates ---------------------------------------------------------------------------


def _top_ints(grammar: list[Segment]) -> list[str]:
    return [
        s.name
        for segment in grammar
        if isinstance(segment, Line)
        for s in segment.scalars
        if isinstance(s.token, IntToken)
    ]


def _aggregates(grammar: list[Segment]) -> list[str]:
    found: list[str] = []
    for index, segment in enumerate(grammar):
        if isinstance(segment, Line):
            tail = segment.tail
            if tail is not None and isinstance(tail.token, IntToken):
                found += [f"sum({list_name(index)})", f"max({list_name(index)}, default=0)"]
                if tail.order in ("sorted", "increasing"):
                    found.append(f"max_gap({list_name(index)})")
        else:
            preset: set[str] = set()
            if segment.graph is not None:
                first = segment.body[0]
                if isinstance(first, Line):
                    preset = {s.name for s in first.scalars[:2]}
            for line in segment.body:
                if isinstance(line, Line):
                    found += [
                        f"sum({column_name(s.name)})"
                        for s in line.scalars
                        if isinstance(s.token, IntToken) and s.name not in preset
                    ]
    return found


def candidates(grammar: list[Segment]) -> list[Relation]:
    """Every relation considered, before the given tests filter them."""
    ints = _top_ints(grammar)
    counting = referenced(grammar)
    aggregates = _aggregates(grammar)
    found: list[Relation] = []
    for var in ints:
        if var in counting:
            continue
        others = [u for u in ints if u != var]
        exprs: list[str] = list(others)
        exprs += [f"{u} * {u}" for u in others]
        exprs += [f"{u} * ({u} - 1) // 2" for u in others]
        for u, v in itertools.combinations(others, 2):
            exprs += [f"{u} * {v}", f"{u} + {v}", f"2 * {u} + {v}", f"{u} + 2 * {v}"]
        exprs += aggregates
        found += [Relation(var, op, expr) for expr in exprs for op in ("<=", ">=")]
    return found


Check = Callable[[dict[str, Any]], bool | None]


def _checker(relation: Relation) -> Check:
    """Whether an input's bindings satisfy ``relation``; None when it cannot say."""
    code = compile(relation.code(), "<relation>", "eval")

    def check(env: dict[str, Any]) -> bool | None:
        try:
            return bool(eval(code, HELPERS, env))
        except Exception:
            return None

    return check


# -- choosing by trouble ----------------------------------------------------------------


@dataclass
class Sample:
    env: dict[str, Any]
    trouble: bool
    """The original rejects it, or the reference answers otherwise."""


def tail_probability(total: int, troubled: int, drawn: int, hits: int) -> float:
    """P(X >= hits) for X hypergeometric: ``drawn`` of ``total`` items, ``troubled`` of
    them marked."""
    denominator = math.comb(total, drawn)
    upper = min(drawn, troubled)
    return (
        sum(
            math.comb(troubled, k) * math.comb(total - troubled, drawn - k)
            for k in range(hits, upper + 1)
        )
        / denominator
    )


def hold(grammar: list[Segment], given: list[str]) -> list[tuple[Relation, Check]]:
    """The candidate relations every given test satisfies, each with its check."""
    envs = [bind(grammar, text) for text in given]
    if not envs or any(env is None for env in envs):
        return []
    kept: list[tuple[Relation, Check]] = []
    for relation in candidates(grammar):
        check = _checker(relation)
        if all(check(env) is True for env in envs if env is not None):
            kept.append((relation, check))
    return kept


def select(holding: list[tuple[Relation, Check]], samples: list[Sample]) -> list[Relation]:
    """Of the relations the given tests all satisfy (:func:`hold`), those whose violations
    hold the troubled samples (see the module's docstring)."""
    kept = list(holding)
    chosen: list[Relation] = []
    pool = list(samples)
    while kept and len(chosen) < MAX_RELATIONS:
        troubled = sum(s.trouble for s in pool)
        if troubled < MIN_EXPLAINED:
            break
        best: tuple[tuple[int, int], Relation, list[bool | None]] | None = None
        for relation, check in kept:
            verdicts = [check(s.env) for s in pool]
            broken = [s for s, ok in zip(pool, verdicts, strict=True) if ok is False]
            hits = sum(s.trouble for s in broken)
            if hits < MIN_EXPLAINED:
                continue
            if tail_probability(len(pool), troubled, len(broken), hits) > EVIDENCE:
                continue
            key = (hits, -len(broken))
            if best is None or key > best[0]:
                best = (key, relation, verdicts)
        if best is None:
            break
        _, relation, verdicts = best
        chosen.append(relation)
        pool = [s for s, ok in zip(pool, verdicts, strict=True) if ok is not False]
        # one repair per number, and none that a later repair could undo
        fixed = {r.var for r in chosen}
        used = set().union(*(names(r.expr) for r in chosen))
        kept = [
            (r, c)
            for r, c in kept
            if r.var not in fixed and r.var not in used and not names(r.expr) & fixed
        ]
    return chosen


def names(expr: str) -> set[str]:
    """The variables an expression reads."""
    return set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", expr)) - set(HELPERS) - BUILTINS


BUILTINS = {"sum", "max", "default"}
"""Names in a relation's expression that are not variables of the input."""
