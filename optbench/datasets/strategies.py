"""Input strategies that reach the scale of a problem's workload.

A strategy that only draws small inputs lets through candidates that are right on small
inputs and wrong at scale (a fixed-size table, a bound taken from the examples, an int
overflow path). Hypothesis alone does not draw large inputs: a collection costs one
choice per element, a test case has a bounded number of choices, and the average size
stays small by design. :func:`at_scale` therefore mixes the problem's ordinary
(small, well-shrinking) strategy with, now and then, an input built like the workload by
a seeded :class:`random.Random`: a few Hypothesis choices (the seed and the scale)
however large the input is.

The builder receives the generator and a *scale* in (0, 1] and returns an input of
about that fraction of the workload's size; at scale 1 its sizes and value ranges are
the workload's. Where repeats, ties or overlaps matter, a builder widens the value
ranges with the size, so that every size has the workload's density and a small input
has small numbers. Shrinking the scale shrinks the input: a builder that draws its parts
in order from the generator produces, at a smaller scale, about a prefix of what it
produced at a larger one, so a counterexample found at scale shrinks to a short one.

Used by the bundled problems' ``inputs.py`` (trusted dataset code, executed in the
harness process only).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")

LARGE_CHANCE = 0.12
"""Chance that a drawn input is built at scale. Hypothesis does not draw test cases
independently (it derives several from each), so the count varies: verifying each of
the 62 bundled problems with 100 derandomized examples drew 1-27 inputs at scale, 7 on
average (60 examples: 1-18; 200 examples: 3-52), and all but one problem reached a
tenth of its workload's size. Their scales spread over (0, 1], so for an original
quadratic in its input they cost about one and a half runs of the full workload per 100
examples on average, eight at most."""

SCALE_STEPS = 100
"""The scale is drawn as two integers 0..SCALE_STEPS-1, coarse and fine: a coarse step
spreads the scales evenly over (0, 1] (Hypothesis draws from a short range about evenly,
from a long one mostly small numbers), the fine step lets a counterexample shrink below
the smallest coarse step, down to a ten-thousandth of the workload."""

SEED_MAX = 2**32 - 1


def at_scale(
    small: st.SearchStrategy[T],
    large: Callable[[random.Random, float], T],
    *,
    chance: float = LARGE_CHANCE,
) -> st.SearchStrategy[T]:
    """Mostly ``small``; with probability ``chance`` an input built by
    ``large(rng, scale)``, ``rng`` a :class:`random.Random` seeded by a drawn seed and
    ``scale`` a drawn fraction in (0, 1] of the workload's size (see the module's
    docstring).

    Which of the two an input is follows from a hash of the seed together with the small
    input drawn after it: Hypothesis keeps the first choices of a test case in the
    several test cases it derives from it, so a choice drawn for the decision alone
    would repeat with them (25 distinct seeds in 100 examples was typical), while the
    small input changes from one to the next. The small input of a test case built at
    scale is drawn and dropped."""
    if not 0.0 <= chance <= 1.0:
        raise ValueError(f"chance must be within [0, 1], not {chance}")

    @st.composite
    def mixed(draw: Any) -> T:
        seed = draw(st.integers(0, SEED_MAX))
        value = draw(small)
        digest = hashlib.blake2b(f"{seed}:{_fingerprint(value)}".encode(), digest_size=8)
        if int.from_bytes(digest.digest(), "big") >= chance * 2**64:
            return value
        coarse = draw(st.integers(0, SCALE_STEPS - 1))
        fine = draw(st.integers(0, SCALE_STEPS - 1))
        scale = (coarse * SCALE_STEPS + fine + 1) / SCALE_STEPS**2
        return large(random.Random(seed), scale)

    return mixed()


def scaled(scale: float, full: int, minimum: int = 0) -> int:
    """``full`` (a size of the workload) times ``scale``, rounded, at least ``minimum``."""
    return max(minimum, round(full * scale))


def _fingerprint(value: Any) -> str:
    """``repr`` of ``value``, but the same in every process for sets and dicts (whose
    order follows string hashing, which differs between processes): the decision must
    not, or a derandomized run would not draw the same inputs twice."""
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(_fingerprint(v) for v in value)) + "}"
    if isinstance(value, dict):
        items = sorted(f"{_fingerprint(k)}:{_fingerprint(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        inner = ",".join(_fingerprint(v) for v in value)
        if isinstance(value, list):
            return f"[{inner}]"
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)
