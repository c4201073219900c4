"""Runs on a real local Ray cluster: the same results as the local executor, workers
killed mid-task without losing or duplicating anything, and runs moved between executors
on resume."""

from __future__ import annotations

import io
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from rich.console import Console
from run_outcomes import EXPECTED, PROBLEMS, outcomes

from optbench.measure import machine_id
from optbench.run.config import RunConfig
from optbench.run.runner import RunInterrupted, Runner
from optbench.store import Store, open_store

ray = pytest.importorskip("ray")

pytestmark = [pytest.mark.ray, pytest.mark.slow]


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(
        address="local",
        num_cpus=2,
        resources={"timing_slot": 1},
        include_dashboard=False,
        log_to_driver=False,
        logging_level="warning",
        object_store_memory=128 * 1024**2,
    )
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'runs.db'}") as opened:
        yield opened


def _config(executor: str) -> RunConfig:
    return RunConfig.from_dict(
        {
            "techniques": ["identity", "reference"],
            "problems": PROBLEMS.split(","),
            "profile": "smoke",
            "max_examples": 30,
            "executor": executor,
        }
    )


def _runner(store: Store) -> Runner:
    return Runner(store, console=Console(file=io.StringIO(), width=120))


@pytest.mark.timeout(180)
def test_ray_gives_the_local_verdicts(ray_cluster: None, store: Store) -> None:
    local = _runner(store).start(_config("local"))
    on_ray = _runner(store).start(_config("ray"))
    expected, actual = outcomes(store, local), outcomes(store, on_ray)
    assert expected.verdicts == actual.verdicts == EXPECTED
    assert expected.measured == actual.measured == 4
    assert actual.duplicate_slots == 0
    assert actual.machines == {machine_id()}


def _kill_workers(names: list[str], stop: threading.Event, killed: list[str]) -> None:
    """SIGKILL the first Ray worker seen running each task name, once per name."""
    left = list(names)
    while left and not stop.wait(0.05):
        for proc in psutil.process_iter(["pid", "cmdline"]):
            title = " ".join(proc.info["cmdline"] or [])
            name = next((n for n in left if f"ray::{n}" in title), None)
            if name is None:
                continue
            try:
                os.kill(proc.info["pid"], signal.SIGKILL)
            except ProcessLookupError:
                continue
            killed.append(name)
            left.remove(name)


@pytest.mark.timeout(180)
def test_killed_workers_are_retried_without_duplicates(ray_cluster: None, store: Store) -> None:
    stop = threading.Event()
    killed: list[str] = []
    killer = threading.Thread(
        target=_kill_workers, args=(["_verify_task", "_measure_task"], stop, killed)
    )
    killer.start()
    try:
        run_id = _runner(store).start(_config("ray"))
    finally:
        stop.set()
        killer.join()
    assert killed == ["_verify_task", "_measure_task"]
    result = outcomes(store, run_id)
    assert result.verdicts == EXPECTED
    assert result.measured == 4 and result.duplicate_slots == 0
    assert all(store.measurement(c.id).error is None for c in store.candidates(run_id))


def _interrupt_after_first(store: Store, method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    original = getattr(store, method)
    calls: list[int] = []

    def interrupted(*args: object, **kwargs: object) -> None:
        calls.append(1)
        original(*args, **kwargs)
        if len(calls) == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(store, method, interrupted)


@pytest.mark.timeout(180)
@pytest.mark.parametrize(
    ("first", "then", "stop_after"),
    [("ray", "local", "save_measurement"), ("local", "ray", "save_verdict")],
)
def test_resume_moves_between_executors(
    ray_cluster: None,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    first: str,
    then: str,
    stop_after: str,
) -> None:
    with monkeypatch.context() as patch:
        _interrupt_after_first(store, stop_after, patch)
        with pytest.raises(RunInterrupted) as info:
            _runner(store).start(_config(first))
    run_id = info.value.run_id
    assert store.get_run(run_id).status == "interrupted"
    partial = outcomes(store, run_id)
    assert partial.measured <= 1

    assert _runner(store).resume(run_id, executor=then) == run_id
    result = outcomes(store, run_id)
    assert store.get_run(run_id).status == "finished"
    assert result.verdicts == EXPECTED
    assert result.measured == 4 and result.duplicate_slots == 0
