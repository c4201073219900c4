"""Resume safety: the same slot, verdict, measurement or baseline written twice (or by
two processes at once) leaves one row."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from optbench.core import Candidate, Problem, Stage, Verdict, VerdictStatus
from optbench.store import Store, open_store
from optbench.store._models import CandidateRow, ModelCallRow, ProblemRow, VerdictRow

SLOTS = 40


def _count(store: Store, model: type) -> int:
    with store.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _run(store: Store) -> int:
    return store.create_run(
        name=None, dataset="d", dataset_version="1", dataset_hash="h", config={}, environment={}
    )


def test_same_slot_twice_is_one_row(store: Store, problem: Problem) -> None:
    run_id = _run(store)
    row = store.upsert_problem(problem)
    first = Candidate(code="a", technique="t", model="m")
    again = Candidate(code="different code, same slot", technique="t", model="m")
    a = store.add_candidate(run_id=run_id, problem_row=row, slot_key="r/p/t/m/0/0", candidate=first)
    b = store.add_candidate(run_id=run_id, problem_row=row, slot_key="r/p/t/m/0/0", candidate=again)
    assert a == b == again.id
    assert _count(store, CandidateRow) == 1
    assert store.candidates(run_id)[0].code == "a"


def test_same_verdict_twice_is_one_row_and_last_wins(store: Store, problem: Problem) -> None:
    run_id = _run(store)
    cid = store.add_candidate(
        run_id=run_id,
        problem_row=store.upsert_problem(problem),
        slot_key="s",
        candidate=Candidate("c"),
    )
    timeout = Verdict(status=VerdictStatus.TIMEOUT, stage=Stage.EXAMPLES)
    store.save_verdict(cid, timeout)
    store.save_verdict(cid, timeout)
    assert _count(store, VerdictRow) == 1
    equivalent = Verdict(
        status=VerdictStatus.EQUIVALENT, stage=Stage.DIFFERENTIAL, examples_tried=200
    )
    store.save_verdict(cid, equivalent)
    assert _count(store, VerdictRow) == 1
    assert store.verdict(cid) == equivalent


def test_empty_content_hash_is_refused(store: Store, problem: Problem) -> None:
    from dataclasses import replace

    with pytest.raises(ValueError, match="content_hash"):
        store.upsert_problem(replace(problem, content_hash=""))


def _worker(url: str, run_id: int, problem_row: int, worker: int) -> dict[str, int]:
    ids = {}
    with open_store(url) as store:
        for i in range(SLOTS):
            slot = f"{run_id}/p/t/m/{i}"
            cid = store.add_candidate(
                run_id=run_id,
                problem_row=problem_row,
                slot_key=slot,
                candidate=Candidate(code=f"code {i} from {worker}", technique="t", model="m"),
            )
            store.save_verdict(cid, Verdict(status=VerdictStatus.EQUIVALENT, stage=Stage.STATIC))
            store.record_model_call(
                cache_key=f"{worker}-{i}",
                request_key="r",
                model="m",
                messages=[],
                params={},
                completion="x",
                input_tokens=1,
                output_tokens=1,
                latency_s=0.0,
                cache_hit=False,
                run_id=run_id,
                candidate_id=cid,
            )
            ids[slot] = cid
    return ids


def _opener(url: str, problem: Problem) -> int:
    with open_store(url) as store:
        return store.upsert_problem(problem)


@pytest.mark.timeout(120)
def test_two_processes_write_one_file(db_url: str, store: Store, problem: Problem) -> None:
    run_id = _run(store)
    row = store.upsert_problem(problem)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_worker, [(db_url, run_id, row, 0), (db_url, run_id, row, 1)])
    assert results[0] == results[1]
    assert len(set(results[0].values())) == SLOTS
    assert _count(store, CandidateRow) == SLOTS
    assert _count(store, VerdictRow) == SLOTS
    assert _count(store, ModelCallRow) == 2 * SLOTS


@pytest.mark.timeout(120)
def test_processes_create_a_new_file_together(tmp_path: Path, problem: Problem) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        rows = pool.starmap(_opener, [(url, problem)] * 3)
    assert len(set(rows)) == 1
    with open_store(url) as store:
        assert _count(store, ProblemRow) == 1


def _forked_child(
    store: Store, run_id: int, problem_row: int, queue: multiprocessing.Queue
) -> None:
    cid = store.add_candidate(
        run_id=run_id, problem_row=problem_row, slot_key="forked", candidate=Candidate("child")
    )
    queue.put(cid)


@pytest.mark.timeout(60)
def test_store_survives_fork(store: Store, problem: Problem) -> None:
    run_id = _run(store)
    row = store.upsert_problem(problem)
    store.add_candidate(run_id=run_id, problem_row=row, slot_key="parent", candidate=Candidate("p"))
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_forked_child, args=(store, run_id, row, queue))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    forked_id = queue.get(timeout=5)
    assert {c.slot_key: c.id for c in store.candidates(run_id)}["forked"] == forked_id


def test_readers_do_not_wait_for_a_writer(store: Store) -> None:
    """While a write transaction holds SQLite's write lock, reads still answer at once."""
    run_id = _run(store)
    with store.write_session() as session:
        session.add(
            ProblemRow(
                dataset="d",
                problem_id="held",
                content_hash="h",
                kind="function",
                title="t",
                tags=[],
                slow_source="",
            )
        )
        session.flush()
        assert [r.id for r in store.list_runs()] == [run_id]
        assert _count(store, ProblemRow) == 0
    assert _count(store, ProblemRow) == 1
