"""The inferred shape of a stdin input: lines of tokens, counts that tie them together.

A grammar is a list of :data:`Segment`\\ s read top to bottom:

* :class:`Line` — one line of :class:`Scalar` tokens, optionally ending in a
  :class:`TokenList` whose length is a :class:`CountRef` (``n`` values after ``n``), or
  free (a line of words).
* :class:`Block` — its body repeated a counted number of times (``n`` lines after
  ``n``; ``q`` queries of two lines each), or until a sentinel line (``0 0`` ending a
  list of test cases).

Every int :class:`Scalar` binds a name; later counts, bounds and string lengths refer
to it. Inside a block the body's names are bound afresh on each repetition.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IntToken:
    lo: int
    hi: int
    step: int = 1
    """Every given value is a multiple of ``step`` (amounts in hundreds, say)."""
    upper: CountRef | None = None
    """Every given value lies in ``lo..upper`` (an index into ``upper`` items)."""
    lower: CountRef | None = None
    """Every given value is at least this earlier int (``l r`` with ``l <= r``)."""
    differs: str | None = None
    """Every given value differs from this earlier int, where equal values would have
    been expected by chance (an edge ``a b`` with ``a != b``)."""


@dataclass
class FloatToken:
    lo: float
    hi: float
    places: int


@dataclass
class StrToken:
    min_len: int
    max_len: int
    alphabet: str
    """Characters to draw from: the given ones first, then the rest of their class."""
    given: str
    """The characters the given tests use."""
    length: CountRef | None = None
    """Every given string is as long as this count says (the rows of a grid)."""


Token = IntToken | FloatToken | StrToken


@dataclass(frozen=True)
class CountRef:
    """``mul * var + add``: the value of an earlier int token, scaled and shifted."""

    var: str
    mul: int = 1
    add: int = 0

    def of(self, env: dict[str, int]) -> int | None:
        if self.var not in env:
            return None
        return self.mul * env[self.var] + self.add

    def code(self) -> str:
        text = self.var if self.mul == 1 else f"{self.mul} * {self.var}"
        if self.add:
            text += f" {'+' if self.add > 0 else '-'} {abs(self.add)}"
        return text


@dataclass
class Scalar:
    name: str
    token: Token
    size: bool = False
    """Counts something (a later count or bound refers to it): grows with the scale."""


@dataclass
class TokenList:
    token: Token
    count: CountRef | None
    """None: free length, ``min_len..max_len`` as given."""
    min_len: int = 0
    max_len: int = 0
    order: str = ""
    """``""``, ``sorted`` (non-decreasing), ``increasing``, ``distinct`` or
    ``permutation`` (of 1..n) — whatever every given list of length >= 2 is."""
    first: int | None = None
    """Every given list starts with this value (``s_1 = 0``), where a coincidence is
    unlikely; None: no such evidence."""
    last: int | None = None
    """...and ends with this one."""


@dataclass
class Line:
    scalars: list[Scalar] = field(default_factory=list)
    tail: TokenList | None = None

    def width(self) -> str:
        return f"{len(self.scalars)}{'+list' if self.tail else ''}"


@dataclass
class Graph:
    """A block whose lines are the edges of a graph: each begins with two vertices
    ``a b`` in ``base..vertices + base - 1``, and every given input's edges have the
    properties set here."""

    vertices: str
    """The earlier int that counts the vertices."""
    base: int = 1
    """Vertices are numbered from 1 (or from 0)."""
    tree: bool = False
    """``vertices - 1`` edges that connect every vertex."""
    connected: bool = False
    simple: bool = False
    """No edge joins a vertex to itself, no two edges join the same pair."""
    ordered: bool = False
    """Every edge is written smaller vertex first."""

    def describe(self) -> str:
        kind = "tree" if self.tree else ("connected " if self.connected else "") + "graph"
        extra = ", simple" if self.simple and not self.tree else ""
        extra += ", smaller end first" if self.ordered else ""
        return f"edges of a {kind} on {self.vertices} vertices numbered from {self.base}{extra}"


@dataclass
class Block:
    body: list[Segment]
    count: CountRef | None
    """None: repeated until ``sentinel``, ``min_reps..max_reps`` times as given."""
    sentinel: str | None = None
    min_reps: int = 1
    max_reps: int = 1
    graph: Graph | None = None
    """The body's first two ints are the ends of an edge (see :class:`Graph`)."""


Segment = Line | Block


def walk(segments: list[Segment]) -> list[Line]:
    """Every line of a grammar, blocks' bodies included, in reading order."""
    lines: list[Line] = []
    for segment in segments:
        if isinstance(segment, Line):
            lines.append(segment)
        else:
            lines.extend(walk(segment.body))
    return lines


def referenced(segments: list[Segment]) -> set[str]:
    """Names that a count, a bound or a string length refers to."""
    names: set[str] = set()

    def token_refs(token: Token) -> None:
        if isinstance(token, IntToken) and token.upper is not None:
            names.add(token.upper.var)
        if isinstance(token, StrToken) and token.length is not None:
            names.add(token.length.var)

    def visit(items: list[Segment]) -> None:
        for segment in items:
            if isinstance(segment, Block):
                if segment.count is not None:
                    names.add(segment.count.var)
                if segment.graph is not None:
                    names.add(segment.graph.vertices)
                visit(segment.body)
                continue
            for scalar in segment.scalars:
                token_refs(scalar.token)
            if segment.tail is not None:
                token_refs(segment.tail.token)
                if segment.tail.count is not None:
                    names.add(segment.tail.count.var)

    visit(segments)
    return names


def describe(segments: list[Segment], indent: str = "") -> list[str]:
    """The grammar in words, one line per segment (for notes and the bench)."""
    out: list[str] = []
    for segment in segments:
        if isinstance(segment, Block):
            times = (
                segment.count.code()
                if segment.count is not None
                else f"{segment.min_reps}..{segment.max_reps}, then {segment.sentinel!r}"
            )
            if segment.graph is not None:
                times += f" ({segment.graph.describe()})"
            out.append(f"{indent}repeat {times}:")
            out.extend(describe(segment.body, indent + "  "))
            continue
        parts = [s.name for s in segment.scalars]
        if segment.tail is not None:
            size = segment.tail.count.code() if segment.tail.count else "*"
            parts.append(f"[{size}]")
        out.append(indent + " ".join(parts))
    return out
