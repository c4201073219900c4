"""Small, dependency-free statistics for reports: bootstrap intervals and paired tests.

Everything is deterministic for a given seed, so a report computed twice from the same
store prints the same intervals.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

DEFAULT_RESAMPLES = 2000
DEFAULT_CONFIDENCE = 0.95
EXACT_WILCOXON_MAX_N = 60
"""Above this many non-zero differences the normal approximation is used."""

Statistic = Callable[[Sequence[float]], float]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with a confidence interval (``low``/``high`` NaN when undefined)."""

    value: float
    low: float
    high: float

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values) if values else math.nan


def geometric_mean(values: Sequence[float]) -> float:
    """Geometric mean of positive values; NaN for an empty sequence."""
    if not values:
        return math.nan
    if any(v <= 0 for v in values):
        raise ValueError("geometric mean needs positive values")
    return math.exp(math.fsum(math.log(v) for v in values) / len(values))


def total(values: Sequence[float]) -> float:
    return math.fsum(values)


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default) of already sorted values."""
    if not sorted_values:
        return math.nan
    position = q * (len(sorted_values) - 1)
    below = math.floor(position)
    above = min(below + 1, len(sorted_values) - 1)
    fraction = position - below
    return sorted_values[below] + (sorted_values[above] - sorted_values[below]) * fraction


def bootstrap_ci(
    values: Sequence[float],
    statistic: Statistic = mean,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic`` over ``values`` (resampled with
    replacement, ``resamples`` times, from a ``random.Random(seed)``)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    n = len(values)
    if n == 0:
        return math.nan, math.nan
    if n == 1:
        point = statistic(values)
        return point, point
    rng = random.Random(seed)
    stats = sorted(
        statistic([values[rng.randrange(n)] for _ in range(n)]) for _ in range(resamples)
    )
    alpha = (1 - confidence) / 2
    return _percentile(stats, alpha), _percentile(stats, 1 - alpha)


def estimate(
    values: Sequence[float],
    statistic: Statistic = mean,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> Estimate:
    """``statistic(values)`` with its bootstrap interval."""
    low, high = bootstrap_ci(
        values, statistic, resamples=resamples, confidence=confidence, seed=seed
    )
    return Estimate(statistic(values) if values else math.nan, low, high)


def sign_test(wins: int, losses: int) -> float:
    """Exact two-sided sign-test p-value (ties are dropped before calling)."""
    n = wins + losses
    if n == 0:
        return 1.0
    k = min(wins, losses)
    tail = math.fsum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks with ties given their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        average = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = average
        i = j + 1
    return ranks


def wilcoxon_signed_rank(differences: Sequence[float]) -> float:
    """Two-sided p-value of the Wilcoxon signed-rank test for paired ``differences``.

    Zero differences are dropped (Wilcoxon's convention). Up to
    ``EXACT_WILCOXON_MAX_N`` remaining pairs the null distribution of the statistic is
    enumerated exactly (tied ranks included); beyond, the normal approximation with tie
    and continuity corrections is used. Returns 1.0 when no difference is non-zero.
    """
    nonzero = [d for d in differences if d != 0]
    n = len(nonzero)
    if n == 0:
        return 1.0
    ranks = _ranks([abs(d) for d in nonzero])
    w_plus = math.fsum(r for r, d in zip(ranks, nonzero, strict=True) if d > 0)
    if n <= EXACT_WILCOXON_MAX_N:
        return _wilcoxon_exact(ranks, w_plus)
    mean_w = n * (n + 1) / 4
    tie_counts: dict[float, int] = {}
    for r in ranks:
        tie_counts[r] = tie_counts.get(r, 0) + 1
    tie_term = sum(t**3 - t for t in tie_counts.values()) / 48
    variance = n * (n + 1) * (2 * n + 1) / 24 - tie_term
    if variance <= 0:
        return 1.0
    z = (abs(w_plus - mean_w) - 0.5) / math.sqrt(variance)
    return min(1.0, math.erfc(max(z, 0.0) / math.sqrt(2)))


def _wilcoxon_exact(ranks: Sequence[float], w_plus: float) -> float:
    """Exact two-sided p-value: every sign assignment is equally likely under H0.

    Ranks are doubled so that average ranks (multiples of 1/2) become integers, and the
    distribution of the doubled positive-rank sum is built by dynamic programming.
    """
    doubled = [round(2 * r) for r in ranks]
    top = sum(doubled)
    counts = [0] * (top + 1)
    counts[0] = 1
    for r in doubled:
        for s in range(top, r - 1, -1):
            counts[s] += counts[s - r]
    total_count = 2 ** len(ranks)
    observed = round(2 * w_plus)
    centre = top / 2
    distance = abs(observed - centre)
    extreme = sum(c for s, c in enumerate(counts) if abs(s - centre) >= distance - 1e-9)
    return min(1.0, extreme / total_count)
