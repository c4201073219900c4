"""Queries behind the dashboard: run progress, problems, lineage, paired scores, Pareto."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from report_fixtures import Filled, add

from optbench.core import Candidate
from optbench.report import (
    compare,
    cost_frontier,
    lineage,
    paired,
    pareto_front,
    problem_candidates,
    problem_catalog,
    run_overview,
    summarize,
)


def test_run_overview_counts_each_stage(filled: Filled) -> None:
    (run,) = run_overview(filled.store)
    assert (run.id, run.status, run.dataset) == (filled.run_id, "planned", "bundled")
    p = run.progress
    assert (p.problems, p.candidates, p.verified, p.equivalent, p.measured) == (3, 7, 7, 5, 5)
    assert p.done
    assert run.techniques == ("t1", "t2") and run.models == ("m",)
    assert run.duration_s is None


def test_run_overview_of_a_running_run(filled: Filled) -> None:
    filled.store.set_run_status(filled.run_id, "running")
    add(filled.store, filled.run_id, filled.problem_rows["p3"], "new", "t2", None)
    later = datetime(2100, 1, 1, tzinfo=UTC)
    (run,) = run_overview(filled.store, now=later)
    assert run.status == "running" and not run.progress.done
    assert run.progress.candidates == 8 and run.progress.verified == 7
    assert run.duration_s is not None and run.duration_s > 0
    assert run_overview(filled.store, [filled.run_id + 1]) == []


def test_problem_catalog_and_candidates(filled: Filled) -> None:
    catalog = problem_catalog(filled.store, [filled.run_id])
    assert [p.problem_id for p in catalog] == ["p1", "p2", "p3"]
    assert catalog[0].slow_source.startswith("def p1")
    found = problem_candidates(filled.store, filled.problem_rows["p1"])
    assert [c.id for c in found] == sorted(
        filled.candidate_ids[k] for k in ("t1p1a", "t1p1b", "t2p1")
    )


def test_lineage_is_depth_first(filled: Filled) -> None:
    store, run, row = filled.store, filled.run_id, filled.problem_rows["p3"]

    def child(slot: str, parent: int | None) -> int:
        return store.add_candidate(
            run_id=run,
            problem_row=row,
            slot_key=f"{run}/{slot}",
            candidate=Candidate(code=slot, technique="fb", model="m", parent_id=parent),
        )

    root = child("root", None)
    a = child("a", root)
    b = child("b", root)
    a1 = child("a1", a)
    nodes = lineage([c for c in problem_candidates(store, row) if c.technique == "fb"])
    assert [(n.candidate.id, n.depth) for n in nodes] == [(root, 0), (a, 1), (a1, 2), (b, 1)]


def test_paired_scores_are_what_compare_tests(filled: Filled) -> None:
    pairs = paired(filled.store, ("t1", "m"), ("t2", "m"))
    assert [(p.problem_id, p.score_a, p.score_b) for p in pairs] == [
        ("p1", 2.0, 1.2),
        ("p2", 1.0, 1.1),
        ("p3", 1.0, 1.0),
    ]
    result = compare(filled.store, ("t1", "m"), ("t2", "m"))
    assert (result.wins, result.losses, result.ties) == (1, 1, 1)
    with pytest.raises(KeyError):
        paired(filled.store, ("t1", "m"), ("nope", "m"))


def test_pareto_front() -> None:
    points = [(10.0, 1.5), (5.0, 1.5), (20.0, 3.0), (5.0, 1.2), (1.0, math.nan), (20.0, 3.0)]
    assert pareto_front(points) == [False, True, True, False, False, True]


def test_cost_frontier(filled: Filled) -> None:
    rows = summarize(filled.store)
    points = cost_frontier(rows, cost="tokens", benefit="speedup_mean")
    t1, t2 = points
    assert t1.cost == 360 + 125 and t2.cost == 0
    assert t1.benefit == rows[0].speedup_mean.value
    assert t1.on_front and t2.on_front
    with pytest.raises(ValueError, match="cost"):
        cost_frontier(rows, cost="dollars")
