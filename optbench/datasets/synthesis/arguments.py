"""Argument shapes written out as a function problem's ``inputs.py``: a ``build(d,
scale)`` that returns one call's arguments, plain Python a reviewer can read and edit.

Two levels, as for programs (:data:`~optbench.datasets.synthesis.codegen.LEVELS`):

* ``widened`` — values around the observed ranges (a span's width beyond them, down to
  0 for non-negative numbers) and lengths from empty to twice the longest example;
* ``given`` — the observed ranges and lengths (a length every example shares stays
  fixed).

``scale`` multiplies the longest lengths (every list, string and dict grows), or, where
the arguments have no length at all, the largest numbers."""

from __future__ import annotations

import string
from dataclasses import dataclass

from optbench.datasets.synthesis.codegen import MARKER
from optbench.datasets.synthesis.values import (
    BoolShape,
    DictShape,
    FloatShape,
    IntShape,
    NoneShape,
    OneOf,
    SeqShape,
    Shape,
    StrShape,
    TupleShape,
    describe,
)

WIDEN_LENGTH = 2
"""Widened lengths reach this multiple of the longest example (at least :data:`MIN_REACH`)."""
MIN_REACH = 4


@dataclass
class ArgOptions:
    level: str = "widened"
    magnitudes: bool = False
    """Numbers grow with the scale (the arguments have nothing with a length)."""


class _Writer:
    def __init__(self, options: ArgOptions) -> None:
        self.options = options

    @property
    def widened(self) -> bool:
        return self.options.level == "widened"

    def expr(self, shape: Shape | None, top: bool = False) -> str:
        if shape is None or isinstance(shape, NoneShape):
            return "None"
        if isinstance(shape, BoolShape):
            return "d.pick([False, True])"
        if isinstance(shape, IntShape):
            return self.int_expr(shape, top)
        if isinstance(shape, FloatShape):
            return self.float_expr(shape)
        if isinstance(shape, StrShape):
            given = shape.given or string.ascii_lowercase[:3]
            alphabet = shape.alphabet or given
            return f"d.text({self.length(shape.min_len, shape.max_len)}, {alphabet!r}, {given!r})"
        if isinstance(shape, SeqShape):
            return self.sequence(shape)
        if isinstance(shape, TupleShape):
            inner = ", ".join(self.expr(item) for item in shape.items)
            return f"({inner},)" if len(shape.items) == 1 else f"({inner})"
        if isinstance(shape, DictShape):
            if shape.key is None:
                return "{}"
            count = self.count(shape.min_len, shape.max_len)
            return f"{{{self.expr(shape.key)}: {self.expr(shape.value)} for _ in range({count})}}"
        assert isinstance(shape, OneOf)
        makers = ", ".join(f"lambda: {self.expr(option, top)}" for option in shape.options)
        return f"d.one_of({makers})"

    def int_expr(self, shape: IntShape, top: bool) -> str:
        lo, hi = shape.lo, shape.hi
        if self.widened:
            reach = max(1, hi - lo)
            lo = 0 if lo >= 0 else lo - reach
            hi = hi + reach
        if self.options.magnitudes and top:
            high = f"grow({max(hi, 1)}, scale, MAGNITUDE_CAP)"
            low = str(lo) if lo >= 0 else f"-grow({-lo}, scale, MAGNITUDE_CAP)"
            return f"d.int({low}, {high})"
        return f"d.int({lo}, {hi})"

    def float_expr(self, shape: FloatShape) -> str:
        lo, hi = shape.lo, shape.hi
        if self.widened:
            reach = max(1.0, hi - lo)
            lo = 0.0 if lo >= 0 else lo - reach
            hi = hi + reach
        return f"d.real({lo!r}, {hi!r})"

    def bounds(self, min_len: int, max_len: int) -> tuple[int, str]:
        if self.widened:
            return 0, f"grow({max(WIDEN_LENGTH * max_len, MIN_REACH)}, scale)"
        if min_len == max_len:
            return min_len, str(max_len)
        return min_len, f"grow({max_len}, scale)"

    def length(self, min_len: int, max_len: int) -> str:
        low, high = self.bounds(min_len, max_len)
        return f"{low}, {high}"

    def count(self, min_len: int, max_len: int) -> str:
        low, high = self.bounds(min_len, max_len)
        return f"d.size({low}, {high})"

    def sequence(self, shape: SeqShape) -> str:
        empty = {"list": "[]", "set": "set()", "frozenset": "frozenset()", "tuple": "()"}
        if shape.item is None:
            return empty[shape.kind]
        body = f"{self.expr(shape.item)} for _ in range({self.count(shape.min_len, shape.max_len)})"
        if shape.kind == "set":
            return f"{{{body}}}"
        text = f"[{body}]"
        if shape.ordered:
            text = f"sorted({text})"
        if shape.kind == "list":
            return text
        return f"{shape.kind}({text})"


def build_source(shapes: list[Shape], names: list[str], options: ArgOptions) -> str:
    writer = _Writer(options)
    lines = []
    for name, shape in zip(names, shapes, strict=True):
        lines.append(f"    {name} = {writer.expr(shape, top=True)}  # given {describe(shape)}")
    packed = ", ".join(names)
    lines.append(f"    return ({packed},)" if len(names) == 1 else f"    return ({packed})")
    return "\n".join(lines)


def argument_names(params: tuple[str, ...], arity: int) -> list[str]:
    """Names for the build's variables: the entry point's parameters where they are
    plain ones, ``arg{i}`` past them."""
    plain = [p for p in params if not p.startswith("*")]
    names = [plain[i] if i < len(plain) else f"arg{i}" for i in range(arity)]
    reserved = {"d", "scale", "grow", "Draw", "MAGNITUDE_CAP", "sorted", "range"}
    return [f"{n}_" if n in reserved else n for n in names]


def function_inputs_module(
    shapes: list[Shape],
    names: list[str],
    options: ArgOptions,
    *,
    given: list[tuple[object, ...]],
    workload_scale: float,
    provenance: list[str],
) -> str:
    """The whole ``inputs.py`` of a function problem."""
    types = "\n".join(f"    {n}: {describe(s)}" for n, s in zip(names, shapes, strict=True))
    notes = "\n".join(provenance)
    grows = "numbers" if options.magnitudes else "lengths"
    return f'''"""{MARKER} from {len(given)} given call(s); edit freely.

Inferred argument types ({options.level} ranges in build below):

{types}

{notes}
"""

from math import inf, nan  # how repr writes infinite and NaN floats

from optbench.datasets.synthesis.draw import (
    MAGNITUDE_CAP,
    Draw,
    grow,
    synthesized_strategy,
    synthesized_workload,
)

SYNTHESIZED_FROM = {len(given)}
WORKLOAD_SCALE = {workload_scale!r}
"""The workload's {grows} are up to this multiple of the given calls' largest."""
EDGE_CASES = {given!r}


def build(d: Draw, scale: float) -> tuple:
    """One call's arguments; ``scale`` multiplies the given calls' largest {grows}."""
{build_source(shapes, names, options)}


def strategy():
    return synthesized_strategy(build, WORKLOAD_SCALE)


def workload(seed: int = 0) -> tuple:
    return synthesized_workload(build, WORKLOAD_SCALE, seed)
'''
