"""The same store on PostgreSQL (needs the server binaries and psycopg)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pg_server
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from optbench.core import (
    Candidate,
    Measurement,
    MetricResult,
    Problem,
    Stage,
    Stats,
    Verdict,
    VerdictStatus,
)
from optbench.report import summarize
from optbench.store import Store, StoreError, open_store
from optbench.store._models import VERSION_TABLE, Base

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not pg_server.available(), reason="PostgreSQL server binaries not installed"
    ),
    pytest.mark.skipif(importlib.util.find_spec("psycopg") is None, reason="psycopg not installed"),
]


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    with open_store(pg_url) as store:
        yield store


def test_schema_matches_orm_and_uses_jsonb(pg_store: Store) -> None:
    with pg_store._engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"version_table": VERSION_TABLE, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []
        columns = {c["name"]: c["type"] for c in inspect(conn).get_columns("runs")}
    assert type(columns["config"]).__name__ == "JSONB"
    assert getattr(columns["created_at"], "timezone", False)


def test_round_trip_and_report(pg_store: Store, problem: Problem) -> None:
    run_id = pg_store.create_run(
        name="pg",
        dataset="d",
        dataset_version="1",
        dataset_hash="h",
        config={"a": [1]},
        environment={},
    )
    pg_store.set_run_status(run_id, "running")
    row = pg_store.upsert_problem(problem)
    assert pg_store.upsert_problem(problem) == row
    cid = pg_store.add_candidate(
        run_id=run_id, problem_row=row, slot_key=f"pg/{run_id}", candidate=Candidate("c", "t", "m")
    )
    verdict = Verdict(status=VerdictStatus.EQUIVALENT, stage=Stage.DIFFERENTIAL, examples_tried=5)
    pg_store.save_verdict(cid, verdict)
    pg_store.save_verdict(cid, verdict)
    time = MetricResult("time", Stats([2.0]), Stats([1.0]), 2.0, 1.9, 2.1, True)
    pg_store.save_measurement(cid, Measurement(time=time), machine_id="host")
    pg_store.save_baseline(problem.content_hash, "host", "quick", [2.0], None, {})
    assert pg_store.verdict(cid) == verdict
    assert pg_store.get_baseline(problem.content_hash, "host", "quick") is not None
    assert pg_store.get_run(run_id).started_at is not None
    (metrics,) = summarize(pg_store, [run_id])
    assert metrics.speedup_mean.value == 2.0 and metrics.opt_pct.value == 100.0


def test_concurrent_slot_inserts(pg_store: Store, problem: Problem) -> None:
    run_id = pg_store.create_run(
        name=None, dataset="d", dataset_version="1", dataset_hash="h", config={}, environment={}
    )
    row = pg_store.upsert_problem(problem)

    def fill(worker: int) -> list[int]:
        return [
            pg_store.add_candidate(
                run_id=run_id,
                problem_row=row,
                slot_key=f"race/{run_id}/{i}",
                candidate=Candidate(f"{worker}"),
            )
            for i in range(30)
        ]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(fill, range(4)))
    assert all(r == results[0] for r in results)
    assert len(pg_store.candidates(run_id)) == 30


def test_unreachable_database_name(pg_url: str) -> None:
    with pytest.raises(StoreError, match="no_such_db"):
        open_store(pg_url.rsplit("/", 1)[0] + "/no_such_db")
