"""What a synthesized ``inputs.py`` builds its inputs with.

A synthesized ``build(d, scale)`` describes one input as a program: which ints, lists
and strings in which order, with which ranges. The :class:`Draw` it is given decides
how values are picked:

* :class:`HypothesisDraw` — through Hypothesis, at the given tests' scale (``scale``
  1): small inputs that shrink to minimal counterexamples;
* :class:`RandomDraw` — through a seeded :class:`random.Random`, fast at any size: the
  large inputs the strategy mixes in (see :func:`optbench.datasets.strategies.at_scale`)
  and, with ``top=True``, the workload, whose sizes sit at the top of their ranges.

``scale`` multiplies the given tests' largest counts and lengths (:func:`grow`).
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale

SIZE_CAP = 10**6
"""No count or length grows beyond this."""
MAGNITUDE_CAP = 10**18
"""No number grows beyond this (where numbers are all an input has to grow)."""
TOP_SPREAD = 0.1
"""A workload's sizes are drawn from the top tenth of their ranges."""

Build = Callable[["Draw", float], Any]
"""``build(d, scale)``: stdin text for a program, an argument tuple for a function."""


def grow(given_max: Int, scale: float, cap: Int = SIZE_CAP) -> int:
    """``given_max`` times ``scale``, never below ``given_max`` nor above ``cap``."""
    return max(given_max, min(cap, round(given_max * scale)))


def join(values: Sequence[Any]) -> str:
    return " ".join(map(str, values))


Int = int
"""``int``, for annotations in classes that define a method of that name."""


class Draw(ABC):
    """Picks the values of one input."""

    @abstractmethod
    def int(self, lo: Int, hi: Int, step: Int = 1) -> Int:
        """A value in ``lo..hi`` (a multiple of ``step``)."""

    @abstractmethod
    def size(self, lo: Int, hi: Int) -> Int:
        """A count or a length in ``lo..hi``."""

    @abstractmethod
    def ints(self, n: Int, lo: Int, hi: Int, order: str = "", step: Int = 1) -> list[Int]:
        """``n`` values in ``lo..hi``; ``order``: ``sorted``, ``increasing``, ``distinct``,
        ``permutation`` (of 1..n) or ``""``."""

    @abstractmethod
    def decimal(self, lo: float, hi: float, places: Int) -> str: ...

    @abstractmethod
    def text(self, lo: Int, hi: Int, alphabet: str, given: str) -> str:
        """A string of ``lo..hi`` characters of ``alphabet``, half of them from
        ``given`` (the characters of the given tests) on average."""

    def int_except(self, avoid: Int, lo: Int, hi: Int, step: Int = 1) -> Int:
        """A value in ``lo..hi`` other than ``avoid`` (where the range has another)."""
        first, last = _span(lo, max(lo, hi), step)
        if first == last:
            return self.int(lo, hi, step)
        value = self.int(lo, hi, step)
        if value != avoid:
            return value
        # the next multiple of ``step`` in the range, wrapping around: still one draw,
        # so Hypothesis shrinks it like any other
        k = value // step + 1
        return step * (k if k <= last else first)

    @abstractmethod
    def real(self, lo: float, hi: float) -> float:
        """A float in ``lo..hi`` (a function's argument)."""

    @abstractmethod
    def pick(self, options: Sequence[Any]) -> Any:
        """One of ``options`` (Hypothesis shrinks towards the first)."""

    def one_of(self, *makers: Callable[[], Any]) -> Any:
        """The value one of ``makers`` makes (where examples differ in type)."""
        return self.pick(makers)()

    @abstractmethod
    def shuffled(self, values: list[Any]) -> list[Any]:
        """``values`` in some order (Hypothesis shrinks towards the given one)."""

    @abstractmethod
    def coin(self) -> bool: ...

    def tree(self, n: Int, base: Int = 1, ordered: bool = False) -> list[tuple[Int, Int]]:
        """The ``n - 1`` edges of a tree on vertices ``base..n + base - 1``: each vertex
        after the first joins one before it (a random recursive tree: shallow, so a
        recursive search of the original does not run out of stack on large inputs),
        vertices renumbered and edges listed in some order."""
        if n <= 1:
            return []
        labels = self.shuffled(list(range(base, n + base)))
        edges = [(labels[self.int(0, i - 1)], labels[i]) for i in range(1, n)]
        return self._oriented(self.shuffled(edges), ordered)

    def graph(
        self,
        n: Int,
        m: Int,
        base: Int = 1,
        *,
        connected: bool = False,
        simple: bool = True,
        ordered: bool = False,
    ) -> list[tuple[Int, Int]]:
        """``m`` edges on vertices ``base..n + base - 1``: ``connected`` starts from a
        spanning tree (where ``m >= n - 1``), ``simple`` never repeats a pair nor joins a
        vertex to itself while the ``n`` vertices leave room."""
        m = max(0, m)
        edges = self.tree(n, base) if connected else []
        edges = edges[:m]
        seen = {_edge_key(a, b) for a, b in edges}
        room = n * (n - 1) // 2 if simple else 0
        while len(edges) < m and n >= 1:
            a, b = self.int(base, n + base - 1), self.int(base, n + base - 1)
            if len(seen) < room and (a == b or _edge_key(a, b) in seen):
                a, b = _free_pair(a, b, n, base, seen)
            seen.add(_edge_key(a, b))
            edges.append((a, b))
        return self._oriented(self.shuffled(edges) if connected else edges, ordered)

    def _oriented(self, edges: list[tuple[Int, Int]], ordered: bool) -> list[tuple[Int, Int]]:
        if ordered:
            return [(a, b) if a < b else (b, a) for a, b in edges]
        return [(b, a) if self.coin() else (a, b) for a, b in edges]

    def decimals(self, n: Int, lo: float, hi: float, places: Int) -> list[str]:
        return [self.decimal(lo, hi, places) for _ in range(max(0, n))]

    def texts(self, n: Int, lo: Int, hi: Int, alphabet: str, given: str) -> list[str]:
        return [self.text(lo, hi, alphabet, given) for _ in range(max(0, n))]


def _edge_key(a: Int, b: Int) -> tuple[Int, Int]:
    return (a, b) if a <= b else (b, a)


def _free_pair(a: Int, b: Int, n: Int, base: Int, seen: set[tuple[Int, Int]]) -> tuple[Int, Int]:
    """The first pair after ``(a, b)`` (counting round) of two different vertices not in
    ``seen``: a repeated or self-joining draw moved, not redrawn, so a draw that
    Hypothesis shrinks towards the same values cannot loop."""
    for da in range(n):
        x = base + (a - base + da) % n
        for db in range(n):
            y = base + (b - base + db) % n
            if x != y and _edge_key(x, y) not in seen:
                return x, y
    return a, b


def _span(lo: Int, hi: Int, step: Int) -> tuple[Int, Int]:
    """The multipliers ``k`` with ``k * step`` in ``lo..hi`` (at least one)."""
    first, last = -(-lo // step), hi // step
    return first, max(first, last)


def _ordered(values: list[Int], order: str) -> list[Int]:
    return sorted(values) if order in ("sorted", "increasing") else values


class HypothesisDraw(Draw):
    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
        self.draw = draw

    def int(self, lo: Int, hi: Int, step: Int = 1) -> Int:
        first, last = _span(lo, max(lo, hi), step)
        return step * self.draw(st.integers(first, last))

    def size(self, lo: Int, hi: Int) -> Int:
        return self.draw(st.integers(lo, max(lo, hi)))

    def ints(self, n: Int, lo: Int, hi: Int, order: str = "", step: Int = 1) -> list[Int]:
        n = max(0, n)
        if order == "permutation":
            return self.draw(st.permutations(list(range(1, n + 1))))
        first, last = _span(lo, max(lo, hi), step)
        unique = order in ("increasing", "distinct") and last - first + 1 >= n
        values = self.draw(
            st.lists(st.integers(first, last), min_size=n, max_size=n, unique=unique)
        )
        return _ordered([step * v for v in values], order)

    def decimal(self, lo: float, hi: float, places: Int) -> str:
        scale = 10**places
        value = self.draw(st.integers(round(lo * scale), round(max(lo, hi) * scale)))
        return f"{value / scale:.{places}f}"

    def real(self, lo: float, hi: float) -> float:
        return self.draw(st.floats(lo, max(lo, hi), allow_nan=False, allow_infinity=False))

    def pick(self, options: Sequence[Any]) -> Any:
        return self.draw(st.sampled_from(options))

    def shuffled(self, values: list[Any]) -> list[Any]:
        return self.draw(st.permutations(values)) if len(values) > 1 else list(values)

    def coin(self) -> bool:
        return self.draw(st.booleans())

    def text(self, lo: Int, hi: Int, alphabet: str, given: str) -> str:
        chars = st.one_of(st.sampled_from(given), st.sampled_from(alphabet))
        return self.draw(st.text(chars, min_size=lo, max_size=max(lo, hi)))


class RandomDraw(Draw):
    def __init__(self, rng: random.Random, top: bool = False) -> None:
        self.rng = rng
        self.top = top

    def int(self, lo: Int, hi: Int, step: Int = 1) -> Int:
        first, last = _span(lo, max(lo, hi), step)
        return step * self.rng.randint(first, last)

    def size(self, lo: Int, hi: Int) -> Int:
        hi = max(lo, hi)
        if self.top:
            lo = max(lo, hi - int(hi * TOP_SPREAD))
        return self.rng.randint(lo, hi)

    def ints(self, n: Int, lo: Int, hi: Int, order: str = "", step: Int = 1) -> list[Int]:
        n = max(0, n)
        if order == "permutation":
            values = list(range(1, n + 1))
            self.rng.shuffle(values)
            return values
        first, last = _span(lo, max(lo, hi), step)
        if order in ("increasing", "distinct") and last - first + 1 >= n:
            picked = self.rng.sample(range(first, last + 1), n)
        else:
            randint = self.rng.randint
            picked = [randint(first, last) for _ in range(n)]
        return _ordered([step * v for v in picked] if step != 1 else picked, order)

    def decimal(self, lo: float, hi: float, places: Int) -> str:
        return f"{self.rng.uniform(lo, max(lo, hi)):.{places}f}"

    def real(self, lo: float, hi: float) -> float:
        return self.rng.uniform(lo, max(lo, hi))

    def pick(self, options: Sequence[Any]) -> Any:
        return options[self.rng.randrange(len(options))]

    def shuffled(self, values: list[Any]) -> list[Any]:
        values = list(values)
        self.rng.shuffle(values)
        return values

    def coin(self) -> bool:
        return self.rng.random() < 0.5

    def text(self, lo: Int, hi: Int, alphabet: str, given: str) -> str:
        length = self.size(lo, hi)
        half = self.rng.randint(0, length)
        chars = self.rng.choices(given, k=half) + self.rng.choices(alphabet, k=length - half)
        self.rng.shuffle(chars)
        return "".join(chars)


class EdgeDraw(RandomDraw):
    """Inputs at the edges of their ranges, where off-by-one and boundary mistakes show:
    counts and lengths at or near their least, numbers at either end of their range or
    next to it, values repeating earlier ones (ties, runs of one character, lists of a
    value or two, strings made of an earlier string's characters: where a pattern must
    occur in a text, or two words share letters). Seeded, so a test case's seed replays
    it."""

    NEAR = 3
    """How far from an end a value still counts as next to it."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__(rng)
        self.seen: list[Int] = []
        self.letters: list[str] = []
        """The characters of the strings drawn so far, in order of appearance."""

    def int(self, lo: Int, hi: Int, step: Int = 1) -> Int:
        first, last = _span(lo, max(lo, hi), step)
        rng = self.rng
        roll = rng.random()
        near = [v for v in self.seen[-8:] if first <= v // step <= last and v % step == 0]
        if roll < 0.2 and near:
            value = rng.choice(near)
        elif roll < 0.55:
            value = step * min(last, first + rng.randint(0, self.NEAR))
        elif roll < 0.85:
            value = step * max(first, last - rng.randint(0, self.NEAR))
        else:
            value = step * rng.randint(first, last)
        self.seen.append(value)
        return value

    def size(self, lo: Int, hi: Int) -> Int:
        hi = max(lo, hi)
        rng = self.rng
        roll = rng.random()
        if roll < 0.7:
            value = min(hi, lo + rng.randint(0, self.NEAR))
        elif roll < 0.85:
            value = hi
        else:
            value = rng.randint(lo, hi)
        self.seen.append(value)
        return value

    def ints(self, n: Int, lo: Int, hi: Int, order: str = "", step: Int = 1) -> list[Int]:
        n = max(0, n)
        if order in ("permutation", "increasing", "distinct"):
            return super().ints(n, lo, hi, order, step)
        pool = [self.int(lo, hi, step) for _ in range(self.rng.randint(1, 3))]
        values = [self.rng.choice(pool) for _ in range(n)]
        return _ordered(values, order)

    def decimal(self, lo: float, hi: float, places: Int) -> str:
        value = self.rng.choice([lo, max(lo, hi), self.rng.uniform(lo, max(lo, hi))])
        return f"{value:.{places}f}"

    def text(self, lo: Int, hi: Int, alphabet: str, given: str) -> str:
        length = self.size(lo, hi)
        allowed = set(alphabet) | set(given)
        shared = [c for c in self.letters if c in allowed]
        source = shared if shared and self.rng.random() < 0.5 else list(given)
        chars = self.rng.sample(source, min(len(source), self.rng.randint(1, 2)))
        text = "".join(self.rng.choice(chars) for _ in range(length))
        self.letters += [c for c in dict.fromkeys(text) if c not in self.letters]
        return text


def synthesized_strategy(build: Build, workload_scale: float) -> st.SearchStrategy[Any]:
    """Inputs at the given tests' scale through Hypothesis or at the edges of their
    ranges (:class:`EdgeDraw`), now and then one built at a fraction of the workload's
    scale (:func:`~optbench.datasets.strategies.at_scale`)."""

    @st.composite
    def small(draw: Any) -> Any:
        if draw(st.booleans()):
            return build(EdgeDraw(random.Random(draw(st.integers(0, 2**32 - 1)))), 1.0)
        return build(HypothesisDraw(draw), 1.0)

    def large(rng: random.Random, fraction: float) -> Any:
        return build(RandomDraw(rng), 1.0 + (workload_scale - 1.0) * fraction)

    return at_scale(small(), large)


def synthesized_workload(build: Build, workload_scale: float, seed: Int = 0) -> Any:
    """An input at the workload's scale; each seed draws another of the same size."""
    return build(RandomDraw(random.Random(seed), top=True), workload_scale)
