from __future__ import annotations

import math

import pytest
from report_fixtures import EQ, Filled, add, measurement

from optbench.report import per_problem, summarize
from optbench.store import Store


def _row(rows: list, technique: str):
    (found,) = [r for r in rows if r.technique == technique]
    return found


def test_summary_matches_hand_computed_values(filled: Filled) -> None:
    rows = summarize(filled.store, [filled.run_id])
    assert [(r.technique, r.model) for r in rows] == [("t1", "m"), ("t2", "m")]

    t1 = _row(rows, "t1")
    assert t1.problems == 3 and t1.candidates == 4
    assert t1.correct_pct.value == pytest.approx(200 / 3)
    assert t1.opt_pct.value == pytest.approx(100 / 3)
    assert t1.speedup_mean.value == pytest.approx((2.0 + 1.0 + 1.0) / 3)
    assert t1.speedup_geomean.value == pytest.approx(2.0 ** (1 / 3))
    assert t1.memory_ratio.value == pytest.approx(math.sqrt(1.25 * 0.8))
    assert t1.memory_problems == 2
    assert t1.tokens_in.value == 360 and t1.tokens_out.value == 125
    assert t1.gen_time_s.value == pytest.approx(4.25)

    t2 = _row(rows, "t2")
    assert t2.problems == 3 and t2.candidates == 3
    assert t2.correct_pct.value == pytest.approx(200 / 3)
    assert t2.opt_pct.value == pytest.approx(100 / 3)
    assert t2.speedup_mean.value == pytest.approx((1.2 + 1.1 + 1.0) / 3)
    assert t2.speedup_geomean.value == pytest.approx((1.2 * 1.1) ** (1 / 3))
    assert math.isnan(t2.memory_ratio.value) and t2.memory_problems == 0
    assert t2.tokens_in.value == 0


def test_intervals_bracket_the_estimates(filled: Filled) -> None:
    for row in summarize(filled.store, [filled.run_id]):
        for est in (row.correct_pct, row.opt_pct, row.speedup_mean, row.speedup_geomean):
            assert est.low <= est.value <= est.high
        assert row.correct_pct.low >= 0 and row.correct_pct.high <= 100
        assert row.speedup_mean.low >= 1.0


def test_summary_is_deterministic_for_a_seed(filled: Filled) -> None:
    assert summarize(filled.store, seed=3) == summarize(filled.store, seed=3)


def test_per_problem_rows(filled: Filled) -> None:
    results = {(r.technique, r.problem_id): r for r in per_problem(filled.store, [filled.run_id])}
    assert len(results) == 6

    best = results[("t1", "p1")]
    assert best.best_candidate_id == filled.candidate_ids["t1p1a"]
    assert (best.verdict, best.speedup, best.score, best.optimized) == (
        "equivalent",
        2.0,
        2.0,
        True,
    )
    assert best.speedup_ci_low == pytest.approx(1.94) and best.speedup_ci_high == pytest.approx(
        2.06
    )
    assert best.memory_ratio == 1.25 and best.candidates == 2 and best.equivalent == 2

    slower = results[("t1", "p2")]
    assert (slower.speedup, slower.score, slower.optimized) == (0.8, 1.0, False)

    wrong = results[("t1", "p3")]
    assert wrong.verdict == "not_equivalent" and wrong.score == 1.0 and not wrong.correct
    assert wrong.best_candidate_id == filled.candidate_ids["t1p3"]

    not_significant = results[("t2", "p1")]
    assert not_significant.score == pytest.approx(1.2) and not not_significant.optimized

    fast_but_wrong_ignored = results[("t2", "p2")]
    assert fast_but_wrong_ignored.best_candidate_id == filled.candidate_ids["t2p2a"]
    assert (
        fast_but_wrong_ignored.speedup == pytest.approx(1.10) and fast_but_wrong_ignored.optimized
    )

    missing = results[("t2", "p3")]
    assert missing.candidates == 0 and missing.best_candidate_id is None
    assert missing.verdict is None and missing.score == 1.0


def test_equivalent_but_unmeasured_counts_as_correct_not_faster(filled: Filled) -> None:
    store: Store = filled.store
    add(store, filled.run_id, filled.problem_rows["p3"], "t2p3", "t2", EQ)
    results = {(r.technique, r.problem_id): r for r in per_problem(store, [filled.run_id])}
    p3 = results[("t2", "p3")]
    assert p3.correct and p3.speedup is None and p3.score == 1.0 and not p3.optimized


def test_runs_filter_and_other_runs(filled: Filled) -> None:
    store = filled.store
    other = store.create_run(
        name="second",
        dataset="bundled",
        dataset_version="1",
        dataset_hash="h",
        config={},
        environment={},
    )
    add(store, other, filled.problem_rows["p1"], "t3p1", "t3", EQ, measurement(4.0, True))
    only_first = summarize(store, [filled.run_id])
    assert {r.technique for r in only_first} == {"t1", "t2"}
    second = summarize(store, [other])
    assert [(r.technique, r.problems) for r in second] == [("t3", 1)]
    assert second[0].speedup_mean.value == 4.0
    everything = summarize(store)
    assert {r.technique for r in everything} == {"t1", "t2", "t3"}


def test_empty_store(tmp_path) -> None:
    from optbench.store import open_store

    with open_store(f"sqlite:///{tmp_path / 'e.db'}") as store:
        assert summarize(store) == [] and per_problem(store) == []


def test_unknown_run_is_a_key_error(filled: Filled) -> None:
    with pytest.raises(KeyError, match="no run 99"):
        summarize(filled.store, [filled.run_id, 99])
