"""Many processes writing one PostgreSQL store at once, and connections dropped under it."""

from __future__ import annotations

import multiprocessing

import pg_server
import pytest
from sqlalchemy import event, func, select
from test_store_idempotency import SLOTS, _worker

from optbench.core import Candidate, Problem, Stage, Verdict, VerdictStatus
from optbench.store import Store, open_store
from optbench.store._models import CandidateRow, ModelCallRow, VerdictRow

pytestmark = pytest.mark.postgres

WRITERS = 4


def _count(store: Store, model: type) -> int:
    with store.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _run(store: Store) -> int:
    return store.create_run(
        name=None, dataset="d", dataset_version="1", dataset_hash="h", config={}, environment={}
    )


@pytest.mark.timeout(120)
def test_four_processes_write_the_same_slots(pg_db_url: str, problem: Problem) -> None:
    with open_store(pg_db_url) as store:
        run_id = _run(store)
        row = store.upsert_problem(problem)
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(WRITERS) as pool:
            results = pool.starmap(
                _worker, [(pg_db_url, run_id, row, worker) for worker in range(WRITERS)]
            )
        assert all(result == results[0] for result in results)
        assert len(set(results[0].values())) == SLOTS
        assert _count(store, CandidateRow) == SLOTS
        assert _count(store, VerdictRow) == SLOTS
        assert _count(store, ModelCallRow) == WRITERS * SLOTS


@pytest.mark.timeout(60)
def test_dropped_connections_are_replaced(pg_db_url: str, problem: Problem) -> None:
    with open_store(pg_db_url) as store:
        run_id = _run(store)
        row = store.upsert_problem(problem)
        for i in range(10):
            assert pg_server.terminate_connections(pg_db_url) >= (1 if i else 0)
            cid = store.add_candidate(
                run_id=run_id, problem_row=row, slot_key=f"s{i}", candidate=Candidate(f"c{i}")
            )
            store.save_verdict(cid, Verdict(status=VerdictStatus.EQUIVALENT, stage=Stage.STATIC))
        assert len(store.candidates(run_id)) == 10
        assert _count(store, VerdictRow) == 10


@pytest.mark.timeout(60)
def test_connection_lost_after_checkout_is_retried(pg_db_url: str, problem: Problem) -> None:
    """The pool's ping cannot catch a connection that dies after it was handed out: the
    store runs the (idempotent) method again on a fresh one."""
    with open_store(pg_db_url) as store:
        run_id = _run(store)
        row = store.upsert_problem(problem)
        kills: list[int] = []

        def kill_once(_conn: object) -> None:
            if not kills:
                kills.append(pg_server.terminate_connections(pg_db_url))

        event.listen(store._engine, "engine_connect", kill_once)
        cid = store.add_candidate(
            run_id=run_id, problem_row=row, slot_key="s", candidate=Candidate("c")
        )
        store.save_verdict(cid, Verdict(status=VerdictStatus.EQUIVALENT, stage=Stage.STATIC))
        assert kills == [1]
        assert [c.id for c in store.candidates(run_id)] == [cid]
