"""pass@k, %Opt@k and speedup@k: unbiased estimators of the best of k random samples."""

from __future__ import annotations

import math
import random
import statistics

import pytest
from click.testing import CliRunner
from report_fixtures import Filled

from optbench.cli import cli
from optbench.report import CandidateRecord, metrics, problem_results
from optbench.stats import best_at_k, pass_at_k


def test_pass_at_k_hand_computed() -> None:
    assert pass_at_k(5, 2, 2) == pytest.approx(1 - math.comb(3, 2) / math.comb(5, 2))
    assert pass_at_k(5, 2, 2) == pytest.approx(0.7)
    assert pass_at_k(5, 0, 3) == 0.0
    assert pass_at_k(5, 3, 3) == 1.0
    assert pass_at_k(4, 1, 1) == pytest.approx(0.25)
    assert pass_at_k(200, 10, 100) == pytest.approx(1 - math.comb(190, 100) / math.comb(200, 100))


@pytest.mark.parametrize(("n", "k"), [(1, 1), (5, 2), (8, 3), (10, 10), (30, 7)])
def test_best_at_k_of_zeros_and_ones_is_pass_at_k(n: int, k: int) -> None:
    for c in range(n + 1):
        values = [1.0] * c + [0.0] * (n - c)
        assert best_at_k(values, k) == pytest.approx(pass_at_k(n, c, k))


def test_best_at_k_hand_computed() -> None:
    # the 6 pairs of (1, 1.5, 2, 3) have maxima 1.5, 2, 3, 2, 3, 3
    assert best_at_k([3.0, 1.0, 2.0, 1.5], 2) == pytest.approx(14.5 / 6)
    assert best_at_k([3.0, 1.0, 2.0, 1.5], 1) == pytest.approx(7.5 / 4)
    assert best_at_k([3.0, 1.0, 2.0, 1.5], 4) == 3.0


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        pass_at_k(3, 4, 1)
    with pytest.raises(ValueError):
        pass_at_k(3, 1, 4)
    with pytest.raises(ValueError):
        best_at_k([1.0, 2.0], 0)


def test_pass_at_k_is_unbiased_exactly() -> None:
    """Averaged over the binomial distribution of c, pass@k is 1 - (1 - p)^k."""
    n, k, p = 12, 4, 0.3
    expected = math.fsum(
        math.comb(n, c) * p**c * (1 - p) ** (n - c) * pass_at_k(n, c, k) for c in range(n + 1)
    )
    assert expected == pytest.approx(1 - (1 - p) ** k, abs=1e-12)


def _sample(rng: random.Random) -> float:
    """One sample's clamped score: 35% fail (1.0), else a lognormal speedup."""
    if rng.random() < 0.35:
        return 1.0
    return max(1.0, math.exp(rng.gauss(0.1, 0.4)))


def test_speedup_at_k_matches_a_simulation_of_the_best_of_k() -> None:
    rng = random.Random(7)
    n, k = 8, 3
    direct = [max(_sample(rng) for _ in range(k)) for _ in range(40_000)]
    estimates = [best_at_k([_sample(rng) for _ in range(n)], k) for _ in range(6_000)]
    naive = [max(draw[:k]) for draw in ([_sample(rng) for _ in range(n)] for _ in range(6_000))]
    tolerance = 4 * math.hypot(
        statistics.stdev(direct) / math.sqrt(len(direct)),
        statistics.stdev(estimates) / math.sqrt(len(estimates)),
    )
    assert statistics.fmean(estimates) == pytest.approx(statistics.fmean(direct), abs=tolerance)
    assert statistics.stdev(estimates) < statistics.stdev(naive)


def rec(cid: int, sample: int, verdict: str, speedup: float | None, round_: int = 0, run: int = 1):
    return CandidateRecord(
        run_id=run,
        candidate_id=cid,
        problem_row=1,
        dataset="d",
        problem_id="p1",
        technique="t",
        model="m",
        verdict=verdict,
        speedup=speedup,
        significant=True,
        sample=sample,
        round=round_,
    )


SAMPLES = [
    rec(1, 0, "not_equivalent", None),
    rec(2, 0, "equivalent", 1.5, round_=1),
    rec(3, 1, "equivalent", 0.8),
    rec(4, 2, "error", None),
]
"""Three samples: the first's second round is 1.5x, the second 0.8x, the third fails."""


def at(k: int, clamp: bool = True) -> tuple[float, float, float]:
    (result,) = problem_results(SAMPLES, k=k, clamp=clamp)
    assert result.samples == 3 and result.reported == "samples"
    return result.score, result.p_correct, result.p_optimized


def test_problem_figures_at_k_hand_computed() -> None:
    # scores (clamped) 1.5, 1.0, 1.0; correct 1, 1, 0; optimized 1, 0, 0
    assert at(1) == pytest.approx((3.5 / 3, 2 / 3, 1 / 3))
    assert at(2) == pytest.approx((1 / 3 * 1.0 + 2 / 3 * 1.5, 1.0, 2 / 3))
    assert at(1, clamp=False) == pytest.approx(((1.5 + 0.8 + 1.0) / 3, 2 / 3, 1 / 3))


def test_k_above_the_samples_uses_them_all() -> None:
    (result,) = problem_results(SAMPLES, k=5)
    assert result.k_capped and (result.score, result.p_correct, result.p_optimized) == (
        1.5,
        1.0,
        1.0,
    )
    (row,) = metrics([result])
    assert row.k == 5 and row.k_capped == 1
    assert row.correct_pct.value == 100.0 and row.speedup_mean.value == 1.5


def test_metrics_average_the_estimates() -> None:
    other = [rec(5, 0, "equivalent", 2.0, run=1), rec(6, 1, "error", None, run=1)]
    other = [CandidateRecord(**{**r.__dict__, "problem_row": 2, "problem_id": "p2"}) for r in other]
    (row,) = metrics(problem_results(SAMPLES + other, k=1))
    assert row.correct_pct.value == pytest.approx(100 * (2 / 3 + 1 / 2) / 2)
    assert row.opt_pct.value == pytest.approx(100 * (1 / 3 + 1 / 2) / 2)
    assert row.speedup_mean.value == pytest.approx((3.5 / 3 + 1.5) / 2)
    assert row.reported == "samples"


def test_pooled_runs_are_separate_samples() -> None:
    runs = [rec(1, 0, "equivalent", 2.0, run=1), rec(2, 0, "equivalent", 1.0, run=2)]
    (pooled,) = problem_results(runs, k=1, pool="best")
    assert pooled.samples == 2 and pooled.score == pytest.approx(1.5)


def test_k_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        problem_results(SAMPLES, k=0)


def test_cli_best_at(filled: Filled) -> None:
    url = str(filled.store.url)
    result = CliRunner().invoke(cli, ["report", "--best-at", "0", "--db", url])
    assert result.exit_code == 2
    assert result.output.strip() == "error: --best-at must be at least 1, got 0"

    result = CliRunner().invoke(
        cli, ["report", "--best-at", "2", "--format", "markdown", "--db", url]
    )
    assert result.exit_code == 0, result.output
    assert "| pass@2 | %Opt@2 | Speedup@2 |" in result.output
    assert "unbiased estimates of the best of 2 samples" in result.output
    assert "k=2 exceeds the samples of 6 problem result(s)" in result.output
