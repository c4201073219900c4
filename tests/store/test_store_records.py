"""Stored JSON records say which format they are in, and every error optbench raises on
purpose shares one root."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from optbench.core import Measurement, MetricResult, Stats, Verdict
from optbench.core.verdict import Stage, VerdictStatus
from optbench.datasets.errors import ProblemLoadError
from optbench.errors import OptbenchError
from optbench.measure import CoreBusy, MeasurementError
from optbench.models.errors import BudgetExceeded, SpecError
from optbench.run.config import ConfigError
from optbench.run.executors import ExecutorUnavailable
from optbench.run.runner import RunInterrupted
from optbench.store import StoreError, open_store
from optbench.store._store import RECORD_FORMAT
from optbench.techniques.context import BudgetExhausted


def test_json_records_carry_their_format(tmp_path: Path) -> None:
    db = tmp_path / "records.db"
    with open_store(f"sqlite:///{db}") as store:
        run = store.create_run(
            name=None, dataset="d", dataset_version="1", dataset_hash="h", config={}, environment={}
        )
        from optbench.core import Candidate, Problem
        from optbench.core.problem import ProblemKind

        row = store.upsert_problem(
            Problem(
                id="p",
                dataset="d",
                title="p",
                kind=ProblemKind.PROGRAM,
                slow_source="x",
                content_hash="c",
            )
        )
        cid = store.add_candidate(
            run_id=run, problem_row=row, slot_key="k", candidate=Candidate(code="x")
        )
        store.save_verdict(cid, Verdict(VerdictStatus.EQUIVALENT, Stage.DIFFERENTIAL))
        time = MetricResult("time", Stats([1.0]), Stats([1.0]), 1.0, 1.0, 1.0, False)
        store.save_measurement(cid, Measurement(time=time, profile="quick"), "m")
        store.save_confirmation(cid, Measurement(time=time, profile="quick"), "m")
        assert store.verdict(cid) is not None and store.measurement(cid) is not None
    with sqlite3.connect(db) as conn:
        for table in ("verdicts", "measurements", "confirmations"):
            [(fmt,)] = conn.execute(f"SELECT json_extract(details, '$.format') FROM {table}")
            assert fmt == RECORD_FORMAT, table
        [(fmt,)] = conn.execute("SELECT json_extract(config, '$.format') FROM runs")
        assert fmt == RECORD_FORMAT


def test_every_deliberate_error_shares_one_root() -> None:
    for error in (
        ConfigError,
        StoreError,
        ProblemLoadError,
        SpecError,
        BudgetExceeded,
        MeasurementError,
        CoreBusy,
        ExecutorUnavailable,
        RunInterrupted,
        BudgetExhausted,
    ):
        assert issubclass(error, OptbenchError), error
