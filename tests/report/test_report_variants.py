"""Metric variants papers mix: clamped or not, @k, %Opt over all or correct problems,
and the problem filter."""

from __future__ import annotations

import math

import pytest
from report_fixtures import Filled

from optbench.report import (
    CandidateRecord,
    ProblemFilter,
    metrics,
    per_problem,
    problem_results,
    summarize,
)


def record(
    cid: int,
    problem: int,
    verdict: str | None,
    speedup: float | None,
    *,
    sample: int = 0,
    significant: bool = True,
    technique: str = "t",
) -> CandidateRecord:
    return CandidateRecord(
        run_id=1,
        candidate_id=cid,
        problem_row=problem,
        dataset="d",
        problem_id=f"p{problem}",
        technique=technique,
        model="m",
        verdict=verdict,
        speedup=speedup,
        significant=significant,
        sample=sample,
    )


RECORDS = [
    record(1, 1, "equivalent", 0.5, sample=0),
    record(2, 1, "equivalent", 0.8, sample=1),
    record(3, 2, "not_equivalent", None, sample=0),
    record(4, 2, "equivalent", 3.0, sample=1),
    record(5, 3, "equivalent", 1.5, sample=0),
    record(6, 4, "error", None, sample=0),
]


def scores(**variant) -> dict[str, float]:
    return {r.problem_id: r.score for r in problem_results(RECORDS, **variant)}


def test_clamped_scores_never_go_below_one() -> None:
    assert scores() == {"p1": 1.0, "p2": 3.0, "p3": 1.5, "p4": 1.0}


def test_unclamped_scores_keep_slowdowns_but_not_failures() -> None:
    assert scores(clamp=False) == {"p1": 0.8, "p2": 3.0, "p3": 1.5, "p4": 1.0}


def test_at_1_is_the_mean_over_samples_not_the_first_sample() -> None:
    assert scores(k=1, clamp=False) == {"p1": 0.65, "p2": 2.0, "p3": 1.5, "p4": 1.0}
    first = {r.problem_id: r for r in problem_results(RECORDS, k=1)}
    assert first["p2"].p_correct == 0.5 and first["p2"].correct and first["p2"].candidates == 2
    assert len(first) == 4


def test_best_at_k_rejects_k_below_one() -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        problem_results(RECORDS, k=0)


def test_opt_over_correct_problems_only() -> None:
    results = problem_results(RECORDS)
    (over_all,) = metrics(results)
    (over_correct,) = metrics(results, opt_over="correct")
    assert over_all.opt_pct.value == pytest.approx(100 * 2 / 4)
    assert over_correct.opt_pct.value == pytest.approx(100 * 2 / 3)
    assert over_all.correct_pct == over_correct.correct_pct


def test_opt_over_correct_is_nan_without_correct_problems() -> None:
    (row,) = metrics(problem_results([record(1, 1, "error", None)]), opt_over="correct")
    assert math.isnan(row.opt_pct.value)


def test_opt_over_rejects_unknown_choice() -> None:
    with pytest.raises(ValueError, match="opt_over"):
        metrics(problem_results(RECORDS), opt_over="some")  # type: ignore[arg-type]


def test_unclamped_summary_from_the_store(filled: Filled) -> None:
    clamped = {r.technique: r for r in summarize(filled.store)}
    unclamped = {r.technique: r for r in summarize(filled.store, clamp=False)}
    assert clamped["t1"].speedup_mean.value == pytest.approx((2.0 + 1.0 + 1.0) / 3)
    assert unclamped["t1"].speedup_mean.value == pytest.approx((2.0 + 0.8 + 1.0) / 3)
    assert unclamped["t2"].speedup_mean.value == clamped["t2"].speedup_mean.value


def test_problem_filter(filled: Filled) -> None:
    assert summarize(filled.store, problems=ProblemFilter(kinds=("program",))) == []
    assert summarize(filled.store, problems=ProblemFilter(datasets=("bundled",))) == summarize(
        filled.store
    )
    assert per_problem(filled.store, problems=ProblemFilter(tags=("io",))) == []


def test_problem_filter_accepts() -> None:
    chosen = ProblemFilter(datasets=("a",), kinds=("function",), tags=("x", "y"))
    assert chosen.accepts("a", "function", ["z", "y"])
    assert not chosen.accepts("a", "function", ["z"])
    assert not chosen.accepts("b", "function", ["x"])
    assert not chosen.accepts("a", "program", ["x"])
    assert ProblemFilter().accepts("any", "kind", [])
