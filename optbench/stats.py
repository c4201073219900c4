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


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularized incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1.0 - x) / b


def student_t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t distribution with ``df`` degrees of freedom."""
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def student_t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t distribution (bisection on the CDF)."""
    if not 0 < p < 1:
        raise ValueError(f"p must be in (0, 1), got {p}")
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive, got {df}")
    if p < 0.5:
        return -student_t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while student_t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if student_t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low <= 1e-12 * max(1.0, high):
            break
    return (low + high) / 2.0


def t_interval(
    values: Sequence[float], *, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[float, float]:
    """Student-t interval of the mean of ``values`` (e.g. one figure per repeated run).

    With a handful of repeats a bootstrap interval is degenerate (two runs can only be
    resampled into three distinct means); the t interval is wide instead, which is what
    two or three runs can honestly say. One value gives a point interval, none NaN.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    n = len(values)
    if n == 0:
        return math.nan, math.nan
    centre = mean(values)
    if n == 1:
        return centre, centre
    spread = math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (n - 1))
    half = student_t_quantile(1 - (1 - confidence) / 2, n - 1) * spread / math.sqrt(n)
    return centre - half, centre + half


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from ``n`` samples of which ``c`` passed (Chen et al. 2021):
    1 - C(n-c, k) / C(n, k), in the numerically stable product form of their code."""
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got n={n}, k={k}")
    if n - c < k:
        return 1.0
    product = 1.0
    for i in range(n - c + 1, n + 1):
        product *= 1.0 - k / i
    return 1.0 - product


def best_at_k(values: Sequence[float], k: int) -> float:
    """Unbiased estimate of the expected best of ``k`` samples drawn without replacement
    from the ``n`` values: sum over the values sorted ascending of
    s_(i) * C(i-1, k-1) / C(n, k) (the chance that s_(i) is the largest of a random
    k-subset). With 0/1 values it is :func:`pass_at_k`."""
    n = len(values)
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got n={n}, k={k}")
    total_subsets = math.comb(n, k)
    ordered = sorted(values)
    return math.fsum(
        s * (math.comb(i - 1, k - 1) / total_subsets)
        for i, s in enumerate(ordered, start=1)
        if i >= k
    )
