"""Winner's curse: a problem's best candidate is chosen by a noisy measurement, so its
reported speedup comes from a fresh confirmation measurement of that candidate."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_fixtures import EQ, Filled, _problem, add, confirm_like_the_runner, measurement

from optbench.cli import cli
from optbench.core import Measurement, MetricResult, Stats
from optbench.report import (
    CandidateRecord,
    format_report,
    metrics,
    per_problem,
    problem_results,
    summarize,
)
from optbench.store import open_store

NOISE = 0.15
"""Standard deviation of log(speedup) of one measurement of an unchanged program."""


def noisy(speedup: float) -> Measurement:
    """A measurement whose 95% interval is as wide as its noise, significant when the
    interval leaves 1.0 out (as an identity candidate's rarely does)."""
    half = 1.96 * NOISE
    low, high = speedup * math.exp(-half), speedup * math.exp(half)
    base = [0.100, 0.101, 0.099, 0.100]
    time = MetricResult(
        metric="time",
        baseline=Stats(base),
        candidate=Stats([v / speedup for v in base]),
        ratio=speedup,
        ci_low=low,
        ci_high=high,
        significant=not low <= 1.0 <= high,
    )
    return Measurement(time=time, profile="quick")


def test_identity_candidates_are_not_reported_faster(tmp_path: Path) -> None:
    rng = random.Random(20261130)
    with open_store(f"sqlite:///{tmp_path / 'curse.db'}") as store:
        run = store.create_run(
            name="identity x8",
            dataset="bundled",
            dataset_version="1",
            dataset_hash="h",
            config={},
            environment={},
        )
        for p in range(40):
            row = store.upsert_problem(_problem(f"p{p:02d}"))
            for s in range(8):
                speedup = math.exp(rng.gauss(0.0, NOISE))
                add(store, run, row, f"p{p}-s{s}", "identity", EQ, noisy(speedup))
        assert (
            confirm_like_the_runner(store, run, lambda _: noisy(math.exp(rng.gauss(0.0, NOISE))))
            == 40
        )

        (row,) = summarize(store, [run])
        results = per_problem(store, [run])

    selected = [max(1.0, r.speedup) for r in results if r.speedup is not None]
    assert sum(selected) / len(selected) > 1.2, "the data has no winner's curse to remove"
    assert row.speedup_mean.contains(1.0), row.speedup_mean
    assert row.speedup_geomean.contains(1.0), row.speedup_geomean
    assert row.opt_pct.value <= 5.0
    assert row.unconfirmed == 0 and row.reported == "confirmation"
    assert all(r.confirmed and r.reported == "confirmation" for r in results)


def test_the_original_is_not_reported_faster_than_itself(tmp_path: Path) -> None:
    """One identity candidate per problem: PIE's clamp keeps a candidate whose measurement
    came out above 1.0, a choice made on the noise, which alone gave identity a Speedup of
    about 1.07 in a noisy profile. The kept ones are reported from their confirmations."""
    rng = random.Random(7)
    with open_store(f"sqlite:///{tmp_path / 'clamp.db'}") as store:
        run = store.create_run(
            name="identity",
            dataset="bundled",
            dataset_version="1",
            dataset_hash="h",
            config={},
            environment={},
        )
        for p in range(62):
            row = store.upsert_problem(_problem(f"p{p:02d}"))
            add(store, run, row, f"p{p}", "identity", EQ, noisy(math.exp(rng.gauss(0.0, NOISE))))
        confirm_like_the_runner(store, run, lambda _: noisy(math.exp(rng.gauss(0.0, NOISE))))
        (row,) = summarize(store, [run])
        results = per_problem(store, [run])

    clamped = [max(1.0, r.speedup) for r in results if r.speedup is not None]
    assert math.exp(sum(map(math.log, clamped)) / len(clamped)) > 1.04, "no clamp bias to remove"
    assert row.speedup_geomean.contains(1.0), row.speedup_geomean
    assert 0.98 <= row.speedup_geomean.value <= 1.02, row.speedup_geomean
    assert row.opt_pct.value <= 3.0


def record(
    cid: int, speedup: float | None, confirmed: float | None = None, **extra
) -> CandidateRecord:  # type: ignore[no-untyped-def]
    return CandidateRecord(
        run_id=1,
        candidate_id=cid,
        problem_row=1,
        dataset="d",
        problem_id="p1",
        technique="t",
        model="m",
        verdict="equivalent",
        speedup=speedup,
        significant=True,
        confirmed_speedup=confirmed,
        confirmed_significant=None if confirmed is None else extra.get("sig", True),
        sample=cid,
    )


def scored(records: list[CandidateRecord], clamp: bool = True):  # type: ignore[no-untyped-def]
    (result,) = problem_results(records, clamp=clamp)
    return result.score, result.optimized, result.reported, result.confirmed


def test_the_confirmation_is_reported_as_measured() -> None:
    assert scored([record(1, 1.5, 1.2)]) == (1.2, True, "confirmation", True)
    assert scored([record(1, 1.5, 1.2, sig=False)]) == (1.2, False, "confirmation", True)
    slower_on_second_look = [record(1, 1.3, 0.92), record(2, 1.1)]
    assert scored(slower_on_second_look) == (0.92, False, "confirmation", True)


def test_the_original_is_kept_when_no_candidate_measured_faster() -> None:
    assert scored([record(1, 0.9), record(2, 0.95, 0.97)]) == (1.0, False, "original", True)
    assert scored([record(1, None)]) == (1.0, False, "original", True)


def test_unclamped_one_candidate_is_its_own_measurement_several_are_confirmed() -> None:
    assert scored([record(1, 1.5, 1.2)], clamp=False) == (1.5, True, "selection", True)
    assert scored([record(1, 0.9)], clamp=False) == (0.9, False, "selection", True)
    several = [record(1, 0.9), record(2, 0.95, 0.97)]
    assert scored(several, clamp=False) == (0.97, False, "confirmation", True)


def test_a_missing_confirmation_falls_back_and_is_flagged() -> None:
    records = [record(1, 1.3), record(2, 1.1)]
    assert scored(records) == (1.3, True, "selection", False)
    assert scored(records, clamp=False) == (1.3, True, "selection", False)
    (row,) = metrics(problem_results(records))
    assert row.unconfirmed == 1 and row.reported == "selection"


def test_a_failed_confirmation_counts_as_missing(filled: Filled) -> None:
    store, ids = filled.store, filled.candidate_ids
    failed = measurement(1.9, True)
    failed = Measurement(time=failed.time, profile="quick", error="baseline drifted")
    store.save_confirmation(ids["t1p1a"], failed, machine_id="host")
    results = {(r.technique, r.problem_id): r for r in per_problem(store)}
    p1 = results[("t1", "p1")]
    assert p1.confirmed_speedup is None and not p1.confirmed
    assert (p1.score, p1.reported) == (2.0, "selection")

    store.save_confirmation(ids["t1p1a"], measurement(1.4, True), machine_id="host")
    p1 = {(r.technique, r.problem_id): r for r in per_problem(store)}[("t1", "p1")]
    assert p1.confirmed and p1.reported == "confirmation"
    assert (p1.speedup, p1.confirmed_speedup, p1.score, p1.optimized) == (2.0, 1.4, 1.4, True)
    assert p1.confirmed_ci_low == pytest.approx(1.4 * 0.97)


def test_json_and_csv_show_both_measurements_and_what_is_reported(filled: Filled) -> None:
    store, ids = filled.store, filled.candidate_ids
    store.save_confirmation(ids["t1p1a"], measurement(1.4, True), machine_id="host")
    problems = json.loads(format_report(per_problem(store), "json"))
    p1 = next(p for p in problems if (p["technique"], p["problem_id"]) == ("t1", "p1"))
    assert (p1["speedup"], p1["speedup_ci_low"], p1["speedup_ci_high"]) == pytest.approx(
        (2.0, 1.94, 2.06)
    )
    assert (p1["confirmed_speedup"], p1["confirmed_ci_low"]) == pytest.approx((1.4, 1.358))
    assert p1["reported"] == "confirmation" and p1["confirmed"] is True
    t2p1 = next(p for p in problems if (p["technique"], p["problem_id"]) == ("t2", "p1"))
    assert t2p1["confirmed_speedup"] is None and t2p1["confirmed"] is False

    entries = {e["technique"]: e for e in json.loads(format_report(summarize(store), "json"))}
    assert entries["t1"]["reported"] == "confirmation" and entries["t1"]["unconfirmed"] == 0
    assert entries["t2"]["reported"] == "selection" and entries["t2"]["unconfirmed"] == 2
    assert "confirmed_speedup" in format_report(per_problem(store), "csv").splitlines()[0]


def test_the_text_report_says_when_figures_are_unconfirmed(filled: Filled) -> None:
    url = str(filled.store.url)
    result = CliRunner().invoke(cli, ["report", "--format", "markdown", "--db", url])
    assert result.exit_code == 0, result.output
    assert "| Unconfirmed |" in result.output
    assert "> **Note:** 3 problem result(s) of t1 · m, t2 · m are unconfirmed" in result.output

    for slot in ("t1p1a", "t2p2a"):
        filled.store.save_confirmation(
            filled.candidate_ids[slot], measurement(1.2, True), machine_id="host"
        )
    filled.store.save_confirmation(
        filled.candidate_ids["t2p1"], measurement(1.2, False), machine_id="host"
    )
    result = CliRunner().invoke(cli, ["report", "--db", url])
    assert result.exit_code == 0, result.output
    assert "are unconfirmed" not in result.output
