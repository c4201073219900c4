"""The shape of a function's arguments, inferred from example calls: types and
nesting, value ranges, lengths, string alphabets (the type-aware view EvalPlus's input
mutation takes). Each argument position gets one :data:`Shape`, merged over every
example; positions whose examples differ in type get a :class:`OneOf`."""

from __future__ import annotations

import itertools
import math
import string
from dataclasses import dataclass, field
from typing import Any

FIXED_TUPLE_MAX = 6
"""Tuples up to this long, all of one length, are records (one shape per position);
longer or varying ones are sequences."""
CHAR_CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
SORTED_EVIDENCE = 5
"""A sorted example this long or longer is evidence the argument is a sorted list
(a shorter one is sorted by chance too often)."""


@dataclass
class IntShape:
    lo: int
    hi: int


@dataclass
class FloatShape:
    lo: float
    hi: float


@dataclass
class BoolShape:
    pass


@dataclass
class NoneShape:
    pass


@dataclass
class StrShape:
    min_len: int
    max_len: int
    given: str
    """The characters the examples use."""

    @property
    def alphabet(self) -> str:
        """The given characters plus the rest of each character class (lower case,
        upper case, digits) the examples use two or more of."""
        extra = ""
        for chars in CHAR_CLASSES:
            if sum(c in chars for c in self.given) >= 2:
                extra += "".join(c for c in chars if c not in self.given)
        return self.given + extra


@dataclass
class SeqShape:
    """A list, set, frozenset or tuple of any length, of one item shape."""

    kind: str
    item: Shape | None
    """None: every example is empty."""
    min_len: int
    max_len: int
    ordered: bool | None = None
    """True: some example of :data:`SORTED_EVIDENCE` or more items is sorted and every
    example is (lists and tuples only); None: no example long enough to tell."""


@dataclass
class TupleShape:
    """A fixed-length tuple: one shape per position."""

    items: list[Shape]


@dataclass
class DictShape:
    key: Shape | None
    value: Shape | None
    min_len: int
    max_len: int


@dataclass
class OneOf:
    options: list[Shape] = field(default_factory=list)


Shape = (
    IntShape
    | FloatShape
    | BoolShape
    | NoneShape
    | StrShape
    | SeqShape
    | TupleShape
    | DictShape
    | OneOf
)

SEQ_KINDS: dict[type, str] = {list: "list", set: "set", frozenset: "frozenset", tuple: "tuple"}


class Unsupported(ValueError):
    """A value of a type the synthesis does not generate (an object, a function...)."""


def shape_of(value: Any) -> Shape:
    kind = type(value)
    if kind is bool:
        return BoolShape()
    if kind is int:
        return IntShape(value, value)
    if kind is float:
        # an infinity or NaN stays a given test; the range is drawn from finite values
        return FloatShape(value, value) if math.isfinite(value) else FloatShape(0.0, 0.0)
    if value is None:
        return NoneShape()
    if kind is str:
        return StrShape(len(value), len(value), "".join(sorted(set(value))))
    if kind is tuple and len(value) <= FIXED_TUPLE_MAX and value:
        return TupleShape([shape_of(v) for v in value])
    if kind in SEQ_KINDS:
        item = merge_all([shape_of(v) for v in value])
        ordered: bool | None = None
        if kind not in (list, tuple) or not _is_sorted(value):
            ordered = False
        elif len(value) >= SORTED_EVIDENCE:
            ordered = True
        return SeqShape(SEQ_KINDS[kind], item, len(value), len(value), ordered)
    if kind is dict:
        key = merge_all([shape_of(k) for k in value])
        val = merge_all([shape_of(v) for v in value.values()])
        return DictShape(key, val, len(value), len(value))
    raise Unsupported(f"cannot generate values of type {kind.__name__}")


def _is_sorted(values: Any) -> bool:
    items = list(values)
    try:
        return all(a <= b for a, b in itertools.pairwise(items))
    except TypeError:
        return False


def merge_all(shapes: list[Shape]) -> Shape | None:
    merged: Shape | None = None
    for shape in shapes:
        merged = shape if merged is None else merge(merged, shape)
    return merged


def merge(a: Shape, b: Shape) -> Shape:
    """The shape covering both."""
    if isinstance(a, OneOf) or isinstance(b, OneOf):
        options = [*(a.options if isinstance(a, OneOf) else [a])]
        for other in b.options if isinstance(b, OneOf) else [b]:
            options = _add_option(options, other)
        return options[0] if len(options) == 1 else OneOf(options)
    if isinstance(a, TupleShape) and isinstance(b, SeqShape) and b.kind == "tuple":
        a = _as_sequence(a)
    if isinstance(b, TupleShape) and isinstance(a, SeqShape) and a.kind == "tuple":
        b = _as_sequence(b)
    if type(a) is not type(b):
        return OneOf(_add_option([a], b))
    if isinstance(a, IntShape) and isinstance(b, IntShape):
        return IntShape(min(a.lo, b.lo), max(a.hi, b.hi))
    if isinstance(a, FloatShape) and isinstance(b, FloatShape):
        return FloatShape(min(a.lo, b.lo), max(a.hi, b.hi))
    if isinstance(a, StrShape) and isinstance(b, StrShape):
        given = "".join(sorted(set(a.given + b.given)))
        return StrShape(min(a.min_len, b.min_len), max(a.max_len, b.max_len), given)
    if isinstance(a, SeqShape) and isinstance(b, SeqShape):
        if a.kind != b.kind:
            return OneOf([a, b])
        return SeqShape(
            a.kind,
            _merge_optional(a.item, b.item),
            min(a.min_len, b.min_len),
            max(a.max_len, b.max_len),
            _both_ordered(a.ordered, b.ordered),
        )
    if isinstance(a, TupleShape) and isinstance(b, TupleShape):
        if len(a.items) != len(b.items):
            return merge(_as_sequence(a), _as_sequence(b))
        return TupleShape([merge(x, y) for x, y in zip(a.items, b.items, strict=True)])
    if isinstance(a, DictShape) and isinstance(b, DictShape):
        return DictShape(
            _merge_optional(a.key, b.key),
            _merge_optional(a.value, b.value),
            min(a.min_len, b.min_len),
            max(a.max_len, b.max_len),
        )
    return a  # BoolShape, NoneShape


def _both_ordered(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return True if (a or b) else None


def _merge_optional(a: Shape | None, b: Shape | None) -> Shape | None:
    if a is None or b is None:
        return a if b is None else b
    return merge(a, b)


def _as_sequence(shape: TupleShape) -> SeqShape:
    item = merge_all(shape.items)
    return SeqShape("tuple", item, len(shape.items), len(shape.items), ordered=False)


def _add_option(options: list[Shape], shape: Shape) -> list[Shape]:
    for index, option in enumerate(options):
        if type(option) is type(shape) and not (
            isinstance(option, SeqShape)
            and isinstance(shape, SeqShape)
            and option.kind != shape.kind
        ):
            options[index] = merge(option, shape)
            return options
    return [*options, shape]


def infer_arguments(examples: list[tuple[Any, ...]]) -> list[Shape]:
    """One shape per argument position. Raises :class:`Unsupported` when the examples
    differ in arity or hold values the synthesis cannot generate."""
    if not examples:
        raise Unsupported("no example calls")
    arities = {len(args) for args in examples}
    if len(arities) != 1:
        raise Unsupported(f"the examples pass different numbers of arguments {sorted(arities)}")
    shapes: list[Shape] = []
    for position in range(arities.pop()):
        merged = merge_all([shape_of(args[position]) for args in examples])
        assert merged is not None
        shapes.append(merged)
    return shapes


def has_sizes(shapes: list[Shape | None]) -> bool:
    """Whether anything has a length (else only numbers can grow)."""
    for shape in shapes:
        if isinstance(shape, StrShape | SeqShape | DictShape):
            return True
        if isinstance(shape, TupleShape) and has_sizes(list(shape.items)):
            return True
        if isinstance(shape, OneOf) and has_sizes(list(shape.options)):
            return True
    return False


def describe(shape: Shape | None) -> str:
    """A type-like summary: ``list[int 0..9] (0..5 items)``."""
    if shape is None:
        return "nothing (always empty)"
    if isinstance(shape, IntShape):
        return f"int {shape.lo}..{shape.hi}"
    if isinstance(shape, FloatShape):
        return f"float {shape.lo:g}..{shape.hi:g}"
    if isinstance(shape, BoolShape):
        return "bool"
    if isinstance(shape, NoneShape):
        return "None"
    if isinstance(shape, StrShape):
        return f"str of {shape.min_len}..{shape.max_len} chars from {shape.given!r}"
    if isinstance(shape, SeqShape):
        order = ", sorted" if shape.ordered else ""
        return (
            f"{shape.kind}[{describe(shape.item)}] ({shape.min_len}..{shape.max_len} items{order})"
        )
    if isinstance(shape, TupleShape):
        return "tuple[" + ", ".join(describe(s) for s in shape.items) + "]"
    if isinstance(shape, DictShape):
        return (
            f"dict[{describe(shape.key)}: {describe(shape.value)}] "
            f"({shape.min_len}..{shape.max_len} items)"
        )
    return " | ".join(describe(s) for s in shape.options)
