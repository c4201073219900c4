"""Ratios of medians with bootstrap confidence intervals.

The ratio is always baseline / candidate (higher is better): the speedup for time, the
memory ratio for peak memory. The interval is a percentile bootstrap: both samples are
resampled independently with replacement, the ratio of the resampled medians is
recomputed, and the central ``confidence`` mass of those ratios is the interval. The
generator is seeded, so the same values always give the same interval.

pyperf values come in *blocks*: each worker process contributes ``values`` consecutive
values, and values from one process resemble each other more than values from
different processes (memory layout, the state of the machine when the process ran).
With ``block > 1`` the bootstrap resamples whole blocks, which treats the process as the
unit of replication; resampling single values would give intervals that are too narrow
and call an identical program significantly faster too often.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from optbench.core import MetricResult, Stats

RESAMPLES = 2000
CONFIDENCE = 0.95


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _ratio(baseline: float, candidate: float) -> float:
    if candidate > 0:
        return baseline / candidate
    return math.inf if baseline > 0 else 1.0


def _blocks(values: Sequence[float], block: int) -> list[Sequence[float]]:
    """Consecutive blocks of ``block`` values, or single values when they do not divide."""
    size = block if block > 1 and len(values) % block == 0 else 1
    return [values[i : i + size] for i in range(0, len(values), size)]


def _resample(rng: random.Random, blocks: list[Sequence[float]]) -> list[float]:
    return [v for chosen in rng.choices(blocks, k=len(blocks)) for v in chosen]


def ratio_interval(
    baseline: Sequence[float],
    candidate: Sequence[float],
    *,
    confidence: float = CONFIDENCE,
    resamples: int = RESAMPLES,
    seed: int = 0,
    block: int = 1,
) -> tuple[float, float, float]:
    """``(ratio, low, high)`` for median(baseline) / median(candidate); ``block`` values
    at a time are resampled together in a sample that divides into such blocks (single
    values otherwise, and in both samples when either has fewer than two blocks).

    The interval always contains the point estimate: with very few values the
    percentile bootstrap can miss it, and an interval that excludes its own estimate
    would be read as nonsense.
    """
    if not baseline or not candidate:
        raise ValueError("a ratio needs at least one value on each side")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    point = _ratio(_median(baseline), _median(candidate))
    rng = random.Random(seed)
    base_blocks, cand_blocks = _blocks(baseline, block), _blocks(candidate, block)
    if len(base_blocks) < 2 or len(cand_blocks) < 2:
        base_blocks, cand_blocks = _blocks(baseline, 1), _blocks(candidate, 1)
    ratios = sorted(
        _ratio(_median(_resample(rng, base_blocks)), _median(_resample(rng, cand_blocks)))
        for _ in range(resamples)
    )
    tail = (1 - confidence) / 2
    low = ratios[math.floor(tail * (resamples - 1))]
    high = ratios[math.ceil((1 - tail) * (resamples - 1))]
    return point, min(low, point), max(high, point)


def compare_values(
    metric: str,
    baseline: Sequence[float],
    candidate: Sequence[float],
    *,
    unit: str,
    seed: int = 0,
    confidence: float = CONFIDENCE,
    block: int = 1,
) -> MetricResult:
    """A :class:`MetricResult`; significant when the interval excludes 1.0 and each side
    has at least two values (one value per side gives no interval worth the name: its
    bootstrap is the point itself, and page-sized noise in a peak-memory probe would read
    as a significant difference)."""
    ratio, low, high = ratio_interval(
        baseline, candidate, seed=seed, confidence=confidence, block=block
    )
    return MetricResult(
        metric=metric,
        baseline=Stats(values=list(baseline), unit=unit),
        candidate=Stats(values=list(candidate), unit=unit),
        ratio=ratio,
        ci_low=low,
        ci_high=high,
        significant=min(len(baseline), len(candidate)) >= 2 and (low > 1.0 or high < 1.0),
    )
