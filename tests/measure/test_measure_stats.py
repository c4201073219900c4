"""The interval code on synthetic values: no sandbox, no timing."""

from __future__ import annotations

import random

import pytest

from optbench.measure import compare_values, ratio_interval


def _sample(center: float, spread: float, n: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [center * (1 + rng.uniform(-spread, spread)) for _ in range(n)]


def test_deterministic_for_a_seed() -> None:
    base, cand = _sample(2.0, 0.1, 15, 1), _sample(1.0, 0.1, 15, 2)
    assert ratio_interval(base, cand, seed=7) == ratio_interval(base, cand, seed=7)
    assert compare_values("time", base, cand, unit="s", seed=3) == compare_values(
        "time", base, cand, unit="s", seed=3
    )


def test_interval_contains_the_point_estimate() -> None:
    for seed in range(30):
        rng = random.Random(seed)
        n, m = rng.randint(1, 12), rng.randint(1, 12)
        base, cand = _sample(1.5, 0.4, n, seed), _sample(1.0, 0.4, m, seed + 100)
        ratio, low, high = ratio_interval(base, cand, seed=seed)
        assert low <= ratio <= high


def test_point_estimate_is_the_ratio_of_medians() -> None:
    ratio, _, _ = ratio_interval([3.0, 1.0, 2.0], [1.0, 0.5, 4.0])
    assert ratio == pytest.approx(2.0 / 1.0)


def test_narrower_with_more_values() -> None:
    def width(n: int) -> float:
        _, low, high = ratio_interval(_sample(2.0, 0.2, n, n), _sample(1.0, 0.2, n, n + 1))
        return high - low

    assert width(100) < width(20) < width(5)


def test_significance_follows_the_interval() -> None:
    faster = compare_values("time", _sample(2.0, 0.05, 10, 1), _sample(1.0, 0.05, 10, 2), unit="s")
    assert faster.significant and faster.ci_low > 1.0
    slower = compare_values("time", _sample(1.0, 0.05, 10, 1), _sample(2.0, 0.05, 10, 2), unit="s")
    assert slower.significant and slower.ci_high < 1.0
    same = compare_values("time", _sample(1.0, 0.2, 10, 1), _sample(1.0, 0.2, 10, 2), unit="s")
    assert not same.significant and same.ci_low <= 1.0 <= same.ci_high


def test_identical_constant_values_give_a_point_interval() -> None:
    result = compare_values("peak_memory", [100.0, 100.0], [50.0, 50.0], unit="B")
    assert (result.ratio, result.ci_low, result.ci_high) == (2.0, 2.0, 2.0)
    assert result.significant


def test_one_value_on_a_side_is_never_significant() -> None:
    """A single probe per side has no spread to bootstrap: its 'interval' is the point."""
    result = compare_values("peak_memory", [100.0, 100.0], [50.0], unit="B")
    assert (result.ratio, result.ci_low, result.ci_high) == (2.0, 2.0, 2.0)
    assert not result.significant


def test_rejects_empty_samples() -> None:
    with pytest.raises(ValueError):
        ratio_interval([], [1.0])


def _processes(rng: random.Random, processes: int, values: int) -> list[float]:
    """Values of an identical program: each process has its own offset (10%), values
    within a process differ by 1%."""
    out: list[float] = []
    for _ in range(processes):
        offset = rng.gauss(1.0, 0.1)
        out += [offset * rng.gauss(1.0, 0.01) for _ in range(values)]
    return out


def test_resampling_processes_keeps_the_identity_false_positive_rate_low() -> None:
    rng = random.Random(5)
    trials = 200
    by_value = by_process = 0
    for trial in range(trials):
        base, cand = _processes(rng, 4, 3), _processes(rng, 4, 3)
        by_value += compare_values("time", base, cand, unit="s", seed=trial).significant
        by_process += compare_values("time", base, cand, unit="s", seed=trial, block=3).significant
    assert by_process / trials <= 0.10
    assert by_value > 2 * by_process


def test_blocks_that_do_not_divide_fall_back_to_values() -> None:
    base, cand = [1.0, 1.1, 0.9, 1.0, 1.05], [0.5, 0.55, 0.45, 0.5, 0.52]
    assert ratio_interval(base, cand, block=2) == ratio_interval(base, cand, block=1)
    assert ratio_interval(base[:4], cand[:4], block=2) != ratio_interval(base[:4], cand[:4])
