from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

import pytest

from optbench.core import (
    Candidate,
    Counterexample,
    Measurement,
    MetricResult,
    Problem,
    Stage,
    Stats,
    Verdict,
    VerdictStatus,
)
from optbench.store import Store, open_store

CONFIG = {
    "techniques": [{"name": "feedback", "args": {"rounds": 3}}],
    "models": ["openai:deepseek-coder"],
    "seeds": [0],
    "budgets": {"samples": 4},
    "profile": "quick",
}
ENVIRONMENT = {"git": {"revision": "abc123", "dirty": True}, "python": "3.11.7"}


def _run(store: Store) -> int:
    return store.create_run(
        name="smoke",
        dataset="bundled",
        dataset_version="1",
        dataset_hash="d" * 64,
        config=CONFIG,
        environment=ENVIRONMENT,
    )


def _measurement(speedup: float = 2.0, memory: float | None = 1.5) -> Measurement:
    time = MetricResult(
        metric="time",
        baseline=Stats([0.2, 0.21, 0.19]),
        candidate=Stats([0.1, 0.105, 0.095]),
        ratio=speedup,
        ci_low=speedup - 0.1,
        ci_high=speedup + 0.1,
        significant=True,
    )
    mem = None
    if memory is not None:
        mem = MetricResult(
            metric="peak_memory",
            baseline=Stats([3e6], unit="B"),
            candidate=Stats([2e6], unit="B"),
            ratio=memory,
            ci_low=memory,
            ci_high=memory,
            significant=True,
        )
    return Measurement(time=time, memory=mem, profile="quick", machine={"cpu": "x86"})


def test_run_round_trip_and_status_timestamps(store: Store) -> None:
    run_id = _run(store)
    info = store.get_run(run_id)
    assert (info.name, info.status, info.dataset, info.dataset_hash) == (
        "smoke",
        "planned",
        "bundled",
        "d" * 64,
    )
    assert info.config == CONFIG and info.environment == ENVIRONMENT
    assert info.created_at.tzinfo is UTC and info.started_at is None and info.ended_at is None

    store.set_run_status(run_id, "running")
    started = store.get_run(run_id).started_at
    assert started is not None
    store.set_run_status(run_id, "interrupted")
    assert store.get_run(run_id).ended_at is not None
    store.set_run_status(run_id, "running")
    resumed = store.get_run(run_id)
    assert resumed.started_at == started and resumed.ended_at is None
    store.set_run_status(run_id, "finished")
    assert store.get_run(run_id).status == "finished"
    assert [r.id for r in store.list_runs()] == [run_id]


def test_bad_status_and_missing_run(store: Store) -> None:
    run_id = _run(store)
    with pytest.raises(ValueError, match="unknown run status"):
        store.set_run_status(run_id, "done")
    with pytest.raises(KeyError):
        store.get_run(999)


def test_problem_upsert_is_keyed_by_content(
    store: Store, problem: Problem, problem_factory: Callable[..., Problem]
) -> None:
    first = store.upsert_problem(problem)
    assert store.upsert_problem(problem) == first
    changed = problem_factory(problem.id, source="def f(n):\n    return n + 0\n")
    assert store.upsert_problem(changed) != first


def test_candidate_round_trip_with_verdict_and_measurement(store: Store, problem: Problem) -> None:
    run_id = _run(store)
    row = store.upsert_problem(problem)
    parent = Candidate(code="def f(n):\n    return n\n", technique="feedback", model="m1")
    parent_id = store.add_candidate(
        run_id=run_id, problem_row=row, slot_key="1/a/p", candidate=parent
    )
    assert parent.id == parent_id
    child = Candidate(
        code="def f(n):\n    return n*1\n",
        technique="feedback",
        model="m1",
        parent_id=parent_id,
        round=1,
        reasoning="multiply by one",
        extra={"prompt_tokens": 12},
    )
    child_id = store.add_candidate(
        run_id=run_id, problem_row=row, slot_key="1/a/c", candidate=child
    )
    other = Candidate(code="x", technique="plain", model="m1")
    store.add_candidate(run_id=run_id, problem_row=row, slot_key="1/b", candidate=other)

    verdict = Verdict(
        status=VerdictStatus.NOT_EQUIVALENT,
        stage=Stage.DIFFERENTIAL,
        examples_tried=17,
        message="differs",
        counterexample=Counterexample(input="(3,)", expected="9", actual="3"),
        elapsed_s=0.5,
        isolation="bwrap",
    )
    store.save_verdict(parent_id, verdict)
    assert store.verdict(parent_id) == verdict
    assert store.verdict(child_id) is None
    m = _measurement()
    store.save_measurement(child_id, m, machine_id="host-1")
    assert store.measurement(child_id) == m
    assert store.measurement(parent_id) is None

    listed = store.candidates(run_id, technique="feedback")
    assert [c.id for c in listed] == [parent_id, child_id]
    first, second = listed
    assert (first.verdict_status, first.speedup) == ("not_equivalent", None)
    assert (second.verdict_status, second.speedup) == (None, 2.0)
    assert second.parent_id == parent_id and second.round == 1
    assert second.reasoning == "multiply by one" and second.extra == {"prompt_tokens": 12}
    assert second.problem_id == problem.id and second.dataset == "bundled"
    assert second.code_hash == child.code_hash
    assert len(store.candidates(run_id)) == 3
    assert len(store.candidates(run_id, problem_row=row, technique="plain")) == 1
    assert store.get_candidate(child_id) == second


def test_measurement_without_memory(store: Store, problem: Problem) -> None:
    run_id = _run(store)
    cid = store.add_candidate(
        run_id=run_id,
        problem_row=store.upsert_problem(problem),
        slot_key="s",
        candidate=Candidate("c"),
    )
    m = _measurement(memory=None)
    store.save_measurement(cid, m, machine_id="host")
    assert store.measurement(cid) == m


def test_baseline_round_trip_keeps_first(store: Store) -> None:
    assert store.get_baseline("h", "host", "quick") is None
    store.save_baseline("h", "host", "quick", [0.1, 0.2], [1e6], {"cpu": "x"})
    store.save_baseline("h", "host", "quick", [9.0], None, {})
    baseline = store.get_baseline("h", "host", "quick")
    assert baseline is not None
    assert baseline.time_values == [0.1, 0.2]
    assert baseline.memory_values == [1e6]
    assert baseline.machine == {"cpu": "x"}
    assert store.get_baseline("h", "host", "rigorous") is None


def test_model_calls_cache_and_replay(store: Store, problem: Problem) -> None:
    run_id = _run(store)
    messages = [{"role": "user", "content": "make it fast"}]
    common = {
        "request_key": "req",
        "messages": messages,
        "params": {"temperature": 0.7, "sample": 0},
        "input_tokens": 10,
        "output_tokens": 20,
        "latency_s": 1.5,
        "cache_hit": False,
    }
    store.record_model_call(cache_key="k1", model="m1", completion="first", run_id=run_id, **common)
    failed = store.record_model_call(
        cache_key="k1", model="m1", completion="", error="timeout", run_id=run_id, **common
    )
    second = store.record_model_call(
        cache_key="k1", model="m1", completion="second", run_id=run_id, **common
    )
    store.record_model_call(cache_key="k1", model="m1", completion="", error="boom", **common)
    cached = store.cached_call("k1")
    assert cached is not None and cached.id == second and cached.completion == "second"
    assert cached.messages == messages and cached.params["temperature"] == 0.7
    assert store.cached_call("missing") is None
    replayed = store.replay_call("req")
    assert replayed is not None and replayed.completion == "second"
    calls = store.model_calls(run_id)
    assert [c.completion for c in calls] == ["first", "", "second"]
    assert calls[1].id == failed and calls[1].error == "timeout"

    cid = store.add_candidate(
        run_id=run_id,
        problem_row=store.upsert_problem(problem),
        slot_key="s",
        candidate=Candidate("c"),
    )
    store.link_model_call(second, cid)
    assert store.model_calls(run_id)[2].candidate_id == cid


def test_reopen_keeps_data(db_url: str) -> None:
    with open_store(db_url) as store:
        run_id = _run(store)
    with open_store(db_url) as store:
        assert store.get_run(run_id).name == "smoke"


def test_in_memory_store() -> None:
    with open_store("sqlite://") as store:
        run_id = _run(store)
        assert store.get_run(run_id).dataset == "bundled"
