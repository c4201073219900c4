"""What one token position holds, inferred from its given values: an int in a range
(a multiple of some step, an index bounded by an earlier count), a decimal with so many
places, or a string of some length over some alphabet."""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence
from functools import reduce

from optbench.datasets.synthesis.grammar import CountRef, FloatToken, IntToken, StrToken, Token

INT = re.compile(r"-?(?:0|[1-9]\d*)")
DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")
CHAR_CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
"""A string using two or more characters of a class may use the whole class; other
characters (``#``, ``.``, punctuation) only as given."""

Env = dict[str, int]
Observed = Sequence[tuple[str, Env]]
"""Given values of one token position, each with the names bound where it was read."""


def is_int(text: str) -> bool:
    return INT.fullmatch(text) is not None


def infer_token(observed: Observed, own: str | None = None) -> Token:
    """The token every value of ``observed`` fits; ``own`` is the name the token binds
    (never its own bound)."""
    texts = [text for text, _ in observed]
    if texts and all(is_int(t) for t in texts):
        return _int_token(observed, own)
    if texts and all(DECIMAL.fullmatch(t) for t in texts):
        numbers = [float(t) for t in texts]
        places = max((len(t.split(".")[1]) for t in texts if "." in t), default=0)
        return FloatToken(min(numbers), max(numbers), places)
    return _str_token(observed)


def _int_token(observed: Observed, own: str | None) -> IntToken:
    values = [int(text) for text, _ in observed]
    token = IntToken(min(values), max(values))
    distinct = {v for v in values if v}
    step = reduce(math.gcd, distinct, 0)
    if len(distinct) >= 2 and (step >= 10 or (step >= 2 and len(distinct) >= 4)):
        token.step = step
    envs = [env for _, env in observed]
    token.upper = _index_bound(values, envs, own)
    token.lower = _lower_bound(values, envs, own)
    if own is not None and (token.lower is None or token.lower.add <= 0):
        token.differs = _differs(values, envs, own)
    return token


def _differs(values: list[int], envs: list[Env], own: str) -> str | None:
    """The latest earlier int that no value equals, when the given values collide with
    it often enough by chance that never doing so is evidence (at least one collision
    expected, each value drawn uniformly from the range the two share)."""
    shared = [n for n in envs[0] if n != own and all(n in env for env in envs[1:])]
    if not shared:
        return None
    name = shared[-1]
    others = [env[name] for env in envs]
    if any(v == other for v, other in zip(values, others, strict=True)):
        return None
    low, high = max(min(values), min(others)), min(max(values), max(others))
    if high <= low:
        return None
    expected = sum(1 / (high - low + 1) for other in others if low <= other <= high)
    return name if expected >= 1 else None


def _lower_bound(values: list[int], envs: list[Env], own: str | None) -> CountRef | None:
    """The latest earlier int that every value is at least (and some value exceeds);
    plus one when every value exceeds it (``l < r``)."""
    if len(values) < 2:
        return None
    shared = [n for n in envs[0] if n != own and all(n in env for env in envs[1:])]
    for name in reversed(shared):
        limits = [env[name] for env in envs]
        if all(v >= limit for v, limit in zip(values, limits, strict=True)) and any(
            v > limit for v, limit in zip(values, limits, strict=True)
        ):
            above = all(v > limit for v, limit in zip(values, limits, strict=True))
            return CountRef(name, 1, 1 if above else 0)
    return None


def _index_bound(values: list[int], envs: list[Env], own: str | None) -> CountRef | None:
    """An earlier count ``n`` with every value in ``0..n`` and one of them ``n`` or
    ``n - 1`` (a vertex of a graph of ``n`` vertices, a position in a list of ``n``):
    ``n - 1`` when every value is below ``n`` (positions counted from 0)."""
    if not values or max(values) < 2 or min(values) < 0:
        return None
    shared = set.intersection(*(set(env) for env in envs)) - {own}
    best: tuple[int, str, int] | None = None
    for name in shared:
        limits = [env[name] for env in envs]
        if (
            all(v <= limit for v, limit in zip(values, limits, strict=True))
            and any(v >= limit - 1 for v, limit in zip(values, limits, strict=True))
            and _plausible_bound(values, limits)
        ):
            slack = sum(limit - v for v, limit in zip(values, limits, strict=True))
            below = all(v < limit for v, limit in zip(values, limits, strict=True))
            if best is None or slack < best[0]:
                best = (slack, name, -1 if below else 0)
    return CountRef(best[1], 1, best[2]) if best else None


UNLIKELY_BOUND = 1e-3


def _plausible_bound(values: list[int], limits: list[int]) -> bool:
    """Whether values drawn up to their limit would stay as far below it as the given
    ones do: under a uniform draw from ``1..limit``, the chance that the values with one
    limit all stay at or below their largest (ten values up to 100000 where the limit is
    500000: a constraint of their own, not the count's)."""
    groups: dict[int, list[int]] = {}
    for value, limit in zip(values, limits, strict=True):
        groups.setdefault(limit, []).append(value)
    chance = 1.0
    for limit, group in groups.items():
        chance *= (max(1, max(group)) / max(1, limit)) ** len(group)
    return chance >= UNLIKELY_BOUND


def _str_token(observed: Observed) -> StrToken:
    texts = [text for text, _ in observed]
    given = "".join(sorted(set("".join(texts))))
    extra = ""
    for chars in CHAR_CLASSES:
        if sum(c in chars for c in given) >= 2:
            extra += "".join(c for c in chars if c not in given)
    token = StrToken(min(map(len, texts)), max(map(len, texts)), given + extra, given or "a")
    token.length = _length_ref(observed)
    return token


def _length_ref(observed: Observed) -> CountRef | None:
    """An earlier count every given string is exactly as long as (a grid's width)."""
    lengths = [len(text) for text, _ in observed]
    if max(lengths) < 2:
        return None
    shared = set.intersection(*(set(env) for _, env in observed))
    for name in sorted(shared):
        if all(env[name] == length for (_, env), length in zip(observed, lengths, strict=True)):
            return CountRef(name)
    return None
