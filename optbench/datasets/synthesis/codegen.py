"""A grammar written out as a problem's ``inputs.py``: plain Python a reviewer can read
and edit, loaded by optbench like a hand-written one."""

from __future__ import annotations

from dataclasses import dataclass, field

from optbench.datasets.synthesis.grammar import (
    Block,
    CountRef,
    FloatToken,
    Graph,
    IntToken,
    Line,
    Scalar,
    Segment,
    StrToken,
    Token,
    TokenList,
    describe,
    walk,
)
from optbench.datasets.synthesis.relations import Relation, column_name, list_name, names

MARKER = "Synthesized by optbench"
"""Opens the docstring of every synthesized ``inputs.py`` (how ``datasets show`` tells
a synthesized strategy from a hand-written one)."""

LEVELS = ("widened", "given")
"""How far ranges reach below the given tests: ``widened`` draws counts from 1 and
positive numbers from 1 (or 0 where a 0 is given), ``given`` keeps the given lows."""


@dataclass
class Options:
    level: str = "widened"
    magnitudes: bool = False
    """Numbers are what grows with the scale (an input of a few numbers and nothing to
    count); otherwise counts and lengths grow and numbers keep their given ranges."""
    relations: tuple[Relation, ...] = field(default=())
    """Relations between numbers, applied once the whole input is drawn (see
    :mod:`~optbench.datasets.synthesis.relations`)."""


def grows_by_magnitude(grammar: list[Segment]) -> bool:
    """An input with nothing that counts or has a length: only its numbers can grow."""
    for line in walk(grammar):
        if line.tail is not None or any(s.size for s in line.scalars):
            return False
        if any(isinstance(s.token, StrToken) for s in line.scalars):
            return False
    return not any(isinstance(s, Block) for s in grammar)


def _edge_counts(grammar: list[Segment]) -> dict[str, Graph]:
    """Counts of a graph's edges that are drawn after its vertex count: such a count
    is kept within what the vertices allow (``m <= n (n - 1) / 2`` for a simple graph,
    ``m >= n - 1`` for a connected one)."""
    order = [scalar.name for line in walk(grammar) for scalar in line.scalars]
    found: dict[str, Graph] = {}

    def visit(items: list[Segment]) -> None:
        for segment in items:
            if not isinstance(segment, Block):
                continue
            graph, count = segment.graph, segment.count
            if (
                graph is not None
                and not graph.tree
                and count is not None
                and (count.mul, count.add) == (1, 0)
                and graph.vertices in order
                and count.var in order
                and order.index(graph.vertices) < order.index(count.var)
            ):
                found[count.var] = graph
            visit(segment.body)

    visit(grammar)
    return found


class _Writer:
    def __init__(self, options: Options, grammar: list[Segment] | None = None) -> None:
        self.options = options
        self.lines: list[str] = []
        self.edge_counts = _edge_counts(grammar or [])
        self.preset: set[str] = set()
        """Names a loop over edges binds (not drawn on their own)."""
        self.repaired = {r.var for r in options.relations}
        self.read: set[str] = set().union(*(names(r.expr) for r in options.relations))
        self.index = -1
        """The top-level segment being written."""
        self.rewritten: list[tuple[int, str]] = []
        """Top-level lines written again once the relations are applied: (index, row)."""

    def emit(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def segments(self, segments: list[Segment], depth: int) -> None:
        for index, segment in enumerate(segments):
            if depth == 1:
                self.index = index
            if isinstance(segment, Block):
                self.block(segment, depth)
            else:
                self.line(segment, depth)

    def relations(self) -> None:
        """Apply the relations, then write again the lines whose numbers they changed."""
        if not self.options.relations:
            return
        self.emit(1, "# relations between numbers that the given tests all satisfy")
        for relation in self.options.relations:
            self.emit(1, relation.repair())
        for index, row in self.rewritten:
            self.emit(1, f"out[at_{index}] = join({row})")

    def block(self, block: Block, depth: int) -> None:
        if depth == 1:
            for line in block.body:
                if isinstance(line, Line):
                    for scalar in line.scalars:
                        if column_name(scalar.name) in self.read:
                            self.emit(depth, f"{column_name(scalar.name)}: list[int] = []")
        if block.graph is not None and block.count is not None:
            self.edges(block, block.graph, block.count, depth)
            return
        if block.count is not None:
            self.emit(depth, f"for _ in range({_count(block.count)}):")
        else:
            low = 1 if self.options.level == "widened" else block.min_reps
            self.emit(
                depth,
                f"for _ in range(d.size({low}, grow({block.max_reps}, scale))):"
                f"  # given {block.min_reps}..{block.max_reps} times",
            )
        self.segments(block.body, depth + 1)
        if block.sentinel is not None:
            self.emit(depth, f"out.append({block.sentinel!r})")

    def edges(self, block: Block, graph: Graph, count: CountRef, depth: int) -> None:
        first = block.body[0]
        assert isinstance(first, Line)
        a, b = first.scalars[0].name, first.scalars[1].name
        n = graph.vertices
        if graph.tree:
            draw = f"d.tree({n}, base={graph.base}, ordered={graph.ordered})"
        else:
            draw = (
                f"d.graph({n}, {_count(count)}, base={graph.base}, "
                f"connected={graph.connected}, simple={graph.simple}, ordered={graph.ordered})"
            )
        self.emit(depth, f"for {a}, {b} in {draw}:  # {graph.describe()}")
        self.preset |= {a, b}
        self.segments(block.body, depth + 1)
        self.preset -= {a, b}

    def line(self, line: Line, depth: int) -> None:
        parts = []
        alone = depth == 1 and len(line.scalars) == 1 and line.tail is None
        for scalar in line.scalars:
            if scalar.name in self.preset:
                parts.append(scalar.name)
                continue
            expr, comment = self.scalar(scalar, alone)
            self.emit(depth, f"{scalar.name} = {expr}  # {comment}")
            parts.append(scalar.name)
        for scalar in line.scalars:
            if depth == 2 and column_name(scalar.name) in self.read:
                self.emit(depth, f"{column_name(scalar.name)}.append({scalar.name})")
        row = f"[{', '.join(parts)}]" if parts else ""
        rewrite = depth == 1 and any(s.name in self.repaired for s in line.scalars)
        if line.tail is not None:
            expr, comment = self.tail(line.tail)
            self.emit(depth, f"values = {expr}  # {comment}")
            if line.tail.first is not None:
                self.emit(depth, f"values[:1] = [{line.tail.first}][: len(values)]  # as given")
            if line.tail.last is not None:
                self.emit(depth, f"values[-1:] = [{line.tail.last}][: len(values)]  # as given")
            values = "values"
            if depth == 1 and (rewrite or list_name(self.index) in self.read):
                values = list_name(self.index)
                self.emit(depth, f"{values} = values")
            row = f"{row} + {values}" if row else values
        if rewrite:
            self.emit(depth, f"at_{self.index} = len(out)")
            self.rewritten.append((self.index, row or "[]"))
        self.emit(depth, f"out.append(join({row or '[]'}))")

    def scalar(self, scalar: Scalar, alone: bool = False) -> tuple[str, str]:
        token = scalar.token
        if isinstance(token, IntToken):
            grows = scalar.size or self.options.magnitudes
            expr = self.int_expr(token, grows)
            graph = self.edge_counts.get(scalar.name)
            if graph is not None:
                return self.edge_count(expr, graph), _given(token) + ", edges the vertices allow"
            return expr, _given(token)
        if isinstance(token, StrToken):
            return self.value_expr(token, alone), _given(token)
        return self.value_expr(token), _given(token)

    def edge_count(self, expr: str, graph: Graph) -> str:
        n = graph.vertices
        high = f"{n} * ({n} - 1) // 2" if graph.simple else None
        low = f"{n} - 1" if graph.connected else None
        if not expr.startswith("d.size(") or not (high or low):
            return expr
        call, args = expr.split("(", 1)
        lo, hi = _split_args(args[:-1])
        if low:
            lo = f"max({lo}, {low})"
        if high:
            # one vertex has no room for an edge: then no edges at all
            lo, hi = f"min({lo}, {high})", f"min({hi}, {high})"
        return f"{call}({lo}, {hi})"

    def int_expr(self, token: IntToken, grows: bool) -> str:
        lo = str(self.low(token))
        if token.lower is not None:
            lo = f"max({lo}, {token.lower.code()})"
        cap = ", MAGNITUDE_CAP" if self.options.magnitudes else ""
        if token.upper is not None:
            hi = token.upper.code()
        elif grows:
            hi = f"grow({token.hi}, scale{cap})"
        else:
            hi = str(token.hi)
        if grows and not self.options.magnitudes:
            return f"d.size({lo}, {hi})"
        step = f", step={token.step}" if token.step != 1 else ""
        if token.differs is not None:
            return f"d.int_except({token.differs}, {lo}, {hi}{step})"
        return f"d.int({lo}, {hi}{step})"

    def low(self, token: IntToken) -> int:
        if self.options.level == "widened" and token.lo > 1:
            return 1
        return token.lo

    def value_expr(self, token: Token, grows: bool = False) -> str:
        if isinstance(token, IntToken):
            return self.int_expr(token, False)
        if isinstance(token, FloatToken):
            return f"d.decimal({token.lo!r}, {token.hi!r}, {token.places})"
        return f"d.text({self.length(token, grows)}, {token.alphabet!r}, {token.given!r})"

    def length(self, token: StrToken, grows: bool = False) -> str:
        """A string's length: its count, else the given lengths, growing with the scale
        only for a string alone on a line outside any block (a word among others, or
        one of many lines, keeps the given lengths: its count grows already)."""
        if token.length is not None:
            return f"{_count(token.length)}, {_count(token.length)}"
        low = 1 if self.options.level == "widened" and token.min_len > 1 else token.min_len
        high = f"grow({token.max_len}, scale)" if grows else str(token.max_len)
        return f"{low}, {high}"

    def tail(self, tail: TokenList) -> tuple[str, str]:
        if tail.count is not None:
            count = _count(tail.count)
        else:
            low = 1 if self.options.level == "widened" and tail.min_len > 1 else tail.min_len
            count = f"d.size({low}, grow({tail.max_len}, scale))"
        token = tail.token
        comment = f"given {tail.min_len}..{tail.max_len} values, " + _given(token)
        if tail.order:
            comment += f", {tail.order}"
        if isinstance(token, IntToken):
            lo = str(self.low(token))
            hi = token.upper.code() if token.upper is not None else str(token.hi)
            extra = f", order={tail.order!r}" if tail.order else ""
            extra += f", step={token.step}" if token.step != 1 else ""
            return f"d.ints({count}, {lo}, {hi}{extra})", comment
        if isinstance(token, FloatToken):
            return f"d.decimals({count}, {token.lo!r}, {token.hi!r}, {token.places})", comment
        return (
            f"d.texts({count}, {self.length(token)}, {token.alphabet!r}, {token.given!r})",
            comment,
        )


def _split_args(text: str) -> tuple[str, str]:
    """``lo, hi`` of a two-argument call, split at the top-level comma."""
    depth = 0
    for index, char in enumerate(text):
        depth += char in "(["
        depth -= char in ")]"
        if char == "," and depth == 0:
            return text[:index].strip(), text[index + 1 :].strip()
    raise ValueError(f"not two arguments: {text!r}")


def _count(ref: CountRef) -> str:
    return ref.code() if ref.add >= 0 else f"max(0, {ref.code()})"


def _given(token: Token) -> str:
    if isinstance(token, IntToken):
        text = f"given {token.lo}..{token.hi}"
        if token.step != 1:
            text += f", multiples of {token.step}"
        if token.upper is not None:
            text += f", at most {token.upper.code()}"
        if token.lower is not None:
            text += f", at least {token.lower.code()}"
        return text
    if isinstance(token, FloatToken):
        return f"given {token.lo}..{token.hi}, {token.places} places"
    length = f"{token.min_len}..{token.max_len}"
    if token.length is not None:
        length = token.length.code()
    return f"given strings of {length} characters from {token.given!r}"


def build_source(grammar: list[Segment], options: Options) -> str:
    """The body of ``build(d, scale)`` for ``grammar``."""
    writer = _Writer(options, grammar)
    writer.emit(1, "out: list[str] = []")
    writer.segments(grammar, 1)
    writer.relations()
    writer.emit(1, 'return "\\n".join(out) + "\\n"')
    return "\n".join(writer.lines)


def inputs_module(
    grammar: list[Segment],
    options: Options,
    *,
    given: list[str],
    workload_scale: float,
    provenance: list[str],
) -> str:
    """The whole ``inputs.py``."""
    structure = "\n".join("    " + line for line in describe(grammar))
    notes = "\n".join(provenance)
    grows = "numbers" if options.magnitudes else "counts and lengths"
    if options.relations:
        structure += "\n\nwith " + ", ".join(r.code() for r in options.relations)
    helpers = (
        "from optbench.datasets.synthesis.relations import max_gap\n"
        if any("max_gap" in r.expr for r in options.relations)
        else ""
    )
    return f'''"""{MARKER} from {len(given)} given test(s); edit freely.

Inferred structure (one line per input line; [n] is a list of n values, [*] one of
any length):

{structure}

{notes}
"""

from optbench.datasets.synthesis.draw import (
    MAGNITUDE_CAP,
    Draw,
    grow,
    join,
    synthesized_strategy,
    synthesized_workload,
)
{helpers}
SYNTHESIZED_FROM = {len(given)}
WORKLOAD_SCALE = {workload_scale!r}
"""The workload's {grows} are up to this multiple of the given tests' largest."""
EDGE_CASES = {given!r}


def build(d: Draw, scale: float) -> str:
    """One input; ``scale`` multiplies the given tests' largest {grows}."""
{build_source(grammar, options)}


def strategy():
    return synthesized_strategy(build, WORKLOAD_SCALE)


def workload(seed: int = 0) -> str:
    return synthesized_workload(build, WORKLOAD_SCALE, seed)
'''
