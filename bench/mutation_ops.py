"""Mutants of a program, and type-aware mutations of its inputs.

Code mutants use the default operators of the field's mutation tools (mutmut, PIT), each
mutant one change, tagged with its family:

==============  ==========================================================================
family          mutation
==============  ==========================================================================
boundary        ``<`` <-> ``<=``, ``>`` <-> ``>=``; a ``range`` bound +1 or -1; a slice
                ``[a:]`` drops its last element
arithmetic      ``+`` <-> ``-``, ``*`` <-> ``//``, ``/`` -> ``*``, ``%`` -> ``//``,
                ``**`` -> ``*``, ``<<`` <-> ``>>``, ``&`` <-> ``|``, ``^`` -> ``|`` (in
                expressions and in augmented assignments)
relational      ``==`` <-> ``!=``, ``in`` <-> ``not in``, ``is`` <-> ``is not``
logical         ``and`` <-> ``or``; a ``not`` dropped
constant        an integer literal ``c`` -> ``c + 1`` and ``c - 1``
min-max         ``min(...)`` <-> ``max(...)``
statement       an augmented assignment (``x += y``) deleted
==============  ==========================================================================

Integer literals that only set interpreter limits (the arguments of
``sys.setrecursionlimit``, ``threading.stack_size`` and ``resource.setrlimit``) are not
mutated: no answer depends on them.

Input mutations follow EvalPlus's type-aware mutation, on stdin text: an int token moved
by one, doubled, halved or set to 0 or 1; a word with a character dropped, doubled or
replaced; two tokens of a line or two lines swapped; a value or a line duplicated or
dropped, with a count that matched the old length (a leading ``N``) moved with it.
"""

from __future__ import annotations

import ast
import copy
import random
import re
from collections.abc import Callable, Iterator
from typing import ClassVar, NamedTuple

FAMILIES = (
    "boundary",
    "arithmetic",
    "relational",
    "logical",
    "constant",
    "min-max",
    "statement",
)
LIMIT_CALLS = frozenset({"setrecursionlimit", "stack_size", "setrlimit"})
"""Calls whose integer arguments are not mutated (interpreter limits, not logic)."""


class Mutant(NamedTuple):
    family: str
    what: str
    """Where and what: ``line 4: Lt -> LtE``."""
    source: str


def _int_node(value: int) -> ast.expr:
    """A literal for ``value``; a negative one as ``-c``, so ``ast.unparse`` puts it in
    parentheses where precedence needs it (``(-1) ** 2``)."""
    if value < 0:
        return ast.UnaryOp(ast.USub(), ast.Constant(-value))
    return ast.Constant(value)


def _called_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


class _Mutator(ast.NodeTransformer):
    """Applies the ``target``-th possible mutation (counting in visiting order); with a
    negative ``target`` it only counts them."""

    BOUNDARY: ClassVar[dict[type, type]] = {
        ast.Lt: ast.LtE,
        ast.LtE: ast.Lt,
        ast.Gt: ast.GtE,
        ast.GtE: ast.Gt,
    }
    RELATIONAL: ClassVar[dict[type, type]] = {
        ast.Eq: ast.NotEq,
        ast.NotEq: ast.Eq,
        ast.In: ast.NotIn,
        ast.NotIn: ast.In,
        ast.Is: ast.IsNot,
        ast.IsNot: ast.Is,
    }
    ARITHMETIC: ClassVar[dict[type, type]] = {
        ast.Add: ast.Sub,
        ast.Sub: ast.Add,
        ast.Mult: ast.FloorDiv,
        ast.FloorDiv: ast.Mult,
        ast.Div: ast.Mult,
        ast.Mod: ast.FloorDiv,
        ast.Pow: ast.Mult,
        ast.LShift: ast.RShift,
        ast.RShift: ast.LShift,
        ast.BitAnd: ast.BitOr,
        ast.BitOr: ast.BitAnd,
        ast.BitXor: ast.BitOr,
    }

    def __init__(self, target: int) -> None:
        self.target = target
        self.seen = 0
        self.family = ""
        self.what = ""

    def _hit(self, family: str, node: ast.AST, what: str) -> bool:
        self.seen += 1
        if self.seen - 1 == self.target:
            self.family = family
            self.what = f"line {getattr(node, 'lineno', '?')}: {what}"
            return True
        return False

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        for index, op in enumerate(node.ops):
            for family, table in (("boundary", self.BOUNDARY), ("relational", self.RELATIONAL)):
                swap = table.get(type(op))
                if swap is not None and self._hit(
                    family, node, f"{type(op).__name__} -> {swap.__name__}"
                ):
                    node.ops[index] = swap()
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        swap = self.ARITHMETIC.get(type(node.op))
        if swap is not None and self._hit(
            "arithmetic", node, f"{type(node.op).__name__} -> {swap.__name__}"
        ):
            node.op = swap()
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        swap = self.ARITHMETIC.get(type(node.op))
        if swap is not None and self._hit(
            "arithmetic", node, f"{type(node.op).__name__}= -> {swap.__name__}="
        ):
            node.op = swap()
        if self._hit("statement", node, "augmented assignment deleted"):
            return ast.copy_location(ast.Pass(), node)
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        swap = ast.Or if isinstance(node.op, ast.And) else ast.And
        if self._hit("logical", node, f"{type(node.op).__name__} -> {swap.__name__}"):
            node.op = swap()
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and self._hit("logical", node, "not dropped"):
            return node.operand
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if type(value) is not int:  # bools are ints too: not numbers here
            return node
        for delta in (1, -1):
            if self._hit("constant", node, f"{value} -> {value + delta}"):
                return ast.copy_location(_int_node(value + delta), node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        name = _called_name(node)
        if name in LIMIT_CALLS:
            return node
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and name in ("min", "max"):
            swap = "max" if name == "min" else "min"
            if self._hit("min-max", node, f"{name} -> {swap}"):
                node.func = ast.copy_location(ast.Name(swap, ast.Load()), node.func)
        if isinstance(node.func, ast.Name) and name == "range" and node.args:
            end = 0 if len(node.args) == 1 else 1
            for delta in (-1, 1):
                if self._hit("boundary", node, f"range bound {delta:+d}"):
                    node.args[end] = ast.BinOp(node.args[end], ast.Add(), _int_node(delta))
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if (
            isinstance(node.slice, ast.Slice)
            and node.slice.upper is None
            and node.slice.step is None
            and self._hit("boundary", node, "slice drops its last element")
        ):
            node.slice.upper = _int_node(-1)
        return node


def mutation_count(source: str) -> int:
    """How many single mutations ``source`` has."""
    counter = _Mutator(-1)
    counter.visit(ast.parse(source))
    return counter.seen


def mutant(source: str, target: int) -> Mutant:
    """The ``target``-th single mutation of ``source`` (0 <= target < mutation_count)."""
    mutator = _Mutator(target)
    tree = mutator.visit(copy.deepcopy(ast.parse(source)))
    return Mutant(mutator.family, mutator.what, ast.unparse(ast.fix_missing_locations(tree)))


def mutants(source: str) -> Iterator[Mutant]:
    """Every single mutation of ``source``."""
    for target in range(mutation_count(source)):
        yield mutant(source, target)


# -- type-aware mutation of stdin text -------------------------------------------------

_INT = re.compile(r"-?\d+")


def _is_int(token: str) -> bool:
    return _INT.fullmatch(token) is not None


def _rows(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines()]


def _text(rows: list[list[str]]) -> str:
    return "".join(" ".join(row) + "\n" for row in rows)


def _mutate_int(rows: list[list[str]], rng: random.Random) -> bool:
    spots = [(r, c) for r, row in enumerate(rows) for c, t in enumerate(row) if _is_int(t)]
    if not spots:
        return False
    r, c = rng.choice(spots)
    value = int(rows[r][c])
    new = rng.choice([value + 1, value - 1, 2 * value, value // 2, 0, 1])
    rows[r][c] = str(new)
    return True


def _mutate_word(rows: list[list[str]], rng: random.Random) -> bool:
    spots = [(r, c) for r, row in enumerate(rows) for c, t in enumerate(row) if not _is_int(t)]
    if not spots:
        return False
    r, c = rng.choice(spots)
    word = rows[r][c]
    alphabet = sorted({ch for row in rows for t in row if not _is_int(t) for ch in t})
    i = rng.randrange(len(word))
    how = rng.randrange(3)
    if how == 0 and len(word) > 1:
        rows[r][c] = word[:i] + word[i + 1 :]
    elif how == 1:
        rows[r][c] = word[: i + 1] + word[i:]
    else:
        rows[r][c] = word[:i] + rng.choice(alphabet) + word[i + 1 :]
    return True


def _swap_tokens(rows: list[list[str]], rng: random.Random) -> bool:
    wide = [r for r, row in enumerate(rows) if len(row) >= 2]
    if not wide:
        return False
    row = rows[rng.choice(wide)]
    i, j = rng.sample(range(len(row)), 2)
    row[i], row[j] = row[j], row[i]
    return True


def _swap_lines(rows: list[list[str]], rng: random.Random) -> bool:
    if len(rows) < 3:
        return False
    i, j = rng.sample(range(1, len(rows)), 2)  # the first line mostly holds the counts
    rows[i], rows[j] = rows[j], rows[i]
    return True


def _recount(rows: list[list[str]], before: int, old: int, new: int, rng: random.Random) -> None:
    """Move a count that matched ``old`` to ``new``: an int token equal to ``old`` in a
    line before ``before`` (the nearest first)."""
    for r in range(min(before, len(rows)) - 1, -1, -1):
        spots = [c for c, t in enumerate(rows[r]) if _is_int(t) and int(t) == old]
        if spots:
            rows[r][rng.choice(spots)] = str(new)
            return


def _resize_line(rows: list[list[str]], rng: random.Random) -> bool:
    """A value of a line duplicated or dropped; a leading count in the line or a count
    on an earlier line that matched its length follows."""
    spots = [r for r, row in enumerate(rows) if row]
    if not spots:
        return False
    r = rng.choice(spots)
    row = rows[r]
    lead = 1 if len(row) > 1 and _is_int(row[0]) and int(row[0]) == len(row) - 1 else 0
    values = len(row) - lead
    if values == 0:
        return False
    i = rng.randrange(lead, len(row))
    grow = values == 1 or rng.random() < 0.5
    if grow:
        row.insert(i, row[i])
    else:
        del row[i]
    new = values + (1 if grow else -1)
    if lead:
        row[0] = str(new)
    else:
        _recount(rows, r, values, new, rng)
    return True


def _resize_block(rows: list[list[str]], rng: random.Random) -> bool:
    """A line after the first duplicated or dropped, with a count on an earlier line
    that matched its block (the run of lines of as many tokens) moved with it."""
    if len(rows) < 2:
        return False
    r = rng.randrange(1, len(rows))
    width = len(rows[r])
    start, end = r, r + 1
    while start > 1 and len(rows[start - 1]) == width:
        start -= 1
    while end < len(rows) and len(rows[end]) == width:
        end += 1
    size = end - start
    grow = size == 1 or rng.random() < 0.5
    if grow:
        rows.insert(r, list(rows[r]))
    else:
        del rows[r]
    _recount(rows, start, size, size + (1 if grow else -1), rng)
    return True


MUTATIONS: tuple[Callable[[list[list[str]], random.Random], bool], ...] = (
    _mutate_int,
    _mutate_int,
    _mutate_word,
    _swap_tokens,
    _swap_lines,
    _resize_line,
    _resize_block,
)


def mutate_input(text: str, rng: random.Random) -> str:
    """``text`` with one to three type-aware mutations (the same text where none
    applies)."""
    rows = _rows(text)
    for _ in range(rng.randint(1, 3)):
        for _ in range(len(MUTATIONS)):
            if rng.choice(MUTATIONS)(rows, rng):
                break
    return _text(rows)


def mutated_inputs(
    seeds: list[str], accept: Callable[[str], bool], count: int, rng: random.Random
) -> list[str]:
    """Up to ``count`` new inputs that ``accept`` takes, each a mutation of a given one or
    of one accepted before (EvalPlus's loop: accepted inputs seed further mutations);
    at most ``3 * count`` tries."""
    pool = list(seeds)
    seen = set(seeds)
    found: list[str] = []
    for _ in range(3 * count):
        if len(found) >= count or not pool:
            break
        text = mutate_input(rng.choice(pool), rng)
        if text in seen:
            continue
        seen.add(text)
        if accept(text):
            pool.append(text)
            found.append(text)
    return found
