"""Inferring a :mod:`grammar <optbench.datasets.synthesis.grammar>` from given inputs.

The given inputs are read side by side, top to bottom. At each point the search tries,
in this order, explanations of what comes next that hold in *every* given input:

1. a block repeated until a sentinel line: every input ends with the same line of
   zeros (``0``, ``0 0``) or one word (``END``, ``#``), and what comes before it splits
   into repetitions of one to three lines that share a grammar;
2. a counted block: an earlier int ``n`` (or ``n - 1``: the edges of a tree) says how
   many repetitions of one to three lines follow;
3. a line ending in a counted list: its length is an earlier int or one read earlier
   on the same line (``id k v1 .. vk``), once or twice over (``n`` pairs on one line),
   or one less;
4. a line with a fixed number of tokens;
5. a line of a varying number of tokens that nothing counts (a sentence).

It backtracks when an explanation leaves the rest unexplained, and yields complete
grammars in that order of preference; the original program decides between them (see
:mod:`optbench.datasets.synthesis.narrow`).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from optbench.datasets.synthesis.grammar import (
    Block,
    CountRef,
    Graph,
    IntToken,
    Line,
    Scalar,
    Segment,
    TokenList,
    referenced,
)
from optbench.datasets.synthesis.tokens import Env, infer_token, is_int

MAX_BLOCK_LINES = 3
"""Lines in one repetition of a block."""
SEARCH_STEPS = 30_000
"""Explanations tried before the search gives up (given inputs are small; a grammar
that takes longer to find is not one a reviewer could follow either)."""
NAMES = "nmkabcefghjpqrstuvwxyz"
CANDIDATES = 300
"""Complete grammars compared (by :func:`complexity`) before the simplest are kept."""
TAILS = 3
"""Ways to explain the rest tried after each explanation of what comes first."""
BODY_CANDIDATES = 8
"""...and grammars compared for the body of each block."""
FREE_LIST_COST = 10
LONG_LINE = 4


@dataclass
class Instance:
    """Lines still to explain in one given input (or one repetition of a block), with
    the ints read so far."""

    lines: list[list[str]]
    env: Env


def split_lines(text: str) -> list[list[str]]:
    """Tokens of each line (trailing blank lines dropped)."""
    lines = [line.split() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def infer_grammars(inputs: list[str], limit: int = 3) -> list[list[Segment]]:
    """Up to ``limit`` grammars every one of ``inputs`` fits, the most specific first."""
    search = _Search()
    instances = [Instance(split_lines(text), {}) for text in inputs]
    if not instances or all(not inst.lines for inst in instances):
        return []
    found = list(itertools.islice(search.sequence(instances, top=True), CANDIDATES))
    found.sort(key=complexity)  # stable: ties keep the order of preference
    # alternatives share the segments they have in common: copy before marking
    kept = [copy.deepcopy(grammar) for grammar in found[:limit]]
    for grammar in kept:
        _mark_sizes(grammar)
    return kept


def complexity(grammar: list[Segment]) -> int:
    """Lower is simpler: a list that nothing counts costs most, then a count that is
    shifted (``n - 1``) or doubled, which a coincidence explains more often than a
    plain ``n``."""
    cost = 0
    for segment in grammar:
        if isinstance(segment, Block):
            cost += complexity(segment.body) + _ref_cost(segment.count)
        elif segment.tail is None:
            # a long fixed line is more often a list whose count matched by chance
            cost += max(0, len(segment.scalars) - LONG_LINE)
        elif segment.tail.count is None:
            cost += FREE_LIST_COST
        elif segment.tail is not None:
            # a counted list after many tokens is a fixed line read as one by chance
            cost += _ref_cost(segment.tail.count) + 2 * max(0, len(segment.scalars) - 2)
    return cost


def _ref_cost(ref: CountRef | None) -> int:
    if ref is None:
        return 0
    return (3 if ref.add else 0) + (2 if ref.mul != 1 else 0)


class _OutOfSteps(Exception):
    pass


class _Search:
    def __init__(self) -> None:
        self.steps = 0
        self.named = 0

    def name(self) -> str:
        index = self.named
        self.named += 1
        base = NAMES[index % len(NAMES)]
        return base if index < len(NAMES) else f"{base}{index // len(NAMES)}"

    def tick(self) -> None:
        self.steps += 1
        if self.steps > SEARCH_STEPS:
            raise _OutOfSteps

    def best(self, insts: list[Instance]) -> list[Segment] | None:
        """The simplest of the first few grammars of a block's repetitions."""
        found = list(itertools.islice(self.sequence(insts, top=False), BODY_CANDIDATES))
        return min(found, key=complexity) if found else None

    def sequence(self, insts: list[Instance], top: bool) -> Iterator[list[Segment]]:
        try:
            yield from self._sequence(insts, top)
        except _OutOfSteps:
            return

    def _sequence(self, insts: list[Instance], top: bool) -> Iterator[list[Segment]]:
        self.tick()
        done = [not inst.lines for inst in insts]
        if all(done):
            yield []
            return
        if any(done):
            return
        if top:
            sentinel = self._sentinel_block(insts)
            if sentinel is not None:
                yield [sentinel]
        for segment, rest in itertools.chain(self._counted_blocks(insts), self._lines(insts)):
            for tail in itertools.islice(self._sequence(rest, top), TAILS):
                yield [segment, *tail]

    # -- blocks ---------------------------------------------------------------------

    def _sentinel_block(self, insts: list[Instance]) -> Block | None:
        last = insts[0].lines[-1]
        if not all(inst.lines[-1] == last for inst in insts) or not _sentinel_like(last):
            return None
        for size in range(1, MAX_BLOCK_LINES + 1):
            bodies = [inst.lines[:-1] for inst in insts]
            if any(not body or len(body) % size for body in bodies):
                continue
            reps = [
                Instance(body[i : i + size], dict(inst.env))
                for inst, body in zip(insts, bodies, strict=True)
                for i in range(0, len(body), size)
            ]
            grammar = self.best(reps)
            if grammar is None:
                continue
            first = grammar[0]
            if (
                isinstance(first, Line)
                and all(is_int(t) for t in last)
                and len(first.scalars) != len(last)
            ):
                continue
            counts = [len(body) // size for body in bodies]
            return Block(grammar, None, " ".join(last), min(counts), max(counts))
        return None

    def _counted_blocks(self, insts: list[Instance]) -> Iterator[tuple[Segment, list[Instance]]]:
        shared = [name for name in insts[0].env if all(name in i.env for i in insts[1:])]
        for name in reversed(shared):
            for add in (0, -1):
                ref = CountRef(name, 1, add)
                reps = [ref.of(inst.env) or 0 for inst in insts]
                if min(reps) < 0 or max(reps) < 2:
                    continue
                found = []
                for size in range(1, MAX_BLOCK_LINES + 1):
                    if any(size * r > len(i.lines) for r, i in zip(reps, insts, strict=True)):
                        break
                    bodies = [
                        Instance(inst.lines[k * size : (k + 1) * size], dict(inst.env))
                        for inst, r in zip(insts, reps, strict=True)
                        for k in range(r)
                    ]
                    grammar = self.best(bodies)
                    if grammar is None or complexity(grammar) >= FREE_LIST_COST:
                        # counted lines of words that nothing counts: a count matched
                        # by chance, far more often than not
                        continue
                    rest = [
                        Instance(inst.lines[size * r :], inst.env)
                        for inst, r in zip(insts, reps, strict=True)
                    ]
                    block = Block(grammar, ref)
                    if size == 1:
                        block.graph = infer_graph(grammar, ref, insts, reps)
                    found.append((complexity(grammar), size, block, rest))
                for _, _, block, rest in sorted(found, key=lambda f: f[:2]):
                    yield block, rest

    # -- lines ----------------------------------------------------------------------

    def _lines(self, insts: list[Instance]) -> Iterator[tuple[Segment, list[Instance]]]:
        rows = [inst.lines[0] for inst in insts]
        widths = [len(row) for row in rows]
        for ref in self._list_counts(insts, rows, 0):
            yield self._line(insts, 0, ref, "counted")
        if len(set(widths)) == 1:
            yield self._line(insts, widths[0], None, "fixed")
        for prefix in range(1, min(widths) + 1):
            for ref in self._list_counts(insts, rows, prefix):
                yield self._line(insts, prefix, ref, "counted")
        if len(set(widths)) > 1:
            yield self._line(insts, 0, None, "free")

    def _list_counts(
        self, insts: list[Instance], rows: list[list[str]], prefix: int
    ) -> Iterator[CountRef]:
        """Counts that give the length of every row's tail after ``prefix`` tokens."""
        tails = [len(row) - prefix for row in rows]
        if max(tails) < 2 and len(set(tails)) == 1:
            return
        envs = []
        for inst, row in zip(insts, rows, strict=True):
            env = dict(inst.env)
            for index, token in enumerate(row[:prefix]):
                if is_int(token):
                    env[f"#{index}"] = int(token)
            envs.append(env)
        names = [n for n in envs[0] if all(n in e for e in envs[1:])]
        names.sort(key=lambda n: (not n.startswith("#"), -list(envs[0]).index(n)))
        for name in names:
            for mul, add in ((1, 0), (2, 0), (1, -1)):
                ref = CountRef(name, mul, add)
                if all(ref.of(env) == tail for env, tail in zip(envs, tails, strict=True)):
                    yield ref

    def _line(
        self, insts: list[Instance], prefix: int, ref: CountRef | None, how: str
    ) -> tuple[Segment, list[Instance]]:
        envs = [dict(inst.env) for inst in insts]
        line = Line()
        local: dict[str, str] = {}
        for column in range(prefix):
            name = self.name()
            observed = [(inst.lines[0][column], env) for inst, env in zip(insts, envs, strict=True)]
            token = infer_token([(t, dict(e)) for t, e in observed], own=name)
            line.scalars.append(Scalar(name, token))
            local[f"#{column}"] = name
            if isinstance(token, IntToken):
                for (text, _), env in zip(observed, envs, strict=True):
                    env[name] = int(text)
        if how != "fixed":
            if ref is not None and ref.var in local:
                ref = CountRef(local[ref.var], ref.mul, ref.add)
            tails = [inst.lines[0][prefix:] for inst in insts]
            observed = [(t, env) for tail, env in zip(tails, envs, strict=True) for t in tail]
            lengths = [len(tail) for tail in tails]
            token = infer_token(observed) if observed else IntToken(0, 0)
            line.tail = TokenList(token, ref, min(lengths), max(lengths), _order(tails, token))
            if not line.tail.order:
                line.tail.first, line.tail.last = _fixed_ends(tails, token)
        rest = [Instance(inst.lines[1:], env) for inst, env in zip(insts, envs, strict=True)]
        return line, rest


MIN_ORDERED_EDGES = 3
"""Edges, all written smaller end first, that are evidence the order is a rule."""


def infer_graph(
    body: list[Segment], ref: CountRef, insts: list[Instance], reps: list[int]
) -> Graph | None:
    """What the edges of a block of ``a b ...`` lines are, where ``a`` and ``b`` are
    vertices numbered up to an earlier count: a tree (``n - 1`` edges connecting every
    vertex), a connected or simple graph — whatever every given input shows. None when
    the lines are not edges or show none of it (then plain rows draw them as well)."""
    if len(body) != 1 or not isinstance(body[0], Line) or len(body[0].scalars) < 2:
        return None
    if not all(isinstance(s.token, IntToken) for s in body[0].scalars[:2]):
        return None
    edges = [
        [(int(inst.lines[k][0]), int(inst.lines[k][1])) for k in range(r)]
        for inst, r in zip(insts, reps, strict=True)
    ]
    if max(map(len, edges)) < 2:
        return None
    base = 0 if any(0 in edge for rows in edges for edge in rows) else 1
    vertices = _vertex_count(ref, insts, edges, base)
    if vertices is None:
        return None
    counts = [inst.env[vertices] for inst in insts]
    simple = all(
        all(a != b for a, b in rows) and len({frozenset(e) for e in rows}) == len(rows)
        for rows in edges
    )
    connected = all(
        _connected(n, rows, base) for n, rows in zip(counts, edges, strict=True) if n >= 1
    )
    tree = connected and ref == CountRef(vertices, 1, -1)
    total = sum(map(len, edges))
    ordered = total >= MIN_ORDERED_EDGES and all(a < b for rows in edges for a, b in rows)
    if not (simple or connected):
        return None
    return Graph(vertices, base, tree, connected, simple, ordered)


def _vertex_count(
    ref: CountRef, insts: list[Instance], edges: list[list[tuple[int, int]]], base: int
) -> str | None:
    """The earlier int every edge's ends are numbered up to (the tightest one; the
    block's own count first when it is ``n - 1``)."""
    shared = [
        n
        for n in insts[0].env
        if all(n in inst.env for inst in insts[1:]) and n != ref.var  # edges count edges
    ]
    if ref.add == -1 and ref.mul == 1 and ref.var in insts[0].env:
        shared = [ref.var, *shared]  # n - 1 edges: a tree's, if anything
    best: tuple[int, str] | None = None
    for name in shared:
        limits = [inst.env[name] + base - 1 for inst in insts]
        ends = [[v for edge in rows for v in edge] for rows in edges]
        if not all(
            all(base <= v <= limit for v in vs) for vs, limit in zip(ends, limits, strict=True)
        ):
            continue
        slack = sum(limit - max(vs, default=limit) for vs, limit in zip(ends, limits, strict=True))
        if name == ref.var and ref.add == -1:
            return name
        if best is None or slack < best[0]:
            best = (slack, name)
    return best[1] if best else None


def _connected(n: int, edges: list[tuple[int, int]], base: int) -> bool:
    parent = list(range(n))

    def root(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for a, b in edges:
        parent[root(a - base)] = root(b - base)
    return len({root(v) for v in range(n)}) == 1


def _sentinel_like(tokens: list[str]) -> bool:
    if not tokens:
        return False
    if all(is_int(t) for t in tokens):
        return all(int(t) <= 0 for t in tokens)
    return len(tokens) == 1


FIXED_END_CHANCE = 0.05
"""A list's first (or last) value that every given list shares is a rule, not chance,
when lists of values like theirs would share it this rarely."""


def _fixed_ends(tails: list[list[str]], token: object) -> tuple[int | None, int | None]:
    """The value every given list of length >= 2 starts (ends) with, where the values
    inside vary so much that all of them sharing it by chance is unlikely (``s_1 =
    s_N = 0``: a walk that starts and ends at sea level)."""
    if not isinstance(token, IntToken):
        return None, None
    lists = [[int(t) for t in tail] for tail in tails if len(tail) >= 2]
    inner = {v for xs in lists for v in xs[1:-1]}
    if len(lists) < 2 or len(inner) < 2:
        return None, None
    chance = (1 / len(inner)) ** (len(lists) - 1)
    if chance > FIXED_END_CHANCE:
        return None, None
    firsts = {xs[0] for xs in lists}
    lasts = {xs[-1] for xs in lists}
    return (
        firsts.pop() if len(firsts) == 1 else None,
        lasts.pop() if len(lasts) == 1 else None,
    )


def _order(tails: list[list[str]], token: object) -> str:
    """What every given list of length >= 2 is, when at least one has length >= 3."""
    if not isinstance(token, IntToken):
        return ""
    lists = [[int(t) for t in tail] for tail in tails if len(tail) >= 2]
    if not lists or max(map(len, lists)) < 3:
        return ""
    if all(sorted(xs) == list(range(1, len(xs) + 1)) for xs in lists):
        return "permutation"
    if all(all(a < b for a, b in itertools.pairwise(xs)) for xs in lists):
        return "increasing"
    if all(all(a <= b for a, b in itertools.pairwise(xs)) for xs in lists):
        return "sorted"
    if all(len(set(xs)) == len(xs) for xs in lists) and sum(map(len, lists)) >= 6:
        return "distinct"
    return ""


def _mark_sizes(grammar: list[Segment]) -> None:
    names = referenced(grammar)

    def visit(items: list[Segment]) -> None:
        for segment in items:
            if isinstance(segment, Block):
                visit(segment.body)
            else:
                for scalar in segment.scalars:
                    scalar.size = scalar.name in names

    visit(grammar)
