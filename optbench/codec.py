"""A safe, tagged JSON encoding of plain Python values.

Values cross the sandbox boundary in this form. Decoding only ever builds builtin
types (int, float, str, bytes, bool, None, list, tuple, dict, set, frozenset), so an
untrusted process cannot hand the trusted side an object with its own ``__eq__``.
Anything else is encoded as an opaque ``{"$obj": type name, "repr": ...}`` record and
compares by type name and repr.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 200
MAX_NODES = 10_000_000
"""Values (containers and items) one encoding may hold: a structure that shares one list
many times over (``x = [x, x]`` repeated) has exponentially many of them."""
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class TooLarge(ValueError):
    """The value holds more than :data:`MAX_NODES` values."""


class Opaque:
    """An object the codec cannot represent structurally; compares by type name and repr."""

    __slots__ = ("repr", "type_name")

    def __init__(self, type_name: str, repr_text: str) -> None:
        self.type_name = type_name
        self.repr = repr_text

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Opaque)
            and self.type_name == other.type_name
            and self.repr == other.repr
        )

    def __hash__(self) -> int:
        return hash((self.type_name, self.repr))

    def __repr__(self) -> str:
        return f"<{self.type_name} {self.repr}>"


def encode(value: Any, max_nodes: int = MAX_NODES) -> Any:
    """Turn a value into JSON-compatible data with type tags. Raises :class:`TooLarge`
    when it holds more than ``max_nodes`` values."""
    return _encode(value, 0, [max_nodes])


def _encode(value: Any, depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise TooLarge("the value holds too many items to encode")
    if depth > MAX_DEPTH:
        return {"$obj": "too_deep", "repr": "..."}
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value if abs(value) < 2**53 else {"$int": hex(value)}
    if kind is float:
        if math.isnan(value):
            return {"$float": "nan"}
        if math.isinf(value):
            return {"$float": "inf" if value > 0 else "-inf"}
        if value == 0.0 and math.copysign(1.0, value) < 0:
            return {"$float": "-0.0"}
        return {"$float": repr(value)}
    deeper = depth + 1
    if kind is list:
        return [_encode(v, deeper, budget) for v in value]
    if kind is tuple:
        return {"$tuple": [_encode(v, deeper, budget) for v in value]}
    if kind is dict:
        return {
            "$dict": [
                [_encode(k, deeper, budget), _encode(v, deeper, budget)] for k, v in value.items()
            ]
        }
    if kind is set or kind is frozenset:
        items = [_encode(v, deeper, budget) for v in value]
        items.sort(key=lambda x: json.dumps(x, sort_keys=True))
        return {"$set" if kind is set else "$frozenset": items}
    if kind is bytes or kind is bytearray:
        return {"$bytes": value.hex(), "mutable": kind is bytearray}
    if kind is complex:
        return {"$complex": [repr(value.real), repr(value.imag)]}
    if kind is range:
        return {"$range": [value.start, value.stop, value.step]}
    try:
        text = repr(value)
    except Exception as exc:  # a hostile __repr__ must not break encoding
        text = f"<repr failed: {type(exc).__name__}>"
    # A default repr names the object's address, which differs from run to run.
    return {"$obj": _type_name(value), "repr": _ADDRESS.sub(" at 0x…", text[:2000])}


def decode(data: Any, _depth: int = 0) -> Any:
    """Inverse of :func:`encode`; builds builtin types only."""
    if _depth > MAX_DEPTH + 1:  # encode's "too_deep" marker sits one level below its limit
        raise ValueError("encoded value nested too deeply")
    if data is None or isinstance(data, bool | int | str):
        return data
    if isinstance(data, float):
        return data
    if isinstance(data, list):
        return [decode(v, _depth + 1) for v in data]
    if not isinstance(data, dict) or len(data) == 0:
        raise ValueError(f"malformed encoded value: {str(data)[:80]}")
    if "$int" in data:
        return _int(str(data["$int"]))
    if "$float" in data:
        return float(data["$float"])
    if "$tuple" in data:
        return tuple(decode(v, _depth + 1) for v in data["$tuple"])
    if "$dict" in data:
        return {_hashable(decode(k, _depth + 1)): decode(v, _depth + 1) for k, v in data["$dict"]}
    if "$set" in data:
        return {_hashable(decode(v, _depth + 1)) for v in data["$set"]}
    if "$frozenset" in data:
        return frozenset(_hashable(decode(v, _depth + 1)) for v in data["$frozenset"])
    if "$bytes" in data:
        raw = bytes.fromhex(data["$bytes"])
        return bytearray(raw) if data.get("mutable") else raw
    if "$complex" in data:
        real, imag = data["$complex"]
        return complex(float(real), float(imag))
    if "$range" in data:
        start, stop, step = data["$range"]
        return range(int(start), int(stop), int(step))
    if "$obj" in data:
        return Opaque(str(data["$obj"]), str(data.get("repr", "")))
    raise ValueError(f"unknown tag in encoded value: {sorted(data)[:3]}")


def dumps(value: Any) -> str:
    return json.dumps(encode(value), separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    return decode(loads_bounded(text))


MAX_MESSAGE_BYTES = 64 * 1024 * 1024


def loads_bounded(text: str | bytes, *, max_bytes: int = MAX_MESSAGE_BYTES) -> Any:
    """``json.loads`` for data an untrusted child wrote: at most ``max_bytes`` long, and
    nesting too deep for the parser is a ``ValueError`` like any malformed message (the
    parser's ``RecursionError`` would otherwise end a run instead of one candidate's
    measurement). Values decoded from it are depth-limited by :func:`decode`."""
    if len(text) > max_bytes:
        raise ValueError(f"message of {len(text)} bytes exceeds the {max_bytes}-byte limit")
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("message nested too deeply to parse") from None


def _int(text: str) -> int:
    """Big ints travel in hex: decimal conversion of huge ints is capped (and quadratic)."""
    if text.lstrip("-").startswith("0x"):
        return int(text, 16)
    return int(text)


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"{getattr(kind, '__module__', '?')}.{getattr(kind, '__qualname__', '?')}"
