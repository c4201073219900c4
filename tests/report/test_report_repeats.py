"""Repeated runs of one (technique, model): averaged by default, best-of only on request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_fixtures import EQ, _problem, add, confirm_like_the_runner, measurement

from optbench.cli import cli
from optbench.report import compare, format_report, paired, per_problem, problem_means, summarize
from optbench.stats import student_t_quantile, t_interval
from optbench.store import Store, open_store

NOISE = {1: {"p1": 1.25, "p2": 0.8}, 2: {"p1": 0.8, "p2": 1.25}}
"""The same unchanged program measured in two runs, with opposite noise."""


def _run(store: Store, name: str) -> int:
    return store.create_run(
        name=name,
        dataset="bundled",
        dataset_version="1",
        dataset_hash="h",
        config={},
        environment={},
    )


@pytest.fixture
def repeated(tmp_path: Path) -> Store:
    """Runs 1 and 2: ``identity`` once per problem with opposite noise, confirmed with the
    same value; ``reference`` in run 1 only, 1.5x on both problems."""
    with open_store(f"sqlite:///{tmp_path / 'repeats.db'}") as store:
        rows = {pid: store.upsert_problem(_problem(pid)) for pid in ("p1", "p2")}
        for seed, speedups in NOISE.items():
            run = _run(store, f"seed {seed}")
            for pid, speedup in speedups.items():
                add(store, run, rows[pid], f"id-{pid}", "identity", EQ, measurement(speedup, True))
                if seed == 1:
                    add(
                        store, run, rows[pid], f"ref-{pid}", "reference", EQ, measurement(1.5, True)
                    )
            confirm_like_the_runner(
                store, run, lambda chosen: measurement(chosen.speedup or 1.0, True)
            )
        yield store


def _entry(rows, technique: str):  # type: ignore[no-untyped-def]
    (row,) = [r for r in rows if r.technique == technique]
    return row


def test_repeats_are_averaged_not_maximised(repeated: Store) -> None:
    identity = _entry(summarize(repeated, [1, 2]), "identity")
    assert (identity.runs, identity.pooling, identity.interval) == (2, "mean", "runs")
    # each run: one problem 1.25x, the other's original kept (1.0)
    assert identity.speedup_mean.value == pytest.approx(1.125)
    assert identity.speedup_mean.low == identity.speedup_mean.high == pytest.approx(1.125)
    assert identity.correct_pct.value == 100.0 and identity.problems == 2

    best = _entry(summarize(repeated, [1, 2], pool="best"), "identity")
    assert (best.runs, best.pooling, best.interval) == (2, "best", "problems")
    assert best.speedup_mean.value == pytest.approx(1.25)

    unclamped = _entry(summarize(repeated, [1, 2], clamp=False), "identity")
    assert unclamped.speedup_mean.value == pytest.approx((1.25 + 0.8) / 2)


def test_a_single_run_entry_keeps_the_bootstrap_over_problems(repeated: Store) -> None:
    reference = _entry(summarize(repeated, [1, 2]), "reference")
    assert (reference.runs, reference.pooling, reference.interval) == (1, "one run", "problems")
    assert reference.speedup_mean.value == 1.5


def test_interval_over_runs_is_students_t(repeated: Store) -> None:
    store = repeated
    run = _run(store, "seed 3")
    for pid in ("p1", "p2"):
        row = store.upsert_problem(_problem(pid))
        add(store, run, row, f"id-{pid}", "identity", EQ, measurement(0.9, True))
    identity = _entry(summarize(store, [1, 2, 3]), "identity")
    per_run = [1.125, 1.125, 1.0]
    low, high = t_interval(per_run)
    assert identity.runs == 3
    assert identity.speedup_mean.value == pytest.approx(sum(per_run) / 3)
    assert (identity.speedup_mean.low, identity.speedup_mean.high) == pytest.approx((low, high))
    assert identity.correct_pct.low == identity.correct_pct.high == 100.0


def test_per_problem_scores_are_means_over_runs(repeated: Store) -> None:
    results = per_problem(repeated, [1, 2])
    identity = [r for r in results if r.technique == "identity"]
    assert [(r.problem_id, r.run_id, r.score) for r in identity] == [
        ("p1", 1, 1.25),
        ("p1", 2, 1.0),
        ("p2", 1, 1.0),
        ("p2", 2, 1.25),
    ]
    means = {(m.technique, m.problem_id): m for m in problem_means(results)}
    assert means[("identity", "p1")].score == pytest.approx(1.125)
    assert means[("identity", "p1")].runs == 2 and means[("reference", "p1")].runs == 1
    pairs = paired(repeated, ("reference", "m"), ("identity", "m"), [1, 2])
    assert [p.score_a for p in pairs] == [1.5, 1.5]
    assert [p.score_b for p in pairs] == pytest.approx([1.125, 1.125])
    assert compare(repeated, ("reference", "m"), ("identity", "m"), [1, 2]).wins == 2


def test_cli_labels_repeats_and_pools_only_when_asked(repeated: Store) -> None:
    url = str(repeated.url)
    shown = CliRunner().invoke(cli, ["report", "1", "2", "--format", "markdown", "--db", url])
    assert shown.exit_code == 0, shown.output
    assert "| identity | m | 2 | 2 (mean) | 100.0 [" in shown.output
    assert "Repeated runs of identity · m: each figure is computed per run" in shown.output
    data = json.loads(CliRunner().invoke(cli, ["report", "1", "2", "--json", "--db", url]).output)
    identity = next(r for r in data["rows"] if r["technique"] == "identity")
    assert (identity["runs"], identity["pooling"], identity["speedup_mean"]) == (2, "mean", 1.125)

    pooled = CliRunner().invoke(cli, ["report", "1", "2", "--pool", "best", "--db", url])
    assert pooled.exit_code == 0, pooled.output
    assert "2 (best-of)" in pooled.output and "pooled best-of" in pooled.output

    problems = CliRunner().invoke(
        cli, ["report", "1", "2", "--per-problem", "--format", "markdown", "--db", url]
    )
    assert "**Per problem, mean over runs**" in problems.output
    assert format_report(problem_means(per_problem(repeated, [1, 2])), "json")


def test_t_quantiles_match_the_tables() -> None:
    for df, quantile in ((1, 12.706), (2, 4.303), (4, 2.776), (10, 2.228), (30, 2.042)):
        assert student_t_quantile(0.975, df) == pytest.approx(quantile, abs=1e-3)
    assert student_t_quantile(0.025, 5) == pytest.approx(-student_t_quantile(0.975, 5))
    assert student_t_quantile(0.5, 3) == pytest.approx(0.0, abs=1e-9)
    low, high = t_interval([1.0, 1.2])
    assert (low + high) / 2 == pytest.approx(1.1)
    assert high - 1.1 == pytest.approx(12.706 * 0.2 / 2, rel=1e-4)
    assert t_interval([2.0]) == (2.0, 2.0)
