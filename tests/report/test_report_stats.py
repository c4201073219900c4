from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optbench.stats import (
    Estimate,
    _ranks,
    _wilcoxon_exact,
    bootstrap_ci,
    estimate,
    geometric_mean,
    mean,
    sign_test,
    wilcoxon_signed_rank,
)


def test_bootstrap_is_deterministic_for_a_seed() -> None:
    values = [1.0, 1.3, 2.2, 0.9, 1.1, 3.0, 1.0, 1.05]
    assert bootstrap_ci(values, seed=7) == bootstrap_ci(values, seed=7)
    assert bootstrap_ci(values, seed=7) != bootstrap_ci(values, seed=8)


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(st.lists(st.floats(0.5, 5.0), min_size=5, max_size=30), st.integers(0, 1000))
def test_interval_contains_the_mean(values: list[float], seed: int) -> None:
    est = estimate(values, mean, resamples=500, seed=seed)
    assert est.low <= est.value + 1e-12 and est.value - 1e-12 <= est.high


def test_interval_covers_geometric_mean_and_narrows_with_data() -> None:
    rng = random.Random(0)
    small = [math.exp(rng.gauss(0.2, 0.3)) for _ in range(10)]
    large = [math.exp(rng.gauss(0.2, 0.3)) for _ in range(200)]
    est_small = estimate(small, geometric_mean)
    est_large = estimate(large, geometric_mean)
    assert est_small.contains(est_small.value) and est_large.contains(est_large.value)
    assert est_large.high - est_large.low < est_small.high - est_small.low


def test_degenerate_samples() -> None:
    assert bootstrap_ci([2.5]) == (2.5, 2.5)
    low, high = bootstrap_ci([])
    assert math.isnan(low) and math.isnan(high)
    assert bootstrap_ci([1.0, 1.0, 1.0]) == (1.0, 1.0)
    assert math.isnan(estimate([]).value)
    with pytest.raises(ValueError):
        bootstrap_ci([1.0, 2.0], confidence=1.5)


def test_geometric_mean() -> None:
    assert geometric_mean([1.0, 4.0]) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        geometric_mean([1.0, 0.0])


def test_sign_test_known_values() -> None:
    assert sign_test(5, 0) == pytest.approx(2 / 32)
    assert sign_test(0, 5) == pytest.approx(2 / 32)
    assert sign_test(1, 1) == 1.0
    assert sign_test(0, 0) == 1.0
    assert sign_test(9, 1) == pytest.approx(2 * 11 / 1024)


def _brute_force_p(differences: list[float]) -> float:
    nonzero = [d for d in differences if d != 0]
    ranks = _ranks([abs(d) for d in nonzero])
    observed = sum(r for r, d in zip(ranks, nonzero, strict=True) if d > 0)
    centre = sum(ranks) / 2
    hits = 0
    for signs in itertools.product((0, 1), repeat=len(ranks)):
        w = sum(r for r, s in zip(ranks, signs, strict=True) if s)
        hits += abs(w - centre) >= abs(observed - centre) - 1e-9
    return hits / 2 ** len(ranks)


@pytest.mark.parametrize(
    "differences",
    [
        [1, 2, 3, 4, 5],
        [1, -2, 3, 4, 5, 6, 7, -8, 9, 10],
        [0.5, 0.5, -0.5, 1.0, 1.0, 2.0, -3.0, 0.0, 4.0],
        [-1, 1],
    ],
)
def test_wilcoxon_exact_matches_enumeration(differences: list[float]) -> None:
    assert wilcoxon_signed_rank(differences) == pytest.approx(_brute_force_p(differences))


def test_wilcoxon_known_value_and_edge_cases() -> None:
    assert wilcoxon_signed_rank([1, 2, 3, 4, 5]) == pytest.approx(0.0625)
    assert wilcoxon_signed_rank([1, -2, 3, 4, 5, 6, 7, -8, 9, 10]) == pytest.approx(0.083984375)
    assert wilcoxon_signed_rank([]) == 1.0
    assert wilcoxon_signed_rank([0.0, 0.0]) == 1.0


def test_wilcoxon_normal_approximation_agrees_with_exact() -> None:
    rng = random.Random(1)
    differences = [rng.gauss(0.3, 1.0) for _ in range(80)]
    nonzero = [d for d in differences if d != 0]
    ranks = _ranks([abs(d) for d in nonzero])
    w_plus = sum(r for r, d in zip(ranks, nonzero, strict=True) if d > 0)
    assert wilcoxon_signed_rank(differences) == pytest.approx(
        _wilcoxon_exact(ranks, w_plus), abs=0.01
    )


def test_estimate_contains() -> None:
    assert Estimate(1.0, 0.5, 1.5).contains(1.2)
    assert not Estimate(1.0, 0.5, 1.5).contains(2.0)
